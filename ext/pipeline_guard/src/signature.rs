//! `PipelineGuard::Crypto.verify_signature`: raw JWS signature check for
//! test vectors and interop, and the raw signing the `JWT::JWA` algorithm
//! objects use. The Ruby wrappers turn keys into a
//! `PipelineGuard::JWT::VerifyingKey` / `SigningKey` first.
use magnus::{function, prelude::*, Error, RModule, RString, Ruby};
use pipeline_guard_core::jwt::{sign, verify_signature, Algorithm};

use crate::errors::{error, invalid_input};
use crate::guard::guard;
use crate::jwt::jwt_error;
use crate::signing_key::RbSigningKey;
use crate::verifying_key::RbVerifyingKey;

/// `_sign(alg, signing_key, message)`: the raw JWS signature (ECDSA as
/// `r || s`). A key that does not fit `alg` is a `JWT::EncodeError`.
fn sign_raw(
    ruby: &Ruby,
    alg: String,
    key: &RbSigningKey,
    message: RString,
) -> Result<RString, Error> {
    guard(ruby, || {
        let alg = Algorithm::from_name(&alg)
            .map_err(|_| invalid_input(ruby, format!("unsupported JWS algorithm {alg:?}")))?;
        key.key()
            .check_algorithm(alg)
            .map_err(|e| error(ruby, "PipelineGuard::JWT::EncodeError", e.message()))?;
        // SAFETY: the message is read before any Ruby call.
        let signature = unsafe { sign(alg, key.key(), message.as_slice()) };
        Ok(ruby.str_from_slice(&signature.map_err(|e| jwt_error(ruby, e))?))
    })
}

fn verify(
    ruby: &Ruby,
    alg: String,
    key: &RbVerifyingKey,
    message: RString,
    signature: RString,
) -> Result<bool, Error> {
    guard(ruby, || {
        let alg = Algorithm::from_name(&alg)
            .map_err(|_| invalid_input(ruby, format!("unsupported JWS algorithm {alg:?}")))?;
        key.key()
            .check_algorithm(alg)
            .map_err(|e| error(ruby, "PipelineGuard::InvalidKeyError", e.message()))?;
        // SAFETY: both slices are read before any Ruby call.
        let ok = unsafe {
            verify_signature(alg, key.key(), message.as_slice(), signature.as_slice()).is_ok()
        };
        Ok(ok)
    })
}

pub fn init(_ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let module = root.define_module("Crypto")?;
    module.define_module_function("_verify_signature", function!(verify, 4))?;
    module.define_module_function("_sign", function!(sign_raw, 3))?;
    Ok(())
}
