//! JSON text straight to Ruby objects (as `JSON.parse` builds them: String
//! keys, UTF-8 Strings, Integer/Float numbers), in one pass with no
//! intermediate `serde_json::Value`. Used for verified token payloads and
//! headers, whose JSON the core has already checked.
use std::fmt;

use magnus::{rb_sys::FromRawValue, Error, RHash, Ruby, Value};
use rb_sys::VALUE;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

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
        if let Some(&key) = common_names().get(v) {
            return Ok(key);
        }
        Ok(interned(v))
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
