//! CMS SignedData (RFC 5652) and CAdES (ETSI EN 319 122-1): verify and sign.
//!
//! ```asn1
//! SignedData ::= SEQUENCE {
//!   version CMSVersion,
//!   digestAlgorithms DigestAlgorithmIdentifiers,
//!   encapContentInfo EncapsulatedContentInfo,
//!   certificates [0] IMPLICIT CertificateSet OPTIONAL,
//!   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
//!   signerInfos SignerInfos }
//! SignerInfo ::= SEQUENCE {
//!   version CMSVersion,
//!   sid SignerIdentifier,
//!   digestAlgorithm DigestAlgorithmIdentifier,
//!   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
//!   signatureAlgorithm SignatureAlgorithmIdentifier,
//!   signature SignatureValue,
//!   unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
//! ```
//!
//! Read with kyso's BER reader (BER files and unsorted SETs are common): the signed attributes
//! are hashed exactly as received, with only their `[0]` tag turned into SET (RFC 5652 §5.4).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

pub mod tsp;

use std::io::Read;

use serde::Serialize;

use crate::asn1::{self, tag, Tlv};
use crate::cert::Certificate;
use crate::crypto::{self, split_algorithm_identifier, CryptoProvider, HashAlgorithm, SignatureAlgorithm, Verified};
use crate::error::{CryptoError, InputError};
use crate::name::Name;
use crate::oid::{self, Oid};
use crate::path::{self, ChainResult, PathOptions, Verdict};
use crate::time::Time;
use crate::trust::TrustStore;

/// The CAdES baseline level produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub enum Level {
    /// B-B: content-type, message-digest, signing-time, signingCertificateV2.
    #[serde(rename = "B-B")]
    BB,
    /// B-T: B-B plus a signature time-stamp (RFC 3161 token over the signature value).
    #[serde(rename = "B-T")]
    BT,
    /// B-LT: B-T plus the certificates and revocation values of the signer's chain, carried in
    /// the SignedData's `certificates` and `crls` fields (ETSI EN 319 122-1 §5.4).
    #[serde(rename = "B-LT")]
    BLT,
    /// B-LTA: B-LT plus a time-stamp over the validation data (a PAdES document time-stamp
    /// after the DSS).
    #[serde(rename = "B-LTA")]
    BLTA,
}

/// Largest CMS signature kyso parses, attached content included: 64 MiB. Larger documents are
/// signed detached; their content is streamed, whatever its size.
pub const MAX_SIGNATURE_SIZE: usize = 64 << 20;

/// How a signer names its certificate.
#[derive(Debug, Clone, PartialEq)]
pub enum SignerId {
    /// issuerAndSerialNumber.
    IssuerSerial {
        /// Issuer name.
        issuer: Name,
        /// Serial content octets.
        serial: Vec<u8>,
    },
    /// `[0]` subjectKeyIdentifier.
    SubjectKeyId(Vec<u8>),
}

/// One attribute: type and the DER of each value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// attrType.
    pub oid: Oid,
    /// attrValues, each as DER.
    pub values: Vec<Vec<u8>>,
}

/// A parsed SignerInfo.
#[derive(Debug, Clone)]
pub struct SignerInfo {
    /// sid.
    pub sid: SignerId,
    /// digestAlgorithm.
    pub digest: HashAlgorithm,
    /// signedAttrs, decoded.
    pub signed_attrs: Option<Vec<Attribute>>,
    /// signedAttrs re-tagged as SET, byte for byte as received otherwise: what was signed.
    signed_attrs_der: Option<Vec<u8>>,
    /// signatureAlgorithm.
    pub signature_algorithm: Result<SignatureAlgorithm, CryptoError>,
    /// signature.
    pub signature: Vec<u8>,
    /// unsignedAttrs.
    pub unsigned_attrs: Vec<Attribute>,
}

/// A parsed SignedData.
#[derive(Debug, Clone)]
pub struct SignedData {
    /// eContentType.
    pub content_type: Oid,
    /// The encapsulated content, when attached (BER chunks joined).
    pub content: Option<Vec<u8>>,
    /// Certificates carried.
    pub certificates: Vec<Certificate>,
    /// CRLs carried (DER).
    pub crls: Vec<Vec<u8>>,
    /// OCSP responses carried as RevocationInfoChoice `other` / id-ri-ocsp-response (RFC 5940).
    pub ocsp_responses: Vec<Vec<u8>>,
    /// The signers.
    pub signers: Vec<SignerInfo>,
    /// Whether the envelope (ContentInfo, SignedData or its fields) used BER's indefinite
    /// lengths, as the national root's bundles do (VIETNAM-PKI.md quirk 1).
    pub ber: bool,
}

/// Why a CMS could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CmsError {
    /// Not a well-formed ContentInfo with SignedData.
    Malformed(InputError),
    /// The content is detached and was not given.
    ContentMissing,
    /// Reading the detached content failed.
    Io {
        /// The kind of failure, as the operating system or reader reported it.
        kind: std::io::ErrorKind,
        /// Its text.
        detail: String,
    },
    /// A detached content signed without signed attributes (so read into memory) is larger
    /// than [`MAX_SIGNATURE_SIZE`].
    ContentTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
}

