//! Placing matches in their files and judging them: levels, allow
//! comments, configuration allow lists, and one finding per value and
//! place, whichever packages ship the file.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::allow_comments::{AllowComments, AllowProblem, Allowed};
use crate::config::Settings;
use crate::diagnostic::{
    Category, Finding, Fix, LineIndex, Match, Position, Severity, ValueDigest,
};
use crate::manifest::Manifest;
use crate::report::PackageReport;
use crate::rules::{self, email, sensitive_files, test_context};

/// A match with its place in the text it was found in.
pub(super) struct Placed {
    pub(super) found: Match,
    pub(super) fix: Option<Fix>,
    pub(super) range: Option<Range<usize>>,
    pub(super) start: Option<Position>,
    pub(super) end: Option<Position>,
    /// `None` for a whole-file finding: its digest is of the file's path.
    pub(super) digest: Option<ValueDigest>,
    /// Where a value found in a binary file's strings lies in the file.
    pub(super) byte_region: Option<Range<u64>>,
    /// Inside a `#[test]`/`#[cfg(test)]` item of Rust source
    /// ([`test_context::in_test_item`]); a test path is judged apart.
    pub(super) in_test_item: bool,
}

pub(super) fn place(index: &LineIndex<'_>, found: Match, fix: Option<Fix>) -> Placed {
    if found.whole_file {
        return Placed {
            fix,
            ..whole_file(found)
        };
    }
    let range = found.range.clone();
    Placed {
        start: Some(index.position(range.start)),
        end: Some(index.position(range.end)),
        digest: Some(ValueDigest::of(index.slice(&range).as_bytes())),
        range: Some(range),
        found,
        fix,
        byte_region: None,
        in_test_item: false,
    }
}

/// An email finding for an address the configuration allows
/// (`allow-emails`, `allow-email-domains`).
pub(super) fn allowed_email(settings: &Settings, text: &str, found: &Match) -> bool {
    found.rule.category == Category::Email
        && text.get(found.range.clone()).is_some_and(|value| {
            let mut emails = email::find_emails(value).peekable();
            emails.peek().is_some() && emails.all(|e| settings.allows_email(e.address))
        })
}

/// Whole-file findings need no positions.
pub(super) fn whole_file(found: Match) -> Placed {
    Placed {
        found,
        fix: None,
        range: None,
        start: None,
        end: None,
        digest: None,
        byte_region: None,
        in_test_item: false,
    }
}

/// What makes a finding one: its rule, file and place (a range in the
/// text, or a byte region of a binary file).
#[derive(PartialEq, Eq, Hash)]
pub(super) struct ReportedKey {
    rule: &'static str,
    path: PathBuf,
    range: Option<Range<usize>>,
    byte_region: Option<Range<u64>>,
}

/// A match placed in its file: where findings point (`path`) and the
/// file's path in the package.
pub(super) struct InFile {
    pub(super) path: PathBuf,
    pub(super) archive_path: String,
    pub(super) placed: Placed,
}

