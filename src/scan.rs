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
//! pass over it behind its own literal prefilter ([`detect`]). A file that is
//! binary (a NUL byte in its first 8 KiB), larger than the size limit, or
//! unreadable is not scanned for content and is listed as such; rules on
//! file names still apply to it.
//!
//! A published `.crate` read into memory by [`crate::archive`] goes through
//! the same per-file scan (from bytes, not paths) and the same two-manifest
//! logic as an unpacked crate, in [`scan_archive`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rayon::prelude::*;

use crate::archive::{Archive, ArchiveError};
use crate::diagnostic::{Applicability, Edit, Finding, Fix, Level, LineIndex, Match, ValueDigest};
use crate::levels::Levels;
use crate::manifest::{Manifest, ManifestError};
use crate::package_files::{self, Contents, PackageFilesError, PackageInput, PackagedFile};
use crate::rules::authors::{self, AuthorsTable};
use crate::rules::{self, private_keys, sensitive_files, url_credentials, Detector, FileContext};
use crate::workspace::{PackageSource, Selection};

/// Files larger than this are not scanned (and are listed as not scanned).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// How many leading bytes are checked for NUL to call a file binary (git
/// and ripgrep use the same test).
pub(crate) const BINARY_SNIFF_LEN: usize = 8 * 1024;

pub struct ScanOptions {
    pub max_file_size: u64,
    pub levels: Levels,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            levels: Levels::default(),
        }
    }
}

/// Why a shipped file's content was not scanned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotScanned {
    pub path: PathBuf,
    pub why: String,
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
    /// The `.crate` file it was read from, for a published archive.
    pub archive: Option<PathBuf>,
    /// For an archive, the text of each file a finding points into (by
    /// finding path): there is no file on disk to show a snippet from.
    pub sources: HashMap<PathBuf, String>,
}

impl PackageReport {
    /// Counts a file as scanned, or lists it as not scanned and why.
    fn count(&mut self, path: &Path, not_scanned: Option<String>, bytes: u64) {
        match not_scanned {
            Some(why) => self.not_scanned.push(NotScanned {
                path: path.to_owned(),
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
    /// Archives that could not be checked (unreadable, corrupt, hostile):
    /// the others are still reported, and the run is not a success.
    pub failures: Vec<ArchiveError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("failed to list the files of package `{package}`: {source}")]
    PackageFiles {
        package: String,
        source: PackageFilesError,
    },
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

/// Reads a file as text for scanning and display; invalid UTF-8 is replaced
/// (offsets then refer to the replaced text, used consistently by both).
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    })
}

/// The outcome of scanning one file.
struct FileOutcome {
    placed: Vec<Placed>,
    not_scanned: Option<String>,
    bytes: u64,
    /// The scanned text, kept when a finding points into it (an archive's
    /// files have no other copy to show a snippet from).
    text: Option<String>,
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
    }
}

fn scan_file(path: &Path, archive_path: &str, package: &str, max_size: u64) -> FileOutcome {
    // A file that cannot be read is still judged by its name.
    let unreadable = |err: std::io::Error| FileOutcome {
        placed: sensitive_files::check_file(archive_path, None)
            .into_iter()
            .map(whole_file)
            .collect(),
        not_scanned: Some(format!("unreadable: {err}")),
        bytes: 0,
        text: None,
    };
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(err) => return unreadable(err),
    };
    if size > max_size {
        return too_large(read_head(path, HEAD_LEN).as_deref(), archive_path, max_size);
    }
    match read_sniffing(path, size) {
        Ok(bytes) => scan_bytes(bytes, archive_path, package),
        Err(err) => unreadable(err),
    }
}

/// A file larger than the scan limit: judged by its name and first bytes.
fn too_large(head: Option<&[u8]>, archive_path: &str, max_size: u64) -> FileOutcome {
    FileOutcome {
        placed: sensitive_files::check_file(archive_path, head)
            .into_iter()
            .map(whole_file)
            .collect(),
        not_scanned: Some(format!(
            "larger than the {} MiB scan limit",
            max_size / (1024 * 1024)
        )),
        bytes: 0,
        text: None,
    }
}

/// Scans one file's content, from disk or from an archive: rules on its
/// name and first bytes, then, unless it is binary (in which case `bytes`
/// may be only its first [`HEAD_LEN`] bytes), every text detector.
fn scan_bytes(bytes: Vec<u8>, archive_path: &str, package: &str) -> FileOutcome {
    let mut outcome = FileOutcome {
        placed: sensitive_files::check_file(archive_path, Some(&bytes))
            .into_iter()
            .map(whole_file)
            .collect(),
        not_scanned: None,
        bytes: 0,
        text: None,
    };
    if is_binary(&bytes) {
        outcome.not_scanned = Some("binary".to_owned());
        return outcome;
    }
    outcome.bytes = bytes.len() as u64;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    };
    let file = FileContext {
        archive_path,
        is_manifest: false,
        package,
    };
    let mut matches = detect(&text, file);
    // A key file is reported as a file; the key inside it is that finding.
    if outcome
        .placed
        .iter()
        .any(|p| std::ptr::eq(p.found.rule, &sensitive_files::PRIVATE_KEY_FILE))
    {
        matches.retain(|m| !std::ptr::eq(m.rule, &private_keys::PRIVATE_KEY));
    }
    if !matches.is_empty() {
        let index = LineIndex::new(&text);
        outcome
            .placed
            .extend(matches.into_iter().map(|m| place(&index, m, None)));
        outcome.text = Some(text);
    }
    outcome
}

