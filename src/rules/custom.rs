//! Custom rules: detectors a user defines in the configuration (`[[rules]]`)
//! or imports from a gitleaks / Betterleaks rule file ([`gitleaks`]).
//!
//! This module owns what a custom rule *means*; [`crate::config`] owns how
//! it is written (TOML keys, spans, layers) and turns a [`SpecError`] into a
//! rustc-style error pointing at the key. A rule goes:
//! [`RuleSpec`] (plain values) → [`compile`] (regexes built with a size
//! limit, an empty-matching regex refused, the secret group checked, the
//! examples run) → [`CustomRule`] → a package's [`CustomRules`], the set
//! the scanner runs.
//!
//! **One prefilter.** Every keyword of every rule of a set goes into one
//! Aho-Corasick automaton (ASCII case-insensitive, as gitleaks compares
//! lowercased text). A file is searched once for all keywords; a rule's
//! regex runs only around its keywords' hits (their lines and
//! [`WINDOW`] bytes each way, `windows`), and a match counts only when a
//! keyword occurs *near* it: inside the match or on a line the match
//! touches. A rule without keywords runs over every file
//! (allowed, but it costs more; `--print-config` says so).
//!
//! **The secret.** `secret-group` (a number or a name) is the part that is
//! redacted, fingerprinted and baselined; without it, the whole match.
//! Imported gitleaks rules without `secretGroup` take, as gitleaks does,
//! the first capture group that matched something. The secret is then
//! judged: shorter `entropy` bits per character than asked, a placeholder
//! or documentation value ([`randomness::is_placeholder`], as the generic
//! rules use: `${VAR}`, `changeme`, `xxxx`, `your_key_here`…, unless
//! `placeholders = true` keeps them), or one an allow list accepts, is no
//! finding. A value a built-in shape rule already reports (a GitHub token
//! matched by an imported `github-pat` too) is reported once, by the
//! built-in rule.
//!
//! **Names.** The scanner, levels, allow comments, baselines and
//! `--explain` use rules as `&'static Rule`. A custom rule's [`Rule`] is
//! therefore leaked once, when the configuration that defines it is read
//! (`Box::leak`): a CLI process reads its configuration once, so this is a
//! bounded, one-time allocation, not a leak that grows. Each leaked rule is
//! entered in a process-wide registry (`register`) that
//! [`crate::rules::find`] and [`crate::rules::all`] consult after the
//! built-ins, so a custom name works everywhere a built-in name does once
//! the configuration is read. The same id defined by two packages of a
//! workspace (each in its own `[package.metadata.privacy-check]`) is one
//! name: the first definition read gives its category, level and text.

pub mod gitleaks;

use std::ops::Range;
use std::sync::{Arc, RwLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use regex::{Regex, RegexBuilder};

use super::randomness;
use super::Rule;
use crate::diagnostic::{Category, Level, Match};

/// The most memory one custom regex may compile to (the `regex` crate's
/// `size_limit`): a pattern that needs more is refused at load time rather
/// than slowing every scan down.
pub const REGEX_SIZE_LIMIT: usize = 2 << 20;

/// How a rule picks the secret out of a match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretGroup {
    /// The whole match.
    Whole,
    /// A capture group by number (1 is the first group).
    Index(usize),
    /// A named capture group.
    Name(String),
    /// The first capture group that matched a non-empty text, else the
    /// whole match (gitleaks' default).
    FirstNonEmpty,
}

/// A path condition: a gitignore-style glob (the configuration's `paths`
/// and `file-name`) or a regex over the `/`-separated path inside the
/// `.crate` (gitleaks' `path`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPattern {
    Glob(String),
    Regex(String),
}

/// What an allow list's regexes are matched against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Secret,
    Match,
    Line,
}

/// A set of conditions under which a match is not a finding.
#[derive(Clone, Debug)]
pub struct AllowSpec {
    pub target: Target,
    pub regexes: Vec<String>,
    /// Substrings of the secret (case-insensitive).
    pub stopwords: Vec<String>,
    pub paths: Vec<PathPattern>,
    /// gitleaks' `condition = "AND"`: every kind of condition given must
    /// hold; otherwise any one is enough.
    pub all: bool,
}

/// A custom rule as written, before it is checked and compiled.
#[derive(Clone, Debug)]
pub struct RuleSpec {
    pub id: String,
    pub description: Option<String>,
    /// `secret` by default; `sensitive-file` for a rule with a `file-name`
    /// and no `regex` (a file that must not ship, which `--fix` then keeps
    /// out with `exclude`, as the built-in sensitive-file rules).
    pub category: Category,
    pub level: Option<Level>,
    pub regex: Option<String>,
    pub secret_group: SecretGroup,
    pub keywords: Vec<String>,
    pub entropy: Option<f64>,
    /// Placeholder and documentation values are findings too.
    pub placeholders: bool,
    pub paths: Vec<PathPattern>,
    pub file_name: Option<PathPattern>,
    pub allow: Vec<AllowSpec>,
    pub examples: Vec<String>,
    pub negative_examples: Vec<String>,
    /// Where the rule is defined, for `--list-rules` and `--explain`.
    pub defined_in: String,
}

impl RuleSpec {
    /// A rule with only an id: everything else at its default.
    pub fn new(id: impl Into<String>, defined_in: impl Into<String>) -> Self {
        RuleSpec {
            id: id.into(),
            description: None,
            category: Category::Secret,
            level: None,
            regex: None,
            secret_group: SecretGroup::Whole,
            keywords: Vec::new(),
            entropy: None,
            placeholders: false,
            paths: Vec::new(),
            file_name: None,
            allow: Vec::new(),
            examples: Vec::new(),
            negative_examples: Vec::new(),
            defined_in: defined_in.into(),
        }
    }
}

