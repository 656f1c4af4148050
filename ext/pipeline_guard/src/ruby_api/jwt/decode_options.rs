//! The `jwt` gem's decode options, read in one pass over the options Hash.
//!
//! Never fail open: an enabled check (`verify_iss`, `verify_aud`,
//! `verify_sub`, `verify_jti`, `required_claims`) whose expected value
//! cannot be read raises ArgumentError or TypeError; it is never skipped.
//! The Ruby wrapper (`lib/pipeline_guard/jwt.rb`) compares issuers and
//! audiences of other types (Regexp, Proc, Set, numbers) itself, exactly
//! as the gem does, and says so with `ruby_checks`; only those are left
//! out here.
use std::borrow::Cow;

use magnus::{prelude::*, value::ReprValue, Error, RArray, RHash, RString, Ruby, Symbol, Value};
use pipeline_guard_core::jwt::{
    Algorithm, ClaimRules, Expected, JtiCheck, DEFAULT_MAX_TOKEN_BYTES,
};

use crate::helpers::rstring;

/// `ruby_checks` bit: the Ruby wrapper checks `iss` after decoding.
pub const RUBY_ISS: u8 = 1;
/// `ruby_checks` bit: the Ruby wrapper checks `aud` after decoding.
pub const RUBY_AUD: u8 = 2;
/// `ruby_checks` bit: an allowlist entry that is an algorithm object (not
/// a String or Symbol, answering `alg`) is left to the Ruby wrapper:
/// [`decode_options`] returns `None` before any other work.
pub const RUBY_ALGORITHM_OBJECTS: u8 = 4;

/// The decode options: claim rules, allowlist, size limit.
pub struct DecodeOptions {
    pub rules: ClaimRules,
    pub algorithms: Vec<Algorithm>,
    pub max_token_bytes: usize,
}

/// Name of a Symbol or String option key or value.
fn name_of(value: Value) -> Option<Cow<'static, str>> {
    if let Some(sym) = Symbol::from_value(value) {
        return sym.name().ok();
    }
    RString::from_value(value).and_then(|s| s.to_string().ok().map(Cow::Owned))
}

/// The items of an Array, or of a list-like value (anything with `to_a`
/// other than a String or Symbol, e.g. a Set); `None` for other values.
fn list_items(value: Value) -> Result<Option<RArray>, Error> {
    if let Some(array) = RArray::from_value(value) {
        return Ok(Some(array));
    }
    if Symbol::from_value(value).is_some() || RString::from_value(value).is_some() {
        return Ok(None);
    }
    if value.respond_to("to_a", false)? {
        return Ok(Some(value.funcall("to_a", ())?));
    }
    Ok(None)
}

fn arg_error(ruby: &Ruby, message: String) -> Error {
    Error::new(ruby.exception_arg_error(), message)
}

fn inspect(value: Value) -> String {
    value
        .funcall("inspect", ())
        .unwrap_or_else(|_| "an uninspectable value".to_owned())
}

/// The expected `iss` or `aud` of an enabled check: a String or Symbol,
/// or a list of them. Anything else raises.
fn expectation(ruby: &Ruby, value: Option<Value>, name: &str) -> Result<Expected, Error> {
    let Some(value) = value.filter(|v| v.to_bool()) else {
        return Err(arg_error(
            ruby,
            format!("verify_{name} is enabled but no {name}: is given"),
        ));
    };
    if let Some(text) = name_of(value) {
        return Ok(Expected::One(text.into_owned()));
    }
    let unreadable = || {
        arg_error(
            ruby,
            format!(
                "{name}: must be a String or Symbol or a list of them, not {}",
                inspect(value)
            ),
        )
    };
    let Some(list) = list_items(value)? else {
        return Err(unreadable());
    };
    let mut items = Vec::with_capacity(list.len());
    for item in list.into_iter() {
        items.push(name_of(item).ok_or_else(unreadable)?.into_owned());
    }
    Ok(Expected::AnyOf(items))
}

