//! Structure-aware JWS: header members, claims and signature damage chosen
//! by the fuzzer, assembled into a compact token that is really signed with
//! a fixed HS256 or ES256 key, so the claim checks behind the signature are
//! reached. Member lists are rendered by hand, so duplicate names occur.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::jwt::Algorithm;
use pipeline_guard_fuzz::jws::{verify_all_routes, RulesInput};
use pipeline_guard_fuzz::{b64url, keys, signed_token, NOW};
use serde_json::Value;

const HEADER_KEYS: [&str; 8] = ["alg", "kid", "typ", "crit", "cty", "jwk", "b64", "x"];
const CLAIM_KEYS: [&str; 10] = [
    "exp",
    "nbf",
    "iat",
    "iss",
    "aud",
    "sub",
    "jti",
    "project_id",
    "ref",
    "x",
];
const STRINGS: [&str; 8] = [
    "https://gitlab.example.com",
    "a",
    "b",
    "s",
    "",
    "HS256",
    "JWT",
    "exp",
];

#[derive(Arbitrary, Debug)]
enum Val {
    Null,
    Bool(bool),
    /// Seconds around the fixed "now".
    Time(i16),
    Int(i64),
    Float(i32, u8),
    Word(u8),
    Text(String),
    List(Vec<u8>),
    Object,
}

impl Val {
    fn json(&self) -> String {
        match self {
            Val::Null => "null".into(),
            Val::Bool(b) => b.to_string(),
            Val::Time(d) => (NOW + i64::from(*d)).to_string(),
            Val::Int(i) => i.to_string(),
            Val::Float(a, b) => format!("{a}.{b}e{}", b % 5),
            Val::Word(i) => Value::from(STRINGS[usize::from(*i) % STRINGS.len()]).to_string(),
            Val::Text(s) => Value::from(s.as_str()).to_string(),
            Val::List(items) => Value::from(
                items
                    .iter()
                    .take(4)
                    .map(|i| STRINGS[usize::from(*i) % STRINGS.len()])
                    .collect::<Vec<_>>(),
            )
            .to_string(),
            Val::Object => r#"{"k":[1,{"n":null}]}"#.into(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    es256: bool,
    header: Vec<(u8, Val)>,
    claims: Vec<(u8, Val)>,
    /// Flip one signature byte (index, xor mask).
    damage: Option<(u8, u8)>,
    rules: RulesInput,
}

fn render(members: &[(u8, Val)], names: &[&str], first: Option<String>) -> String {
    let mut parts: Vec<String> = first.into_iter().collect();
    for (k, v) in members.iter().take(10) {
        parts.push(format!(
            "\"{}\":{}",
            names[usize::from(*k) % names.len()],
            v.json()
        ));
    }
    format!("{{{}}}", parts.join(","))
}

fuzz_target!(|input: Input| {
    let k = keys();
    let (alg, key) = if input.es256 {
        (Algorithm::ES256, &k.ec_sign)
    } else {
        (Algorithm::HS256, &k.hs_sign)
    };
    let header = render(
        &input.header,
        &HEADER_KEYS,
        Some(format!("\"alg\":\"{}\"", alg.name())),
    );
    let claims = render(&input.claims, &CLAIM_KEYS, None);
    let mut token = signed_token(header.as_bytes(), claims.as_bytes(), alg, key);
    if let Some((index, mask)) = input.damage.filter(|(_, m)| *m != 0) {
        let (input_part, sig_b64) = token.rsplit_once('.').expect("three parts");
        let mut sig = base64_decode(sig_b64);
        let i = usize::from(index) % sig.len();
        sig[i] ^= mask;
        token = format!("{input_part}.{}", b64url(&sig));
        let verified = verify_all_routes(&token, &input.rules.rules(), input.rules.now());
        assert!(!verified, "a damaged signature verified: {token}");
        return;
    }
    verify_all_routes(&token, &input.rules.rules(), input.rules.now());
});

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .expect("own signature is base64url")
}
