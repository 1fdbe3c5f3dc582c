//! Credentials assigned to a key whose name says what they are.
//!
//! `password = "…"`, `api_key: …`, `SECRET=…`, `"token": "…"`,
//! `.client_secret("…")`: a key named like a credential, an operator, and a
//! value. The syntaxes of TOML, YAML, JSON, `.env`, INI, shell, Rust and most
//! other languages are covered by one shape:
//!
//! ```text
//! [quote] KEY [quote] OP VALUE
//! OP    = `=` `:` `:=` `=>` `==` `(` (the last one a call, quoted values only),
//!         `,` after a quoted key (`("api_key", "…")`, quoted values only),
//!         `: &str =` and other type annotations in source code
//! VALUE = "…" | '…' | `…` | r"…" | r#"…"# | b"…" | \"…\" | a bare word
//! ```
//!
//! Quotes may be escaped, as in JSON held in a string literal.
//!
//! The key decides whether the value is meant to be secret. It must name a
//! credential (`password`, `passwd`, `passphrase`, `pass` or `pwd` as a word,
//! `secret`, `token`, `credential`, `authorization`, or a key kind such as
//! `api_key`, `access_key`, `private_key`, `signing_key`…, in any case or
//! separator style: `apiKey`, `API-KEY`, `db.password`), and must not name
//! something else about it: a hash (`sha256`, `checksum`, `hash`, `digest`,
//! `integrity`, `fingerprint`, `salt`, `nonce`), a public key, a tokenizer,
//! pagination (`page_token`, `cursor`), or the credential's metadata
//! (`token_url`, `secret_name`, `password_file`, `token_type`, `key_id`,
//! `password_min_length`…).
//!
//! The value decides whether it is real. It is reported only when it looks
//! generated ([`looks_random`]: 8 characters for passwords, 12 for other
//! credentials) and is none of: a placeholder ([`is_placeholder`]:
//! `changeme`, `xxxx`, `${VAR}`, `<YOUR_KEY>`, AWS's `…EXAMPLE…` keys), a
//! value that spells a stand-in word (`test`, `dummy`, `mock`, `secret`,
//! `password`…), a word and a number (`hunter42`, `Summer2024!`), a
//! hand-typed run (`1234567890`, `a1b2c3d4e5`), the key's own name,
//! capitalised words (`PrivKeyCacheMaxItems`), a braced Windows GUID, base64
//! of readable sample text (`cGFzc3dvcmQ=`, Basic auth's `Aladdin:open
//! sesame`), an algorithm-prefixed digest (`sha256:…`), a URL (left to the
//! URL rule), a format string or a regular expression, or text with spaces.
//! In program source (see [`file_kind::is_source_code`]) only quoted values
//! count, since a bare right-hand side is code (`token =
//! env::var("TOKEN")`, `api_key = self.api_key`); elsewhere a bare value is
//! a literal, unless it is a call or a dotted reference (`password:
//! settings.db_password`).
//!
//! The finding's range covers the value only, and the value is never shown:
//! the redacted form is the key followed by `=…`.

use std::ops::Range;
use std::sync::LazyLock;

use crate::diagnostic::{Category, Level, Match};
use crate::rules::file_kind;
use crate::rules::literals::Literals;
use crate::rules::randomness::{is_placeholder, looks_random};
use crate::rules::tokens::codec::b64_decode;
use crate::rules::{Detector, Family, FileContext, Finder, Rule};

pub static FAMILY: Family = Family {
    rules: &[&CREDENTIAL_ASSIGNMENT],
    finder: Finder::Text(&CredentialAssignmentDetector),
};

pub static CREDENTIAL_ASSIGNMENT: Rule = Rule {
    name: "credential-assignment",
    category: Category::Secret,
    default_level: Level::Deny,
    summary: "generated-looking value assigned to a password, secret, token or key",
    doc: r#"
## What it does
Finds values assigned to keys named like credentials (`password`, `secret`,
`token`, `api_key`, `client_secret`, `auth_token`, `access_key`,
`private_key`…) in configuration files, `.env` files, scripts, test data
and source code, when the value looks generated. Placeholders (`changeme`,
`${TOKEN}`, `<YOUR_KEY>`, `xxxx`, `dummy`), documentation examples
(`…EXAMPLE`), hashes under hash-like keys (`sha256`, `checksum`,
`integrity`), and code (`password = get_password()`, `token =
env::var("TOKEN")`, `api_key = self.api_key`) are not reported.

## Why is this bad?
A credential in a published crate is public: anyone can use it, and the
crate cannot be withdrawn (a yanked version stays downloadable, and mirrors
keep copies).

## Example
```toml
[database]
user = "app"
password = "${DB_PASSWORD_EXAMPLE}"
```
(A placeholder stands in for the generated value, such as twelve random
letters and digits, that the rule reports; the placeholder itself is not.)

## How to fix
Revoke or rotate the credential first: it is compromised as soon as it has
been published or pushed. Then read it at run time from the environment or
a secret store, and leave a placeholder (`password = "${DB_PASSWORD}"`) in
files that ship.
"#,
    generic: true,
    relaxed_in_tests: true,
    ..Rule::DEFAULT
};

