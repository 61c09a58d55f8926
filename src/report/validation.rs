//! The validation report: one structure for every verification (a CMS signature, a
//! certificate path, and later PDF and XML signatures), with an overall indication in the
//! style of ETSI EN 319 102-1 and, per signature, what Circular 15/2025 asks verification
//! software to show: the issuing CA, the signer, the managing organisation, the signing time or
//! time-stamp, integrity, validity at signing time and the certificate's validity period.
//! Every message is carried in English and Vietnamese; [`super::text`] renders it for people.
//!
//! JSON schema [`REPORT_SCHEMA`], documented in the README: fields may be added within a
//! version, none renamed or removed.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::cert::Certificate;
use crate::cms::{CmsResult, Level, SignerError, SignerResult, SignerWarning, VerifyOptions};
use crate::error::LegacyReason;
use crate::path::{ChainResult, CheckKind, CheckOutcome, PathError, PathOptions, TimeModel, Verdict};
use crate::revocation::{CertStatus, RevocationMode};
use crate::time::Time;
use crate::vn::{Identity, Quirk};

/// Version of the JSON schema of [`ValidationReport`].
pub const REPORT_SCHEMA: &str = "kyso.report/1";

/// A sentence in both languages of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    /// English.
    pub en: String,
    /// Vietnamese.
    pub vi: String,
}

impl Message {
    pub(crate) fn new(en: impl Into<String>, vi: impl Into<String>) -> Message {
        Message {
            en: en.into(),
            vi: vi.into(),
        }
    }
}

/// The main indication (ETSI EN 319 102-1 §5.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Indication {
    /// Every check passed: the signature is valid.
    TotalPassed,
    /// A check failed for good: the signature is invalid.
    TotalFailed,
    /// What is known does not allow a conclusion (missing chain, evidence, or support).
    Indeterminate,
}

impl From<Verdict> for Indication {
    fn from(v: Verdict) -> Indication {
        match v {
            Verdict::Valid => Indication::TotalPassed,
            Verdict::Invalid => Indication::TotalFailed,
            Verdict::Indeterminate => Indication::Indeterminate,
        }
    }
}

impl Indication {
    /// The stable identifier (`TOTAL_PASSED`…).
    pub fn id(self) -> &'static str {
        match self {
            Indication::TotalPassed => "TOTAL_PASSED",
            Indication::TotalFailed => "TOTAL_FAILED",
            Indication::Indeterminate => "INDETERMINATE",
        }
    }
}

/// Why an indication is not TOTAL_PASSED (ETSI EN 319 102-1 §5.1.3, Table 5). kyso keeps its
/// own verdict as the indication and names the cause with the closest sub-indication; the
/// mapping is documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum SubIndication {
    /// The file or a structure in it is malformed or unsupported.
    FormatFailure,
    /// The content's digest does not match the signed one.
    HashFailure,
    /// The signature value does not verify under the signer's key.
    SigCryptoFailure,
    /// A certificate of the path was revoked at the time judged.
    Revoked,
    /// A certificate of the path had expired at the time judged.
    Expired,
    /// A certificate of the path was not yet valid at the time judged.
    NotYetValid,
    /// A signed attribute is missing or wrong (signingCertificate, content-type).
    SigConstraintsFailure,
    /// A certificate of the path breaks a constraint (CA flag, key usage, policy, names…).
    ChainConstraintsFailure,
    /// Path building stopped (its budget ran out).
    CertificateChainGeneralFailure,
    /// An algorithm or key size is refused by the policy, or unsupported.
    CryptoConstraintsFailure,
    /// The signer's certificate is neither in the signature nor among the certificates given.
    NoSigningCertificateFound,
    /// No path to a trusted anchor.
    NoCertificateChainFound,
    /// The revocation status could not be established (hard-fail mode); try again later.
    TryLater,
    /// The signed content is missing (a detached signature without its content).
    SignedDataNotFound,
}

impl SubIndication {
    /// The stable identifier (`HASH_FAILURE`…).
    pub fn id(self) -> &'static str {
        match self {
            SubIndication::FormatFailure => "FORMAT_FAILURE",
            SubIndication::HashFailure => "HASH_FAILURE",
            SubIndication::SigCryptoFailure => "SIG_CRYPTO_FAILURE",
            SubIndication::Revoked => "REVOKED",
            SubIndication::Expired => "EXPIRED",
            SubIndication::NotYetValid => "NOT_YET_VALID",
            SubIndication::SigConstraintsFailure => "SIG_CONSTRAINTS_FAILURE",
            SubIndication::ChainConstraintsFailure => "CHAIN_CONSTRAINTS_FAILURE",
            SubIndication::CertificateChainGeneralFailure => "CERTIFICATE_CHAIN_GENERAL_FAILURE",
            SubIndication::CryptoConstraintsFailure => "CRYPTO_CONSTRAINTS_FAILURE",
            SubIndication::NoSigningCertificateFound => "NO_SIGNING_CERTIFICATE_FOUND",
            SubIndication::NoCertificateChainFound => "NO_CERTIFICATE_CHAIN_FOUND",
            SubIndication::TryLater => "TRY_LATER",
            SubIndication::SignedDataNotFound => "SIGNED_DATA_NOT_FOUND",
        }
    }

    /// The sub-indication for a path error.
    pub fn of_path_error(e: &PathError) -> SubIndication {
        match e {
            PathError::NoIssuerFound { .. } => SubIndication::NoCertificateChainFound,
            PathError::BudgetExhausted { .. } => SubIndication::CertificateChainGeneralFailure,
            PathError::BadSignature { .. } => SubIndication::ChainConstraintsFailure,
            PathError::Algorithm { .. } => SubIndication::CryptoConstraintsFailure,
            PathError::Revoked { .. } => SubIndication::Revoked,
            PathError::RevocationUnknown { .. } => SubIndication::TryLater,
            PathError::Expired { .. } => SubIndication::Expired,
            PathError::NotYetValid { .. } => SubIndication::NotYetValid,
            PathError::NotCa { .. }
            | PathError::PathLenExceeded { .. }
            | PathError::KeyCertSignWithoutCa { .. }
            | PathError::KeyUsage { .. }
            | PathError::ExtendedKeyUsage { .. }
            | PathError::NoValidPolicy { .. }
            | PathError::PolicyMapsAnyPolicy { .. }
            | PathError::NameConstraint { .. }
            | PathError::UnknownCriticalExtension { .. }
            | PathError::Profile { .. } => SubIndication::ChainConstraintsFailure,
        }
    }
}

