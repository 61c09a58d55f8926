//! Certification path building and validation (RFC 5280 §6).
//!
//! [`verify_chain`] takes a leaf, an unordered pool of other certificates, a [`TrustStore`] and
//! [`PathOptions`]; it builds candidate paths to any anchor (issuers whose key identifier
//! matches first, anchors before intermediates), validates each per RFC 5280 §6.1, and returns
//! the first valid path — or, when none is, the most specific reason among the paths tried.
//! The core does no I/O and reads no clock: the time is an input.

mod builder;
mod names;
mod policy;
mod profile;
mod validate;

use serde::Serialize;

use crate::cert::Certificate;
use crate::crypto::{AlgorithmPolicy, CryptoProvider};
use crate::error::{CryptoError, LegacyReason};
use crate::oid::Oid;
use crate::time::Time;
use crate::trust::{Hierarchy, TrustStore};

pub use builder::Budget;
pub use policy::PolicySettings;
pub use profile::{ProfileChecks, ProfileViolation};

/// What the leaf's keyUsage must allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeafKeyUsage {
    /// No requirement.
    Any,
    /// digitalSignature or nonRepudiation (what document signatures use; the default).
    DigitalSignatureOrNonRepudiation,
    /// digitalSignature.
    DigitalSignature,
    /// nonRepudiation.
    NonRepudiation,
}

/// How a path is judged.
#[derive(Debug, Clone)]
pub struct PathOptions {
    /// The validation time.
    pub time: Time,
    /// Which algorithms are accepted.
    pub algorithms: AlgorithmPolicy,
    /// What the leaf's keyUsage must allow (when the extension is present).
    pub leaf_key_usage: LeafKeyUsage,
    /// Extended key usages the leaf must allow (none: EKU is not checked).
    pub required_eku: Vec<Oid>,
    /// The RFC 5280 §6.1.1 policy inputs.
    pub policy: PolicySettings,
    /// How validity periods are judged.
    pub model: TimeModel,
    /// Which real-world deviations are accepted (and reported).
    pub tolerances: Tolerances,
    /// Which RFC 5280 §4 certificate-profile rules are checked besides §6.1.
    pub profile: ProfileChecks,
    /// Revocation mode and evidence.
    pub revocation: crate::revocation::RevocationOptions,
    /// Limits on the search.
    pub budget: Budget,
}

/// How validity periods are judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeModel {
    /// Every certificate valid at the validation time (RFC 5280 §6.1.3 (a)(2)).
    Shell,
    /// The leaf valid at the validation time (the signing or timestamp time), each CA valid
    /// when it issued the certificate below it (its notBefore). Vietnamese rules judge a
    /// signature at the time it was made.
    Chain,
}

/// Named tolerances for deviations of real Vietnamese certificates (VIETNAM-PKI.md). Off, a
/// deviating certificate is refused; on, it is accepted and the result lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tolerances {
    /// Quirk 4: authorityInfoAccess marked critical, which RFC 5280 §4.2.2.1 forbids and which
    /// path validation does not act on (FPT Certification Authority Timestamping, 2023).
    pub critical_authority_info_access: bool,
    /// Quirk 5: keyCertSign asserted on a non-CA certificate (TSA certificates issued straight
    /// by Vietnam National Root CA: FPT, Viettel, VNPT, VNPAY, CA2 and Intrust timestamping).
    pub key_cert_sign_without_ca: bool,
    /// Quirk 3: a cRLIssuer spelled with an en dash (`ROOT CA – RS`) where the issuer has a
    /// hyphen (2025 national roots and their sub-CAs): read as the issuer itself, so the
    /// issuer's own CRL applies, instead of as an indirect CRL from a CA that does not exist.
    pub en_dash_crl_issuer: bool,
    /// edXML packages (QCVN 102:2016) name exclusive C14N `http://www.w3.org/TR/xml-exc-c14n#`,
    /// which is not a W3C identifier: read as Exclusive C14N 1.0, with a warning.
    pub edxml_exclusive_c14n_uri: bool,
    /// XML-DSig: the enveloped-signature transform on a Reference whose target lies inside
    /// its own Signature digests the target (Apache Santuario's reading, on which Java and
    /// .NET signing software rely), not nothing (the W3C reading), with a warning.
    pub santuario_enveloped: bool,
}

