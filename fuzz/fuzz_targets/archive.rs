//! cargo-fuzz target `archive`: the invariant is `checks::archive` (fuzz/src/checks.rs),
//! which tests/fuzz_seeds.rs also replays on stable.
#![no_main]

#[allow(dead_code)]
#[path = "../src/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::archive(data);
});
