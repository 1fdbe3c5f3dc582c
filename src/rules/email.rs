//! Email addresses: finding them in text and telling personal ones apart.
//!
//! Classification (shared by every email rule):
//! - **public by design**, never reported: GitHub/GitLab noreply addresses,
//!   `noreply`-style mailboxes, and the reserved example domains of RFC 2606
//!   and RFC 6761 (`example.com/.net/.org` and their subdomains, `*.example`,
//!   `*.invalid`, `*.test`, `localhost`, `*.local`);
//! - **role**, reported by [`ROLE_EMAIL`] at `note`: a mailbox that names a
//!   function rather than a person (`team@`, `security@`, `info@`…) or a
//!   mailing list (`lists.*`, `googlegroups.com`). Such addresses are meant to
//!   be published, but one at a personal domain still points at a person;
//! - **personal**: everything else. A person's work address is personal data
//!   as much as their Gmail one.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{redact_email, Category, Level, Match};
use crate::rules::{Detector, FileContext, Rule};

pub static RULES: &[&Rule] = &[&MANIFEST_EMAIL, &EMAIL_ADDRESS, &ROLE_EMAIL];

pub static MANIFEST_EMAIL: Rule = Rule {
    name: "manifest-email",
    category: Category::Email,
    default_level: Level::Warning,
    summary: "personal email address in Cargo.toml outside `authors`",
    doc: r#"
## What it does
Finds personal email addresses anywhere in a package's `Cargo.toml` other
than `authors`: metadata tables such as `[package.metadata.deb] maintainer`,
values of any key, and comments.

## Why is this bad?
`Cargo.toml` ships twice in every `.crate`: normalized, and byte for byte as
`Cargo.toml.orig`, comments included. Whatever it holds is public on
crates.io and every mirror for good: yanking does not delete it.

## Example
```toml
[package.metadata.deb]
maintainer = "Jane Doe <jane.doe@example.com>"
```
(`example.com` stands in for a real provider such as Gmail: addresses at
reserved example domains are not reported, so this one is safe to copy.)

## How to fix
Remove the address, or use one that is meant to be public (a project list, a
GitHub `noreply` address).
"#,
};

pub static EMAIL_ADDRESS: Rule = Rule {
    name: "email-address",
    category: Category::Email,
    default_level: Level::Note,
    summary: "personal email address in a packaged file",
    doc: r#"
## What it does
Finds personal email addresses in any file the package ships other than
`Cargo.toml`: source comments, READMEs, test data, snapshots.

## Why is this bad?
Everything in a published crate is public and permanent. An address in a
copyright header is often there by choice, which is why this rule is a
`note` by default; an address in a test snapshot or a data file usually is
not.

## Example
```rust
// Contact jane.doe@example.com for access to the staging server.
```
(`example.com` stands in for a real provider such as Gmail: addresses at
reserved example domains are not reported, so this one is safe to copy.)

## How to fix
Remove the address or replace it with one meant to be public, or keep the
file out of the package with `exclude`.
"#,
};

pub static ROLE_EMAIL: Rule = Rule {
    name: "role-email",
    category: Category::Email,
    default_level: Level::Note,
    summary: "role or mailing-list email address (published on purpose, usually)",
    doc: r#"
## What it does
Reports addresses whose mailbox names a function rather than a person
(`team@`, `security@`, `info@`, `maintainers@`…) or a mailing list.

## Why is this bad?
Usually it is not: such addresses exist to be published, so this is only a
note. It is listed so that a role mailbox at a personal domain
(`admin@` at a family name's own domain) is still seen.

## Example
```toml
authors = ["The Foo Team <team@foo.example>"]
```

## How to fix
Nothing, if the address is meant to be public. Otherwise remove it.
"#,
};

/// How public an address is meant to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailKind {
    Personal,
    Role,
    Public,
}

/// Mailboxes that name a function, not a person.
const ROLE_MAILBOXES: &[&str] = &[
    "abuse",
    "admin",
    "administrator",
    "announce",
    "authors",
    "bot",
    "bugs",
    "build",
    "careers",
    "ci",
    "community",
    "conduct",
    "contact",
    "contributors",
    "core",
    "crates",
    "dev",
    "developers",
    "devel",
    "devs",
    "devteam",
    "docs",
    "engineering",
    "feedback",
    "foundation",
    "hello",
    "help",
    "hi",
    "hostmaster",
    "info",
    "infra",
    "legal",
    "licensing",
    "mail",
    "maintainers",
    "media",
    "office",
    "opensource",
    "open-source",
    "oss",
    "packages",
    "packaging",
    "postmaster",
    "press",
    "privacy",
    "project",
    "release",
    "releases",
    "root",
    "rust",
    "sales",
    "security",
    "staff",
    "support",
    "team",
    "webmaster",
];

