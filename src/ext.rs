//! Certificate extensions (RFC 5280 §4.2), decoded into kyso's own owned types.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use crate::asn1::{tag, FromTlv, Tlv};
use crate::error::{CertificateError, InputError};
use crate::name::{Attribute, Name};
use crate::oid::{self, Oid};

/// A GeneralName (RFC 5280 §4.2.1.6).
///
/// ```asn1
/// GeneralName ::= CHOICE {
///      otherName                 [0]  AnotherName,
///      rfc822Name                [1]  IA5String,
///      dNSName                   [2]  IA5String,
///      x400Address               [3]  ORAddress,
///      directoryName             [4]  Name,
///      ediPartyName              [5]  EDIPartyName,
///      uniformResourceIdentifier [6]  IA5String,
///      iPAddress                 [7]  OCTET STRING,
///      registeredID              [8]  OBJECT IDENTIFIER }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum GeneralName {
    /// `[0]` otherName: type and the DER of the value.
    OtherName {
        /// The type OID.
        type_id: Oid,
        /// The value's DER (inside the `[0]` wrapper).
        value: Vec<u8>,
    },
    /// `[1]` an e-mail address.
    Rfc822(String),
    /// `[2]` a DNS name.
    Dns(String),
    /// `[4]` a directory name.
    Directory(Name),
    /// `[6]` a URI.
    Uri(String),
    /// `[7]` an IP address (4 or 16 octets), or address and mask (8 or 32) in name constraints.
    IpAddress(Vec<u8>),
    /// `[8]` a registered OID.
    RegisteredId(Oid),
    /// x400Address, ediPartyName, or a name whose contents did not decode: kept as received.
    Unsupported {
        /// The context tag number.
        tag: u32,
        /// Content octets.
        contents: Vec<u8>,
    },
}

impl GeneralName {
    /// Short form for display: `email:a@b`, `DNS:x`, `URI:http://…`, `DirName:CN=…`.
    pub fn display(&self) -> String {
        match self {
            GeneralName::OtherName { type_id, .. } => format!("othername:{type_id}"),
            GeneralName::Rfc822(s) => format!("email:{s}"),
            GeneralName::Dns(s) => format!("DNS:{s}"),
            GeneralName::Directory(n) => format!("DirName:{}", n.display()),
            GeneralName::Uri(s) => format!("URI:{s}"),
            GeneralName::IpAddress(b) => format!("IP:{}", ip_display(b)),
            GeneralName::RegisteredId(o) => format!("RID:{o}"),
            GeneralName::Unsupported { tag, .. } => format!("[{tag}]"),
        }
    }
}

impl GeneralName {
    /// Decode one GeneralName from its element (context tag `[n]`, IMPLICIT except
    /// directoryName, which is EXPLICIT because Name is a CHOICE).
    pub(crate) fn from_tlv(tlv: Tlv<'_>) -> Result<Self, InputError> {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        Ok(match tlv.tag {
            // otherName [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT ANY }.
            tag::C0 => {
                let mut k = tlv.children();
                let type_id = k.field(tag::OID, "otherName type-id")?;
                let value = k.field(tag::explicit(0), "otherName value")?;
                k.finish("otherName")?;
                GeneralName::OtherName {
                    type_id: Oid::from_der_contents(type_id.contents),
                    value: value.contents.to_vec(),
                }
            }
            tag::P1 => GeneralName::Rfc822(text(tlv.contents)),
            tag::P2 => GeneralName::Dns(text(tlv.contents)),
            tag::P6 => GeneralName::Uri(text(tlv.contents)),
            tag::P7 => GeneralName::IpAddress(tlv.contents.to_vec()),
            tag::P8 => GeneralName::RegisteredId(Oid::from_der_contents(tlv.contents)),
            tag::C4 => GeneralName::Directory(Name::from_tlv(tlv.inner("directoryName")?)?),
            t => GeneralName::Unsupported {
                tag: u32::from(t.number()),
                contents: tlv.contents.to_vec(),
            },
        })
    }

    /// Decode `GeneralNames ::= SEQUENCE OF GeneralName` inside `seq` (the SEQUENCE, or an
    /// IMPLICIT tag standing for it).
    pub(crate) fn sequence_from_tlv(seq: Tlv<'_>) -> Result<Vec<Self>, InputError> {
        seq.children().map(|t| GeneralName::from_tlv(t?)).collect()
    }

    /// Whether two names are the same (directory names per RFC 5280 §7.1, the others
    /// case-insensitively for host parts, exactly otherwise).
    pub fn same_as(&self, other: &GeneralName) -> bool {
        match (self, other) {
            (GeneralName::Directory(a), GeneralName::Directory(b)) => a.matches(b),
            (GeneralName::Dns(a), GeneralName::Dns(b)) => a.eq_ignore_ascii_case(b),
            (GeneralName::Rfc822(a), GeneralName::Rfc822(b)) | (GeneralName::Uri(a), GeneralName::Uri(b)) => a == b,
            (a, b) => a == b,
        }
    }
}

