//! Output: every format is a sibling here, fed the same [`Report`].
//!
//! - [`human`]: rustc-style diagnostics through annotate-snippets, then a
//!   cargo-style summary per package (stderr, like cargo);
//! - [`short`]: one line per finding, `path:line:col: level[rule]: message`;
//! - [`json`]: the machine-readable contract of `shared/docs/json-output.md`
//!   (stdout, one object per line);
//! - [`sarif`]: a SARIF 2.1.0 log for code scanning (stdout);
//! - [`github`]: GitHub Actions workflow commands, one annotation a finding
//!   (stdout).
//!
//! Nothing here sees an unredacted value it could print: findings carry
//! their redacted form, and source lines are shown through [`masked_window`],
//! which hides every finding's value in the lines it returns.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod short;

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{escape_input, Finding};
use crate::scan::Report;
use crate::workspace::Selection;

/// What every renderer needs besides the report.
pub struct Context<'a> {
    /// Paths are shown relative to this folder.
    pub cwd: &'a Path,
    pub selection: &'a Selection,
    pub verbose: u8,
    pub quiet: bool,
    pub elapsed: std::time::Duration,
}

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

/// The folder that CI formats (SARIF, GitHub annotations) make paths
/// relative to, since code scanning and the Actions runner resolve them
/// against the checkout: the git work tree holding the workspace, that is
/// the nearest folder at or above the workspace root with a `.git` entry (a
/// folder, or the file of a linked worktree or submodule), else the
/// workspace root itself. Found without running git, which may be missing.
pub fn repository_root(workspace_root: &Path) -> &Path {
    workspace_root
        .ancestors()
        .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
        .unwrap_or(workspace_root)
}

/// Removes `.` and folds `..` lexically (paths from cargo are absolute).
fn normalize(path: &Path) -> PathBuf {
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

/// A window of source lines with every finding's value masked.
pub struct MaskedWindow {
    /// The displayed text: whole lines, values masked.
    pub text: String,
    /// 1-based number of its first line.
    pub first_line: usize,
    /// Each masked value: its range in the file, where its mask starts in
    /// `text`, and the mask's byte offset for each of its characters.
    masks: Vec<(Range<usize>, usize, Vec<usize>)>,
    /// Byte offset in the file where the window starts.
    window_start: usize,
    /// Character count of each masked value's prefix up to each byte, kept
    /// as the value's char boundaries in the file.
    value_chars: Vec<Vec<usize>>,
}

impl MaskedWindow {
    /// Byte offset in `text` of byte `offset` of the original file. Masks
    /// have as many characters as the values they hide, so an offset inside
    /// a value maps to the same character of its mask.
    pub fn map(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for ((range, shown_start, mask_chars), value_chars) in
            self.masks.iter().zip(&self.value_chars)
        {
            if offset >= range.end {
                let mask_len = mask_chars.last().copied().unwrap_or(0);
                shift += mask_len as isize - range.len() as isize;
            } else if offset > range.start {
                let k = value_chars.partition_point(|&b| b < offset - range.start);
                return shown_start + mask_chars[k.min(mask_chars.len() - 1)];
            } else {
                break;
            }
        }
        ((offset - self.window_start) as isize + shift) as usize
    }

    pub fn map_range(&self, range: &Range<usize>) -> Range<usize> {
        self.map(range.start)..self.map(range.end)
    }
}

/// How a value is shown inside a source line: the visible ends of its
/// redacted form, the hidden middle as `•`, the same number of characters as
/// the original, so columns and underlines stay true to the file.
pub fn mask(original: &str, redacted: &str) -> String {
    let len = original.chars().count();
    let (head, tail) = redacted.split_once('…').unwrap_or(("", ""));
    let (head_len, tail_len) = (head.chars().count(), tail.chars().count());
    // The visible ends must be the value's own ends, or nothing is kept. The
    // redacted form is safe to show by definition, so when its ends cover
    // all of what is shown (a key's BEGIN line), that is shown.
    if head_len + tail_len <= len && original.starts_with(head) && original.ends_with(tail) {
        format!("{head}{}{tail}", "•".repeat(len - head_len - tail_len))
    } else {
        "•".repeat(len)
    }
}

/// The lines of `text` from the line holding `range.start` to the line
/// holding `range.end`, with every finding of `in_file` that lies in them
/// masked.
pub fn masked_window(text: &str, range: Range<usize>, in_file: &[&Finding]) -> MaskedWindow {
    let values: Vec<(Range<usize>, &str)> = in_file
        .iter()
        .filter_map(|f| Some((f.range.clone()?, f.redacted.as_str())))
        .collect();
    masked_window_with(text, range, values)
}

/// [`masked_window`] over any values: (range in `text`, redacted form).
pub fn masked_window_with(
    text: &str,
    range: Range<usize>,
    values: Vec<(Range<usize>, &str)>,
) -> MaskedWindow {
    let start = text[..range.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end_from = range.end.max(range.start).min(text.len());
    let end = text[end_from..]
        .find('\n')
        .map_or(text.len(), |i| end_from + i);
    // Never show a value that continues past the window's last line.
    let mut values: Vec<(Range<usize>, &str)> = values
        .into_iter()
        .filter(|(r, _)| r.start < end && start < r.end && !r.is_empty())
        .collect();
    values.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));

    let mut shown = String::with_capacity(end - start);
    let mut masks = Vec::new();
    let mut value_chars = Vec::new();
    let mut at = start;
    for (r, redacted) in values {
        if r.start < at {
            continue; // inside a value already masked
        }
        let r = r.start..r.end.min(end);
        shown.push_str(&text[at..r.start]);
        let value = &text[r.clone()];
        let masked = mask(value, redacted);
        // Byte offsets of each character, plus the end, in value and mask.
        let offsets =
            |s: &str| -> Vec<usize> { s.char_indices().map(|(i, _)| i).chain([s.len()]).collect() };
        masks.push((r.clone(), shown.len(), offsets(&masked)));
        value_chars.push(offsets(value));
        shown.push_str(&masked);
        at = r.end;
    }
    shown.push_str(&text[at..end]);
    MaskedWindow {
        first_line: text[..start].matches('\n').count() + 1,
        text: shown,
        masks,
        window_start: start,
        value_chars,
    }
}

