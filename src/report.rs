//! What a check found: one [`PackageReport`] per package or archive, in a
//! [`Report`] with what could not be checked. It is the only thing the
//! suppressions ([`crate::baseline`]), fixes ([`crate::fix`]) and
//! renderers ([`crate::render`]) read: it holds the findings, the files not
//! scanned and why, and the text the findings point into.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::allow_comments::{AllowProblem, Allowed};
use crate::archive::ArchiveError;
use crate::config::Settings;
use crate::diagnostic::{Finding, Severity, ValueDigest};
use crate::inputs::{InputError, Package};
use crate::package_files::PackagedFile;
use crate::read::{size_text, ReadError};

/// A shipped file whose content was not scanned, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotScanned {
    pub path: PathBuf,
    pub why: NotScannedReason,
    /// [`Severity::Note`] for what is expected (binary, skipped by
    /// configuration); otherwise a warning (an error under `-D warnings`),
    /// counted as such: a check that could not read a file did not pass.
    pub level: Severity,
}

/// Why a shipped file's content was not scanned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotScannedReason {
    /// A NUL byte in its first 8 KiB.
    Binary,
    /// Matched by `skip-paths`.
    Skipped,
    /// Larger than the scan limit (in bytes).
    TooLarge { limit: u64 },
    /// A FIFO, a device, a folder: never read (it could block or be
    /// endless).
    NotRegular(&'static str),
    /// It could not be read (the error, as the system gives it).
    Unreadable(String),
}

impl NotScannedReason {
    /// Expected reasons are listed with `-v`, not warned about.
    pub fn is_expected(&self) -> bool {
        matches!(self, NotScannedReason::Binary | NotScannedReason::Skipped)
    }

    /// The level of a file not scanned for this reason, in a package with
    /// these settings.
    fn level(&self, settings: &Settings) -> Severity {
        if self.is_expected() {
            Severity::Note
        } else if settings.levels.denies_warnings() {
            Severity::Error
        } else {
            Severity::Warning
        }
    }
}

impl std::fmt::Display for NotScannedReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotScannedReason::Binary => f.write_str("binary"),
            NotScannedReason::Skipped => f.write_str(SKIPPED_BY_CONFIGURATION),
            NotScannedReason::TooLarge { limit } => {
                write!(f, "larger than the {} scan limit", size_text(*limit))
            }
            NotScannedReason::NotRegular(kind) => write!(f, "not a regular file (a {kind})"),
            NotScannedReason::Unreadable(err) => write!(f, "unreadable: {err}"),
        }
    }
}

impl From<ReadError> for NotScannedReason {
    fn from(err: ReadError) -> Self {
        match err {
            ReadError::NotRegular(kind) => NotScannedReason::NotRegular(kind),
            ReadError::TooLarge { limit } => NotScannedReason::TooLarge { limit },
            ReadError::Io(err) => NotScannedReason::Unreadable(err.to_string()),
        }
    }
}

/// Everything found in one package.
#[derive(Debug)]
pub struct PackageReport {
    pub name: String,
    pub version: String,
    pub manifest_path: PathBuf,
    pub files: Vec<PackagedFile>,
    pub findings: Vec<Finding>,
    pub not_scanned: Vec<NotScanned>,
    pub files_scanned: usize,
    pub bytes_scanned: u64,
    /// Findings silenced by an allow comment (`-v` reports them).
    pub allowed: Vec<Allowed>,
    /// Allow comments that are wrong or allowed nothing.
    pub allow_problems: Vec<AllowProblem>,
    /// Findings not reported (at `allow` level, in `allow-fingerprints`, or
    /// accepted by a baseline): never shown, but their values stay masked
    /// wherever another finding's snippet shows their line.
    pub hidden: Vec<Finding>,
    /// The `.crate` file it was read from, for a published archive.
    pub archive: Option<PathBuf>,
    /// What output shows of each file a finding, an allow problem or a
    /// fix points into, by path: renderers read nothing else.
    pub sources: HashMap<PathBuf, Source>,
}

