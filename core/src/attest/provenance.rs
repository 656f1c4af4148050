//! In-toto Statement v1 with a SLSA provenance v1 predicate, in the shape
//! GitLab builds for a CI job (app/models/ci/slsa/provenance_statement.rb
//! and doc/ci/pipeline_security/slsa/provenance_v1.md in gitlab-org/gitlab):
//! the same members in the same order, so a statement built from a job's
//! facts serializes exactly as GitLab's does.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::digest::DigestAlg;
use crate::rfc3339::{self, Profile};

/// in-toto Statement v1 `_type`.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// SLSA provenance v1 `predicateType`.
pub const SLSA_PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";
/// The `buildType` GitLab writes today (its code carries this URL until
/// the buildType page is published under a stable address).
pub const GITLAB_BUILD_TYPE: &str = "https://gitlab.com/gitlab-org/gitlab/-/issues/546150";
/// What masked and hidden variables read as.
pub const MASKED: &str = "[MASKED]";

/// Facts about one finished CI job, as GitLab has them. Unknown members
/// are refused (a misspelt fact must not silently vanish).
#[derive(Debug, Clone, Default)]
pub struct JobFacts {
    /// The attested artifacts: name and digests (at least one).
    pub subjects: Vec<SubjectFact>,
    /// `buildType`; defaults to [`GITLAB_BUILD_TYPE`].
    pub build_type: Option<String>,
    /// The project URL (`externalParameters.source`, the dependency `uri`).
    pub source: String,
    /// The job name (`externalParameters.entryPoint`).
    pub entry_point: String,
    /// The job's variables, in order: `{name => value}` (all visible) or
    /// `[{key, value, masked, hidden}]`.
    pub variables: Option<Variables>,
    /// Runner display name (`internalParameters.name`).
    pub runner_name: String,
    /// Runner executor (`internalParameters.executor`).
    pub executor: String,
    /// Runner architecture (`internalParameters.architecture`).
    pub architecture: String,
    /// The job id (`internalParameters.job`, `metadata.invocationId`).
    pub job_id: u64,
    /// The commit built (`resolvedDependencies[0].digest.gitCommit`).
    pub commit_sha: String,
    /// The runner's URL (`runDetails.builder.id`).
    pub builder_id: String,
    /// The runner's revision (`builder.version["gitlab-runner"]`).
    pub runner_version: String,
    /// RFC 3339 UTC (`...Z`), or null as GitLab writes for a job without one.
    pub started_at: Option<String>,
    /// RFC 3339 UTC (`...Z`), or null.
    pub finished_at: Option<String>,
}

/// One subject: a name and its digests (`{"sha256": hex, ...}`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectFact {
    pub name: String,
    pub digest: Map<String, Value>,
}

/// CI variables, either form.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Variables {
    /// `{name => value}`: all visible.
    Plain(Map<String, Value>),
    /// `[{key, value, masked, hidden}]`.
    Listed(Vec<Variable>),
}

/// One CI variable; masked or hidden values are written as `[MASKED]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub key: String,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub masked: bool,
    #[serde(default)]
    pub hidden: bool,
}

/// Job facts that cannot make a statement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid provenance facts: {0}")]
pub struct ProvenanceError(pub String);

fn invalid(msg: impl Into<String>) -> ProvenanceError {
    ProvenanceError(msg.into())
}

/// Parses job facts from a JSON object; errors name the member.
pub fn facts_from_value(value: Value) -> Result<JobFacts, ProvenanceError> {
    let Value::Object(map) = value else {
        return Err(invalid("job facts must be an object"));
    };
    fn take<T: serde::de::DeserializeOwned>(key: &str, v: Value) -> Result<T, ProvenanceError> {
        serde_json::from_value(v).map_err(|e| invalid(format!("{key}: {e}")))
    }
    let mut f = JobFacts::default();
    let mut seen: Vec<String> = Vec::new();
    for (key, v) in map {
        match key.as_str() {
            "subjects" => f.subjects = take(&key, v)?,
            "build_type" => f.build_type = take(&key, v)?,
            "source" => f.source = take(&key, v)?,
            "entry_point" => f.entry_point = take(&key, v)?,
            "variables" => f.variables = take(&key, v)?,
            "runner_name" => f.runner_name = take(&key, v)?,
            "executor" => f.executor = take(&key, v)?,
            "architecture" => f.architecture = take(&key, v)?,
            "job_id" => f.job_id = take(&key, v)?,
            "commit_sha" => f.commit_sha = take(&key, v)?,
            "builder_id" => f.builder_id = take(&key, v)?,
            "runner_version" => f.runner_version = take(&key, v)?,
            "started_at" => f.started_at = take(&key, v)?,
            "finished_at" => f.finished_at = take(&key, v)?,
            _ => return Err(invalid(format!("unknown field {key:?}"))),
        }
        seen.push(key);
    }
    for required in [
        "subjects",
        "source",
        "entry_point",
        "runner_name",
        "executor",
        "architecture",
        "job_id",
        "commit_sha",
        "builder_id",
        "runner_version",
    ] {
        if !seen.iter().any(|k| k == required) {
            return Err(invalid(format!("missing field {required:?}")));
        }
    }
    Ok(f)
}