impl From<std::io::Error> for CmsError {
    fn from(e: std::io::Error) -> Self {
        CmsError::Io {
            kind: e.kind(),
            detail: e.to_string(),
        }
    }
}

impl std::fmt::Display for CmsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CmsError::Malformed(e) => write!(f, "not a CMS SignedData: {e}"),
            CmsError::ContentMissing => write!(f, "the signature is detached and no content was given"),
            CmsError::Io { detail, .. } => write!(f, "reading the content: {detail}"),
            CmsError::ContentTooLarge { limit } => write!(
                f,
                "the detached content is signed without signed attributes and is over the {limit}-byte limit for that"
            ),
        }
    }
}

impl std::error::Error for CmsError {}

impl From<InputError> for CmsError {
    fn from(e: InputError) -> Self {
        CmsError::Malformed(e)
    }
}

/// The bytes of an OCTET STRING, primitive or constructed (BER chunks, nested).
fn octets(t: Tlv<'_>, out: &mut Vec<u8>, depth: usize) -> Result<(), InputError> {
    if depth > asn1::MAX_DEPTH {
        return Err(InputError::TooDeep { limit: asn1::MAX_DEPTH });
    }
    match t.tag {
        tag::OCTET_STRING => out.extend_from_slice(t.contents),
        tag::OCTET_STRING_CONSTRUCTED => {
            for c in t.children() {
                octets(c?, out, depth + 1)?;
            }
        }
        _ => return Err(t.malformed("content is not an OCTET STRING")),
    }
    Ok(())
}

fn attributes(set: Tlv<'_>) -> Result<Vec<Attribute>, InputError> {
    let mut out = Vec::new();
    for a in set.children() {
        let a = a?.expect(tag::SEQUENCE, "Attribute")?;
        let mut k = a.children();
        let t = k.field(tag::OID, "attrType")?;
        let vals = k.field(tag::SET, "attrValues")?;
        let values = vals
            .children()
            .map(|v| v.map(|v| v.raw.to_vec()))
            .collect::<Result<_, _>>()?;
        out.push(Attribute {
            oid: Oid::from_der_contents(t.contents),
            values,
        });
    }
    Ok(out)
}

impl SignedData {
    /// Parse a ContentInfo holding SignedData (DER or BER, PEM `CMS`/`PKCS7` accepted).
    pub fn from_bytes(bytes: &[u8]) -> Result<SignedData, CmsError> {
        Self::from_bytes_with(bytes, None)
    }

    /// [`SignedData::from_bytes`], taking the certificates it carries from `cache` when they
    /// were decoded before.
    pub(crate) fn from_bytes_with(
        bytes: &[u8],
        cache: Option<&crate::cert::CertificateCache>,
    ) -> Result<SignedData, CmsError> {
        if bytes.len() > MAX_SIGNATURE_SIZE {
            return Err(CmsError::Malformed(InputError::TooLarge {
                size: bytes.len(),
                limit: MAX_SIGNATURE_SIZE,
            }));
        }
        if bytes.first() != Some(&tag::SEQUENCE.byte()) {
            let der = crate::pem::first_pem_block(bytes)?;
            return Self::parse(&der, cache);
        }
        Self::parse(bytes, cache)
    }

    fn parse(der: &[u8], cache: Option<&crate::cert::CertificateCache>) -> Result<SignedData, CmsError> {
        let (top, _) = asn1::read_tlv(der, 0)?;
        Self::from_tlv(top, cache)
    }

    /// The one SignedData parser: a ContentInfo element read by kyso's reader, for a signature
    /// or a certs-only bundle alike.
    pub(crate) fn from_tlv(
        top: Tlv<'_>,
        cache: Option<&crate::cert::CertificateCache>,
    ) -> Result<SignedData, CmsError> {
        let top = top.expect(tag::SEQUENCE, "ContentInfo")?;
        let mut k = top.children();
        let ct = k.field(tag::OID, "contentType")?;
        if ct.contents != oid::CT_SIGNED_DATA {
            return Err(InputError::NotSignedData {
                content_type: oid::dotted(ct.contents),
            }
            .into());
        }
        let explicit = k.field(tag::C0, "content")?;
        let sd = explicit.children().field(tag::SEQUENCE, "SignedData")?;
        let mut f = sd.children();
        let _version = f.field(tag::INTEGER, "version")?;
        let _digests = f.field(tag::SET, "digestAlgorithms")?;
        let encap = f.field(tag::SEQUENCE, "encapContentInfo")?;
        let mut e = encap.children();
        let ect = e.field(tag::OID, "eContentType")?;
        let content = match e.next() {
            Some(c) => {
                let c = c?.expect(tag::C0, "eContent")?;
                let mut buf = Vec::new();
                for part in c.children() {
                    octets(part?, &mut buf, 0)?;
                }
                Some(buf)
            }
            None => None,
        };
        let mut out = SignedData {
            ber: top.indefinite || explicit.indefinite || sd.indefinite,
            content_type: Oid::from_der_contents(ect.contents),
            content,
            certificates: Vec::new(),
            crls: Vec::new(),
            ocsp_responses: Vec::new(),
            signers: Vec::new(),
        };
        for field in f {
            let field = field?;
            out.ber |= field.indefinite;
            match field.tag {
                tag::C0 => {
                    for (index, c) in field.children().enumerate() {
                        let c = c?;
                        if c.tag == tag::SEQUENCE {
                            let cert = match cache {
                                Some(cache) => cache.decode(c.raw),
                                None => Certificate::from_der(c.raw),
                            };
                            out.certificates.push(cert.map_err(|error| InputError::InCertificate {
                                index,
                                error: Box::new(error),
                            })?);
                        }
                    }
                }
                tag::C1 => {
                    // RevocationInfoChoice: a CertificateList, or [1] OtherRevocationInfoFormat.
                    for c in field.children() {
                        let c = c?;
                        if c.tag == tag::SEQUENCE {
                            out.crls.push(c.raw.to_vec());
                        } else if c.tag == tag::C1 {
                            let mut k = c.children();
                            let fmt = k.required("otherRevInfoFormat")?;
                            let info = k.required("otherRevInfo")?;
                            if fmt.tag == tag::OID && fmt.contents == oid::RI_OCSP_RESPONSE {
                                out.ocsp_responses.push(info.raw.to_vec());
                            }
                        }
                    }
                }
                tag::SET => {
                    for si in field.children() {
                        out.signers.push(signer_info(si?)?);
                    }
                }
                _ => return Err(field.malformed("SignedData field").into()),
            }
        }
        Ok(out)
    }
}

