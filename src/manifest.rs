//! `Cargo.toml` read with spans, and what a member inherits from its
//! workspace root.
//!
//! A package's `.crate` holds its manifest twice: `Cargo.toml.orig` byte for
//! byte (comments included) and a normalized `Cargo.toml` in which every
//! `key.workspace = true` is replaced by the root manifest's value. So what
//! ships from a workspace member is its own manifest plus the inherited
//! values of the root manifest; [`Manifest::inherited_ranges`] names those
//! values, so the scanner can check them and point at the line where the fix
//! belongs: the root manifest.
//!
//! It also holds how every input file is read: [`open_regular`] opens only
//! a regular file, without blocking, and [`read_bounded`] reads at most a
//! limit (manifests and configuration: [`MAX_MANIFEST_SIZE`]).

use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{Document, Item, Table};

/// A parsed manifest and its text.
pub struct Manifest {
    pub path: PathBuf,
    pub text: String,
    pub doc: Document<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("failed to read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Invalid TOML; rendered rustc-style by [`crate::render`].
    #[error("failed to parse manifest at `{}`: {message}", path.display())]
    Toml {
        path: PathBuf,
        text: String,
        message: String,
        span: Option<Range<usize>>,
    },
}

/// The tables whose entries can say `workspace = true` to inherit a
/// dependency from `[workspace.dependencies]`.
const DEPENDENCY_TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

/// The largest manifest read: 10 MiB (crates.io's own limit on a whole
/// `.crate`), far beyond any real `Cargo.toml`. The configuration file
/// (`privacy-check.toml`) has the same limit.
pub const MAX_MANIFEST_SIZE: u64 = 10 * 1024 * 1024;

impl Manifest {
    /// Reads a manifest from a regular file of at most
    /// [`MAX_MANIFEST_SIZE`] bytes.
    pub fn read(path: &Path) -> Result<Self, ManifestError> {
        let text = read_to_string(path, MAX_MANIFEST_SIZE).map_err(|source| ManifestError::Io {
            path: path.to_owned(),
            source: source.into(),
        })?;
        Self::parse(path, text)
    }

    pub fn parse(path: &Path, text: String) -> Result<Self, ManifestError> {
        match Document::parse(text.clone()) {
            Ok(doc) => Ok(Manifest {
                path: path.to_owned(),
                text,
                doc,
            }),
            Err(err) => {
                let message = err.message().trim_end();
                // toml_edit gives its nesting limit no place and a terse
                // message ("recursion limit"): say what it means, and point
                // at the first line rather than at nothing.
                let message = if err.span().is_none() && message.contains("recursion limit") {
                    "keys, tables or values nested too deeply (toml_edit's recursion limit)"
                        .to_owned()
                } else {
                    message.to_owned()
                };
                Err(ManifestError::Toml {
                    path: path.to_owned(),
                    message,
                    span: err.span().or(Some(0..0)),
                    text,
                })
            }
        }
    }

    /// `[package]` (or the legacy `[project]`).
    pub fn package(&self) -> Option<&Table> {
        self.doc
            .get("package")
            .or_else(|| self.doc.get("project"))
            .and_then(Item::as_table)
    }

    /// `[workspace.package]`.
    pub fn workspace_package(&self) -> Option<&Table> {
        self.doc.get("workspace")?.get("package")?.as_table()
    }

    /// True when `package.KEY` is `{ workspace = true }` (in any spelling:
    /// `KEY.workspace = true` or an inline table).
    pub fn inherits(&self, key: &str) -> bool {
        self.package()
            .and_then(|p| p.get(key))
            .is_some_and(is_workspace_inherited)
    }

    /// Byte ranges of `root` (the workspace root manifest) that ship inside
    /// this member's normalized `Cargo.toml`: each `[workspace.package]`
    /// value this package inherits, and each `[workspace.dependencies]` entry
    /// one of its dependency tables inherits. Returned with the dotted key
    /// each range belongs to, for messages.
    pub fn inherited_ranges(&self, root: &Manifest) -> Vec<(String, Range<usize>)> {
        let mut ranges = Vec::new();
        if let (Some(package), Some(ws_package)) = (self.package(), root.workspace_package()) {
            for (key, item) in package.iter() {
                if is_workspace_inherited(item) {
                    if let Some(span) = ws_package.get(key).and_then(item_span) {
                        ranges.push((format!("workspace.package.{key}"), span));
                    }
                }
            }
        }
        let ws_deps = root
            .doc
            .get("workspace")
            .and_then(|w| w.get("dependencies"))
            .and_then(Item::as_table_like);
        if let Some(ws_deps) = ws_deps {
            for table in self.dependency_tables() {
                for (name, item) in table.iter() {
                    if is_workspace_inherited(item) {
                        if let Some(span) = ws_deps.get(name).and_then(item_span) {
                            ranges.push((format!("workspace.dependencies.{name}"), span));
                        }
                    }
                }
            }
        }
        ranges.sort_by_key(|(_, r)| (r.start, r.end));
        ranges.dedup_by(|a, b| a.1 == b.1);
        ranges
    }

