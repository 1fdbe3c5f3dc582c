//! Credentials written into URLs.
//!
//! A URL can carry a secret in three places: `scheme://user:password@host`,
//! a bare token as the user (`https://<token>@github.com/...`), and a query
//! parameter named like a credential (`?access_token=…`). The password or
//! token must not be a placeholder; a password for a loopback or reserved
//! example host (`postgres://postgres:postgres@localhost/db`, the staple of
//! database docs and tests) is reported only when it looks generated.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{Applicability, Category, Edit, Fix, Level, Match};
use crate::manifest::Manifest;
use crate::rules::literals::Literals;
use crate::rules::randomness::{is_placeholder, looks_random};
use crate::rules::{Detector, Family, FileContext, Finder, Rule};

pub static FAMILY: Family = Family {
    rules: &[&URL_CREDENTIALS],
    finder: Finder::Text(&UrlCredentialDetector),
};

pub static URL_CREDENTIALS: Rule = Rule {
    name: "url-credentials",
    category: Category::Secret,
    default_level: Level::Deny,
    summary: "password or token embedded in a URL",
    doc: r#"
## What it does
Finds URLs that carry a credential: `scheme://user:password@host`, a token
used as the user name (`https://<token>@github.com/…`), or a query parameter
such as `access_token=`, `api_key=` or `sig=` with a generated-looking value.
It looks everywhere: `repository`, `homepage`, git dependencies, registry
index URLs, source files, test data. Placeholders (`${PASSWORD}`,
`changeme`, `<token>`) are not reported, nor are throw-away passwords for
`localhost` and the reserved example domains.

## Why is this bad?
Anyone who downloads the crate can use the credential, and the crate cannot
be taken back: a yanked version stays downloadable, and mirrors keep copies.

## Example
```toml
[dependencies]
internal = { git = "https://deploy:hunter-two@git.corp.example/internal.git" }
```

## How to fix
Revoke the credential first: it is compromised as soon as it has been
published or pushed. Then remove it from the URL and let the tool that needs
it read it from the environment or a credential helper (for git, `cargo`'s
`net.git-fetch-with-cli` and a credential helper; for databases, an
environment variable such as `DATABASE_URL`).
"#,
    fix: Some(Applicability::MaybeIncorrect),
    generic: true,
    relaxed_in_tests: true,
    ..Rule::DEFAULT
};

static URL_USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        \b([A-Za-z][A-Za-z0-9+.\-]{1,30})://     # scheme
        (                                         # user-info, which may
          (?:[^\s/?\#@:"'<>`\\()\[\]{}]{1,128}@)?  # be an email address
          [^\s/?\#@"'<>`\\()\[\]{}]{1,256}
        )
        @
        (\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._\-]+)      # host
        "#,
    )
    .expect("url regex")
});

/// A credential query parameter; anchored, because it runs only at the
/// candidates [`candidates`] finds (its own literal prefilter would
/// be `?`, `&` and `;`, which source code is full of).
static URL_QUERY_SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?xi)
        ^[?&;]
        (access_token|auth_token|api_key|apikey|api-key|private_token|client_secret|
         secret|token|password|passwd|sig|signature|key)
        =
        ([^&\s"'<>`\#;)]{8,512})
        "#,
    )
    .expect("query regex")
});

/// The pieces both regexes are run around, found in one SIMD pass: `://`
/// ([`URL_USERINFO`]), and the last letter of every parameter name
/// [`URL_QUERY_SECRET`] knows, in either case, with the `=` after it
/// (rarer than `=` alone, which source code is full of). No two of them
/// can overlap, so each is found wherever it occurs.
static PIECES: LazyLock<Literals> = LazyLock::new(|| {
    let mut patterns = vec![SCHEME_END.to_vec()];
    for last in *b"nytdge" {
        patterns.push(vec![last, b'=']);
        patterns.push(vec![last.to_ascii_uppercase(), b'=']);
    }
    Literals::new(patterns)
});
const SCHEME_END: &[u8] = b"://";

/// Where the regexes run in a text.
#[derive(Default)]
struct Candidates {
    /// The lines that hold a `://` with an `@` after it, as byte ranges:
    /// the only lines a [`URL_USERINFO`] match can be in (a match holds
    /// both and never a newline, so a regex run line by line finds what it
    /// finds over the whole text). Each line is read at most twice.
    userinfo_lines: Vec<std::ops::Range<usize>>,
    /// Where a [`URL_QUERY_SECRET`] match may start, in increasing order:
    /// the `?`, `&` or `;` before a run of name bytes (ASCII letters, `_`,
    /// `-`, and any non-ASCII byte, since `(?i)` lets `ſ` stand for `s`
    /// and the Kelvin sign for `k`) that ends at an `=` whose previous byte
    /// can end a parameter name (`n`, `y`, `t`, `d`, `g`, `e` in either
    /// case). Every match starts at one of them; the regex decides.
    query_starts: Vec<usize>,
}

