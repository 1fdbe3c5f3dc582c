//! "Did you mean …?": the known name closest to a misspelt one, for the
//! errors about unknown packages, rules, configuration keys and levels.
//! A leaf: it imports nothing from the crate.

/// The candidate closest to `target` by Levenshtein distance (`strsim`),
/// if it is close enough to be a typo: at most a third of the longer name.
pub fn closest<'a>(target: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| (strsim::levenshtein(target, c), c))
        .filter(|(d, c)| *d <= c.chars().count().max(target.chars().count()).div_ceil(3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_its_name_and_a_stranger_finds_none() {
        let names = ["alpha", "beta", "author-email"];
        assert_eq!(
            closest("alpah", names.into_iter()).as_deref(),
            Some("alpha")
        );
        assert_eq!(
            closest("autor-email", names.into_iter()).as_deref(),
            Some("author-email")
        );
        assert_eq!(closest("zzz", names.into_iter()), None);
        assert_eq!(closest("", names.into_iter()), None);
    }
}
