//! The engine: every rule over exactly what ships, once per file.
//!
//! For each selected package it lists the files `cargo package` would ship
//! ([`crate::package_files`]) and then:
//! - checks the manifest structurally (`authors`) and textually (every other
//!   rule over `Cargo.toml.orig`), plus the values the package inherits from
//!   the workspace root manifest, reported in the root manifest;
//! - scans every other shipped file from its source path. A file shipped by
//!   several packages (a shared `readme = "../README.md"`) is read and
//!   reported once, for the first package that ships it.
//!
//! Files are scanned in parallel, each read once; every detector makes one
//! pass over it behind its own literal prefilter ([`detect`]). Only regular
//! files are opened (without blocking, see
//! [`crate::manifest::open_regular`]), and never more than the size limit
//! plus one read is read, whatever the file's metadata says. A file that is
//! binary (a NUL byte in its first 8 KiB), larger than the size limit, not a
//! regular file, or unreadable is not scanned for content and is listed as
//! such ([`NotScannedReason`]); rules on file names still apply to it. All
//! but the expected ones (binary, skipped) are warnings and counted.
//!
//! A published `.crate` read into memory by [`crate::archive`] goes through
//! the same per-file scan (from bytes, not paths) and the same two-manifest
//! logic as an unpacked crate, in [`scan_archive`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rayon::prelude::*;

use crate::allow_comments::{AllowComments, AllowProblem, Allowed};
use crate::archive::{Archive, ArchiveError};
use crate::config::Settings;
use crate::config::DEFAULT_MAX_FILE_SIZE;
use crate::diagnostic::{
    Applicability, Category, Edit, Finding, Fix, Level, LineIndex, Match, ValueDigest,
};
use crate::levels::Levels;
use crate::manifest::{open_regular, read_up_to, size_text, Manifest, ManifestError, ReadError};
use crate::package_files::{self, Contents, PackageFilesError, PackageInput, PackagedFile};
use crate::rules::authors::{self, AuthorsTable};
use crate::rules::{
    self, email, private_keys, sensitive_files, test_context, url_credentials, Detector,
    FileContext,
};
use crate::workspace::{PackageSource, Selection};

mod strings;

/// How many leading bytes are checked for NUL to call a file binary (git
/// and ripgrep use the same test).
pub(crate) const BINARY_SNIFF_LEN: usize = 8 * 1024;

pub struct ScanOptions {
    pub max_file_size: u64,
    pub levels: Levels,
    /// Per-package settings from configuration, by manifest path; a
    /// package not listed gets `levels` and `max_file_size`.
    pub settings: HashMap<PathBuf, Settings>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            levels: Levels::default(),
            settings: HashMap::new(),
        }
    }
}

