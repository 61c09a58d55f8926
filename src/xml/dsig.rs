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
    /// Where that element is: `/HDon/DLHDon`, each step a local name, `[n]` (from 1) where
    /// siblings share the name; `/` for the whole document.
    pub covered_path: Option<String>,
    /// The bytes of the input the selected element spans (the whole input for `/`): what an
    /// application should read, and only that, to read signed data.
    pub covered_range: Option<std::ops::Range<usize>>,
    /// Whether the recomputed digest equals DigestValue, or why it could not be computed.
    pub digest_matches: Result<bool, ReferenceError>,
    /// When the Reference runs the enveloped-signature transform on a target inside its own
    /// Signature: which reading's digest equals DigestValue (`None`: the case does not arise,
    /// or neither matched). See [`EnvelopedReading`].
    pub enveloped_reading: Option<EnvelopedReading>,
}

/// The two readings of the enveloped-signature transform when the Reference's target lies
/// inside the Signature that the transform removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvelopedReading {
    /// The W3C reading (xmlsec1, .NET): the Signature and all it contains leave the node-set,
    /// so nothing is digested.
    W3c,
    /// Apache Santuario's (the JDK's JSR-105, EU DSS): only a Signature element met below the
    /// target is removed, so the target is digested whole. Java and .NET signing software in
    /// Vietnam rely on it; intact under [`Leniency::santuario_enveloped`] only.
    Santuario,
}

fn is_ds(n: &Node<'_, '_>, local: &str) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(DSIG_NS) && n.tag_name().name() == local
}

fn child<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is_ds(c, local))
}

/// The first child element with this local name, in any namespace.
fn child_named<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| c.is_element() && c.tag_name().name() == local)
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
            out.push(check_reference(doc, sig, r, provider, Leniency::default(), &mut false));
        }
    }
    out
}

fn check_reference(
    doc: &Document<'_>,
    sig: Node<'_, '_>,
    r: Node<'_, '_>,
    provider: &dyn CryptoProvider,
    lenient: Leniency,
    tolerated: &mut bool,
) -> ReferenceCheck {
    let uri = r.attribute("URI").map(str::to_string);
    let mut enveloped_reading = None;
    let resolved = resolve_reference(doc, sig, r, lenient);
    let covers = resolved.as_ref().ok().and_then(|x| x.covers.clone());
    let covered_path = resolved.as_ref().ok().map(|x| x.path.clone());
    let covered_range = resolved.as_ref().ok().map(|x| x.range.clone());
    let digest_matches = resolved.and_then(|x| {
        *tolerated |= x.tolerated;
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
        let Some(santuario) = x.santuario else {
            return Ok(provider.digest(hash, &x.octets) == want);
        };
        if provider.digest(hash, &x.octets) == want {
            enveloped_reading = Some(EnvelopedReading::W3c);
            Ok(true)
        } else if provider.digest(hash, &santuario) == want {
            enveloped_reading = Some(EnvelopedReading::Santuario);
            Ok(lenient.santuario_enveloped)
        } else {
            Ok(false)
        }
    });
    ReferenceCheck {
        uri,
        covers,
        covered_path,
        covered_range,
        digest_matches,
        enveloped_reading,
    }
}

/// Where an element is in its document: `/HDon/DLHDon`, each step its local name, with `[n]`
/// (from 1) where its parent has several child elements of that name; `/` for the document.
pub fn node_path(n: Node<'_, '_>) -> String {
    let mut steps: Vec<String> = n
        .ancestors()
        .filter(Node::is_element)
        .map(|e| {
            let name = e.tag_name().name();
            let same: Vec<_> = e
                .parent()
                .map(|p| {
                    p.children()
                        .filter(|c| c.is_element() && c.tag_name().name() == name)
                        .map(|c| c.id())
                        .collect()
                })
                .unwrap_or_default();
            match same.iter().position(|id| *id == e.id()) {
                Some(i) if same.len() > 1 => format!("{name}[{}]", i + 1),
                _ => name.to_string(),
            }
        })
        .collect();
    steps.reverse();
    format!("/{}", steps.join("/"))
}

/// What a Reference selects and the octets its transforms produce.
pub(crate) struct Resolved {
    /// The local name of the element selected (`None`: the document).
    pub covers: Option<String>,
    /// Its path ([`node_path`]).
    pub path: String,
    /// Its bytes in the document's text.
    pub range: std::ops::Range<usize>,
    /// The octets to digest (the W3C reading).
    pub octets: Vec<u8>,
    /// For the enveloped-signature transform on a target inside its own Signature: the
    /// octets under Santuario's reading (the W3C reading's `octets` are then empty).
    pub santuario: Option<Vec<u8>>,
    /// Whether a tolerance (edXML's C14N URI) was used.
    pub tolerated: bool,
}

