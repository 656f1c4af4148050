//! Which secrets a CI job may read, from its ID token claims.
//!
//! GitLab's pipeline CEL role (`pipeline_auth_cel_program`) validates the
//! token and assigns `pipelines/global`, `pipelines/env/<hex(environment)>`,
//! `pipelines/branch/<hex(ref)>` (only when `ref_type` is `branch`) and
//! `pipelines/combined/env/<hex>/branch/<hex>`; a secret is in exactly one of
//! those policies. [`pipeline_secrets`] computes the same answer locally and
//! extends it with wildcard scopes (see [`Scope`]) and protected secrets
//! (readable only when the `ref_protected` claim is `"true"`).

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use serde_json::{Map, Value};

use super::scope::scope_matches;
use super::{hex, Scope, Secret, SecretsError};

/// The claims of a pipeline ID token that decide secret access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineClaims {
    /// `project_id`, as a string (CEL `string(claims['project_id'])`).
    pub project_id: String,
    /// `environment`, if non-empty.
    pub environment: Option<String>,
    /// `ref`, if non-empty.
    pub git_ref: Option<String>,
    /// `ref_type` (`branch` or `tag`), if non-empty.
    pub ref_type: Option<String>,
    /// `ref_protected == "true"`.
    pub ref_protected: bool,
}

