//! Configuration: where it is read from, how its layers merge, and the
//! settings the scanner applies to each package.
//!
//! Four layers, lowest precedence first, each overriding the one before:
//! 1. `privacy-check.toml` (or `.privacy-check.toml`; both is an error) in
//!    the workspace root folder;
//! 2. `[workspace.metadata.privacy-check]` in the workspace root manifest;
//! 3. `[package.metadata.privacy-check]` in the package's own manifest;
//! 4. `-A`/`-W`/`-D` on the command line, in command-line order.
//!
//! The file and the workspace table apply to every package of the
//! workspace; a package table only to its package, so levels and the other
//! settings are per package. Merging happens in [`Merged::apply`] and
//! nowhere else: a `[lints]` entry overrides earlier layers for the rules it
//! names (within one layer, categories apply before rules, so
//! `email = "allow"` with `author-email = "deny"` denies `author-email`
//! whatever the order the keys are written in); `max-file-size` is replaced;
//! lists (`allow-emails`, `skip-paths`…) accumulate, so a package adds to
//! what the workspace allows.
//!
//! Parsing is strict like serde's `deny_unknown_fields`: an unknown key, a
//! value of the wrong type or an invalid value is a [`ConfigError`] that
//! points at the key or value, rendered rustc-style with exit status 2.
//! A run reports every such error it finds, in every layer of every
//! package, together ([`ConfigErrors`]), as rustc reports every error of a
//! crate: a bad entry is left out and reading goes on. What stops early:
//! a file that cannot be read or is not TOML (that file only: the other
//! layers are still read), and the custom rules (`[[rules]]`,
//! `gitleaks-config`), which stop at their first error; once a custom rule
//! failed, `[lints]` entries naming a rule that does not exist are not
//! reported, since the failed rule may be the one they name.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use toml_edit::{Item, TableLike, Value};

use crate::diagnostic::{Category, Level, ValueDigest};
use crate::diagnostic::{Pointed, Reportable};
use crate::levels::{Levels, LintName};
use crate::manifest::{Manifest, ManifestError};
use crate::rules::custom::{CustomRule, CustomRules};
use crate::rules::Rule;
use crate::suggest::closest;
use crate::workspace::Selection;

mod custom_rules;
pub use custom_rules::import_gitleaks;

/// Files larger than this are not scanned (and are listed as not scanned).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// The configuration file names looked for in the workspace root folder.
pub const FILE_NAMES: [&str; 2] = ["privacy-check.toml", ".privacy-check.toml"];

/// Every key a configuration table may hold.
const KEYS: [&str; 8] = [
    "lints",
    "rules",
    "gitleaks-config",
    "allow-emails",
    "allow-email-domains",
    "skip-paths",
    "allow-fingerprints",
    "max-file-size",
];

/// Where a value was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Default,
    File(PathBuf),
    Workspace(PathBuf),
    Package(PathBuf),
    /// A level flag, e.g. `-D warnings`.
    CommandLine(String),
}

impl Origin {
    /// Where the value came from, for `--print-config`.
    pub fn describe(&self, cwd: &Path) -> String {
        let rel = |p: &Path| crate::display::relative(p, cwd);
        match self {
            Origin::Default => "default".to_owned(),
            Origin::File(path) => format!("from {}", rel(path)),
            Origin::Workspace(path) => {
                format!("from {} [workspace.metadata.privacy-check]", rel(path))
            }
            Origin::Package(path) => {
                format!("from {} [package.metadata.privacy-check]", rel(path))
            }
            Origin::CommandLine(flag) => format!("from the command line ({flag})"),
        }
    }
}

/// Bad configuration: what is wrong, and where.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}", .0.message)]
    Invalid(Box<Invalid>),
    /// Both file names in the workspace root: which one wins would be a
    /// guess, so neither does.
    #[error("both `{}` and `{}` exist in the workspace root", file_name(.0), file_name(.1))]
    TwoFiles(PathBuf, PathBuf),
    #[error(transparent)]
    Manifest(#[from] ManifestError),
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Every configuration error of a run, in the order found: layers in
/// precedence order, packages in selection order, keys in the order
/// written. Never empty.
#[derive(Debug)]
pub struct ConfigErrors(pub Vec<ConfigError>);

/// The errors found while reading, and whether a custom rule was among
/// them (after which an unknown rule name may be that rule's, and is not
/// reported).
#[derive(Debug, Default)]
struct Errors {
    found: Vec<ConfigError>,
    in_custom_rules: bool,
}

impl Errors {
    fn push(&mut self, err: ConfigError) {
        self.found.push(err);
    }

    /// The value, or `None` with its error kept.
    fn keep<T>(&mut self, result: Result<T, ConfigError>) -> Option<T> {
        result.map_err(|err| self.push(err)).ok()
    }

    /// A custom rule's error, kept.
    fn keep_rule(&mut self, result: Result<(), ConfigError>) {
        if let Err(err) = result {
            self.in_custom_rules = true;
            self.push(err);
        }
    }
}

/// A key or value that is not valid, with the text to point into.
#[derive(Debug)]
pub struct Invalid {
    pub message: String,
    pub path: PathBuf,
    pub text: String,
    pub span: Option<Range<usize>>,
    pub label: String,
    pub help: Option<String>,
}

/// One layer as written: every field optional, each value with its span.
#[derive(Debug, Default)]
struct Layer {
    /// Lint entries in the order they apply (categories, rules, `warnings`).
    lints: Vec<(LintName, Level)>,
    allow_emails: Vec<String>,
    allow_email_domains: Vec<String>,
    skip_paths: Vec<String>,
    allow_fingerprints: Vec<String>,
    max_file_size: Option<u64>,
    /// Custom rules (`[[rules]]`, `gitleaks-config`), compiled.
    custom: Vec<Arc<CustomRule>>,
    /// Imported rules that were skipped, and other notes on the rules.
    rule_warnings: Vec<String>,
}

/// The text a table was read from, to point errors into it.
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
    /// `[package.metadata.privacy-check]`, or the file's name.
    table: &'a str,
    /// The workspace root, which `--list-rules` names files relative to.
    root: &'a Path,
}

