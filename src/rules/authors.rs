//! `author-email`: personal email addresses in `authors`.
//!
//! This rule reads the manifest structurally: it must know that a string is
//! an entry of `package.authors` or `workspace.package.authors` (the latter
//! ships in every member that says `authors.workspace = true`), and it
//! carries a fix that rewrites that entry. The fix is computed from the
//! spans of the parsed manifest: the entry's literal is replaced (only the
//! bytes that differ), or the entry's text is removed with one comma or
//! with its line; other layouts go through [`crate::edits::Editable`]. So
//! everything around the entry (comments, spacing, quoting, line endings)
//! is untouched, and a check is linear in the number of entries.

use std::ops::Range;

use toml_edit::{Item, Value};

use crate::diagnostic::{redact_email, Applicability, Category, Edit, Fix, Level, Match};
use crate::edits::minimal_edit;
use crate::manifest::Manifest;
use crate::rules::email::{
    classify_found, find_emails, EmailKind, FoundEmail, PERMANENT_NOTE, ROLE_EMAIL,
};
use crate::rules::{Family, Finder, Rule};

pub static FAMILY: Family = Family {
    rules: &[&AUTHOR_EMAIL],
    finder: Finder::Manifest,
};

pub static AUTHOR_EMAIL: Rule = Rule {
    name: "author-email",
    category: Category::Email,
    default_level: Level::Warn,
    summary: "personal email address in `authors`",
    doc: r#"
## What it does
Finds personal email addresses in `package.authors`, and in
`workspace.package.authors` when a package inherits it with
`authors.workspace = true`. Addresses meant to be public are left alone:
GitHub and GitLab `noreply` addresses and the reserved example domains
(`example.com`, `*.example`, `*.invalid`, `*.test`, `localhost`). Role
addresses (`team@`, `security@`…) are reported by `role-email` instead.

## Why is this bad?
The crates.io privacy notice warns that personal data in `Cargo.toml`, such
as an email in `authors`, is published with the crate. Published crates are
permanent: yanking keeps them downloadable, deleting needs the registry team,
and mirrors keep copies. crates.io does not display `authors`, so the field
buys nothing while exposing the address to scrapers.

## Example
```toml
[package]
authors = ["Jane Doe <jane.doe@example.com>"]
```
(`example.com` stands in for a real provider such as Gmail: addresses at
reserved example domains are not reported, so this one is safe to copy.)
Use instead:
```toml
[package]
authors = ["Jane Doe"]
```

## How to fix
Keep the name and drop the address (the suggested fix does exactly that), or
use your GitHub `noreply` address. `authors` has been optional since
RFC 3052; removing the key is fine too.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

/// Where an `authors` array lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthorsTable {
    Package,
    WorkspacePackage,
}

impl AuthorsTable {
    fn key(self) -> &'static str {
        match self {
            AuthorsTable::Package => "package.authors",
            AuthorsTable::WorkspacePackage => "workspace.package.authors",
        }
    }
}

/// A finding of this rule (or of `role-email` for role addresses found in
/// `authors`), with its fix.
pub struct AuthorFinding {
    pub found: Match,
    pub fix: Option<Fix>,
    /// The fix removes `[workspace.package].authors` (its only entry was
    /// this address): the caller adds the edits that remove the members'
    /// `authors.workspace = true`, which would no longer resolve.
    pub empties_workspace_authors: bool,
}

/// The `package` (or legacy `project`) table of `doc`, as a header table
/// or an inline `package = { ... }` table.
fn package_table(doc: &toml_edit::Table) -> Option<&dyn toml_edit::TableLike> {
    doc.get("package")
        .or_else(|| doc.get("project"))
        .and_then(Item::as_table_like)
}

