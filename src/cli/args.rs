//! The command line: cargo's flag names and meanings, parsed by `clap`.

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, ValueEnum};

use crate::diagnostic::Level;
use std::path::PathBuf;

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
        ("warn", Level::Warn),
        ("deny", Level::Deny),
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
