//! GitLab CI ID-token claims (`id_tokens:` in `.gitlab-ci.yml`), built from
//! plain job data so a [`Signer`](super::Signer) can mint them.
//!
//! Follows GitLab's `Gitlab::Ci::JwtV2` (on top of `Gitlab::Ci::Jwt` and
//! `JSONWebToken::UserProjectTokenClaims`): ids are strings except
//! `runner_id`, `ref_protected`/`environment_protected` are the strings
//! "true"/"false", `nbf = iat - 5`, `exp = iat + ttl` (300 s by default),
//! `sub = "project_path:<path>:ref_type:<type>:ref:<ref>"`.
//!
//! Deviations from GitLab:
//! - `ref_path` is derived (`refs/heads/<ref>` or `refs/tags/<ref>`) unless
//!   given; GitLab takes the pipeline's own (merge-request refs differ).
//! - The `job_namespace_*`/`job_project_*` fork claims, `groups_direct`,
//!   `target_audience` and the Sigstore `ci_config_*`/`build_*` claims beyond
//!   `ci_config_ref_uri`/`ci_config_sha` are not produced.
//! - `secrets_manager_scope` and `project_group_ids` are secrets-manager
//!   claims added here for OpenBao role binding.
//! - Optional fields that are `None` are left out instead of `null`.

use serde_json::{Map, Value};

use super::error::JwtError;

/// Default token lifetime in seconds (GitLab's `DEFAULT_EXPIRE_TIME`).
pub const DEFAULT_TTL_SECONDS: i64 = 300;
/// How far `nbf` lies before `iat` (GitLab's `NOT_BEFORE_TIME`).
pub const NOT_BEFORE_SECONDS: i64 = 5;

/// A `(provider, extern_uid)` pair in `user_identities`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserIdentity {
    pub provider: String,
    pub extern_uid: String,
}

/// The deployment environment of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobEnvironment {
    pub name: String,
    pub protected: bool,
    /// start, prepare, stop, verify, access.
    pub action: String,
    /// production, staging, testing, development, other.
    pub deployment_tier: String,
}

/// Whether the job runs for a branch or a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefType {
    Branch,
    Tag,
}

impl RefType {
    fn as_str(self) -> &'static str {
        match self {
            RefType::Branch => "branch",
            RefType::Tag => "tag",
        }
    }
}

/// Everything needed to build one job's ID-token claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiJobInfo {
    pub issuer: String,
    /// One audience becomes a string claim, several an array.
    pub audiences: Vec<String>,
    pub issued_at: i64,
    /// Lifetime in seconds; `None` means [`DEFAULT_TTL_SECONDS`].
    pub ttl_seconds: Option<i64>,
    pub namespace_id: i64,
    pub namespace_path: String,
    pub project_id: i64,
    pub project_path: String,
    pub user_id: i64,
    pub user_login: String,
    pub user_email: String,
    /// e.g. "developer", "maintainer".
    pub user_access_level: Option<String>,
    pub user_identities: Option<Vec<UserIdentity>>,
    pub pipeline_id: i64,
    pub pipeline_source: String,
    pub job_id: i64,
    pub git_ref: String,
    pub ref_type: RefType,
    /// Overrides the derived `refs/heads/...`/`refs/tags/...`.
    pub ref_path: Option<String>,
    pub ref_protected: bool,
    pub environment: Option<JobEnvironment>,
    pub runner_id: Option<i64>,
    /// "gitlab-hosted" or "self-hosted".
    pub runner_environment: Option<String>,
    pub sha: String,
    /// "public", "internal" or "private".
    pub project_visibility: String,
    pub ci_config_ref_uri: Option<String>,
    pub ci_config_sha: Option<String>,
    /// e.g. "pipeline".
    pub secrets_manager_scope: Option<String>,
    /// Ids of the project's ancestor groups.
    pub project_group_ids: Option<Vec<i64>>,
}

