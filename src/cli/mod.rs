//! The command line, with cargo's flag names and meanings ([`args`]), and
//! the run: one [`Mode`] chosen from the flags (their combinations checked
//! there, once), then one function per mode.
//!
//! [`run`] returns an exit status and writes only to the streams it is given:
//! diagnostics and status lines to `stderr` (as cargo does), `--list`,
//! `--explain`, `--list-rules`, JSON, SARIF and GitHub annotations to
//! `stdout`. Anything that stops the check from running is a [`Failure`],
//! rendered rustc-style with exit code 2.

use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use clap::ValueEnum;

use crate::levels::Levels;
use crate::render::{self, Context};
use crate::report::Report;

mod args;
mod crates;
mod failure;
mod info;
mod packages;

pub use args::{env_color_choice, Cli, ColorWhen, MessageFormat};
pub use failure::{snippet_span, Failure};

/// Exit statuses.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_FAILURE: i32 = 2;

/// Why a run stopped before its exit status: it could not check
/// ([`Failure`], exit status 2), or its output could not be written.
#[derive(Debug)]
pub enum Stop {
    Failure(Box<Failure>),
    Output(io::Error),
}

impl From<Failure> for Stop {
    fn from(failure: Failure) -> Self {
        Stop::Failure(Box::new(failure))
    }
}

impl From<io::Error> for Stop {
    fn from(err: io::Error) -> Self {
        Stop::Output(err)
    }
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Mode<'a> {
    ListRules,
    Explain(&'a str),
    /// `--crate`: published archives.
    Crates,
    /// `--list`: the files each package ships.
    List,
    PrintConfig,
    /// Check the packages (and fix, or write a baseline).
    Check,
}

impl<'a> Mode<'a> {
    /// The mode the flags ask for, or why they do not go together.
    fn of(cli: &'a Cli) -> Result<Mode<'a>, Failure> {
        if cli.unsafe_fixes && !cli.fix && !cli.dry_run {
            return Err(Failure::new(
                "`--unsafe-fixes` applies fixes: it needs `--fix` or `--dry-run`",
            ));
        }
        if cli.dry_run
            && matches!(
                cli.message_format,
                MessageFormat::Json
                    | MessageFormat::Sarif
                    | MessageFormat::Github
                    | MessageFormat::CargoJson
            )
        {
            let format = cli
                .message_format
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_owned());
            return Err(Failure::new(format!(
                "`--dry-run` prints a diff on stdout, where `--message-format {format}` writes \
                 its output: one stream holds one format"
            ))
            .help("run `--dry-run` with the human or short format"));
        }
        Ok(if cli.list_rules {
            Mode::ListRules
        } else if let Some(name) = &cli.explain {
            Mode::Explain(name)
        } else if !cli.crates.is_empty() {
            Mode::Crates
        } else if cli.list {
            Mode::List
        } else if cli.print_config {
            Mode::PrintConfig
        } else {
            Mode::Check
        })
    }
}

/// Runs the command; `Ok` holds the exit status.
pub fn run(
    cli: &Cli,
    cwd: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<i32, Stop> {
    let started = Instant::now();
    let mode = Mode::of(cli)?;
    if matches!(mode, Mode::ListRules | Mode::Explain(_)) && cli.crates.is_empty() {
        // Custom rules are listed and explained too: read the configuration.
        info::load_custom_rules(cli, cwd)?;
    }
    match mode {
        Mode::ListRules => {
            info::list_rules(cli.message_format, stdout)?;
            return Ok(EXIT_CLEAN);
        }
        Mode::Explain(name) => return info::explain(name, cli.color_choice(), stdout),
        _ => {}
    }
    if mode == Mode::Crates {
        let levels = Levels::from_flags(cli.level_flags.iter().map(|(l, n)| (*l, n.as_str())))
            .map_err(Failure::from)?;
        return crates::check_archives(cli, levels, cwd, started, stdout, stderr);
    }
    // Over packages, a level flag may name a custom rule: the names are
    // checked once the configuration that would define them is read.
    packages::run(cli, &mode, cwd, started, stdout, stderr)
}

/// Writes the report in the chosen format, to the stream cargo would use.
fn render_report(
    cli: &Cli,
    report: &Report,
    ctx: &Context<'_>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<()> {
    // `--color always` keeps the styling in `cargo-json`'s `rendered`, as
    // cargo's `json-diagnostic-rendered-ansi` does (bacon reads it so).
    let ansi = cli.color_choice() == anstream::ColorChoice::Always;
    match cli.message_format {
        MessageFormat::Human => render::human::render(report, ctx, stderr),
        MessageFormat::Short => render::short::render(report, ctx, stderr),
        MessageFormat::Json => render::json::render(report, ctx, stdout),
        MessageFormat::Sarif => render::sarif::render(report, ctx, stdout),
        MessageFormat::Github => render::github::render(report, ctx, stdout),
        MessageFormat::CargoJson => render::cargo_json::render(report, ctx, ansi, stdout),
    }
}

/// The exit status of a report that was checked: 1 when a finding is an
/// error.
fn status_of(report: &Report) -> i32 {
    if report.counts().errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// What the renderers need to know of this run: the flags that shape
/// output, the folder paths are shown from, and the time since `started`.
fn render_context<'a>(
    cli: &Cli,
    cwd: &'a Path,
    selection: &'a crate::workspace::Selection,
    started: Instant,
) -> Context<'a> {
    Context {
        cwd,
        selection,
        verbose: cli.verbose,
        quiet: cli.quiet,
        elapsed: started.elapsed(),
        width: render::stderr_width(),
    }
}