impl PackageReport {
    /// The report of a package, before anything is found.
    pub fn new(package: &Package) -> Self {
        PackageReport {
            name: package.name.clone(),
            version: package.version.clone(),
            manifest_path: package.manifest_path.clone(),
            files: package.listed.clone(),
            findings: Vec::new(),
            not_scanned: Vec::new(),
            files_scanned: 0,
            bytes_scanned: 0,
            allowed: Vec::new(),
            allow_problems: Vec::new(),
            hidden: Vec::new(),
            archive: package.archive.clone(),
            sources: HashMap::new(),
        }
    }

    /// Its findings, reported, allowed by a comment or hidden.
    pub fn values_to_hide(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .chain(self.allowed.iter().map(|a| &a.finding))
            .chain(&self.hidden)
    }

    /// Counts a file as scanned, or lists it as not scanned and why.
    pub(crate) fn count(
        &mut self,
        path: &Path,
        not_scanned: Option<NotScannedReason>,
        bytes: u64,
        settings: &Settings,
    ) {
        match not_scanned {
            Some(why) => self.not_scanned.push(NotScanned {
                path: path.to_owned(),
                level: why.level(settings),
                why,
            }),
            None => {
                self.files_scanned += 1;
                self.bytes_scanned += bytes;
            }
        }
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub packages: Vec<PackageReport>,
    /// A digest of each manifest as the scan read it: `--fix` edits a file
    /// only if it is still this one.
    pub manifest_digests: HashMap<PathBuf, ValueDigest>,
    /// What `--baseline` suppressed and which of its entries are stale.
    pub baseline: Option<Applied>,
    /// Archives that could not be checked (unreadable, corrupt, hostile):
    /// the others are still reported, and the run is not a success.
    pub failures: Vec<ArchiveError>,
    /// Packages of a workspace that could not be checked (a manifest or a
    /// listed file that cannot be read, such as a missing `readme`): as for
    /// archives, the others are still reported, and the run fails.
    pub package_failures: Vec<InputError>,
}

impl Report {
    /// Whether something could not be checked (the run then fails, exit
    /// status 2, whatever was found in the rest).
    pub fn failed(&self) -> bool {
        !self.failures.is_empty() || !self.package_failures.is_empty()
    }

    /// What could not be checked, one message each, with the file it is
    /// about (the archive, or the package's manifest).
    pub fn failure_messages(&self) -> Vec<(PathBuf, String)> {
        self.failures
            .iter()
            .map(|f| (f.archive.clone(), f.to_string()))
            .chain(
                self.package_failures
                    .iter()
                    .map(|f| (f.path(), f.to_string())),
            )
            .collect()
    }
}

/// Why a file matched by `skip-paths` is not scanned.
pub const SKIPPED_BY_CONFIGURATION: &str = "skipped by configuration";

/// What `--fix` did, or `--dry-run` would do: renderers show it.
#[derive(Clone, Debug, Default)]
pub struct FixOutcome {
    /// The files were written (`--fix`); otherwise it is a dry run.
    pub written: bool,
    /// Each file edited, in the order first edited.
    pub files: Vec<FixedFile>,
    /// Fixes not applied because they overlap others: left for a further
    /// pass (dry run), or still overlapping after the last pass (`--fix`).
    pub overlapping: usize,
    /// Maybe-incorrect fixes not applied (without `--unsafe-fixes`).
    pub maybe_incorrect: usize,
}

/// A file `--fix` edited or `--dry-run` would edit.
#[derive(Clone, Debug)]
pub struct FixedFile {
    pub path: PathBuf,
    pub fixes: usize,
    /// For a dry run: the change as a unified diff, values masked.
    pub diff: Option<String>,
}

/// What output may show of a file: the runs of whole lines that findings,
/// allow problems and fixes point into, each with the values in it that
/// must be hidden. The engine builds it from the text it scanned, so a
/// snippet never comes from a file read again later (which could have
/// changed in between), and a report keeps only the lines it shows.
#[derive(Clone, Debug, Default)]
pub struct Source {
    /// In file order, none overlapping.
    pub excerpts: Vec<Excerpt>,
}

/// Consecutive whole lines of a file.
#[derive(Clone, Debug)]
pub struct Excerpt {
    /// Where it starts in the file (a line start), in bytes.
    pub start: usize,
    /// The line number of its first line (1-based).
    pub first_line: usize,
    pub text: String,
    /// Each value in it that output must hide (a finding's, reported or
    /// not, and anything a detector recognises in these lines), with its
    /// redacted form; ranges are relative to `start`.
    pub hide: Vec<(Range<usize>, String)>,
}

impl Source {
    /// The lines of `text` that `ranges` touch (a range over several lines
    /// keeps them all), merged into excerpts.
    pub fn of(text: &str, ranges: impl IntoIterator<Item = Range<usize>>) -> Source {
        let mut lines: Vec<Range<usize>> = ranges
            .into_iter()
            .filter(|r| r.start <= r.end && r.end <= text.len())
            .map(|r| {
                let start = crate::display::floor_char_boundary(text, r.start);
                let end = crate::display::ceil_char_boundary(text, r.end);
                let start = text[..start].rfind('\n').map_or(0, |i| i + 1);
                let end = text[end..].find('\n').map_or(text.len(), |i| end + i);
                start..end
            })
            .collect();
        lines.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(lines.len());
        for line in lines {
            match merged.last_mut() {
                Some(last) if line.start <= last.end + 1 => last.end = last.end.max(line.end),
                _ => merged.push(line),
            }
        }
        let mut line = 1;
        let mut at = 0;
        let excerpts = merged
            .into_iter()
            .map(|span| {
                line += memchr_count(&text.as_bytes()[at..span.start]);
                at = span.start;
                Excerpt {
                    start: span.start,
                    first_line: line,
                    text: text[span].to_owned(),
                    hide: Vec::new(),
                }
            })
            .collect();
        Source { excerpts }
    }

