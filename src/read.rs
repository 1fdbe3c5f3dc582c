//! How every input file is read: [`open_regular`] opens only a regular
//! file, without blocking (a FIFO or a device could block or never end),
//! [`read_bounded`] reads at most a limit whatever the file's metadata
//! says, [`ReadBuffer`] does the same into one buffer reused from file to
//! file (the engine's scan), and [`is_binary`] tells binary from text as
//! git and ripgrep do.

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
pub fn kind(file_type: std::fs::FileType) -> Option<&'static str> {
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
    open_checked(path)
}

/// [`open_regular`] for a path whose `std::fs::metadata` the caller has
/// just read and found to be a regular file (the engine reads every
/// listed file's metadata once, for its size and identity): the same
/// non-blocking open and check of the opened file's type, without a
/// second lookup of the path.
pub fn open_checked(path: &Path) -> Result<(std::fs::File, u64), ReadError> {
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
        let n = read_retrying(reader, &mut bytes[start..]);
        bytes.truncate(start + n.as_ref().copied().unwrap_or(0));
        if n? == 0 {
            break;
        }
    }
    Ok(())
}

/// One `read`, retried when a signal interrupts it.
fn read_retrying<R: Read + ?Sized>(reader: &mut R, into: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match reader.read(into) {
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// A buffer files are read into, one after the other, as ripgrep reuses
/// its buffers: memory a read needs is zeroed once, when the buffer
/// grows, not before every read (zeroing and faulting in a fresh buffer
/// for each of the corpus's 37,000 files cost more than the reads).
#[derive(Default)]
pub struct ReadBuffer {
    /// Every byte initialised; the first `filled` hold what was read.
    bytes: Vec<u8>,
    filled: usize,
}

impl ReadBuffer {
    /// Above this capacity the buffer is freed once a file is done with,
    /// so one large file does not keep its size for the rest of the run.
    const KEEP: usize = 4 << 20;

    /// What was read since the last [`ReadBuffer::clear`].
    pub fn filled(&self) -> &[u8] {
        &self.bytes[..self.filled]
    }

    /// Empties the buffer for the next file.
    pub fn clear(&mut self) {
        self.filled = 0;
        if self.bytes.len() > Self::KEEP {
            self.bytes = Vec::new();
        }
    }

    /// Reads from `reader` until the buffer holds at least `want` bytes or
    /// the reader ends, and says whether it ended. `hint` is the size the
    /// file states: what is left of it is asked for in one read. Each read
    /// asks for a multiple of [`READ_CHUNK`], never much more than `want`:
    /// the buffer then holds less than `want` plus [`READ_CHUNK`] bytes.
    pub fn read_up_to<R: Read + ?Sized>(
        &mut self,
        reader: &mut R,
        want: u64,
        hint: u64,
    ) -> std::io::Result<bool> {
        while (self.filled as u64) < want {
            let filled = self.filled as u64;
            // The rest the file states, and one byte more to see its end.
            let expected = hint.saturating_sub(filled).saturating_add(1);
            let room = usize::try_from((want - filled).min(expected))
                .unwrap_or(usize::MAX)
                .next_multiple_of(READ_CHUNK);
            let end = self.filled.saturating_add(room);
            if self.bytes.len() < end {
                // A size the file states that memory cannot hold (a sparse
                // file under a raised `max-file-size`) is an error the
                // file is reported with, not an abort of the whole run.
                self.bytes
                    .try_reserve(end - self.bytes.len())
                    .map_err(|_| {
                        std::io::Error::new(
                            std::io::ErrorKind::OutOfMemory,
                            format!("{} do not fit in memory", size_text(end as u64)),
                        )
                    })?;
                self.bytes.resize(end, 0);
            }
            let n = read_retrying(reader, &mut self.bytes[self.filled..end])?;
            if n == 0 {
                return Ok(true);
            }
            self.filled += n;
        }
        Ok(false)
    }
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

    /// A reader that gives at most `step` bytes per read.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, into: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(into.len()).min(self.data.len());
            into[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// The buffer is reused from file to file without being zeroed: what
    /// it holds after a short file must be that file only, not the tail
    /// of a longer one read before.
    #[test]
    fn a_reused_buffer_holds_only_the_file_just_read() {
        let long: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut buffer = ReadBuffer::default();
        let ended = buffer
            .read_up_to(&mut long.as_slice(), u64::MAX, long.len() as u64)
            .unwrap();
        assert!(ended);
        assert_eq!(buffer.filled(), long.as_slice());
        buffer.clear();
        let ended = buffer.read_up_to(&mut &b"short"[..], u64::MAX, 5).unwrap();
        assert!(ended);
        assert_eq!(buffer.filled(), b"short");
    }

    /// Short reads are taken until `want` bytes are held, and the reader
    /// is not asked for more once they are; a file longer than it states
    /// is read past the stated size.
    #[test]
    fn a_buffer_reads_until_it_holds_what_is_wanted() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 7) as u8).collect();
        let mut buffer = ReadBuffer::default();
        let mut reader = Trickle {
            data: &data,
            step: 1000,
        };
        assert!(!buffer.read_up_to(&mut reader, 8192, 10).unwrap());
        assert_eq!(buffer.filled(), &data[..9000]);
        assert!(buffer.read_up_to(&mut reader, u64::MAX, 10).unwrap());
        assert_eq!(buffer.filled(), data.as_slice());
    }

    /// A file stating more than memory can hold (a sparse file of a
    /// terabyte, under a `max-file-size` raised past it) aborted the whole
    /// run on the failed allocation: the read is an error of kind
    /// `OutOfMemory`, and the buffer is still usable for the next file.
    #[test]
    fn a_stated_size_memory_cannot_hold_is_an_error_not_an_abort() {
        let mut buffer = ReadBuffer::default();
        // 4 EiB: more than any address space.
        let err = buffer
            .read_up_to(&mut &b"text"[..], u64::MAX, 1 << 62)
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::OutOfMemory);
        assert!(err.to_string().ends_with("do not fit in memory"), "{err}");
        assert!(buffer.filled().is_empty());
        buffer.clear();
        assert!(buffer.read_up_to(&mut &b"next"[..], u64::MAX, 4).unwrap());
        assert_eq!(buffer.filled(), b"next");
    }

    /// `pagemap` states 0 bytes and accepts only reads of multiples of 8:
    /// the reused buffer reads it up to the limit like [`read_bounded`].
    #[cfg(target_os = "linux")]
    #[test]
    fn a_buffer_reads_a_proc_file_stating_zero_bytes_up_to_what_is_wanted() {
        let (mut file, size) = open_regular(Path::new("/proc/self/pagemap")).unwrap();
        assert_eq!(size, 0);
        let mut buffer = ReadBuffer::default();
        let want = (1 << 20) + 1;
        assert!(!buffer.read_up_to(&mut file, want, size).unwrap());
        let held = buffer.filled().len() as u64;
        assert!(held >= want && held < want + READ_CHUNK as u64, "{held}");
    }
}
