//! The Document Security Store (ISO 32000-2 §12.8.4.3, ETSI EN 319 142-1 §5.4.2): the
//! certificates, CRLs and OCSP responses a PAdES B-LT or B-LTA document carries for its
//! signatures' validation.

use std::sync::Arc;

use super::object::Object;
use super::{Pdf, PdfError};
use crate::revocation::{Crl, OcspResponse, RevocationEvidence};
use crate::Certificate;

/// What a document's DSS holds, decoded (entries that cannot be decoded are left out).
#[derive(Debug, Clone, Default)]
pub struct Dss {
    /// `/Certs`.
    pub certificates: Vec<Certificate>,
    /// `/CRLs` and `/OCSPs`.
    pub evidence: RevocationEvidence,
    /// Whether the document has a DSS at all.
    pub present: bool,
    /// The keys of its `/VRI` dictionary: the upper-case hex SHA-1 of each signature's
    /// `/Contents` that has validation data of its own (what it holds is in
    /// `certificates` and `evidence` too).
    pub vri: Vec<String>,
}

impl Dss {
    /// Whether the DSS has a VRI entry for `sig`: keyed by the SHA-1 of its whole
    /// `/Contents` string, zero padding included (pyHanko, Adobe), or of the DER value
    /// without it (iText, for document time-stamps).
    pub fn has_vri(&self, sig: &super::signature::PdfSignature) -> bool {
        if self.vri.is_empty() {
            return false;
        }
        let p = crate::crypto::default_provider();
        let key = |b: &[u8]| hex::encode_upper(p.digest(crate::crypto::HashAlgorithm::Sha1, b));
        if self.vri.contains(&key(&sig.contents)) {
            return true;
        }
        // The string as written: the gap between the two ranges, less its < and >.
        let Ok([a, b]) = &sig.byte_range else { return false };
        let written = b.start.saturating_sub(a.end).saturating_sub(2) / 2;
        if written <= sig.contents.len() {
            return false;
        }
        let mut whole = sig.contents.clone();
        whole.resize(written, 0);
        self.vri.contains(&key(&whole))
    }
}

/// The newest revision's DSS.
pub fn read(pdf: &Pdf<'_>) -> Result<Dss, PdfError> {
    let last = pdf.revisions().len().saturating_sub(1);
    let mut out = Dss::default();
    let Ok(catalog) = pdf.catalog(last) else { return Ok(out) };
    let Some(dss) = pdf.dict_at(last, &catalog, "DSS")? else {
        return Ok(out);
    };
    out.present = true;
    // The VRI dictionaries' own arrays (/Cert, /CRL, /OCSP) with the DSS's (/Certs, /CRLs,
    // /OCSPs): evidence either way.
    let mut vris = Vec::new();
    if let Some(vri) = pdf.dict_at(last, &dss, "VRI")? {
        for (key, entry) in vri.0.iter().take(10_000) {
            if key.as_slice() == b"Type" {
                continue;
            }
            out.vri.push(String::from_utf8_lossy(key).to_ascii_uppercase());
            if let Object::Dict(d) = pdf.resolve(last, entry)? {
                vris.push(d);
            }
        }
    }
    let streams = |key: &str| -> Result<Vec<Vec<u8>>, PdfError> {
        let vri_key = match key {
            "Certs" => "Cert",
            "CRLs" => "CRL",
            _ => "OCSP",
        };
        let mut items = Vec::new();
        for d in std::iter::once(&dss).chain(vris.iter()) {
            let k = if std::ptr::eq(d, &dss) { key } else { vri_key };
            if let Some(Object::Array(a)) = d.get(k).map(|a| pdf.resolve(last, a)).transpose()? {
                items.extend(a);
            }
        }
        let mut v: Vec<Vec<u8>> = Vec::new();
        for item in items.iter().take(10_000) {
            if let Ok(Some((_, bytes))) = pdf.stream(last, item) {
                if !v.contains(&bytes) {
                    v.push(bytes);
                }
            }
        }
        Ok(v)
    };
    out.certificates = streams("Certs")?
        .iter()
        .filter_map(|d| Certificate::from_der(d).ok())
        .collect();
    out.evidence = RevocationEvidence::from_crls(
        streams("CRLs")?
            .into_iter()
            .filter_map(|d| Crl::from_der(d).ok())
            .collect(),
    );
    out.evidence.ocsp = streams("OCSPs")?
        .iter()
        .filter_map(|d| OcspResponse::from_der(d).ok())
        .map(Arc::new)
        .collect();
    Ok(out)
}
