//! Unit tests of the engine's parts.

use super::binary::plausible_in_binary;
use super::disk::{DiskFile, SeenFiles};
use super::*;
use crate::report::Source;
use crate::workspace::Selection;

/// A selection of the one unpacked crate at `root`, in the folder `dir`.
fn unpacked_in(dir: &Path, root: &Path) -> Selection {
    Selection {
        packages: vec![crate::workspace::unpacked_package(&root.join("Cargo.toml")).unwrap()],
        skipped: Vec::new(),
        warnings: Vec::new(),
        workspace_root: dir.to_owned(),
        root_manifest: dir.join("Cargo.toml"),
        members: Vec::new(),
    }
}

/// Addresses random bytes spelled in the corpus-sized noise test are
/// dropped; addresses as people write them are kept.
#[test]
fn chance_addresses_in_binaries_are_not_reported() {
    let at = |local: &str, domain: &str| format!("{local}@{domain}");
    for noise in [
        at("sx", "q.HO"),
        at("ab", "38.Mua"),
        at("k", "hh.tf"),
        at("kq", "M.rl"),
    ] {
        assert!(!plausible_in_binary(&noise), "{noise}");
    }
    for real in [
        at("appro", "openssl.org"),
        at("JDOE", "CORP.EXAMPLE.COM"),
        at("js", "cs.man.ac.uk"),
    ] {
        assert!(plausible_in_binary(&real), "{real}");
    }
}

/// `--crate` kept the text of every file with a finding, for every
/// archive, until the end of the run (8 archives of 1.4 MB: 3.8 GB): a
/// report keeps the lines output shows, at their place in the file.
#[test]
fn a_source_keeps_only_the_lines_it_shows() {
    let text =
        "one\ntwo VALUE two\nthree\nfour\nfive OTHER\nsix\n".to_owned() + &"filler\n".repeat(1000);
    let value = text.find("VALUE").unwrap();
    let other = text.find("OTHER").unwrap();
    let ranges = [value..value + 5, other..other + 5];
    let source = Source::of(&text, ranges.clone());
    let kept: Vec<(usize, &str)> = source
        .excerpts
        .iter()
        .map(|e| (e.first_line, e.text.as_str()))
        .collect();
    assert_eq!(kept, [(2, "two VALUE two"), (5, "five OTHER")]);
    for r in &ranges {
        let excerpt = source.holding(r).unwrap();
        assert_eq!(&excerpt.text[excerpt.local(r).unwrap()], &text[r.clone()]);
    }
    // A value over several lines keeps all of them; lines next to each
    // other are one excerpt.
    let key = text.find("two VALUE").unwrap()..text.find("four").unwrap() + 2;
    let source = Source::of(&text, [key.clone()]);
    assert_eq!(source.excerpts.len(), 1);
    assert_eq!(source.excerpts[0].text, "two VALUE two\nthree\nfour");
    assert!(source.holding(&key).is_some());
    assert!(source.holding(&(0..2)).is_none());
}

/// A file reached through a symlink is the file it links to; a hard
/// link, as for canonical paths, is a file of its own.
#[cfg(unix)]
#[test]
fn a_file_is_taken_once_whatever_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, "a").unwrap();
    std::fs::write(dir.path().join("other.txt"), "a").unwrap();
    std::os::unix::fs::symlink("a.txt", dir.path().join("link.txt")).unwrap();
    std::fs::hard_link(&file, dir.path().join("hard.txt")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let mut seen = SeenFiles::default();
    let mut first = |name: &str| {
        let path = dir.path().join(name);
        let id = DiskFile::of(&path).id;
        seen.first(&path, id)
    };
    assert!(first("a.txt"));
    assert!(!first("a.txt"));
    assert!(!first("link.txt"));
    assert!(!first("sub/../a.txt"));
    assert!(first("hard.txt"));
    assert!(first("other.txt"));
    // Unreadable paths are told apart by their names.
    assert!(first("missing.txt"));
    assert!(!first("missing.txt"));
}

