//! `--crate`: published `.crate` archives checked in memory.
//!
//! Archives are built here, at run time, in a temporary folder: good ones,
//! hostile ones (written with raw tar headers, since the `tar` crate's
//! builder refuses most bad names), and one made by a real `cargo package`
//! (offline), whose findings must be those of its source package.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use snapbox::file;

mod common;
use common::{count, findings, git, run_json, snap, write_bytes};

const REGULAR: u8 = b'0';

/// One raw tar entry.
struct Entry {
    name: Vec<u8>,
    kind: u8,
    data: Vec<u8>,
    /// The size the header claims, when it is not the data's.
    claimed: Option<u64>,
}

fn file(name: &str, data: impl Into<Vec<u8>>) -> Entry {
    Entry {
        name: name.as_bytes().to_vec(),
        kind: REGULAR,
        data: data.into(),
        claimed: None,
    }
}

fn special(name: &str, kind: u8) -> Entry {
    Entry {
        kind,
        ..file(name, "")
    }
}

/// A ustar header, written field by field, whatever the name.
fn header(entry: &Entry) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..entry.name.len()].copy_from_slice(&entry.name);
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    let size = entry.claimed.unwrap_or(entry.data.len() as u64);
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[148..156].copy_from_slice(b"        ");
    h[156] = entry.kind;
    if matches!(entry.kind, b'1' | b'2') {
        h[157..168].copy_from_slice(b"../../../..");
    }
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

