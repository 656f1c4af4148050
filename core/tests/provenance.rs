//! SLSA provenance in GitLab's shape: GitLab's documented example rebuilt
//! byte for byte from its facts, fact validation, and the policy checks.

use pipeline_guard_core::attest::digest::{digest_file, DigestAlg, Digester, MAX_ARTIFACT_BYTES};
use pipeline_guard_core::attest::provenance::{build_statement, facts_from_value};
use pipeline_guard_core::attest::provenance_policy::{check_statement, ProvenancePolicy};
use serde_json::{json, Value};

const EXAMPLE: &str = include_str!("data/gitlab_provenance_example.json");
const FACTS: &str = include_str!("data/gitlab_provenance_facts.json");

fn facts() -> Value {
    serde_json::from_str(FACTS).unwrap()
}

fn build(v: Value) -> Result<Value, String> {
    facts_from_value(v)
        .and_then(|f| build_statement(&f))
        .map_err(|e| e.to_string())
}

#[test]
fn gitlab_documented_example_rebuilds_byte_identically() {
    let stmt = build(facts()).unwrap();
    assert_eq!(
        serde_json::to_string_pretty(&stmt).unwrap(),
        EXAMPLE.trim_end()
    );
    // And the parsed example is the same value, compact form included.
    let parsed: Value = serde_json::from_str(EXAMPLE).unwrap();
    assert_eq!(
        serde_json::to_string(&stmt).unwrap(),
        serde_json::to_string(&parsed).unwrap()
    );
    assert!(!EXAMPLE.contains("s3cr3t"));
}