#[test]
fn a_published_crates_two_manifests_are_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo-0.1.0");
    std::fs::create_dir_all(root.join("src")).unwrap();
    // The normalized manifest repeats the original's authors and adds
    // one inherited from a workspace the original only points at.
    std::fs::write(
        root.join("Cargo.toml.orig"),
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nauthors = [\"Jane <jane.doe@gmail.com>\"]\nrepository.workspace = true\n",
    )
    .unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "# generated\n[package]\nname = \"demo\"\nversion = \"0.1.0\"\nauthors = [\"Jane <jane.doe@gmail.com>\"]\ndescription = \"maintained by raj.patel@corp-mail.net\"\n",
    )
    .unwrap();
    std::fs::write(root.join("src/lib.rs"), "// bob.smith@gmail.com\n").unwrap();
    std::fs::write(root.join(".cargo-ok"), "{\"v\":1}").unwrap();
    let selection = unpacked_in(dir.path(), &root);
    let report = check_selection(&selection, &ScanOptions::default()).unwrap();
    let package = &report.packages[0];
    let found: Vec<(&str, &str, usize)> = package
        .findings
        .iter()
        .map(|f| (f.rule.name, f.archive_path.as_str(), f.start.unwrap().line))
        .collect();
    assert_eq!(
        found,
        [
            ("manifest-email", "Cargo.toml", 6),
            ("author-email", "Cargo.toml.orig", 4),
            ("email-address", "src/lib.rs", 1),
        ]
    );
    let listed: Vec<&str> = package
        .files
        .iter()
        .map(|f| f.archive_path.as_str())
        .collect();
    assert_eq!(
        listed,
        ["Cargo.toml", "Cargo.toml.orig", "src/lib.rs"],
        "`.cargo-ok` is cargo's, not the crate's"
    );
}

#[test]
fn an_allow_in_cargo_toml_orig_covers_the_normalized_copy_too() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo-0.1.0");
    std::fs::create_dir_all(root.join("src")).unwrap();
    let marker = crate::allow_comments::MARKER;
    let email = ["jane.doe", "gmail.com"].join("@");
    // cargo drops comments from the normalized manifest.
    std::fs::write(
        root.join("Cargo.toml.orig"),
        format!("[package]\nname = \"demo\"\nversion = \"0.1.0\"\n# {marker}(author-email)\nauthors = [\"Jane <{email}>\"]\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nauthors = [\"Jane <{email}>\"]\n"
        ),
    )
    .unwrap();
    std::fs::write(root.join("src/lib.rs"), "").unwrap();
    let selection = unpacked_in(dir.path(), &root);
    let report = check_selection(&selection, &ScanOptions::default()).unwrap();
    let package = &report.packages[0];
    assert!(package.findings.is_empty(), "{:?}", package.findings);
    assert!(package.allow_problems.is_empty());
    let allowed: Vec<(&str, &str, usize)> = package
        .allowed
        .iter()
        .map(|a| {
            let f = &a.finding;
            (f.rule.name, f.archive_path.as_str(), f.start.unwrap().line)
        })
        .collect();
    assert_eq!(allowed, [("author-email", "Cargo.toml.orig", 5)]);
}

/// A `.crate` of `files` (`name-version/path`, content), built with the
/// `tar` crate.
fn crate_file(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    use std::io::Write;
    let mut builder = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, path, data.as_bytes())
            .unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&builder.into_inner().unwrap()).unwrap();
    let path = dir.join("x.crate");
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    path
}

/// What a report says, in order: rule, file, line; and what was not scanned.
fn said(report: &PackageReport) -> (Vec<(String, String, usize)>, Vec<String>) {
    let findings = report
        .findings
        .iter()
        .map(|f| {
            let line = f.start.map_or(0, |s| s.line);
            (f.rule.name.to_owned(), f.archive_path.clone(), line)
        })
        .collect();
    let not_scanned = report
        .not_scanned
        .iter()
        .map(|n| n.path.display().to_string())
        .collect();
    (findings, not_scanned)
}

