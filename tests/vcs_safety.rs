//! Nothing a repository configures is ever run (issue 9, section 1), and
//! the `GIT_*` environment changes nothing cargo would not change.
//!
//! Each trap test builds a repository whose config points every hook,
//! filter, monitor and helper git knows at a script that writes a marker
//! file, then runs the real binary (`--list` and a plain check) and
//! [`vcs::file_state`] over it. The marker folder must stay empty, and the
//! expected files must be listed, so a tool that listed nothing would fail
//! too. A last step runs git itself to prove the trap was armed.
//!
//! The end of the file tests [`vcs::file_state`], the API `--fix` uses to
//! refuse editing files with uncommitted changes.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use cargo_privacy_check::vcs::{self, FileState};
use tempfile::TempDir;

/// Every configuration key that names a program git may run.
const TRAPS: &[(&str, &str)] = &[
    ("core.fsmonitor", "fsmonitor"),
    ("filter.trap.clean", "filter-clean"),
    ("filter.trap.smudge", "filter-smudge"),
    ("filter.trap.process", "filter-process"),
    ("diff.external", "diff-external"),
    ("diff.trap.textconv", "diff-textconv"),
    ("diff.trap.command", "diff-command"),
    ("core.sshCommand", "ssh"),
    ("core.askPass", "askpass"),
    ("credential.helper", "credential"),
    ("core.gitProxy", "git-proxy"),
    ("core.pager", "pager"),
    ("core.editor", "editor"),
    ("gpg.program", "gpg"),
];

/// Hooks written into `core.hooksPath`.
const HOOKS: &[&str] = &[
    "pre-commit",
    "post-checkout",
    "post-index-change",
    "reference-transaction",
    "pre-auto-gc",
    "post-merge",
    "fsmonitor-watchman",
];

struct Armed {
    tmp: TempDir,
}

impl Armed {
    fn repo(&self) -> PathBuf {
        self.tmp.path().join("repo")
    }

    fn markers(&self) -> PathBuf {
        self.tmp.path().join("markers")
    }

    /// The names of the traps that fired.
    fn fired(&self) -> Vec<String> {
        let mut fired: Vec<String> = std::fs::read_dir(self.markers())
            .expect("read markers")
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        fired.sort();
        fired
    }

    #[track_caller]
    fn assert_nothing_fired(&self, after: &str) {
        assert_eq!(self.fired(), Vec::<String>::new(), "fired during {after}");
    }
}

