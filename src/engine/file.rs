//! One shipped file: read bounded (from disk) or taken from memory (an
//! archive's), judged by its name and first bytes, and, if it is text,
//! every text detector over it.

use std::borrow::Cow;
use std::path::Path;

use super::binary::BinaryStrings;
use super::findings::{allowed_email, place, whole_file, Placed};
use super::strings;
use crate::allow_comments::AllowComments;
use crate::config::Settings;
use crate::diagnostic::{Category, LineIndex, Match};
use crate::read::{
    is_binary, open_checked, open_regular, ReadBuffer, ReadError, BINARY_SNIFF_LEN, HEAD_LEN,
};
use crate::report::NotScannedReason;
use crate::rules::{self, detect, sensitive_files, test_context, FileContext, Rule};

/// The outcome of scanning one file.
pub(super) struct FileOutcome {
    pub(super) placed: Vec<Placed>,
    pub(super) not_scanned: Option<NotScannedReason>,
    pub(super) bytes: u64,
    /// The file's allow comments; looked for in every text file, so that
    /// one that allows nothing is reported too.
    pub(super) allows: Option<AllowComments>,
    /// The scanned text, kept when a finding points into it (an archive's
    /// files have no other copy to show a snippet from).
    pub(super) text: Option<String>,
}

impl FileOutcome {
    /// A file judged by its name and, when given, its first bytes; its
    /// content is scanned only if `not_scanned` is `None`.
    pub(super) fn by_name(
        archive_path: &str,
        head: Option<&[u8]>,
        not_scanned: Option<NotScannedReason>,
        settings: &Settings,
    ) -> Self {
        FileOutcome {
            placed: rules::check_file(archive_path, head)
                .into_iter()
                .chain(settings.custom.check_file(archive_path))
                .chain(in_name(archive_path, settings))
                .map(whole_file)
                .collect(),
            not_scanned,
            bytes: 0,
            allows: None,
            text: None,
        }
    }
}

/// A secret in a file's own name (`keys/ghp_….json`, an archive entry
/// named after a token): a finding on the file, whose path the output
/// boundary masks wherever it is printed.
pub(super) fn in_name(archive_path: &str, settings: &Settings) -> Vec<Match> {
    let file = FileContext {
        archive_path,
        is_manifest: false,
        package: "",
    };
    // Each name of the path on its own (`/` is no boundary to detectors).
    let names = archive_path.replace(['/', '\\'], " ");
    let mut found = detect(&names, file);
    settings.custom.scan(&names, archive_path, &mut found);
    found
        .into_iter()
        .filter(|m| m.rule.category != Category::HomePath)
        .map(|m| {
            let what = m.message.trim_end_matches(" in a packaged file");
            let message = format!("{what} in the file's name");
            Match::whole_file(m.rule, message, m.redacted)
                .help("rename the file (revoke the credential first), or keep it out of the package with `exclude`")
        })
        .collect()
}

/// Scans one file from disk. Only a regular file is read (a FIFO or a
/// device could block or never end), and never more than the size limit
/// plus one byte, whatever its metadata said. `stat` is what the path's
/// metadata said it is (the engine read it for the file's size): a file
/// that is not regular is not opened.
pub(super) fn scan_file(
    path: &Path,
    stat: Stat,
    archive_path: &str,
    package: &str,
    settings: &Settings,
) -> FileOutcome {
    BUFFERS.with_borrow_mut(|buffers| {
        let outcome = scan_file_with(path, stat, archive_path, package, settings, buffers);
        buffers.file.clear();
        buffers.chunk.clear();
        outcome
    })
}

