//! `PipelineGuard::JWT::Verifier`: a key set, an algorithm allowlist and
//! claim rules, fixed at construction; `verify` one token or
//! `verify_many` in a batch without the GVL on the fork-safe pool.
use magnus::{
    function, method,
    prelude::*,
    scan_args::{get_kwargs, scan_args},
    Error, RArray, RHash, RModule, RString, Ruby, Symbol, Value,
};
use pipeline_guard_core::jwt::{Algorithm, ClaimRules, Expected, Jwks, JwtError, Verifier};
use pipeline_guard_core::parallel;

use crate::helpers::clock;
use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::helpers::nogvl::without_gvl;
use crate::ruby_api::jwt::convert::{json_object, token_str, with_token};
use crate::ruby_api::jwt::errors::{jwt_error, jwt_error_class, jwt_error_message, raise};
use crate::ruby_api::jwt::verifying_key::verifying_key_from;

#[magnus::wrap(class = "PipelineGuard::JWT::Verifier", free_immediately, size)]
pub struct RbVerifier(Verifier);

/// A Time or a Numeric as Unix seconds.
fn seconds(value: Value) -> Result<f64, Error> {
    value.funcall("to_f", ())
}

/// `name: must hold Strings`: a non-empty String or Symbol, as text.
fn text(ruby: &Ruby, value: Value, name: &str) -> Result<String, Error> {
    let text = if let Some(s) = RString::from_value(value) {
        s.to_string()?
    } else if let Some(sym) = Symbol::from_value(value) {
        sym.name()?.into_owned()
    } else {
        let shown: String = value.funcall("inspect", ())?;
        return Err(argument_error(
            ruby,
            format!("{name}: must hold Strings, not {shown}"),
        ));
    };
    if text.is_empty() {
        return Err(argument_error(ruby, format!("{name}: must not be empty")));
    }
    Ok(text)
}

fn is_text(value: Value) -> bool {
    RString::from_value(value).is_some() || Symbol::from_value(value).is_some()
}

/// One name or a list of them (anything with `to_a` but a Hash).
fn names(ruby: &Ruby, value: Value, name: &str) -> Result<Vec<String>, Error> {
    if is_text(value) {
        return Ok(vec![text(ruby, value, name)?]);
    }
    if RHash::from_value(value).is_some() || !value.respond_to("to_a", false)? {
        let class: String = value.class().funcall("to_s", ())?;
        return Err(argument_error(
            ruby,
            format!("{name}: must be a String or a list of Strings, not {class}"),
        ));
    }
    let list: RArray = value.funcall("to_a", ())?;
    list.into_iter()
        .map(|item| text(ruby, item, name))
        .collect()
}

/// nil skips the check; a String/Symbol or a non-empty list is expected.
fn expectation(ruby: &Ruby, value: Option<Value>, name: &str) -> Result<Option<Expected>, Error> {
    let Some(value) = value.filter(|v| !v.is_nil()) else {
        return Ok(None);
    };
    if is_text(value) {
        return Ok(Some(Expected::One(text(ruby, value, name)?)));
    }
    let list = names(ruby, value, name)?;
    if list.is_empty() {
        return Err(argument_error(
            ruby,
            format!("{name}: must not be an empty list"),
        ));
    }
    Ok(Some(Expected::AnyOf(list)))
}

fn argument_error(ruby: &Ruby, message: String) -> Error {
    Error::new(ruby.exception_arg_error(), message)
}

/// `Kernel#Integer`, as the documented keywords accept it.
fn integer<T: magnus::TryConvert>(ruby: &Ruby, value: Value) -> Result<T, Error> {
    ruby.module_kernel().funcall("Integer", (value,))
}

/// `Array(value)`, each as a String (Symbols allowed).
fn algorithm_names(ruby: &Ruby, value: Value) -> Result<Vec<String>, Error> {
    let list: RArray = ruby.module_kernel().funcall("Array", (value,))?;
    list.into_iter().map(|v| v.funcall("to_s", ())).collect()
}

type VerifierKeywords = (
    Option<Value>,
    Option<Value>,
    Option<Value>,
    Option<Value>,
    Option<Value>,
    Option<Value>,
    Option<Value>,
    Option<Value>,
    Option<Value>,
);

