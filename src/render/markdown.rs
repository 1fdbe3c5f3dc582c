//! The Markdown of `--explain`, laid out for a terminal: paragraphs and
//! list items wrapped to the terminal's width, headings bold, code blocks
//! indented and set off by blank lines, as `rustc --explain` shows its
//! texts. Piped output stays the Markdown itself (see `cli::explain`);
//! this is only for a terminal, and a pure function of the text and width
//! so it is tested without one.
//!
//! It knows the Markdown the rule docs use and no more: ATX headings
//! (`#`), paragraphs, `-`/`*` list items with their continuation lines,
//! and fenced code blocks. Inline code keeps its backticks, which read
//! well on a terminal and need no styling to survive `NO_COLOR`.

use anstyle::Style;

/// Code blocks are indented by this much, and never wrapped (a wrapped
/// line of TOML would not be TOML any more).
const CODE_INDENT: &str = "    ";

enum Block {
    Heading(String),
    Paragraph(String),
    Item(String),
    Code(Vec<String>),
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    // The open paragraph or list item, whose lines are joined.
    let mut open: Option<Block> = None;
    let close = |open: &mut Option<Block>, blocks: &mut Vec<Block>| {
        if let Some(block) = open.take() {
            blocks.push(block);
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            close(&mut open, &mut blocks);
            let mut code = Vec::new();
            for code_line in lines.by_ref() {
                if code_line.trim_start().starts_with("```") {
                    break;
                }
                code.push(code_line.to_owned());
            }
            blocks.push(Block::Code(code));
        } else if trimmed.is_empty() {
            close(&mut open, &mut blocks);
        } else if is_heading(trimmed) {
            close(&mut open, &mut blocks);
            // The `#`s stay: they mark the heading where bold is not shown.
            blocks.push(Block::Heading(trimmed.to_owned()));
        } else if let Some(text) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            close(&mut open, &mut blocks);
            open = Some(Block::Item(text.to_owned()));
        } else {
            match &mut open {
                Some(Block::Paragraph(text) | Block::Item(text)) => {
                    text.push(' ');
                    text.push_str(trimmed);
                }
                _ => open = Some(Block::Paragraph(trimmed.to_owned())),
            }
        }
    }
    close(&mut open, &mut blocks);
    blocks
}

/// Whether a line is an ATX heading (`## Why is this bad?`).
fn is_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && line[hashes..].starts_with(' ')
}

/// Greedy word wrap of `text` to `width` columns, the first line after
/// `first` and the others after `rest` (both counted in the width). A word
/// longer than a line is left whole on its own line.
fn wrap(text: &str, width: usize, first: &str, rest: &str, out: &mut String) {
    let mut line = String::from(first);
    let mut line_len = first.chars().count();
    let mut empty = true;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !empty && line_len + 1 + len > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
            line_len = rest.chars().count();
            empty = true;
        }
        if !empty {
            line.push(' ');
            line_len += 1;
        }
        line.push_str(word);
        line_len += len;
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// Renders `markdown` for a terminal `width` columns wide; `styled` adds
/// bold (an SGR sequence) to headings.
pub fn render(markdown: &str, width: usize, styled: bool) -> String {
    // Below this, wrapping would put a word on each line: better to overflow.
    let width = width.max(20);
    let bold = if styled {
        Style::new().bold()
    } else {
        Style::new()
    };
    let mut out = String::new();
    let mut previous_item = false;
    for (i, block) in blocks(markdown).iter().enumerate() {
        let item = matches!(block, Block::Item(_));
        // Blocks are set off by a blank line; list items follow each other.
        if i > 0 && !(item && previous_item) {
            out.push('\n');
        }
        previous_item = item;
        match block {
            Block::Heading(text) => {
                let mut wrapped = String::new();
                wrap(text, width, "", "", &mut wrapped);
                for line in wrapped.lines() {
                    out.push_str(&format!("{}{line}{}\n", bold.render(), bold.render_reset()));
                }
            }
            Block::Paragraph(text) => wrap(text, width, "", "", &mut out),
            Block::Item(text) => wrap(text, width, "- ", "  ", &mut out),
            Block::Code(lines) => {
                for line in lines {
                    if line.trim().is_empty() {
                        out.push('\n');
                    } else {
                        out.push_str(CODE_INDENT);
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# `author-email`\n\ncategory: email, default level: warning\n\n\
## What it does\nFinds personal email addresses in `package.authors`, and in\n\
`workspace.package.authors` when a package inherits it.\n\n\
## Example\n```toml\n[package]\nauthors = [\"Jane Doe <jane.doe@example.com>\"]\n```\n\
Use instead:\n- one item that is long enough to wrap onto a second line here\n- two\n";

    #[test]
    fn paragraphs_and_items_wrap_to_the_width_and_code_is_indented() {
        let out = render(DOC, 40, false);
        assert_eq!(
            out,
            "# `author-email`\n\
             \n\
             category: email, default level: warning\n\
             \n\
             ## What it does\n\
             \n\
             Finds personal email addresses in\n\
             `package.authors`, and in\n\
             `workspace.package.authors` when a\n\
             package inherits it.\n\
             \n\
             ## Example\n\
             \n    [package]\n    authors = [\"Jane Doe <jane.doe@example.com>\"]\n\
             \n\
             Use instead:\n\
             \n\
             - one item that is long enough to wrap\n  onto a second line here\n\
             - two\n"
        );
        // Prose respects the width; only the code line (never wrapped) is longer.
        for line in out.lines().filter(|l| !l.starts_with(CODE_INDENT)) {
            assert!(line.chars().count() <= 40, "{line:?} is wider than 40");
        }
    }

    #[test]
    fn headings_are_bold_when_styled() {
        let out = render("## How to fix\nDrop it.\n", 80, true);
        assert_eq!(out, "\u{1b}[1m## How to fix\u{1b}[0m\n\nDrop it.\n");
    }

    #[test]
    fn a_word_longer_than_the_width_stays_whole() {
        let long = "x".repeat(50);
        let out = render(&format!("a {long} b"), 30, false);
        assert_eq!(out, format!("a\n{long}\nb\n"));
    }

    #[test]
    fn every_rule_doc_renders_within_the_width() {
        for rule in crate::rules::all() {
            let text = crate::rules::explain(rule);
            let out = render(&text, 60, false);
            let words = |s: &str| {
                s.split_whitespace()
                    .filter(|w| !w.starts_with("```"))
                    .count()
            };
            assert_eq!(
                words(&out),
                words(&text),
                "{} lost or gained words",
                rule.name
            );
            for line in out.lines().filter(|l| !l.starts_with(CODE_INDENT)) {
                assert!(
                    line.chars().count() <= 60 || !line.trim().contains(' '),
                    "{}: {line:?} is wider than 60",
                    rule.name
                );
            }
        }
    }
}
