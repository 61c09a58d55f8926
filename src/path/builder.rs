//! Candidate paths from a leaf to an anchor, depth first, within an explicit budget.

use std::collections::HashMap;
use std::sync::Arc;

use super::validate::Log;
use super::{crypto_error, validate, ChainResult, Check, CheckKind, CheckOutcome, PathError, PathOptions};
use crate::cert::Certificate;
use crate::crypto::{CryptoProvider, Verified};
use crate::error::CryptoError;
use crate::revocation::{self, CertStatus, RevocationMode, SignerCheck};
use crate::trust::{Hierarchy, TrustStore};

/// Limits on path building. Each stops a hostile pool (hundreds of cross-signed CAs sharing
/// one name) from costing more than a bounded amount of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Signature verifications (the expensive step). 100, as in rustls-webpki, which has run
    /// against the web PKI's worst cross-signing for years; a Vietnamese path needs 2–3.
    pub max_signature_checks: usize,
    /// Issuer candidates considered. 1,000: a pool would need hundreds of same-name CAs to
    /// come near it.
    pub max_candidates: usize,
    /// Certificates in one path, anchor included. 10: Vietnamese paths have 2–3, PKITS 6.
    pub max_depth: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_signature_checks: 100,
            max_candidates: 1_000,
            max_depth: 10,
        }
    }
}

/// The most specific failure seen: error, path, hierarchy reached, checks made.
type Failure = (PathError, Vec<Certificate>, Option<Hierarchy>, Vec<Check>);

pub(super) struct Search<'a> {
    pub options: &'a PathOptions,
    provider: &'a dyn CryptoProvider,
    store: &'a TrustStore,
    pool: &'a [Certificate],
    /// CRL signers whose paths enclosing searches are validating (SHA-256 of each).
    signers_in_progress: Vec<[u8; 32]>,
    signature_cache: HashMap<([u8; 32], [u8; 32]), Result<Verified, CryptoError>>,
    pub signature_checks: usize,
    candidates: usize,
    best: Option<Failure>,
    exhausted: Option<&'static str>,
}

impl Search<'_> {
    /// Verify `child`'s signature with `issuer`'s key, once per pair in this search, and once
    /// per trust store across searches (see [`TrustStore`]'s cache): a batch of thousands of
    /// invoices from one seller checks the seller certificate's signature once.
    pub fn signature(&mut self, child: &Certificate, issuer: &Certificate) -> Result<Verified, CryptoError> {
        let key = (*child.sha256(), *issuer.sha256());
        if let Some(r) = self.signature_cache.get(&key) {
            return r.clone();
        }
        let policy = self.options.algorithms;
        {
            if let Some(v) = self.store.cached_signature(&key) {
                // Verified before, perhaps under another policy: the policy still decides.
                return match v.legacy.first() {
                    Some(reason) if !policy.allow_legacy => {
                        Err(CryptoError::LegacyAlgorithmRejected { reason: *reason })
                    }
                    _ => Ok(v),
                };
            }
        }
        self.signature_checks += 1;
        let r = child.verify_signed_by(issuer, self.provider, policy);
        if let Ok(v) = &r {
            self.store.cache_signature(key, v.clone());
        }
        self.signature_cache.insert(key, r.clone());
        r
    }

    fn out_of_budget(&mut self) -> bool {
        let b = self.options.budget;
        if self.signature_checks >= b.max_signature_checks {
            self.exhausted = Some("signature-check");
        } else if self.candidates >= b.max_candidates {
            self.exhausted = Some("candidate");
        }
        self.exhausted.is_some()
    }

    fn record(&mut self, e: PathError, path: &[Certificate], h: Option<&Hierarchy>, checks: Vec<Check>) {
        if self.best.as_ref().is_none_or(|(b, _, _, _)| e.rank() > b.rank()) {
            // For "no issuer", the path stops at the certificate left without one.
            let (path, h) = match e {
                PathError::NoIssuerFound { index, .. } => (path.get(..=index).unwrap_or(path).to_vec(), None),
                _ => (path.to_vec(), h.cloned()),
            };
            self.best = Some((e, path, h, checks));
        }
    }
}

