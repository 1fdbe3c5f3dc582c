//! cargo-fuzz target `command_line`: the invariant is `checks::command_line` (fuzz/src/checks.rs),
//! which tests/fuzz_seeds.rs also replays on stable.
#![no_main]

#[allow(dead_code)]
#[path = "../src/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::command_line(data);
});
