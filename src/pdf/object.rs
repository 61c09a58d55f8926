//! PDF objects (ISO 32000-1 §7.3) and a bounded reader of them that keeps where each string
//! lies in the file: a signature's `/Contents` must be exactly the gap its `/ByteRange`
//! leaves, which only original byte offsets can show.

use std::ops::Range;

use super::PdfError;

/// The deepest nesting of arrays and dictionaries read.
pub const MAX_NESTING: usize = 64;

/// A reference to an indirect object: its number and generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjRef {
    /// The object number.
    pub num: u32,
    /// The generation number.
    pub gen: u16,
}

impl std::fmt::Display for ObjRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} R", self.num, self.gen)
    }
}

/// A PDF object.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A real number.
    Real(f64),
    /// A literal or hexadecimal string, decoded.
    String(PdfString),
    /// A name, without its `/`, `#xx` escapes decoded.
    Name(Vec<u8>),
    /// An array.
    Array(Vec<Object>),
    /// A dictionary.
    Dict(Dict),
    /// A stream: its dictionary and where its (still encoded) data lies.
    Stream(Dict, Range<usize>),
    /// An indirect reference.
    Ref(ObjRef),
}

/// A string, decoded, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfString {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Written as `<hex>`.
    pub hex: bool,
    /// From its opening `(` or `<` to just after its closing `)` or `>`, in the bytes it was
    /// read from (the file, or a decoded object stream).
    pub span: Range<usize>,
}

/// A dictionary: its entries in the order written (a repeated key: the last counts).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dict(pub Vec<(Vec<u8>, Object)>);

impl Dict {
    /// The value of `key` (without `/`).
    pub fn get(&self, key: &str) -> Option<&Object> {
        self.0.iter().rev().find(|(k, _)| k == key.as_bytes()).map(|(_, v)| v)
    }

    /// The value of `key` as a name.
    pub fn name(&self, key: &str) -> Option<&[u8]> {
        match self.get(key) {
            Some(Object::Name(n)) => Some(n),
            _ => None,
        }
    }

    /// The value of `key` as an integer.
    pub fn int(&self, key: &str) -> Option<i64> {
        match self.get(key) {
            Some(Object::Int(i)) => Some(*i),
            _ => None,
        }
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &[u8]> {
        self.0.iter().map(|(k, _)| k.as_slice())
    }
}

impl Object {
    /// As a dictionary (a stream's too).
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) | Object::Stream(d, _) => Some(d),
            _ => None,
        }
    }

    /// As an integer.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Object::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// As a reference.
    pub fn as_ref(&self) -> Option<ObjRef> {
        match self {
            Object::Ref(r) => Some(*r),
            _ => None,
        }
    }
}

impl Object {
    /// The object written as PDF syntax (strings as hex; a stream's dictionary only).
    pub fn to_pdf(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        out
    }

    fn write_to(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Object::Null => out.push_str("null"),
            Object::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Object::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Object::Real(r) => {
                let s = format!("{r:.4}");
                out.push_str(s.trim_end_matches('0').trim_end_matches('.'));
            }
            Object::String(s) => {
                out.push('<');
                out.push_str(&hex::encode(&s.bytes));
                out.push('>');
            }
            Object::Name(n) => write_name(n, out),
            Object::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    x.write_to(out);
                }
                out.push(']');
            }
            Object::Dict(d) | Object::Stream(d, _) => d.write_to(out),
            Object::Ref(r) => {
                let _ = write!(out, "{} {} R", r.num, r.gen);
            }
        }
    }
}

/// `/Name` with the characters a name cannot hold as `#xx`.
fn write_name(n: &[u8], out: &mut String) {
    use std::fmt::Write;
    out.push('/');
    for &b in n {
        if b.is_ascii_graphic() && !is_delimiter(b) && b != b'#' {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "#{b:02X}");
        }
    }
}

impl Dict {
    /// The dictionary written as PDF syntax.
    pub fn to_pdf(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        out
    }

    fn write_to(&self, out: &mut String) {
        out.push_str("<<");
        for (k, v) in &self.0 {
            write_name(k, out);
            out.push(' ');
            v.write_to(out);
        }
        out.push_str(">>");
    }

    /// Set `key` to `value` (replacing it, or added at the end).
    pub fn set(&mut self, key: &str, value: Object) {
        self.0.retain(|(k, _)| k != key.as_bytes());
        self.0.push((key.as_bytes().to_vec(), value));
    }

