//! The registered-claim checks OpenBao delegates to `hashicorp/cap`'s JWT
//! validator: issuer, subject, audience, then `nbf`/`exp`/`iat` with the
//! role's leeways.
//!
//! cap re-encodes the claims map (keys sorted) and decodes it into go-jose's
//! `jwt.Claims` struct with Go's `encoding/json`, so type errors, their text,
//! and which one wins follow that decoder: custom unmarshalers (`aud`,
//! times) fail at once, a wrong type for a string field is remembered and
//! reported only if nothing else fails, and keys match fields
//! case-insensitively with the last one winning.

use std::collections::BTreeMap;

use super::error::AuthError;
use super::go_value::{go_float_to_i64, GoValue};

/// go-jose's default leeway for `nbf`/`exp`/`iat` when the role says 0.
const DEFAULT_CLOCK_SKEW_SECONDS: i64 = 60;
/// cap's default leeway used to fill in a missing `exp`/`nbf`.
const DEFAULT_FILL_LEEWAY_SECONDS: i64 = 150;
const NANOS_PER_SECOND: i128 = 1_000_000_000;

const ERR_AUDIENCE: &str =
    "go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience";
const ERR_NUMERIC_DATE: &str =
    "go-jose/go-jose/jwt: expected number value to unmarshal NumericDate";

/// What the role and config expect of the registered claims.
pub(crate) struct Expected<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    pub audiences: &'a [String],
    pub expiration_leeway: i64,
    pub not_before_leeway: i64,
    pub clock_skew_leeway: i64,
}

#[derive(Default)]
struct RegisteredClaims {
    issuer: String,
    subject: String,
    audience: Vec<String>,
    expiry: Option<i64>,
    not_before: Option<i64>,
    issued_at: Option<i64>,
}

#[derive(Clone, Copy)]
enum Field {
    Issuer,
    Subject,
    Id,
    Audience,
    Expiry,
    NotBefore,
    IssuedAt,
}

const FIELDS: &[(&str, Field)] = &[
    ("iss", Field::Issuer),
    ("sub", Field::Subject),
    ("aud", Field::Audience),
    ("exp", Field::Expiry),
    ("nbf", Field::NotBefore),
    ("iat", Field::IssuedAt),
    ("jti", Field::Id),
];

