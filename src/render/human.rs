//! rustc-style diagnostics and cargo-style status lines.
//!
//! Each diagnostic ([`super::Diagnostic`]: a value of a rule in a file,
//! however often it occurs, and the rule's other values first seen on the
//! same line) is one annotate-snippets report: `level[rule]: message`, the
//! `-->` location, the source lines with each value on the line underlined
//! and masked, a note counting the other occurrences with their lines,
//! `= note:` lines, and either a `help:` with the fixes rendered as one
//! patch or a `= help:` line. Whole-file findings have a location and no
//! snippet. Notes that would repeat on every diagnostic of a rule ("public
//! and permanent", why `-D warnings` made a warning an error) are printed
//! once per rule per run, with its first diagnostic, as rustc prints
//! `#[warn(...)] on by default` once. Snippets are fitted to the width in
//! the [`Context`]. Output is ANSI-styled; the stream it is written to
//! strips the styling when colour is off.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;

use annotate_snippets::{
    AnnotationKind, Group, Level as SnippetLevel, Origin, Patch, Renderer, Snippet,
};
use anstyle::{AnsiColor, Style};
use rayon::prelude::*;

use super::{
    diagnostics, grouped_counts, is_permanent_note, masked_window, more_occurrences, plural,
    promoted_note, relative, Context, Diagnostic, Shown, ShownFiles, Totals,
};
use crate::allow_comments::{AllowProblem, Allowed, MARKER};
use crate::diagnostic::{escape_input, Finding, Severity};
use crate::report::Applied;
use crate::report::{Counts, NotScannedReason, PackageReport, Report};

const STATUS: Style = AnsiColor::Green
    .on_default()
    .effects(anstyle::Effects::BOLD);
const BOLD: Style = Style::new().effects(anstyle::Effects::BOLD);

fn renderer() -> Renderer {
    Renderer::styled()
}

fn snippet_level(level: Severity) -> SnippetLevel<'static> {
    match level {
        Severity::Error => SnippetLevel::ERROR,
        Severity::Warning => SnippetLevel::WARNING,
        Severity::Note => SnippetLevel::NOTE,
    }
}

/// A cargo status line: a right-aligned green verb, then the message.
pub fn status(out: &mut dyn Write, verb: &str, message: &str) -> io::Result<()> {
    writeln!(out, "{STATUS}{verb:>12}{STATUS:#} {message}")
}

/// A one-line `level: message` in rustc's style.
pub fn headline(out: &mut dyn Write, level: Severity, message: &str) -> io::Result<()> {
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
    render_packages(report, ctx, &mut Said::default(), out)?;
    render_end(report, ctx, out)
}

/// The notes said once per rule per run, and for which rules they were
/// said: carried from one call of [`render_packages`] to the next when a
/// run's packages are rendered as they are checked.
#[derive(Default)]
pub struct Said {
    permanent: HashSet<&'static str>,
    promoted: HashSet<&'static str>,
}

/// Each package's block: its `Checking` line, diagnostics, allow problems,
/// files not scanned and summary.
pub fn render_packages(
    report: &Report,
    ctx: &Context<'_>,
    said: &mut Said,
    out: &mut dyn Write,
) -> io::Result<()> {
    // What output shows of each file, from the report: nothing is read
    // from disk here.
    let shown = ShownFiles::of(report);
    // A value repeated through a file is one diagnostic.
    let grouped: Vec<Vec<Diagnostic<'_>>> = report
        .packages
        .iter()
        .map(|p| diagnostics(&p.findings))
        .collect();
    let rendered = render_diagnostics(&grouped, &shown, ctx, said);
    for (i, (package, rendered)) in report.packages.iter().zip(rendered).enumerate() {
        if !ctx.quiet {
            checking(package, out)?;
        }
        for finding in rendered {
            writeln!(out, "{finding}")?;
            writeln!(out)?;
        }
        for problem in &package.allow_problems {
            let excerpt = shown.holding(&problem.path, &problem.range);
            writeln!(out, "{}", render_allow_problem(problem, excerpt, ctx.cwd))?;
            writeln!(out)?;
        }
        if ctx.verbose > 0 {
            for allowed in &package.allowed {
                writeln!(out, "{}", render_allowed(allowed, ctx.cwd))?;
                writeln!(out)?;
            }
        }
        not_scanned(package, ctx, out)?;
        summary(package, &grouped[i], out)?;
    }
    Ok(())
}

