//! Exactly the files `cargo package` puts in a .crate, computed without
//! building one. This module owns the whole answer to "what ships": it
//! chooses between cargo's two listing modes (the git index and working tree,
//! or a plain walk of the package folder), applies `include`/`exclude`, leaves
//! out nested packages and `target/`, and then adds what cargo adds on its own
//! (`Cargo.toml.orig`, the generated `Cargo.toml` and `Cargo.lock`,
//! `.cargo_vcs_info.json`, and a `readme`/`license-file` that lives elsewhere).
//! The result must equal `cargo package --list --allow-dirty` line for line;
//! `tests/packaging.rs` checks that against the real cargo.
//!
//! It mirrors cargo 1.95 (`src/cargo/sources/path.rs` `list_files`,
//! `src/cargo/ops/cargo_package/mod.rs` `build_ar_list`, and
//! `src/cargo/ops/cargo_package/vcs/mod.rs` `check_repo_state`); the facts
//! it follows are in `docs/packaging.md`. Git is read the way
//! cargo reads it, in process through `gix`, by [`crate::vcs`] (whose docs
//! say why nothing a repository configures can run, and how repositories of
//! other users and `GIT_*` variables are treated); this module keeps only
//! cargo's packaging rules. Where `cargo package --list` would
//! print a file that `cargo package` then fails to archive (a dangling
//! symlink, an unreadable folder), we return an error instead: there is no
//! .crate to describe, and nothing we could scan.
//!
//! Found by experiment with cargo 1.95, beyond or against
//! `cargo-packaging.md` (each is covered in `tests/packaging.rs`):
//! - `.cargo_vcs_info.json` is not tied to git mode: an untracked (but not
//!   ignored) manifest gets one although its package is walked, and so does a
//!   package with `include`; an ignored manifest or an unborn HEAD gets none.
//! - A tracked file that was deleted from disk is not listed, except under
//!   `target/`, where cargo lists it from the index regardless.
//! - In git mode a folder only counts as a nested package if its
//!   `Cargo.toml` is listed: with that manifest git-ignored, the folder ships.
//! - The untracked `Cargo.lock` git mode drops is the one at the repository
//!   root, which only matters inside a nested repository.
//! - An untracked symlink to a folder is left out by a `link/` ignore rule
//!   (gix's walk matches it as a folder, which `git ls-files` would not).
//! - A tracked manifest that an ignore rule matches gets no
//!   `.cargo_vcs_info.json`: cargo asks the ignore rules, not the index.
//! - With a sparse index cargo fails outright ("Cannot diff indices that
//!   contain sparse entries", from its dirty check); we list what the same
//!   checkout lists with a full index.
//! - `metadata.readme` reports the inferred `README.md` default, and
//!   inherited `readme`/`license-file` paths come rebased onto the package.

use std::ffi::OsStr;
use std::fs;
use std::path::{Component, Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::vcs::{DiskKind, Repo, VcsError};

/// What the listing needs to know about a package. `readme` and
/// `license_file` are the values `cargo metadata` reports (workspace
/// inheritance and the README default already applied, relative to the
/// package folder unless absolute); `include` and `exclude` are read from the
/// manifest here (they can be inherited too).
#[derive(Clone, Debug)]
pub struct PackageInput<'a> {
    /// Absolute path of the package's `Cargo.toml`.
    pub manifest_path: &'a Path,
    /// Absolute path of the workspace root folder (for `include.workspace = true`).
    pub workspace_root: &'a Path,
    pub readme: Option<&'a str>,
    pub license_file: Option<&'a str>,
}

/// Where the bytes of a packaged file come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contents {
    /// A file on disk (for `Cargo.toml.orig`, the package's `Cargo.toml`).
    Disk(PathBuf),
    /// The normalized `Cargo.toml` cargo generates.
    GeneratedManifest,
    /// The `Cargo.lock` cargo generates.
    GeneratedLockfile,
    /// `.cargo_vcs_info.json`.
    VcsInfo,
    /// A file of a published `.crate`, read in memory ([`crate::archive`]).
    Archive,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackagedFile {
    /// The path inside the archive, as `cargo package --list` prints it.
    pub archive_path: String,
    pub contents: Contents,
}

