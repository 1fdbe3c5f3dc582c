//! Never repeat a leak: the redaction matrix.
//!
//! Values are generated here, at test time (checksum-valid GitHub tokens,
//! AWS key ids, personal email mailboxes, URL passwords), planted in
//! packages, configuration, baselines, archives and on the command line,
//! and every output format and every error path is run over them. Each run
//! asserts (a) its exit status, (b) that what must be reported is reported
//! (rule names, error text), and (c) that no planted value, nor any
//! 8-character piece of one, appears anywhere in stdout, stderr or a file
//! the tool wrote. For an email address the planted value is its mailbox:
//! the domain is shown on purpose (`jane…@gmail.com`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;
use common::{assert_clean, assert_reports, Rng, BASE32, BASE62, LOWER};

/// The planted values of the matrix, on top of [`Rng`]'s tokens.
trait Planting {
    fn aws(&mut self) -> String;
    fn mailbox(&mut self) -> String;
    fn password(&mut self) -> String;
}

impl Planting for Rng {
    /// An AWS access key id.
    fn aws(&mut self) -> String {
        format!("{}{}", ["AK", "IA"].concat(), self.pick(BASE32, 16))
    }

    /// A personal mailbox (the part of an address that is never shown).
    fn mailbox(&mut self) -> String {
        self.pick(LOWER, 12)
    }

    /// A generated password.
    fn password(&mut self) -> String {
        self.pick(BASE62, 16)
    }
}