/// Resolve `r`'s URI in `doc` and run its transforms: what the digest is computed over.
pub(crate) fn resolve_reference(
    doc: &Document<'_>,
    sig: Node<'_, '_>,
    r: Node<'_, '_>,
    lenient: Leniency,
) -> Result<Resolved, ReferenceError> {
    let uri = r.attribute("URI");
    let mut tolerated = false;
    // What the URI selects: the document or an element, with or without comments.
    let (apex, comments) = match uri {
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
    let covers = apex.is_element().then(|| apex.tag_name().name().to_string());
    let path = node_path(apex);
    let range = if apex.is_element() {
        apex.range()
    } else {
        0..doc.input_text().len()
    };
    let mut exclude: Option<NodeId> = None;
    let mut octets: Option<Vec<u8>> = None;
    // The enveloped-signature transform on a target inside its own Signature: the W3C
    // reading leaves an empty node-set (whatever follows digests empty octets).
    let mut inside_own_signature = false;
    if let Some(transforms) = child(r, "Transforms") {
        for t in transforms.children().filter(|c| is_ds(c, "Transform")) {
            let alg = t.attribute("Algorithm").unwrap_or("");
            if let (Some(o), Some((m, used))) = (&octets, c14n_method(alg, None, lenient)) {
                // Canonicalization of octets (a C14N transform after another, as Vietnamese
                // signers write them): the octets are parsed, by the same safe reader, into
                // the node-set that is canonicalized (XML-DSig §4.4.3.2).
                let text =
                    std::str::from_utf8(o).map_err(|_| ReferenceError::Malformed("octets that are not UTF-8 XML"))?;
                let parsed = super::parse(text).map_err(|_| ReferenceError::Malformed("octets that are not XML"))?;
                let mut again = Vec::new();
                c14n::subset(parsed.root(), None, &m, &mut again);
                tolerated |= used;
                octets = Some(again);
                continue;
            }
            if octets.is_some() && alg != BASE64 {
                return Err(ReferenceError::Malformed("a node-set transform after octets"));
            }
            match alg {
                ENVELOPED => {
                    exclude = Some(sig.id());
                    inside_own_signature |= apex.ancestors().any(|a| a.id() == sig.id());
                }
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
                    let (m, used) = c14n_method(alg, prefixes, lenient)
                        .ok_or_else(|| ReferenceError::UnsupportedTransform(alg.to_string()))?;
                    tolerated |= used;
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
    Ok(if inside_own_signature {
        // The Signature element itself as the target leaves nothing under either reading.
        Resolved {
            covers,
            path,
            range,
            octets: Vec::new(),
            santuario: Some(if apex.id() == sig.id() { Vec::new() } else { data }),
            tolerated,
        }
    } else {
        Resolved {
            covers,
            path,
            range,
            octets: data,
            santuario: None,
            tolerated,
        }
    })
}

/// Why a SignatureValue could not be verified.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureError {
    /// No SignedInfo, SignatureMethod, CanonicalizationMethod or SignatureValue.
    Malformed(&'static str),
    /// A CanonicalizationMethod kyso does not know.
    UnsupportedCanonicalization(String),
    /// A SignatureMethod kyso does not verify (DSA, HMAC, GOST, …). An HMAC method is never
    /// tried with a public key (algorithm confusion).
    UnsupportedMethod(String),
    /// KeyInfo carries no certificate kyso can read (a bare KeyValue never yields trust).
    NoCertificate,
    /// The signer's key is of a kind kyso does not verify with (P-521, DSA, Ed25519, …).
    UnsupportedKey(crate::CryptoError),
    /// An ECDSA SignatureValue that is not `r || s` of twice the curve's size (XML-DSig 1.1
    /// §6.4.3): padded values written by some Java signers, or DER. Refused, as a conformant
    /// verifier does; xmlsec accepts them only under `--insecure` or a compatibility switch.
    EcdsaEncoding,
    /// No certificate of KeyInfo verifies the SignatureValue.
    BadSignature(crate::CryptoError),
    /// KeyInfo's KeyValue is not the key of the certificate that verifies (or cannot be
    /// read): which key signed is contradicted by the signature itself.
    KeyValueMismatch,
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignatureError::Malformed(what) => write!(f, "malformed Signature: {what}"),
            SignatureError::UnsupportedCanonicalization(u) => write!(f, "unsupported canonicalization {u}"),
            SignatureError::UnsupportedMethod(u) => write!(f, "unsupported signature method {u}"),
            SignatureError::NoCertificate => write!(f, "KeyInfo carries no X.509 certificate"),
            SignatureError::UnsupportedKey(e) => write!(f, "the signer's key: {e}"),
            SignatureError::EcdsaEncoding => write!(f, "the ECDSA SignatureValue is not r || s of the curve's size"),
            SignatureError::BadSignature(e) => write!(f, "the SignatureValue does not verify: {e}"),
            SignatureError::KeyValueMismatch => {
                write!(
                    f,
                    "KeyInfo's KeyValue is not the key of the certificate that verifies the signature"
                )
            }
        }
    }
}

/// One ds:Signature checked: its References, and its SignatureValue over the canonical
/// SignedInfo with the key of a certificate it carries.
#[derive(Debug, Clone)]
pub struct SignatureCheck {
    /// The Signature's `Id`, if any.
    pub id: Option<String>,
    /// Every Reference, in order.
    pub references: Vec<ReferenceCheck>,
    /// The certificates of KeyInfo/X509Data, in document order.
    pub certificates: Vec<crate::Certificate>,
    /// The certificate whose key verified the SignatureValue (and what the verification
    /// says of the algorithm), or why none did.
    pub signature: Result<(crate::Certificate, crate::crypto::Verified), SignatureError>,
    /// Where a Vietnamese document places the signature: the element under `DSCKS` that holds
    /// it (`NBan`, `NMua`, `CQT`, `TTCQT`, `NNT`, …).
    pub dscks_slot: Option<String>,
    /// Whether edXML's non-standard exclusive-C14N URI was read as the W3C one.
    pub edxml_c14n_uri: bool,
    /// For a signature in a `DSCKS` slot: the path of the element that holds `DSCKS` (the
    /// invoice or message the signature belongs to, e.g. `/HDon`), and the paths of that
    /// element's children (`DLHDon`, `MCCQT`, `DLQRCode`, `DSCKS`, …).
    pub signed_document: Option<(String, Vec<String>)>,
    /// The XAdES qualifying properties, when the signature carries them (ETSI EN 319 132-1).
    pub xades: Option<Xades>,
    /// For the seller's (`NBan`) or the buyer's (`NMua`) signature on an e-invoice: the tax
    /// code the invoice gives that party (`DLHDon/NDHDon/NBan/MST`), to match against the
    /// signer's certificate.
    pub party_tax_code: Option<String>,
    /// The claimed signing time: a `SigningTime` in the signature's SignatureProperties
    /// (Vietnamese e-invoices and tax messages), or XAdES `SigningTime`.
    pub signing_time: Option<ClaimedTime>,
}

/// The XAdES namespace (1.3.2), of `QualifyingProperties` and the signed properties.
pub const XADES_NS: &str = "http://uri.etsi.org/01903/v1.3.2#";
/// The XAdES 1.4.1 namespace (some unsigned properties).
pub const XADES141_NS: &str = "http://uri.etsi.org/01903/v1.4.1#";
/// The Reference Type of the one that covers SignedProperties.
pub const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";

/// What a XAdES signature's qualifying properties say.
#[derive(Debug, Clone, Default)]
pub struct Xades {
    /// Whether a Reference of SignedInfo covers the SignedProperties and its digest matches:
    /// without it, none of the signed properties is signed.
    pub signed_properties_covered: bool,
    /// `SigningCertificateV2` (or v1) `CertDigest`s: which certificate the signer claims, by
    /// digest. Empty: the property is absent.
    pub signing_certificate: Vec<(HashAlgorithm, Vec<u8>)>,
    /// Each `SignatureTimeStamp`: the token (DER) and the octets it must time-stamp (the
    /// canonical `ds:SignatureValue` element).
    pub signature_timestamps: Vec<(Vec<u8>, Vec<u8>)>,
    /// `CertificateValues`: certificates carried for validation (B-LT).
    pub certificate_values: Vec<crate::Certificate>,
    /// `RevocationValues`: CRLs (DER) carried for validation (B-LT).
    pub crl_values: Vec<Vec<u8>>,
    /// `RevocationValues`: OCSP responses (DER) carried for validation (B-LT).
    pub ocsp_values: Vec<Vec<u8>>,
}

impl Xades {
    /// Whether the signature carries what B-LT requires: certificate values and revocation
    /// values (CRLs or OCSP responses).
    pub fn carries_validation_data(&self) -> bool {
        !self.certificate_values.is_empty() && (!self.crl_values.is_empty() || !self.ocsp_values.is_empty())
    }
}

fn is_xades(n: &Node<'_, '_>, local: &str) -> bool {
    n.is_element() && matches!(n.tag_name().namespace(), Some(XADES_NS | XADES141_NS)) && n.tag_name().name() == local
}

fn xades_child<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is_xades(c, local))
}

