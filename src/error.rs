//! Errors, one enum per layer, each variant with the context needed to act on it.

use std::fmt;

/// Any error kyso returns.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Reading bytes into certificates failed.
    Input(InputError),
    /// A certificate could not be parsed, or is not a well-formed X.509 certificate.
    Certificate(CertificateError),
    /// A signature could not be verified, or its algorithm is not allowed.
    Crypto(CryptoError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(e) => write!(f, "input: {e}"),
            Error::Certificate(e) => write!(f, "certificate: {e}"),
            Error::Crypto(e) => write!(f, "signature: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(e)
    }
}
impl From<CertificateError> for Error {
    fn from(e: CertificateError) -> Self {
        Error::Certificate(e)
    }
}
impl From<CryptoError> for Error {
    fn from(e: CryptoError) -> Self {
        Error::Crypto(e)
    }
}

/// Errors of [`crate::load`] and [`crate::load_certificates`]: the bytes are not certificates in a form kyso reads.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputError {
    /// The input is empty.
    Empty,
    /// The input is larger than the limit for its kind.
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// More certificates than the loader accepts from one input.
    TooManyCertificates {
        /// The limit.
        limit: usize,
    },
    /// The encoding ends before an element it announced.
    Truncated {
        /// Byte offset where more data was expected.
        offset: usize,
    },
    /// Bytes follow the end of the outermost element.
    TrailingData {
        /// Byte offset of the first extra byte.
        offset: usize,
    },
    /// The BER/DER structure is not what the format requires.
    Malformed {
        /// What was wrong.
        what: &'static str,
        /// Byte offset of the offending element (in the decoded binary, for PEM/base64).
        offset: usize,
    },
    /// Nesting deeper than the reader follows.
    TooDeep {
        /// The nesting limit.
        limit: usize,
    },
    /// A PEM block is not well formed.
    Pem {
        /// What was wrong.
        what: &'static str,
        /// 1-based line number in the text.
        line: usize,
    },
    /// A PEM block carries a label kyso does not read as certificates.
    UnsupportedPemLabel {
        /// The label, e.g. `PRIVATE KEY`.
        label: String,
    },
    /// Base64 text could not be decoded.
    Base64 {
        /// 1-based line number of the block (1 for bare base64).
        line: usize,
    },
    /// A PKCS#7/CMS ContentInfo whose content type is not SignedData.
    NotSignedData {
        /// The content type OID, dotted.
        content_type: String,
    },
    /// The input is neither DER, PEM, base64 nor a PKCS#7 bundle.
    UnrecognizedFormat,
    /// The input was read but holds no certificate.
    NoCertificates,
    /// One certificate inside a bundle or PEM file failed to parse.
    InCertificate {
        /// 0-based index of the certificate within the input.
        index: usize,
        /// Why it failed.
        error: Box<CertificateError>,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => write!(f, "the input is empty"),
            InputError::TooLarge { size, limit } => {
                write!(f, "the input is {size} bytes, above the limit of {limit}")
            }
            InputError::TooManyCertificates { limit } => {
                write!(f, "more than {limit} certificates in one input")
            }
            InputError::Truncated { offset } => write!(f, "truncated at byte {offset}"),
            InputError::TrailingData { offset } => {
                write!(f, "unexpected data after the end, at byte {offset}")
            }
            InputError::Malformed { what, offset } => write!(f, "malformed at byte {offset}: {what}"),
            InputError::TooDeep { limit } => write!(f, "nested more than {limit} levels deep"),
            InputError::Pem { what, line } => write!(f, "PEM line {line}: {what}"),
            InputError::UnsupportedPemLabel { label } => {
                write!(f, "PEM block \"{label}\" does not hold certificates")
            }
            InputError::Base64 { line } => write!(f, "invalid base64 (block at line {line})"),
            InputError::NotSignedData { content_type } => {
                write!(f, "PKCS#7 content type {content_type} is not SignedData")
            }
            InputError::UnrecognizedFormat => {
                write!(f, "not DER, PEM, base64 or a PKCS#7 certificate bundle")
            }
            InputError::NoCertificates => write!(f, "no certificate found"),
            InputError::InCertificate { index, error } => write!(f, "certificate #{index}: {error}"),
        }
    }
}

impl std::error::Error for InputError {}

/// Errors of [`crate::Certificate::from_der`]: a certificate that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificateError {
    /// The DER is not an X.509 certificate: where and what, from kyso's reader.
    Malformed(InputError),
    /// The DER is larger than [`crate::MAX_CERTIFICATE_SIZE`].
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A validity time is neither a UTCTime nor a GeneralizedTime of RFC 5280 §4.1.2.5's form.
    BadTime {
        /// Byte offset of the time.
        offset: usize,
    },
    /// An extension appears twice (RFC 5280 §4.2).
    DuplicateExtension {
        /// The extension OID, dotted.
        oid: String,
    },
    /// A known extension could not be decoded.
    BadExtension {
        /// The extension OID, dotted.
        oid: String,
        /// Where and what.
        error: InputError,
    },
    /// The certificate's own `signatureAlgorithm` differs from the one inside TBSCertificate
    /// (RFC 5280 §4.1.1.2).
    SignatureAlgorithmMismatch,
}

impl From<InputError> for CertificateError {
    fn from(e: InputError) -> Self {
        CertificateError::Malformed(e)
    }
}

