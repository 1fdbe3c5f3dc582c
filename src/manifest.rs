//! `Cargo.toml` read with spans, and what a member inherits from its
//! workspace root.
//!
//! A package's `.crate` holds its manifest twice: `Cargo.toml.orig` byte for
//! byte (comments included) and a normalized `Cargo.toml` in which every
//! `key.workspace = true` is replaced by the root manifest's value. So what
//! ships from a workspace member is its own manifest plus the inherited
//! values of the root manifest; [`Manifest::inherited_ranges`] names those
//! values, so the scanner can check them and point at the line where the fix
//! belongs: the root manifest.
//! Manifests are read as every input file is ([`crate::read`]), at most
//! [`MAX_MANIFEST_SIZE`].

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Pointed, Reportable};
use toml_edit::{Document, Item, Table};

/// A parsed manifest and its text.
pub struct Manifest {
    pub path: PathBuf,
    pub text: String,
    pub doc: Document<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("failed to read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Invalid TOML; rendered rustc-style by [`crate::render`].
    #[error("failed to parse manifest at `{}`: {message}", path.display())]
    Toml {
        path: PathBuf,
        text: String,
        message: String,
        span: Option<Range<usize>>,
    },
}

/// The tables whose entries can say `workspace = true` to inherit a
/// dependency from `[workspace.dependencies]`.
const DEPENDENCY_TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

/// The largest manifest read: 10 MiB (crates.io's own limit on a whole
/// `.crate`), far beyond any real `Cargo.toml`. The configuration file
/// (`privacy-check.toml`) has the same limit.
pub const MAX_MANIFEST_SIZE: u64 = 10 * 1024 * 1024;

impl Manifest {
    /// Reads a manifest from a regular file of at most
    /// [`MAX_MANIFEST_SIZE`] bytes.
    pub fn read(path: &Path) -> Result<Self, ManifestError> {
        let text = crate::read::read_to_string(path, MAX_MANIFEST_SIZE).map_err(|source| {
            ManifestError::Io {
                path: path.to_owned(),
                source: source.into(),
            }
        })?;
        Self::parse(path, text)
    }

    pub fn parse(path: &Path, text: String) -> Result<Self, ManifestError> {
        match Document::parse(text.clone()) {
            Ok(doc) => Ok(Manifest {
                path: path.to_owned(),
                text,
                doc,
            }),
            Err(err) => {
                let message = err.message().trim_end();
                // toml_edit gives its nesting limit no place and a terse
                // message ("recursion limit"): say what it means, and point
                // at the first line rather than at nothing.
                let message = if err.span().is_none() && message.contains("recursion limit") {
                    "keys, tables or values nested too deeply (toml_edit's recursion limit)"
                        .to_owned()
                } else {
                    message.to_owned()
                };
                Err(ManifestError::Toml {
                    path: path.to_owned(),
                    message,
                    span: err.span().or(Some(0..0)),
                    text,
                })
            }
        }
    }

    /// `[package]` (or the legacy `[project]`).
    pub fn package(&self) -> Option<&Table> {
        self.doc
            .get("package")
            .or_else(|| self.doc.get("project"))
            .and_then(Item::as_table)
    }

    /// `[workspace.package]`.
    pub fn workspace_package(&self) -> Option<&Table> {
        self.doc.get("workspace")?.get("package")?.as_table()
    }

    /// True when `package.KEY` is `{ workspace = true }` (in any spelling:
    /// `KEY.workspace = true` or an inline table).
    pub fn inherits(&self, key: &str) -> bool {
        self.package()
            .and_then(|p| p.get(key))
            .is_some_and(is_workspace_inherited)
    }

    /// Byte ranges of `root` (the workspace root manifest) that ship inside
    /// this member's normalized `Cargo.toml`: each `[workspace.package]`
    /// value this package inherits, and each `[workspace.dependencies]` entry
    /// one of its dependency tables inherits. Returned with the dotted key
    /// each range belongs to, for messages.
    pub fn inherited_ranges(&self, root: &Manifest) -> Vec<(String, Range<usize>)> {
        let mut ranges = Vec::new();
        if let (Some(package), Some(ws_package)) = (self.package(), root.workspace_package()) {
            for (key, item) in package.iter() {
                if is_workspace_inherited(item) {
                    if let Some(span) = ws_package.get(key).and_then(item_span) {
                        ranges.push((format!("workspace.package.{key}"), span));
                    }
                }
            }
        }
        let ws_deps = root
            .doc
            .get("workspace")
            .and_then(|w| w.get("dependencies"))
            .and_then(Item::as_table_like);
        if let Some(ws_deps) = ws_deps {
            for table in self.dependency_tables() {
                for (name, item) in table.iter() {
                    if is_workspace_inherited(item) {
                        if let Some(span) = ws_deps.get(name).and_then(item_span) {
                            ranges.push((format!("workspace.dependencies.{name}"), span));
                        }
                    }
                }
            }
        }
        ranges.sort_by_key(|(_, r)| (r.start, r.end));
        ranges.dedup_by(|a, b| a.1 == b.1);
        ranges
    }

