//! `kyso chain verify`: build and validate a certificate path, report it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use kyso::crypto::{self, AlgorithmPolicy};
use kyso::oid::{self, Oid};
use kyso::path::{self, LeafKeyUsage, PathOptions, PolicySettings, TimeModel, Tolerances, Verdict};
use kyso::report::ValidationReport;
use kyso::revocation::{Crl, OcspResponse, RevocationEvidence, RevocationMode, RevocationOptions};
use kyso::{Certificate, Hierarchy, Time, TrustStore};

#[derive(Args)]
pub struct VerifyArgs {
    /// The certificate to validate (any input form; further certificates in the file join the pool).
    leaf: PathBuf,
    /// Files of untrusted certificates that may complete the path.
    #[arg(long = "pool", value_name = "FILE")]
    pool: Vec<PathBuf>,
    /// Files of certificates to trust as anchors (hierarchy `custom:<file stem>`).
    #[arg(long = "anchor", value_name = "FILE")]
    anchors: Vec<PathBuf>,
    /// Trust both Vietnamese hierarchies (the embedded bundle) and apply the Vietnam
    /// tolerances. The default when no --anchor is given.
    #[arg(long)]
    vietnam: bool,
    /// Validation time, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// user-initial-policy-set member (default: anyPolicy).
    #[arg(long = "policy", value_name = "OID")]
    policies: Vec<String>,
    /// initial-explicit-policy.
    #[arg(long)]
    require_explicit_policy: bool,
    /// initial-policy-mapping-inhibit.
    #[arg(long)]
    inhibit_policy_mapping: bool,
    /// initial-any-policy-inhibit.
    #[arg(long)]
    inhibit_any_policy: bool,
    /// Extended key usage the leaf must allow: an OID or serverAuth, clientAuth, codeSigning,
    /// emailProtection, timeStamping.
    #[arg(long = "eku", value_name = "OID|NAME")]
    eku: Vec<String>,
    /// Time model.
    #[arg(long, value_enum, default_value = "shell")]
    model: Model,
    /// What the leaf's keyUsage must allow.
    #[arg(long, value_enum, default_value = "document")]
    leaf_usage: LeafUsage,
    /// Accept SHA-1 and RSA keys of 1024–2047 bits (reported as legacy).
    #[arg(long)]
    allow_legacy: bool,
    #[command(flatten)]
    evidence: EvidenceArgs,
    /// Print the report as JSON (schema kyso.report/1).
    #[arg(long)]
    json: bool,
    /// Language of the text report: vi (tiếng Việt) or en (default: the locale's).
    #[arg(long, value_enum)]
    lang: Option<crate::verify::LangArg>,
    /// Keep the path's certificates, the CRLs and OCSP responses relied on, and the report
    /// (JSON, Vietnamese and English text) in this folder.
    #[arg(long = "evidence", value_name = "DIR")]
    evidence_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Model {
    Shell,
    Chain,
}

/// Revocation evidence and mode, shared by `chain verify` and `verify`.
#[derive(Args)]
pub struct EvidenceArgs {
    /// CRL files (DER or PEM; complete and delta) to use as revocation evidence.
    #[arg(long = "crl", value_name = "FILE")]
    crls: Vec<PathBuf>,
    /// OCSP response files (DER) to use as revocation evidence.
    #[arg(long = "ocsp-response", value_name = "FILE")]
    ocsp_responses: Vec<PathBuf>,
    /// Fetch what is missing over HTTP: issuer certificates from caIssuers, OCSP responses
    /// from the responder each certificate names, else its CRLs.
    #[arg(long)]
    pub online: bool,
    /// What a certificate without usable evidence does: soft (valid, with a warning), hard
    /// (indeterminate), off (revocation not checked).
    #[arg(long, value_enum, default_value = "soft")]
    revocation: Revocation,
}

#[derive(Clone, Copy, ValueEnum)]
enum Revocation {
    Soft,
    Hard,
    Off,
}

#[derive(Clone, Copy, ValueEnum)]
enum LeafUsage {
    /// digitalSignature or nonRepudiation.
    Document,
    /// No requirement.
    Any,
}

/// Every certificate in a file.
pub fn read_certs(p: &PathBuf) -> Result<Vec<Certificate>, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
    kyso::load_certificates(&bytes).map_err(|e| format!("{}: {e}", p.display()))
}

fn eku_oid(s: &str) -> Result<Oid, String> {
    let known: &[(&str, &[u8])] = &[
        ("serverAuth", oid::KP_SERVER_AUTH),
        ("clientAuth", oid::KP_CLIENT_AUTH),
        ("codeSigning", oid::KP_CODE_SIGNING),
        ("emailProtection", oid::KP_EMAIL_PROTECTION),
        ("timeStamping", oid::KP_TIME_STAMPING),
    ];
    match known.iter().find(|(n, _)| n.eq_ignore_ascii_case(s)) {
        Some((_, b)) => Ok(Oid::from_der_contents(b)),
        None => Oid::from_dotted(s).ok_or_else(|| format!("--eku {s}: not an OID or a known purpose")),
    }
}

