//! DSSE: the protocol vectors (tests/data/dsse_vectors.json, signatures
//! re-derived from RFC 8032 seeds), round trips for every key type, and
//! tampering with each part of an envelope.

use base64_simd::URL_SAFE_NO_PAD;
use pipeline_guard_core::attest::dsse::Envelope;
use pipeline_guard_core::attest::{
    pae, sign, DsseError, DsseSigner, DsseVerifier, TrustedKey, MAX_SIGNATURES,
};
use pipeline_guard_core::jwt::{self, Algorithm, EcCurve, KeyType, SigningKey, VerifyingKey};
use serde_json::{json, Value};

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/dsse_vectors.json")).unwrap()
}

fn ed25519_pair(key: &Value) -> (SigningKey, VerifyingKey) {
    let seed = hex::decode(key["seed"].as_str().unwrap()).unwrap();
    let public = hex::decode(key["public"].as_str().unwrap()).unwrap();
    let jwk = json!({"kty": "OKP", "crv": "Ed25519",
        "d": URL_SAFE_NO_PAD.encode_to_string(&seed), "x": URL_SAFE_NO_PAD.encode_to_string(&public)});
    (
        SigningKey::from_jwk(&jwk).unwrap(),
        VerifyingKey::ed25519_from_bytes(&public).unwrap(),
    )
}

#[test]
fn protocol_vectors() {
    let doc = vectors();
    let keys = doc["keys"].as_object().unwrap();
    for vector in doc["vectors"].as_array().unwrap() {
        let id = vector["id"].as_str().unwrap();
        let env = Envelope::from_value(vector["envelope"].clone()).unwrap();
        let covered = hex::decode(vector["pae"].as_str().unwrap()).unwrap();
        let accept = vector["expect"] == "accept";
        if accept {
            assert_eq!(env.pae(), covered, "{id}: PAE");
        }
        // Every signature is the deterministic Ed25519 signature of the
        // covered PAE by the key its keyid names, or by one of the keys.
        for s in &env.signatures {
            let resigned: Vec<Vec<u8>> = keys
                .values()
                .map(|k| jwt::sign(Algorithm::EdDSA, &ed25519_pair(k).0, &covered).unwrap())
                .collect();
            assert!(resigned.contains(&s.sig), "{id}: signature re-derived");
        }
        let trusted = vector["trustedKeys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|name| {
                let name = name.as_str().unwrap();
                let (_, vk) = ed25519_pair(&keys[name]);
                TrustedKey::new(&vk, None, Some(name.to_owned())).unwrap()
            })
            .collect();
        let types = vector["supportedPayloadTypes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_owned())
            .collect();
        let threshold = vector["threshold"].as_u64().unwrap() as usize;
        let verifier = DsseVerifier::new(trusted, threshold, Some(types)).unwrap();
        let result = verifier.verify(&env);
        assert_eq!(result.is_ok(), accept, "{id}: {result:?}");
        if let Ok(v) = result {
            assert_eq!(v.payload, env.payload);
            assert_eq!(v.key_indexes.len(), threshold);
        }
    }
}

fn key_cases() -> Vec<(KeyType, Algorithm)> {
    vec![
        (KeyType::Ec(EcCurve::P256), Algorithm::ES256),
        (KeyType::Ec(EcCurve::P384), Algorithm::ES384),
        (KeyType::Ed25519, Algorithm::EdDSA),
        (KeyType::Rsa, Algorithm::RS256),
        (KeyType::Rsa, Algorithm::PS256),
        (KeyType::Rsa, Algorithm::PS512),
    ]
}

#[test]
fn round_trips_and_tampering_for_every_key_type() {
    const TYPE: &str = "application/vnd.in-toto+json";
    for (kt, alg) in key_cases() {
        let key = SigningKey::generate(kt).unwrap();
        let signer = DsseSigner::new(&key, Some(alg), Some("k1".into())).unwrap();
        let trusted =
            TrustedKey::new(&key.verifying_key().unwrap(), Some(alg), Some("k1".into())).unwrap();
        let verifier = DsseVerifier::new(vec![trusted], 1, Some(vec![TYPE.into()])).unwrap();
        let env = sign(TYPE, b"{\"a\":1}", &[&signer]).unwrap();
        if let KeyType::Ec(_) = kt {
            assert_eq!(
                env.signatures[0].sig[0], 0x30,
                "{alg:?}: ECDSA signatures are DER"
            );
        }
        let json = env.to_json();
        let ok = verifier.verify_json(json.as_bytes()).unwrap();
        assert_eq!(ok.payload, b"{\"a\":1}");
        assert_eq!(ok.key_indexes, vec![0]);

        let failed = |e: &Envelope, what: &str| {
            let err = verifier.verify(e).unwrap_err();
            assert!(
                matches!(
                    err,
                    DsseError::SignatureFailed {
                        verified: 0,
                        threshold: 1
                    }
                ),
                "{alg:?} {what}: {err:?}"
            );
        };
        let mut t = env.clone();
        t.payload.push(b' ');
        failed(&t, "payload");
        let mut t = env.clone();
        t.payload_type = "application/vnd.in-toto+jsom".into();
        failed(&t, "payload type");
        let mut t = env.clone();
        let last = t.signatures[0].sig.len() - 1;
        t.signatures[0].sig[last] ^= 1;
        failed(&t, "signature");
        let mut t = env.clone();
        t.signatures[0].keyid = Some("k2".into());
        failed(&t, "keyid");
        let mut t = env.clone();
        t.signatures[0].sig.clear();
        failed(&t, "empty signature");
        // Unset keyid: the key is tried anyway.
        let mut t = env.clone();
        t.signatures[0].keyid = None;
        verifier.verify(&t).unwrap();
        // Another key of the same type does not verify.
        let other = SigningKey::generate(kt).unwrap();
        let other_signer = DsseSigner::new(&other, Some(alg), Some("k1".into())).unwrap();
        failed(
            &sign(TYPE, b"{\"a\":1}", &[&other_signer]).unwrap(),
            "other key",
        );
    }
}

