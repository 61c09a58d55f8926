//! The one signed envelope of X.509 objects: a to-be-signed body, the algorithm, and the
//! signature as a BIT STRING — the same shape, read and verified the same way, for
//! certificates (RFC 5280 §4.1.1), CRLs (§5.1.1) and basic OCSP responses (RFC 6960 §4.2.1).
//!
//! ```asn1
//! Certificate / CertificateList / BasicOCSPResponse ::= SEQUENCE {
//!      tbs…                 SEQUENCE,
//!      signatureAlgorithm   AlgorithmIdentifier,
//!      signature(Value)     BIT STRING,
//!      …                    (BasicOCSPResponse: certs [0] EXPLICIT OPTIONAL) }
//! ```
//!
//! The signature is verified over the body's bytes as received. A BIT STRING that declares
//! unused bits is not a whole number of octets: it is read, and fails at verification as
//! OpenSSL fails it, whichever of the three objects carries it.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use std::ops::Range;

use crate::asn1::{tag, Children, Tlv};
use crate::crypto::{self, AlgorithmPolicy, CryptoProvider, PublicKey, SignatureAlgorithm, Verified};
use crate::error::{CryptoError, InputError};

/// A signed object's signature: its algorithm and value, and where its body and algorithm
/// lie in the object's DER.
#[derive(Debug, Clone)]
pub(crate) struct Signature {
    /// The signatureAlgorithm, decoded (an unknown or malformed one is kept as the error).
    pub algorithm: Result<SignatureAlgorithm, CryptoError>,
    /// The signature octets (the BIT STRING without its unused-bits octet).
    pub value: Vec<u8>,
    /// The BIT STRING's unused-bits count (0 for any signature that can verify).
    pub unused_bits: u8,
    /// The to-be-signed body in the object's DER.
    pub tbs: Range<usize>,
    /// The signatureAlgorithm in the object's DER.
    pub algorithm_der: Range<usize>,
}

/// The three fields of the envelope `outer` (a SEQUENCE read with absolute offsets from the
/// start of the object's DER), named as the object's ASN.1 names them; returns the
/// signature, the body, and the children left after the three (OCSP's certs).
pub(crate) fn read<'a>(
    outer: Tlv<'a>,
    names: [&'static str; 3],
) -> Result<(Signature, Tlv<'a>, Children<'a>), InputError> {
    let [tbs_name, alg_name, sig_name] = names;
    let mut k = outer.children();
    let tbs = k.required(tbs_name)?.expect(tag::SEQUENCE, tbs_name)?;
    let alg = k.required(alg_name)?.expect(tag::SEQUENCE, alg_name)?;
    let sig = k.required(sig_name)?.expect(tag::BIT_STRING, sig_name)?;
    let (unused_bits, value) = match sig.contents.split_first() {
        Some((u, s)) if *u < 8 => (*u, s.to_vec()),
        _ => return Err(sig.malformed(sig_name)),
    };
    let base = outer.offset;
    let range = |t: &Tlv<'_>| (t.offset - base)..(t.offset - base + t.raw.len());
    Ok((
        Signature {
            algorithm: SignatureAlgorithm::from_der(alg.raw),
            value,
            unused_bits,
            tbs: range(&tbs),
            algorithm_der: range(&alg),
        },
        tbs,
        k,
    ))
}

impl Signature {
    /// Verify this signature with `key` over the body in `der` (the object's DER as
    /// received), under `policy`.
    pub(crate) fn verify(
        &self,
        der: &[u8],
        key: &PublicKey,
        provider: &dyn CryptoProvider,
        policy: AlgorithmPolicy,
    ) -> Result<Verified, CryptoError> {
        let alg = self.algorithm.as_ref().map_err(Clone::clone)?;
        if self.unused_bits != 0 {
            return Err(CryptoError::BadSignature);
        }
        let tbs = der.get(self.tbs.clone()).ok_or(CryptoError::BadSignature)?;
        crypto::verify_signature(provider, policy, alg, key, tbs, &self.value)
    }
}
