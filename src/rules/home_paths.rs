//! Absolute paths into a person's home folder.
//!
//! `/home/NAME/…`, `/Users/NAME/…`, `C:\Users\NAME\…` (also written with
//! escaped backslashes as in Rust and JSON strings, `C:\\Users\\NAME\\`, with
//! forward slashes, `C:/Users/NAME/`, and through WSL, MSYS or Cygwin mounts,
//! `/mnt/c/Users/NAME/`) give away the account name of whoever wrote or
//! built the file: snapshots, generated docs, build scripts and test data
//! pick them up.
//!
//! NAME must be followed by another path separator: `/home/jane` on its own
//! is as often prose or a route as a path, and every path *into* a home
//! folder has one. A path glued to a word or a URL host
//! (`https://site/home/about/`, `api/users/octocat/`) is not a home folder;
//! macOS's `/Users/` is matched with its capital only, for the same reason.
//! A terminal escape sequence is a boundary, not a word: in a captured
//! terminal session (`ESC[34m/home/NAME/…`, or `\x1b[34m` in a string) the
//! colour code ends with a letter, and the path after it is found.
//!
//! A shell prompt names its user as surely as a home path does:
//! `NAME@host:~/dir$ `, `NAME@host:/srv# `, `[NAME@host dir]$ `, and the
//! `NAME@host:~/dir` a shell sets as the terminal title (`ESC]0;`/`ESC]2;`).
//! The closing `$`, `#` or `%` is required outside a title, so the SSH and
//! scp forms `git@host:owner/repo` and `jane@host:~/file` are not prompts.
//!
//! NAME is not reported when it is not a person's name:
//! - templates and variables: `$USER`, `${USER}`, `%USERNAME%`, `<user>`,
//!   `{user}`, `*`, `~`, `...` (their characters cannot start a name here);
//! - placeholders: `user`, `username`, `name`, `yourname`, `your-name`
//!   (anything containing `your`), `me`, `you`, `someone`, `xxx`, `foo`,
//!   `test`, `example`…, an ALL-CAPS word (`USER`, `YOUR_NAME`), and the
//!   same with a number (`user1`);
//! - the names documentation uses for a sample person: `john`, `jdoe`,
//!   `johndoe`, `jane`, `janedoe`, `jsmith`, `alice`, `bob`, `carol`, `eve`,
//!   `fred`, `bill`, `ferris`…: a real person called John goes unreported,
//!   which is the price of not flagging every tutorial. These are compared
//!   exactly: with digits or more letters added (`jsmith42`, `alice2`) the
//!   name is shaped like a real account (a person's name made unique) and
//!   is reported, while a placeholder or a service account keeps its number
//!   (`user1`, `test_2`, `ubuntu22`);
//! - system, CI and service accounts: `root`, `admin`, `runner`,
//!   `runneradmin`, `VssAdministrator`, `vsts`, `travis`, `circleci`,
//!   `distiller`, `vagrant`, `ubuntu`, `ec2-user`, `builder`, `build`,
//!   `jenkins`, `docker`, `ci`, `rust`, `cloudshell-user`, `gitpod`,
//!   `codespace`, `vscode`, `node`, `app`, `linuxbrew`, `pi`…;
//! - Windows and macOS shared folders: `Public`, `Default`, `All Users`,
//!   `Shared`, `Guest`;
//! - names without a letter (`/home/1000/`) and names starting with a dot.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{Category, Level, Match};
use crate::rules::literals::{Literals, SharedHits};
use crate::rules::{Detector, Family, FileContext, Finder, Rule};

pub static FAMILY: Family = Family {
    rules: &[&HOME_FOLDER_PATH],
    finder: Finder::Text(&HomePathDetector),
};

pub static HOME_FOLDER_PATH: Rule = Rule {
    name: "home-folder-path",
    category: Category::HomePath,
    default_level: Level::Warn,
    summary: "absolute path into a person's home folder",
    doc: r#"
## What it does
Finds absolute paths into a home folder that name a person:
`/home/NAME/…`, `/Users/NAME/…`, `C:\Users\NAME\…` (also `C:\\Users\\…` in
escaped strings, `C:/Users/…`, and `/mnt/c/Users/…`), also right after a
terminal colour code, and shell prompts that show a user (`NAME@host:~/x$ `,
`[NAME@host x]$ `, a `NAME@host:~/x` window title). Placeholders (`user`,
`$USER`, `<name>`, `yourname`), sample names from documentation (`jdoe`,
`alice`), and CI or system accounts (`runner`, `root`, `vagrant`) are not
reported.

## Why is this bad?
The path gives away the account name of whoever wrote or built the file,
often a real name, and sometimes how their machine is organised
(`/Users/jane.doe/work/client-x/`). Snapshot tests, generated files and
build scripts pick such paths up without anyone noticing, and a published
crate keeps them for good.

## Example
```rust
const FIXTURES: &str = "/home/user/projects/acme/tests/fixtures";
```
(`user` stands in for a real login name such as `mkovacs`: placeholder
names like `user` and `username` are not reported, so this line is safe to
copy.)

## How to fix
Use paths relative to the crate (`env!("CARGO_MANIFEST_DIR")`,
`concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")`), `~` or `$HOME` in
documentation, and redact absolute paths in snapshots (insta's filters,
`--remap-path-prefix` for compiled output).
"#,
    ..Rule::DEFAULT
};