#[test]
fn scheme_is_part_of_the_trust() {
    // A PKCS#1 v1.5 signature does not verify as PSS, and vice versa.
    let key = SigningKey::generate(KeyType::Rsa).unwrap();
    let vk = key.verifying_key().unwrap();
    let rs = sign(
        "t",
        b"x",
        &[&DsseSigner::new(&key, Some(Algorithm::RS256), None).unwrap()],
    )
    .unwrap();
    let ps_only = DsseVerifier::new(
        vec![TrustedKey::new(&vk, Some(Algorithm::PS256), None).unwrap()],
        1,
        None,
    )
    .unwrap();
    assert!(ps_only.verify(&rs).is_err());
    // ECDSA in JWS form (r || s) is not a DSSE signature.
    let ec = SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap();
    let fixed = jwt::sign(Algorithm::ES256, &ec, &pae("t", b"x")).unwrap();
    let env = Envelope {
        payload_type: "t".into(),
        payload: b"x".to_vec(),
        signatures: vec![pipeline_guard_core::attest::dsse::Signature {
            keyid: None,
            sig: fixed,
        }],
    };
    let verifier = DsseVerifier::new(
        vec![TrustedKey::new(&ec.verifying_key().unwrap(), None, None).unwrap()],
        1,
        None,
    )
    .unwrap();
    assert!(verifier.verify(&env).is_err());
}

#[test]
fn multiple_signers_and_thresholds() {
    let a = SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap();
    let b = SigningKey::generate(KeyType::Ed25519).unwrap();
    let c = SigningKey::generate(KeyType::Ec(EcCurve::P384)).unwrap();
    let sa = DsseSigner::new(&a, None, Some("a".into())).unwrap();
    let sb = DsseSigner::new(&b, None, None).unwrap();
    let env = sign("t", b"body", &[&sa, &sb]).unwrap();
    assert_eq!(env.signatures.len(), 2);
    let trusted =
        |k: &SigningKey| TrustedKey::new(&k.verifying_key().unwrap(), None, None).unwrap();

    // One trusted key among several suffices at threshold 1.
    let v = DsseVerifier::new(vec![trusted(&c), trusted(&b)], 1, None).unwrap();
    assert_eq!(v.verify(&env).unwrap().key_indexes, vec![1]);
    // Both signers needed.
    let v = DsseVerifier::new(vec![trusted(&a), trusted(&b), trusted(&c)], 2, None).unwrap();
    assert_eq!(v.verify(&env).unwrap().key_indexes, vec![0, 1]);
    let v = DsseVerifier::new(vec![trusted(&a), trusted(&b), trusted(&c)], 3, None).unwrap();
    assert!(matches!(
        v.verify(&env).unwrap_err(),
        DsseError::SignatureFailed {
            verified: 2,
            threshold: 3
        }
    ));
    // The same key listed twice is one key: threshold 2 is refused up front,
    // and a duplicated signature never counts twice.
    assert!(DsseVerifier::new(vec![trusted(&a), trusted(&a)], 2, None).is_err());
    let twice = sign("t", b"body", &[&sa, &sa]).unwrap();
    let v = DsseVerifier::new(vec![trusted(&a), trusted(&a), trusted(&b)], 2, None).unwrap();
    assert!(v.verify(&twice).is_err());
}

#[test]
fn refusals() {
    let hmac = SigningKey::generate(KeyType::Hmac).unwrap();
    assert!(matches!(
        DsseSigner::new(&hmac, None, None),
        Err(DsseError::Key(_))
    ));
    assert!(TrustedKey::new(&hmac.verifying_key().unwrap(), None, None).is_err());
    let ec = SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap();
    assert!(
        DsseSigner::new(&ec, Some(Algorithm::ES384), None).is_err(),
        "curve mismatch"
    );
    assert!(DsseSigner::new(&ec, Some(Algorithm::RS256), None).is_err());
    assert!(sign("t", b"", &[]).is_err());
    let tk = || TrustedKey::new(&ec.verifying_key().unwrap(), None, None).unwrap();
    assert!(DsseVerifier::new(vec![], 1, None).is_err());
    assert!(DsseVerifier::new(vec![tk()], 0, None).is_err());
    assert!(DsseVerifier::new(vec![tk()], 2, None).is_err());
    assert!(DsseVerifier::new(vec![tk()], 1, Some(vec![])).is_err());

    let v = DsseVerifier::new(vec![tk()], 1, Some(vec!["t".into()])).unwrap();
    let signer = DsseSigner::new(&ec, None, None).unwrap();
    let mut env = sign("t", b"x", &[&signer]).unwrap();
    v.verify(&env).unwrap();
    let wrong_type = sign("u", b"x", &[&signer]).unwrap();
    assert!(matches!(
        v.verify(&wrong_type).unwrap_err(),
        DsseError::PayloadType { .. }
    ));
    let many = env.signatures[0].clone();
    env.signatures = vec![many; MAX_SIGNATURES + 1];
    assert!(matches!(
        v.verify(&env).unwrap_err(),
        DsseError::TooManySignatures { .. }
    ));
    env.signatures.clear();
    assert_eq!(v.verify(&env).unwrap_err(), DsseError::NoSignatures);
    assert!(matches!(
        v.verify_json(b"{").unwrap_err(),
        DsseError::Envelope(_)
    ));
    // Debug output names the scheme, never key bytes.
    assert!(format!("{signer:?}").contains("ES256"));
}
