//! Parameter values of `allowed_parameters` / `denied_parameters`, shared
//! by the policy reader (which builds them) and the evaluator (which
//! compares request parameters with them).

use std::collections::BTreeMap;

/// A parameter value from `allowed_parameters` / `denied_parameters`, typed
/// as HCL1 decodes it into Go's `interface{}` (the type matters when
/// OpenBao compares values).
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// `null` (JSON only).
    Null,
    Bool(bool),
    /// HCL NUMBER, decoded as a Go `int`.
    Int(i64),
    Float(f64),
    /// Strings match request strings as globs (`*` at either end).
    Str(String),
    List(Vec<ParamValue>),
    Map(Vec<(String, ParamValue)>),
}

/// Parameter constraints keyed by lower-cased parameter name.
pub type ParamMap = BTreeMap<String, Vec<ParamValue>>;

impl std::fmt::Display for ParamValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamValue::Null => f.write_str("null"),
            ParamValue::Bool(b) => write!(f, "{b}"),
            ParamValue::Int(i) => write!(f, "{i}"),
            ParamValue::Float(x) => write!(f, "{x}"),
            ParamValue::Str(s) => write!(f, "{s:?}"),
            ParamValue::List(l) => {
                f.write_str("[")?;
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            ParamValue::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k:?}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}