/// Checks the `authors` array of `table` in `manifest`.
///
/// Linear in the size of the array: an entry's fix is computed from the
/// spans of the parsed manifest (a replacement of the entry's literal, or
/// the removal of the entry's text), not by editing and printing the whole
/// document once per entry; only layouts the span rules do not cover fall
/// back to an edited copy of the document.
pub fn check(manifest: &Manifest, table: AuthorsTable) -> Vec<AuthorFinding> {
    let Some(array) = authors_array(manifest, table) else {
        return Vec::new();
    };
    let spans: Vec<Option<Range<usize>>> = array.iter().map(|v| v.span()).collect();
    let mut findings = Vec::new();
    for (index, value) in array.iter().enumerate() {
        let (Some(entry), Some(span)) = (value.as_str(), value.span()) else {
            continue;
        };
        let literal = &manifest.text[span.clone()];
        let emails: Vec<_> = find_emails(entry)
            .map(|email| (email, classify_found(&email)))
            .filter(|(_, kind)| *kind != EmailKind::Public)
            .collect();
        let personal: Vec<Range<usize>> = emails
            .iter()
            .filter(|(_, kind)| *kind == EmailKind::Personal)
            .map(|(e, _)| e.start..e.end)
            .collect();
        // One fix for the entry, shared by each of its personal addresses:
        // it drops them all, so two addresses in one entry are one edit.
        let name = strip_emails(entry, &personal);
        let fix = (!personal.is_empty())
            .then(|| entry_fix(manifest, table, index, &spans, literal, name.as_deref()))
            .flatten();
        let empties_workspace_authors = table == AuthorsTable::WorkspacePackage
            && fix.is_some()
            && array.len() == 1
            && name.is_none();
        for (email, kind) in emails {
            let Some(found) = email_match(&email, kind, literal, &span, table) else {
                continue;
            };
            findings.push(AuthorFinding {
                found,
                fix: (kind == EmailKind::Personal).then(|| fix.clone()).flatten(),
                empties_workspace_authors,
            });
        }
    }
    findings
}

/// The `authors` array of `table` in `manifest`, if it has one.
fn authors_array(manifest: &Manifest, table: AuthorsTable) -> Option<&toml_edit::Array> {
    let parent = match table {
        AuthorsTable::Package => package_table(manifest.doc.as_table()),
        AuthorsTable::WorkspacePackage => manifest
            .doc
            .get("workspace")
            .and_then(|w| w.get("package"))
            .and_then(Item::as_table_like),
    };
    parent
        .and_then(|t| t.get("authors"))
        .and_then(Item::as_array)
}

/// The finding for an address of `kind` in an author entry whose string
/// `literal` spans `span` of the manifest; `None` for a public address.
fn email_match(
    email: &FoundEmail<'_>,
    kind: EmailKind,
    literal: &str,
    span: &Range<usize>,
    table: AuthorsTable,
) -> Option<Match> {
    let (rule, what) = match kind {
        EmailKind::Public => return None,
        EmailKind::Role => (&ROLE_EMAIL, "role email address"),
        EmailKind::Personal => (&AUTHOR_EMAIL, "personal email address"),
    };
    // Point at the address itself when it appears verbatim in the literal
    // (no escapes), else at the whole string.
    let range = match literal.find(email.address) {
        Some(at) => span.start + at..span.start + at + email.address.len(),
        None => span.clone(),
    };
    let found = Match::new(
        rule,
        range,
        format!("{what} in `{}`", table.key()),
        redact_email(email.address),
    )
    .label("published with every version of the crate")
    .note(PERMANENT_NOTE);
    Some(match table {
        AuthorsTable::WorkspacePackage => found.note(
            "members with `authors.workspace = true` publish this value in their own Cargo.toml",
        ),
        AuthorsTable::Package => found,
    })
}