/// What was verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// A CMS / CAdES signature.
    Cms,
    /// An XML document's signatures (XML-DSig).
    Xml,
    /// A PDF document's signatures and document time-stamps (PAdES).
    Pdf,
    /// A certificate and its path (no document).
    Certificate,
    /// A file that could not be verified at all (unreadable, or not a signature kyso reads).
    Unreadable,
}

/// The outcome of one of the Circular's headline questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Yes.
    Passed,
    /// No.
    Failed,
    /// Could not be established (an earlier step failed, or evidence is missing).
    Undetermined,
    /// Does not apply (a certificate has no document to be intact).
    NotApplicable,
}

/// Where the time a certificate was judged at came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// A valid signature time-stamp's genTime (the best proof of existence).
    Timestamp,
    /// The signingTime the signer claimed.
    SigningTime,
    /// The time of the validation (no time in the signature).
    ValidationTime,
    /// A time the caller fixed (`--at`).
    Caller,
}

/// A certificate as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct Party {
    /// Subject, RDNs in encoded order.
    pub subject: String,
    /// CN.
    pub common_name: Option<String>,
    /// O values, joined with ", ".
    pub organisation: Option<String>,
    /// Serial number, hex.
    pub serial: Option<String>,
    /// SHA-256 of the certificate, hex.
    pub sha256: Option<String>,
}

impl Party {
    fn of(c: &Certificate) -> Party {
        let id = Identity::of(c);
        Party {
            subject: c.subject().display(),
            common_name: id.common_name.clone(),
            organisation: organisation(&id),
            serial: Some(c.serial_hex()),
            sha256: Some(c.sha256_hex()),
        }
    }
}

fn organisation(id: &Identity) -> Option<String> {
    (!id.organization.is_empty()).then(|| id.organization.join(", "))
}

/// A validity period.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Period {
    /// notBefore.
    pub not_before: Time,
    /// notAfter.
    pub not_after: Time,
}

/// The signature time-stamp.
#[derive(Debug, Clone, Serialize)]
pub struct TimestampInfo {
    /// Whether the token verified (signature, TSA chain, imprint).
    pub valid: bool,
    /// genTime, when valid.
    pub gen_time: Option<Time>,
    /// The TSA's subject, when valid.
    pub tsa: Option<String>,
    /// The hierarchy the TSA's chain reached.
    pub hierarchy: Option<String>,
    /// Why it is not valid.
    pub error: Option<String>,
}

/// One certificate of the path.
#[derive(Debug, Clone, Serialize)]
pub struct PathCertificate {
    /// 0 = the signer's certificate; the last one is the anchor.
    pub index: usize,
    /// Subject.
    pub subject: String,
    /// The subject's CN.
    pub common_name: Option<String>,
    /// Serial, hex.
    pub serial: String,
    /// notBefore.
    pub not_before: Time,
    /// notAfter.
    pub not_after: Time,
    /// SHA-256, hex.
    pub sha256: String,
    /// Revocation status: `good`, `revoked`, `unknown`, `not_checked`; `anchor` for the anchor.
    pub revocation: &'static str,
}

/// What a [`ReportCheck`] checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckName {
    /// The signer's certificate was found.
    SignerCertificateFound,
    /// The signed attributes are well formed (content-type, message-digest).
    SignedAttributes,
    /// The content matches the signed digest.
    ContentDigest,
    /// ESS signingCertificate(V2) names the signer's certificate.
    SigningCertificateReference,
    /// The signature value verifies under the signer's key.
    SignatureValue,
    /// The signature time-stamp verifies.
    Timestamp,
    /// A path check of one certificate (RFC 5280 §6.1).
    Path(CheckKind),
}

impl CheckName {
    /// The stable identifier.
    pub fn id(self) -> &'static str {
        match self {
            CheckName::SignerCertificateFound => "signer_certificate_found",
            CheckName::SignedAttributes => "signed_attributes",
            CheckName::ContentDigest => "content_digest",
            CheckName::SigningCertificateReference => "signing_certificate_reference",
            CheckName::SignatureValue => "signature_value",
            CheckName::Timestamp => "timestamp",
            CheckName::Path(k) => match k {
                CheckKind::Signature => "issuer_signature",
                CheckKind::Validity => "validity_period",
                CheckKind::Revocation => "revocation",
                CheckKind::NameConstraints => "name_constraints",
                CheckKind::Policies => "certificate_policies",
                CheckKind::BasicConstraints => "basic_constraints",
                CheckKind::PathLength => "path_length",
                CheckKind::KeyUsage => "key_usage",
                CheckKind::ExtendedKeyUsage => "extended_key_usage",
                CheckKind::CriticalExtensions => "critical_extensions",
                CheckKind::Profile => "certificate_profile",
            },
        }
    }
}

impl Serialize for CheckName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// How a check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckResult {
    /// Passed.
    Passed,
    /// Failed.
    Failed,
    /// Passed with a warning (a tolerated deviation, a missing optional attribute).
    Warning,
    /// Not checked (an earlier step failed, or nothing to check with).
    NotChecked,
}

/// One check, in the order made.
#[derive(Debug, Clone, Serialize)]
pub struct ReportCheck {
    /// What.
    pub check: CheckName,
    /// For a path check, the certificate's index (0 = signer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<usize>,
    /// How it went.
    pub result: CheckResult,
    /// A detail, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<Message>,
}

/// A warning: the verdict stands, but a person should know.
#[derive(Debug, Clone, Serialize)]
pub struct ReportWarning {
    /// Stable identifier: `legacy_algorithm`, `revocation_unknown`, `revocation_not_checked`,
    /// `tolerated_quirk`, `signing_time_local`, `signing_time_ahead`, `timestamp_invalid`,
    /// `malformed_countersignature`, `timestamp_note`, `no_signing_certificate_reference`,
    /// `no_signing_time`.
    pub code: &'static str,
    /// The warning in both languages.
    #[serde(flatten)]
    pub message: Message,
}

/// What kind of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A certificate of a path (the signer's, a CA's, the anchor, a TSA's).
    Certificate,
    /// A CRL that decided a revocation status.
    Crl,
    /// An OCSP response that decided a revocation status.
    Ocsp,
}

/// One piece of evidence the verification relied on, kept as Circular 15/2025 asks.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceItem {
    /// What it is.
    pub kind: EvidenceKind,
    /// A certificate's subject, or the CRL issuer / OCSP responder.
    pub description: String,
    /// SHA-256 of the DER, hex: the key the signatures refer to it by.
    pub sha256: String,
    /// Where it came from (file or URL), when known.
    pub origin: Option<String>,
    /// The file it was saved to, relative to the evidence folder, once saved.
    pub file: Option<String>,
    /// The DER.
    #[serde(skip)]
    pub der: Arc<Vec<u8>>,
}

