//! Published `.crate` archives, read in memory and validated.
//!
//! A `.crate` is a gzip-compressed tar whose every entry is a regular file
//! under one `name-version/` folder. [`read`] streams it (gzip, then tar)
//! into memory, never onto disk ([`read_streaming`] hands each file over as
//! it is decompressed, so that a reader that scans it then need not hold
//! the archive whole), and refuses what cargo would never have
//! produced and what could harm a reader: entries with `..` or absolute
//! paths, links, devices, fifos and sparse files (GNU or PAX), entries
//! outside the package folder, the same path twice, a folder named as a
//! manifest, a manifest over [`crate::manifest::MAX_MANIFEST_SIZE`] (refused
//! by its declared size, never read) or without `[package]`, truncated or
//! corrupt data, data after the tar's end or after the gzip stream (which
//! cargo would not read, so it could hide anything), and archives that unpack to
//! more than [`MAX_UNPACKED_SIZE`] (or [`MAX_COMPRESSION_RATIO`] times their
//! compressed size, if more): cargo's own limits against decompression
//! bombs. Each problem is an [`ArchiveError`] for that archive; [`check`]
//! goes on with the others, in parallel, and collects the failures in the
//! [`Report`].
//!
//! The `.crate` itself must be a regular file, opened without blocking (a
//! FIFO named as an archive is that archive's error). The whole stream is
//! read to its end, so that a truncated archive or a
//! wrong gzip checksum is caught even past the tar's last entry. Of a
//! binary file (a NUL byte in its first 8 KiB) or a file larger than the
//! scan limit only the first 64 KiB are kept, which is all the rules on
//! files look at; the rest is decompressed (and counted) but not kept.

use std::cell::Cell;
use std::collections::HashSet;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::GzDecoder;

use crate::diagnostic::{Pointed, Reportable};
use crate::manifest::{Manifest, ManifestError};
use crate::read::{BINARY_SNIFF_LEN, HEAD_LEN};

/// The most an archive may unpack to: cargo refuses to unpack a `.crate`
/// beyond 512 MiB, or beyond [`MAX_COMPRESSION_RATIO`] times its size if
/// that is more.
pub const MAX_UNPACKED_SIZE: u64 = 512 * 1024 * 1024;

/// See [`MAX_UNPACKED_SIZE`] (cargo's figure too).
pub const MAX_COMPRESSION_RATIO: u64 = 20;

/// A `.crate` read into memory.
pub struct Archive {
    /// The `.crate` file, as given.
    pub path: PathBuf,
    /// `name-version`: the folder holding every entry.
    pub prefix: String,
    pub name: String,
    pub version: String,
    /// `Cargo.toml.orig`, which crates published before cargo 1.41 lack.
    pub original: Option<Manifest>,
    /// The normalized `Cargo.toml`.
    pub normalized: Manifest,
    /// Every other file, by path.
    pub files: Vec<ArchiveFile>,
    /// Bytes the gzip stream decompressed to (the tar, headers included).
    pub unpacked_size: u64,
}

/// A file of an archive other than its manifests.
#[derive(Debug)]
pub struct ArchiveFile {
    /// The path inside the package (after `name-version/`).
    pub path: String,
    /// Its size in the archive.
    pub size: u64,
    /// Its content; only its first 64 KiB if it is binary or larger than
    /// the scan limit. Empty once [`read_streaming`]'s reader took it.
    pub bytes: Vec<u8>,
    /// Whether [`read_streaming`]'s reader took its content as it was read.
    pub taken: bool,
}

/// An archive that cannot be checked.
#[derive(Debug, thiserror::Error)]
#[error("cannot check `{}`: {problem}", archive.display())]
pub struct ArchiveError {
    /// The `.crate` file (or folder), as given.
    pub archive: PathBuf,
    pub problem: Problem,
}

