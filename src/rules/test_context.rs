//! Whether a finding lies in test context: a test file or folder, or a
//! `#[cfg(test)]` / `#[test]` item of Rust source.
//!
//! [`super::relaxed_in_tests`] says which rules this matters for and what
//! it changes. Both checks are cheap and bounded:
//!
//! - [`is_test_path`] looks only at the path's components and file name;
//! - [`in_test_item`] lexes the Rust text before the value once (comments,
//!   string, raw string and character literals are skipped, so braces in
//!   them do not count) and tracks the blocks of items carrying a test
//!   attribute. Its limits: it does not expand macros (a test written by
//!   a macro is not seen), it knows only the attributes `#[test]`,
//!   `#[cfg(test)]`, `#[cfg(all(test, …))]` and `#[…::test]` (such as
//!   `#[tokio::test]`), and a lifetime next to a brace (`'a}`) can be read
//!   as a character literal; a wrong guess only changes an error into a
//!   warning for the generic and key rules, which are still reported.

/// Folder names that hold tests, fixtures or benchmarks. `examples` is not
/// one: examples are copied into real programs.
const TEST_DIRS: &[&str] = &[
    "tests",
    "test",
    "testdata",
    "test-data",
    "test_data",
    "fixtures",
    "benches",
];

/// Whether `path` (`/`- or `\`-separated) is a test file or lies in a test
/// folder: a component in [`TEST_DIRS`], or a file named `tests.rs`,
/// `test.rs`, `*_test.*`, `*_tests.*` or `test_*.*`.
pub fn is_test_path(path: &str) -> bool {
    let mut components = path.split(['/', '\\']).filter(|c| !c.is_empty());
    let Some(name) = components.next_back() else {
        return false;
    };
    if components.any(|c| TEST_DIRS.contains(&c)) {
        return true;
    }
    let stem = name.split_once('.').map_or(name, |(stem, _)| stem);
    name.contains('.')
        && (stem == "tests"
            || stem == "test"
            || stem.ends_with("_test")
            || stem.ends_with("_tests")
            || stem.starts_with("test_"))
}

/// Whether byte `at` of the Rust source `text` lies inside an item marked
/// `#[test]` or `#[cfg(test)]` (its body, or the attribute's item up to its
/// `;` when it has no body). See the module documentation for its limits.
pub fn in_test_item(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let end = at.min(bytes.len());
    // Depths at which a test item's block is open; a test attribute waits
    // for its item's `{` or `;` at `pending`.
    let mut open: Vec<usize> = Vec::new();
    let mut pending: Option<usize> = None;
    let mut depth = 0usize;
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = find_from(bytes, i, b"\n").unwrap_or(bytes.len());
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = find_from(bytes, i + 2, b"*/").map_or(bytes.len(), |j| j + 2);
            }
            b'"' => i = skip_string(bytes, i + 1),
            b'r' if is_raw_string(bytes, i) => {
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                let close = format!("\"{}", "#".repeat(hashes)).into_bytes();
                let from = i + 2 + hashes;
                i = find_from(bytes, from, &close).map_or(bytes.len(), |j| j + close.len());
            }
            b'\'' => i = skip_char(bytes, i),
            // `#![cfg(test)]` at the top of a file: all of it is test code.
            b'#' if bytes[i + 1..].starts_with(b"![") => {
                let close = find_from(bytes, i, b"]").unwrap_or(bytes.len());
                if depth == 0 && is_test_attribute(&text[i + 1..close.min(text.len())]) {
                    return true;
                }
                i += 3;
            }
            b'#' if bytes.get(i + 1) == Some(&b'[') => {
                let close = find_from(bytes, i, b"]").unwrap_or(bytes.len());
                if pending.is_none() && is_test_attribute(&text[i..close.min(text.len())]) {
                    pending = Some(depth);
                }
                i += 2;
            }
            b'{' => {
                if pending == Some(depth) {
                    open.push(depth);
                    pending = None;
                }
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if open.last() == Some(&depth) {
                    open.pop();
                }
                i += 1;
            }
            b';' => {
                if pending == Some(depth) {
                    pending = None;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    // Inside a string, comment or literal that started before `at`: the
    // scan stopped past `at`, with the state of the code around it.
    !open.is_empty() || pending.is_some()
}

fn is_test_attribute(attribute: &str) -> bool {
    let inner: String = attribute
        .trim_start_matches('#')
        .trim_start_matches('!')
        .trim_start_matches('[')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    inner == "test"
        || inner.ends_with("::test")
        || inner.starts_with("cfg(test)")
        || inner.starts_with("cfg(all(test,")
}

fn find_from(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|j| from + j)
}