/// The file a report is about.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentInfo {
    /// The signature (or certificate) file.
    pub file: String,
    /// The detached content, when one was given.
    pub content: Option<String>,
}

/// The policy the verification ran under.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyInfo {
    /// `soft`, `hard` or `off`.
    pub revocation: RevocationMode,
    /// Whether SHA-1 and short RSA keys were accepted (as legacy).
    pub legacy_algorithms: bool,
    /// `shell` or `chain`.
    pub time_model: TimeModel,
    /// The time the caller fixed for judging, if any.
    pub judged_at: Option<Time>,
    /// `vietnam` (the named Vietnamese tolerances), `strict` (RFC 5280 as written) or
    /// `custom`.
    pub profile: &'static str,
}

/// A signer's role in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    /// Where the document says it: the element the signature sits in (`NBan`, `CQT`, …).
    pub code: String,
    /// The role in both languages.
    #[serde(flatten)]
    pub name: Message,
}

impl Role {
    /// The role of a signature placed in `DSCKS/<code>` of a Vietnamese e-invoice or tax
    /// message (Circular 78/2021 and the tax authority's message formats).
    pub fn of_dscks(code: &str) -> Role {
        let (en, vi) = match code {
            "NBan" => ("seller", "người bán"),
            "NMua" => ("buyer", "người mua"),
            "CQT" => ("tax authority", "cơ quan thuế"),
            "TTCQT" => ("head of the tax office", "thủ trưởng cơ quan thuế"),
            "NNT" => ("taxpayer", "người nộp thuế"),
            "TVAN" | "TCTN" => ("T-VAN service provider", "tổ chức cung cấp dịch vụ T-VAN"),
            "CCKSKhac" => ("other signer", "chữ ký số khác"),
            _ => ("signer", "người ký"),
        };
        Role {
            code: code.to_string(),
            name: Message::new(en, vi),
        }
    }
}

/// One signature (or, for a certificate report, the certificate) and everything found about it.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureReport {
    /// `S1`, `S2`… for signers; `S1-C1` for a countersignature on S1; `C` for a certificate.
    pub id: String,
    /// Its indication.
    pub indication: Indication,
    /// Why not TOTAL_PASSED.
    pub sub_indication: Option<SubIndication>,
    /// The reason, in both languages.
    pub reason: Option<Message>,
    /// The signer's role, where the document says it (an e-invoice's or a tax message's
    /// signature under `DSCKS/NBan` is the seller's, under `DSCKS/CQT` the tax authority's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The signer (the certificate's subject).
    pub signer: Option<Party>,
    /// The signer's identifiers (MST, CCCD…), name, organisation.
    pub identity: Option<Identity>,
    /// The managing organisation (cơ quan, tổ chức quản lý thuê bao): the subject's O.
    pub managing_organisation: Option<String>,
    /// The CA that issued the signer's certificate.
    pub issuing_ca: Option<Party>,
    /// `government`, `public` or `custom:<name>`.
    pub hierarchy: Option<String>,
    /// CAdES level (`B-B`, `B-T`, `B-LT`), for a signature.
    pub level: Option<Level>,
    /// signingTime as the signer wrote it.
    pub signing_time: Option<Time>,
    /// The signature time-stamp.
    pub timestamp: Option<TimestampInfo>,
    /// The time the certificate was judged at (the best signature time).
    pub judged_at: Time,
    /// Where that time came from.
    pub time_source: TimeSource,
    /// Whether the document is intact (digest and signature value).
    pub integrity: Outcome,
    /// Whether the signer's certificate (its path, validity and revocation) was valid at
    /// `judged_at`.
    pub valid_at_signing_time: Outcome,
    /// The signer's certificate's validity period.
    pub certificate_validity: Option<Period>,
    /// The path, signer first, anchor last.
    pub path: Vec<PathCertificate>,
    /// Every check in order.
    pub checks: Vec<ReportCheck>,
    /// Warnings.
    pub warnings: Vec<ReportWarning>,
    /// SHA-256 of the evidence items (in the report's `evidence`) this signature relied on.
    pub evidence: Vec<String>,
    /// Countersignatures on this signature.
    pub countersignatures: Vec<SignatureReport>,
    /// An XML signature's References, in order: what each covered and how its digest went.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<ReferenceReport>,
    /// A PDF signature's field, coverage, revision and what changed after it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf: Option<PdfSignatureInfo>,
}

/// What a PDF signature is and covers, as the report gives it.
#[derive(Debug, Clone, Serialize)]
pub struct PdfSignatureInfo {
    /// The signature field's fully qualified name.
    pub field: String,
    /// A signature or a document time-stamp.
    pub kind: crate::pdf::signature::SignatureKind,
    /// `/SubFilter` as written.
    pub sub_filter: Option<String>,
    /// `/ByteRange` as written.
    pub byte_range: Vec<i64>,
    /// The revision the signature covers, counting from 1 (the original document).
    pub revision: Option<usize>,
    /// How many revisions the file has.
    pub revisions: usize,
    /// How much of the file it covers.
    pub coverage: crate::pdf::signature::Coverage,
    /// `/M`: the signing time the signer's software wrote (a claim, not proof).
    pub claimed_time: Option<String>,
    /// A certification signature's DocMDP permission (1: no change; 2: form filling and
    /// signing; 3: also annotations).
    pub docmdp: Option<u8>,
    /// `/Reason`, `/Location`, `/Name` as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `/Location`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// What the revisions after the one it covers changed, each change classified.
    pub changes: Vec<crate::pdf::diff::Change>,
    /// The worst class of those changes (`none` when the signature covers the whole file).
    pub modification: crate::pdf::diff::Modification,
    /// The DSS has a VRI entry for this signature (validation data of its own).
    pub vri: bool,
    /// The form fields it locks (FieldMDP): a later change to one is not allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock: Option<crate::pdf::signature::FieldLock>,
}

/// What a PDF document is, beside its signatures.
#[derive(Debug, Clone, Serialize)]
pub struct PdfDocumentInfo {
    /// Its revisions' end offsets, oldest first.
    pub revisions: Vec<usize>,
    /// Signature fields without a signature.
    pub empty_fields: Vec<String>,
    /// The file's encryption (`"AES-256, revision 6"`), when it is encrypted: kyso opened it
    /// with the empty user password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption: Option<String>,
    /// What the reader read past (an xref reconstructed, an object not where the xref
    /// says).
    pub warnings: Vec<Message>,
}