/// Literal stems one of which every credential key holds; found with one
/// literal search, then the whole key is read around them.
static STEM: LazyLock<Literals> = LazyLock::new(|| {
    // Each stem in the casings identifiers use (`password`, `Password`,
    // `PASSWORD`, `apiKey`), spelled out: a case-insensitive automaton
    // loses aho-corasick's SIMD packed searcher and runs ~15x slower.
    let stems = [
        "pass",
        "secret",
        "token",
        "key",
        "credential",
        "auth",
        "pwd",
    ];
    let casings: Vec<String> = stems
        .iter()
        .flat_map(|s| {
            let mut title = s.to_string();
            title[..1].make_ascii_uppercase();
            [s.to_string(), title, s.to_ascii_uppercase()]
        })
        .collect();
    Literals::new(casings)
});

/// Credential names, matched in the key lower-cased with separators removed.
const SECRET_STEMS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "authorization",
    "apikey",
    "appkey",
    "accesskey",
    "privatekey",
    "privkey",
    "secretkey",
    "signingkey",
    "encryptionkey",
    "masterkey",
    "authkey",
    "sessionkey",
    "accountkey",
    "sharedkey",
    "clientkey",
    "deploykey",
    "licensekey",
];

/// Words that make a key name something other than a credential.
const NOT_SECRET_WORDS: &[&str] = &[
    "sha",
    "sha1",
    "sha256",
    "sha384",
    "sha512",
    "md5",
    "crc",
    "crc32",
    "hash",
    "hashed",
    "checksum",
    "digest",
    "integrity",
    "fingerprint",
    "etag",
    "nonce",
    "salt",
    "iv",
    "public",
    "pub",
    "pubkey",
    "tokenizer",
    "tokenize",
    "tokenized",
    "tokenizers",
    "secretary",
    "csrf",
    "xsrf",
    "page",
    "cursor",
    "continuation",
    "passwordless",
    "bypass",
    "passthrough",
    "keyword",
    "keywords",
];

/// Last words that make a key describe a credential rather than hold it.
const METADATA_WORDS: &[&str] = &[
    "url",
    "uri",
    "endpoint",
    "host",
    "path",
    "file",
    "filename",
    "dir",
    "env",
    "var",
    "name",
    "id",
    "type",
    "kind",
    "len",
    "length",
    "size",
    "count",
    "prefix",
    "suffix",
    "header",
    "field",
    "regex",
    "pattern",
    "format",
    "hint",
    "label",
    "placeholder",
    "prompt",
    "policy",
    "expiry",
    "expires",
    "expiration",
    "ttl",
    "timeout",
    "lifetime",
    "cmd",
    "command",
    "helper",
    "mode",
    "source",
    "provider",
    "location",
    "ref",
    "arn",
    "version",
    "algorithm",
    "alg",
    "method",
    "scope",
    "scopes",
    "audience",
    "issuer",
    "limit",
    "max",
    "min",
    "required",
    "enabled",
    "disabled",
    "index",
    "offset",
    "at",
    "date",
    "time",
    "class",
    "module",
    "handler",
    "callback",
    "validator",
    "strength",
    "rules",
    "store",
    "manager",
    "service",
];

/// Words that make a value a stand-in when it contains them.
const STAND_IN_WORDS: &[&str] = &[
    "test",
    "dummy",
    "fake",
    "mock",
    "sample",
    "example",
    "changeme",
    "placeholder",
    "secret",
    "password",
    "passwd",
    "token",
    "insert",
    "replace",
    "redacted",
    "invalid",
    "notreal",
    "xxxx",
];

/// Longest key read around a stem, in bytes, on either side.
const MAX_KEY_SIDE: usize = 64;
/// Longest value read.
const MAX_VALUE: usize = 256;

/// A credential assignment found in text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub key: Range<usize>,
    pub value: Range<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyKind {
    Password,
    Other,
}

