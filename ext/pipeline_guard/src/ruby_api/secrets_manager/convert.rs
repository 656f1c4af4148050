//! Ruby inputs of the secrets-manager classes: claims Hashes as JSON,
//! secrets as core secrets, and policies as `{name => text}` Hashes.
use magnus::{
    prelude::*, r_hash::ForEach, Error, Float, Integer, RArray, RHash, RString, Ruby, Symbol, Value,
};
use pipeline_guard_core::secrets::{OpenBaoPolicy, Secret};
use serde_json::{Map, Number, Value as Json};

use crate::helpers::errors::{self, Class};
use crate::ruby_api::secrets_manager::secret::RbSecret;

/// Claims nest at most this deep (ID tokens are flat).
const MAX_DEPTH: usize = 32;

fn key_string(ruby: &Ruby, key: Value) -> Result<String, Error> {
    if let Some(sym) = Symbol::from_value(key) {
        return Ok(sym.name()?.into_owned());
    }
    if let Some(s) = RString::from_value(key) {
        return s.to_string();
    }
    Err(Error::new(
        ruby.exception_type_error(),
        "claim names must be Strings or Symbols",
    ))
}

/// A Ruby claims value as JSON: nil, booleans, Integers, Floats, Strings,
/// Symbols, Arrays and Hashes.
pub(crate) fn to_json(ruby: &Ruby, value: Value, depth: usize) -> Result<Json, Error> {
    if depth > MAX_DEPTH {
        return Err(errors::invalid_input(ruby, "claims nest too deeply"));
    }
    if value.is_nil() {
        return Ok(Json::Null);
    }
    if let Ok(b) = bool::try_convert(value) {
        if value.is_kind_of(ruby.class_true_class()) || value.is_kind_of(ruby.class_false_class()) {
            return Ok(Json::Bool(b));
        }
    }
    if let Some(i) = Integer::from_value(value) {
        if let Ok(n) = i.to_i64() {
            return Ok(Json::Number(n.into()));
        }
        if let Ok(n) = i.to_u64() {
            return Ok(Json::Number(n.into()));
        }
        return Ok(Json::String(value.to_r_string()?.to_string()?));
    }
    if let Some(f) = Float::from_value(value) {
        return Number::from_f64(f.to_f64())
            .map(Json::Number)
            .ok_or_else(|| errors::invalid_input(ruby, "claims must not contain NaN or Infinity"));
    }
    if let Some(s) = RString::from_value(value) {
        return Ok(Json::String(s.to_string()?));
    }
    if let Some(sym) = Symbol::from_value(value) {
        return Ok(Json::String(sym.name()?.into_owned()));
    }
    if let Some(array) = RArray::from_value(value) {
        return array
            .into_iter()
            .map(|v| to_json(ruby, v, depth + 1))
            .collect::<Result<Vec<_>, _>>()
            .map(Json::Array);
    }
    if let Some(hash) = RHash::from_value(value) {
        return hash_to_map(ruby, hash, depth + 1).map(Json::Object);
    }
    Err(Error::new(
        ruby.exception_type_error(),
        format!("unsupported claim value of class {}", unsafe {
            value.classname()
        }),
    ))
}

pub(crate) fn hash_to_map(
    ruby: &Ruby,
    hash: RHash,
    depth: usize,
) -> Result<Map<String, Json>, Error> {
    let mut map = Map::new();
    let mut failure = None;
    hash.foreach(|k: Value, v: Value| {
        match key_string(ruby, k).and_then(|key| Ok((key, to_json(ruby, v, depth)?))) {
            Ok((key, value)) => {
                map.insert(key, value);
                Ok(ForEach::Continue)
            }
            Err(e) => {
                failure = Some(e);
                Ok(ForEach::Stop)
            }
        }
    })?;
    match failure {
        Some(e) => Err(e),
        None => Ok(map),
    }
}

/// A `Secret` object or a Hash with `name`, `environment`, `branch`,
/// `protected`, `description` (Symbol or String keys).
pub(crate) fn to_secret(ruby: &Ruby, value: Value) -> Result<Secret, Error> {
    let Some(hash) = RHash::from_value(value) else {
        return <&RbSecret>::try_convert(value)
            .map(|secret| secret.0.clone())
            .map_err(|_| {
                Error::new(
                    ruby.exception_type_error(),
                    "a secret must be a PipelineGuard::SecretsManager::Secret or a Hash",
                )
            });
    };
    let mut secret = Secret::new(String::new());
    let mut has_name = false;
    let mut failure = None;
    // One pass over the entries: no Symbol or String is created per key.
    hash.foreach(|k: Value, v: Value| {
        let key: Result<std::borrow::Cow<'static, str>, Error> = match Symbol::from_value(k) {
            Some(sym) => sym.name(),
            None => RString::try_convert(k).and_then(|s| s.to_string().map(Into::into)),
        };
        let result = key.and_then(|key| {
            let text = |v: Value| -> Result<Option<String>, Error> {
                if v.is_nil() {
                    return Ok(None);
                }
                match Symbol::from_value(v) {
                    Some(sym) => Ok(Some(sym.name()?.into_owned())),
                    None => Ok(Some(RString::try_convert(v)?.to_string()?)),
                }
            };
            match &*key {
                "name" => {
                    if let Some(name) = text(v)? {
                        secret.name = name;
                        has_name = true;
                    }
                }
                "environment" => {
                    if let Some(env) = text(v)? {
                        secret.environment = env;
                    }
                }
                "branch" => {
                    if let Some(branch) = text(v)? {
                        secret.branch = branch;
                    }
                }
                "protected" => secret.protected = v.to_bool(),
                "description" => secret.description = text(v)?,
                _ => {}
            }
            Ok(())
        });
        match result {
            Ok(()) => Ok(ForEach::Continue),
            Err(e) => {
                failure = Some(e);
                Ok(ForEach::Stop)
            }
        }
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    if !has_name {
        return Err(errors::error(
            ruby,
            Class::SecretsInvalidRecord,
            "secret name is missing",
        ));
    }
    Ok(secret)
}

/// `{name => hcl}` (or JSON text) in order.
pub(crate) fn policies_hash<'a>(
    ruby: &Ruby,
    policies: impl IntoIterator<Item = (&'a str, Option<&'a OpenBaoPolicy>)>,
    json: bool,
) -> Result<RHash, Error> {
    let out = ruby.hash_new();
    for (name, policy) in policies {
        let text = policy.map(|p| if json { p.json() } else { p.hcl() });
        out.aset(ruby.str_new(name), text)?;
    }
    Ok(out)
}
