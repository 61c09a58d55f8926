//! RFC 5280 §6.1 basic path validation over one candidate path.

use super::builder::Search;
use super::{crypto_error, LeafKeyUsage, PathError};
use crate::cert::Certificate;
use crate::error::{CryptoError, LegacyReason};
use crate::ext::KeyUsage;
use crate::oid;

/// Validate `path` (leaf first, anchor last). Returns the legacy algorithms relied on.
///
/// The anchor contributes its name and key (§6.1.1 (d)); its validity period and its
/// pathLenConstraint are honoured as OpenSSL does. Certificates are processed from the one
/// the anchor issued down to the leaf (§6.1.3), then the leaf is wrapped up (§6.1.5).
pub(super) fn validate(path: &[Certificate], s: &mut Search<'_>) -> Result<Vec<LegacyReason>, PathError> {
    let at = s.options.time;
    let n = path.len();
    let anchor_index = n - 1;
    let mut legacy: Vec<LegacyReason> = Vec::new();
    let anchor = &path[anchor_index];
    check_time(anchor, anchor_index, at)?;
    // §6.1.2 (k) max_path_length, starting at n and narrowed by the anchor's constraint.
    let mut max_path_length = anchor
        .basic_constraints()
        .and_then(|b| b.path_len)
        .map_or(usize::MAX, |p| p as usize);
    // From the certificate under the anchor down to the leaf.
    for i in (0..anchor_index).rev() {
        let cert = &path[i];
        let issuer = &path[i + 1];
        // (a)(1) signature, over the TBSCertificate as received. When the key identifiers
        // do not tie the two together, a failing signature only means this candidate is not
        // the issuer (a look-alike with the same name): "no issuer", not "bad signature".
        let v = s.signature(cert, issuer).map_err(|e| match e {
            CryptoError::BadSignature if !key_ids_link(cert, issuer) => PathError::NoIssuerFound {
                index: i,
                issuer: cert.issuer().display(),
            },
            other => crypto_error(i, other),
        })?;
        for r in v.legacy {
            if !legacy.contains(&r) {
                legacy.push(r);
            }
        }
        // (a)(2) validity at the validation time.
        check_time(cert, i, at)?;
        // (o) no unprocessed critical extension.
        if let Some(oid) = cert.extensions().unknown_critical().first() {
            return Err(PathError::UnknownCriticalExtension {
                index: i,
                oid: oid.dotted(),
            });
        }
        if i == 0 {
            break;
        }
        // §6.1.4 preparation for the next certificate: cert is an intermediate CA.
        // (k) basicConstraints cA.
        if !cert.is_ca() {
            return Err(PathError::NotCa { index: i });
        }
        // (l) path length: self-issued certificates do not count.
        if !cert.is_self_issued() {
            if max_path_length == 0 {
                return Err(PathError::PathLenExceeded { index: i });
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
                index: i,
                required: "keyCertSign",
            });
        }
    }
    if n == 1 {
        check_time(&path[0], 0, at)?;
    }
    // §6.1.5 wrap-up on the leaf: what the caller asked of it.
    let leaf = &path[0];
    if let Some(ku) = leaf.key_usage() {
        let ok = match s.options.leaf_key_usage {
            LeafKeyUsage::Any => true,
            LeafKeyUsage::DigitalSignature => ku.has(KeyUsage::DIGITAL_SIGNATURE),
            LeafKeyUsage::NonRepudiation => ku.has(KeyUsage::NON_REPUDIATION),
            LeafKeyUsage::DigitalSignatureOrNonRepudiation => {
                ku.has(KeyUsage::DIGITAL_SIGNATURE) || ku.has(KeyUsage::NON_REPUDIATION)
            }
        };
        if !ok {
            return Err(PathError::KeyUsage {
                index: 0,
                required: match s.options.leaf_key_usage {
                    LeafKeyUsage::DigitalSignature => "digitalSignature",
                    LeafKeyUsage::NonRepudiation => "nonRepudiation",
                    _ => "digitalSignature or nonRepudiation",
                },
            });
        }
    }
    if let Some(ekus) = &leaf.extensions().extended_key_usage {
        for want in &s.options.required_eku {
            if !ekus.iter().any(|e| e == want || *e == oid::KP_ANY) {
                return Err(PathError::ExtendedKeyUsage {
                    index: 0,
                    missing: want.dotted(),
                });
            }
        }
    }
    Ok(legacy)
}

/// Whether the child's authorityKeyIdentifier names the issuer's subjectKeyIdentifier.
fn key_ids_link(child: &Certificate, issuer: &Certificate) -> bool {
    matches!((child.authority_key_id(), issuer.subject_key_id()), (Some(a), Some(s)) if a == s)
}

fn check_time(cert: &Certificate, index: usize, at: crate::time::Time) -> Result<(), PathError> {
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