/// One Reference of an XML signature, as the report gives it.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceReport {
    /// The URI as written (`None`: absent).
    pub uri: Option<String>,
    /// The local name of the element it covered (`None`: the whole document, or not resolved).
    pub covers: Option<String>,
    /// Where that element is (`/HDon/DLHDon`; `/` for the whole document).
    pub path: Option<String>,
    /// `Passed`: the digest matches; `Failed`: it does not (the covered data changed);
    /// `Undetermined`: it could not be computed (see `reason`).
    pub digest: Outcome,
    /// Why it could not be computed, or which reading of the enveloped transform matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Message>,
    /// For an enveloped-signature transform on a target inside its own Signature: the
    /// reading whose digest matched (`w3c` or `santuario`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enveloped_reading: Option<crate::xml::dsig::EnvelopedReading>,
}

/// The report of one verification.
#[derive(Debug, Clone, Serialize)]
pub struct ValidationReport {
    /// [`REPORT_SCHEMA`].
    pub schema: &'static str,
    /// What was verified.
    pub kind: ReportKind,
    /// The file, when the caller names it.
    pub document: Option<DocumentInfo>,
    /// When the verification ran.
    pub validation_time: Time,
    /// Overall indication: TOTAL_PASSED when every signature is valid (and there is one).
    pub indication: Indication,
    /// The first failing signature's sub-indication, or the file's.
    pub sub_indication: Option<SubIndication>,
    /// The reason, in both languages.
    pub reason: Option<Message>,
    /// The policy.
    pub policy: Option<PolicyInfo>,
    /// eContentType, dotted (CMS).
    pub content_type: Option<String>,
    /// Each signature.
    pub signatures: Vec<SignatureReport>,
    /// Every certificate, CRL and OCSP response relied on, once each.
    pub evidence: Vec<EvidenceItem>,
    /// What the evidence sources tried before the validation (URLs fetched, and how it
    /// went); absent when none was asked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fetched: Vec<crate::revocation::EvidenceNote>,
    /// XML: the parts of each signed invoice or message (the children of the element that
    /// holds `DSCKS`, e.g. `/HDon/DLQRCode`) that no signature covers — data an application
    /// must not take as signed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unsigned: Vec<String>,
    /// An edXML package's attachments, each with the report of its own signatures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentReport>,
    /// A PDF's revisions, empty signature fields and reading notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf: Option<PdfDocumentInfo>,
}

/// One attachment of a package (edXML) and what was found in it.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentReport {
    /// Its ContentId.
    pub content_id: Option<String>,
    /// Its name in the manifest; for a file taken out of a zipped attachment,
    /// `archive/path-in-the-archive`.
    pub name: Option<String>,
    /// For a file taken out of a zipped attachment, that attachment's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    /// Its media type in the manifest.
    pub content_type: Option<String>,
    /// Its size in bytes, when it could be decoded.
    pub size: Option<usize>,
    /// The report of its signatures, when it is a signed document kyso reads.
    pub report: Option<Box<ValidationReport>>,
    /// Otherwise, why not (not signed data, not decodable, zipped).
    pub note: Option<Message>,
}

/// What makes a file unverifiable, for [`ValidationReport::unreadable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// It could not be read (missing, no permission, a directory, too large).
    Io,
    /// It is not a signature kyso reads, or is malformed.
    Format,
    /// The signature is detached and its content was not found.
    ContentMissing,
}

impl ValidationReport {
    /// The report of a CMS verification made with `options`.
    pub fn from_cms(r: &CmsResult, options: &VerifyOptions) -> ValidationReport {
        let mut evidence = EvidenceSet::default();
        let signatures: Vec<SignatureReport> = r
            .signers
            .iter()
            .map(|s| signer_report(s, format!("S{}", s.index + 1), options, &mut evidence))
            .collect();
        let mut report = ValidationReport {
            schema: REPORT_SCHEMA,
            kind: ReportKind::Cms,
            document: None,
            validation_time: options.now,
            indication: r.verdict.into(),
            sub_indication: None,
            reason: None,
            policy: Some(policy_info(&options.path, options.at)),
            content_type: Some(r.content_type.dotted()),
            signatures,
            evidence: evidence.items,
            fetched: Vec::new(),
            unsigned: Vec::new(),
            attachments: Vec::new(),
            pdf: None,
        };
        if report.signatures.is_empty() {
            report.sub_indication = Some(SubIndication::FormatFailure);
            report.reason = Some(Message::new("the CMS holds no signer", "tệp CMS không chứa chữ ký nào"));
        } else if let Some(first) = report
            .signatures
            .iter()
            .find(|s| s.indication == report.indication && s.indication != Indication::TotalPassed)
        {
            report.sub_indication = first.sub_indication;
            report.reason = first.reason.clone().map(|m| Message {
                en: format!("{}: {}", first.id, m.en),
                vi: format!("{}: {}", first.id, m.vi),
            });
        }
        report
    }

    /// One report of several, each of one signature of the same document (a PDF's): the
    /// signatures numbered `S1`, `S2`… in order, the evidence once each, the indication the
    /// worst of theirs.
    pub fn merge(parts: Vec<ValidationReport>, options: &VerifyOptions, kind: ReportKind) -> ValidationReport {
        let mut report = ValidationReport::from_cms(
            &CmsResult {
                verdict: Verdict::Indeterminate,
                content_type: crate::oid::Oid::from_der_contents(crate::oid::CT_DATA),
                signers: Vec::new(),
            },
            options,
        );
        report.kind = kind;
        report.content_type = None;
        report.sub_indication = None;
        report.reason = None;
        let mut seen = std::collections::BTreeSet::new();
        for part in parts {
            for mut s in part.signatures {
                let n = report.signatures.len() + 1;
                renumber(&mut s, &format!("S{n}"));
                report.signatures.push(s);
            }
            for e in part.evidence {
                if seen.insert(e.sha256.clone()) {
                    report.evidence.push(e);
                }
            }
            report.fetched.extend(part.fetched);
        }
        report.recompute_indication();
        report
    }

    /// The indication, sub-indication and reason from the signatures': the worst indication,
    /// the first signature with it giving the reason.
    pub fn recompute_indication(&mut self) {
        let rank = |i: Indication| match i {
            Indication::TotalPassed => 0,
            Indication::Indeterminate => 1,
            Indication::TotalFailed => 2,
        };
        let Some(worst) = self.signatures.iter().map(|s| s.indication).max_by_key(|i| rank(*i)) else {
            return;
        };
        self.indication = worst;
        self.sub_indication = None;
        self.reason = None;
        if let Some(first) = self
            .signatures
            .iter()
            .find(|s| s.indication == worst && worst != Indication::TotalPassed)
        {
            self.sub_indication = first.sub_indication;
            self.reason = first.reason.clone().map(|m| Message {
                en: format!("{}: {}", first.id, m.en),
                vi: format!("{}: {}", first.id, m.vi),
            });
        }
    }

