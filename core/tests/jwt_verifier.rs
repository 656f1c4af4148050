//! End-to-end: keys from PEM/JWK, Signer/SignerSet, Verifier (kid lookup,
//! batches), CI ID tokens, and the keys and claim sets recorded from a real
//! OpenBao 2.7.2 (../shared/vectors/openbao/jwt_role_cases.json).

use std::path::PathBuf;

use pipeline_guard_core::jwt::ci_id_token::{CiJobInfo, JobEnvironment, RefType};
use pipeline_guard_core::jwt::{
    decode_unverified, encode, verify_signature, Algorithm, ClaimRules, EcCurve, ErrorKind, Jwks,
    JwtError, KeyType, Signer, SignerSet, SigningKey, Verifier, VerifyingKey,
};
use serde_json::{json, Map, Value};

const NOW: f64 = 1_700_000_000.0;

fn openbao_cases() -> Option<Value> {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/vectors/openbao/jwt_role_cases.json"
    ));
    match std::fs::read(&path) {
        Ok(bytes) => Some(serde_json::from_slice(&bytes).expect("JSON")),
        Err(_) => {
            eprintln!("SKIP: {} not found", path.display());
            None
        }
    }
}

/// Turns the recorded `*_offset` fields into absolute times around `now`.
fn absolute_claims(recorded: &Value, now: i64) -> Map<String, Value> {
    let mut claims = Map::new();
    for (name, value) in recorded.as_object().expect("claims object") {
        match name.strip_suffix("_offset") {
            Some(base @ ("iat" | "nbf" | "exp")) => {
                claims.insert(
                    base.to_owned(),
                    json!(now + value.as_i64().expect("offset")),
                );
            }
            _ => {
                claims.insert(name.clone(), value.clone());
            }
        }
    }
    claims
}

#[test]
fn openbao_recorded_keys_sign_and_verify_every_case() {
    let Some(doc) = openbao_cases() else { return };
    let keys = &doc["signing_keys"];
    let config = SigningKey::from_pem(keys["config"].as_str().unwrap()).unwrap();
    let other = SigningKey::from_pem(keys["other"].as_str().unwrap()).unwrap();
    let ec = SigningKey::from_pem(keys["ec"].as_str().unwrap()).unwrap();
    assert_eq!(config.key_type(), KeyType::Rsa);
    assert_eq!(ec.key_type(), KeyType::Ec(EcCurve::P256));

    let pubkey_pem = doc["auth_config"]["jwt_validation_pubkeys"][0]
        .as_str()
        .unwrap();
    let public = VerifyingKey::from_pem(pubkey_pem).unwrap();
    assert_eq!(public.key_type(), KeyType::Rsa);
    assert_eq!(
        public.thumbprint(),
        config.thumbprint().unwrap(),
        "config key is the bound key"
    );
    assert_ne!(public.thumbprint(), other.thumbprint().unwrap());

    let now = NOW as i64;
    let mut verified = 0;
    for case in doc["cases"].as_array().unwrap() {
        let alg_name = case["token"]["alg"].as_str().unwrap_or("RS256");
        let alg = Algorithm::from_name(alg_name).unwrap();
        let claims = Value::Object(absolute_claims(&case["claims"], now));
        let literal_time_claims = ["iat", "nbf", "exp"]
            .iter()
            .any(|c| case["claims"].get(*c).is_some_and(|v| !v.is_number()));
        let token = match encode(&Map::new(), &claims, alg, &config) {
            Ok(token) => token,
            // Cases that send `"exp": true` etc. cannot be minted by a
            // strict encoder; that is intended.
            Err(err) if literal_time_claims => {
                assert_eq!(err.kind(), ErrorKind::InvalidPayload);
                continue;
            }
            Err(err) => panic!("case {}: {err}", case["id"]),
        };
        let decoded = decode_unverified(&token).unwrap();
        assert_eq!(decoded.alg, alg);
        assert_eq!(Value::Object(decoded.claims.clone()), claims);
        verify_signature(
            alg,
            &public,
            decoded.signing_input.as_bytes(),
            &decoded.signature,
        )
        .unwrap_or_else(|e| panic!("case {}: {e}", case["id"]));
        verified += 1;

        // The same claims under the wrong keys never verify.
        let forged = encode(&Map::new(), &claims, alg, &other).unwrap();
        let d = decode_unverified(&forged).unwrap();
        assert_eq!(
            verify_signature(alg, &public, d.signing_input.as_bytes(), &d.signature)
                .unwrap_err()
                .kind(),
            ErrorKind::Verification
        );
        let ec_token = encode(&Map::new(), &claims, Algorithm::ES256, &ec).unwrap();
        let d = decode_unverified(&ec_token).unwrap();
        assert_eq!(
            verify_signature(d.alg, &public, d.signing_input.as_bytes(), &d.signature)
                .unwrap_err()
                .kind(),
            ErrorKind::IncorrectAlgorithm
        );
    }
    eprintln!("OpenBao recorded cases: {verified} tokens minted and verified");
    assert!(verified >= 100, "{verified}");
}

