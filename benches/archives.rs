//! The archive benchmark: `--crate` over every `.crate` in the cargo cache.
//!
//! Times the release binary end to end (`cargo-privacy-check --crate DIR…
//! --message-format json`: read, decompress, validate, scan, render) over
//! every `$CARGO_HOME/registry/cache/*/*.crate` (the ~700 archives that
//! `../shared/corpus/fetch.sh` downloads), best of `--runs` after one
//! untimed warm-up, and reports archives/s and MB/s of uncompressed data
//! (each archive's tar, measured beforehand, untimed). From the JSON it
//! counts the archives that publish a personal email in `authors` (at
//! least one `author-email` finding), and the archives that could not be
//! checked.
//!
//! ```sh
//! ../shared/corpus/fetch.sh                  # once
//! cargo bench --bench archives               # figures
//! cargo bench --bench archives -- --runs 5 DIR...   # other folders of .crate files
//! cargo bench --bench archives -- --memory   # + peak memory: corpus, corpus twice, one 500 MiB archive
//! cargo bench --bench archives -- --binary PATH   # another build of the binary, for before/after
//! ```
//!
//! With `--memory` (and GNU `/usr/bin/time`), it also reports the peak
//! resident memory of one run over the archives, over the archives twice
//! (copied into a temporary folder, so that each is read twice), and over
//! one 500 MiB archive built here (470 text files of 1 MiB and one of
//! 30 MiB): memory should follow the largest file, not the archives.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        })
}

/// Bytes an archive decompresses to, or `None` if it is not a gzip.
fn unpacked_size(path: &PathBuf) -> Option<u64> {
    let file = std::fs::File::open(path).ok()?;
    let mut decoder = flate2::read::GzDecoder::new(std::io::BufReader::new(file));
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        match decoder.read(&mut buf) {
            Ok(0) => return Some(total),
            Ok(n) => total += n as u64,
            Err(_) => return None,
        }
    }
}

fn main() {
    let mut runs = 3;
    let mut memory = false;
    let mut binary = env!("CARGO_BIN_EXE_cargo-privacy-check").to_owned();
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => {}
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(3),
            "--memory" => memory = true,
            "--binary" => binary = args.next().unwrap_or(binary),
            other => dirs.push(PathBuf::from(other)),
        }
    }
    if dirs.is_empty() {
        if let Ok(entries) = std::fs::read_dir(cargo_home().join("registry/cache")) {
            dirs.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
        }
        dirs.sort();
    }
    let archives: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "crate"))
        .collect();
    if archives.is_empty() {
        eprintln!("no .crate archives found: run ../shared/corpus/fetch.sh first, or pass folders of .crate files");
        std::process::exit(2);
    }
    let compressed: u64 = archives
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let unpacked: u64 = archives.iter().filter_map(unpacked_size).sum();

    let binary = binary.as_str();
    let run = || {
        let started = Instant::now();
        let output = Command::new(binary)
            .arg("--crate")
            .args(&dirs)
            .args(["--message-format", "json"])
            .output()
            .expect("run cargo-privacy-check");
        (output, started.elapsed())
    };
    run(); // warm-up: page cache
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs.max(1) {
        let (output, took) = run();
        best = best.min(took);
        last = Some(output);
    }
    let output = last.expect("at least one run");
    let status = output.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let summary = lines
        .iter()
        .find(|l| l["reason"] == "summary")
        .expect("a summary line");
    let checked = summary["packages"].as_u64().unwrap_or(0);
    // One archive, one manifest path (`name-version/Cargo.toml`).
    let with_author_email: BTreeSet<&str> = lines
        .iter()
        .filter(|l| l["reason"] == "finding" && l["rule"] == "author-email")
        .filter_map(|l| l["manifest_path"].as_str())
        .collect();
    let failed = stderr
        .lines()
        .filter(|l| l.starts_with("error: cannot check"))
        .count();

    let secs = best.as_secs_f64();
    println!(
        "archives: {} in {} folder(s), {:.1} MB compressed, {:.1} MB uncompressed, {} threads",
        archives.len(),
        dirs.len(),
        compressed as f64 / 1e6,
        unpacked as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "cargo-privacy-check --crate (read + validate + scan + JSON), best of {runs}: {secs:.3} s  {:.0} archives/s  {:.1} MB/s uncompressed",
        archives.len() as f64 / secs,
        unpacked as f64 / 1e6 / secs
    );
    println!(
        "checked: {checked}, could not be checked: {failed}, exit status {status}, files scanned {}, not scanned {}",
        summary["files_scanned"],
        summary["not_scanned"].as_array().map_or(0, Vec::len)
    );
    println!(
        "archives publishing a personal email in `authors`: {} of {checked}",
        with_author_email.len()
    );
    for line in stderr
        .lines()
        .filter(|l| l.starts_with("error: cannot check"))
    {
        println!("  {line}");
    }
    if memory {
        memory_figures(binary, &dirs, &archives);
    }
}

