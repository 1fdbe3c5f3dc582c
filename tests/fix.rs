//! `--fix` end to end: before/after folders, compared byte for byte.
//!
//! Each case is `fixtures/fix/<case>/in` (a tiny package or workspace) and
//! `fixtures/fix/<case>/out` (what `--fix` must turn it into), like cargo's
//! `tests/testsuite/cargo_remove/*/{in,out}`. A test copies `in/` to a
//! temporary git repository (so hidden files such as `.env` ship, as they do
//! in a real checkout), runs the binary with `--fix`, compares every file
//! with `out/`, then runs `--fix` again: nothing may change and none of the
//! findings the first run fixed may remain. `SNAPSHOTS=overwrite cargo test
//! --test fix` rewrites the `out/` folders (review the diff).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use snapbox::cmd::{cargo_bin, Command as SnapCommand};
use snapbox::{file, Assert};

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fix")
        .join(case)
}

/// Every file under `dir` (but `.git`, `target`, `Cargo.lock`), by
/// `/`-separated relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if matches!(name.as_str(), ".git" | "target" | "Cargo.lock") {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn write_files(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (rel, bytes) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// A copy of `fixtures/fix/<case>/in` in a fresh git repository.
fn checkout(case: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(case);
    std::fs::create_dir_all(&dir).unwrap();
    write_files(&dir, &files(&case_dir(case).join("in")));
    common::git(&dir, &["init", "-q"]);
    common::git(&dir, &["add", "-A"]);
    common::git(&dir, &["commit", "-qm", "in"]);
    (tmp, dir)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap()
}

/// A finding's rule and fingerprint: what names it across runs.
type Key = (String, String);

/// (rule, fingerprint) of every finding, and of those with a fix of the
/// given applicabilities.
fn findings(dir: &Path, applicable: &[&str]) -> (Vec<Key>, Vec<Key>) {
    let output = run(dir, &["--workspace", "--message-format", "json"]);
    let mut all = Vec::new();
    let mut fixable = Vec::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        if value["reason"] != "finding" {
            continue;
        }
        let key = (
            value["rule"].as_str().unwrap().to_owned(),
            value["fingerprint"].as_str().unwrap().to_owned(),
        );
        let fix = &value["fix"];
        if fix.is_object() {
            // The JSON contract of a fix.
            assert!(fix["description"].is_string());
            for edit in fix["edits"].as_array().unwrap() {
                assert!(edit["path"].is_string());
                assert!(edit["byte_start"].as_u64() <= edit["byte_end"].as_u64());
                assert!(edit["replacement"].is_string());
            }
            if applicable.contains(&fix["applicability"].as_str().unwrap()) {
                fixable.push(key.clone());
            }
        }
        all.push(key);
    }
    (all, fixable)
}

