//! The output boundary: the only way bytes leave the process.
//!
//! Every byte the binary writes to stdout, stderr or a file of its own (the
//! `--write-baseline` file) goes through a [`Boundary`] (for the streams) or
//! [`clean`] (for a file's text). The `--fix` edit of the user's
//! `Cargo.toml` is the one exception: it must hold exactly the intended
//! edit, and it writes no more than the user's own text minus a value.
//!
//! The boundary is the last line of defence behind the per-finding masks of
//! [`crate::render`], not a replacement for them: a password only context
//! can tell (`password = "…"` in a snippet) is masked by its finding, and
//! the boundary masks whatever the detectors recognise on their own in the
//! text that is about to be written ([`crate::rules::detect`]: tokens,
//! emails, private keys, URL credentials, home paths, card numbers). It
//! costs little because output is small next to what was scanned.
//!
//! Control characters are decided as follows. Text that comes from the
//! input (file and archive entry names, package names, allow-comment
//! names, `cargo metadata`'s error text) is escaped where it enters a
//! message, with [`crate::diagnostic::escape_input`], which escapes every
//! control character, ESC included, the way Rust's `{:?}` does
//! (`\u{1b}`). The renderers' own styling is the only raw ESC left, and it
//! is always an SGR sequence (`ESC [ digits/semicolons m`). So the
//! boundary lets SGR sequences through (the stream after it strips them
//! when colour is off) and escapes every other control character (ESC not
//! starting an SGR sequence, CR, BEL, backspace, C1 controls, Unicode
//! bidirectional overrides), keeping only newline and tab. An SGR sequence
//! that came from input cannot reach it raw, because its ESC was escaped at
//! the source; and an OSC, cursor or screen sequence cannot pass at all.
//!
//! Output is cut into lines: a write is held until its line is complete,
//! so a value split across `write` calls is seen whole. What is left when
//! the stream is flushed or dropped is cleaned and written as it is.

use std::io::{self, Write};

use crate::diagnostic::mask;
use crate::diagnostic::needs_escape;
use crate::rules::FileContext;

/// An `io::Write` that masks detected values and escapes control
/// characters before passing complete lines on to `inner`.
pub struct Boundary<W: Write> {
    inner: W,
    pending: Vec<u8>,
    written: u64,
}

impl<W: Write> Boundary<W> {
    pub fn new(inner: W) -> Self {
        Boundary {
            inner,
            pending: Vec::new(),
            written: 0,
        }
    }

    /// How many bytes were written through the boundary (before cleaning).
    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    fn write_pending(&mut self, upto: usize) -> io::Result<()> {
        let chunk: Vec<u8> = self.pending.drain(..upto).collect();
        let text = String::from_utf8_lossy(&chunk);
        self.inner.write_all(clean(&text).as_bytes())
    }
}

impl<W: Write> Write for Boundary<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // What is pending holds no newline (each write passes on what
        // ends in one), so only the new bytes are searched: a long line
        // written in many small pieces (a JSON summary) stays linear.
        let before = self.pending.len();
        self.pending.extend_from_slice(buf);
        self.written += buf.len() as u64;
        if let Some(last) = buf.iter().rposition(|&b| b == b'\n') {
            self.write_pending(before + last + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.write_pending(self.pending.len())?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Boundary<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// `text` as it may leave the process: every value a detector recognises
/// masked (overlapping values merged, so the union of them is hidden), and
/// every control character but newline and tab escaped, except the SGR
/// sequences of the renderers' styling.
pub fn clean(text: &str) -> String {
    // Styling is set aside, so a value split by a colour change is still
    // seen whole, and put back where it was.
    let mut plain = String::with_capacity(text.len());
    let mut styles: Vec<(usize, &str)> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        plain.push_str(&rest[..at]);
        let len = sgr_len(&rest[at..]);
        if len > 0 {
            styles.push((plain.len(), &rest[at..at + len]));
            rest = &rest[at + len..];
        } else {
            // Not styling: kept in the text, escaped below.
            plain.push('\x1b');
            rest = &rest[at + 1..];
        }
    }
    plain.push_str(rest);

    let masks = masks(&plain);
    let mut out = String::with_capacity(text.len() + 16);
    let mut styles = styles.into_iter().peekable();
    let mut masks = masks.into_iter().peekable();
    let mut at = 0;
    let mut chars = plain.char_indices().peekable();
    loop {
        while let Some(&(pos, style)) = styles.peek() {
            if pos > at {
                break;
            }
            out.push_str(style);
            styles.next();
        }
        let Some((i, c)) = chars.next() else { break };
        at = i + c.len_utf8();
        if let Some((range, shown)) = masks.peek() {
            if range.start == i {
                out.push_str(shown);
                // Skip the value; styling inside it is dropped.
                while chars.peek().is_some_and(|&(j, _)| j < range.end) {
                    chars.next();
                }
                at = range.end;
                while styles.peek().is_some_and(|&(pos, _)| pos < range.end) {
                    styles.next();
                }
                masks.next();
                continue;
            }
        }
        escape_char(c, &mut out);
    }
    out.extend(styles.map(|(_, s)| s));
    out
}

/// The length of the SGR sequence `s` starts with (`ESC [ 1 ; 31 m`), or 0.
fn sgr_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    if bytes.len() < 3 || bytes[1] != b'[' {
        return 0;
    }
    for (i, &b) in bytes.iter().enumerate().skip(2).take(64) {
        match b {
            b'0'..=b'9' | b';' | b':' => {}
            b'm' => return i + 1,
            _ => return 0,
        }
    }
    0
}

