//! Output: every format is a sibling here, fed the same [`Report`].
//!
//! - [`human`]: rustc-style diagnostics through annotate-snippets, then a
//!   cargo-style summary per package (stderr, like cargo);
//! - [`short`]: one line per diagnostic, `path:line:col: level[rule]: message`;
//!
//! (the human and short formats show one [`Diagnostic`] per value of a rule
//! in a file, however often it occurs; the formats below are for machines
//! and keep one object per occurrence)
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
pub mod fixes;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod short;

pub use crate::diagnostic::mask;
pub use crate::display::{plural, relative};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{Finding, Position, Severity};
use crate::display::{ceil_char_boundary, floor_char_boundary};
use crate::report::{Counts, Excerpt, Report};
use crate::workspace::Selection;

/// What every renderer needs besides the report.
pub struct Context<'a> {
    /// Paths are shown relative to this folder.
    pub cwd: &'a Path,
    pub selection: &'a Selection,
    pub verbose: u8,
    pub quiet: bool,
    pub elapsed: std::time::Duration,
    /// Columns the human format fits its snippets to: the terminal's
    /// width when stderr is one, else [`DEFAULT_WIDTH`].
    pub width: usize,
}

/// The width snippets are fitted to when stderr is not a terminal
/// (annotate-snippets' own default).
pub const DEFAULT_WIDTH: usize = 140;

/// The width of the terminal stderr is, or [`DEFAULT_WIDTH`].
pub fn stderr_width() -> usize {
    use std::io::IsTerminal;
    let stderr = std::io::stderr();
    if !stderr.is_terminal() {
        return DEFAULT_WIDTH;
    }
    terminal_size::terminal_size_of(stderr).map_or(DEFAULT_WIDTH, |(w, _)| usize::from(w.0).max(40))
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
    /// Byte offset in the file where the window ends.
    window_end: usize,
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

    /// Whether the bytes `range` of the file are all in the window.
    pub fn covers(&self, range: &Range<usize>) -> bool {
        self.window_start <= range.start && range.end <= self.window_end
    }

    pub fn map_range(&self, range: &Range<usize>) -> Range<usize> {
        self.map(range.start)..self.map(range.end)
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

/// What output shows of one excerpt of a file ([`crate::report::Source`]):
/// its text, and the values in it to hide, sorted once for every snippet
/// cut from it.
pub struct Shown<'r> {
    pub excerpt: &'r Excerpt,
    pub values: FileValues<'r>,
}

impl<'r> Shown<'r> {
    pub fn new(excerpt: &'r Excerpt) -> Self {
        Shown {
            excerpt,
            values: FileValues::new(excerpt.hide.iter().map(|(r, s)| (r.clone(), s.as_str()))),
        }
    }

    pub fn text(&self) -> &'r str {
        &self.excerpt.text
    }

    /// A range of the file as a range of this excerpt's text.
    pub fn local(&self, range: &Range<usize>) -> Option<Range<usize>> {
        self.excerpt.local(range)
    }
}

/// Every excerpt of a report's sources, ready to show, by file.
pub struct ShownFiles<'r> {
    files: HashMap<&'r Path, Vec<Shown<'r>>>,
}

impl<'r> ShownFiles<'r> {
    pub fn of(report: &'r Report) -> Self {
        let mut files = HashMap::new();
        for package in &report.packages {
            for (path, source) in &package.sources {
                files
                    .entry(path.as_path())
                    .or_insert_with(|| source.excerpts.iter().map(Shown::new).collect());
            }
        }
        ShownFiles { files }
    }

    /// The excerpt of `path` that holds `range`.
    pub fn holding(&self, path: &Path, range: &Range<usize>) -> Option<&Shown<'r>> {
        let shown = self.files.get(path)?;
        let i = shown.partition_point(|s| s.excerpt.start + s.excerpt.text.len() < range.start);
        shown.get(i).filter(|s| s.local(range).is_some())
    }

    /// The excerpt of `path` that starts at its first byte (a manifest is
    /// kept whole).
    pub fn whole(&self, path: &Path) -> Option<&Shown<'r>> {
        self.files
            .get(path)?
            .first()
            .filter(|s| s.excerpt.start == 0)
    }
}

/// A line longer than this many bytes is cut around the span it shows.
const LONG_LINE: usize = 400;
/// Bytes kept on each side of the span on a cut line.
const CONTEXT: usize = 100;

