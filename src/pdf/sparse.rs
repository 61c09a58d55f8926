//! A large PDF read for verification without holding its large stream bodies in memory.
//!
//! A 200 MB PDF is mostly the bodies of a few streams (scanned pages, images) that verifying
//! its signatures never decodes: it hashes them with the signed ranges and, when a later
//! revision redefines such a stream, compares them with the earlier body. [`Sparse::open`]
//! reads the file once, in blocks, and keeps every byte except the bodies of streams longer
//! than [`ELIDE_FROM`]; those stay unread in a zero-filled buffer whose pages the system never
//! maps (a large zeroed allocation is fresh memory until written), and every read of them —
//! a stream's raw data, the ranges' digests, a comparison — goes back to the file in blocks.
//!
//! Which bytes are a stream body is found by the keywords alone (`stream` + EOL ...
//! `endstream`), before the structure is known, so the reading is only used once the
//! structure agrees: [`Sparse::parse`] accepts it when the cross-reference data was read (not
//! reconstructed) and every elided run lies inside the body of a stream object the index
//! lists that is not a cross-reference stream. Otherwise the caller reads the file whole.

use std::fs::File;
use std::ops::Range;
use std::path::Path;

use super::object::{self, Object};
use super::{Pdf, PdfError};

/// Stream bodies longer than this are left in the file.
pub const ELIDE_FROM: usize = 256 << 10;

/// The block the file is read in.
const BLOCK: usize = 1 << 20;

/// A PDF file's bytes with the bodies of its large streams left in the file.
pub struct Sparse {
    data: Vec<u8>,
    elided: Vec<Range<usize>>,
    file: File,
}

impl std::fmt::Debug for Sparse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sparse")
            .field("size", &self.data.len())
            .field("elided", &self.elided.len())
            .finish()
    }
}

/// Fill `buf` from `file` at `offset`, without moving a shared position (so one reading
/// serves every thread's look-ups).
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: usize) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset as u64)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: usize) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset as u64)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = std::mem::take(&mut buf).get_mut(n..).unwrap_or_default();
                offset += n;
            }
        }
    }
    Ok(())
}

/// Whether `b` ends a regular token before a keyword (white space or a delimiter).
fn separates(b: u8) -> bool {
    object::is_white(b) || object::is_delimiter(b)
}

enum State {
    /// Outside a stream body.
    Normal,
    /// In a stream body since `start`; its bytes kept while it is short.
    Body { start: usize, kept: Vec<u8>, long: bool },
}

impl Sparse {
    /// Read `path`, leaving the bodies of streams longer than [`ELIDE_FROM`] in the file.
    pub fn open(path: &Path) -> std::io::Result<Sparse> {
        Sparse::open_eliding(path, ELIDE_FROM)
    }

