//! Helpers shared by the integration tests.

// Each test crate compiles this module and uses some of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
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

/// The repository root (where the fixtures are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary in `dir` with `args` and `--message-format FORMAT`,
/// colour off: exit status, stdout, stderr.
pub fn run(dir: &Path, args: &[&str], format: &str) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .args(args)
        .args(["--message-format", format])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run cargo-privacy-check");
    (
        output.status.code().expect("an exit status"),
        String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    )
}

/// Runs with `--message-format json`: exit status and the parsed lines.
pub fn json(dir: &Path, args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let (code, lines, _) = run_json(dir, args);
    (code, lines)
}

/// Runs with `--message-format json`: exit status, the parsed lines and
/// stderr.
pub fn run_json(dir: &Path, args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let (code, stdout, stderr) = run(dir, args, "json");
    (code, json_lines(&stdout), stderr)
}

/// Each line of `stdout` parsed as JSON.
pub fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

/// The binary under snapbox, run in `dir` with colour off and the
/// environment that could change its output removed; elapsed times and the
/// repository root are redacted (`[ELAPSED]`, `[ROOT]`), and
/// `SNAPSHOTS=overwrite` refreshes the snapshots.
pub fn snap(dir: &Path) -> snapbox::cmd::Command {
    snapbox::cmd::Command::new(snapbox::cmd::cargo_bin!("cargo-privacy-check"))
        .current_dir(dir)
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .with_assert(
            snapbox::Assert::new()
                .action_env("SNAPSHOTS")
                .redact_with(redactions()),
        )
}

/// What every snapshot hides: elapsed times (`[ELAPSED]`) and the
/// repository root (`[ROOT]`).
pub fn redactions() -> snapbox::Redactions {
    let mut redactions = snapbox::Redactions::new();
    redactions
        .insert(
            "[ELAPSED]",
            regex::Regex::new(r"in (?<redacted>\d+\.\d+s)").expect("a regex"),
        )
        .expect("a redaction");
    redactions.insert("[ROOT]", root()).expect("a redaction");
    redactions
}

/// `cargo package --list --allow-dirty --offline` for `manifest` (package
/// `package` of its workspace, when given), building nothing outside
/// `target_dir`: the list the native listing must equal.
pub fn cargo_package_list(
    manifest: &Path,
    package: Option<&str>,
    target_dir: &Path,
) -> Vec<String> {
    match try_cargo_package_list(manifest, package, target_dir) {
        Ok(list) => list,
        Err(stderr) => panic!("cargo package --list failed: {stderr}"),
    }
}

/// [`cargo_package_list`], with cargo's stderr when it fails.
pub fn try_cargo_package_list(
    manifest: &Path,
    package: Option<&str>,
    target_dir: &Path,
) -> Result<Vec<String>, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(manifest.parent().expect("a manifest in a folder"))
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--offline",
            "--manifest-path",
        ])
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target_dir);
    if let Some(package) = package {
        command.args(["-p", package]);
    }
    let output = command.output().expect("run cargo package");
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    Ok(String::from_utf8(output.stdout)
        .expect("UTF-8 list")
        .lines()
        .map(str::to_owned)
        .collect())
}

/// The uid tests give a repository to make it "owned by another user". The
/// suite runs as root in CI, which is what `chown` needs.
pub const OTHER_UID: u32 = 12345;

/// Whether this process runs as root: the owner of a file it just created.
#[cfg(unix)]
pub fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::NamedTempFile::new().expect("create a probe file");
    probe.as_file().metadata().expect("probe metadata").uid() == 0
}

/// Gives `path` and everything below it (symlinks themselves, not their
/// targets) to `uid`. Fails loudly when not root: a test that needs another
/// owner must not pass without one.
#[cfg(unix)]
pub fn chown_tree(path: &Path, uid: u32) {
    assert!(
        is_root(),
        "this test needs root to give a repository to uid {uid} (CI runs the suite as root); \
         it cannot check a repository owned by another user otherwise"
    );
    let mut stack = vec![path.to_path_buf()];
    while let Some(path) = stack.pop() {
        std::os::unix::fs::lchown(&path, Some(uid), Some(uid)).expect("chown");
        let meta = std::fs::symlink_metadata(&path).expect("metadata");
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path).expect("read dir") {
                stack.push(entry.expect("dir entry").path());
            }
        }
    }
}

