//! Signature verification and digests behind a [`CryptoProvider`].
//!
//! kyso decides *what* to verify (algorithm identifiers, key parameters, the legacy policy);
//! a provider does the math. Two providers pass the same tests:
//! - [`AwsLcProvider`] (feature `aws-lc`, the default): aws-lc-rs, the fastest measured here;
//! - [`RustCryptoProvider`] (feature `rustcrypto`): the pure-Rust RustCrypto crates.
//!
//! Supported: RSA PKCS#1 v1.5 with SHA-1/224/256/384/512, RSASSA-PSS (any of those hashes for
//! the message and for MGF1, any salt length), ECDSA on P-256 and P-384 with SHA-1/224/256/384/512.
//! SHA-1 and RSA keys under 2048 bits pass only under [`AlgorithmPolicy::allow_legacy`], and the
//! [`Verified`] result names them.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use crate::asn1::{self, tag};
use crate::error::{CryptoError, InputError, LegacyReason};
use crate::oid;

#[cfg(feature = "aws-lc")]
mod aws;
mod generic;
#[cfg(feature = "rustcrypto")]
mod rustcrypto;

#[cfg(feature = "aws-lc")]
pub use aws::AwsLcProvider;
#[cfg(feature = "pkcs11")]
pub(crate) use generic::digest_info;
#[cfg(feature = "rustcrypto")]
pub use rustcrypto::RustCryptoProvider;

#[cfg(not(any(feature = "aws-lc", feature = "rustcrypto")))]
compile_error!("kyso needs a crypto provider: enable feature `aws-lc` (default) or `rustcrypto`");

/// A hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-1 (legacy: accepted only when the policy allows it).
    #[serde(rename = "SHA-1")]
    Sha1,
    /// SHA-224.
    #[serde(rename = "SHA-224")]
    Sha224,
    /// SHA-256.
    #[serde(rename = "SHA-256")]
    Sha256,
    /// SHA-384.
    #[serde(rename = "SHA-384")]
    Sha384,
    /// SHA-512.
    #[serde(rename = "SHA-512")]
    Sha512,
}

impl HashAlgorithm {
    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha224 => 28,
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }

    /// The hash's OID content octets.
    pub fn oid(self) -> &'static [u8] {
        match self {
            HashAlgorithm::Sha1 => oid::SHA1,
            HashAlgorithm::Sha224 => oid::SHA224,
            HashAlgorithm::Sha256 => oid::SHA256,
            HashAlgorithm::Sha384 => oid::SHA384,
            HashAlgorithm::Sha512 => oid::SHA512,
        }
    }

    /// The hash named by an OID.
    pub fn from_oid(bytes: &[u8]) -> Option<Self> {
        [
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha224,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512,
        ]
        .into_iter()
        .find(|h| h.oid() == bytes)
    }

    /// The name used in reports (`SHA-256`).
    pub fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "SHA-1",
            HashAlgorithm::Sha224 => "SHA-224",
            HashAlgorithm::Sha256 => "SHA-256",
            HashAlgorithm::Sha384 => "SHA-384",
            HashAlgorithm::Sha512 => "SHA-512",
        }
    }
}

/// A signature algorithm with its parameters, as named by an AlgorithmIdentifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
    RsaPkcs1 {
        /// The message hash.
        hash: HashAlgorithm,
    },
    /// RSASSA-PSS (RFC 8017 §8.1, parameters per RFC 4055 §3.1).
    RsaPss {
        /// The message hash.
        hash: HashAlgorithm,
        /// The hash inside MGF1.
        mgf1_hash: HashAlgorithm,
        /// The salt length in bytes.
        salt_len: usize,
    },
    /// ECDSA with a DER-encoded `Ecdsa-Sig-Value` (RFC 5758 §3.2).
    Ecdsa {
        /// The message hash.
        hash: HashAlgorithm,
    },
}

impl SignatureAlgorithm {
    /// The message hash.
    pub fn hash(&self) -> HashAlgorithm {
        match *self {
            SignatureAlgorithm::RsaPkcs1 { hash }
            | SignatureAlgorithm::RsaPss { hash, .. }
            | SignatureAlgorithm::Ecdsa { hash } => hash,
        }
    }

