//! The credential inside a tool's credentials file, where the file stores it
//! in a shape no other rule reads: base64 (a Docker `config.json` `auth`,
//! kubeconfig `client-key-data`), or a bare word after a keyword or in a
//! field, with no `=` (`.netrc`, `.pgpass`, kubeconfig `token`).
//!
//! `credentials-file` ([`super::sensitive_files`]) reports such a file as a
//! whole; these rules add the line of each credential in it, so that the
//! help can say what to rotate (which registry, machine or database). They
//! run only on files named as those tools name them (the names
//! `credentials-file` knows), so a README that shows the format is never
//! read as one. An encoded value is decoded and judged decoded (a Docker
//! `auth` must decode to `user:password`, a `client-key-data` to a PEM
//! private key); the token rules then run over the decoded password, to name
//! what it is (a GitHub token behind `ghcr.io`). Placeholders (`$TOKEN`,
//! `<password>`, `changeme`) are not reported.
//!
//! The span is the value as written (the encoded form); the redacted form
//! is `…`. A decoded value is never put in a message, a note or a help.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{escape_input, Category, Level, Match};
use crate::rules::randomness::is_placeholder;
use crate::rules::{Detector, Family, FileContext, Finder, Rule};

pub static FAMILY: Family = Family {
    rules: &[
        &DOCKER_CONFIG_AUTH,
        &KUBECONFIG_CREDENTIAL,
        &NETRC_PASSWORD,
        &PGPASS_PASSWORD,
    ],
    finder: Finder::Text(&EncodedCredentialDetector),
};

pub static DOCKER_CONFIG_AUTH: Rule = Rule {
    name: "docker-config-auth",
    category: Category::Secret,
    default_level: Level::Deny,
    summary: "registry password base64-encoded in a Docker `config.json` `auth`",
    doc: r#"
## What it does
In a Docker `config.json` (any `*.json` with `"auths"`) or `.dockercfg`,
decodes each registry's `"auth"` value, which is base64 of
`user:password`, and reports it at its line when it decodes to a user and
a password that is not a placeholder. The token rules then run over the
decoded password: when it is a known token (a GitHub token for `ghcr.io`),
the finding says which.

## Why is this bad?
base64 is an encoding, not encryption: anyone who downloads the crate can
decode the value and push images to the registry as that user.

## Example
```json
{"auths": {"registry.example.com": {"auth": "dXNlcjpwYXNzd29yZA=="}}}
```

## How to fix
Change the password (or revoke the access token) for that registry; then
keep the file out of the package (`exclude`) and let `docker login` store
the credential in a credential helper (`credsStore`) instead of the file.
"#,
    ..Rule::DEFAULT
};

pub static KUBECONFIG_CREDENTIAL: Rule = Rule {
    name: "kubeconfig-credential",
    category: Category::Secret,
    default_level: Level::Deny,
    summary: "client key (`client-key-data`), token or password in a kubeconfig",
    doc: r#"
## What it does
In a kubeconfig (`.kube/config`, `kubeconfig*`), reports each user's
`client-key-data` that decodes (base64) to a PEM private key, and each
`token` or `password` that is not a placeholder, at its line.

## Why is this bad?
The client key, token or password is the user's access to the cluster:
anyone who downloads the crate can act on it with that user's rights.

## Example
```yaml
users:
- name: ci
  user:
    client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t…
```

## How to fix
Revoke the credential: re-issue the client certificate (and its key), or
delete the service-account token. Then keep the file out of the package
(`exclude`); tests can build a kubeconfig at run time.
"#,
    ..Rule::DEFAULT
};

pub static NETRC_PASSWORD: Rule = Rule {
    name: "netrc-password",
    category: Category::Secret,
    default_level: Level::Deny,
    summary: "`password` of a machine in a `.netrc`/`_netrc` file",
    doc: r#"
## What it does
In a `.netrc` or `_netrc` file, reports each `password` token (the word
after `password`, with no `=`: `machine host login user password secret`)
that is not a placeholder, and names the machine it is for.

## Why is this bad?
curl, git, ftp and many HTTP libraries log in with these passwords: anyone
who downloads the crate gets that login.

## Example
```text
machine api.example.com login deploy password s3cr3t-but-real
```

## How to fix
Change the password for that machine (or revoke the token used as one),
then keep the file out of the package (`exclude`).
"#,
    ..Rule::DEFAULT
};