/// What makes a spec invalid: which key (and which element of it, for a
/// list), and why. The configuration points at that key's value.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecError {
    pub key: &'static str,
    /// The element of a list value (`examples[2]`), when it is one.
    pub index: Option<usize>,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

impl SpecError {
    fn new(key: &'static str, message: impl Into<String>, label: impl Into<String>) -> Self {
        SpecError {
            key,
            index: None,
            message: message.into(),
            label: label.into(),
            help: None,
        }
    }

    fn at(mut self, index: usize) -> Self {
        self.index = Some(index);
        self
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A compiled path condition.
#[derive(Debug)]
enum PathMatcher {
    Glob(Gitignore),
    Regex(Regex),
}

impl PathMatcher {
    fn matches(&self, archive_path: &str) -> bool {
        match self {
            PathMatcher::Glob(globs) => globs
                .matched_path_or_any_parents(archive_path, false)
                .is_ignore(),
            PathMatcher::Regex(re) => re.is_match(archive_path),
        }
    }
}

#[derive(Debug)]
struct Allow {
    target: Target,
    regexes: Vec<Regex>,
    stopwords: Vec<String>,
    paths: Vec<PathMatcher>,
    all: bool,
}

/// A checked, compiled custom rule.
#[derive(Debug)]
pub struct CustomRule {
    pub rule: &'static Rule,
    regex: Option<Regex>,
    group: Group,
    keywords: Vec<String>,
    entropy: Option<f64>,
    placeholders: bool,
    paths: Vec<PathMatcher>,
    file_name: Option<PathMatcher>,
    allow: Vec<Allow>,
    /// The secrets of the rule's own `examples`: documentation, never
    /// reported (the file that defines the rule may ship).
    example_secrets: Vec<String>,
    pub defined_in: String,
}

#[derive(Clone, Debug)]
enum Group {
    Whole,
    Index(usize),
    FirstNonEmpty,
}

impl CustomRule {
    /// The rule's keywords, lowercased.
    pub fn keywords(&self) -> &[String] {
        &self.keywords
    }

    /// A rule with a regex and no keywords runs over every file.
    pub fn runs_on_every_file(&self) -> bool {
        self.regex.is_some() && self.keywords.is_empty()
    }
}

/// Builds a regex as every custom pattern is built: bounded in size.
fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
}

fn regex_error(key: &'static str, err: &regex::Error) -> SpecError {
    match err {
        regex::Error::CompiledTooBig(limit) => SpecError::new(
            key,
            format!("`{key}` is too large to compile"),
            format!("this regex needs more than {limit} bytes compiled"),
        )
        .help(
            "bounded repetitions such as `{1,1000}` multiply a pattern's size; use smaller bounds",
        ),
        other => {
            // The parser's message names the position and the problem.
            let text = other.to_string();
            let last = text.lines().last().unwrap_or("invalid regex").trim();
            let last = last.strip_prefix("error: ").unwrap_or(last).to_owned();
            SpecError::new(key, format!("invalid regex in `{key}`"), last)
        }
    }
}

fn compile_path(key: &'static str, pattern: &PathPattern) -> Result<PathMatcher, SpecError> {
    match pattern {
        PathPattern::Glob(glob) => {
            let mut builder = GitignoreBuilder::new("");
            builder.add_line(None, glob).map_err(|err| {
                SpecError::new(key, format!("invalid glob in `{key}`"), err.to_string())
            })?;
            let built = builder.build().map_err(|err| {
                SpecError::new(key, format!("invalid glob in `{key}`"), err.to_string())
            })?;
            // An empty line, a `#` comment or a `!` negation alone adds no
            // pattern: the rule would silently apply to no file at all.
            if built.num_ignores() == 0 {
                return Err(SpecError::new(
                    key,
                    format!("a glob in `{key}` that matches no file"),
                    "this glob selects nothing",
                )
                .help("an empty glob, a `#` comment or a `!` negation selects no file; write the paths the rule is about, such as `src/` or `*.env`"));
            }
            Ok(PathMatcher::Glob(built))
        }
        PathPattern::Regex(re) => build_regex(re)
            .map(PathMatcher::Regex)
            .map_err(|err| regex_error(key, &err)),
    }
}

/// Whether a rule name is kebab-case: lowercase ASCII letters, digits and
/// single `-` between them.
pub fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// What a built-in name or category an id collides with, if any.
pub fn collision(id: &str) -> Option<String> {
    if id == "warnings" {
        return Some("the `warnings` lint group".to_owned());
    }
    if Category::ALL.iter().any(|c| c.as_str() == id) {
        return Some(format!("the built-in category `{id}`"));
    }
    super::builtin()
        .any(|r| r.name == id)
        .then(|| format!("the built-in rule `{id}`"))
}

/// Checks and compiles a spec: the rule's regexes and globs are built, its
/// examples must match and its negative examples must not. The [`Rule`] is
/// registered (see the module docs), so the name resolves from then on.
pub fn compile(spec: &RuleSpec) -> Result<Arc<CustomRule>, SpecError> {
    build(spec).map(|built| finish(spec, built))
}

/// [`compile`] for many specs, the regexes built in parallel (compiling
/// them is most of the cost of importing a rule file); the rules are
/// registered in the order of `specs` whatever order they finish in.
pub fn compile_all(specs: &[RuleSpec]) -> Vec<Result<Arc<CustomRule>, SpecError>> {
    use rayon::prelude::*;
    let built: Vec<Result<CustomRule, SpecError>> = specs.par_iter().map(build).collect();
    specs
        .iter()
        .zip(built)
        .map(|(spec, built)| built.map(|b| finish(spec, b)))
        .collect()
}

/// Stands in for a rule's [`Rule`] until [`finish`] registers it.
static UNREGISTERED: Rule = Rule::DEFAULT;

/// Registers a built rule under its name, and makes it known to the
/// output boundary.
fn finish(spec: &RuleSpec, mut built: CustomRule) -> Arc<CustomRule> {
    built.rule = register(spec);
    let built = Arc::new(built);
    publish(&built);
    built
}

/// Everything [`compile`] checks and builds, but registration.
fn build(spec: &RuleSpec) -> Result<CustomRule, SpecError> {
    check_id(spec)?;
    let regex = match &spec.regex {
        Some(pattern) => Some(compile_regex(pattern)?),
        None => None,
    };
    if regex.is_none() && spec.file_name.is_none() {
        return Err(SpecError::new(
            "id",
            format!("the custom rule `{}` has neither `regex` nor `file-name`", spec.id),
            "nothing to match",
        )
        .help("give it a `regex` (what to find in files) or a `file-name` glob (a file that must not ship)"));
    }
    let group = secret_group(&spec.secret_group, regex.as_ref())?;
    check_entropy(spec)?;
    let keywords = compile_keywords(&spec.keywords)?;
    let paths = spec
        .paths
        .iter()
        .enumerate()
        .map(|(i, p)| compile_path("paths", p).map_err(|e| e.at(i)))
        .collect::<Result<Vec<_>, _>>()?;
    let file_name = spec
        .file_name
        .as_ref()
        .map(|p| compile_path("file-name", p))
        .transpose()?;
    let allow = compile_allow(&spec.allow)?;
    let compiled = CustomRule {
        rule: &UNREGISTERED,
        regex,
        group,
        keywords,
        entropy: spec.entropy,
        placeholders: spec.placeholders,
        paths,
        file_name,
        allow,
        example_secrets: Vec::new(),
        defined_in: spec.defined_in.clone(),
    };
    with_examples(spec, compiled)
}

/// A rule's id must be kebab-case, not a built-in rule's or group's name,
/// and not defined elsewhere with another category, level or description.
fn check_id(spec: &RuleSpec) -> Result<(), SpecError> {
    if !is_kebab_case(&spec.id) {
        return Err(SpecError::new(
            "id",
            format!("invalid rule id `{}`", spec.id),
            "expected kebab-case: lowercase letters, digits and `-`",
        ));
    }
    if let Some(what) = collision(&spec.id) {
        return Err(SpecError::new(
            "id",
            format!("the custom rule `{}` has the name of {what}", spec.id),
            "this name is taken",
        )
        .help("give the rule its own name, such as `acme-…`; a built-in rule is turned off with levels (`-A`, `[lints]`), not replaced"));
    }
    if let Some((what, elsewhere)) = defined_otherwise(spec) {
        return Err(SpecError::new(
            "id",
            format!(
                "the custom rule `{}` is defined with another {what} in {elsewhere}",
                spec.id
            ),
            "defined again here",
        )
        .help("a custom id is one name across the workspace, with one category, level and description: give one of them another id, or define both alike"));
    }
    Ok(())
}

/// The group of a match that is the secret: `secret-group` checked
/// against the regex's capture groups (a rule without a regex has none).
fn secret_group(secret_group: &SecretGroup, regex: Option<&Regex>) -> Result<Group, SpecError> {
    Ok(match (secret_group, regex) {
        (SecretGroup::Whole, _) | (_, None) => Group::Whole,
        (SecretGroup::FirstNonEmpty, Some(_)) => Group::FirstNonEmpty,
        (SecretGroup::Index(i), Some(re)) => {
            if *i == 0 || *i >= re.captures_len() {
                return Err(SpecError::new(
                    "secret-group",
                    format!("`regex` has no capture group {i}"),
                    format!("the regex has {} capture group(s)", re.captures_len() - 1),
                )
                .help(
                    "groups count from 1, in the order their `(` appear; `(?:…)` does not count",
                ));
            }
            Group::Index(*i)
        }
        (SecretGroup::Name(name), Some(re)) => {
            match re.capture_names().position(|n| n == Some(name.as_str())) {
                Some(i) => Group::Index(i),
                None => {
                    let names: Vec<&str> = re.capture_names().flatten().collect();
                    let mut err = SpecError::new(
                        "secret-group",
                        format!("`regex` has no capture group named `{name}`"),
                        "no such group",
                    );
                    if let Some(s) = crate::suggest::closest(name, names.iter().copied()) {
                        err = err.help(format!("did you mean `{s}`?"));
                    } else {
                        err = err.help("name the group in the regex: `(?P<secret>…)`");
                    }
                    return Err(err);
                }
            }
        }
    })
}

/// `entropy` must be between 0 and 8 bits per character, and reachable
/// by the regex's longest match.
fn check_entropy(spec: &RuleSpec) -> Result<(), SpecError> {
    if let Some(e) = spec.entropy {
        if !(0.0..=8.0).contains(&e) || e.is_nan() {
            return Err(SpecError::new(
                "entropy",
                "invalid `entropy`",
                "expected bits per character, between 0 and 8",
            ));
        }
        // A value of n bytes has at most log2(n) bits per character: a
        // regex whose matches are all shorter than 2^entropy bytes could
        // never report anything, silently.
        let longest = spec.regex.as_deref().and_then(|pattern| {
            regex_syntax::Parser::new()
                .parse(pattern)
                .ok()
                .and_then(|hir| hir.properties().maximum_len())
        });
        if let Some(longest) = longest {
            if (longest as f64).log2() + 1e-9 < e {
                return Err(SpecError::new(
                    "entropy",
                    "`entropy` can never be reached",
                    format!(
                        "a match of this regex has at most {longest} bytes, so at most {:.2} bits per character",
                        (longest.max(1) as f64).log2()
                    ),
                )
                .help("lower `entropy`, or let the regex match longer values"));
            }
        }
    }
    Ok(())
}

/// The keywords, lowercased and without repeats; an empty one is refused.
fn compile_keywords(words: &[String]) -> Result<Vec<String>, SpecError> {
    let mut keywords = Vec::new();
    for (i, k) in words.iter().enumerate() {
        if k.is_empty() {
            return Err(
                SpecError::new("keywords", "empty keyword", "a keyword cannot be empty").at(i),
            );
        }
        let k = k.to_ascii_lowercase();
        if !keywords.contains(&k) {
            keywords.push(k);
        }
    }
    Ok(keywords)
}

/// The allow lists, their regexes and paths compiled, stopwords lowercased.
fn compile_allow(specs: &[AllowSpec]) -> Result<Vec<Allow>, SpecError> {
    let mut allow = Vec::new();
    for a in specs {
        let regexes = a
            .regexes
            .iter()
            .enumerate()
            .map(|(i, r)| build_regex(r).map_err(|e| regex_error("allow", &e).at(i)))
            .collect::<Result<Vec<_>, _>>()?;
        let paths = a
            .paths
            .iter()
            .map(|p| compile_path("allow", p))
            .collect::<Result<Vec<_>, _>>()?;
        allow.push(Allow {
            target: a.target,
            regexes,
            stopwords: a.stopwords.iter().map(|s| s.to_ascii_lowercase()).collect(),
            paths,
            all: a.all,
        });
    }
    Ok(allow)
}

/// Checks a built rule against its examples, and keeps the secrets its
/// examples hold: documentation, never reported.
fn with_examples(spec: &RuleSpec, mut compiled: CustomRule) -> Result<CustomRule, SpecError> {
    if let Err(err) = check_examples(spec, &compiled) {
        if err.key == "negative-examples" && compiled.regex.is_some() {
            // The error's snippet quotes the negative example, which the
            // rule matches: the output boundary must mask it as it masks
            // the rule's findings, though the rule is not loaded.
            publish(&Arc::new(compiled));
        }
        return Err(err);
    }
    compiled.example_secrets = spec
        .examples
        .iter()
        .flat_map(|e| {
            compiled
                .find(e, None)
                .into_iter()
                .map(|(_, secret)| e[secret].to_owned())
        })
        .collect();
    Ok(compiled)
}

/// A regex that could match the empty string would report something at
/// every position of every file: refused.
fn compile_regex(pattern: &str) -> Result<Regex, SpecError> {
    let re = build_regex(pattern).map_err(|e| regex_error("regex", &e))?;
    let min_len = regex_syntax::Parser::new()
        .parse(pattern)
        .ok()
        .and_then(|hir| hir.properties().minimum_len());
    if min_len == Some(0) || re.is_match("") {
        return Err(SpecError::new(
            "regex",
            "`regex` can match the empty string",
            "this can match nothing at all",
        )
        .help("a rule's regex must need at least one character (check `*` and `?` on every part, and empty alternatives)"));
    }
    Ok(re)
}

/// The examples of a rule must match and its negative examples must not,
/// whatever its `paths` (an example has no path): a broken rule fails when
/// loaded instead of silently finding nothing.
fn check_examples(spec: &RuleSpec, rule: &CustomRule) -> Result<(), SpecError> {
    if rule.regex.is_none() {
        // A file-name rule's examples are file paths.
        for (i, path) in spec.examples.iter().enumerate() {
            if !rule.file_name.as_ref().is_some_and(|f| f.matches(path)) {
                return Err(example_error(&spec.id, "examples", i, true));
            }
        }
        for (i, path) in spec.negative_examples.iter().enumerate() {
            if rule.file_name.as_ref().is_some_and(|f| f.matches(path)) {
                return Err(example_error(&spec.id, "negative-examples", i, false));
            }
        }
        return Ok(());
    }
    for (i, text) in spec.examples.iter().enumerate() {
        if rule.find(text, None).is_empty() {
            return Err(example_error(&spec.id, "examples", i, true));
        }
    }
    for (i, text) in spec.negative_examples.iter().enumerate() {
        if !rule.find(text, None).is_empty() {
            return Err(example_error(&spec.id, "negative-examples", i, false));
        }
    }
    Ok(())
}

fn example_error(id: &str, key: &'static str, index: usize, should: bool) -> SpecError {
    if should {
        SpecError::new(
            key,
            format!("the custom rule `{id}` does not match its example"),
            "this example is not found",
        )
        .at(index)
        .help("check the regex, the keywords (one must appear near the match), `entropy`, the allow lists, and that the example is not a placeholder (`placeholders = true` accepts them)")
    } else {
        SpecError::new(
            key,
            format!("the custom rule `{id}` matches its negative example"),
            "this negative example is found",
        )
        .at(index)
        .help("tighten the regex, or add an `allow` regex or stopword for it")
    }
}

/// The registry of custom rules: every [`Rule`] leaked by [`compile`].
static REGISTRY: RwLock<Vec<(&'static Rule, String)>> = RwLock::new(Vec::new());

/// The [`Rule`] for a spec's id: the one registered before under that
/// name, else a new one, leaked (see the module docs) and registered.
fn register(spec: &RuleSpec) -> &'static Rule {
    let mut registry = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    if let Some((rule, _)) = registry.iter().find(|(r, _)| r.name == spec.id) {
        return rule;
    }
    let description = spec
        .description
        .clone()
        .unwrap_or_else(|| format!("values matched by the custom rule `{}`", spec.id));
    let summary = description.lines().next().unwrap_or("").trim().to_owned();
    let level = spec.level.unwrap_or(default_level(spec.category));
    let doc = explain_doc(spec, &description);
    let rule: &'static Rule = Box::leak(Box::new(Rule {
        name: Box::leak(spec.id.clone().into_boxed_str()),
        category: spec.category,
        default_level: level,
        summary: Box::leak(summary.into_boxed_str()),
        doc: Box::leak(doc.into_boxed_str()),
        // A whole file that must not ship gets the built-in fix that keeps
        // it out of the package (by its category, as the built-ins).
        fix: (spec.category == Category::SensitiveFile && spec.regex.is_none())
            .then_some(crate::diagnostic::Applicability::MachineApplicable),
        // Specific (a custom shape), and judged alike in tests: a test
        // that needs a value of the format uses an allow comment.
        ..Rule::DEFAULT
    }));
    registry.push((rule, spec.defined_in.clone()));
    rule
}