    /// `[dependencies]`-like tables, top level and under `[target.*]`.
    fn dependency_tables(&self) -> Vec<&dyn toml_edit::TableLike> {
        let mut scopes: Vec<&Table> = vec![self.doc.as_table()];
        if let Some(targets) = self.doc.get("target").and_then(Item::as_table) {
            scopes.extend(targets.iter().filter_map(|(_, t)| t.as_table()));
        }
        scopes
            .into_iter()
            .flat_map(|scope| {
                DEPENDENCY_TABLES
                    .iter()
                    .chain(&["dev_dependencies", "build_dependencies"])
                    .filter_map(move |name| scope.get(name).and_then(Item::as_table_like))
            })
            .collect()
    }
}

/// `{ workspace = true }` in any of its spellings.
fn is_workspace_inherited(item: &Item) -> bool {
    item.as_table_like()
        .and_then(|t| t.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

/// The byte span of an item. toml_edit spans a standard table by its header
/// only; here a table covers its header and all its entries.
pub fn item_span(item: &Item) -> Option<Range<usize>> {
    let Some(table) = item.as_table_like().filter(|_| !item.is_inline_table()) else {
        return item.span();
    };
    let mut whole = item.span();
    for (_, child) in table.iter() {
        if let Some(span) = item_span(child) {
            whole = Some(match whole {
                Some(w) => w.start.min(span.start)..w.end.max(span.end),
                None => span,
            });
        }
    }
    whole
}

impl Reportable for ManifestError {
    fn message(&self) -> String {
        match self {
            ManifestError::Toml { .. } => "failed to parse manifest".to_owned(),
            io => io.to_string(),
        }
    }

    /// The `-->` line names the file, relative to where we run.
    fn pointed(&self) -> Option<Pointed> {
        let ManifestError::Toml {
            path,
            text,
            message,
            span,
        } = self
        else {
            return None;
        };
        Pointed::at(path, text, span, message.lines().next().unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Manifest {
        Manifest::parse(Path::new("Cargo.toml"), text.to_owned()).unwrap()
    }

    #[test]
    fn inherited_values_are_the_root_values_the_member_uses() {
        let root = manifest(
            r#"[workspace]
members = ["a"]

[workspace.package]
authors = ["Jane <jane@gmail.com>"]
repository = "https://github.com/o/r"
homepage = "https://not-inherited.example"

[workspace.dependencies]
internal = { git = "https://u:${TOKEN}@git.corp.net/x.git" }
other = "1"

[workspace.dependencies.tabled]
git = "https://git.corp.net/t.git"
"#,
        );
        let member = manifest(
            r#"[package]
name = "a"
authors.workspace = true
repository = { workspace = true }

[dependencies]
internal.workspace = true

[target.'cfg(unix)'.dev-dependencies]
tabled = { workspace = true }
"#,
        );
        let ranges: Vec<(String, &str)> = member
            .inherited_ranges(&root)
            .into_iter()
            .map(|(k, r)| (k, &root.text[r]))
            .collect();
        assert_eq!(
            ranges,
            [
                (
                    "workspace.package.authors".into(),
                    r#"["Jane <jane@gmail.com>"]"#
                ),
                (
                    "workspace.package.repository".into(),
                    r#""https://github.com/o/r""#
                ),
                (
                    "workspace.dependencies.internal".into(),
                    r#"{ git = "https://u:${TOKEN}@git.corp.net/x.git" }"#
                ),
                (
                    "workspace.dependencies.tabled".into(),
                    "[workspace.dependencies.tabled]\ngit = \"https://git.corp.net/t.git\""
                ),
            ]
        );
        assert!(member.inherits("authors"));
        assert!(!member.inherits("homepage"));
    }

    #[test]
    fn a_deeply_dotted_key_said_only_failed_to_parse() {
        let key = vec!["a"; 5000].join(".");
        let err = Manifest::parse(Path::new("Cargo.toml"), format!("{key} = 1\n"))
            .err()
            .unwrap();
        match err {
            ManifestError::Toml { span, message, .. } => {
                assert_eq!(span, Some(0..0));
                assert_eq!(
                    message,
                    "keys, tables or values nested too deeply (toml_edit's recursion limit)"
                );
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn invalid_toml_reports_message_and_span() {
        let err = Manifest::parse(Path::new("Cargo.toml"), "[package]\nname = \n".into())
            .err()
            .unwrap();
        match err {
            ManifestError::Toml { span, message, .. } => {
                assert!(span.is_some());
                assert!(!message.is_empty());
            }
            other => panic!("{other}"),
        }
    }
}
