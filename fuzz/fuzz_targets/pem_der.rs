//! PEM and DER key material: raw bytes as DER (private and public), as PEM
//! text, and wrapped in each PEM label the key readers know.
#![no_main]
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::jwt::{SigningKey, VerifyingKey};

const LABELS: [&str; 6] = [
    "PRIVATE KEY",
    "PUBLIC KEY",
    "EC PRIVATE KEY",
    "RSA PRIVATE KEY",
    "RSA PUBLIC KEY",
    "CERTIFICATE",
];

fn check_public(key: &VerifyingKey) {
    if let Some(der) = key.to_public_der() {
        let again = VerifyingKey::from_public_der(&der).expect("own DER re-imports");
        assert_eq!(key.thumbprint(), again.thumbprint());
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(key) = SigningKey::from_der(data) {
        let _ = key.verifying_key().map(|k| check_public(&k));
    }
    if let Ok(key) = VerifyingKey::from_public_der(data) {
        check_public(&key);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = SigningKey::from_pem(text);
        let _ = VerifyingKey::from_pem(text);
    }
    if let Some((&selector, body)) = data.split_first() {
        let label = LABELS[usize::from(selector) % LABELS.len()];
        let b64 = base64::engine::general_purpose::STANDARD.encode(body);
        let pem = format!("-----BEGIN {label}-----\n{b64}\n-----END {label}-----\n");
        let _ = SigningKey::from_pem(&pem);
        if let Ok(key) = VerifyingKey::from_pem(&pem) {
            check_public(&key);
        }
    }
});