fn put(claims: &mut Map<String, Value>, name: &str, value: impl Into<Value>) {
    claims.insert(name.to_owned(), value.into());
}

/// A random RFC 4122 version-4 UUID string (GitLab uses `SecureRandom.uuid`).
pub fn random_jti() -> Result<String, JwtError> {
    let mut b = [0u8; 16];
    aws_lc_rs::rand::fill(&mut b)
        .map_err(|_| JwtError::Encode("Random source failed".to_owned()))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        hex.get(0..8).unwrap_or_default(),
        hex.get(8..12).unwrap_or_default(),
        hex.get(12..16).unwrap_or_default(),
        hex.get(16..20).unwrap_or_default(),
        hex.get(20..32).unwrap_or_default()
    ))
}

impl CiJobInfo {
    /// `project_path:<path>:ref_type:<type>:ref:<ref>`.
    pub fn subject(&self) -> String {
        format!(
            "project_path:{}:ref_type:{}:ref:{}",
            self.project_path,
            self.ref_type.as_str(),
            self.git_ref
        )
    }

    /// The claim set, with a fresh random `jti`.
    pub fn claims(&self) -> Result<Map<String, Value>, JwtError> {
        Ok(self.claims_with_jti(random_jti()?))
    }

    /// The claim set with a given `jti` (deterministic, for tests).
    pub fn claims_with_jti(&self, jti: String) -> Map<String, Value> {
        let mut c = Map::new();
        put(&mut c, "namespace_id", self.namespace_id.to_string());
        put(&mut c, "namespace_path", self.namespace_path.clone());
        put(&mut c, "project_id", self.project_id.to_string());
        put(&mut c, "project_path", self.project_path.clone());
        put(&mut c, "user_id", self.user_id.to_string());
        put(&mut c, "user_login", self.user_login.clone());
        put(&mut c, "user_email", self.user_email.clone());
        if let Some(level) = &self.user_access_level {
            put(&mut c, "user_access_level", level.clone());
        }
        if let Some(identities) = &self.user_identities {
            let list: Vec<Value> = identities
                .iter()
                .map(|i| {
                    let mut m = Map::new();
                    put(&mut m, "provider", i.provider.clone());
                    put(&mut m, "extern_uid", i.extern_uid.clone());
                    Value::Object(m)
                })
                .collect();
            put(&mut c, "user_identities", list);
        }
        put(&mut c, "pipeline_id", self.pipeline_id.to_string());
        put(&mut c, "pipeline_source", self.pipeline_source.clone());
        put(&mut c, "job_id", self.job_id.to_string());
        put(&mut c, "ref", self.git_ref.clone());
        put(&mut c, "ref_type", self.ref_type.as_str());
        let ref_path = self
            .ref_path
            .clone()
            .unwrap_or_else(|| match self.ref_type {
                RefType::Branch => format!("refs/heads/{}", self.git_ref),
                RefType::Tag => format!("refs/tags/{}", self.git_ref),
            });
        put(&mut c, "ref_path", ref_path);
        put(&mut c, "ref_protected", self.ref_protected.to_string());
        if let Some(env) = &self.environment {
            put(&mut c, "environment", env.name.clone());
            put(&mut c, "environment_protected", env.protected.to_string());
            put(&mut c, "deployment_tier", env.deployment_tier.clone());
            put(&mut c, "environment_action", env.action.clone());
        }
        if let Some(runner_id) = self.runner_id {
            put(&mut c, "runner_id", runner_id);
        }
        if let Some(runner_env) = &self.runner_environment {
            put(&mut c, "runner_environment", runner_env.clone());
        }
        put(&mut c, "sha", self.sha.clone());
        put(
            &mut c,
            "project_visibility",
            self.project_visibility.clone(),
        );
        if let Some(uri) = &self.ci_config_ref_uri {
            put(&mut c, "ci_config_ref_uri", uri.clone());
        }
        if let Some(sha) = &self.ci_config_sha {
            put(&mut c, "ci_config_sha", sha.clone());
        }
        if let Some(scope) = &self.secrets_manager_scope {
            put(&mut c, "secrets_manager_scope", scope.clone());
        }
        if let Some(ids) = &self.project_group_ids {
            put(&mut c, "project_group_ids", ids.clone());
        }
        put(&mut c, "jti", jti);
        put(&mut c, "iss", self.issuer.clone());
        put(&mut c, "iat", self.issued_at);
        put(
            &mut c,
            "nbf",
            self.issued_at.saturating_sub(NOT_BEFORE_SECONDS),
        );
        put(
            &mut c,
            "exp",
            self.issued_at
                .saturating_add(self.ttl_seconds.unwrap_or(DEFAULT_TTL_SECONDS)),
        );
        put(&mut c, "sub", self.subject());
        match self.audiences.as_slice() {
            [one] => put(&mut c, "aud", one.clone()),
            many => put(&mut c, "aud", many.to_vec()),
        }
        c
    }
}