/// The counts a package or a whole run ends with.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Total figures for the summary of a run.
pub struct Totals {
    /// Packages checked, or archives for `--crate`.
    pub packages: usize,
    /// `"archive"` for a run over `.crate` archives, else `"package"`.
    pub unit: &'static str,
    pub files_scanned: usize,
    pub bytes_scanned: u64,
}

impl Totals {
    pub fn of(report: &Report) -> Totals {
        let archives =
            !report.failures.is_empty() || report.packages.iter().any(|p| p.archive.is_some());
        Totals {
            unit: if archives { "archive" } else { "package" },
            packages: report.packages.len(),
            files_scanned: report.packages.iter().map(|p| p.files_scanned).sum(),
            bytes_scanned: report.packages.iter().map(|p| p.bytes_scanned).sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_use_dot_dot_and_slashes() {
        assert_eq!(
            relative(Path::new("/a/b/c.toml"), Path::new("/a")),
            "b/c.toml"
        );
        assert_eq!(
            relative(Path::new("/a/x/c.toml"), Path::new("/a/b")),
            "../x/c.toml"
        );
        assert_eq!(relative(Path::new("/a/b/../c"), Path::new("/a")), "c");
    }

    #[test]
    fn offsets_inside_a_masked_value_map_to_the_same_character() {
        let text = &["a\nurl = \"https://u:", "pässwörd@h\"\nz"].concat();
        let start = text.find("https").unwrap();
        let end = text.find("@h").unwrap() + 2;
        let finding = crate::diagnostic::Finding {
            rule: &crate::rules::url_credentials::URL_CREDENTIALS,
            level: crate::diagnostic::Level::Error,
            package: String::new(),
            path: PathBuf::new(),
            archive_path: String::new(),
            range: Some(start..end),
            start: None,
            end: None,
            message: String::new(),
            label: String::new(),
            redacted: "https://u:…@h".into(),
            notes: vec![],
            help: None,
            fix: None,
            digest: crate::diagnostic::ValueDigest::of(b""),
        };
        let window = masked_window(text, start..end, &[&finding]);
        assert_eq!(window.text, "url = \"https://u:••••••••@h\"");
        assert_eq!(window.first_line, 2);
        let user = text.find("u:").unwrap();
        let at = text.find("@h").unwrap();
        let shown = window.map_range(&(user..at + 1));
        assert_eq!(&window.text[shown], "u:••••••••@");
        let after = window.map(end);
        assert_eq!(&window.text[after..], "\"");
    }

    #[test]
    fn masks_keep_length_and_hide_the_middle() {
        assert_eq!(mask("jane@gmail.com", "ja…@gmail.com"), "ja••@gmail.com");
        assert_eq!(mask("ghp_abcdef", "ghp_…"), "ghp_••••••");
        assert_eq!(mask("ab", "abc…"), "••");
        assert_eq!(
            mask("-----BEGIN X-----", "-----BEGIN X-----…"),
            "-----BEGIN X-----"
        );
        assert_eq!(mask("secret", "other…"), "••••••");
    }
}
