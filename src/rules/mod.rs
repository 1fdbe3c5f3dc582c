//! The rules and their registry.
//!
//! A rule is a named, documented check with a category and a default level;
//! it says itself whether its findings can be fixed, whether it is generic,
//! and how it is judged in tests ([`Rule`]). Each file in this folder holds
//! one family of rules ([`Family`]): the [`Rule`] statics with their
//! documentation on top, the code that finds them, and its `FAMILY`. The
//! registry, [`FAMILIES`], lists every family once, so [`all`] lists every
//! rule once; names are stable (they appear in
//! configuration, allow comments and JSON output) and a test keeps them
//! unique, kebab-case and documented.
//!
//! Three kinds of code find things:
//! - [`Detector`]s look at the text of any packaged file (emails, secrets,
//!   keys, home paths…), each in one pass behind its own literal prefilter;
//! - whole-file checks ([`check_file`], e.g. [`sensitive_files`]) judge a
//!   file as a whole, by its name and first bytes (`.env`, key stores, core
//!   dumps), binary files included;
//! - manifest rules ([`authors`]) read `Cargo.toml` structurally, because
//!   they need to know which key a value belongs to and where it is inherited
//!   from.

use std::ops::Range;
use std::sync::LazyLock;

use crate::diagnostic::Match;
pub use crate::diagnostic::Rule;

pub mod assignments;
pub mod authors;
pub mod captures;
pub mod custom;
pub mod email;
pub mod encoded_credentials;
pub mod file_kind;
pub mod home_paths;
pub mod literals;
pub mod payment;
pub mod private_keys;
pub mod randomness;
pub mod sensitive_files;
pub mod test_context;
pub mod tokens;
pub mod url_credentials;

/// A family of rules: one file of this folder, one line of [`FAMILIES`].
pub struct Family {
    /// Its rules, in the order they are documented.
    pub rules: &'static [&'static Rule],
    /// What finds its rules' findings.
    pub finder: Finder,
}

/// What finds a family's findings.
pub enum Finder {
    /// A detector over the text of every packaged file ([`detect`]).
    Text(&'static dyn Detector),
    /// A check of each packaged file as a whole, by its archive path and
    /// first bytes (`None` when it could not be read), binary files
    /// included ([`sensitive_files::check_file`]).
    Files(fn(&str, Option<&[u8]>) -> Option<Match>),
    /// The engine reads `Cargo.toml` structurally ([`authors::check`]).
    Manifest,
}

/// The registry: every family, in the order they are documented. Adding a
/// family of rules is one file in this folder and one line here.
pub static FAMILIES: &[&Family] = &[
    &authors::FAMILY,
    &email::FAMILY,
    &url_credentials::FAMILY,
    &tokens::FAMILY,
    &private_keys::FAMILY,
    &assignments::FAMILY,
    &sensitive_files::FAMILY,
    &captures::FAMILY,
    &encoded_credentials::FAMILY,
    &home_paths::FAMILY,
    &payment::FAMILY,
];

/// Every rule: the built-in ones in the order they are documented, then
/// the custom rules the configuration defined ([`custom`]'s registry).
pub fn all() -> impl Iterator<Item = &'static Rule> {
    builtin().chain(custom::registered())
}

/// The built-in rules, in the order they are documented.
pub fn builtin() -> impl Iterator<Item = &'static Rule> {
    FAMILIES.iter().flat_map(|f| f.rules.iter().copied())
}

/// A rule by name: a built-in one, or a custom one the configuration
/// defined (known once the configuration is read).
pub fn find(name: &str) -> Option<&'static Rule> {
    builtin()
        .find(|r| r.name == name)
        .or_else(|| custom::find(name))
}

/// Whether a finding of `rule` in test context ([`test_context`]) is
/// relaxed from error to warning, with [`test_fixture_note`]: the rules
/// that say so ([`Rule::relaxed_in_tests`]: the generic ones and key
/// material, `private-key-material`, `private-key-file`, `keystore-file`,
/// whose hits in published crates' tests were all deliberate fixtures). A
/// checksum-validated provider token stays an error everywhere: a test
/// does not need a live one. Only the default level is relaxed: an
/// explicit `-D` or `[lints]` deny keeps the error
/// ([`crate::levels::Levels::judge`]).
pub fn relaxed_in_tests(rule: &Rule) -> bool {
    rule.relaxed_in_tests
}