fn ci_job() -> CiJobInfo {
    CiJobInfo {
        issuer: "https://gitlab.example.com".into(),
        audiences: vec!["openbao".into()],
        issued_at: NOW as i64,
        ttl_seconds: None,
        namespace_id: 91507,
        namespace_path: "Team-X/backend".into(),
        project_id: 412,
        project_path: "Team-X/backend/api".into(),
        user_id: 2758,
        user_login: "sample-user".into(),
        user_email: "sample-user@example.com".into(),
        user_access_level: Some("developer".into()),
        user_identities: None,
        pipeline_id: 1_714_804,
        pipeline_source: "push".into(),
        job_id: 50_992_980,
        git_ref: "feature-42".into(),
        ref_type: RefType::Branch,
        ref_path: None,
        ref_protected: true,
        environment: Some(JobEnvironment {
            name: "production".into(),
            protected: true,
            action: "prepare".into(),
            deployment_tier: "staging".into(),
        }),
        runner_id: Some(184),
        runner_environment: Some("self-hosted".into()),
        sha: "bacfb3d00b1f9163ce9ff57f43b7a3a69a8dca03".into(),
        project_visibility: "internal".into(),
        ci_config_ref_uri: None,
        ci_config_sha: None,
        secrets_manager_scope: Some("pipeline".into()),
        project_group_ids: Some(vec![91507]),
    }
}

#[test]
fn ci_id_token_matches_recorded_claim_shapes() {
    let claims = ci_job().claims().unwrap();
    if let Some(doc) = openbao_cases() {
        let recorded = absolute_claims(&doc["cases"][0]["claims"], NOW as i64);
        for (name, value) in &recorded {
            if let Some(ours) = claims.get(name) {
                let same_type = std::mem::discriminant(ours) == std::mem::discriminant(value);
                // project_group_ids: recorded as strings, we emit integers.
                assert!(
                    same_type || name == "project_group_ids",
                    "{name}: {ours} vs {value}"
                );
            }
        }
        for name in [
            "sub",
            "ref_path",
            "ref_protected",
            "project_id",
            "runner_id",
            "nbf",
            "exp",
        ] {
            assert_eq!(claims[name], recorded[name], "{name}");
        }
    }
    let signer = Signer::new(
        SigningKey::generate(KeyType::Rsa).unwrap(),
        Algorithm::RS256,
    )
    .unwrap();
    let token = signer
        .sign(&Value::Object(claims.clone()), &Map::new())
        .unwrap();
    let verifier = Verifier::new(
        Jwks::from_json(&signer.jwks()).unwrap(),
        vec![Algorithm::RS256],
    )
    .unwrap()
    .with_issuer("https://gitlab.example.com")
    .with_audience("openbao")
    .with_required_claims(vec!["project_id".into(), "secrets_manager_scope".into()]);
    let (verified, header) = verifier.verify_with_header(&token, NOW + 10.0).unwrap();
    assert_eq!(verified, claims);
    assert_eq!(header["kid"], signer.kid());
    assert_eq!(header["typ"], "JWT");
    let err = verifier.verify(&token, NOW + 301.0).unwrap_err();
    assert_eq!(err, JwtError::ExpiredSignature);
    let err = verifier.verify(&token, NOW - 10.0).unwrap_err();
    assert_eq!(err, JwtError::ImmatureSignature);
}

