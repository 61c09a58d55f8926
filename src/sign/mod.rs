//! CAdES signing (ETSI EN 319 122-1 baseline B-B) in two phases: kyso builds the signed
//! attributes, a [`Signer`] signs them, kyso assembles the SignedData. A software key, a
//! PKCS#11 token or a remote signing service fit the same trait.

use std::io::Read;

use crate::cert::Certificate;
use crate::crypto::{self, CryptoProvider, HashAlgorithm, SignatureAlgorithm};
use crate::encode::{
    self, AlgorithmIdentifier, Attribute, ContentInfo, EncapsulatedContentInfo, EncodeError, EssCertIdV2,
    GeneralNamesDirectory, IntegerBytes, IssuerAndSerialNumber, IssuerSerial, OtherRevocationInfoFormat, Raw,
    SignedData, SignerInfo, SigningCertificateV2,
};
use crate::oid;
use crate::path::{self, PathOptions, Verdict};
use crate::time::Time;
use crate::trust::TrustStore;

pub use crate::cms::Level;
pub use software::SoftwareSigner;

#[cfg(feature = "aws-lc")]
mod pkcs12;
mod software;

/// Why signing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The key could not be used.
    Key(KeyError),
    /// The signer (software key, token, service) failed.
    Signer(SignerFailure),
    /// The signer's certificate fails the pre-signing check (Circular 15/2025: validity, key
    /// usage, chain to a trusted anchor); pass `SignOptions::force` to sign anyway.
    CertificateRefused {
        /// Why its path is not valid (`None`: no path error, yet not valid).
        error: Option<crate::path::PathError>,
    },
    /// Reading the content failed.
    Io {
        /// The kind of failure.
        kind: std::io::ErrorKind,
        /// Its text.
        detail: String,
    },
    /// The PKCS#12 password is wrong (its MAC or its encryption does not check out).
    WrongPassword,
    /// B-T or B-LT was asked without a time-stamping authority.
    NoTimestampAuthority,
    /// The time-stamping authority failed, or its answer does not fit the request.
    Timestamp(TimestampError),
    /// B-LT was asked without the revocation values of the chain.
    NoRevocationValues,
    /// What was to be written could not be DER-encoded (a part over 4 GiB, an OID that is not
    /// one).
    Encoding(String),
    /// A PKCS#11 token failed: removed, logged out, or the module refused.
    #[cfg(feature = "pkcs11")]
    Token(crate::error::TokenError),
    /// The XML document to sign could not be read, or the signature could not be placed.
    Xml(crate::xml::sign::XmlSignError),
    /// The PDF to sign could not be read or updated, or the level asked is not one for the
    /// format (B-LTA is a PAdES level).
    Pdf(crate::pdf::sign::PdfSignError),
}

/// Why a key could not be used for signing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The private key does not belong to the certificate.
    DoesNotMatchCertificate,
    /// Not a PKCS#8 RSA, P-256 or P-384 private key.
    Unsupported,
    /// RSA-PSS was asked of a key that is not RSA.
    PssNeedsRsa,
    /// The key is neither DER nor readable PEM.
    Malformed(crate::error::InputError),
    /// The certificate's public key cannot be used.
    CertificateKey(crate::error::CryptoError),
    /// No certificate of the PKCS#12 file matches its private key.
    NoMatchingCertificate,
    /// The PKCS#12 file is malformed: the part named.
    Pkcs12 {
        /// What is wrong.
        what: &'static str,
    },
    /// The PKCS#12 file could not be read (size, depth, encoding).
    Pkcs12Input(crate::error::InputError),
    /// The PKCS#12 file uses an encryption or PBES2 parameters kyso does not read.
    Pkcs12Unsupported {
        /// The scheme or its parameters, as found.
        scheme: String,
    },
    /// A certificate inside the PKCS#12 file does not parse.
    Pkcs12Certificate(crate::error::CertificateError),
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyError::DoesNotMatchCertificate => write!(f, "the key does not match the certificate"),
            KeyError::Unsupported => write!(f, "not a PKCS#8 RSA, P-256 or P-384 private key"),
            KeyError::PssNeedsRsa => write!(f, "RSA-PSS needs an RSA key"),
            KeyError::Malformed(e) => write!(f, "the key is neither DER nor PEM: {e}"),
            KeyError::CertificateKey(e) => write!(f, "the certificate's key: {e}"),
            KeyError::NoMatchingCertificate => write!(f, "PKCS#12: no certificate matches the private key"),
            KeyError::Pkcs12 { what } => write!(f, "PKCS#12: {what}"),
            KeyError::Pkcs12Input(e) => write!(f, "PKCS#12: {e}"),
            KeyError::Pkcs12Unsupported { scheme } => write!(f, "PKCS#12: unsupported {scheme}"),
            KeyError::Pkcs12Certificate(e) => write!(f, "PKCS#12: {e}"),
        }
    }
}