/// `required_claims`: a claim name or a list of them.
fn claim_names(ruby: &Ruby, value: Value) -> Result<Vec<String>, Error> {
    let bad = || {
        Error::new(
            ruby.exception_type_error(),
            format!(
                "required_claims must be a list of claim names, not {}",
                inspect(value)
            ),
        )
    };
    if let Some(name) = name_of(value) {
        return Ok(vec![name.into_owned()]);
    }
    let list = list_items(value)?.ok_or_else(bad)?;
    list.into_iter()
        .map(|item| name_of(item).map(Cow::into_owned).ok_or_else(bad))
        .collect()
}

/// Calls `f` with the name of a Symbol or String (borrowed, no copy);
/// `None` for anything else.
fn with_name<T>(value: Value, f: impl FnOnce(&str) -> T) -> Option<T> {
    if let Some(sym) = Symbol::from_value(value) {
        return sym.name().ok().map(|n| f(&n));
    }
    rstring::with_str(RString::from_value(value)?, f)
}

/// An algorithm object as the gem takes one: anything but a String or
/// Symbol that names an alg.
fn algorithm_object(value: Value) -> Result<bool, Error> {
    if Symbol::from_value(value).is_some() || RString::from_value(value).is_some() {
        return Ok(false);
    }
    value.respond_to("alg", false)
}

/// Allowlist: the gem matches names case-insensitively; unknown names and
/// `none` can never match a token, so they are dropped (an empty list
/// given explicitly still means "no algorithm specified"; a list with an
/// entry that is not a String or Symbol counts as empty). `None` when
/// `objects_to_ruby` and an entry is an algorithm object.
fn algorithms(value: Value, objects_to_ruby: bool) -> Result<Option<Vec<Algorithm>>, Error> {
    let find = |n: &str| {
        Algorithm::ALL
            .iter()
            .copied()
            .find(|a| a.name().eq_ignore_ascii_case(n))
    };
    let mut algs = Vec::new();
    let mut unreadable = false;
    if let Some(array) = list_items(value)? {
        for item in array.into_iter() {
            match with_name(item, find) {
                Some(Some(alg)) => algs.push(alg),
                Some(None) => {}
                None if objects_to_ruby && algorithm_object(item)? => return Ok(None),
                None => unreadable = true,
            }
        }
    } else {
        match with_name(value, find) {
            Some(Some(alg)) => algs.push(alg),
            Some(None) => {}
            None if objects_to_ruby && algorithm_object(value)? => return Ok(None),
            None => {}
        }
    }
    if unreadable {
        algs.clear();
    }
    Ok(Some(algs))
}

