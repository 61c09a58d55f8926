//! Certificate-based authentication: a relying party issues a [`Challenge`] (a random nonce,
//! its audience, when it was issued and until when it holds, an optional purpose shown to the
//! user); the user's signing software signs it with the token's key; [`Authenticator`] checks
//! the response — the signature, the certificate's path to either Vietnamese hierarchy at the
//! time of login, its revocation, its key usage — and says who it is.
//!
//! Responses come in the three forms portal plugins use ([`Form`]):
//! - `raw`: a JSON object with the RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA signature over the
//!   challenge's bytes (SHA-256) and the certificate (base64 DER);
//! - `cms`: a detached CMS / CAdES signature over the challenge's bytes (DER or base64);
//! - `jws`: a compact JWS whose payload is the challenge's bytes and whose header carries the
//!   certificate in `x5c` (RS256, PS256, ES256, ES384).
//!
//! The bytes signed are the challenge's JSON exactly as [`Challenge::to_json`] writes it.
//! A challenge verifies once: a [`NonceStore`] remembers the nonces used until they expire.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::crypto::{HashAlgorithm, SignatureAlgorithm};
use crate::report::{Indication, SubIndication, ValidationReport};
use crate::sign::{SignError, Signer};
use crate::vn::identity::Identity;
use crate::{Certificate, Content, Time, Verifier, When};

#[cfg(feature = "tls")]
pub mod tls;

/// The schema name a challenge carries.
pub const CHALLENGE_SCHEMA: &str = "kyso.auth-challenge/1";

/// The longest a challenge may be valid for (a login, not a session).
pub const MAX_TTL_SECONDS: i64 = 3600;

const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// What the relying party asks to be signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// Always [`CHALLENGE_SCHEMA`].
    pub schema: String,
    /// 32 random bytes, base64url without padding.
    pub nonce: String,
    /// The relying party's origin or audience (`https://dichvucong.gov.vn`).
    pub audience: String,
    /// When it was issued (RFC 3339, UTC).
    pub issued_at: String,
    /// Until when a response is accepted (RFC 3339, UTC).
    pub expires_at: String,
    /// What the user is asked to approve, shown by the signing software.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub purpose: Option<String>,
}

impl Challenge {
    /// A new challenge for `audience`, valid `ttl_seconds` (1 to [`MAX_TTL_SECONDS`]) from
    /// `now`.
    pub fn issue(audience: &str, ttl_seconds: i64, purpose: Option<&str>, now: Time) -> Result<Challenge, AuthError> {
        if audience.trim().is_empty() {
            return Err(AuthError::Malformed("an empty audience".into()));
        }
        if !(1..=MAX_TTL_SECONDS).contains(&ttl_seconds) {
            return Err(AuthError::Malformed(format!(
                "a time to live of {ttl_seconds} s (1 to {MAX_TTL_SECONDS})"
            )));
        }
        let mut nonce = [0u8; 32];
        getrandom::fill(&mut nonce).map_err(|_| AuthError::Malformed("no random nonce".into()))?;
        let expires = Time::from_unix(now.unix() + ttl_seconds).ok_or(AuthError::Malformed("a time".into()))?;
        Ok(Challenge {
            schema: CHALLENGE_SCHEMA.into(),
            nonce: B64URL.encode(nonce),
            audience: audience.to_string(),
            issued_at: now.rfc3339(),
            expires_at: expires.rfc3339(),
            purpose: purpose.map(str::to_string),
        })
    }

    /// The challenge as JSON: the bytes a response signs.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A challenge from its JSON.
    pub fn from_json(text: &str) -> Result<Challenge, AuthError> {
        let c: Challenge =
            serde_json::from_str(text.trim()).map_err(|e| AuthError::Malformed(format!("the challenge: {e}")))?;
        if c.schema != CHALLENGE_SCHEMA {
            return Err(AuthError::Malformed(format!("a challenge of schema {:?}", c.schema)));
        }
        Ok(c)
    }

    fn time(text: &str) -> Result<Time, AuthError> {
        Time::parse_rfc3339(text).ok_or_else(|| AuthError::Malformed(format!("the time {text:?}")))
    }
}