pub fn verify(a: VerifyArgs) -> Result<ExitCode, String> {
    let mut leaf_file = read_certs(&a.leaf)?;
    let leaf = leaf_file.remove(0);
    let mut pool = leaf_file;
    for p in &a.pool {
        pool.extend(read_certs(p)?);
    }
    let vietnam = a.vietnam || a.anchors.is_empty();
    let store = trust_store(&a.anchors, vietnam)?;
    let now = Time::now();
    let time = match &a.at {
        Some(t) => Time::parse_rfc3339(t).ok_or_else(|| format!("--at {t}: not an RFC 3339 time"))?,
        None => now,
    };
    let mut o = PathOptions::at(time);
    o.model = match a.model {
        Model::Shell => TimeModel::Shell,
        Model::Chain => TimeModel::Chain,
    };
    o.tolerances = if vietnam { Tolerances::VIETNAM } else { Tolerances::NONE };
    o.leaf_key_usage = match a.leaf_usage {
        LeafUsage::Document => LeafKeyUsage::DigitalSignatureOrNonRepudiation,
        LeafUsage::Any => LeafKeyUsage::Any,
    };
    if a.allow_legacy {
        o.algorithms = AlgorithmPolicy::LEGACY;
    }
    let revocation = evidence(&a.evidence)?;
    let mode = revocation.mode;
    let mut evidence = (*revocation.evidence).clone();
    o.required_eku = a.eku.iter().map(|e| eku_oid(e)).collect::<Result<_, _>>()?;
    o.policy = PolicySettings {
        initial_policy_set: a
            .policies
            .iter()
            .map(|p| Oid::from_dotted(p).ok_or_else(|| format!("--policy {p}: not an OID")))
            .collect::<Result<_, _>>()?,
        initial_explicit_policy: a.require_explicit_policy,
        initial_policy_mapping_inhibit: a.inhibit_policy_mapping,
        initial_any_policy_inhibit: a.inhibit_any_policy,
    };
    let mut notes = Vec::new();
    if a.evidence.online && mode != RevocationMode::Off {
        notes = kyso::fetch::complete_and_gather(&leaf, &mut pool, &store, &o, &mut evidence);
    }
    o.revocation = RevocationOptions {
        mode,
        evidence: std::sync::Arc::new(evidence),
    };
    let r = path::verify_chain(&leaf, &pool, &store, &o, crypto::default_provider());
    let lang = crate::verify::language(a.lang);
    let mut report = ValidationReport::from_chain(&leaf, &r, &o, now).with_document(a.leaf.display().to_string(), None);
    if let Some(dir) = &a.evidence_dir {
        report
            .save_evidence(dir)
            .map_err(|e| format!("--evidence {}: {e}", dir.display()))?;
    }
    if a.json {
        let mut v = serde_json::to_value(&report).map_err(|e| e.to_string())?;
        if a.evidence.online {
            v["fetched"] = serde_json::to_value(&notes).map_err(|e| e.to_string())?;
        }
        println!("{}", serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?);
    } else {
        print!("{}", kyso::report::render(&report, lang));
        for n in &notes {
            match &n.error {
                None => println!("Fetched      {} {}", n.kind, n.url),
                Some(e) => println!("Fetch failed {} {e}", n.kind),
            }
        }
    }
    Ok(match r.verdict {
        Verdict::Valid => ExitCode::SUCCESS,
        Verdict::Invalid => ExitCode::from(1),
        Verdict::Indeterminate => ExitCode::from(2),
    })
}

/// A trust store: the Vietnamese bundle when asked, plus anchors from files (hierarchy
/// `custom:<file stem>`).
pub fn trust_store(anchors: &[PathBuf], vietnam: bool) -> Result<TrustStore, String> {
    let mut store = if vietnam {
        TrustStore::vietnam()
    } else {
        TrustStore::new()
    };
    for p in anchors {
        let name = p
            .file_stem()
            .map_or("anchor".into(), |s| s.to_string_lossy().into_owned());
        for c in read_certs(p)? {
            store.add_anchor(c, Hierarchy::Custom(name.clone()));
        }
    }
    Ok(store)
}

/// The revocation options the evidence flags describe (files read; nothing fetched yet).
pub fn evidence(a: &EvidenceArgs) -> Result<RevocationOptions, String> {
    let mut crls = Vec::new();
    for p in &a.crls {
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
        crls.push(
            Crl::from_bytes(&bytes)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .with_origin(p.display().to_string()),
        );
    }
    let mut ocsp = Vec::new();
    for p in &a.ocsp_responses {
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
        ocsp.push(
            OcspResponse::from_der(&bytes)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .with_origin(p.display().to_string()),
        );
    }
    Ok(RevocationOptions {
        mode: match a.revocation {
            Revocation::Soft => RevocationMode::Soft,
            Revocation::Hard => RevocationMode::Hard,
            Revocation::Off => RevocationMode::Off,
        },
        evidence: std::sync::Arc::new(RevocationEvidence::from_crls(crls).with_ocsp(ocsp)),
    })
}
