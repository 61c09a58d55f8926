//! What kyso tells a user, as serialisable data. The JSON field names here are a stable
//! interface (documented in the README): fields may be added, none renamed or removed within
//! a schema version.

use serde::Serialize;

mod text;
mod validation;

pub use text::{render, Lang};
pub use validation::{
    judge_pdf_changes, AttachmentReport, CheckName, CheckResult, DocumentInfo, EvidenceItem, EvidenceKind, Indication,
    Message, Outcome, Party, PathCertificate, PdfDocumentInfo, PdfSignatureInfo, Period, PolicyInfo, ReferenceReport,
    ReportCheck, ReportKind, ReportWarning, Role, SignatureReport, SubIndication, TimeSource, TimestampInfo,
    Unreadable, ValidationReport, REPORT_SCHEMA,
};

use crate::cert::Certificate;
use crate::crypto;
use crate::ext::GeneralName;
use crate::oid::{self, Oid};
use crate::trust::TrustStore;
use crate::vn::{self, Identity, Quirk};

/// Version of the JSON schema of [`CertificateSummary`].
pub const CERTIFICATE_SCHEMA: &str = "kyso.certificate/1";

/// One extension, as listed in a summary.
#[derive(Debug, Clone, Serialize)]
pub struct ExtensionSummary {
    /// Dotted OID.
    pub oid: String,
    /// Short name when kyso knows it.
    pub name: Option<&'static str>,
    /// Whether marked critical.
    pub critical: bool,
}

/// A quirk, with its number and wording in both languages.
#[derive(Debug, Clone, Serialize)]
pub struct QuirkSummary {
    /// The quirk.
    #[serde(flatten)]
    pub quirk: Quirk,
    /// Number in VIETNAM-PKI.md (0: profile note).
    pub number: u8,
    /// English.
    pub en: String,
    /// Vietnamese.
    pub vi: String,
}

/// Where a certificate sits: the hierarchy reached through verified issuer signatures.
#[derive(Debug, Clone, Serialize)]
pub struct Placement {
    /// `government`, `public` or `custom:<name>`.
    pub hierarchy: String,
    /// The anchor's subject.
    pub anchor: String,
    /// Subjects from the certificate to the anchor.
    pub chain: Vec<String>,
}

/// Everything `kyso cert show` prints about one certificate.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateSummary {
    /// [`CERTIFICATE_SCHEMA`].
    pub schema: &'static str,
    /// Subject, RDNs in encoded order.
    pub subject: String,
    /// Issuer.
    pub issuer: String,
    /// Serial number, upper-case hex as encoded.
    pub serial: String,
    /// X.509 version.
    pub version: u32,
    /// notBefore (RFC 3339).
    pub not_before: String,
    /// notAfter (RFC 3339).
    pub not_after: String,
    /// `RSA-2048`, `EC P-256`, or the reason the key is unusable.
    pub public_key: String,
    /// The issuer's signature algorithm, or why it is unsupported.
    pub signature_algorithm: String,
    /// SHA-256 of the DER, upper-case hex.
    pub sha256: String,
    /// SHA-1 of the DER, upper-case hex.
    pub sha1: String,
    /// subjectKeyIdentifier, hex.
    pub subject_key_id: Option<String>,
    /// authorityKeyIdentifier keyIdentifier, hex.
    pub authority_key_id: Option<String>,
    /// Whether basicConstraints says CA.
    pub is_ca: bool,
    /// pathLenConstraint.
    pub path_len: Option<u32>,
    /// keyUsage bit names.
    pub key_usage: Option<Vec<&'static str>>,
    /// extKeyUsage, names where known else dotted.
    pub extended_key_usage: Option<Vec<String>>,
    /// certificatePolicies OIDs, dotted.
    pub certificate_policies: Option<Vec<String>>,
    /// CRL distribution point URIs.
    pub crl_distribution_points: Vec<String>,
    /// OCSP responder URIs.
    pub ocsp: Vec<String>,
    /// caIssuers URIs.
    pub ca_issuers: Vec<String>,
    /// subjectAltName entries (`email:…`, `DNS:…`).
    pub subject_alt_name: Vec<String>,
    /// Every extension.
    pub extensions: Vec<ExtensionSummary>,
    /// Critical extensions kyso does not process (a validator must reject the certificate).
    pub unknown_critical_extensions: Vec<String>,
    /// The Vietnamese identity in the subject.
    pub identity: Identity,
    /// The hierarchy, when the certificate is, or chains by verified signatures to, an anchor.
    pub placement: Option<Placement>,
    /// Known quirks of Vietnamese certificates that this one shows.
    pub quirks: Vec<QuirkSummary>,
}

fn oid_label(o: &Oid) -> String {
    o.name().map(str::to_string).unwrap_or_else(|| o.dotted())
}

