//! Registered-claim validation with the `jwt` gem's (2.x) semantics and
//! messages, checked in the gem's order: exp, nbf, iss, iat, jti, aud, sub,
//! required claims.
//!
//! Deliberate difference: an `exp`/`nbf` that is not a JSON number fails
//! with that claim's own error (the gem would coerce it with `to_i`, which
//! turns `"abc"` into 0 and so silently skips `nbf`). Floats are accepted,
//! as in the gem (any Ruby `Numeric`).

use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::error::JwtError;
pub use super::expected::Expected;

/// A caller-supplied `jti` check: `(jti, claims) -> accepted`.
pub type JtiValidator = Arc<dyn Fn(Option<&Value>, &Map<String, Value>) -> bool + Send + Sync>;

/// How `jti` is checked (`verify_jti` in the gem).
#[derive(Clone, Default)]
pub enum JtiCheck {
    /// Not checked.
    #[default]
    Off,
    /// Must be present and not blank ("Missing jti").
    Present,
    /// Must satisfy the callback ("Invalid jti").
    Validate(JtiValidator),
}

impl fmt::Debug for JtiCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JtiCheck::Off => f.write_str("Off"),
            JtiCheck::Present => f.write_str("Present"),
            JtiCheck::Validate(_) => f.write_str("Validate(..)"),
        }
    }
}

/// Which claims to check and how. `Default` matches `JWT.decode` defaults:
/// exp and nbf checked, nothing else, leeway 0.
#[derive(Debug, Clone)]
pub struct ClaimRules {
    /// Check `exp` (default true).
    pub verify_expiration: bool,
    /// Check `nbf` (default true).
    pub verify_not_before: bool,
    /// Check that `iat` is a number not in the future (default false).
    pub verify_iat: bool,
    /// Expected issuer(s); `None` skips the check.
    pub issuer: Option<Expected>,
    /// Expected audience(s); `None` skips the check.
    pub audience: Option<Expected>,
    /// Expected subject; `None` skips the check.
    pub subject: Option<String>,
    /// `jti` check.
    pub jti: JtiCheck,
    /// Claims that must be present (any value, even null).
    pub required_claims: Vec<String>,
    /// Seconds of clock skew allowed for exp and nbf.
    pub leeway: i64,
    /// Overrides `leeway` for exp.
    pub exp_leeway: Option<i64>,
    /// Overrides `leeway` for nbf.
    pub nbf_leeway: Option<i64>,
    /// The caller verified the token's `x5c` certificate chain against its
    /// own trusted roots and took the key from it, so an `x5c` header is
    /// not refused (default false). `jwk`, `jku` and `x5u` always are.
    pub x5c_verified: bool,
}

impl Default for ClaimRules {
    fn default() -> Self {
        ClaimRules {
            verify_expiration: true,
            verify_not_before: true,
            verify_iat: false,
            issuer: None,
            audience: None,
            subject: None,
            jti: JtiCheck::Off,
            required_claims: Vec::new(),
            leeway: 0,
            exp_leeway: None,
            nbf_leeway: None,
            x5c_verified: false,
        }
    }
}

/// Ruby's `Numeric#to_i` (truncation), saturating at the i64 range.
fn number_to_i(n: &serde_json::Number) -> i128 {
    if let Some(i) = n.as_i64() {
        i128::from(i)
    } else if let Some(u) = n.as_u64() {
        i128::from(u)
    } else {
        // `as` saturates and maps NaN to 0 (JSON has no NaN anyway).
        n.as_f64().map_or(0, |f| f.trunc() as i128)
    }
}

/// The text a `sub` claim is compared as (the `jwt` gem compares its
/// string form, so `1` matches an expected `"1"`). Arrays and objects have
/// no such form here and never match.
fn sub_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if n.is_f64() && f.is_finite() && f.fract() == 0.0 && f.abs() < 1e16 => {
                format!("{f:.1}")
            }
            _ => n.to_string(),
        }),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// Validates `claims` against `rules` at time `now` (Unix seconds; a
