//! Adversarial: custom rules and the engine attacked as an attacker and a
//! demanding user would. Each test is named after what broke (or what an
//! attack tried and must keep holding).
//!
//! The secrets are assembled at run time, so this file, which ships,
//! holds none.

mod common;
use common::{run, write};

/// A value of an internal format, built at run time.
fn token() -> String {
    format!("acme_live_{}", ["Q7w3R9t2", "Y8u1I4o6"].concat())
}

/// A package `demo` with `config` as its `privacy-check.toml`.
fn package(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         description = \"d\"\nlicense = \"MIT\"\n",
    );
    write(d, "privacy-check.toml", config);
    write(d, "src/lib.rs", "pub fn f() {}\n");
    dir
}

/// Runs in human format: (status, stdout and stderr).
fn human(d: &std::path::Path, args: &[&str]) -> (i32, String) {
    let (code, out, err) = run(d, args, "human");
    (code, out + &err)
}

#[test]
fn a_negative_example_the_rule_matches_is_masked_in_its_error() {
    // The rule matches its negative example, so that example is a value of
    // the format: the error quoting it must not repeat it.
    let config = format!(
        "[[rules]]\nid = \"acme-token\"\nregex = 'acme_live_[A-Za-z0-9]{{16}}'\n\
         keywords = [\"acme_live_\"]\nnegative-examples = [\"x = {}\"]\n",
        token()
    );
    let dir = package(&config);
    for format in ["human", "json", "short"] {
        let (code, out, err) = run(dir.path(), &[], format);
        let all = out + &err;
        assert_eq!(code, 2, "{format}: {all}");
        assert!(
            all.contains("the custom rule `acme-token` matches its negative example"),
            "{format}: {all}"
        );
        assert!(!all.contains(&token()), "{format} repeats the value: {all}");
        assert!(!all.contains("Q7w3R9t2"), "{format}: {all}");
    }
    let (_, all) = human(dir.path(), &[]);
    assert!(
        all.contains("acme_live_•"),
        "the value is shown masked: {all}"
    );
}

#[test]
fn a_glob_that_selects_no_file_is_an_error_not_a_rule_that_never_applies() {
    // An empty glob, a comment, blanks or a negation alone adds no pattern:
    // the rule would apply to no file, silently.
    for (key, glob) in [
        ("paths", ""),
        ("paths", "#src/"),
        ("paths", "   "),
        ("paths", "!src/"),
        ("file-name", ""),
        ("file-name", "!*.env"),
    ] {
        let value = if key == "paths" {
            format!("regex = 'acme_live_[A-Za-z0-9]{{16}}'\npaths = [\"{glob}\"]")
        } else {
            format!("file-name = \"{glob}\"")
        };
        let dir = package(&format!("[[rules]]\nid = \"acme-token\"\n{value}\n"));
        let (code, all) = human(dir.path(), &[]);
        assert_eq!(code, 2, "{key} = {glob:?}: {all}");
        assert!(
            all.contains(&format!("a glob in `{key}` that matches no file")),
            "{key} = {glob:?}: {all}"
        );
        assert!(all.contains("privacy-check.toml:"), "points at it: {all}");
    }
    // A glob that selects files still loads and limits the rule.
    let dir = package(
        "[[rules]]\nid = \"acme-token\"\nregex = 'acme_live_[A-Za-z0-9]{16}'\npaths = [\"src/\"]\n",
    );
    write(dir.path(), "src/a.rs", &format!("// {}\n", token()));
    write(dir.path(), "b.txt", &format!("{}\n", token()));
    let (code, out, err) = run(dir.path(), &[], "short");
    let all = out + &err;
    assert_eq!(code, 1, "{all}");
    assert!(all.contains("src/a.rs:1:4: error[acme-token]"), "{all}");
    assert!(!all.contains("b.txt"), "{all}");
}