    /// A readable name: `sha256WithRSAEncryption`, `RSASSA-PSS(SHA-256, MGF1-SHA-256, salt 32)`.
    pub fn name(&self) -> String {
        match *self {
            SignatureAlgorithm::RsaPkcs1 { hash } => {
                format!("{}WithRSAEncryption", hash.name().replace('-', "").to_lowercase())
            }
            SignatureAlgorithm::RsaPss {
                hash,
                mgf1_hash,
                salt_len,
            } => format!(
                "RSASSA-PSS({}, MGF1-{}, salt {salt_len})",
                hash.name(),
                mgf1_hash.name()
            ),
            SignatureAlgorithm::Ecdsa { hash } => format!("ecdsa-with-{}", hash.name().replace('-', "")),
        }
    }

    /// Interpret an AlgorithmIdentifier given as its OID content octets and, when present,
    /// the DER of its parameters.
    ///
    /// RFC 4055 §5 (RSA: parameters NULL or absent), RFC 4055 §3.1 (PSS parameters),
    /// RFC 5758 §3.2 (ECDSA: parameters absent).
    pub fn from_parts(alg: &[u8], params: Option<&[u8]>) -> Result<Self, CryptoError> {
        let unsupported = |note: &str| CryptoError::UnsupportedAlgorithm {
            oid: format!("{}{note}", oid::dotted(alg)),
        };
        let null_or_absent = matches!(params, None | Some([0x05, 0x00]));
        let pkcs1 = |hash| {
            if null_or_absent {
                Ok(SignatureAlgorithm::RsaPkcs1 { hash })
            } else {
                Err(unsupported(" (parameters must be NULL)"))
            }
        };
        let ecdsa = |hash| {
            // RFC 5758: the parameters MUST be absent; a NULL is a common encoder slip and
            // carries no meaning, so it is tolerated.
            if null_or_absent {
                Ok(SignatureAlgorithm::Ecdsa { hash })
            } else {
                Err(unsupported(" (parameters must be absent)"))
            }
        };
        match alg {
            a if a == oid::SHA1_WITH_RSA || a == oid::SHA1_WITH_RSA_OIW => pkcs1(HashAlgorithm::Sha1),
            a if a == oid::SHA224_WITH_RSA => pkcs1(HashAlgorithm::Sha224),
            a if a == oid::SHA256_WITH_RSA => pkcs1(HashAlgorithm::Sha256),
            a if a == oid::SHA384_WITH_RSA => pkcs1(HashAlgorithm::Sha384),
            a if a == oid::SHA512_WITH_RSA => pkcs1(HashAlgorithm::Sha512),
            a if a == oid::ECDSA_WITH_SHA1 => ecdsa(HashAlgorithm::Sha1),
            a if a == oid::ECDSA_WITH_SHA224 => ecdsa(HashAlgorithm::Sha224),
            a if a == oid::ECDSA_WITH_SHA256 => ecdsa(HashAlgorithm::Sha256),
            a if a == oid::ECDSA_WITH_SHA384 => ecdsa(HashAlgorithm::Sha384),
            a if a == oid::ECDSA_WITH_SHA512 => ecdsa(HashAlgorithm::Sha512),
            a if a == oid::RSASSA_PSS => {
                let p = PssParams::parse(params.ok_or_else(|| unsupported(" (PSS parameters missing)"))?)
                    .map_err(|_| unsupported(" (malformed PSS parameters)"))?;
                Ok(SignatureAlgorithm::RsaPss {
                    hash: p.hash,
                    mgf1_hash: p.mgf1_hash,
                    salt_len: p.salt_len,
                })
            }
            _ => Err(unsupported("")),
        }
    }

    /// Interpret a DER AlgorithmIdentifier (`SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`).
    pub fn from_der(der: &[u8]) -> Result<Self, CryptoError> {
        let (alg, params) = split_algorithm_identifier(der).map_err(|_| CryptoError::UnsupportedAlgorithm {
            oid: "malformed AlgorithmIdentifier".into(),
        })?;
        Self::from_parts(alg, params)
    }
}

