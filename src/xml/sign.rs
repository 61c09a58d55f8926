//! Enveloped XML-DSig signatures in the form Vietnamese e-invoices and tax messages carry
//! (Circular 78/2021; the tax authority's own software): a `Signature` placed in a named slot
//! (`DSCKS/NBan`, `DSCKS/CQT`, …), one Reference per signed element by its `Id`, one to the
//! `SignatureProperties` object that holds the `SigningTime` (Vietnam time, no zone), C14N 1.0,
//! SHA-256 and RSA PKCS#1 v1.5 by default (the signer's algorithm decides), and the signer's
//! certificate and chain in `X509Data`.
//!
//! The document is not re-serialised: the Signature is spliced into the input's bytes, so
//! everything outside it — earlier signatures included — stays byte for byte as it was, and
//! a countersignature leaves the first signature valid. Every digest is computed on the
//! document as it will be (parsed back with the Signature in place), by the same canonical
//! writer the verifier uses, and the result is verified before it is returned.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use base64::Engine;
use roxmltree::{Document, Node};

use super::c14n::{self, C14nMethod};
use super::dsig::{self, ReferenceError, DSIG_NS, ENVELOPED};
use super::XmlError;
use crate::crypto::{CryptoProvider, HashAlgorithm, SignatureAlgorithm};
use crate::sign::{SignError, SignOptions, Signer};
use crate::{Certificate, Time};

/// Why an XML signature could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum XmlSignError {
    /// The document is not XML kyso reads (see [`XmlError`]).
    Document(XmlError),
    /// No element is where `--into` points.
    PlacementNotFound(String),
    /// Several elements are where `--into` points; which one is meant cannot be told.
    PlacementAmbiguous(String),
    /// A Reference to sign cannot be resolved (no element, or two, carry the Id).
    Reference(ReferenceError),
    /// The Id chosen for the new Signature is already in the document.
    IdTaken(String),
    /// What was asked is not made by kyso yet (XAdES levels, the signer's algorithm).
    Unsupported(&'static str),
    /// The document with the new signature does not verify (a bug, or a signer that signs
    /// something else than it was given).
    SelfCheck(String),
}

impl std::fmt::Display for XmlSignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            XmlSignError::Document(e) => write!(f, "{e}"),
            XmlSignError::PlacementNotFound(p) => write!(f, "no element at {p:?} to put the signature in"),
            XmlSignError::PlacementAmbiguous(p) => write!(f, "several elements at {p:?}: say which by its Id (#Id)"),
            XmlSignError::Reference(e) => write!(f, "what is to be signed: {e}"),
            XmlSignError::IdTaken(id) => write!(f, "the Id {id:?} is already used in the document"),
            XmlSignError::Unsupported(what) => write!(f, "not supported: {what}"),
            XmlSignError::SelfCheck(why) => write!(f, "the signed document does not verify: {why}"),
        }
    }
}

impl std::error::Error for XmlSignError {}

fn xml_error(e: XmlSignError) -> SignError {
    SignError::Xml(e)
}

/// Where the new Signature goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A path of element local names from the document element down, `/`-separated; the
    /// document element's own name may lead (`HDon/DSCKS/NBan` or `DSCKS/NBan`).
    Path(String),
    /// The element with this `Id` (or `ID`, `id`).
    Id(String),
}

impl Placement {
    /// `#Id` names an element by its Id; anything else is a path of element names.
    pub fn parse(text: &str) -> Placement {
        match text.strip_prefix('#') {
            Some(id) => Placement::Id(id.to_string()),
            None => Placement::Path(text.trim_matches('/').to_string()),
        }
    }
}