impl CertificateSummary {
    /// Summarise `cert`, placing it in a hierarchy of `store` when it chains there.
    pub fn new(cert: &Certificate, store: &TrustStore) -> CertificateSummary {
        let ext = cert.extensions();
        let placement = store.identify(cert, crypto::default_provider()).map(|id| Placement {
            hierarchy: id.hierarchy.id(),
            anchor: id.anchor.subject().display(),
            chain: id.chain.iter().map(|c| c.subject().display()).collect(),
        });
        CertificateSummary {
            schema: CERTIFICATE_SCHEMA,
            subject: cert.subject().display(),
            issuer: cert.issuer().display(),
            serial: cert.serial_hex(),
            version: cert.version(),
            not_before: cert.not_before().rfc3339(),
            not_after: cert.not_after().rfc3339(),
            public_key: match cert.public_key() {
                Ok(k) => k.describe(),
                Err(e) => format!("unusable: {e}"),
            },
            signature_algorithm: match cert.signature_algorithm() {
                Ok(a) => a.name(),
                Err(e) => format!("unsupported: {e}"),
            },
            sha256: cert.sha256_hex(),
            sha1: hex::encode_upper(cert.sha1()),
            subject_key_id: cert.subject_key_id().map(hex::encode_upper),
            authority_key_id: cert.authority_key_id().map(hex::encode_upper),
            is_ca: cert.is_ca(),
            path_len: cert.basic_constraints().and_then(|b| b.path_len),
            key_usage: cert.key_usage().map(|k| k.names()),
            extended_key_usage: ext
                .extended_key_usage
                .as_ref()
                .map(|v| v.iter().map(oid_label).collect()),
            certificate_policies: ext
                .certificate_policies
                .as_ref()
                .map(|v| v.iter().map(|p| p.policy.dotted()).collect()),
            crl_distribution_points: ext
                .crl_distribution_points
                .iter()
                .flatten()
                .flat_map(|d| d.uris())
                .map(str::to_string)
                .collect(),
            ocsp: ext.ocsp_uris().into_iter().map(str::to_string).collect(),
            ca_issuers: ext.ca_issuers_uris().into_iter().map(str::to_string).collect(),
            subject_alt_name: ext
                .subject_alt_name
                .iter()
                .flatten()
                .map(GeneralName::display)
                .collect(),
            extensions: ext
                .all
                .iter()
                .map(|e| ExtensionSummary {
                    oid: e.oid.dotted(),
                    name: oid::name(e.oid.as_bytes()),
                    critical: e.critical,
                })
                .collect(),
            unknown_critical_extensions: ext.unknown_critical().iter().map(Oid::dotted).collect(),
            identity: Identity::of(cert),
            placement,
            quirks: vn::quirks(cert).into_iter().map(quirk_summary).collect(),
        }
    }
}

fn quirk_summary(q: Quirk) -> QuirkSummary {
    QuirkSummary {
        number: q.number(),
        en: q.describe_en(),
        vi: q.describe_vi(),
        quirk: q,
    }
}

/// Version of the JSON schema of [`CrlSummary`].
pub const CRL_SCHEMA: &str = "kyso.crl/1";

/// What `kyso crl show` prints about a CRL.
#[derive(Debug, Clone, Serialize)]
pub struct CrlSummary {
    /// [`CRL_SCHEMA`].
    pub schema: &'static str,
    /// The issuer.
    pub issuer: String,
    /// thisUpdate.
    pub this_update: String,
    /// nextUpdate.
    pub next_update: Option<String>,
    /// cRLNumber, hex.
    pub crl_number: Option<String>,
    /// For a delta CRL, the base CRL number, hex.
    pub delta_base: Option<String>,
    /// Number of revoked certificates listed.
    pub entries: usize,
    /// The signature algorithm, or why it is unsupported.
    pub signature_algorithm: String,
    /// authorityKeyIdentifier, hex.
    pub authority_key_id: Option<String>,
    /// issuingDistributionPoint flags, when present.
    pub issuing_distribution_point: Option<IdpSummary>,
    /// Critical extensions kyso does not process (the CRL cannot be used).
    pub unknown_critical_extensions: Vec<String>,
    /// SHA-256 of the DER, hex.
    pub sha256: String,
}

/// issuingDistributionPoint as shown.
#[derive(Debug, Clone, Serialize)]
pub struct IdpSummary {
    /// Names of the distribution point.
    pub names: Vec<String>,
    /// onlyContainsUserCerts.
    pub only_user: bool,
    /// onlyContainsCACerts.
    pub only_ca: bool,
    /// indirectCRL.
    pub indirect: bool,
    /// onlySomeReasons bits.
    pub only_some_reasons: Option<u16>,
}

impl CrlSummary {
    /// Summarise a CRL.
    pub fn new(crl: &crate::revocation::Crl) -> CrlSummary {
        use crate::ext::DistributionPointName;
        CrlSummary {
            schema: CRL_SCHEMA,
            issuer: crl.issuer().display(),
            this_update: crl.this_update().rfc3339(),
            next_update: crl.next_update().map(|t| t.rfc3339()),
            crl_number: crl.crl_number().map(hex::encode_upper),
            delta_base: crl.delta_base().map(hex::encode_upper),
            entries: crl.len(),
            signature_algorithm: match crl.signature_algorithm() {
                Ok(a) => a.name(),
                Err(e) => format!("unsupported: {e}"),
            },
            authority_key_id: crl.authority_key_id().map(hex::encode_upper),
            issuing_distribution_point: crl.issuing_distribution_point().map(|i| IdpSummary {
                names: match &i.name {
                    Some(DistributionPointName::FullName(v)) => v.iter().map(GeneralName::display).collect(),
                    Some(DistributionPointName::RelativeToCrlIssuer(a)) => {
                        vec![format!(
                            "relative: {}",
                            a.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(" + ")
                        )]
                    }
                    None => Vec::new(),
                },
                only_user: i.only_user,
                only_ca: i.only_ca,
                indirect: i.indirect,
                only_some_reasons: i.only_some_reasons,
            }),
            unknown_critical_extensions: crl.unknown_critical().iter().map(Oid::dotted).collect(),
            sha256: hex::encode_upper(
                crate::crypto::default_provider().digest(crate::crypto::HashAlgorithm::Sha256, crl.der()),
            ),
        }
    }
}
