//! Output: every format is a sibling here, fed the same [`Report`].
//!
//! - [`human`]: rustc-style diagnostics through annotate-snippets, then a
//!   cargo-style summary per package (stderr, like cargo);
//! - [`short`]: one line per finding, `path:line:col: level[rule]: message`;
//! - [`json`]: the machine-readable contract of `shared/docs/json-output.md`
//!   (stdout, one object per line);
//! - [`sarif`]: a SARIF 2.1.0 log for code scanning (stdout);
//! - [`github`]: GitHub Actions workflow commands, one annotation a finding
//!   (stdout);
//! - [`cargo_json`]: cargo's JSON messages (`compiler-message` with a rustc
//!   diagnostic, then `build-finished`) for editors and bacon (stdout).
//! - [`markdown`]: not a report format: `--explain`'s Markdown laid out
//!   for a terminal.
//!
//! Nothing here sees an unredacted value it could print: findings carry
//! their redacted form, and source lines are shown through [`masked_window`],
//! which hides every finding's value in the lines it returns.
//! Behind these per-finding masks, every byte written passes the output
//! boundary ([`crate::output`]), which masks whatever a detector recognises
//! on its own; paths and names from the input are escaped here, where they
//! enter a message ([`relative`], [`crate::diagnostic::escape_input`]).

pub mod cargo_json;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod short;

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{escape_input, Finding, Position};
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
    /// The displayed text: whole lines (or, on a long line, the part
    /// around the span between `…` marks), values masked.
    pub text: String,
    /// 1-based number of its first line.
    pub first_line: usize,
    /// Characters of the first line left out before the window (a long
    /// line is cut around the span): add them to a column in the window to
    /// get the column in the file.
    pub columns_cut: usize,
    /// Each masked value: its range in the file, where its mask starts in
    /// `text`, and the mask's byte offset for each of its characters.
    masks: Vec<(Range<usize>, usize, Vec<usize>)>,
    /// Byte offset in the file where the window starts.
    window_start: usize,
    /// Bytes of the `…` mark at the start of `text` (0 or 3).
    mark: usize,
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
        ((offset.saturating_sub(self.window_start) + self.mark) as isize + shift) as usize
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

/// The values a file's output must hide, (range, redacted form), sorted by
/// where they start, so the ones in a window are found without going
/// through them all: a file with thousands of findings on one line is
/// rendered in time linear in its findings, not quadratic.
#[derive(Default)]
pub struct FileValues<'a> {
    values: Vec<(Range<usize>, &'a str)>,
    /// The largest end among `values[..=i]`.
    max_end: Vec<usize>,
}

