//! Findings and everything a reporter needs to show one.
//!
//! A rule produces a [`Match`]: a byte range in some text, a message and the
//! redacted form of what it matched. The scanner turns matches into
//! [`Finding`]s by adding where the text came from (package, source path,
//! line and column) and the effective level. Redaction happens here and
//! nowhere else: a `Match` is built through [`Match::new`], which takes the
//! redacted form up front, so no reporter ever has to decide what may be
//! shown.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A lint level: what a rule's default, `-A`/`-W`/`-D` and `[lints]` say
/// about a rule. `Allow` silences it; `Note` is a default only (rules
/// whose findings are worth a look, not a warning), as no flag sets it.
///
/// Ordered from quietest to loudest so `max` picks the stricter level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Allow,
    Note,
    Warn,
    Deny,
}

impl Level {
    /// The severity its findings are reported at; `None` for `Allow`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Note => Some(Severity::Note),
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }

    /// How a rule's default level is shown (`--list-rules`, `--explain`):
    /// as the severity its findings get, `allow` when they are silenced.
    pub fn as_str(self) -> &'static str {
        self.severity().map_or("allow", Severity::as_str)
    }
}

/// How a reported finding, a problem or a file not scanned is shown: a
/// rustc severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The kind of data a rule protects; also usable as a group name for levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Email,
    Secret,
    PrivateKey,
    SensitiveFile,
    HomePath,
    Pii,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Email,
        Category::Secret,
        Category::PrivateKey,
        Category::SensitiveFile,
        Category::HomePath,
        Category::Pii,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Email => "email",
            Category::Secret => "secret",
            Category::PrivateKey => "private-key",
            Category::SensitiveFile => "sensitive-file",
            Category::HomePath => "home-path",
            Category::Pii => "pii",
        }
    }
}

/// A documented check. `doc` is Markdown with the sections `What it does`,
/// `Why is this bad?`, `Example` and `How to fix`; `--explain` prints it.
#[derive(Debug)]
pub struct Rule {
    pub name: &'static str,
    pub category: Category,
    pub default_level: Level,
    /// One line, used in `--list-rules`, the rules table in `docs/rules.md` and SARIF.
    pub summary: &'static str,
    pub doc: &'static str,
    /// The fix its findings can carry (`--list-rules` shows it).
    pub fix: Option<Applicability>,
    /// It recognises a secret by where it stands (a credential-named key,
    /// a URL's user-info) rather than by its shape: when a specific rule
    /// matches the same text, the specific finding is the one reported.
    pub generic: bool,
    /// In test context its findings are relaxed from error to warning,
    /// with a note ([`crate::rules::relaxed_in_tests`]).
    pub relaxed_in_tests: bool,
    /// A finding of this rule on a whole file covers the findings of these
    /// rules inside it (a key file is reported as a file; the key in it is
    /// that finding).
    pub covers: &'static [&'static Rule],
}

impl Rule {
    /// What a rule is unless it says otherwise: no fix, specific, judged
    /// alike in tests, covering nothing. Rule statics end with
    /// `..Rule::DEFAULT`.
    pub const DEFAULT: Rule = Rule {
        name: "",
        category: Category::Secret,
        default_level: Level::Warn,
        summary: "",
        doc: "",
        fix: None,
        generic: false,
        relaxed_in_tests: false,
        covers: &[],
    };
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for Rule {}

/// A place in an input file an error is about: the file's path and text,
/// the span, and the label under it.
#[derive(Debug)]
pub struct Pointed {
    pub path: PathBuf,
    pub text: String,
    pub span: Range<usize>,
    pub label: String,
}

impl Pointed {
    /// `span` of the file `path` holding `text`, labelled; `None` without
    /// a span (the error is then the file's as a whole).
    pub fn at(path: &Path, text: &str, span: &Option<Range<usize>>, label: &str) -> Option<Self> {
        Some(Pointed {
            path: path.to_owned(),
            text: text.to_owned(),
            span: span.clone()?,
            label: label.to_owned(),
        })
    }
}

/// An error that stops a run, as the command line reports it (rustc-style,
/// exit status 2): each module says what its errors mean, next to where it
/// makes them; `cli` turns any of them into its one `Failure` type.
pub trait Reportable {
    /// The error line.
    fn message(&self) -> String;
    /// What to do about it.
    fn help(&self) -> Option<String> {
        None
    }
    /// The place in an input file it is about.
    fn pointed(&self) -> Option<Pointed> {
        None
    }
}

/// Whether a fix can be applied without a person looking at it (rustc's terms).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    MachineApplicable,
    MaybeIncorrect,
}