/// Names that are not a person's (compared ASCII case-insensitively, also
/// after stripping a trailing number: `user1`, `test_2`, `ubuntu22`).
const NOT_A_PERSON: &[&str] = &[
    // Placeholders.
    "user",
    "users",
    "username",
    "user_name",
    "user-name",
    "usr",
    "name",
    "myname",
    "my_name",
    "my-name",
    "myuser",
    "me",
    "you",
    "someone",
    "somebody",
    "anybody",
    "anyone",
    "nobody",
    "person",
    "whoever",
    "whoami",
    "x",
    "xx",
    "xxx",
    "xxxx",
    "xyz",
    "abc",
    "foo",
    "bar",
    "foobar",
    "baz",
    "qux",
    "example",
    "sample",
    "test",
    "tester",
    "testuser",
    "test_user",
    "test-user",
    "demo",
    "dummy",
    "fake",
    "placeholder",
    "home",
    "homedir",
    // System, CI and service accounts.
    "root",
    "admin",
    "administrator",
    "runner",
    "runneradmin",
    "vssadministrator",
    "vsts",
    "travis",
    "circleci",
    "distiller",
    "vagrant",
    // Parallels Desktop's virtual machines.
    "parallels",
    "ubuntu",
    "debian",
    "centos",
    "fedora",
    "rocky",
    "alpine",
    "arch",
    "ec2-user",
    "azureuser",
    "opc",
    "pi",
    "builder",
    "build",
    "buildbot",
    "buildkite",
    "buildkite-agent",
    "jenkins",
    "docker",
    "ci",
    "rust",
    "rustup",
    "cargo",
    "cloudshell-user",
    "gitpod",
    "codespace",
    "codespaces",
    "vscode",
    "node",
    "nodejs",
    "app",
    "appuser",
    "dev",
    "developer",
    "git",
    "gitlab-runner",
    "semaphore",
    "appveyor",
    "bitrise",
    "drone",
    "cirrus",
    "cloudbuild",
    "nixbld",
    "linuxbrew",
    "brew",
    "www-data",
    "nginx",
    "apache",
    "postgres",
    "mysql",
    "daemon",
    "nonroot",
    "container",
    "sandbox",
    "worker",
    "service",
    "bot",
    "coder",
    "deck",
    "kali",
    "jovyan",
    "core",
    "www",
    "deploy",
    "deployer",
    "ansible",
    "containeradministrator",
    "containeruser",
    // Shared folders.
    "public",
    "default",
    "default user",
    "defaultuser",
    "defaultapppool",
    "all users",
    "shared",
    "guest",
];

