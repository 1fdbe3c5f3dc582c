//! The modes that print facts and check nothing: `--list-rules`,
//! `--explain`, `--list` and `--print-config`.

use std::io::{self, Write};
use std::path::Path;

use super::failure::Failure;
use super::{MessageFormat, Stop, EXIT_CLEAN};
use crate::config;
use crate::diagnostic::{escape_input, escape_input_lines, Applicability, Category};
use crate::package_files::{self, PackageInput};
use crate::render;
use crate::rules;
use crate::suggest::closest;
use crate::workspace;

/// Reads the configuration of the workspace in `cwd`, if there is one, so
/// that the custom rules it defines are registered (`--list-rules`,
/// `--explain`). Outside a workspace there are none; a configuration that
/// is wrong is the same error as when checking.
pub(super) fn load_custom_rules(cli: &super::Cli, cwd: &Path) -> Result<(), Stop> {
    let options = workspace::SelectOptions {
        manifest_path: cli.manifest_path.clone(),
        packages: Vec::new(),
        workspace: true,
        exclude: Vec::new(),
    };
    let Ok(selection) = workspace::select(&options, cwd) else {
        return Ok(());
    };
    config::resolve(&selection, &[]).map_err(Failure::from)?;
    Ok(())
}

/// `--explain NAME`: a rule's or a category's documentation.
pub(super) fn explain(
    name: &str,
    color: anstream::ColorChoice,
    stdout: &mut dyn Write,
) -> Result<i32, Stop> {
    let text = explain_text(name).ok_or_else(|| no_rule_named(name))?;
    explain::show(&text, color, stdout)?;
    Ok(EXIT_CLEAN)
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

/// `--list`: the files of each package's .crate, as `cargo package --list`
/// prints them; a `name vX.Y.Z:` header per package when there are several.
pub(super) fn list_files(
    selection: &workspace::Selection,
    stdout: &mut dyn Write,
) -> Result<i32, Stop> {
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
                return Err(Failure::new(format!(
                    "failed to list the files of package `{}`: {}",
                    escape_input(&package.name),
                    escape_input_lines(&err.to_string())
                ))
                .into())
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
    Ok(EXIT_CLEAN)
}

/// `--print-config`: each package's merged configuration, a header
/// comment naming the package before each.
pub(super) fn print_config(
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
pub(super) fn list_rules(format: MessageFormat, stdout: &mut dyn Write) -> io::Result<()> {
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
    let fix_of = |rule: &rules::Rule| match rule.fix {
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
        let fix = match rule.fix {
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
