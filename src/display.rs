//! How paths and counts are written in messages: a path relative to the
//! folder the user is in, `/`-separated and escaped; "1 file", "2 files".
//! A leaf under [`crate::diagnostic`]: configuration, baselines, the engine
//! and the renderers all write these.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::escape_input;

/// `path` relative to `base` (with `..` where needed), `/`-separated. A
/// path that is already relative is shown as it is: it is a file inside a
/// `.crate` (`name-version/src/lib.rs`) or a path as the user gave it.
///
/// The result is for display: control characters in the path (which come
/// from the input: file and archive entry names) are escaped
/// ([`escape_input`]).
pub fn relative(path: &Path, base: &Path) -> String {
    escape_input(&relative_raw(path, base)).into_owned()
}

fn relative_raw(path: &Path, base: &Path) -> String {
    if path.is_relative() {
        return path.to_string_lossy().replace('\\', "/");
    }
    let path = normalize(path);
    let base = normalize(base);
    let common = path
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = Vec::new();
    if common == 0 && path.is_absolute() {
        return path.to_string_lossy().replace('\\', "/");
    }
    for _ in base.components().skip(common) {
        parts.push("..".to_owned());
    }
    for c in path.components().skip(common) {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// Removes `.` and folds `..` lexically (paths from cargo are absolute).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The counts a package or a whole run ends with.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The nearest character boundary of `text` at or before `i` (clamped to
/// its length): where a byte offset from a parser or a cut may land.
pub fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The nearest character boundary of `text` at or after `i` (clamped to
/// its length).
pub fn ceil_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_round_to_whole_characters_inside_the_text() {
        let text = "aé"; // `é` is bytes 1..3
        assert_eq!(floor_char_boundary(text, 2), 1);
        assert_eq!(ceil_char_boundary(text, 2), 3);
        assert_eq!(floor_char_boundary(text, 99), 3);
        assert_eq!(ceil_char_boundary(text, 1), 1);
    }
}
