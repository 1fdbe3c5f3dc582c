//! Importing a gitleaks / Betterleaks TOML rule file as custom rules.
//!
//! A `[[rules]]` entry becomes a [`RuleSpec`]: `id`, `description`,
//! `regex`, `secretGroup`, `entropy`, `keywords`, `path` (a Go regex over
//! the file's path: with `regex`, the files the rule is limited to;
//! alone, a file that must not ship), `tags` (shown by `--explain`), and
//! each `[[rules.allowlists]]` (or the older `[rules.allowlist]`) with its
//! `regexes`, `stopwords`, `paths`, `regexTarget` (`secret`, `match`,
//! `line`) and `condition` (`OR`, `AND`). The file's global `[allowlist]`
//! / `[[allowlists]]` apply to every rule of the file (one with
//! `targetRules` to the rules it names).
//!
//! What does not map is said per rule and that rule alone is skipped
//! ([`Skipped`]): Betterleaks' `filter` and `validate` expressions (this
//! tool runs no expression from its input), a key this importer does not
//! know, and what [`super::compile`] refuses (Go regex syntax Rust's `regex`
//! does not accept, such as look-around; a regex that can match the empty
//! string). `[extend]` is reported and ignored: the built-in rules are
//! always on (levels turn them off), and a file is never read implicitly.
//!
//! An id that is a built-in rule's or category's name is imported as
//! `gitleaks-ID` ([`PREFIX`]); ids are lowercased and `_`/`.` become `-`.

use std::ops::Range;

use toml_edit::{Item, TableLike, Value};

use super::{AllowSpec, PathPattern, RuleSpec, SecretGroup, Target};
use crate::diagnostic::Category;

/// What an imported id that names a built-in rule or category is prefixed
/// with.
pub const PREFIX: &str = "gitleaks-";

/// A rule of the file that is not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub id: String,
    pub reason: String,
    pub span: Option<Range<usize>>,
}

/// What a rule file holds.
#[derive(Debug, Default)]
pub struct Import {
    /// Each rule with the span of its table in the file.
    pub rules: Vec<(RuleSpec, Option<Range<usize>>)>,
    pub skipped: Vec<Skipped>,
    /// File-wide notes (`[extend]` ignored).
    pub notes: Vec<String>,
}

/// A rule file whose shape is not a gitleaks configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    pub message: String,
    pub span: Option<Range<usize>>,
}

const RULE_KEYS: &[&str] = &[
    "id",
    "description",
    "regex",
    "secretGroup",
    "entropy",
    "keywords",
    "path",
    "tags",
    "allowlists",
    "allowlist",
];

const ALLOW_KEYS: &[&str] = &[
    "description",
    "condition",
    "regexTarget",
    "regexes",
    "stopwords",
    "paths",
    "commits",
    "targetRules",
];

