//! Distinguished names (RFC 5280 §4.1.2.4) and their comparison (RFC 5280 §7.1).
//!
//! ```asn1
//! Name ::= CHOICE { rdnSequence  RDNSequence }
//! RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
//! RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
//! AttributeTypeAndValue ::= SEQUENCE { type AttributeType, value AttributeValue }
//! ```
//!
//! A [`Name`] keeps its DER as received. Two names are compared on that encoding, with the
//! rules of RFC 5280 §7.1 (LDAP StringPrep, RFC 4518): the same attribute types RDN by RDN,
//! an RDN as a set, and string values after Unicode NFKC, case folding and insignificant-space
//! handling — so `PrintableString "VNPT-CA"` matches `UTF8String "vnpt-ca"`, and a UTF-8
//! name whose diacritics are decomposed matches the precomposed one. Display strings are never
//! compared. The G1 hierarchy's ASCII names ("Co quan chung thuc so") and G2's UTF-8 names
//! ("Cơ quan chứng thực số") are different names, and stay different.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use unicode_normalization::UnicodeNormalization;

use crate::asn1::{tag, FromTlv, Tlv};
use crate::error::InputError;
use crate::oid::{self, Oid};

/// One attribute of a name: type and value.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Attribute {
    /// The attribute type.
    pub oid: Oid,
    /// The ASN.1 tag of the value (0x0C UTF8String, 0x13 PrintableString, …).
    pub value_tag: u8,
    /// The value's content octets as received.
    pub value: Vec<u8>,
}

impl Attribute {
    /// The value as text, when it is one of the directory string types and decodes.
    pub fn text(&self) -> Option<String> {
        decode_string(self.value_tag, &self.value)
    }

    /// Short type name (`CN`, `O`, `UID`) or the dotted OID.
    pub fn type_name(&self) -> String {
        self.oid.name().map(str::to_string).unwrap_or_else(|| self.oid.dotted())
    }
}

impl std::fmt::Debug for Attribute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}={}",
            self.type_name(),
            self.text().unwrap_or_else(|| format!("#{}", hex::encode(&self.value)))
        )
    }
}

/// A distinguished name: its DER and its RDNs in encoded order.
#[derive(Clone)]
pub struct Name {
    der: Vec<u8>,
    rdns: Vec<Vec<Attribute>>,
    /// [`Name::display`], made once (reports show the same names again and again).
    display: std::sync::OnceLock<String>,
}

/// Most RDNs kyso reads in one name; real names have under 15.
const MAX_RDNS: usize = 256;

impl FromTlv for Name {
    /// `Name ::= SEQUENCE OF RelativeDistinguishedName`, each a non-empty
    /// `SET OF SEQUENCE { type OBJECT IDENTIFIER, value ANY }`.
    fn from_tlv(tlv: Tlv<'_>) -> Result<Self, InputError> {
        let seq = tlv.expect(tag::SEQUENCE, "Name is not a SEQUENCE")?;
        let mut rdns = Vec::new();
        for rdn in seq.children() {
            let rdn = rdn?.expect(tag::SET, "RDN is not a SET")?;
            let mut attrs = Vec::new();
            for atv in rdn.children() {
                let atv = atv?.expect(tag::SEQUENCE, "AttributeTypeAndValue")?;
                let mut kids = atv.children();
                let t = kids.field(tag::OID, "attribute type")?;
                let v = kids.required("attribute value")?;
                kids.finish("AttributeTypeAndValue")?;
                attrs.push(Attribute {
                    oid: Oid::from_der_contents(t.contents),
                    value_tag: v.tag.byte(),
                    value: v.contents.to_vec(),
                });
            }
            if attrs.is_empty() {
                return Err(rdn.malformed("empty RDN"));
            }
            rdns.push(attrs);
            if rdns.len() > MAX_RDNS {
                return Err(rdn.malformed("too many RDNs"));
            }
        }
        Ok(Name {
            der: seq.raw.to_vec(),
            rdns,
            display: std::sync::OnceLock::new(),
        })
    }
}

impl Name {
    /// Decode a DER Name (the whole SEQUENCE).
    pub fn from_der(der: &[u8]) -> Result<Self, InputError> {
        <Name as FromTlv>::from_der(der)
    }

    /// The DER as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The RDNs in encoded order (most significant first, usually `C` first).
    pub fn rdns(&self) -> &[Vec<Attribute>] {
        &self.rdns
    }

