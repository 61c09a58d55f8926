//! RFC 5280 §6.1 path validation over one candidate path.

use super::builder::Search;
use super::names;
use super::policy::{PolicyFailure, PolicyState};
use super::profile::{self, ProfileChecks};
use super::{crypto_error, Check, CheckKind, CheckOutcome, LeafKeyUsage, PathError, TimeModel};
use crate::cert::Certificate;
use crate::error::{CryptoError, LegacyReason};
use crate::ext::{KeyUsage, NameConstraints};
use crate::oid::{self, Oid};
use crate::revocation::{CertStatus, RevocationMode};
use crate::time::Time;
use crate::vn::Quirk;

/// What a valid path yields besides its certificates.
pub(super) struct Outcome {
    /// Legacy algorithms the path relies on.
    pub legacy: Vec<LegacyReason>,
    /// The user-constrained policy set (§6.1.6), `[anyPolicy]` when unconstrained.
    pub policies: Vec<Oid>,
    /// Every check made.
    pub checks: Vec<Check>,
    /// Deviations accepted by a tolerance.
    pub tolerated: Vec<(usize, Quirk)>,
    /// Revocation status per certificate, leaf first.
    pub revocation: Vec<CertStatus>,
}

/// The checks made so far, kept whether the path passes or fails.
#[derive(Default)]
pub(super) struct Log {
    pub checks: Vec<Check>,
    pub tolerated: Vec<(usize, Quirk)>,
    pub revocation: Vec<CertStatus>,
}

impl Log {
    fn pass(&mut self, index: usize, check: CheckKind) {
        self.push(index, check, CheckOutcome::Passed, None);
    }

    fn push(&mut self, index: usize, check: CheckKind, outcome: CheckOutcome, detail: Option<String>) {
        self.checks.push(Check {
            index,
            check,
            outcome,
            detail,
            quirk: None,
            status: None,
        });
    }

    /// Record the result of one check and pass the error on.
    fn run(&mut self, index: usize, check: CheckKind, r: Result<(), PathError>) -> Result<(), PathError> {
        match &r {
            Ok(()) => self.pass(index, check),
            Err(_) => self.push(index, check, CheckOutcome::Failed, None),
        }
        r
    }

    fn tolerate(&mut self, index: usize, check: CheckKind, quirk: Quirk) {
        self.checks.push(Check {
            index,
            check,
            outcome: CheckOutcome::Tolerated,
            detail: Some(quirk.describe_en()),
            quirk: Some(quirk.clone()),
            status: None,
        });
        self.tolerated.push((index, quirk));
    }
}

