//! rustc-style diagnostics and cargo-style status lines.
//!
//! Each finding is one annotate-snippets report: `level[rule]: message`, the
//! `-->` location, the source lines with the value underlined and masked,
//! `= note:` lines, and either a `help:` with the fix rendered as a patch or
//! a `= help:` line. Whole-file findings have a location and no snippet.
//! Output is ANSI-styled; the stream it is written to strips the styling
//! when colour is off.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use annotate_snippets::{
    AnnotationKind, Group, Level as SnippetLevel, Origin, Patch, Renderer, Snippet,
};
use anstyle::{AnsiColor, Style};

use super::{masked_window, plural, relative, Context, Totals};
use crate::diagnostic::{Finding, Level};
use crate::scan::{read_text, Counts, PackageReport, Report};

const STATUS: Style = AnsiColor::Green
    .on_default()
    .effects(anstyle::Effects::BOLD);
const BOLD: Style = Style::new().effects(anstyle::Effects::BOLD);

fn renderer() -> Renderer {
    Renderer::styled()
}

fn snippet_level(level: Level) -> SnippetLevel<'static> {
    match level {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
        Level::Note | Level::Allow => SnippetLevel::NOTE,
    }
}

/// A cargo status line: a right-aligned green verb, then the message.
pub fn status(out: &mut dyn Write, verb: &str, message: &str) -> io::Result<()> {
    writeln!(out, "{STATUS}{verb:>12}{STATUS:#} {message}")
}

/// A one-line `level: message` in rustc's style.
pub fn headline(out: &mut dyn Write, level: Level, message: &str) -> io::Result<()> {
    let report = &[Group::with_title(
        snippet_level(level).primary_title(message),
    )];
    writeln!(out, "{}", renderer().render(report))
}

/// Renders the whole report.
pub fn render(report: &Report, ctx: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    if ctx.verbose > 0 && !ctx.quiet {
        for (name, why) in &ctx.selection.skipped {
            status(out, "Skipping", &format!("{name} ({why}: never uploaded)"))?;
        }
    }
    let by_path = report.findings_by_path();
    let mut texts: HashMap<&Path, Option<String>> = HashMap::new();
    for package in &report.packages {
        if !ctx.quiet {
            let dir = match &package.archive {
                // As the user named it.
                Some(archive) => archive.display().to_string(),
                None => relative(
                    package.manifest_path.parent().unwrap_or(Path::new(".")),
                    ctx.cwd,
                ),
            };
            status(
                out,
                "Checking",
                &format!("{} v{} ({dir})", package.name, package.version),
            )?;
        }
        for finding in &package.findings {
            // An archive's files exist only in memory, in the report: the
            // path is never looked up on disk.
            let (text, in_file) = if package.archive.is_some() {
                let in_file: Vec<&Finding> = package
                    .findings
                    .iter()
                    .filter(|f| f.path == finding.path)
                    .collect();
                let text = package.sources.get(&finding.path).map(String::as_str);
                (text, Cow::Owned(in_file))
            } else {
                let text = texts
                    .entry(&finding.path)
                    .or_insert_with(|| read_text(&finding.path).ok())
                    .as_deref();
                let in_file = by_path
                    .get(finding.path.as_path())
                    .map_or(&[][..], Vec::as_slice);
                (text, Cow::Borrowed(in_file))
            };
            writeln!(out, "{}", render_finding(finding, text, &in_file, ctx.cwd))?;
            writeln!(out)?;
        }
        not_scanned(package, ctx, out)?;
        summary(package, out)?;
    }
    if !ctx.quiet {
        let totals = Totals::of(report);
        status(
            out,
            "Finished",
            &format!(
                "privacy check of {} ({}, {}) in {:.2}s",
                plural(totals.packages, totals.unit),
                plural(totals.files_scanned, "file"),
                human_bytes(totals.bytes_scanned),
                ctx.elapsed.as_secs_f64()
            ),
        )?;
    }
    Ok(())
}

