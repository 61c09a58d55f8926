//! Certificate extensions (RFC 5280 §4.2), decoded into kyso's own owned types.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use x509_parser::extensions as xp;

use crate::error::CertificateError;
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

    fn from_xp(g: &xp::GeneralName<'_>) -> Result<Self, CertificateError> {
        Ok(match g {
            xp::GeneralName::OtherName(o, v) => GeneralName::OtherName {
                type_id: Oid::from_der_contents(o.as_bytes()),
                value: v.to_vec(),
            },
            xp::GeneralName::RFC822Name(s) => GeneralName::Rfc822((*s).to_string()),
            xp::GeneralName::DNSName(s) => GeneralName::Dns((*s).to_string()),
            xp::GeneralName::DirectoryName(n) => {
                GeneralName::Directory(Name::from_der(n.as_raw()).map_err(|e| CertificateError::Parse {
                    reason: format!("directoryName: {e}"),
                })?)
            }
            xp::GeneralName::URI(s) => GeneralName::Uri((*s).to_string()),
            xp::GeneralName::IPAddress(b) => GeneralName::IpAddress(b.to_vec()),
            xp::GeneralName::RegisteredID(o) => GeneralName::RegisteredId(Oid::from_der_contents(o.as_bytes())),
            xp::GeneralName::X400Address(a) => GeneralName::Unsupported {
                tag: 3,
                contents: a.data.to_vec(),
            },
            xp::GeneralName::EDIPartyName(a) => GeneralName::Unsupported {
                tag: 5,
                contents: a.data.to_vec(),
            },
            xp::GeneralName::Invalid(t, b) => GeneralName::Unsupported {
                tag: t.0,
                contents: b.to_vec(),
            },
        })
    }
}

