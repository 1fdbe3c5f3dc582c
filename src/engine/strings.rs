//! The printable strings of a binary file, as `strings -a` and
//! `strings -a -el` find them: runs of at least [`MIN_RUN`] printable ASCII
//! characters, and runs of as many UTF-16LE code units that are printable
//! ASCII (a Windows build path in a PE resource or a PDB). The bytes are fed
//! in chunks of any size, so a file is never held whole; a run longer than
//! [`MAX_RUN`] is cut into pieces of that length (a value straddling a cut
//! is missed; a binary's strings are far shorter).
//!
//! Each run carries its byte offset in the file and its encoding, so that
//! what a rule finds in it maps back to a byte region of the file.

/// The shortest run reported, as `strings`' default (4) is too noisy for
/// values a rule can match anyway: a home path or an address is longer.
pub const MIN_RUN: usize = 6;

/// The longest run kept in memory before it is cut.
pub const MAX_RUN: usize = 16 * 1024;

/// How a run's characters are stored in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// One byte per character.
    Ascii,
    /// Two bytes per character, the printable byte first.
    Utf16Le,
}

impl Encoding {
    /// Bytes per character in the file.
    pub fn width(self) -> u64 {
        match self {
            Encoding::Ascii => 1,
            Encoding::Utf16Le => 2,
        }
    }
}

/// One run of printable characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Byte offset of its first character in the file.
    pub offset: u64,
    pub encoding: Encoding,
    /// Its characters, ASCII only (one per character in the file).
    pub text: String,
}

/// What `strings` counts as printable: graphic ASCII, space and tab.
fn printable(byte: u8) -> bool {
    byte == b'\t' || (0x20..0x7f).contains(&byte)
}

/// One run being collected.
#[derive(Default)]
struct Open {
    offset: u64,
    text: String,
}

impl Open {
    fn push(&mut self, at: u64, c: u8, encoding: Encoding, out: &mut impl FnMut(Run)) {
        if self.text.is_empty() {
            self.offset = at;
        }
        self.text.push(char::from(c));
        if self.text.len() >= MAX_RUN {
            self.end(encoding, out);
        }
    }

    fn end(&mut self, encoding: Encoding, out: &mut impl FnMut(Run)) {
        if self.text.len() >= MIN_RUN {
            out(Run {
                offset: self.offset,
                encoding,
                text: std::mem::take(&mut self.text),
            });
        } else {
            self.text.clear();
        }
    }
}

/// Finds the strings of a byte stream fed in chunks.
#[derive(Default)]
pub struct Strings {
    /// Offset of the next byte fed.
    at: u64,
    ascii: Open,
    /// UTF-16LE runs starting at even and at odd offsets.
    wide: [Open; 2],
    /// The previous byte (the first half of a UTF-16 unit ending here).
    previous: Option<u8>,
}

impl Strings {
    pub fn new() -> Self {
        Strings::default()
    }

    /// Feeds the next bytes; `out` gets every run that ends in them.
    pub fn feed(&mut self, chunk: &[u8], out: &mut impl FnMut(Run)) {
        for &byte in chunk {
            let at = self.at;
            if printable(byte) {
                self.ascii.push(at, byte, Encoding::Ascii, out);
            } else {
                self.ascii.end(Encoding::Ascii, out);
            }
            // The UTF-16 unit ending at this byte started one byte before,
            // at the other parity; the unit ending at the next byte will be
            // on this parity, so a run there is broken only by a bad unit.
            if let Some(low) = self.previous {
                let lane = &mut self.wide[((at - 1) % 2) as usize];
                if byte == 0 && printable(low) {
                    lane.push(at - 1, low, Encoding::Utf16Le, out);
                } else {
                    lane.end(Encoding::Utf16Le, out);
                }
            }
            self.previous = Some(byte);
            self.at += 1;
        }
    }

    /// Ends the stream: `out` gets the runs still open.
    pub fn finish(mut self, out: &mut impl FnMut(Run)) {
        self.ascii.end(Encoding::Ascii, out);
        for lane in &mut self.wide {
            lane.end(Encoding::Utf16Le, out);
        }
    }
}

/// Every run of `bytes`, fed in chunks of `chunk` bytes (tests).
#[cfg(test)]
pub fn all(bytes: &[u8], chunk: usize) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut strings = Strings::new();
    for piece in bytes.chunks(chunk.max(1)) {
        strings.feed(piece, &mut |r| runs.push(r));
    }
    strings.finish(&mut |r| runs.push(r));
    runs.sort_by_key(|r| r.offset);
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn finds_ascii_and_utf16_runs_with_their_offsets_whatever_the_chunks() {
        let mut bytes = vec![0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2];
        let ascii_at = bytes.len() as u64;
        bytes.extend_from_slice(b"hello world");
        bytes.extend_from_slice(&[0, 0xff, 3]);
        let wide_at = bytes.len() as u64;
        bytes.extend(utf16("wide string"));
        bytes.extend_from_slice(&[0xfe, 0xfe, 0, 0]);
        // A UTF-16 run at an odd offset.
        bytes.push(0x90);
        let odd_at = bytes.len() as u64;
        assert_eq!(odd_at % 2, 1);
        bytes.extend(utf16("odd lane"));
        bytes.extend_from_slice(&[0x80, 0x81]);
        for chunk in [1, 2, 3, 7, 4096] {
            let runs = all(&bytes, chunk);
            let found: Vec<(u64, Encoding, &str)> = runs
                .iter()
                .map(|r| (r.offset, r.encoding, r.text.as_str()))
                .collect();
            assert_eq!(
                found,
                [
                    (ascii_at, Encoding::Ascii, "hello world"),
                    (wide_at, Encoding::Utf16Le, "wide string"),
                    (odd_at, Encoding::Utf16Le, "odd lane"),
                ],
                "chunks of {chunk}"
            );
        }
    }

    #[test]
    fn short_runs_are_not_strings() {
        let mut bytes = b"abcde".to_vec();
        bytes.push(1);
        bytes.extend(utf16("vwxyz"));
        bytes.extend_from_slice(&[1, 1]);
        assert_eq!(all(&bytes, 4), []);
        assert_eq!(all(b"\x00abcdef\x00", 3).len(), 1);
        // A printable byte then a NUL is a UTF-16 unit: it joins the run.
        let mut joined = b"abcde".to_vec();
        joined.push(0);
        joined.extend(utf16("vwxyz"));
        let runs = all(&joined, 5);
        assert_eq!(runs.len(), 1);
        assert_eq!((runs[0].offset, runs[0].text.as_str()), (4, "evwxyz"));
    }

    #[test]
    fn a_run_longer_than_the_cap_is_cut_not_held() {
        let bytes = vec![b'a'; MAX_RUN * 2 + 10];
        let runs = all(&bytes, 1000);
        let lens: Vec<usize> = runs.iter().map(|r| r.text.len()).collect();
        assert_eq!(lens, [MAX_RUN, MAX_RUN, 10]);
        assert_eq!(runs[1].offset, MAX_RUN as u64);
    }
}
