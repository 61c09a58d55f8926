//! kyso ("ký số", to sign digitally): verify and produce digital signatures across Vietnam's
//! two certificate hierarchies — the government-specialized PKI of Ban Cơ yếu Chính phủ (VGCA)
//! and the public PKI under the national Root CA (NEAC) and its licensed CAs.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The public surface: the Verifier and its Policy, the report, signing and tokens at the crate
// root; format and PKI modules for what their types name. Readers, encoders and caches are
// private.
pub(crate) mod asn1;
pub mod auth;
#[cfg(feature = "fs")]
pub mod batch;
mod cert;
pub mod cms;
pub mod crypto;
mod encode;
mod error;
pub mod ext;
#[cfg(feature = "net")]
pub mod fetch;
mod input;
mod name;
mod oid;
pub mod path;
pub mod pdf;
mod pem;
mod policy;
pub mod report;
pub mod revocation;
pub mod sign;
mod signed;
mod time;
#[cfg(feature = "pkcs11")]
pub mod token;
mod trust;
mod verifier;
pub mod vn;
pub mod xml;

pub use cert::{Certificate, MAX_CERTIFICATE_SIZE};
#[cfg(feature = "pkcs11")]
pub use error::TokenError;
pub use error::{CertificateError, CryptoError, Error, InputError, LegacyReason};
pub use input::{load, load_certificates, InputFormat, Loaded, MAX_CERTIFICATES, MAX_INPUT_SIZE};
pub use name::{Attribute, Name};
pub use oid::Oid;
pub use policy::{Policy, PolicyBuilder, Profile};
pub use report::{Indication, ValidationReport};
pub use sign::{sign, Level, SignError, SignOptions, Signer, SoftwareSigner};
pub use time::Time;
pub use trust::{Hierarchy, Identification, KnownIntermediate, TrustAnchor, TrustStore};
pub use verifier::{Content, EvidenceSource, Format, Reopen, Verifier, VerifyError, When};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