fn signer_info(t: Tlv<'_>) -> Result<SignerInfo, InputError> {
    let t = t.expect(tag::SEQUENCE, "SignerInfo")?;
    let mut k = t.children();
    let _version = k.field(tag::INTEGER, "version")?;
    let sid_t = k.required("sid")?;
    let sid = match sid_t.tag {
        tag::SEQUENCE => {
            let mut s = sid_t.children();
            let issuer = s.required("issuer")?;
            let serial = s.field(tag::INTEGER, "serialNumber")?;
            SignerId::IssuerSerial {
                issuer: Name::from_der(issuer.raw)?,
                serial: serial.contents.to_vec(),
            }
        }
        tag::P0 => SignerId::SubjectKeyId(sid_t.contents.to_vec()),
        _ => return Err(sid_t.malformed("SignerIdentifier")),
    };
    let dalg = k.field(tag::SEQUENCE, "digestAlgorithm")?;
    let (doid, _) = split_algorithm_identifier(dalg.raw)?;
    let digest = HashAlgorithm::from_oid(doid).ok_or(dalg.malformed("unsupported digest algorithm"))?;
    let mut field = k.required("signatureAlgorithm")?;
    let mut signed_attrs = None;
    let mut signed_attrs_der = None;
    if field.tag == tag::C0 {
        signed_attrs = Some(attributes(field)?);
        // RFC 5652 §5.4: the DER of the SET, i.e. the [0] IMPLICIT tag replaced by 0x31.
        let mut raw = field.raw.to_vec();
        if let Some(first) = raw.first_mut() {
            *first = tag::SET.byte();
        }
        signed_attrs_der = Some(raw);
        field = k.required("signatureAlgorithm")?;
    }
    let salg = field.expect(tag::SEQUENCE, "signatureAlgorithm")?;
    let (soid, sparams) = split_algorithm_identifier(salg.raw)?;
    // rsaEncryption (and id-ecPublicKey, seen in the wild) name only the key type: the hash is
    // the digestAlgorithm.
    let signature_algorithm = if soid == oid::RSA_ENCRYPTION {
        Ok(SignatureAlgorithm::RsaPkcs1 { hash: digest })
    } else if soid == oid::EC_PUBLIC_KEY {
        Ok(SignatureAlgorithm::Ecdsa { hash: digest })
    } else {
        SignatureAlgorithm::from_parts(soid, sparams)
    };
    let sig = k.field(tag::OCTET_STRING, "signature")?;
    let mut unsigned_attrs = Vec::new();
    if let Some(u) = k.next() {
        let u = u?.expect(tag::C1, "unsignedAttrs")?;
        unsigned_attrs = attributes(u)?;
    }
    Ok(SignerInfo {
        sid,
        digest,
        signed_attrs,
        signed_attrs_der,
        signature_algorithm,
        signature: sig.contents.to_vec(),
        unsigned_attrs,
    })
}

impl SignerInfo {
    /// The first value of a signed attribute.
    pub fn signed_attr(&self, id: &[u8]) -> Option<&[u8]> {
        self.signed_attrs
            .as_ref()?
            .iter()
            .find(|a| a.oid == id)?
            .values
            .first()
            .map(Vec::as_slice)
    }

    /// Whether `cert` is the certificate `sid` names.
    pub fn names(&self, cert: &Certificate) -> bool {
        match &self.sid {
            SignerId::IssuerSerial { issuer, serial } => {
                cert.serial() == serial.as_slice() && cert.issuer().matches(issuer)
            }
            SignerId::SubjectKeyId(k) => cert.subject_key_id() == Some(k.as_slice()),
        }
    }