/// What a run left behind: exit status, both streams, and the files it
/// wrote that are to be checked too.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"));
    command
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR");
    command
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let output: Output = bin().args(args).current_dir(dir).output().expect("run");
    Run {
        code: output.status.code().expect("an exit status"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// (a), (b) and (c) for one run.
#[track_caller]
fn check(what: &str, run: &Run, code: i32, present: &[&str], planted: &[String]) {
    let all = run.all();
    assert_eq!(run.code, code, "{what}: exit status\n{all}");
    for p in present {
        assert!(all.contains(p), "{what}: `{p}` is missing from\n{all}");
    }
    assert_clean(what, &all, planted);
}

/// The values planted in one package, and the package.
struct Planted {
    dir: tempfile::TempDir,
    values: Vec<String>,
    /// The token that names the package.
    name: String,
}

/// A package named by a token, versioned with an AWS key id, its
/// manifest, sources, file names and allow comments holding generated
/// values; a second email on the same line as a value hidden by `-A`.
fn planted_package(seed: &str) -> Planted {
    let mut rng = Rng::new(seed);
    let name = rng.github();
    let version_key = rng.aws();
    let author = rng.mailbox();
    let second = rng.mailbox();
    let readme_token = rng.github();
    let file_token = rng.github();
    let allow_token = rng.github();
    let key_in_source = rng.aws();
    let url_password = rng.password();
    let overlap_mailbox = rng.mailbox();
    let overlap_password = rng.password();
    let smtp_mailbox = rng.mailbox();
    let smtp_password = rng.password();
    let hidden_key = rng.aws();
    let beside_hidden = rng.mailbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::write(
        d,
        "Cargo.toml",
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0-{version_key}\"\nedition = \"2021\"\n\
             authors = [\"Zed <{}> <{}>\"]\n",
            common::email(&author),
            common::email(&second)
        ),
    );
    common::write(
        d,
        "src/lib.rs",
        &format!(
            // The marker is split so this file holds no allow comment.
            "//! demo\npub const K: &str = \"{key_in_source}\";\n\
             // privacy-check:{}({allow_token})\npub const N: u8 = 1;\n",
            "allow"
        ),
    );
    common::write(
        d,
        "README.md",
        &format!(
            "token {readme_token}\nclone https://deploy:{url_password}@git.corp.net/r.git\n\
             {}.cops://deploy:{overlap_password}@git.corp.net/r.git\n\
             smtp://{}:{smtp_password}@smtp.gmail.com:587\n\
             ids {hidden_key} and {}\n",
            common::email(&overlap_mailbox),
            common::email(&smtp_mailbox),
            common::email(&beside_hidden),
        ),
    );
    common::write(d, &format!("keys/{file_token}.json"), "{}\n");
    Planted {
        dir,
        values: vec![
            name.clone(),
            version_key,
            author,
            second,
            readme_token,
            file_token,
            allow_token,
            key_in_source,
            url_password,
            overlap_mailbox,
            overlap_password,
            smtp_mailbox,
            smtp_password,
            hidden_key,
            beside_hidden,
        ],
        name,
    }
}

/// What every report over the planted package names.
const REPORTED: &[&str] = &[
    "github-token",
    "aws-access-key",
    "url-credentials",
    "author-email",
    "email-address",
];

#[test]
fn no_output_format_repeats_a_planted_value() {
    let p = planted_package("formats");
    let d = p.dir.path();
    for (what, format, args) in [
        ("human, colour on", "human", vec!["--color", "always"]),
        ("human, colour off", "human", vec!["--color", "never"]),
        ("human -v", "human", vec!["-v", "--color", "always"]),
        ("short", "short", vec!["--message-format", "short"]),
        ("json", "json", vec!["--message-format", "json"]),
        ("sarif", "sarif", vec!["--message-format", "sarif"]),
        (
            "github",
            "github",
            vec!["--message-format", "github", "--color", "always"],
        ),
    ] {
        let run = run(d, &args);
        // Exit status and reported rules first: a run that prints nothing
        // (or only an error) and exits 2 repeats nothing either.
        check(what, &run, 1, REPORTED, &p.values);
        assert_reports(what, format, &run.all(), REPORTED);
        // The file named after a token is reported, by its path.
        assert!(
            run.all().contains("in the file's name"),
            "{what}: the token in a file name is not reported\n{}",
            run.all()
        );
    }
    // The allow comment's unknown name is reported, without the name.
    let human = run(d, &["--color", "never"]);
    assert!(
        human.stderr.contains("unknown rule or category"),
        "{}",
        human.stderr
    );
    // The package named by a token is checked under its masked name.
    let masked_name = format!("Checking {}••••", &p.name[..4]);
    assert!(human.stderr.contains(&masked_name), "{}", human.stderr);
    // SMTP user-info that is an email address: the password is a finding.
    let json = run(d, &["--message-format", "json"]);
    let smtp = json
        .stdout
        .lines()
        .filter(|l| l.contains("\"url-credentials\"") && l.contains("smtp://"))
        .count();
    assert_eq!(smtp, 1, "{}", json.stdout);
}

#[test]
fn values_hidden_by_allow_levels_stay_masked_on_a_shown_line() {
    let p = planted_package("levels");
    let d = p.dir.path();
    for format in ["human", "short", "json", "sarif", "github"] {
        let run = run(
            d,
            &[
                "-A",
                "aws-access-key",
                "--message-format",
                format,
                "--color",
                "never",
            ],
        );
        check(format, &run, 1, &["email-address"], &p.values);
        assert_reports(format, format, &run.all(), &["email-address"]);
        assert!(!run.all().contains("aws-access-key"), "{format}");
    }
}

#[test]
fn fix_text_and_dry_run_context_lines_hold_no_planted_value() {
    let p = planted_package("fix");
    let d = p.dir.path();
    let dry = run(d, &["--dry-run", "--unsafe-fixes", "--color", "never"]);
    check("--dry-run", &dry, 1, &["author-email"], &p.values);
    // The version's key id, hidden by `-A`, is a context line of the diff.
    let hidden = run(d, &["--dry-run", "-A", "secret", "--color", "never"]);
    check(
        "--dry-run -A secret",
        &hidden,
        0,
        &["+++ b/Cargo.toml", "version = \"0.1.0-AKIA"],
        &p.values,
    );
    let fix = run(
        d,
        &[
            "--fix",
            "--unsafe-fixes",
            "--allow-no-vcs",
            "--color",
            "never",
        ],
    );
    assert_ne!(fix.code, 2, "{}", fix.all());
    assert_clean("--fix", &fix.all(), &p.values);
}

#[test]
fn machine_formats_refuse_dry_run() {
    let p = planted_package("dry-run-formats");
    for format in ["json", "sarif", "github"] {
        let run = run(p.dir.path(), &["--dry-run", "--message-format", format]);
        check(
            format,
            &run,
            2,
            &[
                "`--dry-run` prints a diff on stdout",
                "one stream holds one format",
            ],
            &p.values,
        );
        assert!(run.stdout.is_empty(), "{format}: {}", run.stdout);
    }
}

#[test]
fn print_config_and_the_baseline_file_hold_no_planted_value() {
    let p = planted_package("config");
    let d = p.dir.path();
    let mut rng = Rng::new("config-values");
    let skipped = rng.github();
    common::write(
        d,
        "privacy-check.toml",
        &format!("skip-paths = [\"{skipped}\"]\n"),
    );
    let mut planted = p.values.clone();
    planted.push(skipped);
    let printed = run(d, &["--print-config", "--color", "never"]);
    check(
        "--print-config",
        &printed,
        0,
        &["# configuration of", "skip-paths"],
        &planted,
    );

    let written = run(d, &["--write-baseline", "baseline.toml"]);
    check("--write-baseline", &written, 0, &["Wrote"], &planted);
    let file = std::fs::read_to_string(d.join("baseline.toml")).unwrap();
    assert!(file.contains("rule = \"github-token\""), "{file}");
    assert_clean("the baseline file", &file, &planted);
    // The baseline read back accepts every finding it recorded.
    let applied = run(d, &["--baseline", "baseline.toml", "--color", "never"]);
    check(
        "--baseline",
        &applied,
        0,
        &["suppressed by the baseline"],
        &planted,
    );
    // A baseline that accepts the secrets only: the emails are reported,
    // on lines that also hold the secrets the baseline hides.
    let secrets_only = run(d, &["--write-baseline", "secrets.toml", "-A", "email"]);
    check(
        "--write-baseline -A email",
        &secrets_only,
        0,
        &["Wrote"],
        &planted,
    );
    for format in ["human", "short", "json", "sarif", "github"] {
        let applied = run(
            d,
            &[
                "--baseline",
                "secrets.toml",
                "--message-format",
                format,
                "--color",
                "never",
            ],
        );
        check(
            format,
            &applied,
            0,
            &["email-address", "author-email"],
            &planted,
        );
        assert_reports(
            format,
            format,
            &applied.all(),
            &["email-address", "author-email"],
        );
        assert!(!applied.all().contains("github-token"), "{format}");
    }
}

#[test]
fn explain_and_list_rules_print_their_text_unchanged() {
    for rule in cargo_privacy_check::rules::all() {
        let run = run(Path::new("."), &["--explain", rule.name]);
        assert_eq!(run.code, 0);
        // Nothing in the documentation is masked: its examples are fake.
        assert_eq!(run.stdout, cargo_privacy_check::rules::explain(rule));
    }
    let list = run(Path::new("."), &["--list-rules"]);
    assert_eq!(list.code, 0);
    assert!(list.stdout.contains("github-token") && !list.stdout.contains('•'));
}

/// A package whose manifest is `manifest`.
fn package_with(manifest: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "Cargo.toml", manifest);
    common::write(dir.path(), "src/lib.rs", "");
    dir
}

