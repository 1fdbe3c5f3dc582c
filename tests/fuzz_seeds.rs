//! Replays the fuzz corpus on stable: every committed seed
//! (`fuzz/corpus/<target>/`) and every crash found so far and fixed
//! (`fuzz/regressions/<target>/`) goes through the same invariant function
//! the cargo-fuzz target calls (`fuzz/src/checks.rs`, included below), so CI
//! keeps what fuzzing found without nightly. A crash found goes under
//! `fuzz/regressions/<target>/` with its fix.

use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

/// The files of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`,
/// sorted; the corpus must not be empty.
fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files: Vec<PathBuf> = ["corpus", "regressions"]
        .iter()
        .map(|kind| fuzz.join(kind).join(target))
        .filter(|dir| dir.is_dir())
        .flat_map(|dir| std::fs::read_dir(dir).expect("read the corpus folder"))
        .map(|entry| entry.expect("read a corpus entry").path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "fuzz/corpus/{target}/ holds {} seeds",
        files.len()
    );
    files
}

/// Runs `check` on every input of `target`, naming the input that broke it.
fn replay(target: &str, check: impl Fn(&Path, &[u8])) {
    for path in inputs(target) {
        let bytes = std::fs::read(&path).expect("read a seed");
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&path, &bytes)));
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            panic!("{} broke its invariant: {message}", path.display());
        }
    }
}

#[test]
fn manifest_config_seeds_parse_or_render_their_error() {
    replay("manifest_config", |_, bytes| checks::manifest_config(bytes));
}

#[test]
fn archive_seeds_check_or_render_their_error() {
    replay("archive", |_, bytes| checks::archive(bytes));
}

#[test]
fn command_line_seeds_exit_0_1_or_2() {
    replay("command_line", |_, bytes| checks::command_line(bytes));
}

/// Besides the fuzz invariant (no 8-character piece of the planted value in
/// any format), each seed's planted value must be reported: an output that
/// says nothing would pass the invariant trivially. (Not asked of crashes
/// kept under `regressions/`, which may plant a value on purpose allowed.)
#[test]
fn no_planted_value_seeds_are_reported_and_never_repeated() {
    replay("no_planted_value", |path, bytes| {
        let planting = checks::no_planted_value(bytes).expect("a seed has its 4-byte header");
        let seed = path.components().any(|c| c.as_os_str() == "corpus");
        assert!(
            planting.reported || !seed,
            "{}: the planted {} was not reported at notes.txt",
            path.display(),
            planting.planted.rule
        );
    });
}

/// The generator plants what the rules recognise: a checksum-valid GitHub
/// token, an AWS key id, and a personal address whose mailbox is the part
/// that must stay hidden.
#[test]
fn planted_values_have_the_shape_of_their_rule() {
    let token = checks::plant(0, 7);
    assert_eq!(token.value.len(), 40);
    assert!(token.value.starts_with("ghp_"));
    assert!(
        cargo_privacy_check::rules::tokens::codec::crc32_base62_valid(&token.value.as_bytes()[4..])
    );
    let aws = checks::plant(1, 7);
    assert_eq!(aws.value.len(), 20);
    assert!(aws.value.starts_with("AKIA"));
    let email = checks::plant(2, 7);
    assert_eq!(email.value, format!("{}@gmail.com", email.secret));
    assert_eq!(email.secret.len(), 15);
}
