//! End-to-end cases as data: a tree in, the output and exit status out.
//!
//! ```text
//! tests/cases/<area>/<case>/
//!     in/       the package or workspace the binary runs in
//!     cmd       its arguments, one a line: `cargo-privacy-check privacy-check ARGS`
//!     stdout    what it prints, redacted
//!     stderr
//!     status    its exit status
//! ```
//!
//! Each `in/` is copied to a temporary folder (walk mode: no git), its
//! placeholders expanded, and the binary run there with colour off; stdout,
//! stderr and the status are compared with the expected files.
//! `SNAPSHOTS=overwrite cargo test --test cases` rewrites all three; review
//! the diff. A case is named after what it holds, or after what broke.
//! Cases that need more than a tree stay Rust tests: `tests/config.rs`
//! (its input is read from the docs at test time) and `tests/baseline.rs`
//! (several runs sharing a baseline written with a random salt; a file read
//! back after a refused write).
//!
//! The input trees hold nothing that looks live: the repository checks
//! itself, and although cargo leaves each `in/` out of the crate (a nested
//! package), the expected files ship with it. Inputs use placeholders:
//! `{{at}}` is `@` (an address is `kim.lee{{at}}gmail.com`), `{{home}}` is
//! `/home`, `{{allow}}` is the allow-comment marker, `{{password}}` a
//! password for a URL's user-info; any other `{{…}}` is an error. The
//! expected output hides `[ELAPSED]` (timings), `[ROOT]` (this repository),
//! `[CASE]` (the temporary copy) and `[MARKER]` (the marker). Every address
//! planted with `{{at}}`, and the password, must be absent from both
//! streams, so a leak cannot be recorded as a case's expected output.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use snapbox::{Assert, Data};

mod common;

const MARKER: &str = concat!("privacy-check", ":allow");

/// What `{{password}}` stands for: a password in a URL, split so that no
/// literal here looks like one.
fn password() -> String {
    ["Xq7v", "R2pL", "m9Kd"].concat()
}

fn overwrite() -> bool {
    std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite")
}

/// Every case folder, sorted: `tests/cases/<area>/<case>`.
fn case_dirs() -> Vec<PathBuf> {
    let mut cases = Vec::new();
    for area in sorted_entries(&common::root().join("tests/cases")) {
        cases.extend(sorted_entries(&area));
    }
    cases
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    entries
}

/// `text` with its placeholders expanded; an unknown one is an error.
fn expand(text: &str) -> Result<String, String> {
    let out = text
        .replace("{{at}}", "@")
        .replace("{{home}}", "/home")
        .replace("{{allow}}", MARKER)
        .replace("{{password}}", &password());
    match out.find("{{") {
        Some(at) => Err(format!(
            "unknown placeholder at `{}`",
            &out[at..out.len().min(at + 20)]
        )),
        None => Ok(out),
    }
}

/// The values `text` plants, expanded and lowercased: each address written
/// with `{{at}}`, and the password.
fn planted_values(text: &str) -> Vec<String> {
    let address = regex::Regex::new(r"[A-Za-z0-9._+-]+\{\{at\}\}[A-Za-z0-9.-]+").expect("a regex");
    let mut planted: Vec<String> = address
        .find_iter(text)
        .map(|m| m.as_str().replace("{{at}}", "@").to_lowercase())
        .collect();
    if text.contains("{{password}}") {
        planted.push(password().to_lowercase());
    }
    planted
}

/// Copies `from` into `to`, expanding the placeholders of text files;
/// returns the planted addresses.
fn copy_input(from: &Path, to: &Path) -> Result<Vec<String>, String> {
    let mut planted = Vec::new();
    for entry in sorted_entries(from) {
        let target = to.join(entry.file_name().expect("a file name"));
        if entry.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| e.to_string())?;
            planted.extend(copy_input(&entry, &target)?);
            continue;
        }
        let bytes = std::fs::read(&entry).map_err(|e| e.to_string())?;
        let bytes = match String::from_utf8(bytes) {
            Ok(text) => {
                planted.extend(planted_values(&text));
                expand(&text)
                    .map_err(|e| format!("{}: {e}", entry.display()))?
                    .into_bytes()
            }
            Err(e) => e.into_bytes(),
        };
        std::fs::write(&target, bytes).map_err(|e| e.to_string())?;
    }
    Ok(planted)
}