    /// Every attribute, in encoded order.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.rdns.iter().flatten()
    }

    /// Text values of every attribute of the given type, in order.
    pub fn values_of(&self, attr: &[u8]) -> Vec<String> {
        self.attributes()
            .filter(|a| a.oid == attr)
            .filter_map(Attribute::text)
            .collect()
    }

    /// The first value of the given type.
    pub fn first_of(&self, attr: &[u8]) -> Option<String> {
        self.values_of(attr).into_iter().next()
    }

    /// The last CN (the most specific).
    pub fn common_name(&self) -> Option<String> {
        self.values_of(oid::AT_COMMON_NAME).into_iter().last()
    }

    /// Whether the name has no RDN.
    pub fn is_empty(&self) -> bool {
        self.rdns.is_empty()
    }

    /// RFC 5280 §7.1 comparison (see the module documentation).
    pub fn matches(&self, other: &Name) -> bool {
        if self.der == other.der {
            return true;
        }
        self.rdns.len() == other.rdns.len() && self.rdns.iter().zip(&other.rdns).all(|(a, b)| rdn_matches(a, b))
    }

    /// Whether `self` is within the subtree rooted at `base` (RFC 5280 §4.2.1.10
    /// directoryName: `base`'s RDNs are a prefix of `self`'s).
    pub fn is_within(&self, base: &Name) -> bool {
        base.rdns.len() <= self.rdns.len() && base.rdns.iter().zip(&self.rdns).all(|(b, s)| rdn_matches(b, s))
    }

    /// The name as one line, RDNs in encoded order: `C=VN, O=VNPT Group, CN=VNPT-CA`.
    pub fn display(&self) -> String {
        self.display
            .get_or_init(|| {
                self.rdns
                    .iter()
                    .map(|rdn| rdn.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(" + "))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .clone()
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

impl PartialEq for Name {
    /// Equality is the RFC 5280 §7.1 match, not byte equality.
    fn eq(&self, other: &Self) -> bool {
        self.matches(other)
    }
}

fn rdn_matches(a: &[Attribute], b: &[Attribute]) -> bool {
    // A SET: same size, and every attribute of `a` matched by a distinct one of `b`.
    if a.len() != b.len() {
        return false;
    }
    let mut used = vec![false; b.len()];
    a.iter().all(|x| {
        let hit = b
            .iter()
            .enumerate()
            .find(|(i, y)| !used.get(*i).copied().unwrap_or(true) && attribute_matches(x, y));
        match hit {
            Some((i, _)) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                true
            }
            None => false,
        }
    })
}

fn attribute_matches(a: &Attribute, b: &Attribute) -> bool {
    if a.oid != b.oid {
        return false;
    }
    if a.value_tag == b.value_tag && a.value == b.value {
        return true;
    }
    // ASCII on both sides (most names, and every mismatch between different CAs' names):
    // NFKC leaves ASCII as it is, so case and space folding alone decide, without allocating.
    if let (Some(x), Some(y)) = (ascii_text(a), ascii_text(b)) {
        return ascii_prepared(x).eq(ascii_prepared(y));
    }
    match (prepared(a), prepared(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The value's bytes when it is a string type whose bytes are its ASCII text.
fn ascii_text(a: &Attribute) -> Option<&[u8]> {
    matches!(a.value_tag, 0x0C | 0x12 | 0x13 | 0x14 | 0x16 | 0x1A)
        .then_some(a.value.as_slice())
        .filter(|v| v.is_ascii())
}

/// [`prepared`] for ASCII text, as bytes: lower case, inner white space runs as one space,
/// none at either end.
fn ascii_prepared(v: &[u8]) -> impl Iterator<Item = u8> + '_ {
    // char::is_whitespace on ASCII: the ASCII white space and VT (0x0B).
    let ws = |b: u8| b.is_ascii_whitespace() || b == 0x0B;
    let start = v.iter().position(|b| !ws(*b)).unwrap_or(v.len());
    let end = v.iter().rposition(|b| !ws(*b)).map_or(start, |e| e + 1);
    let mut in_space = false;
    v.get(start..end).unwrap_or(&[]).iter().filter_map(move |&b| {
        if ws(b) {
            let first = !in_space;
            in_space = true;
            first.then_some(b' ')
        } else {
            in_space = false;
            Some(b.to_ascii_lowercase())
        }
    })
}

/// RFC 4518 preparation, as far as name matching needs it: NFKC, case folding, and
/// insignificant space (leading/trailing removed, inner runs collapsed to one).
fn prepared(a: &Attribute) -> Option<String> {
    // Only directory strings are prepared; other values (IA5 email addresses included, which
    // RFC 5280 §7.5 compares case-insensitively too) are strings as well.
    let text = a.text()?;
    let folded: String = text.nfkc().flat_map(char::to_lowercase).collect();
    Some(folded.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Decode a string-typed value to text.
pub(crate) fn decode_string(value_tag: u8, bytes: &[u8]) -> Option<String> {
    match value_tag {
        // UTF8String
        0x0C => std::str::from_utf8(bytes).ok().map(str::to_string),
        // NumericString, PrintableString, IA5String, VisibleString: ASCII subsets. Real
        // certificates put '@', '_' or '&' in PrintableString; the bytes are kept as text.
        0x12 | 0x13 | 0x16 | 0x1A => bytes.is_ascii().then(|| String::from_utf8_lossy(bytes).into_owned()),
        // TeletexString: read as Latin-1, as every other toolkit does.
        0x14 => Some(bytes.iter().map(|b| char::from(*b)).collect()),
        // BMPString (UTF-16BE)
        0x1E => {
            if bytes.len() % 2 != 0 {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .filter_map(|c| <[u8; 2]>::try_from(c).ok().map(u16::from_be_bytes))
                .collect();
            String::from_utf16(&units).ok()
        }
        // UniversalString (UTF-32BE)
        0x1C => {
            if bytes.len() % 4 != 0 {
                return None;
            }
            bytes
                .chunks_exact(4)
                .map(|c| {
                    <[u8; 4]>::try_from(c)
                        .ok()
                        .map(u32::from_be_bytes)
                        .and_then(char::from_u32)
                })
                .collect()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::asn1::Tag;

    /// A name of one-attribute RDNs, encoded by hand (short forms only: test names are small).
    fn name(attrs: &[(&[u8], u8, &str)]) -> Name {
        let tlv = |t: Tag, c: &[u8]| [&[t.byte(), c.len() as u8][..], c].concat();
        let mut seq = Vec::new();
        for (oid, t, v) in attrs {
            let atv = [tlv(tag::OID, oid), tlv(Tag(*t), v.as_bytes())].concat();
            seq.extend(tlv(tag::SET, &tlv(tag::SEQUENCE, &atv)));
        }
        Name::from_der(&tlv(tag::SEQUENCE, &seq)).unwrap()
    }

    #[test]
    fn rfc5280_matching() {
        let a = name(&[
            (oid::AT_COUNTRY, 0x13, "VN"),
            (oid::AT_COMMON_NAME, 0x13, "VNPT-CA  SHA2"),
        ]);
        let b = name(&[
            (oid::AT_COUNTRY, 0x13, "vn"),
            (oid::AT_COMMON_NAME, 0x0C, " vnpt-ca sha2 "),
        ]);
        assert!(a.matches(&b));
        let c = name(&[
            (oid::AT_COUNTRY, 0x13, "VN"),
            (oid::AT_COMMON_NAME, 0x13, "VNPT-CA SHA1"),
        ]);
        assert!(!a.matches(&c));
        // Order of RDNs matters.
        let d = name(&[
            (oid::AT_COMMON_NAME, 0x13, "VNPT-CA SHA2"),
            (oid::AT_COUNTRY, 0x13, "VN"),
        ]);
        assert!(!a.matches(&d));
    }

    #[test]
    fn vietnamese_diacritics_nfc_and_nfd_match_but_ascii_does_not() {
        let nfc = "Cơ quan chứng thực số";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc.as_bytes(), nfd.as_bytes());
        let a = name(&[(oid::AT_COMMON_NAME, 0x0C, nfc)]);
        let b = name(&[(oid::AT_COMMON_NAME, 0x0C, &nfd)]);
        assert!(a.matches(&b));
        let ascii = name(&[(oid::AT_COMMON_NAME, 0x13, "Co quan chung thuc so")]);
        assert!(!a.matches(&ascii));
    }

    #[test]
    fn en_dash_is_not_a_hyphen() {
        // VIETNAM-PKI.md quirk 3: "ROOT CA – RS" (en dash) is not "ROOT CA - RS".
        let dash = name(&[(oid::AT_COMMON_NAME, 0x0C, "VIETNAM NATIONAL ROOT CA \u{2013} RS")]);
        let hyphen = name(&[(oid::AT_COMMON_NAME, 0x13, "VIETNAM NATIONAL ROOT CA - RS")]);
        assert!(!dash.matches(&hyphen));
    }

    #[test]
    fn bmp_and_teletex() {
        assert_eq!(decode_string(0x1E, &[0, b'V', 0, b'N']).as_deref(), Some("VN"));
        assert_eq!(decode_string(0x14, &[0xC9]).as_deref(), Some("É"));
        assert_eq!(decode_string(0x1E, &[0]), None);
    }

    #[test]
    fn malformed_names_are_errors() {
        assert!(Name::from_der(&[0x30, 0x03, 0x31, 0x00, 0x00]).is_err());
        assert!(Name::from_der(&[0x30, 0x02, 0x31, 0x00]).is_err());
        assert!(Name::from_der(&[0x31, 0x00]).is_err());
    }

    #[test]
    fn ascii_folding_agrees_with_full_preparation() {
        let texts = [
            "VNPT-CA",
            "vnpt-ca",
            "  Bo   Tai chinh ",
            "bo tai chinh",
            "a\x0Bb",
            "a b",
            "\t",
            "",
            "CA2",
            "ca 2",
        ];
        let attr = |t: &str| Attribute {
            oid: Oid::from_der_contents(oid::AT_COMMON_NAME),
            value_tag: 0x13,
            value: t.as_bytes().to_vec(),
        };
        for a in texts {
            for b in texts {
                let fast = ascii_prepared(a.as_bytes()).eq(ascii_prepared(b.as_bytes()));
                let full = prepared(&attr(a)) == prepared(&attr(b));
                assert_eq!(fast, full, "{a:?} vs {b:?}");
            }
        }
    }
}