#[test]
fn signer_set_rotation_and_kid_lookup() {
    let mut set = SignerSet::new();
    let first = Signer::new(
        SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap(),
        Algorithm::ES256,
    )
    .unwrap();
    let first_kid = first.kid().to_owned();
    set.rotate(first).unwrap();
    let old_token = set.sign(&json!({"n": 1}), &Map::new()).unwrap();
    let second = Signer::new(
        SigningKey::generate(KeyType::Rsa).unwrap(),
        Algorithm::PS256,
    )
    .unwrap();
    let second_kid = second.kid().to_owned();
    set.rotate(second).unwrap();
    let new_token = set.sign(&json!({"n": 2}), &Map::new()).unwrap();
    assert_eq!(
        decode_unverified(&new_token).unwrap().kid(),
        Some(second_kid.as_str())
    );

    let jwks = set.jwks();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    assert_eq!(jwks["keys"][0]["kid"], second_kid.as_str(), "newest first");
    assert!(jwks["keys"][0].get("d").is_none(), "public parts only");
    let v = Verifier::new(
        Jwks::from_json(&jwks).unwrap(),
        vec![Algorithm::ES256, Algorithm::PS256],
    )
    .unwrap();
    assert_eq!(v.verify(&old_token, NOW).unwrap()["n"], 1);
    assert_eq!(v.verify(&new_token, NOW).unwrap()["n"], 2);

    assert!(set.retire(&first_kid));
    assert!(!set.retire(&first_kid));
    let v = Verifier::new(
        Jwks::from_json(&set.jwks()).unwrap(),
        vec![Algorithm::ES256, Algorithm::PS256],
    )
    .unwrap();
    let err = v.verify(&old_token, NOW).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("Could not find public key for kid {first_kid}")
    );
    assert!(v.verify(&new_token, NOW).is_ok());
}

#[test]
fn token_without_kid_uses_the_single_fitting_key() {
    let rsa = SigningKey::generate(KeyType::Rsa).unwrap();
    let ed = SigningKey::generate(KeyType::Ed25519).unwrap();
    let jwks = Jwks::new(vec![
        rsa.verifying_key().unwrap(),
        ed.verifying_key().unwrap(),
    ]);
    let v = Verifier::new(jwks, vec![Algorithm::RS256, Algorithm::EdDSA]).unwrap();
    let t1 = encode(&Map::new(), &json!({"a": 1}), Algorithm::RS256, &rsa).unwrap();
    let t2 = encode(&Map::new(), &json!({"a": 2}), Algorithm::EdDSA, &ed).unwrap();
    assert_eq!(v.verify(&t1, NOW).unwrap()["a"], 1);
    assert_eq!(v.verify(&t2, NOW).unwrap()["a"], 2);

    let rsa2 = SigningKey::generate(KeyType::Rsa).unwrap();
    let two_rsa = Jwks::new(vec![
        rsa.verifying_key().unwrap(),
        rsa2.verifying_key().unwrap(),
    ]);
    let v = Verifier::new(two_rsa, vec![Algorithm::RS256]).unwrap();
    assert_eq!(v.verify(&t1, NOW).unwrap_err().kind(), ErrorKind::Decode);
}

