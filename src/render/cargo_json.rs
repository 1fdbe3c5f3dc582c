//! `--message-format cargo-json`: findings as cargo's own JSON messages, so
//! the tools that read `cargo check --message-format json` show them:
//! rust-analyzer's flycheck (`rust-analyzer.check.overrideCommand`), bacon
//! (its `cargo_json` analyzer), and anything built on
//! `cargo_metadata::Message::parse_stream`.
//!
//! One line per finding on stdout, `{"reason":"compiler-message",
//! "package_id","manifest_path","target","message"}`, where `message` is a
//! rustc diagnostic (`$message_type: "diagnostic"`, `message`, `code` (the
//! rule; `explanation` is null: `--explain RULE` prints it), `level`,
//! `spans`, `children`, `rendered`), then cargo's last line,
//! `{"reason":"build-finished","success":…}`. Warnings about allow comments
//! are diagnostics too (code `unused-allow` / `invalid-allow`).
//!
//! Spans follow rustc: `file_name` relative to the workspace root (as cargo
//! runs rustc there, and as rust-analyzer resolves it), byte offsets into
//! the file on disk, 1-based lines and character columns, `column_end`
//! exclusive. A span's `text` is its first line with every finding's value
//! masked (never the raw line); a line longer than 400 bytes (which
//! `render::masked_window` may cut around the span) has no `text`, since
//! rust-analyzer converts columns through it and a cut line would shift them.
//!
//! A fix is a `help` child whose spans carry `suggested_replacement` and
//! rustc's applicability (`MachineApplicable` / `MaybeIncorrect`): that is
//! what rust-analyzer offers as a quick fix. A replacement in which a
//! detector recognises a value (the output boundary would mask it, and the
//! edit would then write the mask) is left out; the help still names the fix.
//!
//! A whole-file finding (a file that must not ship) has no range in its
//! file, and showing that file's first line could show what it holds. Its
//! primary span is the line of the package's `Cargo.toml` where the file is
//! kept out: the `exclude` key of `[package]` when there is one, else the
//! `[package]` header; the file itself is a secondary span at line 1 with
//! no `text`. Without a manifest on disk (an archive given with `--crate`)
//! the primary span is line 1 of the file, again without `text`.
//!
//! `rendered` is the human rendering of the one diagnostic
//! ([`super::human::render_finding`]), paths relative to the workspace
//! root, without colour unless `--color always` (then with it, as cargo's
//! `json-diagnostic-rendered-ansi`).

use std::collections::HashMap;
use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use serde::Serialize;

use super::{masked_window, relative, Context, FileValues};
use crate::allow_comments::{AllowProblem, ProblemKind};
use crate::diagnostic::{escape_input, Applicability, Edit, Finding, Level, Position};
use crate::read::read_text;
use crate::report::{PackageReport, Report};
use crate::rules::FileContext;

#[derive(Serialize)]
struct CompilerMessage<'a> {
    reason: &'static str,
    package_id: String,
    manifest_path: String,
    target: Target<'a>,
    message: Diagnostic,
}

/// cargo's target object. The check is of the package, not of one of its
/// compilation targets: this names the package, with its manifest as the
/// source, in the shape `cargo_metadata::Target` requires.
#[derive(Serialize)]
struct Target<'a> {
    kind: [&'static str; 1],
    crate_types: [&'static str; 1],
    name: &'a str,
    src_path: String,
    edition: &'static str,
    doc: bool,
    doctest: bool,
    test: bool,
}

#[derive(Serialize)]
struct Diagnostic {
    #[serde(rename = "$message_type")]
    message_type: &'static str,
    message: String,
    code: Option<Code>,
    level: &'static str,
    spans: Vec<Span>,
    children: Vec<Diagnostic>,
    rendered: Option<String>,
}

#[derive(Serialize)]
struct Code {
    code: String,
    explanation: Option<String>,
}

#[derive(Serialize)]
struct Span {
    file_name: String,
    byte_start: usize,
    byte_end: usize,
    line_start: usize,
    line_end: usize,
    column_start: usize,
    column_end: usize,
    is_primary: bool,
    text: Vec<SpanLine>,
    label: Option<String>,
    suggested_replacement: Option<String>,
    suggestion_applicability: Option<&'static str>,
    expansion: Option<()>,
}

#[derive(Serialize)]
struct SpanLine {
    text: String,
    highlight_start: usize,
    highlight_end: usize,
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note | Level::Allow => "note",
    }
}