/// One replacement in one file. Ranges are byte offsets into the file as it
/// is on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub path: PathBuf,
    pub range: Range<usize>,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub description: String,
    pub edits: Vec<Edit>,
}

/// What a rule found in a piece of text, before it is placed in a package.
#[derive(Clone, Debug)]
pub struct Match {
    pub rule: &'static Rule,
    /// Byte range of the offending value in the scanned text; empty for a
    /// whole-file finding.
    pub range: Range<usize>,
    pub whole_file: bool,
    pub message: String,
    /// Short text under the underline.
    pub label: String,
    /// What was matched, redacted: the only form of the value that leaves
    /// the scanner.
    pub redacted: String,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Match {
    pub fn new(
        rule: &'static Rule,
        range: Range<usize>,
        message: impl Into<String>,
        redacted: String,
    ) -> Self {
        Match {
            rule,
            range,
            whole_file: false,
            message: message.into(),
            label: String::new(),
            redacted,
            notes: Vec::new(),
            help: None,
        }
    }

    /// A finding about a file as a whole (it must not ship at all).
    pub fn whole_file(rule: &'static Rule, message: impl Into<String>, redacted: String) -> Self {
        Match {
            whole_file: true,
            ..Match::new(rule, 0..0, message, redacted)
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A 1-based position; `column` counts characters, like rustc.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A match placed in a package: which file a person edits, and where.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    pub level: Severity,
    pub package: String,
    /// The source file to edit (absolute).
    pub path: PathBuf,
    /// Where the file ships inside the .crate (`Cargo.toml.orig`, `README.md`, …).
    pub archive_path: String,
    /// Byte range in `path`; `None` for a whole-file finding.
    pub range: Option<Range<usize>>,
    /// Start and (exclusive) end of the span; `None` for a whole-file finding.
    pub start: Option<Position>,
    pub end: Option<Position>,
    /// For a value found in the printable strings of a binary file (which
    /// has no lines): the bytes it occupies in the file. `None` otherwise.
    pub byte_region: Option<Range<u64>>,
    pub message: String,
    pub label: String,
    pub redacted: String,
    pub notes: Vec<String>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// Identifies the matched value without holding it.
    pub digest: ValueDigest,
    /// A warning raised to an error by `-D warnings` (or `warnings =
    /// "deny"`), which the human format says once per rule.
    pub promoted: bool,
}

/// A one-way digest of the value a finding matched: what identifies the
/// value across runs (baselines, allow lists, SARIF fingerprints) without
/// carrying it. SHA-256 over a fixed domain prefix and the value; for a
/// whole-file finding the value is the file's path inside the .crate.
///
/// Only derived forms leave the process: [`ValueDigest::fingerprint`] (the
/// first 64 bits, in hex, printed in JSON and accepted by configuration) and
/// [`ValueDigest::salted`] (a baseline entry's key, under that baseline's
/// random salt, so a committed baseline cannot be checked against a list of
/// guessed values prepared in advance).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ValueDigest([u8; 32]);

impl ValueDigest {
    pub fn of(value: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        hasher.update(b"cargo-privacy-check value v1\0");
        hasher.update(value);
        ValueDigest(hasher.finalize().into())
    }

    /// 16 hex digits naming the value; stable across versions of the tool.
    pub fn fingerprint(&self) -> String {
        hex(&self.0[..8])
    }

    /// 32 hex digits: SHA-256 of `salt` and the digest, truncated.
    pub fn salted(&self, salt: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        hasher.update(salt.as_bytes());
        hasher.update(b"\0");
        hasher.update(self.0);
        hex(&hasher.finalize()[..16])
    }
}

impl std::fmt::Debug for ValueDigest {
    // Never the full digest, even in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ValueDigest({})", self.fingerprint())
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Maps byte offsets of a text to 1-based line and character columns.
///
/// Columns are counted from a table of character counts every
/// [`BLOCK`] bytes, so a position costs at most a block's worth of
/// counting whatever the length of its line: thousands of findings on one
/// long line are placed in linear time.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Characters in `text[..i * BLOCK]`, for each block `i`.
    chars_before_block: Vec<usize>,
}

const BLOCK: usize = 256;

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut chars_before_block = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut count = 0;
        chars_before_block.push(0);
        for block in text.as_bytes().chunks(BLOCK) {
            count += chars_in(block);
            chars_before_block.push(count);
        }
        LineIndex {
            text,
            starts,
            chars_before_block,
        }
    }

    /// 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The text between two offsets of the indexed text.
    pub fn slice(&self, range: &Range<usize>) -> &'a str {
        &self.text[range.clone()]
    }