/// The id a gitleaks rule gets here.
pub fn imported_id(id: &str) -> String {
    let id: String = id
        .chars()
        .map(|c| match c {
            '_' | '.' | ' ' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if super::collision(&id).is_some() {
        format!("{PREFIX}{id}")
    } else {
        id
    }
}

/// A Go (RE2) regex as Rust's `regex` reads it the same way: Go's `\w`,
/// `\d` and `\s` are ASCII classes (Rust's are Unicode, and far larger
/// compiled: `[\w.-]{0,50}` alone exceeds the size limit), and a `{` that
/// does not start a repetition is a literal in Go and an error in Rust.
/// What else Rust does not accept (look-around, back-references) stays as
/// it is and is reported when the rule is compiled.
pub fn go_regex(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        i += if rest[0] == '\\' && rest.len() > 1 {
            go_escape(rest, in_class, &mut out)
        } else if in_class {
            go_class_char(rest, &mut in_class, &mut out)
        } else {
            go_char(rest, &mut in_class, &mut out)
        };
    }
    out
}

/// The escape at the start of `rest` (a `\` and at least one more
/// character) as Rust reads it, written to `out`; returns the characters
/// read. `\w`, `\d` and `\s` become their ASCII classes (bare inside a
/// class), other escapes are copied with their braces.
fn go_escape(rest: &[char], in_class: bool, out: &mut String) -> usize {
    let next = rest[1];
    let ascii = match next {
        'w' => Some("0-9A-Za-z_"),
        'd' => Some("0-9"),
        's' => Some("\\t\\n\\f\\r "),
        _ => None,
    };
    match ascii {
        Some(class) if in_class => out.push_str(class),
        Some(class) => {
            out.push('[');
            out.push_str(class);
            out.push(']');
        }
        None => {
            out.push('\\');
            out.push(next);
            // `\p{Greek}`, `\x{10FFFF}`: the braces belong to the escape.
            if matches!(next, 'p' | 'P' | 'x') && rest.get(2) == Some(&'{') {
                if let Some(len) = rest[2..].iter().position(|&c| c == '}') {
                    out.extend(&rest[2..=2 + len]);
                    return len + 3;
                }
            }
        }
    }
    2
}

/// The character at the start of `rest`, inside a class, written to
/// `out`; returns the characters read. A POSIX class (`[:alnum:]`) is
/// copied whole; a `]` closes the class.
fn go_class_char(rest: &[char], in_class: &mut bool, out: &mut String) -> usize {
    let c = rest[0];
    if c == '[' && rest.get(1) == Some(&':') {
        let text: String = rest.iter().collect();
        if let Some(end) = text.find(":]") {
            let len = text[..end + 2].chars().count();
            out.extend(&rest[..len]);
            return len;
        }
    }
    if c == ']' {
        *in_class = false;
    }
    out.push(c);
    1
}

/// The character at the start of `rest`, outside a class, written to
/// `out`; returns the characters read. A `[` opens a class, and a `{` or
/// `}` that is not part of a repetition is escaped.
fn go_char(rest: &[char], in_class: &mut bool, out: &mut String) -> usize {
    match rest[0] {
        '[' => {
            *in_class = true;
            out.push('[');
            let mut len = 1;
            // A `]` (or `^]`) first in a class is a literal.
            if rest.get(len) == Some(&'^') {
                out.push('^');
                len += 1;
            }
            if rest.get(len) == Some(&']') {
                out.push_str("\\]");
                len += 1;
            }
            len
        }
        '{' if !is_repetition(rest) => {
            out.push_str("\\{");
            1
        }
        '}' => {
            // A `}` closing a repetition was copied with its `{`.
            out.push_str("\\}");
            1
        }
        '{' => {
            let end = rest.iter().position(|&c| c == '}').unwrap_or(0);
            out.extend(&rest[..=end]);
            end + 1
        }
        c => {
            out.push(c);
            1
        }
    }
}

/// `{n}`, `{n,}` or `{n,m}` at the start of `chars`.
fn is_repetition(chars: &[char]) -> bool {
    let Some(end) = chars.iter().position(|&c| c == '}') else {
        return false;
    };
    let inner: String = chars[1..end].iter().collect();
    let mut parts = inner.splitn(2, ',');
    let first = parts.next().unwrap_or("");
    !first.is_empty()
        && first.bytes().all(|b| b.is_ascii_digit())
        && parts
            .next()
            .is_none_or(|m| m.bytes().all(|b| b.is_ascii_digit()))
}

fn strings(item: Option<&Item>) -> Result<Vec<String>, String> {
    let Some(item) = item else {
        return Ok(Vec::new());
    };
    let array = item.as_array().ok_or("expected an array of strings")?;
    array
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| "expected a string".to_owned())
        })
        .collect()
}

