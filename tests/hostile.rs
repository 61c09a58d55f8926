//! Pathological structure depth: deeply nested BER through every parser ends with an error
//! naming the cause, never a stack overflow or a verdict. No timing is asserted; a regression
//! would show as a hang or a crash.

use kyso::cms::{self, CmsError, VerifyOptions};
use kyso::revocation::ocsp::OcspError;
use kyso::revocation::{Crl, OcspResponse};
use kyso::{crypto, Certificate, InputError, Time, TrustStore};

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

const DEEP: InputError = InputError::TooDeep { limit: 64 };

#[test]
fn indefinite_nesting_past_the_limit_is_too_deep_in_every_parser() {
    let store = TrustStore::vietnam();
    let o = VerifyOptions::new(Time::now());
    // 66 levels: one past what the reader accepts (depths 0 to 64); 100,000: far past it,
    // still no stack overflow.
    for input in [indefinite(66), indefinite(100_000)] {
        assert_eq!(kyso::load_certificates(&input).unwrap_err(), DEEP);
        assert!(Certificate::from_der(&input)
            .unwrap_err()
            .to_string()
            .contains("64 levels"));
        assert_eq!(Crl::from_bytes(&input).unwrap_err(), DEEP);
        assert_eq!(OcspResponse::from_der(&input).unwrap_err(), OcspError::Malformed(DEEP));
        assert_eq!(
            cms::SignedData::from_bytes(&input).unwrap_err(),
            CmsError::Malformed(DEEP)
        );
        assert_eq!(
            cms::verify(&input, None, &store, &[], &o, crypto::default_provider()).unwrap_err(),
            CmsError::Malformed(DEEP)
        );
        assert!(kyso::tsp::token_from_response(&input).is_err());
    }
    // 65 levels are within the limit: the loader now fails on the structure instead.
    assert!(matches!(kyso::load_certificates(&indefinite(65)), Err(e) if e != DEEP));
}

#[test]
fn definite_nesting_fails_on_shape_without_descending() {
    let input = definite(2_000);
    assert!(matches!(
        Crl::from_bytes(&input),
        Err(InputError::Malformed {
            what: "signatureAlgorithm",
            ..
        })
    ));
    assert!(matches!(
        cms::SignedData::from_bytes(&input),
        Err(CmsError::Malformed(InputError::Malformed {
            what: "contentType",
            ..
        }))
    ));
    assert!(matches!(
        OcspResponse::from_der(&input),
        Err(OcspError::Malformed(InputError::Malformed {
            what: "responseStatus",
            ..
        }))
    ));
    assert!(Certificate::from_der(&input).is_err());
}