/// `--crate` scans each file as it is decompressed, with the package name
/// read from the archive's folder; it reports what checking the archive
/// read whole reports, files in the same order, for a name the folder
/// gives (`foo-2d`, a prerelease version) and for one it cannot (a dot in
/// the name: the archive is then read again whole).
#[test]
fn a_streamed_archive_reports_what_the_whole_archive_reports() {
    let home = ["/ho", "me/mkowalski/work"].concat();
    let at = ["jdoe", "@", "gmail.com"].concat();
    let options = ScanOptions::default();
    for (name, version) in [("foo-2d", "1.0.0-rc-1"), ("a.b", "1.0.0")] {
        let dir = tempfile::tempdir().unwrap();
        let prefix = format!("{name}-{version}");
        let manifest = format!("[package]\nname = \"{name}\"\nversion = \"{version}\"\n");
        let big = format!("x\n{}\n", "filler line\n".repeat(500)) + &format!("see {home}\n");
        let files = [
            (
                format!("{prefix}/src/lib.rs"),
                format!("// {home}/lib.rs\n"),
            ),
            (format!("{prefix}/Cargo.toml"), manifest),
            (format!("{prefix}/README.md"), format!("mail {at}\n")),
            (format!("{prefix}/big.txt"), big),
            (format!("{prefix}/id_rsa"), "not a key\n".to_owned()),
        ];
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (&**p, &**t)).collect();
        let path = crate_file(dir.path(), &files);
        let limits = archive::Limits::default();
        let streamed = check_archive_file(&path, dir.path(), &limits, &options).unwrap();
        let whole = check_archive(archive::read(&path, dir.path(), &limits).unwrap(), &options);
        let (found, _) = said(&streamed);
        let rules: HashSet<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert!(rules.contains("home-folder-path"), "{name}: {found:?}");
        assert!(rules.contains("private-key-file"), "{name}: {found:?}");
        assert!(
            found.iter().any(|f| f.1 == "big.txt" && f.2 == 503),
            "{found:?}"
        );
        assert_eq!(said(&streamed), said(&whole), "{name}");
        assert_eq!(streamed.files_scanned, whole.files_scanned);
        assert_eq!(streamed.bytes_scanned, whole.bytes_scanned);
        assert_eq!(streamed.files.len(), 5);
    }
    assert_eq!(name_in_folder("foo-2d-1.0.0-rc-1"), "foo-2d");
    assert_eq!(name_in_folder("serde-1.0.228"), "serde");
}

/// `--crate` kept a binary file's first 64 KiB only: a build path at byte
/// 67,477 of ring's `pregenerated/*.o` was not reported (found by reading
/// the corpus). The rest of a binary file is now streamed from the archive
/// through the printable-strings scan, as a file on disk is.
#[test]
fn a_string_past_the_first_64_kib_of_a_binary_file_in_an_archive_is_found() {
    let home = ["/ho", "me/mkowalski/build"].concat();
    let dir = tempfile::tempdir().unwrap();
    let object = format!("\0ELF{}\0{home}/chacha.o\0", "\u{1}".repeat(100 * 1024));
    let files = [
        (
            "obj-1.0.0/Cargo.toml",
            "[package]\nname = \"obj\"\nversion = \"1.0.0\"\n",
        ),
        ("obj-1.0.0/src/lib.rs", ""),
        ("obj-1.0.0/pregenerated/chacha.o", object.as_str()),
    ];
    let path = crate_file(dir.path(), &files);
    let limits = archive::Limits::default();
    let report = check_archive_file(&path, dir.path(), &limits, &ScanOptions::default()).unwrap();
    let found: Vec<(&str, &str, Option<u64>)> = report
        .findings
        .iter()
        .map(|f| {
            let at = f.byte_region.as_ref().map(|r| r.start);
            (f.rule.name, f.archive_path.as_str(), at)
        })
        .collect();
    // The user name, which the finding covers.
    let offset = object.find("mkowalski").unwrap() as u64;
    assert!(offset > 64 * 1024);
    assert_eq!(
        found,
        [("home-folder-path", "pregenerated/chacha.o", Some(offset))]
    );
}

