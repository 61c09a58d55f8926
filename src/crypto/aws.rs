//! The aws-lc-rs provider (default).

use aws_lc_rs::digest;
use aws_lc_rs::signature::{self as sig, RsaParameters, RsaPssSaltLength, RsaPublicKeyComponents, UnparsedPublicKey};

use super::{generic, CryptoProvider, Curve, HashAlgorithm, Hasher, PublicKey, RsaPublicKey, SignatureAlgorithm};
use crate::error::CryptoError;

/// Signature math and hashing by aws-lc-rs (AWS-LC, a BoringSSL descendant).
#[derive(Debug, Clone, Copy, Default)]
pub struct AwsLcProvider;

fn digest_alg(h: HashAlgorithm) -> &'static digest::Algorithm {
    match h {
        HashAlgorithm::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        HashAlgorithm::Sha224 => &digest::SHA224,
        HashAlgorithm::Sha256 => &digest::SHA256,
        HashAlgorithm::Sha384 => &digest::SHA384,
        HashAlgorithm::Sha512 => &digest::SHA512,
    }
}

struct AwsHasher(digest::Context);

impl Hasher for AwsHasher {
    fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
    fn finish(self: Box<Self>) -> Vec<u8> {
        self.0.finish().as_ref().to_vec()
    }
    fn fork(&self) -> Option<Box<dyn Hasher>> {
        Some(Box::new(AwsHasher(self.0.clone())))
    }
}

/// aws-lc-rs parameters for RSASSA-PKCS1-v1_5, where it has them.
fn pkcs1_params(hash: HashAlgorithm, bits: usize) -> Option<&'static RsaParameters> {
    use HashAlgorithm::*;
    match (hash, bits) {
        (Sha1, 2048..=8192) => Some(&sig::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY),
        (Sha256, 2048..=8192) => Some(&sig::RSA_PKCS1_2048_8192_SHA256),
        (Sha384, 2048..=8192) => Some(&sig::RSA_PKCS1_2048_8192_SHA384),
        (Sha512, 2048..=8192) => Some(&sig::RSA_PKCS1_2048_8192_SHA512),
        (Sha1, 1024..=2047) => Some(&sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY),
        (Sha256, 1024..=2047) => Some(&sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY),
        (Sha512, 1024..=2047) => Some(&sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY),
        _ => None,
    }
}

/// aws-lc-rs parameters for RSASSA-PSS (MGF1 with the message hash; keys of 2048–8192 bits).
fn pss_params(hash: HashAlgorithm, mgf1: HashAlgorithm, salt: usize, bits: usize) -> Option<RsaParameters> {
    if hash != mgf1 || !(2048..=8192).contains(&bits) {
        return None;
    }
    let base = match hash {
        HashAlgorithm::Sha256 => sig::RSA_PSS_2048_8192_SHA256,
        HashAlgorithm::Sha384 => sig::RSA_PSS_2048_8192_SHA384,
        HashAlgorithm::Sha512 => sig::RSA_PSS_2048_8192_SHA512,
        _ => return None,
    };
    // RSA_PSS_SALTLEN_DIGEST would accept only the digest length, which is what we want
    // when they match; any other length is passed exactly.
    let salt = u16::try_from(salt).ok()?;
    Some(base.with_pss_salt_length(RsaPssSaltLength::Custom(salt)))
}

fn ecdsa_alg(curve: Curve, hash: HashAlgorithm) -> Option<&'static sig::EcdsaVerificationAlgorithm> {
    use HashAlgorithm::*;
    match (curve, hash) {
        (Curve::P256, Sha1) => Some(&sig::ECDSA_P256_SHA1_ASN1),
        (Curve::P256, Sha256) => Some(&sig::ECDSA_P256_SHA256_ASN1),
        (Curve::P256, Sha384) => Some(&sig::ECDSA_P256_SHA384_ASN1),
        (Curve::P256, Sha512) => Some(&sig::ECDSA_P256_SHA512_ASN1),
        (Curve::P384, Sha256) => Some(&sig::ECDSA_P384_SHA256_ASN1),
        (Curve::P384, Sha384) => Some(&sig::ECDSA_P384_SHA384_ASN1),
        (Curve::P384, Sha512) => Some(&sig::ECDSA_P384_SHA512_ASN1),
        _ => None,
    }
}

fn components(key: &RsaPublicKey) -> RsaPublicKeyComponents<&[u8]> {
    RsaPublicKeyComponents { n: &key.n, e: &key.e }
}

impl CryptoProvider for AwsLcProvider {
    fn name(&self) -> &'static str {
        "aws-lc-rs"
    }

    fn hasher(&self, alg: HashAlgorithm) -> Box<dyn Hasher> {
        Box::new(AwsHasher(digest::Context::new(digest_alg(alg))))
    }

    fn digest(&self, alg: HashAlgorithm, data: &[u8]) -> Vec<u8> {
        digest::digest(digest_alg(alg), data).as_ref().to_vec()
    }

    fn verify(
        &self,
        alg: &SignatureAlgorithm,
        key: &PublicKey,
        msg: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        let bad = |_| CryptoError::BadSignature;
        let digest = |h: HashAlgorithm, d: &[u8]| self.digest(h, d);
        match (*alg, key) {
            (SignatureAlgorithm::RsaPkcs1 { hash }, PublicKey::Rsa(k)) => match pkcs1_params(hash, k.bits) {
                Some(p) => components(k).verify(p, msg, signature).map_err(bad),
                None => generic::verify_pkcs1(k, hash, &self.digest(hash, msg), signature),
            },
            (
                SignatureAlgorithm::RsaPss {
                    hash,
                    mgf1_hash,
                    salt_len,
                },
                PublicKey::Rsa(k),
            ) => match pss_params(hash, mgf1_hash, salt_len, k.bits) {
                Some(p) => components(k).verify(&p, msg, signature).map_err(bad),
                None => generic::verify_pss(
                    k,
                    hash,
                    mgf1_hash,
                    salt_len,
                    &self.digest(hash, msg),
                    signature,
                    &digest,
                ),
            },
            (SignatureAlgorithm::Ecdsa { hash }, PublicKey::Ec { curve, point }) => {
                let a = ecdsa_alg(*curve, hash).ok_or_else(|| CryptoError::UnsupportedAlgorithm { oid: alg.name() })?;
                UnparsedPublicKey::new(a, point).verify(msg, signature).map_err(bad)
            }
            _ => Err(CryptoError::KeyAlgorithmMismatch),
        }
    }
}
