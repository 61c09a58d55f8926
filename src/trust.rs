//! The trust model: anchors tagged with the hierarchy they belong to, plus a pool of known
//! intermediates. One store can hold both Vietnamese hierarchies at once; every answer says
//! which hierarchy it reached.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::cert::Certificate;
use crate::crypto::{AlgorithmPolicy, CryptoProvider, Verified};

/// Which PKI an anchor (and everything chaining to it) belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Hierarchy {
    /// The government-specialized PKI of Ban Cơ yếu Chính phủ (VGCA G1 and G2 roots).
    Government,
    /// The public PKI under NEAC's national roots and the licensed CAs.
    Public,
    /// A caller's own anchors, under a name the caller chose.
    Custom(String),
}

impl Hierarchy {
    /// Stable identifier used in JSON: `government`, `public`, or `custom:<name>`.
    pub fn id(&self) -> String {
        match self {
            Hierarchy::Government => "government".into(),
            Hierarchy::Public => "public".into(),
            Hierarchy::Custom(n) => format!("custom:{n}"),
        }
    }

    /// English label for reports.
    pub fn label_en(&self) -> String {
        match self {
            Hierarchy::Government => "government-specialized (VGCA)".into(),
            Hierarchy::Public => "public (NEAC national root)".into(),
            Hierarchy::Custom(n) => format!("custom ({n})"),
        }
    }

    /// Vietnamese label for reports.
    pub fn label_vi(&self) -> String {
        match self {
            Hierarchy::Government => "chuyên dùng Chính phủ (Ban Cơ yếu Chính phủ)".into(),
            Hierarchy::Public => "công cộng (Root CA quốc gia)".into(),
            Hierarchy::Custom(n) => format!("tự khai báo ({n})"),
        }
    }
}

impl serde::Serialize for Hierarchy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id())
    }
}

impl std::fmt::Display for Hierarchy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.id())
    }
}

/// A trusted certificate and the hierarchy it anchors.
#[derive(Debug, Clone)]
pub struct TrustAnchor {
    /// The anchor certificate (its key and name are what is trusted).
    pub certificate: Certificate,
    /// The hierarchy.
    pub hierarchy: Hierarchy,
}

/// A known intermediate CA certificate, offered to path building as a candidate (never
/// trusted by itself).
#[derive(Debug, Clone)]
pub struct KnownIntermediate {
    /// The certificate.
    pub certificate: Certificate,
    /// The hierarchy it is published under (informational; the path decides).
    pub hierarchy: Hierarchy,
}

/// Anchors and known intermediates.
///
/// A store also remembers the certificate signatures it has seen verify, CA to CA and CA to
/// leaf (keyed by the SHA-256 of both certificates' DER), so that validating the thousandth
/// invoice of a seller checks neither the licensed CA's certificate against the root nor the
/// seller's against the licensed CA again. Only successes are kept, with
/// the legacy properties they had; the algorithm policy of each validation still applies.
/// Clones of a store share the cache.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<TrustAnchor>,
    intermediates: Vec<KnownIntermediate>,
    bundle_date: Option<&'static str>,
    signature_cache: Arc<Mutex<HashMap<SignaturePair, Verified>>>,
}

/// SHA-256 of a certificate and of the certificate whose key verified its signature.
type SignaturePair = ([u8; 32], [u8; 32]);

/// Most verified certificate signatures (CA to CA, and CA to leaf) a store remembers; the
/// cache is emptied when full. The Vietnamese hierarchies have under 100 CA certificates; the
/// rest is room for the signers of a batch (about 100 bytes each, so 1.6 MB at most).
const SIGNATURE_CACHE_LIMIT: usize = 16_384;

/// How a certificate was placed in a hierarchy by [`TrustStore::identify`].
#[derive(Debug, Clone)]
pub struct Identification {
    /// The hierarchy of the anchor reached.
    pub hierarchy: Hierarchy,
    /// The anchor reached.
    pub anchor: Certificate,
    /// The certificates from the one identified (first) to the anchor (last). A single element
    /// when the certificate is itself an anchor.
    pub chain: Vec<Certificate>,
}

/// Deepest chain [`TrustStore::identify`] follows. Vietnamese chains are 2–3 long.
const IDENTIFY_MAX_DEPTH: usize = 8;
/// Most signature checks [`TrustStore::identify`] spends.
const IDENTIFY_MAX_SIGNATURES: usize = 64;

