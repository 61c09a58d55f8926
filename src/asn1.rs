//! kyso's one ASN.1 reader: small, bounded, BER and DER. (What kyso writes goes through the
//! `der` crate's types, in [`crate::encode`].)
//!
//! `der` decodes DER only and sorts SET OF when decoding; the national root's `.p7b`
//! bundles are BER (indefinite lengths, VIETNAM-PKI.md quirk 1) and one has an unsorted
//! SET OF. This reader walks such containers without re-encoding anything: every element
//! it returns is a slice of the input, so what is later hashed or verified is the bytes as
//! received. It enforces a nesting limit and never reads past its input.
//!
//! X.690 §8.1 (identifier and length octets), §8.1.3.6 (indefinite form).

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use crate::error::InputError;

/// Deepest nesting of indefinite-length constructions the reader follows.
/// Real CMS/PKCS#7 files nest about 8 deep; 64 leaves room and stops stack exhaustion.
pub(crate) const MAX_DEPTH: usize = 64;

/// An identifier octet (X.690 §8.1.2): class, constructed bit and a low tag number (kyso's
/// reader refuses the high-tag-number form, which none of the structures it reads uses).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Tag(pub u8);

impl Tag {
    /// The identifier octet.
    pub const fn byte(self) -> u8 {
        self.0
    }

    /// The tag number (bits 5–1).
    pub const fn number(self) -> u8 {
        self.0 & 0x1F
    }

    /// Whether the constructed bit is set.
    pub const fn is_constructed(self) -> bool {
        self.0 & 0x20 != 0
    }
}

impl std::fmt::Debug for Tag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tag(0x{:02X})", self.0)
    }
}

/// The tags kyso's parsers name.
pub(crate) mod tag {
    use super::Tag;

    pub const BOOLEAN: Tag = Tag(0x01);
    pub const INTEGER: Tag = Tag(0x02);
    pub const BIT_STRING: Tag = Tag(0x03);
    pub const OCTET_STRING: Tag = Tag(0x04);
    pub const OID: Tag = Tag(0x06);
    pub const ENUMERATED: Tag = Tag(0x0A);
    pub const UTC_TIME: Tag = Tag(0x17);
    pub const GENERALIZED_TIME: Tag = Tag(0x18);
    /// An OCTET STRING in BER's constructed form (chunks).
    pub const OCTET_STRING_CONSTRUCTED: Tag = Tag(0x24);
    pub const SEQUENCE: Tag = Tag(0x30);
    pub const SET: Tag = Tag(0x31);

    /// `[n]` context-specific, constructed (EXPLICIT tagging, or IMPLICIT over a constructed type).
    pub const fn explicit(n: u8) -> Tag {
        Tag(0xA0 | (n & 0x1F))
    }

    /// `[n]` context-specific, primitive (IMPLICIT over a primitive type).
    pub const fn implicit(n: u8) -> Tag {
        Tag(0x80 | (n & 0x1F))
    }

    /// `[0]`–`[4]` constructed, for match arms.
    pub const C0: Tag = explicit(0);
    pub const C1: Tag = explicit(1);
    pub const C2: Tag = explicit(2);
    pub const C3: Tag = explicit(3);
    pub const C4: Tag = explicit(4);
    /// `[0]`–`[8]` primitive, for match arms.
    pub const P0: Tag = implicit(0);
    pub const P1: Tag = implicit(1);
    pub const P2: Tag = implicit(2);
    pub const P3: Tag = implicit(3);
    pub const P4: Tag = implicit(4);
    pub const P5: Tag = implicit(5);
    pub const P6: Tag = implicit(6);
    pub const P7: Tag = implicit(7);
    pub const P8: Tag = implicit(8);
}

/// A structure decoded from one element by kyso's reader: every field is a slice or a copy
/// of the input, and every error names the absolute offset of the element at fault.
pub(crate) trait FromTlv: Sized {
    /// Decode from the element (its tag is checked by the implementation).
    fn from_tlv(tlv: Tlv<'_>) -> Result<Self, InputError>;

    /// Decode from DER that holds exactly this element.
    fn from_der(der: &[u8]) -> Result<Self, InputError> {
        Self::from_tlv(read_exact(der)?)
    }
}

/// One element: its tag byte, its whole encoding, its contents, and where it stands in the
/// input the parser was given (so every error names an absolute offset).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (only low tag numbers are supported; see [`read_tlv`]).
    pub tag: Tag,
    /// The whole element as received: identifier, length and contents (and end-of-contents).
    pub raw: &'a [u8],
    /// The contents octets (for the indefinite form, without the end-of-contents octets).
    pub contents: &'a [u8],
    /// Whether the length was encoded in the indefinite form.
    pub indefinite: bool,
    /// Absolute offset of the identifier octet.
    pub offset: usize,
    /// Length of the identifier and length octets.
    pub header: usize,
}

