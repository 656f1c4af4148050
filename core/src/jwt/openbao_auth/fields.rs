//! Request-field parsing with the leniency of OpenBao's `framework` package
//! (weak typing from `mapstructure`, `parseutil` durations and comma lists).
//!
//! Each parser returns the Go error text; the caller wraps it as OpenBao
//! does (`error converting input for field "x": ...`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::gocompat::{self, go_quote};

/// Go's `%T` name of a JSON request value decoded with `UseNumber`.
fn go_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "json.Number",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn go_format_request(value: &Value) -> String {
    super::go_value::GoValue::from_role(value).go_format()
}

fn unconvertible(name: &str, want: &str, value: &Value) -> String {
    format!(
        "'{name}' expected type '{want}', got unconvertible type '{}', value: '{}'",
        go_type_name(value),
        go_format_request(value)
    )
}

/// `TypeString` / `TypeLowerCaseString` (the latter lowercases afterwards).
pub(crate) fn weak_string(name: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(if *b { "1" } else { "0" }.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(unconvertible(name, "string", value)),
    }
}

/// `TypeBool` via `mapstructure.WeakDecode`.
pub(crate) fn weak_bool(value: &Value) -> Result<bool, String> {
    match value {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => Ok(n.as_f64().is_some_and(|f| f != 0.0)),
        Value::String(s) => match s.as_str() {
            "" => Ok(false),
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
            _ => Err(format!(
                "cannot parse '' as bool: strconv.ParseBool: parsing {}: invalid syntax",
                go_quote(s)
            )),
        },
        _ => Err(unconvertible("", "bool", value)),
    }
}

/// `TypeInt` via `mapstructure.WeakDecode`.
pub(crate) fn weak_int(value: &Value) -> Result<i64, String> {
    match value {
        Value::Null => Ok(0),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Number(n) => n.as_i64().ok_or_else(|| {
            format!(
                "error decoding json.Number into : strconv.ParseInt: parsing {}: invalid syntax",
                go_quote(&n.to_string())
            )
        }),
        Value::String(s) if s.is_empty() => Ok(0),
        Value::String(s) => parse_go_int_base0(s).ok_or_else(|| {
            format!(
                "cannot parse '' as int: strconv.ParseInt: parsing {}: invalid syntax",
                go_quote(s)
            )
        }),
        _ => Err(unconvertible("", "int", value)),
    }
}

/// `strconv.ParseInt(s, 0, 64)`: sign, then decimal, `0x`, `0o`/`0`, `0b`.
fn parse_go_int_base0(s: &str) -> Option<i64> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let body = body.replace('_', "");
    let lower = body.to_ascii_lowercase();
    let magnitude = if let Some(hex) = lower.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()?
    } else if let Some(bin) = lower.strip_prefix("0b") {
        i128::from_str_radix(bin, 2).ok()?
    } else if let Some(oct) = lower.strip_prefix("0o") {
        i128::from_str_radix(oct, 8).ok()?
    } else if lower.len() > 1 && lower.starts_with('0') {
        i128::from_str_radix(&lower[1..], 8).ok()?
    } else {
        if lower.is_empty() || !lower.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        lower.parse::<i128>().ok()?
    };
    let signed = if negative { -magnitude } else { magnitude };
    i64::try_from(signed).ok()
}

/// `TypeDurationSecond` / `TypeSignedDurationSecond`: whole seconds, or
/// `None` when the field is null (OpenBao treats that as "not given").
pub(crate) fn duration_seconds(value: &Value, signed: bool) -> Result<Option<i64>, String> {
    let nanos: i128 = match value {
        Value::Null => return Ok(None),
        Value::Number(n) => parse_duration_text(&n.to_string())?,
        Value::String(s) => parse_duration_text(s)?,
        _ => return Err("could not parse duration from input".into()),
    };
    // int(dur.Seconds()) truncates toward zero.
    let seconds = i64::try_from(nanos / 1_000_000_000).map_err(|_| "duration out of range")?;
    if !signed && seconds < 0 {
        return Err(format!("cannot provide negative value '{seconds}'"));
    }
    Ok(Some(seconds))
}

