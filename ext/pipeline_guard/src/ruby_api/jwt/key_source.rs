//! Building a core JWT key (signing or verifying) from `(kind, data)` as
//! prepared by `lib/pipeline_guard/jwt/keys.rb`: `"string"` (a String key
//! as the `jwt` gem takes it; the core decides between PEM and HMAC
//! secret), `"hmac"` (secret String), `"der"` (String), `"pem"` (String) or
//! `"jwk"` (Hash). Both key types go through the same conversion; only the
//! core constructors differ.
use magnus::{prelude::*, Error, RString, Ruby, Value};
use pipeline_guard_core::jwt::{HmacKeyLength, JwtError, SigningKey, VerifyingKey};

use crate::helpers::json;
use crate::helpers::rstring::with_bytes;
use crate::ruby_api::jwt::convert::token_str;
use crate::ruby_api::jwt::errors::{jwt_error, raise};

/// The core constructors a key kind needs.
pub trait KeySource: Sized {
    /// PEM when a PEM header appears anywhere, else an HMAC secret.
    fn key_bytes(bytes: &[u8], policy: HmacKeyLength) -> Result<Self, JwtError>;
    fn hmac(secret: &[u8], policy: HmacKeyLength) -> Result<Self, JwtError>;
    /// Private keys: PKCS#8/PKCS#1/SEC1; public keys: SPKI or PKCS#1.
    fn der(der: &[u8]) -> Result<Self, JwtError>;
    fn pem(pem: &str) -> Result<Self, JwtError>;
    fn jwk(jwk: &serde_json::Value, policy: HmacKeyLength) -> Result<Self, JwtError>;
}

impl KeySource for SigningKey {
    fn key_bytes(bytes: &[u8], policy: HmacKeyLength) -> Result<Self, JwtError> {
        SigningKey::from_key_bytes(bytes, policy)
    }
    fn hmac(secret: &[u8], policy: HmacKeyLength) -> Result<Self, JwtError> {
        SigningKey::hmac_with_policy(secret, policy)
    }
    fn der(der: &[u8]) -> Result<Self, JwtError> {
        SigningKey::from_der(der)
    }
    fn pem(pem: &str) -> Result<Self, JwtError> {
        SigningKey::from_pem(pem)
    }
    fn jwk(jwk: &serde_json::Value, policy: HmacKeyLength) -> Result<Self, JwtError> {
        SigningKey::from_jwk_with_hmac_policy(jwk, policy)
    }
}

impl KeySource for VerifyingKey {
    fn key_bytes(bytes: &[u8], policy: HmacKeyLength) -> Result<Self, JwtError> {
        VerifyingKey::from_key_bytes(bytes, policy)
    }
    fn hmac(secret: &[u8], policy: HmacKeyLength) -> Result<Self, JwtError> {
        VerifyingKey::hmac_with_policy(secret, policy)
    }
    fn der(der: &[u8]) -> Result<Self, JwtError> {
        VerifyingKey::from_public_der(der)
    }
    fn pem(pem: &str) -> Result<Self, JwtError> {
        VerifyingKey::from_pem(pem)
    }
    fn jwk(jwk: &serde_json::Value, policy: HmacKeyLength) -> Result<Self, JwtError> {
        VerifyingKey::from_jwk_with_hmac_policy(jwk, policy)
    }
}

pub fn key_from<K: KeySource>(
    ruby: &Ruby,
    kind: &str,
    data: Value,
    enforce_hmac_length: bool,
) -> Result<K, Error> {
    let policy = if enforce_hmac_length {
        HmacKeyLength::Enforce
    } else {
        HmacKeyLength::AllowShort
    };
    let bytes = |v: Value| -> Result<RString, Error> { RString::try_convert(v) };
    let key = match kind {
        "string" => with_bytes(bytes(data)?, |b| K::key_bytes(b, policy)),
        "hmac" => with_bytes(bytes(data)?, |b| K::hmac(b, policy)),
        "der" => with_bytes(bytes(data)?, K::der),
        "pem" => {
            let text = token_str(ruby, bytes(data)?)
                .map_err(|_| raise(ruby, "JWKError", "Invalid PEM"))?;
            K::pem(&text)
        }
        "jwk" => {
            let json = json::to_json(ruby, data)?
                .map_err(|e| raise(ruby, "JWKError", format!("Invalid JWK: {}", e.0)))?;
            K::jwk(&json, policy)
        }
        other => {
            return Err(Error::new(
                ruby.exception_arg_error(),
                format!("unknown key source {other:?}"),
            ))
        }
    };
    key.map_err(|e| jwt_error(ruby, e))
}