impl<'a> Tlv<'a> {
    /// Absolute offset of the contents.
    pub fn contents_offset(&self) -> usize {
        self.offset + self.header
    }

    /// The elements inside this constructed element, with absolute offsets.
    pub fn children(&self) -> Children<'a> {
        Children::new(self.contents, self.contents_offset())
    }

    /// This element, when its tag is `want`; else `what` is malformed here.
    pub fn expect(self, want: Tag, what: &'static str) -> Result<Tlv<'a>, InputError> {
        if self.tag == want {
            Ok(self)
        } else {
            Err(InputError::Malformed {
                what,
                offset: self.offset,
            })
        }
    }

    /// `what` is malformed at this element.
    pub fn malformed(&self, what: &'static str) -> InputError {
        InputError::Malformed {
            what,
            offset: self.offset,
        }
    }

    /// The single element inside this one (EXPLICIT tagging), nothing after it.
    pub fn inner(&self, what: &'static str) -> Result<Tlv<'a>, InputError> {
        let mut k = self.children();
        let one = k.required(what)?;
        k.finish(what)?;
        Ok(one)
    }

    /// A non-negative INTEGER (or an IMPLICIT tag over one) that fits in a `u32`.
    pub fn small_uint(&self, what: &'static str) -> Result<u32, InputError> {
        small_uint(self.contents)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| self.malformed(what))
    }

    /// A BOOLEAN's value (X.690 §8.2: one octet, zero is FALSE).
    pub fn boolean(&self, what: &'static str) -> Result<bool, InputError> {
        match (self.tag, self.contents) {
            (tag::BOOLEAN, [b]) => Ok(*b != 0),
            _ => Err(self.malformed(what)),
        }
    }

    /// A BIT STRING's (or an IMPLICIT tag over one) unused-bit count and octets
    /// (X.690 §8.6.2: at most 7 unused bits, none when empty).
    pub fn bit_string(&self, what: &'static str) -> Result<(u8, &'a [u8]), InputError> {
        match self.contents.split_first() {
            Some((&unused, bits)) if unused < 8 && (unused == 0 || !bits.is_empty()) => Ok((unused, bits)),
            _ => Err(self.malformed(what)),
        }
    }
}

/// A non-negative INTEGER's contents that fit in a `usize` (at most 4 octets).
pub(crate) fn small_uint(contents: &[u8]) -> Option<usize> {
    if contents.is_empty() || contents.len() > 4 || contents.first().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    Some(contents.iter().fold(0usize, |a, b| (a << 8) | usize::from(*b)))
}

fn truncated(offset: usize) -> InputError {
    InputError::Truncated { offset }
}

/// Read one element from the start of `input`, at absolute position `base` (for error
/// messages). Returns the element and the number of bytes it took.
pub(crate) fn read_tlv(input: &[u8], base: usize) -> Result<(Tlv<'_>, usize), InputError> {
    read_tlv_depth(input, base, 0)
}

fn read_tlv_depth(input: &[u8], base: usize, depth: usize) -> Result<(Tlv<'_>, usize), InputError> {
    if depth > MAX_DEPTH {
        return Err(InputError::TooDeep { limit: MAX_DEPTH });
    }
    let tag = *input.first().ok_or_else(|| truncated(base))?;
    if Tag(tag).number() == 0x1F {
        // High tag numbers never occur in the structures kyso reads.
        return Err(InputError::Malformed {
            what: "high-tag-number form",
            offset: base,
        });
    }
    let first_len = *input.get(1).ok_or_else(|| truncated(base + 1))?;
    let (len, header) = if first_len < 0x80 {
        (Some(usize::from(first_len)), 2usize)
    } else if first_len == 0x80 {
        (None, 2usize)
    } else {
        let n = usize::from(first_len & 0x7F);
        if n > 4 {
            // Four length octets already describe 4 GiB, far above any input limit.
            return Err(InputError::Malformed {
                what: "length of more than four octets",
                offset: base + 1,
            });
        }
        let bytes = input.get(2..2 + n).ok_or_else(|| truncated(base + 2))?;
        let len = bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (Some(len), 2 + n)
    };
    match len {
        Some(len) => {
            let end = header.checked_add(len).ok_or_else(|| truncated(base))?;
            let raw = input.get(..end).ok_or_else(|| truncated(base + input.len()))?;
            let contents = raw.get(header..).ok_or_else(|| truncated(base + header))?;
            Ok((
                Tlv {
                    tag: Tag(tag),
                    raw,
                    contents,
                    indefinite: false,
                    offset: base,
                    header,
                },
                end,
            ))
        }
        None => {
            if !Tag(tag).is_constructed() {
                return Err(InputError::Malformed {
                    what: "indefinite length on a primitive element",
                    offset: base,
                });
            }
            // Walk children until the end-of-contents octets 00 00.
            let mut pos = header;
            loop {
                let rest = input.get(pos..).ok_or_else(|| truncated(base + pos))?;
                if rest.len() < 2 {
                    return Err(truncated(base + input.len()));
                }
                if rest.first() == Some(&0) && rest.get(1) == Some(&0) {
                    let contents = input.get(header..pos).ok_or_else(|| truncated(base))?;
                    let raw = input.get(..pos + 2).ok_or_else(|| truncated(base))?;
                    return Ok((
                        Tlv {
                            tag: Tag(tag),
                            raw,
                            contents,
                            indefinite: true,
                            offset: base,
                            header,
                        },
                        pos + 2,
                    ));
                }
                let (_, used) = read_tlv_depth(rest, base + pos, depth + 1)?;
                pos += used;
            }
        }
    }
}

