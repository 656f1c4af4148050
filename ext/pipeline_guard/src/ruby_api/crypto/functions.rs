//! `PipelineGuard::Crypto` module functions: constant-time comparison,
//! HKDF-SHA256, HMAC-SHA256 and raw JWS signature checks for interop and
//! test vectors.
use magnus::{function, prelude::*, Error, RModule, RString, Ruby};
use pipeline_guard_core::crypto::kdf::{hkdf_sha256, hmac_sha256, HKDF_SHA256_MAX};
use pipeline_guard_core::crypto::secure_compare;
use pipeline_guard_core::jwt::{sign, verify_signature, Algorithm};

use crate::helpers::errors::{error, invalid_input, Class};
use crate::helpers::guard::guard;
use crate::helpers::rstring::with_bytes;
use crate::ruby_api::jwt::errors::{jwt_error, jwt_error_message};
use crate::ruby_api::jwt::signing_key::RbSigningKey;
use crate::ruby_api::jwt::verifying_key::RbVerifyingKey;

fn compare(a: RString, b: RString) -> bool {
    with_bytes(a, |a| with_bytes(b, |b| secure_compare(a, b)))
}

fn hkdf(
    ruby: &Ruby,
    ikm: RString,
    salt: Option<RString>,
    info: RString,
    length: usize,
) -> Result<RString, Error> {
    guard(ruby, || {
        let okm = with_bytes(ikm, |ikm| {
            with_bytes(info, |info| match salt {
                Some(salt) => with_bytes(salt, |salt| hkdf_sha256(ikm, Some(salt), info, length)),
                None => hkdf_sha256(ikm, None, info, length),
            })
        });
        okm.map(|k| ruby.str_from_slice(&k)).ok_or_else(|| {
            invalid_input(
                ruby,
                format!("HKDF-SHA256 length must be at most {HKDF_SHA256_MAX} bytes"),
            )
        })
    })
}

fn hmac(ruby: &Ruby, key: RString, message: RString) -> RString {
    let tag = with_bytes(key, |key| with_bytes(message, |m| hmac_sha256(key, m)));
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
            .map_err(|e| error(ruby, Class::InvalidKeyError, jwt_error_message(&e)))?;
        Ok(with_bytes(message, |message| {
            with_bytes(signature, |sig| {
                verify_signature(alg, key.key(), message, sig).is_ok()
            })
        }))
    })
}

/// `_sign(alg, signing_key, message)`: the raw JWS signature (ECDSA as
/// `r || s`) the `JWT::JWA` algorithm objects use. A key that does not fit
/// `alg` is a `JWT::EncodeError`.
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
            .map_err(|e| error(ruby, Class::JwtEncodeError, jwt_error_message(&e)))?;
        let signature = with_bytes(message, |message| sign(alg, key.key(), message));
        Ok(ruby.str_from_slice(&signature.map_err(|e| jwt_error(ruby, e))?))
    })
}

pub fn init(_ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let module = root.define_module("Crypto")?;
    module.define_module_function("secure_compare", function!(compare, 2))?;
    module.define_module_function("_hkdf_sha256", function!(hkdf, 4))?;
    module.define_module_function("hmac_sha256", function!(hmac, 2))?;
    module.define_module_function("_verify_signature", function!(verify, 4))?;
    module.define_module_function("_sign", function!(sign_raw, 3))?;
    Ok(())
}