/// What is wrong with an archive. Entry names are shown escaped: a hostile
/// name could hold terminal control characters.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("cannot read it: {0}")]
    Io(io::Error),
    #[error("no `.crate` file in this folder")]
    EmptyFolder,
    #[error("not a .crate archive: it is not gzip-compressed")]
    NotGzip,
    #[error("the archive is truncated or corrupt: {0}")]
    Corrupt(String),
    #[error("it unpacks to more than {} MiB (a decompression bomb?)", limit / (1024 * 1024))]
    TooLarge { limit: u64 },
    #[error("entry `{0}` has a `..` component, which would escape the package folder")]
    ParentDir(String),
    #[error("entry `{0}` has an absolute path")]
    Absolute(String),
    #[error("entry `{0}` has an empty or `.` path component")]
    Unnormalized(String),
    #[error("entry `{0}` has a name that is not UTF-8")]
    NotUtf8(String),
    #[error("entry `{path}` is a {kind}; a .crate holds regular files only")]
    NotAFile { path: String, kind: &'static str },
    #[error("entry `{path}` is outside the package folder `{prefix}/`")]
    OutsidePrefix { path: String, prefix: String },
    #[error("entry `{0}` is not inside a `name-version/` folder")]
    NoPrefix(String),
    #[error("entry `{0}` appears twice")]
    Duplicate(String),
    #[error("the archive holds no files")]
    Empty,
    #[error("the archive has no `{0}/Cargo.toml`")]
    NoManifest(String),
    #[error("`{0}` is a folder; a .crate's manifests are files")]
    ManifestFolder(String),
    #[error("`{path}` is larger than the {} limit for a manifest", crate::read::size_text(*limit))]
    ManifestTooLarge { path: String, limit: u64 },
    #[error("`{0}` has no `[package]` table (a workspace root is never published)")]
    NoPackage(String),
    #[error(
        "entry `{0}` is a sparse file (PAX `GNU.sparse` format); a .crate holds regular files only"
    )]
    PaxSparse(String),
    #[error("an entry is a sparse file with a malformed sparse header ({0}); a .crate holds regular files only")]
    BadSparse(String),
    #[error("data follows the end of the tar archive")]
    TrailingTarData,
    #[error("data follows the gzip stream (a second gzip member?), which cargo would ignore")]
    TrailingGzipData,
    #[error("`{0}` is not UTF-8")]
    ManifestNotUtf8(String),
    #[error("{0}")]
    Manifest(ManifestError),
    #[error("its folder `{prefix}` is not its manifest's package (`{name}` v{version})")]
    NameMismatch {
        prefix: String,
        name: String,
        version: String,
    },
}

/// The limits an archive is read under.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Unpacked size allowed whatever the compressed size (see
    /// [`MAX_UNPACKED_SIZE`]).
    pub max_unpacked: u64,
    /// Files larger than this are kept by their first 64 KiB only (the scan
    /// limit, `crate::engine::ScanOptions::max_file_size`).
    pub max_file_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_unpacked: MAX_UNPACKED_SIZE,
            max_file_size: crate::config::DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// The archives named: files as given, folders as the `*.crate` files
/// directly in them, sorted; the same file once.
pub fn expand(inputs: &[PathBuf], cwd: &Path) -> (Vec<PathBuf>, Vec<ArchiveError>) {
    let mut archives = Vec::new();
    let mut failures = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |path: PathBuf, archives: &mut Vec<PathBuf>| {
        let full = cwd.join(&path);
        if seen.insert(full.canonicalize().unwrap_or(full)) {
            archives.push(path);
        }
    };
    for input in inputs {
        let full = cwd.join(input);
        if !full.is_dir() {
            add(input.clone(), &mut archives);
            continue;
        }
        let fail = |problem| ArchiveError {
            archive: input.clone(),
            problem,
        };
        let entries = match std::fs::read_dir(&full) {
            Ok(entries) => entries,
            Err(err) => {
                failures.push(fail(Problem::Io(err)));
                continue;
            }
        };
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| Path::new(n).extension().is_some_and(|e| e == "crate"))
            .map(|n| input.join(n))
            .filter(|p| cwd.join(p).is_file())
            .collect();
        if found.is_empty() {
            failures.push(fail(Problem::EmptyFolder));
        }
        found.sort();
        for path in found {
            add(path, &mut archives);
        }
    }
    (archives, failures)
}

/// Counts the bytes the gzip stream decompresses to and fails past `limit`.
struct Limited<'a, R> {
    inner: R,
    read: &'a Cell<u64>,
    limit: u64,
}

impl<R: Read> Read for Limited<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        if self.read.get() > self.limit {
            return Err(io::Error::other("unpacked size limit exceeded"));
        }
        Ok(n)
    }
}

/// Reads and validates one `.crate` (`path` relative to `cwd`), every file
/// kept in memory.
pub fn read(path: &Path, cwd: &Path, limits: &Limits) -> Result<Archive, ArchiveError> {
    read_streaming(path, cwd, limits, &mut |_, _, _| {})
}