impl TrustStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The anchors.
    pub fn anchors(&self) -> &[TrustAnchor] {
        &self.anchors
    }

    /// The known intermediates.
    pub fn intermediates(&self) -> &[KnownIntermediate] {
        &self.intermediates
    }

    /// The date of the embedded bundle, for a store built from it.
    pub fn bundle_date(&self) -> Option<&'static str> {
        self.bundle_date
    }

    pub(crate) fn set_bundle_date(&mut self, date: &'static str) {
        self.bundle_date = Some(date);
    }

    /// Trust `certificate` as an anchor of `hierarchy`. Adding the same certificate twice
    /// keeps one.
    pub fn add_anchor(&mut self, certificate: Certificate, hierarchy: Hierarchy) {
        if !self.anchors.iter().any(|a| a.certificate == certificate) {
            self.intermediates.retain(|i| i.certificate != certificate);
            self.anchors.push(TrustAnchor { certificate, hierarchy });
        }
    }

    /// Offer `certificate` as a known intermediate.
    pub fn add_intermediate(&mut self, certificate: Certificate, hierarchy: Hierarchy) {
        if !self.anchors.iter().any(|a| a.certificate == certificate)
            && !self.intermediates.iter().any(|i| i.certificate == certificate)
        {
            self.intermediates.push(KnownIntermediate { certificate, hierarchy });
        }
    }

    /// A certificate signature verified before (see the type's documentation).
    pub(crate) fn cached_signature(&self, pair: &SignaturePair) -> Option<Verified> {
        self.signature_cache.lock().ok()?.get(pair).cloned()
    }

    pub(crate) fn cache_signature(&self, pair: SignaturePair, v: Verified) {
        if let Ok(mut cache) = self.signature_cache.lock() {
            if cache.len() >= SIGNATURE_CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(pair, v);
        }
    }

    /// The anchor with exactly this certificate.
    pub fn anchor_for(&self, cert: &Certificate) -> Option<&TrustAnchor> {
        self.anchors.iter().find(|a| &a.certificate == cert)
    }

    /// Anchors whose subject (and key identifier, where both sides have one) name `cert`'s
    /// issuer.
    pub fn anchor_issuers<'a>(&'a self, cert: &'a Certificate) -> impl Iterator<Item = &'a TrustAnchor> + 'a {
        self.anchors.iter().filter(move |a| cert.names_issuer(&a.certificate))
    }

    /// Known intermediates that name `cert`'s issuer.
    pub fn intermediate_issuers<'a>(
        &'a self,
        cert: &'a Certificate,
    ) -> impl Iterator<Item = &'a KnownIntermediate> + 'a {
        self.intermediates
            .iter()
            .filter(move |i| cert.names_issuer(&i.certificate) && &i.certificate != cert)
    }

    /// Place a certificate in a hierarchy by following issuer links whose signatures verify,
    /// up to an anchor. This identifies; it does not validate: validity periods, key usage,
    /// policies and revocation are not looked at (see the `path` module for that), and legacy
    /// algorithms are accepted because the G1 and MIC roots sign with SHA-1.
    pub fn identify(&self, cert: &Certificate, provider: &dyn CryptoProvider) -> Option<Identification> {
        let mut budget = IDENTIFY_MAX_SIGNATURES;
        let mut chain = vec![cert.clone()];
        self.identify_from(provider, &mut chain, &mut budget)
    }

    fn identify_from(
        &self,
        provider: &dyn CryptoProvider,
        chain: &mut Vec<Certificate>,
        budget: &mut usize,
    ) -> Option<Identification> {
        let cert = chain.last()?.clone();
        if let Some(a) = self.anchor_for(&cert) {
            return Some(Identification {
                hierarchy: a.hierarchy.clone(),
                anchor: a.certificate.clone(),
                chain: chain.clone(),
            });
        }
        if chain.len() > IDENTIFY_MAX_DEPTH {
            return None;
        }
        let candidates: Vec<&Certificate> = self
            .anchor_issuers(&cert)
            .map(|a| &a.certificate)
            .chain(self.intermediate_issuers(&cert).map(|i| &i.certificate))
            .collect();
        for issuer in candidates {
            if chain.contains(issuer) || *budget == 0 {
                continue;
            }
            *budget -= 1;
            if cert
                .verify_signed_by(issuer, provider, AlgorithmPolicy::LEGACY)
                .is_err()
            {
                continue;
            }
            chain.push(issuer.clone());
            if let Some(found) = self.identify_from(provider, chain, budget) {
                return Some(found);
            }
            chain.pop();
        }
        None
    }
}
