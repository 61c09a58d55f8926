//! TLS client certificates (feature `tls`): a `rustls` [`ClientCertVerifier`] backed by
//! kyso's path validation, trusting what the [`Verifier`] trusts (both Vietnamese
//! hierarchies), with its revocation rule, that hands the authenticated identity to the
//! application.
//!
//! ```no_run
//! use std::sync::Arc;
//! use kyso::auth::tls::{rustls, ClientVerifier};
//! use rustls::pki_types::{CertificateDer, PrivateKeyDer};
//!
//! /// A server configuration that asks each client for a certificate and checks it with kyso.
//! fn config(
//!     chain: Vec<CertificateDer<'static>>,
//!     key: PrivateKeyDer<'static>,
//! ) -> Result<(rustls::ServerConfig, Arc<ClientVerifier>), rustls::Error> {
//!     let provider = Arc::new(rustls::crypto::ring::default_provider());
//!     let clients = Arc::new(ClientVerifier::new(kyso::Verifier::vietnam(), provider.clone()));
//!     let config = rustls::ServerConfig::builder_with_provider(provider)
//!         .with_safe_default_protocol_versions()?
//!         .with_client_cert_verifier(clients.clone())
//!         .with_single_cert(chain, key)?;
//!     Ok((config, clients))
//! }
//!
//! /// Who the client of a finished handshake is.
//! fn who(clients: &ClientVerifier, conn: &rustls::ServerConnection) -> Result<String, kyso::auth::AuthError> {
//!     let who = clients.identity(conn.peer_certificates().unwrap_or_default())?;
//!     Ok(format!("{} ({:?})", who.identity.common_name.as_deref().unwrap_or("?"), who.hierarchy))
//! }
//! ```
//!
//! The handshake's own signature (CertificateVerify) is checked with the rustls crypto
//! provider given; the certificate, its path, key usage (digitalSignature), extended key usage
//! (clientAuth, when the certificate restricts it) and revocation by kyso. A certificate that
//! passed is remembered for a while ([`ClientVerifier::with_cache`]): its next handshakes and
//! [`ClientVerifier::identity`] do not validate its path again. Revocation evidence fetched
//! over the network ([`crate::fetch::OnlineEvidence`]) is fetched during the handshake, within
//! the fetcher's time limits.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

pub use rustls;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::CryptoProvider as TlsProvider;
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, OtherError, SignatureScheme};

use super::{admit, AuthError, Authenticated, Form};
use crate::report::SubIndication;
use crate::{oid, Certificate, Time, Verifier};

/// How long a certificate that passed is trusted again without validating its path, unless
/// [`ClientVerifier::with_cache`] says otherwise.
pub const DEFAULT_CACHE_SECONDS: i64 = 300;

/// The most certificates remembered at once.
const CACHE_ENTRIES: usize = 10_000;

/// Certificates that passed: SHA-256 of the DER → who it is, until when it is trusted again.
type Passed = HashMap<[u8; 32], (Arc<Authenticated>, i64)>;

/// A rustls client-certificate verifier over a kyso [`Verifier`].
pub struct ClientVerifier {
    verifier: Verifier,
    provider: Arc<TlsProvider>,
    hints: Vec<DistinguishedName>,
    mandatory: bool,
    cache_seconds: i64,
    passed: Mutex<Passed>,
}

impl fmt::Debug for ClientVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientVerifier")
            .field("anchors", &self.hints.len())
            .field("mandatory", &self.mandatory)
            .field("cache_seconds", &self.cache_seconds)
            .finish_non_exhaustive()
    }
}

impl ClientVerifier {
    /// A verifier that requires a client certificate passing `verifier`'s validation; the
    /// handshake signatures are checked with `provider`'s algorithms. The CA names the server
    /// sends as hints are the trust anchors' subjects.
    pub fn new(verifier: Verifier, provider: Arc<TlsProvider>) -> ClientVerifier {
        let hints = verifier
            .store()
            .anchors()
            .iter()
            .map(|a| DistinguishedName::from(a.certificate.subject().der().to_vec()))
            .collect();
        ClientVerifier {
            verifier,
            provider,
            hints,
            mandatory: true,
            cache_seconds: DEFAULT_CACHE_SECONDS,
            passed: Mutex::new(HashMap::new()),
        }
    }

    /// Let clients without a certificate connect too (anonymous); those with one must pass.
    #[must_use]
    pub fn optional(mut self) -> ClientVerifier {
        self.mandatory = false;
        self
    }