/// What [`read_streaming`] calls with each file: the package folder, the
/// file, and for a binary file held by its head, the rest of it.
pub type OnFile<'a> = dyn FnMut(&str, &mut ArchiveFile, Option<&mut dyn Read>) + 'a;

/// [`read`], handing each file other than the manifests to `on_file`
/// (with the package folder, `name-version`) as soon as it is decompressed,
/// in tar order. `on_file` may take its bytes (and set `taken`), so that
/// an archive is never held whole: what the archive then keeps of such a
/// file is its path and size. A binary file within the scan limit is held
/// by its first 64 KiB only; `on_file` also gets the entry to read the rest
/// from, as it is decompressed (what it leaves unread is skipped). Validation is the same, and goes on to the
/// end of the stream: a problem found after some files were handed over
/// still makes the whole archive an error.
pub fn read_streaming(
    path: &Path,
    cwd: &Path,
    limits: &Limits,
    on_file: &mut OnFile<'_>,
) -> Result<Archive, ArchiveError> {
    let fail = |problem| ArchiveError {
        archive: path.to_owned(),
        problem,
    };
    let (reader, compressed) = open_gzip(&cwd.join(path)).map_err(fail)?;
    let limit = limits
        .max_unpacked
        .max(compressed.saturating_mul(MAX_COMPRESSION_RATIO));
    let read = Cell::new(0);
    let mut tar = tar::Archive::new(Limited {
        inner: GzDecoder::new(reader),
        read: &read,
        limit,
    });
    let entries = read_entries(&mut tar, limits, limit, &read, on_file)
        .and_then(|entries| read_to_end_of_stream(tar).map(|()| entries));
    let Entries {
        prefix, mut files, ..
    } = match entries {
        Ok(entries) => entries,
        Err(_) if read.get() > limit => return Err(fail(Problem::TooLarge { limit })),
        Err(problem) => return Err(fail(problem)),
    };
    let prefix = prefix.ok_or_else(|| fail(Problem::Empty))?;

    let normalized = take_manifest(&mut files, &prefix, "Cargo.toml")
        .map_err(fail)?
        .ok_or_else(|| fail(Problem::NoManifest(prefix.clone())))?;
    let original = take_manifest(&mut files, &prefix, "Cargo.toml.orig").map_err(fail)?;
    let (name, version) = package_identity(&normalized, &prefix).map_err(fail)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Archive {
        path: path.to_owned(),
        prefix,
        name,
        version,
        original,
        normalized,
        files,
        unpacked_size: read.get(),
    })
}

/// Opens the `.crate` at `full` and checks it starts as a gzip stream;
/// gives the reader and the compressed size. Only a regular file, opened
/// without blocking: a FIFO or a device named as an archive is this
/// archive's error, and the others are still checked.
fn open_gzip(full: &Path) -> Result<(io::BufReader<std::fs::File>, u64), Problem> {
    let (file, compressed) = crate::read::open_regular(full).map_err(|e| Problem::Io(e.into()))?;
    let mut reader = io::BufReader::new(file);
    let magic = reader.fill_buf().map_err(Problem::Io)?;
    if !magic.starts_with(&[0x1f, 0x8b]) {
        return Err(Problem::NotGzip);
    }
    Ok((reader, compressed))
}

/// Reads on from the tar's last entry to the end of the gzip stream, whose
/// checksum and length are verified there. After the tar's end-of-archive
/// block only zeros (padding) may follow, and nothing after the gzip
/// stream: cargo reads neither, and what it does not read must not hide
/// anything.
fn read_to_end_of_stream<R: BufRead>(
    tar: tar::Archive<Limited<'_, GzDecoder<R>>>,
) -> Result<(), Problem> {
    let mut rest = tar.into_inner();
    let corrupt = |e: io::Error| Problem::Corrupt(e.to_string());
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = rest.read(&mut buf).map_err(corrupt)?;
        if n == 0 {
            break;
        }
        if buf[..n].iter().any(|&b| b != 0) {
            return Err(Problem::TrailingTarData);
        }
    }
    if !rest
        .inner
        .into_inner()
        .fill_buf()
        .map_err(corrupt)?
        .is_empty()
    {
        return Err(Problem::TrailingGzipData);
    }
    Ok(())
}