#[derive(Debug, thiserror::Error)]
pub enum PackageFilesError {
    #[error("failed to read `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid manifest `{path}`: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error("invalid `package.{field}` pattern `{pattern}`: {message}")]
    Pattern {
        field: &'static str,
        pattern: String,
        message: String,
    },
    #[error(transparent)]
    Vcs(#[from] VcsError),
    /// A file cargo would list but cannot put in a .crate, so `cargo package`
    /// (and `cargo publish`) fails on it.
    #[error("`cargo package` would fail on `{path}`: {reason}")]
    Unpackageable { path: PathBuf, reason: String },
    #[error("{0}")]
    Other(String),
}

type Result<T, E = PackageFilesError> = std::result::Result<T, E>;

const MANIFEST: &str = "Cargo.toml";
const LOCKFILE: &str = "Cargo.lock";
const ORIGINAL_MANIFEST: &str = "Cargo.toml.orig";
const VCS_INFO: &str = ".cargo_vcs_info.json";

/// The files of the package's .crate, in `cargo package --list` order.
pub fn list(input: &PackageInput<'_>) -> Result<Vec<PackagedFile>> {
    let manifest_path =
        normalize_path(&std::path::absolute(input.manifest_path).map_err(|source| {
            PackageFilesError::Io {
                path: input.manifest_path.to_path_buf(),
                source,
            }
        })?);
    let pkg_root = manifest_path
        .parent()
        .ok_or_else(|| {
            PackageFilesError::Other(format!(
                "`{}` has no parent folder",
                manifest_path.display()
            ))
        })?
        .to_path_buf();

    let patterns = Patterns::read(&manifest_path, input.workspace_root)?;
    let no_include = patterns.include.is_empty();

    // Cargo discovers the repository upwards from the package folder, and
    // compares canonical paths (`strip_prefix_canonical`).
    let repo = Repo::discover(&pkg_root);
    let canonical_root = canonicalize(&pkg_root)?;
    let pkg_rel = match &repo {
        Some(repo) => fs::canonicalize(repo.workdir())
            .ok()
            .and_then(|top| canonical_root.strip_prefix(top).ok().map(Path::to_path_buf)),
        None => None,
    };
    // Git is consulted only without `include` (rust-lang/cargo#4135), and only
    // when the package's own manifest is in the index.
    let git_mode = match (&repo, &pkg_rel) {
        (Some(repo), Some(pkg_rel)) if no_include => repo.is_tracked(&pkg_rel.join(MANIFEST))?,
        _ => false,
    };

    let filter = Filter::new(&pkg_root, &patterns, no_include && !git_mode)?;
    let mut lister = Lister {
        pkg_root: &pkg_root,
        filter,
        visiting: Vec::new(),
    };
    let files = match (&repo, &pkg_rel) {
        (Some(repo), Some(pkg_rel)) if git_mode => {
            lister.visiting.push(canonical_root.clone());
            lister.list_repo(repo, pkg_rel, Path::new(""))?
        }
        _ => {
            let mut files = Vec::new();
            lister.walk(&pkg_root, Path::new(""), true, &mut files)?;
            files
        }
    };

    let vcs_info = match &repo {
        Some(repo) => vcs_info_applies(repo, &manifest_path, pkg_rel.as_deref())?,
        None => false,
    };

    build_archive_list(
        &pkg_root,
        &manifest_path,
        files,
        vcs_info,
        input.license_file,
        input.readme,
    )
}

/// `package.include` and `package.exclude`, with workspace inheritance resolved.
struct Patterns {
    include: Vec<String>,
    exclude: Vec<String>,
}

impl Patterns {
    fn read(manifest_path: &Path, workspace_root: &Path) -> Result<Self> {
        let doc = parse_manifest(manifest_path)?;
        // `[project]` is the pre-2024-edition alias of `[package]`.
        let package = doc
            .get("package")
            .or_else(|| doc.get("project"))
            .and_then(toml_edit::Item::as_table_like);
        let mut root_doc = None;
        let mut field = |name: &'static str| -> Result<Vec<String>> {
            let Some(item) = package.and_then(|package| package.get(name)) else {
                return Ok(Vec::new());
            };
            let inherited = item
                .as_table_like()
                .and_then(|table| table.get("workspace"))
                .and_then(toml_edit::Item::as_bool)
                == Some(true);
            if !inherited {
                return string_array(item, manifest_path, name);
            }
            let root_manifest = workspace_root.join(MANIFEST);
            if root_doc.is_none() {
                root_doc = Some(parse_manifest(&root_manifest)?);
            }
            let inherited = root_doc
                .as_ref()
                .and_then(|doc| doc.get("workspace"))
                .and_then(|workspace| workspace.get("package"))
                .and_then(|package| package.get(name))
                .ok_or_else(|| PackageFilesError::Manifest {
                    path: manifest_path.to_path_buf(),
                    message: format!(
                        "`{name}.workspace = true` but `{}` has no `workspace.package.{name}`",
                        root_manifest.display()
                    ),
                })?;
            string_array(inherited, &root_manifest, name)
        };
        let include = field("include")?;
        let exclude = field("exclude")?;
        Ok(Self { include, exclude })
    }
}