/// Split a DER AlgorithmIdentifier into its OID content octets and its parameters' DER.
pub(crate) fn split_algorithm_identifier(der: &[u8]) -> Result<(&[u8], Option<&[u8]>), InputError> {
    let seq = asn1::read_exact(der)?.expect(tag::SEQUENCE, "AlgorithmIdentifier")?;
    let mut kids = seq.children();
    let alg = kids.field(tag::OID, "AlgorithmIdentifier without OID")?.contents;
    let params = kids.next().transpose()?.map(|t| t.raw);
    kids.finish("AlgorithmIdentifier with extra fields")?;
    Ok((alg, params))
}

/// RSASSA-PSS-params (RFC 4055 §3.1).
///
/// ```asn1
/// RSASSA-PSS-params  ::=  SEQUENCE  {
///     hashAlgorithm      [0] HashAlgorithm DEFAULT sha1Identifier,
///     maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
///     saltLength         [2] INTEGER DEFAULT 20,
///     trailerField       [3] INTEGER DEFAULT 1  }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PssParams {
    hash: HashAlgorithm,
    mgf1_hash: HashAlgorithm,
    salt_len: usize,
}

impl PssParams {
    fn parse(der: &[u8]) -> Result<Self, InputError> {
        let bad = |what| InputError::Malformed { what, offset: 0 };
        let seq = asn1::read_exact(der)?.expect(tag::SEQUENCE, "RSASSA-PSS-params")?;
        let mut p = PssParams {
            hash: HashAlgorithm::Sha1,
            mgf1_hash: HashAlgorithm::Sha1,
            salt_len: 20,
        };
        let mut last = None;
        for kid in seq.children() {
            let kid = kid?;
            // Fields in order, each at most once.
            if last.is_some_and(|l| kid.tag <= l) {
                return Err(bad("PSS parameters out of order"));
            }
            last = Some(kid.tag);
            let inner = asn1::read_exact(kid.contents)?;
            match kid.tag {
                tag::C0 => {
                    let (h, _) = split_algorithm_identifier(inner.raw)?;
                    p.hash = HashAlgorithm::from_oid(h).ok_or(bad("PSS hash"))?;
                }
                tag::C1 => {
                    let (m, mp) = split_algorithm_identifier(inner.raw)?;
                    if m != oid::MGF1 {
                        return Err(bad("mask generation function is not MGF1"));
                    }
                    let (h, _) = split_algorithm_identifier(mp.ok_or(bad("MGF1 without hash"))?)?;
                    p.mgf1_hash = HashAlgorithm::from_oid(h).ok_or(bad("MGF1 hash"))?;
                }
                tag::C2 => {
                    if inner.tag != tag::INTEGER {
                        return Err(bad("PSS saltLength"));
                    }
                    p.salt_len = asn1::small_uint(inner.contents).ok_or(bad("PSS saltLength"))?;
                }
                tag::C3 => {
                    // RFC 4055: trailerField MUST be 1 (0xBC).
                    if inner.tag != tag::INTEGER || asn1::small_uint(inner.contents) != Some(1) {
                        return Err(bad("PSS trailerField"));
                    }
                }
                _ => return Err(bad("unknown PSS parameter")),
            }
        }
        Ok(p)
    }
}

/// An elliptic curve kyso verifies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum Curve {
    /// NIST P-256 (secp256r1).
    #[serde(rename = "P-256")]
    P256,
    /// NIST P-384 (secp384r1).
    #[serde(rename = "P-384")]
    P384,
}

impl Curve {
    /// Size of a field element (and of r and s) in bytes.
    pub fn field_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
        }
    }
}

/// A public key, decoded from a SubjectPublicKeyInfo.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// An RSA key (rsaEncryption, or id-RSASSA-PSS which restricts it to PSS).
    Rsa(RsaPublicKey),
    /// An EC key on a supported curve.
    Ec {
        /// The curve.
        curve: Curve,
        /// The point as encoded (SEC 1, usually uncompressed `04 || X || Y`).
        point: Vec<u8>,
    },
}

