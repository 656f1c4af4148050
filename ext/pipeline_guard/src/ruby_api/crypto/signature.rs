//! `PipelineGuard::Crypto.verify_signature`: raw JWS signature check for
//! test vectors and interop. The Ruby wrapper turns the public key into a
//! `PipelineGuard::JWT::VerifyingKey` first.
use magnus::{function, prelude::*, Error, RModule, RString, Ruby};
use pipeline_guard_core::jwt::{verify_signature, Algorithm};

use crate::helpers::errors::{error, invalid_input};
use crate::helpers::guard::guard;
use crate::ruby_api::jwt::verifying_key::RbVerifyingKey;

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
    Ok(())
}