/// How a signer failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignerFailure {
    /// The software key refused to sign.
    SoftwareKey,
    /// Software signing needs the `aws-lc` feature.
    NoSoftwareProvider,
    /// The signature the signer produced does not verify under the certificate's key.
    BadSignatureProduced(crate::error::CryptoError),
    /// A token signer's state was poisoned by a panic in another thread.
    Poisoned,
    /// A signer outside kyso (a remote service, an application's own [`Signer`]) failed, as it
    /// says.
    External(String),
}

impl std::fmt::Display for SignerFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignerFailure::SoftwareKey => write!(f, "signing failed"),
            SignerFailure::NoSoftwareProvider => write!(f, "software signing needs the aws-lc feature"),
            SignerFailure::BadSignatureProduced(e) => write!(f, "the signature produced does not verify: {e}"),
            SignerFailure::Poisoned => write!(f, "the token signer's state is poisoned"),
            SignerFailure::External(e) => write!(f, "{e}"),
        }
    }
}

/// How a time-stamping authority failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimestampError {
    /// The TSA could not be reached or answered with an error (HTTP).
    Unreachable {
        /// The TSA's URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The TSA's answer is not a granted time-stamp, or does not cover the request.
    Response(crate::cms::tsp::TspError),
    /// A time-stamping authority outside kyso failed, as it says.
    External(String),
}

impl std::fmt::Display for TimestampError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimestampError::Unreachable { url, reason } => write!(f, "TSA {url}: {reason}"),
            TimestampError::Response(e) => write!(f, "{e}"),
            TimestampError::External(e) => write!(f, "{e}"),
        }
    }
}

impl From<KeyError> for SignError {
    fn from(e: KeyError) -> Self {
        SignError::Key(e)
    }
}

impl From<std::io::Error> for SignError {
    fn from(e: std::io::Error) -> Self {
        SignError::Io {
            kind: e.kind(),
            detail: e.to_string(),
        }
    }
}

impl std::fmt::Display for SignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignError::Key(e) => write!(f, "signing key: {e}"),
            SignError::Signer(e) => write!(f, "signer: {e}"),
            SignError::CertificateRefused { error } => match error {
                Some(e) => write!(f, "the signer's certificate is not acceptable: {}", e.describe()),
                None => write!(f, "the signer's certificate is not acceptable: not valid"),
            },
            SignError::Io { detail, .. } => write!(f, "reading the content: {detail}"),
            SignError::WrongPassword => write!(f, "PKCS#12: wrong password"),
            SignError::NoTimestampAuthority => write!(f, "B-T needs a time-stamping authority"),
            SignError::Timestamp(e) => write!(f, "time-stamp: {e}"),
            SignError::NoRevocationValues => write!(f, "B-LT needs the revocation values of the chain"),
            SignError::Encoding(e) => write!(f, "encoding the signature: {e}"),
            #[cfg(feature = "pkcs11")]
            SignError::Token(e) => write!(f, "token: {e}"),
            SignError::Xml(e) => write!(f, "XML signature: {e}"),
            SignError::Pdf(e) => write!(f, "PDF signature: {e}"),
        }
    }
}

impl std::error::Error for SignError {}

