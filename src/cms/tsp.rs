//! RFC 3161 time-stamps: requests, responses, tokens.
//!
//! ```asn1
//! TimeStampReq ::= SEQUENCE  {
//!    version                  INTEGER  { v1(1) },
//!    messageImprint           MessageImprint,
//!    reqPolicy                TSAPolicyId              OPTIONAL,
//!    nonce                    INTEGER                  OPTIONAL,
//!    certReq                  BOOLEAN                  DEFAULT FALSE,
//!    extensions               [0] IMPLICIT Extensions  OPTIONAL  }
//! TimeStampResp ::= SEQUENCE  { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
//! TSTInfo ::= SEQUENCE  {
//!    version        INTEGER  { v1(1) },
//!    policy         TSAPolicyId,
//!    messageImprint MessageImprint,
//!    serialNumber   INTEGER,
//!    genTime        GeneralizedTime,
//!    accuracy       Accuracy                 OPTIONAL,
//!    ordering       BOOLEAN             DEFAULT FALSE,
//!    nonce          INTEGER                  OPTIONAL,
//!    tsa            [0] GeneralName          OPTIONAL,
//!    extensions     [1] IMPLICIT Extensions  OPTIONAL  }
//! ```
//!
//! A token is a CMS SignedData whose content is a TSTInfo: it is verified as CMS (the TSA found
//! by the SignerInfo's identifier, never by its place among the certificates), its chain judged
//! at genTime, and the TSA certificate must be for time-stamping (RFC 3161 §2.3).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use crate::asn1::{self, tag};
use crate::cert::Certificate;
use crate::cms::{self, CmsError, SignedData, VerifyOptions};
use crate::crypto::{split_algorithm_identifier, CryptoProvider, HashAlgorithm};
use crate::error::InputError;
use crate::oid::{self, Oid};
use crate::path::{LeafKeyUsage, PathOptions, Verdict};
use crate::time::Time;
use crate::trust::TrustStore;

/// A TimeStampReq for a digest, with a nonce, asking for the TSA's certificate.
pub fn request_der(hash: HashAlgorithm, digest: &[u8], nonce: Option<&[u8]>) -> Vec<u8> {
    use crate::encode::{self, AlgorithmIdentifier, IntegerBytes, MessageImprint, TimeStampReq};
    let nonce = nonce.map(encode::unsigned_integer);
    encode::bounded((|| {
        encode::to_der(&TimeStampReq {
            version: 1,
            message_imprint: MessageImprint {
                hash_algorithm: AlgorithmIdentifier::with_null(hash.oid())?,
                hashed_message: encode::octets(digest)?,
            },
            nonce: nonce.as_deref().map(IntegerBytes),
            cert_req: true,
        })
    })())
}

/// Why a time-stamp is not usable.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TspError {
    /// Not a well-formed response, token or TSTInfo: where and what.
    Malformed(InputError),
    /// The token is not a readable CMS SignedData.
    Cms(CmsError),
    /// The token's SignedData carries another content type than TSTInfo.
    NotTstInfo {
        /// The eContentType, dotted.
        content_type: String,
    },
    /// The token's SignedData carries no TSTInfo (its content is detached or absent).
    NoTstInfo,
    /// The TSA refused: PKIStatus rejection (2), waiting (3), revocationWarning (4),
    /// revocationNotification (5).
    Refused {
        /// The PKIStatus.
        status: u32,
        /// statusString, if given.
        text: Option<String>,
    },
    /// The token is for other data.
    ImprintMismatch,
    /// The nonce differs from the request's.
    NonceMismatch,
    /// The token is not signed by exactly one signer (RFC 3161 §2.4.2).
    SignerCount {
        /// How many SignerInfos it has.
        count: usize,
    },
    /// The token's signer failed: its signature, its TSA certificate or the TSA's chain.
    Signer(crate::cms::SignerError),
    /// The signer's signature verified but the TSA's path is not valid (an indeterminate
    /// revocation status under a hard-fail policy, for one).
    NotValid {
        /// The verdict of the token's verification.
        verdict: Verdict,
    },
}

impl std::fmt::Display for TspError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TspError::Malformed(e) => write!(f, "malformed time-stamp: {e}"),
            TspError::Cms(e) => write!(f, "time-stamp token: {e}"),
            TspError::NotTstInfo { content_type } => {
                write!(f, "the time-stamp token's content is {content_type}, not a TSTInfo")
            }
            TspError::NoTstInfo => write!(f, "the time-stamp token has no TSTInfo"),
            TspError::Refused { status, text } => write!(
                f,
                "the TSA refused (status {status}){}",
                text.as_deref().map(|t| format!(": {t}")).unwrap_or_default()
            ),
            TspError::ImprintMismatch => write!(f, "the time-stamp covers other data"),
            TspError::NonceMismatch => write!(f, "the time-stamp's nonce differs from the request's"),
            TspError::SignerCount { count } => write!(f, "time-stamp token with {count} signers, not one"),
            TspError::Signer(e) => write!(f, "time-stamp token: {e}"),
            TspError::NotValid { verdict } => write!(f, "time-stamp token: {verdict:?}"),
        }
    }
}

