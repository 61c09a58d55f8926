//! Revocation: OCSP responses (RFC 6960) and CRLs (RFC 5280 §5, §6.3), judged as evidence
//! given by the caller.
//!
//! The core stays I/O-free: responses and CRLs are inputs ([`RevocationEvidence`]), and the
//! result says which piece of evidence decided each certificate, so callers can keep it. A
//! usable OCSP response for a certificate decides it; otherwise its CRLs do. Fetching over
//! HTTP is not implemented yet.

pub(crate) mod crl;
pub(crate) mod ocsp;

use std::sync::Arc;

use serde::Serialize;

pub use crl::{Crl, IssuingDistributionPoint, RevocationReason, RevokedEntry, ALL_REASONS, MAX_CRL_SIZE};
pub use ocsp::{
    request_der as ocsp_request_der, CertId, OcspCertStatus, OcspError, OcspResponse, ResponderId, SingleResponse,
    MAX_OCSP_SIZE,
};

use crate::cert::Certificate;
use crate::crypto::{AlgorithmPolicy, CryptoProvider};
use crate::ext::{DistributionPoint, DistributionPointName, GeneralName};
use crate::name::{Attribute, Name};
use crate::time::Time;

/// What to do when no evidence decides a certificate's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationMode {
    /// Do not check revocation (the report says so).
    Off,
    /// Check the evidence given; a certificate without usable evidence is valid with a warning
    /// (what Circular 15/2025 describes). The default.
    Soft,
    /// Check the evidence given; a certificate without usable evidence makes the path
    /// indeterminate.
    Hard,
}

/// OCSP responses and CRLs a validation may rely on.
#[derive(Debug, Clone, Default)]
pub struct RevocationEvidence {
    /// CRLs, complete and delta, in any order.
    pub crls: Vec<Arc<Crl>>,
    /// OCSP responses, in any order.
    pub ocsp: Vec<Arc<OcspResponse>>,
    /// Delegated OCSP responder certificates supplied apart from the responses.
    pub responder_certs: Vec<Certificate>,
}

impl RevocationEvidence {
    /// Evidence made of these CRLs.
    pub fn from_crls(crls: Vec<Crl>) -> Self {
        RevocationEvidence {
            crls: crls.into_iter().map(Arc::new).collect(),
            ..RevocationEvidence::default()
        }
    }

    /// Add OCSP responses.
    pub fn with_ocsp(mut self, responses: Vec<OcspResponse>) -> Self {
        self.ocsp.extend(responses.into_iter().map(Arc::new));
        self
    }
}

/// What an [`EvidenceSource`](crate::verifier::EvidenceSource) tried and how it went, per URL (or per file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceNote {
    /// The URL.
    pub url: String,
    /// `ocsp`, `crl` or `ca_issuers`.
    pub kind: &'static str,
    /// `None` on success, else why it failed.
    pub error: Option<String>,
}

impl RevocationEvidence {
    /// Add every item of `other` not already here.
    pub fn merge(&mut self, other: &RevocationEvidence) {
        for c in &other.crls {
            if !self.crls.iter().any(|x| Arc::ptr_eq(x, c)) {
                self.crls.push(c.clone());
            }
        }
        for o in &other.ocsp {
            if !self.ocsp.iter().any(|x| Arc::ptr_eq(x, o)) {
                self.ocsp.push(o.clone());
            }
        }
        for r in &other.responder_certs {
            if !self.responder_certs.contains(r) {
                self.responder_certs.push(r.clone());
            }
        }
    }
}

/// Revocation settings of a path validation.
#[derive(Debug, Clone)]
pub struct RevocationOptions {
    /// Off, soft-fail or hard-fail.
    pub mode: RevocationMode,
    /// The evidence.
    pub evidence: Arc<RevocationEvidence>,
}

impl Default for RevocationOptions {
    fn default() -> Self {
        RevocationOptions {
            mode: RevocationMode::Soft,
            evidence: Arc::new(RevocationEvidence::default()),
        }
    }
}

