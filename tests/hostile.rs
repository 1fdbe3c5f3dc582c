//! Hostile and odd input on disk (issue 10): special files where a package
//! ships files, endless or oversized files where the tool reads its own
//! inputs, and workspaces where one package cannot be listed. Each test is
//! named after what broke, builds its input here, and runs the binary under
//! a timeout: a regression fails in seconds instead of hanging the suite.
#![cfg(unix)]

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{email, git, write};

/// How long a run may take before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Runs the binary in `dir` with `args`, colour off, stdin an open pipe
/// nobody writes to (what a hang on `/dev/stdin` would wait on); killed
/// and failed after [`TIMEOUT`]. Exit status, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cargo-privacy-check");
    let _stdin = child.stdin.take();
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let mut bytes = Vec::new();
            r.read_to_end(&mut bytes).unwrap();
            s.push_str(&String::from_utf8_lossy(&bytes));
            s
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("`{}` hung: killed after {TIMEOUT:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status.code().expect("an exit status"),
        stdout.join().unwrap(),
        stderr.join().unwrap(),
    )
}

/// [`run`] with `--message-format json`: status, parsed lines, stderr.
fn run_json(dir: &Path, args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let mut args = args.to_vec();
    args.extend(["--message-format", "json"]);
    let (code, stdout, stderr) = run(dir, &args);
    (code, common::json_lines(&stdout), stderr)
}

fn summary(lines: &[serde_json::Value]) -> &serde_json::Value {
    lines
        .last()
        .filter(|l| l["reason"] == "summary")
        .expect("a summary")
}

/// (rule, path) of each finding.
fn findings(lines: &[serde_json::Value]) -> Vec<Vec<String>> {
    common::findings(lines, &["rule", "path"])
}

