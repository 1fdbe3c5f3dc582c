//! The `Cargo.toml` edits that fix findings, built where the findings are
//! made (rules and engine call down to this module) and applied by
//! [`crate::fix`]: keeping a file out of the package
//! ([`keep_out`]) and removing a member's `KEY.workspace = true` whose
//! workspace value a fix removes ([`remove_inherited`]). **Only the bytes
//! of the edit change**, whatever the layout around it (CRLF, a BOM, tabs,
//! `[ package . metadata ]`, comments between array items, inline tables,
//! multi-line strings). Decided: `toml_edit` computes *what* changes, and
//! its printed output is never written; [`Editable`] turns the change into
//! one byte-range splice of the original text (the smallest difference
//! between the document printed before and after the change, mapped back
//! onto the original through its BOM and CRLF line endings, the lines it
//! touches required to read the same in `toml_edit`'s spelling and in the
//! file), then parses the spliced text again and accepts the splice only if
//! it prints as the edited document. A change that cannot be made that way
//! is not offered as a fix. The `authors` rule goes further and builds its
//! edits from spans alone ([`crate::rules::authors`]).

use std::ops::Range;
use std::path::Path;

use ignore::gitignore::GitignoreBuilder;
use toml_edit::{Array, DocumentMut, Item, Value};

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::manifest::Manifest;

/// A manifest's text ready for an edit through `toml_edit`, and the way
/// back from the edited document to one byte replacement of the original.
///
/// `toml_edit` prints a document in its own spelling in places (line
/// endings, a byte order mark, the spacing of dotted headers), so its
/// output is never written: it only says *what* changes. The original is
/// parsed without its BOM and with CRLF read as LF; the edit is the
/// smallest difference between the printed document before and after the
/// change, mapped back onto the original (lines touched by the edit must
/// read the same in both, or there is no fix), with CRLF line endings in
/// the replacement when the file uses them. The spliced text is parsed
/// again and must print as the edited document; otherwise there is no fix.
pub struct Editable<'a> {
    original: &'a str,
    /// `original` without its BOM, CRLF as LF.
    normalized: String,
    /// The BOM's length in `original` (0 or 3).
    bom: usize,
    /// Positions in `normalized` of each `\n` that was `\r\n`.
    crlf_at: Vec<usize>,
    /// The file's line ending: that of its first line.
    crlf: bool,
    /// The unedited document as `toml_edit` prints it.
    baseline: String,
    /// The document to edit.
    pub doc: DocumentMut,
}

impl<'a> Editable<'a> {
    pub fn new(original: &'a str) -> Option<Self> {
        let bom = if original.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let body = &original[bom..];
        let mut normalized = String::with_capacity(body.len());
        let mut crlf_at = Vec::new();
        let mut rest = body;
        while let Some(i) = rest.find("\r\n") {
            normalized.push_str(&rest[..i]);
            crlf_at.push(normalized.len());
            normalized.push('\n');
            rest = &rest[i + 2..];
        }
        normalized.push_str(rest);
        let crlf = body
            .find('\n')
            .is_some_and(|i| i > 0 && body.as_bytes()[i - 1] == b'\r');
        let doc: DocumentMut = normalized.parse().ok()?;
        let baseline = doc.to_string();
        Some(Editable {
            original,
            normalized,
            bom,
            crlf_at,
            crlf,
            baseline,
            doc,
        })
    }

