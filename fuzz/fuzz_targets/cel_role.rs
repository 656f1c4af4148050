//! OpenBao JWT CEL roles: the program (expression text, or a whole role
//! body) is written as `auth/jwt/cel/role/<n>` would take it, then a
//! claims-only login and a full login with the claims signed by a
//! configured key. Input layout: program text (or role JSON when it starts
//! with `{"cel_program"`), NUL, claims JSON. Must never panic or hang; a
//! login must be deterministic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::jwt::openbao_auth::{cel_authenticate, cel_login, CelRole, JwtAuthConfig};
use pipeline_guard_core::jwt::Algorithm;
use pipeline_guard_fuzz::{json_object, keys, signed_token, EC_PUBLIC_PEM, NOW};
use serde_json::{json, Map, Value};
use std::time::{Duration, UNIX_EPOCH};

/// Program texts beyond this add parse time, not coverage.
const MAX_PROGRAM: usize = 4096;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0);
    let program = parts.next().unwrap_or_default();
    if program.len() > MAX_PROGRAM {
        return;
    }
    let body: Map<String, Value> = if program.starts_with(br#"{"cel_program""#) {
        let Some(body) = json_object(program) else {
            return;
        };
        body
    } else {
        let Ok(text) = std::str::from_utf8(program) else {
            return;
        };
        let body = json!({"cel_program": {"variables": [{"name": "v", "expression": text}],
                                          "expression": text}});
        body.as_object().cloned().unwrap_or_default()
    };
    let Ok(role) = CelRole::from_json("fuzz", &body) else {
        return;
    };
    let claims_bytes = parts.next().unwrap_or(b"{}");
    let Some(claims) = json_object(claims_bytes) else {
        return;
    };
    let now = UNIX_EPOCH + Duration::from_secs(NOW as u64);
    let first = cel_authenticate(&role, &claims, now);
    assert_eq!(
        first,
        cel_authenticate(&role, &claims, now),
        "CEL login is not deterministic"
    );
    let config = JwtAuthConfig::with_public_keys("", &[EC_PUBLIC_PEM]).expect("config");
    let token = signed_token(
        br#"{"alg":"ES256"}"#,
        claims_bytes,
        Algorithm::ES256,
        &keys().ec_sign,
    );
    let _ = cel_login(&config, &role, &token, now);
});
