//! Go behaviour that OpenBao's messages carry, in one place: `%q` quoting
//! and go-multierror's text. Error texts must match OpenBao byte for byte,
//! so these follow Go, not Rust's `{:?}`.

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
}
