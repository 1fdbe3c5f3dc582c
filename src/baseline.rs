//! Baselines: adopting the check on a crate without fixing everything first.
//!
//! `--write-baseline FILE` records the findings of a run; `--baseline FILE`
//! then reports only findings that are not recorded, and lists the entries
//! that no longer match anything so the file can be pruned. This module
//! owns the file format, reading, writing and matching.
//!
//! An entry is keyed by rule, package, path (relative to the workspace
//! root, `/`-separated) and a salted hash of the matched value
//! ([`ValueDigest::salted`]), never by line or column, so moving code does
//! not churn the file, and never by the value, so the file leaks nothing:
//! the salt is random per file (a list of guessed values hashed in advance
//! does not fit it) and is kept when the file is rewritten, so rewriting an
//! unchanged crate gives the same bytes. The same value twice in one file is
//! one entry with `count = 2`.
//!
//! The format is TOML, sorted, one `[[finding]]` table per entry, with a
//! `version`; it diffs line by line in review.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{Document, Item, Value};

use crate::diagnostic::Finding;
use crate::diagnostic::{Pointed, Reportable};
use crate::display::relative;
use crate::report::{Applied, Key, Report, Stale};

/// The format version written and understood.
pub const VERSION: i64 = 1;

/// A baseline file's contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Baseline {
    pub salt: String,
    pub entries: BTreeMap<Key, usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("failed to read baseline `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("failed to write baseline `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not a baseline this version understands; rendered rustc-style.
    #[error("malformed baseline `{}`: {message}", path.display())]
    Malformed {
        path: PathBuf,
        text: String,
        message: String,
        span: Option<Range<usize>>,
    },
}

impl BaselineError {
    /// The same error, naming the file `path` (as the user wrote it) in
    /// its message; a source excerpt keeps the path it was read from.
    pub fn named(self, path: &Path) -> BaselineError {
        match self {
            BaselineError::Read { source, .. } => BaselineError::Read {
                path: path.to_owned(),
                source,
            },
            BaselineError::Write { source, .. } => BaselineError::Write {
                path: path.to_owned(),
                source,
            },
            malformed => malformed,
        }
    }
}

impl Baseline {
    /// An empty baseline with a fresh random salt.
    pub fn new() -> Baseline {
        Baseline {
            salt: random_salt(),
            entries: BTreeMap::new(),
        }
    }

    /// The key of a finding under this baseline's salt.
    pub fn key(&self, finding: &Finding, workspace_root: &Path) -> Key {
        Key {
            rule: finding.rule.name.to_owned(),
            // As the written file shows them (through the output boundary),
            // so a package or file named like a secret never reaches it and
            // a baseline read back still matches.
            package: crate::output::clean(&finding.package),
            path: crate::output::clean(&relative(&finding.path, workspace_root)),
            hash: finding.digest.salted(&self.salt),
        }
    }

    /// Replaces the entries with the report's findings.
    pub fn record(&mut self, report: &Report, workspace_root: &Path) {
        self.entries.clear();
        for finding in report.packages.iter().flat_map(|p| &p.findings) {
            *self
                .entries
                .entry(self.key(finding, workspace_root))
                .or_insert(0) += 1;
        }
    }

    /// Drops the findings the baseline holds from `report`; what is left
    /// of the baseline is stale.
    pub fn apply(&self, report: &mut Report, workspace_root: &Path, path: &Path) -> Applied {
        let mut left = self.entries.clone();
        let mut suppressed = 0;
        for package in &mut report.packages {
            // Accepted findings are not reported, but their values stay
            // masked where another finding shows their line.
            let (accepted, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut package.findings)
                .into_iter()
                .partition(
                    |finding| match left.get_mut(&self.key(finding, workspace_root)) {
                        Some(count) if *count > 0 => {
                            *count -= 1;
                            suppressed += 1;
                            true
                        }
                        _ => false,
                    },
                );
            package.findings = kept;
            package.hidden.extend(accepted);
        }
        Applied {
            path: path.to_owned(),
            suppressed,
            stale: left
                .into_iter()
                .filter(|(_, count)| *count > 0)
                .map(|(key, count)| Stale { key, count })
                .collect(),
        }
    }

    /// The file's text: a header, then sorted entries.
    pub fn to_toml(&self) -> String {
        let quote = |s: &str| Value::from(s).to_string().trim().to_owned();
        let mut out = String::from(
            "# cargo privacy-check baseline: findings accepted as they are.\n\
             # `cargo privacy-check --baseline FILE` reports only findings not listed\n\
             # here; `--write-baseline FILE` rewrites it. No value is stored: `hash` is\n\
             # a digest of the matched value under this file's random `salt`.\n",
        );
        out.push_str(&format!(
            "version = {VERSION}\nsalt = {}\n",
            quote(&self.salt)
        ));
        for (key, count) in &self.entries {
            out.push_str(&format!(
                "\n[[finding]]\nrule = {}\npackage = {}\npath = {}\nhash = {}\n",
                quote(&key.rule),
                quote(&key.package),
                quote(&key.path),
                quote(&key.hash)
            ));
            if *count > 1 {
                out.push_str(&format!("count = {count}\n"));
            }
        }
        out
    }

    /// Parses a baseline file's text.
    pub fn parse(path: &Path, text: String) -> Result<Baseline, BaselineError> {
        let malformed = Malformed { path, text: &text };
        let doc = Document::parse(text.clone())
            .map_err(|err| malformed.at(err.message().trim_end(), err.span()))?;
        reject_unknown_keys(&doc, &["version", "salt", "finding"], &malformed)?;
        check_version(&doc, &malformed)?;
        let Some(salt) = doc.get("salt").and_then(Item::as_str) else {
            return Err(malformed.at(
                "`salt` must be a string",
                doc.get("salt").and_then(Item::span),
            ));
        };
        let mut baseline = Baseline {
            salt: salt.to_owned(),
            entries: BTreeMap::new(),
        };
        let findings = match doc.get("finding") {
            None => return Ok(baseline),
            Some(item) => item.as_array_of_tables().ok_or_else(|| {
                malformed.at(
                    "`finding` must be an array of tables (`[[finding]]`)",
                    item.span(),
                )
            })?,
        };
        for table in findings.iter() {
            reject_unknown_keys(
                table,
                &["rule", "package", "path", "hash", "count"],
                &malformed,
            )?;
            let key = entry_key(table, &malformed)?;
            let count = entry_count(table, &malformed)?;
            *baseline.entries.entry(key).or_insert(0) += count;
        }
        Ok(baseline)
    }

    /// Reads a baseline from a regular file of at most
    /// [`MAX_BASELINE_SIZE`] bytes.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = read_to_string(path).map_err(|source| BaselineError::Read {
            path: path.to_owned(),
            source,
        })?;
        Baseline::parse(path, text)
    }

    /// Writes the file atomically through [`crate::atomic_write`] (a
    /// flushed temporary file renamed over it; links, owner and mode kept),
    /// so a reader never sees half a baseline.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        use crate::atomic_write::{self, WriteError};
        atomic_write::write(
            path,
            // The file is output too: it goes through the output boundary.
            crate::output::clean(&self.to_toml()).as_bytes(),
            &atomic_write::Options::default(),
        )
        .map_err(|err| BaselineError::Write {
            path: path.to_owned(),
            source: match err {
                WriteError::Io { source, .. } => source,
                other => std::io::Error::other(other.to_string()),
            },
        })
    }
}

impl Default for Baseline {
    fn default() -> Self {
        Baseline::new()
    }
}

/// Builds the errors of one baseline file's parse: each names the file and
/// carries its text, for a rustc-style snippet.
struct Malformed<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Malformed<'_> {
    /// The error `message`, pointing at `span` of the text when known.
    fn at(&self, message: impl Into<String>, span: Option<Range<usize>>) -> BaselineError {
        BaselineError::Malformed {
            path: self.path.to_owned(),
            text: self.text.to_owned(),
            message: message.into(),
            span,
        }
    }
}

/// Fails on the first key of `table` not in `allowed`, pointing at the key
/// (or at its value when the key has no span).
fn reject_unknown_keys(
    table: &toml_edit::Table,
    allowed: &[&str],
    malformed: &Malformed<'_>,
) -> Result<(), BaselineError> {
    for (key, item) in table.iter() {
        if !allowed.contains(&key) {
            let span = table
                .key(key)
                .and_then(|k| k.span())
                .or_else(|| item.span());
            return Err(malformed.at(format!("unknown key `{key}`"), span));
        }
    }
    Ok(())
}

/// Fails unless the file says `version = 1` ([`VERSION`]).
fn check_version(doc: &Document<String>, malformed: &Malformed<'_>) -> Result<(), BaselineError> {
    let span = doc.get("version").and_then(Item::span);
    match doc.get("version").and_then(Item::as_integer) {
        Some(VERSION) => Ok(()),
        Some(other) => Err(malformed.at(
            format!("version {other} is not supported (this tool reads version {VERSION})"),
            span,
        )),
        None => Err(malformed.at("no `version = 1`: not a cargo privacy-check baseline", span)),
    }
}

/// The key a `[[finding]]` table names: its four string fields.
fn entry_key(table: &toml_edit::Table, malformed: &Malformed<'_>) -> Result<Key, BaselineError> {
    let field = |name: &str| -> Result<String, BaselineError> {
        table
            .get(name)
            .and_then(Item::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                malformed.at(
                    format!("`[[finding]]` needs a string `{name}`"),
                    table
                        .get(name)
                        .and_then(Item::span)
                        .or_else(|| table.span()),
                )
            })
    };
    Ok(Key {
        rule: field("rule")?,
        package: field("package")?,
        path: field("path")?,
        hash: field("hash")?,
    })
}

/// A `[[finding]]` table's `count`: 1 when absent, else a positive integer.
fn entry_count(
    table: &toml_edit::Table,
    malformed: &Malformed<'_>,
) -> Result<usize, BaselineError> {
    let Some(item) = table.get("count") else {
        return Ok(1);
    };
    match item.as_integer().and_then(|n| usize::try_from(n).ok()) {
        Some(n) if n > 0 => Ok(n),
        _ => Err(malformed.at("`count` must be a positive integer", item.span())),
    }
}

/// The baseline to rewrite at `path`: the existing one's salt (so an
/// unchanged crate rewrites the same bytes), or a new salt if there is no
/// file. A file that is there but is not a baseline is an error: it is not
/// ours to overwrite.
pub fn for_rewrite(path: &Path) -> Result<Baseline, BaselineError> {
    match read_to_string(path) {
        Ok(text) => Baseline::parse(path, text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Baseline::new()),
        Err(source) => Err(BaselineError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// The largest baseline read: 64 MiB, some 300,000 entries (each is one
/// finding's key, about 200 bytes), far beyond any real one.
pub const MAX_BASELINE_SIZE: u64 = 64 * 1024 * 1024;

/// A baseline file's text: only a regular file is read (`/dev/zero` or a
/// FIFO is refused, not read forever), and never more than
/// [`MAX_BASELINE_SIZE`] plus one byte.
fn read_to_string(path: &Path) -> std::io::Result<String> {
    crate::read::read_to_string(path, MAX_BASELINE_SIZE).map_err(Into::into)
}

/// 128 random bits in hex. std's `RandomState` keys come from the
/// operating system's random source; two of them, fed the time and the
/// process id, give the salt without another dependency. The salt need not
/// be secret, only unpredictable before the file exists.
fn random_salt() -> String {
    use std::hash::{BuildHasher, Hasher};
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut salt = String::with_capacity(32);
    for round in 0u8..2 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(now);
        hasher.write_u32(std::process::id());
        hasher.write_u8(round);
        salt.push_str(&format!("{:016x}", hasher.finish()));
    }
    salt
}

impl Reportable for BaselineError {
    fn message(&self) -> String {
        match self {
            BaselineError::Malformed { span: Some(_), .. } => "malformed baseline".to_owned(),
            BaselineError::Malformed { path, message, .. } => {
                format!("malformed baseline `{}`: {message}", path.display())
            }
            other => other.to_string(),
        }
    }

    fn help(&self) -> Option<String> {
        match self {
            BaselineError::Malformed { .. } => Some(
                "a baseline is written by `cargo privacy-check --write-baseline FILE`, \
                 which does not overwrite a file that is not one"
                    .to_owned(),
            ),
            BaselineError::Read { path, .. } => Some(format!(
                "create it with `cargo privacy-check --write-baseline {}`",
                path.display()
            )),
            BaselineError::Write { .. } => None,
        }
    }

    fn pointed(&self) -> Option<Pointed> {
        let BaselineError::Malformed {
            path,
            text,
            message,
            span,
        } = self
        else {
            return None;
        };
        Pointed::at(path, text, span, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(rule: &str, hash: &str) -> Key {
        Key {
            rule: rule.into(),
            package: "demo".into(),
            path: "src/a \"b\".rs".into(),
            hash: hash.into(),
        }
    }

    #[test]
    fn the_file_round_trips_sorted_with_counts() {
        let mut baseline = Baseline::new();
        baseline.entries.insert(key("url-credentials", "ff"), 1);
        baseline.entries.insert(key("author-email", "aa"), 3);
        let text = baseline.to_toml();
        assert!(text.find("author-email").unwrap() < text.find("url-credentials").unwrap());
        assert!(text.contains("count = 3\n"));
        assert_eq!(text.matches("count").count(), 1, "count only when above 1");
        let read = Baseline::parse(Path::new("b.toml"), text.clone()).unwrap();
        assert_eq!(read, baseline);
        assert_eq!(read.to_toml(), text);
    }

    #[test]
    fn salts_are_random_and_hex() {
        let (a, b) = (random_salt(), random_salt());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn malformed_files_point_at_the_problem() {
        let cases = [
            ("version = 2\nsalt = \"x\"\n", "version 2 is not supported", "2"),
            ("version = 1\nsalt = 3\n", "`salt` must be a string", "3"),
            ("version = 1\nsalt = \"x\"\nextra = 1\n", "unknown key `extra`", "extra"),
            (
                "version = 1\nsalt = \"x\"\n[[finding]]\nrule = \"r\"\npackage = \"p\"\npath = \"f\"\n",
                "needs a string `hash`",
                "",
            ),
            (
                "version = 1\nsalt = \"x\"\n[[finding]]\nrule = \"r\"\npackage = \"p\"\npath = \"f\"\nhash = \"h\"\ncount = 0\n",
                "positive integer",
                "0",
            ),
            ("version = \n", "", ""),
            ("[package]\nname = \"x\"\n", "unknown key `package`", "package"),
        ];
        for (text, message, spanned) in cases {
            let err = Baseline::parse(Path::new("b.toml"), text.to_owned()).unwrap_err();
            let BaselineError::Malformed {
                message: got, span, ..
            } = err
            else {
                panic!("{text}: {err}")
            };
            assert!(got.contains(message), "{text}: {got}");
            if !spanned.is_empty() {
                assert_eq!(&text[span.unwrap()], spanned, "{text}");
            }
        }
    }
}
