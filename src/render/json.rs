//! `--message-format json`: the contract of `shared/docs/json-output.md`.
//!
//! One JSON object per line on stdout, each with a `reason`: a `finding` per
//! finding, then one `summary`. Field names here are a public API: add, never
//! rename or remove. Each finding also carries `manifest_path` (which the
//! contract allows), `archive_path` (where the value ships inside the
//! .crate) and `fingerprint` (a digest naming the matched value). Columns
//! are 1-based character counts; `end_column` is exclusive, as in rustc's
//! JSON.

use std::io::{self, Write};

use serde::Serialize;

use super::{relative, Context, Totals};
use crate::diagnostic::{Applicability, Category, Finding, Level};
use crate::scan::Report;

#[derive(Serialize)]
struct JsonFinding<'a> {
    reason: &'static str,
    rule: &'static str,
    category: Category,
    level: Level,
    package: &'a str,
    manifest_path: String,
    path: String,
    archive_path: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    message: &'a str,
    redacted: &'a str,
    /// Names the matched value without holding it (see `ValueDigest`);
    /// what `allow-fingerprints` in the configuration accepts.
    fingerprint: String,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    description: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    path: String,
    byte_start: usize,
    byte_end: usize,
    replacement: &'a str,
}

#[derive(Serialize)]
struct NotScanned {
    path: String,
    why: String,
}

#[derive(Serialize)]
struct Summary {
    reason: &'static str,
    packages: usize,
    files_scanned: usize,
    bytes_scanned: u64,
    errors: usize,
    warnings: usize,
    notes: usize,
    not_scanned: Vec<NotScanned>,
    success: bool,
}

fn finding<'a>(f: &'a Finding, manifest: &std::path::Path, ctx: &Context<'_>) -> JsonFinding<'a> {
    JsonFinding {
        reason: "finding",
        rule: f.rule.name,
        category: f.rule.category,
        level: f.level,
        package: &f.package,
        manifest_path: relative(manifest, ctx.cwd),
        path: relative(&f.path, ctx.cwd),
        archive_path: &f.archive_path,
        line: f.start.map(|p| p.line),
        column: f.start.map(|p| p.column),
        end_line: f.end.map(|p| p.line),
        end_column: f.end.map(|p| p.column),
        message: &f.message,
        redacted: &f.redacted,
        fingerprint: f.digest.fingerprint(),
        fix: f.fix.as_ref().map(|fix| JsonFix {
            applicability: fix.applicability,
            description: &fix.description,
            edits: fix
                .edits
                .iter()
                .map(|e| JsonEdit {
                    path: relative(&e.path, ctx.cwd),
                    byte_start: e.range.start,
                    byte_end: e.range.end,
                    replacement: &e.replacement,
                })
                .collect(),
        }),
    }
}

fn line(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

pub fn render(report: &Report, ctx: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    for package in &report.packages {
        for f in &package.findings {
            line(out, &finding(f, &package.manifest_path, ctx))?;
        }
    }
    let counts = report.counts();
    let totals = Totals::of(report);
    line(
        out,
        &Summary {
            reason: "summary",
            packages: totals.packages,
            files_scanned: totals.files_scanned,
            bytes_scanned: totals.bytes_scanned,
            errors: counts.errors,
            warnings: counts.warnings,
            notes: counts.notes,
            not_scanned: report
                .packages
                .iter()
                .flat_map(|p| &p.not_scanned)
                .map(|n| NotScanned {
                    path: relative(&n.path, ctx.cwd),
                    why: n.why.clone(),
                })
                .collect(),
            // An archive that could not be checked fails the run.
            success: counts.errors == 0 && report.failures.is_empty(),
        },
    )
}
