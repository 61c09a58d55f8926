//! The Vietnam profile: identities in certificate subjects, the embedded trust bundle of both
//! hierarchies, and the real-world quirks of Vietnamese certificates (VIETNAM-PKI.md).
//!
//! # The embedded bundle
//! [`crate::trust::TrustStore::vietnam`] holds every root of both hierarchies as anchors (VGCA
//! G1 and G2; NEAC's MIC root, Vietnam National Root CA, G3, the 2025 USBTOKEN / RS /
//! MOBILEPKI / TSA roots and EMA) and the licensed sub-CAs and legacy intermediates as known
//! intermediates. Every certificate is pinned by its SHA-256 in `bundle.rs`; one whose bytes do
//! not match its pin is left out. [`BUNDLE_DATE`] says when the bundle was last compared with its
//! sources; `kyso trust list` prints each fingerprint so users can compare them with the ones
//! published at rootca.gov.vn and ca.gov.vn, and `scripts/update-vn-bundle.py` regenerates it.

mod bundle;
pub mod identity;

use std::sync::OnceLock;

pub use bundle::BUNDLE_DATE;
pub use identity::{IdKind, IdValue, Identity};

use crate::cert::Certificate;
use crate::crypto::HashAlgorithm;
use crate::ext::{GeneralName, KeyUsage};
use crate::oid;
use crate::trust::{Hierarchy, TrustStore};

/// One embedded certificate.
pub(crate) struct BundleEntry {
    name: &'static str,
    hierarchy: Hierarchy,
    anchor: bool,
    sha256: &'static str,
    der: &'static [u8],
}

/// An embedded certificate as loaded: the file it came from and its role.
#[derive(Debug, Clone)]
pub struct BundleCertificate {
    /// The source file's name (folder and stem).
    pub name: &'static str,
    /// The hierarchy it belongs to.
    pub hierarchy: Hierarchy,
    /// Whether it is a root (trust anchor) rather than an intermediate.
    pub anchor: bool,
    /// The certificate.
    pub certificate: Certificate,
}

struct Loaded {
    certs: Vec<BundleCertificate>,
    rejected: Vec<&'static str>,
}

fn loaded() -> &'static Loaded {
    static BUNDLE: OnceLock<Loaded> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let provider = crate::crypto::default_provider();
        let mut certs = Vec::new();
        let mut rejected = Vec::new();
        for e in bundle::ENTRIES {
            let pinned = hex::encode_upper(provider.digest(HashAlgorithm::Sha256, e.der)) == e.sha256;
            match Certificate::from_der(e.der) {
                Ok(c) if pinned => certs.push(BundleCertificate {
                    name: e.name,
                    hierarchy: e.hierarchy.clone(),
                    anchor: e.anchor,
                    certificate: c,
                }),
                _ => rejected.push(e.name),
            }
        }
        Loaded { certs, rejected }
    })
}

/// Every certificate of the embedded bundle, in bundle order.
pub fn bundle() -> &'static [BundleCertificate] {
    &loaded().certs
}

/// Names of embedded certificates left out because they did not parse or did not match their
/// pinned SHA-256 (empty in a sound build; a test asserts it).
pub fn bundle_rejected() -> &'static [&'static str] {
    &loaded().rejected
}

impl TrustStore {
    /// Both Vietnamese hierarchies: the roots as anchors, the licensed sub-CAs and legacy
    /// intermediates as known intermediates (see the [`crate::vn`] module).
    pub fn vietnam() -> TrustStore {
        let mut store = TrustStore::new();
        for b in bundle() {
            if b.anchor {
                store.add_anchor(b.certificate.clone(), b.hierarchy.clone());
            } else {
                store.add_intermediate(b.certificate.clone(), b.hierarchy.clone());
            }
        }
        store.set_bundle_date(BUNDLE_DATE);
        store
    }
}

/// A known deviation of real Vietnamese certificates (numbered as in VIETNAM-PKI.md).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "quirk", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Quirk {
    /// Quirk 2: certificatePolicies (anyPolicy) marked critical — allowed by RFC 5280, but
    /// refused by toolkits without policy processing. kyso processes it.
    CriticalCertificatePolicies,
    /// Quirk 2: cRLDistributionPoints marked critical (RFC 5280 §4.2.1.13: SHOULD be
    /// non-critical). kyso understands it, so it is accepted.
    CriticalCrlDistributionPoints,
    /// Quirk 3: a cRLIssuer spelled with an en dash where the real issuer has a hyphen:
    /// strictly an indirect CRL from a CA that does not exist.
    EnDashCrlIssuer {
        /// The cRLIssuer as written.
        crl_issuer: String,
    },
    /// Quirk 4: authorityInfoAccess marked critical (RFC 5280 §4.2.2.1: MUST be non-critical).
    CriticalAuthorityInfoAccess,
    /// Quirk 5: keyCertSign asserted on a certificate that is not a CA (TSA certificates
    /// issued straight by a root).
    KeyCertSignWithoutCa,
    /// Quirk 6: signed with SHA-1 (G1 and MIC era).
    Sha1Signature,
    /// A tax code in UID without the `MST:` prefix (CA certificates of 2026).
    BareTaxCodeUid,
}

