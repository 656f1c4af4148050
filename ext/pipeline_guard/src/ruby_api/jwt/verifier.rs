//! `PipelineGuard::JWT::Verifier`: a key set, an algorithm allowlist and
//! claim rules, fixed at construction; `verify` one token or
//! `verify_many` in a batch without the GVL on the fork-safe pool.
use magnus::{function, method, prelude::*, Error, RArray, RModule, RString, Ruby, Value};
use pipeline_guard_core::jwt::{Algorithm, ClaimRules, Expected, Jwks, JwtError, Verifier};
use pipeline_guard_core::parallel;

use crate::helpers::clock;
use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::helpers::nogvl::without_gvl;
use crate::ruby_api::jwt::convert::{json_object, token_str, with_token};
use crate::ruby_api::jwt::errors::{jwt_error, jwt_error_class, raise};
use crate::ruby_api::jwt::verifying_key::verifying_key_from;

#[magnus::wrap(class = "PipelineGuard::JWT::Verifier", free_immediately, size)]
pub struct RbVerifier(Verifier);

/// A Time or a Numeric as Unix seconds.
fn seconds(value: Value) -> Result<f64, Error> {
    value.funcall("to_f", ())
}

fn expected(ruby: &Ruby, value: Value, what: &str) -> Result<Option<Expected>, Error> {
    if value.is_nil() {
        return Ok(None);
    }
    if let Some(list) = RArray::from_value(value) {
        let items: Vec<String> = list.to_vec()?;
        return Ok(Some(Expected::AnyOf(items)));
    }
    RString::from_value(value)
        .map(|s| s.to_string().map(|s| Some(Expected::One(s))))
        .unwrap_or_else(|| {
            Err(Error::new(
                ruby.exception_type_error(),
                format!("{what} must be a String or an Array of Strings"),
            ))
        })
}

impl RbVerifier {
    #[allow(clippy::too_many_arguments)]
    fn new(
        ruby: &Ruby,
        jwks: Value,
        keys: RArray,
        algorithms: Vec<String>,
        issuer: Value,
        audience: Value,
        subject: Option<String>,
        leeway: i64,
        required_claims: Vec<String>,
        max_token_bytes: usize,
        verify_iat: bool,
        enforce_hmac_length: bool,
    ) -> Result<Self, Error> {
        guard(ruby, || {
            let mut set = if jwks.is_nil() {
                Jwks::default()
            } else {
                let json = json::to_json(ruby, jwks)?
                    .map_err(|e| raise(ruby, "JWKError", format!("Invalid JWKS: {}", e.0)))?;
                Jwks::from_json(&json).map_err(|e| jwt_error(ruby, e))?
            };
            for pair in keys.into_iter() {
                let pair = RArray::try_convert(pair)?;
                let kind: String = pair.entry(0)?;
                let data: Value = pair.entry(1)?;
                set.push(verifying_key_from(ruby, &kind, data, enforce_hmac_length)?);
            }
            if set.is_empty() {
                return Err(raise(ruby, "JWKError", "A Verifier needs at least one key"));
            }
            let algorithms = algorithms
                .iter()
                .map(|name| Algorithm::from_name(name))
                .collect::<Result<Vec<_>, JwtError>>()
                .map_err(|e| jwt_error(ruby, e))?;
            let rules = ClaimRules {
                verify_iat,
                issuer: expected(ruby, issuer, "issuer")?,
                audience: expected(ruby, audience, "audience")?,
                subject,
                required_claims,
                leeway,
                ..ClaimRules::default()
            };
            Verifier::new(set, algorithms)
                .map(|v| Self(v.with_rules(rules).with_max_token_bytes(max_token_bytes)))
                .map_err(|e| jwt_error(ruby, e))
        })
    }

    fn verify_at_time(
        ruby: &Ruby,
        rb_self: &Self,
        token: RString,
        now: f64,
    ) -> Result<Value, Error> {
        guard(ruby, || {
            let verified = with_token(ruby, token, |token| rb_self.0.verify_json(token, now))?
                .map_err(|e| jwt_error(ruby, e))?;
            Ok(json_object(ruby, &verified.payload)?.as_value())
        })
    }

    fn verify(ruby: &Ruby, rb_self: &Self, token: RString) -> Result<Value, Error> {
        let now = clock::now(ruby)?;
        Self::verify_at_time(ruby, rb_self, token, now)
    }

    fn verify_at(ruby: &Ruby, rb_self: &Self, token: RString, at: Value) -> Result<Value, Error> {
        let now = seconds(at)?;
        Self::verify_at_time(ruby, rb_self, token, now)
    }

    /// Results in order: a claims Hash, or the DecodeError (not raised).
    fn verify_many(
        ruby: &Ruby,
        rb_self: &Self,
        tokens: RArray,
        at: Value,
    ) -> Result<RArray, Error> {
        guard(ruby, || {
            let now = if at.is_nil() {
                clock::now(ruby)?
            } else {
                seconds(at)?
            };
            let items: Vec<Result<String, ()>> = tokens
                .into_iter()
                .map(|t| {
                    let s = RString::try_convert(t)?;
                    Ok(token_str(ruby, s).map_err(|_| ()))
                })
                .collect::<Result<_, Error>>()?;
            let verifier = &rb_self.0;
            let results = without_gvl(|| {
                parallel::install(|| {
                    let refs: Vec<&str> = items
                        .iter()
                        .map(|r| r.as_deref().unwrap_or("\u{0}"))
                        .collect();
                    verifier.verify_many_json(&refs, now)
                })
            });
            let out = ruby.ary_new_capa(results.len());
            for (item, result) in items.iter().zip(results) {
                let value = match (item, result) {
                    (Err(()), _) => exception(
                        ruby,
                        JwtError::Decode("Invalid segment encoding".to_owned()),
                    )?,
                    (Ok(_), Ok(verified)) => json_object(ruby, &verified.payload)?.as_value(),
                    (Ok(_), Err(e)) => exception(ruby, e)?,
                };
                out.push(value)?;
            }
            Ok(out)
        })
    }

    fn jwks(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        json::to_ruby(ruby, &rb_self.0.keys().to_public_json())
    }

    fn kids(&self) -> Vec<Option<String>> {
        self.0
            .keys()
            .keys()
            .iter()
            .map(|k| k.kid().map(str::to_owned))
            .collect()
    }

    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::JWT::Verifier keys={} leeway={}>",
            self.0.keys().len(),
            self.0.rules().leeway
        )
    }
}

/// A DecodeError instance (not raised) for a batch result.
fn exception(ruby: &Ruby, err: JwtError) -> Result<Value, Error> {
    let class = jwt_error_class(ruby, &err)?;
    Ok(class.new_instance((err.message(),))?.as_value())
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let jwt = root.define_module("JWT")?;
    let class = jwt.define_class("Verifier", ruby.class_object())?;
    class.define_singleton_method("_new", function!(RbVerifier::new, 11))?;
    class.define_method("verify", method!(RbVerifier::verify, 1))?;
    class.define_method("verify_at", method!(RbVerifier::verify_at, 2))?;
    class.define_method("_verify_many", method!(RbVerifier::verify_many, 2))?;
    class.define_method("jwks", method!(RbVerifier::jwks, 0))?;
    class.define_method("kids", method!(RbVerifier::kids, 0))?;
    class.define_method("inspect", method!(RbVerifier::inspect, 0))?;
    class.define_method("to_s", method!(RbVerifier::inspect, 0))?;
    Ok(())
}
