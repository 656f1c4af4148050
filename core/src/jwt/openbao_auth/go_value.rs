//! JSON values the way OpenBao's Go code sees them.
//!
//! OpenBao decodes JWT claims with go-jose (every number becomes a `float64`)
//! but role fields with `UseNumber` (a number keeps its literal text as a
//! `json.Number`). Matching rules, error texts and `%v` formatting all depend
//! on that difference, so both sides are converted into [`GoValue`] first.

use std::collections::BTreeMap;

use serde_json::Value;

/// A decoded JSON value with Go's dynamic type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum GoValue {
    Null,
    Bool(bool),
    /// A claim number (go-jose decodes numbers as `float64`).
    Float(f64),
    /// A `json.Number`: the literal text of a number from a role, or a claim
    /// number converted by OpenBao's `getClaim`.
    Number(String),
    String(String),
    List(Vec<GoValue>),
    /// Go maps print with sorted keys, which a BTreeMap gives for free.
    Map(BTreeMap<String, GoValue>),
}

/// Result of Go's `==` on two `interface{}` values.
pub(crate) enum GoEquality {
    Equal,
    NotEqual,
    /// Go panics when both sides hold the same uncomparable type (slice/map).
    Uncomparable,
}

impl GoValue {
    /// Converts a claim as go-jose decodes it: numbers become `float64`.
    pub(crate) fn from_claim(value: &Value) -> Self {
        match value {
            Value::Null => GoValue::Null,
            Value::Bool(b) => GoValue::Bool(*b),
            // as_f64 rounds to nearest like Go's ParseFloat does.
            Value::Number(n) => GoValue::Float(n.as_f64().unwrap_or(0.0)),
            Value::String(s) => GoValue::String(s.clone()),
            Value::Array(items) => GoValue::List(items.iter().map(Self::from_claim).collect()),
            Value::Object(map) => GoValue::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Self::from_claim(v)))
                    .collect(),
            ),
        }
    }

    /// Converts a role value as OpenBao stores it: numbers stay `json.Number`.
    ///
    /// serde_json does not keep a number's literal text, so a non-integer is
    /// rendered by serde (`1000.0`); that never equals a converted claim
    /// number (always integer digits), just as Go's literal would not.
    pub(crate) fn from_role(value: &Value) -> Self {
        match value {
            Value::Null => GoValue::Null,
            Value::Bool(b) => GoValue::Bool(*b),
            Value::Number(n) => GoValue::Number(n.to_string()),
            Value::String(s) => GoValue::String(s.clone()),
            Value::Array(items) => GoValue::List(items.iter().map(Self::from_role).collect()),
            Value::Object(map) => GoValue::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Self::from_role(v)))
                    .collect(),
            ),
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            GoValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// Go's `a == b` on two interface values.
    pub(crate) fn go_eq(&self, other: &GoValue) -> GoEquality {
        use GoValue::*;
        let equal = match (self, other) {
            (Null, Null) => true,
            (Bool(a), Bool(b)) => a == b,
            (Float(a), Float(b)) => a == b,
            (Number(a), Number(b)) => a == b,
            (String(a), String(b)) => a == b,
            (List(_), List(_)) | (Map(_), Map(_)) => return GoEquality::Uncomparable,
            _ => false,
        };
        if equal {
            GoEquality::Equal
        } else {
            GoEquality::NotEqual
        }
    }

    /// Go's `fmt` `%v` rendering, used verbatim inside OpenBao error texts.
    pub(crate) fn go_format(&self) -> String {
        let mut out = String::new();
        self.write_go_format(&mut out);
        out
    }

    fn write_go_format(&self, out: &mut String) {
        match self {
            GoValue::Null => out.push_str("<nil>"),
            GoValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            GoValue::Float(f) => out.push_str(&go_format_float(*f)),
            GoValue::Number(s) | GoValue::String(s) => out.push_str(s),
            GoValue::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    item.write_go_format(out);
                }
                out.push(']');
            }
            GoValue::Map(map) => {
                out.push_str("map[");
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.write_go_format(out);
                }
                out.push(']');
            }
        }
    }
}

/// Go's `int64(f)` on amd64: truncation toward zero, and the "integer
/// indefinite" value (i64::MIN) when the float does not fit.
pub(crate) fn go_float_to_i64(f: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    if f.is_finite() && (-LIMIT..LIMIT).contains(&f) {
        f.trunc() as i64
    } else {
        i64::MIN
    }
}

/// Go's `%v` for a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): shortest
/// digits, exponent form when the exponent is < -4 or >= 6 (`fmt` uses
/// precision 6 for that decision when printing the shortest form).
pub(crate) fn go_format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits, e.g. "1.5e6".
    let sci = format!("{f:e}");
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (sci.as_str(), 0),
    };
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.unsigned_abs())
    } else {
        // Plain decimal notation with the same shortest digits.
        format!("{f}")
    }
}