    /// [`Sparse::open`] leaving the bodies longer than `from` bytes (what tests use to make
    /// every stream of a small file go back to the file).
    pub fn open_eliding(path: &Path, from: usize) -> std::io::Result<Sparse> {
        let file = File::open(path)?;
        let len = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
        if len > super::MAX_PDF_SIZE {
            return Err(std::io::Error::other(PdfError::FileTooLarge { size: len }));
        }
        // Zeroed: the allocator takes fresh pages, which cost nothing until written.
        let mut data = vec![0u8; len];
        let mut elided = Vec::new();
        let mut block = vec![0u8; BLOCK.min(len)];
        // The block holds the file's bytes `at..at + filled`; each step works on what is left
        // of it from `done`, so a block is read once however many streams begin and end in
        // it, and read again from `done` only when a step left an undecided tail (a keyword
        // cut by the block's end, a body going on past it).
        let (mut at, mut filled, mut refill) = (0, 0, true);
        let mut state = State::Normal;
        let mut done = 0;
        while done < len {
            let fresh = refill || done >= at + filled;
            if fresh {
                filled = BLOCK.min(len - done);
                at = done;
                read_exact_at(&file, block.get_mut(..filled).unwrap_or_default(), at)?;
            }
            let w = block.get(done - at..filled).unwrap_or_default();
            let n = w.len();
            let eof = at + filled == len;
            let before = (done, matches!(state, State::Normal));
            let moved_on;
            state = match state {
                State::Normal => {
                    let prev = done.checked_sub(1).and_then(|p| data.get(p)).copied();
                    let (handled, opens) = body_start(w, prev, eof);
                    if let (Some(to), Some(from)) = (data.get_mut(done..done + handled), w.get(..handled)) {
                        to.copy_from_slice(from);
                    }
                    done += handled;
                    moved_on = opens;
                    if opens {
                        State::Body {
                            start: done,
                            kept: Vec::new(),
                            long: false,
                        }
                    } else {
                        State::Normal
                    }
                }
                State::Body {
                    start,
                    mut kept,
                    mut long,
                } => {
                    // The last bytes may begin `endstream`: they are looked at again.
                    let (handled, ended) = match object::find(w, b"endstream") {
                        Some(j) => (j, true),
                        None if eof => (n, true),
                        None => (n.saturating_sub(8), false),
                    };
                    let part = w.get(..handled).unwrap_or_default();
                    if !long && kept.len() + part.len() > from {
                        long = true;
                        kept = Vec::new();
                    }
                    if !long {
                        kept.extend_from_slice(part);
                    }
                    done += handled;
                    moved_on = ended;
                    match (ended, long) {
                        (false, _) => State::Body { start, kept, long },
                        (true, true) => {
                            // The end of line before `endstream` is not the body's: kept.
                            let mut eol = [0u8; 2];
                            read_exact_at(&file, &mut eol, done - 2)?;
                            let k = match eol {
                                [b'\r', b'\n'] => 2,
                                [_, b'\n' | b'\r'] => 1,
                                _ => 0,
                            };
                            if let Some(to) = data.get_mut(done - k..done) {
                                to.copy_from_slice(eol.get(2 - k..).unwrap_or_default());
                            }
                            elided.push(start..done - k);
                            State::Normal
                        }
                        (true, false) => {
                            if let Some(to) = data.get_mut(start..done) {
                                to.copy_from_slice(&kept);
                            }
                            State::Normal
                        }
                    }
                }
            };
            // A body that ends where the block begins moves on without consuming a byte; a
            // block just read outside a body always consumes some.
            if fresh && before == (done, true) && matches!(state, State::Normal) && !eof {
                return Err(std::io::Error::other("the PDF could not be read in blocks"));
            }
            refill = !moved_on;
        }
        Ok(Sparse { data, elided, file })
    }

    /// The whole file, read again where runs were left in it.
    pub fn whole(&self) -> std::io::Result<Vec<u8>> {
        let mut all = self.data.clone();
        if !self.elided.is_empty() {
            read_exact_at(&self.file, &mut all, 0)?;
        }
        Ok(all)
    }

    /// The runs left in the file, in order.
    pub fn elided(&self) -> &[Range<usize>] {
        &self.elided
    }

    /// The file's size.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// How many bytes are left in the file.
    pub fn elided_bytes(&self) -> usize {
        self.elided.iter().map(|r| r.len()).sum()
    }

    /// Whether `r` meets an elided run.
    pub(crate) fn touches(&self, r: &Range<usize>) -> bool {
        let i = self.elided.partition_point(|e| e.end <= r.start);
        self.elided.get(i).is_some_and(|e| e.start < r.end)
    }

    /// The document, when the reading agrees with its structure (see the module's text);
    /// `Ok(None)` when the file must be read whole instead.
    pub fn parse(&self) -> Result<Option<Pdf<'_>>, PdfError> {
        let mut pdf = Pdf::parse(&self.data)?;
        if pdf.reconstructed() {
            return Ok(None);
        }
        // The cross-reference sections' text must be the file's (a trailer's string that
        // does not end would run on into the next revision's streams).
        if pdf.section_text().iter().any(|r| self.touches(r)) {
            return Ok(None);
        }
        let mut offsets = pdf.in_file_offsets();
        offsets.sort_unstable();
        offsets.dedup();
        for e in &self.elided {
            let i = offsets.partition_point(|o| *o < e.start);
            let Some(at) = i.checked_sub(1).and_then(|i| offsets.get(i)) else {
                return Ok(None);
            };
            let inside = match object::indirect_text_at(&self.data, *at) {
                Ok((_, Object::Stream(dict, body), text_end)) => {
                    dict.name("Type") != Some(b"XRef")
                        && body.start <= e.start
                        && e.end <= body.end
                        && !self.touches(&(*at..text_end))
                }
                _ => false,
            };
            if !inside {
                return Ok(None);
            }
        }
        pdf.bytes.sparse = Some(self);
        Ok(Some(pdf))
    }
}