/// What follows the packages: the baseline's notes, the table of archives,
/// and the `Finished` line.
pub fn render_end(report: &Report, ctx: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    if let Some(applied) = &report.baseline {
        baseline_notes(applied, ctx, out)?;
    }
    let grouped: Vec<Vec<Diagnostic<'_>>> = report
        .packages
        .iter()
        .map(|p| diagnostics(&p.findings))
        .collect();
    archive_table(report, &grouped, out)?;
    if !ctx.quiet {
        finished(report, ctx, out)?;
    }
    Ok(())
}

/// Every diagnostic rendered, in parallel, in output order. The notes said
/// once per rule per run go with the rule's first diagnostic, decided here,
/// in output order, before rendering in parallel.
fn render_diagnostics(
    grouped: &[Vec<Diagnostic<'_>>],
    shown: &ShownFiles<'_>,
    ctx: &Context<'_>,
    said: &mut Said,
) -> Vec<Vec<String>> {
    let once: Vec<Vec<Once>> = grouped
        .iter()
        .map(|ds| {
            ds.iter()
                .map(|d| Once {
                    permanent: d.first.notes.iter().any(|n| is_permanent_note(n))
                        && said.permanent.insert(d.first.rule.name),
                    promoted: d.first.promoted && said.promoted.insert(d.first.rule.name),
                })
                .collect()
        })
        .collect();
    grouped
        .par_iter()
        .zip(&once)
        .map(|(grouped, once)| {
            grouped
                .par_iter()
                .zip(once)
                .map(|(diagnostic, once)| {
                    let first = diagnostic.first;
                    let excerpt = first
                        .range
                        .as_ref()
                        .and_then(|r| shown.holding(&first.path, r));
                    render_diagnostic(diagnostic, excerpt, ctx.cwd, ctx.width, *once)
                })
                .collect()
        })
        .collect()
}

/// A package's `Checking` line: its folder as cargo shows it (absolute), or
/// the archive as the user named it.
fn checking(package: &PackageReport, out: &mut dyn Write) -> io::Result<()> {
    let dir = match &package.archive {
        Some(archive) => archive.display().to_string(),
        None => package
            .manifest_path
            .parent()
            .unwrap_or(Path::new("."))
            .display()
            .to_string(),
    };
    let message = format!(
        "{} v{} ({})",
        escape_input(&package.name),
        escape_input(&package.version),
        escape_input(&dir)
    );
    status(out, "Checking", &message)
}

/// The run's `Finished` line.
fn finished(report: &Report, ctx: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
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
    )
}

/// Which of the notes said once per rule per run a diagnostic carries.
#[derive(Clone, Copy, Debug, Default)]
pub struct Once {
    /// "public and permanent" (the rule's other diagnostics leave it out).
    pub permanent: bool,
    /// Why a warning is an error (`-D warnings`).
    pub promoted: bool,
}

