//! Files on disk: their size and identity from one `stat`, and which
//! listed paths are one file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::file::Stat;

/// What a listed file is on disk: its size, its kind, and on Unix its
/// device and inode numbers, from one `stat`.
pub(super) struct DiskFile {
    pub(super) size: std::io::Result<u64>,
    pub(super) stat: Stat,
    /// `None` where the metadata could not be read or the platform has no
    /// inode numbers.
    pub(super) id: Option<(u64, u64)>,
}

impl DiskFile {
    pub(super) fn of(path: &Path) -> Self {
        match std::fs::metadata(path) {
            Ok(meta) => DiskFile {
                size: Ok(meta.len()),
                stat: match crate::read::kind(meta.file_type()) {
                    None => Stat::Regular,
                    Some(kind) => Stat::NotRegular(kind),
                },
                id: inode(&meta),
            },
            Err(err) => DiskFile {
                size: Err(err),
                stat: Stat::Unknown,
                id: None,
            },
        }
    }
}

#[cfg(unix)]
pub(super) fn inode(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
pub(super) fn inode(_: &std::fs::Metadata) -> Option<(u64, u64)> {
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
pub(super) struct SeenFiles {
    /// For each inode seen, its first path, until a second path with the
    /// same inode has it canonicalized into `canonical`.
    pub(super) inodes: HashMap<(u64, u64), Option<PathBuf>>,
    pub(super) canonical: HashSet<PathBuf>,
}

impl SeenFiles {
    /// Whether `path` (with inode `id`, if known) is not yet taken; it is
    /// taken from now on.
    pub(super) fn first(&mut self, path: &Path, id: Option<(u64, u64)>) -> bool {
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
