//! `PipelineGuard::JWT` module functions: the `jwt`-gem-compatible
//! `encode`/`decode` (the Ruby wrapper in `lib/pipeline_guard/jwt.rb`
//! resolves keys, key finders and JWKS, then calls these), and the mapping
//! of core JWT errors to the exception classes in `errors.rb`.
use std::borrow::Cow;

use magnus::{
    function, prelude::*, value::ReprValue, Error, ExceptionClass, RArray, RHash, RModule, RString,
    Ruby, Symbol, Value,
};
use pipeline_guard_core::jwt::{
    decode_unverified_with_limit, encode, verify_with_keys_json, Algorithm, ClaimRules, Expected,
    JtiCheck, JwtError, VerifiedJson, DEFAULT_MAX_TOKEN_BYTES,
};
use serde_json::{Map, Value as Json};

use crate::errors;
use crate::guard::guard;
use crate::json_value::{self, object_to_ruby};
use crate::signing_key::RbSigningKey;
use crate::verifying_key::RbVerifyingKey;

/// The exception class for a core JWT error.
pub fn jwt_error_class(ruby: &Ruby, err: &JwtError) -> Result<ExceptionClass, Error> {
    ruby.class_object().funcall::<_, _, ExceptionClass>(
        "const_get",
        (format!("PipelineGuard::JWT::{}", err.kind()),),
    )
}

/// A core JWT error as a Ruby exception of the matching class.
pub fn jwt_error(ruby: &Ruby, err: JwtError) -> Error {
    match jwt_error_class(ruby, &err) {
        Ok(class) => Error::new(class, err.message().to_owned()),
        Err(lookup_failed) => lookup_failed,
    }
}

/// A `PipelineGuard::JWT::<class>` error with `message`.
pub fn raise(ruby: &Ruby, class: &str, message: impl Into<String>) -> Error {
    errors::error(ruby, &format!("PipelineGuard::JWT::{class}"), message)
}

/// A `ToJsonError` as an `EncodeError`.
pub fn encode_error(ruby: &Ruby, what: &str, e: json_value::ToJsonError) -> Error {
    raise(
        ruby,
        "EncodeError",
        format!("{what} cannot be encoded: {}", e.0),
    )
}

/// The token's bytes as UTF-8 (copied so no Ruby buffer is borrowed).
pub fn token_str(ruby: &Ruby, token: RString) -> Result<String, Error> {
    // SAFETY: copied immediately.
    let bytes = unsafe { token.as_slice() }.to_vec();
    String::from_utf8(bytes).map_err(|_| raise(ruby, "DecodeError", "Invalid segment encoding"))
}

/// Parses an algorithm name for `encode`: `none` or unknown names are
/// `EncodeError`s (the gem raises NotImplementedError for unknown ones).
pub fn encode_algorithm(ruby: &Ruby, name: &str) -> Result<Algorithm, Error> {
    Algorithm::from_name(name).map_err(|e| raise(ruby, "EncodeError", e.message()))
}

/// Name of a Symbol or String option key or value.
fn name_of(value: Value) -> Option<Cow<'static, str>> {
    if let Some(sym) = Symbol::from_value(value) {
        return sym.name().ok();
    }
    RString::from_value(value).and_then(|s| s.to_string().ok().map(Cow::Owned))
}

/// A String or Symbol, or a list of them; `None` for anything else (the
/// Ruby wrapper handles Regexp/Proc issuers itself).
fn strings(value: Value) -> Option<Vec<String>> {
    if let Some(array) = RArray::from_value(value) {
        return array
            .into_iter()
            .map(|v| name_of(v).map(Cow::into_owned))
            .collect();
    }
    name_of(value).map(|n| vec![n.into_owned()])
}

fn expected(value: Value) -> Option<Expected> {
    if RArray::from_value(value).is_some() {
        strings(value).map(Expected::AnyOf)
    } else {
        name_of(value).map(|n| Expected::One(n.into_owned()))
    }
}

/// Calls `f` with the name of a Symbol or String (borrowed, no copy);
/// `None` for anything else.
fn with_name<T>(value: Value, f: impl FnOnce(&str) -> T) -> Option<T> {
    if let Some(sym) = Symbol::from_value(value) {
        return sym.name().ok().map(|n| f(&n));
    }
    let s = RString::from_value(value)?;
    // SAFETY: the bytes are used only inside `f`, which runs no Ruby code.
    let bytes = unsafe { s.as_slice() };
    std::str::from_utf8(bytes).ok().map(f)
}