/// Validate `path` (leaf first, anchor last).
///
/// The anchor contributes its name and key (§6.1.1 (d)); its validity period and its
/// pathLenConstraint are honoured as OpenSSL does, its other extensions are not processed.
/// Certificates are processed from the one the anchor issued (i = 1) down to the leaf
/// (i = n) per §6.1.3, with §6.1.4 between them and §6.1.5 at the end.
pub(super) fn validate(path: &[Certificate], s: &mut Search<'_>, log: &mut Log) -> Result<Outcome, PathError> {
    let options = s.options;
    let anchor_index = path.len() - 1;
    let n = anchor_index;
    // Shell model: everything at the validation time. Chain model: the leaf at the validation
    // time, each CA when it issued the certificate below it.
    let when = |idx: usize| match options.model {
        TimeModel::Shell => options.time,
        TimeModel::Chain if idx == 0 => options.time,
        TimeModel::Chain => path.get(idx - 1).map_or(options.time, Certificate::not_before),
    };
    let mut legacy: Vec<LegacyReason> = Vec::new();
    let anchor = &path[anchor_index];
    log.run(
        anchor_index,
        CheckKind::Validity,
        check_time(anchor, anchor_index, when(anchor_index)),
    )?;
    let mut max_path_length = anchor
        .basic_constraints()
        .and_then(|b| b.path_len)
        .map_or(usize::MAX, |p| p as usize);
    let mut policy = PolicyState::new(&options.policy, n);
    let mut constraints: Vec<&NameConstraints> = Vec::new();
    // RFC 5937 §2: the anchor's own name constraints apply to the whole path.
    if options.profile.anchor_name_constraints && n > 0 {
        if let Some(nc) = &anchor.extensions().name_constraints {
            constraints.push(nc);
        }
    }
    for idx in (0..anchor_index).rev() {
        let i = n - idx; // RFC numbering: 1 under the anchor, n for the leaf
        let cert = &path[idx];
        let issuer = &path[idx + 1];
        // (a)(1) signature, over the TBSCertificate as received. When the key identifiers
        // do not tie the two together, a failing signature only means this candidate is not
        // the issuer (a look-alike with the same name): "no issuer", not "bad signature".
        let v = s.signature(cert, issuer).map_err(|e| match e {
            CryptoError::BadSignature if !key_ids_link(cert, issuer) => PathError::NoIssuerFound {
                index: idx,
                issuer: cert.issuer().display(),
            },
            other => crypto_error(idx, other),
        });
        let v = match v {
            Ok(v) => {
                log.pass(idx, CheckKind::Signature);
                v
            }
            Err(e) => {
                log.push(idx, CheckKind::Signature, CheckOutcome::Failed, None);
                return Err(e);
            }
        };
        for r in v.legacy {
            if !legacy.contains(&r) {
                legacy.push(r);
            }
        }
        // (a)(2) validity.
        log.run(idx, CheckKind::Validity, check_time(cert, idx, when(idx)))?;
        // (a)(3) revocation, judged on the evidence given.
        revocation(cert, issuer, anchor, idx, s, log)?;
        // (b)–(c) name constraints; a self-issued intermediate is exempt.
        if i == n || !cert.is_self_issued() {
            let r = names::check(cert, &constraints).map_err(|v| PathError::NameConstraint {
                index: idx,
                name: v.name,
                excluded: v.excluded,
            });
            log.run(idx, CheckKind::NameConstraints, r)?;
        }
        // (d)–(f) policies.
        let r = policy.process(cert, i, n).map_err(|f| policy_error(idx, f));
        log.run(idx, CheckKind::Policies, r)?;
        // (o) no unprocessed critical extension.
        critical_extensions(cert, idx, options.tolerances, log)?;
        if i == n {
            break;
        }
        // §6.1.4 preparation for the next certificate.
        let r = policy.prepare_next(cert).map_err(|f| policy_error(idx, f));
        log.run(idx, CheckKind::Policies, r)?;
        // (g) name constraints of this CA apply below it.
        if let Some(nc) = &cert.extensions().name_constraints {
            constraints.push(nc);
        }
        // (k) basicConstraints cA.
        let r = if cert.is_ca() {
            Ok(())
        } else {
            Err(PathError::NotCa { index: idx })
        };
        log.run(idx, CheckKind::BasicConstraints, r)?;
        // (l) path length: self-issued certificates do not count.
        let mut r = Ok(());
        if !cert.is_self_issued() {
            if max_path_length == 0 {
                r = Err(PathError::PathLenExceeded { index: idx });
            }
            max_path_length = max_path_length.saturating_sub(1);
        }
        log.run(idx, CheckKind::PathLength, r)?;
        // (m) the certificate's own constraint.
        if let Some(p) = cert.basic_constraints().and_then(|b| b.path_len) {
            max_path_length = max_path_length.min(p as usize);
        }
        // (n) keyCertSign.
        let r = if cert.key_usage().is_some_and(|k| !k.has(KeyUsage::KEY_CERT_SIGN)) {
            Err(PathError::KeyUsage {
                index: idx,
                required: "keyCertSign",
            })
        } else {
            Ok(())
        };
        log.run(idx, CheckKind::KeyUsage, r)?;
    }
    let leaf = &path[0];
    if n == 0 {
        log.run(0, CheckKind::Validity, check_time(leaf, 0, options.time))?;
    }
    // §6.1.5: policies, then what the caller asked of the leaf.
    let policies = if n == 0 {
        vec![Oid::from_der_contents(oid::ANY_POLICY)]
    } else {
        let r = policy.wrap_up(leaf, &options.policy).map_err(|f| policy_error(0, f));
        match r {
            Ok(p) => {
                log.pass(0, CheckKind::Policies);
                p
            }
            Err(e) => {
                log.push(0, CheckKind::Policies, CheckOutcome::Failed, None);
                return Err(e);
            }
        }
    };
    // RFC 5280 §4 profile rules, on every certificate of the path (anchor included), once the
    // path has passed §6.1: a candidate that does not link up reports that, not its profile.
    for (idx, cert) in path.iter().enumerate() {
        let role = match idx {
            0 if n > 0 => profile::Role::Leaf,
            i if i == anchor_index => profile::Role::Anchor,
            _ => profile::Role::Intermediate,
        };
        if options.profile == ProfileChecks::NONE {
            break;
        }
        let r = profile::check(cert, role, options.profile)
            .map_err(|violation| PathError::Profile { index: idx, violation });
        log.run(idx, CheckKind::Profile, r)?;
    }
    if options.profile.anchor_critical_extensions && n > 0 {
        if let Some(oid) = anchor.extensions().unknown_critical().first() {
            let e = PathError::UnknownCriticalExtension {
                index: anchor_index,
                oid: oid.dotted(),
            };
            log.push(anchor_index, CheckKind::CriticalExtensions, CheckOutcome::Failed, None);
            return Err(e);
        }
    }
    check_leaf_usage(leaf, options, log)?;
    let mut revocation = std::mem::take(&mut log.revocation);
    revocation.reverse();
    Ok(Outcome {
        legacy,
        policies,
        checks: std::mem::take(&mut log.checks),
        tolerated: std::mem::take(&mut log.tolerated),
        revocation,
    })
}