/// Removes the manifest `name` from `files` and parses it; `None` when the
/// archive has no such file.
fn take_manifest(
    files: &mut Vec<ArchiveFile>,
    prefix: &str,
    name: &str,
) -> Result<Option<Manifest>, Problem> {
    let Some(i) = files.iter().position(|f| f.path == name) else {
        return Ok(None);
    };
    let file = files.remove(i);
    let shown = format!("{prefix}/{name}");
    let text =
        String::from_utf8(file.bytes).map_err(|_| Problem::ManifestNotUtf8(shown.clone()))?;
    Manifest::parse(Path::new(&shown), text)
        .map(Some)
        .map_err(Problem::Manifest)
}

/// The package's name and version from its normalized manifest, which must
/// have a `[package]` table and match the archive's `name-version/` folder.
fn package_identity(normalized: &Manifest, prefix: &str) -> Result<(String, String), Problem> {
    if normalized.package().is_none() {
        return Err(Problem::NoPackage(format!("{prefix}/Cargo.toml")));
    }
    let field = |key: &str| {
        normalized
            .package()
            .and_then(|p| p.get(key))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let (name, version) = (field("name"), field("version"));
    if format!("{name}-{version}") != prefix {
        return Err(Problem::NameMismatch {
            prefix: prefix.to_owned(),
            name,
            version,
        });
    }
    Ok((name, version))
}

/// An entry name shown in a message: escaped, never raw.
fn shown(name: &[u8]) -> String {
    String::from_utf8_lossy(name).escape_debug().to_string()
}

/// What the tar read so far holds, validated entry by entry.
#[derive(Default)]
struct Entries {
    /// The package folder (`name-version`), set by the first entry.
    prefix: Option<String>,
    /// Every regular file, manifests included, in tar order.
    files: Vec<ArchiveFile>,
    /// The paths of `files`, to refuse a second entry with the same one.
    seen: HashSet<String>,
}

impl Entries {
    /// Checks the entry `raw` (split into `parts`) lies in the package
    /// folder, the first entry naming that folder, and gives its path
    /// inside it. A file must not be the folder itself.
    fn place(&mut self, raw: &[u8], parts: &[&str], kind: EntryKind) -> Result<String, Problem> {
        let is_file = kind == EntryKind::File;
        let (top, rest) = parts
            .split_first()
            .ok_or_else(|| Problem::Unnormalized(shown(raw)))?;
        match &self.prefix {
            None if rest.is_empty() && is_file => return Err(Problem::NoPrefix(shown(raw))),
            None => self.prefix = Some((*top).to_owned()),
            Some(p) if p != top || (rest.is_empty() && is_file) => {
                return Err(Problem::OutsidePrefix {
                    path: shown(raw),
                    prefix: p.escape_debug().to_string(),
                })
            }
            Some(_) => {}
        }
        Ok(rest.join("/"))
    }
}

/// What a tar entry is, as far as a `.crate` is concerned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    File,
    Folder,
    /// Anything else, named for the message refusing it.
    Refused(&'static str),
}

impl EntryKind {
    fn of(kind: tar::EntryType) -> Self {
        match kind {
            tar::EntryType::Regular | tar::EntryType::Continuous => EntryKind::File,
            tar::EntryType::Directory => EntryKind::Folder,
            tar::EntryType::Symlink => EntryKind::Refused("symbolic link"),
            tar::EntryType::Link => EntryKind::Refused("hard link"),
            tar::EntryType::Char => EntryKind::Refused("character device"),
            tar::EntryType::Block => EntryKind::Refused("block device"),
            tar::EntryType::Fifo => EntryKind::Refused("fifo"),
            tar::EntryType::GNUSparse => EntryKind::Refused("sparse file"),
            _ => EntryKind::Refused("special entry"),
        }
    }
}

/// The entries of the tar: the package folder and every regular file
/// (manifests included), validated.
fn read_entries<R: Read>(
    tar: &mut tar::Archive<R>,
    limits: &Limits,
    limit: u64,
    read: &Cell<u64>,
    on_file: &mut OnFile<'_>,
) -> Result<Entries, Problem> {
    let corrupt = |e: io::Error| Problem::Corrupt(e.to_string());
    let mut entries = Entries::default();
    for entry in tar.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(entry_error)?;
        let raw = entry.path_bytes().into_owned();
        let kind = entry.header().entry_type();
        if kind.is_pax_global_extensions() {
            continue; // metadata (`git archive` writes one), not a file
        }
        if is_pax_sparse(&mut entry, &raw) {
            return Err(Problem::PaxSparse(shown(&raw)));
        }
        let name = std::str::from_utf8(&raw).map_err(|_| Problem::NotUtf8(shown(&raw)))?;
        let parts = components(name)?;
        let kind = EntryKind::of(kind);
        if let EntryKind::Refused(kind) = kind {
            return Err(Problem::NotAFile {
                path: shown(&raw),
                kind,
            });
        }
        let path = entries.place(&raw, &parts, kind)?;
        if kind == EntryKind::Folder {
            // A folder; one named as a manifest would hide the manifest.
            if path == "Cargo.toml" || path == "Cargo.toml.orig" {
                return Err(Problem::ManifestFolder(shown(&raw)));
            }
            continue;
        }
        if !entries.seen.insert(path.clone()) {
            return Err(Problem::Duplicate(shown(&raw)));
        }
        let mut file = read_file_entry(&mut entry, path, &raw, limits, limit, read)?;
        if file.path != "Cargo.toml" && file.path != "Cargo.toml.orig" {
            if let Some(prefix) = &entries.prefix {
                // A binary file's head: the rest is in the entry.
                let more =
                    (file.bytes.len() as u64) < file.size && file.size <= limits.max_file_size;
                let rest: Option<&mut dyn Read> = more.then_some(&mut entry);
                on_file(prefix, &mut file, rest);
            }
        }
        entries.files.push(file);
    }
    Ok(entries)
}

