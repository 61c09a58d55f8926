//! OCSP (RFC 6960): requests, responses, and the checks that make a response evidence.
//!
//! ```asn1
//! OCSPResponse ::= SEQUENCE {
//!    responseStatus         OCSPResponseStatus,
//!    responseBytes          [0] EXPLICIT ResponseBytes OPTIONAL }
//! BasicOCSPResponse       ::= SEQUENCE {
//!    tbsResponseData      ResponseData,
//!    signatureAlgorithm   AlgorithmIdentifier,
//!    signature            BIT STRING,
//!    certs            [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
//! ResponseData ::= SEQUENCE {
//!    version              [0] EXPLICIT Version DEFAULT v1,
//!    responderID              ResponderID,
//!    producedAt               GeneralizedTime,
//!    responses                SEQUENCE OF SingleResponse,
//!    responseExtensions   [1] EXPLICIT Extensions OPTIONAL }
//! SingleResponse ::= SEQUENCE {
//!    certID                       CertID,
//!    certStatus                   CertStatus,
//!    thisUpdate                   GeneralizedTime,
//!    nextUpdate         [0]       EXPLICIT GeneralizedTime OPTIONAL,
//!    singleExtensions   [1]       EXPLICIT Extensions OPTIONAL }
//! CertID          ::=     SEQUENCE {
//!    hashAlgorithm       AlgorithmIdentifier,
//!    issuerNameHash      OCTET STRING,
//!    issuerKeyHash       OCTET STRING,
//!    serialNumber        CertificateSerialNumber }
//! ```
//!
//! Parsed with kyso's own reader, like CRLs: the responder's signature is checked over
//! tbsResponseData exactly as received.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use crate::asn1::{self, tag, Tlv};
use crate::cert::Certificate;
use crate::crypto::{split_algorithm_identifier, AlgorithmPolicy, CryptoProvider, HashAlgorithm};
use crate::encode::{self, AlgorithmIdentifier, EncodeError, IntegerBytes};
use crate::error::{CryptoError, InputError};
use crate::name::Name;
use crate::oid;
use crate::time::Time;

use super::RevocationReason;

/// Largest OCSP response kyso reads (real ones are a few KB; 1 MiB bounds a hostile one).
pub const MAX_OCSP_SIZE: usize = 1 << 20;

/// `id-pkix-ocsp-basic`.
const OCSP_BASIC: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];
/// `id-pkix-ocsp-nonce`.
const OCSP_NONCE: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02];

/// A CertID: which certificate a request or response is about (RFC 6960 §4.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertId {
    /// The hash of the two issuer hashes.
    pub hash: HashAlgorithm,
    /// Hash of the issuer's subject Name DER.
    pub issuer_name_hash: Vec<u8>,
    /// Hash of the issuer's subjectPublicKey bits.
    pub issuer_key_hash: Vec<u8>,
    /// The certificate's serial (INTEGER content octets).
    pub serial: Vec<u8>,
}

/// The subjectPublicKey bits of a certificate (the BIT STRING's value without unused-bits).
pub(crate) fn public_key_bits(cert: &Certificate) -> Option<&[u8]> {
    let spki = asn1::read_exact(cert.spki_der()).ok()?;
    let mut k = spki.children();
    let _alg = k.next()?.ok()?;
    let bits = k.next()?.ok()?;
    bits.contents.get(1..)
}

impl CertId {
    /// The CertID of `cert` issued by `issuer`, hashed with `hash` (SHA-1 is what most
    /// responders expect; SHA-256 is accepted by modern ones).
    pub fn new(cert: &Certificate, issuer: &Certificate, hash: HashAlgorithm, provider: &dyn CryptoProvider) -> CertId {
        CertId {
            hash,
            issuer_name_hash: provider.digest(hash, issuer.subject().der()),
            issuer_key_hash: provider.digest(hash, public_key_bits(issuer).unwrap_or(&[])),
            serial: cert.serial().to_vec(),
        }
    }

    /// Whether this CertID names `cert` issued by `issuer` (recomputing the hashes with this
    /// CertID's algorithm).
    pub fn matches(&self, cert: &Certificate, issuer: &Certificate, provider: &dyn CryptoProvider) -> bool {
        self.serial == cert.serial() && *self == CertId::new(cert, issuer, self.hash, provider)
    }

