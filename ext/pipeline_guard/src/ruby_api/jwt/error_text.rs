//! The `jwt` gem's exact message for each core JWT error. The core carries
//! the data (expected and received claims, claim names); the wording and
//! Ruby's way of printing values live here.
use pipeline_guard_core::jwt::{Expected, JwtError};
use serde_json::Value;

use crate::helpers::ruby_inspect;

/// The message the `jwt` gem raises for `err`.
pub fn message(err: &JwtError) -> String {
    match err {
        JwtError::ExpiredSignature => "Signature has expired".to_owned(),
        JwtError::ImmatureSignature => "Signature nbf has not been reached".to_owned(),
        JwtError::InvalidIssuer { expected, received } => format!(
            "Invalid issuer. Expected {}, received {}",
            ruby_inspect::inspect_strings(expected),
            received_text(received.as_ref())
        ),
        JwtError::InvalidAud { expected, received } => format!(
            "Invalid audience. Expected {}, received {}",
            expected_to_s(expected),
            received_text(received.as_ref())
        ),
        JwtError::InvalidSub { expected, received } => format!(
            "Invalid subject. Expected {expected}, received {}",
            received_text(received.as_ref())
        ),
        JwtError::InvalidIat => "Invalid iat".to_owned(),
        JwtError::MissingJti => "Missing jti".to_owned(),
        JwtError::InvalidJti => "Invalid jti".to_owned(),
        JwtError::MissingRequiredClaim { claim } => format!("Missing required claim {claim}"),
        JwtError::NonNumericClaim { claim, found } => format!(
            "{claim} claim must be a Numeric value but it is a {}",
            ruby_inspect::class_name(*found)
        ),
        // Variants carrying a finished message (and any added later).
        other => other.to_string(),
    }
}

/// `"#{value || '<none>'}"` in Ruby.
fn received_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(false)) => "<none>".to_owned(),
        Some(v) => ruby_inspect::to_s(v),
    }
}

/// `"#{options_aud}"` in Ruby: a String as is, an Array inspected.
fn expected_to_s(expected: &Expected) -> String {
    match expected {
        Expected::One(s) => s.clone(),
        Expected::AnyOf(list) => ruby_inspect::inspect_strings(list),
    }
}
