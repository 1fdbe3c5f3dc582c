//! The engine: every rule over exactly what ships, once per file, for
//! packages on disk and published `.crate` archives alike ([`check`]).
//!
//! Its input is [`crate::inputs::Inputs`]: packages with their manifests
//! read and their shipped files listed. For each package it:
//! - checks the manifests ([`manifests`]): `authors` structurally, every
//!   other rule over the text, plus the values a member inherits from the
//!   workspace root manifest, reported in the root manifest; a published
//!   crate's two manifests are one;
//! - scans every other shipped file ([`file`]). A file shipped by several
//!   packages (a shared `readme = "../README.md"`) is read and reported
//!   once, for the first package that ships it ([`disk`]);
//! - judges what was found ([`findings`]): levels, allow comments,
//!   configuration allow lists.
//!
//! Files are scanned in parallel, largest first, each read once into a
//! buffer its thread reuses ([`crate::read::ReadBuffer`]); every detector
//! makes one pass over it behind its own literal prefilter, two of them
//! sharing one ([`crate::rules::detect`]). Only regular files are opened
//! (without blocking, see [`crate::read::open_checked`]), and never more than the
//! size limit plus one read is read, whatever the file's metadata says. A
//! file that is binary (a NUL byte in its first 8 KiB), larger than the
//! size limit, not a regular file, or unreadable is not scanned for content
//! and is listed as such ([`NotScannedReason`]); rules on file names still
//! apply to it. All but the expected ones (binary, skipped) are warnings
//! and counted.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::allow_comments::AllowComments;
use crate::archive::{self, Archive, ArchiveError};
use crate::config::{Settings, DEFAULT_MAX_FILE_SIZE};
use crate::diagnostic::{Severity, ValueDigest};
use crate::inputs::{self, Body, InputError, Inputs, Package};
use crate::levels::Levels;
use crate::manifest::Manifest;
use crate::report::{NotScanned, NotScannedReason, PackageReport, Report};
use crate::workspace::Selection;

mod binary;
mod disk;
mod file;
mod findings;
mod manifests;
mod sources;
pub mod strings;

use findings::{AllowsByFile, InFile, Placed};
use manifests::Members;

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

impl ScanOptions {
    fn settings_for(&self, package: &Package) -> Settings {
        self.settings_at(&package.manifest_path)
    }

    fn settings_at(&self, manifest_path: &Path) -> Settings {
        self.settings
            .get(manifest_path)
            .cloned()
            .unwrap_or_else(|| Settings::new(self.levels.clone(), self.max_file_size))
    }
}

/// Checks the packages a selection names (read through
/// [`crate::inputs::from_selection`]).
pub fn check_selection(selection: &Selection, options: &ScanOptions) -> Result<Report, InputError> {
    Ok(check(inputs::from_selection(selection)?, options))
}

/// Checks a published `.crate` read into memory ([`crate::archive`]) as an
/// unpacked crate is checked: every file in it, and its two manifests as
/// one. Findings are located at `name-version/path`, as the archive names
/// its files. They carry no fix (there is no file to edit: the fix belongs
/// in the source, and in a new version); a fix's description becomes the
/// help. Allow comments in the archive's files apply as in the source.
pub fn check_archive(archive: Archive, options: &ScanOptions) -> PackageReport {
    let inputs = Inputs {
        packages: vec![inputs::from_archive(archive)],
        ..Inputs::default()
    };
    let mut report = check(inputs, options);
    report.packages.remove(0)
}

/// Checks archives: every `*.crate` directly in a folder given, each file
/// once, archives in parallel (largest first), each scanned file by file as
/// it is decompressed (`check_archive_file`). Paths are relative to `cwd`
/// and shown as given. Reports keep the order given (a folder's archives by
/// name).
pub fn check_archives(inputs: &[PathBuf], cwd: &Path, options: &ScanOptions) -> Report {
    check_archives_with_progress(inputs, cwd, options, &|_, _, _| {})
}