#[cfg(unix)]
#[test]
fn a_hostile_gitleaks_file_is_an_error_pointing_at_the_key() {
    let dir = package("gitleaks-config = \"gl.toml\"\n");
    let d = dir.path();
    let gl = d.join("gl.toml");
    /// Makes `gl.toml` hostile.
    type Make<'a> = Box<dyn Fn() + 'a>;
    let cases: Vec<(&str, Make)> = vec![
        (
            "it is a FIFO, not a regular file",
            Box::new(|| {
                let status = std::process::Command::new("mkfifo")
                    .arg(d.join("gl.toml"))
                    .status()
                    .unwrap();
                assert!(status.success());
            }),
        ),
        (
            "it is a character device, not a regular file",
            Box::new(|| std::os::unix::fs::symlink("/dev/zero", d.join("gl.toml")).unwrap()),
        ),
        (
            "it is larger than the 10 MiB limit",
            Box::new(|| std::fs::write(d.join("gl.toml"), "#".repeat(11 << 20)).unwrap()),
        ),
        (
            "stream did not contain valid UTF-8",
            Box::new(|| std::fs::write(d.join("gl.toml"), b"[[rules]]\nid = \"x\xc3").unwrap()),
        ),
    ];
    for (label, make) in cases {
        let _ = std::fs::remove_file(&gl);
        make();
        let (code, all) = human(d, &[]);
        assert_eq!(code, 2, "{label}: {all}");
        assert!(
            all.contains("cannot read the gitleaks configuration `gl.toml`"),
            "{label}: {all}"
        );
        assert!(all.contains(label), "{label}: {all}");
        assert!(all.contains("privacy-check.toml:1:19"), "{label}: {all}");
    }
    let _ = std::fs::remove_file(&gl);
    std::fs::write(&gl, "not toml [[[").unwrap();
    let (code, all) = human(d, &[]);
    assert_eq!(code, 2, "{all}");
    assert!(
        all.contains("failed to parse the gitleaks configuration") && all.contains("gl.toml:1:"),
        "{all}"
    );
}

#[test]
fn a_keyword_that_is_not_ascii_keeps_no_character_of_the_secret_visible() {
    // The kept prefix was counted in bytes and shown in characters: a
    // keyword of multi-byte characters uncovered the secret after it.
    let secret = ["Q7w3R9t2", "Y8u1I4o6"].concat();
    let config = "[[rules]]\nid = \"acme-token\"\nregex = '(?:🔑🔑|ключ_)[A-Za-z0-9]{16}'\n\
                  keywords = [\"🔑🔑\", \"ключ_\"]\n";
    let dir = package(config);
    write(
        dir.path(),
        "src/lib.rs",
        &format!("// 🔑🔑{secret}\n// ключ_{}\n", secret.to_lowercase()),
    );
    for format in ["human", "json", "short", "sarif", "github"] {
        let (code, out, err) = run(dir.path(), &[], format);
        let all = out + &err;
        assert_eq!(code, 1, "{format}: {all}");
        assert!(all.contains("acme-token"), "{format}: {all}");
        for part in [&secret[..1], &secret.to_lowercase()[..1]] {
            assert!(!all.contains(&format!("🔑🔑{part}")), "{format}: {all}");
            assert!(!all.contains(&format!("ключ_{part}")), "{format}: {all}");
        }
    }
    let (_, all) = human(dir.path(), &[]);
    assert!(all.contains("// 🔑🔑••••"), "the keyword is kept: {all}");
    assert!(all.contains("// ключ_••••"), "the keyword is kept: {all}");
}

#[test]
fn a_custom_rule_at_allow_level_does_not_take_a_built_in_finding_away() {
    // A custom finding replaces a generic one of the same value; a rule
    // defined at `allow` level reported nothing and silenced
    // `credential-assignment` for whatever its regex matched.
    let value = ["Zk8Qw2Lp9Xv4", "Rt7Mn3Bc6Hy1"].concat();
    let lib = format!("pub const API_TOKEN: &str = \"{value}\";\n");
    let broad = "[[rules]]\nid = \"acme-any\"\nregex = '[A-Za-z0-9]{24}'\n";
    let dir = package(&format!("{broad}level = \"allow\"\n"));
    write(dir.path(), "src/lib.rs", &lib);
    let (code, out, err) = run(dir.path(), &[], "short");
    let all = out + &err;
    assert_eq!(code, 1, "{all}");
    assert!(
        all.contains("src/lib.rs:1:30: error[credential-assignment]"),
        "{all}"
    );
    assert!(!all.contains(&value), "{all}");
    // At its default level (deny), the custom finding is the one reported.
    let dir = package(broad);
    write(dir.path(), "src/lib.rs", &lib);
    let (code, out, err) = run(dir.path(), &[], "short");
    let all = out + &err;
    assert_eq!(code, 1, "{all}");
    assert!(all.contains("src/lib.rs:1:30: error[acme-any]"), "{all}");
    assert!(!all.contains("credential-assignment"), "{all}");
}

