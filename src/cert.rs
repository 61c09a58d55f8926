//! X.509 certificates (RFC 5280 §4.1): the DER as received plus kyso's decoded view.
//!
//! ```asn1
//! Certificate  ::=  SEQUENCE  {
//!      tbsCertificate       TBSCertificate,
//!      signatureAlgorithm   AlgorithmIdentifier,
//!      signatureValue       BIT STRING  }
//! ```
//!
//! A certificate is decoded once; the view is immutable and shared (`Clone` is a reference
//! count). Signatures are verified over the TBSCertificate bytes exactly as received.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use crate::asn1::{self, tag, FromTlv};
use crate::crypto::{self, AlgorithmPolicy, CryptoProvider, HashAlgorithm, PublicKey, SignatureAlgorithm, Verified};
use crate::error::{CertificateError, CryptoError};
use crate::ext::{BasicConstraints, Extensions, KeyUsage};
use crate::name::Name;
use crate::signed;
use crate::time::Time;

/// Largest certificate kyso decodes. Real CA certificates are under 3 KB; 1 MiB leaves room
/// for odd ones and stops a hostile file from costing more.
pub const MAX_CERTIFICATE_SIZE: usize = 1 << 20;

/// An X.509 certificate.
#[derive(Clone)]
pub struct Certificate(Arc<Inner>);

struct Inner {
    der: Vec<u8>,
    signature: signed::Signature,
    version: u32,
    serial: Vec<u8>,
    issuer: Name,
    subject: Name,
    not_before: Time,
    not_after: Time,
    spki: Range<usize>,
    public_key: Result<PublicKey, CryptoError>,
    extensions: Extensions,
    sha256: [u8; 32],
    sha1: [u8; 20],
}

impl Certificate {
    /// Decode a DER certificate. The bytes are copied and kept as received.
    ///
    /// kyso's reader alone decodes it, once: the outer envelope, every TBSCertificate field
    /// and the extensions kyso acts on, each error with the absolute offset of the element at
    /// fault. (x509-parser was a second decoder beside it that dropped
    /// nameRelativeToCRLIssuer and could not say where a certificate was malformed.)
    ///
    /// ```asn1
    /// TBSCertificate  ::=  SEQUENCE  {
    ///      version         [0]  EXPLICIT Version DEFAULT v1,
    ///      serialNumber         CertificateSerialNumber,
    ///      signature            AlgorithmIdentifier,
    ///      issuer               Name,
    ///      validity             Validity,
    ///      subject              Name,
    ///      subjectPublicKeyInfo SubjectPublicKeyInfo,
    ///      issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
    ///      subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
    ///      extensions      [3]  EXPLICIT Extensions OPTIONAL }
    /// ```
    pub fn from_der(der: &[u8]) -> Result<Certificate, CertificateError> {
        if der.len() > MAX_CERTIFICATE_SIZE {
            return Err(CertificateError::TooLarge {
                size: der.len(),
                limit: MAX_CERTIFICATE_SIZE,
            });
        }
        let der = der.to_vec();
        let outer = asn1::read_exact(&der)?.expect(tag::SEQUENCE, "Certificate")?;
        if outer.indefinite {
            return Err(outer
                .malformed("Certificate in BER indefinite form (DER required)")
                .into());
        }
        let (signature, tbs, mut rest) =
            signed::read(outer, ["tbsCertificate", "signatureAlgorithm", "signatureValue"])?;
        rest.finish("Certificate")?;

        let mut t = tbs.children();
        let version = match t.optional(tag::explicit(0))? {
            Some(v) => match v
                .inner("version")?
                .expect(tag::INTEGER, "version")?
                .small_uint("version")?
            {
                n @ 0..=2 => n + 1,
                _ => return Err(v.malformed("version (not v1, v2 or v3)").into()),
            },
            None => 1,
        };
        let serial = t.field(tag::INTEGER, "serialNumber")?;
        // RFC 5280 §4.1.1.2: the signature field inside TBSCertificate is the same algorithm.
        let inner_alg = t.field(tag::SEQUENCE, "signature")?;
        if Some(inner_alg.raw) != der.get(signature.algorithm_der.clone()) {
            return Err(CertificateError::SignatureAlgorithmMismatch);
        }
        let issuer = Name::from_tlv(t.required("issuer")?)?;
        let validity = t.field(tag::SEQUENCE, "validity")?;
        let mut v = validity.children();
        let mut time = |what| -> Result<Time, CertificateError> {
            let x = v.required(what)?;
            Time::from_asn1(x.tag, x.contents).ok_or(CertificateError::BadTime { offset: x.offset })
        };
        let not_before = time("notBefore")?;
        let not_after = time("notAfter")?;
        v.finish("validity")?;
        let subject = Name::from_tlv(t.required("subject")?)?;
        let spki = t.field(tag::SEQUENCE, "subjectPublicKeyInfo")?;
        for unique in [1, 2] {
            if t.optional(tag::implicit(unique))?.is_none() {
                t.optional(tag::explicit(unique))?;
            }
        }
        let extensions = match t.optional(tag::explicit(3))? {
            Some(e) if version == 3 => Extensions::from_tlv(e)?,
            Some(e) => return Err(e.malformed("extensions in a certificate before v3").into()),
            None => Extensions::default(),
        };
        t.finish("TBSCertificate")?;

        let public_key = PublicKey::from_spki_der(spki.raw);
        let spki = spki.offset..spki.offset + spki.raw.len();
        let serial = serial.contents.to_vec();
        let provider = crypto::default_provider();
        let mut sha256 = [0u8; 32];
        sha256.copy_from_slice(&provider.digest(HashAlgorithm::Sha256, &der));
        let mut sha1 = [0u8; 20];
        sha1.copy_from_slice(&provider.digest(HashAlgorithm::Sha1, &der));
        let inner = Inner {
            signature,
            version,
            serial,
            issuer,
            subject,
            not_before,
            not_after,
            spki,
            public_key,
            extensions,
            sha256,
            sha1,
            der,
        };
        Ok(Certificate(Arc::new(inner)))
    }

