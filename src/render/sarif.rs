//! `--message-format sarif`: one SARIF 2.1.0 log on stdout, in the shape
//! GitHub code scanning accepts (`github/codeql-action/upload-sarif`).
//!
//! One run: `tool.driver` names this tool and lists the rules the results
//! use (their summary and documentation from the registry), then one result
//! per finding. Decisions, where SARIF leaves a choice:
//! - `artifactLocation.uri` is relative to the repository root (see
//!   [`super::repository_root`]), `/`-separated and percent-encoded, with no
//!   `uriBaseId` and no `originalUriBaseIds`: an absolute base would put the
//!   checkout's path (often `/home/<name>/…`) into a file meant for upload.
//! - Columns count Unicode code points (`columnKind: unicodeCodePoints`), as
//!   everywhere in this tool; `endColumn` is exclusive, as SARIF defines it.
//!   A whole-file finding's region is line 1; a value in a binary file's
//!   printable strings has a byte region (`byteOffset`, `byteLength`)
//!   instead, the file having no lines.
//! - `partialFingerprints["privacyCheck/v1"]` identifies a finding across
//!   runs without its line: the value's digest salted with rule, package and
//!   path. It never holds the value; like JSON's `fingerprint` it can only
//!   confirm a guess. GitHub's own `primaryLocationLineHash` is then not
//!   needed.
//! - `message.text` is the finding's message, which never holds the value;
//!   the redacted value is in the result's `properties.redacted`.
//! - Files that ship but were not scanned are `toolExecutionNotifications`
//!   of the one invocation: at level `note` when expected (binary, skipped
//!   by configuration), else `warning` (`error` under `-D warnings`).
//! - An archive or package that could not be checked (exit status 2, the
//!   others still reported) is an `error` notification naming it, and the
//!   invocation says `executionSuccessful: false`, so a half log never
//!   reads as a clean one. A run that could not start prints no SARIF.

use std::io::{self, Write};
use std::path::Path;

use serde_json::{json, Value};

use super::{relative, repository_root, Context};
use crate::diagnostic::{Finding, Severity};
use crate::report::Report;
use crate::rules::{self, Rule};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where the tool is documented; the manifest's `repository` once it has
/// one.
fn information_uri() -> &'static str {
    match env!("CARGO_PKG_REPOSITORY") {
        "" => "https://crates.io/crates/cargo-privacy-check",
        repository => repository,
    }
}

fn level(level: Severity) -> &'static str {
    match level {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A relative path as a URI reference: unreserved characters, sub-delims,
/// `@` and `/` stay, everything else (spaces, `%`, `#`, `?`, `:`, non-ASCII)
/// is percent-encoded byte by byte, so `a:b/c` cannot read as a scheme.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The first paragraph of a rule's `What it does` section: the full
/// description shown beside the summary.
fn what_it_does(rule: &Rule) -> String {
    let doc = rule.doc.trim();
    let body = doc
        .split_once("## What it does")
        .map_or(doc, |(_, rest)| rest)
        .trim_start();
    let paragraph = body.split("\n\n").next().unwrap_or(body);
    let paragraph = paragraph.split("\n#").next().unwrap_or(paragraph);
    paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn rule_descriptor(rule: &Rule) -> Value {
    let mut descriptor = json!({
        "id": rule.name,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": what_it_does(rule) },
        "help": { "text": rule.doc.trim(), "markdown": rule.doc.trim() },
        "defaultConfiguration": { "level": rule.default_level.severity().map_or("none", level) },
        "properties": {
            "tags": ["security", "privacy", rule.category.as_str()],
            "category": rule.category.as_str(),
        },
    });
    // A custom rule says so, and where the configuration defines it.
    if let Some(at) = rules::custom::defined_in(rule) {
        descriptor["properties"]["custom"] = json!(true);
        descriptor["properties"]["definedIn"] = json!(at);
    }
    descriptor
}

fn location(uri: &str, region: Value) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri },
            "region": region,
        }
    })
}

