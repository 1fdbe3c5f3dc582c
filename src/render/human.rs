//! rustc-style diagnostics and cargo-style status lines.
//!
//! Each finding is one annotate-snippets report: `level[rule]: message`, the
//! `-->` location, the source lines with the value underlined and masked,
//! `= note:` lines, and either a `help:` with the fix rendered as a patch or
//! a `= help:` line. Whole-file findings have a location and no snippet.
//! Output is ANSI-styled; the stream it is written to strips the styling
//! when colour is off.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use annotate_snippets::{
    AnnotationKind, Group, Level as SnippetLevel, Origin, Patch, Renderer, Snippet,
};
use anstyle::{AnsiColor, Style};
use rayon::prelude::*;

use super::{masked_window, plural, relative, Context, FileValues, Totals};
use crate::allow_comments::{AllowProblem, Allowed, MARKER};
use crate::baseline::Applied;
use crate::diagnostic::{escape_input, Finding, Level};
use crate::rules::FileContext;
use crate::scan::{read_text, Counts, NotScannedReason, PackageReport, Report};

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
    // The snippets are rendered in parallel (a finding needs only its
    // file's text, read once), then written in order: on the corpus,
    // reading and rendering thousands of findings one after the other was
    // a tenth of the run.
    let on_disk: Vec<&Path> = report
        .packages
        .iter()
        .filter(|p| p.archive.is_none())
        .flat_map(|p| &p.findings)
        .map(|f| f.path.as_path())
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    let mut texts: HashMap<&Path, Option<String>> = on_disk
        .into_par_iter()
        .map(|path| (path, read_text(path).ok()))
        .collect();
    // Each file's values sorted once, so a finding's window finds its
    // neighbours without going through every finding of the file.
    let on_disk_values: HashMap<&Path, FileValues<'_>> = by_path
        .iter()
        .map(|(path, findings)| (*path, FileValues::of(findings)))
        .collect();
    let rendered: Vec<Vec<String>> = report
        .packages
        .par_iter()
        .map(|package| {
            // An archive's files exist only in memory, in the report: the
            // path is never looked up on disk.
            let archive_values: HashMap<&Path, FileValues<'_>> = if package.archive.is_some() {
                let mut in_archive: HashMap<&Path, Vec<&Finding>> = HashMap::new();
                for f in package.values_to_hide() {
                    in_archive.entry(f.path.as_path()).or_default().push(f);
                }
                in_archive
                    .into_iter()
                    .map(|(path, findings)| (path, FileValues::of(&findings)))
                    .collect()
            } else {
                HashMap::new()
            };
            let none = FileValues::default();
            package
                .findings
                .par_iter()
                .map(|finding| {
                    let path = finding.path.as_path();
                    let (text, values) = if package.archive.is_some() {
                        let text = package.sources.get(&finding.path).map(String::as_str);
                        (text, archive_values.get(path).unwrap_or(&none))
                    } else {
                        let text = texts.get(path).and_then(Option::as_deref);
                        (text, on_disk_values.get(path).unwrap_or(&none))
                    };
                    render_finding(finding, text, values, ctx.cwd)
                })
                .collect()
        })
        .collect();
    for (package, rendered) in report.packages.iter().zip(rendered) {
        if !ctx.quiet {
            let dir = match &package.archive {
                // As the user named it.
                Some(archive) => escape_input(&archive.display().to_string()).into_owned(),
                None => relative(
                    package.manifest_path.parent().unwrap_or(Path::new(".")),
                    ctx.cwd,
                ),
            };
            status(
                out,
                "Checking",
                &format!(
                    "{} v{} ({dir})",
                    escape_input(&package.name),
                    escape_input(&package.version)
                ),
            )?;
        }
        for finding in rendered {
            writeln!(out, "{finding}")?;
            writeln!(out)?;
        }
        for problem in &package.allow_problems {
            let text = texts
                .entry(&problem.path)
                .or_insert_with(|| read_text(&problem.path).ok());
            let shown = shown_values(report, &problem.path);
            writeln!(
                out,
                "{}",
                render_allow_problem(problem, text.as_deref(), shown, ctx.cwd)
            )?;
            writeln!(out)?;
        }
        if ctx.verbose > 0 {
            for allowed in &package.allowed {
                writeln!(out, "{}", render_allowed(allowed, ctx.cwd))?;
                writeln!(out)?;
            }
        }
        not_scanned(package, ctx, out)?;
        summary(package, out)?;
    }
    if let Some(applied) = &report.baseline {
        baseline_notes(applied, ctx, out)?;
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

/// One finding as a rustc-style diagnostic. `values` are the values of
/// the finding's file to mask ([`FileValues::of`] its findings).
pub fn render_finding(
    finding: &Finding,
    text: Option<&str>,
    values: &FileValues<'_>,
    cwd: &Path,
) -> String {
    let path = relative(&finding.path, cwd);
    let title = snippet_level(finding.level)
        .primary_title(finding.message.as_str())
        .id(finding.rule.name);
    // On a long line the window is cut around the span, and the column
    // annotate-snippets computes is then the window's, not the file's.
    let mut columns_cut = None;
    let mut group = match (finding.range.clone(), text) {
        (Some(range), Some(text)) if range.end <= text.len() => {
            // A value over several lines (a PEM key) is shown by its first
            // line, masked to the end of it.
            let first_line_end = text[range.start..range.end]
                .find('\n')
                .map_or(range.end, |i| range.start + i);
            let range = range.start..first_line_end;
            let window = masked_window(text, range.clone(), values, finding.start);
            let mut span = window.map_range(&range);
            if !on_char_boundaries(&window.text, &span) {
                span = 0..0;
            }
            if window.columns_cut > 0 {
                let shown_column = window.text[..span.start].chars().count() + 1;
                columns_cut = Some((window.first_line, shown_column, window.columns_cut));
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
        let window = masked_window(text, edit.range.clone(), values, None);
        if window.columns_cut > 0 {
            return None; // a patch is shown on whole lines only
        }
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
        // A fix that is not one edit in this file (edits across members)
        // is still named, so `--fix` is not a surprise.
        let help = finding
            .help
            .as_deref()
            .or_else(|| finding.fix.as_ref().map(|f| f.description.as_str()));
        if let Some(help) = help {
            group = group.element(SnippetLevel::HELP.message(help));
        }
    }
    report.push(group);
    report.extend(patch);
    let rendered = renderer().render(&report);
    match columns_cut {
        // The `-->` line names the window's column: name the file's.
        Some((line, shown, cut)) => rendered.replacen(
            &format!("{path}:{line}:{shown}"),
            &format!("{path}:{line}:{}", shown + cut),
            1,
        ),
        None => rendered,
    }
}

/// Every value of a file that output must hide: its findings, reported or
/// allowed, as (range, redacted form).
fn shown_values<'a>(report: &'a Report, path: &Path) -> Vec<(std::ops::Range<usize>, &'a str)> {
    report
        .packages
        .iter()
        .flat_map(|p| {
            p.findings
                .iter()
                .chain(p.allowed.iter().map(|a| &a.finding))
        })
        .filter(|f| f.path == path)
        .filter_map(|f| Some((f.range.clone()?, f.redacted.as_str())))
        .collect()
}

/// A warning about an allow comment, with the comment's line shown. The
/// line may hold a value that no reported finding covers (one at `allow`
/// level), so every detector is run over it again and all it matches is
/// masked too: nothing is shown unmasked because a level hid it.
pub fn render_allow_problem(
    problem: &AllowProblem,
    text: Option<&str>,
    values: Vec<(std::ops::Range<usize>, &str)>,
    cwd: &Path,
) -> String {
    let path = relative(&problem.path, cwd);
    let message = problem.message();
    let title = snippet_level(problem.level).primary_title(message.as_str());
    let mut detected = Vec::new();
    let group = match text {
        Some(text) if problem.range.end <= text.len() => {
            let line_start = text[..problem.range.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[problem.range.end..]
                .find('\n')
                .map_or(text.len(), |i| problem.range.end + i);
            let is_manifest = problem.archive_path.starts_with("Cargo.toml");
            let context = FileContext {
                archive_path: &problem.archive_path,
                is_manifest,
                package: &problem.package,
            };
            for m in crate::scan::detect(&text[line_start..line_end], context) {
                let range = line_start + m.range.start..line_start + m.range.end;
                detected.push((range, m.redacted));
            }
            let values = FileValues::new(
                values
                    .into_iter()
                    .chain(detected.iter().map(|(r, s)| (r.clone(), s.as_str()))),
            );
            let window = masked_window(text, problem.range.clone(), &values, Some(problem.start));
            let mut span = window.map_range(&problem.range);
            if !on_char_boundaries(&window.text, &span) {
                span = 0..0;
            }
            title.element(
                Snippet::source(window.text)
                    .line_start(window.first_line)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(span).label(problem.label())),
            )
        }
        _ => title.element(
            Origin::path(path)
                .line(problem.start.line)
                .char_column(problem.start.column),
        ),
    };
    let help = problem.help();
    renderer().render(&[group.element(SnippetLevel::HELP.message(help.as_str()))])
}

/// `-v`: a finding an allow comment silenced, by its location only.
pub fn render_allowed(allowed: &Allowed, cwd: &Path) -> String {
    let f = &allowed.finding;
    let mut origin = Origin::path(relative(&f.path, cwd));
    if let Some(start) = f.start {
        origin = origin.line(start.line).char_column(start.column);
    }
    let title = format!("`{}` finding allowed by a comment", f.rule.name);
    let note = format!(
        "allowed by `{MARKER}` at line {}, column {}",
        allowed.marker.line, allowed.marker.column
    );
    renderer().render(&[SnippetLevel::NOTE
        .primary_title(title.as_str())
        .element(origin)
        .element(SnippetLevel::NOTE.message(note.as_str()))])
}

/// What `--baseline` did: how many findings it hid (unless `-q`), and its
/// entries that matched nothing, so the file can be pruned.
fn baseline_notes(applied: &Applied, ctx: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    let file = escape_input(&applied.path.display().to_string()).into_owned();
    if applied.suppressed > 0 && !ctx.quiet {
        headline(
            out,
            Level::Note,
            &format!(
                "{} suppressed by the baseline `{file}`",
                plural(applied.suppressed, "finding")
            ),
        )?;
    }
    if applied.stale.is_empty() {
        return Ok(());
    }
    let count: usize = applied.stale.iter().map(|s| s.count).sum();
    let title = format!(
        "{} in the baseline `{file}` no longer {} any finding",
        if count == 1 {
            "1 entry".to_owned()
        } else {
            format!("{count} entries")
        },
        if count == 1 { "matches" } else { "match" },
    );
    let notes: Vec<String> = applied
        .stale
        .iter()
        .map(|s| {
            let path = relative(&ctx.selection.workspace_root.join(&s.key.path), ctx.cwd);
            let times = if s.count > 1 {
                format!(" ({} times)", s.count)
            } else {
                String::new()
            };
            format!(
                "`{}` in `{path}` (package `{}`){times}",
                s.key.rule,
                escape_input(&s.key.package)
            )
        })
        .collect();
    let help = format!("prune it with `cargo privacy-check --write-baseline {file}`");
    let group = notes.iter().fold(
        Group::with_title(SnippetLevel::NOTE.primary_title(title.as_str())),
        |group, note| group.element(SnippetLevel::NOTE.message(note.as_str())),
    );
    writeln!(
        out,
        "{}",
        renderer().render(&[group.element(SnippetLevel::HELP.message(help.as_str()))])
    )?;
    writeln!(out)
}

fn on_char_boundaries(text: &str, span: &std::ops::Range<usize>) -> bool {
    span.start <= span.end && text.is_char_boundary(span.start) && text.is_char_boundary(span.end)
}

fn not_scanned(package: &PackageReport, ctx: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    // Binary files and files skipped by configuration are expected: counted
    // (and listed with -v) rather than each a warning.
    let (expected, other): (Vec<_>, Vec<_>) = package
        .not_scanned
        .iter()
        .partition(|n| n.why.is_expected());
    for n in other {
        headline(
            out,
            n.level,
            &format!(
                "`{}` was not scanned: {}",
                relative(&n.path, ctx.cwd),
                n.why
            ),
        )?;
    }
    if expected.is_empty() || ctx.quiet {
        return Ok(());
    }
    if ctx.verbose > 0 {
        for n in expected {
            headline(
                out,
                Level::Note,
                &format!(
                    "`{}` was not scanned: {}",
                    relative(&n.path, ctx.cwd),
                    n.why
                ),
            )?;
        }
    } else {
        for (why, what) in [
            (NotScannedReason::Binary, "not scanned for content (binary)"),
            (
                NotScannedReason::Skipped,
                "skipped by configuration (`skip-paths`)",
            ),
        ] {
            let count = expected.iter().filter(|n| n.why == why).count();
            if count > 0 {
                headline(
                    out,
                    Level::Note,
                    &format!("{} {what}; run with -v to list them", plural(count, "file")),
                )?;
            }
        }
    }
    Ok(())
}

/// cargo's closing line for a package with findings.
fn summary(package: &PackageReport, out: &mut dyn Write) -> io::Result<()> {
    let counts = package.counts();
    let name = escape_input(&package.name);
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