    /// The report of a path validation of `leaf` made with `options`.
    pub fn from_chain(leaf: &Certificate, r: &ChainResult, options: &PathOptions, now: Time) -> ValidationReport {
        let mut evidence = EvidenceSet::default();
        let mut s = empty_signature("C".into(), options.time, TimeSource::Caller);
        s.integrity = Outcome::NotApplicable;
        if options.time == now {
            s.time_source = TimeSource::ValidationTime;
        }
        describe_certificate(&mut s, leaf);
        describe_chain(&mut s, r, options.revocation.mode, &mut evidence);
        s.indication = r.verdict.into();
        if let Some(e) = &r.error {
            s.sub_indication = Some(SubIndication::of_path_error(e));
            s.reason = Some(Message::new(e.describe(), e.describe_vi()));
        }
        ValidationReport {
            schema: REPORT_SCHEMA,
            kind: ReportKind::Certificate,
            document: None,
            validation_time: now,
            indication: s.indication,
            sub_indication: s.sub_indication,
            reason: s.reason.clone(),
            policy: Some(policy_info(options, Some(options.time).filter(|t| *t != now))),
            content_type: None,
            signatures: vec![s],
            evidence: evidence.items,
            fetched: Vec::new(),
            unsigned: Vec::new(),
            attachments: Vec::new(),
            pdf: None,
        }
    }

    /// The report of a file that could not be verified: INDETERMINATE, with `detail` (English,
    /// usually an error's text) as the reason.
    pub fn unreadable(what: Unreadable, detail: &str, now: Time) -> ValidationReport {
        let (sub, en, vi) = match what {
            Unreadable::Io => (
                SubIndication::FormatFailure,
                format!("the file could not be read: {detail}"),
                format!("không đọc được tệp: {detail}"),
            ),
            Unreadable::Format => (
                SubIndication::FormatFailure,
                format!("not a signature kyso can read: {detail}"),
                format!("không phải chữ ký số mà kyso đọc được, hoặc sai cấu trúc: {detail}"),
            ),
            Unreadable::ContentMissing => (
                SubIndication::SignedDataNotFound,
                format!("the signed content is missing: {detail}"),
                format!("không tìm thấy nội dung đã ký: {detail}"),
            ),
        };
        ValidationReport {
            schema: REPORT_SCHEMA,
            kind: ReportKind::Unreadable,
            document: None,
            validation_time: now,
            indication: Indication::Indeterminate,
            sub_indication: Some(sub),
            reason: Some(Message { en, vi }),
            policy: None,
            content_type: None,
            signatures: Vec::new(),
            evidence: Vec::new(),
            fetched: Vec::new(),
            unsigned: Vec::new(),
            attachments: Vec::new(),
            pdf: None,
        }
    }

    /// Name the file the report is about.
    pub fn with_document(mut self, file: impl Into<String>, content: Option<String>) -> ValidationReport {
        self.document = Some(DocumentInfo {
            file: file.into(),
            content,
        });
        self
    }

    /// Save what Circular 15/2025 asks to keep into `dir` (created if needed): every
    /// certificate, CRL and OCSP response relied on (named by kind and SHA-256), this report
    /// as `report.json`, and its text in Vietnamese and English (`report.vi.txt`,
    /// `report.en.txt`). Each evidence item's `file` is set to the name it was saved under.
    #[cfg(feature = "fs")]
    pub fn save_evidence(&mut self, dir: &std::path::Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for item in &mut self.evidence {
            let ext = match item.kind {
                EvidenceKind::Certificate => "cer",
                EvidenceKind::Crl => "crl",
                EvidenceKind::Ocsp => "ocsp.der",
            };
            let kind = match item.kind {
                EvidenceKind::Certificate => "certificate",
                EvidenceKind::Crl => "crl",
                EvidenceKind::Ocsp => "ocsp",
            };
            let short = item.sha256.get(..16).unwrap_or(&item.sha256);
            let name = format!("{kind}-{short}.{ext}");
            std::fs::write(dir.join(&name), item.der.as_slice())?;
            item.file = Some(name);
        }
        let json = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(dir.join("report.json"), json + "\n")?;
        std::fs::write(
            dir.join("report.vi.txt"),
            super::text::render(self, super::text::Lang::Vi),
        )?;
        std::fs::write(
            dir.join("report.en.txt"),
            super::text::render(self, super::text::Lang::En),
        )?;
        Ok(())
    }
}

/// Evidence collected once each, by SHA-256.
#[derive(Default)]
struct EvidenceSet {
    items: Vec<EvidenceItem>,
    seen: BTreeMap<String, usize>,
}

impl EvidenceSet {
    fn add(
        &mut self,
        kind: EvidenceKind,
        description: String,
        sha256: String,
        origin: Option<String>,
        der: Arc<Vec<u8>>,
    ) -> String {
        if !self.seen.contains_key(&sha256) {
            self.seen.insert(sha256.clone(), self.items.len());
            self.items.push(EvidenceItem {
                kind,
                description,
                sha256: sha256.clone(),
                origin,
                file: None,
                der,
            });
        }
        sha256
    }

    fn certificate(&mut self, c: &Certificate) -> String {
        self.add(
            EvidenceKind::Certificate,
            c.subject().display(),
            c.sha256_hex(),
            None,
            Arc::new(c.der().to_vec()),
        )
    }
}

fn policy_info(p: &PathOptions, judged_at: Option<Time>) -> PolicyInfo {
    PolicyInfo {
        revocation: p.revocation.mode,
        legacy_algorithms: p.algorithms.allow_legacy,
        time_model: p.model,
        judged_at,
        profile: if p.tolerances == crate::path::Tolerances::VIETNAM && p.profile == crate::path::ProfileChecks::VIETNAM
        {
            "vietnam"
        } else if p.tolerances == crate::path::Tolerances::NONE && p.profile == crate::path::ProfileChecks::RFC5280 {
            "strict"
        } else {
            "custom"
        },
    }
}

fn empty_signature(id: String, judged_at: Time, time_source: TimeSource) -> SignatureReport {
    SignatureReport {
        id,
        indication: Indication::Indeterminate,
        sub_indication: None,
        reason: None,
        role: None,
        signer: None,
        identity: None,
        managing_organisation: None,
        issuing_ca: None,
        hierarchy: None,
        level: None,
        signing_time: None,
        timestamp: None,
        judged_at,
        time_source,
        integrity: Outcome::Undetermined,
        valid_at_signing_time: Outcome::Undetermined,
        certificate_validity: None,
        path: Vec::new(),
        checks: Vec::new(),
        warnings: Vec::new(),
        evidence: Vec::new(),
        countersignatures: Vec::new(),
        references: Vec::new(),
        pdf: None,
    }
}

