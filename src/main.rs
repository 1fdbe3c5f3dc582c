//! `cargo-privacy-check`: the binary cargo runs for `cargo privacy-check`.
//!
//! Cargo runs an external subcommand as `cargo-privacy-check privacy-check
//! ARGS…`; the inserted word is dropped so the binary also works when run
//! directly. Exit status: 0 clean, 1 findings at error level, 2 the check
//! could not run, or its output could not be written. A closed pipe
//! (`| head`) ends the run quietly.
//!
//! Both streams are wrapped once, here, in an [`output::Boundary`] (masks
//! detected values, escapes control characters) in front of the stream
//! that strips styling when colour is off; nothing is written any other
//! way, clap's own messages included.

use std::io::Write;
use std::process::ExitCode;

use cargo_privacy_check::cli::{self, Cli};
use cargo_privacy_check::output::Boundary;

fn main() -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "privacy-check") {
        args.remove(1);
    }
    let parsed = Cli::parse_args(args);
    let choice = match &parsed {
        Ok(cli) => cli.color_choice(),
        Err(_) => cli::env_color_choice(),
    };
    let mut stdout = Boundary::new(anstream::AutoStream::new(std::io::stdout().lock(), choice));
    let mut stderr = Boundary::new(anstream::AutoStream::new(std::io::stderr().lock(), choice));
    let cli = match parsed {
        Ok(cli) => cli,
        // clap prints help and version on stdout (exit 0) and usage errors
        // on stderr (exit 2); its text (which quotes the arguments) goes
        // through the boundary like everything else.
        Err(err) => {
            let text = err.render().ansi().to_string();
            if err.use_stderr() {
                let _ = write!(stderr, "{text}");
                return finish(&mut stdout, &mut stderr, 2);
            }
            let _ = write!(stdout, "{text}");
            return finish(&mut stdout, &mut stderr, 0);
        }
    };
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => {
            let _ = writeln!(stderr, "error: cannot read the current directory: {err}");
            return ExitCode::from(2);
        }
    };
    let status = match cli::run(&cli, &cwd, &mut stdout, &mut stderr) {
        Ok(status) => status,
        Err(cli::Stop::Failure(failure)) => {
            let _ = writeln!(stderr, "{}", failure.render(&cwd));
            cli::EXIT_FAILURE
        }
        Err(cli::Stop::Output(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => {
            cli::EXIT_CLEAN
        }
        Err(cli::Stop::Output(err)) => {
            let _ = writeln!(stderr, "error: cannot write the output: {err}");
            cli::EXIT_FAILURE
        }
    };
    finish(&mut stdout, &mut stderr, status)
}

/// Flushes both streams; output that could not be written is a failure
/// (exit 2), except a pipe whose reader went away.
fn finish<O: Write, E: Write>(
    stdout: &mut Boundary<O>,
    stderr: &mut Boundary<E>,
    status: i32,
) -> ExitCode {
    let status = match stdout.flush() {
        Ok(()) if stdout.bytes_written() > 0 && stdout_was_closed() => {
            let _ = writeln!(
                stderr,
                "error: cannot write the output: standard output is closed"
            );
            cli::EXIT_FAILURE
        }
        Ok(()) => status,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => status,
        Err(err) => {
            let _ = writeln!(stderr, "error: cannot write the output: {err}");
            cli::EXIT_FAILURE
        }
    };
    let _ = stderr.flush();
    ExitCode::from(status as u8)
}

/// Whether the process started with standard output closed (`>&-`). Rust's
/// runtime reopens a closed standard stream on `/dev/null` for reading and
/// writing before `main`, so writes to it succeed and the report would be
/// lost without an error. A shell's `>/dev/null` opens it write-only, which
/// tells the two apart (Linux, through `/proc`; elsewhere this is never
/// detected).
fn stdout_was_closed() -> bool {
    let Ok(target) = std::fs::read_link("/proc/self/fd/1") else {
        return false;
    };
    if target != std::path::Path::new("/dev/null") {
        return false;
    }
    let Ok(info) = std::fs::read_to_string("/proc/self/fdinfo/1") else {
        return false;
    };
    info.lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
        .is_some_and(|flags| flags & 0o3 == 0o2) // O_RDWR
}