impl std::error::Error for TspError {}

impl From<InputError> for TspError {
    fn from(e: InputError) -> Self {
        TspError::Malformed(e)
    }
}

impl From<CmsError> for TspError {
    fn from(e: CmsError) -> Self {
        match e {
            CmsError::Malformed(e) => TspError::Malformed(e),
            e => TspError::Cms(e),
        }
    }
}

/// The token of a TimeStampResp (a granted one), or why there is none.
pub fn token_from_response(der: &[u8]) -> Result<Vec<u8>, TspError> {
    let resp = asn1::read_exact(der)?.expect(tag::SEQUENCE, "TimeStampResp")?;
    let mut k = resp.children();
    let info = k.required("status")?.expect(tag::SEQUENCE, "PKIStatusInfo")?;
    let mut i = info.children();
    let status = i.field(tag::INTEGER, "status")?;
    let code = status.contents.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b));
    if code > 1 {
        let text = i.next().and_then(Result::ok).map(|t| {
            t.children()
                .filter_map(Result::ok)
                .map(|s| String::from_utf8_lossy(s.contents).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        });
        return Err(TspError::Refused { status: code, text });
    }
    let token = k.required("timeStampToken")?;
    Ok(token.raw.to_vec())
}

/// A decoded TSTInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TstInfo {
    /// policy.
    pub policy: Oid,
    /// The imprint's hash algorithm.
    pub hash: HashAlgorithm,
    /// hashedMessage.
    pub imprint: Vec<u8>,
    /// serialNumber (content octets).
    pub serial: Vec<u8>,
    /// genTime.
    pub gen_time: Time,
    /// nonce (content octets without a leading zero).
    pub nonce: Option<Vec<u8>>,
}

impl TstInfo {
    fn parse(der: &[u8]) -> Result<TstInfo, InputError> {
        let seq = asn1::read_exact(der)?.expect(tag::SEQUENCE, "TSTInfo")?;
        let mut k = seq.children();
        let _version = k.required("version")?;
        let policy = k.field(tag::OID, "policy")?;
        let mi = k.field(tag::SEQUENCE, "messageImprint")?;
        let mut m = mi.children();
        let alg = m.required("hashAlgorithm")?;
        let (h, _) = split_algorithm_identifier(alg.raw)?;
        let hash = HashAlgorithm::from_oid(h).ok_or(alg.malformed("imprint hash algorithm"))?;
        let imprint = m.field(tag::OCTET_STRING, "hashedMessage")?;
        let serial = k.field(tag::INTEGER, "serialNumber")?;
        let gt = k.required("genTime")?;
        let gen_time = Time::from_asn1(gt.tag, gt.contents).ok_or(gt.malformed("genTime"))?;
        let mut nonce = None;
        for f in k {
            let f = f?;
            if f.tag == tag::INTEGER {
                nonce = Some(f.contents.iter().copied().skip_while(|b| *b == 0).collect());
            }
        }
        Ok(TstInfo {
            policy: Oid::from_der_contents(policy.contents),
            hash,
            imprint: imprint.contents.to_vec(),
            serial: serial.contents.to_vec(),
            gen_time,
            nonce,
        })
    }
}

/// A verified time-stamp.
#[derive(Debug, Clone)]
pub struct Timestamp {
    /// The TSTInfo.
    pub info: TstInfo,
    /// The TSA's certificate (found by the SignerInfo's identifier).
    pub tsa: Certificate,
    /// The hierarchy the TSA's chain reached.
    pub hierarchy: Option<crate::trust::Hierarchy>,
    /// Notes (a TSA certificate whose extKeyUsage is not critical).
    pub warnings: Vec<TspWarning>,
}

/// Something about a valid time-stamp a person should see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TspWarning {
    /// RFC 3161 §2.3 wants the TSA certificate's extKeyUsage critical; this one is not.
    EkuNotCritical,
}

impl TspWarning {
    /// One line in English.
    pub fn describe_en(self) -> &'static str {
        match self {
            TspWarning::EkuNotCritical => "the TSA certificate's extKeyUsage is not critical (RFC 3161 §2.3)",
        }
    }

    /// One line in Vietnamese.
    pub fn describe_vi(self) -> &'static str {
        match self {
            TspWarning::EkuNotCritical => {
                "trường extKeyUsage trong chứng thư của máy chủ cấp dấu thời gian không được đánh dấu critical (RFC 3161 §2.3)"
            }
        }
    }
}

