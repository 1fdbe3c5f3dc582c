//! `--message-format github`: GitHub Actions workflow commands on stdout, one
//! annotation per finding, which the runner shows on the pull request's
//! diff and in the run's summary.
//!
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=T::MESSAGE`;
//! warnings are `::warning`, notes `::notice`, and a whole-file finding
//! carries `file=` alone. `PATH` is relative to the repository root (see
//! [`super::repository_root`]), which is what the runner resolves it
//! against; `endColumn` is the same number as JSON's `end_column` and
//! SARIF's `endColumn` (exclusive): GitHub does not say whether its end is
//! inclusive, and one convention across formats is easier to reason about.
//! The message is the finding's message, then its notes and help, one a
//! line; it never holds the matched value. Values are escaped exactly as
//! the runner unescapes them ([`escape_data`], [`escape_property`]). The last
//! line is a plain-text summary (not a command, so it only shows in the log).

use std::io::{self, Write};

use super::{plural, relative, repository_root, Context};
use crate::diagnostic::{Finding, Severity};
use crate::report::Report;

/// Escapes a command's message (what follows the second `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=…`, `title=…`): the message escapes plus
/// the two characters that delimit properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(level: Severity) -> &'static str {
    match level {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// One workflow command for a finding.
pub fn annotation(f: &Finding, path: &str) -> String {
    let mut properties = vec![format!("file={}", escape_property(path))];
    if let (Some(start), Some(end)) = (f.start, f.end) {
        properties.push(format!("line={}", start.line));
        properties.push(format!("col={}", start.column));
        properties.push(format!("endLine={}", end.line));
        properties.push(format!("endColumn={}", end.column));
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("privacy-check({})", f.rule.name))
    ));
    let mut message = f.message.clone();
    for note in &f.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{} {}::{}",
        command(f.level),
        properties.join(","),
        escape_data(&message)
    )
}

pub fn render(report: &Report, ctx: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    let root = repository_root(&ctx.selection.workspace_root);
    for f in report.packages.iter().flat_map(|p| &p.findings) {
        writeln!(out, "{}", annotation(f, &relative(&f.path, root)))?;
    }
    // What could not be checked is an error annotation of its own (with no
    // file: it may be outside the repository), and counted.
    let failures = report.failure_messages();
    for (_, message) in &failures {
        writeln!(out, "::error::{}", escape_data(message))?;
    }
    let counts = report.counts();
    writeln!(
        out,
        "cargo privacy-check: {}, {}, {}",
        plural(counts.errors + failures.len(), "error"),
        plural(counts.warnings, "warning"),
        plural(counts.notes, "note")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Position, ValueDigest};

    fn finding(level: Severity, at: Option<(Position, Position)>) -> Finding {
        Finding {
            rule: &crate::rules::authors::AUTHOR_EMAIL,
            level,
            package: "demo".into(),
            path: "Cargo.toml".into(),
            archive_path: "Cargo.toml.orig".into(),
            range: at.map(|_| 10..20),
            start: at.map(|(s, _)| s),
            end: at.map(|(_, e)| e),
            byte_region: None,
            message: "50% off: a,b\r\nnext".into(),
            label: String::new(),
            redacted: "jane…@gmail.com".into(),
            notes: vec!["n1".into()],
            help: Some("h: 1, 2".into()),
            fix: None,
            digest: ValueDigest::of(b"x"),
            promoted: false,
        }
    }

    #[test]
    fn data_escapes_percent_cr_and_lf_only() {
        assert_eq!(escape_data("100%"), "100%25");
        assert_eq!(escape_data("a\rb"), "a%0Db");
        assert_eq!(escape_data("a\nb"), "a%0Ab");
        assert_eq!(escape_data("a:b,c"), "a:b,c");
        // `%` first, or the escapes themselves would be escaped again.
        assert_eq!(escape_data("%0A\n"), "%250A%0A");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("100%"), "100%25");
        assert_eq!(escape_property("a\rb"), "a%0Db");
        assert_eq!(escape_property("a\nb"), "a%0Ab");
        assert_eq!(escape_property("a:b"), "a%3Ab");
        assert_eq!(escape_property("a,b"), "a%2Cb");
        assert_eq!(escape_property("%3A:"), "%253A%3A");
    }

    #[test]
    fn levels_map_to_commands_and_spans_to_properties() {
        let span = (
            Position {
                line: 8,
                column: 16,
            },
            Position {
                line: 8,
                column: 38,
            },
        );
        assert_eq!(
            annotation(&finding(Severity::Error, Some(span)), "dir,1/Cargo.toml"),
            "::error file=dir%2C1/Cargo.toml,line=8,col=16,endLine=8,endColumn=38,\
             title=privacy-check(author-email)::50%25 off: a,b%0D%0Anext%0Anote: n1%0Ahelp: h: 1, 2"
        );
        assert!(annotation(&finding(Severity::Warning, Some(span)), "a").starts_with("::warning "));
        assert!(annotation(&finding(Severity::Note, Some(span)), "a").starts_with("::notice "));
    }

    #[test]
    fn whole_file_findings_carry_the_file_only() {
        let line = annotation(&finding(Severity::Error, None), "x/.env");
        assert!(
            line.starts_with("::error file=x/.env,title=privacy-check(author-email)::"),
            "{line}"
        );
    }
}