impl<'a> FileValues<'a> {
    pub fn new(values: impl IntoIterator<Item = (Range<usize>, &'a str)>) -> Self {
        let mut values: Vec<(Range<usize>, &'a str)> =
            values.into_iter().filter(|(r, _)| !r.is_empty()).collect();
        values.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        let max_end = values
            .iter()
            .scan(0, |max, (r, _)| {
                *max = r.end.max(*max);
                Some(*max)
            })
            .collect();
        FileValues { values, max_end }
    }

    /// The findings of a file that have a range.
    pub fn of(findings: &[&'a Finding]) -> Self {
        FileValues::new(
            findings
                .iter()
                .filter_map(|f| Some((f.range.clone()?, f.redacted.as_str()))),
        )
    }

    /// The values that overlap `start..end`, sorted.
    fn overlapping(&self, start: usize, end: usize) -> Vec<(Range<usize>, &'a str)> {
        let upto = self.values.partition_point(|(r, _)| r.start < end);
        let from = self.max_end[..upto].partition_point(|&e| e <= start);
        self.values[from..upto]
            .iter()
            .filter(|(r, _)| r.end > start)
            .cloned()
            .collect()
    }
}

/// A line longer than this many bytes is cut around the span it shows.
const LONG_LINE: usize = 400;
/// Bytes kept on each side of the span on a cut line.
const CONTEXT: usize = 100;

/// The lines of `text` from the line holding `range.start` to the line
/// holding `range.end`, with every value of `values` that lies in them
/// masked. `position` is the position of `range.start`, if the caller knows it
/// (it saves counting lines and characters from the start of the file or
/// line: thousands of findings on one long line stay linear).
pub fn masked_window(
    text: &str,
    range: Range<usize>,
    values: &FileValues<'_>,
    position: Option<Position>,
) -> MaskedWindow {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let ceil = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let range_start = floor(range.start);
    // The line's start, looked for no further back than a long line.
    let back = floor(range_start.saturating_sub(LONG_LINE));
    // Whether the line is cut before the window, and how many of its
    // characters are left out then.
    let (start, chars_cut) = match text[back..range_start].rfind('\n') {
        Some(i) => (back + i + 1, 0),
        None if back == 0 => (0, 0),
        None => {
            let start = floor(range_start.saturating_sub(CONTEXT));
            let cut = match position {
                Some(p) => (p.column - 1).saturating_sub(text[start..range_start].chars().count()),
                None => {
                    let line_start = text[..back].rfind('\n').map_or(0, |i| i + 1);
                    text[line_start..start].chars().count()
                }
            };
            (start, cut)
        }
    };
    let end_from = ceil(range.end.max(range_start));
    let ahead = ceil(end_from.saturating_add(LONG_LINE));
    let end = match text[end_from..ahead].find('\n') {
        Some(i) => end_from + i,
        None if ahead == text.len() => text.len(),
        None => ceil(end_from + CONTEXT),
    };
    let line_end_cut = end < text.len() && text.as_bytes()[end] != b'\n';
    // Never show a value that continues past the window: each is cut to
    // it and masked whole.
    let values = values.overlapping(start, end);

    let mark = if chars_cut > 0 { "…" } else { "" };
    let mut shown = String::with_capacity(end - start + 8);
    shown.push_str(mark);
    let mut masks = Vec::new();
    let mut value_chars = Vec::new();
    let mut at = start;
    for (r, redacted) in values {
        if r.end <= at {
            continue; // inside a value already masked
        }
        // A value that starts inside one already masked, or before the
        // window, is masked from there: the union is hidden.
        let r = r.start.max(at)..r.end.min(end);
        if r.is_empty() || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
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
    if line_end_cut {
        shown.push('…');
    }
    let first_line = position.map(|p| p.line).unwrap_or_else(|| {
        text.as_bytes()[..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    });
    MaskedWindow {
        first_line,
        columns_cut: chars_cut.saturating_sub(1),
        text: shown,
        masks,
        window_start: start,
        mark: mark.len(),
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
            byte_region: None,
            message: String::new(),
            label: String::new(),
            redacted: "https://u:…@h".into(),
            notes: vec![],
            help: None,
            fix: None,
            digest: crate::diagnostic::ValueDigest::of(b""),
        };
        let window = masked_window(text, start..end, &FileValues::of(&[&finding]), None);
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

#[cfg(test)]
mod window_tests {
    use super::*;

    #[test]
    fn a_value_starting_inside_a_masked_one_is_masked_to_its_end() {
        // An email overlapping a URL credential: the password after the
        // email's end must be hidden too (the union of both values).
        // Split so this source holds no URL with a password.
        let text = [
            "x zqxjvbkw@gmail.cops://deploy:Qx7vR2mK9pLw",
            "@git.corp.net/r.git y",
        ]
        .concat();
        let text = text.as_str();
        let email = text.find("zqx").unwrap()..text.find(".cops").unwrap() + 5;
        let url = text.find("cops").unwrap()..text.find("@git").unwrap();
        let values = FileValues::new([
            (email.clone(), "zqxj…@gmail.cops"),
            (url, "cops://deploy:…"),
        ]);
        let window = masked_window(text, email, &values, None);
        assert!(!window.text.contains("Qx7vR2"), "{}", window.text);
        assert!(
            window.text.ends_with("@git.corp.net/r.git y"),
            "{}",
            window.text
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_span_and_columns_stay_true() {
        let line: String = (0..2000).map(|i| format!("w{i} ")).collect();
        let start = line.find("w1000 ").unwrap();
        let window = masked_window(&line, start..start + 5, &FileValues::default(), None);
        assert!(window.text.len() < 3 * CONTEXT, "{}", window.text.len());
        assert!(window.text.starts_with('…') && window.text.ends_with('…'));
        let span = window.map_range(&(start..start + 5));
        assert_eq!(&window.text[span.clone()], "w1000");
        let shown_column = window.text[..span.start].chars().count() + 1;
        assert_eq!(shown_column + window.columns_cut, start + 1);
    }
}