/// Verify a token over `imprint` (the digest of the time-stamped data, made with the token's
/// own hash, [`TstInfo::hash`]; or use [`verify_token_over`]): the CMS signature, the TSA
/// certificate (extKeyUsage timeStamping), its chain at genTime, the imprint and the nonce.
pub fn verify_token(
    token: &[u8],
    imprint: &[u8],
    nonce: Option<&[u8]>,
    store: &TrustStore,
    pool: &[Certificate],
    path: &PathOptions,
    provider: &dyn CryptoProvider,
) -> Result<Timestamp, TspError> {
    let sd = SignedData::from_bytes(token)?;
    verify_signed_token(sd, |_| imprint.to_vec(), nonce, store, pool, path, provider)
}

/// Verify a token over `data`, hashing it with the token's own imprint algorithm.
pub fn verify_token_over(
    token: &[u8],
    data: &[u8],
    nonce: Option<&[u8]>,
    store: &TrustStore,
    pool: &[Certificate],
    path: &PathOptions,
    provider: &dyn CryptoProvider,
) -> Result<Timestamp, TspError> {
    let sd = SignedData::from_bytes(token)?;
    verify_signed_token(
        sd,
        |info| provider.digest(info.hash, data),
        nonce,
        store,
        pool,
        path,
        provider,
    )
}

/// Verify a token already parsed, so a signature's time-stamp is decoded once.
/// `expected_imprint` gives the digest the TSTInfo must carry, from the TSTInfo (its hash
/// algorithm).
pub fn verify_signed_token(
    sd: SignedData,
    expected_imprint: impl FnOnce(&TstInfo) -> Vec<u8>,
    nonce: Option<&[u8]>,
    store: &TrustStore,
    pool: &[Certificate],
    path: &PathOptions,
    provider: &dyn CryptoProvider,
) -> Result<Timestamp, TspError> {
    if sd.content_type != oid::CT_TST_INFO {
        return Err(TspError::NotTstInfo {
            content_type: sd.content_type.to_string(),
        });
    }
    let content = sd.content.as_deref().ok_or(TspError::NoTstInfo)?;
    let info = TstInfo::parse(content)?;
    if info.imprint != expected_imprint(&info) {
        return Err(TspError::ImprintMismatch);
    }
    if let Some(n) = nonce {
        let want: Vec<u8> = n.iter().copied().skip_while(|b| *b == 0).collect();
        if info.nonce.as_deref() != Some(&want[..]) {
            return Err(TspError::NonceMismatch);
        }
    }
    let mut po = path.clone();
    po.time = info.gen_time;
    po.leaf_key_usage = LeafKeyUsage::Any;
    po.required_eku = vec![Oid::from_der_contents(oid::KP_TIME_STAMPING)];
    let options = VerifyOptions {
        path: po,
        at: Some(info.gen_time),
        now: info.gen_time,
        timestamps: false,
    };
    let r = cms::verify_signed_data(sd, None, store, pool, &options, provider)?;
    let [signer] = r.signers.as_slice() else {
        return Err(TspError::SignerCount { count: r.signers.len() });
    };
    if let Some(e) = &signer.error {
        return Err(TspError::Signer(e.clone()));
    }
    if r.verdict != Verdict::Valid {
        return Err(TspError::NotValid { verdict: r.verdict });
    }
    let tsa = signer
        .certificate
        .clone()
        .ok_or(TspError::Signer(crate::cms::SignerError::CertificateNotFound))?;
    let mut warnings = Vec::new();
    if !tsa.extensions().is_critical(oid::EXT_KEY_USAGE) {
        warnings.push(TspWarning::EkuNotCritical);
    }
    Ok(Timestamp {
        hierarchy: signer.chain.as_ref().and_then(|c| c.hierarchy.clone()),
        info,
        tsa,
        warnings,
    })
}

/// Check a token just received from a TSA: its TSTInfo covers `imprint` and carries `nonce`.
/// (Its signature and the TSA's chain are judged when the signature is verified.)
pub fn check_received(token: &[u8], imprint: &[u8], nonce: &[u8]) -> Result<Time, TspError> {
    let sd = SignedData::from_bytes(token)?;
    let info = TstInfo::parse(sd.content.as_deref().ok_or(TspError::NoTstInfo)?)?;
    if info.imprint != imprint {
        return Err(TspError::ImprintMismatch);
    }
    let want: Vec<u8> = nonce.iter().copied().skip_while(|b| *b == 0).collect();
    if info.nonce.as_deref() != Some(&want[..]) {
        return Err(TspError::NonceMismatch);
    }
    Ok(info.gen_time)
}
