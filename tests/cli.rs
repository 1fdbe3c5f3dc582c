//! End-to-end: the binary run over the fixtures, its output snapshot-checked.
//!
//! Snapshots live in `tests/snapshots/`; refresh them with
//! `SNAPSHOTS=overwrite cargo test --test cli` and review the diff. Elapsed
//! times are redacted as `[ELAPSED]`.

use snapbox::{file, str};

mod common;
use common::{count, json, root, snap};

/// (rule, path, line, level) of each finding.
fn findings(lines: &[serde_json::Value]) -> Vec<Vec<String>> {
    common::findings(lines, &["rule", "path", "line", "level"])
}

const DEMO: &str = "fixtures/demo/Cargo.toml";

#[test]
fn demo_human_output() {
    snap(&root())
        .args(["privacy-check", "--manifest-path", DEMO])
        .assert()
        .code(1)
        .stdout_eq(str![""])
        .stderr_eq(file!["snapshots/demo.human.stderr"]);
}

#[test]
fn demo_short_output() {
    snap(&root())
        .args(["--manifest-path", DEMO, "--message-format", "short"])
        .assert()
        .code(1)
        .stderr_eq(file!["snapshots/demo.short.stderr"]);
}

#[test]
fn demo_json_output() {
    snap(&root())
        .args(["--manifest-path", DEMO, "--message-format", "json"])
        .assert()
        .code(1)
        .stdout_eq(file!["snapshots/demo.json.stdout"])
        .stderr_eq(str![""]);
}

#[test]
fn demo_findings_are_exactly_the_planted_ones() {
    let (code, lines) = json(&root(), &["--manifest-path", DEMO]);
    assert_eq!(code, 1);
    let manifest = "fixtures/demo/Cargo.toml";
    let lib = "fixtures/demo/src/lib.rs";
    let env = "fixtures/demo/.env";
    // Lines 9 (GitHub noreply) and 11 (example.com) must not appear; nor the
    // placeholder database URL or `serde@1.0.200` in lib.rs, nor `APP_ENV`.
    assert_eq!(
        findings(&lines),
        [
            ["env-file", env, "-", "error"],
            ["credential-assignment", env, "3", "error"],
            ["author-email", manifest, "8", "warning"],
            ["role-email", manifest, "10", "note"],
            ["manifest-email", manifest, "15", "warning"],
            ["url-credentials", manifest, "16", "error"],
            ["manifest-email", manifest, "19", "warning"],
            ["url-credentials", manifest, "22", "error"],
            ["email-address", lib, "3", "note"],
            ["url-credentials", lib, "6", "error"],
            [
                "home-folder-path",
                "fixtures/demo/tests/snapshots/panic.txt",
                "1",
                "warning"
            ],
        ]
    );
    let summary = lines.last().unwrap();
    assert_eq!(summary["reason"], "summary");
    assert_eq!(summary["errors"], 5);
    assert_eq!(summary["warnings"], 4);
    assert_eq!(summary["notes"], 2);
    assert_eq!(summary["success"], false);
}

#[test]
fn no_output_format_repeats_a_planted_value() {
    let secrets = [
        "jane.doe.dev@",
        "Zr8nQ2vLx7",
        "Wq9zR4tP2m",
        "Hk29sLq0vXe7",
        "raj.patel@",
        "team@demo",
        "q7Vd2LxR9mWk4TzP8nHc",
        "priya.raman",
    ];
    for format in ["human", "short", "json", "sarif", "github"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
            .args([
                "--manifest-path",
                DEMO,
                "--message-format",
                format,
                "--color",
                "always",
            ])
            .current_dir(root())
            .output()
            .unwrap();
        // An empty output passes the check below: what is reported is
        // asserted first (a run that printed nothing and exited 2 once did).
        assert_eq!(output.status.code(), Some(1), "{format}: exit status");
        let all = [output.stdout, output.stderr].concat();
        let all = String::from_utf8_lossy(&all);
        common::assert_reports(
            format,
            format,
            &all,
            &[
                "author-email",
                "manifest-email",
                "email-address",
                "url-credentials",
                "credential-assignment",
                "env-file",
                "home-folder-path",
            ],
        );
        for secret in secrets {
            assert!(!all.contains(secret), "{format} output repeats {secret}");
        }
    }
}