/// A shipped file whose content was not scanned, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotScanned {
    pub path: PathBuf,
    pub why: NotScannedReason,
    /// [`Level::Note`] for what is expected (binary, skipped by
    /// configuration); otherwise a warning (an error under `-D warnings`),
    /// counted as such: a check that could not read a file did not pass.
    pub level: Level,
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
    fn level(&self, settings: &Settings) -> Level {
        if self.is_expected() {
            Level::Note
        } else if settings.levels.denies_warnings() {
            Level::Error
        } else {
            Level::Warning
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
    /// For an archive, the lines of each file its findings are on (by
    /// finding path; every other line is kept as its newline alone, so
    /// line numbers hold): there is no file on disk to show a snippet
    /// from. The findings' ranges point into these excerpts.
    pub sources: HashMap<PathBuf, String>,
}

impl PackageReport {
    /// Its findings, reported, allowed by a comment or hidden.
    pub fn values_to_hide(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .chain(self.allowed.iter().map(|a| &a.finding))
            .chain(&self.hidden)
    }

    /// Counts a file as scanned, or lists it as not scanned and why.
    fn count(
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
    pub baseline: Option<crate::baseline::Applied>,
    /// Archives that could not be checked (unreadable, corrupt, hostile):
    /// the others are still reported, and the run is not a success.
    pub failures: Vec<ArchiveError>,
    /// Packages of a workspace that could not be checked (a manifest or a
    /// listed file that cannot be read, such as a missing `readme`): as for
    /// archives, the others are still reported, and the run fails.
    pub package_failures: Vec<ScanError>,
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

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("failed to list the files of package `{package}`: {source}")]
    PackageFiles {
        package: String,
        manifest_path: PathBuf,
        source: PackageFilesError,
    },
}

impl ScanError {
    /// The manifest the error is about.
    pub fn path(&self) -> PathBuf {
        match self {
            ScanError::Manifest(ManifestError::Io { path, .. })
            | ScanError::Manifest(ManifestError::Toml { path, .. }) => path.clone(),
            ScanError::PackageFiles { manifest_path, .. } => manifest_path.clone(),
        }
    }
}

/// A match with its place in the text it was found in.
struct Placed {
    found: Match,
    fix: Option<Fix>,
    range: Option<Range<usize>>,
    start: Option<crate::diagnostic::Position>,
    end: Option<crate::diagnostic::Position>,
    /// `None` for a whole-file finding: its digest is of the file's path.
    digest: Option<ValueDigest>,
    /// Where a value found in a binary file's strings lies in the file.
    byte_region: Option<Range<u64>>,
    /// Inside a `#[test]`/`#[cfg(test)]` item of Rust source
    /// ([`test_context::in_test_item`]); a test path is judged apart.
    in_test_item: bool,
}

fn place(index: &LineIndex<'_>, found: Match, fix: Option<Fix>) -> Placed {
    if found.whole_file {
        return Placed {
            found,
            fix,
            range: None,
            start: None,
            end: None,
            digest: None,
            byte_region: None,
            in_test_item: false,
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

/// Runs every text detector over `text`. Each detector makes one pass
/// driven by its own literal prefilter (an Aho-Corasick automaton over its
/// anchors, or a regex with a literal the regex engine searches for) and
/// runs its patterns only where that prefilter hits. A global gate in front
/// of them was measured on the corpus and cost more than it saved.
pub fn detect(text: &str, file: FileContext<'_>) -> Vec<Match> {
    let mut out = Vec::new();
    for detector in DETECTORS.iter() {
        detector.scan(text, file, &mut out);
    }
    drop_generic_duplicates(&mut out);
    out
}

static DETECTORS: LazyLock<Vec<&'static dyn Detector>> = LazyLock::new(rules::detectors);

/// A value a specific rule recognises (a GitHub token) is not reported
/// again by a generic one that also saw it (`TOKEN = "…"`, a URL's user).
fn drop_generic_duplicates(matches: &mut Vec<Match>) {
    if matches.len() < 2 {
        return;
    }
    let specific: Vec<Range<usize>> = matches
        .iter()
        .filter(|m| {
            !rules::is_generic(m.rule) && m.rule.category != crate::diagnostic::Category::Email
        })
        .map(|m| m.range.clone())
        .collect();
    matches.retain(|m| !rules::is_generic(m.rule) || !overlaps_any(&m.range, &specific));
}

/// An email finding for an address the configuration allows
/// (`allow-emails`, `allow-email-domains`).
fn allowed_email(settings: &Settings, text: &str, found: &Match) -> bool {
    found.rule.category == Category::Email
        && text.get(found.range.clone()).is_some_and(|value| {
            let mut emails = email::find_emails(value).peekable();
            emails.peek().is_some() && emails.all(|e| settings.allows_email(e.address))
        })
}

/// Why a file matched by `skip-paths` is not scanned.
pub const SKIPPED_BY_CONFIGURATION: &str = "skipped by configuration";

/// Reads a file as text for display; invalid UTF-8 is replaced (offsets
/// then refer to the replaced text, as the scan's do). Only a regular file
/// within the default scan limit is read (a file with findings was scanned,
/// so it is one).
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = crate::manifest::read_bounded(path, DEFAULT_MAX_FILE_SIZE.max(MAX_READ_TEXT))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    })
}

/// The outcome of scanning one file.
struct FileOutcome {
    placed: Vec<Placed>,
    not_scanned: Option<NotScannedReason>,
    bytes: u64,
    /// The file's allow comments; looked for in every text file, so that
    /// one that allows nothing is reported too.
    allows: Option<AllowComments>,
    /// The scanned text, kept when a finding points into it (an archive's
    /// files have no other copy to show a snippet from).
    text: Option<String>,
}

impl FileOutcome {
    /// A file judged by its name and, when given, its first bytes; its
    /// content is scanned only if `not_scanned` is `None`.
    fn by_name(
        archive_path: &str,
        head: Option<&[u8]>,
        not_scanned: Option<NotScannedReason>,
        settings: &Settings,
    ) -> Self {
        FileOutcome {
            placed: sensitive_files::check_file(archive_path, head)
                .into_iter()
                .chain(settings.custom.check_file(archive_path))
                .chain(in_name(archive_path, settings))
                .map(whole_file)
                .collect(),
            not_scanned,
            bytes: 0,
            allows: None,
            text: None,
        }
    }
}

/// A secret in a file's own name (`keys/ghp_….json`, an archive entry
/// named after a token): a finding on the file, whose path the output
/// boundary masks wherever it is printed.
fn in_name(archive_path: &str, settings: &Settings) -> Vec<Match> {
    let file = FileContext {
        archive_path,
        is_manifest: false,
        package: "",
    };
    // Each name of the path on its own (`/` is no boundary to detectors).
    let names = archive_path.replace(['/', '\\'], " ");
    let mut found = detect(&names, file);
    settings.custom.scan(&names, archive_path, &mut found);
    found
        .into_iter()
        .filter(|m| m.rule.category != Category::HomePath)
        .map(|m| {
            let what = m.message.trim_end_matches(" in a packaged file");
            let message = format!("{what} in the file's name");
            Match::whole_file(m.rule, message, m.redacted)
                .help("rename the file (revoke the credential first), or keep it out of the package with `exclude`")
        })
        .collect()
}

/// How much of a file too large to scan is still read, for the rules that
/// recognise a file by its first bytes (core dumps, databases, key files).
pub(crate) const HEAD_LEN: u64 = 64 * 1024;

/// Whether a file is binary: a NUL byte in its first 8 KiB.
pub(crate) fn is_binary(head: &[u8]) -> bool {
    head[..head.len().min(BINARY_SNIFF_LEN)].contains(&0)
}

/// Whole-file findings need no positions.
fn whole_file(found: Match) -> Placed {
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

/// Scans one file from disk. Only a regular file is read (a FIFO or a
/// device could block or never end), and never more than the size limit
/// plus one byte, whatever its metadata said.
fn scan_file(path: &Path, archive_path: &str, package: &str, settings: &Settings) -> FileOutcome {
    // A file that cannot be read is still judged by its name.
    match read_sniffing(path, settings.max_file_size) {
        Ok(Sniffed::Whole(bytes)) => scan_bytes(bytes, archive_path, package, settings),
        Ok(Sniffed::Binary(head, mut rest)) => {
            scan_binary(head, Some(&mut rest), archive_path, package, settings)
        }
        Ok(Sniffed::TooLarge(head)) => too_large(Some(&head), archive_path, settings),
        Err(err) => FileOutcome::by_name(archive_path, None, Some(err.into()), settings),
    }
}

/// A file larger than the scan limit: judged by its name and first bytes.
fn too_large(head: Option<&[u8]>, archive_path: &str, settings: &Settings) -> FileOutcome {
    let why = NotScannedReason::TooLarge {
        limit: settings.max_file_size,
    };
    FileOutcome::by_name(archive_path, head, Some(why), settings)
}

/// Scans one file's content, from disk or from an archive: rules on its
/// name and first bytes, then, unless it is binary (in which case `bytes`
/// may be only its first [`HEAD_LEN`] bytes), every text detector.
fn scan_bytes(
    bytes: Vec<u8>,
    archive_path: &str,
    package: &str,
    settings: &Settings,
) -> FileOutcome {
    if is_binary(&bytes) {
        return scan_binary(bytes, None, archive_path, package, settings);
    }
    let mut outcome = FileOutcome::by_name(archive_path, Some(&bytes), None, settings);
    outcome.bytes = bytes.len() as u64;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    };
    outcome.allows = AllowComments::find(
        &text,
        crate::allow_comments::is_markdown(Path::new(archive_path)),
    );
    let file = FileContext {
        archive_path,
        is_manifest: false,
        package,
    };
    let mut matches = detect(&text, file);
    settings.custom.scan(&text, archive_path, &mut matches);
    drop_generic_duplicates(&mut matches);
    matches.retain(|m| !allowed_email(settings, &text, m));
    // A key file is reported as a file; the key inside it is that finding.
    if outcome
        .placed
        .iter()
        .any(|p| std::ptr::eq(p.found.rule, &sensitive_files::PRIVATE_KEY_FILE))
    {
        matches.retain(|m| !std::ptr::eq(m.rule, &private_keys::PRIVATE_KEY));
    }
    for m in &mut matches {
        with_exclude_hint(m, archive_path);
    }
    if !matches.is_empty() {
        let index = LineIndex::new(&text);
        let rust = archive_path.ends_with(".rs");
        outcome.placed.extend(matches.into_iter().map(|m| {
            let in_test_item = rust
                && rules::relaxed_in_tests(m.rule)
                && test_context::in_test_item(&text, m.range.start);
            Placed {
                in_test_item,
                ..place(&index, m, None)
            }
        }));
        outcome.text = Some(text);
    }
    outcome
}

/// How much of a binary file is read at a time.
const BINARY_CHUNK: u64 = 64 * 1024;

/// A binary file: judged by its name and first bytes, and its printable
/// strings ([`strings`]) go through the home-path and email rules
/// ([`BinaryStrings`]). `bytes` is the whole file (from an archive) or its
/// first bytes, the rest then streamed from `rest` in chunks, so memory
/// stays bounded whatever the file's size; past the size limit it is too
/// large, as a text file would be. The file stays listed as not scanned
/// (`binary`): the other rules do not read it.
fn scan_binary(
    mut bytes: Vec<u8>,
    rest: Option<&mut std::fs::File>,
    archive_path: &str,
    package: &str,
    settings: &Settings,
) -> FileOutcome {
    let mut found = BinaryStrings::new(archive_path, package, settings);
    let mut strings = strings::Strings::new();
    if let Some(file) = rest {
        if let Err(err) = read_up_to(file, &mut bytes, HEAD_LEN) {
            return FileOutcome::by_name(
                archive_path,
                Some(head_of(&bytes)),
                Some(NotScannedReason::Unreadable(err.to_string())),
                settings,
            );
        }
        let mut total = bytes.len() as u64;
        if total > settings.max_file_size {
            return too_large(Some(head_of(&bytes)), archive_path, settings);
        }
        strings.feed(&bytes, &mut |run| found.add(run));
        let mut chunk = Vec::with_capacity(BINARY_CHUNK as usize);
        loop {
            chunk.clear();
            if let Err(err) = read_up_to(file, &mut chunk, BINARY_CHUNK) {
                return FileOutcome::by_name(
                    archive_path,
                    Some(head_of(&bytes)),
                    Some(NotScannedReason::Unreadable(err.to_string())),
                    settings,
                );
            }
            if chunk.is_empty() {
                break;
            }
            total += chunk.len() as u64;
            if total > settings.max_file_size {
                return too_large(Some(head_of(&bytes)), archive_path, settings);
            }
            strings.feed(&chunk, &mut |run| found.add(run));
        }
    } else {
        for chunk in bytes.chunks(BINARY_CHUNK as usize) {
            strings.feed(chunk, &mut |run| found.add(run));
        }
    }
    strings.finish(&mut |run| found.add(run));
    let mut outcome = FileOutcome::by_name(
        archive_path,
        Some(head_of(&bytes)),
        Some(NotScannedReason::Binary),
        settings,
    );
    // A key store or a core dump is reported as a file; what is in it is
    // that finding.
    if outcome.placed.is_empty() {
        outcome.placed = found.finish();
    }
    outcome
}

/// The first [`HEAD_LEN`] bytes, what the rules on files look at.
fn head_of(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len().min(HEAD_LEN as usize)]
}