fn describe_certificate(s: &mut SignatureReport, c: &Certificate) {
    let id = Identity::of(c);
    s.managing_organisation = organisation(&id);
    s.signer = Some(Party::of(c));
    s.identity = Some(id);
    s.certificate_validity = Some(Period {
        not_before: c.not_before(),
        not_after: c.not_after(),
    });
    // Until a path names the issuing CA's certificate, name it from the issuer field.
    s.issuing_ca = Some(Party {
        subject: c.issuer().display(),
        common_name: c.issuer().common_name(),
        organisation: None,
        serial: None,
        sha256: None,
    });
}

fn warn(s: &mut SignatureReport, code: &'static str, en: impl Into<String>, vi: impl Into<String>) {
    if !s.warnings.iter().any(|w| w.code == code) || code == "tolerated_quirk" || code == "timestamp_note" {
        s.warnings.push(ReportWarning {
            code,
            message: Message::new(en, vi),
        });
    }
}

fn legacy_warning(s: &mut SignatureReport, l: &LegacyReason, whose: (&str, &str)) {
    let (en, vi) = match l {
        LegacyReason::Sha1 => ("SHA-1".to_string(), "SHA-1".to_string()),
        LegacyReason::ShortRsaKey { bits } => (format!("an RSA key of {bits} bits"), format!("khóa RSA {bits} bit")),
    };
    warn(
        s,
        "legacy_algorithm",
        format!(
            "{} relies on {en}, accepted only under the legacy algorithm policy",
            whose.0
        ),
        format!(
            "{} dùng {vi}, chỉ được chấp nhận theo chính sách thuật toán cũ",
            whose.1
        ),
    );
}