/// Key identifier match first: candidates whose subjectKeyIdentifier equals the child's
/// authorityKeyIdentifier come before those that merely share the name.
fn order<T>(child: &Certificate, mut v: Vec<T>, cert: impl Fn(&T) -> &Certificate) -> Vec<T> {
    let aki = child.authority_key_id();
    v.sort_by_key(|t| !(aki.is_some() && aki == cert(t).subject_key_id()));
    v
}

/// Whether `cand` repeats a (subject, key) pair already on the path.
fn loops(path: &[Certificate], cand: &Certificate) -> bool {
    path.iter()
        .any(|c| c.subject().der() == cand.subject().der() && c.spki_der() == cand.spki_der())
}

/// Deepest nesting of CRL-signer path validations (a CRL signed by a separate key whose
/// certificate needs its own CRL…). PKITS needs 1; 3 leaves room and bounds the work.
const MAX_SIGNER_DEPTH: usize = 3;

impl Search<'_> {
    /// The revocation status of `cert` (issued by `issuer`, on a path ending at `anchor`).
    pub fn revocation_status(&mut self, cert: &Certificate, issuer: &Certificate, anchor: &Certificate) -> CertStatus {
        if self.options.revocation.mode == RevocationMode::Off {
            return CertStatus::NotChecked;
        }
        let evidence = Arc::clone(&self.options.revocation.evidence);
        let judge = revocation::Judge {
            evidence: &evidence,
            at: self.options.time,
            algorithms: self.options.algorithms,
            en_dash: self.options.tolerances.en_dash_crl_issuer,
        };
        revocation::crl_status(cert, issuer, anchor, &judge, self)
    }
}

impl SignerCheck for Search<'_> {
    fn signer_path_valid(&mut self, signer: &Certificate, anchor: &Certificate) -> bool {
        if self.signers_in_progress.len() >= MAX_SIGNER_DEPTH {
            return false;
        }
        let mut store = TrustStore::new();
        let h = self
            .store
            .anchor_for(anchor)
            .map_or(Hierarchy::Custom("anchor".into()), |a| a.hierarchy.clone());
        store.add_anchor(anchor.clone(), h);
        let mut options = self.options.clone();
        options.leaf_key_usage = super::LeafKeyUsage::Any;
        options.required_eku.clear();
        options.policy = super::PolicySettings::default();
        let mut in_progress = self.signers_in_progress.clone();
        in_progress.push(*signer.sha256());
        let r = search_at(signer, self.pool, &store, &options, self.provider, in_progress);
        r.verdict == super::Verdict::Valid
    }

    fn in_progress(&self, signer: &Certificate) -> bool {
        self.signers_in_progress.contains(signer.sha256())
    }

    fn candidates(&self, issuer: &crate::name::Name) -> Vec<Certificate> {
        let mut v: Vec<Certificate> = self
            .pool
            .iter()
            .filter(|c| c.subject().matches(issuer))
            .cloned()
            .collect();
        for c in self
            .store
            .intermediates()
            .iter()
            .map(|i| &i.certificate)
            .chain(self.store.anchors().iter().map(|a| &a.certificate))
        {
            if c.subject().matches(issuer) && !v.contains(c) {
                v.push(c.clone());
            }
        }
        v
    }

    fn provider(&self) -> &dyn CryptoProvider {
        self.provider
    }
}

pub(super) fn search(
    leaf: &Certificate,
    pool: &[Certificate],
    store: &TrustStore,
    options: &PathOptions,
    provider: &dyn CryptoProvider,
) -> ChainResult {
    search_at(leaf, pool, store, options, provider, Vec::new())
}

