//! Why a run could not check: a [`Failure`], rendered rustc-style (exit
//! status 2), built from each module's error.

use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};

use crate::archive::{self, ArchiveError, Problem};
use crate::baseline::BaselineError;
use crate::config::{self, ConfigError};
use crate::diagnostic::{escape_input, escape_input_lines};
use crate::display::{ceil_char_boundary, floor_char_boundary};
use crate::inputs::InputError;
use crate::levels::UnknownLint;
use crate::manifest::ManifestError;
use crate::render;
use crate::workspace::{self, WorkspaceError};

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

/// A place in an input file: the file's path and text, the span, and the
/// label under it.
#[derive(Debug)]
pub struct Pointed {
    pub path: PathBuf,
    pub text: String,
    pub span: std::ops::Range<usize>,
    pub label: String,
}

impl Pointed {
    fn boxed(
        path: PathBuf,
        text: String,
        span: std::ops::Range<usize>,
        label: String,
    ) -> Box<Self> {
        Box::new(Pointed {
            path,
            text,
            span,
            label,
        })
    }
}

impl Failure {
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

impl From<WorkspaceError> for Failure {
    fn from(err: WorkspaceError) -> Self {
        match err {
            WorkspaceError::UnknownPackage { spec, suggestion } => {
                Failure::new(if workspace::is_pattern(&spec) {
                    format!(
                        "package pattern `{}` not found in workspace",
                        escape_input(&spec)
                    )
                } else {
                    format!(
                        "package ID specification `{}` did not match any packages",
                        escape_input(&spec)
                    )
                })
                .help(match suggestion {
                    Some(s) => format!("a package with a similar name exists: `{s}`"),
                    None => {
                        "run `cargo metadata --no-deps` to see the workspace's packages".to_owned()
                    }
                })
            }
            WorkspaceError::Manifest(manifest) => manifest.into(),
            // Its text quotes paths, names and `cargo metadata`'s output.
            other => Failure::new(escape_input_lines(&other.to_string())),
        }
    }
}

impl From<ManifestError> for Failure {
    fn from(err: ManifestError) -> Self {
        match err {
            ManifestError::Toml {
                path,
                text,
                message,
                span,
            } => {
                // The `-->` line names the file, relative to where we run.
                let title = "failed to parse manifest".to_owned();
                let source = span.map(|span| {
                    let label = message.lines().next().unwrap_or("").to_owned();
                    Pointed::boxed(path, text, span, label)
                });
                Failure {
                    message: title,
                    help: None,
                    source,
                    also: Vec::new(),
                }
            }
            io => Failure::new(io.to_string()),
        }
    }
}

impl From<InputError> for Failure {
    fn from(err: InputError) -> Self {
        match err {
            InputError::Manifest(m) => m.into(),
            other => Failure::new(other.to_string()),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(err: ConfigError) -> Self {
        match err {
            ConfigError::Invalid(invalid) => {
                let config::Invalid {
                    message,
                    path,
                    text,
                    span,
                    label,
                    help,
                } = *invalid;
                Failure {
                    message,
                    help,
                    source: span.map(|span| Pointed::boxed(path, text, span, label)),
                    also: Vec::new(),
                }
            }
            ConfigError::TwoFiles(..) => Failure::new(err.to_string())
                .help("they are one file under two names: merge them and keep one"),
            ConfigError::Manifest(m) => m.into(),
        }
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

impl From<BaselineError> for Failure {
    fn from(err: BaselineError) -> Self {
        match err {
            BaselineError::Malformed {
                path,
                text,
                message,
                span,
            } => {
                let help = "a baseline is written by `cargo privacy-check --write-baseline FILE`, \
                            which does not overwrite a file that is not one"
                    .to_owned();
                let title = "malformed baseline".to_owned();
                match span {
                    Some(span) => Failure {
                        message: title,
                        help: Some(help),
                        source: Some(Pointed::boxed(path, text, span, message)),
                        also: Vec::new(),
                    },
                    None => Failure::new(format!(
                        "malformed baseline `{}`: {message}",
                        path.display()
                    ))
                    .help(help),
                }
            }
            BaselineError::Read { ref path, .. } => Failure::new(err.to_string()).help(format!(
                "create it with `cargo privacy-check --write-baseline {}`",
                path.display()
            )),
            other => Failure::new(other.to_string()),
        }
    }
}

impl From<UnknownLint> for Failure {
    fn from(err: UnknownLint) -> Self {
        Failure::new(format!(
            "unknown rule or category `{}`",
            escape_input(&err.name)
        ))
        .help(match err.suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => "`cargo privacy-check --list-rules` lists the rules and categories".to_owned(),
        })
    }
}

/// An archive that cannot be checked, as a rustc-style error naming it.
pub(super) fn archive_failure(err: &ArchiveError) -> Failure {
    let archive = render::relative(&err.archive, Path::new(""));
    let failure = Failure::new(err.to_string());
    match &err.problem {
        Problem::Manifest(ManifestError::Toml {
            path,
            text,
            message,
            span,
        }) => {
            let mut failure = Failure::from(ManifestError::Toml {
                path: path.clone(),
                text: text.clone(),
                message: message.clone(),
                span: span.clone(),
            });
            failure.message = format!("cannot check `{archive}`: {}", failure.message);
            failure
        }
        Problem::TooLarge { .. } => failure.help(format!(
            "a .crate may unpack to {} MiB, or {} times its compressed size if that is more \
             (cargo's limits)",
            archive::MAX_UNPACKED_SIZE / (1024 * 1024),
            archive::MAX_COMPRESSION_RATIO
        )),
        Problem::ParentDir(_)
        | Problem::Absolute(_)
        | Problem::Unnormalized(_)
        | Problem::NotAFile { .. }
        | Problem::OutsidePrefix { .. }
        | Problem::NoPrefix(_)
        | Problem::Duplicate(_) => failure.help(
            "`cargo package` never writes such an entry: this archive was not made by cargo, \
             or was altered",
        ),
        _ => failure,
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
            source: Some(Pointed::boxed(
                PathBuf::from("Cargo.toml"),
                text.to_owned(),
                end - 1..end,
                "here".to_owned(),
            )),
            also: Vec::new(),
        };
        assert!(failure
            .render(Path::new("/"))
            .contains("failed to parse manifest"));
    }
}