    /// The signing time attribute.
    pub fn signing_time(&self) -> Option<Time> {
        let v = asn1::read_exact(self.signed_attr(oid::AA_SIGNING_TIME)?).ok()?;
        Time::from_asn1(v.tag, v.contents)
    }
}

/// Why one signer is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignerError {
    /// The signer's certificate is not in the CMS nor in the pool.
    CertificateNotFound,
    /// The content's digest differs from the message-digest attribute (or, without signed
    /// attributes, the signature does not cover this content).
    DigestMismatch,
    /// A signed attribute RFC 5652 requires is missing or malformed.
    BadAttributes {
        /// Which.
        what: String,
    },
    /// signingCertificate(V2) does not name the signer's certificate.
    SigningCertificateMismatch,
    /// The signature does not verify, or its algorithm or key is refused or unsupported.
    Signature(CryptoError),
    /// The signer's certificate path is not valid at the time judged.
    Chain(crate::path::PathError),
    /// What the signature covers cannot be checked: an XML-DSig Reference to an external
    /// resource, an unsupported transform, an Id two elements carry.
    UnverifiableReference {
        /// Why, as the format's checker says.
        reason: String,
    },
    /// The signature names its key inconsistently: an XML-DSig KeyValue that is not the key
    /// of the certificate that verifies.
    KeyInfo {
        /// What does not agree.
        reason: String,
    },
    /// A PDF signature that cannot be verified as it is written: a `/ByteRange` that does not
    /// leave out exactly its `/Contents` (signature wrapping) or reaches past the file, a
    /// `/Contents` that is not the CMS its `/SubFilter` names, a `/SubFilter` kyso does not
    /// verify.
    Pdf {
        /// What is wrong.
        reason: String,
    },
}

impl std::fmt::Display for SignerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignerError::UnverifiableReference { reason } => {
                write!(f, "a signed reference cannot be checked: {reason}")
            }
            SignerError::KeyInfo { reason } => write!(f, "the signature's key information: {reason}"),
            SignerError::Pdf { reason } => write!(f, "the PDF signature: {reason}"),
            SignerError::CertificateNotFound => f.write_str("the signer's certificate was not found"),
            SignerError::DigestMismatch => f.write_str("the content does not match the signed digest"),
            SignerError::BadAttributes { what } => write!(f, "signed attributes: {what}"),
            SignerError::SigningCertificateMismatch => {
                f.write_str("signingCertificate names another certificate than the signer's")
            }
            SignerError::Signature(e) => write!(f, "signature: {e}"),
            SignerError::Chain(e) => write!(f, "certificate path: {}", e.describe()),
        }
    }
}

/// Something a person should see about a signer that does not change its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SignerWarning {
    /// A countersignature attribute could not be decoded (it is not judged).
    MalformedCountersignature {
        /// Its position among the countersignatures.
        index: usize,
        /// The decoding error.
        error: String,
    },
    /// The signature time-stamp does not verify, so the chain is judged at signingTime.
    TimestampInvalid {
        /// Why.
        error: String,
    },
    /// signingTime is about 7 hours after the reference time: Vietnam local time (UTC+7)
    /// written as UTC (VIETNAM-PKI.md quirk 7). Reported, never corrected.
    SigningTimeLocal {
        /// signingTime as written.
        signing_time: Time,
        /// The time-stamp's genTime, or the present time.
        reference: Time,
    },
    /// signingTime is later than the reference time by more than 5 minutes.
    SigningTimeAhead {
        /// signingTime as written.
        signing_time: Time,
        /// The time-stamp's genTime, or the present time.
        reference: Time,
    },
}

impl SignerWarning {
    /// One line in English.
    pub fn describe_en(&self) -> String {
        match self {
            SignerWarning::MalformedCountersignature { index, error } => {
                format!("countersignature {index} is malformed: {error}")
            }
            SignerWarning::TimestampInvalid { error } => format!("the signature time-stamp is not valid: {error}"),
            SignerWarning::SigningTimeLocal { signing_time, .. } => format!(
                "signingTime {signing_time} is about 7 hours after the reference time: it looks like Vietnam local time (UTC+7) written as UTC"
            ),
            SignerWarning::SigningTimeAhead { signing_time, reference } => {
                format!("signingTime {signing_time} is after the reference time {reference}")
            }
        }
    }

    /// One line in Vietnamese.
    pub fn describe_vi(&self) -> String {
        match self {
            SignerWarning::MalformedCountersignature { index, error } => {
                format!("chữ ký kèm (countersignature) số {index} sai cấu trúc: {error}")
            }
            SignerWarning::TimestampInvalid { error } => {
                format!("dấu thời gian của chữ ký không hợp lệ: {error}")
            }
            SignerWarning::SigningTimeLocal { signing_time, .. } => format!(
                "thời điểm ký ghi trong chữ ký ({signing_time}, giờ UTC) muộn hơn thời điểm tham chiếu khoảng 7 giờ: có vẻ giờ Việt Nam (UTC+7) đã được ghi như giờ UTC"
            ),
            SignerWarning::SigningTimeAhead { signing_time, reference } => {
                format!(
                    "thời điểm ký {} muộn hơn thời điểm tham chiếu {}",
                    signing_time.format_vi(),
                    reference.format_vi()
                )
            }
        }
    }
}

