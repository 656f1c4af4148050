//! cel-go's evaluation error texts for cel-rust's errors, so a refused
//! login reads as OpenBao's does. OpenBao evaluates every expression
//! unchecked (parse, then program), so these are cel-go's dynamic-dispatch
//! messages. Cases the vectors pin are exact; the rest follow cel-go's
//! source as closely as cel-rust's error detail allows (docs/openbao_cel.md).

use cel::ExecutionError;

use super::values::cel_type_name;

/// Marks an error whose message is already cel-go's text.
const VERBATIM: &str = "\u{0}openbao";

/// An evaluation error carrying cel-go's text verbatim.
pub(crate) fn openbao_error(text: String) -> ExecutionError {
    ExecutionError::function_error(VERBATIM, text)
}

/// cel-go's name of a cel-rust type name.
fn go_type(name: &str) -> String {
    match name {
        "null" => "null_type".into(),
        "float" => "double".into(),
        "timestamp" => "google.protobuf.Timestamp".into(),
        "duration" => "google.protobuf.Duration".into(),
        "optional" => "optional_type".into(),
        other => other.split('(').next().unwrap_or(other).to_string(),
    }
}

/// The value types that implement an operator's trait in cel-go: when the
/// left operand has it, cel-go answers a bare "no such overload".
fn has_trait(op: &str, lhs: &str) -> bool {
    let lhs = go_type(lhs);
    let lhs = lhs.as_str();
    match op {
        "_+_" => matches!(
            lhs,
            "int"
                | "uint"
                | "double"
                | "string"
                | "bytes"
                | "list"
                | "google.protobuf.Duration"
                | "google.protobuf.Timestamp"
        ),
        "_-_" => matches!(
            lhs,
            "int" | "uint" | "double" | "google.protobuf.Duration" | "google.protobuf.Timestamp"
        ),
        "_*_" | "_/_" => matches!(lhs, "int" | "uint" | "double"),
        "_%_" => matches!(lhs, "int" | "uint"),
        "_<_" | "_<=_" | "_>_" | "_>=_" => matches!(
            lhs,
            "int"
                | "uint"
                | "double"
                | "string"
                | "bytes"
                | "bool"
                | "google.protobuf.Duration"
                | "google.protobuf.Timestamp"
        ),
        _ => false,
    }
}

/// Members whose cel-go binding rejects a wrong receiver itself.
const BARE_MEMBER_ERRORS: &[&str] = &["contains", "startsWith", "endsWith", "matches"];

/// cel-go's text for an evaluation error.
pub(crate) fn go_text(err: &ExecutionError) -> String {
    match err {
        ExecutionError::FunctionError { function, message } if function == VERBATIM => {
            message.clone()
        }
        ExecutionError::NoSuchOverload(o) => {
            let args: Vec<String> = o.argument_types().iter().map(|t| go_type(t)).collect();
            let f = o.function();
            if f.starts_with('_') && f.ends_with('_') && args.len() == 2 {
                if has_trait(f, &args[0]) {
                    "no such overload".into()
                } else {
                    format!("no such overload: {f}")
                }
            } else if f.starts_with('_') || f.starts_with('!') || f.starts_with('-') || f == "size"
            {
                // Operators and `size` dispatch on a trait of the operand.
                format!("no such overload: {f}")
            } else if o.is_member_function() && BARE_MEMBER_ERRORS.contains(&f) {
                // The standard library's string members check their
                // receiver themselves and answer a bare error.
                "no such overload".into()
            } else {
                // cel-go prints a member call's receiver as its first argument.
                format!("no such overload: {f}({})", args.join(", "))
            }
        }
        ExecutionError::UnsupportedBinaryOperator(op, lhs, _) => {
            let f = match *op {
                "add" => "_+_",
                "sub" => "_-_",
                "mul" => "_*_",
                "div" => "_/_",
                "rem" => "_%_",
                other => other,
            };
            if has_trait(f, &cel_type_name(lhs)) {
                "no such overload".into()
            } else {
                format!("no such overload: {f}")
            }
        }
        ExecutionError::ValuesNotComparable(..) => "no such overload".into(),
        ExecutionError::NoSuchKey(k) => format!("no such key: {k}"),
        ExecutionError::UndeclaredReference(name) => {
            format!("no such attribute(s): {name}")
        }
        ExecutionError::DivisionByZero(_) => "division by zero".into(),
        ExecutionError::RemainderByZero(_) => "modulus by zero".into(),
        ExecutionError::Overflow(..) => "integer overflow".into(),
        ExecutionError::UnexpectedType { got, want } if want == "iterable" => {
            format!("got '{}', expected iterable type", go_value_type(got))
        }
        ExecutionError::FunctionError { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// cel-go's Go type name (`%T`-like) of a value of CEL type `name`.
fn go_value_type(name: &str) -> String {
    match go_type(name).as_str() {
        "string" => "types.String".into(),
        "int" => "types.Int".into(),
        "uint" => "types.Uint".into(),
        "double" => "types.Double".into(),
        "bool" => "types.Bool".into(),
        "bytes" => "types.Bytes".into(),
        "null_type" => "types.Null".into(),
        "google.protobuf.Timestamp" => "types.Timestamp".into(),
        "google.protobuf.Duration" => "types.Duration".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_errors_pass_through() {
        assert_eq!(go_text(&openbao_error("x y".into())), "x y");
        assert_eq!(
            go_text(&ExecutionError::no_such_overload(
                "_+_",
                vec!["null".into(), "string".into()]
            )),
            "no such overload: _+_"
        );
        assert_eq!(
            go_text(&ExecutionError::no_such_overload(
                "_+_",
                vec!["list".into(), "string".into()]
            )),
            "no such overload"
        );
    }
}
