//! Private keys in text: PEM (`-----BEGIN RSA PRIVATE KEY-----` and its
//! PKCS#8, EC, DSA and encrypted siblings), OpenSSH, PGP secret key blocks,
//! SSH.com keys, PuTTY `.ppk` files and WireGuard `PrivateKey =` lines,
//! whether they sit in a key file or inside a source string (`\n` escapes,
//! JSON, one `concat!` literal per line, doc comments).
//!
//! A header is only a key when a body follows it. After the header (and any
//! `Proc-Type:`/`Version:`-style header lines, quotes, commas, escapes and
//! comment markers) the first line must be at least 40 base64 characters and
//! the body at least 60, not a placeholder; a PEM body that is not encrypted
//! must start as DER does (`M`), an OpenSSH body as `openssh-key-v1` does.
//! So a sentence that names the header, and a truncated example
//! (`MIIEpAIBAAKCAQEA…`), are not reported.
//!
//! A PEM block that is visibly truncated is an example in documentation,
//! not a key, and is not reported (not even as a note: it gives nobody a
//! key to use, and the lines shown before the cut of an RSA key are its
//! public modulus): an ellipsis (`...`, `…`, `[...]`) inside the body, or a
//! block that reaches its `-----END` line shorter than a whole key: shorter
//! than the length its DER header declares (every PEM label but OpenSSH,
//! PGP and traditional encrypted PEM), or than the smallest key of its kind
//! (OpenSSH 280 base64 characters, PGP 200). A deliberately tiny whole key,
//! such as aws-lc's 99-byte degenerate DSA test key, is still a key. A key
//! whose END line is out of reach is judged by its start only.
//!
//! The match covers the header line only (`-----BEGIN RSA PRIVATE KEY-----`),
//! so a renderer that shows the span never shows key material; the redacted
//! form is the header followed by `…`. Certificates and public keys
//! (`-----BEGIN CERTIFICATE-----`, `ssh-ed25519 AAAA…`) are never reported.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::diagnostic::{Category, Level, Match};
use crate::rules::literals::{Literals, SharedHits};
use crate::rules::randomness::is_placeholder;
use crate::rules::tokens::formats::assigned_value_start;
use crate::rules::{Detector, Family, FileContext, Finder, Rule};

pub static FAMILY: Family = Family {
    rules: &[&PRIVATE_KEY],
    finder: Finder::Text(&PrivateKeyDetector),
};

pub static PRIVATE_KEY: Rule = Rule {
    name: "private-key-material",
    category: Category::PrivateKey,
    default_level: Level::Deny,
    summary: "private key (PEM, OpenSSH, PGP, PuTTY, WireGuard) in a packaged file",
    doc: r#"
## What it does
Finds private keys: PEM blocks (`-----BEGIN RSA PRIVATE KEY-----`, `PRIVATE
KEY`, `EC`, `DSA`, `ENCRYPTED PRIVATE KEY`…), OpenSSH keys
(`-----BEGIN OPENSSH PRIVATE KEY-----`), PGP secret key blocks, SSH.com
keys, PuTTY key files (`PuTTY-User-Key-File-2:`/`-3:`) and WireGuard
`PrivateKey =` lines. Keys embedded in source are found too: a PEM string
with `\n` escapes, a service-account JSON file, one `concat!` literal per
line, a key in doc comments.

A header alone is not reported: a body must follow it (a first line of at
least 40 base64 characters, at least 60 in all, not a placeholder, and for an
unencrypted PEM key the start of a DER structure). A sentence that names the
header, or a truncated example, is not a key: a block with an ellipsis
(`...`, `…`) in its body, or one that reaches its END line shorter than its
own DER header says it is (or, for OpenSSH and PGP keys, shorter than the
smallest key of the kind), is documentation and is not reported. Certificates and public keys
are never reported. Checksum: none.

The reported span is the header line, so no key material is shown.

## Why is this bad?
Whoever has the key can impersonate its owner: sign releases, decrypt
traffic, log in to servers. Even a passphrase-protected key can be attacked
offline once published, and a published crate cannot be taken back.

## Example
```rust
const KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA…";
```

## How to fix
Treat the key as compromised: revoke or replace it everywhere it is trusted
(`authorized_keys`, certificates, signing keys). For test fixtures, generate
the key at test time or keep the fixture out of the package with `exclude`;
for real keys, load them from a path or the environment at run time.
"#,
    relaxed_in_tests: true,
    ..Rule::DEFAULT
};

