//! The signatures of a PDF: signature fields reached from the AcroForm (and the widget
//! annotations of the pages), each signature dictionary's `/ByteRange` checked against the
//! file (ISO 32000-1 §12.8.1, ISO 32000-2 §12.8.1, ETSI EN 319 142-1) and the revision it
//! covers.

use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;

use serde::Serialize;

use super::object::{Dict, ObjRef, Object};
use super::{Pdf, PdfError};

/// Whether a signature dictionary is a signature or a document time-stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureKind {
    /// `/Type /Sig` (or no type): a signature.
    Signature,
    /// `/Type /DocTimeStamp` or `/SubFilter /ETSI.RFC3161`: a document time-stamp.
    DocumentTimestamp,
}

/// How much of the file a signature covers (pyHanko's coverage levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Every byte of the file but its own `/Contents`.
    EntireFile,
    /// A whole revision: later incremental updates were added after signing.
    EntireRevision,
    /// The ranges do not end where a revision ends, or the `/ByteRange` cannot be used.
    Unclear,
}

/// Why a signature's `/ByteRange` or `/Contents` cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ByteRangeError {
    /// Not an array of four non-negative integers.
    Malformed,
    /// The first range does not start at byte 0.
    NotFromStart,
    /// The ranges overlap, are out of order, or go past the end of the file.
    OutOfBounds {
        /// The file's size.
        size: usize,
    },
    /// The gap between the ranges is not exactly the `/Contents` string (signature
    /// wrapping: a gap larger than `/Contents`, or `/Contents` outside it).
    GapNotContents,
    /// `/Contents` is missing or not a hex string.
    NoContents,
    /// The signature dictionary is in an object stream, so its `/Contents` has no place in
    /// the file the ranges could leave out.
    InObjectStream,
}

impl std::fmt::Display for ByteRangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ByteRangeError::Malformed => write!(f, "the /ByteRange is not four non-negative integers"),
            ByteRangeError::NotFromStart => write!(f, "the /ByteRange does not start at the first byte of the file"),
            ByteRangeError::OutOfBounds { size } => {
                write!(f, "the /ByteRange overlaps itself or goes past the end of the file ({size} bytes)")
            }
            ByteRangeError::GapNotContents => write!(
                f,
                "the gap the /ByteRange leaves is not exactly the /Contents string: bytes outside the signature value are unsigned"
            ),
            ByteRangeError::NoContents => write!(f, "the signature has no /Contents hex string"),
            ByteRangeError::InObjectStream => write!(
                f,
                "the signature dictionary is inside an object stream, so no /ByteRange can leave out its /Contents"
            ),
        }
    }
}

/// One signature (or document time-stamp) of a PDF.
#[derive(Debug, Clone)]
pub struct PdfSignature {
    /// The field's fully qualified name (`/T` of the field and its parents, joined by `.`).
    pub field: String,
    /// The signature dictionary's object, when indirect.
    pub object: Option<ObjRef>,
    /// Signature or document time-stamp.
    pub kind: SignatureKind,
    /// `/SubFilter`, as written.
    pub sub_filter: Option<String>,
    /// `/Filter`, as written.
    pub filter: Option<String>,
    /// `/M`, the signing time the signer claims, as written (`D:…`).
    pub claimed_time: Option<String>,
    /// `/Name`, `/Reason`, `/Location`, `/ContactInfo` as text.
    pub name: Option<String>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// The two signed ranges, checked; or why they cannot be used.
    pub byte_range: Result<[Range<usize>; 2], ByteRangeError>,
    /// The ranges as written.
    pub byte_range_written: Vec<i64>,
    /// `/Contents` decoded, its zero padding left out (for a DER value).
    pub contents: Vec<u8>,
    /// The revision (0 = the original document) whose end the ranges reach.
    pub revision: Option<usize>,
    /// How much of the file is covered.
    pub coverage: Coverage,
    /// A certification signature's DocMDP permission (`/P` 1, 2 or 3).
    pub docmdp: Option<u8>,
    /// The form fields it locks (its FieldMDP transform, or its field's `/Lock`).
    pub lock: Option<FieldLock>,
}

/// The form fields a signature locks (FieldMDP, ISO 32000-2 §12.8.2.4; a field's `/Lock`,
/// §12.7.5.5): changing their values after it is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "action", content = "fields", rename_all = "snake_case")]
pub enum FieldLock {
    /// Every field.
    All,
    /// The fields named (fully qualified), and their descendants.
    Include(Vec<String>),
    /// Every field but those named.
    Exclude(Vec<String>),
}