/// (path, why) of each file not scanned, from the summary.
fn not_scanned(lines: &[serde_json::Value]) -> Vec<(String, String)> {
    summary(lines)["not_scanned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["path"].as_str().unwrap().to_owned(),
                n["why"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

/// A git repository holding package `demo` with an address in `src/lib.rs`
/// and, tracked, `data/link.txt`: a symlink to `target`.
fn package_with_link(dir: &Path, target: &Path) {
    write(
        dir,
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(dir, "src/lib.rs", &format!("// {}\n", email("jane.doe")));
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::os::unix::fs::symlink(target, dir.join("data/link.txt")).unwrap();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "init"]);
}

#[test]
fn a_tracked_symlink_to_a_fifo_blocked_forever_in_open() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let fifo = outside.path().join("pipe");
    mkfifo(&fifo);
    package_with_link(dir.path(), &fifo);
    let (code, lines, stderr) = run_json(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    // The rest is still checked...
    assert_eq!(findings(&lines), [["email-address", "src/lib.rs"]]);
    // ...and the link is a counted warning, with its reason.
    assert_eq!(
        not_scanned(&lines),
        [(
            "data/link.txt".to_owned(),
            "not a regular file (a FIFO)".to_owned()
        )]
    );
    // The link (the address is a note).
    assert_eq!(summary(&lines)["warnings"], 1);
    assert_eq!(summary(&lines)["notes"], 1);
}

#[test]
fn a_tracked_symlink_to_dev_stdin_blocked_until_the_pipe_closed() {
    let dir = tempfile::tempdir().unwrap();
    package_with_link(dir.path(), Path::new("/dev/stdin"));
    let (_, stdout, stderr) = run(dir.path(), &[]);
    assert!(stdout.is_empty());
    // stdin is a pipe here, which nobody closes.
    assert!(
        stderr.contains("warning: `data/link.txt` was not scanned: not a regular file (a FIFO)"),
        "{stderr}"
    );
}

#[test]
fn a_file_not_scanned_was_not_counted_as_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    package_with_link(dir.path(), Path::new("/dev/null"));
    let (code, _, stderr) = run(dir.path(), &["-A", "email-address"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "warning: `data/link.txt` was not scanned: not a regular file (a character device)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: `demo` generated 1 warning"),
        "{stderr}"
    );
    // Under `-D warnings` it fails the check, as an error.
    let (code, lines, stderr) = run_json(dir.path(), &["-A", "email-address", "-D", "warnings"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(summary(&lines)["errors"], 1);
    assert_eq!(summary(&lines)["success"], false);
}

#[test]
fn crate_fifo_then_a_good_archive_hung_and_the_good_one_was_never_reported() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("pipe.crate"));
    // A good archive, made by `cargo package` from a small package.
    let source = dir.path().join("src-pkg");
    write(
        &source,
        "Cargo.toml",
        "[package]\nname = \"good\"\nversion = \"0.1.0\"\nedition = \"2021\"\ndescription = \"d\"\nlicense = \"MIT\"\n",
    );
    write(
        &source,
        "src/lib.rs",
        &format!("// {}\n", email("raj.patel")),
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target = dir.path().join("target");
    let output = Command::new(cargo)
        .current_dir(&source)
        .args([
            "package",
            "--allow-dirty",
            "--no-verify",
            "--offline",
            "--quiet",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    std::fs::rename(
        target.join("package/good-0.1.0.crate"),
        dir.path().join("good-0.1.0.crate"),
    )
    .unwrap();
    let (code, lines, stderr) =
        run_json(dir.path(), &["--crate", "pipe.crate", "good-0.1.0.crate"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "error: cannot check `pipe.crate`: cannot read it: it is a FIFO, not a regular file"
        ),
        "{stderr}"
    );
    assert_eq!(
        findings(&lines),
        [["email-address", "good-0.1.0/src/lib.rs"]]
    );
}

#[test]
fn baseline_dev_zero_was_read_until_the_machine_ran_out_of_memory() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(dir.path(), "src/lib.rs", "");
    let (code, _, stderr) = run(dir.path(), &["--baseline", "/dev/zero"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "error: failed to read baseline `/dev/zero`: it is a character device, not a regular file"
        ),
        "{stderr}"
    );
    // A regular file over the limit is refused by its size, unread.
    let big = std::fs::File::create(dir.path().join("big.toml")).unwrap();
    big.set_len(65 << 20).unwrap();
    let (code, _, stderr) = run(dir.path(), &["--baseline", "big.toml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "error: failed to read baseline `big.toml`: it is larger than the 64 MiB limit"
        ),
        "{stderr}"
    );
}

#[test]
fn privacy_check_toml_from_proc_was_read_for_gigabytes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(dir.path(), "src/lib.rs", "");
    // States 0 bytes, holds gigabytes: the limit holds while reading.
    std::os::unix::fs::symlink("/proc/self/pagemap", dir.path().join("privacy-check.toml"))
        .unwrap();
    let (code, _, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("privacy-check.toml`: it is larger than the 10 MiB limit"),
        "{stderr}"
    );
    // A FIFO by that name is an error too, not "no configuration".
    std::fs::remove_file(dir.path().join("privacy-check.toml")).unwrap();
    mkfifo(&dir.path().join("privacy-check.toml"));
    let (code, _, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("privacy-check.toml`: it is a FIFO, not a regular file"),
        "{stderr}"
    );
}

#[test]
fn one_member_with_a_missing_readme_aborted_the_whole_workspace() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Cargo.toml",
        "[workspace]\nmembers = [\"a\", \"b\"]\nresolver = \"2\"\n",
    );
    write(
        dir.path(),
        "a/Cargo.toml",
        "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\nreadme = \"MISSING.md\"\n",
    );
    write(dir.path(), "a/src/lib.rs", "");
    write(
        dir.path(),
        "b/Cargo.toml",
        "[package]\nname = \"b\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(
        dir.path(),
        "b/src/lib.rs",
        &format!("// {}\n", email("amy.lee")),
    );
    let (code, lines, stderr) = run_json(dir.path(), &["--workspace"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error: failed to list the files of package `a`:"),
        "{stderr}"
    );
    assert!(stderr.contains("MISSING.md"), "{stderr}");
    // `b` is still checked and reported.
    assert_eq!(findings(&lines), [["email-address", "b/src/lib.rs"]]);
    assert_eq!(summary(&lines)["success"], false);
    // In human output too, `a`'s error after `b`'s report.
    let (code, _, stderr) = run(dir.path(), &["--workspace"]);
    assert_eq!(code, 2);
    let b = stderr.find("b/src/lib.rs").expect("b's finding");
    let a = stderr.find("package `a`").expect("a's error");
    assert!(b < a, "{stderr}");
}

#[test]
fn a_failed_crate_run_printed_a_successful_sarif_log() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.crate", "not gzip");
    let (code, stdout, _) = run(
        dir.path(),
        &["--crate", "bad.crate", "--message-format", "sarif"],
    );
    assert_eq!(code, 2);
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(
        notification["message"]["text"],
        "cannot check `bad.crate`: not a .crate archive: it is not gzip-compressed"
    );
    // GitHub: an error annotation, and the summary counts it.
    let (code, stdout, _) = run(
        dir.path(),
        &["--crate", "bad.crate", "--message-format", "github"],
    );
    assert_eq!(code, 2);
    assert!(
        stdout.contains(
            "::error::cannot check `bad.crate`: not a .crate archive: it is not gzip-compressed\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("cargo privacy-check: 1 error,"), "{stdout}");
}

#[test]
fn a_deeply_dotted_header_said_only_failed_to_parse_manifest() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(dir.path(), "src/lib.rs", "");
    let key = vec!["a"; 5000].join(".");
    write(dir.path(), "privacy-check.toml", &format!("{key} = 1\n"));
    let (code, _, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("privacy-check.toml"), "{stderr}");
    assert!(stderr.contains("nest"), "{stderr}");
}