/// Allowlist: the gem matches names case-insensitively; unknown names and
/// `none` can never match a token, so they are dropped (an empty list
/// given explicitly still means "no algorithm specified"; a list with an
/// entry that is not a String or Symbol counts as empty).
fn algorithms(value: Value) -> Vec<Algorithm> {
    let find = |n: &str| {
        Algorithm::ALL
            .iter()
            .copied()
            .find(|a| a.name().eq_ignore_ascii_case(n))
    };
    let mut algs = Vec::new();
    if let Some(array) = RArray::from_value(value) {
        for item in array.into_iter() {
            match with_name(item, find) {
                Some(Some(alg)) => algs.push(alg),
                Some(None) => {}
                None => return Vec::new(),
            }
        }
    } else if let Some(Some(alg)) = with_name(value, find) {
        algs.push(alg);
    }
    algs
}

/// The decode options of the `jwt` gem, read in one pass over the Hash.
struct DecodeOptions {
    rules: ClaimRules,
    algorithms: Vec<Algorithm>,
    max_token_bytes: usize,
}

fn decode_options(ruby: &Ruby, options: RHash) -> Result<DecodeOptions, Error> {
    let mut rules = ClaimRules::default();
    // Gem precedence: "algorithm", :algorithm, "algorithms", :algorithms.
    let mut alg_slots: [Option<Value>; 4] = [None; 4];
    let (mut verify_iss, mut verify_aud, mut verify_sub) = (false, false, false);
    let (mut iss, mut aud, mut sub) = (None, None, None);
    let mut max_token_bytes = DEFAULT_MAX_TOKEN_BYTES;
    options.foreach(|key: Value, value: Value| {
        let is_symbol = Symbol::from_value(key).is_some();
        let Some(name) = name_of(key) else {
            return Ok(magnus::r_hash::ForEach::Continue);
        };
        match name.as_ref() {
            "algorithm" => alg_slots[usize::from(is_symbol)] = Some(value),
            "algorithms" => alg_slots[2 + usize::from(is_symbol)] = Some(value),
            "verify_expiration" => rules.verify_expiration = value.to_bool(),
            "verify_not_before" => rules.verify_not_before = value.to_bool(),
            "verify_iat" => rules.verify_iat = value.to_bool(),
            "verify_iss" => verify_iss = value.to_bool(),
            "verify_aud" => verify_aud = value.to_bool(),
            "verify_sub" => verify_sub = value.to_bool(),
            "verify_jti" => {
                // A callable is run by the Ruby wrapper after the native checks.
                let callable = value.respond_to("call", false)?;
                if value.to_bool() && !callable {
                    rules.jti = JtiCheck::Present;
                }
            }
            "iss" if is_symbol => iss = Some(value),
            "aud" if is_symbol => aud = Some(value),
            "sub" if is_symbol => sub = Some(value),
            "leeway" if is_symbol && !value.is_nil() => rules.leeway = i64::try_convert(value)?,
            "exp_leeway" if is_symbol && !value.is_nil() => {
                rules.exp_leeway = Some(i64::try_convert(value)?)
            }
            "nbf_leeway" if is_symbol && !value.is_nil() => {
                rules.nbf_leeway = Some(i64::try_convert(value)?)
            }
            "required_claims" if is_symbol && !value.is_nil() => {
                rules.required_claims = strings(value).ok_or_else(|| {
                    Error::new(
                        ruby.exception_type_error(),
                        "required_claims must be a list of claim names",
                    )
                })?
            }
            "max_token_bytes" if is_symbol && !value.is_nil() => {
                max_token_bytes = usize::try_convert(value)?
            }
            _ => {}
        }
        Ok(magnus::r_hash::ForEach::Continue)
    })?;
    if verify_iss {
        rules.issuer = iss.filter(|v| v.to_bool()).and_then(expected);
    }
    if verify_aud {
        rules.audience = aud.filter(|v| v.to_bool()).and_then(expected);
    }
    if verify_sub {
        if let Some(sub) = sub.filter(|v| v.to_bool()) {
            let text: RString = sub.funcall("to_s", ())?;
            rules.subject = Some(text.to_string()?);
        }
    }
    let algorithms = match alg_slots.into_iter().flatten().next() {
        Some(value) => algorithms(value),
        None => Vec::new(),
    };
    Ok(DecodeOptions {
        rules,
        algorithms,
        max_token_bytes,
    })
}

/// `[payload, header]` as Ruby Hashes from verified JSON.
fn pair_from_json(ruby: &Ruby, verified: &VerifiedJson) -> Result<RArray, Error> {
    let payload = json_object(ruby, &verified.payload)?;
    let header = json_object(ruby, &verified.header)?;
    let out = ruby.ary_new_capa(2);
    out.push(payload)?;
    out.push(header)?;
    Ok(out)
}

