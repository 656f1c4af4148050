//! Bundles from the test Sigstore instance (spec/fixtures/sigstore,
//! written by its generate.py): every valid case verifies, every tampered
//! case is refused with a verification error. The same cases are judged by
//! sigstore-python in spec/sigstore/differential.
use std::path::PathBuf;
use std::sync::Arc;

use pipeline_guard_core::attest::sigstore::{
    managed_key, parse_digest, Artifact, Identity, Policy, SigstoreError, TrustedRoot, Verifier,
};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/fixtures/sigstore")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn run(case: &Value, verifier: &Verifier) -> Result<(), SigstoreError> {
    let s = |k: &str| case.get(k).and_then(Value::as_str);
    let bytes;
    let artifact = match (s("artifact"), s("artifact_digest")) {
        (Some(path), None) => {
            bytes = read(path);
            Artifact::Bytes(&bytes)
        }
        (None, Some(d)) => {
            let (h, d) = parse_digest(d)?;
            Artifact::Digest(h, d)
        }
        _ => panic!("case without artifact"),
    };
    let policy = match s("key") {
        Some(path) => Policy::Key(managed_key(&read(path))?),
        None => Policy::Keyless {
            identity: Identity::Exact(s("identity").unwrap().to_owned()),
            issuer: s("issuer").unwrap().to_owned(),
        },
    };
    verifier.verify(&read(s("bundle").unwrap()), &artifact, &policy).map(|_| ())
}

#[test]
fn test_instance_cases() {
    let root = TrustedRoot::from_json(&read("trusted_root.json")).expect("trusted root");
    let verifier = Verifier::new(Arc::new(root));
    let cases: Vec<Value> = serde_json::from_slice(&read("cases.json")).unwrap();
    assert!(cases.len() > 30);
    let mut wrong = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let result = run(case, &verifier);
        eprintln!("{name}: {result:?}");
        match (case["expect"].as_str().unwrap(), &result) {
            ("ok", Ok(())) => {}
            ("reject", Err(SigstoreError::Verification(_))) => {}
            (expect, got) => wrong.push(format!("{name}: expected {expect}, got {got:?}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn production_trusted_root_parses() {
    let root = TrustedRoot::from_json(pipeline_guard_core::attest::sigstore::PRODUCTION_TRUSTED_ROOT.as_bytes())
        .expect("embedded production trusted root");
    assert!(!root.tlogs.is_empty() && !root.cas.is_empty() && !root.ctlogs.is_empty());
}
