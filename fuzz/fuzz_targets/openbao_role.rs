//! OpenBao JWT auth role definitions (the JSON body of `auth/jwt/role/<n>`)
//! and auth config bodies, then a claims-only login and a full login with a
//! signed token. Input layout: role JSON, NUL, claims JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::jwt::openbao_auth::{authenticate, JwtAuthConfig, Role};
use pipeline_guard_core::jwt::Algorithm;
use pipeline_guard_fuzz::{json_object, keys, signed_token, EC_PUBLIC_PEM, NOW};
use std::time::{Duration, UNIX_EPOCH};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0);
    let Some(body) = json_object(parts.next().unwrap_or_default()) else {
        return;
    };
    let claims_bytes = parts.next().unwrap_or(b"{}");
    let _ = JwtAuthConfig::from_json(&body);
    let Ok(role) = Role::from_json("fuzz", &body) else {
        return;
    };
    let Some(claims) = json_object(claims_bytes) else {
        return;
    };
    let now = UNIX_EPOCH + Duration::from_secs(NOW as u64);
    let first = authenticate(&role, &claims, now);
    assert_eq!(
        first,
        authenticate(&role, &claims, now),
        "login is not deterministic"
    );
    let config = JwtAuthConfig::with_public_keys("", &[EC_PUBLIC_PEM]).expect("config");
    let token = signed_token(
        br#"{"alg":"ES256"}"#,
        claims_bytes,
        Algorithm::ES256,
        &keys().ec_sign,
    );
    let _ = config.login(&role, &token, now);
});
