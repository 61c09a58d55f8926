//! RFC 5280 §4 certificate-profile rules, checked on every certificate of a candidate path in
//! addition to the §6.1 algorithm: what a conforming CA must (not) write, which path
//! validation proper does not look at. [`ProfileChecks`] says which rules apply;
//! `Policy::strict()` applies all of them, `Policy::vietnam()` all but those that real
//! Vietnamese certificates break, each of those named in [`ProfileChecks::VIETNAM`].

use serde::Serialize;

use crate::cert::Certificate;
use crate::ext::GeneralName;
use crate::oid;

/// Which certificate-profile rules are checked. `true` means the rule is enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileChecks {
    /// §4.2.1.1: every certificate but a self-signed one carries authorityKeyIdentifier, and
    /// the extension is never critical.
    pub authority_key_identifier: bool,
    /// §4.2.1.2: every CA certificate carries subjectKeyIdentifier.
    pub subject_key_identifier: bool,
    /// §4.1.2.2: the serial number is a positive integer of at most 20 octets.
    pub serial_number: bool,
    /// §4.1.2.6: a CA's subject is not empty.
    pub ca_subject: bool,
    /// §4.2.1.9: a CA certificate (the trust anchor's too) carries basicConstraints, marked
    /// critical.
    pub ca_basic_constraints: bool,
    /// §4.2.1.10: nameConstraints is marked critical.
    pub name_constraints_critical: bool,
    /// §4.2.1.6 and §4.2.1.10: subjectAltName entries follow their syntax — a dNSName the
    /// preferred name syntax of RFC 1034 (a leading `*.` label allowed), an rfc822Name an
    /// addr-spec `local@domain`.
    pub subject_alt_name_syntax: bool,
    /// RFC 5937 §2: a trust anchor's critical extensions are all understood (a trust anchor
    /// carrying one kyso does not process is refused).
    pub anchor_critical_extensions: bool,
    /// RFC 5937 §2: a trust anchor's nameConstraints constrain the path (as pyca/cryptography,
    /// rustls-webpki and Go apply them).
    pub anchor_name_constraints: bool,
}

impl ProfileChecks {
    /// No profile rule: RFC 5280 §6.1 alone (what the PKITS runs exercise).
    pub const NONE: ProfileChecks = ProfileChecks {
        authority_key_identifier: false,
        subject_key_identifier: false,
        serial_number: false,
        ca_subject: false,
        ca_basic_constraints: false,
        name_constraints_critical: false,
        subject_alt_name_syntax: false,
        anchor_critical_extensions: false,
        anchor_name_constraints: false,
    };
    /// Every rule.
    pub const RFC5280: ProfileChecks = ProfileChecks {
        authority_key_identifier: true,
        subject_key_identifier: true,
        serial_number: true,
        ca_subject: true,
        ca_basic_constraints: true,
        name_constraints_critical: true,
        subject_alt_name_syntax: true,
        anchor_critical_extensions: true,
        anchor_name_constraints: true,
    };
    /// Every rule that the Vietnamese hierarchies' certificates keep (measured on every CA
    /// certificate of the pinned bundle and of `vn-trust/`).
    pub const VIETNAM: ProfileChecks = ProfileChecks::RFC5280;
}

/// A certificate-profile rule a certificate breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProfileViolation {
    /// No authorityKeyIdentifier on a certificate that is not self-signed (§4.2.1.1).
    MissingAuthorityKeyIdentifier,
    /// authorityKeyIdentifier marked critical (§4.2.1.1).
    CriticalAuthorityKeyIdentifier,
    /// No subjectKeyIdentifier on a CA certificate (§4.2.1.2).
    MissingSubjectKeyIdentifier,
    /// A serial number of zero or below (§4.1.2.2).
    SerialNotPositive,
    /// A serial number longer than 20 octets (§4.1.2.2).
    SerialTooLong {
        /// Its length in octets.
        octets: usize,
    },
    /// A CA certificate with an empty subject (§4.1.2.6).
    EmptyCaSubject,
    /// A CA certificate without basicConstraints (§4.2.1.9).
    MissingBasicConstraints,
    /// basicConstraints not marked critical on a CA certificate (§4.2.1.9).
    NonCriticalBasicConstraints,
    /// nameConstraints not marked critical (§4.2.1.10).
    NonCriticalNameConstraints,
    /// A dNSName that is not in the preferred name syntax (§4.2.1.6).
    MalformedDnsName {
        /// The name.
        name: String,
    },
    /// An rfc822Name that is not an addr-spec (§4.2.1.6).
    MalformedEmail {
        /// The name.
        name: String,
    },
}

