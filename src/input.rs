//! Certificates from bytes: DER, PEM (one or many blocks), bare base64, and PKCS#7/CMS
//! certs-only bundles (`.p7b`, `.p7c`) in DER or BER, raw or PEM-armoured.
//!
//! The national root's bundles are BER with indefinite lengths, and `VNPT-CA_SHA2.p7b` has an
//! unsorted SET OF (VIETNAM-PKI.md quirk 1): the bundle is walked with kyso's BER reader and
//! each certificate is taken as the bytes it was stored as, in stored order.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use crate::asn1::{self, tag, Tlv};
use crate::cert::Certificate;
use crate::cms::{CmsError, SignedData};
use crate::error::InputError;
use crate::pem::{decode_base64, pem_blocks};
use crate::trust::{Hierarchy, TrustStore};

/// Largest input the loader reads: 64 MiB. The biggest real bundle is a few KB; a CRL of
/// 1.5 M entries is ~50 MB and goes through the revocation module, not here.
pub const MAX_INPUT_SIZE: usize = 64 << 20;

/// Most certificates taken from one input.
pub const MAX_CERTIFICATES: usize = 10_000;

/// The form the input was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum InputFormat {
    /// One DER certificate.
    Der,
    /// PEM text with one or more blocks.
    Pem,
    /// Base64 with no PEM armour.
    Base64,
    /// A PKCS#7/CMS SignedData bundle in DER.
    Pkcs7Der,
    /// A PKCS#7/CMS SignedData bundle using BER (indefinite lengths).
    Pkcs7Ber,
}

/// What [`load`] found.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The certificates, in the order they were stored.
    pub certificates: Vec<Certificate>,
    /// The outermost form (for PEM holding a PKCS#7 block: `Pem`).
    pub format: InputFormat,
    /// Whether any PKCS#7 bundle inside used BER.
    pub ber: bool,
}

/// Load every certificate in `bytes`, whatever its form.
pub fn load_certificates(bytes: &[u8]) -> Result<Vec<Certificate>, InputError> {
    load(bytes).map(|l| l.certificates)
}

/// Load every certificate in `bytes` and say which form it was in.
pub fn load(bytes: &[u8]) -> Result<Loaded, InputError> {
    if bytes.len() > MAX_INPUT_SIZE {
        return Err(InputError::TooLarge {
            size: bytes.len(),
            limit: MAX_INPUT_SIZE,
        });
    }
    let trimmed = trim_ascii(bytes);
    if trimmed.is_empty() {
        return Err(InputError::Empty);
    }
    let mut out = Loaded {
        certificates: Vec::new(),
        format: InputFormat::Der,
        ber: false,
    };
    // Binary input is taken as it is (its last octets may well be zeros); only text is trimmed.
    if bytes.first() == Some(&tag::SEQUENCE.byte()) {
        out.format = binary(bytes, &mut out)?;
    } else if find(trimmed, b"-----BEGIN ").is_some() {
        out.format = InputFormat::Pem;
        pem(trimmed, &mut out)?;
    } else if trimmed.iter().all(|b| is_base64_byte(*b) || b.is_ascii_whitespace()) {
        out.format = InputFormat::Base64;
        let der = decode_base64(trimmed, 1)?;
        if der.first() != Some(&tag::SEQUENCE.byte()) {
            return Err(InputError::UnrecognizedFormat);
        }
        binary(&der, &mut out)?;
    } else {
        return Err(InputError::UnrecognizedFormat);
    }
    if out.certificates.is_empty() {
        return Err(InputError::NoCertificates);
    }
    Ok(out)
}

/// Loading anchors from bytes lives with the loader, so the store depends on no parser of
/// files.
impl TrustStore {
    /// Trust every certificate in `bytes` (DER, PEM, base64 or .p7b) as an anchor of
    /// `hierarchy`. Returns how many were read.
    pub fn add_anchors_from_bytes(&mut self, bytes: &[u8], hierarchy: Hierarchy) -> Result<usize, InputError> {
        let certs = load_certificates(bytes)?;
        let n = certs.len();
        for c in certs {
            self.add_anchor(c, hierarchy.clone());
        }
        Ok(n)
    }
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace() && *c != 0)
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace() && *c != 0)
        .map_or(start, |e| e + 1);
    b.get(start..end).unwrap_or(&[])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
}