/// Every detected value of `plain`, merged where they overlap, each with
/// what is shown instead (as many characters as the value).
fn masks(plain: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let context = FileContext {
        archive_path: "",
        is_manifest: false,
        package: "",
    };
    // Paths and arguments are output too (`-->` lines, error messages,
    // clap's `unexpected argument '--…'`): a token that is a file or folder
    // name follows a `/`, and one given as a flag follows `--`, which the
    // detectors do not take for a boundary. Two more passes, over the text
    // with path separators (then dashes too) as spaces, at the same
    // offsets, find those; the first pass finds the values that hold a
    // dash or a slash themselves.
    let unslashed = plain.replace(['/', '\\'], " ");
    let undashed = unslashed.replace('-', " ");
    let mut found: Vec<(std::ops::Range<usize>, String)> = crate::rules::detect(plain, context)
        .into_iter()
        .chain(crate::rules::detect(&unslashed, context))
        .chain(crate::rules::detect(&undashed, context))
        .filter(|m| !m.range.is_empty() && m.range.end <= plain.len())
        .filter(|m| plain.is_char_boundary(m.range.start) && plain.is_char_boundary(m.range.end))
        .map(|m| (m.range, m.redacted))
        // The custom rules the configuration defined, as the built-ins.
        .chain(crate::rules::custom::masks(plain))
        .collect();
    found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<(std::ops::Range<usize>, Option<String>)> = Vec::new();
    for (range, redacted) in found {
        match merged.last_mut() {
            Some((last, redacted_last)) if range.start < last.end => {
                if range.end > last.end {
                    last.end = range.end;
                    *redacted_last = None; // a union: nothing of it is kept
                }
            }
            _ => merged.push((range, Some(redacted))),
        }
    }
    merged
        .into_iter()
        .map(|(range, redacted)| {
            let value = &plain[range.clone()];
            let shown = match redacted {
                Some(redacted) => mask(value, &redacted),
                None => "•".repeat(value.chars().count()),
            };
            (range, keep_structure(value, &shown))
        })
        .collect()
}

/// `shown` (the mask of `value`, one character for each of its
/// characters) with the characters that give the output its structure put
/// back: quotes, brackets, braces, colons, commas, whitespace, and escape
/// sequences (`\n`, `\"`, `\u00e9`). The boundary masks bytes that may
/// already be serialised JSON or SARIF, and a value a configuration's own
/// rule describes can span them (a regex such as `x9|[a-z]"`): masking
/// them would break the document, and they say nothing of a secret.
fn keep_structure(value: &str, shown: &str) -> String {
    let mut out = String::with_capacity(shown.len());
    let mut escape = 0;
    for (c, masked) in value.chars().zip(shown.chars()) {
        let keep = if escape > 0 {
            escape -= 1;
            if c == 'u' && escape == 0 {
                escape = 4; // `\u` and four hex digits
            }
            true
        } else if c == '\\' {
            escape = 1;
            true
        } else {
            matches!(c, '"' | '{' | '}' | '[' | ']' | ':' | ',') || c.is_whitespace()
        };
        out.push(if keep { c } else { masked });
    }
    out
}