/// Turns placed matches into the package's findings, at their levels:
/// those allowed by a level, a comment or a fingerprint are dropped (a
/// comment's are kept aside for `-v`), the rest sorted. `reported` holds
/// what is already reported, for the same value in the same file to be one
/// finding. With the package's own manifest, a file that must not ship gets
/// the fix that keeps it out.
pub(super) fn add_findings(
    report: &mut PackageReport,
    placed: Vec<InFile>,
    settings: &Settings,
    own: Option<&Manifest>,
    allows: &mut AllowsByFile,
    reported: &mut HashSet<ReportedKey>,
) {
    for InFile {
        path,
        archive_path,
        placed: mut p,
    } in placed
    {
        let in_test = p.in_test_item || test_context::is_test_path(&archive_path);
        let judged = settings.levels.judge(p.found.rule, in_test);
        // At `allow` level a finding is hidden: it keeps a severity only
        // for its place in the report, never shown.
        let severity = judged.level.severity();
        if judged.test_fixture {
            p.found.notes.push(rules::test_fixture_note(p.found.rule));
        }
        // An allow comment is checked before levels, so that it counts
        // as used whatever `-A` says (as rustc's `#[expect]` does).
        let allowed_by = allows.allows(&path, p.found.rule, p.start.map(|s| s.line));
        let digest = p
            .digest
            .unwrap_or_else(|| ValueDigest::of(archive_path.as_bytes()));
        let hidden = severity.is_none() || settings.allows_value(&digest);
        let key = ReportedKey {
            rule: p.found.rule.name,
            path: path.clone(),
            range: p.range.clone(),
            byte_region: p.byte_region.clone(),
        };
        if !hidden && !reported.insert(key) {
            continue;
        }
        if let Some(own) = own {
            sensitive_files::keep_out(own, &path, &archive_path, &mut p.found, &mut p.fix);
        }
        let finding = Finding {
            rule: p.found.rule,
            level: severity.unwrap_or(Severity::Note),
            package: report.name.clone(),
            path,
            range: p.range,
            start: p.start,
            end: p.end,
            byte_region: p.byte_region,
            message: p.found.message,
            label: p.found.label,
            redacted: p.found.redacted,
            notes: p.found.notes,
            help: p.found.help,
            fix: p.fix,
            digest,
            archive_path,
            promoted: judged.promoted,
        };
        match allowed_by {
            _ if hidden => {
                if finding.range.is_some() {
                    report.hidden.push(finding);
                }
            }
            Some(marker) => report.allowed.push(Allowed { finding, marker }),
            None => report.findings.push(finding),
        }
    }
    report
        .findings
        .sort_by(|a, b| (&a.path, a.start, a.rule.name).cmp(&(&b.path, b.start, b.rule.name)));
    report.not_scanned.sort_by(|a, b| a.path.cmp(&b.path));
    report.allowed.sort_by(|a, b| {
        (&a.finding.path, a.finding.start).cmp(&(&b.finding.path, b.finding.start))
    });
}

/// The allow comments of every file that has some, for the whole run: a
/// file can hold findings of several packages (a root manifest), and a
/// marker is unused only if no package's finding used it.
#[derive(Default)]
pub(super) struct AllowsByFile {
    files: HashMap<PathBuf, FileAllows>,
}

/// One file's allow comments, and who reports on them.
struct FileAllows {
    /// The package that reports on them (the first to ship the file).
    package: usize,
    archive_path: String,
    /// Whether a marker that allows nothing is reported (not in a root
    /// manifest read for inherited values: whether its markers allow
    /// anything depends on which members are selected).
    report_unused: bool,
    comments: AllowComments,
}

impl AllowsByFile {
    /// Records a file's comments; the first package to report it owns it.
    pub(super) fn insert(
        &mut self,
        path: &Path,
        package: usize,
        archive_path: &str,
        report_unused: bool,
        comments: AllowComments,
    ) {
        self.files
            .entry(path.to_owned())
            .or_insert_with(|| FileAllows {
                package,
                archive_path: archive_path.to_owned(),
                report_unused,
                comments,
            });
    }

    pub(super) fn allows(
        &mut self,
        path: &Path,
        rule: &rules::Rule,
        line: Option<usize>,
    ) -> Option<Position> {
        self.files.get_mut(path)?.comments.allows(rule, line)
    }

    pub(super) fn report_problems(
        self,
        reports: &mut [PackageReport],
        level: impl Fn(usize) -> Severity,
    ) {
        for (path, file) in self.files {
            let level = level(file.package);
            let report = &mut reports[file.package];
            let archive_path = file.archive_path;
            for (kind, range, start, end) in file.comments.problems(file.report_unused) {
                report.allow_problems.push(AllowProblem {
                    kind,
                    level,
                    package: report.name.clone(),
                    path: path.clone(),
                    archive_path: archive_path.clone(),
                    range,
                    start,
                    end,
                });
            }
        }
        for report in reports {
            report
                .allow_problems
                .sort_by(|a, b| (&a.path, a.start).cmp(&(&b.path, b.start)));
        }
    }
}
