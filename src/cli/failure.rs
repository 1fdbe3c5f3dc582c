//! Why a run could not check: a [`Failure`], rendered rustc-style (exit
//! status 2), built from each module's error.

use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};

use crate::config;
use crate::diagnostic::{Pointed, Reportable};
use crate::display::{ceil_char_boundary, floor_char_boundary};
use crate::render;

/// Why the check could not run; rendered rustc-style, exit status 2.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub help: Option<String>,
    /// The place in a file the failure is about.
    pub source: Option<Box<Pointed>>,
    /// The errors found with this one (every configuration error of a
    /// run), rendered after it.
    pub also: Vec<Failure>,
}

impl Failure {
    /// An error, as its module words it ([`Reportable`]).
    pub fn of(err: &impl Reportable) -> Self {
        Failure {
            message: err.message(),
            help: err.help(),
            source: err.pointed().map(Box::new),
            also: Vec::new(),
        }
    }

    pub(super) fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            help: None,
            source: None,
            also: Vec::new(),
        }
    }

    pub(super) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// This error and those found with it, each rustc-style, a blank line
    /// between them; several close with rustc's own last line, `error:
    /// aborting due to N previous errors` (cargo itself stops at a
    /// manifest's first error, and words a failed compilation `could not
    /// compile`, which is not what this is). One error alone has no closing
    /// line, like every other failure of the tool (rustc writes `aborting
    /// due to 1 previous error` there, but one error needs no count).
    pub fn render(&self, cwd: &Path) -> String {
        if self.also.is_empty() {
            return self.render_one(cwd);
        }
        let mut out = self.render_one(cwd);
        for failure in &self.also {
            out.push_str("\n\n");
            out.push_str(&failure.render_one(cwd));
        }
        let closing = format!("aborting due to {} previous errors", self.also.len() + 1);
        let group = Group::with_title(SnippetLevel::ERROR.primary_title(closing.as_str()));
        out.push_str("\n\n");
        out.push_str(&Renderer::styled().render(&[group]));
        out
    }

    fn render_one(&self, cwd: &Path) -> String {
        let mut group = SnippetLevel::ERROR
            .primary_title(self.message.as_str())
            .elements(self.source.iter().map(|pointed| {
                let Pointed {
                    path,
                    text,
                    span,
                    label,
                } = &**pointed;
                Snippet::source(text.as_str())
                    .path(render::relative(path, cwd))
                    .annotation(
                        AnnotationKind::Primary
                            .span(snippet_span(text, span))
                            .label(label.as_str()),
                    )
            }));
        if let Some(help) = &self.help {
            group = group.element(SnippetLevel::HELP.message(help.as_str()));
        }
        Renderer::styled().render(&[group])
    }
}

/// `span` made safe to point at in `text`: inside it, on character
/// boundaries (a file may end in the middle of where a parser stopped), and
/// an empty span at the end widened to the last character, which still
/// needs a place to point.
pub fn snippet_span(text: &str, span: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let floor = |i: usize| floor_char_boundary(text, i);
    let ceil = |i: usize| ceil_char_boundary(text, i);
    let start = floor(span.start);
    let end = ceil(span.end.max(span.start));
    if start == end && start == text.len() {
        let last = text[..start]
            .char_indices()
            .next_back()
            .map_or(start, |(i, _)| i);
        return last..start;
    }
    start..end
}

/// Any error that stops a run, as its module words it.
impl<E: Reportable> From<E> for Failure {
    fn from(err: E) -> Self {
        Failure::of(&err)
    }
}

/// Every configuration error of the run: the first, with the others
/// rendered after it.
impl From<config::ConfigErrors> for Failure {
    fn from(errors: config::ConfigErrors) -> Self {
        let mut all = errors.0.into_iter().map(Failure::from);
        let mut first = all
            .next()
            .unwrap_or_else(|| Failure::new("invalid configuration"));
        first.also = all.collect();
        first
    }
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_at_the_end_of_a_file_ending_mid_character_points_at_whole_characters() {
        // `name = "é` cut inside `é`: the parser's span may fall inside it.
        let text = "name = \"é";
        let end = text.len();
        assert_eq!(snippet_span(text, &(end..end)), end - 2..end);
        assert_eq!(snippet_span(text, &(end - 1..end)), end - 2..end);
        assert_eq!(snippet_span(text, &(end - 1..end - 1)), end - 2..end);
        assert_eq!(snippet_span(text, &(end + 5..end + 9)), end - 2..end);
        assert_eq!(snippet_span("", &(0..0)), 0..0);
        let failure = Failure {
            message: "failed to parse manifest".to_owned(),
            help: None,
            source: Some(Box::new(Pointed {
                path: std::path::PathBuf::from("Cargo.toml"),
                text: text.to_owned(),
                span: end - 1..end,
                label: "here".to_owned(),
            })),
            also: Vec::new(),
        };
        assert!(failure
            .render(Path::new("/"))
            .contains("failed to parse manifest"));
    }
}