fn describe_chain(s: &mut SignatureReport, r: &ChainResult, mode: RevocationMode, evidence: &mut EvidenceSet) {
    s.valid_at_signing_time = match r.verdict {
        Verdict::Valid => Outcome::Passed,
        Verdict::Invalid => Outcome::Failed,
        Verdict::Indeterminate => Outcome::Undetermined,
    };
    s.hierarchy = r.hierarchy.as_ref().map(crate::trust::Hierarchy::id);
    if let Some(ca) = r.path.get(1) {
        s.issuing_ca = Some(Party::of(ca));
    }
    let last = r.path.len().saturating_sub(1);
    for (index, c) in r.path.iter().enumerate() {
        // A valid path lists every status; a failed one has them in its checks (the
        // revocation check that decided it carries the status), up to where it stopped.
        let status = r.revocation.get(index).or_else(|| {
            r.checks
                .iter()
                .rev()
                .find(|k| k.index == index && k.check == crate::path::CheckKind::Revocation)
                .and_then(|k| k.status.as_ref())
        });
        let revocation = match status {
            _ if index == last && r.path.len() > 1 && r.hierarchy.is_some() => "anchor",
            Some(CertStatus::Good { .. }) => "good",
            Some(CertStatus::Revoked { .. }) => "revoked",
            Some(CertStatus::Unknown { .. }) => "unknown",
            Some(CertStatus::NotChecked) | None => "not_checked",
        };
        s.path.push(PathCertificate {
            index,
            subject: c.subject().display(),
            common_name: c.subject().common_name(),
            serial: c.serial_hex(),
            not_before: c.not_before(),
            not_after: c.not_after(),
            sha256: c.sha256_hex(),
            revocation,
        });
        s.evidence.push(evidence.certificate(c));
    }
    for status in &r.revocation {
        let source = match status {
            CertStatus::Good { source } | CertStatus::Revoked { source, .. } => source,
            _ => continue,
        };
        let kind = if source.kind == "ocsp" {
            EvidenceKind::Ocsp
        } else {
            EvidenceKind::Crl
        };
        let key = evidence.add(
            kind,
            source.issuer.clone(),
            source.sha256.clone(),
            source.origin.clone(),
            source.der.clone(),
        );
        if !s.evidence.contains(&key) {
            s.evidence.push(key);
        }
    }
    for c in &r.checks {
        let (result, detail) = match c.outcome {
            CheckOutcome::Passed => (CheckResult::Passed, None),
            CheckOutcome::Failed => (
                CheckResult::Failed,
                r.error.as_ref().map(|e| Message::new(e.describe(), e.describe_vi())),
            ),
            CheckOutcome::Tolerated => (
                CheckResult::Warning,
                c.quirk.as_ref().map(|q| Message::new(q.describe_en(), q.describe_vi())),
            ),
            CheckOutcome::NotChecked => (CheckResult::NotChecked, None),
        };
        // A revocation check is described from the status that decided it, not its note.
        let detail = detail.or_else(|| c.status.as_ref().and_then(revocation_detail));
        // §6.1.3 and §6.1.4 each log a policy step; a reader needs one line per outcome.
        if detail.is_none()
            && s.checks
                .iter()
                .any(|p| p.check == CheckName::Path(c.check) && p.certificate == Some(c.index) && p.result == result)
        {
            continue;
        }
        s.checks.push(ReportCheck {
            check: CheckName::Path(c.check),
            certificate: Some(c.index),
            result,
            detail,
        });
    }
    for (index, q) in &r.tolerated {
        quirk_warning(s, *index, q);
    }
    for l in &r.legacy {
        legacy_warning(s, l, ("the certificate path", "đường dẫn chứng thực"));
    }
    if r.verdict != Verdict::Invalid {
        match mode {
            RevocationMode::Off => warn(
                s,
                "revocation_not_checked",
                "revocation was not checked",
                "không kiểm tra tình trạng thu hồi chứng thư",
            ),
            RevocationMode::Soft | RevocationMode::Hard => {
                for (index, status) in r.revocation.iter().enumerate() {
                    if let CertStatus::Unknown { why } = status {
                        warn(
                            s,
                            "revocation_unknown",
                            format!(
                                "the revocation status of certificate #{index} could not be established ({why}); accepted because revocation is soft-fail"
                            ),
                            format!(
                                "không xác định được tình trạng thu hồi của chứng thư #{index} ({}); vẫn chấp nhận vì đang kiểm tra thu hồi ở chế độ mềm",
                                why.describe_vi()
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// What a revocation status says, in both languages.
fn revocation_detail(status: &CertStatus) -> Option<Message> {
    match status {
        CertStatus::Good { source } => Some(Message::new(
            format!("good per the {} of {}", source.kind.to_uppercase(), source.issuer),
            format!(
                "chưa bị thu hồi theo {} của {}",
                source.kind.to_uppercase(),
                source.issuer
            ),
        )),
        CertStatus::Unknown { why } => Some(Message::new(
            format!("soft-fail: {why}"),
            format!("chế độ mềm: {}", why.describe_vi()),
        )),
        CertStatus::NotChecked => Some(Message::new("revocation checking is off", "không kiểm tra thu hồi")),
        CertStatus::Revoked { .. } => None,
    }
}

fn quirk_warning(s: &mut SignatureReport, index: usize, q: &Quirk) {
    warn(
        s,
        "tolerated_quirk",
        format!(
            "certificate #{index}: {} (tolerated, VIETNAM-PKI quirk {})",
            q.describe_en(),
            q.number()
        ),
        format!(
            "chứng thư #{index}: {} (chấp nhận theo ngoại lệ đã biết của chứng thư Việt Nam, số {})",
            q.describe_vi(),
            q.number()
        ),
    );
}

fn signer_warning_code(w: &SignerWarning) -> &'static str {
    match w {
        SignerWarning::MalformedCountersignature { .. } => "malformed_countersignature",
        SignerWarning::TimestampInvalid { .. } => "timestamp_invalid",
        SignerWarning::SigningTimeLocal { .. } => "signing_time_local",
        SignerWarning::SigningTimeAhead { .. } => "signing_time_ahead",
    }
}

fn signer_report(r: &SignerResult, id: String, options: &VerifyOptions, evidence: &mut EvidenceSet) -> SignatureReport {
    let gen_time = match &r.timestamp {
        Some(Ok(t)) => Some(t.info.gen_time),
        _ => None,
    };
    let time_source = if options.at.is_some() {
        TimeSource::Caller
    } else if gen_time.is_some() {
        TimeSource::Timestamp
    } else if r.signing_time.is_some() {
        TimeSource::SigningTime
    } else {
        TimeSource::ValidationTime
    };
    let mut s = empty_signature(id.clone(), r.judged_at, time_source);
    s.level = Some(r.level);
    s.signing_time = r.signing_time;
    s.indication = r.verdict.into();
    s.timestamp = r.timestamp.as_ref().map(|t| match t {
        Ok(ts) => TimestampInfo {
            valid: true,
            gen_time: Some(ts.info.gen_time),
            tsa: Some(ts.tsa.subject().display()),
            hierarchy: ts.hierarchy.as_ref().map(crate::trust::Hierarchy::id),
            error: None,
        },
        Err(e) => TimestampInfo {
            valid: false,
            gen_time: None,
            tsa: None,
            hierarchy: None,
            error: Some(e.to_string()),
        },
    });
    if let Some(c) = &r.certificate {
        describe_certificate(&mut s, c);
    }

    // The signature-level checks, in the order cms::verify makes them; the first failure
    // stops the rest.
    use CheckResult::{Failed, NotChecked, Passed};
    let e = r.error.as_ref();
    let stage = match e {
        Some(SignerError::CertificateNotFound | SignerError::KeyInfo { .. }) => 0,
        Some(SignerError::BadAttributes { .. }) => 1,
        Some(SignerError::DigestMismatch) => 2,
        Some(SignerError::SigningCertificateMismatch) => 3,
        Some(SignerError::Signature(_)) => 4,
        Some(SignerError::UnverifiableReference { .. }) => 2,
        Some(SignerError::Pdf { .. }) if r.verdict == Verdict::Invalid => 2,
        Some(SignerError::Pdf { .. }) => 1,
        Some(SignerError::Chain(_)) | None => 5,
    };
    let at = |n: usize| match n.cmp(&stage) {
        std::cmp::Ordering::Less => Passed,
        std::cmp::Ordering::Equal => Failed,
        std::cmp::Ordering::Greater => NotChecked,
    };
    let mut push = |check: CheckName, result: CheckResult| {
        s.checks.push(ReportCheck {
            check,
            certificate: None,
            result,
            detail: None,
        })
    };
    push(CheckName::SignerCertificateFound, at(0));
    push(CheckName::SignedAttributes, at(1));
    push(CheckName::ContentDigest, at(2));
    let reference = match at(3) {
        Passed if !r.signing_certificate_bound => CheckResult::Warning,
        other => other,
    };
    push(CheckName::SigningCertificateReference, reference);
    push(CheckName::SignatureValue, at(4));
    if let Some(t) = &s.timestamp {
        push(CheckName::Timestamp, if t.valid { Passed } else { Failed });
    }
    s.integrity = match stage {
        0 | 1 => Outcome::Undetermined,
        2 => Outcome::Failed,
        3 => Outcome::Passed,
        4 if r.verdict == Verdict::Invalid => Outcome::Failed,
        4 => Outcome::Undetermined,
        _ => Outcome::Passed,
    };

    // The reason and sub-indication.
    let (sub, reason) = match e {
        None => (None, None),
        Some(SignerError::CertificateNotFound) => (
            Some(SubIndication::NoSigningCertificateFound),
            Some(Message::new(
                "the signer's certificate is neither in the signature nor among the certificates given",
                "không tìm thấy chứng thư của người ký trong chữ ký số hay trong các chứng thư được cung cấp",
            )),
        ),
        Some(SignerError::BadAttributes { what }) => (
            Some(SubIndication::FormatFailure),
            Some(Message::new(
                format!("the signed attributes are wrong: {what}"),
                format!("thuộc tính ký bị thiếu hoặc sai: {what}"),
            )),
        ),
        Some(SignerError::DigestMismatch) => (
            Some(SubIndication::HashFailure),
            Some(Message::new(
                "the content does not match the signed digest: it was changed after signing",
                "nội dung không khớp với giá trị băm đã ký: dữ liệu đã bị thay đổi sau khi ký",
            )),
        ),
        Some(SignerError::SigningCertificateMismatch) => (
            Some(SubIndication::SigConstraintsFailure),
            Some(Message::new(
                "the signingCertificate attribute names another certificate than the signer's",
                "thuộc tính signingCertificate trỏ tới một chứng thư khác với chứng thư của người ký",
            )),
        ),
        Some(SignerError::Signature(reason)) if r.verdict == Verdict::Invalid => (
            Some(SubIndication::SigCryptoFailure),
            Some(Message::new(
                format!("the signature value does not verify under the signer's key ({reason})"),
                "giá trị chữ ký không khớp với khóa công khai trong chứng thư của người ký",
            )),
        ),
        Some(SignerError::Signature(reason)) => (
            Some(SubIndication::CryptoConstraintsFailure),
            Some(Message::new(
                format!("the signature's algorithm or key is not accepted: {reason}"),
                format!("thuật toán chữ ký hoặc khóa không được chấp nhận: {reason}"),
            )),
        ),
        Some(SignerError::KeyInfo { reason }) => (
            Some(SubIndication::FormatFailure),
            Some(Message::new(
                format!("the signature's key information is inconsistent: {reason}"),
                format!("thông tin khóa trong chữ ký không nhất quán: {reason}"),
            )),
        ),
        Some(SignerError::UnverifiableReference { reason }) => (
            Some(SubIndication::SignedDataNotFound),
            Some(Message::new(
                format!("what the signature covers cannot be checked: {reason}"),
                format!("không kiểm tra được phần dữ liệu mà chữ ký bao phủ: {reason}"),
            )),
        ),
        Some(SignerError::Pdf { reason }) => (
            Some(SubIndication::FormatFailure),
            Some(Message::new(
                format!("the PDF signature cannot be verified as written: {reason}"),
                format!("không kiểm tra được chữ ký số trong tệp PDF như nó được ghi: {reason}"),
            )),
        ),
        Some(SignerError::Chain(pe)) => (
            Some(SubIndication::of_path_error(pe)),
            Some(Message::new(pe.describe(), pe.describe_vi())),
        ),
    };
    s.sub_indication = sub;
    s.reason = reason;

    if let Some(chain) = &r.chain {
        describe_chain(&mut s, chain, options.path.revocation.mode, evidence);
    }
    if let Some(Ok(ts)) = &r.timestamp {
        let key = evidence.certificate(&ts.tsa);
        if !s.evidence.contains(&key) {
            s.evidence.push(key);
        }
        for w in &ts.warnings {
            warn(&mut s, "timestamp_note", w.describe_en(), w.describe_vi());
        }
    }

    // Warnings.
    for w in &r.warnings {
        warn(&mut s, signer_warning_code(w), w.describe_en(), w.describe_vi());
    }
    if let Some(v) = &r.signature {
        for l in &v.legacy {
            legacy_warning(&mut s, l, ("the signature", "chữ ký"));
        }
    }
    if stage > 3 && !r.signing_certificate_bound {
        warn(
            &mut s,
            "no_signing_certificate_reference",
            "the signed attributes do not bind the signer's certificate (no ESS signingCertificate): not a CAdES signature",
            "thuộc tính ký không gắn với chứng thư của người ký (không có ESS signingCertificate): không phải chữ ký CAdES",
        );
    }
    if r.signing_time.is_none() && gen_time.is_none() && options.at.is_none() {
        warn(
            &mut s,
            "no_signing_time",
            "the signature carries no signing time: the certificate was judged at the validation time",
            "chữ ký không có thời điểm ký: chứng thư được kiểm tra tại thời điểm kiểm tra",
        );
    }
    s.countersignatures = r
        .countersignatures
        .iter()
        .map(|c| signer_report(c, format!("{id}-C{}", c.index + 1), options, evidence))
        .collect();
    s
}

/// Give `s` the identifier `id`, and its countersignatures `id-C1`….
fn renumber(s: &mut SignatureReport, id: &str) {
    s.id = id.to_string();
    for (i, c) in s.countersignatures.iter_mut().enumerate() {
        renumber(c, &format!("{id}-C{}", i + 1));
    }
}

/// What a PDF's later revisions did to a signature's verdict: a change it does not permit
/// makes it TOTAL_FAILED, a change kyso cannot place INDETERMINATE; a permitted change is
/// named in a warning; ranges that do not end at a revision are a warning too.
pub fn judge_pdf_changes(
    s: &mut SignatureReport,
    sig: &crate::pdf::signature::PdfSignature,
    changes: &[crate::pdf::diff::Change],
    worst: crate::pdf::diff::Modification,
) {
    use crate::pdf::diff::Modification;
    use crate::pdf::signature::Coverage;
    let list = |class: Modification| -> String {
        changes
            .iter()
            .filter(|c| c.class == class)
            .take(5)
            .map(|c| format!("{} {} {} (revision {})", c.what, c.object, c.how, c.revision))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let good = s.indication == Indication::TotalPassed;
    match worst {
        Modification::NotAllowed => {
            if s.indication != Indication::TotalFailed {
                s.indication = Indication::TotalFailed;
                s.sub_indication = Some(SubIndication::FormatFailure);
                let what = list(Modification::NotAllowed);
                s.reason = Some(Message::new(
                    format!("the document was changed after this signature in a way it does not permit: {what}"),
                    format!("tài liệu đã bị thay đổi sau chữ ký này theo cách chữ ký không cho phép: {what}"),
                ));
            }
        }
        Modification::Undefined => {
            if good {
                s.indication = Indication::Indeterminate;
                s.sub_indication = Some(SubIndication::SigConstraintsFailure);
                let what = list(Modification::Undefined);
                // The later revisions could not be read: the warning says why.
                let unread = s.warnings.iter().find(|w| w.code == "pdf_changes_unknown");
                let (en, vi) = match unread {
                    Some(w) if what.is_empty() => (w.message.en.clone(), w.message.vi.clone()),
                    _ => (what.clone(), what),
                };
                s.reason = Some(Message::new(
                    format!("the document was changed after this signature, and kyso cannot tell whether the change is permitted: {en}"),
                    format!("tài liệu đã bị thay đổi sau chữ ký này và kyso không xác định được thay đổi đó có được phép hay không: {vi}"),
                ));
            }
        }
        Modification::None => {}
        permitted => {
            let what = list(permitted);
            let (en, vi) = match permitted {
                Modification::FormFilling => ("form fields filled in", "điền biểu mẫu"),
                Modification::Annotations => ("annotations added", "thêm chú thích"),
                _ => (
                    "signatures, time-stamps or validation data added",
                    "thêm chữ ký, dấu thời gian hoặc dữ liệu kiểm tra",
                ),
            };
            s.warnings.push(ReportWarning {
                code: "pdf_changed_after_signing",
                message: Message::new(
                    format!("the document was changed after this signature in a permitted way ({en}): {what}"),
                    format!("tài liệu đã được thay đổi sau chữ ký này theo cách được phép ({vi}): {what}"),
                ),
            });
        }
    }
    if sig.coverage == Coverage::Unclear && sig.byte_range.is_ok() && s.indication == Indication::TotalPassed {
        s.indication = Indication::Indeterminate;
        s.sub_indication = Some(SubIndication::FormatFailure);
        s.reason = Some(Message::new(
            "the signed ranges do not end where a revision of the document ends: what follows them is not accounted for",
            "phần dữ liệu được ký không kết thúc tại cuối một phiên bản của tài liệu: phần phía sau không được xác định",
        ));
    }
}