fn non_empty(what: &str, value: &str) -> Result<(), ProvenanceError> {
    if value.is_empty() {
        return Err(invalid(format!("{what} must not be empty")));
    }
    Ok(())
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A subject digest set: known algorithms with lowercase hex of the right
/// length; other algorithm names (in-toto allows many) must be non-empty
/// strings.
fn check_digests(name: &str, digest: &Map<String, Value>) -> Result<(), ProvenanceError> {
    if digest.is_empty() {
        return Err(invalid(format!("subject {name:?} has no digest")));
    }
    for (alg, value) in digest {
        let Some(hex) = value.as_str() else {
            return Err(invalid(format!(
                "subject {name:?} digest {alg} must be a string"
            )));
        };
        let ok = match DigestAlg::from_name(alg) {
            Some(known) => is_lower_hex(hex, known.byte_len() * 2),
            None => !alg.is_empty() && !hex.is_empty(),
        };
        if !ok {
            return Err(invalid(format!(
                "subject {name:?} digest {alg} is not valid lowercase hex"
            )));
        }
    }
    Ok(())
}

fn check_time(what: &str, value: &Option<String>) -> Result<Value, ProvenanceError> {
    match value {
        None => Ok(Value::Null),
        Some(t) if t.ends_with('Z') && rfc3339::parse(t, Profile::GoRfc3339).is_some() => {
            Ok(Value::String(t.clone()))
        }
        Some(t) => Err(invalid(format!(
            "{what} must be an RFC 3339 UTC timestamp ending in Z, got {t:?}"
        ))),
    }
}

fn variables(facts: &JobFacts) -> Result<Map<String, Value>, ProvenanceError> {
    let mut out = Map::new();
    match &facts.variables {
        None => {}
        Some(Variables::Plain(map)) => {
            for (k, v) in map {
                if !v.is_string() {
                    return Err(invalid(format!("variable {k:?} must have a string value")));
                }
                out.insert(k.clone(), v.clone());
            }
        }
        Some(Variables::Listed(list)) => {
            for var in list {
                non_empty("variable key", &var.key)?;
                let value = if var.masked || var.hidden {
                    Value::String(MASKED.to_owned())
                } else {
                    match &var.value {
                        Some(v) => Value::String(v.clone()),
                        None => {
                            return Err(invalid(format!("variable {:?} has no value", var.key)))
                        }
                    }
                };
                out.insert(var.key.clone(), value);
            }
        }
    }
    Ok(out)
}

fn object(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// Builds the statement, members in GitLab's order.
pub fn build_statement(facts: &JobFacts) -> Result<Value, ProvenanceError> {
    if facts.subjects.is_empty() {
        return Err(invalid("at least one subject is required"));
    }
    for (what, value) in [
        ("source", &facts.source),
        ("entry_point", &facts.entry_point),
        ("builder_id", &facts.builder_id),
    ] {
        non_empty(what, value)?;
    }
    if !(is_lower_hex(&facts.commit_sha, 40) || is_lower_hex(&facts.commit_sha, 64)) {
        return Err(invalid(
            "commit_sha must be 40 (SHA-1) or 64 (SHA-256) lowercase hex digits",
        ));
    }
    let subjects = facts
        .subjects
        .iter()
        .map(|s| {
            non_empty("subject name", &s.name)?;
            check_digests(&s.name, &s.digest)?;
            Ok(object(vec![
                ("name", Value::String(s.name.clone())),
                ("digest", Value::Object(s.digest.clone())),
            ]))
        })
        .collect::<Result<Vec<_>, ProvenanceError>>()?;
    let build_type = facts.build_type.as_deref().unwrap_or(GITLAB_BUILD_TYPE);
    non_empty("build_type", build_type)?;
    let started = check_time("started_at", &facts.started_at)?;
    let finished = check_time("finished_at", &facts.finished_at)?;

    let build_definition = object(vec![
        ("buildType", Value::String(build_type.to_owned())),
        (
            "externalParameters",
            object(vec![
                ("source", Value::String(facts.source.clone())),
                ("entryPoint", Value::String(facts.entry_point.clone())),
                ("variables", Value::Object(variables(facts)?)),
            ]),
        ),
        (
            "internalParameters",
            object(vec![
                ("architecture", Value::String(facts.architecture.clone())),
                ("executor", Value::String(facts.executor.clone())),
                ("job", Value::from(facts.job_id)),
                ("name", Value::String(facts.runner_name.clone())),
            ]),
        ),
        (
            "resolvedDependencies",
            Value::Array(vec![object(vec![
                ("uri", Value::String(facts.source.clone())),
                (
                    "digest",
                    object(vec![("gitCommit", Value::String(facts.commit_sha.clone()))]),
                ),
            ])]),
        ),
    ]);
    let run_details = object(vec![
        (
            "builder",
            object(vec![
                ("id", Value::String(facts.builder_id.clone())),
                (
                    "version",
                    object(vec![(
                        "gitlab-runner",
                        Value::String(facts.runner_version.clone()),
                    )]),
                ),
            ]),
        ),
        (
            "metadata",
            object(vec![
                ("invocationId", Value::from(facts.job_id)),
                ("startedOn", started),
                ("finishedOn", finished),
            ]),
        ),
    ]);
    Ok(object(vec![
        ("_type", Value::String(STATEMENT_TYPE.to_owned())),
        ("subject", Value::Array(subjects)),
        (
            "predicateType",
            Value::String(SLSA_PROVENANCE_V1.to_owned()),
        ),
        (
            "predicate",
            object(vec![
                ("buildDefinition", build_definition),
                ("runDetails", run_details),
            ]),
        ),
    ]))
}
