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
//!
//! `git@` is exempt only in SSH form: `git@host:owner/repo` and
//! `ssh://git@host/…` are not addresses at all, and `git@` at a code host
//! (GitHub, GitLab, Codeberg…) is that host's SSH login. A `git@` mailbox at
//! a person's own domain in `authors` (`Name <git@DOMAIN>`) is their
//! mailbox, filtered by its owner, and is personal.
//!
//! **A role word at one person's domain is personal** ([`classify_found`]):
//! `contact@`, `mail@`, `dev@`, `hello@`, `open-source@` at a domain spelled
//! from the name written next to it (for a Jane Roe: `contact@` at
//! `janeroe.com`, `dev@` at `jane-r.net`, `rust@` at `jane.roe.ie`, or at
//! `j2e.de`, the numeronym of `Jane`) reaches that person as surely as her
//! own first name would. The evidence, from the 41 `role-email` findings in
//! `authors` over the published crates of the corpus: the domain contains a
//! word of the entry's name (4 letters or more), a part of the domain (3
//! letters or more) starts a word of the name (a `first-last` abbreviation
//! such as `jan-ro`), or a part is the numeronym of a word of the name.
//! Every individual with a name of two words or more was told apart that way
//! (10 findings, in 8 crates); the organisations (`Tokio Contributors`,
//! `Tower Maintainers`, `Near Inc`) name themselves with a group word
//! (`contributors`, `maintainers`, `inc`, `team`, `foundation`…), which keeps
//! them roles. Not told apart, and left as roles: a one-word name (a handle
//! spelled like the domain reads exactly as an organisation named like its
//! domain does), an address without a name, and a domain spelled from a
//! handle rather than the name: 11 findings stay notes.
//!
//! Not addresses at all ([`find_emails`] skips them): SSH algorithm and
//! extension names, which RFC 4251 §6 spells `name@domain` with the domain of
//! the implementation that defined them (`aes256-gcm@openssh.com`,
//! `curve25519-sha256@libssh.org`, `rijndael-cbc@lysator.liu.se`), told by
//! that domain and a name made of SSH vocabulary (`hmac`, `sha2`, `etm`,
//! `cert`, `v01`…) or one of the known extension names (`statvfs`, `fsync`…);
//! and the letter of a C escape glued to the local part (`\tbzip2-devel@` is
//! a tab and `bzip2-devel@`).

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{redact_email, Category, Level, Match};
use crate::rules::{Detector, Family, FileContext, Finder, Rule};

pub static FAMILY: Family = Family {
    rules: &[&MANIFEST_EMAIL, &EMAIL_ADDRESS, &ROLE_EMAIL],
    finder: Finder::Text(&EmailDetector),
};