const MAX_DURATION_NANOS: i128 = i64::MAX as i128;

/// `parseutil.ParseDurationSecond` on a string, in nanoseconds.
fn parse_duration_text(text: &str) -> Result<i128, String> {
    if text.is_empty() {
        return Ok(0);
    }
    let overflow = || "multiplication overflow".to_string();
    if let Ok(v) = gocompat::parse_int(text) {
        let nanos = i128::from(v) * 1_000_000_000;
        return if nanos.abs() > MAX_DURATION_NANOS {
            Err(overflow())
        } else {
            Ok(nanos)
        };
    }
    if let Some(days) = text.strip_suffix('d') {
        let v = gocompat::parse_int(days)?;
        let nanos = i128::from(v) * 86_400 * 1_000_000_000;
        return if nanos.abs() > MAX_DURATION_NANOS {
            Err(overflow())
        } else {
            Ok(nanos)
        };
    }
    gocompat::parse_duration(text).map(i128::from)
}

/// `TypeCommaStringSlice` via `parseutil.ParseCommaStringSlice`.
pub(crate) fn comma_string_slice(value: &Value) -> Result<Vec<String>, String> {
    let items: Vec<String> = match value {
        Value::Null => Vec::new(),
        Value::String(s) if s.is_empty() => return Ok(Vec::new()),
        Value::String(s) => s.split(',').map(str::to_string).collect(),
        Value::Number(n) => n.to_string().split(',').map(str::to_string).collect(),
        Value::Bool(b) => vec![if *b { "1" } else { "0" }.to_string()],
        Value::Array(list) => list
            .iter()
            .enumerate()
            .map(|(i, v)| weak_string(&format!("[{i}]"), v))
            .collect::<Result<_, _>>()?,
        Value::Object(map) if map.is_empty() => Vec::new(),
        Value::Object(_) => {
            return Err(format!(
                "'' source data must be an array or slice, got {}",
                "map"
            ))
        }
    };
    Ok(items.into_iter().map(|s| s.trim().to_string()).collect())
}

/// `TypeMap`: an object (an empty list counts as an empty map).
pub(crate) fn string_map(value: &Value) -> Result<serde_json::Map<String, Value>, String> {
    match value {
        Value::Null => Ok(serde_json::Map::new()),
        Value::Object(map) => Ok(map.clone()),
        Value::Array(list) if list.is_empty() => Ok(serde_json::Map::new()),
        other => Err(format!("'' expected a map, got '{}'", go_kind_name(other))),
    }
}

fn go_kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "invalid",
        Value::Bool(_) => "bool",
        Value::Number(_) | Value::String(_) => "string",
        Value::Array(_) => "slice",
        Value::Object(_) => "map",
    }
}

/// `TypeKVPairs`: a map of strings, or a list of `key=value` strings.
pub(crate) fn kv_pairs(value: &Value) -> Result<BTreeMap<String, String>, String> {
    if let Value::Object(map) = value {
        let mut out = BTreeMap::new();
        let mut all_scalar = true;
        for (k, v) in map {
            match weak_string(k, v) {
                Ok(s) => {
                    out.insert(k.clone(), s);
                }
                Err(_) => all_scalar = false,
            }
        }
        if all_scalar {
            return Ok(out);
        }
        return Err(format!(
            "'' source data must be an array or slice, got {}",
            "map"
        ));
    }
    let list: Vec<String> = match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| weak_string(&format!("[{i}]"), v))
            .collect::<Result<_, _>>()?,
        other => vec![weak_string("[0]", other)?],
    };
    let mut out = BTreeMap::new();
    for pair in list {
        match pair.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                out.insert(k.to_string(), v.to_string());
            }
            _ => return Err(format!("invalid key pair {}", go_quote(&pair))),
        }
    }
    Ok(out)
}