const PEM_BEGIN: &str = "-----BEGIN ";
const SSH2_BEGIN: &str = "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----";
const PUTTY: &str = "PuTTY-User-Key-File-";
const WIREGUARD: &str = "PrivateKey";

static ANCHORS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    // Leftmost-first keeps the automaton on its SIMD packed searcher.
    AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build([PEM_BEGIN, SSH2_BEGIN, PUTTY, WIREGUARD])
        .expect("private-key anchors")
});

/// A private key found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundKey {
    /// The whole key, from its BEGIN marker through its END marker (or the
    /// WireGuard value), so that every output masks all of it, even when a
    /// source string holds the key on one line with `\n` escapes.
    pub range: Range<usize>,
    /// What kind of key: "RSA private key", "OpenSSH private key"…
    pub kind: &'static str,
    pub redacted: String,
}

/// A rarer piece of each anchor, and how far into its anchor it starts at
/// most: `BEGIN ` 5 bytes into `-----BEGIN ` and `---- BEGIN SSH2…`,
/// `PuTTY` at the start of its anchor, `teKey` 5 bytes into `PrivateKey`.
/// [`ANCHORS`]' own search runs on common bytes (`-`, `P`) and costs more
/// than this one, so it runs only from the first of these pieces on.
static RARE_PIECES: LazyLock<Literals> = LazyLock::new(|| Literals::new(RARE_PIECE_LITERALS));
/// [`RARE_PIECES`]' literals; [`crate::rules::detect`] finds them in one
/// pass with another detector's ([`crate::rules::literals::SharedHits`]).
pub const RARE_PIECE_LITERALS: [&str; 3] = ["BEGIN ", "PuTTY", "teKey"];
const RARE_PIECE_OFFSET: usize = 5;

/// Every private key in `text`.
pub fn find_private_keys(text: &str) -> Vec<FoundKey> {
    let first_piece = RARE_PIECES.find_from(text.as_bytes(), 0).map(|m| m.start());
    private_keys_from(text, first_piece)
}

/// [`find_private_keys`], given where the first of [`RARE_PIECES`] is.
fn private_keys_from(text: &str, first_piece: Option<usize>) -> Vec<FoundKey> {
    let bytes = text.as_bytes();
    // Every anchor holds one of the pieces, so none starts before the
    // first piece less its offset: searching from there finds what a
    // search of the whole text finds.
    let Some(first) = first_piece else {
        return Vec::new();
    };
    let from = first.saturating_sub(RARE_PIECE_OFFSET);
    ANCHORS
        .find_iter(aho_corasick::Input::new(bytes).span(from..bytes.len()))
        .filter_map(|hit| {
            let at = hit.start();
            match hit.pattern().as_usize() {
                0 => pem_key(text, at),
                1 => ssh2_key(text, at),
                2 => putty_key(text, at),
                _ => wireguard_key(text, hit.end()),
            }
        })
        .collect()
}

fn pem_key(text: &str, at: usize) -> Option<FoundKey> {
    let bytes = text.as_bytes();
    let label_start = at + PEM_BEGIN.len();
    let label_len = bytes[label_start..]
        .iter()
        .take(40)
        .position(|&b| !(b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' '))?;
    let label = &text[label_start..label_start + label_len];
    let header_end = label_start + label_len + 5;
    if bytes.get(label_start + label_len..header_end)? != b"-----" {
        return None;
    }
    let kind = match label {
        "RSA PRIVATE KEY" => "RSA private key",
        "EC PRIVATE KEY" => "EC private key",
        "DSA PRIVATE KEY" => "DSA private key",
        "PRIVATE KEY" => "PKCS#8 private key",
        "ENCRYPTED PRIVATE KEY" => "encrypted PKCS#8 private key",
        "OPENSSH PRIVATE KEY" => "OpenSSH private key",
        "PGP PRIVATE KEY BLOCK" => "PGP private key block",
        l if l.ends_with(" PRIVATE KEY") => "private key",
        _ => return None,
    };
    let body = Body::after(bytes, header_end)?;
    if body.elided || cut_short(label, &body) {
        // A visibly truncated example, not a key (see the module docs).
        return None;
    }
    let plausible = match label {
        "OPENSSH PRIVATE KEY" => body.starts_with(b"b3BlbnNzaC1rZXktdjE"),
        "PGP PRIVATE KEY BLOCK" => true,
        // A traditional encrypted PEM key is ciphertext; anything else is DER.
        _ => body.encrypted || body.starts_with(b"M"),
    };
    plausible.then(|| FoundKey {
        range: at..block_end(text, header_end, "-----END ", "-----"),
        kind,
        redacted: format!("{}…", &text[at..header_end]),
    })
}

