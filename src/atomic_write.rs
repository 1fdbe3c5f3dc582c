//! Replacing a file's content without damaging what the file is: the one
//! writer `--fix` and `--write-baseline` share.
//!
//! What is replaced is the file a path *names*: a symlink is followed and
//! its target edited (the link stays a link), and the target keeps its
//! owner, group, mode and hard links. Decided as follows:
//! - **rename** by default: the new content goes to a temporary file on the
//!   same file system, flushed to disk (`fsync`), given the original's mode,
//!   owner and group, then renamed over the target (and the folder flushed),
//!   so a reader or a crash sees the old file or the new one, never half;
//! - **in place** when a rename would lose something: the file has other
//!   hard links (a rename would split them), its owner or group cannot be
//!   given to the temporary file (not root, file owned by someone else), or
//!   the temporary file cannot be made or renamed (read-only folder,
//!   another file system). The content is then written over the file
//!   through the descriptor that was checked, and truncated to length;
//! - a file with no write permission (mode `0444`) is refused, even for
//!   root: it is someone's decision not to have it edited.
//!
//! **Race.** With `expect`, the file's bytes are read again just before the
//! replacement, through a descriptor opened after the temporary file is
//! complete, and its identity (device, inode) compared with the path's:
//! an edit made before that read is detected and nothing is written. What
//! remains is the time between that read and the `rename` (or the
//! `write`) — two system calls, no I/O of ours between them — during which
//! another writer's change would still be lost; no lock shared with
//! editors exists to close it.
//!
//! **Temporary files** are named `<file name>.<pid>.privacy-check.tmp` in
//! the folder the caller gives (`--fix` gives the package's `target/`,
//! which cargo never packages) and removed on every error; one left by a
//! killed process is removed by [`clean_stale`] on the next write there
//! (and by `--fix` at its start, for every manifest of the run).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The suffix of every temporary file this module makes.
pub const TEMP_SUFFIX: &str = ".privacy-check.tmp";

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("`{}` is read-only; it was not modified (make it writable to let it be edited)", .0.display())]
    ReadOnly(PathBuf),
    #[error("`{}` changed while it was being written; it was not modified (run the check again)", .0.display())]
    Changed(PathBuf),
    #[error("failed to write `{}`: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// How to replace a file.
#[derive(Default)]
pub struct Options<'a> {
    /// Where to make the temporary file (created if missing); the target's
    /// folder when `None`. Must be on the target's file system for the
    /// rename (otherwise the file is written in place).
    pub temp_dir: Option<&'a Path>,
    /// The bytes the file must still hold just before it is replaced.
    pub expect: Option<&'a [u8]>,
}

/// The file `path` names, following symlinks; `path` itself when it does
/// not exist yet.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    match fs::canonicalize(path) {
        Ok(p) => Ok(p),
        Err(err) if err.kind() == io::ErrorKind::NotFound => match fs::symlink_metadata(path) {
            // A dangling link: create what it points to? No: refuse.
            Ok(_) => Err(err),
            Err(_) => Ok(path.to_owned()),
        },
        Err(err) => Err(err),
    }
}

/// Replaces the content of the file `path` names with `contents`, creating
/// it when missing (and no content is expected).
pub fn write(path: &Path, contents: &[u8], options: &Options<'_>) -> Result<(), WriteError> {
    let io_err = |source: io::Error| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    let target = resolve(path).map_err(io_err)?;
    let metadata = match fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(err) if err.kind() == io::ErrorKind::NotFound && options.expect.is_none() => None,
        Err(err) => return Err(io_err(err)),
    };
    if let Some(m) = &metadata {
        if !m.is_file() {
            return Err(io_err(io::Error::other("not a regular file")));
        }
        if m.permissions().readonly() {
            return Err(WriteError::ReadOnly(path.to_owned()));
        }
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let temp_dir = options.temp_dir.unwrap_or(dir);
    if metadata.as_ref().is_some_and(has_other_links) {
        return write_in_place(path, &target, contents, options.expect);
    }
    let Ok(temp) = Temp::create(temp_dir, &target) else {
        return write_in_place_or_create(path, &target, contents, options.expect, &metadata);
    };
    let filled = (|| {
        // Mode and owner first: the content is never readable by more
        // people than the original's.
        if let Some(m) = &metadata {
            keep_metadata(&temp.file, m)?;
        }
        let mut file = &temp.file;
        file.write_all(contents)?;
        temp.file.sync_all()
    })();
    if filled.is_err() {
        drop(temp);
        return write_in_place_or_create(path, &target, contents, options.expect, &metadata);
    }
    // The last look before replacing: the same file, the same bytes.
    if let (Some(expect), Some(m)) = (options.expect, &metadata) {
        let mut file = File::open(&target).map_err(io_err)?;
        if !same_file(&file.metadata().map_err(io_err)?, m) || !holds(&mut file, expect) {
            return Err(WriteError::Changed(path.to_owned()));
        }
    }
    match fs::rename(&temp.path, &target) {
        Ok(()) => {
            temp.persisted();
            // The rename itself reaches the disk with the folder.
            if let Ok(dir) = File::open(dir) {
                let _ = dir.sync_all();
            }
            Ok(())
        }
        Err(_) => {
            drop(temp);
            write_in_place_or_create(path, &target, contents, options.expect, &metadata)
        }
    }
}

