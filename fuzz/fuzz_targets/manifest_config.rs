//! cargo-fuzz target `manifest_config`: the invariant is `checks::manifest_config` (fuzz/src/checks.rs),
//! which tests/fuzz_seeds.rs also replays on stable.
#![no_main]

#[allow(dead_code)]
#[path = "../src/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::manifest_config(data);
});