/// Mailboxes that are not inboxes at all (or SSH users, as in `git@host`).
const NON_INBOX_MAILBOXES: &[&str] = &[
    "git",
    "noreply",
    "no-reply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "nobody",
];

/// Classifies a syntactically valid address.
pub fn classify(email: &str) -> EmailKind {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return EmailKind::Public;
    };
    let local = local.to_ascii_lowercase();
    let domain = domain.to_ascii_lowercase();
    let domain = domain.trim_end_matches('.');

    let is_or_under = |d: &str| domain == d || domain.ends_with(&format!(".{d}"));
    let reserved = ["example.com", "example.net", "example.org"]
        .into_iter()
        .any(is_or_under)
        || ["example", "invalid", "test", "localhost", "local"]
            .into_iter()
            .any(is_or_under);
    let noreply_domain = is_or_under("noreply.github.com")
        || is_or_under("noreply.gitlab.com")
        || domain == "github.com" && local == "noreply";
    if reserved || noreply_domain || NON_INBOX_MAILBOXES.contains(&local.as_str()) {
        return EmailKind::Public;
    }

    let mailing_list = domain.starts_with("lists.") || domain == "googlegroups.com";
    // `rust-team@`, `security-reports@`: a compound mailbox is a role when it
    // ends in a group word or starts with a function word. `jane.dev@` and
    // `hi.jane@` stay personal: `dev` and `hi` alone are too short to decide.
    let words: Vec<&str> = local
        .split(['-', '_', '.', '+'])
        .filter(|w| !w.is_empty())
        .collect();
    let compound_role = words.len() > 1
        && (words.last().is_some_and(|w| ROLE_LAST_WORDS.contains(w))
            || words.first().is_some_and(|w| ROLE_FIRST_WORDS.contains(w)));
    if ROLE_MAILBOXES.contains(&local.as_str()) || compound_role || mailing_list {
        EmailKind::Role
    } else {
        EmailKind::Personal
    }
}

const ROLE_LAST_WORDS: &[&str] = &[
    "team",
    "maintainers",
    "devel",
    "developers",
    "devs",
    "announce",
    "bot",
    "bots",
    "releases",
    "security",
    "support",
    "core",
    "admins",
    "owners",
    "contributors",
    "project",
    "list",
];
const ROLE_FIRST_WORDS: &[&str] = &[
    "team",
    "security",
    "support",
    "admin",
    "info",
    "contact",
    "maintainers",
    "opensource",
    "oss",
    "crates",
    "noreply",
    "bugs",
    "help",
];

/// File extensions that follow an `@` in asset names (`logo@2x.png`) and in
/// package specs (`pkg@1.0.tgz`) but are not the top-level domain of an
/// email address anyone uses.
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "js", "mjs", "cjs",
    "ts", "tsx", "jsx", "css", "scss", "html", "htm", "txt", "json", "toml", "yaml", "yml", "lock",
    "gz", "xz", "tgz", "tar", "wasm", "dll", "exe", "rlib", "rmeta", "java", "kt", "cpp", "hpp",
    "wav", "mp3", "mp4", "woff", "woff2", "ttf", "otf", "pdf", "bin", "dat", "csv", "xml", "proto",
    "rst", "cfg", "ini", "log", "tmp", "bak", "orig", "patch", "diff", "min", "map",
];

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    // The mailbox may hold the usual punctuation but must start and end with
    // an alphanumeric; the domain is two or more labels with an alphabetic
    // top-level label. Boundaries are checked by hand (no look-around here).
    Regex::new(
        r"(?x)
        [A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9_])?
        @
        (?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+
        [A-Za-z]{2,24}
        ",
    )
    .expect("email regex")
});

/// A syntactically plausible email address found in text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoundEmail<'t> {
    pub start: usize,
    pub end: usize,
    pub address: &'t str,
}

