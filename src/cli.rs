//! The command line, with cargo's flag names and meanings, and the run that
//! ties the stages together.
//!
//! [`run`] returns an exit status and writes only to the streams it is given:
//! diagnostics and status lines to `stderr` (as cargo does), `--list`,
//! `--explain`, `--list-rules`, JSON, SARIF and GitHub annotations to
//! `stdout`. Anything that stops the check from running is a [`Failure`],
//! rendered rustc-style with exit code 2.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use annotate_snippets::{AnnotationKind, Level as SnippetLevel, Renderer, Snippet};
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, ValueEnum};

use crate::archive::{self, ArchiveError, Problem};
use crate::baseline::{self, Baseline, BaselineError};
use crate::config::{self, ConfigError};
use crate::diagnostic::{escape_input, escape_input_lines, Applicability, Category, Level};
use crate::display::{ceil_char_boundary, floor_char_boundary};
use crate::fix;
use crate::levels::{Levels, UnknownLint};
use crate::manifest::ManifestError;
use crate::package_files::{self, PackageInput};
use crate::render::{self, Context};
use crate::rules;
use crate::scan::{self, ScanError, ScanOptions};
use crate::suggest::closest;
use crate::workspace::{self, SelectOptions, WorkspaceError};

// Each line fits 80 columns, so no terminal wide enough for the help
// wraps an example mid-phrase (clap wraps at the terminal's width, at most
// 100); the comments make each line safe to paste into a shell.
const AFTER_HELP: &str = "\
Exit status: 0 when no finding is at error level, 1 when one is, 2 when the
check could not run (bad arguments, unreadable or malformed manifest or archive,
bad configuration).