/// Runs one case: `--fix` (plus `extra` flags) on a copy of `in/` must give
/// `out/` byte for byte, and a second run must change nothing and leave
/// none of the fixed findings. Returns the checkout and the first run's
/// stderr.
fn fix_case(case: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf, String) {
    let (tmp, dir) = checkout(case);
    let mut applicable = vec!["machine-applicable"];
    if extra.contains(&"--unsafe-fixes") {
        applicable.push("maybe-incorrect");
    }
    let (_, fixable) = findings(&dir, &applicable);

    let mut args = vec!["--fix"];
    args.extend(extra);
    let first = run(&dir, &args);
    let stderr = String::from_utf8(first.stderr).unwrap();
    assert_ne!(first.status.code(), Some(2), "{stderr}");

    let out_dir = case_dir(case).join("out");
    let fixed = files(&dir);
    if std::env::var_os("SNAPSHOTS").is_some_and(|v| v == "overwrite") {
        let _ = std::fs::remove_dir_all(&out_dir);
        write_files(&out_dir, &fixed);
    }
    let expected = files(&out_dir);
    assert_eq!(
        fixed.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "files of {case}"
    );
    for (rel, bytes) in &expected {
        assert!(
            fixed[rel] == *bytes,
            "{case}/{rel} after --fix:\n{}\nexpected:\n{}",
            String::from_utf8_lossy(&fixed[rel]),
            String::from_utf8_lossy(bytes)
        );
    }

    // Idempotence: a second run writes nothing, and what was fixed is gone.
    let second = run(&dir, &args);
    assert_ne!(second.status.code(), Some(2));
    assert_eq!(files(&dir), fixed, "a second --fix changed {case}");
    assert!(
        !String::from_utf8_lossy(&second.stderr).contains("Fixed"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let (remaining, _) = findings(&dir, &applicable);
    for key in &fixable {
        assert!(!remaining.contains(key), "{key:?} still reported in {case}");
    }
    (tmp, dir, stderr)
}

/// `cargo package --list` of the package in `dir`.
fn cargo_list(dir: &Path) -> Vec<String> {
    common::cargo_package_list(&dir.join("Cargo.toml"), None, &dir.join("target"))
}

/// A sensitive-file case: the file ships before the fix and not after.
fn keeps_out(case: &str, file: &str) {
    let (_tmp, before) = checkout(case);
    assert!(cargo_list(&before).contains(&file.to_owned()));
    let (_tmp, dir, stderr) = fix_case(case, &[]);
    assert!(stderr.contains("Fixed Cargo.toml (1 fix)"), "{stderr}");
    assert!(!cargo_list(&dir).contains(&file.to_owned()));
}

#[test]
fn authors_name_and_email_keeps_the_name() {
    let (_tmp, _dir, stderr) = fix_case("authors-name-email", &[]);
    assert!(stderr.contains("Fixed Cargo.toml (1 fix)"), "{stderr}");
}

#[test]
fn authors_bare_email_entry_is_removed() {
    fix_case("authors-bare-email", &[]);
}

#[test]
fn authors_emptied_key_is_removed() {
    fix_case("authors-emptied", &[]);
}

#[test]
fn authors_multiline_array_keeps_comments_spacing_and_quoting() {
    // Three addresses in one array: their edits overlap, so --fix takes
    // more than one pass, in one run.
    let (_tmp, _dir, stderr) = fix_case("authors-multiline", &[]);
    assert!(stderr.contains("Fixed Cargo.toml (3 fixes)"), "{stderr}");
}

#[test]
fn workspace_authors_emptied_removes_every_members_inheritance() {
    // The human output names the fix even though it is not one patch.
    let (_tmp, before) = checkout("workspace-authors-emptied");
    let shown = String::from_utf8(run(&before, &[]).stderr).unwrap();
    assert!(
        shown.contains(
            "help: remove `authors` (it held only this address), and `authors.workspace = true` from 3 members"
        ),
        "{shown}"
    );
    let (_tmp, dir, stderr) = fix_case("workspace-authors-emptied", &[]);
    for member in ["app", "internal", "tool"] {
        assert!(
            stderr.contains(&format!("Fixed crates/{member}/Cargo.toml (1 fix)")),
            "{stderr}"
        );
    }
    // Every member, selected or not, publishable or not, still loads.
    let metadata = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .current_dir(&dir)
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .output()
        .unwrap();
    assert!(
        metadata.status.success(),
        "{}",
        String::from_utf8_lossy(&metadata.stderr)
    );
}

#[test]
fn url_credentials_need_unsafe_fixes() {
    // Without --unsafe-fixes the maybe-incorrect fix is left alone.
    let (_tmp, dir) = checkout("url-credentials");
    let before = files(&dir);
    let output = run(&dir, &["--fix"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(files(&dir), before);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("--fix --unsafe-fixes"), "{stderr}");

    let (_tmp, _dir, stderr) = fix_case("url-credentials", &["--unsafe-fixes"]);
    assert!(stderr.contains("Fixed Cargo.toml (1 fix)"), "{stderr}");
}

#[test]
fn env_file_gets_a_new_exclude() {
    keeps_out("env-new-exclude", ".env");
}

#[test]
fn existing_multiline_exclude_gets_an_entry() {
    keeps_out("exclude-multiline", "deploy/prod.tfstate");
}

#[test]
fn include_naming_the_file_loses_that_entry() {
    keeps_out("include-literal", "terraform.tfstate");
}

#[test]
fn include_glob_is_not_edited_and_the_help_says_why() {
    let (_tmp, dir, stderr) = fix_case("include-glob", &[]);
    assert!(!stderr.contains("Fixed"), "{stderr}");
    assert!(
        stderr.contains("this package lists its files with `include`, so cargo ignores `exclude`: change `*.tfstate` in `include`"),
        "{stderr}"
    );
    assert!(cargo_list(&dir).contains(&"terraform.tfstate".to_owned()));
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let (_tmp, dir) = checkout("env-new-exclude");
    let manifest = dir.join("Cargo.toml");
    let before = std::fs::read(&manifest).unwrap();
    let mtime = std::fs::metadata(&manifest).unwrap().modified().unwrap();
    SnapCommand::new(cargo_bin!("cargo-privacy-check"))
        .args(["--dry-run", "-q"])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .with_assert(Assert::new().action_env("SNAPSHOTS"))
        .assert()
        .code(1)
        .stdout_eq(file!["snapshots/fix.dry-run.stdout"]);
    // `--diff` is the same flag.
    let output = run(&dir, &["--fix", "--diff"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("Would fix Cargo.toml (1 fix)"));
    assert_eq!(std::fs::read(&manifest).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&manifest).unwrap().modified().unwrap(),
        mtime
    );
}

#[test]
fn without_fix_nothing_is_written() {
    for case in ["env-new-exclude", "authors-emptied", "url-credentials"] {
        let (_tmp, dir) = checkout(case);
        let before = files(&dir);
        let mtime = std::fs::metadata(dir.join("Cargo.toml"))
            .unwrap()
            .modified()
            .unwrap();
        run(&dir, &["--unsafe-fixes"]);
        run(&dir, &[]);
        assert_eq!(files(&dir), before);
        assert_eq!(
            std::fs::metadata(dir.join("Cargo.toml"))
                .unwrap()
                .modified()
                .unwrap(),
            mtime
        );
    }
}

#[test]
fn the_diff_of_a_credential_fix_does_not_show_the_credential() {
    let (_tmp, dir) = checkout("url-credentials");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let password = manifest
        .split("ci-deploy:")
        .nth(1)
        .and_then(|rest| rest.split('@').next())
        .unwrap();
    assert!(password.len() >= 8);
    let output = run(&dir, &["--dry-run", "--unsafe-fixes"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stdout.contains(password), "{stdout}");
    assert!(!stderr.contains(password), "{stderr}");
    let masked = "•".repeat(password.chars().count());
    assert!(
        stdout.contains(&format!(
            "-repository = \"https://ci-deploy:{masked}@git.fixture-corp.net/url.git\""
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("+repository = \"https://git.fixture-corp.net/url.git\""),
        "{stdout}"
    );
}

#[test]
fn a_file_changed_since_the_scan_is_not_written() {
    // The plan checks the digest the scan recorded: simulated here by a
    // report whose manifest digest does not match the file any more.
    use cargo_privacy_check::engine::{self, ScanOptions};
    use cargo_privacy_check::fix;
    use cargo_privacy_check::workspace::{self, SelectOptions};
    let (_tmp, dir) = checkout("authors-name-email");
    let selection = workspace::select(&SelectOptions::default(), &dir).unwrap();
    let report = engine::check_selection(&selection, &ScanOptions::default()).unwrap();
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("# edited meanwhile\n");
    std::fs::write(&manifest, &text).unwrap();
    let err = fix::plan(&report, false).unwrap_err();
    assert!(matches!(err, fix::FixError::Changed(_)), "{err}");
    assert_eq!(std::fs::read_to_string(&manifest).unwrap(), text);
}

#[test]
fn fixed_files_keep_their_permissions() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let (_tmp, dir) = checkout("authors-name-email");
        let manifest = dir.join("Cargo.toml");
        std::fs::set_permissions(&manifest, std::fs::Permissions::from_mode(0o640)).unwrap();
        run(&dir, &["--fix"]);
        let mode = std::fs::metadata(&manifest).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert!(!std::fs::read_to_string(&manifest).unwrap().contains("@"));
    }
}

/// A package in a fresh git repository, its manifest `manifest` (bytes as
/// given) plus `files`, all added to the index.
fn package(manifest: &[u8], files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pkg");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/lib.rs"), "").unwrap();
    for (path, text) in files {
        common::write(&dir, path, text);
    }
    common::git(&dir, &["init", "-q"]);
    common::git(&dir, &["add", "-A"]);
    common::git(&dir, &["commit", "-qm", "in"]);
    (tmp, dir)
}

/// A manifest with one personal address in `authors`, in the line ending
/// `nl`, with a multi-line string.
fn authors_manifest(nl: &str) -> String {
    let email = common::email("jane.doe");
    [
        "[package]",
        "name = \"demo\"",
        "version = \"0.1.0\"",
        "edition = \"2021\"",
        "description = \"\"\"",
        "first line",
        "\tsecond line\"\"\"",
        &format!("authors = [\"Jane Doe <{email}>\"]\t# who"),
        "",
        "[ package . metadata . docs ]",
        "x = 1",
        "",
    ]
    .join(nl)
}

#[test]
fn crlf_manifest_keeps_crlf_everywhere_and_its_bom() {
    for bom in ["", "\u{feff}"] {
        let before = format!("{bom}{}", authors_manifest("\r\n"));
        let (_tmp, dir) = package(before.as_bytes(), &[(".env", "TOKEN=1\n")]);
        let output = run(&dir, &["--fix"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("Fixed Cargo.toml (2 fixes)"), "{stderr}");
        let after = String::from_utf8(std::fs::read(dir.join("Cargo.toml")).unwrap()).unwrap();
        let email = common::email("jane.doe");
        let expected = before
            .replace(&format!("Jane Doe <{email}>"), "Jane Doe")
            .replace("\t# who\r\n", "\t# who\r\nexclude = [\"/.env\"]\r\n");
        assert_eq!(after, expected);
    }
}

#[test]
fn dry_run_on_crlf_and_bom_masks_and_shows_the_right_lines() {
    let before = format!("\u{feff}{}", authors_manifest("\r\n"));
    let (_tmp, dir) = package(before.as_bytes(), &[]);
    let output = run(&dir, &["--dry-run", "-q"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    // Only the authors line changes; the address is masked, the name
    // shown; CRLF is shown as a line ending.
    assert_eq!(
        stdout,
        "--- a/Cargo.toml\n+++ b/Cargo.toml\n\
         @@ -5,7 +5,7 @@\n \
         description = \"\"\"\n \
         first line\n \
         \tsecond line\"\"\"\n\
         -authors = [\"Jane Doe <jane••••@gmail.com>\"]\t# who\n\
         +authors = [\"Jane Doe\"]\t# who\n \
         \n \
         [ package . metadata . docs ]\n \
         x = 1\n"
    );
    assert_eq!(
        std::fs::read(dir.join("Cargo.toml")).unwrap(),
        before.as_bytes()
    );
}

#[test]
fn odd_layouts_change_only_the_bytes_of_the_edit() {
    // Spaced dotted headers, comments between array items, inline tables,
    // trailing commas, tabs: only the new entry appears.
    let before = [
        "[ package ]",
        "name = \"demo\"",
        "version = \"0.1.0\"",
        "edition = \"2021\"",
        "exclude = [",
        "\t\"a.txt\", # keep",
        "\t# about b",
        "\t'b.txt' ,",
        "]",
        "metadata . docs = { all-features = true , targets = [ \"x\", ] }",
        "",
        "[ package . metadata . other ]",
        "y = [ 1 ,2, ]",
        "",
    ]
    .join("\n");
    let (_tmp, dir) = package(before.as_bytes(), &[(".env", "TOKEN=1\n")]);
    let output = run(&dir, &["--fix"]);
    assert_ne!(output.status.code(), Some(2));
    let after = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert_eq!(
        after,
        before.replace("\t'b.txt' ,\n", "\t'b.txt' ,\n\t\"/.env\",\n")
    );
}

#[test]
fn two_address_entry_keeps_both_names() {
    let (zed, amy) = (common::email("zed"), common::email("amy"));
    let before = format!(
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nauthors = [\"Zed <{zed}>, Amy <{amy}>\", \"Bo\"]\n"
    );
    let (_tmp, dir) = package(before.as_bytes(), &[]);
    let output = run(&dir, &["--fix"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Fixed Cargo.toml (2 fixes)"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("Cargo.toml")).unwrap(),
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nauthors = [\"Zed, Amy\", \"Bo\"]\n"
    );
}

#[test]
fn authors_in_inline_package_table_are_found_and_fixed() {
    let email = common::email("jane");
    let before = format!(
        "package = {{ name = \"demo\", version = \"0.1.0\", authors = [\"Jane <{email}>\"] }}\n"
    );
    let (_tmp, dir) = package(before.as_bytes(), &[]);
    let (all, fixable) = findings(&dir, &["machine-applicable"]);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].0, "author-email");
    assert_eq!(fixable.len(), 1);
    run(&dir, &["--fix"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("Cargo.toml")).unwrap(),
        "package = { name = \"demo\", version = \"0.1.0\", authors = [\"Jane\"] }\n"
    );
}

#[cfg(unix)]
mod links_and_ownership {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    fn fixed() -> String {
        let email = common::email("jane.doe");
        authors_manifest("\n").replace(&format!("Jane Doe <{email}>"), "Jane Doe")
    }

    #[test]
    fn symlinked_manifest_is_edited_through_the_link_which_stays_a_link() {
        let (tmp, dir) = package(authors_manifest("\n").as_bytes(), &[]);
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::rename(dir.join("Cargo.toml"), elsewhere.join("Cargo.toml")).unwrap();
        std::os::unix::fs::symlink("../elsewhere/Cargo.toml", dir.join("Cargo.toml")).unwrap();
        // Replacing the committed file by a link makes it dirty.
        let output = run(&dir, &["--fix", "--allow-dirty"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("Fixed Cargo.toml (1 fix)"), "{stderr}");
        let link = std::fs::symlink_metadata(dir.join("Cargo.toml")).unwrap();
        assert!(link.file_type().is_symlink());
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("Cargo.toml")).unwrap(),
            fixed()
        );
        // No temporary file or folder left behind.
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 1);
    }

    #[test]
    fn hard_linked_manifest_is_not_split() {
        let (tmp, dir) = package(authors_manifest("\n").as_bytes(), &[]);
        let other = tmp.path().join("other.toml");
        std::fs::hard_link(dir.join("Cargo.toml"), &other).unwrap();
        let inode = std::fs::metadata(&other).unwrap().ino();
        run(&dir, &["--fix"]);
        let meta = std::fs::metadata(dir.join("Cargo.toml")).unwrap();
        assert_eq!((meta.ino(), meta.nlink()), (inode, 2));
        assert_eq!(std::fs::read_to_string(&other).unwrap(), fixed());
    }

    #[test]
    fn owner_group_and_mode_of_another_user_are_kept() {
        let (_tmp, dir) = package(authors_manifest("\n").as_bytes(), &[]);
        let manifest = dir.join("Cargo.toml");
        // The tests run as root, which can give the file to another user.
        std::os::unix::fs::chown(&manifest, Some(12345), Some(23456))
            .expect("chown (this test needs root)");
        std::fs::set_permissions(&manifest, std::fs::Permissions::from_mode(0o664)).unwrap();
        let output = run(&dir, &["--fix"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("Fixed Cargo.toml (1 fix)"), "{stderr}");
        let meta = std::fs::metadata(&manifest).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (12345, 23456));
        assert_eq!(meta.mode() & 0o7777, 0o664);
        assert_eq!(std::fs::read_to_string(&manifest).unwrap(), fixed());
    }

    #[test]
    fn read_only_manifest_is_refused_not_overwritten() {
        let before = authors_manifest("\n");
        let (_tmp, dir) = package(before.as_bytes(), &[]);
        let manifest = dir.join("Cargo.toml");
        std::fs::set_permissions(&manifest, std::fs::Permissions::from_mode(0o444)).unwrap();
        let output = run(&dir, &["--fix"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("`{}` is read-only", manifest.display())),
            "{stderr}"
        );
        assert_eq!(std::fs::read_to_string(&manifest).unwrap(), before);
        let meta = std::fs::metadata(&manifest).unwrap();
        assert_eq!(meta.mode() & 0o777, 0o444);
    }
}

#[test]
fn an_edit_made_after_the_plan_is_not_lost() {
    // The file is checked again just before it is replaced: an edit made
    // between the plan (which checked it) and the write is kept.
    use cargo_privacy_check::engine::{self, ScanOptions};
    use cargo_privacy_check::fix;
    use cargo_privacy_check::workspace::{self, SelectOptions};
    let (_tmp, dir) = package(authors_manifest("\n").as_bytes(), &[]);
    let selection = workspace::select(&SelectOptions::default(), &dir).unwrap();
    let report = engine::check_selection(&selection, &ScanOptions::default()).unwrap();
    let plan = fix::plan(&report, false).unwrap();
    assert_eq!(plan.files.len(), 1);
    let manifest = dir.join("Cargo.toml");
    let edited = format!("{}# edited meanwhile\n", authors_manifest("\n"));
    std::fs::write(&manifest, &edited).unwrap();
    let err = plan.files[0].write().unwrap_err();
    assert!(
        err.to_string()
            .contains("changed while it was being written"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&manifest).unwrap(), edited);
    assert!(!dir.join("target").exists());
}

#[test]
fn interrupted_fix_leftover_is_not_shipped_and_is_removed_next_run() {
    let (_tmp, dir) = package(authors_manifest("\n").as_bytes(), &[]);
    // What a `--fix` killed between making and renaming its temporary file
    // leaves: this process id cannot be running.
    let leftover = dir.join("target/Cargo.toml.99999999.privacy-check.tmp");
    common::write(&dir, "target/Cargo.toml.99999999.privacy-check.tmp", "x");
    let listed = String::from_utf8(run(&dir, &["--list"]).stdout).unwrap();
    assert!(listed.lines().any(|l| l == "Cargo.toml"), "{listed}");
    assert!(!listed.contains("privacy-check.tmp"), "{listed}");
    assert!(cargo_list(&dir)
        .iter()
        .all(|f| !f.contains("privacy-check.tmp")));
    run(&dir, &["--fix"]);
    assert!(!leftover.exists());
    assert!(!std::fs::read_to_string(dir.join("Cargo.toml"))
        .unwrap()
        .contains('@'));
}

/// `--fix` on a `Cargo.toml` with uncommitted changes used to overwrite them
/// without asking; now it refuses as `cargo fix` does, naming the flag.
mod dirty_tree {
    use super::*;

    fn edited(dir: &Path) {
        let path = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}# work in progress\n")).unwrap();
    }

    fn assert_refused(output: &Output, state: &str, flag: &str, dir: &Path, before: &str) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("Cargo.toml ({state})")),
            "{stderr}"
        );
        assert!(stderr.contains(flag), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(dir.join("Cargo.toml")).unwrap(),
            before
        );
    }

    #[test]
    fn fix_refuses_a_manifest_with_uncommitted_changes() {
        let (_tmp, dir) = checkout("authors-name-email");
        edited(&dir);
        let before = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert_refused(
            &run(&dir, &["--fix"]),
            "dirty",
            "--allow-dirty",
            &dir,
            &before,
        );
        let output = run(&dir, &["--fix", "--allow-dirty"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("Fixed Cargo.toml"), "{stderr}");
        let after = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(
            after.ends_with("# work in progress\n"),
            "the user's edit is kept"
        );
        assert_ne!(after, before);
    }

    #[test]
    fn fix_refuses_a_staged_manifest_unless_allowed() {
        let (_tmp, dir) = checkout("authors-name-email");
        edited(&dir);
        common::git(&dir, &["add", "Cargo.toml"]);
        let before = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert_refused(
            &run(&dir, &["--fix"]),
            "staged",
            "--allow-staged",
            &dir,
            &before,
        );
        let output = run(&dir, &["--fix", "--allow-staged"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("Fixed Cargo.toml"), "{stderr}");
    }

    #[test]
    fn fix_refuses_a_package_outside_any_repository() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("authors");
        std::fs::create_dir_all(&dir).unwrap();
        write_files(&dir, &files(&case_dir("authors-name-email").join("in")));
        let before = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let output = run(&dir, &["--fix"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("no VCS found") && stderr.contains("--allow-no-vcs"),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("Cargo.toml")).unwrap(),
            before
        );
        let output = run(&dir, &["--fix", "--allow-no-vcs"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("Fixed Cargo.toml"), "{stderr}");
    }

    #[test]
    fn dry_run_needs_no_clean_tree() {
        let (_tmp, dir) = checkout("authors-name-email");
        edited(&dir);
        let output = run(&dir, &["--dry-run"]);
        assert!(String::from_utf8_lossy(&output.stdout).contains("+++"));
    }
}

/// Every entry under `dir` (`.git` included, so git's index counts too),
/// with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if meta.is_dir() {
                stack.push(path.clone());
                out.insert(rel, (Vec::new(), meta.modified().unwrap()));
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                out.insert(rel, (bytes, meta.modified().unwrap()));
            }
        }
    }
    out
}