    fn encoded(&self) -> Result<encode::CertId<'_>, EncodeError> {
        Ok(encode::CertId {
            hash_algorithm: AlgorithmIdentifier::with_null(self.hash.oid())?,
            issuer_name_hash: encode::octets(&self.issuer_name_hash)?,
            issuer_key_hash: encode::octets(&self.issuer_key_hash)?,
            serial_number: IntegerBytes(&self.serial),
        })
    }

    fn from_tlv(t: Tlv<'_>) -> Result<CertId, InputError> {
        let mut k = t.children();
        let alg = k.required("CertID hashAlgorithm")?;
        let (hash_oid, _) = split_algorithm_identifier(alg.raw)?;
        let hash = HashAlgorithm::from_oid(hash_oid).ok_or(alg.malformed("CertID hash algorithm"))?;
        let name_hash = k.field(tag::OCTET_STRING, "issuerNameHash")?;
        let key_hash = k.field(tag::OCTET_STRING, "issuerKeyHash")?;
        let serial = k.field(tag::INTEGER, "serialNumber")?;
        Ok(CertId {
            hash,
            issuer_name_hash: name_hash.contents.to_vec(),
            issuer_key_hash: key_hash.contents.to_vec(),
            serial: serial.contents.to_vec(),
        })
    }
}

/// Build a DER OCSPRequest for one certificate, with a nonce when given (RFC 6960 §4.1.1,
/// RFC 8954: the nonce is an OCTET STRING of 1 to 32 octets).
pub fn request_der(id: &CertId, nonce: Option<&[u8]>) -> Vec<u8> {
    // id-pkix-ocsp-nonce's extnValue is the DER of an OCTET STRING (RFC 8954 §2.1).
    let nonce = nonce.map(|n| encode::bounded(encode::octets(n).and_then(|o| encode::to_der(&o))));
    encode::bounded((|| {
        let request_extensions = match &nonce {
            Some(value) => Some(vec![encode::Extension {
                extn_id: encode::oid(OCSP_NONCE)?,
                extn_value: encode::octets(value)?,
            }]),
            None => None,
        };
        encode::to_der(&encode::OcspRequest {
            tbs_request: encode::TbsRequest {
                request_list: vec![encode::Request {
                    req_cert: id.encoded()?,
                }],
                request_extensions,
            },
        })
    })())
}

/// The status a SingleResponse gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcspCertStatus {
    /// good.
    Good,
    /// revoked, with time and reason.
    Revoked {
        /// revocationTime.
        time: Time,
        /// revocationReason, `Unspecified` when absent.
        reason: RevocationReason,
    },
    /// unknown: the responder does not know the certificate.
    Unknown,
}

/// One SingleResponse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleResponse {
    /// Which certificate.
    pub cert_id: CertId,
    /// Its status.
    pub status: OcspCertStatus,
    /// thisUpdate.
    pub this_update: Time,
    /// nextUpdate.
    pub next_update: Option<Time>,
}

/// Who signed a response.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponderId {
    /// byName.
    ByName(Name),
    /// byKey: SHA-1 of the responder's subjectPublicKey bits.
    ByKey(Vec<u8>),
}

/// A successful basic OCSP response.
#[derive(Debug, Clone)]
pub struct OcspResponse {
    der: Vec<u8>,
    signature: crate::signed::Signature,
    /// responderID.
    pub responder: ResponderId,
    /// producedAt.
    pub produced_at: Time,
    /// The single responses.
    pub responses: Vec<SingleResponse>,
    /// The nonce extension's value, if any.
    pub nonce: Option<Vec<u8>>,
    /// Certificates the responder attached (a delegated responder's certificate).
    pub certs: Vec<Certificate>,
    /// Where the response came from (a file or a URL), when recorded.
    pub origin: Option<String>,
    /// The whole OCSPResponse DER as received (what a CAdES-LT signature embeds).
    pub response_der: Vec<u8>,
}

/// Why an OCSP response is not usable.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OcspError {
    /// Not a well-formed response.
    Malformed(InputError),
    /// responseStatus other than successful (0): malformedRequest (1), internalError (2),
    /// tryLater (3), sigRequired (5), unauthorized (6).
    Status(u8),
    /// A responseType other than id-pkix-ocsp-basic.
    UnsupportedType,
}

