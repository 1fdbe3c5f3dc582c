//! The modes over the packages `cargo metadata` selects: `--list`,
//! `--print-config`, and the check itself, with `--fix`/`--dry-run`,
//! `--baseline` and `--write-baseline`.

use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use super::failure::Failure;
use super::{info, render_report, status_of, Cli, MessageFormat, Mode, Stop};
use super::{EXIT_CLEAN, EXIT_FAILURE};
use crate::baseline::{self, Baseline};
use crate::config;
use crate::diagnostic::{escape_input, Severity};
use crate::engine::{self, ScanOptions};
use crate::fix;
use crate::levels::Levels;
use crate::render::{self, Context};
use crate::report::Report;
use crate::workspace::{self, SelectOptions, Selection};

/// Selects the packages, then runs `mode` over them.
pub(super) fn run(
    cli: &Cli,
    mode: &Mode<'_>,
    cwd: &Path,
    started: Instant,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<i32, Stop> {
    let options = SelectOptions {
        manifest_path: cli.manifest_path.clone(),
        packages: cli.packages.clone(),
        workspace: cli.workspace,
        exclude: cli.exclude.clone(),
    };
    let selection = workspace::select(&options, cwd).map_err(Failure::from)?;
    for warning in &selection.warnings {
        render::human::headline(stderr, Severity::Warning, &escape_input(warning))?;
    }
    if *mode == Mode::List {
        return info::list_files(&selection, stdout);
    }
    // Read before checking, so a bad file fails fast.
    let mut baseline_file = read_baseline(cli, cwd)?;
    let configs = config::resolve(&selection, &cli.level_flags).map_err(Failure::from)?;
    // Custom rule names are known now: an unknown name is an error here
    // (`run` let it through, since the configuration could define it).
    let levels = Levels::from_flags(cli.level_flags.iter().map(|(l, n)| (*l, n.as_str())))
        .map_err(Failure::from)?;
    for warning in config::rule_warnings(&configs) {
        render::human::headline(stderr, Severity::Warning, warning)?;
    }
    if *mode == Mode::PrintConfig {
        info::print_config(&configs, cwd, stdout)?;
        return Ok(EXIT_CLEAN);
    }
    let options = ScanOptions {
        levels,
        settings: configs
            .iter()
            .map(|c| {
                let root = c.manifest_path.parent().unwrap_or(Path::new("."));
                (c.manifest_path.clone(), c.merged.settings(root))
            })
            .collect(),
        ..ScanOptions::default()
    };
    let mut report = engine::check_selection(&selection, &options).map_err(Failure::from)?;
    if cli.fix || cli.dry_run {
        report = apply_fixes(cli, report, &selection, &options, cwd, stdout, stderr)?;
    }
    if let Some(path) = &cli.write_baseline {
        baseline_file.record(&report, &selection.workspace_root);
        baseline_file
            .write(&cwd.join(path))
            .map_err(|err| Failure::from(err.named(path)))?;
        let findings = report.packages.iter().map(|p| p.findings.len()).sum();
        let shown = render::relative(&cwd.join(path), cwd);
        let entries = baseline_file.entries.len();
        render_baseline_written(cli, &shown, findings, entries, stdout, stderr)?;
        return Ok(EXIT_CLEAN);
    }
    if let Some(path) = &cli.baseline {
        let applied = baseline_file.apply(&mut report, &selection.workspace_root, path);
        report.baseline = Some(applied);
    }
    let ctx = super::render_context(cli, cwd, &selection, started);
    render_checked(cli, report, &ctx, stdout, stderr)
}

/// The baseline `--baseline` reads, or the one `--write-baseline` rewrites
/// (its salt kept); an empty one otherwise.
fn read_baseline(cli: &Cli, cwd: &Path) -> Result<Baseline, Failure> {
    let read = match (&cli.baseline, &cli.write_baseline) {
        (Some(path), _) => Baseline::read(&cwd.join(path)),
        (None, Some(path)) => baseline::for_rewrite(&cwd.join(path)),
        (None, None) => Ok(Baseline::default()),
    };
    // Named as the user wrote it (the `-->` line is relative anyway).
    read.map_err(|err| {
        let given = cli.baseline.iter().chain(&cli.write_baseline).next();
        err.named(given.map_or(Path::new(""), |p| p)).into()
    })
}

/// `--fix` or `--dry-run`: the report after the fixes, with what they did
/// rendered.
fn apply_fixes(
    cli: &Cli,
    report: Report,
    selection: &Selection,
    options: &ScanOptions,
    cwd: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<Report, Stop> {
    let fix_options = fix::Options {
        write: !cli.dry_run,
        maybe_incorrect: cli.unsafe_fixes,
        vcs: fix::VcsPolicy {
            allow_dirty: cli.allow_dirty,
            allow_staged: cli.allow_staged,
            allow_no_vcs: cli.allow_no_vcs,
        },
    };
    let (report, outcome) = match fix::run(report, selection, options, cwd, &fix_options) {
        Ok(done) => done,
        Err(fix::FixError::Input(err)) => return Err(Failure::from(err).into()),
        Err(err) => return Err(Failure::new(err.to_string()).into()),
    };
    let json = cli.message_format == MessageFormat::Json;
    render::fixes::render(&outcome, cwd, cli.quiet, json, stdout, stderr)?;
    Ok(report)
}

/// Renders a checked report. Packages that could not be checked: each its
/// error, after the others' report (none when no package could be), and
/// the run fails (as `--crate` does for an archive).
fn render_checked(
    cli: &Cli,
    report: Report,
    ctx: &Context<'_>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<i32, Stop> {
    if report.package_failures.is_empty() || !report.packages.is_empty() {
        render_report(cli, &report, ctx, stdout, stderr)?;
    }
    if report.package_failures.is_empty() {
        return Ok(status_of(&report));
    }
    for (i, err) in report.package_failures.into_iter().enumerate() {
        if i > 0 {
            writeln!(stderr)?;
        }
        writeln!(stderr, "{}", Failure::from(err).render(ctx.cwd))?;
    }
    Ok(EXIT_FAILURE)
}

/// `--write-baseline`'s one line: a status line, or a JSON object.
fn render_baseline_written(
    cli: &Cli,
    path: &str,
    findings: usize,
    entries: usize,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<()> {
    match cli.message_format {
        MessageFormat::Json => {
            let line = serde_json::json!({
                "reason": "baseline-written",
                "path": path,
                "findings": findings,
                "entries": entries,
            });
            writeln!(stdout, "{line}")
        }
        _ if cli.quiet => Ok(()),
        _ => render::human::status(
            stderr,
            "Wrote",
            &format!(
                "baseline `{path}`: {} accepted",
                render::plural(findings, "finding")
            ),
        ),
    }
}