    /// The DER as received.
    pub fn der(&self) -> &[u8] {
        &self.0.der
    }

    /// The TBSCertificate as received (what the issuer signed).
    pub fn tbs_der(&self) -> &[u8] {
        self.0.der.get(self.0.signature.tbs.clone()).unwrap_or(&[])
    }

    /// The SubjectPublicKeyInfo as received.
    pub fn spki_der(&self) -> &[u8] {
        self.0.der.get(self.0.spki.clone()).unwrap_or(&[])
    }

    /// The signatureAlgorithm AlgorithmIdentifier as received.
    pub fn signature_algorithm_der(&self) -> &[u8] {
        self.0.der.get(self.0.signature.algorithm_der.clone()).unwrap_or(&[])
    }

    /// X.509 version (1, 2 or 3).
    pub fn version(&self) -> u32 {
        self.0.version
    }

    /// The serial number's content octets as encoded (two's complement, big-endian).
    pub fn serial(&self) -> &[u8] {
        &self.0.serial
    }

    /// The serial number in upper-case hex.
    pub fn serial_hex(&self) -> String {
        hex::encode_upper(&self.0.serial)
    }

    /// The issuer name.
    pub fn issuer(&self) -> &Name {
        &self.0.issuer
    }

    /// The subject name.
    pub fn subject(&self) -> &Name {
        &self.0.subject
    }

    /// notBefore.
    pub fn not_before(&self) -> Time {
        self.0.not_before
    }

    /// notAfter.
    pub fn not_after(&self) -> Time {
        self.0.not_after
    }

    /// Whether `at` lies within the validity period (both ends inclusive, RFC 5280 §4.1.2.5).
    pub fn is_valid_at(&self, at: Time) -> bool {
        self.0.not_before <= at && at <= self.0.not_after
    }

    /// The subject's public key, or why it cannot be used.
    pub fn public_key(&self) -> Result<&PublicKey, CryptoError> {
        self.0.public_key.as_ref().map_err(Clone::clone)
    }

    /// The algorithm the issuer signed with, or why it is not supported.
    pub fn signature_algorithm(&self) -> Result<&SignatureAlgorithm, CryptoError> {
        self.0.signature.algorithm.as_ref().map_err(Clone::clone)
    }

