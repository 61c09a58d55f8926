//! Pathological structure depth: deeply nested BER (indefinite and definite lengths) through
//! every parser ends with an error (the reader's depth limit is 64), never a stack overflow or
//! a verdict. No timing is asserted; a regression would show as a hang or a crash.

use kyso::cms::{self, VerifyOptions};
use kyso::{crypto, Time, TrustStore};

/// `levels` nested constructed SEQUENCEs with indefinite lengths, closed properly.
fn indefinite(levels: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(levels * 4);
    for _ in 0..levels {
        v.extend_from_slice(&[0x30, 0x80]);
    }
    for _ in 0..levels {
        v.extend_from_slice(&[0x00, 0x00]);
    }
    v
}

/// `levels` nested SEQUENCEs with definite (long-form) lengths.
fn definite(levels: usize) -> Vec<u8> {
    let mut v: Vec<u8> = vec![0x05, 0x00];
    for _ in 0..levels {
        let n = v.len() as u32;
        let mut outer = vec![0x30, 0x84];
        outer.extend_from_slice(&n.to_be_bytes());
        outer.extend_from_slice(&v);
        v = outer;
    }
    v
}

#[test]
fn deep_nesting_is_refused_by_every_parser() {
    let store = TrustStore::vietnam();
    let o = VerifyOptions::new(Time::now());
    for input in [indefinite(100_000), definite(2_000), indefinite(70), definite(70)] {
        assert!(kyso::load_certificates(&input).is_err());
        assert!(kyso::Certificate::from_der(&input).is_err());
        assert!(kyso::revocation::Crl::from_bytes(&input).is_err());
        assert!(kyso::revocation::OcspResponse::from_der(&input).is_err());
        assert!(cms::SignedData::from_bytes(&input).is_err());
        assert!(cms::verify(&input, None, &store, &[], &o, crypto::default_provider()).is_err());
        assert!(kyso::tsp::token_from_response(&input).is_err());
    }
}