pub static MANIFEST_EMAIL: Rule = Rule {
    name: "manifest-email",
    category: Category::Email,
    default_level: Level::Warn,
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
    ..Rule::DEFAULT
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
    ..Rule::DEFAULT
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
    ..Rule::DEFAULT
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

/// Mailboxes that are not inboxes at all. (`git@` is judged on its own:
/// see the module documentation.)
const NON_INBOX_MAILBOXES: &[&str] = &[
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
    // `git@github.com`: the SSH login of a code host, not a mailbox.
    let ssh_login = local == "git" && GIT_HOSTS.iter().any(|h| is_or_under(h));
    if reserved || noreply_domain || ssh_login || NON_INBOX_MAILBOXES.contains(&local.as_str()) {
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

/// Code-hosting services whose SSH login is `git@`.
const GIT_HOSTS: &[&str] = &[
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "sr.ht",
    "gitea.com",
    "gitee.com",
    "heroku.com",
    "ssh.dev.azure.com",
    "vs-ssh.visualstudio.com",
    "git.code.sf.net",
    "salsa.debian.org",
];

/// Classifies an address found in text, with the name written before it
/// (`Jane Roe <contact@janeroe.com>`): a role mailbox at a domain spelled
/// from that name is the person's own (see the module documentation).
pub fn classify_found(email: &FoundEmail<'_>) -> EmailKind {
    let kind = classify(email.address);
    let domain = email.address.rsplit_once('@').map_or("", |(_, d)| d);
    match (kind, email.name) {
        (EmailKind::Role, Some(name)) if domain_names_its_owner(name, domain) => {
            EmailKind::Personal
        }
        _ => kind,
    }
}

/// Words with which an organisation, not a person, signs an `authors` entry.
const GROUP_WORDS: &[&str] = &[
    "team",
    "contributors",
    "maintainers",
    "developers",
    "devs",
    "authors",
    "project",
    "community",
    "foundation",
    "alliance",
    "group",
    "org",
    "organization",
    "organisation",
    "inc",
    "ltd",
    "llc",
    "gmbh",
    "corp",
    "corporation",
    "company",
    "labs",
    "studios",
    "software",
    "systems",
    "technologies",
    "the",
];

/// True when `domain` is spelled from the person's `name`: a word of the
/// name (4+ letters) inside the domain, a part of the domain (3+ letters)
/// that starts a word of the name, or a part that is a word's numeronym
/// (`k6i` for an eight-letter word from `k` to `i`). A name of one word, or
/// one with a group word, is not judged.
pub fn domain_names_its_owner(name: &str, domain: &str) -> bool {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold_to_ascii)
        .collect();
    if words.len() < 2 || words.iter().any(|w| GROUP_WORDS.contains(&w.as_str())) {
        return false;
    }
    let domain = domain.to_ascii_lowercase();
    // Every label but the top-level one, cut at hyphens.
    let Some((labels, _tld)) = domain.rsplit_once('.') else {
        return false;
    };
    let parts: Vec<&str> = labels.split(['.', '-']).filter(|p| !p.is_empty()).collect();
    let squashed: String = parts.concat();
    words.iter().any(|word| {
        (word.len() >= 4 && squashed.contains(word.as_str()))
            || parts
                .iter()
                .any(|part| (part.len() >= 3 && word.starts_with(part)) || is_numeronym(part, word))
    })
}

/// `k6i` for `kijewski`: first letter, count of the letters between, last.
fn is_numeronym(part: &str, word: &str) -> bool {
    let b = part.as_bytes();
    let w = word.as_bytes();
    if b.len() < 3 || w.len() < 4 {
        return false;
    }
    let digits = &part[1..part.len() - 1];
    digits.bytes().all(|d| d.is_ascii_digit())
        && digits.parse::<usize>().ok() == Some(w.len() - 2)
        && b[0] == w[0]
        && b[b.len() - 1] == w[w.len() - 1]
}

/// Lower-cases and drops the accents of Latin letters (`René` → `rene`), as
/// a domain spells a name.
fn fold_to_ascii(word: &str) -> String {
    word.chars()
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            'à'..='å' => 'a',
            'ç' => 'c',
            'è'..='ë' => 'e',
            'ì'..='ï' => 'i',
            'ñ' => 'n',
            'ò'..='ö' | 'ø' => 'o',
            'ù'..='ü' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
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
    /// The name written before the address as `Name <address>`, if any.
    pub name: Option<&'t str>,
}

/// Every plausible email address in `text`, skipping what only looks like
/// one: URL user-info (`https://user:pw@host`, left to the URL rule),
/// `name@version` specs, asset names like `logo@2x.png`, SSH targets
/// (`git@host:owner/repo`) and SSH algorithm names (`aes256-gcm@openssh.com`).
/// The letter of a C escape glued to the mailbox (`\tjane@`) is not part of
/// the address.
pub fn find_emails(text: &str) -> impl Iterator<Item = FoundEmail<'_>> + '_ {
    EMAIL.find_iter(text).filter_map(move |m| {
        let bytes = text.as_bytes();
        let (mut start, end) = (m.start(), m.end());
        // `\tjane@…`, `\x15jane@…`: after an odd run of backslashes the
        // first characters are an escape (a tab, a control byte), not the
        // mailbox. An even run is literal backslashes.
        let backslashes = bytes[..start]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if backslashes % 2 == 1 {
            start += escape_len(&bytes[start..end]);
            if !bytes[start].is_ascii_alphanumeric() || bytes[start] == b'@' {
                return None;
            }
        }
        // A longer word glued on either side means this is part of
        // something else (a path, an identifier, a base64 blob).
        let before = start.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(end).copied();
        let glued = |b: Option<u8>| {
            b.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'%' | b'+' | b'='))
        };
        if (start == m.start() && glued(before)) || glued(after) || after == Some(b'@') {
            return None;
        }
        // `scheme://user@host` or `user:password@host`: credentials in a
        // URL, not an address (except `mailto:`).
        if matches!(before, Some(b'/') | Some(b':')) && !text[..start].ends_with("mailto:") {
            return None;
        }
        let address = &text[start..end];
        let tld = address.rsplit('.').next().unwrap_or("");
        if FILE_EXTENSIONS.contains(&tld.to_ascii_lowercase().as_str()) {
            return None;
        }
        let (local, domain) = address.rsplit_once('@')?;
        // `git@host:owner/repo`: an scp-style SSH target.
        if local.eq_ignore_ascii_case("git")
            && after == Some(b':')
            && bytes
                .get(end + 1)
                .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'~' | b'_'))
        {
            return None;
        }
        if is_ssh_name(local, domain) {
            return None;
        }
        Some(FoundEmail {
            start,
            end,
            address,
            name: display_name(text, start),
        })
    })
}

