//! Fuzz target `identity`: the body is `run("identity", …)` in fuzz/targets.rs, replayed by tests/fuzz_replay.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../targets.rs"]
mod targets;

fuzz_target!(|data: &[u8]| targets::run("identity", data));
