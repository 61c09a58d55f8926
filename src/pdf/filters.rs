//! The stream filters kyso needs to read a file's structure (xref and object streams):
//! FlateDecode with the PNG and TIFF predictors, ASCIIHexDecode; each bounded by
//! [`MAX_STREAM_SIZE`].

use std::io::Read;

use super::object::{Dict, Object};
use super::PdfError;

/// The largest stream kyso decodes (a ZIP-bomb-like stream ends with an error at this size).
pub const MAX_STREAM_SIZE: usize = 64 << 20;

/// `raw` decoded through the filters `dict` names.
pub(crate) fn decode(dict: &Dict, raw: &[u8]) -> Result<Vec<u8>, PdfError> {
    let filters: Vec<&[u8]> = match dict.get("Filter") {
        None | Some(Object::Null) => Vec::new(),
        Some(Object::Name(n)) => vec![n.as_slice()],
        Some(Object::Array(a)) => a
            .iter()
            .map(|f| match f {
                Object::Name(n) => Ok(n.as_slice()),
                _ => Err(PdfError::Filter("a filter that is not a name".into())),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(PdfError::Filter("a /Filter that is not a name or an array".into())),
    };
    let params: Vec<Option<&Dict>> = match dict.get("DecodeParms") {
        Some(Object::Dict(d)) => vec![Some(d)],
        Some(Object::Array(a)) => a.iter().map(Object::as_dict).collect(),
        _ => Vec::new(),
    };
    let mut data = raw.to_vec();
    for (i, f) in filters.iter().enumerate() {
        let p = params.get(i).copied().flatten();
        data = match *f {
            b"FlateDecode" | b"Fl" => predict(inflate(&data)?, p)?,
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(&data)?,
            // Decryption (`Pdf::stream`) has been done before these filters run.
            b"Crypt" => data,
            other => {
                return Err(PdfError::Filter(format!(
                    "the filter /{} is not one kyso decodes",
                    String::from_utf8_lossy(other)
                )))
            }
        };
    }
    Ok(data)
}

fn inflate(data: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::new();
    let r = flate2::read::ZlibDecoder::new(data)
        .take(MAX_STREAM_SIZE as u64 + 1)
        .read_to_end(&mut out);
    if out.len() > MAX_STREAM_SIZE {
        return Err(PdfError::TooLarge {
            what: "a decoded stream",
        });
    }
    match r {
        Ok(_) => Ok(out),
        // Many writers end a stream without the zlib checksum: what was inflated counts.
        Err(_) if !out.is_empty() => Ok(out),
        Err(e) => Err(PdfError::Filter(format!("FlateDecode: {e}"))),
    }
}

fn ascii_hex(data: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut high = None;
    for &c in data {
        let v = match c {
            b'>' => break,
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            c if super::object::is_white(c) => continue,
            _ => return Err(PdfError::Filter("ASCIIHexDecode: not hex".into())),
        };
        match high.take() {
            None => high = Some(v),
            Some(h) => out.push(h << 4 | v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    Ok(out)
}

/// Undo a predictor (ISO 32000-1 §7.4.4.4): PNG (10–15, a filter byte per row) or TIFF 2.
fn predict(data: Vec<u8>, params: Option<&Dict>) -> Result<Vec<u8>, PdfError> {
    let Some(p) = params else { return Ok(data) };
    let predictor = p.int("Predictor").unwrap_or(1);
    if predictor <= 1 {
        return Ok(data);
    }
    let colors = p.int("Colors").unwrap_or(1).clamp(1, 32) as usize;
    let bits = p.int("BitsPerComponent").unwrap_or(8).clamp(1, 16) as usize;
    let columns = p.int("Columns").unwrap_or(1).clamp(1, 1 << 20) as usize;
    let bpp = (colors * bits).div_ceil(8).max(1);
    let row = (colors * bits * columns).div_ceil(8);
    if predictor == 2 {
        if bits != 8 {
            return Err(PdfError::Filter("TIFF predictor with other than 8 bits".into()));
        }
        let mut out = data;
        for r in out.chunks_mut(row) {
            for i in bpp..r.len() {
                let left = r.get(i - bpp).copied().unwrap_or(0);
                if let Some(v) = r.get_mut(i) {
                    *v = v.wrapping_add(left);
                }
            }
        }
        return Ok(out);
    }
    if predictor < 10 {
        return Err(PdfError::Filter(format!("predictor {predictor}")));
    }
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (kind, body) = match chunk.split_first() {
            Some((k, b)) => (*k, b),
            None => break,
        };
        let mut cur = body.to_vec();
        cur.resize(row, 0);
        for i in 0..row {
            let a = if i >= bpp {
                cur.get(i - bpp).copied().unwrap_or(0)
            } else {
                0
            };
            let b = prev.get(i).copied().unwrap_or(0);
            let c = if i >= bpp {
                prev.get(i - bpp).copied().unwrap_or(0)
            } else {
                0
            };
            let x = cur.get(i).copied().unwrap_or(0);
            let v = match kind {
                0 => x,
                1 => x.wrapping_add(a),
                2 => x.wrapping_add(b),
                3 => x.wrapping_add(((u16::from(a) + u16::from(b)) / 2) as u8),
                4 => {
                    let pa = (i16::from(b) - i16::from(c)).abs();
                    let pb = (i16::from(a) - i16::from(c)).abs();
                    let pc = (i16::from(a) + i16::from(b) - 2 * i16::from(c)).abs();
                    let pred = if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    };
                    x.wrapping_add(pred)
                }
                _ => return Err(PdfError::Filter(format!("PNG row filter {kind}"))),
            };
            if let Some(slot) = cur.get_mut(i) {
                *slot = v;
            }
        }
        out.extend_from_slice(cur.get(..body.len().min(row)).unwrap_or(&[]));
        prev = cur;
    }
    Ok(out)
}
