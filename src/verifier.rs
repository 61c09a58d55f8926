//! The one entry point every outer layer calls: a [`Verifier`] holds a trust store, a
//! [`Policy`], a crypto provider and its evidence sources; [`Verifier::verify`] detects the
//! format of a signed input, verifies every signature in it and returns the one
//! [`ValidationReport`]; [`Verifier::verify_chain`] does the same for a certificate.
//!
//! The CLI, the C API and the Python binding build a Verifier from their options and call it;
//! none of them repeats the sequence policy → evidence → verify → report.

use std::io::Read;
use std::sync::Arc;

use crate::cert::Certificate;
use crate::cms::{self, CmsError, SignedData, VerifyOptions};
use crate::crypto::{self, CryptoProvider};
use crate::path::PathOptions;
use crate::policy::Policy;
use crate::report::{Unreadable, ValidationReport};
use crate::revocation::{EvidenceNote, RevocationEvidence, RevocationMode};
use crate::time::Time;
use crate::trust::TrustStore;

/// The formats [`Verifier::verify`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Format {
    /// CMS / PKCS#7 SignedData, CAdES (DER, BER or PEM).
    Cms,
    /// An XML document (XML-DSig, XAdES).
    Xml,
    /// A PDF document (PAdES).
    Pdf,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Cms => "CMS",
            Format::Xml => "XML",
            Format::Pdf => "PDF",
        })
    }
}

impl Format {
    /// What `input` looks like: XML when it starts (after a byte-order mark and white space)
    /// with `<`, PDF when `%PDF-` appears in its first kilobyte (as readers accept), CMS
    /// otherwise (the CMS reader then decides).
    pub fn detect(input: &[u8]) -> Format {
        let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        let first = body.iter().position(|b| !b.is_ascii_whitespace());
        if first.and_then(|i| body.get(i)) == Some(&b'<') {
            return Format::Xml;
        }
        let head = input.get(..input.len().min(1024)).unwrap_or(input);
        if head.windows(5).any(|w| w == b"%PDF-") {
            return Format::Pdf;
        }
        Format::Cms
    }
}

/// A file that could not be read, as a verification error.
fn read_error(path: &std::path::Path, e: std::io::Error) -> VerifyError {
    VerifyError::Content {
        kind: e.kind(),
        detail: format!("{}: {e}", path.display()),
    }
}

/// A PDF that cannot be read, as a verification error.
fn pdf_malformed(e: crate::pdf::PdfError) -> VerifyError {
    VerifyError::Malformed {
        format: Format::Pdf,
        detail: e.to_string(),
    }
}

/// Why an input could not be verified at all (a verification that ran is a report, whatever
/// its verdict).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The input is of a format this version of kyso recognises but does not verify yet.
    Unsupported {
        /// The format.
        format: Format,
    },
    /// The input is not a well-formed signature of its format.
    Malformed {
        /// The format.
        format: Format,
        /// Why, as the format's reader says.
        detail: String,
    },
    /// The signature is detached and no content was given.
    ContentMissing,
    /// The content could not be read.
    Content {
        /// The kind of failure.
        kind: std::io::ErrorKind,
        /// Its text.
        detail: String,
    },
    /// The content is over a limit.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::Unsupported { format } => {
                write!(f, "{format} signatures are not verified by this version of kyso")
            }
            VerifyError::Malformed { format, detail } => write!(f, "not a well-formed {format} signature: {detail}"),
            VerifyError::ContentMissing => write!(f, "the signature is detached and no content was given"),
            VerifyError::Content { detail, .. } => write!(f, "reading the content: {detail}"),
            VerifyError::TooLarge { limit } => write!(f, "the content is over the {limit}-byte limit"),
        }
    }
}

impl VerifyError {
    /// The INDETERMINATE report of an input that could not be verified at all.
    pub fn report(&self, now: Time) -> ValidationReport {
        let what = match self {
            VerifyError::ContentMissing => Unreadable::ContentMissing,
            VerifyError::Content { .. } => Unreadable::Io,
            _ => Unreadable::Format,
        };
        ValidationReport::unreadable(what, &self.to_string(), now)
    }
}

impl std::error::Error for VerifyError {}

impl From<CmsError> for VerifyError {
    fn from(e: CmsError) -> Self {
        match e {
            CmsError::ContentMissing => VerifyError::ContentMissing,
            CmsError::Io { kind, detail } => VerifyError::Content { kind, detail },
            CmsError::ContentTooLarge { limit } => VerifyError::TooLarge { limit },
            other => VerifyError::Malformed {
                format: Format::Cms,
                detail: other.to_string(),
            },
        }
    }
}

pub use crate::cms::Reopen;

/// The signed content of a detached signature.
pub enum Content<'a> {
    /// None given: the content is inside the signature (or missing).
    Attached,
    /// In memory.
    Bytes(&'a [u8]),
    /// Streamed, from a source that can be opened again (a file).
    Stream(Box<Reopen<'a>>),
    /// Streamed, with its digests computed by the caller: `digest(algorithm)` gives the
    /// content's digest under that algorithm or `None`, and `stream` is read for the others
    /// (and by a signer that signs the content itself).
    Digested {
        /// The content's digest under an algorithm, where the caller has it.
        digest: &'a crate::cms::KnownDigest<'a>,
        /// The content, for what `digest` does not give.
        stream: Box<Reopen<'a>>,
    },
}

/// The times of one verification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct When {
    /// Judge every chain at this time; `None`: each signature at its time-stamp or signing
    /// time (the Vietnamese rule), else at `now`.
    pub at: Option<Time>,
    /// The present time; `None`: the system clock.
    pub now: Option<Time>,
}

/// Verifies signatures under one trust store and one policy. Build it once and share it
/// (it is `Send + Sync`): every call reuses the store's verified CA signatures.
#[derive(Clone)]
pub struct Verifier {
    store: Arc<TrustStore>,
    pool: Vec<Certificate>,
    policy: Policy,
    provider: &'static dyn CryptoProvider,
    given: Arc<RevocationEvidence>,
    sources: Vec<Arc<dyn EvidenceSource>>,
    /// Certificates decoded before (shared by clones): a batch decodes each seller's
    /// certificate and its CA once.
    certificates: Arc<crate::cert::CertificateCache>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("anchors", &self.store.anchors().len())
            .field("pool", &self.pool.len())
            .field("policy", &self.policy)
            .field("sources", &self.sources.len())
            .finish()
    }
}