impl Source<'_> {
    fn error(
        &self,
        message: impl Into<String>,
        span: Option<Range<usize>>,
        label: impl Into<String>,
        help: Option<String>,
    ) -> ConfigError {
        ConfigError::Invalid(Box::new(Invalid {
            message: message.into(),
            path: self.path.to_owned(),
            text: self.text.to_owned(),
            span,
            label: label.into(),
            help,
        }))
    }
}

/// Reads one layer; `known` is what the layers before it set (a custom
/// rule id defined there cannot be defined again). A bad entry is left out
/// of the layer and its error kept in `errors`.
fn parse_layer(item: &Item, src: &Source<'_>, known: &Merged, errors: &mut Errors) -> Layer {
    let mut layer = Layer::default();
    let Some(table) = item.as_table_like() else {
        errors.push(src.error(
            format!("`{}` must be a table", src.table),
            item.span(),
            "expected a table",
            None,
        ));
        return layer;
    };
    // Rules first: `[lints]` of the same layer may name them.
    if let Some(value) = table.get("rules") {
        errors.keep_rule(custom_rules::parse_rules(value, src, known, &mut layer));
    }
    if let Some(value) = table.get("gitleaks-config") {
        errors.keep_rule(custom_rules::parse_gitleaks(value, src, known, &mut layer));
    }
    for (key, value) in table.iter() {
        match key {
            "rules" | "gitleaks-config" => {}
            "lints" => {
                layer.lints = parse_lints(value, src, errors);
                // A custom rule that failed may be the one an entry names.
                if !errors.in_custom_rules {
                    let checked =
                        custom_rules::check_lints(&layer.lints, value, src, known, &layer);
                    errors.keep(checked);
                }
            }
            "allow-emails" => {
                layer.allow_emails = lowercase(each_string(value, key, src, invalid_email, errors));
            }
            "allow-email-domains" => {
                layer.allow_email_domains =
                    lowercase(each_string(value, key, src, invalid_domain, errors));
            }
            "skip-paths" => layer.skip_paths = each_string(value, key, src, invalid_glob, errors),
            "allow-fingerprints" => {
                layer.allow_fingerprints =
                    lowercase(each_string(value, key, src, invalid_fingerprint, errors));
            }
            "max-file-size" => layer.max_file_size = errors.keep(parse_size(value, src)),
            unknown => {
                let key_span = table.key(key).and_then(|k| k.span());
                errors.push(unknown_key(unknown, key_span, src));
            }
        }
    }
    layer
}

/// The error for a key of a configuration table that is not one of [`KEYS`].
fn unknown_key(unknown: &str, key_span: Option<Range<usize>>, src: &Source<'_>) -> ConfigError {
    src.error(
        format!("unknown key `{unknown}` in `{}`", src.table),
        key_span,
        "unknown key",
        Some(match closest(unknown, KEYS.into_iter()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("the keys are: {}", KEYS.join(", ")),
        }),
    )
}

/// The values lowercased (addresses, domains and fingerprints compare
/// case-insensitively).
fn lowercase(values: Vec<String>) -> Vec<String> {
    values.into_iter().map(|s| s.to_ascii_lowercase()).collect()
}

/// Why `s` is not an `allow-emails` entry, if it is not one.
fn invalid_email(s: &str) -> Option<String> {
    let valid = s
        .rsplit_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && is_domain(domain));
    (!valid).then(|| "expected an email address like `name@example.org`".to_owned())
}

/// Why `s` is not an `allow-email-domains` entry, if it is not one.
fn invalid_domain(s: &str) -> Option<String> {
    (!is_domain(s))
        .then(|| "expected a domain like `corp.com` (it covers its subdomains)".to_owned())
}

/// Why `s` is not a `skip-paths` glob, if it is not one.
fn invalid_glob(s: &str) -> Option<String> {
    GitignoreBuilder::new("")
        .add_line(None, s)
        .err()
        .map(|err| format!("invalid glob: {err}"))
}

/// Why `s` is not an `allow-fingerprints` entry, if it is not one.
fn invalid_fingerprint(s: &str) -> Option<String> {
    (s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit())).then(|| {
        "expected 16 hex digits, a finding's `fingerprint` in `--message-format json`".to_owned()
    })
}

/// One `[lints]` entry as written, before the entries are ordered.
struct LintEntry {
    name: LintName,
    level: Level,
    /// cargo's `priority`: lower applies first, so a higher one wins.
    priority: i64,
}

impl LintEntry {
    /// The order entries apply in. As cargo: lower `priority` first, so a
    /// higher one wins. Within one priority, categories before rules: the
    /// more specific entry wins whatever the order of the keys (TOML tables
    /// are unordered).
    fn apply_order(&self) -> (i64, u8) {
        let specificity = match self.name {
            LintName::Category(_) => 0,
            LintName::Rule(_) => 1,
            LintName::Warnings => 2,
        };
        (self.priority, specificity)
    }
}

