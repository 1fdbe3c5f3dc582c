//! `cargo-privacy-check`: the binary cargo runs for `cargo privacy-check`.
//!
//! Cargo runs an external subcommand as `cargo-privacy-check privacy-check
//! ARGS…`; the inserted word is dropped so the binary also works when run
//! directly. Exit status: 0 clean, 1 findings at error level, 2 the check
//! could not run. A closed pipe (`| head`) ends the run quietly.

use std::io::Write;
use std::process::ExitCode;

use cargo_privacy_check::cli::{self, Cli};

fn main() -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "privacy-check") {
        args.remove(1);
    }
    let cli = match Cli::parse_args(args) {
        Ok(cli) => cli,
        // clap prints help and version on stdout (exit 0) and usage errors
        // on stderr (exit 2).
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let choice = cli.color_choice();
    let mut stdout = anstream::AutoStream::new(std::io::stdout().lock(), choice);
    let mut stderr = anstream::AutoStream::new(std::io::stderr().lock(), choice);
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => {
            let _ = writeln!(stderr, "error: cannot read the current directory: {err}");
            return ExitCode::from(2);
        }
    };
    let status = match cli::run(&cli, &cwd, &mut stdout, &mut stderr) {
        Ok(Ok(status)) => status,
        Ok(Err(failure)) => {
            let _ = writeln!(stderr, "{}", failure.render(&cwd));
            cli::EXIT_FAILURE
        }
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => cli::EXIT_CLEAN,
        Err(err) => {
            let _ = writeln!(stderr, "error: {err}");
            cli::EXIT_FAILURE
        }
    };
    let _ = stdout.flush();
    ExitCode::from(status as u8)
}