/// Field names [`CiJobInfo::from_json`] accepts.
pub const JOB_INFO_FIELDS: [&str; 31] = [
    "issuer",
    "audience",
    "issued_at",
    "ttl_seconds",
    "namespace_id",
    "namespace_path",
    "project_id",
    "project_path",
    "user_id",
    "user_login",
    "user_email",
    "user_access_level",
    "user_identities",
    "pipeline_id",
    "pipeline_source",
    "job_id",
    "ref",
    "ref_type",
    "ref_path",
    "ref_protected",
    "environment",
    "runner_id",
    "runner_environment",
    "sha",
    "project_visibility",
    "ci_config_ref_uri",
    "ci_config_sha",
    "secrets_manager_scope",
    "project_group_ids",
    // Accepted spellings of `audience`.
    "aud",
    "audiences",
];

fn job_error(msg: String) -> JwtError {
    JwtError::Encode(format!("Invalid job info: {msg}"))
}

struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    fn string(&self, name: &str) -> Result<String, JwtError> {
        self.opt_string(name)?
            .ok_or_else(|| job_error(format!("\"{name}\" is required")))
    }

    fn opt_string(&self, name: &str) -> Result<Option<String>, JwtError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(job_error(format!("\"{name}\" must be a string"))),
        }
    }

    fn int(&self, name: &str) -> Result<i64, JwtError> {
        self.opt_int(name)?
            .ok_or_else(|| job_error(format!("\"{name}\" is required")))
    }

    fn opt_int(&self, name: &str) -> Result<Option<i64>, JwtError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| job_error(format!("\"{name}\" must be an integer"))),
        }
    }

    fn boolean(&self, name: &str, default: Option<bool>) -> Result<bool, JwtError> {
        match self.get(name) {
            None => default.ok_or_else(|| job_error(format!("\"{name}\" is required"))),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(job_error(format!("\"{name}\" must be true or false"))),
        }
    }
}