/// Appends `text[start..end]` to `shown` up to its last value, every value
/// of `values` in it masked ([`mask`]); returns, per value, its range in
/// `text`, where its mask starts in `shown` and the byte offsets of the
/// mask's characters; the byte offsets of each value's characters; and
/// where in `text` the unmasked rest starts.
#[allow(clippy::type_complexity)]
fn mask_into(
    shown: &mut String,
    text: &str,
    start: usize,
    end: usize,
    values: &FileValues<'_>,
) -> (
    Vec<(Range<usize>, usize, Vec<usize>)>,
    Vec<Vec<usize>>,
    usize,
) {
    let mut masks = Vec::new();
    let mut value_chars = Vec::new();
    let mut at = start;
    for (r, redacted) in values.overlapping(start, end) {
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
    (masks, value_chars, at)
}

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
    let floor = |i: usize| floor_char_boundary(text, i);
    let ceil = |i: usize| ceil_char_boundary(text, i);
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
    // it and masked whole ([`mask_into`]).

    let mark = if chars_cut > 0 { "…" } else { "" };
    let mut shown = String::with_capacity(end - start + 8);
    shown.push_str(mark);
    let (masks, value_chars, at) = mask_into(&mut shown, text, start, end, values);
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
        window_end: end,
        mark: mark.len(),
        value_chars,
    }
}

/// One diagnostic of the human and short formats: the occurrences of one
/// rule in one file that are reported together. A value repeated through a
/// file is one diagnostic (shown at its first occurrence, the others
/// counted and listed by line), and values of the same rule that first
/// appear on the same line are one diagnostic with a label each.
///
/// Values are told apart by their [`crate::diagnostic::ValueDigest`], never
/// by the text kept for display. JSON and SARIF still carry one object per
/// occurrence: grouping is for a person reading.
pub struct Diagnostic<'a> {
    /// The first occurrence: its level, message and snippet lead.
    pub first: &'a Finding,
    /// Other occurrences on the first one's line (other values of the rule,
    /// or the same value again), labelled in the same snippet.
    pub same_line: Vec<&'a Finding>,
    /// The other occurrences, in file order.
    pub more: Vec<&'a Finding>,
}

impl Diagnostic<'_> {
    pub fn occurrences(&self) -> usize {
        1 + self.same_line.len() + self.more.len()
    }

    /// Every occurrence, the first one first.
    pub fn all(&self) -> impl Iterator<Item = &Finding> {
        std::iter::once(self.first)
            .chain(self.same_line.iter().copied())
            .chain(self.more.iter().copied())
    }
}

/// A package's findings (sorted by file, then position) as diagnostics, in
/// the order of their first occurrences.
pub fn diagnostics(findings: &[Finding]) -> Vec<Diagnostic<'_>> {
    use std::collections::HashMap;
    type ValueKey<'a> = (&'static str, &'a Path, crate::diagnostic::ValueDigest);
    let mut by_value: HashMap<ValueKey<'_>, usize> = HashMap::new();
    let mut by_line: HashMap<(&'static str, &Path, usize), usize> = HashMap::new();
    let mut out: Vec<Diagnostic<'_>> = Vec::new();
    for f in findings {
        let value = (f.rule.name, f.path.as_path(), f.digest);
        let line = f.start.map(|s| (f.rule.name, f.path.as_path(), s.line));
        let joined = by_value
            .get(&value)
            .or_else(|| line.and_then(|l| by_line.get(&l)))
            .copied();
        match joined {
            Some(i) => {
                let d = &mut out[i];
                if f.start.is_some() && f.start.map(|s| s.line) == d.first.start.map(|s| s.line) {
                    d.same_line.push(f);
                } else {
                    d.more.push(f);
                }
                by_value.entry(value).or_insert(i);
            }
            None => {
                by_value.insert(value, out.len());
                if let Some(line) = line {
                    by_line.insert(line, out.len());
                }
                out.push(Diagnostic {
                    first: f,
                    same_line: Vec::new(),
                    more: Vec::new(),
                });
            }
        }
    }
    out
}

