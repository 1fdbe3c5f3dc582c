//! Telling a real secret value from a placeholder.
//!
//! Rules without a fixed token shape (a password in a URL, `api_key = "…"`)
//! only report values that look generated. A value is a placeholder when it
//! is a template (`${VAR}`, `<YOUR_KEY>`, `{{ token }}`), a well-known
//! stand-in (`changeme`, `password`, `dummy`, `example`…), masked (`****`,
//! `xxxx`), or a run of repeated or sequential characters. It looks random
//! when it is long enough, mixes character classes and has enough Shannon
//! entropy per character for its length.

/// Words that stand in for a real value in documentation and tests.
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "example",
    "sample",
    "dummy",
    "fake",
    "test",
    "testing",
    "token",
    "apikey",
    "api_key",
    "api-key",
    "yourkey",
    "your_key",
    "your-key",
    "mykey",
    "placeholder",
    "redacted",
    "hidden",
    "none",
    "null",
    "nil",
    "undefined",
    "empty",
    "todo",
    "fixme",
    "foo",
    "bar",
    "baz",
    "qux",
    "admin",
    "root",
    "user",
    "username",
    "guest",
    "default",
    "letmein",
    "hunter2",
    "mysecret",
    "mypassword",
    "secretpassword",
    "supersecret",
    "notasecret",
    "insecure",
    "s3cr3t",
    "p4ssw0rd",
    "postgres",
    "mysql",
    "rabbitmq",
    "redis",
    "guest",
    "demo",
    "local",
    "localhost",
    "xxx",
];

/// Words that documentation builds example passwords from (`foobar`,
/// `opensesame` from RFC 7617's `Aladdin:open sesame`, `mysecretpassword`).
/// Deliberately not a list of weak passwords: `Summer2024!` in a URL to a
/// real host is a leaked credential, however guessable.
const EXAMPLE_WORDS: &[&str] = &[
    "foo", "bar", "baz", "qux", "quux", "secret", "password", "passwd", "pass", "word", "test",
    "example", "sample", "dummy", "fake", "my", "your", "open", "sesame", "secure", "super",
    "changeme", "letmein", "hello", "world", "some", "the", "a", "user", "name", "token", "key",
];

/// True when the letters of `lower` are example words end to end, with at
/// most a short run of digits at the end (`foobar`, `secretpassword1`).
fn is_example_words(lower: &str) -> bool {
    let letters = lower.trim_end_matches(|c: char| c.is_ascii_digit());
    if lower.len() - letters.len() > 3
        || letters.is_empty()
        || !letters.bytes().all(|b| b.is_ascii_lowercase())
    {
        return false;
    }
    // can[i]: letters[..i] splits into example words.
    let mut can = vec![false; letters.len() + 1];
    can[0] = true;
    for i in 0..letters.len() {
        if can[i] {
            for w in EXAMPLE_WORDS {
                if letters[i..].starts_with(w) {
                    can[i + w.len()] = true;
                }
            }
        }
    }
    can[letters.len()]
}

/// Decodes `%XX` escapes (invalid ones are kept as they are).
pub fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// True when `value` is obviously not a real credential.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    // Templates and interpolations: ${VAR}, $VAR, %s, {}, {{x}}, <x>, [x], $(cmd).
    if v.starts_with('$')
        || v.starts_with('%')
        || v.contains("{{")
        || (v.starts_with('{') && v.ends_with('}'))
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('[') && v.ends_with(']'))
        || v.contains("${")
    {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    let stripped: String = lower
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if PLACEHOLDER_WORDS.contains(&lower.as_str())
        || PLACEHOLDER_WORDS.contains(&stripped.as_str())
        || is_example_words(&stripped)
    {
        return true;
    }
    // `your_api_key_here`, `INSERT_TOKEN`, `my-secret-password`, `EXAMPLEKEY`.
    if [
        "your",
        "example",
        "insert",
        "replace",
        "placeholder",
        "dummy",
        "fake",
        "sample",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return true;
    }
    // Redacted (by this tool or another) or masked: `…`, ****, xxxx, ••••.
    if v.contains('…') || v.contains('•') {
        return true;
    }
    if v.chars()
        .all(|c| matches!(c, '*' | 'x' | 'X' | '•' | '.' | '#' | '-' | '_' | '0'))
    {
        return true;
    }
    is_repetitive(v)
}

/// A run of one character or of consecutive characters (`aaaa`, `abcdef`,
/// `123456`, `abcabcabc`).
fn is_repetitive(v: &str) -> bool {
    let bytes = v.as_bytes();
    if bytes.len() < 4 {
        return false;
    }
    let distinct = {
        let mut seen = [false; 256];
        bytes
            .iter()
            .filter(|&&b| !std::mem::replace(&mut seen[b as usize], true))
            .count()
    };
    if distinct <= 2 || distinct * 4 <= bytes.len() && bytes.len() < 64 {
        return true;
    }
    let sequential = bytes
        .windows(2)
        .filter(|w| w[1] as i16 - w[0] as i16 == 1)
        .count();
    sequential * 10 >= (bytes.len() - 1) * 8
}