/// True when a block that reaches its END line holds less than a whole
/// key. A DER body (every unencrypted PEM label, and PKCS#8 `ENCRYPTED
/// PRIVATE KEY`) says its own length in its first bytes (`MIIEpA…` is a
/// SEQUENCE of 0x4a4 bytes): a body shorter than that was cut. A body of
/// another kind is cut when it is shorter than the smallest key of its
/// kind: an unencrypted OpenSSH Ed25519 key without a comment (312 base64
/// characters; 280 is the floor), a PGP Ed25519 secret key (about 300; the
/// floor is 200).
fn cut_short(label: &str, body: &Body) -> bool {
    if !body.complete {
        return false;
    }
    match label {
        "OPENSSH PRIVATE KEY" => body.total < 280,
        "PGP PRIVATE KEY BLOCK" => body.total < 200,
        _ if body.encrypted => false,
        _ => der_length(&body.head[..body.len])
            // Base64 of `n` bytes is `4 * ceil(n / 3)` characters; a
            // missing padding `=` is not a cut.
            .is_some_and(|n| body.total + 2 < n.div_ceil(3) * 4),
    }
}

/// The whole length, header included, of the DER SEQUENCE that `b64`
/// starts with.
fn der_length(b64: &[u8]) -> Option<usize> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut bytes = Vec::with_capacity(6);
    for chunk in b64.get(..8)?.chunks(4) {
        let n = chunk
            .iter()
            .try_fold(0u32, |acc, &c| Some(acc << 6 | value(c)?))?;
        bytes.extend_from_slice(&n.to_be_bytes()[1..]);
    }
    if bytes[0] != 0x30 {
        return None;
    }
    let long = |count: usize| {
        bytes[2..2 + count]
            .iter()
            .fold(0usize, |acc, &b| acc << 8 | usize::from(b))
            + 2
            + count
    };
    match bytes[1] {
        n @ 0..=0x7f => Some(usize::from(n) + 2),
        0x81 => Some(long(1)),
        0x82 => Some(long(2)),
        0x83 => Some(long(3)),
        _ => None,
    }
}

/// How far after its header a key block may end.
const MAX_KEY_BLOCK: usize = 64 * 1024;

/// The end of a key block: just past `close` after the first `end_marker`
/// following `from`, or the end of the header's line when there is none in
/// reach (a truncated key still ends somewhere).
fn block_end(text: &str, from: usize, end_marker: &str, close: &str) -> usize {
    let bytes = text.as_bytes();
    let window = &bytes[from..bytes.len().min(from + MAX_KEY_BLOCK)];
    let line_end = || {
        window
            .iter()
            .position(|&b| b == b'\n')
            .map_or(from + window.len(), |i| from + i)
    };
    let Some(marker) = find(window, end_marker.as_bytes()) else {
        return line_end();
    };
    let after = marker + end_marker.len();
    match find(&window[after..], close.as_bytes()) {
        Some(i) => from + after + i + close.len(),
        None => line_end(),
    }
}

fn ssh2_key(text: &str, at: usize) -> Option<FoundKey> {
    let header_end = at + SSH2_BEGIN.len();
    Body::after(text.as_bytes(), header_end)?;
    Some(FoundKey {
        range: at..block_end(text, header_end, "---- END SSH2", "----"),
        kind: "SSH.com private key",
        redacted: format!("{SSH2_BEGIN}…"),
    })
}

/// `PuTTY-User-Key-File-3: ssh-ed25519`, then `Private-Lines: N` and a body.
fn putty_key(text: &str, at: usize) -> Option<FoundKey> {
    let bytes = text.as_bytes();
    let version_at = at + PUTTY.len();
    if !matches!(bytes.get(version_at), Some(b'1'..=b'3'))
        || bytes.get(version_at + 1) != Some(&b':')
    {
        return None;
    }
    let algorithm_start = version_at
        + 2
        + bytes[version_at + 2..]
            .iter()
            .take(4)
            .take_while(|&&b| b == b' ')
            .count();
    let algorithm_len = bytes[algorithm_start..]
        .iter()
        .take(64)
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'@' | b'.'))
        .count();
    if algorithm_len == 0 {
        return None;
    }
    let header_end = algorithm_start + algorithm_len;
    let window = &bytes[header_end..bytes.len().min(header_end + 16 * 1024)];
    let lines_at = header_end + find(window, b"Private-Lines:")?;
    let count_end = lines_at
        + b"Private-Lines:".len()
        + bytes[lines_at + b"Private-Lines:".len()..]
            .iter()
            .take_while(|&&b| b == b' ' || b.is_ascii_digit())
            .count();
    Body::after(bytes, count_end)?;
    // The key ends with its MAC line.
    let end = find(
        &bytes[count_end..bytes.len().min(count_end + MAX_KEY_BLOCK)],
        b"Private-MAC:",
    )
    .map(|i| count_end + i)
    .map_or(header_end, |mac| {
        bytes[mac..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(bytes.len(), |i| mac + i)
    });
    Some(FoundKey {
        range: at..end,
        kind: "PuTTY private key",
        redacted: format!("{}…", &text[at..header_end]),
    })
}