fn tar(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in entries {
        out.extend_from_slice(&header(entry));
        out.extend_from_slice(&entry.data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.extend_from_slice(&[0; 1024]);
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Addresses and a credential, assembled so that no literal in this file
/// looks like one.
fn jane() -> String {
    format!("jane.doe{}gmail.com", '@')
}

fn raj() -> String {
    format!("raj.patel{}corp-mail.net", '@')
}

fn secret() -> String {
    ["Zr8nQ2vLx7", "Wq9zR4tP2m", "Kd5"].concat()
}

/// A published crate: both manifests share the author (one finding, in
/// `Cargo.toml.orig`); the normalized one alone has a description address.
fn good_entries(prefix: &str) -> Vec<Entry> {
    let (name, version) = prefix.rsplit_once('-').unwrap();
    let orig = format!(
        "[package]\nname = \"{name}\"\nversion = \"{version}\"\nauthors = [\"Jane <{}>\"]\n",
        jane()
    );
    let normalized = format!(
        "# generated\n[package]\nname = \"{name}\"\nversion = \"{version}\"\nauthors = [\"Jane <{}>\"]\ndescription = \"ask {}\"\n",
        jane(),
        raj()
    );
    let home = format!("/home/{}/notes", "mkowalski");
    vec![
        file(&format!("{prefix}/Cargo.toml.orig"), orig),
        file(&format!("{prefix}/Cargo.toml"), normalized),
        file(
            &format!("{prefix}/src/lib.rs"),
            format!("//! demo\n// see {home}\n"),
        ),
        file(
            &format!("{prefix}/.env"),
            format!("SESSION_SECRET={}\n", secret()),
        ),
        file(
            &format!("{prefix}/assets/logo.png"),
            b"\x89PNG\0\0\0\rIHDR".to_vec(),
        ),
    ]
}

/// (rule, path, path inside, line) of each finding.
fn located(lines: &[serde_json::Value]) -> Vec<Vec<String>> {
    findings(lines, &["rule", "path", "archive_path", "line"])
}

/// The expected findings of `demo-0.1.0`: (rule, path inside, line).
fn in_demo(expected: &[(&str, &str, Option<u64>)]) -> Vec<Vec<String>> {
    expected
        .iter()
        .map(|(rule, inside, line)| {
            vec![
                rule.to_string(),
                format!("demo-0.1.0/{inside}"),
                inside.to_string(),
                line.map_or("-".to_owned(), |l| l.to_string()),
            ]
        })
        .collect()
}

#[test]
fn an_archive_is_checked_in_memory_and_located_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    write_bytes(
        dir.path(),
        "demo-0.1.0.crate",
        &gzip(&tar(&good_entries("demo-0.1.0"))),
    );
    let (code, lines, stderr) = run_json(dir.path(), &["--crate", "demo-0.1.0.crate"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        located(&lines),
        in_demo(&[
            ("env-file", ".env", None),
            ("credential-assignment", ".env", Some(1)),
            ("manifest-email", "Cargo.toml", Some(6)),
            ("author-email", "Cargo.toml.orig", Some(4)),
            ("home-folder-path", "src/lib.rs", Some(2)),
        ])
    );
    let first = &lines[0];
    assert_eq!(first["package"], "demo");
    assert_eq!(first["manifest_path"], "demo-0.1.0/Cargo.toml");
    // Nothing to edit in a published archive: the fix is a help.
    assert!(lines
        .iter()
        .all(|l| l["reason"] != "finding" || l["fix"].is_null()));
    let summary = lines.last().unwrap();
    assert_eq!(summary["reason"], "summary");
    assert_eq!(summary["packages"], 1);
    assert_eq!(summary["files_scanned"], 4);
    assert_eq!(
        summary["not_scanned"],
        serde_json::json!([{"path": "demo-0.1.0/assets/logo.png", "why": "binary"}])
    );
    assert_eq!(summary["success"], false);
    // No file was unpacked next to the archive.
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(left.len(), 1);
}

/// Each hostile or broken archive, and the message its error must carry.
/// A PAX extended header entry (`x`) holding `key=value` records.
fn pax(records: &[(&str, &str)]) -> Entry {
    let mut data = Vec::new();
    for (key, value) in records {
        let body = format!(" {key}={value}\n");
        // The length counts its own digits.
        let mut len = body.len() + 1;
        while format!("{len}").len() + body.len() != len {
            len += 1;
        }
        data.extend_from_slice(format!("{len}{body}").as_bytes());
    }
    Entry {
        kind: b'x',
        ..file("PaxHeaders/x", data)
    }
}

/// A GNU sparse entry (`S`) whose header's `realsize` is not a number.
fn bad_gnu_sparse(name: &str) -> Vec<u8> {
    let mut h = header(&special(name, b'S'));
    h[257..265].copy_from_slice(b"ustar  \0");
    h[483..495].copy_from_slice(b"zzzzzzzzzzz\0");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h.to_vec()
}

fn hostile() -> Vec<(&'static str, Vec<u8>, String)> {
    let p = "demo-0.1.0";
    let with = |extra: Entry| {
        let mut entries = good_entries(p);
        entries.insert(2, extra);
        gzip(&tar(&entries))
    };
    let good = gzip(&tar(&good_entries(p)));
    let mut bad_checksum = tar(&good_entries(p));
    bad_checksum[1024 + 150] ^= 1; // a later header's checksum field
    let mut cut_entry = tar(&good_entries(p)[..3]);
    cut_entry.truncate(512 * 5 + 20); // inside the third file's data
    let mut bad_crc = good.clone();
    let at = bad_crc.len() - 6;
    bad_crc[at] ^= 0xff;
    let mut not_utf8 = file(&format!("{p}/x"), "");
    not_utf8.name.push(0xff);
    let mut huge = file(&format!("{p}/big.bin"), "");
    huge.claimed = Some(600 * 1024 * 1024);
    let mut renamed = good_entries("other-0.2.0");
    renamed[0].name = format!("{p}/Cargo.toml.orig").into_bytes();
    renamed[1].name = format!("{p}/Cargo.toml").into_bytes();
    renamed.truncate(2);
    let parent = format!("{p}/../../evil.txt");
    let mut pax_sparse = good_entries(p);
    pax_sparse.insert(
        2,
        pax(&[("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0")]),
    );
    pax_sparse.insert(3, file(&format!("{p}/GNUSparseFile.0/data.txt"), "x"));
    let mut bad_sparse = tar(&good_entries(p)[..2]);
    bad_sparse.truncate(bad_sparse.len() - 1024);
    bad_sparse.extend_from_slice(&bad_gnu_sparse(&format!("{p}/holes.bin")));
    bad_sparse.extend_from_slice(&[0; 1024]);
    let mut trailing_tar = tar(&good_entries(p));
    trailing_tar.extend_from_slice(b"hidden after the end\n");
    let mut second_member = gzip(&tar(&good_entries(p)));
    second_member.extend_from_slice(&gzip(b"hidden in a second member\n"));
    let mut big_manifest = file(&format!("{p}/Cargo.toml"), "");
    big_manifest.claimed = Some(11 << 20);
    let windows = format!("{p}/..\\..\\evil.txt");
    vec![
        (
            "dotdot",
            with(file(&parent, "x")),
            format!("entry `{parent}` has a `..` component"),
        ),
        (
            "backslashes",
            with(file(&windows, "x")),
            format!("entry `{}` has a `..` component", windows.escape_debug()),
        ),
        (
            "drive",
            with(file("C:/evil", "x")),
            "entry `C:/evil` has an absolute path".into(),
        ),
        (
            "absolute",
            with(file("/etc/evil", "x")),
            "entry `/etc/evil` has an absolute path".into(),
        ),
        (
            "symlink",
            with(special(&format!("{p}/link"), b'2')),
            format!("entry `{p}/link` is a symbolic link"),
        ),
        (
            "hardlink",
            with(special(&format!("{p}/hard"), b'1')),
            format!("entry `{p}/hard` is a hard link"),
        ),
        (
            "chardev",
            with(special(&format!("{p}/tty"), b'3')),
            format!("entry `{p}/tty` is a character device"),
        ),
        (
            "blockdev",
            with(special(&format!("{p}/sda"), b'4')),
            format!("entry `{p}/sda` is a block device"),
        ),
        (
            "fifo",
            with(special(&format!("{p}/pipe"), b'6')),
            format!("entry `{p}/pipe` is a fifo"),
        ),
        (
            "outside",
            with(file("other-9.9.9/x.txt", "x")),
            format!("entry `other-9.9.9/x.txt` is outside the package folder `{p}/`"),
        ),
        (
            "toplevel",
            gzip(&tar(&[file("README", "x")])),
            "entry `README` is not inside a `name-version/` folder".into(),
        ),
        (
            "duplicate",
            with(file(&format!("{p}/src/lib.rs"), "x")),
            format!("entry `{p}/src/lib.rs` appears twice"),
        ),
        (
            "dotpath",
            with(file(&format!("{p}/./x"), "x")),
            format!("entry `{p}/./x` has an empty or `.` path component"),
        ),
        (
            "notutf8",
            with(not_utf8),
            format!("entry `{p}/x\u{fffd}` has a name that is not UTF-8"),
        ),
        ("bomb", with(huge), "it unpacks to more than 512 MiB".into()),
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            "the archive is truncated or corrupt".into(),
        ),
        (
            "badcrc",
            bad_crc,
            "the archive is truncated or corrupt".into(),
        ),
        (
            "badheader",
            gzip(&bad_checksum),
            "the archive is truncated or corrupt: archive header checksum mismatch".into(),
        ),
        (
            "cutentry",
            gzip(&cut_entry),
            "the archive is truncated or corrupt".into(),
        ),
        (
            "notgzip",
            tar(&good_entries(p)),
            "not a .crate archive: it is not gzip-compressed".into(),
        ),
        (
            "empty",
            gzip(&tar(&[])),
            "the archive holds no files".into(),
        ),
        (
            "nomanifest",
            gzip(&tar(&good_entries(p)[2..])),
            format!("the archive has no `{p}/Cargo.toml`"),
        ),
        (
            "renamed",
            gzip(&tar(&renamed)),
            format!("its folder `{p}` is not its manifest's package (`other` v0.2.0)"),
        ),
        (
            "paxsparse",
            gzip(&tar(&pax_sparse)),
            format!(
                "entry `{p}/GNUSparseFile.0/data.txt` is a sparse file (PAX `GNU.sparse` format)"
            ),
        ),
        (
            "sparsename",
            with(file(&format!("{p}/GNUSparseFile.1/x"), "x")),
            format!("entry `{p}/GNUSparseFile.1/x` is a sparse file"),
        ),
        (
            "badsparse",
            gzip(&bad_sparse),
            "an entry is a sparse file with a malformed sparse header (".into(),
        ),
        (
            "origfolder",
            with(special(&format!("{p}/Cargo.toml.orig/"), b'5')),
            format!("`{p}/Cargo.toml.orig/` is a folder; a .crate's manifests are files"),
        ),
        (
            "manifestfolder",
            gzip(&tar(&[
                special(&format!("{p}/Cargo.toml/"), b'5'),
                file(&format!("{p}/src/lib.rs"), "x"),
            ])),
            format!("`{p}/Cargo.toml/` is a folder; a .crate's manifests are files"),
        ),
        (
            "trailingtar",
            gzip(&trailing_tar),
            "data follows the end of the tar archive".into(),
        ),
        (
            "secondgzip",
            second_member,
            "data follows the gzip stream (a second gzip member?)".into(),
        ),
        (
            "workspaceonly",
            gzip(&tar(&[file(
                &format!("{p}/Cargo.toml"),
                "[workspace]\nmembers = [\"x\"]\n",
            )])),
            format!("`{p}/Cargo.toml` has no `[package]` table"),
        ),
        (
            "deepkey",
            gzip(&tar(&[file(
                &format!("{p}/Cargo.toml"),
                format!("{} = 1\n", vec!["a"; 5000].join(".")),
            )])),
            "failed to parse manifest".into(),
        ),
        (
            "bigmanifest",
            gzip(&tar(&[big_manifest])),
            format!("`{p}/Cargo.toml` is larger than the 10 MiB limit for a manifest"),
        ),
        (
            "badtoml",
            gzip(&tar(&[file(
                &format!("{p}/Cargo.toml"),
                "[package\nname = 1\n",
            )])),
            "failed to parse manifest".into(),
        ),
    ]
}

#[test]
fn every_hostile_archive_is_an_error_of_its_own_and_the_others_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let cases = hostile();
    for (name, bytes, _) in &cases {
        write_bytes(dir.path(), &format!("crates/{name}.crate"), bytes);
    }
    write_bytes(
        dir.path(),
        "crates/demo-0.1.0.crate",
        &gzip(&tar(&good_entries("demo-0.1.0"))),
    );
    // Not an archive, by its name: a folder means its `*.crate` files.
    write_bytes(dir.path(), "crates/notes.txt", b"x");
    let (code, lines, stderr) = run_json(dir.path(), &["--crate", "crates", "missing.crate"]);
    assert_eq!(code, 2, "{stderr}");
    for (name, _, message) in &cases {
        let expected = format!("error: cannot check `crates/{name}.crate`: {message}");
        assert!(
            stderr.contains(&expected),
            "{name}: expected `{expected}` in:\n{stderr}"
        );
    }
    assert!(stderr.contains("error: cannot check `missing.crate`: cannot read it:"));
    assert!(stderr.contains("--> demo-0.1.0/Cargo.toml:1:9"), "{stderr}");
    // A 5,000-level dotted key said only "failed to parse manifest".
    assert!(
        stderr.contains("keys, tables or values nested too deeply (toml_edit's recursion limit)"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!(
        "error: could not check {} of {} archives",
        cases.len() + 1,
        cases.len() + 2
    )));
    // The good archive is still checked and reported.
    assert_eq!(findings(&lines, &["rule"]).len(), 5);
    let summary = lines.last().unwrap();
    assert_eq!(summary["packages"], 1);
    assert_eq!(summary["success"], false);
    // Nothing was unpacked, anywhere near.
    assert!(!dir.path().join("evil.txt").exists());
    assert!(!dir.path().join("demo-0.1.0").exists());
}

#[test]
fn human_output_shows_archive_snippets_from_memory() {
    let dir = tempfile::tempdir().unwrap();
    write_bytes(
        dir.path(),
        "demo-0.1.0.crate",
        &gzip(&tar(&good_entries("demo-0.1.0"))),
    );
    write_bytes(
        dir.path(),
        "evil-0.1.0.crate",
        &gzip(&tar(&[file("evil-0.1.0/../x", "x")])),
    );
    // A decoy on disk where the archive's path would point: never read.
    write_bytes(
        dir.path(),
        "demo-0.1.0/Cargo.toml.orig",
        b"decoy\ndecoy\ndecoy\ndecoy\n",
    );
    snap(dir.path())
        .args(["--crate", "demo-0.1.0.crate", "evil-0.1.0.crate"])
        .assert()
        .code(2)
        .stdout_eq("")
        .stderr_eq(file!["snapshots/archives.human.stderr"]);
}

#[test]
fn crate_conflicts_with_package_selection() {
    for other in [
        &["--manifest-path", "Cargo.toml"][..],
        &["-p", "demo"],
        &["--workspace"],
        &["--list"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
            .args(["--crate", "a.crate"])
            .args(other)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{other:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("cannot be used with"),
            "{other:?}: {stderr}"
        );
    }
}

/// A package with findings in its manifest, its code and a hidden file
/// (committed, so `cargo package` ships it).
fn source_package(root: &Path) -> PathBuf {
    let pkg = root.join("pkg");
    let manifest = format!(
        "[package]\nname = \"pkg\"\nversion = \"0.3.1\"\nedition = \"2021\"\nauthors = [\"Jane <{}>\"]\ndescription = \"ask {}\"\nlicense = \"MIT\"\n",
        jane(),
        raj()
    );
    write_bytes(&pkg, "Cargo.toml", manifest.as_bytes());
    write_bytes(
        &pkg,
        "src/lib.rs",
        format!("//! pkg\n// built in /home/{}/pkg\n", "mkowalski").as_bytes(),
    );
    write_bytes(&pkg, ".env", format!("API_TOKEN={}\n", secret()).as_bytes());
    write_bytes(&pkg, "data/blob.bin", b"\0\x01\x02binary");
    git(&pkg, &["init", "-q"]);
    git(&pkg, &["add", "-A"]);
    git(&pkg, &["commit", "-q", "-m", "pkg"]);
    pkg
}

#[test]
fn an_archive_from_cargo_package_has_the_findings_of_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = source_package(dir.path());
    let target = dir.path().join("target");
    let status = Command::new(env!("CARGO"))
        .args([
            "package",
            "--offline",
            "--allow-dirty",
            "--no-verify",
            "--quiet",
        ])
        .arg("--target-dir")
        .arg(&target)
        .current_dir(&pkg)
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .unwrap();
    assert!(status.success());
    let archive = target.join("package/pkg-0.3.1.crate");
    assert!(archive.is_file());

    let key = |l: &serde_json::Value| {
        (
            l["rule"].as_str().unwrap().to_owned(),
            l["archive_path"].as_str().unwrap().to_owned(),
            l["line"].as_u64(),
            l["column"].as_u64(),
            l["level"].as_str().unwrap().to_owned(),
            l["redacted"].as_str().unwrap().to_owned(),
            l["fingerprint"].as_str().unwrap().to_owned(),
        )
    };
    let (source_code, source, _) = run_json(&pkg, &[]);
    let (archive_code, packed, stderr) =
        run_json(dir.path(), &["--crate", archive.to_str().unwrap()]);
    assert_eq!(archive_code, source_code, "{stderr}");
    let of = |lines: &[serde_json::Value]| -> Vec<_> {
        lines
            .iter()
            .filter(|l| l["reason"] == "finding")
            .map(key)
            .collect()
    };
    let expected = of(&source);
    assert!(expected.len() >= 5, "{expected:?}");
    assert_eq!(of(&packed), expected);
    // Located inside the archive.
    for line in packed.iter().filter(|l| l["reason"] == "finding") {
        let path = line["path"].as_str().unwrap();
        assert_eq!(
            path,
            format!("pkg-0.3.1/{}", line["archive_path"].as_str().unwrap())
        );
    }
    let not_scanned = &packed.last().unwrap()["not_scanned"];
    assert_eq!(
        not_scanned,
        &serde_json::json!([{"path": "pkg-0.3.1/data/blob.bin", "why": "binary"}])
    );
}

#[test]
fn allow_comments_inside_an_archive_apply_as_in_the_source() {
    let marker = concat!("privacy-check", ":allow");
    let mut entries = good_entries("demo-0.1.0");
    // The author's address allowed in `Cargo.toml.orig` (the normalized
    // manifest has no comments), the home path allowed on the line before
    // it, and one allow that allows nothing.
    let orig = String::from_utf8(entries[0].data.clone())
        .unwrap()
        .replace("authors =", &format!("# {marker}(author-email)\nauthors ="));
    entries[0].data = orig.into_bytes();
    let home = format!("/home/{}/notes", "mkowalski");
    entries[2].data =
        format!("//! demo\n// {marker}(home-path)\n// see {home}\n// {marker}(payment-card)\n")
            .into_bytes();
    let dir = tempfile::tempdir().unwrap();
    write_bytes(dir.path(), "demo-0.1.0.crate", &gzip(&tar(&entries)));
    let (code, lines, stderr) = run_json(dir.path(), &["--crate", "demo-0.1.0.crate"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        located(&lines),
        in_demo(&[
            ("env-file", ".env", None),
            ("credential-assignment", ".env", Some(1)),
            ("manifest-email", "Cargo.toml", Some(6)),
        ])
    );
    let allowed: Vec<(&str, &str)> = lines
        .iter()
        .filter(|l| l["reason"] == "allowed")
        .map(|l| (l["rule"].as_str().unwrap(), l["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        allowed,
        [
            ("author-email", "demo-0.1.0/Cargo.toml.orig"),
            ("home-folder-path", "demo-0.1.0/src/lib.rs"),
        ]
    );
    let unused: Vec<(&str, u64)> = lines
        .iter()
        .filter(|l| l["reason"] == "unused-allow")
        .map(|l| (l["path"].as_str().unwrap(), l["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(unused, [("demo-0.1.0/src/lib.rs", 4)]);
}

/// `name-version/Cargo.toml(.orig)` with nothing to report, and `files`.
fn quiet_archive(prefix: &str, files: &[(&str, String)]) -> Vec<u8> {
    let (name, version) = prefix.rsplit_once('-').unwrap();
    let manifest = format!("[package]\nname = \"{name}\"\nversion = \"{version}\"\n");
    let mut entries = vec![
        file(&format!("{prefix}/Cargo.toml.orig"), manifest.clone()),
        file(&format!("{prefix}/Cargo.toml"), manifest),
    ];
    for (path, text) in files {
        entries.push(file(&format!("{prefix}/{path}"), text.clone()));
    }
    gzip(&tar(&entries))
}

/// How often `needle` occurs in `haystack`.
/// winnow ships a captured `cargo --message-format json` log with one home
/// path 451 times: it was 451 warnings and about 4,000 lines for one user
/// name. Now one diagnostic, at the first, naming the count and the lines.
#[test]
fn one_value_repeated_451_times_in_one_file_is_one_diagnostic_naming_the_count_and_lines() {
    let dir = tempfile::tempdir().unwrap();
    let home = format!("/home/{}/", "qzkowalski");
    let log: String = (0..451)
        .map(|i| format!("{{\"n\":{i},\"manifest_path\":\"{home}.cargo/x/Cargo.toml\"}}\n"))
        .collect();
    write_bytes(
        dir.path(),
        "rep-1.0.0.crate",
        &quiet_archive("rep-1.0.0", &[("log.ndjson", log)]),
    );
    let (code, _, stderr) = common::run(dir.path(), &["--crate", "rep-1.0.0.crate"], "human");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(count(&stderr, "warning[home-folder-path]"), 1, "{stderr}");
    assert!(stderr.contains("--> rep-1.0.0/log.ndjson:1:"), "{stderr}");
    assert!(
        stderr.contains(
            "= note: and 450 more occurrences in this file, on lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 \
             and 440 other lines"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: `rep` generated 1 warning (451 occurrences)"),
        "{stderr}"
    );
    assert!(stderr.lines().count() < 20, "{stderr}");
    // Short: one line, with the count.
    let (_, _, short) = common::run(dir.path(), &["--crate", "rep-1.0.0.crate"], "short");
    assert_eq!(
        short.lines().collect::<Vec<_>>(),
        [
            "rep-1.0.0/log.ndjson:1:31: warning[home-folder-path]: absolute path into a home \
             folder reveals a user name (and 450 more occurrences in this file)"
        ]
    );
    // JSON keeps one object per occurrence (a public contract).
    let (_, lines, _) = run_json(dir.path(), &["--crate", "rep-1.0.0.crate"]);
    assert_eq!(findings(&lines, &["rule"]).len(), 451);
}

/// Two addresses on one line were two diagnostics repeating the line:
/// now one, with a label under each.
#[test]
fn two_emails_on_one_line_are_one_diagnostic_with_two_labels() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "// ask {} or {}\n// later\n// again {}\n",
        jane(),
        raj(),
        raj()
    );
    write_bytes(
        dir.path(),
        "two-1.0.0.crate",
        &quiet_archive("two-1.0.0", &[("src/lib.rs", text)]),
    );
    let (_, _, stderr) = common::run(dir.path(), &["--crate", "two-1.0.0.crate"], "human");
    assert_eq!(count(&stderr, "note[email-address]"), 1, "{stderr}");
    // The line once, two underlines, and raj's second use on line 3.
    assert_eq!(count(&stderr, "// ask "), 1, "{stderr}");
    let underlines: Vec<&str> = stderr.lines().filter(|l| l.contains('^')).collect();
    assert_eq!(underlines.len(), 1, "{stderr}");
    let carets = underlines[0]
        .split_whitespace()
        .filter(|w| w.starts_with('^'));
    assert_eq!(carets.count(), 2, "{stderr}");
    assert_eq!(count(&stderr, "published with the crate"), 2, "{stderr}");
    assert!(
        stderr.contains("= note: and 1 more occurrence in this file, on line 3"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: `two` generated 1 note (3 occurrences)"),
        "{stderr}"
    );
}

/// "Public and permanent" was on 2,881 of the corpus run's 2,972
/// diagnostics: it is said once per rule per run.
#[test]
fn the_permanent_note_appears_once_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for (i, user) in ["qzadams", "qzbrown", "qzclark"].iter().enumerate() {
        let name = format!("p{i}-1.0.0");
        let text = format!("// see /home/{user}/a\n// mail {}\n", jane());
        write_bytes(
            dir.path(),
            &format!("{name}.crate"),
            &quiet_archive(&name, &[("src/lib.rs", text)]),
        );
        names.push(format!("{name}.crate"));
    }
    let mut args = vec!["--crate"];
    args.extend(names.iter().map(String::as_str));
    let (_, _, stderr) = common::run(dir.path(), &args, "human");
    assert_eq!(count(&stderr, "warning[home-folder-path]"), 3, "{stderr}");
    assert_eq!(count(&stderr, "note[email-address]"), 3, "{stderr}");
    // Once for each of the two rules, on the first diagnostic of each.
    assert_eq!(count(&stderr, "public and permanent"), 2, "{stderr}");
    let first_home = stderr.find("warning[home-folder-path]").unwrap();
    let first_email = stderr.find("note[email-address]").unwrap();
    let second_home = first_home + 1 + stderr[first_home + 1..].find("warning[home").unwrap();
    let permanent = stderr.find("public and permanent").unwrap();
    assert!(
        first_home < permanent && permanent < first_email,
        "{stderr}"
    );
    assert!(!stderr[first_email..second_home].is_empty());
}

/// Under `-D warnings` a warning became an error with nothing saying why:
/// a note says it, once per rule.
#[test]
fn deny_warnings_says_once_per_rule_why_a_warning_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "// see /home/{}/a\n// see /home/{}/b\n",
        "qzadams", "qzbrown"
    );
    write_bytes(
        dir.path(),
        "dw-1.0.0.crate",
        &quiet_archive("dw-1.0.0", &[("src/lib.rs", text)]),
    );
    let (code, _, stderr) = common::run(
        dir.path(),
        &["--crate", "dw-1.0.0.crate", "-D", "warnings"],
        "human",
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(count(&stderr, "error[home-folder-path]"), 2, "{stderr}");
    assert_eq!(
        count(
            &stderr,
            "= note: `home-folder-path` is a warning made an error by `-D warnings`"
        ),
        1,
        "{stderr}"
    );
    // Without it, no such note.
    let (_, _, stderr) = common::run(dir.path(), &["--crate", "dw-1.0.0.crate"], "human");
    assert!(!stderr.contains("-D warnings"), "{stderr}");
}

/// An audit of a registry cache scrolled for thousands of lines with no
/// overview: it ends with a table of the archives that had something.
#[test]
fn a_run_over_archives_ends_with_a_table_of_those_with_findings() {
    let dir = tempfile::tempdir().unwrap();
    write_bytes(
        dir.path(),
        "demo-0.1.0.crate",
        &gzip(&tar(&good_entries("demo-0.1.0"))),
    );
    for name in ["clean-1.0.0", "tidy-2.0.0"] {
        write_bytes(
            dir.path(),
            &format!("{name}.crate"),
            &quiet_archive(name, &[("src/lib.rs", "//! nothing\n".to_owned())]),
        );
    }
    let (code, _, stderr) = common::run(dir.path(), &["--crate", "."], "human");
    assert_eq!(code, 1, "{stderr}");
    let table: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.contains("Summary"))
        .take(4)
        .collect();
    assert_eq!(
        table,
        [
            "     Summary 1 of 3 archives had findings, 2 had none",
            "archive           errors  warnings  notes",
            "demo-0.1.0.crate       2         3      0",
            "",
        ],
        "{stderr}"
    );
    // No table for one archive, nor for the machine formats.
    let (_, _, one) = common::run(dir.path(), &["--crate", "demo-0.1.0.crate"], "human");
    assert!(!one.contains("Summary"), "{one}");
    let (_, _, short) = common::run(dir.path(), &["--crate", "."], "short");
    assert!(!short.contains("Summary"), "{short}");
}

/// `--crate` on a folder without archives printed its error, then a report
/// of 0 archives and a `Finished` line, as if something had been checked.
#[test]
fn crate_folder_without_archives_is_an_error_and_nothing_is_finished() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let (code, stdout, stderr) = common::run(dir.path(), &["--crate", "empty"], "human");
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("error: cannot check `empty`: no `.crate` file in this folder"),
        "{stderr}"
    );
    assert!(!stderr.contains("Finished"), "{stderr}");
    // The machine formats still say the run failed.
    let (code, stdout, _) = common::run(dir.path(), &["--crate", "empty"], "json");
    assert_eq!(code, 2);
    let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["success"], false);
}

/// `--crate` printed every archive's block at the end of the run, the
/// archives it could not check first: over a registry cache the screen
/// stayed empty for minutes. Blocks now come as archives are checked, in
/// the order given, an archive that cannot be checked as an error in its
/// place; the notes said once per run are still said once, and the table
/// and `Finished` close the run.
#[test]
fn archive_blocks_come_in_the_order_given_with_failures_in_their_place() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "c"] {
        let prefix = format!("{name}-0.1.0");
        write_bytes(
            dir.path(),
            &format!("{prefix}.crate"),
            &gzip(&tar(&good_entries(&prefix))),
        );
    }
    write_bytes(
        dir.path(),
        "b-0.1.0.crate",
        &gzip(&tar(&[file("b-0.1.0/../x", "x")])),
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
        .current_dir(dir.path())
        .args([
            "privacy-check",
            "--crate",
            "a-0.1.0.crate",
            "b-0.1.0.crate",
            "c-0.1.0.crate",
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let at = |needle: &str| {
        stderr
            .find(needle)
            .unwrap_or_else(|| panic!("no `{needle}` in:\n{stderr}"))
    };
    let a = at("Checking a v0.1.0 (a-0.1.0.crate)");
    let b = at("error: cannot check `b-0.1.0.crate`");
    let c = at("Checking c v0.1.0 (c-0.1.0.crate)");
    let summary = at("Summary");
    let finished = at("Finished privacy check of 2 archives");
    assert!(
        a < b && b < c && c < summary && summary < finished,
        "{stderr}"
    );
    // Said once per rule per run: in the first block, not again in the
    // second, which has the same findings.
    assert!(stderr[a..b].contains("public and permanent"), "{stderr}");
    assert!(
        !stderr[c..summary].contains("public and permanent"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("error: could not check 1 of 3 archives\n"),
        "{stderr}"
    );
}