/// The author entry without the addresses at `emails` (byte ranges of
/// `entry`): `"Jane Doe <ADDRESS>"` → `"Jane Doe"`,
/// `"Zed <ADDRESS>, Amy <ADDRESS>"` → `"Zed, Amy"`. An address goes with the brackets around it
/// (`<>`, `()`, `[]`), and only with those: what is left of the entry is
/// kept as written, items of a `,`/`;` list that end up empty are dropped.
/// `None` when nothing is left.
pub fn strip_emails(entry: &str, emails: &[Range<usize>]) -> Option<String> {
    let mut emails = emails.to_vec();
    emails.sort_by_key(|r| r.start);
    let mut left = String::with_capacity(entry.len());
    let mut at = 0;
    for r in emails {
        if r.start < at || r.end > entry.len() {
            continue;
        }
        let (mut start, mut end) = (r.start, r.end);
        let before = entry[at..start].trim_end();
        let after = entry[end..].trim_start();
        for (open, close) in [('<', '>'), ('(', ')'), ('[', ']')] {
            if before.ends_with(open) && after.starts_with(close) {
                start = at + before.len() - 1;
                end = entry.len() - after.len() + 1;
                break;
            }
        }
        left.push_str(&entry[at..start]);
        left.push(' ');
        at = end;
    }
    left.push_str(&entry[at..]);
    let mut out = String::with_capacity(left.len());
    let mut separator = None;
    for (item, sep) in split_keeping(&left) {
        let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
        if item.is_empty() {
            continue;
        }
        if let Some(sep) = separator.take() {
            out.push(sep);
            out.push(' ');
        }
        out.push_str(&item);
        separator = sep;
    }
    (!out.is_empty()).then_some(out)
}

/// The items of a `,`/`;` list, each with the separator after it.
fn split_keeping(text: &str) -> impl Iterator<Item = (&str, Option<char>)> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.find([',', ';']) {
            Some(i) => {
                rest = Some(&text[i + 1..]);
                Some((&text[..i], text[i..].chars().next()))
            }
            None => {
                rest = None;
                Some((text, None))
            }
        }
    })
}

/// The fix of entry `index` of the `authors` array whose values span
/// `spans`: the entry becomes `name`, or, without a name, is removed (an
/// array left empty is removed with its key).
fn entry_fix(
    manifest: &Manifest,
    table: AuthorsTable,
    index: usize,
    spans: &[Option<Range<usize>>],
    literal: &str,
    name: Option<&str>,
) -> Option<Fix> {
    let edit = |range: Range<usize>, replacement: String| Edit {
        path: manifest.path.clone(),
        range,
        replacement,
    };
    if let Some(name) = name {
        // The literal alone changes, and of it only what differs (the
        // diff then shows the kept name unmasked).
        let span = spans.get(index)?.clone()?;
        let (range, replacement) = minimal_edit(literal, &same_quoting(literal, name).to_string())?;
        return Some(Fix {
            applicability: Applicability::MachineApplicable,
            description: format!("keep the name `{name}` and drop the address"),
            edits: vec![edit(
                span.start + range.start..span.start + range.end,
                replacement,
            )],
        });
    }
    if spans.len() > 1 {
        if let Some(range) = removal_range(&manifest.text, spans, index) {
            return Some(Fix {
                applicability: Applicability::MachineApplicable,
                description: "remove the address from `authors`".to_owned(),
                edits: vec![edit(range, String::new())],
            });
        }
    }
    remove_entry_fix(manifest, table, index)
}

/// The bytes to delete to remove entry `index` from an array whose values
/// span `spans` (all known), in the two layouts whose removal needs no
/// reading of comments: an entry on a line of its own (its line goes,
/// with the comment after it), and an entry in a stretch of one line with
/// no comment (it goes with one comma). `None` otherwise.
fn removal_range(text: &str, spans: &[Option<Range<usize>>], index: usize) -> Option<Range<usize>> {
    let span = spans.get(index)?.clone()?;
    let bytes = text.as_bytes();
    let plain = |r: Range<usize>| text.get(r).is_some_and(|s| !s.contains(['\n', '#']));
    // On one line with its neighbours.
    if index > 0 {
        let previous = spans[index - 1].clone()?;
        let next_plain = match spans.get(index + 1) {
            Some(next) => plain(span.end..next.clone()?.start),
            // Nothing after it on its line may be about it.
            None => plain(
                span.end
                    ..text[span.end..]
                        .find('\n')
                        .map_or(text.len(), |i| span.end + i),
            ),
        };
        if plain(previous.end..span.start) && next_plain {
            return Some(previous.end..span.end);
        }
    } else {
        let next = spans.get(1)?.clone()?;
        if plain(span.end..next.start) {
            return Some(span.start..next.start);
        }
    }
    // On a line of its own.
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..span.start]
        .trim_matches([' ', '\t'])
        .is_empty()
    {
        return None;
    }
    let mut at = span.end;
    let skip_blank = |mut at: usize| {
        while matches!(bytes.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        at
    };
    at = skip_blank(at);
    let comma = bytes.get(at) == Some(&b',');
    if comma {
        at = skip_blank(at + 1);
    } else if index + 1 < spans.len() {
        return None;
    }
    let line_end = text[at..].find('\n').map(|i| at + i)?;
    let rest = text[at..line_end].trim_end_matches('\r');
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    Some(line_start..line_end + 1)
}