/// `and N more occurrences in this file (V other values), on lines a, b, c
/// and K other lines`, for the occurrences `others` no label shows: the
/// values are those not among the labelled ones (`shown`), and the line
/// list stops after ten lines.
pub fn more_occurrences(shown: &[&Finding], others: &[&Finding]) -> Option<String> {
    if others.is_empty() {
        return None;
    }
    let shown: std::collections::HashSet<_> = shown.iter().map(|f| f.digest).collect();
    let values: std::collections::HashSet<_> = others
        .iter()
        .map(|f| f.digest)
        .filter(|d| !shown.contains(d))
        .collect();
    let mut lines: Vec<usize> = others
        .iter()
        .filter_map(|f| f.start.map(|s| s.line))
        .collect();
    lines.dedup();
    let count = plural(others.len(), "more occurrence");
    const SHOWN: usize = 10;
    let listed = lines
        .iter()
        .take(SHOWN)
        .map(usize::to_string)
        .collect::<Vec<_>>();
    let on = match lines.len() {
        0 => String::new(),
        1 => format!(", on line {}", listed[0]),
        n if n <= SHOWN => format!(
            ", on lines {} and {}",
            listed[..n - 1].join(", "),
            listed[n - 1]
        ),
        n => format!(
            ", on lines {} and {}",
            listed.join(", "),
            plural(n - SHOWN, "other line")
        ),
    };
    let values = match values.len() {
        0 => String::new(),
        n => format!(" ({})", plural(n, "other value")),
    };
    Some(format!("and {count} in this file{values}{on}"))
}

/// Whether a note is the "public and permanent" reminder, printed once per
/// rule per run by the human format rather than on every diagnostic.
pub fn is_permanent_note(note: &str) -> bool {
    note.contains("public and permanent")
}

/// The note under the first diagnostic of a rule that `-D warnings` (or
/// `warnings = "deny"`) turned from a warning into an error.
pub fn promoted_note(rule: &str) -> String {
    format!(
        "`{rule}` is a warning made an error by `-D warnings` (or `warnings = \"deny\"` in \
         configuration)"
    )
}

/// A package's counts as the human and short formats show them: each
/// diagnostic counted once, with the occurrences they stand for.
pub fn grouped_counts(
    package: &crate::report::PackageReport,
    diagnostics: &[Diagnostic<'_>],
) -> (Counts, usize) {
    let per_occurrence = package.counts();
    let of_findings = Counts::of(&package.findings);
    let mut counts = Counts {
        errors: per_occurrence.errors - of_findings.errors,
        warnings: per_occurrence.warnings - of_findings.warnings,
        notes: per_occurrence.notes - of_findings.notes,
    };
    let mut occurrences = counts.errors + counts.warnings + counts.notes;
    for d in diagnostics {
        let n = d.occurrences();
        match d.first.level {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Note => counts.notes += 1,
        }
        occurrences += n;
    }
    (counts, occurrences)
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
    use std::path::PathBuf;

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
            level: crate::diagnostic::Severity::Error,
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
            promoted: false,
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
mod grouping_tests {
    use super::*;
    use crate::diagnostic::ValueDigest;
    use std::path::PathBuf;

    fn at(line: usize, value: &[u8]) -> Finding {
        Finding {
            rule: &crate::rules::home_paths::HOME_FOLDER_PATH,
            level: Severity::Warning,
            package: String::new(),
            path: PathBuf::from("f.txt"),
            archive_path: String::new(),
            range: Some(line * 100..line * 100 + 5),
            start: Some(Position { line, column: 1 }),
            end: None,
            message: String::new(),
            label: String::new(),
            redacted: String::new(),
            notes: vec![],
            help: None,
            fix: None,
            digest: ValueDigest::of(value),
            promoted: false,
            byte_region: None,
        }
    }

    #[test]
    fn a_value_is_one_diagnostic_and_values_first_seen_on_one_line_are_one() {
        let findings = [
            at(1, b"a"),
            at(1, b"b"),
            at(2, b"c"),
            at(3, b"a"),
            at(3, b"c"),
            at(4, b"b"),
        ];
        let ds = diagnostics(&findings);
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[0].same_line.len(), 1);
        let more: Vec<usize> = ds[0].more.iter().map(|f| f.start.unwrap().line).collect();
        assert_eq!(more, [3, 4]);
        assert_eq!(ds[1].occurrences(), 2);
    }

    #[test]
    fn the_note_lists_ten_lines_then_counts_the_rest() {
        let findings: Vec<Finding> = (2..=40).map(|l| at(l, b"a")).collect();
        let others: Vec<&Finding> = findings.iter().collect();
        assert_eq!(
            more_occurrences(&[&at(1, b"a")], &others).unwrap(),
            "and 39 more occurrences in this file, on lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 \
             and 29 other lines"
        );
        let two = [at(5, b"a"), at(9, b"b")];
        assert_eq!(
            more_occurrences(&[&at(1, b"a")], &[&two[0], &two[1]]).unwrap(),
            "and 2 more occurrences in this file (1 other value), on lines 5 and 9"
        );
        assert_eq!(more_occurrences(&[], &[]), None);
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