    /// The edit of the original that makes the change made to [`Self::doc`]:
    /// a byte range of the original and its replacement. `None` when nothing
    /// changed, or when the change cannot be made without touching bytes
    /// `toml_edit` spells differently.
    pub fn edit(&self) -> Option<(Range<usize>, String)> {
        let edited = self.doc.to_string();
        let (range, replacement) = minimal_edit(&self.baseline, &edited)?;
        // From the printed document to the normalized text, line by line.
        let base_lines = lines(&self.baseline);
        let norm_lines = lines(&self.normalized);
        if base_lines.len() != norm_lines.len() {
            return None;
        }
        let line_of = |at: usize| base_lines.partition_point(|l| l.end <= at);
        let (first, last) = (
            line_of(range.start),
            line_of(range.end.max(range.start + 1) - 1),
        );
        let mut start = None;
        let mut end = None;
        for i in first..=last.min(base_lines.len().saturating_sub(1)) {
            let (b, n) = (&base_lines[i], &norm_lines[i]);
            if self.baseline[b.clone()] != self.normalized[n.clone()] {
                return None;
            }
            if (b.start..=b.end).contains(&range.start) && start.is_none() {
                start = Some(n.start + range.start - b.start);
            }
            if (b.start..=b.end).contains(&range.end) {
                end = Some(n.start + range.end - b.start);
            }
        }
        // An edit at the very end of a text without a last line.
        let at_end = |at: usize| (at == self.baseline.len()).then_some(self.normalized.len());
        let start = start.or_else(|| at_end(range.start))?;
        let end = end.or_else(|| at_end(range.end))?;
        let mut spliced = self.normalized.clone();
        spliced.replace_range(start..end, &replacement);
        if spliced.parse::<DocumentMut>().ok()?.to_string() != edited {
            return None;
        }
        // From the normalized text to the original.
        let back = |at: usize| self.bom + at + self.crlf_at.partition_point(|&q| q < at);
        let replacement = if self.crlf {
            replacement.replace('\n', "\r\n")
        } else {
            replacement
        };
        let range = back(start)..back(end);
        debug_assert!(self.original.is_char_boundary(range.start));
        Some((range, replacement))
    }
}

/// The edit removing `package.KEY` from a member that inherits it
/// (`KEY.workspace = true`, in any spelling); `None` when it does not.
pub fn remove_inherited(member: &Manifest, key: &str) -> Option<Edit> {
    if !member.inherits(key) {
        return None;
    }
    let mut editable = Editable::new(&member.text)?;
    package_mut(&mut editable.doc)?.remove(key)?;
    let (range, replacement) = editable.edit()?;
    Some(Edit {
        path: member.path.clone(),
        range,
        replacement,
    })
}

fn package_mut(doc: &mut DocumentMut) -> Option<&mut dyn toml_edit::TableLike> {
    let key = if doc.contains_key("package") {
        "package"
    } else {
        "project"
    };
    doc.get_mut(key)?.as_table_like_mut()
}

/// How to keep a packaged file out of the `.crate`.
#[derive(Debug, PartialEq, Eq)]
pub enum KeepOut {
    /// An edit of the package's `Cargo.toml` does it.
    Fix(Fix),
    /// No mechanical edit: what a person should change, for the `help:`.
    Help(String),
}

/// How to keep the file at `archive_path` (relative to the package root,
/// `/`-separated) out of the package whose manifest is `manifest`:
/// - without `include`: add the anchored pattern `pattern` (`/.env`) to
///   `exclude`, creating the key in `[package]` when missing, in the
///   array's own style (one line, or one entry a line);
/// - with `include` (cargo then ignores `exclude`): remove the entry that
///   names the file literally, when no other entry matches it; otherwise
///   only a help;
/// - when `include` or `exclude` is inherited from `[workspace.package]`:
///   only a help, since the workspace's list is every inheriting member's.
///
/// `None` when the manifest has no `[package]`.
pub fn keep_out(manifest: &Manifest, archive_path: &str, pattern: &str) -> Option<KeepOut> {
    let package = manifest.package()?;
    if manifest.inherits("include") {
        return Some(KeepOut::Help(format!(
            "this package inherits `include` from `[workspace.package]`, so cargo ignores \
             `exclude`: change the workspace's `include` so that no pattern matches \
             `{archive_path}` (it applies to every member that inherits it), or give this \
             package an `include` of its own"
        )));
    }
    if let Some(include) = package.get("include").and_then(Item::as_array) {
        return out_of_include(manifest, include, archive_path);
    }
    if manifest.inherits("exclude") {
        let literal = exclude_literal(pattern);
        return Some(KeepOut::Help(format!(
            "this package inherits `exclude` from `[workspace.package]`: add \"{pattern}\" \
             there (it applies to every member that inherits it), or replace \
             `exclude.workspace = true` with a list of its own, such as {literal}"
        )));
    }
    into_exclude(manifest, archive_path, pattern)
}

/// `exclude = ["pattern"]`, quoted as code, as a help or a fix names it.
fn exclude_literal(pattern: &str) -> String {
    format!("`exclude = [\"{pattern}\"]`")
}

