//! What kyso writes, encoded through the `der` crate's types and derive: the SignedData of a
//! signature and its signed attributes, OCSP and time-stamp requests, DigestInfo and ECDSA
//! signature values. kyso's own reader ([`crate::asn1`]) only reads.
//!
//! Elements kyso did not make — certificates, names, CRLs, OCSP responses, time-stamp tokens
//! — are written as [`Raw`]: exactly the bytes received, never decoded and re-encoded (a BER
//! token from a TSA stays the token the TSA signed).

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use std::cmp::Ordering;

use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef, SetOfVec};
use der::{Decode, DerOrd, Encode, FixedTag, Length, Reader, Sequence, Tag, Writer};

/// Why kyso could not encode what it was asked to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EncodeError(pub String);

impl From<der::Error> for EncodeError {
    fn from(e: der::Error) -> Self {
        EncodeError(e.to_string())
    }
}

impl From<der::oid::Error> for EncodeError {
    fn from(e: der::oid::Error) -> Self {
        EncodeError(e.to_string())
    }
}

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DER encoding: {}", self.0)
    }
}

/// One element written as received (its tag, length and contents).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Raw<'a>(pub &'a [u8]);

impl Encode for Raw<'_> {
    fn encoded_len(&self) -> der::Result<Length> {
        Length::try_from(self.0.len())
    }

    fn encode(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(self.0)
    }
}

impl<'a> Decode<'a> for Raw<'a> {
    type Error = der::Error;

    fn decode<R: Reader<'a>>(reader: &mut R) -> der::Result<Self> {
        reader.tlv_bytes().map(Raw)
    }
}

impl DerOrd for Raw<'_> {
    /// DER orders a SET OF by the encodings compared as octet strings (X.690 §11.6).
    fn der_cmp(&self, other: &Self) -> der::Result<Ordering> {
        Ok(self.0.cmp(other.0))
    }
}

/// An INTEGER written from its content octets as received (certificate serial numbers, which
/// real CAs do not always encode minimally, and nonces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IntegerBytes<'a>(pub &'a [u8]);

impl FixedTag for IntegerBytes<'_> {
    const TAG: Tag = Tag::Integer;
}

impl der::EncodeValue for IntegerBytes<'_> {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(self.0.len())
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(self.0)
    }
}

impl<'a> der::DecodeValue<'a> for IntegerBytes<'a> {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, header: der::Header) -> der::Result<Self> {
        reader.read_slice(header.length()).map(IntegerBytes)
    }
}

/// A non-negative INTEGER from unsigned big-endian octets: leading zeros dropped, one zero
/// added when the high bit is set (X.690 §8.3.2).
pub(crate) fn unsigned_integer(bytes: &[u8]) -> Vec<u8> {
    let start = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    let v = bytes.get(start..).unwrap_or(&[]);
    let mut out = Vec::with_capacity(v.len() + 1);
    if v.first().is_none_or(|b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(v);
    out
}

/// An OBJECT IDENTIFIER from kyso's content octets.
pub(crate) fn oid(contents: &[u8]) -> Result<ObjectIdentifier, EncodeError> {
    Ok(ObjectIdentifier::from_bytes(contents)?)
}

/// An element kyso made or read as DER, as an ANY (its header is written anew, in DER).
pub(crate) fn any(der: &[u8]) -> Result<AnyRef<'_>, EncodeError> {
    Ok(AnyRef::try_from(der)?)
}

/// An OCTET STRING over `bytes`.
pub(crate) fn octets(bytes: &[u8]) -> Result<&OctetStringRef, EncodeError> {
    Ok(OctetStringRef::new(bytes)?)
}

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct AlgorithmIdentifier<'a> {
    pub algorithm: ObjectIdentifier,
    pub parameters: Option<AnyRef<'a>>,
}

impl<'a> AlgorithmIdentifier<'a> {
    /// With NULL parameters (hash and RSA algorithms, RFC 4055 §2.1 / RFC 8017 §A.2.4).
    pub fn with_null(contents: &[u8]) -> Result<Self, EncodeError> {
        Ok(AlgorithmIdentifier {
            algorithm: oid(contents)?,
            parameters: Some(AnyRef::NULL),
        })
    }