/// Peak resident memory of one `--crate` run over `inputs`, in MiB, read
/// from GNU time's `%M` (KiB), with the time taken and the exit status
/// (1: findings; 2 would mean an archive could not be checked); `None`
/// without `/usr/bin/time`.
fn peak_rss(binary: &str, inputs: &[PathBuf]) -> Option<(f64, Duration, i32)> {
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%M", binary, "--crate"])
        .args(inputs)
        .args(["--message-format", "json"])
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let kib: f64 = stderr.lines().last()?.trim().parse().ok()?;
    Some((kib / 1024.0, took, output.status.code().unwrap_or(-1)))
}

fn memory_figures(binary: &str, dirs: &[PathBuf], archives: &[PathBuf]) {
    let show = |what: &str, figure: Option<(f64, Duration, i32)>| match figure {
        Some((mib, took, status)) => println!(
            "peak RSS, {what}: {mib:.1} MiB ({:.2} s, exit status {status})",
            took.as_secs_f64()
        ),
        None => println!("peak RSS, {what}: needs GNU /usr/bin/time"),
    };
    show(
        &format!("{} archives", archives.len()),
        peak_rss(binary, dirs),
    );
    let twice = tempfile::tempdir().expect("a temporary folder");
    for (i, archive) in archives.iter().enumerate() {
        let name = archive.file_name().expect("a file name");
        let copy = twice.path().join(format!("{i}-{}", name.to_string_lossy()));
        std::fs::copy(archive, copy).expect("copy an archive");
    }
    let mut both = dirs.to_vec();
    both.push(twice.path().to_path_buf());
    show(
        &format!("{} archives (each twice)", archives.len() * 2),
        peak_rss(binary, &both),
    );
    drop(twice);
    let big = tempfile::tempdir().expect("a temporary folder");
    let path = big_archive(big.path());
    show(
        &format!(
            "one archive of 500 MiB unpacked ({:.1} MB compressed; largest file 30 MiB)",
            std::fs::metadata(&path).map_or(0, |m| m.len()) as f64 / 1e6
        ),
        peak_rss(binary, &[path]),
    );
}

/// A `.crate` unpacking to 500 MiB of text: 470 files of 1 MiB and one of
/// 30 MiB, each a different pseudo-random text (so that it compresses as
/// source does, not to nothing).
fn big_archive(dir: &std::path::Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("big-1.0.0.crate");
    let file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let mut append = |name: &str, data: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, format!("big-1.0.0/{name}"), data)
            .expect("append");
    };
    append(
        "Cargo.toml",
        b"[package]\nname = \"big\"\nversion = \"1.0.0\"\n",
    );
    let words = [
        "let", "value", "self", "return", "match", "config", "buffer", "index", "error", "stream",
        "=", "(", ")", "{", "}", ";", "fn", "impl", "0x1f", "42",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut text = |len: usize| {
        let mut out = Vec::with_capacity(len + 64);
        while out.len() < len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            out.extend_from_slice(words[(state % words.len() as u64) as usize].as_bytes());
            out.push(if state % 11 == 0 { b'\n' } else { b' ' });
        }
        out.truncate(len);
        out
    };
    for i in 0..470 {
        append(&format!("src/f{i:03}.rs"), &text(1 << 20));
    }
    append("data/large.txt", &text(30 << 20));
    let gz = tar.into_inner().expect("finish the tar");
    gz.finish()
        .expect("finish the gzip")
        .flush()
        .expect("flush");
    path
}
