//! The one converter between Ruby objects and JSON, so token headers,
//! claims, JWKS and keys cross the boundary without a JSON text round trip.
//!
//! Ruby -> JSON has two modes ([`Mode`]). `Generate` follows
//! `JSON.generate`: Hash keys become strings (Symbols by name, other keys
//! by `to_s`), Symbols become strings, and any other object is converted
//! with its own `to_json` (Time, BigDecimal, ActiveSupport types).
//! `Claims` takes JSON values only, for ID token claims: see [`claims`].
//! JSON -> Ruby follows `JSON.parse`: string keys, UTF-8 strings,
//! Integer/Float numbers; it builds straight from JSON text (no
//! intermediate `serde_json::Value`) or from a `serde_json::Value`, with
//! the same visitor.
use std::fmt;

use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    Error, Float, Integer, RArray, RHash, RModule, RString, Ruby, Symbol, Value,
};
use rb_sys::VALUE;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value as Json};

use crate::helpers::errors;
use crate::helpers::rstring;

/// Deepest nesting accepted when converting a Ruby object (also stops
/// self-referencing structures). `JSON.generate` allows 100.
const MAX_DEPTH: usize = 100;

/// Claims nest at most 32 below their members (ID tokens are flat); the
/// claims Hash itself is depth 0 here.
const MAX_CLAIMS_DEPTH: usize = 33;

/// How a Ruby object becomes JSON.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// As `JSON.generate`; failures are [`ToJsonError`]s.
    Generate,
    /// JSON values only: failures raise (see [`claims`]).
    Claims,
}

/// Why a Ruby object could not become JSON; the caller picks the class.
pub struct ToJsonError(pub String);

type Conv<T> = Result<T, ToJsonError>;

fn string_of(s: RString) -> Conv<String> {
    String::from_utf8(rstring::to_vec(s))
        .map_err(|_| ToJsonError("source sequence is illegal/malformed utf-8".to_owned()))
}

fn key_of(ruby: &Ruby, key: Value, mode: Mode) -> Result<Conv<String>, Error> {
    if mode == Mode::Claims {
        if let Some(sym) = Symbol::from_value(key) {
            return Ok(Ok(sym.name()?.into_owned()));
        }
        if let Some(s) = RString::from_value(key) {
            return Ok(Ok(s.to_string()?));
        }
        return Err(Error::new(
            ruby.exception_type_error(),
            "claim names must be Strings or Symbols",
        ));
    }
    if let Some(s) = RString::from_value(key) {
        return Ok(string_of(s));
    }
    if let Some(sym) = Symbol::from_value(key) {
        return Ok(sym
            .name()
            .map(|n| n.into_owned())
            .map_err(|e| ToJsonError(e.to_string())));
    }
    let s: RString = match key.funcall("to_s", ()) {
        Ok(s) => s,
        Err(e) => return Ok(Err(ToJsonError(e.to_string()))),
    };
    Ok(string_of(s))
}

/// A body given either as JSON text (a String, parsed) or as Ruby objects
/// (converted once, as [`to_json`] does); `Err` carries the message.
pub fn text_or_value(ruby: &Ruby, value: Value) -> Result<Conv<Json>, Error> {
    match RString::from_value(value) {
        Some(text) => Ok(
            rstring::with_bytes(text, |t| serde_json::from_slice::<Json>(t))
                .map_err(|e| ToJsonError(format!("not valid JSON: {e}"))),
        ),
        None => convert(ruby, value, 0, Mode::Generate),
    }
}

/// Converts a Ruby object to JSON; `Err` carries a message for an
/// `EncodeError`. Ruby exceptions raised by a `to_json` are returned as
/// `Ok(Err(..))` so they propagate unchanged.
pub fn to_json(ruby: &Ruby, value: Value) -> Result<Conv<Json>, Error> {
    convert(ruby, value, 0, Mode::Generate)
}

/// ID token claims as a JSON object: nil, booleans, Integers (beyond 64
/// bits as their decimal text), Floats, Strings, Symbols, Arrays and
/// Hashes with String or Symbol names, nesting at most 32 below the
/// members. Other values or names raise TypeError; NaN, Infinity and
/// deeper nesting raise `PipelineGuard::InvalidInput`.
pub fn claims(ruby: &Ruby, hash: RHash) -> Result<Map<String, Json>, Error> {
    match convert(ruby, hash.as_value(), 0, Mode::Claims)? {
        Ok(Json::Object(map)) => Ok(map),
        // Claims mode raises instead of returning a message.
        Ok(_) | Err(_) => Err(errors::invalid_input(ruby, "claims must be a Hash")),
    }
}

