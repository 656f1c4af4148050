//! Ruby inputs of the secrets-manager classes: secrets as core secrets,
//! and policies as `{name => text}` Hashes (claims Hashes become JSON with
//! `helpers::json::claims`).
use magnus::{prelude::*, r_hash::ForEach, Error, RHash, RString, Ruby, Symbol, Value};
use pipeline_guard_core::secrets::{OpenBaoPolicy, Secret};

use crate::helpers::errors::{self, Class};
use crate::ruby_api::secrets_manager::secret::RbSecret;

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