fn search_at(
    leaf: &Certificate,
    pool: &[Certificate],
    store: &TrustStore,
    options: &PathOptions,
    provider: &dyn CryptoProvider,
    signers_in_progress: Vec<[u8; 32]>,
) -> ChainResult {
    let mut s = Search {
        options,
        provider,
        store,
        pool,
        signers_in_progress,
        signature_cache: HashMap::new(),
        signature_checks: 0,
        candidates: 0,
        best: None,
        exhausted: None,
    };
    // A leaf that is itself an anchor: only the end-entity checks apply.
    if let Some(a) = store.anchor_for(leaf) {
        let path = vec![leaf.clone()];
        let mut log = Log::default();
        return match validate::validate(&path, &mut s, &mut log) {
            Ok(outcome) => ChainResult::valid(path, a.hierarchy.clone(), outcome, s.signature_checks),
            Err(e) => ChainResult::failed(e, path, Some(a.hierarchy.clone()), log.checks, s.signature_checks),
        };
    }
    let mut path = vec![leaf.clone()];
    if let Some((p, h, outcome)) = dfs(&mut s, &mut path, pool, store) {
        return ChainResult::valid(p, h, outcome, s.signature_checks);
    }
    let checks = s.signature_checks;
    match (s.best.take(), s.exhausted) {
        (Some((e, p, h, list)), _) => ChainResult::failed(e, p, h, list, checks),
        (None, Some(limit)) => ChainResult::failed(
            PathError::BudgetExhausted { limit },
            Vec::new(),
            None,
            Vec::new(),
            checks,
        ),
        (None, None) => ChainResult::failed(
            PathError::NoIssuerFound {
                index: 0,
                issuer: leaf.issuer().display(),
            },
            Vec::new(),
            None,
            Vec::new(),
            checks,
        ),
    }
}

type Found = (Vec<Certificate>, Hierarchy, validate::Outcome);

fn dfs(s: &mut Search<'_>, path: &mut Vec<Certificate>, pool: &[Certificate], store: &TrustStore) -> Option<Found> {
    let cur = path.last()?.clone();
    // Anchors first: a complete path is validated as soon as one is reached.
    let anchors: Vec<(&Certificate, Hierarchy)> = store
        .anchor_issuers(&cur)
        .map(|a| (&a.certificate, a.hierarchy.clone()))
        .collect();
    for (anchor, h) in order(&cur, anchors, |t| t.0) {
        if s.out_of_budget() {
            return None;
        }
        s.candidates += 1;
        path.push(anchor.clone());
        let mut log = Log::default();
        match validate::validate(path, s, &mut log) {
            Ok(outcome) => return Some((path.clone(), h, outcome)),
            Err(e) => {
                let snapshot = path.clone();
                s.record(e, &snapshot, Some(&h), log.checks);
            }
        }
        path.pop();
    }
    if path.len() + 1 >= s.options.budget.max_depth {
        return None;
    }
    let mut inters: Vec<&Certificate> = pool.iter().filter(|c| cur.names_issuer(c)).collect();
    for i in store.intermediate_issuers(&cur) {
        if !inters.contains(&&i.certificate) {
            inters.push(&i.certificate);
        }
    }
    for cand in order(&cur, inters, |t| t) {
        if loops(path, cand) || store.anchor_for(cand).is_some() {
            continue;
        }
        if s.out_of_budget() {
            return None;
        }
        s.candidates += 1;
        // Prune on the signature before going deeper; the result is cached for validation.
        if let Err(e) = s.signature(&cur, cand) {
            if !matches!(e, CryptoError::BadSignature) {
                // An algorithm refusal is specific and worth reporting.
                let mut p = path.clone();
                p.push(cand.clone());
                let index = path.len() - 1;
                let check = Check {
                    index,
                    check: CheckKind::Signature,
                    outcome: CheckOutcome::Failed,
                    detail: None,
                    quirk: None,
                    status: None,
                };
                s.record(crypto_error(index, e), &p, None, vec![check]);
            }
            continue;
        }
        path.push(cand.clone());
        if let Some(found) = dfs(s, path, pool, store) {
            return Some(found);
        }
        path.pop();
    }
    None
}