    /// `[dependencies]`-like tables, top level and under `[target.*]`.
    fn dependency_tables(&self) -> Vec<&dyn toml_edit::TableLike> {
        let mut scopes: Vec<&Table> = vec![self.doc.as_table()];
        if let Some(targets) = self.doc.get("target").and_then(Item::as_table) {
            scopes.extend(targets.iter().filter_map(|(_, t)| t.as_table()));
        }
        scopes
            .into_iter()
            .flat_map(|scope| {
                DEPENDENCY_TABLES
                    .iter()
                    .chain(&["dev_dependencies", "build_dependencies"])
                    .filter_map(move |name| scope.get(name).and_then(Item::as_table_like))
            })
            .collect()
    }
}

/// Why a file was not read, by [`read_bounded`].
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A FIFO, a device, a folder...: reading it could block forever or
    /// never end, and it is never what a package ships.
    #[error("it is a {0}, not a regular file")]
    NotRegular(&'static str),
    #[error("it is larger than the {} limit", size_text(*limit))]
    TooLarge { limit: u64 },
}

impl From<ReadError> for std::io::Error {
    fn from(err: ReadError) -> Self {
        match err {
            ReadError::Io(err) => err,
            other => std::io::Error::other(other.to_string()),
        }
    }
}

/// A size as messages write it (`32 MiB`, `500 KiB`, `100 bytes`).
pub fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// What a file is, for a message, when it is not a regular file.
fn kind(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("FIFO");
        }
        if file_type.is_char_device() {
            return Some("character device");
        }
        if file_type.is_block_device() {
            return Some("block device");
        }
        if file_type.is_socket() {
            return Some("socket");
        }
    }
    Some("special file")
}

/// Opens `path` (following symlinks) only if it is a regular file, without
/// blocking: a FIFO is not even opened (its type is checked first), and the
/// open itself is non-blocking on Unix in case the path was swapped for
/// one in between; the opened file's own type is checked again. Returns
/// the file and its size.
pub fn open_regular(path: &Path) -> Result<(std::fs::File, u64), ReadError> {
    if let Some(kind) = kind(std::fs::metadata(path)?.file_type()) {
        return Err(ReadError::NotRegular(kind));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking applies to FIFOs and devices only; a regular file
        // reads as usual.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if let Some(kind) = kind(meta.file_type()) {
        return Err(ReadError::NotRegular(kind));
    }
    Ok((file, meta.len()))
}

/// How much [`read_up_to`] asks for at a time: a multiple of 8, which
/// some files in `/proc` (`pagemap`) require of every read.
const READ_CHUNK: usize = 64 * 1024;