/// The parts of an RSA public key.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPublicKey {
    /// The modulus, big-endian, no leading zeros.
    pub n: Vec<u8>,
    /// The public exponent, big-endian, no leading zeros.
    pub e: Vec<u8>,
    /// Bit length of the modulus.
    pub bits: usize,
    /// Set when the key is an id-RSASSA-PSS key: only PSS with these parameters may use it
    /// (RFC 4055 §1.2; `None` inside means "PSS with any parameters").
    pub pss_only: Option<Option<(HashAlgorithm, HashAlgorithm, usize)>>,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl PublicKey {
    /// Decode a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
    pub fn from_spki_der(der: &[u8]) -> Result<Self, CryptoError> {
        let bad = |reason| CryptoError::InvalidKey { reason };
        let seq = asn1::read_exact(der).map_err(|_| bad("SubjectPublicKeyInfo is not DER"))?;
        let mut kids = seq.children();
        let alg = kids.next().and_then(Result::ok).ok_or(bad("missing algorithm"))?;
        let bits = kids.next().and_then(Result::ok).ok_or(bad("missing key"))?;
        if seq.tag != tag::SEQUENCE || alg.tag != tag::SEQUENCE || bits.tag != tag::BIT_STRING || kids.next().is_some()
        {
            return Err(bad("SubjectPublicKeyInfo structure"));
        }
        let (alg_oid, params) = split_algorithm_identifier(alg.raw).map_err(|_| bad("key algorithm identifier"))?;
        let key = match bits.contents.split_first() {
            Some((0, key)) => key,
            _ => return Err(bad("key BIT STRING has unused bits")),
        };
        Self::from_parts(alg_oid, params, key)
    }

    /// Decode a key from its algorithm OID, parameters (DER) and subjectPublicKey bits.
    pub fn from_parts(alg: &[u8], params: Option<&[u8]>, key: &[u8]) -> Result<Self, CryptoError> {
        let bad = |reason| CryptoError::InvalidKey { reason };
        if alg == oid::RSA_ENCRYPTION || alg == oid::RSASSA_PSS {
            let pss_only = if alg == oid::RSASSA_PSS {
                Some(match params {
                    None => None,
                    Some(p) => {
                        let p = PssParams::parse(p).map_err(|_| bad("id-RSASSA-PSS key parameters"))?;
                        Some((p.hash, p.mgf1_hash, p.salt_len))
                    }
                })
            } else {
                if !matches!(params, None | Some([0x05, 0x00])) {
                    return Err(bad("rsaEncryption parameters must be NULL"));
                }
                None
            };
            let rsa = asn1::read_exact(key).map_err(|_| bad("RSAPublicKey is not DER"))?;
            let mut kids = rsa.children();
            let n = kids.next().and_then(Result::ok).ok_or(bad("RSA modulus"))?;
            let e = kids.next().and_then(Result::ok).ok_or(bad("RSA exponent"))?;
            if rsa.tag != tag::SEQUENCE || n.tag != tag::INTEGER || e.tag != tag::INTEGER || kids.next().is_some() {
                return Err(bad("RSAPublicKey structure"));
            }
            let n = positive_integer(n.contents).ok_or(bad("RSA modulus is not a positive integer"))?;
            let e = positive_integer(e.contents).ok_or(bad("RSA exponent is not a positive integer"))?;
            let bits = bit_len(n);
            // RFC 8017 §3.1: n odd; e odd and at least 3. Exponents above 2^33 are refused
            // (aws-lc's limit; no real CA uses one).
            if n.last().is_none_or(|b| b & 1 == 0) || e.last().is_none_or(|b| b & 1 == 0) || bit_len(e) > 33 || e == [1]
            {
                return Err(bad("RSA modulus or exponent out of range"));
            }
            if bits > 16384 {
                return Err(bad("RSA modulus larger than 16384 bits"));
            }
            Ok(PublicKey::Rsa(RsaPublicKey {
                n: n.to_vec(),
                e: e.to_vec(),
                bits,
                pss_only,
            }))
        } else if alg == oid::EC_PUBLIC_KEY {
            let curve_oid = params
                .and_then(|p| asn1::read_exact(p).ok())
                .filter(|t| t.tag == tag::OID)
                .ok_or(bad("EC key without a named curve"))?;
            let curve = if curve_oid.contents == oid::SECP256R1 {
                Curve::P256
            } else if curve_oid.contents == oid::SECP384R1 {
                Curve::P384
            } else {
                return Err(CryptoError::UnsupportedKey {
                    oid: format!("{} curve {}", oid::dotted(alg), oid::dotted(curve_oid.contents)),
                });
            };
            let fl = curve.field_len();
            let ok = match key.first() {
                Some(4) => key.len() == 1 + 2 * fl,
                Some(2) | Some(3) => key.len() == 1 + fl,
                _ => false,
            };
            if !ok {
                return Err(bad("EC point encoding"));
            }
            Ok(PublicKey::Ec {
                curve,
                point: key.to_vec(),
            })
        } else {
            Err(CryptoError::UnsupportedKey { oid: oid::dotted(alg) })
        }
    }

    /// `RSA-2048`, `EC P-256`.
    pub fn describe(&self) -> String {
        match self {
            PublicKey::Rsa(k) if k.pss_only.is_some() => format!("RSA-{} (PSS only)", k.bits),
            PublicKey::Rsa(k) => format!("RSA-{}", k.bits),
            PublicKey::Ec { curve: Curve::P256, .. } => "EC P-256".into(),
            PublicKey::Ec { curve: Curve::P384, .. } => "EC P-384".into(),
        }
    }

    /// Key size in bits (modulus for RSA, field for EC).
    pub fn bits(&self) -> usize {
        match self {
            PublicKey::Rsa(k) => k.bits,
            PublicKey::Ec { curve, .. } => curve.field_len() * 8,
        }
    }
}

