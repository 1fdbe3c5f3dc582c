//! `--message-format short`: one line per diagnostic, as rustc's
//! `--error-format short` prints them: `path:line:col: level[rule]: message`
//! (`path: level[rule]: message` for a whole-file finding), at the first
//! occurrence of a value repeated in a file, with how many more there are
//! (`(and 450 more occurrences in this file)`; see [`super::Diagnostic`]). Warnings about
//! allow comments follow as `path:line:col: warning: message`, findings an
//! allow comment silenced as notes with `-v`, and stale baseline entries as
//! `path: note: …`.

use std::io::{self, Write};

use super::{diagnostics, plural, relative, Context};
use crate::allow_comments::MARKER;
use crate::report::Report;

pub fn render(report: &Report, ctx: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    // `path:line:col`, or `path` for a whole-file finding.
    let at = |f: &crate::diagnostic::Finding| {
        let path = relative(&f.path, ctx.cwd);
        match f.start {
            Some(start) => format!("{path}:{}:{}", start.line, start.column),
            None => path,
        }
    };
    for d in report
        .packages
        .iter()
        .flat_map(|p| diagnostics(&p.findings))
    {
        let f = d.first;
        let at = at(f);
        let more = match d.occurrences() - 1 {
            0 => String::new(),
            n => format!(" (and {} in this file)", plural(n, "more occurrence")),
        };
        writeln!(
            out,
            "{at}: {}[{}]: {}{more}",
            f.level.as_str(),
            f.rule.name,
            f.message
        )?;
    }
    for p in report.packages.iter().flat_map(|p| &p.allow_problems) {
        writeln!(
            out,
            "{}:{}:{}: {}: {}",
            relative(&p.path, ctx.cwd),
            p.start.line,
            p.start.column,
            p.level.as_str(),
            p.message()
        )?;
    }
    if ctx.verbose > 0 {
        for a in report.packages.iter().flat_map(|p| &p.allowed) {
            writeln!(
                out,
                "{}: note[{}]: finding allowed by `{MARKER}` at line {}",
                at(&a.finding),
                a.finding.rule.name,
                a.marker.line
            )?;
        }
    }
    if let Some(applied) = &report.baseline {
        let file = applied.path.display();
        for s in &applied.stale {
            let path = relative(&ctx.selection.workspace_root.join(&s.key.path), ctx.cwd);
            let times = if s.count > 1 {
                format!(" ({} times)", s.count)
            } else {
                String::new()
            };
            writeln!(
                out,
                "{path}: note[{}]: entry of baseline `{file}` matches no finding{times} (package `{}`)",
                s.key.rule, s.key.package,
            )?;
        }
    }
    Ok(())
}