/// The status of one certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CertStatus {
    /// Not revoked at the validation time, according to `source`.
    Good {
        /// The evidence that decided it.
        source: StatusSource,
    },
    /// Revoked (or on hold) at the validation time.
    Revoked {
        /// revocationDate.
        time: Time,
        /// The reason.
        reason: RevocationReason,
        /// The evidence.
        source: StatusSource,
    },
    /// No usable evidence covers the certificate (for every reason).
    Unknown {
        /// Why (a sentence in English in the JSON).
        why: UnknownReason,
    },
    /// Revocation checking is off.
    NotChecked,
}

/// Why no evidence decides a certificate's status: the last candidate refused, or none.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownReason {
    /// No CRL or OCSP response given covers the certificate.
    NoEvidence,
    /// The CRLs given do not cover every revocation reason.
    ReasonsNotCovered,
    /// A CRL has a critical extension kyso does not process.
    CrlUnknownCritical {
        /// The CRL's issuer.
        issuer: String,
    },
    /// No certificate valid to the same anchor signed the CRL.
    CrlNoValidSigner {
        /// The CRL's issuer.
        issuer: String,
    },
    /// The CRL's nextUpdate has passed and no fresh delta CRL makes up for it.
    CrlExpired {
        /// The CRL's issuer.
        issuer: String,
        /// nextUpdate.
        next_update: Option<Time>,
    },
    /// The OCSP response is too old for the time judged.
    OcspStale {
        /// Its thisUpdate.
        this_update: Time,
    },
    /// The OCSP response is signed by neither the issuer nor its delegated responder.
    OcspBadResponder {
        /// Why the signer was refused.
        error: String,
    },
    /// The OCSP responder answered "unknown".
    OcspUnknown {
        /// The responder.
        responder: String,
    },
}

impl UnknownReason {
    /// One sentence in English.
    pub fn describe_en(&self) -> String {
        match self {
            UnknownReason::NoEvidence => "no CRL or OCSP response given covers it".into(),
            UnknownReason::ReasonsNotCovered => "the CRLs given do not cover every revocation reason".into(),
            UnknownReason::CrlUnknownCritical { issuer } => {
                format!("CRL of {issuer} has an unknown critical extension")
            }
            UnknownReason::CrlNoValidSigner { issuer } => format!("no valid signer for the CRL of {issuer}"),
            UnknownReason::CrlExpired { issuer, next_update } => format!(
                "the CRL of {issuer} expired on {}",
                next_update.map(Time::rfc3339).unwrap_or_default()
            ),
            UnknownReason::OcspStale { this_update } => format!("the OCSP response of {this_update} is stale"),
            UnknownReason::OcspBadResponder { error } => {
                format!("OCSP response not signed by the issuer or its delegated responder: {error}")
            }
            UnknownReason::OcspUnknown { responder } => {
                format!("the OCSP responder {responder} does not know the certificate")
            }
        }
    }

    /// One sentence in Vietnamese.
    pub fn describe_vi(&self) -> String {
        match self {
            UnknownReason::NoEvidence => "không có CRL hay phản hồi OCSP nào cho chứng thư này".into(),
            UnknownReason::ReasonsNotCovered => "các CRL được cung cấp không bao quát mọi lý do thu hồi".into(),
            UnknownReason::CrlUnknownCritical { issuer } => {
                format!("CRL của {issuer} có trường mở rộng critical không xử lý được")
            }
            UnknownReason::CrlNoValidSigner { issuer } => format!("CRL của {issuer} không có chữ ký hợp lệ"),
            UnknownReason::CrlExpired { issuer, next_update } => format!(
                "CRL của {issuer} đã hết hạn từ {}",
                next_update.map(Time::format_vi).unwrap_or_default()
            ),
            UnknownReason::OcspStale { this_update } => {
                format!("phản hồi OCSP lúc {} đã quá cũ", this_update.format_vi())
            }
            UnknownReason::OcspBadResponder { error } => {
                format!("phản hồi OCSP không do bên cấp hoặc máy chủ OCSP được ủy quyền ký: {error}")
            }
            UnknownReason::OcspUnknown { responder } => {
                format!("máy chủ OCSP {responder} không biết chứng thư này")
            }
        }
    }
}

impl std::fmt::Display for UnknownReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe_en())
    }
}

/// In the JSON, the English sentence (as before the reason had a type).
impl Serialize for UnknownReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.describe_en())
    }
}

