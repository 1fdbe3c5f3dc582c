//! `--message-format cargo-json`, read the way editors read it: with
//! `cargo_metadata::Message::parse_stream`, the parser rust-analyzer's
//! flycheck and bacon use. Findings are planted in packages made at test
//! time (values generated here, so no literal in this file looks like a
//! live credential), and the commands of `docs/editor.md` are run as the
//! document gives them.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use cargo_metadata::diagnostic::{Applicability, Diagnostic, DiagnosticLevel, DiagnosticSpan};
use cargo_metadata::Message;

mod common;
use common::{assert_clean, Rng, BASE62, LOWER};

/// A checksum-valid GitHub token, a mailbox and a password, derived from
/// `seed` (they look random; the test is reproducible).
fn planted(seed: u64) -> (String, String, String) {
    let mut rng = Rng(seed);
    let token = rng.github();
    let mailbox = rng.pick(LOWER, 12);
    let password = rng.pick(BASE62, 16);
    (token, mailbox, password)
}

/// A package with an author's address in `authors` (fixable), a token in
/// a source line with non-ASCII text before it (character columns), and a
/// `.env` (a whole-file finding, and a credential inside it).
struct Planted {
    dir: tempfile::TempDir,
    token: String,
    mailbox: String,
    password: String,
}

