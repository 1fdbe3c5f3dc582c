//! Recorded traffic: HTTP archives (`.har`) saved from a browser's network
//! panel or a proxy, and packet captures (pcap, pcapng). Both hold whole
//! requests and responses: cookies, `Authorization` headers, session tokens
//! and form posts, as they went over the wire. They end up in crates as
//! test data for HTTP or protocol code.
//!
//! Judged as a whole, by name and first bytes, like the other files that
//! must not ship ([`crate::rules::sensitive_files`]).

use crate::diagnostic::{Applicability, Category, Level, Match};
use crate::rules::sensitive_files::must_not_ship;
use crate::rules::{Family, Finder, Rule};

pub static FAMILY: Family = Family {
    rules: &[&HTTP_ARCHIVE, &PACKET_CAPTURE],
    finder: Finder::Files(check_file),
};

pub static HTTP_ARCHIVE: Rule = Rule {
    name: "http-archive",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "HTTP archive (`.har`) recording requests with their cookies and headers",
    doc: r#"
## What it does
Reports HTTP archives: `.har` files, the JSON a browser's network panel or
a proxy (Charles, Fiddler, mitmproxy) saves, recognised by their name and,
when the file can be read, by the `"log"` object they start with.

## Why is this bad?
A HAR file records every request and response of a session whole: cookies,
`Authorization` and API-key headers, bearer tokens, form posts with
passwords, and the personal data the pages returned. Browsers do not strip
them when saving.

## Example
```text
tests/data/login-flow.har
```

## How to fix
Keep it out of the package (`exclude = ["*.har"]`) and end the sessions
and rotate the tokens it recorded. For test data, record against a test
account and strip `cookies` and `headers` first.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static PACKET_CAPTURE: Rule = Rule {
    name: "packet-capture",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "packet capture (pcap, pcapng) recording network traffic",
    doc: r#"
## What it does
Reports packet captures written by tcpdump, Wireshark or dumpcap: pcap
files (both byte orders, microsecond and nanosecond) and pcapng files,
recognised by their first bytes under any name, or by their extension
(`.pcap`, `.pcapng`) when they cannot be read.

## Why is this bad?
A capture holds the traffic of the machine it was taken on: host names and
addresses, and anything sent in clear text (HTTP cookies and headers, DNS
queries, credentials of unencrypted protocols).

## Example
```text
tests/fixtures/handshake.pcapng
```

## How to fix
Keep it out of the package (`exclude = ["*.pcap", "*.pcapng"]`). For test
data, capture synthetic traffic between test hosts.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

/// The magic numbers of pcap (microsecond and nanosecond timestamps, both
/// byte orders) and of pcapng's section header block.
const CAPTURE_MAGIC: [&[u8]; 5] = [
    b"\xd4\xc3\xb2\xa1",
    b"\xa1\xb2\xc3\xd4",
    b"\x4d\x3c\xb2\xa1",
    b"\xa1\xb2\x3c\x4d",
    b"\x0a\x0d\x0d\x0a",
];

/// Judges one packaged file; `content` is its first bytes, `None` when it
/// could not be read.
pub fn check_file(archive_path: &str, content: Option<&[u8]>) -> Option<Match> {
    let name = archive_path.rsplit('/').next().unwrap_or(archive_path);
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".har") && content.is_none_or(is_har) {
        return Some(must_not_ship(
            &HTTP_ARCHIVE,
            "HTTP archive, which records requests with their cookies and headers,",
            archive_path,
            true,
        ));
    }
    let captured = match content {
        Some(bytes) => is_capture(bytes),
        None => lower.ends_with(".pcap") || lower.ends_with(".pcapng"),
    };
    captured.then(|| {
        must_not_ship(
            &PACKET_CAPTURE,
            "packet capture, which records the traffic of the machine it was taken on,",
            archive_path,
            true,
        )
    })
}

/// A HAR file is a JSON object whose first key is `"log"`.
fn is_har(content: &[u8]) -> bool {
    let text = content.strip_prefix(b"\xef\xbb\xbf").unwrap_or(content);
    let mut rest = text.iter().skip_while(|b| b.is_ascii_whitespace());
    if rest.next() != Some(&b'{') {
        return false;
    }
    let rest: Vec<u8> = rest
        .skip_while(|b| b.is_ascii_whitespace())
        .take(5)
        .copied()
        .collect();
    rest == b"\"log\""
}

/// A pcap or pcapng file, by its magic number; a pcapng section header
/// also carries its byte-order magic at offset 8.
fn is_capture(content: &[u8]) -> bool {
    match CAPTURE_MAGIC.iter().position(|m| content.starts_with(m)) {
        Some(4) => matches!(
            content.get(8..12),
            Some(b"\x1a\x2b\x3c\x4d" | b"\x4d\x3c\x2b\x1a")
        ),
        Some(_) => content.len() >= 24,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pcap_header(magic: &[u8]) -> Vec<u8> {
        let mut header = magic.to_vec();
        header.extend_from_slice(&[2, 0, 4, 0]); // version 2.4
        header.resize(24, 0);
        header
    }

    #[test]
    fn http_archives_are_recognised_by_name_and_their_log_object() {
        let har = br#" { "log": { "version": "1.2", "entries": [] } }"#;
        let m = check_file("tests/data/login.HAR", Some(har)).unwrap();
        assert_eq!(m.rule.name, "http-archive");
        assert!(m.whole_file);
        assert!(m
            .help
            .as_deref()
            .unwrap()
            .contains("exclude = [\"/tests/data/login.HAR\"]"));
        // Unreadable: the name decides.
        assert!(check_file("session.har", None).is_some());
        // A file named `.har` that is not one (a Java-style archive, notes).
        assert!(check_file("build.har", Some(b"PK\x03\x04")).is_none());
        assert!(check_file("notes.har", Some(b"{\"logs\": []}")).is_none());
        assert!(check_file("session.json", Some(har)).is_none());
    }

    #[test]
    fn packet_captures_are_recognised_by_their_magic_under_any_name() {
        for magic in &CAPTURE_MAGIC[..4] {
            let m = check_file("tests/fixtures/trace", Some(&pcap_header(magic))).unwrap();
            assert_eq!(m.rule.name, "packet-capture");
        }
        let mut ng = b"\x0a\x0d\x0d\x0a\x1c\x00\x00\x00".to_vec();
        ng.extend_from_slice(b"\x4d\x3c\x2b\x1a");
        assert!(check_file("capture.bin", Some(&ng)).is_some());
        // The pcapng block type alone is a CR LF pair in a text file.
        assert!(check_file("notes.txt", Some(b"\n\r\r\nsome text here")).is_none());
        // Too short to be a pcap header.
        assert!(check_file("x", Some(b"\xd4\xc3\xb2\xa1")).is_none());
        assert!(check_file("dump.pcapng", None).is_some());
        assert!(check_file("dump.txt", None).is_none());
    }
}
