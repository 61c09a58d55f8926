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
    let streams = |key: &str| -> Result<Vec<Vec<u8>>, PdfError> {
        let Some(Object::Array(items)) = dss.get(key).map(|a| pdf.resolve(last, a)).transpose()? else {
            return Ok(Vec::new());
        };
        let mut v = Vec::new();
        for item in items.iter().take(10_000) {
            if let Ok(Some((_, bytes))) = pdf.stream(last, item) {
                v.push(bytes);
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
