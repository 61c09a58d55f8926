//! Who a Vietnamese certificate names: the UID identifiers of the subject and the usual
//! name attributes (VIETNAM-PKI.md, "Certificate profile").
//!
//! The subject attribute UID (0.9.2342.19200300.100.1.1) carries a prefixed identifier:
//! `MST:` tax code (10 digits, or 13 as `NNNNNNNNNN-NNN` for a branch), `CCCD:` 12-digit
//! citizen ID, `CMND:` old ID (9 or 12 digits), `HC:` passport, `MNS:` budget-unit code.
//! A name may carry several UIDs. CA certificates of 2026 carry a bare tax code.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use crate::cert::Certificate;
use crate::ext::GeneralName;
use crate::name::Name;
use crate::oid;

/// The kind of an identifier found in a UID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IdKind {
    /// `MST:` mã số thuế, the tax code of an organisation or a person.
    Mst,
    /// `CCCD:` căn cước công dân, the 12-digit citizen identity number.
    Cccd,
    /// `CMND:` chứng minh nhân dân, the older 9- or 12-digit identity card.
    Cmnd,
    /// `HC:` hộ chiếu, a passport number.
    Hc,
    /// `MNS:` mã ngân sách, the code of a state budget unit.
    Mns,
    /// A tax code with no prefix (CA certificates of 2026).
    BareTaxCode,
    /// Another prefix (kept as written).
    Other(String),
}

impl IdKind {
    /// The prefix as written in certificates (`MST`), or `""` for a bare tax code.
    pub fn prefix(&self) -> &str {
        match self {
            IdKind::Mst => "MST",
            IdKind::Cccd => "CCCD",
            IdKind::Cmnd => "CMND",
            IdKind::Hc => "HC",
            IdKind::Mns => "MNS",
            IdKind::BareTaxCode => "",
            IdKind::Other(p) => p,
        }
    }
}

/// One identifier from a UID attribute.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IdValue {
    /// What it is.
    pub kind: IdKind,
    /// The identifier without its prefix (`0101243150`, `0101243150-001`).
    pub value: String,
    /// Whether it has the form its kind requires (digit counts; for HC, letters and digits).
    pub well_formed: bool,
    /// The UID value exactly as written.
    pub raw: String,
}

impl IdValue {
    /// For a tax code of a branch (`NNNNNNNNNN-NNN`), the parent organisation's 10 digits.
    pub fn parent_tax_code(&self) -> Option<&str> {
        match self.kind {
            IdKind::Mst | IdKind::BareTaxCode if self.value.len() == 14 => self.value.get(..10),
            _ => None,
        }
    }
}

/// The identity a certificate's subject gives.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Identity {
    /// Every UID identifier, in the order they appear.
    pub ids: Vec<IdValue>,
    /// CN (the last one, the most specific).
    pub common_name: Option<String>,
    /// O values.
    pub organization: Vec<String>,
    /// OU values.
    pub organizational_unit: Vec<String>,
    /// L.
    pub locality: Option<String>,
    /// ST (province or city).
    pub state: Option<String>,
    /// C.
    pub country: Option<String>,
    /// e-mail addresses (emailAddress in the subject and rfc822Name in subjectAltName).
    pub email: Vec<String>,
    /// Other UID values that are not identifiers (kept as written).
    pub other_uid: Vec<String>,
}

impl Identity {
    /// The identity of a certificate's subject (and its subjectAltName e-mail addresses).
    pub fn of(cert: &Certificate) -> Identity {
        let mut id = Identity::from_name(cert.subject());
        for g in cert.extensions().subject_alt_name.iter().flatten() {
            if let GeneralName::Rfc822(e) = g {
                if !id.email.iter().any(|x| x.eq_ignore_ascii_case(e)) {
                    id.email.push(e.clone());
                }
            }
        }
        id
    }

    /// The identity a name gives.
    pub fn from_name(name: &Name) -> Identity {
        let mut id = Identity {
            common_name: name.common_name(),
            organization: name.values_of(oid::AT_ORGANIZATION),
            organizational_unit: name.values_of(oid::AT_ORGANIZATIONAL_UNIT),
            locality: name.first_of(oid::AT_LOCALITY),
            state: name.first_of(oid::AT_STATE),
            country: name.first_of(oid::AT_COUNTRY),
            email: name.values_of(oid::AT_EMAIL),
            ..Identity::default()
        };
        for uid in name.values_of(oid::AT_UID) {
            match parse_uid(&uid) {
                Some(v) => id.ids.push(v),
                None => id.other_uid.push(uid),
            }
        }
        // Where older certificates put the identifiers instead of UID: `O=MST:…` (older FPT
        // certificates), `ST=MST:…` (older CA2 certificates), and `MST=…` or `MST:…` inside
        // the CN ("CÔNG TY X - MST=0101234567"). Only the known prefixes count there.
        let elsewhere = id
            .organization
            .iter()
            .chain(id.state.iter())
            .filter_map(|v| parse_uid(v))
            .chain(id.common_name.iter().filter_map(|cn| id_inside(cn)))
            .filter(|v| !matches!(v.kind, IdKind::Other(_) | IdKind::BareTaxCode))
            .collect::<Vec<_>>();
        for v in elsewhere {
            if !id.ids.iter().any(|x| x.kind == v.kind && x.value == v.value) {
                id.ids.push(v);
            }
        }
        id
    }

    /// Identifiers of one kind.
    pub fn ids_of(&self, kind: &IdKind) -> impl Iterator<Item = &IdValue> {
        let kind = kind.clone();
        self.ids.iter().filter(move |v| v.kind == kind)
    }

