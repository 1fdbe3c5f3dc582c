//! The corpus benchmark, and the real-world precision check.
//!
//! Runs the whole check over the unpacked crates that
//! `../shared/corpus/fetch.sh` downloads (`$CARGO_HOME/registry/src/*/*`),
//! each crate as a package: exact file listing (walk mode, as for any
//! unpacked crate), every rule, and the human diagnostics rendered to a sink.
//! In the same run it times, over the same crate folders, `rg` searching one
//! literal (the reading limit), `rg` searching one regex uniting token
//! prefixes, email addresses and home paths (what a user would grep for
//! instead), each both as `rg -uu` (binary files left at their first NUL
//! byte) and `rg -uuu` (binary files searched whole, as the check reads
//! them for their printable strings), `ripsecrets`, and `detect-secrets`
//! (on a sample: it is slow).
//! Each timing is the best of `--runs` after one untimed warm-up pass.
//!
//! ```sh
//! ../shared/corpus/fetch.sh                      # once: ~650 crates
//! cargo bench --bench corpus                     # figures
//! cargo bench --bench corpus -- --findings       # + every non-email warning/error
//! ```
//! Options: `--runs N` (default 3), `--sample N` crates for detect-secrets
//! (default 40), `--no-compare` (ours only), `--no-slow` (compare with `rg`
//! only: ripsecrets and detect-secrets take minutes), `--gitleaks FILE`
//! (one more row: the same check with FILE's rules imported as custom
//! rules, as `gitleaks-config` would), `--profile` (each
//! detector timed alone), a corpus folder (default: every
//! `$CARGO_HOME/registry/src/*`).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cargo_privacy_check::diagnostic::{Category, Severity};
use cargo_privacy_check::engine::{self, ScanOptions};
use cargo_privacy_check::render::{self, Context};
use cargo_privacy_check::report::Report;
use cargo_privacy_check::workspace::{unpacked_package, Selection};

/// What a user would grep for: token prefixes, emails, home paths, URL
/// credentials, private key headers.
const UNION_REGEX: &str = concat!(
    r"(gh[pousr]_[A-Za-z0-9]{36}|github_pat_|glpat-|npm_[A-Za-z0-9]{36}|cio[A-Za-z0-9]{32}|",
    r"AKIA[A-Z2-7]{16}|AIza[A-Za-z0-9_-]{35}|xox[abpr]-|sk_live_|sk-ant-|hf_[A-Za-z]{30}|",
    r"-----BEGIN [A-Z ]*PRIVATE KEY|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|",
    r"/home/[A-Za-z0-9_.-]+/|/Users/[A-Za-z0-9_.-]+/|://[^/\s:@]+:[^/\s@]+@)"
);

struct Args {
    runs: usize,
    sample: usize,
    compare: bool,
    slow: bool,
    findings: bool,
    profile: bool,
    gitleaks: Option<PathBuf>,
    corpus: Vec<PathBuf>,
}

fn parse_args() -> Args {
    let mut args = Args {
        runs: 3,
        sample: 40,
        compare: true,
        slow: true,
        findings: false,
        profile: false,
        gitleaks: None,
        corpus: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--bench" => {}
            "--runs" => args.runs = it.next().and_then(|v| v.parse().ok()).unwrap_or(3),
            "--sample" => args.sample = it.next().and_then(|v| v.parse().ok()).unwrap_or(40),
            "--no-compare" => args.compare = false,
            "--no-slow" => args.slow = false,
            "--findings" => args.findings = true,
            "--profile" => args.profile = true,
            "--gitleaks" => args.gitleaks = it.next().map(PathBuf::from),
            other => args.corpus.push(PathBuf::from(other)),
        }
    }
    if args.corpus.is_empty() {
        let home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
            });
        if let Ok(entries) = std::fs::read_dir(home.join("registry/src")) {
            args.corpus.extend(entries.flatten().map(|e| e.path()));
        }
    }
    args
}

/// Every crate folder (a folder holding a Cargo.toml) of the corpus, sorted.
fn crates(corpus: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = corpus
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    out.sort();
    out
}

fn selection_of(crates: &[PathBuf]) -> Selection {
    let packages = crates
        .iter()
        .filter_map(|dir| unpacked_package(&dir.join("Cargo.toml")).ok())
        .collect();
    let root = crates
        .first()
        .and_then(|c| c.parent())
        .unwrap_or(Path::new("/"))
        .to_path_buf();
    Selection {
        packages,
        skipped: Vec::new(),
        warnings: Vec::new(),
        root_manifest: root.join("Cargo.toml"),
        workspace_root: root,
        members: Vec::new(),
    }
}

