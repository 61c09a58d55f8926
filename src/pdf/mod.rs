//! PDF documents: a bounded reader that keeps original byte offsets (cross-reference tables
//! and streams, hybrid files, object streams, incremental updates, each revision with the
//! offset where it ends) and the signatures a document carries (`signature`).
//!
//! Why a reader of kyso's own rather than lopdf: a signature's verdict depends on where bytes
//! lie in the file — whether `/ByteRange`'s gap is exactly the `/Contents` string, which
//! revision a range ends at, what each later revision changed — and lopdf loads every object
//! of the merged document eagerly, without the offsets of strings or the sections of each
//! revision. This reader reads only the objects asked for, each once, bounded in nesting,
//! object count and decoded size.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

pub mod appearance;
pub mod crypt;
pub mod diff;
pub mod dss;
pub mod filters;
pub mod object;
pub mod sign;
pub mod signature;
pub mod sparse;
pub mod xref;

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::rc::Rc;

pub use object::{Dict, ObjRef, Object, PdfString};
use xref::{Entry, XrefChain};

/// The largest PDF kyso reads.
pub const MAX_PDF_SIZE: usize = 1 << 31;

/// The most objects a file may have.
pub const MAX_OBJECTS: usize = 2_000_000;

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PdfError {
    /// No `%PDF-` header in the first kilobyte.
    NotPdf,
    /// Above [`MAX_PDF_SIZE`].
    FileTooLarge {
        /// Its size.
        size: usize,
    },
    /// More than a limit allows.
    TooLarge {
        /// Of what.
        what: &'static str,
    },
    /// Arrays and dictionaries nested deeper than [`object::MAX_NESTING`].
    TooDeep,
    /// Malformed syntax.
    Syntax {
        /// Where.
        offset: usize,
        /// What was wrong.
        what: &'static str,
    },
    /// No `startxref` at the end of the file.
    NoStartxref,
    /// A cross-reference section that cannot be read.
    BadXref {
        /// Where it was expected.
        offset: usize,
    },
    /// A stream filter kyso cannot decode, or data it cannot decode.
    Filter(String),
    /// An object that is not where the cross-reference says and is found nowhere else.
    Missing(ObjRef),
    /// An object stream that cannot be used.
    BadObjectStream(u32),
    /// An encrypted file kyso cannot open (it opens those whose user password is empty).
    Encrypted(crypt::EncryptionError),
    /// No document catalog.
    NoCatalog,
    /// The file could not be read again (a large stream's body left in the file).
    Read(String),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::NotPdf => write!(f, "not a PDF: no %PDF- header"),
            PdfError::FileTooLarge { size } => {
                write!(f, "the PDF ({size} bytes) is above the {MAX_PDF_SIZE}-byte limit")
            }
            PdfError::TooLarge { what } => write!(f, "the PDF has too many {what}"),
            PdfError::TooDeep => write!(f, "arrays or dictionaries nested deeper than {}", object::MAX_NESTING),
            PdfError::Syntax { offset, what } => write!(f, "malformed PDF at byte {offset}: {what}"),
            PdfError::NoStartxref => write!(f, "no startxref at the end of the file"),
            PdfError::BadXref { offset } => write!(f, "a cross-reference section at byte {offset} cannot be read"),
            PdfError::Filter(why) => write!(f, "a stream cannot be decoded: {why}"),
            PdfError::Missing(r) => write!(f, "the object {r} is not in the file"),
            PdfError::BadObjectStream(n) => write!(f, "the object stream {n} 0 R cannot be read"),
            PdfError::Encrypted(why) => write!(f, "the PDF cannot be decrypted: {why}"),
            PdfError::NoCatalog => write!(f, "the PDF has no document catalog (/Root)"),
            PdfError::Read(why) => write!(f, "the PDF could not be read again: {why}"),
        }
    }
}

impl std::error::Error for PdfError {}

/// Something read past, said so.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PdfWarning {
    /// The cross-reference sections could not be read; the objects were found by scanning
    /// the file (as readers do), and revisions by its `%%EOF` markers.
    Reconstructed {
        /// Why.
        why: String,
    },
    /// A `/Prev` chain that loops.
    XrefLoop {
        /// The offset seen twice.
        offset: usize,
    },
    /// An object not where its cross-reference entry says; found by scanning.
    WrongOffset(ObjRef),
}

