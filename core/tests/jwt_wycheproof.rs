//! Runs the Wycheproof signature and MAC vectors through the public JWS
//! verification API: `valid` must verify, `invalid` must be rejected,
//! `acceptable` may go either way. Keys refused by policy (RSA e = 3, HMAC
//! secrets shorter than the hash) are counted separately and their number
//! is asserted.

use std::path::PathBuf;

use pipeline_guard_core::jwt::{
    verify_signature, Algorithm, ErrorKind, HmacKeyLength, VerifyingKey,
};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/vectors/wycheproof"
    ))
}

fn load(file: &str) -> Option<Value> {
    let path = vectors_dir().join(file);
    match std::fs::read(&path) {
        Ok(bytes) => Some(serde_json::from_slice(&bytes).expect("vector file is JSON")),
        Err(_) => {
            eprintln!("SKIP: Wycheproof vector {} not found", path.display());
            None
        }
    }
}

fn hex_field(v: &Value, name: &str) -> Vec<u8> {
    hex::decode(v[name].as_str().expect("hex string")).expect("valid hex")
}

#[derive(Default, Debug)]
struct Tally {
    valid_ok: usize,
    invalid_rejected: usize,
    acceptable: usize,
    policy_refused: usize,
    failures: Vec<String>,
}

impl Tally {
    fn record(&mut self, file: &str, test: &Value, verified: bool) {
        let id = test["tcId"].as_i64().unwrap_or(-1);
        match test["result"].as_str() {
            Some("valid") if verified => self.valid_ok += 1,
            Some("invalid") if !verified => self.invalid_rejected += 1,
            Some("acceptable") => self.acceptable += 1,
            other => self.failures.push(format!(
                "{file} tcId {id}: expected {other:?}, verified={verified} ({})",
                test["comment"]
            )),
        }
    }

    fn total(&self) -> usize {
        self.valid_ok + self.invalid_rejected + self.acceptable + self.policy_refused
    }
}

fn alg_for(sha: &str, family: &str) -> Algorithm {
    let name = match (family, sha) {
        ("RS", "SHA-256") => "RS256",
        ("RS", "SHA-384") => "RS384",
        ("RS", "SHA-512") => "RS512",
        ("PS", "SHA-256") => "PS256",
        ("PS", "SHA-384") => "PS384",
        ("PS", "SHA-512") => "PS512",
        ("ES", "SHA-256") => "ES256",
        ("ES", "SHA-384") => "ES384",
        ("ES", "SHA-512") => "ES512",
        other => panic!("unexpected {other:?}"),
    };
    Algorithm::from_name(name).expect("known alg")
}

/// Loads the group key from DER and, when present, from its JWK, and checks
/// both describe the same key.
fn group_key(group: &Value) -> Result<VerifyingKey, String> {
    let der = hex_field(group, "publicKeyDer");
    let key = VerifyingKey::from_public_der(&der).map_err(|e| e.to_string())?;
    let jwk = group.get("publicKeyJwk").or_else(|| group.get("keyJwk"));
    if let Some(jwk) = jwk {
        let from_jwk = VerifyingKey::from_jwk(jwk).expect("JWK of an accepted DER key loads");
        assert_eq!(
            from_jwk.thumbprint(),
            key.thumbprint(),
            "DER and JWK differ"
        );
        assert_eq!(from_jwk.key_type(), key.key_type());
    }
    Ok(key)
}

fn run_signature_file(file: &str, family: &str, tally: &mut Tally) -> bool {
    let Some(doc) = load(file) else { return false };
    for group in doc["testGroups"].as_array().expect("groups") {
        let alg = match family {
            "EdDSA" => Algorithm::EdDSA,
            _ => alg_for(group["sha"].as_str().expect("sha"), family),
        };
        if family == "PS" {
            // JWS PSS: MGF1 with the same hash, salt as long as the hash.
            let same_mgf = group["mgfSha"] == group["sha"];
            let salt_ok = group["sLen"].as_u64() == Some(alg.hash().output_len() as u64);
            assert!(same_mgf && salt_ok, "{file}: group is not JWS PSS");
        }
        let tests = group["tests"].as_array().expect("tests");
        let key = match group_key(group) {
            Ok(key) => key,
            Err(err) => {
                let e = &group["publicKey"]["publicExponent"];
                assert_eq!(e, "03", "{file}: unexpected key refusal: {err}");
                tally.policy_refused += tests.len();
                continue;
            }
        };
        for test in tests {
            let msg = hex_field(test, "msg");
            let sig = hex_field(test, "sig");
            let verified = verify_signature(alg, &key, &msg, &sig).is_ok();
            tally.record(file, test, verified);
        }
    }
    true
}

fn report(name: &str, tally: &Tally) {
    eprintln!(
        "{name}: {} tests, {} valid verified, {} invalid rejected, {} acceptable, {} refused by key policy",
        tally.total(),
        tally.valid_ok,
        tally.invalid_rejected,
        tally.acceptable,
        tally.policy_refused
    );
    assert!(
        tally.failures.is_empty(),
        "{name} failures:\n{}",
        tally.failures.join("\n")
    );
}

