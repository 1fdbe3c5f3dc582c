//! Unit tests of the engine's parts.

use super::binary::plausible_in_binary;
use super::disk::{DiskFile, SeenFiles};
use super::*;
use crate::report::Source;
use crate::workspace::Selection;

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
    let package = crate::workspace::unpacked_package(&root.join("Cargo.toml")).unwrap();
    let selection = Selection {
        packages: vec![package],
        skipped: Vec::new(),
        warnings: Vec::new(),
        workspace_root: dir.path().to_owned(),
        root_manifest: dir.path().join("Cargo.toml"),
        members: Vec::new(),
    };
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
    let selection = Selection {
        packages: vec![crate::workspace::unpacked_package(&root.join("Cargo.toml")).unwrap()],
        skipped: Vec::new(),
        warnings: Vec::new(),
        workspace_root: dir.path().to_owned(),
        root_manifest: dir.path().join("Cargo.toml"),
        members: Vec::new(),
    };
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
