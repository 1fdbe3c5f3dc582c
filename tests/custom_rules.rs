//! End-to-end: custom rules (`[[rules]]`, `gitleaks-config`) through the
//! binary: each key, layering, collisions, errors pointing at their span,
//! the import of gitleaks' default configuration, and a custom secret
//! redacted in every output format and usable wherever a rule name is.
//!
//! The secrets are assembled at run time (`acme_live_` + random-looking
//! characters), so this file, which ships, holds none.

use std::path::Path;

mod common;
use common::{finding_lines, json, run, write};

/// The token prefix of the internal format the rules below look for.
const PREFIX: &str = "acme_live_";

/// A value of the internal format, built at run time.
fn token() -> String {
    format!("{PREFIX}{}", ["Q7w3R9t2", "Y8u1I4o6"].concat())
}

const RULE: &str = r#"
[[rules]]
id = "acme-token"
description = "An ACME internal API token"
regex = 'acme_live_[A-Za-z0-9]{16}'
keywords = ["acme_live_"]
"#;

/// A package `demo` with `config` as its `privacy-check.toml` and
/// `src/lib.rs` holding `lib`.
fn package(config: &str, lib: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         description = \"d\"\nlicense = \"MIT\"\nexclude = [\"rules/\"]\n",
    );
    write(d, "privacy-check.toml", config);
    write(d, "src/lib.rs", lib);
    dir
}

fn leaking_lib() -> String {
    format!("pub const T: &str = \"{}\";\n", token())
}

