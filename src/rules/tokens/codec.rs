//! Checksums and decoders that tell a real token from a string of the same
//! shape.
//!
//! Several providers build a check into their tokens so that a scanner can
//! recognise one without asking the provider: GitHub and npm append the
//! CRC-32 of the random part in base 62, GitLab's routable tokens a CRC-32 in
//! base 36, Grafana a CRC-32 in hexadecimal, crates.io's trusted-publishing
//! tokens an XOR check character, and Bech32 keys (age, Nostr) a BCH code.
//! Others carry a structure that only decodes when the token is real: a JWT
//! header is base64url JSON with `alg`, a PyPI token is a macaroon whose first
//! bytes name `pypi.org`. Everything here works on bytes, allocates only to
//! decode base64, and never panics on arbitrary input.

/// Base 62 digits in the order GitHub and npm use: digits, upper, lower.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
/// crates.io's check-character alphabet: upper, lower, digits.
const CRATES_IO_ALPHABET: &[u8; 62] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// The Bech32 data alphabet (BIP 173).
pub const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// True when `digits` spell `n` in `alphabet`'s base, left-padded with the
/// alphabet's zero to exactly `digits.len()` characters.
fn spells(mut n: u32, digits: &[u8], alphabet: &[u8]) -> bool {
    let base = alphabet.len() as u32;
    for &d in digits.iter().rev() {
        if alphabet[(n % base) as usize] != d {
            return false;
        }
        n /= base;
    }
    n == 0
}

/// `n` in `alphabet`'s base, left-padded to `width`.
pub fn spell(mut n: u32, width: usize, alphabet: &[u8]) -> String {
    let base = alphabet.len() as u32;
    let mut out = vec![alphabet[0]; width];
    for slot in out.iter_mut().rev() {
        *slot = alphabet[(n % base) as usize];
        n /= base;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// GitHub's and npm's token checksum: the last 6 characters of `body` are the
/// CRC-32 of the 30 characters before them, in base 62.
pub fn crc32_base62_valid(body: &[u8]) -> bool {
    body.len() == 36 && spells(crc32fast::hash(&body[..30]), &body[30..], BASE62)
}

/// The 6 check characters GitHub and npm append to 30 random characters.
pub fn crc32_base62(random: &[u8]) -> String {
    spell(crc32fast::hash(random), 6, BASE62)
}

/// crates.io trusted-publishing check character: the XOR of the 31 random
/// bytes, taken modulo 62 in crates.io's alphabet.
pub fn crates_io_check(random: &[u8]) -> u8 {
    let xor = random.iter().fold(0u8, |acc, &b| acc ^ b);
    CRATES_IO_ALPHABET[xor as usize % CRATES_IO_ALPHABET.len()]
}

/// GitLab routable tokens end in the CRC-32 of everything before it (prefix
/// included), in 7 lowercase base-36 digits.
pub fn gitlab_crc_valid(covered: &[u8], crc: &[u8]) -> bool {
    crc.len() == 7 && spells(crc32fast::hash(covered), crc, BASE36)
}

pub fn gitlab_crc(covered: &[u8]) -> String {
    spell(crc32fast::hash(covered), 7, BASE36)
}

/// `n` in lowercase base 36, left-padded to `width` (GitLab's length field).
pub fn base36(n: u32, width: usize) -> String {
    spell(n, width, BASE36)
}

/// Value of lowercase base-36 digits.
pub fn parse_base36(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &d| {
        let v = BASE36.iter().position(|&c| c == d)? as u32;
        acc.checked_mul(36)?.checked_add(v)
    })
}

/// Grafana service-account tokens `glsa_<32>_<8 hex>`: the hex is the CRC-32
/// of `glsa_<32>`, its bytes written little-endian.
pub fn grafana_crc_valid(covered: &[u8], hex: &[u8]) -> bool {
    hex.len() == 8 && grafana_crc(covered).as_bytes() == hex
}

pub fn grafana_crc(covered: &[u8]) -> String {
    crc32fast::hash(covered)
        .to_le_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

fn hrp_expand(hrp: &[u8]) -> impl Iterator<Item = u8> + '_ {
    hrp.iter()
        .map(|c| c >> 5)
        .chain(std::iter::once(0))
        .chain(hrp.iter().map(|c| c & 31))
}

/// True when `s` is a Bech32 string (BIP 173, not Bech32m) with a valid
/// checksum. Case-insensitive but not mixed-case, as the standard requires.
pub fn bech32_valid(s: &[u8]) -> bool {
    let has_lower = s.iter().any(u8::is_ascii_lowercase);
    let has_upper = s.iter().any(u8::is_ascii_uppercase);
    if has_lower && has_upper {
        return false;
    }
    let Some(sep) = s.iter().rposition(|&c| c == b'1') else {
        return false;
    };
    let (hrp, data) = (&s[..sep], &s[sep + 1..]);
    if hrp.is_empty() || data.len() < 6 {
        return false;
    }
    let hrp: Vec<u8> = hrp.to_ascii_lowercase();
    let mut values = Vec::with_capacity(data.len());
    for &c in data {
        let c = c.to_ascii_lowercase();
        match BECH32.iter().position(|&b| b == c) {
            Some(v) => values.push(v as u8),
            None => return false,
        }
    }
    bech32_polymod(hrp_expand(&hrp).chain(values.iter().copied())) == 1
}

/// Bech32-encodes 5-bit `data` under `hrp` (lowercase), for tests and docs.
pub fn bech32_encode(hrp: &str, data: &[u8]) -> String {
    let hrp_bytes = hrp.as_bytes();
    let poly = bech32_polymod(
        hrp_expand(hrp_bytes)
            .chain(data.iter().copied())
            .chain([0u8; 6]),
    ) ^ 1;
    let mut out = String::from(hrp);
    out.push('1');
    for &d in data {
        out.push(BECH32[usize::from(d & 31)] as char);
    }
    for i in 0..6 {
        out.push(BECH32[((poly >> (5 * (5 - i))) & 31) as usize] as char);
    }
    out
}

fn b64_value(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    })
}