/// The qualifying properties of `sig` (`ds:Object/xades:QualifyingProperties`), if any.
fn xades_of(sig: Node<'_, '_>, references: &[ReferenceCheck], lenient: Leniency) -> Option<Xades> {
    let qp = sig
        .children()
        .filter(|c| is_ds(c, "Object"))
        .find_map(|o| xades_child(o, "QualifyingProperties"))?;
    let mut x = Xades::default();
    let signed = xades_child(qp, "SignedProperties");
    if let Some(sp) = signed {
        let range = sp.range();
        x.signed_properties_covered = references.iter().any(|r| {
            r.digest_matches == Ok(true)
                && r.covered_range
                    .as_ref()
                    .is_some_and(|c| c.start <= range.start && range.end <= c.end)
        });
        let ssp = xades_child(sp, "SignedSignatureProperties");
        let certs =
            ssp.and_then(|s| xades_child(s, "SigningCertificateV2").or_else(|| xades_child(s, "SigningCertificate")));
        for cert in certs
            .into_iter()
            .flat_map(|c| c.children().filter(|n| is_xades(n, "Cert")))
        {
            let Some(cd) = xades_child(cert, "CertDigest") else {
                continue;
            };
            let alg = child(cd, "DigestMethod")
                .and_then(|d| d.attribute("Algorithm"))
                .and_then(digest_method);
            if let (Some(alg), Some(v)) = (alg, base64_text(child(cd, "DigestValue"))) {
                x.signing_certificate.push((alg, v));
            }
        }
    }
    let usp = xades_child(qp, "UnsignedProperties").and_then(|u| xades_child(u, "UnsignedSignatureProperties"));
    if let Some(usp) = usp {
        let value = child(sig, "SignatureValue");
        for ts in usp.children().filter(|c| is_xades(c, "SignatureTimeStamp")) {
            // What is time-stamped: the ds:SignatureValue element, canonicalized as the
            // time-stamp says (C14N 1.0 by default).
            let method = child(ts, "CanonicalizationMethod")
                .and_then(|m| m.attribute("Algorithm"))
                .and_then(|u| c14n_method(u, None, lenient))
                .map_or(C14nMethod::C14n10 { comments: false }, |(m, _)| m);
            let (Some(value), Some(token)) = (value, base64_text(xades_child(ts, "EncapsulatedTimeStamp"))) else {
                continue;
            };
            let mut octets = Vec::new();
            c14n::subset(value, None, &method, &mut octets);
            x.signature_timestamps.push((token, octets));
        }
        let encapsulated = |parent: Option<Node<'_, '_>>, local: &str| -> Vec<Vec<u8>> {
            parent
                .into_iter()
                .flat_map(|p| p.descendants().filter(|n| is_xades(n, local)).collect::<Vec<_>>())
                .filter_map(|n| base64_text(Some(n)))
                .collect()
        };
        x.certificate_values = encapsulated(xades_child(usp, "CertificateValues"), "EncapsulatedX509Certificate")
            .iter()
            .filter_map(|d| crate::Certificate::from_der(d).ok())
            .collect();
        let rv = xades_child(usp, "RevocationValues");
        x.crl_values = encapsulated(rv, "EncapsulatedCRLValue");
        x.ocsp_values = encapsulated(rv, "EncapsulatedOCSPValue");
    }
    Some(x)
}