/// One allow list (a rule's or the file's).
fn allowlist(table: &dyn TableLike) -> Result<(AllowSpec, Vec<String>), String> {
    for (key, _) in table.iter() {
        if !ALLOW_KEYS.contains(&key) {
            return Err(format!(
                "its allow list has the key `{key}`, which this importer does not know"
            ));
        }
    }
    if table.get("commits").is_some() {
        // Commits are a history scan's notion; a package has none.
        return Err("its allow list names `commits`, which a package has no notion of".to_owned());
    }
    let target = match table.get("regexTarget").and_then(Item::as_str) {
        None | Some("secret") => Target::Secret,
        Some("match") => Target::Match,
        Some("line") => Target::Line,
        Some(other) => return Err(format!("unknown `regexTarget = \"{other}\"`")),
    };
    let all = match table.get("condition").and_then(Item::as_str) {
        None => false,
        Some(c) if c.eq_ignore_ascii_case("or") => false,
        Some(c) if c.eq_ignore_ascii_case("and") => true,
        Some(other) => return Err(format!("unknown `condition = \"{other}\"`")),
    };
    let spec = AllowSpec {
        target,
        regexes: strings(table.get("regexes"))?
            .iter()
            .map(|r| go_regex(r))
            .collect(),
        stopwords: strings(table.get("stopwords"))?,
        paths: strings(table.get("paths"))?
            .into_iter()
            .map(|p| PathPattern::Regex(go_regex(&p)))
            .collect(),
        all,
    };
    Ok((spec, strings(table.get("targetRules"))?))
}