/// Which evidence decided a status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusSource {
    /// `ocsp` or `crl`.
    pub kind: &'static str,
    /// The CRL issuer, or the OCSP responder.
    pub issuer: String,
    /// thisUpdate of the complete CRL or of the single OCSP response.
    pub this_update: Time,
    /// nextUpdate.
    pub next_update: Option<Time>,
    /// Whether a delta CRL was combined with it.
    pub with_delta: bool,
    /// A named tolerance that made the CRL applicable (quirk 3), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerated: Option<crate::vn::Quirk>,
    /// Where the evidence came from (file or URL), when known.
    pub origin: Option<String>,
    /// SHA-256 of the evidence's DER (the CRL, or the whole OCSP response), hex.
    pub sha256: String,
    /// The evidence's DER, so callers can keep it (Circular 15/2025) or embed it (CAdES-LT).
    #[serde(skip)]
    pub der: Arc<Vec<u8>>,
}

/// The fixed inputs of a revocation judgement.
pub(crate) struct Judge<'a> {
    /// The evidence.
    pub evidence: &'a RevocationEvidence,
    /// The time judged.
    pub at: Time,
    /// Which algorithms CRL signatures may use.
    pub algorithms: AlgorithmPolicy,
    /// Whether the en-dash cRLIssuer tolerance (quirk 3) applies.
    pub en_dash: bool,
}

/// Validates a candidate CRL signer: supplied by path validation, which knows the pool, the
/// anchor and the budget (RFC 5280 §6.3.3 (f): the CRL issuer's path must end at the same
/// trust anchor as the certificate's).
pub(crate) trait SignerCheck {
    /// Whether `signer` has a valid path to `anchor` (its own revocation included).
    fn signer_path_valid(&mut self, signer: &Certificate, anchor: &Certificate) -> bool;
    /// Whether `signer`'s own path is being validated by an enclosing search (a CRL issuer
    /// whose certificate is covered by its own CRL, PKITS 4.14.30): its key has just verified
    /// the CRL, and the enclosing validation judges the rest of its path.
    fn in_progress(&self, signer: &Certificate) -> bool;
    /// Every certificate that might have signed a CRL by `issuer`: path, pool, store.
    fn candidates(&self, issuer: &Name) -> Vec<Certificate>;
    /// The provider.
    fn provider(&self) -> &dyn CryptoProvider;
}

/// A CRL ready for use: its scope checked, its signature verified.
struct Usable<'e> {
    crl: &'e Crl,
    delta: Option<&'e Crl>,
}