/// `DistributionPointName` from its `[0]`/`[1]` element (RFC 5280 §4.2.1.13).
pub(crate) fn distribution_point_name(tlv: Tlv<'_>) -> Result<DistributionPointName, InputError> {
    match tlv.tag {
        tag::C0 => Ok(DistributionPointName::FullName(GeneralName::sequence_from_tlv(tlv)?)),
        tag::C1 => {
            let mut attrs = Vec::new();
            for atv in tlv.children() {
                let atv = atv?;
                let mut k = atv.children();
                let t = k.required("nameRelativeToCRLIssuer attribute")?;
                let v = k.required("nameRelativeToCRLIssuer attribute")?;
                attrs.push(Attribute {
                    oid: Oid::from_der_contents(t.contents),
                    value_tag: v.tag.byte(),
                    value: v.contents.to_vec(),
                });
            }
            Ok(DistributionPointName::RelativeToCrlIssuer(attrs))
        }
        _ => Err(tlv.malformed("DistributionPointName")),
    }
}

/// `CRLDistributionPoints ::= SEQUENCE OF DistributionPoint` (also freshestCRL).
///
/// ```asn1
/// DistributionPoint ::= SEQUENCE {
///      distributionPoint       [0]     DistributionPointName OPTIONAL,
///      reasons                 [1]     ReasonFlags OPTIONAL,
///      cRLIssuer               [2]     GeneralNames OPTIONAL }
/// ```
fn distribution_points(seq: Tlv<'_>) -> Result<Vec<DistributionPoint>, InputError> {
    let seq = seq.expect(tag::SEQUENCE, "CRLDistributionPoints")?;
    let mut out = Vec::new();
    for dp in seq.children() {
        let dp = dp?.expect(tag::SEQUENCE, "DistributionPoint")?;
        let mut point = DistributionPoint {
            name: None,
            reasons: None,
            crl_issuer: None,
        };
        for f in dp.children() {
            let f = f?;
            match f.tag {
                tag::C0 => point.name = Some(distribution_point_name(f.inner("distributionPoint")?)?),
                tag::P1 => point.reasons = Some(reason_flags(f.contents)),
                tag::C2 => point.crl_issuer = Some(GeneralName::sequence_from_tlv(f)?),
                _ => return Err(f.malformed("DistributionPoint field")),
            }
        }
        out.push(point);
    }
    Ok(out)
}

fn ip_display(b: &[u8]) -> String {
    match b.len() {
        4 | 8 => {
            let (a, m) = b.split_at(4);
            let s = a.iter().map(u8::to_string).collect::<Vec<_>>().join(".");
            if m.is_empty() {
                s
            } else {
                format!("{s}/{}", m.iter().map(u8::to_string).collect::<Vec<_>>().join("."))
            }
        }
        _ => hex::encode(b),
    }
}

/// basicConstraints (RFC 5280 §4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct BasicConstraints {
    /// Whether the subject is a CA.
    pub ca: bool,
    /// pathLenConstraint.
    pub path_len: Option<u32>,
}