fn rules_of(lines: &[serde_json::Value]) -> Vec<String> {
    finding_lines(lines)
        .iter()
        .map(|l| l["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// Runs in human format and returns (status, stderr).
fn human(d: &Path, args: &[&str]) -> (i32, String) {
    let (code, out, err) = run(d, args, "human");
    (code, out + &err)
}

#[test]
fn a_custom_secret_is_found_and_redacted_in_every_output_format() {
    let dir = package(RULE, &leaking_lib());
    let d = dir.path();
    // A file named after a token: its path is masked wherever it is printed.
    write(d, &format!("data/{}.json", token()), "{}\n");
    for format in ["human", "short", "json", "sarif", "github", "cargo-json"] {
        let (code, out, err) = run(d, &[], format);
        assert_eq!(code, 1, "{format}: {out}{err}");
        let all = out + &err;
        assert!(all.contains("acme-token"), "{format}: {all}");
        assert!(
            !all.contains(&token()),
            "{format} repeats the secret: {all}"
        );
        assert!(
            !all.contains("Q7w3R9t2"),
            "{format} repeats part of it: {all}"
        );
    }
    let (_, lines) = json(d, &[]);
    let findings = finding_lines(&lines);
    assert_eq!(findings.len(), 2);
    assert!(findings.iter().all(|f| f["rule"] == "acme-token"));
    assert!(findings.iter().any(
        |f| f["message"] == "value matched by the custom rule `acme-token` in the file's name"
    ));
    std::fs::remove_dir_all(d.join("data")).unwrap();
    assert_eq!(findings[0]["level"], "error");
    // The keyword is the public prefix kept, as a provider's marker is.
    assert_eq!(findings[0]["redacted"], format!("{PREFIX}…"));
    // SARIF says the rule is custom, and where it is defined.
    let (_, sarif, _) = run(d, &[], "sarif");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let rule = &sarif["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "acme-token");
    assert_eq!(rule["properties"]["custom"], true);
    assert_eq!(rule["properties"]["definedIn"], "privacy-check.toml");
}

#[test]
fn a_custom_rule_name_works_in_levels_lints_allow_comments_and_baselines() {
    let dir = package(RULE, &leaking_lib());
    let d = dir.path();
    assert_eq!(json(d, &["-A", "acme-token"]).0, 0);
    assert_eq!(json(d, &["-A", "secret"]).0, 0);
    let (code, lines) = json(d, &["-W", "acme-token"]);
    assert_eq!(
        (code, finding_lines(&lines)[0]["level"].clone()),
        (0, "warning".into())
    );
    // A misspelt name is still an error, with the custom name suggested.
    let (code, text) = human(d, &["-A", "acme-tokn"]);
    assert_eq!(code, 2);
    assert!(text.contains("did you mean `acme-token`?"), "{text}");

    write(
        d,
        "privacy-check.toml",
        &format!("{RULE}\n[lints]\nacme-token = \"allow\"\n"),
    );
    assert_eq!(json(d, &[]).0, 0);

    write(d, "privacy-check.toml", RULE);
    write(
        d,
        "src/lib.rs",
        &format!(
            // Split so that this file holds no allow comment itself.
            "// {}:allow(acme-token)\npub const T: &str = \"{}\";\n",
            "privacy-check",
            token()
        ),
    );
    assert_eq!(json(d, &[]).0, 0);

    write(d, "src/lib.rs", &leaking_lib());
    let (code, _) = json(d, &["--write-baseline", "rules/baseline.toml"]);
    assert_eq!(code, 0);
    assert_eq!(json(d, &["--baseline", "rules/baseline.toml"]).0, 0);
    // Without the baseline it is found again.
    assert_eq!(rules_of(&json(d, &[]).1), ["acme-token"]);
}

#[test]
fn a_custom_name_is_an_error_where_nothing_defines_it() {
    let dir = package("", "pub fn f() {}\n");
    let (code, text) = human(dir.path(), &["-A", "acme-token"]);
    assert_eq!(code, 2);
    assert!(
        text.contains("unknown rule or category `acme-token`"),
        "{text}"
    );
    let (code, text) = human(dir.path(), &["--explain", "acme-token"]);
    assert_eq!(code, 2, "{text}");
}

#[test]
fn list_rules_explain_and_print_config_show_a_custom_rule() {
    let config = format!(
        "{RULE}\n[[rules]]\nid = \"acme-host\"\ncategory = \"pii\"\nregex = 'build[0-9]+\\.corp\\.acme\\.example'\n"
    );
    let dir = package(&config, "pub fn f() {}\n");
    let d = dir.path();
    let (code, out, _) = run(d, &["--list-rules"], "human");
    assert_eq!(code, 0);
    let line = out.lines().find(|l| l.starts_with("acme-token")).unwrap();
    assert!(line.contains("(custom, privacy-check.toml)"), "{line}");
    let (_, lines) = json(d, &["--list-rules"]);
    let custom: Vec<_> = lines
        .iter()
        .filter(|l| l["defined_in"].is_string())
        .map(|l| {
            (
                l["name"].as_str().unwrap(),
                l["default_level"].as_str().unwrap(),
            )
        })
        .collect();
    // A secret denies by default; another category warns.
    assert_eq!(custom, [("acme-token", "error"), ("acme-host", "warning")]);
    let (code, out, _) = run(d, &["--explain", "acme-token"], "human");
    assert_eq!(code, 0);
    assert!(out.contains("An ACME internal API token"), "{out}");
    assert!(out.contains("defined in privacy-check.toml"), "{out}");
    let (_, out, _) = run(d, &["--print-config"], "human");
    assert!(
        out.contains("# acme-token (secret, error) from privacy-check.toml\n"),
        "{out}"
    );
    assert!(
        out.contains("# acme-host (pii, warning) from privacy-check.toml: no keywords, so it runs over every file"),
        "{out}"
    );
}

#[test]
fn each_key_changes_what_is_found() {
    // secret-group: only the group is the finding's value.
    let config = r#"
[[rules]]
id = "acme-grouped"
regex = 'acme_key\s*=\s*"(?P<secret>[A-Za-z0-9]{16})"'
secret-group = "secret"
keywords = ["acme_key"]
level = "warn"
"#;
    let value = ["Zq8Xw7Cv", "6Bn5Mm4L"].concat();
    let dir = package(config, &format!("// acme_key = \"{value}\"\n"));
    let (_, lines) = json(dir.path(), &[]);
    let f = finding_lines(&lines);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["level"], "warning");
    assert_eq!(f[0]["redacted"], "…");
    assert_eq!(f[0]["column"], 16, "{}", f[0]);

    // entropy: a value below the minimum is not a finding.
    let entropy = format!("{RULE}entropy = 3.5\n");
    let low = format!("{PREFIX}aaaaaaaabbbbbbbb");
    let dir = package(
        &entropy,
        &format!("const A: &str = \"{low}\";\n{}", leaking_lib()),
    );
    assert_eq!(finding_lines(&json(dir.path(), &[]).1).len(), 1);

    // placeholders are filtered unless asked for.
    let sample = format!("{PREFIX}YOUR0KEY0HERE000");
    let dir = package(RULE, &format!("const A: &str = \"{sample}\";\n"));
    assert!(finding_lines(&json(dir.path(), &[]).1).is_empty());
    write(
        dir.path(),
        "privacy-check.toml",
        &format!("{RULE}placeholders = true\n"),
    );
    assert_eq!(finding_lines(&json(dir.path(), &[]).1).len(), 1);

    // keywords: one must be near the match (here the regex does not hold it).
    let near = r#"
[[rules]]
id = "acme-near"
regex = '[A-Z]{4}-[0-9]{4}-[A-Z0-9]{8}'
keywords = ["acme-id"]
"#;
    let id = ["QWER-7391-", "X8C7V6B5"].concat();
    let dir = package(near, &format!("// acme-id: {id}\n\n\n// unrelated: {id}\n"));
    let (_, lines) = json(dir.path(), &[]);
    let f = finding_lines(&lines);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["line"], 1);

    // paths: the rule is limited to them.
    let paths = format!("{RULE}paths = [\"tests/\"]\n");
    let dir = package(&paths, &leaking_lib());
    write(dir.path(), "tests/t.rs", &leaking_lib());
    let (_, lines) = json(dir.path(), &[]);
    let files: Vec<_> = finding_lines(&lines)
        .iter()
        .map(|l| l["archive_path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(files, ["tests/t.rs"]);

    // allow (regexes on the secret) and stopwords.
    let allow = format!("{RULE}allow = ['o6$']\n");
    let dir = package(&allow, &leaking_lib());
    assert!(finding_lines(&json(dir.path(), &[]).1).is_empty());
    let stop = format!("{RULE}stopwords = [\"r9t2\"]\n");
    write(dir.path(), "privacy-check.toml", &stop);
    assert!(finding_lines(&json(dir.path(), &[]).1).is_empty());

    // file-name: a file that must not ship.
    let file_rule = "[[rules]]\nid = \"acme-dump\"\nfile-name = \"*.acmedump\"\nexamples = [\"data/x.acmedump\"]\n";
    let dir = package(file_rule, "pub fn f() {}\n");
    write(dir.path(), "data/prod.acmedump", "x\n");
    let (code, lines) = json(dir.path(), &[]);
    let f = finding_lines(&lines);
    assert_eq!((code, f.len()), (1, 1));
    assert_eq!(f[0]["rule"], "acme-dump");
    assert_eq!(f[0]["archive_path"], "data/prod.acmedump");
    // Judged like a built-in sensitive file: that category, and the fix
    // that keeps it out of the package.
    assert_eq!(f[0]["category"], "sensitive-file");
    assert_eq!(f[0]["level"], "error");
    assert_eq!(
        f[0]["fix"]["applicability"], "machine-applicable",
        "{}",
        f[0]
    );
}

#[test]
fn the_examples_of_a_rule_are_checked_when_it_is_loaded() {
    let example = token();
    // Working examples load, and are not findings in the file defining them.
    let good =
        format!("{RULE}examples = [\"{example}\"]\nnegative-examples = [\"{PREFIX}short\"]\n");
    let dir = package(&good, "pub fn f() {}\n");
    assert_eq!(json(dir.path(), &[]).0, 0);
    // A broken rule fails loudly, naming the rule and the example.
    let broken = format!(
        "[[rules]]\nid = \"acme-token\"\nregex = 'acme_live_[a-z]{{16}}'\nkeywords = [\"acme_live_\"]\nexamples = [\"{example}\"]\n"
    );
    write(dir.path(), "privacy-check.toml", &broken);
    let (code, text) = human(dir.path(), &[]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("the custom rule `acme-token` does not match its example"),
        "{text}"
    );
    assert!(text.contains("privacy-check.toml:5:"), "{text}");
    let negative = format!("{RULE}negative-examples = [\"{example}\"]\n");
    write(dir.path(), "privacy-check.toml", &negative);
    let (code, text) = human(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(text.contains("matches its negative example"), "{text}");
}

/// Bad rules: exit 2, the message, and the text the error points at.
#[test]
fn bad_rules_are_errors_pointing_at_their_span() {
    let cases: &[(&str, &str, &str)] = &[
        ("[[rules]]\nid = \"acme-a\"\nregex = 'x*'\n", "`regex` can match the empty string", "'x*'"),
        ("[[rules]]\nid = \"acme-a\"\nregex = '[a-z]{1000}{1000}'\n", "`regex` is too large to compile", "'[a-z]{1000}{1000}'"),
        ("[[rules]]\nid = \"acme-a\"\nregex = 'acme(['\n", "invalid regex in `regex`", "'acme(['"),
        ("[[rules]]\nid = \"acme-a\"\nregex = 'acme_(x)'\nsecret-group = 2\n", "`regex` has no capture group 2", "2"),
        ("[[rules]]\nid = \"acme-a\"\nregex = 'acme_(x)'\npaths = [\"a/{b\"]\n", "invalid glob in `paths`", "\"a/{b\""),
        ("[[rules]]\nid = \"acme-a\"\nregex = 'acme_x'\nkeyword = [\"a\"]\n", "unknown key `keyword` in a custom rule", "keyword"),
        ("[[rules]]\nid = \"github-token\"\nregex = 'acme_x'\n", "the custom rule `github-token` has the name of the built-in rule `github-token`", "\"github-token\""),
        ("[[rules]]\nid = \"secret\"\nregex = 'acme_x'\n", "has the name of the built-in category `secret`", "\"secret\""),
        ("[[rules]]\nid = \"Acme_A\"\nregex = 'acme_x'\n", "invalid rule id `Acme_A`", "\"Acme_A\""),
        ("[[rules]]\nid = \"acme-a\"\ncategory = \"secrets\"\nregex = 'acme_x'\n", "unknown category `secrets`", "\"secrets\""),
        ("[[rules]]\nid = \"acme-a\"\n", "has neither `regex` nor `file-name`", "\"acme-a\""),
        ("[[rules]]\nid = \"acme-a\"\nregex = 'acme_x'\n[[rules]]\nid = \"acme-a\"\nregex = 'acme_y'\n", "the custom rule `acme-a` is defined twice", "\"acme-a\""),
    ];
    for (config, message, span) in cases {
        let dir = package(config, "pub fn f() {}\n");
        let (code, text) = human(dir.path(), &[]);
        assert_eq!(code, 2, "{config}\n{text}");
        assert!(text.contains(message), "{config}\n{text}");
        // The caret line sits under the quoted span.
        let shown = text.lines().any(|l| l.contains(span));
        assert!(shown, "{config}: span `{span}` not shown\n{text}");
    }
    let dir = package(
        "[[rules]]\nid = \"acme-a\"\nregex = 'acme_x'\nkeyword = [\"a\"]\n",
        "",
    );
    assert!(human(dir.path(), &[])
        .1
        .contains("did you mean `keywords`?"));
}

#[test]
fn layers_accumulate_rules_and_the_same_id_twice_names_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "Cargo.toml",
        "[workspace]\nmembers = [\"a\"]\nresolver = \"2\"\n\
         [[workspace.metadata.privacy-check.rules]]\nid = \"acme-ws\"\nregex = 'acme_ws_[0-9]{8}'\nkeywords = [\"acme_ws_\"]\n",
    );
    write(d, "privacy-check.toml", RULE);
    write(
        d,
        "a/Cargo.toml",
        "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\ndescription = \"d\"\nlicense = \"MIT\"\n\
         [[package.metadata.privacy-check.rules]]\nid = \"acme-pkg\"\nregex = 'acme_pkg_[0-9]{8}'\nkeywords = [\"acme_pkg_\"]\n",
    );
    let digits = ["4817", "2953"].concat();
    write(
        d,
        "a/src/lib.rs",
        &format!(
            "const A: &str = \"acme_ws_{digits}\";\nconst B: &str = \"acme_pkg_{digits}\";\n{}",
            leaking_lib()
        ),
    );
    let (code, lines) = json(d, &["--workspace"]);
    assert_eq!(code, 1);
    let mut found = rules_of(&lines);
    found.sort();
    assert_eq!(found, ["acme-pkg", "acme-token", "acme-ws"]);

    // A second package cannot set the level of a rule only `a` defines.
    let root = std::fs::read_to_string(d.join("Cargo.toml")).unwrap();
    write(
        d,
        "Cargo.toml",
        &root.replace("members = [\"a\"]", "members = [\"a\", \"b\"]"),
    );
    write(
        d,
        "b/Cargo.toml",
        "[package]\nname = \"b\"\nversion = \"0.1.0\"\nedition = \"2021\"\ndescription = \"d\"\nlicense = \"MIT\"\n\
         [package.metadata.privacy-check.lints]\nacme-pkg = \"allow\"\n",
    );
    write(d, "b/src/lib.rs", "pub fn f() {}\n");
    let (code, text) = human(d, &["--workspace"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("the custom rule `acme-pkg` is not defined for this package"),
        "{text}"
    );
    assert!(text.contains("b/Cargo.toml"), "{text}");
    std::fs::remove_dir_all(d.join("b")).unwrap();
    write(d, "Cargo.toml", &root);

    // The package defines an id the file defined: an error naming both.
    let manifest = std::fs::read_to_string(d.join("a/Cargo.toml")).unwrap();
    write(
        d,
        "a/Cargo.toml",
        &manifest.replace("acme-pkg", "acme-token"),
    );
    let (code, text) = human(d, &["--workspace"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("the custom rule `acme-token` is defined twice"),
        "{text}"
    );
    assert!(text.contains("a/Cargo.toml"), "{text}");
    assert!(
        text.contains("it is also defined in privacy-check.toml"),
        "{text}"
    );
}

#[test]
fn the_gitleaks_default_configuration_imports() {
    let vendored = common::root().join("tests/data/gitleaks/gitleaks.toml");
    let dir = package(
        "gitleaks-config = \"rules/gitleaks.toml\"\n",
        &leaking_lib(),
    );
    let d = dir.path();
    std::fs::create_dir_all(d.join("rules")).unwrap();
    std::fs::copy(&vendored, d.join("rules/gitleaks.toml")).unwrap();
    let (code, out, err) = run(d, &["--list-rules"], "json");
    assert_eq!(code, 0, "{err}");
    let imported: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|l: &serde_json::Value| l["defined_in"] == "rules/gitleaks.toml")
        .collect();
    // Every one of its 222 rules loads (none is skipped: no warning).
    assert_eq!(imported.len(), 222, "{err}");
    assert!(!err.contains("skipped"), "{err}");
    // Ids of built-in rules are prefixed.
    assert!(imported
        .iter()
        .any(|l| l["name"] == "gitleaks-age-secret-key"));
    assert!(imported.iter().any(|l| l["name"] == "pkcs12-file"));

    // A rule file with what does not map: each skipped with a warning, the
    // others loaded.
    let betterleaks = format!(
        "[[rules]]\nid = \"acme_token\"\nregex = '''{PREFIX}[A-Za-z0-9]{{16}}'''\nkeywords = [\"{PREFIX}\"]\n\
         [[rules]]\nid = \"lookahead\"\nregex = '''foo(?=bar)'''\n\
         [[rules]]\nid = \"filtered\"\nregex = '''acme_x[0-9]+'''\nfilter = \"len(secret) > 3\"\n\
         [[rules]]\nid = \"validated\"\nregex = '''acme_y[0-9]+'''\nvalidate = \"http.get(...)\"\n\
         [[rules]]\nid = \"github-token\"\nregex = '''acme_z[0-9]+'''\n"
    );
    write(d, "rules/gitleaks.toml", &betterleaks);
    let (code, text) = human(d, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("rule `lookahead` skipped: invalid regex in `regex`"),
        "{text}"
    );
    assert!(
        text.contains("rule `filtered` skipped: it has a Betterleaks `filter` expression"),
        "{text}"
    );
    assert!(
        text.contains("rule `validated` skipped: it has a Betterleaks `validate` expression"),
        "{text}"
    );
    assert!(
        text.contains("`rules/gitleaks.toml`: 2 rule(s) imported, 3 skipped"),
        "{text}"
    );
    // The imported rule finds the value, under its kebab-case id.
    assert!(text.contains("error[acme-token]"), "{text}");
    let (_, lines) = json(d, &["--list-rules"]);
    assert!(lines.iter().any(|l| l["name"] == "gitleaks-github-token"));
}
