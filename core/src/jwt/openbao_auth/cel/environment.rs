//! OpenBao's CEL environment for JWT CEL roles (`celEvalConfig`), built once
//! on cel-rust: the standard library, the extensions cel-rust has (strings,
//! lists, math, encoders, optional types), OpenBao's `check_valid_email`,
//! `encode_json` and `decode_json`, the sets extension, and the messages
//! `pb.Auth`, `pb.LeaseOptions`, `logical.Alias`. What cel-rust lacks or
//! does differently is listed in docs/openbao_cel.md.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use cel::common::types::{DYN_TYPE, LIST_TYPE, STRING_TYPE};
use cel::common::value::CowVal;
use cel::objects::Key;
use cel::{Env, ExecutionError, Value};

use super::budget::{budget_left, charge, BUDGET_FN, BUDGET_LEFT_FN, MAX_ITERATIONS};
use super::messages::{Message, ALIAS, AUTH, LEASE_OPTIONS};
use super::values::{from_json, go_string};

/// The shared environment (immutable after construction, so logins on any
/// thread use it without locking).
pub(crate) fn env() -> &'static Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| Arc::new(build()))
}

fn build() -> Env {
    let mut env = Env::stdlib();
    // Each registration below is of a fixed, distinct name: a failure is a
    // programming error that the module's tests catch, and a missing
    // function only makes programs that call it fail to evaluate.
    let _ = env.add_extension(cel::extensions::strings);
    let _ = env.add_extension(cel::extensions::lists);
    let _ = env.add_extension(cel::extensions::math);
    let _ = env.add_extension(cel::extensions::encoders);
    let _ = env.add_type(Message::new(AUTH));
    let _ = env.add_type(Message::new(LEASE_OPTIONS));
    let _ = env.add_type(Message::new(ALIAS));
    let _ = env.add_overload(
        "check_valid_email",
        "check_valid_email_string",
        vec![STRING_TYPE],
        check_valid_email,
    );
    let _ = env.add_overload(
        "encode_json",
        "encode_json_dyn",
        vec![DYN_TYPE],
        encode_json,
    );
    let _ = env.add_overload(
        "decode_json",
        "decode_json_string",
        vec![STRING_TYPE],
        decode_json,
    );
    let _ = env.add_overload(
        STRING_FN,
        "openbao_string_dyn",
        vec![DYN_TYPE],
        string_conversion,
    );
    let _ = env.add_overload(BUDGET_FN, BUDGET_FN, vec![DYN_TYPE], budget);
    let _ = env.add_overload(BUDGET_LEFT_FN, BUDGET_LEFT_FN, vec![DYN_TYPE], budget_check);
    for (name, op) in [
        (
            "sets.contains",
            sets_contains as cel::common::functions::Function,
        ),
        ("sets.equivalent", sets_equivalent),
        ("sets.intersects", sets_intersects),
    ] {
        let _ = env.add_overload(name, name, vec![LIST_TYPE, LIST_TYPE], op);
    }
    env
}

/// Calls to `string(x)` are rewritten to this function at compile time so
/// doubles print as Go's `strconv.FormatFloat(f, 'g', -1, 64)` does.
pub(crate) const STRING_FN: &str = "__openbao_string";

fn arg_value(args: &[CowVal<'_, '_>], i: usize) -> Result<Value, ExecutionError> {
    match args.get(i) {
        Some(v) => Value::try_from(&**v),
        None => Err(ExecutionError::invalid_argument_count(i + 1, args.len())),
    }
}

fn owned<'b, 'v>(value: Value) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let boxed: Box<dyn cel::common::value::Val> = value.try_into()?;
    Ok(CowVal::Owned(boxed))
}

fn string_conversion<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let value = arg_value(&args, 0)?;
    match go_string(&value) {
        Some(s) => owned(Value::String(Arc::new(s))),
        None => Err(super::go_errors::openbao_error(format!(
            "no such overload: string({})",
            super::values::cel_type_name(&value)
        ))),
    }
}

/// Passes its argument through, charging one comprehension step.
fn budget<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    if !charge() {
        return Err(budget_spent());
    }
    args.into_iter()
        .next()
        .ok_or_else(|| ExecutionError::invalid_argument_count(1, 0))
}

fn budget_spent() -> ExecutionError {
    super::go_errors::openbao_error(format!(
        "operation cancelled: more than {MAX_ITERATIONS} comprehension steps"
    ))
}

/// Passes its argument through, failing once the budget is spent.
fn budget_check<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    if !budget_left() {
        return Err(budget_spent());
    }
    args.into_iter()
        .next()
        .ok_or_else(|| ExecutionError::invalid_argument_count(1, 0))
}

