//! `PipelineGuard::JWT._verify_claims` and `_check_numeric_claims`: the
//! claim checks of a verifying decode, on a payload the caller already
//! holds (`JWT::Claims`, `JWT::Verify`, `JWT::ClaimsValidator`). The rules
//! come from the same option reader `_decode` uses, so both check alike.
use magnus::{function, prelude::*, Error, RHash, RModule, Ruby, Value};
use pipeline_guard_core::jwt::{check_numeric_claims, validate_claims};
use serde_json::{Map, Value as Json};

use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::ruby_api::jwt::decode_options::{decode_options, RUBY_ALGORITHM_OBJECTS};
use crate::ruby_api::jwt::errors::{jwt_error, raise};

/// The payload's members; a payload that is not a Hash has none (so its
/// time claims are absent and any required claim is missing, as the gem
/// sees a String payload).
fn members(ruby: &Ruby, payload: Value) -> Result<Map<String, Json>, Error> {
    if RHash::from_value(payload).is_none() {
        return Ok(Map::new());
    }
    match json::to_json(ruby, payload)? {
        Ok(Json::Object(map)) => Ok(map),
        Ok(_) => Ok(Map::new()),
        Err(e) => Err(raise(ruby, "InvalidPayload", e.0)),
    }
}

/// `_verify_claims(payload, options, now, ruby_checks)`: `now` a Time or
/// Unix seconds, nil meaning the clock's now; `ruby_checks` as `_decode`.
fn verify_claims(
    ruby: &Ruby,
    payload: Value,
    options: RHash,
    now: Value,
    ruby_checks: u8,
) -> Result<(), Error> {
    guard(ruby, || {
        // Without RUBY_ALGORITHM_OBJECTS the options are always read.
        let Some(opts) = decode_options(ruby, options, ruby_checks & !RUBY_ALGORITHM_OBJECTS)?
        else {
            return Ok(());
        };
        let now = if now.is_nil() {
            crate::helpers::clock::now(ruby)?
        } else {
            crate::helpers::clock::time_seconds(ruby, now)?
        };
        validate_claims(&members(ruby, payload)?, &opts.rules, now).map_err(|e| jwt_error(ruby, e))
    })
}

/// `_check_numeric_claims(payload)`: `exp`/`nbf`/`iat` must be numbers, as
/// `encode` requires (`InvalidPayload`).
fn check_numeric(ruby: &Ruby, payload: Value) -> Result<(), Error> {
    guard(ruby, || {
        check_numeric_claims(&members(ruby, payload)?).map_err(|e| jwt_error(ruby, e))
    })
}

pub fn init(_ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let module = root.define_module("JWT")?;
    module.define_module_function("_verify_claims", function!(verify_claims, 4))?;
    module.define_module_function("_check_numeric_claims", function!(check_numeric, 1))?;
    Ok(())
}