/// The problem an entry the tar crate cannot parse is reported as. The tar
/// crate parses a GNU sparse header before it returns the entry; its errors
/// then name a field, not the sparse entry.
fn entry_error(e: io::Error) -> Problem {
    let message = e.to_string();
    if message.contains("sparse") || message.contains("real_size") {
        Problem::BadSparse(message.trim().escape_debug().to_string())
    } else {
        Problem::Corrupt(message)
    }
}

/// Whether the entry named `raw` is a PAX sparse file (formats 0.1 and 1.0):
/// a regular entry whose PAX header says `GNU.sparse.*` (and whose name in
/// 1.0 is `GNUSparseFile.N/...`). Unpacked as it is, it would not be the
/// file it describes. An unreadable PAX header counts as sparse.
fn is_pax_sparse<R: Read>(entry: &mut tar::Entry<'_, R>, raw: &[u8]) -> bool {
    let pax_sparse = match entry.pax_extensions() {
        Ok(Some(mut extensions)) => {
            extensions.any(|e| e.map_or(true, |e| e.key_bytes().starts_with(b"GNU.sparse.")))
        }
        Ok(None) => false,
        Err(_) => true,
    };
    let sparse_name = raw
        .split(|&b| b == b'/')
        .any(|part| part.starts_with(b"GNUSparseFile."));
    pax_sparse || sparse_name
}

/// Reads a regular entry at `path` (named `raw` in the tar) after checking
/// its declared size against what is left of the unpacked `limit` (`read`
/// bytes so far) and, for a manifest, against the manifest limit: a
/// manifest larger than its limit is refused, never read whole.
fn read_file_entry<R: Read>(
    entry: &mut tar::Entry<'_, R>,
    path: String,
    raw: &[u8],
    limits: &Limits,
    limit: u64,
    read: &Cell<u64>,
) -> Result<ArchiveFile, Problem> {
    let size = entry.size();
    if size > limit.saturating_sub(read.get()) {
        return Err(Problem::TooLarge { limit });
    }
    let manifest = path == "Cargo.toml" || path == "Cargo.toml.orig";
    if manifest && size > crate::manifest::MAX_MANIFEST_SIZE {
        return Err(Problem::ManifestTooLarge {
            path: shown(raw),
            limit: crate::manifest::MAX_MANIFEST_SIZE,
        });
    }
    let bytes = read_file(entry, size, manifest, limits.max_file_size)
        .map_err(|e| Problem::Corrupt(e.to_string()))?;
    Ok(ArchiveFile {
        path,
        size,
        bytes,
        taken: false,
    })
}