/// A signing time as the document writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimedTime {
    /// The instant.
    pub time: crate::Time,
    /// Whether the document gave a zone (`Z` or an offset); without one, the time was read as
    /// Vietnam time (UTC+7), as the tax authority's software writes it.
    pub zoned: bool,
}

/// Vietnam's offset from UTC, in seconds.
const VIETNAM_OFFSET: i64 = 7 * 3600;

/// `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`; without a zone, Vietnam time.
pub(crate) fn parse_signing_time(text: &str) -> Option<ClaimedTime> {
    let t = text.trim();
    let (date, rest) = t.split_once('T')?;
    let mut d = date.split('-').map(|v| v.parse::<i64>().ok());
    let (y, mo, da) = (d.next()??, d.next()??, d.next()??);
    let (clock, offset) = if let Some(c) = rest.strip_suffix('Z') {
        (c, Some(0))
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (c, z) = rest.split_at(i);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let (h, m) = z.get(1..)?.split_once(':')?;
        (
            c,
            Some(sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)),
        )
    } else {
        (rest, None)
    };
    let clock = clock.split('.').next()?;
    let mut c = clock.split(':').map(|v| v.parse::<u32>().ok());
    let (h, mi, se) = (c.next()??, c.next()??, c.next()??);
    let local = crate::Time::from_ymd_hms(y, u32::try_from(mo).ok()?, u32::try_from(da).ok()?, h, mi, se)?;
    let off = offset.unwrap_or(VIETNAM_OFFSET);
    Some(ClaimedTime {
        time: crate::Time::from_unix(local.unix() - off)?,
        zoned: offset.is_some(),
    })
}

