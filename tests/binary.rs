//! Inside binary files, end to end: a crate whose shipped files are built
//! here, at test time, in the real shapes (an object file with a Windows
//! build path in ASCII and in UTF-16LE, an archive member with an address,
//! random bytes), with fake values.

mod common;

/// A user name that is no one's, spliced in at run time so that this file
/// holds no home path.
fn user() -> String {
    ["zq", "hartwell"].concat()
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// An object file as a Windows build leaves it: an ELF-like header (NULs in
/// the first bytes), code, the source path in ASCII (a `.file` symbol) and
/// in UTF-16LE (a PDB or resource string), more than a read chunk apart.
fn object_file() -> (Vec<u8>, u64, u64) {
    let mut bytes = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    bytes.extend(common::noise(7, 300).iter().map(|b| b & 0x7f | 0x80));
    bytes.push(0);
    let ascii = bytes.len() as u64;
    let path = format!(r"C:\Users\{}\src\ring\pregenerated\aes-x86_64.asm", user());
    bytes.extend_from_slice(path.as_bytes());
    bytes.push(0);
    bytes.extend(common::noise(11, 70_000).iter().map(|b| b | 0x80));
    bytes.extend_from_slice(&[0, 0]);
    let wide = bytes.len() as u64;
    bytes.extend(utf16(&path));
    bytes.extend_from_slice(&[0, 0, 0xff]);
    (bytes, ascii, wide)
}

#[test]
fn a_home_path_in_a_binary_file_is_found_in_ascii_and_utf16_with_its_offset() {
    let tmp = tempfile::tempdir().unwrap();
    let (object, ascii, wide) = object_file();
    common::committed_demo(
        tmp.path(),
        &[
            ("pregenerated/aes-x86_64-nasm.o", object),
            // Random bytes with no strings in them: nothing to report.
            ("tests/data/noise.bin", {
                let mut n = common::noise(3, 200_000);
                n[0] = 0;
                n
            }),
        ],
    );
    let (_, lines) = common::json(tmp.path(), &[]);
    let found: Vec<(&str, &str, Option<u64>, &str)> = common::finding_lines(&lines)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["archive_path"].as_str().unwrap(),
                f["offset"].as_u64(),
                f["redacted"].as_str().unwrap(),
            )
        })
        .collect();
    let name_at = |start: u64, width: u64| start + width * r"C:\Users\".len() as u64;
    assert_eq!(
        found,
        [
            (
                "home-folder-path",
                "pregenerated/aes-x86_64-nasm.o",
                Some(name_at(ascii, 1)),
                r"C:\Users\z…\"
            ),
            (
                "home-folder-path",
                "pregenerated/aes-x86_64-nasm.o",
                Some(name_at(wide, 2)),
                r"C:\Users\z…\"
            ),
        ]
    );
    let first = common::finding_lines(&lines)[0];
    assert!(first["line"].is_null());
    let message = first["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("at byte {}", name_at(ascii, 1))),
        "{message}"
    );
    // Both are the same value: one fingerprint.
    assert_eq!(
        common::finding_lines(&lines)[0]["fingerprint"],
        common::finding_lines(&lines)[1]["fingerprint"]
    );
    // Still listed as binary: the other rules did not read it.
    let summary = lines.last().unwrap();
    let not_scanned = summary["not_scanned"].as_array().unwrap();
    assert!(not_scanned
        .iter()
        .any(|n| n["path"] == "pregenerated/aes-x86_64-nasm.o" && n["why"] == "binary"));

    // SARIF: a byte region, no line.
    let (_, sarif, _) = common::run(tmp.path(), &[], "sarif");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["byteOffset"], name_at(ascii, 1));
    assert_eq!(region["byteLength"], user().len() as u64);
    assert!(region.get("startLine").is_none(), "{region}");

    // Human: the offset and the masked value, never the name.
    let (_, _, human) = common::run(tmp.path(), &[], "human");
    // The same name twice in the file is one diagnostic: the first
    // occurrence (the ASCII one), counting the UTF-16 one.
    assert!(
        human.contains(&format!("at byte {}", name_at(ascii, 1))),
        "{human}"
    );
    assert!(
        human.contains("and 1 more occurrence in this file"),
        "{human}"
    );
    assert!(human.contains(r"C:\Users\z…\"), "{human}");
    assert!(!human.contains(&user()), "{human}");
    assert!(
        human.contains("rebuild it with the path remapped (rustc's `--remap-path-prefix`"),
        "{human}"
    );
}

#[test]
fn random_bytes_that_spell_no_string_give_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    // Printable runs do occur in random bytes; none is a path or address.
    let mut bytes = common::noise(5, 1 << 20);
    bytes[10] = 0;
    common::committed_demo(tmp.path(), &[("assets/blob.bin", bytes)]);
    let (code, lines) = common::json(tmp.path(), &[]);
    assert_eq!(common::finding_lines(&lines).len(), 0, "{lines:?}");
    assert_eq!(code, 0);
}

#[test]
fn an_email_in_a_binary_is_a_finding_too() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bytes = vec![0u8; 64];
    bytes.extend_from_slice(format!("built by {}\0", common::email(&user())).as_bytes());
    common::committed_demo(tmp.path(), &[("lib/libdemo.a", bytes)]);
    let (_, lines) = common::json(tmp.path(), &[]);
    let found = common::finding_lines(&lines);
    assert_eq!(found.len(), 1, "{lines:?}");
    assert_eq!(found[0]["rule"], "email-address");
    assert_eq!(found[0]["offset"], 64 + "built by ".len() as u64);
    assert_eq!(found[0]["redacted"], "zqha…@gmail.com");
}

#[test]
fn a_binary_larger_than_the_limit_is_not_streamed_past_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (object, _, _) = object_file();
    common::committed_demo(
        tmp.path(),
        &[
            ("big.o", object),
            ("privacy-check.toml", b"max-file-size = 1000\n".to_vec()),
        ],
    );
    let (_, lines) = common::json(tmp.path(), &[]);
    assert_eq!(common::finding_lines(&lines).len(), 0, "{lines:?}");
    let summary = lines.last().unwrap();
    assert!(
        summary["not_scanned"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["path"] == "big.o" && n["why"].as_str().unwrap().starts_with("larger")),
        "{summary}"
    );
}