/// The components of an entry name, which must be a plain relative path
/// (a folder's may end in `/`). `\\` counts as a separator for `..` and
/// absolute paths: it is one where the archive may be unpacked (Windows).
fn components(name: &str) -> Result<Vec<&str>, Problem> {
    let drive = name.get(1..2) == Some(":");
    if name.starts_with(['/', '\\']) || drive {
        return Err(Problem::Absolute(name.escape_debug().to_string()));
    }
    if name.split(['/', '\\']).any(|p| p == "..") {
        return Err(Problem::ParentDir(name.escape_debug().to_string()));
    }
    let parts: Vec<&str> = name.strip_suffix('/').unwrap_or(name).split('/').collect();
    if parts.iter().any(|p| p.is_empty() || *p == ".") {
        return Err(Problem::Unnormalized(name.escape_debug().to_string()));
    }
    Ok(parts)
}

/// Reads an entry's content: whole for a manifest or a text file within the
/// scan limit, else its first [`HEAD_LEN`] bytes (tar skips the rest).
fn read_file(
    entry: &mut impl Read,
    size: u64,
    manifest: bool,
    max_file_size: u64,
) -> io::Result<Vec<u8>> {
    let truncated = || io::Error::new(io::ErrorKind::UnexpectedEof, "an entry is cut short");
    let expect = |bytes: Vec<u8>, len: u64| {
        if bytes.len() as u64 == len {
            Ok(bytes)
        } else {
            Err(truncated())
        }
    };
    if !manifest && size > max_file_size {
        let mut head = Vec::new();
        entry.by_ref().take(HEAD_LEN).read_to_end(&mut head)?;
        return expect(head, size.min(HEAD_LEN));
    }
    // The size is the header's word: trust it only up to the scan limit.
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(max_file_size)).unwrap_or(0));
    entry
        .by_ref()
        .take(BINARY_SNIFF_LEN as u64)
        .read_to_end(&mut bytes)?;
    if !manifest && crate::read::is_binary(&bytes) {
        entry
            .by_ref()
            .take(HEAD_LEN - bytes.len() as u64)
            .read_to_end(&mut bytes)?;
        return expect(bytes, size.min(HEAD_LEN));
    }
    entry.read_to_end(&mut bytes)?;
    expect(bytes, size)
}

/// An archive that cannot be checked, as an error naming it.
impl Reportable for ArchiveError {
    fn message(&self) -> String {
        match &self.problem {
            Problem::Manifest(manifest @ ManifestError::Toml { .. }) => {
                let archive = crate::display::relative(&self.archive, Path::new(""));
                format!("cannot check `{archive}`: {}", manifest.message())
            }
            _ => self.to_string(),
        }
    }

    fn help(&self) -> Option<String> {
        match &self.problem {
            Problem::TooLarge { .. } => Some(format!(
                "a .crate may unpack to {} MiB, or {} times its compressed size if that is more \
                 (cargo's limits)",
                MAX_UNPACKED_SIZE / (1024 * 1024),
                MAX_COMPRESSION_RATIO
            )),
            Problem::ParentDir(_)
            | Problem::Absolute(_)
            | Problem::Unnormalized(_)
            | Problem::NotAFile { .. }
            | Problem::OutsidePrefix { .. }
            | Problem::NoPrefix(_)
            | Problem::Duplicate(_) => Some(
                "`cargo package` never writes such an entry: this archive was not made by \
                 cargo, or was altered"
                    .to_owned(),
            ),
            _ => None,
        }
    }

    fn pointed(&self) -> Option<Pointed> {
        match &self.problem {
            Problem::Manifest(manifest) => manifest.pointed(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A gzip-compressed tar built with the `tar` crate (well-formed names).
    fn crate_file(dir: &Path, name: &str, files: &[(&str, &[u8])]) -> PathBuf {
        let mut builder = tar::Builder::new(Vec::new());
        for (path, data) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, path, *data).unwrap();
        }
        let tar = builder.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&tar).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        path
    }

    const MANIFEST: &[u8] = b"[package]\nname = \"z\"\nversion = \"1.0.0\"\n";