/// What the engine knows of a listed path before opening it.
#[derive(Clone, Copy, Debug)]
pub(super) enum Stat {
    /// Its metadata says a regular file.
    Regular,
    /// Its metadata says another kind of file (a FIFO, a device...).
    NotRegular(&'static str),
    /// Its metadata could not be read: it is looked at again on opening.
    Unknown,
}

/// The buffers a thread reads files into ([`ReadBuffer`]).
#[derive(Default)]
struct Buffers {
    /// A text file whole, or a binary file's first bytes.
    file: ReadBuffer,
    /// The rest of a binary file, a chunk at a time.
    chunk: ReadBuffer,
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::default();
}

fn scan_file_with(
    path: &Path,
    stat: Stat,
    archive_path: &str,
    package: &str,
    settings: &Settings,
    buffers: &mut Buffers,
) -> FileOutcome {
    // A file that cannot be read is still judged by its name.
    match read_sniffing(path, stat, settings.max_file_size, &mut buffers.file) {
        Ok(Sniffed::Whole) => scan_bytes(
            Cow::Borrowed(buffers.file.filled()),
            archive_path,
            package,
            settings,
        ),
        Ok(Sniffed::Binary(mut rest)) => scan_binary(
            buffers.file.filled(),
            rest.as_mut()
                .map(|file| (file as &mut dyn std::io::Read, &mut buffers.chunk)),
            archive_path,
            package,
            settings,
        ),
        Ok(Sniffed::TooLarge) => {
            too_large(Some(head_of(buffers.file.filled())), archive_path, settings)
        }
        Err(err) => FileOutcome::by_name(archive_path, None, Some(err.into()), settings),
    }
}

/// A file larger than the scan limit: judged by its name and first bytes.
pub(super) fn too_large(
    head: Option<&[u8]>,
    archive_path: &str,
    settings: &Settings,
) -> FileOutcome {
    let why = NotScannedReason::TooLarge {
        limit: settings.max_file_size,
    };
    FileOutcome::by_name(archive_path, head, Some(why), settings)
}

/// Scans one file's content, from disk or from an archive: rules on its
/// name and first bytes, then, unless it is binary (in which case `bytes`
/// may be only its first [`HEAD_LEN`] bytes), every text detector.
pub(super) fn scan_bytes(
    bytes: Cow<'_, [u8]>,
    archive_path: &str,
    package: &str,
    settings: &Settings,
) -> FileOutcome {
    if is_binary(&bytes) {
        return scan_binary(&bytes, None, archive_path, package, settings);
    }
    let mut outcome = FileOutcome::by_name(archive_path, Some(&bytes), None, settings);
    outcome.bytes = bytes.len() as u64;
    let text = text_of(bytes);
    outcome.allows = AllowComments::find(
        &text,
        crate::allow_comments::is_markdown(Path::new(archive_path)),
    );
    let file = FileContext {
        archive_path,
        is_manifest: false,
        package,
    };
    let mut matches = detect(&text, file);
    settings.custom.scan(&text, archive_path, &mut matches);
    matches.retain(|m| !allowed_email(settings, &text, m));
    // A file reported as a whole covers what its rule says is in it (a
    // key file: the key inside it is that finding).
    let covered: Vec<&Rule> = outcome
        .placed
        .iter()
        .flat_map(|p| p.found.rule.covers.iter().copied())
        .collect();
    matches.retain(|m| !covered.contains(&m.rule));
    for m in &mut matches {
        sensitive_files::with_exclude_hint(m, archive_path);
    }
    if !matches.is_empty() {
        let index = LineIndex::new(&text);
        let rust = archive_path.ends_with(".rs");
        outcome.placed.extend(matches.into_iter().map(|m| {
            let in_test_item = rust
                && rules::relaxed_in_tests(m.rule)
                && test_context::in_test_item(&text, m.range.start);
            Placed {
                in_test_item,
                ..place(&index, m, None)
            }
        }));
    }
    // Kept for output when something points into it.
    if !outcome.placed.is_empty() || outcome.allows.is_some() {
        outcome.text = Some(text.into_owned());
    }
    outcome
}

/// The text of a file's bytes, invalid UTF-8 replaced. Bytes owned (an
/// archive's file) become the text without a copy, so a text kept for
/// output is never held twice; bytes lent (the thread's read buffer) are
/// copied only if the text is kept. `from_utf8` first: its validation is
/// several times faster than the lossy conversion, which only invalid text
/// needs.
fn text_of(bytes: Cow<'_, [u8]>) -> Cow<'_, str> {
    match bytes {
        Cow::Borrowed(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(bytes),
        },
        Cow::Owned(bytes) => Cow::Owned(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        }),
    }
}

/// How much of a binary file is read at a time.
pub(super) const BINARY_CHUNK: u64 = 64 * 1024;

/// A binary file: judged by its name and first bytes, and its printable
/// strings ([`strings`]) go through the home-path and email rules
/// ([`BinaryStrings`]). `bytes` is the whole file (from an archive) or its
/// first bytes, the rest then streamed from `rest` in chunks through a
/// buffer, so memory stays bounded whatever the file's size; past the size
/// limit it is too large, as a text file would be. The file stays listed as
/// not scanned (`binary`): the other rules do not read it.
pub(super) fn scan_binary(
    bytes: &[u8],
    rest: Option<(&mut dyn std::io::Read, &mut ReadBuffer)>,
    archive_path: &str,
    package: &str,
    settings: &Settings,
) -> FileOutcome {
    if bytes.len() as u64 > settings.max_file_size {
        return too_large(Some(head_of(bytes)), archive_path, settings);
    }
    let mut found = BinaryStrings::new(archive_path, package, settings);
    let mut strings = strings::Strings::new();
    for chunk in bytes.chunks(BINARY_CHUNK as usize) {
        strings.feed(chunk, &mut |run| found.add(run));
    }
    if let Some((file, buffer)) = rest {
        let unreadable = |err: std::io::Error| {
            FileOutcome::by_name(
                archive_path,
                Some(head_of(bytes)),
                Some(NotScannedReason::Unreadable(err.to_string())),
                settings,
            )
        };
        let mut total = bytes.len() as u64;
        loop {
            buffer.clear();
            let ended = match buffer.read_up_to(file, BINARY_CHUNK, BINARY_CHUNK) {
                Ok(ended) => ended,
                Err(err) => return unreadable(err),
            };
            let chunk = buffer.filled();
            total += chunk.len() as u64;
            if total > settings.max_file_size {
                return too_large(Some(head_of(bytes)), archive_path, settings);
            }
            strings.feed(chunk, &mut |run| found.add(run));
            if ended {
                break;
            }
        }
    }
    strings.finish(&mut |run| found.add(run));
    let mut outcome = FileOutcome::by_name(
        archive_path,
        Some(head_of(bytes)),
        Some(NotScannedReason::Binary),
        settings,
    );
    // A key store or a core dump is reported as a file; what is in it is
    // that finding.
    if outcome.placed.is_empty() {
        outcome.placed = found.finish();
    }
    outcome
}

/// [`scan_binary`] of a file whose first bytes are `head` and whose rest
/// `rest` streams (an archive's entry).
pub(super) fn scan_binary_streamed(
    head: &[u8],
    rest: &mut dyn std::io::Read,
    archive_path: &str,
    package: &str,
    settings: &Settings,
) -> FileOutcome {
    BUFFERS.with_borrow_mut(|buffers| {
        let outcome = scan_binary(
            head,
            Some((rest, &mut buffers.chunk)),
            archive_path,
            package,
            settings,
        );
        buffers.chunk.clear();
        outcome
    })
}

/// The first [`HEAD_LEN`] bytes, what the rules on files look at.
pub(super) fn head_of(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len().min(HEAD_LEN as usize)]
}