/// RFC 5280 §6.3.3 for `cert`, whose issuer in the path is `issuer` and whose path ends at
/// `anchor`.
pub(crate) fn crl_status(
    cert: &Certificate,
    issuer: &Certificate,
    anchor: &Certificate,
    judge: &Judge<'_>,
    signers: &mut dyn SignerCheck,
) -> CertStatus {
    let (evidence, at, algorithms) = (judge.evidence, judge.at, judge.algorithms);
    let mut why = UnknownReason::NoEvidence;
    match ocsp_status(cert, issuer, judge, signers.provider()) {
        Ok(Some(status)) => return status,
        Ok(None) => {}
        Err(reason) => why = reason,
    }
    let virtual_dp = [DistributionPoint {
        name: None,
        reasons: None,
        crl_issuer: None,
    }];
    let dps: &[DistributionPoint] = match &cert.extensions().crl_distribution_points {
        Some(v) if !v.is_empty() => v,
        _ => &virtual_dp,
    };
    let mut reasons_mask: u16 = 0;
    let mut decided_by: Option<StatusSource> = None;
    for dp in dps {
        if reasons_mask == ALL_REASONS {
            break;
        }
        // Quirk 3: a cRLIssuer that is the issuer's name with an en dash stands for the issuer.
        let mut tolerated = None;
        let en_dash_dp;
        let dp = match &dp.crl_issuer {
            Some(names)
                if judge.en_dash
                    && !names.is_empty()
                    && names.iter().all(|g| {
                        matches!(g, GeneralName::Directory(n) if !n.matches(cert.issuer()) && crate::vn::en_dash_matches(n, cert.issuer()))
                    }) =>
            {
                tolerated = Some(crate::vn::Quirk::EnDashCrlIssuer {
                    crl_issuer: first_dn(names).map(Name::display).unwrap_or_default(),
                });
                en_dash_dp = DistributionPoint {
                    name: dp.name.clone(),
                    reasons: dp.reasons,
                    crl_issuer: None,
                };
                &en_dash_dp
            }
            _ => dp,
        };
        // The latest CRL first (RFC 5280 §6.3.3 asks for the most recent one available).
        let mut completes: Vec<&Arc<Crl>> = evidence.crls.iter().filter(|c| !c.is_delta()).collect();
        completes.sort_by_key(|c| std::cmp::Reverse(c.this_update()));
        for complete in completes {
            if reasons_mask == ALL_REASONS {
                break;
            }
            // (b) issuer and scope.
            let Some(interim) = scope(cert, dp, complete) else {
                continue;
            };
            // (d) something new to learn.
            if interim & !reasons_mask == 0 {
                continue;
            }
            if !complete.unknown_critical().is_empty() {
                why = UnknownReason::CrlUnknownCritical {
                    issuer: complete.issuer().display(),
                };
                continue;
            }
            // (e)–(f) the CRL's signer.
            let Some(signer) = find_signer(complete, issuer, anchor, algorithms, signers) else {
                why = UnknownReason::CrlNoValidSigner {
                    issuer: complete.issuer().display(),
                };
                continue;
            };
            // (g) a delta CRL of the same scope, signed by the same key, fresh.
            let delta = evidence
                .crls
                .iter()
                .filter(|d| d.is_delta() && is_delta_of(d, complete) && d.unknown_critical().is_empty())
                .filter(|d| d.next_update().is_none_or(|n| n >= at))
                .find(|d| d.verify_signed_by(&signer, signers.provider(), algorithms).is_ok())
                .map(|d| &**d);
            // (a)(1) freshness: an expired complete CRL serves only with a fresh delta.
            if complete.next_update().is_some_and(|n| n < at) && delta.is_none() {
                why = UnknownReason::CrlExpired {
                    issuer: complete.issuer().display(),
                    next_update: complete.next_update(),
                };
                continue;
            }
            let usable = Usable { crl: complete, delta };
            let source = StatusSource {
                kind: "crl",
                issuer: complete.issuer().display(),
                this_update: complete.this_update(),
                next_update: complete.next_update(),
                with_delta: delta.is_some(),
                tolerated: tolerated.clone(),
                origin: complete.origin().map(str::to_string),
                sha256: hex::encode_upper(
                    signers
                        .provider()
                        .digest(crate::crypto::HashAlgorithm::Sha256, complete.der()),
                ),
                der: Arc::new(complete.der().to_vec()),
            };
            // (i) the entry, delta first.
            if let Some((time, reason)) = lookup(&usable, cert, at) {
                return CertStatus::Revoked { time, reason, source };
            }
            // (j)
            reasons_mask |= interim;
            decided_by.get_or_insert(source);
        }
    }
    match decided_by {
        Some(source) if reasons_mask == ALL_REASONS => CertStatus::Good { source },
        Some(_) => CertStatus::Unknown {
            why: UnknownReason::ReasonsNotCovered,
        },
        None => CertStatus::Unknown { why },
    }
}

/// Maximum age of an OCSP response without nextUpdate, relative to the time judged: a day,
/// as responders that omit nextUpdate refresh at least daily.
const OCSP_MAX_AGE_WITHOUT_NEXT_UPDATE: i64 = 86_400;
/// Clock skew allowed between a responder and the time judged.
const OCSP_SKEW: i64 = 300;

