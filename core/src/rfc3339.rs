//! The one RFC 3339 timestamp parser, with the two dialects its callers
//! need:
//!
//! - [`Profile::GoRfc3339`]: Go's `time.Parse(time.RFC3339, s)`, as OpenBao
//!   reads a policy rule's `expiration`: `YYYY-MM-DDTHH:MM:SS`, optional
//!   `.fraction`, then `Z` or `±HH:MM`; uppercase `T`/`Z`; seconds up to 59.
//! - [`Profile::Expiry`]: secrets-manager permission expiry as documented
//!   (GitLab's inputs): surrounding whitespace ignored, a bare date
//!   `YYYY-MM-DD` is midnight UTC, `T`, `t` or a space between date and
//!   time, `Z` or `z`, a leap second `:60`, and only instants within years
//!   0000..=9999 (what `YYYY` can print back).
//!
//! Fractions of a second are dropped (the result is whole Unix seconds).

use crate::calendar::{days_from_civil, days_in_month};

/// Which dialect to accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    /// Go's `time.Parse(time.RFC3339, ..)`.
    GoRfc3339,
    /// Secrets-manager permission expiry.
    Expiry,
}

/// Parses `text` as Unix seconds, or None when `profile` refuses it.
pub(crate) fn parse(text: &str, profile: Profile) -> Option<i64> {
    let lenient = profile == Profile::Expiry;
    let text = if lenient { text.trim() } else { text };
    let bytes = text.as_bytes();
    let year = digits(bytes, 0, 4)?;
    expect(bytes, 4, b'-')?;
    let month = digits(bytes, 5, 2)?;
    expect(bytes, 7, b'-')?;
    let day = digits(bytes, 8, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if lenient && bytes.len() == 10 {
        return Some(days * 86_400);
    }
    match bytes.get(10) {
        Some(b'T') => {}
        Some(b't' | b' ') if lenient => {}
        _ => return None,
    }
    let hour = digits(bytes, 11, 2)?;
    expect(bytes, 13, b':')?;
    let minute = digits(bytes, 14, 2)?;
    expect(bytes, 16, b':')?;
    let second = digits(bytes, 17, 2)?;
    let max_second = if lenient { 60 } else { 59 };
    if hour > 23 || minute > 59 || second > max_second {
        return None;
    }
    let mut pos = 19;
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        let start = pos;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        if pos == start {
            return None;
        }
    }
    let offset = match bytes.get(pos) {
        Some(b'Z') if bytes.len() == pos + 1 => 0,
        Some(b'z') if lenient && bytes.len() == pos + 1 => 0,
        Some(sign @ (b'+' | b'-')) if bytes.len() == pos + 6 => {
            let oh = digits(bytes, pos + 1, 2)?;
            expect(bytes, pos + 3, b':')?;
            let om = digits(bytes, pos + 4, 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let total = oh * 3600 + om * 60;
            if *sign == b'+' {
                total
            } else {
                -total
            }
        }
        _ => return None,
    };
    let unix = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    if !lenient {
        return Some(unix);
    }
    // A leap second or an offset can carry the instant past the four-digit
    // years; such an instant could not be written back, so it is refused.
    let first = days_from_civil(0, 1, 1) * 86_400;
    let last = days_from_civil(9999, 12, 31) * 86_400 + 86_399;
    (first..=last).contains(&unix).then_some(unix)
}

fn digits(bytes: &[u8], start: usize, len: usize) -> Option<i64> {
    let slice = bytes.get(start..start + len)?;
    slice.iter().try_fold(0i64, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
    })
}

fn expect(bytes: &[u8], at: usize, want: u8) -> Option<()> {
    (bytes.get(at) == Some(&want)).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_profiles_read_plain_rfc3339_alike() {
        for (text, unix) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2020-02-29T12:00:00Z", 1_582_977_600),
            ("2098-07-04T10:00:00+05:30", 4_055_286_600),
            ("2001-09-09T01:46:40.5Z", 1_000_000_000),
            ("1969-12-31T23:00:00-01:00", 0),
        ] {
            assert_eq!(parse(text, Profile::GoRfc3339), Some(unix), "{text}");
            assert_eq!(parse(text, Profile::Expiry), Some(unix), "{text}");
        }
        for text in [
            "",
            "2021-02-30T00:00:00Z",
            "2021-13-01T00:00:00Z",
            "2021-01-01T24:00:00Z",
            "2021-01-01T00:00:00",
            "2021-01-01T00:00:00.Z",
            "2021-01-01T00:00:00+24:00",
            "2021-01-01T00:00:00+0100",
            "tomorrow",
        ] {
            assert_eq!(parse(text, Profile::GoRfc3339), None, "{text}");
            assert_eq!(parse(text, Profile::Expiry), None, "{text}");
        }
    }

    /// What only the documented expiry dialect accepts; Go's RFC 3339
    /// layout refuses each of these.
    #[test]
    fn expiry_leniency_stays_out_of_go_parsing() {
        for (text, unix) in [
            ("2025-09-01", 1_756_684_800),
            (" 2025-09-01T00:00:00Z\n", 1_756_684_800),
            ("2025-09-01t00:00:00z", 1_756_684_800),
            ("2025-09-01 00:00:00Z", 1_756_684_800),
            ("2016-12-31T23:59:60Z", 1_483_228_800),
        ] {
            assert_eq!(parse(text, Profile::Expiry), Some(unix), "{text}");
            assert_eq!(parse(text, Profile::GoRfc3339), None, "{text}");
        }
        // Past year 9999 once the offset applies: Go reads it, expiry refuses.
        let edge = "9999-12-31T23:59:59-01:00";
        assert!(parse(edge, Profile::GoRfc3339).is_some());
        assert_eq!(parse(edge, Profile::Expiry), None);
    }
}