/// A verified JSON object as a Ruby Hash.
pub fn json_object(ruby: &Ruby, json: &[u8]) -> Result<RHash, Error> {
    crate::json_bytes::object_from_json(ruby, json)?
        .ok_or_else(|| raise(ruby, "DecodeError", "Invalid segment encoding"))
}

/// Runs `f` on the token's bytes as UTF-8, borrowed from the Ruby String:
/// `f` must not call Ruby (nothing can change the String meanwhile).
pub fn with_token<T>(ruby: &Ruby, token: RString, f: impl FnOnce(&str) -> T) -> Result<T, Error> {
    // SAFETY: the slice is used only inside `f`, which runs no Ruby code,
    // and `token` is a live argument on the stack.
    let bytes = unsafe { token.as_slice() };
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(f(text)),
        Err(_) => Err(raise(ruby, "DecodeError", "Invalid segment encoding")),
    }
}

/// `[payload, header]` as Ruby Hashes.
fn pair(
    ruby: &Ruby,
    claims: &Map<String, Json>,
    header: &Map<String, Json>,
) -> Result<RArray, Error> {
    let out = ruby.ary_new_capa(2);
    out.push(object_to_ruby(ruby, claims)?)?;
    out.push(object_to_ruby(ruby, header)?)?;
    Ok(out)
}

/// `_decode(token, key_or_keys, options, now)`: verifying decode; `now`
/// is a Time or Unix seconds, nil meaning `Time.now`.
fn decode(
    ruby: &Ruby,
    token: RString,
    keys: Value,
    options: RHash,
    now: Value,
) -> Result<RArray, Error> {
    guard(ruby, || {
        let now = if now.is_nil() {
            crate::verifier::ruby_now(ruby)?
        } else {
            crate::verifier::time_seconds(ruby, now)?
        };
        let opts = decode_options(ruby, options)?;
        let mut held: Vec<&RbVerifyingKey> = Vec::new();
        if let Some(list) = RArray::from_value(keys) {
            for item in list.into_iter() {
                held.push(<&RbVerifyingKey>::try_convert(item)?);
            }
        } else if !keys.is_nil() {
            held.push(<&RbVerifyingKey>::try_convert(keys)?);
        }
        let refs: Vec<_> = held.iter().map(|k| k.key()).collect();
        let verified = with_token(ruby, token, |token| {
            verify_with_keys_json(
                token,
                &refs,
                &opts.algorithms,
                &opts.rules,
                now,
                opts.max_token_bytes,
            )
        })?
        .map_err(|e| jwt_error(ruby, e))?;
        pair_from_json(ruby, &verified)
    })
}

/// `_decode_unverified(token, max_token_bytes)`: structure only, no
/// signature or claim check (the gem's `verify = false`).
fn decode_unverified(ruby: &Ruby, token: RString, max: Option<usize>) -> Result<RArray, Error> {
    guard(ruby, || {
        let token = token_str(ruby, token)?;
        let decoded = decode_unverified_with_limit(&token, max.unwrap_or(DEFAULT_MAX_TOKEN_BYTES))
            .map_err(|e| jwt_error(ruby, e))?;
        pair(ruby, &decoded.claims, &decoded.header)
    })
}

/// `_encode(payload, signing_key, alg, header_fields)`.
fn encode_token(
    ruby: &Ruby,
    payload: Value,
    key: &RbSigningKey,
    alg: String,
    header_fields: Value,
) -> Result<String, Error> {
    guard(ruby, || {
        let alg = encode_algorithm(ruby, &alg)?;
        let claims =
            json_value::to_json(ruby, payload)?.map_err(|e| encode_error(ruby, "Payload", e))?;
        let header = match json_value::to_json(ruby, header_fields)?
            .map_err(|e| encode_error(ruby, "Header", e))?
        {
            Json::Object(map) => map,
            Json::Null => Map::new(),
            _ => return Err(raise(ruby, "EncodeError", "Header fields must be a Hash")),
        };
        encode(&header, &claims, alg, key.key()).map_err(|e| jwt_error(ruby, e))
    })
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let module = root.define_module("JWT")?;
    let _ = ruby;
    module.define_module_function("_decode", function!(decode, 4))?;
    module.define_module_function("_decode_unverified", function!(decode_unverified, 2))?;
    module.define_module_function("_encode", function!(encode_token, 4))?;
    Ok(())
}
