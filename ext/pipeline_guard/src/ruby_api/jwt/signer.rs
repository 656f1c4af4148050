//! `PipelineGuard::JWT::Signer`: mints tokens with a key parsed once and
//! held (the `kid` is the RFC 7638 thumbprint unless given).
use std::sync::Arc;

use magnus::{
    function, method,
    prelude::*,
    scan_args::{get_kwargs, scan_args},
    Error, RArray, RHash, RModule, Ruby, Value,
};
use pipeline_guard_core::jwt::{Algorithm, Signer};
use serde_json::{Map, Value as Json};

use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::ruby_api::jwt::convert::encode_algorithm;
use crate::ruby_api::jwt::errors::{encode_error, jwt_error, jwt_error_message, raise};
use crate::ruby_api::jwt::id_token::ci_claims;
use crate::ruby_api::jwt::signing_key::signing_key_from;

#[magnus::wrap(class = "PipelineGuard::JWT::Signer", free_immediately, size)]
pub struct RbSigner(pub Arc<Signer>);

/// Header fields as a JSON object (nil means none).
pub fn header_map(ruby: &Ruby, header: Value) -> Result<Map<String, Json>, Error> {
    match json::to_json(ruby, header)?.map_err(|e| encode_error(ruby, "Header", e))? {
        Json::Object(map) => Ok(map),
        Json::Null => Ok(Map::new()),
        _ => Err(raise(ruby, "EncodeError", "Header fields must be a Hash")),
    }
}

/// Signs Ruby `claims` with `signer`.
pub fn sign_with(
    ruby: &Ruby,
    signer: &Signer,
    claims: Value,
    header: Value,
) -> Result<String, Error> {
    let claims = json::to_json(ruby, claims)?.map_err(|e| encode_error(ruby, "Payload", e))?;
    let header = header_map(ruby, header)?;
    signer
        .sign(&claims, &header)
        .map_err(|e| jwt_error(ruby, e))
}

/// Mints a CI ID token for `job_info` with `signer`.
pub fn mint_with(
    ruby: &Ruby,
    signer: &Signer,
    job_info: Value,
    jti: Option<String>,
) -> Result<String, Error> {
    let claims = ci_claims(ruby, job_info, jti)?;
    signer
        .sign(&Json::Object(claims), &Map::new())
        .map_err(|e| jwt_error(ruby, e))
}

impl RbSigner {
    /// `Signer.new(private_key, algorithm: nil, kid: nil)`, keywords parsed
    /// here; the key is read as `JWT.encode` reads it (`Keys.signing_source`).
    fn new(ruby: &Ruby, args: &[Value]) -> Result<Self, Error> {
        let args = scan_args::<(Value,), (), (), (), RHash, ()>(args)?;
        let kw = get_kwargs::<_, (), (Option<Value>, Option<Value>), ()>(
            args.keywords,
            &[],
            &["algorithm", "kid"],
        )?;
        let (private_key,) = args.required;
        let (algorithm, kid) = kw.optional;
        let root: RModule = ruby.class_object().const_get("PipelineGuard")?;
        let jwt: RModule = root.const_get("JWT")?;
        let keys: RModule = jwt.const_get("Keys")?;
        let source: RArray = keys.funcall("signing_source", (private_key,))?;
        let (kind, data): (String, Value) = (source.entry(0)?, source.entry(1)?);
        let text = |v: Option<Value>| -> Result<Option<String>, Error> {
            match v.filter(|v| !v.is_nil()) {
                Some(v) => Ok(Some(v.funcall("to_s", ())?)),
                None => Ok(None),
            }
        };
        let (alg, kid) = (text(algorithm)?, text(kid)?);
        let enforce_hmac_length: bool = jwt.funcall("enforce_hmac_key_length", ())?;
        Self::build(ruby, kind, data, alg, kid, enforce_hmac_length)
    }

    fn build(
        ruby: &Ruby,
        kind: String,
        data: Value,
        alg: Option<String>,
        kid: Option<String>,
        enforce_hmac_length: bool,
    ) -> Result<Self, Error> {
        guard(ruby, || {
            let key = signing_key_from(ruby, &kind, data, enforce_hmac_length)?;
            let alg = match alg {
                Some(name) => encode_algorithm(ruby, &name)?,
                None => key.default_algorithm(),
            };
            let signer = match kid {
                Some(kid) => Signer::with_kid(key, alg, kid),
                None => Signer::new(key, alg),
            };
            signer
                .map(|s| Self(Arc::new(s)))
                .map_err(|e| raise(ruby, "EncodeError", jwt_error_message(&e)))
        })
    }

    fn sign(ruby: &Ruby, rb_self: &Self, claims: Value, header: Value) -> Result<String, Error> {
        guard(ruby, || sign_with(ruby, &rb_self.0, claims, header))
    }

    fn mint_id_token(
        ruby: &Ruby,
        rb_self: &Self,
        job_info: Value,
        jti: Option<String>,
    ) -> Result<String, Error> {
        guard(ruby, || mint_with(ruby, &rb_self.0, job_info, jti))
    }

    fn kid(&self) -> String {
        self.0.kid().to_owned()
    }

    fn algorithm(&self) -> &'static str {
        self.0.algorithm().name()
    }

    fn public_jwk(ruby: &Ruby, rb_self: &Self) -> Result<Option<RHash>, Error> {
        match rb_self.0.public_jwk() {
            Some(Json::Object(map)) => Ok(Some(json::object_to_ruby(ruby, map)?)),
            _ => Ok(None),
        }
    }

    fn jwks(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        json::to_ruby(ruby, &rb_self.0.jwks())
    }

    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::JWT::Signer algorithm={} kid={:?}>",
            Algorithm::name(self.0.algorithm()),
            self.0.kid()
        )
    }
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let jwt = root.define_module("JWT")?;
    let class = jwt.define_class("Signer", ruby.class_object())?;
    class.define_singleton_method("new", function!(RbSigner::new, -1))?;
    class.define_method("_sign", method!(RbSigner::sign, 2))?;
    class.define_method("_mint_id_token", method!(RbSigner::mint_id_token, 2))?;
    class.define_method("kid", method!(RbSigner::kid, 0))?;
    class.define_method("algorithm", method!(RbSigner::algorithm, 0))?;
    class.define_method("public_jwk", method!(RbSigner::public_jwk, 0))?;
    class.define_method("jwks", method!(RbSigner::jwks, 0))?;
    class.define_method("inspect", method!(RbSigner::inspect, 0))?;
    class.define_method("to_s", method!(RbSigner::inspect, 0))?;
    Ok(())
}
