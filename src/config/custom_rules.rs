//! The configuration's custom rules: `[[rules]]` tables and
//! `gitleaks-config` imports, read into [`CustomRule`]s with every key
//! checked and every error pointing at its span.
//!
//! What a rule means lives in [`crate::rules::custom`]; this module reads
//! how it is written. Layers accumulate rules like the other lists, and an
//! id defined twice (in one layer, in two layers that apply to the same
//! package, or by a native rule and an imported one) is an error naming
//! both places. An imported rule that does not map is a warning and is
//! skipped ([`custom::gitleaks`]); a native rule that is wrong is an error.

use std::ops::Range;
use std::sync::Arc;

use toml_edit::{Item, TableLike, Value};

use super::{ConfigError, Invalid, Layer, Merged, Source, Sourced};
use crate::diagnostic::{Category, Level};
use crate::manifest::{Manifest, ManifestError};
use crate::rules::custom::{
    self, gitleaks, AllowSpec, CustomRule, PathPattern, RuleSpec, SecretGroup, SpecError, Target,
};
use crate::suggest::closest;

/// Every key a `[[rules]]` table may hold.
const RULE_KEYS: [&str; 15] = [
    "id",
    "description",
    "category",
    "level",
    "regex",
    "secret-group",
    "keywords",
    "entropy",
    "placeholders",
    "paths",
    "file-name",
    "allow",
    "stopwords",
    "examples",
    "negative-examples",
];

/// Where a layer's rules are defined, as `--list-rules` shows it.
fn defined_in(src: &Source<'_>) -> String {
    let file = crate::display::relative(src.path, src.root);
    if src.table.starts_with('[') {
        format!("{file} {}", src.table)
    } else {
        file
    }
}

