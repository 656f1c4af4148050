//! Hostile tokens: every one must be refused with the right error kind, and
//! none may panic or take unbounded time.

use std::time::{Duration, Instant};

use base64_simd::URL_SAFE_NO_PAD;
use pipeline_guard_core::jwt::{
    decode_unverified, encode, sign, verify_signature, verify_with_keys, Algorithm, ClaimRules,
    EcCurve, ErrorKind, JsonType, Jwks, JwtError, KeyType, SigningKey, Verifier, VerifyingKey,
    DEFAULT_MAX_TOKEN_BYTES,
};
use serde_json::{json, Map, Value};

const NOW: f64 = 1_700_000_000.0;
const HS_SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode_to_string(bytes)
}

/// A token from raw header/payload JSON text and raw signature bytes.
fn raw_token(header: &str, payload: &str, sig: &[u8]) -> String {
    format!("{}.{}.{}", b64(header), b64(payload), b64(sig))
}

/// A correctly HS256-signed token over arbitrary header/payload text.
fn hs256_token(header: &str, payload: &str) -> String {
    let key = SigningKey::hmac(HS_SECRET).unwrap();
    let input = format!("{}.{}", b64(header), b64(payload));
    let sig = sign(Algorithm::HS256, &key, input.as_bytes()).unwrap();
    format!("{input}.{}", b64(sig))
}

/// A `Verifier` over the HMAC key plus the same key as a `JWT.decode` key
/// list: every hostile token goes through both ways the binding verifies,
/// and both must answer alike.
struct HsVerifier {
    set: Verifier,
    key: VerifyingKey,
    algorithms: Vec<Algorithm>,
    max_token_bytes: usize,
}

impl HsVerifier {
    fn verify(&self, token: &str, now: f64) -> Result<Map<String, Value>, JwtError> {
        let by_set = self.set.verify(token, now);
        let by_list = verify_with_keys(
            token,
            &[&self.key],
            &self.algorithms,
            self.set.rules(),
            now,
            self.max_token_bytes,
        )
        .map(|(claims, _)| claims);
        assert_eq!(
            by_set, by_list,
            "key set and key list disagree on {token:?}"
        );
        by_set
    }

    fn with_max_token_bytes(mut self, max: usize) -> Self {
        self.set = self.set.with_max_token_bytes(max);
        self.max_token_bytes = max;
        self
    }

    fn rules(&self) -> &ClaimRules {
        self.set.rules()
    }

    fn with_rules(mut self, rules: ClaimRules) -> Self {
        self.set = self.set.with_rules(rules);
        self
    }
}

fn hs_verifier(algs: Vec<Algorithm>) -> HsVerifier {
    HsVerifier {
        set: Verifier::new(
            Jwks::new(vec![VerifyingKey::hmac(HS_SECRET).unwrap()]),
            algs.clone(),
        )
        .unwrap(),
        key: VerifyingKey::hmac(HS_SECRET).unwrap(),
        algorithms: algs,
        max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
    }
}

fn kind(result: Result<Map<String, Value>, JwtError>) -> ErrorKind {
    match result {
        Ok(claims) => panic!("hostile token accepted: {claims:?}"),
        Err(err) => err.kind(),
    }
}

