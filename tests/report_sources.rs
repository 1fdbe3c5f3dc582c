//! Renderers are pure functions of the report: the snippet of a finding
//! comes from the text the engine scanned, kept in the report, never from
//! the file read again. A file edited (or removed) between the check and
//! the output once had the scan's byte offsets applied to its new text:
//! the mask then fell beside the value.

use std::path::Path;

use cargo_privacy_check::engine::{self, ScanOptions};
use cargo_privacy_check::render::{self, Context};
use cargo_privacy_check::rules::tokens::codec::crc32_base62;
use cargo_privacy_check::workspace::{self, SelectOptions};

mod common;

/// A checksum-valid GitHub token, built here so no literal looks like one.
fn token(seed: char) -> String {
    let random: String = std::iter::repeat_n(seed, 30).collect();
    format!(
        "{}{random}{}",
        ["gh", "p_"].concat(),
        crc32_base62(random.as_bytes())
    )
}

/// The human output of a check of `dir`, rendered after `meanwhile` ran.
fn render_after(dir: &Path, meanwhile: impl FnOnce()) -> String {
    let selection = workspace::select(&SelectOptions::default(), dir).unwrap();
    let report = engine::check_selection(&selection, &ScanOptions::default()).unwrap();
    meanwhile();
    let ctx = Context {
        cwd: dir,
        selection: &selection,
        verbose: 0,
        quiet: false,
        elapsed: std::time::Duration::ZERO,
        width: 140,
    };
    let mut out = Vec::new();
    render::human::render(&report, &ctx, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_file_edited_between_check_and_output_is_shown_as_it_was_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let planted = token('k');
    common::write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    common::write(
        &dir,
        "src/lib.rs",
        &format!("// first line\npub const TOKEN: &str = \"{planted}\";\n"),
    );
    // Meanwhile the file changes: another value where the first was, and
    // the first one a line further down, at other offsets.
    let other = token('q');
    let edited = format!("// {other}\n// moved\npub const TOKEN: &str = \"{planted}\";\n");
    let lib = dir.join("src/lib.rs");
    let out = render_after(&dir, || std::fs::write(&lib, &edited).unwrap());

    assert!(out.contains("error[github-token]"), "{out}");
    // The line as it was checked, at its line, its value masked.
    assert!(out.contains("src/lib.rs:2:"), "{out}");
    assert!(out.contains("pub const TOKEN: &str = \"ghp_"), "{out}");
    assert!(!out.contains("// moved"), "{out}");
    for value in [&planted, &other] {
        assert!(!out.contains(&value[4..16]), "{value} leaked:\n{out}");
    }
}

#[test]
fn a_file_removed_between_check_and_output_still_has_its_snippet() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let planted = token('z');
    common::write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    common::write(&dir, "src/lib.rs", "");
    common::write(&dir, "tests/data.txt", &format!("header\nkey: {planted}\n"));
    let data = dir.join("tests/data.txt");
    let out = render_after(&dir, || std::fs::remove_file(&data).unwrap());
    assert!(out.contains("tests/data.txt:2:"), "{out}");
    assert!(out.contains("key: ghp_"), "{out}");
    assert!(!out.contains(&planted[4..16]), "leaked:\n{out}");
}