/// What [`read_sniffing`] read into the buffer.
pub(super) enum Sniffed {
    /// The whole text file.
    Whole,
    /// A binary file: its first [`HEAD_LEN`] bytes or more, and the file
    /// to stream the rest from (`None`: it was read whole).
    Binary(Option<std::fs::File>),
    /// Its first [`HEAD_LEN`] bytes or more: it is larger than the limit.
    TooLarge,
}

/// Reads a file for scanning into `buffer`: whole if it is text; if its
/// first 8 KiB hold a NUL byte it is binary, and only its head is read,
/// the rest left to [`scan_binary`] to stream through (on the corpus,
/// binary files are 210 MB beside 505 MB of text; none is held whole). A
/// file larger than `limit` by its metadata or while reading (a file in
/// `/proc` states 0 bytes) is kept by its head.
pub(super) fn read_sniffing(
    path: &Path,
    stat: Stat,
    limit: u64,
    buffer: &mut ReadBuffer,
) -> Result<Sniffed, ReadError> {
    let (mut file, size) = match stat {
        Stat::Regular => open_checked(path)?,
        Stat::NotRegular(kind) => return Err(ReadError::NotRegular(kind)),
        Stat::Unknown => open_regular(path)?,
    };
    if size > limit {
        buffer.read_up_to(&mut file, HEAD_LEN, size)?;
        return Ok(Sniffed::TooLarge);
    }
    // One read takes a file the size it states, and the next one sees its
    // end.
    let ended = buffer.read_up_to(&mut file, BINARY_SNIFF_LEN as u64, size)?;
    if is_binary(buffer.filled()) {
        if ended {
            return Ok(Sniffed::Binary(None));
        }
        buffer.read_up_to(&mut file, HEAD_LEN, size)?;
        return Ok(Sniffed::Binary(Some(file)));
    }
    if !ended {
        buffer.read_up_to(&mut file, limit.saturating_add(1), size)?;
    }
    if buffer.filled().len() as u64 > limit {
        return Ok(Sniffed::TooLarge);
    }
    Ok(Sniffed::Whole)
}
