//! Boundary and type rules of OpenBao's JWT login checks (leeways, registered
//! claim types, bound claims, identity), independent of recorded vectors.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pipeline_guard_core::jwt::openbao_auth::{authenticate, AuthErrorKind, Login, Role};
use serde_json::{json, Map, Value};

const NOW: u64 = 1_700_000_000;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

fn role(extra: Value) -> Role {
    let mut body = json!({"role_type": "jwt", "user_claim": "sub", "bound_audiences": ["a"]});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    Role::from_json("r", body.as_object().unwrap_or(&Map::new()))
        .unwrap_or_else(|e| panic!("role refused: {e}"))
}

fn run(role: &Role, claims: Value) -> Result<Login, String> {
    let mut base = json!({"sub": "u", "aud": "a"});
    if let (Some(b), Some(c)) = (base.as_object_mut(), claims.as_object()) {
        b.extend(c.clone());
    }
    authenticate(role, base.as_object().unwrap_or(&Map::new()), now()).map_err(|e| e.to_string())
}

fn at(offset: i64) -> Value {
    json!(NOW as i64 + offset)
}

const EXPIRED: &str =
    "error validating token: invalid expiration time (exp) claim: token is expired";
const NOT_YET: &str = "error validating token: invalid not before (nbf) claim: token not yet valid";
const FUTURE: &str =
    "error validating token: invalid issued at (iat) claim: token issued in the future";

#[test]
fn default_clock_skew_is_sixty_seconds() {
    let r = role(json!({}));
    assert!(run(&r, json!({"exp": at(-60)})).is_ok());
    assert_eq!(
        run(&r, json!({"exp": at(-61)})).err().as_deref(),
        Some(EXPIRED)
    );
    assert!(run(&r, json!({"nbf": at(60), "exp": at(600)})).is_ok());
    assert_eq!(
        run(&r, json!({"nbf": at(61), "exp": at(600)}))
            .err()
            .as_deref(),
        Some(NOT_YET)
    );
    assert!(run(&r, json!({"iat": at(60)})).is_ok());
    assert_eq!(
        run(&r, json!({"iat": at(61), "exp": at(600), "nbf": at(0)}))
            .err()
            .as_deref(),
        Some(FUTURE)
    );
}

#[test]
fn negative_clock_skew_disables_it() {
    let r = role(json!({"clock_skew_leeway": -1}));
    assert!(run(&r, json!({"exp": at(0)})).is_ok());
    assert_eq!(
        run(&r, json!({"exp": at(-1)})).err().as_deref(),
        Some(EXPIRED)
    );
}

#[test]
fn expiration_leeway_only_fills_a_missing_exp() {
    // iat only: exp = iat + 150 (default), then 60 s of skew.
    let r = role(json!({}));
    assert!(run(&r, json!({"iat": at(-210)})).is_ok());
    assert_eq!(
        run(&r, json!({"iat": at(-211)})).err().as_deref(),
        Some(EXPIRED)
    );
    // expiration_leeway -1: exp = iat exactly.
    let r = role(json!({"expiration_leeway": -1}));
    assert!(run(&r, json!({"iat": at(-60)})).is_ok());
    assert_eq!(
        run(&r, json!({"iat": at(-61)})).err().as_deref(),
        Some(EXPIRED)
    );
    // A present exp ignores expiration_leeway.
    let r = role(json!({"expiration_leeway": 1000}));
    assert_eq!(
        run(&r, json!({"exp": at(-61)})).err().as_deref(),
        Some(EXPIRED)
    );
}

#[test]
fn not_before_leeway_fills_nbf_from_exp() {
    // exp only: nbf = exp - 150, checked with 60 s of skew.
    let r = role(json!({}));
    assert!(run(&r, json!({"exp": at(210)})).is_ok());
    assert_eq!(
        run(&r, json!({"exp": at(211)})).err().as_deref(),
        Some(NOT_YET)
    );
    let r = role(json!({"not_before_leeway": "1h"}));
    assert!(run(&r, json!({"exp": at(3660)})).is_ok());
}

#[test]
fn registered_claim_types_follow_go_decoding() {
    let r = role(json!({}));
    let no_times = "error validating token: no issued at (iat), not before (nbf), or expiration time (exp) claims in token";
    assert_eq!(run(&r, json!({})).err().as_deref(), Some(no_times));
    assert_eq!(run(&r, json!({"iat": 0})).err().as_deref(), Some(no_times));
    assert_eq!(
        run(&r, json!({"exp": null})).err().as_deref(),
        Some(no_times)
    );
    assert_eq!(
        run(&r, json!({"exp": "1"})).err().as_deref(),
        Some("error validating token: go-jose/go-jose/jwt: expected number value to unmarshal NumericDate")
    );
    assert_eq!(
        run(&r, json!({"exp": at(100), "aud": [1]})).err().as_deref(),
        Some("error validating token: go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience")
    );
    assert_eq!(
        run(&r, json!({"exp": at(100), "iss": 5})).err().as_deref(),
        Some("error validating token: json: cannot unmarshal number into Go struct field Claims.iss of type string")
    );
    // A float time is truncated toward zero (NOW - 60.1 becomes NOW - 61).
    assert!(run(&r, json!({"exp": NOW as f64 - 59.9})).is_ok());
    assert_eq!(
        run(&r, json!({"exp": NOW as f64 - 60.1})).err().as_deref(),
        Some(EXPIRED)
    );
}