impl RbVerifier {
    /// `Verifier.new(algorithms:, jwks: nil, keys: nil, issuer: nil,
    /// audience: nil, subject: nil, leeway: 0, required_claims: [],
    /// max_token_bytes:, verify_iat: false)`: keywords parsed here, once.
    fn new(ruby: &Ruby, args: &[Value]) -> Result<Self, Error> {
        let args = scan_args::<(), (), (), (), RHash, ()>(args)?;
        let kw = get_kwargs::<_, (Value,), VerifierKeywords, ()>(
            args.keywords,
            &["algorithms"],
            &[
                "jwks",
                "keys",
                "issuer",
                "audience",
                "subject",
                "leeway",
                "required_claims",
                "max_token_bytes",
                "verify_iat",
            ],
        )?;
        let (algorithms,) = kw.required;
        let (jwks, keys, issuer, audience, subject, leeway, required, max_bytes, verify_iat) =
            kw.optional;
        let jwt: RModule = ruby.class_object().const_get("PipelineGuard")?;
        let jwt: RModule = jwt.const_get("JWT")?;
        let algorithms = algorithm_names(ruby, algorithms)?;
        let issuer = expectation(ruby, issuer, "issuer")?;
        let audience = expectation(ruby, audience, "audience")?;
        let subject = match subject.filter(|v| !v.is_nil()) {
            Some(v) => Some(text(ruby, v, "subject")?),
            None => None,
        };
        let leeway: i64 = match leeway {
            Some(v) => integer(ruby, v)?,
            None => 0,
        };
        let required_claims = match required {
            Some(v) => names(ruby, v, "required_claims")?,
            None => Vec::new(),
        };
        let max_token_bytes: usize = match max_bytes {
            Some(v) => integer(ruby, v)?,
            None => jwt.const_get("DEFAULT_MAX_TOKEN_BYTES")?,
        };
        let verify_iat = verify_iat.is_some_and(|v| v.is_kind_of(ruby.class_true_class()));
        let enforce_hmac_length: bool = jwt.funcall("enforce_hmac_key_length", ())?;
        // Keys as JWT.decode takes them: one key or an Array, each turned
        // into a [kind, data] source by the same Ruby reader.
        let key_reader: RModule = jwt.const_get("Keys")?;
        let keys: Vec<RArray> = match keys.filter(|v| !v.is_nil()) {
            None => Vec::new(),
            Some(v) => {
                let list = match RArray::from_value(v) {
                    Some(list) => list,
                    None => {
                        let one = ruby.ary_new_capa(1);
                        one.push(v)?;
                        one
                    }
                };
                list.into_iter()
                    .map(|k| key_reader.funcall("verifying_source", (k,)))
                    .collect::<Result<_, Error>>()?
            }
        };
        guard(ruby, || {
            let mut set = match jwks.filter(|v| !v.is_nil()) {
                None => Jwks::default(),
                Some(jwks) => {
                    let json = json::text_or_value(ruby, jwks)?
                        .map_err(|e| raise(ruby, "JWKError", format!("Invalid JWKS: {}", e.0)))?;
                    Jwks::from_json(&json).map_err(|e| jwt_error(ruby, e))?
                }
            };
            for pair in keys {
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
                issuer,
                audience,
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
    Ok(class.new_instance((jwt_error_message(&err),))?.as_value())
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let jwt = root.define_module("JWT")?;
    let class = jwt.define_class("Verifier", ruby.class_object())?;
    class.define_singleton_method("new", function!(RbVerifier::new, -1))?;
    class.define_method("verify", method!(RbVerifier::verify, 1))?;
    class.define_method("verify_at", method!(RbVerifier::verify_at, 2))?;
    class.define_method("_verify_many", method!(RbVerifier::verify_many, 2))?;
    class.define_method("jwks", method!(RbVerifier::jwks, 0))?;
    class.define_method("kids", method!(RbVerifier::kids, 0))?;
    class.define_method("inspect", method!(RbVerifier::inspect, 0))?;
    class.define_method("to_s", method!(RbVerifier::inspect, 0))?;
    Ok(())
}
