//! What kyso tells a user, as serialisable data. The JSON field names here are a stable
//! interface (documented in the README): fields may be added, none renamed or removed within
//! a schema version.

use serde::Serialize;

pub mod text;
mod validation;

pub use text::{render, Lang};
pub use validation::{
    CheckName, CheckResult, DocumentInfo, EvidenceItem, EvidenceKind, Indication, Message, Outcome, Party,
    PathCertificate, Period, PolicyInfo, ReportCheck, ReportKind, ReportWarning, SignatureReport, SubIndication,
    TimeSource, TimestampInfo, Unreadable, ValidationReport, REPORT_SCHEMA,
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

/// Version of the JSON schema of [`ChainReport`].
pub const CHAIN_SCHEMA: &str = "kyso.chain/1";

/// One certificate of a reported path.
#[derive(Debug, Clone, Serialize)]
pub struct PathEntry {
    /// 0 = leaf.
    pub index: usize,
    /// Subject.
    pub subject: String,
    /// Issuer.
    pub issuer: String,
    /// Serial, hex.
    pub serial: String,
    /// SHA-256, hex.
    pub sha256: String,
    /// notBefore.
    pub not_before: String,
    /// notAfter.
    pub not_after: String,
}

/// A tolerated deviation in a path.
#[derive(Debug, Clone, Serialize)]
pub struct ToleratedQuirk {
    /// Certificate index.
    pub index: usize,
    /// The quirk and its wording.
    #[serde(flatten)]
    pub quirk: QuirkSummary,
}

/// The revocation status of one certificate of a path.
#[derive(Debug, Clone, Serialize)]
pub struct RevocationEntry {
    /// Certificate index (0 = leaf).
    pub index: usize,
    /// The status and the evidence that decided it.
    #[serde(flatten)]
    pub status: crate::revocation::CertStatus,
}

/// What `kyso chain verify` reports (and what the C API's chain report will carry).
#[derive(Debug, Clone, Serialize)]
pub struct ChainReport {
    /// [`CHAIN_SCHEMA`].
    pub schema: &'static str,
    /// `valid`, `invalid` or `indeterminate`.
    pub verdict: crate::path::Verdict,
    /// The most specific reason when not valid, in English.
    pub reason: Option<String>,
    /// The same reason as data.
    pub error: Option<crate::path::PathError>,
    /// The validation time (RFC 3339).
    pub validation_time: String,
    /// `shell` or `chain`.
    pub model: crate::path::TimeModel,
    /// The hierarchy of the anchor reached (`government`, `public`, `custom:…`).
    pub hierarchy: Option<String>,
    /// The path, leaf first, anchor last.
    pub path: Vec<PathEntry>,
    /// Every check, in order.
    pub checks: Vec<crate::path::Check>,
    /// Deviations accepted by a named tolerance.
    pub tolerated: Vec<ToleratedQuirk>,
    /// Legacy algorithms relied on (`sha1`, `short_rsa_key`).
    pub legacy: Vec<crate::error::LegacyReason>,
    /// The user-constrained policy set, dotted.
    pub policies: Vec<String>,
    /// Revocation status of each certificate but the anchor, leaf first: `{index, status,
    /// …}` with `status` one of `good`, `revoked`, `unknown`, `not_checked`.
    pub revocation: Vec<RevocationEntry>,
    /// The leaf's identity.
    pub signer: Identity,
}

fn quirk_summary(q: Quirk) -> QuirkSummary {
    QuirkSummary {
        number: q.number(),
        en: q.describe_en(),
        vi: q.describe_vi(),
        quirk: q,
    }
}

impl ChainReport {
    /// Report on a path validation of `leaf`.
    pub fn new(leaf: &Certificate, r: &crate::path::ChainResult, options: &crate::path::PathOptions) -> ChainReport {
        ChainReport {
            schema: CHAIN_SCHEMA,
            verdict: r.verdict,
            reason: r.error.as_ref().map(crate::path::PathError::describe),
            error: r.error.clone(),
            validation_time: options.time.rfc3339(),
            model: options.model,
            hierarchy: r.hierarchy.as_ref().map(crate::trust::Hierarchy::id),
            path: r
                .path
                .iter()
                .enumerate()
                .map(|(index, c)| PathEntry {
                    index,
                    subject: c.subject().display(),
                    issuer: c.issuer().display(),
                    serial: c.serial_hex(),
                    sha256: c.sha256_hex(),
                    not_before: c.not_before().rfc3339(),
                    not_after: c.not_after().rfc3339(),
                })
                .collect(),
            checks: r.checks.clone(),
            tolerated: r
                .tolerated
                .iter()
                .map(|(index, q)| ToleratedQuirk {
                    index: *index,
                    quirk: quirk_summary(q.clone()),
                })
                .collect(),
            legacy: r.legacy.clone(),
            policies: r.policies.iter().map(Oid::dotted).collect(),
            revocation: r
                .revocation
                .iter()
                .enumerate()
                .map(|(index, status)| RevocationEntry {
                    index,
                    status: status.clone(),
                })
                .collect(),
            signer: Identity::of(leaf),
        }
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

/// Version of the JSON schema of [`CmsReport`].
pub const CMS_SCHEMA: &str = "kyso.cms/1";

/// One signer in a [`CmsReport`].
#[derive(Debug, Clone, Serialize)]
pub struct SignerReport {
    /// Index of the SignerInfo.
    pub index: usize,
    /// `valid`, `invalid` or `indeterminate`.
    pub verdict: crate::path::Verdict,
    /// Why not valid, as data.
    pub error: Option<crate::cms::SignerError>,
    /// The signer's subject.
    pub signer: Option<String>,
    /// The signer's identity (MST, CCCD…).
    pub identity: Option<Identity>,
    /// The hierarchy the signer's chain reached.
    pub hierarchy: Option<String>,
    /// signingTime as written.
    pub signing_time: Option<String>,
    /// The time the chain was judged at.
    pub judged_at: String,
    /// Legacy algorithms of the signature itself.
    pub legacy: Vec<crate::error::LegacyReason>,
    /// Whether signingCertificate(V2) bound the certificate.
    pub signing_certificate_bound: bool,
    /// Warnings (the +7 h drift…).
    pub warnings: Vec<String>,
    /// The CAdES level found (`B-B`, `B-T`).
    pub level: crate::cms::Level,
    /// The signature time-stamp: `{gen_time, tsa, hierarchy}`, or `{error}`.
    pub timestamp: Option<serde_json::Value>,
    /// The chain report of the signer's certificate.
    pub chain: Option<ChainReport>,
    /// Countersignatures over this signature, each reported the same way.
    pub countersignatures: Vec<SignerReport>,
}

/// What `kyso verify` reports.
#[derive(Debug, Clone, Serialize)]
pub struct CmsReport {
    /// [`CMS_SCHEMA`].
    pub schema: &'static str,
    /// Valid when every signer is (and there is one).
    pub verdict: crate::path::Verdict,
    /// eContentType, dotted.
    pub content_type: String,
    /// Each signer.
    pub signers: Vec<SignerReport>,
}

impl CmsReport {
    /// Report on a CMS verification made with `options`.
    pub fn new(r: &crate::cms::CmsResult, options: &crate::cms::VerifyOptions) -> CmsReport {
        CmsReport {
            schema: CMS_SCHEMA,
            verdict: r.verdict,
            content_type: r.content_type.dotted(),
            signers: r.signers.iter().map(|s| signer_report(s, options)).collect(),
        }
    }
}

fn signer_report(s: &crate::cms::SignerResult, options: &crate::cms::VerifyOptions) -> SignerReport {
    let mut po = options.path.clone();
    po.time = s.judged_at;
    SignerReport {
        index: s.index,
        verdict: s.verdict,
        error: s.error.clone(),
        signer: s.certificate.as_ref().map(|c| c.subject().display()),
        identity: s.certificate.as_ref().map(Identity::of),
        hierarchy: s
            .chain
            .as_ref()
            .and_then(|c| c.hierarchy.as_ref())
            .map(crate::trust::Hierarchy::id),
        signing_time: s.signing_time.map(|t| t.rfc3339()),
        judged_at: s.judged_at.rfc3339(),
        legacy: s.signature.as_ref().map(|v| v.legacy.clone()).unwrap_or_default(),
        signing_certificate_bound: s.signing_certificate_bound,
        warnings: s.warnings.iter().map(ToString::to_string).collect(),
        level: s.level,
        timestamp: s.timestamp.as_ref().map(|t| match t {
            Ok(ts) => serde_json::json!({
                "gen_time": ts.info.gen_time.rfc3339(),
                "tsa": ts.tsa.subject().display(),
                "hierarchy": ts.hierarchy.as_ref().map(crate::trust::Hierarchy::id),
            }),
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        }),
        chain: match (&s.chain, &s.certificate) {
            (Some(ch), Some(cert)) => Some(ChainReport::new(cert, ch, &po)),
            _ => None,
        },
        countersignatures: s.countersignatures.iter().map(|c| signer_report(c, options)).collect(),
    }
}
