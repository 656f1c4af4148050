//! How Ruby would print a JSON value, for error messages that must read
//! exactly like the `jwt` gem's (which interpolates Ruby objects).

use serde_json::Value;

/// Ruby class name of the value JSON.parse would produce.
pub(crate) fn class_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NilClass",
        Value::Bool(true) => "TrueClass",
        Value::Bool(false) => "FalseClass",
        Value::Number(n) if n.is_f64() => "Float",
        Value::Number(_) => "Integer",
        Value::String(_) => "String",
        Value::Array(_) => "Array",
        Value::Object(_) => "Hash",
    }
}

/// `"#{value}"` in Ruby (`to_s`).
pub(crate) fn to_s(value: &Value) -> String {
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
pub(crate) fn inspect(value: &Value) -> String {
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
pub(crate) fn inspect_strings(items: &[String]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prints_like_ruby() {
        assert_eq!(to_s(&json!("a")), "a");
        assert_eq!(to_s(&json!(["a", 1])), "[\"a\", 1]");
        assert_eq!(to_s(&json!(1.0)), "1.0");
        assert_eq!(to_s(&json!(1.5)), "1.5");
        assert_eq!(inspect(&json!({"k": null})), "{\"k\"=>nil}");
        assert_eq!(class_name(&json!("1")), "String");
        assert_eq!(inspect_strings(&["x".to_owned()]), "[\"x\"]");
    }
}
