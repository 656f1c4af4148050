//! How Ruby would print a JSON value, for error messages that must read
//! exactly like the `jwt` gem's (which interpolates Ruby objects). Pure
//! text: no Ruby call, so it is usable without the GVL.

use pipeline_guard_core::jwt::JsonType;
use serde_json::Value;

/// Ruby class name of the value JSON.parse would produce for that type.
pub fn class_name(found: JsonType) -> &'static str {
    match found {
        JsonType::Null => "NilClass",
        JsonType::Bool(true) => "TrueClass",
        JsonType::Bool(false) => "FalseClass",
        JsonType::Float => "Float",
        JsonType::Integer => "Integer",
        JsonType::String => "String",
        JsonType::Array => "Array",
        JsonType::Object => "Hash",
        // A type added to the core later: Ruby's root class.
        _ => "Object",
    }
}

/// `"#{value}"` in Ruby (`to_s`).
pub fn to_s(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => number(n),
        Value::Bool(b) => b.to_string(),
        Value::Array(_) | Value::Object(_) => inspect(value),
    }
}

/// `value.inspect` in Ruby 3.1 (`{"k"=>1}` for hashes). String escaping
/// follows JSON, which matches Ruby for printable text.
pub fn inspect(value: &Value) -> String {
    match value {
        Value::Null => "nil".to_owned(),
        Value::String(s) => Value::String(s.clone()).to_string(),
        Value::Number(n) => number(n),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(inspect).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}=>{}", Value::String(k.clone()), inspect(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// Inspect of a list of strings (`["a", "b"]`).
pub fn inspect_strings(items: &[String]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|s| Value::String(s.clone()).to_string())
        .collect();
    format!("[{}]", parts.join(", "))
}

fn number(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.is_finite() && f.fract() == 0.0 && f.abs() < 1e16 => {
            format!("{f:.1}")
        }
        _ => n.to_string(),
    }
}
