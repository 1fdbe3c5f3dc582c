//! The hostile-input benchmark: time and peak memory of the release binary
//! on inputs built to hurt it (issue 10, sections 2 and 3).
//!
//! Each case is built in a temporary folder, then run once under
//! `/usr/bin/time` (for the peak resident set size; without it, or for a
//! run killed past the timeout, `--timeout SECS`, 120 by default, the peak
//! as `/proc` showed it while polling). The cases:
//! - `8 archives of findings`: `--crate` over 8 archives of ~1.4 MB, each
//!   full of email addresses (about 100,000 findings each), in JSON and in
//!   human output: the report must keep what it shows, not every file's
//!   text;
//! - `8 archives of large files`: `--crate` over 8 archives of under 1 MB,
//!   each 10 text files of 30 MiB with one address each (JSON output): the
//!   report must keep the lines of the findings, not the files (this was
//!   2.5 GB);
//! - `500 MiB manifest`: one ~0.5 MB archive whose `Cargo.toml` unpacks to
//!   500 MiB (streamed while building: the bench never holds it);
//! - `20,000 emails on one line`: a package whose `src/lib.rs` is one line
//!   of 20,000 addresses, human output;
//! - `10,000 authors on one line`: a package whose `authors` is one line of
//!   10,000 entries, human output.
//!
//! ```sh
//! cargo bench --bench hostile
//! HOSTILE_BIN=/path/to/other/cargo-privacy-check cargo bench --bench hostile
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A pseudo-random sequence (an LCG): varied, reproducible data without a
/// dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A lowercase word of 4 to 11 letters.
    fn word(&mut self) -> String {
        let len = 4 + (self.next() % 8) as usize;
        (0..len)
            .map(|_| (b'a' + (self.next() % 26) as u8) as char)
            .collect()
    }
}

const DOMAINS: [&str; 4] = ["gmail.com", "yahoo.com", "outlook.com", "proton.me"];

fn email(rng: &mut Lcg) -> String {
    let name = rng.word();
    let other = rng.word();
    let domain = DOMAINS[(rng.next() % 4) as usize];
    format!("{name}.{other}{}@{domain}", rng.next() % 1000)
}

fn manifest(name: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"1.0.0\"\nedition = \"2021\"\n")
}

/// Writes `name-1.0.0.crate` in `dir` from (path, size, reader) entries,
/// streamed through gzip (nothing is held whole).
fn write_crate(dir: &Path, name: &str, entries: Vec<(String, u64, Box<dyn Read>)>) -> PathBuf {
    let path = dir.join(format!("{name}-1.0.0.crate"));
    let file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut builder = tar::Builder::new(gz);
    for (entry, size, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(size);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, format!("{name}-1.0.0/{entry}"), data)
            .unwrap();
    }
    builder
        .into_inner()
        .unwrap()
        .finish()
        .unwrap()
        .flush()
        .unwrap();
    path
}

fn bytes_entry(path: &str, bytes: Vec<u8>) -> (String, u64, Box<dyn Read>) {
    (
        path.to_owned(),
        bytes.len() as u64,
        Box::new(std::io::Cursor::new(bytes)),
    )
}

/// An archive of about `compressed` bytes of text full of addresses.
fn findings_crate(dir: &Path, name: &str, seed: u64, compressed: u64) -> PathBuf {
    let mut rng = Lcg(seed);
    // About 2.9 bytes of text per compressed byte for this text (measured).
    let mut text = String::new();
    while (text.len() as u64) < compressed * 29 / 10 {
        text.push_str("// contact ");
        text.push_str(&email(&mut rng));
        text.push('\n');
    }
    let half = text.len() / 2;
    let cut = text[half..].find('\n').map_or(half, |i| half + i + 1);
    let (a, b) = text.split_at(cut);
    write_crate(
        dir,
        name,
        vec![
            bytes_entry("Cargo.toml", manifest(name).into_bytes()),
            bytes_entry("src/lib.rs", a.as_bytes().to_vec()),
            bytes_entry("tests/data.txt", b.as_bytes().to_vec()),
        ],
    )
}

/// A reader of `line` repeated to `len` bytes, then `tail`.
struct Repeated {
    line: &'static [u8],
    at: usize,
    left: u64,
}