    /// A name object.
    pub fn name_object(n: &str) -> Object {
        Object::Name(n.as_bytes().to_vec())
    }
}

const WHITE: u8 = 1;
const DELIMITER: u8 = 2;

/// Each byte's class (ISO 32000-1, 7.2.2): white space, delimiter, or regular (0). The
/// compiler turns the match into one table load per byte, where the lexer spends its time.
const fn class(b: u8) -> u8 {
    match b {
        b' ' | b'\t' | b'\r' | b'\n' | 0x0c | 0 => WHITE,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%' => DELIMITER,
        _ => 0,
    }
}

pub(crate) fn is_white(b: u8) -> bool {
    class(b) == WHITE
}

pub(crate) fn is_delimiter(b: u8) -> bool {
    class(b) == DELIMITER
}

/// The value of ASCII digits, `None` when one is not a digit or the value does not fit.
fn digits_value(w: &[u8]) -> Option<u64> {
    let mut v: u64 = 0;
    for &b in w {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some(v)
}

/// A reader of objects from `data` at `pos`.
pub(crate) struct Lexer<'a> {
    pub data: &'a [u8],
    pub pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Lexer<'a> {
        Lexer { data, pos }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn err(&self, what: &'static str) -> PdfError {
        PdfError::Syntax { offset: self.pos, what }
    }

    /// Skip white space and comments.
    pub fn skip_white(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\r' || c == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A regular token (a keyword or a number) at the current position, not consumed.
    pub fn word(&self) -> &'a [u8] {
        let rest = self.data.get(self.pos..).unwrap_or(&[]);
        let n = rest.iter().position(|b| class(*b) != 0).unwrap_or(rest.len());
        rest.get(..n).unwrap_or(&[])
    }

    /// Consume the keyword `kw` (after white space) if it is next.
    pub fn keyword(&mut self, kw: &[u8]) -> bool {
        self.skip_white();
        if self.word() == kw {
            self.pos += kw.len();
            true
        } else {
            false
        }
    }

    /// A non-negative integer token, consumed.
    pub fn uint(&mut self) -> Option<u64> {
        self.skip_white();
        let w = self.word();
        if w.is_empty() || w.len() > 19 {
            return None;
        }
        let v = digits_value(w)?;
        self.pos += w.len();
        Some(v)
    }

    /// One object; `N G R` becomes a reference.
    pub fn object(&mut self, depth: usize) -> Result<Object, PdfError> {
        if depth > MAX_NESTING {
            return Err(PdfError::TooDeep);
        }
        self.skip_white();
        let start = self.pos;
        let Some(b) = self.peek() else {
            return Err(self.err("an object expected, end of data"));
        };
        match b {
            b'/' => {
                self.pos += 1;
                Ok(Object::Name(self.name_body()))
            }
            b'(' => self.literal_string().map(Object::String),
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                let d = self.dict_body(depth)?;
                Ok(Object::Dict(d))
            }
            b'<' => self.hex_string().map(Object::String),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_white();
                    match self.peek() {
                        None => return Err(self.err("an array not closed")),
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Object::Array(items));
                        }
                        Some(_) => items.push(self.object(depth + 1)?),
                    }
                }
            }
            _ => self.scalar(start),
        }
    }

    /// A keyword or a number at `start` (the current position): `null`, `true`, `false`, an
    /// integer, a real, or `N G R` as a reference.
    fn scalar(&mut self, start: usize) -> Result<Object, PdfError> {
        let w = self.word();
        if w.is_empty() {
            return Err(self.err("an unexpected delimiter"));
        }
        self.pos += w.len();
        match w {
            b"null" => Ok(Object::Null),
            b"true" => Ok(Object::Bool(true)),
            b"false" => Ok(Object::Bool(false)),
            _ => {
                if w.iter().all(u8::is_ascii_digit) {
                    // `N G R`?
                    let save = self.pos;
                    if let (Some(g), true) = (self.uint(), true) {
                        if self.keyword(b"R") {
                            let num = parse_int(w).and_then(|n| u32::try_from(n).ok());
                            let gen = u16::try_from(g).ok();
                            if let (Some(num), Some(gen)) = (num, gen) {
                                return Ok(Object::Ref(ObjRef { num, gen }));
                            }
                        }
                    }
                    self.pos = save;
                }
                if let Some(i) = parse_int(w) {
                    Ok(Object::Int(i))
                } else if let Some(r) = parse_real(w) {
                    Ok(Object::Real(r))
                } else {
                    self.pos = start;
                    Err(self.err("an unknown token"))
                }
            }
        }
    }

    fn name_body(&mut self) -> Vec<u8> {
        decode_name(self.name_raw())
    }

    /// A name's bytes as written (after its `/`, `#xx` escapes not decoded), consumed.
    fn name_raw(&mut self) -> &'a [u8] {
        let w = self.word();
        self.pos += w.len();
        w
    }

    /// Every reference in the next object, read as [`Lexer::object`] reads it but without
    /// building it (what walks of the structure tree need from thousands of objects).
    fn refs(&mut self, depth: usize, out: &mut Vec<ObjRef>) -> Result<(), PdfError> {
        if depth > MAX_NESTING {
            return Err(PdfError::TooDeep);
        }
        self.skip_white();
        let start = self.pos;
        match self.peek() {
            None => Err(self.err("an object expected, end of data")),
            Some(b'/') => {
                self.pos += 1;
                self.name_raw();
                Ok(())
            }
            Some(b'(') => self.literal_string().map(drop),
            Some(b'<') if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                self.entries(|_, lx, valued| if valued { lx.refs(depth + 1, out) } else { Ok(()) })
            }
            Some(b'<') => self.hex_string().map(drop),
            Some(b'[') => {
                self.pos += 1;
                loop {
                    self.skip_white();
                    match self.peek() {
                        None => return Err(self.err("an array not closed")),
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        Some(_) => self.refs(depth + 1, out)?,
                    }
                }
            }
            Some(_) => {
                if let Object::Ref(r) = self.scalar(start)? {
                    out.push(r);
                }
                Ok(())
            }
        }
    }

    /// Walk a dictionary's entries after `<<` through `>>`: `each(key, lexer, valued)` reads
    /// the value when `valued` (a key without a value, `/Key >>`, is given with `valued`
    /// false and must read nothing; a dictionary reads it as null).
    fn entries(
        &mut self,
        mut each: impl FnMut(&[u8], &mut Lexer<'a>, bool) -> Result<(), PdfError>,
    ) -> Result<(), PdfError> {
        loop {
            self.skip_white();
            match self.peek() {
                None => return Err(self.err("a dictionary not closed")),
                Some(b'>') if self.data.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    return Ok(());
                }
                Some(b'/') => {
                    self.pos += 1;
                    let raw = self.name_raw();
                    let key = if raw.contains(&b'#') {
                        std::borrow::Cow::Owned(decode_name(raw))
                    } else {
                        std::borrow::Cow::Borrowed(raw)
                    };
                    self.skip_white();
                    let valued = !(self.peek() == Some(b'>') && self.data.get(self.pos + 1) == Some(&b'>'));
                    each(&key, self, valued)?;
                }
                Some(_) => return Err(self.err("a dictionary key expected")),
            }
        }
    }

    /// The entries of a dictionary after `<<`, through `>>`.
    fn dict_body(&mut self, depth: usize) -> Result<Dict, PdfError> {
        let mut entries = Vec::new();
        self.entries(|key, lx, valued| {
            let value = if valued { lx.object(depth + 1)? } else { Object::Null };
            entries.push((key.to_vec(), value));
            Ok(())
        })?;
        Ok(Dict(entries))
    }

    /// What a walk of the logical structure follows from the object at the current
    /// position, read without building it: a structure element's (`/S`, or `/Type
    /// /StructElem`) references under `/K`; a number-tree node's under `/Nums` and `/Kids`;
    /// an array's items'; nothing from anything else.
    pub fn structure_refs(&mut self) -> Result<Vec<ObjRef>, PdfError> {
        self.skip_white();
        let mut out = Vec::new();
        match self.peek() {
            Some(b'[') => self.refs(0, &mut out)?,
            Some(b'<') if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                let (mut k, mut nums, mut kids, mut skip) = (Vec::new(), None, None, Vec::new());
                let (mut element, mut typed) = (false, false);
                self.entries(|key, lx, valued| {
                    let into = match key {
                        b"K" => Some(&mut k),
                        b"Nums" => Some(nums.insert(Vec::new())),
                        b"Kids" => Some(kids.insert(Vec::new())),
                        _ => None,
                    };
                    match into {
                        // The last of a repeated key counts.
                        Some(v) => {
                            v.clear();
                            if valued {
                                lx.refs(1, v)?;
                            }
                        }
                        None => {
                            element |= key == b"S";
                            if key == b"Type" {
                                typed = valued
                                    && lx.peek() == Some(b'/')
                                    && lx.data.get(lx.pos + 1..).is_some_and(|r| {
                                        let end = r
                                            .iter()
                                            .position(|b| is_white(*b) || is_delimiter(*b))
                                            .unwrap_or(r.len());
                                        decode_name(r.get(..end).unwrap_or(&[])) == b"StructElem"
                                    });
                            }
                            if valued {
                                lx.refs(1, &mut skip)?;
                            }
                        }
                    }
                    Ok(())
                })?;
                if element || typed {
                    out = k;
                } else if nums.is_some() || kids.is_some() {
                    out = nums.unwrap_or_default();
                    out.extend(kids.unwrap_or_default());
                }
            }
            _ => {
                self.object(0)?;
            }
        }
        Ok(out)
    }

    fn literal_string(&mut self) -> Result<PdfString, PdfError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        let mut level = 1usize;
        loop {
            let Some(b) = self.peek() else {
                return Err(PdfError::Syntax {
                    offset: start,
                    what: "a string not closed",
                });
            };
            self.pos += 1;
            match b {
                b'(' => {
                    level += 1;
                    out.push(b);
                }
                b')' => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { continue };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
        Ok(PdfString {
            bytes: out,
            hex: false,
            span: start..self.pos,
        })
    }

    fn hex_string(&mut self) -> Result<PdfString, PdfError> {
        let start = self.pos;
        self.pos += 1;
        let rest = self.data.get(self.pos..).unwrap_or(&[]);
        let Some(end) = rest.iter().position(|b| *b == b'>') else {
            return Err(PdfError::Syntax {
                offset: start,
                what: "a hex string not closed",
            });
        };
        let body = rest.get(..end).unwrap_or(&[]);
        let mut out = Vec::with_capacity(body.len() / 2);
        let mut high: Option<u8> = None;
        for &c in body {
            let v = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                c if is_white(c) => continue,
                _ => {
                    return Err(PdfError::Syntax {
                        offset: start,
                        what: "a hex string with a character that is not hex",
                    })
                }
            };
            match high.take() {
                None => high = Some(v),
                Some(h) => out.push(h << 4 | v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        self.pos += end + 1;
        Ok(PdfString {
            bytes: out,
            hex: true,
            span: start..self.pos,
        })
    }
}

/// A name's bytes with its `#xx` escapes decoded (a `#` not followed by two hex digits is
/// kept as written).
fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        if b == b'#' {
            let h = raw
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok().and_then(|s| u8::from_str_radix(s, 16).ok()));
            if let Some(v) = h {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

/// An integer token: optional sign, then digits; `None` when it is not one or does not fit
/// an `i64` (a real may still read it).
fn parse_int(w: &[u8]) -> Option<i64> {
    let (negative, digits) = match w.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, w),
    };
    if digits.is_empty() {
        return None;
    }
    let v = i128::from(digits_value(digits)?);
    i64::try_from(if negative { -v } else { v }).ok()
}

fn parse_real(w: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(w).ok()?;
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit() || b == b'.') || body.matches('.').count() > 1 {
        return None;
    }
    if body == "." {
        return Some(0.0);
    }
    let v: f64 = if body.starts_with('.') {
        format!("0{body}").parse().ok()?
    } else {
        body.parse().ok()?
    };
    Some(if s.starts_with('-') { -v } else { v })
}

