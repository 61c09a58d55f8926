//! The options every verifying subcommand shares, said the same way in each (`verify`,
//! `chain verify`): which anchors, which policy, which evidence — and the one function that
//! turns them into a [`kyso::Verifier`].

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use kyso::revocation::{Crl, OcspResponse, RevocationEvidence, RevocationMode};
use kyso::{Certificate, Hierarchy, Policy, PolicyBuilder, Profile, Time, TrustStore, Verifier, When};

/// Anchors and untrusted certificates.
#[derive(Args)]
pub struct TrustArgs {
    /// Files of certificates to trust as anchors (hierarchy `custom:<file stem>`).
    #[arg(long = "anchor", value_name = "FILE")]
    pub anchors: Vec<PathBuf>,
    /// Trust both Vietnamese hierarchies (the embedded bundle); the default when no --anchor
    /// is given.
    #[arg(long)]
    pub vietnam: bool,
    /// Files of untrusted certificates that may complete paths.
    #[arg(long = "pool", value_name = "FILE")]
    pub pool: Vec<PathBuf>,
}

/// The policy and the revocation evidence.
#[derive(Args)]
pub struct PolicyArgs {
    /// The policy: vietnam (RFC 5280 with the named tolerances real Vietnamese certificates
    /// need, each chain judged at its signing time) or strict (RFC 5280 as written).
    #[arg(long, value_enum, default_value = "vietnam")]
    pub profile: ProfileArg,
    /// Accept SHA-1 and RSA keys of 1024–2047 bits (reported as legacy).
    #[arg(long, visible_alias = "allow-legacy")]
    pub legacy: bool,
    /// Judge the chains at this time, RFC 3339 (default: each signature's time-stamp or
    /// signing time; for a certificate, now).
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// CRL files (DER or PEM; complete and delta) to use as revocation evidence.
    #[arg(long = "crl", value_name = "FILE")]
    pub crls: Vec<PathBuf>,
    /// OCSP response files (DER) to use as revocation evidence.
    #[arg(long = "ocsp-response", value_name = "FILE")]
    pub ocsp_responses: Vec<PathBuf>,
    /// Fetch what is missing over HTTP: issuer certificates from caIssuers, OCSP responses
    /// from the responder each certificate names, else its CRLs.
    #[arg(long)]
    pub online: bool,
    /// What a certificate without usable evidence does: soft (valid, with a warning), hard
    /// (indeterminate), off (revocation not checked).
    #[arg(long, value_enum, default_value = "soft")]
    pub revocation: RevocationArg,
}

/// `--profile`.
#[derive(Clone, Copy, ValueEnum)]
pub enum ProfileArg {
    /// RFC 5280 with the named Vietnamese tolerances (the default).
    Vietnam,
    /// RFC 5280 as written.
    Strict,
}

/// `--revocation`.
#[derive(Clone, Copy, ValueEnum)]
pub enum RevocationArg {
    /// Valid, with a warning.
    Soft,
    /// Indeterminate.
    Hard,
    /// Not checked.
    Off,
}

/// Every certificate in a file.
pub fn read_certs(p: &PathBuf) -> Result<Vec<Certificate>, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
    kyso::load_certificates(&bytes).map_err(|e| format!("{}: {e}", p.display()))
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

/// The CRLs and OCSP responses the evidence flags name, read from their files.
fn given_evidence(a: &PolicyArgs) -> Result<RevocationEvidence, String> {
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
    Ok(RevocationEvidence::from_crls(crls).with_ocsp(ocsp))
}

/// The policy the flags describe, before a subcommand's own changes.
pub fn policy(a: &PolicyArgs) -> PolicyBuilder {
    let profile = match a.profile {
        ProfileArg::Vietnam => Profile::Vietnam,
        ProfileArg::Strict => Profile::Strict,
    };
    Policy::of(profile)
        .to_builder()
        .legacy_algorithms(a.legacy)
        .revocation(match a.revocation {
            RevocationArg::Soft => RevocationMode::Soft,
            RevocationArg::Hard => RevocationMode::Hard,
            RevocationArg::Off => RevocationMode::Off,
        })
}

/// The times the flags give (`--at`; now from the clock).
pub fn when(a: &PolicyArgs) -> Result<When, String> {
    let at = match &a.at {
        Some(t) => Some(Time::parse_rfc3339(t).ok_or_else(|| format!("--at {t}: not an RFC 3339 time"))?),
        None => None,
    };
    Ok(When {
        at,
        now: Some(Time::now()),
    })
}

/// The Verifier the flags describe, with `policy` (from [`policy`], changed as the
/// subcommand needs).
pub fn verifier(t: &TrustArgs, a: &PolicyArgs, policy: Policy) -> Result<Verifier, String> {
    let store = trust_store(&t.anchors, t.vietnam || t.anchors.is_empty())?;
    let mut pool = Vec::new();
    for p in &t.pool {
        pool.extend(read_certs(p)?);
    }
    let v = Verifier::new(store, policy)
        .with_pool(pool)
        .with_evidence(given_evidence(a)?);
    Ok(if a.online {
        v.with_source(kyso::fetch::OnlineEvidence)
    } else {
        v
    })
}
