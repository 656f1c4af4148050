//! The protobuf messages OpenBao declares in its CEL environment
//! (`cel.Types(&pb.Auth{})` brings `pb.LeaseOptions` and `logical.Alias`
//! along), as cel-rust struct types with the proto field names and types.
//!
//! A literal such as `pb.Auth{policies: claims.groups}` converts each field
//! the way cel-go converts a value into its proto field, and fails with
//! cel-go's text when it cannot (`field type conversion error for
//! pb.Auth.policies value type: type conversion error from Double to
//! 'string'`). Fields left out stay absent (proto defaults).

use std::collections::BTreeMap;
use std::sync::Arc;

use cel::common::types::{CelStruct, Type};
use cel::common::value::{CowVal, Val};
use cel::objects::Key;
use cel::{ExecutionError, StructType, Value};

use super::go_errors::openbao_error;

pub(crate) const AUTH: &str = "pb.Auth";
pub(crate) const LEASE_OPTIONS: &str = "pb.LeaseOptions";
pub(crate) const ALIAS: &str = "logical.Alias";

/// A proto field's type, as far as CEL conversion goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    Str,
    Int64,
    Uint32,
    Bool,
    StrList,
    StrMap,
    Timestamp,
    Message(&'static str),
    MessageList(&'static str),
}

impl FieldKind {
    /// The CEL type name cel-go's checker prints for the field.
    pub(crate) fn cel_name(self) -> &'static str {
        match self {
            FieldKind::Str => "string",
            FieldKind::Int64 => "int",
            FieldKind::Uint32 => "uint",
            FieldKind::Bool => "bool",
            FieldKind::StrList => "list(string)",
            FieldKind::StrMap => "map(string, string)",
            FieldKind::Timestamp => "google.protobuf.Timestamp",
            FieldKind::Message(name) => name,
            FieldKind::MessageList(ALIAS) => "list(logical.Alias)",
            FieldKind::MessageList(_) => "list",
        }
    }
}

const AUTH_FIELDS: &[(&str, FieldKind)] = &[
    ("lease_options", FieldKind::Message(LEASE_OPTIONS)),
    ("internal_data", FieldKind::Str),
    ("display_name", FieldKind::Str),
    ("policies", FieldKind::StrList),
    ("metadata", FieldKind::StrMap),
    ("client_token", FieldKind::Str),
    ("accessor", FieldKind::Str),
    ("period", FieldKind::Int64),
    ("num_uses", FieldKind::Int64),
    ("entity_id", FieldKind::Str),
    ("alias", FieldKind::Message(ALIAS)),
    ("group_aliases", FieldKind::MessageList(ALIAS)),
    ("bound_cidrs", FieldKind::StrList),
    ("token_policies", FieldKind::StrList),
    ("identity_policies", FieldKind::StrList),
    ("explicit_max_ttl", FieldKind::Int64),
    ("token_type", FieldKind::Uint32),
    ("no_default_policy", FieldKind::Bool),
];

const LEASE_OPTIONS_FIELDS: &[(&str, FieldKind)] = &[
    ("TTL", FieldKind::Int64),
    ("renewable", FieldKind::Bool),
    ("increment", FieldKind::Int64),
    ("issue_time", FieldKind::Timestamp),
    ("MaxTTL", FieldKind::Int64),
];

const ALIAS_FIELDS: &[(&str, FieldKind)] = &[
    ("mount_type", FieldKind::Str),
    ("mount_accessor", FieldKind::Str),
    ("name", FieldKind::Str),
    ("metadata", FieldKind::StrMap),
    ("ID", FieldKind::Str),
    ("namespace_id", FieldKind::Str),
    ("custom_metadata", FieldKind::StrMap),
    ("local", FieldKind::Bool),
];

/// The fields of a declared message, or None for an unknown type name.
pub(crate) fn fields_of(message: &str) -> Option<&'static [(&'static str, FieldKind)]> {
    match message {
        AUTH => Some(AUTH_FIELDS),
        LEASE_OPTIONS => Some(LEASE_OPTIONS_FIELDS),
        ALIAS => Some(ALIAS_FIELDS),
        _ => None,
    }
}

/// One of the declared messages as a cel-rust struct type.
pub(crate) struct Message {
    name: &'static str,
    r#type: Type,
    fields: &'static [(&'static str, FieldKind)],
}

impl Message {
    pub(crate) fn new(name: &'static str) -> Self {
        Message {
            name,
            r#type: Type::new_struct_type(name),
            fields: fields_of(name).unwrap_or(&[]),
        }
    }
}

