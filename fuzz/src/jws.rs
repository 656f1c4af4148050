//! Cross-checks of the two verification routes: the one that builds JSON
//! Maps (`verify_with_keys`, `Verifier::verify_with_header`) and the one that
//! reads the JSON text in place (`verify_with_keys_json`,
//! `Verifier::verify_json`). They promise the same checks, order and errors.

use arbitrary::Arbitrary;
use pipeline_guard_core::jwt::{
    verify_with_keys, verify_with_keys_json, Algorithm, ClaimRules, Expected, JtiCheck, Jwks,
    Verifier, VerifyingKey, DEFAULT_MAX_TOKEN_BYTES,
};
use serde_json::{Map, Value};

use crate::{keys, EC_PUBLIC_PEM, HMAC_SECRET, NOW};

const NAMES: [&str; 6] = [
    "https://gitlab.example.com",
    "https://bao.example.com",
    "project_path:g/p:ref_type:branch:ref:main",
    "",
    "a",
    "jti-1",
];

/// Claim rules chosen by the fuzzer.
#[derive(Arbitrary, Debug, Clone)]
pub struct RulesInput {
    pub verify_expiration: bool,
    pub verify_not_before: bool,
    pub verify_iat: bool,
    pub issuer: Option<Vec<u8>>,
    pub audience: Option<Vec<u8>>,
    pub subject: Option<u8>,
    pub jti_present: bool,
    pub required: Vec<u8>,
    pub leeway: i16,
    pub exp_leeway: Option<i16>,
    pub nbf_leeway: Option<i16>,
    pub now_offset: i16,
}

fn name(i: u8) -> String {
    NAMES[usize::from(i) % NAMES.len()].to_owned()
}

fn expected(list: &[u8]) -> Expected {
    match list {
        [one] => Expected::One(name(*one)),
        many => Expected::AnyOf(many.iter().take(4).map(|i| name(*i)).collect()),
    }
}

impl RulesInput {
    pub fn rules(&self) -> ClaimRules {
        const CLAIMS: [&str; 8] = ["exp", "nbf", "iat", "iss", "aud", "sub", "jti", "x"];
        ClaimRules {
            verify_expiration: self.verify_expiration,
            verify_not_before: self.verify_not_before,
            verify_iat: self.verify_iat,
            issuer: self.issuer.as_deref().map(expected),
            audience: self.audience.as_deref().map(expected),
            subject: self.subject.map(name),
            jti: if self.jti_present {
                JtiCheck::Present
            } else {
                JtiCheck::Off
            },
            required_claims: self
                .required
                .iter()
                .take(4)
                .map(|i| CLAIMS[usize::from(*i) % CLAIMS.len()].to_owned())
                .collect(),
            leeway: i64::from(self.leeway),
            exp_leeway: self.exp_leeway.map(i64::from),
            nbf_leeway: self.nbf_leeway.map(i64::from),
            // The differential targets compare against decoders that
            // refuse x5c headers: keep that refusal on here too.
            x5c_verified: false,
        }
    }

    pub fn now(&self) -> f64 {
        (NOW + i64::from(self.now_offset)) as f64
    }
}

fn object(bytes: &[u8]) -> Map<String, Value> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(m)) => m,
        other => panic!("verified JSON is not an object: {other:?}"),
    }
}

/// Verifies `token` through every route with the fixed keys and checks that
/// they agree. Returns whether it verified.
pub fn verify_all_routes(token: &str, rules: &ClaimRules, now: f64) -> bool {
    let k = keys();
    let algs = [Algorithm::HS256, Algorithm::ES256];
    let key_list = [&k.hs_verify, &k.ec_verify];
    let maps = verify_with_keys(token, &key_list, &algs, rules, now, DEFAULT_MAX_TOKEN_BYTES);
    let json = verify_with_keys_json(token, &key_list, &algs, rules, now, DEFAULT_MAX_TOKEN_BYTES);
    compare(token, &maps, &json);

    // Keys are not Clone (they hold parsed key material): build the pair again.
    let pair = vec![
        VerifyingKey::hmac(HMAC_SECRET).expect("hmac key"),
        VerifyingKey::from_pem(EC_PUBLIC_PEM).expect("ec key"),
    ];
    let verifier = Verifier::new(Jwks::new(pair), algs.to_vec())
        .expect("verifier")
        .with_rules(rules.clone());
    let v_maps = verifier.verify_with_header(token, now);
    let v_json = verifier.verify_json(token, now);
    compare(token, &v_maps, &v_json);
    maps.is_ok()
}

type MapsResult =
    Result<(Map<String, Value>, Map<String, Value>), pipeline_guard_core::jwt::JwtError>;

fn compare(
    token: &str,
    maps: &MapsResult,
    json: &Result<pipeline_guard_core::jwt::VerifiedJson, pipeline_guard_core::jwt::JwtError>,
) {
    match (maps, json) {
        (Ok((claims, header)), Ok(v)) => {
            assert_eq!(&object(&v.payload), claims, "payloads differ for {token:?}");
            assert_eq!(&object(&v.header), header, "headers differ for {token:?}");
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "errors differ for {token:?}"),
        (a, b) => panic!("routes disagree for {token:?}:\nmaps: {a:?}\njson: {b:?}"),
    }
}