#[test]
fn error_snippets_of_malformed_manifests_are_masked() {
    let mut rng = Rng::new("malformed");
    let token = rng.github();
    let mailbox = rng.mailbox();
    let planted = vec![token.clone(), mailbox.clone()];
    for manifest in [
        format!(
            "[package]\nname = \"a\"\nversion = \"0.1.0\"\nrepository = \"https://u:{token}@github.com/o/r\n"
        ),
        format!(
            "[package]\nname = \"a\"\nversion = \"0.1.0\"\nauthors = [\"Zed <{}>\" \"x\"]\n",
            common::email(&mailbox)
        ),
    ] {
        let dir = package_with(&manifest);
        for format in ["human", "json"] {
            let run = run(dir.path(), &["--message-format", format, "--color", "always"]);
            check(&manifest, &run, 2, &["error"], &planted);
        }
    }
}

#[test]
fn cargo_metadata_errors_are_masked() {
    let mut rng = Rng::new("metadata");
    let token = rng.github();
    let planted = vec![token.clone()];
    for manifest in [
        format!("[package]\nname = \"a\"\nversion = \"{token}\"\n"),
        format!(
            "[package]\nname = \"a\"\nversion = \"0.1.0\"\n[dependencies]\nx = {{ git = \"https://{token}@github.com/o/x\", bogus = 1, branch = 3 }}\n"
        ),
        format!("[workspace]\nmembers = [\"{token}\"]\n"),
    ] {
        let dir = package_with(&manifest);
        let run = run(dir.path(), &["--color", "never"]);
        check(&manifest, &run, 2, &["error"], &planted);
    }
}