#[test]
fn alg_none_in_any_spelling() {
    let v = hs_verifier(vec![Algorithm::HS256]);
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#);
        let three = raw_token(&header, r#"{"sub":"x"}"#, b"");
        assert_eq!(
            kind(v.verify(&three, NOW)),
            ErrorKind::IncorrectAlgorithm,
            "{alg}"
        );
        let two = format!("{}.{}", b64(&header), b64(r#"{"sub":"x"}"#));
        assert_eq!(
            kind(v.verify(&two, NOW)),
            ErrorKind::Decode,
            "{alg} two parts"
        );
        let three_dot = format!("{two}.");
        assert_eq!(
            kind(v.verify(&three_dot, NOW)),
            ErrorKind::IncorrectAlgorithm
        );
        assert!(Algorithm::from_name(alg).is_err());
    }
}

#[test]
fn alg_outside_allowlist() {
    let key = SigningKey::hmac(&[9u8; 64]).unwrap();
    let token = encode(&Map::new(), &json!({"sub": "x"}), Algorithm::HS512, &key).unwrap();
    let v = Verifier::new(
        Jwks::new(vec![VerifyingKey::hmac(&[9u8; 64]).unwrap()]),
        vec![Algorithm::HS256],
    )
    .unwrap();
    let err = v.verify(&token, NOW).unwrap_err();
    assert_eq!(
        err,
        JwtError::IncorrectAlgorithm("Expected a different algorithm".into())
    );
    assert!(
        Verifier::new(Jwks::default(), vec![]).is_err(),
        "empty allowlist"
    );
}

#[test]
fn hs256_signed_with_rsa_public_pem_is_refused() {
    let rsa = SigningKey::generate(KeyType::Rsa).unwrap();
    let public_der = rsa.verifying_key().unwrap().to_public_der().unwrap();
    let public_pem = pem::encode(&pem::Pem::new("PUBLIC KEY", public_der));
    let rsa_public = VerifyingKey::from_pem(&public_pem).unwrap();
    assert_eq!(rsa_public.key_type(), KeyType::Rsa);

    // The classic confusion: the attacker uses the public PEM as HMAC
    // secret (with a plain HMAC: our keys refuse a PEM as a secret).
    assert_eq!(
        SigningKey::hmac(public_pem.as_bytes())
            .err()
            .map(|e| e.kind()),
        Some(ErrorKind::Jwk)
    );
    let input = format!("{}.{}", b64(r#"{"alg":"HS256"}"#), b64(r#"{"admin":true}"#));
    let mac = aws_lc_rs::hmac::sign(
        &aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, public_pem.as_bytes()),
        input.as_bytes(),
    );
    let token = format!("{input}.{}", b64(mac.as_ref()));

    for algs in [
        vec![Algorithm::RS256],
        vec![Algorithm::RS256, Algorithm::HS256],
        vec![Algorithm::HS256],
    ] {
        let v = Verifier::new(
            Jwks::new(vec![VerifyingKey::from_pem(&public_pem).unwrap()]),
            algs,
        )
        .unwrap();
        let k = kind(v.verify(&token, NOW));
        assert!(
            k == ErrorKind::IncorrectAlgorithm || k == ErrorKind::Decode,
            "{k:?}"
        );
    }
    let decoded = decode_unverified(&token).unwrap();
    let err = verify_signature(
        decoded.alg,
        &rsa_public,
        decoded.signing_input.as_bytes(),
        &decoded.signature,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IncorrectAlgorithm);
}

#[test]
fn tampered_and_truncated_signatures() {
    let v = hs_verifier(vec![Algorithm::HS256]);
    let token = hs256_token(r#"{"alg":"HS256"}"#, r#"{"sub":"x"}"#);
    assert!(v.verify(&token, NOW).is_ok());
    let (input, sig) = token.rsplit_once('.').unwrap();
    let mut sig_bytes = URL_SAFE_NO_PAD.decode_to_vec(sig).unwrap();
    sig_bytes[0] ^= 1;
    let flipped = format!("{input}.{}", b64(&sig_bytes));
    assert_eq!(kind(v.verify(&flipped, NOW)), ErrorKind::Verification);
    let truncated = format!("{input}.{}", b64(&sig_bytes[..31]));
    assert_eq!(kind(v.verify(&truncated, NOW)), ErrorKind::Verification);
    let empty = format!("{input}.");
    assert_eq!(kind(v.verify(&empty, NOW)), ErrorKind::Verification);
    // Payload swapped under the original signature.
    let (header, _) = input.split_once('.').unwrap();
    let forged = format!("{header}.{}.{sig}", b64(r#"{"sub":"admin"}"#));
    assert_eq!(kind(v.verify(&forged, NOW)), ErrorKind::Verification);
}

/// Minimal DER `SEQUENCE { INTEGER r, INTEGER s }` for a 32-byte r and s.
fn ecdsa_der(r: &[u8], s: &[u8]) -> Vec<u8> {
    fn int(x: &[u8]) -> Vec<u8> {
        let mut v = x.to_vec();
        while v.len() > 1 && v[0] == 0 && v[1] < 0x80 {
            v.remove(0);
        }
        if v[0] >= 0x80 {
            v.insert(0, 0);
        }
        let mut out = vec![0x02, v.len() as u8];
        out.extend(v);
        out
    }
    let body: Vec<u8> = [int(r), int(s)].concat();
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

#[test]
fn ecdsa_der_zero_and_out_of_range_signatures() {
    let key = SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap();
    let vk = key.verifying_key().unwrap();
    let msg = b"header.payload";
    let sig = sign(Algorithm::ES256, &key, msg).unwrap();
    assert_eq!(sig.len(), 64);
    verify_signature(Algorithm::ES256, &vk, msg, &sig).unwrap();
    let (r, s) = sig.split_at(32);

    let n =
        hex::decode("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551").unwrap();
    let zero = [0u8; 32];
    let ones = [0xffu8; 32];
    let mut s_plus_n = Vec::new(); // s + n does not fit 32 bytes; use n itself and all-ones
    s_plus_n.extend_from_slice(&n);
    let bad: Vec<(&str, Vec<u8>)> = vec![
        ("DER", ecdsa_der(r, s)),
        ("r = 0", [&zero[..], s].concat()),
        ("s = 0", [r, &zero[..]].concat()),
        ("both 0", [zero, zero].concat()),
        ("r = n", [&n[..], s].concat()),
        ("s = n", [r, &n[..]].concat()),
        ("r = 2^256-1", [&ones[..], s].concat()),
        ("s = 2^256-1", [r, &ones[..]].concat()),
        ("too long", [&sig[..], &[0u8][..]].concat()),
        ("too short", sig[..63].to_vec()),
        ("empty", Vec::new()),
    ];
    for (what, bad_sig) in bad {
        let err = verify_signature(Algorithm::ES256, &vk, msg, &bad_sig).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Verification, "{what}");
    }
}

#[test]
fn wrong_key_type_or_curve() {
    let p256 = SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap();
    let p384 = SigningKey::generate(KeyType::Ec(EcCurve::P384)).unwrap();
    let ed = SigningKey::generate(KeyType::Ed25519).unwrap();
    let msg = b"m";
    let sig = sign(Algorithm::ES256, &p256, msg).unwrap();
    let p384_vk = p384.verifying_key().unwrap();
    assert_eq!(
        verify_signature(Algorithm::ES256, &p384_vk, msg, &sig)
            .unwrap_err()
            .kind(),
        ErrorKind::IncorrectAlgorithm
    );
    assert_eq!(
        verify_signature(Algorithm::EdDSA, &p256.verifying_key().unwrap(), msg, &sig)
            .unwrap_err()
            .kind(),
        ErrorKind::IncorrectAlgorithm
    );
    assert!(sign(Algorithm::ES384, &p256, msg).is_err());
    assert!(sign(Algorithm::RS256, &ed, msg).is_err());
    // A JWK declaring ES384 for a P-256 key is refused at load time.
    let mut jwk = p256.to_public_jwk(None, None).unwrap();
    jwk["alg"] = json!("ES384");
    assert_eq!(
        VerifyingKey::from_jwk(&jwk).unwrap_err().kind(),
        ErrorKind::Jwk
    );
}

#[test]
fn crit_and_key_carrying_headers() {
    let v = hs_verifier(vec![Algorithm::HS256]);
    let crit = hs256_token(r#"{"alg":"HS256","crit":["exp"],"exp":1}"#, r#"{}"#);
    assert_eq!(kind(v.verify(&crit, NOW)), ErrorKind::InvalidCrit);
    let crit_empty = hs256_token(r#"{"alg":"HS256","crit":[]}"#, r#"{}"#);
    assert_eq!(kind(v.verify(&crit_empty, NOW)), ErrorKind::InvalidCrit);
    let crit_b64 = hs256_token(r#"{"alg":"HS256","crit":["b64"],"b64":false}"#, r#"{}"#);
    assert_eq!(kind(v.verify(&crit_b64, NOW)), ErrorKind::InvalidCrit);
    for header in [
        r#"{"alg":"HS256","jwk":{"kty":"oct","k":"AAAA"}}"#,
        r#"{"alg":"HS256","jku":"https://evil.example/jwks"}"#,
        r#"{"alg":"HS256","x5u":"https://evil.example/cert"}"#,
        r#"{"alg":"HS256","x5c":["MIIB"]}"#,
    ] {
        let token = hs256_token(header, r#"{}"#);
        let err = v.verify(&token, NOW).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{header}");
        assert!(
            err.to_string().contains("never taken from the token"),
            "{err}"
        );
    }
}

/// `x5c_verified` (the caller checked the chain and took the key from it)
/// lets only an `x5c` header through; `jwk`, `jku` and `x5u` stay refused.
#[test]
fn x5c_header_only_when_its_chain_was_verified() {
    let key = VerifyingKey::hmac(HS_SECRET).unwrap();
    let x5c = hs256_token(r#"{"alg":"HS256","x5c":["MIIB"]}"#, r#"{}"#);
    let verify = |token: &str, x5c_verified: bool| {
        let rules = ClaimRules {
            x5c_verified,
            ..ClaimRules::default()
        };
        verify_with_keys(token, &[&key], &[Algorithm::HS256], &rules, NOW, 65536)
    };
    let refused = verify(&x5c, false).unwrap_err();
    assert!(
        refused.to_string().contains("never taken from the token"),
        "{refused}"
    );
    assert!(verify(&x5c, true).is_ok());
    for header in [
        r#"{"alg":"HS256","x5c":["MIIB"],"jku":"https://evil.example/jwks"}"#,
        r#"{"alg":"HS256","x5u":"https://evil.example/cert"}"#,
        r#"{"alg":"HS256","jwk":{"kty":"oct","k":"AAAA"}}"#,
    ] {
        let token = hs256_token(header, r#"{}"#);
        let err = verify(&token, true).unwrap_err();
        assert!(
            err.to_string().contains("never taken from the token"),
            "{header}: {err}"
        );
    }
}

#[test]
fn malformed_base64url() {
    let v = hs_verifier(vec![Algorithm::HS256]);
    let good = hs256_token(r#"{"alg":"HS256"}"#, r#"{"a":1}"#);
    assert!(v.verify(&good, NOW).is_ok());
    let parts: Vec<&str> = good.split('.').collect();
    let variants = [
        format!("{}=.{}.{}", parts[0], parts[1], parts[2]),
        format!("{}.{}=.{}", parts[0], parts[1], parts[2]),
        format!("{}.{}.{}=", parts[0], parts[1], parts[2]),
        format!("{}.{}+.{}", parts[0], parts[1], parts[2]),
        format!("{}./{}.{}", parts[0], parts[1], parts[2]),
        format!("{} .{}.{}", parts[0], parts[1], parts[2]),
        format!("{}.{}.{}*", parts[0], parts[1], parts[2]),
        // 32-byte tag = 43 chars; 45 chars is an impossible length.
        format!("{}.{}.{}AA", parts[0], parts[1], parts[2]),
    ];
    for token in variants {
        let k = kind(v.verify(&token, NOW));
        assert!(k == ErrorKind::Base64Decode, "{token}: {k:?}");
    }
}

#[test]
fn malformed_json_and_non_object_payloads() {
    let v = hs_verifier(vec![Algorithm::HS256]);
    assert_eq!(
        kind(v.verify(&hs256_token(r#"{"alg":"HS256""#, "{}"), NOW)),
        ErrorKind::Decode
    );
    assert_eq!(
        kind(v.verify(&hs256_token(r#"["HS256"]"#, "{}"), NOW)),
        ErrorKind::Decode
    );
    assert_eq!(
        kind(v.verify(&hs256_token(r#"{"alg":"HS256"}"#, "{"), NOW)),
        ErrorKind::Decode
    );
    assert_eq!(
        kind(v.verify(&hs256_token(r#"{"alg":"HS256"}"#, r#"{"a":1} x"#), NOW)),
        ErrorKind::Decode
    );
    for payload in ["[1,2]", "\"claims\"", "42", "null", "true"] {
        assert_eq!(
            kind(v.verify(&hs256_token(r#"{"alg":"HS256"}"#, payload), NOW)),
            ErrorKind::InvalidPayload,
            "{payload}"
        );
    }
    // Duplicate names would let two parsers disagree about alg or claims.
    assert_eq!(
        kind(v.verify(&hs256_token(r#"{"alg":"HS256","alg":"none"}"#, "{}"), NOW)),
        ErrorKind::Decode
    );
    assert_eq!(
        kind(v.verify(
            &hs256_token(r#"{"alg":"HS256"}"#, r#"{"sub":"a","sub":"b"}"#),
            NOW
        )),
        ErrorKind::Decode
    );
    assert_eq!(
        kind(v.verify(&hs256_token(r#"{"alg":"HS256","kid":7}"#, "{}"), NOW)),
        ErrorKind::Decode
    );
    assert_eq!(
        kind(v.verify(&hs256_token(r#"{"typ":"JWT"}"#, "{}"), NOW)),
        ErrorKind::IncorrectAlgorithm
    );
}

#[test]
fn oversized_and_deeply_nested() {
    let v = hs_verifier(vec![Algorithm::HS256]);
    let big_claim = "x".repeat(70_000);
    let big = hs256_token(r#"{"alg":"HS256"}"#, &format!(r#"{{"pad":"{big_claim}"}}"#));
    let err = v.verify(&big, NOW).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("larger than"));
    let small_limit = hs_verifier(vec![Algorithm::HS256]).with_max_token_bytes(100);
    let medium = hs256_token(
        r#"{"alg":"HS256"}"#,
        &format!(r#"{{"pad":"{}"}}"#, "y".repeat(100)),
    );
    assert_eq!(kind(small_limit.verify(&medium, NOW)), ErrorKind::Decode);

    let start = Instant::now();
    let nested = format!(r#"{{"a":{}1{}}}"#, "[".repeat(40_000), "]".repeat(40_000));
    let limit = hs_verifier(vec![Algorithm::HS256]).with_max_token_bytes(1 << 20);
    let token = hs256_token(r#"{"alg":"HS256"}"#, &nested);
    let err = limit.verify(&token, NOW).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("deeper than"), "{err}");
    let unbalanced = hs256_token(r#"{"alg":"HS256"}"#, &"[".repeat(200_000));
    assert_eq!(kind(limit.verify(&unbalanced, NOW)), ErrorKind::Decode);
    let nested_header = hs256_token(
        &format!(
            r#"{{"alg":"HS256","x":{}}}"#,
            "{\"a\":".repeat(33) + "1" + &"}".repeat(33)
        ),
        "{}",
    );
    assert_eq!(kind(limit.verify(&nested_header, NOW)), ErrorKind::Decode);
    assert!(start.elapsed() < Duration::from_secs(2), "bounded time");

    // 32 levels are fine.
    let ok_depth = format!(r#"{{"a":{}1{}}}"#, "[".repeat(31), "]".repeat(31));
    assert!(v
        .verify(&hs256_token(r#"{"alg":"HS256"}"#, &ok_depth), NOW)
        .is_ok());
}

#[test]
fn time_claims_of_the_wrong_type() {
    let mut v = hs_verifier(vec![Algorithm::HS256]);
    let mut rules = v.rules().clone();
    rules.verify_iat = true;
    v = v.with_rules(rules);
    let cases = [
        (r#"{"exp":"1800000000"}"#, Some(ErrorKind::ExpiredSignature)),
        (r#"{"exp":null}"#, Some(ErrorKind::ExpiredSignature)),
        (r#"{"exp":true}"#, Some(ErrorKind::ExpiredSignature)),
        (r#"{"nbf":"0"}"#, Some(ErrorKind::ImmatureSignature)),
        (r#"{"nbf":[0]}"#, Some(ErrorKind::ImmatureSignature)),
        (r#"{"iat":"0"}"#, Some(ErrorKind::InvalidIat)),
        (r#"{"iat":{}}"#, Some(ErrorKind::InvalidIat)),
        // Floats are Numeric in Ruby, so they are accepted.
        (
            r#"{"exp":1800000000.5,"nbf":1600000000.5,"iat":1600000000.25}"#,
            None,
        ),
    ];
    for (payload, expected) in cases {
        let token = hs256_token(r#"{"alg":"HS256"}"#, payload);
        match expected {
            Some(k) => assert_eq!(kind(v.verify(&token, NOW)), k, "{payload}"),
            None => assert!(v.verify(&token, NOW).is_ok(), "{payload}"),
        }
    }
    let key = SigningKey::hmac(HS_SECRET).unwrap();
    let err = encode(&Map::new(), &json!({"exp": "soon"}), Algorithm::HS256, &key).unwrap_err();
    assert_eq!(
        err,
        JwtError::NonNumericClaim {
            claim: "exp".into(),
            found: JsonType::String,
        }
    );
}

#[test]
fn empty_and_wrong_part_counts() {
    let v = hs_verifier(vec![Algorithm::HS256]);
    let good = hs256_token(r#"{"alg":"HS256"}"#, r#"{}"#);
    let parts: Vec<&str> = good.split('.').collect();
    for token in [
        String::new(),
        ".".to_owned(),
        "..".to_owned(),
        "...".to_owned(),
        parts[0].to_owned(),
        format!("{}.{}", parts[0], parts[1]),
        format!("{good}.{}", parts[2]),
        format!("{good}."),
    ] {
        let k = kind(v.verify(&token, NOW));
        assert!(
            k == ErrorKind::Decode || k == ErrorKind::Base64Decode,
            "{token:?}: {k:?}"
        );
    }
}

#[test]
fn short_hmac_secrets_refused_by_default() {
    let err = SigningKey::hmac(b"short")
        .and_then(|k| encode(&Map::new(), &json!({}), Algorithm::HS256, &k));
    assert_eq!(err.unwrap_err().kind(), ErrorKind::Encode);
    assert!(VerifyingKey::hmac(b"").is_err());
    let v = Verifier::new(
        Jwks::new(vec![VerifyingKey::hmac(b"short").unwrap()]),
        vec![Algorithm::HS256],
    )
    .unwrap();
    let lax = SigningKey::hmac_with_policy(
        b"short",
        pipeline_guard_core::jwt::HmacKeyLength::AllowShort,
    )
    .unwrap();
    let token = encode(&Map::new(), &json!({}), Algorithm::HS256, &lax).unwrap();
    assert_eq!(kind(v.verify(&token, NOW)), ErrorKind::Decode);
}