fn region(f: &Finding) -> Value {
    if let Some(bytes) = &f.byte_region {
        return json!({
            "byteOffset": bytes.start,
            "byteLength": bytes.end - bytes.start,
        });
    }
    match (f.start, f.end) {
        (Some(start), Some(end)) => json!({
            "startLine": start.line,
            "startColumn": start.column,
            "endLine": end.line,
            "endColumn": end.column,
        }),
        _ => json!({ "startLine": 1 }),
    }
}

fn result(f: &Finding, rule_index: usize, root: &Path) -> Value {
    let path = uri(&relative(&f.path, root));
    let fingerprint = f
        .digest
        .salted(&format!("sarif\0{}\0{}\0{path}", f.rule.name, f.package));
    let mut result = json!({
        "ruleId": f.rule.name,
        "ruleIndex": rule_index,
        "level": level(f.level),
        "message": { "text": f.message },
        "locations": [location(&path, region(f))],
        "partialFingerprints": { "privacyCheck/v1": fingerprint },
        "properties": {
            "category": f.rule.category.as_str(),
            "package": f.package,
            "archivePath": f.archive_path,
            "redacted": f.redacted,
        },
    });
    if let Some(fix) = &f.fix {
        let changes: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "artifactLocation": { "uri": uri(&relative(&e.path, root)) },
                    "replacements": [{
                        "deletedRegion": {
                            "byteOffset": e.range.start,
                            "byteLength": e.range.len(),
                        },
                        "insertedContent": { "text": e.replacement },
                    }],
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": { "text": fix.description },
            "artifactChanges": changes,
        }]);
    }
    result
}

/// The SARIF log of a report, as a JSON value.
pub fn log(report: &Report, ctx: &Context<'_>) -> Value {
    let root = repository_root(&ctx.selection.workspace_root);
    let findings: Vec<&Finding> = report.packages.iter().flat_map(|p| &p.findings).collect();
    // Rules in registry order, only those the results use.
    let used: Vec<&'static Rule> = rules::all()
        .filter(|r| findings.iter().any(|f| f.rule == *r))
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let index = used.iter().position(|r| *r == f.rule).unwrap_or(0);
            result(f, index, root)
        })
        .collect();
    // What could not be checked fails the invocation, each an error
    // notification naming it.
    let failures = report
        .failure_messages()
        .into_iter()
        .map(|(path, message)| {
            json!({
                "level": "error",
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&relative(&path, root)) }
                    }
                }],
            })
        });
    let notifications: Vec<Value> = report
        .packages
        .iter()
        .flat_map(|p| &p.not_scanned)
        .map(|n| {
            json!({
                "level": level(n.level),
                "message": { "text": format!("not scanned: {}", n.why) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&relative(&n.path, root)) }
                    }
                }],
            })
        })
        .chain(failures)
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": env!("CARGO_PKG_NAME"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": information_uri(),
                    "rules": used.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": !report.failed(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

pub fn render(report: &Report, ctx: &Context<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report, ctx))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_encode_what_is_not_a_plain_path_character() {
        assert_eq!(uri("src/lib.rs"), "src/lib.rs");
        assert_eq!(uri("a b/c%d#e?f"), "a%20b/c%25d%23e%3Ff");
        assert_eq!(uri("c:x/é"), "c%3Ax/%C3%A9");
        assert_eq!(uri("../x/.env"), "../x/.env");
    }

    #[test]
    fn full_description_is_the_first_paragraph_of_what_it_does() {
        let rule = rules::find("author-email").unwrap();
        let text = what_it_does(rule);
        assert!(text.starts_with("Finds personal email addresses in `package.authors`"));
        assert!(text.ends_with("instead."), "{text}");
        assert!(!text.contains('\n') && !text.contains("##"));
        for rule in rules::all() {
            assert!(!what_it_does(rule).is_empty(), "{}", rule.name);
        }
    }
}