/// `[lints]`: `name = "allow" | "warn" | "deny"`, cargo's `[lints]` shape.
/// An entry with a bad name or level is left out, each error kept.
fn parse_lints(item: &Item, src: &Source<'_>, errors: &mut Errors) -> Vec<(LintName, Level)> {
    let Some(table) = item.as_table_like() else {
        errors.push(src.error(
            "`lints` must be a table",
            item.span(),
            "expected a table of `rule = \"allow\" | \"warn\" | \"deny\"`",
            None,
        ));
        return Vec::new();
    };
    let mut entries = Vec::new();
    for (key, value) in table.iter() {
        let key_span = table.key(key).and_then(|k| k.span());
        let name = match lint_name(key, key_span, src) {
            Ok(name) => Some(name),
            // An unknown name may be a custom rule that failed: not
            // reported then (see the module docs).
            Err(_) if errors.in_custom_rules => None,
            Err(err) => {
                errors.push(err);
                None
            }
        };
        // The level is checked even when the name is not known.
        let level =
            level_and_priority(key, value, src, errors).and_then(|(level_item, priority)| {
                errors
                    .keep(parse_level(key, level_item, src))
                    .map(|level| (level, priority))
            });
        if let (Some(name), Some((level, priority))) = (name, level) {
            entries.push(LintEntry {
                name,
                level,
                priority,
            });
        }
    }
    entries.sort_by_key(LintEntry::apply_order);
    entries.into_iter().map(|e| (e.name, e.level)).collect()
}

/// The rule or category a `[lints]` key names.
fn lint_name(
    key: &str,
    key_span: Option<Range<usize>>,
    src: &Source<'_>,
) -> Result<LintName, ConfigError> {
    LintName::resolve(key).map_err(|err| {
        src.error(
            format!("unknown rule or category `{key}`"),
            key_span,
            "unknown rule or category",
            Some(match err.suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "`cargo privacy-check --list-rules` lists the rules and categories".to_owned()
                }
            }),
        )
    })
}

/// The level's item and the priority of one `[lints]` entry, in cargo's two
/// forms: `rule = "deny"`, or `rule = { level = "deny", priority = -1 }`;
/// `None` when the table form is wrong, each of its errors kept.
fn level_and_priority<'a>(
    key: &str,
    value: &'a Item,
    src: &Source<'_>,
    errors: &mut Errors,
) -> Option<(&'a Item, i64)> {
    let Some(entry) = value.as_table_like() else {
        return Some((value, 0));
    };
    let before = errors.found.len();
    for (field, _) in entry.iter() {
        if field != "level" && field != "priority" {
            errors.push(src.error(
                format!("unknown key `{field}` in `lints.{key}`"),
                entry.key(field).and_then(|k| k.span()),
                "unknown key",
                Some(match closest(field, ["level", "priority"].into_iter()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "a lint table takes `level` and `priority`".to_owned(),
                }),
            ));
        }
    }
    let level = entry.get("level");
    // A misspelt key is likely the level: its error says so already.
    if level.is_none() && errors.found.len() == before {
        errors.push(src.error(
            format!("`lints.{key}` has no `level`"),
            value.span(),
            "missing `level`",
            Some("write `{ level = \"deny\", priority = -1 }`".to_owned()),
        ));
    }
    let priority = match entry.get("priority") {
        None => Some(0),
        Some(p) => errors.keep(p.as_integer().ok_or_else(|| {
            src.error(
                format!("invalid priority for `{key}`"),
                p.span(),
                "expected an integer",
                None,
            )
        })),
    };
    if errors.found.len() > before {
        return None;
    }
    Some((level?, priority?))
}

/// A `[lints]` level: `"allow"`, `"warn"` or `"deny"`.
fn parse_level(key: &str, item: &Item, src: &Source<'_>) -> Result<Level, ConfigError> {
    match item.as_str() {
        Some("allow") => Ok(Level::Allow),
        Some("warn") => Ok(Level::Warn),
        Some("deny") => Ok(Level::Deny),
        other => {
            let help = other
                .and_then(|s| closest(s, ["allow", "warn", "deny"].into_iter()))
                .map(|s| format!("did you mean `\"{s}\"`?"));
            Err(src.error(
                format!("invalid level for `{key}`"),
                item.span(),
                "expected `\"allow\"`, `\"warn\"` or `\"deny\"`",
                help,
            ))
        }
    }
}

/// An array of strings, each checked by `invalid` (which says why not), or
/// the first error (custom rules stop at their first).
fn strings(
    item: &Item,
    key: &str,
    src: &Source<'_>,
    invalid: impl Fn(&str) -> Option<String>,
) -> Result<Vec<String>, ConfigError> {
    let mut errors = Errors::default();
    let out = each_string(item, key, src, invalid, &mut errors);
    match errors.found.into_iter().next() {
        Some(err) => Err(err),
        None => Ok(out),
    }
}