impl Tolerances {
    /// RFC 5280 as written.
    pub const NONE: Tolerances = Tolerances {
        critical_authority_info_access: false,
        key_cert_sign_without_ca: false,
        en_dash_crl_issuer: false,
        edxml_exclusive_c14n_uri: false,
        santuario_enveloped: false,
    };
    /// Every tolerance the Vietnamese hierarchies need.
    pub const VIETNAM: Tolerances = Tolerances {
        critical_authority_info_access: true,
        key_cert_sign_without_ca: true,
        en_dash_crl_issuer: true,
        edxml_exclusive_c14n_uri: true,
        santuario_enveloped: true,
    };
}

/// One check of the validation of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Certificate index (0 = leaf).
    pub index: usize,
    /// What was checked.
    pub check: CheckKind,
    /// How it went.
    pub outcome: CheckOutcome,
    /// A note (the tolerated quirk, why it was not checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For a tolerated deviation, the quirk tolerated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quirk: Option<crate::vn::Quirk>,
    /// For a revocation check, the status found (in the JSON as the chain's `revocation`).
    #[serde(skip)]
    pub status: Option<crate::revocation::CertStatus>,
}

/// What a [`Check`] is about (RFC 5280 §6.1.3–§6.1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckKind {
    /// The issuer's signature.
    Signature,
    /// The validity period.
    Validity,
    /// Revocation status.
    Revocation,
    /// Name constraints of the CAs above.
    NameConstraints,
    /// Certificate policies.
    Policies,
    /// basicConstraints cA.
    BasicConstraints,
    /// pathLenConstraint.
    PathLength,
    /// keyUsage.
    KeyUsage,
    /// extKeyUsage.
    ExtendedKeyUsage,
    /// Critical extensions all processed.
    CriticalExtensions,
    /// The RFC 5280 §4 certificate-profile rules the policy checks.
    Profile,
}

/// The outcome of a [`Check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// Passed.
    Passed,
    /// Failed (the path's error says why).
    Failed,
    /// A deviation accepted by a named tolerance.
    Tolerated,
    /// Not checked (revocation without evidence).
    NotChecked,
}

impl PathOptions {
    /// Defaults for document signatures at `time`: strict algorithms, digitalSignature or
    /// nonRepudiation on the leaf, no EKU requirement.
    pub fn at(time: Time) -> PathOptions {
        PathOptions {
            time,
            algorithms: AlgorithmPolicy::STRICT,
            leaf_key_usage: LeafKeyUsage::DigitalSignatureOrNonRepudiation,
            required_eku: Vec::new(),
            policy: PolicySettings::default(),
            model: TimeModel::Shell,
            tolerances: Tolerances::NONE,
            profile: ProfileChecks::NONE,
            revocation: crate::revocation::RevocationOptions::default(),
            budget: Budget::default(),
        }
    }

    /// The Vietnam policy at `time`: [`PathOptions::at`] with every tolerance of
    /// [`Tolerances::VIETNAM`], judged in the chain model (a signature at the time it was made).
    pub fn vietnam(time: Time) -> PathOptions {
        PathOptions {
            model: TimeModel::Chain,
            tolerances: Tolerances::VIETNAM,
            ..PathOptions::at(time)
        }
    }
}

/// The verdict of a path validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A path to a trusted anchor was found and every check passed.
    Valid,
    /// Every path found fails a check.
    Invalid,
    /// No conclusion: no path could be built, or the search budget ran out.
    Indeterminate,
}

impl Verdict {
    /// The verdict of a document from its signatures': valid when there is at least one and
    /// all are valid, invalid when one is, indeterminate otherwise.
    pub fn of_all(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let (mut any, mut invalid, mut all_valid) = (false, false, true);
        for v in verdicts {
            any = true;
            invalid |= v == Verdict::Invalid;
            all_valid &= v == Verdict::Valid;
        }
        match (any, invalid, all_valid) {
            (false, _, _) => Verdict::Indeterminate,
            (true, _, true) => Verdict::Valid,
            (true, true, false) => Verdict::Invalid,
            (true, false, false) => Verdict::Indeterminate,
        }
    }
}