/// One end-to-end run in process: list, scan, render human output.
fn check(selection: &Selection) -> (Report, Duration) {
    check_with(selection, &ScanOptions::default())
}

/// [`check`] with these options (custom rules in each package's settings).
fn check_with(selection: &Selection, options: &ScanOptions) -> (Report, Duration) {
    let started = Instant::now();
    let report = engine::check_selection(selection, options).expect("scan");
    let cwd = PathBuf::from("/");
    let ctx = Context {
        cwd: &cwd,
        selection,
        verbose: 0,
        quiet: false,
        elapsed: started.elapsed(),
        width: cargo_privacy_check::render::DEFAULT_WIDTH,
    };
    render::human::render(&report, &ctx, &mut std::io::sink()).expect("render");
    (report, started.elapsed())
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (T, Duration) {
    let mut best = None;
    let mut value = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let v = f();
        let took = started.elapsed();
        if best.is_none_or(|b| took < b) {
            best = Some(took);
        }
        value = Some(v);
    }
    (value.unwrap(), best.unwrap())
}

/// Runs a command to completion with its output discarded, best of `runs`
/// after one warm-up; `None` if it cannot be started. With `runs == 0`, one
/// timed run and no warm-up (for tools that take minutes; the page cache is
/// warm by then).
fn time_command(runs: usize, program: &str, args: &[String]) -> Option<Duration> {
    let run = || {
        Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()
    };
    if runs == 0 {
        let started = Instant::now();
        run()?;
        return Some(started.elapsed());
    }
    run()?; // warm-up, and is it installed?
    let (_, took) = best_of(runs, run);
    Some(took)
}

fn mb_per_s(bytes: u64, took: Duration) -> f64 {
    bytes as f64 / 1e6 / took.as_secs_f64()
}