impl std::fmt::Display for OcspError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OcspError::Malformed(e) => write!(f, "malformed OCSP response: {e}"),
            OcspError::Status(s) => {
                let name = match s {
                    1 => "malformedRequest",
                    2 => "internalError",
                    3 => "tryLater",
                    5 => "sigRequired",
                    6 => "unauthorized",
                    _ => "unknown status",
                };
                write!(f, "OCSP responder answered {name} ({s})")
            }
            OcspError::UnsupportedType => write!(f, "OCSP response type is not id-pkix-ocsp-basic"),
        }
    }
}

impl std::error::Error for OcspError {}

impl From<InputError> for OcspError {
    fn from(e: InputError) -> Self {
        OcspError::Malformed(e)
    }
}

fn gtime(t: Tlv<'_>, what: &'static str) -> Result<Time, InputError> {
    Time::from_asn1(t.tag, t.contents).ok_or(t.malformed(what))
}

impl OcspResponse {
    /// Parse a DER OCSPResponse.
    pub fn from_der(der: &[u8]) -> Result<OcspResponse, OcspError> {
        if der.len() > MAX_OCSP_SIZE {
            return Err(OcspError::Malformed(InputError::TooLarge {
                size: der.len(),
                limit: MAX_OCSP_SIZE,
            }));
        }
        let outer = asn1::read_exact(der)?.expect(tag::SEQUENCE, "OCSPResponse")?;
        let mut k = outer.children();
        let status = k.required("responseStatus")?;
        if status.tag != tag::ENUMERATED {
            return Err(status.malformed("responseStatus").into());
        }
        match status.contents {
            [0] => {}
            [s] => return Err(OcspError::Status(*s)),
            _ => return Err(status.malformed("responseStatus").into()),
        }
        let bytes = k.field(tag::C0, "responseBytes")?;
        let rb = asn1::read_exact(bytes.contents)?.expect(tag::SEQUENCE, "ResponseBytes")?;
        let mut r = rb.children();
        let rtype = r.field(tag::OID, "responseType")?;
        if rtype.contents != OCSP_BASIC {
            return Err(OcspError::UnsupportedType);
        }
        let basic = r.field(tag::OCTET_STRING, "response")?;
        let mut parsed = Self::from_basic(basic.contents)?;
        parsed.response_der = der.to_vec();
        Ok(parsed)
    }

    fn from_basic(der: &[u8]) -> Result<OcspResponse, InputError> {
        let basic = asn1::read_exact(der)?.expect(tag::SEQUENCE, "BasicOCSPResponse")?;
        let (signature, tbs, mut k) =
            crate::signed::read(basic, ["tbsResponseData", "signatureAlgorithm", "signature"])?;
        let mut certs = Vec::new();
        if let Some(c) = k.next() {
            let c = c?.expect(tag::C0, "certs")?;
            let seq = asn1::read_exact(c.contents)?.expect(tag::SEQUENCE, "certs")?;
            for (index, cert) in seq.children().enumerate() {
                let cert = cert?;
                certs.push(
                    Certificate::from_der(cert.raw).map_err(|error| InputError::InCertificate {
                        index,
                        error: Box::new(error),
                    })?,
                );
            }
        }
        let mut t = tbs.children();
        let mut f = t.required("ResponseData")?;
        if f.tag == tag::C0 {
            f = t.required("responderID")?;
        }
        let responder = match f.tag {
            tag::C1 => ResponderId::ByName(Name::from_der(f.contents)?),
            tag::C2 => ResponderId::ByKey(
                asn1::read_exact(f.contents)?
                    .expect(tag::OCTET_STRING, "KeyHash")?
                    .contents
                    .to_vec(),
            ),
            _ => return Err(f.malformed("responderID")),
        };
        let produced_at = gtime(t.required("producedAt")?, "producedAt")?;
        let list = t.field(tag::SEQUENCE, "responses")?;
        let mut responses = Vec::new();
        for sr in list.children() {
            responses.push(single(sr?)?);
        }
        let mut nonce = None;
        if let Some(ext) = t.next() {
            let ext = ext?.expect(tag::C1, "responseExtensions")?;
            let seq = asn1::read_exact(ext.contents)?;
            for e in seq.children() {
                let e = e?;
                let mut ek = e.children();
                let id = ek.required("extnID")?;
                let mut v = ek.required("extnValue")?;
                if v.tag == tag::BOOLEAN {
                    v = ek.required("extnValue")?;
                }
                if id.contents == OCSP_NONCE {
                    // RFC 8954: an OCTET STRING inside extnValue; older responders put the
                    // raw bytes there.
                    nonce = Some(match asn1::read_exact(v.contents) {
                        Ok(inner) if inner.tag == tag::OCTET_STRING => inner.contents.to_vec(),
                        _ => v.contents.to_vec(),
                    });
                }
            }
        }
        Ok(OcspResponse {
            der: der.to_vec(),
            signature,
            responder,
            produced_at,
            responses,
            nonce,
            certs,
            origin: None,
            response_der: Vec::new(),
        })
    }