/// Why a path failed, with the index of the certificate concerned (0 = the leaf).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PathError {
    /// No issuer could be found for the certificate at `index` (its issuer name is given).
    NoIssuerFound {
        /// Certificate whose issuer is missing.
        index: usize,
        /// The issuer name it asks for.
        issuer: String,
    },
    /// The search budget ran out before a conclusion.
    BudgetExhausted {
        /// Which limit.
        limit: &'static str,
    },
    /// The issuer's signature on the certificate does not verify.
    BadSignature {
        /// Certificate index.
        index: usize,
    },
    /// The signature algorithm or key is unsupported or refused by the policy.
    Algorithm {
        /// Certificate index.
        index: usize,
        /// What was wrong.
        reason: String,
    },
    /// The certificate was revoked (or put on hold) before the validation time.
    Revoked {
        /// Certificate index.
        index: usize,
        /// revocationDate.
        time: Time,
        /// The reason.
        reason: crate::revocation::RevocationReason,
    },
    /// Revocation is checked in hard-fail mode and no evidence decides the status.
    RevocationUnknown {
        /// Certificate index.
        index: usize,
        /// Why.
        why: crate::revocation::UnknownReason,
    },
    /// The certificate expired before the validation time.
    Expired {
        /// Certificate index.
        index: usize,
        /// notAfter.
        not_after: Time,
        /// The validation time.
        at: Time,
    },
    /// The certificate is not yet valid at the validation time.
    NotYetValid {
        /// Certificate index.
        index: usize,
        /// notBefore.
        not_before: Time,
        /// The validation time.
        at: Time,
    },
    /// An issuing certificate is not a CA (basicConstraints).
    NotCa {
        /// Certificate index.
        index: usize,
    },
    /// A CA's pathLenConstraint is exceeded.
    PathLenExceeded {
        /// Index of the CA certificate that one too many (a pathLenConstraint above it forbids it).
        index: usize,
    },
    /// keyCertSign on a certificate that is not a CA (RFC 5280 §4.2.1.3), without the
    /// tolerance for it.
    KeyCertSignWithoutCa {
        /// Certificate index.
        index: usize,
    },
    /// keyUsage does not allow what the certificate is used for.
    KeyUsage {
        /// Certificate index.
        index: usize,
        /// What was required.
        required: &'static str,
    },
    /// extKeyUsage does not include a required purpose.
    ExtendedKeyUsage {
        /// Certificate index.
        index: usize,
        /// The missing purpose, dotted.
        missing: String,
    },
    /// No certificate policy is valid for the path, and one is required (explicit policy).
    NoValidPolicy {
        /// Certificate at which the requirement failed.
        index: usize,
    },
    /// A policy mapping to or from anyPolicy (RFC 5280 §6.1.4 (a)).
    PolicyMapsAnyPolicy {
        /// Certificate index.
        index: usize,
    },
    /// A name lies outside the permitted subtrees, or inside an excluded one.
    NameConstraint {
        /// Certificate index.
        index: usize,
        /// The name.
        name: String,
        /// Whether it is excluded (else: not permitted).
        excluded: bool,
    },
    /// A critical extension kyso does not process.
    UnknownCriticalExtension {
        /// Certificate index.
        index: usize,
        /// The extension, dotted.
        oid: String,
    },
    /// The certificate breaks an RFC 5280 §4 profile rule the policy checks.
    Profile {
        /// Certificate index.
        index: usize,
        /// The rule.
        violation: ProfileViolation,
    },
}

impl PathError {
    /// How specific the error is; after backtracking the highest rank is reported, so an
    /// expired intermediate is not hidden behind "no issuer found".
    pub(crate) fn rank(&self) -> u8 {
        match self {
            PathError::NoIssuerFound { .. } => 0,
            PathError::RevocationUnknown { .. } => 1,
            PathError::Revoked { .. } => 8,
            PathError::BudgetExhausted { .. } => 1,
            PathError::BadSignature { .. } => 2,
            PathError::Algorithm { .. } => 3,
            PathError::NotCa { .. } | PathError::PathLenExceeded { .. } => 4,
            PathError::KeyUsage { .. }
            | PathError::ExtendedKeyUsage { .. }
            | PathError::KeyCertSignWithoutCa { .. } => 5,
            PathError::NoValidPolicy { .. }
            | PathError::PolicyMapsAnyPolicy { .. }
            | PathError::NameConstraint { .. } => 5,
            PathError::UnknownCriticalExtension { .. } | PathError::Profile { .. } => 6,
            PathError::Expired { .. } | PathError::NotYetValid { .. } => 7,
        }
    }

    /// The verdict this error leads to.
    pub fn verdict(&self) -> Verdict {
        match self {
            PathError::NoIssuerFound { .. }
            | PathError::BudgetExhausted { .. }
            | PathError::RevocationUnknown { .. } => Verdict::Indeterminate,
            _ => Verdict::Invalid,
        }
    }