#[test]
fn configuration_errors_are_masked() {
    let mut rng = Rng::new("configuration");
    let token = rng.github();
    let mailbox = rng.mailbox();
    let planted = vec![token.clone(), mailbox.clone()];
    for config in [
        format!("max-file-size = \"{token}\"\n"),
        format!("allow-fingerprints = [\"{token}\"]\n"),
        format!("lints = {{ {token} = \"deny\" }}\n"),
        format!("{token} = 1\n"),
        format!("allow-emails = \"{}\"\n", common::email(&mailbox)),
    ] {
        let dir = package_with("[package]\nname = \"a\"\nversion = \"0.1.0\"\n");
        common::write(dir.path(), "privacy-check.toml", &config);
        for format in ["human", "json"] {
            let run = run(
                dir.path(),
                &["--message-format", format, "--color", "always"],
            );
            check(&config, &run, 2, &["privacy-check.toml"], &planted);
        }
    }
}

#[test]
fn a_file_that_is_not_a_baseline_is_not_shown() {
    let mut rng = Rng::new("not-a-baseline");
    let token = rng.github();
    let planted = vec![token.clone()];
    let dir = package_with("[package]\nname = \"a\"\nversion = \"0.1.0\"\n");
    common::write(dir.path(), "notes.txt", &format!("{token}\nmore\n"));
    for flag in ["--baseline", "--write-baseline"] {
        let run = run(dir.path(), &[flag, "notes.txt", "--color", "never"]);
        check(flag, &run, 2, &["baseline"], &planted);
    }
    assert!(std::fs::read_to_string(dir.path().join("notes.txt"))
        .unwrap()
        .starts_with(&token));
}

#[test]
fn command_line_values_are_masked_where_they_are_echoed() {
    let mut rng = Rng::new("command-line");
    let token = rng.github();
    let planted = vec![token.clone()];
    let dir = package_with("[package]\nname = \"a\"\nversion = \"0.1.0\"\n");
    let d = dir.path();
    let manifest = format!("{token}/Cargo.toml");
    let archive = format!("{token}.crate");
    let clap_flag = format!("--{token}");
    for args in [
        vec!["-p", &token],
        vec!["--workspace", "--exclude", &token],
        vec!["--explain", &token],
        vec!["-D", &token],
        vec!["--manifest-path", &manifest],
        vec!["--crate", &archive],
        vec!["--baseline", &archive],
        vec!["--message-format", &token],
        vec![&clap_flag],
    ] {
        let run = run(d, &args);
        assert!(run.code == 2 || run.code == 0, "{args:?}: {}", run.all());
        // An unknown `--exclude` is a warning, as in cargo.
        let expected = if args.get(1) == Some(&"--exclude") {
            "warning: excluded package"
        } else {
            "error"
        };
        check(&format!("{args:?}"), &run, run.code, &[expected], &planted);
    }
}

/// A `.crate` built from raw tar entries, gzipped.
fn archive(entries: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut tar = Vec::new();
    for (name, data) in entries {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name);
        h[100..108].copy_from_slice(b"0000644\0");
        h[108..116].copy_from_slice(b"0000000\0");
        h[116..124].copy_from_slice(b"0000000\0");
        h[124..136].copy_from_slice(format!("{:011o}\0", data.len()).as_bytes());
        h[136..148].copy_from_slice(b"00000000000\0");
        h[148..156].copy_from_slice(b"        ");
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        tar.extend_from_slice(&h);
        tar.extend_from_slice(data);
        tar.resize(tar.len().div_ceil(512) * 512, 0);
    }
    tar.extend_from_slice(&[0; 1024]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).unwrap();
    gz.finish().unwrap()
}

fn manifest(name: &str, extra: &str) -> Vec<u8> {
    format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n{extra}").into_bytes()
}