/// The edit removing entry `index` of the `authors` array through an edited
/// copy of the document: the layouts [`removal_range`] does not cover, and
/// the removal of the key with its last entry.
fn remove_entry_fix(manifest: &Manifest, table: AuthorsTable, index: usize) -> Option<Fix> {
    let mut editable = crate::edits::Editable::new(&manifest.text)?;
    let doc = &mut editable.doc;
    let parent = match table {
        AuthorsTable::Package => {
            if doc.contains_key("package") {
                doc.get_mut("package")?
            } else {
                doc.get_mut("project")?
            }
        }
        AuthorsTable::WorkspacePackage => doc.get_mut("workspace")?.get_mut("package")?,
    };
    let parent = parent.as_table_like_mut()?;
    let array = parent.get_mut("authors")?.as_array_mut()?;
    crate::edits::remove_entry(array, index);
    let (description, applicability) = if array.is_empty() {
        parent.remove("authors");
        match table {
            AuthorsTable::Package => (
                "remove `authors` (it held only this address)".to_owned(),
                Applicability::MachineApplicable,
            ),
            // Members saying `authors.workspace = true` would no
            // longer resolve: they need editing too.
            AuthorsTable::WorkspacePackage => (
                "remove `authors` (it held only this address) and `authors.workspace = true` from the members"
                    .to_owned(),
                Applicability::MaybeIncorrect,
            ),
        }
    } else {
        (
            "remove the address from `authors`".to_owned(),
            Applicability::MachineApplicable,
        )
    };
    let (range, replacement) = editable.edit()?;
    Some(Fix {
        applicability,
        description,
        edits: vec![Edit {
            path: manifest.path.clone(),
            range,
            replacement,
        }],
    })
}

