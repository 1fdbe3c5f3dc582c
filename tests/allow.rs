//! Inline allows end to end: a crate built in a temporary folder, checked by
//! the binary, its JSON lines and human output asserted.
//!
//! The marker and the planted emails are assembled at run time, so this file
//! holds neither (the self-check scans it).

mod common;

use common::{email, json, write};
use serde_json::Value;
use snapbox::cmd::{cargo_bin, Command};
use snapbox::{file, Assert, Redactions};

const MARKER: &str = concat!("privacy-check", ":allow");

fn allow(names: &str) -> String {
    format!("{MARKER}({names})")
}

fn manifest(extra: &str) -> String {
    format!("[package]\nname = \"c\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{extra}")
}

/// (rule, path, line) of every line with this reason.
fn of(lines: &[Value], reason: &str) -> Vec<(String, String, u64)> {
    let mut out: Vec<_> = lines
        .iter()
        .filter(|l| l["reason"] == reason)
        .map(|l| {
            (
                l["rule"]
                    .as_str()
                    .or(l["name"].as_str())
                    .unwrap_or("")
                    .to_owned(),
                l["path"].as_str().unwrap().to_owned(),
                l["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    out.sort();
    out
}

fn f(rule: &str, path: &str, line: u64) -> (String, String, u64) {
    (rule.to_owned(), path.to_owned(), line)
}

#[test]
fn each_comment_syntax_allows_on_its_line_and_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b, c) = (email("ann.lee"), email("bo.kim"), email("cy.ng"));
    let a_allow = allow("email-address");
    write(
        d,
        "Cargo.toml",
        &manifest(&format!(
            "# {}\nauthors = [\"Ann <{a}>\"]\ndescription = \"{b}\" # {}\n",
            allow("author-email"),
            allow("manifest-email")
        )),
    );
    // Each file: allowed on the marker's line, allowed on the next line,
    // and reported two lines on.
    let cases = [
        ("src/lib.rs", "// "),
        ("src/query.sql", "-- "),
        ("config.ini", "; "),
        ("deploy.yml", "# "),
        ("src/block.c", "/* "),
        ("docs/page.html", "<!-- "),
        ("README.md", "<!-- "),
    ];
    for (path, opener) in cases {
        let close = match opener {
            "/* " => " */",
            "<!-- " => " -->",
            _ => "",
        };
        write(
            d,
            path,
            &format!("x {a} {opener}{a_allow}{close}\n{opener}{a_allow}{close}\n{b}\n\n{c}\n"),
        );
    }
    let (code, lines) = json(d, &["-W", "email-address"]);
    assert_eq!(code, 0);
    let mut reported = Vec::new();
    let mut allowed = vec![
        f("author-email", "Cargo.toml", 6),
        f("manifest-email", "Cargo.toml", 7),
    ];
    for (path, _) in cases {
        allowed.push(f("email-address", path, 1));
        allowed.push(f("email-address", path, 3));
        reported.push(f("email-address", path, 5));
    }
    allowed.sort();
    reported.sort();
    assert_eq!(of(&lines, "finding"), reported);
    assert_eq!(of(&lines, "allowed"), allowed);
    assert_eq!(of(&lines, "unused-allow"), []);
    assert_eq!(of(&lines, "invalid-allow"), []);
}

#[test]
fn several_rules_categories_and_other_rules() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "Cargo.toml", &manifest(""));
    let a = email("ann.lee");
    let home = ["/home", "annlee", "src"].join("/");
    write(
        d,
        "src/lib.rs",
        &[
            format!("// {}", allow("home-folder-path, email-address")),
            format!("// {a} {home}"),
            format!("// {}", allow("email")),
            format!("// {a}"),
            format!("// {}", allow("home-path")),
            format!("// {a} {home}"),
            String::new(),
            String::new(),
        ]
        .join("\n"),
    );
    let (code, lines) = json(d, &["-W", "email-address"]);
    assert_eq!(code, 0);
    assert_eq!(
        of(&lines, "allowed"),
        [
            f("email-address", "src/lib.rs", 2),
            f("email-address", "src/lib.rs", 4),
            f("home-folder-path", "src/lib.rs", 2),
            f("home-folder-path", "src/lib.rs", 6),
        ]
    );
    // An allow of another rule (line 5) does not allow this one.
    assert_eq!(of(&lines, "finding"), [f("email-address", "src/lib.rs", 6)]);
    assert_eq!(of(&lines, "unused-allow"), []);
}