fn claim_string(claims: &Map<String, Value>, key: &'static str) -> Result<String, SecretsError> {
    match claims.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(Value::Bool(b)) => Ok(b.to_string()),
        Some(_) => Err(SecretsError::ClaimType(key)),
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

impl PipelineClaims {
    /// Validates claims as the project pipeline CEL role does (except the
    /// audience, which the JWT verifier checks) and extracts the scoping
    /// claims. Errors carry the CEL program's messages. With
    /// `expected_project_id`, the token must be for that project.
    pub fn from_claims(
        claims: &Map<String, Value>,
        expected_project_id: Option<u64>,
    ) -> Result<Self, SecretsError> {
        let sub = claim_string(claims, "sub")?;
        if sub.is_empty() {
            return Err(SecretsError::PipelineAuth("missing subject"));
        }
        if !sub.starts_with("project_path:") {
            return Err(SecretsError::PipelineAuth(
                "invalid subject for pipeline authentication",
            ));
        }
        let scope = claim_string(claims, "secrets_manager_scope")?;
        if scope.is_empty() {
            return Err(SecretsError::PipelineAuth("missing secrets_manager_scope"));
        }
        if scope != "pipeline" {
            return Err(SecretsError::PipelineAuth("invalid secrets_manager_scope"));
        }
        let project_id = claim_string(claims, "project_id")?;
        if project_id.is_empty() {
            return Err(SecretsError::PipelineAuth("missing project_id"));
        }
        if expected_project_id.is_some_and(|id| id.to_string() != project_id) {
            return Err(SecretsError::PipelineAuth(
                "token project_id does not match project",
            ));
        }
        if claim_string(claims, "user_id")?.is_empty() {
            return Err(SecretsError::PipelineAuth("missing user_id"));
        }
        Ok(Self {
            project_id,
            environment: non_empty(claim_string(claims, "environment")?),
            git_ref: non_empty(claim_string(claims, "ref")?),
            ref_type: non_empty(claim_string(claims, "ref_type")?),
            ref_protected: claim_string(claims, "ref_protected")? == "true",
        })
    }

    /// The ref, only when it names a branch: branch scopes never match tags.
    fn branch(&self) -> Option<&str> {
        match self.ref_type.as_deref() {
            Some("branch") => self.git_ref.as_deref(),
            _ => None,
        }
    }
}

/// The policies GitLab's project pipeline CEL role assigns for these claims.
pub fn project_pipeline_policy_names(claims: &PipelineClaims) -> Vec<String> {
    let mut names = vec!["pipelines/global".to_owned()];
    if let Some(env) = &claims.environment {
        names.push(format!("pipelines/env/{}", hex(env)));
    }
    if let Some(branch) = claims.branch() {
        names.push(format!("pipelines/branch/{}", hex(branch)));
        if let Some(env) = &claims.environment {
            names.push(format!(
                "pipelines/combined/env/{}/branch/{}",
                hex(env),
                hex(branch)
            ));
        }
    }
    names
}

/// The policies GitLab's group pipeline CEL role assigns, in its order:
/// `pipelines/combined/{protected|unprotected}/global` and, with an
/// environment, `.../env/<hex>`; a protected job also gets the unprotected
/// level of each (it reads the protected AND the unprotected secrets).
pub fn group_pipeline_policy_names(claims: &PipelineClaims) -> Vec<String> {
    let level = if claims.ref_protected {
        "protected"
    } else {
        "unprotected"
    };
    let mut names = vec![format!("pipelines/combined/{level}/global")];
    if claims.ref_protected {
        names.push("pipelines/combined/unprotected/global".to_owned());
    }
    if let Some(env) = &claims.environment {
        let env = hex(env);
        names.push(format!("pipelines/combined/{level}/env/{env}"));
        if claims.ref_protected {
            names.push(format!("pipelines/combined/unprotected/env/{env}"));
        }
    }
    names
}

/// A secret with compiled scopes.
#[derive(Debug, Clone)]
struct CompiledSecret {
    environment: Scope,
    branch: Scope,
    protected: bool,
}

impl CompiledSecret {
    fn new(secret: &Secret) -> Result<Self, SecretsError> {
        let (environment, branch) = secret.validate()?;
        Ok(Self {
            environment,
            branch,
            protected: secret.protected,
        })
    }

    fn readable_by(&self, claims: &PipelineClaims) -> bool {
        (!self.protected || claims.ref_protected)
            && self.environment.matches(claims.environment.as_deref())
            && self.branch.matches(claims.branch())
    }
}

/// Secrets indexed for pipeline look-ups: secrets scoped to one exact
/// environment sit in a hash map keyed by it; `*` and glob environments are
/// kept in small lists. A look-up therefore touches only the secrets that can
/// match, not all of them.
#[derive(Debug, Clone, Default)]
pub struct SecretIndex {
    secrets: HashMap<String, CompiledSecret>,
    any_env: BTreeSet<String>,
    exact_env: HashMap<String, BTreeSet<String>>,
    glob_env: BTreeSet<String>,
}

impl SecretIndex {
    /// Builds an index; fails on the first invalid secret and on a name
    /// that appears twice.
    pub fn new(secrets: &[Secret]) -> Result<Self, SecretsError> {
        let mut index = Self::default();
        for secret in secrets {
            if index.secrets.contains_key(&secret.name) {
                return Err(SecretsError::DuplicateSecretName(secret.name.clone()));
            }
            index.insert(secret)?;
        }
        Ok(index)
    }

    /// Adds or replaces a secret.
    pub fn insert(&mut self, secret: &Secret) -> Result<(), SecretsError> {
        let compiled = CompiledSecret::new(secret)?;
        self.remove(&secret.name);
        match &compiled.environment {
            Scope::Any => {
                self.any_env.insert(secret.name.clone());
            }
            Scope::Exact(env) => {
                self.exact_env
                    .entry(env.clone())
                    .or_default()
                    .insert(secret.name.clone());
            }
            Scope::Glob(_) => {
                self.glob_env.insert(secret.name.clone());
            }
        }
        self.secrets.insert(secret.name.clone(), compiled);
        Ok(())
    }

    /// Removes a secret; returns whether it was present.
    pub fn remove(&mut self, name: &str) -> bool {
        let Some(old) = self.secrets.remove(name) else {
            return false;
        };
        match &old.environment {
            Scope::Any => {
                self.any_env.remove(name);
            }
            Scope::Exact(env) => {
                if let Some(names) = self.exact_env.get_mut(env) {
                    names.remove(name);
                    if names.is_empty() {
                        self.exact_env.remove(env);
                    }
                }
            }
            Scope::Glob(_) => {
                self.glob_env.remove(name);
            }
        }
        true
    }

    /// Whether a secret of that name is indexed.
    pub fn contains(&self, name: &str) -> bool {
        self.secrets.contains_key(name)
    }

    /// Number of secrets.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// Names of the secrets the job may read, sorted.
    pub fn readable(&self, claims: &PipelineClaims) -> Vec<String> {
        let exact = claims
            .environment
            .as_deref()
            .and_then(|env| self.exact_env.get(env));
        let mut out: Vec<String> = self
            .any_env
            .iter()
            .chain(exact.into_iter().flatten())
            .chain(self.glob_env.iter())
            .filter(|name| {
                self.secrets
                    .get(name.as_str())
                    .is_some_and(|s| s.readable_by(claims))
            })
            .cloned()
            .collect();
        out.sort_unstable();
        out
    }
}

/// Which of `secrets` a job with these ID token claims may read (sorted
/// names). The claims are validated like GitLab's pipeline CEL role; pass
/// `expected_project_id` to also require the token's project.
pub fn pipeline_secrets(
    secrets: &[Secret],
    claims: &Map<String, Value>,
    expected_project_id: Option<u64>,
) -> Result<Vec<String>, SecretsError> {
    let refs: Vec<&Secret> = secrets.iter().collect();
    pipeline_secrets_refs(&refs, claims, expected_project_id)
}

/// [`pipeline_secrets`] over borrowed secrets. Scopes are matched as
/// written, without compiling or allocating per secret.
pub fn pipeline_secrets_refs(
    secrets: &[&Secret],
    claims: &Map<String, Value>,
    expected_project_id: Option<u64>,
) -> Result<Vec<String>, SecretsError> {
    let claims = PipelineClaims::from_claims(claims, expected_project_id)?;
    let (environment, branch) = (claims.environment.as_deref(), claims.branch());
    let mut names = std::collections::HashSet::with_capacity(secrets.len());
    let mut out = Vec::new();
    for secret in secrets {
        secret.check()?;
        if !names.insert(secret.name.as_str()) {
            return Err(SecretsError::DuplicateSecretName(secret.name.clone()));
        }
        if (!secret.protected || claims.ref_protected)
            && scope_matches(&secret.environment, environment)
            && scope_matches(&secret.branch, branch)
        {
            out.push(secret.name.clone());
        }
    }
    out.sort_unstable();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(extra: Value) -> Map<String, Value> {
        let mut base = json!({
            "sub": "project_path:g/p:ref_type:branch:ref:main",
            "secrets_manager_scope": "pipeline",
            "project_id": 42,
            "user_id": "1",
        });
        if let (Some(base_map), Value::Object(extra)) = (base.as_object_mut(), extra) {
            base_map.extend(extra);
        }
        match base {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn secrets() -> Vec<Secret> {
        vec![
            Secret::new("GLOBAL"),
            Secret::new("PROD").scoped("production", "*"),
            Secret::new("MAIN").scoped("*", "main"),
            Secret::new("PROD_MAIN").scoped("production", "main"),
            Secret::new("REVIEW").scoped("review/*", "*"),
            Secret::new("RELEASE").scoped("*", "release/*"),
            Secret::new("PROTECTED").protected(true),
        ]
    }

    #[test]
    fn branch_job_in_production() {
        let c = claims(json!({"environment": "production", "ref": "main", "ref_type": "branch"}));
        let got = pipeline_secrets(&secrets(), &c, Some(42)).unwrap();
        assert_eq!(got, ["GLOBAL", "MAIN", "PROD", "PROD_MAIN"]);
        let parsed = PipelineClaims::from_claims(&c, None).unwrap();
        assert_eq!(
            project_pipeline_policy_names(&parsed),
            [
                "pipelines/global",
                "pipelines/env/70726f64756374696f6e",
                "pipelines/branch/6d61696e",
                "pipelines/combined/env/70726f64756374696f6e/branch/6d61696e"
            ]
        );
    }

    #[test]
    fn a_name_listed_twice_is_refused_not_guessed() {
        // One entry would allow the job and the other not: OpenBao holds one
        // value per name, so the list itself is wrong.
        let list = vec![
            Secret::new("DB").scoped("production", "*"),
            Secret::new("DB").scoped("staging", "*"),
        ];
        let c = claims(json!({"environment": "staging", "ref": "main", "ref_type": "branch"}));
        let dup = Err(SecretsError::DuplicateSecretName("DB".into()));
        assert_eq!(pipeline_secrets(&list, &c, None), dup);
        assert_eq!(
            SecretIndex::new(&list).map(|_| ()),
            dup.map(|_: Vec<String>| ())
        );
    }

    #[test]
    fn tags_do_not_match_branch_scopes() {
        let c = claims(json!({"environment": "production", "ref": "main", "ref_type": "tag"}));
        let got = pipeline_secrets(&secrets(), &c, None).unwrap();
        assert_eq!(got, ["GLOBAL", "PROD"]);
        let parsed = PipelineClaims::from_claims(&c, None).unwrap();
        assert_eq!(project_pipeline_policy_names(&parsed).len(), 2);
    }

    #[test]
    fn wildcards_and_protection() {
        let c = claims(
            json!({"environment": "review/feature/x", "ref": "release/1.0", "ref_type": "branch", "ref_protected": "true"}),
        );
        let got = pipeline_secrets(&secrets(), &c, None).unwrap();
        assert_eq!(got, ["GLOBAL", "PROTECTED", "RELEASE", "REVIEW"]);
        let index = SecretIndex::new(&secrets()).unwrap();
        let parsed = PipelineClaims::from_claims(&c, None).unwrap();
        assert_eq!(index.readable(&parsed), got);
        let c = claims(json!({"ref_protected": true}));
        assert_eq!(
            pipeline_secrets(&secrets(), &c, None).unwrap(),
            ["GLOBAL", "PROTECTED"]
        );
        let c = claims(json!({"ref_protected": "false"}));
        assert_eq!(pipeline_secrets(&secrets(), &c, None).unwrap(), ["GLOBAL"]);
    }

    #[test]
    fn claims_are_validated_like_gitlab() {
        let cases = [
            (json!({"sub": ""}), "missing subject"),
            (
                json!({"sub": "user:1"}),
                "invalid subject for pipeline authentication",
            ),
            (
                json!({"secrets_manager_scope": "user"}),
                "invalid secrets_manager_scope",
            ),
            (json!({"project_id": null}), "missing project_id"),
            (
                json!({"project_id": 41}),
                "token project_id does not match project",
            ),
            (json!({"user_id": ""}), "missing user_id"),
        ];
        for (extra, message) in cases {
            let err = pipeline_secrets(&secrets(), &claims(extra), Some(42)).unwrap_err();
            assert_eq!(err.to_string(), message);
        }
        let err =
            pipeline_secrets(&secrets(), &claims(json!({"environment": ["x"]})), None).unwrap_err();
        assert_eq!(err, SecretsError::ClaimType("environment"));
    }

    #[test]
    fn group_policy_names() {
        let c = PipelineClaims::from_claims(
            &claims(json!({"environment": "prod", "ref_protected": "true"})),
            None,
        )
        .unwrap();
        assert_eq!(
            group_pipeline_policy_names(&c),
            [
                "pipelines/combined/protected/global",
                "pipelines/combined/unprotected/global",
                "pipelines/combined/protected/env/70726f64",
                "pipelines/combined/unprotected/env/70726f64"
            ]
        );
        let unprotected =
            PipelineClaims::from_claims(&claims(json!({"environment": "prod"})), None).unwrap();
        assert_eq!(
            group_pipeline_policy_names(&unprotected),
            [
                "pipelines/combined/unprotected/global",
                "pipelines/combined/unprotected/env/70726f64"
            ]
        );
    }

    #[test]
    fn index_updates() {
        let mut index = SecretIndex::new(&secrets()).unwrap();
        let c = PipelineClaims::from_claims(&claims(json!({"environment": "production"})), None)
            .unwrap();
        assert_eq!(index.readable(&c), ["GLOBAL", "PROD"]);
        index
            .insert(&Secret::new("PROD").scoped("staging", "*"))
            .unwrap();
        assert_eq!(index.readable(&c), ["GLOBAL"]);
        assert!(index.remove("GLOBAL"));
        assert!(!index.remove("GLOBAL"));
        assert!(index.readable(&c).is_empty());
        assert_eq!(index.len(), 6);
        assert!(index.insert(&Secret::new("bad-name")).is_err());
    }
}