/// An indirect object `N G obj … endobj` at `offset`: its reference and its object (a stream
/// with where its data lies). `stream_end` finds the data's end when `/Length` is not a
/// direct integer or is wrong.
pub(crate) fn indirect_at(data: &[u8], offset: usize) -> Result<(ObjRef, Object), PdfError> {
    indirect_text_at(data, offset).map(|(id, object, _)| (id, object))
}

/// [`indirect_at`], with where the object's text (its header, its value and, for a stream,
/// `stream` and its end of line) ends: the bytes `offset..end` are what was lexed, a stream's
/// data and what follows it aside.
pub(crate) fn indirect_text_at(data: &[u8], offset: usize) -> Result<(ObjRef, Object, usize), PdfError> {
    let mut lx = Lexer::new(data, offset);
    let bad = PdfError::Syntax {
        offset,
        what: "an indirect object (N G obj) expected",
    };
    let num = lx.uint().and_then(|n| u32::try_from(n).ok()).ok_or(bad.clone())?;
    let gen = lx.uint().and_then(|g| u16::try_from(g).ok()).ok_or(bad.clone())?;
    if !lx.keyword(b"obj") {
        return Err(bad);
    }
    let object = lx.object(0)?;
    let id = ObjRef { num, gen };
    lx.skip_white();
    if let Object::Dict(d) = &object {
        if lx.word() == b"stream" {
            lx.pos += 6;
            // The keyword is followed by CRLF or LF (a lone CR tolerated).
            if data.get(lx.pos) == Some(&b'\r') {
                lx.pos += 1;
            }
            if data.get(lx.pos) == Some(&b'\n') {
                lx.pos += 1;
            }
            let begin = lx.pos;
            let declared = d.int("Length").and_then(|l| usize::try_from(l).ok());
            let fits = |len: usize| {
                let end = begin.checked_add(len)?;
                let mut after = Lexer::new(data, end);
                after.skip_white();
                (after.word() == b"endstream").then_some(end)
            };
            let end = declared.and_then(fits).or_else(|| {
                // Search for `endstream`, and drop the EOL before it.
                let rest = data.get(begin..)?;
                let at = find(rest, b"endstream")?;
                let mut end = begin + at;
                if end > begin && data.get(end - 1) == Some(&b'\n') {
                    end -= 1;
                }
                if end > begin && data.get(end - 1) == Some(&b'\r') {
                    end -= 1;
                }
                Some(end)
            });
            let end = end.ok_or(PdfError::Syntax {
                offset: begin,
                what: "a stream without endstream",
            })?;
            return Ok((id, Object::Stream(d.clone(), begin..end), begin));
        }
    }
    Ok((id, object, lx.pos))
}

