//! The role endpoint's request fields, read the way OpenBao's `framework`
//! does: each known field converted by its declared type (with the same
//! error text), unknown fields set aside for the warning.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::RoleError;
use super::fields;
use crate::gocompat::go_quote;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldType {
    String,
    LowerString,
    Bool,
    Int,
    Duration,
    SignedDuration,
    CommaStrings,
    Map,
    KvPairs,
}

/// Every field of OpenBao's JWT role endpoint (role fields + token fields).
pub(crate) const ROLE_FIELDS: &[(&str, FieldType)] = &[
    ("name", FieldType::LowerString),
    ("role_type", FieldType::String),
    ("policies", FieldType::CommaStrings),
    ("num_uses", FieldType::Int),
    ("ttl", FieldType::Duration),
    ("max_ttl", FieldType::Duration),
    ("period", FieldType::Duration),
    ("bound_cidrs", FieldType::CommaStrings),
    ("expiration_leeway", FieldType::SignedDuration),
    ("not_before_leeway", FieldType::SignedDuration),
    ("clock_skew_leeway", FieldType::SignedDuration),
    ("bound_subject", FieldType::String),
    ("bound_audiences", FieldType::CommaStrings),
    ("bound_claims_type", FieldType::String),
    ("bound_claims", FieldType::Map),
    ("claim_mappings", FieldType::KvPairs),
    ("oauth2_metadata", FieldType::CommaStrings),
    ("user_claim", FieldType::String),
    ("user_claim_json_pointer", FieldType::Bool),
    ("groups_claim", FieldType::String),
    ("oidc_scopes", FieldType::CommaStrings),
    ("allowed_redirect_uris", FieldType::CommaStrings),
    ("callback_mode", FieldType::String),
    ("poll_interval", FieldType::Int),
    ("verbose_oidc_logging", FieldType::Bool),
    ("max_age", FieldType::Duration),
    ("token_policies_template_claims", FieldType::Bool),
    ("oidc_disable_confirmation", FieldType::Bool),
    ("token_bound_cidrs", FieldType::CommaStrings),
    ("token_explicit_max_ttl", FieldType::Duration),
    ("token_max_ttl", FieldType::Duration),
    ("token_no_default_policy", FieldType::Bool),
    ("token_period", FieldType::Duration),
    ("token_policies", FieldType::CommaStrings),
    ("token_type", FieldType::String),
    ("token_ttl", FieldType::Duration),
    ("token_num_uses", FieldType::Int),
    ("token_strictly_bind_ip", FieldType::Bool),
];

/// A converted request field.
#[derive(Clone)]
pub(crate) enum Field {
    Str(String),
    Bool(bool),
    Int(i64),
    Seconds(i64),
    List(Vec<String>),
    Map(Map<String, Value>),
    Kv(BTreeMap<String, String>),
}

/// The request body after OpenBao's field validation: only fields that were
/// given ("GetOk"), already converted.
pub(crate) struct FieldData {
    given: BTreeMap<&'static str, Field>,
}

impl FieldData {
    pub(crate) fn parse(body: &Map<String, Value>) -> Result<(FieldData, Vec<String>), RoleError> {
        let mut given = BTreeMap::new();
        let mut ignored = Vec::new();
        for (key, value) in body {
            let Some(&(name, kind)) = ROLE_FIELDS.iter().find(|(n, _)| *n == key) else {
                ignored.push(key.clone());
                continue;
            };
            let converted = convert_field(kind, value).map_err(|err| {
                RoleError::new(format!(
                    "error converting input for field {}: {err}",
                    go_quote(name)
                ))
            })?;
            if let Some(field) = converted {
                given.insert(name, field);
            }
        }
        ignored.sort();
        Ok((FieldData { given }, ignored))
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.given.contains_key(name)
    }

    pub(crate) fn str(&self, name: &str) -> Option<String> {
        match self.given.get(name) {
            Some(Field::Str(s)) => Some(s.clone()),
            _ => None,
        }
    }

    pub(crate) fn bool(&self, name: &str) -> Option<bool> {
        match self.given.get(name) {
            Some(Field::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        match self.given.get(name) {
            Some(Field::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub(crate) fn seconds(&self, name: &str) -> Option<i64> {
        match self.given.get(name) {
            Some(Field::Seconds(s)) => Some(*s),
            _ => None,
        }
    }

    pub(crate) fn map(&self, name: &str) -> Option<&Map<String, Value>> {
        match self.given.get(name) {
            Some(Field::Map(m)) => Some(m),
            _ => None,
        }
    }

    pub(crate) fn kv(&self, name: &str) -> Option<&BTreeMap<String, String>> {
        match self.given.get(name) {
            Some(Field::Kv(m)) => Some(m),
            _ => None,
        }
    }

    pub(crate) fn list(&self, name: &str) -> Option<Vec<String>> {
        match self.given.get(name) {
            Some(Field::List(l)) => Some(l.clone()),
            _ => None,
        }
    }
}

pub(crate) fn convert_field(kind: FieldType, value: &Value) -> Result<Option<Field>, String> {
    Ok(Some(match kind {
        FieldType::String => Field::Str(fields::weak_string("", value)?),
        FieldType::LowerString => Field::Str(fields::weak_string("", value)?.to_lowercase()),
        FieldType::Bool => Field::Bool(fields::weak_bool(value)?),
        FieldType::Int => Field::Int(fields::weak_int(value)?),
        FieldType::Duration | FieldType::SignedDuration => {
            match fields::duration_seconds(value, kind == FieldType::SignedDuration)? {
                Some(seconds) => Field::Seconds(seconds),
                None => return Ok(None),
            }
        }
        FieldType::CommaStrings => Field::List(fields::comma_string_slice(value)?),
        FieldType::Map => Field::Map(fields::string_map(value)?),
        FieldType::KvPairs => Field::Kv(fields::kv_pairs(value)?),
    }))
}
