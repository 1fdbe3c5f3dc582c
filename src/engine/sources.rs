//! What a report keeps of the files output shows ([`Source`]): the lines
//! findings, allow problems and fixes point into, cut from the text the
//! engine scanned, with every value in them that output must hide.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::Finding;
use crate::inputs::Package;
use crate::report::{PackageReport, Source};
use crate::rules::{detect, FileContext};

/// The texts the engine read, by path: the files with a match or an allow
/// comment, and the manifests (the packages', the workspace root's, the
/// members' a fix edits).
pub(super) struct Texts<'a> {
    pub(super) files: HashMap<PathBuf, String>,
    pub(super) manifests: HashMap<PathBuf, &'a str>,
}

impl Texts<'_> {
    fn get(&self, path: &Path) -> Option<&str> {
        self.manifests
            .get(path)
            .copied()
            .or_else(|| self.files.get(path).map(String::as_str))
    }
}

/// Fills each report's `sources`. A package's manifests are kept whole
/// when anything is reported in the package (output points at the place
/// `exclude` would go); other files keep the lines output points into.
pub(super) fn keep(reports: &mut [PackageReport], packages: &[Package], texts: &Texts<'_>) {
    // Every value output must hide, by file, from every package (a root
    // manifest holds findings of several).
    let mut hidden: HashMap<&Path, Vec<(Range<usize>, &str)>> = HashMap::new();
    for f in reports.iter().flat_map(|r| r.values_to_hide()) {
        if let Some(range) = &f.range {
            hidden
                .entry(f.path.as_path())
                .or_default()
                .push((range.clone(), f.redacted.as_str()));
        }
    }
    let mut kept: Vec<HashMap<PathBuf, Source>> = Vec::with_capacity(reports.len());
    for (report, package) in reports.iter().zip(packages) {
        let mut ranges: HashMap<&Path, Vec<Range<usize>>> = HashMap::new();
        for f in &report.findings {
            add_finding(&mut ranges, f);
        }
        for p in &report.allow_problems {
            ranges.entry(&p.path).or_default().push(p.range.clone());
        }
        if !ranges.is_empty() {
            for (manifest, _) in package.manifests.all() {
                ranges
                    .entry(&manifest.path)
                    .or_default()
                    .push(0..manifest.text.len());
            }
        }
        let mut sources = HashMap::new();
        for (path, ranges) in ranges {
            let Some(text) = texts.get(path) else {
                continue;
            };
            let mut source = Source::of(text, ranges);
            hide(
                &mut source,
                path,
                hidden.get(path).map_or(&[][..], Vec::as_slice),
            );
            sources.insert(path.to_owned(), source);
        }
        kept.push(sources);
    }
    for (report, sources) in reports.iter_mut().zip(kept) {
        report.sources = sources;
    }
}

/// A finding's range, and its fix's edits: each edit, and in each file
/// the stretch from its first to its last (a patch is shown whole).
fn add_finding<'a>(ranges: &mut HashMap<&'a Path, Vec<Range<usize>>>, f: &'a Finding) {
    if let Some(range) = &f.range {
        ranges.entry(&f.path).or_default().push(range.clone());
    }
    let Some(fix) = &f.fix else {
        return;
    };
    let mut stretch: HashMap<&Path, Range<usize>> = HashMap::new();
    for edit in &fix.edits {
        stretch
            .entry(&edit.path)
            .and_modify(|r| *r = r.start.min(edit.range.start)..r.end.max(edit.range.end))
            .or_insert_with(|| edit.range.clone());
    }
    for (path, range) in stretch {
        ranges.entry(path).or_default().push(range);
    }
}

/// Marks what each excerpt must hide: the values of findings in it
/// (reported, allowed, at `allow` level, accepted by a baseline), cut to
/// the excerpt, and whatever a detector recognises in its lines (a value no
/// finding covers: an address a configuration allows).
fn hide(source: &mut Source, path: &Path, values: &[(Range<usize>, &str)]) {
    let archive_path = path.to_string_lossy();
    let is_manifest = path.ends_with("Cargo.toml") || path.ends_with("Cargo.toml.orig");
    let context = FileContext {
        archive_path: &archive_path,
        is_manifest,
        package: "",
    };
    for excerpt in &mut source.excerpts {
        let end = excerpt.start + excerpt.text.len();
        for (range, redacted) in values {
            if range.start < end && excerpt.start < range.end {
                let start = range.start.max(excerpt.start) - excerpt.start;
                let stop = range.end.min(end) - excerpt.start;
                excerpt.hide.push((start..stop, (*redacted).to_owned()));
            }
        }
        for m in detect(&excerpt.text, context) {
            excerpt.hide.push((m.range, m.redacted));
        }
        excerpt
            .hide
            .extend(crate::rules::custom::masks(&excerpt.text));
        excerpt.hide.sort_by_key(|(r, _)| (r.start, r.end));
        excerpt.hide.dedup_by(|a, b| a.0 == b.0);
    }
}

/// A published archive's findings carry no fix (there is no file to edit:
/// the fix belongs in the source, and in a new version); a fix's
/// description becomes the help.
pub(super) fn without_fixes(report: &mut PackageReport) {
    for finding in &mut report.findings {
        if let Some(fix) = finding.fix.take() {
            finding.help.get_or_insert(fix.description);
        }
    }
}
