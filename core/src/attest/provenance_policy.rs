//! Checking a SLSA provenance statement against what a consumer expects,
//! in the spirit of slsa-verifier and `glab attestation verify`: the
//! artifact is a subject, the predicate and build types are the expected
//! ones, the source (and optionally its ref and commit) match, and the
//! builder is trusted. The statement must already be authenticated (a
//! verified DSSE envelope or Sigstore bundle); this only reads it.
//!
//! Every failure names the expectation that failed.

use serde_json::Value;

use super::provenance::{GITLAB_BUILD_TYPE, SLSA_PROVENANCE_V1, STATEMENT_TYPE};

/// What the statement must say.
#[derive(Debug, Clone)]
pub struct ProvenancePolicy {
    /// `(algorithm, lowercase hex)` of the artifact; a subject matches when
    /// it carries one of these algorithms with the same value.
    pub artifact_digests: Vec<(String, String)>,
    /// Expected `predicateType`.
    pub predicate_type: String,
    /// Accepted `buildType`s.
    pub build_types: Vec<String>,
    /// Expected source: `externalParameters.source` and a resolved
    /// dependency's `uri`. Without a scheme, `https://` is assumed.
    pub source_uri: String,
    /// Expected ref: a branch or tag name, or `refs/heads/..`,
    /// `refs/tags/..`, matched against the CI_COMMIT_* variables.
    pub source_ref: Option<String>,
    /// Expected commit (the dependency's `gitCommit`).
    pub commit: Option<String>,
    /// Trusted `runDetails.builder.id`s (at least one).
    pub builder_ids: Vec<String>,
}

impl ProvenancePolicy {
    /// A policy with GitLab's predicate and build types.
    pub fn gitlab(
        artifact_digests: Vec<(String, String)>,
        source_uri: impl Into<String>,
        builder_ids: Vec<String>,
    ) -> Self {
        ProvenancePolicy {
            artifact_digests,
            predicate_type: SLSA_PROVENANCE_V1.to_owned(),
            build_types: vec![GITLAB_BUILD_TYPE.to_owned()],
            source_uri: source_uri.into(),
            source_ref: None,
            commit: None,
            builder_ids,
        }
    }
}

/// The expectation a statement failed, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PolicyFailure {
    /// `statement`, `subject`, `predicate_type`, `build_type`, `source_uri`,
    /// `source_ref`, `commit` or `builder_id`.
    pub expectation: &'static str,
    /// What was expected and what was found.
    pub message: String,
}

fn fail(expectation: &'static str, message: impl Into<String>) -> PolicyFailure {
    PolicyFailure {
        expectation,
        message: message.into(),
    }
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

fn same_source(expected: &str, found: &str) -> bool {
    let norm = |s: &str| -> String {
        let s = s.trim_end_matches('/');
        if s.contains("://") {
            s.to_owned()
        } else {
            format!("https://{s}")
        }
    };
    norm(expected) == norm(found)
}

/// Checks `statement` (parsed JSON) against `policy`.
pub fn check_statement(statement: &Value, policy: &ProvenancePolicy) -> Result<(), PolicyFailure> {
    if policy.artifact_digests.is_empty() {
        return Err(fail("subject", "no artifact digest to look for"));
    }
    if policy.builder_ids.is_empty() {
        return Err(fail("builder_id", "no trusted builder given"));
    }
    if str_at(statement, "/_type") != Some(STATEMENT_TYPE) {
        return Err(fail(
            "statement",
            format!("not an in-toto Statement v1 (_type must be {STATEMENT_TYPE:?})"),
        ));
    }

    // Subject.
    let subjects = statement
        .get("subject")
        .and_then(Value::as_array)
        .ok_or_else(|| fail("statement", "statement has no subject list"))?;
    let matches = subjects.iter().any(|s| {
        policy.artifact_digests.iter().any(|(alg, hex)| {
            s.get("digest")
                .and_then(|d| d.get(alg))
                .and_then(Value::as_str)
                .is_some_and(|found| found.eq_ignore_ascii_case(hex))
        })
    });
    if !matches {
        let wanted: Vec<String> = policy
            .artifact_digests
            .iter()
            .map(|(a, h)| format!("{a}:{h}"))
            .collect();
        return Err(fail(
            "subject",
            format!(
                "no subject of the statement has the artifact's digest ({})",
                wanted.join(", ")
            ),
        ));
    }

    // Types.
    let predicate_type = str_at(statement, "/predicateType").unwrap_or_default();
    if predicate_type != policy.predicate_type {
        return Err(fail(
            "predicate_type",
            format!(
                "predicateType is {predicate_type:?}, expected {:?}",
                policy.predicate_type
            ),
        ));
    }
    let build_type = str_at(statement, "/predicate/buildDefinition/buildType").unwrap_or_default();
    if !policy.build_types.iter().any(|t| t == build_type) {
        return Err(fail(
            "build_type",
            format!(
                "buildType is {build_type:?}, expected one of {:?}",
                policy.build_types
            ),
        ));
    }

    // Source.
    let source = str_at(
        statement,
        "/predicate/buildDefinition/externalParameters/source",
    )
    .unwrap_or_default();
    if !same_source(&policy.source_uri, source) {
        return Err(fail(
            "source_uri",
            format!("source is {source:?}, expected {:?}", policy.source_uri),
        ));
    }
    let deps = statement
        .pointer("/predicate/buildDefinition/resolvedDependencies")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let source_dep = deps.iter().find(|d| {
        d.get("uri")
            .and_then(Value::as_str)
            .is_some_and(|u| same_source(&policy.source_uri, u))
    });
    let Some(source_dep) = source_dep else {
        return Err(fail(
            "source_uri",
            format!(
                "no resolved dependency is the source {:?}",
                policy.source_uri
            ),
        ));
    };
    if let Some(commit) = &policy.commit {
        let found = str_at(source_dep, "/digest/gitCommit").unwrap_or_default();
        if !found.eq_ignore_ascii_case(commit) {
            return Err(fail(
                "commit",
                format!("source commit is {found:?}, expected {commit:?}"),
            ));
        }
    }
    if let Some(wanted) = &policy.source_ref {
        let vars = statement.pointer("/predicate/buildDefinition/externalParameters/variables");
        let var = |name: &str| vars.and_then(|v| v.get(name)).and_then(Value::as_str);
        let ok = if let Some(branch) = wanted.strip_prefix("refs/heads/") {
            var("CI_COMMIT_BRANCH") == Some(branch)
        } else if let Some(tag) = wanted.strip_prefix("refs/tags/") {
            var("CI_COMMIT_TAG") == Some(tag)
        } else {
            var("CI_COMMIT_REF_NAME") == Some(wanted.as_str())
        };
        if !ok {
            return Err(fail(
                "source_ref",
                format!(
                    "source ref is {:?}, expected {wanted:?}",
                    var("CI_COMMIT_REF_NAME").unwrap_or("(none)")
                ),
            ));
        }
    }

    // Builder.
    let builder = str_at(statement, "/predicate/runDetails/builder/id").unwrap_or_default();
    if !policy.builder_ids.iter().any(|b| b == builder) {
        return Err(fail(
            "builder_id",
            format!(
                "builder is {builder:?}, not a trusted builder {:?}",
                policy.builder_ids
            ),
        ));
    }
    Ok(())
}