/// §6.1.3 (a)(3): revoked fails the path; unknown fails it in hard-fail mode and is a warning
/// (a check marked not checked, with the reason) in soft-fail mode.
fn revocation(
    cert: &Certificate,
    issuer: &Certificate,
    anchor: &Certificate,
    idx: usize,
    s: &mut Search<'_>,
    log: &mut Log,
) -> Result<(), PathError> {
    let status = s.revocation_status(cert, issuer, anchor);
    let r = match &status {
        CertStatus::Good { source } => {
            if let Some(q) = &source.tolerated {
                log.tolerate(idx, CheckKind::Revocation, q.clone());
            }
            log.push(
                idx,
                CheckKind::Revocation,
                CheckOutcome::Passed,
                Some(format!(
                    "good per the {} of {}",
                    source.kind.to_uppercase(),
                    source.issuer
                )),
            );
            Ok(())
        }
        CertStatus::Revoked { time, reason, source } => {
            if let Some(q) = &source.tolerated {
                log.tolerate(idx, CheckKind::Revocation, q.clone());
            }
            log.push(idx, CheckKind::Revocation, CheckOutcome::Failed, None);
            Err(PathError::Revoked {
                index: idx,
                time: *time,
                reason: *reason,
            })
        }
        CertStatus::Unknown { why } if s.options.revocation.mode == RevocationMode::Hard => {
            log.push(idx, CheckKind::Revocation, CheckOutcome::Failed, Some(why.to_string()));
            Err(PathError::RevocationUnknown {
                index: idx,
                why: why.clone(),
            })
        }
        CertStatus::Unknown { why } => {
            log.push(
                idx,
                CheckKind::Revocation,
                CheckOutcome::NotChecked,
                Some(format!("soft-fail: {why}")),
            );
            Ok(())
        }
        CertStatus::NotChecked => {
            log.push(
                idx,
                CheckKind::Revocation,
                CheckOutcome::NotChecked,
                Some("revocation checking is off".into()),
            );
            Ok(())
        }
    };
    // The revocation check just logged carries the status that decided it.
    if let Some(c) = log.checks.iter_mut().rev().find(|c| c.check == CheckKind::Revocation) {
        c.status = Some(status.clone());
    }
    log.revocation.push(status);
    r
}