impl std::fmt::Display for SignerWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe_en())
    }
}

/// The verification of one signer.
#[derive(Debug, Clone)]
pub struct SignerResult {
    /// Index of the SignerInfo.
    pub index: usize,
    /// Valid, invalid or indeterminate.
    pub verdict: Verdict,
    /// The reason, when not valid.
    pub error: Option<SignerError>,
    /// The signer's certificate.
    pub certificate: Option<Certificate>,
    /// signingTime, as written.
    pub signing_time: Option<Time>,
    /// The time the chain was judged at.
    pub judged_at: Time,
    /// The legacy properties of the signature itself.
    pub signature: Option<Verified>,
    /// Whether an ESS signingCertificate(V2) attribute bound the certificate.
    pub signing_certificate_bound: bool,
    /// The chain validation of the signer's certificate.
    pub chain: Option<ChainResult>,
    /// Notes a person should see (e.g. the +7 h signing-time drift).
    pub warnings: Vec<SignerWarning>,
    /// The signature time-stamp, when there is one: its genTime and TSA, or why it failed.
    pub timestamp: Option<Result<crate::cms::tsp::Timestamp, crate::cms::tsp::TspError>>,
    /// The CAdES level the signature carries.
    pub level: Level,
    /// Countersignatures over this signature (RFC 5652 §11.4), each verified on its own.
    pub countersignatures: Vec<SignerResult>,
}

impl SignerResult {
    /// A signer's result before any check has run: `verdict`, nothing found yet.
    pub(crate) fn start(
        index: usize,
        verdict: Verdict,
        signing_time: Option<Time>,
        judged_at: Time,
        level: Level,
    ) -> SignerResult {
        SignerResult {
            index,
            verdict,
            error: None,
            certificate: None,
            signing_time,
            judged_at,
            signature: None,
            signing_certificate_bound: false,
            chain: None,
            warnings: Vec::new(),
            timestamp: None,
            level,
            countersignatures: Vec::new(),
        }
    }
}

/// The verification of a CMS signature.
#[derive(Debug, Clone)]
pub struct CmsResult {
    /// Valid when every signer is valid (and there is at least one).
    pub verdict: Verdict,
    /// eContentType.
    pub content_type: Oid,
    /// Each signer.
    pub signers: Vec<SignerResult>,
}

/// Opens a detached content afresh: it is read once per distinct digest algorithm. The
/// reader may borrow what the closure borrows (a slice in memory, a file handle).
pub type Reopen<'a> = dyn FnMut() -> std::io::Result<Box<dyn Read + 'a>> + 'a;

/// How a CMS signature is verified.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Path validation settings; their `time` is replaced per signer as below.
    pub path: PathOptions,
    /// Judge the chain at this time; `None`: at each signer's signing time (the Vietnamese
    /// rule), or at `now` when it has none.
    pub at: Option<Time>,
    /// The present time, supplied by the caller (the core reads no clock).
    pub now: Time,
    /// Verify signature time-stamps (B-T). Off inside a time-stamp token itself, so a hostile
    /// token nesting tokens cannot recurse.
    pub timestamps: bool,
}

impl VerifyOptions {
    /// Defaults: the Vietnam path policy, judged at signing time.
    pub fn new(now: Time) -> VerifyOptions {
        VerifyOptions {
            path: PathOptions::vietnam(now),
            at: None,
            now,
            timestamps: true,
        }
    }
}

/// Bytes of the encapsulated or detached content, streamed through a hash.
fn digest_content(
    sd: &SignedData,
    detached: Option<&mut dyn Read>,
    hash: HashAlgorithm,
    provider: &dyn CryptoProvider,
) -> Result<Vec<u8>, CmsError> {
    match (&sd.content, detached) {
        (_, Some(r)) => {
            let mut h = provider.hasher(hash);
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = r.read(&mut buf).map_err(CmsError::from)?;
                if n == 0 {
                    break;
                }
                h.update(buf.get(..n).unwrap_or(&[]));
            }
            Ok(h.finish())
        }
        (Some(c), None) => Ok(provider.digest(hash, c)),
        (None, None) => Err(CmsError::ContentMissing),
    }
}

/// Verify every signer of a CMS signature: the content digest, the signature over the signed
/// attributes as received, the ESS binding of the certificate, and the signer's chain at the
/// signing time (or `options.at`). `detached` is the content when it is not encapsulated; it is
/// read once per distinct digest algorithm, so pass a fresh reader via `reopen`.
pub fn verify(
    sig: &[u8],
    content: Option<&mut Reopen<'_>>,
    store: &TrustStore,
    pool: &[Certificate],
    options: &VerifyOptions,
    provider: &dyn CryptoProvider,
) -> Result<CmsResult, CmsError> {
    verify_signed_data(SignedData::from_bytes(sig)?, content, store, pool, options, provider)
}

/// [`verify`] on a SignedData already parsed (by a caller that first read its certificates,
/// e.g. to fetch revocation evidence), so it is not parsed twice.
pub fn verify_signed_data(
    sd: SignedData,
    content: Option<&mut Reopen<'_>>,
    store: &TrustStore,
    pool: &[Certificate],
    options: &VerifyOptions,
    provider: &dyn CryptoProvider,
) -> Result<CmsResult, CmsError> {
    verify_signed_data_digested(sd, content, None, store, pool, options, provider)
}