impl Verifier {
    /// A verifier over `store` under `policy`, with the default crypto provider, no untrusted
    /// certificates beyond those a signature carries, and no evidence beyond what it carries.
    pub fn new(store: TrustStore, policy: Policy) -> Verifier {
        Verifier::with_shared_store(Arc::new(store), policy)
    }

    /// [`Verifier::new`] over a store shared with other verifiers (and its cache of verified
    /// CA signatures with them).
    pub fn with_shared_store(store: Arc<TrustStore>, policy: Policy) -> Verifier {
        Verifier {
            store,
            pool: Vec::new(),
            policy,
            provider: crypto::default_provider(),
            given: Arc::new(RevocationEvidence::default()),
            sources: Vec::new(),
            certificates: Arc::default(),
        }
    }

    /// Both Vietnamese hierarchies under [`Policy::vietnam`].
    pub fn vietnam() -> Verifier {
        Verifier::new(TrustStore::vietnam(), Policy::vietnam())
    }

    /// Untrusted certificates that may complete paths.
    #[must_use]
    pub fn with_pool(mut self, certs: impl IntoIterator<Item = Certificate>) -> Verifier {
        self.pool.extend(certs);
        self
    }

    /// Revocation evidence given by the caller (CRLs, OCSP responses), used by every call.
    #[must_use]
    pub fn with_evidence(mut self, evidence: RevocationEvidence) -> Verifier {
        Arc::make_mut(&mut self.given).merge(&evidence);
        self
    }

    /// A source asked, before each validation, for what the path may need (the HTTP fetcher,
    /// a cache, a repository of evidence). Sources are asked in the order added, unless the
    /// policy turns revocation off.
    #[must_use]
    pub fn with_source(mut self, source: impl EvidenceSource + 'static) -> Verifier {
        self.sources.push(Arc::new(source));
        self
    }

    /// Another crypto provider.
    #[must_use]
    pub fn with_provider(mut self, provider: &'static dyn CryptoProvider) -> Verifier {
        self.provider = provider;
        self
    }