/// Runs one case; the differences found, or `Ok`.
fn run_case(case: &Path) -> Result<(), String> {
    let input = case.join("in");
    if !input.join("Cargo.toml").is_file() {
        return Err("no `in/Cargo.toml`".to_owned());
    }
    let cmd = std::fs::read_to_string(case.join("cmd")).map_err(|e| format!("`cmd`: {e}"))?;
    let args: Vec<&str> = cmd.lines().filter(|l| !l.is_empty()).collect();

    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let copy = dir.path().canonicalize().map_err(|e| e.to_string())?;
    let planted = copy_input(&input, &copy)?;

    let output = Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .arg("privacy-check")
        .args(&args)
        .current_dir(&copy)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .map_err(|e| format!("run the binary: {e}"))?;
    let status = output
        .status
        .code()
        .ok_or("killed by a signal")?
        .to_string();
    let stdout = String::from_utf8(output.stdout).map_err(|_| "stdout is not UTF-8")?;
    let stderr = String::from_utf8(output.stderr).map_err(|_| "stderr is not UTF-8")?;

    let mut problems = Vec::new();
    for value in &planted {
        for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            if text.to_lowercase().contains(value.as_str()) {
                problems.push(format!("{name} repeats the planted value `{value}`"));
            }
        }
    }

    let mut redactions = common::redactions();
    redactions
        .insert("[CASE]", copy.clone())
        .map_err(|e| e.to_string())?;
    redactions
        .insert("[MARKER]", MARKER)
        .map_err(|e| e.to_string())?;
    let assert = Assert::new()
        .action_env("SNAPSHOTS")
        .redact_with(redactions);
    for (name, actual) in [("stdout", stdout), ("stderr", stderr)] {
        let expected = Data::read_from(&case.join(name), None);
        if let Err(e) = assert.try_eq(Some(&name), Data::text(actual), expected) {
            problems.push(e.to_string());
        }
    }

    let status_file = case.join("status");
    let expected = std::fs::read_to_string(&status_file).unwrap_or_default();
    if expected.trim() != status {
        if overwrite() {
            std::fs::write(&status_file, format!("{status}\n")).map_err(|e| e.to_string())?;
        } else {
            problems.push(format!(
                "exit status {status}, expected {:?} (`status`); update with SNAPSHOTS=overwrite",
                expected.trim()
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn every_case_gives_its_expected_output_and_status() {
    let cases = case_dirs();
    assert!(!cases.is_empty(), "no case under tests/cases");
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Err(problem) = run_case(case) {
                        let name = case.strip_prefix(common::root()).unwrap_or(case);
                        failures
                            .lock()
                            .expect("no panic while locked")
                            .push(format!("{}:\n{problem}", name.display()));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().expect("no panic while locked");
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn each_case_folder_holds_an_input_a_command_and_nothing_unknown() {
    // A missing expected file fails the run (and is written by
    // `SNAPSHOTS=overwrite`); a misspelt one would be ignored.
    for case in case_dirs() {
        let names: Vec<String> = sorted_entries(&case)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        for name in &names {
            assert!(
                ["cmd", "in", "status", "stderr", "stdout"].contains(&name.as_str()),
                "{}: unknown `{name}`",
                case.display()
            );
        }
        assert!(case.join("in").is_dir(), "{}: no `in/`", case.display());
        assert!(case.join("cmd").is_file(), "{}: no `cmd`", case.display());
    }
}

#[test]
fn placeholders_expand_and_an_unknown_one_is_an_error() {
    assert_eq!(
        expand("ann{{at}}example.com {{home}}/ann {{allow}}(x) u:{{password}}@h").unwrap(),
        format!("ann@example.com /home/ann {MARKER}(x) u:{}@h", password())
    );
    assert!(expand("{{github-token}}")
        .unwrap_err()
        .contains("{{github-token}}"));
    assert_eq!(
        planted_values("a Kim.Lee{{at}}example.com, b{{at}}example.org, u:{{password}}@h"),
        [
            "kim.lee@example.com".to_owned(),
            "b@example.org".to_owned(),
            password().to_lowercase()
        ]
    );
}