fn applicability(a: Applicability) -> &'static str {
    match a {
        Applicability::MachineApplicable => "MachineApplicable",
        Applicability::MaybeIncorrect => "MaybeIncorrect",
    }
}

/// A child without spans: a `note` or a `help`.
fn child(level: &'static str, message: &str, spans: Vec<Span>) -> Diagnostic {
    Diagnostic {
        message_type: "diagnostic",
        message: message.to_owned(),
        code: None,
        level,
        spans,
        children: Vec::new(),
        rendered: None,
    }
}

/// The position of byte `offset` of `text` (1-based line, character column).
fn position(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.bytes().filter(|&b| b == b'\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// A line longer than this many bytes has no `text` (see the module docs;
/// below `render::LONG_LINE`, so `masked_window` shows it whole).
const LONG_LINE: usize = 400;

/// The first line of `range` in `text`, values masked, with the range's
/// part of it highlighted; `None` when the line is too long to show whole.
fn span_text(
    text: &str,
    range: &Range<usize>,
    values: &FileValues<'_>,
    start: Position,
) -> Option<SpanLine> {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[range.start..]
        .find('\n')
        .map_or(text.len(), |i| range.start + i);
    if line_end - line_start > LONG_LINE {
        return None;
    }
    let first = range.start..range.end.min(line_end);
    let window = masked_window(text, first.clone(), values, Some(start));
    // A value over several lines is masked whole; show the first line.
    let shown = window.text.split('\n').next().unwrap_or("");
    let mapped = window.map_range(&first);
    let chars = |upto: usize| shown[..upto.min(shown.len())].chars().count();
    if !shown.is_char_boundary(mapped.start.min(shown.len()))
        || !shown.is_char_boundary(mapped.end.min(shown.len()))
    {
        return None;
    }
    Some(SpanLine {
        text: shown.to_owned(),
        highlight_start: chars(mapped.start) + 1,
        highlight_end: chars(mapped.end) + 1,
    })
}

/// A span of `text` (the file `file_name`), with its masked `text`.
fn span(
    file_name: &str,
    text: &str,
    range: Range<usize>,
    values: &FileValues<'_>,
    positions: Option<(Position, Position)>,
) -> Option<Span> {
    if range.end > text.len()
        || !text.is_char_boundary(range.start)
        || !text.is_char_boundary(range.end)
    {
        return None;
    }
    let (start, end) =
        positions.unwrap_or_else(|| (position(text, range.start), position(text, range.end)));
    Some(Span {
        file_name: file_name.to_owned(),
        byte_start: range.start,
        byte_end: range.end,
        line_start: start.line,
        line_end: end.line,
        column_start: start.column,
        column_end: end.column,
        is_primary: true,
        text: span_text(text, &range, values, start).into_iter().collect(),
        label: None,
        suggested_replacement: None,
        suggestion_applicability: None,
        expansion: None,
    })
}

/// A span at line 1, column 1 of a file, without text.
fn file_start(file_name: String) -> Span {
    Span {
        file_name,
        byte_start: 0,
        byte_end: 0,
        line_start: 1,
        line_end: 1,
        column_start: 1,
        column_end: 1,
        is_primary: true,
        text: Vec::new(),
        label: None,
        suggested_replacement: None,
        suggestion_applicability: None,
        expansion: None,
    }
}

/// Where a file is kept out of the package in `manifest`: the `exclude`
/// key of `[package]` if there is one, else the `[package]` header.
fn exclude_anchor(manifest: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    let mut header = None;
    for line in manifest.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with('[') {
            if header.is_some() {
                break; // the next table: `[package]` has no `exclude`
            }
            let name: String = trimmed
                .trim_end()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if name == "[package]" || name.starts_with("[package]#") {
                let len = trimmed.find(']').map_or(0, |i| i + 1);
                header = Some(offset + indent..offset + indent + len);
            }
        } else if header.is_some() {
            let key = trimmed.split(['=', '.']).next().unwrap_or("").trim();
            let key = key.trim_matches(['"', '\'']);
            if key == "exclude" {
                return Some(offset + indent..offset + indent + "exclude".len());
            }
        }
        offset += line.len();
    }
    header
}

/// The files a run's diagnostics show, read once before rendering, and
/// each file's values to mask, sorted once (a file with thousands of
/// findings is rendered in time linear in them).
struct Texts<'r> {
    disk: HashMap<&'r Path, Option<String>>,
    values: HashMap<&'r Path, FileValues<'r>>,
    none: FileValues<'r>,
    ansi: bool,
}

