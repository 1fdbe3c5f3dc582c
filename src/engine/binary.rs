//! The printable strings of a binary file, through the home-path and email
//! rules.

use std::ops::Range;

use super::findings::{allowed_email, whole_file, Placed};
use super::strings;
use crate::config::Settings;
use crate::diagnostic::{Category, Match, ValueDigest};
use crate::rules::{self, email, Detector, FileContext};

/// The home-path and email rules over the printable strings of a binary
/// file, collected into batches of text (one run a line) so that each rule
/// runs once per batch, not once per string. Token rules are not run:
/// random bytes make runs that look like tokens, and a checksum-less
/// token shape in compiled code is noise far more often than a leak.
pub(super) struct BinaryStrings<'a> {
    pub(super) file: FileContext<'a>,
    pub(super) settings: &'a Settings,
    /// Runs, one a line.
    pub(super) batch: String,
    /// Each run of the batch: where it starts in `batch`, in the file, and
    /// its encoding.
    pub(super) runs: Vec<(usize, u64, strings::Encoding)>,
    pub(super) found: Vec<Placed>,
}

/// How much text a batch holds before the rules run over it.
pub(super) const BATCH_LEN: usize = 256 * 1024;

impl<'a> BinaryStrings<'a> {
    pub(super) fn new(archive_path: &'a str, package: &'a str, settings: &'a Settings) -> Self {
        BinaryStrings {
            file: FileContext {
                archive_path,
                is_manifest: false,
                package,
            },
            settings,
            batch: String::new(),
            runs: Vec::new(),
            found: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, run: strings::Run<'_>) {
        if self.batch.len() + run.text.len() >= BATCH_LEN {
            self.flush();
        }
        self.runs.push((self.batch.len(), run.offset, run.encoding));
        self.batch.push_str(run.text);
        self.batch.push('\n');
    }

    pub(super) fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let mut matches = Vec::new();
        rules::home_paths::HomePathDetector.scan(&self.batch, self.file, &mut matches);
        email::EmailDetector.scan(&self.batch, self.file, &mut matches);
        for m in matches {
            if allowed_email(self.settings, &self.batch, &m) {
                continue;
            }
            // The run the value is in; a match never spans two (a newline
            // ends both an address and a path), but is checked anyway.
            let i = self.runs.partition_point(|r| r.0 <= m.range.start) - 1;
            let (start, offset, encoding) = self.runs[i];
            let end = self.runs.get(i + 1).map_or(self.batch.len(), |r| r.0);
            if m.range.end >= end {
                continue;
            }
            let width = encoding.width();
            let at = offset + (m.range.start - start) as u64 * width;
            let region = at..at + m.range.len() as u64 * width;
            let value = &self.batch[m.range.clone()];
            if m.rule.category == Category::Email && !plausible_in_binary(value) {
                continue;
            }
            self.found.push(in_binary(m, value, region, encoding));
        }
        self.batch.clear();
        self.runs.clear();
    }

    pub(super) fn finish(mut self) -> Vec<Placed> {
        self.flush();
        self.found
    }
}

/// Whether an address found in a binary's strings is written as a person
/// writes one, not spelled by chance: random bytes do spell an address
/// now and then (about one per 20 MB of uniform noise, `k…@h.TF`,
/// `…@38.Mua`). A mailbox of at least two characters, domain labels of at
/// least two, and a domain in one case keep real ones (the OpenSSL assembler credit
/// line in `ring`'s objects) and drop nearly all of chance's.
pub(super) fn plausible_in_binary(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let one_case = !domain.bytes().any(|b| b.is_ascii_uppercase())
        || !domain.bytes().any(|b| b.is_ascii_lowercase());
    local.len() >= 2 && one_case && domain.split('.').all(|label| label.len() >= 2)
}

/// A value found in a binary file's strings: a finding on the file (it has
/// no lines) that names the byte offset, identified by the value itself.
pub(super) fn in_binary(
    m: Match,
    value: &str,
    region: Range<u64>,
    encoding: strings::Encoding,
) -> Placed {
    let what = m.message.trim_end_matches(" in a packaged file").to_owned();
    let encoding = match encoding {
        strings::Encoding::Ascii => "ASCII",
        strings::Encoding::Utf16Le => "UTF-16LE",
    };
    let at = region.start;
    let mut found = Match::whole_file(
        m.rule,
        format!("{what} in a binary file, at byte {at}"),
        m.redacted.clone(),
    );
    found.notes.push(format!(
        "`{}` is in the file's printable strings ({encoding}) at byte offset {at} (0x{at:x})",
        m.redacted
    ));
    found.notes.extend(m.notes);
    found.help = Some(match m.rule.category {
        Category::HomePath => "a build recorded its path: rebuild it with the path remapped \
             (rustc's `--remap-path-prefix`, a C compiler's `-ffile-prefix-map`), or keep the \
             file out of the package with `exclude`"
            .to_owned(),
        _ => "rebuild the file from data without the address, or keep the file out of the \
             package with `exclude`"
            .to_owned(),
    });
    Placed {
        digest: Some(ValueDigest::of(value.as_bytes())),
        byte_region: Some(region),
        ..whole_file(found)
    }
}
