//! kyso ("ký số", to sign digitally): verify and produce digital signatures across Vietnam's
//! two certificate hierarchies — the government-specialized PKI of Ban Cơ yếu Chính phủ (VGCA)
//! and the public PKI under the national Root CA (NEAC) and its licensed CAs.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub(crate) mod asn1;
#[cfg(feature = "fs")]
pub mod batch;
pub mod cert;
pub mod cms;
pub mod crypto;
pub mod error;
pub mod ext;
#[cfg(feature = "net")]
pub mod fetch;
pub mod input;
pub mod name;
pub mod oid;
pub mod path;
mod pem;
pub mod policy;
pub mod report;
pub mod revocation;
pub(crate) mod signed;
pub mod time;
#[cfg(feature = "pkcs11")]
pub mod token;
pub mod trust;
pub mod tsp;
pub mod verifier;
pub mod vn;

pub use cert::Certificate;
pub use error::{CertificateError, CryptoError, Error, InputError, LegacyReason};
pub use input::{load, load_certificates, InputFormat};
pub use name::Name;
pub use policy::{Policy, PolicyBuilder, Profile};
pub use time::Time;
pub use trust::{Hierarchy, TrustAnchor, TrustStore};
pub use verifier::{Content, Format, Verifier, VerifyError, When};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