/// Reads `options`; `ruby_checks` (bits [`RUBY_ISS`], [`RUBY_AUD`],
/// [`RUBY_ALGORITHM_OBJECTS`]) names what the Ruby wrapper does itself.
/// `None` only under [`RUBY_ALGORITHM_OBJECTS`], when the allowlist holds
/// an algorithm object; nothing else is read or checked then.
pub fn decode_options(
    ruby: &Ruby,
    options: RHash,
    ruby_checks: u8,
) -> Result<Option<DecodeOptions>, Error> {
    let mut rules = ClaimRules::default();
    // Gem precedence: "algorithm", :algorithm, "algorithms", :algorithms.
    let mut alg_slots: [Option<Value>; 4] = [None; 4];
    let (mut verify_iss, mut verify_aud, mut verify_sub) = (false, false, false);
    let (mut iss, mut aud, mut sub) = (None, None, None);
    let mut required_claims = None;
    // leeway, exp_leeway, nbf_leeway, max_token_bytes: converted once the
    // allowlist is known to be read here.
    let mut numbers: [Option<Value>; 4] = [None; 4];
    options.foreach(|key: Value, value: Value| {
        let is_symbol = Symbol::from_value(key).is_some();
        let Some(name) = name_of(key) else {
            return Ok(magnus::r_hash::ForEach::Continue);
        };
        match name.as_ref() {
            "algorithm" => alg_slots[usize::from(is_symbol)] = Some(value),
            "algorithms" => alg_slots[2 + usize::from(is_symbol)] = Some(value),
            "verify_expiration" => rules.verify_expiration = value.to_bool(),
            "verify_not_before" => rules.verify_not_before = value.to_bool(),
            "verify_iat" => rules.verify_iat = value.to_bool(),
            "verify_iss" => verify_iss |= value.to_bool(),
            "verify_aud" => verify_aud |= value.to_bool(),
            "verify_sub" => verify_sub |= value.to_bool(),
            // The wrapper calls a callable given as `verify_jti:` after the
            // native checks; under a String key the gem only checks that
            // jti is present.
            "verify_jti"
                if value.to_bool() && !(is_symbol && value.respond_to("call", false)?) =>
            {
                rules.jti = JtiCheck::Present;
            }
            "iss" if is_symbol => iss = Some(value),
            "aud" if is_symbol => aud = Some(value),
            "sub" if is_symbol => sub = Some(value),
            "leeway" if is_symbol && !value.is_nil() => numbers[0] = Some(value),
            "exp_leeway" if is_symbol && !value.is_nil() => numbers[1] = Some(value),
            "nbf_leeway" if is_symbol && !value.is_nil() => numbers[2] = Some(value),
            "max_token_bytes" if is_symbol && !value.is_nil() => numbers[3] = Some(value),
            "required_claims" if is_symbol && !value.is_nil() => required_claims = Some(value),
            // With `x5c:` the wrapper verified the header's chain and uses
            // only its leaf key, so that header is not refused.
            "x5c" if is_symbol && value.to_bool() => rules.x5c_verified = true,
            _ => {}
        }
        Ok(magnus::r_hash::ForEach::Continue)
    })?;
    let algorithms = match alg_slots.into_iter().flatten().next() {
        Some(value) => match algorithms(value, ruby_checks & RUBY_ALGORITHM_OBJECTS != 0)? {
            Some(algs) => algs,
            None => return Ok(None),
        },
        None => Vec::new(),
    };
    let [leeway, exp_leeway, nbf_leeway, max_bytes] = numbers;
    if let Some(value) = leeway {
        rules.leeway = i64::try_convert(value)?;
    }
    rules.exp_leeway = exp_leeway.map(i64::try_convert).transpose()?;
    rules.nbf_leeway = nbf_leeway.map(i64::try_convert).transpose()?;
    let max_token_bytes = match max_bytes {
        Some(value) => usize::try_convert(value)?,
        None => DEFAULT_MAX_TOKEN_BYTES,
    };
    if verify_iss && ruby_checks & RUBY_ISS == 0 {
        rules.issuer = Some(expectation(ruby, iss, "iss")?);
    }
    if verify_aud && ruby_checks & RUBY_AUD == 0 {
        rules.audience = Some(expectation(ruby, aud, "aud")?);
    }
    if verify_sub {
        // As the gem: both sides compared with `to_s`. An empty expectation
        // would pass tokens without `sub`, so it is refused.
        let Some(sub) = sub.filter(|v| v.to_bool()) else {
            return Err(arg_error(
                ruby,
                "verify_sub is enabled but no sub: is given".to_owned(),
            ));
        };
        let text: RString = sub.funcall("to_s", ())?;
        let text = text.to_string()?;
        if text.is_empty() {
            return Err(arg_error(ruby, "sub: must not be empty".to_owned()));
        }
        rules.subject = Some(text);
    }
    if let Some(value) = required_claims {
        rules.required_claims = claim_names(ruby, value)?;
    }
    Ok(Some(DecodeOptions {
        rules,
        algorithms,
        max_token_bytes,
    }))
}
