//! Shared pieces of the fuzz targets: fixed test keys, token assembly, and
//! a structured policy model rendered as HCL and as JSON.
#![forbid(unsafe_code)]

pub mod jws;
pub mod policy_ast;
pub mod transit;

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pipeline_guard_core::jwt::{SigningKey, VerifyingKey};

/// HS256 test secret (32 bytes, meets the default length policy).
pub const HMAC_SECRET: &[u8] = b"fuzzing-secret-0123456789abcdef!";

/// A fixed P-256 test key, generated for fuzzing only.
pub const EC_PRIVATE_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgALxpkgBqVsweS0oP
mk+SAwE2MpF+uGKzQosCOmfXdfWhRANCAAR+qGbPDjFYwjuHJiF0U4L+2k8eTjjF
cDcbRPcmDaszy4qe3VfSU51SwwOf/aLJpI/qJyYc7OfpHmV9u7dQToAD
-----END PRIVATE KEY-----
";

/// The public half of [`EC_PRIVATE_PEM`].
pub const EC_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEfqhmzw4xWMI7hyYhdFOC/tpPHk44
xXA3G0T3Jg2rM8uKnt1X0lOdUsMDn/2iyaSP6icmHOzn6R5lfbu3UE6AAw==
-----END PUBLIC KEY-----
";

/// A fixed "now" for every time-dependent check (2025-01-01T00:00:00Z), so
/// a crash input replays the same way.
pub const NOW: i64 = 1_735_689_600;

pub struct TestKeys {
    pub hs_sign: SigningKey,
    pub hs_verify: VerifyingKey,
    pub ec_sign: SigningKey,
    pub ec_verify: VerifyingKey,
}

/// Parsed once per process: parsing is not what these targets measure.
pub fn keys() -> &'static TestKeys {
    static KEYS: OnceLock<TestKeys> = OnceLock::new();
    KEYS.get_or_init(|| TestKeys {
        hs_sign: SigningKey::hmac(HMAC_SECRET).expect("hmac key"),
        hs_verify: VerifyingKey::hmac(HMAC_SECRET).expect("hmac key"),
        ec_sign: SigningKey::from_pem(EC_PRIVATE_PEM).expect("ec key"),
        ec_verify: VerifyingKey::from_pem(EC_PUBLIC_PEM).expect("ec key"),
    })
}

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `header.payload.signature` from raw header and payload bytes, signed
/// with `key` under `alg`.
pub fn signed_token(
    header: &[u8],
    payload: &[u8],
    alg: pipeline_guard_core::jwt::Algorithm,
    key: &SigningKey,
) -> String {
    let input = format!("{}.{}", b64url(header), b64url(payload));
    let sig = pipeline_guard_core::jwt::sign(alg, key, input.as_bytes()).expect("sign");
    format!("{input}.{}", b64url(&sig))
}

/// A JSON object from fuzz input, or `None` when it is not one.
pub fn json_object(data: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_slice(data) {
        Ok(serde_json::Value::Object(map)) => Some(map),
        _ => None,
    }
}
