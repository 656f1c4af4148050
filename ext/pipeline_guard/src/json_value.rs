//! Conversions between Ruby objects and `serde_json::Value`, so token
//! headers and claims cross the boundary without a JSON text round trip.
//!
//! Ruby -> JSON follows `JSON.generate`: Hash keys become strings (Symbols
//! by name, other keys by `to_s`), Symbols become strings, and any other
//! object is converted with its own `to_json` (Time, BigDecimal,
//! ActiveSupport types). JSON -> Ruby follows `JSON.parse`: string keys,
//! UTF-8 strings, Integer/Float numbers.
use magnus::{
    prelude::*, rb_sys::AsRawValue, Error, Float, Integer, RArray, RHash, RString, Ruby, Symbol,
    Value,
};
use serde_json::{Map, Number, Value as Json};

/// Deepest nesting accepted when converting a Ruby object (also stops
/// self-referencing structures). `JSON.generate` allows 100.
const MAX_DEPTH: usize = 100;

/// Why a Ruby object could not become JSON; the caller picks the class.
pub struct ToJsonError(pub String);

type Conv<T> = Result<T, ToJsonError>;

fn string_of(s: RString) -> Conv<String> {
    // SAFETY: copied before any further Ruby call.
    let bytes = unsafe { s.as_slice() };
    String::from_utf8(bytes.to_vec())
        .map_err(|_| ToJsonError("source sequence is illegal/malformed utf-8".to_owned()))
}

fn key_of(key: Value) -> Conv<String> {
    if let Some(s) = RString::from_value(key) {
        return string_of(s);
    }
    if let Some(sym) = Symbol::from_value(key) {
        return sym
            .name()
            .map(|n| n.into_owned())
            .map_err(|e| ToJsonError(e.to_string()));
    }
    let s: RString = key
        .funcall("to_s", ())
        .map_err(|e| ToJsonError(e.to_string()))?;
    string_of(s)
}

/// Converts a Ruby object to JSON; `Err` carries a message for an
/// `EncodeError`. Ruby exceptions raised by a `to_json` are returned as
/// `Ok(Err(..))` so they propagate unchanged.
pub fn to_json(ruby: &Ruby, value: Value) -> Result<Conv<Json>, Error> {
    convert(ruby, value, 0)
}

fn convert(ruby: &Ruby, value: Value, depth: usize) -> Result<Conv<Json>, Error> {
    if depth > MAX_DEPTH {
        return Ok(Err(ToJsonError(format!("nesting of {depth} is too deep"))));
    }
    if value.is_nil() {
        return Ok(Ok(Json::Null));
    }
    let raw = value.as_raw();
    if raw == ruby.qtrue().as_raw() {
        return Ok(Ok(Json::Bool(true)));
    }
    if raw == ruby.qfalse().as_raw() {
        return Ok(Ok(Json::Bool(false)));
    }
    if let Some(s) = RString::from_value(value) {
        return Ok(string_of(s).map(Json::String));
    }
    if let Some(hash) = RHash::from_value(value) {
        let mut map = Map::with_capacity(hash.len());
        let mut failure: Option<ToJsonError> = None;
        hash.foreach(|k: Value, v: Value| {
            let key = match key_of(k) {
                Ok(key) => key,
                Err(e) => {
                    failure = Some(e);
                    return Ok(magnus::r_hash::ForEach::Stop);
                }
            };
            match convert(ruby, v, depth + 1)? {
                Ok(json) => {
                    map.insert(key, json);
                    Ok(magnus::r_hash::ForEach::Continue)
                }
                Err(e) => {
                    failure = Some(e);
                    Ok(magnus::r_hash::ForEach::Stop)
                }
            }
        })?;
        return Ok(match failure {
            Some(e) => Err(e),
            None => Ok(Json::Object(map)),
        });
    }
    if let Some(array) = RArray::from_value(value) {
        let mut items = Vec::with_capacity(array.len());
        for item in array.into_iter() {
            match convert(ruby, item, depth + 1)? {
                Ok(json) => items.push(json),
                Err(e) => return Ok(Err(e)),
            }
        }
        return Ok(Ok(Json::Array(items)));
    }
    if let Some(sym) = Symbol::from_value(value) {
        return Ok(sym
            .name()
            .map(|n| Json::String(n.into_owned()))
            .map_err(|e| ToJsonError(e.to_string())));
    }
    if let Some(int) = Integer::from_value(value) {
        if let Ok(i) = int.to_i64() {
            return Ok(Ok(Json::Number(i.into())));
        }
        if let Ok(u) = int.to_u64() {
            return Ok(Ok(Json::Number(u.into())));
        }
        return Ok(Err(ToJsonError(
            "Integer is outside the 64-bit range JSON numbers are read with".to_owned(),
        )));
    }
    if let Some(float) = Float::from_value(value) {
        let f = float.to_f64();
        return Ok(Number::from_f64(f)
            .map(Json::Number)
            .ok_or_else(|| ToJsonError(format!("{f} not allowed in JSON"))));
    }
    // Anything else: its own JSON representation, as JSON.generate does.
    let text: RString = value.funcall("to_json", ())?;
    // SAFETY: parsed before any further Ruby call.
    let parsed = unsafe { serde_json::from_slice::<Json>(text.as_slice()) };
    Ok(parsed.map_err(|_| ToJsonError("to_json did not return JSON".to_owned())))
}

/// Converts JSON to Ruby objects as `JSON.parse` would.
pub fn to_ruby(ruby: &Ruby, json: &Json) -> Result<Value, Error> {
    Ok(match json {
        Json::Null => ruby.qnil().as_value(),
        Json::Bool(true) => ruby.qtrue().as_value(),
        Json::Bool(false) => ruby.qfalse().as_value(),
        Json::Number(n) => number(ruby, n),
        Json::String(s) => ruby.str_new(s).as_value(),
        Json::Array(items) => {
            let array = ruby.ary_new_capa(items.len());
            for item in items {
                array.push(to_ruby(ruby, item)?)?;
            }
            array.as_value()
        }
        Json::Object(map) => object_to_ruby(ruby, map)?.as_value(),
    })
}

/// A JSON object as a Ruby Hash with String keys, in document order.
pub fn object_to_ruby(ruby: &Ruby, map: &Map<String, Json>) -> Result<RHash, Error> {
    let hash = ruby.hash_new();
    for (k, v) in map {
        hash.aset(ruby.str_new(k), to_ruby(ruby, v)?)?;
    }
    Ok(hash)
}

fn number(ruby: &Ruby, n: &Number) -> Value {
    if let Some(i) = n.as_i64() {
        ruby.integer_from_i64(i).as_value()
    } else if let Some(u) = n.as_u64() {
        ruby.integer_from_u64(u).as_value()
    } else {
        ruby.float_from_f64(n.as_f64().unwrap_or(f64::NAN))
            .as_value()
    }
}
