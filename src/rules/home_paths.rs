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
//!   which is the price of not flagging every tutorial;
//! - system, CI and service accounts: `root`, `admin`, `runner`,
//!   `runneradmin`, `VssAdministrator`, `vsts`, `travis`, `circleci`,
//!   `distiller`, `vagrant`, `ubuntu`, `ec2-user`, `builder`, `build`,
//!   `jenkins`, `docker`, `ci`, `rust`, `cloudshell-user`, `gitpod`,
//!   `codespace`, `vscode`, `node`, `app`, `linuxbrew`, `pi`…;
//! - Windows and macOS shared folders: `Public`, `Default`, `All Users`,
//!   `Shared`, `Guest`;
//! - names without a letter (`/home/1000/`) and names starting with a dot.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use crate::diagnostic::{Category, Level, Match};
use crate::rules::{Detector, FileContext, Rule};

pub static RULES: &[&Rule] = &[&HOME_FOLDER_PATH];

pub static HOME_FOLDER_PATH: Rule = Rule {
    name: "home-folder-path",
    category: Category::HomePath,
    default_level: Level::Warning,
    summary: "absolute path into a person's home folder",
    doc: r#"
## What it does
Finds absolute paths into a home folder that name a person:
`/home/NAME/…`, `/Users/NAME/…`, `C:\Users\NAME\…` (also `C:\\Users\\…` in
escaped strings, `C:/Users/…`, and `/mnt/c/Users/…`). Placeholders (`user`,
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
};

/// Names that are not a person's (compared ASCII case-insensitively, also
/// after stripping trailing digits).
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
    // Sample people of documentation.
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

/// The literal every home path holds; the regex runs only around them
/// (it has no literal prefix of its own, so on a whole text it is slow).
/// Leftmost-first matching and casings spelled out (rather than matched
/// case-insensitively) keep aho-corasick on its SIMD packed searcher:
/// 8.6 GB/s on the corpus against 0.5 GB/s for a standard-semantics or
/// case-insensitive automaton. `/home/` and macOS `/Users/` are
/// case-sensitive anyway.
static ANCHORS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build([
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
        ])
        .expect("home path anchors")
});

/// How far before an anchor a home path may start (`/cygdrive/c/Users/`,
/// `C:\\Documents and Settings\\`) and after it end (a 64-byte name).
const BEFORE_ANCHOR: usize = 24;
const AFTER_ANCHOR: usize = 100;

/// Every home-folder path in `text` whose user name names a person.
pub fn find_home_paths(text: &str) -> impl Iterator<Item = HomePath> + '_ {
    let mut next_start = 0;
    ANCHORS.find_iter(text).flat_map(move |anchor| {
        let mut window_start = anchor.start().saturating_sub(BEFORE_ANCHOR).max(next_start);
        while !text.is_char_boundary(window_start) {
            window_start += 1;
        }
        let mut window_end = (anchor.end() + AFTER_ANCHOR).min(text.len());
        while !text.is_char_boundary(window_end) {
            window_end -= 1;
        }
        let mut found = Vec::new();
        if window_start < window_end {
            for caps in HOME_PATH.captures_iter(&text[window_start..window_end]) {
                let whole = caps.get(0).map(|m| m.range());
                if let Some(path) = home_path(text, window_start, &caps) {
                    found.push(path);
                }
                if let Some(whole) = whole {
                    next_start = next_start.max(window_start + whole.end);
                }
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
/// (`https://host/home/x/`), so it is not a home folder.
fn glued_before(text: &str, start: usize) -> bool {
    let before = &text.as_bytes()[..start];
    match before.last() {
        Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'~') => true,
        // `scheme://home/…`: `home` is a host. `file:///home/…` is a path.
        Some(b'/') => before.ends_with(b":/"),
        _ => false,
    }
}

/// True unless `name` is a template, placeholder, sample name or service
/// account (see the module documentation).
pub fn names_a_person(name: &str) -> bool {
    if name.starts_with([' ', '.', '~']) || name.ends_with(' ') || name.contains("…") {
        return false;
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
    let without_number = name.trim_end_matches(|c: char| c.is_ascii_digit());
    !NOT_A_PERSON
        .iter()
        .any(|known| known.eq_ignore_ascii_case(name) || known.eq_ignore_ascii_case(without_number))
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
        for path in find_home_paths(text) {
            if is_project_account(&text[path.name.clone()], file.package) {
                continue;
            }
            out.push(
                Match::new(
                    &HOME_FOLDER_PATH,
                    path.name,
                    "absolute path into a home folder reveals a user name",
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
}
