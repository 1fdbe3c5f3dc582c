//! What a report keeps of an archive's files: the lines its findings are
//! on.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;

use crate::diagnostic::Finding;
use crate::inputs::Package;
use crate::report::PackageReport;

/// What an archive's report keeps for output: its findings carry no fix
/// (a fix's description becomes the help: there is no file to edit), and
/// of its files' texts only the lines findings and allow problems point
/// into ([`keep_finding_lines`]).
pub(super) fn keep_for_output(
    report: &mut PackageReport,
    package: &Package,
    texts: &mut HashMap<PathBuf, String>,
) {
    for finding in &mut report.findings {
        if let Some(fix) = finding.fix.take() {
            finding.help.get_or_insert(fix.description);
        }
    }
    let shown: HashSet<PathBuf> = report
        .findings
        .iter()
        .map(|f| f.path.clone())
        .chain(report.allow_problems.iter().map(|p| p.path.clone()))
        .collect();
    for (manifest, _) in package.manifests.all() {
        if shown.contains(&manifest.path) {
            report
                .sources
                .insert(manifest.path.clone(), manifest.text.clone());
        }
    }
    for path in &shown {
        if let Some(text) = texts.remove(path) {
            report.sources.insert(path.clone(), text);
        }
    }
    keep_finding_lines(report);
}

/// Reduces each of an archive's kept texts to the lines its findings are
/// on, every other line to its newline alone (so that line numbers hold),
/// and moves the findings' ranges into that excerpt. An archive's report
/// lives until the whole run is rendered: without this, every file with a
/// finding stayed in memory whole, for every archive.
pub(super) fn keep_finding_lines(report: &mut PackageReport) {
    let mut by_path: HashMap<PathBuf, Vec<&mut Finding>> = HashMap::new();
    for f in &mut report.findings {
        if f.range.is_some() {
            by_path.entry(f.path.clone()).or_default().push(f);
        }
    }
    for (path, text) in &mut report.sources {
        let Some(findings) = by_path.get_mut(path) else {
            continue;
        };
        let ranges: Vec<Range<usize>> = findings.iter().filter_map(|f| f.range.clone()).collect();
        let (excerpt, spans) = finding_lines(text, &ranges);
        for f in findings.iter_mut() {
            if let Some(range) = &mut f.range {
                *range = move_into(&spans, range.start)..move_into(&spans, range.end);
            }
        }
        *text = excerpt;
    }
}

/// `text` with only the lines `ranges` touch, each other line reduced to
/// its newline; and the kept spans, as (start in `text`, end in `text`,
/// start in the excerpt).
pub(super) fn finding_lines(
    text: &str,
    ranges: &[Range<usize>],
) -> (String, Vec<(usize, usize, usize)>) {
    let mut lines: Vec<Range<usize>> = ranges
        .iter()
        .filter(|r| r.start <= r.end && r.end <= text.len())
        .map(|r| {
            let start = text[..r.start].rfind('\n').map_or(0, |i| i + 1);
            let end = text[r.end..].find('\n').map_or(text.len(), |i| r.end + i);
            start..end
        })
        .collect();
    lines.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(lines.len());
    for line in lines {
        match merged.last_mut() {
            Some(last) if line.start <= last.end => last.end = last.end.max(line.end),
            _ => merged.push(line),
        }
    }
    let mut excerpt = String::new();
    let mut spans = Vec::with_capacity(merged.len());
    let mut at = 0;
    for span in merged {
        let newlines = text.as_bytes()[at..span.start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        excerpt.extend(std::iter::repeat_n('\n', newlines));
        spans.push((span.start, span.end, excerpt.len()));
        excerpt.push_str(&text[span.clone()]);
        at = span.end;
    }
    excerpt.shrink_to_fit();
    (excerpt, spans)
}

/// Where byte `offset` of a text is in its excerpt ([`finding_lines`]).
pub(super) fn move_into(spans: &[(usize, usize, usize)], offset: usize) -> usize {
    let i = spans.partition_point(|(_, end, _)| *end < offset);
    match spans.get(i) {
        Some(&(start, _, into)) if start <= offset => into + (offset - start),
        _ => 0,
    }
}
