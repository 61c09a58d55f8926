//! Fetching revocation evidence and issuer certificates over HTTP (feature `net`).
//!
//! The only module that touches the network. Everything it returns is evidence for the
//! I/O-free core: CRLs from cRLDistributionPoints (and freshestCRL), OCSP responses from the
//! authorityInfoAccess responder (POST with a nonce; GET for small requests when asked), and
//! issuer certificates from caIssuers (.cer/.crt in DER or PEM, or .p7b bundles). Every request
//! has a timeout, a size limit and a bounded number of redirects; CRLs are cached until their
//! nextUpdate.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine;

use crate::cert::Certificate;
use crate::crypto::{CryptoProvider, HashAlgorithm};
use crate::revocation::ocsp::{self, CertId, OcspError};
use crate::revocation::{Crl, OcspResponse, RevocationEvidence};
use crate::time::Time;

/// Limits on every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchLimits {
    /// Whole-request timeout (connect, send, receive). 10 s: Vietnamese OCSP responders answer
    /// in well under a second; a dead one should not hold a batch.
    pub timeout: Duration,
    /// Largest CRL accepted: 128 MiB (the largest national CRLs are ~50 MB).
    pub max_crl_size: usize,
    /// Largest OCSP response or certificate file accepted: 1 MiB.
    pub max_small_size: usize,
    /// Redirects followed: 3.
    pub max_redirects: u32,
    /// Use HTTP GET for OCSP requests whose base64 form fits in 255 bytes (RFC 6960 App. A.1),
    /// without a nonce, so that caches can answer; otherwise POST with a nonce.
    pub ocsp_get: bool,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            timeout: Duration::from_secs(10),
            max_crl_size: 128 << 20,
            max_small_size: 1 << 20,
            max_redirects: 3,
            ocsp_get: false,
        }
    }
}

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchError {
    /// Not an http or https URL (e.g. ldap://, which kyso does not speak).
    UnsupportedUrl {
        /// The URL.
        url: String,
    },
    /// Connection refused, timeout, TLS failure, too many redirects…
    Network {
        /// The URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// An HTTP status other than 200.
    Status {
        /// The URL.
        url: String,
        /// The status.
        status: u16,
    },
    /// The body is larger than the limit.
    TooLarge {
        /// The URL.
        url: String,
        /// The limit in bytes.
        limit: usize,
    },
    /// The body is not what was asked for.
    Parse {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The OCSP response does not carry the nonce sent.
    NonceMismatch {
        /// The URL.
        url: String,
    },
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::UnsupportedUrl { url } => write!(f, "{url}: only http and https are fetched"),
            FetchError::Network { url, reason } => write!(f, "{url}: {reason}"),
            FetchError::Status { url, status } => write!(f, "{url}: HTTP status {status}"),
            FetchError::TooLarge { url, limit } => write!(f, "{url}: larger than {limit} bytes"),
            FetchError::Parse { url, reason } => write!(f, "{url}: {reason}"),
            FetchError::NonceMismatch { url } => write!(f, "{url}: OCSP response without the nonce sent"),
        }
    }
}

impl std::error::Error for FetchError {}

/// What [`Fetcher::gather`] tried and how it went, per URL.
pub use crate::revocation::EvidenceNote as FetchNote;

/// The HTTP fetcher as an [`EvidenceSource`](crate::verifier::EvidenceSource): issuer certificates from caIssuers, then OCSP
/// responses or CRLs for the completed path, through the process's shared fetcher (so a CRL
/// is downloaded once until its nextUpdate, however many signatures a batch verifies).
#[derive(Debug, Clone, Copy, Default)]
pub struct OnlineEvidence;

impl crate::verifier::EvidenceSource for OnlineEvidence {
    fn gather(
        &self,
        leaf: &Certificate,
        pool: &mut Vec<Certificate>,
        store: &crate::trust::TrustStore,
        options: &crate::path::PathOptions,
        evidence: &mut RevocationEvidence,
    ) -> Vec<FetchNote> {
        complete_and_gather(leaf, pool, store, options, evidence)
    }
}

