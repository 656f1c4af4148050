//! The fuzz input is a JOSE header (JSON text). It is signed, with a fixed
//! payload, under HS256 and ES256, so header handling past the signature
//! check (alg, kid, crit, typ, key-carrying members) is reached.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::jwt::{Algorithm, ClaimRules};
use pipeline_guard_fuzz::{jws::verify_all_routes, keys, signed_token, NOW};

fuzz_target!(|data: &[u8]| {
    let payload = br#"{"sub":"s","iss":"https://gitlab.example.com"}"#;
    let k = keys();
    for (alg, key) in [
        (Algorithm::HS256, &k.hs_sign),
        (Algorithm::ES256, &k.ec_sign),
    ] {
        let token = signed_token(data, payload, alg, key);
        verify_all_routes(&token, &ClaimRules::default(), NOW as f64);
    }
});