// Hostile reads against the per-thread buffer and the stat taken at listing
// (issue 15's reading changes), each through `file::scan_file` as the
// engine calls it.

/// Scans `path` on this thread as the engine does, with `limit`.
fn scan_on_disk(path: &Path, stat: file::Stat, limit: u64) -> file::FileOutcome {
    let settings = Settings::new(Levels::default(), limit);
    let name = path.file_name().unwrap().to_str().unwrap();
    file::scan_file(path, stat, name, "demo", &settings)
}

/// Rule and byte region (binary) or text of each finding.
fn placed(outcome: &file::FileOutcome) -> Vec<(&'static str, Option<std::ops::Range<u64>>)> {
    outcome
        .placed
        .iter()
        .map(|p| (p.found.rule.name, p.byte_region.clone()))
        .collect()
}

/// The read buffer is reused from file to file on a thread and never
/// zeroed: a short file scanned right after a long one whose tail holds a
/// home path and an address must report nothing, count its own bytes only
/// and keep only its own text, for text and for binary files.
#[test]
fn a_short_file_after_a_long_one_sees_none_of_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let home = ["/ho", "me/mkowalski/work/"].concat();
    let at = ["mkowalski", "@", "gmail.com"].concat();
    let tail = format!(" {home} {at}\n");
    let long_text = format!("{}{tail}", "x".repeat(300_000));
    let mut long_binary = vec![0u8; 200_000];
    long_binary.extend_from_slice(tail.as_bytes());
    let cases: [(&str, Vec<u8>, &str, &[u8]); 2] = [
        ("long.txt", long_text.into_bytes(), "short.txt", b"ok\n"),
        ("long.bin", long_binary, "short.bin", b"\0ok"),
    ];
    for (long, long_bytes, short, short_bytes) in cases {
        std::fs::write(dir.path().join(long), &long_bytes).unwrap();
        std::fs::write(dir.path().join(short), short_bytes).unwrap();
        let first = scan_on_disk(&dir.path().join(long), file::Stat::Regular, 1 << 20);
        let mut rules: Vec<_> = placed(&first).into_iter().map(|(r, _)| r).collect();
        rules.sort_unstable();
        assert_eq!(rules, ["email-address", "home-folder-path"], "{long}");
        let second = scan_on_disk(&dir.path().join(short), file::Stat::Regular, 1 << 20);
        assert!(second.placed.is_empty(), "{short}: {:?}", placed(&second));
        assert!(second.text.is_none(), "{short}");
    }
    // A short text with a finding keeps exactly its own text.
    let own = format!("{home}\n");
    std::fs::write(dir.path().join("own.txt"), &own).unwrap();
    let outcome = scan_on_disk(&dir.path().join("own.txt"), file::Stat::Regular, 1 << 20);
    assert_eq!(outcome.bytes, own.len() as u64);
    assert_eq!(outcome.text.as_deref(), Some(own.as_str()));
}