/// §6.1.3 (o) and §6.1.5 (f): every critical extension processed. A critical
/// authorityInfoAccess is parsed but not acted on, so it passes only under its tolerance.
fn critical_extensions(
    cert: &Certificate,
    idx: usize,
    tolerances: super::Tolerances,
    log: &mut Log,
) -> Result<(), PathError> {
    if let Some(oid) = cert.extensions().unknown_critical().first() {
        return log.run(
            idx,
            CheckKind::CriticalExtensions,
            Err(PathError::UnknownCriticalExtension {
                index: idx,
                oid: oid.dotted(),
            }),
        );
    }
    if cert.extensions().is_critical(oid::AUTHORITY_INFO_ACCESS) {
        if tolerances.critical_authority_info_access {
            log.tolerate(idx, CheckKind::CriticalExtensions, Quirk::CriticalAuthorityInfoAccess);
            return Ok(());
        }
        return log.run(
            idx,
            CheckKind::CriticalExtensions,
            Err(PathError::UnknownCriticalExtension {
                index: idx,
                oid: oid::dotted(oid::AUTHORITY_INFO_ACCESS),
            }),
        );
    }
    log.pass(idx, CheckKind::CriticalExtensions);
    Ok(())
}

fn check_leaf_usage(leaf: &Certificate, options: &super::PathOptions, log: &mut Log) -> Result<(), PathError> {
    // RFC 5280 §4.2.1.3: keyCertSign only with cA (quirk 5, TSA certificates).
    if leaf.key_usage().is_some_and(|k| k.has(KeyUsage::KEY_CERT_SIGN)) && !leaf.is_ca() {
        if options.tolerances.key_cert_sign_without_ca {
            log.tolerate(0, CheckKind::KeyUsage, Quirk::KeyCertSignWithoutCa);
        } else {
            return log.run(
                0,
                CheckKind::KeyUsage,
                Err(PathError::KeyCertSignWithoutCa { index: 0 }),
            );
        }
    }
    let r = leaf_key_usage(leaf, options);
    log.run(0, CheckKind::KeyUsage, r)?;
    let r = leaf_eku(leaf, options);
    if !options.required_eku.is_empty() {
        log.run(0, CheckKind::ExtendedKeyUsage, r)?;
    }
    Ok(())
}

fn leaf_key_usage(leaf: &Certificate, options: &super::PathOptions) -> Result<(), PathError> {
    if let Some(ku) = leaf.key_usage() {
        let (ok, required) = match options.leaf_key_usage {
            LeafKeyUsage::Any => (true, ""),
            LeafKeyUsage::DigitalSignature => (ku.has(KeyUsage::DIGITAL_SIGNATURE), "digitalSignature"),
            LeafKeyUsage::NonRepudiation => (ku.has(KeyUsage::NON_REPUDIATION), "nonRepudiation"),
            LeafKeyUsage::DigitalSignatureOrNonRepudiation => (
                ku.has(KeyUsage::DIGITAL_SIGNATURE) || ku.has(KeyUsage::NON_REPUDIATION),
                "digitalSignature or nonRepudiation",
            ),
        };
        if !ok {
            return Err(PathError::KeyUsage { index: 0, required });
        }
    }
    Ok(())
}

fn leaf_eku(leaf: &Certificate, options: &super::PathOptions) -> Result<(), PathError> {
    if let Some(ekus) = &leaf.extensions().extended_key_usage {
        for want in &options.required_eku {
            if !ekus.iter().any(|e| e == want || *e == oid::KP_ANY) {
                return Err(PathError::ExtendedKeyUsage {
                    index: 0,
                    missing: want.dotted(),
                });
            }
        }
    }
    Ok(())
}

fn policy_error(index: usize, f: PolicyFailure) -> PathError {
    match f {
        PolicyFailure::NoValidPolicy => PathError::NoValidPolicy { index },
        PolicyFailure::MapsAnyPolicy => PathError::PolicyMapsAnyPolicy { index },
    }
}

/// Whether the child's authorityKeyIdentifier names the issuer's subjectKeyIdentifier.
fn key_ids_link(child: &Certificate, issuer: &Certificate) -> bool {
    matches!((child.authority_key_id(), issuer.subject_key_id()), (Some(a), Some(s)) if a == s)
}

fn check_time(cert: &Certificate, index: usize, at: Time) -> Result<(), PathError> {
    if at < cert.not_before() {
        return Err(PathError::NotYetValid {
            index,
            not_before: cert.not_before(),
            at,
        });
    }
    if at > cert.not_after() {
        return Err(PathError::Expired {
            index,
            not_after: cert.not_after(),
            at,
        });
    }
    Ok(())
}