/// Where a stream body begins in `w` (the block at the reading position, `prev` the byte
/// before it): `(n, true)` when the first `n` bytes end with `stream` and its end of line;
/// `(n, false)` when the first `n` bytes hold no body's beginning (the rest is read again
/// with the next block).
fn body_start(w: &[u8], prev: Option<u8>, eof: bool) -> (usize, bool) {
    let undecided = if eof { w.len() } else { w.len().saturating_sub(16) };
    let mut k = 0;
    while let Some(j) = w.get(k..).and_then(|rest| object::find(rest, b"stream")).map(|j| j + k) {
        let before = if j == 0 { prev } else { w.get(j - 1).copied() };
        let after = j + 6;
        if before.is_none_or(separates) {
            match (w.get(after), w.get(after + 1)) {
                (Some(b'\r'), Some(b'\n')) => return (after + 2, true),
                (Some(b'\n'), _) => return (after + 1, true),
                (Some(b'\r'), Some(_)) => return (after + 1, true),
                (None, _) | (Some(b'\r'), None) if !eof => return (j, false),
                _ => {}
            }
        }
        k = after;
    }
    (undecided.max(k.min(w.len())), false)
}

/// A file's bytes as a verification reads them: all in memory, or a [`Sparse`] reading.
#[derive(Clone, Copy)]
pub(crate) struct Bytes<'a> {
    pub(crate) data: &'a [u8],
    pub(crate) sparse: Option<&'a Sparse>,
}

impl<'a> Bytes<'a> {
    fn read_error(e: std::io::Error) -> PdfError {
        PdfError::Read(e.to_string())
    }

    /// The bytes at `r`, borrowed when they are in memory.
    pub(crate) fn get(&self, r: Range<usize>) -> Result<std::borrow::Cow<'a, [u8]>, PdfError> {
        match self.sparse {
            Some(s) if s.touches(&r) => {
                let mut buf = vec![0u8; r.len()];
                read_exact_at(&s.file, &mut buf, r.start).map_err(Self::read_error)?;
                Ok(buf.into())
            }
            _ => self.data.get(r).map(Into::into).ok_or(PdfError::Syntax {
                offset: 0,
                what: "a range outside the file",
            }),
        }
    }

    /// Give `f` the bytes at `r` in order, in blocks (an error when `r` is not inside the
    /// file).
    pub(crate) fn each_block(&self, r: Range<usize>, f: &mut dyn FnMut(&[u8])) -> Result<(), PdfError> {
        if r.start > r.end || r.end > self.data.len() {
            return Err(PdfError::Syntax {
                offset: r.start,
                what: "a range outside the file",
            });
        }
        match self.sparse {
            Some(s) if s.touches(&r) => {
                let mut buf = vec![0u8; BLOCK.min(r.len())];
                let mut at = r.start;
                while at < r.end {
                    let n = BLOCK.min(r.end - at);
                    let b = buf.get_mut(..n).unwrap_or_default();
                    read_exact_at(&s.file, b, at).map_err(Self::read_error)?;
                    f(b);
                    at += n;
                }
                Ok(())
            }
            _ => {
                f(self.data.get(r).unwrap_or_default());
                Ok(())
            }
        }
    }

    /// Whether the bytes at `a` and at `b` are the same (`false` when one cannot be read).
    pub(crate) fn same(&self, a: Range<usize>, b: Range<usize>) -> bool {
        if a.len() != b.len() {
            return false;
        }
        let mut step = 0;
        while step < a.len() {
            let n = BLOCK.min(a.len() - step);
            let x = self.get(a.start + step..a.start + step + n);
            let y = self.get(b.start + step..b.start + step + n);
            match (x, y) {
                (Ok(x), Ok(y)) if x == y => step += n,
                _ => return false,
            }
        }
        true
    }

    /// A reader of the bytes at `ranges`, one after the other.
    pub(crate) fn reader(self, ranges: Vec<Range<usize>>) -> RangeReader<'a> {
        RangeReader {
            bytes: self,
            ranges,
            at: 0,
        }
    }
}