/// keyUsage bits (RFC 5280 §4.2.1.3), bit 0 = digitalSignature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// digitalSignature.
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// nonRepudiation (contentCommitment).
    pub const NON_REPUDIATION: u16 = 1 << 1;
    /// keyEncipherment.
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    /// dataEncipherment.
    pub const DATA_ENCIPHERMENT: u16 = 1 << 3;
    /// keyAgreement.
    pub const KEY_AGREEMENT: u16 = 1 << 4;
    /// keyCertSign.
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// cRLSign.
    pub const CRL_SIGN: u16 = 1 << 6;
    /// encipherOnly.
    pub const ENCIPHER_ONLY: u16 = 1 << 7;
    /// decipherOnly.
    pub const DECIPHER_ONLY: u16 = 1 << 8;

    const NAMES: [&'static str; 9] = [
        "digitalSignature",
        "nonRepudiation",
        "keyEncipherment",
        "dataEncipherment",
        "keyAgreement",
        "keyCertSign",
        "cRLSign",
        "encipherOnly",
        "decipherOnly",
    ];

    /// Whether every bit of `bits` is set.
    pub fn has(self, bits: u16) -> bool {
        self.0 & bits == bits
    }

    /// Names of the bits set.
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect()
    }
}

/// One PolicyInformation of certificatePolicies (RFC 5280 §4.2.1.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInformation {
    /// The policy OID (anyPolicy is 2.5.29.32.0).
    pub policy: Oid,
    /// Qualifiers: id and DER of the qualifier.
    pub qualifiers: Vec<(Oid, Vec<u8>)>,
}

/// policyConstraints (RFC 5280 §4.2.1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PolicyConstraints {
    /// requireExplicitPolicy: certificates to skip before an explicit policy is required.
    pub require_explicit_policy: Option<u32>,
    /// inhibitPolicyMapping: certificates to skip before mapping is inhibited.
    pub inhibit_policy_mapping: Option<u32>,
}

/// A GeneralSubtree of nameConstraints (RFC 5280 §4.2.1.10). The profile fixes minimum
/// at 0 and leaves maximum absent, so only the base is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneralSubtree {
    /// The base name.
    pub base: GeneralName,
}

/// nameConstraints (RFC 5280 §4.2.1.10).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NameConstraints {
    /// permittedSubtrees.
    pub permitted: Option<Vec<GeneralSubtree>>,
    /// excludedSubtrees.
    pub excluded: Option<Vec<GeneralSubtree>>,
}

/// The name of a distribution point.
#[derive(Debug, Clone, PartialEq)]
pub enum DistributionPointName {
    /// fullName.
    FullName(Vec<GeneralName>),
    /// nameRelativeToCRLIssuer: one RDN appended to the CRL issuer's name.
    RelativeToCrlIssuer(Vec<Attribute>),
}

/// One DistributionPoint of cRLDistributionPoints or freshestCRL (RFC 5280 §4.2.1.13).
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionPoint {
    /// distributionPoint.
    pub name: Option<DistributionPointName>,
    /// reasons (ReasonFlags bits), when the point covers only some.
    pub reasons: Option<u16>,
    /// cRLIssuer, when an entity other than the certificate's issuer signs the CRL.
    pub crl_issuer: Option<Vec<GeneralName>>,
}