/// Iterates over the elements in `contents` (the inside of a constructed element).
#[derive(Clone)]
pub(crate) struct Children<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Children<'a> {
    /// Children of the contents of a constructed element starting at absolute `offset`.
    pub fn new(contents: &'a [u8], offset: usize) -> Self {
        Children { rest: contents, offset }
    }
}

impl<'a> Children<'a> {
    /// The next element, which the structure requires: its absence is `what` missing at the
    /// offset where it was expected.
    pub fn required(&mut self, what: &'static str) -> Result<Tlv<'a>, InputError> {
        match self.next() {
            Some(r) => r,
            None => Err(InputError::Malformed {
                what,
                offset: self.offset,
            }),
        }
    }
}

impl<'a> Children<'a> {
    /// The next element, which the structure requires with identifier `want`: absent or
    /// differently tagged, it is `what` malformed.
    pub fn field(&mut self, want: Tag, what: &'static str) -> Result<Tlv<'a>, InputError> {
        self.required(what)?.expect(want, what)
    }

    /// The next element when its identifier is `tag` (an OPTIONAL or DEFAULT field); it is
    /// left in place otherwise.
    pub fn optional(&mut self, tag: Tag) -> Result<Option<Tlv<'a>>, InputError> {
        if self.rest.first() != Some(&tag.0) {
            return Ok(None);
        }
        self.next().transpose()
    }

    /// No element is left: anything more is `what` malformed where it starts.
    pub fn finish(&mut self, what: &'static str) -> Result<(), InputError> {
        match self.next() {
            None => Ok(()),
            Some(Err(e)) => Err(e),
            Some(Ok(extra)) => Err(extra.malformed(what)),
        }
    }
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Tlv<'a>, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match read_tlv(self.rest, self.offset) {
            Ok((tlv, used)) => {
                self.rest = self.rest.get(used..).unwrap_or(&[]);
                self.offset += used;
                Some(Ok(tlv))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// Read the single element that makes up `input`, refusing trailing bytes.
pub(crate) fn read_exact(input: &[u8]) -> Result<Tlv<'_>, InputError> {
    let (tlv, used) = read_tlv(input, 0)?;
    if used != input.len() {
        return Err(InputError::TrailingData { offset: used });
    }
    Ok(tlv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definite_and_indefinite() {
        // SEQUENCE (indefinite) { INTEGER 5, SEQUENCE { } } EOC
        let ber = [0x30, 0x80, 0x02, 0x01, 0x05, 0x30, 0x00, 0x00, 0x00];
        let tlv = read_exact(&ber).unwrap();
        assert!(tlv.indefinite);
        let kids: Vec<_> = Children::new(tlv.contents, 2).collect::<Result<_, _>>().unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[0].contents, &[5]);
    }

    #[test]
    fn truncated_input_is_an_error() {
        for cut in 0..8 {
            let ber = [0x30, 0x80, 0x02, 0x01, 0x05, 0x30, 0x00, 0x00, 0x00];
            assert!(read_exact(&ber[..cut]).is_err(), "cut at {cut}");
        }
        assert!(matches!(
            read_exact(&[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]),
            Err(InputError::Truncated { .. })
        ));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut ber = Vec::new();
        for _ in 0..10_000 {
            ber.extend_from_slice(&[0x30, 0x80]);
        }
        for _ in 0..10_000 {
            ber.extend_from_slice(&[0, 0]);
        }
        assert!(matches!(read_exact(&ber), Err(InputError::TooDeep { .. })));
    }
}