impl GeneralName {
    /// Decode one GeneralName from its DER element (context tag `[n]`), as found in CRL
    /// extensions, which kyso reads without x509-parser.
    pub(crate) fn from_tlv(tlv: crate::asn1::Tlv<'_>) -> Result<Self, crate::error::InputError> {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        Ok(match tlv.tag {
            0x81 => GeneralName::Rfc822(text(tlv.contents)),
            0x82 => GeneralName::Dns(text(tlv.contents)),
            0x86 => GeneralName::Uri(text(tlv.contents)),
            0x87 => GeneralName::IpAddress(tlv.contents.to_vec()),
            0x88 => GeneralName::RegisteredId(Oid::from_der_contents(tlv.contents)),
            // directoryName is EXPLICIT: [4] { Name }.
            0xA4 => GeneralName::Directory(Name::from_der(tlv.contents)?),
            t => GeneralName::Unsupported {
                tag: u32::from(t & 0x1F),
                contents: tlv.contents.to_vec(),
            },
        })
    }

    /// Decode `GeneralNames ::= SEQUENCE OF GeneralName` inside `seq` (the SEQUENCE, or an
    /// IMPLICIT tag standing for it).
    pub(crate) fn sequence_from_tlv(seq: crate::asn1::Tlv<'_>) -> Result<Vec<Self>, crate::error::InputError> {
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
pub(crate) fn distribution_point_name(
    tlv: crate::asn1::Tlv<'_>,
) -> Result<DistributionPointName, crate::error::InputError> {
    match tlv.tag {
        0xA0 => Ok(DistributionPointName::FullName(GeneralName::sequence_from_tlv(tlv)?)),
        0xA1 => {
            let mut attrs = Vec::new();
            for atv in tlv.children() {
                let atv = atv?;
                let mut k = atv.children();
                let (Some(t), Some(v)) = (k.next().transpose()?, k.next().transpose()?) else {
                    return Err(crate::error::InputError::Malformed {
                        what: "nameRelativeToCRLIssuer attribute",
                        offset: 0,
                    });
                };
                attrs.push(Attribute {
                    oid: Oid::from_der_contents(t.contents),
                    value_tag: v.tag,
                    value: v.contents.to_vec(),
                });
            }
            Ok(DistributionPointName::RelativeToCrlIssuer(attrs))
        }
        _ => Err(crate::error::InputError::Malformed {
            what: "DistributionPointName",
            offset: 0,
        }),
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
fn distribution_points_der(value: &[u8]) -> Result<Vec<DistributionPoint>, crate::error::InputError> {
    use crate::asn1::{self, tag};
    let seq = asn1::read_exact(value)?.expect(tag::SEQUENCE, "CRLDistributionPoints")?;
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
                0xA0 => point.name = Some(distribution_point_name(asn1::read_exact(f.contents)?)?),
                0x81 => point.reasons = Some(crate::revocation::crl::reason_flags(f.contents)),
                0xA2 => point.crl_issuer = Some(GeneralName::sequence_from_tlv(f)?),
                _ => {
                    return Err(crate::error::InputError::Malformed {
                        what: "DistributionPoint field",
                        offset: 0,
                    })
                }
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

fn names(v: &[xp::GeneralName<'_>]) -> Result<Vec<GeneralName>, CertificateError> {
    v.iter().map(GeneralName::from_xp).collect()
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

    /// Decode from x509-parser's view of the certificate.
    pub(crate) fn from_xp(list: &[xp::X509Extension<'_>]) -> Result<Self, CertificateError> {
        let mut out = Extensions::default();
        for e in list {
            let oid_bytes = e.oid.as_bytes();
            let dotted = || oid::dotted(oid_bytes);
            if out.all.iter().any(|x| x.oid == oid_bytes) {
                return Err(CertificateError::DuplicateExtension { oid: dotted() });
            }
            out.all.push(RawExtension {
                oid: Oid::from_der_contents(oid_bytes),
                critical: e.critical,
                value: e.value.to_vec(),
            });
            let bad = |reason: String| CertificateError::BadExtension { oid: dotted(), reason };
            match e.parsed_extension() {
                xp::ParsedExtension::ParseError { error } => {
                    // Fail closed on a malformed extension we would act on; an unknown one is
                    // judged by its criticality alone.
                    if UNDERSTOOD.contains(&oid_bytes) {
                        return Err(bad(error.to_string()));
                    }
                }
                xp::ParsedExtension::BasicConstraints(b) => {
                    out.basic_constraints = Some(BasicConstraints {
                        ca: b.ca,
                        path_len: b.path_len_constraint,
                    })
                }
                xp::ParsedExtension::KeyUsage(k) => out.key_usage = Some(KeyUsage(k.flags)),
                xp::ParsedExtension::ExtendedKeyUsage(_) => {
                    out.extended_key_usage = Some(decode_oid_sequence(e.value).map_err(|_| bad("extKeyUsage".into()))?)
                }
                xp::ParsedExtension::CertificatePolicies(p) => {
                    out.certificate_policies = Some(
                        p.iter()
                            .map(|pi| PolicyInformation {
                                policy: Oid::from_der_contents(pi.policy_id.as_bytes()),
                                qualifiers: pi
                                    .policy_qualifiers
                                    .iter()
                                    .flatten()
                                    .map(|q| {
                                        (
                                            Oid::from_der_contents(q.policy_qualifier_id.as_bytes()),
                                            q.qualifier.to_vec(),
                                        )
                                    })
                                    .collect(),
                            })
                            .collect(),
                    )
                }
                xp::ParsedExtension::PolicyMappings(m) => {
                    out.policy_mappings = Some(
                        m.mappings
                            .iter()
                            .map(|pm| {
                                (
                                    Oid::from_der_contents(pm.issuer_domain_policy.as_bytes()),
                                    Oid::from_der_contents(pm.subject_domain_policy.as_bytes()),
                                )
                            })
                            .collect(),
                    )
                }
                xp::ParsedExtension::PolicyConstraints(c) => {
                    out.policy_constraints = Some(PolicyConstraints {
                        require_explicit_policy: c.require_explicit_policy,
                        inhibit_policy_mapping: c.inhibit_policy_mapping,
                    })
                }
                xp::ParsedExtension::InhibitAnyPolicy(i) => out.inhibit_any_policy = Some(i.skip_certs),
                xp::ParsedExtension::NameConstraints(nc) => {
                    let subtrees = |v: &Option<Vec<xp::GeneralSubtree<'_>>>| -> Result<Option<Vec<GeneralSubtree>>, CertificateError> {
                        v.as_ref()
                            .map(|v| {
                                v.iter()
                                    .map(|s| {
                                        Ok(GeneralSubtree {
                                            base: GeneralName::from_xp(&s.base)?,
                                        })
                                    })
                                    .collect()
                            })
                            .transpose()
                    };
                    out.name_constraints = Some(NameConstraints {
                        permitted: subtrees(&nc.permitted_subtrees)?,
                        excluded: subtrees(&nc.excluded_subtrees)?,
                    })
                }
                // Distribution points are decoded by kyso itself: x509-parser drops
                // nameRelativeToCRLIssuer.
                xp::ParsedExtension::CRLDistributionPoints(_) => {}
                xp::ParsedExtension::AuthorityInfoAccess(a) => {
                    out.authority_info_access = Some(
                        a.accessdescs
                            .iter()
                            .map(|d| {
                                Ok(AccessDescription {
                                    method: Oid::from_der_contents(d.access_method.as_bytes()),
                                    location: GeneralName::from_xp(&d.access_location)?,
                                })
                            })
                            .collect::<Result<_, CertificateError>>()?,
                    )
                }
                xp::ParsedExtension::SubjectAlternativeName(s) => out.subject_alt_name = Some(names(&s.general_names)?),
                xp::ParsedExtension::IssuerAlternativeName(s) => out.issuer_alt_name = Some(names(&s.general_names)?),
                xp::ParsedExtension::SubjectKeyIdentifier(k) => out.subject_key_id = Some(k.0.to_vec()),
                xp::ParsedExtension::AuthorityKeyIdentifier(a) => {
                    out.authority_key_id = Some(AuthorityKeyIdentifier {
                        key_id: a.key_identifier.as_ref().map(|k| k.0.to_vec()),
                        issuer: a.authority_cert_issuer.as_deref().map(names).transpose()?,
                        serial: a.authority_cert_serial.map(<[u8]>::to_vec),
                    })
                }
                _ => {
                    if oid_bytes == oid::OCSP_NOCHECK {
                        out.ocsp_nocheck = true;
                    }
                }
            }
            if oid_bytes == oid::CRL_DISTRIBUTION_POINTS || oid_bytes == oid::FRESHEST_CRL {
                let dps = distribution_points_der(e.value).map_err(|err| bad(err.to_string()))?;
                if oid_bytes == oid::FRESHEST_CRL {
                    out.freshest_crl = Some(dps);
                } else {
                    out.crl_distribution_points = Some(dps);
                }
            }
        }
        Ok(out)
    }
}

/// `SEQUENCE OF OBJECT IDENTIFIER` (extKeyUsage).
fn decode_oid_sequence(der: &[u8]) -> Result<Vec<Oid>, crate::error::InputError> {
    use crate::asn1::{self, tag};
    let seq = asn1::read_exact(der)?.expect(tag::SEQUENCE, "SEQUENCE OF OID")?;
    seq.children()
        .map(|k| {
            let k = k?.expect(tag::OID, "OID")?;
            Ok(Oid::from_der_contents(k.contents))
        })
        .collect()
}