/// Where the id of `spec` is already registered with another category,
/// level or description, and which differs: the first definition would
/// give the name its level in every package (a package's `deny` rule
/// silently reported at another package's `allow`).
fn defined_otherwise(spec: &RuleSpec) -> Option<(&'static str, String)> {
    let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    let (rule, at) = registry.iter().find(|(r, _)| r.name == spec.id)?;
    let (summary, level) = summary_and_level(spec);
    let what = if rule.category != spec.category {
        "category"
    } else if rule.default_level != level {
        "level"
    } else if rule.summary != summary {
        "description"
    } else {
        return None;
    };
    Some((what, at.clone()))
}

/// A spec's `--list-rules` summary (its description's first line) and
/// level, as [`register`] records them.
fn summary_and_level(spec: &RuleSpec) -> (String, Level) {
    let description = spec
        .description
        .clone()
        .unwrap_or_else(|| format!("values matched by the custom rule `{}`", spec.id));
    let summary = description.lines().next().unwrap_or("").trim().to_owned();
    (summary, spec.level.unwrap_or(default_level(spec.category)))
}

/// The `--explain` text of a custom rule.
fn explain_doc(spec: &RuleSpec, description: &str) -> String {
    let mut doc = format!(
        "## What it does\n\nA custom rule, defined in {}.\n\n{}\n",
        spec.defined_in,
        description.trim()
    );
    if let Some(re) = &spec.regex {
        doc.push_str(&format!("\nIt finds this regex:\n\n```text\n{re}\n```\n"));
        if spec.keywords.is_empty() {
            doc.push_str("\nIt has no keywords, so it runs over every file.\n");
        } else {
            doc.push_str(&format!(
                "\nnear one of these keywords: {}.\n",
                spec.keywords
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if let Some(PathPattern::Glob(g) | PathPattern::Regex(g)) = &spec.file_name {
        doc.push_str(&format!(
            "\nA file whose path matches `{g}` must not be published.\n"
        ));
    }
    doc.push_str(
        "\n## Why is this bad?\n\nThe configuration that defines this rule says that what it \
         matches must not be published with a crate.\n\n## Example\n\n",
    );
    if spec.examples.is_empty() {
        doc.push_str("The rule lists no `examples`.\n");
    } else {
        doc.push_str(
            "The rule's `examples` (each checked when the configuration is read):\n\n```text\n",
        );
        for e in &spec.examples {
            doc.push_str(e);
            doc.push('\n');
        }
        doc.push_str("```\n");
    }
    doc.push_str(
        "\n## How to fix\n\nRemove the value from the file (and revoke it if it is a live \
         credential), keep the file out of the package with `exclude`, or allow the finding \
         with a `privacy-check:allow(RULE)` comment or `[lints]`.\n",
    );
    doc
}

/// Every compiled custom rule, for the output boundary ([`masks`]), and
/// the set built from them (rebuilt when a rule is added).
type Published = (Vec<Arc<CustomRule>>, Option<Arc<CustomRules>>);
static PUBLISHED: RwLock<Published> = RwLock::new((Vec::new(), None));

fn publish(rule: &Arc<CustomRule>) {
    let mut published = PUBLISHED.write().unwrap_or_else(|e| e.into_inner());
    published.0.push(rule.clone());
    published.1 = None;
}

/// What every custom rule read in this process recognises in `text`, as
/// (range, redacted) pairs: the output boundary ([`crate::output`]) masks
/// them as it masks what the built-in detectors recognise, so a custom
/// secret is hidden wherever it would be written (a configuration error's
/// snippet, a file name, `--explain`'s examples). Paths, allow lists and
/// examples do not apply here: output has no path, and hiding too much is
/// the safe side.
pub fn masks(text: &str) -> Vec<(Range<usize>, String)> {
    let set = {
        let published = PUBLISHED.read().unwrap_or_else(|e| e.into_inner());
        if published.0.is_empty() {
            return Vec::new();
        }
        published.1.clone()
    };
    let set = match set {
        Some(set) => set,
        None => {
            let mut published = PUBLISHED.write().unwrap_or_else(|e| e.into_inner());
            let set = Arc::new(CustomRules::new(published.0.clone()));
            published.1 = Some(set.clone());
            set
        }
    };
    let mut out = Vec::new();
    set.scan_with(text, None, &mut out);
    out.into_iter().map(|m| (m.range, m.redacted)).collect()
}

/// A custom rule's level when it sets none: deny for what holds secrets
/// (`secret`, `private-key`, `sensitive-file`), warn otherwise.
pub fn default_level(category: Category) -> Level {
    match category {
        Category::Secret | Category::PrivateKey | Category::SensitiveFile => Level::Deny,
        _ => Level::Warn,
    }
}

/// Every registered custom rule, in the order they were defined.
pub fn registered() -> Vec<&'static Rule> {
    let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    registry.iter().map(|(r, _)| *r).collect()
}

/// A registered custom rule by name.
pub fn find(name: &str) -> Option<&'static Rule> {
    let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    registry
        .iter()
        .find(|(r, _)| r.name == name)
        .map(|(r, _)| *r)
}

/// Where a custom rule is defined; `None` for a built-in rule.
pub fn defined_in(rule: &Rule) -> Option<String> {
    let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    registry
        .iter()
        .find(|(r, _)| std::ptr::eq(*r, rule))
        .map(|(_, at)| at.clone())
}

/// Whether `rule` is a custom rule.
pub fn is_custom(rule: &Rule) -> bool {
    defined_in(rule).is_some()
}

/// How far before and after a keyword's line a rule's regex looks for a
/// match (snapped outward to whole lines).
pub const WINDOW: usize = 4096;

/// The parts of `text` a rule's regex runs over: the lines of each keyword
/// hit (`hits`, sorted), widened by [`WINDOW`] bytes each way to whole
/// lines, merged where they meet. A match must touch a keyword's line, so
/// the rest of the file cannot hold one (unless it is longer than the
/// window); on a file where keywords are rare this is most of the cost of
/// a rule saved.
fn windows(text: &str, hits: &[usize]) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let len = bytes.len();
    // Each scan for a newline is bounded so that the whole costs a pass
    // over the text, however long its lines and however many the hits:
    // backward never past the previous hit's line, forward each position
    // is passed once (hits are sorted; `ahead` remembers the last scan).
    let back = |at: usize, floor: usize| {
        bytes[floor..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(floor, |i| floor + i + 1)
    };
    // (scanned from, newline or end found): one for the hits' own lines,
    // one for the ends of the windows, each an increasing sequence.
    let forward = |at: usize, memo: &mut (usize, usize)| {
        if memo.0 <= at && at <= memo.1 {
            return memo.1;
        }
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(len, |i| at + i);
        *memo = (at, end);
        end
    };
    let (mut own_line, mut window_end) = ((0, 0), (0, 0));
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut prev_start = 0;
    let mut covered = 0;
    for &hit in hits {
        if hit < covered {
            continue; // on a line already taken
        }
        let line_start = back(hit, prev_start.min(hit));
        let line_end = forward(hit, &mut own_line);
        prev_start = line_start;
        covered = line_end + 1;
        let end = forward((line_end + WINDOW).min(len), &mut window_end);
        let want = line_start.saturating_sub(WINDOW);
        match out.last_mut() {
            Some(last) if want <= last.end + 1 => last.end = last.end.max(end),
            _ => {
                let floor = out.last().map_or(0, |w| w.end);
                out.push(back(want, floor.min(want))..end);
            }
        }
    }
    out
}

/// Start of the line holding `at`, and end of the line holding `end`.
fn line_bounds(text: &str, at: usize, end: usize) -> Range<usize> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    start..end
}

impl CustomRule {
    /// The rule's matches in `text`; `hits` are the start offsets of its
    /// keywords in `text` (sorted), or `None` to look for them here.
    fn find(&self, text: &str, hits: Option<&[usize]>) -> Vec<(Range<usize>, Range<usize>)> {
        let Some(re) = &self.regex else {
            return Vec::new();
        };
        let own_hits;
        let hits = match hits {
            Some(h) => h,
            None => {
                let lower = text.to_ascii_lowercase();
                let mut h: Vec<usize> = self
                    .keywords
                    .iter()
                    .flat_map(|k| lower.match_indices(k.as_str()).map(|(i, _)| i))
                    .collect();
                h.sort_unstable();
                own_hits = h;
                &own_hits
            }
        };
        let windows = if self.keywords.is_empty() {
            std::iter::once(0..text.len()).collect()
        } else {
            windows(text, hits)
        };
        let mut out = Vec::new();
        for window in windows {
            let offset = window.start;
            for caps in re.captures_iter(&text[window]) {
                let at = |m: regex::Match<'_>| m.start() + offset..m.end() + offset;
                let whole = caps.get(0).map_or(0..0, at);
                if !self.keywords.is_empty() {
                    let near = line_bounds(text, whole.start, whole.end);
                    let first = hits.partition_point(|&h| h < near.start);
                    if hits.get(first).is_none_or(|&h| h >= near.end) {
                        continue;
                    }
                }
                let secret = match self.group {
                    Group::Whole => Some(whole.clone()),
                    Group::Index(i) => caps.get(i).map(at),
                    Group::FirstNonEmpty => Some(
                        caps.iter()
                            .skip(1)
                            .flatten()
                            .find(|m| !m.is_empty())
                            .map_or(whole.clone(), at),
                    ),
                };
                let Some(secret) = secret.filter(|r| !r.is_empty()) else {
                    continue;
                };
                if self.judged_no_secret(text, &whole, &secret) {
                    continue;
                }
                out.push((whole, secret));
            }
        }
        out
    }

    /// Entropy, placeholders and the allow lists; paths are judged by the
    /// caller, which knows the file.
    fn judged_no_secret(&self, text: &str, whole: &Range<usize>, secret: &Range<usize>) -> bool {
        let value = &text[secret.clone()];
        if self
            .entropy
            .is_some_and(|min| randomness::shannon_entropy(value) < min)
        {
            return true;
        }
        if !self.placeholders && randomness::is_placeholder(value) {
            return true;
        }
        self.allow
            .iter()
            .any(|a| a.accepts(text, whole, secret, None))
    }

    fn allowed_path(&self, archive_path: &str) -> bool {
        self.allow.iter().any(|a| {
            a.regexes.is_empty()
                && a.stopwords.is_empty()
                && a.paths.iter().any(|p| p.matches(archive_path))
        })
    }
}

impl Allow {
    /// Whether this allow list accepts a match; the path is `None` when it
    /// is judged on its own (an allow list of paths alone is judged by
    /// [`CustomRule::allowed_path`]).
    fn accepts(
        &self,
        text: &str,
        whole: &Range<usize>,
        secret: &Range<usize>,
        archive_path: Option<&str>,
    ) -> bool {
        let target = match self.target {
            Target::Secret => &text[secret.clone()],
            Target::Match => &text[whole.clone()],
            Target::Line => &text[line_bounds(text, whole.start, whole.end)],
        };
        let lower_secret = text[secret.clone()].to_ascii_lowercase();
        let mut checks = Vec::new();
        if !self.regexes.is_empty() {
            checks.push(self.regexes.iter().any(|r| r.is_match(target)));
        }
        if !self.stopwords.is_empty() {
            checks.push(
                self.stopwords
                    .iter()
                    .any(|w| lower_secret.contains(w.as_str())),
            );
        }
        if !self.paths.is_empty() {
            match archive_path {
                Some(p) => checks.push(self.paths.iter().any(|m| m.matches(p))),
                // Judged without a path: a path condition does not hold.
                None => checks.push(false),
            }
        }
        if checks.is_empty() {
            return false;
        }
        if self.all {
            checks.iter().all(|&c| c)
        } else {
            checks.iter().any(|&c| c)
        }
    }
}

/// The custom rules that apply to one package, behind one prefilter.
#[derive(Default)]
pub struct CustomRules {
    rules: Vec<Arc<CustomRule>>,
    /// Every keyword of every rule; pattern `i` is `owners[i]`'s keyword.
    prefilter: Option<AhoCorasick>,
    owners: Vec<Vec<usize>>,
}

impl std::fmt::Debug for CustomRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.rules.iter().map(|r| r.rule.name))
            .finish()
    }
}

