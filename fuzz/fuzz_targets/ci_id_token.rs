//! CI ID token claims: job facts JSON (`CiJobInfo::from_json`) turned into
//! claims, and arbitrary token claims read as a pipeline login
//! (`PipelineClaims::from_claims`) against a fuzzed secret list.
//! Invariants: the readable secrets are a sorted subset of the stored ones;
//! a secret that needs a protected ref is never given to an unprotected one.
//! Input layout: JSON object, NUL, secrets JSON array.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::jwt::ci_id_token::CiJobInfo;
use pipeline_guard_core::secrets::{pipeline_secrets, PipelineClaims, Secret, SecretIndex};
use pipeline_guard_fuzz::json_object;
use serde_json::{Map, Value};

fn check(secrets: &[Secret], claims: &Map<String, Value>) {
    let Ok(names) = pipeline_secrets(secrets, claims, None) else {
        return;
    };
    let parsed = PipelineClaims::from_claims(claims, None).expect("accepted claims parse");
    for name in &names {
        let secret = secrets.iter().find(|s| &s.name == name).expect("subset");
        assert!(
            !secret.protected || parsed.ref_protected,
            "protected secret leaked"
        );
    }
    // The scan refuses a list that repeats a name, so names are unique here
    // and the index must agree with it.
    if let Ok(index) = SecretIndex::new(secrets) {
        assert_eq!(index.readable(&parsed), names, "index and scan disagree");
    }
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0);
    let Some(object) = json_object(parts.next().unwrap_or_default()) else {
        return;
    };
    let secrets: Vec<Secret> = parts
        .next()
        .and_then(|s| serde_json::from_slice(s).ok())
        .unwrap_or_default();
    let secrets = &secrets[..secrets.len().min(16)];
    if let Ok(job) = CiJobInfo::from_json(&Value::Object(object.clone())) {
        let claims = job.claims_with_jti("jti".into());
        check(secrets, &claims);
    }
    check(secrets, &object);
});
