//! Replays OpenBao 2.7.2's recorded JWT CEL role decisions
//! (`shared/vectors/openbao/cel_role_cases.json`): every role written as
//! OpenBao received it, every login case as a signed token through the
//! mount (role lookup included), and every refused role with its text.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64_simd::URL_SAFE_NO_PAD;
use pipeline_guard_core::jwt::openbao_auth::{
    AuthError, CelLogin, CelRole, JwtAuthBackend, JwtAuthConfig,
};
use pipeline_guard_core::jwt::{sign, Algorithm, SigningKey};
use serde_json::{json, Map, Value};

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/vectors/openbao/cel_role_cases.json"
);

/// A fixed login moment; offsets in the cases are relative to it.
const NOW_SECONDS: i64 = 1_750_000_000;

fn load() -> Option<Value> {
    match std::fs::read_to_string(VECTORS) {
        Ok(text) => serde_json::from_str(&text).ok(),
        Err(_) => {
            eprintln!("SKIP: {VECTORS} not found; OpenBao CEL vectors not replayed");
            None
        }
    }
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW_SECONDS as u64)
}

fn build_claims(case: &Value) -> Map<String, Value> {
    let mut claims = case["claims"].as_object().cloned().unwrap_or_default();
    for name in ["iat", "nbf", "exp"] {
        if let Some(offset) = claims.remove(&format!("{name}_offset")) {
            claims.insert(
                name.to_string(),
                json!(NOW_SECONDS + offset.as_i64().unwrap_or(0)),
            );
        }
    }
    claims
}

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

fn token_of(vectors: &Value, case: &Value) -> String {
    if let Some(raw) = case["jwt_raw"].as_str() {
        return raw.to_string();
    }
    let claims = build_claims(case);
    if claims.is_empty() {
        return String::new();
    }
    let alg = case["token"]["alg"].as_str().unwrap_or("RS256");
    let key = case["token"]["signing_key"].as_str().unwrap_or("config");
    let pem = vectors["signing_keys"][key].as_str().unwrap_or_default();
    sign_token(&claims, alg, pem)
}

fn map_json(m: &std::collections::BTreeMap<String, String>) -> Value {
    if m.is_empty() {
        Value::Null
    } else {
        json!(m)
    }
}

/// Compares one outcome with the recorded one.
fn compare(case: &Value, outcome: &Result<CelLogin, AuthError>) -> Option<String> {
    let id = &case["id"];
    match (case["result"].as_str(), outcome) {
        (Some("accepted"), Ok(login)) => {
            let got = json!({
                "policies": login.policies,
                "metadata": map_json(&login.metadata),
                "display_name": login.display_name,
                "alias_name": login.alias_name,
                "alias_metadata": map_json(&login.alias_metadata),
                "lease_duration": login.lease_duration,
                "renewable": login.renewable,
                "token_type": login.token_type,
                "num_uses": login.num_uses,
            });
            let want = json!({
                "policies": case["policies"],
                "metadata": case["metadata"],
                "display_name": case["display_name"],
                "alias_name": case["alias_name"],
                "alias_metadata": case["alias_metadata"],
                "lease_duration": case["lease_duration"],
                "renewable": case["renewable"],
                "token_type": case["token_type"],
                "num_uses": case["num_uses"],
            });
            (got != want).then(|| format!("case {id}: got {got}\n  want {want}"))
        }
        (Some("rejected"), Err(err)) => {
            let mut allowed: Vec<&str> = vec![case["error"].as_str().unwrap_or_default()];
            if let Some(alts) = case["error_alternatives"].as_array() {
                allowed.extend(alts.iter().filter_map(Value::as_str));
            }
            (!allowed.contains(&err.message())).then(|| {
                format!(
                    "case {id}: error text differs:\n  got  {:?}\n  want {allowed:?}",
                    err.message()
                )
            })
        }
        (want, got) => Some(format!("case {id}: want {want:?}, got {got:?}")),
    }
}

fn backend(vectors: &Value) -> JwtAuthBackend {
    let body = vectors["auth_config"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let config =
        JwtAuthConfig::from_json(&body).unwrap_or_else(|e| panic!("auth config refused: {e}"));
    let backend = JwtAuthBackend::new(config);
    for (name, role) in vectors["roles"].as_object().cloned().unwrap_or_default() {
        let body = role["role"].as_object().cloned().unwrap_or_default();
        backend
            .write_cel_role(&name, &body)
            .unwrap_or_else(|e| panic!("role {name} refused: {e}"));
    }
    backend
}

#[test]
fn every_login_case_matches_openbao() {
    let Some(vectors) = load() else { return };
    let backend = backend(&vectors);
    let cases = vectors["cases"].as_array().cloned().unwrap_or_default();
    let mut failures = Vec::new();
    for case in &cases {
        let role = case
            .get("login_role")
            .and_then(Value::as_str)
            .or_else(|| case["role_name"].as_str())
            .unwrap_or_default();
        let outcome = backend.cel_login(role, &token_of(&vectors, case), now());
        failures.extend(compare(case, &outcome));
    }
    assert!(cases.len() >= 50, "only {} cases", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_refused_role_is_refused_with_openbaos_text() {
    let Some(vectors) = load() else { return };
    let invalid = vectors["invalid_roles"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!invalid.is_empty());
    for case in invalid {
        let name = case["role_name"].as_str().unwrap_or_default();
        let body = case["role"].as_object().cloned().unwrap_or_default();
        let err = CelRole::from_json(name, &body)
            .map(|_| ())
            .expect_err("OpenBao refused this role");
        assert_eq!(
            err.message(),
            case["error"].as_str().unwrap_or_default(),
            "{name}: {}",
            case["note"]
        );
    }
}