    /// One line in English.
    pub fn describe(&self) -> String {
        match self {
            PathError::NoIssuerFound { index, issuer } => {
                format!("no path to a trusted anchor: nothing trusted issued certificate #{index} (issuer {issuer})")
            }
            PathError::BudgetExhausted { limit } => format!("path search stopped: {limit} limit reached"),
            PathError::BadSignature { index } => format!("certificate #{index}: issuer's signature does not verify"),
            PathError::Algorithm { index, reason } => format!("certificate #{index}: {reason}"),
            PathError::Revoked { index, time, reason } => {
                format!("certificate #{index} was revoked on {time} ({reason:?})")
            }
            PathError::RevocationUnknown { index, why } => {
                format!("certificate #{index}: revocation status unknown ({why})")
            }
            PathError::Expired { index, not_after, at } => {
                format!("certificate #{index} expired on {not_after} (checked at {at})")
            }
            PathError::NotYetValid { index, not_before, at } => {
                format!("certificate #{index} not valid before {not_before} (checked at {at})")
            }
            PathError::NotCa { index } => format!("certificate #{index} issues certificates but is not a CA"),
            PathError::PathLenExceeded { index } => format!("certificate #{index}: path length constraint exceeded"),
            PathError::KeyCertSignWithoutCa { index } => {
                format!("certificate #{index}: keyCertSign without being a CA (RFC 5280 §4.2.1.3)")
            }
            PathError::KeyUsage { index, required } => format!("certificate #{index}: keyUsage lacks {required}"),
            PathError::ExtendedKeyUsage { index, missing } => {
                format!("certificate #{index}: extKeyUsage lacks {missing}")
            }
            PathError::NoValidPolicy { index } => {
                format!("certificate #{index}: no acceptable certificate policy for the path")
            }
            PathError::PolicyMapsAnyPolicy { index } => format!("certificate #{index}: maps anyPolicy"),
            PathError::NameConstraint { index, name, excluded } => {
                let why = if *excluded {
                    "is in an excluded subtree"
                } else {
                    "is outside the permitted subtrees"
                };
                format!("certificate #{index}: name {name} {why}")
            }
            PathError::UnknownCriticalExtension { index, oid } => {
                format!("certificate #{index}: critical extension {oid} that kyso does not process")
            }
            PathError::Profile { index, violation } => format!("certificate #{index}: {}", violation.describe_en()),
        }
    }
}

