//! Signing a PDF by incremental update (ISO 32000-1 §7.5.6, §12.8; ETSI EN 319 142-1): the
//! earlier revisions are never rewritten, so earlier signatures stay valid. PAdES B-B and
//! B-T (a CAdES signature time-stamp), B-LT (a DSS with the chain's certificates, CRLs and
//! OCSP responses, in a second update) and B-LTA (a document time-stamp over all of it, in a
//! third); approval and certification (DocMDP) signatures; document time-stamps alone.

use std::collections::BTreeSet;

use super::object::{Dict, ObjRef, Object, PdfString};
use super::{Pdf, PdfError};
use crate::cms::Level;
use crate::crypto::{CryptoProvider, HashAlgorithm};
use crate::sign::{SignError, SignOptions, Signer, TimestampAuthority};
use crate::Certificate;

/// Why a PDF could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PdfSignError {
    /// The PDF cannot be read.
    Document(PdfError),
    /// Its cross-reference data had to be reconstructed: an update appended to it would
    /// point to sections that do not exist. Repair the file first (`qpdf in.pdf out.pdf`).
    Reconstructed,
    /// The signature is larger than the room reserved for it.
    TooLarge {
        /// The CMS's size.
        size: usize,
        /// The room.
        reserved: usize,
    },
    /// A certification signature must be the document's first signature.
    CertifyAfterSigning,
    /// The page asked for does not exist.
    NoPage(usize),
    /// What was asked is not something kyso does.
    Unsupported(&'static str),
    /// The file is encrypted and its permissions (`/P`) allow neither adding form fields nor
    /// filling them in, signature fields included.
    NotPermitted,
}

impl std::fmt::Display for PdfSignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfSignError::Document(e) => write!(f, "the PDF: {e}"),
            PdfSignError::NotPermitted => write!(
                f,
                "the PDF is encrypted and its permissions do not allow signing (neither form filling nor annotations)"
            ),
            PdfSignError::Reconstructed => write!(
                f,
                "the PDF's cross-reference data is broken; repair it (qpdf in.pdf out.pdf) before signing"
            ),
            PdfSignError::TooLarge { size, reserved } => {
                write!(
                    f,
                    "the signature ({size} bytes) is larger than the {reserved} bytes reserved"
                )
            }
            PdfSignError::CertifyAfterSigning => {
                write!(f, "a certification signature must be the document's first signature")
            }
            PdfSignError::NoPage(p) => write!(f, "the document has no page {p}"),
            PdfSignError::Unsupported(what) => write!(f, "{what}"),
        }
    }
}

fn pdf_error(e: PdfSignError) -> SignError {
    SignError::Pdf(e)
}

/// The `/SubFilter` of a signature kyso makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubFilter {
    /// `ETSI.CAdES.detached`: PAdES baseline (no signing-time attribute: `/M` is the claim).
    #[default]
    CadesDetached,
    /// `adbe.pkcs7.detached`: what most Vietnamese signing software writes (with the
    /// signing-time attribute).
    Pkcs7Detached,
}

/// What to sign and how.
#[derive(Debug, Clone, Default)]
pub struct PdfSigning {
    /// The signature field's name (default: `Signature<n>`, the first free one).
    pub field: Option<String>,
    /// `/SubFilter`.
    pub sub_filter: SubFilter,
    /// A certification signature with this DocMDP permission (1: no change; 2: form filling
    /// and signing; 3: also annotations); `None`: an approval signature.
    pub certify: Option<u8>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// `/ContactInfo`.
    pub contact_info: Option<String>,
    /// The page (from 1) an invisible widget is placed on.
    pub page: Option<usize>,
    /// A visible signature: where, in which font, with which image; its lines of text, when
    /// left empty, are the signer, the organisation and the signing time in Vietnam time.
    pub visible: Option<super::appearance::Visible>,
    /// Bytes reserved for the CMS (0: 16 KiB, and 8 KiB more for a time-stamp).
    pub reserve: usize,
}

/// One incremental update being written.
struct Update<'a> {
    pdf: Pdf<'a>,
    last: usize,
    next: u32,
    objects: Vec<(u32, Vec<u8>)>,
    /// Objects written as they are in an encrypted file: the signature dictionary (its
    /// strings are encrypted before its placeholders are laid out).
    raw: Vec<u32>,
    root: ObjRef,
    catalog: Dict,
}