impl ProfileViolation {
    /// The rule broken, in English.
    pub fn describe_en(&self) -> String {
        match self {
            ProfileViolation::MissingAuthorityKeyIdentifier => {
                "no authorityKeyIdentifier (RFC 5280 §4.2.1.1 requires it on every certificate but a self-signed one)"
                    .into()
            }
            ProfileViolation::CriticalAuthorityKeyIdentifier => {
                "authorityKeyIdentifier is marked critical (RFC 5280 §4.2.1.1 forbids it)".into()
            }
            ProfileViolation::MissingSubjectKeyIdentifier => {
                "a CA certificate without subjectKeyIdentifier (RFC 5280 §4.2.1.2)".into()
            }
            ProfileViolation::SerialNotPositive => "the serial number is zero or negative (RFC 5280 §4.1.2.2)".into(),
            ProfileViolation::SerialTooLong { octets } => {
                format!("the serial number has {octets} octets, more than the 20 RFC 5280 §4.1.2.2 allows")
            }
            ProfileViolation::EmptyCaSubject => "a CA certificate with an empty subject (RFC 5280 §4.1.2.6)".into(),
            ProfileViolation::MissingBasicConstraints => {
                "a CA certificate without basicConstraints (RFC 5280 §4.2.1.9)".into()
            }
            ProfileViolation::NonCriticalBasicConstraints => {
                "basicConstraints of a CA certificate is not marked critical (RFC 5280 §4.2.1.9)".into()
            }
            ProfileViolation::NonCriticalNameConstraints => {
                "nameConstraints is not marked critical (RFC 5280 §4.2.1.10)".into()
            }
            ProfileViolation::MalformedDnsName { name } => {
                format!("subjectAltName dNSName {name:?} is not a valid host name (RFC 5280 §4.2.1.6)")
            }
            ProfileViolation::MalformedEmail { name } => {
                format!("subjectAltName rfc822Name {name:?} is not a valid e-mail address (RFC 5280 §4.2.1.6)")
            }
        }
    }

    /// The rule broken, in Vietnamese.
    pub fn describe_vi(&self) -> String {
        match self {
            ProfileViolation::MissingAuthorityKeyIdentifier => {
                "thiếu authorityKeyIdentifier (RFC 5280 §4.2.1.1 bắt buộc với mọi chứng thư không tự ký)".into()
            }
            ProfileViolation::CriticalAuthorityKeyIdentifier => {
                "authorityKeyIdentifier bị đánh dấu critical (RFC 5280 §4.2.1.1 cấm)".into()
            }
            ProfileViolation::MissingSubjectKeyIdentifier => {
                "chứng thư CA thiếu subjectKeyIdentifier (RFC 5280 §4.2.1.2)".into()
            }
            ProfileViolation::SerialNotPositive => "số hiệu (serial) bằng 0 hoặc âm (RFC 5280 §4.1.2.2)".into(),
            ProfileViolation::SerialTooLong { octets } => {
                format!("số hiệu (serial) dài {octets} octet, vượt quá 20 octet RFC 5280 §4.1.2.2 cho phép")
            }
            ProfileViolation::EmptyCaSubject => "chứng thư CA có tên chủ thể rỗng (RFC 5280 §4.1.2.6)".into(),
            ProfileViolation::MissingBasicConstraints => {
                "chứng thư CA thiếu basicConstraints (RFC 5280 §4.2.1.9)".into()
            }
            ProfileViolation::NonCriticalBasicConstraints => {
                "basicConstraints của chứng thư CA không được đánh dấu critical (RFC 5280 §4.2.1.9)".into()
            }
            ProfileViolation::NonCriticalNameConstraints => {
                "nameConstraints không được đánh dấu critical (RFC 5280 §4.2.1.10)".into()
            }
            ProfileViolation::MalformedDnsName { name } => {
                format!("dNSName {name:?} trong subjectAltName không phải tên miền hợp lệ (RFC 5280 §4.2.1.6)")
            }
            ProfileViolation::MalformedEmail { name } => {
                format!("rfc822Name {name:?} trong subjectAltName không phải địa chỉ thư điện tử hợp lệ (RFC 5280 §4.2.1.6)")
            }
        }
    }
}

/// Where a certificate stands in the path, for the rules that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// The end entity.
    Leaf,
    /// An intermediate CA.
    Intermediate,
    /// The trust anchor.
    Anchor,
}