/// How the user proved holding the certificate's key: the form of a response to a challenge,
/// or a TLS handshake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// A signature over SHA-256 of the challenge, with the certificate, in a JSON object.
    Raw,
    /// A detached CMS / CAdES signature over the challenge.
    Cms,
    /// A compact JWS over the challenge, the certificate in `x5c`.
    Jws,
    /// A TLS client certificate: the handshake's CertificateVerify proved the key (no
    /// challenge; see [`tls`]).
    Tls,
}

/// The `raw` form's JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RawResponse {
    form: Form,
    /// `RS256`, `PS256`, `ES256` or `ES384`.
    alg: String,
    /// The signature, base64 (ECDSA: DER `Ecdsa-Sig-Value` or r‖s).
    signature: String,
    /// The signer's certificate, base64 DER.
    certificate: String,
    /// Intermediates, base64 DER.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    chain: Vec<String>,
}

/// Why a response is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthError {
    /// The challenge or response cannot be read.
    Malformed(String),
    /// The challenge is for another relying party.
    WrongAudience {
        /// Whom the challenge names.
        challenge: String,
        /// Whom the verifier expects.
        expected: String,
    },
    /// The challenge has expired (or is not yet valid).
    Expired {
        /// Its end of validity.
        expires_at: String,
    },
    /// The challenge was already used: a replay.
    Replayed,
    /// The response signs another challenge.
    OtherChallenge,
    /// The signature does not verify with the certificate's key.
    BadSignature(String),
    /// The certificate does not allow digital signatures (keyUsage).
    KeyUsage,
    /// The certificate's extended key usage does not allow TLS client authentication.
    ClientAuthPurpose,
    /// The certificate's path or revocation status does not pass: the report says why.
    Refused {
        /// TOTAL_FAILED or INDETERMINATE.
        indication: Indication,
        /// Which failure (REVOKED, EXPIRED, NO_CERTIFICATE_CHAIN_FOUND…).
        sub_indication: Option<SubIndication>,
        /// Why, in English.
        reason: String,
    },
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthError::Malformed(w) => write!(f, "malformed: {w}"),
            AuthError::WrongAudience { challenge, expected } => {
                write!(f, "the challenge is for {challenge:?}, not {expected:?}")
            }
            AuthError::Expired { expires_at } => write!(f, "the challenge expired at {expires_at}"),
            AuthError::Replayed => write!(f, "the challenge was already used"),
            AuthError::OtherChallenge => write!(f, "the response signs another challenge"),
            AuthError::BadSignature(w) => write!(f, "the signature does not verify: {w}"),
            AuthError::KeyUsage => write!(f, "the certificate does not allow digital signatures"),
            AuthError::ClientAuthPurpose => write!(
                f,
                "the certificate's extended key usage does not allow client authentication"
            ),
            AuthError::Refused { indication, reason, .. } => {
                write!(f, "the certificate is refused ({indication:?}): {reason}")
            }
        }
    }
}

impl std::error::Error for AuthError {}

/// The schema name of a login result's JSON ([`Authenticated::to_json`],
/// [`AuthError::to_json`]), as `kyso auth verify --json`, the C API and Python give it.
pub const RESULT_SCHEMA: &str = "kyso.auth/1";

impl AuthError {
    /// The refusal's stable name (`wrong_audience`, `expired`, `replayed`, `other_challenge`,
    /// `bad_signature`, `key_usage`, `client_auth_purpose`, `certificate_refused`,
    /// `malformed`).
    pub fn kind(&self) -> &'static str {
        match self {
            AuthError::Malformed(_) => "malformed",
            AuthError::WrongAudience { .. } => "wrong_audience",
            AuthError::Expired { .. } => "expired",
            AuthError::Replayed => "replayed",
            AuthError::OtherChallenge => "other_challenge",
            AuthError::BadSignature(_) => "bad_signature",
            AuthError::KeyUsage => "key_usage",
            AuthError::ClientAuthPurpose => "client_auth_purpose",
            AuthError::Refused { .. } => "certificate_refused",
        }
    }

    /// The refusal as [`RESULT_SCHEMA`] JSON: `accepted` false, `error` its [`kind`](Self::kind),
    /// `reason` in English, and for a refused certificate its sub-indication.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "schema": RESULT_SCHEMA,
            "accepted": false,
            "error": self.kind(),
            "reason": self.to_string(),
        });
        if let AuthError::Refused {
            sub_indication: Some(s),
            ..
        } = self
        {
            v["sub_indication"] = serde_json::Value::from(s.id());
        }
        v
    }
}