fn plant(seed: u64) -> Planted {
    let (token, mailbox, password) = planted(seed);
    let dir = tempfile::tempdir().unwrap();
    let email = common::email(&mailbox);
    common::write(
        dir.path(),
        "Cargo.toml",
        &format!(
            "[package]\nname = \"planted\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
             authors = [\"Jane Roe <{email}>\"]\ndescription = \"d\"\nlicense = \"MIT\"\n"
        ),
    );
    common::write(
        dir.path(),
        "src/lib.rs",
        &format!("//! Crate.\n\n/// Clé d'accès.\npub const CLÉ: &str = \"{token}\";\n"),
    );
    common::write(dir.path(), ".env", &format!("API_PASSWORD={password}\n"));
    // In a git work tree, as a package usually is: there `cargo package`
    // ships dot-files such as `.env` (outside one it leaves them out).
    common::git(dir.path(), &["init", "-q"]);
    common::git(dir.path(), &["add", "-A"]);
    Planted {
        dir,
        token,
        mailbox,
        password,
    }
}

/// 1-based line and character column of byte `offset` of `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

fn parse(stdout: &str) -> Vec<Message> {
    Message::parse_stream(stdout.as_bytes())
        .map(|m| m.expect("a readable stream"))
        .collect()
}

fn diagnostics(messages: &[Message]) -> Vec<&Diagnostic> {
    messages
        .iter()
        .filter_map(|m| match m {
            Message::CompilerMessage(c) => Some(&c.message),
            _ => None,
        })
        .collect()
}

fn primary(d: &Diagnostic) -> &DiagnosticSpan {
    d.spans
        .iter()
        .find(|s| s.is_primary)
        .unwrap_or_else(|| panic!("no primary span: {d:?}"))
}

fn code(d: &Diagnostic) -> &str {
    &d.code.as_ref().expect("a code").code
}

/// Applies every machine-applicable suggestion for `file` the way an
/// editor does: byte ranges, from the last to the first.
fn apply_suggestions(dir: &Path, diagnostics: &[&Diagnostic], file: &str) -> usize {
    let mut edits: Vec<(usize, usize, String)> = diagnostics
        .iter()
        .flat_map(|d| &d.children)
        .flat_map(|c| &c.spans)
        .filter(|s| {
            s.file_name == file
                && s.suggestion_applicability == Some(Applicability::MachineApplicable)
        })
        .map(|s| {
            (
                s.byte_start as usize,
                s.byte_end as usize,
                s.suggested_replacement.clone().expect("a replacement"),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let path = dir.join(file);
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (start, end, replacement) in &edits {
        text.replace_range(*start..*end, replacement);
    }
    std::fs::write(&path, text).unwrap();
    edits.len()
}

#[test]
fn every_finding_arrives_as_a_compiler_message_with_its_spans() {
    let p = plant(14);
    let (code_json, json) = common::json(p.dir.path(), &[]);
    let (status, stdout, stderr) = common::run(p.dir.path(), &[], "cargo-json");
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(code_json, 1);
    let messages = parse(&stdout);
    // Every line is a cargo message: nothing falls through as text.
    assert!(
        messages.iter().all(|m| !matches!(m, Message::TextLine(_))),
        "{stdout}"
    );
    match messages.last() {
        Some(Message::BuildFinished(f)) => assert!(!f.success),
        other => panic!("the stream must end with build-finished: {other:?}"),
    }
    let found = diagnostics(&messages);

    // One message per finding of the `json` contract, at the same place.
    let expected: BTreeSet<(String, String, String, usize, usize, usize)> = json
        .iter()
        .filter(|v| v["reason"] == "finding" && v["line"].is_u64())
        .map(|v| {
            (
                v["rule"].as_str().unwrap().to_owned(),
                v["level"].as_str().unwrap().to_owned(),
                v["path"].as_str().unwrap().to_owned(),
                v["line"].as_u64().unwrap() as usize,
                v["column"].as_u64().unwrap() as usize,
                v["end_column"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    let whole_file = json
        .iter()
        .filter(|v| v["reason"] == "finding" && v["line"].is_null())
        .count();
    assert_eq!(found.len(), expected.len() + whole_file, "{stdout}");
    let level = |l: &DiagnosticLevel| match l {
        DiagnosticLevel::Error => "error",
        DiagnosticLevel::Warning => "warning",
        DiagnosticLevel::Note => "note",
        other => panic!("unexpected level {other:?}"),
    };
    let placed: BTreeSet<_> = found
        .iter()
        .filter(|d| code(d) != "env-file")
        .map(|d| {
            let s = primary(d);
            (
                code(d).to_owned(),
                level(&d.level).to_owned(),
                s.file_name.clone(),
                s.line_start,
                s.column_start,
                s.column_end,
            )
        })
        .collect();
    assert_eq!(placed, expected);

    // The author's address: where it is in Cargo.toml, masked in `text`.
    let manifest = std::fs::read_to_string(p.dir.path().join("Cargo.toml")).unwrap();
    let email = common::email(&p.mailbox);
    let at = manifest.find(&email).unwrap();
    let author = found
        .iter()
        .find(|d| code(d) == "author-email")
        .expect("an author-email message");
    assert_eq!(author.level, DiagnosticLevel::Warning);
    let span = primary(author);
    assert_eq!(span.file_name, "Cargo.toml");
    assert_eq!(
        (span.byte_start as usize, span.byte_end as usize),
        (at, at + email.len())
    );
    assert_eq!(
        (span.line_start, span.column_start),
        line_col(&manifest, at)
    );
    assert_eq!(span.column_end, span.column_start + email.chars().count());
    let line = &span.text[0];
    assert!(
        line.text.contains("@gmail.com") && line.text.contains('•'),
        "{line:?}"
    );
    assert_eq!(
        line.text.chars().count(),
        manifest
            .lines()
            .nth(span.line_start - 1)
            .unwrap()
            .chars()
            .count()
    );
    assert_eq!(line.highlight_start, span.column_start);
    // The fix: a help child whose span carries the replacement.
    let fix = author
        .children
        .iter()
        .find(|c| c.spans.iter().any(|s| s.suggested_replacement.is_some()))
        .expect("a suggestion");
    assert_eq!(fix.level, DiagnosticLevel::Help);
    assert_eq!(
        fix.spans[0].suggestion_applicability,
        Some(Applicability::MachineApplicable)
    );

    // The token: character columns after the non-ASCII `CLÉ`.
    let source = std::fs::read_to_string(p.dir.path().join("src/lib.rs")).unwrap();
    let at = source.find(&p.token).unwrap();
    let token = found
        .iter()
        .find(|d| primary(d).file_name == "src/lib.rs")
        .expect("the token's message");
    assert_eq!(token.level, DiagnosticLevel::Error);
    let span = primary(token);
    assert_eq!(span.byte_start as usize, at);
    assert_eq!((span.line_start, span.column_start), line_col(&source, at));
    assert!(
        span.column_start < at + 1,
        "columns count characters, not bytes"
    );

    // `.env` must not ship: the message sits on `[package]`, line 1 of
    // Cargo.toml, and names the file in a secondary span without text.
    let env = found
        .iter()
        .find(|d| code(d) == "env-file")
        .expect("an env-file message");
    let span = primary(env);
    assert_eq!(
        (
            span.file_name.as_str(),
            span.line_start,
            span.column_start,
            span.column_end
        ),
        ("Cargo.toml", 1, 1, 10)
    );
    assert_eq!(span.text[0].text, "[package]");
    let file = env.spans.iter().find(|s| !s.is_primary).expect("the file");
    assert_eq!((file.file_name.as_str(), file.line_start), (".env", 1));
    assert!(file.text.is_empty());

    // The rendered text is the human diagnostic, values masked.
    assert!(author
        .rendered
        .as_deref()
        .unwrap()
        .starts_with("warning[author-email]: "));
    assert_clean("stdout", &stdout, &[&p.mailbox, &p.token, &p.password]);
    assert_clean("stderr", &stderr, &[&p.mailbox, &p.token, &p.password]);
}

#[test]
fn applying_the_suggested_replacements_fixes_the_manifest() {
    let p = plant(15);
    let (_, stdout, _) = common::run(p.dir.path(), &[], "cargo-json");
    let messages = parse(&stdout);
    let found = diagnostics(&messages);
    // The address goes, and `.env` is excluded: two edits in Cargo.toml.
    assert_eq!(apply_suggestions(p.dir.path(), &found, "Cargo.toml"), 2);
    let manifest = std::fs::read_to_string(p.dir.path().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\"Jane Roe\""), "{manifest}");
    assert!(!manifest.contains(&p.mailbox));

    let (_, stdout, _) = common::run(p.dir.path(), &[], "cargo-json");
    let after = parse(&stdout);
    let codes: BTreeSet<&str> = diagnostics(&after).into_iter().map(code).collect();
    assert!(!codes.contains("author-email"), "{codes:?}");
    assert!(!codes.contains("env-file"), "{codes:?}");
    // The token is still there: the check still reports what remains.
    assert!(diagnostics(&after)
        .iter()
        .any(|d| primary(d).file_name == "src/lib.rs"));
}

#[test]
fn the_demo_fixture_arrives_whole_and_ends_with_build_finished() {
    let demo = common::root().join("fixtures/demo");
    let (_, json) = common::json(&demo, &[]);
    let (status, stdout, _) = common::run(&demo, &[], "cargo-json");
    assert_eq!(status, 1);
    let messages = parse(&stdout);
    let expected = json
        .iter()
        .filter(|v| {
            matches!(
                v["reason"].as_str(),
                Some("finding" | "unused-allow" | "invalid-allow")
            )
        })
        .count();
    let found = diagnostics(&messages);
    assert_eq!(found.len(), expected);
    assert!(found.len() > 5);
    for m in &messages[..messages.len() - 1] {
        match m {
            Message::CompilerMessage(c) => {
                assert_eq!(
                    c.package_id.repr,
                    format!("path+file://{}#0.1.0", demo.display())
                );
                assert_eq!(c.target.name, "demo");
            }
            other => panic!("not a compiler message: {other:?}"),
        }
    }
    assert!(matches!(messages.last(), Some(Message::BuildFinished(_))));
    // A URL password is reported, and shown only masked.
    let url = found
        .iter()
        .find(|d| code(d) == "url-credentials" && primary(d).file_name == "Cargo.toml")
        .unwrap();
    assert!(primary(url).text[0].text.contains("•"));
    assert!(!stdout.contains(&["Zr8nQ2", "vLx7"].concat()));
}

#[test]
fn a_clean_package_reports_success() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"clean\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n",
    );
    common::write(dir.path(), "src/lib.rs", "//! Clean.\n");
    let (status, stdout, _) = common::run(dir.path(), &[], "cargo-json");
    assert_eq!(status, 0);
    let messages = parse(&stdout);
    assert_eq!(messages.len(), 1, "{stdout}");
    assert!(matches!(&messages[0], Message::BuildFinished(f) if f.success));
}

#[test]
fn dry_run_refuses_cargo_json_on_the_same_stdout() {
    let p = plant(16);
    let (status, _, stderr) = common::run(p.dir.path(), &["--dry-run"], "cargo-json");
    assert_eq!(status, 2);
    assert!(stderr.contains("--message-format cargo-json"), "{stderr}");
}

/// The fenced block of `lang` in `docs/editor.md` that holds `needle`.
fn doc_block(doc: &str, lang: &str, needle: &str) -> String {
    let fence = format!("```{lang}\n");
    doc.split(&fence)
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_owned())
        .find(|block| block.contains(needle))
        .unwrap_or_else(|| panic!("no ```{lang} block with `{needle}` in docs/editor.md"))
}

/// Runs `argv` in `dir` with the binary on PATH as `cargo-privacy-check`
/// (as an installed cargo subcommand is), returning stdout.
fn run_as_installed(dir: &Path, argv: &[String]) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_cargo-privacy-check"));
    let path = std::env::join_paths(std::iter::once(bin.parent().unwrap().to_owned()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let output = Command::new(&argv[0])
        .args(&argv[1..])
        .current_dir(dir)
        .env("PATH", path)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("CARGO_TERM_COLOR")
        .output()
        .expect("run the documented command");
    String::from_utf8(output.stdout).expect("UTF-8 stdout")
}

#[test]
fn the_documented_rust_analyzer_command_shows_clippy_and_the_findings() {
    let doc = std::fs::read_to_string(common::root().join("docs/editor.md")).unwrap();
    let settings: serde_json::Value = serde_json::from_str(&doc_block(
        &doc,
        "json",
        "\"rust-analyzer.check.overrideCommand\"",
    ))
    .expect("the VS Code block is JSON");
    let argv: Vec<String> =
        serde_json::from_value(settings["rust-analyzer.check.overrideCommand"].clone()).unwrap();
    assert_eq!(argv[..2], ["sh", "-c"]);

    let p = plant(17);
    let stdout = run_as_installed(p.dir.path(), &argv);
    let messages = parse(&stdout);
    // clippy ran (it built the package), then this tool: its findings are
    // compiler messages, and the stream ends with its build-finished.
    assert!(
        messages
            .iter()
            .any(|m| matches!(m, Message::CompilerArtifact(a) if a.target.name == "planted")),
        "{stdout}"
    );
    let found = diagnostics(&messages);
    assert!(found.iter().any(|d| code(d) == "author-email"), "{stdout}");
    assert!(found.iter().any(|d| code(d) == "env-file"));
    assert!(matches!(messages.last(), Some(Message::BuildFinished(f)) if !f.success));
    assert_clean("stdout", &stdout, &[&p.mailbox, &p.token, &p.password]);

    // The other editors' blocks carry the same command.
    let command = &argv[2];
    let helix: toml_edit::DocumentMut = doc_block(&doc, "toml", "[language-server.rust-analyzer")
        .parse()
        .expect("the Helix block is TOML");
    let helix_argv: Vec<&str> = helix["language-server"]["rust-analyzer"]["config"]["check"]
        ["overrideCommand"]
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(helix_argv, argv);
    let zed: serde_json::Value =
        serde_json::from_str(&doc_block(&doc, "json", "\"lsp\"")).expect("the Zed block is JSON");
    assert_eq!(
        zed["lsp"]["rust-analyzer"]["initialization_options"]["check"]["overrideCommand"],
        settings["rust-analyzer.check.overrideCommand"]
    );
    let neovim = doc_block(&doc, "lua", "overrideCommand");
    assert!(neovim.contains(&format!("\"{command}\"")), "{neovim}");
    assert!(doc.contains(&format!("```text\n{command}\n```")));
}

#[test]
fn the_documented_bacon_job_emits_what_bacon_parses() {
    let doc = std::fs::read_to_string(common::root().join("docs/editor.md")).unwrap();
    let bacon: toml_edit::DocumentMut = doc_block(&doc, "toml", "[jobs.privacy-check]")
        .parse()
        .expect("the bacon block is TOML");
    let job = &bacon["jobs"]["privacy-check"];
    assert_eq!(job["analyzer"].as_str(), Some("cargo_json"));
    assert_eq!(job["need_stdout"].as_bool(), Some(true));
    let argv: Vec<String> = job["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let p = plant(18);
    let stdout = run_as_installed(p.dir.path(), &argv);
    let messages = parse(&stdout);
    let found = diagnostics(&messages);
    let author = found
        .iter()
        .find(|d| code(d) == "author-email")
        .expect("an author-email message");
    // `--color=always`: `rendered` keeps the styling bacon shows.
    let rendered = author.rendered.as_deref().unwrap();
    assert!(rendered.contains("\u{1b}["), "{rendered:?}");
    assert!(rendered.contains("author-email"));
    assert_clean("stdout", &stdout, &[&p.mailbox, &p.token, &p.password]);
}

#[test]
fn a_file_that_must_not_ship_points_at_the_existing_exclude_key() {
    let (_, mailbox, password) = planted(19);
    let dir = tempfile::tempdir().unwrap();
    // An address on a line longer than a span's `text` is shown whole.
    let padding = "x".repeat(500);
    let email = common::email(&mailbox);
    common::write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"ex\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         license = \"MIT\"\nexclude = [\"/notes\"]\n",
    );
    common::write(
        dir.path(),
        "src/lib.rs",
        &format!("//! {padding} {email}\n"),
    );
    common::write(dir.path(), ".env", &format!("API_PASSWORD={password}\n"));
    common::git(dir.path(), &["init", "-q"]);
    common::git(dir.path(), &["add", "-A"]);
    let (_, stdout, _) = common::run(dir.path(), &[], "cargo-json");
    let messages = parse(&stdout);
    let found = diagnostics(&messages);
    let env = found
        .iter()
        .find(|d| code(d) == "env-file")
        .expect("env-file");
    let span = primary(env);
    assert_eq!(
        (
            span.file_name.as_str(),
            span.line_start,
            span.column_start,
            span.column_end
        ),
        ("Cargo.toml", 6, 1, 8)
    );
    assert_eq!(span.text[0].text, "exclude = [\"/notes\"]");
    let long = found
        .iter()
        .find(|d| primary(d).file_name == "src/lib.rs")
        .expect("the address on the long line");
    let span = primary(long);
    assert!(span.text.is_empty(), "{:?}", span.text);
    assert_eq!((span.line_start, span.column_start), (1, 4 + 500 + 2));
    assert_clean("stdout", &stdout, &[&mailbox, &password]);
}

#[test]
fn warnings_about_allow_comments_are_diagnostics_on_the_comment() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"al\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n",
    );
    let marker = concat!("privacy-check", ":allow");
    let text =
        format!("//! Crate.\n// {marker}(email-address)\npub fn f() {{}}\n// {marker}(emial)\n");
    common::write(dir.path(), "src/lib.rs", &text);
    let (status, stdout, _) = common::run(dir.path(), &[], "cargo-json");
    assert_eq!(status, 0, "{stdout}");
    let messages = parse(&stdout);
    let found = diagnostics(&messages);
    let unused = found
        .iter()
        .find(|d| code(d) == "unused-allow")
        .expect("an unused-allow message");
    assert_eq!(unused.level, DiagnosticLevel::Warning);
    let span = primary(unused);
    let at = text.find("email-address").unwrap();
    assert_eq!(span.file_name, "src/lib.rs");
    assert_eq!((span.line_start, span.column_start), line_col(&text, at));
    assert_eq!(span.column_end, span.column_start + "email-address".len());
    let invalid = found
        .iter()
        .find(|d| code(d) == "invalid-allow")
        .expect("an invalid-allow message");
    assert_eq!(primary(invalid).line_start, 4);
    assert!(matches!(messages.last(), Some(Message::BuildFinished(f)) if f.success));
}