impl<'r> Texts<'r> {
    fn new(report: &'r Report, ansi: bool) -> Self {
        let mut disk = HashMap::new();
        for package in report.packages.iter().filter(|p| p.archive.is_none()) {
            let paths = package
                .findings
                .iter()
                .flat_map(|f| {
                    std::iter::once(f.path.as_path()).chain(
                        f.fix
                            .iter()
                            .flat_map(|fix| fix.edits.iter().map(|e| e.path.as_path())),
                    )
                })
                .chain(package.allow_problems.iter().map(|p| p.path.as_path()))
                .chain(std::iter::once(package.manifest_path.as_path()));
            for path in paths {
                disk.entry(path).or_insert_with(|| read_text(path).ok());
            }
        }
        // Every value of a file output must hide: its findings, reported
        // or not (allowed by a comment, at `allow` level, in a baseline).
        let mut by_path: HashMap<&'r Path, Vec<(Range<usize>, &'r str)>> = HashMap::new();
        for f in report.packages.iter().flat_map(|p| p.values_to_hide()) {
            if let Some(range) = &f.range {
                by_path
                    .entry(f.path.as_path())
                    .or_default()
                    .push((range.clone(), f.redacted.as_str()));
            }
        }
        Texts {
            disk,
            values: by_path
                .into_iter()
                .map(|(path, values)| (path, FileValues::new(values)))
                .collect(),
            none: FileValues::default(),
            ansi,
        }
    }

    fn get<'a>(&'a self, package: &'a PackageReport, path: &Path) -> Option<&'a str> {
        if package.archive.is_some() {
            return package.sources.get(path).map(String::as_str);
        }
        self.disk.get(path)?.as_deref()
    }

    fn values(&self, path: &Path) -> &FileValues<'r> {
        self.values.get(path).unwrap_or(&self.none)
    }
}

/// Whether a detector recognises a value in `replacement` (the boundary
/// would mask it, and applying the suggestion would write the mask).
fn holds_a_value(replacement: &str, package: &str) -> bool {
    let context = FileContext {
        archive_path: "Cargo.toml",
        is_manifest: true,
        package,
    };
    !crate::rules::detect(replacement, context).is_empty()
}

/// `rendered` is plain, as in cargo's `json`, unless `ansi` (`--color
/// always`, cargo's `json-diagnostic-rendered-ansi`) keeps the styling.
fn rendered(styled: &str, ansi: bool) -> String {
    let mut out = if ansi {
        styled.to_owned()
    } else {
        anstream::adapter::strip_str(styled).to_string()
    };
    out.push('\n');
    out
}