/// Shannon entropy of the bytes of `s`, in bits per byte.
pub fn shannon_entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for &b in s.as_bytes() {
        counts[b as usize] += 1;
    }
    let len = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

/// True when `value` is words and numbers joined by separators: a path or
/// a reference (`yegor256/home#assets/crates-credentials`, `db-prod-2`),
/// which names where a secret is kept rather than being one. Every run of
/// letters and digits must read as a word (`home`, `Assets`, `yegor256`,
/// `2024`); a generated value split by `/`, `-` or `_` has runs that switch
/// case or mix digits into letters (`K7MDENG`, `bPxRfiCY`, `x7k2`).
fn is_word_path(value: &str) -> bool {
    let runs: Vec<&str> = value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|r| !r.is_empty())
        .collect();
    runs.len() >= 2
        && runs.iter().all(|run| {
            let letters = run.trim_end_matches(|c: char| c.is_ascii_digit());
            let mut chars = letters.chars();
            match chars.next() {
                // All digits: a number.
                None => true,
                Some(first) => first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_lowercase()),
            }
        })
}

/// True when `value` looks machine-generated: at least `min_len`
/// characters, not a placeholder, at least two character classes (or long
/// hexadecimal), and high entropy for its length. Values drawn uniformly
/// from an alphabet of 16 or more symbols pass; words and sentences do not.
pub fn looks_random(value: &str, min_len: usize) -> bool {
    // `secure%20password` is words, not a generated value.
    let decoded;
    let value = if value.contains('%') {
        decoded = percent_decode(value);
        if decoded.chars().any(char::is_whitespace) {
            return false;
        }
        decoded.as_str()
    } else {
        value
    };
    let len = value.len();
    if len < min_len || is_placeholder(value) {
        return false;
    }
    if is_word_path(value) {
        return false;
    }
    let has = |f: fn(&u8) -> bool| value.as_bytes().iter().any(f);
    let classes = [
        has(u8::is_ascii_lowercase),
        has(u8::is_ascii_uppercase),
        has(u8::is_ascii_digit),
    ]
    .into_iter()
    .filter(|&b| b)
    .count();
    if classes < 2 {
        return false;
    }
    // Without digits, mixed case alone is what identifiers and words have
    // (`PostgresAdmin`); generated values of that alphabet are long and
    // switch case about as often as not.
    if !has(u8::is_ascii_digit) {
        let letters = value.bytes().filter(u8::is_ascii_alphabetic).count().max(1);
        let upper = value.bytes().filter(u8::is_ascii_uppercase).count();
        let ratio = upper as f64 / letters as f64;
        if len < 20 || !(0.25..=0.75).contains(&ratio) {
            return false;
        }
    }
    // Expected entropy of a uniform draw grows with length until it reaches
    // the alphabet's limit; ask for most of it. Natural-language words sit
    // near 2.5–3 bits even when long.
    let threshold = match len {
        0..=11 => 3.0,
        12..=19 => 3.2,
        20..=31 => 3.5,
        _ => 3.7,
    };
    shannon_entropy(value) >= threshold
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "changeme",
            "${DB_PASSWORD}",
            "$PASSWORD",
            "<YOUR_KEY>",
            "{{ token }}",
            "{}",
            "%s",
            "xxxxxxxx",
            "********",
            "your-api-key",
            "EXAMPLEKEY",
            "aaaaaaaaaa",
            "abcdefghij",
            "1234567890",
            "password",
            "Passw0rd!",
            "p4ssw0rd",
            "my_secret_password_here",
        ] {
            assert!(is_placeholder(p) || !looks_random(p, 8), "{p}");
        }
    }

    #[test]
    fn generated_values_look_random() {
        for r in [
            "hT9xq2LmP4vZ8wK1",
            "3f9a7c2e1b8d4f6a0c5e9b7d2a1f8c3e",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8uP2mF4",
            "Zq8_vN3-kL0pW6rT",
        ] {
            assert!(looks_random(r, 12), "{r}");
        }
        for not in [
            "correcthorsebatterystaple",
            "Hello, world!",
            "short1A",
            "PostgresAdmin",
            "CorrectHorseBatteryStaple",
            // Where a secret is kept, not the secret (micromap's .rultor.yml).
            "yegor256/home#assets/crates-credentials",
            "vault/prod-db/2024/Password",
        ] {
            assert!(!looks_random(not, 12), "{not}");
        }
    }
}
