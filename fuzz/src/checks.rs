//! The invariants the fuzz targets check, shared with the stable test that
//! replays the committed corpus (`tests/fuzz_seeds.rs`).
//!
//! Each target in `fuzz/fuzz_targets/` is one line that hands the fuzzer's
//! bytes to a function here, and the test includes this same file with
//! `#[path]`, so a seed or a crash replayed on stable goes through exactly
//! the code the fuzzer ran (no nightly, no `libfuzzer-sys`). A broken
//! invariant is a panic: libFuzzer records it as a crash, the test fails.
//!
//! Everything goes through the library's public entry points: the
//! `Manifest` parser in-process, and otherwise [`cli::run`] over a small
//! package written to a temporary folder, as `main.rs` runs it. That costs a
//! `cargo metadata` per run (about 35 ms), which bounds the speed of every
//! target but the in-process one.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

use cargo_privacy_check::cli::{self, Cli};
use cargo_privacy_check::manifest::Manifest;
use cargo_privacy_check::rules::tokens::codec::crc32_base62;

/// What one run of the command wrote, and its exit status.
pub struct Outcome {
    pub status: i32,
    /// stdout, with terminal styles removed (as `--color never` shows it).
    pub stdout: Vec<u8>,
    /// stderr, likewise.
    pub stderr: Vec<u8>,
}

/// Runs `cargo privacy-check ARGS` in `cwd` the way `main.rs` does, and
/// checks what holds for every run: the exit status is 0, 1 or 2, and a
/// failure renders as a non-empty rustc-style error.
pub fn run_cli(args: Vec<OsString>, cwd: &Path) -> Outcome {
    let mut argv = vec![OsString::from("cargo-privacy-check")];
    argv.extend(args);
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let status = match Cli::parse_args(argv) {
        Err(err) => {
            let text = err.render().to_string();
            assert!(!text.trim().is_empty(), "clap rendered an empty message");
            if err.use_stderr() {
                stderr.extend_from_slice(text.as_bytes());
                cli::EXIT_FAILURE
            } else {
                stdout.extend_from_slice(text.as_bytes());
                cli::EXIT_CLEAN
            }
        }
        Ok(cli) => match cli::run(&cli, cwd, &mut stdout, &mut stderr) {
            Ok(status) => status,
            Err(cli::Stop::Failure(failure)) => {
                let text = failure.render(cwd);
                assert_renders(&failure.message, &text);
                stderr.extend_from_slice(text.as_bytes());
                cli::EXIT_FAILURE
            }
            // main.rs prints these as `error: ...`, exit 2.
            Err(cli::Stop::Output(err)) => {
                stderr.extend_from_slice(format!("error: {err}").as_bytes());
                cli::EXIT_FAILURE
            }
        },
    };
    assert!(
        [cli::EXIT_CLEAN, cli::EXIT_FINDINGS, cli::EXIT_FAILURE].contains(&status),
        "exit status {status} is not 0, 1 or 2"
    );
    Outcome {
        status,
        stdout: strip(&stdout),
        stderr: strip(&stderr),
    }
}

fn strip(bytes: &[u8]) -> Vec<u8> {
    anstream::adapter::strip_bytes(bytes).into_vec()
}

/// A rendered error says `error` and carries its message. The renderer
/// shows control characters as their pictures (`\u{8}` as `␈`) and may
/// change whitespace, so both sides are compared without either.
fn assert_renders(message: &str, rendered: &str) {
    let plain = String::from_utf8_lossy(&strip(rendered.as_bytes())).into_owned();
    assert!(
        plain.starts_with("error"),
        "a failure rendered without its `error` title: {plain:?}"
    );
    let visible = |s: &str| -> String {
        s.chars()
            .filter(|c| {
                !c.is_control() && !c.is_whitespace() && !('\u{2400}'..='\u{243f}').contains(c)
            })
            .collect()
    };
    assert!(
        visible(&plain).contains(&visible(message.lines().next().unwrap_or(""))),
        "a failure rendered without its message {message:?}: {plain:?}"
    );
}

const PACKAGE_HEADER: &str =
    "[package]\nname = \"fuzzed\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n";

/// A temporary folder holding a small valid package: `Cargo.toml` (the
/// given text) and an empty `src/lib.rs`.
fn package(manifest: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("create a temporary folder");
    std::fs::create_dir(dir.path().join("src")).expect("create src/");
    std::fs::write(dir.path().join("src/lib.rs"), "").expect("write src/lib.rs");
    std::fs::write(dir.path().join("Cargo.toml"), manifest).expect("write Cargo.toml");
    dir
}

