//! `--crate`: published archives, checked and reported as packages are,
//! with a status line while they are read.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use super::failure::Failure;
use super::{render_report, status_of, Cli, MessageFormat, Stop, EXIT_FAILURE};
use crate::archive;
use crate::engine::{self, ScanOptions};
use crate::levels::Levels;
use crate::render::{self, Context};
use crate::report::Report;
use crate::workspace;

/// `--crate`. In the human format each archive's block is printed as soon
/// as it and the archives before it (in the order given) are checked, an
/// archive that cannot be checked as an error in its place, as cargo prints
/// each crate as it is compiled; the table of archives and the `Finished`
/// line close the run. The other formats are written once all are checked,
/// the archives that cannot be checked first. A run with such an archive
/// ends with exit status 2.
pub(super) fn check_archives(
    cli: &Cli,
    levels: Levels,
    cwd: &Path,
    started: Instant,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<i32, Stop> {
    let options = &ScanOptions {
        levels,
        ..ScanOptions::default()
    };
    let selection = workspace::Selection {
        packages: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
        workspace_root: cwd.to_owned(),
        root_manifest: cwd.join("Cargo.toml"),
        members: Vec::new(),
    };
    let mut ctx = super::render_context(cli, cwd, &selection, started);
    let progress = Progress::new(!cli.quiet && io::IsTerminal::is_terminal(&io::stderr()));
    let report = if cli.message_format == MessageFormat::Human {
        check_streaming(cli, options, &ctx, &progress, stderr)?
    } else {
        let report = engine::check_archives_with_progress(
            &cli.crates,
            cwd,
            options,
            &|done, total, archive| progress.update(done, total, archive),
        );
        progress.clear();
        for failure in &report.failures {
            writeln!(stderr, "{}", Failure::of(failure).render(cwd))?;
            writeln!(stderr)?;
        }
        report
    };
    ctx.elapsed = started.elapsed();
    // Nothing checked: a human reader gets the errors alone, not a report
    // of 0 archives and a `Finished` line (the machine formats still say
    // the run failed).
    let checked_nothing = report.packages.is_empty() && !report.failures.is_empty();
    match cli.message_format {
        MessageFormat::Human if !checked_nothing => {
            render::human::render_end(&report, &ctx, stderr)?
        }
        MessageFormat::Human => {}
        MessageFormat::Short if checked_nothing => {}
        _ => render_report(cli, &report, &ctx, stdout, stderr)?,
    }
    if !report.failures.is_empty() {
        let failed = report.failures.len();
        let total = failed + report.packages.len();
        writeln!(
            stderr,
            "{}",
            Failure::new(format!(
                "could not check {failed} of {}",
                render::plural(total, "archive")
            ))
            .render(cwd)
        )?;
        return Ok(EXIT_FAILURE);
    }
    Ok(status_of(&report))
}

/// Checks the archives on other threads and prints each one's block (or
/// error) here, in the order given, as soon as it and those before it are
/// done; the progress line is drawn from this thread between blocks.
fn check_streaming(
    cli: &Cli,
    options: &ScanOptions,
    ctx: &Context<'_>,
    progress: &Progress,
    stderr: &mut dyn Write,
) -> Result<Report, Stop> {
    let (archives, failures) = archive::expand(&cli.crates, ctx.cwd);
    let mut report = Report::default();
    for failure in failures {
        writeln!(stderr, "{}", Failure::of(&failure).render(ctx.cwd))?;
        writeln!(stderr)?;
        report.failures.push(failure);
    }
    let mut said = render::human::Said::default();
    let (sender, received) = std::sync::mpsc::channel();
    std::thread::scope(|scope| -> Result<(), Stop> {
        let archives = &archives;
        scope.spawn(move || {
            engine::check_archives_each(archives, ctx.cwd, options, &|i, result| {
                // The receiver only goes away when writing failed.
                let _ = sender.send((i, result));
            });
        });
        let mut pending = BTreeMap::new();
        let (mut next, mut done) = (0, 0);
        for (i, result) in received {
            done += 1;
            pending.insert(i, result);
            progress.clear();
            while let Some(result) = pending.remove(&next) {
                next += 1;
                match result {
                    Ok(package) => {
                        let one = Report {
                            packages: vec![package],
                            ..Report::default()
                        };
                        render::human::render_packages(&one, ctx, &mut said, stderr)?;
                        report.packages.extend(one.packages);
                    }
                    Err(err) => {
                        writeln!(stderr, "{}", Failure::of(&err).render(ctx.cwd))?;
                        writeln!(stderr)?;
                        report.failures.push(err);
                    }
                }
            }
            if let Some(archive) = archives.get(i) {
                progress.update(done, archives.len(), archive);
            }
        }
        progress.clear();
        Ok(())
    })?;
    Ok(report)
}

/// The status line of a run over archives, rewritten in place on a
/// terminal's stderr while they are checked, and erased before the report.
/// Its text passes [`crate::output::clean`], as all output does; only the
/// carriage return and the erase-line sequence that rewrite it are added
/// here, which the output boundary would escape. It is written to its own
/// handle on the terminal (a duplicate of stderr's descriptor), because the
/// worker threads that report progress cannot take the stderr lock the
/// main thread holds for the whole run. Nothing is written when stderr is
/// not a terminal (nor, for now, off Unix).
struct Progress {
    width: usize,
    /// The terminal, and when the line was last drawn (to draw it at most
    /// every 50 ms).
    state: std::sync::Mutex<Option<(std::fs::File, Option<Instant>)>>,
}

impl Progress {
    fn new(enabled: bool) -> Progress {
        Progress {
            width: render::stderr_width(),
            state: std::sync::Mutex::new(
                if enabled { terminal() } else { None }.map(|t| (t, None)),
            ),
        }
    }

    fn update(&self, done: usize, total: usize, archive: &Path) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let Some((terminal, last)) = state.as_mut() else {
            return;
        };
        if last.is_some_and(|t| t.elapsed().as_millis() < 50) && done < total {
            return;
        }
        *last = Some(Instant::now());
        let line = render::human::progress_line(done, total, archive, self.width);
        let line = crate::output::clean(&line);
        // A status line is best effort: a failed write is not the run's.
        let _ = write!(terminal, "\r{line}\x1b[K");
    }

    fn clear(&self) {
        if let Ok(mut state) = self.state.lock() {
            if let Some((terminal, Some(_))) = state.as_mut() {
                let _ = write!(terminal, "\r\x1b[K");
            }
        }
    }
}

/// A handle of its own on the terminal stderr is.
#[cfg(unix)]
fn terminal() -> Option<std::fs::File> {
    use std::os::fd::AsFd;
    io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .ok()
        .map(std::fs::File::from)
}

#[cfg(not(unix))]
fn terminal() -> Option<std::fs::File> {
    None
}