impl FieldLock {
    fn from_dict(pdf: &Pdf<'_>, rev: usize, d: &Dict) -> Result<Option<FieldLock>, PdfError> {
        let fields = || -> Result<Vec<String>, PdfError> {
            Ok(match d.get("Fields").map(|f| pdf.resolve(rev, f)).transpose()? {
                Some(Object::Array(a)) => a
                    .iter()
                    .take(MAX_FIELDS)
                    .filter_map(|f| match pdf.resolve(rev, f).ok()? {
                        Object::String(s) => Some(text_string(&s.bytes)),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            })
        };
        Ok(match d.name("Action") {
            Some(b"All") => Some(FieldLock::All),
            Some(b"Include") => Some(FieldLock::Include(fields()?)),
            Some(b"Exclude") => Some(FieldLock::Exclude(fields()?)),
            _ => None,
        })
    }

    /// Whether the field named `name` (fully qualified) is locked.
    pub fn locks(&self, name: &str) -> bool {
        let within = |f: &String| name == f || name.strip_prefix(f.as_str()).is_some_and(|r| r.starts_with('.'));
        match self {
            FieldLock::All => true,
            FieldLock::Include(fs) => fs.iter().any(within),
            FieldLock::Exclude(fs) => !fs.iter().any(within),
        }
    }
}

/// The fields the walk visits at most (a form with more is cut, said as an error).
pub const MAX_FIELDS: usize = 10_000;

/// Every signature field of the document's newest revision that holds a signature
/// dictionary, in the order of the AcroForm, then the pages' widget annotations not in it; and
/// the names of signature fields left empty.
pub fn signatures(pdf: &Pdf<'_>) -> Result<(Vec<PdfSignature>, Vec<String>), PdfError> {
    let last = pdf.revisions().len().saturating_sub(1);
    let catalog = pdf.catalog(last)?;
    let mut found = Vec::new();
    let mut empty = Vec::new();
    let mut seen: HashSet<ObjRef> = HashSet::default();
    let mut sig_dicts: HashSet<ObjRef> = HashSet::default();
    if let Some(form) = pdf.dict_at(last, &catalog, "AcroForm")? {
        if let Some(Object::Array(fields)) = form.get("Fields").map(|f| pdf.resolve(last, f)).transpose()? {
            for f in &fields {
                walk(
                    pdf,
                    last,
                    f,
                    "",
                    None,
                    0,
                    &mut seen,
                    &mut sig_dicts,
                    &mut found,
                    &mut empty,
                )?;
            }
        }
    }
    // Widget annotations of signature fields the AcroForm does not list.
    let mut pages = Vec::new();
    if let Some(root) = catalog.get("Pages") {
        collect_pages(pdf, last, root, 0, &mut HashSet::default(), &mut pages)?;
    }
    for page in &pages {
        let Some(annots) = page.get("Annots") else { continue };
        let Object::Array(annots) = pdf.resolve(last, annots)? else {
            continue;
        };
        for a in &annots {
            if a.as_ref().is_some_and(|r| seen.contains(&r)) {
                continue;
            }
            let Some(d) = pdf.resolve(last, a)?.as_dict().cloned() else {
                continue;
            };
            if d.name("FT") == Some(b"Sig") && d.get("Parent").is_none() {
                walk(
                    pdf,
                    last,
                    a,
                    "",
                    None,
                    0,
                    &mut seen,
                    &mut sig_dicts,
                    &mut found,
                    &mut empty,
                )?;
            }
        }
    }
    Ok((found, empty))
}

#[allow(clippy::too_many_arguments)]
fn walk(
    pdf: &Pdf<'_>,
    rev: usize,
    node: &Object,
    parent_name: &str,
    inherited_ft: Option<Vec<u8>>,
    depth: usize,
    seen: &mut HashSet<ObjRef>,
    sig_dicts: &mut HashSet<ObjRef>,
    found: &mut Vec<PdfSignature>,
    empty: &mut Vec<String>,
) -> Result<(), PdfError> {
    if depth > 32 || seen.len() > MAX_FIELDS {
        return Err(PdfError::TooLarge { what: "form fields" });
    }
    if let Some(r) = node.as_ref() {
        if !seen.insert(r) {
            return Ok(());
        }
    }
    let Some(d) = pdf.resolve(rev, node)?.as_dict().cloned() else {
        return Ok(());
    };
    let partial = match d.get("T").map(|t| pdf.resolve(rev, t)).transpose()? {
        Some(Object::String(s)) => Some(text_string(&s.bytes)),
        _ => None,
    };
    let name = match (&partial, parent_name.is_empty()) {
        (Some(p), true) => p.clone(),
        (Some(p), false) => format!("{parent_name}.{p}"),
        (None, _) => parent_name.to_string(),
    };
    let ft = d.name("FT").map(<[u8]>::to_vec).or(inherited_ft);
    let kids = match d.get("Kids").map(|k| pdf.resolve(rev, k)).transpose()? {
        Some(Object::Array(k)) => k,
        _ => Vec::new(),
    };
    // Kids that are fields (they have /T) make this a non-terminal field; widget-only kids
    // do not.
    let mut field_kids = false;
    for k in &kids {
        let kd = pdf.resolve(rev, k)?;
        if kd.as_dict().is_some_and(|kd| kd.get("T").is_some()) {
            field_kids = true;
            walk(pdf, rev, k, &name, ft.clone(), depth + 1, seen, sig_dicts, found, empty)?;
        } else if let Some(r) = k.as_ref() {
            seen.insert(r);
        }
    }
    if field_kids || ft.as_deref() != Some(b"Sig") {
        return Ok(());
    }
    match d.get("V") {
        None | Some(Object::Null) => empty.push(name),
        Some(v) => {
            let object = v.as_ref();
            if let Some(r) = object {
                // One signature dictionary named by two fields is read once.
                if !sig_dicts.insert(r) {
                    return Ok(());
                }
            }
            let located = match v {
                Object::Ref(r) => pdf.get(rev, *r)?,
                other => Some(super::Located {
                    object: other.clone(),
                    offset: None,
                }),
            };
            match located {
                Some(l) if l.object.as_dict().is_some() => {
                    let mut sig = read_signature(pdf, name, object, &l)?;
                    if sig.lock.is_none() {
                        // The field's /Lock, when the signer did not copy it into the signature.
                        if let Some(lock) = pdf.dict_at(rev, &d, "Lock")? {
                            sig.lock = FieldLock::from_dict(pdf, rev, &lock)?;
                        }
                    }
                    found.push(sig);
                }
                _ => empty.push(name),
            }
        }
    }
    Ok(())
}

fn collect_pages(
    pdf: &Pdf<'_>,
    rev: usize,
    node: &Object,
    depth: usize,
    seen: &mut HashSet<ObjRef>,
    out: &mut Vec<Dict>,
) -> Result<(), PdfError> {
    if depth > 64 || out.len() > 100_000 {
        return Ok(());
    }
    if let Some(r) = node.as_ref() {
        if !seen.insert(r) {
            return Ok(());
        }
    }
    let Some(d) = pdf.resolve(rev, node)?.as_dict().cloned() else {
        return Ok(());
    };
    match d.get("Kids").map(|k| pdf.resolve(rev, k)).transpose()? {
        Some(Object::Array(kids)) => {
            for k in &kids {
                collect_pages(pdf, rev, k, depth + 1, seen, out)?;
            }
        }
        _ => out.push(d),
    }
    Ok(())
}

/// The digest under `hash` of each signature's two byte ranges in `input` (`None` where a
/// signature has no valid ranges), hashing the bytes they share once. Every signature's
/// first range starts at 0: in the order of their gaps, one running hash reads the file up
/// to each gap and forks there, and the fork reads that signature's second range. Six
/// signatures over a 1.2 MB decree hash 1.4 MB instead of 6.2.
pub(crate) fn range_digests(
    bytes: super::sparse::Bytes<'_>,
    ranges: &[Option<&[Range<usize>; 2]>],
    hash: crate::crypto::HashAlgorithm,
    provider: &dyn crate::crypto::CryptoProvider,
) -> Vec<Option<Vec<u8>>> {
    let mut order: Vec<(usize, &[Range<usize>; 2])> = ranges
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((i, (*r)?)))
        .collect();
    order.sort_by_key(|(_, [a, _])| a.end);
    let mut out = vec![None; ranges.len()];
    let mut running = provider.hasher(hash);
    let shared = running.fork().is_some();
    let mut at = 0;
    let mut running_ok = true;
    for (i, [a, b]) in order {
        let forked = if shared && a.start == 0 && at <= a.end && running_ok {
            running_ok = bytes.each_block(at..a.end, &mut |p| running.update(p)).is_ok();
            at = a.end;
            running.fork().filter(|_| running_ok)
        } else {
            None
        };
        let (mut h, mut ok) = match forked {
            Some(h) => (h, true),
            None => {
                let mut h = provider.hasher(hash);
                let ok = bytes.each_block(a.clone(), &mut |p| h.update(p)).is_ok();
                (h, ok)
            }
        };
        ok &= bytes.each_block(b.clone(), &mut |p| h.update(p)).is_ok();
        if let (Some(slot), true) = (out.get_mut(i), ok) {
            *slot = Some(h.finish());
        }
    }
    out
}

/// A text string (PDFDocEncoding, or UTF-16BE with a byte-order mark).
pub fn text_string(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([*c.first().unwrap_or(&0), *c.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = b.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    // PDFDocEncoding agrees with Latin-1 for the characters names and dates use.
    b.iter().map(|c| char::from(*c)).collect()
}

fn read_signature(
    pdf: &Pdf<'_>,
    field: String,
    object: Option<ObjRef>,
    l: &super::Located,
) -> Result<PdfSignature, PdfError> {
    let rev = pdf.revisions().len().saturating_sub(1);
    let d = l.object.as_dict().cloned().unwrap_or_default();
    let name_of = |k: &str| d.name(k).map(|n| String::from_utf8_lossy(n).into_owned());
    let text = |k: &str| -> Result<Option<String>, PdfError> {
        Ok(match d.get(k).map(|v| pdf.resolve(rev, v)).transpose()? {
            Some(Object::String(s)) => Some(text_string(&s.bytes)),
            _ => None,
        })
    };
    let sub_filter = name_of("SubFilter");
    let kind = if d.name("Type") == Some(b"DocTimeStamp") || sub_filter.as_deref() == Some("ETSI.RFC3161") {
        SignatureKind::DocumentTimestamp
    } else {
        SignatureKind::Signature
    };
    let written: Vec<i64> = match d.get("ByteRange").map(|b| pdf.resolve(rev, b)).transpose()? {
        Some(Object::Array(a)) => a
            .iter()
            .map(|v| pdf.resolve(rev, v).ok().and_then(|v| v.as_int()).unwrap_or(-1))
            .collect(),
        _ => Vec::new(),
    };
    let contents = match d.get("Contents") {
        Some(Object::String(s)) => Some(s.clone()),
        _ => None,
    };
    let size = pdf.data().len();
    let byte_range = check_byte_range(&written, contents.as_ref(), l.offset.is_some(), size);
    let (revision, coverage) = match &byte_range {
        Ok([_, second]) => {
            let end = second.end;
            if end == size {
                (pdf.revisions().iter().position(|r| r.end >= end), Coverage::EntireFile)
            } else if let Some(i) = pdf
                .revisions()
                .iter()
                .position(|r| r.end == end || trimmed_end(pdf, r.end) == end)
            {
                (Some(i), Coverage::EntireRevision)
            } else {
                (None, Coverage::Unclear)
            }
        }
        Err(_) => (None, Coverage::Unclear),
    };
    let docmdp = docmdp_of(pdf, rev, &d)?;
    let lock = fieldmdp_of(pdf, rev, &d)?;
    Ok(PdfSignature {
        field,
        object,
        kind,
        sub_filter,
        filter: name_of("Filter"),
        claimed_time: text("M")?,
        name: text("Name")?,
        reason: text("Reason")?,
        location: text("Location")?,
        byte_range,
        byte_range_written: written,
        contents: contents.map(|c| der_value(&c.bytes).to_vec()).unwrap_or_default(),
        revision,
        coverage,
        docmdp,
        lock,
    })
}

/// A revision's end without its end-of-line (signers differ on whether the EOL after
/// `%%EOF` is signed).
fn trimmed_end(pdf: &Pdf<'_>, end: usize) -> usize {
    let mut e = end;
    let data = pdf.data();
    while e > 0 && matches!(data.get(e - 1), Some(b'\r' | b'\n')) {
        e -= 1;
    }
    e
}

/// The signature's `/Reference` entry whose `/TransformMethod` is `method`: `None` when it
/// has none, else its `/TransformParams` (`None` inside when absent).
fn transform(pdf: &Pdf<'_>, rev: usize, d: &Dict, method: &[u8]) -> Result<Option<Option<Dict>>, PdfError> {
    let Some(Object::Array(refs)) = d.get("Reference").map(|r| pdf.resolve(rev, r)).transpose()? else {
        return Ok(None);
    };
    for r in &refs {
        let Some(r) = pdf.resolve(rev, r)?.as_dict().cloned() else {
            continue;
        };
        if r.name("TransformMethod") == Some(method) {
            return Ok(Some(pdf.dict_at(rev, &r, "TransformParams")?));
        }
    }
    Ok(None)
}

/// The FieldMDP transform of a signature's `/Reference` (the fields it locks).
fn fieldmdp_of(pdf: &Pdf<'_>, rev: usize, d: &Dict) -> Result<Option<FieldLock>, PdfError> {
    match transform(pdf, rev, d, b"FieldMDP")? {
        Some(Some(tp)) => FieldLock::from_dict(pdf, rev, &tp),
        _ => Ok(None),
    }
}

/// The DocMDP permission of a certification signature (`/P`, 2 when absent).
fn docmdp_of(pdf: &Pdf<'_>, rev: usize, d: &Dict) -> Result<Option<u8>, PdfError> {
    Ok(transform(pdf, rev, d, b"DocMDP")?.map(|tp| {
        let p = tp.and_then(|tp| tp.int("P")).unwrap_or(2);
        u8::try_from(p.clamp(1, 3)).unwrap_or(2)
    }))
}

fn check_byte_range(
    written: &[i64],
    contents: Option<&super::PdfString>,
    in_file: bool,
    size: usize,
) -> Result<[Range<usize>; 2], ByteRangeError> {
    let v: Vec<usize> = written
        .iter()
        .map(|x| usize::try_from(*x).ok())
        .collect::<Option<Vec<_>>>()
        .ok_or(ByteRangeError::Malformed)?;
    let [a, b, c, d] = v.as_slice() else {
        return Err(ByteRangeError::Malformed);
    };
    if *a != 0 {
        return Err(ByteRangeError::NotFromStart);
    }
    let first = *a..a.checked_add(*b).ok_or(ByteRangeError::OutOfBounds { size })?;
    let second = *c..c.checked_add(*d).ok_or(ByteRangeError::OutOfBounds { size })?;
    if first.end > second.start || second.end > size {
        return Err(ByteRangeError::OutOfBounds { size });
    }
    let contents = contents.filter(|c| c.hex).ok_or(ByteRangeError::NoContents)?;
    if !in_file {
        return Err(ByteRangeError::InObjectStream);
    }
    if contents.span != (first.end..second.start) {
        return Err(ByteRangeError::GapNotContents);
    }
    Ok([first, second])
}

/// A DER value without the zero padding after it (signers reserve room for `/Contents`);
/// BER with indefinite length is kept whole.
fn der_value(b: &[u8]) -> &[u8] {
    let len = match (b.first(), b.get(1)) {
        (Some(0x30), Some(&l)) if l < 0x80 => Some(2 + usize::from(l)),
        (Some(0x30), Some(&l)) if l > 0x80 && l <= 0x84 => {
            let n = usize::from(l - 0x80);
            b.get(2..2 + n)
                .map(|x| x.iter().fold(0usize, |a, v| a << 8 | usize::from(*v)) + 2 + n)
        }
        _ => None,
    };
    match len {
        Some(l) if l <= b.len() => b.get(..l).unwrap_or(b),
        _ => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{default_provider, HashAlgorithm};

    /// The shared running hash gives each signature exactly what hashing its two ranges on their
    /// own gives, whatever the order the signatures come in, and for ranges it cannot share;
    /// none for ranges outside the input.
    #[test]
    fn shared_range_digests_equal_separate_hashing() {
        let input: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        let sets = [
            [0..1200, 1300..2000],
            [0..100, 150..600],
            [0..3000, 3500..5000],
            [10..100, 200..300],
            [0..4000, 4100..9000],
        ];
        let mut ranges: Vec<Option<&[Range<usize>; 2]>> = sets.iter().map(Some).collect();
        ranges.insert(2, None);
        let p = default_provider();
        for hash in [HashAlgorithm::Sha1, HashAlgorithm::Sha256, HashAlgorithm::Sha512] {
            let bytes = super::super::sparse::Bytes {
                data: &input,
                sparse: None,
            };
            let shared = range_digests(bytes, &ranges, hash, p);
            assert_eq!(shared.len(), ranges.len());
            for (got, r) in shared.iter().zip(&ranges) {
                // A range outside the input has no digest.
                let expected = r.and_then(|[a, b]| {
                    let mut h = p.hasher(hash);
                    h.update(input.get(a.clone())?);
                    h.update(input.get(b.clone())?);
                    Some(h.finish())
                });
                assert_eq!(got, &expected, "{hash:?} {r:?}");
            }
        }
    }
}