#[test]
fn archives_never_repeat_a_planted_value() {
    let mut rng = Rng::new("archives");
    let token = rng.github();
    let entry_token = rng.github();
    let mailbox = rng.mailbox();
    let planted = vec![token.clone(), entry_token.clone(), mailbox.clone()];
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let broken_repository = format!("repository = \"https://u:{token}@github.com/o/r\n");
    let broken_authors = format!("authors = [\"Zed <{}>\" \"x\"]\n", common::email(&mailbox));
    let good_orig = manifest("good", "");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "bad-orig-0.1.0.crate",
            archive(&[
                (b"bad-orig-0.1.0/Cargo.toml", &manifest("bad-orig", "")),
                (
                    b"bad-orig-0.1.0/Cargo.toml.orig",
                    &manifest("bad-orig", &broken_repository),
                ),
            ]),
        ),
        (
            "bad-toml-0.1.0.crate",
            archive(&[
                (
                    b"bad-toml-0.1.0/Cargo.toml",
                    &manifest("bad-toml", &broken_authors),
                ),
                (b"bad-toml-0.1.0/Cargo.toml.orig", &manifest("bad-toml", "")),
            ]),
        ),
        (
            "good-0.1.0.crate",
            archive(&[
                (b"good-0.1.0/Cargo.toml", &good_orig),
                (b"good-0.1.0/Cargo.toml.orig", &good_orig),
                (
                    format!("good-0.1.0/{entry_token}.txt").as_bytes(),
                    b"nothing\n",
                ),
                (
                    b"good-0.1.0/\x1b]52;c;aGk=\x07\x1b[2J.txt",
                    format!("{}\n", common::email(&mailbox)).as_bytes(),
                ),
            ]),
        ),
    ];
    let mut args = vec!["--crate".to_owned()];
    for (name, bytes) in &cases {
        std::fs::write(d.join(name), bytes).unwrap();
        args.push(name.to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    for (format, colour) in [
        ("human", "always"),
        ("human", "never"),
        ("short", "never"),
        ("json", "never"),
        ("sarif", "never"),
        ("github", "always"),
    ] {
        let mut all_args = args.clone();
        all_args.extend(["--message-format", format, "--color", colour]);
        let run = run(d, &all_args);
        check(
            format,
            &run,
            2,
            &[
                "bad-orig-0.1.0.crate",
                "bad-toml-0.1.0.crate",
                "in the file's name",
            ],
            &planted,
        );
        // The entry name's escape sequences are shown escaped, never raw;
        // only the renderer's own styling is a raw ESC.
        assert!(!run.all().contains("\x1b]"), "{format}: raw OSC");
        assert!(!run.all().contains("\x1b[2J"), "{format}: raw screen clear");
        assert!(!run.all().contains('\x07'), "{format}: raw BEL");
        if colour == "never" {
            assert!(!run.all().contains('\x1b'), "{format}: raw ESC");
        }
        if format == "human" {
            assert!(run.all().contains("\\u{1b}]52"), "{}", run.all());
        }
    }
}

#[test]
fn a_toml_error_at_the_end_of_a_file_ending_mid_character_does_not_panic() {
    // The file ends inside `é` where the parser stops: spans must respect
    // character boundaries, in Cargo.toml, privacy-check.toml and archives.
    let cut = b"[package]\nname = \"\xc3\xa9";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), cut).unwrap();
    let manifest = run(dir.path(), &["--color", "never"]);
    assert_eq!(manifest.code, 2, "{}", manifest.all());
    assert!(!manifest.stderr.contains("panicked"), "{}", manifest.stderr);
    assert!(manifest.stderr.contains("error"), "{}", manifest.stderr);

    let dir = package_with("[package]\nname = \"a\"\nversion = \"0.1.0\"\n");
    std::fs::write(
        dir.path().join("privacy-check.toml"),
        b"skip-paths = [\"\xc3\xa9",
    )
    .unwrap();
    let config = run(dir.path(), &["--color", "never"]);
    assert_eq!(config.code, 2, "{}", config.all());
    assert!(!config.stderr.contains("panicked"), "{}", config.stderr);
    assert!(
        config.stderr.contains("privacy-check.toml"),
        "{}",
        config.stderr
    );

    let dir = tempfile::tempdir().unwrap();
    let mut broken = manifest_bytes("cut");
    broken.extend_from_slice(b"description = \"\xc3\xa9");
    let good = manifest_bytes("fine");
    for (name, orig) in [("cut", true), ("cut2", false)] {
        let prefix = format!("{name}-0.1.0");
        let (toml, orig_bytes) = if orig {
            (manifest_bytes(name), broken.clone())
        } else {
            (broken.clone(), manifest_bytes(name))
        };
        let bytes = archive(&[
            (format!("{prefix}/Cargo.toml").as_bytes(), &toml),
            (format!("{prefix}/Cargo.toml.orig").as_bytes(), &orig_bytes),
        ]);
        std::fs::write(dir.path().join(format!("{prefix}.crate")), bytes).unwrap();
    }
    std::fs::write(
        dir.path().join("fine-0.1.0.crate"),
        archive(&[
            (b"fine-0.1.0/Cargo.toml", &good),
            (b"fine-0.1.0/Cargo.toml.orig", &good),
        ]),
    )
    .unwrap();
    let archives = run(
        dir.path(),
        &[
            "--crate",
            "cut-0.1.0.crate",
            "cut2-0.1.0.crate",
            "fine-0.1.0.crate",
            "--color",
            "never",
        ],
    );
    assert_eq!(archives.code, 2, "{}", archives.all());
    assert!(!archives.stderr.contains("panicked"), "{}", archives.stderr);
    assert!(
        archives.stderr.contains("cannot check `cut-0.1.0.crate`"),
        "{}",
        archives.stderr
    );
    assert!(
        archives.stderr.contains("cannot check `cut2-0.1.0.crate`"),
        "{}",
        archives.stderr
    );
    // The good archive is still checked.
    assert!(
        archives.stderr.contains("Checking fine v0.1.0"),
        "{}",
        archives.stderr
    );
}