/// Where the time goes: every scanned text in memory, then the keyword gate
/// and each detector timed alone on one thread.
fn profile(selection: &Selection) {
    use cargo_privacy_check::package_files::Contents;
    use cargo_privacy_check::rules::{self, FileContext};
    let mut texts = Vec::new();
    let mut binaries = Vec::new();
    let started = Instant::now();
    let report = engine::check_selection(selection, &ScanOptions::default()).expect("scan");
    println!(
        "whole scan (2 threads): {:.3} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    for p in &report.packages {
        for f in &p.files {
            if let Contents::Disk(path) = &f.contents {
                if let Ok(bytes) = std::fs::read(path) {
                    if !bytes[..bytes.len().min(8192)].contains(&0) {
                        texts.push((
                            f.archive_path.clone(),
                            p.name.clone(),
                            String::from_utf8_lossy(&bytes).into_owned(),
                        ));
                    } else {
                        binaries.push(bytes);
                    }
                }
            }
        }
    }
    let total: usize = texts.iter().map(|t| t.2.len()).sum();
    println!(
        "read {:.1} MB in {:.3} s (1 thread)",
        total as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    // The binary files (a NUL in the first 8 KiB, as the engine decides)
    // through the printable-strings scan alone, in the engine's 64 KiB
    // chunks: runs found and their text, no rule.
    let binary_total: usize = binaries.iter().map(Vec::len).sum();
    let ((runs, chars), took) = best_of(3, || {
        let (mut runs, mut chars) = (0usize, 0usize);
        for bytes in &binaries {
            let mut scan = cargo_privacy_check::engine::strings::Strings::new();
            let mut count = |run: cargo_privacy_check::engine::strings::Run| {
                runs += 1;
                chars += run.text.len();
            };
            for chunk in bytes.chunks(64 * 1024) {
                scan.feed(chunk, &mut count);
            }
            scan.finish(&mut count);
        }
        std::hint::black_box((runs, chars))
    });
    println!(
        "  {:<40} {:>7.3} s  {:>7.0} MB/s  ({} files, {:.1} MB, {runs} runs, {:.1} MB of text, best of 3)",
        "binary files: strings scan alone",
        took.as_secs_f64(),
        mb_per_s(binary_total as u64, took),
        binaries.len(),
        binary_total as f64 / 1e6,
        chars as f64 / 1e6,
    );
    let time = |name: &str, f: &mut dyn FnMut(&str, FileContext<'_>)| {
        let started = Instant::now();
        for (archive, package, text) in &texts {
            f(
                text,
                FileContext {
                    archive_path: archive,
                    is_manifest: false,
                    package,
                },
            );
        }
        let took = started.elapsed();
        println!(
            "  {name:<40} {:>7.3} s  {:>7.0} MB/s",
            took.as_secs_f64(),
            mb_per_s(total as u64, took)
        );
    };
    time("gate + detectors (rules::detect)", &mut |t, f| {
        std::hint::black_box(rules::detect(t, f));
    });
    time("sensitive_files::check_file", &mut |t, f| {
        std::hint::black_box(rules::sensitive_files::check_file(
            f.archive_path,
            Some(t.as_bytes()),
        ));
    });
    let mut hits = 0;
    time("token anchors: search alone", &mut |t, _| {
        hits += rules::tokens::anchor_hits(t);
    });
    println!("  token anchor hits: {hits}");
    time("UTF-8 validation", &mut |t, _| {
        std::hint::black_box(std::str::from_utf8(t.as_bytes()).is_ok());
    });
    for (i, d) in rules::detectors().into_iter().enumerate() {
        time(&format!("detector {i}"), &mut |t, f| {
            let mut out = Vec::new();
            d.scan(t, f, &mut out);
            std::hint::black_box(out);
        });
    }
}

fn main() {
    let args = parse_args();
    let crates = crates(&args.corpus);
    if crates.is_empty() {
        eprintln!("no corpus found: run ../shared/corpus/fetch.sh first, or pass a folder of unpacked crates");
        std::process::exit(2);
    }
    let selection = selection_of(&crates);
    if args.profile {
        profile(&selection);
        return;
    }
    // Warm the page cache and the lazily built detectors.
    let (report, _) = check(&selection);
    let files: usize = report.packages.iter().map(|p| p.files_scanned).sum();
    let bytes: u64 = report.packages.iter().map(|p| p.bytes_scanned).sum();
    let not_scanned: usize = report.packages.iter().map(|p| p.not_scanned.len()).sum();
    let ((report, _), ours) = best_of(args.runs, || check(&selection));
    println!(
        "corpus: {} crates, {} files scanned ({:.1} MB), {} not scanned (binary/large), {} threads",
        selection.packages.len(),
        files,
        bytes as f64 / 1e6,
        not_scanned,
        rayon::current_num_threads()
    );
    println!(
        "cargo-privacy-check (list + every rule + diagnostics): {:>8.3} s  {:>7.1} MB/s",
        ours.as_secs_f64(),
        mb_per_s(bytes, ours)
    );

    if let Some(path) = &args.gitleaks {
        let (rules, warnings) =
            cargo_privacy_check::config::import_gitleaks(path).expect("a gitleaks file");
        let mut options = ScanOptions::default();
        for package in &selection.packages {
            let mut settings = cargo_privacy_check::config::Settings::new(
                Default::default(),
                cargo_privacy_check::config::DEFAULT_MAX_FILE_SIZE,
            );
            settings.custom = rules.clone();
            options
                .settings
                .insert(package.manifest_path.clone(), settings);
        }
        let _ = check_with(&selection, &options); // warm the lazily built regexes
        let ((_, _), took) = best_of(args.runs, || check_with(&selection, &options));
        println!(
            "  + {} custom rules from {} ({} skipped): {:>8.3} s  {:>7.1} MB/s",
            rules.rules().count(),
            path.display(),
            warnings.iter().filter(|w| w.contains(" skipped: ")).count(),
            took.as_secs_f64(),
            mb_per_s(bytes, took)
        );
    }

    let report_ratio = |name: &str, took: Option<Duration>| match took {
        Some(t) => println!(
            "{name:<52} {:>8.3} s  {:>7.1} MB/s  ours/theirs time = {:.2}×",
            t.as_secs_f64(),
            mb_per_s(bytes, t),
            ours.as_secs_f64() / t.as_secs_f64()
        ),
        None => println!("{name:<52} not installed"),
    };
    if args.compare {
        let dirs: Vec<String> = crates.iter().map(|c| c.display().to_string()).collect();
        // `-uu`: no ignore files, hidden files searched, binary files
        // left at their first NUL byte (ripgrep's default); `-uuu` also
        // searches binary files whole, as the check reads them for their
        // printable strings.
        let rg = |pattern: &str, fixed: bool, unrestricted: &str| {
            let mut a = vec![
                unrestricted.to_owned(),
                "--no-messages".to_owned(),
                "-c".to_owned(),
            ];
            if fixed {
                a.push("-F".to_owned());
            }
            a.push("-e".to_owned());
            a.push(pattern.to_owned());
            a.extend(dirs.iter().cloned());
            time_command(args.runs, "rg", &a)
        };
        for unrestricted in ["-uu", "-uuu"] {
            report_ratio(
                &format!("rg {unrestricted} -F one literal (reading limit)"),
                rg("zq_no_such_literal_xv", true, unrestricted),
            );
            report_ratio(
                &format!("rg {unrestricted} union regex (prefixes|emails|home paths)"),
                rg(UNION_REGEX, false, unrestricted),
            );
        }
    }
    if args.compare && args.slow {
        let dirs: Vec<String> = crates.iter().map(|c| c.display().to_string()).collect();
        report_ratio("ripsecrets (one run)", time_command(0, "ripsecrets", &dirs));

        // detect-secrets is orders of magnitude slower: time it on a sample
        // and compare with our time on the same sample.
        let step = (crates.len() / args.sample.max(1)).max(1);
        let sample: Vec<PathBuf> = crates
            .iter()
            .step_by(step)
            .take(args.sample)
            .cloned()
            .collect();
        let sample_selection = selection_of(&sample);
        let ((sample_report, _), ours_sample) = best_of(args.runs, || check(&sample_selection));
        let sample_bytes: u64 = sample_report.packages.iter().map(|p| p.bytes_scanned).sum();
        // detect-secrets silently skips paths outside its working directory:
        // run it from the corpus folder with relative names, and check that
        // it reported something, so a run that scanned nothing cannot pass
        // for a fast one.
        let corpus_dir = sample[0].parent().unwrap_or(Path::new("/")).to_path_buf();
        let mut ds_args = vec!["scan".to_owned(), "--all-files".to_owned()];
        ds_args.extend(
            sample
                .iter()
                .filter_map(|c| c.file_name())
                .map(|n| n.to_string_lossy().into_owned()),
        );
        let started = Instant::now();
        let ds = Command::new("detect-secrets")
            .args(&ds_args)
            .current_dir(&corpus_dir)
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| String::from_utf8_lossy(&o.stdout).contains("\"filename\""))
            .map(|_| started.elapsed());
        match ds {
            Some(t) => println!(
                "detect-secrets on {} crates ({:.1} MB): {:.1} s; ours {:.3} s: {:.0}× faster",
                sample.len(),
                sample_bytes as f64 / 1e6,
                t.as_secs_f64(),
                ours_sample.as_secs_f64(),
                t.as_secs_f64() / ours_sample.as_secs_f64()
            ),
            None => println!("detect-secrets not installed, or it reported nothing"),
        }
    }

    // Real-world findings: counts per rule, and the crates still publishing
    // an author's personal email.
    let mut per_rule: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in report.packages.iter().flat_map(|p| &p.findings) {
        *per_rule.entry((f.rule.name, f.level.as_str())).or_default() += 1;
    }
    let with_author_email = report
        .packages
        .iter()
        .filter(|p| p.findings.iter().any(|f| f.rule.name == "author-email"))
        .count();
    println!(
        "crates publishing a personal email in `authors`: {with_author_email} of {}",
        report.packages.len()
    );
    println!("findings per rule:");
    for ((rule, level), n) in &per_rule {
        println!("  {rule:<24} {level:<8} {n}");
    }
    if args.findings {
        // Per crate, the addresses found in `authors` (personal and role),
        // for comparison with an independent extraction.
        for p in &report.packages {
            let n = p
                .findings
                .iter()
                .filter(|f| f.message.contains(".authors`"))
                .count();
            if n > 0 {
                println!("authors-found {}-{} {n}", p.name, p.version);
            }
        }
        println!("warning/error findings outside the email category:");
        for p in &report.packages {
            for f in &p.findings {
                if f.rule.category != Category::Email && f.level >= Severity::Warning {
                    let at = f
                        .start
                        .map(|s| format!(":{}:{}", s.line, s.column))
                        .unwrap_or_default();
                    println!(
                        "  {}-{}/{}{at}: {}[{}] {} ({})",
                        p.name,
                        p.version,
                        f.archive_path,
                        f.level.as_str(),
                        f.rule.name,
                        f.message,
                        f.redacted
                    );
                }
            }
        }
    }
}