/// The signature algorithm a SignatureMethod URI names (RFC 3275, RFC 6931).
pub(crate) fn signature_method(uri: &str) -> Option<crate::crypto::SignatureAlgorithm> {
    use crate::crypto::SignatureAlgorithm as S;
    use HashAlgorithm as H;
    let pss = |h: H| S::RsaPss {
        hash: h,
        mgf1_hash: h,
        salt_len: h.output_len(),
    };
    Some(match uri {
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => S::RsaPkcs1 { hash: H::Sha1 },
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224" => S::RsaPkcs1 { hash: H::Sha224 },
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => S::RsaPkcs1 { hash: H::Sha256 },
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => S::RsaPkcs1 { hash: H::Sha384 },
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => S::RsaPkcs1 { hash: H::Sha512 },
        "http://www.w3.org/2007/05/xmldsig-more#sha1-rsa-MGF1" => pss(H::Sha1),
        "http://www.w3.org/2007/05/xmldsig-more#sha224-rsa-MGF1" => pss(H::Sha224),
        "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1" => pss(H::Sha256),
        "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1" => pss(H::Sha384),
        "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1" => pss(H::Sha512),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1" => S::Ecdsa { hash: H::Sha1 },
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224" => S::Ecdsa { hash: H::Sha224 },
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => S::Ecdsa { hash: H::Sha256 },
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => S::Ecdsa { hash: H::Sha384 },
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => S::Ecdsa { hash: H::Sha512 },
        _ => return None,
    })
}

/// Read `input` safely and check every Signature in it: References and SignatureValue,
/// legacy algorithms (SHA-1, short RSA keys) accepted and reported in `Verified`.
pub fn check_document(input: &[u8], provider: &dyn CryptoProvider) -> Result<Vec<SignatureCheck>, super::XmlError> {
    check_document_with(
        input,
        provider,
        crate::crypto::AlgorithmPolicy::LEGACY,
        &[],
        Leniency::default(),
    )
}

/// What a check accepts beyond the W3C recommendations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Leniency {
    /// Read edXML's `http://www.w3.org/TR/xml-exc-c14n#` as Exclusive C14N 1.0.
    pub edxml_exclusive_c14n_uri: bool,
    /// Count a Reference intact when it matches only under Santuario's reading of the
    /// enveloped-signature transform ([`EnvelopedReading::Santuario`]).
    pub santuario_enveloped: bool,
}

/// The canonicalization a URI names, with the tolerances allowed; whether a tolerance was used.
fn c14n_method(uri: &str, prefixes: Option<&str>, lenient: Leniency) -> Option<(C14nMethod, bool)> {
    match C14nMethod::from_uri(uri, prefixes) {
        Some(m) => Some((m, false)),
        None if lenient.edxml_exclusive_c14n_uri && uri == c14n::EXC_C14N_EDXML => {
            C14nMethod::from_uri(c14n::EXC_C14N, prefixes).map(|m| (m, true))
        }
        None => None,
    }
}

/// [`check_document`] under an algorithm policy, with `known` certificates (the caller's
/// pool) as further candidates for a signer that KeyInfo names by X509IssuerSerial,
/// X509SubjectName or X509SKI instead of carrying its certificate.
pub fn check_document_with(
    input: &[u8],
    provider: &dyn CryptoProvider,
    algorithms: crate::crypto::AlgorithmPolicy,
    known: &[crate::Certificate],
    lenient: Leniency,
) -> Result<Vec<SignatureCheck>, super::XmlError> {
    let text = super::text(input)?;
    let doc = super::parse(text)?;
    // Ranges are of the input as given: past a byte-order mark, if any.
    let bom = input.len() - text.len();
    Ok(check_parsed(&doc, bom, provider, algorithms, known, lenient))
}

