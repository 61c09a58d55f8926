//! kyso ("ký số", to sign digitally): verify and produce digital signatures across Vietnam's
//! two certificate hierarchies — the government-specialized PKI of Ban Cơ yếu Chính phủ (VGCA)
//! and the public PKI under the national Root CA (NEAC) and its licensed CAs.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub(crate) mod asn1;
pub mod crypto;
pub mod error;
pub mod oid;

pub use error::{CertificateError, CryptoError, Error, InputError, LegacyReason};