/// Every plausible email address in `text`, skipping what only looks like
/// one: URL user-info (`https://user:pw@host`, left to the URL rule),
/// `name@version` specs, asset names like `logo@2x.png`.
pub fn find_emails(text: &str) -> impl Iterator<Item = FoundEmail<'_>> + '_ {
    EMAIL.find_iter(text).filter_map(move |m| {
        let bytes = text.as_bytes();
        let (start, end) = (m.start(), m.end());
        // A longer word glued on either side means this is part of
        // something else (a path, an identifier, a base64 blob).
        let before = start.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(end).copied();
        let glued = |b: Option<u8>| {
            b.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'%' | b'+' | b'='))
        };
        if glued(before) || glued(after) || after == Some(b'@') {
            return None;
        }
        // `scheme://user@host` or `user:password@host`: credentials in a
        // URL, not an address (except `mailto:`).
        if matches!(before, Some(b'/') | Some(b':')) && !text[..start].ends_with("mailto:") {
            return None;
        }
        let address = m.as_str();
        let tld = address.rsplit('.').next().unwrap_or("");
        if FILE_EXTENSIONS.contains(&tld.to_ascii_lowercase().as_str()) {
            return None;
        }
        Some(FoundEmail {
            start,
            end,
            address,
        })
    })
}

/// The rule that reports an address of `kind` found outside `authors`.
pub fn rule_for(kind: EmailKind, in_manifest: bool) -> Option<&'static Rule> {
    match kind {
        EmailKind::Public => None,
        EmailKind::Role => Some(&ROLE_EMAIL),
        EmailKind::Personal if in_manifest => Some(&MANIFEST_EMAIL),
        EmailKind::Personal => Some(&EMAIL_ADDRESS),
    }
}

pub const PERMANENT_NOTE: &str =
    "everything in a published crate is public and permanent: yanking does not delete it";

/// Reports email addresses in the text of any packaged file.
pub struct EmailDetector;

impl Detector for EmailDetector {
    fn scan(&self, text: &str, file: FileContext<'_>, out: &mut Vec<Match>) {
        for email in find_emails(text) {
            let kind = classify(email.address);
            let Some(rule) = rule_for(kind, file.is_manifest) else {
                continue;
            };
            let what = match kind {
                EmailKind::Role => "role email address",
                _ => "personal email address",
            };
            let message = if file.is_manifest {
                format!("{what} in Cargo.toml")
            } else {
                format!("{what} in a packaged file")
            };
            out.push(
                Match::new(
                    rule,
                    email.start..email.end,
                    message,
                    redact_email(email.address),
                )
                .label("published with the crate")
                .note(PERMANENT_NOTE)
                .help("remove the address, or use one that is meant to be public"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        find_emails(text).map(|e| e.address).collect()
    }

    #[test]
    fn finds_addresses_in_common_settings() {
        assert_eq!(
            found(r#"authors = ["Jane <jane@gmail.com>"]"#),
            ["jane@gmail.com"]
        );
        assert_eq!(
            found("mailto:jane.doe@corp.co.uk."),
            ["jane.doe@corp.co.uk"]
        );
        assert_eq!(
            found("// (c) 2020 j_doe+rust@proton.me"),
            ["j_doe+rust@proton.me"]
        );
    }

    #[test]
    fn skips_what_only_looks_like_an_address() {
        for text in [
            "https://user:secret@example.org/x",
            "ssh://git@github.com/owner/repo",
            "serde@1.0.200",
            "logo@2x.png",
            "match x { n @ 1..=9 => n }",
            "foo@bar",
            "abc@def.12",
            "npm i @types/node@18.11.9",
        ] {
            assert_eq!(found(text), Vec::<&str>::new(), "{text}");
        }
    }

    #[test]
    fn classifies_public_role_and_personal() {
        for public in [
            "12345+jane@users.noreply.github.com",
            "noreply@github.com",
            "jane@example.com",
            "jane@mail.example.org",
            "jane@foo.test",
            "jane@box.invalid",
            "root@localhost",
            "git@gitlab.com",
            "no-reply@corp.com",
        ] {
            assert_eq!(classify(public), EmailKind::Public, "{public}");
        }
        for role in [
            "team@tokio.rs",
            "security@rust-lang.org",
            "rust-team@corp.com",
            "info@acme.de",
            "rust-dev@lists.mozilla.org",
            "foo@googlegroups.com",
        ] {
            assert_eq!(classify(role), EmailKind::Role, "{role}");
        }
        for personal in [
            "jane@gmail.com",
            "jane.doe@corp.com",
            "hi.jane@x.io",
            "ci-jane@x.io",
            "jdoe@example.com.evil.net",
        ] {
            assert_eq!(classify(personal), EmailKind::Personal, "{personal}");
        }
    }
}