fn conversion_error(value: &Value, native: &str) -> String {
    match value {
        Value::Float(_) => format!("type conversion error from Double to '{native}'"),
        Value::List(_) => format!("type conversion error from list to '{native}'"),
        Value::Map(_) => format!("type conversion error from map to '{native}'"),
        other => format!(
            "type conversion error from '{}' to '{native}'",
            super::values::cel_type_name(other)
        ),
    }
}

/// `value` converted for a field of `kind`, or cel-go's conversion text.
fn convert(kind: FieldKind, value: Value) -> Result<Value, String> {
    let ok = match (&kind, &value) {
        (FieldKind::Str, Value::String(_))
        | (FieldKind::Int64, Value::Int(_))
        | (FieldKind::Uint32, Value::UInt(_))
        | (FieldKind::Bool, Value::Bool(_))
        | (FieldKind::Timestamp, Value::Timestamp(_)) => true,
        (FieldKind::Uint32, Value::Int(i)) => return uint32_from(*i, &value),
        (FieldKind::Message(want), Value::Struct(s)) => s.name() == *want,
        (FieldKind::StrList, Value::List(items)) => {
            if let Some(bad) = items.iter().find(|v| !matches!(v, Value::String(_))) {
                return Err(conversion_error(bad, "string"));
            }
            true
        }
        (FieldKind::MessageList(want), Value::List(items)) => items
            .iter()
            .all(|v| matches!(v, Value::Struct(s) if s.name() == *want)),
        (FieldKind::StrMap, Value::Map(map)) => {
            for (k, v) in map.map.iter() {
                if !matches!(k, Key::String(_)) {
                    return Err(conversion_error(&key_value(k), "string"));
                }
                if !matches!(v, Value::String(_)) {
                    return Err(conversion_error(v, "string"));
                }
            }
            true
        }
        _ => false,
    };
    if ok {
        return Ok(value);
    }
    let native = match kind {
        FieldKind::Str | FieldKind::StrList | FieldKind::StrMap => "string",
        FieldKind::Int64 => "int64",
        FieldKind::Uint32 => "uint32",
        FieldKind::Bool => "bool",
        FieldKind::Timestamp => "*timestamppb.Timestamp",
        FieldKind::Message(m) | FieldKind::MessageList(m) => m,
    };
    Err(conversion_error(&value, native))
}

fn uint32_from(i: i64, value: &Value) -> Result<Value, String> {
    u32::try_from(i)
        .map(|u| Value::UInt(u64::from(u)))
        .map_err(|_| conversion_error(value, "uint32"))
}

fn key_value(k: &Key) -> Value {
    match k {
        Key::Int(i) => Value::Int(*i),
        Key::Uint(u) => Value::UInt(*u),
        Key::Bool(b) => Value::Bool(*b),
        Key::String(s) => Value::String(Arc::clone(s)),
    }
}

impl StructType for Message {
    fn get_type(&self) -> &Type {
        &self.r#type
    }

    fn new_value<'b, 'v>(
        &self,
        fields: BTreeMap<String, CowVal<'b, 'v>>,
    ) -> Result<Box<dyn Val + 'v>, ExecutionError> {
        let mut out = CelStruct::new(self.name.to_string());
        for (field, value) in fields {
            let Some((_, kind)) = self.fields.iter().find(|(name, _)| *name == field) else {
                return Err(openbao_error(format!(
                    "no such field '{field}' in {}",
                    self.name
                )));
            };
            let value = Value::try_from(&*value)?;
            let repeated = matches!(
                kind,
                FieldKind::StrList | FieldKind::MessageList(_) | FieldKind::StrMap
            );
            if repeated && !matches!(value, Value::List(_) | Value::Map(_)) {
                // cel-go refuses a scalar for a list or map field outright.
                return Err(openbao_error(format!(
                    "unsupported field type for {}.{field}: {}",
                    self.name,
                    super::values::cel_type_name(&value)
                )));
            }
            let converted = convert(*kind, value).map_err(|e| {
                openbao_error(format!(
                    "field type conversion error for {}.{field} value type: {e}",
                    self.name
                ))
            })?;
            let boxed: Box<dyn Val> = converted.try_into()?;
            out.add_field_value(field, CowVal::Owned(boxed));
        }
        Ok(Box::new(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_follow_cel_go() {
        assert_eq!(
            convert(
                FieldKind::StrList,
                Value::List(Arc::new(vec![Value::Float(1.0)]))
            ),
            Err("type conversion error from Double to 'string'".into())
        );
        assert!(convert(FieldKind::Int64, Value::Int(3)).is_ok());
        assert!(convert(FieldKind::Int64, Value::Float(3.0)).is_err());
        assert_eq!(
            convert(FieldKind::Uint32, Value::Int(2)),
            Ok(Value::UInt(2))
        );
    }
}
