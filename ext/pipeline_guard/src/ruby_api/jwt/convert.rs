//! Ruby inputs and outputs of the JWT classes: tokens as UTF-8, algorithm
//! names, verified JSON objects as Hashes.
use magnus::{Error, RHash, RString, Ruby};
use pipeline_guard_core::jwt::Algorithm;

use crate::helpers::rstring;
use crate::ruby_api::jwt::errors::{jwt_error_message, raise};

/// The token's bytes as UTF-8 (copied so no Ruby buffer is borrowed).
pub fn token_str(ruby: &Ruby, token: RString) -> Result<String, Error> {
    String::from_utf8(rstring::to_vec(token))
        .map_err(|_| raise(ruby, "DecodeError", "Invalid segment encoding"))
}

/// Parses an algorithm name for `encode`: `none` or unknown names are
/// `EncodeError`s (the gem raises NotImplementedError for unknown ones).
pub fn encode_algorithm(ruby: &Ruby, name: &str) -> Result<Algorithm, Error> {
    Algorithm::from_name(name).map_err(|e| raise(ruby, "EncodeError", jwt_error_message(&e)))
}

/// A verified JSON object as a Ruby Hash.
pub fn json_object(ruby: &Ruby, json: &[u8]) -> Result<RHash, Error> {
    crate::helpers::json::object_from_json(ruby, json)?
        .ok_or_else(|| raise(ruby, "DecodeError", "Invalid segment encoding"))
}

/// Runs `f` on the token's bytes as UTF-8, borrowed from the Ruby String:
/// `f` must not call Ruby (nothing can change the String meanwhile).
pub fn with_token<T>(ruby: &Ruby, token: RString, f: impl FnOnce(&str) -> T) -> Result<T, Error> {
    rstring::with_str(token, f)
        .ok_or_else(|| raise(ruby, "DecodeError", "Invalid segment encoding"))
}