#[test]
fn inherited_workspace_authors_are_one_finding_at_the_root_manifest() {
    let ws = root().join("fixtures/workspace");
    let (code, lines) = json(&ws, &[]);
    assert_eq!(code, 0, "warnings and notes only");
    let found = findings(&lines);
    assert_eq!(
        found,
        [
            ["author-email", "Cargo.toml", "9", "warning"],
            ["email-address", "README.md", "4", "note"],
        ],
        "alpha and beta inherit the same value and the same README: each is reported once"
    );
    // From inside a member only that member is checked; paths stay relative
    // to where the command runs.
    let (_, lines) = json(&ws.join("crates/beta"), &[]);
    assert_eq!(findings(&lines)[0][1], "../../Cargo.toml");
    assert_eq!(lines.last().unwrap()["packages"], 1);
}

#[test]
fn workspace_human_output() {
    snap(&root())
        .current_dir(root().join("fixtures/workspace"))
        .args(["-v"])
        .assert()
        .code(0)
        .stderr_eq(file!["snapshots/workspace.human.stderr"]);
}

#[test]
fn publish_false_packages_are_skipped() {
    let ws = root().join("fixtures/workspace");
    // `internal` has a personal address in its own authors but never ships.
    let (_, lines) = json(&ws, &["--workspace"]);
    assert!(findings(&lines).iter().all(|f| !f[1].contains("internal")));
    assert_eq!(lines.last().unwrap()["packages"], 2);
    let (code, lines) = json(&ws, &["-p", "internal"]);
    assert_eq!(code, 0);
    assert_eq!(lines.last().unwrap()["packages"], 0);
    snap(&root())
        .current_dir(&ws)
        .args(["-p", "internal", "-v"])
        .assert()
        .code(0)
        .stderr_eq(str![[r#"
    Skipping internal (publish = false: never uploaded)
    Finished privacy check of 0 packages (0 files, 0B) in [ELAPSED]

"#]]);
}

#[test]
fn exclude_and_package_selection() {
    let ws = root().join("fixtures/workspace");
    let (_, lines) = json(&ws, &["--workspace", "--exclude", "alpha"]);
    // beta alone now reports the shared values.
    assert_eq!(findings(&lines).len(), 2);
    assert_eq!(lines.last().unwrap()["packages"], 1);
    snap(&root())
        .current_dir(&ws)
        .args(["--exclude", "alpha"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
error: --exclude can only be used together with --workspace

"#]]);
}

/// The selected packages' names, from the JSON lines' `package` fields.
fn packages_of(lines: &[serde_json::Value]) -> Vec<String> {
    let mut names: Vec<String> = lines
        .iter()
        .filter_map(|l| l["package"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn package_globs_select_as_cargo_does() {
    let ws = root().join("fixtures/workspace");
    let (_, lines) = json(&ws, &["-p", "al*"]);
    assert_eq!(packages_of(&lines), ["alpha"]);
    assert_eq!(lines.last().unwrap()["packages"], 1);
    let (_, lines) = json(&ws, &["-p", "[ab]*"]);
    assert_eq!(lines.last().unwrap()["packages"], 2);
    snap(&root())
        .current_dir(&ws)
        .args(["-p", "zz*"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
error: package pattern `zz*` not found in workspace
 |
 = help: run `cargo metadata --no-deps` to see the workspace's packages

"#]]);
}

#[test]
fn unknown_excluded_package_warns_and_workspace_wins_over_package() {
    let ws = root().join("fixtures/workspace");
    let (code, stdout, stderr) =
        common::run(&ws, &["--workspace", "--exclude", "nope", "-q"], "json");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: excluded package `nope` not found in workspace"),
        "{stderr}"
    );
    let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["packages"], 2);
    // As cargo: `--workspace` takes every member whatever `-p` names.
    let (_, lines) = json(&ws, &["--workspace", "-p", "beta"]);
    assert_eq!(lines.last().unwrap()["packages"], 2);
}

#[test]
fn unknown_package_spec_is_an_error_with_a_suggestion() {
    snap(&root())
        .current_dir(root().join("fixtures/workspace"))
        .args(["-p", "alpah"])
        .assert()
        .code(2)
        .stdout_eq(str![""])
        .stderr_eq(str![[r#"
error: package ID specification `alpah` did not match any packages
 |
 = help: a package with a similar name exists: `alpha`

"#]]);
}

#[test]
fn malformed_manifest_is_a_rustc_style_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"broken\"\nversion = \"0.1.0\"\nauthors = [\"Jane <jane@gmail.com>\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), "").unwrap();
    snap(&root())
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stdout_eq(str![""])
        .stderr_eq(file!["snapshots/malformed.stderr"]);
}

#[test]
fn missing_manifest_and_no_manifest_are_errors() {
    snap(&root())
        .args(["--manifest-path", "no/such/Cargo.toml"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
error: manifest path `[ROOT]/no/such/Cargo.toml` does not exist

"#]]);
    let dir = tempfile::tempdir().unwrap();
    snap(&root())
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
error: could not find `Cargo.toml` in `[..]` or any parent directory

"#]]);
    snap(&root())
        .args(["--manifest-path", "README.md"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
error: the manifest-path must be a path to a Cargo.toml file

"#]]);
}

#[test]
fn cargo_metadata_failure_is_reported() {
    // Valid TOML that cargo rejects: no `name`.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    snap(&root())
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
error: `cargo metadata` failed: [..]
...
"#]]);
}

#[test]
fn unknown_rule_in_a_level_flag_is_an_error() {
    snap(&root())
        .args(["--manifest-path", DEMO, "-A", "autor-email"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
error: unknown rule or category `autor-email`
 |
 = help: did you mean `author-email`?

"#]]);
}

#[test]
fn level_flags_change_levels_and_the_exit_status() {
    let quiet_errors = ["-A", "secret", "-A", "sensitive-file"];
    let (code, lines) = json(
        &root(),
        &[&["--manifest-path", DEMO][..], &quiet_errors].concat(),
    );
    assert_eq!(code, 0, "only warnings and notes remain");
    assert!(findings(&lines)
        .iter()
        .all(|f| f[0] != "url-credentials" && f[0] != "env-file"));
    let (code, lines) = json(
        &root(),
        &[
            &["--manifest-path", DEMO][..],
            &quiet_errors,
            &["-D", "warnings"],
        ]
        .concat(),
    );
    assert_eq!(code, 1);
    assert!(findings(&lines)
        .iter()
        .filter(|f| f[0] == "author-email")
        .all(|f| f[3] == "error"));
    let (_, lines) = json(
        &root(),
        &["--manifest-path", DEMO, "-A", "email", "-W", "role-email"],
    );
    let rules = common::findings(&lines, &["rule", "level"]);
    assert!(rules.contains(&vec!["role-email".to_owned(), "warning".to_owned()]));
    assert!(!rules.iter().any(|r| r[0] == "author-email"));
}

#[test]
fn help_works_as_a_cargo_subcommand() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .args(["privacy-check", "--help"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--manifest-path",
        "--package",
        "--workspace",
        "--exclude",
        "--color",
        "--message-format",
        "--quiet",
        "--verbose",
        "--list",
        "Usage: cargo privacy-check",
    ] {
        assert!(help.contains(flag), "help lacks {flag}");
    }
}

#[test]
fn explain_prints_the_rule_documentation() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .args(["--explain", "author-email"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("# `author-email`"));
    assert!(text.contains("## How to fix"));
    snap(&root())
        .args(["--explain", "author-emial"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
error: no rule named `author-emial`
 |
 = help: did you mean `author-email`?

"#]]);
}

#[test]
fn color_follows_flag_and_environment() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"));
        c.args(["--manifest-path", DEMO])
            .args(args)
            .current_dir(root());
        for var in ["CARGO_TERM_COLOR", "NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR"] {
            c.env_remove(var);
        }
        for (k, v) in env {
            c.env(k, v);
        }
        String::from_utf8(c.output().unwrap().stderr)
            .unwrap()
            .contains("\x1b[")
    };
    assert!(run(&["--color", "always"], &[]));
    assert!(!run(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(!run(&[], &[]), "auto: stderr is not a terminal here");
    assert!(run(&[], &[("CARGO_TERM_COLOR", "always")]));
    assert!(run(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!run(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(run(
        &["--color", "always"],
        &[("CARGO_TERM_COLOR", "never")]
    ));
}

#[test]
fn list_prints_what_cargo_package_lists() {
    let ws = root().join("fixtures/workspace");
    let ours = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .args(["privacy-check", "--list", "-p", "alpha"])
        .current_dir(&ws)
        .output()
        .unwrap();
    assert_eq!(ours.status.code(), Some(0));
    let target = tempfile::tempdir().unwrap();
    let cargo = std::process::Command::new(env!("CARGO"))
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--offline",
            "-p",
            "alpha",
        ])
        .env("CARGO_TARGET_DIR", target.path())
        .current_dir(&ws)
        .output()
        .unwrap();
    assert!(
        cargo.status.success(),
        "{}",
        String::from_utf8_lossy(&cargo.stderr)
    );
    assert_eq!(
        String::from_utf8(ours.stdout).unwrap(),
        String::from_utf8(cargo.stdout).unwrap()
    );
}

#[test]
fn list_with_several_packages_has_a_header_per_package() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .args(["--list", "--workspace"])
        .current_dir(root().join("fixtures/workspace"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let headers: Vec<&str> = text.lines().filter(|l| l.ends_with(':')).collect();
    assert_eq!(headers, ["alpha v0.2.0:", "beta v0.2.0:"]);
    assert!(
        text.contains("\nbeta v0.2.0:\n"),
        "a blank line separates the lists"
    );
}

#[test]
fn files_not_scanned_are_listed_and_still_judged_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("assets")).unwrap();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"unscanned\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(root.join("src/lib.rs"), "").unwrap();
    std::fs::write(
        root.join("assets/logo.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .unwrap();
    std::fs::write(
        root.join("assets/client.p12"),
        b"\x30\x82\x0a\x00\0\0binary",
    )
    .unwrap();
    // Over the 32 MiB limit, with a leak past it that is therefore unseen.
    let mut huge = vec![b'a'; 33 * 1024 * 1024];
    huge.extend_from_slice(b"\nrobert.smith@gmail.com\n");
    std::fs::write(root.join("data/huge.txt"), huge).unwrap();

    let (code, lines) = json(root, &[]);
    assert_eq!(code, 1, "the key store is an error");
    let found = findings(&lines);
    assert_eq!(
        found,
        [["keystore-file", "assets/client.p12", "-", "error"]]
    );
    let summary = lines.last().unwrap();
    assert_eq!(
        summary["not_scanned"],
        serde_json::json!([
            {"path": "assets/client.p12", "why": "binary"},
            {"path": "assets/logo.png", "why": "binary"},
            {"path": "data/huge.txt", "why": "larger than the 32 MiB scan limit"},
        ])
    );
    // Human output: the oversized file is a warning; binary files are
    // counted, and listed with -v.
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
            .args(args)
            .args(["--color", "never"])
            .current_dir(root)
            .output()
            .unwrap();
        String::from_utf8(output.stderr).unwrap()
    };
    let normal = run(&[]);
    assert!(
        normal.contains(
            "warning: `data/huge.txt` was not scanned: larger than the 32 MiB scan limit"
        ),
        "{normal}"
    );
    assert!(
        normal.contains("note: 2 files not scanned for content (binary); run with -v to list them"),
        "{normal}"
    );
    let verbose = run(&["-v"]);
    assert!(
        verbose.contains("note: `assets/logo.png` was not scanned: binary"),
        "{verbose}"
    );
}

#[test]
fn a_layout_cargo_would_refuse_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), "").unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"refused\"\nversion = \"0.1.0\"\nedition = \"2021\"\nreadme = \"MISSING.md\"\n",
    )
    .unwrap();
    snap(&root())
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stdout_eq(str![""])
        .stderr_eq(str![[r#"
error: failed to list the files of package `refused`: `cargo package` would fail on `[..]/MISSING.md`: `readme` does not point to a file

"#]]);
}

/// 5,000 addresses on one 120 KB line once took 34 s in human output: each
/// finding showed (and masked) the whole line. A snippet shows the part of
/// a long line around its span, and the addresses of one line are now one
/// diagnostic (labels for those in the snippet, the others counted), so
/// the output is small and its time grows with the findings, not with
/// findings times line length.
#[test]
fn thousands_of_findings_on_one_long_line_render_in_linear_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::write(
        d,
        "Cargo.toml",
        "[package]\nname = \"long\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    common::write(d, "src/lib.rs", "");
    let line: Vec<String> = (0..3000)
        .map(|i| common::email(&format!("u{i}qzxv{}", i * 7 % 1000)))
        .collect();
    // The first address far into the line, so its snippet is cut.
    let filler = "x".repeat(1000);
    common::write(d, "data.txt", &format!("{filler} {}\n", line.join(" ")));
    let started = std::time::Instant::now();
    let (code, _, stderr) = common::run(d, &[], "human");
    let elapsed = started.elapsed();
    assert_eq!(code, 0, "notes only");
    assert_eq!(stderr.matches("note[email-address]").count(), 1, "{stderr}");
    assert!(
        stderr.contains("`long` generated 1 note (3000 occurrences)"),
        "{stderr}"
    );
    // The labels are those of the addresses in the snippet; the note
    // counts the others, which are all other values, on line 1.
    let labels = stderr.matches("published with the crate").count();
    assert!((2..10).contains(&labels), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "= note: and {} more occurrences in this file ({} other values), on line 1\n",
            3000 - labels,
            3000 - labels
        )),
        "{stderr}"
    );
    // Columns are the file's, though the line is cut.
    assert!(
        stderr.contains("data.txt:1:1002"),
        "column of the first address: {stderr}"
    );
    let longest = stderr.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 400, "a snippet line of {longest} characters");
    assert!(stderr.len() < 10_000, "{} bytes of output", stderr.len());
    // Generous for a debug build on a shared machine; it took minutes.
    assert!(elapsed.as_secs() < 60, "{elapsed:?}");
}

#[test]
fn list_rules_in_json_names_each_rule_with_its_fix() {
    let (code, stdout, stderr) = common::run(&root(), &["--list-rules"], "json");
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), cargo_privacy_check::rules::all().count());
    let rule = |name: &str| {
        lines
            .iter()
            .find(|l| l["name"] == name)
            .unwrap_or_else(|| panic!("{name} listed"))
            .clone()
    };
    assert!(lines.iter().all(|l| l["reason"] == "rule"));
    let author = rule("author-email");
    assert_eq!(author["category"], "email");
    assert_eq!(author["default_level"], "warning");
    assert_eq!(author["fixable"], true);
    assert_eq!(author["fix_applicability"], "machine-applicable");
    assert_eq!(
        rule("url-credentials")["fix_applicability"],
        "maybe-incorrect"
    );
    assert_eq!(rule("env-file")["fix_applicability"], "machine-applicable");
    assert_eq!(rule("github-token")["fixable"], false);
    assert!(rule("github-token")["summary"].as_str().unwrap().len() > 10);
    // The table marks the same.
    let (_, table, _) = common::run(&root(), &["--list-rules"], "human");
    let row = table
        .lines()
        .find(|l| l.starts_with("url-credentials "))
        .unwrap();
    assert!(row.contains(" fix? "), "{row}");
}

fn bin_output(args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"));
    command.args(args);
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().unwrap()
}

#[test]
fn explain_a_category_lists_its_rules_with_their_summaries() {
    let output = bin_output(&["--explain", "secret"], &[]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("# `secret`\n\n"), "{text}");
    let listed: Vec<&str> = text.lines().filter(|l| l.starts_with("- ")).collect();
    let expected: Vec<String> = cargo_privacy_check::rules::all()
        .filter(|r| r.category.as_str() == "secret")
        .map(|r| {
            format!(
                "- `{}` ({}): {}",
                r.name,
                r.default_level.as_str(),
                r.summary
            )
        })
        .collect();
    assert!(expected.len() > 10);
    assert_eq!(listed, expected);
    assert!(listed.contains(&"- `github-token` (error): GitHub access token"));
    // A rule of another category is not listed.
    assert!(!text.contains("`author-email`"));
    // A misspelt category is suggested like a misspelt rule.
    snap(&root())
        .args(["--explain", "secrt"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
error: no rule named `secrt`
 |
 = help: did you mean `secret`?

"#]]);
}

/// Piped, `--explain` prints the Markdown as it always has, and never runs
/// the user's pager (it is only for a terminal).
#[test]
fn explain_piped_is_the_markdown_and_runs_no_pager() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pager-ran");
    let pager = format!("touch {}", marker.display());
    let rule = cargo_privacy_check::rules::find("author-email").unwrap();
    let output = bin_output(
        &["--explain", "author-email"],
        &[("PAGER", &pager), ("COLUMNS", "30")],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        cargo_privacy_check::rules::explain(rule)
    );
    assert!(!marker.exists(), "the pager ran with stdout piped");
}

/// Every flag of docs/flags.md's table is in `--help`, with each value of
/// `--message-format` it lists.
#[test]
fn help_lists_every_flag_the_docs_document() {
    let docs = std::fs::read_to_string(root().join("docs/flags.md")).unwrap();
    let help = String::from_utf8(bin_output(&["--help"], &[]).stdout).unwrap();
    let mut flags = Vec::new();
    for row in docs.lines().filter(|l| l.starts_with("| `")) {
        let first = row.split(" | ").next().unwrap();
        for code in first.split('`').skip(1).step_by(2) {
            // `-A/-W/-D RULE`, `-p, --package SPEC`, `--message-format human\|short…`
            let names = code.split([' ', ',', '/']).filter(|w| w.starts_with('-'));
            flags.extend(names.map(str::to_owned));
            if let Some(values) = code.strip_prefix("--message-format ") {
                for value in values.split("\\|") {
                    assert!(
                        help.contains(value),
                        "--help lacks the message format {value}"
                    );
                }
            }
        }
    }
    assert!(flags.len() >= 25, "{flags:?}");
    for expected in ["--diff", "-v", "--explain", "-D", "--crate"] {
        assert!(flags.iter().any(|f| f == expected), "{expected} not parsed");
    }
    for flag in &flags {
        let shown = help
            .split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']')
            .any(|word| word.trim_end_matches("...") == flag);
        assert!(shown, "--help lacks {flag}, which docs/flags.md documents");
    }
}

/// The examples of `--help` fit 80 columns, so clap never wraps one in the
/// middle of its description (it did at 100: "(or the workspace's default
/// members)" lost its last word to a line of its own).
#[test]
fn help_examples_do_not_wrap_mid_phrase() {
    let help = String::from_utf8(bin_output(&["--help"], &[]).stdout).unwrap();
    let examples = help
        .split("Examples:\n")
        .nth(1)
        .expect("an Examples section");
    let lines: Vec<&str> = examples.lines().take_while(|l| !l.is_empty()).collect();
    assert!(lines.len() >= 5, "{examples}");
    for line in lines {
        assert!(
            line.starts_with("  cargo privacy-check"),
            "an example was wrapped: {line:?}"
        );
        assert!(line.chars().count() <= 80, "{line:?} is wider than 80");
    }
}

/// Two authors with personal addresses on one line were two diagnostics,
/// each showing the line and a patch of its own: one diagnostic, a label
/// under each address, and one patch dropping both.
#[test]
fn two_author_emails_on_one_line_are_one_diagnostic_with_two_labels_and_one_patch() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = format!(
        "[package]\nname = \"pair\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         authors = [\"Jane <{}>\", \"Raj <{}>\"]\n",
        common::email("jane.doe"),
        common::email("raj.patel")
    );
    common::write(dir.path(), "Cargo.toml", &manifest);
    common::write(dir.path(), "src/lib.rs", "//! pair\n");
    let (code, _, stderr) = common::run(dir.path(), &[], "human");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(count(&stderr, "warning[author-email]"), 1, "{stderr}");
    assert_eq!(
        count(&stderr, "published with every version of the crate"),
        2,
        "{stderr}"
    );
    // One patch: the line before, and after with both addresses gone.
    assert_eq!(count(&stderr, "\nhelp: "), 1, "{stderr}");
    assert!(
        stderr.contains("5 + authors = [\"Jane\", \"Raj\"]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`pair` generated 1 warning (2 occurrences)"),
        "{stderr}"
    );
    // JSON: still one object per address.
    let (_, lines) = json(dir.path(), &[]);
    let rules: Vec<&str> = lines
        .iter()
        .filter(|l| l["reason"] == "finding")
        .map(|l| l["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["author-email", "author-email"]);
}