/// The home-path and email rules over the printable strings of a binary
/// file, collected into batches of text (one run a line) so that each rule
/// runs once per batch, not once per string. Token rules are not run:
/// random bytes make runs that look like tokens, and a checksum-less
/// token shape in compiled code is noise far more often than a leak.
struct BinaryStrings<'a> {
    file: FileContext<'a>,
    settings: &'a Settings,
    /// Runs, one a line.
    batch: String,
    /// Each run of the batch: where it starts in `batch`, in the file, and
    /// its encoding.
    runs: Vec<(usize, u64, strings::Encoding)>,
    found: Vec<Placed>,
}

/// How much text a batch holds before the rules run over it.
const BATCH_LEN: usize = 256 * 1024;

impl<'a> BinaryStrings<'a> {
    fn new(archive_path: &'a str, package: &'a str, settings: &'a Settings) -> Self {
        BinaryStrings {
            file: FileContext {
                archive_path,
                is_manifest: false,
                package,
            },
            settings,
            batch: String::new(),
            runs: Vec::new(),
            found: Vec::new(),
        }
    }

    fn add(&mut self, run: strings::Run) {
        if self.batch.len() + run.text.len() >= BATCH_LEN {
            self.flush();
        }
        self.runs.push((self.batch.len(), run.offset, run.encoding));
        self.batch.push_str(&run.text);
        self.batch.push('\n');
    }

    fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let mut matches = Vec::new();
        rules::home_paths::HomePathDetector.scan(&self.batch, self.file, &mut matches);
        email::EmailDetector.scan(&self.batch, self.file, &mut matches);
        for m in matches {
            if allowed_email(self.settings, &self.batch, &m) {
                continue;
            }
            // The run the value is in; a match never spans two (a newline
            // ends both an address and a path), but is checked anyway.
            let i = self.runs.partition_point(|r| r.0 <= m.range.start) - 1;
            let (start, offset, encoding) = self.runs[i];
            let end = self.runs.get(i + 1).map_or(self.batch.len(), |r| r.0);
            if m.range.end >= end {
                continue;
            }
            let width = encoding.width();
            let at = offset + (m.range.start - start) as u64 * width;
            let region = at..at + m.range.len() as u64 * width;
            let value = &self.batch[m.range.clone()];
            if m.rule.category == Category::Email && !plausible_in_binary(value) {
                continue;
            }
            self.found
                .push(in_binary(m.clone(), value, region, encoding));
        }
        self.batch.clear();
        self.runs.clear();
    }

    fn finish(mut self) -> Vec<Placed> {
        self.flush();
        self.found
    }
}

/// Whether an address found in a binary's strings is written as a person
/// writes one, not spelled by chance: random bytes do spell an address
/// now and then (about one per 20 MB of uniform noise, `k…@h.TF`,
/// `…@38.Mua`). A mailbox of at least two characters, domain labels of at
/// least two, and a domain in one case keep real ones (the OpenSSL assembler credit
/// line in `ring`'s objects) and drop nearly all of chance's.
fn plausible_in_binary(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let one_case = !domain.bytes().any(|b| b.is_ascii_uppercase())
        || !domain.bytes().any(|b| b.is_ascii_lowercase());
    local.len() >= 2 && one_case && domain.split('.').all(|label| label.len() >= 2)
}

/// A value found in a binary file's strings: a finding on the file (it has
/// no lines) that names the byte offset, identified by the value itself.
fn in_binary(m: Match, value: &str, region: Range<u64>, encoding: strings::Encoding) -> Placed {
    let what = m.message.trim_end_matches(" in a packaged file").to_owned();
    let encoding = match encoding {
        strings::Encoding::Ascii => "ASCII",
        strings::Encoding::Utf16Le => "UTF-16LE",
    };
    let at = region.start;
    let mut found = Match::whole_file(
        m.rule,
        format!("{what} in a binary file, at byte {at}"),
        m.redacted.clone(),
    );
    found.notes.push(format!(
        "`{}` is in the file's printable strings ({encoding}) at byte offset {at} (0x{at:x})",
        m.redacted
    ));
    found.notes.extend(m.notes);
    found.help = Some(match m.rule.category {
        Category::HomePath => "a build recorded its path: rebuild it with the path remapped \
             (rustc's `--remap-path-prefix`, a C compiler's `-ffile-prefix-map`), or keep the \
             file out of the package with `exclude`"
            .to_owned(),
        _ => "rebuild the file from data without the address, or keep the file out of the \
             package with `exclude`"
            .to_owned(),
    });
    Placed {
        found,
        fix: None,
        range: None,
        start: None,
        end: None,
        digest: Some(ValueDigest::of(value.as_bytes())),
        byte_region: Some(region),
        in_test_item: false,
    }
}

/// A secret in a packaged file has no automatic fix: its help says to
/// revoke or rotate it and read it from the environment (the rule's own
/// help), and adds the other way out: keeping the file out of the package.
fn with_exclude_hint(m: &mut Match, archive_path: &str) {
    use crate::diagnostic::Category;
    if !matches!(m.rule.category, Category::Secret | Category::PrivateKey) {
        return;
    }
    // The crate's own code cannot be left out; tests, examples and data can.
    let builds_the_crate = archive_path.starts_with("src/") || archive_path == "build.rs";
    if builds_the_crate && crate::rules::file_kind::is_source_code(archive_path) {
        return;
    }
    if let Some(help) = &m.help {
        if !help.contains("exclude") {
            m.help = Some(format!(
                "{help}; if the crate does not need `{archive_path}`, keep it out of the \
                 package with `exclude = [\"{}\"]`",
                sensitive_files::exclude_pattern(archive_path)
            ));
        }
    }
}

/// The most [`read_text`] reads: findings' files are within the scan
/// limit, which configuration may raise up to this.
const MAX_READ_TEXT: u64 = 1 << 30;

/// What [`read_sniffing`] read.
enum Sniffed {
    /// The whole text file.
    Whole(Vec<u8>),
    /// A binary file: its first bytes, and the file to stream the rest
    /// from.
    Binary(Vec<u8>, std::fs::File),
    /// Its first [`HEAD_LEN`] bytes: it is larger than the limit.
    TooLarge(Vec<u8>),
}

/// Reads a file for scanning: whole if it is text; if its first 8 KiB hold
/// a NUL byte it is binary, and the rest is left to [`scan_binary`] to
/// stream through (on the corpus, binary files are 210 MB beside 505 MB of
/// text; none is held whole). A file larger
/// than `limit` by its metadata or while reading (a file in `/proc`
/// states 0 bytes) is kept by its head.
fn read_sniffing(path: &Path, limit: u64) -> Result<Sniffed, ReadError> {
    let (mut file, size) = open_regular(path)?;
    let head = |mut bytes: Vec<u8>| {
        bytes.truncate(HEAD_LEN as usize);
        bytes.shrink_to_fit();
        bytes
    };
    let mut bytes = Vec::new();
    if size > limit {
        read_up_to(&mut file, &mut bytes, HEAD_LEN)?;
        return Ok(Sniffed::TooLarge(head(bytes)));
    }
    // Room for the stated size and one read past it, so that an honest
    // file is read without growing the buffer.
    bytes.reserve_exact(
        usize::try_from(size)
            .unwrap_or(0)
            .saturating_add(64 * 1024 + 1),
    );
    read_up_to(&mut file, &mut bytes, BINARY_SNIFF_LEN as u64)?;
    if is_binary(&bytes) {
        bytes.shrink_to_fit();
        return Ok(Sniffed::Binary(bytes, file));
    }
    read_up_to(&mut file, &mut bytes, limit.saturating_add(1))?;
    if bytes.len() as u64 > limit {
        return Ok(Sniffed::TooLarge(head(bytes)));
    }
    Ok(Sniffed::Whole(bytes))
}