static HOME_PATH: LazyLock<Regex> = LazyLock::new(|| {
    // Two branches: Windows (drive, `Users`, NAME, separator; NAME may hold
    // spaces) and Unix (`/home/` or macOS `/Users/`, NAME, `/`). NAME cannot
    // hold the characters templates start with, so `${USER}`, `%USERNAME%`,
    // `<user>` and `{user}` never match. Boundaries are checked by hand.
    Regex::new(
        r#"(?x)
        (?P<wp>[A-Za-z]:(?:\\\\|\\|/)(?i-u:users|documents\ and\ settings)(?:\\\\|\\|/))
        (?P<wn>[^\x00-\x1f/\\"'`<>|?*:;,()\[\]{}$%=&!@\#]{1,64})
        (?P<ws>\\|/)
      |
        (?P<up>(?:/var|/export)?/home/|(?:/mnt/[a-z]|/cygdrive/[a-z]|/[a-z])?/Users/)
        (?P<un>[^\x00-\x20/\\"'`<>|?*:;,()\[\]{}$%=&!@\#]{1,64})
        /
        "#,
    )
    .expect("home path regex")
});

/// A home-folder path found in text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HomePath {
    /// Byte range of the user name.
    pub name: std::ops::Range<usize>,
    /// The path with the name shortened to its first character.
    pub redacted: String,
}

/// The people documentation uses as samples, compared exactly (ASCII
/// case-insensitively): `jsmith42` or `alice2` is what a real account looks
/// like, a person's name with digits added to make it unique.
const SAMPLE_PEOPLE: &[&str] = &[
    "john",
    "jdoe",
    "johndoe",
    "john.doe",
    "john_doe",
    "john-doe",
    "jane",
    "janedoe",
    "jane.doe",
    "jane_doe",
    "jane-doe",
    "jsmith",
    "johnsmith",
    "john.smith",
    "joe",
    "joeuser",
    "alice",
    "bob",
    "carol",
    "charlie",
    "dave",
    "eve",
    "mallory",
    "fred",
    "bill",
    "ferris",
    "rustacean",
];

/// The literal every home path holds; the regex runs only around them
/// (it has no literal prefix of its own, so on a whole text it is slow).
/// Leftmost-first matching and casings spelled out (rather than matched
/// case-insensitively) keep aho-corasick on its SIMD packed searcher:
/// 8.6 GB/s on the corpus against 0.5 GB/s for a standard-semantics or
/// case-insensitive automaton. `/home/` and macOS `/Users/` are
/// case-sensitive anyway.
static ANCHORS: LazyLock<Literals> = LazyLock::new(|| Literals::new(ANCHOR_LITERALS));

/// [`ANCHORS`]' literals; [`crate::rules::detect`] finds them in one pass
/// with another detector's ([`crate::rules::literals::SharedHits`]).
pub const ANCHOR_LITERALS: [&str; 10] = [
    "home/",
    "Users/",
    "users/",
    "USERS/",
    "Users\\",
    "users\\",
    "USERS\\",
    "Documents and Settings",
    "documents and settings",
    "DOCUMENTS AND SETTINGS",
];

/// How far before an anchor a home path may start (`/cygdrive/c/Users/`,
/// `C:\\Documents and Settings\\`) and after it end (a 64-byte name).
const BEFORE_ANCHOR: usize = 24;
const AFTER_ANCHOR: usize = 100;

/// Every home-folder path in `text` whose user name names a person.
pub fn find_home_paths(text: &str) -> impl Iterator<Item = HomePath> + '_ {
    home_paths_at(text, ANCHORS.find_iter(text.as_bytes()).map(|m| m.range()))
}

/// [`find_home_paths`], given where [`ANCHORS`] occur in `text` (in order,
/// as its search reports them).
fn home_paths_at<'t>(
    text: &'t str,
    anchors: impl Iterator<Item = std::ops::Range<usize>> + 't,
) -> impl Iterator<Item = HomePath> + 't {
    let mut next_start = 0;
    anchors.flat_map(move |anchor| {
        let mut window_start = anchor.start.saturating_sub(BEFORE_ANCHOR).max(next_start);
        while !text.is_char_boundary(window_start) {
            window_start += 1;
        }
        let mut window_end = (anchor.end + AFTER_ANCHOR).min(text.len());
        while !text.is_char_boundary(window_end) {
            window_end -= 1;
        }
        let mut found = Vec::new();
        if window_start < window_end {
            let haystack = &text[window_start..window_end];
            let mut at = 0;
            while let Some(caps) = HOME_PATH.captures_at(haystack, at) {
                let Some(whole) = caps.get(0).map(|m| m.range()) else {
                    break;
                };
                match home_path(text, window_start, &caps) {
                    Some(path) => found.push(path),
                    // A drive letter glued to a word (`file:/Users/…`)
                    // makes no Windows path, but a Unix one may follow.
                    None if caps.name("wp").is_some() => {
                        at = whole.start + 1;
                        continue;
                    }
                    None => {}
                }
                at = whole.end;
                next_start = next_start.max(window_start + whole.end);
            }
        }
        found
    })
}

/// The home path of one regex match in a window starting at `offset`.
fn home_path(text: &str, offset: usize, caps: &regex::Captures<'_>) -> Option<HomePath> {
    let whole = caps.get(0)?;
    let (prefix, name, sep) = match caps.name("wn") {
        Some(name) => (caps.name("wp")?, name, caps.name("ws")?.as_str()),
        None => (caps.name("up")?, caps.name("un")?, "/"),
    };
    if glued_before(text, offset + whole.start()) || !names_a_person(name.as_str()) {
        return None;
    }
    let first = name.as_str().chars().next()?;
    Some(HomePath {
        name: offset + name.start()..offset + name.end(),
        redacted: format!("{}{first}…{sep}", prefix.as_str()),
    })
}