impl DistributionPoint {
    /// URIs of the full name (where the CRL can be fetched).
    pub fn uris(&self) -> Vec<&str> {
        match &self.name {
            Some(DistributionPointName::FullName(v)) => v
                .iter()
                .filter_map(|g| match g {
                    GeneralName::Uri(u) => Some(u.as_str()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// One AccessDescription of authorityInfoAccess (RFC 5280 §4.2.2.1).
#[derive(Debug, Clone, PartialEq)]
pub struct AccessDescription {
    /// id-ad-ocsp or id-ad-caIssuers (or another method).
    pub method: Oid,
    /// Where.
    pub location: GeneralName,
}

/// authorityKeyIdentifier (RFC 5280 §4.2.1.1).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuthorityKeyIdentifier {
    /// keyIdentifier.
    pub key_id: Option<Vec<u8>>,
    /// authorityCertIssuer.
    pub issuer: Option<Vec<GeneralName>>,
    /// authorityCertSerialNumber (content octets).
    pub serial: Option<Vec<u8>>,
}

/// One extension as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawExtension {
    /// extnID.
    pub oid: Oid,
    /// critical.
    pub critical: bool,
    /// extnValue's contents (the DER of the extension value).
    pub value: Vec<u8>,
}

/// The extensions of a certificate: the decoded ones kyso uses, and all as received.
#[derive(Debug, Clone, Default)]
pub struct Extensions {
    /// basicConstraints.
    pub basic_constraints: Option<BasicConstraints>,
    /// keyUsage.
    pub key_usage: Option<KeyUsage>,
    /// extKeyUsage, in order.
    pub extended_key_usage: Option<Vec<Oid>>,
    /// certificatePolicies.
    pub certificate_policies: Option<Vec<PolicyInformation>>,
    /// policyMappings: (issuerDomainPolicy, subjectDomainPolicy).
    pub policy_mappings: Option<Vec<(Oid, Oid)>>,
    /// policyConstraints.
    pub policy_constraints: Option<PolicyConstraints>,
    /// inhibitAnyPolicy: SkipCerts.
    pub inhibit_any_policy: Option<u32>,
    /// nameConstraints.
    pub name_constraints: Option<NameConstraints>,
    /// cRLDistributionPoints.
    pub crl_distribution_points: Option<Vec<DistributionPoint>>,
    /// freshestCRL (delta CRLs).
    pub freshest_crl: Option<Vec<DistributionPoint>>,
    /// authorityInfoAccess.
    pub authority_info_access: Option<Vec<AccessDescription>>,
    /// subjectAltName.
    pub subject_alt_name: Option<Vec<GeneralName>>,
    /// issuerAltName.
    pub issuer_alt_name: Option<Vec<GeneralName>>,
    /// subjectKeyIdentifier.
    pub subject_key_id: Option<Vec<u8>>,
    /// authorityKeyIdentifier.
    pub authority_key_id: Option<AuthorityKeyIdentifier>,
    /// id-pkix-ocsp-nocheck present (RFC 6960 §4.2.2.2.1).
    pub ocsp_nocheck: bool,
    /// Every extension in encoded order.
    pub all: Vec<RawExtension>,
}

/// Extensions kyso processes. Any other extension marked critical makes the certificate
/// unusable (RFC 5280 §4.2) and is listed by [`Extensions::unknown_critical`].
pub const UNDERSTOOD: &[&[u8]] = &[
    oid::BASIC_CONSTRAINTS,
    oid::KEY_USAGE,
    oid::EXT_KEY_USAGE,
    oid::CERTIFICATE_POLICIES,
    oid::POLICY_MAPPINGS,
    oid::POLICY_CONSTRAINTS,
    oid::INHIBIT_ANY_POLICY,
    oid::NAME_CONSTRAINTS,
    oid::CRL_DISTRIBUTION_POINTS,
    oid::FRESHEST_CRL,
    oid::AUTHORITY_INFO_ACCESS,
    oid::SUBJECT_ALT_NAME,
    oid::ISSUER_ALT_NAME,
    oid::SUBJECT_KEY_IDENTIFIER,
    oid::AUTHORITY_KEY_IDENTIFIER,
    oid::OCSP_NOCHECK,
];

impl Extensions {
    /// Critical extensions kyso does not process (the certificate must then be rejected).
    pub fn unknown_critical(&self) -> Vec<Oid> {
        self.all
            .iter()
            .filter(|e| e.critical && !UNDERSTOOD.contains(&e.oid.as_bytes()))
            .map(|e| e.oid.clone())
            .collect()
    }

    /// The extension with this OID as received.
    pub fn get(&self, ext: &[u8]) -> Option<&RawExtension> {
        self.all.iter().find(|e| e.oid == ext)
    }

    /// Whether the extension is present and marked critical.
    pub fn is_critical(&self, ext: &[u8]) -> bool {
        self.get(ext).is_some_and(|e| e.critical)
    }

    /// OCSP responder URIs from authorityInfoAccess.
    pub fn ocsp_uris(&self) -> Vec<&str> {
        self.access_uris(oid::AD_OCSP)
    }

    /// caIssuers URIs from authorityInfoAccess.
    pub fn ca_issuers_uris(&self) -> Vec<&str> {
        self.access_uris(oid::AD_CA_ISSUERS)
    }

    fn access_uris(&self, method: &[u8]) -> Vec<&str> {
        self.authority_info_access
            .iter()
            .flatten()
            .filter(|a| a.method == method)
            .filter_map(|a| match &a.location {
                GeneralName::Uri(u) => Some(u.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Decode `[3] EXPLICIT Extensions` of a TBSCertificate (the `[3]` element). A malformed
    /// extension kyso acts on fails the certificate; an unknown one is judged by its
    /// criticality alone.
    pub(crate) fn from_tlv(wrapper: Tlv<'_>) -> Result<Self, CertificateError> {
        let seq = wrapper.inner("extensions")?.expect(tag::SEQUENCE, "Extensions")?;
        let mut out = Extensions::default();
        for e in extension_list(seq) {
            let ExtensionRef {
                id: oid_bytes,
                critical,
                value,
                value_tlv,
                ..
            } = e?;
            if out.all.iter().any(|x| x.oid == oid_bytes) {
                return Err(CertificateError::DuplicateExtension {
                    oid: oid::dotted(oid_bytes),
                });
            }
            out.all.push(RawExtension {
                oid: Oid::from_der_contents(oid_bytes),
                critical,
                value: value.to_vec(),
            });
            if UNDERSTOOD.contains(&oid_bytes) {
                // The value's offsets stay absolute: its reader starts where its contents do.
                value_tlv
                    .inner("extension value")
                    .and_then(|v| out.decode(oid_bytes, v))
                    .map_err(|error| CertificateError::BadExtension {
                        oid: oid::dotted(oid_bytes),
                        error,
                    })?;
            }
        }
        Ok(out)
    }

    /// Decode one understood extension's value into its field.
    fn decode(&mut self, id: &[u8], v: Tlv<'_>) -> Result<(), InputError> {
        match id {
            oid::BASIC_CONSTRAINTS => self.basic_constraints = Some(BasicConstraints::from_tlv(v)?),
            oid::KEY_USAGE => self.key_usage = Some(KeyUsage::from_tlv(v)?),
            oid::EXT_KEY_USAGE => self.extended_key_usage = Some(oid_sequence(v)?),
            oid::CERTIFICATE_POLICIES => {
                self.certificate_policies = Some(
                    v.expect(tag::SEQUENCE, "certificatePolicies")?
                        .children()
                        .map(|p| PolicyInformation::from_tlv(p?))
                        .collect::<Result<_, _>>()?,
                )
            }
            oid::POLICY_MAPPINGS => {
                let mut maps = Vec::new();
                for m in v.expect(tag::SEQUENCE, "policyMappings")?.children() {
                    let m = m?.expect(tag::SEQUENCE, "PolicyMapping")?;
                    let mut k = m.children();
                    let issuer = k.field(tag::OID, "issuerDomainPolicy")?;
                    let subject = k.field(tag::OID, "subjectDomainPolicy")?;
                    k.finish("PolicyMapping")?;
                    maps.push((
                        Oid::from_der_contents(issuer.contents),
                        Oid::from_der_contents(subject.contents),
                    ));
                }
                self.policy_mappings = Some(maps)
            }
            oid::POLICY_CONSTRAINTS => self.policy_constraints = Some(PolicyConstraints::from_tlv(v)?),
            oid::INHIBIT_ANY_POLICY => {
                self.inhibit_any_policy = Some(v.expect(tag::INTEGER, "inhibitAnyPolicy")?.small_uint("SkipCerts")?)
            }
            oid::NAME_CONSTRAINTS => self.name_constraints = Some(NameConstraints::from_tlv(v)?),
            oid::CRL_DISTRIBUTION_POINTS => self.crl_distribution_points = Some(distribution_points(v)?),
            oid::FRESHEST_CRL => self.freshest_crl = Some(distribution_points(v)?),
            oid::AUTHORITY_INFO_ACCESS => {
                let mut list = Vec::new();
                for d in v.expect(tag::SEQUENCE, "authorityInfoAccess")?.children() {
                    let d = d?.expect(tag::SEQUENCE, "AccessDescription")?;
                    let mut k = d.children();
                    let method = k.field(tag::OID, "accessMethod")?;
                    let location = GeneralName::from_tlv(k.required("accessLocation")?)?;
                    k.finish("AccessDescription")?;
                    list.push(AccessDescription {
                        method: Oid::from_der_contents(method.contents),
                        location,
                    });
                }
                self.authority_info_access = Some(list)
            }
            oid::SUBJECT_ALT_NAME => {
                self.subject_alt_name = Some(GeneralName::sequence_from_tlv(
                    v.expect(tag::SEQUENCE, "subjectAltName")?,
                )?)
            }
            oid::ISSUER_ALT_NAME => {
                self.issuer_alt_name = Some(GeneralName::sequence_from_tlv(
                    v.expect(tag::SEQUENCE, "issuerAltName")?,
                )?)
            }
            oid::SUBJECT_KEY_IDENTIFIER => {
                self.subject_key_id = Some(v.expect(tag::OCTET_STRING, "subjectKeyIdentifier")?.contents.to_vec())
            }
            oid::AUTHORITY_KEY_IDENTIFIER => self.authority_key_id = Some(AuthorityKeyIdentifier::from_tlv(v)?),
            oid::OCSP_NOCHECK => self.ocsp_nocheck = true,
            _ => {}
        }
        Ok(())
    }
}

/// One Extension as found, for certificates and CRLs alike (RFC 5280 §4.1, §5.2):
/// `SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`.
pub(crate) struct ExtensionRef<'a> {
    /// extnID's content octets.
    pub id: &'a [u8],
    /// critical.
    pub critical: bool,
    /// extnValue's contents (the DER of the value).
    pub value: &'a [u8],
    /// extnValue itself, whose contents a value reader starts from (absolute offsets).
    pub value_tlv: Tlv<'a>,
    /// The whole Extension element.
    pub element: Tlv<'a>,
}

/// The Extensions of `seq` (`SEQUENCE SIZE (1..MAX) OF Extension`), in order.
pub(crate) fn extension_list(seq: Tlv<'_>) -> impl Iterator<Item = Result<ExtensionRef<'_>, InputError>> {
    seq.children().map(|e| {
        let element = e?.expect(tag::SEQUENCE, "Extension")?;
        let mut k = element.children();
        let id = k.field(tag::OID, "extnID")?;
        let critical = match k.optional(tag::BOOLEAN)? {
            Some(b) => b.boolean("critical")?,
            None => false,
        };
        let value_tlv = k.field(tag::OCTET_STRING, "extnValue")?;
        k.finish("Extension")?;
        Ok(ExtensionRef {
            id: id.contents,
            critical,
            value: value_tlv.contents,
            value_tlv,
            element,
        })
    })
}

/// ReasonFlags (RFC 5280 §4.2.1.13) as a bit mask, bit 0 = unused: the BIT STRING's
/// contents (first octet: unused bits).
pub(crate) fn reason_flags(contents: &[u8]) -> u16 {
    bits_to_mask(contents.get(1..).unwrap_or(&[]))
}

/// Named bits (bit 0 is the first octet's high bit) as a mask with bit `i` for bit `i`.
fn bits_to_mask(octets: &[u8]) -> u16 {
    let mut mask = 0u16;
    for i in 0..16usize {
        if octets.get(i / 8).is_some_and(|b| b & (0x80 >> (i % 8)) != 0) {
            mask |= 1 << i;
        }
    }
    mask
}

impl FromTlv for BasicConstraints {
    /// `SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }`.
    fn from_tlv(v: Tlv<'_>) -> Result<Self, InputError> {
        let mut k = v.expect(tag::SEQUENCE, "basicConstraints")?.children();
        let ca = match k.optional(tag::BOOLEAN)? {
            Some(b) => b.boolean("cA")?,
            None => false,
        };
        let path_len = k
            .optional(tag::INTEGER)?
            .map(|n| n.small_uint("pathLenConstraint"))
            .transpose()?;
        k.finish("basicConstraints")?;
        Ok(BasicConstraints { ca, path_len })
    }
}

impl FromTlv for KeyUsage {
    /// `KeyUsage ::= BIT STRING { digitalSignature (0), … decipherOnly (8) }`.
    fn from_tlv(v: Tlv<'_>) -> Result<Self, InputError> {
        let (_, bits) = v.expect(tag::BIT_STRING, "keyUsage")?.bit_string("keyUsage")?;
        Ok(KeyUsage(bits_to_mask(bits) & 0x01FF))
    }
}

impl FromTlv for PolicyInformation {
    /// `SEQUENCE { policyIdentifier OID, policyQualifiers SEQUENCE OF PolicyQualifierInfo
    /// OPTIONAL }`, each qualifier `SEQUENCE { policyQualifierId OID, qualifier ANY }`.
    fn from_tlv(p: Tlv<'_>) -> Result<Self, InputError> {
        let mut k = p.expect(tag::SEQUENCE, "PolicyInformation")?.children();
        let policy = k.field(tag::OID, "policyIdentifier")?;
        let mut qualifiers = Vec::new();
        if let Some(qs) = k.optional(tag::SEQUENCE)? {
            for q in qs.children() {
                let q = q?.expect(tag::SEQUENCE, "PolicyQualifierInfo")?;
                let mut qk = q.children();
                let id = qk.field(tag::OID, "policyQualifierId")?;
                let value = qk.required("qualifier")?;
                qk.finish("PolicyQualifierInfo")?;
                qualifiers.push((Oid::from_der_contents(id.contents), value.raw.to_vec()));
            }
        }
        k.finish("PolicyInformation")?;
        Ok(PolicyInformation {
            policy: Oid::from_der_contents(policy.contents),
            qualifiers,
        })
    }
}

impl FromTlv for PolicyConstraints {
    /// `SEQUENCE { requireExplicitPolicy [0] SkipCerts OPTIONAL, inhibitPolicyMapping [1]
    /// SkipCerts OPTIONAL }` (IMPLICIT INTEGERs).
    fn from_tlv(v: Tlv<'_>) -> Result<Self, InputError> {
        let mut k = v.expect(tag::SEQUENCE, "policyConstraints")?.children();
        let require_explicit_policy = k
            .optional(tag::implicit(0))?
            .map(|n| n.small_uint("requireExplicitPolicy"))
            .transpose()?;
        let inhibit_policy_mapping = k
            .optional(tag::implicit(1))?
            .map(|n| n.small_uint("inhibitPolicyMapping"))
            .transpose()?;
        k.finish("policyConstraints")?;
        Ok(PolicyConstraints {
            require_explicit_policy,
            inhibit_policy_mapping,
        })
    }
}

impl FromTlv for NameConstraints {
    /// `SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL, excludedSubtrees [1]
    /// GeneralSubtrees OPTIONAL }`, each subtree `SEQUENCE { base GeneralName, minimum [0]
    /// DEFAULT 0, maximum [1] OPTIONAL }`.
    fn from_tlv(v: Tlv<'_>) -> Result<Self, InputError> {
        fn subtrees(t: Tlv<'_>) -> Result<Vec<GeneralSubtree>, InputError> {
            t.children()
                .map(|s| {
                    let s = s?.expect(tag::SEQUENCE, "GeneralSubtree")?;
                    let base = GeneralName::from_tlv(s.children().required("base")?)?;
                    Ok(GeneralSubtree { base })
                })
                .collect()
        }
        let mut k = v.expect(tag::SEQUENCE, "nameConstraints")?.children();
        let permitted = k.optional(tag::explicit(0))?.map(subtrees).transpose()?;
        let excluded = k.optional(tag::explicit(1))?.map(subtrees).transpose()?;
        k.finish("nameConstraints")?;
        Ok(NameConstraints { permitted, excluded })
    }
}

impl FromTlv for AuthorityKeyIdentifier {
    /// `SEQUENCE { keyIdentifier [0] OPTIONAL, authorityCertIssuer [1] GeneralNames
    /// OPTIONAL, authorityCertSerialNumber [2] OPTIONAL }` (IMPLICIT).
    fn from_tlv(v: Tlv<'_>) -> Result<Self, InputError> {
        let mut k = v.expect(tag::SEQUENCE, "authorityKeyIdentifier")?.children();
        let key_id = k.optional(tag::implicit(0))?.map(|t| t.contents.to_vec());
        let issuer = k
            .optional(tag::explicit(1))?
            .map(GeneralName::sequence_from_tlv)
            .transpose()?;
        let serial = k.optional(tag::implicit(2))?.map(|t| t.contents.to_vec());
        k.finish("authorityKeyIdentifier")?;
        Ok(AuthorityKeyIdentifier { key_id, issuer, serial })
    }
}

/// `SEQUENCE OF OBJECT IDENTIFIER` (extKeyUsage).
fn oid_sequence(seq: Tlv<'_>) -> Result<Vec<Oid>, InputError> {
    seq.expect(tag::SEQUENCE, "SEQUENCE OF OID")?
        .children()
        .map(|k| Ok(Oid::from_der_contents(k?.expect(tag::OID, "OID")?.contents)))
        .collect()
}
