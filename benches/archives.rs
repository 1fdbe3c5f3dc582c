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
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;
use std::process::Command;
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
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => {}
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(3),
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

    let binary = env!("CARGO_BIN_EXE_cargo-privacy-check");
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
}
