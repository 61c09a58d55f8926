//! XML-DSig References (W3C XML Signature 1.1 §4.4.3): what each one covers and whether its
//! digest matches — the first half of verifying an XML signature. (The SignatureValue, KeyInfo
//! and the signer's chain are the next step of the XML issue; not here yet.)
//!
//! Supported: same-document URIs (`""`, `#id` with the `Id`, `ID`, `id` and `xml:id`
//! attributes, `#xpointer(/)`, `#xpointer(id('…'))`), and the transforms enveloped-signature,
//! the C14N family and base64. A fragment that two elements carry is refused (signature
//! wrapping), never "the first one"; any other transform or URI is unsupported, never skipped.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use base64::Engine;
use roxmltree::{Document, Node, NodeId};

use super::c14n::{self, C14nMethod};
use crate::crypto::{CryptoProvider, HashAlgorithm};

/// The XML-DSig namespace.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The enveloped-signature transform.
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/// The base64 transform.
pub const BASE64: &str = "http://www.w3.org/2000/09/xmldsig#base64";

/// Why a Reference could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReferenceError {
    /// The URI is not a same-document reference kyso resolves (kyso fetches nothing).
    UnsupportedUri(String),
    /// No element carries the fragment's Id.
    IdNotFound(String),
    /// Two or more elements carry the Id (under `Id`, `ID`, `id` or `xml:id`): a wrapping
    /// attack or a broken document; which one was signed cannot be told.
    AmbiguousId(String),
    /// A transform kyso does not run (XPath, XSLT, XPath Filter 2.0, …).
    UnsupportedTransform(String),
    /// A digest algorithm kyso does not know.
    UnsupportedDigest(String),
    /// The Reference is not well-formed (no DigestValue, bad base64, a transform out of place).
    Malformed(&'static str),
}

impl std::fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReferenceError::UnsupportedUri(u) => write!(f, "reference URI {u:?} is not a same-document reference"),
            ReferenceError::IdNotFound(id) => write!(f, "no element has the Id {id:?}"),
            ReferenceError::AmbiguousId(id) => write!(f, "several elements have the Id {id:?} (signature wrapping?)"),
            ReferenceError::UnsupportedTransform(t) => write!(f, "unsupported transform {t}"),
            ReferenceError::UnsupportedDigest(d) => write!(f, "unsupported digest method {d}"),
            ReferenceError::Malformed(what) => write!(f, "malformed Reference: {what}"),
        }
    }
}

/// One Reference checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceCheck {
    /// The URI attribute as written (`None`: absent).
    pub uri: Option<String>,
    /// The element the URI selects (`None`: the whole document).
    pub covers: Option<String>,
    /// Whether the recomputed digest equals DigestValue, or why it could not be computed.
    pub digest_matches: Result<bool, ReferenceError>,
}

fn is_ds(n: &Node<'_, '_>, local: &str) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(DSIG_NS) && n.tag_name().name() == local
}

fn child<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is_ds(c, local))
}

/// The element whose `Id`, `ID`, `id` (no namespace) or `xml:id` is `id`, when exactly one has it.
pub(crate) fn element_by_id<'a, 'i>(doc: &'a Document<'i>, id: &str) -> Result<Node<'a, 'i>, ReferenceError> {
    let mut found = doc.descendants().filter(|n| {
        n.is_element()
            && n.attributes().any(|a| {
                a.value() == id
                    && match a.namespace() {
                        None => matches!(a.name(), "Id" | "ID" | "id"),
                        Some(ns) => ns == "http://www.w3.org/XML/1998/namespace" && a.name() == "id",
                    }
            })
    });
    match (found.next(), found.next()) {
        (Some(e), None) => Ok(e),
        (None, _) => Err(ReferenceError::IdNotFound(id.to_string())),
        (Some(_), Some(_)) => Err(ReferenceError::AmbiguousId(id.to_string())),
    }
}

/// The digest algorithm a DigestMethod URI names.
pub(crate) fn digest_method(uri: &str) -> Option<HashAlgorithm> {
    Some(match uri {
        "http://www.w3.org/2000/09/xmldsig#sha1" => HashAlgorithm::Sha1,
        "http://www.w3.org/2001/04/xmldsig-more#sha224" => HashAlgorithm::Sha224,
        "http://www.w3.org/2001/04/xmlenc#sha256" => HashAlgorithm::Sha256,
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => HashAlgorithm::Sha384,
        "http://www.w3.org/2001/04/xmlenc#sha512" => HashAlgorithm::Sha512,
        _ => return None,
    })
}

/// The id inside `#xpointer(id('x'))` or `#xpointer(id("x"))`.
fn xpointer_id(fragment: &str) -> Option<&str> {
    let inner = fragment.strip_prefix("xpointer(id(")?.strip_suffix("))")?;
    inner
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
}

