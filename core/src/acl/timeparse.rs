//! Go-compatible parsing of the time values policies carry: absolute times
//! (`expiration`, RFC 3339 or unix seconds) and durations
//! (`min_wrapping_ttl`, `"90"`, `"2h30m"`, `"1d"`).
use crate::calendar::{days_from_civil, days_in_month};

use super::policy::ParamValue;

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
    if let Some(days) = s.strip_suffix('d') {
        if let Ok(d) = days.parse::<i64>() {
            return d
                .checked_mul(86_400 * SEC)
                .ok_or_else(|| "duration out of range".to_string());
        }
    }
    go_parse_duration(s)
        .ok_or_else(|| format!("time: invalid duration {}", super::policy::go_quote(s)))
}

/// Go's `time.ParseDuration`: `[-+]?(\d*\.?\d*(ns|us|µs|ms|s|m|h))+` or "0".
fn go_parse_duration(s: &str) -> Option<i64> {
    let (neg, mut rest) = match s.as_bytes().first()? {
        b'-' => (true, s.get(1..)?),
        b'+' => (false, s.get(1..)?),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = rest.get(..num_len)?;
        if num.is_empty() || num == "." {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        rest = rest.get(num_len..)?;
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = rest.get(..unit_len)?;
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += value * scale;
        rest = rest.get(unit_len..)?;
    }
    if total > i64::MAX as f64 {
        return None;
    }
    let ns = total as i64;
    Some(if neg { -ns } else { ns })
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
        assert!(s("5x").is_err());
        assert_eq!(duration_from_value(&ParamValue::Int(5)), Ok(5_000_000_000));
        assert!(duration_from_value(&ParamValue::Bool(true)).is_err());
    }
}