/// How many bytes of `s`, which follows a backslash, are its escape:
/// `x` and two hex digits, `u` and four, up to three octal digits, or one
/// of the letters `n`, `t`, `r`, `f`, `v` (not `a`, `b`, `e`, which start
/// names more often than they ring a bell: `C:\alice@…` keeps its `a`).
fn escape_len(s: &[u8]) -> usize {
    let hex = |n: usize| s.len() > n && s[1..=n].iter().all(u8::is_ascii_hexdigit);
    match s.first() {
        Some(b'x') if hex(2) => 3,
        Some(b'u') if hex(4) => 5,
        Some(b'0'..=b'7') => s
            .iter()
            .take(3)
            .take_while(|b| (b'0'..=b'7').contains(b))
            .count(),
        Some(b'n' | b't' | b'r' | b'f' | b'v') => 1,
        _ => 0,
    }
}

/// The name before `Name <address>` on the same line, after any quote,
/// bracket or comma that opens the entry.
fn display_name(text: &str, start: usize) -> Option<&str> {
    let before = text[..start].strip_suffix('<')?;
    let line = &before[before
        .rfind(['\n', '"', '\'', '[', ',', '('])
        .map_or(0, |i| i + 1)..];
    let name = line.trim();
    (!name.is_empty() && name.len() <= 100).then_some(name)
}

/// Domains of SSH implementations that name their algorithms and
/// extensions `name@domain` (RFC 4251 §6).
const SSH_NAME_DOMAINS: &[&str] = &[
    "openssh.com",
    "libssh.org",
    "libssh2.org",
    "lysator.liu.se",
    "ssh.com",
    "putty.projects.tartarus.org",
    "tartarus.org",
    "bitvise.com",
    "erlang.org",
    "paramiko.org",
];

