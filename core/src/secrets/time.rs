//! RFC 3339 timestamps for permission expiry, without a date-time crate: the
//! only needs are parsing GitLab's inputs and printing `...Z` in UTC.
use crate::calendar::{days_from_civil, days_in_month};

use super::SecretsError;

/// Parses `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time
/// (`2025-09-01T00:00:00Z`, fractional seconds and `±HH:MM` offsets allowed)
/// into unix seconds.
pub fn parse_timestamp(text: &str) -> Result<i64, SecretsError> {
    parse(text.trim()).ok_or(SecretsError::InvalidExpiry)
}

fn parse(text: &str) -> Option<i64> {
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
    if bytes.len() == 10 {
        return Some(days * 86_400);
    }
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = digits(bytes, 11, 2)?;
    expect(bytes, 13, b':')?;
    let minute = digits(bytes, 14, 2)?;
    expect(bytes, 16, b':')?;
    let second = digits(bytes, 17, 2)?;
    if hour > 23 || minute > 59 || second > 60 {
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
        Some(b'Z' | b'z') if bytes.len() == pos + 1 => 0,
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
    // A leap second or an offset can carry the instant past the four-digit
    // years; such an instant could not be written back, so it is refused.
    let first = days_from_civil(0, 1, 1) * 86_400;
    let last = days_from_civil(9999, 12, 31) * 86_400 + 86_399;
    (first..=last).contains(&unix).then_some(unix)
}

/// Formats unix seconds as `YYYY-MM-DDTHH:MM:SSZ`, the form GitLab stores
/// (`Time#utc.iso8601`).
pub fn format_rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
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

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(parse_timestamp("1970-01-01"), Ok(0));
        assert_eq!(parse_timestamp("2025-09-01T00:00:00Z"), Ok(1_756_684_800));
        assert_eq!(parse_timestamp("2025-09-01"), Ok(1_756_684_800));
        assert_eq!(
            parse_timestamp("2025-09-01T02:00:00.123+02:00"),
            Ok(1_756_684_800)
        );
        assert_eq!(format_rfc3339(1_756_684_800), "2025-09-01T00:00:00Z");
        assert_eq!(format_rfc3339(-1), "1969-12-31T23:59:59Z");
        for bad in [
            "",
            "2025-13-01",
            "2025-02-30",
            "2025-09-01T25:00:00Z",
            "tomorrow",
            "2025-09-01T00:00:00",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_timestamp("2024-02-29"), Ok(1_709_164_800));
        for t in [0i64, 951_782_400, 4_102_444_799, -86_400 * 365] {
            assert_eq!(parse_timestamp(&format_rfc3339(t)), Ok(t));
        }
    }
}