/// A package in a git repository whose every configured program is a trap.
/// `data.txt` and `same.txt` are tracked with `filter=trap diff=trap`;
/// `data.txt` is then modified, `same.txt` only touched (so git must run the
/// clean filter to compare it); `notes.txt` is untracked, `debug.log`
/// ignored.
fn armed() -> Armed {
    let tmp = tempfile::Builder::new()
        .prefix("vcs-safety-")
        .tempdir()
        .expect("temp dir");
    let armed = Armed { tmp };
    let repo = armed.repo();
    let bin = armed.tmp.path().join("bin");
    std::fs::create_dir_all(bin.join("hooks")).unwrap();
    std::fs::create_dir_all(armed.markers()).unwrap();

    common::write(
        &repo,
        "Cargo.toml",
        "[package]\nname = \"armed\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    common::write(&repo, "src/lib.rs", "pub fn f() {}\n");
    common::write(&repo, "data.txt", "one\n");
    common::write(&repo, "same.txt", "same\n");
    common::write(
        &repo,
        ".gitattributes",
        "*.txt filter=trap diff=trap\n*.rs diff=trap\n",
    );
    common::write(&repo, ".gitignore", "*.log\n");
    common::git(&repo, &["init", "-q"]);
    common::git(&repo, &["add", "-A"]);
    common::git(&repo, &["commit", "-q", "-m", "fixture"]);
    common::write(&repo, "data.txt", "two, and longer\n");
    common::write(&repo, "notes.txt", "untracked\n");
    common::write(&repo, "debug.log", "ignored\n");
    let same = std::fs::File::options()
        .write(true)
        .open(repo.join("same.txt"))
        .unwrap();
    same.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();

    // Armed last, so building the fixture fires nothing.
    let script = |name: &str| -> PathBuf {
        let path = if HOOKS.contains(&name) {
            bin.join("hooks").join(name)
        } else {
            bin.join(name)
        };
        let marker = armed.markers().join(name);
        // `cat` passes data through, so a filter still "works".
        std::fs::write(
            &path,
            format!("#!/bin/sh\necho \"$@\" >> '{}'\ncat\n", marker.display()),
        )
        .unwrap();
        make_executable(&path);
        path
    };
    for (key, name) in TRAPS {
        let path = script(name);
        common::git(&repo, &["config", key, path.to_str().unwrap()]);
    }
    for hook in HOOKS {
        script(hook);
    }
    common::git(
        &repo,
        &[
            "config",
            "core.hooksPath",
            bin.join("hooks").to_str().unwrap(),
        ],
    );
    armed.assert_nothing_fired("the fixture's set-up");
    armed
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn run_binary(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"));
    command
        .arg("privacy-check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("run cargo-privacy-check");
    (
        output.status.code().expect("an exit status"),
        String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    )
}

/// What the armed package ships: git mode (dot-files listed, VCS info),
/// untracked files in, ignored ones out.
const ARMED_LIST: &[&str] = &[
    ".cargo_vcs_info.json",
    ".gitattributes",
    ".gitignore",
    "Cargo.lock",
    "Cargo.toml",
    "Cargo.toml.orig",
    "data.txt",
    "notes.txt",
    "same.txt",
    "src/lib.rs",
];

/// Runs everything this tool does with git over the armed repository and
/// checks the answers.
fn exercise(armed: &Armed) {
    let repo = armed.repo();
    let (code, stdout, stderr) = run_binary(&repo, &["--list"], &[]);
    assert_eq!(code, 0, "--list failed: {stderr}");
    assert_eq!(stdout.lines().collect::<Vec<_>>(), ARMED_LIST);
    armed.assert_nothing_fired("--list");

    let (code, _, stderr) = run_binary(&repo, &[], &[]);
    assert_eq!(code, 0, "the check failed: {stderr}");
    assert!(
        stderr.contains("Checking armed v0.1.0"),
        "the check did not run: {stderr}"
    );
    armed.assert_nothing_fired("a check");

    let state = |rel: &str| vcs::file_state(&repo.join(rel)).expect("file state");
    assert_eq!(state("src/lib.rs"), FileState::Clean);
    // A filter driver is never run: raw content that equals the index is
    // clean, anything else is modified.
    assert_eq!(state("same.txt"), FileState::Clean);
    assert_eq!(state("data.txt"), FileState::Modified);
    assert_eq!(state("notes.txt"), FileState::Untracked);
    assert_eq!(state("debug.log"), FileState::Ignored);
    armed.assert_nothing_fired("vcs::file_state");
}

#[test]
fn nothing_configured_runs_in_a_same_owner_repository() {
    let armed = armed();
    exercise(&armed);

    // The trap is armed: plain git runs the monitor, the filter (its
    // `process` form, which git prefers over `clean`) and a hook.
    let output = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(armed.repo())
        .output()
        .unwrap();
    assert!(output.status.success());
    let fired = armed.fired();
    assert!(
        ["fsmonitor", "filter-process", "post-index-change"]
            .iter()
            .all(|trap| fired.contains(&(*trap).to_owned())),
        "git status should have fired the traps: {fired:?}"
    );
}

#[test]
fn nothing_configured_runs_in_another_users_repository() {
    let armed = armed();
    common::chown_tree(&armed.repo(), common::OTHER_UID);
    exercise(&armed);

    // Plain git refuses the repository ("dubious ownership")...
    let output = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(armed.repo())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("dubious ownership"));
    armed.assert_nothing_fired("a refused git status");
    // ...and `-c safe.directory=*`, as this tool once ran git, fires the
    // monitor as whoever runs the check.
    let output = Command::new("git")
        .args(["-c", "safe.directory=*", "status", "--porcelain"])
        .current_dir(armed.repo())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        armed.fired().contains(&"fsmonitor".to_owned()),
        "git -c safe.directory=* status should have fired the monitor: {:?}",
        armed.fired()
    );
}

/// `GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE` and friends (set, for
/// instance, inside a git hook) change nothing for cargo 1.95, which
/// discovers the repository from the package folder; nor for us.
#[test]
fn git_environment_variables_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let other = tmp.path().join("other");
    common::write(
        &repo,
        "Cargo.toml",
        "[package]\nname = \"envpkg\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    common::write(&repo, "src/lib.rs", "pub fn f() {}\n");
    common::write(&repo, ".gitignore", "*.log\n");
    common::write(&repo, "forced.log", "x\n");
    common::write(&other, "unrelated.txt", "x\n");
    common::git(&other, &["init", "-q"]);
    common::git(&other, &["add", "-A"]);
    common::git(&other, &["commit", "-q", "-m", "other"]);
    common::git(&repo, &["init", "-q"]);
    common::git(&repo, &["add", "-A"]);
    common::git(&repo, &["add", "-f", "forced.log"]);
    common::git(&repo, &["commit", "-q", "-m", "fixture"]);
    // An index in which `forced.log` is not tracked.
    let alt_index = tmp.path().join("alt-index");
    std::fs::copy(repo.join(".git/index"), &alt_index).unwrap();
    let output = Command::new("git")
        .args(["rm", "-q", "--cached", "forced.log"])
        .env("GIT_INDEX_FILE", &alt_index)
        .current_dir(&repo)
        .output()
        .unwrap();
    assert!(output.status.success());
    common::write(&repo, "untracked.txt", "x\n");

    let (code, plain, stderr) = run_binary(&repo, &["--list"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(plain.contains("forced.log\n") && plain.contains("untracked.txt\n"));
    assert!(plain.contains(".cargo_vcs_info.json\n"));

    let target = tmp.path().join("target");
    let cases: &[&[(&str, &Path)]] = &[
        &[("GIT_DIR", &other.join(".git"))],
        &[("GIT_WORK_TREE", &other)],
        &[("GIT_INDEX_FILE", &alt_index)],
        &[("GIT_COMMON_DIR", &other.join(".git"))],
        &[("GIT_OBJECT_DIRECTORY", &other.join(".git/objects"))],
        &[("GIT_CEILING_DIRECTORIES", tmp.path())],
        &[
            ("GIT_DIR", &other.join(".git")),
            ("GIT_WORK_TREE", &other),
            ("GIT_INDEX_FILE", &alt_index),
        ],
    ];
    let cargo_list = |env: &[(&str, &Path)]| -> String {
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["package", "--list", "--allow-dirty", "--offline"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&repo);
        for (key, value) in env {
            cargo.env(key, value);
        }
        let cargo = cargo.output().unwrap();
        assert!(
            cargo.status.success(),
            "{env:?}: {}",
            String::from_utf8_lossy(&cargo.stderr)
        );
        String::from_utf8(cargo.stdout).unwrap()
    };
    for env in cases {
        let (code, ours, stderr) = run_binary(&repo, &["--list"], env);
        assert_eq!(code, 0, "{env:?}: {stderr}");
        assert_eq!(ours, cargo_list(env), "{env:?}");
        assert_eq!(ours, plain, "{env:?}");
    }
    // Configuration given by `GIT_CONFIG_COUNT` is read, by cargo and by us.
    let excludes = tmp.path().join("env-excludes");
    std::fs::write(&excludes, "untracked.txt\n").unwrap();
    let env: &[(&str, &Path)] = &[
        ("GIT_CONFIG_COUNT", Path::new("1")),
        ("GIT_CONFIG_KEY_0", Path::new("core.excludesFile")),
        ("GIT_CONFIG_VALUE_0", &excludes),
    ];
    let (code, ours, stderr) = run_binary(&repo, &["--list"], env);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ours, cargo_list(env));
    assert!(!ours.contains("untracked.txt") && ours.contains("forced.log"));
    // Cargo 1.95 fails outright under `GIT_NAMESPACE` ("The reference
    // 'HEAD' did not exist"); we ignore it.
    let (code, ours, stderr) = run_binary(&repo, &["--list"], &[("GIT_NAMESPACE", &other)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ours, plain);
}

// `vcs::file_state`: what `--fix` asks before editing a file.

struct StateRepo {
    tmp: TempDir,
}

impl StateRepo {
    /// A repository with `a.txt`, `b.txt` and `run.sh` committed.
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let this = Self { tmp };
        let root = this.root();
        common::write(&root, "a.txt", "alpha\n");
        common::write(&root, "b.txt", "bravo\n");
        common::write(&root, "run.sh", "#!/bin/sh\n");
        common::write(&root, ".gitignore", "*.log\n");
        common::git(&root, &["init", "-q"]);
        common::git(&root, &["add", "-A"]);
        common::git(&root, &["commit", "-q", "-m", "fixture"]);
        this
    }

    fn root(&self) -> PathBuf {
        self.tmp.path().join("repo")
    }

    fn state(&self, rel: &str) -> FileState {
        vcs::file_state(&self.root().join(rel)).expect("file state")
    }
}

#[test]
fn file_state_outside_any_repository_is_no_vcs() {
    let tmp = tempfile::tempdir().unwrap();
    common::write(tmp.path(), "loose.txt", "x\n");
    assert_eq!(
        vcs::file_state(&tmp.path().join("loose.txt")).unwrap(),
        FileState::NoVcs
    );
}

#[test]
fn file_state_clean_untracked_ignored_staged() {
    let r = StateRepo::new();
    common::write(&r.root(), "new.txt", "x\n");
    common::write(&r.root(), "out.log", "x\n");
    common::write(&r.root(), "b.txt", "bravo, staged\n");
    common::git(&r.root(), &["add", "b.txt"]);
    assert_eq!(r.state("a.txt"), FileState::Clean);
    assert_eq!(r.state("new.txt"), FileState::Untracked);
    assert_eq!(r.state("out.log"), FileState::Ignored);
    assert_eq!(r.state("b.txt"), FileState::Staged);
    // Modified again after staging: the work tree wins.
    common::write(&r.root(), "b.txt", "bravo, edited after staging\n");
    assert_eq!(r.state("b.txt"), FileState::Modified);
    // A file added and never committed is staged.
    common::git(&r.root(), &["add", "new.txt"]);
    assert_eq!(r.state("new.txt"), FileState::Staged);
}

/// Same size, same modification time, other bytes: only a content
/// comparison sees it (git itself would trust the timestamps here).
#[test]
fn file_state_compares_content_not_timestamps() {
    let r = StateRepo::new();
    let path = r.root().join("a.txt");
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, "ALPHA\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(before)
        .unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
    assert_eq!(r.state("a.txt"), FileState::Modified);
    std::fs::write(&path, "alpha\n").unwrap();
    assert_eq!(r.state("a.txt"), FileState::Clean);
}

#[test]
fn file_state_sees_executable_bit_and_deletion() {
    let r = StateRepo::new();
    make_executable(&r.root().join("run.sh"));
    assert_eq!(r.state("run.sh"), FileState::Modified);
    std::fs::remove_file(r.root().join("a.txt")).unwrap();
    assert_eq!(r.state("a.txt"), FileState::Modified);
}

/// `core.autocrlf = true`: a CRLF checkout of an LF blob is what git stores
/// after conversion, hence clean (as `git status` says).
#[test]
fn file_state_applies_builtin_line_ending_conversion() {
    let r = StateRepo::new();
    common::git(&r.root(), &["config", "core.autocrlf", "true"]);
    std::fs::write(r.root().join("a.txt"), "alpha\r\n").unwrap();
    assert_eq!(r.state("a.txt"), FileState::Clean);
    std::fs::write(r.root().join("a.txt"), "alpha!\r\n").unwrap();
    assert_eq!(r.state("a.txt"), FileState::Modified);
}

#[test]
fn file_state_in_a_repository_without_commits_is_staged() {
    let tmp = tempfile::tempdir().unwrap();
    common::write(tmp.path(), "first.txt", "x\n");
    common::git(tmp.path(), &["init", "-q"]);
    common::git(tmp.path(), &["add", "first.txt"]);
    assert_eq!(
        vcs::file_state(&tmp.path().join("first.txt")).unwrap(),
        FileState::Staged
    );
}

#[test]
fn file_state_inside_a_submodule_answers_for_the_submodule() {
    let tmp = tempfile::tempdir().unwrap();
    let up = tmp.path().join("up");
    let top = tmp.path().join("top");
    common::write(&up, "lib.c", "int x;\n");
    common::git(&up, &["init", "-q"]);
    common::git(&up, &["add", "-A"]);
    common::git(&up, &["commit", "-q", "-m", "up"]);
    common::write(&top, "README", "x\n");
    common::git(&top, &["init", "-q"]);
    common::git(&top, &["submodule", "add", "-q", "../up", "sub"]);
    common::git(&top, &["commit", "-q", "-m", "top"]);
    let lib = top.join("sub/lib.c");
    assert_eq!(vcs::file_state(&lib).unwrap(), FileState::Clean);
    std::fs::write(&lib, "int y;\n").unwrap();
    assert_eq!(vcs::file_state(&lib).unwrap(), FileState::Modified);
}
