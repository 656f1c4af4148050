//! Replays OpenBao 2.7.2's recorded JWT auth decisions
//! (`shared/vectors/openbao/jwt_role_cases.json`): every login case both
//! claims-only and as a signed token through `login`, and every refused role.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64_simd::URL_SAFE_NO_PAD;
use pipeline_guard_core::jwt::openbao_auth::{login, AuthError, JwtAuthConfig, Login, Role};
use pipeline_guard_core::jwt::{sign, Algorithm, SigningKey};
use serde_json::{json, Map, Value};

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/vectors/openbao/jwt_role_cases.json"
);

/// A fixed login moment; offsets in the cases are relative to it.
const NOW_SECONDS: i64 = 1_750_000_000;

fn load() -> Option<Value> {
    match std::fs::read_to_string(VECTORS) {
        Ok(text) => serde_json::from_str(&text).ok(),
        Err(_) => {
            eprintln!("SKIP: {VECTORS} not found; OpenBao JWT vectors not replayed");
            None
        }
    }
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW_SECONDS as u64)
}

/// Turns `*_offset` entries into absolute `iat`/`nbf`/`exp` as the recorder did.
fn build_claims(case: &Value) -> Map<String, Value> {
    let mut claims = case["claims"].as_object().cloned().unwrap_or_default();
    let encoding = case.get("time_claim_encoding").and_then(Value::as_object);
    for name in ["iat", "nbf", "exp"] {
        let Some(offset) = claims.remove(&format!("{name}_offset")) else {
            continue;
        };
        let at = NOW_SECONDS + offset.as_i64().unwrap_or(0);
        let value = match encoding.and_then(|e| e.get(name)).and_then(Value::as_str) {
            Some("string") => json!(at.to_string()),
            Some("float") => json!(at as f64 + 0.5),
            _ => json!(at),
        };
        claims.insert(name.to_string(), value);
    }
    claims
}

/// Test-only signer that writes the payload verbatim (time claims of any
/// JSON type included), as the recorder's Python signer did.
fn sign_token(claims: &Map<String, Value>, alg: &str, pem: &str) -> String {
    let alg = Algorithm::from_name(alg).unwrap_or_else(|e| panic!("alg {alg}: {e}"));
    let key = SigningKey::from_pem(pem).unwrap_or_else(|e| panic!("signing key: {e}"));
    let header = json!({"alg": alg.name(), "typ": "JWT"});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode_to_string(header.to_string()),
        URL_SAFE_NO_PAD.encode_to_string(Value::Object(claims.clone()).to_string())
    );
    let signature = sign(alg, &key, input.as_bytes()).unwrap_or_else(|e| panic!("sign: {e}"));
    format!("{input}.{}", URL_SAFE_NO_PAD.encode_to_string(signature))
}

/// Compares one outcome with the recorded one; returns a description of
/// the difference, if any.
fn compare(case: &Value, outcome: &Result<Login, AuthError>) -> Option<String> {
    let id = &case["id"];
    match (case["result"].as_str(), outcome) {
        (Some("accepted"), Ok(login)) => {
            let metadata: Map<String, Value> = login
                .metadata
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            let want_md = case["metadata"].as_object().cloned().unwrap_or_default();
            if case["alias_name"] != json!(login.alias_name)
                || case["display_name"] != json!(login.display_name)
                || metadata != want_md
            {
                return Some(format!(
                    "case {id}: accepted but alias/display/metadata differ: got {:?} {:?} {:?}",
                    login.alias_name, login.display_name, login.metadata
                ));
            }
            if login.policies != vec!["default".to_string()] {
                return Some(format!("case {id}: policies {:?}", login.policies));
            }
            None
        }
        (Some("rejected"), Err(err)) => {
            let mut allowed: Vec<&str> = vec![case["error"].as_str().unwrap_or_default()];
            if let Some(alts) = case["error_alternatives"].as_array() {
                allowed.extend(alts.iter().filter_map(Value::as_str));
            }
            if allowed.contains(&err.message()) {
                None
            } else {
                Some(format!(
                    "case {id}: error text differs: got {:?}, want one of {allowed:?}",
                    err.message()
                ))
            }
        }
        (want, got) => Some(format!("case {id}: want {want:?}, got {got:?}")),
    }
}