/// [`check_document_with`] on a document already read (`bom`: the bytes before its text).
pub(crate) fn check_parsed(
    doc: &Document<'_>,
    bom: usize,
    provider: &dyn CryptoProvider,
    algorithms: crate::crypto::AlgorithmPolicy,
    known: &[crate::Certificate],
    lenient: Leniency,
) -> Vec<SignatureCheck> {
    doc.descendants()
        .filter(|n| is_ds(n, "Signature"))
        .map(|sig| {
            let mut c = check_signature(doc, sig, provider, algorithms, known, lenient);
            for r in &mut c.references {
                r.covered_range = r.covered_range.take().map(|x| x.start + bom..x.end + bom);
            }
            c
        })
        .collect()
}

/// The longest base64 value kyso decodes in a signature (a SignatureValue, a certificate, a
/// key): 1 MiB of text, far above any real one.
pub const MAX_BASE64_LEN: usize = 1 << 20;

/// The base64 text of `n`, decoded; `None` when absent, not base64, or longer than
/// [`MAX_BASE64_LEN`].
fn base64_text(n: Option<Node<'_, '_>>) -> Option<Vec<u8>> {
    let text: String = n?
        .descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect::<String>()
        .split_ascii_whitespace()
        .collect();
    if text.len() > MAX_BASE64_LEN {
        return None;
    }
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

fn check_signature(
    doc: &Document<'_>,
    sig: Node<'_, '_>,
    provider: &dyn CryptoProvider,
    algorithms: crate::crypto::AlgorithmPolicy,
    known: &[crate::Certificate],
    lenient: Leniency,
) -> SignatureCheck {
    let mut tolerated = false;
    let references: Vec<ReferenceCheck> = child(sig, "SignedInfo")
        .map(|si| {
            si.children()
                .filter(|c| is_ds(c, "Reference"))
                .map(|r| check_reference(doc, sig, r, provider, lenient, &mut tolerated))
                .collect()
        })
        .unwrap_or_default();
    let certificates: Vec<crate::Certificate> = child(sig, "KeyInfo")
        .into_iter()
        .flat_map(|ki| {
            ki.descendants()
                .filter(|n| is_ds(n, "X509Certificate"))
                .collect::<Vec<_>>()
        })
        .filter_map(|c| base64_text(Some(c)))
        .filter_map(|der| crate::Certificate::from_der(&der).ok())
        .collect();
    // Certificates KeyInfo carries come first; then those of the caller's pool that KeyInfo
    // names (by issuer and serial, subject or subject key identifier).
    let mut candidates = certificates.clone();
    if let Some(ki) = child(sig, "KeyInfo") {
        for c in known {
            if names_certificate(ki, c) && !candidates.contains(c) {
                candidates.push(c.clone());
            }
        }
    }
    let signature = verify_signature_value(sig, &candidates, provider, algorithms, lenient, &mut tolerated).and_then(
        |(cert, v)| match child(sig, "KeyInfo").and_then(|ki| child(ki, "KeyValue")) {
            // A KeyValue beside the certificate must be its key.
            Some(kv) if !key_value_is(kv, &cert) => Err(SignatureError::KeyValueMismatch),
            _ => Ok((cert, v)),
        },
    );
    let signing_time = sig
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "SigningTime")
        .and_then(|n| n.text())
        .and_then(parse_signing_time);
    let dscks = sig.parent_element().and_then(|slot| {
        slot.parent_element()
            .filter(|d| d.tag_name().name() == "DSCKS")
            .map(|d| (slot, d))
    });
    let dscks_slot = dscks.map(|(slot, _)| slot.tag_name().name().to_string());
    let holder = dscks.and_then(|(_, d)| d.parent_element());
    let party_tax_code = holder.zip(dscks_slot.as_deref()).and_then(|(h, slot)| {
        if !matches!(slot, "NBan" | "NMua") {
            return None;
        }
        let party = child_named(child_named(child_named(h, "DLHDon")?, "NDHDon")?, slot)?;
        Some(child_named(party, "MST")?.text()?.trim().to_string())
    });
    let signed_document = holder.map(|holder| {
        (
            node_path(holder),
            holder.children().filter(Node::is_element).map(node_path).collect(),
        )
    });
    let xades = xades_of(sig, &references, lenient);
    SignatureCheck {
        id: sig.attribute("Id").map(str::to_string),
        references,
        certificates,
        signature,
        dscks_slot,
        signing_time,
        edxml_c14n_uri: tolerated,
        xades,
        signed_document,
        party_tax_code,
    }
}