#[test]
fn an_entropy_no_match_of_the_regex_can_reach_is_an_error() {
    // 16 bytes hold at most 4 bits per character: `entropy = 4.5` made a
    // rule that loaded and could never report anything.
    let dir =
        package("[[rules]]\nid = \"acme-token\"\nregex = 'tok_[A-Za-z0-9]{12}'\nentropy = 4.5\n");
    let (code, all) = human(dir.path(), &[]);
    assert_eq!(code, 2, "{all}");
    assert!(all.contains("`entropy` can never be reached"), "{all}");
    assert!(all.contains("at most 16 bytes"), "{all}");
    assert!(all.contains("privacy-check.toml:4:11"), "{all}");
    // Reachable (4 bits for 16 distinct bytes): loads and reports.
    let dir =
        package("[[rules]]\nid = \"acme-token\"\nregex = 'tok_[A-Za-z0-9]{12}'\nentropy = 3.5\n");
    write(dir.path(), "src/lib.rs", "// tok_Q7w3R9t2Y8u1\n");
    let (code, out, err) = run(dir.path(), &[], "short");
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("src/lib.rs:1:4: error[acme-token]")
            || out.contains("src/lib.rs:1:4: error[acme-token]"),
        "{out}{err}"
    );
}

#[test]
fn a_key_a_file_name_rule_ignores_is_an_error_not_silently_dropped() {
    // `paths` did not limit a `file-name` rule, and `keywords`, `entropy`…
    // judge values it does not have: each was accepted and ignored.
    for (key, value) in [
        ("paths", "['src/']"),
        ("keywords", "['x']"),
        ("entropy", "3"),
        ("secret-group", "1"),
        ("allow", "['x']"),
        ("stopwords", "['x']"),
        ("placeholders", "true"),
    ] {
        let dir = package(&format!(
            "[[rules]]\nid = \"acme-dump\"\nfile-name = \"*.acmedump\"\n{key} = {value}\n"
        ));
        let (code, all) = human(dir.path(), &[]);
        assert_eq!(code, 2, "{key}: {all}");
        assert!(
            all.contains(&format!("`{key}` has no effect on a rule without `regex`")),
            "{key}: {all}"
        );
        assert!(all.contains("privacy-check.toml:4:1"), "{key}: {all}");
    }
}

/// A workspace of `a` and `b`, each with `src/lib.rs` holding `lib`, and
/// `rule_a`/`rule_b` appended to their manifests.
fn workspace(rule_a: &str, rule_b: &str, lib: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "Cargo.toml",
        "[workspace]\nmembers = [\"a\", \"b\"]\nresolver = \"2\"\n",
    );
    for (name, rule) in [("a", rule_a), ("b", rule_b)] {
        write(
            d,
            &format!("{name}/Cargo.toml"),
            &format!(
                "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
                 license = \"MIT\"\ndescription = \"d\"\n{rule}"
            ),
        );
        write(d, &format!("{name}/src/lib.rs"), lib);
    }
    dir
}

#[test]
fn a_package_rule_cannot_change_the_level_of_another_packages_rule_of_the_same_id() {
    // `a` defined `acme-token` at `allow`, `b` as a secret (deny): the first
    // definition read gave the name its level everywhere, so `b`'s secret
    // was not reported in a whole-workspace check (and was with `-p b`).
    let rule = "[[package.metadata.privacy-check.rules]]\nid = \"acme-token\"\n\
                regex = 'acme_live_[A-Za-z0-9]{16}'\nkeywords = [\"acme_live_\"]\n";
    let lib = format!("pub const T: &str = \"{}\";\n", token());
    let dir = workspace(&format!("{rule}level = \"allow\"\n"), rule, &lib);
    let (code, all) = human(dir.path(), &[]);
    assert_eq!(code, 2, "{all}");
    assert!(
        all.contains("the custom rule `acme-token` is defined with another level in a/Cargo.toml"),
        "{all}"
    );
    assert!(all.contains("b/Cargo.toml:8:6"), "points at b's id: {all}");
    assert!(!all.contains(&token()), "{all}");
    // Defined alike in both, the id is shared and both are reported.
    let dir = workspace(rule, rule, &lib);
    let (code, out, err) = run(dir.path(), &[], "short");
    let all = out + &err;
    assert_eq!(code, 1, "{all}");
    assert!(
        all.contains("a/src/lib.rs:1:22: error[acme-token]"),
        "{all}"
    );
    assert!(
        all.contains("b/src/lib.rs:1:22: error[acme-token]"),
        "{all}"
    );
}

