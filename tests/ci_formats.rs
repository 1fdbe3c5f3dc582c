//! The CI formats end to end: `--message-format sarif` validated against the
//! official SARIF 2.1.0 schema (vendored in `tests/data/`, see its README;
//! validated offline with `boon`), and `--message-format github`
//! snapshot-checked. Crates with planted values are written at test time.

use std::path::Path;

use serde_json::Value;
use snapbox::file;

mod common;
use common::{finding_lines, git, json, root, run, snap};

const DEMO: &str = "fixtures/demo/Cargo.toml";

fn sarif(dir: &Path, args: &[&str]) -> (i32, Value) {
    let (code, stdout, _) = run(dir, args, "sarif");
    (code, serde_json::from_str(&stdout).unwrap())
}

/// Validates against the vendored OASIS schema (JSON Schema draft-04, with
/// format assertions such as `uri` on, as boon does for draft-04).
fn validate(log: &Value) -> Result<(), String> {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let url = "file:///sarif-schema-2.1.0.json";
    compiler.add_resource(url, schema).unwrap();
    let index = compiler.compile(url, &mut schemas).unwrap();
    schemas
        .validate(log, index)
        .map_err(|err| format!("{err:#}"))
}

/// A package in `dir` with the given files (paths relative to it).
fn package(dir: &Path, files: &[(&str, &str)]) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"planted\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/lib.rs"), "").unwrap();
    for (path, text) in files {
        std::fs::write(dir.join(path), text).unwrap();
    }
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

fn uri(result: &Value) -> &str {
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
}

#[test]
fn the_validator_rejects_what_is_not_sarif() {
    // Without this the other tests could pass on a validator that accepts
    // anything.
    let (_, mut log) = sarif(&root(), &["--manifest-path", DEMO]);
    validate(&log).unwrap();
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(validate(&log).is_err());
    let (_, mut log) = sarif(&root(), &["--manifest-path", DEMO]);
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "a b".into();
    assert!(validate(&log).is_err(), "`uri` format is asserted");
}

#[test]
fn demo_sarif_is_valid_and_complete() {
    let (code, log) = sarif(&root(), &["--manifest-path", DEMO]);
    assert_eq!(code, 1, "exit status as with every format");
    validate(&log).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "cargo-privacy-check");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));

    // The results are the JSON format's findings, in the same order.
    let (_, lines) = json(&root(), &["--manifest-path", DEMO]);
    let json = finding_lines(&lines);
    let results = results(&log);
    assert_eq!(results.len(), json.len());
    for (r, j) in results.iter().zip(&json) {
        assert_eq!(r["ruleId"], j["rule"]);
        assert_eq!(r["level"], j["level"]);
        assert_eq!(r["message"]["text"], j["message"]);
        // The repository root is this checkout, so the paths match JSON's
        // (which are relative to the current directory, the same folder).
        assert_eq!(uri(r), j["path"].as_str().unwrap());
        let region = &r["locations"][0]["physicalLocation"]["region"];
        match j["line"].as_u64() {
            Some(line) => {
                assert_eq!(region["startLine"], line);
                assert_eq!(region["startColumn"], j["column"]);
                assert_eq!(region["endLine"], j["end_line"]);
                assert_eq!(region["endColumn"], j["end_column"]);
            }
            None => assert_eq!(region, &serde_json::json!({"startLine": 1})),
        }
        // ruleIndex points at the descriptor of the rule.
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(driver["rules"][index]["id"], r["ruleId"]);
        assert_eq!(r["fixes"].is_array(), !j["fix"].is_null());
    }
    // One descriptor per rule used, documented from the registry.
    let rules = driver["rules"].as_array().unwrap();
    let mut used: Vec<&str> = json.iter().map(|j| j["rule"].as_str().unwrap()).collect();
    used.sort();
    used.dedup();
    let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, used);
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let registry = cargo_privacy_check::rules::find(id).unwrap();
        assert_eq!(rule["shortDescription"]["text"], registry.summary);
        assert_eq!(rule["help"]["markdown"], registry.doc.trim());
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            registry.default_level.as_str()
        );
        assert!(rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&registry.category.as_str().into()));
    }
    // The whole-file finding and a fix are both there.
    assert!(results
        .iter()
        .any(|r| r["ruleId"] == "env-file" && uri(r) == "fixtures/demo/.env"));
    let fix = results
        .iter()
        .find(|r| r["ruleId"] == "author-email")
        .unwrap();
    let change = &fix["fixes"][0]["artifactChanges"][0];
    assert_eq!(
        change["artifactLocation"]["uri"],
        "fixtures/demo/Cargo.toml"
    );
    assert!(change["replacements"][0]["deletedRegion"]["byteLength"].as_u64() > Some(0));
}