impl CiJobInfo {
    /// Builds job info from a JSON object whose members are named as in
    /// [`JOB_INFO_FIELDS`] (the claim names, plus `issuer`, `audience`,
    /// `issued_at`, `ttl_seconds`). `audience` is a string or a list of
    /// strings; `ref_type` is `"branch"` or `"tag"`; `environment` is
    /// `{name, protected, action, deployment_tier}` (action defaults to
    /// `"start"`, tier to `"other"`); `user_identities` is a list of
    /// `{provider, extern_uid}`. Unknown members are refused so that a typo
    /// never silently drops a claim. Errors are `EncodeError`.
    pub fn from_json(value: &Value) -> Result<Self, JwtError> {
        let map = value
            .as_object()
            .ok_or_else(|| job_error("must be an object".to_owned()))?;
        if let Some(unknown) = map.keys().find(|k| !JOB_INFO_FIELDS.contains(&k.as_str())) {
            return Err(job_error(format!("unknown field \"{unknown}\"")));
        }
        let f = Fields(map);
        let audiences = match f
            .get("audience")
            .or_else(|| f.get("aud"))
            .or_else(|| f.get("audiences"))
        {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| job_error("\"audience\" must contain strings".to_owned()))?,
            _ => {
                return Err(job_error(
                    "\"audience\" is required (a string or a non-empty list)".to_owned(),
                ))
            }
        };
        let ref_type = match f.string("ref_type")?.as_str() {
            "branch" => RefType::Branch,
            "tag" => RefType::Tag,
            _ => {
                return Err(job_error(
                    "\"ref_type\" must be \"branch\" or \"tag\"".to_owned(),
                ))
            }
        };
        let user_identities = match f.get("user_identities") {
            None => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|item| {
                        let m = item.as_object().ok_or_else(|| {
                            job_error("\"user_identities\" must contain objects".to_owned())
                        })?;
                        let id = Fields(m);
                        Ok(UserIdentity {
                            provider: id.string("provider")?,
                            extern_uid: id.string("extern_uid")?,
                        })
                    })
                    .collect::<Result<Vec<_>, JwtError>>()?,
            ),
            Some(_) => return Err(job_error("\"user_identities\" must be a list".to_owned())),
        };
        let environment = match f.get("environment") {
            None => None,
            Some(Value::Object(m)) => {
                let env = Fields(m);
                Some(JobEnvironment {
                    name: env.string("name")?,
                    protected: env.boolean("protected", Some(false))?,
                    action: env
                        .opt_string("action")?
                        .unwrap_or_else(|| "start".to_owned()),
                    deployment_tier: env
                        .opt_string("deployment_tier")?
                        .unwrap_or_else(|| "other".to_owned()),
                })
            }
            Some(_) => return Err(job_error("\"environment\" must be an object".to_owned())),
        };
        let project_group_ids = match f.get("project_group_ids") {
            None => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(Value::as_i64)
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        job_error("\"project_group_ids\" must contain integers".to_owned())
                    })?,
            ),
            Some(_) => return Err(job_error("\"project_group_ids\" must be a list".to_owned())),
        };
        Ok(CiJobInfo {
            issuer: f.string("issuer")?,
            audiences,
            issued_at: f.int("issued_at")?,
            ttl_seconds: f.opt_int("ttl_seconds")?,
            namespace_id: f.int("namespace_id")?,
            namespace_path: f.string("namespace_path")?,
            project_id: f.int("project_id")?,
            project_path: f.string("project_path")?,
            user_id: f.int("user_id")?,
            user_login: f.string("user_login")?,
            user_email: f.string("user_email")?,
            user_access_level: f.opt_string("user_access_level")?,
            user_identities,
            pipeline_id: f.int("pipeline_id")?,
            pipeline_source: f.string("pipeline_source")?,
            job_id: f.int("job_id")?,
            git_ref: f.string("ref")?,
            ref_type,
            ref_path: f.opt_string("ref_path")?,
            ref_protected: f.boolean("ref_protected", Some(false))?,
            environment,
            runner_id: f.opt_int("runner_id")?,
            runner_environment: f.opt_string("runner_environment")?,
            sha: f.string("sha")?,
            project_visibility: f.string("project_visibility")?,
            ci_config_ref_uri: f.opt_string("ci_config_ref_uri")?,
            ci_config_sha: f.opt_string("ci_config_sha")?,
            secrets_manager_scope: f.opt_string("secrets_manager_scope")?,
            project_group_ids,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> CiJobInfo {
        CiJobInfo {
            issuer: "https://gitlab.example.com".into(),
            audiences: vec!["https://bao.example.com".into()],
            issued_at: 1_700_000_000,
            ttl_seconds: None,
            namespace_id: 72,
            namespace_path: "acme".into(),
            project_id: 20,
            project_path: "acme/app".into(),
            user_id: 1,
            user_login: "root".into(),
            user_email: "root@example.com".into(),
            user_access_level: Some("owner".into()),
            user_identities: None,
            pipeline_id: 574,
            pipeline_source: "push".into(),
            job_id: 302,
            git_ref: "main".into(),
            ref_type: RefType::Branch,
            ref_path: None,
            ref_protected: true,
            environment: Some(JobEnvironment {
                name: "production".into(),
                protected: true,
                action: "start".into(),
                deployment_tier: "production".into(),
            }),
            runner_id: Some(1),
            runner_environment: Some("self-hosted".into()),
            sha: "714a629c0b401fdce83e847fc9589983fc6f46bc".into(),
            project_visibility: "private".into(),
            ci_config_ref_uri: Some(
                "gitlab.example.com/acme/app//.gitlab-ci.yml@refs/heads/main".into(),
            ),
            ci_config_sha: Some("714a629c0b401fdce83e847fc9589983fc6f46bc".into()),
            secrets_manager_scope: Some("pipeline".into()),
            project_group_ids: Some(vec![72]),
        }
    }

    #[test]
    fn gitlab_claim_shapes() {
        let c = sample().claims_with_jti("j".into());
        assert_eq!(c["sub"], "project_path:acme/app:ref_type:branch:ref:main");
        assert_eq!(c["project_id"], "20");
        assert_eq!(c["ref_path"], "refs/heads/main");
        assert_eq!(c["ref_protected"], "true");
        assert_eq!(c["environment_protected"], "true");
        assert_eq!(c["runner_id"], 1);
        assert_eq!(c["nbf"], 1_699_999_995);
        assert_eq!(c["exp"], 1_700_000_300);
        assert_eq!(c["aud"], "https://bao.example.com");
        let mut tag = sample();
        tag.ref_type = RefType::Tag;
        tag.git_ref = "v1.0".into();
        tag.environment = None;
        tag.audiences.push("other".into());
        let c = tag.claims_with_jti("j".into());
        assert_eq!(c["ref_path"], "refs/tags/v1.0");
        assert!(!c.contains_key("environment"));
        assert!(c["aud"].is_array());
    }

    #[test]
    fn jti_is_uuid_v4() {
        let a = random_jti().unwrap();
        let b = random_jti().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
    }

    #[test]
    fn from_json_round_trips_and_refuses_typos() {
        let json = serde_json::json!({
            "issuer": "https://gitlab.example.com",
            "audience": "https://bao.example.com",
            "issued_at": 1_700_000_000,
            "namespace_id": 72, "namespace_path": "acme",
            "project_id": 20, "project_path": "acme/app",
            "user_id": 1, "user_login": "root", "user_email": "root@example.com",
            "user_access_level": "owner",
            "pipeline_id": 574, "pipeline_source": "push", "job_id": 302,
            "ref": "main", "ref_type": "branch", "ref_protected": true,
            "environment": {"name": "production", "protected": true,
                            "action": "start", "deployment_tier": "production"},
            "runner_id": 1, "runner_environment": "self-hosted",
            "sha": "714a629c0b401fdce83e847fc9589983fc6f46bc",
            "project_visibility": "private",
            "ci_config_ref_uri": "gitlab.example.com/acme/app//.gitlab-ci.yml@refs/heads/main",
            "ci_config_sha": "714a629c0b401fdce83e847fc9589983fc6f46bc",
            "secrets_manager_scope": "pipeline",
            "project_group_ids": [72]
        });
        assert_eq!(CiJobInfo::from_json(&json).unwrap(), sample());
        let mut typo = json.clone();
        typo["projct_id"] = serde_json::json!(1);
        let err = CiJobInfo::from_json(&typo).unwrap_err();
        assert_eq!(err.kind(), crate::jwt::ErrorKind::Encode);
        assert!(err.to_string().contains("projct_id"), "{err}");
        let mut missing = json.clone();
        missing.as_object_mut().unwrap().remove("sha");
        assert!(CiJobInfo::from_json(&missing).is_err());
        let mut bad = json;
        bad["ref_type"] = serde_json::json!("merge_request");
        assert!(CiJobInfo::from_json(&bad).is_err());
    }
}