/// The path continues a word, a longer path or a URL host
/// (`https://host/home/x/`), so it is not a home folder. A terminal escape
/// sequence (`ESC[34m`, also written `\x1b[34m`, `\033[34m`, `\e[34m`,
/// `\u001b[34m`) ends with a letter but is a boundary, as is the end of an
/// OSC sequence written `\x07` or `\a`.
fn glued_before(text: &str, start: usize) -> bool {
    let before = &text.as_bytes()[..start];
    if after_escape_sequence(before) {
        return false;
    }
    match before.last() {
        Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'~') => true,
        // `scheme://home/…`: `home` is a host. `file:///home/…` is a path.
        Some(b'/') => before.ends_with(b":/"),
        _ => false,
    }
}

/// How an escape character is written in a raw log and in source strings.
const ESCAPES: &[&[u8]] = &[
    b"\x1b", b"\\x1b", b"\\x1B", b"\\033", b"\\e", b"\\E", b"\\u001b", b"\\u001B", b"\\u{1b}",
    b"\\u{1B}",
];

/// `before` ends with a CSI sequence (`ESC [ params final`) or with a
/// written BEL that ends an OSC sequence.
fn after_escape_sequence(before: &[u8]) -> bool {
    if [&b"\\x07"[..], b"\\a", b"\\007", b"\\u0007"]
        .iter()
        .any(|bel| before.ends_with(bel))
    {
        return true;
    }
    let Some((&last, rest)) = before.split_last() else {
        return false;
    };
    if !(0x40..=0x7e).contains(&last) {
        return false;
    }
    // Parameter and intermediate bytes, then `[`.
    let body = rest
        .iter()
        .rev()
        .take(32)
        .take_while(|&&b| (0x20..=0x3f).contains(&b))
        .count();
    let Some(rest) = rest[..rest.len() - body].strip_suffix(b"[") else {
        return false;
    };
    ESCAPES.iter().any(|esc| rest.ends_with(esc))
}

/// Every user name a shell prompt shows in `text`, as a home path: the
/// range of the name and its redacted form. A prompt is `user@host:~…$ `,
/// `user@host:/path# ` (the `$`, `#` or `%` that ends it is required, so an
/// scp target `user@host:~/file` or an SSH remote `git@host:owner/repo` is
/// not one), `[user@host dir]$ `, or `user@host:~/dir` set as the terminal
/// title (`ESC]0;` or `ESC]2;` before it). Colour sequences between the
/// parts are skipped.
pub fn find_prompts(text: &str) -> impl Iterator<Item = HomePath> + '_ {
    // Every prompt holds an `@`.
    memchr::memchr_iter(b'@', text.as_bytes()).filter_map(move |at| prompt_at(text, at))
}

fn is_user_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// The prompt whose `@` is at `at`, if it is one.
fn prompt_at(text: &str, at: usize) -> Option<HomePath> {
    let bytes = text.as_bytes();
    let user = prompt_user(bytes, at)?;
    let host_end = prompt_host_end(bytes, at)?;
    let prompt = if user.bracket {
        bracket_prompt_follows(bytes, host_end)
    } else {
        colon_prompt_follows(bytes, host_end, user.title)
    };
    let name = &text[user.start..at];
    if !prompt || !names_a_person(name) {
        return None;
    }
    let first = name.chars().next()?;
    Some(HomePath {
        name: user.start..at,
        redacted: format!("{first}…@…"),
    })
}

/// The user name before a prompt's `@`, and what opens the prompt.
struct PromptUser {
    /// Where the name starts (it ends at the `@`).
    start: usize,
    /// `[` before it: a `[user@host dir]$` prompt.
    bracket: bool,
    /// `ESC]0;` or `ESC]2;` before it: the prompt is a terminal title.
    title: bool,
}