/// The status an OCSP response in the evidence gives, if one is usable: it names the
/// certificate, its signer is the issuer or a delegated responder, and it is fresh for the
/// time judged (produced after it, or current then). `Err` carries why the last candidate
/// was refused.
fn ocsp_status(
    cert: &Certificate,
    issuer: &Certificate,
    judge: &Judge<'_>,
    provider: &dyn CryptoProvider,
) -> Result<Option<CertStatus>, UnknownReason> {
    let at = judge.at;
    let mut refused = None;
    for resp in &judge.evidence.ocsp {
        let Some(single) = resp.find(cert, issuer, provider) else {
            continue;
        };
        let fresh = if single.this_update.0 > at.0 + OCSP_SKEW {
            true
        } else {
            match single.next_update {
                Some(n) => n >= at,
                None => at.0 - single.this_update.0 <= OCSP_MAX_AGE_WITHOUT_NEXT_UPDATE,
            }
        };
        if !fresh {
            refused = Some(UnknownReason::OcspStale {
                this_update: single.this_update,
            });
            continue;
        }
        let signer = match resp.verify_signer(issuer, &judge.evidence.responder_certs, at, provider, judge.algorithms) {
            Ok(s) => s,
            Err(e) => {
                refused = Some(UnknownReason::OcspBadResponder { error: e.to_string() });
                continue;
            }
        };
        let source = StatusSource {
            kind: "ocsp",
            issuer: signer.subject().display(),
            this_update: single.this_update,
            next_update: single.next_update,
            with_delta: false,
            tolerated: None,
            origin: resp.origin.clone(),
            sha256: hex::encode_upper(provider.digest(crate::crypto::HashAlgorithm::Sha256, &resp.response_der)),
            der: Arc::new(resp.response_der.clone()),
        };
        return Ok(match single.status {
            OcspCertStatus::Good => Some(CertStatus::Good { source }),
            OcspCertStatus::Revoked { time, reason } if time <= at && reason != RevocationReason::RemoveFromCrl => {
                Some(CertStatus::Revoked { time, reason, source })
            }
            OcspCertStatus::Revoked { .. } => Some(CertStatus::Good { source }),
            OcspCertStatus::Unknown => {
                refused = Some(UnknownReason::OcspUnknown {
                    responder: signer.subject().display(),
                });
                continue;
            }
        });
    }
    match refused {
        Some(r) => Err(r),
        None => Ok(None),
    }
}

/// The entry for `cert`, delta CRL first (RFC 5280 §6.3.3 (g), (i)), if it was revoked at `at`.
fn lookup(u: &Usable<'_>, cert: &Certificate, at: Time) -> Option<(Time, RevocationReason)> {
    let in_delta = u.delta.and_then(|d| d.find(cert.serial(), cert.issuer()));
    let entry = match in_delta {
        Some(e) if e.reason == RevocationReason::RemoveFromCrl => return None,
        Some(e) => e,
        None => u.crl.find(cert.serial(), cert.issuer())?,
    };
    if entry.reason == RevocationReason::RemoveFromCrl || entry.revocation_date > at {
        // Revoked after the time judged: it was good then.
        return None;
    }
    Some((entry.revocation_date, entry.reason))
}

/// RFC 5280 §6.3.3 (b)–(c): whether `crl` is in scope for `cert` through `dp`; returns the
/// interim reasons mask.
fn scope(cert: &Certificate, dp: &DistributionPoint, crl: &Crl) -> Option<u16> {
    let idp = crl.issuing_distribution_point();
    // (b)(1) issuer.
    match &dp.crl_issuer {
        Some(names) => {
            let named = names
                .iter()
                .any(|g| matches!(g, GeneralName::Directory(n) if n.matches(crl.issuer())));
            if !named || !idp.is_some_and(|i| i.indirect) {
                return None;
            }
        }
        None => {
            if !crl.issuer().matches(cert.issuer()) {
                return None;
            }
        }
    }
    // (b)(2) the issuing distribution point.
    if let Some(idp) = idp {
        if let Some(idp_name) = &idp.name {
            let idp_names = resolve(idp_name, crl.issuer());
            let dp_names: Vec<GeneralName> = match (&dp.name, &dp.crl_issuer) {
                (Some(n), _) => resolve(
                    n,
                    dp.crl_issuer
                        .as_ref()
                        .and_then(|v| first_dn(v))
                        .unwrap_or(cert.issuer()),
                ),
                (None, Some(issuers)) => issuers.clone(),
                // No distribution point in the certificate: a CRL restricted to a named
                // distribution point does not cover it.
                (None, None) => return None,
            };
            if !idp_names.iter().any(|a| dp_names.iter().any(|b| a.same_as(b))) {
                return None;
            }
        }
        if (idp.only_user && cert.is_ca()) || (idp.only_ca && !cert.is_ca()) || idp.only_attribute {
            return None;
        }
    }
    // (c) reasons.
    let dp_reasons = dp.reasons.unwrap_or(ALL_REASONS);
    let idp_reasons = idp.and_then(|i| i.only_some_reasons).unwrap_or(ALL_REASONS);
    Some(dp_reasons & idp_reasons & ALL_REASONS)
}