/// One diagnostic in rustc's style: the first occurrence with its snippet,
/// a label under each other occurrence on the same line, a note counting
/// the others with their lines, and the fixes of the labelled occurrences
/// as one patch. `excerpt` is the report's excerpt of the file that holds
/// the first occurrence, with the values in it to mask.
pub fn render_diagnostic(
    diagnostic: &Diagnostic<'_>,
    excerpt: Option<&Shown<'_>>,
    cwd: &Path,
    width: usize,
    once: Once,
) -> String {
    let finding = diagnostic.first;
    let path = relative(&finding.path, cwd);
    let title = snippet_level(finding.level)
        .primary_title(finding.message.as_str())
        .id(finding.rule.name);
    // Occurrences no label shows, for the note.
    let mut unshown: Vec<&Finding> = Vec::new();
    // Occurrences labelled in the snippet, whose fixes make the patch.
    let mut shown: Vec<&Finding> = vec![finding];
    // On a long line the window is cut around the span, and the column
    // annotate-snippets computes is then the window's, not the file's.
    let mut columns_cut = None;
    let labelled = excerpt.and_then(|excerpt| {
        let range = excerpt.local(finding.range.as_ref()?)?;
        Some(labelled_snippet(diagnostic, excerpt, range))
    });
    let mut group = match labelled {
        Some(labelled) => {
            columns_cut = labelled.columns_cut;
            shown.extend(labelled.shown);
            unshown.extend(labelled.unshown);
            title.element(labelled.snippet.path(path.clone()))
        }
        _ => {
            unshown.extend(diagnostic.same_line.iter().copied());
            let mut origin = Origin::path(path.clone());
            if let Some(start) = finding.start {
                origin = origin.line(start.line).char_column(start.column);
            }
            title.element(origin)
        }
    };
    unshown.extend(diagnostic.more.iter().copied());
    let more = more_occurrences(&shown, &unshown);
    if let Some(more) = &more {
        group = group.element(SnippetLevel::NOTE.message(more.as_str()));
    }
    for note in &finding.notes {
        if once.permanent || !is_permanent_note(note) {
            group = group.element(SnippetLevel::NOTE.message(note.as_str()));
        }
    }
    let promoted = once.promoted.then(|| promoted_note(finding.rule.name));
    if let Some(promoted) = &promoted {
        group = group.element(SnippetLevel::NOTE.message(promoted.as_str()));
    }
    let mut report = vec![];
    let patch = excerpt.and_then(|excerpt| patch(&shown, excerpt, &path));
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
    let rendered = renderer().term_width(width).render(&report);
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

/// The snippet of a diagnostic whose first occurrence lies in `excerpt` (at
/// `range` of it): that line, values masked, a label on each occurrence
/// the window shows.
struct Labelled<'a> {
    snippet: Snippet<'a, annotate_snippets::Annotation<'a>>,
    /// The other occurrences on the line the snippet labels, and those it
    /// cannot (outside the window, or not on character boundaries).
    shown: Vec<&'a Finding>,
    unshown: Vec<&'a Finding>,
    /// On a cut line: (line, column shown, columns cut before the window).
    columns_cut: Option<(usize, usize, usize)>,
}

fn labelled_snippet<'a>(
    diagnostic: &Diagnostic<'a>,
    excerpt: &Shown<'_>,
    range: std::ops::Range<usize>,
) -> Labelled<'a> {
    let finding = diagnostic.first;
    let (text, values) = (excerpt.text(), &excerpt.values);
    // A value over several lines (a PEM key) is shown by its first line,
    // masked to the end of it.
    let first_line = |range: std::ops::Range<usize>| {
        let end = text[range.start..range.end]
            .find('\n')
            .map_or(range.end, |i| range.start + i);
        range.start..end
    };
    let range = first_line(range);
    let window = masked_window(text, range.clone(), values, finding.start);
    let mut span = window.map_range(&range);
    if !on_char_boundaries(&window.text, &span) {
        span = 0..0;
    }
    let columns_cut = (window.columns_cut > 0).then(|| {
        let shown_column = window.text[..span.start].chars().count() + 1;
        (window.first_line, shown_column, window.columns_cut)
    });
    let label = |annotation: annotate_snippets::Annotation<'a>, f: &'a Finding| {
        if f.label.is_empty() {
            annotation
        } else {
            annotation.label(f.label.as_str())
        }
    };
    let mut annotations = vec![label(AnnotationKind::Primary.span(span), finding)];
    let (mut shown, mut unshown) = (Vec::new(), Vec::new());
    for &other in &diagnostic.same_line {
        let span = other
            .range
            .as_ref()
            .and_then(|r| excerpt.local(r))
            .map(first_line)
            .filter(|r| window.covers(r))
            .map(|r| window.map_range(&r))
            .filter(|span| on_char_boundaries(&window.text, span));
        match span {
            Some(span) => {
                annotations.push(label(AnnotationKind::Primary.span(span), other));
                shown.push(other);
            }
            None => unshown.push(other),
        }
    }
    Labelled {
        snippet: Snippet::source(window.text)
            .line_start(window.first_line)
            .annotations(annotations),
        shown,
        unshown,
        columns_cut,
    }
}