impl CustomRules {
    pub fn new(rules: Vec<Arc<CustomRule>>) -> Self {
        let mut keywords: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        // Each keyword once, whatever the number of rules naming it.
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, rule) in rules.iter().enumerate() {
            for k in &rule.keywords {
                let at = *index.entry(k.as_str()).or_insert_with(|| {
                    keywords.push(k);
                    owners.push(Vec::new());
                    keywords.len() - 1
                });
                owners[at].push(i);
            }
        }
        let prefilter = (!keywords.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&keywords)
                .expect("keywords are literals")
        });
        CustomRules {
            rules,
            prefilter,
            owners,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn rules(&self) -> impl Iterator<Item = &CustomRule> {
        self.rules.iter().map(|r| &**r)
    }

    /// Adds the custom rules' matches in the text of the file at
    /// `archive_path` to `out`, which holds the built-in detectors'
    /// matches: a value a built-in shape rule reports is not reported again.
    pub fn scan(&self, text: &str, archive_path: &str, out: &mut Vec<Match>) {
        self.scan_with(text, Some(archive_path), out);
    }

    /// [`CustomRules::scan`]; without a path (output), paths, path allow
    /// lists and the rules' own examples are not judged.
    fn scan_with(&self, text: &str, archive_path: Option<&str>, out: &mut Vec<Match>) {
        if self.rules.is_empty() {
            return;
        }
        let mut hits = self.keyword_hits(text);
        let specific: Vec<Range<usize>> = out
            .iter()
            .filter(|m| !m.rule.generic)
            .map(|m| m.range.clone())
            .collect();
        let mut found = Vec::new();
        for (rule, hits) in self.rules.iter().zip(&mut hits) {
            if rule.regex.is_none() || (!rule.keywords.is_empty() && hits.is_empty()) {
                continue;
            }
            if let Some(path) = archive_path {
                if !rule.paths.is_empty() && !rule.paths.iter().any(|p| p.matches(path)) {
                    continue;
                }
                if rule.allowed_path(path) {
                    continue;
                }
            }
            hits.sort_unstable();
            for (whole, secret) in rule.find(text, Some(hits)) {
                if let Some(path) = archive_path {
                    let allowed = rule.allow.iter().any(|a| {
                        !a.paths.is_empty() && a.accepts(text, &whole, &secret, Some(path))
                    });
                    let example = rule
                        .example_secrets
                        .iter()
                        .any(|e| *e == text[secret.clone()]);
                    if allowed || example {
                        continue;
                    }
                }
                // The built-in finding of the same value is the one
                // reported; a value that only holds one (a block with an
                // address inside) is a finding of its own, or its other
                // lines would be neither reported nor hidden.
                if specific
                    .iter()
                    .any(|r| r.start <= secret.start && secret.end <= r.end)
                {
                    continue;
                }
                found.push(finding(rule, &text[secret.clone()], secret));
            }
        }
        replace_generic(out, found);
    }

    /// Where each rule's keywords are in `text`, in one pass over it for
    /// every keyword of every rule. One hit stands for the others close by
    /// on its line (what "near" asks is the line), so that a file full of a
    /// keyword keeps its hit lists short.
    fn keyword_hits(&self, text: &str) -> Vec<Vec<usize>> {
        let mut hits: Vec<Vec<usize>> = vec![Vec::new(); self.rules.len()];
        let Some(ac) = &self.prefilter else {
            return hits;
        };
        let bytes = text.as_bytes();
        for m in ac.find_overlapping_iter(text) {
            let at = m.start();
            for &owner in &self.owners[m.pattern().as_usize()] {
                let hits = &mut hits[owner];
                let redundant = hits.last().is_some_and(|&last| {
                    at >= last && at - last < 256 && !bytes[last..at].contains(&b'\n')
                });
                if !redundant {
                    hits.push(at);
                }
            }
        }
        hits
    }

    /// Findings of the file-name rules (a glob or path regex alone) for the
    /// file at `archive_path`, judged like the built-in sensitive files.
    pub fn check_file(&self, archive_path: &str) -> Vec<Match> {
        self.rules
            .iter()
            .filter(|r| r.regex.is_none())
            .filter(|r| {
                r.file_name
                    .as_ref()
                    .is_some_and(|f| f.matches(archive_path))
            })
            .filter(|r| !r.allowed_path(archive_path))
            .map(|r| {
                let exclude = super::sensitive_files::exclude_pattern(archive_path);
                Match::whole_file(
                    r.rule,
                    format!(
                        "a file matched by the custom rule `{}` must not be published",
                        r.rule.name
                    ),
                    archive_path.to_owned(),
                )
                .label("this file would be published with the crate")
                .note(r.rule.summary)
                .help(format!(
                    "keep it out of the package with `exclude = [\"{exclude}\"]` in Cargo.toml"
                ))
            })
            .collect()
    }
}

