//! `--crate`: published archives, checked and reported as packages are,
//! with a status line while they are read.

use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use super::failure::Failure;
use super::{render_report, status_of, Cli, MessageFormat, Stop, EXIT_FAILURE};
use crate::engine::{self, ScanOptions};
use crate::levels::Levels;
use crate::render::{self, Context};
use crate::workspace;

/// `--crate`: archives that cannot be checked are reported first, each as
/// an error of its own; the others are checked and reported as packages
/// are; the run then ends with exit status 2.
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
    let report = {
        let progress = Progress::new(!cli.quiet && io::IsTerminal::is_terminal(&io::stderr()));
        let report = engine::check_archives_with_progress(
            &cli.crates,
            cwd,
            options,
            &|done, total, archive| progress.update(done, total, archive),
        );
        progress.clear();
        report
    };
    for failure in &report.failures {
        writeln!(stderr, "{}", Failure::of(failure).render(cwd))?;
        writeln!(stderr)?;
    }
    let selection = workspace::Selection {
        packages: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
        workspace_root: cwd.to_owned(),
        root_manifest: cwd.join("Cargo.toml"),
        members: Vec::new(),
    };
    let ctx = Context {
        cwd,
        selection: &selection,
        verbose: cli.verbose,
        quiet: cli.quiet,
        elapsed: started.elapsed(),
        width: render::stderr_width(),
    };
    // Nothing checked: a human reader gets the errors alone, not a report
    // of 0 archives and a `Finished` line (the machine formats still say
    // the run failed).
    let checked_nothing = report.packages.is_empty() && !report.failures.is_empty();
    let human = matches!(
        cli.message_format,
        MessageFormat::Human | MessageFormat::Short
    );
    if !(checked_nothing && human) {
        render_report(cli, &report, &ctx, stdout, stderr)?;
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
