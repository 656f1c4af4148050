//! `PipelineGuard::Crypto` module functions: constant-time comparison,
//! HKDF-SHA256, HMAC-SHA256 and raw JWS signature checks for interop and
//! test vectors.
use magnus::{function, prelude::*, Error, RModule, RString, Ruby};
use pipeline_guard_core::crypto::kdf::{hkdf_sha256, hmac_sha256, HKDF_SHA256_MAX};
use pipeline_guard_core::crypto::secure_compare;
use pipeline_guard_core::jwt::{verify_signature, Algorithm};

use crate::helpers::errors::{error, invalid_input, Class};
use crate::helpers::guard::guard;
use crate::ruby_api::jwt::verifying_key::RbVerifyingKey;

fn compare(a: RString, b: RString) -> bool {
    // SAFETY: both slices are read with the GVL held and no Ruby call in
    // between.
    unsafe { secure_compare(a.as_slice(), b.as_slice()) }
}

fn hkdf(
    ruby: &Ruby,
    ikm: RString,
    salt: Option<RString>,
    info: RString,
    length: usize,
) -> Result<RString, Error> {
    guard(ruby, || {
        // SAFETY: see `compare`.
        let okm = unsafe {
            hkdf_sha256(
                ikm.as_slice(),
                salt.as_ref().map(|s| s.as_slice()),
                info.as_slice(),
                length,
            )
        };
        okm.map(|k| ruby.str_from_slice(&k)).ok_or_else(|| {
            invalid_input(
                ruby,
                format!("HKDF-SHA256 length must be at most {HKDF_SHA256_MAX} bytes"),
            )
        })
    })
}

fn hmac(ruby: &Ruby, key: RString, message: RString) -> RString {
    // SAFETY: see `compare`.
    let tag = unsafe { hmac_sha256(key.as_slice(), message.as_slice()) };
    ruby.str_from_slice(&tag)
}

/// `_verify_signature(alg, verifying_key, message, signature)`: the Ruby
/// wrapper turns the public key into a `PipelineGuard::JWT::VerifyingKey`
/// first.
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
            .map_err(|e| error(ruby, Class::InvalidKeyError, e.message()))?;
        // SAFETY: both slices are read before any Ruby call.
        let ok = unsafe {
            verify_signature(alg, key.key(), message.as_slice(), signature.as_slice()).is_ok()
        };
        Ok(ok)
    })
}

pub fn init(_ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let module = root.define_module("Crypto")?;
    module.define_module_function("secure_compare", function!(compare, 2))?;
    module.define_module_function("_hkdf_sha256", function!(hkdf, 4))?;
    module.define_module_function("hmac_sha256", function!(hmac, 2))?;
    module.define_module_function("_verify_signature", function!(verify, 4))?;
    Ok(())
}