    /// The trust store.
    pub fn store(&self) -> &TrustStore {
        &self.store
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Verify every signature of `input` (its format detected) now, each chain judged at its
    /// signature's time. See [`Verifier::verify_at`].
    pub fn verify(&self, input: &[u8], content: Content<'_>) -> Result<ValidationReport, VerifyError> {
        self.verify_at(input, content, When::default())
    }

    /// Verify every signature of `input`: detect the format, check each signature's
    /// integrity, validate each signer's chain against the store under the policy at the time
    /// `when` says, with the evidence the signature carries, the caller gave and the sources
    /// find. An input that is not a signature, or whose content is missing, is an error; a
    /// verification that ran is a report, whatever its verdict.
    pub fn verify_at(&self, input: &[u8], content: Content<'_>, when: When) -> Result<ValidationReport, VerifyError> {
        match Format::detect(input) {
            Format::Cms => self.verify_cms(
                SignedData::from_bytes_with(input, Some(&self.certificates))?,
                content,
                when,
            ),
            Format::Xml => self.verify_xml(input, when, 0),
            Format::Pdf => self.verify_pdf(input, when),
        }
    }

    /// Each attachment of an edXML package, handed back to the verifier (an attachment that is
    /// itself a package is verified, its own attachments are not opened: one level down). The
    /// package is TOTAL_PASSED only if every signature in it — the header's and the signed
    /// attachments' — is.
    fn attach(
        &self,
        report: &mut ValidationReport,
        list: Vec<crate::xml::edxml::Attachment>,
        when: When,
        depth: usize,
    ) {
        use crate::report::{AttachmentReport, Indication, Message};
        for a in list {
            let (inner, note) = match &a.data {
                Err(e) => (
                    None,
                    Some(Message::new(e.to_string(), format!("không đọc được tệp đính kèm: {e}"))),
                ),
                Ok(bytes) => {
                    let inner = match Format::detect(bytes) {
                        Format::Xml if depth > 0 => Err(None),
                        Format::Xml => self.verify_xml(bytes, when, depth + 1).map_err(Some),
                        // A CMS signature starts with a SEQUENCE; anything else is a document
                        // that carries no signature kyso reads (a .docx, a .txt).
                        Format::Cms if bytes.first() != Some(&0x30) => Err(None),
                        _ => self.verify_at(bytes, Content::Attached, when).map_err(Some),
                    };
                    match inner {
                        Ok(r) => (Some(Box::new(r)), None),
                        Err(None) => (
                            None,
                            Some(Message::new(
                                "not a signed document kyso reads: its content is not signed data",
                                "không phải tài liệu có chữ ký số mà kyso đọc được: nội dung không phải dữ liệu đã ký",
                            )),
                        ),
                        Err(Some(e)) => {
                            let r = e.report(when.now.unwrap_or_else(Time::now));
                            (Some(Box::new(r)), None)
                        }
                    }
                }
            };
            report.attachments.push(AttachmentReport {
                content_id: a.content_id,
                name: a.name,
                archive: a.archive,
                content_type: a.content_type,
                size: a.data.as_ref().map(Vec::len).ok(),
                report: inner,
                note,
            });
        }
        // The package's verdict: the worst of its signatures' and its signed attachments'.
        let worse = |a: Indication, b: Indication| match (a, b) {
            (Indication::TotalFailed, _) | (_, Indication::TotalFailed) => Indication::TotalFailed,
            (Indication::Indeterminate, _) | (_, Indication::Indeterminate) => Indication::Indeterminate,
            _ => Indication::TotalPassed,
        };
        let header = (!report.signatures.is_empty()).then_some(report.indication);
        let worst = report
            .attachments
            .iter()
            .filter_map(|a| a.report.as_ref().map(|r| r.indication))
            .chain(header)
            .reduce(worse);
        if let Some(w) = worst {
            if w != report.indication {
                let first = report
                    .attachments
                    .iter()
                    .find(|a| a.report.as_ref().is_some_and(|r| r.indication == w));
                report.indication = w;
                if let Some(a) = first {
                    let name = a.name.clone().or(a.content_id.clone()).unwrap_or_default();
                    report.sub_indication = a.report.as_ref().and_then(|r| r.sub_indication);
                    report.reason = Some(Message::new(
                        format!(
                            "the attachment {name}: {}",
                            a.report
                                .as_ref()
                                .and_then(|r| r.reason.as_ref())
                                .map(|m| m.en.clone())
                                .unwrap_or_default()
                        ),
                        format!(
                            "tệp đính kèm {name}: {}",
                            a.report
                                .as_ref()
                                .and_then(|r| r.reason.as_ref())
                                .map(|m| m.vi.clone())
                                .unwrap_or_default()
                        ),
                    ));
                }
            }
        }
    }

    /// [`Verifier::verify_at`] on an XML document: each ds:Signature's References and
    /// SignatureValue (kyso::xml::dsig), then its signer's chain at the time claimed by its
    /// SigningTime (or `when.at`, or now) under the policy, with the certificates its KeyInfo
    /// carries as the untrusted pool.
    fn verify_xml(&self, input: &[u8], when: When, depth: usize) -> Result<ValidationReport, VerifyError> {
        use crate::cms::{CmsResult, Level, SignerError, SignerResult};
        use crate::path::Verdict;
        use crate::xml::dsig::{self, ReferenceError, SignatureError};
        let now = when.now.unwrap_or_else(Time::now);
        let malformed = |e: crate::xml::XmlError| VerifyError::Malformed {
            format: Format::Xml,
            detail: e.to_string(),
        };
        // Read once: the signatures and, for an edXML package, its attachments.
        let text = crate::xml::text(input).map_err(malformed)?;
        let doc = crate::xml::parse(text).map_err(malformed)?;
        let checks = dsig::check_parsed(
            &doc,
            input.len() - text.len(),
            self.provider,
            self.policy.algorithms(),
            &self.pool,
            dsig::Leniency {
                edxml_exclusive_c14n_uri: self.policy.tolerances().edxml_exclusive_c14n_uri,
                santuario_enveloped: self.policy.tolerances().santuario_enveloped,
            },
        );
        let attachments = crate::xml::edxml::attachments(&doc);
        drop(doc);
        let options = VerifyOptions {
            path: self.policy.path_options(now, self.given.clone()),
            at: when.at,
            now,
            timestamps: false,
        };
        let mut signers = Vec::new();
        for (index, c) in checks.iter().enumerate() {
            let claimed = c.signing_time.map(|t| t.time);
            // XAdES B-T: a valid SignatureTimeStamp proves the signature existed at genTime,
            // where its chain is then judged (as for CAdES).
            let mut pool: Vec<Certificate> = self.pool.clone();
            pool.extend(c.certificates.iter().cloned());
            if let Some(x) = &c.xades {
                pool.extend(x.certificate_values.iter().cloned());
            }
            let timestamp = c
                .xades
                .as_ref()
                .and_then(|x| x.signature_timestamps.first())
                .filter(|_| self.policy.timestamps())
                .map(|(token, octets)| {
                    crate::cms::tsp::verify_token_over(
                        token,
                        octets,
                        None,
                        &self.store,
                        &pool,
                        &options.path,
                        self.provider,
                    )
                });
            let gen_time = timestamp
                .as_ref()
                .and_then(|t| t.as_ref().ok())
                .map(|t| t.info.gen_time);
            let judged_at = when.at.or(gen_time).or(claimed).unwrap_or(now);
            let level = match (&c.xades, &timestamp) {
                (Some(x), Some(_)) if x.carries_validation_data() => Level::BLT,
                (Some(_), Some(_)) => Level::BT,
                _ => Level::BB,
            };
            let mut r = SignerResult::start(index, Verdict::Indeterminate, claimed, judged_at, level);
            if let Some(Err(e)) = &timestamp {
                r.warnings
                    .push(crate::cms::SignerWarning::TimestampInvalid { error: e.to_string() });
            }
            r.timestamp = timestamp;
            // The signed data first: a reference that differs means the document changed.
            let mut refs = c.references.iter().map(|x| &x.digest_matches);
            if c.references.is_empty() {
                r.error = Some(SignerError::UnverifiableReference {
                    reason: "the signature has no Reference".into(),
                });
            } else if refs.clone().any(|m| *m == Ok(false)) {
                r.verdict = Verdict::Invalid;
                r.error = Some(SignerError::DigestMismatch);
            } else if let Some(Err(e)) = refs.find(|m| m.is_err()) {
                r.error = Some(match e {
                    ReferenceError::UnsupportedDigest(d) => {
                        SignerError::Signature(crate::CryptoError::UnsupportedAlgorithm { oid: d.clone() })
                    }
                    other => SignerError::UnverifiableReference {
                        reason: other.to_string(),
                    },
                });
            }
            // XAdES: the signed properties must be signed, and the signing certificate they
            // name must be the one that verifies.
            if let (None, Some(x)) = (&r.error, &c.xades) {
                if !x.signed_properties_covered {
                    r.error = Some(SignerError::BadAttributes {
                        what: "the XAdES SignedProperties are not covered by a Reference of SignedInfo".into(),
                    });
                } else if let Ok((cert, _)) = &c.signature {
                    let named = x
                        .signing_certificate
                        .iter()
                        .any(|(h, d)| self.provider.digest(*h, cert.der()) == *d);
                    if named {
                        r.signing_certificate_bound = true;
                    } else if !x.signing_certificate.is_empty() {
                        r.verdict = Verdict::Invalid;
                        r.error = Some(SignerError::SigningCertificateMismatch);
                    }
                }
            }
            if r.error.is_none() {
                match &c.signature {
                    Ok((cert, verified)) => {
                        r.certificate = Some(cert.clone());
                        r.signature = Some(verified.clone());
                        let mut po = options.path.clone();
                        po.time = judged_at;
                        let mut pool = pool.clone();
                        pool.retain(|x| x != cert);
                        // B-LT: the revocation values the signature carries count as evidence.
                        let carried = c.xades.as_ref().map(|x| {
                            let mut ev = crate::revocation::RevocationEvidence::from_crls(
                                x.crl_values
                                    .iter()
                                    .filter_map(|d| crate::revocation::Crl::from_bytes(d).ok())
                                    .collect(),
                            );
                            ev.ocsp.extend(
                                x.ocsp_values
                                    .iter()
                                    .filter_map(|d| crate::revocation::OcspResponse::from_der(d).ok())
                                    .map(Arc::new),
                            );
                            ev
                        });
                        let mut evidence = (*self.given).clone();
                        if let Some(ev) = &carried {
                            evidence.merge(ev);
                        }
                        if self.gathers() {
                            let _ = self.gather(cert, &mut pool, &po, &mut evidence);
                        }
                        po.revocation.evidence = Arc::new(evidence);
                        let chain = crate::path::verify_chain(cert, &pool, &self.store, &po, self.provider);
                        r.verdict = chain.verdict;
                        r.error = chain.error.clone().map(SignerError::Chain);
                        r.chain = Some(chain);
                    }
                    // A wrong value is INVALID; an algorithm or key the policy refuses
                    // (SHA-1 without --legacy, a short key) is INDETERMINATE, as for CMS.
                    Err(SignatureError::BadSignature(e)) => {
                        if *e == crate::CryptoError::BadSignature {
                            r.verdict = Verdict::Invalid;
                        }
                        r.error = Some(SignerError::Signature(e.clone()));
                    }
                    Err(SignatureError::NoCertificate) => r.error = Some(SignerError::CertificateNotFound),
                    Err(e @ SignatureError::KeyValueMismatch) => {
                        r.error = Some(SignerError::KeyInfo { reason: e.to_string() })
                    }
                    Err(SignatureError::UnsupportedKey(e)) => r.error = Some(SignerError::Signature(e.clone())),
                    Err(e) => {
                        r.error = Some(SignerError::Signature(crate::CryptoError::UnsupportedAlgorithm {
                            oid: e.to_string(),
                        }))
                    }
                }
            }
            signers.push(r);
        }
        let verdict = Verdict::of_all(signers.iter().map(|r| r.verdict));
        let r = CmsResult {
            verdict,
            content_type: crate::Oid::from_der_contents(crate::oid::CT_DATA),
            signers,
        };
        let mut report = ValidationReport::from_cms(&r, &options);
        report.kind = crate::report::ReportKind::Xml;
        report.content_type = None;
        // What is CAdES-only in the CMS report (signed attributes, ESS binding, the level)
        // does not apply to XML-DSig; a SigningTime without a zone is said to be read as
        // Vietnam time.
        for (s, c) in report.signatures.iter_mut().zip(&checks) {
            use crate::report::{CheckName, ReportWarning};
            s.role = c.dscks_slot.as_deref().map(crate::report::Role::of_dscks);
            // XAdES has signed properties, a signing-certificate reference and a level (B-B,
            // B-T, B-LT); plain XML-DSig has none of them.
            if c.xades.is_none() {
                s.level = None;
                s.checks.retain(|k| {
                    !matches!(
                        k.check,
                        CheckName::SignedAttributes | CheckName::SigningCertificateReference
                    )
                });
                s.warnings.retain(|w| w.code != "no_signing_certificate_reference");
            }
            // What an e-invoice's signatures must cover (Circular 78/2021): the seller's and
            // the buyer's the invoice data DLHDon, the tax authority's also its code MCCQT —
            // the invoice's own (beside the DSCKS that holds the signature), not an element of
            // that name placed elsewhere (signature wrapping).
            let covered = |path: &str| {
                c.references.iter().any(|x| {
                    x.digest_matches == Ok(true) && x.covered_path.as_deref().is_some_and(|p| covers_path(p, path))
                })
            };
            let must: &[&str] = match c.dscks_slot.as_deref() {
                Some("NBan" | "NMua") => &["DLHDon"],
                Some("CQT") => &["DLHDon", "MCCQT"],
                _ => &[],
            };
            if let Some((holder, parts)) = &c.signed_document {
                for name in must {
                    let Some(path) = parts.iter().find(|p| last_step(p) == *name) else {
                        continue;
                    };
                    if covered(path) {
                        continue;
                    }
                    let elsewhere = c
                        .references
                        .iter()
                        .filter(|x| x.covers.as_deref() == Some(name) && x.digest_matches == Ok(true))
                        .filter_map(|x| x.covered_path.clone())
                        .next();
                    s.warnings.push(ReportWarning {
                        code: "vn_coverage",
                        message: match elsewhere {
                            Some(other) => crate::report::Message::new(
                                format!("this signature covers {other}, not {path} of the document it sits in ({holder}): the signed {name} is not the one the document shows"),
                                format!("chữ ký này bao phủ {other}, không phải {path} của tài liệu chứa nó ({holder}): phần {name} được ký không phải phần tài liệu hiển thị"),
                            ),
                            None => crate::report::Message::new(
                                format!("this signature does not cover {path}, which its role must sign"),
                                format!("chữ ký này không bao phủ {path}, phần mà vai trò của nó phải ký"),
                            ),
                        },
                    });
                }
            }
            // The party's tax code in the invoice is the signer's (NBan/MST, NMua/MST).
            if let (Some(mst), Ok((cert, _))) = (&c.party_tax_code, &c.signature) {
                if !crate::vn::Identity::of(cert).has_tax_code(mst) {
                    s.warnings.push(ReportWarning {
                        code: "vn_tax_code_mismatch",
                        message: crate::report::Message::new(
                            format!("the invoice gives this party the tax code {mst}, which the signer's certificate does not carry"),
                            format!("hóa đơn ghi mã số thuế {mst} cho bên này, nhưng chứng thư của người ký không mang mã số thuế đó"),
                        ),
                    });
                }
            }
            if c.edxml_c14n_uri {
                s.warnings.push(ReportWarning {
                    code: "tolerated_quirk",
                    message: crate::report::Message::new(
                        "the signature names exclusive C14N by edXML's URI http://www.w3.org/TR/xml-exc-c14n#, not the W3C one; read as Exclusive C14N 1.0 (a tolerance of the Vietnamese policy)",
                        "chữ ký ghi phép chuẩn hóa exclusive C14N bằng URI của edXML (http://www.w3.org/TR/xml-exc-c14n#) thay cho URI của W3C; được hiểu là Exclusive C14N 1.0 (dung sai của chính sách Việt Nam)",
                    ),
                });
            }
            s.references = c
                .references
                .iter()
                .map(|x| crate::report::ReferenceReport {
                    uri: x.uri.clone(),
                    covers: x.covers.clone(),
                    path: x.covered_path.clone(),
                    digest: match x.digest_matches {
                        Ok(true) => crate::report::Outcome::Passed,
                        Ok(false) => crate::report::Outcome::Failed,
                        Err(_) => crate::report::Outcome::Undetermined,
                    },
                    reason: x.digest_matches.as_ref().err().map(|e| {
                        crate::report::Message::new(
                            e.to_string(),
                            format!("không tính được giá trị băm của tham chiếu: {e}"),
                        )
                    }),
                    enveloped_reading: x.enveloped_reading,
                })
                .collect();
            if c.references
                .iter()
                .any(|x| x.enveloped_reading == Some(dsig::EnvelopedReading::Santuario))
            {
                s.warnings.push(ReportWarning {
                    code: if self.policy.tolerances().santuario_enveloped {
                        "tolerated_quirk"
                    } else {
                        "santuario_enveloped"
                    },
                    message: if self.policy.tolerances().santuario_enveloped {
                        crate::report::Message::new(
                            "a Reference inside its own Signature runs the enveloped-signature transform; it matches under Apache Santuario's reading (the target digested whole), not the W3C one (nothing digested): accepted as a tolerance of the Vietnamese policy",
                            "một tham chiếu nằm trong chính chữ ký của nó dùng phép biến đổi enveloped-signature; giá trị băm khớp theo cách hiểu của Apache Santuario (băm toàn bộ phần được tham chiếu), không theo cách hiểu của W3C (không băm gì): được chấp nhận như một dung sai của chính sách Việt Nam",
                        )
                    } else {
                        crate::report::Message::new(
                            "a Reference inside its own Signature runs the enveloped-signature transform; it matches only under Apache Santuario's reading, which the strict policy does not accept",
                            "một tham chiếu nằm trong chính chữ ký của nó dùng phép biến đổi enveloped-signature; giá trị băm chỉ khớp theo cách hiểu của Apache Santuario, điều mà chính sách nghiêm ngặt không chấp nhận",
                        )
                    },
                });
            }
            if c.signing_time.is_some_and(|t| !t.zoned) {
                s.warnings.push(ReportWarning {
                    code: "signing_time_local",
                    message: crate::report::Message::new(
                        "the SigningTime has no time zone: read as Vietnam time (UTC+7); it is the signer's claim",
                        "SigningTime không ghi múi giờ: được hiểu là giờ Việt Nam (UTC+7); đây là thời điểm do người ký khai",
                    ),
                });
            }
        }
        // The parts of each signed invoice or message that no signature covers.
        let mut unsigned: Vec<String> = Vec::new();
        for (_, parts) in checks.iter().filter_map(|c| c.signed_document.as_ref()) {
            for part in parts {
                let signed = last_step(part) == "DSCKS"
                    || checks.iter().flat_map(|c| &c.references).any(|x| {
                        x.digest_matches == Ok(true) && x.covered_path.as_deref().is_some_and(|p| covers_path(p, part))
                    });
                if !signed && !unsigned.contains(part) {
                    unsigned.push(part.clone());
                }
            }
        }
        report.unsigned = unsigned;
        if let Some(list) = attachments {
            self.attach(&mut report, list, when, depth);
        }
        if report.signatures.is_empty() && report.attachments.iter().all(|a| a.report.is_none()) {
            report.reason = Some(crate::report::Message::new(
                "the XML document holds no signature",
                "tài liệu XML không có chữ ký số nào",
            ));
        }
        Ok(report)
    }

    /// Every signature and document time-stamp of a PDF: each `/ByteRange` checked against
    /// the file, the CMS through the CMS verifier over the ranges (streamed), the DSS's
    /// certificates and revocation data as evidence, and what the later revisions changed.
    fn verify_pdf(&self, input: &[u8], when: When) -> Result<ValidationReport, VerifyError> {
        let pdf = crate::pdf::Pdf::parse(input).map_err(pdf_malformed)?;
        self.verify_parsed_pdf(&pdf, when)
    }

    /// [`Verifier::verify_at`] on the PDF file at `path`, read without holding the bodies of
    /// its large streams in memory where its structure allows it ([`crate::pdf::sparse`]):
    /// they are read from the file, in blocks, when the ranges are hashed or a later revision
    /// redefines one. A file whose structure does not allow it is read whole (up to
    /// [`crate::cms::MAX_SIGNATURE_SIZE`]). The report is the one [`Verifier::verify_at`] gives
    /// on the file's bytes.
    pub fn verify_pdf_file(&self, path: &std::path::Path, when: When) -> Result<ValidationReport, VerifyError> {
        let sparse = crate::pdf::sparse::Sparse::open(path).map_err(|e| read_error(path, e))?;
        self.verify_pdf_sparse(&sparse, path, when)
    }

    /// [`Verifier::verify_pdf_file`] on a reading already made (`path`, the file's name in
    /// errors).
    pub fn verify_pdf_sparse(
        &self,
        sparse: &crate::pdf::sparse::Sparse,
        path: &std::path::Path,
        when: When,
    ) -> Result<ValidationReport, VerifyError> {
        // A reading its structure disagrees with, or that cannot be parsed, gives way to the
        // whole file: the verdict and the error are always those of the file's bytes.
        // So does one where an object's text, as read, ran into what the reading left in the
        // file (a string that does not end, say): what it read may not be the file's.
        if let Ok(Some(pdf)) = sparse.parse() {
            let verified = self.verify_parsed_pdf(&pdf, when);
            if !pdf.touched_left_out() {
                return verified;
            }
        }
        if sparse.len() > crate::cms::MAX_SIGNATURE_SIZE {
            return Err(pdf_malformed(crate::pdf::PdfError::TooLarge {
                what: "bytes to read whole (its structure does not allow reading it in part)",
            }));
        }
        let whole = sparse.whole().map_err(|e| read_error(path, e))?;
        self.verify_at(&whole, Content::Attached, when)
    }

    fn verify_parsed_pdf(&self, pdf: &crate::pdf::Pdf<'_>, when: When) -> Result<ValidationReport, VerifyError> {
        use crate::cms::{CmsResult, Level, SignerError, SignerResult};
        use crate::path::Verdict;
        use crate::pdf::signature::{self, SignatureKind};
        use crate::report::{Indication, Message, PdfDocumentInfo, PdfSignatureInfo, ReportKind};
        let now = when.now.unwrap_or_else(Time::now);
        let malformed = pdf_malformed;
        let (sigs, empty_fields) = signature::signatures(pdf).map_err(malformed)?;
        // The DSS (PAdES B-LT): its certificates join the pool, its CRLs and OCSP responses
        // the evidence.
        let mut v = self.clone();
        let dss = crate::pdf::dss::read(pdf).map_err(malformed)?;
        v.pool.extend(dss.certificates.iter().cloned());
        Arc::make_mut(&mut v.given).merge(&dss.evidence);
        let options = VerifyOptions {
            path: v.policy.path_options(now, v.given.clone()),
            at: when.at,
            now,
            timestamps: v.policy.timestamps(),
        };
        // The ranges' digests under an algorithm, for every signature at once when first
        // asked (what they share is hashed once).
        let valid_ranges: Vec<_> = sigs.iter().map(|s| s.byte_range.as_ref().ok()).collect();
        let computed = std::cell::RefCell::new(Vec::new());
        let range_digest = |i: usize, hash: crypto::HashAlgorithm| -> Option<Vec<u8>> {
            let mut computed = computed.borrow_mut();
            if !computed.iter().any(|(h, _)| *h == hash) {
                computed.push((
                    hash,
                    signature::range_digests(pdf.bytes(), &valid_ranges, hash, v.provider),
                ));
            }
            let (_, digests) = computed.iter().find(|(h, _)| *h == hash)?;
            digests.get(i)?.clone()
        };
        let mut parts: Vec<ValidationReport> = Vec::new();
        for (i, s) in sigs.iter().enumerate() {
            let fail = |verdict: Verdict, error: SignerError| {
                let mut r = SignerResult::start(i, verdict, None, when.at.unwrap_or(now), Level::BB);
                r.error = Some(error);
                let result = CmsResult {
                    verdict,
                    content_type: crate::Oid::from_der_contents(crate::oid::CT_DATA),
                    signers: vec![r],
                };
                ValidationReport::from_cms(&result, &options)
            };
            let ranges = match &s.byte_range {
                Ok(r) => r.clone(),
                Err(e) => {
                    parts.push(fail(Verdict::Invalid, SignerError::Pdf { reason: e.to_string() }));
                    continue;
                }
            };
            let signed = || -> Box<dyn Read + '_> { Box::new(pdf.bytes().reader(ranges.to_vec())) };
            let sub_filter = s.sub_filter.as_deref().unwrap_or("");
            let parsed = SignedData::from_bytes_with(&s.contents, Some(&v.certificates));
            let part = match (s.kind, sub_filter, parsed) {
                // An algorithm the CMS reader does not know (Ed448 with SHAKE256) is not a
                // malformed signature: kyso cannot judge it.
                (_, _, Err(e @ CmsError::Malformed(crate::InputError::Malformed { what, .. })))
                    if what.starts_with("unsupported") =>
                {
                    fail(
                        Verdict::Indeterminate,
                        SignerError::Signature(crate::CryptoError::UnsupportedAlgorithm { oid: e.to_string() }),
                    )
                }
                (_, _, Err(e)) => fail(
                    Verdict::Invalid,
                    SignerError::Pdf {
                        reason: format!("the /Contents is not a CMS SignedData: {e}"),
                    },
                ),
                (SignatureKind::Signature, "adbe.pkcs7.detached" | "ETSI.CAdES.detached", Ok(sd))
                    if sd.content.is_some() =>
                {
                    fail(
                        Verdict::Invalid,
                        SignerError::Pdf {
                            reason: format!("a {sub_filter} signature must not carry encapsulated content"),
                        },
                    )
                }
                (SignatureKind::Signature, "adbe.pkcs7.detached" | "ETSI.CAdES.detached", Ok(sd)) => {
                    // Without signingTime nor a time-stamp, /M is the signer's claimed time, and
                    // the chain is judged there as at a claimed signingTime.
                    let claimed = s.claimed_time.as_deref().and_then(crate::pdf::parse_date);
                    let untimed = sd.signers.iter().all(|si| {
                        si.signing_time().is_none()
                            && !si
                                .unsigned_attrs
                                .iter()
                                .any(|a| a.oid == crate::oid::AA_TIMESTAMP_TOKEN)
                    });
                    let at = match (when.at, claimed) {
                        (None, Some(m)) if untimed => When {
                            at: Some(m),
                            now: Some(now),
                        },
                        _ => when,
                    };
                    let mut reopen = move || -> std::io::Result<Box<dyn Read + '_>> { Ok(signed()) };
                    let digest = |hash| range_digest(i, hash);
                    let content = Content::Digested {
                        digest: &digest,
                        stream: Box::new(&mut reopen),
                    };
                    let mut r = v.verify_cms(sd, content, at)?;
                    if at != when {
                        for x in &mut r.signatures {
                            x.time_source = crate::report::TimeSource::SigningTime;
                        }
                    }
                    r
                }
                // The CMS signs the SHA-1 of the ranges, carried as its content.
                (SignatureKind::Signature, "adbe.pkcs7.sha1", Ok(sd)) => {
                    let digest = range_digest(i, crypto::HashAlgorithm::Sha1);
                    if digest.is_none() || sd.content != digest {
                        fail(Verdict::Invalid, SignerError::DigestMismatch)
                    } else {
                        v.verify_cms(sd, Content::Attached, when)?
                    }
                }
                // A document time-stamp: a time-stamp token over the ranges.
                (SignatureKind::DocumentTimestamp, _, Ok(sd)) => {
                    let checked = crate::cms::tsp::verify_signed_token(
                        sd.clone(),
                        |info| range_digest(i, info.hash).unwrap_or_default(),
                        None,
                        &v.store,
                        &v.pool,
                        &options.path,
                        v.provider,
                    );
                    match checked {
                        Err(crate::cms::tsp::TspError::ImprintMismatch) => {
                            fail(Verdict::Invalid, SignerError::DigestMismatch)
                        }
                        Err(e) => fail(
                            Verdict::Indeterminate,
                            SignerError::Pdf {
                                reason: format!("the document time-stamp: {e}"),
                            },
                        ),
                        Ok(ts) => {
                            // The TSA's signature and chain as a signer's, judged at genTime.
                            let at = When {
                                at: when.at.or(Some(ts.info.gen_time)),
                                now: Some(now),
                            };
                            let mut r = v.verify_cms(sd, Content::Attached, at)?;
                            for x in &mut r.signatures {
                                x.signing_time = Some(ts.info.gen_time);
                                x.level = None;
                            }
                            r
                        }
                    }
                }
                (_, other, Ok(_)) => fail(
                    Verdict::Indeterminate,
                    SignerError::Pdf {
                        reason: format!(
                            "the /SubFilter {} is not one kyso verifies",
                            if other.is_empty() { "(none)" } else { other }
                        ),
                    },
                ),
            };
            parts.push(part);
        }
        let mut report = ValidationReport::merge(parts, &options, ReportKind::Pdf);
        let last = pdf.revisions().len();
        // The certification (DocMDP) of the document: its first signature's, when it is one.
        let analysis = crate::pdf::diff::Analysis::new(pdf, sigs.first().and_then(|c| c.docmdp));
        for (x, s) in report.signatures.iter_mut().zip(&sigs) {
            let (changes, modification) = match s.revision {
                Some(r) => match analysis.after_locked(r, s.lock.as_ref()) {
                    Ok(c) => c,
                    Err(e) => {
                        x.warnings.push(crate::report::ReportWarning {
                            code: "pdf_changes_unknown",
                            message: Message::new(
                                format!("what the later revisions changed cannot be read: {e}"),
                                format!("không đọc được những thay đổi của các phiên bản sau: {e}"),
                            ),
                        });
                        (Vec::new(), crate::pdf::diff::Modification::Undefined)
                    }
                },
                None => (Vec::new(), crate::pdf::diff::Modification::None),
            };
            crate::report::judge_pdf_changes(x, s, &changes, modification);
            x.pdf = Some(PdfSignatureInfo {
                field: s.field.clone(),
                kind: s.kind,
                sub_filter: s.sub_filter.clone(),
                byte_range: s.byte_range_written.clone(),
                revision: s.revision.map(|r| r + 1),
                revisions: last,
                coverage: s.coverage,
                claimed_time: s.claimed_time.clone(),
                docmdp: s.docmdp,
                reason: s.reason.clone(),
                location: s.location.clone(),
                changes,
                modification,
                vri: dss.has_vri(s),
                lock: s.lock.clone(),
            });
            if x.signing_time.is_none() {
                if let Some(m) = s.claimed_time.as_deref().and_then(crate::pdf::parse_date) {
                    x.signing_time = Some(m);
                    x.warnings.push(crate::report::ReportWarning {
                        code: "pdf_claimed_time",
                        message: Message::new(
                            "the CMS has no signingTime: the signing time shown is the /M the signer's software wrote, a claim",
                            "CMS không có thuộc tính signingTime: thời điểm ký hiển thị là giá trị /M do phần mềm ký ghi, chỉ là thời điểm được khai",
                        ),
                    });
                }
            }
        }
        // PAdES levels (ETSI EN 319 142-1 §6): B-T with a DSS added after the signature is
        // B-LT; with a valid document time-stamp after that DSS, B-LTA.
        let first_dss = (0..pdf.revisions().len()).find(|r| pdf.catalog(*r).is_ok_and(|c| c.get("DSS").is_some()));
        let lta_after = |rev: usize| {
            report.signatures.iter().zip(&sigs).any(|(x, s)| {
                s.kind == SignatureKind::DocumentTimestamp
                    && x.integrity == crate::report::Outcome::Passed
                    && s.revision.is_some_and(|r| r >= rev)
            })
        };
        let levels: Vec<Option<Level>> = report
            .signatures
            .iter()
            .zip(&sigs)
            .map(|(x, s)| match (x.level, s.revision, first_dss) {
                (Some(Level::BT), Some(r), Some(d)) if d > r && lta_after(d) => Some(Level::BLTA),
                (Some(Level::BT), Some(r), Some(d)) if d > r => Some(Level::BLT),
                (level, _, _) => level,
            })
            .collect();
        for (x, l) in report.signatures.iter_mut().zip(levels) {
            x.level = l;
        }
        report.recompute_indication();
        report.pdf = Some(PdfDocumentInfo {
            revisions: pdf.revisions().iter().map(|r| r.end).collect(),
            empty_fields,
            encryption: pdf.encryption(),
            warnings: pdf
                .warnings()
                .iter()
                .map(|w| Message::new(w.to_string(), format!("cấu trúc tệp PDF: {w}")))
                .collect(),
        });
        if report.signatures.is_empty() {
            report.indication = Indication::Indeterminate;
            report.reason = Some(Message::new(
                "the PDF holds no signature",
                "tệp PDF không có chữ ký số nào",
            ));
        }
        Ok(report)
    }

    /// As [`Verifier::verify_at`], every failure turned into an INDETERMINATE report that says
    /// why (what a batch or a command line wants: one report per file, always).
    pub fn report(&self, input: &[u8], content: Content<'_>, when: When) -> ValidationReport {
        match self.verify_at(input, content, when) {
            Ok(r) => r,
            Err(e) => e.report(when.now.unwrap_or_else(Time::now)),
        }
    }

    /// [`Verifier::verify_at`] on a CMS SignedData already parsed.
    pub fn verify_cms(
        &self,
        sd: SignedData,
        content: Content<'_>,
        when: When,
    ) -> Result<ValidationReport, VerifyError> {
        let now = when.now.unwrap_or_else(Time::now);
        let mut options = VerifyOptions {
            path: self.policy.path_options(now, self.given.clone()),
            at: when.at,
            now,
            timestamps: self.policy.timestamps(),
        };
        let mut notes = Vec::new();
        let mut gathered_pool = None;
        if self.gathers() {
            let mut pool = self.pool.clone();
            pool.extend(sd.certificates.iter().cloned());
            let mut evidence = (*self.given).clone();
            for si in &sd.signers {
                if let Some(cert) = pool.iter().find(|c| si.names(c)).cloned() {
                    let mut po = options.path.clone();
                    po.time = when.at.or(si.signing_time()).unwrap_or(now);
                    notes.extend(self.gather(&cert, &mut pool, &po, &mut evidence));
                }
            }
            options.path.revocation.evidence = Arc::new(evidence);
            gathered_pool = Some(pool);
        }
        let pool = gathered_pool.as_deref().unwrap_or(&self.pool);
        let r = match content {
            Content::Attached => cms::verify_signed_data(sd, None, &self.store, pool, &options, self.provider),
            Content::Bytes(b) => {
                let mut reopen = move || -> std::io::Result<Box<dyn Read + '_>> { Ok(Box::new(b)) };
                cms::verify_signed_data(sd, Some(&mut reopen), &self.store, pool, &options, self.provider)
            }
            Content::Stream(mut open) => {
                cms::verify_signed_data(sd, Some(&mut *open), &self.store, pool, &options, self.provider)
            }
            Content::Digested { digest, mut stream } => cms::verify_signed_data_digested(
                sd,
                Some(&mut *stream),
                Some(digest),
                &self.store,
                pool,
                &options,
                self.provider,
            ),
        }?;
        let mut report = ValidationReport::from_cms(&r, &options);
        report.fetched = notes;
        Ok(report)
    }

    /// Validate `leaf`'s path (RFC 5280) with `extra` untrusted certificates at `when.at`
    /// (default: now), and report it.
    pub fn verify_chain(&self, leaf: &Certificate, extra: &[Certificate], when: When) -> ValidationReport {
        let now = when.now.unwrap_or_else(Time::now);
        let time = when.at.unwrap_or(now);
        let mut options = self.policy.path_options(time, self.given.clone());
        let mut pool: Vec<Certificate> = self.pool.iter().chain(extra).cloned().collect();
        let mut notes = Vec::new();
        if self.gathers() {
            let mut evidence = (*self.given).clone();
            notes = self.gather(leaf, &mut pool, &options, &mut evidence);
            options.revocation.evidence = Arc::new(evidence);
        }
        let r = crate::path::verify_chain(leaf, &pool, &self.store, &options, self.provider);
        let mut report = ValidationReport::from_chain(leaf, &r, &options, now);
        report.fetched = notes;
        report
    }

    fn gathers(&self) -> bool {
        !self.sources.is_empty() && self.policy.revocation() != RevocationMode::Off
    }

    fn gather(
        &self,
        leaf: &Certificate,
        pool: &mut Vec<Certificate>,
        options: &crate::path::PathOptions,
        evidence: &mut RevocationEvidence,
    ) -> Vec<EvidenceNote> {
        let mut notes = Vec::new();
        for s in &self.sources {
            notes.extend(s.gather(leaf, pool, &self.store, options, evidence));
        }
        notes
    }
}

/// The local name of a path's last element (`/HDon/DSCKS[2]` → `DSCKS`).
fn last_step(path: &str) -> &str {
    let step = path.rsplit('/').next().unwrap_or("");
    step.split('[').next().unwrap_or(step)
}

/// Whether a Reference that covers the element at `covered` (a [`crate::xml::dsig::node_path`])
/// covers the element at `part`: the same element, or an ancestor of it (`/`: the document).
fn covers_path(covered: &str, part: &str) -> bool {
    covered == "/" || covered == part || part.strip_prefix(covered).is_some_and(|rest| rest.starts_with('/'))
}

/// Where a [`crate::Verifier`] gets the certificates and revocation evidence a validation may
/// need beyond what the signature carries: evidence given by the caller
/// ([`RevocationEvidence`] itself is a source), and, with feature `net`, the HTTP fetcher
/// with its CRL cache (`fetch::OnlineEvidence`). The validation core never calls a source;
/// the Verifier does, before it validates.
pub trait EvidenceSource: Send + Sync {
    /// Add to `pool` the issuer certificates and to `evidence` the CRLs and OCSP responses
    /// that validating `leaf` under `options` (at `options.time`) may need; say what was
    /// tried. Failures are notes, never errors: the revocation mode decides what missing
    /// evidence means.
    fn gather(
        &self,
        leaf: &Certificate,
        pool: &mut Vec<Certificate>,
        store: &TrustStore,
        options: &PathOptions,
        evidence: &mut RevocationEvidence,
    ) -> Vec<EvidenceNote>;
}

/// Evidence given by the caller (files, or values kept from an earlier validation).
impl EvidenceSource for RevocationEvidence {
    fn gather(
        &self,
        _leaf: &Certificate,
        _pool: &mut Vec<Certificate>,
        _store: &TrustStore,
        _options: &PathOptions,
        evidence: &mut RevocationEvidence,
    ) -> Vec<EvidenceNote> {
        evidence.merge(self);
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart() {
        assert_eq!(
            Format::detect(b"\xEF\xBB\xBF  <?xml version=\"1.0\"?><HDon/>"),
            Format::Xml
        );
        assert_eq!(Format::detect(b"%PDF-1.7\n..."), Format::Pdf);
        assert_eq!(Format::detect(b"\x30\x80\x06\x09"), Format::Cms);
        assert_eq!(Format::detect(b"-----BEGIN CMS-----"), Format::Cms);
        assert_eq!(Format::detect(b""), Format::Cms);
    }
}