pub static PGPASS_PASSWORD: Rule = Rule {
    name: "pgpass-password",
    category: Category::Secret,
    default_level: Level::Deny,
    summary: "password field of a `.pgpass` line",
    doc: r#"
## What it does
In a PostgreSQL password file (`.pgpass`, `pgpass.conf`), reports the
password of each `host:port:database:user:password` line (`\:` and `\\`
are escapes) that is not a placeholder, and names the server it is for.

## Why is this bad?
`psql` and every libpq client log in with it: anyone who downloads the
crate can connect to that database as that role, if the server is
reachable.

## Example
```text
db.example.com:5432:app:app_user:correct-horse-battery
```

## How to fix
Change the role's password (`ALTER ROLE … PASSWORD …`), then keep the file
out of the package (`exclude`).
"#,
    ..Rule::DEFAULT
};

/// The credentials file formats these rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Docker,
    Kubeconfig,
    Netrc,
    Pgpass,
}

/// The format a file is in, by its name (and parent folder), as the tools
/// name them.
fn format_of(archive_path: &str) -> Option<Format> {
    let mut parts = archive_path.rsplit('/');
    let name = parts.next()?.to_ascii_lowercase();
    let parent = parts.next().unwrap_or("").to_ascii_lowercase();
    match name.as_str() {
        ".netrc" | "_netrc" => Some(Format::Netrc),
        ".pgpass" | "pgpass.conf" => Some(Format::Pgpass),
        ".dockercfg" => Some(Format::Docker),
        "config" if parent == ".kube" => Some(Format::Kubeconfig),
        _ if name.starts_with("kubeconfig") => Some(Format::Kubeconfig),
        _ if name.ends_with(".json") => Some(Format::Docker),
        _ => None,
    }
}

pub struct EncodedCredentialDetector;

impl Detector for EncodedCredentialDetector {
    fn scan(&self, text: &str, file: FileContext<'_>, out: &mut Vec<Match>) {
        match format_of(file.archive_path) {
            Some(Format::Docker) => docker(text, out),
            Some(Format::Kubeconfig) => kubeconfig(text, out),
            Some(Format::Netrc) => netrc(text, out),
            Some(Format::Pgpass) => pgpass(text, out),
            None => {}
        }
    }
}

static DOCKER_AUTHS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#""auths"\s*:"#).unwrap());
static DOCKER_AUTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""auth"\s*:\s*"([A-Za-z0-9+/=_-]{4,})""#).unwrap());
/// The key of the object a value is in: `"host": {` at the end of the text
/// before it.
static OBJECT_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""([^"\\\r\n]{1,253})"\s*:\s*$"#).unwrap());

fn docker(text: &str, out: &mut Vec<Match>) {
    // `.dockercfg` is the map of hosts itself; `config.json` nests it.
    if !text.contains("\"auth\"") {
        return;
    }
    let nested = DOCKER_AUTHS.is_match(text);
    for caps in DOCKER_AUTH.captures_iter(text) {
        let value = caps.get(1).expect("group 1");
        let Some(decoded) = base64_decode(value.as_str()) else {
            continue;
        };
        let Ok(decoded) = String::from_utf8(decoded) else {
            continue;
        };
        let Some((user, password)) = decoded.split_once(':') else {
            continue;
        };
        if user.is_empty() || is_placeholder(password) {
            continue;
        }
        let before = &text[..value.start()];
        let host = before
            .rfind('{')
            .and_then(|brace| OBJECT_KEY.captures(&before[..brace]))
            .map(|c| escape_input(&c[1]).into_owned());
        if host.is_none() && !nested && !text.trim_start().starts_with('{') {
            continue;
        }
        let host = host.unwrap_or_else(|| "the registry".to_owned());
        let mut m = Match::new(
            &DOCKER_CONFIG_AUTH,
            value.range(),
            format!("registry password for `{host}`, base64-encoded in `auth`"),
            "…".to_owned(),
        )
        .label("decodes to a user name and password")
        .note("base64 is an encoding, not encryption: anyone can decode it");
        if let Some(kind) = token_kind(password) {
            m = m.note(format!("decoded, the password is a {kind}"));
        }
        out.push(m.help(format!(
            "change the password (or revoke the token) this login uses at `{host}`, \
             and let `docker login` keep it in a credential helper"
        )));
    }
}

/// A kubeconfig user's secret, in block YAML (`key: value`, the value
/// optionally quoted).
static KUBE_SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^[ \t-]*(client-key-data|token|password)[ \t]*:[ \t]*["']?([^\s"'#]+)"#)
        .unwrap()
});

fn kubeconfig(text: &str, out: &mut Vec<Match>) {
    for caps in KUBE_SECRET.captures_iter(text) {
        let key = caps.get(1).expect("group 1").as_str();
        let value = caps.get(2).expect("group 2");
        if is_placeholder(value.as_str()) {
            continue;
        }
        let m = if key == "client-key-data" {
            let is_key = base64_decode(value.as_str()).is_some_and(|pem| {
                let pem = String::from_utf8_lossy(&pem);
                pem.contains("-----BEGIN") && pem.contains("PRIVATE KEY-----")
            });
            if !is_key {
                continue;
            }
            Match::new(
                &KUBECONFIG_CREDENTIAL,
                value.range(),
                "cluster client private key, base64-encoded in `client-key-data`",
                "…".to_owned(),
            )
            .label("decodes to a PEM private key")
            .help(
                "re-issue the client certificate with a new key (the old certificate stays \
                 valid until it expires or its signer is rotated)",
            )
        } else {
            let mut m = Match::new(
                &KUBECONFIG_CREDENTIAL,
                value.range(),
                format!("cluster {key} in a kubeconfig"),
                "…".to_owned(),
            )
            .label(format!("the user's {key}"));
            if let Some(kind) = token_kind(value.as_str()) {
                m = m.note(format!("it is a {kind}"));
            }
            m.help(format!(
                "revoke the {key} (delete the service-account token, or change the password)"
            ))
        };
        out.push(m.note("anyone who downloads the crate can act on the cluster as this user"));
    }
}

fn netrc(text: &str, out: &mut Vec<Match>) {
    // Tokens separated by whitespace; `machine NAME` and `default` start an
    // entry, `password VALUE` is its password.
    let mut machine: Option<&str> = None;
    let mut words = words(text);
    while let Some((_, word)) = words.next() {
        match word {
            "machine" => machine = words.next().map(|(_, w)| w),
            "default" => machine = None,
            "password" => {
                let Some((at, value)) = words.next() else {
                    break;
                };
                if is_placeholder(value) {
                    continue;
                }
                let host = machine.map_or_else(
                    || "the default machine".to_owned(),
                    |m| format!("`{}`", escape_input(m)),
                );
                out.push(
                    Match::new(
                        &NETRC_PASSWORD,
                        at..at + value.len(),
                        format!("password for {host} in a netrc file"),
                        "…".to_owned(),
                    )
                    .label("login password")
                    .help(format!("change the password this login uses at {host}")),
                );
            }
            _ => {}
        }
    }
}

/// The whitespace-separated words of `text`, with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    text.split_ascii_whitespace()
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

fn pgpass(text: &str, out: &mut Vec<Match>) {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim_start().starts_with('#') {
            continue;
        }
        let fields = split_pgpass(line);
        let [host, port, database, _, password] = fields.as_slice() else {
            continue;
        };
        let value = &line[password.clone()];
        if is_placeholder(value) {
            continue;
        }
        let server = format!(
            "`{}:{}/{}`",
            escape_input(&line[host.clone()]),
            escape_input(&line[port.clone()]),
            escape_input(&line[database.clone()])
        );
        out.push(
            Match::new(
                &PGPASS_PASSWORD,
                start + password.start..start + password.end,
                format!("PostgreSQL password for {server} in a `.pgpass` line"),
                "…".to_owned(),
            )
            .label("the role's password")
            .help(format!(
                "change the role's password on {server} (`ALTER ROLE … PASSWORD …`)"
            )),
        );
    }
}

