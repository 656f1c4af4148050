//! Bounded JSON parsing for token segments: a cheap nesting-depth pre-scan
//! keeps hostile input from making serde_json recurse deeply, and top-level
//! duplicate member names are refused so that no two parties can read a
//! different `alg`, `aud` or `exp` from the same token.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::error::JwtError;

/// Deepest array/object nesting accepted in a header or payload.
pub const MAX_JSON_DEPTH: usize = 32;

/// Returns the maximum `[`/`{` nesting depth of `bytes`, stopping early (and
/// returning a value above `limit`) once `limit` is exceeded. Brackets inside
/// strings are ignored. Malformed JSON is left for the real parser to reject.
pub(crate) fn nesting_depth_exceeds(bytes: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // Jump over the string: to its closing quote, skipping
                // backslash escapes.
                i += 1;
                loop {
                    let Some(found) = bytes
                        .get(i..)
                        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
                    else {
                        return false;
                    };
                    i += found;
                    if bytes[i] == b'\\' {
                        i += 2;
                    } else {
                        break;
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

pub(crate) const DUPLICATE_MEMBER: &str = "duplicate member name";

/// A JSON object whose top-level member names are unique.
struct UniqueObject(Map<String, Value>);

impl<'de> Deserialize<'de> for UniqueObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;

        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = UniqueObject;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<UniqueObject, A::Error> {
                let mut map = Map::new();
                while let Some((key, value)) = access.next_entry::<String, Value>()? {
                    if map.contains_key(&key) {
                        return Err(serde::de::Error::custom(DUPLICATE_MEMBER));
                    }
                    map.insert(key, value);
                }
                Ok(UniqueObject(map))
            }
        }

        deserializer.deserialize_map(ObjectVisitor)
    }
}

/// Why a segment did not parse as an object.
pub(crate) enum ObjectError {
    TooDeep,
    Duplicate,
    NotAnObject,
    Invalid,
}

/// Parses `bytes` as a JSON object with unique top-level names and bounded depth.
pub(crate) fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, ObjectError> {
    if nesting_depth_exceeds(bytes, MAX_JSON_DEPTH) {
        return Err(ObjectError::TooDeep);
    }
    match serde_json::from_slice::<UniqueObject>(bytes) {
        Ok(obj) => Ok(obj.0),
        Err(err) if err.is_data() && err.to_string().starts_with(DUPLICATE_MEMBER) => {
            Err(ObjectError::Duplicate)
        }
        Err(err) if err.is_data() => Err(ObjectError::NotAnObject),
        Err(_) => Err(ObjectError::Invalid),
    }
}

/// Parses any JSON value with bounded depth; an object must have unique
/// top-level names, as in [`parse_object`].
pub(crate) fn parse_value(bytes: &[u8]) -> Result<Value, ObjectError> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        return parse_object(bytes).map(Value::Object);
    }
    if nesting_depth_exceeds(bytes, MAX_JSON_DEPTH) {
        return Err(ObjectError::TooDeep);
    }
    serde_json::from_slice(bytes).map_err(|_| ObjectError::Invalid)
}

/// Maps an [`ObjectError`] to the error a caller sees for `segment`.
pub(crate) fn object_error(err: ObjectError, segment: &str) -> JwtError {
    match err {
        ObjectError::TooDeep => JwtError::decode(format!(
            "JSON nesting in {segment} is deeper than {MAX_JSON_DEPTH} levels"
        )),
        ObjectError::Duplicate => JwtError::decode(format!(
            "Invalid segment encoding: duplicate member name in {segment}"
        )),
        ObjectError::NotAnObject if segment == "payload" => {
            JwtError::InvalidPayload("Payload must be a JSON object".to_owned())
        }
        ObjectError::NotAnObject => JwtError::decode(format!(
            "Invalid segment encoding: {segment} must be a JSON object"
        )),
        ObjectError::Invalid => JwtError::decode("Invalid segment encoding"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_scan_ignores_strings() {
        assert!(!nesting_depth_exceeds(br#"{"a":"[[[[[[[[[["}"#, 2));
        assert!(nesting_depth_exceeds(b"[[[", 2));
        assert!(!nesting_depth_exceeds(b"[[]]", 2));
        assert!(!nesting_depth_exceeds(br#"{"a\"[[[":1}"#, 1));
        assert!(!nesting_depth_exceeds(br#"{"a\\":"[[["}"#, 1));
        assert!(nesting_depth_exceeds(br#"{"a\\":[[1]]}"#, 2));
        assert!(!nesting_depth_exceeds(br#"{"a":"x\"#, 1));
        assert!(!nesting_depth_exceeds(br#""[[[["#, 1));
    }

    #[test]
    fn parse_object_rules() {
        assert!(parse_object(br#"{"a":1,"b":[1,{"c":2}]}"#).is_ok());
        assert!(matches!(
            parse_object(br#"{"a":1,"a":2}"#),
            Err(ObjectError::Duplicate)
        ));
        assert!(matches!(
            parse_object(b"[1]"),
            Err(ObjectError::NotAnObject)
        ));
        assert!(matches!(
            parse_object(b"\"x\""),
            Err(ObjectError::NotAnObject)
        ));
        assert!(matches!(parse_object(b"{"), Err(ObjectError::Invalid)));
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(40), "]".repeat(40));
        assert!(matches!(
            parse_object(deep.as_bytes()),
            Err(ObjectError::TooDeep)
        ));
    }
}