fn convert(ruby: &Ruby, value: Value, depth: usize, mode: Mode) -> Result<Conv<Json>, Error> {
    let claims = mode == Mode::Claims;
    if claims && depth > MAX_CLAIMS_DEPTH {
        return Err(errors::invalid_input(ruby, "claims nest too deeply"));
    }
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
        if claims {
            return Ok(Ok(Json::String(s.to_string()?)));
        }
        return Ok(string_of(s).map(Json::String));
    }
    if let Some(hash) = RHash::from_value(value) {
        let mut map = Map::with_capacity(hash.len());
        // The first failure stops the walk; Ruby errors are kept, not
        // raised through the iteration.
        let mut failure: Option<Result<ToJsonError, Error>> = None;
        hash.foreach(|k: Value, v: Value| {
            let entry = key_of(ruby, k, mode).and_then(|key| match key {
                Ok(key) => Ok(convert(ruby, v, depth + 1, mode)?.map(|json| (key, json))),
                Err(e) => Ok(Err(e)),
            });
            match entry {
                Ok(Ok((key, json))) => {
                    map.insert(key, json);
                    return Ok(magnus::r_hash::ForEach::Continue);
                }
                Ok(Err(e)) => failure = Some(Ok(e)),
                Err(e) => failure = Some(Err(e)),
            }
            Ok(magnus::r_hash::ForEach::Stop)
        })?;
        return match failure {
            Some(Ok(e)) => Ok(Err(e)),
            Some(Err(e)) => Err(e),
            None => Ok(Ok(Json::Object(map))),
        };
    }
    if let Some(array) = RArray::from_value(value) {
        let mut items = Vec::with_capacity(array.len());
        for item in array.into_iter() {
            match convert(ruby, item, depth + 1, mode)? {
                Ok(json) => items.push(json),
                Err(e) => return Ok(Err(e)),
            }
        }
        return Ok(Ok(Json::Array(items)));
    }
    if let Some(sym) = Symbol::from_value(value) {
        if claims {
            return Ok(Ok(Json::String(sym.name()?.into_owned())));
        }
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
        if claims {
            // Claims compare as text; a huge number keeps every digit.
            return Ok(Ok(Json::String(value.to_r_string()?.to_string()?)));
        }
        return Ok(Err(ToJsonError(
            "Integer is outside the 64-bit range JSON numbers are read with".to_owned(),
        )));
    }
    if let Some(float) = Float::from_value(value) {
        let f = float.to_f64();
        return match Number::from_f64(f) {
            Some(n) => Ok(Ok(Json::Number(n))),
            None if claims => Err(errors::invalid_input(
                ruby,
                "claims must not contain NaN or Infinity",
            )),
            None => Ok(Err(ToJsonError(format!("{f} not allowed in JSON")))),
        };
    }
    if claims {
        return Err(Error::new(
            ruby.exception_type_error(),
            format!("unsupported claim value of class {}", unsafe {
                value.classname()
            }),
        ));
    }
    // Anything else: what `JSON.generate` makes of it, as the jwt gem does.
    // (Plain `to_json` differs once ActiveSupport is loaded: it would turn a
    // Time into ISO 8601 where JSON.generate keeps `Time#to_s`.)
    let json_module: RModule = ruby.class_object().const_get("JSON")?;
    let text: RString = json_module.funcall("generate", (value,))?;
    let parsed = rstring::with_bytes(text, |t| serde_json::from_slice::<Json>(t));
    Ok(parsed.map_err(|_| ToJsonError("to_json did not return JSON".to_owned())))
}

/// Builds one Ruby value. Runs inside `rb_protect`; new objects live in
/// locals on the machine stack (found by Ruby's conservative GC) until
/// they are stored in their parent.
struct RubySeed;

impl<'de> DeserializeSeed<'de> for RubySeed {
    type Value = VALUE;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<VALUE, D::Error> {
        d.deserialize_any(RubySeed)
    }
}

impl<'de> Visitor<'de> for RubySeed {
    type Value = VALUE;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<VALUE, E> {
        Ok(rb_sys::Qnil as VALUE)
    }

    fn visit_bool<E>(self, v: bool) -> Result<VALUE, E> {
        Ok(if v { rb_sys::Qtrue } else { rb_sys::Qfalse } as VALUE)
    }

    fn visit_i64<E>(self, v: i64) -> Result<VALUE, E> {
        // SAFETY: object constructor, GVL held.
        Ok(unsafe { rb_sys::rb_ll2inum(v) })
    }