/// Target `manifest_config`. The first byte picks what the rest is:
/// 0, a `Cargo.toml` parsed in-process; 1, a `privacy-check.toml` next to a
/// valid package; 2, the body of `[package.metadata.privacy-check]`; 3, the
/// body of `[workspace.metadata.privacy-check]`. Invariant: no panic, and
/// every error renders (rustc-style, with its message).
pub fn manifest_config(data: &[u8]) {
    let Some((&mode, text)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 => parse_manifest(text),
        1 => {
            let dir = package(PACKAGE_HEADER.as_bytes());
            std::fs::write(dir.path().join("privacy-check.toml"), text).expect("write config");
            run_cli(Vec::new(), dir.path());
        }
        table => {
            let mut manifest = PACKAGE_HEADER.as_bytes().to_vec();
            manifest.extend_from_slice(if table == 2 {
                b"\n[package.metadata.privacy-check]\n"
            } else {
                b"\n[workspace]\n\n[workspace.metadata.privacy-check]\n"
            });
            manifest.extend_from_slice(text);
            let dir = package(&manifest);
            run_cli(Vec::new(), dir.path());
        }
    }
}

/// A `Cargo.toml` through `Manifest`, and its error through `cli::Failure`,
/// as `cargo privacy-check` renders it.
fn parse_manifest(bytes: &[u8]) {
    let cwd = Path::new("/fuzz");
    let path = cwd.join("Cargo.toml");
    let parsed = match std::str::from_utf8(bytes) {
        Ok(text) => Manifest::parse(&path, text.to_owned()),
        Err(_) => {
            // Not UTF-8: only reading the file says so.
            let dir = tempfile::tempdir().expect("create a temporary folder");
            let path = dir.path().join("Cargo.toml");
            std::fs::write(&path, bytes).expect("write Cargo.toml");
            Manifest::read(&path)
        }
    };
    match parsed {
        Ok(manifest) => {
            manifest.package();
            manifest.workspace_package();
            manifest.inherits("authors");
            // Against itself as the workspace root: every inherited range
            // must lie inside the text.
            for (key, range) in manifest.inherited_ranges(&manifest) {
                assert!(
                    manifest.text.get(range.clone()).is_some(),
                    "range {range:?} of `{key}` is not a slice of the manifest"
                );
            }
        }
        Err(err) => {
            let failure = cli::Failure::from(err);
            let rendered = failure.render(cwd);
            assert_renders(&failure.message, &rendered);
        }
    }
}

const FORMATS: [&str; 5] = ["human", "short", "json", "sarif", "github"];

/// Target `archive`. The first byte: its lowest bit set means the rest is a
/// tar to gzip first (so the fuzzer reaches the tar reader), else the rest
/// is the `.crate` as is; the next bits pick the message format. The bytes
/// are checked with `--crate`. Invariant: no panic, exit status 0, 1 or 2,
/// every error renders.
pub fn archive(data: &[u8]) {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let dir = tempfile::tempdir().expect("create a temporary folder");
    let path = dir.path().join("fuzzed-0.1.0.crate");
    let bytes = if mode & 1 == 1 {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).expect("gzip in memory");
        gz.finish().expect("gzip in memory")
    } else {
        bytes.to_vec()
    };
    std::fs::write(&path, &bytes).expect("write the archive");
    let format = FORMATS[usize::from(mode >> 1) % FORMATS.len()];
    run_cli(
        vec![
            "--crate".into(),
            "fuzzed-0.1.0.crate".into(),
            "--message-format".into(),
            format.into(),
        ],
        dir.path(),
    );
}

/// The secrets [`no_planted_value`] plants.
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// How the planted value is set in the text: what comes before and after.
const DELIMITERS: [(&str, &str); 6] = [
    ("\n", "\n"),
    (" ", " "),
    ("\"", "\""),
    ("token = \"", "\"\n"),
    ("(", ")"),
    ("\t", ","),
];

/// A planted value: the full text written, and the part that must never be
/// shown (an email's domain is shown on purpose; its mailbox never is).
pub struct Planted {
    pub value: String,
    pub secret: String,
    pub rule: &'static str,
}

/// The value of `kind` (0 GitHub token, 1 AWS key id, 2 personal email),
/// drawn from `seed`; checksum-valid where the format has a checksum.
pub fn plant(kind: u8, seed: u64) -> Planted {
    let mut state = seed | 1;
    let mut pick = |alphabet: &[u8], n: usize| -> String {
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                alphabet[(state >> 33) as usize % alphabet.len()] as char
            })
            .collect()
    };
    match kind % 3 {
        0 => {
            let random = pick(BASE62, 30);
            let value = format!("{}{random}{}", "ghp_", crc32_base62(random.as_bytes()));
            Planted {
                secret: value.clone(),
                value,
                rule: "github-token",
            }
        }
        1 => {
            let value = format!("{}{}", "AKIA", pick(BASE32, 16));
            Planted {
                secret: value.clone(),
                value,
                rule: "aws-access-key",
            }
        }
        _ => {
            let mailbox = format!("{}.{}", pick(LOWER, 7), pick(LOWER, 7));
            Planted {
                value: format!("{mailbox}@{}", "gmail.com"),
                secret: mailbox,
                rule: "email-address",
            }
        }
    }
}

