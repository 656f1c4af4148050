//! RFC 3339 timestamps for permission expiry, without a date-time crate: the
//! only needs are parsing GitLab's inputs and printing `...Z` in UTC.
use crate::rfc3339::{self, Profile};

use super::SecretsError;

/// Parses `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time
/// (`2025-09-01T00:00:00Z`, fractional seconds and `±HH:MM` offsets allowed)
/// into unix seconds ([`Profile::Expiry`]).
pub fn parse_timestamp(text: &str) -> Result<i64, SecretsError> {
    rfc3339::parse(text, Profile::Expiry).ok_or(SecretsError::InvalidExpiry)
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