fn tables(item: &Item) -> Vec<&dyn TableLike> {
    match item {
        Item::ArrayOfTables(a) => a.iter().map(|t| t as &dyn TableLike).collect(),
        Item::Table(t) => vec![t as &dyn TableLike],
        Item::Value(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
            .collect(),
        Item::Value(Value::InlineTable(t)) => vec![t as &dyn TableLike],
        _ => Vec::new(),
    }
}

/// Reads a parsed gitleaks configuration (`root`); `defined_in` says where
/// it is, for `--list-rules`.
pub fn import(root: &Item, defined_in: &str) -> Result<Import, ShapeError> {
    let Some(doc) = root.as_table_like() else {
        return Err(ShapeError {
            message: "a gitleaks configuration is a table".to_owned(),
            span: root.span(),
        });
    };
    let mut out = Import::default();
    if doc.get("extend").is_some() {
        out.notes.push(
            "`[extend]` is ignored: the built-in rules are always on, and levels turn them off"
                .to_owned(),
        );
    }
    // The file-wide allow lists, with the rules they are limited to.
    let mut global: Vec<(AllowSpec, Vec<String>)> = Vec::new();
    for key in ["allowlist", "allowlists"] {
        if let Some(item) = doc.get(key) {
            for t in tables(item) {
                let parsed = allowlist(t).map_err(|why| ShapeError {
                    message: format!("the file's `{key}`: {why}"),
                    span: item.span(),
                })?;
                global.push(parsed);
            }
        }
    }
    let Some(rules) = doc.get("rules") else {
        return Ok(out);
    };
    let entries = tables(rules);
    if entries.is_empty() && !rules.as_array_of_tables().is_some_and(|a| a.is_empty()) {
        return Err(ShapeError {
            message: "`rules` must be an array of tables (`[[rules]]`)".to_owned(),
            span: rules.span(),
        });
    }
    for table in entries {
        let span = table_span(table);
        let Some(id) = table.get("id").and_then(Item::as_str) else {
            out.skipped.push(Skipped {
                id: String::new(),
                reason: "it has no `id`".to_owned(),
                span,
            });
            continue;
        };
        match rule(table, id, defined_in, &global) {
            Ok(spec) => out.rules.push((spec, span)),
            Err(reason) => out.skipped.push(Skipped {
                id: id.to_owned(),
                reason,
                span,
            }),
        }
    }
    Ok(out)
}

fn table_span(table: &dyn TableLike) -> Option<Range<usize>> {
    table
        .iter()
        .filter_map(|(k, v)| {
            let key = table.key(k).and_then(|k| k.span());
            key.into_iter()
                .chain(v.span())
                .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
        })
        .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
}

fn rule(
    table: &dyn TableLike,
    id: &str,
    defined_in: &str,
    global: &[(AllowSpec, Vec<String>)],
) -> Result<RuleSpec, String> {
    for (key, _) in table.iter() {
        match key {
            "filter" => {
                return Err("it has a Betterleaks `filter` expression, which this tool does not run".to_owned())
            }
            "validate" => {
                return Err("it has a Betterleaks `validate` expression, which this tool does not run (it would call out to a service)".to_owned())
            }
            k if !RULE_KEYS.contains(&k) => {
                return Err(format!("it has the key `{k}`, which this importer does not know"))
            }
            _ => {}
        }
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match table.get(key) {
            None => Ok(None),
            Some(item) => item
                .as_str()
                .map(|s| Some(s.to_owned()))
                .ok_or_else(|| format!("its `{key}` is not a string")),
        }
    };
    let mut spec = RuleSpec::new(imported_id(id), defined_in);
    spec.category = Category::Secret;
    spec.description = text("description")?;
    spec.regex = text("regex")?.map(|r| go_regex(&r));
    let path = text("path")?.map(|p| go_regex(&p));
    match (&spec.regex, path) {
        (Some(_), Some(p)) => spec.paths.push(PathPattern::Regex(p)),
        (None, Some(p)) => {
            spec.file_name = Some(PathPattern::Regex(p));
            spec.category = Category::SensitiveFile;
        }
        (Some(_), None) => {}
        (None, None) => return Err("it has neither `regex` nor `path`".to_owned()),
    }
    spec.secret_group = match table.get("secretGroup") {
        None => SecretGroup::FirstNonEmpty,
        Some(item) => match item.as_integer() {
            Some(0) => SecretGroup::FirstNonEmpty,
            Some(n) if n > 0 => SecretGroup::Index(n as usize),
            _ => return Err("its `secretGroup` is not a group number".to_owned()),
        },
    };
    spec.entropy = match table.get("entropy") {
        None => None,
        Some(item) => Some(
            item.as_float()
                .or_else(|| item.as_integer().map(|n| n as f64))
                .ok_or("its `entropy` is not a number")?,
        ),
    };
    spec.keywords = strings(table.get("keywords")).map_err(|e| format!("its `keywords`: {e}"))?;
    let tags = strings(table.get("tags")).map_err(|e| format!("its `tags`: {e}"))?;
    if !tags.is_empty() {
        let desc = spec.description.take().unwrap_or_default();
        spec.description = Some(format!("{desc}\n\ngitleaks tags: {}", tags.join(", ")));
    }
    for key in ["allowlist", "allowlists"] {
        if let Some(item) = table.get(key) {
            for t in tables(item) {
                let (allow, _) = allowlist(t)?;
                spec.allow.push(allow);
            }
        }
    }
    for (allow, targets) in global {
        if targets.is_empty() || targets.iter().any(|t| t == id) {
            spec.allow.push(allow.clone());
        }
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_regexes_read_the_same_in_rust() {
        assert_eq!(go_regex(r"^\$(?:\d+|{\d+})$"), r"^\$(?:[0-9]+|\{[0-9]+\})$");
        assert_eq!(go_regex(r"[\w.-]{0,50}?"), r"[0-9A-Za-z_.-]{0,50}?");
        assert_eq!(
            go_regex(r"\b(pat[[:alnum:]]{14})"),
            r"\b(pat[[:alnum:]]{14})"
        );
        assert_eq!(go_regex(r"[]a]\{x}"), r"[\]a]\{x\}");
        assert_eq!(
            go_regex(r"\p{Greek}\x{41}[\p{L}]{2}"),
            r"\p{Greek}\x{41}[\p{L}]{2}"
        );
        for p in [r"^\{\{[ \t]*[\w ().|]+[ \t]*}}$", r"^\{\d{0,2}}$"] {
            regex::Regex::new(&go_regex(p)).unwrap();
        }
    }
}
