//! `author-email`: personal email addresses in `authors`.
//!
//! This rule reads the manifest structurally: it must know that a string is
//! an entry of `package.authors` or `workspace.package.authors` (the latter
//! ships in every member that says `authors.workspace = true`), and it
//! carries a fix that rewrites that entry. The fix is computed by editing the
//! document with `toml_edit` and turned into one minimal byte edit, so
//! everything around the entry (comments, spacing, quoting) is untouched.

use std::ops::Range;

use toml_edit::{DocumentMut, Item, Value};

use crate::diagnostic::{redact_email, Applicability, Category, Edit, Fix, Level, Match};
use crate::manifest::Manifest;
use crate::rules::email::{classify, find_emails, EmailKind, PERMANENT_NOTE, ROLE_EMAIL};
use crate::rules::Rule;

pub static RULES: &[&Rule] = &[&AUTHOR_EMAIL];

pub static AUTHOR_EMAIL: Rule = Rule {
    name: "author-email",
    category: Category::Email,
    default_level: Level::Warning,
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

/// Checks the `authors` array of `table` in `manifest`.
pub fn check(manifest: &Manifest, table: AuthorsTable) -> Vec<AuthorFinding> {
    let parent = match table {
        AuthorsTable::Package => manifest.package(),
        AuthorsTable::WorkspacePackage => manifest.workspace_package(),
    };
    let Some(array) = parent
        .and_then(|t| t.get("authors"))
        .and_then(Item::as_array)
    else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for (index, value) in array.iter().enumerate() {
        let (Some(entry), Some(span)) = (value.as_str(), value.span()) else {
            continue;
        };
        let literal = &manifest.text[span.clone()];
        for email in find_emails(entry) {
            let kind = classify(email.address);
            let (rule, what) = match kind {
                EmailKind::Public => continue,
                EmailKind::Role => (&ROLE_EMAIL, "role email address"),
                EmailKind::Personal => (&AUTHOR_EMAIL, "personal email address"),
            };
            // Point at the address itself when it appears verbatim in the
            // literal (no escapes), else at the whole string.
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
            let found = match table {
                AuthorsTable::WorkspacePackage => found.note(
                    "members with `authors.workspace = true` publish this value in their own Cargo.toml",
                ),
                AuthorsTable::Package => found,
            };
            let fix = (kind == EmailKind::Personal)
                .then(|| strip_email_fix(manifest, table, index, entry, literal, email.address))
                .flatten();
            let empties_workspace_authors = table == AuthorsTable::WorkspacePackage
                && fix.is_some()
                && array.len() == 1
                && strip_email(entry, email.address).is_none();
            findings.push(AuthorFinding {
                found,
                fix,
                empties_workspace_authors,
            });
        }
    }
    findings
}

/// The author entry without `email`: `"Jane Doe <jane@x.org>"` → `"Jane Doe"`.
/// `None` when nothing but the address (and punctuation) is left.
pub fn strip_email(entry: &str, email: &str) -> Option<String> {
    let without = entry
        .replace(&format!("<{email}>"), "")
        .replace(&format!("({email})"), "")
        .replace(&format!("[{email}]"), "")
        .replace(email, "");
    let name = without.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = name.trim_matches(|c: char| c.is_whitespace() || ",;<>()[]".contains(c));
    (!name.is_empty()).then(|| name.to_owned())
}

/// The edit that removes `email` from entry `index` of the `authors` array:
/// the entry keeps its name, an entry of only the address is removed, and an
/// array left empty is removed with its key.
fn strip_email_fix(
    manifest: &Manifest,
    table: AuthorsTable,
    index: usize,
    entry: &str,
    literal: &str,
    email: &str,
) -> Option<Fix> {
    let mut doc: DocumentMut = manifest.text.parse().ok()?;
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
    let (description, applicability) = match strip_email(entry, email) {
        Some(name) => {
            // `replace` keeps the entry's decor (spacing, comments).
            array.replace(index, same_quoting(literal, &name));
            (
                format!("keep the name `{name}` and drop the address"),
                Applicability::MachineApplicable,
            )
        }
        None => {
            crate::fix::remove_entry(array, index);
            if array.is_empty() {
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
            }
        }
    };
    let (range, replacement) = minimal_edit(&manifest.text, &doc.to_string())?;
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

    #[test]
    fn names_are_kept_and_addresses_dropped() {
        assert_eq!(
            strip_email("Jane Doe <jane@gmail.com>", "jane@gmail.com").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(strip_email("jane@gmail.com", "jane@gmail.com"), None);
        assert_eq!(strip_email("<jane@gmail.com>", "jane@gmail.com"), None);
        assert_eq!(
            strip_email("Jane (jane@gmail.com)", "jane@gmail.com").as_deref(),
            Some("Jane")
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
