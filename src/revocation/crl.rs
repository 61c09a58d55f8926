//! Certificate revocation lists (RFC 5280 §5).
//!
//! ```asn1
//! CertificateList  ::=  SEQUENCE  {
//!      tbsCertList          TBSCertList,
//!      signatureAlgorithm   AlgorithmIdentifier,
//!      signatureValue       BIT STRING  }
//! TBSCertList  ::=  SEQUENCE  {
//!      version                 Version OPTIONAL,
//!      signature               AlgorithmIdentifier,
//!      issuer                  Name,
//!      thisUpdate              Time,
//!      nextUpdate              Time OPTIONAL,
//!      revokedCertificates     SEQUENCE OF SEQUENCE  {
//!           userCertificate         CertificateSerialNumber,
//!           revocationDate          Time,
//!           crlEntryExtensions      Extensions OPTIONAL  }  OPTIONAL,
//!      crlExtensions           [0]  EXPLICIT Extensions OPTIONAL  }
//! ```
//!
//! A CRL is read in one pass that touches each entry's serial and extension identifiers only;
//! entries are kept as offsets into the DER, sorted by serial, so a lookup is a binary search
//! and decodes just the entry found. A 1.5-million-entry national CRL costs one pass and a
//! sort, not 1.5 million allocations.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use crate::asn1::{self, tag, Tlv};
use crate::cert::Certificate;
use crate::crypto::{AlgorithmPolicy, CryptoProvider, SignatureAlgorithm, Verified};
use crate::error::{CryptoError, InputError};
use crate::ext::{reason_flags, DistributionPointName, GeneralName};
use crate::name::Name;
use crate::oid::{self, Oid};
use crate::time::Time;

/// Largest CRL kyso reads: 512 MiB (the biggest real CRLs are ~50 MB).
pub const MAX_CRL_SIZE: usize = 512 << 20;

/// Why a certificate was revoked (RFC 5280 §5.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RevocationReason {
    /// unspecified (0), also when no reason code is given.
    Unspecified,
    /// keyCompromise (1).
    KeyCompromise,
    /// cACompromise (2).
    CaCompromise,
    /// affiliationChanged (3).
    AffiliationChanged,
    /// superseded (4).
    Superseded,
    /// cessationOfOperation (5).
    CessationOfOperation,
    /// certificateHold (6): suspended, may come back.
    CertificateHold,
    /// removeFromCRL (8): only in delta CRLs, the certificate is no longer on hold.
    RemoveFromCrl,
    /// privilegeWithdrawn (9).
    PrivilegeWithdrawn,
    /// aACompromise (10).
    AaCompromise,
}

impl RevocationReason {
    /// The reason in English words.
    pub fn describe_en(self) -> &'static str {
        use RevocationReason::*;
        match self {
            Unspecified => "unspecified",
            KeyCompromise => "key compromise",
            CaCompromise => "CA compromise",
            AffiliationChanged => "affiliation changed",
            Superseded => "superseded",
            CessationOfOperation => "cessation of operation",
            CertificateHold => "certificate on hold",
            RemoveFromCrl => "removed from CRL",
            PrivilegeWithdrawn => "privilege withdrawn",
            AaCompromise => "AA compromise",
        }
    }

    /// The reason in Vietnamese.
    pub fn describe_vi(self) -> &'static str {
        use RevocationReason::*;
        match self {
            Unspecified => "không nêu lý do",
            KeyCompromise => "lộ khóa bí mật",
            CaCompromise => "lộ khóa của tổ chức chứng thực",
            AffiliationChanged => "thay đổi thông tin thuê bao",
            Superseded => "đã được thay thế",
            CessationOfOperation => "ngừng hoạt động",
            CertificateHold => "tạm dừng",
            RemoveFromCrl => "gỡ khỏi danh sách thu hồi",
            PrivilegeWithdrawn => "bị rút quyền",
            AaCompromise => "lộ khóa của tổ chức cấp thuộc tính",
        }
    }

    /// From the ENUMERATED value.
    pub fn from_code(code: u8) -> Option<Self> {
        use RevocationReason::*;
        Some(match code {
            0 => Unspecified,
            1 => KeyCompromise,
            2 => CaCompromise,
            3 => AffiliationChanged,
            4 => Superseded,
            5 => CessationOfOperation,
            6 => CertificateHold,
            8 => RemoveFromCrl,
            9 => PrivilegeWithdrawn,
            10 => AaCompromise,
            _ => return None,
        })
    }

    /// The ReasonFlags bit this reason belongs to (RFC 5280 §4.2.1.13; bit 0 is unused).
    pub fn flag(self) -> u16 {
        use RevocationReason::*;
        match self {
            Unspecified | RemoveFromCrl => 0,
            KeyCompromise => 1 << 1,
            CaCompromise => 1 << 2,
            AffiliationChanged => 1 << 3,
            Superseded => 1 << 4,
            CessationOfOperation => 1 << 5,
            CertificateHold => 1 << 6,
            PrivilegeWithdrawn => 1 << 7,
            AaCompromise => 1 << 8,
        }
    }
}

