//! Test context (issue 12 §2): key material and generic credential rules
//! in test files, test folders and `#[cfg(test)]`/`#[test]` items are
//! reported as warnings with a note; the same values elsewhere, and
//! checksum-validated tokens anywhere, are errors; an explicit deny keeps
//! the error. Keys and tokens are generated at test time.

mod common;

use common::{json, run, write, Rng, BASE64};
use serde_json::Value;

/// A whole RSA key (the length its DER header declares) as the body of a
/// Rust string literal, lines joined by `\n` escapes.
fn key_literal(rng: &mut Rng) -> String {
    let kind = ["RSA", "PRIVATE KEY-----"].join(" ");
    let mut lines = vec![format!("-----BEGIN {kind}")];
    lines.push(format!("MIIEpAIBAAKCAQEA{}", rng.pick(BASE64, 48)));
    lines.extend((1..25).map(|_| rng.pick(BASE64, 64)));
    lines.push(format!("-----END {kind}"));
    lines.join("\\n")
}

/// A package with the same kind of key in a test file, in library code and
/// in a `#[cfg(test)]` module of library code, and a GitHub token in the
/// test file.
fn package() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut rng = Rng(0x7e57_c0de);
    write(
        d,
        "Cargo.toml",
        "[package]\nname = \"c\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(
        d,
        "tests/tls.rs",
        &format!(
            "const KEY: &str = \"{}\";\nconst TOKEN: &str = \"{}\";\n",
            key_literal(&mut rng),
            rng.github()
        ),
    );
    write(
        d,
        "src/lib.rs",
        &format!(
            "pub const KEY: &str = \"{}\";\n\n#[cfg(test)]\nmod tests {{\n    #[test]\n    fn loads() {{\n        let key = \"{}\";\n        assert!(!key.is_empty());\n    }}\n}}\n",
            key_literal(&mut rng),
            key_literal(&mut rng)
        ),
    );
    // A key file by its name: judged by its path alone.
    let pem = key_literal(&mut rng).replace("\\n", "\n");
    write(d, "tests/data/id_rsa", &pem);
    write(
        d,
        "deploy/id_rsa",
        &key_literal(&mut rng).replace("\\n", "\n"),
    );
    dir
}

/// (rule, path, line, level) of each finding, sorted.
fn findings(lines: &[Value]) -> Vec<Vec<String>> {
    let mut out = common::findings(lines, &["rule", "path", "line", "level"]);
    out.sort();
    out
}

#[test]
fn keys_in_test_code_are_warnings_and_tokens_stay_errors() {
    let dir = package();
    let (code, lines) = json(dir.path(), &[]);
    assert_eq!(
        findings(&lines),
        [
            ["github-token", "tests/tls.rs", "2", "error"],
            ["private-key-file", "deploy/id_rsa", "-", "error"],
            ["private-key-file", "tests/data/id_rsa", "-", "warning"],
            ["private-key-material", "src/lib.rs", "1", "error"],
            ["private-key-material", "src/lib.rs", "7", "warning"],
            ["private-key-material", "tests/tls.rs", "1", "warning"],
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn a_relaxed_key_says_it_looks_like_a_test_fixture_and_how_to_allow_it() {
    let dir = package();
    let (_, stdout, stderr) = run(dir.path(), &[], "human");
    let out = format!("{stdout}{stderr}");
    // Three relaxed findings (tests/tls.rs, the test module and the key
    // file under tests/), one note each.
    assert_eq!(
        out.matches("this looks like a test fixture").count(),
        3,
        "{out}"
    );
    assert!(
        out.contains("`privacy-check:allow(private-key-material)` comment"),
        "{out}"
    );
    assert!(
        out.contains("`private-key-material = \"allow\"` in `[lints]`"),
        "{out}"
    );
}

#[test]
fn an_explicit_deny_keeps_keys_in_test_code_errors() {
    let dir = package();
    for flag in ["private-key-material", "private-key"] {
        let (code, lines) = json(dir.path(), &["-D", flag]);
        let levels: Vec<_> = findings(&lines)
            .into_iter()
            .filter(|f| f[0] == "private-key-material")
            .map(|f| f[3].clone())
            .collect();
        assert_eq!(levels, ["error"; 3], "-D {flag}");
        assert_eq!(code, 1);
    }
    write(
        dir.path(),
        "privacy-check.toml",
        "[lints]\nprivate-key-material = \"deny\"\n",
    );
    let (_, lines) = json(dir.path(), &[]);
    let levels: Vec<_> = findings(&lines)
        .into_iter()
        .filter(|f| f[0] == "private-key-material")
        .map(|f| f[3].clone())
        .collect();
    assert_eq!(levels, ["error"; 3], "[lints] deny");
}