/// Past the closing quote of a string whose content starts at `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `r"`, `r#"`, `br"`…: an `r` not inside an identifier, then `#`s and `"`.
fn is_raw_string(bytes: &[u8], i: usize) -> bool {
    let before = i.checked_sub(1).map(|j| bytes[j]);
    let starts_token = match before {
        Some(b'b') => i < 2 || !is_ident(bytes[i - 2]),
        Some(b) => !is_ident(b),
        None => true,
    };
    let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
    starts_token && bytes.get(i + 1 + hashes) == Some(&b'"')
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Past a character literal at `i` (`'x'`, `'\n'`, `'\u{..}'`), or past
/// the quote of a lifetime.
fn skip_char(bytes: &[u8], i: usize) -> usize {
    if bytes.get(i + 1) == Some(&b'\\') {
        return find_from(bytes, i + 2, b"'").map_or(bytes.len(), |j| j + 1);
    }
    // One character of up to 4 bytes, then the closing quote.
    let width = match bytes.get(i + 1) {
        Some(&b) if b >= 0xF0 => 4,
        Some(&b) if b >= 0xE0 => 3,
        Some(&b) if b >= 0xC0 => 2,
        _ => 1,
    };
    if bytes.get(i + 1 + width) == Some(&b'\'') {
        i + 2 + width
    } else {
        i + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_folders_and_file_names_are_test_context() {
        for path in [
            "tests/keys.rs",
            "demo-1.0.0/tests/data/id_rsa",
            "src/test/mod.rs",
            "testdata/key.pem",
            "benches/fixtures/x",
            "src/tls_test.go",
            "src/url_tests.rs",
            "src/test_auth.py",
            "src/connection/tests.rs",
            "a\\fixtures\\b.pem",
        ] {
            assert!(is_test_path(path), "{path}");
        }
        for path in [
            "src/lib.rs",
            "examples/client.rs",
            "src/testing.rs",
            "src/latest/key.pem",
            "contest/a.rs",
            "tests",
            "src/attestation.rs",
        ] {
            assert!(!is_test_path(path), "{path}");
        }
    }

    fn in_test(text: &str, needle: &str) -> bool {
        in_test_item(text, text.find(needle).unwrap())
    }

    #[test]
    fn values_inside_test_modules_and_functions_are_test_context() {
        let text = "pub const A: &str = \"OUTSIDE1\";\n\
            #[cfg(test)]\n\
            mod tests {\n\
            \x20   const S: &str = \"}}}\"; // }\n\
            \x20   const C: char = '}';\n\
            \x20   fn f<'a>(x: &'a str) -> &'a str { x }\n\
            \x20   const R: &str = r#\"}\" }\"#;\n\
            \x20   /* } */\n\
            \x20   const K: &str = \"INSIDE1\";\n\
            }\n\
            pub const B: &str = \"OUTSIDE2\";\n\
            #[test]\n\
            fn t() {\n\
            \x20   let key = \"INSIDE2\";\n\
            }\n\
            #[tokio::test]\n\
            async fn u() { let key = \"INSIDE3\"; }\n\
            #[cfg(test)]\n\
            const KEY: &str = \"INSIDE4\";\n\
            #[cfg(test)]\n\
            mod other;\n\
            pub const C: &str = \"OUTSIDE3\";\n\
            #[cfg(not(test))]\n\
            mod real { const K: &str = \"OUTSIDE4\"; }\n";
        for inside in ["INSIDE1", "INSIDE2", "INSIDE3", "INSIDE4"] {
            assert!(in_test(text, inside), "{inside}");
        }
        for outside in ["OUTSIDE1", "OUTSIDE2", "OUTSIDE3", "OUTSIDE4"] {
            assert!(!in_test(text, outside), "{outside}");
        }
    }

    #[test]
    fn an_inner_cfg_test_attribute_makes_the_file_test_code() {
        let text = "//! Tests.\n#![cfg(test)]\nconst K: &str = \"INSIDE\";\n";
        assert!(in_test(text, "INSIDE"));
        assert!(!in_test("#![allow(x)]\nconst K: &str = \"OUT\";", "OUT"));
    }

    #[test]
    fn unterminated_literals_and_offsets_past_the_end_do_not_panic() {
        for text in ["#[cfg(test)] mod t { \"", "r#\"", "'", "#[", "/*", "'\\"] {
            for at in 0..=text.len() + 1 {
                in_test_item(text, at);
            }
        }
    }
}