impl Read for Repeated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() && self.left > 0 {
            let chunk = (self.line.len() - self.at)
                .min(buf.len() - n)
                .min(usize::try_from(self.left).unwrap_or(usize::MAX));
            buf[n..n + chunk].copy_from_slice(&self.line[self.at..self.at + chunk]);
            self.at = (self.at + chunk) % self.line.len();
            self.left -= chunk as u64;
            n += chunk;
        }
        Ok(n)
    }
}

/// An archive of `files` text files of 30 MiB (within the scan limit),
/// each one line of filler repeated and one address at its end: it
/// compresses to well under 1 MB.
fn wide_crate(dir: &Path, name: &str, files: usize) -> PathBuf {
    const LINE: &[u8] = b"lorem ipsum dolor sit amet, consectetur adipiscing elit\n";
    let mut entries = vec![bytes_entry("Cargo.toml", manifest(name).into_bytes())];
    for i in 0..files {
        let tail = format!("// contact jane.doe{i}@{}\n", DOMAINS[0]);
        let filler = (30 << 20) / LINE.len() as u64 * LINE.len() as u64;
        let data = Repeated {
            line: LINE,
            at: 0,
            left: filler,
        }
        .chain(std::io::Cursor::new(tail.clone().into_bytes()));
        entries.push((
            format!("data/f{i}.txt"),
            filler + tail.len() as u64,
            Box::new(data),
        ));
    }
    write_crate(dir, name, entries)
}

/// An archive whose `Cargo.toml` is `size` bytes: a manifest, then one
/// comment line to the end.
fn huge_manifest_crate(dir: &Path, size: u64) -> PathBuf {
    let head = manifest("huge");
    let data = std::io::Cursor::new(head.clone().into_bytes())
        .chain(std::io::repeat(b'#').take(size - head.len() as u64 - 1))
        .chain(std::io::Cursor::new(b"\n".to_vec()));
    write_crate(
        dir,
        "huge",
        vec![
            ("Cargo.toml".to_owned(), size, Box::new(data)),
            bytes_entry("src/lib.rs", b"// nothing\n".to_vec()),
        ],
    )
}

/// A package folder with `Cargo.toml` and `src/lib.rs`.
fn package(dir: &Path, name: &str, manifest: &str, lib: &str) -> PathBuf {
    let root = dir.join(name);
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(root.join("src/lib.rs"), lib).unwrap();
    root.join("Cargo.toml")
}

/// Time and peak RSS of one run, or why there are none.
fn measure(bin: &Path, args: &[String], cwd: &Path, timeout: Duration) -> String {
    let time = Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "peak-rss-kb %M"]).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    command
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().expect("the binary runs");
    // Drain stderr while waiting (a run can write hundreds of MB).
    let mut stderr = child.stderr.take().unwrap();
    let tail = std::thread::spawn(move || {
        let mut tail = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut total = 0u64;
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n as u64;
            tail.extend_from_slice(&buf[..n]);
            if tail.len() > 1 << 16 {
                tail.drain(..tail.len() - 4096);
            }
        }
        (tail, total)
    });
    // The binary's process: `time`'s child, or the child itself.
    let pid = child.id();
    let binary_pid = || {
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
            .ok()
            .and_then(|c| c.split_whitespace().next().map(str::to_owned))
            .unwrap_or_else(|| pid.to_string())
    };
    // Peak RSS so far (VmHWM), for a run killed before `time` reports.
    let mut peak_kb = 0u64;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if let Some(kb) = std::fs::read_to_string(format!("/proc/{}/status", binary_pid()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            })
        {
            peak_kb = peak_kb.max(kb);
        }
        if started.elapsed() > timeout {
            // `time`'s child first: killing `time` alone leaves it running.
            let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
                .unwrap_or_default();
            for grandchild in children.split_whitespace() {
                let _ = Command::new("kill").args(["-9", grandchild]).status();
            }
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let (tail, stderr_bytes) = tail.join().unwrap();
    let Some(status) = status else {
        return format!(
            "killed after {:.0} s (timeout), peak RSS by then {:.1} MB",
            timeout.as_secs_f64(),
            peak_kb as f64 / 1024.0
        );
    };
    let tail = String::from_utf8_lossy(&tail);
    let rss = tail
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("peak-rss-kb "))
        .and_then(|kb| kb.trim().parse::<u64>().ok())
        .map_or_else(
            || "peak RSS unknown".to_owned(),
            |kb| format!("peak RSS {:.1} MB", kb as f64 / 1024.0),
        );
    format!(
        "{:.2} s, {rss}, exit {}, stderr {:.1} MB",
        elapsed.as_secs_f64(),
        status.code().map_or("signal".to_owned(), |c| c.to_string()),
        stderr_bytes as f64 / 1e6
    )
}

