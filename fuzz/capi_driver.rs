//! The body of the `capi` fuzz target: arbitrary bytes through the C entry points, as a C
//! caller would pass them. Included next to a `capi` module (ffi/src/lib.rs) by
//! `fuzz/fuzz_targets/capi.rs` and by `ffi/tests/fuzz_replay.rs`.

use crate::capi::*;
use std::ptr::{null, null_mut};

/// One input: verify it as an attached and as a detached CMS (split in two), as a chain, add it
/// to a store, and open it as a PKCS#12 file. Nothing fuzzed may verify.
pub fn run(data: &[u8]) {
    // SAFETY: every pointer is valid for its length; every object is freed once.
    unsafe {
        // Adding certificates is fuzzed on a store of its own: a signature verified against a
        // store that trusts its own embedded signer is rightly VALID (the first finding of this
        // target was exactly that, a fault of this driver, kept in fuzz/regressions/capi).
        let mut scratch: *mut kyso_trust_store = null_mut();
        assert_eq!(kyso_trust_store_new(&mut scratch), KYSO_OK);
        let _ = kyso_trust_store_add(scratch, data.as_ptr(), data.len(), KYSO_HIERARCHY_CUSTOM);
        let _ = kyso_trust_store_add_intermediates(scratch, data.as_ptr(), data.len(), KYSO_HIERARCHY_PUBLIC);
        kyso_trust_store_free(scratch);
        let mut ts: *mut kyso_trust_store = null_mut();
        assert_eq!(kyso_trust_store_new(&mut ts), KYSO_OK);
        let check = |rc: u32, r: *mut kyso_report| {
            if rc == KYSO_OK {
                let mut n = 0usize;
                let _ = kyso_report_json(r, null_mut(), 0, &mut n);
                let mut buf = vec![0 as std::ffi::c_char; n];
                assert_eq!(kyso_report_json(r, buf.as_mut_ptr(), n, &mut n), KYSO_OK);
                // The validation report, as JSON and as text in both languages.
                let _ = kyso_report_validation_json(r, null_mut(), 0, &mut n);
                let mut buf = vec![0 as std::ffi::c_char; n];
                assert_eq!(kyso_report_validation_json(r, buf.as_mut_ptr(), n, &mut n), KYSO_OK);
                for lang in [KYSO_LANG_EN, KYSO_LANG_VI] {
                    let _ = kyso_report_text(r, lang, null_mut(), 0, &mut n);
                    let mut buf = vec![0 as std::ffi::c_char; n];
                    assert_eq!(kyso_report_text(r, lang, buf.as_mut_ptr(), n, &mut n), KYSO_OK);
                }
                kyso_report_free(r);
            } else {
                assert!(r.is_null(), "out-parameter written on error {rc}");
            }
        };
        let mut r: *mut kyso_report = null_mut();
        let rc = kyso_verify_cms(ts, data.as_ptr(), data.len(), null(), 0, 0, &mut r);
        if rc == KYSO_OK {
            assert_ne!(kyso_report_verdict(r), KYSO_VALID, "fuzzed bytes verified");
        }
        check(rc, r);
        let (a, b) = data.split_at(data.len() / 2);
        let mut r: *mut kyso_report = null_mut();
        let rc = kyso_verify_cms_ex(
            ts,
            a.as_ptr(),
            a.len(),
            b.as_ptr(),
            b.len(),
            0,
            KYSO_VERIFY_HARD_FAIL,
            &mut r,
        );
        if rc == KYSO_OK {
            assert_ne!(kyso_report_verdict(r), KYSO_VALID, "fuzzed bytes verified");
        }
        check(rc, r);
        let mut r: *mut kyso_report = null_mut();
        let rc = kyso_verify_chain(ts, data.as_ptr(), data.len(), b.as_ptr(), b.len(), 0, &mut r);
        check(rc, r);
        let mut out: *mut u8 = null_mut();
        let mut len = 0usize;
        let rc = kyso_sign_cms_pkcs12(
            data.as_ptr(),
            data.len(),
            c"".as_ptr(),
            a.as_ptr(),
            a.len(),
            1,
            &mut out,
            &mut len,
        );
        if rc == KYSO_OK {
            kyso_bytes_free(out, len);
        } else {
            assert!(out.is_null());
        }
        kyso_trust_store_free(ts);
    }
}
