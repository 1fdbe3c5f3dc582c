//! How every input file is read: [`open_regular`] opens only a regular
//! file, without blocking (a FIFO or a device could block or never end),
//! [`read_bounded`] reads at most a limit whatever the file's metadata
//! says, and [`is_binary`] tells binary from text as git and ripgrep do.

use std::io::Read;
use std::path::Path;

/// How many leading bytes are checked for NUL to call a file binary (git
/// and ripgrep use the same test).
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// How much of a file too large to scan is still read, for the rules that
/// recognise a file by its first bytes (core dumps, databases, key files).
pub const HEAD_LEN: u64 = 64 * 1024;

/// Whether a file is binary: a NUL byte in its first 8 KiB.
pub fn is_binary(head: &[u8]) -> bool {
    head[..head.len().min(BINARY_SNIFF_LEN)].contains(&0)
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
pub fn read_up_to<R: Read + ?Sized>(
    reader: &mut R,
    bytes: &mut Vec<u8>,
    want: u64,
) -> std::io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