    /// The excerpt holding all of `range`.
    pub fn holding(&self, range: &Range<usize>) -> Option<&Excerpt> {
        let i = self
            .excerpts
            .partition_point(|e| e.start + e.text.len() < range.start);
        self.excerpts
            .get(i)
            .filter(|e| e.start <= range.start && range.end <= e.start + e.text.len())
    }
}

impl Excerpt {
    /// `range` of the file as a range of this excerpt's text, if it lies in
    /// it.
    pub fn local(&self, range: &Range<usize>) -> Option<Range<usize>> {
        (self.start <= range.start && range.end <= self.start + self.text.len())
            .then(|| range.start - self.start..range.end - self.start)
    }
}

fn memchr_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Counts of findings by level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Counts {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut counts = Counts::default();
        for f in findings {
            match f.level {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Note => counts.notes += 1,
            }
        }
        counts
    }
}

impl PackageReport {
    /// Findings, allow-comment problems and files that could not be
    /// scanned (unreadable, too large, not a regular file), by level.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::of(&self.findings);
        for p in &self.allow_problems {
            match p.level {
                Severity::Error => counts.errors += 1,
                _ => counts.warnings += 1,
            }
        }
        for n in &self.not_scanned {
            match n.level {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                // Expected (binary, skipped): listed, not counted.
                Severity::Note => {}
            }
        }
        counts
    }
}

impl Report {
    pub fn counts(&self) -> Counts {
        let mut total = Counts::default();
        for p in &self.packages {
            let c = p.counts();
            total.errors += c.errors;
            total.warnings += c.warnings;
            total.notes += c.notes;
        }
        total
    }

    /// Findings grouped by the source file they point into.
    /// Every finding whose value output must hide, reported or not
    /// (allowed by a comment, at `allow` level, accepted by a baseline), by
    /// file: a snippet shows a line whole, with every value on it masked.
    pub fn findings_by_path(&self) -> HashMap<&Path, Vec<&Finding>> {
        let mut by_path: HashMap<&Path, Vec<&Finding>> = HashMap::new();
        for p in &self.packages {
            for f in p.values_to_hide() {
                by_path.entry(&f.path).or_default().push(f);
            }
        }
        by_path
    }
}

/// What identifies an accepted finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub rule: String,
    pub package: String,
    /// Relative to the workspace root, `/`-separated.
    pub path: String,
    /// The matched value's digest under the file's salt.
    pub hash: String,
}

/// An entry (or part of its count) that matched no finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stale {
    pub key: Key,
    pub count: usize,
}

/// What applying a baseline did to a report.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// The baseline file, as given.
    pub path: PathBuf,
    pub suppressed: usize,
    pub stale: Vec<Stale>,
}