    /// With absent parameters (ECDSA, RFC 5758 §3.2; hashes in CMS, RFC 5754 §2).
    pub fn absent(contents: &[u8]) -> Result<Self, EncodeError> {
        Ok(AlgorithmIdentifier {
            algorithm: oid(contents)?,
            parameters: None,
        })
    }
}

/// `DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }`
/// (RFC 8017 §9.2).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct DigestInfo<'a> {
    pub digest_algorithm: AlgorithmIdentifier<'a>,
    pub digest: &'a OctetStringRef,
}

/// `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 5480 §6, RFC 3279 §2.2.3).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct EcdsaSigValue<'a> {
    pub r: IntegerBytes<'a>,
    pub s: IntegerBytes<'a>,
}

/// `Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }`
/// (RFC 5652 §5.3), with one value.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct Attribute<'a> {
    pub attr_type: ObjectIdentifier,
    pub attr_values: SetOfVec<Raw<'a>>,
}

impl<'a> Attribute<'a> {
    /// An attribute with the one value `value` (an encoded element).
    pub fn one(attr_type: &[u8], value: &'a [u8]) -> Result<Self, EncodeError> {
        let mut attr_values = SetOfVec::new();
        attr_values.insert(Raw(value))?;
        Ok(Attribute {
            attr_type: oid(attr_type)?,
            attr_values,
        })
    }
}

/// `IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber CertificateSerialNumber }`
/// (RFC 5652 §10.2.4); the issuer is written as the certificate carries it.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct IssuerAndSerialNumber<'a> {
    pub issuer: Raw<'a>,
    pub serial_number: IntegerBytes<'a>,
}

/// `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }`
/// (RFC 5035 §4), the issuer as one directoryName.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct IssuerSerial<'a> {
    pub issuer: GeneralNamesDirectory<'a>,
    pub serial_number: IntegerBytes<'a>,
}

/// `GeneralNames` holding one `directoryName [4] EXPLICIT Name`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct GeneralNamesDirectory<'a> {
    #[asn1(context_specific = "4", tag_mode = "EXPLICIT")]
    pub directory_name: AnyRef<'a>,
}

/// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING,
/// issuerSerial IssuerSerial OPTIONAL }` (RFC 5035 §3): SHA-256, so the algorithm is omitted.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct EssCertIdV2<'a> {
    pub cert_hash: &'a OctetStringRef,
    pub issuer_serial: IssuerSerial<'a>,
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies … OPTIONAL }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct SigningCertificateV2<'a> {
    pub certs: Vec<EssCertIdV2<'a>>,
}

/// `SignerInfo` (RFC 5652 §5.3) with `sid` as IssuerAndSerialNumber (version 1).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct SignerInfo<'a> {
    pub version: u8,
    pub sid: IssuerAndSerialNumber<'a>,
    /// An encoded AlgorithmIdentifier.
    pub digest_algorithm: Raw<'a>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub signed_attrs: Option<SetOfVec<Raw<'a>>>,
    /// An encoded AlgorithmIdentifier.
    pub signature_algorithm: Raw<'a>,
    pub signature: &'a OctetStringRef,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub unsigned_attrs: Option<SetOfVec<Raw<'a>>>,
}

/// `EncapsulatedContentInfo ::= SEQUENCE { eContentType, eContent [0] EXPLICIT OCTET STRING
/// OPTIONAL }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct EncapsulatedContentInfo<'a> {
    pub e_content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub e_content: Option<&'a OctetStringRef>,
}

/// `SignedData` (RFC 5652 §5.1).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct SignedData<'a> {
    pub version: u8,
    pub digest_algorithms: SetOfVec<Raw<'a>>,
    pub encap_content_info: EncapsulatedContentInfo<'a>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub certificates: Option<SetOfVec<Raw<'a>>>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub crls: Option<SetOfVec<Raw<'a>>>,
    pub signer_infos: SetOfVec<Raw<'a>>,
}

/// `ContentInfo ::= SEQUENCE { contentType, content [0] EXPLICIT ANY }` around a SignedData.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct ContentInfo<'a> {
    pub content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub content: SignedData<'a>,
}