/// Something that produces signatures with the private key of a certificate.
pub trait Signer: Send + Sync {
    /// The signer's certificate.
    fn certificate(&self) -> &Certificate;
    /// The algorithm its signatures use.
    fn algorithm(&self) -> SignatureAlgorithm;
    /// Sign `data` (the signer hashes it with the algorithm's hash).
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// A time-stamping authority: given a digest, returns an RFC 3161 token over it. The HTTP
/// client for TSA URLs is `fetch::HttpTsa` (feature `net`); tests use a local one.
pub trait TimestampAuthority: Send + Sync {
    /// A token whose imprint is `digest` (computed with `hash`), carrying `nonce`.
    fn timestamp(&self, hash: HashAlgorithm, digest: &[u8], nonce: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// How to sign.
#[derive(Debug, Clone)]
pub struct SignOptions {
    /// Leave the content out of the CMS (a `.p7s` beside the document).
    pub detached: bool,
    /// The signing-time attribute (the caller's clock; the core reads none).
    pub signing_time: Time,
    /// Certificates to include besides the signer's (its intermediates).
    pub chain: Vec<Certificate>,
    /// Check the signer's certificate before signing against this store (validity, key usage,
    /// chain), as Circular 15/2025 requires of signing software.
    pub check_against: Option<(TrustStore, PathOptions)>,
    /// Sign even if that check fails.
    pub force: bool,
    /// The level.
    pub level: Level,
    /// The TSA for B-T and B-LT.
    pub tsa: Option<std::sync::Arc<dyn TimestampAuthority>>,
    /// For B-LT: the revocation values to carry (CRLs and OCSP responses of the chain, e.g.
    /// from `fetch::Fetcher::gather`).
    pub revocation_values: crate::revocation::RevocationEvidence,
    /// Whether the CMS carries the signing-time attribute (PAdES baseline signatures leave it
    /// out: the claimed time is the signature dictionary's `/M`).
    pub signing_time_attribute: bool,
}

impl std::fmt::Debug for dyn TimestampAuthority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TimestampAuthority")
    }
}

impl SignOptions {
    /// Attached B-B at `signing_time`, no pre-signing check.
    pub fn new(signing_time: Time) -> SignOptions {
        SignOptions {
            detached: false,
            signing_time,
            chain: Vec::new(),
            check_against: None,
            force: false,
            level: Level::BB,
            tsa: None,
            revocation_values: crate::revocation::RevocationEvidence::default(),
            signing_time_attribute: true,
        }
    }
}

/// The signatureAlgorithm of a SignerInfo (RFC 4055 §3.1 for PSS, RFC 5754 for the others).
fn signature_algorithm(alg: &SignatureAlgorithm) -> Result<Vec<u8>, EncodeError> {
    let e = match alg {
        SignatureAlgorithm::RsaPkcs1 { hash } => {
            let o = match hash {
                HashAlgorithm::Sha1 => oid::SHA1_WITH_RSA,
                HashAlgorithm::Sha224 => oid::SHA224_WITH_RSA,
                HashAlgorithm::Sha256 => oid::SHA256_WITH_RSA,
                HashAlgorithm::Sha384 => oid::SHA384_WITH_RSA,
                HashAlgorithm::Sha512 => oid::SHA512_WITH_RSA,
            };
            AlgorithmIdentifier::with_null(o)?
        }
        SignatureAlgorithm::RsaPss { .. } => {
            // SHA-256, MGF1 with SHA-256, salt 32 (the only PSS kyso signs).
            let sha256 = encode::to_der(&AlgorithmIdentifier::absent(oid::SHA256)?)?;
            let mgf = encode::to_der(&AlgorithmIdentifier {
                algorithm: encode::oid(oid::MGF1)?,
                parameters: Some(encode::any(&sha256)?),
            })?;
            let params = PssParams {
                hash: encode::any(&sha256)?,
                mgf: encode::any(&mgf)?,
                salt_len: 32,
            };
            let params = encode::to_der(&params)?;
            return encode::to_der(&AlgorithmIdentifier {
                algorithm: encode::oid(oid::RSASSA_PSS)?,
                parameters: Some(encode::any(&params)?),
            });
        }
        SignatureAlgorithm::Ecdsa { hash } => AlgorithmIdentifier::absent(match hash {
            HashAlgorithm::Sha384 => oid::ECDSA_WITH_SHA384,
            HashAlgorithm::Sha512 => oid::ECDSA_WITH_SHA512,
            _ => oid::ECDSA_WITH_SHA256,
        })?,
    };
    encode::to_der(&e)
}

/// `RSASSA-PSS-params` with the hash, MGF and salt length given (trailerField the DEFAULT).
#[derive(der::Sequence)]
struct PssParams<'a> {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    hash: der::asn1::AnyRef<'a>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT")]
    mgf: der::asn1::AnyRef<'a>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT")]
    salt_len: u32,
}

fn encoding(e: EncodeError) -> SignError {
    SignError::Encoding(e.0)
}