/// An array of strings, each checked by `invalid` (which says why not):
/// the valid ones, each bad one's error kept.
fn each_string(
    item: &Item,
    key: &str,
    src: &Source<'_>,
    invalid: impl Fn(&str) -> Option<String>,
    errors: &mut Errors,
) -> Vec<String> {
    let Some(array) = item.as_array() else {
        errors.push(src.error(
            format!("`{key}` must be an array of strings"),
            item.span(),
            "expected an array of strings",
            None,
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for value in array.iter() {
        let Some(s) = value.as_str() else {
            errors.push(src.error(
                format!("`{key}` must be an array of strings"),
                value.span(),
                "expected a string",
                None,
            ));
            continue;
        };
        match invalid(s) {
            Some(why) => {
                errors.push(src.error(
                    format!("invalid value in `{key}`"),
                    value.span(),
                    why,
                    None,
                ));
            }
            None => out.push(s.to_owned()),
        }
    }
    out
}

/// A domain name: dot-separated labels of letters, digits and `-`.
fn is_domain(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// A size as a person writes it, and as `max-file-size` reads it back:
/// the largest unit that divides it exactly (binary units first, since the
/// default is one), else a plain number of bytes.
fn size_as_written(bytes: u64) -> String {
    const UNITS: [(&str, u64); 6] = [
        ("GiB", 1 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
        ("GB", 1_000_000_000),
        ("MB", 1_000_000),
        ("KB", 1_000),
    ];
    match UNITS
        .iter()
        .find(|(_, unit)| bytes > 0 && bytes % unit == 0)
    {
        Some((name, unit)) => Value::from(format!("{} {name}", bytes / unit)).to_string(),
        None => bytes.to_string(),
    }
}

/// `max-file-size`: an integer number of bytes, or a string with a unit:
/// `B`, `KB`/`MB`/`GB` (powers of 1000) or `KiB`/`MiB`/`GiB` (of 1024),
/// with or without a space, in any case.
fn parse_size(item: &Item, src: &Source<'_>) -> Result<u64, ConfigError> {
    let bad = |label: &str| {
        src.error(
            "invalid `max-file-size`",
            item.span(),
            label,
            Some("write a number of bytes (`1048576`) or a size with a unit (`\"1 MiB\"`, `\"500KB\"`)".to_owned()),
        )
    };
    let size = match item.as_value() {
        Some(Value::Integer(n)) => u64::try_from(*n.value()).ok(),
        Some(Value::String(s)) => parse_size_str(s.value()),
        _ => return Err(bad("expected an integer or a string")),
    };
    match size {
        Some(n) if n > 0 => Ok(n),
        _ => Err(bad("expected a positive size")),
    }
}

fn parse_size_str(s: &str) -> Option<u64> {
    let s = s.trim();
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = s.split_at(digits);
    let number: u64 = number.parse().ok()?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "mb" => 1000 * 1000,
        "gb" => 1000 * 1000 * 1000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(factor)
}

/// A value with where it was set.
#[derive(Clone, Debug)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

/// The merged configuration of one package, each value with its origin.
#[derive(Clone, Debug)]
pub struct Merged {
    /// Category levels, in the order they were last set.
    categories: Vec<Sourced<(Category, Level)>>,
    /// Rule levels set after (so over) any category entry covering them.
    rules: Vec<Sourced<(&'static Rule, Level)>>,
    warnings: Option<Sourced<Level>>,
    pub max_file_size: Sourced<u64>,
    pub allow_emails: Vec<Sourced<String>>,
    pub allow_email_domains: Vec<Sourced<String>>,
    pub skip_paths: Vec<Sourced<String>>,
    pub allow_fingerprints: Vec<Sourced<String>>,
    /// Custom rules, in the order they were defined.
    pub custom: Vec<Sourced<Arc<CustomRule>>>,
    /// Imported rules that were skipped, and other notes on the rules, for
    /// the command line to show as warnings.
    pub rule_warnings: Vec<String>,
}

impl Default for Merged {
    fn default() -> Self {
        Merged {
            categories: Vec::new(),
            rules: Vec::new(),
            warnings: None,
            max_file_size: Sourced {
                value: DEFAULT_MAX_FILE_SIZE,
                origin: Origin::Default,
            },
            allow_emails: Vec::new(),
            allow_email_domains: Vec::new(),
            skip_paths: Vec::new(),
            allow_fingerprints: Vec::new(),
            custom: Vec::new(),
            rule_warnings: Vec::new(),
        }
    }
}

impl Merged {
    /// Sets a level over what earlier entries set for the same rules. A
    /// category entry replaces the rule entries it covers, so what is kept
    /// always reads "categories, then rules" (what `--print-config` prints
    /// means what it meant when merged).
    pub fn set_level(&mut self, name: LintName, level: Level, origin: Origin) {
        match name {
            LintName::Warnings => {
                self.warnings = Some(Sourced {
                    value: level,
                    origin,
                })
            }
            LintName::Category(category) => {
                self.rules.retain(|r| r.value.0.category != category);
                self.categories.retain(|c| c.value.0 != category);
                self.categories.push(Sourced {
                    value: (category, level),
                    origin,
                });
            }
            LintName::Rule(rule) => {
                self.rules.retain(|r| r.value.0 != rule);
                self.rules.push(Sourced {
                    value: (rule, level),
                    origin,
                });
            }
        }
    }

    fn apply(&mut self, layer: Layer, origin: &Origin) {
        for (name, level) in layer.lints {
            self.set_level(name, level, origin.clone());
        }
        if let Some(size) = layer.max_file_size {
            self.max_file_size = Sourced {
                value: size,
                origin: origin.clone(),
            };
        }
        let extend = |list: &mut Vec<Sourced<String>>, values: Vec<String>| {
            for value in values {
                if !list.iter().any(|s| s.value == value) {
                    list.push(Sourced {
                        value,
                        origin: origin.clone(),
                    });
                }
            }
        };
        extend(&mut self.allow_emails, layer.allow_emails);
        extend(&mut self.allow_email_domains, layer.allow_email_domains);
        extend(&mut self.skip_paths, layer.skip_paths);
        extend(&mut self.allow_fingerprints, layer.allow_fingerprints);
        // Ids were checked against earlier layers when parsed.
        for rule in layer.custom {
            self.custom.push(Sourced {
                value: rule,
                origin: origin.clone(),
            });
        }
        for w in layer.rule_warnings {
            if !self.rule_warnings.contains(&w) {
                self.rule_warnings.push(w);
            }
        }
    }

    /// The levels every finding of the package is reported at.
    pub fn levels(&self) -> Levels {
        let mut levels = Levels::default();
        for c in &self.categories {
            levels.apply(c.value.1, LintName::Category(c.value.0));
        }
        for r in &self.rules {
            levels.apply(r.value.1, LintName::Rule(r.value.0));
        }
        if let Some(w) = &self.warnings {
            levels.apply(w.value, LintName::Warnings);
        }
        levels
    }

    /// What the scanner applies to the package whose root folder is `root`.
    pub fn settings(&self, root: &Path) -> Settings {
        let skip_paths = (!self.skip_paths.is_empty()).then(|| {
            let mut builder = GitignoreBuilder::new(root);
            for glob in &self.skip_paths {
                // Validated when parsed.
                let _ = builder.add_line(None, &glob.value);
            }
            builder.build().unwrap_or_else(|_| Gitignore::empty())
        });
        Settings {
            levels: self.levels(),
            custom: Arc::new(CustomRules::new(
                self.custom.iter().map(|r| r.value.clone()).collect(),
            )),
            max_file_size: self.max_file_size.value,
            allow_emails: self.allow_emails.iter().map(|s| s.value.clone()).collect(),
            allow_email_domains: self
                .allow_email_domains
                .iter()
                .map(|s| s.value.clone())
                .collect(),
            skip_paths,
            allow_fingerprints: self
                .allow_fingerprints
                .iter()
                .map(|s| s.value.clone())
                .collect(),
        }
    }

    /// The merged configuration as TOML, a comment after each value saying
    /// where it came from.
    pub fn to_toml(&self, cwd: &Path) -> String {
        let quote = |s: &str| Value::from(s).to_string();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "max-file-size = {} # {}",
            size_as_written(self.max_file_size.value),
            self.max_file_size.origin.describe(cwd)
        );
        for (key, list) in [
            ("allow-emails", &self.allow_emails),
            ("allow-email-domains", &self.allow_email_domains),
            ("skip-paths", &self.skip_paths),
            ("allow-fingerprints", &self.allow_fingerprints),
        ] {
            if list.is_empty() {
                let _ = writeln!(out, "{key} = []");
                continue;
            }
            let _ = writeln!(out, "{key} = [");
            for s in list {
                let _ = writeln!(out, "    {}, # {}", quote(&s.value), s.origin.describe(cwd));
            }
            let _ = writeln!(out, "]");
        }
        out.push_str(&custom_rules::print(&self.custom, cwd));
        let _ = writeln!(out, "\n[lints]");
        if self.categories.is_empty() && self.rules.is_empty() && self.warnings.is_none() {
            let _ = writeln!(
                out,
                "# every rule at its default level (`cargo privacy-check --list-rules`)"
            );
        }
        let level = |l: Level| match l {
            Level::Allow => "allow",
            Level::Deny => "deny",
            Level::Warn | Level::Note => "warn",
        };
        for c in &self.categories {
            let _ = writeln!(
                out,
                "{} = \"{}\" # {}",
                c.value.0.as_str(),
                level(c.value.1),
                c.origin.describe(cwd)
            );
        }
        for r in &self.rules {
            let _ = writeln!(
                out,
                "{} = \"{}\" # {}",
                r.value.0.name,
                level(r.value.1),
                r.origin.describe(cwd)
            );
        }
        if let Some(w) = &self.warnings {
            let _ = writeln!(
                out,
                "warnings = \"{}\" # {}",
                level(w.value),
                w.origin.describe(cwd)
            );
        }
        out
    }
}

/// What the scanner applies to one package.
#[derive(Clone, Debug)]
pub struct Settings {
    pub levels: Levels,
    /// The package's custom rules, behind their one prefilter.
    pub custom: Arc<CustomRules>,
    pub max_file_size: u64,
    allow_emails: HashSet<String>,
    allow_email_domains: Vec<String>,
    skip_paths: Option<Gitignore>,
    allow_fingerprints: HashSet<String>,
}

impl Settings {
    /// Settings with no configuration: these levels and this size limit.
    pub fn new(levels: Levels, max_file_size: u64) -> Self {
        Settings {
            levels,
            custom: Arc::default(),
            max_file_size,
            allow_emails: HashSet::new(),
            allow_email_domains: Vec::new(),
            skip_paths: None,
            allow_fingerprints: HashSet::new(),
        }
    }

    /// An address listed in `allow-emails`, or at a domain (or a subdomain
    /// of one) listed in `allow-email-domains`; case-insensitive.
    pub fn allows_email(&self, address: &str) -> bool {
        let address = address.to_ascii_lowercase();
        if self.allow_emails.contains(&address) {
            return true;
        }
        let Some((_, domain)) = address.rsplit_once('@') else {
            return false;
        };
        let domain = domain.trim_end_matches('.');
        self.allow_email_domains.iter().any(|d| {
            domain == d
                || domain
                    .strip_suffix(d.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }

    /// A file (by its `/`-separated path inside the .crate) that a
    /// `skip-paths` glob matches.
    pub fn skips(&self, archive_path: &str) -> bool {
        self.skip_paths.as_ref().is_some_and(|globs| {
            globs
                .matched_path_or_any_parents(archive_path, false)
                .is_ignore()
        })
    }

    /// A value listed in `allow-fingerprints`.
    pub fn allows_value(&self, digest: &ValueDigest) -> bool {
        !self.allow_fingerprints.is_empty()
            && self.allow_fingerprints.contains(&digest.fingerprint())
    }
}

/// A selected package's merged configuration.
#[derive(Debug)]
pub struct PackageConfig {
    pub name: String,
    pub version: String,
    pub manifest_path: PathBuf,
    pub merged: Merged,
}

/// Reads every layer for each selected package and merges them, the level
/// flags (`(level, name)` in command-line order) last. Every error found
/// in any layer of any package is returned, together.
pub fn resolve(
    selection: &Selection,
    flags: &[(Level, String)],
) -> Result<Vec<PackageConfig>, ConfigErrors> {
    if selection.packages.is_empty() {
        return Ok(Vec::new());
    }
    let mut errors = Errors::default();
    let mut base = Merged::default();
    let file = errors.keep(config_file(&selection.workspace_root));
    if let Some((path, text)) = file.flatten() {
        let layer = file_layer(&path, text, &selection.workspace_root, &base, &mut errors);
        if let Some(layer) = layer {
            base.apply(layer, &Origin::File(path));
        }
    }
    // A root manifest that cannot be read gives no workspace layer; one
    // that is not TOML is reported here, once (not again as a package's).
    let (root, root_failed) = match Manifest::read(&selection.root_manifest) {
        Ok(root) => (Some(root), false),
        Err(ManifestError::Io { .. }) => (None, false),
        Err(err) => {
            errors.push(err.into());
            (None, true)
        }
    };
    if let Some(root) = &root {
        let layer = metadata_layer(
            root,
            "workspace",
            &selection.workspace_root,
            &base,
            &mut errors,
        );
        if let Some(layer) = layer {
            base.apply(layer, &Origin::Workspace(root.path.clone()));
        }
    }

    let mut out = Vec::new();
    for package in &selection.packages {
        let own;
        let manifest = match &root {
            Some(root) if root.path == package.manifest_path => root,
            None if root_failed && selection.root_manifest == package.manifest_path => continue,
            _ => match Manifest::read(&package.manifest_path) {
                Ok(manifest) => {
                    own = manifest;
                    &own
                }
                Err(err) => {
                    errors.push(err.into());
                    continue;
                }
            },
        };
        let merged = package_merged(manifest, selection, &base, flags, &mut errors);
        out.push(PackageConfig {
            name: package.name.clone(),
            version: package.version.clone(),
            manifest_path: package.manifest_path.clone(),
            merged,
        });
    }
    publish_unselected_rules(selection, &base);
    if errors.found.is_empty() {
        Ok(out)
    } else {
        Err(ConfigErrors(errors.found))
    }
}

/// A package's configuration: the layers above (`base`), its own
/// `[package.metadata.privacy-check]`, then the level flags.
fn package_merged(
    manifest: &Manifest,
    selection: &Selection,
    base: &Merged,
    flags: &[(Level, String)],
    errors: &mut Errors,
) -> Merged {
    let mut merged = base.clone();
    let layer = metadata_layer(
        manifest,
        "package",
        &selection.workspace_root,
        &merged,
        errors,
    );
    if let Some(layer) = layer {
        merged.apply(layer, &Origin::Package(manifest.path.clone()));
    }
    apply_flags(&mut merged, flags);
    merged
}

/// The custom rules of the members `-p` leaves out are read too, for the
/// output boundary only: a value one of them describes can stand in a
/// file a selected package ships (a comment in the root manifest both
/// inherit from), and must be masked there as in a whole-workspace run.
/// They are not applied to the selected packages, and their errors are
/// reported when their own packages are checked, not here.
fn publish_unselected_rules(selection: &Selection, base: &Merged) {
    let selected: HashSet<&Path> = selection
        .packages
        .iter()
        .map(|p| p.manifest_path.as_path())
        .collect();
    for path in &selection.members {
        if selected.contains(path.as_path()) || *path == selection.root_manifest {
            continue;
        }
        if let Ok(manifest) = Manifest::read(path) {
            let mut ignored = Errors::default();
            // Compiling a rule publishes it to the output boundary.
            let _ = metadata_layer(
                &manifest,
                "package",
                &selection.workspace_root,
                base,
                &mut ignored,
            );
        }
    }
}

/// The layer of the configuration file at `path` (its `text` read by
/// [`config_file`]); a TOML syntax error is reported as the file's, and
/// stops this file only.
fn file_layer(
    path: &Path,
    text: String,
    root: &Path,
    known: &Merged,
    errors: &mut Errors,
) -> Option<Layer> {
    let manifest = Manifest::parse(path, text).map_err(|err| match err {
        ManifestError::Toml {
            path,
            text,
            message,
            span,
        } => ConfigError::Invalid(Box::new(Invalid {
            message: format!("failed to parse `{}`", file_name(&path)),
            path,
            text,
            span,
            label: message.lines().next().unwrap_or("").to_owned(),
            help: None,
        })),
        other => other.into(),
    });
    let manifest = errors.keep(manifest)?;
    let name = file_name(path);
    let src = Source {
        path,
        text: &manifest.text,
        table: &name,
        root,
    };
    Some(parse_layer(manifest.doc.as_item(), &src, known, errors))
}

/// Applies the level flags (`(level, name)` in command-line order) over
/// the configuration layers.
fn apply_flags(merged: &mut Merged, flags: &[(Level, String)]) {
    for (level, name) in flags {
        // An unknown name is refused by the command line once every
        // package's configuration is read (a custom rule may be defined
        // by another package).
        if let Ok(lint) = LintName::resolve(name) {
            let flag = match level {
                Level::Allow => "-A",
                Level::Deny => "-D",
                Level::Warn | Level::Note => "-W",
            };
            merged.set_level(lint, *level, Origin::CommandLine(format!("{flag} {name}")));
        }
    }
}

/// The warnings about custom rules (imported rules skipped, `[extend]`
/// ignored) of every package, each once.
pub fn rule_warnings(configs: &[PackageConfig]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for w in configs.iter().flat_map(|c| &c.merged.rule_warnings) {
        if !out.contains(&w.as_str()) {
            out.push(w);
        }
    }
    out
}

/// `[workspace.metadata.privacy-check]` or `[package.metadata.privacy-check]`
/// (`parent` is `workspace` or `package`), if the manifest has it; its
/// errors are kept in `errors`.
fn metadata_layer(
    manifest: &Manifest,
    parent: &str,
    root: &Path,
    known: &Merged,
    errors: &mut Errors,
) -> Option<Layer> {
    let parent_table = match parent {
        "package" => manifest.package().map(|t| t as &dyn TableLike),
        _ => manifest.doc.get(parent).and_then(Item::as_table_like),
    };
    let item = parent_table
        .and_then(|t| t.get("metadata"))
        .and_then(|m| m.get("privacy-check"))?;
    let table = format!("[{parent}.metadata.privacy-check]");
    let src = Source {
        path: &manifest.path,
        text: &manifest.text,
        table: &table,
        root,
    };
    Some(parse_layer(item, &src, known, errors))
}

/// The configuration file in the workspace root folder, if there is one.
fn config_file(workspace_root: &Path) -> Result<Option<(PathBuf, String)>, ConfigError> {
    let found: Vec<PathBuf> = FILE_NAMES
        .iter()
        .map(|name| workspace_root.join(name))
        // Whatever is there is read (a FIFO or folder by that name is an
        // error, not silently no configuration).
        .filter(|p| p.symlink_metadata().is_ok())
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [path] => {
            // A regular file of at most 10 MiB, as a manifest.
            let text = crate::read::read_to_string(path, crate::manifest::MAX_MANIFEST_SIZE)
                .map_err(|source| ManifestError::Io {
                    path: path.clone(),
                    source: source.into(),
                })?;
            Ok(Some((path.clone(), text)))
        }
        [a, b, ..] => Err(ConfigError::TwoFiles(a.clone(), b.clone())),
    }
}

impl Reportable for ConfigError {
    fn message(&self) -> String {
        match self {
            ConfigError::Invalid(invalid) => invalid.message.clone(),
            ConfigError::Manifest(m) => m.message(),
            other => other.to_string(),
        }
    }

    fn help(&self) -> Option<String> {
        match self {
            ConfigError::Invalid(invalid) => invalid.help.clone(),
            ConfigError::TwoFiles(..) => {
                Some("they are one file under two names: merge them and keep one".to_owned())
            }
            ConfigError::Manifest(m) => m.help(),
        }
    }

    fn pointed(&self) -> Option<Pointed> {
        match self {
            ConfigError::Invalid(invalid) => {
                Pointed::at(&invalid.path, &invalid.text, &invalid.span, &invalid.label)
            }
            ConfigError::TwoFiles(..) => None,
            ConfigError::Manifest(m) => m.pointed(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_config_shows_sizes_as_a_person_writes_them() {
        assert_eq!(size_as_written(32 << 20), "\"32 MiB\"");
        assert_eq!(size_as_written(4_000_000), "\"4 MB\"");
        assert_eq!(size_as_written(3 << 10), "\"3 KiB\"");
        assert_eq!(size_as_written(1000), "\"1 KB\"");
        assert_eq!(size_as_written(1001), "1001");
        assert_eq!(size_as_written(0), "0");
        // What is printed reads back as the same size.
        for bytes in [32 << 20, 4_000_000, 1000, 1001, 5 << 30] {
            let written = size_as_written(bytes);
            let read = layer(&format!("max-file-size = {written}"))
                .unwrap()
                .max_file_size;
            assert_eq!(read, Some(bytes), "{written}");
        }
    }

    /// The layer `text` holds, or the first of its errors.
    fn layer(text: &str) -> Result<Layer, ConfigError> {
        let (layer, mut errors) = layer_and_errors(text);
        if errors.is_empty() {
            Ok(layer)
        } else {
            Err(errors.remove(0))
        }
    }

    /// The layer `text` holds without its bad entries, and their errors.
    fn layer_and_errors(text: &str) -> (Layer, Vec<ConfigError>) {
        let manifest = Manifest::parse(Path::new("privacy-check.toml"), text.to_owned()).unwrap();
        let src = Source {
            path: Path::new("privacy-check.toml"),
            text,
            table: "privacy-check.toml",
            root: Path::new("/"),
        };
        let mut errors = Errors::default();
        let layer = parse_layer(
            manifest.doc.as_item(),
            &src,
            &Merged::default(),
            &mut errors,
        );
        (layer, errors.found)
    }

    fn error(text: &str) -> (String, String, Option<String>) {
        match layer(text).unwrap_err() {
            ConfigError::Invalid(invalid) => (
                invalid.message,
                text[invalid.span.unwrap()].to_owned(),
                invalid.help,
            ),
            other => panic!("{other}"),
        }
    }

    /// The span each error of `text` points at, in the order reported.
    fn spans(text: &str) -> Vec<String> {
        layer_and_errors(text)
            .1
            .into_iter()
            .map(|err| match err {
                ConfigError::Invalid(invalid) => text[invalid.span.unwrap()].to_owned(),
                other => panic!("{other}"),
            })
            .collect()
    }

    #[test]
    fn every_bad_entry_of_a_layer_is_reported_and_the_good_ones_kept() {
        let text = "allow-email = []\nskip-paths = [\"a/\", 1, \"b/\", 2]\n\
                    max-file-size = -1\n[lints]\nautor-email = \"dany\"\nemail = \"deny\"\n\
                    secret = { level = \"warn\", priority = \"high\", lvl = 1 }";
        assert_eq!(
            spans(text),
            [
                "allow-email",
                "1",
                "2",
                "-1",
                "autor-email",
                "\"dany\"",
                "lvl",
                "\"high\"",
            ]
        );
        let (layer, _) = layer_and_errors(text);
        assert_eq!(layer.skip_paths, ["a/", "b/"]);
        assert_eq!(layer.lints.len(), 1);
    }

    #[test]
    fn sizes_take_bytes_or_units() {
        assert_eq!(parse_size_str("1048576"), Some(1 << 20));
        assert_eq!(parse_size_str("1 MiB"), Some(1 << 20));
        assert_eq!(parse_size_str("500kb"), Some(500_000));
        assert_eq!(parse_size_str("2GiB"), Some(2 << 30));
        assert_eq!(parse_size_str("1.5 MiB"), None);
        assert_eq!(parse_size_str("MiB"), None);
        assert_eq!(parse_size_str("3 parsecs"), None);
        assert_eq!(
            layer("max-file-size = \"2 KiB\"").unwrap().max_file_size,
            Some(2048)
        );
        assert_eq!(error("max-file-size = -1").1, "-1");
        assert_eq!(error("max-file-size = \"lots\"").1, "\"lots\"");
    }

    #[test]
    fn errors_point_at_the_key_or_value() {
        let (message, span, help) = error("allow-email = []");
        assert_eq!(message, "unknown key `allow-email` in `privacy-check.toml`");
        assert_eq!(span, "allow-email");
        assert_eq!(help.as_deref(), Some("did you mean `allow-emails`?"));
        let (message, span, help) = error("[lints]\nautor-email = \"deny\"");
        assert_eq!(message, "unknown rule or category `autor-email`");
        assert_eq!(span, "autor-email");
        assert_eq!(help.as_deref(), Some("did you mean `author-email`?"));
        let (_, span, help) = error("[lints]\nemail = \"alow\"");
        assert_eq!(span, "\"alow\"");
        assert_eq!(help.as_deref(), Some("did you mean `\"allow\"`?"));
        assert_eq!(error("skip-paths = \"tests/\"").1, "\"tests/\"");
        assert_eq!(error("skip-paths = [\"a\", 1]").1, "1");
        assert_eq!(error("allow-emails = [\"jane\"]").1, "\"jane\"");
        assert_eq!(
            error("allow-email-domains = [\"@corp.com\"]").1,
            "\"@corp.com\""
        );
        assert_eq!(error("allow-fingerprints = [\"abc\"]").1, "\"abc\"");
        assert_eq!(error("lints = 1").1, "1");
    }

    #[test]
    fn within_a_layer_rules_win_over_their_category_whatever_the_order() {
        let mut merged = Merged::default();
        let layer = layer("[lints]\nauthor-email = \"deny\"\nemail = \"allow\"").unwrap();
        merged.apply(layer, &Origin::Default);
        let levels = merged.levels();
        assert_eq!(
            levels.level(crate::rules::find("author-email").unwrap()),
            Level::Deny
        );
        assert_eq!(
            levels.level(crate::rules::find("manifest-email").unwrap()),
            Level::Allow
        );
    }

    #[test]
    fn a_later_category_replaces_earlier_rule_entries() {
        let mut merged = Merged::default();
        merged.apply(
            layer("[lints]\nauthor-email = \"deny\"").unwrap(),
            &Origin::Default,
        );
        merged.apply(
            layer("[lints]\nemail = \"warn\"").unwrap(),
            &Origin::Default,
        );
        assert!(merged.rules.is_empty());
        let author = crate::rules::find("author-email").unwrap();
        assert_eq!(merged.levels().level(author), Level::Warn);
    }

    #[test]
    fn printed_configuration_reads_back_to_the_same_settings() {
        let mut merged = Merged::default();
        for text in [
            "max-file-size = \"2 MiB\"\nskip-paths = [\"a/\"]\n[lints]\nauthor-email = \"deny\"\nsecret = \"warn\"",
            "skip-paths = [\"b/\"]\n[lints]\nemail = \"allow\"\ngithub-token = \"allow\"\nwarnings = \"deny\"",
        ] {
            merged.apply(layer(text).unwrap(), &Origin::Default);
        }
        let printed = merged.to_toml(Path::new("/"));
        let mut again = Merged::default();
        again.apply(layer(&printed).unwrap(), &Origin::Default);
        let (a, b) = (merged.levels(), again.levels());
        for rule in crate::rules::all() {
            assert_eq!(a.level(rule), b.level(rule), "{}", rule.name);
        }
        assert_eq!(again.max_file_size.value, 2 << 20);
        assert_eq!(again.skip_paths.len(), 2);
        assert_eq!(again.to_toml(Path::new("/")), printed);
    }

    #[test]
    fn allowed_domains_cover_subdomains_only() {
        let mut merged = Merged::default();
        merged.apply(
            // Built at run time: this file ships, and holds no address.
            layer(&format!(
                "allow-email-domains = [\"corp.com\"]\nallow-emails = [\"Jane{}Mail.net\"]",
                '@'
            ))
            .unwrap(),
            &Origin::Default,
        );
        let settings = merged.settings(Path::new("/pkg"));
        let at = |local: &str, domain: &str| settings.allows_email(&format!("{local}@{domain}"));
        assert!(at("a", "corp.com"));
        assert!(at("a", "EU.Corp.com"));
        assert!(!at("a", "notcorp.com"));
        assert!(!at("a", "corp.com.evil.net"));
        assert!(at("jane", "mail.net"));
        assert!(!at("john", "mail.net"));
    }

    #[test]
    fn skip_paths_are_gitignore_globs_relative_to_the_package() {
        let mut merged = Merged::default();
        merged.apply(
            layer("skip-paths = [\"tests/data/\", \"*.snap\", \"!keep.snap\", \"/top.txt\"]")
                .unwrap(),
            &Origin::Default,
        );
        let settings = merged.settings(Path::new("/pkg"));
        assert!(settings.skips("tests/data/a/b.json"));
        assert!(settings.skips("src/x.snap"));
        assert!(!settings.skips("src/keep.snap"));
        assert!(settings.skips("top.txt"));
        assert!(!settings.skips("src/top.txt"));
        assert!(!settings.skips("src/lib.rs"));
    }
}