    /// The signature value.
    pub fn signature(&self) -> &[u8] {
        &self.0.signature.value
    }

    /// The extensions.
    pub fn extensions(&self) -> &Extensions {
        &self.0.extensions
    }

    /// basicConstraints, if present.
    pub fn basic_constraints(&self) -> Option<BasicConstraints> {
        self.0.extensions.basic_constraints
    }

    /// Whether basicConstraints says cA.
    pub fn is_ca(&self) -> bool {
        self.0.extensions.basic_constraints.is_some_and(|b| b.ca)
    }

    /// keyUsage, if present.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.0.extensions.key_usage
    }

    /// subjectKeyIdentifier, if present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.0.extensions.subject_key_id.as_deref()
    }

    /// authorityKeyIdentifier's keyIdentifier, if present.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.0
            .extensions
            .authority_key_id
            .as_ref()
            .and_then(|a| a.key_id.as_deref())
    }

    /// SHA-256 of the DER.
    pub fn sha256(&self) -> &[u8; 32] {
        &self.0.sha256
    }

    /// SHA-1 of the DER.
    pub fn sha1(&self) -> &[u8; 20] {
        &self.0.sha1
    }

    /// SHA-256 fingerprint in upper-case hex, no separators (the form pinned in the bundle).
    pub fn sha256_hex(&self) -> String {
        hex::encode_upper(self.0.sha256)
    }

    /// Whether subject and issuer are the same name (RFC 5280 §3.2 "self-issued").
    pub fn is_self_issued(&self) -> bool {
        self.0.subject.matches(&self.0.issuer)
    }

    /// Whether `issuer` may have issued this certificate, judging by names and key
    /// identifiers only (no signature check): the issuer's subject matches this issuer name,
    /// and where both key identifiers are present they are equal.
    pub fn names_issuer(&self, issuer: &Certificate) -> bool {
        if !issuer.subject().matches(self.issuer()) {
            return false;
        }
        match (self.authority_key_id(), issuer.subject_key_id()) {
            (Some(a), Some(s)) => a == s,
            _ => true,
        }
    }

    /// Verify this certificate's signature with `issuer`'s public key, over the TBSCertificate
    /// as received.
    pub fn verify_signed_by(
        &self,
        issuer: &Certificate,
        provider: &dyn CryptoProvider,
        policy: AlgorithmPolicy,
    ) -> Result<Verified, CryptoError> {
        self.0
            .signature
            .verify(&self.0.der, issuer.public_key()?, provider, policy)
    }
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.0.subject)
            .field("issuer", &self.0.issuer)
            .field("serial", &self.serial_hex())
            .field("sha256", &self.sha256_hex())
            .finish()
    }
}

impl PartialEq for Certificate {
    /// Two certificates are equal when their DER is.
    fn eq(&self, other: &Self) -> bool {
        self.0.sha256 == other.0.sha256 && self.0.der == other.0.der
    }
}

impl Eq for Certificate {}

impl std::hash::Hash for Certificate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.sha256.hash(state);
    }
}

/// Certificates already decoded, by their DER: the signer's certificate and its CA arrive in
/// every one of a seller's invoices, and are decoded once (so their names' display strings,
/// computed once, serve every report too). Only certificates that decoded are kept; the cache
/// is emptied when full.
#[derive(Debug, Default)]
pub(crate) struct CertificateCache {
    map: Mutex<HashMap<Box<[u8]>, Certificate>>,
}

/// Most certificates a [`CertificateCache`] keeps (1,024 of a few KB each: a few MB at most).
const CERTIFICATE_CACHE_LIMIT: usize = 1_024;

impl CertificateCache {
    /// The certificate `der` encodes, decoded once.
    pub(crate) fn decode(&self, der: &[u8]) -> Result<Certificate, CertificateError> {
        if let Some(c) = self.map.lock().ok().and_then(|m| m.get(der).cloned()) {
            return Ok(c);
        }
        let c = Certificate::from_der(der)?;
        if let Ok(mut m) = self.map.lock() {
            if m.len() >= CERTIFICATE_CACHE_LIMIT {
                m.clear();
            }
            m.insert(der.into(), c.clone());
        }
        Ok(c)
    }
}
