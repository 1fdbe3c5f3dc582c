//! Detection end to end: planted leaks and decoys in a fixture crate, the
//! exact findings (path, line, rule, level) asserted from the JSON output.
//!
//! `fixtures/leaks` holds what is safe to commit (decoys, a home path,
//! addresses). Everything a hosting provider's push protection could take
//! for a live secret (checksum-valid tokens, private keys, card numbers,
//! IBANs) is generated here, at test time, into a copy of that crate, which
//! is then committed to a throw-away git repository so hidden files such as
//! `.env` ship, as they do from a real repository.

use std::path::Path;
use std::process::Command;

mod common;
use common::{git, write, Rng, BASE62, BASE64, DIGITS};

/// The same token with one character of its random part changed.
fn corrupt(token: &str, at: usize) -> String {
    let mut bytes = token.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'a' { b'b' } else { b'a' };
    String::from_utf8(bytes).unwrap()
}

fn luhn_complete(partial: &str) -> String {
    let sum: u32 = partial
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let d = d * 2;
                if d > 9 {
                    d - 9
                } else {
                    d
                }
            } else {
                d
            }
        })
        .sum();
    format!("{partial}{}", (10 - sum % 10) % 10)
}

/// A German IBAN with valid mod-97 check digits around an 18-digit BBAN.
fn iban(bban: &str) -> String {
    // Country letters D=13, E=14, then "00", moved behind the BBAN.
    let numeric = format!("{bban}131400");
    let rem = numeric
        .bytes()
        .fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
    format!("DE{:02}{bban}", 98 - rem)
}

fn base64_lines(rng: &mut Rng, start: &str, lines: usize) -> Vec<String> {
    let mut out = vec![format!("{start}{}", rng.pick(BASE64, 64 - start.len()))];
    out.extend((1..lines).map(|_| rng.pick(BASE64, 64)));
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Builds the leaky crate; returns its folder (inside `tmp`).
fn leaky_crate(tmp: &Path) -> std::path::PathBuf {
    let root = tmp.join("leaks");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/leaks"),
        &root,
    );
    let mut rng = Rng(0x5eed_cafe);

    let github = rng.crc_token("ghp_");
    let db_password = rng.pick(BASE62, 16);
    write(
        &root,
        ".env",
        &format!(
            "# local settings\nDATABASE_URL=postgres://app:{db_password}@db.internal.corp.net:5432/prod\nGITHUB_TOKEN={github}\n"
        ),
    );

    let mut pem = vec!["-----BEGIN RSA PRIVATE KEY-----".to_owned()];
    // A whole key: the length its DER header (`MIIEpA…`) declares.
    pem.extend(base64_lines(&mut rng, "MIIEpAIBAAKCAQEA", 25));
    pem.push("-----END RSA PRIVATE KEY-----\n".to_owned());
    write(&root, "config/deploy.pem", &pem.join("\n"));

    // "openssh-key-v1\0" in base64, then key bytes.
    let openssh = base64_lines(&mut rng, "b3BlbnNzaC1rZXktdjEAAAAA", 6).join("\\n");
    let npm = rng.crc_token("npm_");
    let not_github = corrupt(&rng.crc_token("ghp_"), 10);
    let not_npm = corrupt(&rng.crc_token("npm_"), 12);
    write(
        &root,
        "src/embedded.rs",
        &format!(
            "pub const KEY: &str = \"-----BEGIN OPENSSH PRIVATE KEY-----\\n{openssh}\\n-----END OPENSSH PRIVATE KEY-----\\n\";\n\
             pub const PUBLISH: &str = \"{npm}\";\n\
             // Right shapes, wrong checksums: not tokens.\n\
             pub const LOOKS_LIKE_GITHUB: &str = \"{not_github}\";\n\
             pub const LOOKS_LIKE_NPM: &str = \"{not_npm}\";\n"
        ),
    );

    let card = luhn_complete(&format!("4{}", rng.pick(DIGITS, 14)));
    let mut bad_card = card.clone().into_bytes();
    bad_card[7] = if bad_card[7] == b'3' { b'4' } else { b'3' };
    let bad_card = String::from_utf8(bad_card).unwrap();
    let account = iban(&rng.pick(DIGITS, 18));
    write(
        &root,
        "tests/data/customers.csv",
        &format!(
            "name,card,iban\nJane Roe,{card},{account}\nTest Card,4111111111111111,GB82WEST12345698765432\nTypo,{bad_card},DE00123456789012345678\n"
        ),
    );

    let cio = format!("cio{}", rng.pick(BASE62, 32));
    write(
        &root,
        ".cargo/credentials.toml",
        &format!("[registry]\ntoken = \"{cio}\"\n"),
    );
    let npm_registry = rng.crc_token("npm_");
    write(
        &root,
        ".npmrc",
        &format!("//registry.npmjs.org/:_authToken={npm_registry}\n"),
    );

    precision_cases(&root, &mut rng);

    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "leaks"]);
    root
}

