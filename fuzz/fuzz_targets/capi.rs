//! Fuzz target `capi`: the C entry points (ffi/src/lib.rs compiled in) on arbitrary bytes; the
//! body is fuzz/capi_driver.rs, replayed by ffi/tests/fuzz_replay.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../ffi/src/lib.rs"]
mod capi;
#[path = "../capi_driver.rs"]
mod capi_driver;

fuzz_target!(|data: &[u8]| capi_driver::run(data));