/// Every reason of ReasonFlags (bits 1–8).
pub const ALL_REASONS: u16 = 0b1_1111_1110;

/// issuingDistributionPoint (RFC 5280 §5.2.5).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IssuingDistributionPoint {
    /// distributionPoint.
    pub name: Option<DistributionPointName>,
    /// onlyContainsUserCerts.
    pub only_user: bool,
    /// onlyContainsCACerts.
    pub only_ca: bool,
    /// onlySomeReasons (ReasonFlags bits).
    pub only_some_reasons: Option<u16>,
    /// indirectCRL.
    pub indirect: bool,
    /// onlyContainsAttributeCerts.
    pub only_attribute: bool,
}

/// One revoked-certificate entry, decoded on lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedEntry {
    /// revocationDate.
    pub revocation_date: Time,
    /// reasonCode, `Unspecified` when absent.
    pub reason: RevocationReason,
    /// invalidityDate, when given.
    pub invalidity_date: Option<Time>,
}

#[derive(Debug, Clone, Copy)]
struct EntryIndex {
    /// Offset and length of the serial's content octets.
    serial: (u32, u16),
    /// Offset and length of the whole entry.
    entry: (u32, u32),
    /// Index into `Crl::entry_issuers` (indirect CRLs), `u32::MAX` for the CRL issuer.
    issuer: u32,
}

/// A parsed CRL.
#[derive(Debug, Clone)]
pub struct Crl {
    der: Vec<u8>,
    signature: crate::signed::Signature,
    issuer: Name,
    this_update: Time,
    next_update: Option<Time>,
    crl_number: Option<Vec<u8>>,
    delta_base: Option<Vec<u8>>,
    idp: Option<IssuingDistributionPoint>,
    authority_key_id: Option<Vec<u8>>,
    unknown_critical: Vec<Oid>,
    entries: Vec<EntryIndex>,
    entry_issuers: Vec<Vec<GeneralName>>,
    origin: Option<String>,
}

fn malformed(what: &'static str, offset: usize) -> InputError {
    InputError::Malformed { what, offset }
}

impl Crl {
    /// Parse a DER CRL (PEM `X509 CRL` blocks are accepted too).
    pub fn from_bytes(bytes: &[u8]) -> Result<Crl, InputError> {
        if bytes.len() > MAX_CRL_SIZE {
            return Err(InputError::TooLarge {
                size: bytes.len(),
                limit: MAX_CRL_SIZE,
            });
        }
        if bytes.first() == Some(&tag::SEQUENCE.byte()) {
            return Crl::from_der(bytes.to_vec());
        }
        let der = crate::pem::first_pem_block(bytes)?;
        Crl::from_der(der)
    }

    /// Parse a DER CRL, taking ownership of the bytes.
    pub fn from_der(der: Vec<u8>) -> Result<Crl, InputError> {
        let parsed = parse(&der)?;
        Ok(Crl { der, ..parsed })
    }

    /// The DER as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Record where the CRL came from (a file or a URL), for reports.
    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// Where the CRL came from, when recorded.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// The issuer.
    pub fn issuer(&self) -> &Name {
        &self.issuer
    }

    /// thisUpdate.
    pub fn this_update(&self) -> Time {
        self.this_update
    }

