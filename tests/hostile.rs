//! Pathological structure depth: deeply nested BER through every parser ends with an error
//! naming the cause, never a stack overflow or a verdict. No timing is asserted; a regression
//! would show as a hang or a crash.

use kyso::cms::{self, CmsError, VerifyOptions};
use kyso::revocation::OcspError;
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
        assert_eq!(
            kyso::cms::tsp::token_from_response(&input).unwrap_err(),
            kyso::cms::tsp::TspError::Malformed(DEEP)
        );
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

/// Over every parser's size limit: a typed TooLarge error before any parsing (the bytes are
/// zeros, so a parser that looked at them would fail differently).
#[test]
fn oversized_input_is_refused_by_size_in_every_parser() {
    let too_large = |e: &InputError, limit: usize| matches!(e, InputError::TooLarge { limit: l, .. } if *l == limit);
    let mb = 1 << 20;
    let input = vec![0u8; 64 * mb + 1];
    assert!(too_large(&kyso::load_certificates(&input).unwrap_err(), 64 * mb));
    match cms::SignedData::from_bytes(&input).unwrap_err() {
        CmsError::Malformed(e) => assert!(too_large(&e, cms::MAX_SIGNATURE_SIZE), "{e}"),
        other => panic!("{other}"),
    }
    assert!(Certificate::from_der(&vec![0u8; mb + 1])
        .unwrap_err()
        .to_string()
        .contains("above the limit"));
    match OcspResponse::from_der(&vec![0u8; mb + 1]).unwrap_err() {
        OcspError::Malformed(e) => assert!(too_large(&e, kyso::revocation::MAX_OCSP_SIZE), "{e}"),
        other => panic!("{other:?}"),
    }
    let crl = vec![0u8; kyso::revocation::MAX_CRL_SIZE + 1];
    assert!(too_large(
        &Crl::from_bytes(&crl).unwrap_err(),
        kyso::revocation::MAX_CRL_SIZE
    ));
    #[cfg(feature = "aws-lc")]
    {
        let p12 = vec![0u8; 16 * mb + 1];
        let Err(e) = kyso::sign::SoftwareSigner::from_pkcs12(&p12, "") else {
            panic!("a 16 MiB + 1 PKCS#12 was opened");
        };
        assert!(e.to_string().contains("limit"), "{e}");
    }
}

/// Errors name the absolute offset of the element at fault, however deep it lies: a wrong
/// tag on the eContentType of a real signature (inside ContentInfo → [0] → SignedData →
/// EncapsulatedContentInfo) is reported at that byte, as is a truncated CRL entry list.
#[test]
#[cfg(feature = "aws-lc")]
fn errors_carry_absolute_offsets() {
    let pki = kyso_testpki::VietnamTestPki::build();
    let signer = kyso::sign::SoftwareSigner::from_pkcs8(
        pki.company.key.pkcs8(),
        Certificate::from_der(&pki.company.cert).unwrap(),
    )
    .unwrap();
    let mut sig = kyso::sign::sign(
        kyso::sign::Content::Bytes(b"x"),
        &signer,
        &kyso::sign::SignOptions::new(Time::now()),
        crypto::default_provider(),
    )
    .unwrap();
    // id-data (1.2.840.113549.1.7.1) is the eContentType; the outer ContentInfo says
    // id-signedData (…7.2), so the first id-data is the one inside.
    let id_data = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];
    let at = sig.windows(id_data.len()).position(|w| w == id_data).unwrap();
    assert!(at > 20, "eContentType lies deep inside, at {at}");
    sig[at] = 0x04; // an OCTET STRING where the OID must be
    assert_eq!(
        cms::SignedData::from_bytes(&sig).unwrap_err(),
        CmsError::Malformed(InputError::Malformed {
            what: "eContentType",
            offset: at
        })
    );
}