fn candidates(text: &str) -> Candidates {
    /// Longer than any parameter name, in bytes, however it is spelled.
    const MAX_NAME: usize = 48;
    let bytes = text.as_bytes();
    let mut found = Candidates::default();
    // The end of the last line looked at for `@`.
    let mut lines_done = 0;
    for hit in PIECES.find_iter(bytes) {
        if hit.pattern().as_usize() == 0 {
            let scheme_end = hit.start();
            if scheme_end < lines_done {
                continue;
            }
            let line_start = memchr::memrchr(b'\n', &bytes[lines_done..scheme_end])
                .map_or(lines_done, |i| lines_done + i + 1);
            let rest = &bytes[scheme_end..];
            let line_end = memchr::memchr(b'\n', rest).map_or(bytes.len(), |i| scheme_end + i);
            lines_done = line_end;
            if memchr::memchr(b'@', &bytes[scheme_end..line_end]).is_some() {
                found.userinfo_lines.push(line_start..line_end);
            }
            continue;
        }
        let eq = hit.end() - 1;
        let name = bytes[eq.saturating_sub(MAX_NAME + 1)..eq]
            .iter()
            .rev()
            .take_while(|&&b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'-') || b >= 0x80)
            .count();
        let Some(start) = eq.checked_sub(name + 1) else {
            continue;
        };
        if name <= MAX_NAME && matches!(bytes[start], b'?' | b'&' | b';') {
            found.query_starts.push(start);
        }
    }
    found
}

/// Hosts where a sample password is harmless.
fn is_throwaway_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.starts_with("127.")
        || host == "0.0.0.0"
        || host == "[::1]"
        || host.ends_with(".localhost")
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        || [".example", ".invalid", ".test", ".local"]
            .iter()
            .any(|s| host.ends_with(s))
        || !host.contains('.') && !host.starts_with('[') // docker-compose service names: `db`, `redis`
}

/// A credential found in a URL: the range of the secret part and how to show it.
#[derive(Debug, PartialEq, Eq)]
pub struct UrlSecret {
    /// Byte range of the whole `scheme://…@host` or `key=value`.
    pub range: std::ops::Range<usize>,
    /// Byte range of the secret itself (password, token or value).
    pub secret: std::ops::Range<usize>,
    pub redacted: String,
    pub kind: &'static str,
}

/// Every URL credential in `text`.
pub fn find_url_secrets(text: &str) -> Vec<UrlSecret> {
    let mut found = Vec::new();
    let Candidates {
        userinfo_lines,
        query_starts,
    } = candidates(text);
    let userinfo = userinfo_lines.into_iter().flat_map(|line| {
        URL_USERINFO
            .captures_iter(&text[line.clone()])
            .map(move |caps| (line.start, caps))
    });
    for (offset, caps) in userinfo {
        let (whole, scheme, info, host) = (&caps[0], &caps[1], caps.get(2).unwrap(), &caps[3]);
        let start = offset + caps.get(0).unwrap().start();
        let info_range = offset + info.start()..offset + info.end();
        let (user, password, secret) = match info.as_str().split_once(':') {
            Some((user, password)) => {
                let pw_start = info_range.start + user.len() + 1;
                (user, password, pw_start..info_range.end)
            }
            // A bare user name: only a secret if it is a generated token.
            None => ("", info.as_str(), info_range),
        };
        let reported = if user.is_empty() && !info.as_str().contains(':') {
            looks_random(password, 20)
        } else if is_placeholder(password) || password == user {
            false
        } else if is_throwaway_host(host) {
            looks_random(password, 12)
        } else {
            true
        };
        if !reported {
            continue;
        }
        let shown_user = if user.is_empty() {
            String::new()
        } else if user.contains('@') {
            // A user that is an email address is shown as emails are.
            format!("{}:", crate::diagnostic::redact_email(user))
        } else {
            format!("{user}:")
        };
        found.push(UrlSecret {
            range: start..start + whole.len(),
            secret,
            redacted: format!("{scheme}://{shown_user}…@{host}"),
            kind: if user.is_empty() { "token" } else { "password" },
        });
    }
    // As `captures_iter` would over the whole text: the leftmost match
    // first, the next one searched for after its end.
    let mut resume = 0;
    for at in query_starts {
        if at < resume {
            continue;
        }
        let Some(caps) = URL_QUERY_SECRET.captures(&text[at..]) else {
            continue;
        };
        let whole = caps.get(0).unwrap();
        resume = at + whole.end();
        let value = caps.get(2).unwrap();
        if !looks_random(value.as_str(), 16) {
            continue;
        }
        found.push(UrlSecret {
            range: at + whole.start() + 1..at + whole.end(),
            secret: at + value.start()..at + value.end(),
            redacted: format!("{}=…", &caps[1]),
            kind: "query parameter",
        });
    }
    found
}

