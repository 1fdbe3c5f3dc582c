//! Applying fixes: the fixes a run found, written by `--fix` or shown by
//! `--dry-run` ([`plan`], [`run`]). The edits themselves are built where
//! findings are made, in [`crate::edits`].
//!
//! What a run applies:
//! - only machine-applicable fixes, plus maybe-incorrect ones when asked
//!   (`--unsafe-fixes`); a fix's edits are accepted all together or not
//!   at all, across files (files are written one after the other: a
//!   failure writing the second leaves the first written);
//! - edits of one file are sorted; a fix with an edit overlapping one of an
//!   already accepted fix is left for the next pass: `--fix` re-scans and
//!   applies again, up to [`MAX_PASSES`] times (cargo fix loops the same
//!   way), so fixes that touch the same array all land in one run;
//! - edits apply to the bytes on disk, after checking that every file to
//!   edit is still what the scan read (a SHA-256 digest); otherwise nothing
//!   is written. A read-only file to edit (mode `0444`) is refused before
//!   anything is written;
//! - each file is written through [`crate::atomic_write`], whose module doc
//!   holds the decisions: the file a symlink names is edited (the link
//!   stays), owner, group, mode and hard links are kept (rename of a
//!   complete temporary file, or a write in place when a rename would lose
//!   one of them), and the bytes are read and compared once more just
//!   before the replacement, which leaves a window of two system calls;
//! - the temporary file lives in `target/` next to the manifest (cargo
//!   never packages a package's `target/` unless git tracks files in it),
//!   is named `Cargo.toml.<pid>.privacy-check.tmp`, and one left by a
//!   killed `--fix` is removed at the start of the next `--fix`;
//! - `--dry-run` prints the unified diff instead, with every finding's
//!   value masked as the human output masks it (removed and added text
//!   inside a finding's span included), and writes nothing. A CRLF line
//!   ending is shown as a line ending (no `\r` is printed).
//!
//! Not done here: refusing to edit a file with uncommitted changes (cargo's
//! `--allow-dirty`); that needs the repository's status.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::atomic_write::{self, WriteError};
use crate::diagnostic::{mask, Applicability, Edit, Finding, Fix, ValueDigest};
use crate::display::relative;
use crate::edits::lines;
use crate::engine::{self, ScanOptions};
use crate::inputs::InputError;
use crate::report::{FixOutcome, FixedFile, Report};
use crate::vcs::FileState;
use crate::workspace::Selection;

/// How many times `--fix` applies and re-scans at most.
pub const MAX_PASSES: usize = 10;

/// What `--fix` and `--dry-run` do.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Write the files (`--fix`); otherwise print the diff (`--dry-run`).
    pub write: bool,
    /// Also apply maybe-incorrect fixes (`--unsafe-fixes`).
    pub maybe_incorrect: bool,
    /// Which uncommitted states of a file `--fix` may edit.
    pub vcs: VcsPolicy,
}

/// `cargo fix`'s guard against losing work: a file with changes git has not
/// committed is not edited unless the flag that allows its state is given.
/// Unlike `cargo fix`, which looks at the whole working directory, only the
/// files the fix would edit are asked about: an unrelated dirty file cannot
/// be damaged by an edit to `Cargo.toml`. Ignored files count as clean, as in
/// `cargo fix`; `--allow-dirty` implies `--allow-staged`, as in cargo.
#[derive(Clone, Copy, Debug, Default)]
pub struct VcsPolicy {
    pub allow_dirty: bool,
    pub allow_staged: bool,
    pub allow_no_vcs: bool,
}

impl VcsPolicy {
    /// The files of `paths` this policy refuses to edit, each with its
    /// state (`dirty`, `staged`), or the no-VCS refusal.
    fn check(&self, paths: &[&Path]) -> Result<(), FixError> {
        let mut refused = Vec::new();
        for path in paths {
            let state =
                crate::vcs::file_state(path).map_err(|err| FixError::Vcs(err.to_string()))?;
            let word = match state {
                FileState::Clean | FileState::Ignored => continue,
                FileState::NoVcs if self.allow_no_vcs => continue,
                FileState::NoVcs => return Err(FixError::NoVcs(path.to_path_buf())),
                FileState::Staged if self.allow_staged || self.allow_dirty => continue,
                FileState::Staged => "staged",
                FileState::Modified | FileState::Untracked if self.allow_dirty => continue,
                FileState::Modified | FileState::Untracked => "dirty",
            };
            refused.push(((*path).to_path_buf(), word));
        }
        if refused.is_empty() {
            Ok(())
        } else {
            Err(FixError::Dirty(refused))
        }
    }
}