/// Writes `bytes` to `dir/path`, creating folders.
pub fn write_bytes(dir: &Path, path: &str, bytes: &[u8]) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The lines of a `--message-format json` run with this `reason`, each
/// projected on `keys` as text (a string as is, a number printed, null or
/// missing as `-`): a list a test compares with `[["rule", "path"], …]`.
pub fn fields(lines: &[serde_json::Value], reason: &str, keys: &[&str]) -> Vec<Vec<String>> {
    lines
        .iter()
        .filter(|l| l["reason"] == reason)
        .map(|l| {
            keys.iter()
                .map(|key| match &l[*key] {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => "-".to_owned(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// [`fields`] of the `finding` lines.
pub fn findings(lines: &[serde_json::Value], keys: &[&str]) -> Vec<Vec<String>> {
    fields(lines, "finding", keys)
}

/// The `finding` lines of a `--message-format json` run.
pub fn finding_lines(lines: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    lines.iter().filter(|l| l["reason"] == "finding").collect()
}

/// A package named `demo` holding `files`, committed to a new git
/// repository in `dir` (so hidden files ship, as from a real checkout).
pub fn committed_demo(dir: &Path, files: &[(&str, Vec<u8>)]) {
    write_bytes(
        dir,
        "Cargo.toml",
        b"[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\ndescription = \"d\"\n",
    );
    write_bytes(dir, "src/lib.rs", b"pub fn f() {}\n");
    for (path, bytes) in files {
        write_bytes(dir, path, bytes);
    }
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "demo"]);
}

/// A deterministic generator for the fake values tests plant: they look
/// random (so no literal in the sources looks like a live secret) and every
/// run plants the same ones.
pub struct Rng(pub u64);

impl Rng {
    /// Seeded from a name (FNV-1a), one sequence per test.
    pub fn new(seed: &str) -> Rng {
        Rng(seed.bytes().fold(0xcbf29ce484222325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
        }))
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// `n` characters of `alphabet`.
    pub fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[self.next() as usize % alphabet.len()] as char)
            .collect()
    }

    /// `prefix`, 30 random characters and their CRC-32 in base 62: a
    /// checksum-valid token of GitHub's (`ghp_`) or npm's (`npm_`) shape.
    pub fn crc_token(&mut self, prefix: &str) -> String {
        let random = self.pick(BASE62, 30);
        format!(
            "{prefix}{random}{}",
            cargo_privacy_check::rules::tokens::codec::crc32_base62(random.as_bytes())
        )
    }

    /// A checksum-valid GitHub personal access token.
    pub fn github(&mut self) -> String {
        self.crc_token(&["gh", "p_"].concat())
    }
}

pub const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
pub const DIGITS: &[u8] = b"0123456789";

/// No planted value, nor any 8-character piece of one, in `text` (`what`
/// names the output in the failure).
#[track_caller]
pub fn assert_clean(what: &str, text: &str, planted: &[impl AsRef<str>]) {
    for value in planted {
        let chars: Vec<char> = value.as_ref().chars().collect();
        for piece in chars.windows(8.min(chars.len())) {
            let piece: String = piece.iter().collect();
            assert!(
                !text.contains(&piece),
                "{what} repeats `{piece}` of a planted value:\n{text}"
            );
        }
    }
}

/// How many times `needle` occurs in `haystack`.
pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The rules `output` (stdout and stderr of one run) reports findings of,
/// read the way each `--message-format` writes them: `level[rule]` (human,
/// short), a `finding` line's `rule` (json), a result's `ruleId` (sarif),
/// `title=privacy-check(rule)` (github). A rule merely named in a message
/// or a help text does not count, nor does an output that is not of its
/// format (an error, or nothing).
pub fn reported_rules(format: &str, output: &str) -> std::collections::BTreeSet<String> {
    let plain = regex::Regex::new("\x1b\\[[0-9;]*m")
        .expect("a regex")
        .replace_all(output, "");
    let pattern = |re: &str| -> std::collections::BTreeSet<String> {
        regex::Regex::new(re)
            .expect("a regex")
            .captures_iter(&plain)
            .map(|c| c[1].to_owned())
            .collect()
    };
    match format {
        "human" | "short" => pattern(r"(?m)(?:^|: )(?:error|warning|note)\[([a-z0-9-]+)\]"),
        "github" => {
            pattern(r"(?m)^::(?:error|warning|notice) [^\n]*title=privacy-check\(([a-z0-9-]+)\)::")
        }
        "json" => plain
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|l| l["reason"] == "finding")
            .filter_map(|l| l["rule"].as_str().map(str::to_owned))
            .collect(),
        // The log is stdout; stderr, if any, follows it.
        "sarif" => serde_json::Deserializer::from_str(&plain)
            .into_iter::<serde_json::Value>()
            .next()
            .and_then(Result::ok)
            .and_then(|log| log["runs"][0]["results"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|r| r["ruleId"].as_str().map(str::to_owned))
            .collect(),
        other => panic!("no reader for --message-format {other}"),
    }
}

/// Asserts that `output` reports a finding of each of `rules` in `format`.
#[track_caller]
pub fn assert_reports(what: &str, format: &str, output: &str, rules: &[&str]) {
    let reported = reported_rules(format, output);
    for rule in rules {
        assert!(
            reported.contains(*rule),
            "{what}: no `{rule}` finding in the {format} output (reported: {reported:?}):\n{output}"
        );
    }
}

/// Deterministic bytes that look random (a xorshift generator).
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}