/// Read `input` safely and check every Reference of every Signature in it, in document order.
pub fn check_document_references(
    input: &[u8],
    provider: &dyn CryptoProvider,
) -> Result<Vec<ReferenceCheck>, super::XmlError> {
    let text = super::text(input)?;
    let doc = super::parse(text)?;
    Ok(check_references(&doc, provider))
}

/// Check every Reference of every Signature in `doc`.
pub(crate) fn check_references(doc: &Document<'_>, provider: &dyn CryptoProvider) -> Vec<ReferenceCheck> {
    let mut out = Vec::new();
    for sig in doc.descendants().filter(|n| is_ds(n, "Signature")) {
        let Some(signed_info) = child(sig, "SignedInfo") else {
            continue;
        };
        for r in signed_info.children().filter(|c| is_ds(c, "Reference")) {
            out.push(check_reference(doc, sig, r, provider));
        }
    }
    out
}

fn check_reference(
    doc: &Document<'_>,
    sig: Node<'_, '_>,
    r: Node<'_, '_>,
    provider: &dyn CryptoProvider,
) -> ReferenceCheck {
    let uri = r.attribute("URI").map(str::to_string);
    let mut covers = None;
    let digest_matches = (|| {
        // What the URI selects: the document or an element, with or without comments.
        let (apex, comments) = match uri.as_deref() {
            None => return Err(ReferenceError::UnsupportedUri(String::new())),
            Some("") => (doc.root(), false),
            Some(u) => match u.strip_prefix('#') {
                Some("xpointer(/)") => (doc.root(), true),
                Some(f) => match xpointer_id(f) {
                    Some(id) => (element_by_id(doc, id)?, true),
                    None if !f.starts_with("xpointer(") => (element_by_id(doc, f)?, false),
                    None => return Err(ReferenceError::UnsupportedUri(u.to_string())),
                },
                None => return Err(ReferenceError::UnsupportedUri(u.to_string())),
            },
        };
        if apex.is_element() {
            covers = Some(apex.tag_name().name().to_string());
        }
        let mut exclude: Option<NodeId> = None;
        let mut octets: Option<Vec<u8>> = None;
        if let Some(transforms) = child(r, "Transforms") {
            for t in transforms.children().filter(|c| is_ds(c, "Transform")) {
                let alg = t.attribute("Algorithm").unwrap_or("");
                if octets.is_some() && alg != BASE64 {
                    return Err(ReferenceError::Malformed("a node-set transform after octets"));
                }
                match alg {
                    ENVELOPED => exclude = Some(sig.id()),
                    BASE64 => {
                        let text: String = match &octets {
                            Some(o) => String::from_utf8_lossy(o).into_owned(),
                            None => apex
                                .descendants()
                                .filter(|n| n.is_text() && !exclude.is_some_and(|x| n.ancestors().any(|a| a.id() == x)))
                                .filter_map(|n| n.text())
                                .collect(),
                        };
                        let compact: String = text.split_ascii_whitespace().collect();
                        octets = Some(
                            base64::engine::general_purpose::STANDARD
                                .decode(compact)
                                .map_err(|_| ReferenceError::Malformed("base64 transform input"))?,
                        );
                    }
                    _ => {
                        let prefixes = t
                            .children()
                            .find(|c| c.is_element() && c.tag_name().name() == "InclusiveNamespaces")
                            .and_then(|n| n.attribute("PrefixList"));
                        let m = C14nMethod::from_uri(alg, prefixes)
                            .ok_or_else(|| ReferenceError::UnsupportedTransform(alg.to_string()))?;
                        let mut o = Vec::new();
                        c14n::subset(apex, exclude, &m.with_comments(m.comments() && comments), &mut o);
                        octets = Some(o);
                    }
                }
            }
        }
        // A node-set left at the end is canonicalized with C14N 1.0 (§4.4.3.2).
        let data = match octets {
            Some(o) => o,
            None => {
                let mut o = Vec::new();
                c14n::subset(apex, exclude, &C14nMethod::C14n10 { comments }, &mut o);
                o
            }
        };
        let dm = child(r, "DigestMethod")
            .and_then(|d| d.attribute("Algorithm"))
            .ok_or(ReferenceError::Malformed("no DigestMethod"))?;
        let hash = digest_method(dm).ok_or_else(|| ReferenceError::UnsupportedDigest(dm.to_string()))?;
        let dv: String = child(r, "DigestValue")
            .and_then(|d| d.text())
            .ok_or(ReferenceError::Malformed("no DigestValue"))?
            .split_ascii_whitespace()
            .collect();
        let want = base64::engine::general_purpose::STANDARD
            .decode(dv)
            .map_err(|_| ReferenceError::Malformed("DigestValue is not base64"))?;
        Ok(provider.digest(hash, &data) == want)
    })();
    ReferenceCheck {
        uri,
        covers,
        digest_matches,
    }
}