/// The addresses in `manifest`'s `[workspace.package].authors`, except
/// allowed ones, each with a fix that also edits the members it would
/// leave unresolved; their ranges are `taken` from the generic rules.
fn workspace_authors(
    manifest: &Manifest,
    index: &LineIndex<'_>,
    settings: &Settings,
    members: &Members<'_>,
    taken: &mut Vec<Range<usize>>,
    out: &mut Vec<(PathBuf, Placed)>,
) {
    for f in authors::check(manifest, AuthorsTable::WorkspacePackage) {
        taken.push(f.found.range.clone());
        if !allowed_email(settings, &manifest.text, &f.found) {
            let fix = members.complete(f.fix, f.empties_workspace_authors);
            out.push((manifest.path.clone(), place(index, f.found, fix)));
        }
    }
}

/// Findings from a package's own manifest and from the root-manifest values
/// it inherits, as (source manifest path, placed match).
fn scan_manifest(
    own: &Manifest,
    root: Option<&Manifest>,
    settings: &Settings,
    members: &Members<'_>,
) -> Vec<(PathBuf, Placed)> {
    let mut out = Vec::new();
    let context = FileContext {
        archive_path: "Cargo.toml.orig",
        is_manifest: true,
        package: "",
    };

    // The package's own manifest ships whole, comments included.
    let own_index = LineIndex::new(&own.text);
    let mut structured = authors::check(own, AuthorsTable::Package);
    structured.retain(|f| !allowed_email(settings, &own.text, &f.found));
    let taken: Vec<Range<usize>> = structured.iter().map(|f| f.found.range.clone()).collect();
    for f in structured {
        out.push((own.path.clone(), place(&own_index, f.found, f.fix)));
    }
    // A workspace root that is itself a package also ships its
    // `[workspace.package]` table verbatim in `Cargo.toml.orig`.
    let mut taken = taken;
    workspace_authors(own, &own_index, settings, members, &mut taken, &mut out);
    let mut found = detect(&own.text, context);
    settings
        .custom
        .scan(&own.text, "Cargo.toml.orig", &mut found);
    for m in found {
        if !overlaps_any(&m.range, &taken) && !allowed_email(settings, &own.text, &m) {
            let fix = manifest_fix(own, &m);
            out.push((own.path.clone(), place(&own_index, m, fix)));
        }
    }

    // Values inherited from the root manifest ship in the normalized
    // Cargo.toml; they are reported where they are written.
    let Some(root) = root.filter(|r| r.path != own.path) else {
        return out;
    };
    let inherited = own.inherited_ranges(root);
    if inherited.is_empty() {
        return out;
    }
    let root_index = LineIndex::new(&root.text);
    let mut taken = Vec::new();
    if own.inherits("authors") {
        workspace_authors(root, &root_index, settings, members, &mut taken, &mut out);
    }
    let mut found = detect(&root.text, context);
    settings
        .custom
        .scan(&root.text, "Cargo.toml.orig", &mut found);
    for m in found {
        let shipped = inherited
            .iter()
            .any(|(_, r)| r.start <= m.range.start && m.range.end <= r.end);
        if shipped && !overlaps_any(&m.range, &taken) && !allowed_email(settings, &root.text, &m) {
            let fix = manifest_fix(root, &m);
            out.push((root.path.clone(), place(&root_index, m, fix)));
        }
    }
    out
}

/// The workspace's member manifests, read only when a fix removes
/// `[workspace.package].authors`: each member saying
/// `authors.workspace = true` must lose that line in the same fix, or cargo
/// could no longer load it.
/// A member manifest: its path, its digest, and the edit removing its
/// `authors.workspace = true` (if it says so).
type MemberRead = (PathBuf, ValueDigest, Option<Edit>);

struct Members<'a> {
    paths: &'a [PathBuf],
    /// Each member read: its digest (for `--fix`'s check) and its edit.
    read: std::sync::OnceLock<Option<Vec<MemberRead>>>,
}

impl<'a> Members<'a> {
    fn new(paths: &'a [PathBuf]) -> Self {
        Members {
            paths,
            read: std::sync::OnceLock::new(),
        }
    }

    /// `fix` with the members' edits added when it empties the workspace's
    /// `authors`. Without them (a member could not be read) it stays
    /// maybe-incorrect, as `authors` built it.
    fn complete(&self, fix: Option<Fix>, empties_workspace_authors: bool) -> Option<Fix> {
        let mut fix = fix?;
        if !empties_workspace_authors {
            return Some(fix);
        }
        let Some(members) = self.read() else {
            return Some(fix);
        };
        let edits: Vec<Edit> = members.iter().filter_map(|(_, _, e)| e.clone()).collect();
        fix.description = format!(
            "remove `authors` (it held only this address), and `authors.workspace = true` from {}",
            crate::display::plural(edits.len(), "member")
        );
        fix.edits.extend(edits);
        fix.applicability = Applicability::MachineApplicable;
        Some(fix)
    }

    fn read(&self) -> Option<&Vec<MemberRead>> {
        self.read
            .get_or_init(|| {
                self.paths
                    .iter()
                    .map(|path| {
                        let member = Manifest::read(path).ok()?;
                        let digest = ValueDigest::of(member.text.as_bytes());
                        let edit = crate::fix::remove_inherited(&member, "authors");
                        Some((path.clone(), digest, edit))
                    })
                    .collect()
            })
            .as_ref()
    }

    fn digests(&self) -> impl Iterator<Item = (PathBuf, ValueDigest)> + '_ {
        self.read
            .get()
            .and_then(Option::as_ref)
            .into_iter()
            .flatten()
            .map(|(p, d, _)| (p.clone(), *d))
    }
}

/// Fixes for text findings in a manifest: a URL loses its credentials.
/// Maybe-incorrect: the URL may stop working without them.
fn manifest_fix(manifest: &Manifest, found: &Match) -> Option<Fix> {
    if found.rule != &url_credentials::URL_CREDENTIALS {
        return None;
    }
    let (range, replacement) =
        url_credentials::strip_credentials(&manifest.text, found.range.clone())?;
    Some(Fix {
        applicability: Applicability::MaybeIncorrect,
        description:
            "remove the credentials from the URL (then revoke them: they are already exposed)"
                .to_owned(),
        edits: vec![Edit {
            path: manifest.path.clone(),
            range,
            replacement,
        }],
    })
}

/// The manifests of one package.
enum PackageManifests {
    /// A package's own `Cargo.toml` (it ships as `Cargo.toml.orig`, and
    /// with the root manifest's inherited values as `Cargo.toml`).
    Local(Box<Manifest>),
    /// A published crate's two manifests; a crate published before cargo
    /// kept `Cargo.toml.orig` has only the normalized one.
    Unpacked {
        original: Option<Box<Manifest>>,
        normalized: Box<Manifest>,
    },
}

impl PackageManifests {
    fn all(&self) -> Vec<&Manifest> {
        match self {
            PackageManifests::Local(m) => vec![&**m],
            PackageManifests::Unpacked {
                original,
                normalized,
            } => original.iter().chain([normalized]).map(|m| &**m).collect(),
        }
    }