/// [`check_archives`], calling `progress(done, total, archive)` each time an archive
/// has been read and scanned (from the worker threads, in the order they
/// finish), for a status line.
pub fn check_archives_with_progress(
    inputs: &[PathBuf],
    cwd: &Path,
    options: &ScanOptions,
    progress: &(dyn Fn(usize, usize, &Path) + Sync),
) -> Report {
    let (archives, mut failures) = archive::expand(inputs, cwd);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::with_capacity(archives.len()));
    check_archives_each(&archives, cwd, options, &|i, result| {
        let done = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(done, archives.len(), &archives[i]);
        if let Ok(mut results) = results.lock() {
            results.push((i, result));
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);
    let mut report = Report::default();
    for (_, result) in results {
        match result {
            Ok(package) => report.packages.push(package),
            Err(err) => failures.push(err),
        }
    }
    report.failures = failures;
    report
}

/// Checks `archives` (paths relative to `cwd`, as [`archive::expand`]
/// gives them) in parallel, largest first, handing each one's result to
/// `each` with its index as soon as it is checked, from the thread that
/// checked it.
pub fn check_archives_each(
    archives: &[PathBuf],
    cwd: &Path,
    options: &ScanOptions,
    each: &(dyn Fn(usize, Result<PackageReport, ArchiveError>) + Sync),
) {
    let limits = archive::Limits {
        max_file_size: options.max_file_size,
        ..archive::Limits::default()
    };
    // Largest first, so that no thread ends alone on a big archive.
    let mut order: Vec<usize> = (0..archives.len()).collect();
    order.sort_by_cached_key(|&i| {
        std::cmp::Reverse(std::fs::metadata(cwd.join(&archives[i])).map_or(0, |m| m.len()))
    });
    order.into_par_iter().for_each(|i| {
        each(i, check_archive_file(&archives[i], cwd, &limits, options));
    });
}

/// Reads and checks one `.crate` (`path` relative to `cwd`) without ever
/// holding it whole: each file is scanned as it is decompressed
/// ([`archive::read_streaming`]) and only what the scan found is kept, so
/// memory grows with the largest file, not with the archive. The package
/// name the rules see is read from the archive's `name-version/` folder
/// before the manifest is; when the manifest names the package otherwise
/// (it then has a name cargo would refuse), the archive is read again
/// whole and checked as [`check_archive`] does.
fn check_archive_file(
    path: &Path,
    cwd: &Path,
    limits: &archive::Limits,
    options: &ScanOptions,
) -> Result<PackageReport, ArchiveError> {
    let mut scanned: Vec<(Job, file::FileOutcome)> = Vec::new();
    let mut seen: Option<(String, Settings)> = None;
    let archive = archive::read_streaming(path, cwd, limits, &mut |prefix, file, rest| {
        let (name, settings) = seen.get_or_insert_with(|| {
            let manifest_path = Path::new(prefix).join("Cargo.toml");
            (
                name_in_folder(prefix).to_owned(),
                options.settings_at(&manifest_path),
            )
        });
        if settings.skips(&file.path) {
            return; // listed as skipped by `jobs`
        }
        let bytes = std::mem::take(&mut file.bytes);
        file.taken = true;
        let mut job = Job {
            package: 0,
            path: Path::new(prefix).join(&file.path),
            archive_path: file.path.clone(),
            body: Body::Memory {
                size: file.size,
                bytes: Vec::new(),
            },
            size: Some(file.size),
            stat: file::Stat::Unknown,
        };
        let outcome = match rest {
            // A binary file: its head, and the rest streamed from the
            // archive through the printable-strings scan.
            Some(rest) => {
                file::scan_binary_streamed(&bytes, rest, &job.archive_path, name, settings)
            }
            None => {
                job.body = Body::Memory {
                    size: file.size,
                    bytes,
                };
                job.scan(name, settings)
            }
        };
        scanned.push((job, outcome));
    })?;
    if seen.is_some_and(|(name, _)| name != archive.name) {
        return archive::read(path, cwd, limits).map(|a| check_archive(a, options));
    }
    // The order `jobs` gives files in memory: by path, then largest first.
    scanned.sort_by(|a, b| a.0.archive_path.cmp(&b.0.archive_path));
    scanned.sort_by_key(|(job, _)| std::cmp::Reverse(job.size.unwrap_or(0)));
    let inputs = Inputs {
        packages: vec![inputs::from_archive(archive)],
        ..Inputs::default()
    };
    let mut report = check_scanned(inputs, options, scanned);
    Ok(report.packages.remove(0))
}

/// The package name in a `.crate`'s folder name, `name-version`: a crate
/// name has no `.` and a version starts `major.`, so the name ends at the
/// last `-` before the first `.`.
fn name_in_folder(prefix: &str) -> &str {
    let before_dot = &prefix[..prefix.find('.').unwrap_or(prefix.len())];
    before_dot.rfind('-').map_or(prefix, |end| &prefix[..end])
}

/// Checks the packages of `inputs`: the one orchestration of a check.
pub fn check(inputs: Inputs, options: &ScanOptions) -> Report {
    check_scanned(inputs, options, Vec::new())
}

/// [`check`], some files of which were already `scanned` (as an archive
/// was read), in the order [`jobs`] gives.
fn check_scanned(
    inputs: Inputs,
    options: &ScanOptions,
    scanned: Vec<(Job, file::FileOutcome)>,
) -> Report {
    let Inputs {
        mut packages,
        root,
        members,
        failures,
    } = inputs;
    let settings: Vec<Settings> = packages.iter().map(|p| options.settings_for(p)).collect();
    let mut reports: Vec<PackageReport> = packages.iter().map(PackageReport::new).collect();
    let mut found = Found::new(packages.len());

    // The shipped files, in parallel, largest first.
    let jobs = jobs(&mut packages, &settings, &mut reports);
    let outcomes: Vec<(Job, file::FileOutcome)> = jobs
        .into_par_iter()
        .map(|mut job| {
            let outcome = job.scan(&packages[job.package].name, &settings[job.package]);
            (job, outcome)
        })
        .collect();
    for (job, outcome) in scanned.into_iter().chain(outcomes) {
        found.add_file(&mut reports[job.package], job, outcome, &settings);
    }

    // The manifests (in parallel too: ~1,500 files on the corpus).
    let members = Members::new(&members);
    let manifest_findings: Vec<_> = packages
        .par_iter()
        .zip(&settings)
        .map(|(p, s)| manifests::scan_manifests(&p.manifests, root.as_ref(), s, &members))
        .collect();
    for ((i, package), placed) in packages.iter().enumerate().zip(manifest_findings) {
        found.add_manifests(&mut reports[i], i, package, placed);
    }
    // A virtual workspace's root manifest is read for the values members
    // inherit; whether its markers allow anything depends on which members
    // are selected, so only unknown names are reported there.
    if let Some(root) = &root {
        if let Some(comments) = AllowComments::find(&root.text, false) {
            found
                .allows
                .insert(&root.path, 0, "Cargo.toml", false, comments);
        }
    }

    let manifests: Vec<&Manifest> = root
        .iter()
        .chain(
            packages
                .iter()
                .flat_map(|p| p.manifests.all().into_iter().map(|(m, _)| m)),
        )
        .chain(members.manifests())
        .collect();
    let mut report = found.judge(reports, &packages, &settings, &manifests);
    report.package_failures = failures;
    report
}

/// A shipped file to scan, for the package at index `package`.
struct Job {
    package: usize,
    path: PathBuf,
    archive_path: String,
    body: Body,
    /// Its size, for the order (`None` when it could not be read).
    size: Option<u64>,
    /// What its metadata said it is (on disk).
    stat: file::Stat,
}

impl Job {
    /// Scans the file; a body in memory is handed over (and dropped).
    fn scan(&mut self, package: &str, settings: &Settings) -> file::FileOutcome {
        match std::mem::replace(&mut self.body, Body::Disk) {
            Body::Disk => {
                file::scan_file(&self.path, self.stat, &self.archive_path, package, settings)
            }
            Body::Memory { size, bytes } if size > settings.max_file_size => {
                file::too_large(Some(&bytes), &self.archive_path, settings)
            }
            Body::Memory { bytes, .. } => {
                file::scan_bytes(bytes.into(), &self.archive_path, package, settings)
            }
        }
    }
}

/// The files to scan, largest first, so that two threads do not end
/// waiting on one big file picked up last (results are sorted afterwards).
/// A file matched by `skip-paths` is listed as not scanned (neither
/// content nor name is checked; a file several packages ship is still
/// scanned for those that do not skip it), and a file on disk shipped by
/// several packages is scanned once.
fn jobs(
    packages: &mut [Package],
    settings: &[Settings],
    reports: &mut [PackageReport],
) -> Vec<Job> {
    let mut candidates = Vec::new();
    for (i, package) in packages.iter_mut().enumerate() {
        for file in std::mem::take(&mut package.files) {
            if settings[i].skips(&file.archive_path) {
                reports[i].not_scanned.push(NotScanned {
                    path: file.path,
                    why: NotScannedReason::Skipped,
                    level: Severity::Note,
                });
                continue;
            }
            candidates.push(Job {
                package: i,
                size: match &file.body {
                    Body::Memory { size, .. } => Some(*size),
                    Body::Disk => None,
                },
                path: file.path,
                archive_path: file.archive_path,
                body: file.body,
                stat: file::Stat::Unknown,
            });
        }
    }
    // Each file's metadata, read once and in parallel: it gives the size
    // and tells which paths are one file.
    let on_disk: Vec<Option<disk::DiskFile>> = candidates
        .par_iter()
        .map(|job| matches!(job.body, Body::Disk).then(|| disk::DiskFile::of(&job.path)))
        .collect();
    let mut seen = disk::SeenFiles::default();
    let mut jobs: Vec<Job> = Vec::with_capacity(candidates.len());
    for (mut job, meta) in candidates.into_iter().zip(on_disk) {
        if let Some(meta) = meta {
            if !seen.first(&job.path, meta.id) {
                continue;
            }
            job.size = meta.size.ok();
            job.stat = meta.stat;
        }
        jobs.push(job);
    }
    jobs.sort_by_key(|job| std::cmp::Reverse(job.size.unwrap_or(0)));
    jobs
}

/// What the files and manifests gave, per package, until it is judged.
struct Found {
    placed: Vec<Vec<InFile>>,
    /// Allow comments by file (see [`AllowsByFile`]).
    allows: AllowsByFile,
    /// The text of each file a match or an allow comment points into,
    /// until the lines output shows are cut from it.
    texts: HashMap<PathBuf, String>,
}

impl Found {
    fn new(packages: usize) -> Self {
        Found {
            placed: (0..packages).map(|_| Vec::new()).collect(),
            allows: AllowsByFile::default(),
            texts: HashMap::new(),
        }
    }

    fn add_file(
        &mut self,
        report: &mut PackageReport,
        job: Job,
        outcome: file::FileOutcome,
        settings: &[Settings],
    ) {
        let i = job.package;
        if let Some(comments) = outcome.allows {
            self.allows
                .insert(&job.path, i, &job.archive_path, true, comments);
        }
        report.count(&job.path, outcome.not_scanned, outcome.bytes, &settings[i]);
        if let Some(text) = outcome.text {
            self.texts.insert(job.path.clone(), text);
        }
        for p in outcome.placed {
            self.placed[i].push(InFile {
                path: job.path.clone(),
                archive_path: job.archive_path.clone(),
                placed: p,
            });
        }
    }

    fn add_manifests(
        &mut self,
        report: &mut PackageReport,
        i: usize,
        package: &Package,
        placed: Vec<(PathBuf, &'static str, Placed)>,
    ) {
        for (manifest, archive_path) in package.manifests.all() {
            report.files_scanned += 1;
            report.bytes_scanned += manifest.text.len() as u64;
            if let Some(comments) = AllowComments::find(&manifest.text, false) {
                self.allows
                    .insert(&manifest.path, i, archive_path, true, comments);
            }
        }
        for (path, archive_path, p) in placed {
            self.placed[i].push(InFile {
                path,
                archive_path: archive_path.to_owned(),
                placed: p,
            });
        }
    }

    /// Turns what was found into findings at their levels, and the report.
    fn judge(
        mut self,
        mut reports: Vec<PackageReport>,
        packages: &[Package],
        settings: &[Settings],
        manifests: &[&Manifest],
    ) -> Report {
        // The same value in the same file is one finding, whichever
        // packages ship it.
        let mut reported = HashSet::new();
        for (i, (report, placed)) in reports.iter_mut().zip(self.placed).enumerate() {
            let own = packages[i].manifests.own();
            findings::add_findings(
                report,
                placed,
                &settings[i],
                own,
                &mut self.allows,
                &mut reported,
            );
            if packages[i].archive.is_some() {
                sources::without_fixes(report);
            }
        }
        // An allow that allows nothing is a warning, or an error under the
        // package's `-D warnings` (from flags or configuration).
        self.allows.report_problems(&mut reports, |i| {
            if settings[i].levels.denies_warnings() {
                Severity::Error
            } else {
                Severity::Warning
            }
        });
        let texts = sources::Texts {
            files: self.texts,
            manifests: manifests
                .iter()
                .map(|m| (m.path.clone(), m.text.as_str()))
                .collect(),
        };
        sources::keep(&mut reports, packages, &texts);
        // A digest of each manifest as it was read: `--fix` edits a file
        // only if it is still this one.
        let manifest_digests = manifests
            .iter()
            .map(|m| (m.path.clone(), ValueDigest::of(m.text.as_bytes())))
            .collect();
        Report {
            packages: reports,
            manifest_digests,
            ..Report::default()
        }
    }
}

#[cfg(test)]
mod tests;