/// Looks a claim up the way OpenBao's `getClaim` does: a name starting with
/// `/` is a JSON pointer, anything else a plain key; a `float64` result is
/// turned into a `json.Number` of its truncated integer value; `aud` given as
/// a string becomes a one-element list. `None` means missing (or null).
pub(crate) fn get_claim(claims: &BTreeMap<String, GoValue>, name: &str) -> Option<GoValue> {
    let found = if name.starts_with('/') {
        json_pointer_get(claims, name)?
    } else {
        claims.get(name)?
    };
    let value = match found {
        GoValue::Null => return None,
        GoValue::String(s) if name == "aud" => GoValue::List(vec![GoValue::String(s.clone())]),
        GoValue::Float(f) => GoValue::Number(go_float_to_i64(*f).to_string()),
        other => other.clone(),
    };
    Some(value)
}

/// JSON pointer lookup with the rules of the Go `pointerstructure` package:
/// `~1` then `~0` unescaping, list indexes parsed like `strconv.Atoi`.
fn json_pointer_get<'a>(
    claims: &'a BTreeMap<String, GoValue>,
    pointer: &str,
) -> Option<&'a GoValue> {
    let rest = pointer.strip_prefix('/')?;
    let mut parts = rest.split('/').map(unescape_pointer_part);
    let first = parts.next()?;
    let mut current = claims.get(&first)?;
    for part in parts {
        current = match current {
            GoValue::Map(map) => map.get(&part)?,
            GoValue::List(items) => {
                let index = go_atoi(&part)?;
                let index = usize::try_from(index).ok()?;
                items.get(index)?
            }
            _ => return None,
        };
    }
    Some(current)
}

fn unescape_pointer_part(part: &str) -> String {
    part.replace("~1", "/").replace("~0", "~")
}

/// `strconv.Atoi`: optional sign, then decimal digits only.
pub(crate) fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// OpenBao's `normalizeList`: a string, bool or `json.Number` becomes a
/// one-element list, a list stays as is, anything else is refused.
pub(crate) fn normalize_list(value: &GoValue) -> Option<Vec<GoValue>> {
    match value {
        GoValue::List(items) => Some(items.clone()),
        GoValue::String(_) | GoValue::Bool(_) | GoValue::Number(_) => Some(vec![value.clone()]),
        _ => None,
    }
}

/// Converts a JSON claims object into the Go view of it.
pub(crate) fn claims_from_json(
    claims: &serde_json::Map<String, Value>,
) -> BTreeMap<String, GoValue> {
    claims
        .iter()
        .map(|(k, v)| (k.clone(), GoValue::from_claim(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go() {
        assert_eq!(go_format_float(184.0), "184");
        assert_eq!(go_format_float(34.5), "34.5");
        assert_eq!(go_format_float(1e21), "1e+21");
        assert_eq!(go_format_float(123456.0), "123456");
        assert_eq!(go_format_float(1234567.0), "1.234567e+06");
        assert_eq!(go_format_float(0.00001), "1e-05");
        assert_eq!(go_format_float(0.0001), "0.0001");
    }

    #[test]
    fn float_to_int_truncates_like_go() {
        assert_eq!(go_float_to_i64(34.9999), 34);
        assert_eq!(go_float_to_i64(-1.5), -1);
        assert_eq!(go_float_to_i64(1e300), i64::MIN);
    }

    #[test]
    fn pointer_lookup() {
        let claims = claims_from_json(
            serde_json::json!({"a/b": 1, "n": {"l": ["x", "y"]}, "m~": true})
                .as_object()
                .unwrap_or(&serde_json::Map::new()),
        );
        assert_eq!(
            get_claim(&claims, "/a~1b"),
            Some(GoValue::Number("1".into()))
        );
        assert_eq!(
            get_claim(&claims, "/n/l/1"),
            Some(GoValue::String("y".into()))
        );
        assert_eq!(
            get_claim(&claims, "/n/l/+1"),
            Some(GoValue::String("y".into()))
        );
        assert_eq!(get_claim(&claims, "/n/l/2"), None);
        assert_eq!(get_claim(&claims, "/m~0"), Some(GoValue::Bool(true)));
        assert_eq!(get_claim(&claims, "/n/l/x"), None);
    }

    #[test]
    fn map_prints_sorted() {
        let v = GoValue::from_claim(&serde_json::json!({"b": [1, "x"], "a": null}));
        assert_eq!(v.go_format(), "map[a:<nil> b:[1 x]]");
    }
}