/// The folder `include` and `exclude` patterns are relative to.
fn package_root(manifest: &Manifest) -> &Path {
    manifest.path.parent().unwrap_or(Path::new("."))
}

/// [`keep_out`] for a package with its own `include` array: remove the
/// entry that names `archive_path` literally when no other entry matches
/// it; otherwise a help naming the entries that match.
fn out_of_include(manifest: &Manifest, include: &Array, archive_path: &str) -> Option<KeepOut> {
    let root = package_root(manifest);
    let entries: Vec<(usize, &str)> = include
        .iter()
        .enumerate()
        .filter_map(|(i, v)| Some((i, v.as_str()?)))
        .collect();
    let matching: Vec<&str> = entries
        .iter()
        .filter(|(_, p)| matches(root, &[p], archive_path))
        .map(|(_, p)| *p)
        .collect();
    let literal_entry = entries.iter().find(|(_, p)| {
        let p = p.strip_prefix('/').unwrap_or(p);
        p == archive_path
    });
    if let (Some(&(index, entry)), [_]) = (literal_entry, matching.as_slice()) {
        let mut editable = Editable::new(&manifest.text)?;
        let array = package_mut(&mut editable.doc)?
            .get_mut("include")?
            .as_array_mut()?;
        remove_entry(array, index);
        return manifest_fix(
            manifest,
            &editable,
            format!("remove `{entry}` from `include` (with `include`, cargo ignores `exclude`)"),
        );
    }
    let named = matching
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(KeepOut::Help(format!(
        "this package lists its files with `include`, so cargo ignores `exclude`: change \
         {named} in `include` so that it no longer matches `{archive_path}` (for example, \
         list the files it should ship one by one)"
    )))
}

/// [`keep_out`] for a package with no `include` and its own (or no)
/// `exclude`: add `pattern` to `exclude`, creating the key when missing;
/// `None` when `pattern` does not select `archive_path`.
fn into_exclude(manifest: &Manifest, archive_path: &str, pattern: &str) -> Option<KeepOut> {
    // The pattern must select exactly this file, or it is not the fix.
    if !matches(package_root(manifest), &[pattern], archive_path) {
        return None;
    }
    let mut editable = Editable::new(&manifest.text)?;
    let package = package_mut(&mut editable.doc)?;
    let description = match package.get_mut("exclude") {
        Some(item) => {
            push_keeping_style(item.as_array_mut()?, pattern);
            format!("add \"{pattern}\" to `exclude` to keep `{archive_path}` out of the package")
        }
        None => {
            let mut array = Array::new();
            array.push(pattern);
            package.insert("exclude", Item::Value(Value::Array(array)));
            let literal = exclude_literal(pattern);
            format!("keep `{archive_path}` out of the package with {literal}")
        }
    };
    manifest_fix(manifest, &editable, description)
}

/// The machine-applicable fix that turns `manifest` into `editable`'s
/// document.
fn manifest_fix(manifest: &Manifest, editable: &Editable, description: String) -> Option<KeepOut> {
    let (range, replacement) = editable.edit()?;
    Some(KeepOut::Fix(Fix {
        applicability: Applicability::MachineApplicable,
        description,
        edits: vec![Edit {
            path: manifest.path.clone(),
            range,
            replacement,
        }],
    }))
}

/// Whether gitignore-style `patterns` (as cargo reads `include` and
/// `exclude`, relative to the package root) select `archive_path`.
fn matches(root: &Path, patterns: &[&str], archive_path: &str) -> bool {
    let mut builder = GitignoreBuilder::new(root);
    for p in patterns {
        if builder.add_line(None, p).is_err() {
            return false;
        }
    }
    builder.build().is_ok_and(|g| {
        g.matched_path_or_any_parents(Path::new(archive_path), false)
            .is_ignore()
    })
}

