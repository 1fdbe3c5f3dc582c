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
//! `src/cargo/ops/cargo_package/vcs/mod.rs` `check_repo_state`); see
//! `../shared/docs/cargo-packaging.md` for the facts. Cargo reads git through
//! gix and git2; we shell out to the `git` CLI instead, so each place where the
//! two could disagree carries a comment. Where `cargo package --list` would
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
//! - An untracked symlink to a folder is left out by a `link/` ignore rule,
//!   which `git ls-files` does not apply to it.
//! - `metadata.readme` reports the inferred `README.md` default, and
//!   inherited `readme`/`license-file` paths come rebased onto the package.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

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
    #[error("`git {args}` failed in `{dir}`: {message}")]
    Git {
        dir: PathBuf,
        args: String,
        message: String,
    },
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

    let repo = Repo::discover(&pkg_root)?;
    // Cargo asks the index whether the manifest is tracked even when `include`
    // is set: that answer also decides `.cargo_vcs_info.json`.
    let tracked = match &repo {
        Some(repo) if no_include => Repo::tracked(&pkg_root, &repo.pkg_rel)?,
        Some(repo) => Repo::tracked(&pkg_root, &repo.pkg_rel.join(MANIFEST))?,
        None => Vec::new(),
    };
    let manifest_tracked = repo.as_ref().is_some_and(|repo| {
        let manifest = repo.pkg_rel.join(MANIFEST);
        tracked.iter().any(|entry| entry.path == manifest)
    });
    // Git is consulted only without `include` (rust-lang/cargo#4135), and only
    // when the package's own manifest is in the index.
    let git_mode = no_include && manifest_tracked;

    let filter = Filter::new(&pkg_root, &patterns, no_include && !git_mode)?;
    let mut lister = Lister {
        pkg_root: &pkg_root,
        filter,
        visiting: Vec::new(),
    };
    let files = match &repo {
        Some(repo) if git_mode => {
            lister.visiting.push(canonicalize(&pkg_root)?);
            lister.list_repo(
                &pkg_root,
                &repo.top,
                &repo.pkg_rel,
                Path::new(""),
                Some(tracked),
            )?
        }
        _ => {
            let mut files = Vec::new();
            lister.walk(&pkg_root, Path::new(""), true, &mut files)?;
            files
        }
    };

    let vcs_info = match &repo {
        Some(repo) => repo.vcs_info_applies(&pkg_root, manifest_tracked)?,
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

/// What a listed path is on disk, following symlinks.
enum DiskKind {
    File,
    Dir { symlink: bool },
    BrokenSymlink,
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
    /// Git mode for one repository. `run_dir` is where to run git; `top` is
    /// the repository's work tree; `prefix` is the package folder inside it
    /// ("" for a repository nested in the package); `base_rel` is where
    /// `top/prefix` sits inside the package.
    fn list_repo(
        &mut self,
        run_dir: &Path,
        top: &Path,
        prefix: &Path,
        base_rel: &Path,
        tracked: Option<Vec<GitPath>>,
    ) -> Result<Vec<SourceFile>> {
        let spec = pathspec(prefix);
        let tracked = match tracked {
            Some(tracked) => tracked,
            None => git_paths(
                run_dir,
                &["ls-files", "-z", "--full-name", "--cached", "--", &spec],
            )?,
        };
        let untracked = git_paths(
            run_dir,
            &[
                "ls-files",
                "-z",
                "--full-name",
                "--others",
                "--exclude-standard",
                "--",
                &spec,
            ],
        )?;
        let target = prefix.join("target");

        let mut files: Vec<SourceFile> = Vec::new();
        let mut nested: Vec<PathBuf> = Vec::new();
        let entries = tracked
            .iter()
            .map(|entry| (entry, true))
            .chain(untracked.iter().map(|entry| (entry, false)));
        for (entry, is_tracked) in entries {
            let repo_rel = entry.path.as_path();
            // Cargo generates its own lockfile; it compares against the
            // repository root, not the package folder.
            if !is_tracked && repo_rel == Path::new(LOCKFILE) {
                continue;
            }
            let Ok(in_pkg) = repo_rel.strip_prefix(prefix) else {
                continue;
            };
            let rel = base_rel.join(in_pkg);
            let abs = self.pkg_root.join(&rel);

            // Cargo leaves `<pkg>/target/` out of its walk with the pathspec
            // `:!target/` and then adds back whatever the index holds there,
            // without looking at the disk: a deleted tracked file still lists.
            let under_target = repo_rel.starts_with(&target) && repo_rel != target;
            if under_target && !is_tracked {
                continue;
            }

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

            let kind = if under_target {
                DiskKind::File
            } else {
                match disk_kind(&abs)? {
                    Some(kind) => kind,
                    // Gone from disk: cargo walks the work tree, not the index.
                    None => continue,
                }
            };
            match kind {
                // `target` itself, a real folder, matches cargo's `:!target/`.
                DiskKind::Dir { symlink: false } if repo_rel == target => {}
                DiskKind::Dir { symlink } => {
                    if symlink
                        && !is_tracked
                        && !entry.listed_as_dir
                        && ignored_as_directory(top, repo_rel)?
                    {
                        continue;
                    }
                    files.extend(self.list_dir(&abs, &rel)?);
                }
                DiskKind::File => {
                    if self.filter.allows(&rel, false) {
                        files.push(SourceFile { rel, abs });
                    }
                }
                DiskKind::BrokenSymlink => {
                    if self.filter.allows(&rel, false) {
                        return Err(broken_symlink(abs));
                    }
                }
            }
        }
        Ok(files)
    }

    /// A folder met in git mode: a submodule, a nested repository or a
    /// symlinked folder. Cargo lists a repository with git (to honour its
    /// ignores and keep its `.git` out) and walks anything else.
    fn list_dir(&mut self, abs: &Path, rel: &Path) -> Result<Vec<SourceFile>> {
        let canonical = canonicalize(abs)?;
        if self.visiting.contains(&canonical) {
            return Ok(Vec::new());
        }
        self.visiting.push(canonical);
        let result = if is_repo_root(abs)? {
            self.list_repo(abs, abs, Path::new(""), rel, None)
        } else {
            let mut files = Vec::new();
            self.walk(abs, rel, false, &mut files).map(|()| files)
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
            let (is_dir, is_file, canonical) = if file_type.is_symlink() {
                match fs::metadata(&child_abs) {
                    Ok(target) if target.is_dir() => {
                        let canonical = canonicalize(&child_abs)?;
                        // A link back to a folder we are inside: cargo warns
                        // "File system loop found" and skips it.
                        if ancestors.contains(&canonical) {
                            continue;
                        }
                        (true, false, Some(canonical))
                    }
                    Ok(target) => (false, target.is_file(), None),
                    Err(_) => {
                        if self.filter.allows(&child_rel, false) {
                            return Err(broken_symlink(child_abs));
                        }
                        continue;
                    }
                }
            } else {
                (file_type.is_dir(), file_type.is_file(), None)
            };

            if !self.filter.allows(&child_rel, is_dir) {
                continue;
            }
            if !is_dir {
                // Sockets and FIFOs are not files cargo archives.
                if is_file {
                    out.push(SourceFile {
                        rel: child_rel,
                        abs: child_abs,
                    });
                }
                continue;
            }
            if child_abs.join(MANIFEST).exists() {
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
}

fn disk_kind(abs: &Path) -> Result<Option<DiskKind>> {
    let meta = match fs::symlink_metadata(abs) {
        Ok(meta) => meta,
        Err(err)
            if matches!(
                err.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None)
        }
        Err(source) => {
            return Err(PackageFilesError::Io {
                path: abs.to_path_buf(),
                source,
            })
        }
    };
    let kind = if meta.file_type().is_symlink() {
        match fs::metadata(abs) {
            Ok(target) if target.is_dir() => DiskKind::Dir { symlink: true },
            Ok(_) => DiskKind::File,
            Err(_) => DiskKind::BrokenSymlink,
        }
    } else if meta.is_dir() {
        DiskKind::Dir { symlink: false }
    } else if meta.is_file() {
        DiskKind::File
    } else {
        // Git cannot track sockets or FIFOs and cargo skips them.
        return Ok(None);
    };
    Ok(Some(kind))
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

/// The git repository a package lives in, as cargo discovers it.
struct Repo {
    /// The work tree's root, canonical (as git prints it).
    top: PathBuf,
    /// The package folder relative to `top`; empty at the root.
    pkg_rel: PathBuf,
}

impl Repo {
    fn discover(pkg_root: &Path) -> Result<Option<Self>> {
        let canonical_root = canonicalize(pkg_root)?;
        // Spawning git for packages that are in no repository at all would be
        // wasted work (and would need git installed), so look for `.git` first.
        if !canonical_root
            .ancestors()
            .any(|dir| fs::symlink_metadata(dir.join(".git")).is_ok())
        {
            return Ok(None);
        }
        let output = run_git(pkg_root, &["rev-parse", "--show-toplevel"])?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            if stderr.contains("not a git repository") {
                return Ok(None);
            }
            return Err(git_error(
                pkg_root,
                &["rev-parse", "--show-toplevel"],
                &output,
            ));
        }
        let top = PathBuf::from(bytes_to_os(trim_newline(&output.stdout))?);
        // Cargo compares canonical paths too (`strip_prefix_canonical`).
        let top = canonicalize(&top)?;
        match canonical_root.strip_prefix(&top) {
            Ok(pkg_rel) => {
                let pkg_rel = pkg_rel.to_path_buf();
                Ok(Some(Self { top, pkg_rel }))
            }
            Err(_) => Ok(None),
        }
    }

    /// Index entries under `path` (repository-relative).
    fn tracked(pkg_root: &Path, path: &Path) -> Result<Vec<GitPath>> {
        let spec = pathspec(path);
        git_paths(
            pkg_root,
            &["ls-files", "-z", "--full-name", "--cached", "--", &spec],
        )
    }

    /// Whether cargo writes `.cargo_vcs_info.json`: the manifest is not
    /// ignored (an untracked one still counts) and HEAD names a commit. This
    /// is independent of `include` and of git mode.
    fn vcs_info_applies(&self, pkg_root: &Path, manifest_tracked: bool) -> Result<bool> {
        if !manifest_tracked {
            // git2's `status_file` never calls a tracked file ignored, and
            // neither does `git check-ignore` (without `--no-index`).
            let output = run_git(pkg_root, &["check-ignore", "-q", "--", MANIFEST])?;
            match output.status.code() {
                Some(0) => return Ok(false),
                Some(1) => {}
                // Cargo treats a failing status lookup as "no VCS info".
                _ => return Ok(false),
            }
        }
        // An unborn HEAD (no commits yet) gives no sha1, so cargo writes no
        // file. Cargo errors on a HEAD that exists but does not resolve; we
        // just leave the file out then.
        let output = run_git(pkg_root, &["rev-parse", "-q", "--verify", "HEAD^{commit}"])?;
        Ok(output.status.success())
    }
}

/// A path printed by `git ls-files`, repository-relative.
struct GitPath {
    path: PathBuf,
    /// `ls-files --others` prints a nested repository as `dir/`.
    listed_as_dir: bool,
}

/// A pathspec for `path` relative to the repository root, whatever folder
/// git runs in; "" means the whole repository.
fn pathspec(path: &Path) -> String {
    let slash_path = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if slash_path.is_empty() {
        ":(top)".to_owned()
    } else {
        format!(":(top,literal){slash_path}")
    }
}

fn is_repo_root(dir: &Path) -> Result<bool> {
    if fs::symlink_metadata(dir.join(".git")).is_err() {
        return Ok(false);
    }
    // A broken `.git` file would make git discover the outer repository;
    // cargo's `gix::open` would fail and walk the folder instead.
    let output = run_git(dir, &["rev-parse", "--show-toplevel"])?;
    if !output.status.success() {
        return Ok(false);
    }
    let top = PathBuf::from(bytes_to_os(trim_newline(&output.stdout))?);
    Ok(fs::canonicalize(top).ok() == fs::canonicalize(dir).ok())
}

/// Cargo's gix walk matches an untracked symlink to a folder against ignore
/// rules as a folder, so `link/` in a `.gitignore` leaves it out, while
/// `git ls-files` sees a plain file and lists it. Re-check such links here,
/// with git's precedence: the nearest `.gitignore` first, then
/// `info/exclude`, then `core.excludesFile`.
fn ignored_as_directory(top: &Path, repo_rel: &Path) -> Result<bool> {
    let abs = top.join(repo_rel);
    let mut sources: Vec<(PathBuf, PathBuf)> = Vec::new();
    for dir in repo_rel.ancestors().skip(1) {
        let dir = top.join(dir);
        sources.push((dir.join(".gitignore"), dir));
    }
    let info_exclude = run_git(top, &["rev-parse", "--git-path", "info/exclude"])?;
    if info_exclude.status.success() {
        let path = PathBuf::from(bytes_to_os(trim_newline(&info_exclude.stdout))?);
        sources.push((top.join(path), top.to_path_buf()));
    }
    let configured = run_git(top, &["config", "--path", "--get", "core.excludesFile"])?;
    let global = if configured.status.success() {
        Some(PathBuf::from(bytes_to_os(trim_newline(
            &configured.stdout,
        ))?))
    } else {
        ignore::gitignore::gitconfig_excludes_path()
    };
    if let Some(global) = global {
        sources.push((top.join(global), top.to_path_buf()));
    }
    for (file, root) in sources {
        if !file.is_file() {
            continue;
        }
        let mut builder = GitignoreBuilder::new(&root);
        // Git skips lines it cannot parse; so does this.
        let _ = builder.add(&file);
        let Ok(matcher) = builder.build() else {
            continue;
        };
        let matched = matcher.matched(&abs, true);
        if matched.is_ignore() {
            return Ok(true);
        }
        if matched.is_whitelist() {
            return Ok(false);
        }
    }
    Ok(false)
}

/// Runs git in `dir` with the environment of a plain invocation: variables
/// that redirect git (set, for instance, inside git hooks) would make it read
/// a repository other than the one cargo discovers from the package folder.
fn run_git(dir: &Path, args: &[&str]) -> Result<Output> {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        // gix lists repositories owned by other users; git would refuse.
        .args(["-c", "safe.directory=*"])
        .args(args)
        .env("LC_ALL", "C")
        .env("GIT_OPTIONAL_LOCKS", "0");
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_COMMON_DIR",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_NAMESPACE",
        "GIT_PREFIX",
        "GIT_CEILING_DIRECTORIES",
        "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    ] {
        command.env_remove(var);
    }
    command.output().map_err(|err| PackageFilesError::Git {
        dir: dir.to_path_buf(),
        args: args.join(" "),
        message: format!("could not run git: {err}"),
    })
}

fn git_error(dir: &Path, args: &[&str], output: &Output) -> PackageFilesError {
    PackageFilesError::Git {
        dir: dir.to_path_buf(),
        args: args.join(" "),
        message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    }
}

/// Runs a `git ls-files -z` command and parses its output.
fn git_paths(dir: &Path, args: &[&str]) -> Result<Vec<GitPath>> {
    let output = run_git(dir, args)?;
    if !output.status.success() {
        return Err(git_error(dir, args, &output));
    }
    let mut paths = output
        .stdout
        .split(|&b| b == 0)
        .filter(|raw| !raw.is_empty())
        .map(|raw| {
            let listed_as_dir = raw.ends_with(b"/");
            let raw = raw.strip_suffix(b"/").unwrap_or(raw);
            Ok(GitPath {
                path: PathBuf::from(bytes_to_os(raw)?),
                listed_as_dir,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // `--cached` prints a conflicted path once per stage, next to each other.
    paths.dedup_by(|a, b| a.path == b.path);
    Ok(paths)
}

fn trim_newline(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    bytes.strip_suffix(b"\r").unwrap_or(bytes)
}

#[cfg(unix)]
fn bytes_to_os(bytes: &[u8]) -> Result<OsString> {
    use std::os::unix::ffi::OsStrExt;
    Ok(OsStr::from_bytes(bytes).to_os_string())
}

#[cfg(not(unix))]
fn bytes_to_os(bytes: &[u8]) -> Result<OsString> {
    std::str::from_utf8(bytes)
        .map(OsString::from)
        .map_err(|_| PackageFilesError::Other("git printed a path that is not UTF-8".into()))
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
    let mut entries: Vec<(PathBuf, Contents)> = Vec::with_capacity(files.len() + 4);
    let mut has_manifest = false;
    for file in files {
        check_filename(&file.rel)?;
        let Some(rel_str) = file.rel.to_str() else {
            return Err(PackageFilesError::Unpackageable {
                path: file.abs,
                reason: "its path is not UTF-8".into(),
            });
        };
        match rel_str {
            LOCKFILE => continue,
            VCS_INFO | ORIGINAL_MANIFEST => {
                return Err(PackageFilesError::Unpackageable {
                    path: file.abs,
                    reason: format!("`{rel_str}` is a name cargo reserves for itself"),
                })
            }
            // Cargo keys its list case-insensitively here, for Windows.
            _ if rel_str.eq_ignore_ascii_case(MANIFEST) => has_manifest = true,
            _ => entries.push((file.rel, Contents::Disk(file.abs))),
        }
    }
    // Without its own manifest in the list cargo only warns; mirror that.
    if has_manifest {
        entries.push((
            PathBuf::from(ORIGINAL_MANIFEST),
            Contents::Disk(manifest_path.to_path_buf()),
        ));
        entries.push((PathBuf::from(MANIFEST), Contents::GeneratedManifest));
    }
    entries.push((PathBuf::from(LOCKFILE), Contents::GeneratedLockfile));
    if vcs_info {
        entries.push((PathBuf::from(VCS_INFO), Contents::VcsInfo));
    }

    // License first, then readme: with two outside files of the same name,
    // the license wins.
    for (key, value) in [("license-file", license_file), ("readme", readme)] {
        let Some(value) = value else { continue };
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
            // Outside the package: copied to the archive root under its name.
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
        // Already listed (or, from outside, a root file of that name exists,
        // which cargo keeps with a warning).
        if !entries.iter().any(|(listed, _)| *listed == rel) {
            entries.push((rel, Contents::Disk(abs)));
        }
    }

    // `Path` order compares component by component: `a/x` < `a-b/x`,
    // although `-` sorts before `/` as a string.
    entries.sort_by(|(a, _), (b, _)| a.cmp(b));
    Ok(entries
        .into_iter()
        .map(|(rel, contents)| PackagedFile {
            archive_path: archive_path(&rel),
            contents,
        })
        .collect())
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