/// The first rule of `checks` that `cert` breaks in `role`.
pub(super) fn check(cert: &Certificate, role: Role, checks: ProfileChecks) -> Result<(), ProfileViolation> {
    let ext = cert.extensions();
    let is_ca = role != Role::Leaf;
    if checks.serial_number {
        let s = cert.serial();
        if s.first().is_none_or(|b| b & 0x80 != 0) || s.iter().all(|b| *b == 0) {
            return Err(ProfileViolation::SerialNotPositive);
        }
        // A positive serial whose first octet has the high bit set is written with a leading
        // zero octet: that octet is not part of the number.
        let octets = s.len() - usize::from(s.len() > 1 && s.first() == Some(&0));
        if octets > 20 {
            return Err(ProfileViolation::SerialTooLong { octets });
        }
    }
    if checks.authority_key_identifier {
        if ext.is_critical(oid::AUTHORITY_KEY_IDENTIFIER) {
            return Err(ProfileViolation::CriticalAuthorityKeyIdentifier);
        }
        let self_signed = cert.is_self_issued() && role == Role::Anchor;
        if ext.authority_key_id.is_none() && !self_signed {
            return Err(ProfileViolation::MissingAuthorityKeyIdentifier);
        }
    }
    if is_ca {
        if checks.subject_key_identifier && ext.subject_key_id.is_none() {
            return Err(ProfileViolation::MissingSubjectKeyIdentifier);
        }
        if checks.ca_subject && cert.subject().is_empty() {
            return Err(ProfileViolation::EmptyCaSubject);
        }
        if checks.ca_basic_constraints {
            if ext.basic_constraints.is_none() {
                return Err(ProfileViolation::MissingBasicConstraints);
            }
            if !ext.is_critical(oid::BASIC_CONSTRAINTS) {
                return Err(ProfileViolation::NonCriticalBasicConstraints);
            }
        }
    }
    if checks.name_constraints_critical && ext.name_constraints.is_some() && !ext.is_critical(oid::NAME_CONSTRAINTS) {
        return Err(ProfileViolation::NonCriticalNameConstraints);
    }
    if checks.subject_alt_name_syntax {
        for n in ext.subject_alt_name.iter().flatten() {
            match n {
                GeneralName::Dns(d) if !dns_name_ok(d, role == Role::Leaf) => {
                    return Err(ProfileViolation::MalformedDnsName { name: d.clone() })
                }
                GeneralName::Rfc822(e) if !email_ok(e) => {
                    return Err(ProfileViolation::MalformedEmail { name: e.clone() })
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// RFC 1034 §3.5 preferred name syntax (labels of letters, digits and inner hyphens, 1–63
/// characters, 253 in all), as RFC 5280 §4.2.1.6 requires of a dNSName; a leaf may start with
/// a `*.` wildcard label (RFC 6125 §6.4.3).
fn dns_name_ok(name: &str, wildcard: bool) -> bool {
    let name = match name.strip_prefix("*.") {
        Some(rest) if wildcard => rest,
        _ => name,
    };
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// An addr-spec of RFC 5322 §3.4.1 as RFC 5280 §4.2.1.6 uses it: one `@`, a non-empty local
/// part of printable ASCII without spaces, and a domain in the preferred name syntax.
fn email_ok(addr: &str) -> bool {
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.bytes().all(|b| {
            b.is_ascii_graphic()
                && !matches!(
                    b,
                    b'@' | b'(' | b')' | b',' | b';' | b':' | b'<' | b'>' | b'[' | b']' | b'\\' | b'"'
                )
        })
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && dns_name_ok(domain, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names() {
        assert!(dns_name_ok("hoadondientu.gdt.gov.vn", false));
        assert!(dns_name_ok("*.gdt.gov.vn", true));
        assert!(!dns_name_ok("*.gdt.gov.vn", false));
        assert!(!dns_name_ok("under_score.example", false));
        assert!(!dns_name_ok("-lead.example", false));
        assert!(!dns_name_ok("a..b", false));
        assert!(!dns_name_ok("", false));
    }

    #[test]
    fn email_addresses() {
        assert!(email_ok("ke.toan@congty.vn"));
        assert!(!email_ok("no-at-sign"));
        assert!(!email_ok("@congty.vn"));
        assert!(!email_ok("a@b@c.vn"));
        assert!(!email_ok("a b@congty.vn"));
        assert!(!email_ok("x@under_score.vn"));
    }
}
