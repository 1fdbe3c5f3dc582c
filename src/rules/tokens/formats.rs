//! The table of credential formats and the byte-level checks that recognise
//! each one at a candidate position.
//!
//! A [`Format`] names the rule it reports under, the literal anchors the
//! scanner's automaton looks for, the [`Shape`] that must hold at an anchor,
//! and how the candidate is [`Verify`]-ed. Shapes are written as short
//! sequences of [`Part`]s (a literal, a run of a character class with a
//! length range, an optional group) and matched greedily without
//! backtracking, except into an optional group; every table entry is written
//! so that greedy matching is exact (a run is never followed by a literal its
//! class could swallow). Formats whose start lies before their anchor
//! (`<digits>:AA…`, `…-us12`) or whose middle is found by a marker
//! (`…T3BlbkFJ…`) have a hand-written [`Shape::Custom`] check.
//!
//! Every format without a checksum is also held to [`plausible`]: its secret
//! part must not be a placeholder or a run of repeated characters.

use std::ops::Range;

use super::codec;
use super::*;
use crate::rules::randomness::is_placeholder;
use crate::rules::Rule;

/// A set of bytes a run of a token is drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Alnum,
    Letters,
    Digits,
    Hex,
    LowerHex,
    UpperAlnum,
    LowerAlnum,
    /// RFC 4648 base32 in upper case, as AWS key ids use it.
    Base32Upper,
    /// URL-safe base64 without padding: `[A-Za-z0-9_-]`.
    B64Url,
    /// Standard base64 without padding: `[A-Za-z0-9+/]`.
    B64,
    /// Standard base64 with padding.
    B64Pad,
    /// Either base64 alphabet, with padding.
    B64Any,
    Bech32Lower,
    Bech32Upper,
    /// Microsoft Entra client secrets: `[A-Za-z0-9_~.-]`.
    EntraSecret,
}

impl Class {
    #[inline]
    pub fn has(self, b: u8) -> bool {
        match self {
            Class::Alnum => b.is_ascii_alphanumeric(),
            Class::Letters => b.is_ascii_alphabetic(),
            Class::Digits => b.is_ascii_digit(),
            Class::Hex => b.is_ascii_hexdigit(),
            Class::LowerHex => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
            Class::UpperAlnum => b.is_ascii_uppercase() || b.is_ascii_digit(),
            Class::LowerAlnum => b.is_ascii_lowercase() || b.is_ascii_digit(),
            Class::Base32Upper => b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b),
            Class::B64Url => b.is_ascii_alphanumeric() || b == b'_' || b == b'-',
            Class::B64 => b.is_ascii_alphanumeric() || b == b'+' || b == b'/',
            Class::B64Pad => b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='),
            Class::B64Any => {
                b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-')
            }
            Class::Bech32Lower => codec::BECH32.contains(&b),
            Class::Bech32Upper => {
                codec::BECH32.contains(&b.to_ascii_lowercase()) && !b.is_ascii_lowercase()
            }
            Class::EntraSecret => {
                b.is_ascii_alphanumeric() || matches!(b, b'_' | b'~' | b'.' | b'-')
            }
        }
    }
}

/// One piece of a token's shape.
#[derive(Debug)]
pub enum Part {
    Lit(&'static str),
    /// `min..=max` bytes of a class, taken greedily.
    Run(Class, u16, u16),
    /// One of several literals (the first that matches).
    OneOf(&'static [&'static str]),
    /// An optional group: tried first, dropped if the rest then fails.
    Opt(&'static [Part]),
}

use Part::{Lit, OneOf, Opt, Run};

/// Matches `parts` at `pos`; returns the end of the match.
pub fn match_parts(text: &[u8], mut pos: usize, parts: &[Part]) -> Option<usize> {
    for (i, part) in parts.iter().enumerate() {
        match part {
            Lit(lit) => {
                if !text.get(pos..)?.starts_with(lit.as_bytes()) {
                    return None;
                }
                pos += lit.len();
            }
            OneOf(lits) => {
                let rest = text.get(pos..)?;
                pos += lits.iter().find(|l| rest.starts_with(l.as_bytes()))?.len();
            }
            Run(class, min, max) => {
                let start = pos;
                let limit = text.len().min(pos + usize::from(*max));
                while pos < limit && class.has(text[pos]) {
                    pos += 1;
                }
                if pos - start < usize::from(*min) {
                    return None;
                }
            }
            Opt(inner) => {
                if let Some(end) = match_parts(text, pos, inner)
                    .and_then(|after| match_parts(text, after, &parts[i + 1..]))
                {
                    return Some(end);
                }
                return match_parts(text, pos, &parts[i + 1..]);
            }
        }
    }
    Some(pos)
}

/// The class of the last run of `parts`, which a following byte must not
/// belong to (or the token would be longer than its format allows).
pub fn last_class(parts: &[Part]) -> Option<Class> {
    match parts.last()? {
        Run(class, ..) => Some(*class),
        Opt(inner) => last_class(inner).or_else(|| last_class(&parts[..parts.len() - 1])),
        Lit(_) | OneOf(_) => None,
    }
}

/// The byte before a token may not continue it: no letter, digit, or base64
/// punctuation (which would make the token the tail of a longer string).
#[inline]
pub fn left_ok(text: &[u8], start: usize) -> bool {
    start == 0 || {
        let b = text[start - 1];
        !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'/' | b'-'))
    }
}

/// [`left_ok`] where `_`, `-` and `/` also end what comes before.
#[inline]
pub fn left_ok_after_separators(text: &[u8], start: usize) -> bool {
    start == 0 || !(text[start - 1].is_ascii_alphanumeric() || text[start - 1] == b'+')
}

/// The byte after a token may not continue it.
#[inline]
pub fn right_ok(text: &[u8], end: usize, class: Option<Class>) -> bool {
    match text.get(end) {
        None => true,
        Some(&b) => !(b.is_ascii_alphanumeric() || b == b'_' || class.is_some_and(|c| c.has(b))),
    }
}

/// A candidate found at an anchor: the token's byte range and how many of
/// its leading bytes are a public marker that redaction may keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub keep: usize,
}

