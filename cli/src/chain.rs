//! `kyso chain verify`: build and validate a certificate path, report it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use kyso::path::{LeafKeyUsage, PolicySettings, TimeModel};
use kyso::Oid;

use crate::options::{read_certs, PolicyArgs, TrustArgs};

#[derive(Args)]
pub struct VerifyArgs {
    /// The certificate to validate (any input form; further certificates in the file join the pool).
    leaf: PathBuf,
    #[command(flatten)]
    trust: TrustArgs,
    #[command(flatten)]
    policy: PolicyArgs,
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
    /// Time model (default: the profile's — chain for vietnam, shell for strict).
    #[arg(long, value_enum)]
    model: Option<Model>,
    /// What the leaf's keyUsage must allow.
    #[arg(long, value_enum, default_value = "document")]
    leaf_usage: LeafUsage,
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

#[derive(Clone, Copy, ValueEnum)]
enum LeafUsage {
    /// digitalSignature or nonRepudiation.
    Document,
    /// No requirement.
    Any,
}

fn eku_oid(s: &str) -> Result<Oid, String> {
    // A purpose by its name (serverAuth, timeStamping, …) or a dotted OID.
    Oid::from_name(&format!("id-kp-{s}"))
        .or_else(|| Oid::from_dotted(s))
        .ok_or_else(|| format!("--eku {s}: not an OID or a known purpose"))
}

pub fn verify(a: VerifyArgs) -> Result<ExitCode, String> {
    let mut leaf_file = read_certs(&a.leaf)?;
    let leaf = leaf_file.remove(0);
    let mut policy = crate::options::policy(&a.policy)
        .leaf_key_usage(match a.leaf_usage {
            LeafUsage::Document => LeafKeyUsage::DigitalSignatureOrNonRepudiation,
            LeafUsage::Any => LeafKeyUsage::Any,
        })
        .required_eku(a.eku.iter().map(|e| eku_oid(e)).collect::<Result<_, _>>()?)
        .certificate_policies(PolicySettings {
            initial_policy_set: a
                .policies
                .iter()
                .map(|p| Oid::from_dotted(p).ok_or_else(|| format!("--policy {p}: not an OID")))
                .collect::<Result<_, _>>()?,
            initial_explicit_policy: a.require_explicit_policy,
            initial_policy_mapping_inhibit: a.inhibit_policy_mapping,
            initial_any_policy_inhibit: a.inhibit_any_policy,
        });
    if let Some(m) = a.model {
        policy = policy.time_model(match m {
            Model::Shell => TimeModel::Shell,
            Model::Chain => TimeModel::Chain,
        });
    }
    let verifier = crate::options::verifier(&a.trust, &a.policy, policy.build())?;
    let when = crate::options::when(&a.policy)?;
    let mut report = verifier
        .verify_chain(&leaf, &leaf_file, when)
        .with_document(a.leaf.display().to_string(), None);
    crate::verify::print(&mut report, a.json, a.lang, a.evidence_dir.as_deref())?;
    Ok(crate::verify::exit(report.indication))
}