/// Whether a ds:KeyValue (RSAKeyValue, or dsig11:ECKeyValue's PublicKey) is `cert`'s key.
fn key_value_is(kv: Node<'_, '_>, cert: &crate::Certificate) -> bool {
    use crate::crypto::PublicKey;
    let trimmed = |b: Vec<u8>| {
        let start = b.iter().position(|x| *x != 0).unwrap_or(b.len());
        b.get(start..).unwrap_or(&[]).to_vec()
    };
    match cert.public_key() {
        Ok(PublicKey::Rsa(k)) => {
            let Some(rsa) = child_named(kv, "RSAKeyValue") else {
                return false;
            };
            let n = base64_text(child_named(rsa, "Modulus")).map(trimmed);
            let e = base64_text(child_named(rsa, "Exponent")).map(trimmed);
            n.as_deref() == Some(&k.n[..]) && e.as_deref() == Some(&k.e[..])
        }
        Ok(PublicKey::Ec { point, .. }) => {
            let Some(ec) = child_named(kv, "ECKeyValue") else {
                return false;
            };
            base64_text(child_named(ec, "PublicKey")).as_deref() == Some(&point[..])
        }
        _ => false,
    }
}

/// Whether KeyInfo's X509Data names `cert` by X509IssuerSerial, X509SubjectName or X509SKI.
fn names_certificate(ki: Node<'_, '_>, cert: &crate::Certificate) -> bool {
    let text = |n: Node<'_, '_>| n.text().unwrap_or("").trim().to_string();
    ki.descendants().any(|n| {
        if is_ds(&n, "X509IssuerSerial") {
            let serial = child(n, "X509SerialNumber").map(text).unwrap_or_default();
            let issuer = child(n, "X509IssuerName").map(text).unwrap_or_default();
            num_bigint::BigInt::parse_bytes(serial.as_bytes(), 10)
                .is_some_and(|s| s == num_bigint::BigInt::from_signed_bytes_be(cert.serial()))
                && names_match(&issuer, &cert.issuer().display())
        } else if is_ds(&n, "X509SubjectName") {
            names_match(&text(n), &cert.subject().display())
        } else if is_ds(&n, "X509SKI") {
            base64_text(Some(n)).is_some_and(|ski| Some(&ski[..]) == cert.subject_key_id())
        } else {
            false
        }
    })
}

/// Two distinguished names as RFC 4514-like strings, compared on their `type=value`
/// components in any order, ignoring spaces around separators and case of the type
/// (XML-DSig gives no canonical string form; signers write them differently).
fn names_match(a: &str, b: &str) -> bool {
    fn parts(s: &str) -> Vec<String> {
        let mut v: Vec<String> = s
            .split([',', '+'])
            .map(|p| {
                let (t, val) = p.split_once('=').unwrap_or((p, ""));
                let t = t.trim().to_ascii_uppercase();
                let t = match t.as_str() {
                    "S" => "ST".to_string(),
                    "E" | "EMAILADDRESS" => "EMAIL".to_string(),
                    _ => t,
                };
                format!("{t}={}", val.trim())
            })
            .filter(|p| p != "=")
            .collect();
        v.sort();
        v
    }
    !a.trim().is_empty() && parts(a) == parts(b)
}