/// The note a finding of `rule` relaxed by [`relaxed_in_tests`] carries.
pub fn test_fixture_note(rule: &Rule) -> String {
    format!(
        "this looks like a test fixture, so it is a warning rather than an error; \
         if it is one, allow it with a `privacy-check:allow({})` comment or \
         `{} = \"allow\"` in `[lints]`, or keep the folder out of the package \
         with `exclude`",
        rule.name, rule.name
    )
}

/// What a detector is told about the file it scans.
#[derive(Clone, Copy, Debug)]
pub struct FileContext<'a> {
    /// Path inside the .crate, `/`-separated.
    pub archive_path: &'a str,
    /// The file is a `Cargo.toml` (manifest rules cover some of its content).
    pub is_manifest: bool,
    /// Name of the package that ships the file.
    pub package: &'a str,
}

/// Finds matches in the text of one file, in one pass driven by its own
/// literal prefilter (see [`crate::rules::detect`]).
pub trait Detector: Sync {
    fn scan(&self, text: &str, file: FileContext<'_>, out: &mut Vec<Match>);

    /// [`Detector::scan`], given what [`detect`]'s shared pass found
    /// ([`literals::SharedHits`]): a detector whose literals are in it
    /// does not search for them again. Finds exactly what `scan` finds.
    fn scan_with(
        &self,
        text: &str,
        file: FileContext<'_>,
        shared: &literals::SharedHits,
        out: &mut Vec<Match>,
    ) {
        let _ = shared;
        self.scan(text, file, out);
    }
}

/// Every text detector, from the registry.
pub fn detectors() -> Vec<&'static dyn Detector> {
    FAMILIES
        .iter()
        .filter_map(|f| match f.finder {
            Finder::Text(detector) => Some(detector),
            Finder::Files(_) | Finder::Manifest => None,
        })
        .collect()
}

/// Every whole-file check of the registry over one packaged file.
pub fn check_file(archive_path: &str, head: Option<&[u8]>) -> Vec<Match> {
    FAMILIES
        .iter()
        .filter_map(|f| match f.finder {
            Finder::Files(check) => check(archive_path, head),
            Finder::Text(_) | Finder::Manifest => None,
        })
        .collect()
}

/// Renders a rule's documentation for `--explain`.
pub fn explain(rule: &Rule) -> String {
    format!(
        "# `{}`\n\ncategory: {}, default level: {}\n\n{}\n",
        rule.name,
        rule.category.as_str(),
        rule.default_level.as_str(),
        rule.doc.trim()
    )
}

/// Runs every text detector over `text`. Each detector makes one pass
/// driven by its own literal prefilter (an Aho-Corasick automaton over its
/// anchors, or a regex with a literal the regex engine searches for) and
/// runs its patterns only where that prefilter hits. A global gate in front
/// of them was measured on the corpus and cost more than it saved; the
/// literals of [`home_paths`] and [`private_keys`] are found in one shared
/// pass ([`literals::SharedHits`]), which costs what one of theirs did.
pub fn detect(text: &str, file: FileContext<'_>) -> Vec<Match> {
    let mut out = Vec::new();
    let shared = literals::SharedHits::find(text.as_bytes());
    for detector in DETECTORS.iter() {
        detector.scan_with(text, file, &shared, &mut out);
    }
    drop_generic_duplicates(&mut out);
    out
}

static DETECTORS: LazyLock<Vec<&'static dyn Detector>> = LazyLock::new(detectors);

/// A value a specific rule recognises (a GitHub token) is not reported
/// again by a generic one that also saw it (`TOKEN = "…"`, a URL's user).
fn drop_generic_duplicates(matches: &mut Vec<Match>) {
    if matches.len() < 2 {
        return;
    }
    let specific: Vec<Range<usize>> = matches
        .iter()
        .filter(|m| !m.rule.generic && m.rule.category != crate::diagnostic::Category::Email)
        .map(|m| m.range.clone())
        .collect();
    matches.retain(|m| !m.rule.generic || !overlaps_any(&m.range, &specific));
}

