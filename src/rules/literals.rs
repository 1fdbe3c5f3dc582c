//! A few short literals searched for at once, for the detectors'
//! prefilters: aho-corasick's packed (Teddy) searcher where the CPU has
//! it, its automaton elsewhere.
//!
//! Teddy finds up to a few dozen short literals at several GB/s. Called
//! directly it also skips the automaton `AhoCorasick` wraps around it,
//! which costs time on every hit when the literals are common (`key`,
//! `token`). `packed::Builder::build` returns `None` where Teddy cannot
//! run (an x86-64 CPU without SSSE3, other architectures, big-endian
//! targets); the automaton then finds the same matches, more slowly. Both
//! report leftmost-first, non-overlapping matches, the pattern listed
//! first winning at the same start.

use aho_corasick::{packed, AhoCorasick, Input, Match, MatchKind, Span};

/// A set of literals to search for; see the module docs.
pub enum Literals {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Literals {
    pub fn new<I, P>(patterns: I) -> Literals
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let patterns: Vec<Vec<u8>> = patterns.into_iter().map(|p| p.as_ref().to_vec()).collect();
        let packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&patterns)
            .build();
        match packed {
            Some(searcher) => Literals::Packed(searcher),
            None => Literals::automaton(&patterns),
        }
    }

    /// The same search without Teddy, as where it cannot run.
    fn automaton(patterns: &[Vec<u8>]) -> Literals {
        Literals::Automaton(
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(patterns)
                .expect("a few short literals build an automaton"),
        )
    }

    /// The leftmost match that starts at or after `from`.
    pub fn find_from(&self, haystack: &[u8], from: usize) -> Option<Match> {
        match self {
            Literals::Packed(searcher) => {
                searcher.find_in(haystack, Span::from(from..haystack.len()))
            }
            Literals::Automaton(automaton) => {
                automaton.find(Input::new(haystack).span(from..haystack.len()))
            }
        }
    }

    /// Every match that starts at or after `from`, leftmost first, each
    /// searched for after the end of the one before.
    pub fn find_iter_from<'h>(
        &'h self,
        haystack: &'h [u8],
        mut from: usize,
    ) -> impl Iterator<Item = Match> + 'h {
        std::iter::from_fn(move || {
            let found = self.find_from(haystack, from)?;
            // No pattern is empty, so the search moves on.
            from = found.end().max(from + 1);
            Some(found)
        })
    }

    /// Every match, leftmost first, each searched for after the end of the
    /// one before.
    pub fn find_iter<'h>(&'h self, haystack: &'h [u8]) -> impl Iterator<Item = Match> + 'h {
        self.find_iter_from(haystack, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where Teddy cannot run, the automaton finds the same matches: the
    /// leftmost, the first pattern at a tie, none overlapping, from any
    /// start.
    #[test]
    fn the_automaton_finds_what_teddy_finds() {
        let patterns = [
            "home/",
            "Users/",
            "ers/",
            "key",
            "Key",
            "n=",
            "://",
            "-----BEGIN ",
        ];
        let teddy = Literals::new(patterns);
        if !matches!(teddy, Literals::Packed(_)) {
            // No Teddy on this machine: the automaton is all there is.
            return;
        }
        let bytes: Vec<Vec<u8>> = patterns.iter().map(|p| p.as_bytes().to_vec()).collect();
        let automaton = Literals::automaton(&bytes);
        let text =
            "key/home/Users/x Key=n=https://a ------BEGIN users/ home/Users/keyKey".repeat(3);
        let all = |l: &Literals, from| -> Vec<(usize, usize, usize)> {
            l.find_iter_from(text.as_bytes(), from)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect()
        };
        for from in [0, 1, 5, 9, 40, text.len() - 3, text.len()] {
            assert_eq!(all(&teddy, from), all(&automaton, from), "from {from}");
        }
        let found = all(&teddy, 0);
        // `home/Users/` is two matches; `Users/` wins over `ers/`.
        assert_eq!(&found[..4], [(0, 3, 3), (4, 9, 0), (9, 15, 1), (17, 20, 4)]);
    }
}
