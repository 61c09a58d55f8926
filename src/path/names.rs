//! Name constraints: RFC 5280 §4.2.1.10 matching and §6.1.3 (b)–(c), §6.1.4 (g).
//!
//! Each CA's nameConstraints is kept as it was and every later certificate is checked against
//! all of them: a name must lie in at least one permitted subtree of its form in every CA that
//! permits that form (the intersection of §6.1.4 (g)(1)), and in no excluded subtree of any
//! (the union of (g)(2)).

use crate::cert::Certificate;
use crate::ext::{GeneralName, NameConstraints};
use crate::oid;

/// Why a name fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NameViolation {
    /// The name, as displayed.
    pub name: String,
    /// Whether it fell in an excluded subtree (else: outside every permitted one).
    pub excluded: bool,
}

/// The form of a GeneralName, for "does this constraint apply".
fn form(g: &GeneralName) -> u32 {
    match g {
        GeneralName::OtherName { .. } => 0,
        GeneralName::Rfc822(_) => 1,
        GeneralName::Dns(_) => 2,
        GeneralName::Directory(_) => 4,
        GeneralName::Uri(_) => 6,
        GeneralName::IpAddress(_) => 7,
        GeneralName::RegisteredId(_) => 8,
        GeneralName::Unsupported { tag, .. } => *tag,
    }
}

/// The names of `cert` that constraints apply to: the subject (when not empty), the
/// subjectAltName entries, and — as rfc822Name — emailAddress attributes of the subject.
fn names_of(cert: &Certificate) -> Vec<GeneralName> {
    let mut v = Vec::new();
    if !cert.subject().is_empty() {
        v.push(GeneralName::Directory(cert.subject().clone()));
    }
    v.extend(cert.extensions().subject_alt_name.iter().flatten().cloned());
    for e in cert.subject().values_of(oid::AT_EMAIL) {
        v.push(GeneralName::Rfc822(e));
    }
    v
}

/// Check `cert` against the constraints of the CAs above it.
pub(super) fn check(cert: &Certificate, constraints: &[&NameConstraints]) -> Result<(), NameViolation> {
    if constraints.is_empty() {
        return Ok(());
    }
    for name in names_of(cert) {
        let f = form(&name);
        for nc in constraints {
            if let Some(permitted) = &nc.permitted {
                let of_form: Vec<&GeneralName> = permitted.iter().map(|s| &s.base).filter(|b| form(b) == f).collect();
                if !of_form.is_empty() && !of_form.iter().any(|b| within(&name, b).unwrap_or(false)) {
                    return Err(NameViolation {
                        name: name.display(),
                        excluded: false,
                    });
                }
            }
            if let Some(excluded) = &nc.excluded {
                // A form kyso cannot evaluate fails closed (RFC 5280: process or reject).
                if excluded
                    .iter()
                    .filter(|s| form(&s.base) == f)
                    .any(|s| within(&name, &s.base).unwrap_or(true))
                {
                    return Err(NameViolation {
                        name: name.display(),
                        excluded: true,
                    });
                }
            }
        }
    }
    Ok(())
}

/// Whether `name` lies within the subtree `base` of the same form; `None` when kyso cannot
/// evaluate that form (otherName, x400Address, ediPartyName, registeredID).
fn within(name: &GeneralName, base: &GeneralName) -> Option<bool> {
    Some(match (name, base) {
        (GeneralName::Directory(n), GeneralName::Directory(b)) => n.is_within(b),
        (GeneralName::Dns(n), GeneralName::Dns(b)) => dns_within(n, b),
        (GeneralName::Rfc822(n), GeneralName::Rfc822(b)) => email_within(n, b),
        (GeneralName::Uri(n), GeneralName::Uri(b)) => match uri_host(n) {
            Some(host) => host_within(&host, b),
            // RFC 5280: a URI without a host fails a URI constraint.
            None => false,
        },
        (GeneralName::IpAddress(n), GeneralName::IpAddress(b)) => ip_within(n, b),
        _ => return None,
    })
}

/// dNSName: the name is the base or ends with `.` + base (labels added on the left). A base
/// starting with `.` admits only proper subdomains.
fn dns_within(name: &str, base: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let base = base.trim_end_matches('.').to_ascii_lowercase();
    if base.is_empty() {
        return true;
    }
    if let Some(b) = base.strip_prefix('.') {
        return name.ends_with(&format!(".{b}"));
    }
    name == base || name.ends_with(&format!(".{base}"))
}

/// Host-style matching used by URI constraints: `host` exactly, or `.domain` for subdomains.
fn host_within(host: &str, base: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let base = base.to_ascii_lowercase();
    match base.strip_prefix('.') {
        Some(b) => host.ends_with(&format!(".{b}")),
        None => host == base,
    }
}

/// rfc822Name: `local@host` is one mailbox, `host` every mailbox on that host, `.domain` every
/// mailbox on any host under that domain.
fn email_within(name: &str, base: &str) -> bool {
    let Some((local, host)) = name.rsplit_once('@') else {
        return false;
    };
    match base.rsplit_once('@') {
        Some((blocal, bhost)) => local == blocal && host.eq_ignore_ascii_case(bhost),
        None => match base.strip_prefix('.') {
            Some(_) => host.to_ascii_lowercase().ends_with(&base.to_ascii_lowercase()),
            None => host.eq_ignore_ascii_case(base),
        },
    }
}

/// The host of a URI: `scheme://[userinfo@]host[:port]/…`.
fn uri_host(uri: &str) -> Option<String> {
    let rest = uri.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_string())
}

/// iPAddress: the base is address and mask (8 or 32 octets); the name 4 or 16.
fn ip_within(name: &[u8], base: &[u8]) -> bool {
    if base.len() != name.len() * 2 {
        return false;
    }
    let (addr, mask) = base.split_at(name.len());
    name.iter().zip(addr).zip(mask).all(|((n, a), m)| n & m == a & m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert!(dns_within("a.example.com", "example.com"));
        assert!(dns_within("example.com", "example.com"));
        assert!(!dns_within("badexample.com", "example.com"));
        assert!(!dns_within("example.com", ".example.com"));
        assert!(email_within("an@mail.gov.vn", "mail.gov.vn"));
        assert!(!email_within("an@x.mail.gov.vn", "mail.gov.vn"));
        assert!(email_within("an@x.mail.gov.vn", ".mail.gov.vn"));
        assert!(email_within("an@mail.gov.vn", "an@MAIL.gov.vn"));
        assert!(!email_within("bo@mail.gov.vn", "an@mail.gov.vn"));
        assert_eq!(
            uri_host("http://user@Host.gov.vn:8080/x").as_deref(),
            Some("Host.gov.vn")
        );
        assert_eq!(uri_host("urn:isbn:1"), None);
        assert!(host_within("a.gov.vn", ".gov.vn"));
        assert!(!host_within("gov.vn", ".gov.vn"));
        assert!(ip_within(&[10, 1, 2, 3], &[10, 0, 0, 0, 255, 0, 0, 0]));
        assert!(!ip_within(&[11, 1, 2, 3], &[10, 0, 0, 0, 255, 0, 0, 0]));
        assert!(!ip_within(&[10, 1, 2, 3], &[10; 32]));
    }
}