/// `PrivateKey = <44 base64>` in a WireGuard `[Interface]` section.
fn wireguard_key(text: &str, key_end: usize) -> Option<FoundKey> {
    let bytes = text.as_bytes();
    let start = assigned_value_start(bytes, key_end)?;
    let run = bytes[start..]
        .iter()
        .take(45)
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        .count();
    let end = start + run + 1;
    if run != 43 || bytes.get(end - 1) != Some(&b'=') {
        return None;
    }
    if bytes
        .get(end)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return None;
    }
    let value = &text[start..end];
    if is_placeholder(value) || distinct(value.as_bytes()) < 16 {
        return None;
    }
    Some(FoundKey {
        range: start..end,
        kind: "WireGuard private key",
        redacted: "PrivateKey = …".to_string(),
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn distinct(bytes: &[u8]) -> usize {
    let mut seen = [false; 256];
    bytes
        .iter()
        .filter(|&&b| !std::mem::replace(&mut seen[usize::from(b)], true))
        .count()
}

/// The first base64 characters of a key body, read past the glue that
/// source code and armour put between lines.
struct Body {
    head: [u8; Body::LEN],
    len: usize,
    /// A `Proc-Type: 4,ENCRYPTED` header line was seen.
    encrypted: bool,
    /// Base64 characters in the whole body, as far as it was read.
    total: usize,
    /// The body ends at its `-----END` marker (so `total` is all of it).
    complete: bool,
    /// An ellipsis (`...`, `…`, `[...]`) stands in the body.
    elided: bool,
}

impl Body {
    /// How much of the body is read: enough to judge, no more.
    const LEN: usize = 96;
    const FIRST_LINE_MIN: usize = 40;
    const MIN: usize = 60;

    /// The body that follows `from`, if it is plausible key material.
    fn after(bytes: &[u8], mut i: usize) -> Option<Body> {
        let mut body = Body {
            head: [0; Body::LEN],
            len: 0,
            encrypted: false,
            total: 0,
            complete: false,
            elided: false,
        };
        let limit = bytes.len().min(i + 8 * 1024);
        let mut lines = 0;
        while i < limit {
            let b = bytes[i];
            if is_glue(b) {
                i += 1;
            } else if b == b'\\' {
                // `\n`, `\r`, `\\n` escapes and line continuations.
                i += 1;
                while i < limit && bytes[i] == b'\\' {
                    i += 1;
                }
                if matches!(bytes.get(i), Some(b'n' | b'r' | b't')) {
                    i += 1;
                }
            } else if b == b'/' && matches!(bytes.get(i + 1), Some(b'/' | b'*')) {
                // `//`, `///`, `//!`, `/*` comment markers.
                while i < limit && matches!(bytes[i], b'/' | b'*' | b'!') {
                    i += 1;
                }
            } else if let Some(end) = header_line(bytes, i) {
                if body.len > 0 {
                    break;
                }
                body.encrypted |= find(&bytes[i..end], b"ENCRYPTED").is_some();
                i = end;
            } else {
                let run = bytes[i..limit]
                    .iter()
                    .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
                    .count();
                if run == 0 {
                    let rest = &bytes[i..];
                    let rest = rest.strip_prefix(b"[").unwrap_or(rest);
                    if rest.starts_with(b"...") || rest.starts_with("…".as_bytes()) {
                        body.elided = true;
                    }
                    body.complete =
                        rest.starts_with(b"-----END ") || rest.starts_with(b"---- END ");
                    break;
                }
                if lines == 0 && run < Body::FIRST_LINE_MIN {
                    return None;
                }
                let take = run.min(Body::LEN - body.len);
                body.head[body.len..body.len + take].copy_from_slice(&bytes[i..i + take]);
                body.len += take;
                body.total += run;
                lines += 1;
                i += run;
            }
        }
        let head = &body.head[..body.len];
        let plausible = body.len >= Body::MIN
            && distinct(head) >= 20
            && std::str::from_utf8(head).is_ok_and(|s| !is_placeholder(s));
        plausible.then_some(body)
    }

    fn starts_with(&self, prefix: &[u8]) -> bool {
        self.head[..self.len].starts_with(prefix)
    }
}

/// Bytes between the lines of a key written in source: whitespace, quotes,
/// commas, concatenation, and comment markers other than `//`.
fn is_glue(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'"' | b'\'' | b',' | b'#' | b'*' | b';' | b'!' | b'(' | b')'
        )
}

/// An armour or PEM header line (`Proc-Type: 4,ENCRYPTED`, `Version: …`):
/// a name of letters and `-`, a colon, then the rest of the line. Returns
/// where the line ends (at a newline or a `\n` escape).
fn header_line(bytes: &[u8], i: usize) -> Option<usize> {
    let name = bytes[i..]
        .iter()
        .take(32)
        .take_while(|&&b| b.is_ascii_alphabetic() || b == b'-')
        .count();
    if name < 4 || bytes.get(i + name) != Some(&b':') {
        return None;
    }
    let rest = &bytes[i + name..];
    let len = rest
        .iter()
        .enumerate()
        .take(256)
        .position(|(j, &b)| b == b'\n' || (b == b'\\' && rest.get(j + 1) == Some(&b'n')))
        .unwrap_or(rest.len().min(256));
    Some(i + name + len)
}

/// Reports private keys in the text of any packaged file.
pub struct PrivateKeyDetector;

impl Detector for PrivateKeyDetector {
    fn scan(&self, text: &str, _file: FileContext<'_>, out: &mut Vec<Match>) {
        report(find_private_keys(text), out);
    }

    fn scan_with(
        &self,
        text: &str,
        _file: FileContext<'_>,
        shared: &SharedHits,
        out: &mut Vec<Match>,
    ) {
        report(private_keys_from(text, shared.first_key_piece), out);
    }
}

fn report(keys: Vec<FoundKey>, out: &mut Vec<Match>) {
    for key in keys {
        out.push(
            Match::new(
                &PRIVATE_KEY,
                key.range,
                format!("{} in a packaged file", key.kind),
                key.redacted,
            )
            .label("private key published with the crate")
            .note("anyone who downloads the crate gets the key; yanking does not delete it")
            .help("replace the key everywhere it is trusted, then generate test keys at test time or `exclude` the file"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tokens::codec::b64_encode;

    /// Key-like bodies are generated here so that no key is committed.
    fn random_bytes(seed: u32, n: usize) -> Vec<u8> {
        let mut x = u64::from(seed).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    fn random_b64(seed: u32, n: usize) -> String {
        b64_encode(&random_bytes(seed, n), false)
    }

    fn lines(body: &str, width: usize) -> Vec<&str> {
        body.as_bytes()
            .chunks(width)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect()
    }

    fn pem(label: &str, body: &str, newline: &str) -> String {
        let mut out = format!("-----BEGIN {label}-----{newline}");
        for line in lines(body, 64) {
            out.push_str(line);
            out.push_str(newline);
        }
        out.push_str(&format!("-----END {label}-----{newline}"));
        out
    }

    /// A DER-looking body: a SEQUENCE header that declares the length of
    /// the random bytes that follow (`MIICWA…`).
    fn der_body(seed: u32) -> String {
        let mut der = vec![0x30, 0x82, 0x02, 0x58];
        der.extend(random_bytes(seed, 600));
        b64_encode(&der, false)
    }

    fn kinds(text: &str) -> Vec<&'static str> {
        find_private_keys(text)
            .into_iter()
            .map(|k| k.kind)
            .collect()
    }

    #[test]
    fn finds_pem_keys_of_every_label() {
        for (label, kind) in [
            ("RSA PRIVATE KEY", "RSA private key"),
            ("EC PRIVATE KEY", "EC private key"),
            ("DSA PRIVATE KEY", "DSA private key"),
            ("PRIVATE KEY", "PKCS#8 private key"),
            ("ENCRYPTED PRIVATE KEY", "encrypted PKCS#8 private key"),
        ] {
            let text = pem(label, &der_body(1), "\n");
            assert_eq!(kinds(&text), [kind], "{label}");
            let crlf = pem(label, &der_body(2), "\r\n");
            assert_eq!(kinds(&crlf), [kind], "{label} CRLF");
        }
    }

    #[test]
    fn finds_openssh_pgp_ssh2_putty_and_wireguard_keys() {
        let openssh = pem(
            "OPENSSH PRIVATE KEY",
            &format!("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU{}", random_b64(3, 300)),
            "\n",
        );
        assert_eq!(kinds(&openssh), ["OpenSSH private key"]);

        let pgp = format!(
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n{}\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n",
            lines(&format!("lQOYBF{}", random_b64(4, 400)), 64).join("\n")
        );
        assert_eq!(kinds(&pgp), ["PGP private key block"]);

        let ssh2 = format!(
            "{SSH2_BEGIN}\nComment: \"rsa-key\"\n{}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n",
            lines(&format!("P2/56wAAA{}", random_b64(5, 300)), 70).join("\n")
        );
        assert_eq!(kinds(&ssh2), ["SSH.com private key"]);

        let putty = format!(
            "{PUTTY}3: ssh-ed25519\nEncryption: none\nComment: me@host\nPublic-Lines: 2\n{}\nPrivate-Lines: 1\n{}\nPrivate-MAC: {}\n",
            lines(&random_b64(6, 51), 64).join("\n"),
            random_b64(7, 48),
            "0".repeat(64)
        );
        let found = find_private_keys(&putty);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].redacted, format!("{PUTTY}3: ssh-ed25519…"));

        let wireguard = format!(
            "[Interface]\nAddress = 10.0.0.1/24\n{WIREGUARD} = {}\nListenPort = 51820\n",
            random_b64(8, 32)
        );
        assert_eq!(kinds(&wireguard), ["WireGuard private key"]);
    }

    /// The anchors are searched for only from the first rare piece of one
    /// (`BEGIN `, `PuTTY`, `teKey`) on, less its offset into its anchor: a
    /// key at the very start or end of the text, or after a piece that
    /// starts no key, is still found, with the same span.
    #[test]
    fn keys_at_the_edges_of_the_rare_piece_search_are_still_found() {
        let rsa = pem("RSA PRIVATE KEY", &der_body(20), "\n");
        let rsa = rsa.trim_end();
        let wireguard = format!("{WIREGUARD} = {}", random_b64(21, 32));
        let putty = format!(
            "{PUTTY}3: ssh-ed25519\nPrivate-Lines: 1\n{}\nPrivate-MAC: {}",
            random_b64(22, 48),
            "0".repeat(64)
        );
        for (key, kind) in [
            (rsa, "RSA private key"),
            (wireguard.as_str(), "WireGuard private key"),
            (putty.as_str(), "PuTTY private key"),
        ] {
            let start = key.find(['P', '-']).unwrap();
            let end = start + key[start..].len();
            for (before, after) in [
                ("", ""),
                ("", "\n"),
                ("x\n", ""),
                ("BEGIN TRANSACTION;\nPuTTY\ndeleteKey(k)\n", "\n"),
                ("-", ""),
            ] {
                let text = format!("{before}{key}{after}");
                let found = find_private_keys(&text);
                assert_eq!(
                    found.iter().map(|k| k.kind).collect::<Vec<_>>(),
                    [kind],
                    "{before:?} + {kind} + {after:?}"
                );
                if kind != "WireGuard private key" {
                    assert_eq!(found[0].range, before.len() + start..before.len() + end);
                }
            }
        }
        // Two keys back to back are two findings.
        let two = format!("{rsa}{rsa}");
        assert_eq!(kinds(&two), ["RSA private key", "RSA private key"]);
    }

    #[test]
    fn finds_keys_embedded_in_source() {
        let body = der_body(9);
        let parts = lines(&body, 64);
        // A Rust or JSON string with `\n` escapes.
        let escaped = format!(
            "let key = \"-----BEGIN RSA PRIVATE KEY-----\\n{}\\n-----END RSA PRIVATE KEY-----\\n\";",
            parts.join("\\n")
        );
        assert_eq!(kinds(&escaped), ["RSA private key"]);
        // A service-account JSON file.
        let json = format!(
            "{{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{}\\n-----END PRIVATE KEY-----\\n\"}}",
            parts.join("\\n")
        );
        assert_eq!(kinds(&json), ["PKCS#8 private key"]);
        // JSON inside a Rust string: doubled escapes.
        let double = escaped.replace("\\n", "\\\\n");
        assert_eq!(kinds(&double), ["RSA private key"]);
        // One literal per line, as with `concat!`.
        let concat = format!(
            "const KEY: &str = concat!(\n    \"-----BEGIN EC PRIVATE KEY-----\\n\",\n{}    \"-----END EC PRIVATE KEY-----\\n\",\n);",
            parts
                .iter()
                .map(|l| format!("    \"{l}\\n\",\n"))
                .collect::<String>()
        );
        assert_eq!(kinds(&concat), ["EC private key"]);
        // Doc comments.
        let doc = format!(
            "/// -----BEGIN PRIVATE KEY-----\n{}/// -----END PRIVATE KEY-----\n",
            parts
                .iter()
                .map(|l| format!("/// {l}\n"))
                .collect::<String>()
        );
        assert_eq!(kinds(&doc), ["PKCS#8 private key"]);
        // Traditional encrypted PEM with header lines.
        let encrypted = format!(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,{}\n\n{}\n-----END RSA PRIVATE KEY-----\n",
            "0".repeat(32),
            lines(&random_b64(10, 600), 64).join("\n")
        );
        assert_eq!(kinds(&encrypted), ["RSA private key"]);
    }

    #[test]
    fn the_span_is_the_whole_key_and_the_redaction_shows_no_key_material() {
        let body = der_body(11);
        let text = format!("x = 1\n{}", pem("RSA PRIVATE KEY", &body, "\n"));
        let mut out = Vec::new();
        let file = FileContext {
            archive_path: "tests/data/key.pem",
            is_manifest: false,
            package: "demo",
        };
        PrivateKeyDetector.scan(&text, file, &mut out);
        assert_eq!(out.len(), 1);
        let m = &out[0];
        let span = &text[m.range.clone()];
        assert!(span.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        assert!(span.ends_with("-----END RSA PRIVATE KEY-----"));
        assert_eq!(m.redacted, "-----BEGIN RSA PRIVATE KEY-----…");
        // On one line inside a string, the whole key is the span too.
        let inline = format!("let k = \"{}\";", pem("RSA PRIVATE KEY", &body, "\\n"));
        let key = &find_private_keys(&inline)[0];
        assert!(inline[key.range.clone()].ends_with("-----END RSA PRIVATE KEY-----"));
        let truncated = format!("-----BEGIN RSA PRIVATE KEY-----\n{}\n", &body[..64]);
        let key = &find_private_keys(&truncated)[0];
        assert_eq!(
            &truncated[key.range.clone()],
            "-----BEGIN RSA PRIVATE KEY-----",
            "no END: the header line"
        );
        assert_eq!(m.rule.name, "private-key-material");
        for chunk in body.as_bytes().chunks(8) {
            let chunk = std::str::from_utf8(chunk).unwrap();
            assert!(!m.redacted.contains(chunk) && !m.message.contains(chunk));
        }
        let wireguard = format!("PrivateKey = {}\n", random_b64(12, 32));
        let found = find_private_keys(&wireguard);
        assert_eq!(found[0].redacted, "PrivateKey = …");
    }

    #[test]
    fn headers_without_a_key_are_not_reported() {
        let texts = [
            "Files that start with `-----BEGIN RSA PRIVATE KEY-----` hold a PKCS#1 key."
                .to_string(),
            "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----".to_string(),
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA…\n-----END RSA PRIVATE KEY-----"
                .to_string(),
            "-----BEGIN PRIVATE KEY-----this is not a private key-----END PRIVATE KEY-----"
                .to_string(),
            "-----BEGIN RSA PRIVATE KEY----- and then the body follows as base64 in the file"
                .to_string(),
            pem("RSA PRIVATE KEY", &format!("MIIE{}", "A".repeat(300)), "\n"),
            pem("PRIVATE KEY", &"X".repeat(300), "\n"),
            pem("PRIVATE KEY", "<your key here>", "\n"),
            // Random base64 that is not DER, under an unencrypted PEM label.
            pem(
                "RSA PRIVATE KEY",
                &format!("Q{}", random_b64(13, 300)),
                "\n",
            ),
            // An OpenSSH label over something else.
            pem("OPENSSH PRIVATE KEY", &der_body(14), "\n"),
            format!("{PUTTY}3: ssh-ed25519 is the first line of a .ppk file"),
            "let key = PrivateKey::from_pem(&pem)?;".to_string(),
            format!("PrivateKey = {}", "A".repeat(43) + "="),
        ];
        for text in &texts {
            assert_eq!(find_private_keys(text), vec![], "{text}");
        }
    }

    #[test]
    fn public_keys_and_certificates_are_not_reported() {
        let body = der_body(15);
        for label in [
            "PUBLIC KEY",
            "RSA PUBLIC KEY",
            "CERTIFICATE",
            "CERTIFICATE REQUEST",
            "PGP PUBLIC KEY BLOCK",
            "OPENSSH PUBLIC KEY",
        ] {
            assert_eq!(
                find_private_keys(&pem(label, &body, "\n")),
                vec![],
                "{label}"
            );
        }
        let ssh = format!(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{} me@host",
            random_b64(16, 32)
        );
        assert_eq!(find_private_keys(&ssh), vec![]);
        let wireguard_public = format!("PublicKey = {}", random_b64(17, 32));
        assert_eq!(find_private_keys(&wireguard_public), vec![]);
    }

    #[test]
    fn truncated_keys_never_panic() {
        let body = der_body(18);
        let texts = [
            pem("RSA PRIVATE KEY", &body, "\\n"),
            format!(
                "{PUTTY}2: ssh-rsa\nPrivate-Lines: 1\n{}\n{WIREGUARD} = {}\n{SSH2_BEGIN}\n{}",
                random_b64(19, 60),
                random_b64(20, 32),
                random_b64(21, 60)
            ),
        ];
        for text in &texts {
            for cut in 0..=text.len() {
                for part in [&text[..cut], &text[cut..]] {
                    for key in find_private_keys(part) {
                        assert!(key.range.end <= part.len());
                    }
                }
            }
        }
    }

    #[test]
    fn visibly_truncated_pem_block_is_an_example_not_a_key() {
        // The shape of a key in documentation: two full lines, an
        // ellipsis, the END line.
        let body = der_body(20);
        let head = lines(&body, 64)[..2].join("\n");
        for cut in ["...", "…", "[...]", "    ...", "\n...\n"] {
            let text = format!(
                "-----BEGIN RSA PRIVATE KEY-----\n{head}{cut}\n-----END RSA PRIVATE KEY-----\n"
            );
            assert_eq!(kinds(&text), Vec::<&str>::new(), "{text}");
        }
        // The same in a Rust string with `\n` escapes.
        let text = format!(
            "const KEY: &str = \"-----BEGIN PRIVATE KEY-----\\n{}\\n...\\n-----END PRIVATE KEY-----\";",
            lines(&body, 64)[..2].join("\\n")
        );
        assert_eq!(kinds(&text), Vec::<&str>::new(), "{text}");
        // Shorter than its DER header says: three lines of a 604-byte key.
        let short = pem("RSA PRIVATE KEY", &body[..190], "\n");
        assert_eq!(kinds(&short), Vec::<&str>::new(), "{short}");
        let short = pem("PRIVATE KEY", &body[..700], "\n");
        assert_eq!(kinds(&short), Vec::<&str>::new(), "{short}");
        assert_eq!(der_length(b"MIICWAxx"), Some(604));
        assert_eq!(der_length(b"MGECAQAC"), Some(99));
        assert_eq!(der_length(b"b3BlbnNz"), None);
        // aws-lc's dsa_test.cc: a whole, deliberately tiny DSA key (99
        // bytes) is a key.
        let mut tiny = vec![0x30, 0x61];
        tiny.extend(random_bytes(24, 97));
        let tiny = pem("DSA PRIVATE KEY", &b64_encode(&tiny, false), "\n");
        assert_eq!(kinds(&tiny), ["DSA private key"], "{tiny}");
        let short = pem(
            "OPENSSH PRIVATE KEY",
            &format!("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU{}", random_b64(21, 120)),
            "\n",
        );
        assert_eq!(kinds(&short), Vec::<&str>::new(), "{short}");
        // Whole keys of the smallest sizes are still keys: an Ed25519
        // PKCS#8 key (64 characters), an OpenSSH Ed25519 key (312).
        let ed25519 = pem(
            "PRIVATE KEY",
            &format!("MC4CAQAwBQYDK2VwBCIEI{}", &random_b64(22, 40)[..43]),
            "\n",
        );
        assert_eq!(kinds(&ed25519), ["PKCS#8 private key"], "{ed25519}");
        let openssh = pem(
            "OPENSSH PRIVATE KEY",
            &format!(
                "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU{}",
                &random_b64(23, 220)[..281]
            ),
            "\n",
        );
        assert_eq!(kinds(&openssh), ["OpenSSH private key"]);
        // A whole RSA key is reported, and so is one whose END line is out
        // of reach.
        assert_eq!(
            kinds(&pem("RSA PRIVATE KEY", &body, "\n")),
            ["RSA private key"]
        );
        let open = format!("-----BEGIN RSA PRIVATE KEY-----\n{head}\n");
        assert_eq!(kinds(&open), ["RSA private key"]);
    }
}