impl<'a> Update<'a> {
    fn new(input: &'a [u8]) -> Result<Update<'a>, SignError> {
        let pdf = Pdf::parse(input).map_err(|e| pdf_error(PdfSignError::Document(e)))?;
        if pdf.reconstructed() {
            return Err(pdf_error(PdfSignError::Reconstructed));
        }
        // ISO 32000-2 Table 22: bit 6 (annotations and form fields), bit 9 (filling in
        // existing fields, signature fields included).
        if pdf.crypt().is_some_and(|c| c.permissions & (1 << 5 | 1 << 8) == 0) {
            return Err(pdf_error(PdfSignError::NotPermitted));
        }
        let last = pdf.revisions().len().saturating_sub(1);
        let trailer = pdf.revisions().get(last).map(|r| r.trailer.clone()).unwrap_or_default();
        let root = trailer
            .get("Root")
            .and_then(Object::as_ref)
            .ok_or(pdf_error(PdfSignError::Document(PdfError::NoCatalog)))?;
        let catalog = pdf.catalog(last).map_err(|e| pdf_error(PdfSignError::Document(e)))?;
        let size = trailer.int("Size").and_then(|s| u32::try_from(s).ok()).unwrap_or(1);
        Ok(Update {
            pdf,
            last,
            next: size.max(1),
            objects: Vec::new(),
            raw: Vec::new(),
            root,
            catalog,
        })
    }

    fn doc(&self, e: PdfError) -> SignError {
        pdf_error(PdfSignError::Document(e))
    }

    fn alloc(&mut self) -> u32 {
        let n = self.next;
        self.next += 1;
        n
    }

    fn put(&mut self, num: u32, body: Vec<u8>) {
        self.objects.retain(|(n, _)| *n != num);
        self.objects.push((num, body));
    }

    fn get_dict(&self, r: ObjRef) -> Result<Dict, SignError> {
        Ok(self
            .pdf
            .get(self.last, r)
            .map_err(|e| self.doc(e))?
            .and_then(|l| l.object.as_dict().cloned())
            .unwrap_or_default())
    }

    /// The object number and dictionary of page `n` (from 1).
    fn page(&self, n: usize) -> Result<(ObjRef, Dict), SignError> {
        let mut pages = Vec::new();
        let mut stack: Vec<Object> = self.catalog.get("Pages").cloned().into_iter().collect();
        let mut seen = BTreeSet::new();
        while let Some(node) = stack.pop() {
            let Some(r) = node.as_ref() else { continue };
            if !seen.insert(r) || seen.len() > 1_000_000 {
                continue;
            }
            let d = self.get_dict(r)?;
            match d
                .get("Kids")
                .map(|k| self.pdf.resolve(self.last, k))
                .transpose()
                .map_err(|e| self.doc(e))?
            {
                Some(Object::Array(kids)) => stack.extend(kids.into_iter().rev()),
                _ => pages.push((r, d)),
            }
            if pages.len() >= n {
                break;
            }
        }
        pages
            .into_iter()
            .nth(n.saturating_sub(1))
            .ok_or(pdf_error(PdfSignError::NoPage(n)))
    }

    /// Add a signature field whose value is the dictionary `sig` (already allocated), with an
    /// invisible widget on page `page`; returns the field's name.
    fn add_field(
        &mut self,
        name: Option<&str>,
        sig: u32,
        page: usize,
        visible: Option<&super::appearance::Visible>,
    ) -> Result<String, SignError> {
        let (page_ref, mut page_dict) = self.page(page)?;
        // The AcroForm: indirect, direct in the catalog, or new.
        let form_ref = self.catalog.get("AcroForm").and_then(Object::as_ref);
        let mut form = match (form_ref, self.catalog.get("AcroForm")) {
            (Some(r), _) => self.get_dict(r)?,
            (None, Some(Object::Dict(d))) => d.clone(),
            _ => Dict::default(),
        };
        let fields_obj = form.get("Fields").cloned();
        let mut fields = match &fields_obj {
            Some(o) => match self.pdf.resolve(self.last, o).map_err(|e| self.doc(e))? {
                Object::Array(a) => a,
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        let taken: BTreeSet<String> = fields
            .iter()
            .filter_map(|f| {
                let d = self.pdf.resolve(self.last, f).ok()?;
                match d.as_dict()?.get("T") {
                    Some(Object::String(s)) => Some(super::signature::text_string(&s.bytes)),
                    _ => None,
                }
            })
            .collect();
        let name = match name {
            Some(n) => n.to_string(),
            None => (1..)
                .map(|i| format!("Signature{i}"))
                .find(|n| !taken.contains(n))
                .unwrap_or_default(),
        };
        let widget = self.alloc();
        let mut w = Dict::default();
        w.set("Type", Dict::name_object("Annot"));
        w.set("Subtype", Dict::name_object("Widget"));
        w.set("FT", Dict::name_object("Sig"));
        w.set("T", text_object(&name));
        w.set("V", Object::Ref(ObjRef { num: sig, gen: 0 }));
        // Print and Locked; an invisible widget has an empty rectangle.
        w.set("F", Object::Int(132));
        w.set("Rect", Object::Array(vec![Object::Int(0); 4]));
        w.set("P", Object::Ref(page_ref));
        if let Some(v) = visible {
            let p = v.placement;
            w.set(
                "Rect",
                Object::Array(vec![
                    Object::Real(p.x),
                    Object::Real(p.y),
                    Object::Real(p.x + p.width),
                    Object::Real(p.y + p.height),
                ]),
            );
            let mut next = self.next;
            let built = super::appearance::build(v, &mut || {
                let n = next;
                next += 1;
                n
            })
            .map_err(pdf_error)?;
            self.next = next;
            for (n, body) in built.objects {
                self.put(n, body);
            }
            let mut ap = Dict::default();
            ap.set(
                "N",
                Object::Ref(ObjRef {
                    num: built.form,
                    gen: 0,
                }),
            );
            w.set("AP", Object::Dict(ap));
        }
        self.put(widget, w.to_pdf().into_bytes());
        let widget_ref = Object::Ref(ObjRef { num: widget, gen: 0 });
        fields.push(widget_ref.clone());
        match fields_obj.as_ref().and_then(Object::as_ref) {
            Some(r) => self.put(r.num, Object::Array(fields).to_pdf().into_bytes()),
            None => form.set("Fields", Object::Array(fields)),
        }
        form.set("SigFlags", Object::Int(3));
        match form_ref {
            Some(r) => self.put(r.num, form.to_pdf().into_bytes()),
            None => {
                let n = self.alloc();
                self.put(n, form.to_pdf().into_bytes());
                self.catalog.set("AcroForm", Object::Ref(ObjRef { num: n, gen: 0 }));
            }
        }
        // The page's /Annots: indirect (rewritten) or direct.
        let annots_obj = page_dict.get("Annots").cloned();
        let mut annots = match &annots_obj {
            Some(o) => match self.pdf.resolve(self.last, o).map_err(|e| self.doc(e))? {
                Object::Array(a) => a,
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        annots.push(widget_ref);
        match annots_obj.as_ref().and_then(Object::as_ref) {
            Some(r) => self.put(r.num, Object::Array(annots).to_pdf().into_bytes()),
            None => {
                page_dict.set("Annots", Object::Array(annots));
                self.put(page_ref.num, page_dict.to_pdf().into_bytes());
            }
        }
        Ok(name)
    }

    /// A dictionary to be written as object `num` inside its raw text (the signature
    /// dictionary): its strings encrypted when the file is, and the object kept as written.
    fn sealed_raw(&mut self, num: u32, mut dict: Dict) -> Result<Dict, SignError> {
        self.raw.push(num);
        if let Some(c) = self.pdf.crypt() {
            let mut o = Object::Dict(dict);
            c.seal_strings(ObjRef { num, gen: 0 }, &mut o)
                .map_err(|e| self.doc(e))?;
            dict = o.as_dict().cloned().unwrap_or_default();
        }
        Ok(dict)
    }

    /// The file with the update appended, and where each object it wrote starts.
    fn finish(mut self) -> Result<Vec<u8>, SignError> {
        // The catalog always goes in the update (AcroForm, Perms or DSS changed).
        let catalog = self.catalog.to_pdf().into_bytes();
        self.put(self.root.num, catalog);
        let data = self.pdf.data();
        let rev = self.pdf.revisions().get(self.last).cloned();
        let trailer = rev.as_ref().map(|r| r.trailer.clone()).unwrap_or_default();
        let prev = rev.as_ref().and_then(|r| r.xref_offset).unwrap_or(0);
        let stream = rev.as_ref().is_some_and(|r| r.xref_stream);
        let mut out = data.to_vec();
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        let mut offsets: Vec<(u32, usize)> = Vec::new();
        self.objects.sort_by_key(|(n, _)| *n);
        if let Some(c) = self.pdf.crypt() {
            for (num, body) in &mut self.objects {
                if !self.raw.contains(num) {
                    *body = c
                        .seal_object(ObjRef { num: *num, gen: 0 }, body)
                        .map_err(|e| pdf_error(PdfSignError::Document(e)))?;
                }
            }
        }
        for (num, body) in &self.objects {
            offsets.push((*num, out.len()));
            out.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let mut t = Dict::default();
        let xref_num = if stream { Some(self.alloc()) } else { None };
        t.set("Size", Object::Int(i64::from(self.next)));
        t.set("Root", Object::Ref(self.root));
        for key in ["Info", "ID", "Encrypt"] {
            if let Some(v) = trailer.get(key) {
                t.set(key, v.clone());
            }
        }
        t.set("Prev", Object::Int(i64::try_from(prev).unwrap_or(0)));
        let xref_at = out.len();
        match xref_num {
            None => {
                let mut table = String::from("xref\n");
                for (num, off) in &offsets {
                    table.push_str(&format!("{num} 1\n{off:010} 00000 n\r\n"));
                }
                table.push_str("trailer\n");
                table.push_str(&t.to_pdf());
                out.extend_from_slice(table.as_bytes());
            }
            Some(x) => {
                // A cross-reference stream, as the file's own sections are: W [1 8 2].
                offsets.push((x, xref_at));
                let mut rows = Vec::new();
                let mut index = Vec::new();
                for (num, off) in &offsets {
                    index.push(Object::Int(i64::from(*num)));
                    index.push(Object::Int(1));
                    rows.push(1u8);
                    rows.extend_from_slice(&(*off as u64).to_be_bytes());
                    rows.extend_from_slice(&[0, 0]);
                }
                t.set("Type", Dict::name_object("XRef"));
                t.set("W", Object::Array(vec![Object::Int(1), Object::Int(8), Object::Int(2)]));
                t.set("Index", Object::Array(index));
                t.set("Length", Object::Int(rows.len() as i64));
                out.extend_from_slice(format!("{x} 0 obj\n").as_bytes());
                out.extend_from_slice(t.to_pdf().as_bytes());
                out.extend_from_slice(b"\nstream\n");
                out.extend_from_slice(&rows);
                out.extend_from_slice(b"\nendstream\nendobj\n");
            }
        }
        out.extend_from_slice(format!("\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        Ok(out)
    }
}

fn text_object(s: &str) -> Object {
    // ASCII as is; anything else as UTF-16BE with a byte-order mark.
    let bytes = if s.is_ascii() {
        s.as_bytes().to_vec()
    } else {
        let mut b = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_be_bytes());
        }
        b
    };
    Object::String(PdfString {
        bytes,
        hex: true,
        span: 0..0,
    })
}

/// What a visible signature says by default: who signed, for which organisation, when (in
/// Vietnam time), and why.
fn default_lines(cert: &Certificate, at: crate::Time, reason: Option<&str>) -> Vec<String> {
    let id = crate::vn::Identity::of(cert);
    let mut lines = vec![format!("Ký bởi: {}", id.common_name.clone().unwrap_or_default())];
    if let Some(o) = id.organization.first().filter(|o| Some(*o) != id.common_name.as_ref()) {
        lines.push(format!("Cơ quan: {o}"));
    }
    let local = crate::Time::from_unix(at.unix() + 7 * 3600).unwrap_or(at).rfc3339();
    // 2026-06-01T17:00:00Z → 17:00:00 ngày 01/06/2026
    let (date, time) = local.split_once('T').unwrap_or((&local, ""));
    let mut d = date.split('-');
    let (y, m, day) = (d.next().unwrap_or(""), d.next().unwrap_or(""), d.next().unwrap_or(""));
    lines.push(format!(
        "Thời gian ký: {} ngày {day}/{m}/{y} (giờ Việt Nam)",
        time.trim_end_matches('Z')
    ));
    if let Some(r) = reason {
        lines.push(format!("Lý do: {r}"));
    }
    lines
}

/// A PDF date in Vietnam time (`D:YYYYMMDDHHmmSS+07'00'`).
fn pdf_date(t: crate::Time) -> String {
    let local = crate::Time::from_unix(t.unix() + 7 * 3600).unwrap_or(t);
    let s = local.rfc3339();
    let digits: String = s.chars().filter(char::is_ascii_digit).take(14).collect();
    format!("D:{digits}+07'00'")
}

const BYTE_RANGE_PLACEHOLDER: &str = "/ByteRange [0 0000000000 0000000000 0000000000]";

/// A signature dictionary with room for `reserve` bytes of CMS and a ByteRange to fill.
fn sig_dict(kind: &str, sub_filter: &str, reserve: usize, extra: &Dict) -> Vec<u8> {
    let mut d = Dict::default();
    d.set("Type", Dict::name_object(kind));
    d.set("Filter", Dict::name_object("Adobe.PPKLite"));
    d.set("SubFilter", Dict::name_object(sub_filter));
    d.0.extend(extra.0.iter().cloned());
    let text = d.to_pdf();
    let body = text.get(..text.len() - 2).unwrap_or("");
    format!(
        "{body}{BYTE_RANGE_PLACEHOLDER}/Contents <{}>>>",
        "0".repeat(reserve * 2)
    )
    .into_bytes()
}

/// Fill the ByteRange of the signature dictionary `sig` in `out`, and return the two ranges'
/// bytes concatenated and where its `/Contents` hex digits lie.
fn lay_out(out: &mut [u8], sig: u32) -> Result<(Vec<u8>, std::ops::Range<usize>), SignError> {
    let bad = || {
        pdf_error(PdfSignError::Unsupported(
            "the signature dictionary written cannot be found",
        ))
    };
    let head = format!("\n{sig} 0 obj\n");
    let at = super::object::rfind(out, head.as_bytes()).ok_or_else(bad)?;
    let br =
        at + super::object::find(out.get(at..).ok_or_else(bad)?, BYTE_RANGE_PLACEHOLDER.as_bytes()).ok_or_else(bad)?;
    let c = br + BYTE_RANGE_PLACEHOLDER.len() + "/Contents ".len();
    if out.get(c) != Some(&b'<') {
        return Err(bad());
    }
    let close = c + super::object::find(out.get(c..).ok_or_else(bad)?, b">").ok_or_else(bad)?;
    let (b, c2) = (c, close + 1);
    let len = out.len();
    let filled = format!("/ByteRange [0 {b:<10} {c2:<10} {:<10}]", len - c2);
    if filled.len() != BYTE_RANGE_PLACEHOLDER.len() {
        return Err(pdf_error(PdfSignError::Unsupported("the PDF is too large to sign")));
    }
    out.get_mut(br..br + filled.len())
        .ok_or_else(bad)?
        .copy_from_slice(filled.as_bytes());
    let mut signed = Vec::with_capacity(len - (c2 - b));
    signed.extend_from_slice(out.get(..b).ok_or_else(bad)?);
    signed.extend_from_slice(out.get(c2..).ok_or_else(bad)?);
    Ok((signed, c + 1..close))
}

fn embed(out: &mut [u8], hex_at: std::ops::Range<usize>, value: &[u8]) -> Result<(), SignError> {
    let hex = hex::encode_upper(value);
    let room = hex_at.len();
    if hex.len() > room {
        return Err(pdf_error(PdfSignError::TooLarge {
            size: value.len(),
            reserved: room / 2,
        }));
    }
    let slot = out
        .get_mut(hex_at.start..hex_at.start + hex.len())
        .ok_or(pdf_error(PdfSignError::Unsupported("no room")))?;
    slot.copy_from_slice(hex.as_bytes());
    Ok(())
}

/// Sign `input` with an approval (or certification) signature at `options.level`: B-B or
/// B-T in one incremental update, B-LT with a DSS in a second, B-LTA with a document
/// time-stamp in a third. Returns the signed file; its earlier bytes are unchanged.
pub fn sign_pdf(
    input: &[u8],
    signer: &dyn Signer,
    what: &PdfSigning,
    options: &SignOptions,
    provider: &dyn CryptoProvider,
) -> Result<Vec<u8>, SignError> {
    let mut up = Update::new(input)?;
    // The document and its placement first, then the signer.
    let existing = super::signature::signatures(&up.pdf).map_err(|e| up.doc(e))?.0.len();
    if what.certify.is_some() && existing > 0 {
        return Err(pdf_error(PdfSignError::CertifyAfterSigning));
    }
    crate::sign::check_signer(signer.certificate(), options, provider)?;
    let timestamped = matches!(options.level, Level::BT | Level::BLT | Level::BLTA);
    if timestamped && options.tsa.is_none() {
        return Err(SignError::NoTimestampAuthority);
    }
    if matches!(options.level, Level::BLT | Level::BLTA) {
        let ev = &options.revocation_values;
        if ev.crls.is_empty() && ev.ocsp.is_empty() {
            return Err(SignError::NoRevocationValues);
        }
    }
    let reserve = match what.reserve {
        0 => 16 * 1024 + if timestamped { 8 * 1024 } else { 0 } + options.chain.len() * 2048,
        n => n,
    };
    let sig = up.alloc();
    let mut extra = Dict::default();
    extra.set("M", text_object(&pdf_date(options.signing_time)));
    for (key, v) in [
        ("Reason", &what.reason),
        ("Location", &what.location),
        ("ContactInfo", &what.contact_info),
    ] {
        if let Some(v) = v {
            extra.set(key, text_object(v));
        }
    }
    if let Some(cn) = signer.certificate().subject().common_name() {
        extra.set("Name", text_object(&cn));
    }
    if let Some(p) = what.certify {
        if !(1..=3).contains(&p) {
            return Err(pdf_error(PdfSignError::Unsupported("DocMDP /P is 1, 2 or 3")));
        }
        let mut params = Dict::default();
        params.set("Type", Dict::name_object("TransformParams"));
        params.set("P", Object::Int(i64::from(p)));
        params.set("V", Dict::name_object("1.2"));
        let mut r = Dict::default();
        r.set("Type", Dict::name_object("SigRef"));
        r.set("TransformMethod", Dict::name_object("DocMDP"));
        r.set("TransformParams", Object::Dict(params));
        extra.set("Reference", Object::Array(vec![Object::Dict(r)]));
        let mut perms = Dict::default();
        perms.set("DocMDP", Object::Ref(ObjRef { num: sig, gen: 0 }));
        up.catalog.set("Perms", Object::Dict(perms));
    }
    let sub_filter = match what.sub_filter {
        SubFilter::CadesDetached => "ETSI.CAdES.detached",
        SubFilter::Pkcs7Detached => "adbe.pkcs7.detached",
    };
    let extra = up.sealed_raw(sig, extra)?;
    up.put(sig, sig_dict("Sig", sub_filter, reserve, &extra));
    let visible = what.visible.clone().map(|mut v| {
        if v.lines.is_empty() {
            v.lines = default_lines(signer.certificate(), options.signing_time, what.reason.as_deref());
        }
        v
    });
    let page = visible.as_ref().map_or(what.page.unwrap_or(1), |v| v.placement.page);
    up.add_field(what.field.as_deref(), sig, page, visible.as_ref())?;
    let mut out = up.finish()?;
    let (signed, hex_at) = lay_out(&mut out, sig)?;
    let mut cms_options = options.clone();
    cms_options.detached = true;
    cms_options.level = if timestamped { Level::BT } else { Level::BB };
    cms_options.signing_time_attribute = what.sub_filter == SubFilter::Pkcs7Detached;
    // The pre-signing check ran above.
    cms_options.check_against = None;
    let cms = crate::sign::sign(crate::sign::Content::Bytes(&signed), signer, &cms_options, provider)?;
    embed(&mut out, hex_at, &cms)?;
    if matches!(options.level, Level::BLT | Level::BLTA) {
        let mut certs: Vec<Certificate> = vec![signer.certificate().clone()];
        certs.extend(options.chain.iter().cloned());
        certs.extend(options.revocation_values.responder_certs.iter().cloned());
        out = add_dss(&out, &certs, &options.revocation_values)?;
    }
    if options.level == Level::BLTA {
        let tsa = options.tsa.as_deref().ok_or(SignError::NoTimestampAuthority)?;
        out = timestamp_pdf(&out, tsa, options.signing_time, provider)?;
    }
    Ok(out)
}

/// Append a DSS (the certificates, CRLs and OCSP responses given, each once, as streams)
/// in an incremental update; an existing DSS's entries are kept.
pub fn add_dss(
    input: &[u8],
    certs: &[Certificate],
    evidence: &crate::revocation::RevocationEvidence,
) -> Result<Vec<u8>, SignError> {
    let mut up = Update::new(input)?;
    let old = match up.catalog.get("DSS") {
        Some(o) => up
            .pdf
            .resolve(up.last, o)
            .map_err(|e| up.doc(e))?
            .as_dict()
            .cloned()
            .unwrap_or_default(),
        None => Dict::default(),
    };
    let mut dss = Dict::default();
    dss.set("Type", Dict::name_object("DSS"));
    let mut lists: Vec<(&str, Vec<Vec<u8>>)> = vec![
        ("Certs", certs.iter().map(|c| c.der().to_vec()).collect()),
        ("CRLs", evidence.crls.iter().map(|c| c.der().to_vec()).collect()),
        ("OCSPs", evidence.ocsp.iter().map(|o| o.response_der.clone()).collect()),
    ];
    for (key, items) in &mut lists {
        let mut refs: Vec<Object> = match old
            .get(key)
            .map(|a| up.pdf.resolve(up.last, a))
            .transpose()
            .map_err(|e| up.doc(e))?
        {
            Some(Object::Array(a)) => a,
            _ => Vec::new(),
        };
        items.sort();
        items.dedup();
        for der in items.iter() {
            let n = up.alloc();
            let mut body = format!("<</Length {}>>\nstream\n", der.len()).into_bytes();
            body.extend_from_slice(der);
            body.extend_from_slice(b"\nendstream");
            up.put(n, body);
            refs.push(Object::Ref(ObjRef { num: n, gen: 0 }));
        }
        if !refs.is_empty() {
            dss.set(key, Object::Array(refs));
        }
    }
    let n = up.alloc();
    up.put(n, dss.to_pdf().into_bytes());
    up.catalog.set("DSS", Object::Ref(ObjRef { num: n, gen: 0 }));
    up.finish()
}

/// Append a document time-stamp (`/SubFilter /ETSI.RFC3161`): a time-stamp token from `tsa`
/// over the whole file as it then is (PAdES B-LTA, or a time-stamp alone).
pub fn timestamp_pdf(
    input: &[u8],
    tsa: &dyn TimestampAuthority,
    now: crate::Time,
    provider: &dyn CryptoProvider,
) -> Result<Vec<u8>, SignError> {
    let mut up = Update::new(input)?;
    let sig = up.alloc();
    let extra = up.sealed_raw(sig, Dict::default())?;
    up.put(sig, sig_dict("DocTimeStamp", "ETSI.RFC3161", 12 * 1024, &extra));
    up.add_field(None, sig, 1, None)?;
    let mut out = up.finish()?;
    let (signed, hex_at) = lay_out(&mut out, sig)?;
    let imprint = provider.digest(HashAlgorithm::Sha256, &signed);
    let nonce = provider.digest(HashAlgorithm::Sha256, &[&imprint[..], &now.0.to_be_bytes()].concat());
    let nonce = nonce.get(..8).unwrap_or(&[]).to_vec();
    let token = tsa.timestamp(HashAlgorithm::Sha256, &imprint, &nonce)?;
    crate::cms::tsp::check_received(&token, &imprint, &nonce)
        .map_err(|e| SignError::Timestamp(crate::sign::TimestampError::Response(e)))?;
    embed(&mut out, hex_at, &token)?;
    Ok(out)
}
