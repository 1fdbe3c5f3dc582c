//! Lint levels: each rule's default, changed like rustc's `-A`/`-W`/`-D`.
//!
//! A level flag names a rule, a category (the group of its rules), or
//! `warnings` (with `-D`: every finding that ends up a warning becomes an
//! error, like `rustc -D warnings`). Flags apply in command-line order, so a
//! later flag overrides an earlier one for the rules they share.

use std::collections::HashMap;

use crate::diagnostic::{escape_input, Reportable};
use crate::diagnostic::{Category, Level};
use crate::rules::{self, Rule};
use crate::suggest::closest;

#[derive(Clone, Debug, Default)]
pub struct Levels {
    by_rule: HashMap<&'static str, Level>,
    deny_warnings: bool,
}

/// A finding's level, from [`Levels::judge`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Judged {
    pub level: Level,
    /// A warning made an error by `-D warnings`.
    pub promoted: bool,
    /// Relaxed to a warning because it lies in test context.
    pub test_fixture: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown rule or category `{name}`{}", match suggestion {
    Some(s) => format!("\n\nhelp: did you mean `{s}`?"),
    None => "\n\nhelp: `cargo privacy-check --list-rules` lists the rules and categories".to_owned(),
})]
pub struct UnknownLint {
    pub name: String,
    pub suggestion: Option<String>,
}

/// What a level flag or a configuration key names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LintName {
    /// `warnings`: with deny, every warning becomes an error.
    Warnings,
    Category(Category),
    Rule(&'static Rule),
}

impl LintName {
    /// Resolves a rule, category or `warnings` name; an unknown name comes
    /// with the closest known one.
    pub fn resolve(name: &str) -> Result<LintName, UnknownLint> {
        if name == "warnings" {
            return Ok(LintName::Warnings);
        }
        if let Some(category) = Category::ALL.iter().find(|c| c.as_str() == name) {
            return Ok(LintName::Category(*category));
        }
        if let Some(rule) = rules::find(name) {
            return Ok(LintName::Rule(rule));
        }
        let names = rules::all()
            .map(|r| r.name)
            .chain(Category::ALL.iter().map(|c| c.as_str()))
            .chain(["warnings"]);
        Err(UnknownLint {
            name: name.to_owned(),
            suggestion: closest(name, names),
        })
    }
}

impl Levels {
    /// Builds levels from `(level, name)` flags in command-line order.
    pub fn from_flags<'a>(
        flags: impl IntoIterator<Item = (Level, &'a str)>,
    ) -> Result<Levels, UnknownLint> {
        let mut levels = Levels::default();
        for (level, name) in flags {
            levels.apply(level, LintName::resolve(name)?);
        }
        Ok(levels)
    }

    /// Sets `name` to `level`, overriding what was set before for the rules
    /// it names.
    pub fn apply(&mut self, level: Level, name: LintName) {
        match name {
            // `-D warnings` promotes; `-W warnings` / `-A warnings` undo an
            // earlier `-D warnings`.
            LintName::Warnings => self.deny_warnings = level == Level::Deny,
            LintName::Category(category) => {
                for rule in rules::all().filter(|r| r.category == category) {
                    self.by_rule.insert(rule.name, level);
                }
            }
            LintName::Rule(rule) => {
                self.by_rule.insert(rule.name, level);
            }
        }
    }

    /// Whether `-D warnings` is in force: other warnings (an allow comment
    /// that allows nothing) become errors too.
    pub fn denies_warnings(&self) -> bool {
        self.deny_warnings
    }

    /// Whether `rule` is an error only because `-D warnings` denies
    /// warnings.
    pub fn promotes(&self, rule: &Rule) -> bool {
        self.deny_warnings && self.unpromoted(rule) == Level::Warn
    }

    fn unpromoted(&self, rule: &Rule) -> Level {
        self.by_rule
            .get(rule.name)
            .copied()
            .unwrap_or(rule.default_level)
    }

