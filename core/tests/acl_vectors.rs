//! Replays every case recorded from OpenBao 2.7.2 (acl_cases.json): all
//! capability checks and every refused policy with its exact error text.

use pipeline_guard_core::acl::{Acl, Policy};
use serde_json::Value;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/vectors/openbao/acl_cases.json"
);

fn load() -> Option<Value> {
    match std::fs::read_to_string(VECTORS) {
        Ok(text) => Some(serde_json::from_str(&text).expect("acl_cases.json is valid JSON")),
        Err(_) => {
            eprintln!("SKIP: {VECTORS} not found; OpenBao ACL vectors not replayed");
            None
        }
    }
}

#[test]
fn every_recorded_capability_check_matches_openbao() {
    let Some(doc) = load() else { return };
    let cases = doc["cases"].as_array().expect("cases");
    let (mut total, mut matched) = (0usize, 0usize);
    let mut failures = Vec::new();
    for case in cases {
        let policies: Vec<Policy> = case["policies"]
            .as_array()
            .expect("policies")
            .iter()
            .map(|p| {
                let name = p["name"].as_str().expect("name");
                Policy::parse(p["text"].as_str().expect("text"), name)
                    .unwrap_or_else(|e| panic!("case {} policy {name} refused: {e}", case["id"]))
            })
            .collect();
        let acl = Acl::new(&policies);
        for check in case["checks"].as_array().expect("checks") {
            total += 1;
            let path = check["path"].as_str().expect("path");
            let want: Vec<&str> = check["capabilities"]
                .as_array()
                .expect("capabilities")
                .iter()
                .map(|c| c.as_str().expect("capability"))
                .collect();
            let got = acl.capabilities(path);
            if got == want {
                matched += 1;
            } else if failures.len() < 30 {
                failures.push(format!(
                    "case {} path {path:?}: want {want:?} got {got:?} ({:?})",
                    case["id"],
                    acl.explain(path)
                ));
            }
        }
    }
    println!("ACL vectors: {matched}/{total} checks match OpenBao 2.7.2");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        total - matched,
        failures.join("\n")
    );
    assert!(
        total > 1000,
        "expected the full recorded set, got {total} checks"
    );
}

#[test]
fn every_recorded_invalid_policy_is_refused_with_openbao_text() {
    let Some(doc) = load() else { return };
    let invalid = doc["invalid_policies"]
        .as_array()
        .expect("invalid_policies");
    let mut failures = Vec::new();
    for (i, case) in invalid.iter().enumerate() {
        let want = case["error"].as_str().expect("error");
        match Policy::parse(case["text"].as_str().expect("text"), "invalid") {
            Ok(_) => failures.push(format!("#{i}: accepted, want {want:?}")),
            Err(e) if e.to_string() == want => {}
            Err(e) => failures.push(format!("#{i}: got {:?}, want {want:?}", e.to_string())),
        }
    }
    println!(
        "invalid policies: {}/{} match",
        invalid.len() - failures.len(),
        invalid.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(!invalid.is_empty());
}
