//! A visible signature's appearance: a rectangle on a page with the signer, the organisation
//! and the signing time in Vietnam time, in a subset of a TrueType font with Vietnamese
//! glyphs embedded as a CID font (Identity-H, with a ToUnicode map so the text can be copied
//! and searched), and an optional image (a seal or a handwritten signature, PNG or JPEG).

use std::io::Write;

use unicode_normalization::UnicodeNormalization;

use super::object::{Dict, ObjRef, Object};
use super::sign::PdfSignError;

/// Where to draw, in PDF points from the page's bottom left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// The page, from 1.
    pub page: usize,
    /// Left.
    pub x: f64,
    /// Bottom.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Placement {
    /// `PAGE,X,Y,W,H` as `kyso sign --visible` takes it.
    pub fn parse(text: &str) -> Option<Placement> {
        let v: Vec<&str> = text.split(',').map(str::trim).collect();
        let [p, x, y, w, h] = v.as_slice() else { return None };
        let f = |s: &str| s.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
        let page = p.parse::<usize>().ok().filter(|p| *p >= 1)?;
        let (width, height) = (f(w)?, f(h)?);
        if width < 1.0 || height < 1.0 {
            return None;
        }
        Some(Placement {
            page,
            x: f(x)?,
            y: f(y)?,
            width,
            height,
        })
    }
}

/// The fonts tried when none is given: Debian's DejaVu Sans, Noto Sans, Liberation Sans.
pub const DEFAULT_FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
];

/// An image to draw beside the text.
#[derive(Debug, Clone)]
pub struct Image {
    /// Its file's bytes (PNG or JPEG).
    pub data: Vec<u8>,
}

/// What the appearance shows.
#[derive(Debug, Clone)]
pub struct Visible {
    /// Where.
    pub placement: Placement,
    /// The lines of text (already in the order shown).
    pub lines: Vec<String>,
    /// A TrueType/OpenType font file with the glyphs of the text.
    pub font: Vec<u8>,
    /// An optional image, drawn at the left (or filling the box when there is no text).
    pub image: Option<Image>,
}

/// An object to write: its number and its body.
type Written = (u32, Vec<u8>);

/// The PDF objects of an appearance, to be written by the signer under numbers it gives.
pub(crate) struct Objects {
    /// (number, body) of each object, the form XObject first.
    pub objects: Vec<(u32, Vec<u8>)>,
    /// The form XObject (`/AP /N`).
    pub form: u32,
}

