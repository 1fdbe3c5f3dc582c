//! Inline allows: a comment that silences a reviewed finding where it stands.
//!
//! The marker is `privacy-check` followed by `:allow(NAMES)`, where NAMES
//! are rule or category names separated by commas. It allows the findings
//! of those rules that start on the marker's own line or on the line just
//! after it; a whole-file finding (a file that must not ship) is allowed by
//! a marker on the file's first line. `docs/suppressing.md`
//! section is the user's guide; this module finds the markers, answers
//! "is this finding allowed?", and reports markers that are wrong (unknown
//! names, bad syntax) or stale (they allowed nothing), like rustc's
//! `unknown_lints` and `unfulfilled_lint_expectations`.
//!
//! What counts as "in a comment": no language is parsed, so the rule is
//! lexical. A marker counts when a comment opener (`//`, `/*`, `#`, `--`,
//! `;`, `<!--`, or a `*` starting the line, as inside a block comment)
//! comes before it on its line. In Markdown, whose only comment is HTML's,
//! only `<!--` counts, and markers inside code spans or fenced code blocks
//! are examples, not allows (so documentation of this very syntax is not
//! taken at its word). Text that does not meet this is ignored silently.
//!
//! Searching is cheap: a file without the marker's literal costs one
//! substring search (`str::contains`, SIMD in std), done only on text that
//! is scanned anyway.

use std::ops::Range;
use std::path::PathBuf;

use crate::diagnostic::{escape_input, Category, Finding, Position, Severity};
use crate::rules::{self, Rule};
use crate::suggest::closest;

/// The marker's literal, assembled so that this file does not hold it.
pub const MARKER: &str = concat!("privacy-check", ":allow");

/// Every allow marker of one file.
#[derive(Debug)]
pub struct AllowComments {
    markers: Vec<Marker>,
}

#[derive(Debug)]
struct Marker {
    /// 1-based line of the marker.
    line: usize,
    /// The whole marker with its parenthesised names, in bytes of the file.
    range: Range<usize>,
    start: Position,
    end: Position,
    names: Vec<Name>,
    /// The marker has no `(NAMES)` after it.
    malformed: bool,
}

#[derive(Debug)]
struct Name {
    text: String,
    range: Range<usize>,
    start: Position,
    end: Position,
    target: Target,
    used: bool,
}

#[derive(Debug)]
enum Target {
    Rule(&'static Rule),
    Category(Category),
    Unknown { suggestion: Option<String> },
}

/// What is wrong with an allow marker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The name allowed no finding.
    Unused { name: String },
    /// The name is neither a rule nor a category.
    UnknownName {
        name: String,
        suggestion: Option<String>,
    },
    /// The marker is not followed by `(NAMES)`.
    Malformed,
}

/// A warning about an allow marker (an error under `-D warnings`).
#[derive(Clone, Debug)]
pub struct AllowProblem {
    pub kind: ProblemKind,
    pub level: Severity,
    pub package: String,
    /// The file holding the marker (absolute).
    pub path: PathBuf,
    /// Where the file ships inside the .crate.
    pub archive_path: String,
    /// The name (or, when malformed, the marker) in bytes of the file.
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
}

impl AllowProblem {
    pub fn message(&self) -> String {
        match &self.kind {
            // The name is the input's: escaped, and masked by the output
            // boundary if it is a secret (a token given as the rule name).
            ProblemKind::Unused { name } => {
                format!("unused `{MARKER}({})`", escape_input(name))
            }
            ProblemKind::UnknownName { name, .. } => {
                format!(
                    "unknown rule or category `{}` in `{MARKER}`",
                    escape_input(name)
                )
            }
            ProblemKind::Malformed => format!("malformed `{MARKER}`: expected `({})`", "RULE, …"),
        }
    }

    pub fn label(&self) -> &'static str {
        match self.kind {
            ProblemKind::Unused { .. } => "allows no finding here",
            ProblemKind::UnknownName { .. } => "not a rule or category",
            ProblemKind::Malformed => "no rule names in parentheses",
        }
    }

    pub fn help(&self) -> String {
        match &self.kind {
            ProblemKind::Unused { .. } => "remove it (or the name): it no longer allows anything, \
                 since no finding of this rule starts on its line or the next"
                .to_owned(),
            ProblemKind::UnknownName {
                suggestion: Some(s),
                ..
            } => format!("did you mean `{s}`?"),
            ProblemKind::UnknownName {
                suggestion: None, ..
            } => "`cargo privacy-check --list-rules` lists the rules and categories".to_owned(),
            ProblemKind::Malformed => {
                format!("write the rules it allows: `{MARKER}(author-email)`")
            }
        }
    }
}

