//! Read-only access to the git repository a package lives in, in process,
//! through `gix`, as cargo's `cargo package` does it. This module answers the
//! questions [`crate::package_files`] asks about git (which repository holds
//! a folder, what the index tracks under a prefix, which untracked files are
//! not ignored, whether a path is ignored, what HEAD names) and, for the
//! `--fix` code, whether a file has uncommitted changes ([`file_state`]).
//! Cargo's own rules about what ships stay in `package_files`.
//!
//! # Nothing the repository configures is ever run
//! No `git` binary is spawned, and none of the operations used here can
//! spawn a process through `gix`:
//! - discovery and opening read files only; the options built by
//!   `open_options` keep `gix` from running `git` to find its installation
//!   config (`git_binary: false`, the default made explicit, and no system
//!   config on Windows, where locating it runs `git --exec-path`) and deny
//!   every environment variable but `HOME` and `XDG_CONFIG_HOME` (needed to
//!   find the user's global config, as cargo does);
//! - the directory walk, index, ignore and HEAD reads have no hook, no
//!   fsmonitor (`gix` implements none: `core.fsmonitor` is never read), no
//!   external diff or textconv, no network, so no `core.sshCommand`,
//!   `core.askPass` or credential helper;
//! - the one conversion of content, in [`file_state`], uses a `gix-filter`
//!   pipeline built here with an empty driver list, so a
//!   `filter.<name>.clean`/`process` driver named by `.gitattributes` is
//!   never started (see [`file_state`] for what that means for the answer).
//!
//! Cargo itself goes further than this listing: `cargo package` runs `gix`'s
//! full `status()`, whose filter pipeline does start a repository's clean
//! drivers when the repository is trusted (checked: cargo 1.95's `cargo
//! package --list` runs the `filter.<name>.clean` of a same-owner
//! repository for a file whose timestamps changed). We never call
//! `status()`.
//! `tests/vcs_safety.rs` arms each of these traps and checks none fires.
//!
//! # Repositories owned by another user
//! Cargo opens them anyway: `gix::ThreadSafeRepository::discover` gives such
//! a repository reduced trust instead of refusing it (git's "dubious
//! ownership"), unless a `safe.directory` entry of the global config names
//! it. With reduced trust, the sections of the repository's own
//! `.git/config` are not used (its `core.excludesFile`, for one, hides
//! nothing), but the index is read and the package
//! is still listed in git mode. We open with the same trust rules, so the
//! listing equals cargo's (`tests/packaging.rs`
//! `repository_owned_by_another_user_is_listed_with_reduced_trust`).
//!
//! # Environment variables
//! Cargo 1.95 discovers with `gix::discover`, not with the environment
//! overrides: `GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE`, `GIT_COMMON_DIR`,
//! `GIT_OBJECT_DIRECTORY` and `GIT_CEILING_DIRECTORIES` change nothing in
//! `cargo package --list` (checked by experiment), nor does
//! `GIT_DISCOVERY_ACROSS_FILESYSTEM` (only the overriding discovery reads
//! it). The `git` CLI this module replaces had them stripped by hand; here
//! `gix` is denied every `GIT_*` variable, which gives the same answers and
//! also ignores `GIT_NAMESPACE` (under which cargo 1.95 fails: "The
//! reference 'HEAD' did not exist"). One difference follows from that
//! choice: `GIT_CONFIG_GLOBAL`, `GIT_CONFIG_SYSTEM` and `GIT_CONFIG_NOSYSTEM`
//! do not move or drop the global config files here. Configuration given by
//! `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_<n>` is read, as cargo reads it.
//! `tests/vcs_safety.rs` `git_environment_variables_change_nothing` runs the
//! binary and cargo with these set.

use std::path::{Path, PathBuf};

use gix::bstr::{BStr, BString, ByteSlice};
use gix::dir::entry::{Kind, Status};
use gix::open::permissions::{Attributes, Config, Environment};
use gix::sec::Permission;