    /// nextUpdate.
    pub fn next_update(&self) -> Option<Time> {
        self.next_update
    }

    /// cRLNumber's content octets.
    pub fn crl_number(&self) -> Option<&[u8]> {
        self.crl_number.as_deref()
    }

    /// For a delta CRL, the BaseCRLNumber of deltaCRLIndicator.
    pub fn delta_base(&self) -> Option<&[u8]> {
        self.delta_base.as_deref()
    }

    /// Whether this is a delta CRL.
    pub fn is_delta(&self) -> bool {
        self.delta_base.is_some()
    }

    /// issuingDistributionPoint.
    pub fn issuing_distribution_point(&self) -> Option<&IssuingDistributionPoint> {
        self.idp.as_ref()
    }

    /// authorityKeyIdentifier's keyIdentifier.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.authority_key_id.as_deref()
    }

    /// Critical CRL or entry extensions kyso does not process: such a CRL cannot be used.
    pub fn unknown_critical(&self) -> &[Oid] {
        &self.unknown_critical
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the CRL lists no certificate.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The signature algorithm.
    pub fn signature_algorithm(&self) -> Result<&SignatureAlgorithm, CryptoError> {
        self.signature.algorithm.as_ref().map_err(Clone::clone)
    }

    /// Verify the CRL's signature with `signer`'s key, over the TBSCertList as received.
    pub fn verify_signed_by(
        &self,
        signer: &Certificate,
        provider: &dyn CryptoProvider,
        policy: AlgorithmPolicy,
    ) -> Result<Verified, CryptoError> {
        self.signature.verify(&self.der, signer.public_key()?, provider, policy)
    }

    /// Find the entry for a certificate `serial` (content octets as encoded) whose issuer is
    /// `issuer`. For a direct CRL the issuer is the CRL's; an indirect CRL names other issuers
    /// through certificateIssuer entry extensions (RFC 5280 §5.3.3).
    pub fn find(&self, serial: &[u8], issuer: &Name) -> Option<RevokedEntry> {
        // Serials are compared as encoded: DER INTEGERs are minimal, so equal numbers have
        // equal octets (negative serials included).
        let key = serial;
        let start = self.entries.partition_point(|e| self.serial_of(e) < key);
        self.entries
            .get(start..)?
            .iter()
            .take_while(|e| self.serial_of(e) == key)
            .find(|e| self.entry_issuer_matches(e, issuer))
            .and_then(|e| self.decode_entry(e))
    }

    fn serial_of(&self, e: &EntryIndex) -> &[u8] {
        let (o, l) = (e.serial.0 as usize, usize::from(e.serial.1));
        self.der.get(o..o + l).unwrap_or(&[])
    }

    fn entry_issuer_matches(&self, e: &EntryIndex, issuer: &Name) -> bool {
        if e.issuer == u32::MAX {
            return self.issuer.matches(issuer);
        }
        self.entry_issuers.get(e.issuer as usize).is_some_and(|names| {
            names
                .iter()
                .any(|g| matches!(g, GeneralName::Directory(n) if n.matches(issuer)))
        })
    }

    fn decode_entry(&self, e: &EntryIndex) -> Option<RevokedEntry> {
        let (o, l) = (e.entry.0 as usize, e.entry.1 as usize);
        let entry = asn1::read_exact(self.der.get(o..o + l)?).ok()?;
        let mut kids = entry.children();
        let _serial = kids.next()?.ok()?;
        let date = kids.next()?.ok()?;
        let mut out = RevokedEntry {
            revocation_date: Time::from_asn1(date.tag, date.contents)?,
            reason: RevocationReason::Unspecified,
            invalidity_date: None,
        };
        if let Some(Ok(exts)) = kids.next() {
            for crate::ext::ExtensionRef { id, value, .. } in extensions(exts).ok()? {
                if id == oid::REASON_CODE {
                    let v = asn1::read_exact(value).ok()?;
                    out.reason = RevocationReason::from_code(*v.contents.first()?)?;
                } else if id == oid::INVALIDITY_DATE {
                    let v = asn1::read_exact(value).ok()?;
                    out.invalidity_date = Time::from_asn1(v.tag, v.contents);
                }
            }
        }
        Some(out)
    }
}