/// The magnitude of a DER INTEGER that must be positive: leading zero octet removed.
fn positive_integer(contents: &[u8]) -> Option<&[u8]> {
    let first = *contents.first()?;
    if first & 0x80 != 0 {
        return None;
    }
    let trimmed = match contents.iter().position(|b| *b != 0) {
        Some(i) => contents.get(i..)?,
        None => return None,
    };
    Some(trimmed)
}

fn bit_len(be: &[u8]) -> usize {
    match be.first() {
        Some(first) => (be.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    }
}

/// Which algorithms a verification accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlgorithmPolicy {
    /// Accept SHA-1 and RSA keys of 1024 to 2047 bits. Off by default: Circular 15/2025 asks
    /// for RSA ≥ 2048 and SHA-2, but documents signed under the G1 and MIC roots before ~2020
    /// need it. A signature accepted this way says so in [`Verified::legacy`].
    pub allow_legacy: bool,
}

impl AlgorithmPolicy {
    /// SHA-2 and RSA ≥ 2048 only.
    pub const STRICT: AlgorithmPolicy = AlgorithmPolicy { allow_legacy: false };
    /// Also SHA-1 and RSA 1024–2047, reported as legacy.
    pub const LEGACY: AlgorithmPolicy = AlgorithmPolicy { allow_legacy: true };
}

impl Default for AlgorithmPolicy {
    fn default() -> Self {
        Self::STRICT
    }
}

/// The outcome of a signature that verified.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Verified {
    /// Legacy properties the policy allowed (empty for a modern signature).
    pub legacy: Vec<LegacyReason>,
}

/// Smallest RSA modulus verified at all, even under the legacy policy.
pub const MIN_LEGACY_RSA_BITS: usize = 1024;
/// Smallest RSA modulus accepted without the legacy policy (Circular 15/2025).
pub const MIN_RSA_BITS: usize = 2048;

/// Incremental hashing, for content too large to hold in memory.
pub trait Hasher: Send {
    /// Feed more data.
    fn update(&mut self, data: &[u8]);
    /// The digest of everything fed.
    fn finish(self: Box<Self>) -> Vec<u8>;
    /// A second hasher in this one's state, to go on from what both have read (a PDF's
    /// signatures share the bytes before the first one's gap); `None` where it cannot.
    fn fork(&self) -> Option<Box<dyn Hasher>> {
        None
    }
}

/// The math behind signature verification and hashing.
///
/// A provider is given algorithms and keys that kyso has already decoded and checked against
/// the policy; it answers only whether the math holds.
pub trait CryptoProvider: Send + Sync + std::fmt::Debug {
    /// Name for reports (`aws-lc-rs`, `rustcrypto`).
    fn name(&self) -> &'static str;

    /// Start an incremental hash.
    fn hasher(&self, alg: HashAlgorithm) -> Box<dyn Hasher>;

    /// Hash `data` in one call.
    fn digest(&self, alg: HashAlgorithm, data: &[u8]) -> Vec<u8> {
        let mut h = self.hasher(alg);
        h.update(data);
        h.finish()
    }