    /// The level of a finding of `rule`, which lies in test context when
    /// `in_test` ([`rules::test_context`]): a rule [`rules::relaxed_in_tests`]
    /// at its default error level becomes a warning there (and `-D
    /// warnings` then makes it an error again, as any warning); a level set
    /// by a flag or `[lints]` is kept. The flag says whether it was relaxed.
    pub fn judge(&self, rule: &Rule, in_test: bool) -> Judged {
        let explicit = self.by_rule.contains_key(rule.name);
        if in_test
            && !explicit
            && rule.default_level == Level::Deny
            && rules::relaxed_in_tests(rule)
        {
            return Judged {
                level: if self.deny_warnings {
                    Level::Deny
                } else {
                    Level::Warn
                },
                promoted: self.deny_warnings,
                test_fixture: true,
            };
        }
        Judged {
            level: self.level(rule),
            promoted: self.promotes(rule),
            test_fixture: false,
        }
    }

    /// The level a finding of `rule` is reported at.
    pub fn level(&self, rule: &Rule) -> Level {
        let level = self.unpromoted(rule);
        if self.deny_warnings && level == Level::Warn {
            Level::Deny
        } else {
            level
        }
    }
}

impl Reportable for UnknownLint {
    fn message(&self) -> String {
        format!("unknown rule or category `{}`", escape_input(&self.name))
    }

    fn help(&self) -> Option<String> {
        Some(match &self.suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => "`cargo privacy-check --list-rules` lists the rules and categories".to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::authors::AUTHOR_EMAIL;
    use crate::rules::url_credentials::URL_CREDENTIALS;

    #[test]
    fn later_flags_override_earlier_ones_and_categories_group_rules() {
        let levels =
            Levels::from_flags([(Level::Allow, "email"), (Level::Deny, "author-email")]).unwrap();
        assert_eq!(levels.level(&AUTHOR_EMAIL), Level::Deny);
        assert_eq!(
            levels.level(crate::rules::find("manifest-email").unwrap()),
            Level::Allow
        );
        let levels =
            Levels::from_flags([(Level::Deny, "author-email"), (Level::Allow, "email")]).unwrap();
        assert_eq!(levels.level(&AUTHOR_EMAIL), Level::Allow);
    }

    #[test]
    fn deny_warnings_promotes_only_warnings() {
        let levels = Levels::from_flags([(Level::Deny, "warnings")]).unwrap();
        assert_eq!(levels.level(&AUTHOR_EMAIL), Level::Deny);
        assert_eq!(
            levels.level(crate::rules::find("email-address").unwrap()),
            Level::Note
        );
        assert_eq!(levels.level(&URL_CREDENTIALS), Level::Deny);
        // Only the promoted warning says so.
        assert!(levels.promotes(&AUTHOR_EMAIL));
        assert!(!levels.promotes(&URL_CREDENTIALS));
        assert!(!Levels::default().promotes(&AUTHOR_EMAIL));
    }

    #[test]
    fn test_context_relaxes_default_errors_of_generic_and_key_rules_only() {
        use crate::rules::private_keys::PRIVATE_KEY;
        let github = crate::rules::find("github-token").unwrap();
        let default = Levels::default();
        let relaxed = default.judge(&PRIVATE_KEY, true);
        assert_eq!((relaxed.level, relaxed.test_fixture), (Level::Warn, true));
        assert_eq!(default.judge(&URL_CREDENTIALS, true).level, Level::Warn);
        assert_eq!(default.judge(&PRIVATE_KEY, false).level, Level::Deny);
        assert_eq!(default.judge(github, true).level, Level::Deny);
        // An explicit deny, of the rule or its category, keeps the error.
        for name in ["private-key-material", "private-key"] {
            let levels = Levels::from_flags([(Level::Deny, name)]).unwrap();
            let judged = levels.judge(&PRIVATE_KEY, true);
            assert_eq!((judged.level, judged.test_fixture), (Level::Deny, false));
        }
        // `-D warnings` promotes the relaxed warning like any other.
        let levels = Levels::from_flags([(Level::Deny, "warnings")]).unwrap();
        let judged = levels.judge(&PRIVATE_KEY, true);
        assert_eq!((judged.level, judged.promoted), (Level::Deny, true));
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        let err = Levels::from_flags([(Level::Allow, "autor-email")]).unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("author-email"));
        assert!(err.to_string().contains("did you mean `author-email`?"));
    }
}