#[test]
fn a_multi_line_custom_value_holding_an_address_is_still_reported_and_hidden() {
    // A built-in finding anywhere inside a custom match (an address on one
    // line of a block) took the custom finding away: the block was not
    // reported, and the address's snippet showed the block's line.
    let dir = package(
        "[[rules]]\nid = \"acme-block\"\nregex = 'BEGIN ACME(?s:.)+?END ACME'\n\
         keywords = [\"BEGIN ACME\"]\n",
    );
    write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         description = \"d\"\nlicense = \"MIT\"\nexclude = [\"privacy-check.toml\"]\n",
    );
    let inner = ["Zq8Xw3Pk", "Mn4Vb7Lc"].concat();
    write(
        dir.path(),
        "src/lib.rs",
        &format!(
            "fn a() {{}}\n// BEGIN ACME\n// {inner}\n// {} {inner}\n// END ACME\n",
            common::email("jane.roe")
        ),
    );
    for format in ["human", "short", "json", "sarif", "github"] {
        let (code, out, err) = run(dir.path(), &[], format);
        let all = out + &err;
        assert_eq!(code, 1, "{format}: {all}");
        assert!(all.contains("acme-block"), "{format}: {all}");
        assert!(!all.contains(&inner), "{format} shows the block: {all}");
    }
    let (_, out, err) = run(dir.path(), &[], "short");
    let all = out + &err;
    assert!(all.contains("src/lib.rs:2:4: error[acme-block]"), "{all}");
    assert!(all.contains("src/lib.rs:4:4: note[email-address]"), "{all}");
}

/// A custom regex that also matches JSON punctuation (`x9|[a-z]"`) made the
/// output boundary mask quotes and colons: `{"reaso••:"findin••,…` is not
/// JSON. The boundary now leaves the document's structure alone.
#[test]
fn a_custom_regex_matching_punctuation_keeps_json_and_sarif_valid() {
    let config = "[[rules]]\nid = \"odd-rule\"\nregex = 'x9|[a-z]\"'\n";
    let dir = package(config);
    let d = dir.path();
    write(
        d,
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         description = \"d\"\nlicense = \"MIT\"\nexclude = [\"privacy-check.toml\"]\n",
    );
    write(d, "src/lib.rs", "// x9\n");
    let (code, out, err) = run(d, &[], "json");
    assert_eq!(code, 1, "{out}{err}");
    // Every line parses, the findings among them (a rule this broad masks
    // the last letter of every word before a quote, keys and its own name
    // too: readable it is not, but a JSON reader still reads it).
    let mut findings = 0;
    for line in out.lines() {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if line.contains("\"odd-rul") {
            findings += 1;
            assert!(value.is_object(), "{line}");
        }
    }
    assert!(findings >= 1, "{out}");
    let (_, sarif, err) = run(d, &[], "sarif");
    let log: serde_json::Value =
        serde_json::from_str(&sarif).unwrap_or_else(|e| panic!("{e}: {sarif}{err}"));
    assert!(log.is_object(), "{sarif}");
}

/// Found by the adversarial pass: with `-p b`, the custom rules of member
/// `a` were not read, so a value only `a`'s rule describes, standing in the
/// root manifest both members inherit from, was shown unmasked in `b`'s
/// snippet. The members `-p` leaves out now lend their rules to the output
/// boundary.
#[test]
fn a_custom_value_is_masked_when_p_leaves_out_the_package_defining_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let email = ["jane.doe", "gmail.com"].join("@");
    write(
        d,
        "Cargo.toml",
        &format!(
            "[workspace]\nmembers = [\"a\", \"b\"]\n\n[workspace.package]\n\
             authors = [\"Jane <{email}>\"] # {}\n",
            token()
        ),
    );
    for name in ["a", "b"] {
        let rules = if name == "a" {
            "\n[[package.metadata.privacy-check.rules]]\nid = \"acme-token\"\n\
             regex = 'acme_live_[A-Za-z0-9]{16}'\nkeywords = [\"acme_live_\"]\n"
        } else {
            ""
        };
        write(
            d,
            &format!("{name}/Cargo.toml"),
            &format!(
                "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
                 authors.workspace = true\n{rules}"
            ),
        );
        write(d, &format!("{name}/src/lib.rs"), "");
    }
    for format in ["human", "short", "json"] {
        let (code, out, err) = run(d, &["-p", "b"], format);
        let all = out + &err;
        assert!(all.contains("author-email"), "{format}: {all}");
        assert_ne!(code, 2, "{format}: {all}");
        assert!(!all.contains("Q7w3R9t2"), "{format} shows the value: {all}");
    }
}