/// fractional part matters only for `iat`).
pub fn validate_claims(
    claims: &Map<String, Value>,
    rules: &ClaimRules,
    now: f64,
) -> Result<(), JwtError> {
    validate_with(claims, rules, now)
}

/// Read access to a token's claims for [`validate_claims`]: a full Map, or
/// a partial view holding only the claims the rules look at.
pub(crate) trait ClaimLookup {
    /// The claim `name`, if present and captured.
    fn get(&self, name: &str) -> Option<&Value>;
    /// Whether the claim `name` is present.
    fn contains_key(&self, name: &str) -> bool;
    /// All claims, when available (needed by a [`JtiCheck::Validate`] callback).
    fn full(&self) -> Option<&Map<String, Value>>;
}

impl ClaimLookup for Map<String, Value> {
    fn get(&self, name: &str) -> Option<&Value> {
        Map::get(self, name)
    }

    fn contains_key(&self, name: &str) -> bool {
        Map::contains_key(self, name)
    }

    fn full(&self) -> Option<&Map<String, Value>> {
        Some(self)
    }
}

/// [`validate_claims`] over any [`ClaimLookup`]. A `JtiCheck::Validate`
/// with a partial view refuses the token (callers use a full Map then).
pub(crate) fn validate_with<C: ClaimLookup + ?Sized>(
    claims: &C,
    rules: &ClaimRules,
    now: f64,
) -> Result<(), JwtError> {
    let now_i = now.trunc() as i128;

    if rules.verify_expiration {
        if let Some(exp) = claims.get("exp") {
            let leeway = i128::from(rules.exp_leeway.unwrap_or(rules.leeway));
            let expired = match exp {
                Value::Number(n) => number_to_i(n) <= now_i - leeway,
                _ => true,
            };
            if expired {
                return Err(JwtError::ExpiredSignature);
            }
        }
    }

    if rules.verify_not_before {
        if let Some(nbf) = claims.get("nbf") {
            let leeway = i128::from(rules.nbf_leeway.unwrap_or(rules.leeway));
            let immature = match nbf {
                Value::Number(n) => number_to_i(n) > now_i + leeway,
                _ => true,
            };
            if immature {
                return Err(JwtError::ImmatureSignature);
            }
        }
    }

    if let Some(expected) = &rules.issuer {
        let iss = claims.get("iss");
        let matches = matches!(iss, Some(Value::String(s)) if expected.contains(s));
        if !matches {
            return Err(JwtError::InvalidIssuer {
                expected: expected.as_list(),
                received: iss.cloned(),
            });
        }
    }

    if rules.verify_iat {
        if let Some(iat) = claims.get("iat") {
            let valid = match iat {
                Value::Number(n) => n.as_f64().is_some_and(|f| f <= now),
                _ => false,
            };
            if !valid {
                return Err(JwtError::InvalidIat);
            }
        }
    }

    match &rules.jti {
        JtiCheck::Off => {}
        JtiCheck::Present => {
            let blank = match claims.get("jti") {
                None | Some(Value::Null) => true,
                Some(Value::String(s)) => s.trim().is_empty(),
                Some(_) => false,
            };
            if blank {
                return Err(JwtError::MissingJti);
            }
        }
        JtiCheck::Validate(check) => {
            let accepted = claims
                .full()
                .is_some_and(|all| check(claims.get("jti"), all));
            if !accepted {
                return Err(JwtError::InvalidJti);
            }
        }
    }

    if let Some(expected) = &rules.audience {
        let aud = claims.get("aud");
        // Ruby: ([*aud] & [*expected]).empty?
        let matches = match aud {
            Some(Value::String(s)) => expected.contains(s),
            Some(Value::Array(items)) => items
                .iter()
                .any(|item| item.as_str().is_some_and(|s| expected.contains(s))),
            _ => false,
        };
        if !matches {
            return Err(JwtError::InvalidAud {
                expected: expected.clone(),
                received: aud.cloned(),
            });
        }
    }

    if let Some(expected) = &rules.subject {
        let sub = claims.get("sub");
        let actual = sub.map_or(Some(String::new()), sub_text);
        if actual.as_ref() != Some(expected) {
            return Err(JwtError::InvalidSub {
                expected: expected.clone(),
                received: sub.cloned(),
            });
        }
    }

    for name in &rules.required_claims {
        if !claims.contains_key(name) {
            return Err(JwtError::MissingRequiredClaim {
                claim: name.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    const NOW: f64 = 1_700_000_000.0;

    #[test]
    fn expiry_and_leeway() {
        let rules = ClaimRules::default();
        assert!(validate_claims(&obj(json!({"exp": 1_700_000_001})), &rules, NOW).is_ok());
        let err = validate_claims(&obj(json!({"exp": 1_700_000_000})), &rules, NOW).unwrap_err();
        assert_eq!(err, JwtError::ExpiredSignature);
        let lax = ClaimRules {
            leeway: 10,
            ..ClaimRules::default()
        };
        assert!(validate_claims(&obj(json!({"exp": 1_699_999_995})), &lax, NOW).is_ok());
        assert!(validate_claims(&obj(json!({"exp": 1_700_000_000.9})), &rules, NOW).is_err());
        assert!(validate_claims(&obj(json!({"exp": 1_700_000_001.5})), &rules, NOW).is_ok());
        for bad in [json!("1800000000"), json!(null), json!(true), json!([1])] {
            let err = validate_claims(&obj(json!({ "exp": bad })), &rules, NOW).unwrap_err();
            assert_eq!(err, JwtError::ExpiredSignature);
        }
        assert!(validate_claims(&obj(json!({"exp": u64::MAX})), &rules, NOW).is_ok());
        assert!(validate_claims(&obj(json!({"exp": -1e300})), &rules, NOW).is_err());
    }

    #[test]
    fn not_before() {
        let rules = ClaimRules::default();
        assert!(validate_claims(&obj(json!({"nbf": 1_700_000_000})), &rules, NOW).is_ok());
        let err = validate_claims(&obj(json!({"nbf": 1_700_000_001})), &rules, NOW).unwrap_err();
        assert_eq!(err, JwtError::ImmatureSignature);
        let lax = ClaimRules {
            nbf_leeway: Some(5),
            ..ClaimRules::default()
        };
        assert!(validate_claims(&obj(json!({"nbf": 1_700_000_005})), &lax, NOW).is_ok());
        assert_eq!(
            validate_claims(&obj(json!({"nbf": "x"})), &rules, NOW).unwrap_err(),
            JwtError::ImmatureSignature
        );
    }

    #[test]
    fn issuer_messages() {
        let rules = ClaimRules {
            issuer: Some("https://a".into()),
            ..ClaimRules::default()
        };
        assert!(validate_claims(&obj(json!({"iss": "https://a"})), &rules, NOW).is_ok());
        let err = validate_claims(&obj(json!({"iss": "https://b"})), &rules, NOW).unwrap_err();
        assert_eq!(
            err,
            JwtError::InvalidIssuer {
                expected: vec!["https://a".into()],
                received: Some(json!("https://b")),
            }
        );
        let err = validate_claims(&obj(json!({})), &rules, NOW).unwrap_err();
        assert_eq!(
            err,
            JwtError::InvalidIssuer {
                expected: vec!["https://a".into()],
                received: None,
            }
        );
        let many = ClaimRules {
            issuer: Some(vec!["x".to_owned(), "y".to_owned()].into()),
            ..ClaimRules::default()
        };
        assert!(validate_claims(&obj(json!({"iss": "y"})), &many, NOW).is_ok());
        assert_eq!(
            validate_claims(&obj(json!({"iss": ["y"]})), &many, NOW).unwrap_err(),
            JwtError::InvalidIssuer {
                expected: vec!["x".into(), "y".into()],
                received: Some(json!(["y"])),
            }
        );
    }

    #[test]
    fn audience_forms() {
        let one = ClaimRules {
            audience: Some("api".into()),
            ..ClaimRules::default()
        };
        assert!(validate_claims(&obj(json!({"aud": "api"})), &one, NOW).is_ok());
        assert!(validate_claims(&obj(json!({"aud": ["x", "api"]})), &one, NOW).is_ok());
        let err = validate_claims(&obj(json!({"aud": ["x", "y"]})), &one, NOW).unwrap_err();
        assert_eq!(
            err,
            JwtError::InvalidAud {
                expected: Expected::One("api".into()),
                received: Some(json!(["x", "y"])),
            }
        );
        let many = ClaimRules {
            audience: Some(vec!["a".to_owned(), "b".to_owned()].into()),
            ..ClaimRules::default()
        };
        assert!(validate_claims(&obj(json!({"aud": ["b"]})), &many, NOW).is_ok());
        let err = validate_claims(&obj(json!({})), &many, NOW).unwrap_err();
        assert_eq!(
            err,
            JwtError::InvalidAud {
                expected: Expected::AnyOf(vec!["a".into(), "b".into()]),
                received: None,
            }
        );
        assert!(validate_claims(&obj(json!({"aud": 1})), &one, NOW).is_err());
    }

    #[test]
    fn iat_sub_jti_required() {
        let rules = ClaimRules {
            verify_iat: true,
            subject: Some("job_1".into()),
            jti: JtiCheck::Present,
            required_claims: vec!["project_id".into()],
            ..ClaimRules::default()
        };
        let good = obj(json!({"iat": NOW, "sub": "job_1", "jti": "j", "project_id": null}));
        assert!(validate_claims(&good, &rules, NOW).is_ok());
        let mut c = good.clone();
        c.insert("iat".into(), json!(NOW + 0.5));
        assert_eq!(
            validate_claims(&c, &rules, NOW).unwrap_err(),
            JwtError::InvalidIat
        );
        c.insert("iat".into(), json!("1"));
        assert_eq!(
            validate_claims(&c, &rules, NOW).unwrap_err(),
            JwtError::InvalidIat
        );
        let mut c = good.clone();
        c.insert("sub".into(), json!("job_2"));
        assert_eq!(
            validate_claims(&c, &rules, NOW).unwrap_err(),
            JwtError::InvalidSub {
                expected: "job_1".into(),
                received: Some(json!("job_2")),
            }
        );
        let numeric = ClaimRules {
            subject: Some("7".into()),
            ..ClaimRules::default()
        };
        assert!(validate_claims(&obj(json!({"sub": 7})), &numeric, NOW).is_ok());
        assert!(validate_claims(&obj(json!({"sub": ["7"]})), &numeric, NOW).is_err());
        let mut c = good.clone();
        c.insert("jti".into(), json!("  "));
        assert_eq!(
            validate_claims(&c, &rules, NOW).unwrap_err(),
            JwtError::MissingJti
        );
        let mut c = good.clone();
        c.remove("project_id");
        assert_eq!(
            validate_claims(&c, &rules, NOW).unwrap_err(),
            JwtError::MissingRequiredClaim {
                claim: "project_id".into()
            }
        );
        let custom = ClaimRules {
            jti: JtiCheck::Validate(Arc::new(|jti, _| jti == Some(&json!("ok")))),
            ..ClaimRules::default()
        };
        assert!(validate_claims(&obj(json!({"jti": "ok"})), &custom, NOW).is_ok());
        assert_eq!(
            validate_claims(&obj(json!({"jti": "no"})), &custom, NOW).unwrap_err(),
            JwtError::InvalidJti
        );
    }
}