/// The edit that takes the credential out of a URL found by this rule:
/// `scheme://user:pw@host` loses `user:pw@`; a query parameter loses
/// `key=value` and one of its separators. `range` is a finding's range.
pub fn strip_credentials(
    text: &str,
    range: std::ops::Range<usize>,
) -> Option<(std::ops::Range<usize>, String)> {
    let found = text.get(range.clone())?;
    if let Some(scheme_end) = found.find("://") {
        let at = found.rfind('@')?;
        return Some((
            range.start + scheme_end + 3..range.start + at + 1,
            String::new(),
        ));
    }
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    Some(match (before, after) {
        (Some('?'), Some('&' | ';')) => (range.start..range.end + 1, String::new()),
        _ => (range.start - 1..range.end, String::new()),
    })
}

pub struct UrlCredentialDetector;

impl Detector for UrlCredentialDetector {
    fn scan(&self, text: &str, _file: FileContext<'_>, out: &mut Vec<Match>) {
        for secret in find_url_secrets(text) {
            let message = match secret.kind {
                "password" => "password embedded in a URL",
                "token" => "token embedded in a URL",
                _ => "credential in a URL query parameter",
            };
            out.push(
                Match::new(&URL_CREDENTIALS, secret.range, message, secret.redacted)
                    .label("credential published with the crate")
                    .note("anyone who downloads the crate can use this credential")
                    .help("revoke it, then remove it from the URL and read it from the environment or a credential helper"),
            );
        }
    }
}