/// Nonces already used, kept until their challenge expires. Implement it over a database
/// for a service of several processes; [`MemoryNonceStore`] keeps them in memory.
pub trait NonceStore: Send + Sync {
    /// Record `nonce` as used until `expires_at`; `false` when it was already recorded.
    /// Must be atomic: two concurrent calls for one nonce give one `true`.
    fn use_once(&self, nonce: &str, expires_at: Time, now: Time) -> bool;
}

/// A [`NonceStore`] in memory, forgetting nonces whose challenge has expired.
#[derive(Debug, Default)]
pub struct MemoryNonceStore {
    used: Mutex<HashMap<String, Time>>,
}

impl MemoryNonceStore {
    /// An empty store.
    pub fn new() -> MemoryNonceStore {
        MemoryNonceStore::default()
    }
}

impl NonceStore for MemoryNonceStore {
    fn use_once(&self, nonce: &str, expires_at: Time, now: Time) -> bool {
        let mut used = self.used.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if used.len() > 4096 {
            used.retain(|_, until| *until > now);
        }
        if used.get(nonce).is_some_and(|until| *until > now) {
            return false;
        }
        used.insert(nonce.to_string(), expires_at);
        true
    }
}

/// Who logged in.
#[derive(Debug, Clone, Serialize)]
pub struct Authenticated {
    /// The form of the response.
    pub form: Form,
    /// The certificate's subject: name, CCCD / MST / CMND / passport, organisation.
    pub identity: Identity,
    /// Which hierarchy its path ends in (`government`, `public`, or an anchor's own name).
    pub hierarchy: Option<String>,
    /// The CA that issued it.
    pub issuing_ca: Option<String>,
    /// Its SHA-256 fingerprint (upper-case hex).
    pub certificate_sha256: String,
    /// The path validation's full report.
    pub report: ValidationReport,
}

impl Authenticated {
    /// Who logged in, as [`RESULT_SCHEMA`] JSON: `accepted` true, the form, the identity
    /// (name, CCCD / MST / CMND / passport, organisation), the hierarchy, the issuing CA and
    /// the certificate's fingerprint.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "schema": RESULT_SCHEMA,
            "accepted": true,
            "form": self.form,
            "identity": self.identity,
            "hierarchy": self.hierarchy,
            "issuing_ca": self.issuing_ca,
            "certificate_sha256": self.certificate_sha256,
        })
    }
}

/// Checks responses to challenges: a [`Verifier`] (trust in both hierarchies, the Circular's
/// revocation rule), the audience expected, and the nonces used.
pub struct Authenticator<'s> {
    verifier: Verifier,
    audience: String,
    nonces: &'s dyn NonceStore,
}