/// A finding of `rule` for `value` at `range`. The redacted form keeps a
/// keyword the value starts with (`acme_live_…`), as the built-in token
/// rules keep a provider's public prefix, and nothing else.
/// Adds the custom `found` to `out`. A custom finding is specific: a
/// generic rule's finding of the same value (`TOKEN = "…"`) is not reported
/// too. A rule defined at `allow` level reports nothing by default, so it
/// must not take a built-in finding away either: a custom rule file never
/// turns a built-in rule off.
fn replace_generic(out: &mut Vec<Match>, found: Vec<Match>) {
    let replacing: Vec<&Range<usize>> = found
        .iter()
        .filter(|f| f.rule.default_level != Level::Allow)
        .map(|f| &f.range)
        .collect();
    if !replacing.is_empty() {
        out.retain(|m| {
            !m.rule.generic
                || !replacing
                    .iter()
                    .any(|f| f.start < m.range.end && m.range.start < f.end)
        });
    }
    out.extend(found);
}

fn finding(rule: &CustomRule, value: &str, range: Range<usize>) -> Match {
    let lower = value.to_ascii_lowercase();
    let prefix = rule
        .keywords
        .iter()
        .filter(|k| lower.starts_with(k.as_str()) && value.len() >= k.len() + 8)
        .map(|k| k.len())
        .max()
        .unwrap_or(0);
    // `redact_secret` keeps a number of characters, not bytes: a keyword
    // that is not ASCII (`ключ_`, `🔑`) must not uncover the characters
    // after it. Only ASCII letters differ between `value` and `lower`, so
    // `prefix` is a character boundary of `value`.
    let prefix = value.get(..prefix).map_or(0, |p| p.chars().count());
    let redacted = crate::diagnostic::redact_secret(value, prefix);
    Match::new(
        rule.rule,
        range,
        format!(
            "value matched by the custom rule `{}` in a packaged file",
            rule.rule.name
        ),
        redacted,
    )
    .label("matched here")
    .note(rule.rule.summary)
    .help("remove it from the file, and revoke it if it is a live credential")
}