/// The shapes of misses and false alarms found on published crates
/// (issue 12), with fake values: a captured terminal session (console's
/// `sample_zellij_session.log`), `git@` and role mailboxes at personal
/// domains in `authors`, SSH algorithm names and a C escape before an
/// address, a truncated key in documentation, a Travis-encrypted key, a
/// `perf` recording and AI assistants' local files next to shared ones.
fn precision_cases(root: &Path, rng: &mut Rng) {
    // A user name with digits, after a colour code and in prompts.
    let user = format!("tkowal{}", rng.pick(DIGITS, 2));
    write(
        root,
        "tests/data/session.log",
        &format!(
            "\x1b]2;{user}@ai:~/src/app\x07\r\n\
             \x1b[0;1m\x1b[32m{user}@ai \x1b[34m/home/{user}/src/app\x1b[0m\n\
             [{user}@fedora app]$ cargo test\n\
             git clone git@github.com:owner/app.git\n"
        ),
    );
    // `authors`: a `git@` mailbox and a role word at the author's domain.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let manifest = manifest.replace(
        "authors = [",
        &format!(
            "authors = [\"Tomasz Kowalski <{}@{}>\", \"Tomasz Kowalski <{}@{}>\", \"App Contributors <{}@{}>\", ",
            "git", "tkowalski.dev", "contact", "tomaszkowalski.com", "team", "app-rs.org"
        ),
    );
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    // C source: SSH names are not addresses; `\t` is not part of one.
    let list = format!("{}@{}", "app-devel", "lists.app-rs.org");
    write(
        root,
        "ffi/kex.c",
        &format!(
            "static const char *names[] = {{\"aes256-gcm@openssh.com\", \"hmac-sha2-256-etm@openssh.com\",\n\
             \"curve25519-sha256@libssh.org\"}};\n\
             fprintf(stderr, \"report bugs to:\\t{list}\\n\");\n"
        ),
    );
    // A key in documentation, visibly cut.
    let lines = base64_lines(rng, "MIIEpAIBAAKCAQEA", 2).join("\n");
    write(
        root,
        "docs/keys.md",
        &format!("A key looks like this:\n\n```text\n-----BEGIN RSA PRIVATE KEY-----\n{lines}\n...\n-----END RSA PRIVATE KEY-----\n```\n"),
    );
    // Ciphertext named like a key (`travis encrypt-file`), a perf recording.
    let cipher: Vec<u8> = (0..1680).map(|_| rng.next() as u8).collect();
    std::fs::create_dir_all(root.join("scripts")).unwrap();
    std::fs::write(root.join("scripts/id_rsa.enc"), &cipher).unwrap();
    let mut perf = b"PERFILE2".to_vec();
    perf.extend_from_slice(&cipher[..256]);
    std::fs::write(root.join("perf.data"), perf).unwrap();
    // AI assistants: personal state, and shared instructions.
    write(
        root,
        ".aider.chat.history.md",
        "# aider chat started at 2025-06-01 10:00:00\n\n#### make the tests pass\n",
    );
    write(
        root,
        ".claude/settings.local.json",
        "{\"permissions\": {\"allow\": [\"Bash(cargo test:*)\"]}}\n",
    );
    write(
        root,
        ".claude/settings.json",
        "{\"permissions\": {\"allow\": []}}\n",
    );
    write(root, "CLAUDE.md", "Run `cargo test` before committing.\n");
}

