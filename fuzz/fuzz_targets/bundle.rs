//! The input loader (DER, PEM, base64, BER PKCS#7) on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kyso::input::load(data);
});