/// The words SSH algorithm names are made of (`hmac-sha2-256-etm`,
/// `ecdsa-sha2-nistp256-cert-v01`, `chacha20-poly1305`).
const SSH_NAME_WORDS: &[&str] = &[
    "ssh",
    "rsa",
    "dss",
    "dsa",
    "ecdsa",
    "ed25519",
    "ed448",
    "sk",
    "cert",
    "aes128",
    "aes192",
    "aes256",
    "gcm",
    "ctr",
    "cbc",
    "chacha20",
    "poly1305",
    "hmac",
    "sha1",
    "sha2",
    "sha256",
    "sha384",
    "sha512",
    "md5",
    "ripemd160",
    "etm",
    "umac",
    "curve25519",
    "curve448",
    "kex",
    "strict",
    "zlib",
    "rijndael",
    "blowfish",
    "arcfour",
    "twofish",
    "cast128",
    "mlkem768x25519",
    "sntrup761x25519",
    "mldsa44",
    "mldsa65",
    "mldsa87",
    "agent",
    "auth",
    "req",
    "streamlocal",
    "posix",
    "rename",
    "hostkeys",
    "prove",
    "publickey",
    "hostbound",
    "keepalive",
    "x15keepalive",
    "session",
    "bind",
    "direct",
    "forwarded",
    "forward",
    "cancel",
    "expand",
    "path",
    "copy",
    "data",
    "home",
    "directory",
    "limits",
    "users",
    "groups",
    "by",
    "id",
    "no",
    "more",
    "sessions",
    "s",
    "c",
];

/// SSH extension names of one word.
const SSH_NAME_SINGLE: &[&str] = &[
    "statvfs",
    "fstatvfs",
    "fsync",
    "hardlink",
    "lsetstat",
    "limits",
    "zlib",
    "ping",
    "keepalive",
    "x15keepalive",
];