impl std::fmt::Display for PdfWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfWarning::Reconstructed { why } => {
                write!(
                    f,
                    "the cross-reference data cannot be read ({why}); objects found by scanning the file"
                )
            }
            PdfWarning::XrefLoop { offset } => write!(f, "the /Prev chain loops at byte {offset}"),
            PdfWarning::WrongOffset(r) => write!(f, "the object {r} is not where the cross-reference says"),
        }
    }
}

/// One revision: the original document or one incremental update.
#[derive(Debug, Clone)]
pub struct Revision {
    /// The byte just after its `%%EOF` line: bytes `0..end` are the document as it was.
    pub end: usize,
    /// Its trailer (the newest section's).
    pub trailer: Dict,
    /// The numbers of the objects its own sections list (not those of earlier revisions).
    pub objects: Vec<u32>,
    /// Its sections include a hybrid-reference table.
    pub hybrid: bool,
    /// Where its newest cross-reference section starts (`None` when reconstructed).
    pub xref_offset: Option<usize>,
    /// Whether that section is a cross-reference stream.
    pub xref_stream: bool,
}

/// An object as read, and where.
#[derive(Debug, Clone)]
pub struct Located {
    /// The object.
    pub object: Object,
    /// The offset of its `N G obj` when it lies in the file itself (not in an object stream).
    pub offset: Option<usize>,
}

enum Index {
    /// The cross-reference sections, and for each object the sections that list it (their
    /// indexes, newest first, with the entry) so a look-up is a short scan.
    Chain(XrefChain, Listings),
    /// Reconstructed: every `N G obj` by offset.
    Scanned(Vec<(usize, ObjRef)>),
}

/// For each object number, the sections that list it: by number in a vector for numbers up
/// to a few times the count of entries (what files use), in a map beyond (so a hostile
/// number does not size the vector).
#[derive(Default)]
struct Listings {
    dense: Vec<Vec<(usize, Entry)>>,
    sparse: HashMap<u32, Vec<(usize, Entry)>>,
    bound: usize,
}

impl Listings {
    fn for_entries(count: usize) -> Listings {
        Listings {
            bound: count.saturating_mul(4).saturating_add(1024).min(MAX_OBJECTS),
            ..Listings::default()
        }
    }

    fn push(&mut self, num: u32, section: usize, e: Entry) {
        let i = num as usize;
        if i < self.bound {
            if self.dense.len() <= i {
                self.dense.resize_with(i + 1, Vec::new);
            }
            if let Some(v) = self.dense.get_mut(i) {
                v.push((section, e));
            }
        } else {
            self.sparse.entry(num).or_default().push((section, e));
        }
    }

    fn get(&self, num: u32) -> Option<&Vec<(usize, Entry)>> {
        match self.dense.get(num as usize) {
            Some(v) => Some(v),
            None => self.sparse.get(&num),
        }
    }
}

type ObjStm = Rc<(Vec<u8>, Vec<(u32, usize)>)>;

/// Every `N G obj` of a file, by offset.
type Scanned = Rc<Vec<(usize, ObjRef)>>;

/// A PDF document read from its bytes.
pub struct Pdf<'a> {
    data: &'a [u8],
    /// The same bytes, and the file behind them when they were read [`sparse`]ly.
    bytes: sparse::Bytes<'a>,
    index: Index,
    revisions: Vec<Revision>,
    warnings: RefCell<Vec<PdfWarning>>,
    streams: RefCell<HashMap<usize, ObjStm>>,
    scanned: RefCell<Option<Scanned>>,
    /// Objects already read, by where they lie: (offset in the file, or of their object
    /// stream; their index in it, or `usize::MAX`).
    cache: RefCell<HashMap<(usize, usize), Object>>,
    /// How to decrypt an encrypted file's strings and streams.
    crypt: Option<crypt::Crypt>,
    /// Whether some object's text, as read, ran into bytes a [`sparse`] reading left in the
    /// file (so what was read from it may not be the file's).
    touched: std::cell::Cell<bool>,
}

impl std::fmt::Debug for Pdf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pdf")
            .field("size", &self.data.len())
            .field("revisions", &self.revisions.len())
            .finish()
    }
}