/// `OtherRevocationInfoFormat ::= SEQUENCE { otherRevInfoFormat OID, otherRevInfo ANY }`
/// (RFC 5652 §10.2.1); carried as `[1] IMPLICIT` in RevocationInfoChoices.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct OtherRevocationInfoFormat<'a> {
    pub other_rev_info_format: ObjectIdentifier,
    pub other_rev_info: Raw<'a>,
}

/// `MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct MessageImprint<'a> {
    pub hash_algorithm: AlgorithmIdentifier<'a>,
    pub hashed_message: &'a OctetStringRef,
}

/// `TimeStampReq` (RFC 3161 §2.4.1) without reqPolicy and extensions.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct TimeStampReq<'a> {
    pub version: u8,
    pub message_imprint: MessageImprint<'a>,
    pub nonce: Option<IntegerBytes<'a>>,
    pub cert_req: bool,
}

/// `CertID` (RFC 6960 §4.1.1).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct CertId<'a> {
    pub hash_algorithm: AlgorithmIdentifier<'a>,
    pub issuer_name_hash: &'a OctetStringRef,
    pub issuer_key_hash: &'a OctetStringRef,
    pub serial_number: IntegerBytes<'a>,
}

/// `Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] OPTIONAL }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct Request<'a> {
    pub req_cert: CertId<'a>,
}

/// `Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct Extension<'a> {
    pub extn_id: ObjectIdentifier,
    pub extn_value: &'a OctetStringRef,
}

/// `TBSRequest` (RFC 6960 §4.1.1): version v1 (the DEFAULT, omitted), no requestorName.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct TbsRequest<'a> {
    pub request_list: Vec<Request<'a>>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    pub request_extensions: Option<Vec<Extension<'a>>>,
}

/// `OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] OPTIONAL }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct OcspRequest<'a> {
    pub tbs_request: TbsRequest<'a>,
}

/// DER of `value`.
pub(crate) fn to_der(value: &impl Encode) -> Result<Vec<u8>, EncodeError> {
    Ok(value.to_der()?)
}

/// DER of a structure whose parts are all bounded and kyso-made (a request, a DigestInfo): its
/// encoding cannot fail, and if it ever did the empty result fails closed — a peer refuses an
/// empty request, and an empty DigestInfo never matches a signature.
pub(crate) fn bounded(value: Result<Vec<u8>, EncodeError>) -> Vec<u8> {
    debug_assert!(value.is_ok(), "{value:?}");
    value.unwrap_or_default()
}

/// A SET OF the encoded elements, sorted as DER requires.
pub(crate) fn set_of<'a>(items: impl IntoIterator<Item = &'a [u8]>) -> Result<SetOfVec<Raw<'a>>, EncodeError> {
    let mut set = SetOfVec::new();
    for i in items {
        set.insert(Raw(i))?;
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_info_is_the_rfc_8017_prefix() {
        // RFC 8017 §9.2 note 1: the SHA-256 DigestInfo prefix.
        let d = [0u8; 32];
        let di = DigestInfo {
            digest_algorithm: AlgorithmIdentifier::with_null(crate::oid::SHA256).unwrap(),
            digest: octets(&d).unwrap(),
        };
        let der = to_der(&di).unwrap();
        assert_eq!(hex::encode(&der[..19]), "3031300d060960864801650304020105000420");
    }

    #[test]
    fn raw_elements_are_written_as_received_and_sets_sorted() {
        // An indefinite-length element stays as it came.
        let ber: &[u8] = &[0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00];
        let set = set_of([&[0x04, 0x01, 0x09][..], ber]).unwrap();
        assert_eq!(
            to_der(&set).unwrap(),
            [&[0x31, 10][..], &[0x04, 0x01, 0x09], ber].concat()
        );
        assert_eq!(unsigned_integer(&[0x00, 0x00, 0x80]), vec![0x00, 0x80]);
        assert_eq!(unsigned_integer(&[0x00, 0x7F]), vec![0x7F]);
        assert_eq!(unsigned_integer(&[]), vec![0x00]);
    }
}