/// The fixes of the labelled occurrences as one patch: each must be one
/// edit in the diagnostic's own file, shown on whole lines; the first
/// occurrence's must be, or there is no patch (its help is named instead).
fn patch<'a>(shown: &[&'a Finding], excerpt: &Shown<'a>, path: &str) -> Option<Group<'a>> {
    let (text, values) = (excerpt.text(), &excerpt.values);
    // Each edit as a range of the excerpt.
    let edit_of = |f: &&'a Finding| {
        let fix = f.fix.as_ref()?;
        let [edit] = fix.edits.as_slice() else {
            return None;
        };
        let range = excerpt.local(&edit.range)?;
        (edit.path == f.path).then_some((fix, edit, range))
    };
    let first = edit_of(shown.first()?)?;
    let mut edits = vec![first];
    for f in &shown[1..] {
        if let Some((fix, edit, range)) = edit_of(f) {
            // Overlapping edits cannot be one patch: the later is left out.
            if edits
                .iter()
                .all(|(_, _, r)| r.end <= range.start || range.end <= r.start)
            {
                edits.push((fix, edit, range));
            }
        }
    }
    edits.sort_by_key(|(_, _, r)| r.start);
    let whole = edits[0].2.start..edits.iter().map(|(_, _, r)| r.end).max()?;
    let mut window = masked_window(text, whole, values, None);
    // Lines counted from the excerpt's start.
    window.first_line += excerpt.excerpt.first_line - 1;
    if window.columns_cut > 0 {
        return None; // a patch is shown on whole lines only
    }
    let mut patches = Vec::new();
    for (_, edit, range) in &edits {
        let span = window.map_range(range);
        if !on_char_boundaries(&window.text, &span) {
            return None;
        }
        patches.push(Patch::new(span, edit.replacement.clone()));
    }
    // One description for the fixes that say the same, in their order.
    let mut descriptions: Vec<&str> = Vec::new();
    for (fix, _, _) in &edits {
        if !descriptions.contains(&fix.description.as_str()) {
            descriptions.push(&fix.description);
        }
    }
    let description = descriptions.join("; ");
    Some(
        SnippetLevel::HELP.secondary_title(description).element(
            Snippet::source(window.text)
                .line_start(window.first_line)
                .path(path.to_owned())
                .patches(patches),
        ),
    )
}

/// A warning about an allow comment, with the comment's line shown, every
/// value on it masked (the report's excerpt says which).
pub fn render_allow_problem(
    problem: &AllowProblem,
    excerpt: Option<&Shown<'_>>,
    cwd: &Path,
) -> String {
    let path = relative(&problem.path, cwd);
    let message = problem.message();
    let title = snippet_level(problem.level).primary_title(message.as_str());
    let local = excerpt.and_then(|e| Some((e, e.local(&problem.range)?)));
    let group = match local {
        Some((excerpt, range)) => {
            let window = masked_window(
                excerpt.text(),
                range.clone(),
                &excerpt.values,
                Some(problem.start),
            );
            let mut span = window.map_range(&range);
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
            Severity::Note,
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
                Severity::Note,
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
                    Severity::Note,
                    &format!("{} {what}; run with -v to list them", plural(count, "file")),
                )?;
            }
        }
    }
    Ok(())
}