/// "Writes only under `--fix`": a check in every format, `--dry-run`,
/// `--list`, `--print-config` and `--explain` leave the tree as it was, to
/// the byte and the modification time, `.git` included.
#[test]
fn nothing_but_fix_writes_to_the_checked_tree() {
    let (_tmp, dir) = checkout("authors-name-email");
    let before = snapshot(&dir);
    let runs: [&[&str]; 9] = [
        &[],
        &["--message-format", "json"],
        &["--message-format", "sarif"],
        &["--message-format", "github"],
        &["--message-format", "short"],
        &["--dry-run"],
        &["--list"],
        &["--print-config"],
        &["-v", "-D", "warnings"],
    ];
    for args in runs {
        let output = run(&dir, args);
        assert_ne!(output.status.code(), Some(2), "{args:?}: {output:?}");
        assert_eq!(snapshot(&dir), before, "{args:?} changed the tree");
    }
    // The same tree does change under --fix: the snapshot can see a write.
    let output = run(&dir, &["--fix"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("Fixed Cargo.toml"));
    assert_ne!(snapshot(&dir), before);
}

/// `--fix --message-format json` said nothing on stdout of what it fixed:
/// each fixed file is a `fixed` line before the report of what remains.
#[test]
fn fix_with_json_output_reports_what_was_fixed() {
    let (_tmp, dir) = checkout("authors-name-email");
    let output = run(&dir, &["--fix", "--message-format", "json"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(
        lines[0],
        serde_json::json!({"reason": "fixed", "path": "Cargo.toml", "fixes": 1}),
        "{stdout}"
    );
    assert_eq!(lines.last().unwrap()["reason"], "summary");
    assert!(
        !lines.iter().any(|l| l["rule"] == "author-email"),
        "the fixed finding is no longer reported: {stdout}"
    );
}
