//! `PipelineGuard::JWT` module functions: the `jwt`-gem-compatible
//! `encode`/`decode` (the Ruby wrapper in `lib/pipeline_guard/jwt.rb`
//! resolves keys, key finders and JWKS, then calls these).
use magnus::{function, prelude::*, Error, RArray, RHash, RModule, RString, Ruby, Value};
use pipeline_guard_core::jwt::{
    decode_unverified_with_limit, encode, encode_unsecured, peek, verify_with_keys_json,
    VerifiedJson, VerifyingKey, DEFAULT_MAX_TOKEN_BYTES,
};
use serde_json::{Map, Value as Json};

use crate::helpers::guard::guard;
use crate::helpers::json::{self, object_to_ruby};
use crate::ruby_api::jwt::convert::{encode_algorithm, json_object, token_str, with_token};
use crate::ruby_api::jwt::decode_options::decode_options;
use crate::ruby_api::jwt::errors::{encode_error, jwt_error, raise};
use crate::ruby_api::jwt::signing_key::RbSigningKey;
use crate::ruby_api::jwt::verifying_key::RbVerifyingKey;

/// `[payload, header]` as Ruby Hashes from verified JSON.
fn pair_from_json(ruby: &Ruby, verified: &VerifiedJson) -> Result<RArray, Error> {
    let payload = json_object(ruby, &verified.payload)?;
    let header = json_object(ruby, &verified.header)?;
    let out = ruby.ary_new_capa(2);
    out.push(payload)?;
    out.push(header)?;
    Ok(out)
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

/// `_decode(token, key_or_keys, options, now, ruby_checks)`: verifying
/// decode; `now` is a Time or Unix seconds, nil meaning the clock's now;
/// `ruby_checks` names what the Ruby wrapper does itself. nil (nothing
/// verified, keys not read) when it asked for algorithm objects and the
/// allowlist holds one.
fn decode(
    ruby: &Ruby,
    token: RString,
    keys: Value,
    options: RHash,
    now: Value,
    ruby_checks: u8,
) -> Result<Option<RArray>, Error> {
    guard(ruby, || {
        let Some(opts) = decode_options(ruby, options, ruby_checks)? else {
            return Ok(None);
        };
        let now = if now.is_nil() {
            crate::helpers::clock::now(ruby)?
        } else {
            crate::helpers::clock::time_seconds(ruby, now)?
        };
        let verify = |refs: &[&VerifyingKey]| {
            with_token(ruby, token, |token| {
                verify_with_keys_json(
                    token,
                    refs,
                    &opts.algorithms,
                    &opts.rules,
                    now,
                    opts.max_token_bytes,
                )
            })
        };
        // One key (the common case) needs no list.
        let verified = if let Some(list) = RArray::from_value(keys) {
            let mut held: Vec<&RbVerifyingKey> = Vec::with_capacity(list.len());
            for item in list.into_iter() {
                held.push(<&RbVerifyingKey>::try_convert(item)?);
            }
            let refs: Vec<_> = held.iter().map(|k| k.key()).collect();
            verify(&refs)?
        } else if keys.is_nil() {
            verify(&[])?
        } else {
            verify(&[<&RbVerifyingKey>::try_convert(keys)?.key()])?
        }
        .map_err(|e| jwt_error(ruby, e))?;
        pair_from_json(ruby, &verified).map(Some)
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

/// `_peek(token, max_token_bytes)`: the gem's `decode(token, key, false)`,
/// `[payload, header]` of any token (also `none`), nothing verified.
fn peek_token(ruby: &Ruby, token: RString, max: Option<usize>) -> Result<RArray, Error> {
    guard(ruby, || {
        let token = token_str(ruby, token)?;
        let peeked =
            peek(&token, max.unwrap_or(DEFAULT_MAX_TOKEN_BYTES)).map_err(|e| jwt_error(ruby, e))?;
        let out = ruby.ary_new_capa(2);
        out.push(json::to_ruby(ruby, &peeked.payload)?)?;
        out.push(object_to_ruby(ruby, &peeked.header)?)?;
        Ok(out)
    })
}

/// The header fields Hash (or nil) as a JSON object.
fn header_map(ruby: &Ruby, header_fields: Value) -> Result<Map<String, Json>, Error> {
    match json::to_json(ruby, header_fields)?.map_err(|e| encode_error(ruby, "Header", e))? {
        Json::Object(map) => Ok(map),
        Json::Null => Ok(Map::new()),
        _ => Err(raise(ruby, "EncodeError", "Header fields must be a Hash")),
    }
}

/// `_encode_unsecured(payload, header_fields)`: `alg: "none"`, as the gem
/// encodes it when asked.
fn encode_unsecured_token(
    ruby: &Ruby,
    payload: Value,
    header_fields: Value,
) -> Result<String, Error> {
    guard(ruby, || {
        let claims = json::to_json(ruby, payload)?.map_err(|e| encode_error(ruby, "Payload", e))?;
        encode_unsecured(&header_map(ruby, header_fields)?, &claims).map_err(|e| jwt_error(ruby, e))
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
        let claims = json::to_json(ruby, payload)?.map_err(|e| encode_error(ruby, "Payload", e))?;
        let header = header_map(ruby, header_fields)?;
        encode(&header, &claims, alg, key.key()).map_err(|e| jwt_error(ruby, e))
    })
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let module = root.define_module("JWT")?;
    let _ = ruby;
    module.define_module_function("_decode", function!(decode, 5))?;
    module.define_module_function("_decode_unverified", function!(decode_unverified, 2))?;
    module.define_module_function("_encode", function!(encode_token, 4))?;
    module.define_module_function("_encode_unsecured", function!(encode_unsecured_token, 2))?;
    module.define_module_function("_peek", function!(peek_token, 2))?;
    Ok(())
}