/// Go's `net/mail.ParseAddress` accepting the input, approximated: an
/// optional display name with `<addr>`, and an addr-spec whose local part
/// and domain use RFC 5322 atom characters (dot-atoms, no empty labels).
fn check_valid_email<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let ok = match arg_value(&args, 0)? {
        Value::String(s) => valid_email(&s),
        _ => false,
    };
    owned(Value::Bool(ok))
}

pub(crate) fn valid_email(s: &str) -> bool {
    let s = s.trim();
    let addr = match (s.rfind('<'), s.ends_with('>')) {
        (Some(open), true) => &s[open + 1..s.len() - 1],
        (None, false) => s,
        _ => return false,
    };
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return false;
    };
    let atext = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let dot_atom =
        |p: &str| !p.is_empty() && p.split('.').all(|l| !l.is_empty() && l.chars().all(atext));
    dot_atom(local) && dot_atom(domain)
}

/// OpenBao's `encode_json`: a map converts to JSON (keys sorted, as Go's
/// `json.Marshal` does); anything else answers `false`.
fn encode_json<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let value = arg_value(&args, 0)?;
    if !matches!(value, Value::Map(_)) {
        return owned(Value::Bool(false));
    }
    match to_json(&value) {
        Some(json) => owned(Value::String(Arc::new(json.to_string()))),
        None => owned(Value::Bool(false)),
    }
}

fn to_json(value: &Value) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    Some(match value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::UInt(u) => J::from(*u),
        Value::Float(f) => J::from(serde_json::Number::from_f64(*f)?),
        Value::String(s) => J::String(s.to_string()),
        Value::List(items) => J::Array(items.iter().map(to_json).collect::<Option<_>>()?),
        Value::Map(m) => {
            let mut sorted = BTreeMap::new();
            for (k, v) in m.map.iter() {
                let Key::String(k) = k else { return None };
                sorted.insert(k.to_string(), to_json(v)?);
            }
            J::Object(sorted.into_iter().collect())
        }
        _ => return None,
    })
}

/// OpenBao's `decode_json`: the decoded value (numbers as doubles), or
/// `false` when the text is not JSON.
fn decode_json<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let Value::String(s) = arg_value(&args, 0)? else {
        return owned(Value::Bool(false));
    };
    match serde_json::from_str::<serde_json::Value>(&s) {
        Ok(json) => owned(from_json(&json)),
        Err(_) => owned(Value::Bool(false)),
    }
}

fn two_lists(args: &[CowVal<'_, '_>]) -> Result<(Vec<Value>, Vec<Value>), ExecutionError> {
    match (arg_value(args, 0)?, arg_value(args, 1)?) {
        (Value::List(a), Value::List(b)) => Ok((a.to_vec(), b.to_vec())),
        _ => Err(super::go_errors::openbao_error("no such overload".into())),
    }
}

/// CEL equality for set membership (numbers compare across types).
fn cel_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => (*x as f64) == *y,
        (Value::UInt(x), Value::Float(y)) | (Value::Float(y), Value::UInt(x)) => (*x as f64) == *y,
        (Value::Int(x), Value::UInt(y)) | (Value::UInt(y), Value::Int(x)) => {
            u64::try_from(*x).is_ok_and(|x| x == *y)
        }
        _ => a == b,
    }
}

fn contains_all(haystack: &[Value], needles: &[Value]) -> bool {
    needles
        .iter()
        .all(|n| haystack.iter().any(|h| cel_eq(h, n)))
}

fn sets_contains<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let (a, b) = two_lists(&args)?;
    owned(Value::Bool(contains_all(&a, &b)))
}

fn sets_equivalent<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let (a, b) = two_lists(&args)?;
    owned(Value::Bool(contains_all(&a, &b) && contains_all(&b, &a)))
}

fn sets_intersects<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let (a, b) = two_lists(&args)?;
    owned(Value::Bool(
        a.iter().any(|x| b.iter().any(|y| cel_eq(x, y))),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(valid_email("a@example.com"));
        assert!(valid_email("Alice <a.b@example.com>"));
        assert!(!valid_email("a@"));
        assert!(!valid_email("a..b@example.com"));
        assert!(!valid_email("nope"));
    }

    #[test]
    fn env_builds() {
        let program = env().compile("sets.contains([1, 2], [2])").expect("parse");
        let ctx = cel::Context::with_env(Arc::clone(env()));
        assert_eq!(program.execute(&ctx), Ok(Value::Bool(true)));
    }
}