    /// Characters in `text[..offset]`.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / BLOCK;
        self.chars_before_block[block] + chars_in(&self.text.as_bytes()[block * BLOCK..offset])
    }

    pub fn position(&self, offset: usize) -> Position {
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = self.chars_before(offset) - self.chars_before(start) + 1;
        Position {
            line: line + 1,
            column,
        }
    }
}

/// Characters in UTF-8 bytes (cut anywhere): the bytes that start one.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// Text from the input (a file or archive entry name, a package name, an
/// allow-comment name, `cargo metadata`'s error text) as it may appear in a
/// message: every control character (ESC, CR, newline, BEL…) and every
/// bidirectional control written as Rust's `{:?}` would (`\u{1b}`), so
/// that input never styles, moves, clears or splits the output. The output
/// boundary ([`crate::output`]) lets the renderers' own SGR styling
/// through; that is why input is escaped here, where it enters a message.
pub fn escape_input(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Control characters and the bidirectional controls that can make a
/// terminal show text other than what was written.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Like [`escape_input`] for multi-line text (`cargo metadata`'s error
/// output): newlines and tabs are kept, everything else is escaped.
pub fn escape_input_lines(s: &str) -> String {
    s.split('\n')
        .map(|line| escape_input(line).replace("\\u{9}", "\t"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Shortens an email address to what identifies it for the reader without
/// repeating it: the first characters of the mailbox and the whole domain.
pub fn redact_email(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => format!("{}…@{}", keep_start(local, 4), domain),
        None => keep_start(email, 4) + "…",
    }
}

/// Redacts a secret, keeping only a known non-secret prefix (the provider's
/// marker such as `ghp_`), so a reader can tell which credential leaked.
pub fn redact_secret(secret: &str, public_prefix_len: usize) -> String {
    let prefix: String = secret.chars().take(public_prefix_len).collect();
    format!("{prefix}…")
}

/// At most `max` characters from the start of `s`, and never more than half
/// of it, so short values are not given away whole.
fn keep_start(s: &str, max: usize) -> String {
    let count = s.chars().count();
    let keep = max.min(count / 2).max(usize::from(count > 1));
    s.chars().take(keep).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_redaction_keeps_domain_and_hides_the_mailbox() {
        assert_eq!(redact_email("alice.smith@gmail.com"), "alic…@gmail.com");
        assert_eq!(redact_email("jo@x.org"), "j…@x.org");
        assert_eq!(redact_email("a@x.org"), "…@x.org");
    }

    #[test]
    fn secret_redaction_keeps_only_the_prefix() {
        assert_eq!(redact_secret("ghp_abcdefghijklmnop", 4), "ghp_…");
        assert_eq!(redact_secret("secret", 0), "…");
    }

    #[test]
    fn digests_name_the_value_not_the_place() {
        let a = ValueDigest::of(b"hunter2-but-longer");
        assert_eq!(a, ValueDigest::of(b"hunter2-but-longer"));
        assert_ne!(a, ValueDigest::of(b"hunter2-but-longeR"));
        assert_eq!(a.fingerprint().len(), 16);
        assert!(a.fingerprint().bytes().all(|b| b.is_ascii_hexdigit()));
        // A salt changes the key; the same salt gives the same key.
        assert_ne!(a.salted("one"), a.salted("two"));
        assert_eq!(a.salted("one"), a.salted("one"));
        assert_eq!(a.salted("one").len(), 32);
        assert!(!format!("{a:?}").contains(&a.salted("")));
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "a = 1\nnamé = \"x@y.z\"\n";
        let index = LineIndex::new(text);
        let at = text.find('"').unwrap();
        assert_eq!(index.position(at), Position { line: 2, column: 8 });
        assert_eq!(index.line_of(0), 0);
        assert_eq!(index.line_of(6), 1);
        assert_eq!(index.position(text.len()), Position { line: 3, column: 1 });
        // Before and after the first non-ASCII character of a line.
        assert_eq!(index.position(8), Position { line: 2, column: 3 });
        assert_eq!(index.position(11), Position { line: 2, column: 5 });
        // Past a block boundary, on a long line with wide characters.
        let long = format!("x\n{}é{}", "é".repeat(300), "a".repeat(700));
        let index = LineIndex::new(&long);
        for offset in [2, 2 + 2 * 300, 2 + 2 * 301 + 5, long.len()] {
            let expected = long[2..offset].chars().count() + 1;
            assert_eq!(index.position(offset).column, expected, "at {offset}");
        }
    }
}