fn config(vectors: &Value) -> JwtAuthConfig {
    let body = vectors["auth_config"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    JwtAuthConfig::from_json(&body).unwrap_or_else(|e| panic!("auth config refused: {e}"))
}

fn role_of(case: &Value) -> Role {
    let name = case["role_name"].as_str().unwrap_or_default();
    let body = case["role"].as_object().cloned().unwrap_or_default();
    Role::from_json(name, &body)
        .unwrap_or_else(|e| panic!("case {}: role refused: {e}", case["id"]))
}

#[test]
fn claims_only_cases_match_openbao() {
    let Some(vectors) = load() else { return };
    let config = config(&vectors);
    let cases = vectors["cases"].as_array().cloned().unwrap_or_default();
    let mut replayed = 0;
    let mut failures = Vec::new();
    for case in cases.iter().filter(|c| c.get("token").is_none()) {
        let outcome = config.authenticate(&role_of(case), &build_claims(case), now());
        replayed += 1;
        failures.extend(compare(case, &outcome));
    }
    eprintln!(
        "claims-only: {}/{replayed} cases match OpenBao",
        replayed - failures.len()
    );
    assert!(replayed > 0, "no claims-only cases found");
    assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
}

#[test]
fn signed_token_cases_match_openbao() {
    let Some(vectors) = load() else { return };
    let config = config(&vectors);
    let keys = &vectors["signing_keys"];
    let cases = vectors["cases"].as_array().cloned().unwrap_or_default();
    let mut failures = Vec::new();
    // Every case, not only those with a `token` entry: the others were
    // RS256-signed with the configured key.
    for case in &cases {
        let token_spec = case.get("token");
        let alg = token_spec
            .and_then(|t| t["alg"].as_str())
            .unwrap_or("RS256");
        let key_name = token_spec
            .and_then(|t| t["signing_key"].as_str())
            .unwrap_or("config");
        let pem = keys[key_name].as_str().unwrap_or_default();
        let token = sign_token(&build_claims(case), alg, pem);
        let outcome = login(&config, &role_of(case), &token, now());
        failures.extend(compare(case, &outcome));
    }
    eprintln!(
        "signed logins: {}/{} cases match OpenBao",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(!cases.is_empty(), "no cases found");
    assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
}

#[test]
fn refused_roles_match_openbao() {
    let Some(vectors) = load() else { return };
    let invalid = vectors["invalid_roles"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut failures = Vec::new();
    for entry in &invalid {
        let name = entry["role_name"].as_str().unwrap_or_default();
        let body = entry["role"].as_object().cloned().unwrap_or_default();
        let want = entry["error"].as_str().unwrap_or_default();
        match Role::from_json(name, &body) {
            Err(err) if err.message() == want => {}
            other => failures.push(format!("role {name}: want {want:?}, got {other:?}")),
        }
    }
    eprintln!(
        "invalid roles: {}/{} refused with OpenBao's text",
        invalid.len() - failures.len(),
        invalid.len()
    );
    assert!(!invalid.is_empty(), "no invalid roles found");
    assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
}

#[test]
fn signature_and_algorithm_failures_use_openbao_text() {
    let Some(vectors) = load() else { return };
    let config = config(&vectors);
    let case = &vectors["cases"][0];
    let claims = build_claims(case);
    let role = role_of(case);
    let keys = &vectors["signing_keys"];

    let other = sign_token(&claims, "RS256", keys["other"].as_str().unwrap_or_default());
    let err = login(&config, &role, &other, now())
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("error validating token: error verifying token signature: no known key successfully validated the token signature")
    );

    let ec = sign_token(&claims, "ES256", keys["ec"].as_str().unwrap_or_default());
    assert!(login(&config, &role, &ec, now()).is_err());

    let err = login(&config, &role, "a.b", now())
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("error validating token: error verifying token signature: go-jose/go-jose: compact JWS format must have three parts")
    );
    let err = login(&config, &role, "", now())
        .err()
        .map(|e| e.to_string());
    assert_eq!(err.as_deref(), Some("missing token"));

    // Restricting the algorithms turns a valid RS256 token away.
    let mut body = vectors["auth_config"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    body.insert("jwt_supported_algs".into(), json!(["PS256"]));
    let strict = JwtAuthConfig::from_json(&body).unwrap_or_else(|e| panic!("{e}"));
    let good = sign_token(
        &claims,
        "RS256",
        keys["config"].as_str().unwrap_or_default(),
    );
    let err = login(&strict, &role, &good, now())
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("error validating token: invalid algorithm (alg) header parameter: token signed with unexpected algorithm")
    );
    assert!(login(&config, &role, &good, now()).is_ok());
}