    /// Verify `sig` over `msg`. Returns [`CryptoError::BadSignature`] when the math fails.
    fn verify(&self, alg: &SignatureAlgorithm, key: &PublicKey, msg: &[u8], sig: &[u8]) -> Result<(), CryptoError>;
}

/// The default provider: aws-lc-rs when built with feature `aws-lc`, else RustCrypto.
pub fn default_provider() -> &'static dyn CryptoProvider {
    #[cfg(feature = "aws-lc")]
    {
        &AwsLcProvider
    }
    #[cfg(not(feature = "aws-lc"))]
    {
        &RustCryptoProvider
    }
}

/// Every provider compiled into this build.
pub fn all_providers() -> Vec<&'static dyn CryptoProvider> {
    let aws: Option<&'static dyn CryptoProvider> = {
        #[cfg(feature = "aws-lc")]
        {
            Some(&AwsLcProvider)
        }
        #[cfg(not(feature = "aws-lc"))]
        {
            None
        }
    };
    let rustcrypto: Option<&'static dyn CryptoProvider> = {
        #[cfg(feature = "rustcrypto")]
        {
            Some(&RustCryptoProvider)
        }
        #[cfg(not(feature = "rustcrypto"))]
        {
            None
        }
    };
    aws.into_iter().chain(rustcrypto).collect()
}

/// Verify a signature: algorithm/key agreement, the legacy policy, then the math.
pub fn verify_signature(
    provider: &dyn CryptoProvider,
    policy: AlgorithmPolicy,
    alg: &SignatureAlgorithm,
    key: &PublicKey,
    msg: &[u8],
    sig: &[u8],
) -> Result<Verified, CryptoError> {
    let mut legacy = Vec::new();
    match (alg, key) {
        (SignatureAlgorithm::RsaPkcs1 { .. }, PublicKey::Rsa(k)) => {
            if k.pss_only.is_some() {
                return Err(CryptoError::KeyAlgorithmMismatch);
            }
        }
        (
            SignatureAlgorithm::RsaPss {
                hash,
                mgf1_hash,
                salt_len,
            },
            PublicKey::Rsa(k),
        ) => {
            // RFC 4055 §3.3: a restricted key's hashes must match; the salt may not be shorter.
            if let Some(Some((kh, km, ks))) = k.pss_only {
                if kh != *hash || km != *mgf1_hash || *salt_len < ks {
                    return Err(CryptoError::KeyAlgorithmMismatch);
                }
            }
        }
        (SignatureAlgorithm::Ecdsa { hash }, PublicKey::Ec { curve, .. }) => {
            // Combinations no CA uses and aws-lc-rs does not offer: refused by every provider
            // alike, so the verdict never depends on the provider.
            if *hash == HashAlgorithm::Sha224 || (*curve == Curve::P384 && *hash == HashAlgorithm::Sha1) {
                return Err(CryptoError::UnsupportedAlgorithm { oid: alg.name() });
            }
        }
        _ => return Err(CryptoError::KeyAlgorithmMismatch),
    }
    let uses_sha1 = alg.hash() == HashAlgorithm::Sha1
        || matches!(
            alg,
            SignatureAlgorithm::RsaPss {
                mgf1_hash: HashAlgorithm::Sha1,
                ..
            }
        );
    if uses_sha1 {
        legacy.push(LegacyReason::Sha1);
    }
    if let PublicKey::Rsa(k) = key {
        if k.bits < MIN_LEGACY_RSA_BITS {
            return Err(CryptoError::KeyTooSmall {
                bits: k.bits,
                min: MIN_LEGACY_RSA_BITS,
            });
        }
        if k.bits < MIN_RSA_BITS {
            legacy.push(LegacyReason::ShortRsaKey { bits: k.bits });
        }
    }
    if let Some(reason) = legacy.first() {
        if !policy.allow_legacy {
            return Err(CryptoError::LegacyAlgorithmRejected { reason: *reason });
        }
    }
    provider.verify(alg, key, msg, sig)?;
    Ok(Verified { legacy })
}