#[test]
fn verify_many_batches_keep_order() {
    let key = SigningKey::hmac(&[3u8; 32]).unwrap();
    let v = Verifier::new(
        Jwks::new(vec![VerifyingKey::hmac(&[3u8; 32]).unwrap()]),
        vec![Algorithm::HS256],
    )
    .unwrap();
    let tokens: Vec<String> = (0..200)
        .map(|i| {
            let exp = if i % 7 == 0 { NOW - 1.0 } else { NOW + 60.0 };
            encode(
                &Map::new(),
                &json!({"i": i, "exp": exp as i64}),
                Algorithm::HS256,
                &key,
            )
            .unwrap()
        })
        .collect();
    let mut refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    refs.push("garbage");
    for batch in [&refs[..10], &refs[..]] {
        let results = v.verify_many(batch, NOW);
        assert_eq!(results.len(), batch.len());
        for (i, r) in results.iter().enumerate() {
            if i == 200 {
                assert_eq!(r.as_ref().unwrap_err().kind(), ErrorKind::Decode);
            } else if i % 7 == 0 {
                assert_eq!(r.as_ref().unwrap_err().kind(), ErrorKind::ExpiredSignature);
            } else {
                assert_eq!(r.as_ref().unwrap()["i"], i);
            }
        }
    }
}

#[test]
fn encode_header_rules_and_jwk_round_trip() {
    let key = SigningKey::generate(KeyType::Ec(EcCurve::P384)).unwrap();
    let mut fields = Map::new();
    fields.insert("kid".into(), json!("k1"));
    fields.insert("alg".into(), json!("none"));
    fields.insert("x-custom".into(), json!(1));
    let token = encode(&fields, &json!({"a": 1}), Algorithm::ES384, &key).unwrap();
    let d = decode_unverified(&token).unwrap();
    let header: Vec<&str> = d.header.keys().map(String::as_str).collect();
    assert_eq!(header, ["kid", "alg", "x-custom"]);
    assert_eq!(d.header["alg"], "ES384");
    assert_eq!(d.kid(), Some("k1"));

    let jwk = key
        .to_public_jwk(Some("k1"), Some(Algorithm::ES384))
        .unwrap();
    assert_eq!(jwk["kty"], "EC");
    assert_eq!(jwk["crv"], "P-384");
    let vk = VerifyingKey::from_jwk(&jwk).unwrap();
    assert_eq!(vk.kid(), Some("k1"));
    let v = Verifier::new(Jwks::new(vec![vk]), vec![Algorithm::ES384])
        .unwrap()
        .with_rules(ClaimRules::default());
    assert_eq!(v.verify(&token, NOW).unwrap()["a"], 1);

    // Private JWK import: an Ed25519 and an HMAC key.
    let ed_seed = [5u8; 32];
    let ed_pair = aws_lc_rs::signature::Ed25519KeyPair::from_seed_unchecked(&ed_seed).unwrap();
    use aws_lc_rs::signature::KeyPair;
    let x = base64_url(ed_pair.public_key().as_ref());
    let ed_jwk = json!({"kty": "OKP", "crv": "Ed25519", "d": base64_url(&ed_seed), "x": x});
    let ed = SigningKey::from_jwk(&ed_jwk).unwrap();
    let token = encode(&Map::new(), &json!({}), Algorithm::EdDSA, &ed).unwrap();
    let public = VerifyingKey::from_jwk(&json!({"kty": "OKP", "crv": "Ed25519", "x": x})).unwrap();
    let d = decode_unverified(&token).unwrap();
    verify_signature(d.alg, &public, d.signing_input.as_bytes(), &d.signature).unwrap();
    let oct = SigningKey::from_jwk(&json!({"kty": "oct", "k": base64_url(&[1u8; 48])})).unwrap();
    assert!(encode(&Map::new(), &json!({}), Algorithm::HS384, &oct).is_ok());
    assert!(encode(&Map::new(), &json!({}), Algorithm::HS512, &oct).is_err());
}

fn base64_url(bytes: &[u8]) -> String {
    base64_simd::URL_SAFE_NO_PAD.encode_to_string(bytes)
}
