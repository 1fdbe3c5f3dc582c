//! The pre-commit hook of `.pre-commit-hooks.yaml`, run by the real
//! `pre-commit` tool: in a throw-away git repository holding a tiny crate
//! with a planted leak, `pre-commit try-repo <this repository>
//! cargo-privacy-check --all-files` must fail and name the rule; with the
//! leak removed it must pass. `try-repo` builds the hook from this
//! repository's working tree (uncommitted changes to tracked files
//! included) with `cargo install`, as a user's `pre-commit` would.
//!
//! It needs `pre-commit` on the `PATH`, so it is `#[ignore]`d: a plain
//! `cargo test` lists it as ignored rather than counting a skip as a pass,
//! and `cargo test -- --include-ignored` runs it, failing if the tool is
//! missing. `.ci/run` installs `pre-commit` and runs the ignored tests.
//!
//! `cargo install` is slow: `CARGO_TARGET_DIR` points into this
//! repository's `target/pre-commit/` so later runs reuse the compiled
//! dependencies (try-repo's own environment store is temporary whatever
//! `PRE_COMMIT_HOME` says; that is set too, so nothing lands in the
//! user's home). Network: cargo may fetch crates from crates.io on a cold
//! run, as `cargo install` does; nothing else.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;

mod common;
use common::{git, root};

/// Prints past libtest's capture, so a skip is seen in a plain `cargo test`.
fn say(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn pre_commit_version() -> Option<String> {
    let output = Command::new("pre-commit").arg("--version").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn try_repo(repo: &Path) -> Output {
    let cache = root().join("target/pre-commit");
    let mut command = Command::new("pre-commit");
    command
        .current_dir(repo)
        .args(["try-repo"])
        .arg(root())
        .args(["cargo-privacy-check", "--all-files", "--color", "never"])
        .env("PRE_COMMIT_HOME", cache.join("home"))
        .env("CARGO_TARGET_DIR", cache.join("cargo-target"))
        // The hook's behaviour does not depend on optimisation, and an
        // unoptimised build of this crate takes a fraction of the time.
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("NO_COLOR", "1");
    // Set by a surrounding git hook, these would point git at another
    // repository.
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] {
        command.env_remove(var);
    }
    command.output().expect("run pre-commit")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
#[ignore = "needs `pre-commit` on the PATH; .ci/run installs it and runs ignored tests"]
fn pre_commit_hook_fails_on_a_leak_and_passes_without() {
    let version = pre_commit_version()
        .expect("`pre-commit` is not on the PATH (`pip install pre-commit`; .ci/run installs it)");

    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join("src")).unwrap();
    std::fs::write(
        repo.join("Cargo.toml"),
        "[package]\nname = \"tiny\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    // A password in a URL, assembled here so this file holds none.
    let password = ["Xk7pQ", "2mZr9", "vLw4T"].concat();
    let leaky = format!(
        "pub const REMOTE: &str = \"https://deploy:{password}@git.corp-internal.net/r.git\";\n"
    );
    std::fs::write(repo.join("src/lib.rs"), &leaky).unwrap();
    git(repo, &["init", "-q"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "tiny"]);

    let started = Instant::now();
    let output = try_repo(repo);
    let first = started.elapsed();
    let all = text(&output);
    assert!(
        !output.status.success(),
        "the leak must fail the hook:\n{all}"
    );
    assert!(all.contains("url-credentials"), "{all}");
    assert!(
        all.contains("Failed"),
        "pre-commit reports the hook failed:\n{all}"
    );
    assert!(
        !all.contains(&password),
        "the hook's output repeats the password"
    );

    std::fs::write(
        repo.join("src/lib.rs"),
        "pub const REMOTE: &str = \"https://git.corp-internal.net/r.git\";\n",
    )
    .unwrap();
    git(repo, &["commit", "-q", "-am", "no leak"]);
    let started = Instant::now();
    let output = try_repo(repo);
    let second = started.elapsed();
    let all = text(&output);
    assert!(output.status.success(), "a clean crate passes:\n{all}");
    assert!(all.contains("Passed"), "{all}");
    say(&format!(
        "pre-commit round trip ({version}): failing run {:.1}s, passing run {:.1}s",
        first.as_secs_f64(),
        second.as_secs_f64()
    ));
}