/// cargo's closing line for a package with findings.
///
/// Diagnostics are counted, each once, and the occurrences they stand for
/// are added when there are more of them: `1 warning (451 occurrences)`.
fn summary(
    package: &PackageReport,
    diagnostics: &[Diagnostic<'_>],
    out: &mut dyn Write,
) -> io::Result<()> {
    let (counts, occurrences) = grouped_counts(package, diagnostics);
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
            Severity::Note,
            format!("`{name}` generated {}", plural(notes, "note")),
        ),
        Counts {
            errors: 0,
            warnings,
            notes,
        } => (
            Severity::Warning,
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
            Severity::Error,
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
    let total = counts.errors + counts.warnings + counts.notes;
    let occurrences = if occurrences > total {
        format!(" ({occurrences} occurrences)")
    } else {
        String::new()
    };
    headline(out, message.0, &format!("{}{occurrences}", message.1))?;
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

/// After a run over several archives, one row per archive that had
/// something (diagnostics, counted as in its summary line) and one line
/// counting those that had nothing, so an audit of a registry cache reads
/// in one screen.
fn archive_table(
    report: &Report,
    grouped: &[Vec<Diagnostic<'_>>],
    out: &mut dyn Write,
) -> io::Result<()> {
    let archives = report
        .packages
        .iter()
        .filter(|p| p.archive.is_some())
        .count();
    if archives < 2 {
        return Ok(());
    }
    let rows: Vec<(String, Counts)> = report
        .packages
        .iter()
        .zip(grouped)
        .filter_map(|(package, diagnostics)| {
            let archive = package.archive.as_ref()?;
            let (counts, _) = grouped_counts(package, diagnostics);
            if counts.errors + counts.warnings + counts.notes == 0 {
                return None;
            }
            let name = archive.file_name().map_or_else(
                || archive.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            Some((escape_input(&name).into_owned(), counts))
        })
        .collect();
    let clean = archives - rows.len();
    let message = format!(
        "{} of {archives} archives had findings, {clean} had none",
        rows.len()
    );
    status(out, "Summary", &message)?;
    if rows.is_empty() {
        return Ok(());
    }
    let width = rows
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0)
        .max("archive".len());
    writeln!(
        out,
        "{BOLD}{:<width$}  {:>6}  {:>8}  {:>5}{BOLD:#}",
        "archive", "errors", "warnings", "notes"
    )?;
    for (name, c) in &rows {
        writeln!(
            out,
            "{name:<width$}  {:>6}  {:>8}  {:>5}",
            c.errors, c.warnings, c.notes
        )?;
    }
    writeln!(out)
}

/// The status line a run over many archives shows while it works (stderr
/// only, when it is a terminal; the caller rewrites it in place):
/// `    Checking [=====>      ] 120/648: foo-1.2.3.crate`, cut to `width`.
pub fn progress_line(done: usize, total: usize, archive: &Path, width: usize) -> String {
    const BAR: usize = 25;
    let filled = (done * BAR).checked_div(total).unwrap_or(BAR).min(BAR);
    let bar: String = match filled {
        BAR => "=".repeat(BAR),
        0 => " ".repeat(BAR),
        n => format!("{}>{}", "=".repeat(n - 1), " ".repeat(BAR - n)),
    };
    let name = archive.file_name().map_or_else(
        || archive.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let line = format!(
        "{:>12} [{bar}] {done}/{total}: {}",
        "Checking",
        escape_input(&name)
    );
    // One terminal line, or the next rewrite would not erase it all.
    line.chars().take(width.saturating_sub(1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_fills_its_bar_and_fits_the_terminal() {
        let archive = Path::new("cache/foo-1.2.3.crate");
        assert_eq!(
            progress_line(120, 600, archive, 200),
            "    Checking [====>                    ] 120/600: foo-1.2.3.crate"
        );
        assert!(progress_line(600, 600, archive, 200).contains(&format!("[{}]", "=".repeat(25))));
        assert_eq!(progress_line(1, 600, archive, 30).chars().count(), 29);
        // A name from the input cannot move the cursor.
        let line = progress_line(1, 2, Path::new("a\rb.crate"), 200);
        assert!(line.ends_with("a\\u{d}b.crate"), "{line}");
    }
}
