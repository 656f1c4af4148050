//! Bundles from the test Sigstore instance (spec/fixtures/sigstore,
//! written by its generate.py): every valid case verifies, every tampered
//! case is refused with a verification error. The same cases are judged by
//! sigstore-python in spec/sigstore/differential.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pipeline_guard_core::attest::sigstore::{
    managed_key, parse_digest, Artifact, Identity, Policy, SigstoreError, TrustedRoot, Verifier,
};
use serde_json::Value;

fn fixtures(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/fixtures/sigstore")
        .join(sub)
}

fn run(dir: &Path, case: &Value, verifier: &Verifier) -> Result<(), SigstoreError> {
    let read = |rel: &str| std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
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
    verifier
        .verify(&read(s("bundle").unwrap()), &artifact, &policy)
        .map(|_| ())
}

/// Runs every case of `sub`/cases.json; returns how many ran.
fn run_cases(sub: &str) -> usize {
    let dir = fixtures(sub);
    let read = |rel: &str| std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let root = TrustedRoot::from_json(&read("trusted_root.json")).expect("trusted root");
    let verifier = Verifier::new(Arc::new(root));
    let cases: Vec<Value> = serde_json::from_slice(&read("cases.json")).unwrap();
    let mut wrong = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let result = run(&dir, case, &verifier);
        match (case["expect"].as_str().unwrap(), &result) {
            ("ok", Ok(())) => {}
            ("reject", Err(SigstoreError::Verification(_))) => {}
            (expect, got) => wrong.push(format!("{sub}/{name}: expected {expect}, got {got:?}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    cases.len()
}

#[test]
fn test_instance_cases() {
    assert!(run_cases("") > 30);
}

#[test]
fn public_good_cases() {
    assert!(run_cases("public_good") >= 5);
}

#[test]
fn staging_cases() {
    assert!(run_cases("staging") >= 6);
}

#[test]
fn timestamp_authority_cases() {
    assert!(run_cases("tsa") >= 7);
}

#[test]
fn production_trusted_root_parses() {
    let root = TrustedRoot::from_json(
        pipeline_guard_core::attest::sigstore::PRODUCTION_TRUSTED_ROOT.as_bytes(),
    )
    .expect("embedded production trusted root");
    assert!(!root.tlogs.is_empty() && !root.cas.is_empty() && !root.ctlogs.is_empty());
}