/// One finding as a rustc-style diagnostic.
pub fn render_finding(
    finding: &Finding,
    text: Option<&str>,
    in_file: &[&Finding],
    cwd: &Path,
) -> String {
    let path = relative(&finding.path, cwd);
    let title = snippet_level(finding.level)
        .primary_title(finding.message.as_str())
        .id(finding.rule.name);
    let mut group = match (finding.range.clone(), text) {
        (Some(range), Some(text)) if range.end <= text.len() => {
            // A value over several lines (a PEM key) is shown by its first
            // line, masked to the end of it.
            let first_line_end = text[range.start..range.end]
                .find('\n')
                .map_or(range.end, |i| range.start + i);
            let range = range.start..first_line_end;
            let window = masked_window(text, range.clone(), in_file);
            let mut span = window.map_range(&range);
            if !on_char_boundaries(&window.text, &span) {
                span = 0..0;
            }
            let mut annotation = AnnotationKind::Primary.span(span);
            if !finding.label.is_empty() {
                annotation = annotation.label(finding.label.as_str());
            }
            title.element(
                Snippet::source(window.text)
                    .line_start(window.first_line)
                    .path(path.clone())
                    .annotation(annotation),
            )
        }
        _ => {
            let mut origin = Origin::path(path.clone());
            if let Some(start) = finding.start {
                origin = origin.line(start.line).char_column(start.column);
            }
            title.element(origin)
        }
    };
    for note in &finding.notes {
        group = group.element(SnippetLevel::NOTE.message(note.as_str()));
    }
    let mut report = vec![];
    let patch = finding.fix.as_ref().and_then(|fix| {
        let text = text?;
        // One edit in the finding's own file is shown as a patch.
        let [edit] = fix.edits.as_slice() else {
            return None;
        };
        if edit.path != finding.path || edit.range.end > text.len() {
            return None;
        }
        let window = masked_window(text, edit.range.clone(), in_file);
        let span = window.map_range(&edit.range);
        if !on_char_boundaries(&window.text, &span) {
            return None;
        }
        Some(
            SnippetLevel::HELP
                .secondary_title(fix.description.as_str())
                .element(
                    Snippet::source(window.text)
                        .line_start(window.first_line)
                        .path(path.clone())
                        .patch(Patch::new(span, edit.replacement.clone())),
                ),
        )
    });
    if patch.is_none() {
        if let Some(help) = &finding.help {
            group = group.element(SnippetLevel::HELP.message(help.as_str()));
        }
    }
    report.push(group);
    report.extend(patch);
    renderer().render(&report)
}

fn on_char_boundaries(text: &str, span: &std::ops::Range<usize>) -> bool {
    span.start <= span.end && text.is_char_boundary(span.start) && text.is_char_boundary(span.end)
}

fn not_scanned(package: &PackageReport, ctx: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    let (binary, other): (Vec<_>, Vec<_>) =
        package.not_scanned.iter().partition(|n| n.why == "binary");
    for n in other {
        headline(
            out,
            Level::Warning,
            &format!(
                "`{}` was not scanned: {}",
                relative(&n.path, ctx.cwd),
                n.why
            ),
        )?;
    }
    if binary.is_empty() || ctx.quiet {
        return Ok(());
    }
    if ctx.verbose > 0 {
        for n in binary {
            headline(
                out,
                Level::Note,
                &format!("`{}` was not scanned: binary", relative(&n.path, ctx.cwd)),
            )?;
        }
    } else {
        headline(
            out,
            Level::Note,
            &format!(
                "{} not scanned for content (binary); run with -v to list them",
                plural(binary.len(), "file")
            ),
        )?;
    }
    Ok(())
}

/// cargo's closing line for a package with findings.
fn summary(package: &PackageReport, out: &mut dyn Write) -> io::Result<()> {
    let counts = Counts::of(&package.findings);
    let name = &package.name;
    let message = match counts {
        Counts {
            errors: 0,
            warnings: 0,
            notes: 0,
        } => return Ok(()),
        Counts {
            errors: 0,
            warnings: 0,
            notes,
        } => (
            Level::Note,
            format!("`{name}` generated {}", plural(notes, "note")),
        ),
        Counts {
            errors: 0,
            warnings,
            notes,
        } => (
            Level::Warning,
            format!(
                "`{name}` generated {}{}",
                plural(warnings, "warning"),
                and_notes(notes)
            ),
        ),
        Counts {
            errors,
            warnings,
            notes,
        } => (
            Level::Error,
            format!(
                "`{name}` must not be published as it is: {}{}{}",
                plural(errors, "error"),
                if warnings > 0 {
                    format!(", {}", plural(warnings, "warning"))
                } else {
                    String::new()
                },
                if notes > 0 {
                    format!(", {}", plural(notes, "note"))
                } else {
                    String::new()
                },
            ),
        ),
    };
    headline(out, message.0, &message.1)?;
    writeln!(out, "{BOLD}{BOLD:#}")
}

fn and_notes(notes: usize) -> String {
    if notes == 0 {
        String::new()
    } else {
        format!(" and {}", plural(notes, "note"))
    }
}

/// Sizes the way cargo prints them (`12.3KiB`).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes}B")
    } else {
        format!("{size:.1}{}", UNITS[unit])
    }
}