/// For `--print-config`: the rules of a set that run over every file.
pub fn without_keywords(rules: &CustomRules) -> Vec<&'static str> {
    rules
        .rules()
        .filter(|r| r.runs_on_every_file())
        .map(|r| r.rule.name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: &str, regex: &str) -> RuleSpec {
        RuleSpec {
            regex: Some(regex.to_owned()),
            keywords: vec!["acme_".to_owned()],
            ..RuleSpec::new(id, "a test")
        }
    }

    #[test]
    fn one_prefilter_finds_each_rules_secret_near_its_keyword() {
        let a = compile(&spec("unit-acme-a", r"acme_[a-z0-9]{12}")).unwrap();
        // Every rule read is known to the output boundary.
        let value = format!("acme_{}", "q7w3r9t2y8u1");
        assert_eq!(masks(&format!("a {value}")), [(2..19, "acme_…".to_owned())]);
        let mut b = spec("unit-corp-b", r"corp-(?P<s>[A-Z0-9]{10})");
        b.keywords = vec!["corp-".to_owned()];
        b.secret_group = SecretGroup::Name("s".to_owned());
        let b = compile(&b).unwrap();
        let set = CustomRules::new(vec![a, b]);
        let value = format!("acme_{}", "q7w3r9t2y8u1");
        let text = format!("x = \"{value}\"\nid: CORP-Z9X8C7V6B5\ny = corp-Z9X8C7V6B5\n");
        let mut out = Vec::new();
        set.scan(&text, "src/lib.rs", &mut out);
        let names: Vec<_> = out
            .iter()
            .map(|m| (m.rule.name, &text[m.range.clone()]))
            .collect();
        assert_eq!(
            names,
            [
                ("unit-acme-a", value.as_str()),
                ("unit-corp-b", "Z9X8C7V6B5")
            ]
        );
        assert_eq!(out[0].redacted, "acme_…");
    }

    #[test]
    fn regexes_run_over_the_lines_around_keywords_only() {
        let far = "x\n".repeat(WINDOW);
        let text = format!("{far}key here\n{far}tail\n");
        let hit = text.find("key").unwrap();
        let w = windows(&text, &[hit]);
        assert_eq!(w.len(), 1);
        // Whole lines, the keyword's line and about a window each way.
        assert!(w[0].start > 0 && text.as_bytes()[w[0].start - 1] == b'\n');
        assert!(w[0].start <= hit - WINDOW && w[0].end >= hit + WINDOW);
        assert!(w[0].end < text.len() - 10);
        // Hits close together share one window.
        assert_eq!(windows(&text, &[hit, hit + 4]).len(), 1);
        // Hits on many lines before a long one: linear, not quadratic.
        let lines = format!("{}{}\n", "key\n".repeat(2000), "y".repeat(1 << 20));
        let hits: Vec<usize> = lines.match_indices("key").map(|(i, _)| i).collect();
        let started = std::time::Instant::now();
        let w = windows(&lines, &hits);
        assert_eq!((w.len(), w[0].clone()), (1, 0..lines.len() - 1));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        // Multi-byte text: never cut inside a character.
        let wide = format!("{}é key é{}", "é".repeat(3000), "é".repeat(3000));
        let hit = wide.find("key").unwrap();
        let w = windows(&wide, &[hit]);
        assert_eq!((w.len(), w[0].clone()), (1, 0..wide.len()));
    }

    #[test]
    fn a_regex_that_can_match_nothing_is_refused() {
        for re in ["a*", "(x|)", "\\b", "(?m)^$"] {
            let err = compile(&spec("unit-empty", re)).unwrap_err();
            assert_eq!(err.key, "regex", "{re}");
        }
        let err = compile(&spec("unit-big", "[a-z]{1000}{1000}")).unwrap_err();
        assert_eq!(err.message, "`regex` is too large to compile");
    }
}