fn parse_manifest(path: &Path) -> Result<toml_edit::Document<String>> {
    let text = fs::read_to_string(path).map_err(|source| PackageFilesError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    toml_edit::Document::parse(text).map_err(|err| PackageFilesError::Manifest {
        path: path.to_path_buf(),
        message: err.to_string(),
    })
}

fn string_array(item: &toml_edit::Item, path: &Path, name: &str) -> Result<Vec<String>> {
    let invalid = || PackageFilesError::Manifest {
        path: path.to_path_buf(),
        message: format!("`{name}` must be an array of strings"),
    };
    item.as_array()
        .ok_or_else(invalid)?
        .iter()
        .map(|value| value.as_str().map(str::to_owned).ok_or_else(invalid))
        .collect()
}

/// Cargo's per-path decision: `include` when given, `exclude` otherwise.
struct Filter {
    include: Gitignore,
    exclude: Gitignore,
    has_include: bool,
}

impl Filter {
    fn new(pkg_root: &Path, patterns: &Patterns, hide_dot_files: bool) -> Result<Self> {
        let build = |field: &'static str, extra: Option<&str>, lines: &[String]| {
            let mut builder = GitignoreBuilder::new(pkg_root);
            for line in extra.into_iter().chain(lines.iter().map(String::as_str)) {
                builder
                    .add_line(None, line)
                    .map_err(|err| PackageFilesError::Pattern {
                        field,
                        pattern: line.to_owned(),
                        message: err.to_string(),
                    })?;
            }
            builder.build().map_err(|err| PackageFilesError::Pattern {
                field,
                pattern: lines.join(", "),
                message: err.to_string(),
            })
        };
        // Without git to say what is junk, cargo leaves out every dot-file
        // (rust-lang/cargo#7183). Cargo builds both matchers even when only
        // one is used, so a bad `exclude` fails even next to an `include`.
        let exclude = build("exclude", hide_dot_files.then_some(".*"), &patterns.exclude)?;
        let include = build("include", None, &patterns.include)?;
        Ok(Self {
            include,
            exclude,
            has_include: !patterns.include.is_empty(),
        })
    }

    /// `rel` is relative to the package root.
    fn allows(&self, rel: &Path, is_dir: bool) -> bool {
        if rel == Path::new(MANIFEST) || rel == Path::new(LOCKFILE) {
            return true;
        }
        if self.has_include {
            // Include lists name files, not every folder on the way to them.
            is_dir
                || self
                    .include
                    .matched_path_or_any_parents(rel, false)
                    .is_ignore()
        } else {
            !self
                .exclude
                .matched_path_or_any_parents(rel, is_dir)
                .is_ignore()
        }
    }
}