Examples:
  cargo privacy-check                # this package, or the default members
  cargo privacy-check --workspace    # every publishable member
  cargo privacy-check --list -p foo  # the files foo's .crate would contain
  cargo privacy-check --fix          # apply the machine-applicable fixes
  cargo privacy-check --explain author-email  # a rule's documentation
  cargo privacy-check --explain secret        # the rules of a category
  cargo privacy-check --crate target/package/*.crate  # published archives";

/// Checks what `cargo publish` would upload for personal data and secrets.
///
/// Scans `Cargo.toml` and exactly the files `cargo package` would put in the
/// .crate, and reports personal emails, credentials and files that must not
/// be published, rustc-style. Never touches the network; writes only under
/// `--fix`.
#[derive(Parser, Debug)]
#[command(
    name = "cargo-privacy-check",
    bin_name = "cargo privacy-check",
    version,
    after_help = AFTER_HELP,
    max_term_width = 100
)]
pub struct Cli {
    /// Path to Cargo.toml
    #[arg(long, value_name = "PATH", help_heading = "Manifest Options")]
    pub manifest_path: Option<PathBuf>,

    /// Package to check (repeatable; `name`, `name@version`, a package ID or a glob such as `clap_*`)
    #[arg(
        short = 'p',
        long = "package",
        value_name = "SPEC",
        help_heading = "Package Selection"
    )]
    pub packages: Vec<String>,

    /// Check all members of the workspace
    #[arg(long, alias = "all", help_heading = "Package Selection")]
    pub workspace: bool,

    /// Exclude packages from the check (with --workspace; names or globs)
    #[arg(long, value_name = "SPEC", help_heading = "Package Selection")]
    pub exclude: Vec<String>,

    /// Print the files each selected package's .crate would contain, then exit
    #[arg(long)]
    pub list: bool,

    /// Check published .crate archives (files, or folders of them) instead of a package
    #[arg(
        long = "crate",
        value_name = "FILE",
        num_args = 1..,
        // An archive has no source to fix, configure or keep a baseline for.
        conflicts_with_all = [
            "manifest_path", "packages", "workspace", "exclude", "list", "fix", "dry_run",
            "unsafe_fixes", "print_config", "baseline", "write_baseline",
        ],
        help_heading = "Package Selection"
    )]
    pub crates: Vec<PathBuf>,

    /// Print the documentation of a rule, or list a category's rules, then exit
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    /// Print every rule with its category and default level, then exit
    #[arg(long)]
    pub list_rules: bool,

    /// Print each selected package's merged configuration as TOML, then exit
    #[arg(long)]
    pub print_config: bool,

    /// Set a rule, a category or `warnings` to allow
    #[arg(
        short = 'A',
        long = "allow",
        value_name = "RULE",
        help_heading = "Lint Levels"
    )]
    pub allow: Vec<String>,

    /// Set a rule or a category to warn
    #[arg(
        short = 'W',
        long = "warn",
        value_name = "RULE",
        help_heading = "Lint Levels"
    )]
    pub warn: Vec<String>,

    /// Set a rule, a category or `warnings` to deny (error, exit status 1)
    #[arg(
        short = 'D',
        long = "deny",
        value_name = "RULE",
        help_heading = "Lint Levels"
    )]
    pub deny: Vec<String>,

    /// Output format
    #[arg(long, value_enum, value_name = "FMT", default_value_t = MessageFormat::Human, help_heading = "Output")]
    pub message_format: MessageFormat,

    /// Coloring [default: CARGO_TERM_COLOR, else auto]
    #[arg(long, value_enum, value_name = "WHEN", help_heading = "Output")]
    pub color: Option<ColorWhen>,

    /// Report only findings not recorded in this baseline file
    #[arg(long, value_name = "FILE", help_heading = "Baseline")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in this baseline file, then exit
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "baseline",
        help_heading = "Baseline"
    )]
    pub write_baseline: Option<PathBuf>,

    /// Print nothing but findings and errors
    #[arg(short, long, conflicts_with = "verbose", help_heading = "Output")]
    pub quiet: bool,

    /// Also list skipped packages and every file not scanned
    #[arg(short, long, action = clap::ArgAction::Count, help_heading = "Output")]
    pub verbose: u8,

    /// Apply the machine-applicable fixes, then report what remains
    #[arg(long, help_heading = "Fixing")]
    pub fix: bool,

    /// Also apply maybe-incorrect fixes (with --fix or --dry-run)
    #[arg(long, help_heading = "Fixing")]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff on stdout and write nothing
    #[arg(long, visible_alias = "diff", help_heading = "Fixing")]
    pub dry_run: bool,

    /// With --fix, edit files that have uncommitted changes (staged ones too)
    #[arg(long, requires = "fix", help_heading = "Fixing")]
    pub allow_dirty: bool,

    /// With --fix, edit files that have staged changes
    #[arg(long, requires = "fix", help_heading = "Fixing")]
    pub allow_staged: bool,

    /// With --fix, edit files that are not in a git repository
    #[arg(long, requires = "fix", help_heading = "Fixing")]
    pub allow_no_vcs: bool,

    /// Lint-level flags in command-line order (filled from the matches).
    #[arg(skip)]
    pub level_flags: Vec<(Level, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Short,
    Json,
    // SARIF 2.1.0 on stdout, for code scanning (render/sarif.rs).
    Sarif,
    // GitHub Actions workflow commands on stdout (render/github.rs).
    Github,
    // cargo's own JSON messages on stdout, for rust-analyzer, bacon and
    // other readers of `cargo check --message-format json`
    // (render/cargo_json.rs). Not `json` (this tool's own contract) nor a
    // `json-diagnostic-*` name (cargo's modifiers of `json`).
    CargoJson,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl Cli {
    /// Parses arguments (without the `privacy-check` word cargo inserts).
    pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Cli::command().try_get_matches_from(args)?;
        let mut cli = Cli::from_arg_matches(&matches)?;
        cli.level_flags = level_flags(&matches);
        Ok(cli)
    }

    /// `--color`, else `CARGO_TERM_COLOR`, else auto (which honours
    /// `NO_COLOR` and `CLICOLOR_FORCE` and looks for a terminal).
    pub fn color_choice(&self) -> anstream::ColorChoice {
        choice(self.color.or_else(env_color))
    }
}

fn env_color() -> Option<ColorWhen> {
    std::env::var("CARGO_TERM_COLOR")
        .ok()
        .and_then(|v| ColorWhen::from_str(&v, true).ok())
}

fn choice(when: Option<ColorWhen>) -> anstream::ColorChoice {
    match when {
        Some(ColorWhen::Always) => anstream::ColorChoice::Always,
        Some(ColorWhen::Never) => anstream::ColorChoice::Never,
        Some(ColorWhen::Auto) | None => anstream::ColorChoice::Auto,
    }
}

/// The colour choice when the command line could not be parsed:
/// `CARGO_TERM_COLOR`, else auto.
pub fn env_color_choice() -> anstream::ColorChoice {
    choice(env_color())
}

/// `-A`/`-W`/`-D` values in the order they were given.
fn level_flags(matches: &ArgMatches) -> Vec<(Level, String)> {
    let mut flags: Vec<(usize, Level, String)> = Vec::new();
    for (id, level) in [
        ("allow", Level::Allow),
        ("warn", Level::Warning),
        ("deny", Level::Error),
    ] {
        if let (Some(values), Some(indices)) =
            (matches.get_many::<String>(id), matches.indices_of(id))
        {
            flags.extend(indices.zip(values).map(|(i, v)| (i, level, v.clone())));
        }
    }
    flags.sort_by_key(|(i, _, _)| *i);
    flags.into_iter().map(|(_, l, v)| (l, v)).collect()
}

/// Why the check could not run; rendered rustc-style, exit status 2.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub help: Option<String>,
    /// A source excerpt to point at: path, text, span, label.
    pub source: Option<(PathBuf, String, std::ops::Range<usize>, String)>,
}

impl Failure {
    fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            help: None,
            source: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn render(&self, cwd: &Path) -> String {
        let mut group = SnippetLevel::ERROR
            .primary_title(self.message.as_str())
            .elements(self.source.iter().map(|(path, text, span, label)| {
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
                    (
                        path,
                        text,
                        span,
                        message.lines().next().unwrap_or("").to_owned(),
                    )
                });
                Failure {
                    message: title,
                    help: None,
                    source,
                }
            }
            io => Failure::new(io.to_string()),
        }
    }
}

impl From<ScanError> for Failure {
    fn from(err: ScanError) -> Self {
        match err {
            ScanError::Manifest(m) => m.into(),
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
                    source: span.map(|span| (path, text, span, label)),
                }
            }
            ConfigError::TwoFiles(..) => Failure::new(err.to_string())
                .help("they are one file under two names: merge them and keep one"),
            ConfigError::Manifest(m) => m.into(),
        }
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
                        source: Some((path, text, span, message)),
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

/// Reads the configuration of the workspace in `cwd`, if there is one, so
/// that the custom rules it defines are registered (`--list-rules`,
/// `--explain`). Outside a workspace there are none; a configuration that
/// is wrong is the same error as when checking.
fn load_custom_rules(cli: &Cli, cwd: &Path) -> Result<(), Box<Failure>> {
    let options = SelectOptions {
        manifest_path: cli.manifest_path.clone(),
        packages: Vec::new(),
        workspace: true,
        exclude: Vec::new(),
    };
    let Ok(selection) = workspace::select(&options, cwd) else {
        return Ok(());
    };
    config::resolve(&selection, &[])
        .map(drop)
        .map_err(|err| Box::new(Failure::from(err)))
}

/// The Markdown `--explain NAME` prints: a rule's documentation, or a
/// category's rules with their summaries.
fn explain_text(name: &str) -> Option<String> {
    if let Some(rule) = rules::find(name) {
        return Some(rules::explain(rule));
    }
    let category = Category::ALL.iter().find(|c| c.as_str() == name)?;
    let mut text = format!(
        "# `{name}`\n\nThe rules of the `{name}` category (`cargo privacy-check --explain RULE` explains one):\n\n"
    );
    for rule in rules::all().filter(|r| r.category == *category) {
        text.push_str(&format!(
            "- `{}` ({}): {}\n",
            rule.name,
            rule.default_level.as_str(),
            rule.summary
        ));
    }
    Some(text)
}

/// `--explain` of an unknown name. It says "rule", as before categories
/// were accepted; the suggestion and the help cover both.
fn no_rule_named(name: &str) -> Failure {
    let names = rules::all()
        .map(|r| r.name)
        .chain(Category::ALL.iter().map(|c| c.as_str()));
    Failure::new(format!("no rule named `{}`", escape_input(name))).help(
        match closest(name, names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "`cargo privacy-check --list-rules` lists the rules and categories".to_owned(),
        },
    )
}

/// How `--explain` shows its text, as `rustc --explain` does: the Markdown
/// itself when stdout is not a terminal (piped, redirected); on a terminal,
/// laid out for it ([`render::markdown`]), and through the user's pager
/// when `PAGER` is set and the text is taller than the terminal.
///
/// The pager is the program the user's own environment names (`PAGER`,
/// split on whitespace, run without a shell), never something from the
/// checked repository; it runs only when stdout is a terminal, and what it
/// is fed passes the output boundary like everything else.
mod explain {
    use std::io::{self, IsTerminal, Write};
    use std::process::{Command, Stdio};

    use crate::output::Boundary;
    use crate::render;

    pub fn show(
        text: &str,
        color: anstream::ColorChoice,
        stdout: &mut dyn Write,
    ) -> io::Result<()> {
        let Some((width, height)) = terminal() else {
            return write!(stdout, "{text}");
        };
        if let Some(pager) = pager().filter(|_| text_height(text, width) > height) {
            let styled = pager_shows_styles(&pager, color);
            let rendered = render::markdown::render(text, width, styled);
            // A pager that cannot start: the text goes to the terminal.
            if let Some(result) = page(&pager, styled, &rendered) {
                return result;
            }
        }
        // `stdout` strips the bold when colour is off.
        write!(stdout, "{}", render::markdown::render(text, width, true))
    }

    /// The terminal's width and height, when stdout is one.
    fn terminal() -> Option<(usize, usize)> {
        let stdout = io::stdout();
        if !stdout.is_terminal() {
            return None;
        }
        let (terminal_size::Width(w), terminal_size::Height(h)) =
            terminal_size::terminal_size_of(&stdout)?;
        Some((usize::from(w), usize::from(h)))
    }

    fn text_height(text: &str, width: usize) -> usize {
        render::markdown::render(text, width, false).lines().count()
    }

    /// `PAGER` from the environment, split on whitespace; unset or blank: none.
    fn pager() -> Option<Vec<String>> {
        let value = std::env::var("PAGER").ok()?;
        let words: Vec<String> = value.split_whitespace().map(str::to_owned).collect();
        (!words.is_empty()).then_some(words)
    }

    /// Only `less` is told to show styles (`-R`); other pagers get plain
    /// text, as rustc does.
    fn pager_shows_styles(pager: &[String], color: anstream::ColorChoice) -> bool {
        let is_less = std::path::Path::new(&pager[0])
            .file_name()
            .is_some_and(|n| n == "less");
        let color = match color {
            anstream::ColorChoice::Never => false,
            anstream::ColorChoice::Always | anstream::ColorChoice::AlwaysAnsi => true,
            anstream::ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        is_less && color
    }

    /// Shows `text` through the pager; `None` when it could not start.
    fn page(pager: &[String], styled: bool, text: &str) -> Option<io::Result<()>> {
        let mut command = Command::new(&pager[0]);
        command.args(&pager[1..]).stdin(Stdio::piped());
        if styled {
            command.arg("-R");
        }
        let mut child = command.spawn().ok()?;
        let written = match child.stdin.take() {
            Some(stdin) => {
                let mut input = Boundary::new(stdin);
                write!(input, "{text}").and_then(|()| input.flush())
            }
            None => Ok(()),
        };
        let waited = child.wait().map(drop);
        Some(match written {
            // The user quitting the pager early closes the pipe: not an error.
            Err(err) if err.kind() != io::ErrorKind::BrokenPipe => Err(err),
            _ => waited,
        })
    }
}

/// Exit statuses.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_FAILURE: i32 = 2;

/// Runs the command; `Ok` holds the exit status (0 or 1).
pub fn run(
    cli: &Cli,
    cwd: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<Result<i32, Failure>, io::Error> {
    let started = Instant::now();
    if (cli.list_rules || cli.explain.is_some()) && cli.crates.is_empty() {
        // Custom rules are listed and explained too: read the configuration.
        if let Err(err) = load_custom_rules(cli, cwd) {
            return Ok(Err(*err));
        }
    }
    if cli.list_rules {
        list_rules(cli.message_format, stdout)?;
        return Ok(Ok(EXIT_CLEAN));
    }
    if let Some(name) = &cli.explain {
        return Ok(match explain_text(name) {
            Some(text) => {
                explain::show(&text, cli.color_choice(), stdout)?;
                Ok(EXIT_CLEAN)
            }
            None => Err(no_rule_named(name)),
        });
    }
    let level_flags = || Levels::from_flags(cli.level_flags.iter().map(|(l, n)| (*l, n.as_str())));
    let levels = match level_flags() {
        Ok(levels) => levels,
        // A name may be a custom rule: checked again once the
        // configuration that would define it is read.
        Err(_) if cli.crates.is_empty() => Levels::default(),
        Err(err) => return Ok(Err(err.into())),
    };
    if !cli.crates.is_empty() {
        let scan_options = ScanOptions {
            levels,
            ..ScanOptions::default()
        };
        return check_archives(cli, &scan_options, cwd, started, stdout, stderr);
    }
    let options = SelectOptions {
        manifest_path: cli.manifest_path.clone(),
        packages: cli.packages.clone(),
        workspace: cli.workspace,
        exclude: cli.exclude.clone(),
    };
    let selection = match workspace::select(&options, cwd) {
        Ok(selection) => selection,
        Err(err) => return Ok(Err(err.into())),
    };
    for warning in &selection.warnings {
        render::human::headline(stderr, Level::Warning, &escape_input(warning))?;
    }

    if cli.list {
        return list_files(&selection, stdout);
    }
    if cli.unsafe_fixes && !cli.fix && !cli.dry_run {
        return Ok(Err(Failure::new(
            "`--unsafe-fixes` applies fixes: it needs `--fix` or `--dry-run`",
        )));
    }
    if cli.dry_run
        && matches!(
            cli.message_format,
            MessageFormat::Json
                | MessageFormat::Sarif
                | MessageFormat::Github
                | MessageFormat::CargoJson
        )
    {
        let format = cli
            .message_format
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned());
        return Ok(Err(Failure::new(format!(
            "`--dry-run` prints a diff on stdout, where `--message-format {format}` writes its \
             output: one stream holds one format"
        ))
        .help("run `--dry-run` with the human or short format")));
    }
    // Read before scanning, so a bad file fails fast.
    let baseline_file = match (&cli.baseline, &cli.write_baseline) {
        (Some(path), _) => Baseline::read(&cwd.join(path)),
        (None, Some(path)) => baseline::for_rewrite(&cwd.join(path)),
        (None, None) => Ok(Baseline::default()),
    };
    let mut baseline_file = match baseline_file {
        Ok(b) => b,
        // Named as the user wrote it (the `-->` line is relative anyway).
        Err(err) => {
            let given = cli.baseline.iter().chain(&cli.write_baseline).next();
            return Ok(Err(err.named(given.map_or(Path::new(""), |p| p)).into()));
        }
    };

    let configs = match config::resolve(&selection, &cli.level_flags) {
        Ok(configs) => configs,
        Err(err) => return Ok(Err(err.into())),
    };
    let levels = match level_flags() {
        Ok(levels) => levels,
        Err(err) => return Ok(Err(err.into())),
    };
    for warning in config::rule_warnings(&configs) {
        render::human::headline(stderr, Level::Warning, warning)?;
    }
    if cli.print_config {
        print_config(&configs, cwd, stdout)?;
        return Ok(Ok(EXIT_CLEAN));
    }
    let scan_options = ScanOptions {
        levels,
        settings: configs
            .iter()
            .map(|c| {
                let root = c.manifest_path.parent().unwrap_or(Path::new("."));
                (c.manifest_path.clone(), c.merged.settings(root))
            })
            .collect(),
        ..ScanOptions::default()
    };
    let mut report = match scan::scan(&selection, &scan_options) {
        Ok(report) => report,
        Err(err) => return Ok(Err(err.into())),
    };
    if cli.fix || cli.dry_run {
        let options = fix::Options {
            write: !cli.dry_run,
            maybe_incorrect: cli.unsafe_fixes,
            vcs: fix::VcsPolicy {
                allow_dirty: cli.allow_dirty,
                allow_staged: cli.allow_staged,
                allow_no_vcs: cli.allow_no_vcs,
            },
            quiet: cli.quiet,
            json: cli.message_format == MessageFormat::Json,
        };
        report = match fix::run(
            report,
            &selection,
            &scan_options,
            cwd,
            &options,
            stdout,
            stderr,
        ) {
            Ok(report) => report,
            Err(fix::FixError::Output(err)) => return Err(err),
            Err(fix::FixError::Scan(err)) => return Ok(Err(err.into())),
            Err(err) => return Ok(Err(Failure::new(err.to_string()))),
        };
    }
    if let Some(path) = &cli.write_baseline {
        baseline_file.record(&report, &selection.workspace_root);
        if let Err(err) = baseline_file.write(&cwd.join(path)) {
            return Ok(Err(err.named(path).into()));
        }
        let findings = report.packages.iter().map(|p| p.findings.len()).sum();
        let shown = render::relative(&cwd.join(path), cwd);
        render_baseline_written(
            cli,
            &shown,
            findings,
            baseline_file.entries.len(),
            stdout,
            stderr,
        )?;
        return Ok(Ok(EXIT_CLEAN));
    }
    if let Some(path) = &cli.baseline {
        let applied = baseline_file.apply(&mut report, &selection.workspace_root, path);
        report.baseline = Some(applied);
    }
    let ctx = Context {
        cwd,
        selection: &selection,
        verbose: cli.verbose,
        quiet: cli.quiet,
        elapsed: started.elapsed(),
        width: render::stderr_width(),
    };
    // Packages that could not be checked: each its error, after the others'
    // report (none when no package could be), and the run fails (as
    // `--crate` does for an archive).
    if report.package_failures.is_empty() || !report.packages.is_empty() {
        render_report(cli, &report, &ctx, stdout, stderr)?;
    }
    if !report.package_failures.is_empty() {
        for (i, err) in report.package_failures.into_iter().enumerate() {
            if i > 0 {
                writeln!(stderr)?;
            }
            writeln!(stderr, "{}", Failure::from(err).render(cwd))?;
        }
        return Ok(Ok(EXIT_FAILURE));
    }
    Ok(Ok(if report.counts().errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }))
}

/// Writes the report in the chosen format, to the stream cargo would use.
fn render_report(
    cli: &Cli,
    report: &scan::Report,
    ctx: &Context<'_>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<()> {
    // `--color always` keeps the styling in `cargo-json`'s `rendered`, as
    // cargo's `json-diagnostic-rendered-ansi` does (bacon reads it so).
    let ansi = cli.color_choice() == anstream::ColorChoice::Always;
    match cli.message_format {
        MessageFormat::Human => render::human::render(report, ctx, stderr),
        MessageFormat::Short => render::short::render(report, ctx, stderr),
        MessageFormat::Json => render::json::render(report, ctx, stdout),
        MessageFormat::Sarif => render::sarif::render(report, ctx, stdout),
        MessageFormat::Github => render::github::render(report, ctx, stdout),
        MessageFormat::CargoJson => render::cargo_json::render(report, ctx, ansi, stdout),
    }
}

/// `--crate`: archives that cannot be checked are reported first, each as
/// an error of its own; the others are checked and reported as packages
/// are; the run then ends with exit status 2.
fn check_archives(
    cli: &Cli,
    options: &ScanOptions,
    cwd: &Path,
    started: Instant,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<Result<i32, Failure>, io::Error> {
    let report = {
        let progress = Progress::new(!cli.quiet && io::IsTerminal::is_terminal(&io::stderr()));
        let report =
            archive::check_with_progress(&cli.crates, cwd, options, &|done, total, archive| {
                progress.update(done, total, archive)
            });
        progress.clear();
        report
    };
    for failure in &report.failures {
        writeln!(stderr, "{}", archive_failure(failure).render(cwd))?;
        writeln!(stderr)?;
    }
    let selection = workspace::Selection {
        packages: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
        workspace_root: cwd.to_owned(),
        root_manifest: cwd.join("Cargo.toml"),
        members: Vec::new(),
    };
    let ctx = Context {
        cwd,
        selection: &selection,
        verbose: cli.verbose,
        quiet: cli.quiet,
        elapsed: started.elapsed(),
        width: render::stderr_width(),
    };
    // Nothing checked: a human reader gets the errors alone, not a report
    // of 0 archives and a `Finished` line (the machine formats still say
    // the run failed).
    let checked_nothing = report.packages.is_empty() && !report.failures.is_empty();
    let human = matches!(
        cli.message_format,
        MessageFormat::Human | MessageFormat::Short
    );
    if !(checked_nothing && human) {
        render_report(cli, &report, &ctx, stdout, stderr)?;
    }
    if !report.failures.is_empty() {
        let failed = report.failures.len();
        let total = failed + report.packages.len();
        writeln!(
            stderr,
            "{}",
            Failure::new(format!(
                "could not check {failed} of {}",
                render::plural(total, "archive")
            ))
            .render(cwd)
        )?;
        return Ok(Ok(EXIT_FAILURE));
    }
    Ok(Ok(if report.counts().errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }))
}

/// The status line of a run over archives, rewritten in place on a
/// terminal's stderr while they are checked, and erased before the report.
/// Its text passes [`crate::output::clean`], as all output does; only the
/// carriage return and the erase-line sequence that rewrite it are added
/// here, which the output boundary would escape. It is written to its own
/// handle on the terminal (a duplicate of stderr's descriptor), because the
/// worker threads that report progress cannot take the stderr lock the
/// main thread holds for the whole run. Nothing is written when stderr is
/// not a terminal (nor, for now, off Unix).
struct Progress {
    width: usize,
    /// The terminal, and when the line was last drawn (to draw it at most
    /// every 50 ms).
    state: std::sync::Mutex<Option<(std::fs::File, Option<Instant>)>>,
}

impl Progress {
    fn new(enabled: bool) -> Progress {
        Progress {
            width: render::stderr_width(),
            state: std::sync::Mutex::new(
                if enabled { terminal() } else { None }.map(|t| (t, None)),
            ),
        }
    }

    fn update(&self, done: usize, total: usize, archive: &Path) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let Some((terminal, last)) = state.as_mut() else {
            return;
        };
        if last.is_some_and(|t| t.elapsed().as_millis() < 50) && done < total {
            return;
        }
        *last = Some(Instant::now());
        let line = render::human::progress_line(done, total, archive, self.width);
        let line = crate::output::clean(&line);
        // A status line is best effort: a failed write is not the run's.
        let _ = write!(terminal, "\r{line}\x1b[K");
    }

    fn clear(&self) {
        if let Ok(mut state) = self.state.lock() {
            if let Some((terminal, Some(_))) = state.as_mut() {
                let _ = write!(terminal, "\r\x1b[K");
            }
        }
    }
}

/// A handle of its own on the terminal stderr is.
#[cfg(unix)]
fn terminal() -> Option<std::fs::File> {
    use std::os::fd::AsFd;
    io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .ok()
        .map(std::fs::File::from)
}

#[cfg(not(unix))]
fn terminal() -> Option<std::fs::File> {
    None
}

/// `--write-baseline`'s one line: a status line, or a JSON object.
fn render_baseline_written(
    cli: &Cli,
    path: &str,
    findings: usize,
    entries: usize,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<()> {
    match cli.message_format {
        MessageFormat::Json => {
            let line = serde_json::json!({
                "reason": "baseline-written",
                "path": path,
                "findings": findings,
                "entries": entries,
            });
            writeln!(stdout, "{line}")
        }
        _ if cli.quiet => Ok(()),
        _ => render::human::status(
            stderr,
            "Wrote",
            &format!(
                "baseline `{path}`: {} accepted",
                render::plural(findings, "finding")
            ),
        ),
    }
}

/// An archive that cannot be checked, as a rustc-style error naming it.
fn archive_failure(err: &ArchiveError) -> Failure {
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

/// `--list`: the files of each package's .crate, as `cargo package --list`
/// prints them; a `name vX.Y.Z:` header per package when there are several.
fn list_files(
    selection: &workspace::Selection,
    stdout: &mut dyn Write,
) -> Result<Result<i32, Failure>, io::Error> {
    let several = selection.packages.len() > 1;
    for (i, package) in selection.packages.iter().enumerate() {
        let files = match package_files::list(&PackageInput {
            manifest_path: &package.manifest_path,
            workspace_root: &selection.workspace_root,
            readme: package.readme.as_deref(),
            license_file: package.license_file.as_deref(),
        }) {
            Ok(files) => files,
            Err(err) => {
                return Ok(Err(Failure::new(format!(
                    "failed to list the files of package `{}`: {}",
                    escape_input(&package.name),
                    escape_input_lines(&err.to_string())
                ))))
            }
        };
        if several {
            if i > 0 {
                writeln!(stdout)?;
            }
            writeln!(
                stdout,
                "{} v{}:",
                escape_input(&package.name),
                escape_input(&package.version)
            )?;
        }
        for file in files {
            writeln!(stdout, "{}", escape_input(&file.archive_path))?;
        }
    }
    Ok(Ok(EXIT_CLEAN))
}

/// `--print-config`: each package's merged configuration, a header
/// comment naming the package before each.
fn print_config(
    configs: &[config::PackageConfig],
    cwd: &Path,
    stdout: &mut dyn Write,
) -> io::Result<()> {
    for (i, c) in configs.iter().enumerate() {
        if i > 0 {
            writeln!(stdout)?;
        }
        writeln!(
            stdout,
            "# configuration of `{} v{}` ({})",
            escape_input(&c.name),
            escape_input(&c.version),
            render::relative(&c.manifest_path, cwd)
        )?;
        write!(stdout, "{}", c.merged.to_toml(cwd))?;
    }
    Ok(())
}

/// `--list-rules`: name, category, default level and summary of every rule.
/// `--list-rules`: a table, or with `--message-format json` one
/// `{"reason":"rule",...}` line per rule (name, category, default level,
/// whether and how it can be fixed, summary).
fn list_rules(format: MessageFormat, stdout: &mut dyn Write) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct RuleLine<'a> {
        reason: &'static str,
        name: &'a str,
        category: &'a str,
        default_level: &'a str,
        fixable: bool,
        fix_applicability: Option<&'a str>,
        summary: &'a str,
        /// Custom rules only: where the configuration defines them.
        #[serde(skip_serializing_if = "Option::is_none")]
        defined_in: Option<String>,
    }
    let fix_of = |rule: &rules::Rule| match rules::fix_applicability(rule) {
        Some(Applicability::MachineApplicable) => Some("machine-applicable"),
        Some(Applicability::MaybeIncorrect) => Some("maybe-incorrect"),
        None => None,
    };
    if format == MessageFormat::Json {
        for rule in rules::all() {
            let line = serde_json::to_string(&RuleLine {
                reason: "rule",
                name: rule.name,
                category: rule.category.as_str(),
                default_level: rule.default_level.as_str(),
                fixable: fix_of(rule).is_some(),
                fix_applicability: fix_of(rule),
                summary: rule.summary,
                defined_in: rules::custom::defined_in(rule),
            })
            .map_err(io::Error::other)?;
            writeln!(stdout, "{line}")?;
        }
        return Ok(());
    }
    let width = rules::all().map(|r| r.name.len()).max().unwrap_or(0);
    let cat_width = Category::ALL
        .iter()
        .map(|c| c.as_str().len())
        .max()
        .unwrap_or(0);
    for rule in rules::all() {
        // `fix`: machine-applicable; `fix?`: maybe-incorrect.
        let fix = match rules::fix_applicability(rule) {
            Some(Applicability::MachineApplicable) => "fix",
            Some(Applicability::MaybeIncorrect) => "fix?",
            None => "",
        };
        writeln!(
            stdout,
            "{:width$}  {:cat_width$}  {:7}  {:4}  {}",
            rule.name,
            rule.category.as_str(),
            rule.default_level.as_str(),
            fix,
            match rules::custom::defined_in(rule) {
                Some(at) => format!("{} (custom, {at})", rule.summary),
                None => rule.summary.to_owned(),
            }
        )?;
    }
    Ok(())
}

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
            source: Some((
                PathBuf::from("Cargo.toml"),
                text.to_owned(),
                end - 1..end,
                "here".to_owned(),
            )),
        };
        assert!(failure
            .render(Path::new("/"))
            .contains("failed to parse manifest"));
    }
}