#[test]
fn an_empty_report_is_valid_sarif() {
    let dir = tempfile::tempdir().unwrap();
    package(dir.path(), &[]);
    let (code, log) = sarif(dir.path(), &[]);
    assert_eq!(code, 0);
    validate(&log).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(results(&log).len(), 0);
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"],
        serde_json::json!([])
    );
}

#[test]
fn paths_are_relative_to_the_git_work_tree_and_fingerprints_ignore_lines() {
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    let member = repo.path().join("crates/planted");
    // Assembled here so no literal in this file is an address.
    let address = ["jane.doe", "@", "gmail.com"].concat();
    let text = format!("// maintained by {address}\n");
    package(&member, &[("src/lib.rs", &text)]);

    // Run from inside the package: paths are still from the repository root.
    let (_, before) = sarif(&member, &["-W", "email"]);
    validate(&before).unwrap_or_else(|e| panic!("{e}"));
    let [result] = &results(&before)[..] else {
        panic!("one finding expected: {before:#}")
    };
    assert_eq!(uri(result), "crates/planted/src/lib.rs");

    // Lines above the value move it; its fingerprint stays.
    std::fs::write(member.join("src/lib.rs"), format!("\n\n{text}")).unwrap();
    let (_, after) = sarif(&member, &["-W", "email"]);
    let moved = &results(&after)[0];
    let line = |r: &Value| r["locations"][0]["physicalLocation"]["region"]["startLine"].clone();
    assert_eq!((line(result), line(moved)), (1.into(), 3.into()));
    assert_eq!(result["partialFingerprints"], moved["partialFingerprints"]);
    let fingerprint = result["partialFingerprints"]["privacyCheck/v1"]
        .as_str()
        .unwrap();
    assert_eq!(fingerprint.len(), 32);

    // A different value at the same place is a different fingerprint.
    let other = ["raj.patel", "@", "gmail.com"].concat();
    std::fs::write(
        member.join("src/lib.rs"),
        format!("// maintained by {other}\n"),
    )
    .unwrap();
    let (_, changed) = sarif(&member, &["-W", "email"]);
    assert_ne!(
        results(&changed)[0]["partialFingerprints"],
        result["partialFingerprints"]
    );

    // Outside any repository, paths start at the workspace root.
    let bare = tempfile::tempdir().unwrap();
    package(bare.path(), &[("src/lib.rs", &text)]);
    let (_, log) = sarif(bare.path(), &["-W", "email"]);
    assert_eq!(uri(&results(&log)[0]), "src/lib.rs");
}

#[test]
fn ci_formats_never_repeat_a_planted_value() {
    let dir = tempfile::tempdir().unwrap();
    // Assembled at run time: a password in a URL, a personal address and a
    // home folder's user name.
    let password = ["Xk7pQ", "2mZr9", "vLw4T"].concat();
    let address = ["priya.raman", "@", "fastmail.com"].concat();
    let user = ["raj", "patel", "dev"].concat();
    let lib = format!(
        "// {address}\nconst U: &str = \"https://deploy:{password}@git.corp-internal.net/r.git\";\n// /home/{user}/src\n"
    );
    package(dir.path(), &[("src/lib.rs", &lib)]);
    for format in ["sarif", "github"] {
        let (code, stdout, _) = run(dir.path(), &[], format);
        assert_eq!(code, 1, "{format}: the URL password is an error");
        for value in [&password, &address, &user] {
            assert!(!stdout.contains(value.as_str()), "{format} repeats {value}");
        }
        common::assert_reports(
            format,
            format,
            &stdout,
            &["url-credentials", "email-address", "home-folder-path"],
        );
    }
}

#[test]
fn demo_github_output() {
    snap(&root())
        .args(["--manifest-path", DEMO, "--message-format", "github"])
        .assert()
        .code(1)
        .stdout_eq(file!["snapshots/demo.github.stdout"])
        .stderr_eq("");
}

#[test]
fn github_paths_are_from_the_repository_root_and_escaped() {
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    // A comma in a folder name must not end the `file` property.
    let member = repo.path().join("a,b");
    package(&member, &[(".env", "X=1\n")]);
    git(repo.path(), &["add", "."]);
    let (code, stdout, _) = run(&member, &[], "github");
    assert_eq!(code, 1);
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=a%2Cb/.env,title=privacy-check(env-file)::"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().last(),
        Some("cargo privacy-check: 1 error, 0 warnings, 0 notes")
    );
}
