//! Configuration end to end, where a case needs more than a tree: the
//! example of `docs/configuration.md`, read from the docs at test time, does
//! what they say. The cases that are a tree in and output out (layers and
//! their precedence, each key's effect, configuration errors) are folders
//! under `tests/cases/config/`, run by `tests/cases.rs`.
//!
//! Addresses are written `name[at]domain` below and get their real shape on
//! disk, so this file (which ships) holds none.

mod common;
use common::{findings, json, write};

#[test]
fn the_configuration_example_does_what_the_docs_say() {
    let section = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/configuration.md"
    ))
    .unwrap();
    let blocks: Vec<&str> = section
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 2, "the workspace table and the member's");
    let root_manifest = format!(
        "[workspace]\nmembers = [\"member\"]\nresolver = \"2\"\n\n{}",
        blocks[0]
    );
    let member_manifest = format!(
        "[package]\nname = \"member\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         authors = [\"Sam Roe <sam.roe[at]gmail.com>\"]\n\n{}",
        blocks[1]
    );
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("Cargo.toml", root_manifest.as_str()),
        ("member/Cargo.toml", member_manifest.as_str()),
        ("member/src/lib.rs", "// kim.lee[at]gmail.com\n"),
        ("member/tests/data/users.txt", "kim.lee[at]gmail.com\n"),
    ] {
        write(dir.path(), path, &text.replace("[at]", "@"));
    }
    let (code, lines) = json(dir.path(), &["-p", "member", "-A", "author-email"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&lines, &["rule", "path", "level"]),
        [["email-address", "member/src/lib.rs", "error"]]
    );
    assert_eq!(
        lines.last().unwrap()["not_scanned"],
        serde_json::json!([{"path": "member/tests/data/users.txt", "why": "skipped by configuration"}])
    );
}