/// The digest of a detached content under an algorithm, where the caller already has it.
pub type KnownDigest<'a> = dyn Fn(HashAlgorithm) -> Option<Vec<u8>> + 'a;

/// [`verify_signed_data`] where `known` may give the detached content's digest (computed by
/// the caller, e.g. once for several signatures over the same bytes); `content` is read for
/// an algorithm it does not give, and by a signer that signs the content itself.
pub fn verify_signed_data_digested(
    mut sd: SignedData,
    mut content: Option<&mut Reopen<'_>>,
    known: Option<&KnownDigest<'_>>,
    store: &TrustStore,
    pool: &[Certificate],
    options: &VerifyOptions,
    provider: &dyn CryptoProvider,
) -> Result<CmsResult, CmsError> {
    // A signer without signed attributes signs the content itself: a detached content is then
    // read into memory, up to MAX_SIGNATURE_SIZE (such signatures are rare and small).
    if sd.content.is_none() && sd.signers.iter().any(|s| s.signed_attrs.is_none()) {
        if let Some(open) = content.as_mut() {
            let r = open().map_err(CmsError::from)?;
            let mut buf = Vec::new();
            r.take(MAX_SIGNATURE_SIZE as u64 + 1)
                .read_to_end(&mut buf)
                .map_err(CmsError::from)?;
            if buf.len() > MAX_SIGNATURE_SIZE {
                return Err(CmsError::ContentTooLarge {
                    limit: MAX_SIGNATURE_SIZE,
                });
            }
            sd.content = Some(buf);
            content = None;
        }
    }
    // Revocation values carried in the CMS (CAdES B-LT) join the caller's evidence.
    let embedded = embedded_evidence(&sd);
    let mut options = options.clone();
    if !embedded.crls.is_empty() || !embedded.ocsp.is_empty() {
        let mut ev = (*options.path.revocation.evidence).clone();
        ev.crls.extend(embedded.crls.iter().cloned());
        ev.ocsp.extend(embedded.ocsp.iter().cloned());
        options.path.revocation.evidence = std::sync::Arc::new(ev);
    }
    let options = &options;
    let embedded_hashes: Vec<String> = embedded
        .crls
        .iter()
        .map(|c| hex::encode_upper(provider.digest(HashAlgorithm::Sha256, c.der())))
        .chain(
            embedded
                .ocsp
                .iter()
                .map(|o| hex::encode_upper(provider.digest(HashAlgorithm::Sha256, &o.response_der))),
        )
        .collect();
    let mut digests: Vec<(HashAlgorithm, Vec<u8>)> = Vec::new();
    let mut results = Vec::new();
    let mut all_pool: Vec<Certificate> = sd.certificates.clone();
    all_pool.extend(pool.iter().cloned());
    for (index, si) in sd.signers.iter().enumerate() {
        let digest = match digests.iter().find(|(h, _)| *h == si.digest) {
            Some((_, d)) => d.clone(),
            None => {
                let d = match (known.and_then(|k| k(si.digest)), content.as_mut()) {
                    (Some(d), _) => d,
                    (None, Some(open)) => {
                        let mut r = open().map_err(CmsError::from)?;
                        digest_content(&sd, Some(&mut *r), si.digest, provider)?
                    }
                    (None, None) => digest_content(&sd, None, si.digest, provider)?,
                };
                digests.push((si.digest, d.clone()));
                d
            }
        };
        let target = Target::Content {
            content_type: &sd.content_type,
            content: sd.content.as_deref(),
        };
        let ctx = Ctx {
            pool: &all_pool,
            store,
            options,
            provider,
        };
        let mut r = verify_signer(index, si, &target, &digest, &ctx);
        // B-LT: a B-T signature whose chain's revocation was decided by values it carries.
        if r.level == Level::BT {
            if let Some(ch) = &r.chain {
                let decided_inside = !ch.revocation.is_empty()
                    && ch.revocation.iter().all(|st| match st {
                        crate::revocation::CertStatus::Good { source }
                        | crate::revocation::CertStatus::Revoked { source, .. } => {
                            embedded_hashes.contains(&source.sha256)
                        }
                        _ => false,
                    });
                if decided_inside {
                    r.level = Level::BLT;
                }
            }
        }
        results.push(r);
    }
    let verdict = Verdict::of_all(results.iter().map(|r| r.verdict));
    Ok(CmsResult {
        verdict,
        content_type: sd.content_type.clone(),
        signers: results,
    })
}

#[allow(clippy::too_many_arguments)]
/// What a SignerInfo signed: the content of the SignedData, or (for a countersignature, RFC
/// 5652 §11.4) the signature value of another SignerInfo.
enum Target<'a> {
    Content {
        content_type: &'a Oid,
        content: Option<&'a [u8]>,
    },
    Countersignature {
        signature: &'a [u8],
        depth: usize,
    },
}

/// Deepest countersignature of a countersignature followed.
const MAX_COUNTERSIGNATURE_DEPTH: usize = 3;