/// What to sign and where to put the signature.
#[derive(Debug, Clone)]
pub struct XmlSignature {
    /// Where the Signature element goes (appended as the element's last child).
    pub into: Placement,
    /// The Ids of the elements to sign, one Reference each. Empty: the invoice data
    /// `DLHDon` by its Id (and the tax authority's code `MCCQT` too, for a signature placed
    /// under `CQT`), or the whole document (`URI=""`) when it has no `DLHDon` with an Id.
    pub references: Vec<String>,
    /// The new Signature's Id. `None`: the slot's name when the slot is under `DSCKS`
    /// (`NBan`, `CQT`, … as the tax authority's software writes it) and free, else one
    /// derived from the document and the signing time.
    pub id: Option<String>,
    /// XAdES (ETSI EN 319 132-1) instead of the Vietnamese SigningTime object: signed
    /// properties with SigningTime and SigningCertificateV2 (B-B); with `SignOptions::level`
    /// B-T, a SignatureTimeStamp from `SignOptions::tsa` too; with B-LT, also the chain's
    /// certificates (CertificateValues) and `SignOptions::revocation_values`
    /// (RevocationValues).
    pub xades: bool,
    /// Exclusive C14N 1.0 for SignedInfo and the References instead of C14N 1.0 (what SAML-
    /// style verifiers such as signxml handle best; Vietnamese software writes C14N 1.0).
    pub exclusive_c14n: bool,
}

/// The new signature's identifiers that depend on the document.
struct Plan {
    insert_at: usize,
    /// For a self-closing slot (`<NBan/>`): the end of its start tag's name and its qname.
    self_closing: Option<String>,
    uris: Vec<String>,
    id: String,
    /// The canonicalization of SignedInfo and of the References: C14N 1.0, or exclusive.
    c14n: &'static str,
}

fn locate<'a, 'i>(doc: &'a Document<'i>, into: &Placement) -> Result<Node<'a, 'i>, XmlSignError> {
    match into {
        Placement::Id(id) => dsig::element_by_id(doc, id).map_err(|e| match e {
            ReferenceError::AmbiguousId(_) => XmlSignError::PlacementAmbiguous(format!("#{id}")),
            _ => XmlSignError::PlacementNotFound(format!("#{id}")),
        }),
        Placement::Path(path) => {
            let root = doc.root_element();
            let mut steps: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            if steps.first() == Some(&root.tag_name().name()) {
                steps.remove(0);
            }
            let mut here = vec![root];
            for step in steps {
                here = here
                    .iter()
                    .flat_map(|n| n.children().filter(|c| c.is_element() && c.tag_name().name() == step))
                    .collect();
            }
            match here.as_slice() {
                [one] => Ok(*one),
                [] => Err(XmlSignError::PlacementNotFound(path.clone())),
                _ => Err(XmlSignError::PlacementAmbiguous(path.clone())),
            }
        }
    }
}

fn plan(doc: &Document<'_>, what: &XmlSignature, signing_time: Time) -> Result<Plan, XmlSignError> {
    let slot = locate(doc, &what.into)?;
    let text = doc.input_text();
    let range = slot.range();
    let raw = text.get(range.clone()).unwrap_or("");
    let (insert_at, self_closing) = if raw.ends_with("/>") {
        let qname: String = raw
            .trim_start_matches('<')
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/' && *c != '>')
            .collect();
        (range.end - 2, Some(qname))
    } else {
        (raw.rfind("</").map_or(range.end, |i| range.start + i), None)
    };
    let named = |local: &str| {
        doc.descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == local)
            .filter_map(|n| n.attribute("Id"))
            .collect::<Vec<_>>()
    };
    let ids: Vec<String> = if what.references.is_empty() {
        match named("DLHDon").as_slice() {
            [dl] => {
                let mut v = vec![dl.to_string()];
                if slot.tag_name().name() == "CQT" {
                    if let [code] = named("MCCQT").as_slice() {
                        v.push(code.to_string());
                    }
                }
                v
            }
            _ => Vec::new(),
        }
    } else {
        what.references.clone()
    };
    for id in &ids {
        dsig::element_by_id(doc, id).map_err(XmlSignError::Reference)?;
    }
    let uris = if ids.is_empty() {
        vec![String::new()]
    } else {
        ids.iter().map(|i| format!("#{i}")).collect()
    };
    let taken =
        |id: &str| dsig::element_by_id(doc, id).is_ok() || doc.descendants().any(|n| n.attribute("Id") == Some(id));
    let id = match &what.id {
        Some(id) if taken(id) || taken(&format!("{id}-SigningTime")) => return Err(XmlSignError::IdTaken(id.clone())),
        Some(id) => id.clone(),
        None => {
            let slot_name = slot.tag_name().name();
            let under_dscks = slot.parent_element().is_some_and(|p| p.tag_name().name() == "DSCKS");
            if under_dscks && !taken(slot_name) && !taken(&format!("{slot_name}-SigningTime")) {
                slot_name.to_string()
            } else {
                let mut n = 0u32;
                loop {
                    let candidate = format!("sig-{}-{n}", signing_time.unix());
                    if !taken(&candidate) {
                        break candidate;
                    }
                    n += 1;
                }
            }
        }
    };
    Ok(Plan {
        insert_at,
        self_closing,
        uris,
        id,
        c14n: if what.exclusive_c14n {
            c14n::EXC_C14N
        } else {
            c14n::C14N10
        },
    })
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;")
}

fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn method_uri(alg: &SignatureAlgorithm) -> Result<&'static str, XmlSignError> {
    use HashAlgorithm as H;
    Ok(match alg {
        SignatureAlgorithm::RsaPkcs1 { hash } => match hash {
            H::Sha1 => "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
            H::Sha224 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224",
            H::Sha256 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            H::Sha384 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
            H::Sha512 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
        },
        SignatureAlgorithm::RsaPss {
            hash: H::Sha256,
            mgf1_hash: H::Sha256,
            salt_len: 32,
        } => "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
        SignatureAlgorithm::Ecdsa { hash } => match hash {
            H::Sha1 => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1",
            H::Sha224 => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224",
            H::Sha256 => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
            H::Sha384 => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
            H::Sha512 => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
        },
        SignatureAlgorithm::RsaPss { .. } => {
            return Err(XmlSignError::Unsupported(
                "RSA-PSS other than SHA-256/MGF1-SHA-256/salt 32",
            ))
        }
    })
}

/// The digest method URI of SHA-256, the hash of every Reference kyso writes.
const SHA256_URI: &str = "http://www.w3.org/2001/04/xmlenc#sha256";

/// The Signature element's text, with the digests and signature value given (empty for the
/// first passes).
/// The XAdES parts of a signature being made.
struct XadesParts {
    /// SigningTime, xs:dateTime in UTC.
    signing_time: String,
    /// SHA-256 of the signer's certificate, base64.
    cert_digest: String,
    /// The DER IssuerSerial of the signer's certificate, base64.
    issuer_serial: String,
}

#[allow(clippy::too_many_arguments)]
fn signature_text(
    plan: &Plan,
    method: &str,
    digests: &[String],
    value: &str,
    certificates: &str,
    subject: &str,
    local_time: &str,
    xades: Option<&XadesParts>,
    unsigned: &str,
) -> String {
    let b64 = |d: Option<&String>| d.cloned().unwrap_or_default();
    let mut refs = String::new();
    for (i, uri) in plan.uris.iter().enumerate() {
        refs.push_str(&format!(
            r#"<Reference URI="{}"><Transforms><Transform Algorithm="{ENVELOPED}"/><Transform Algorithm="{}"/></Transforms><DigestMethod Algorithm="{SHA256_URI}"/><DigestValue>{}</DigestValue></Reference>"#,
            escape_attr(uri),
            plan.c14n,
            b64(digests.get(i))
        ));
    }
    let id = escape_attr(&plan.id);
    let last = b64(digests.get(plan.uris.len()));
    let object = match xades {
        // The Vietnamese form: the SigningTime in SignatureProperties, referenced as such.
        None => {
            refs.push_str(&format!(
                r##"<Reference Type="http://www.w3.org/2000/09/xmldsig#SignatureProperties" URI="#{id}-SigningTime"><DigestMethod Algorithm="{SHA256_URI}"/><DigestValue>{last}</DigestValue></Reference>"##
            ));
            format!(
                r##"<Object Id="{id}-SigningTime"><SignatureProperties><SignatureProperty Target="#{id}"><SigningTime>{local_time}</SigningTime></SignatureProperty></SignatureProperties></Object>"##
            )
        }
        // XAdES: the SignedProperties, referenced by the Type ETSI gives it.
        Some(x) => {
            refs.push_str(&format!(
                r##"<Reference Type="{}" URI="#{id}-SignedProperties"><Transforms><Transform Algorithm="{}"/></Transforms><DigestMethod Algorithm="{SHA256_URI}"/><DigestValue>{last}</DigestValue></Reference>"##,
                dsig::SIGNED_PROPERTIES_TYPE,
                plan.c14n
            ));
            format!(
                r##"<Object><xades:QualifyingProperties xmlns:xades="{}" Target="#{id}"><xades:SignedProperties Id="{id}-SignedProperties"><xades:SignedSignatureProperties><xades:SigningTime>{}</xades:SigningTime><xades:SigningCertificateV2><xades:Cert><xades:CertDigest><DigestMethod Algorithm="{SHA256_URI}"/><DigestValue>{}</DigestValue></xades:CertDigest><xades:IssuerSerialV2>{}</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties></xades:SignedProperties>{unsigned}</xades:QualifyingProperties></Object>"##,
                dsig::XADES_NS,
                x.signing_time,
                x.cert_digest,
                x.issuer_serial
            )
        }
    };
    format!(
        r##"<Signature Id="{id}" xmlns="{DSIG_NS}"><SignedInfo><CanonicalizationMethod Algorithm="{}"/><SignatureMethod Algorithm="{method}"/>{refs}</SignedInfo><SignatureValue>{value}</SignatureValue><KeyInfo><X509Data><X509SubjectName>{}</X509SubjectName>{certificates}</X509Data></KeyInfo>{object}</Signature>"##,
        plan.c14n,
        escape_text(subject)
    )
}

