//! Request parameter checks of OpenBao's `AllowOperation`.

use serde_json::{Map, Value};

use super::permissions::Permissions;
use super::request::{Denied, Operation};
use super::value::ParamValue;

pub(crate) fn check(
    op: Operation,
    perms: &Permissions,
    data: &Map<String, Value>,
) -> Result<(), Denied> {
    match op {
        Operation::Read | Operation::Update | Operation::Create | Operation::Patch => {
            check_write(perms, data)
        }
        Operation::List | Operation::Scan => check_pagination(perms, data),
        Operation::Delete => Ok(()),
    }
}

fn check_write(perms: &Permissions, data: &Map<String, Value>) -> Result<(), Denied> {
    for p in &perms.required_parameters {
        if !data.contains_key(&p.to_lowercase()) {
            return Err(Denied::MissingParameter(p.clone()));
        }
    }
    if data.is_empty() {
        return Ok(());
    }
    if let Some(denied) = perms.denied_parameters.as_ref().filter(|d| !d.is_empty()) {
        if denied.contains_key("*") {
            return Err(Denied::DeniedParameter("*".to_string()));
        }
        for (name, value) in data {
            if let Some(list) = denied.get(&name.to_lowercase()) {
                if value_in_list(value, list) {
                    return Err(Denied::DeniedParameter(name.clone()));
                }
            }
        }
    }
    let Some(allowed) = perms.allowed_parameters.as_ref().filter(|a| !a.is_empty()) else {
        return Ok(());
    };
    let allowed_all = allowed.contains_key("*");
    if allowed.len() == 1 && allowed_all {
        return Ok(());
    }
    for (name, value) in data {
        match allowed.get(&name.to_lowercase()) {
            None if !allowed_all => return Err(Denied::NotAllowedParameter(name.clone())),
            Some(list) if !value_in_list(value, list) => {
                return Err(Denied::NotAllowedParameter(name.clone()))
            }
            _ => {}
        }
    }
    Ok(())
}

fn check_pagination(perms: &Permissions, data: &Map<String, Value>) -> Result<(), Denied> {
    if perms.pagination_limit <= 0 {
        return Ok(());
    }
    let Some(raw) = data.get("limit") else {
        let required = perms
            .required_parameters
            .iter()
            .any(|p| p.to_lowercase() == "limit");
        return if required {
            Err(Denied::PaginationLimit)
        } else {
            Ok(())
        };
    };
    let parsed = match raw {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    match parsed {
        None if raw.as_str() == Some("max") => Ok(()),
        None => Err(Denied::PaginationLimit),
        Some(v) if v > perms.pagination_limit || v < 0 => Err(Denied::PaginationLimit),
        Some(_) => Ok(()),
    }
}

/// `valueInParameterList`: an empty list allows any value.
fn value_in_list(v: &Value, list: &[ParamValue]) -> bool {
    list.is_empty() || list.iter().any(|el| value_matches(el, v))
}

fn value_matches(el: &ParamValue, v: &Value) -> bool {
    match (el, v) {
        (ParamValue::Null, Value::Null) => true,
        (ParamValue::Str(pattern), Value::String(s)) => globbed_match(pattern, s),
        _ => deep_equal(el, v),
    }
}

fn deep_equal(el: &ParamValue, v: &Value) -> bool {
    match (el, v) {
        (ParamValue::Null, Value::Null) => true,
        (ParamValue::Bool(a), Value::Bool(b)) => a == b,
        (ParamValue::Str(a), Value::String(b)) => a == b,
        (ParamValue::List(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| deep_equal(x, y))
        }
        (ParamValue::Map(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, x)| b.get(k).is_some_and(|y| deep_equal(x, y)))
        }
        // Request numbers are json.Number in OpenBao: never equal to a
        // policy's int or float.
        _ => false,
    }
}

/// `strutil.GlobbedStringsMatch`: `*` only at the start and/or end.
pub(crate) fn globbed_match(item: &str, val: &str) -> bool {
    if item.len() < 2 {
        return val == item;
    }
    match (item.strip_prefix('*'), item.strip_suffix('*')) {
        (Some(_), Some(_)) => val.contains(item.get(1..item.len() - 1).unwrap_or("")),
        (Some(rest), None) => val.ends_with(rest),
        (None, Some(rest)) => val.starts_with(rest),
        (None, None) => val == item,
    }
}