/// Go's `encoding/json` field match: exact, else equal under simple case
/// folding (which also folds U+017F `ſ` to `s` and U+212A to `k`).
fn match_field(key: &str) -> Option<(&'static str, Field)> {
    if let Some(&(name, field)) = FIELDS.iter().find(|(n, _)| *n == key) {
        return Some((name, field));
    }
    let folded: String = key
        .chars()
        .map(|c| match c {
            '\u{17f}' => 's',
            '\u{212a}' => 'k',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    FIELDS
        .iter()
        .find(|(n, _)| *n == folded)
        .map(|&(n, f)| (n, f))
}

fn json_kind(value: &GoValue) -> &'static str {
    match value {
        GoValue::Null => "null",
        GoValue::Bool(_) => "bool",
        GoValue::Float(_) | GoValue::Number(_) => "number",
        GoValue::String(_) => "string",
        GoValue::List(_) => "array",
        GoValue::Map(_) => "object",
    }
}

fn decode_registered(claims: &BTreeMap<String, GoValue>) -> Result<RegisteredClaims, String> {
    let mut out = RegisteredClaims::default();
    let mut saved_error: Option<String> = None;
    // BTreeMap iterates in byte order, the order Go's json.Marshal writes.
    for (key, value) in claims {
        let Some((name, field)) = match_field(key) else {
            continue;
        };
        match field {
            Field::Issuer | Field::Subject | Field::Id => match value {
                GoValue::String(s) => match field {
                    Field::Issuer => out.issuer = s.clone(),
                    Field::Subject => out.subject = s.clone(),
                    _ => {}
                },
                GoValue::Null => {}
                other => {
                    saved_error.get_or_insert_with(|| {
                        format!(
                            "json: cannot unmarshal {} into Go struct field Claims.{name} of type string",
                            json_kind(other)
                        )
                    });
                }
            },
            Field::Audience => {
                out.audience = match value {
                    GoValue::String(s) => vec![s.clone()],
                    GoValue::List(items) => items
                        .iter()
                        .map(|v| v.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| ERR_AUDIENCE.to_string())?,
                    _ => return Err(ERR_AUDIENCE.into()),
                }
            }
            Field::Expiry | Field::NotBefore | Field::IssuedAt => {
                let date = match value {
                    GoValue::Null => None,
                    GoValue::Float(f) => Some(go_float_to_i64(*f)),
                    _ => return Err(ERR_NUMERIC_DATE.into()),
                };
                match field {
                    Field::Expiry => out.expiry = date,
                    Field::NotBefore => out.not_before = date,
                    _ => out.issued_at = date,
                }
            }
        }
    }
    match saved_error {
        Some(err) => Err(err),
        None => Ok(out),
    }
}

/// cap's rule for a leeway: negative disables, zero means the default.
fn effective_leeway(seconds: i64, default: i64) -> i64 {
    match seconds {
        s if s < 0 => 0,
        0 => default,
        s => s,
    }
}

/// Runs cap's registered-claim validation. `now` is nanoseconds since the
/// Unix epoch. Errors carry OpenBao's `error validating token: ` prefix.
pub(crate) fn validate_registered_claims(
    claims: &BTreeMap<String, GoValue>,
    expected: &Expected<'_>,
    now: i128,
) -> Result<(), AuthError> {
    let registered = decode_registered(claims).map_err(AuthError::token)?;

    if !expected.issuer.is_empty() && expected.issuer != registered.issuer {
        return Err(AuthError::token("invalid issuer (iss) claim"));
    }
    if !expected.subject.is_empty() && expected.subject != registered.subject {
        return Err(AuthError::token("invalid subject (sub) claim"));
    }
    if !expected.audiences.is_empty()
        && !expected
            .audiences
            .iter()
            .any(|want| registered.audience.contains(want))
    {
        return Err(AuthError::token(
            "invalid audience (aud) claim: audience claim does not match any expected audience",
        ));
    }

    let iat = registered.issued_at.unwrap_or(0);
    let mut exp = registered.expiry.unwrap_or(0);
    let mut nbf = registered.not_before.unwrap_or(0);
    if iat == 0 && exp == 0 && nbf == 0 {
        return Err(AuthError::token(
            "no issued at (iat), not before (nbf), or expiration time (exp) claims in token",
        ));
    }
    // A missing exp is filled from the latest of iat/nbf plus the leeway.
    if exp == 0 {
        let latest_start = if nbf > iat { nbf } else { iat };
        exp = latest_start.wrapping_add(effective_leeway(
            expected.expiration_leeway,
            DEFAULT_FILL_LEEWAY_SECONDS,
        ));
    }
    // A missing nbf is iat if set, else exp minus the leeway.
    if nbf == 0 {
        nbf = if iat != 0 {
            iat
        } else {
            exp.wrapping_sub(effective_leeway(
                expected.not_before_leeway,
                DEFAULT_FILL_LEEWAY_SECONDS,
            ))
        };
    }

    let skew = i128::from(effective_leeway(
        expected.clock_skew_leeway,
        DEFAULT_CLOCK_SKEW_SECONDS,
    )) * NANOS_PER_SECOND;
    let at = |seconds: i64| i128::from(seconds) * NANOS_PER_SECOND;
    if now + skew < at(nbf) {
        return Err(AuthError::token(
            "invalid not before (nbf) claim: token not yet valid",
        ));
    }
    if now - skew > at(exp) {
        return Err(AuthError::token(
            "invalid expiration time (exp) claim: token is expired",
        ));
    }
    if now + skew < at(iat) {
        return Err(AuthError::token(
            "invalid issued at (iat) claim: token issued in the future",
        ));
    }
    Ok(())
}