    fn visit_u64<E>(self, v: u64) -> Result<VALUE, E> {
        // SAFETY: as above.
        Ok(unsafe {
            match i64::try_from(v) {
                Ok(i) => rb_sys::rb_ll2inum(i),
                Err(_) => rb_sys::rb_ull2inum(v),
            }
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<VALUE, E> {
        // SAFETY: as above.
        Ok(unsafe { rb_sys::rb_float_new(v) })
    }

    fn visit_str<E>(self, v: &str) -> Result<VALUE, E> {
        // SAFETY: as above; `v` is valid UTF-8.
        Ok(unsafe { rb_sys::rb_utf8_str_new(v.as_ptr().cast(), v.len() as _) })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<VALUE, A::Error> {
        // SAFETY: as above; `array` stays on the stack while items are built.
        unsafe {
            let array = rb_sys::rb_ary_new_capa(seq.size_hint().unwrap_or(0) as _);
            while let Some(item) = seq.next_element_seed(RubySeed)? {
                rb_sys::rb_ary_push(array, item);
            }
            Ok(array)
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<VALUE, A::Error> {
        // SAFETY: as above. Keys are interned (frozen, deduplicated) Strings,
        // which a Hash stores for String keys anyway; a repeated nested name
        // replaces the value in place (as serde_json's Map does).
        unsafe {
            let hash = rb_sys::rb_hash_new();
            while let Some(key) = map.next_key_seed(KeySeed)? {
                let value = map.next_value_seed(RubySeed)?;
                rb_sys::rb_hash_aset(hash, key, value);
            }
            Ok(hash)
        }
    }
}

/// An object member name as an interned Ruby String.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = VALUE;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<VALUE, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = VALUE;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E>(self, v: &str) -> Result<VALUE, E> {
        Ok(key(v))
    }
}

/// A member name: one of the common names, or interned now.
fn key(name: &str) -> VALUE {
    match common_names().get(name) {
        Some(&key) => key,
        None => interned(name),
    }
}

/// `name` as an interned (frozen, deduplicated) UTF-8 String.
fn interned(name: &str) -> VALUE {
    // SAFETY: object constructor, GVL held; `name` is valid UTF-8.
    unsafe {
        rb_sys::rb_enc_interned_str(
            name.as_ptr().cast(),
            name.len() as _,
            rb_sys::rb_utf8_encoding(),
        )
    }
}

/// Member names of JWT headers and (GitLab CI) claims, interned once and
/// kept alive for the life of the process, so the Hash keys of a decoded
/// token need no lookup in Ruby's string table.
const COMMON_NAMES: &[&str] = &[
    "alg",
    "typ",
    "kid",
    "cty",
    "iss",
    "sub",
    "aud",
    "exp",
    "nbf",
    "iat",
    "jti",
    "namespace_id",
    "namespace_path",
    "project_id",
    "project_path",
    "user_id",
    "user_login",
    "user_email",
    "user_access_level",
    "user_identities",
    "pipeline_id",
    "pipeline_source",
    "job_id",
    "ref",
    "ref_type",
    "ref_path",
    "ref_protected",
    "environment",
    "environment_protected",
    "deployment_tier",
    "environment_action",
    "runner_id",
    "runner_environment",
    "sha",
    "project_visibility",
    "ci_config_ref_uri",
    "ci_config_sha",
    "groups_direct",
    "scope",
];

/// Raw VALUEs are plain integers; these are GC-registered and never freed.
fn common_names() -> &'static rustc_hash::FxHashMap<&'static str, VALUE> {
    static NAMES: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, VALUE>> =
        std::sync::OnceLock::new();
    // Only ever first called with the GVL held.
    NAMES.get_or_init(|| {
        COMMON_NAMES
            .iter()
            .map(|&name| {
                let key = interned(name);
                // SAFETY: GVL held; keeps `key` alive (and its VALUE valid).
                unsafe { rb_sys::rb_gc_register_mark_object(key) };
                (name, key)
            })
            .collect()
    })
}

/// The JSON object in `bytes` as a Ruby Hash; `None` if `bytes` is not a
/// JSON object (callers pass JSON the core has verified).
pub fn object_from_json(ruby: &Ruby, bytes: &[u8]) -> Result<Option<RHash>, Error> {
    let mut ok = false;
    // One rb_protect around the whole build. Only NoMemoryError can be
    // raised inside; it would leak the parser's scratch buffer, nothing else.
    let raw = magnus::rb_sys::protect(|| {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        match RubySeed
            .deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v))
        {
            Ok(v) => {
                ok = true;
                v
            }
            Err(_) => rb_sys::Qnil as VALUE,
        }
    })?;
    let _ = ruby;
    if !ok {
        return Ok(None);
    }
    // SAFETY: a live VALUE just returned by Ruby.
    let value = unsafe { Value::from_raw(raw) };
    Ok(RHash::from_value(value))
}

/// Runs `build` inside one `rb_protect` (only NoMemoryError can be raised
/// inside) and wraps the VALUE it returns.
fn protected(build: impl FnOnce() -> VALUE) -> Result<Value, Error> {
    let raw = magnus::rb_sys::protect(build)?;
    // SAFETY: a live VALUE just returned by Ruby.
    Ok(unsafe { Value::from_raw(raw) })
}

/// Converts JSON to Ruby objects as `JSON.parse` would.
pub fn to_ruby(_ruby: &Ruby, json: &Json) -> Result<Value, Error> {
    // A `Value` deserializes infallibly.
    protected(|| RubySeed.deserialize(json).unwrap_or(rb_sys::Qnil as VALUE))
}

/// A JSON object as a Ruby Hash with String keys, in document order.
pub fn object_to_ruby(ruby: &Ruby, map: &Map<String, Json>) -> Result<RHash, Error> {
    let value = protected(|| {
        // SAFETY: as in `RubySeed::visit_map`.
        unsafe {
            let hash = rb_sys::rb_hash_new();
            for (k, v) in map {
                let value = RubySeed.deserialize(v).unwrap_or(rb_sys::Qnil as VALUE);
                rb_sys::rb_hash_aset(hash, key(k), value);
            }
            hash
        }
    })?;
    RHash::from_value(value)
        .ok_or_else(|| Error::new(ruby.exception_runtime_error(), "expected a Hash"))
}