impl fmt::Display for CertificateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertificateError::Malformed(e) => write!(f, "not a valid X.509 certificate: {e}"),
            CertificateError::TooLarge { size, limit } => {
                write!(f, "certificate of {size} bytes, above the limit of {limit}")
            }
            CertificateError::BadTime { offset } => write!(f, "invalid validity time at byte {offset}"),
            CertificateError::DuplicateExtension { oid } => write!(f, "extension {oid} appears twice"),
            CertificateError::BadExtension { oid, error } => {
                write!(f, "extension {oid} is malformed: {error}")
            }
            CertificateError::SignatureAlgorithmMismatch => {
                write!(f, "signatureAlgorithm differs from the one in TBSCertificate")
            }
        }
    }
}

impl std::error::Error for CertificateError {}

/// Errors of [`crate::crypto`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CryptoError {
    /// The signature algorithm (or its parameters) is not one kyso supports.
    UnsupportedAlgorithm {
        /// The algorithm OID, dotted, with a note on parameters where they were the problem.
        oid: String,
    },
    /// The public key type or curve is not supported (DSA, Ed25519, P-521, …).
    UnsupportedKey {
        /// The key algorithm OID, dotted (and curve, for EC keys).
        oid: String,
    },
    /// The public key could not be decoded.
    InvalidKey {
        /// What was wrong.
        reason: &'static str,
    },
    /// The key type does not match the signature algorithm (an EC key with an RSA signature).
    KeyAlgorithmMismatch,
    /// The algorithm is legacy (SHA-1, RSA under 2048 bits) and the policy does not allow it.
    LegacyAlgorithmRejected {
        /// What made it legacy.
        reason: LegacyReason,
    },
    /// The RSA key is below the smallest size kyso verifies at all (1024 bits).
    KeyTooSmall {
        /// Size of the key in bits.
        bits: usize,
        /// The minimum.
        min: usize,
    },
    /// The signature does not verify under the key.
    BadSignature,
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CryptoError::UnsupportedAlgorithm { oid } => write!(f, "unsupported signature algorithm {oid}"),
            CryptoError::UnsupportedKey { oid } => write!(f, "unsupported public key type {oid}"),
            CryptoError::InvalidKey { reason } => write!(f, "invalid public key: {reason}"),
            CryptoError::KeyAlgorithmMismatch => {
                write!(f, "the key type does not match the signature algorithm")
            }
            CryptoError::LegacyAlgorithmRejected { reason } => {
                write!(f, "legacy algorithm not allowed by the policy: {reason}")
            }
            CryptoError::KeyTooSmall { bits, min } => {
                write!(f, "RSA key of {bits} bits is below the minimum of {min}")
            }
            CryptoError::BadSignature => write!(f, "the signature does not verify"),
        }
    }
}

impl std::error::Error for CryptoError {}

/// Why an algorithm counts as legacy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LegacyReason {
    /// SHA-1 as the signature's hash (G1 and MIC roots, old e-invoices).
    Sha1,
    /// An RSA key shorter than 2048 bits.
    ShortRsaKey {
        /// Size of the key in bits.
        bits: usize,
    },
}

impl fmt::Display for LegacyReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LegacyReason::Sha1 => write!(f, "SHA-1"),
            LegacyReason::ShortRsaKey { bits } => write!(f, "RSA key of {bits} bits (< 2048)"),
        }
    }
}

/// Why a PKCS#11 token operation failed ([`crate::token`]).
#[cfg(feature = "pkcs11")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// The module could not be loaded or initialised.
    Module {
        /// The module path.
        path: String,
        /// Why.
        reason: String,
    },
    /// No token with that label (or no token at all).
    NoToken {
        /// The label asked for, if any.
        label: Option<String>,
    },
    /// The user PIN is locked: only the security officer can unlock it.
    PinLocked,
    /// The token is at its final PIN try: kyso does not try a PIN unless forced.
    PinFinalTry,
    /// The PIN was refused.
    WrongPin {
        /// Whether the token now reports its retry count as low.
        count_low: bool,
    },
    /// No private key (with that CKA_ID) on the token.
    NoKey,
    /// A private key without a matching certificate.
    NoCertificate,
    /// The token was removed (or replaced by another in its slot), or the session closed under
    /// kyso.
    TokenRemoved,
    /// Another PKCS#11 error.
    Pkcs11 {
        /// What kyso was doing.
        during: &'static str,
        /// The module's answer.
        reason: String,
    },
}

#[cfg(feature = "pkcs11")]
impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::Module { path, reason } => write!(f, "PKCS#11 module {path}: {reason}"),
            TokenError::NoToken { label: Some(l) } => write!(f, "no token labelled \"{l}\""),
            TokenError::NoToken { label: None } => write!(f, "no token present"),
            TokenError::PinLocked => write!(f, "the user PIN is locked"),
            TokenError::PinFinalTry => {
                write!(
                    f,
                    "the token is at its final PIN try: not trying a PIN (force it to try anyway)"
                )
            }
            TokenError::WrongPin { count_low: true } => write!(f, "wrong PIN (few tries left)"),
            TokenError::WrongPin { count_low: false } => write!(f, "wrong PIN"),
            TokenError::NoKey => write!(f, "no private key on the token"),
            TokenError::NoCertificate => write!(f, "no certificate matches the private key"),
            TokenError::TokenRemoved => write!(f, "the token was removed"),
            TokenError::Pkcs11 { during, reason } => write!(f, "PKCS#11 error while {during}: {reason}"),
        }
    }
}

#[cfg(feature = "pkcs11")]
impl std::error::Error for TokenError {}
