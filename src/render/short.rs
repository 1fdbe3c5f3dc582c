//! `--message-format short`: one line per finding, as rustc's
//! `--error-format short` prints them: `path:line:col: level[rule]: message`
//! (`path: level[rule]: message` for a whole-file finding).

use std::io::{self, Write};

use super::{relative, Context};
use crate::scan::Report;

pub fn render(report: &Report, ctx: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    for f in report.packages.iter().flat_map(|p| &p.findings) {
        let path = relative(&f.path, ctx.cwd);
        let at = match f.start {
            Some(start) => format!("{path}:{}:{}", start.line, start.column),
            None => path,
        };
        writeln!(
            out,
            "{at}: {}[{}]: {}",
            f.level.as_str(),
            f.rule.name,
            f.message
        )?;
    }
    Ok(())
}