/// Appends to `bytes` from `reader` until it holds at least `want` bytes or
/// the reader ends; it may then hold up to [`READ_CHUNK`] bytes more.
pub fn read_up_to(reader: &mut impl Read, bytes: &mut Vec<u8>, want: u64) -> std::io::Result<()> {
    while (bytes.len() as u64) < want {
        let start = bytes.len();
        bytes.resize(start + READ_CHUNK, 0);
        let n = loop {
            match reader.read(&mut bytes[start..]) {
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        bytes.truncate(start + n.as_ref().copied().unwrap_or(0));
        if n? == 0 {
            break;
        }
    }
    Ok(())
}

/// Reads a regular file of at most `limit` bytes. The limit holds while
/// reading, not only by the size the file states (a file in `/proc`
/// states 0 bytes and can be endless): reading stops past `limit`.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (mut file, size) = open_regular(path)?;
    if size > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(
        usize::try_from(size)
            .unwrap_or(0)
            .saturating_add(READ_CHUNK + 1),
    );
    read_up_to(&mut file, &mut bytes, limit.saturating_add(1))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// [`read_bounded`] as UTF-8 text (as `std::fs::read_to_string`, invalid
/// UTF-8 is an error of kind `InvalidData`).
pub fn read_to_string(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read_bounded(path, limit)?).map_err(|_| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// `{ workspace = true }` in any of its spellings.
fn is_workspace_inherited(item: &Item) -> bool {
    item.as_table_like()
        .and_then(|t| t.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

/// The byte span of an item. toml_edit spans a standard table by its header
/// only; here a table covers its header and all its entries.
pub fn item_span(item: &Item) -> Option<Range<usize>> {
    let Some(table) = item.as_table_like().filter(|_| !item.is_inline_table()) else {
        return item.span();
    };
    let mut whole = item.span();
    for (_, child) in table.iter() {
        if let Some(span) = item_span(child) {
            whole = Some(match whole {
                Some(w) => w.start.min(span.start)..w.end.max(span.end),
                None => span,
            });
        }
    }
    whole
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Manifest {
        Manifest::parse(Path::new("Cargo.toml"), text.to_owned()).unwrap()
    }

    #[test]
    fn inherited_values_are_the_root_values_the_member_uses() {
        let root = manifest(
            r#"[workspace]
members = ["a"]

[workspace.package]
authors = ["Jane <jane@gmail.com>"]
repository = "https://github.com/o/r"
homepage = "https://not-inherited.example"

[workspace.dependencies]
internal = { git = "https://u:${TOKEN}@git.corp.net/x.git" }
other = "1"

[workspace.dependencies.tabled]
git = "https://git.corp.net/t.git"
"#,
        );
        let member = manifest(
            r#"[package]
name = "a"
authors.workspace = true
repository = { workspace = true }

[dependencies]
internal.workspace = true

[target.'cfg(unix)'.dev-dependencies]
tabled = { workspace = true }
"#,
        );
        let ranges: Vec<(String, &str)> = member
            .inherited_ranges(&root)
            .into_iter()
            .map(|(k, r)| (k, &root.text[r]))
            .collect();
        assert_eq!(
            ranges,
            [
                (
                    "workspace.package.authors".into(),
                    r#"["Jane <jane@gmail.com>"]"#
                ),
                (
                    "workspace.package.repository".into(),
                    r#""https://github.com/o/r""#
                ),
                (
                    "workspace.dependencies.internal".into(),
                    r#"{ git = "https://u:${TOKEN}@git.corp.net/x.git" }"#
                ),
                (
                    "workspace.dependencies.tabled".into(),
                    "[workspace.dependencies.tabled]\ngit = \"https://git.corp.net/t.git\""
                ),
            ]
        );
        assert!(member.inherits("authors"));
        assert!(!member.inherits("homepage"));
    }

    #[test]
    fn a_deeply_dotted_key_said_only_failed_to_parse() {
        let key = vec!["a"; 5000].join(".");
        let err = Manifest::parse(Path::new("Cargo.toml"), format!("{key} = 1\n"))
            .err()
            .unwrap();
        match err {
            ManifestError::Toml { span, message, .. } => {
                assert_eq!(span, Some(0..0));
                assert_eq!(
                    message,
                    "keys, tables or values nested too deeply (toml_edit's recursion limit)"
                );
            }
            other => panic!("{other}"),
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_proc_file_that_states_zero_bytes_is_read_within_the_limit() {
        // `pagemap` states 0 bytes, holds gigabytes, and accepts only reads
        // of multiples of 8 bytes.
        let err = read_bounded(Path::new("/proc/self/pagemap"), 1 << 20)
            .err()
            .unwrap();
        assert!(
            matches!(err, ReadError::TooLarge { limit } if limit == 1 << 20),
            "{err}"
        );
        assert_eq!(err.to_string(), "it is larger than the 1 MiB limit");
        let err = read_bounded(Path::new("/dev/zero"), 1 << 20).err().unwrap();
        assert_eq!(
            err.to_string(),
            "it is a character device, not a regular file"
        );
    }

    #[test]
    fn invalid_toml_reports_message_and_span() {
        let err = Manifest::parse(Path::new("Cargo.toml"), "[package]\nname = \n".into())
            .err()
            .unwrap();
        match err {
            ManifestError::Toml { span, message, .. } => {
                assert!(span.is_some());
                assert!(!message.is_empty());
            }
            other => panic!("{other}"),
        }
    }
}