/// A finding that an allow marker silenced (`-v` reports it).
#[derive(Clone, Debug)]
pub struct Allowed {
    pub finding: Finding,
    /// Where the marker that allowed it is.
    pub marker: Position,
}

impl AllowComments {
    /// The allow markers of `text`, or `None` when it has none. `markdown`
    /// selects Markdown's comment rules (see the module documentation).
    pub fn find(text: &str, markdown: bool) -> Option<AllowComments> {
        if !text.contains(MARKER) {
            return None;
        }
        let mut markers = Vec::new();
        let mut fence: Option<(char, usize)> = None;
        let mut offset = 0;
        for (index, line) in text.split_inclusive('\n').enumerate() {
            let line_start = offset;
            offset += line.len();
            if markdown {
                fence = markdown_fence(line, fence);
                if fence.is_some() || is_fence(line).is_some() {
                    continue;
                }
            }
            for (at, _) in line.match_indices(MARKER) {
                let before = &line[..at];
                let in_comment = if markdown {
                    before.contains("<!--") && before.matches('`').count() % 2 == 0
                } else {
                    in_comment(before)
                };
                if in_comment {
                    markers.push(parse(line, line_start, at, index + 1));
                }
            }
        }
        (!markers.is_empty()).then_some(AllowComments { markers })
    }

    /// Whether a finding of `rule` starting on 1-based `line` (`None`: a
    /// whole-file finding) is allowed; every marker that allows it is
    /// marked used. Returns the first such marker's position.
    pub fn allows(&mut self, rule: &Rule, line: Option<usize>) -> Option<Position> {
        let mut first = None;
        for marker in &mut self.markers {
            let covers = match line {
                Some(line) => marker.line == line || marker.line + 1 == line,
                None => marker.line == 1,
            };
            if !covers {
                continue;
            }
            for name in &mut marker.names {
                let matches = match name.target {
                    Target::Rule(r) => std::ptr::eq(r, rule) || r.name == rule.name,
                    Target::Category(c) => c == rule.category,
                    Target::Unknown { .. } => false,
                };
                if matches {
                    name.used = true;
                    first.get_or_insert(marker.start);
                }
            }
        }
        first
    }

    /// The problems of these markers: unknown names and bad syntax always,
    /// names that allowed nothing when `report_unused`.
    pub fn problems(
        &self,
        report_unused: bool,
    ) -> Vec<(ProblemKind, Range<usize>, Position, Position)> {
        let mut out = Vec::new();
        for marker in &self.markers {
            if marker.malformed {
                out.push((
                    ProblemKind::Malformed,
                    marker.range.clone(),
                    marker.start,
                    marker.end,
                ));
                continue;
            }
            for name in &marker.names {
                let kind = match &name.target {
                    Target::Unknown { suggestion } => ProblemKind::UnknownName {
                        name: name.text.clone(),
                        suggestion: suggestion.clone(),
                    },
                    _ if !name.used && report_unused => ProblemKind::Unused {
                        name: name.text.clone(),
                    },
                    _ => continue,
                };
                out.push((kind, name.range.clone(), name.start, name.end));
            }
        }
        out
    }
}

/// Whether the text before a marker on its line opens a comment.
fn in_comment(before: &str) -> bool {
    ["//", "/*", "#", "--", ";", "<!--"]
        .iter()
        .any(|opener| before.contains(opener))
        || before.trim_start().starts_with('*')
}

/// A Markdown fence line's character and length (```` ``` ```` or `~~~`).
fn is_fence(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let count = trimmed.chars().take_while(|x| *x == c).count();
    (count >= 3).then_some((c, count))
}

/// The fence open after `line`, given the one open before it.
fn markdown_fence(line: &str, open: Option<(char, usize)>) -> Option<(char, usize)> {
    match (open, is_fence(line)) {
        (None, Some(fence)) => Some(fence),
        // A closing fence has the same character and at least the length.
        (Some((c, n)), Some((d, m))) if c == d && m >= n && line.trim().chars().all(|x| x == c) => {
            None
        }
        (open, _) => open,
    }
}

/// Parses the marker at byte `at` of `line` (which starts at byte
/// `line_start` of the file and is line `number`).
fn parse(line: &str, line_start: usize, at: usize, number: usize) -> Marker {
    let position = |byte: usize| Position {
        line: number,
        column: line[..byte].chars().count() + 1,
    };
    let after = at + MARKER.len();
    let rest = &line[after..];
    let close = rest
        .strip_prefix('(')
        .and_then(|inner| inner.find(')').map(|close| (inner, close)));
    let Some((inner, close)) = close else {
        let end = after;
        return Marker {
            line: number,
            range: line_start + at..line_start + end,
            start: position(at),
            end: position(end),
            names: Vec::new(),
            malformed: true,
        };
    };
    let inner_start = after + 1;
    let end = inner_start + close + 1;
    let mut names = Vec::new();
    let mut from = 0;
    for part in inner[..close].split(',') {
        let part_start = from;
        from += part.len() + 1;
        let text = part.trim();
        if text.is_empty() {
            continue;
        }
        let lead = part.len() - part.trim_start().len();
        let s = inner_start + part_start + lead;
        let e = s + text.len();
        names.push(Name {
            text: text.to_owned(),
            range: line_start + s..line_start + e,
            start: position(s),
            end: position(e),
            target: target(text),
            used: false,
        });
    }
    Marker {
        line: number,
        range: line_start + at..line_start + end,
        start: position(at),
        end: position(end),
        malformed: names.is_empty(),
        names,
    }
}