/// Every credential assignment in `text`; `source_code` is true for program
/// source, where only quoted values are literals.
pub fn find_assignments(text: &str, source_code: bool) -> Vec<Assignment> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut resume = 0;
    for stem in STEM.find_iter(bytes) {
        if stem.start() < resume {
            continue;
        }
        let Some(key) = expand_key(bytes, stem.start(), stem.end()) else {
            // Too long for a key (a base64 blob, minified code): skip the
            // whole run so its other stems are not expanded again.
            resume = stem.end()
                + bytes[stem.end()..]
                    .iter()
                    .take_while(|&&b| is_key_byte(b))
                    .count();
            continue;
        };
        resume = key.end;
        // The operator and value first: most keys are followed by neither
        // (`key)`, `token.kind`), and that is cheaper to see than what the
        // key names.
        let Some(Value {
            range: value,
            quoted,
        }) = parse_value(bytes, key.clone(), source_code)
        else {
            continue;
        };
        let Some(kind) = classify_key(&text[key.clone()]) else {
            continue;
        };
        resume = resume.max(value.end);
        if is_secret_value(&text[key.clone()], &text[value.clone()], quoted, kind) {
            found.push(Assignment { key, value });
        }
    }
    found
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// The whole key around a stem, without leading `-`/`.` (`--password`,
/// `.token`) or trailing `-`/`.`; `None` when it runs longer than a key.
fn expand_key(bytes: &[u8], start: usize, end: usize) -> Option<Range<usize>> {
    let left = bytes[..start]
        .iter()
        .rev()
        .take(MAX_KEY_SIDE + 1)
        .take_while(|&&b| is_key_byte(b))
        .count();
    let right = bytes[end..]
        .iter()
        .take(MAX_KEY_SIDE + 1)
        .take_while(|&&b| is_key_byte(b))
        .count();
    if left > MAX_KEY_SIDE || right > MAX_KEY_SIDE {
        return None;
    }
    let (mut s, mut e) = (start - left, end + right);
    while s < e && matches!(bytes[s], b'-' | b'.') {
        s += 1;
    }
    while e > s && matches!(bytes[e - 1], b'-' | b'.') {
        e -= 1;
    }
    Some(s..e)
}