impl<'s> Authenticator<'s> {
    /// An authenticator for `audience` over `verifier`, remembering nonces in `nonces`.
    pub fn new(verifier: Verifier, audience: &str, nonces: &'s dyn NonceStore) -> Authenticator<'s> {
        Authenticator {
            verifier,
            audience: audience.to_string(),
            nonces,
        }
    }

    /// Check `response` (any form, detected) to `challenge` at `now`.
    pub fn verify(&self, challenge: &Challenge, response: &[u8], now: Time) -> Result<Authenticated, AuthError> {
        if challenge.audience != self.audience {
            return Err(AuthError::WrongAudience {
                challenge: challenge.audience.clone(),
                expected: self.audience.clone(),
            });
        }
        let (issued, expires) = (
            Challenge::time(&challenge.issued_at)?,
            Challenge::time(&challenge.expires_at)?,
        );
        // A minute of clock skew before issue; none after expiry.
        if now >= expires || now.unix() + 60 < issued.unix() || expires.unix() - issued.unix() > MAX_TTL_SECONDS {
            return Err(AuthError::Expired {
                expires_at: challenge.expires_at.clone(),
            });
        }
        let message = challenge.to_json().into_bytes();
        let (form, leaf, chain, validated) = self.check_signature(&message, response, now)?;
        let who = admit(&self.verifier, form, &leaf, &chain, now, validated)?;
        if !self.nonces.use_once(&challenge.nonce, expires, now) {
            return Err(AuthError::Replayed);
        }
        Ok(who)
    }

    /// The response's form, its signer's certificate and the intermediates it carries, once
    /// its signature over `message` verifies.
    fn check_signature(&self, message: &[u8], response: &[u8], now: Time) -> Result<Proof, AuthError> {
        let text = std::str::from_utf8(response).map(str::trim).unwrap_or("");
        if text.starts_with('{') {
            let raw: RawResponse =
                serde_json::from_str(text).map_err(|e| AuthError::Malformed(format!("the raw response: {e}")))?;
            let cert = certificate_b64(&raw.certificate, &B64)?;
            let chain = raw
                .chain
                .iter()
                .map(|c| certificate_b64(c, &B64))
                .collect::<Result<Vec<_>, _>>()?;
            let sig = B64
                .decode(raw.signature.trim())
                .map_err(|_| AuthError::Malformed("the signature is not base64".into()))?;
            check(&cert, &raw.alg, message, &sig)?;
            return Ok((Form::Raw, cert, chain, None));
        }
        if text.split('.').count() == 3 && !text.contains(char::is_whitespace) && text.starts_with("ey") {
            let (form, leaf, chain) = jws(text, message)?;
            return Ok((form, leaf, chain, None));
        }
        // A detached CMS (DER, PEM or base64) over the challenge.
        let r = self
            .verifier
            .verify_at(
                response,
                Content::Bytes(message),
                When {
                    at: Some(now),
                    now: Some(now),
                },
            )
            .map_err(|e| AuthError::Malformed(format!("not a raw, JWS or CMS response: {e}")))?;
        if r.sub_indication == Some(SubIndication::FormatFailure) {
            let why = r.reason.as_ref().map(|m| m.en.clone()).unwrap_or_default();
            return Err(AuthError::Malformed(format!("not a raw, JWS or CMS response: {why}")));
        }
        let s = r
            .signatures
            .first()
            .ok_or(AuthError::Malformed("a CMS without a signer".into()))?;
        if s.integrity != crate::report::Outcome::Passed {
            let why = s.reason.as_ref().map(|m| m.en.clone()).unwrap_or_default();
            return Err(match s.sub_indication {
                // The signature holds over other bytes: another challenge's response.
                Some(SubIndication::HashFailure) => AuthError::OtherChallenge,
                Some(SubIndication::FormatFailure) => AuthError::Malformed(why),
                _ => AuthError::BadSignature(why),
            });
        }
        let sd = crate::cms::SignedData::from_bytes(response).map_err(|e| AuthError::Malformed(e.to_string()))?;
        let signer = sd
            .signers
            .first()
            .ok_or(AuthError::Malformed("a CMS without a signer".into()))?;
        let (mine, others): (Vec<Certificate>, Vec<Certificate>) =
            sd.certificates.into_iter().partition(|c| signer.names(c));
        let leaf = mine.into_iter().next().ok_or(AuthError::Malformed(
            "the CMS does not carry its signer's certificate".into(),
        ))?;
        let chain = others;
        // The CMS verification above already validated the signer's path now: a report that
        // passed is the login's (no second validation); one that did not is judged by the
        // path alone, as for the other forms.
        let validated = (r.indication == Indication::TotalPassed).then_some(r);
        Ok((Form::Cms, leaf, chain, validated))
    }
}

/// What a response proves: its form, the signer's certificate, the intermediates it carries,
/// and the validation already made of the signer's path, if any (a CMS response's).
type Proof = (Form, Certificate, Vec<Certificate>, Option<ValidationReport>);

/// Whether `leaf` (whose key the user proved holding, in `form`) may log in at `now`: its key
/// usage allows digital signatures, and its path (with `chain`) to either hierarchy passes,
/// revocation included (`validated`: a passing validation of it already made now). Who it
/// is, or why not.
pub(crate) fn admit(
    verifier: &Verifier,
    form: Form,
    leaf: &Certificate,
    chain: &[Certificate],
    now: Time,
    validated: Option<ValidationReport>,
) -> Result<Authenticated, AuthError> {
    if leaf
        .key_usage()
        .is_some_and(|ku| !ku.has(crate::ext::KeyUsage::DIGITAL_SIGNATURE))
    {
        return Err(AuthError::KeyUsage);
    }
    let when = When {
        at: Some(now),
        now: Some(now),
    };
    let report = validated.unwrap_or_else(|| verifier.verify_chain(leaf, chain, when));
    let first = report.signatures.first();
    if report.indication != Indication::TotalPassed {
        let reason = report
            .reason
            .as_ref()
            .or_else(|| first.and_then(|s| s.reason.as_ref()))
            .map(|m| m.en.clone())
            .unwrap_or_default();
        return Err(AuthError::Refused {
            indication: report.indication,
            sub_indication: report.sub_indication.or_else(|| first.and_then(|s| s.sub_indication)),
            reason,
        });
    }
    Ok(Authenticated {
        form,
        identity: Identity::of(leaf),
        hierarchy: first.and_then(|s| s.hierarchy.clone()),
        issuing_ca: first
            .and_then(|s| s.issuing_ca.as_ref())
            .map(|p| p.common_name.clone().unwrap_or_else(|| p.subject.clone())),
        certificate_sha256: leaf.sha256_hex(),
        report,
    })
}

fn certificate_b64(text: &str, engine: &base64::engine::GeneralPurpose) -> Result<Certificate, AuthError> {
    let der = engine
        .decode(text.trim())
        .map_err(|_| AuthError::Malformed("a certificate that is not base64".into()))?;
    Certificate::from_der(&der).map_err(|e| AuthError::Malformed(format!("a certificate: {e}")))
}

/// The algorithm a JOSE name gives.
fn algorithm(name: &str) -> Result<SignatureAlgorithm, AuthError> {
    Ok(match name {
        "RS256" => SignatureAlgorithm::RsaPkcs1 {
            hash: HashAlgorithm::Sha256,
        },
        "PS256" => SignatureAlgorithm::RsaPss {
            hash: HashAlgorithm::Sha256,
            mgf1_hash: HashAlgorithm::Sha256,
            salt_len: 32,
        },
        "ES256" => SignatureAlgorithm::Ecdsa {
            hash: HashAlgorithm::Sha256,
        },
        "ES384" => SignatureAlgorithm::Ecdsa {
            hash: HashAlgorithm::Sha384,
        },
        other => return Err(AuthError::Malformed(format!("the algorithm {other:?}"))),
    })
}

/// The JOSE name of a signer's algorithm.
fn jose_name(alg: &SignatureAlgorithm) -> Result<&'static str, SignError> {
    match alg {
        SignatureAlgorithm::RsaPkcs1 {
            hash: HashAlgorithm::Sha256,
        } => Ok("RS256"),
        SignatureAlgorithm::RsaPss {
            hash: HashAlgorithm::Sha256,
            ..
        } => Ok("PS256"),
        SignatureAlgorithm::Ecdsa {
            hash: HashAlgorithm::Sha256,
        } => Ok("ES256"),
        SignatureAlgorithm::Ecdsa {
            hash: HashAlgorithm::Sha384,
        } => Ok("ES384"),
        _ => Err(SignError::Pdf(crate::pdf::sign::PdfSignError::Unsupported(
            "a login signature with SHA-256 (RS256, PS256, ES256) or ES384",
        ))),
    }
}