#[test]
fn unused_and_unknown_allows_are_warnings_and_errors_under_deny_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "Cargo.toml", &manifest(""));
    write(
        d,
        "src/lib.rs",
        &format!(
            "// {}\npub fn f() {{}}\n// {}\n// {MARKER}\n",
            allow("url-credentials"),
            allow("autor-email")
        ),
    );
    let (code, lines) = json(d, &[]);
    assert_eq!(code, 0, "warnings only");
    assert_eq!(
        of(&lines, "unused-allow"),
        [f("url-credentials", "src/lib.rs", 1)]
    );
    assert_eq!(
        of(&lines, "invalid-allow"),
        [f("", "src/lib.rs", 4), f("autor-email", "src/lib.rs", 3)]
    );
    let unknown = lines.iter().find(|l| l["name"] == "autor-email").unwrap();
    assert_eq!(unknown["suggestion"], "author-email");
    assert_eq!(unknown["column"], 4 + MARKER.len() as u64 + 1);
    let summary = lines.last().unwrap();
    assert_eq!(summary["warnings"], 3);
    assert_eq!(summary["success"], true);

    let (code, lines) = json(d, &["-D", "warnings"]);
    assert_eq!(code, 1);
    assert_eq!(lines.last().unwrap()["errors"], 3);
}

#[test]
fn allows_in_an_inherited_workspace_value_sit_in_the_root_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = email("ann.lee");
    write(
        d,
        "Cargo.toml",
        &format!(
            "[workspace]\nmembers = [\"m\"]\n\n[workspace.package]\n# {}\nauthors = [\"Ann <{a}>\"]\n",
            allow("author-email")
        ),
    );
    write(
        d,
        "m/Cargo.toml",
        "[package]\nname = \"m\"\nversion = \"0.1.0\"\nedition = \"2021\"\nauthors.workspace = true\n",
    );
    write(d, "m/src/lib.rs", "");
    let (code, lines) = json(d, &["--workspace"]);
    assert_eq!(code, 0);
    assert_eq!(of(&lines, "finding"), []);
    assert_eq!(of(&lines, "allowed"), [f("author-email", "Cargo.toml", 6)]);
    assert_eq!(of(&lines, "unused-allow"), []);
}

#[test]
fn a_whole_file_finding_is_allowed_from_the_first_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "Cargo.toml",
        &manifest("include = [\"src/**\", \"Cargo.toml\", \".env\", \"x/.env\"]\n"),
    );
    write(d, "src/lib.rs", "");
    write(
        d,
        ".env",
        &format!("# {}\nAPP_MODE=demo\n", allow("env-file")),
    );
    write(
        d,
        "x/.env",
        &format!("APP_MODE=demo\n# {}\n", allow("env-file")),
    );
    let (code, lines) = json(d, &[]);
    assert_eq!(code, 1);
    assert_eq!(of(&lines, "allowed"), [f("env-file", ".env", 0)]);
    assert_eq!(of(&lines, "finding"), [f("env-file", "x/.env", 0)]);
    assert_eq!(of(&lines, "unused-allow"), [f("env-file", "x/.env", 2)]);
}

#[test]
fn human_output_shows_allow_warnings_and_with_v_the_allowed_findings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = email("ann.lee");
    write(
        d,
        "Cargo.toml",
        &manifest(&format!(
            "authors = [\"Ann <{a}>\"] # {}\n",
            allow("author-email, manifest-emial")
        )),
    );
    // The unused allow shares its line with a value at `allow` level: the
    // snippet must mask it all the same.
    write(
        d,
        "src/lib.rs",
        &format!("// {a} {}\n", allow("url-credentials")),
    );
    let mut redactions = Redactions::new();
    redactions
        .insert(
            "[ELAPSED]",
            regex::Regex::new(r"in (?<redacted>\d+\.\d+s)").unwrap(),
        )
        .unwrap();
    // The snapshot must not hold a live marker either: the self-check
    // scans it.
    redactions.insert("[MARKER]", MARKER).unwrap();
    Command::new(cargo_bin!("cargo-privacy-check"))
        .current_dir(d)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .args(["-v", "-A", "email-address"])
        .with_assert(
            Assert::new()
                .action_env("SNAPSHOTS")
                .redact_with(redactions),
        )
        .assert()
        .code(0)
        .stderr_eq(file!["snapshots/allow.human.stderr"]);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .args(["-v", "-A", "email-address", "--message-format", "short"])
        .current_dir(d)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains(&a));
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            format!(
                "Cargo.toml:5:{}: warning: unknown rule or category `manifest-emial` in `{MARKER}`",
                "authors = [\"Ann <>\"] # ".len()
                    + a.len()
                    + MARKER.len()
                    + "(author-email, ".len()
                    + 1
            ),
            format!(
                "src/lib.rs:1:{}: warning: unused `{MARKER}(url-credentials)`",
                3 + a.len() + 1 + MARKER.len() + 1 + 1
            ),
            format!("Cargo.toml:5:18: note[author-email]: finding allowed by `{MARKER}` at line 5"),
        ]
    );
}
