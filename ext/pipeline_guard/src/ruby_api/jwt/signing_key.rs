//! `PipelineGuard::JWT::SigningKey`: a parsed private key or HMAC secret
//! for `PipelineGuard::JWT.encode`. Key bytes stay in the core (aws-lc or
//! zeroizing buffers) and never come back to Ruby.
use magnus::{function, method, prelude::*, Error, RModule, Ruby, Value};
use pipeline_guard_core::jwt::{Algorithm, EcCurve, KeyType, SigningKey};

use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::ruby_api::jwt::errors::{jwt_error, raise};
use crate::ruby_api::jwt::key_source::key_from;
use crate::ruby_api::jwt::verifying_key::key_type_name;

#[magnus::wrap(class = "PipelineGuard::JWT::SigningKey", free_immediately, size)]
pub struct RbSigningKey(SigningKey);

/// Builds a core SigningKey from `(kind, data)`; see [`crate::ruby_api::jwt::key_source`].
pub fn signing_key_from(
    ruby: &Ruby,
    kind: &str,
    data: Value,
    enforce_hmac_length: bool,
) -> Result<SigningKey, Error> {
    key_from(ruby, kind, data, enforce_hmac_length)
}

pub fn parse_key_type(ruby: &Ruby, name: &str) -> Result<KeyType, Error> {
    Ok(match name {
        "HMAC" | "oct" => KeyType::Hmac,
        "RSA" => KeyType::Rsa,
        "EC" | "P-256" => KeyType::Ec(EcCurve::P256),
        "P-384" => KeyType::Ec(EcCurve::P384),
        "P-521" => KeyType::Ec(EcCurve::P521),
        "Ed25519" | "OKP" => KeyType::Ed25519,
        _ => {
            return Err(Error::new(
                ruby.exception_arg_error(),
                format!("unknown key type {name:?} (HMAC, RSA, P-256, P-384, P-521, Ed25519)"),
            ))
        }
    })
}

impl RbSigningKey {
    pub fn key(&self) -> &SigningKey {
        &self.0
    }

    fn load(ruby: &Ruby, kind: String, data: Value, enforce: bool) -> Result<Self, Error> {
        guard(ruby, || {
            signing_key_from(ruby, &kind, data, enforce).map(Self)
        })
    }

    fn generate(ruby: &Ruby, key_type: String) -> Result<Self, Error> {
        guard(ruby, || {
            let kt = parse_key_type(ruby, &key_type)?;
            SigningKey::generate(kt)
                .map(Self)
                .map_err(|e| jwt_error(ruby, e))
        })
    }

    fn key_type(&self) -> &'static str {
        key_type_name(self.0.key_type())
    }

    fn default_algorithm(&self) -> &'static str {
        self.0.default_algorithm().name()
    }

    fn thumbprint(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        if rb_self.0.key_type() == KeyType::Hmac {
            return Err(raise(
                ruby,
                "JWKError",
                "HMAC keys have no public thumbprint",
            ));
        }
        rb_self.0.thumbprint().map_err(|e| jwt_error(ruby, e))
    }

    fn public_jwk(
        ruby: &Ruby,
        rb_self: &Self,
        kid: Option<String>,
        alg: Option<String>,
    ) -> Result<Value, Error> {
        guard(ruby, || {
            let alg = match alg {
                Some(name) => Some(Algorithm::from_name(&name).map_err(|e| jwt_error(ruby, e))?),
                None => None,
            };
            let jwk = rb_self
                .0
                .to_public_jwk(kid.as_deref(), alg)
                .map_err(|e| jwt_error(ruby, e))?;
            json::to_ruby(ruby, &jwk)
        })
    }

    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::JWT::SigningKey {}>",
            key_type_name(self.0.key_type())
        )
    }
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let jwt = root.define_module("JWT")?;
    let class = jwt.define_class("SigningKey", ruby.class_object())?;
    class.define_singleton_method("_load", function!(RbSigningKey::load, 3))?;
    class.define_singleton_method("_generate", function!(RbSigningKey::generate, 1))?;
    class.define_method("key_type", method!(RbSigningKey::key_type, 0))?;
    class.define_method(
        "default_algorithm",
        method!(RbSigningKey::default_algorithm, 0),
    )?;
    class.define_method("thumbprint", method!(RbSigningKey::thumbprint, 0))?;
    class.define_method("_public_jwk", method!(RbSigningKey::public_jwk, 2))?;
    class.define_method("inspect", method!(RbSigningKey::inspect, 0))?;
    class.define_method("to_s", method!(RbSigningKey::inspect, 0))?;
    Ok(())
}
