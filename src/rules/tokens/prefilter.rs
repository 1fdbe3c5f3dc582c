//! Where the token anchors are in a text: every position at which any of
//! the ~190 anchors of [`super::formats::FORMATS`] starts, found with SIMD
//! searches instead of one automaton.
//!
//! One Aho-Corasick DFA over all anchors was the costliest part of the
//! whole check (1.3 s of CPU over the 515 MB corpus, 385 MB/s: one
//! dependent table load per byte). The vectorized "Teddy" searcher of
//! `aho-corasick` runs at several GB/s but only with a few short literals.
//! So each anchor is found through a *fingerprint*: a 3- or 4-byte
//! substring of it ([`FINGERPRINTS`], one fingerprint shared by several
//! anchors where it can be). The fingerprints are searched in groups of 16
//! (the size at which Teddy stays fast: on the corpus seven such passes
//! took 0.41 s together), and each fingerprint found is checked against the
//! anchors it stands for, at their offsets. Anchors shorter than three
//! bytes (`Q~`) are searched for as they are. The result is exactly the set
//! of (position, anchor) pairs a naive search gives (a test compares them),
//! in the order the formats expect.

use aho_corasick::packed::Config;
use aho_corasick::AhoCorasick;

use crate::rules::literals::Literals;

/// Substrings covering the anchors, picked on the corpus (the 728 unpacked
/// crates the benchmark reads) by a greedy set cover that trades how often
/// a fingerprint occurs in real text against how many searches are needed.
/// An anchor that contains none of them (a format added later) still
/// works: it becomes its own fingerprint, and a test says to add one here.
const FINGERPRINTS: &[&str] = &[
    "xox", "sk-", "cret", "dp.", "ilio", "ooks", "eyJ", "shp", "_ap", "_KEY", "-KEY", "psca",
    "NRA", "_v1_", "san", "pi-", "sk_", "dckr", "glrt", "WILI", "ailg", "sntr", "glc", "sq0",
    "glp", "glf", "irta", "gls", "dt0", "TT3", "fm1", "NRI", "kta", "Key=", "cio", "scor", "rk_",
    "v1.", "ppl", "fo1_", ":APA", "gho_", "fm2_", "squ_", "hvb.", "ghr_", "ATBB", "ghs_", "ysib",
    "OKTA", "CFPA", "sqa_", "Blbk", "igd_", "bkua", "loas", "1//0", "AKCp", "n$p", "GR13", "nfp_",
    "xai", "whse", "tske", "PX-", "BDC-", "LOJA", "HRKU", "sbp_", "mVm", "gldt", "pul-", "qp_",
    "xapp", "ntn_", "PMAK", "limt", "ghu_", "ubyg", "IRTA", "ghp_", "hvs.", "npm_", "AILG", "AIza",
    "dose", "AKIA", "oy2", "i_or", "glag", "hub_", "SG.", ":AA", "ABIA", "sec1", "EAAA", "ACCA",
    "SANA", "A3-", "SCOR", "dapi", "ASIA", "hf_", "-us",
];

/// The shortest fingerprint: Teddy compares this many leading bytes.
const MIN_FINGERPRINT: usize = 3;

/// How many fingerprints one Teddy searcher holds.
const GROUP: usize = 16;

/// An anchor found through a fingerprint at `offset` in it.
struct Via {
    anchor: u16,
    offset: usize,
}

pub(super) struct AnchorFinder {
    anchors: Vec<&'static [u8]>,
    /// One searcher per group of fingerprints.
    searchers: Vec<Literals>,
    /// By the first byte of a fingerprint found: the anchors whose
    /// fingerprint starts with that byte.
    by_first_byte: Vec<Vec<Via>>,
    /// Anchors too short for a fingerprint, searched for whole.
    short: Option<AhoCorasick>,
    short_anchors: Vec<u16>,
}