/// Decodes base64 in either alphabet (standard or URL-safe), with or without
/// padding, appending to `out`. Returns false on any other character.
pub fn b64_decode_into(input: &[u8], out: &mut Vec<u8>) -> bool {
    let input = match input.iter().position(|&c| c == b'=') {
        Some(pad) if input[pad..].iter().all(|&c| c == b'=') => &input[..pad],
        Some(_) => return false,
        None => input,
    };
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in input {
        let Some(v) = b64_value(c) else {
            return false;
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    true
}

pub fn b64_decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4 + 1);
    b64_decode_into(input, &mut out).then_some(out)
}

/// Standard base64 with padding, for tests and docs.
pub fn b64_encode(data: &[u8], url_safe: bool) -> String {
    let alphabet: &[u8; 64] = if url_safe {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
        if !url_safe {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// True when `bytes` look like a serialized JSON object: `{` … `}` around
/// printable text with at least one `"key":`.
pub fn is_json_object(bytes: &[u8]) -> bool {
    let trimmed = bytes.trim_ascii();
    trimmed.len() >= 7
        && trimmed.starts_with(b"{")
        && trimmed.ends_with(b"}")
        && trimmed.contains(&b'"')
        && trimmed.contains(&b':')
        && std::str::from_utf8(trimmed).is_ok_and(|s| !s.chars().any(|c| c.is_control()))
}

/// True when `json` contains the key `"name"` followed by a colon.
pub fn json_has_key(json: &[u8], name: &str) -> bool {
    let needle = format!("\"{name}\"");
    let mut from = 0;
    while let Some(at) = find(&json[from..], needle.as_bytes()) {
        let after = from + at + needle.len();
        if json[after..].trim_ascii_start().starts_with(b":") {
            return true;
        }
        from = after;
    }
    false
}

/// Byte-string search for the few places that need one on short slices.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// PyPI API tokens are `pypi-` and a base64url macaroon (version 2): byte 2,
/// a location field (type 1) naming `pypi.org` or `test.pypi.org`, then an
/// identifier field (type 2) whose declared length fits in the token.
pub fn pypi_macaroon_valid(body: &[u8]) -> bool {
    let Some(bytes) = b64_decode(body) else {
        return false;
    };
    let [2, 1, len, rest @ ..] = bytes.as_slice() else {
        return false;
    };
    let len = usize::from(*len);
    if rest.len() < len || !matches!(&rest[..len], b"pypi.org" | b"test.pypi.org") {
        return false;
    }
    let rest = &rest[len..];
    let [2, rest @ ..] = rest else {
        return false;
    };
    // Varint length of the identifier.
    let mut id_len = 0usize;
    let mut shift = 0;
    let mut i = 0;
    loop {
        let Some(&b) = rest.get(i) else {
            return false;
        };
        id_len |= usize::from(b & 0x7f) << shift;
        i += 1;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 21 {
            return false;
        }
    }
    id_len >= 8 && rest.len() >= i + id_len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_checksum_matches_the_published_construction() {
        let random = b"a8Kq2Lm9xZ4vRt7Pw3nB6yHc1jD5fG";
        let body = [random.as_slice(), crc32_base62(random).as_bytes()].concat();
        assert!(crc32_base62_valid(&body));
        let mut wrong = body.clone();
        wrong[3] = b'Q';
        assert!(!crc32_base62_valid(&wrong));
    }

    #[test]
    fn crates_io_check_character_matches_crates_io_test_vector() {
        // crates.io's own test: all zeros check to `w`.
        assert_eq!(crates_io_check(&[b'0'; 31]), b'w');
    }

    #[test]
    fn gitlab_routable_crc_matches_gitlab_test_vector() {
        // From GitLab's routable-token spec: payload length 0x18 (44), CRC 1uebm4k.
        let covered = [
            "glrtr-",
            "W5m1cHR6skC98Bx7XkuYjmM6MQpnOjgKbzpyegp0OjIQ",
            ".01.18",
        ]
        .concat();
        assert_eq!(gitlab_crc(covered.as_bytes()), "1uebm4k");
        assert!(gitlab_crc_valid(covered.as_bytes(), b"1uebm4k"));
        assert!(!gitlab_crc_valid(covered.as_bytes(), b"1uebm4l"));
        assert_eq!(parse_base36(b"18"), Some(44));
    }

    #[test]
    fn grafana_crc_matches_grafana_test_vector() {
        let covered = ["glsa_", "iNValIdinValiDinvalidinvalidinva"].concat();
        assert_eq!(grafana_crc(covered.as_bytes()), "5b582697");
    }

    #[test]
    fn bech32_round_trips_and_rejects_changes() {
        let data: Vec<u8> = (0..52u32).map(|i| ((i * 7 + 3) % 32) as u8).collect();
        let s = bech32_encode("age-secret-key-", &data);
        assert!(bech32_valid(s.as_bytes()));
        assert!(bech32_valid(s.to_ascii_uppercase().as_bytes()));
        let mut wrong = s.clone().into_bytes();
        let last = wrong.len() - 1;
        wrong[last] = if wrong[last] == b'q' { b'p' } else { b'q' };
        assert!(!bech32_valid(&wrong));
        // BIP 173 test vector.
        assert!(bech32_valid(b"A12UEL5L"));
        assert!(!bech32_valid(b"A12uEL5L"));
    }

    #[test]
    fn base64_decodes_both_alphabets() {
        assert_eq!(
            b64_decode(b"eyJhbGciOiJIUzI1NiJ9").unwrap(),
            br#"{"alg":"HS256"}"#
        );
        assert_eq!(b64_decode(b"-_8=").unwrap(), [0xfb, 0xff]);
        assert_eq!(b64_decode(b"+/8").unwrap(), [0xfb, 0xff]);
        assert!(b64_decode(b"ab=c").is_none());
        assert!(b64_decode(b"a b").is_none());
        for data in [&b""[..], b"a", b"ab", b"abc", b"abcd\xff\x00"] {
            for url in [false, true] {
                assert_eq!(b64_decode(b64_encode(data, url).as_bytes()).unwrap(), data);
            }
        }
    }

    #[test]
    fn json_key_lookup() {
        assert!(json_has_key(br#"{"alg" : "none"}"#, "alg"));
        assert!(!json_has_key(br#"{"x":"alg"}"#, "alg"));
        assert!(is_json_object(br#"{"alg":"HS256"}"#));
        assert!(!is_json_object(b"\x89PNG"));
    }

    #[test]
    fn pypi_macaroon_prefix_decodes() {
        let mut mac = vec![2, 1, 8];
        mac.extend_from_slice(b"pypi.org");
        mac.extend_from_slice(&[2, 36]);
        mac.extend_from_slice(&[b'7'; 36]);
        mac.extend_from_slice(&[0, 6, 32]);
        mac.extend_from_slice(&[0x5a; 32]);
        let b64 = b64_encode(&mac, true);
        assert!(b64.starts_with("AgEIcHlwaS5vcmc"));
        assert!(pypi_macaroon_valid(b64.as_bytes()));
        assert!(!pypi_macaroon_valid(&b64.as_bytes()[..30]));
    }
}