fn manifest_bytes(name: &str) -> Vec<u8> {
    manifest(name, "")
}

#[test]
fn a_write_error_on_stdout_is_a_failure() {
    let p = planted_package("stdout");
    let d = p.dir.path();
    // A full device: the write fails.
    if Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = bin()
            .args(["--message-format", "sarif"])
            .current_dir(d)
            .stdout(Stdio::from(full))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("cannot write the output"), "{stderr}");
    }
    // A closed stdout (`>&-`), through a shell.
    if Path::new("/proc/self/fdinfo").exists() {
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "'{}' --message-format sarif >&-",
                env!("CARGO_BIN_EXE_cargo-privacy-check")
            ))
            .current_dir(d)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("standard output is closed"), "{stderr}");
        // A closed pipe is not a failure of the check: the findings decide
        // (whether the reader left before or after the writes).
        let output = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "'{}' --message-format json | true; echo \"status ${{PIPESTATUS[0]}}\"",
                env!("CARGO_BIN_EXE_cargo-privacy-check")
            ))
            .current_dir(d)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("status 0") || stdout.contains("status 1"),
            "{output:?}"
        );
    }
}

/// A file name holding escape sequences and a newline: shown escaped in
/// every format, so it can neither style, clear or write to the terminal
/// nor split a line (a GitHub workflow command, a `-->` line) in two.
#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_shown_escaped() {
    let mut rng = Rng::new("names");
    let mailbox = rng.mailbox();
    let dir = package_with("[package]\nname = \"names\"\nversion = \"0.1.0\"\n");
    let name = "x\x1b[31mred\x1b]0;title\x07\nfake.txt";
    common::write(dir.path(), name, &format!("{}\n", common::email(&mailbox)));
    for (format, colour) in [
        ("human", "always"),
        ("human", "never"),
        ("short", "never"),
        ("json", "never"),
        ("sarif", "never"),
        ("github", "always"),
    ] {
        let run = run(
            dir.path(),
            &["--message-format", format, "--color", colour, "--list"],
        );
        // `--list` first: the file is listed, escaped.
        assert_eq!(run.code, 0, "{}", run.all());
        assert!(
            run.stdout
                .contains("x\\u{1b}[31mred\\u{1b}]0;title\\u{7}\\u{a}fake.txt"),
            "{}",
            run.stdout
        );
        let run = self::run(dir.path(), &["--message-format", format, "--color", colour]);
        check(
            format,
            &run,
            0,
            &["email-address"],
            std::slice::from_ref(&mailbox),
        );
        let all = run.all();
        assert!(!all.contains("\x1b[31mred"), "{format}: raw input styling");
        assert!(!all.contains("\x1b]0"), "{format}: raw OSC");
        assert!(!all.contains('\x07'), "{format}: raw BEL");
        assert!(
            !all.lines().any(|l| l.starts_with("fake.txt")),
            "{format}: a split line"
        );
    }
}