/// The fields of a `.pgpass` line, split at colons that are not escaped;
/// the last field runs to the end of the line.
fn split_pgpass(line: &str) -> Vec<Range<usize>> {
    let mut fields = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ':' if fields.len() < 4 => {
                fields.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    fields.push(start..line.len());
    fields
}

/// What a token rule calls `value`, if one recognises it whole or in part
/// ("GitHub personal access token").
fn token_kind(value: &str) -> Option<String> {
    let mut found = Vec::new();
    let file = FileContext {
        archive_path: "",
        is_manifest: false,
        package: "",
    };
    super::tokens::TokenDetector.scan(value, file, &mut found);
    found
        .first()
        .map(|m| m.message.trim_end_matches(" in a packaged file").to_owned())
}

/// Decodes standard or URL-safe base64, padding optional; `None` for
/// anything else.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in text.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // One leftover character cannot encode a byte.
    (bits < 6).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base64(bytes: &[u8]) -> String {
        const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n =
                chunk.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i)) as usize & 63]));
            }
        }
        while out.len() % 4 != 0 {
            out.push('=');
        }
        out
    }

    fn found(path: &str, text: &str) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        let file = FileContext {
            archive_path: path,
            is_manifest: false,
            package: "demo",
        };
        EncodedCredentialDetector.scan(text, file, &mut out);
        out.into_iter()
            .map(|m| (m.rule.name, text[m.range.clone()].to_owned(), m.message))
            .collect()
    }

    /// A password built at run time, so no literal here looks like one.
    fn password() -> String {
        ["Xq7", "vR2m", "Lp9w", "Tz4k"].concat()
    }

    #[test]
    fn base64_round_trips_and_rejects_what_is_not_base64() {
        for input in [&b""[..], b"a", b"ab", b"abc", b"user:pass\xff"] {
            assert_eq!(base64_decode(&base64(input)).as_deref(), Some(input));
        }
        assert_eq!(base64_decode("not base64!"), None);
        assert_eq!(base64_decode("abcde"), None, "a lone sixth bit group");
    }

    #[test]
    fn docker_auth_is_decoded_and_reported_with_its_registry() {
        let auth = base64(format!("deploy:{}", password()).as_bytes());
        let text = format!("{{\n  \"auths\": {{\n    \"registry.example.com\": {{\n      \"auth\": \"{auth}\"\n    }}\n  }}\n}}\n");
        let found = found(".docker/config.json", &text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "docker-config-auth");
        assert_eq!(found[0].1, auth, "the span is the encoded value");
        assert!(
            found[0].2.contains("`registry.example.com`"),
            "{}",
            found[0].2
        );
        assert!(!found[0].2.contains(&password()));
    }

    #[test]
    fn docker_auth_names_a_token_behind_the_password() {
        let random = b"a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5";
        let token = format!(
            "ghp_{}{}",
            std::str::from_utf8(random).unwrap(),
            crate::rules::tokens::codec::crc32_base62(random)
        );
        let auth = base64(format!("octo:{token}").as_bytes());
        let text = format!(r#"{{"auths":{{"ghcr.io":{{"auth":"{auth}"}}}}}}"#);
        let mut out = Vec::new();
        let file = FileContext {
            archive_path: "config.json",
            is_manifest: false,
            package: "demo",
        };
        EncodedCredentialDetector.scan(&text, file, &mut out);
        assert_eq!(out.len(), 1);
        let said = format!("{:?} {:?} {:?}", out[0].message, out[0].notes, out[0].help);
        assert!(said.contains("GitHub"), "{said}");
        assert!(!said.contains(&token), "the decoded value is never said");
    }

    #[test]
    fn docker_auth_that_is_no_login_is_not_reported() {
        let no_colon = base64(b"justsometext");
        let placeholder = base64(b"user:${PASSWORD}");
        for auth in [no_colon, placeholder, "none".to_owned()] {
            let text = format!(r#"{{"auths":{{"r.example":{{"auth":"{auth}"}}}}}}"#);
            assert_eq!(found("config.json", &text), [], "{auth}");
        }
        // Not a credentials file name: a README's example is not read.
        let auth = base64(format!("u:{}", password()).as_bytes());
        let text = format!(r#"{{"auths":{{"r.example":{{"auth":"{auth}"}}}}}}"#);
        assert_eq!(found("README.md", &text), []);
    }

    #[test]
    fn kubeconfig_client_key_token_and_password() {
        let pem = format!(
            "-----BEGIN {}-----\nMIIEvQ\n-----END {}-----\n",
            "PRIVATE KEY", "PRIVATE KEY"
        );
        let key_data = base64(pem.as_bytes());
        let cert_data = base64(b"-----BEGIN CERTIFICATE-----\nMIIB\n");
        let token = password();
        let text = format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    client-certificate-data: {cert_data}\n    client-key-data: {key_data}\n- name: sa\n  user:\n    token: \"{token}\"\n- name: env\n  user:\n    token: $KUBE_TOKEN\n"
        );
        let got = found(".kube/config", &text);
        let spans: Vec<(&str, &str)> = got.iter().map(|f| (f.0, f.1.as_str())).collect();
        assert_eq!(
            spans,
            [
                ("kubeconfig-credential", key_data.as_str()),
                ("kubeconfig-credential", token.as_str())
            ]
        );
        assert!(got[0].2.contains("client-key-data"));
        // Data that does not decode to a key is not one.
        let text = format!("users:\n- user:\n    client-key-data: {cert_data}\n");
        assert_eq!(found("kubeconfig.yaml", &text), []);
    }

    #[test]
    fn netrc_password_tokens_without_equals_sign() {
        let p = password();
        let text = format!(
            "machine api.example.com login deploy password {p}\n\
             machine other.example login x\n  password $NETRC_PASS\n\
             default login anon password {p}2\n"
        );
        let got = found(".netrc", &text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].1, p);
        assert!(got[0].2.contains("`api.example.com`"), "{}", got[0].2);
        assert_eq!(got[1].1, format!("{p}2"));
        assert!(got[1].2.contains("default machine"));
        assert_eq!(found("_netrc", &text).len(), 2);
    }

    #[test]
    fn pgpass_password_field_with_escaped_colons() {
        let p = password();
        let text = format!(
            "# host:port:db:user:password\n\
             db.example.com:5432:app:app_user:{p}\\:x\n\
             *:*:*:postgres:*\n\
             short:line\n"
        );
        let got = found(".pgpass", &text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, format!("{p}\\:x"));
        assert!(
            got[0].2.contains("`db.example.com:5432/app`"),
            "{}",
            got[0].2
        );
    }
}
