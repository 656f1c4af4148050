//! Raw compact JWS text: decode without verifying, then verify through the
//! Map route and the in-place JSON route with HS256 and ES256 keys under
//! default and strict claim rules; both routes must give the same answer.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::jwt::{decode_unverified, ClaimRules, Expected, JtiCheck};
use pipeline_guard_fuzz::{jws::verify_all_routes, NOW};

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(decoded) = decode_unverified(token) {
        assert!(token.starts_with(decoded.signing_input));
    }
    verify_all_routes(token, &ClaimRules::default(), NOW as f64);
    let strict = ClaimRules {
        verify_iat: true,
        issuer: Some(Expected::One("https://gitlab.example.com".into())),
        audience: Some(Expected::AnyOf(vec!["a".into(), "b".into()])),
        subject: Some("s".into()),
        jti: JtiCheck::Present,
        required_claims: vec!["project_id".into()],
        leeway: 30,
        ..ClaimRules::default()
    };
    verify_all_routes(token, &strict, NOW as f64);
});