    /// Findings as (file, archive path, placed match).
    fn scan(
        &self,
        root: Option<&Manifest>,
        settings: &Settings,
        members: &Members<'_>,
    ) -> Vec<(PathBuf, &'static str, Placed)> {
        match self {
            PackageManifests::Local(own) => scan_manifest(own, root, settings, members)
                .into_iter()
                .map(|(path, p)| {
                    let archive = if path == own.path {
                        "Cargo.toml.orig"
                    } else {
                        "Cargo.toml"
                    };
                    (path, archive, p)
                })
                .collect(),
            // The two manifests are one: a value in both is reported once,
            // in `Cargo.toml.orig`, where its author wrote it.
            PackageManifests::Unpacked {
                original,
                normalized,
            } => {
                let mut out: Vec<(PathBuf, &'static str, Placed)> = Vec::new();
                let mut seen: HashSet<(&'static str, String)> = HashSet::new();
                for (manifest, archive) in original
                    .iter()
                    .map(|m| (&**m, "Cargo.toml.orig"))
                    .chain([(&**normalized, "Cargo.toml")])
                {
                    for (path, p) in scan_manifest(manifest, None, settings, members) {
                        let value = p
                            .range
                            .as_ref()
                            .and_then(|r| manifest.text.get(r.clone()))
                            .unwrap_or_default()
                            .to_owned();
                        if seen.insert((p.found.rule.name, value)) {
                            out.push((path, archive, p));
                        }
                    }
                }
                out
            }
        }
    }
}

fn overlaps_any(range: &Range<usize>, others: &[Range<usize>]) -> bool {
    others
        .iter()
        .any(|o| range.start < o.end && o.start < range.end)
}

/// Scans the selected packages.
pub fn scan(selection: &Selection, options: &ScanOptions) -> Result<Report, ScanError> {
    // The root manifest matters only to members that inherit from it.
    let root = if selection
        .packages
        .iter()
        .any(|p| p.manifest_path != selection.root_manifest)
    {
        match Manifest::read(&selection.root_manifest) {
            Ok(root) => Some(root),
            Err(ManifestError::Io { .. }) => None,
            Err(err) => return Err(err.into()),
        }
    } else {
        None
    };

    // List every package's files (in parallel: a listing is mostly
    // directory reads), then decide who scans which source file.
    let listed: Vec<Result<(PackageManifests, PackageReport), ScanError>> = selection
        .packages
        .par_iter()
        .map(|package| {
            let (manifests, listed) = match package.source {
                PackageSource::Local => {
                    let own = Box::new(Manifest::read(&package.manifest_path)?);
                    let listed = package_files::list(&PackageInput {
                        manifest_path: &package.manifest_path,
                        workspace_root: &selection.workspace_root,
                        readme: package.readme.as_deref(),
                        license_file: package.license_file.as_deref(),
                    });
                    (PackageManifests::Local(own), listed)
                }
                PackageSource::Unpacked => {
                    let original = package.manifest_path.with_file_name("Cargo.toml.orig");
                    let original = original
                        .is_file()
                        .then(|| Manifest::read(&original).map(Box::new))
                        .transpose()?;
                    let normalized = Box::new(Manifest::read(&package.manifest_path)?);
                    let listed = package_files::list_unpacked(package.root());
                    (
                        PackageManifests::Unpacked {
                            original,
                            normalized,
                        },
                        listed,
                    )
                }
            };
            let files = listed.map_err(|source| ScanError::PackageFiles {
                package: package.name.clone(),
                manifest_path: package.manifest_path.clone(),
                source,
            })?;
            let report = PackageReport {
                name: package.name.clone(),
                version: package.version.clone(),
                manifest_path: package.manifest_path.clone(),
                files,
                findings: Vec::new(),
                not_scanned: Vec::new(),
                files_scanned: 0,
                bytes_scanned: 0,
                allowed: Vec::new(),
                allow_problems: Vec::new(),
                hidden: Vec::new(),
                archive: None,
                sources: HashMap::new(),
            };
            Ok((manifests, report))
        })
        .collect();
    // A package that cannot be listed (a missing `readme`) is a failure of
    // its own: the others are still checked and reported.
    let mut reports = Vec::with_capacity(listed.len());
    let mut manifests = Vec::with_capacity(listed.len());
    let mut package_failures = Vec::new();
    let mut checked = Vec::with_capacity(listed.len());
    for (entry, package) in listed.into_iter().zip(&selection.packages) {
        match entry {
            Ok((m, r)) => {
                manifests.push(m);
                reports.push(r);
                checked.push(package);
            }
            Err(err) => package_failures.push(err),
        }
    }

    let settings: Vec<Settings> = checked
        .iter()
        .map(|p| {
            options
                .settings
                .get(&p.manifest_path)
                .cloned()
                .unwrap_or_else(|| Settings::new(options.levels.clone(), options.max_file_size))
        })
        .collect();

    let mut candidates: Vec<(usize, PathBuf, String)> = Vec::new();
    for (i, report) in reports.iter_mut().enumerate() {
        for file in &report.files {
            if let Contents::Disk(path) = &file.contents {
                // Manifests are checked by `scan_manifest`, and never
                // skipped: they hold the configuration itself.
                if file.archive_path == "Cargo.toml.orig" || file.archive_path == "Cargo.toml" {
                    continue;
                }
                // Neither content nor name is checked. A file several
                // packages ship is still scanned for those that do not
                // skip it.
                if settings[i].skips(&file.archive_path) {
                    report.not_scanned.push(NotScanned {
                        path: path.clone(),
                        why: NotScannedReason::Skipped,
                        level: Level::Note,
                    });
                    continue;
                }
                candidates.push((i, path.clone(), file.archive_path.clone()));
            }
        }
    }
    // Each file's metadata, read once and in parallel: it gives the size
    // (for the order below and the size limit) and tells which paths are
    // one file.
    let metadata: Vec<DiskFile> = candidates
        .par_iter()
        .map(|(_, path, _)| DiskFile::of(path))
        .collect();
    let mut seen = SeenFiles::default();
    let mut jobs: Vec<(usize, PathBuf, String, std::io::Result<u64>)> = Vec::new();
    for ((i, path, archive_path), file) in candidates.into_iter().zip(metadata) {
        if seen.first(&path, file.id) {
            jobs.push((i, path, archive_path, file.size));
        }
    }

    // Largest files first, so that two threads do not end waiting on one
    // big file picked up last. Results are sorted afterwards.
    jobs.sort_by_key(|(_, _, _, size)| std::cmp::Reverse(size.as_ref().map_or(0, |s| *s)));
    let outcomes: Vec<FileOutcome> = jobs
        .par_iter()
        .map(|(i, path, archive_path, _)| {
            scan_file(path, archive_path, &reports[*i].name, &settings[*i])
        })
        .collect();

    let mut placed_by_package: Vec<Vec<(PathBuf, String, Placed)>> =
        (0..reports.len()).map(|_| Vec::new()).collect();
    // Allow comments by file: the package that reports on them, the
    // file's archive path, and whether a marker that allows nothing is
    // reported (see `AllowsByFile`).
    let mut allows = AllowsByFile::default();
    for ((i, path, archive_path, _), outcome) in jobs.into_iter().zip(outcomes) {
        if let Some(comments) = outcome.allows {
            allows.insert(&path, i, &archive_path, true, comments);
        }
        reports[i].count(&path, outcome.not_scanned, outcome.bytes, &settings[i]);
        for p in outcome.placed {
            placed_by_package[i].push((path.clone(), archive_path.clone(), p));
        }
    }
    let members = Members::new(&selection.members);
    let mut manifest_digests: HashMap<PathBuf, ValueDigest> = HashMap::new();
    for manifest in root.iter() {
        manifest_digests.insert(
            manifest.path.clone(),
            ValueDigest::of(manifest.text.as_bytes()),
        );
    }
    // The manifests are scanned in parallel too (they are ~1,500 files on
    // the corpus of 728 crates).
    let manifest_findings: Vec<_> = manifests
        .par_iter()
        .zip(&settings)
        .map(|(m, settings)| m.scan(root.as_ref(), settings, &members))
        .collect();
    for ((i, manifests), found) in manifests.iter().enumerate().zip(manifest_findings) {
        for manifest in manifests.all() {
            reports[i].files_scanned += 1;
            reports[i].bytes_scanned += manifest.text.len() as u64;
            manifest_digests
                .entry(manifest.path.clone())
                .or_insert_with(|| ValueDigest::of(manifest.text.as_bytes()));
            if let Some(comments) = AllowComments::find(&manifest.text, false) {
                let archive = if manifest.path.ends_with("Cargo.toml.orig")
                    || matches!(manifests, PackageManifests::Local(_))
                {
                    "Cargo.toml.orig"
                } else {
                    "Cargo.toml"
                };
                allows.insert(&manifest.path, i, archive, true, comments);
            }
        }
        for (path, archive, p) in found {
            placed_by_package[i].push((path, archive.to_owned(), p));
        }
    }

    // A virtual workspace's root manifest is read for the values members
    // inherit; whether its markers allow anything depends on which members
    // are selected, so only unknown names are reported there.
    if let Some(root) = &root {
        if let Some(comments) = AllowComments::find(&root.text, false) {
            allows.insert(&root.path, 0, "Cargo.toml", false, comments);
        }
    }

    // The same value in the same file is one finding, whichever packages
    // ship it.
    for (path, digest) in members.digests() {
        manifest_digests.entry(path).or_insert(digest);
    }
    let mut reported = HashSet::new();
    for (((report, placed), manifests), settings) in reports
        .iter_mut()
        .zip(placed_by_package)
        .zip(&manifests)
        .zip(&settings)
    {
        let own = match manifests {
            PackageManifests::Local(own) => Some(&**own),
            PackageManifests::Unpacked { .. } => None,
        };
        add_findings(report, placed, settings, own, &mut allows, &mut reported);
    }
    // An allow that allows nothing is a warning, or an error under the
    // package's `-D warnings` (from flags or configuration).
    allows.report_problems(&mut reports, |i| {
        if settings[i].levels.denies_warnings() {
            Level::Error
        } else {
            Level::Warning
        }
    });
    Ok(Report {
        packages: reports,
        manifest_digests,
        package_failures,
        ..Report::default()
    })
}

/// What a listed file is on disk: its size, and on Unix its device and
/// inode numbers, from one `stat`.
struct DiskFile {
    size: std::io::Result<u64>,
    /// `None` where the metadata could not be read or the platform has no
    /// inode numbers.
    id: Option<(u64, u64)>,
}

impl DiskFile {
    fn of(path: &Path) -> Self {
        match std::fs::metadata(path) {
            Ok(meta) => DiskFile {
                size: Ok(meta.len()),
                id: inode(&meta),
            },
            Err(err) => DiskFile {
                size: Err(err),
                id: None,
            },
        }
    }
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The listed paths already taken for scanning, to scan a file that
/// several packages ship (a shared `readme = "../README.md"`, or through a
/// symlink) once. Two paths are one file when they canonicalize to the same
/// path. Canonicalizing walks every component of the path (a `readlink`
/// each: on the corpus it was a fifth of the whole run), so it is done only
/// for paths whose inode was already seen: paths that canonicalize alike
/// are the same file and have the same inode, so a new inode is a new file.
/// (Two hard links share an inode but not a canonical path, and stay two
/// files, as before.)
#[derive(Default)]
struct SeenFiles {
    /// For each inode seen, its first path, until a second path with the
    /// same inode has it canonicalized into `canonical`.
    inodes: HashMap<(u64, u64), Option<PathBuf>>,
    canonical: HashSet<PathBuf>,
}

impl SeenFiles {
    /// Whether `path` (with inode `id`, if known) is not yet taken; it is
    /// taken from now on.
    fn first(&mut self, path: &Path, id: Option<(u64, u64)>) -> bool {
        let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_owned());
        let Some(id) = id else {
            return self.canonical.insert(canonical(path));
        };
        match self.inodes.get_mut(&id) {
            None => {
                self.inodes.insert(id, Some(path.to_owned()));
                true
            }
            Some(first) => {
                if let Some(first) = first.take() {
                    self.canonical.insert(canonical(&first));
                }
                self.canonical.insert(canonical(path))
            }
        }
    }
}

/// What makes a finding one: its rule, file and place (a range in the
/// text, or a byte region of a binary file).
type ReportedKey = (
    &'static str,
    PathBuf,
    Option<Range<usize>>,
    Option<Range<u64>>,
);

/// Turns placed matches into the package's findings, at their levels:
/// those allowed by a level, a comment or a fingerprint are dropped (a
/// comment's are kept aside for `-v`), the rest sorted. `reported` holds
/// what is already reported, for the same value in the same file to be one
/// finding. With the package's own manifest, a file that must not ship gets
/// the fix that keeps it out.
fn add_findings(
    report: &mut PackageReport,
    placed: Vec<(PathBuf, String, Placed)>,
    settings: &Settings,
    own: Option<&Manifest>,
    allows: &mut AllowsByFile,
    reported: &mut HashSet<ReportedKey>,
) {
    for (path, archive_path, mut p) in placed {
        let in_test = p.in_test_item || test_context::is_test_path(&archive_path);
        let judged = settings.levels.judge(p.found.rule, in_test);
        let level = judged.level;
        if judged.test_fixture {
            p.found.notes.push(rules::test_fixture_note(p.found.rule));
        }
        // An allow comment is checked before levels, so that it counts
        // as used whatever `-A` says (as rustc's `#[expect]` does).
        let allowed_by = allows.allows(&path, p.found.rule, p.start.map(|s| s.line));
        let digest = p
            .digest
            .unwrap_or_else(|| ValueDigest::of(archive_path.as_bytes()));
        let hidden = level == Level::Allow || settings.allows_value(&digest);
        let key = (
            p.found.rule.name,
            path.clone(),
            p.range.clone(),
            p.byte_region.clone(),
        );
        if !hidden && !reported.insert(key) {
            continue;
        }
        if let Some(own) = own {
            keep_out(own, &path, &archive_path, &mut p);
        }
        let finding = Finding {
            rule: p.found.rule,
            level,
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

/// Scans a published `.crate` read into memory ([`crate::archive`]) as an
/// unpacked crate is scanned: every file in it, and its two manifests as
/// one. Findings are located at `name-version/path`, as the archive names
/// its files. They carry no fix (there is no file to edit: the fix belongs
/// in the source, and in a new version); a fix's description becomes the
/// help. Allow comments in the archive's files apply as in the source.
/// Files are scanned one after the other: archives are what runs in
/// parallel, which bounds the memory to one archive per thread.
pub fn scan_archive(archive: Archive, options: &ScanOptions) -> PackageReport {
    let settings = Settings::new(options.levels.clone(), options.max_file_size);
    let root = PathBuf::from(&archive.prefix);
    let mut report = PackageReport {
        name: archive.name,
        version: archive.version,
        manifest_path: root.join("Cargo.toml"),
        files: archive
            .original
            .iter()
            .chain([&archive.normalized])
            .map(|m| m.path.strip_prefix(&root).unwrap_or(&m.path))
            .map(|p| p.to_string_lossy().into_owned())
            .chain(archive.files.iter().map(|f| f.path.clone()))
            .map(|archive_path| PackagedFile {
                archive_path,
                contents: Contents::Archive,
            })
            .collect(),
        findings: Vec::new(),
        not_scanned: Vec::new(),
        files_scanned: 0,
        bytes_scanned: 0,
        allowed: Vec::new(),
        allow_problems: Vec::new(),
        hidden: Vec::new(),
        archive: Some(archive.path),
        sources: HashMap::new(),
    };
    report
        .files
        .sort_by(|a, b| a.archive_path.cmp(&b.archive_path));
    let mut placed = Vec::new();
    let mut allows = AllowsByFile::default();
    for file in archive.files {
        let path = root.join(&file.path);
        let outcome = if file.size > settings.max_file_size {
            too_large(Some(&file.bytes), &file.path, &settings)
        } else {
            scan_bytes(file.bytes, &file.path, &report.name, &settings)
        };
        report.count(&path, outcome.not_scanned, outcome.bytes, &settings);
        if let Some(comments) = outcome.allows {
            allows.insert(&path, 0, &file.path, true, comments);
        }
        if let Some(text) = outcome.text {
            report.sources.insert(path.clone(), text);
        }
        for p in outcome.placed {
            placed.push((path.clone(), file.path.clone(), p));
        }
    }
    let manifests = PackageManifests::Unpacked {
        original: archive.original.map(Box::new),
        normalized: Box::new(archive.normalized),
    };
    for manifest in manifests.all() {
        report.files_scanned += 1;
        report.bytes_scanned += manifest.text.len() as u64;
        if let Some(comments) = AllowComments::find(&manifest.text, false) {
            let archive = if manifest.path.ends_with("Cargo.toml.orig") {
                "Cargo.toml.orig"
            } else {
                "Cargo.toml"
            };
            allows.insert(&manifest.path, 0, archive, true, comments);
        }
    }
    for (path, archive_path, p) in manifests.scan(None, &settings, &Members::new(&[])) {
        placed.push((path, archive_path.to_owned(), p));
    }
    add_findings(
        &mut report,
        placed,
        &settings,
        None,
        &mut allows,
        &mut HashSet::new(),
    );
    let warning = if settings.levels.denies_warnings() {
        Level::Error
    } else {
        Level::Warning
    };
    let mut reports = [report];
    allows.report_problems(&mut reports, |_| warning);
    let [mut report] = reports;
    for finding in &mut report.findings {
        if let Some(fix) = finding.fix.take() {
            finding.help.get_or_insert(fix.description);
        }
    }
    // Keep the text of the files findings (and allow problems) point into,
    // and only those.
    for manifest in manifests.all() {
        report
            .sources
            .insert(manifest.path.clone(), manifest.text.clone());
    }
    let shown: HashSet<PathBuf> = report
        .findings
        .iter()
        .map(|f| f.path.clone())
        .chain(report.allow_problems.iter().map(|p| p.path.clone()))
        .collect();
    report.sources.retain(|path, _| shown.contains(path));
    keep_finding_lines(&mut report);
    report
}

/// Reduces each of an archive's kept texts to the lines its findings are
/// on, every other line to its newline alone (so that line numbers hold),
/// and moves the findings' ranges into that excerpt. An archive's report
/// lives until the whole run is rendered: without this, every file with a
/// finding stayed in memory whole, for every archive.
fn keep_finding_lines(report: &mut PackageReport) {
    let mut by_path: HashMap<PathBuf, Vec<&mut Finding>> = HashMap::new();
    for f in &mut report.findings {
        if f.range.is_some() {
            by_path.entry(f.path.clone()).or_default().push(f);
        }
    }
    for (path, text) in &mut report.sources {
        let Some(findings) = by_path.get_mut(path) else {
            continue;
        };
        let ranges: Vec<Range<usize>> = findings.iter().filter_map(|f| f.range.clone()).collect();
        let (excerpt, spans) = finding_lines(text, &ranges);
        for f in findings.iter_mut() {
            if let Some(range) = &mut f.range {
                *range = move_into(&spans, range.start)..move_into(&spans, range.end);
            }
        }
        *text = excerpt;
    }
}

/// `text` with only the lines `ranges` touch, each other line reduced to
/// its newline; and the kept spans, as (start in `text`, end in `text`,
/// start in the excerpt).
fn finding_lines(text: &str, ranges: &[Range<usize>]) -> (String, Vec<(usize, usize, usize)>) {
    let mut lines: Vec<Range<usize>> = ranges
        .iter()
        .filter(|r| r.start <= r.end && r.end <= text.len())
        .map(|r| {
            let start = text[..r.start].rfind('\n').map_or(0, |i| i + 1);
            let end = text[r.end..].find('\n').map_or(text.len(), |i| r.end + i);
            start..end
        })
        .collect();
    lines.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(lines.len());
    for line in lines {
        match merged.last_mut() {
            Some(last) if line.start <= last.end => last.end = last.end.max(line.end),
            _ => merged.push(line),
        }
    }
    let mut excerpt = String::new();
    let mut spans = Vec::with_capacity(merged.len());
    let mut at = 0;
    for span in merged {
        let newlines = text.as_bytes()[at..span.start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        excerpt.extend(std::iter::repeat_n('\n', newlines));
        spans.push((span.start, span.end, excerpt.len()));
        excerpt.push_str(&text[span.clone()]);
        at = span.end;
    }
    excerpt.shrink_to_fit();
    (excerpt, spans)
}

/// Where byte `offset` of a text is in its excerpt ([`finding_lines`]).
fn move_into(spans: &[(usize, usize, usize)], offset: usize) -> usize {
    let i = spans.partition_point(|(_, end, _)| *end < offset);
    match spans.get(i) {
        Some(&(start, _, into)) if start <= offset => into + (offset - start),
        _ => 0,
    }
}

/// The allow comments of every file that has some, for the whole run: a
/// file can hold findings of several packages (a root manifest), and a
/// marker is unused only if no package's finding used it.
#[derive(Default)]
struct AllowsByFile {
    /// By file: (package index, archive path, report unused, comments).
    files: HashMap<PathBuf, (usize, String, bool, AllowComments)>,
}

impl AllowsByFile {
    /// Records a file's comments; the first package to report it owns it.
    fn insert(
        &mut self,
        path: &Path,
        package: usize,
        archive_path: &str,
        report_unused: bool,
        comments: AllowComments,
    ) {
        self.files
            .entry(path.to_owned())
            .or_insert_with(|| (package, archive_path.to_owned(), report_unused, comments));
    }

    fn allows(
        &mut self,
        path: &Path,
        rule: &rules::Rule,
        line: Option<usize>,
    ) -> Option<crate::diagnostic::Position> {
        self.files.get_mut(path)?.3.allows(rule, line)
    }

    fn report_problems(self, reports: &mut [PackageReport], level: impl Fn(usize) -> Level) {
        for (path, (i, archive_path, report_unused, comments)) in self.files {
            let level = level(i);
            let report = &mut reports[i];
            for (kind, range, start, end) in comments.problems(report_unused) {
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

/// A file that must not ship gets the fix that keeps it out of its
/// package, or, when no edit is mechanical, a help that says what to
/// change. Only for a file inside the package at its archive path: a
/// `readme` copied from elsewhere ships whatever `exclude` says.
fn keep_out(own: &Manifest, path: &Path, archive_path: &str, p: &mut Placed) {
    use crate::diagnostic::Category;
    use crate::fix::KeepOut;
    if p.range.is_some() || p.found.rule.category != Category::SensitiveFile {
        return;
    }
    let root = own.path.parent().unwrap_or(Path::new(""));
    if path != root.join(archive_path) {
        return;
    }
    let pattern = sensitive_files::exclude_pattern(archive_path);
    match crate::fix::keep_out(own, archive_path, &pattern) {
        Some(KeepOut::Fix(fix)) => p.fix = Some(fix),
        Some(KeepOut::Help(help)) => {
            let rotate = p
                .found
                .help
                .as_deref()
                .is_some_and(|h| h.contains("rotate"));
            p.found.help = Some(if rotate {
                format!("{help}; then rotate every credential it held")
            } else {
                help
            });
        }
        None => {}
    }
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
                Level::Error => counts.errors += 1,
                Level::Warning => counts.warnings += 1,
                Level::Note => counts.notes += 1,
                Level::Allow => {}
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
                Level::Error => counts.errors += 1,
                _ => counts.warnings += 1,
            }
        }
        for n in &self.not_scanned {
            match n.level {
                Level::Error => counts.errors += 1,
                Level::Warning => counts.warnings += 1,
                // Expected (binary, skipped): listed, not counted.
                Level::Note | Level::Allow => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Addresses random bytes spelled in the corpus-sized noise test are
    /// dropped; addresses as people write them are kept.
    #[test]
    fn chance_addresses_in_binaries_are_not_reported() {
        let at = |local: &str, domain: &str| format!("{local}@{domain}");
        for noise in [
            at("sx", "q.HO"),
            at("ab", "38.Mua"),
            at("k", "hh.tf"),
            at("kq", "M.rl"),
        ] {
            assert!(!plausible_in_binary(&noise), "{noise}");
        }
        for real in [
            at("appro", "openssl.org"),
            at("JDOE", "CORP.EXAMPLE.COM"),
            at("js", "cs.man.ac.uk"),
        ] {
            assert!(plausible_in_binary(&real), "{real}");
        }
    }

    /// `--crate` kept the text of every file with a finding, for every
    /// archive, until the end of the run (8 archives of 1.4 MB: 3.8 GB).
    #[test]
    fn an_archive_keeps_only_the_lines_of_its_findings() {
        let text = "one\ntwo VALUE two\nthree\nfour\nfive OTHER\nsix\n".to_owned()
            + &"filler\n".repeat(1000);
        let value = text.find("VALUE").unwrap();
        let other = text.find("OTHER").unwrap();
        let ranges = [value..value + 5, other..other + 5];
        let (excerpt, spans) = finding_lines(&text, &ranges);
        assert_eq!(excerpt, "\ntwo VALUE two\n\n\nfive OTHER");
        for r in &ranges {
            let moved = move_into(&spans, r.start)..move_into(&spans, r.end);
            assert_eq!(&excerpt[moved.clone()], &text[r.clone()]);
            // The same line number: as many newlines before it.
            assert_eq!(
                excerpt[..moved.start].matches('\n').count(),
                text[..r.start].matches('\n').count()
            );
        }
        // A value over several lines keeps all of them.
        let key = text.find("two VALUE").unwrap()..text.find("four").unwrap() + 2;
        let (excerpt, _) = finding_lines(&text, &[key]);
        assert_eq!(excerpt, "\ntwo VALUE two\nthree\nfour");
    }
    use crate::workspace::unpacked_package;

    /// A file reached through a symlink is the file it links to; a hard
    /// link, as for canonical paths, is a file of its own.
    #[cfg(unix)]
    #[test]
    fn a_file_is_taken_once_whatever_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "a").unwrap();
        std::fs::write(dir.path().join("other.txt"), "a").unwrap();
        std::os::unix::fs::symlink("a.txt", dir.path().join("link.txt")).unwrap();
        std::fs::hard_link(&file, dir.path().join("hard.txt")).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let mut seen = SeenFiles::default();
        let mut first = |name: &str| {
            let path = dir.path().join(name);
            let id = DiskFile::of(&path).id;
            seen.first(&path, id)
        };
        assert!(first("a.txt"));
        assert!(!first("a.txt"));
        assert!(!first("link.txt"));
        assert!(!first("sub/../a.txt"));
        assert!(first("hard.txt"));
        assert!(first("other.txt"));
        // Unreadable paths are told apart by their names.
        assert!(first("missing.txt"));
        assert!(!first("missing.txt"));
    }

    #[test]
    fn a_published_crates_two_manifests_are_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("demo-0.1.0");
        std::fs::create_dir_all(root.join("src")).unwrap();
        // The normalized manifest repeats the original's authors and adds
        // one inherited from a workspace the original only points at.
        std::fs::write(
            root.join("Cargo.toml.orig"),
            "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nauthors = [\"Jane <jane.doe@gmail.com>\"]\nrepository.workspace = true\n",
        )
        .unwrap();
        std::fs::write(
            root.join("Cargo.toml"),
            "# generated\n[package]\nname = \"demo\"\nversion = \"0.1.0\"\nauthors = [\"Jane <jane.doe@gmail.com>\"]\ndescription = \"maintained by raj.patel@corp-mail.net\"\n",
        )
        .unwrap();
        std::fs::write(root.join("src/lib.rs"), "// bob.smith@gmail.com\n").unwrap();
        std::fs::write(root.join(".cargo-ok"), "{\"v\":1}").unwrap();
        let package = unpacked_package(&root.join("Cargo.toml")).unwrap();
        let selection = Selection {
            packages: vec![package],
            skipped: Vec::new(),
            warnings: Vec::new(),
            workspace_root: dir.path().to_owned(),
            root_manifest: dir.path().join("Cargo.toml"),
            members: Vec::new(),
        };
        let report = scan(&selection, &ScanOptions::default()).unwrap();
        let package = &report.packages[0];
        let found: Vec<(&str, &str, usize)> = package
            .findings
            .iter()
            .map(|f| (f.rule.name, f.archive_path.as_str(), f.start.unwrap().line))
            .collect();
        assert_eq!(
            found,
            [
                ("manifest-email", "Cargo.toml", 6),
                ("author-email", "Cargo.toml.orig", 4),
                ("email-address", "src/lib.rs", 1),
            ]
        );
        let listed: Vec<&str> = package
            .files
            .iter()
            .map(|f| f.archive_path.as_str())
            .collect();
        assert_eq!(
            listed,
            ["Cargo.toml", "Cargo.toml.orig", "src/lib.rs"],
            "`.cargo-ok` is cargo's, not the crate's"
        );
    }

    #[test]
    fn an_allow_in_cargo_toml_orig_covers_the_normalized_copy_too() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("demo-0.1.0");
        std::fs::create_dir_all(root.join("src")).unwrap();
        let marker = crate::allow_comments::MARKER;
        let email = ["jane.doe", "gmail.com"].join("@");
        // cargo drops comments from the normalized manifest.
        std::fs::write(
            root.join("Cargo.toml.orig"),
            format!("[package]\nname = \"demo\"\nversion = \"0.1.0\"\n# {marker}(author-email)\nauthors = [\"Jane <{email}>\"]\n"),
        )
        .unwrap();
        std::fs::write(
            root.join("Cargo.toml"),
            format!(
                "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nauthors = [\"Jane <{email}>\"]\n"
            ),
        )
        .unwrap();
        std::fs::write(root.join("src/lib.rs"), "").unwrap();
        let selection = Selection {
            packages: vec![unpacked_package(&root.join("Cargo.toml")).unwrap()],
            skipped: Vec::new(),
            warnings: Vec::new(),
            workspace_root: dir.path().to_owned(),
            root_manifest: dir.path().join("Cargo.toml"),
            members: Vec::new(),
        };
        let report = scan(&selection, &ScanOptions::default()).unwrap();
        let package = &report.packages[0];
        assert!(package.findings.is_empty(), "{:?}", package.findings);
        assert!(package.allow_problems.is_empty());
        let allowed: Vec<(&str, &str, usize)> = package
            .allowed
            .iter()
            .map(|a| {
                let f = &a.finding;
                (f.rule.name, f.archive_path.as_str(), f.start.unwrap().line)
            })
            .collect();
        assert_eq!(allowed, [("author-email", "Cargo.toml.orig", 5)]);
    }
}