fn target(name: &str) -> Target {
    if let Some(rule) = rules::find(name) {
        return Target::Rule(rule);
    }
    if let Some(category) = Category::ALL.iter().find(|c| c.as_str() == name) {
        return Target::Category(*category);
    }
    let names = rules::all()
        .map(|r| r.name)
        .chain(Category::ALL.iter().map(|c| c.as_str()));
    Target::Unknown {
        suggestion: closest(name, names),
    }
}

/// Whether a file's allow markers follow Markdown's rules.
pub fn is_markdown(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::authors::AUTHOR_EMAIL;

    fn allow(names: &str) -> String {
        format!("{MARKER}({names})")
    }

    #[test]
    fn each_comment_syntax_counts_and_plain_text_does_not() {
        let email = crate::rules::find("email-address").unwrap();
        for opener in ["// ", "# ", "-- ", "; ", "/* ", "<!-- ", " * ", "x = 1 // "] {
            let text = format!("{opener}{}\nvalue\n", allow("email-address"));
            let mut comments = AllowComments::find(&text, false)
                .unwrap_or_else(|| panic!("{opener:?} is a comment"));
            assert!(comments.allows(email, Some(2)).is_some(), "{opener:?}");
            assert!(comments.allows(email, Some(1)).is_some(), "same line");
            assert!(comments.allows(email, Some(3)).is_none(), "two lines on");
        }
        let text = format!("let s = \"{}\";\n", allow("email-address"));
        assert!(AllowComments::find(&text, false).is_none());
    }

    #[test]
    fn names_are_rules_or_categories_and_others_are_reported() {
        let text = format!("# {}\n", allow(" email ,autor-email,, url-credentials"));
        let mut comments = AllowComments::find(&text, false).unwrap();
        assert_eq!(
            comments.allows(&AUTHOR_EMAIL, Some(2)),
            Some(Position { line: 1, column: 3 })
        );
        let problems = comments.problems(true);
        let kinds: Vec<&ProblemKind> = problems.iter().map(|p| &p.0).collect();
        assert_eq!(
            kinds,
            [
                &ProblemKind::UnknownName {
                    name: "autor-email".into(),
                    suggestion: Some("author-email".into())
                },
                &ProblemKind::Unused {
                    name: "url-credentials".into()
                },
            ]
        );
        // The span is the name itself.
        let (_, range, start, _) = &problems[1];
        assert_eq!(&text[range.clone()], "url-credentials");
        assert_eq!(start.column, text.find("url-").unwrap() + 1);
        assert!(
            comments.problems(false).len() == 1,
            "unused only on request"
        );
    }

    #[test]
    fn a_marker_without_names_is_malformed() {
        for text in [format!("# {MARKER} me\n"), format!("# {}\n", allow(" , "))] {
            let comments = AllowComments::find(&text, false).unwrap();
            assert_eq!(
                comments.problems(true)[0].0,
                ProblemKind::Malformed,
                "{text}"
            );
        }
    }

    #[test]
    fn whole_file_findings_are_allowed_from_the_first_line() {
        let rule = crate::rules::find("env-file").unwrap();
        let text = format!("# {}\nA=1\n", allow("env-file"));
        assert!(AllowComments::find(&text, false)
            .unwrap()
            .allows(rule, None)
            .is_some());
        let text = format!("A=1\n# {}\n", allow("env-file"));
        assert!(AllowComments::find(&text, false)
            .unwrap()
            .allows(rule, None)
            .is_none());
    }

    #[test]
    fn markdown_counts_html_comments_outside_code_only() {
        let email = crate::rules::find("email-address").unwrap();
        let text = format!(
            "<!-- {a} -->\nx\n```\n<!-- {a} -->\n```\n`<!-- {a} -->`\n// {a}\n",
            a = allow("email-address")
        );
        let mut comments = AllowComments::find(&text, true).unwrap();
        assert!(comments.allows(email, Some(2)).is_some());
        for line in 4..=8 {
            assert!(comments.allows(email, Some(line)).is_none(), "line {line}");
        }
        assert!(comments.problems(true).is_empty());
    }
}