/// Convert an ECDSA signature from the fixed-width `r || s` form (IEEE P1363, what PKCS#11
/// tokens return) to the DER `Ecdsa-Sig-Value` that X.509 and CMS carry.
pub fn ecdsa_p1363_to_der(sig: &[u8], curve: Curve) -> Result<Vec<u8>, CryptoError> {
    let fl = curve.field_len();
    if sig.len() != 2 * fl {
        return Err(CryptoError::BadSignature);
    }
    let (r, s) = sig.split_at(fl);
    let (r, s) = (crate::encode::unsigned_integer(r), crate::encode::unsigned_integer(s));
    crate::encode::to_der(&crate::encode::EcdsaSigValue {
        r: crate::encode::IntegerBytes(&r),
        s: crate::encode::IntegerBytes(&s),
    })
    .map_err(|_| CryptoError::BadSignature)
}

/// Convert a DER `Ecdsa-Sig-Value` to the fixed-width `r || s` form XML-DSig carries
/// (RFC 4050 §3.3), each integer left-padded to the curve's field size.
pub fn ecdsa_der_to_p1363(der: &[u8], curve: Curve) -> Result<Vec<u8>, CryptoError> {
    use crate::asn1::{tag, FromTlv};
    struct Pair(Vec<u8>, Vec<u8>);
    impl FromTlv for Pair {
        fn from_tlv(tlv: crate::asn1::Tlv<'_>) -> Result<Self, crate::InputError> {
            let mut k = tlv.expect(tag::SEQUENCE, "Ecdsa-Sig-Value")?.children();
            let r = k.field(tag::INTEGER, "r")?.contents.to_vec();
            let s = k.field(tag::INTEGER, "s")?.contents.to_vec();
            k.finish("Ecdsa-Sig-Value")?;
            Ok(Pair(r, s))
        }
    }
    let Pair(r, s) = Pair::from_der(der).map_err(|_| CryptoError::BadSignature)?;
    let fl = curve.field_len();
    let mut out = vec![0u8; 2 * fl];
    for (i, v) in [r, s].iter().enumerate() {
        let v = v.strip_prefix(&[0][..]).unwrap_or(v);
        let end = (i + 1) * fl;
        let slot = end
            .checked_sub(v.len())
            .filter(|start| *start >= i * fl)
            .ok_or(CryptoError::BadSignature)?;
        out.get_mut(slot..end)
            .ok_or(CryptoError::BadSignature)?
            .copy_from_slice(v);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_and_p1363_round_trip() {
        let mut sig = vec![0u8; 96];
        sig[47] = 7;
        sig[48] = 0xFF;
        let der = ecdsa_p1363_to_der(&sig, Curve::P384).unwrap();
        assert_eq!(ecdsa_der_to_p1363(&der, Curve::P384).unwrap(), sig);
        assert!(ecdsa_der_to_p1363(&der[1..], Curve::P384).is_err());
        assert!(ecdsa_der_to_p1363(&der, Curve::P256).is_err());
    }

    #[test]
    fn p1363_to_der() {
        let mut sig = vec![0u8; 64];
        sig[31] = 1;
        sig[32] = 0x80;
        let der = ecdsa_p1363_to_der(&sig, Curve::P256).unwrap();
        assert_eq!(&der[..5], &[0x30, 0x26, 0x02, 0x01, 0x01]);
        assert_eq!(&der[5..8], &[0x02, 0x21, 0x00]);
        assert!(ecdsa_p1363_to_der(&sig[1..], Curve::P256).is_err());
    }

    #[test]
    fn pss_defaults_and_explicit() {
        // SEQUENCE {} : all defaults (SHA-1, MGF1-SHA-1, salt 20).
        let alg = SignatureAlgorithm::from_parts(oid::RSASSA_PSS, Some(&[0x30, 0x00])).unwrap();
        assert_eq!(
            alg,
            SignatureAlgorithm::RsaPss {
                hash: HashAlgorithm::Sha1,
                mgf1_hash: HashAlgorithm::Sha1,
                salt_len: 20
            }
        );
        assert!(SignatureAlgorithm::from_parts(oid::SHA256_WITH_RSA, Some(&[0x02, 0x01, 0x00])).is_err());
        assert!(SignatureAlgorithm::from_parts(oid::RSASSA_PSS, None).is_err());
        assert_eq!(
            SignatureAlgorithm::from_parts(oid::SHA256_WITH_RSA, None)
                .unwrap()
                .name(),
            "sha256WithRSAEncryption"
        );
    }
}