/// FNV-1a, to draw the planted value from the whole input.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What [`no_planted_value`] saw, for the test to assert detection on seeds.
pub struct Planting {
    pub planted: Planted,
    /// The JSON run reported a finding of the planted value's rule in
    /// `notes.txt`.
    pub reported: bool,
}

/// Target `no_planted_value`. Bytes 0-3: the kind of value, the delimiters
/// around it, and its position (little-endian `u16`, modulo the text's
/// length); the rest is the text it is planted in, as `notes.txt` of a
/// small package. The check runs in every message format. Invariant: no
/// 8-character substring of the planted secret appears in stdout or stderr
/// of any of them (substrings the text holds elsewhere are not evidence of
/// a leak and are not looked for), and the check runs (exit 0 or 1).
pub fn no_planted_value(data: &[u8]) -> Option<Planting> {
    let (head, text) = data.split_at_checked(4)?;
    let planted = plant(head[0], fnv(data));
    let (before, after) = DELIMITERS[usize::from(head[1]) % DELIMITERS.len()];
    let at = usize::from(u16::from_le_bytes([head[2], head[3]])) % (text.len() + 1);
    let (prefix, suffix) = text.split_at(at);
    let mut file = prefix.to_vec();
    file.extend_from_slice(before.as_bytes());
    file.extend_from_slice(planted.value.as_bytes());
    file.extend_from_slice(after.as_bytes());
    file.extend_from_slice(suffix);

    let mut elsewhere = prefix.to_vec();
    elsewhere.extend_from_slice(before.as_bytes());
    elsewhere.extend_from_slice(after.as_bytes());
    elsewhere.extend_from_slice(suffix);
    let windows: Vec<&[u8]> = planted
        .secret
        .as_bytes()
        .windows(8)
        .filter(|w| !contains(&elsewhere, w))
        .collect();

    let dir = package(PACKAGE_HEADER.as_bytes());
    std::fs::write(dir.path().join("notes.txt"), &file).expect("write notes.txt");
    let mut reported = false;
    for format in FORMATS {
        let outcome = run_cli(vec!["--message-format".into(), format.into()], dir.path());
        assert!(
            outcome.status != cli::EXIT_FAILURE,
            "the check of a valid package failed ({format}): {}",
            String::from_utf8_lossy(&outcome.stderr)
        );
        for (stream, bytes) in [("stdout", &outcome.stdout), ("stderr", &outcome.stderr)] {
            for w in &windows {
                assert!(
                    !contains(bytes, w),
                    "`{}` of the planted {} appears in the {format} {stream}:\n{}",
                    String::from_utf8_lossy(w),
                    planted.rule,
                    String::from_utf8_lossy(bytes)
                );
            }
        }
        if format == "json" {
            reported = String::from_utf8_lossy(&outcome.stdout)
                .lines()
                .any(|line| {
                    line.contains("\"path\":\"notes.txt\"")
                        && line.contains(&format!("\"rule\":\"{}\"", planted.rule))
                });
        }
    }
    Some(Planting { planted, reported })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Target `command_line`: the bytes split at NUL into arguments after
/// `privacy-check`, run in a fresh small package (with a personal email in
/// `authors`, so `--fix` has work). Arguments that name a path outside the
/// package (`/`, `..`) are not run: `--write-baseline` or `--fix` could
/// write anywhere, and special files hang (issue 10 §2, reported).
/// Invariant: no panic, exit status 0, 1 or 2, every error renders.
pub fn command_line(data: &[u8]) {
    let args: Vec<OsString> = data
        .split(|&b| b == 0)
        .take(12)
        .map(|a| OsString::from_vec(a.to_vec()))
        .collect();
    if data.windows(2).any(|w| w == b"..") || data.contains(&b'/') {
        return;
    }
    let manifest = format!(
        "{PACKAGE_HEADER}authors = [\"Zed <{}@{}>\"]\ndescription = \"fuzzed\"\n",
        "zed.fuzzed", "gmail.com"
    );
    let dir = package(manifest.as_bytes());
    std::fs::write(dir.path().join("README.md"), "# fuzzed\n").expect("write README.md");
    run_cli(args, dir.path());
}