/// The user name ending at the `@` at `at`, if one can start a prompt
/// there: what a Unix, macOS or Windows account name can hold, not
/// starting with a digit, a dot or a hyphen; at most 32 bytes; not glued
/// to a word, a path or a URL before it.
fn prompt_user(bytes: &[u8], at: usize) -> Option<PromptUser> {
    let user_len = bytes[..at]
        .iter()
        .rev()
        .take(33)
        .take_while(|&&b| is_user_byte(b))
        .count();
    if user_len == 0 || user_len > 32 {
        return None;
    }
    let mut start = at - user_len;
    // `ESC[01;32mjane@…`: the colour code's final letter is not the user's.
    if let Some(p) = (start + 1..at)
        .rev()
        .find(|&p| after_escape_sequence(&bytes[..p]))
    {
        start = p;
    }
    if !(bytes[start].is_ascii_alphabetic() || bytes[start] == b'_') {
        return None;
    }
    let before = &bytes[..start];
    let bracket = before.last() == Some(&b'[');
    let title = [&b"]0;"[..], b"]2;"].iter().any(|osc| {
        before
            .strip_suffix(*osc)
            .is_some_and(|r| ESCAPES.iter().any(|e| r.ends_with(e)))
    });
    if !bracket && !title && !before.is_empty() && !after_escape_sequence(before) {
        // Glued to a word, a path or a URL: not the start of a prompt.
        if before.last().is_some_and(|&b| {
            is_user_byte(b) || matches!(b, b'/' | b':' | b'\\' | b'%' | b'+' | b'=')
        }) {
            return None;
        }
    }
    Some(PromptUser {
        start,
        bracket,
        title,
    })
}

/// Where the host name after the `@` at `at` ends, colour sequences after
/// it skipped; `None` when no host name (at most 64 bytes, starting with a
/// letter or digit) follows the `@`.
fn prompt_host_end(bytes: &[u8], at: usize) -> Option<usize> {
    let start = at + 1;
    let host_len = bytes[start..]
        .iter()
        .take(64)
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.'))
        .count();
    if host_len == 0 || !bytes[start].is_ascii_alphanumeric() {
        return None;
    }
    Some(skip_csi(bytes, start + host_len))
}

/// Whether ` dir]$` (or `#`, `%`) follows at `i`: the rest of a
/// `[user@host dir]$` prompt.
fn bracket_prompt_follows(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&b' ') && {
        let dir = bytes[i + 1..]
            .iter()
            .take(256)
            .take_while(|&&b| !matches!(b, b']' | b'\n' | b'\r' | b' '))
            .count();
        dir > 0
            && bytes.get(i + 1 + dir) == Some(&b']')
            && matches!(bytes.get(i + 2 + dir), Some(b'$' | b'#' | b'%'))
    }
}

/// Whether `:~…` or `:/…` follows at `i`, colour sequences skipped, and
/// then the `$`, `#` or `%` that ends a prompt; a terminal `title` needs no
/// such sign.
fn colon_prompt_follows(bytes: &[u8], i: usize, title: bool) -> bool {
    bytes.get(i) == Some(&b':') && {
        let i = skip_csi(bytes, i + 1);
        matches!(bytes.get(i), Some(b'~' | b'/')) && (title || prompt_sign_after_path(bytes, i))
    }
}

/// Whether the path starting at `i` (at most 512 bytes) is followed by a
/// prompt's `$`, `#` or `%` (after colour sequences and one space), itself
/// followed by whitespace or the end of the text.
fn prompt_sign_after_path(bytes: &[u8], i: usize) -> bool {
    let path = bytes[i..]
        .iter()
        .take(512)
        .take_while(|&&b| {
            !b.is_ascii_whitespace()
                && !matches!(
                    b,
                    b'$' | b'#' | b'%' | b'\x1b' | b'"' | b'\'' | b'<' | b'>' | b'|'
                )
        })
        .count();
    let mut j = skip_csi(bytes, i + path);
    if bytes.get(j) == Some(&b' ') {
        j += 1;
    }
    matches!(bytes.get(j), Some(b'$' | b'#' | b'%'))
        && bytes.get(j + 1).is_none_or(|b| b.is_ascii_whitespace())
}

/// Skips raw CSI sequences (`ESC[01;32m`) starting at `i`.
fn skip_csi(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i) == Some(&0x1b) && bytes.get(i + 1) == Some(&b'[') {
        let body = bytes[i + 2..]
            .iter()
            .take(32)
            .take_while(|&&b| (0x20..=0x3f).contains(&b))
            .count();
        match bytes.get(i + 2 + body) {
            Some(0x40..=0x7e) => i += 3 + body,
            _ => break,
        }
    }
    i
}