/// The tables of an array of tables, or of an array of inline tables.
fn entries(item: &Item) -> Option<Vec<&dyn TableLike>> {
    match item {
        Item::ArrayOfTables(a) => Some(a.iter().map(|t| t as &dyn TableLike).collect()),
        Item::Value(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
            .collect(),
        _ => None,
    }
}

/// Where an id is already defined for this package, if it is.
fn defined_before<'a>(id: &str, known: &'a Merged, layer: &'a Layer) -> Option<&'a str> {
    known
        .custom
        .iter()
        .map(|r| &r.value)
        .chain(&layer.custom)
        .find(|r| r.rule.name == id)
        .map(|r| r.defined_in.as_str())
}

/// A `[lints]` entry naming a custom rule must name one defined for this
/// package, in its own layer or an earlier one: a rule another package
/// defines is known to the process (so the name resolves) but does not
/// apply here, and whether it resolved would depend on the order packages
/// are read.
pub(super) fn check_lints(
    lints: &[(crate::levels::LintName, Level)],
    item: &Item,
    src: &Source<'_>,
    known: &Merged,
    layer: &Layer,
) -> Result<(), ConfigError> {
    for (name, _) in lints {
        let crate::levels::LintName::Rule(rule) = name else {
            continue;
        };
        if let Some(elsewhere) = custom::defined_in(rule) {
            if defined_before(rule.name, known, layer).is_none() {
                let span = item
                    .as_table_like()
                    .and_then(|t| t.key(rule.name))
                    .and_then(|k| k.span());
                return Err(src.error(
                    format!("the custom rule `{}` is not defined for this package", rule.name),
                    span,
                    "not defined here or in an earlier layer",
                    Some(format!(
                        "it is defined in {elsewhere}; a `[lints]` entry names a custom rule defined in its own layer or an earlier one"
                    )),
                ));
            }
        }
    }
    Ok(())
}

/// `[[rules]]`.
pub(super) fn parse_rules(
    item: &Item,
    src: &Source<'_>,
    known: &Merged,
    layer: &mut Layer,
) -> Result<(), ConfigError> {
    let Some(tables) = entries(item) else {
        return Err(src.error(
            "`rules` must be an array of tables",
            item.span(),
            "expected `[[rules]]` tables",
            None,
        ));
    };
    for table in tables {
        let (spec, spans) = read_rule(table, src)?;
        if let Some(other) = defined_before(&spec.id, known, layer) {
            return Err(src.error(
                format!("the custom rule `{}` is defined twice", spec.id),
                spans.of("id", None),
                "defined again here",
                Some(format!(
                    "it is also defined in {other}; give one of them another id"
                )),
            ));
        }
        let compiled = custom::compile(&spec).map_err(|err| {
            let span = spans.of(err.key, err.index);
            src.error(err.message, span, err.label, err.help)
        })?;
        layer.custom.push(compiled);
    }
    Ok(())
}

type Span = Option<Range<usize>>;

/// The spans of a rule table's values (and of their elements).
struct Spans {
    table: Option<Range<usize>>,
    /// Each key, its value's span, and its elements' spans (for a list).
    values: Vec<(String, Span, Vec<Span>)>,
}

impl Spans {
    fn of(&self, key: &str, index: Option<usize>) -> Option<Range<usize>> {
        let found = self.values.iter().find(|(k, ..)| k == key);
        match (found, index) {
            (Some((_, _, elements)), Some(i)) if i < elements.len() => elements[i].clone(),
            (Some((_, span, _)), _) => span.clone(),
            (None, _) => self.of_id().or_else(|| self.table.clone()),
        }
    }

    fn of_id(&self) -> Option<Range<usize>> {
        self.values
            .iter()
            .find(|(k, ..)| k == "id")
            .and_then(|(_, s, _)| s.clone())
    }
}

/// One `[[rules]]` table as a [`RuleSpec`], each value's type checked.
fn read_rule(table: &dyn TableLike, src: &Source<'_>) -> Result<(RuleSpec, Spans), ConfigError> {
    let spans = rule_spans(table, src)?;
    let string = |key: &str| string_value(table, key, src);
    let list = |key: &str| string_list(table, key, src);
    let Some(id) = string("id")? else {
        return Err(src.error(
            "a custom rule has no `id`",
            spans.table.clone(),
            "this rule has no `id`",
            Some(
                "write `id = \"acme-token\"`: the name findings, `[lints]` and allow comments use"
                    .to_owned(),
            ),
        ));
    };
    let mut spec = RuleSpec::new(id, defined_in(src));
    spec.description = string("description")?;
    if let Some(name) = string("category")? {
        spec.category = read_category(&name, &spans, src)?;
    }
    if let Some(level) = string("level")? {
        spec.level = Some(read_level(&level, &spans, src)?);
    }
    spec.regex = string("regex")?;
    spec.secret_group = read_secret_group(table, src)?;
    spec.keywords = list("keywords")?;
    spec.entropy = read_entropy(table, src)?;
    spec.placeholders = read_placeholders(table, src)?;
    spec.paths = list("paths")?.into_iter().map(PathPattern::Glob).collect();
    spec.file_name = string("file-name")?.map(PathPattern::Glob);
    if spec.regex.is_none() && spec.file_name.is_some() {
        check_no_value_keys(table, src)?;
    }
    if spec.regex.is_none() && spec.file_name.is_some() && table.get("category").is_none() {
        spec.category = Category::SensitiveFile;
    }
    let regexes = list("allow")?;
    let stopwords = list("stopwords")?;
    if !regexes.is_empty() || !stopwords.is_empty() {
        spec.allow.push(AllowSpec {
            target: Target::Secret,
            regexes,
            stopwords,
            paths: Vec::new(),
            all: false,
        });
    }
    spec.examples = list("examples")?;
    spec.negative_examples = list("negative-examples")?;
    Ok((spec, spans))
}

/// A rule table's keys checked against [`RULE_KEYS`], and the spans of
/// their values (and list elements) for later errors.
fn rule_spans(table: &dyn TableLike, src: &Source<'_>) -> Result<Spans, ConfigError> {
    let mut spans = Spans {
        table: None,
        values: Vec::new(),
    };
    for (key, value) in table.iter() {
        let key_span = table.key(key).and_then(|k| k.span());
        if !RULE_KEYS.contains(&key) {
            return Err(src.error(
                format!("unknown key `{key}` in a custom rule"),
                key_span,
                "unknown key",
                Some(match closest(key, RULE_KEYS.into_iter()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the keys are: {}", RULE_KEYS.join(", ")),
                }),
            ));
        }
        if spans.table.is_none() {
            spans.table = key_span.clone();
        }
        let elements = value
            .as_array()
            .map(|a| a.iter().map(Value::span).collect())
            .unwrap_or_default();
        spans.values.push((key.to_owned(), value.span(), elements));
    }
    Ok(spans)
}

/// A rule's optional string value: absent is `None`, any other type an error.
fn string_value(
    table: &dyn TableLike,
    key: &str,
    src: &Source<'_>,
) -> Result<Option<String>, ConfigError> {
    match table.get(key) {
        None => Ok(None),
        Some(item) => match item.as_str() {
            Some(s) => Ok(Some(s.to_owned())),
            None => Err(src.error(
                format!("`{key}` must be a string"),
                item.span(),
                "expected a string",
                None,
            )),
        },
    }
}

/// A rule's optional list of strings: absent is empty.
fn string_list(
    table: &dyn TableLike,
    key: &str,
    src: &Source<'_>,
) -> Result<Vec<String>, ConfigError> {
    match table.get(key) {
        None => Ok(Vec::new()),
        Some(item) => super::strings(item, key, src, |_| None),
    }
}

/// `category = "..."`: one of [`Category::ALL`], or an error suggesting the
/// closest.
fn read_category(name: &str, spans: &Spans, src: &Source<'_>) -> Result<Category, ConfigError> {
    if let Some(c) = Category::ALL.iter().find(|c| c.as_str() == name) {
        return Ok(*c);
    }
    let names = Category::ALL.iter().map(|c| c.as_str());
    Err(src.error(
        format!("unknown category `{name}`"),
        spans.of("category", None),
        "not a category",
        Some(match closest(name, names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "the categories are: {}",
                Category::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    ))
}

/// `level = "allow" | "warn" | "deny"`.
fn read_level(level: &str, spans: &Spans, src: &Source<'_>) -> Result<Level, ConfigError> {
    match level {
        "allow" => Ok(Level::Allow),
        "warn" => Ok(Level::Warn),
        "deny" => Ok(Level::Deny),
        other => Err(src.error(
            "invalid `level`",
            spans.of("level", None),
            "expected `\"allow\"`, `\"warn\"` or `\"deny\"`",
            closest(other, ["allow", "warn", "deny"].into_iter())
                .map(|s| format!("did you mean `\"{s}\"`?")),
        )),
    }
}

/// `secret-group`: a group number from 1 or a group name; absent is the
/// whole match.
fn read_secret_group(table: &dyn TableLike, src: &Source<'_>) -> Result<SecretGroup, ConfigError> {
    let Some(item) = table.get("secret-group") else {
        return Ok(SecretGroup::Whole);
    };
    match (item.as_integer(), item.as_str()) {
        (Some(n), _) if n >= 1 => Ok(SecretGroup::Index(n as usize)),
        (_, Some(name)) => Ok(SecretGroup::Name(name.to_owned())),
        _ => Err(src.error(
            "invalid `secret-group`",
            item.span(),
            "expected a group number (from 1) or a group name",
            None,
        )),
    }
}

/// `entropy`: bits per character, an integer or a float.
fn read_entropy(table: &dyn TableLike, src: &Source<'_>) -> Result<Option<f64>, ConfigError> {
    let Some(item) = table.get("entropy") else {
        return Ok(None);
    };
    match item
        .as_float()
        .or_else(|| item.as_integer().map(|n| n as f64))
    {
        Some(e) => Ok(Some(e)),
        None => Err(src.error(
            "invalid `entropy`",
            item.span(),
            "expected a number of bits per character, such as `3.5`",
            None,
        )),
    }
}

/// `placeholders`: a boolean, `false` when absent.
fn read_placeholders(table: &dyn TableLike, src: &Source<'_>) -> Result<bool, ConfigError> {
    let Some(item) = table.get("placeholders") else {
        return Ok(false);
    };
    item.as_bool().ok_or_else(|| {
        src.error(
            "`placeholders` must be `true` or `false`",
            item.span(),
            "expected a boolean",
            None,
        )
    })
}

/// A rule of file names alone (`file-name` without `regex`) may not hold
/// the keys that judge a matched value: it has none, and would silently
/// ignore them.
fn check_no_value_keys(table: &dyn TableLike, src: &Source<'_>) -> Result<(), ConfigError> {
    const VALUE_KEYS: [&str; 7] = [
        "secret-group",
        "keywords",
        "entropy",
        "placeholders",
        "paths",
        "allow",
        "stopwords",
    ];
    match VALUE_KEYS.into_iter().find(|k| table.contains_key(k)) {
        None => Ok(()),
        Some(key) => Err(src.error(
            format!("`{key}` has no effect on a rule without `regex`"),
            table.key(key).and_then(|k| k.span()),
            "a `file-name` rule judges whole files, not values",
            Some(format!(
                "remove `{key}`, or add a `regex` for what to find in the files `file-name` selects"
            )),
        )),
    }
}

/// `gitleaks-config = "path"` or a list of paths, relative to the file
/// that names them.
pub(super) fn parse_gitleaks(
    item: &Item,
    src: &Source<'_>,
    known: &Merged,
    layer: &mut Layer,
) -> Result<(), ConfigError> {
    let paths = gitleaks_paths(item, src)?;
    let base = src.path.parent().unwrap_or(std::path::Path::new("."));
    for (written, span) in paths {
        let path = base.join(&written);
        let file = read_gitleaks_file(&path, &written, span, src)?;
        let shown = crate::display::relative(&path, src.root);
        let gl_src = Source {
            path: &path,
            text: &file.text,
            table: &shown,
            root: src.root,
        };
        let import = gitleaks::import(file.doc.as_item(), &shown)
            .map_err(|err| gl_src.error(err.message, err.span, "here", None))?;
        for note in import.notes {
            layer.rule_warnings.push(format!("`{shown}`: {note}"));
        }
        let skipped: Vec<(String, String)> = import
            .skipped
            .into_iter()
            .map(|s| (s.id, s.reason))
            .collect();
        check_imported_ids(&import.rules, &shown, &gl_src, known, layer)?;
        let specs: Vec<RuleSpec> = import.rules.into_iter().map(|(spec, _)| spec).collect();
        load_imported(&specs, skipped, &shown, layer);
    }
    Ok(())
}

/// The paths `gitleaks-config` names, each with its span.
fn gitleaks_paths(item: &Item, src: &Source<'_>) -> Result<Vec<(String, Span)>, ConfigError> {
    if let Some(s) = item.as_str() {
        return Ok(vec![(s.to_owned(), item.span())]);
    }
    let Some(a) = item.as_array() else {
        return Err(src.error(
            "`gitleaks-config` must be a path or an array of paths",
            item.span(),
            "expected a string or an array of strings",
            None,
        ));
    };
    a.iter()
        .map(|v| v.as_str().map(|s| (s.to_owned(), v.span())).ok_or(v.span()))
        .collect::<Result<_, _>>()
        .map_err(|span| {
            src.error(
                "`gitleaks-config` must be a path or an array of paths",
                span,
                "expected a string",
                None,
            )
        })
}

/// Reads and parses one gitleaks configuration, errors pointing at the
/// path as `written` (for reading) or into the file (for parsing).
fn read_gitleaks_file(
    path: &std::path::Path,
    written: &str,
    span: Option<Range<usize>>,
    src: &Source<'_>,
) -> Result<Manifest, ConfigError> {
    let text =
        crate::read::read_to_string(path, crate::manifest::MAX_MANIFEST_SIZE).map_err(|err| {
            src.error(
                format!(
                    "cannot read the gitleaks configuration `{}`",
                    crate::diagnostic::escape_input(written)
                ),
                span,
                err.to_string(),
                Some("the path is relative to the file that names it".to_owned()),
            )
        })?;
    Manifest::parse(path, text).map_err(|err| match err {
        ManifestError::Toml {
            path,
            text,
            message,
            span,
        } => ConfigError::Invalid(Box::new(Invalid {
            message: "failed to parse the gitleaks configuration".to_owned(),
            path,
            text,
            span,
            label: message.lines().next().unwrap_or("").to_owned(),
            help: None,
        })),
        other => other.into(),
    })
}

/// An imported rule's id must be new: not defined for this package
/// already, nor twice in the same file.
fn check_imported_ids(
    rules: &[(RuleSpec, Option<Range<usize>>)],
    shown: &str,
    gl_src: &Source<'_>,
    known: &Merged,
    layer: &Layer,
) -> Result<(), ConfigError> {
    let mut seen: Vec<&str> = Vec::new();
    for (spec, rule_span) in rules {
        let other = defined_before(&spec.id, known, layer)
            .map(str::to_owned)
            .or_else(|| seen.contains(&spec.id.as_str()).then(|| shown.to_owned()));
        if let Some(other) = other {
            return Err(gl_src.error(
                format!("the custom rule `{}` is defined twice", spec.id),
                rule_span.clone(),
                "defined again here",
                Some(format!(
                    "it is also defined in {other}; give one of them another id"
                )),
            ));
        }
        seen.push(&spec.id);
    }
    Ok(())
}

/// Compiles the imported rules into the layer; one that does not compile
/// joins the `skipped` ones, each a warning, with a count at the end.
fn load_imported(
    specs: &[RuleSpec],
    mut skipped: Vec<(String, String)>,
    shown: &str,
    layer: &mut Layer,
) {
    let mut loaded = 0;
    for (spec, compiled) in specs.iter().zip(custom::compile_all(specs)) {
        match compiled {
            Ok(rule) => {
                layer.custom.push(rule);
                loaded += 1;
            }
            Err(SpecError { message, label, .. }) => {
                skipped.push((spec.id.clone(), format!("{message}: {label}")))
            }
        }
    }
    for (id, reason) in &skipped {
        layer.rule_warnings.push(format!(
            "`{shown}`: rule `{}` skipped: {reason}",
            crate::diagnostic::escape_input(id)
        ));
    }
    if !skipped.is_empty() {
        layer.rule_warnings.push(format!(
            "`{shown}`: {loaded} rule(s) imported, {} skipped",
            skipped.len()
        ));
    }
}

/// The custom rules as `--print-config` shows them: TOML comments, so the
/// printed configuration still reads back.
pub(super) fn print(rules: &[Sourced<Arc<CustomRule>>], cwd: &std::path::Path) -> String {
    if rules.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n# custom rules (`cargo privacy-check --explain ID` shows one; they are defined where they are)\n",
    );
    for r in rules {
        let rule = r.value.rule;
        out.push_str(&format!(
            "# {} ({}, {}) {}",
            rule.name,
            rule.category.as_str(),
            rule.default_level.as_str(),
            r.origin.describe(cwd)
        ));
        if r.value.runs_on_every_file() {
            out.push_str(": no keywords, so it runs over every file (slower)");
        }
        out.push('\n');
    }
    out
}

/// The rules of one gitleaks / Betterleaks file on their own, as a set,
/// with the warnings about the rules skipped: what `gitleaks-config =
/// "PATH"` in a configuration file would add (for the corpus benchmark's
/// row with gitleaks' default rules).
pub fn import_gitleaks(
    path: &std::path::Path,
) -> Result<(Arc<custom::CustomRules>, Vec<String>), ConfigError> {
    let text = format!(
        "gitleaks-config = {}\n",
        Value::from(path.to_string_lossy().as_ref())
    );
    let name = std::path::Path::new("privacy-check.toml");
    let manifest = Manifest::parse(name, text)?;
    let src = Source {
        path: name,
        text: &manifest.text,
        table: "privacy-check.toml",
        root: path.parent().unwrap_or(std::path::Path::new("/")),
    };
    let mut layer = Layer::default();
    let item = manifest.doc.get("gitleaks-config").unwrap_or(&Item::None);
    parse_gitleaks(item, &src, &Merged::default(), &mut layer)?;
    Ok((
        Arc::new(custom::CustomRules::new(layer.custom)),
        layer.rule_warnings,
    ))
}