/// Reads a file for scanning: whole if it is text; if its first 8 KiB hold
/// a NUL byte it is binary and only its first [`HEAD_LEN`] bytes are read,
/// which is all the file-name and magic-number rules look at. (On the
/// corpus, binary files are 210 MB beside 505 MB of text.)
fn read_sniffing(path: &Path, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let capacity = usize::try_from(size).unwrap_or(0).min(1 << 30) + 1;
    let mut bytes = Vec::with_capacity(capacity);
    (&mut file)
        .take(BINARY_SNIFF_LEN as u64)
        .read_to_end(&mut bytes)?;
    if is_binary(&bytes) {
        (&mut file)
            .take(HEAD_LEN.saturating_sub(bytes.len() as u64))
            .read_to_end(&mut bytes)?;
        return Ok(bytes);
    }
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The first `len` bytes of a file, if it can be read.
fn read_head(path: &Path, len: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(len)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// Findings from a package's own manifest and from the root-manifest values
/// it inherits, as (source manifest path, placed match).
fn scan_manifest(own: &Manifest, root: Option<&Manifest>) -> Vec<(PathBuf, Placed)> {
    let mut out = Vec::new();
    let context = FileContext {
        archive_path: "Cargo.toml.orig",
        is_manifest: true,
        package: "",
    };

    // The package's own manifest ships whole, comments included.
    let own_index = LineIndex::new(&own.text);
    let structured = authors::check(own, AuthorsTable::Package);
    let taken: Vec<Range<usize>> = structured.iter().map(|f| f.found.range.clone()).collect();
    for f in structured {
        out.push((own.path.clone(), place(&own_index, f.found, f.fix)));
    }
    // A workspace root that is itself a package also ships its
    // `[workspace.package]` table verbatim in `Cargo.toml.orig`.
    let mut taken = taken;
    for f in authors::check(own, AuthorsTable::WorkspacePackage) {
        taken.push(f.found.range.clone());
        out.push((own.path.clone(), place(&own_index, f.found, f.fix)));
    }
    for m in detect(&own.text, context) {
        if !overlaps_any(&m.range, &taken) {
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
        for f in authors::check(root, AuthorsTable::WorkspacePackage) {
            taken.push(f.found.range.clone());
            out.push((root.path.clone(), place(&root_index, f.found, f.fix)));
        }
    }
    for m in detect(&root.text, context) {
        let shipped = inherited
            .iter()
            .any(|(_, r)| r.start <= m.range.start && m.range.end <= r.end);
        if shipped && !overlaps_any(&m.range, &taken) {
            let fix = manifest_fix(root, &m);
            out.push((root.path.clone(), place(&root_index, m, fix)));
        }
    }
    out
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
    fn scan(&self, root: Option<&Manifest>) -> Vec<(PathBuf, &'static str, Placed)> {
        match self {
            PackageManifests::Local(own) => scan_manifest(own, root)
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
                    for (path, p) in scan_manifest(manifest, None) {
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
                archive: None,
                sources: HashMap::new(),
            };
            Ok((manifests, report))
        })
        .collect();
    let mut reports = Vec::with_capacity(listed.len());
    let mut manifests = Vec::with_capacity(listed.len());
    for entry in listed {
        let (m, r) = entry?;
        manifests.push(m);
        reports.push(r);
    }

    let mut seen = HashSet::new();
    let mut jobs: Vec<(usize, PathBuf, String)> = Vec::new();
    for (i, report) in reports.iter().enumerate() {
        for file in &report.files {
            if let Contents::Disk(path) = &file.contents {
                // Manifests are checked by `scan_manifest`.
                if file.archive_path == "Cargo.toml.orig" || file.archive_path == "Cargo.toml" {
                    continue;
                }
                let key = path.canonicalize().unwrap_or_else(|_| path.clone());
                if seen.insert(key) {
                    jobs.push((i, path.clone(), file.archive_path.clone()));
                }
            }
        }
    }

    // Largest files first, so that two threads do not end waiting on one
    // big file picked up last. Results are sorted afterwards.
    jobs.sort_by_cached_key(|(_, path, _)| {
        std::cmp::Reverse(std::fs::metadata(path).map_or(0, |m| m.len()))
    });
    let outcomes: Vec<FileOutcome> = jobs
        .par_iter()
        .map(|(i, path, archive_path)| {
            scan_file(path, archive_path, &reports[*i].name, options.max_file_size)
        })
        .collect();

    let mut placed_by_package: Vec<Vec<(PathBuf, String, Placed)>> =
        (0..reports.len()).map(|_| Vec::new()).collect();
    for ((i, path, archive_path), outcome) in jobs.into_iter().zip(outcomes) {
        reports[i].count(&path, outcome.not_scanned, outcome.bytes);
        for p in outcome.placed {
            placed_by_package[i].push((path.clone(), archive_path.clone(), p));
        }
    }
    for (i, manifests) in manifests.iter().enumerate() {
        for manifest in manifests.all() {
            reports[i].files_scanned += 1;
            reports[i].bytes_scanned += manifest.text.len() as u64;
        }
        for (path, archive, p) in manifests.scan(root.as_ref()) {
            placed_by_package[i].push((path, archive.to_owned(), p));
        }
    }

    // The same value in the same file is one finding, whichever packages
    // ship it.
    let mut reported = HashSet::new();
    for (report, placed) in reports.iter_mut().zip(placed_by_package) {
        add_findings(report, placed, &options.levels, &mut reported);
    }
    Ok(Report {
        packages: reports,
        ..Report::default()
    })
}

/// Turns placed matches into the package's findings, at their levels
/// (allowed ones dropped), sorted. `reported` holds what is already
/// reported, for the same value in the same file to be one finding.
fn add_findings(
    report: &mut PackageReport,
    placed: Vec<(PathBuf, String, Placed)>,
    levels: &Levels,
    reported: &mut HashSet<(&'static str, PathBuf, Option<Range<usize>>)>,
) {
    for (path, archive_path, p) in placed {
        let level = levels.level(p.found.rule);
        if level == Level::Allow {
            continue;
        }
        if !reported.insert((p.found.rule.name, path.clone(), p.range.clone())) {
            continue;
        }
        report.findings.push(Finding {
            rule: p.found.rule,
            level,
            package: report.name.clone(),
            path,
            range: p.range,
            start: p.start,
            end: p.end,
            message: p.found.message,
            label: p.found.label,
            redacted: p.found.redacted,
            notes: p.found.notes,
            help: p.found.help,
            fix: p.fix,
            digest: p
                .digest
                .unwrap_or_else(|| ValueDigest::of(archive_path.as_bytes())),
            archive_path,
        });
    }
    report
        .findings
        .sort_by(|a, b| (&a.path, a.start, a.rule.name).cmp(&(&b.path, b.start, b.rule.name)));
    report.not_scanned.sort_by(|a, b| a.path.cmp(&b.path));
}

/// Scans a published `.crate` read into memory ([`crate::archive`]) as an
/// unpacked crate is scanned: every file in it, and its two manifests as
/// one. Findings are located at `name-version/path`, as the archive names
/// its files. They carry no fix (there is no file to edit: the fix belongs
/// in the source, and in a new version); a fix's description becomes the
/// help. Files are scanned one after the other: archives are what runs in
/// parallel, which bounds the memory to one archive per thread.
pub fn scan_archive(archive: Archive, options: &ScanOptions) -> PackageReport {
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
        archive: Some(archive.path),
        sources: HashMap::new(),
    };
    report
        .files
        .sort_by(|a, b| a.archive_path.cmp(&b.archive_path));
    let mut placed = Vec::new();
    for file in archive.files {
        let path = root.join(&file.path);
        let outcome = if file.size > options.max_file_size {
            too_large(Some(&file.bytes), &file.path, options.max_file_size)
        } else {
            scan_bytes(file.bytes, &file.path, &report.name)
        };
        report.count(&path, outcome.not_scanned, outcome.bytes);
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
    }
    for (path, archive_path, p) in manifests.scan(None) {
        placed.push((path, archive_path.to_owned(), p));
    }
    add_findings(&mut report, placed, &options.levels, &mut HashSet::new());
    for finding in &mut report.findings {
        if let Some(fix) = finding.fix.take() {
            finding.help.get_or_insert(fix.description);
        }
    }
    // Keep the text of the files findings point into, and only those.
    for manifest in manifests.all() {
        if report.findings.iter().any(|f| f.path == manifest.path) {
            report
                .sources
                .insert(manifest.path.clone(), manifest.text.clone());
        }
    }
    report
        .sources
        .retain(|path, _| report.findings.iter().any(|f| &f.path == path));
    report
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

impl Report {
    pub fn counts(&self) -> Counts {
        Counts::of(self.packages.iter().flat_map(|p| &p.findings))
    }

    /// Findings grouped by the source file they point into.
    pub fn findings_by_path(&self) -> HashMap<&Path, Vec<&Finding>> {
        let mut by_path: HashMap<&Path, Vec<&Finding>> = HashMap::new();
        for f in self.packages.iter().flat_map(|p| &p.findings) {
            by_path.entry(&f.path).or_default().push(f);
        }
        by_path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::unpacked_package;

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
            workspace_root: dir.path().to_owned(),
            root_manifest: dir.path().join("Cargo.toml"),
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
}