#[derive(Debug, thiserror::Error)]
pub enum VcsError {
    #[error("failed to read the git repository at `{path}`: {message}")]
    Repository { path: PathBuf, message: String },
    #[error("failed to read `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

type Result<T, E = VcsError> = std::result::Result<T, E>;

fn repo_error(path: &Path, err: impl std::fmt::Display) -> VcsError {
    VcsError::Repository {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

/// The options every repository is opened with, whatever its trust level
/// (the level itself is still decided by ownership, and still limits what
/// the repository's own config may say).
fn open_options() -> gix::open::Options {
    let deny = Permission::Deny;
    let permissions = gix::open::Permissions {
        env: Environment {
            xdg_config_home: Permission::Allow,
            home: Permission::Allow,
            http_transport: deny,
            identity: deny,
            objects: deny,
            git_prefix: deny,
            ssh_prefix: deny,
        },
        config: Config {
            git_binary: false,
            // On Windows `gix` finds the system config by running
            // `git --exec-path`; on Unix it is `/etc/gitconfig`.
            system: cfg!(unix),
            ..Config::all()
        },
        attributes: Attributes {
            git_binary: false,
            ..Attributes::all()
        },
    };
    gix::open::Options::default().permissions(permissions)
}

/// How a path found by [`Repo::walk`] is on disk (`None`: not looked at).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskKind {
    File,
    Symlink,
    Directory,
    /// A folder holding a `.git` of its own.
    Repository,
}

/// A path of the work tree, `/`-separated and relative to its root.
#[derive(Clone, Debug)]
pub struct WalkEntry {
    pub rela_path: PathBuf,
    pub disk_kind: DiskKind,
    pub tracked: bool,
}

/// A git repository with a work tree.
pub struct Repo {
    repo: gix::Repository,
    workdir: PathBuf,
}

impl Repo {
    /// The repository holding `dir`, searched upwards as cargo does; `None`
    /// when there is none or it is bare. Discovery failures count as "no
    /// repository", as in cargo.
    pub fn discover(dir: &Path) -> Option<Self> {
        let trust = gix::sec::trust::Mapping {
            full: open_options(),
            reduced: open_options(),
        };
        let repo = gix::ThreadSafeRepository::discover_opts(dir, Default::default(), trust)
            .ok()?
            .to_thread_local();
        Self::with_workdir(repo)
    }

    /// The repository whose work tree (or `.git`) is exactly `dir`, as
    /// cargo's `gix::open` for a folder met in git mode.
    pub fn open(dir: &Path) -> Option<Self> {
        let repo = gix::open_opts(dir, open_options()).ok()?;
        Self::with_workdir(repo)
    }

    fn with_workdir(repo: gix::Repository) -> Option<Self> {
        let workdir = repo.workdir()?.to_path_buf();
        Some(Self { repo, workdir })
    }

    /// The root of the work tree, as `gix` resolved it (absolute).
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    fn index(&self) -> Result<gix::worktree::Index> {
        self.repo
            .index_or_empty()
            .map_err(|err| repo_error(self.repo.path(), err))
    }

    /// Whether the index has an entry for `rela_path` (a file).
    pub fn is_tracked(&self, rela_path: &Path) -> Result<bool> {
        let index = self.index()?;
        Ok(index
            .entry_index_by_path(to_bstr(rela_path).as_ref())
            .is_ok())
    }

    /// The index entries under `prefix` (a folder, `/`-terminated or not),
    /// without looking at the disk, conflicted entries left out.
    pub fn tracked_under(&self, prefix: &Path) -> Result<Vec<PathBuf>> {
        let index = self.index()?;
        let mut prefix = to_bstr(prefix);
        if !prefix.is_empty() && !prefix.ends_with(b"/") {
            prefix.push(b'/');
        }
        Ok(index
            .prefixed_entries(prefix.as_ref())
            .unwrap_or_default()
            .iter()
            .filter(|entry| entry.stage() == gix::index::entry::Stage::Unconflicted)
            .map(|entry| from_bstr(entry.path(&index)))
            .collect())
    }

    /// Cargo's git-mode walk (`list_files_gix`): the tracked files and the
    /// untracked ones that are not ignored under `prefix`, `prefix/target/`
    /// left out, nested repositories reported as one entry and not entered,
    /// symlinks to folders matched against ignore rules as folders. FIFOs
    /// and sockets are left out, and so is an untracked `Cargo.lock` at the
    /// root of the work tree. Sorted by path.
    pub fn walk(&self, prefix: &Path) -> Result<Vec<WalkEntry>> {
        let err = |err: &dyn std::fmt::Display| repo_error(self.repo.path(), err);
        let options = self
            .repo
            .dirwalk_options()
            .map_err(|e| err(&e))?
            .emit_untracked(gix::dir::walk::EmissionMode::Matching)
            .emit_ignored(None)
            .emit_tracked(true)
            .recurse_repositories(false)
            .symlinks_to_directories_are_ignored_like_directories(true)
            .emit_empty_directories(false);
        let index = self.index()?;
        let package_prefix = to_bstr(prefix);
        let mut target_prefix = package_prefix.clone();
        if !target_prefix.is_empty() {
            target_prefix.push(b'/');
        }
        target_prefix.extend_from_slice(b"target/");
        let mut include = BString::from(":(top)");
        include.extend_from_slice(&package_prefix);
        let mut exclude = BString::from(":!(exclude,top)");
        exclude.extend_from_slice(&target_prefix);

        let mut collect = gix::dir::walk::delegate::Collect::default();
        let interrupt = std::sync::atomic::AtomicBool::new(false);
        self.repo
            .dirwalk(
                &index,
                [include, exclude],
                &interrupt,
                options,
                &mut collect,
            )
            .map_err(|e| err(&e))?;
        let mut entries = Vec::new();
        for (entry, _) in collect.into_entries_by_path() {
            let tracked = match entry.status {
                Status::Tracked => true,
                Status::Untracked => false,
                Status::Pruned | Status::Ignored(_) => continue,
            };
            if !tracked && entry.rela_path == "Cargo.lock" {
                continue;
            }
            let disk_kind = match entry.disk_kind {
                Some(Kind::File) => DiskKind::File,
                Some(Kind::Symlink) => DiskKind::Symlink,
                Some(Kind::Directory) => DiskKind::Directory,
                Some(Kind::Repository) => DiskKind::Repository,
                Some(Kind::Untrackable) | None => continue,
            };
            entries.push(WalkEntry {
                rela_path: from_bstr(entry.rela_path.as_ref()),
                disk_kind,
                tracked,
            });
        }
        Ok(entries)
    }

    /// Whether `rela_path` matches the ignore rules (`.gitignore` files,
    /// `info/exclude`, `core.excludesFile`), whether tracked or not, as
    /// cargo's `check_repo_state` asks it of the manifest.
    pub fn is_ignored(&self, rela_path: &Path, is_dir: bool) -> Result<bool> {
        let index = self.index()?;
        let mut excludes = self
            .repo
            .excludes(
                &index,
                None,
                gix::worktree::stack::state::ignore::Source::WorktreeThenIdMappingIfNotSkipped,
            )
            .map_err(|err| repo_error(self.repo.path(), err))?;
        let mode = if is_dir {
            gix::index::entry::Mode::DIR
        } else {
            gix::index::entry::Mode::FILE
        };
        let platform = excludes
            .at_entry(to_bstr(rela_path).as_bstr(), Some(mode))
            .map_err(|source| VcsError::Io {
                path: self.workdir.join(rela_path),
                source,
            })?;
        Ok(platform.is_excluded())
    }

    /// The commit HEAD names; `None` for an unborn HEAD (no commit yet) or
    /// one that does not resolve.
    pub fn head_commit(&self) -> Option<String> {
        let mut head = self.repo.head().ok()?;
        let id = head.try_peel_to_id().ok()??;
        Some(id.to_string())
    }
}

/// Whether a file has changes git has not committed, as `cargo fix` asks
/// before editing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileState {
    /// Not inside the work tree of a git repository.
    NoVcs,
    /// Tracked, and the work tree, the index and HEAD agree.
    Clean,
    /// Not in the index, and not ignored.
    Untracked,
    /// Not in the index, and ignored (`cargo fix` does not count these as
    /// dirty).
    Ignored,
    /// The work tree differs from the index (content, executable bit, file
    /// type, deleted, or a merge conflict). Wins over `Staged`.
    Modified,
    /// The index differs from HEAD (including a file added to the index
    /// while HEAD has no commit or does not have the file).
    Staged,
}

/// The state of the file at `path` (absolute, or relative to the current
/// folder), computed in process: the file's content is hashed as git would
/// store it and compared with the index entry, the index entry with HEAD's
/// tree. File times are not trusted.
///
/// The content goes through git's built-in conversions (`text`/`eol`,
/// `core.autocrlf`, `ident`, `working-tree-encoding`), never through a
/// `filter.<name>.clean`/`process` driver: for a file with such a driver the
/// raw content is compared, so a driver that would have changed it makes the
/// file `Modified` (the safe answer for "may I edit this file?").
/// `assume-unchanged` and `skip-worktree` entries count as matching the work
/// tree, as in `git status`.
pub fn file_state(path: &Path) -> Result<FileState> {
    let Some(Located {
        repo,
        rela_path,
        abs,
    }) = locate(path)?
    else {
        return Ok(FileState::NoVcs);
    };
    let index = repo.index()?;
    let key = to_bstr(&rela_path);
    let Some(range) = index.entry_range(key.as_ref()) else {
        return untracked_state(&repo, &rela_path, abs);
    };
    let entries = &index.entries()[range];
    let [entry] = entries else {
        // Several stages: a merge conflict.
        return Ok(FileState::Modified);
    };
    if entry.stage() != gix::index::entry::Stage::Unconflicted {
        return Ok(FileState::Modified);
    }

    use gix::index::entry::Flags;
    let trusts_worktree = entry
        .flags
        .intersects(Flags::ASSUME_VALID | Flags::SKIP_WORKTREE);
    if !trusts_worktree && worktree_differs(&repo, &index, entry, &rela_path, &abs)? {
        return Ok(FileState::Modified);
    }
    Ok(if index_matches_head(&repo, entry, &rela_path)? {
        FileState::Clean
    } else {
        FileState::Staged
    })
}

/// A file inside the work tree of a repository, as [`file_state`] found it.
struct Located {
    repo: Repo,
    /// The path relative to the root of the work tree.
    rela_path: PathBuf,
    /// The path under the canonical root of the work tree.
    abs: PathBuf,
}

/// The repository holding `path` and where in its work tree the file is;
/// `None` when no work tree holds it (or it lies inside `.git`). Only the
/// folder is canonicalized, so a symlink named `path` is the entry asked
/// about, not its target.
fn locate(path: &Path) -> Result<Option<Located>> {
    let abs = std::path::absolute(path).map_err(|source| VcsError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Ok(None);
    };
    let canonical_parent = match std::fs::canonicalize(parent) {
        Ok(dir) => dir,
        Err(source) => {
            return Err(VcsError::Io {
                path: parent.to_path_buf(),
                source,
            })
        }
    };
    let Some(repo) = Repo::discover(&canonical_parent) else {
        return Ok(None);
    };
    let Ok(workdir) = std::fs::canonicalize(repo.workdir()) else {
        return Ok(None);
    };
    let Ok(rel_dir) = canonical_parent.strip_prefix(&workdir) else {
        return Ok(None);
    };
    if rel_dir.starts_with(".git") {
        return Ok(None);
    }
    let rela_path = rel_dir.join(name);
    let abs = workdir.join(&rela_path);
    Ok(Some(Located {
        repo,
        rela_path,
        abs,
    }))
}

/// The state of a file the index has no entry for: ignored or untracked,
/// and an error when there is no such file at all.
fn untracked_state(repo: &Repo, rela_path: &Path, abs: PathBuf) -> Result<FileState> {
    if std::fs::symlink_metadata(&abs).is_err() {
        return Err(VcsError::Io {
            path: abs,
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    Ok(if repo.is_ignored(rela_path, false)? {
        FileState::Ignored
    } else {
        FileState::Untracked
    })
}

/// Whether HEAD's tree has `rela_path` with the same object and file type
/// as the index `entry`; `false` when HEAD has no commit or not the file.
fn index_matches_head(repo: &Repo, entry: &gix::index::Entry, rela_path: &Path) -> Result<bool> {
    use gix::index::entry::Mode;
    let err = |e: &dyn std::fmt::Display| repo_error(repo.repo.path(), e);
    let Some(head) = repo.head_commit() else {
        return Ok(false);
    };
    let head_id = gix::ObjectId::from_hex(head.as_bytes()).map_err(|e| err(&e))?;
    let tree = repo
        .repo
        .find_commit(head_id)
        .map_err(|e| err(&e))?
        .tree()
        .map_err(|e| err(&e))?;
    let in_head = tree.lookup_entry_by_path(rela_path).map_err(|e| err(&e))?;
    Ok(in_head.is_some_and(|head_entry| {
        let head_mode = head_entry.mode();
        let index_mode = match entry.mode {
            Mode::FILE_EXECUTABLE => head_mode.is_executable(),
            Mode::SYMLINK => head_mode.is_link(),
            Mode::COMMIT => head_mode.is_commit(),
            _ => head_mode.is_blob() && !head_mode.is_executable(),
        };
        index_mode && head_entry.object_id() == entry.id
    }))
}

/// Whether the file on disk differs from its index entry, by content (as
/// git would store it), file type, or executable bit.
fn worktree_differs(
    repo: &Repo,
    index: &gix::index::State,
    entry: &gix::index::Entry,
    rela_path: &Path,
    abs: &Path,
) -> Result<bool> {
    use gix::index::entry::Mode;
    let io = |source| VcsError::Io {
        path: abs.to_path_buf(),
        source,
    };
    let err = |e: &dyn std::fmt::Display| repo_error(repo.repo.path(), e);
    let meta = match std::fs::symlink_metadata(abs) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(io(e)),
    };
    let id = if meta.file_type().is_symlink() {
        if entry.mode != Mode::SYMLINK {
            return Ok(true);
        }
        let target = std::fs::read_link(abs).map_err(io)?;
        gix::objs::compute_hash(
            repo.repo.object_hash(),
            gix::objs::Kind::Blob,
            &to_bstr(&target),
        )
        .map_err(|e| err(&e))?
    } else if meta.is_file() {
        if file_mode_differs(repo, entry, &meta) {
            return Ok(true);
        }
        match hash_as_git(repo, index, entry, rela_path, abs, meta.len())? {
            Some(id) => id,
            None => return Ok(true),
        }
    } else {
        // A folder or a special file where the index has a file.
        return Ok(true);
    };
    Ok(id != entry.id)
}

/// Whether a regular file on disk no longer matches the file type of its
/// index entry: the entry is not a file, or (when `core.fileMode` is on,
/// the default) the executable bit changed.
fn file_mode_differs(repo: &Repo, entry: &gix::index::Entry, meta: &std::fs::Metadata) -> bool {
    use gix::index::entry::Mode;
    let expected_mode = if gix::fs::is_executable(meta) {
        Mode::FILE_EXECUTABLE
    } else {
        Mode::FILE
    };
    let file_mode = repo
        .repo
        .config_snapshot()
        .boolean("core.fileMode")
        .unwrap_or(true);
    match entry.mode {
        Mode::FILE | Mode::FILE_EXECUTABLE => file_mode && entry.mode != expected_mode,
        _ => true,
    }
}

/// The object id git would store for the regular file at `abs` (`len`
/// bytes a moment ago), after the built-in conversions its attributes ask
/// for; `None` when it cannot be told (unreadable, shrunk while read), which
/// the caller counts as changed.
fn hash_as_git(
    repo: &Repo,
    index: &gix::index::State,
    entry: &gix::index::Entry,
    rela_path: &Path,
    abs: &Path,
    len: u64,
) -> Result<Option<gix::ObjectId>> {
    let io = |source| VcsError::Io {
        path: abs.to_path_buf(),
        source,
    };
    let err = |e: &dyn std::fmt::Display| repo_error(repo.repo.path(), e);
    let file = std::fs::File::open(abs).map_err(io)?;
    let mut options = gix::filter::Pipeline::options(&repo.repo).map_err(|e| err(&e))?;
    // The whole point: no driver, so no program, can be started.
    options.drivers.clear();
    let mut pipeline = gix::filter::plumbing::Pipeline::new(Default::default(), options);
    let mut attributes = repo
        .repo
        .attributes_only(
            index,
            gix::worktree::stack::state::attributes::Source::WorktreeThenIdMapping,
        )
        .map_err(|e| err(&e))?;
    let platform = attributes.at_path(rela_path, None).map_err(io)?;
    let objects = &repo.repo.objects;
    let converted = pipeline
        .convert_to_git(
            file,
            rela_path,
            &mut |_, out| {
                platform.matching_attributes(out);
            },
            &mut |buf| {
                use gix::prelude::Find;
                let found = objects.try_find(&entry.id, buf)?;
                Ok(found
                    .filter(|obj| obj.kind == gix::objs::Kind::Blob)
                    .map(|_| ()))
            },
        )
        .map_err(|e| err(&e))?;
    hash_converted(repo, converted, len)
}

/// The object id of a file's content as [`hash_as_git`] converted it;
/// `None` when it cannot be told.
fn hash_converted<R: std::io::Read>(
    repo: &Repo,
    converted: gix::filter::plumbing::pipeline::convert::ToGitOutcome<'_, R>,
    len: u64,
) -> Result<Option<gix::ObjectId>> {
    use gix::filter::plumbing::pipeline::convert::ToGitOutcome;
    let hash_kind = repo.repo.object_hash();
    let blob = gix::objs::Kind::Blob;
    Ok(match converted {
        // No conversion: hash the file as it streams, whatever its size.
        ToGitOutcome::Unchanged(mut read) => {
            let interrupt = std::sync::atomic::AtomicBool::new(false);
            // Unreadable, or shorter than a moment ago: count it as changed
            // rather than guess.
            gix::objs::compute_stream_hash(
                hash_kind,
                blob,
                &mut read,
                len,
                &mut gix::progress::Discard,
                &interrupt,
            )
            .ok()
        }
        // Converted in memory by `gix-filter` (line endings, encoding).
        ToGitOutcome::Buffer(buf) => Some(
            gix::objs::compute_hash(hash_kind, blob, buf)
                .map_err(|e| repo_error(repo.repo.path(), e))?,
        ),
        // Only a driver gives this, and the pipeline has none.
        ToGitOutcome::Process(_) => None,
    })
}

fn to_bstr(path: &Path) -> BString {
    gix::path::to_unix_separators_on_windows(gix::path::into_bstr(path)).into_owned()
}

fn from_bstr(path: &BStr) -> PathBuf {
    gix::path::from_bstr(path).into_owned()
}