#[test]
fn planted_leaks_are_found_exactly_and_decoys_are_not() {
    let tmp = tempfile::tempdir().unwrap();
    let root = leaky_crate(tmp.path());
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .args(["privacy-check", "--message-format", "json"])
        .current_dir(&root)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut found: Vec<(String, Option<u64>, String, String)> = lines
        .iter()
        .filter(|l| l["reason"] == "finding")
        .map(|l| {
            (
                l["path"].as_str().unwrap().to_owned(),
                l["line"].as_u64(),
                l["rule"].as_str().unwrap().to_owned(),
                l["level"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    let f = |path: &str, line: Option<u64>, rule: &str, level: &str| {
        (path.to_owned(), line, rule.to_owned(), level.to_owned())
    };
    let expected = vec![
        f(
            ".aider.chat.history.md",
            None,
            "ai-assistant-local-file",
            "error",
        ),
        f(".cargo/credentials.toml", None, "credentials-file", "error"),
        f(
            ".cargo/credentials.toml",
            Some(2),
            "crates-io-token",
            "error",
        ),
        f(
            ".claude/settings.local.json",
            None,
            "ai-assistant-local-file",
            "error",
        ),
        f(".env", None, "env-file", "error"),
        f(".env", Some(2), "url-credentials", "error"),
        f(".env", Some(3), "github-token", "error"),
        f(".npmrc", None, "credentials-file", "error"),
        f(".npmrc", Some(1), "npm-token", "error"),
        // `git@` and `contact@` at the author's own domains; the team's
        // role address stays a note.
        f("Cargo.toml", Some(8), "author-email", "warning"),
        f("Cargo.toml", Some(8), "author-email", "warning"),
        f("Cargo.toml", Some(8), "role-email", "note"),
        f("config/deploy.pem", None, "private-key-file", "error"),
        f("docs/CONTRIBUTING.md", Some(1), "email-address", "note"),
        f("docs/CONTRIBUTING.md", Some(1), "role-email", "note"),
        f("ffi/kex.c", Some(3), "role-email", "note"),
        f("perf.data", None, "profiler-recording", "warning"),
        f("scripts/id_rsa.enc", None, "encrypted-key-file", "warning"),
        f("src/embedded.rs", Some(1), "private-key-material", "error"),
        f("src/embedded.rs", Some(2), "npm-token", "error"),
        f("tests/data/customers.csv", Some(2), "iban", "warning"),
        f(
            "tests/data/customers.csv",
            Some(2),
            "payment-card",
            "warning",
        ),
        f(
            "tests/data/session.log",
            Some(1),
            "home-folder-path",
            "warning",
        ),
        f(
            "tests/data/session.log",
            Some(2),
            "home-folder-path",
            "warning",
        ),
        f(
            "tests/data/session.log",
            Some(3),
            "home-folder-path",
            "warning",
        ),
        f(
            "tests/data/snapshot.txt",
            Some(1),
            "home-folder-path",
            "warning",
        ),
    ];
    assert_eq!(found, expected, "{stdout}");
    assert_eq!(output.status.code(), Some(1));

    // The `\t` before the list's address is not part of it: the finding
    // starts after the escape.
    let kex = lines
        .iter()
        .find(|l| l["path"] == "ffi/kex.c")
        .expect("kex.c finding");
    let line = std::fs::read_to_string(root.join("ffi/kex.c")).unwrap();
    let line = line.lines().nth(2).unwrap();
    let column = line.find("\\t").unwrap() + 3;
    assert_eq!(kex["column"].as_u64(), Some(column as u64), "{kex}");

    // Nothing generated is repeated, in any format.
    let generated = [
        ".env",
        "src/embedded.rs",
        "tests/data/customers.csv",
        ".npmrc",
        ".cargo/credentials.toml",
    ];
    let mut values: Vec<String> = Vec::new();
    for file in generated {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        // Every long token-like run of the generated files.
        values.extend(
            text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .filter(|w| w.len() >= 12 && w.chars().any(|c| c.is_ascii_digit()))
                .map(|w| w[w.len() - 10..].to_owned()),
        );
    }
    for format in ["human", "short", "json"] {
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
            .args(["--message-format", format, "--color", "never", "-v"])
            .current_dir(&root)
            .output()
            .unwrap();
        let all = String::from_utf8_lossy(&[output.stdout, output.stderr].concat()).into_owned();
        for value in &values {
            assert!(
                !all.contains(value.as_str()),
                "{format} output repeats …{value}"
            );
        }
    }
}

#[test]
fn ignored_files_do_not_ship_and_are_not_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let root = leaky_crate(tmp.path());
    // Ignored and removed from the index: cargo would not ship it.
    write(&root, ".gitignore", ".env\n");
    git(&root, &["rm", "-q", "--cached", ".env"]);
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .args(["--message-format", "short"])
        .current_dir(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains(".env:"), "{stderr}");
    assert!(stderr.contains(".npmrc"), "{stderr}");
}