/// The words of a key: split at separators, lower-to-upper case changes and
/// the end of an acronym (`APIKey` → `API`, `Key`).
fn words(key: &str) -> impl Iterator<Item = &str> {
    let b = key.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let c = b[i];
            if !c.is_ascii_alphanumeric() {
                let word = &key[start..i];
                i += 1;
                start = i;
                if !word.is_empty() {
                    return Some(word);
                }
                continue;
            }
            let boundary = i > start
                && c.is_ascii_uppercase()
                && (b[i - 1].is_ascii_lowercase()
                    || (b[i - 1].is_ascii_uppercase()
                        && b.get(i + 1).is_some_and(u8::is_ascii_lowercase)));
            if boundary {
                let word = &key[start..i];
                start = i;
                i += 1;
                return Some(word);
            }
            i += 1;
        }
        if start < b.len() {
            let word = &key[start..];
            start = b.len();
            return Some(word);
        }
        None
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Whether `key` names a credential, and which kind.
fn classify_key(key: &str) -> Option<KeyKind> {
    let mut buf = [0u8; 2 * MAX_KEY_SIDE + 32];
    let mut n = 0;
    for b in key.bytes().filter(u8::is_ascii_alphanumeric) {
        *buf.get_mut(n)? = b.to_ascii_lowercase();
        n += 1;
    }
    let compact = &buf[..n];
    // `pass` and `pwd` count only as whole words (`DB_PASS`, `MYSQL_PWD`,
    // not `bypass`, and not `PWD` alone: that is the working directory).
    let pass_word = (contains(compact, b"pass") || contains(compact, b"pwd"))
        && (words(key).any(|w| w.eq_ignore_ascii_case("pass"))
            || (words(key).nth(1).is_some() && words(key).any(|w| w.eq_ignore_ascii_case("pwd"))));
    let named = pass_word || SECRET_STEMS.iter().any(|s| contains(compact, s.as_bytes()));
    if !named
        || words(key).any(|w| is_one_of(w, NOT_SECRET_WORDS))
        || contains(compact, b"publickey")
        || words(key)
            .last()
            .is_some_and(|w| is_one_of(w, METADATA_WORDS))
    {
        return None;
    }
    if pass_word || contains(compact, b"pass") {
        Some(KeyKind::Password)
    } else {
        Some(KeyKind::Other)
    }
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    let limit = i + 8;
    while i < b.len() && i < limit && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// A value read after a key's operator.
struct Value {
    /// The value's bytes, inside its quotes if it has any.
    range: Range<usize>,
    quoted: bool,
}

/// Reads the operator and value after the key. Quotes may be escaped, as in
/// JSON held in a string (`"{\"token\": \"…\"}"`).
fn parse_value(b: &[u8], key: Range<usize>, source_code: bool) -> Option<Value> {
    let key_quote = key
        .start
        .checked_sub(1)
        .map(|p| b[p])
        .filter(|q| matches!(q, b'"' | b'\'' | b'`'));
    let mut i = skip_key_quote(b, &key, key_quote)?;
    i = skip_blanks(b, i);
    let op = *b.get(i)?;
    let op_len = operator_len(b, i, key_quote.is_some())?;
    i = skip_blanks(b, i + op_len);
    if op == b':' && source_code && op_len == 1 {
        i = skip_type_annotation(b, i);
    }
    let quoted_only = source_code || matches!(op, b'(' | b',');
    match quote_at(b, i) {
        Some((open, q)) => quoted_value(b, open, q),
        None if quoted_only => None,
        None => bare_value(b, i),
    }
}

/// Where the key ends, past the quote closing it when `key_quote` opened it
/// (`\"` closes `\"`); `None` when the key's quote is not closed right after
/// it.
fn skip_key_quote(b: &[u8], key: &Range<usize>, key_quote: Option<u8>) -> Option<usize> {
    let Some(q) = key_quote else {
        return Some(key.end);
    };
    let escaped = key.start >= 2 && b[key.start - 2] == b'\\';
    let closing: &[u8] = if escaped { &[b'\\', q] } else { &[q] };
    if !b[key.end..].starts_with(closing) {
        return None;
    }
    Some(key.end + closing.len())
}

/// The length of the assignment operator at `i` (`=`, `:`, `(`, `:=`,
/// `=>`, `==`, `===`, and `,` after a quoted key); `None` for anything
/// else, including a match (`=~`) and a path (`::`).
fn operator_len(b: &[u8], i: usize, key_quoted: bool) -> Option<usize> {
    let op = *b.get(i)?;
    let next = b.get(i + 1).copied();
    match (op, next) {
        (b':', Some(b'=')) | (b'=', Some(b'>')) => Some(2),
        (b'=', Some(b'=')) => {
            if b.get(i + 2) == Some(&b'=') {
                Some(3)
            } else {
                Some(2)
            }
        }
        (b'=', Some(b'~')) | (b':', Some(b':')) => None,
        (b'=' | b':' | b'(', _) => Some(1),
        (b',', _) if key_quoted => Some(1),
        _ => None,
    }
}

/// The value inside the quote `q` opening at `open` (an auth scheme such as
/// `Bearer ` skipped), closed on the same line within [`MAX_VALUE`] bytes,
/// by `\` and `q` when it was opened so.
fn quoted_value(b: &[u8], open: usize, q: u8) -> Option<Value> {
    let escaped = b[open - 1] == b'\\';
    let start = skip_auth_scheme(b, open + 1);
    let close = b[start..]
        .iter()
        .take(MAX_VALUE + 1)
        .position(|&c| c == q || c == b'\n' || (escaped && c == b'\\'))?;
    let closed = if escaped {
        b.get(start + close..start + close + 2) == Some(&[b'\\', q])
    } else {
        b[start + close] == q
    };
    if close > MAX_VALUE || !closed {
        return None;
    }
    Some(Value {
        range: start..start + close,
        quoted: true,
    })
}

/// The unquoted value starting at `i` (an auth scheme skipped): up to
/// whitespace, a quote or punctuation, at most [`MAX_VALUE`] bytes; `None`
/// for nothing at all or a call (`get_password()`).
fn bare_value(b: &[u8], i: usize) -> Option<Value> {
    let start = skip_auth_scheme(b, i);
    let len = b[start..]
        .iter()
        .take(MAX_VALUE + 1)
        .position(|&c| {
            c.is_ascii_whitespace()
                || matches!(
                    c,
                    b'"' | b'\''
                        | b'`'
                        | b'\\'
                        | b','
                        | b';'
                        | b'#'
                        | b'('
                        | b')'
                        | b'['
                        | b']'
                        | b'{'
                        | b'}'
                        | b'<'
                        | b'>'
                )
        })
        .unwrap_or(b.len() - start);
    if len == 0 || len > MAX_VALUE || b.get(start + len) == Some(&b'(') {
        return None;
    }
    Some(Value {
        range: start..start + len,
        quoted: false,
    })
}

/// `: &str =`, `: &'static str =`, `: String =`, `: Option<&str> =`: skips
/// a type annotation up to its `=`, or returns `i` unchanged.
fn skip_type_annotation(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && j < i + 48 {
        match b[j] {
            b'=' if b.get(j + 1) != Some(&b'=') && j > i => return skip_blanks(b, j + 1),
            c if c.is_ascii_alphanumeric()
                || matches!(c, b'_' | b'&' | b'\'' | b'<' | b'>' | b' ' | b':') =>
            {
                j += 1;
            }
            _ => break,
        }
    }
    i
}

/// The opening quote at `i`, after an optional Rust or Python string prefix
/// (`r"`, `r#"`, `b"`, `br"`, `f"`, `u"`) or a backslash (`\"`).
fn quote_at(b: &[u8], i: usize) -> Option<(usize, u8)> {
    let is_quote = |c: Option<&u8>| c.is_some_and(|c| matches!(c, b'"' | b'\'' | b'`'));
    if b.get(i) == Some(&b'\\') && is_quote(b.get(i + 1)) {
        return Some((i + 1, b[i + 1]));
    }
    let mut j = i;
    while j < i + 2
        && b.get(j)
            .is_some_and(|c| matches!(c, b'r' | b'b' | b'f' | b'u' | b'R' | b'B'))
    {
        j += 1;
    }
    while j > i && b.get(j) == Some(&b'#') && j < i + 8 {
        j += 1;
    }
    is_quote(b.get(j)).then(|| (j, b[j]))
}

/// Skips `Bearer `, `Basic ` or `Token ` before a credential.
fn skip_auth_scheme(b: &[u8], i: usize) -> usize {
    for scheme in [&b"bearer "[..], b"basic ", b"token "] {
        if b.get(i..i + scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
        {
            return skip_blanks(b, i + scheme.len());
        }
    }
    i
}

/// Whether a value assigned to a credential key is a real-looking secret.
fn is_secret_value(key: &str, value: &str, quoted: bool, kind: KeyKind) -> bool {
    let min_len = match kind {
        KeyKind::Password => 8,
        KeyKind::Other => 12,
    };
    if value.len() < min_len
        || value.bytes().any(|c| c.is_ascii_whitespace())
        || value.contains("://")
        || is_placeholder(value)
        || is_stand_in(value)
        // `{"dhSinglePass-…", "dhSinglePass-…"}`: a name, not a value.
        || contains_ignore_case(value, key)
        || is_digest(value)
        || looks_like_pattern(value)
        || is_word_with_number(value)
        || has_counting_run(value)
        || contains_braced_guid(value)
        || is_camel_case_words(value)
        || (!quoted && is_code_reference(value))
    {
        return false;
    }
    looks_random(value, min_len) && !encodes_plain_text(value)
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `hunter42`, `Summer2024!`, `2024secret`: a word and a number, the way
/// people (and documentation) make passwords up; nothing generated.
fn is_word_with_number(value: &str) -> bool {
    let b = value.as_bytes();
    let b = match b.last() {
        Some(c) if c.is_ascii_punctuation() => &b[..b.len() - 1],
        _ => b,
    };
    let word = |w: &[u8]| {
        w.len() >= 3
            && w[0].is_ascii_alphabetic()
            && (w[1..].iter().all(u8::is_ascii_lowercase) || w.iter().all(u8::is_ascii_uppercase))
    };
    let split = b.iter().position(u8::is_ascii_digit).unwrap_or(b.len());
    let (head, tail) = b.split_at(split);
    if word(head) && !tail.is_empty() && tail.iter().all(u8::is_ascii_digit) {
        return true;
    }
    let split = b
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(b.len());
    let (head, tail) = b.split_at(split);
    !head.is_empty() && word(tail)
}

/// Six characters counting up, side by side or every other one:
/// `cio1234567890…`, `abcdef…`, `a1b2c3d4e5f6…`. Made up by hand, not
/// generated (a random value has such a run about once in 10⁵).
fn has_counting_run(value: &str) -> bool {
    let b = value.as_bytes();
    [1, 2].into_iter().any(|stride| {
        (0..b.len().saturating_sub(5 * stride)).any(|i| {
            (0..5).all(|k| {
                let (x, y) = (b[i + k * stride], b[i + (k + 1) * stride]);
                x.is_ascii_alphanumeric() && y == x + 1
            })
        })
    })
}

/// A Windows GUID in braces (`_SA_{262E99C9-6160-4871-ACEC-4E61736B6F21}`):
/// a well-known identifier, not a secret.
fn contains_braced_guid(value: &str) -> bool {
    let b = value.as_bytes();
    b.windows(38).any(|w| {
        w[0] == b'{'
            && w[37] == b'}'
            && w[1..37].iter().enumerate().all(|(i, c)| {
                if matches!(i, 8 | 13 | 18 | 23) {
                    *c == b'-'
                } else {
                    c.is_ascii_hexdigit()
                }
            })
    })
}

/// Base64 that decodes to readable sample text: `cGFzc3dvcmQ=`
/// (`password`), HTTP Basic's `QWxhZGRpbjpvcGVuIHNlc2FtZQ`
/// (`Aladdin:open sesame`). A `user:` prefix is ignored; what remains must
/// itself look generated for the value to count.
fn encodes_plain_text(value: &str) -> bool {
    let Some(decoded) = b64_decode(value.as_bytes()) else {
        return false;
    };
    let decoded = decoded.as_slice();
    if decoded.len() < 4 || !decoded.iter().all(|c| (0x20..0x7f).contains(c)) {
        return false;
    }
    let Ok(text) = std::str::from_utf8(decoded) else {
        return false;
    };
    let secret = text.split_once(':').map_or(text, |(_, pass)| pass);
    secret.contains(' ')
        || is_placeholder(secret)
        || is_stand_in(secret)
        || is_word_with_number(secret)
        || !looks_random(secret, 8)
}

/// A value that spells a stand-in word (`test-token-123`, `Password1!`,
/// `my_dummy_key`).
fn is_stand_in(value: &str) -> bool {
    STAND_IN_WORDS
        .iter()
        .any(|w| contains_ignore_case(value, w))
}

/// `sha256:…`, `sha512-…` (Subresource Integrity), `md5:…`.
fn is_digest(value: &str) -> bool {
    ["sha1", "sha256", "sha384", "sha512", "md5", "blake3"]
        .iter()
        .any(|alg| {
            value
                .get(..alg.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(alg))
                && matches!(value.as_bytes().get(alg.len()), Some(b':' | b'-' | b'='))
        })
}

/// Format strings and regular expressions: `%s`, `{}`, `\d`, `[a-z`, `.*`.
fn looks_like_pattern(value: &str) -> bool {
    [
        "%s", "%d", "{}", "\\d", "\\w", "\\s", "[a-z", "[A-Z", "[0-9", ".*", ".+", "(?",
    ]
    .iter()
    .any(|p| value.contains(p))
}

/// A bare value that is code: `env::var`, `self.api_key`, `settings.TOKEN`.
fn is_code_reference(value: &str) -> bool {
    if value.contains("::") || value.contains("->") || value.starts_with(['&', '*', '!', '@']) {
        return true;
    }
    let mut segments = value.split('.');
    let dotted = value.contains('.')
        && segments.all(|s| {
            s.bytes()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
                && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                && !looks_random(s, 16)
        });
    dotted
}

/// `ApiKeyFromEnvironment`, `MySecretName`: mostly capitalised words, as
/// in identifiers and resource names, not generated values.
fn is_camel_case_words(value: &str) -> bool {
    let b = value.as_bytes();
    let (mut i, mut humps, mut covered) = (0, 0, 0);
    while i < b.len() {
        if b[i].is_ascii_uppercase() {
            let run = b[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_lowercase())
                .count();
            if run >= 2 {
                humps += 1;
                covered += run + 1;
                i += run + 1;
                continue;
            }
        }
        i += 1;
    }
    humps >= 2 && covered * 4 >= b.len() * 3
}

pub struct CredentialAssignmentDetector;

impl Detector for CredentialAssignmentDetector {
    fn scan(&self, text: &str, file: FileContext<'_>, out: &mut Vec<Match>) {
        let source_code = file_kind::is_source_code(file.archive_path);
        for found in find_assignments(text, source_code) {
            let key = &text[found.key];
            out.push(
                Match::new(
                    &CREDENTIAL_ASSIGNMENT,
                    found.value,
                    format!("hard-coded credential assigned to `{key}`"),
                    format!("{key}=…"),
                )
                .label("credential published with the crate")
                .note("anyone who downloads the crate can use this credential")
                .help(
                    "revoke or rotate it, then read it at run time from the environment \
                     or a secret store",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated-looking value, assembled at run time so this file holds
    /// no secret-shaped literal.
    fn secret() -> String {
        ["Hk29", "sLq0", "vXw7", "Tz4R"].concat()
    }

    /// Keys and values reported in `text`.
    fn found(text: &str, source_code: bool) -> Vec<(String, String)> {
        find_assignments(text, source_code)
            .into_iter()
            .map(|a| (text[a.key].to_owned(), text[a.value].to_owned()))
            .collect()
    }

    fn keys(text: &str, source_code: bool) -> Vec<String> {
        found(text, source_code)
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    /// The stems are found by aho-corasick's packed searcher: a key at the
    /// very start of the text, a value that ends it, and a key right after
    /// another assignment's value are still found.
    #[test]
    fn keys_at_the_edges_of_the_stem_search_are_still_found() {
        let s = secret();
        for (text, expected) in [
            (format!("TOKEN={s}"), vec!["TOKEN"]),
            (format!("password: {s}\n"), vec!["password"]),
            (
                format!("x\napiKey={s};Secret={s}"),
                vec!["apiKey", "Secret"],
            ),
            (
                format!("db_pwd={s} AUTH_KEY={s}"),
                vec!["db_pwd", "AUTH_KEY"],
            ),
        ] {
            let found = found(&text, false);
            assert_eq!(
                found.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
                expected,
                "{text:?}"
            );
            assert!(found.iter().all(|(_, v)| *v == s), "{text:?}: {found:?}");
        }
    }

    #[test]
    fn finds_assignments_in_every_syntax() {
        let s = secret();
        let cases = [
            (format!("password = \"{s}\"\n"), "password", false),
            (format!("[db]\npassword = '{s}'\n"), "password", false),
            (format!("api_key: {s}\n"), "api_key", false),
            (format!("  clientSecret: \"{s}\"\n"), "clientSecret", false),
            (format!("SECRET={s}\n"), "SECRET", false),
            (format!("export AUTH_TOKEN=\"{s}\"\n"), "AUTH_TOKEN", false),
            (format!("{{\"token\": \"{s}\"}}"), "token", false),
            (format!("{{\"access_key\":\"{s}\"}}"), "access_key", false),
            (
                format!("[aws]\nsecret_access_key={s}\n"),
                "secret_access_key",
                false,
            ),
            (format!("private_key = \"{s}\""), "private_key", false),
            (format!("db.password={s}"), "db.password", false),
            (format!("--api-key={s}"), "api-key", false),
            (format!("DB_PASS={s}"), "DB_PASS", false),
            (format!("MYSQL_PWD={s}"), "MYSQL_PWD", false),
            (format!("APP_KEY=\"{s}\""), "APP_KEY", false),
            (format!("Authorization: Bearer {s}"), "Authorization", false),
            (format!("let api_key = \"{s}\";"), "api_key", true),
            (format!("const API_KEY: &str = \"{s}\";"), "API_KEY", true),
            (
                format!("static TOKEN: &'static str = r\"{s}\";"),
                "TOKEN",
                true,
            ),
            (
                format!("let k = r#\"{s}\"#; let secret = r#\"{s}\"#;"),
                "secret",
                true,
            ),
            (format!("Client::new().api_key(\"{s}\")"), "api_key", true),
            (
                format!("Config {{ password: \"{s}\".into() }}"),
                "password",
                true,
            ),
            (
                format!("headers.insert(\"X-Api-Key\", \"{s}\")"),
                "X-Api-Key",
                true,
            ),
            (format!("if password == \"{s}\" {{"), "password", true),
            (format!("token := \"{s}\""), "token", true),
            (format!("'secret' => '{s}',"), "secret", true),
            (format!("password=\"{s}\""), "password", true),
            (
                format!("let body = \"{{\\\"token\\\": \\\"{s}\\\"}}\";"),
                "token",
                true,
            ),
        ];
        for (text, key, source) in cases {
            assert_eq!(found(&text, source), [(key.to_owned(), secret())], "{text}");
        }
    }

    #[test]
    fn the_range_is_the_value_and_the_redaction_hides_it() {
        let s = secret();
        let text = format!("password: \"{s}\"\n");
        let mut out = Vec::new();
        let file = FileContext {
            archive_path: "config.yml",
            is_manifest: false,
            package: "demo",
        };
        CredentialAssignmentDetector.scan(&text, file, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(&text[out[0].range.clone()], s);
        assert_eq!(out[0].redacted, "password=…");
        assert!(!out[0].message.contains(&s[..4]));
        assert_eq!(out[0].rule.name, "credential-assignment");
    }

    #[test]
    fn ignores_placeholders_and_examples() {
        for value in [
            "changeme",
            "${DB_PASSWORD}",
            "$PASSWORD",
            "<YOUR_API_KEY>",
            "{{ secrets.TOKEN }}",
            "xxxxxxxxxxxxxxxx",
            "****************",
            "your-api-key-here",
            "dummy-secret-value",
            "test-token-123",
            "Password123!",
            "changeme123",
            "example",
            "aaaaaaaaaaaaaaaa",
            "abcdefghijklmnop",
            "1234567890123456",
            "mock_Xk29sLq0vXw7",
            "%(password)s",
            "hunter42",
            "cio1234567890abcdef",
            "a1b2c3d4e5f6g7h8i9j0",
            "Summer2024!",
            "cGFzc3dvcmQ=",
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ",
            "_SA_{262E99C9-6160-4871-ACEC-4E61736B6F21}",
            "PrivKeyCacheMaxItems",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ] {
            let text = format!("password = \"{value}\"\napi_key: {value}\n");
            assert_eq!(
                found(&text, false),
                Vec::<(String, String)>::new(),
                "{value}"
            );
        }
        let aws = ["AKIAIOSFODNN7", "EXAMPLE"].concat();
        assert_eq!(
            keys(&format!("aws_access_key = \"{aws}\""), false),
            Vec::<String>::new()
        );
    }

    #[test]
    fn ignores_hashes_under_hash_like_keys() {
        let hex = "3f9a7c2e1b8d4f6a0c5e9b7d2a1f8c3e3f9a7c2e1b8d4f6a0c5e9b7d2a1f8c3e";
        for text in [
            format!("checksum = \"{hex}\""),
            format!("sha256: {hex}"),
            format!("token_hash = \"{hex}\""),
            format!("password_sha256 = \"{hex}\""),
            format!("\"integrity\": \"sha512-{hex}\""),
            format!("key_fingerprint = \"{hex}\""),
            format!("secret_salt = \"{hex}\""),
            format!("public_key = \"{hex}\""),
            format!("publicKey: {hex}"),
            format!("token = \"sha256:{hex}\""),
        ] {
            assert_eq!(
                found(&text, false),
                Vec::<(String, String)>::new(),
                "{text}"
            );
        }
        // The same value under a credential key is reported.
        assert_eq!(keys(&format!("token = \"{hex}\""), false), ["token"]);
    }

    #[test]
    fn ignores_code_and_references() {
        for text in [
            "password = get_password()",
            "let token = env::var(\"TOKEN\")?;",
            "api_key = self.api_key",
            "password: settings.db_password",
            "secret = os.environ[\"SECRET\"]",
            "token = config.auth.token",
            "fn token(&self) -> &str {",
            "let api_key = ApiKeyFromEnvironment9;",
            "password => password_field",
            "let secret = derive_secret(Xk29sLq0vXw7Tz4R);",
        ] {
            for source in [true, false] {
                assert_eq!(
                    found(text, source),
                    Vec::<(String, String)>::new(),
                    "{text}"
                );
            }
        }
        // Bare literals count in data files but not in source code.
        let s = secret();
        assert_eq!(keys(&format!("TOKEN={s}"), false), ["TOKEN"]);
        assert_eq!(keys(&format!("TOKEN={s}"), true), Vec::<String>::new());
    }

    #[test]
    fn ignores_keys_that_describe_a_credential() {
        let s = secret();
        for key in [
            "token_url",
            "secret_name",
            "password_file",
            "token_type",
            "access_key_id",
            "key",
            "keywords",
            "monkey",
            "author",
            "bypass",
            "tokenizer",
            "page_token",
            "next_cursor_token_id",
            "passenger",
            "PWD",
            "compass",
        ] {
            let text = format!("{key} = \"{s}\"\n{key}: {s}\n");
            assert_eq!(found(&text, false), Vec::<(String, String)>::new(), "{key}");
        }
    }

    #[test]
    fn ignores_prose_urls_and_words() {
        for text in [
            "Set the `token` to the value printed by `cargo login`.",
            "password: correct horse battery staple",
            "token = \"https://example.com/oauth/token\"",
            "password = \"Enter your password\"",
            "password: string",
            "secret: true",
            "api_key: null",
            "password: \"^[a-zA-Z0-9]{8,}$\"",
            "<input type=\"password\" value=\"\">",
            "token: ENC[AES256_GCM,data:abc,iv:def]",
            "password: !vault |",
        ] {
            assert_eq!(found(text, false), Vec::<(String, String)>::new(), "{text}");
        }
    }

    #[test]
    fn short_passwords_count_but_short_tokens_do_not() {
        let pw = ["Hk29", "sLq0"].concat();
        assert_eq!(keys(&format!("password={pw}"), false), ["password"]);
        assert_eq!(
            keys(&format!("api_token={pw}"), false),
            Vec::<String>::new()
        );
    }

    #[test]
    fn words_split_at_separators_and_case_changes() {
        fn split(k: &str) -> Vec<&str> {
            words(k).collect()
        }
        assert_eq!(split("apiKey"), ["api", "Key"]);
        assert_eq!(split("APIKey"), ["API", "Key"]);
        assert_eq!(split("DB_PASS"), ["DB", "PASS"]);
        assert_eq!(split("x-api-key.v2"), ["x", "api", "key", "v2"]);
        assert_eq!(classify_key("clientSecret"), Some(KeyKind::Other));
        assert_eq!(classify_key("DB_PASS"), Some(KeyKind::Password));
        assert_eq!(classify_key("PWD"), None);
    }

    #[test]
    fn a_name_repeated_as_its_value_is_not_a_secret() {
        let text = r#"{"dhSinglePass-stdDH-sha1kdf-scheme", "dhSinglePass-stdDH-sha1kdf-scheme"},"#;
        assert_eq!(keys(text, true), Vec::<String>::new());
    }

    #[test]
    fn base64_is_judged_by_what_it_encodes() {
        // `cGFzc3dvcmQ=` is `password`; HTTP Basic's example is text too.
        assert!(encodes_plain_text("cGFzc3dvcmQ="));
        assert!(encodes_plain_text("QWxhZGRpbjpvcGVuIHNlc2FtZQ"));
        // The base64 of a generated value is still reported.
        let encoded = ["SGsyOXNM", "cTB2WHc3", "VHo0Ug=="].concat();
        assert_eq!(
            b64_decode(encoded.as_bytes()).as_deref(),
            Some(secret().as_bytes())
        );
        assert!(!encodes_plain_text(&encoded));
        assert_eq!(keys(&format!("password: {encoded}"), false), ["password"]);
    }

    #[test]
    fn long_runs_are_skipped_in_linear_time() {
        let blob = "key".repeat(50_000);
        let text = format!("{blob} = \"{}\"\npassword = \"{}\"\n", secret(), secret());
        assert_eq!(keys(&text, false), ["password"]);
    }

    #[test]
    fn one_finding_per_assignment() {
        let s = secret();
        let text = format!("api_secret_token = \"{s}\" # token\nsecret_key_base: {s}\n");
        assert_eq!(keys(&text, false), ["api_secret_token", "secret_key_base"]);
    }
}