    /// Remember a certificate that passed for `seconds` (never past its notAfter); 0 validates
    /// every handshake afresh.
    #[must_use]
    pub fn with_cache(mut self, seconds: i64) -> ClientVerifier {
        self.cache_seconds = seconds.max(0);
        self
    }

    /// Who the client of a finished handshake is: `peer` is
    /// `ServerConnection::peer_certificates()` (the client's certificate first). Answered from
    /// what the handshake validated, or validated now.
    pub fn identity(&self, peer: &[CertificateDer<'_>]) -> Result<Arc<Authenticated>, AuthError> {
        let (leaf, rest) = peer
            .split_first()
            .ok_or(AuthError::Malformed("no client certificate".into()))?;
        self.check(leaf, rest, Time::now())
    }

    /// Validate `leaf` with `intermediates` at `now`, or answer from the certificates that
    /// passed.
    pub fn check(
        &self,
        leaf: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: Time,
    ) -> Result<Arc<Authenticated>, AuthError> {
        let key = fingerprint(leaf);
        if let Some((who, until)) = self.passed().get(&key) {
            if now.unix() < *until {
                return Ok(who.clone());
            }
        }
        let cert =
            Certificate::from_der(leaf).map_err(|e| AuthError::Malformed(format!("the client certificate: {e}")))?;
        if let Some(eku) = &cert.extensions().extended_key_usage {
            if !eku.iter().any(|o| *o == oid::KP_CLIENT_AUTH || *o == oid::KP_ANY) {
                return Err(AuthError::ClientAuthPurpose);
            }
        }
        let chain: Vec<Certificate> = intermediates
            .iter()
            .take(10)
            .filter_map(|c| Certificate::from_der(c).ok())
            .collect();
        let who = Arc::new(admit(&self.verifier, Form::Tls, &cert, &chain, now, None)?);
        if self.cache_seconds > 0 {
            let until = (now.unix() + self.cache_seconds).min(cert.not_after().unix());
            let mut passed = self.passed();
            if passed.len() >= CACHE_ENTRIES {
                passed.retain(|_, (_, u)| *u > now.unix());
                if passed.len() >= CACHE_ENTRIES {
                    passed.clear();
                }
            }
            passed.insert(key, (who.clone(), until));
        }
        Ok(who)
    }

    /// Forget every certificate that passed (after the trust or the revocation data changed).
    pub fn forget(&self) {
        self.passed().clear();
    }

    fn passed(&self) -> std::sync::MutexGuard<'_, Passed> {
        self.passed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn fingerprint(der: &[u8]) -> [u8; 32] {
    let d = crate::crypto::default_provider().digest(crate::crypto::HashAlgorithm::Sha256, der);
    let mut k = [0u8; 32];
    k.copy_from_slice(&d[..32]);
    k
}

/// The TLS alert a refusal gives the client (unknown_ca, certificate_revoked,
/// certificate_expired…), the full reason kept for the server's log.
fn to_tls(e: AuthError) -> rustls::Error {
    let kind = match &e {
        AuthError::Malformed(_) => CertificateError::BadEncoding,
        AuthError::KeyUsage | AuthError::ClientAuthPurpose => CertificateError::InvalidPurpose,
        AuthError::BadSignature(_) => CertificateError::BadSignature,
        AuthError::Refused { sub_indication, .. } => match sub_indication {
            Some(SubIndication::Revoked) => CertificateError::Revoked,
            Some(SubIndication::Expired) => CertificateError::Expired,
            Some(SubIndication::NotYetValid) => CertificateError::NotValidYet,
            Some(SubIndication::NoCertificateChainFound | SubIndication::NoSigningCertificateFound) => {
                CertificateError::UnknownIssuer
            }
            Some(SubIndication::TryLater) => CertificateError::UnknownRevocationStatus,
            Some(SubIndication::SigCryptoFailure) => CertificateError::BadSignature,
            _ => CertificateError::Other(OtherError(Arc::new(e))),
        },
        _ => CertificateError::Other(OtherError(Arc::new(e))),
    };
    rustls::Error::InvalidCertificate(kind)
}

impl ClientCertVerifier for ClientVerifier {
    fn client_auth_mandatory(&self) -> bool {
        self.mandatory
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.hints
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        let now = i64::try_from(now.as_secs())
            .ok()
            .and_then(Time::from_unix)
            .unwrap_or_else(Time::now);
        self.check(end_entity, intermediates, now)
            .map(|_| ClientCertVerified::assertion())
            .map_err(to_tls)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}