/// Where `needle` first occurs in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = *needle.first()?;
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let rest = hay.get(i..)?;
        let j = rest.iter().position(|b| *b == first)?;
        i += j;
        if hay.get(i..i + needle.len())? == needle {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Where `needle` last occurs in `hay`.
pub(crate) fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay.get(i..i + needle.len()) == Some(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_and_spans() {
        let d = b"<< /Type /Sig /ByteRange [0 10 20 5] /Contents <3082 00> /M (D:2026\\051x) /R 3 0 R /F -1.5 >>";
        let o = Lexer::new(d, 0).object(0).unwrap();
        let o = o.as_dict().unwrap();
        assert_eq!(o.name("Type"), Some(&b"Sig"[..]));
        let Some(Object::String(c)) = o.get("Contents") else {
            panic!()
        };
        assert_eq!(c.bytes, [0x30, 0x82, 0x00]);
        assert_eq!(&d[c.span.clone()], b"<3082 00>");
        let Some(Object::String(m)) = o.get("M") else { panic!() };
        assert_eq!(m.bytes, b"D:2026)x");
        assert_eq!(o.get("R"), Some(&Object::Ref(ObjRef { num: 3, gen: 0 })));
        assert_eq!(o.get("F"), Some(&Object::Real(-1.5)));
    }

    #[test]
    fn integers_read_as_the_standard_library_reads_them() {
        for w in [
            "0",
            "7",
            "+7",
            "-7",
            "-",
            "+",
            "",
            "007",
            "-0",
            "1.5",
            "1a",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999",
        ] {
            assert_eq!(parse_int(w.as_bytes()), w.parse::<i64>().ok(), "{w:?}");
        }
        assert_eq!(parse_int(b"\xff1"), None);
        let mut lx = Lexer::new(b" 18446744073709551615 1844674407370955161 12/x", 0);
        assert_eq!(lx.uint(), None, "20 digits");
        lx.pos = 21;
        assert_eq!(lx.uint(), Some(1_844_674_407_370_955_161));
        assert_eq!(lx.uint(), Some(12));
        assert!(is_delimiter(b'/') && is_white(0) && !is_white(b'a') && !is_delimiter(b'#'));
    }

    #[test]
    fn nesting_is_bounded() {
        let d = vec![b'['; 10_000];
        assert_eq!(Lexer::new(&d, 0).object(0), Err(PdfError::TooDeep));
    }

    #[test]
    fn streams_with_a_wrong_length() {
        let d = b"7 0 obj <</Length 99>> stream\r\nabc\r\nendstream endobj";
        let (id, o) = indirect_at(d, 0).unwrap();
        assert_eq!(id.num, 7);
        let Object::Stream(_, r) = o else { panic!() };
        assert_eq!(&d[r], b"abc");
    }
}