fn main() {
    let mut timeout = Duration::from_secs(120);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--timeout" {
            if let Some(secs) = args.next().and_then(|v| v.parse().ok()) {
                timeout = Duration::from_secs(secs);
            }
        }
    }
    let bin = std::env::var_os("HOSTILE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_cargo-privacy-check")));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    println!("binary: {}", bin.display());

    let archives = root.join("archives");
    std::fs::create_dir(&archives).unwrap();
    for i in 0..8 {
        findings_crate(&archives, &format!("leaky{i}"), i + 1, 1_400_000);
    }
    let sizes: Vec<u64> = std::fs::read_dir(&archives)
        .unwrap()
        .flatten()
        .map(|e| e.metadata().unwrap().len())
        .collect();
    println!(
        "8 archives of findings ({:.2} MB each on average):",
        sizes.iter().sum::<u64>() as f64 / 8.0 / 1e6
    );
    let crate_args = |path: &Path| {
        vec![
            "privacy-check".to_owned(),
            "--crate".to_owned(),
            path.display().to_string(),
        ]
    };
    let mut json = crate_args(&archives);
    json.extend(["--message-format".to_owned(), "json".to_owned()]);
    println!("  JSON:  {}", measure(&bin, &json, root, timeout));
    println!(
        "  human: {}",
        measure(&bin, &crate_args(&archives), root, timeout)
    );

    let wide = root.join("wide");
    std::fs::create_dir(&wide).unwrap();
    for i in 0..8 {
        wide_crate(&wide, &format!("wide{i}"), 10);
    }
    let compressed: u64 = std::fs::read_dir(&wide)
        .unwrap()
        .flatten()
        .map(|e| e.metadata().unwrap().len())
        .sum();
    println!(
        "8 archives of 10 files of 30 MiB, one finding each ({:.2} MB each on average):",
        compressed as f64 / 8.0 / 1e6
    );
    let mut json = crate_args(&wide);
    json.extend(["--message-format".to_owned(), "json".to_owned()]);
    println!("  JSON:  {}", measure(&bin, &json, root, timeout));

    let huge_dir = root.join("huge");
    std::fs::create_dir(&huge_dir).unwrap();
    let huge = huge_manifest_crate(&huge_dir, 500 << 20);
    println!(
        "500 MiB manifest in a {:.2} MB archive:",
        std::fs::metadata(&huge).unwrap().len() as f64 / 1e6
    );
    println!("  {}", measure(&bin, &crate_args(&huge), root, timeout));

    let mut rng = Lcg(7);
    let line: Vec<String> = (0..20_000).map(|_| email(&mut rng)).collect();
    let emails = package(
        root,
        "emails",
        &manifest("emails"),
        &format!("// {}\n", line.join(" ")),
    );
    println!("20,000 emails on one line (human output):");
    let package_args = |manifest: &Path| {
        vec![
            "privacy-check".to_owned(),
            "--manifest-path".to_owned(),
            manifest.display().to_string(),
        ]
    };
    println!("  {}", measure(&bin, &package_args(&emails), root, timeout));

    let authors: Vec<String> = (0..10_000)
        .map(|i| format!("\"Author {i} <{}>\"", email(&mut rng)))
        .collect();
    let authors = package(
        root,
        "authors",
        &format!(
            "{}authors = [{}]\n",
            manifest("authors"),
            authors.join(", ")
        ),
        "",
    );
    println!("10,000 authors on one line (human output):");
    println!(
        "  {}",
        measure(&bin, &package_args(&authors), root, timeout)
    );
}