/// True unless `name` is a template, placeholder, sample name or service
/// account (see the module documentation).
pub fn names_a_person(name: &str) -> bool {
    if name.starts_with([' ', '.', '~']) || name.ends_with(' ') || name.contains("…") {
        return false;
    }
    // A Windows short (8.3) name, `RUNNER~1`, stands for a longer one
    // (`runneradmin`): it names a person unless a known account starts
    // with its stem. Short names are upper case by construction.
    if let Some(stem) = short_name_stem(name) {
        let stem = stem.to_ascii_lowercase();
        return !NOT_A_PERSON
            .iter()
            .chain(SAMPLE_PEOPLE)
            .any(|known| known.starts_with(&stem));
    }
    if !name.chars().any(char::is_alphabetic) {
        return false;
    }
    let shouting = name.len() > 1
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || matches!(b, b'_' | b'-'));
    if shouting || name.to_ascii_lowercase().contains("your") {
        return false;
    }
    // `user1`, `test_2`: a placeholder with a number. A sample person with
    // a number (`alice2`) is named like a real account, and is reported.
    let without_number = name
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches(['_', '-']);
    let is = |known: &&str| known.eq_ignore_ascii_case(name);
    !(NOT_A_PERSON
        .iter()
        .any(|known| is(known) || known.eq_ignore_ascii_case(without_number))
        || SAMPLE_PEOPLE.iter().any(is))
}

/// The stem of a Windows short name (`RUNNER~1` → `RUNNER`): at most six
/// letters or digits, a tilde and one digit.
fn short_name_stem(name: &str) -> Option<&str> {
    let (stem, n) = name.split_once('~')?;
    let short = (1..=6).contains(&stem.len())
        && stem.bytes().all(|b| b.is_ascii_alphanumeric())
        && n.len() == 1
        && n.bytes().all(|b| b.is_ascii_digit());
    short.then_some(stem)
}

/// True when `name` is the project's own account (a `libgit2` home folder in
/// `libgit2-sys`): containers and CI images name their user after the
/// project, and that names no person.
pub fn is_project_account(name: &str, package: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (name, package) = (squash(name), squash(package));
    name.len() >= 4 && package.contains(&name)
}

pub struct HomePathDetector;

impl Detector for HomePathDetector {
    fn scan(&self, text: &str, file: FileContext<'_>, out: &mut Vec<Match>) {
        report(text, file, find_home_paths(text), out);
    }

    fn scan_with(
        &self,
        text: &str,
        file: FileContext<'_>,
        shared: &SharedHits,
        out: &mut Vec<Match>,
    ) {
        let anchors = shared.home_anchors.iter().cloned();
        report(text, file, home_paths_at(text, anchors), out);
    }
}