fn verify_signature_value(
    sig: Node<'_, '_>,
    certificates: &[crate::Certificate],
    provider: &dyn CryptoProvider,
    algorithms: crate::crypto::AlgorithmPolicy,
    lenient: Leniency,
    tolerated: &mut bool,
) -> Result<(crate::Certificate, crate::crypto::Verified), SignatureError> {
    use crate::crypto::{self, PublicKey, SignatureAlgorithm};
    let si = child(sig, "SignedInfo").ok_or(SignatureError::Malformed("no SignedInfo"))?;
    let cm = child(si, "CanonicalizationMethod")
        .and_then(|c| c.attribute("Algorithm").map(|a| (c, a)))
        .ok_or(SignatureError::Malformed("no CanonicalizationMethod"))?;
    let prefixes =
        cm.0.children()
            .find(|c| c.is_element() && c.tag_name().name() == "InclusiveNamespaces")
            .and_then(|n| n.attribute("PrefixList"));
    let (method, used) = c14n_method(cm.1, prefixes, lenient)
        .ok_or_else(|| SignatureError::UnsupportedCanonicalization(cm.1.to_string()))?;
    *tolerated |= used;
    let sm = child(si, "SignatureMethod")
        .and_then(|m| m.attribute("Algorithm"))
        .ok_or(SignatureError::Malformed("no SignatureMethod"))?;
    let alg = signature_method(sm).ok_or_else(|| SignatureError::UnsupportedMethod(sm.to_string()))?;
    let value = base64_text(child(sig, "SignatureValue")).ok_or(SignatureError::Malformed("SignatureValue"))?;
    let mut signed_info = Vec::new();
    c14n::subset(si, None, &method, &mut signed_info);
    if certificates.is_empty() {
        return Err(SignatureError::NoCertificate);
    }
    // The signer is the certificate whose key fits the method and verifies; certificates of
    // another key type are its CAs (or strangers) and are not tried.
    let (mut bad, mut unsupported, mut encoding) = (None, None, false);
    for cert in certificates {
        let key = match cert.public_key() {
            Ok(k) => k,
            Err(e) => {
                unsupported = Some(e);
                continue;
            }
        };
        // XML-DSig carries ECDSA signatures as r || s (RFC 4050 §3.3); X.509 and kyso's
        // providers take the DER Ecdsa-Sig-Value.
        let value = match (alg, key) {
            (SignatureAlgorithm::Ecdsa { .. }, PublicKey::Ec { curve, .. }) => {
                match crypto::ecdsa_p1363_to_der(&value, *curve) {
                    Ok(v) => v,
                    Err(_) => {
                        encoding = true;
                        continue;
                    }
                }
            }
            (SignatureAlgorithm::Ecdsa { .. }, _) | (_, PublicKey::Ec { .. }) => continue,
            _ => value.clone(),
        };
        match crypto::verify_signature(provider, algorithms, &alg, key, &signed_info, &value) {
            Ok(v) => return Ok((cert.clone(), v)),
            Err(e) => bad = Some(e),
        }
    }
    Err(match (bad, encoding, unsupported) {
        (Some(e), _, _) => SignatureError::BadSignature(e),
        (None, true, _) => SignatureError::EcdsaEncoding,
        (None, false, Some(e)) => SignatureError::UnsupportedKey(e),
        (None, false, None) => SignatureError::NoCertificate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// edXML's exclusive-C14N URI is read as the W3C one only under the tolerance, and says so.
    #[test]
    fn edxml_c14n_uri_is_a_named_tolerance() {
        let provider = crate::crypto::default_provider();
        let body = r#"<Header Id="h"><From>Bộ A</From></Header>"#;
        let mut canonical = Vec::new();
        let d = roxmltree::Document::parse(body).unwrap();
        let exc = C14nMethod::from_uri(c14n::EXC_C14N, None).unwrap();
        c14n::subset(d.root_element(), None, &exc, &mut canonical);
        let digest = base64::engine::general_purpose::STANDARD.encode(provider.digest(HashAlgorithm::Sha1, &canonical));
        let doc = format!(
            r##"<edXMLEnvelope>{body}<Signature xmlns="{DSIG_NS}"><SignedInfo><CanonicalizationMethod Algorithm="{}"/><SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/><Reference URI="#h"><Transforms><Transform Algorithm="{}"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/><DigestValue>{digest}</DigestValue></Reference></SignedInfo><SignatureValue>AA==</SignatureValue></Signature></edXMLEnvelope>"##,
            c14n::EXC_C14N_EDXML,
            c14n::EXC_C14N_EDXML
        );
        let check = |lenient| {
            check_document_with(
                doc.as_bytes(),
                provider,
                crate::crypto::AlgorithmPolicy::LEGACY,
                &[],
                lenient,
            )
            .unwrap()
        };
        let strict = check(Leniency::default());
        assert!(matches!(
            &strict[0].references[0].digest_matches,
            Err(ReferenceError::UnsupportedTransform(u)) if u == c14n::EXC_C14N_EDXML
        ));
        assert!(!strict[0].edxml_c14n_uri);
        let vn = check(Leniency {
            edxml_exclusive_c14n_uri: true,
            ..Leniency::default()
        });
        assert_eq!(vn[0].references[0].digest_matches, Ok(true));
        assert!(vn[0].edxml_c14n_uri);
        assert_eq!(vn[0].signature.as_ref().unwrap_err(), &SignatureError::NoCertificate);
    }

    #[test]
    fn signing_times_without_a_zone_are_vietnam_time() {
        let t = parse_signing_time("2021-11-05T14:48:47").unwrap();
        assert!(!t.zoned);
        assert_eq!(t.time.rfc3339(), "2021-11-05T07:48:47Z");
        let z = parse_signing_time("2021-11-05T14:48:47Z").unwrap();
        assert!(z.zoned);
        assert_eq!(z.time.rfc3339(), "2021-11-05T14:48:47Z");
        let o = parse_signing_time(" 2021-11-05T14:48:47.123+07:00 ").unwrap();
        assert_eq!(o.time.rfc3339(), "2021-11-05T07:48:47Z");
        assert!(parse_signing_time("05/11/2021 14:48").is_none());
    }
}
