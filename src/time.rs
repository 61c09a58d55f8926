//! Points in time, as seconds since the Unix epoch (UTC), shown as RFC 3339.
//!
//! The validation core reads no clock: callers pass a [`Time`]. [`Time::now`] exists for the
//! outer layers (CLI, C API) that choose "now".

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub i64);

impl Time {
    /// The system clock, for callers outside the validation core.
    pub fn now() -> Time {
        let secs = match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        };
        Time(secs)
    }

    /// Seconds since the epoch.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// A time from seconds since the epoch; `None` outside years 1–9999.
    pub fn from_unix(secs: i64) -> Option<Time> {
        // 0001-01-01 and 9999-12-31T23:59:59 UTC.
        (-62_135_596_800..=253_402_300_799)
            .contains(&secs)
            .then_some(Time(secs))
    }

    /// A time from calendar fields (UTC). Returns `None` for an impossible date.
    pub fn from_ymd_hms(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<Time> {
        if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60 {
            return None;
        }
        let days = days_from_civil(y, mo, d);
        Some(Time(
            days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s),
        ))
    }

    /// Parse RFC 3339 (`2026-11-23T10:00:00Z`, `2026-11-23T17:00:00+07:00`) or a bare date
    /// (`2026-11-23`, midnight UTC).
    pub fn parse_rfc3339(text: &str) -> Option<Time> {
        let t = text.trim();
        let num = |s: &str| s.parse::<u32>().ok();
        let date = t.get(..10)?;
        let mut dp = date.split('-');
        let y: i64 = dp.next()?.parse().ok()?;
        let mo = num(dp.next()?)?;
        let d = num(dp.next()?)?;
        if t.len() == 10 {
            return Time::from_ymd_hms(y, mo, d, 0, 0, 0);
        }
        let sep = t.get(10..11)?;
        if sep != "T" && sep != "t" && sep != " " {
            return None;
        }
        let h = num(t.get(11..13)?)?;
        let mi = num(t.get(14..16)?)?;
        let s = num(t.get(17..19)?)?;
        if t.get(13..14)? != ":" || t.get(16..17)? != ":" {
            return None;
        }
        let mut rest = t.get(19..)?;
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.chars().take_while(char::is_ascii_digit).count();
            rest = frac.get(digits..)?;
        }
        let offset = match rest {
            "Z" | "z" => 0i64,
            _ => {
                let sign = match rest.get(..1)? {
                    "+" => 1,
                    "-" => -1,
                    _ => return None,
                };
                let oh = i64::from(num(rest.get(1..3)?)?);
                let om = i64::from(num(rest.get(4..6)?)?);
                if rest.get(3..4)? != ":" || rest.len() != 6 {
                    return None;
                }
                sign * (oh * 3600 + om * 60)
            }
        };
        Time::from_ymd_hms(y, mo, d, h, mi, s).map(|t| Time(t.0 - offset))
    }

    /// Decode an ASN.1 UTCTime (tag 0x17) or GeneralizedTime (tag 0x18) as RFC 5280 §4.1.2.5
    /// writes them (`YYMMDDHHMMSSZ`, `YYYYMMDDHHMMSSZ`; UTCTime years 50–99 are 19xx). A
    /// fractional second on a GeneralizedTime is ignored.
    pub(crate) fn from_asn1(tag: crate::asn1::Tag, contents: &[u8]) -> Option<Time> {
        let text = std::str::from_utf8(contents).ok()?;
        let body = text.strip_suffix('Z')?;
        let (year, rest) = match tag {
            crate::asn1::tag::UTC_TIME => {
                let yy: i64 = body.get(..2)?.parse().ok()?;
                (if yy >= 50 { 1900 + yy } else { 2000 + yy }, body.get(2..)?)
            }
            crate::asn1::tag::GENERALIZED_TIME => (body.get(..4)?.parse().ok()?, body.get(4..)?),
            _ => return None,
        };
        let rest = rest.split('.').next()?;
        if rest.len() != 10 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n = |a: usize| rest.get(a..a + 2).and_then(|v| v.parse::<u32>().ok());
        Time::from_ymd_hms(year, n(0)?, n(2)?, n(4)?, n(6)?, n(8)?)
    }

    /// DER of this time as RFC 5280 §4.1.2.5 and RFC 5652 §11.3 require: UTCTime for 1950–2049,
    /// GeneralizedTime otherwise.
    pub fn to_der(self) -> Vec<u8> {
        use der::asn1::{GeneralizedTime, UtcTime};
        use der::{DateTime, Encode};
        let (y, mo, d) = civil_from_days(self.0.div_euclid(86_400));
        let secs = self.0.rem_euclid(86_400);
        let date = u16::try_from(y).ok().and_then(|y| {
            let [h, mi, s] = [secs / 3600, secs / 60 % 60, secs % 60].map(|v| u8::try_from(v).unwrap_or(u8::MAX));
            DateTime::new(y, u8::try_from(mo).ok()?, u8::try_from(d).ok()?, h, mi, s).ok()
        });
        // Outside years 0–9999 no ASN.1 time exists; the empty result fails closed.
        let der = date.and_then(|dt| {
            if (1950..2050).contains(&y) {
                UtcTime::from_date_time(dt).ok()?.to_der().ok()
            } else {
                GeneralizedTime::from_date_time(dt).to_der().ok()
            }
        });
        der.unwrap_or_default()
    }

    /// The calendar year (UTC).
    pub fn year(self) -> i64 {
        civil_from_days(self.0.div_euclid(86_400)).0
    }

    /// RFC 3339 in UTC: `2026-11-23T10:00:00Z`.
    pub fn rfc3339(self) -> String {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }
}