/// `IssuerSerial` of a certificate (RFC 5035): its issuer as a directoryName and its serial,
/// as CAdES' signingCertificateV2 and XAdES' IssuerSerialV2 carry it.
fn issuer_serial(cert: &Certificate) -> Result<IssuerSerial<'_>, SignError> {
    Ok(IssuerSerial {
        issuer: GeneralNamesDirectory {
            directory_name: encode::any(cert.issuer().der()).map_err(encoding)?,
        },
        serial_number: IntegerBytes(cert.serial()),
    })
}

/// The DER of [`issuer_serial`].
pub(crate) fn issuer_serial_der(cert: &Certificate) -> Result<Vec<u8>, SignError> {
    encode::to_der(&issuer_serial(cert)?).map_err(encoding)
}

/// The pre-signing check of `options.check_against` (Circular 15/2025), for every format.
pub(crate) fn check_signer(
    cert: &Certificate,
    options: &SignOptions,
    provider: &dyn CryptoProvider,
) -> Result<(), SignError> {
    if let Some((store, po)) = &options.check_against {
        let mut po = po.clone();
        po.time = options.signing_time;
        let r = path::verify_chain(cert, &options.chain, store, &po, provider);
        if r.verdict != Verdict::Valid && !options.force {
            return Err(SignError::CertificateRefused { error: r.error });
        }
    }
    Ok(())
}