#[test]
fn masked_and_hidden_values_never_appear() {
    let mut f = facts();
    f["variables"] = json!([
        {"key": "A", "value": "top-secret", "hidden": true},
        {"key": "B", "value": "top-secret", "masked": true},
        {"key": "C", "value": "shown"},
        {"key": "C", "value": "shown-later"}
    ]);
    let text = build(f).unwrap().to_string();
    assert!(!text.contains("top-secret"));
    assert!(
        text.contains(r#""variables":{"A":"[MASKED]","B":"[MASKED]","C":"shown-later"}"#),
        "{text}"
    );
    // Plain form: all visible, in order; no variables at all is an empty object.
    let mut f = facts();
    f["variables"] = json!({"Z": "1", "A": "2"});
    assert!(build(f)
        .unwrap()
        .to_string()
        .contains(r#""variables":{"Z":"1","A":"2"}"#));
    let mut f = facts();
    f.as_object_mut().unwrap().remove("variables");
    assert!(build(f).unwrap().to_string().contains(r#""variables":{}"#));
    // Null times are written as null, as GitLab does for a job without them.
    let mut f = facts();
    f["started_at"] = Value::Null;
    assert!(build(f)
        .unwrap()
        .to_string()
        .contains(r#""startedOn":null"#));
}

#[test]
fn bad_facts_are_refused_with_the_field_named() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("subjects", json!([]), "at least one subject"),
        (
            "subjects",
            json!([{"name": "a", "digest": {}}]),
            "no digest",
        ),
        (
            "subjects",
            json!([{"name": "a", "digest": {"sha256": "ABC"}}]),
            "sha256",
        ),
        (
            "subjects",
            json!([{"name": "a", "digest": {"sha512": "00"}}]),
            "sha512",
        ),
        (
            "subjects",
            json!([{"name": "", "digest": {"sha256": "0".repeat(64)}}]),
            "subject name",
        ),
        ("commit_sha", json!("a2882015"), "commit_sha"),
        ("started_at", json!("2025-06-05 01:33:18"), "started_at"),
        (
            "finished_at",
            json!("2025-06-05T01:33:23+02:00"),
            "finished_at",
        ),
        ("job_id", json!("412"), "job_id"),
        ("job_id", json!(-1), "job_id"),
        ("source", json!(""), "source"),
        ("comit_sha", json!("x"), "unknown field"),
        ("variables", json!([{"key": "A"}]), "no value"),
        ("variables", json!({"A": 1}), "string value"),
    ];
    for (field, value, needle) in cases {
        let mut f = facts();
        f[field] = value;
        let err = build(f).unwrap_err();
        assert!(err.contains(needle), "{field}: {err}");
    }
    let mut f = facts();
    f.as_object_mut().unwrap().remove("builder_id");
    assert!(build(f).unwrap_err().contains("builder_id"));
}

fn policy() -> ProvenancePolicy {
    let mut p = ProvenancePolicy::gitlab(
        vec![(
            "sha256".into(),
            "717a1ee89f0a2829cf5aad57054c83615675b04baa913bdc19999d7519edf3f2".into(),
        )],
        "http://gdk.test:3000/root/repo_name",
        vec!["http://gdk.test:3000/groups/user/-/runners/33".into()],
    );
    p.build_types = vec!["<Link to Build Type>".into()];
    p
}

#[test]
fn policy_accepts_the_example_and_names_each_failed_expectation() {
    let stmt: Value = serde_json::from_str(EXAMPLE).unwrap();
    check_statement(&stmt, &policy()).unwrap();

    let expect = |p: ProvenancePolicy, s: &Value, what: &str| {
        assert_eq!(check_statement(s, &p).unwrap_err().expectation, what);
    };
    let mut p = policy();
    p.artifact_digests = vec![("sha256".into(), "0".repeat(64))];
    expect(p, &stmt, "subject");
    let mut p = policy();
    p.artifact_digests = vec![(
        "sha512".into(),
        "717a1ee89f0a2829cf5aad57054c83615675b04baa913bdc19999d7519edf3f2".into(),
    )];
    expect(p, &stmt, "subject");
    let mut p = policy();
    p.predicate_type = "https://slsa.dev/provenance/v0.2".into();
    expect(p, &stmt, "predicate_type");
    expect(
        ProvenancePolicy {
            build_types: vec!["x".into()],
            ..policy()
        },
        &stmt,
        "build_type",
    );
    expect(
        ProvenancePolicy {
            source_uri: "http://gdk.test:3000/root/other".into(),
            ..policy()
        },
        &stmt,
        "source_uri",
    );
    expect(
        ProvenancePolicy {
            builder_ids: vec!["http://evil/runners/1".into()],
            ..policy()
        },
        &stmt,
        "builder_id",
    );
    expect(
        ProvenancePolicy {
            commit: Some("b".repeat(40)),
            ..policy()
        },
        &stmt,
        "commit",
    );
    check_statement(
        &stmt,
        &ProvenancePolicy {
            commit: Some("a288201509dd9a85da4141e07522bad412938dbe".into()),
            ..policy()
        },
    )
    .unwrap();
    expect(
        ProvenancePolicy {
            source_ref: Some("main".into()),
            ..policy()
        },
        &stmt,
        "source_ref",
    );

    // Tampered statements.
    let mut s = stmt.clone();
    s["_type"] = json!("https://in-toto.io/Statement/v0.1");
    expect(policy(), &s, "statement");
    let mut s = stmt.clone();
    s["predicate"]["buildDefinition"]["resolvedDependencies"][0]["uri"] =
        json!("http://gdk.test:3000/root/fork");
    expect(policy(), &s, "source_uri");
    let mut s = stmt.clone();
    s["predicate"]["buildDefinition"]["externalParameters"]["variables"]["CI_COMMIT_REF_NAME"] =
        json!("main");
    check_statement(
        &s,
        &ProvenancePolicy {
            source_ref: Some("main".into()),
            ..policy()
        },
    )
    .unwrap();
    expect(
        ProvenancePolicy {
            source_ref: Some("refs/heads/main".into()),
            ..policy()
        },
        &s,
        "source_ref",
    );
    s["predicate"]["buildDefinition"]["externalParameters"]["variables"]["CI_COMMIT_BRANCH"] =
        json!("main");
    check_statement(
        &s,
        &ProvenancePolicy {
            source_ref: Some("refs/heads/main".into()),
            ..policy()
        },
    )
    .unwrap();
    expect(policy(), &json!([]), "statement");
    expect(
        policy(),
        &json!({"_type": "https://in-toto.io/Statement/v1"}),
        "statement",
    );
    // A source given without a scheme means https.
    let mut s = stmt.clone();
    s["predicate"]["buildDefinition"]["externalParameters"]["source"] =
        json!("https://gitlab.com/g/p");
    s["predicate"]["buildDefinition"]["resolvedDependencies"][0]["uri"] =
        json!("https://gitlab.com/g/p");
    check_statement(
        &s,
        &ProvenancePolicy {
            source_uri: "gitlab.com/g/p".into(),
            ..policy()
        },
    )
    .unwrap();
}

#[test]
fn file_digests_stream_and_respect_the_limit() {
    let dir = std::env::temp_dir().join(format!("pg-digest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("a.bin");
    std::fs::write(&path, vec![7u8; 1_000_003]).unwrap();
    let out = digest_file(
        &path,
        &[DigestAlg::Sha256, DigestAlg::Sha512],
        MAX_ARTIFACT_BYTES,
    )
    .unwrap();
    let mut d = Digester::new(&[DigestAlg::Sha256, DigestAlg::Sha512], MAX_ARTIFACT_BYTES).unwrap();
    for chunk in vec![7u8; 1_000_003].chunks(4099) {
        d.update(chunk).unwrap();
    }
    assert_eq!(d.finish(), out);
    assert!(digest_file(&path, &[DigestAlg::Sha256], 1_000_002).is_err());
    assert!(digest_file(&path, &[DigestAlg::Sha256], 1_000_003).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}