/// Reports the home paths found in `text`, and its prompts.
fn report(
    text: &str,
    file: FileContext<'_>,
    paths: impl Iterator<Item = HomePath>,
    out: &mut Vec<Match>,
) {
    let paths = paths.map(|p| (p, "absolute path into a home folder"));
    let prompts = find_prompts(text).map(|p| (p, "shell prompt"));
    for (path, what) in paths.chain(prompts) {
        if is_project_account(&text[path.name.clone()], file.package) {
            continue;
        }
        out.push(
            Match::new(
                &HOME_FOLDER_PATH,
                path.name,
                format!("{what} reveals a user name"),
                path.redacted,
            )
            .label("user name")
            .note("a published crate is public and permanent: yanking does not delete it")
            .help(
                "use a path relative to the crate (`env!(\"CARGO_MANIFEST_DIR\")`), \
                 `~` or `$HOME`, or redact the path",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The redacted form of every reported path. Test names are spliced in
    /// at run time so this file holds no home path itself.
    fn found(text: &str) -> Vec<String> {
        find_home_paths(text).map(|p| p.redacted).collect()
    }

    fn with(template: &str, name: &str) -> String {
        template.replace("NAME", name)
    }

    #[test]
    fn the_projects_own_account_names_no_person() {
        assert!(is_project_account("libgit2", "libgit2-sys"));
        assert!(is_project_account("Tokio", "tokio"));
        assert!(!is_project_account("andrew", "regex"));
        assert!(!is_project_account("rx", "rx-core"), "too short to tell");
        let text = with("/home/NAME/build/x", "libssh2");
        let mut out = Vec::new();
        let file = |package| FileContext {
            archive_path: "Dockerfile",
            is_manifest: false,
            package,
        };
        HomePathDetector.scan(&text, file("libssh2-sys"), &mut out);
        assert!(out.is_empty());
        HomePathDetector.scan(&text, file("other"), &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn finds_unix_macos_and_windows_home_paths() {
        let cases = [
            ("/home/NAME/projects/x", "/home/t…/"),
            ("cd /Users/NAME/Library/", "/Users/t…/"),
            (r"C:\Users\NAME\AppData\", r"C:\Users\t…\"),
            (r#""C:\\Users\\NAME\\src""#, r"C:\\Users\\t…\"),
            ("C:/Users/NAME/src", "C:/Users/t…/"),
            ("/mnt/c/Users/NAME/code", "/mnt/c/Users/t…/"),
            ("file:///home/NAME/x", "/home/t…/"),
            ("/var/home/NAME/x", "/var/home/t…/"),
            ("path = \"/home/NAME/.cargo/registry\"", "/home/t…/"),
        ];
        for (template, redacted) in cases {
            let text = with(template, "tkowalski");
            assert_eq!(found(&text), [redacted], "{text}");
        }
        let spaced = with(r"d:\users\NAME\Desktop\", "Tomasz Kowalski");
        assert_eq!(found(&spaced), [r"d:\users\T…\"]);
        let dotted = with("/Users/NAME/", "tomasz.kowalski");
        assert_eq!(found(&dotted), ["/Users/t…/"]);
        let accented = with("/home/NAME/", "josé");
        assert_eq!(found(&accented), ["/home/j…/"]);
    }

    #[test]
    fn the_range_covers_the_name_and_redaction_hides_it() {
        let name = "tkowalski";
        let text = with("see /home/NAME/work", name);
        let path = find_home_paths(&text).next().unwrap();
        assert_eq!(&text[path.name.clone()], name);
        assert!(!path.redacted.contains(name));
        assert!(!path.redacted.contains("kowal"));
    }

    #[test]
    fn ignores_templates_placeholders_samples_and_service_accounts() {
        for name in [
            "$USER",
            "${USER}",
            "%USERNAME%",
            "<user>",
            "{user}",
            "~",
            "*",
            "...",
            "user",
            "USER",
            "YOUR_NAME",
            "username",
            "yourname",
            "your-name",
            "name",
            "me",
            "someone",
            "xxx",
            "foo",
            "user1",
            "jdoe",
            "john",
            "alice",
            "runner",
            "runneradmin",
            "VssAdministrator",
            "root",
            "travis",
            "circleci",
            "vagrant",
            "ubuntu",
            "ec2-user",
            "builder",
            "jenkins",
            "docker",
            "rust",
            "cloudshell-user",
            "gitpod",
            "codespace",
            "vscode",
            "linuxbrew",
            "Public",
            "Default",
            "Shared",
            "1000",
            ".cache",
        ] {
            for template in ["/home/NAME/x", "/Users/NAME/x", r"C:\Users\NAME\x"] {
                let text = with(template, name);
                assert_eq!(found(&text), Vec::<String>::new(), "{text}");
            }
        }
        assert_eq!(found(r"C:\Users\All Users\x"), Vec::<String>::new());
    }

    #[test]
    fn ignores_what_is_not_a_path_into_a_home() {
        for text in [
            "/home/tkowalski",
            "ls /home/",
            "https://example.com/home/about/",
            "https://api.github.com/users/octocat/repos",
            "GET /api/users/tkowalski/settings",
            "https://home/tkowalski/x",
            "my/home/tkowalski/",
            "format!(\"/home/{}/x\", user)",
            "\"/home/\" + user + \"/x\"",
            "/Users/ and /home/ are home roots",
            "~/home/tkowalski/x",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }

    fn prompts(text: &str) -> Vec<String> {
        find_prompts(text).map(|p| p.redacted).collect()
    }

    /// The anchors are found by aho-corasick's packed searcher and the
    /// prompts' `@` by `memchr`: a path or prompt at the very start or end
    /// of the text, or right after another one, is still found.
    #[test]
    fn paths_and_prompts_at_the_edges_of_the_text_are_still_found() {
        let name = "tkowalski";
        for template in ["/home/NAME/", "C:\\Users\\NAME\\", "/Users/NAME/"] {
            let path = with(template, name);
            for text in [
                path.clone(),
                format!("{path}x"),
                format!("cd {path}\n"),
                format!("{path} {path}"),
            ] {
                let hits: Vec<_> = find_home_paths(&text).map(|p| &text[p.name]).collect();
                let expected = if text.matches(name).count() == 2 {
                    2
                } else {
                    1
                };
                assert_eq!(hits, vec![name; expected], "{text:?}");
            }
        }
        let prompt = with("NAME@box:~/src$ ", name);
        for text in [
            prompt.clone(),
            prompt.trim_end().to_owned(),
            format!("x\n{prompt}ls\n{prompt}"),
        ] {
            let hits: Vec<_> = find_prompts(&text).map(|p| p.name.start).collect();
            let expected: Vec<_> = text.match_indices(name).map(|(i, _)| i).collect();
            assert_eq!(hits, expected, "{text:?}");
        }
    }

    #[test]
    fn home_path_after_a_terminal_colour_code_is_found() {
        // console's tests/data/sample_zellij_session.log, with a fake name.
        for escape in ["\x1b", r"\x1b", r"\033", r"\e", r"\u001b"] {
            let text = with(
                &format!("{escape}[0;1m{escape}[34m/home/NAME/Programming/x"),
                "tkowalski",
            );
            assert_eq!(found(&text), ["/home/t…/"], "{text:?}");
        }
        let text = with("\x1b]8;;\x07/Users/NAME/src", "tkowalski");
        assert_eq!(found(&text), ["/Users/t…/"]);
        let text = with(r"title\x07/home/NAME/src", "tkowalski");
        assert_eq!(found(&text), ["/home/t…/"]);
        // A word that merely ends in `m` is still glued.
        assert_eq!(
            found(&with("[34m/home/NAME/x", "tkowalski")),
            Vec::<String>::new()
        );
        assert_eq!(
            found(&with("rhythm/home/NAME/x", "tkowalski")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn shell_prompt_names_a_user() {
        let name = "tkowalski";
        for template in [
            // The zellij session's window title (OSC 2), then plain prompts.
            "\x1b]2;NAME@ai:~/Programming/Repos/\x07",
            "NAME@laptop:~$ cargo test",
            "NAME@laptop:~/src/x$ ls",
            "NAME@build-01:/srv/app# make",
            "NAME@mac ~ % ",
            "[NAME@fedora project]$ cargo build",
            "\x1b[01;32mNAME@laptop\x1b[00m:\x1b[01;34m~/x\x1b[00m$ ls",
        ] {
            let text = with(template, name);
            let found = prompts(&text);
            if template.contains(" ~ %") {
                // zsh's `%n@%m %1~ %#` has no colon: not judged.
                assert!(found.is_empty(), "{text:?}");
                continue;
            }
            assert_eq!(found, ["t…@…"], "{text:?}");
            let path = find_prompts(&text).next().unwrap();
            assert_eq!(&text[path.name], name);
        }
    }

    #[test]
    fn ssh_remotes_scp_targets_and_placeholders_are_not_prompts() {
        for text in [
            "git@github.com:owner/repo.git",
            "git clone git@gitlab.com:owner/repo",
            "scp notes.txt tkowalski@server:~/notes/",
            "rsync -a . tkowalski@server:/srv/www",
            "jane.doe@mail: wrote",
            "user@host:~$ ls",
            "root@server:/# reboot",
            "you@machine:~/x$ ",
            "[root@fedora ~]# dnf",
            "mailto:tkowalski@server:~$",
            "see https://x.org/tkowalski@host:~$",
        ] {
            assert_eq!(prompts(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn user_names_with_digits_or_underscores_are_found() {
        for name in [
            "jsmith42",
            "alice2",
            "jdoe_corp",
            "t_kowalski",
            "tk_2024",
            "_tkowal",
        ] {
            for template in ["/home/NAME/x", "/Users/NAME/x", r"C:\Users\NAME\x"] {
                let text = with(template, name);
                assert_eq!(found(&text).len(), 1, "{text}");
            }
        }
        for placeholder in [
            "user1", "user_1", "test-2", "ubuntu22", "runner2", "jsmith", "Alice",
        ] {
            assert!(!names_a_person(placeholder), "{placeholder}");
        }
    }

    /// Found reading the corpus: `ignore`'s tests name GitHub's
    /// `runneradmin` by its short name (`C:/Users/RUNNER~1/`), and
    /// `gix-path`'s a Parallels virtual machine's default account.
    #[test]
    fn short_names_of_service_accounts_and_vm_accounts_name_no_person() {
        for name in ["RUNNER~1", "runner~2", "ADMINI~1", "parallels", "Parallels"] {
            assert!(!names_a_person(name), "{name}");
        }
        // A short name of anyone else is someone's.
        for name in ["JKOWAL~1", "MKOWAL~2"] {
            assert!(names_a_person(name), "{name}");
        }
        assert_eq!(found(&with(r"C:/Users/NAME/AppData", "RUNNER~1")).len(), 0);
        assert_eq!(found(&with(r"C:/Users/NAME/AppData", "JKOWAL~1")).len(), 1);
    }

    /// Found reading the corpus (`gix-path`'s tests): in `file:/Users/NAME/`
    /// the `e:` was taken for a Windows drive, and the path was missed.
    #[test]
    fn a_unix_path_after_a_word_ending_in_a_colon_is_found() {
        for template in ["file:/Users/NAME/.gitconfig", "scheme:/home/NAME/x"] {
            let text = with(template, "mkowalski");
            assert_eq!(found(&text).len(), 1, "{text}");
        }
        // A drive letter at a word's start is still one.
        assert_eq!(found(&with(r"see C:\Users\NAME\x", "mkowalski")).len(), 1);
    }
}
