//! cargo-fuzz target `no_planted_value`: the invariant is `checks::no_planted_value` (fuzz/src/checks.rs),
//! which tests/fuzz_seeds.rs also replays on stable.
#![no_main]

#[allow(dead_code)]
#[path = "../src/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = checks::no_planted_value(data);
});