impl PathError {
    /// One line in Vietnamese (certificate #0 is the signer's, the highest index the anchor's).
    pub fn describe_vi(&self) -> String {
        match self {
            PathError::NoIssuerFound { index, issuer } => format!(
                "không xây dựng được đường dẫn tới tổ chức chứng thực gốc tin cậy: không tìm thấy bên cấp tin cậy của chứng thư #{index} (bên cấp {issuer})"
            ),
            PathError::BudgetExhausted { limit } => {
                format!("dừng tìm đường dẫn chứng thực: đã chạm giới hạn {limit}")
            }
            PathError::BadSignature { index } => {
                format!("chứng thư #{index}: chữ ký của bên cấp trên chứng thư không đúng")
            }
            PathError::Algorithm { index, reason } => {
                format!("chứng thư #{index}: thuật toán hoặc khóa không được chấp nhận ({reason})")
            }
            PathError::Revoked { index, time, reason } => format!(
                "chứng thư #{index} đã bị thu hồi từ {} (lý do: {})",
                time.format_vi(),
                reason.describe_vi()
            ),
            PathError::RevocationUnknown { index, why } => {
                format!(
                    "chứng thư #{index}: không xác định được tình trạng thu hồi ({})",
                    why.describe_vi()
                )
            }
            PathError::Expired { index, not_after, at } => {
                format!(
                    "chứng thư #{index} đã hết hiệu lực từ {} (thời điểm kiểm tra {})",
                    not_after.format_vi(),
                    at.format_vi()
                )
            }
            PathError::NotYetValid { index, not_before, at } => {
                format!(
                    "chứng thư #{index} chỉ có hiệu lực từ {} (thời điểm kiểm tra {})",
                    not_before.format_vi(),
                    at.format_vi()
                )
            }
            PathError::NotCa { index } => {
                format!("chứng thư #{index} cấp chứng thư khác nhưng không phải chứng thư CA")
            }
            PathError::PathLenExceeded { index } => {
                format!("chứng thư #{index}: vượt quá độ dài đường dẫn cho phép (pathLenConstraint)")
            }
            PathError::KeyCertSignWithoutCa { index } => {
                format!("chứng thư #{index}: có keyCertSign nhưng không phải chứng thư CA (RFC 5280 §4.2.1.3)")
            }
            PathError::KeyUsage { index, required } => {
                format!("chứng thư #{index}: mục đích sử dụng khóa (keyUsage) thiếu {required}")
            }
            PathError::ExtendedKeyUsage { index, missing } => {
                format!("chứng thư #{index}: mục đích sử dụng mở rộng (extKeyUsage) thiếu {missing}")
            }
            PathError::NoValidPolicy { index } => {
                format!("chứng thư #{index}: không có chính sách chứng thư nào được chấp nhận cho đường dẫn")
            }
            PathError::PolicyMapsAnyPolicy { index } => {
                format!("chứng thư #{index}: ánh xạ chính sách tới hoặc từ anyPolicy")
            }
            PathError::NameConstraint { index, name, excluded } => {
                let why = if *excluded {
                    "nằm trong vùng tên bị loại trừ"
                } else {
                    "nằm ngoài vùng tên được phép"
                };
                format!("chứng thư #{index}: tên {name} {why}")
            }
            PathError::UnknownCriticalExtension { index, oid } => {
                format!("chứng thư #{index}: trường mở rộng critical {oid} mà kyso không xử lý")
            }
            PathError::Profile { index, violation } => format!("chứng thư #{index}: {}", violation.describe_vi()),
        }
    }
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

fn crypto_error(index: usize, e: CryptoError) -> PathError {
    match e {
        CryptoError::BadSignature => PathError::BadSignature { index },
        other => PathError::Algorithm {
            index,
            reason: other.to_string(),
        },
    }
}

/// The outcome of [`verify_chain`].
#[derive(Debug, Clone)]
pub struct ChainResult {
    /// Valid, invalid or indeterminate.
    pub verdict: Verdict,
    /// The path, leaf first and anchor last: the valid one, or the one that failed with
    /// [`ChainResult::error`] (empty when no path reached an anchor).
    pub path: Vec<Certificate>,
    /// The hierarchy of the anchor reached.
    pub hierarchy: Option<Hierarchy>,
    /// The reason, when not valid.
    pub error: Option<PathError>,
    /// Legacy algorithms the path relies on (allowed by the policy).
    pub legacy: Vec<LegacyReason>,
    /// Every check made on [`ChainResult::path`], in order, up to the failing one.
    pub checks: Vec<Check>,
    /// The revocation status of each certificate of the path but the anchor, leaf first.
    pub revocation: Vec<crate::revocation::CertStatus>,
    /// Deviations accepted by a tolerance: certificate index and quirk.
    pub tolerated: Vec<(usize, crate::vn::Quirk)>,
    /// The user-constrained policy set of a valid path (RFC 5280 §6.1.6; `2.5.29.32.0`
    /// alone when any policy is acceptable).
    pub policies: Vec<Oid>,
    /// Signature checks spent.
    pub signature_checks: usize,
}

impl ChainResult {
    fn valid(path: Vec<Certificate>, h: Hierarchy, outcome: validate::Outcome, checks: usize) -> Self {
        ChainResult {
            verdict: Verdict::Valid,
            path,
            hierarchy: Some(h),
            error: None,
            checks: outcome.checks,
            revocation: outcome.revocation,
            tolerated: outcome.tolerated,
            legacy: outcome.legacy,
            policies: outcome.policies,
            signature_checks: checks,
        }
    }

    fn failed(error: PathError, path: Vec<Certificate>, h: Option<Hierarchy>, list: Vec<Check>, checks: usize) -> Self {
        ChainResult {
            verdict: error.verdict(),
            path,
            hierarchy: h,
            error: Some(error),
            checks: list,
            revocation: Vec::new(),
            tolerated: Vec::new(),
            legacy: Vec::new(),
            policies: Vec::new(),
            signature_checks: checks,
        }
    }
}

/// Build and validate a path for `leaf` (see the module documentation).
pub fn verify_chain(
    leaf: &Certificate,
    pool: &[Certificate],
    store: &TrustStore,
    options: &PathOptions,
    provider: &dyn CryptoProvider,
) -> ChainResult {
    builder::search(leaf, pool, store, options, provider)
}

#[cfg(test)]
mod verdict_tests {
    use super::Verdict::{self, *};

    #[test]
    fn a_document_is_valid_only_when_every_signature_is() {
        assert_eq!(Verdict::of_all([]), Indeterminate);
        assert_eq!(Verdict::of_all([Valid, Valid]), Valid);
        assert_eq!(Verdict::of_all([Valid, Indeterminate]), Indeterminate);
        assert_eq!(Verdict::of_all([Indeterminate, Invalid, Valid]), Invalid);
    }
}