/// A file found in the package folder, before cargo's archive rules.
struct SourceFile {
    /// Relative to the package root.
    rel: PathBuf,
    abs: PathBuf,
}

struct Lister<'a> {
    /// The package folder as given (not canonicalized), the base of every
    /// `SourceFile::abs`.
    pkg_root: &'a Path,
    filter: Filter,
    /// Canonical folders being listed, outermost first. Cargo recurses into
    /// a symlinked folder that leads back up without a guard; we stop there.
    visiting: Vec<PathBuf>,
}

impl Lister<'_> {
    /// Git mode for one repository, as cargo's `list_files_gix`: `prefix`
    /// is the package folder inside the work tree ("" for a repository
    /// nested in the package); `base_rel` is where the work tree's `prefix`
    /// sits inside the package.
    fn list_repo(
        &mut self,
        repo: &Repo,
        prefix: &Path,
        base_rel: &Path,
    ) -> Result<Vec<SourceFile>> {
        let walked = repo.walk(prefix)?;
        // Cargo leaves `<pkg>/target/` out of its walk with the pathspec
        // `:!target/` and then adds back whatever the index holds there,
        // without looking at the disk: a deleted tracked file still lists.
        let in_target = repo.tracked_under(&prefix.join("target"))?;
        let entries = walked
            .into_iter()
            .map(|entry| (entry.rela_path, Some(entry.disk_kind)))
            .chain(in_target.into_iter().map(|path| (path, None)));

        let mut files: Vec<SourceFile> = Vec::new();
        let mut nested: Vec<PathBuf> = Vec::new();
        for (repo_rel, kind) in entries {
            let Ok(in_pkg) = repo_rel.strip_prefix(prefix) else {
                continue;
            };
            let rel = base_rel.join(in_pkg);
            let abs = self.pkg_root.join(&rel);

            // A `Cargo.toml` below the root marks a nested package: drop its
            // whole folder, even files found before it and even when the
            // manifest itself is excluded.
            if rel.file_name() == Some(OsStr::new(MANIFEST)) {
                if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
                    files.retain(|file| !file.rel.starts_with(parent));
                    nested.push(parent.to_path_buf());
                    continue;
                }
            }
            if nested.iter().any(|dir| rel.starts_with(dir)) {
                continue;
            }

            let is_dir = match kind {
                // Symlinks are followed to see whether they lead to a folder.
                Some(DiskKind::Symlink) => abs.is_dir(),
                Some(DiskKind::Directory | DiskKind::Repository) => true,
                Some(DiskKind::File) | None => false,
            };
            if is_dir {
                // A submodule, a nested repository or a symlinked folder.
                files.extend(self.list_dir(&abs, &rel)?);
                continue;
            }
            if !self.filter.allows(&rel, false) {
                continue;
            }
            if kind == Some(DiskKind::Symlink) && fs::metadata(&abs).is_err() {
                return Err(broken_symlink(abs));
            }
            files.push(SourceFile { rel, abs });
        }
        Ok(files)
    }

    /// A folder met in git mode. Cargo lists a repository with git (to
    /// honour its ignores and keep its `.git` out) and walks anything else.
    fn list_dir(&mut self, abs: &Path, rel: &Path) -> Result<Vec<SourceFile>> {
        let canonical = canonicalize(abs)?;
        if self.visiting.contains(&canonical) {
            return Ok(Vec::new());
        }
        self.visiting.push(canonical);
        let result = match Repo::open(abs) {
            Some(repo) => self.list_repo(&repo, Path::new(""), rel),
            None => {
                let mut files = Vec::new();
                self.walk(abs, rel, false, &mut files).map(|()| files)
            }
        };
        self.visiting.pop();
        result
    }

    /// Walk mode, as cargo's `walkdir` loop: follows symlinks, prunes what the
    /// filter rejects, never enters a nested package, and skips `target/` at
    /// the package root only.
    fn walk(
        &mut self,
        abs: &Path,
        rel: &Path,
        is_root: bool,
        out: &mut Vec<SourceFile>,
    ) -> Result<()> {
        let meta = fs::metadata(abs).map_err(|source| PackageFilesError::Io {
            path: abs.to_path_buf(),
            source,
        })?;
        if !is_root {
            if !self.filter.allows(rel, meta.is_dir()) {
                return Ok(());
            }
            if !meta.is_dir() {
                if meta.is_file() {
                    out.push(SourceFile {
                        rel: rel.to_path_buf(),
                        abs: abs.to_path_buf(),
                    });
                }
                return Ok(());
            }
            if abs.join(MANIFEST).exists() {
                return Ok(());
            }
        }
        let mut ancestors = vec![canonicalize(abs)?];
        self.walk_dir(abs, rel, 1, is_root, &mut ancestors, out)
    }

    /// The entries of the folder `abs` (at `rel` in the package, `depth`
    /// below the walk's start), recursively. `ancestors` are the canonical
    /// folders the walk is inside, innermost last.
    fn walk_dir(
        &mut self,
        abs: &Path,
        rel: &Path,
        depth: usize,
        is_root: bool,
        ancestors: &mut Vec<PathBuf>,
        out: &mut Vec<SourceFile>,
    ) -> Result<()> {
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| PackageFilesError::Io { path, source }
        };
        for entry in fs::read_dir(abs).map_err(io_err(abs))? {
            let entry = entry.map_err(io_err(abs))?;
            let name = entry.file_name();
            let child_abs = abs.join(&name);
            let child_rel = rel.join(&name);
            let file_type = entry.file_type().map_err(io_err(&child_abs))?;
            let Some(kind) = self.walked_kind(file_type, &child_abs, &child_rel, ancestors)? else {
                continue;
            };
            let canonical = match kind {
                WalkedKind::Folder { canonical } => canonical,
                WalkedKind::File => {
                    if self.filter.allows(&child_rel, false) {
                        out.push(SourceFile {
                            rel: child_rel,
                            abs: child_abs,
                        });
                    }
                    continue;
                }
                // Sockets and FIFOs are not files cargo archives.
                WalkedKind::Special => continue,
            };
            if !self.filter.allows(&child_rel, true) || child_abs.join(MANIFEST).exists() {
                continue;
            }
            if is_root && depth == 1 && name == "target" {
                continue;
            }
            let canonical = match canonical {
                Some(canonical) => canonical,
                None => ancestors
                    .last()
                    .map(|parent| parent.join(&name))
                    .unwrap_or_else(|| child_abs.clone()),
            };
            ancestors.push(canonical);
            let result = self.walk_dir(&child_abs, &child_rel, depth + 1, is_root, ancestors, out);
            ancestors.pop();
            result?;
        }
        Ok(())
    }

    /// What the folder entry at `abs` is, symlinks followed; `None` for a
    /// symlink to skip: one leading back to a folder the walk is inside
    /// (cargo warns "File system loop found" and skips it), or a dangling
    /// one the filter rejects. A dangling symlink the filter keeps is an
    /// error.
    fn walked_kind(
        &self,
        file_type: fs::FileType,
        abs: &Path,
        rel: &Path,
        ancestors: &[PathBuf],
    ) -> Result<Option<WalkedKind>> {
        if !file_type.is_symlink() {
            return Ok(Some(WalkedKind::of(
                file_type.is_dir(),
                file_type.is_file(),
            )));
        }
        match fs::metadata(abs) {
            Ok(target) if target.is_dir() => {
                let canonical = canonicalize(abs)?;
                if ancestors.contains(&canonical) {
                    return Ok(None);
                }
                Ok(Some(WalkedKind::Folder {
                    canonical: Some(canonical),
                }))
            }
            Ok(target) => Ok(Some(WalkedKind::of(false, target.is_file()))),
            Err(_) if self.filter.allows(rel, false) => Err(broken_symlink(abs.to_path_buf())),
            Err(_) => Ok(None),
        }
    }
}

