//! Conversions between Ruby objects and `serde_json::Value`, so token
//! headers and claims cross the boundary without a JSON text round trip.
//!
//! Ruby -> JSON follows `JSON.generate`: Hash keys become strings (Symbols
//! by name, other keys by `to_s`), Symbols become strings, and any other
//! object is converted with its own `to_json` (Time, BigDecimal,
//! ActiveSupport types). JSON -> Ruby follows `JSON.parse`: string keys,
//! UTF-8 strings, Integer/Float numbers.
use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    Error, Float, Integer, RArray, RHash, RModule, RString, Ruby, Symbol, Value,
};
use serde_json::{Map, Number, Value as Json};

use crate::helpers::rstring;

/// Deepest nesting accepted when converting a Ruby object (also stops
/// self-referencing structures). `JSON.generate` allows 100.
const MAX_DEPTH: usize = 100;

/// Why a Ruby object could not become JSON; the caller picks the class.
pub struct ToJsonError(pub String);

type Conv<T> = Result<T, ToJsonError>;

fn string_of(s: RString) -> Conv<String> {
    String::from_utf8(rstring::to_vec(s))
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
    // Anything else: what `JSON.generate` makes of it, as the jwt gem does.
    // (Plain `to_json` differs once ActiveSupport is loaded: it would turn a
    // Time into ISO 8601 where JSON.generate keeps `Time#to_s`.)
    let json_module: RModule = ruby.class_object().const_get("JSON")?;
    let text: RString = json_module.funcall("generate", (value,))?;
    let parsed = rstring::with_bytes(text, |t| serde_json::from_slice::<Json>(t));
    Ok(parsed.map_err(|_| ToJsonError("to_json did not return JSON".to_owned())))
}

/// Converts JSON to Ruby objects as `JSON.parse` would.
pub fn to_ruby(_ruby: &Ruby, json: &Json) -> Result<Value, Error> {
    // One rb_protect around the whole build instead of one per object.
    magnus::rb_sys::protect(|| raw_value(json)).map(|v| {
        // SAFETY: a live VALUE just returned by Ruby.
        unsafe { Value::from_raw(v) }
    })
}

/// A JSON object as a Ruby Hash with String keys, in document order.
pub fn object_to_ruby(ruby: &Ruby, map: &Map<String, Json>) -> Result<RHash, Error> {
    let raw = magnus::rb_sys::protect(|| raw_object(map))?;
    // SAFETY: a live VALUE just returned by Ruby.
    let value = unsafe { Value::from_raw(raw) };
    RHash::from_value(value)
        .ok_or_else(|| Error::new(ruby.exception_runtime_error(), "expected a Hash"))
}

/// Builds the Ruby object for `json` with plain C API calls. Runs inside
/// `rb_protect`; holds no Rust values that need dropping, so an exception
/// (only NoMemoryError is possible) unwinds safely to the protect frame.
/// New objects live in locals on the machine stack, where Ruby's
/// conservative GC finds them.
fn raw_value(json: &Json) -> rb_sys::VALUE {
    // SAFETY: plain object constructors, called with the GVL held.
    unsafe {
        match json {
            Json::Null => rb_sys::Qnil as rb_sys::VALUE,
            Json::Bool(true) => rb_sys::Qtrue as rb_sys::VALUE,
            Json::Bool(false) => rb_sys::Qfalse as rb_sys::VALUE,
            Json::Number(n) => {
                if let Some(i) = n.as_i64() {
                    rb_sys::rb_ll2inum(i)
                } else if let Some(u) = n.as_u64() {
                    rb_sys::rb_ull2inum(u)
                } else {
                    rb_sys::rb_float_new(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Json::String(s) => rb_sys::rb_utf8_str_new(s.as_ptr().cast(), s.len() as _),
            Json::Array(items) => {
                let array = rb_sys::rb_ary_new_capa(items.len() as _);
                for item in items {
                    rb_sys::rb_ary_push(array, raw_value(item));
                }
                array
            }
            Json::Object(map) => raw_object(map),
        }
    }
}

fn raw_object(map: &Map<String, Json>) -> rb_sys::VALUE {
    // SAFETY: as in `raw_value`. Keys are created as interned (frozen,
    // deduplicated) Strings, which is what a Hash stores for String keys
    // anyway, so `rb_hash_aset` keeps them without copying.
    unsafe {
        let hash = rb_sys::rb_hash_new();
        for (k, v) in map {
            let key = rb_sys::rb_enc_interned_str(
                k.as_ptr().cast(),
                k.len() as _,
                rb_sys::rb_utf8_encoding(),
            );
            rb_sys::rb_hash_aset(hash, key, raw_value(v));
        }
        hash
    }
}