/// CRL and entry extensions, each once (RFC 5280 §5.2, §5.3), read by the one Extension reader.
fn extensions(list: Tlv<'_>) -> Result<Vec<crate::ext::ExtensionRef<'_>>, InputError> {
    let mut out: Vec<crate::ext::ExtensionRef<'_>> = Vec::new();
    for e in crate::ext::extension_list(list) {
        let e = e?;
        if out.iter().any(|o| o.id == e.id) {
            return Err(e.element.malformed("duplicate extension"));
        }
        out.push(e);
    }
    Ok(out)
}

const KNOWN_CRL_EXTENSIONS: &[&[u8]] = &[
    oid::AUTHORITY_KEY_IDENTIFIER,
    oid::ISSUER_ALT_NAME,
    oid::CRL_NUMBER,
    oid::DELTA_CRL_INDICATOR,
    oid::ISSUING_DISTRIBUTION_POINT,
    oid::FRESHEST_CRL,
    oid::AUTHORITY_INFO_ACCESS,
];

const KNOWN_ENTRY_EXTENSIONS: &[&[u8]] = &[
    oid::REASON_CODE,
    oid::HOLD_INSTRUCTION_CODE,
    oid::INVALIDITY_DATE,
    oid::CERTIFICATE_ISSUER,
];

fn time_of(t: Tlv<'_>, what: &'static str) -> Result<Time, InputError> {
    Time::from_asn1(t.tag, t.contents).ok_or(t.malformed(what))
}

fn parse(der: &[u8]) -> Result<Crl, InputError> {
    let outer = asn1::read_exact(der)?.expect(tag::SEQUENCE, "CertificateList")?;
    let (signature, tbs, mut top) =
        crate::signed::read(outer, ["tbsCertList", "signatureAlgorithm", "signatureValue"])?;
    if let Some(extra) = top.next() {
        return Err(extra?.malformed("CertificateList has extra fields"));
    }
    let mut t = tbs.children();
    let mut field = t.required("TBSCertList")?;
    if field.tag == tag::INTEGER {
        field = t.required("signature")?;
    }
    // RFC 5280 §5.1.1.2: the inner algorithm must equal the outer one.
    if Some(field.raw) != der.get(signature.algorithm_der.clone()) {
        return Err(field.malformed("signature algorithm differs inside and outside TBSCertList"));
    }
    let issuer_tlv = t.required("issuer")?;
    let issuer = Name::from_der(issuer_tlv.raw)?;
    let this_update = time_of(t.required("thisUpdate")?, "thisUpdate")?;
    let mut next_update = None;
    let mut revoked = None;
    let mut crl_exts = None;
    for f in t {
        let f = f?;
        match f.tag {
            tag::UTC_TIME | tag::GENERALIZED_TIME if next_update.is_none() && revoked.is_none() => {
                next_update = Some(time_of(f, "nextUpdate")?)
            }
            tag::SEQUENCE if revoked.is_none() => revoked = Some(f),
            tag::C0 => crl_exts = Some(f),
            _ => return Err(f.malformed("TBSCertList field")),
        }
    }
    let mut crl = Crl {
        der: Vec::new(),
        signature,
        issuer,
        this_update,
        next_update,
        crl_number: None,
        delta_base: None,
        idp: None,
        authority_key_id: None,
        unknown_critical: Vec::new(),
        entries: Vec::new(),
        entry_issuers: Vec::new(),
        origin: None,
    };
    if let Some(exts) = crl_exts {
        let seq = asn1::read_exact(exts.contents)?.expect(tag::SEQUENCE, "crlExtensions")?;
        for crate::ext::ExtensionRef {
            id, critical, value, ..
        } in extensions(seq)?
        {
            match id {
                i if i == oid::CRL_NUMBER => crl.crl_number = Some(asn1::read_exact(value)?.contents.to_vec()),
                i if i == oid::DELTA_CRL_INDICATOR => crl.delta_base = Some(asn1::read_exact(value)?.contents.to_vec()),
                i if i == oid::ISSUING_DISTRIBUTION_POINT => crl.idp = Some(parse_idp(value)?),
                i if i == oid::AUTHORITY_KEY_IDENTIFIER => {
                    let aki = asn1::read_exact(value)?;
                    for k in aki.children() {
                        let k = k?;
                        if k.tag == tag::P0 {
                            crl.authority_key_id = Some(k.contents.to_vec());
                        }
                    }
                }
                i if critical && !KNOWN_CRL_EXTENSIONS.contains(&i) => {
                    crl.unknown_critical.push(Oid::from_der_contents(i))
                }
                _ => {}
            }
        }
    }
    if let Some(list) = revoked {
        index_entries(der, list, &mut crl)?;
    }
    Ok(crl)
}

/// One pass over revokedCertificates: serial offsets, certificateIssuer runs, unknown
/// critical entry extensions; then a sort by serial.
fn index_entries(der: &[u8], list: Tlv<'_>, crl: &mut Crl) -> Result<(), InputError> {
    let mut current_issuer = u32::MAX;
    for e in list.children() {
        let e = e?.expect(tag::SEQUENCE, "revoked certificate entry")?;
        let mut k = e.children();
        let serial = k.field(tag::INTEGER, "userCertificate")?;
        let date = k.required("revocationDate")?;
        if !matches!(date.tag, tag::UTC_TIME | tag::GENERALIZED_TIME) {
            return Err(date.malformed("revocationDate"));
        }
        if let Some(exts) = k.next() {
            let exts = exts?.expect(tag::SEQUENCE, "crlEntryExtensions")?;
            for crate::ext::ExtensionRef {
                id, critical, value, ..
            } in extensions(exts)?
            {
                if id == oid::CERTIFICATE_ISSUER {
                    let names = asn1::read_exact(value)?.expect(tag::SEQUENCE, "certificateIssuer")?;
                    crl.entry_issuers.push(GeneralName::sequence_from_tlv(names)?);
                    current_issuer = u32::try_from(crl.entry_issuers.len() - 1).unwrap_or(u32::MAX);
                } else if critical && !KNOWN_ENTRY_EXTENSIONS.contains(&id) {
                    let o = Oid::from_der_contents(id);
                    if !crl.unknown_critical.contains(&o) {
                        crl.unknown_critical.push(o);
                    }
                }
            }
        }
        let so = serial.contents_offset();
        let eo = e.offset;
        let (Ok(so), Ok(sl), Ok(eo), Ok(el)) = (
            u32::try_from(so),
            u16::try_from(serial.contents.len()),
            u32::try_from(eo),
            u32::try_from(e.raw.len()),
        ) else {
            return Err(malformed("CRL entry beyond 4 GiB or serial too long", eo));
        };
        crl.entries.push(EntryIndex {
            serial: (so, sl),
            entry: (eo, el),
            issuer: current_issuer,
        });
    }
    let key = |e: &EntryIndex| {
        let (o, l) = (e.serial.0 as usize, usize::from(e.serial.1));
        der.get(o..o + l).unwrap_or(&[])
    };
    crl.entries.sort_by(|a, b| key(a).cmp(key(b)));
    Ok(())
}

/// IssuingDistributionPoint (RFC 5280 §5.2.5).
fn parse_idp(value: &[u8]) -> Result<IssuingDistributionPoint, InputError> {
    let seq = asn1::read_exact(value)?.expect(tag::SEQUENCE, "issuingDistributionPoint")?;
    let mut idp = IssuingDistributionPoint::default();
    let flag = |t: Tlv<'_>| t.contents.first().is_some_and(|b| *b != 0);
    for f in seq.children() {
        let f = f?;
        match f.tag {
            tag::C0 => idp.name = Some(crate::ext::distribution_point_name(asn1::read_exact(f.contents)?)?),
            tag::P1 => idp.only_user = flag(f),
            tag::P2 => idp.only_ca = flag(f),
            tag::P3 => idp.only_some_reasons = Some(reason_flags(f.contents)),
            tag::P4 => idp.indirect = flag(f),
            tag::P5 => idp.only_attribute = flag(f),
            _ => return Err(f.malformed("issuingDistributionPoint field")),
        }
    }
    Ok(idp)
}