struct Cached {
    crl: std::sync::Arc<Crl>,
    until: Option<Time>,
}

/// An HTTP client for evidence, with a CRL cache.
pub struct Fetcher {
    agent: ureq::Agent,
    limits: FetchLimits,
    crl_cache: Mutex<HashMap<String, Cached>>,
}

/// The process's fetcher with the default limits, shared by [`complete_and_gather`] and
/// [`OnlineEvidence`] so their CRL cache serves every call.
pub fn shared() -> &'static Fetcher {
    static SHARED: std::sync::OnceLock<Fetcher> = std::sync::OnceLock::new();
    SHARED.get_or_init(|| Fetcher::new(FetchLimits::default()))
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher").field("limits", &self.limits).finish()
    }
}

fn supported(url: &str) -> Result<(), FetchError> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(())
    } else {
        Err(FetchError::UnsupportedUrl { url: url.into() })
    }
}

impl Fetcher {
    /// A fetcher with these limits.
    pub fn new(limits: FetchLimits) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(limits.timeout))
            .max_redirects(limits.max_redirects)
            .http_status_as_error(false)
            .user_agent("kyso")
            .build();
        Fetcher {
            agent: ureq::Agent::new_with_config(config),
            limits,
            crl_cache: Mutex::new(HashMap::new()),
        }
    }

    fn read(
        &self,
        url: &str,
        resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        limit: usize,
    ) -> Result<Vec<u8>, FetchError> {
        let mut resp = resp.map_err(|e| FetchError::Network {
            url: url.into(),
            reason: e.to_string(),
        })?;
        let status = resp.status().as_u16();
        if status != 200 {
            return Err(FetchError::Status {
                url: url.into(),
                status,
            });
        }
        let mut out = Vec::new();
        // kyso's own limit (one byte past it tells "too large"), not ureq's default.
        let reader = resp.body_mut().with_config().limit(u64::MAX).reader();
        reader
            .take(limit as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| FetchError::Network {
                url: url.into(),
                reason: e.to_string(),
            })?;
        if out.len() > limit {
            return Err(FetchError::TooLarge { url: url.into(), limit });
        }
        Ok(out)
    }

    fn get(&self, url: &str, limit: usize) -> Result<Vec<u8>, FetchError> {
        supported(url)?;
        self.read(url, self.agent.get(url).call(), limit)
    }

    /// Fetch a CRL, from the cache while `now` is before its nextUpdate.
    pub fn crl(&self, url: &str, now: Time) -> Result<std::sync::Arc<Crl>, FetchError> {
        if let Ok(cache) = self.crl_cache.lock() {
            if let Some(c) = cache.get(url) {
                if c.until.is_some_and(|u| now <= u) {
                    return Ok(c.crl.clone());
                }
            }
        }
        let bytes = self.get(url, self.limits.max_crl_size)?;
        let crl = std::sync::Arc::new(
            Crl::from_bytes(&bytes)
                .map_err(|e| FetchError::Parse {
                    url: url.into(),
                    reason: e.to_string(),
                })?
                .with_origin(url),
        );
        if let Ok(mut cache) = self.crl_cache.lock() {
            cache.insert(
                url.into(),
                Cached {
                    crl: crl.clone(),
                    until: crl.next_update(),
                },
            );
        }
        Ok(crl)
    }

    /// Ask the responder at `url` about `cert` (issued by `issuer`).
    pub fn ocsp(
        &self,
        url: &str,
        cert: &Certificate,
        issuer: &Certificate,
        provider: &dyn CryptoProvider,
    ) -> Result<OcspResponse, FetchError> {
        supported(url)?;
        let id = CertId::new(cert, issuer, HashAlgorithm::Sha1, provider);
        let parse = |bytes: &[u8]| {
            OcspResponse::from_der(bytes)
                .map(|r| r.with_origin(url))
                .map_err(|e: OcspError| FetchError::Parse {
                    url: url.into(),
                    reason: e.to_string(),
                })
        };
        let plain = ocsp::request_der(&id, None);
        let b64 = base64::engine::general_purpose::STANDARD.encode(&plain);
        if self.limits.ocsp_get && b64.len() <= 255 {
            let escaped: String = b64
                .chars()
                .map(|c| match c {
                    '+' => "%2B".to_string(),
                    '/' => "%2F".to_string(),
                    '=' => "%3D".to_string(),
                    c => c.to_string(),
                })
                .collect();
            let full = format!("{}/{escaped}", url.trim_end_matches('/'));
            let bytes = self.read(url, self.agent.get(&full).call(), self.limits.max_small_size)?;
            return parse(&bytes);
        }
        let nonce = nonce_for(cert, provider);
        let req = ocsp::request_der(&id, Some(&nonce));
        let resp = self
            .agent
            .post(url)
            .header("Content-Type", "application/ocsp-request")
            .header("Accept", "application/ocsp-response")
            .send(&req[..]);
        let bytes = self.read(url, resp, self.limits.max_small_size)?;
        let parsed = parse(&bytes)?;
        if parsed.nonce.as_deref() != Some(&nonce[..]) {
            return Err(FetchError::NonceMismatch { url: url.into() });
        }
        Ok(parsed)
    }

    /// Fetch the certificates at a caIssuers URL (DER, PEM or .p7b).
    pub fn ca_issuers(&self, url: &str) -> Result<Vec<Certificate>, FetchError> {
        let bytes = self.get(url, self.limits.max_small_size)?;
        crate::input::load_certificates(&bytes).map_err(|e| FetchError::Parse {
            url: url.into(),
            reason: e.to_string(),
        })
    }

    /// Gather evidence for every certificate of `path` (leaf first, anchor last) but the
    /// anchor: the OCSP responder when the certificate names one, else (or when it fails) its
    /// CRL distribution points and freshestCRL. Failures are notes, never errors: the
    /// validation's revocation mode decides what missing evidence means.
    pub fn gather(
        &self,
        path: &[Certificate],
        provider: &dyn CryptoProvider,
        now: Time,
    ) -> (RevocationEvidence, Vec<FetchNote>) {
        let mut evidence = RevocationEvidence::default();
        let mut notes = Vec::new();
        for pair in path.windows(2) {
            let [cert, issuer] = pair else { continue };
            let mut decided = false;
            for url in cert.extensions().ocsp_uris() {
                match self.ocsp(url, cert, issuer, provider) {
                    Ok(r) => {
                        evidence.ocsp.push(std::sync::Arc::new(r));
                        notes.push(FetchNote {
                            url: url.into(),
                            kind: "ocsp",
                            error: None,
                        });
                        decided = true;
                        break;
                    }
                    Err(e) => notes.push(FetchNote {
                        url: url.into(),
                        kind: "ocsp",
                        error: Some(e.to_string()),
                    }),
                }
            }
            if decided {
                continue;
            }
            let ext = cert.extensions();
            let urls: Vec<&str> = ext
                .crl_distribution_points
                .iter()
                .flatten()
                .chain(ext.freshest_crl.iter().flatten())
                .flat_map(|dp| dp.uris())
                .collect();
            for url in urls {
                match self.crl(url, now) {
                    Ok(c) => {
                        if !evidence.crls.iter().any(|x| x.der() == c.der()) {
                            evidence.crls.push(c);
                        }
                        notes.push(FetchNote {
                            url: url.into(),
                            kind: "crl",
                            error: None,
                        });
                    }
                    Err(e) => notes.push(FetchNote {
                        url: url.into(),
                        kind: "crl",
                        error: Some(e.to_string()),
                    }),
                }
            }
        }
        (evidence, notes)
    }
}