/// Writes `c`, escaped as Rust's `{:?}` would if it is a control character
/// (or a bidirectional override) other than newline and tab.
fn escape_char(c: char, out: &mut String) {
    if c == '\n' || c == '\t' || !needs_escape(c) {
        out.push(c);
    } else {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> String {
        let body = "Zr8nQ2vLx7Wq9zR4tP2mHk29sLq0vX";
        [
            "ghp_",
            body,
            &crate::rules::tokens::codec::crc32_base62(body.as_bytes()),
        ]
        .concat()
    }

    #[test]
    fn a_token_written_in_two_pieces_is_masked() {
        let token = token();
        let mut out = Vec::new();
        {
            let mut b = Boundary::new(&mut out);
            write!(b, "name `{}", &token[..10]).unwrap();
            writeln!(b, "{}` is bad", &token[10..]).unwrap();
        }
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("name `ghp_"), "{out}");
        assert!(!out.contains(&token[10..20]), "{out}");
        assert!(out.contains('•'));
    }

    /// Lines are passed on as they end, however the writes cut them: a
    /// token cut across writes, lines ending inside a write and a write
    /// holding several lines come out as the whole text cleaned at once.
    #[test]
    fn output_written_a_byte_at_a_time_is_the_text_cleaned_whole() {
        let token = token();
        let text = format!("one `{token}`\ntwo\n\nthree {token} four\nno newline at the end");
        for piece in [1, 2, 5, 7, 64] {
            let mut out = Vec::new();
            {
                let mut b = Boundary::new(&mut out);
                for chunk in text.as_bytes().chunks(piece) {
                    b.write_all(chunk).unwrap();
                }
            }
            assert_eq!(String::from_utf8(out).unwrap(), clean(&text), "{piece}");
        }
        assert!(!clean(&text).contains(&token[4..]));
    }

    /// The boundary searched all it held for a newline on every write, so
    /// a long line written in small pieces (a JSON string serde escapes
    /// piece by piece) took time quadratic in its length: most of a
    /// `--crate` run's CPU. Lines pass on whole, at their newline, however
    /// they are cut.
    #[test]
    fn a_long_line_written_in_small_pieces_passes_whole_at_its_newline() {
        let token = token();
        let line = format!("{} {token} {}\nnext", "x".repeat(200_000), "y".repeat(1000));
        let mut out = Vec::new();
        {
            let mut b = Boundary::new(&mut out);
            for piece in line.as_bytes().chunks(3) {
                b.write_all(piece).unwrap();
                // Nothing passes before the newline.
                assert!(b.inner.is_empty() || b.inner.ends_with(b"\n"));
            }
            assert!(b.inner.ends_with(b"\n") && b.pending == b"next");
        }
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out, clean(&line));
        assert!(!out.contains(&token[10..20]), "the token is masked");
    }

    #[test]
    fn styling_survives_and_other_escapes_do_not() {
        let text = "\x1b[1m\x1b[31merror\x1b[0m: \x1b]52;c;aGk=\x07 \r\n";
        assert_eq!(
            clean(text),
            "\x1b[1m\x1b[31merror\x1b[0m: \\u{1b}]52;c;aGk=\\u{7} \\u{d}\n"
        );
    }

    #[test]
    fn overlapping_values_are_masked_as_their_union() {
        // Split so this source holds no URL with a password.
        let text = [
            "zqxjvbkw@gmail.cops://deploy:Qx7vR2mK9pLw",
            "@git.corp.net/r.git\n",
        ]
        .concat();
        let text = text.as_str();
        let out = clean(text);
        assert!(!out.contains("Qx7vR2mK9pLw"), "{out}");
    }

    #[test]
    fn a_value_split_by_styling_is_masked() {
        let token = token();
        let text = format!("{}\x1b[1m{}\x1b[0m\n", &token[..12], &token[12..]);
        let out = clean(&text);
        assert!(!out.contains(&token[12..20]), "{out}");
        assert!(out.contains("\x1b[0m"));
    }
}