fn finding_diagnostic<'r>(
    f: &'r Finding,
    package: &'r PackageReport,
    texts: &Texts<'r>,
    root: &Path,
) -> Diagnostic {
    let file_name = relative(&f.path, root);
    let values = texts.values(&f.path);
    let text = texts.get(package, &f.path);
    let mut spans = Vec::new();
    match (&f.range, &text) {
        (Some(range), Some(text)) => {
            let positions = f.start.zip(f.end);
            if let Some(mut s) = span(&file_name, text, range.clone(), values, positions) {
                s.label = (!f.label.is_empty()).then(|| f.label.clone());
                spans.push(s);
            }
        }
        (Some(range), None) => {
            // The file could not be read again: its place, without text.
            if let (Some(start), Some(end)) = (f.start, f.end) {
                let mut s = file_start(file_name.clone());
                (s.byte_start, s.byte_end) = (range.start, range.end);
                (s.line_start, s.column_start) = (start.line, start.column);
                (s.line_end, s.column_end) = (end.line, end.column);
                s.label = (!f.label.is_empty()).then(|| f.label.clone());
                spans.push(s);
            }
        }
        (None, _) => {
            let manifest = &package.manifest_path;
            let anchor = if package.archive.is_none() {
                let manifest_values = texts.values(manifest);
                texts.get(package, manifest).and_then(|m| {
                    let range = exclude_anchor(m)?;
                    span(&relative(manifest, root), m, range, manifest_values, None)
                })
            } else {
                None
            };
            match anchor {
                Some(mut s) => {
                    s.label = Some(format!(
                        "`{}` is not kept out of the package here",
                        escape_input(&f.archive_path)
                    ));
                    spans.push(s);
                    let mut file = file_start(file_name.clone());
                    file.is_primary = false;
                    file.label = Some(if f.label.is_empty() {
                        "this file would be published".to_owned()
                    } else {
                        f.label.clone()
                    });
                    spans.push(file);
                }
                None => {
                    let mut file = file_start(file_name.clone());
                    file.label = (!f.label.is_empty()).then(|| f.label.clone());
                    spans.push(file);
                }
            }
        }
    }
    if spans.is_empty() {
        // No text to place the range in: the file, as a whole.
        spans.push(file_start(file_name.clone()));
    }

    let mut children: Vec<Diagnostic> = f.notes.iter().map(|n| child("note", n, vec![])).collect();
    if let Some(help) = &f.help {
        if f.fix.as_ref().is_none_or(|fix| &fix.description != help) {
            children.push(child("help", help, vec![]));
        }
    }
    if let Some(fix) = &f.fix {
        let suggestions: Option<Vec<Span>> = fix
            .edits
            .iter()
            .map(|edit| suggestion(edit, fix.applicability, package, texts, root))
            .collect();
        children.push(child(
            "help",
            &fix.description,
            suggestions.unwrap_or_default(),
        ));
    }

    // Each message stands alone: its notes are all there, once.
    let one = super::Diagnostic {
        first: f,
        same_line: Vec::new(),
        more: Vec::new(),
    };
    let once = super::human::Once {
        permanent: true,
        promoted: f.promoted,
    };
    let styled = super::human::render_diagnostic(&one, text, values, root, 140, once);
    Diagnostic {
        message_type: "diagnostic",
        message: f.message.clone(),
        code: Some(Code {
            code: f.rule.name.to_owned(),
            explanation: None,
        }),
        level: level(f.level),
        spans,
        children,
        rendered: Some(rendered(&styled, texts.ansi)),
    }
}

/// One edit of a fix as a span with its replacement; `None` (the fix is
/// then named without spans) when it cannot be placed or shown safely.
fn suggestion<'r>(
    edit: &Edit,
    fix_applicability: Applicability,
    package: &'r PackageReport,
    texts: &Texts<'r>,
    root: &Path,
) -> Option<Span> {
    if holds_a_value(&edit.replacement, &package.name) {
        return None;
    }
    let values = texts.values(&edit.path);
    let text = texts.get(package, &edit.path)?;
    let mut s = span(
        &relative(&edit.path, root),
        text,
        edit.range.clone(),
        values,
        None,
    )?;
    s.suggested_replacement = Some(edit.replacement.clone());
    s.suggestion_applicability = Some(applicability(fix_applicability));
    Some(s)
}