#[test]
fn audience_rules() {
    let no_aud = Role::from_json(
        "r",
        json!({"role_type": "jwt", "user_claim": "sub", "bound_subject": "u"})
            .as_object()
            .unwrap_or(&Map::new()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        run(&no_aud, json!({"exp": at(100)})).err().as_deref(),
        Some("audience claim found in JWT but no audiences bound to the role")
    );
    let r = role(json!({}));
    assert!(run(&r, json!({"exp": at(100), "aud": ["x", "a"]})).is_ok());
    assert_eq!(
        run(&r, json!({"exp": at(100), "aud": "A"})).err().as_deref(),
        Some("error validating token: invalid audience (aud) claim: audience claim does not match any expected audience")
    );
}

#[test]
fn bound_claims_string_mode_is_typed() {
    let r =
        role(json!({"bound_claims": {"flag": true, "/n/id": "7", "list": ["x", "y"], "num": 12}}));
    let ok =
        json!({"exp": at(100), "flag": true, "n": {"id": "7"}, "list": ["q", "y"], "num": 12.7});
    assert!(run(&r, ok.clone()).is_ok());
    let mut bad = ok.clone();
    bad["flag"] = json!("true");
    let err = run(&r, bad).err().unwrap_or_default();
    assert_eq!(
        err,
        "error validating claims: claim \"flag\" does not match any associated bound claim values"
    );
    let mut missing = ok.clone();
    missing["n"] = json!({});
    assert_eq!(
        run(&r, missing).err().as_deref(),
        Some("error validating claims: claim \"/n/id\" is missing")
    );
    let mut nested = ok;
    nested["list"] = json!({"k": 1.5});
    assert_eq!(
        run(&r, nested).err().as_deref(),
        Some("error validating claims: received claim is not a string, bool, int or list: map[k:1.5]")
    );
}

#[test]
fn identity_metadata_and_groups() {
    let r = role(
        json!({"claim_mappings": {"ref": "git_ref", "/n/env": "env", "absent": "x"},
                        "groups_claim": "groups", "user_claim": "/n/login",
                        "user_claim_json_pointer": true}),
    );
    let login = run(
        &r,
        json!({"exp": at(100), "ref": "main", "n": {"env": "prod", "login": "bob"},
                              "groups": ["a", "", "b"]}),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(login.alias_name, "bob");
    assert_eq!(login.display_name, "jwt-bob");
    assert_eq!(login.groups, vec!["a", "b"]);
    let md: Vec<(&str, &str)> = login
        .metadata
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        md,
        vec![("env", "prod"), ("git_ref", "main"), ("role", "r")]
    );

    let err = run(
        &r,
        json!({"exp": at(100), "ref": 5, "n": {"login": "bob"}, "groups": []}),
    );
    assert_eq!(
        err.err().as_deref(),
        Some("error converting claim 'ref' to string")
    );
    let err = run(
        &r,
        json!({"exp": at(100), "n": {"login": "bob"}, "groups": [1]}),
    );
    assert_eq!(
        err.err().as_deref(),
        Some("value 1 in groups claim could not be parsed as string")
    );
    let err = run(&r, json!({"exp": at(100), "n": {"login": "bob"}}));
    assert_eq!(
        err.err().as_deref(),
        Some("failed to fetch groups: \"groups\" claim not found in token")
    );
    let err = run(&r, json!({"exp": at(100), "n": {}}));
    assert_eq!(
        err.err().as_deref(),
        Some("claim \"/n/login\" not found in token")
    );
}

#[test]
fn request_level_refusals() {
    let oidc = Role::from_json(
        "o",
        json!({"user_claim": "sub", "allowed_redirect_uris": "https://x/cb"})
            .as_object()
            .unwrap_or(&Map::new()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let claims = json!({"sub": "u", "exp": at(100)});
    let err = authenticate(&oidc, claims.as_object().unwrap_or(&Map::new()), now());
    assert_eq!(
        err.as_ref().err().map(|e| e.message()),
        Some("role with oidc role_type is not allowed")
    );
    assert_eq!(err.err().map(|e| e.kind()), Some(AuthErrorKind::Request));

    // Bound CIDRs without connection information: permission denied.
    let r = role(json!({"token_bound_cidrs": ["10.0.0.0/8"]}));
    assert_eq!(
        run(&r, json!({"exp": at(100)})).err().as_deref(),
        Some("permission denied")
    );
}