/// Whether `range` overlaps one of `others`.
pub fn overlaps_any(range: &Range<usize>, others: &[Range<usize>]) -> bool {
    others
        .iter()
        .any(|o| range.start < o.end && o.start < range.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Category;
    use std::collections::HashSet;

    #[test]
    fn rule_names_are_unique_kebab_case_and_documented() {
        let mut seen = HashSet::new();
        // The built-in rules (unit tests register custom ones too).
        for rule in builtin() {
            assert!(seen.insert(rule.name), "duplicate rule name {}", rule.name);
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                rule.name
            );
            assert!(
                Category::ALL.iter().all(|c| c.as_str() != rule.name),
                "{} collides with a category name",
                rule.name
            );
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## How to fix",
            ] {
                assert!(
                    rule.doc.contains(section),
                    "{} lacks `{section}`",
                    rule.name
                );
            }
            assert!(!rule.summary.is_empty() && !rule.summary.contains('\n'));
        }
    }
}

#[cfg(test)]
mod explain_tests {
    use super::*;
    use std::collections::HashSet;

    /// A user copies `--explain`'s examples: each must be recognisably fake
    /// (reserved domains, documented test numbers, placeholder homes), so
    /// the tool's own detectors find nothing in them, and the output
    /// boundary never has to mask the documentation.
    #[test]
    fn explain_examples_are_not_flagged_by_the_tool_itself() {
        let mut flagged = Vec::new();
        for rule in builtin() {
            let text = explain(rule);
            for context in [
                FileContext {
                    archive_path: "README.md",
                    is_manifest: false,
                    package: "demo",
                },
                FileContext {
                    archive_path: "Cargo.toml",
                    is_manifest: true,
                    package: "demo",
                },
            ] {
                for m in crate::rules::detect(&text, context) {
                    flagged.push(format!(
                        "{}: {} at {:?} ({:?})",
                        rule.name,
                        m.rule.name,
                        m.range,
                        &text[m.range.clone()]
                    ));
                }
            }
        }
        assert!(flagged.is_empty(), "{flagged:#?}");
    }