    /// The tax code (MST, or a bare tax code), if any.
    pub fn tax_code(&self) -> Option<&str> {
        self.ids
            .iter()
            .find(|v| matches!(v.kind, IdKind::Mst | IdKind::BareTaxCode))
            .map(|v| v.value.as_str())
    }

    /// Whether the certificate names this tax code — what e-invoice software checks against
    /// the seller's MST. A branch code `NNNNNNNNNN-NNN` matches only itself.
    pub fn has_tax_code(&self, mst: &str) -> bool {
        let want: String = mst.chars().filter(|c| !c.is_whitespace()).collect();
        self.ids
            .iter()
            .any(|v| matches!(v.kind, IdKind::Mst | IdKind::BareTaxCode) && v.value == want)
    }
}

/// An identifier written inside a longer value (a CN): `MST=0101234567` or `MST:0101234567`,
/// the prefix in any case, the value the digits and dashes that follow.
fn id_inside(text: &str) -> Option<IdValue> {
    let upper = text.to_ascii_uppercase();
    for prefix in ["MST", "CCCD", "CMND"] {
        let mut from = 0;
        while let Some(i) = upper.get(from..).and_then(|t| t.find(prefix)).map(|i| i + from) {
            let rest = text.get(i + prefix.len()..).unwrap_or("").trim_start();
            if let Some(value) = rest.strip_prefix(['=', ':']) {
                let value: String = value
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '-')
                    .collect();
                if !value.is_empty() {
                    return parse_uid(&format!("{prefix}:{value}")).map(|mut v| {
                        v.raw = text.to_string();
                        v
                    });
                }
            }
            from = i + prefix.len();
        }
    }
    None
}

fn all_digits(s: &str, lens: &[usize]) -> bool {
    lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn tax_code_form(s: &str) -> bool {
    match s.split_once('-') {
        None => all_digits(s, &[10]),
        Some((head, branch)) => all_digits(head, &[10]) && all_digits(branch, &[3]),
    }
}

/// Read one UID value. Returns `None` when it is neither prefixed nor a bare tax code.
pub fn parse_uid(raw: &str) -> Option<IdValue> {
    let text = raw.trim();
    if let Some((prefix, value)) = text.split_once(':') {
        let prefix_norm = prefix.trim().to_ascii_uppercase();
        let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
        let (kind, well_formed) = match prefix_norm.as_str() {
            "MST" => (IdKind::Mst, tax_code_form(&value)),
            "CCCD" => (IdKind::Cccd, all_digits(&value, &[12])),
            "CMND" => (IdKind::Cmnd, all_digits(&value, &[9, 12])),
            "HC" => (
                IdKind::Hc,
                (6..=12).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric()),
            ),
            "MNS" => (
                IdKind::Mns,
                (5..=8).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()),
            ),
            p if !p.is_empty() && p.len() <= 16 && p.bytes().all(|b| b.is_ascii_alphabetic()) => {
                (IdKind::Other(prefix.trim().to_string()), true)
            }
            _ => return None,
        };
        return Some(IdValue {
            kind,
            value,
            well_formed,
            raw: raw.to_string(),
        });
    }
    tax_code_form(text).then(|| IdValue {
        kind: IdKind::BareTaxCode,
        value: text.to_string(),
        well_formed: true,
        raw: raw.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_outside_uid() {
        let id = |v: &str| id_inside(v).map(|x| (x.kind, x.value));
        assert_eq!(
            id("CÔNG TY TNHH A - MST=0101234567"),
            Some((IdKind::Mst, "0101234567".into()))
        );
        assert_eq!(
            id("Nguyễn Văn A (mst: 0101234567-001)"),
            Some((IdKind::Mst, "0101234567-001".into()))
        );
        assert_eq!(id("CMSTX=1"), None);
        assert_eq!(id("MSTORE"), None);
        assert_eq!(
            id("Công ty CCCD:001099012345"),
            Some((IdKind::Cccd, "001099012345".into()))
        );
    }

    #[test]
    fn uid_forms() {
        let v = parse_uid("MST:0101243150").unwrap();
        assert_eq!(
            (v.kind, v.value.as_str(), v.well_formed),
            (IdKind::Mst, "0101243150", true)
        );
        let v = parse_uid("MST:0101243150-001").unwrap();
        assert!(v.well_formed);
        assert_eq!(v.parent_tax_code(), Some("0101243150"));
        assert!(!parse_uid("MST:01012431").unwrap().well_formed);
        let v = parse_uid("CCCD:001099012345").unwrap();
        assert_eq!((v.kind, v.well_formed), (IdKind::Cccd, true));
        assert!(!parse_uid("CCCD:00109901234").unwrap().well_formed);
        assert!(parse_uid("CMND:012345678").unwrap().well_formed);
        assert!(parse_uid("CMND:012345678901").unwrap().well_formed);
        assert!(parse_uid("HC:B1234567").unwrap().well_formed);
        assert!(parse_uid("MNS:1234567").unwrap().well_formed);
        assert_eq!(parse_uid("mst: 0101243150").unwrap().kind, IdKind::Mst);
        assert_eq!(parse_uid("0101243150").unwrap().kind, IdKind::BareTaxCode);
        assert_eq!(parse_uid("BHXH:123").unwrap().kind, IdKind::Other("BHXH".into()));
        assert!(parse_uid("hello world").is_none());
        assert!(parse_uid("12345").is_none());
    }
}
