//! A small DER writer for building test certificates and CRLs exactly as a test needs them
//! (odd names, critical flags, unsorted sets): test tooling only, never used to parse.

/// One encoded element.
pub fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(contents);
    out
}

/// SEQUENCE of already-encoded elements.
pub fn seq(items: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &items.concat())
}

/// SET of already-encoded elements, in the order given (not sorted).
pub fn set(items: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x31, &items.concat())
}

/// OBJECT IDENTIFIER from its dotted form.
pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().expect("OID arc")).collect();
    let mut body = Vec::new();
    for arc in std::iter::once(arcs[0] * 40 + arcs[1]).chain(arcs[2..].iter().copied()) {
        let mut groups = vec![(arc & 0x7F) as u8];
        let mut v = arc >> 7;
        while v > 0 {
            groups.push(0x80 | (v & 0x7F) as u8);
            v >>= 7;
        }
        body.extend(groups.iter().rev());
    }
    tlv(0x06, &body)
}

/// INTEGER from unsigned big-endian bytes.
pub fn uint(be: &[u8]) -> Vec<u8> {
    let start = be.iter().position(|b| *b != 0).unwrap_or(be.len().saturating_sub(1));
    let mut c = Vec::new();
    if be.get(start).is_some_and(|b| b & 0x80 != 0) {
        c.push(0);
    }
    c.extend_from_slice(&be[start..]);
    if c.is_empty() {
        c.push(0);
    }
    tlv(0x02, &c)
}

/// INTEGER from a small number.
pub fn int(v: u64) -> Vec<u8> {
    uint(&v.to_be_bytes())
}

/// BOOLEAN.
pub fn boolean(v: bool) -> Vec<u8> {
    tlv(0x01, &[if v { 0xFF } else { 0 }])
}

/// NULL.
pub fn null() -> Vec<u8> {
    vec![0x05, 0x00]
}

/// OCTET STRING.
pub fn octets(b: &[u8]) -> Vec<u8> {
    tlv(0x04, b)
}

/// BIT STRING with no unused bits.
pub fn bits(b: &[u8]) -> Vec<u8> {
    let mut c = vec![0u8];
    c.extend_from_slice(b);
    tlv(0x03, &c)
}

/// A named-bit BIT STRING (bit 0 first), minimally encoded as DER requires.
pub fn named_bits(flags: u16) -> Vec<u8> {
    if flags == 0 {
        return tlv(0x03, &[0]);
    }
    let highest = 15 - flags.leading_zeros() as usize;
    let nbytes = highest / 8 + 1;
    let mut bytes = vec![0u8; nbytes];
    for bit in 0..=highest {
        if flags & (1 << bit) != 0 {
            bytes[bit / 8] |= 0x80 >> (bit % 8);
        }
    }
    let unused = (nbytes * 8 - 1 - highest) as u8;
    let mut c = vec![unused];
    c.extend(bytes);
    tlv(0x03, &c)
}

/// UTF8String.
pub fn utf8(s: &str) -> Vec<u8> {
    tlv(0x0C, s.as_bytes())
}

/// PrintableString.
pub fn printable(s: &str) -> Vec<u8> {
    tlv(0x13, s.as_bytes())
}

/// IA5String.
pub fn ia5(s: &str) -> Vec<u8> {
    tlv(0x16, s.as_bytes())
}

/// Context-specific constructed `[n]` around encoded contents (EXPLICIT, or IMPLICIT of a
/// constructed type).
pub fn ctx(n: u8, contents: &[u8]) -> Vec<u8> {
    tlv(0xA0 | n, contents)
}

/// Context-specific primitive `[n]` (IMPLICIT of a primitive type).
pub fn ctx_prim(n: u8, contents: &[u8]) -> Vec<u8> {
    tlv(0x80 | n, contents)
}

/// UTCTime (years 1950–2049) or GeneralizedTime, from seconds since the epoch, as RFC 5280
/// §4.1.2.5 requires.
pub fn time(unix: i64) -> Vec<u8> {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let hms = format!("{:02}{:02}{:02}", secs / 3600, secs % 3600 / 60, secs % 60);
    if (1950..2050).contains(&y) {
        tlv(0x17, format!("{:02}{m:02}{d:02}{hms}Z", y % 100).as_bytes())
    } else {
        tlv(0x18, format!("{y:04}{m:02}{d:02}{hms}Z").as_bytes())
    }
}

/// GeneralizedTime always (for CRLs and OCSP, which use it past 2049 only but accept it).
pub fn generalized_time(unix: i64) -> Vec<u8> {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    tlv(
        0x18,
        format!(
            "{y:04}{m:02}{d:02}{:02}{:02}{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
        .as_bytes(),
    )
}

fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Seconds since the epoch for a UTC date (for readable test code).
pub fn unix(y: i64, m: u32, d: u32) -> i64 {
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mm = i64::from(m);
    let doy = (153 * (if mm > 2 { mm - 3 } else { mm + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(
            oid("1.2.840.113549.1.1.11"),
            [6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11]
        );
        assert_eq!(int(0), [2, 1, 0]);
        assert_eq!(int(128), [2, 2, 0, 128]);
        // digitalSignature + nonRepudiation: 0xC0 with 6 unused bits.
        assert_eq!(named_bits(0b11), [3, 2, 6, 0xC0]);
        // keyCertSign + cRLSign: bits 5 and 6.
        assert_eq!(named_bits(0b110_0000), [3, 2, 1, 0x06]);
        assert_eq!(time(unix(2026, 11, 23)), tlv(0x17, b"261123000000Z"));
        assert_eq!(time(unix(2050, 1, 1)), tlv(0x18, b"20500101000000Z"));
    }
}
