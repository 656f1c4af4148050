//! Cross-checks of the verification path (`verify_token`, which reads the
//! JSON text in place, through a key list and a `Verifier` key set) against
//! a reference built from the strict Map decoder (`decode_unverified_with_limit`,
//! `verify_signature`, `validate_claims`): same checks, order and errors.

use arbitrary::Arbitrary;
use pipeline_guard_core::jwt::{
    decode_unverified_with_limit, validate_claims, verify_signature, verify_with_keys,
    verify_with_keys_json, Algorithm, ClaimRules, Expected, JtiCheck, Jwks, JwtError, Verifier,
    VerifyingKey, DEFAULT_MAX_TOKEN_BYTES,
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

/// Where the reference takes its key from.
enum RefKeys<'k> {
    List(&'k [&'k VerifyingKey]),
    Set(&'k Jwks),
}

/// The strict decoder, then the documented key choice and claim rules.
fn reference(
    token: &str,
    keys: RefKeys<'_>,
    algorithms: &[Algorithm],
    rules: &ClaimRules,
    now: f64,
) -> MapsResult {
    if algorithms.is_empty() {
        return Err(JwtError::IncorrectAlgorithm(
            "An algorithm must be specified".to_owned(),
        ));
    }
    let d = decode_unverified_with_limit(token, DEFAULT_MAX_TOKEN_BYTES)?;
    if !algorithms.contains(&d.alg) {
        return Err(JwtError::IncorrectAlgorithm(
            "Expected a different algorithm".to_owned(),
        ));
    }
    let input = d.signing_input.as_bytes();
    match keys {
        RefKeys::Set(set) => {
            verify_signature(d.alg, set.select(d.kid(), d.alg)?, input, &d.signature)?
        }
        RefKeys::List([]) => {
            return Err(JwtError::Decode("No verification key available".to_owned()))
        }
        RefKeys::List(list) => {
            let fitting: Vec<_> = list
                .iter()
                .filter(|k| k.check_algorithm(d.alg).is_ok())
                .collect();
            if fitting.is_empty() {
                // The first key's own mismatch error.
                return Err(list[0].check_algorithm(d.alg).expect_err("no key fits"));
            }
            if !fitting
                .iter()
                .any(|k| verify_signature(d.alg, k, input, &d.signature).is_ok())
            {
                return Err(JwtError::Verification(
                    "Signature verification failed".to_owned(),
                ));
            }
        }
    }
    validate_claims(&d.claims, rules, now)?;
    Ok((d.claims, d.header))
}

/// Verifies `token` through every route with the fixed keys and checks that
/// they agree. Returns whether it verified.
pub fn verify_all_routes(token: &str, rules: &ClaimRules, now: f64) -> bool {
    let k = keys();
    let algs = [Algorithm::HS256, Algorithm::ES256];
    let key_list = [&k.hs_verify, &k.ec_verify];
    let expected = reference(token, RefKeys::List(&key_list), &algs, rules, now);
    let maps = verify_with_keys(token, &key_list, &algs, rules, now, DEFAULT_MAX_TOKEN_BYTES);
    let json = verify_with_keys_json(token, &key_list, &algs, rules, now, DEFAULT_MAX_TOKEN_BYTES);
    compare_maps(token, &expected, &maps);
    compare(token, &expected, &json);

    // Keys are not Clone (they hold parsed key material): build the pair again.
    let pair = vec![
        VerifyingKey::hmac(HMAC_SECRET).expect("hmac key"),
        VerifyingKey::from_pem(EC_PUBLIC_PEM).expect("ec key"),
    ];
    let verifier = Verifier::new(Jwks::new(pair), algs.to_vec())
        .expect("verifier")
        .with_rules(rules.clone());
    let v_expected = reference(token, RefKeys::Set(verifier.keys()), &algs, rules, now);
    compare_maps(token, &v_expected, &verifier.verify_with_header(token, now));
    compare(token, &v_expected, &verifier.verify_json(token, now));
    maps.is_ok()
}

type MapsResult = Result<(Map<String, Value>, Map<String, Value>), JwtError>;

fn compare_maps(token: &str, expected: &MapsResult, got: &MapsResult) {
    assert_eq!(expected, got, "results differ for {token:?}");
}

fn compare(
    token: &str,
    maps: &MapsResult,
    json: &Result<pipeline_guard_core::jwt::VerifiedJson, JwtError>,
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