    #[test]
    fn an_archive_past_its_unpacked_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let zeros = vec![0u8; 3 << 20];
        let text = vec![b'a'; 3 << 20];
        let path = crate_file(
            dir.path(),
            "z.crate",
            &[
                ("z-1.0.0/Cargo.toml", MANIFEST),
                ("z-1.0.0/zeros.bin", &zeros),
                ("z-1.0.0/a.txt", &text),
            ],
        );
        let compressed = std::fs::metadata(&path).unwrap().len();
        assert!(compressed * MAX_COMPRESSION_RATIO < 2 << 20, "{compressed}");
        let limits = |max_unpacked| Limits {
            max_unpacked,
            max_file_size: crate::config::DEFAULT_MAX_FILE_SIZE,
        };
        // Over the limit while the data streams in (no header lies here).
        let err = read(&path, dir.path(), &limits(5 << 20)).err().unwrap();
        assert!(
            matches!(err.problem, Problem::TooLarge { limit } if limit == 5 << 20),
            "{err}"
        );
        // Within it, it is read; binary data is kept by its head only.
        let archive = read(&path, dir.path(), &limits(8 << 20)).unwrap();
        let sizes: Vec<(&str, u64, usize)> = archive
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.size, f.bytes.len()))
            .collect();
        assert_eq!(
            sizes,
            [
                ("a.txt", 3 << 20, 3 << 20),
                ("zeros.bin", 3 << 20, HEAD_LEN as usize)
            ]
        );
        assert!(archive.unpacked_size > 6 << 20);
        // The ratio raises the limit for a large archive, as cargo does.
        let bigger = Limits {
            max_unpacked: 1,
            ..limits(0)
        };
        let err = read(&path, dir.path(), &bigger).err().unwrap();
        assert!(
            matches!(err.problem, Problem::TooLarge { limit } if limit == compressed * MAX_COMPRESSION_RATIO),
            "{err}"
        );
    }

    #[test]
    fn a_file_over_the_scan_limit_is_kept_by_its_head() {
        let dir = tempfile::tempdir().unwrap();
        let text = vec![b'a'; 200 * 1024];
        let path = crate_file(
            dir.path(),
            "z.crate",
            &[("z-1.0.0/Cargo.toml", MANIFEST), ("z-1.0.0/big.txt", &text)],
        );
        let limits = Limits {
            max_unpacked: MAX_UNPACKED_SIZE,
            max_file_size: 100 * 1024,
        };
        let archive = read(&path, dir.path(), &limits).unwrap();
        assert_eq!(archive.files[0].size, 200 * 1024);
        assert_eq!(archive.files[0].bytes.len(), HEAD_LEN as usize);
        assert_eq!(
            (archive.name.as_str(), archive.version.as_str()),
            ("z", "1.0.0")
        );
        assert!(archive.original.is_none());
    }

    /// `--crate` held each archive whole in memory while it was checked
    /// (about 90 MiB over the corpus, growing with the largest archive):
    /// each file is now handed over as it is decompressed, and what the
    /// archive keeps of a file taken is its path and size.
    #[test]
    fn files_are_handed_over_as_they_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate_file(
            dir.path(),
            "z.crate",
            &[
                ("z-1.0.0/b.txt", b"bee"),
                ("z-1.0.0/Cargo.toml", MANIFEST),
                ("z-1.0.0/a.txt", b"ay"),
            ],
        );
        let mut handed = Vec::new();
        let archive = read_streaming(
            &path,
            dir.path(),
            &Limits::default(),
            &mut |prefix, f, _| {
                handed.push((
                    prefix.to_owned(),
                    f.path.clone(),
                    std::mem::take(&mut f.bytes),
                ));
                f.taken = f.path == "b.txt";
            },
        )
        .unwrap();
        // In tar order, manifests aside.
        assert_eq!(
            handed,
            [
                ("z-1.0.0".to_owned(), "b.txt".to_owned(), b"bee".to_vec()),
                ("z-1.0.0".to_owned(), "a.txt".to_owned(), b"ay".to_vec()),
            ]
        );
        let kept: Vec<(&str, u64, bool)> = archive
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.size, f.taken))
            .collect();
        assert_eq!(kept, [("a.txt", 2, false), ("b.txt", 3, true)]);
        assert_eq!(archive.name, "z");
    }

    /// Files handed over before a problem later in the stream do not make
    /// the archive good: it is still refused as a whole.
    #[test]
    fn a_problem_after_files_were_handed_over_refuses_the_archive() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate_file(
            dir.path(),
            "z.crate",
            &[("z-1.0.0/a.txt", b"ay"), ("z-1.0.0/a.txt", b"again")],
        );
        let mut handed = 0;
        let err = read_streaming(&path, dir.path(), &Limits::default(), &mut |_, _, _| {
            handed += 1
        })
        .err()
        .unwrap();
        assert!(matches!(err.problem, Problem::Duplicate(_)), "{err}");
        assert_eq!(handed, 1);
    }
}