/// One DER/BER element: a certificate or a PKCS#7 ContentInfo.
fn binary(der: &[u8], out: &mut Loaded) -> Result<InputFormat, InputError> {
    let (top, used) = asn1::read_tlv(der, 0)?;
    // Files written by Windows tools sometimes end with NULs or a newline after the DER.
    if let Some(rest) = der.get(used..) {
        if !trim_ascii(rest).is_empty() {
            return Err(InputError::TrailingData { offset: used });
        }
    }
    let first = top.children().next().transpose()?;
    match first {
        Some(t) if t.tag == tag::OID => {
            pkcs7(top, out)?;
            Ok(if out.ber {
                InputFormat::Pkcs7Ber
            } else {
                InputFormat::Pkcs7Der
            })
        }
        Some(t) if t.tag == tag::SEQUENCE => {
            push(out, top.raw)?;
            Ok(InputFormat::Der)
        }
        _ => Err(InputError::UnrecognizedFormat),
    }
}

fn push(out: &mut Loaded, der: &[u8]) -> Result<(), InputError> {
    if out.certificates.len() >= MAX_CERTIFICATES {
        return Err(InputError::TooManyCertificates {
            limit: MAX_CERTIFICATES,
        });
    }
    let index = out.certificates.len();
    let cert = Certificate::from_der(der).map_err(|error| InputError::InCertificate {
        index,
        error: Box::new(error),
    })?;
    out.certificates.push(cert);
    Ok(())
}

/// ContentInfo carrying SignedData (RFC 5652 §3, §5.1):
///
/// ```asn1
/// ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY }
/// SignedData ::= SEQUENCE {
///   version CMSVersion,
///   digestAlgorithms DigestAlgorithmIdentifiers,
///   encapContentInfo EncapsulatedContentInfo,
///   certificates [0] IMPLICIT CertificateSet OPTIONAL,
///   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///   signerInfos SignerInfos }
/// ```
fn pkcs7(top: Tlv<'_>, out: &mut Loaded) -> Result<(), InputError> {
    // kyso's one SignedData parser; its certificates are taken as stored, in stored order.
    let sd = SignedData::from_tlv(top, None).map_err(|e| match e {
        CmsError::Malformed(e) => e,
        _ => top.malformed("SignedData"),
    })?;
    out.ber |= sd.ber;
    if out.certificates.len() + sd.certificates.len() > MAX_CERTIFICATES {
        return Err(InputError::TooManyCertificates {
            limit: MAX_CERTIFICATES,
        });
    }
    out.certificates.extend(sd.certificates);
    Ok(())
}

/// PEM (RFC 7468): every block; certificate and PKCS#7 blocks are read, others skipped.
fn pem(text: &[u8], out: &mut Loaded) -> Result<(), InputError> {
    let mut skipped: Option<String> = None;
    for block in pem_blocks(text)? {
        let (label, der, line) = (block.label.as_str(), block.der, block.line);
        match label {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                // OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate.
                let (cert, used) = asn1::read_tlv(&der, 0)?;
                if label != "TRUSTED CERTIFICATE" && used != der.len() {
                    return Err(InputError::TrailingData { offset: used });
                }
                push(out, cert.raw)?;
            }
            "PKCS7" | "CMS" | "PKCS #7 SIGNED DATA" => {
                let (top, _) = asn1::read_tlv(&der, 0)?;
                let first = top.children().next().transpose()?;
                match first {
                    Some(t) if t.tag == tag::OID => pkcs7(top, out)?,
                    _ => {
                        return Err(InputError::Pem {
                            what: "PKCS7 block is not a ContentInfo",
                            line,
                        })
                    }
                }
            }
            other => skipped = Some(other.to_string()),
        }
    }
    if out.certificates.is_empty() {
        if let Some(label) = skipped {
            return Err(InputError::UnsupportedPemLabel { label });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_gives_typed_errors() {
        assert_eq!(load(b"").unwrap_err(), InputError::Empty);
        assert_eq!(load(b"   \n").unwrap_err(), InputError::Empty);
        assert_eq!(load(b"\x01\x02\x03").unwrap_err(), InputError::UnrecognizedFormat);
        assert!(matches!(
            load(b"\x30\x82\x01\x00\x30").unwrap_err(),
            InputError::Truncated { .. }
        ));
        assert!(matches!(
            load(b"-----BEGIN CERTIFICATE-----\nAAAA\n").unwrap_err(),
            InputError::Pem { .. }
        ));
        assert!(matches!(
            load(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").unwrap_err(),
            InputError::UnsupportedPemLabel { .. }
        ));
        assert!(matches!(load(b"!!!!").unwrap_err(), InputError::UnrecognizedFormat));
        let big = vec![0x30u8; MAX_INPUT_SIZE + 1];
        assert!(matches!(load(&big).unwrap_err(), InputError::TooLarge { .. }));
        // A ContentInfo that is not SignedData.
        let ci = [
            0x30, 0x0B, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
        ];
        assert!(matches!(load(&ci).unwrap_err(), InputError::NotSignedData { .. }));
    }
}