    /// Every built-in rule is emitted by at least one sample below (a
    /// custom rule is checked against its own examples when loaded): a
    /// rule listed in a family but emitted by no code (a detector that lost
    /// it, a name typed twice) fails here. Samples are built at run time,
    /// split where a literal would look like a live credential.
    #[test]
    fn every_registered_rule_is_emitted_by_a_sample() {
        let mut emitted: HashSet<&str> = HashSet::new();
        let text = |path: &'static str, text: String| (path, text);
        let at = |user: &str, domain: &str| format!("{user}@{domain}");
        let base64 = |s: &str| {
            const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut out = String::new();
            for chunk in s.as_bytes().chunks(3) {
                let n = chunk.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b))
                    << (8 * (3 - chunk.len()));
                for i in 0..=chunk.len() {
                    out.push(char::from(ABC[(n >> (18 - 6 * i)) as usize & 63]));
                }
                out.push_str(&"=".repeat(3 - chunk.len()));
            }
            out
        };
        let password = ["Zq8", "vR2", "kLm", "9Tx"].concat();
        // Pseudo-random text of an alphabet, the same on every run.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut random = |alphabet: &[u8], n: usize| -> String {
            (0..n)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    char::from(alphabet[(seed % alphabet.len() as u64) as usize])
                })
                .collect()
        };
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        // An OpenSSH key's start (its END line out of reach).
        let key = format!(
            "-----BEGIN OPENSSH PRIVATE {}-----\nb3BlbnNzaC1rZXktdjEAAAAA{}\n{}\n",
            "KEY",
            random(B64, 40),
            (0..4)
                .map(|_| random(B64, 64))
                .collect::<Vec<_>>()
                .join("\n")
        );
        // A card number and an IBAN with valid check digits.
        let card = {
            let partial = format!("4{}", random(b"0123456789", 14));
            let sum: u32 = partial
                .bytes()
                .rev()
                .enumerate()
                .map(|(i, b)| {
                    let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
                    if d > 9 {
                        d - 9
                    } else {
                        d
                    }
                })
                .sum();
            format!("{partial}{}", (10 - sum % 10) % 10)
        };
        let iban = {
            let bban = random(b"0123456789", 18);
            let rem = format!("{bban}131400")
                .bytes()
                .fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
            format!("DE{:02}{bban}", 98 - rem)
        };
        let mut texts = vec![
            text(
                "src/lib.rs",
                format!("// {}\n", at("jane.doe", "gmail.com")),
            ),
            text(
                "src/lib.rs",
                format!("// {}\n", at("security", "acme-corp.io")),
            ),
            text(
                "Cargo.toml.orig",
                format!(
                    "[package]\ndescription = \"by {}\"\n",
                    at("raj.patel", "corp-mail.net")
                ),
            ),
            text(
                "src/lib.rs",
                format!("const U: &str = \"https://deploy:{password}@git.acme-corp.io/r\";\n"),
            ),
            text(
                "src/lib.rs",
                format!("let api_password = \"{password}\";\n"),
            ),
            text("tests/key.txt", key),
            text(
                "src/lib.rs",
                format!(
                    "//! built in {}/rkowalski/project\n",
                    ["/ho", "me"].concat()
                ),
            ),
            text("tests/pay.txt", format!("card: {card}\n")),
            text("tests/iban.txt", format!("IBAN {iban}\n")),
            text(
                "tests/docker/config.json",
                format!(
                    "{{\"auths\": {{\"ghcr.io\": {{\"auth\": \"{}\"}}}}}}\n",
                    base64(&format!("jdoe:{password}"))
                ),
            ),
            text(
                "tests/kubeconfig",
                format!("users:\n- name: admin\n  user:\n    password: {password}\n"),
            ),
            text(
                "tests/.netrc",
                format!("machine api.acme-corp.io login jdoe password {password}\n"),
            ),
            text(
                "tests/.pgpass",
                format!("db.acme-corp.io:5432:app:jdoe:{password}\n"),
            ),
        ];
        texts.extend(
            tokens::tests::one_sample_of_each_format()
                .into_iter()
                .map(|t| ("src/config.rs", t)),
        );
        for (path, text) in &texts {
            let file = FileContext {
                archive_path: path,
                is_manifest: path.starts_with("Cargo.toml"),
                package: "demo",
            };
            emitted.extend(detect(text, file).iter().map(|m| m.rule.name));
        }
        let mut elf_core = b"\x7fELF\x02\x01\x01".to_vec();
        elf_core.resize(16, 0);
        elf_core.extend_from_slice(&[4, 0]);
        elf_core.resize(64, 0);
        let files: [(&str, Option<&[u8]>); 18] = [
            (".env", Some(b"API_KEY=abc123\n")),
            ("deploy/id_ed25519", None),
            ("release.keystore", None),
            (".git-credentials", None),
            ("terraform.tfstate", None),
            (".bash_history", None),
            ("vault.kdbx", None),
            (
                "tests/dump.sql",
                Some(b"-- MySQL dump 10.13\n--\nINSERT INTO `users` VALUES (1,'Jane');\n"),
            ),
            ("core", Some(&elf_core)),
            ("tests/app.sqlite", Some(b"SQLite format 3\0")),
            ("src/.lib.rs.swp", Some(b"b0VIM 9.0\0\0")),
            (".DS_Store", None),
            ("deploy/id_rsa.gpg", None),
            ("perf.data", None),
            (".aider.chat.history.md", Some(b"# aider chat started")),
            ("tests/login.har", None),
            ("tests/trace.pcapng", None),
            ("backup/server.p12", None),
        ];
        for (path, head) in files {
            emitted.extend(check_file(path, head).iter().map(|m| m.rule.name));
        }
        let manifest = crate::manifest::Manifest::parse(
            std::path::Path::new("Cargo.toml"),
            format!(
                "[package]\nname = \"demo\"\nauthors = [\"Jane <{}>\"]\n",
                at("jane.doe", "gmail.com")
            ),
        )
        .unwrap();
        emitted.extend(
            authors::check(&manifest, authors::AuthorsTable::Package)
                .iter()
                .map(|f| f.found.rule.name),
        );
        let missing: Vec<&str> = builtin()
            .map(|r| r.name)
            .filter(|n| !emitted.contains(n))
            .collect();
        assert!(missing.is_empty(), "rules no sample emits: {missing:?}");
    }
}