fn bad(what: &'static str) -> PdfSignError {
    PdfSignError::Unsupported(what)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

fn stream(dict: &mut Dict, data: &[u8]) -> Vec<u8> {
    dict.set("Length", Object::Int(data.len() as i64));
    let mut body = dict.to_pdf().into_bytes();
    body.extend_from_slice(b"\nstream\n");
    body.extend_from_slice(data);
    body.extend_from_slice(b"\nendstream");
    body
}

fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Build the appearance's objects, numbering them from `alloc`.
pub(crate) fn build(v: &Visible, alloc: &mut dyn FnMut() -> u32) -> Result<Objects, PdfSignError> {
    let face =
        ttf_parser::Face::parse(&v.font, 0).map_err(|_| bad("the font cannot be read (TrueType or OpenType)"))?;
    let upem = f64::from(face.units_per_em());
    // Every character of the text as a glyph (NFC: Vietnamese letters as their precomposed
    // forms, which fonts with Vietnamese coverage have).
    let lines: Vec<Vec<(char, u16)>> = v
        .lines
        .iter()
        .map(|l| {
            l.nfc()
                .map(|c| {
                    face.glyph_index(c).map(|g| (c, g.0)).ok_or(PdfSignError::Unsupported(
                        "the font has no glyph for a character of the text",
                    ))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<_, _>>()?;
    let mut remapper = subsetter::GlyphRemapper::new();
    for (_, g) in lines.iter().flatten() {
        remapper.remap(*g);
    }
    let subset = subsetter::subset(&v.font, 0, &remapper).map_err(|_| bad("the font cannot be subset"))?;
    let advance = |g: u16| f64::from(face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0)) / upem;
    let p = v.placement;
    let pad = 3.0;
    // The image takes the left part when there is text, the whole box otherwise.
    let text_left = if v.image.is_some() && !lines.is_empty() {
        p.height.min(p.width / 2.0)
    } else {
        0.0
    };
    let text_width = (p.width - text_left - 2.0 * pad).max(1.0);
    let widest = lines
        .iter()
        .map(|l| l.iter().map(|(_, g)| advance(*g)).sum::<f64>())
        .fold(0.0, f64::max);
    let by_width = if widest > 0.0 { text_width / widest } else { 10.0 };
    let by_height = (p.height - 2.0 * pad) / (lines.len().max(1) as f64 * 1.25);
    let size = by_width.min(by_height).clamp(1.0, 10.0);

    let (form, font, descendant, descriptor, file, tounicode) = (alloc(), alloc(), alloc(), alloc(), alloc(), alloc());
    let mut objects = Vec::new();
    let mut content = String::new();
    // A thin frame.
    content.push_str(&format!(
        "q 0.8 0 0 RG 0.8 w 0.4 0.4 {} {} re S Q\n",
        num(p.width - 0.8),
        num(p.height - 0.8)
    ));
    let mut resources = Dict::default();
    let mut fonts = Dict::default();
    fonts.set("F1", Object::Ref(ObjRef { num: font, gen: 0 }));
    resources.set("Font", Object::Dict(fonts));
    if let Some(img) = &v.image {
        let (w, h, image_objects) = image(img, alloc)?;
        let im = image_objects.first().map(|(n, _)| *n).unwrap_or(0);
        objects.extend(image_objects);
        let mut xo = Dict::default();
        xo.set("Im1", Object::Ref(ObjRef { num: im, gen: 0 }));
        resources.set("XObject", Object::Dict(xo));
        // Fit, keeping the aspect ratio.
        let (bw, bh) = (
            if text_left > 0.0 { text_left } else { p.width } - 2.0 * pad,
            p.height - 2.0 * pad,
        );
        let scale = (bw / w).min(bh / h);
        let (dw, dh) = (w * scale, h * scale);
        content.push_str(&format!(
            "q {} 0 0 {} {} {} cm /Im1 Do Q\n",
            num(dw),
            num(dh),
            num(pad + (bw - dw) / 2.0),
            num(pad + (bh - dh) / 2.0)
        ));
    }
    if !lines.is_empty() {
        content.push_str(&format!("BT 0 0 0 rg /F1 {} Tf {} TL\n", num(size), num(size * 1.25)));
        content.push_str(&format!("{} {} Td\n", num(text_left + pad), num(p.height - pad - size)));
        for l in &lines {
            let hex: String = l
                .iter()
                .map(|(_, g)| format!("{:04X}", remapper.get(*g).unwrap_or(0)))
                .collect();
            content.push_str(&format!("<{hex}> Tj T*\n"));
        }
        content.push_str("ET\n");
    }
    let mut fd = Dict::default();
    fd.set("Type", Dict::name_object("XObject"));
    fd.set("Subtype", Dict::name_object("Form"));
    fd.set(
        "BBox",
        Object::Array(vec![
            Object::Int(0),
            Object::Int(0),
            Object::Real(p.width),
            Object::Real(p.height),
        ]),
    );
    fd.set("Resources", Object::Dict(resources));
    fd.set("Filter", Dict::name_object("FlateDecode"));
    objects.insert(0, (form, stream(&mut fd, &deflate(content.as_bytes()))));

    // The font: Type0 over a CIDFontType2, glyphs addressed by their subset ids.
    let name = format!(
        "KYSOAA+{}",
        face.names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME && n.is_unicode())
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| "Font".into())
            .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
    );
    let mut t0 = Dict::default();
    t0.set("Type", Dict::name_object("Font"));
    t0.set("Subtype", Dict::name_object("Type0"));
    t0.set("BaseFont", Dict::name_object(&name));
    t0.set("Encoding", Dict::name_object("Identity-H"));
    t0.set(
        "DescendantFonts",
        Object::Array(vec![Object::Ref(ObjRef {
            num: descendant,
            gen: 0,
        })]),
    );
    t0.set("ToUnicode", Object::Ref(ObjRef { num: tounicode, gen: 0 }));
    objects.push((font, t0.to_pdf().into_bytes()));
    let mut glyphs: Vec<(u16, u16, char)> = lines
        .iter()
        .flatten()
        .map(|(c, g)| (remapper.get(*g).unwrap_or(0), *g, *c))
        .collect();
    glyphs.sort_unstable();
    glyphs.dedup_by_key(|x| x.0);
    let mut widths = Vec::new();
    for (new, old, _) in &glyphs {
        widths.push(Object::Int(i64::from(*new)));
        widths.push(Object::Array(vec![
            Object::Int((advance(*old) * 1000.0).round() as i64),
        ]));
    }
    let mut cid = Dict::default();
    cid.set("Type", Dict::name_object("Font"));
    cid.set("Subtype", Dict::name_object("CIDFontType2"));
    cid.set("BaseFont", Dict::name_object(&name));
    let mut info = Dict::default();
    info.set(
        "Registry",
        Object::String(super::object::PdfString {
            bytes: b"Adobe".to_vec(),
            hex: false,
            span: 0..0,
        }),
    );
    info.set(
        "Ordering",
        Object::String(super::object::PdfString {
            bytes: b"Identity".to_vec(),
            hex: false,
            span: 0..0,
        }),
    );
    info.set("Supplement", Object::Int(0));
    cid.set("CIDSystemInfo", Object::Dict(info));
    cid.set(
        "FontDescriptor",
        Object::Ref(ObjRef {
            num: descriptor,
            gen: 0,
        }),
    );
    cid.set("W", Object::Array(widths));
    cid.set("CIDToGIDMap", Dict::name_object("Identity"));
    objects.push((descendant, cid.to_pdf().into_bytes()));
    let bbox = face.global_bounding_box();
    let scale = |v: i16| Object::Int((f64::from(v) * 1000.0 / upem).round() as i64);
    let mut desc = Dict::default();
    desc.set("Type", Dict::name_object("FontDescriptor"));
    desc.set("FontName", Dict::name_object(&name));
    desc.set("Flags", Object::Int(32));
    desc.set(
        "FontBBox",
        Object::Array(vec![
            scale(bbox.x_min),
            scale(bbox.y_min),
            scale(bbox.x_max),
            scale(bbox.y_max),
        ]),
    );
    desc.set("ItalicAngle", Object::Int(0));
    desc.set("Ascent", scale(face.ascender()));
    desc.set("Descent", scale(face.descender()));
    desc.set("CapHeight", scale(face.capital_height().unwrap_or(face.ascender())));
    desc.set("StemV", Object::Int(80));
    desc.set("FontFile2", Object::Ref(ObjRef { num: file, gen: 0 }));
    objects.push((descriptor, desc.to_pdf().into_bytes()));
    let mut ff = Dict::default();
    ff.set("Filter", Dict::name_object("FlateDecode"));
    ff.set("Length1", Object::Int(subset.len() as i64));
    objects.push((file, stream(&mut ff, &deflate(&subset))));
    // ToUnicode: each subset glyph id to its character (UTF-16BE).
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
    );
    for chunk in glyphs.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (new, _, c) in chunk {
            let mut buf = [0u16; 2];
            let units: String = c.encode_utf16(&mut buf).iter().map(|u| format!("{u:04X}")).collect();
            cmap.push_str(&format!("<{new:04X}> <{units}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap CMapName currentdict /CMap defineresource pop end end\n");
    let mut tu = Dict::default();
    objects.push((tounicode, stream(&mut tu, cmap.as_bytes())));
    Ok(Objects { objects, form })
}

/// An image XObject (and its soft mask for a PNG with transparency): its width, height and
/// objects, the image first.
fn image(img: &Image, alloc: &mut dyn FnMut() -> u32) -> Result<(f64, f64, Vec<Written>), PdfSignError> {
    let data = &img.data;
    let num = alloc();
    let mut d = Dict::default();
    d.set("Type", Dict::name_object("XObject"));
    d.set("Subtype", Dict::name_object("Image"));
    d.set("BitsPerComponent", Object::Int(8));
    if data.starts_with(&[0xFF, 0xD8]) {
        let (w, h, comps) = jpeg_size(data).ok_or(bad("the JPEG image cannot be read"))?;
        d.set("Width", Object::Int(i64::from(w)));
        d.set("Height", Object::Int(i64::from(h)));
        d.set(
            "ColorSpace",
            Dict::name_object(match comps {
                1 => "DeviceGray",
                4 => "DeviceCMYK",
                _ => "DeviceRGB",
            }),
        );
        d.set("Filter", Dict::name_object("DCTDecode"));
        return Ok((f64::from(w), f64::from(h), vec![(num, stream(&mut d, data))]));
    }
    if !data.starts_with(b"\x89PNG") {
        return Err(bad("the image is neither PNG nor JPEG"));
    }
    let mut decoder = png::Decoder::new(std::io::Cursor::new(data.as_slice()));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|_| bad("the PNG image cannot be read"))?;
    let (w, h) = (reader.info().width, reader.info().height);
    if u64::from(w) * u64::from(h) > 16_000_000 {
        return Err(bad("the image is larger than 16 megapixels"));
    }
    let mut buf = vec![0; reader.output_buffer_size().ok_or(bad("the PNG image is too large"))?];
    let frame = reader
        .next_frame(&mut buf)
        .map_err(|_| bad("the PNG image cannot be decoded"))?;
    let pixels = buf.get(..frame.buffer_size()).unwrap_or(&[]);
    let (colour, alpha): (Vec<u8>, Option<Vec<u8>>) = match frame.color_type {
        png::ColorType::Rgba => (
            pixels.chunks(4).flat_map(|p| p.iter().take(3).copied()).collect(),
            Some(pixels.chunks(4).map(|p| p.get(3).copied().unwrap_or(255)).collect()),
        ),
        png::ColorType::GrayscaleAlpha => (
            pixels.chunks(2).map(|p| p.first().copied().unwrap_or(0)).collect(),
            Some(pixels.chunks(2).map(|p| p.get(1).copied().unwrap_or(255)).collect()),
        ),
        _ => (pixels.to_vec(), None),
    };
    let gray = matches!(
        frame.color_type,
        png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha
    );
    d.set("Width", Object::Int(i64::from(w)));
    d.set("Height", Object::Int(i64::from(h)));
    d.set(
        "ColorSpace",
        Dict::name_object(if gray { "DeviceGray" } else { "DeviceRGB" }),
    );
    d.set("Filter", Dict::name_object("FlateDecode"));
    let mut out = Vec::new();
    if let Some(a) = alpha {
        let mask = alloc();
        d.set("SMask", Object::Ref(ObjRef { num: mask, gen: 0 }));
        let mut m = Dict::default();
        m.set("Type", Dict::name_object("XObject"));
        m.set("Subtype", Dict::name_object("Image"));
        m.set("Width", Object::Int(i64::from(w)));
        m.set("Height", Object::Int(i64::from(h)));
        m.set("ColorSpace", Dict::name_object("DeviceGray"));
        m.set("BitsPerComponent", Object::Int(8));
        m.set("Filter", Dict::name_object("FlateDecode"));
        out.push((num, stream(&mut d, &deflate(&colour))));
        out.push((mask, stream(&mut m, &deflate(&a))));
    } else {
        out.push((num, stream(&mut d, &deflate(&colour))));
    }
    Ok((f64::from(w), f64::from(h), out))
}

/// A JPEG's width, height and components, from its first SOF marker.
fn jpeg_size(d: &[u8]) -> Option<(u16, u16, u8)> {
    let mut i = 2;
    while i + 9 < d.len() {
        if *d.get(i)? != 0xFF {
            return None;
        }
        let marker = *d.get(i + 1)?;
        let len = usize::from(u16::from_be_bytes([*d.get(i + 2)?, *d.get(i + 3)?]));
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let h = u16::from_be_bytes([*d.get(i + 5)?, *d.get(i + 6)?]);
            let w = u16::from_be_bytes([*d.get(i + 7)?, *d.get(i + 8)?]);
            return Some((w, h, *d.get(i + 9)?));
        }
        i += 2 + len;
    }
    None
}