const RSA_PKCS1_FILES: [&str; 9] = [
    "rsa_signature_2048_sha256_test.json",
    "rsa_signature_2048_sha384_test.json",
    "rsa_signature_2048_sha512_test.json",
    "rsa_signature_3072_sha256_test.json",
    "rsa_signature_3072_sha384_test.json",
    "rsa_signature_3072_sha512_test.json",
    "rsa_signature_4096_sha256_test.json",
    "rsa_signature_4096_sha384_test.json",
    "rsa_signature_4096_sha512_test.json",
];

#[test]
fn rsa_pkcs1_v1_5() {
    let mut tally = Tally::default();
    let mut ran = 0;
    for file in RSA_PKCS1_FILES {
        ran += usize::from(run_signature_file(file, "RS", &mut tally));
    }
    if ran == 0 {
        return;
    }
    report("RSA PKCS#1 v1.5", &tally);
    if ran == RSA_PKCS1_FILES.len() {
        // Five tests in groups with e = 3 are refused by the exponent policy.
        assert_eq!(tally.policy_refused, 5);
        assert_eq!(tally.total(), 2330);
    }
}

#[test]
fn rsa_pss() {
    let files = [
        "rsa_pss_2048_sha256_mgf1_32_test.json",
        "rsa_pss_3072_sha256_mgf1_32_test.json",
        "rsa_pss_4096_sha512_mgf1_64_test.json",
    ];
    let mut tally = Tally::default();
    let mut ran = 0;
    for file in files {
        ran += usize::from(run_signature_file(file, "PS", &mut tally));
    }
    if ran == 0 {
        return;
    }
    report("RSA-PSS", &tally);
    assert_eq!(tally.policy_refused, 0);
    if ran == files.len() {
        assert_eq!(tally.total(), 395);
    }
}

#[test]
fn ecdsa_p1363() {
    let files = [
        "ecdsa_secp256r1_sha256_p1363_test.json",
        "ecdsa_secp384r1_sha384_p1363_test.json",
        "ecdsa_secp521r1_sha512_p1363_test.json",
    ];
    let mut tally = Tally::default();
    let mut ran = 0;
    for file in files {
        ran += usize::from(run_signature_file(file, "ES", &mut tally));
    }
    if ran == 0 {
        return;
    }
    report("ECDSA P1363", &tally);
    assert_eq!(tally.policy_refused, 0);
    if ran == files.len() {
        assert_eq!(tally.total(), 860);
    }
}

#[test]
fn ed25519() {
    let mut tally = Tally::default();
    if !run_signature_file("ed25519_test.json", "EdDSA", &mut tally) {
        return;
    }
    report("Ed25519", &tally);
    assert_eq!(tally.total(), 151);
}

#[test]
fn hmac_full_size_tags() {
    let files = [
        ("hmac_sha256_test.json", Algorithm::HS256),
        ("hmac_sha384_test.json", Algorithm::HS384),
        ("hmac_sha512_test.json", Algorithm::HS512),
    ];
    let mut tally = Tally::default();
    let mut lax_tally = Tally::default();
    let mut ran = 0;
    for (file, alg) in files {
        let Some(doc) = load(file) else { continue };
        ran += 1;
        let full_bits = alg.hash().output_len() as u64 * 8;
        for group in doc["testGroups"].as_array().expect("groups") {
            if group["tagSize"].as_u64() != Some(full_bits) {
                continue; // truncated tags are not JWS
            }
            for test in group["tests"].as_array().expect("tests") {
                let key_bytes = hex_field(test, "key");
                let msg = hex_field(test, "msg");
                let tag = hex_field(test, "tag");
                let strict = VerifyingKey::hmac(&key_bytes).expect("non-empty key");
                match strict.check_algorithm(alg) {
                    Ok(()) => {
                        let verified = verify_signature(alg, &strict, &msg, &tag).is_ok();
                        tally.record(file, test, verified);
                    }
                    Err(err) => {
                        assert!(key_bytes.len() < alg.hash().output_len(), "{err}");
                        assert_eq!(err.kind(), ErrorKind::Decode);
                        tally.policy_refused += 1;
                        // With the explicit opt-out the same vector must behave.
                        let lax =
                            VerifyingKey::hmac_with_policy(&key_bytes, HmacKeyLength::AllowShort)
                                .expect("non-empty key");
                        let verified = verify_signature(alg, &lax, &msg, &tag).is_ok();
                        lax_tally.record(file, test, verified);
                    }
                }
            }
        }
    }
    if ran == 0 {
        return;
    }
    report("HMAC (full-size tags)", &tally);
    report("HMAC short keys with AllowShort", &lax_tally);
    if ran == files.len() {
        assert_eq!(tally.total(), 261);
        assert_eq!(tally.policy_refused, 9, "3 short-key tests per file");
        assert_eq!(lax_tally.total(), 9);
    }
}
