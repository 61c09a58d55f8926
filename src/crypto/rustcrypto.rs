//! The pure-Rust provider: RustCrypto `rsa`, `p256`, `p384`, `sha1`, `sha2`.
//!
//! Verification only: kyso never signs with the `rsa` crate (Marvin, RUSTSEC-2023-0071).

use rsa::{BoxedUint, Pkcs1v15Sign, Pss};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use signature::hazmat::PrehashVerifier;

use super::{generic, CryptoProvider, Curve, HashAlgorithm, Hasher, PublicKey, RsaPublicKey, SignatureAlgorithm};
use crate::error::CryptoError;

/// Signature math and hashing by the RustCrypto crates, with no C code.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCryptoProvider;

#[derive(Clone)]
enum AnyHasher {
    Sha1(Sha1),
    Sha224(Sha224),
    Sha256(Sha256),
    Sha384(Sha384),
    Sha512(Sha512),
}

impl Hasher for AnyHasher {
    fn update(&mut self, data: &[u8]) {
        match self {
            AnyHasher::Sha1(h) => h.update(data),
            AnyHasher::Sha224(h) => h.update(data),
            AnyHasher::Sha256(h) => h.update(data),
            AnyHasher::Sha384(h) => h.update(data),
            AnyHasher::Sha512(h) => h.update(data),
        }
    }
    fn finish(self: Box<Self>) -> Vec<u8> {
        match *self {
            AnyHasher::Sha1(h) => h.finalize().to_vec(),
            AnyHasher::Sha224(h) => h.finalize().to_vec(),
            AnyHasher::Sha256(h) => h.finalize().to_vec(),
            AnyHasher::Sha384(h) => h.finalize().to_vec(),
            AnyHasher::Sha512(h) => h.finalize().to_vec(),
        }
    }
    fn fork(&self) -> Option<Box<dyn Hasher>> {
        Some(Box::new(self.clone()))
    }
}

fn rsa_key(k: &RsaPublicKey) -> Result<rsa::RsaPublicKey, CryptoError> {
    let n = BoxedUint::from_be_slice_vartime(&k.n);
    let e = BoxedUint::from_be_slice_vartime(&k.e);
    rsa::RsaPublicKey::new_with_size_limits(n, e, super::MIN_LEGACY_RSA_BITS..=16384).map_err(|_| {
        CryptoError::InvalidKey {
            reason: "RSA key rejected",
        }
    })
}

fn pkcs1_scheme(hash: HashAlgorithm) -> Pkcs1v15Sign {
    match hash {
        HashAlgorithm::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
        HashAlgorithm::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
        HashAlgorithm::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
        HashAlgorithm::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
        HashAlgorithm::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
    }
}

fn verify_pss_same_mgf(
    key: &rsa::RsaPublicKey,
    hash: HashAlgorithm,
    salt: usize,
    hashed: &[u8],
    sig: &[u8],
) -> rsa::Result<()> {
    match hash {
        HashAlgorithm::Sha1 => key.verify(Pss::<Sha1>::new_with_salt(salt), hashed, sig),
        HashAlgorithm::Sha224 => key.verify(Pss::<Sha224>::new_with_salt(salt), hashed, sig),
        HashAlgorithm::Sha256 => key.verify(Pss::<Sha256>::new_with_salt(salt), hashed, sig),
        HashAlgorithm::Sha384 => key.verify(Pss::<Sha384>::new_with_salt(salt), hashed, sig),
        HashAlgorithm::Sha512 => key.verify(Pss::<Sha512>::new_with_salt(salt), hashed, sig),
    }
}

fn verify_ecdsa(curve: Curve, point: &[u8], prehash: &[u8], sig: &[u8]) -> Result<(), CryptoError> {
    let bad = |_| CryptoError::BadSignature;
    match curve {
        Curve::P256 => {
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map_err(|_| CryptoError::InvalidKey { reason: "P-256 point" })?;
            let s = p256::ecdsa::DerSignature::from_bytes(sig).map_err(bad)?;
            key.verify_prehash(prehash, &s).map_err(bad)
        }
        Curve::P384 => {
            let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map_err(|_| CryptoError::InvalidKey { reason: "P-384 point" })?;
            let s = p384::ecdsa::DerSignature::from_bytes(sig).map_err(bad)?;
            key.verify_prehash(prehash, &s).map_err(bad)
        }
    }
}

impl CryptoProvider for RustCryptoProvider {
    fn name(&self) -> &'static str {
        "rustcrypto"
    }

    fn hasher(&self, alg: HashAlgorithm) -> Box<dyn Hasher> {
        Box::new(match alg {
            HashAlgorithm::Sha1 => AnyHasher::Sha1(Sha1::new()),
            HashAlgorithm::Sha224 => AnyHasher::Sha224(Sha224::new()),
            HashAlgorithm::Sha256 => AnyHasher::Sha256(Sha256::new()),
            HashAlgorithm::Sha384 => AnyHasher::Sha384(Sha384::new()),
            HashAlgorithm::Sha512 => AnyHasher::Sha512(Sha512::new()),
        })
    }

    fn verify(
        &self,
        alg: &SignatureAlgorithm,
        key: &PublicKey,
        msg: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        let bad = |_| CryptoError::BadSignature;
        let hashed = self.digest(alg.hash(), msg);
        match (*alg, key) {
            (SignatureAlgorithm::RsaPkcs1 { hash }, PublicKey::Rsa(k)) => {
                rsa_key(k)?.verify(pkcs1_scheme(hash), &hashed, signature).map_err(bad)
            }
            (
                SignatureAlgorithm::RsaPss {
                    hash,
                    mgf1_hash,
                    salt_len,
                },
                PublicKey::Rsa(k),
            ) => {
                if hash == mgf1_hash {
                    verify_pss_same_mgf(&rsa_key(k)?, hash, salt_len, &hashed, signature).map_err(bad)
                } else {
                    let digest = |h: HashAlgorithm, d: &[u8]| self.digest(h, d);
                    generic::verify_pss(k, hash, mgf1_hash, salt_len, &hashed, signature, &digest)
                }
            }
            (SignatureAlgorithm::Ecdsa { .. }, PublicKey::Ec { curve, point }) => {
                verify_ecdsa(*curve, point, &hashed, signature)
            }
            _ => Err(CryptoError::KeyAlgorithmMismatch),
        }
    }
}