/// A request nonce: 16 bytes from the certificate's fingerprint and the clock, unpredictable
/// enough to tie a response to this request (RFC 8954 asks for at least 1 byte, at most 32).
fn nonce_for(cert: &Certificate, provider: &dyn CryptoProvider) -> Vec<u8> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut seed = cert.sha256().to_vec();
    seed.extend_from_slice(&nanos.to_be_bytes());
    seed.extend_from_slice(&std::process::id().to_be_bytes());
    let mut n = provider.digest(HashAlgorithm::Sha256, &seed);
    n.truncate(16);
    n
}

/// A TSA reached over HTTP (RFC 3161 §3.4: POST `application/timestamp-query`).
#[derive(Debug)]
pub struct HttpTsa {
    /// The TSA URL.
    pub url: String,
    fetcher: Fetcher,
}

impl HttpTsa {
    /// A TSA at `url`, with these limits (Vietnam's government TSA can take many seconds: give
    /// it a generous timeout).
    pub fn new(url: impl Into<String>, limits: FetchLimits) -> HttpTsa {
        HttpTsa {
            url: url.into(),
            fetcher: Fetcher::new(limits),
        }
    }
}

impl crate::sign::TimestampAuthority for HttpTsa {
    fn timestamp(&self, hash: HashAlgorithm, digest: &[u8], nonce: &[u8]) -> Result<Vec<u8>, crate::sign::SignError> {
        let err = |reason: String| {
            crate::sign::SignError::Timestamp(crate::sign::TimestampError::Unreachable {
                url: self.url.clone(),
                reason,
            })
        };
        supported(&self.url).map_err(|e| err(e.to_string()))?;
        let req = crate::cms::tsp::request_der(hash, digest, Some(nonce));
        let resp = self
            .fetcher
            .agent
            .post(&self.url)
            .header("Content-Type", "application/timestamp-query")
            .send(&req[..]);
        let bytes = self
            .fetcher
            .read(&self.url, resp, self.fetcher.limits.max_small_size)
            .map_err(|e| err(e.to_string()))?;
        crate::cms::tsp::token_from_response(&bytes)
            .map_err(|e| crate::sign::SignError::Timestamp(crate::sign::TimestampError::Response(e)))
    }
}