/// What every signer of one CMS is verified against.
struct Ctx<'a> {
    pool: &'a [Certificate],
    store: &'a TrustStore,
    options: &'a VerifyOptions,
    provider: &'a dyn CryptoProvider,
}

fn verify_signer(index: usize, si: &SignerInfo, target: &Target<'_>, digest: &[u8], ctx: &Ctx<'_>) -> SignerResult {
    let provider = ctx.provider;
    let mut r = verify_one(index, si, target, digest, ctx);
    // Countersignatures over this signature value (judged on their own; they do not change
    // this signer's verdict).
    let depth = match target {
        Target::Content { .. } => 0,
        Target::Countersignature { depth, .. } => *depth,
    };
    if depth < MAX_COUNTERSIGNATURE_DEPTH {
        for (i, value) in si
            .unsigned_attrs
            .iter()
            .filter(|a| a.oid == oid::AA_COUNTER_SIGNATURE)
            .flat_map(|a| a.values.iter())
            .enumerate()
        {
            let cs = match asn1::read_exact(value)
                .map_err(CmsError::from)
                .and_then(|t| signer_info(t).map_err(CmsError::from))
            {
                Ok(cs) => cs,
                Err(e) => {
                    r.warnings.push(SignerWarning::MalformedCountersignature {
                        index: i,
                        error: e.to_string(),
                    });
                    continue;
                }
            };
            let digest = provider.digest(cs.digest, &si.signature);
            let t = Target::Countersignature {
                signature: &si.signature,
                depth: depth + 1,
            };
            r.countersignatures.push(verify_signer(i, &cs, &t, &digest, ctx));
        }
    }
    r
}

/// One SignerInfo, without its countersignatures.
fn verify_one(index: usize, si: &SignerInfo, target: &Target<'_>, digest: &[u8], ctx: &Ctx<'_>) -> SignerResult {
    let (pool, store, options, provider) = (ctx.pool, ctx.store, ctx.options, ctx.provider);
    let signing_time = si.signing_time();
    // A valid signature time-stamp is proof the signature existed at genTime: the chain is then
    // judged there (ETSI EN 319 102-1 best-signature-time), not at the claimed signingTime.
    let timestamp = si
        .unsigned_attrs
        .iter()
        .filter(|_| options.timestamps)
        .find(|a| a.oid == oid::AA_TIMESTAMP_TOKEN)
        .map(|a| {
            let token = a.values.first().map(Vec::as_slice).unwrap_or(&[]);
            let sd = SignedData::from_bytes(token).map_err(crate::cms::tsp::TspError::from)?;
            let imprint = |info: &crate::cms::tsp::TstInfo| provider.digest(info.hash, &si.signature);
            crate::cms::tsp::verify_signed_token(sd, imprint, None, store, pool, &options.path, provider)
        });
    let gen_time = match &timestamp {
        Some(Ok(t)) => Some(t.info.gen_time),
        _ => None,
    };
    let judged_at = options.at.or(gen_time).or(signing_time).unwrap_or(options.now);
    let level = if timestamp.is_some() { Level::BT } else { Level::BB };
    let mut r = SignerResult::start(index, Verdict::Invalid, signing_time, judged_at, level);
    let fail = |mut r: SignerResult, e: SignerError, v: Verdict| {
        r.verdict = v;
        r.error = Some(e);
        r
    };
    if let Some(Err(e)) = &timestamp {
        r.warnings
            .push(SignerWarning::TimestampInvalid { error: e.to_string() });
    }
    r.timestamp = timestamp;
    // The +7 h drift (VIETNAM-PKI.md quirk 7): reported, never corrected. Compared with the
    // time-stamp when there is one, else with the present time.
    if let Some(t) = signing_time {
        let reference = gen_time.unwrap_or(options.now);
        let ahead = t.0 - reference.0;
        if (6 * 3600 + 50 * 60..=7 * 3600 + 10 * 60).contains(&ahead) {
            r.warnings.push(SignerWarning::SigningTimeLocal {
                signing_time: t,
                reference,
            });
        } else if ahead > 300 {
            r.warnings.push(SignerWarning::SigningTimeAhead {
                signing_time: t,
                reference,
            });
        }
    }
    let Some(cert) = pool
        .iter()
        .chain(store.anchors().iter().map(|a| &a.certificate))
        .find(|c| si.names(c))
        .cloned()
    else {
        return fail(r, SignerError::CertificateNotFound, Verdict::Indeterminate);
    };
    r.certificate = Some(cert.clone());
    // What was signed: the signed attributes as received, or the content itself.
    let signed: Vec<u8> = match (&si.signed_attrs, &si.signed_attrs_der) {
        (Some(attrs), Some(der)) => {
            let md = si
                .signed_attr(oid::AA_MESSAGE_DIGEST)
                .and_then(|v| asn1::read_exact(v).ok())
                .filter(|v| v.tag == tag::OCTET_STRING)
                .map(|v| v.contents.to_vec());
            let Some(md) = md else {
                return fail(
                    r,
                    SignerError::BadAttributes {
                        what: "message-digest missing".into(),
                    },
                    Verdict::Invalid,
                );
            };
            let ct = si
                .signed_attr(oid::AA_CONTENT_TYPE)
                .and_then(|v| asn1::read_exact(v).ok());
            let ct_ok = match target {
                Target::Content { content_type, .. } => {
                    ct.is_some_and(|v| v.tag == tag::OID && v.contents == content_type.as_bytes())
                }
                // A countersignature carries no content-type (RFC 5652 §11.4).
                Target::Countersignature { .. } => ct.is_none(),
            };
            if !ct_ok {
                return fail(
                    r,
                    SignerError::BadAttributes {
                        what: "content-type missing or different from eContentType".into(),
                    },
                    Verdict::Invalid,
                );
            }
            if md != digest {
                return fail(r, SignerError::DigestMismatch, Verdict::Invalid);
            }
            // ESS signingCertificateV2 / signingCertificate: the hash of the signer's certificate.
            for (id, hash) in [
                (oid::AA_SIGNING_CERTIFICATE_V2, None),
                (oid::AA_SIGNING_CERTIFICATE, Some(HashAlgorithm::Sha1)),
            ] {
                if let Some(attr) = attrs.iter().find(|a| a.oid == id) {
                    match ess_binds(attr, &cert, hash, provider) {
                        Some(true) => r.signing_certificate_bound = true,
                        _ => return fail(r, SignerError::SigningCertificateMismatch, Verdict::Invalid),
                    }
                }
            }
            der.clone()
        }
        _ => match target {
            Target::Content { content: Some(c), .. } => c.to_vec(),
            Target::Countersignature { signature, .. } => signature.to_vec(),
            Target::Content { content: None, .. } => {
                return fail(
                    r,
                    SignerError::BadAttributes {
                        what: "a detached signature without signed attributes is not supported".into(),
                    },
                    Verdict::Indeterminate,
                )
            }
        },
    };
    let alg = match &si.signature_algorithm {
        Ok(a) => *a,
        Err(e) => return fail(r, SignerError::Signature(e.clone()), Verdict::Indeterminate),
    };
    let key = match cert.public_key() {
        Ok(k) => k,
        Err(e) => return fail(r, SignerError::Signature(e.clone()), Verdict::Indeterminate),
    };
    match crypto::verify_signature(provider, options.path.algorithms, &alg, key, &signed, &si.signature) {
        Ok(v) => r.signature = Some(v),
        Err(CryptoError::BadSignature) => {
            let digest_only = si.signed_attrs.is_none();
            let e = if digest_only {
                SignerError::DigestMismatch
            } else {
                SignerError::Signature(CryptoError::BadSignature)
            };
            return fail(r, e, Verdict::Invalid);
        }
        Err(e) => return fail(r, SignerError::Signature(e.clone()), Verdict::Indeterminate),
    }
    let mut po = options.path.clone();
    po.time = judged_at;
    let chain = path::verify_chain(&cert, pool, store, &po, provider);
    r.verdict = chain.verdict;
    if let Some(e) = &chain.error {
        r.error = Some(SignerError::Chain(e.clone()));
    }
    r.chain = Some(chain);
    r
}