/// Sign `content` (bytes, or a reader for detached signatures of large files) as CAdES.
pub fn sign(
    content: Content<'_>,
    signer: &dyn Signer,
    options: &SignOptions,
    provider: &dyn CryptoProvider,
) -> Result<Vec<u8>, SignError> {
    if options.level == Level::BLTA {
        return Err(SignError::Pdf(crate::pdf::sign::PdfSignError::Unsupported(
            "B-LTA is a PAdES level (a document time-stamp): sign the PDF with kyso::pdf::sign",
        )));
    }
    let cert = signer.certificate();
    check_signer(cert, options, provider)?;
    let alg = signer.algorithm();
    let hash = alg.hash();
    let (digest, attached) = match content {
        Content::Bytes(b) => (provider.digest(hash, b), (!options.detached).then(|| b.to_vec())),
        Content::Reader(r) => {
            let mut h = provider.hasher(hash);
            let mut buf = vec![0u8; 1 << 16];
            let mut kept = Vec::new();
            loop {
                let n = r.read(&mut buf).map_err(SignError::from)?;
                if n == 0 {
                    break;
                }
                let chunk = buf.get(..n).unwrap_or(&[]);
                h.update(chunk);
                if !options.detached {
                    kept.extend_from_slice(chunk);
                }
            }
            (h.finish(), (!options.detached).then_some(kept))
        }
    };
    // CAdES B-B signed attributes; ESSCertIDv2 with SHA-256 (the DEFAULT, so omitted) and
    // the issuer and serial of the signer's certificate.
    let cert_hash = provider.digest(HashAlgorithm::Sha256, cert.der());
    let ess = encode::to_der(&SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: encode::octets(&cert_hash).map_err(encoding)?,
            issuer_serial: issuer_serial(cert)?,
        }],
    })
    .map_err(encoding)?;
    let content_type = encode::to_der(&encode::oid(oid::CT_DATA).map_err(encoding)?).map_err(encoding)?;
    let signing_time = options.signing_time.to_der();
    let message_digest = encode::to_der(&encode::octets(&digest).map_err(encoding)?).map_err(encoding)?;
    let attrs = [
        (oid::AA_CONTENT_TYPE, &content_type),
        (oid::AA_SIGNING_TIME, &signing_time),
        (oid::AA_MESSAGE_DIGEST, &message_digest),
        (oid::AA_SIGNING_CERTIFICATE_V2, &ess),
    ]
    .iter()
    .filter(|(id, _)| options.signing_time_attribute || *id != oid::AA_SIGNING_TIME)
    .map(|(id, v)| Attribute::one(id, v).and_then(|a| encode::to_der(&a)))
    .collect::<Result<Vec<_>, _>>()
    .map_err(encoding)?;
    // DER: a SET OF sorted by encoding; what is signed is that SET (RFC 5652 §5.4).
    let signed_attrs = encode::set_of(attrs.iter().map(Vec::as_slice)).map_err(encoding)?;
    let signed_attrs_der = encode::to_der(&signed_attrs).map_err(encoding)?;
    let signature = signer.sign(&signed_attrs_der)?;
    // Check what the signer produced before handing it out.
    let key = cert.public_key().map_err(|e| KeyError::CertificateKey(e.clone()))?;
    crypto::verify_signature(
        provider,
        crypto::AlgorithmPolicy::LEGACY,
        &alg,
        key,
        &signed_attrs_der,
        &signature,
    )
    .map_err(|e| SignError::Signer(SignerFailure::BadSignatureProduced(e)))?;
    let unsigned = if matches!(options.level, Level::BT | Level::BLT | Level::BLTA) {
        // ETSI EN 319 122-1 §5.3: a signature time-stamp over the signature value.
        let tsa = options.tsa.as_ref().ok_or(SignError::NoTimestampAuthority)?;
        let imprint = provider.digest(HashAlgorithm::Sha256, &signature);
        let nonce = provider.digest(
            HashAlgorithm::Sha256,
            &[&signature[..], &options.signing_time.0.to_be_bytes()].concat(),
        );
        let nonce = nonce.get(..8).unwrap_or(&[]).to_vec();
        let token = tsa.timestamp(HashAlgorithm::Sha256, &imprint, &nonce)?;
        crate::cms::tsp::check_received(&token, &imprint, &nonce)
            .map_err(|e| SignError::Timestamp(TimestampError::Response(e)))?;
        Some(encode::to_der(&Attribute::one(oid::AA_TIMESTAMP_TOKEN, &token).map_err(encoding)?).map_err(encoding)?)
    } else {
        None
    };
    let digest_alg = encode::to_der(&AlgorithmIdentifier::absent(hash.oid()).map_err(encoding)?).map_err(encoding)?;
    let sig_alg = signature_algorithm(&alg).map_err(encoding)?;
    let signer_info = encode::to_der(&SignerInfo {
        version: 1,
        sid: IssuerAndSerialNumber {
            issuer: Raw(cert.issuer().der()),
            serial_number: IntegerBytes(cert.serial()),
        },
        digest_algorithm: Raw(&digest_alg),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: Raw(&sig_alg),
        signature: encode::octets(&signature).map_err(encoding)?,
        unsigned_attrs: unsigned
            .as_deref()
            .map(|u| encode::set_of([u]))
            .transpose()
            .map_err(encoding)?,
    })
    .map_err(encoding)?;
    let mut certs: Vec<&[u8]> = vec![cert.der()];
    certs.extend(options.chain.iter().filter(|c| *c != cert).map(Certificate::der));
    let mut revocation_values: Vec<Vec<u8>> = Vec::new();
    if options.level == Level::BLT {
        let ev = &options.revocation_values;
        if ev.crls.is_empty() && ev.ocsp.is_empty() {
            return Err(SignError::NoRevocationValues);
        }
        // RevocationInfoChoices: CRLs as they are, OCSP responses as RFC 5940 `other`
        // ([1] IMPLICIT OtherRevocationInfoFormat: the SEQUENCE's tag becomes [1]).
        revocation_values.extend(ev.crls.iter().map(|c| c.der().to_vec()));
        for o in &ev.ocsp {
            let mut other = encode::to_der(&OtherRevocationInfoFormat {
                other_rev_info_format: encode::oid(oid::RI_OCSP_RESPONSE).map_err(encoding)?,
                other_rev_info: Raw(&o.response_der),
            })
            .map_err(encoding)?;
            if let Some(t) = other.first_mut() {
                *t = 0xA1;
            }
            revocation_values.push(other);
        }
    }
    let content_info = ContentInfo {
        content_type: encode::oid(oid::CT_SIGNED_DATA).map_err(encoding)?,
        content: SignedData {
            version: 1,
            digest_algorithms: encode::set_of([digest_alg.as_slice()]).map_err(encoding)?,
            encap_content_info: EncapsulatedContentInfo {
                e_content_type: encode::oid(oid::CT_DATA).map_err(encoding)?,
                e_content: attached.as_deref().map(encode::octets).transpose().map_err(encoding)?,
            },
            certificates: Some(encode::set_of(certs).map_err(encoding)?),
            crls: if revocation_values.is_empty() {
                None
            } else {
                Some(encode::set_of(revocation_values.iter().map(Vec::as_slice)).map_err(encoding)?)
            },
            signer_infos: encode::set_of([signer_info.as_slice()]).map_err(encoding)?,
        },
    };
    encode::to_der(&content_info).map_err(encoding)
}

/// The content to sign.
pub enum Content<'a> {
    /// In memory.
    Bytes(&'a [u8]),
    /// Streamed (for detached signatures it is never held in memory).
    Reader(&'a mut dyn Read),
}
