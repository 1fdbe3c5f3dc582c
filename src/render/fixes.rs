//! What `--fix` did, or `--dry-run` would do ([`FixOutcome`]): the diffs
//! on stdout (dry run), a `Fixed`/`Would fix` status line per file and the
//! notes on stderr, and with `--message-format json` one
//! `{"reason":"fixed",...}` line per file written.

use std::io::{self, Write};
use std::path::Path;

use super::human::{headline, status};
use super::relative;
use crate::diagnostic::Severity;
use crate::fix::MAX_PASSES;
use crate::report::FixOutcome;

/// Renders `outcome`; `json` adds the JSON lines of the files written.
pub fn render(
    outcome: &FixOutcome,
    cwd: &Path,
    quiet: bool,
    json: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<()> {
    for diff in outcome.files.iter().filter_map(|f| f.diff.as_ref()) {
        write!(stdout, "{diff}")?;
    }
    if json && outcome.written {
        for file in &outcome.files {
            let line = serde_json::json!({
                "reason": "fixed",
                "path": relative(&file.path, cwd),
                "fixes": file.fixes,
            });
            writeln!(stdout, "{line}")?;
        }
    }
    if !quiet {
        let verb = if outcome.written {
            "Fixed"
        } else {
            "Would fix"
        };
        for file in &outcome.files {
            let what = format!("{} ({})", relative(&file.path, cwd), fixes(file.fixes));
            status(stderr, verb, &what)?;
        }
    }
    if outcome.overlapping > 0 {
        let n = fixes(outcome.overlapping);
        if outcome.written {
            let message =
                format!("{n} still overlap after {MAX_PASSES} passes and were not applied");
            headline(stderr, Severity::Warning, &message)?;
        } else {
            let message = format!(
                "{n} overlap the ones shown and would be applied by a further pass of `--fix`"
            );
            headline(stderr, Severity::Note, &message)?;
        }
    }
    maybe_incorrect_note(stderr, outcome.maybe_incorrect)
}

fn fixes(n: usize) -> String {
    if n == 1 {
        "1 fix".to_owned()
    } else {
        format!("{n} fixes")
    }
}

fn maybe_incorrect_note(stderr: &mut dyn Write, n: usize) -> io::Result<()> {
    if n == 0 {
        return Ok(());
    }
    headline(
        stderr,
        Severity::Note,
        &format!(
            "{} maybe-incorrect and not applied: review {} below, then apply with `--fix --unsafe-fixes`",
            if n == 1 { "1 fix is".to_owned() } else { format!("{n} fixes are") },
            if n == 1 { "it" } else { "them" }
        ),
    )
}