fn first_dn(names: &[GeneralName]) -> Option<&Name> {
    names.iter().find_map(|g| match g {
        GeneralName::Directory(n) => Some(n),
        _ => None,
    })
}

/// A distribution point name as full names: nameRelativeToCRLIssuer is appended to `base`.
fn resolve(name: &DistributionPointName, base: &Name) -> Vec<GeneralName> {
    match name {
        DistributionPointName::FullName(v) => v.clone(),
        DistributionPointName::RelativeToCrlIssuer(rdn) => {
            append_rdn(base, rdn).map(GeneralName::Directory).into_iter().collect()
        }
    }
}

fn append_rdn(base: &Name, rdn: &[Attribute]) -> Option<Name> {
    use crate::encode::{self, Raw};
    use der::Encode;
    #[derive(der::Sequence)]
    struct AttributeTypeAndValue<'a> {
        attr_type: der::asn1::ObjectIdentifier,
        value: Raw<'a>,
    }
    let atvs = rdn
        .iter()
        .map(|a| {
            // The value's identifier octet as received (kyso reads low tag numbers only).
            let value = [
                &[a.value_tag][..],
                &der::Length::try_from(a.value.len())?.to_der()?,
                &a.value,
            ]
            .concat();
            encode::to_der(&AttributeTypeAndValue {
                attr_type: encode::oid(a.oid.as_bytes())?,
                value: Raw(&value),
            })
        })
        .collect::<Result<Vec<_>, encode::EncodeError>>()
        .ok()?;
    let set = encode::to_der(&encode::set_of(atvs.iter().map(Vec::as_slice)).ok()?).ok()?;
    // The base name's RDNs as received, then the new one.
    let mut rdns: Vec<Raw<'_>> = crate::asn1::read_exact(base.der())
        .ok()?
        .children()
        .map(|r| r.map(|r| Raw(r.raw)))
        .collect::<Result<_, _>>()
        .ok()?;
    rdns.push(Raw(&set));
    Name::from_der(&encode::to_der(&rdns).ok()?).ok()
}

/// Whether `delta` is a delta of `complete`: same issuer and scope, based on a CRL no newer
/// than `complete` (RFC 5280 §5.2.4).
fn is_delta_of(delta: &Crl, complete: &Crl) -> bool {
    let (Some(base), Some(number)) = (delta.delta_base(), complete.crl_number()) else {
        return false;
    };
    delta.issuer().matches(complete.issuer())
        && delta.issuing_distribution_point() == complete.issuing_distribution_point()
        && cmp_uint(base, number) != std::cmp::Ordering::Greater
        && delta
            .crl_number()
            .is_some_and(|d| cmp_uint(d, number) == std::cmp::Ordering::Greater)
}

/// Compare two non-negative INTEGER content octets.
fn cmp_uint(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let strip = |x: &[u8]| -> Vec<u8> { x.iter().copied().skip_while(|v| *v == 0).collect() };
    let (a, b) = (strip(a), strip(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(&b))
}

/// RFC 5280 §6.3.3 (f): a certificate that may sign CRLs (cRLSign), whose key verifies the
/// CRL, and whose own path ends at `anchor`.
fn find_signer(
    crl: &Crl,
    issuer: &Certificate,
    anchor: &Certificate,
    algorithms: AlgorithmPolicy,
    signers: &mut dyn SignerCheck,
) -> Option<Certificate> {
    let may_sign_crls = |c: &Certificate| c.key_usage().is_none_or(|k| k.has(crate::ext::KeyUsage::CRL_SIGN));
    // The certificate's own issuer, already validated as part of the path.
    if issuer.subject().matches(crl.issuer())
        && may_sign_crls(issuer)
        && crl.verify_signed_by(issuer, signers.provider(), algorithms).is_ok()
    {
        return Some(issuer.clone());
    }
    for cand in signers.candidates(crl.issuer()) {
        if &cand == issuer
            || !may_sign_crls(&cand)
            || crl.verify_signed_by(&cand, signers.provider(), algorithms).is_err()
        {
            continue;
        }
        if &cand == anchor || signers.in_progress(&cand) || signers.signer_path_valid(&cand, anchor) {
            return Some(cand);
        }
    }
    None
}