/// Verify `sig` over `message` with `cert`'s key under the JOSE algorithm `alg`; an ECDSA
/// signature may be DER or r‖s.
fn check(cert: &Certificate, alg: &str, message: &[u8], sig: &[u8]) -> Result<(), AuthError> {
    let a = algorithm(alg)?;
    let key = cert
        .public_key()
        .map_err(|e| AuthError::BadSignature(format!("the certificate's key: {e}")))?;
    let der;
    let sig = match (&a, key) {
        (SignatureAlgorithm::Ecdsa { .. }, crate::crypto::PublicKey::Ec { curve, .. })
            if sig.first() != Some(&0x30) =>
        {
            der = crate::crypto::ecdsa_p1363_to_der(sig, *curve).map_err(|e| AuthError::BadSignature(e.to_string()))?;
            der.as_slice()
        }
        _ => sig,
    };
    crate::crypto::verify_signature(
        crate::crypto::default_provider(),
        crate::crypto::AlgorithmPolicy::default(),
        &a,
        key,
        message,
        sig,
    )
    .map(|_| ())
    .map_err(|e| AuthError::BadSignature(e.to_string()))
}

/// A compact JWS over `message`: its header's `alg` and `x5c`, its payload the challenge.
fn jws(text: &str, message: &[u8]) -> Result<(Form, Certificate, Vec<Certificate>), AuthError> {
    let mut parts = text.split('.');
    let (Some(h), Some(p), Some(s)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(AuthError::Malformed("a JWS without three parts".into()));
    };
    let bad = |what: &str| AuthError::Malformed(format!("the JWS {what}"));
    let header: serde_json::Value =
        serde_json::from_slice(&B64URL.decode(h).map_err(|_| bad("header"))?).map_err(|_| bad("header"))?;
    let payload = B64URL.decode(p).map_err(|_| bad("payload"))?;
    let sig = B64URL.decode(s).map_err(|_| bad("signature"))?;
    if header.get("crit").is_some() {
        return Err(bad("header's crit (no extension is understood)"));
    }
    let alg = header.get("alg").and_then(|a| a.as_str()).ok_or(bad("header's alg"))?;
    let x5c: Vec<Certificate> = header
        .get("x5c")
        .and_then(|x| x.as_array())
        .ok_or(bad("header's x5c"))?
        .iter()
        .take(10)
        .map(|c| certificate_b64(c.as_str().unwrap_or(""), &B64))
        .collect::<Result<_, _>>()?;
    let mut x5c = x5c.into_iter();
    let leaf = x5c.next().ok_or(bad("x5c (empty)"))?;
    check(&leaf, alg, format!("{h}.{p}").as_bytes(), &sig)?;
    if payload != message {
        return Err(AuthError::OtherChallenge);
    }
    Ok((Form::Jws, leaf, x5c.collect()))
}

