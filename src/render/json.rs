//! `--message-format json`: the contract of `shared/docs/json-output.md`.
//!
//! One JSON object per line on stdout, each with a `reason`: a `finding` per
//! finding, then one `summary`. Field names here are a public API: add, never
//! rename or remove. Each finding also carries `manifest_path` (which the
//! contract allows), `archive_path` (where the value ships inside the
//! .crate) and `fingerprint` (a digest naming the matched value). Columns
//! are 1-based character counts; `end_column` is exclusive, as in rustc's
//! JSON.
//!
//! Added reasons, before the summary: `allowed` (a finding an allow comment
//! silenced), `unused-allow` and `invalid-allow` (warnings about allow
//! comments, counted in the summary), `stale-baseline-entry` and
//! `baseline` (what `--baseline` did). `finding` stays for real rules only.

use std::io::{self, Write};

use serde::Serialize;

use super::{relative, Context, Totals};
use crate::allow_comments::{AllowProblem, Allowed, ProblemKind};
use crate::diagnostic::{Applicability, Category, Finding, Severity};
use crate::report::Report;

#[derive(Serialize)]
struct JsonFinding<'a> {
    reason: &'static str,
    rule: &'static str,
    category: Category,
    level: Severity,
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
    /// For a value in a binary file's printable strings (which has no
    /// lines): its byte offset in the file. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u64>,
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
        offset: f.byte_region.as_ref().map(|r| r.start),
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

/// A finding an allow comment silenced: where it is, where the comment is.
#[derive(Serialize)]
struct JsonAllowed<'a> {
    reason: &'static str,
    rule: &'static str,
    package: &'a str,
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    allow_line: usize,
    allow_column: usize,
    fingerprint: String,
}

fn allowed<'a>(a: &'a Allowed, ctx: &Context<'_>) -> JsonAllowed<'a> {
    let f = &a.finding;
    JsonAllowed {
        reason: "allowed",
        rule: f.rule.name,
        package: &f.package,
        path: relative(&f.path, ctx.cwd),
        line: f.start.map(|p| p.line),
        column: f.start.map(|p| p.column),
        allow_line: a.marker.line,
        allow_column: a.marker.column,
        fingerprint: f.digest.fingerprint(),
    }
}

/// `unused-allow` (with the `rule` that allowed nothing) or `invalid-allow`
/// (an unknown `name`, with a `suggestion`, or a marker without names).
#[derive(Serialize)]
struct JsonAllowProblem<'a> {
    reason: &'static str,
    level: Severity,
    package: &'a str,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
}

fn allow_problem<'a>(p: &'a AllowProblem, ctx: &Context<'_>) -> JsonAllowProblem<'a> {
    let (reason, rule, name, suggestion) = match &p.kind {
        ProblemKind::Unused { name } => ("unused-allow", Some(name.as_str()), None, None),
        ProblemKind::UnknownName { name, suggestion } => (
            "invalid-allow",
            None,
            Some(name.as_str()),
            suggestion.as_deref(),
        ),
        ProblemKind::Malformed => ("invalid-allow", None, None, None),
    };
    JsonAllowProblem {
        reason,
        level: p.level,
        package: &p.package,
        path: relative(&p.path, ctx.cwd),
        line: p.start.line,
        column: p.start.column,
        end_line: p.end.line,
        end_column: p.end.column,
        message: p.message(),
        rule,
        name,
        suggestion,
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
        for a in &package.allowed {
            line(out, &allowed(a, ctx))?;
        }
        for p in &package.allow_problems {
            line(out, &allow_problem(p, ctx))?;
        }
    }
    if let Some(applied) = &report.baseline {
        let file = applied.path.display().to_string();
        for s in &applied.stale {
            line(
                out,
                &serde_json::json!({
                    "reason": "stale-baseline-entry",
                    "baseline": file,
                    "rule": s.key.rule,
                    "package": s.key.package,
                    "path": relative(&ctx.selection.workspace_root.join(&s.key.path), ctx.cwd),
                    "hash": s.key.hash,
                    "count": s.count,
                }),
            )?;
        }
        line(
            out,
            &serde_json::json!({
                "reason": "baseline",
                "path": file,
                "suppressed": applied.suppressed,
                "stale": applied.stale.iter().map(|s| s.count).sum::<usize>(),
            }),
        )?;
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
                    why: n.why.to_string(),
                })
                .collect(),
            // An archive that could not be checked fails the run.
            success: counts.errors == 0 && !report.failed(),
        },
    )
}
