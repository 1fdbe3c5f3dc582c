//! End-to-end: configuration layers, their precedence, and each key's effect.
//!
//! Every case builds a small workspace in a temporary folder (walk mode: no
//! git) and runs the binary in it. Addresses are written `name[at]domain`
//! and home folders `HOME/name` in the sources below and get their real
//! shape on disk, so this file (which ships) holds neither itself.

use std::path::Path;

use snapbox::{file, str};

mod common;
use common::{json, snap};

/// Writes `files` under a new temporary folder.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = text.replace("[at]", "@").replace("HOME/", "/home/");
    std::fs::write(path, text).unwrap();
}

/// A workspace with one member, `a`, at `crates/a`; `root_extra` is added to
/// the root manifest and `member_extra` to the member's.
fn workspace(root_extra: &str, member_extra: &str) -> tempfile::TempDir {
    tree(&[
        (
            "Cargo.toml",
            &format!("[workspace]\nmembers = [\"crates/a\"]\nresolver = \"2\"\n{root_extra}"),
        ),
        (
            "crates/a/Cargo.toml",
            &format!(
                "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
                 authors = [\"Sam Roe <sam.roe[at]gmail.com>\"]\n{member_extra}"
            ),
        ),
        ("crates/a/src/lib.rs", "// contact: kim.lee[at]gmail.com\n"),
    ])
}

/// (rule, path, level) of each finding.
fn findings(lines: &[serde_json::Value]) -> Vec<(String, String, String)> {
    lines
        .iter()
        .filter(|l| l["reason"] == "finding")
        .map(|l| {
            (
                l["rule"].as_str().unwrap().to_owned(),
                l["path"].as_str().unwrap().to_owned(),
                l["level"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The level `rule` is reported at, if it is reported.
fn level_of(dir: &Path, args: &[&str], rule: &str) -> Option<String> {
    let (_, lines) = json(dir, args);
    findings(&lines)
        .into_iter()
        .find(|f| f.0 == rule)
        .map(|f| f.2)
}

#[test]
fn each_layer_wins_over_the_one_before() {
    // `email-address` is a note by default.
    let dir = workspace("", "");
    let root = dir.path();
    assert_eq!(
        level_of(root, &[], "email-address").as_deref(),
        Some("note")
    );

    write(
        root,
        "privacy-check.toml",
        "[lints]\nemail-address = \"deny\"\n",
    );
    assert_eq!(
        level_of(root, &[], "email-address").as_deref(),
        Some("error"),
        "the file applies"
    );

    let mut manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    manifest.push_str("\n[workspace.metadata.privacy-check.lints]\nemail-address = \"warn\"\n");
    write(root, "Cargo.toml", &manifest);
    assert_eq!(
        level_of(root, &[], "email-address").as_deref(),
        Some("warning"),
        "workspace metadata wins over the file"
    );

    let mut member = std::fs::read_to_string(root.join("crates/a/Cargo.toml")).unwrap();
    member.push_str("\n[package.metadata.privacy-check.lints]\nemail-address = \"allow\"\n");
    write(root, "crates/a/Cargo.toml", &member);
    assert_eq!(
        level_of(root, &[], "email-address"),
        None,
        "package metadata wins over the workspace"
    );

    assert_eq!(
        level_of(root, &["-D", "email-address"], "email-address").as_deref(),
        Some("error"),
        "the command line wins over the package"
    );
    assert_eq!(
        level_of(
            root,
            &["-D", "email", "-W", "email-address"],
            "email-address"
        )
        .as_deref(),
        Some("warning"),
        "flags keep their command-line order"
    );
}

#[test]
fn categories_are_groups_and_rules_win_over_their_category() {
    // Written rule first: within a table the more specific entry wins
    // whatever the order of the keys.
    let dir = workspace(
        "[workspace.metadata.privacy-check.lints]\nauthor-email = \"deny\"\nemail = \"allow\"\n",
        "",
    );
    let (code, lines) = json(dir.path(), &[]);
    assert_eq!(
        findings(&lines),
        [(
            "author-email".to_owned(),
            "crates/a/Cargo.toml".to_owned(),
            "error".to_owned()
        )]
    );
    assert_eq!(code, 1);
    // A category in a later layer overrides the rules it groups.
    let dir = workspace(
        "[workspace.metadata.privacy-check.lints]\nauthor-email = \"deny\"\n",
        "[package.metadata.privacy-check.lints]\nemail = \"allow\"\n",
    );
    let (code, lines) = json(dir.path(), &[]);
    assert_eq!(findings(&lines), []);
    assert_eq!(code, 0);
}

#[test]
fn lints_take_cargos_table_form_with_priority() {
    // `{ level, priority }` as in cargo's `[lints]`: a lower priority is
    // applied first, so the category at priority -1 loses to nothing here
    // but the rule entry, and at priority 1 it wins over the rule.
    let dir = workspace(
        "[workspace.metadata.privacy-check.lints]\nemail = { level = \"allow\", priority = -1 }\nauthor-email = { level = \"deny\" }\n",
        "",
    );
    let (code, lines) = json(dir.path(), &[]);
    assert_eq!(
        findings(&lines),
        [(
            "author-email".to_owned(),
            "crates/a/Cargo.toml".to_owned(),
            "error".to_owned()
        )]
    );
    assert_eq!(code, 1);
    let dir = workspace(
        "[workspace.metadata.privacy-check.lints]\nemail = { level = \"allow\", priority = 1 }\nauthor-email = \"deny\"\n",
        "",
    );
    let (code, lines) = json(dir.path(), &[]);
    assert_eq!(findings(&lines), []);
    assert_eq!(code, 0);
    // A misspelt key of the table form is an error with a suggestion.
    let dir = workspace(
        "[workspace.metadata.privacy-check.lints]\nemail = { levle = \"allow\" }\n",
        "",
    );
    snap(dir.path()).assert().code(2).stderr_eq(str![[r#"
error: unknown key `levle` in `lints.email`
 --> Cargo.toml:5:11
  |
5 | email = { levle = "allow" }
  |           ^^^^^ unknown key
  |
  = help: did you mean `level`?

"#]]);
}

#[test]
fn deny_warnings_from_flag_or_configuration_fails_the_check() {
    // `author-email` is a warning: exit 0.
    let dir = workspace("", "");
    assert_eq!(json(dir.path(), &[]).0, 0);
    let (code, lines) = json(dir.path(), &["-D", "warnings"]);
    assert_eq!(code, 1);
    assert!(findings(&lines)
        .iter()
        .any(|f| f.0 == "author-email" && f.2 == "error"));

    let dir = workspace(
        "[workspace.metadata.privacy-check.lints]\nwarnings = \"deny\"\n",
        "",
    );
    let (code, lines) = json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(findings(&lines)
        .iter()
        .any(|f| f.0 == "author-email" && f.2 == "error"));
    assert!(
        findings(&lines)
            .iter()
            .any(|f| f.0 == "email-address" && f.2 == "note"),
        "notes stay notes"
    );
    assert_eq!(
        json(dir.path(), &["-W", "warnings"]).0,
        0,
        "the command line undoes the configuration's `warnings = \"deny\"`"
    );
}

#[test]
fn unknown_key_is_an_error_pointing_at_the_key() {
    let dir = workspace("", "\n[package.metadata.privacy-check]\nallow-email = []\n");
    snap(dir.path())
        .assert()
        .code(2)
        .stdout_eq(str![""])
        .stderr_eq(str![[r#"
error: unknown key `allow-email` in `[package.metadata.privacy-check]`
 --> crates/a/Cargo.toml:8:1
  |
8 | allow-email = []
  | ^^^^^^^^^^^ unknown key
  |
  = help: did you mean `allow-emails`?

"#]]);
}

#[test]
fn unknown_rule_in_configuration_suggests_the_closest() {
    let dir = workspace("", "");
    write(
        dir.path(),
        "privacy-check.toml",
        "[lints]\nhome-paths = \"allow\"\n",
    );
    snap(dir.path()).assert().code(2).stderr_eq(str![[r#"
error: unknown rule or category `home-paths`
 --> privacy-check.toml:2:1
  |
2 | home-paths = "allow"
  | ^^^^^^^^^^ unknown rule or category
  |
  = help: did you mean `home-path`?

"#]]);
}

#[test]
fn wrong_types_and_values_are_errors_pointing_at_the_value() {
    let dir = workspace(
        "[workspace.metadata.privacy-check]\nskip-paths = \"tests/\"\n",
        "",
    );
    snap(dir.path()).assert().code(2).stderr_eq(str![[r#"
error: `skip-paths` must be an array of strings
 --> Cargo.toml:5:14
  |
5 | skip-paths = "tests/"
  |              ^^^^^^^^ expected an array of strings

"#]]);
    let dir = workspace(
        "[workspace.metadata.privacy-check.lints]\nemail = \"forbid\"\n",
        "",
    );
    snap(dir.path()).assert().code(2).stderr_eq(str![[r#"
error: invalid level for `email`
 --> Cargo.toml:5:9
  |
5 | email = "forbid"
  |         ^^^^^^^^ expected `"allow"`, `"warn"` or `"deny"`

"#]]);
}

#[test]
fn two_configuration_files_are_an_error() {
    let dir = workspace("", "");
    write(dir.path(), "privacy-check.toml", "");
    write(dir.path(), ".privacy-check.toml", "");
    snap(dir.path()).assert().code(2).stderr_eq(str![[r#"
error: both `privacy-check.toml` and `.privacy-check.toml` exist in the workspace root
 |
 = help: they are one file under two names: merge them and keep one

"#]]);
}

#[test]
fn allowed_emails_and_domains_are_never_reported() {
    let dir = tree(&[
        (
            "Cargo.toml",
            "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
             authors = [\"Sam Roe <Sam.Roe[at]gmail.com>\", \"Ops <ops[at]eu.corp-mail.net>\"]\n\
             description = \"ask ann[at]corp-mail.net\"\n\n\
             [package.metadata.privacy-check]\n\
             allow-emails = [\"sam.roe[at]gmail.com\"]\n\
             allow-email-domains = [\"corp-mail.net\"]\n",
        ),
        (
            "src/lib.rs",
            "// sam.roe[at]gmail.com, dev[at]sub.corp-mail.net\n// kim.lee[at]gmail.com\n// x[at]notcorp-mail.net\n",
        ),
    ]);
    let (_, lines) = json(dir.path(), &[]);
    let lib = "src/lib.rs".to_owned();
    assert_eq!(
        findings(&lines)
            .into_iter()
            .map(|f| (f.0, f.1))
            .collect::<Vec<_>>(),
        [
            ("email-address".to_owned(), lib.clone()),
            ("email-address".to_owned(), lib),
        ],
        "only kim.lee@ and the look-alike domain remain"
    );
    let lines: Vec<u64> = lines.iter().filter_map(|l| l["line"].as_u64()).collect();
    assert_eq!(lines, [2, 3]);
}

#[test]
fn skipped_paths_are_not_checked_and_are_listed() {
    let dir = tree(&[
        (
            "Cargo.toml",
            "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [package.metadata.privacy-check]\nskip-paths = [\"tests/data/\", \"*.snap\"]\n",
        ),
        ("src/lib.rs", "// kim.lee[at]gmail.com\n"),
        // A leak in content and one by name, both skipped.
        ("tests/data/users.csv", "kim.lee[at]gmail.com\n"),
        ("tests/data/terraform.tfstate", "{}\n"),
        ("tests/out.snap", "HOME/kimlee/p/src/lib.rs\n"),
    ]);
    let (_, lines) = json(dir.path(), &[]);
    assert_eq!(
        findings(&lines),
        [(
            "email-address".to_owned(),
            "src/lib.rs".to_owned(),
            "note".to_owned()
        )]
    );
    assert_eq!(
        lines.last().unwrap()["not_scanned"],
        serde_json::json!([
            {"path": "tests/data/terraform.tfstate", "why": "skipped by configuration"},
            {"path": "tests/data/users.csv", "why": "skipped by configuration"},
            {"path": "tests/out.snap", "why": "skipped by configuration"},
        ])
    );
    snap(dir.path())
        .args(["-v"])
        .assert()
        .code(0)
        .stderr_eq(str![[r#"
    Checking p v0.1.0 (.)
note[email-address]: personal email address in a packaged file
...
note: `tests/data/terraform.tfstate` was not scanned: skipped by configuration
note: `tests/data/users.csv` was not scanned: skipped by configuration
note: `tests/out.snap` was not scanned: skipped by configuration
...
"#]]);
    snap(dir.path()).assert().code(0).stderr_eq(str![[r#"
...
note: 3 files skipped by configuration (`skip-paths`); run with -v to list them
...
"#]]);
}

#[test]
fn allowed_fingerprints_drop_exactly_that_value() {
    let dir = workspace("", "");
    let (_, lines) = json(dir.path(), &[]);
    let fingerprint = |rule: &str| {
        lines
            .iter()
            .find(|l| l["rule"] == rule)
            .and_then(|l| l["fingerprint"].as_str())
            .unwrap()
            .to_owned()
    };
    let author = fingerprint("author-email");
    let mut manifest = std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
    manifest.push_str(&format!(
        "\n[workspace.metadata.privacy-check]\nallow-fingerprints = [\"{}\"]\n",
        author.to_uppercase()
    ));
    write(dir.path(), "Cargo.toml", &manifest);
    let (_, after) = json(dir.path(), &[]);
    let rules: Vec<String> = findings(&after).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["email-address"]);
    assert_ne!(fingerprint("email-address"), author);
}

#[test]
fn max_file_size_limits_what_is_scanned() {
    let big = format!("{}\n// kim.lee[at]gmail.com\n", "x".repeat(2000));
    let dir = tree(&[
        (
            "Cargo.toml",
            "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [package.metadata.privacy-check]\nmax-file-size = \"1 KiB\"\n",
        ),
        ("src/lib.rs", &big),
        ("src/small.rs", "// ann.roe[at]gmail.com\n"),
    ]);
    let (code, lines) = json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&lines),
        [(
            "email-address".to_owned(),
            "src/small.rs".to_owned(),
            "note".to_owned()
        )]
    );
    assert_eq!(
        lines.last().unwrap()["not_scanned"],
        serde_json::json!([{"path": "src/lib.rs", "why": "larger than the 1 KiB scan limit"}])
    );
    // In bytes, and overridden by a layer above.
    write(dir.path(), "privacy-check.toml", "max-file-size = 10\n");
    let (_, lines) = json(dir.path(), &[]);
    assert_eq!(
        lines.last().unwrap()["not_scanned"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "the package's 1 KiB wins"
    );
    let manifest = std::fs::read_to_string(dir.path().join("Cargo.toml"))
        .unwrap()
        .replace("max-file-size = \"1 KiB\"", "max-file-size = 1048576");
    write(dir.path(), "Cargo.toml", &manifest);
    let (_, lines) = json(dir.path(), &[]);
    assert_eq!(findings(&lines).len(), 2);
}

#[test]
fn print_config_shows_the_merged_values_and_where_they_come_from() {
    let dir = workspace(
        "\n[workspace.metadata.privacy-check]\nallow-email-domains = [\"corp-mail.net\"]\n\
         max-file-size = \"4 MiB\"\n\n[workspace.metadata.privacy-check.lints]\nemail-address = \"warn\"\n",
        "\n[package.metadata.privacy-check]\nallow-emails = [\"sam.roe@example.org\"]\n\
         lints = { email = \"deny\" }\n",
    );
    write(
        dir.path(),
        "privacy-check.toml",
        "skip-paths = [\"tests/data/\"]\nmax-file-size = 1024\n\n[lints]\nhome-path = \"allow\"\n",
    );
    snap(dir.path())
        .args(["--print-config", "-A", "role-email", "-D", "warnings"])
        .assert()
        .code(0)
        .stderr_eq(str![""])
        .stdout_eq(file!["snapshots/config.print-config.stdout"]);
}

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
    let dir = tree(&[
        (
            "Cargo.toml",
            &format!(
                "[workspace]\nmembers = [\"member\"]\nresolver = \"2\"\n\n{}",
                blocks[0]
            ),
        ),
        (
            "member/Cargo.toml",
            &format!(
                "[package]\nname = \"member\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
                 authors = [\"Sam Roe <sam.roe[at]gmail.com>\"]\n\n{}",
                blocks[1]
            ),
        ),
        ("member/src/lib.rs", "// kim.lee[at]gmail.com\n"),
        ("member/tests/data/users.txt", "kim.lee[at]gmail.com\n"),
    ]);
    let (code, lines) = json(dir.path(), &["-p", "member", "-A", "author-email"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&lines),
        [(
            "email-address".to_owned(),
            "member/src/lib.rs".to_owned(),
            "error".to_owned()
        )]
    );
    assert_eq!(
        lines.last().unwrap()["not_scanned"],
        serde_json::json!([{"path": "member/tests/data/users.txt", "why": "skipped by configuration"}])
    );
}
