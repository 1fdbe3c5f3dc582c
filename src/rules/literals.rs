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
//!
//! [`SharedHits`] is the one pass [`crate::rules::detect`] makes for the
//! literals of two detectors at once.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{packed, AhoCorasick, Input, Match, MatchKind, Span};

use crate::rules::{home_paths, private_keys};

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
        Literals::with(packed::Config::new(), patterns)
    }

    /// [`Literals::new`] with Teddy configured by `config` (its match kind
    /// is set to leftmost-first, as the automaton's).
    pub fn with<I, P>(mut config: packed::Config, patterns: I) -> Literals
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let patterns: Vec<Vec<u8>> = patterns.into_iter().map(|p| p.as_ref().to_vec()).collect();
        let packed = config
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
    pub fn automaton<P: AsRef<[u8]>>(patterns: &[P]) -> Literals {
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

/// The literals of two detectors that [`crate::rules::detect`] finds in
/// one pass ([`SharedHits::find`]): [`home_paths::ANCHOR_LITERALS`], then
/// [`private_keys::RARE_PIECE_LITERALS`]. One Teddy pass over both costs
/// what one over either does (0.049 s against 0.048 s and 0.047 s on the
/// corpus). No literal of one list can overlap one of the other (a test
/// checks), so the leftmost-first matches of the union are those of each
/// list, interleaved.
static SHARED: LazyLock<Literals> = LazyLock::new(|| {
    Literals::new(
        home_paths::ANCHOR_LITERALS
            .iter()
            .chain(private_keys::RARE_PIECE_LITERALS.iter()),
    )
});

/// What [`SharedHits::find`] found in a text, for the detectors'
/// [`Detector::scan_with`](crate::rules::Detector::scan_with).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SharedHits {
    /// Where [`home_paths::ANCHOR_LITERALS`] occur, as its own search
    /// reports them.
    pub home_anchors: Vec<Range<usize>>,
    /// Where the first of [`private_keys::RARE_PIECE_LITERALS`] is.
    pub first_key_piece: Option<usize>,
}

impl SharedHits {
    pub fn find(text: &[u8]) -> SharedHits {
        let mut hits = SharedHits::default();
        for found in SHARED.find_iter(text) {
            if found.pattern().as_usize() < home_paths::ANCHOR_LITERALS.len() {
                hits.home_anchors.push(found.range());
            } else if hits.first_key_piece.is_none() {
                hits.first_key_piece = Some(found.start());
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No literal of one shared list overlaps one of the other: none holds
    /// another, and no end of one is the start of another. So the shared
    /// pass finds each list's matches where the list's own search does.
    #[test]
    fn the_shared_lists_cannot_overlap() {
        let overlap = |a: &str, b: &str| {
            a.contains(b) || (1..a.len().min(b.len())).any(|n| a.ends_with(&b[..n]))
        };
        for a in home_paths::ANCHOR_LITERALS {
            for b in private_keys::RARE_PIECE_LITERALS {
                assert!(!overlap(a, b) && !overlap(b, a), "{a:?} and {b:?}");
            }
        }
    }

    /// The two detectors report with the shared pass's hits what they
    /// report alone: home paths and prompts, and keys after a piece that
    /// starts none, in one text.
    #[test]
    fn detectors_given_the_shared_hits_find_what_they_find_alone() {
        use crate::rules::tokens::codec::b64_encode;
        use crate::rules::{Detector, FileContext};
        let key: Vec<u8> = (0..32u8)
            .map(|i| i.wrapping_mul(97).wrapping_add(13))
            .collect();
        let name = "tkowalski";
        let text = format!(
            "BEGIN work\ncd /home/{name}/src\n{name}@box:~/src$ ls\n\
             [Interface]\nPrivateKey = {}\nC:\\Users\\{name}\\x\n",
            b64_encode(&key, false)
        );
        let file = FileContext {
            archive_path: "notes.txt",
            is_manifest: false,
            package: "demo",
        };
        let shared = SharedHits::find(text.as_bytes());
        let detectors: [&dyn Detector; 2] = [
            &home_paths::HomePathDetector,
            &private_keys::PrivateKeyDetector,
        ];
        for (detector, expected) in detectors.into_iter().zip([3, 1]) {
            let (mut alone, mut with) = (Vec::new(), Vec::new());
            detector.scan(&text, file, &mut alone);
            detector.scan_with(&text, file, &shared, &mut with);
            let found = |m: &[crate::diagnostic::Match]| -> Vec<_> {
                m.iter()
                    .map(|m| (m.range.clone(), m.redacted.clone()))
                    .collect()
            };
            assert_eq!(found(&with), found(&alone));
            assert_eq!(alone.len(), expected, "{:?}", found(&alone));
        }
    }

    /// The shared pass reports what each list's own search reports, on a
    /// text where both kinds are glued together and repeated.
    #[test]
    fn the_shared_pass_finds_what_each_list_finds() {
        let mut text = String::new();
        for (i, a) in home_paths::ANCHOR_LITERALS.iter().enumerate() {
            let b = private_keys::RARE_PIECE_LITERALS[i % 3];
            text.push_str(&format!("{a}{b}{a}x{b}{b}{a}\n"));
        }
        let own = |list: &[&str]| -> Vec<Range<usize>> {
            Literals::new(list)
                .find_iter(text.as_bytes())
                .map(|m| m.range())
                .collect()
        };
        let hits = SharedHits::find(text.as_bytes());
        assert_eq!(hits.home_anchors, own(&home_paths::ANCHOR_LITERALS));
        assert_eq!(hits.home_anchors.len(), 30);
        let pieces = own(&private_keys::RARE_PIECE_LITERALS);
        assert_eq!(hits.first_key_piece, Some(pieces[0].start));
        assert_eq!(SharedHits::find(b"no literal here"), SharedHits::default());
    }

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