fn allow_problem_diagnostic<'r>(
    p: &'r AllowProblem,
    package: &'r PackageReport,
    texts: &Texts<'r>,
    root: &Path,
) -> Diagnostic {
    let file_name = relative(&p.path, root);
    let text = texts.get(package, &p.path);
    // The marker's line may hold a value no reported finding covers (one
    // at `allow` level): everything a detector recognises there is masked.
    let mut values: Vec<(Range<usize>, String)> = Vec::new();
    for f in package.values_to_hide() {
        if f.path == p.path {
            if let Some(r) = &f.range {
                values.push((r.clone(), f.redacted.clone()));
            }
        }
    }
    if let Some(text) = text.filter(|t| p.range.end <= t.len()) {
        let line_start = text[..p.range.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[p.range.end..]
            .find('\n')
            .map_or(text.len(), |i| p.range.end + i);
        let context = FileContext {
            archive_path: &p.archive_path,
            is_manifest: p.archive_path.starts_with("Cargo.toml"),
            package: &p.package,
        };
        for m in crate::rules::detect(&text[line_start..line_end], context) {
            values.push((
                line_start + m.range.start..line_start + m.range.end,
                m.redacted,
            ));
        }
    }
    let pairs: Vec<(Range<usize>, &str)> = values
        .iter()
        .map(|(r, s)| (r.clone(), s.as_str()))
        .collect();
    let file_values = FileValues::new(pairs.iter().cloned());
    let mut primary = text
        .and_then(|t| {
            span(
                &file_name,
                t,
                p.range.clone(),
                &file_values,
                Some((p.start, p.end)),
            )
        })
        .unwrap_or_else(|| file_start(file_name.clone()));
    primary.label = Some(p.label().to_owned());
    let code = match p.kind {
        ProblemKind::Unused { .. } => "unused-allow",
        ProblemKind::UnknownName { .. } | ProblemKind::Malformed => "invalid-allow",
    };
    let styled = super::human::render_allow_problem(p, text, pairs, root);
    Diagnostic {
        message_type: "diagnostic",
        message: p.message(),
        code: Some(Code {
            code: code.to_owned(),
            explanation: None,
        }),
        level: level(p.level),
        spans: vec![primary],
        children: vec![child("help", &p.help(), vec![])],
        rendered: Some(rendered(&styled, texts.ansi)),
    }
}

/// cargo's package id for a path package, as `cargo metadata` writes it
/// (`path+file:///dir#version` when the folder is named after the
/// package, else `path+file:///dir#name@version`), so that rust-analyzer
/// files these diagnostics under the package clippy's are filed under.
fn package_id(package: &PackageReport) -> String {
    let dir = match &package.archive {
        Some(archive) => archive.as_path(),
        None => package.manifest_path.parent().unwrap_or(Path::new("/")),
    };
    let named_after = dir.file_name().is_some_and(|n| n == package.name.as_str());
    let dir = dir.to_string_lossy().replace('\\', "/");
    let mut url = String::from("path+file://");
    if !dir.starts_with('/') {
        url.push('/');
    }
    for b in dir.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    if named_after {
        format!("{url}#{}", package.version)
    } else {
        format!("{url}#{}@{}", package.name, package.version)
    }
}

fn line(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

pub fn render(
    report: &Report,
    ctx: &Context<'_>,
    ansi: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Paths as cargo gives them to rustc: relative to the workspace root.
    let root = ctx.selection.workspace_root.as_path();
    let texts = Texts::new(report, ansi);
    for package in &report.packages {
        let manifest = ctx.cwd.join(&package.manifest_path);
        let message = |diagnostic| CompilerMessage {
            reason: "compiler-message",
            package_id: package_id(package),
            manifest_path: manifest.to_string_lossy().into_owned(),
            target: Target {
                kind: ["lib"],
                crate_types: ["lib"],
                name: &package.name,
                src_path: manifest.to_string_lossy().into_owned(),
                edition: "2021",
                doc: false,
                doctest: false,
                test: false,
            },
            message: diagnostic,
        };
        for f in &package.findings {
            let diagnostic = finding_diagnostic(f, package, &texts, root);
            line(out, &message(diagnostic))?;
        }
        for p in &package.allow_problems {
            let diagnostic = allow_problem_diagnostic(p, package, &texts, root);
            line(out, &message(diagnostic))?;
        }
    }
    let counts = report.counts();
    line(
        out,
        &serde_json::json!({
            "reason": "build-finished",
            "success": counts.errors == 0 && !report.failed(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_file_findings_point_at_exclude_or_the_package_header() {
        let text = "[package]\nname = \"x\"\nexclude = [\"a\"]\n[dependencies]\n";
        let r = exclude_anchor(text).unwrap();
        assert_eq!(&text[r], "exclude");
        let text = "# c\n[ package ]\nname = \"x\"\n[lib]\nexclude = 1\n";
        let r = exclude_anchor(text).unwrap();
        assert_eq!(&text[r.clone()], "[ package ]");
        assert_eq!(position(text, r.start).line, 2);
        assert_eq!(exclude_anchor("[workspace]\n"), None);
    }

    #[test]
    fn a_replacement_holding_a_value_is_not_suggested() {
        let email = format!("zqxjvbkw@{}", ["gmail", "com"].join("."));
        assert!(holds_a_value(&format!("\"Jane <{email}>\""), "p"));
        assert!(!holds_a_value("\"Jane\"", "p"));
        assert!(!holds_a_value("exclude = [\"/.env\"]\n", "p"));
    }

    #[test]
    fn positions_count_characters_from_one() {
        let text = "ab\nçd = 1";
        assert_eq!(
            position(text, text.find('d').unwrap()),
            Position { line: 2, column: 2 }
        );
    }
}