    /// Record where the response came from (a file or a URL), for reports.
    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// The response for `cert` issued by `issuer`, if it has one.
    pub fn find(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        provider: &dyn CryptoProvider,
    ) -> Option<&SingleResponse> {
        self.responses
            .iter()
            .find(|r| r.cert_id.matches(cert, issuer, provider))
    }

    /// Whether `signer` is the responder the responderID names.
    fn named(&self, signer: &Certificate, provider: &dyn CryptoProvider) -> bool {
        match &self.responder {
            ResponderId::ByName(n) => n.matches(signer.subject()),
            ResponderId::ByKey(h) => {
                public_key_bits(signer).is_some_and(|k| provider.digest(HashAlgorithm::Sha1, k) == *h)
            }
        }
    }

    /// RFC 6960 §4.2.2.2: the response is signed by `issuer` itself, or by a delegated
    /// responder whose certificate `issuer` issued for OCSP signing (id-kp-OCSPSigning) and
    /// which is valid at `at`. `extra` are responder certificates supplied apart from the
    /// response. Returns the signer. A delegated responder's own revocation is not checked
    /// (id-pkix-ocsp-nocheck is the common case; kyso does not recurse into OCSP).
    pub fn verify_signer(
        &self,
        issuer: &Certificate,
        extra: &[Certificate],
        at: Time,
        provider: &dyn CryptoProvider,
        policy: AlgorithmPolicy,
    ) -> Result<Certificate, CryptoError> {
        // An unsupported algorithm is that, whoever the signer.
        self.signature.algorithm.as_ref().map_err(Clone::clone)?;
        let check = |signer: &Certificate| -> Result<(), CryptoError> {
            self.signature
                .verify(&self.der, signer.public_key()?, provider, policy)
                .map(|_| ())
        };
        if self.named(issuer, provider) {
            check(issuer)?;
            return Ok(issuer.clone());
        }
        for cand in self.certs.iter().chain(extra) {
            if !self.named(cand, provider) {
                continue;
            }
            let delegated = cand.issuer().matches(issuer.subject())
                && cand.verify_signed_by(issuer, provider, policy).is_ok()
                && cand
                    .extensions()
                    .extended_key_usage
                    .as_ref()
                    .is_some_and(|e| e.iter().any(|o| *o == oid::KP_OCSP_SIGNING))
                && cand.is_valid_at(at);
            if delegated && check(cand).is_ok() {
                return Ok(cand.clone());
            }
        }
        Err(CryptoError::BadSignature)
    }
}

fn single(t: Tlv<'_>) -> Result<SingleResponse, InputError> {
    let mut k = t.children();
    let cert_id = CertId::from_tlv(k.field(tag::SEQUENCE, "certID")?)?;
    let st = k.required("certStatus")?;
    let status = match st.tag {
        tag::P0 => OcspCertStatus::Good,
        tag::C1 => {
            let mut r = st.children();
            let time = gtime(r.required("revocationTime")?, "revocationTime")?;
            let reason = match r.next() {
                Some(reason) => {
                    let reason = reason?;
                    reason
                        .inner("revocationReason")?
                        .contents
                        .first()
                        .and_then(|c| RevocationReason::from_code(*c))
                        .ok_or(reason.malformed("revocationReason"))?
                }
                None => RevocationReason::Unspecified,
            };
            OcspCertStatus::Revoked { time, reason }
        }
        tag::P2 => OcspCertStatus::Unknown,
        _ => return Err(st.malformed("certStatus")),
    };
    let this_update = gtime(k.required("thisUpdate")?, "thisUpdate")?;
    let mut next_update = None;
    for f in k {
        let f = f?;
        if f.tag == tag::C0 {
            let inner = asn1::read_exact(f.contents)?;
            next_update = Some(gtime(inner, "nextUpdate")?);
        }
    }
    Ok(SingleResponse {
        cert_id,
        status,
        this_update,
        next_update,
    })
}
