//! JWK and JWKS JSON: public and private JWKs, key sets. A key that parses
//! must survive export and re-import with the same thumbprint, and a private
//! JWK must sign something its public half verifies.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::jwt::{sign, verify_signature, Jwks, KeyType, SigningKey, VerifyingKey};
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let _ = Jwks::from_json(&value);
    let _ = Jwks::from_json(&json!({ "keys": [value.clone()] }));
    if let Ok(key) = VerifyingKey::from_jwk(&value) {
        if key.key_type() != KeyType::Hmac {
            let public = key
                .to_public_jwk(None, None)
                .expect("public JWK of a public key");
            let again = VerifyingKey::from_jwk(&public).expect("own public JWK re-imports");
            assert_eq!(key.thumbprint(), again.thumbprint());
            if let Some(der) = key.to_public_der() {
                let from_der = VerifyingKey::from_public_der(&der).expect("own DER re-imports");
                assert_eq!(key.thumbprint(), from_der.thumbprint());
            }
        }
    }
    if let Ok(key) = SigningKey::from_jwk(&value) {
        let alg = key.default_algorithm();
        let msg = b"header.payload";
        let sig = match sign(alg, &key, msg) {
            Ok(sig) => sig,
            // HMAC secrets meet the length policy per algorithm, at use.
            Err(_) if key.key_type() == KeyType::Hmac => return,
            Err(e) => panic!("a parsed signing key does not sign: {e:?}"),
        };
        if key.key_type() == KeyType::Hmac {
            return;
        }
        let public = key.verifying_key().expect("public half");
        verify_signature(alg, &public, msg, &sig).expect("own signature verifies");
    }
});