/// The client side: a response to `challenge` in `form`, signed by `signer` (a PKCS#12 key,
/// a PKCS#11 token), carrying `chain` (intermediates). `raw` and `jws` are text; `cms` is DER.
pub fn respond(
    challenge: &Challenge,
    form: Form,
    signer: &dyn Signer,
    chain: &[Certificate],
    provider: &dyn crate::crypto::CryptoProvider,
) -> Result<Vec<u8>, SignError> {
    let message = challenge.to_json().into_bytes();
    let b64 = |c: &Certificate| B64.encode(c.der());
    match form {
        Form::Raw => {
            let alg = jose_name(&signer.algorithm())?;
            let raw = RawResponse {
                form: Form::Raw,
                alg: alg.into(),
                signature: B64.encode(signer.sign(&message)?),
                certificate: b64(signer.certificate()),
                chain: chain.iter().map(b64).collect(),
            };
            Ok(serde_json::to_vec(&raw).unwrap_or_default())
        }
        Form::Jws => {
            let alg = jose_name(&signer.algorithm())?;
            let mut x5c = vec![b64(signer.certificate())];
            x5c.extend(chain.iter().map(b64));
            let header = serde_json::json!({ "alg": alg, "x5c": x5c });
            let input = format!("{}.{}", B64URL.encode(header.to_string()), B64URL.encode(&message));
            let mut sig = signer.sign(input.as_bytes())?;
            if let SignatureAlgorithm::Ecdsa { .. } = signer.algorithm() {
                // JWS carries r‖s (RFC 7518 §3.4).
                if let Ok(crate::crypto::PublicKey::Ec { curve, .. }) = signer.certificate().public_key() {
                    sig = crate::crypto::ecdsa_der_to_p1363(&sig, *curve)
                        .map_err(|e| SignError::Signer(crate::sign::SignerFailure::BadSignatureProduced(e)))?;
                }
            }
            Ok(format!("{input}.{}", B64URL.encode(sig)).into_bytes())
        }
        Form::Tls => Err(SignError::Pdf(crate::pdf::sign::PdfSignError::Unsupported(
            "a TLS client certificate is proved by the handshake, not by a response",
        ))),
        Form::Cms => {
            let mut o = crate::sign::SignOptions::new(Time::now());
            o.detached = true;
            o.chain = chain.to_vec();
            crate::sign::sign(crate::sign::Content::Bytes(&message), signer, &o, provider)
        }
    }
}
