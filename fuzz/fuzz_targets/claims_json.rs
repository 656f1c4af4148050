//! Claims JSON under fuzzed claim rules: validating the parsed Map must give
//! the same answer as verifying a signed token with that payload through
//! both verification routes. Input layout: 24 bytes that choose the rules,
//! then the claims JSON (so seeds stay readable JSON).
#![no_main]
use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::jwt::{validate_claims, Algorithm};
use pipeline_guard_fuzz::jws::{verify_all_routes, RulesInput};
use pipeline_guard_fuzz::{json_object, keys, signed_token};

fuzz_target!(|data: &[u8]| {
    let (head, payload) = data.split_at(data.len().min(24));
    let Ok(rules_input) = RulesInput::arbitrary(&mut Unstructured::new(head)) else {
        return;
    };
    let rules = rules_input.rules();
    let now = rules_input.now();
    let direct = json_object(payload).map(|claims| validate_claims(&claims, &rules, now));
    let token = signed_token(
        br#"{"alg":"HS256"}"#,
        payload,
        Algorithm::HS256,
        &keys().hs_sign,
    );
    let verified = verify_all_routes(&token, &rules, now);
    if let Some(direct) = direct {
        // Duplicate member names are refused by the token route only.
        if direct.is_err() {
            assert!(!verified, "token verified but its claims fail validation");
        }
    }
});