/// How a format is located around its anchor.
pub enum Shape {
    /// The token starts at the anchor; `parts` follow it.
    Token(&'static [Part]),
    /// A value without a marker of its own, assigned to a key that the anchor
    /// names (`DD_API_KEY = "…"`, `"SecretAccessKey": "…"`).
    Assigned(&'static [Part]),
    /// A value with a short marker of its own (matched by `parts`), within
    /// [`NEAR_WINDOW`] bytes after a keyword naming the provider.
    Near(&'static [Part]),
    /// A hand-written check for shapes that start before their anchor.
    Custom(fn(&[u8], Range<usize>) -> Option<Found>),
}

/// How far after a provider keyword a [`Shape::Near`] value may be.
pub const NEAR_WINDOW: usize = 200;

/// What confirms a candidate beyond its shape.
pub enum Verify {
    /// No checksum: the secret part must be [`plausible`].
    Plausible,
    /// A checksum the provider builds in; named for the documentation.
    Checksum(&'static str, fn(&[u8]) -> bool),
    /// A structure that decodes (JSON, a macaroon); plus [`plausible`].
    Structure(&'static str, fn(&[u8]) -> bool),
}

/// How much of a token's start is shown in redacted output.
#[derive(Clone, Copy, Debug)]
pub enum Keep {
    /// The anchor (the provider's marker, such as `ghp_`).
    Anchor,
    /// Nothing: the value has no public part.
    Nothing,
    /// A fixed number of leading bytes.
    Bytes(usize),
    /// Up to and including the last occurrence of a byte (`…/services/T…/B…/`).
    ThroughLast(u8),
}

/// One credential format.
pub struct Format {
    /// Stable, kebab-case, unique; used in tests and in the help text.
    pub id: &'static str,
    pub rule: &'static Rule,
    /// What the credential is, for the message: "GitHub OAuth access token".
    pub what: &'static str,
    /// Literals whose occurrence makes the format worth checking.
    pub anchors: &'static [&'static str],
    pub shape: Shape,
    pub verify: Verify,
    pub keep: Keep,
    /// Whether the byte before a [`Shape::Token`] must be a boundary.
    pub left_boundary: bool,
    /// Whether `-`, `_` and `/` count as a boundary before it: a format
    /// whose anchor is distinctive on its own (`AKIA` followed by 16
    /// upper-case base-32 characters) is found in `k-AKIA…`,
    /// `prefix_AKIA…` and `path/AKIA…` too.
    pub after_separators: bool,
}

impl std::fmt::Debug for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Format")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Format {
    /// The token at `anchor`, if this format's shape holds there.
    pub fn locate(&self, text: &[u8], anchor: Range<usize>) -> Option<Found> {
        let found = match &self.shape {
            Shape::Token(parts) => {
                let left = if self.after_separators {
                    left_ok_after_separators
                } else {
                    left_ok
                };
                if self.left_boundary && !left(text, anchor.start) {
                    return None;
                }
                let end = match_parts(text, anchor.end, parts)?;
                if !right_ok(text, end, last_class(parts)) {
                    return None;
                }
                anchor.start..end
            }
            Shape::Assigned(parts) => {
                let start = assigned_value_start(text, anchor.end)?;
                let end = match_parts(text, start, parts)?;
                if !right_ok(text, end, last_class(parts)) {
                    return None;
                }
                start..end
            }
            Shape::Near(parts) => {
                let window_end = text.len().min(anchor.end + NEAR_WINDOW);
                (anchor.end..window_end).find_map(|start| {
                    if !left_ok(text, start) {
                        return None;
                    }
                    let end = match_parts(text, start, parts)?;
                    right_ok(text, end, last_class(parts)).then_some(start..end)
                })?
            }
            Shape::Custom(check) => return check(text, anchor),
        };
        let token = &text[found.clone()];
        let keep = match self.keep {
            Keep::Anchor => anchor.len().min(token.len()),
            Keep::Nothing => 0,
            Keep::Bytes(n) => n.min(token.len()),
            Keep::ThroughLast(b) => token.iter().rposition(|&c| c == b).map_or(0, |i| i + 1),
        };
        Some(Found { range: found, keep })
    }

    /// Whether a located candidate is reported.
    pub fn confirm(&self, token: &[u8], keep: usize) -> bool {
        if is_known_example(token, keep) {
            return false;
        }
        let secret = &token[keep.min(token.len())..];
        match self.verify {
            Verify::Checksum(_, valid) => valid(token) && !is_trivial(secret),
            Verify::Structure(_, valid) => valid(token) && plausible(secret),
            Verify::Plausible => plausible(secret),
        }
    }

    pub fn checksum(&self) -> Option<&'static str> {
        match self.verify {
            Verify::Checksum(what, _) => Some(what),
            _ => None,
        }
    }
}

/// Not a placeholder (`xxxx`, `your_key_here`, `…EXAMPLE`, sequential or
/// repeated characters). Only the first 64 bytes are judged: a placeholder
/// shows itself there, while a long real token (a macaroon of kilobytes)
/// would otherwise contain a word such as `fake` by chance.
pub fn plausible(secret: &[u8]) -> bool {
    let head = &secret[..secret.len().min(64)];
    std::str::from_utf8(head).is_ok_and(|s| !is_placeholder(s))
}

/// A checksummed value made of one or two characters (test fixtures such as
/// `cio_tp_000…0w`) is not a credential anyone was issued.
fn is_trivial(secret: &[u8]) -> bool {
    let mut seen = [false; 256];
    secret.iter().for_each(|&b| seen[usize::from(b)] = true);
    seen.iter().filter(|&&s| s).count() <= 3
}

/// CRC-32s of values that providers publish in their documentation (Stripe's
/// sample test keys, the Azure storage emulator's well-known account key).
/// Stored as checksums so this file does not itself carry them.
const KNOWN_EXAMPLES: &[u32] = &[0x776d_e070, 0x396d_8142, 0xb4cb_d586];

fn is_known_example(token: &[u8], keep: usize) -> bool {
    let secret = &token[keep.min(token.len())..];
    KNOWN_EXAMPLES.contains(&crc32fast::hash(token))
        || KNOWN_EXAMPLES.contains(&crc32fast::hash(secret))
}

/// Bytes that sit between the lines of a base64 block written as string
/// literals: indentation, quotes, commas, concatenation.
fn is_glue(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b',' | b'&' | b'(' | b')')
}

/// Steps back from `i` over glue and line breaks (real ones and `\n`
/// escapes); returns where it stopped and whether it crossed a break.
fn back_over_glue(text: &[u8], mut i: usize) -> (usize, bool) {
    let mut crossed = false;
    while i > 0 {
        let b = text[i - 1];
        if b == b'\n' {
            crossed = true;
            i -= 1;
        } else if b == b'n' && i >= 2 && text[i - 2] == b'\\' {
            crossed = true;
            i -= 2;
        } else if is_glue(b) {
            i -= 1;
        } else {
            break;
        }
    }
    (i, crossed)
}

fn forward_over_glue(text: &[u8], mut i: usize) -> (usize, bool) {
    let mut crossed = false;
    while i < text.len() {
        let b = text[i];
        if b == b'\n' {
            crossed = true;
            i += 1;
        } else if b == b'\\' && text.get(i + 1) == Some(&b'n') {
            crossed = true;
            i += 2;
        } else if is_glue(b) {
            i += 1;
        } else {
            break;
        }
    }
    (i, crossed)
}

/// True when a token is a whole line of a base64 block (a PEM body or a
/// wrapped blob, possibly written as string literals): alone on its line,
/// with a line of 60 or more base64 characters just above or below. Such a
/// line starts with any marker (`EAAA…`) by chance. Checked only for formats
/// without a checksum.
pub fn inside_base64_block(text: &[u8], range: &Range<usize>) -> bool {
    let (before, crossed_before) = back_over_glue(text, range.start);
    let (after, crossed_after) = forward_over_glue(text, range.end);
    if !(crossed_before || before == 0) || !(crossed_after || after == text.len()) {
        return false;
    }
    let b64 = |b: &u8| Class::B64Pad.has(*b);
    let run_before = text[..before].iter().rev().take_while(|b| b64(b)).count();
    let run_after = text[after..].iter().take_while(|b| b64(b)).count();
    run_before >= 60 || run_after >= 60
}

/// Where the value of `KEY = "value"` starts, given the end of the key.
/// Accepts `=`, `:`, `=>`, `:=`, a Rust or TypeScript type annotation
/// (`KEY: &str = "…"`), quotes around the key and an opening quote, `r#"`
/// or backtick before the value.
pub fn assigned_value_start(text: &[u8], key_end: usize) -> Option<usize> {
    let at = |i: usize| text.get(i).copied();
    let mut i = key_end;
    if at(i).is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    if matches!(at(i), Some(b'"' | b'\'' | b'`')) {
        i += 1;
    }
    if at(i) == Some(b']') {
        i += 1;
    }
    let skip_spaces = |mut i: usize| {
        while matches!(at(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    };
    i = skip_spaces(i);
    let rest = text.get(i..)?;
    if rest.starts_with(b"=>") || rest.starts_with(b":=") || rest.starts_with(b"?=") {
        i += 2;
    } else if rest.starts_with(b"=") {
        i += 1;
    } else if rest.starts_with(b":") {
        i += 1;
        // `KEY: &'static str = "…"`: skip the type up to its `=`.
        let j = skip_spaces(i);
        if at(j).is_some_and(|b| b == b'&' || b.is_ascii_alphabetic()) {
            let mut k = j;
            while k < j + 32
                && at(k).is_some_and(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, b'&' | b'\'' | b'_' | b' ' | b'<' | b'>')
                })
            {
                k += 1;
            }
            if at(k) == Some(b'=') && at(k + 1) != Some(b'=') {
                i = k + 1;
            }
        }
    } else {
        return None;
    }
    i = skip_spaces(i);
    let rest = text.get(i..)?;
    if rest.starts_with(b"r#\"") {
        i += 3;
    } else if rest.starts_with(b"r\"") || rest.starts_with(b"b\"") {
        i += 2;
    } else if matches!(at(i), Some(b'"' | b'\'' | b'`')) {
        i += 1;
    }
    Some(i)
}

// ---------------------------------------------------------------------------
// Checksums and structures, each over the whole token.

fn github_checksum(token: &[u8]) -> bool {
    // `ghp_`, `gho_`, `npm_`…: a 4-byte prefix, then 30 random + 6 check.
    token.len() == 40 && codec::crc32_base62_valid(&token[4..])
}

fn crates_io_tp_checksum(token: &[u8]) -> bool {
    let body = &token[b"cio_tp_".len()..];
    body.len() == 32 && codec::crates_io_check(&body[..31]) == body[31]
}

fn gitlab_routable_checksum(token: &[u8]) -> bool {
    let n = token.len();
    if n < 16 {
        return false;
    }
    let (covered, crc) = token.split_at(n - 7);
    let length = &covered[covered.len() - 2..];
    let Some(dash) = token.iter().position(|&b| b == b'-') else {
        return false;
    };
    let Some(dot) = token[dash..].iter().position(|&b| b == b'.') else {
        return false;
    };
    let payload_len = dot - 1;
    codec::parse_base36(length) == u32::try_from(payload_len).ok()
        && codec::gitlab_crc_valid(covered, crc)
}

fn grafana_checksum(token: &[u8]) -> bool {
    let n = token.len();
    n > 9 && token[n - 9] == b'_' && codec::grafana_crc_valid(&token[..n - 9], &token[n - 8..])
}

fn bech32_checksum(token: &[u8]) -> bool {
    codec::bech32_valid(token)
}

fn pypi_structure(token: &[u8]) -> bool {
    codec::pypi_macaroon_valid(&token[b"pypi-".len()..])
}

/// The base64 JSON between `prefix` and the first byte of `stop` (or the end).
fn decoded_json_after(token: &[u8], prefix: usize, stop: &[u8]) -> Option<Vec<u8>> {
    let body = &token[prefix..];
    let end = body
        .iter()
        .position(|b| stop.contains(b))
        .unwrap_or(body.len());
    let json = codec::b64_decode(&body[..end])?;
    codec::is_json_object(&json).then_some(json)
}

fn sentry_structure(token: &[u8]) -> bool {
    decoded_json_after(token, b"sntrys_".len(), b"_")
        .is_some_and(|j| codec::json_has_key(&j, "iat"))
}

fn grafana_cloud_structure(token: &[u8]) -> bool {
    decoded_json_after(token, b"glc_".len(), b"").is_some_and(|j| codec::json_has_key(&j, "k"))
}

fn grafana_api_key_structure(token: &[u8]) -> bool {
    // `{"k":"…","n":"…","id":1}`; Power BI links share the `{"k":` opening.
    decoded_json_after(token, 0, b"").is_some_and(|j| {
        codec::json_has_key(&j, "k")
            && codec::json_has_key(&j, "n")
            && codec::json_has_key(&j, "id")
    })
}

fn onepassword_structure(token: &[u8]) -> bool {
    decoded_json_after(token, b"ops_".len(), b"").is_some()
}

fn mapbox_structure(token: &[u8]) -> bool {
    decoded_json_after(token, b"sk.".len(), b".").is_some_and(|j| codec::json_has_key(&j, "u"))
}

/// A Discord bot token's first segment is the bot's numeric id in base64.
fn discord_structure(token: &[u8]) -> bool {
    let first = token.split(|&b| b == b'.').next().unwrap_or_default();
    codec::b64_decode(first)
        .is_some_and(|id| (17..=20).contains(&id.len()) && id.iter().all(u8::is_ascii_digit))
}

/// A JWS: the header decodes to a JSON object with `alg`, the payload to a
/// JSON object, and the signature is present. The samples of jwt.io and
/// Supabase's public `anon` keys are not secrets.
pub fn jwt_structure(token: &[u8]) -> bool {
    let mut parts = token.split(|&b| b == b'.');
    let (Some(header), Some(payload), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    if signature.len() < 16 {
        return false;
    }
    let Some(header) = codec::b64_decode(header) else {
        return false;
    };
    if !codec::is_json_object(&header) || !codec::json_has_key(&header, "alg") {
        return false;
    }
    let Some(payload) = codec::b64_decode(payload) else {
        return false;
    };
    if !codec::is_json_object(&payload) {
        return false;
    }
    let has = |needle: &[u8]| codec::find(&payload, needle).is_some();
    let jwt_io_sample = has(br#""sub":"1234567890""#) && has(br#""name":"John Doe""#);
    let public_anon_key = has(br#""role":"anon""#);
    !(jwt_io_sample || public_anon_key)
}

// ---------------------------------------------------------------------------
// Hand-written shapes: tokens whose start lies before their anchor.

/// Extends left from `end` over at most `max` bytes of `class`.
fn run_back(text: &[u8], end: usize, class: Class, max: usize) -> usize {
    let mut start = end;
    while start > 0 && end - start < max && class.has(text[start - 1]) {
        start -= 1;
    }
    start
}

/// GitLab's routable tokens: `<prefix><base64url payload>.[<version>.]<2
/// base-36 length><7 base-36 CRC-32>`.
fn gitlab_routable(text: &[u8], anchor: Range<usize>) -> Option<Found> {
    if !left_ok(text, anchor.start) {
        return None;
    }
    let payload_end = match_parts(text, anchor.end, &[Run(Class::B64Url, 27, 1024)])?;
    if text.get(payload_end) != Some(&b'.') {
        return None;
    }
    let is36 = |b: &u8| b.is_ascii_digit() || b.is_ascii_lowercase();
    let mut tail = payload_end + 1;
    let version = text.get(tail..tail + 3)?;
    if version[..2].iter().all(is36) && version[2] == b'.' {
        tail += 3;
    }
    let end = tail + 9;
    if !text.get(tail..end)?.iter().all(is36) || !right_ok(text, end, None) {
        return None;
    }
    Some(Found {
        range: anchor.start..end,
        keep: anchor.len(),
    })
}

/// OpenAI project, service-account, admin and user keys: the marker
/// `T3BlbkFJ` (base64 of "OpenAI") sits inside the body.
fn openai_key(text: &[u8], anchor: Range<usize>) -> Option<Found> {
    if !left_ok(text, anchor.start) {
        return None;
    }
    let end = match_parts(text, anchor.end, &[Run(Class::B64Url, 48, 400)])?;
    if !right_ok(text, end, Some(Class::B64Url)) {
        return None;
    }
    let body = &text[anchor.end..end];
    let marker = codec::find(body, b"T3BlbkFJ")?;
    (marker >= 20 && body.len() - marker - 8 >= 20).then_some(Found {
        range: anchor.start..end,
        keep: anchor.len(),
    })
}

/// Legacy OpenAI keys: `sk-` + 20 + `T3BlbkFJ` + 20, found by the marker.
fn openai_legacy_key(text: &[u8], anchor: Range<usize>) -> Option<Found> {
    let start = anchor.start.checked_sub(23)?;
    if &text[start..start + 3] != b"sk-"
        || !text[start + 3..anchor.start]
            .iter()
            .all(u8::is_ascii_alphanumeric)
        || !left_ok(text, start)
    {
        return None;
    }
    let end = match_parts(text, anchor.end, &[Run(Class::Alnum, 20, 20)])?;
    right_ok(text, end, Some(Class::B64Url)).then_some(Found {
        range: start..end,
        keep: 3,
    })
}

/// Telegram bot tokens: `<8–10 digit bot id>:AA<33 base64url>`.
fn telegram_bot_token(text: &[u8], anchor: Range<usize>) -> Option<Found> {
    let start = run_back(text, anchor.start, Class::Digits, 10);
    if anchor.start - start < 8
        || !left_ok(text, start)
        || text.get(start.wrapping_sub(1)) == Some(&b':')
    {
        return None;
    }
    let end = match_parts(text, anchor.end, &[Run(Class::B64Url, 33, 33)])?;
    right_ok(text, end, Some(Class::B64Url)).then_some(Found {
        range: start..end,
        keep: 0,
    })
}

/// Mailchimp API keys: 32 lowercase hex, `-us`, a data-centre number.
fn mailchimp_key(text: &[u8], anchor: Range<usize>) -> Option<Found> {
    let end = match_parts(text, anchor.end, &[Run(Class::Digits, 1, 2)])?;
    if !right_ok(text, end, None) {
        return None;
    }
    let start = run_back(text, anchor.start, Class::LowerHex, 33);
    (anchor.start - start == 32 && left_ok(text, start)).then_some(Found {
        range: start..end,
        keep: 0,
    })
}

/// New Relic license keys: 36 lowercase hex and `NRAL`.
fn newrelic_license_key(text: &[u8], anchor: Range<usize>) -> Option<Found> {
    let start = run_back(text, anchor.start, Class::LowerHex, 37);
    (anchor.start - start == 36 && left_ok(text, start) && right_ok(text, anchor.end, None))
        .then_some(Found {
            range: start..anchor.end,
            keep: 0,
        })
}

/// Terraform Cloud / HCP Terraform tokens: 14 + `.atlasv1.` + 60–70.
fn terraform_token(text: &[u8], anchor: Range<usize>) -> Option<Found> {
    let start = run_back(text, anchor.start, Class::Alnum, 15);
    if anchor.start - start != 14 || !left_ok(text, start) {
        return None;
    }
    let class = Class::B64Any;
    let end = match_parts(text, anchor.end, &[Run(class, 60, 70)])?;
    right_ok(text, end, Some(class)).then_some(Found {
        range: start..end,
        keep: 0,
    })
}

/// Microsoft Entra ID (Azure AD) client secrets: 3 characters, a digit,
/// `Q~`, then 31–34 characters.
fn entra_client_secret(text: &[u8], anchor: Range<usize>) -> Option<Found> {
    let start = anchor.start.checked_sub(4)?;
    let head = &text[start..anchor.start];
    if !head[..3].iter().all(|&b| Class::EntraSecret.has(b))
        || !head[3].is_ascii_digit()
        || (start > 0 && Class::EntraSecret.has(text[start - 1]))
    {
        return None;
    }
    let end = match_parts(text, anchor.end, &[Run(Class::EntraSecret, 31, 34)])?;
    right_ok(text, end, Some(Class::EntraSecret)).then_some(Found {
        range: start..end,
        keep: 0,
    })
}

/// Firebase Cloud Messaging legacy server keys: `AAAA` + 7 + `:APA91b` + 134.
fn fcm_server_key(text: &[u8], anchor: Range<usize>) -> Option<Found> {
    let start = anchor.start.checked_sub(11)?;
    if &text[start..start + 4] != b"AAAA"
        || !text[start + 4..anchor.start]
            .iter()
            .all(|&b| Class::B64Url.has(b))
        || !left_ok(text, start)
    {
        return None;
    }
    let end = match_parts(text, anchor.end, &[Run(Class::B64Url, 134, 134)])?;
    right_ok(text, end, Some(Class::B64Url)).then_some(Found {
        range: start..end,
        keep: 0,
    })
}

/// A JWT: three base64url segments, the first starting `eyJ` (`{"`).
fn jwt(text: &[u8], anchor: Range<usize>) -> Option<Found> {
    let start = anchor.start;
    if start > 0 && (Class::B64Any.has(text[start - 1]) || text[start - 1] == b'.') {
        return None;
    }
    let seg = |from: usize, min: u16| match_parts(text, from, &[Run(Class::B64Url, min, 8192)]);
    let header_end = seg(start, 10)?;
    if text.get(header_end) != Some(&b'.') {
        return None;
    }
    let payload_end = seg(header_end + 1, 2)?;
    if text.get(payload_end) != Some(&b'.') {
        return None;
    }
    let end = seg(payload_end + 1, 16)?;
    if text
        .get(end)
        .is_some_and(|&b| b == b'.' || Class::B64Any.has(b))
    {
        return None;
    }
    Some(Found {
        range: start..end,
        keep: 0,
    })
}

/// An AWS secret access key written next to its access key id (a pair in a
/// config file, a tuple in a test).
fn aws_secret_near_key_id(text: &[u8], anchor: Range<usize>) -> Option<Found> {
    if !left_ok(text, anchor.start) {
        return None;
    }
    let id_end = match_parts(text, anchor.end, &[Run(Class::Base32Upper, 16, 16)])?;
    if !right_ok(text, id_end, None) || !plausible(&text[anchor.start..id_end]) {
        return None;
    }
    let window_end = text.len().min(id_end + NEAR_WINDOW);
    let class = Class::B64;
    let mut i = id_end;
    while i < window_end {
        if !class.has(text[i]) {
            i += 1;
            continue;
        }
        let end = match_parts(text, i, &[Run(class, 1, 41)])?;
        let run = &text[i..end];
        if run.len() == 40
            && !text.get(end).is_some_and(|&b| Class::B64Any.has(b))
            && !text
                .get(i.wrapping_sub(1))
                .is_some_and(|&b| Class::B64Any.has(b))
            && run.iter().any(u8::is_ascii_uppercase)
            && run.iter().any(u8::is_ascii_lowercase)
            && run.iter().any(u8::is_ascii_digit)
        {
            return Some(Found {
                range: i..end,
                keep: 0,
            });
        }
        i = end.max(i + 1);
    }
    None
}

// ---------------------------------------------------------------------------
// The table.

const fn token(
    id: &'static str,
    rule: &'static Rule,
    what: &'static str,
    anchors: &'static [&'static str],
    parts: &'static [Part],
) -> Format {
    Format {
        id,
        rule,
        what,
        anchors,
        shape: Shape::Token(parts),
        verify: Verify::Plausible,
        keep: Keep::Anchor,
        left_boundary: true,
        after_separators: false,
    }
}

const fn custom(
    id: &'static str,
    rule: &'static Rule,
    what: &'static str,
    anchors: &'static [&'static str],
    check: fn(&[u8], Range<usize>) -> Option<Found>,
) -> Format {
    Format {
        id,
        rule,
        what,
        anchors,
        shape: Shape::Custom(check),
        verify: Verify::Plausible,
        keep: Keep::Nothing,
        left_boundary: true,
        after_separators: false,
    }
}

impl Format {
    const fn checksum_by(mut self, what: &'static str, valid: fn(&[u8]) -> bool) -> Self {
        self.verify = Verify::Checksum(what, valid);
        self
    }
    const fn structure(mut self, what: &'static str, valid: fn(&[u8]) -> bool) -> Self {
        self.verify = Verify::Structure(what, valid);
        self
    }
    const fn keeping(mut self, keep: Keep) -> Self {
        self.keep = keep;
        self
    }
    const fn after_separators(mut self) -> Self {
        self.after_separators = true;
        self
    }
    /// The anchor sits inside a URL: no boundary before it.
    const fn in_url(mut self) -> Self {
        self.left_boundary = false;
        self
    }
    const fn assigned(mut self) -> Self {
        if let Shape::Token(parts) = self.shape {
            self.shape = Shape::Assigned(parts);
        }
        self.keep = Keep::Nothing;
        self
    }
    const fn near(mut self) -> Self {
        if let Shape::Token(parts) = self.shape {
            self.shape = Shape::Near(parts);
        }
        self
    }
}

const CRC_BASE62: &str = "CRC-32 of the random part, in base 62";
const R_B64URL_20: &[Part] = &[Run(Class::B64Url, 20, 20)];
const R_HEX_32: &[Part] = &[Run(Class::Hex, 32, 32)];
const R_LHEX_32: &[Part] = &[Run(Class::LowerHex, 32, 32)];
const R_LHEX_40: &[Part] = &[Run(Class::LowerHex, 40, 40)];
const R_LHEX_64: &[Part] = &[Run(Class::LowerHex, 64, 64)];
const R_ALNUM_36: &[Part] = &[Run(Class::Alnum, 36, 36)];

const GITLAB_PREFIXES: &[&str] = &[
    "glpat-", "gloas-", "gldt-", "glrt-", "glrtr-", "glcbt-", "glptt-", "glft-", "glimt-",
    "glagent-", "glsoat-", "glffct-",
];
const TWILIO: &[&str] = &["twilio", "Twilio", "TWILIO"];
const DISCORD: &[&str] = &["discord", "Discord", "DISCORD"];

/// Every credential format, grouped by rule.
pub static FORMATS: &[Format] = &[
    // GitHub
    token(
        "github-classic-pat",
        &GITHUB_TOKEN,
        "GitHub personal access token (classic)",
        &["ghp_"],
        R_ALNUM_36,
    )
    .checksum_by(CRC_BASE62, github_checksum),
    token(
        "github-oauth-token",
        &GITHUB_TOKEN,
        "GitHub OAuth access token",
        &["gho_"],
        R_ALNUM_36,
    )
    .checksum_by(CRC_BASE62, github_checksum),
    token(
        "github-user-to-server-token",
        &GITHUB_TOKEN,
        "GitHub App user access token",
        &["ghu_"],
        R_ALNUM_36,
    )
    .checksum_by(CRC_BASE62, github_checksum),
    token(
        "github-installation-token",
        &GITHUB_TOKEN,
        "GitHub App installation access token",
        &["ghs_"],
        R_ALNUM_36,
    )
    .checksum_by(CRC_BASE62, github_checksum),
    token(
        "github-refresh-token",
        &GITHUB_TOKEN,
        "GitHub App refresh token",
        &["ghr_"],
        R_ALNUM_36,
    )
    .checksum_by(CRC_BASE62, github_checksum),
    token(
        "github-fine-grained-pat",
        &GITHUB_TOKEN,
        "GitHub fine-grained personal access token",
        &["github_pat_"],
        &[
            Run(Class::Alnum, 22, 22),
            Lit("_"),
            Run(Class::Alnum, 59, 59),
        ],
    ),
    // GitLab
    token(
        "gitlab-pat",
        &GITLAB_TOKEN,
        "GitLab personal, project or group access token",
        &["glpat-"],
        R_B64URL_20,
    ),
    token(
        "gitlab-oauth-secret",
        &GITLAB_TOKEN,
        "GitLab OAuth application secret",
        &["gloas-"],
        &[Run(Class::B64Url, 64, 64)],
    ),
    token(
        "gitlab-deploy-token",
        &GITLAB_TOKEN,
        "GitLab deploy token",
        &["gldt-"],
        R_B64URL_20,
    ),
    token(
        "gitlab-runner-token",
        &GITLAB_TOKEN,
        "GitLab runner authentication token",
        &["glrt-", "glrtr-"],
        R_B64URL_20,
    ),
    token(
        "gitlab-ci-job-token",
        &GITLAB_TOKEN,
        "GitLab CI/CD job token",
        &["glcbt-"],
        &[
            Run(Class::Alnum, 1, 5),
            Lit("_"),
            Run(Class::B64Url, 20, 20),
        ],
    ),
    token(
        "gitlab-trigger-token",
        &GITLAB_TOKEN,
        "GitLab pipeline trigger token",
        &["glptt-"],
        &[Run(Class::B64Url, 40, 40)],
    ),
    token(
        "gitlab-feed-token",
        &GITLAB_TOKEN,
        "GitLab feed token",
        &["glft-"],
        R_B64URL_20,
    ),
    token(
        "gitlab-incoming-mail-token",
        &GITLAB_TOKEN,
        "GitLab incoming mail token",
        &["glimt-"],
        &[Run(Class::B64Url, 25, 25)],
    ),
    token(
        "gitlab-agent-token",
        &GITLAB_TOKEN,
        "GitLab agent for Kubernetes token",
        &["glagent-"],
        &[Run(Class::B64Url, 50, 50)],
    ),
    token(
        "gitlab-scim-token",
        &GITLAB_TOKEN,
        "GitLab SCIM OAuth token",
        &["glsoat-"],
        R_B64URL_20,
    ),
    token(
        "gitlab-feature-flags-token",
        &GITLAB_TOKEN,
        "GitLab feature flags client token",
        &["glffct-"],
        R_B64URL_20,
    ),
    custom(
        "gitlab-routable-token",
        &GITLAB_TOKEN,
        "GitLab routable token",
        GITLAB_PREFIXES,
        gitlab_routable,
    )
    .checksum_by("CRC-32 of the token, in base 36", gitlab_routable_checksum),
    token(
        "gitlab-runner-registration-token",
        &GITLAB_TOKEN,
        "GitLab runner registration token",
        &["GR1348941"],
        R_B64URL_20,
    ),
    // crates.io
    token(
        "crates-io-api-token",
        &CRATES_IO_TOKEN,
        "crates.io API token",
        &["cio"],
        &[Run(Class::Alnum, 32, 32)],
    ),
    token(
        "crates-io-trusted-publishing-token",
        &CRATES_IO_TOKEN,
        "crates.io trusted-publishing token",
        &["cio_tp_"],
        &[Run(Class::Alnum, 32, 32)],
    )
    .checksum_by("XOR check character", crates_io_tp_checksum),
    // Package registries
    token(
        "npm-access-token",
        &NPM_TOKEN,
        "npm access token",
        &["npm_"],
        R_ALNUM_36,
    )
    .checksum_by(CRC_BASE62, github_checksum),
    token(
        "pypi-api-token",
        &PYPI_TOKEN,
        "PyPI API token",
        &["pypi-AgEIcHlwaS5vcmc"],
        &[Run(Class::B64Url, 50, 1000)],
    )
    .structure("macaroon naming pypi.org", pypi_structure)
    .keeping(Keep::Bytes(5)),
    token(
        "testpypi-api-token",
        &PYPI_TOKEN,
        "TestPyPI API token",
        &["pypi-AgENdGVzdC5weXBpLm9yZw"],
        &[Run(Class::B64Url, 50, 1000)],
    )
    .structure("macaroon naming test.pypi.org", pypi_structure)
    .keeping(Keep::Bytes(5)),
    token(
        "rubygems-api-key",
        &RUBYGEMS_KEY,
        "RubyGems API key",
        &["rubygems_"],
        &[Run(Class::LowerHex, 48, 48)],
    ),
    token(
        "nuget-api-key",
        &NUGET_KEY,
        "NuGet API key",
        &["oy2"],
        &[Run(Class::LowerAlnum, 43, 43)],
    ),
    token(
        "clojars-deploy-token",
        &CLOJARS_TOKEN,
        "Clojars deploy token",
        &["CLOJARS_"],
        &[Run(Class::LowerHex, 60, 60)],
    ),
    token(
        "dockerhub-pat",
        &DOCKERHUB_TOKEN,
        "Docker Hub personal access token",
        &["dckr_pat_"],
        &[Run(Class::B64Url, 27, 27)],
    ),
    token(
        "dockerhub-oat",
        &DOCKERHUB_TOKEN,
        "Docker Hub organization access token",
        &["dckr_oat_"],
        &[Run(Class::B64Url, 32, 32)],
    ),
    token(
        "artifactory-api-key",
        &ARTIFACTORY_TOKEN,
        "JFrog Artifactory API key",
        &["AKCp"],
        &[Run(Class::Alnum, 69, 69)],
    ),
    token(
        "artifactory-reference-token",
        &ARTIFACTORY_TOKEN,
        "JFrog Artifactory reference token",
        &["cmVmdGtuOjAxOj"],
        &[Run(Class::Alnum, 50, 50)],
    ),
    // AWS
    token(
        "aws-access-key-id",
        &AWS_ACCESS_KEY,
        "AWS access key id",
        &["AKIA", "ABIA", "ACCA"],
        &[Run(Class::Base32Upper, 16, 16)],
    )
    .after_separators(),
    token(
        "aws-temporary-access-key-id",
        &AWS_ACCESS_KEY,
        "AWS temporary (STS) access key id",
        &["ASIA"],
        &[Run(Class::Base32Upper, 16, 16)],
    )
    .after_separators(),
    token(
        "aws-secret-access-key",
        &AWS_SECRET_KEY,
        "AWS secret access key",
        &[
            "secret_access_key",
            "SECRET_ACCESS_KEY",
            "SecretAccessKey",
            "secretAccessKey",
            "aws_secret_key",
            "AWS_SECRET_KEY",
            "awsSecretKey",
            "AwsSecretKey",
        ],
        &[Run(Class::B64, 40, 40)],
    )
    .assigned(),
    custom(
        "aws-secret-access-key-near-id",
        &AWS_SECRET_KEY,
        "AWS secret access key (next to its key id)",
        &["AKIA", "ASIA"],
        aws_secret_near_key_id,
    ),
    // Google
    token(
        "google-api-key",
        &GOOGLE_API_KEY,
        "Google API key",
        &["AIza"],
        &[Run(Class::B64Url, 35, 35)],
    ),
    token(
        "google-oauth-client-secret",
        &GOOGLE_OAUTH_SECRET,
        "Google OAuth client secret",
        &["GOCSPX-"],
        &[Run(Class::B64Url, 28, 28)],
    ),
    token(
        "google-oauth-refresh-token",
        &GOOGLE_OAUTH_SECRET,
        "Google OAuth refresh token",
        &["1//0"],
        &[Run(Class::B64Url, 40, 512)],
    ),
    // Slack
    token(
        "slack-bot-token",
        &SLACK_TOKEN,
        "Slack bot token",
        &["xoxb-"],
        &[
            Run(Class::Digits, 8, 14),
            Lit("-"),
            Run(Class::Digits, 8, 14),
            Lit("-"),
            Run(Class::Alnum, 24, 34),
        ],
    ),
    token(
        "slack-user-token",
        &SLACK_TOKEN,
        "Slack user token",
        &["xoxp-"],
        &[
            Run(Class::Digits, 8, 14),
            Lit("-"),
            Run(Class::Digits, 8, 14),
            Lit("-"),
            Run(Class::Digits, 8, 14),
            Lit("-"),
            Run(Class::Alnum, 28, 34),
        ],
    ),
    token(
        "slack-app-token",
        &SLACK_TOKEN,
        "Slack app-level token",
        &["xapp-"],
        &[
            Run(Class::Digits, 1, 1),
            Lit("-"),
            Run(Class::UpperAlnum, 9, 12),
            Lit("-"),
            Run(Class::Digits, 10, 14),
            Lit("-"),
            Run(Class::LowerAlnum, 64, 64),
        ],
    ),
    token(
        "slack-config-token",
        &SLACK_TOKEN,
        "Slack configuration access token",
        &["xoxe.xoxb-", "xoxe.xoxp-"],
        &[
            Run(Class::Digits, 1, 1),
            Lit("-"),
            Run(Class::Alnum, 140, 200),
        ],
    ),
    token(
        "slack-config-refresh-token",
        &SLACK_TOKEN,
        "Slack configuration refresh token",
        &["xoxe-"],
        &[
            Run(Class::Digits, 1, 1),
            Lit("-"),
            Run(Class::Alnum, 140, 200),
        ],
    ),
    token(
        "slack-legacy-token",
        &SLACK_TOKEN,
        "Slack legacy token",
        &["xoxa-", "xoxr-", "xoxs-", "xoxo-"],
        &[
            Run(Class::Digits, 1, 14),
            Lit("-"),
            Opt(&[Run(Class::Digits, 8, 14), Lit("-")]),
            Opt(&[Run(Class::Digits, 8, 14), Lit("-")]),
            Run(Class::Alnum, 16, 64),
        ],
    ),
    token(
        "slack-incoming-webhook",
        &SLACK_WEBHOOK,
        "Slack incoming webhook URL",
        &["hooks.slack.com/services/"],
        &[
            Lit("T"),
            Run(Class::UpperAlnum, 8, 12),
            Lit("/B"),
            Run(Class::UpperAlnum, 8, 12),
            Lit("/"),
            Run(Class::Alnum, 23, 25),
        ],
    )
    .in_url()
    .keeping(Keep::ThroughLast(b'/')),
    token(
        "slack-workflow-webhook",
        &SLACK_WEBHOOK,
        "Slack workflow webhook URL",
        &["hooks.slack.com/workflows/"],
        &[
            Lit("T"),
            Run(Class::UpperAlnum, 8, 12),
            Lit("/A"),
            Run(Class::UpperAlnum, 8, 12),
            Lit("/"),
            Run(Class::Digits, 15, 20),
            Lit("/"),
            Run(Class::Alnum, 32, 32),
        ],
    )
    .in_url()
    .keeping(Keep::ThroughLast(b'/')),
    token(
        "slack-trigger-webhook",
        &SLACK_WEBHOOK,
        "Slack workflow trigger URL",
        &["hooks.slack.com/triggers/"],
        &[
            Lit("T"),
            Run(Class::UpperAlnum, 8, 12),
            Lit("/"),
            Run(Class::Digits, 10, 20),
            Lit("/"),
            Run(Class::LowerHex, 32, 32),
        ],
    )
    .in_url()
    .keeping(Keep::ThroughLast(b'/')),
    // Payments
    token(
        "stripe-secret-key",
        &STRIPE_KEY,
        "Stripe live secret key",
        &["sk_live_"],
        &[Run(Class::Alnum, 24, 247)],
    ),
    token(
        "stripe-restricted-key",
        &STRIPE_KEY,
        "Stripe live restricted key",
        &["rk_live_"],
        &[Run(Class::Alnum, 24, 247)],
    ),
    token(
        "webhook-signing-secret",
        &STRIPE_KEY,
        "webhook signing secret (Stripe, Svix)",
        &["whsec_"],
        &[Run(Class::B64Pad, 32, 88)],
    ),
    token(
        "stripe-test-secret-key",
        &TEST_MODE_KEY,
        "Stripe test-mode secret key",
        &["sk_test_"],
        &[Run(Class::Alnum, 24, 247)],
    ),
    token(
        "stripe-test-restricted-key",
        &TEST_MODE_KEY,
        "Stripe test-mode restricted key",
        &["rk_test_"],
        &[Run(Class::Alnum, 24, 247)],
    ),
    token(
        "braintree-sandbox-token",
        &TEST_MODE_KEY,
        "Braintree sandbox access token",
        &["access_token$sandbox$"],
        &[
            Run(Class::LowerAlnum, 16, 16),
            Lit("$"),
            Run(Class::LowerHex, 32, 32),
        ],
    ),
    token(
        "braintree-access-token",
        &BRAINTREE_TOKEN,
        "PayPal Braintree production access token",
        &["access_token$production$"],
        &[
            Run(Class::LowerAlnum, 16, 16),
            Lit("$"),
            Run(Class::LowerHex, 32, 32),
        ],
    ),
    token(
        "square-access-token",
        &SQUARE_TOKEN,
        "Square access token",
        &["EAAA"],
        &[Run(Class::B64Url, 60, 60)],
    ),
    token(
        "square-oauth-token",
        &SQUARE_TOKEN,
        "Square OAuth access token",
        &["sq0atp-"],
        &[Run(Class::B64Url, 22, 22)],
    ),
    token(
        "square-oauth-secret",
        &SQUARE_TOKEN,
        "Square application secret",
        &["sq0csp-"],
        &[Run(Class::B64Url, 43, 43)],
    ),
    // Messaging and email
    token(
        "sendgrid-api-key",
        &SENDGRID_KEY,
        "SendGrid API key",
        &["SG."],
        &[
            Run(Class::B64Url, 22, 22),
            Lit("."),
            Run(Class::B64Url, 43, 43),
        ],
    ),
    token(
        "twilio-api-key-sid",
        &TWILIO_KEY,
        "Twilio API key SID",
        TWILIO,
        &[Lit("SK"), Run(Class::LowerHex, 32, 32)],
    )
    .near()
    .keeping(Keep::Bytes(2)),
    token(
        "twilio-auth-token",
        &TWILIO_KEY,
        "Twilio auth token",
        &[
            "TWILIO_AUTH_TOKEN",
            "twilio_auth_token",
            "TwilioAuthToken",
            "twilioAuthToken",
        ],
        R_LHEX_32,
    )
    .assigned(),
    token(
        "mailgun-api-key",
        &MAILGUN_KEY,
        "Mailgun API key",
        &["mailgun", "Mailgun", "MAILGUN"],
        &[Lit("key-"), Run(Class::LowerHex, 32, 32)],
    )
    .near()
    .keeping(Keep::Bytes(4)),
    custom(
        "mailchimp-api-key",
        &MAILCHIMP_KEY,
        "Mailchimp API key",
        &["-us"],
        mailchimp_key,
    ),
    token(
        "brevo-api-key",
        &BREVO_KEY,
        "Brevo (Sendinblue) API key",
        &["xkeysib-"],
        &[
            Run(Class::LowerHex, 64, 64),
            Lit("-"),
            Run(Class::Alnum, 16, 16),
        ],
    ),
    custom(
        "telegram-bot-token",
        &TELEGRAM_BOT_TOKEN,
        "Telegram bot token",
        &[":AA"],
        telegram_bot_token,
    ),
    token(
        "discord-webhook",
        &DISCORD_TOKEN,
        "Discord webhook URL",
        &["discord.com/api/webhooks/", "discordapp.com/api/webhooks/"],
        &[
            Run(Class::Digits, 17, 20),
            Lit("/"),
            Run(Class::B64Url, 60, 68),
        ],
    )
    .in_url()
    .keeping(Keep::ThroughLast(b'/')),
    token(
        "discord-bot-token",
        &DISCORD_TOKEN,
        "Discord bot token",
        DISCORD,
        &[
            OneOf(&["M", "N", "O"]),
            Run(Class::B64Url, 23, 27),
            Lit("."),
            Run(Class::B64Url, 6, 6),
            Lit("."),
            Run(Class::B64Url, 27, 40),
        ],
    )
    .near()
    .keeping(Keep::Nothing)
    .structure("first segment is the bot's numeric id", discord_structure),
    custom(
        "firebase-cloud-messaging-key",
        &FIREBASE_KEY,
        "Firebase Cloud Messaging server key",
        &[":APA91b"],
        fcm_server_key,
    ),
    // AI providers
    custom(
        "openai-project-key",
        &OPENAI_KEY,
        "OpenAI project API key",
        &["sk-proj-"],
        openai_key,
    ),
    custom(
        "openai-service-account-key",
        &OPENAI_KEY,
        "OpenAI service-account API key",
        &["sk-svcacct-"],
        openai_key,
    ),
    custom(
        "openai-admin-key",
        &OPENAI_KEY,
        "OpenAI admin API key",
        &["sk-admin-"],
        openai_key,
    ),
    custom(
        "openai-user-key",
        &OPENAI_KEY,
        "OpenAI user API key",
        &["sk-None-"],
        openai_key,
    ),
    custom(
        "openai-legacy-key",
        &OPENAI_KEY,
        "OpenAI API key",
        &["T3BlbkFJ"],
        openai_legacy_key,
    ),
    token(
        "anthropic-api-key",
        &ANTHROPIC_KEY,
        "Anthropic API key",
        &["sk-ant-api03-"],
        &[Run(Class::B64Url, 93, 93), Lit("AA")],
    ),
    token(
        "anthropic-admin-key",
        &ANTHROPIC_KEY,
        "Anthropic admin API key",
        &["sk-ant-admin01-"],
        &[Run(Class::B64Url, 93, 93), Lit("AA")],
    ),
    token(
        "huggingface-token",
        &HUGGINGFACE_TOKEN,
        "Hugging Face access token",
        &["hf_"],
        &[Run(Class::Letters, 34, 34)],
    ),
    token(
        "huggingface-org-token",
        &HUGGINGFACE_TOKEN,
        "Hugging Face organization API token",
        &["api_org_"],
        &[Run(Class::Letters, 34, 34)],
    ),
    token(
        "openrouter-api-key",
        &OPENROUTER_KEY,
        "OpenRouter API key",
        &["sk-or-v1-"],
        R_LHEX_64,
    ),
    token(
        "groq-api-key",
        &GROQ_KEY,
        "Groq API key",
        &["gsk_"],
        &[Run(Class::Alnum, 52, 52)],
    ),
    token(
        "perplexity-api-key",
        &PERPLEXITY_KEY,
        "Perplexity API key",
        &["pplx-"],
        &[Run(Class::Alnum, 48, 48)],
    ),
    token(
        "xai-api-key",
        &XAI_KEY,
        "xAI API key",
        &["xai-"],
        &[Run(Class::Alnum, 80, 80)],
    ),
    // Clouds
    token(
        "azure-storage-account-key",
        &AZURE_STORAGE_KEY,
        "Azure storage account key",
        &["AccountKey="],
        &[Run(Class::B64, 86, 86), Lit("==")],
    ),
    token(
        "azure-shared-access-key",
        &AZURE_CREDENTIAL,
        "Azure Service Bus / Event Hubs shared access key",
        &["SharedAccessKey="],
        &[Run(Class::B64, 43, 43), Lit("=")],
    ),
    custom(
        "azure-entra-client-secret",
        &AZURE_CREDENTIAL,
        "Microsoft Entra ID (Azure AD) client secret",
        &["Q~"],
        entra_client_secret,
    ),
    token(
        "digitalocean-pat",
        &DIGITALOCEAN_TOKEN,
        "DigitalOcean personal access token",
        &["dop_v1_"],
        R_LHEX_64,
    ),
    token(
        "digitalocean-oauth-token",
        &DIGITALOCEAN_TOKEN,
        "DigitalOcean OAuth token",
        &["doo_v1_"],
        R_LHEX_64,
    ),
    token(
        "digitalocean-refresh-token",
        &DIGITALOCEAN_TOKEN,
        "DigitalOcean refresh token",
        &["dor_v1_"],
        R_LHEX_64,
    ),
    token(
        "heroku-api-key",
        &HEROKU_KEY,
        "Heroku API key",
        &["HRKU-AA"],
        &[Run(Class::B64Url, 58, 58)],
    ),
    token(
        "cloudflare-origin-ca-key",
        &CLOUDFLARE_KEY,
        "Cloudflare Origin CA key",
        &["v1.0-"],
        &[
            Run(Class::LowerHex, 24, 24),
            Lit("-"),
            Run(Class::LowerHex, 146, 146),
        ],
    ),
    token(
        "flyio-macaroon",
        &FLYIO_TOKEN,
        "Fly.io access token",
        &["fm2_", "fm1a_", "fm1r_"],
        &[Run(Class::B64Pad, 64, 8192)],
    ),
    token(
        "flyio-org-token",
        &FLYIO_TOKEN,
        "Fly.io organization token",
        &["fo1_"],
        &[Run(Class::B64Url, 43, 43)],
    ),
    token(
        "netlify-pat",
        &NETLIFY_TOKEN,
        "Netlify personal access token",
        &["nfp_"],
        R_ALNUM_36,
    ),
    custom(
        "terraform-cloud-token",
        &TERRAFORM_TOKEN,
        "HCP Terraform (Terraform Cloud) API token",
        &[".atlasv1."],
        terraform_token,
    ),
    token(
        "pulumi-access-token",
        &PULUMI_TOKEN,
        "Pulumi access token",
        &["pul-"],
        R_LHEX_40,
    ),
    token(
        "vault-service-token",
        &VAULT_TOKEN,
        "HashiCorp Vault service token",
        &["hvs."],
        &[Run(Class::B64Url, 24, 160)],
    ),
    token(
        "vault-batch-token",
        &VAULT_TOKEN,
        "HashiCorp Vault batch token",
        &["hvb."],
        &[Run(Class::B64Url, 100, 400)],
    ),
    token(
        "doppler-personal-token",
        &DOPPLER_TOKEN,
        "Doppler personal or CLI token",
        &["dp.pt.", "dp.ct."],
        &[Run(Class::Alnum, 40, 44)],
    ),
    token(
        "doppler-service-token",
        &DOPPLER_TOKEN,
        "Doppler service, service-account, SCIM or audit token",
        &["dp.st.", "dp.sa.", "dp.scim.", "dp.audit."],
        &[
            Opt(&[Run(Class::LowerAlnum, 1, 30), Lit(".")]),
            Run(Class::Alnum, 40, 44),
        ],
    ),
    token(
        "supabase-access-token",
        &SUPABASE_KEY,
        "Supabase personal access token",
        &["sbp_"],
        R_LHEX_40,
    ),
    token(
        "supabase-secret-key",
        &SUPABASE_KEY,
        "Supabase secret API key",
        &["sb_secret_"],
        &[Run(Class::B64Url, 20, 64)],
    ),
    token(
        "planetscale-token",
        &PLANETSCALE_TOKEN,
        "PlanetScale service token",
        &["pscale_tkn_"],
        &[Run(Class::B64Url, 32, 64)],
    ),
    token(
        "planetscale-oauth-token",
        &PLANETSCALE_TOKEN,
        "PlanetScale OAuth token",
        &["pscale_oauth_"],
        &[Run(Class::B64Url, 32, 64)],
    ),
    token(
        "planetscale-password",
        &PLANETSCALE_TOKEN,
        "PlanetScale database password",
        &["pscale_pw_"],
        &[Run(Class::B64Url, 32, 64)],
    ),
    token(
        "databricks-token",
        &DATABRICKS_TOKEN,
        "Databricks personal access token",
        &["dapi"],
        &[
            Run(Class::LowerHex, 32, 32),
            Opt(&[Lit("-"), Run(Class::Digits, 1, 2)]),
        ],
    ),
    token(
        "databricks-oauth-secret",
        &DATABRICKS_TOKEN,
        "Databricks OAuth secret",
        &["dose"],
        R_LHEX_32,
    ),
    // Developer tools
    token(
        "atlassian-api-token",
        &ATLASSIAN_TOKEN,
        "Atlassian API token",
        &["ATATT3"],
        &[
            Run(Class::B64Url, 150, 250),
            Lit("="),
            Run(Class::Hex, 8, 8),
        ],
    ),
    token(
        "atlassian-access-token",
        &ATLASSIAN_TOKEN,
        "Atlassian or Bitbucket access token",
        &["ATCTT3"],
        &[
            Run(Class::B64Url, 150, 250),
            Lit("="),
            Run(Class::Hex, 8, 8),
        ],
    ),
    token(
        "bitbucket-app-password",
        &BITBUCKET_TOKEN,
        "Bitbucket app password",
        &["ATBB"],
        &[Run(Class::Alnum, 32, 32)],
    ),
    token(
        "bitbucket-data-center-token",
        &BITBUCKET_TOKEN,
        "Bitbucket Data Center access token",
        &["BBDC-"],
        &[Run(Class::B64Any, 44, 44)],
    ),
    token(
        "grafana-service-account-token",
        &GRAFANA_TOKEN,
        "Grafana service account token",
        &["glsa_"],
        &[
            Run(Class::Alnum, 32, 32),
            Lit("_"),
            Run(Class::LowerHex, 8, 8),
        ],
    )
    .checksum_by("CRC-32 of the token, in hexadecimal", grafana_checksum),
    token(
        "grafana-cloud-token",
        &GRAFANA_TOKEN,
        "Grafana Cloud access policy token",
        &["glc_"],
        &[Run(Class::B64Pad, 32, 400)],
    )
    .structure("base64 JSON with the key", grafana_cloud_structure),
    token(
        "grafana-api-key",
        &GRAFANA_TOKEN,
        "Grafana API key",
        &["eyJrIjoi"],
        &[Run(Class::B64Any, 40, 200)],
    )
    .structure(
        "base64 JSON with key, name and id",
        grafana_api_key_structure,
    ),
    token(
        "sentry-org-token",
        &SENTRY_TOKEN,
        "Sentry organization auth token",
        &["sntrys_"],
        &[
            Run(Class::B64Pad, 40, 1000),
            Lit("_"),
            Run(Class::B64, 20, 64),
        ],
    )
    .structure("base64 JSON with `iat`", sentry_structure),
    token(
        "sentry-user-token",
        &SENTRY_TOKEN,
        "Sentry user auth token",
        &["sntryu_"],
        R_LHEX_64,
    ),
    token(
        "postman-api-key",
        &POSTMAN_KEY,
        "Postman API key",
        &["PMAK-"],
        &[
            Run(Class::LowerHex, 24, 24),
            Lit("-"),
            Run(Class::LowerHex, 34, 34),
        ],
    ),
    token(
        "linear-api-key",
        &LINEAR_KEY,
        "Linear API key",
        &["lin_api_"],
        &[Run(Class::Alnum, 40, 40)],
    ),
    token(
        "notion-token",
        &NOTION_TOKEN,
        "Notion integration token",
        &["ntn_"],
        &[Run(Class::Digits, 11, 11), Run(Class::Alnum, 35, 35)],
    ),
    token(
        "notion-legacy-token",
        &NOTION_TOKEN,
        "Notion integration token (legacy)",
        &["secret_"],
        &[Run(Class::Alnum, 43, 43)],
    ),
    token(
        "figma-pat",
        &FIGMA_TOKEN,
        "Figma personal access token",
        &["figd_"],
        &[Run(Class::B64Url, 40, 40)],
    ),
    token(
        "airtable-pat",
        &AIRTABLE_TOKEN,
        "Airtable personal access token",
        &["airtable", "Airtable", "AIRTABLE"],
        &[
            Lit("pat"),
            Run(Class::Alnum, 14, 14),
            Lit("."),
            Run(Class::LowerHex, 64, 64),
        ],
    )
    .near()
    .keeping(Keep::Bytes(3)),
    token(
        "asana-pat",
        &ASANA_TOKEN,
        "Asana personal access token",
        &["asana", "Asana", "ASANA"],
        &[
            OneOf(&["1/", "2/"]),
            Run(Class::Digits, 10, 20),
            Opt(&[Lit("/"), Run(Class::Digits, 10, 20)]),
            Lit(":"),
            Run(Class::LowerHex, 32, 32),
        ],
    )
    .near()
    .keeping(Keep::Nothing),
    token(
        "okta-api-token",
        &OKTA_TOKEN,
        "Okta API token",
        &["okta", "Okta", "OKTA"],
        &[Lit("00"), Run(Class::B64Url, 40, 40)],
    )
    .near()
    .keeping(Keep::Nothing),
    token(
        "onepassword-service-account-token",
        &ONEPASSWORD_TOKEN,
        "1Password service account token",
        &["ops_eyJ"],
        &[Run(Class::B64Any, 200, 8192)],
    )
    .structure("base64 JSON", onepassword_structure)
    .keeping(Keep::Bytes(4)),
    token(
        "onepassword-secret-key",
        &ONEPASSWORD_TOKEN,
        "1Password account secret key",
        &["A3-"],
        &[
            Run(Class::UpperAlnum, 6, 6),
            Lit("-"),
            Run(Class::UpperAlnum, 6, 6),
            Lit("-"),
            Run(Class::UpperAlnum, 5, 5),
            Lit("-"),
            Run(Class::UpperAlnum, 5, 5),
            Lit("-"),
            Run(Class::UpperAlnum, 5, 5),
            Lit("-"),
            Run(Class::UpperAlnum, 5, 5),
        ],
    ),
    token(
        "mapbox-secret-token",
        &MAPBOX_TOKEN,
        "Mapbox secret access token",
        &["sk.eyJ"],
        &[
            Run(Class::B64Url, 10, 400),
            Lit("."),
            Run(Class::B64Url, 20, 40),
        ],
    )
    .structure("base64 JSON with the user", mapbox_structure)
    .keeping(Keep::Bytes(3)),
    token(
        "tailscale-key",
        &TAILSCALE_KEY,
        "Tailscale API, auth or OAuth client key",
        &["tskey-"],
        &[
            OneOf(&["api-", "auth-", "client-", "scim-", "webhook-"]),
            Run(Class::Alnum, 6, 20),
            Lit("-"),
            Run(Class::Alnum, 20, 64),
        ],
    ),
    token(
        "sonarqube-token",
        &SONARQUBE_TOKEN,
        "SonarQube token",
        &["squ_", "sqa_", "sqp_"],
        R_LHEX_40,
    ),
    token(
        "buildkite-token",
        &BUILDKITE_TOKEN,
        "Buildkite user access token",
        &["bkua_"],
        R_LHEX_40,
    ),
    token(
        "dynatrace-token",
        &DYNATRACE_TOKEN,
        "Dynatrace API token",
        &["dt0c01.", "dt0s01."],
        &[
            Run(Class::UpperAlnum, 24, 24),
            Lit("."),
            Run(Class::UpperAlnum, 64, 64),
        ],
    ),
    token(
        "contentful-pat",
        &CONTENTFUL_TOKEN,
        "Contentful personal access token",
        &["CFPAT-"],
        &[Run(Class::B64Url, 43, 43)],
    ),
    token(
        "shopify-access-token",
        &SHOPIFY_TOKEN,
        "Shopify Admin API access token",
        &["shpat_"],
        R_HEX_32,
    ),
    token(
        "shopify-shared-secret",
        &SHOPIFY_TOKEN,
        "Shopify app shared secret",
        &["shpss_"],
        R_HEX_32,
    ),
    token(
        "shopify-custom-app-token",
        &SHOPIFY_TOKEN,
        "Shopify custom app access token",
        &["shpca_"],
        R_HEX_32,
    ),
    token(
        "shopify-private-app-token",
        &SHOPIFY_TOKEN,
        "Shopify private app access token",
        &["shppa_"],
        R_HEX_32,
    ),
    // Observability
    token(
        "newrelic-user-key",
        &NEWRELIC_KEY,
        "New Relic user API key",
        &["NRAK-"],
        &[Run(Class::UpperAlnum, 27, 27)],
    ),
    token(
        "newrelic-admin-key",
        &NEWRELIC_KEY,
        "New Relic admin API key",
        &["NRAA-"],
        &[Run(Class::UpperAlnum, 27, 27)],
    ),
    token(
        "newrelic-insights-key",
        &NEWRELIC_KEY,
        "New Relic Insights insert or query key",
        &["NRII-", "NRIQ-"],
        &[Run(Class::B64Url, 32, 32)],
    ),
    custom(
        "newrelic-license-key",
        &NEWRELIC_KEY,
        "New Relic license key",
        &["NRAL"],
        newrelic_license_key,
    ),
    token(
        "datadog-api-key",
        &DATADOG_KEY,
        "Datadog API key",
        &[
            "DD_API_KEY",
            "dd_api_key",
            "DATADOG_API_KEY",
            "datadog_api_key",
            "DD-API-KEY",
            "dd-api-key",
        ],
        R_LHEX_32,
    )
    .assigned(),
    token(
        "datadog-app-key",
        &DATADOG_KEY,
        "Datadog application key",
        &[
            "DD_APP_KEY",
            "dd_app_key",
            "DATADOG_APP_KEY",
            "datadog_app_key",
            "DD_APPLICATION_KEY",
            "dd_application_key",
            "DD-APPLICATION-KEY",
            "dd-application-key",
        ],
        R_LHEX_40,
    )
    .assigned(),
    // JSON Web Tokens
    custom("jwt", &JWT, "JSON Web Token", &["eyJ"], jwt)
        .structure("header is base64url JSON with `alg`", jwt_structure),
    // Private keys in token form
    token(
        "age-secret-key",
        &AGE_SECRET_KEY,
        "age secret key",
        &["AGE-SECRET-KEY-1"],
        &[Run(Class::Bech32Upper, 58, 58)],
    )
    .checksum_by("Bech32 checksum", bech32_checksum)
    .keeping(Keep::Bytes(15)),
    token(
        "nostr-secret-key",
        &NOSTR_SECRET_KEY,
        "Nostr secret key (nsec)",
        &["nsec1"],
        &[Run(Class::Bech32Lower, 58, 58)],
    )
    .checksum_by("Bech32 checksum", bech32_checksum)
    .keeping(Keep::Bytes(4)),
];
