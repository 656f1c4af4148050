//! Token claims as CEL values, the way OpenBao hands them to cel-go: the
//! claims come from Go's `encoding/json` into `map[string]any`, so every
//! JSON number is a `double`, objects are `map(string, dyn)`, and `null`
//! is `null_type`.

use std::collections::HashMap;
use std::sync::Arc;

use cel::common::types::{
    CelBool, CelDouble, CelList, CelMap as ValMap, CelMapKey, CelNull, CelString,
};
use cel::common::value::Val;
use cel::objects::{Key, Map as CelMap};
use cel::Value;
use serde_json::{Map, Value as Json};

use crate::jwt::openbao_auth::go_value::go_format_float;

/// A JSON value as the CEL value cel-go would see.
pub(crate) fn from_json(value: &Json) -> Value {
    match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        // Go decodes every JSON number into a float64.
        Json::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        Json::String(s) => Value::String(Arc::new(s.clone())),
        Json::Array(items) => Value::List(Arc::new(items.iter().map(from_json).collect())),
        Json::Object(map) => Value::Map(object(map)),
    }
}

/// A JSON object as a CEL `map(string, dyn)`.
pub(crate) fn object(map: &Map<String, Json>) -> CelMap {
    let entries: HashMap<Key, Value> = map
        .iter()
        .map(|(k, v)| (Key::String(Arc::new(k.clone())), from_json(v)))
        .collect();
    CelMap {
        map: Arc::new(entries),
    }
}

/// [`from_json`] built straight into cel-rust's evaluation values, borrowing
/// the JSON's strings: a context takes its variables in this form, and
/// going through [`Value`] would build (and copy) the claims twice per login.
pub(crate) fn json_val(value: &Json) -> Box<dyn Val + '_> {
    match value {
        Json::Null => Box::new(CelNull),
        Json::Bool(b) => Box::new(CelBool::from(*b)),
        Json::Number(n) => Box::new(CelDouble::from(n.as_f64().unwrap_or(f64::NAN))),
        Json::String(s) => Box::new(CelString::from(s.as_str())),
        Json::Array(items) => Box::new(CelList::from(
            items.iter().map(json_val).collect::<Vec<_>>(),
        )),
        Json::Object(map) => Box::new(object_val(map)),
    }
}

/// [`object`] as an evaluation value borrowing `map` (see [`json_val`]).
pub(crate) fn object_val(map: &Map<String, Json>) -> ValMap<'_> {
    let entries: HashMap<CelMapKey<'_>, Box<dyn Val + '_>> = map
        .iter()
        .map(|(k, v)| (CelMapKey::from(k.as_str()), json_val(v)))
        .collect();
    ValMap::from(entries)
}

/// cel-go's `string(x)`: doubles as Go's `strconv.FormatFloat(f, 'g', -1,
/// 64)`, timestamps as RFC 3339 with nanoseconds, durations in seconds;
/// None where cel-go has no conversion.
pub(crate) fn go_string(value: &Value) -> Option<String> {
    Some(match value {
        Value::String(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => go_format_float(*f),
        Value::Bool(b) => b.to_string(),
        Value::Bytes(b) => String::from_utf8(b.to_vec()).ok()?,
        Value::Timestamp(t) => t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        Value::Duration(d) => {
            let nanos = d.num_nanoseconds()?;
            format!("{}s", go_format_seconds(nanos))
        }
        _ => return None,
    })
}

/// `strconv.FormatFloat(seconds, 'f', -1, 64)` of a nanosecond count.
fn go_format_seconds(nanos: i64) -> String {
    let f = nanos as f64 / 1e9;
    format!("{f}")
}

/// The name cel-go's `%T` prints for a result of this value's kind, as in
/// OpenBao's "returned unexpected type" message.
pub(crate) fn go_result_type(value: &Value) -> &'static str {
    match value {
        Value::List(_) => "*types.baseList",
        Value::Map(_) => "*types.baseMap",
        Value::Int(_) => "types.Int",
        Value::UInt(_) => "types.Uint",
        Value::Float(_) => "types.Double",
        Value::String(_) => "types.String",
        Value::Bytes(_) => "types.Bytes",
        Value::Bool(_) => "types.Bool",
        Value::Duration(_) => "types.Duration",
        Value::Timestamp(_) => "types.Timestamp",
        Value::Null => "types.Null",
        Value::Struct(_) => "*types.protoObj",
        Value::Function(..) => "*types.Function",
        Value::Opaque(_) => "*types.Optional",
    }
}

/// cel-go's type name of a value (`string`, `double`, `null_type`, ...).
pub(crate) fn cel_type_name(value: &Value) -> String {
    match value {
        Value::List(_) => "list".into(),
        Value::Map(_) => "map".into(),
        Value::Int(_) => "int".into(),
        Value::UInt(_) => "uint".into(),
        Value::Float(_) => "double".into(),
        Value::String(_) => "string".into(),
        Value::Bytes(_) => "bytes".into(),
        Value::Bool(_) => "bool".into(),
        Value::Duration(_) => "google.protobuf.Duration".into(),
        Value::Timestamp(_) => "google.protobuf.Timestamp".into(),
        Value::Null => "null_type".into(),
        Value::Struct(s) => s.name().to_string(),
        Value::Function(..) => "function".into(),
        Value::Opaque(_) => "optional_type".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_doubles() {
        assert_eq!(from_json(&json!(5)), Value::Float(5.0));
        assert_eq!(from_json(&json!(null)), Value::Null);
        let Value::Map(m) = from_json(&json!({"a": [1, "x"]})) else {
            panic!("map")
        };
        assert_eq!(m.map.len(), 1);
    }

    #[test]
    fn borrowed_values_match_owned_ones() {
        let json = json!({"a": [1, "x", null, true, {"b": 2.5}], "c": "d", "e": {}});
        let direct = Value::try_from(&*json_val(&json)).expect("value");
        assert_eq!(direct, from_json(&json));
        let Json::Object(map) = &json else {
            panic!("object")
        };
        let direct = Value::try_from(&object_val(map) as &dyn Val).expect("value");
        assert_eq!(direct, Value::Map(object(map)));
    }
}
