//! Go-compatible parsing of the time values policies carry: absolute times
//! (`expiration`, RFC 3339 or unix seconds) and durations
//! (`min_wrapping_ttl`, `"90"`, `"2h30m"`, `"1d"`).
use crate::gocompat;
use crate::rfc3339::{self, Profile};

use super::value::ParamValue;

/// Current unix time in seconds (0 if the clock is before 1970).
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

const BAD_TIME: &str = "could not parse string as date and time";

/// `parseutil.ParseAbsoluteTime` for strings: RFC 3339 (with or without
/// fractional seconds) or integer unix seconds. Returns unix seconds
/// (fractions rounded down).
pub fn parse_absolute_time(s: &str) -> Result<i64, &'static str> {
    if let Some(t) = rfc3339::parse(s, Profile::GoRfc3339) {
        return Ok(t);
    }
    s.parse::<i64>().map_err(|_| BAD_TIME)
}

/// `parseutil.ParseDurationSecond`: numbers are seconds; strings are
/// integer seconds, `<n>d` days, or Go durations. Returns nanoseconds.
pub fn duration_from_value(v: &ParamValue) -> Result<i64, String> {
    const SEC: i64 = 1_000_000_000;
    match v {
        ParamValue::Null => Ok(0),
        ParamValue::Int(i) => i
            .checked_mul(SEC)
            .ok_or_else(|| "duration out of range".to_string()),
        ParamValue::Float(f) => {
            let ns = f * SEC as f64;
            if ns.is_finite() && ns.abs() < i64::MAX as f64 {
                Ok(ns as i64)
            } else {
                Err("duration out of range".to_string())
            }
        }
        ParamValue::Str(s) => parse_duration_string(s),
        _ => Err("could not parse duration from input".to_string()),
    }
}

fn parse_duration_string(s: &str) -> Result<i64, String> {
    const SEC: i64 = 1_000_000_000;
    if s.is_empty() {
        return Ok(0);
    }
    if let Ok(secs) = s.parse::<i64>() {
        return secs
            .checked_mul(SEC)
            .ok_or_else(|| "duration out of range".to_string());
    }
    // parseutil sends a `d` suffix to strconv.ParseInt and everything else
    // to time.ParseDuration, with their error texts.
    if let Some(days) = s.strip_suffix('d') {
        return gocompat::parse_int(days)?
            .checked_mul(86_400 * SEC)
            .ok_or_else(|| "duration out of range".to_string());
    }
    gocompat::parse_duration(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_times() {
        assert_eq!(parse_absolute_time("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(
            parse_absolute_time("2020-02-29T12:00:00Z"),
            Ok(1_582_977_600)
        );
        assert_eq!(
            parse_absolute_time("2098-07-04T10:00:00+05:30"),
            parse_absolute_time("2098-07-04T04:30:00Z")
        );
        assert_eq!(
            parse_absolute_time("2001-09-09T01:46:40.5Z"),
            Ok(1_000_000_000)
        );
        assert_eq!(parse_absolute_time("12345"), Ok(12345));
        assert!(parse_absolute_time("2021-02-30T00:00:00Z").is_err());
        assert!(parse_absolute_time("tomorrow").is_err());
    }

    #[test]
    fn durations() {
        let s = |x: &str| duration_from_value(&ParamValue::Str(x.into()));
        assert_eq!(s("90"), Ok(90_000_000_000));
        assert_eq!(s("2h30m"), Ok(9_000_000_000_000));
        assert_eq!(s("1.5s"), Ok(1_500_000_000));
        assert_eq!(s("1d"), Ok(86_400_000_000_000));
        assert_eq!(s(""), Ok(0));
        // Error texts as OpenBao 2.7.2 reports them.
        assert_eq!(
            s("5x"),
            Err("time: unknown unit \"x\" in duration \"5x\"".into())
        );
        assert_eq!(
            s("bad"),
            Err("strconv.ParseInt: parsing \"ba\": invalid syntax".into())
        );
        assert_eq!(s("xyz"), Err("time: invalid duration \"xyz\"".into()));
        assert_eq!(s(" 5m"), Err("time: invalid duration \" 5m\"".into()));
        assert_eq!(
            s("99999999999999999999"),
            Err("time: invalid duration \"99999999999999999999\"".into())
        );
        assert_eq!(
            s("99999999999999999999d"),
            Err("strconv.ParseInt: parsing \"99999999999999999999\": value out of range".into())
        );
        assert_eq!(duration_from_value(&ParamValue::Int(5)), Ok(5_000_000_000));
        assert!(duration_from_value(&ParamValue::Bool(true)).is_err());
    }

    /// Go's time.ParseDuration counts in integer nanoseconds and splits
    /// `1.2.3s` at the second dot.
    #[test]
    fn durations_are_exact_go() {
        let s = |x: &str| duration_from_value(&ParamValue::Str(x.into()));
        assert_eq!(s("9007199254740993ns"), Ok(9_007_199_254_740_993));
        assert_eq!(s("-9223372036854775808ns"), Ok(i64::MIN));
        assert_eq!(
            s("1.2.3s"),
            Err("time: missing unit in duration \"1.2.3s\"".into())
        );
    }
}