fn dirty_list(files: &[(PathBuf, &'static str)]) -> String {
    let staged_only = files.iter().all(|(_, w)| *w == "staged");
    let flag = if staged_only {
        "--allow-staged"
    } else {
        "--allow-dirty"
    };
    let list: String = files
        .iter()
        .map(|(p, w)| format!("\n  * {} ({w})", p.display()))
        .collect();
    format!(
        "files to fix have uncommitted changes, and `--fix` could overwrite them; commit them first, or pass `{flag}` to fix them anyway:{list}"
    )
}

#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error("`{}` changed since it was checked; nothing was written (run the check again)", .0.display())]
    Changed(PathBuf),
    #[error("failed to read `{}`: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{}", dirty_list(.0))]
    Dirty(Vec<(PathBuf, &'static str)>),
    #[error("no VCS found for `{}`, and `--fix` could overwrite work that is saved nowhere else; pass `--allow-no-vcs` to fix it anyway", .0.display())]
    NoVcs(PathBuf),
    #[error("cannot tell whether the files to fix have uncommitted changes: {0}")]
    Vcs(String),
}

/// The new content of one file, and what it takes to show the change.
#[derive(Debug)]
pub struct FilePlan {
    pub path: PathBuf,
    pub old: String,
    pub new: String,
    /// How many fixes changed it.
    pub fixes: usize,
    /// Per byte of `old` and `new`: whether it belongs to a finding's value
    /// and must not be shown.
    hidden_old: Vec<bool>,
    hidden_new: Vec<bool>,
    /// Each edit: its byte range in `old`, and that of its replacement in
    /// `new` (sorted, not overlapping).
    edits: Vec<(Range<usize>, Range<usize>)>,
}

/// The fixes one pass applies.
#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<FilePlan>,
    /// Fixes left for a later pass: an edit overlapped an accepted one.
    pub pending: usize,
    /// Maybe-incorrect fixes not applied (without `--unsafe-fixes`).
    pub maybe_incorrect: usize,
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() || b.is_empty() {
        // An insertion conflicts with an edit around it, or another
        // insertion at the same place (their order would be a guess).
        let (point, other) = if a.is_empty() { (a, b) } else { (b, a) };
        return (other.start < point.start && point.start < other.end)
            || (other.is_empty() && other.start == point.start);
    }
    a.start < b.end && b.start < a.end
}

/// A file's accepted edits: (start, end) → replacement.
type Taken = BTreeMap<(usize, usize), String>;

/// Whether `edit` conflicts with an accepted edit: overlaps one that is not
/// the same edit. Accepted edits do not overlap one another, so sorted by
/// start their ends are sorted too: only those ending at or after the new
/// edit's start, and starting at or before its end, are compared.
fn conflicting(taken: &Taken, edit: &Edit) -> bool {
    let (start, end) = (edit.range.start, edit.range.end);
    for (&(s, e), replacement) in taken.range(..=(end, usize::MAX)).rev() {
        if e < start {
            break;
        }
        let same = (s, e) == (start, end) && *replacement == edit.replacement;
        if !same && overlaps(&(s..e), &edit.range) {
            return true;
        }
    }
    false
}

/// The fixes accepted so far in one pass, with the text of every file they
/// edit.
#[derive(Default)]
struct Accepted {
    /// Every file a fix offered so far edits, as read (and checked) once.
    texts: BTreeMap<PathBuf, String>,
    /// Per file, the accepted edits by (start, end): they never overlap, so
    /// a new edit is compared with its neighbours only.
    edits: BTreeMap<PathBuf, Taken>,
    /// Per file, how many accepted fixes edit it.
    fixes_per_file: HashMap<PathBuf, usize>,
}

impl Accepted {
    /// Accepts `fix` if each of its edits fits its file's text and
    /// conflicts with no accepted edit; otherwise it is left for a later
    /// pass (`false`). Reads (and checks) each file the first time a fix
    /// edits it.
    fn offer(&mut self, report: &Report, fix: &Fix) -> Result<bool, FixError> {
        for edit in &fix.edits {
            if !self.texts.contains_key(&edit.path) {
                let text = read_checked(report, &edit.path)?;
                self.texts.insert(edit.path.clone(), text);
            }
        }
        let fits = fix
            .edits
            .iter()
            .all(|edit| fits(&self.texts[&edit.path], &edit.range));
        let conflicts = fix.edits.iter().any(|edit| {
            self.edits
                .get(&edit.path)
                .is_some_and(|taken| conflicting(taken, edit))
        });
        if !fits || conflicts {
            return Ok(false);
        }
        for edit in &fix.edits {
            // The same edit from two fixes is made once.
            self.edits
                .entry(edit.path.clone())
                .or_default()
                .entry((edit.range.start, edit.range.end))
                .or_insert_with(|| edit.replacement.clone());
        }
        let mut paths: Vec<&PathBuf> = fix.edits.iter().map(|e| &e.path).collect();
        paths.dedup();
        for path in paths {
            *self.fixes_per_file.entry(path.clone()).or_default() += 1;
        }
        Ok(true)
    }
}

/// Whether `range` is a range of `text` that an edit can replace: in
/// bounds, not reversed, and on character boundaries.
fn fits(text: &str, range: &Range<usize>) -> bool {
    range.start <= range.end
        && range.end <= text.len()
        && text.is_char_boundary(range.start)
        && text.is_char_boundary(range.end)
}

/// Chooses the fixes of `report` to apply and computes the new files. Reads
/// every file to edit and checks it is what the scan read.
pub fn plan(report: &Report, maybe_incorrect: bool) -> Result<Plan, FixError> {
    let mut plan = Plan::default();
    let findings: Vec<&Finding> = report.packages.iter().flat_map(|p| &p.findings).collect();
    let mut accepted = Accepted::default();
    for fix in findings.iter().filter_map(|f| f.fix.as_ref()) {
        if fix.applicability == Applicability::MaybeIncorrect && !maybe_incorrect {
            plan.maybe_incorrect += 1;
            continue;
        }
        if !accepted.offer(report, fix)? {
            plan.pending += 1;
        }
    }
    let Accepted {
        mut texts,
        edits,
        fixes_per_file,
    } = accepted;
    for (path, edits) in edits {
        let old = texts.remove(&path).unwrap_or_default();
        let fixes = fixes_per_file.get(&path).copied().unwrap_or(0);
        if let Some(file) = file_plan(path, old, &edits, &findings, fixes) {
            plan.files.push(file);
        }
    }
    Ok(plan)
}

/// The new content of the file at `path` once its accepted `edits` are
/// made in `old`, with the bytes of both texts to hide (the values of
/// `findings` in that file, and text an edit puts inside one); `None` when
/// the edits change nothing.
fn file_plan(
    path: PathBuf,
    old: String,
    edits: &Taken,
    findings: &[&Finding],
    fixes: usize,
) -> Option<FilePlan> {
    let mut values: Vec<(Range<usize>, &str)> = findings
        .iter()
        .filter(|f| f.path == path)
        .filter_map(|f| Some((f.range.clone()?, f.redacted.as_str())))
        .collect();
    values.sort_by_key(|(r, _)| (r.start, r.end));
    // The furthest end of the values up to each one, to find in one
    // search whether a value reaches into an edit.
    let reach: Vec<usize> = values
        .iter()
        .scan(0, |max, (r, _)| {
            *max = r.end.max(*max);
            Some(*max)
        })
        .collect();
    let hidden_old = hidden(&old, &values);
    let mut new = String::with_capacity(old.len());
    let mut hidden_new = Vec::with_capacity(old.len());
    let mut at = 0;
    let mut spans = Vec::with_capacity(edits.len());
    for ((start, end), replacement) in edits {
        let (start, end) = (*start, *end);
        new.push_str(&old[at..start]);
        spans.push((start..end, new.len()..new.len() + replacement.len()));
        hidden_new.extend_from_slice(&hidden_old[at..start]);
        // Text put inside a value's span (a value starting before the
        // edit's end and ending after its start) is shown as masked as
        // the value itself.
        let before_end = values.partition_point(|(r, _)| r.start < end.max(start + 1));
        let inside = before_end > 0 && reach[before_end - 1] > start;
        new.push_str(replacement);
        hidden_new.extend(std::iter::repeat_n(inside, replacement.len()));
        at = end;
    }
    new.push_str(&old[at..]);
    hidden_new.extend_from_slice(&hidden_old[at..]);
    if new == old {
        return None;
    }
    Some(FilePlan {
        fixes,
        path,
        old,
        new,
        hidden_old,
        hidden_new,
        edits: spans,
    })
}

/// A file's text, if it is still what the scan read.
fn read_checked(report: &Report, path: &Path) -> Result<String, FixError> {
    let bytes = std::fs::read(path).map_err(|source| FixError::Read {
        path: path.to_owned(),
        source,
    })?;
    if report.manifest_digests.get(path) != Some(&ValueDigest::of(&bytes)) {
        return Err(FixError::Changed(path.to_owned()));
    }
    String::from_utf8(bytes).map_err(|_| FixError::Changed(path.to_owned()))
}

/// Per byte of `text`: whether it is shown masked, as [`mask`] shows each
/// value (the visible ends of its redacted form, the rest hidden).
fn hidden(text: &str, values: &[(Range<usize>, &str)]) -> Vec<bool> {
    let mut hidden = vec![false; text.len()];
    for (range, redacted) in values {
        let Some(value) = text.get(range.clone()) else {
            continue;
        };
        let masked = mask(value, redacted);
        for ((offset, c), shown) in value.char_indices().zip(masked.chars()) {
            if c != shown || c == '•' {
                let start = range.start + offset;
                hidden[start..start + c.len_utf8()].fill(true);
            }
        }
    }
    hidden
}

/// Lines of context around each change in a diff, as `diff -u` prints.
const CONTEXT: usize = 3;

impl FilePlan {
    /// The change as a unified diff (`--- a/PATH`, `+++ b/PATH`, hunks),
    /// with every finding's value masked.
    pub fn diff(&self, shown_path: &str) -> String {
        let old = lines(&self.old);
        let new = lines(&self.new);
        // The lines each edit touches, on both sides: linear in the size
        // of the file, however many edits.
        let changes = changed_blocks(&self.edits, &old, &new);
        let mut out = format!("--- a/{shown_path}\n+++ b/{shown_path}\n");
        let mut i = 0;
        while i < changes.len() {
            // Changes closer than twice the context share a hunk.
            let mut j = i;
            while j + 1 < changes.len()
                && changes[j + 1].old.start <= changes[j].old.end + 2 * CONTEXT
            {
                j += 1;
            }
            let first = &changes[i];
            let last = &changes[j];
            let before = first.old.start.min(CONTEXT);
            let after = (old.len() - last.old.end).min(CONTEXT);
            let old_start = first.old.start - before;
            let new_start = first.new.start - before;
            let old_len = last.old.end + after - old_start;
            let new_len = last.new.end + after - new_start;
            let header_start = |start: usize, len: usize| if len == 0 { start } else { start + 1 };
            out.push_str(&format!(
                "@@ -{},{old_len} +{},{new_len} @@\n",
                header_start(old_start, old_len),
                header_start(new_start, new_len)
            ));
            let mut at = old_start;
            for change in &changes[i..=j] {
                for line in &old[at..change.old.start] {
                    self.push_line(&mut out, ' ', line, Side::Old);
                }
                for line in &old[change.old.clone()] {
                    self.push_line(&mut out, '-', line, Side::Old);
                }
                for line in &new[change.new.clone()] {
                    self.push_line(&mut out, '+', line, Side::New);
                }
                at = change.old.end;
            }
            for line in &old[at..last.old.end + after] {
                self.push_line(&mut out, ' ', line, Side::Old);
            }
            i = j + 1;
        }
        out
    }

    fn push_line(&self, out: &mut String, sign: char, line: &Range<usize>, side: Side) {
        let (text, hidden) = match side {
            Side::Old => (&self.old, &self.hidden_old),
            Side::New => (&self.new, &self.hidden_new),
        };
        out.push(sign);
        let content = &text[line.clone()];
        // A CRLF line ending is shown as a line ending, like LF: the diff
        // is read, and the fix never changes line endings.
        let body = match content.strip_suffix('\n') {
            Some(line) => line.strip_suffix('\r').unwrap_or(line),
            None => content,
        };
        for (offset, c) in body.char_indices() {
            out.push(if hidden[line.start + offset] {
                '•'
            } else {
                c
            });
        }
        out.push('\n');
        if !content.ends_with('\n') {
            out.push_str("\\ No newline at end of file\n");
        }
    }

    /// Writes the new content through [`atomic_write`]: the file a symlink
    /// names is edited, owner, group, mode and hard links are kept, a
    /// read-only file is refused, and the bytes are checked once more just
    /// before the replacement. The temporary file is made in `target/` next
    /// to the manifest (cargo never packages a package's `target/`, and
    /// `cargo new` has git ignore it), which is removed again if this made
    /// it and it is empty.
    pub fn write(&self) -> Result<(), FixError> {
        let target_dir = temp_dir(&self.path);
        let existed = target_dir.as_ref().is_some_and(|d| d.exists());
        let result = atomic_write::write(
            &self.path,
            self.new.as_bytes(),
            &atomic_write::Options {
                temp_dir: target_dir.as_deref(),
                expect: Some(self.old.as_bytes()),
            },
        );
        if let (Some(dir), false) = (&target_dir, existed) {
            let _ = std::fs::remove_dir(dir);
        }
        Ok(result?)
    }
}

/// Where `--fix` makes the temporary file for `manifest`: the `target/`
/// folder next to the file it names (after symlinks).
fn temp_dir(manifest: &Path) -> Option<PathBuf> {
    let resolved = atomic_write::resolve(manifest).ok()?;
    Some(resolved.parent()?.join("target"))
}

#[derive(Clone, Copy)]
enum Side {
    Old,
    New,
}

/// A run of changed lines: old line indices replaced by new ones.
struct Change {
    old: Range<usize>,
    new: Range<usize>,
}

/// The changed runs of lines of a file edited by `edits` (old byte range,
/// new byte range, sorted): the lines each edit touches on each side, the
/// runs that share a line merged. An edit ending at the start of a line on
/// both sides leaves that line alone; otherwise the line holding its end
/// changed too.
fn changed_blocks(
    edits: &[(Range<usize>, Range<usize>)],
    old: &[Range<usize>],
    new: &[Range<usize>],
) -> Vec<Change> {
    // The line holding byte `at` (`lines.len()` at the end of the text).
    let line_of = |lines: &[Range<usize>], at: usize| lines.partition_point(|l| l.end <= at);
    let starts_line = |lines: &[Range<usize>], at: usize| {
        let i = line_of(lines, at);
        i == lines.len() || lines[i].start == at
    };
    let mut changes: Vec<Change> = Vec::new();
    for (o, n) in edits {
        let (old_start, new_start) = (line_of(old, o.start), line_of(new, n.start));
        let (old_end, new_end) = if starts_line(old, o.end) && starts_line(new, n.end) {
            (line_of(old, o.end), line_of(new, n.end))
        } else {
            (
                (line_of(old, o.end) + 1).min(old.len()),
                (line_of(new, n.end) + 1).min(new.len()),
            )
        };
        match changes.last_mut() {
            Some(c) if old_start < c.old.end || new_start < c.new.end => {
                c.old.end = c.old.end.max(old_end);
                c.new.end = c.new.end.max(new_end);
            }
            _ => changes.push(Change {
                old: old_start..old_end,
                new: new_start..new_end,
            }),
        }
    }
    changes.retain(|c| !(c.old.is_empty() && c.new.is_empty()));
    changes
}

/// `--fix` (write) or `--dry-run`: the report after the fixes, and what was
/// done, for the renderers.
pub fn run(
    report: Report,
    selection: &Selection,
    scan_options: &ScanOptions,
    cwd: &Path,
    options: &Options,
) -> Result<(Report, FixOutcome), FixError> {
    if !options.write {
        let plan = plan(&report, options.maybe_incorrect)?;
        let outcome = FixOutcome {
            written: false,
            files: plan
                .files
                .iter()
                .map(|file| FixedFile {
                    path: file.path.clone(),
                    fixes: file.fixes,
                    diff: Some(file.diff(&relative(&file.path, cwd))),
                })
                .collect(),
            overlapping: plan.pending,
            maybe_incorrect: plan.maybe_incorrect,
        };
        return Ok((report, outcome));
    }
    // Temporary files a killed `--fix` left behind.
    for path in report.manifest_digests.keys() {
        if let Some(dir) = temp_dir(path) {
            atomic_write::clean_stale(&dir);
        }
    }
    let mut report = report;
    let mut outcome = FixOutcome {
        written: true,
        ..FixOutcome::default()
    };
    let mut pending = 0;
    for _ in 0..MAX_PASSES {
        let plan = plan(&report, options.maybe_incorrect)?;
        if plan.files.is_empty() {
            break;
        }
        apply(&plan, options, &mut outcome.files)?;
        report = engine::check_selection(selection, scan_options)?;
        pending = plan.pending;
        if pending == 0 {
            break;
        }
    }
    // What is still fixable after the last pass.
    let left = plan(&report, options.maybe_incorrect)?;
    if pending > 0 && !left.files.is_empty() {
        outcome.overlapping = left.pending + left.files.len();
    }
    outcome.maybe_incorrect = left.maybe_incorrect;
    Ok((report, outcome))
}

/// Writes one pass's files, counting each file's fixes into `fixed`.
/// Refused before anything is written, so a fix across files is not
/// applied in part: a file with uncommitted changes (a file this run
/// already edited is dirty by our own hand: asked about once, before the
/// first pass), and a read-only file.
fn apply(plan: &Plan, options: &Options, fixed: &mut Vec<FixedFile>) -> Result<(), FixError> {
    let unasked: Vec<&Path> = plan
        .files
        .iter()
        .map(|f| f.path.as_path())
        .filter(|p| !fixed.iter().any(|done| done.path == *p))
        .collect();
    options.vcs.check(&unasked)?;
    for file in &plan.files {
        if std::fs::metadata(&file.path).is_ok_and(|m| m.permissions().readonly()) {
            return Err(WriteError::ReadOnly(file.path.clone()).into());
        }
    }
    for file in &plan.files {
        file.write()?;
        match fixed.iter_mut().find(|done| done.path == file.path) {
            Some(done) => done.fixes += file.fixes,
            None => fixed.push(FixedFile {
                path: file.path.clone(),
                fixes: file.fixes,
                diff: None,
            }),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_and_same_place_insertions_conflict() {
        assert!(overlaps(&(1..4), &(3..5)));
        assert!(!overlaps(&(1..3), &(3..5)));
        assert!(overlaps(&(3..3), &(3..3)));
        assert!(overlaps(&(2..5), &(3..3)));
        assert!(!overlaps(&(3..5), &(3..3)));
    }

    #[test]
    fn accepted_edits_conflict_with_overlaps_not_with_themselves() {
        let edit = |range: Range<usize>, r: &str| Edit {
            path: PathBuf::from("Cargo.toml"),
            range,
            replacement: r.to_owned(),
        };
        let taken: Taken = [
            ((2, 5), "a".to_owned()),
            ((5, 5), "b".to_owned()),
            ((9, 12), String::new()),
        ]
        .into_iter()
        .collect();
        assert!(!conflicting(&taken, &edit(2..5, "a")));
        assert!(conflicting(&taken, &edit(2..5, "other")));
        assert!(conflicting(&taken, &edit(4..6, "")));
        assert!(conflicting(&taken, &edit(5..5, "c")));
        assert!(conflicting(&taken, &edit(10..10, "")));
        assert!(conflicting(&taken, &edit(0..20, "")));
        assert!(!conflicting(&taken, &edit(5..9, "")));
        assert!(!conflicting(&taken, &edit(12..12, "")));
        assert!(!conflicting(&taken, &edit(0..2, "")));
    }

    /// The plan of `old` edited by `edits` (byte range, replacement;
    /// sorted), nothing hidden unless `hidden_old` says so (what an edit
    /// puts in is hidden when it replaces hidden text).
    fn file_plan(old: &str, edits: &[(Range<usize>, &str)], hidden_old: Vec<bool>) -> FilePlan {
        let mut new = String::new();
        let mut hidden_new = Vec::new();
        let mut spans = Vec::new();
        let mut at = 0;
        for (range, replacement) in edits {
            new.push_str(&old[at..range.start]);
            hidden_new.extend_from_slice(&hidden_old[at..range.start]);
            spans.push((range.clone(), new.len()..new.len() + replacement.len()));
            new.push_str(replacement);
            let inside = hidden_old[range.clone()].iter().any(|h| *h);
            hidden_new.extend(std::iter::repeat_n(inside, replacement.len()));
            at = range.end;
        }
        new.push_str(&old[at..]);
        hidden_new.extend_from_slice(&hidden_old[at..]);
        FilePlan {
            path: PathBuf::from("Cargo.toml"),
            old: old.to_owned(),
            new,
            fixes: 1,
            hidden_old,
            hidden_new,
            edits: spans,
        }
    }

    /// The byte range of the first `needle` in `text`.
    fn at(text: &str, needle: &str) -> Range<usize> {
        let start = text.find(needle).unwrap();
        start..start + needle.len()
    }

    #[test]
    fn diffs_are_unified_with_context() {
        let old: String = (1..=12).map(|i| format!("l{i}\n")).collect();
        let edits = [(at(&old, "l2\n"), ""), (at(&old, "l11"), "L11")];
        let plan = file_plan(&old, &edits, vec![false; old.len()]);
        assert_eq!(
            plan.diff("Cargo.toml"),
            "--- a/Cargo.toml\n+++ b/Cargo.toml\n\
             @@ -1,5 +1,4 @@\n l1\n-l2\n l3\n l4\n l5\n\
             @@ -8,5 +7,5 @@\n l8\n l9\n l10\n-l11\n+L11\n l12\n"
        );
        let plan = file_plan("a\nb", &[(2..3, "c")], vec![false; 3]);
        assert_eq!(
            plan.diff("x"),
            "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn diff_lines_come_from_the_edits() {
        // An edit joining two lines changes both.
        let old = "a\nX\nb\nc\n";
        let plan = file_plan(old, &[(at(old, "X\n"), "Y")], vec![false; old.len()]);
        assert_eq!(
            plan.diff("x"),
            "--- a/x\n+++ b/x\n@@ -1,4 +1,3 @@\n a\n-X\n-b\n+Yb\n c\n"
        );
        // Whole lines put in, and two edits on one line.
        let old = "a\nb c\n";
        let edits = [(2..2, "n\n"), (2..3, "B"), (4..5, "C")];
        let plan = file_plan(old, &edits, vec![false; old.len()]);
        assert_eq!(
            plan.diff("x"),
            "--- a/x\n+++ b/x\n@@ -1,2 +1,3 @@\n a\n+n\n-b c\n+B C\n"
        );
    }

    #[test]
    fn values_are_masked_on_both_sides_of_a_diff() {
        let password = ["pa", "ss", "w0rd", "9Zq"].concat();
        let old = format!("url = \"https://u:{password}@h/x\"\n");
        let start = old.find("https").unwrap();
        let end = old.find("@h").unwrap() + 2;
        let values = [(start..end, "https://u:…@h")];
        let hidden_old = hidden(&old, &values);
        // The fix replaces the credential by a new one inside the span.
        let edits = [(at(&old, &password), "NEWSECRET")];
        let diff = file_plan(&old, &edits, hidden_old).diff("Cargo.toml");
        assert!(!diff.contains(&password), "{diff}");
        assert!(!diff.contains("NEWSECRET"), "{diff}");
        assert!(
            diff.contains("-url = \"https://u:•••••••••••@h/x\""),
            "{diff}"
        );
        assert!(
            diff.contains("+url = \"https://u:•••••••••@h/x\""),
            "{diff}"
        );
    }
}