/// The engine stats each listed path once and does not look again before
/// opening it: a path listed as a regular file that is now a FIFO, a
/// folder or a device must be refused from the opened file's own type,
/// without blocking (a FIFO with no writer), and a file in `/proc` that
/// states 0 bytes is read only to the limit.
#[cfg(target_os = "linux")]
#[test]
fn a_path_listed_as_regular_and_now_something_else_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (send, receive) = std::sync::mpsc::channel();
    let folder = dir.path().to_path_buf();
    std::thread::spawn(move || {
        let why = |path: &Path| {
            scan_on_disk(path, file::Stat::Regular, 1 << 20)
                .not_scanned
                .unwrap()
        };
        let _ = send.send([
            why(&fifo),
            why(&folder),
            why(Path::new("/dev/zero")),
            why(Path::new("/proc/self/pagemap")),
        ]);
    });
    let reasons = receive
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the scan returned (a FIFO opened blocking never does)");
    assert_eq!(
        reasons,
        [
            NotScannedReason::NotRegular("FIFO"),
            NotScannedReason::NotRegular("folder"),
            NotScannedReason::NotRegular("character device"),
            NotScannedReason::TooLarge { limit: 1 << 20 },
        ]
    );
}

/// A file of exactly the size limit is scanned, whole, with a value in its
/// last bytes; one byte more is too large, text or binary, and so is a
/// file in `/proc` that states 0 bytes but holds more than the limit.
#[test]
fn a_file_at_the_limit_is_scanned_and_one_byte_more_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let limit = 100;
    let home = ["/ho", "me/mkowalski/"].concat();
    for (name, first) in [("t.txt", b' '), ("b.bin", 0u8)] {
        let path = dir.path().join(name);
        let mut bytes = vec![first];
        bytes.resize(limit as usize - home.len(), b' ');
        bytes.extend_from_slice(home.as_bytes());
        assert_eq!(bytes.len() as u64, limit);
        std::fs::write(&path, &bytes).unwrap();
        let outcome = scan_on_disk(&path, file::Stat::Regular, limit);
        let rules: Vec<_> = placed(&outcome).into_iter().map(|(r, _)| r).collect();
        assert_eq!(rules, ["home-folder-path"], "{name}");
        bytes.push(b' ');
        std::fs::write(&path, &bytes).unwrap();
        let outcome = scan_on_disk(&path, file::Stat::Regular, limit);
        assert_eq!(
            outcome.not_scanned,
            Some(NotScannedReason::TooLarge { limit }),
            "{name}"
        );
        assert!(outcome.placed.is_empty(), "{name}");
    }
    #[cfg(target_os = "linux")]
    {
        let outcome = scan_on_disk(Path::new("/proc/self/status"), file::Stat::Regular, limit);
        assert_eq!(
            outcome.not_scanned,
            Some(NotScannedReason::TooLarge { limit })
        );
    }
}

/// A binary file's head is read into the file buffer and its rest
/// streamed in 64 KiB chunks through another: a UTF-16LE home path at an
/// odd offset across the end of the first 64 KiB, and an address ending
/// at the file's last byte past the second, are found at their places
/// (a home path's region is its user name).
#[test]
fn binary_values_across_the_head_and_at_the_last_byte_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let home = ["/ho", "me/mkowalski/"].concat();
    let at = ["mkowalski", "@", "gmail.com"].concat();
    let wide: Vec<u8> = home.bytes().flat_map(|b| [b, 0]).collect();
    let mut bytes = vec![1u8; 2 * 65536 + 1 - at.len()];
    bytes[0] = 0;
    let wide_at = 65536 - 7;
    bytes[wide_at - 1] = 0;
    bytes[wide_at..wide_at + wide.len()].copy_from_slice(&wide);
    bytes.extend_from_slice(at.as_bytes());
    let path = dir.path().join("x.bin");
    std::fs::write(&path, &bytes).unwrap();
    let outcome = scan_on_disk(&path, file::Stat::Regular, 1 << 20);
    let end = bytes.len() as u64;
    let name = wide_at as u64 + 2 * "/home/".len() as u64;
    assert_eq!(
        placed(&outcome),
        [
            (
                "home-folder-path",
                Some(name..name + 2 * "mkowalski".len() as u64)
            ),
            ("email-address", Some(end - at.len() as u64..end)),
        ]
    );
}