/// Reads ranges of a file's bytes in order ([`Bytes::reader`]).
pub(crate) struct RangeReader<'a> {
    bytes: Bytes<'a>,
    ranges: Vec<Range<usize>>,
    at: usize,
}

impl std::io::Read for RangeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let Some(r) = self.ranges.get(self.at).cloned() else {
                return Ok(0);
            };
            if r.is_empty() {
                self.at += 1;
                continue;
            }
            let n = buf.len().min(r.len()).min(BLOCK);
            let part = self
                .bytes
                .get(r.start..r.start + n)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            if let Some(to) = buf.get_mut(..n) {
                to.copy_from_slice(&part);
            }
            if let Some(cur) = self.ranges.get_mut(self.at) {
                cur.start = r.start + n;
            }
            return Ok(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::object::ObjRef;

    fn written(name: &str, data: &[u8]) -> std::path::PathBuf {
        let p = std::env::temp_dir().join(format!("kyso-sparse-{}-{name}", std::process::id()));
        std::fs::write(&p, data).unwrap();
        p
    }

    /// Empty bodies, and long bodies whose `endstream` begins at every offset around a block's
    /// boundary: each is read, the long ones left out exactly (their end of line kept), and
    /// every kept byte is the file's.
    #[test]
    fn bodies_end_anywhere_around_a_block_boundary() {
        for shift in 0..24 {
            let mut pdf = b"%PDF-1.7\n1 0 obj << /Length 0 >>\nstream\nendstream\nendobj\n".to_vec();
            pdf.extend_from_slice(b"2 0 obj << >>\nstream\n");
            let start = pdf.len();
            // The first block is read from the file's first byte: `endstream` begins from 19
            // bytes before that block's end to 4 bytes after it.
            let body = BLOCK - 20 + shift - start;
            pdf.extend(std::iter::repeat_n(b'x', body));
            pdf.extend_from_slice(
                b"\nendstream\nendobj\n3 0 obj << /Length 0 >>\nstream\r\nendstream\nendobj\n%%EOF\n",
            );
            let path = written(&format!("b{shift}"), &pdf);
            let s = Sparse::open_eliding(&path, 1000).unwrap();
            assert_eq!(
                s.elided().to_vec(),
                vec![Range {
                    start,
                    end: start + body
                }],
                "shift {shift}"
            );
            for (i, (a, b)) in s.data.iter().zip(&pdf).enumerate() {
                if !(start..start + body).contains(&i) {
                    assert_eq!(a, b, "shift {shift}: byte {i}");
                }
            }
            assert_eq!(s.whole().unwrap(), pdf);
            let _ = std::fs::remove_file(&path);
        }
    }

    /// An object whose string does not end where it should runs on into a stream's data: in
    /// a sparse reading it reads zeros where the file has the data and ends elsewhere, so
    /// the reading says it touched what it left out (and a verification reads the whole file
    /// instead). An object read within its own text does not.
    #[test]
    fn text_running_into_a_left_out_body_is_noticed() {
        // Balanced strings, then the `)` that ends the catalog's string as the file has it.
        let body = [b"(x) ".repeat(100), b") /Z 1 >>".to_vec()].concat();
        let head = format!("<< /Length {} >>\nstream\n", body.len());
        // And after the stream, the `)` that ends it where the data is left out.
        let stream = [head.into_bytes(), body, b"\nendstream\nendobj\n) >>".to_vec()].concat();
        let pdf = kyso_testpki::pdf_of_objects(&[
            b"<< /Type /Catalog /Pages 3 0 R /Lang (vi >>".as_slice(),
            &stream,
            b"<< /Type /Pages /Kids [] /Count 0 >>",
        ]);
        let path = written("t", &pdf);
        let s = Sparse::open_eliding(&path, 64).unwrap();
        assert_eq!(s.elided().len(), 1);
        let read = s.parse().unwrap().expect("the structure agrees with the reading");
        let pages = ObjRef { num: 3, gen: 0 };
        assert!(read.get(0, pages).unwrap().is_some());
        assert!(!read.touched_left_out(), "the pages object lies outside the stream");
        // Both readings give a catalog, with other values: only the reading knows.
        let catalog = read.get(0, ObjRef { num: 1, gen: 0 }).unwrap().unwrap().object;
        assert!(
            read.touched_left_out(),
            "the catalog's string ran into the stream: {catalog:?}"
        );
        let whole = Pdf::parse(&pdf).unwrap();
        let in_memory = whole.get(0, ObjRef { num: 1, gen: 0 }).unwrap().unwrap().object;
        assert!(in_memory.as_dict().unwrap().get("Z").is_some() && catalog.as_dict().unwrap().get("Z").is_none());
        let _ = std::fs::remove_file(&path);
    }

    /// A trailer whose string does not end runs on past its revision into the next one's
    /// stream: such a reading is given up for the whole file, though the stream is where the
    /// next revision's table says.
    #[test]
    fn a_trailer_running_into_a_left_out_body_gives_up_the_reading() {
        let mut pdf = kyso_testpki::pdf_of_objects(&[b"<< /Type /Catalog >>"]);
        let first_xref = object::find(&pdf, b"xref\n").unwrap();
        let trailer = object::find(&pdf, b"/Root").unwrap();
        pdf.splice(trailer..trailer, b"/ID (".iter().copied());
        let stream = pdf.len();
        pdf.extend_from_slice(b"2 0 obj\n<< /Length 300 >>\nstream\n");
        // Strings opened and never closed: as the file has it, the trailer's string goes on.
        pdf.extend(std::iter::repeat_n(b'(', 300));
        pdf.extend_from_slice(b"\nendstream\nendobj\n) >>\n");
        let xref = pdf.len();
        pdf.extend_from_slice(format!("xref\n2 1\n{stream:010} 00000 n \n").as_bytes());
        pdf.extend_from_slice(
            format!("trailer\n<< /Size 3 /Root 1 0 R /Prev {first_xref} >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        let path = written("r", &pdf);
        let s = Sparse::open_eliding(&path, 64).unwrap();
        assert_eq!(s.elided().len(), 1);
        assert!(s.parse().unwrap().is_none());
        let _ = std::fs::remove_file(&path);
    }

    /// Hundreds of streams, short and long, in each block and across the blocks' ends, with
    /// every `stream` and `endstream` keyword falling somewhere near a boundary for one of the
    /// shifts: each long body is left out exactly and every other byte is the file's.
    #[test]
    fn many_streams_in_a_block_and_across_its_end() {
        for shift in [0usize, 1, 3, 5, 7, 9, 11, 13] {
            let mut pdf = b"%PDF-1.7\n".to_vec();
            pdf.extend(std::iter::repeat_n(b'%', shift));
            let mut expected = Vec::new();
            let mut n = 0;
            while pdf.len() < 2 * BLOCK + 5000 {
                n += 1;
                // Bodies of 0 to 60 bytes, and every seventh one of 1,001 to 1,497 bytes.
                let body = if n % 7 == 0 {
                    1001 + (n * 37) % 497
                } else {
                    (n * 13) % 61
                };
                pdf.extend_from_slice(format!("{n} 0 obj << /Length {body} >>\nstream\n").as_bytes());
                let start = pdf.len();
                pdf.extend(std::iter::repeat_n(b'a' + (n % 26) as u8, body));
                if body > 1000 {
                    expected.push(start..start + body);
                }
                pdf.extend_from_slice(b"\nendstream\nendobj\n");
            }
            pdf.extend_from_slice(b"%%EOF\n");
            let path = written(&format!("m{shift}"), &pdf);
            let s = Sparse::open_eliding(&path, 1000).unwrap();
            assert_eq!(s.elided(), expected.as_slice(), "shift {shift}");
            // What was left out stays zero; every other byte is the file's.
            let mut want = pdf.clone();
            for r in &expected {
                want[r.clone()].fill(0);
            }
            assert!(s.data == want, "shift {shift}");
            assert_eq!(s.whole().unwrap(), pdf);
            let _ = std::fs::remove_file(&path);
        }
    }
}
