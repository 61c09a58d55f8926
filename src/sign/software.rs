//! A private key held in memory: PKCS#8 or PKCS#12, signing with aws-lc-rs.

#[cfg(feature = "aws-lc")]
use crate::asn1::tag;
use crate::cert::Certificate;
#[cfg(feature = "aws-lc")]
use crate::crypto;
use crate::crypto::{HashAlgorithm, SignatureAlgorithm};

use super::{KeyError, SignError, Signer, SignerFailure};

/// A private key held in memory (aws-lc-rs; never the `rsa` crate, RUSTSEC-2023-0071).
pub struct SoftwareSigner {
    cert: Certificate,
    #[cfg_attr(not(feature = "aws-lc"), allow(dead_code))]
    key: SoftwareKey,
    alg: SignatureAlgorithm,
}

enum SoftwareKey {
    #[cfg(feature = "aws-lc")]
    Rsa(aws_lc_rs::signature::RsaKeyPair),
    #[cfg(feature = "aws-lc")]
    Ec(aws_lc_rs::signature::EcdsaKeyPair),
    #[cfg(not(feature = "aws-lc"))]
    #[allow(dead_code)]
    None,
}

impl std::fmt::Debug for SoftwareSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("SoftwareSigner")
            .field("certificate", &self.cert.subject().display())
            .field("algorithm", &self.alg.name())
            .finish()
    }
}

/// A key given as DER, or as the first PEM block of a text (kyso's one PEM reader): bad PEM
/// is a typed error, never an empty key.
#[cfg(feature = "aws-lc")]
fn pem_or_der(bytes: &[u8]) -> Result<Vec<u8>, KeyError> {
    if bytes.first() == Some(&tag::SEQUENCE.byte()) {
        return Ok(bytes.to_vec());
    }
    crate::pem::first_pem_block(bytes).map_err(KeyError::Malformed)
}

impl SoftwareSigner {
    /// A signer from a PKCS#8 private key (DER or PEM `PRIVATE KEY`) and its certificate. RSA
    /// keys sign RSA PKCS#1 v1.5 with SHA-256 (what Vietnamese verifiers expect); EC P-256 and
    /// P-384 keys sign ECDSA with SHA-256 / SHA-384.
    #[cfg(feature = "aws-lc")]
    pub fn from_pkcs8(key: &[u8], cert: Certificate) -> Result<SoftwareSigner, SignError> {
        use aws_lc_rs::signature::{
            EcdsaKeyPair, KeyPair, RsaKeyPair, ECDSA_P256_SHA256_ASN1_SIGNING, ECDSA_P384_SHA384_ASN1_SIGNING,
        };
        let der = pem_or_der(key)?;
        let cert_key = crate::revocation::ocsp::public_key_bits(&cert).unwrap_or(&[]).to_vec();
        if let Ok(k) = RsaKeyPair::from_pkcs8(&der) {
            if k.public_key().as_ref() != cert_key.as_slice() {
                return Err(KeyError::DoesNotMatchCertificate.into());
            }
            return Ok(SoftwareSigner {
                cert,
                key: SoftwareKey::Rsa(k),
                alg: SignatureAlgorithm::RsaPkcs1 {
                    hash: HashAlgorithm::Sha256,
                },
            });
        }
        for (alg, hash) in [
            (&ECDSA_P256_SHA256_ASN1_SIGNING, HashAlgorithm::Sha256),
            (&ECDSA_P384_SHA384_ASN1_SIGNING, HashAlgorithm::Sha384),
        ] {
            if let Ok(k) = EcdsaKeyPair::from_pkcs8(alg, &der) {
                if k.public_key().as_ref() != cert_key.as_slice() {
                    return Err(KeyError::DoesNotMatchCertificate.into());
                }
                return Ok(SoftwareSigner {
                    cert,
                    key: SoftwareKey::Ec(k),
                    alg: SignatureAlgorithm::Ecdsa { hash },
                });
            }
        }
        Err(KeyError::Unsupported.into())
    }

    /// A signer from a PKCS#12 file (.p12, .pfx): its private key and the certificate whose key
    /// matches it; the file's other certificates are returned as the chain to include.
    #[cfg(feature = "aws-lc")]
    pub fn from_pkcs12(p12: &[u8], password: &str) -> Result<(SoftwareSigner, Vec<Certificate>), SignError> {
        let provider = crypto::default_provider();
        let (key, certs) = super::pkcs12::open(p12, password, provider)?;
        let mut last = SignError::Key(KeyError::NoMatchingCertificate);
        for (i, cert) in certs.iter().enumerate() {
            match SoftwareSigner::from_pkcs8(&key, cert.clone()) {
                Ok(s) => {
                    let chain = certs
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .map(|(_, c)| c.clone())
                        .collect();
                    return Ok((s, chain));
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    /// Sign with RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) instead of PKCS#1 v1.5.
    pub fn with_pss(mut self) -> Result<SoftwareSigner, SignError> {
        match self.alg {
            SignatureAlgorithm::RsaPkcs1 { .. } => {
                self.alg = SignatureAlgorithm::RsaPss {
                    hash: HashAlgorithm::Sha256,
                    mgf1_hash: HashAlgorithm::Sha256,
                    salt_len: 32,
                };
                Ok(self)
            }
            _ => Err(KeyError::PssNeedsRsa.into()),
        }
    }
}

impl Signer for SoftwareSigner {
    fn certificate(&self) -> &Certificate {
        &self.cert
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.alg
    }

    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, SignError> {
        #[cfg(feature = "aws-lc")]
        {
            use aws_lc_rs::rand::SystemRandom;
            use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RSA_PSS_SHA256};
            let rng = SystemRandom::new();
            let err = |_| SignError::Signer(SignerFailure::SoftwareKey);
            match &self.key {
                SoftwareKey::Rsa(k) => {
                    let mut sig = vec![0u8; k.public_modulus_len()];
                    let enc = match self.alg {
                        SignatureAlgorithm::RsaPss { .. } => &RSA_PSS_SHA256,
                        _ => &RSA_PKCS1_SHA256,
                    };
                    k.sign(enc, &rng, data, &mut sig).map_err(err)?;
                    Ok(sig)
                }
                SoftwareKey::Ec(k) => Ok(k.sign(&rng, data).map_err(err)?.as_ref().to_vec()),
            }
        }
        #[cfg(not(feature = "aws-lc"))]
        {
            let _ = data;
            Err(SignError::Signer(SignerFailure::NoSoftwareProvider))
        }
    }
}
