//! Cross-reference sections (tables, streams, hybrid files) and the revisions they make, with
//! the byte offset where each revision ends; a reconstruction from the objects themselves
//! when the sections cannot be read.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use super::object::{find, indirect_text_at, is_white, rfind, Dict, Lexer, ObjRef, Object};
use super::{filters, PdfError, PdfWarning, MAX_OBJECTS};

/// Where an object is, as a cross-reference section says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// At a byte offset of the file, with its generation.
    InFile {
        /// The offset of `N G obj`.
        offset: usize,
        /// The generation.
        gen: u16,
    },
    /// The `index`-th object of the object stream `stream`.
    InStream {
        /// The object stream's number.
        stream: u32,
        /// Its index there.
        index: usize,
    },
    /// Free (deleted).
    Free,
}

/// One cross-reference section and its trailer.
#[derive(Debug, Clone)]
pub struct Section {
    /// Where it starts (`xref`, or the xref stream's `N G obj`).
    pub offset: usize,
    /// The trailer dictionary (an xref stream's dictionary).
    pub trailer: Dict,
    /// Its entries.
    pub entries: BTreeMap<u32, Entry>,
    /// A table with an `/XRefStm` (a hybrid-reference file).
    pub hybrid: bool,
    /// An xref stream rather than a table.
    pub stream: bool,
    /// The bytes its text was lexed from (a table and its trailer; an xref stream's
    /// dictionary; a hybrid table's stream too), its streams' data aside.
    pub text: Vec<Range<usize>>,
}

/// The sections of a file, newest first, and the revisions they make.
#[derive(Debug, Clone)]
pub struct XrefChain {
    /// Newest first.
    pub sections: Vec<Section>,
    /// For each revision, oldest first: the end offset (just after its `%%EOF` line) and how
    /// many of the oldest sections it takes in (chain order reversed).
    pub revisions: Vec<(usize, usize)>,
}

/// The section chain of `data` from its last `startxref`, or why it cannot be read.
pub(crate) fn read_chain(data: &[u8], warnings: &mut Vec<PdfWarning>) -> Result<XrefChain, PdfError> {
    let tail_from = data.len().saturating_sub(4096);
    let tail = data.get(tail_from..).unwrap_or(&[]);
    let at = rfind(tail, b"startxref").ok_or(PdfError::NoStartxref)?;
    let mut lx = Lexer::new(data, tail_from + at + 9);
    let first = lx
        .uint()
        .and_then(|v| usize::try_from(v).ok())
        .ok_or(PdfError::NoStartxref)?;
    let mut sections = Vec::new();
    let mut seen = HashSet::new();
    let mut next = Some(first);
    while let Some(offset) = next {
        if !seen.insert(offset) {
            warnings.push(PdfWarning::XrefLoop { offset });
            break;
        }
        if sections.len() >= 10_000 {
            return Err(PdfError::TooLarge {
                what: "cross-reference sections",
            });
        }
        let s = read_section(data, offset)?;
        next = match s.trailer.get("Prev") {
            Some(Object::Int(p)) => usize::try_from(*p).ok(),
            _ => None,
        };
        sections.push(s);
    }
    let revisions = revisions(data, &sections);
    Ok(XrefChain { sections, revisions })
}

/// Group the sections (newest first) into revisions, oldest first: a revision ends at the
/// `%%EOF` after the `startxref` that names its newest section (a linearized file's main
/// table has none and belongs with the first-page section that points to it).
fn revisions(data: &[u8], sections: &[Section]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let n = sections.len();
    let mut taken = 0;
    // Oldest first: index n-1 down to 0.
    for (i, s) in sections.iter().enumerate().rev() {
        let count = n - i;
        if let Some(end) = end_of_revision(data, s.offset) {
            if count > taken {
                out.push((end, count));
                taken = count;
            }
        } else if i == 0 && count > taken {
            // The newest section without its own %%EOF: the file's end.
            out.push((data.len(), count));
        }
    }
    // Ends must grow with the revisions; a section out of order ends with the next one.
    let mut fixed: Vec<(usize, usize)> = Vec::new();
    for (end, count) in out {
        match fixed.last_mut() {
            Some(last) if end <= last.0 => last.1 = count,
            _ => fixed.push((end, count)),
        }
    }
    fixed
}