/// Go's `time.Duration.String()` for a whole number of seconds.
pub(crate) fn go_duration_string(seconds: i64) -> String {
    if seconds == 0 {
        return "0s".into();
    }
    let sign = if seconds < 0 { "-" } else { "" };
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, (abs % 3600) / 60, abs % 60);
    if h > 0 {
        format!("{sign}{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{sign}{m}m{s}s")
    } else {
        format!("{sign}{s}s")
    }
}

/// `strutil.RemoveDuplicates`: trim, optionally lowercase, drop empty,
/// de-duplicate, sort.
pub(crate) fn remove_duplicates(items: &[String], lowercase: bool) -> Vec<String> {
    let set: BTreeSet<String> = items
        .iter()
        .map(|s| {
            let t = s.trim();
            if lowercase {
                t.to_lowercase()
            } else {
                t.to_string()
            }
        })
        .filter(|s| !s.is_empty())
        .collect();
    set.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_accept_openbao_forms() {
        assert_eq!(duration_seconds(&json!(30), true), Ok(Some(30)));
        assert_eq!(duration_seconds(&json!("30"), true), Ok(Some(30)));
        assert_eq!(duration_seconds(&json!("1m"), true), Ok(Some(60)));
        assert_eq!(duration_seconds(&json!("1h30m"), true), Ok(Some(5400)));
        assert_eq!(duration_seconds(&json!("1.5s"), true), Ok(Some(1)));
        assert_eq!(duration_seconds(&json!("2d"), true), Ok(Some(172_800)));
        assert_eq!(duration_seconds(&json!(-1), true), Ok(Some(-1)));
        assert_eq!(duration_seconds(&json!(null), true), Ok(None));
        assert_eq!(
            duration_seconds(&json!(-1), false),
            Err("cannot provide negative value '-1'".into())
        );
        assert_eq!(
            duration_seconds(&json!("1.5"), true),
            Err("time: missing unit in duration \"1.5\"".into())
        );
        assert_eq!(
            duration_seconds(&json!("5x"), true),
            Err("time: unknown unit \"x\" in duration \"5x\"".into())
        );
        assert!(duration_seconds(&json!(true), true).is_err());
    }

    /// parseutil hands a `d` suffix to strconv.ParseInt and returns its
    /// error as is; Go's ParseDuration splits `1.2.3s` at the second dot.
    #[test]
    fn duration_errors_are_go_texts() {
        assert_eq!(
            duration_seconds(&json!("99999999999999999999d"), true),
            Err("strconv.ParseInt: parsing \"99999999999999999999\": value out of range".into())
        );
        assert_eq!(
            duration_seconds(&json!("1.2.3s"), true),
            Err("time: missing unit in duration \"1.2.3s\"".into())
        );
    }

    #[test]
    fn comma_slices() {
        assert_eq!(
            comma_string_slice(&json!("a, b")),
            Ok(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            comma_string_slice(&json!(["x", 5])),
            Ok(vec!["x".into(), "5".into()])
        );
        assert_eq!(comma_string_slice(&json!("")), Ok(vec![]));
    }

    #[test]
    fn kv_pairs_forms() {
        let m = kv_pairs(&json!(["a=b", "c=d=e"])).unwrap_or_default();
        assert_eq!(m.get("c").map(String::as_str), Some("d=e"));
        assert!(kv_pairs(&json!(["=x"])).is_err());
        assert_eq!(kv_pairs(&json!({"k": "v"})).unwrap_or_default().len(), 1);
    }

    #[test]
    fn duration_strings() {
        assert_eq!(go_duration_string(2_764_800), "768h0m0s");
        assert_eq!(go_duration_string(90), "1m30s");
        assert_eq!(go_duration_string(5), "5s");
    }
}
