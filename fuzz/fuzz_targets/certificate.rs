//! Certificate::from_der on arbitrary bytes: an error or a certificate, never a panic; a
//! certificate that parses also summarises and identifies without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = kyso::Certificate::from_der(data) {
        let _ = kyso::vn::quirks(&cert);
        let _ = kyso::vn::Identity::of(&cert);
        let _ = cert.public_key();
        let _ = cert.extensions().unknown_critical();
    }
});