/// Just after the `%%EOF` line that follows `startxref OFFSET` after `offset`.
fn end_of_revision(data: &[u8], offset: usize) -> Option<usize> {
    let mut from = offset;
    loop {
        let rest = data.get(from..)?;
        let at = from + find(rest, b"startxref")?;
        let mut lx = Lexer::new(data, at + 9);
        let named = lx.uint();
        from = at + 9;
        if named.and_then(|v| usize::try_from(v).ok()) != Some(offset) {
            continue;
        }
        lx.skip_white_no_comment();
        if data.get(lx.pos..lx.pos + 5) != Some(b"%%EOF") {
            continue;
        }
        let mut end = lx.pos + 5;
        if data.get(end) == Some(&b'\r') {
            end += 1;
        }
        if data.get(end) == Some(&b'\n') {
            end += 1;
        }
        return Some(end);
    }
}

impl Lexer<'_> {
    fn skip_white_no_comment(&mut self) {
        while self.data.get(self.pos).is_some_and(|b| is_white(*b)) {
            self.pos += 1;
        }
    }
}

fn read_section(data: &[u8], offset: usize) -> Result<Section, PdfError> {
    let mut lx = Lexer::new(data, offset);
    if lx.keyword(b"xref") {
        let mut entries = BTreeMap::new();
        // Subsections: `start count`, then `count` entries `offset gen n|f`.
        loop {
            lx.skip_white();
            if lx.word() == b"trailer" {
                lx.pos += 7;
                break;
            }
            let (Some(start), Some(count)) = (lx.uint(), lx.uint()) else {
                return Err(PdfError::BadXref { offset: lx.pos });
            };
            if count > MAX_OBJECTS as u64 || entries.len() as u64 + count > MAX_OBJECTS as u64 {
                return Err(PdfError::TooLarge { what: "objects" });
            }
            for i in 0..count {
                let (Some(off), Some(gen)) = (lx.uint(), lx.uint()) else {
                    return Err(PdfError::BadXref { offset: lx.pos });
                };
                lx.skip_white();
                let kind = lx.word();
                let entry = match kind {
                    b"n" => Entry::InFile {
                        offset: usize::try_from(off).map_err(|_| PdfError::BadXref { offset: lx.pos })?,
                        gen: u16::try_from(gen).unwrap_or(u16::MAX),
                    },
                    b"f" => Entry::Free,
                    _ => return Err(PdfError::BadXref { offset: lx.pos }),
                };
                lx.pos += 1;
                let num = u32::try_from(start + i).map_err(|_| PdfError::BadXref { offset: lx.pos })?;
                // Object 0 at offset 0 marked `n` (a writer's slip) is the free head.
                if !(num == 0 && matches!(entry, Entry::InFile { offset: 0, .. })) {
                    entries.insert(num, entry);
                }
            }
        }
        let trailer = match lx.object(0)? {
            Object::Dict(d) => d,
            _ => return Err(PdfError::BadXref { offset: lx.pos }),
        };
        let mut text: Vec<Range<usize>> = std::iter::once(offset..lx.pos).collect();
        let mut hybrid = false;
        if let Some(Object::Int(x)) = trailer.get("XRefStm") {
            // A hybrid-reference file: the stream's entries for what the table leaves out.
            if let Ok(s) = usize::try_from(*x)
                .map_err(|_| PdfError::BadXref { offset })
                .and_then(|x| xref_stream(data, x))
            {
                hybrid = true;
                text.extend(s.text);
                for (k, v) in s.entries {
                    match entries.get(&k) {
                        None | Some(Entry::Free) => {
                            entries.insert(k, v);
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        Ok(Section {
            offset,
            trailer,
            entries,
            hybrid,
            stream: false,
            text,
        })
    } else {
        xref_stream(data, offset)
    }
}

fn xref_stream(data: &[u8], offset: usize) -> Result<Section, PdfError> {
    let (_, object, text_end) = indirect_text_at(data, offset).map_err(|_| PdfError::BadXref { offset })?;
    let Object::Stream(dict, range) = object else {
        return Err(PdfError::BadXref { offset });
    };
    if dict.name("Type") != Some(b"XRef") {
        return Err(PdfError::BadXref { offset });
    }
    let raw = data.get(range).ok_or(PdfError::BadXref { offset })?;
    let decoded = filters::decode(&dict, raw)?;
    let w: Vec<usize> = match dict.get("W") {
        Some(Object::Array(a)) if a.len() == 3 => a
            .iter()
            .map(|v| v.as_int().and_then(|i| usize::try_from(i).ok()).filter(|i| *i <= 8))
            .collect::<Option<Vec<_>>>()
            .ok_or(PdfError::BadXref { offset })?,
        _ => return Err(PdfError::BadXref { offset }),
    };
    let size = dict.int("Size").and_then(|s| u64::try_from(s).ok()).unwrap_or(0);
    let index: Vec<(u64, u64)> = match dict.get("Index") {
        Some(Object::Array(a)) => a
            .chunks(2)
            .map(|p| match p {
                [Object::Int(s), Object::Int(c)] => Some((u64::try_from(*s).ok()?, u64::try_from(*c).ok()?)),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .ok_or(PdfError::BadXref { offset })?,
        _ => vec![(0, size)],
    };
    let row = w.iter().sum::<usize>();
    if row == 0 {
        return Err(PdfError::BadXref { offset });
    }
    let field = |bytes: &[u8]| bytes.iter().fold(0u64, |a, b| a << 8 | u64::from(*b));
    let mut entries = BTreeMap::new();
    let mut rows = decoded.chunks_exact(row);
    let (w0, w1) = (w.first().copied().unwrap_or(0), w.get(1).copied().unwrap_or(0));
    for (start, count) in index {
        if count > MAX_OBJECTS as u64 || entries.len() as u64 + count > MAX_OBJECTS as u64 {
            return Err(PdfError::TooLarge { what: "objects" });
        }
        for i in 0..count {
            let Some(r) = rows.next() else { break };
            let kind = if w0 == 0 { 1 } else { field(r.get(..w0).unwrap_or(&[])) };
            let a = field(r.get(w0..w0 + w1).unwrap_or(&[]));
            let b = field(r.get(w0 + w1..).unwrap_or(&[]));
            let Ok(num) = u32::try_from(start + i) else { continue };
            let entry = match kind {
                0 => Entry::Free,
                1 => Entry::InFile {
                    offset: usize::try_from(a).unwrap_or(usize::MAX),
                    gen: u16::try_from(b).unwrap_or(u16::MAX),
                },
                2 => Entry::InStream {
                    stream: u32::try_from(a).unwrap_or(u32::MAX),
                    index: usize::try_from(b).unwrap_or(usize::MAX),
                },
                // Unknown types are null references (§7.5.8.3).
                _ => continue,
            };
            entries.insert(num, entry);
        }
    }
    Ok(Section {
        offset,
        trailer: dict,
        entries,
        hybrid: false,
        stream: true,
        text: std::iter::once(offset..text_end).collect(),
    })
}

/// Every `N G obj` of the file by offset (the last one of each number wins), for a file
/// whose cross-reference sections cannot be read or point to the wrong places.
pub(crate) fn scan_objects(data: &[u8]) -> Result<Vec<(usize, ObjRef)>, PdfError> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(j) = data.get(i..).and_then(|r| find(r, b"obj")) {
        let at = i + j;
        i = at + 3;
        // Not `endobj`, and followed by a delimiter.
        if at >= 3 && data.get(at - 3..at) == Some(b"end") {
            continue;
        }
        if data
            .get(at + 3)
            .is_some_and(|b| !is_white(*b) && !super::object::is_delimiter(*b))
        {
            continue;
        }
        // Back over `N G `.
        let mut k = at;
        let back_white = |k: &mut usize| {
            while *k > 0 && data.get(*k - 1).is_some_and(|b| is_white(*b)) {
                *k -= 1;
            }
        };
        let back_digits = |k: &mut usize| -> bool {
            let e = *k;
            while *k > 0 && data.get(*k - 1).is_some_and(u8::is_ascii_digit) {
                *k -= 1;
            }
            *k < e
        };
        back_white(&mut k);
        if !back_digits(&mut k) {
            continue;
        }
        back_white(&mut k);
        if !back_digits(&mut k) {
            continue;
        }
        let mut lx = Lexer::new(data, k);
        let (Some(num), Some(gen)) = (lx.uint(), lx.uint()) else {
            continue;
        };
        let (Ok(num), Ok(gen)) = (u32::try_from(num), u16::try_from(gen)) else {
            continue;
        };
        out.push((k, ObjRef { num, gen }));
        if out.len() > MAX_OBJECTS {
            return Err(PdfError::TooLarge { what: "objects" });
        }
    }
    Ok(out)
}

/// Just after each `%%EOF` line of the file.
pub(crate) fn eof_markers(data: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(j) = data.get(i..).and_then(|r| find(r, b"%%EOF")) {
        let mut end = i + j + 5;
        if data.get(end) == Some(&b'\r') {
            end += 1;
        }
        if data.get(end) == Some(&b'\n') {
            end += 1;
        }
        out.push(end);
        i = end;
    }
    out
}