impl Quirk {
    /// The quirk's number in VIETNAM-PKI.md (0 for profile notes).
    pub fn number(&self) -> u8 {
        match self {
            Quirk::CriticalCertificatePolicies | Quirk::CriticalCrlDistributionPoints => 2,
            Quirk::EnDashCrlIssuer { .. } => 3,
            Quirk::CriticalAuthorityInfoAccess => 4,
            Quirk::KeyCertSignWithoutCa => 5,
            Quirk::Sha1Signature => 6,
            Quirk::BareTaxCodeUid => 0,
        }
    }

    /// One line in English.
    pub fn describe_en(&self) -> String {
        match self {
            Quirk::CriticalCertificatePolicies => "certificatePolicies is critical (processed)".into(),
            Quirk::CriticalCrlDistributionPoints => "cRLDistributionPoints is critical (understood)".into(),
            Quirk::EnDashCrlIssuer { crl_issuer } => {
                format!("cRLIssuer \"{crl_issuer}\" has an en dash where the issuer has a hyphen")
            }
            Quirk::CriticalAuthorityInfoAccess => "authorityInfoAccess is critical (RFC 5280: must not be)".into(),
            Quirk::KeyCertSignWithoutCa => "keyCertSign set on a certificate that is not a CA".into(),
            Quirk::Sha1Signature => "signed with SHA-1 (legacy)".into(),
            Quirk::BareTaxCodeUid => "tax code in UID without the MST: prefix".into(),
        }
    }

    /// One line in Vietnamese.
    pub fn describe_vi(&self) -> String {
        match self {
            Quirk::CriticalCertificatePolicies => "trường certificatePolicies được đánh dấu critical (đã xử lý)".into(),
            Quirk::CriticalCrlDistributionPoints => {
                "trường cRLDistributionPoints được đánh dấu critical (đã hiểu)".into()
            }
            Quirk::EnDashCrlIssuer { crl_issuer } => {
                format!("cRLIssuer \"{crl_issuer}\" dùng dấu gạch ngang dài (–) thay cho dấu gạch nối (-) của bên cấp")
            }
            Quirk::CriticalAuthorityInfoAccess => {
                "trường authorityInfoAccess được đánh dấu critical (RFC 5280 không cho phép)".into()
            }
            Quirk::KeyCertSignWithoutCa => "có keyCertSign nhưng không phải chứng thư CA".into(),
            Quirk::Sha1Signature => "ký bằng SHA-1 (thuật toán cũ)".into(),
            Quirk::BareTaxCodeUid => "mã số thuế trong UID không có tiền tố MST:".into(),
        }
    }
}

/// The quirks a certificate shows.
pub fn quirks(cert: &Certificate) -> Vec<Quirk> {
    let mut q = Vec::new();
    let ext = cert.extensions();
    if ext.is_critical(oid::CERTIFICATE_POLICIES) {
        q.push(Quirk::CriticalCertificatePolicies);
    }
    if ext.is_critical(oid::CRL_DISTRIBUTION_POINTS) {
        q.push(Quirk::CriticalCrlDistributionPoints);
    }
    for dp in ext.crl_distribution_points.iter().flatten() {
        for g in dp.crl_issuer.iter().flatten() {
            if let GeneralName::Directory(n) = g {
                let written = n.display();
                if !n.matches(cert.issuer()) && written.contains('\u{2013}') && en_dash_matches(n, cert.issuer()) {
                    q.push(Quirk::EnDashCrlIssuer { crl_issuer: written });
                }
            }
        }
    }
    if ext.is_critical(oid::AUTHORITY_INFO_ACCESS) {
        q.push(Quirk::CriticalAuthorityInfoAccess);
    }
    if cert.key_usage().is_some_and(|k| k.has(KeyUsage::KEY_CERT_SIGN)) && !cert.is_ca() {
        q.push(Quirk::KeyCertSignWithoutCa);
    }
    if cert
        .signature_algorithm()
        .is_ok_and(|a| a.hash() == HashAlgorithm::Sha1)
    {
        q.push(Quirk::Sha1Signature);
    }
    if Identity::from_name(cert.subject())
        .ids
        .iter()
        .any(|v| v.kind == IdKind::BareTaxCode)
    {
        q.push(Quirk::BareTaxCodeUid);
    }
    q
}

/// Whether a cRLIssuer name equals `issuer` once its en dashes become hyphens (quirk 3).
pub(crate) fn en_dash_matches(crl_issuer: &crate::name::Name, issuer: &crate::name::Name) -> bool {
    let fix = |s: String| s.replace('\u{2013}', "-");
    let ours: Vec<(Vec<u8>, String)> = crl_issuer
        .attributes()
        .map(|a| (a.oid.as_bytes().to_vec(), fix(a.text().unwrap_or_default())))
        .collect();
    let theirs: Vec<(Vec<u8>, String)> = issuer
        .attributes()
        .map(|a| (a.oid.as_bytes().to_vec(), a.text().unwrap_or_default()))
        .collect();
    ours.len() == theirs.len()
        && ours.iter().zip(&theirs).all(|(a, b)| {
            a.0 == b.0
                && a.1
                    .to_lowercase()
                    .split_whitespace()
                    .eq(b.1.to_lowercase().split_whitespace())
        })
}
