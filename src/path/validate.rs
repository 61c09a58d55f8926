//! RFC 5280 §6.1 path validation over one candidate path.

use super::builder::Search;
use super::names;
use super::policy::{PolicyFailure, PolicyState};
use super::{crypto_error, LeafKeyUsage, PathError};
use crate::cert::Certificate;
use crate::error::{CryptoError, LegacyReason};
use crate::ext::{KeyUsage, NameConstraints};
use crate::oid::{self, Oid};
use crate::time::Time;

/// What a valid path yields besides its certificates.
pub(super) struct Outcome {
    /// Legacy algorithms the path relies on.
    pub legacy: Vec<LegacyReason>,
    /// The user-constrained policy set (§6.1.6), `[anyPolicy]` when unconstrained.
    pub policies: Vec<Oid>,
}

/// Validate `path` (leaf first, anchor last).
///
/// The anchor contributes its name and key (§6.1.1 (d)); its validity period and its
/// pathLenConstraint are honoured as OpenSSL does, its other extensions are not processed.
/// Certificates are processed from the one the anchor issued (i = 1) down to the leaf
/// (i = n) per §6.1.3, with §6.1.4 between them and §6.1.5 at the end.
pub(super) fn validate(path: &[Certificate], s: &mut Search<'_>) -> Result<Outcome, PathError> {
    let options = s.options;
    let at = options.time;
    let anchor_index = path.len() - 1;
    let n = anchor_index;
    let mut legacy: Vec<LegacyReason> = Vec::new();
    let anchor = &path[anchor_index];
    check_time(anchor, anchor_index, at)?;
    let mut max_path_length = anchor
        .basic_constraints()
        .and_then(|b| b.path_len)
        .map_or(usize::MAX, |p| p as usize);
    let mut policy = PolicyState::new(&options.policy, n);
    let mut constraints: Vec<&NameConstraints> = Vec::new();
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
        })?;
        for r in v.legacy {
            if !legacy.contains(&r) {
                legacy.push(r);
            }
        }
        // (a)(2) validity.
        check_time(cert, idx, at)?;
        // (b)–(c) name constraints; a self-issued intermediate is exempt.
        if i == n || !cert.is_self_issued() {
            names::check(cert, &constraints).map_err(|v| PathError::NameConstraint {
                index: idx,
                name: v.name,
                excluded: v.excluded,
            })?;
        }
        // (d)–(f) policies.
        policy.process(cert, i, n).map_err(|f| policy_error(idx, f))?;
        // (o) no unprocessed critical extension.
        if let Some(oid) = cert.extensions().unknown_critical().first() {
            return Err(PathError::UnknownCriticalExtension {
                index: idx,
                oid: oid.dotted(),
            });
        }
        if i == n {
            break;
        }
        // §6.1.4 preparation for the next certificate.
        policy.prepare_next(cert).map_err(|f| policy_error(idx, f))?;
        // (g) name constraints of this CA apply below it.
        if let Some(nc) = &cert.extensions().name_constraints {
            constraints.push(nc);
        }
        // (k) basicConstraints cA.
        if !cert.is_ca() {
            return Err(PathError::NotCa { index: idx });
        }
        // (l) path length: self-issued certificates do not count.
        if !cert.is_self_issued() {
            if max_path_length == 0 {
                return Err(PathError::PathLenExceeded { index: idx });
            }
            max_path_length -= 1;
        }
        // (m) the certificate's own constraint.
        if let Some(p) = cert.basic_constraints().and_then(|b| b.path_len) {
            max_path_length = max_path_length.min(p as usize);
        }
        // (n) keyCertSign.
        if cert.key_usage().is_some_and(|k| !k.has(KeyUsage::KEY_CERT_SIGN)) {
            return Err(PathError::KeyUsage {
                index: idx,
                required: "keyCertSign",
            });
        }
    }
    let leaf = &path[0];
    if n == 0 {
        check_time(leaf, 0, at)?;
    }
    // §6.1.5: policies, then what the caller asked of the leaf.
    let policies = if n == 0 {
        vec![Oid::from_der_contents(oid::ANY_POLICY)]
    } else {
        policy.wrap_up(leaf, &options.policy).map_err(|f| policy_error(0, f))?
    };
    check_leaf_usage(leaf, options)?;
    Ok(Outcome { legacy, policies })
}

fn check_leaf_usage(leaf: &Certificate, options: &super::PathOptions) -> Result<(), PathError> {
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