impl AnchorFinder {
    pub(super) fn new(anchors: &[&'static str]) -> Self {
        AnchorFinder::build(anchors, true)
    }

    /// [`AnchorFinder::new`]; with `teddy` false, the fingerprints are
    /// searched with the automaton used where Teddy cannot run.
    fn build(anchors: &[&'static str], teddy: bool) -> Self {
        let mut fingerprints: Vec<&[u8]> = Vec::new();
        let mut by_first_byte: Vec<Vec<Via>> = (0..256).map(|_| Vec::new()).collect();
        let mut short = Vec::new();
        let mut short_anchors = Vec::new();
        for (index, anchor) in anchors.iter().enumerate() {
            let index = u16::try_from(index).expect("fewer than 65536 anchors");
            let bytes = anchor.as_bytes();
            if bytes.len() < MIN_FINGERPRINT {
                short.push(bytes);
                short_anchors.push(index);
                continue;
            }
            let (fingerprint, offset) = fingerprint_of(bytes);
            if !fingerprints.contains(&fingerprint) {
                fingerprints.push(fingerprint);
            }
            by_first_byte[usize::from(fingerprint[0])].push(Via {
                anchor: index,
                offset,
            });
        }
        // Four-byte fingerprints together: Teddy compares as many leading
        // bytes as the shortest pattern of a group has, and more bytes mean
        // fewer false candidates (measured: 0.40 s -> 0.36 s on the corpus).
        fingerprints.sort_by_key(|f| std::cmp::Reverse(f.len()));
        let searchers = fingerprints
            .chunks(GROUP)
            .map(|group| {
                let mut config = Config::new();
                config.heuristic_pattern_limits(false);
                // Where Teddy cannot run (no SSSE3, another architecture),
                // an automaton finds the same positions, more slowly.
                if teddy {
                    Literals::with(config, group)
                } else {
                    Literals::automaton(group)
                }
            })
            .collect();
        let short = (!short.is_empty())
            .then(|| AhoCorasick::new(&short).expect("short anchors build an automaton"));
        AnchorFinder {
            anchors: anchors.iter().map(|a| a.as_bytes()).collect(),
            searchers,
            by_first_byte,
            short,
            short_anchors,
        }
    }

    /// Every (position, anchor index) where an anchor occurs in `text`,
    /// sorted: by position, then by anchor index.
    pub(super) fn find(&self, text: &[u8]) -> Vec<(usize, u16)> {
        let mut found = Vec::new();
        for searcher in &self.searchers {
            let mut from = 0;
            while let Some(hit) = searcher.find_from(text, from) {
                let at = hit.start();
                from = at + 1;
                for via in &self.by_first_byte[usize::from(text[at])] {
                    let Some(start) = at.checked_sub(via.offset) else {
                        continue;
                    };
                    if text[start..].starts_with(self.anchors[usize::from(via.anchor)]) {
                        found.push((start, via.anchor));
                    }
                }
            }
        }
        if let Some(short) = &self.short {
            let mut from = 0;
            while let Some(hit) = short.find(aho_corasick::Input::new(text).span(from..text.len()))
            {
                from = hit.start() + 1;
                // Short anchors are few and none is a prefix of another
                // (a test checks): the one found is the only one here.
                found.push((hit.start(), self.short_anchors[hit.pattern().as_usize()]));
            }
        }
        // A position is found once per group whose fingerprint matches
        // there; an anchor is checked from every fingerprint that starts
        // with the byte found, so it may be found more than once.
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// The fingerprint an anchor is found by, and its offset in the anchor:
/// the first of [`FINGERPRINTS`] it contains, or its own first four bytes.
fn fingerprint_of(anchor: &[u8]) -> (&[u8], usize) {
    FINGERPRINTS
        .iter()
        .find_map(|f| {
            let f = f.as_bytes();
            anchor
                .windows(f.len())
                .position(|w| w == f)
                .map(|offset| (f, offset))
        })
        .unwrap_or((&anchor[..anchor.len().min(4)], 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchors() -> Vec<&'static str> {
        super::super::ENGINE.anchors.clone()
    }

    fn naive(anchors: &[&str], text: &[u8]) -> Vec<(usize, u16)> {
        let mut out = Vec::new();
        for at in 0..text.len() {
            for (i, a) in anchors.iter().enumerate() {
                if text[at..].starts_with(a.as_bytes()) {
                    out.push((at, i as u16));
                }
            }
        }
        out
    }

    /// Every anchor, alone, glued to others, overlapping itself and cut
    /// short, is found exactly where a naive search finds it, by Teddy and
    /// by the automaton used where Teddy cannot run.
    #[test]
    fn finds_what_a_naive_search_finds() {
        finds_what_a_naive_search_finds_with(true);
        finds_what_a_naive_search_finds_with(false);
    }

    fn finds_what_a_naive_search_finds_with(teddy: bool) {
        let anchors = anchors();
        let finder = AnchorFinder::build(&anchors, teddy);
        let mut text = String::new();
        for (i, a) in anchors.iter().enumerate() {
            let next = anchors[(i * 7 + 3) % anchors.len()];
            text.push_str(&format!(" {a} x{a}{next}{a}{a} {}\n", &a[..a.len() - 1]));
        }
        // Fingerprints right at the start and end of the text.
        let text = format!("{}{text}{}", anchors[0], anchors[anchors.len() - 1]);
        let found = finder.find(text.as_bytes());
        assert_eq!(found, naive(&anchors, text.as_bytes()), "teddy: {teddy}");
        // Every anchor is found.
        for (i, anchor) in anchors.iter().enumerate() {
            assert!(
                found.iter().any(|&(_, a)| usize::from(a) == i),
                "{}",
                anchor
            );
        }
        // Each anchor as the whole text: shorter than Teddy's block, which
        // then falls back to another search.
        for (i, anchor) in anchors.iter().enumerate() {
            assert!(
                finder.find(anchor.as_bytes()).contains(&(0, i as u16)),
                "{anchor}"
            );
        }
        // And nothing in text that holds only pieces of fingerprints.
        let pieces: String = FINGERPRINTS
            .iter()
            .map(|f| format!("{} ", &f[1..]))
            .collect();
        assert_eq!(
            finder.find(pieces.as_bytes()),
            naive(&anchors, pieces.as_bytes())
        );
    }

    /// The chosen fingerprints cover every anchor (an anchor that needs its
    /// own makes the search slower: add one for it to `FINGERPRINTS`), and
    /// short anchors are not prefixes of each other.
    #[test]
    fn fingerprints_cover_every_anchor() {
        let anchors = anchors();
        for a in &anchors {
            if a.len() >= MIN_FINGERPRINT {
                assert!(
                    FINGERPRINTS.iter().any(|f| a.contains(f)),
                    "anchor {a:?} has no fingerprint"
                );
            }
        }
        let short: Vec<&str> = anchors
            .iter()
            .copied()
            .filter(|a| a.len() < MIN_FINGERPRINT)
            .collect();
        for a in &short {
            assert_eq!(short.iter().filter(|b| b.starts_with(a)).count(), 1);
        }
        assert!(FINGERPRINTS.iter().all(|f| f.len() >= MIN_FINGERPRINT));
    }
}
