//! RSA signature encodings done by kyso itself, for the combinations a provider's own API
//! does not offer (aws-lc-rs has no SHA-224 and no PSS with a different MGF1 hash; the `rsa`
//! crate ties MGF1 to the message hash). Only public-key operations happen here, so constant
//! time does not matter; correctness does, and both encodings are checked by the Wycheproof
//! vectors on both providers.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use num_bigint::BigUint;

use super::{HashAlgorithm, RsaPublicKey};
use crate::error::CryptoError;

/// RSAVP1 with I2OSP (RFC 8017 §5.2.2, §8.1.2 step 2): `sig^e mod n`, `k` bytes long.
pub(crate) fn rsa_public_op(key: &RsaPublicKey, sig: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let k = key.n.len();
    // §8.2.2 step 1: the signature is exactly k octets.
    if sig.len() != k {
        return Err(CryptoError::BadSignature);
    }
    let n = BigUint::from_bytes_be(&key.n);
    let s = BigUint::from_bytes_be(sig);
    if s >= n {
        return Err(CryptoError::BadSignature);
    }
    let m = s.modpow(&BigUint::from_bytes_be(&key.e), &n).to_bytes_be();
    let mut em = vec![0u8; k.saturating_sub(m.len())];
    em.extend_from_slice(&m);
    if em.len() != k {
        return Err(CryptoError::BadSignature);
    }
    Ok(em)
}

/// DigestInfo (RFC 8017 §9.2 step 2) with the hash's AlgorithmIdentifier carrying NULL.
#[cfg_attr(not(feature = "aws-lc"), allow(dead_code))]
pub(crate) fn digest_info(hash: HashAlgorithm, digest: &[u8]) -> Vec<u8> {
    use crate::encode::{self, AlgorithmIdentifier, DigestInfo};
    encode::bounded((|| {
        encode::to_der(&DigestInfo {
            digest_algorithm: AlgorithmIdentifier::with_null(hash.oid())?,
            digest: encode::octets(digest)?,
        })
    })())
}

/// RSASSA-PKCS1-v1_5 verification by re-encoding and comparing (RFC 8017 §8.2.2 step 3–4).
/// Only the encoding with NULL hash parameters is accepted.
#[cfg_attr(not(feature = "aws-lc"), allow(dead_code))]
pub(crate) fn verify_pkcs1(
    key: &RsaPublicKey,
    hash: HashAlgorithm,
    digest: &[u8],
    sig: &[u8],
) -> Result<(), CryptoError> {
    let em = rsa_public_op(key, sig)?;
    let t = digest_info(hash, digest);
    let k = em.len();
    if k < t.len() + 11 {
        return Err(CryptoError::BadSignature);
    }
    let mut expected = Vec::with_capacity(k);
    expected.extend_from_slice(&[0x00, 0x01]);
    expected.resize(k - t.len() - 1, 0xFF);
    expected.push(0x00);
    expected.extend_from_slice(&t);
    if expected == em {
        Ok(())
    } else {
        Err(CryptoError::BadSignature)
    }
}

/// MGF1 (RFC 8017 §B.2.1).
fn mgf1(hash: HashAlgorithm, digest: &dyn Fn(HashAlgorithm, &[u8]) -> Vec<u8>, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + hash.output_len());
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut block = seed.to_vec();
        block.extend_from_slice(&counter.to_be_bytes());
        out.extend(digest(hash, &block));
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) after RSAVP1, with an explicit salt length.
pub(crate) fn verify_pss(
    key: &RsaPublicKey,
    hash: HashAlgorithm,
    mgf1_hash: HashAlgorithm,
    salt_len: usize,
    m_hash: &[u8],
    sig: &[u8],
    digest: &dyn Fn(HashAlgorithm, &[u8]) -> Vec<u8>,
) -> Result<(), CryptoError> {
    let bad = Err(CryptoError::BadSignature);
    let full = rsa_public_op(key, sig)?;
    let em_bits = key.bits - 1;
    let em_len = em_bits.div_ceil(8);
    // When modBits − 1 is a multiple of 8 the encoded message is one octet shorter than k
    // and that leading octet must be zero.
    let (lead, em) = full.split_at(full.len() - em_len);
    if lead.iter().any(|b| *b != 0) {
        return bad;
    }
    let h_len = hash.output_len();
    if m_hash.len() != h_len || em_len < h_len + salt_len + 2 {
        return bad;
    }
    if em.last() != Some(&0xBC) {
        return bad;
    }
    let (masked_db, rest) = em.split_at(em_len - h_len - 1);
    let h = rest.get(..h_len).unwrap_or(&[]);
    let zero_bits = 8 * em_len - em_bits;
    let top_mask: u8 = if zero_bits == 0 { 0 } else { 0xFFu8 << (8 - zero_bits) };
    if masked_db.first().is_some_and(|b| b & top_mask != 0) {
        return bad;
    }
    let db_mask = mgf1(mgf1_hash, digest, h, masked_db.len());
    let mut db: Vec<u8> = masked_db.iter().zip(&db_mask).map(|(a, b)| a ^ b).collect();
    if let Some(first) = db.first_mut() {
        *first &= !top_mask;
    }
    let ps_len = em_len - h_len - salt_len - 2;
    let (ps, tail) = db.split_at(ps_len);
    if ps.iter().any(|b| *b != 0) || tail.first() != Some(&0x01) {
        return bad;
    }
    let salt = tail.get(1..).unwrap_or(&[]);
    let mut m_prime = vec![0u8; 8];
    m_prime.extend_from_slice(m_hash);
    m_prime.extend_from_slice(salt);
    if digest(hash, &m_prime) == h {
        Ok(())
    } else {
        bad
    }
}