fn splice(input: &str, plan: &Plan, signature: &str) -> String {
    let (head, tail) = input.split_at(plan.insert_at.min(input.len()));
    match &plan.self_closing {
        // `<NBan/>` becomes `<NBan>…</NBan>`: the "/>" is replaced.
        Some(qname) => format!("{head}>{signature}</{qname}>{}", tail.get(2..).unwrap_or("")),
        None => format!("{head}{signature}{tail}"),
    }
}

/// The Signature element of `doc` with the Id `id`.
fn find_signature<'a, 'i>(doc: &'a Document<'i>, id: &str) -> Option<Node<'a, 'i>> {
    doc.descendants().find(|n| {
        n.is_element()
            && n.tag_name().namespace() == Some(DSIG_NS)
            && n.tag_name().name() == "Signature"
            && n.attribute("Id") == Some(id)
    })
}

/// The canonical form of the child `local` of the Signature `id` in `text` (the document as it
/// will be), in its context there.
fn canonical_part(text: &str, id: &str, local: &str, method: &C14nMethod) -> Result<Vec<u8>, SignError> {
    let d = super::parse(text).map_err(|e| xml_error(XmlSignError::Document(e)))?;
    let sig = find_signature(&d, id).ok_or(xml_error(XmlSignError::SelfCheck(
        "the new Signature is not found".into(),
    )))?;
    let part = sig
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == local)
        .ok_or(xml_error(XmlSignError::SelfCheck(format!("no {local}"))))?;
    let mut o = Vec::new();
    c14n::subset(part, None, method, &mut o);
    Ok(o)
}