/// Appends `value` in the array's own layout: on a line of its own with
/// the last entry's indentation in a multi-line array, after `, ` in a
/// one-line array. A comment after the last entry stays with that entry.
fn push_keeping_style(array: &mut Array, value: &str) {
    let last_prefix = array
        .iter()
        .last()
        .and_then(|v| v.decor().prefix())
        .and_then(|p| p.as_str())
        .map(str::to_owned);
    let multi_line = last_prefix.as_deref().is_some_and(|p| p.contains('\n'));
    let mut new = Value::from(value);
    if multi_line {
        // Without a trailing comma, the newline before `]` is the last
        // entry's suffix; with one, the array's trailing text.
        let last_suffix = (!array.trailing_comma())
            .then(|| {
                array
                    .iter()
                    .last()
                    .and_then(|v| v.decor().suffix())
                    .and_then(|s| s.as_str())
                    .map(str::to_owned)
            })
            .flatten()
            .filter(|s| s.contains('\n'));
        let after_last = match &last_suffix {
            Some(suffix) => suffix.clone(),
            None => array.trailing().as_str().unwrap_or("").to_owned(),
        };
        // What follows the last entry on its line (a comment) stays there;
        // the rest (the newline before `]`) stays before `]`.
        let (same_line, rest) = match after_last.find('\n') {
            Some(i) => after_last.split_at(i),
            None => ("", after_last.as_str()),
        };
        // The new line's indentation is the last entry's; the comments
        // above the last entry are about it, not about the new one.
        let last_prefix = last_prefix.unwrap_or_default();
        let indent = last_prefix.rsplit('\n').next().unwrap_or("");
        new.decor_mut().set_prefix(format!("{same_line}\n{indent}"));
        let rest = rest.to_owned();
        if last_suffix.is_some() {
            if let Some(last) = array.iter_mut().last() {
                last.decor_mut().set_suffix("");
            }
            new.decor_mut().set_suffix(rest);
        } else {
            array.set_trailing(rest);
        }
    } else if !array.is_empty() {
        new.decor_mut().set_prefix(" ");
    }
    array.push_formatted(new);
}

/// Removes entry `index` of an array with the rest of its line: in a
/// multi-line array, the comment after it on its line goes with it, and
/// the next entry keeps its own indentation and the comments above it; in
/// a one-line array, `[` stays tight against the new first entry.
pub fn remove_entry(array: &mut Array, index: usize) {
    let prefix_of = |v: Option<&Value>| {
        v.and_then(|v| v.decor().prefix())
            .and_then(|p| p.as_str())
            .unwrap_or("")
            .to_owned()
    };
    let removed = prefix_of(array.get(index));
    let next = (index + 1 < array.len()).then(|| prefix_of(array.get(index + 1)));
    array.remove(index);
    // The end of the line before the removed entry, and what follows the
    // end of the removed entry's line.
    let line_end = removed.find('\n').map(|i| &removed[..=i]);
    match (line_end, next) {
        (Some(line_end), Some(next)) => match next.find('\n') {
            Some(i) => {
                let prefix = format!("{line_end}{}", &next[i + 1..]);
                if let Some(v) = array.get_mut(index) {
                    v.decor_mut().set_prefix(prefix);
                }
            }
            // The next entry was on the removed entry's line.
            None => {
                if let Some(v) = array.get_mut(index) {
                    v.decor_mut().set_prefix(removed.clone());
                }
            }
        },
        (Some(line_end), None) => {
            let trailing = array.trailing().as_str().unwrap_or("").to_owned();
            let rest = trailing.find('\n').map_or("", |i| &trailing[i + 1..]);
            let trailing = format!("{line_end}{rest}");
            array.set_trailing(trailing);
        }
        (None, _) if index == 0 => {
            if let Some(first) = array.get_mut(0) {
                first.decor_mut().set_prefix(removed);
            }
        }
        (None, _) => {}
    }
}

/// The smallest single replacement turning `old` into `new`: the common
/// prefix and suffix are left out (on character boundaries).
pub fn minimal_edit(old: &str, new: &str) -> Option<(Range<usize>, String)> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some((
        prefix..old.len() - suffix,
        new[prefix..new.len() - suffix].to_owned(),
    ))
}