/// `aes256-gcm@openssh.com`, `curve25519-sha256@libssh.org`: an SSH name,
/// told by the implementation's domain and a name made of SSH words.
fn is_ssh_name(local: &str, domain: &str) -> bool {
    let domain = domain.to_ascii_lowercase();
    if !SSH_NAME_DOMAINS.contains(&domain.as_str()) {
        return false;
    }
    let local = local.to_ascii_lowercase();
    if SSH_NAME_SINGLE.contains(&local.as_str()) {
        return true;
    }
    let words: Vec<&str> = local.split(['-', '.']).collect();
    words.len() > 1
        && words.iter().any(|w| SSH_NAME_WORDS.contains(w))
        && words.iter().all(|w| {
            SSH_NAME_WORDS.contains(w)
                || w.bytes().all(|b| b.is_ascii_digit())
                || (w.len() == 3
                    && w.starts_with('v')
                    && w[1..].bytes().all(|b| b.is_ascii_digit()))
                || w.starts_with("nistp")
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
            let kind = classify_found(&email);
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

    /// Domains and names are spliced at test time from parts, so no real
    /// person's address is written here.
    fn entry(name: &str, local: &str, domain: &str) -> String {
        format!("{name} <{local}@{domain}>")
    }

    fn kinds(text: &str) -> Vec<EmailKind> {
        find_emails(text).map(|e| classify_found(&e)).collect()
    }

    #[test]
    fn git_mailbox_at_a_personal_domain_is_personal() {
        // The shape of proc-macro-crate's, pastey's and zip's `authors`.
        for domain in ["kchr.de", "adityais.dev", "mathijs.vd-nes.nl"] {
            let text = entry("Tomasz Kowal", "git", domain);
            assert_eq!(kinds(&text), [EmailKind::Personal], "{text}");
        }
        // SSH form: not an address, or the code host's SSH login.
        for ssh in [
            "git@github.com:owner/repo.git",
            "url = git@codeberg.org:owner/repo",
            "git@git.example.net:~/repo",
            "ssh://git@tkowal.de/srv/repo",
        ] {
            assert_eq!(found(ssh), Vec::<&str>::new(), "{ssh}");
        }
        assert_eq!(kinds("ssh -T git@github.com"), [EmailKind::Public]);
        assert_eq!(kinds("git@gitlab.com"), [EmailKind::Public]);
    }

    #[test]
    fn ssh_algorithm_and_extension_names_are_not_addresses() {
        for name in [
            "aes256-gcm@openssh.com",
            "hmac-sha1-etm@openssh.com",
            "chacha20-poly1305@openssh.com",
            "ssh-ed25519-cert-v01@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com",
            "kex-strict-s-v00@openssh.com",
            "posix-rename@openssh.com",
            "statvfs@openssh.com",
            "curve25519-sha256@libssh.org",
            "rijndael-cbc@lysator.liu.se",
            "x15keepalive@libssh2.org",
        ] {
            let text = format!("static const char *name = \"{name}\";");
            assert_eq!(found(&text), Vec::<&str>::new(), "{text}");
        }
        // A person at the same domains is still an address.
        let person = format!("Copyright (c) {}@{}", "tkowal", "libssh2.org");
        assert_eq!(found(&person).len(), 1);
        let person = format!("{}@{}", "tomasz-kowal", "openssh.com");
        assert_eq!(found(&person).len(), 1);
    }

    #[test]
    fn escape_letters_glued_to_the_mailbox_are_not_part_of_it() {
        // Addresses are spliced at test time: this file ships none.
        let list = format!("{}@{}", "bzip2-devel", "sourceware.org");
        let jane = format!("{}@{}", "tkowal", "mail.de");
        // bzip2's C source: "…\tbzip2-devel@…\n".
        let text = format!(r#"fprintf(stderr, "report to:\t{list}\n");"#);
        assert_eq!(found(&text), [list.as_str()]);
        for escaped in [
            format!(r"\n{jane}"),
            format!(r"\r{jane}"),
            // libssh2's keepalive.c: a hex escape glued to the name.
            format!(r#""\x50\x15{jane}""#),
            format!(r"\025{jane}"),
            // An escaped backslash is a literal one: the letter after it stays.
            format!(r"C:\\{jane}"),
        ] {
            assert_eq!(found(&escaped), [jane.as_str()], "{escaped}");
        }
        let alice = format!("{}@{}", "alice.roe", "mail.de");
        assert_eq!(found(&format!(r"C:\{alice}")), [alice.as_str()]);
        let text = format!(r"x\t{jane}");
        let e = find_emails(&text).next().unwrap();
        assert_eq!((e.start, e.end), (3, 3 + jane.len()));
    }

    #[test]
    fn role_word_at_a_domain_spelled_from_the_name_is_personal() {
        // The shapes of the corpus: full name, hyphenated abbreviation,
        // dotted name, surname inside a handle, numeronym.
        for (name, local, domain) in [
            ("Tomasz Kowalski", "contact", "tomaszkowalski.com"),
            ("Tomasz Kowalski", "mail", "tomasz-kowalski.de"),
            ("Tomasz Kowalski", "dev", "tom-kow.com"),
            ("Tomasz Kowalski", "rust", "tomasz.kowalski.ie"),
            ("Tomasz Kowalski", "open-source", "tkkowalski.dev"),
            ("René Kowalski", "crates.io", "k6i.de"),
            ("Renée Dąbrowska", "hello", "renee-d.org"),
        ] {
            let text = entry(name, local, domain);
            assert_eq!(classify(&format!("{local}@{domain}")), EmailKind::Role);
            assert_eq!(kinds(&text), [EmailKind::Personal], "{text}");
        }
        // Organisations, one-word names and no name stay roles.
        for (name, local, domain) in [
            ("Tokio Contributors", "team", "tokio.rs"),
            ("Tower Maintainers", "team", "tower-rs.com"),
            ("Near Inc", "hello", "near.org"),
            ("Acme Labs", "oss", "acme.dev"),
            ("tomaszkowalski", "contact", "tomaszkowalski.com"),
            ("Tomasz Kowalski", "dev", "sunfishcode.online"),
        ] {
            let text = entry(name, local, domain);
            assert_eq!(kinds(&text), [EmailKind::Role], "{text}");
        }
        assert_eq!(
            kinds(&format!(
                "authors = [\"{}@{}\"]",
                "contact", "tomaszkowalski.com"
            )),
            [EmailKind::Role]
        );
        assert!(domain_names_its_owner("Jacob Smith", "jhsmith.dev"));
        assert!(!domain_names_its_owner("Jacob Smith", "rust-lang.org"));
    }
}
