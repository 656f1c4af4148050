//! Go-compatible parsing of the time values policies carry: absolute times
//! (`expiration`, RFC 3339 or unix seconds) and durations
//! (`min_wrapping_ttl`, `"90"`, `"2h30m"`, `"1d"`).
use crate::calendar::{days_from_civil, days_in_month};

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
    if let Some(t) = parse_rfc3339(s) {
        return Ok(t);
    }
    s.parse::<i64>().map_err(|_| BAD_TIME)
}

fn digits(s: &str, from: usize, n: usize) -> Option<i64> {
    let part = s.get(from..from + n)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || b.get(10) != Some(&b'T')
    {
        return None;
    }
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let (year, month, day) = (digits(s, 0, 4)?, digits(s, 5, 2)?, digits(s, 8, 2)?);
    let (hour, minute, second) = (digits(s, 11, 2)?, digits(s, 14, 2)?, digits(s, 17, 2)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i)? {
        b'Z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b.get(i + 3) == Some(&b':') => {
            let (oh, om) = (digits(s, i + 1, 2)?, digits(s, i + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return None,
    };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
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
        return match days.parse::<i64>() {
            Ok(d) => d
                .checked_mul(86_400 * SEC)
                .ok_or_else(|| "duration out of range".to_string()),
            Err(e) => Err(go_parse_int_error(days, &e)),
        };
    }
    go_parse_duration(s)
}

/// `strconv.ParseInt`'s error text.
fn go_parse_int_error(s: &str, e: &std::num::ParseIntError) -> String {
    use std::num::IntErrorKind;
    let reason = match e.kind() {
        IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => "value out of range",
        _ => "invalid syntax",
    };
    format!(
        "strconv.ParseInt: parsing {}: {reason}",
        crate::gocompat::go_quote(s)
    )
}

/// Go's `time.ParseDuration`: `[-+]?(\d*\.?\d*(ns|us|µs|ms|s|m|h))+` or "0",
/// with Go's error texts.
fn go_parse_duration(s: &str) -> Result<i64, String> {
    let quote = crate::gocompat::go_quote;
    let invalid = || format!("time: invalid duration {}", quote(s));
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or("")),
        Some(b'+') => (false, s.get(1..).unwrap_or("")),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = rest.get(..num_len).unwrap_or("");
        if num.is_empty() || num == "." {
            return Err(invalid());
        }
        // Go reads the integer part as a uint64 first: too large is invalid.
        let int_part = num.split('.').next().unwrap_or("");
        if !int_part.is_empty() && int_part.parse::<u64>().map_or(true, |v| v > 1 << 63) {
            return Err(invalid());
        }
        let value: f64 = num.parse().map_err(|_| invalid())?;
        rest = rest.get(num_len..).unwrap_or("");
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = rest.get(..unit_len).unwrap_or("");
        let scale = match unit {
            "" => return Err(format!("time: missing unit in duration {}", quote(s))),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(unit),
                    quote(s)
                ))
            }
        };
        total += value * scale;
        rest = rest.get(unit_len..).unwrap_or("");
    }
    if total > i64::MAX as f64 {
        return Err(invalid());
    }
    let ns = total as i64;
    Ok(if neg { -ns } else { ns })
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
}
