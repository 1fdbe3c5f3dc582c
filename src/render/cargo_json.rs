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
//! ([`super::human::render_diagnostic`]), paths relative to the workspace
//! root, without colour unless `--color always` (then with it, as cargo's
//! `json-diagnostic-rendered-ansi`).

use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use serde::Serialize;

use super::{masked_window, relative, Context, FileValues, Shown, ShownFiles};
use crate::allow_comments::{AllowProblem, ProblemKind};
use crate::diagnostic::{escape_input, Applicability, Edit, Finding, Position};
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

/// The position of byte `offset` of an excerpt's text in its file
/// (1-based line, character column).
fn position(shown: &Shown<'_>, offset: usize) -> Position {
    let before = &shown.text()[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.bytes().filter(|&b| b == b'\n').count() + shown.excerpt.first_line,
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

/// A span of the file `file_name` (`range`, in the excerpt `shown` of
/// it), with its masked `text`.
fn span(
    file_name: &str,
    shown: &Shown<'_>,
    range: Range<usize>,
    positions: Option<(Position, Position)>,
) -> Option<Span> {
    let local = shown.local(&range)?;
    let text = shown.text();
    if !text.is_char_boundary(local.start) || !text.is_char_boundary(local.end) {
        return None;
    }
    let (start, end) =
        positions.unwrap_or_else(|| (position(shown, local.start), position(shown, local.end)));
    Some(Span {
        file_name: file_name.to_owned(),
        byte_start: range.start,
        byte_end: range.end,
        line_start: start.line,
        line_end: end.line,
        column_start: start.column,
        column_end: end.column,
        is_primary: true,
        text: span_text(text, &local, &shown.values, start)
            .into_iter()
            .collect(),
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

/// What the diagnostics show of each file (from the report), and whether
/// `rendered` keeps its styling.
struct Texts<'r> {
    shown: ShownFiles<'r>,
    ansi: bool,
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

/// The span of a finding in a file: with its line's masked text when the
/// report holds it, else its place alone.
fn range_spans(
    f: &Finding,
    file_name: &str,
    range: &Range<usize>,
    excerpt: Option<&Shown<'_>>,
) -> Vec<Span> {
    let label = (!f.label.is_empty()).then(|| f.label.clone());
    if let Some(excerpt) = excerpt {
        let positions = f.start.zip(f.end);
        return span(file_name, excerpt, range.clone(), positions)
            .map(|s| Span { label, ..s })
            .into_iter()
            .collect();
    }
    // Not in the report's sources: its place, without text.
    let (Some(start), Some(end)) = (f.start, f.end) else {
        return Vec::new();
    };
    let mut s = file_start(file_name.to_owned());
    (s.byte_start, s.byte_end) = (range.start, range.end);
    (s.line_start, s.column_start) = (start.line, start.column);
    (s.line_end, s.column_end) = (end.line, end.column);
    s.label = label;
    vec![s]
}

/// The spans of a file that must not ship: the place in `Cargo.toml` where
/// `exclude` would keep it out (primary), and the file itself.
fn whole_file_spans(
    f: &Finding,
    package: &PackageReport,
    texts: &Texts<'_>,
    file_name: &str,
    root: &Path,
) -> Vec<Span> {
    let manifest = &package.manifest_path;
    let anchor = if package.archive.is_none() {
        texts.shown.whole(manifest).and_then(|m| {
            let range = exclude_anchor(m.text())?;
            span(&relative(manifest, root), m, range, None)
        })
    } else {
        None
    };
    let mut file = file_start(file_name.to_owned());
    let Some(mut anchor) = anchor else {
        file.label = (!f.label.is_empty()).then(|| f.label.clone());
        return vec![file];
    };
    anchor.label = Some(format!(
        "`{}` is not kept out of the package here",
        escape_input(&f.archive_path)
    ));
    file.is_primary = false;
    file.label = Some(if f.label.is_empty() {
        "this file would be published".to_owned()
    } else {
        f.label.clone()
    });
    vec![anchor, file]
}

fn finding_diagnostic<'r>(
    f: &'r Finding,
    package: &'r PackageReport,
    texts: &Texts<'r>,
    root: &Path,
) -> Diagnostic {
    let file_name = relative(&f.path, root);
    let excerpt = f
        .range
        .as_ref()
        .and_then(|r| texts.shown.holding(&f.path, r));
    let mut spans = match (&f.range, excerpt) {
        (Some(range), excerpt) => range_spans(f, &file_name, range, excerpt),
        (None, _) => whole_file_spans(f, package, texts, &file_name, root),
    };
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
    let styled = super::human::render_diagnostic(&one, excerpt, root, 140, once);
    Diagnostic {
        message_type: "diagnostic",
        message: f.message.clone(),
        code: Some(Code {
            code: f.rule.name.to_owned(),
            explanation: None,
        }),
        level: f.level.as_str(),
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
    let excerpt = texts.shown.holding(&edit.path, &edit.range)?;
    let mut s = span(
        &relative(&edit.path, root),
        excerpt,
        edit.range.clone(),
        None,
    )?;
    s.suggested_replacement = Some(edit.replacement.clone());
    s.suggestion_applicability = Some(applicability(fix_applicability));
    Some(s)
}

fn allow_problem_diagnostic<'r>(p: &'r AllowProblem, texts: &Texts<'r>, root: &Path) -> Diagnostic {
    let file_name = relative(&p.path, root);
    let excerpt = texts.shown.holding(&p.path, &p.range);
    let mut primary = excerpt
        .and_then(|e| span(&file_name, e, p.range.clone(), Some((p.start, p.end))))
        .unwrap_or_else(|| file_start(file_name.clone()));
    primary.label = Some(p.label().to_owned());
    let code = match p.kind {
        ProblemKind::Unused { .. } => "unused-allow",
        ProblemKind::UnknownName { .. } | ProblemKind::Malformed => "invalid-allow",
    };
    let styled = super::human::render_allow_problem(p, excerpt, root);
    Diagnostic {
        message_type: "diagnostic",
        message: p.message(),
        code: Some(Code {
            code: code.to_owned(),
            explanation: None,
        }),
        level: p.level.as_str(),
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
    let texts = Texts {
        shown: ShownFiles::of(report),
        ansi,
    };
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
            let diagnostic = allow_problem_diagnostic(p, &texts, root);
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
    use crate::report::Excerpt;

    /// `text` as an excerpt whose first line is line `first_line` of its
    /// file.
    fn excerpt(text: &str, first_line: usize) -> Excerpt {
        Excerpt {
            start: 100,
            first_line,
            text: text.to_owned(),
            hide: Vec::new(),
        }
    }

    #[test]
    fn whole_file_findings_point_at_exclude_or_the_package_header() {
        let text = "[package]\nname = \"x\"\nexclude = [\"a\"]\n[dependencies]\n";
        let r = exclude_anchor(text).unwrap();
        assert_eq!(&text[r], "exclude");
        let text = "# c\n[ package ]\nname = \"x\"\n[lib]\nexclude = 1\n";
        let r = exclude_anchor(text).unwrap();
        assert_eq!(&text[r.clone()], "[ package ]");
        assert_eq!(position(&Shown::new(&excerpt(text, 1)), r.start).line, 2);
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
    fn positions_count_characters_from_one_and_lines_from_the_excerpts_start() {
        let text = "ab\nçd = 1";
        assert_eq!(
            position(&Shown::new(&excerpt(text, 1)), text.find('d').unwrap()),
            Position { line: 2, column: 2 }
        );
        assert_eq!(
            position(&Shown::new(&excerpt(text, 41)), text.find('d').unwrap()),
            Position {
                line: 42,
                column: 2
            }
        );
    }
}
