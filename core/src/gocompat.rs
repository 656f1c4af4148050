//! Go behaviour that OpenBao's messages carry, in one place: `%q` quoting,
//! go-multierror's text, `strconv.ParseInt` errors and `time.ParseDuration`.
//! Error texts must match OpenBao byte for byte, so these follow Go, not
//! Rust's `{:?}`. (Go's `time.Parse(time.RFC3339, ..)` is
//! [`crate::rfc3339::Profile::GoRfc3339`].)

/// Go's `%q` / `strconv.Quote` for the characters that appear in practice.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// go-multierror's default formatting.
pub(crate) fn multierror(errors: &[String]) -> String {
    if let [only] = errors {
        return format!("1 error occurred:\n\t* {only}\n\n");
    }
    let points: Vec<String> = errors.iter().map(|e| format!("* {e}")).collect();
    format!(
        "{} errors occurred:\n\t{}\n\n",
        errors.len(),
        points.join("\n\t")
    )
}

/// `strconv.ParseInt(s, 10, 64)` with its error text.
pub(crate) fn parse_int(s: &str) -> Result<i64, String> {
    use std::num::IntErrorKind;
    s.parse::<i64>().map_err(|e| {
        let reason = match e.kind() {
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => "value out of range",
            _ => "invalid syntax",
        };
        format!("strconv.ParseInt: parsing {}: {reason}", go_quote(s))
    })
}

const OVERFLOW: u64 = 1 << 63;

/// Go's `leadingInt`: the leading digits as an integer; None on overflow.
fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let len = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut x: u64 = 0;
    for &c in &s[..len] {
        if x > OVERFLOW / 10 {
            return None;
        }
        x = x * 10 + u64::from(c - b'0');
        if x > OVERFLOW {
            return None;
        }
    }
    Some((x, &s[len..]))
}

/// Go's `leadingFraction`: the digits after a `.` as `x / scale`, digits
/// past what fits being consumed and dropped.
fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let len = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let (mut x, mut scale, mut overflow) = (0u64, 1f64, false);
    for &c in &s[..len] {
        if overflow {
            continue;
        }
        if x > (OVERFLOW - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > OVERFLOW {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, &s[len..])
}

/// Go's `time.ParseDuration` (`[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` or `0`), in
/// nanoseconds, with exact integer arithmetic and Go's error texts.
pub(crate) fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(orig));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some((&sign @ (b'-' | b'+'), rest)) = s.split_first() {
        neg = sign == b'-';
        s = rest;
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while let Some(&first) = s.first() {
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let before = s.len();
        let (mut v, rest) = leading_int(s).ok_or_else(invalid)?;
        s = rest;
        let pre = before != s.len();
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if let Some(after_dot) = s.strip_prefix(b".") {
            let before = after_dot.len();
            let (x, sc, rest) = leading_fraction(after_dot);
            (f, scale, s) = (x, sc, rest);
            post = before != s.len();
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_len = s
            .iter()
            .position(|c| *c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(orig)));
        }
        let (unit, rest) = s.split_at(unit_len);
        s = rest;
        let unit_ns: u64 = match unit {
            b"ns" => 1,
            b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => 1_000,
            b"ms" => 1_000_000,
            b"s" => 1_000_000_000,
            b"m" => 60_000_000_000,
            b"h" => 3_600_000_000_000,
            _ => {
                // The unit ends at an ASCII byte or the end: whole characters.
                let unit = String::from_utf8_lossy(unit);
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_quote(&unit),
                    go_quote(orig)
                ));
            }
        };
        if v > OVERFLOW / unit_ns {
            return Err(invalid());
        }
        v *= unit_ns;
        if f > 0 {
            // As Go: float64 keeps fractions of hours nanosecond-accurate.
            v += (f as f64 * (unit_ns as f64 / scale)) as u64;
            if v > OVERFLOW {
                return Err(invalid());
            }
        }
        total = total.saturating_add(v);
        if total > OVERFLOW {
            return Err(invalid());
        }
    }
    if neg {
        // -(1 << 63) is i64::MIN, which Go accepts.
        return Ok((total as i64).wrapping_neg());
    }
    i64::try_from(total).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(
            go_quote("a\"b\\c\n\t\r\u{1}\u{7f}é"),
            r#""a\"b\\c\n\t\r\x01\x7fé""#
        );
    }

    #[test]
    fn multierror_text() {
        assert_eq!(multierror(&["x".into()]), "1 error occurred:\n\t* x\n\n");
        assert_eq!(
            multierror(&["x".into(), "y".into()]),
            "2 errors occurred:\n\t* x\n\t* y\n\n"
        );
    }

    #[test]
    fn parse_int_like_strconv() {
        assert_eq!(parse_int("+42"), Ok(42));
        assert_eq!(parse_int("-7"), Ok(-7));
        assert_eq!(
            parse_int("ba"),
            Err("strconv.ParseInt: parsing \"ba\": invalid syntax".into())
        );
        assert_eq!(
            parse_int(""),
            Err("strconv.ParseInt: parsing \"\": invalid syntax".into())
        );
        assert_eq!(
            parse_int("99999999999999999999"),
            Err("strconv.ParseInt: parsing \"99999999999999999999\": value out of range".into())
        );
    }

    #[test]
    fn parse_duration_like_go() {
        // Results and texts of Go 1.22's time.ParseDuration.
        let ok = [
            ("0", 0),
            ("-0", 0),
            ("+0", 0),
            ("5s", 5_000_000_000),
            ("1.5s", 1_500_000_000),
            (".5s", 500_000_000),
            ("5.s", 5_000_000_000),
            ("2h30m", 9_000_000_000_000),
            ("-1.5h", -5_400_000_000_000),
            ("1us", 1_000),
            ("1\u{b5}s", 1_000),
            ("1\u{3bc}s", 1_000),
            ("3ms4ns", 3_000_004),
            ("0.0000000001s", 0),
            ("9007199254740993ns", 9_007_199_254_740_993),
            ("9223372036854775807ns", i64::MAX),
            ("-9223372036854775808ns", i64::MIN),
        ];
        for (text, ns) in ok {
            assert_eq!(parse_duration(text), Ok(ns), "{text}");
        }
        let err = [
            ("", "time: invalid duration \"\""),
            ("-", "time: invalid duration \"-\""),
            ("s", "time: invalid duration \"s\""),
            (".s", "time: invalid duration \".s\""),
            (" 5m", "time: invalid duration \" 5m\""),
            ("5", "time: missing unit in duration \"5\""),
            ("1.2.3s", "time: missing unit in duration \"1.2.3s\""),
            ("5x", "time: unknown unit \"x\" in duration \"5x\""),
            (
                "9223372036854775808ns",
                "time: invalid duration \"9223372036854775808ns\"",
            ),
            (
                "99999999999999999999s",
                "time: invalid duration \"99999999999999999999s\"",
            ),
            ("3000000h", "time: invalid duration \"3000000h\""),
            (
                "2562047h47m16.854775808s",
                "time: invalid duration \"2562047h47m16.854775808s\"",
            ),
        ];
        for (text, message) in err {
            assert_eq!(parse_duration(text), Err(message.to_owned()), "{text}");
        }
    }
}
