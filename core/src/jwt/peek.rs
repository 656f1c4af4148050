//! Reading a token without verifying anything, as the `jwt` gem's
//! `decode(token, key, false)` does: any `alg` (also `none`), any header
//! parameters, any JSON payload, no signature decoding. The parsing stays
//! strict (unpadded base64url, unique top-level names, bounded nesting):
//! nothing read here is trusted, but it is read one way only.

use serde_json::{Map, Value};

use super::b64;
use super::error::JwtError;
use super::json::{object_error, parse_object, parse_value};

/// A token's header and payload, NOT verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Peeked {
    /// The header (a JSON object).
    pub header: Map<String, Value>,
    /// The payload: any JSON value (the gem signs Strings and Arrays too).
    pub payload: Value,
}

/// Splits like Ruby's `String#split(".")`, which drops trailing empty
/// fields, so `"h.p."` (a `none` token) has two segments; two or three
/// are accepted, as the gem does when not verifying.
pub fn peek(token: &str, max_token_bytes: usize) -> Result<Peeked, JwtError> {
    if token.len() > max_token_bytes {
        return Err(JwtError::decode(format!(
            "Token is larger than {max_token_bytes} bytes"
        )));
    }
    let mut parts: Vec<&str> = token.split('.').collect();
    while parts.last() == Some(&"") {
        parts.pop();
    }
    if !(parts.len() == 2 || parts.len() == 3) {
        return Err(JwtError::decode("Not enough or too many segments"));
    }
    let header = parse_object(&segment(parts[0])?).map_err(|e| object_error(e, "header"))?;
    let payload = parse_value(&segment(parts[1])?).map_err(|e| object_error(e, "payload"))?;
    Ok(Peeked { header, payload })
}

fn segment(part: &str) -> Result<Vec<u8>, JwtError> {
    b64::decode(part, "segment")
        .map_err(|_| JwtError::Base64Decode("Invalid base64 encoding".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn seg(json: &str) -> String {
        b64::encode(json)
    }

    #[test]
    fn reads_none_tokens_and_any_payload() {
        let token = format!("{}.{}.", seg(r#"{"alg":"none"}"#), seg(r#""Hello""#));
        let p = peek(&token, 1024).unwrap();
        assert_eq!(p.header["alg"], "none");
        assert_eq!(p.payload, json!("Hello"));
        let token = format!(
            "{}.{}",
            seg(r#"{"alg":"HS256","crit":["x"]}"#),
            seg("[1,2]")
        );
        assert_eq!(peek(&token, 1024).unwrap().payload, json!([1, 2]));
    }

    #[test]
    fn stays_strict() {
        let h = seg(r#"{"alg":"none"}"#);
        for bad in ["", "a", "a.b.c.d", h.as_str()] {
            assert_eq!(
                peek(bad, 1024).unwrap_err().to_string(),
                "Not enough or too many segments"
            );
        }
        let dup = format!("{h}.{}.", seg(r#"{"a":1,"a":2}"#));
        assert!(peek(&dup, 1024).is_err());
        let padded = format!("{h}=.{}.", seg("{}"));
        assert_eq!(
            peek(&padded, 1024).unwrap_err().to_string(),
            "Invalid base64 encoding"
        );
        let not_json = format!("{h}.{}.", seg("{nope"));
        assert_eq!(
            peek(&not_json, 1024).unwrap_err().to_string(),
            "Invalid segment encoding"
        );
        assert!(peek(&format!("{h}.{}.", seg("{}")), 10).is_err());
    }
}