/// Sign `input` with an enveloped XML-DSig signature placed as `what` says; `options` gives
/// the signing time, the chain to carry and the pre-signing check, as for CMS. Returns the
/// signed document; the input's bytes outside the new Signature are unchanged.
pub fn sign_enveloped(
    input: &[u8],
    signer: &dyn Signer,
    what: &XmlSignature,
    options: &SignOptions,
    provider: &dyn CryptoProvider,
) -> Result<Vec<u8>, SignError> {
    use crate::cms::Level;
    match (options.level, what.xades) {
        (Level::BB, _) | (Level::BT | Level::BLT, true) => {}
        (Level::BLTA, _) => {
            return Err(xml_error(XmlSignError::Unsupported(
                "XAdES B-LTA (an archive time-stamp) is not made by kyso",
            )));
        }
        (_, false) => {
            return Err(xml_error(XmlSignError::Unsupported(
                "a time-stamp or validation data needs XAdES (B-T, B-LT)",
            )));
        }
    }
    if options.level == Level::BLT {
        let ev = &options.revocation_values;
        if ev.crls.is_empty() && ev.ocsp.is_empty() {
            return Err(SignError::NoRevocationValues);
        }
    }
    let cert = signer.certificate();
    let text = super::text(input).map_err(|e| xml_error(XmlSignError::Document(e)))?;
    // What was before the document element (an XML declaration, a BOM) stays as it was.
    let bom = input.len() - text.len();
    let doc = super::parse(text).map_err(|e| xml_error(XmlSignError::Document(e)))?;
    let plan = plan(&doc, what, options.signing_time).map_err(xml_error)?;
    // The document and the placement first (nothing asked of the signer for a bad input),
    // then the signer's certificate.
    crate::sign::check_signer(cert, options, provider)?;
    let alg = signer.algorithm();
    let method = method_uri(&alg).map_err(xml_error)?;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut certificates = format!("<X509Certificate>{}</X509Certificate>", b64(cert.der()));
    for c in options.chain.iter().filter(|c| *c != cert) {
        certificates.push_str(&format!("<X509Certificate>{}</X509Certificate>", b64(c.der())));
    }
    let subject = cert.subject().display();
    let local_time = Time::from_unix(options.signing_time.unix() + 7 * 3600)
        .map(|t| t.rfc3339().trim_end_matches('Z').to_string())
        .ok_or(xml_error(XmlSignError::Unsupported("a signing time out of range")))?;
    let xades = if what.xades {
        Some(XadesParts {
            signing_time: options.signing_time.rfc3339(),
            cert_digest: b64(&provider.digest(HashAlgorithm::Sha256, cert.der())),
            issuer_serial: b64(&crate::sign::issuer_serial_der(cert)?),
        })
    } else {
        None
    };
    let build_with = |digests: &[String], value: &str, unsigned: &str| {
        let signature = signature_text(
            &plan,
            method,
            digests,
            value,
            &certificates,
            &subject,
            &local_time,
            xades.as_ref(),
            unsigned,
        );
        splice(text, &plan, &signature)
    };
    let build = |digests: &[String], value: &str| build_with(digests, value, "");
    // Pass 1: the document as it will be, without digests; each Reference's octets computed
    // on it by the verifier's own rules.
    let first = build(&[], "");
    let digests = {
        let d = super::parse(&first).map_err(|e| xml_error(XmlSignError::Document(e)))?;
        let sig = find_signature(&d, &plan.id).ok_or(xml_error(XmlSignError::SelfCheck(
            "the new Signature is not found".into(),
        )))?;
        let si = sig
            .children()
            .find(|c| c.is_element() && c.tag_name().name() == "SignedInfo");
        let refs: Vec<Node<'_, '_>> = si
            .into_iter()
            .flat_map(|si| {
                si.children()
                    .filter(|c| c.is_element() && c.tag_name().name() == "Reference")
            })
            .collect();
        refs.iter()
            .map(|r| {
                dsig::resolve_reference(&d, sig, *r, dsig::Leniency::default())
                    .map(|o| b64(&provider.digest(HashAlgorithm::Sha256, &o.octets)))
                    .map_err(|e| xml_error(XmlSignError::Reference(e)))
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    // Pass 2: with the digests, SignedInfo in its final context, canonicalized and signed.
    let second = build(&digests, "");
    let method = C14nMethod::from_uri(plan.c14n, None).ok_or(xml_error(XmlSignError::Unsupported(
        "a canonicalization kyso does not know",
    )))?;
    let signed_info = canonical_part(&second, &plan.id, "SignedInfo", &method)?;
    let raw = signer.sign(&signed_info)?;
    let value = match (alg, cert.public_key()) {
        (SignatureAlgorithm::Ecdsa { .. }, Ok(crate::crypto::PublicKey::Ec { curve, .. })) => {
            crate::crypto::ecdsa_der_to_p1363(&raw, *curve)
                .map_err(|e| SignError::Signer(crate::sign::SignerFailure::BadSignatureProduced(e)))?
        }
        _ => raw,
    };
    let mut signed = build(&digests, &b64(&value));
    if matches!(options.level, Level::BT | Level::BLT) {
        // XAdES B-T: a time-stamp over the canonical ds:SignatureValue (C14N 1.0), in the
        // unsigned properties (which the signature does not cover); B-LT adds the values a
        // verifier needs later (ETSI EN 319 132-1 §5.5): the chain's certificates and the
        // CRLs and OCSP responses for them.
        let tsa = options.tsa.as_ref().ok_or(SignError::NoTimestampAuthority)?;
        let octets = canonical_part(
            &signed,
            &plan.id,
            "SignatureValue",
            &C14nMethod::C14n10 { comments: false },
        )?;
        let imprint = provider.digest(HashAlgorithm::Sha256, &octets);
        let nonce = provider.digest(
            HashAlgorithm::Sha256,
            &[&imprint[..], &options.signing_time.0.to_be_bytes()].concat(),
        );
        let nonce = nonce.get(..8).unwrap_or(&[]).to_vec();
        let token = tsa.timestamp(HashAlgorithm::Sha256, &imprint, &nonce)?;
        crate::cms::tsp::check_received(&token, &imprint, &nonce)
            .map_err(|e| SignError::Timestamp(crate::sign::TimestampError::Response(e)))?;
        let mut values = String::new();
        if options.level == Level::BLT {
            let encapsulated = |element: &str, items: &mut dyn Iterator<Item = &[u8]>| -> String {
                items
                    .map(|d| format!("<xades:{element}>{}</xades:{element}>", b64(d)))
                    .collect()
            };
            let certs = encapsulated(
                "EncapsulatedX509Certificate",
                &mut options.chain.iter().filter(|c| *c != cert).map(Certificate::der),
            );
            if !certs.is_empty() {
                values.push_str(&format!("<xades:CertificateValues>{certs}</xades:CertificateValues>"));
            }
            let ev = &options.revocation_values;
            let crls = encapsulated("EncapsulatedCRLValue", &mut ev.crls.iter().map(|c| c.der()));
            let ocsp = encapsulated(
                "EncapsulatedOCSPValue",
                &mut ev.ocsp.iter().map(|o| o.response_der.as_slice()),
            );
            values.push_str("<xades:RevocationValues>");
            if !crls.is_empty() {
                values.push_str(&format!("<xades:CRLValues>{crls}</xades:CRLValues>"));
            }
            if !ocsp.is_empty() {
                values.push_str(&format!("<xades:OCSPValues>{ocsp}</xades:OCSPValues>"));
            }
            values.push_str("</xades:RevocationValues>");
        }
        let unsigned = format!(
            r##"<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:SignatureTimeStamp Id="{}-SignatureTimeStamp"><CanonicalizationMethod Algorithm="{}"/><xades:EncapsulatedTimeStamp>{}</xades:EncapsulatedTimeStamp></xades:SignatureTimeStamp>{values}</xades:UnsignedSignatureProperties></xades:UnsignedProperties>"##,
            escape_attr(&plan.id),
            c14n::C14N10,
            b64(&token)
        );
        signed = build_with(&digests, &b64(&value), &unsigned);
    }
    let mut out = input.get(..bom).unwrap_or(&[]).to_vec();
    out.extend_from_slice(signed.as_bytes());
    // The document as returned must verify: every Reference of the new signature and its
    // SignatureValue with the signer's certificate.
    let checks = dsig::check_document_with(
        &out,
        provider,
        crate::crypto::AlgorithmPolicy::LEGACY,
        &[],
        dsig::Leniency::default(),
    )
    .map_err(|e| xml_error(XmlSignError::Document(e)))?;
    let mine = checks
        .iter()
        .find(|c| c.id.as_deref() == Some(plan.id.as_str()))
        .ok_or(xml_error(XmlSignError::SelfCheck(
            "the new Signature is not found".into(),
        )))?;
    if let Some(bad) = mine.references.iter().find(|r| r.digest_matches != Ok(true)) {
        return Err(xml_error(XmlSignError::SelfCheck(format!(
            "Reference {:?}: {:?}",
            bad.uri, bad.digest_matches
        ))));
    }
    if let Err(e) = &mine.signature {
        return Err(xml_error(XmlSignError::SelfCheck(e.to_string())));
    }
    Ok(out)
}