/// What an entry met by [`Lister::walk_dir`] is, symlinks followed.
enum WalkedKind {
    /// A folder; `canonical` is its canonical path when reached through a
    /// symlink (else it is derived from its parent's).
    Folder {
        canonical: Option<PathBuf>,
    },
    File,
    /// A socket, a FIFO or a device.
    Special,
}

impl WalkedKind {
    fn of(is_dir: bool, is_file: bool) -> Self {
        if is_dir {
            WalkedKind::Folder { canonical: None }
        } else if is_file {
            WalkedKind::File
        } else {
            WalkedKind::Special
        }
    }
}

fn broken_symlink(path: PathBuf) -> PackageFilesError {
    // `cargo package --list` prints a dangling link, then `cargo package`
    // fails to open it for archiving.
    PackageFilesError::Unpackageable {
        path,
        reason: "it is a symbolic link to nothing".into(),
    }
}

fn canonicalize(path: &Path) -> Result<PathBuf> {
    fs::canonicalize(path).map_err(|source| PackageFilesError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Whether cargo writes `.cargo_vcs_info.json` (`check_repo_state`): the
/// manifest exists, is not ignored (tracked or not: cargo asks the ignore
/// rules, not the index), and HEAD names a commit. This is independent of
/// `include` and of git mode.
fn vcs_info_applies(repo: &Repo, manifest_path: &Path, pkg_rel: Option<&Path>) -> Result<bool> {
    if !manifest_path.exists() {
        return Ok(false);
    }
    if let Some(pkg_rel) = pkg_rel {
        if repo.is_ignored(&pkg_rel.join(MANIFEST), false)? {
            return Ok(false);
        }
    }
    // An unborn HEAD (no commits yet) gives no sha1, so cargo writes no
    // file. Cargo errors on a HEAD that exists but does not resolve; we
    // just leave the file out then.
    Ok(repo.head_commit().is_some())
}

/// A file of the .crate before it is sorted: where it goes, and where its
/// bytes come from.
struct ArchiveEntry {
    /// The path inside the package.
    rel: PathBuf,
    contents: Contents,
}

/// Cargo's `build_ar_list`: the manifest pair, the lockfile, the VCS info,
/// then `license-file` and `readme` wherever they live, sorted by path.
fn build_archive_list(
    pkg_root: &Path,
    manifest_path: &Path,
    files: Vec<SourceFile>,
    vcs_info: bool,
    license_file: Option<&str>,
    readme: Option<&str>,
) -> Result<Vec<PackagedFile>> {
    let mut entries: Vec<ArchiveEntry> = Vec::with_capacity(files.len() + 4);
    let mut has_manifest = false;
    for file in files {
        match shipped_name(&file)? {
            LOCKFILE => continue,
            // Cargo keys its list case-insensitively here, for Windows.
            name if name.eq_ignore_ascii_case(MANIFEST) => has_manifest = true,
            _ => entries.push(ArchiveEntry {
                rel: file.rel,
                contents: Contents::Disk(file.abs),
            }),
        }
    }
    let generated = |rel: &str, contents| ArchiveEntry {
        rel: PathBuf::from(rel),
        contents,
    };
    // Without its own manifest in the list cargo only warns; mirror that.
    if has_manifest {
        entries.push(generated(
            ORIGINAL_MANIFEST,
            Contents::Disk(manifest_path.to_path_buf()),
        ));
        entries.push(generated(MANIFEST, Contents::GeneratedManifest));
    }
    entries.push(generated(LOCKFILE, Contents::GeneratedLockfile));
    if vcs_info {
        entries.push(generated(VCS_INFO, Contents::VcsInfo));
    }

    // License first, then readme: with two outside files of the same name,
    // the license wins.
    for (key, value) in [("license-file", license_file), ("readme", readme)] {
        let Some(value) = value else { continue };
        let entry = declared_file(pkg_root, key, value)?;
        // Already listed (or, from outside, a root file of that name exists,
        // which cargo keeps with a warning).
        if !entries.iter().any(|listed| listed.rel == entry.rel) {
            entries.push(entry);
        }
    }

    // `Path` order compares component by component: `a/x` < `a-b/x`,
    // although `-` sorts before `/` as a string.
    entries.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(entries
        .into_iter()
        .map(|entry| PackagedFile {
            archive_path: archive_path(&entry.rel),
            contents: entry.contents,
        })
        .collect())
}

/// The path of a file found in the package folder, as a string, when cargo
/// can archive it: a name that unpacks everywhere, a UTF-8 path, and none
/// of the names cargo writes itself.
fn shipped_name(file: &SourceFile) -> Result<&str> {
    check_filename(&file.rel)?;
    let Some(rel_str) = file.rel.to_str() else {
        return Err(PackageFilesError::Unpackageable {
            path: file.abs.clone(),
            reason: "its path is not UTF-8".into(),
        });
    };
    if matches!(rel_str, VCS_INFO | ORIGINAL_MANIFEST) {
        return Err(PackageFilesError::Unpackageable {
            path: file.abs.clone(),
            reason: format!("`{rel_str}` is a name cargo reserves for itself"),
        });
    }
    Ok(rel_str)
}

/// The file a `license-file` or `readme` (`key`) of `value` points to,
/// relative to the package folder: where it lies inside the package, or at
/// the archive root under its name when it lives outside.
fn declared_file(pkg_root: &Path, key: &str, value: &str) -> Result<ArchiveEntry> {
    let declared = Path::new(value);
    let abs = normalize_path(&pkg_root.join(declared));
    if !abs.is_file() {
        return Err(PackageFilesError::Unpackageable {
            path: abs,
            reason: format!("`{key}` does not point to a file"),
        });
    }
    let rel = match abs.strip_prefix(pkg_root) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => match declared.file_name() {
            Some(name) => PathBuf::from(name),
            None => {
                return Err(PackageFilesError::Unpackageable {
                    path: abs,
                    reason: format!("`{key}` `{value}` has no file name"),
                })
            }
        },
    };
    Ok(ArchiveEntry {
        rel,
        contents: Contents::Disk(abs),
    })
}

/// Cargo refuses names that cannot be unpacked everywhere.
fn check_filename(rel: &Path) -> Result<()> {
    let Some(name) = rel.file_name() else {
        return Ok(());
    };
    let Some(name) = name.to_str() else {
        return Err(PackageFilesError::Unpackageable {
            path: rel.to_path_buf(),
            reason: "its file name is not UTF-8".into(),
        });
    };
    const BAD_CHARS: [char; 9] = ['/', '\\', '<', '>', ':', '"', '|', '?', '*'];
    match name.chars().find(|c| BAD_CHARS.contains(c)) {
        Some(c) => Err(PackageFilesError::Unpackageable {
            path: rel.to_path_buf(),
            reason: format!("its file name contains the special character `{c}`"),
        }),
        None => Ok(()),
    }
}

/// The files of an already-published crate unpacked in `root` (as cargo
/// leaves them in `$CARGO_HOME/registry/src`): every file is in the archive,
/// `Cargo.toml` being the normalized manifest and `Cargo.toml.orig` the
/// original. `.cargo-ok`, cargo's own unpack marker, is not part of it.
/// Symlinks are not followed (an archive holds none that point outside).
pub fn list_unpacked(root: &Path) -> Result<Vec<PackagedFile>> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = fs::read_dir(&dir).map_err(|source| PackageFilesError::Io {
            path: dir.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| PackageFilesError::Io {
                path: dir.clone(),
                source,
            })?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|source| PackageFilesError::Io {
                path: path.clone(),
                source,
            })?;
            if kind.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if rel == Path::new(".cargo-ok") {
                continue;
            }
            files.push((rel, path));
        }
    }
    files.sort();
    Ok(files
        .into_iter()
        .map(|(rel, path)| PackagedFile {
            archive_path: archive_path(&rel),
            contents: Contents::Disk(path),
        })
        .collect())
}

/// The path inside the .crate, `/`-separated on every platform.
fn archive_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Lexical normalization, as `cargo_util::paths::normalize_path`: `.` is
/// dropped and `..` removes the previous component, without touching the disk.
fn normalize_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir | Component::Normal(_) => {
                out.push(component.as_os_str())
            }
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
        }
    }
    out
}