fn write_in_place_or_create(
    path: &Path,
    target: &Path,
    contents: &[u8],
    expect: Option<&[u8]>,
    metadata: &Option<fs::Metadata>,
) -> Result<(), WriteError> {
    if metadata.is_some() {
        return write_in_place(path, target, contents, expect);
    }
    let io_err = |source: io::Error| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)
        .map_err(io_err)?;
    file.write_all(contents).map_err(io_err)?;
    file.sync_all().map_err(io_err)
}

/// Writes `contents` over the file through one descriptor, after checking
/// through it that it still holds `expect`: inode, owner, mode and links
/// stay as they are.
fn write_in_place(
    path: &Path,
    target: &Path,
    contents: &[u8],
    expect: Option<&[u8]>,
) -> Result<(), WriteError> {
    let io_err = |source: io::Error| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(target)
        .map_err(io_err)?;
    if let Some(expect) = expect {
        if !holds(&mut file, expect) {
            return Err(WriteError::Changed(path.to_owned()));
        }
    }
    file.rewind().map_err(io_err)?;
    file.write_all(contents).map_err(io_err)?;
    file.set_len(contents.len() as u64).map_err(io_err)?;
    file.sync_all().map_err(io_err)
}

/// Whether `file` holds exactly `expect` (read at most one byte more).
fn holds(file: &mut File, expect: &[u8]) -> bool {
    let mut bytes = Vec::with_capacity(expect.len() + 1);
    let read = Read::take(&mut *file, expect.len() as u64 + 1).read_to_end(&mut bytes);
    read.is_ok() && bytes == expect
}

#[cfg(unix)]
fn has_other_links(m: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    m.nlink() > 1
}

#[cfg(not(unix))]
fn has_other_links(_: &fs::Metadata) -> bool {
    false
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    a.len() == b.len() && a.modified().ok() == b.modified().ok()
}

/// Gives `file` the mode, owner and group of `m`; an error when the owner
/// or group cannot be given (the caller then writes in place).
#[cfg(unix)]
fn keep_metadata(file: &File, m: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let current = file.metadata()?;
    if (current.uid(), current.gid()) != (m.uid(), m.gid()) {
        std::os::unix::fs::fchown(file, Some(m.uid()), Some(m.gid()))?;
    }
    file.set_permissions(fs::Permissions::from_mode(m.mode() & 0o7777))
}

#[cfg(not(unix))]
fn keep_metadata(file: &File, m: &fs::Metadata) -> io::Result<()> {
    file.set_permissions(m.permissions())
}

/// A temporary file, removed when dropped unless renamed.
struct Temp {
    path: PathBuf,
    file: File,
    keep: bool,
}

impl Temp {
    fn create(dir: &Path, target: &Path) -> io::Result<Temp> {
        fs::create_dir_all(dir)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = dir.join(format!("{name}.{}{TEMP_SUFFIX}", std::process::id()));
        // A file of ours from an earlier attempt of this process, and
        // those of killed processes.
        let _ = fs::remove_file(&path);
        clean_stale(dir);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Temp {
            path,
            file,
            keep: false,
        })
    }

    fn persisted(mut self) {
        self.keep = true;
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Removes the temporary files in `dir` left by processes that are gone
/// (this module's suffix, a process id that is not running); returns what
/// it removed. Best effort: what cannot be removed stays.
pub fn clean_stale(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(TEMP_SUFFIX) else {
            continue;
        };
        let pid = stem.rsplit('.').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(running) {
            continue;
        }
        let path = entry.path();
        if fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// Whether process `pid` is running (on Linux; elsewhere only this one is
/// known to be).
fn running(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_created_and_an_existing_one_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        write(&path, b"one", &Options::default()).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        let options = Options {
            expect: Some(b"one"),
            ..Options::default()
        };
        write(&path, b"two", &options).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        // Expecting what is no longer there writes nothing.
        assert!(matches!(
            write(&path, b"three", &options),
            Err(WriteError::Changed(_))
        ));
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn stale_temporary_files_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // Process ids are below 2^22 on Linux: this one cannot run.
        let stale = dir.path().join(format!("Cargo.toml.99999999{TEMP_SUFFIX}"));
        let ours = dir
            .path()
            .join(format!("Cargo.toml.{}{TEMP_SUFFIX}", std::process::id()));
        let other = dir.path().join("Cargo.toml");
        for p in [&stale, &ours, &other] {
            fs::write(p, "x").unwrap();
        }
        assert_eq!(clean_stale(dir.path()), vec![stale.clone()]);
        assert!(!stale.exists() && ours.exists() && other.exists());
    }
}