/// `name` as a TOML string in the quoting of `literal` (the entry it
/// replaces): a literal string stays a literal string when it can.
fn same_quoting(literal: &str, name: &str) -> Value {
    let quote = literal.chars().next();
    if quote == Some('\'') && !name.contains(['\'', '\n', '\r']) {
        if let Ok(value) = format!("'{name}'").parse::<Value>() {
            return value;
        }
    }
    Value::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn manifest(text: &str) -> Manifest {
        Manifest::parse(Path::new("Cargo.toml"), text.to_owned()).unwrap()
    }

    fn apply(text: &str, fix: &Fix) -> String {
        let edit = &fix.edits[0];
        let mut out = text.to_owned();
        out.replace_range(edit.range.clone(), &edit.replacement);
        out
    }

    /// `strip_emails` with the addresses given as text.
    fn strip(entry: &str, emails: &[&str]) -> Option<String> {
        let ranges: Vec<Range<usize>> = emails
            .iter()
            .map(|e| {
                let at = entry.find(e).unwrap();
                at..at + e.len()
            })
            .collect();
        strip_emails(entry, &ranges)
    }

    #[test]
    fn names_are_kept_and_addresses_dropped() {
        assert_eq!(
            strip("Jane Doe <jane@gmail.com>", &["jane@gmail.com"]).as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(strip("jane@gmail.com", &["jane@gmail.com"]), None);
        assert_eq!(strip("<jane@gmail.com>", &["jane@gmail.com"]), None);
        assert_eq!(
            strip("Jane (jane@gmail.com)", &["jane@gmail.com"]).as_deref(),
            Some("Jane")
        );
        assert_eq!(
            strip("Doe, Jane <jane@gmail.com>", &["jane@gmail.com"]).as_deref(),
            Some("Doe, Jane")
        );
    }

    #[test]
    fn two_address_entry_keeps_both_names_not_zed_space_comma() {
        // Was "Zed , Amy" after two passes.
        let entry = "Zed <zed@gmail.com>, Amy <amy@gmail.com>";
        assert_eq!(
            strip(entry, &["zed@gmail.com", "amy@gmail.com"]).as_deref(),
            Some("Zed, Amy")
        );
        assert_eq!(
            strip(
                "a@gmail.com; Amy <amy@gmail.com>",
                &["a@gmail.com", "amy@gmail.com"]
            )
            .as_deref(),
            Some("Amy")
        );
    }

    #[test]
    fn first_pass_keeps_the_closing_bracket_of_the_other_address() {
        // Was "Amy , Zed <zed@gmail.com" (the last `>` trimmed away).
        let entry = "Amy <amy@gmail.com>, Zed <zed@gmail.com>";
        assert_eq!(
            strip(entry, &["amy@gmail.com"]).as_deref(),
            Some("Amy, Zed <zed@gmail.com>")
        );
        // Through the rule: one fix for the entry, both addresses gone.
        let text = format!("[package]\nname = \"a\"\nauthors = [\"{entry}\"]\n");
        let found = check(&manifest(&text), AuthorsTable::Package);
        assert_eq!(found.len(), 2);
        let fixed = apply(&text, found[0].fix.as_ref().unwrap());
        assert_eq!(fixed, text.replace(entry, "Amy, Zed"));
        assert_eq!(found[0].fix, found[1].fix);
    }

    #[test]
    fn authors_in_an_inline_package_table_get_the_same_fix() {
        let text = "package = { name = \"a\", authors = [\"Jane <jane@gmail.com>\", \"bob@gmail.com\"] }\n";
        let found = check(&manifest(text), AuthorsTable::Package);
        let rules: Vec<_> = found.iter().map(|f| f.found.rule.name).collect();
        assert_eq!(rules, ["author-email", "author-email"]);
        assert_eq!(&text[found[0].found.range.clone()], "jane@gmail.com");
        assert_eq!(
            apply(text, found[0].fix.as_ref().unwrap()),
            "package = { name = \"a\", authors = [\"Jane\", \"bob@gmail.com\"] }\n"
        );
        assert_eq!(
            apply(text, found[1].fix.as_ref().unwrap()),
            "package = { name = \"a\", authors = [\"Jane <jane@gmail.com>\"] }\n"
        );
    }

    #[test]
    fn removals_take_the_entry_and_one_comma_or_its_line() {
        let fixed = |text: &str, n: usize| {
            let found = check(&manifest(text), AuthorsTable::Package);
            apply(text, found[n].fix.as_ref().unwrap())
        };
        let one_line = "[package]\nauthors = [\"a@gmail.com\", \"B\",\t'c@gmail.com' ,]\n";
        assert_eq!(
            fixed(one_line, 0),
            "[package]\nauthors = [\"B\",\t'c@gmail.com' ,]\n"
        );
        assert_eq!(
            fixed(one_line, 1),
            "[package]\nauthors = [\"a@gmail.com\", \"B\" ,]\n"
        );
        let lines =
            "[package]\r\nauthors = [\r\n  # first\r\n  \"a@gmail.com\", # a\r\n\t\"B\"\r\n]\r\n";
        assert_eq!(
            fixed(lines, 0),
            "[package]\r\nauthors = [\r\n  # first\r\n\t\"B\"\r\n]\r\n"
        );
    }

    #[test]
    fn crlf_and_bom_manifest_loses_only_the_authors_line() {
        let text = "\u{feff}[package]\r\nname = \"a\"\r\nauthors = [ \"jane@gmail.com\" ]\r\ndescription = \"\"\"\r\nx\r\n\"\"\"\r\n";
        let found = check(&manifest(text), AuthorsTable::Package);
        assert_eq!(&text[found[0].found.range.clone()], "jane@gmail.com");
        assert_eq!(
            apply(text, found[0].fix.as_ref().unwrap()),
            text.replace("authors = [ \"jane@gmail.com\" ]\r\n", "")
        );
    }

    #[test]
    fn ten_thousand_authors_on_one_line_are_all_found_and_fixable() {
        // The fix of each entry is computed from spans: this ran in
        // quadratic time before (see benches/corpus.rs for the timing).
        let entries: Vec<String> = (0..10_000)
            .map(|i| format!("\"Author {i} <author.{i}@gmail.com>\""))
            .collect();
        let text = format!(
            "[package]\nname = \"a\"\nauthors = [{}]\n",
            entries.join(", ")
        );
        let found = check(&manifest(&text), AuthorsTable::Package);
        assert_eq!(found.len(), 10_000);
        let last = apply(&text, found[9_999].fix.as_ref().unwrap());
        assert!(
            last.ends_with(", \"Author 9999\"]\n"),
            "{}",
            &last[last.len() - 80..]
        );
    }

    #[test]
    fn finds_personal_addresses_with_exact_spans_and_fixes() {
        let text = "[package]\nname = \"a\" # keep\nauthors = [\"Jane Doe <jane@gmail.com>\", 'bob@corp.io', \"Team <team@corp.io>\", \"1+x@users.noreply.github.com\"]\n";
        let m = manifest(text);
        let found = check(&m, AuthorsTable::Package);
        let rules: Vec<_> = found.iter().map(|f| f.found.rule.name).collect();
        assert_eq!(rules, ["author-email", "author-email", "role-email"]);
        assert_eq!(&text[found[0].found.range.clone()], "jane@gmail.com");
        assert_eq!(&text[found[1].found.range.clone()], "bob@corp.io");
        assert_eq!(found[0].found.redacted, "ja…@gmail.com");
        assert!(found[2].fix.is_none(), "role addresses get no fix");

        let fixed = apply(text, found[0].fix.as_ref().unwrap());
        assert_eq!(fixed, text.replace("Jane Doe <jane@gmail.com>", "Jane Doe"));
        let fixed = apply(text, found[1].fix.as_ref().unwrap());
        assert_eq!(fixed, text.replace(" 'bob@corp.io',", ""));
    }

    #[test]
    fn an_array_of_one_address_is_removed_with_its_key() {
        let text = "[package]\nname = \"a\"\nauthors = [\"jane@gmail.com\"]\nedition = \"2021\"\n";
        let found = check(&manifest(text), AuthorsTable::Package);
        let fix = found[0].fix.as_ref().unwrap();
        assert_eq!(
            apply(text, fix),
            "[package]\nname = \"a\"\nedition = \"2021\"\n"
        );
        assert_eq!(fix.applicability, Applicability::MachineApplicable);
    }

    #[test]
    fn workspace_authors_are_checked_in_the_root() {
        let text = "[workspace]\n[workspace.package]\nauthors = [\"Jane <jane@gmail.com>\"]\n";
        let found = check(&manifest(text), AuthorsTable::WorkspacePackage);
        assert_eq!(found.len(), 1);
        assert!(found[0].found.message.contains("workspace.package.authors"));
        assert!(check(&manifest(text), AuthorsTable::Package).is_empty());
    }

    #[test]
    fn minimal_edit_trims_common_ends() {
        assert_eq!(
            minimal_edit("abcXdef", "abcdef"),
            Some((3..4, String::new()))
        );
        assert_eq!(minimal_edit("aé", "aè"), Some((1..3, "è".into())));
        assert_eq!(minimal_edit("same", "same"), None);
        assert_eq!(minimal_edit("aaa", "aa"), Some((2..3, String::new())));
    }
}