/// The CRLs and OCSP responses a SignedData carries, as evidence (unreadable ones ignored: they
/// are evidence offered, not evidence required).
fn embedded_evidence(sd: &SignedData) -> crate::revocation::RevocationEvidence {
    let mut ev = crate::revocation::RevocationEvidence::default();
    for c in &sd.crls {
        if let Ok(crl) = crate::revocation::Crl::from_der(c.clone()) {
            ev.crls
                .push(std::sync::Arc::new(crl.with_origin("embedded in the CMS")));
        }
    }
    for o in &sd.ocsp_responses {
        if let Ok(r) = crate::revocation::OcspResponse::from_der(o) {
            ev.ocsp.push(std::sync::Arc::new(r.with_origin("embedded in the CMS")));
        }
    }
    ev
}

/// Whether a signingCertificate(V2) attribute's first ESSCertID(v2) hashes `cert`.
///
/// ```asn1
/// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies … OPTIONAL }
/// ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {id-sha256},
///                            certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
/// ESSCertID ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial IssuerSerial OPTIONAL }
/// ```
fn ess_binds(
    attr: &Attribute,
    cert: &Certificate,
    v1_hash: Option<HashAlgorithm>,
    provider: &dyn CryptoProvider,
) -> Option<bool> {
    let value = asn1::read_exact(attr.values.first()?).ok()?;
    let certs = asn1::read_exact(value.children().next()?.ok()?.raw).ok()?;
    let first = certs.children().next()?.ok()?;
    let mut k = first.children();
    let mut f = k.next()?.ok()?;
    let hash = match v1_hash {
        Some(h) => h,
        None if f.tag == tag::SEQUENCE => {
            let (h, _) = split_algorithm_identifier(f.raw).ok()?;
            let h = HashAlgorithm::from_oid(h)?;
            f = k.next()?.ok()?;
            h
        }
        None => HashAlgorithm::Sha256,
    };
    if f.tag != tag::OCTET_STRING {
        return None;
    }
    Some(f.contents == provider.digest(hash, cert.der()).as_slice())
}
