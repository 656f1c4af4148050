//! `PipelineGuard::JWT::VerifyingKey`: a parsed public key or HMAC secret,
//! held so repeated verification does no key parsing. Built from the
//! Ruby side (`lib/pipeline_guard/jwt/keys.rb`) out of OpenSSL keys, PEM,
//! DER, JWK Hashes and String secrets.
use magnus::{function, method, prelude::*, Error, RModule, Ruby, Value};
use pipeline_guard_core::jwt::{Algorithm, KeyType, VerifyingKey};

use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::ruby_api::jwt::errors::{jwt_error, raise};
use crate::ruby_api::jwt::key_source::key_from;

/// Builds a core VerifyingKey from `(kind, data)`; see [`crate::ruby_api::jwt::key_source`].
pub fn verifying_key_from(
    ruby: &Ruby,
    kind: &str,
    data: Value,
    enforce_hmac_length: bool,
) -> Result<VerifyingKey, Error> {
    key_from(ruby, kind, data, enforce_hmac_length)
}

#[magnus::wrap(class = "PipelineGuard::JWT::VerifyingKey", free_immediately, size)]
pub struct RbVerifyingKey(VerifyingKey);

impl RbVerifyingKey {
    pub fn key(&self) -> &VerifyingKey {
        &self.0
    }

    fn load(ruby: &Ruby, kind: String, data: Value, enforce: bool) -> Result<Self, Error> {
        guard(ruby, || {
            verifying_key_from(ruby, &kind, data, enforce).map(Self)
        })
    }

    fn key_type(&self) -> &'static str {
        key_type_name(self.0.key_type())
    }

    fn kid(&self) -> Option<String> {
        self.0.kid().map(str::to_owned)
    }

    fn algorithm(&self) -> Option<&'static str> {
        self.0.declared_algorithm().map(Algorithm::name)
    }

    fn thumbprint(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        if rb_self.0.key_type() == KeyType::Hmac {
            return Err(raise(
                ruby,
                "JWKError",
                "HMAC keys have no public thumbprint",
            ));
        }
        Ok(rb_self.0.thumbprint())
    }

    fn public_jwk(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        guard(ruby, || {
            let jwk = rb_self
                .0
                .to_public_jwk(None, None)
                .map_err(|e| jwt_error(ruby, e))?;
            json::to_ruby(ruby, &jwk)
        })
    }

    fn fits(&self, alg: String) -> bool {
        Algorithm::from_name(&alg).is_ok_and(|a| self.0.fits(a))
    }

    fn inspect(&self) -> String {
        let mut out = format!(
            "#<PipelineGuard::JWT::VerifyingKey {}",
            key_type_name(self.0.key_type())
        );
        if let Some(bits) = self.0.rsa_bits() {
            out.push_str(&format!(" bits={bits}"));
        }
        if let Some(kid) = self.0.kid() {
            out.push_str(&format!(" kid={kid:?}"));
        }
        if let Some(alg) = self.0.declared_algorithm() {
            out.push_str(&format!(" alg={}", alg.name()));
        }
        out.push('>');
        out
    }
}

pub fn key_type_name(kt: KeyType) -> &'static str {
    match kt {
        KeyType::Hmac => "HMAC",
        KeyType::Rsa => "RSA",
        KeyType::Ec(_) => "EC",
        KeyType::Ed25519 => "Ed25519",
    }
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let jwt = root.define_module("JWT")?;
    let class = jwt.define_class("VerifyingKey", ruby.class_object())?;
    class.define_singleton_method("_load", function!(RbVerifyingKey::load, 3))?;
    class.define_method("key_type", method!(RbVerifyingKey::key_type, 0))?;
    class.define_method("kid", method!(RbVerifyingKey::kid, 0))?;
    class.define_method("algorithm", method!(RbVerifyingKey::algorithm, 0))?;
    class.define_method("thumbprint", method!(RbVerifyingKey::thumbprint, 0))?;
    class.define_method("public_jwk", method!(RbVerifyingKey::public_jwk, 0))?;
    class.define_method("fits?", method!(RbVerifyingKey::fits, 1))?;
    class.define_method("inspect", method!(RbVerifyingKey::inspect, 0))?;
    class.define_method("to_s", method!(RbVerifyingKey::inspect, 0))?;
    Ok(())
}