/// Byte ranges of the lines of `text`, each with its `\n`.
pub fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        out.push(start..i + 1);
        start = i + 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Manifest {
        Manifest::parse(Path::new("/p/Cargo.toml"), text.to_owned()).unwrap()
    }

    fn applied(text: &str, outcome: Option<KeepOut>) -> String {
        let Some(KeepOut::Fix(fix)) = outcome else {
            panic!("no fix: {outcome:?}");
        };
        let edit = &fix.edits[0];
        let mut out = text.to_owned();
        out.replace_range(edit.range.clone(), &edit.replacement);
        out
    }

    #[test]
    fn exclude_is_created_in_package() {
        let text = "[package]\nname = \"a\" # the name\n\n[dependencies]\n";
        assert_eq!(
            applied(text, keep_out(&manifest(text), ".env", "/.env")),
            "[package]\nname = \"a\" # the name\nexclude = [\"/.env\"]\n\n[dependencies]\n"
        );
    }

    #[test]
    fn exclude_keeps_its_layout() {
        let one = "[package]\nexclude = ['a',  \"b\"]\n";
        assert_eq!(
            applied(one, keep_out(&manifest(one), "x/id_rsa", "/x/id_rsa")),
            "[package]\nexclude = ['a',  \"b\", \"/x/id_rsa\"]\n"
        );
        let many = "[package]\nexclude = [\n    \"a\",\n    \"b\", # why\n]\n";
        assert_eq!(
            applied(many, keep_out(&manifest(many), ".env", "/.env")),
            "[package]\nexclude = [\n    \"a\",\n    \"b\", # why\n    \"/.env\",\n]\n"
        );
        let no_comma = "[package]\nexclude = [\n  \"a\"\n]\n";
        assert_eq!(
            applied(no_comma, keep_out(&manifest(no_comma), ".env", "/.env")),
            "[package]\nexclude = [\n  \"a\",\n  \"/.env\"\n]\n"
        );
        let empty = "[package]\nexclude = []\n";
        assert_eq!(
            applied(empty, keep_out(&manifest(empty), ".env", "/.env")),
            "[package]\nexclude = [\"/.env\"]\n"
        );
    }

    /// A manifest in every odd but valid layout at once: BOM, CRLF, tabs,
    /// a multi-line string, an inline table, comments between array items,
    /// trailing commas, a spaced dotted header.
    fn odd_layout(exclude: &str) -> String {
        [
            "\u{feff}[package]\r\n",
            "name = \"a\"\t# the name\r\n",
            "description = \"\"\"\r\nline one\r\n\tline two\r\n\"\"\"\r\n",
            "metadata-like = { a = 1 ,b = [ 1,2, ] }\r\n",
            exclude,
            "authors.workspace = true\r\n",
            "\r\n",
            "[ package . metadata ]\r\n",
            "x = 1\r\n",
            "[ target . 'cfg(unix)' . dependencies ]\r\n",
        ]
        .concat()
    }

    #[test]
    fn crlf_bom_and_spaced_dotted_headers_are_kept_byte_for_byte() {
        let list = "exclude = [\r\n\t\"a\", # keep\r\n\t# about b\r\n\t\"b\",\r\n]\r\n";
        let text = odd_layout(list);
        // A new entry: after "b", in CRLF, with no copy of a comment.
        let pushed =
            "exclude = [\r\n\t\"a\", # keep\r\n\t# about b\r\n\t\"b\",\r\n\t\"/.env\",\r\n]\r\n";
        assert_eq!(
            applied(&text, keep_out(&manifest(&text), ".env", "/.env")),
            odd_layout(pushed)
        );
        // A new key, in CRLF.
        let text = odd_layout("");
        assert_eq!(
            applied(&text, keep_out(&manifest(&text), ".env", "/.env")),
            text.replace(
                "authors.workspace = true\r\n",
                "authors.workspace = true\r\nexclude = [\"/.env\"]\r\n"
            )
        );
        // A removed line, in CRLF.
        let edit = remove_inherited(&manifest(&text), "authors").unwrap();
        let mut out = text.clone();
        out.replace_range(edit.range, &edit.replacement);
        assert_eq!(out, text.replace("authors.workspace = true\r\n", ""));
    }

    #[test]
    fn keep_comment_on_one_exclude_entry_is_not_copied_onto_new_entries() {
        let text = "[package]\nexclude = [\n    \"a\",\n    # keep\n    \"b\", # keep\n]\n";
        assert_eq!(
            applied(text, keep_out(&manifest(text), ".env", "/.env")),
            "[package]\nexclude = [\n    \"a\",\n    # keep\n    \"b\", # keep\n    \"/.env\",\n]\n"
        );
        let no_comma = "[package]\nexclude = [\n\t# keep\n\t\"a\" # keep\n]\n";
        assert_eq!(
            applied(no_comma, keep_out(&manifest(no_comma), ".env", "/.env")),
            "[package]\nexclude = [\n\t# keep\n\t\"a\", # keep\n\t\"/.env\"\n]\n"
        );
    }

    #[test]
    fn spaced_dotted_header_before_the_edit_is_not_respelled() {
        // toml_edit prints `[ package . metadata ]` as `[ package. metadata ]`:
        // the edit must start after it, not at it.
        let text = "[ package . metadata ]\nx = 1\n\n[ package ]\nname = \"a\"\n";
        let editable = Editable::new(text).unwrap();
        assert!(editable.baseline.contains("[ package. metadata ]"));
        let mut editable = editable;
        editable.doc["package"]["edition"] = toml_edit::value("2021");
        let (range, replacement) = editable.edit().unwrap();
        let mut out = text.to_owned();
        out.replace_range(range, &replacement);
        assert_eq!(out, format!("{text}edition = \"2021\"\n"));
        // An edit on the respelled line itself is refused, not made.
        let mut editable = Editable::new(text).unwrap();
        editable.doc["package"]["metadata"]["y"] = toml_edit::value(2);
        editable.doc["package"]["metadata"]
            .as_table_mut()
            .unwrap()
            .set_position(Some(0));
        let fixed = editable.edit().map(|(range, replacement)| {
            let mut out = text.to_owned();
            out.replace_range(range, &replacement);
            out
        });
        assert!(
            fixed
                .as_deref()
                .is_none_or(|out| out.contains("[ package . metadata ]")),
            "{fixed:?}"
        );
    }

    #[test]
    fn include_is_edited_only_when_it_names_the_file() {
        let text = "[package]\ninclude = [\"src/**\", \"/deploy.tfstate\", \"Cargo.toml\"]\n";
        assert_eq!(
            applied(
                text,
                keep_out(&manifest(text), "deploy.tfstate", "/deploy.tfstate")
            ),
            "[package]\ninclude = [\"src/**\", \"Cargo.toml\"]\n"
        );
        // Named, but a glob matches it too: removing the entry is not enough.
        let text = "[package]\ninclude = [\"*.tfstate\", \"deploy.tfstate\"]\n";
        let Some(KeepOut::Help(help)) =
            keep_out(&manifest(text), "deploy.tfstate", "/deploy.tfstate")
        else {
            panic!()
        };
        assert!(help.contains("`*.tfstate`"), "{help}");
        assert!(help.contains("`deploy.tfstate`"), "{help}");
    }

    #[test]
    fn inherited_lists_get_help_not_edits() {
        for key in ["include", "exclude"] {
            let text = format!("[package]\nname = \"a\"\n{key}.workspace = true\n");
            match keep_out(&manifest(&text), ".env", "/.env") {
                Some(KeepOut::Help(help)) => {
                    assert!(help.contains("[workspace.package]"), "{help}")
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn removed_entries_take_their_line_and_its_comment() {
        let remove = |text: &str, index: usize| {
            let mut doc: DocumentMut = text.parse().unwrap();
            remove_entry(doc["a"].as_array_mut().unwrap(), index);
            doc.to_string()
        };
        let many = "a = [\n  \"x\", # x\n  # about y\n  \"y\", # y\n  \"z\",\n]\n";
        assert_eq!(remove(many, 1), "a = [\n  \"x\", # x\n  \"z\",\n]\n");
        assert_eq!(
            remove(many, 2),
            "a = [\n  \"x\", # x\n  # about y\n  \"y\", # y\n]\n"
        );
        assert_eq!(
            remove(many, 0),
            "a = [\n  # about y\n  \"y\", # y\n  \"z\",\n]\n"
        );
        assert_eq!(remove("a = [\"x\", 'y']\n", 0), "a = ['y']\n");
        assert_eq!(remove("a = [\"x\", 'y']\n", 1), "a = [\"x\"]\n");
    }

    #[test]
    fn inherited_keys_are_removed_from_members() {
        let text = "[package]\nname = \"a\"\nauthors.workspace = true\nedition = \"2021\"\n";
        let edit = remove_inherited(&manifest(text), "authors").unwrap();
        let mut out = text.to_owned();
        out.replace_range(edit.range, &edit.replacement);
        assert_eq!(out, "[package]\nname = \"a\"\nedition = \"2021\"\n");
        assert!(remove_inherited(&manifest(&out), "authors").is_none());
    }
}