/// Fixes for text findings in a manifest: a URL loses its credentials.
/// Maybe-incorrect: the URL may stop working without them.
pub fn manifest_fix(manifest: &Manifest, found: &Match) -> Option<Fix> {
    if found.rule != &URL_CREDENTIALS {
        return None;
    }
    let (range, replacement) = strip_credentials(&manifest.text, found.range.clone())?;
    Some(Fix {
        applicability: Applicability::MaybeIncorrect,
        description:
            "remove the credentials from the URL (then revoke them: they are already exposed)"
                .to_owned(),
        edits: vec![Edit {
            path: manifest.path.clone(),
            range,
            replacement,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(text: &str) -> Vec<String> {
        find_url_secrets(text)
            .into_iter()
            .map(|s| s.redacted)
            .collect()
    }

    #[test]
    fn a_user_that_is_an_email_address_does_not_hide_the_password() {
        let email = ["zqxjvb", "@gmail.com"].concat();
        let text = format!("smtp://{email}:Tr0ub4dor-x9@smtp.gmail.com:587");
        let found = find_url_secrets(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&text[found[0].secret.clone()], "Tr0ub4dor-x9");
        assert_eq!(found[0].redacted, "smtp://zqx…@gmail.com:…@smtp.gmail.com");
        // A plain user still works, and a user without a password is not
        // taken for one.
        assert_eq!(
            secrets(&["https://deploy:Tr0ub4dor-x9", "@git.corp.net/r.git"].concat()),
            ["https://deploy:…@git.corp.net"]
        );
        assert!(secrets(&format!("mailto://{email}@x.org/")).is_empty());
    }

    #[test]
    fn reports_passwords_and_tokens_in_urls() {
        assert_eq!(
            secrets(&["postgres://app:", "Hk29sLq0vX@db.corp.net:5432/prod"].concat()),
            ["postgres://app:…@db.corp.net"]
        );
        assert_eq!(
            secrets(
                &[
                    r#"git = "https://deploy:"#,
                    r#"hunter-two-3@git.acme.io/x.git""#
                ]
                .concat()
            ),
            ["https://deploy:…@git.acme.io"]
        );
        let token = ["a8Kq2", "Lm9xZ", "4vRt7", "Pw3nB", "6yHc"].concat();
        assert_eq!(
            secrets(&format!("https://{token}@github.com/o/r.git")),
            ["https://…@github.com"]
        );
        let value = ["Zx81", "Kq0p", "Lm4v", "Rt7w"].concat();
        assert_eq!(
            secrets(&format!("https://api.acme.io/v1?access_token={value}&x=1")),
            ["access_token=…"]
        );
    }

    #[test]
    fn ignores_placeholders_samples_and_plain_users() {
        for text in [
            "git@github.com:owner/repo.git",
            "ssh://git@github.com/owner/repo",
            "postgres://postgres:postgres@localhost/db",
            "mysql://root:password@127.0.0.1:3306/test",
            "amqp://guest:guest@rabbitmq:5672",
            "https://user:${TOKEN}@host.io/",
            "https://user:<password>@host.io/",
            "https://USER:PASSWORD@host.io/",
            "redis://:changeme@cache.corp.net",
            "https://jane@bitbucket.org/jane/repo.git",
            "https://x.io/?token=abc&key=foo",
            "https://maps.io/?key=YOUR_API_KEY_HERE",
        ] {
            assert_eq!(secrets(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn stripping_leaves_a_working_url_shape() {
        let strip = |text: &str| {
            let found = &find_url_secrets(text)[0];
            let (range, with) = strip_credentials(text, found.range.clone()).unwrap();
            let mut out = text.to_owned();
            out.replace_range(range, &with);
            out
        };
        assert_eq!(
            strip(&["git = \"https://u:", "Pw9xKq2Lm@git.acme.io/r\""].concat()),
            "git = \"https://git.acme.io/r\""
        );
        let value = ["Zx81", "Kq0p", "Lm4v", "Rt7w"].concat();
        assert_eq!(
            strip(&format!("https://a.io/x?token={value}&b=1")),
            "https://a.io/x?b=1"
        );
        assert_eq!(
            strip(&format!("https://a.io/x?b=1&token={value}")),
            "https://a.io/x?b=1"
        );
        assert_eq!(
            strip(&format!("https://a.io/x?token={value}")),
            "https://a.io/x"
        );
    }

    /// The userinfo regex runs only on lines holding `://` and then an `@`,
    /// and the query regex only at candidates found from each `=`: a
    /// credential at the very start or end of the text, on a line after one
    /// without `@`, or next to another one is still found where it was.
    #[test]
    fn credentials_at_the_edges_of_the_prefilters_are_still_found() {
        let password = ["Hk29", "sLq0vX"].concat();
        let value = ["Zx81", "Kq0p", "Lm4v", "Rt7w"].concat();
        let url = format!("postgres://app:{password}@db.corp.net");
        // The whole text, then at the start and end of a longer one.
        for text in [
            url.clone(),
            format!("{url}\nnext line"),
            format!("first line https://docs.rs/x\n{url}"),
            format!("see https://docs.rs/x and {url}"),
            format!("a\r\n{url}\r\n"),
        ] {
            let found = find_url_secrets(&text);
            assert_eq!(found.len(), 1, "{text:?}: {found:?}");
            assert_eq!(&text[found[0].secret.clone()], password, "{text:?}");
            assert_eq!(&text[found[0].range.clone()], url, "{text:?}");
        }
        // `://` on one line and the `@` on the next is no URL.
        assert!(secrets(&format!("postgres://app:{password}\n@db.corp.net")).is_empty());
        // A query parameter at the start and end of the text, right after
        // another, in any case, and spelled with the letters `(?i)` folds.
        for (text, shown) in [
            (format!("?token={value}"), "token=…"),
            (format!("x&api_key={value}"), "api_key=…"),
            (format!(";TOKEN={value}\n"), "TOKEN=…"),
            (format!("?PassWord={value}&sig={value}"), "PassWord=…"),
            (format!("?\u{17f}ig={value}"), "\u{17f}ig=…"),
            (format!("?api_\u{212a}ey={value}"), "api_\u{212a}ey=…"),
        ] {
            let found = find_url_secrets(&text);
            assert_eq!(
                found.first().map(|s| s.redacted.as_str()),
                Some(shown),
                "{text:?}"
            );
            assert_eq!(&text[found[0].secret.clone()], value, "{text:?}");
        }
        // Two in a row are two findings; one inside another's value is not.
        let text = format!("u?a=1&token={value};secret={value}");
        let found: Vec<_> = find_url_secrets(&text)
            .into_iter()
            .map(|s| s.range)
            .collect();
        assert_eq!(
            found,
            [6..12 + value.len(), 13 + value.len()..20 + 2 * value.len()]
        );
        let text = format!("?key={value}?token={value}");
        assert_eq!(secrets(&text), ["key=…"]);
        // Both kinds on one line, found in the same pass: the user-info
        // ones are listed first, as before.
        let text = format!("https://x.io/?token={value} {url} ;sig={value}");
        assert_eq!(
            secrets(&text),
            ["postgres://app:…@db.corp.net", "token=…", "sig=…"]
        );
    }

    #[test]
    fn a_generated_password_for_localhost_is_still_reported() {
        assert_eq!(
            secrets(&["postgres://app:", "q8Zr2LmX0vTk4Wp9@localhost/db"].concat()).len(),
            1
        );
    }
}