impl Time {
    /// The time as Vietnamese readers expect it: Vietnam time (UTC+7),
    /// `10:22:57 ngày 30/08/2029 (giờ Việt Nam, UTC+7)`.
    pub fn format_vi(self) -> String {
        let local = Time(self.0.saturating_add(7 * 3600)).rfc3339();
        // YYYY-MM-DDTHH:MM:SSZ
        match (local.get(0..4), local.get(5..7), local.get(8..10), local.get(11..19)) {
            (Some(y), Some(m), Some(d), Some(hms)) => format!("{hms} ngày {d}/{m}/{y} (giờ Việt Nam, UTC+7)"),
            _ => local,
        }
    }
}

impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl serde::Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_form_is_vietnam_time() {
        let t = Time::from_ymd_hms(2029, 8, 30, 3, 22, 57).unwrap();
        assert_eq!(t.format_vi(), "10:22:57 ngày 30/08/2029 (giờ Việt Nam, UTC+7)");
        // Past midnight in Vietnam: the date moves too.
        let t = Time::from_ymd_hms(2026, 12, 31, 20, 0, 0).unwrap();
        assert_eq!(t.format_vi(), "03:00:00 ngày 01/01/2027 (giờ Việt Nam, UTC+7)");
    }

    #[test]
    fn round_trips() {
        for (text, unix) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2026-11-23T10:00:00Z", 1_795_428_000),
            ("2000-02-29T23:59:59Z", 951_868_799),
            ("1950-01-01T00:00:00Z", -631_152_000),
        ] {
            let t = Time::parse_rfc3339(text).unwrap();
            assert_eq!(t.0, unix, "{text}");
            assert_eq!(t.rfc3339(), text);
        }
        assert_eq!(
            Time::parse_rfc3339("2026-11-23T17:00:00+07:00").unwrap().rfc3339(),
            "2026-11-23T10:00:00Z"
        );
        assert_eq!(
            Time::parse_rfc3339("2026-11-23").unwrap().rfc3339(),
            "2026-11-23T00:00:00Z"
        );
        assert!(Time::parse_rfc3339("2026-02-30").is_none());
        assert!(Time::parse_rfc3339("2026-11-23X10:00:00Z").is_none());
        assert!(Time::parse_rfc3339("garbage").is_none());
        assert_eq!(
            Time::from_asn1(crate::asn1::tag::UTC_TIME, b"261123100000Z")
                .unwrap()
                .rfc3339(),
            "2026-11-23T10:00:00Z"
        );
        assert_eq!(
            Time::from_asn1(crate::asn1::tag::UTC_TIME, b"991231235959Z")
                .unwrap()
                .rfc3339(),
            "1999-12-31T23:59:59Z"
        );
        assert_eq!(
            Time::from_asn1(crate::asn1::tag::GENERALIZED_TIME, b"20500101000000Z")
                .unwrap()
                .rfc3339(),
            "2050-01-01T00:00:00Z"
        );
        assert!(Time::from_asn1(crate::asn1::tag::UTC_TIME, b"2611231000Z").is_none());
        assert!(Time::from_asn1(crate::asn1::tag::GENERALIZED_TIME, b"20501301000000Z").is_none());
        let t = Time::parse_rfc3339("2026-11-23T10:00:00Z").unwrap();
        assert_eq!(t.to_der(), [&[0x17, 13][..], b"261123100000Z"].concat());
        let t = Time::parse_rfc3339("2051-01-02T03:04:05Z").unwrap();
        assert_eq!(t.to_der(), [&[0x18, 15][..], b"20510102030405Z"].concat());
    }
}
