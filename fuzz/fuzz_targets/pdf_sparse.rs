//! Fuzz target `pdf_sparse`: the body is `run("pdf_sparse", …)` in fuzz/targets.rs, replayed by tests/fuzz_replay.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../targets.rs"]
mod targets;

fuzz_target!(|data: &[u8]| targets::run("pdf_sparse", data));