impl<'a> Pdf<'a> {
    /// Read `data`'s structure: its revisions and where each object is. Objects are read
    /// when asked for.
    pub fn parse(data: &'a [u8]) -> Result<Pdf<'a>, PdfError> {
        if data.len() > MAX_PDF_SIZE {
            return Err(PdfError::FileTooLarge { size: data.len() });
        }
        let head = data.get(..data.len().min(1024)).unwrap_or(data);
        if object::find(head, b"%PDF-").is_none() {
            return Err(PdfError::NotPdf);
        }
        let mut warnings = Vec::new();
        let (index, revisions) = match xref::read_chain(data, &mut warnings) {
            Ok(chain) => {
                let n = chain.sections.len();
                let mut revisions = Vec::new();
                let mut taken = 0;
                for (end, count) in &chain.revisions {
                    let own = chain.sections.get(n - count..n - taken).unwrap_or(&[]);
                    revisions.push(Revision {
                        end: *end,
                        trailer: own.first().map(|s| s.trailer.clone()).unwrap_or_default(),
                        objects: own.iter().flat_map(|s| s.entries.keys().copied()).collect(),
                        hybrid: own.iter().any(|s| s.hybrid),
                        xref_offset: own.first().map(|s| s.offset),
                        xref_stream: own.first().is_some_and(|s| s.stream),
                    });
                    taken = *count;
                }
                let mut merged = Listings::for_entries(chain.sections.iter().map(|s| s.entries.len()).sum());
                for (i, section) in chain.sections.iter().enumerate() {
                    for (num, e) in &section.entries {
                        merged.push(*num, i, *e);
                    }
                }
                (Index::Chain(chain, merged), revisions)
            }
            Err(e) => {
                warnings.push(PdfWarning::Reconstructed { why: e.to_string() });
                let objects = xref::scan_objects(data)?;
                let ends = xref::eof_markers(data);
                let mut ends: Vec<usize> = ends.into_iter().filter(|e| *e > 0).collect();
                if ends.last() != Some(&data.len()) && ends.last().is_none_or(|l| *l < data.len()) {
                    // Bytes after the last %%EOF (or no marker): the last revision ends at EOF.
                    ends.push(data.len());
                }
                let mut revisions = Vec::new();
                let mut from = 0;
                for end in ends {
                    let trailer = trailer_before(data, end).unwrap_or_default();
                    revisions.push(Revision {
                        end,
                        trailer,
                        objects: objects
                            .iter()
                            .filter(|(o, _)| *o >= from && *o < end)
                            .map(|(_, r)| r.num)
                            .collect(),
                        hybrid: false,
                        xref_offset: None,
                        xref_stream: false,
                    });
                    from = end;
                }
                (Index::Scanned(objects), revisions)
            }
        };
        let mut pdf = Pdf {
            data,
            bytes: sparse::Bytes { data, sparse: None },
            index,
            revisions,
            warnings: RefCell::new(warnings),
            streams: RefCell::new(HashMap::default()),
            scanned: RefCell::new(None),
            cache: RefCell::new(HashMap::default()),
            crypt: None,
            touched: std::cell::Cell::new(false),
        };
        pdf.crypt = pdf.open_encryption()?;
        Ok(pdf)
    }

    /// The decryption of an encrypted file (`/Encrypt` in its trailer), opened with the
    /// empty user password; `None` when the file is not encrypted.
    fn open_encryption(&self) -> Result<Option<crypt::Crypt>, PdfError> {
        let last = self.revisions.len().saturating_sub(1);
        let Some(trailer) = self.revisions.last().map(|r| &r.trailer) else {
            return Ok(None);
        };
        let Some(entry) = trailer.get("Encrypt") else {
            return Ok(None);
        };
        let unsupported = |what: &str| PdfError::Encrypted(crypt::EncryptionError::Unsupported(what.into()));
        if !self.reconstructed() && self.revisions.iter().any(|r| r.trailer.get("Encrypt") != Some(entry)) {
            return Err(unsupported(
                "encryption added, removed or changed by an incremental update",
            ));
        }
        let dict = match self.resolve(last, entry)? {
            Object::Dict(d) => d,
            _ => {
                return Err(PdfError::Encrypted(crypt::EncryptionError::Malformed(
                    "/Encrypt is not a dictionary",
                )))
            }
        };
        let id0 = match trailer.get("ID") {
            Some(Object::Array(ids)) => match ids.first() {
                Some(Object::String(s)) => s.bytes.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        crypt::Crypt::open(&dict, entry.as_ref(), &id0)
            .map(Some)
            .map_err(PdfError::Encrypted)
    }

    /// Whether the file is encrypted (and was opened with the empty user password).
    pub fn encrypted(&self) -> bool {
        self.crypt.is_some()
    }

    /// How the file is encrypted (`"AES-256, revision 6"`), when it is.
    pub fn encryption(&self) -> Option<String> {
        self.crypt.as_ref().map(crypt::Crypt::describe)
    }

    pub(crate) fn crypt(&self) -> Option<&crypt::Crypt> {
        self.crypt.as_ref()
    }

    /// An object read from the file, its strings decrypted when the file is encrypted.
    fn decrypted(&self, id: ObjRef, mut object: Object) -> Result<Object, PdfError> {
        if let Some(c) = &self.crypt {
            c.object(id, &mut object)?;
        }
        Ok(object)
    }

    /// The data of the stream `o` is or refers to, as revision `rev` sees it: decrypted and
    /// decoded, with its dictionary (`None` when `o` is not a stream).
    pub fn stream(&self, rev: usize, o: &Object) -> Result<Option<(Dict, Vec<u8>)>, PdfError> {
        let mut id = None;
        let mut cur = o.clone();
        for _ in 0..32 {
            match cur {
                Object::Ref(r) => {
                    id = Some(r);
                    cur = self.get(rev, r)?.map_or(Object::Null, |l| l.object);
                }
                Object::Stream(dict, range) => {
                    let raw = self.bytes.get(range)?;
                    let data = self.stream_data(id, dict.clone(), &raw)?;
                    return Ok(Some((dict, data)));
                }
                _ => return Ok(None),
            }
        }
        Err(PdfError::TooDeep)
    }

    /// `raw`, the data of stream `id` with dictionary `dict`, decrypted and decoded.
    fn stream_data(&self, id: Option<ObjRef>, mut dict: Dict, raw: &[u8]) -> Result<Vec<u8>, PdfError> {
        match (&self.crypt, id) {
            (Some(c), Some(id)) => {
                let plain = c.stream(id, &mut dict, raw)?;
                filters::decode(&dict, &plain)
            }
            // A direct stream cannot exist in a valid file; its data is read as it is.
            _ => filters::decode(&dict, raw),
        }
    }

    /// The file's bytes (in a [`sparse`] reading, the bodies of its large streams zero: read
    /// those from the file).
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The file's bytes as ranges of them are read: from memory, or from the file for what a
    /// [`sparse`] reading left there.
    pub(crate) fn bytes(&self) -> sparse::Bytes<'a> {
        self.bytes
    }

    /// The bytes the cross-reference sections were lexed from (empty when reconstructed).
    pub(crate) fn section_text(&self) -> Vec<std::ops::Range<usize>> {
        match &self.index {
            Index::Chain(chain, _) => chain.sections.iter().flat_map(|s| s.text.iter().cloned()).collect(),
            Index::Scanned(_) => Vec::new(),
        }
    }

    /// Whether something read from a [`sparse`] reading's bytes ran into what it left in the
    /// file: what was read may then differ from the file's, and only a reading of the whole
    /// file can say.
    pub(crate) fn touched_left_out(&self) -> bool {
        self.touched.get()
    }

    /// Whether the bytes at `r` are some a sparse reading left in the file.
    fn left_out(&self, r: &std::ops::Range<usize>) -> bool {
        self.bytes.sparse.is_some_and(|s| s.touches(r))
    }

    /// The indirect object at `offset` ([`object::indirect_at`]), its text checked against a
    /// sparse reading.
    fn indirect(&self, offset: usize) -> Result<(ObjRef, Object), PdfError> {
        let (id, object, end) = object::indirect_text_at(self.data, offset)?;
        if self.left_out(&(offset..end)) {
            self.touched.set(true);
        }
        Ok((id, object))
    }

    /// The offsets of every object the cross-reference sections place in the file.
    pub(crate) fn in_file_offsets(&self) -> Vec<usize> {
        let offsets = |v: &Vec<(usize, Entry)>| -> Vec<usize> {
            v.iter()
                .filter_map(|(_, e)| match e {
                    Entry::InFile { offset, .. } => Some(*offset),
                    _ => None,
                })
                .collect()
        };
        match &self.index {
            Index::Chain(_, listings) => listings
                .dense
                .iter()
                .chain(listings.sparse.values())
                .flat_map(offsets)
                .collect(),
            Index::Scanned(objects) => objects.iter().map(|(o, _)| *o).collect(),
        }
    }

    /// The revisions, oldest first.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    /// What was read past.
    pub fn warnings(&self) -> Vec<PdfWarning> {
        self.warnings.borrow().clone()
    }

    /// Whether the cross-reference data was reconstructed by scanning.
    pub fn reconstructed(&self) -> bool {
        matches!(self.index, Index::Scanned(_))
    }

    fn warn(&self, w: PdfWarning) {
        let mut ws = self.warnings.borrow_mut();
        if !ws.contains(&w) {
            ws.push(w);
        }
    }

    /// The entry for object `num` as revision `rev` (0 = oldest) sees it.
    fn entry(&self, rev: usize, num: u32) -> Option<Entry> {
        match &self.index {
            Index::Chain(chain, merged) => {
                let n = chain.sections.len();
                let count = chain.revisions.get(rev).map_or(n, |(_, c)| *c);
                let first = n - count.min(n);
                merged.get(num)?.iter().find(|(i, _)| *i >= first).map(|(_, e)| *e)
            }
            Index::Scanned(objects) => {
                let end = self.revisions.get(rev).map_or(self.data.len(), |r| r.end);
                objects
                    .iter()
                    .rev()
                    .find(|(o, r)| *o < end && r.num == num)
                    .map(|(o, r)| Entry::InFile { offset: *o, gen: r.gen })
            }
        }
    }

    /// Where object `num` lies as revision `rev` sees it: (its offset in the file, or its
    /// object stream's; its index in that stream, or `usize::MAX`). Two revisions that see
    /// the same location see the same object.
    pub(crate) fn location(&self, rev: usize, num: u32) -> Option<(usize, usize)> {
        match self.entry(rev, num)? {
            Entry::Free => None,
            Entry::InFile { offset, .. } => Some((offset, usize::MAX)),
            Entry::InStream { stream, index } => match self.entry(rev, stream)? {
                Entry::InFile { offset, .. } => Some((offset, index)),
                _ => None,
            },
        }
    }

    /// Object `r` as revision `rev` sees it (`None`: free or absent, which PDF reads as null).
    pub fn get(&self, rev: usize, r: ObjRef) -> Result<Option<Located>, PdfError> {
        match self.entry(rev, r.num) {
            None | Some(Entry::Free) => Ok(None),
            Some(Entry::InFile { offset, .. }) => {
                if let Some(object) = self.cache.borrow().get(&(offset, usize::MAX)) {
                    return Ok(Some(Located {
                        object: object.clone(),
                        offset: Some(offset),
                    }));
                }
                match self.indirect(offset) {
                    Ok((id, object)) if id.num == r.num => {
                        let object = self.decrypted(id, object)?;
                        self.remember((offset, usize::MAX), &object);
                        Ok(Some(Located {
                            object,
                            offset: Some(offset),
                        }))
                    }
                    _ => {
                        // Not where the entry says: look for it by scanning.
                        let end = self.revisions.get(rev).map_or(self.data.len(), |x| x.end);
                        let scanned = self.scanned()?;
                        let found = scanned.iter().rev().find(|(o, id)| *o < end && id.num == r.num);
                        match found {
                            Some((o, _)) => {
                                self.warn(PdfWarning::WrongOffset(r));
                                let (id, object) = self.indirect(*o)?;
                                let object = self.decrypted(id, object)?;
                                Ok(Some(Located {
                                    object,
                                    offset: Some(*o),
                                }))
                            }
                            None => Err(PdfError::Missing(r)),
                        }
                    }
                }
            }
            Some(Entry::InStream { stream, index }) => {
                let key = match self.entry(rev, stream) {
                    Some(Entry::InFile { offset, .. }) => Some((offset, index)),
                    _ => None,
                };
                if let Some(object) = key.and_then(|k| self.cache.borrow().get(&k).cloned()) {
                    return Ok(Some(Located { object, offset: None }));
                }
                let s = self.object_stream(rev, stream)?;
                let (objects, table) = (&s.0, &s.1);
                let &(num, at) = table.get(index).ok_or(PdfError::BadObjectStream(stream))?;
                if num != r.num {
                    return Err(PdfError::BadObjectStream(stream));
                }
                let object = object::Lexer::new(objects, at).object(0)?;
                if let Some(k) = key {
                    self.remember(k, &object);
                }
                Ok(Some(Located { object, offset: None }))
            }
        }
    }

    /// What a walk of the logical structure follows from object `r` as revision `rev` sees
    /// it ([`object::Lexer::structure_refs`]), read from the bytes without building the
    /// object; `None` where only [`Pdf::get`] can say (an object already read, not where
    /// its entry says, malformed, a stream, or in an encrypted file), to be read that way.
    pub(crate) fn structure_refs(&self, rev: usize, r: ObjRef) -> Option<Vec<ObjRef>> {
        if self.crypt.is_some() {
            return None;
        }
        match self.entry(rev, r.num)? {
            Entry::Free => None,
            Entry::InFile { offset, .. } => {
                if self.cache.borrow().contains_key(&(offset, usize::MAX)) {
                    return None;
                }
                let mut lx = object::Lexer::new(self.data, offset);
                let num = lx.uint()?;
                lx.uint()?;
                if num != u64::from(r.num) || !lx.keyword(b"obj") {
                    return None;
                }
                let refs = lx.structure_refs().ok()?;
                lx.skip_white();
                // Text that ran into what a sparse reading left out is read by `get`.
                if self.left_out(&(offset..lx.pos)) {
                    return None;
                }
                (lx.word() != b"stream").then_some(refs)
            }
            Entry::InStream { stream, index } => {
                let s = self.object_stream(rev, stream).ok()?;
                let &(num, at) = s.1.get(index)?;
                if num != r.num {
                    return None;
                }
                object::Lexer::new(&s.0, at).structure_refs().ok()
            }
        }
    }

    /// Keep an object read (up to a bound, so a huge file does not keep every object).
    fn remember(&self, key: (usize, usize), object: &Object) {
        let mut c = self.cache.borrow_mut();
        if c.len() < 500_000 {
            c.insert(key, object.clone());
        }
    }

    fn scanned(&self) -> Result<Scanned, PdfError> {
        if let Some(s) = self.scanned.borrow().as_ref() {
            return Ok(s.clone());
        }
        // A scan reads every byte, the ones a sparse reading left out too.
        if self.bytes.sparse.is_some() {
            self.touched.set(true);
        }
        let s = Rc::new(xref::scan_objects(self.data)?);
        *self.scanned.borrow_mut() = Some(s.clone());
        Ok(s)
    }

    fn object_stream(&self, rev: usize, num: u32) -> Result<ObjStm, PdfError> {
        let bad = PdfError::BadObjectStream(num);
        let Some(Entry::InFile { offset, .. }) = self.entry(rev, num) else {
            return Err(bad);
        };
        if let Some(s) = self.streams.borrow().get(&offset) {
            return Ok(s.clone());
        }
        let (id, object) = self.indirect(offset).map_err(|_| bad.clone())?;
        let Object::Stream(dict, range) = self.decrypted(id, object)? else {
            return Err(bad);
        };
        if dict.name("Type") != Some(b"ObjStm") {
            return Err(bad);
        }
        let n = dict.int("N").and_then(|n| usize::try_from(n).ok()).ok_or(bad.clone())?;
        let first = dict
            .int("First")
            .and_then(|n| usize::try_from(n).ok())
            .ok_or(bad.clone())?;
        if n > MAX_OBJECTS {
            return Err(PdfError::TooLarge { what: "objects" });
        }
        let raw = self.bytes.get(range).map_err(|_| bad.clone())?;
        let decoded = self.stream_data(Some(id), dict.clone(), &raw)?;
        let mut lx = object::Lexer::new(&decoded, 0);
        let mut table = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            let (Some(num), Some(off)) = (lx.uint(), lx.uint()) else {
                return Err(bad);
            };
            let num = u32::try_from(num).map_err(|_| bad.clone())?;
            let at = usize::try_from(off)
                .ok()
                .and_then(|o| o.checked_add(first))
                .ok_or(bad.clone())?;
            table.push((num, at));
        }
        let s = Rc::new((decoded, table));
        self.streams.borrow_mut().insert(offset, s.clone());
        Ok(s)
    }

    /// `o` itself, or what it refers to as revision `rev` sees it (a chain of references
    /// followed up to 32 steps; null when absent).
    pub fn resolve(&self, rev: usize, o: &Object) -> Result<Object, PdfError> {
        let mut cur = o.clone();
        for _ in 0..32 {
            match cur {
                Object::Ref(r) => {
                    cur = self.get(rev, r)?.map_or(Object::Null, |l| l.object);
                }
                other => return Ok(other),
            }
        }
        Err(PdfError::TooDeep)
    }

    /// The dictionary `key` of `dict` names, resolved (`None` when it is not a dictionary).
    pub fn dict_at(&self, rev: usize, dict: &Dict, key: &str) -> Result<Option<Dict>, PdfError> {
        match dict.get(key) {
            None => Ok(None),
            Some(o) => Ok(match self.resolve(rev, o)? {
                Object::Dict(d) | Object::Stream(d, _) => Some(d),
                _ => None,
            }),
        }
    }

    /// The document catalog as revision `rev` sees it.
    pub fn catalog(&self, rev: usize) -> Result<Dict, PdfError> {
        let trailer = &self.revisions.get(rev).ok_or(PdfError::NoCatalog)?.trailer;
        if let Some(d) = self.dict_at(rev, trailer, "Root")? {
            return Ok(d);
        }
        // A reconstructed file without a trailer: the last /Type /Catalog object.
        if self.reconstructed() {
            let scanned = self.scanned()?;
            let end = self.revisions.get(rev).map_or(self.data.len(), |r| r.end);
            for (o, _) in scanned.iter().rev().filter(|(o, _)| *o < end) {
                if let Ok((_, Object::Dict(d))) = object::indirect_at(self.data, *o) {
                    if d.name("Type") == Some(b"Catalog") {
                        return Ok(d);
                    }
                }
            }
        }
        Err(PdfError::NoCatalog)
    }
}

/// The last `trailer` dictionary before `end`, or the last xref stream's dictionary there.
fn trailer_before(data: &[u8], end: usize) -> Option<Dict> {
    let head = data.get(..end)?;
    let at = object::rfind(head, b"trailer")?;
    match object::Lexer::new(data, at + 7).object(0) {
        Ok(Object::Dict(d)) => Some(d),
        _ => None,
    }
}

/// A PDF date `D:YYYYMMDDHHmmSSOHH'mm'` (ISO 32000-1 §7.9.4; parts after the year optional,
/// no zone read as UTC) as a time.
pub fn parse_date(text: &str) -> Option<crate::Time> {
    let t = text.trim().strip_prefix("D:").unwrap_or(text.trim());
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let part = |from: usize, len: usize, default: i64| -> Option<i64> {
        match digits.get(from..from + len) {
            Some(p) => p.parse().ok(),
            None if digits.len() <= from => Some(default),
            None => None,
        }
    };
    let (y, mo, d) = (part(0, 4, 0)?, part(4, 2, 1)?, part(6, 2, 1)?);
    let (h, mi, s) = (part(8, 2, 0)?, part(10, 2, 0)?, part(12, 2, 0)?);
    if digits.len() < 4 {
        return None;
    }
    let rest = t.get(digits.len()..).unwrap_or("");
    let offset = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let z: String = rest.chars().skip(1).filter(char::is_ascii_digit).collect();
            let oh: i64 = z.get(..2).and_then(|x| x.parse().ok()).unwrap_or(0);
            let om: i64 = z.get(2..4).and_then(|x| x.parse().ok()).unwrap_or(0);
            let v = oh * 3600 + om * 60;
            if sign == '-' {
                -v
            } else {
                v
            }
        }
        _ => 0,
    };
    let c = |v: i64| u32::try_from(v).ok();
    let t = crate::Time::from_ymd_hms(y, c(mo)?, c(d)?, c(h)?, c(mi)?, c(s)?)?;
    crate::Time::from_unix(t.unix() - offset)
}