/// Complete `pool` from caIssuers URLs (at most three rounds) until `leaf` has a path to an
/// anchor of `store`, then fetch the path's CRLs and OCSP responses into `evidence`. Returns
/// what was tried, per URL. Uses the default crypto provider and fetch limits, through one
/// fetcher per process ([`shared`]): a CRL is downloaded once until its nextUpdate, however
/// many signatures a batch verifies.
pub fn complete_and_gather(
    leaf: &Certificate,
    pool: &mut Vec<Certificate>,
    store: &crate::trust::TrustStore,
    o: &crate::path::PathOptions,
    evidence: &mut RevocationEvidence,
) -> Vec<FetchNote> {
    let fetcher = shared();
    let provider = crate::crypto::default_provider();
    let mut notes = Vec::new();
    let mut probe = o.clone();
    probe.revocation.mode = crate::revocation::RevocationMode::Off;
    let mut r = crate::path::verify_chain(leaf, pool, store, &probe, provider);
    for _ in 0..3 {
        let Some(crate::path::PathError::NoIssuerFound { index, .. }) = &r.error else {
            break;
        };
        let orphan = if *index == 0 {
            leaf.clone()
        } else {
            r.path.get(*index).cloned().unwrap_or_else(|| leaf.clone())
        };
        let mut added = false;
        for url in orphan.extensions().ca_issuers_uris() {
            match fetcher.ca_issuers(url) {
                Ok(certs) => {
                    notes.push(FetchNote {
                        url: url.into(),
                        kind: "ca_issuers",
                        error: None,
                    });
                    for c in certs {
                        if !pool.contains(&c) {
                            pool.push(c);
                            added = true;
                        }
                    }
                }
                Err(e) => notes.push(FetchNote {
                    url: url.into(),
                    kind: "ca_issuers",
                    error: Some(e.to_string()),
                }),
            }
        }
        if !added {
            break;
        }
        r = crate::path::verify_chain(leaf, pool, store, &probe, provider);
    }
    if r.path.len() > 1 {
        let (fetched, more) = fetcher.gather(&r.path, provider, o.time);
        evidence.crls.extend(fetched.crls);
        evidence.ocsp.extend(fetched.ocsp);
        notes.extend(more);
    }
    notes
}
