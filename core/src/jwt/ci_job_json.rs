//! [`CiJobInfo::from_json`]: job info as a JSON object (the Ruby
//! `JWT::IdToken` Hash), read with serde derive and then checked field by
//! field.
//!
//! serde reads every member as an untyped, optional value; the checks then
//! run in one fixed field order with this module's texts. Typed fields would
//! let serde report the first bad member in document order, with its own
//! wording, which callers and the specs do not expect.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::ci_id_token::{CiJobInfo, JobEnvironment, RefType, UserIdentity};
use super::error::JwtError;

/// The members of a job-info object. `null` deserialises to `None`, so a
/// null member is an absent one. `audience`, `aud` and `audiences` are three
/// fields, not serde aliases: all three may be present (the first non-null
/// wins), where an alias seen twice is a `duplicate field` error.
#[derive(Deserialize)]
struct RawJobInfo {
    issuer: Option<Value>,
    audience: Option<Value>,
    aud: Option<Value>,
    audiences: Option<Value>,
    issued_at: Option<Value>,
    ttl_seconds: Option<Value>,
    namespace_id: Option<Value>,
    namespace_path: Option<Value>,
    project_id: Option<Value>,
    project_path: Option<Value>,
    user_id: Option<Value>,
    user_login: Option<Value>,
    user_email: Option<Value>,
    user_access_level: Option<Value>,
    user_identities: Option<Value>,
    pipeline_id: Option<Value>,
    pipeline_source: Option<Value>,
    job_id: Option<Value>,
    #[serde(rename = "ref")]
    git_ref: Option<Value>,
    ref_type: Option<Value>,
    ref_path: Option<Value>,
    ref_protected: Option<Value>,
    environment: Option<Value>,
    runner_id: Option<Value>,
    runner_environment: Option<Value>,
    sha: Option<Value>,
    project_visibility: Option<Value>,
    ci_config_ref_uri: Option<Value>,
    ci_config_sha: Option<Value>,
    secrets_manager_scope: Option<Value>,
    project_group_ids: Option<Value>,
    /// Members not named above, in document order. Collected rather than
    /// refused with `deny_unknown_fields`: serde's error does not expose the
    /// member's name, and ours names it (a typo must never drop a claim
    /// silently).
    #[serde(flatten)]
    unknown: Map<String, Value>,
}

/// `environment`: other members are ignored.
#[derive(Deserialize)]
struct RawEnvironment {
    name: Option<Value>,
    protected: Option<Value>,
    action: Option<Value>,
    deployment_tier: Option<Value>,
}

/// One `user_identities` entry: other members are ignored.
#[derive(Deserialize)]
struct RawIdentity {
    provider: Option<Value>,
    extern_uid: Option<Value>,
}

fn job_error(msg: String) -> JwtError {
    JwtError::Encode(format!("Invalid job info: {msg}"))
}

fn required(name: &str) -> JwtError {
    job_error(format!("\"{name}\" is required"))
}

fn opt_string(name: &str, value: Option<Value>) -> Result<Option<String>, JwtError> {
    match value {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(job_error(format!("\"{name}\" must be a string"))),
    }
}

fn string(name: &str, value: Option<Value>) -> Result<String, JwtError> {
    opt_string(name, value)?.ok_or_else(|| required(name))
}

fn opt_int(name: &str, value: Option<Value>) -> Result<Option<i64>, JwtError> {
    match value {
        None => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| job_error(format!("\"{name}\" must be an integer"))),
    }
}

fn int(name: &str, value: Option<Value>) -> Result<i64, JwtError> {
    opt_int(name, value)?.ok_or_else(|| required(name))
}

/// A boolean that defaults to `false` when absent.
fn flag(name: &str, value: Option<Value>) -> Result<bool, JwtError> {
    match value {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        Some(_) => Err(job_error(format!("\"{name}\" must be true or false"))),
    }
}

/// Reads a nested object's members; only called on objects, whose members
/// are all optional values, so it cannot fail.
fn raw<'a, T: Deserialize<'a>>(object: &'a Value) -> Result<T, JwtError> {
    T::deserialize(object).map_err(|_| job_error("must be an object".to_owned()))
}

fn audiences(raw: &mut RawJobInfo) -> Result<Vec<String>, JwtError> {
    let first = raw
        .audience
        .take()
        .or_else(|| raw.aud.take())
        .or_else(|| raw.audiences.take());
    match first {
        Some(Value::String(s)) => Ok(vec![s]),
        Some(Value::Array(items)) if !items.is_empty() => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| job_error("\"audience\" must contain strings".to_owned())),
        _ => Err(job_error(
            "\"audience\" is required (a string or a non-empty list)".to_owned(),
        )),
    }
}

fn ref_type(value: Option<Value>) -> Result<RefType, JwtError> {
    match string("ref_type", value)?.as_str() {
        "branch" => Ok(RefType::Branch),
        "tag" => Ok(RefType::Tag),
        _ => Err(job_error(
            "\"ref_type\" must be \"branch\" or \"tag\"".to_owned(),
        )),
    }
}

fn user_identities(value: Option<Value>) -> Result<Option<Vec<UserIdentity>>, JwtError> {
    let items = match value {
        None => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(job_error("\"user_identities\" must be a list".to_owned())),
    };
    items
        .iter()
        .map(|item| {
            if !item.is_object() {
                return Err(job_error(
                    "\"user_identities\" must contain objects".to_owned(),
                ));
            }
            let id: RawIdentity = raw(item)?;
            Ok(UserIdentity {
                provider: string("provider", id.provider)?,
                extern_uid: string("extern_uid", id.extern_uid)?,
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn environment(value: Option<Value>) -> Result<Option<JobEnvironment>, JwtError> {
    let object = match value {
        None => return Ok(None),
        Some(v @ Value::Object(_)) => v,
        Some(_) => return Err(job_error("\"environment\" must be an object".to_owned())),
    };
    let env: RawEnvironment = raw(&object)?;
    Ok(Some(JobEnvironment {
        name: string("name", env.name)?,
        protected: flag("protected", env.protected)?,
        action: opt_string("action", env.action)?.unwrap_or_else(|| "start".to_owned()),
        deployment_tier: opt_string("deployment_tier", env.deployment_tier)?
            .unwrap_or_else(|| "other".to_owned()),
    }))
}

fn project_group_ids(value: Option<Value>) -> Result<Option<Vec<i64>>, JwtError> {
    match value {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(Value::as_i64)
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(|| job_error("\"project_group_ids\" must contain integers".to_owned())),
        Some(_) => Err(job_error("\"project_group_ids\" must be a list".to_owned())),
    }
}

impl CiJobInfo {
    /// Builds job info from a JSON object whose members are named as in
    /// [`JOB_INFO_FIELDS`](super::ci_id_token::JOB_INFO_FIELDS) (the claim
    /// names, plus `issuer`, `audience`, `issued_at`, `ttl_seconds`).
    /// `audience` is a string or a list of strings; `ref_type` is `"branch"`
    /// or `"tag"`; `environment` is `{name, protected, action,
    /// deployment_tier}` (action defaults to `"start"`, tier to `"other"`);
    /// `user_identities` is a list of `{provider, extern_uid}`. Unknown
    /// members are refused so that a typo never silently drops a claim.
    /// Errors are `EncodeError`, checked in a fixed order: the shape, unknown
    /// members, audience, ref_type, user_identities, environment,
    /// project_group_ids, then the rest in declaration order.
    pub fn from_json(value: &Value) -> Result<Self, JwtError> {
        if !value.is_object() {
            return Err(job_error("must be an object".to_owned()));
        }
        let mut r: RawJobInfo = raw(value)?;
        if let Some(unknown) = r.unknown.keys().next() {
            return Err(job_error(format!("unknown field \"{unknown}\"")));
        }
        let audiences = audiences(&mut r)?;
        let ref_type = ref_type(r.ref_type)?;
        let user_identities = user_identities(r.user_identities)?;
        let environment = environment(r.environment)?;
        let project_group_ids = project_group_ids(r.project_group_ids)?;
        Ok(CiJobInfo {
            issuer: string("issuer", r.issuer)?,
            audiences,
            issued_at: int("issued_at", r.issued_at)?,
            ttl_seconds: opt_int("ttl_seconds", r.ttl_seconds)?,
            namespace_id: int("namespace_id", r.namespace_id)?,
            namespace_path: string("namespace_path", r.namespace_path)?,
            project_id: int("project_id", r.project_id)?,
            project_path: string("project_path", r.project_path)?,
            user_id: int("user_id", r.user_id)?,
            user_login: string("user_login", r.user_login)?,
            user_email: string("user_email", r.user_email)?,
            user_access_level: opt_string("user_access_level", r.user_access_level)?,
            user_identities,
            pipeline_id: int("pipeline_id", r.pipeline_id)?,
            pipeline_source: string("pipeline_source", r.pipeline_source)?,
            job_id: int("job_id", r.job_id)?,
            git_ref: string("ref", r.git_ref)?,
            ref_type,
            ref_path: opt_string("ref_path", r.ref_path)?,
            ref_protected: flag("ref_protected", r.ref_protected)?,
            environment,
            runner_id: opt_int("runner_id", r.runner_id)?,
            runner_environment: opt_string("runner_environment", r.runner_environment)?,
            sha: string("sha", r.sha)?,
            project_visibility: string("project_visibility", r.project_visibility)?,
            ci_config_ref_uri: opt_string("ci_config_ref_uri", r.ci_config_ref_uri)?,
            ci_config_sha: opt_string("ci_config_sha", r.ci_config_sha)?,
            secrets_manager_scope: opt_string("secrets_manager_scope", r.secrets_manager_scope)?,
            project_group_ids,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::ci_id_token::tests::sample;
    use super::super::ci_id_token::JOB_INFO_FIELDS;
    use super::*;

    /// Each documented name is a member, not an unknown one.
    #[test]
    fn every_listed_field_is_read() {
        for name in JOB_INFO_FIELDS {
            let mut object = Map::new();
            object.insert(name.to_owned(), Value::Bool(true));
            let r: RawJobInfo = raw(&Value::Object(object)).unwrap();
            assert!(r.unknown.is_empty(), "{name}");
        }
    }

    #[test]
    fn from_json_round_trips_and_refuses_typos() {
        let json = job_json();
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

    fn job_json() -> Value {
        serde_json::json!({
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
        })
    }

    fn with(mut json: Value, changes: &[(&str, Value)]) -> Value {
        for (name, value) in changes {
            json[*name] = value.clone();
        }
        json
    }

    fn without(mut json: Value, names: &[&str]) -> Value {
        for name in names {
            json.as_object_mut().map(|m| m.shift_remove(*name));
        }
        json
    }

    fn error_text(json: &Value) -> String {
        match CiJobInfo::from_json(json) {
            Ok(info) => panic!("accepted: {info:?}"),
            Err(e) => {
                assert_eq!(e.kind(), crate::jwt::ErrorKind::Encode);
                e.to_string()
            }
        }
    }

    /// Every field broken from position `i` onwards reports field `i`'s
    /// error: pins each text and the order in which fields are checked.
    #[test]
    fn from_json_error_texts_in_field_order() {
        use serde_json::json;
        let cases: Vec<(&str, Value, &str)> = vec![
            (
                "audience",
                json!(5),
                "\"audience\" is required (a string or a non-empty list)",
            ),
            ("ref_type", json!(1), "\"ref_type\" must be a string"),
            (
                "user_identities",
                json!("x"),
                "\"user_identities\" must be a list",
            ),
            (
                "environment",
                json!([]),
                "\"environment\" must be an object",
            ),
            (
                "project_group_ids",
                json!({}),
                "\"project_group_ids\" must be a list",
            ),
            ("issuer", json!(1), "\"issuer\" must be a string"),
            ("issued_at", json!("1"), "\"issued_at\" must be an integer"),
            (
                "ttl_seconds",
                json!(1.5),
                "\"ttl_seconds\" must be an integer",
            ),
            (
                "namespace_id",
                json!(true),
                "\"namespace_id\" must be an integer",
            ),
            (
                "namespace_path",
                json!(1),
                "\"namespace_path\" must be a string",
            ),
            (
                "project_id",
                json!("20"),
                "\"project_id\" must be an integer",
            ),
            (
                "project_path",
                json!([]),
                "\"project_path\" must be a string",
            ),
            ("user_id", json!(u64::MAX), "\"user_id\" must be an integer"),
            (
                "user_login",
                json!(false),
                "\"user_login\" must be a string",
            ),
            ("user_email", json!(1), "\"user_email\" must be a string"),
            (
                "user_access_level",
                json!(1),
                "\"user_access_level\" must be a string",
            ),
            (
                "pipeline_id",
                json!(1.0),
                "\"pipeline_id\" must be an integer",
            ),
            (
                "pipeline_source",
                json!(1),
                "\"pipeline_source\" must be a string",
            ),
            ("job_id", json!("302"), "\"job_id\" must be an integer"),
            ("ref", json!(1), "\"ref\" must be a string"),
            ("ref_path", json!(1), "\"ref_path\" must be a string"),
            (
                "ref_protected",
                json!("true"),
                "\"ref_protected\" must be true or false",
            ),
            ("runner_id", json!("1"), "\"runner_id\" must be an integer"),
            (
                "runner_environment",
                json!(1),
                "\"runner_environment\" must be a string",
            ),
            ("sha", json!(1), "\"sha\" must be a string"),
            (
                "project_visibility",
                json!(1),
                "\"project_visibility\" must be a string",
            ),
            (
                "ci_config_ref_uri",
                json!(1),
                "\"ci_config_ref_uri\" must be a string",
            ),
            (
                "ci_config_sha",
                json!(1),
                "\"ci_config_sha\" must be a string",
            ),
            (
                "secrets_manager_scope",
                json!(1),
                "\"secrets_manager_scope\" must be a string",
            ),
        ];
        for i in 0..cases.len() {
            let broken: Vec<(&str, Value)> =
                cases[i..].iter().map(|(n, v, _)| (*n, v.clone())).collect();
            let json = with(job_json(), &broken);
            assert_eq!(
                error_text(&json),
                format!("Invalid job info: {}", cases[i].2)
            );
        }
        // The same order holds for missing required fields.
        let required = [
            "ref_type",
            "issuer",
            "issued_at",
            "namespace_id",
            "namespace_path",
            "project_id",
            "project_path",
            "user_id",
            "user_login",
            "user_email",
            "pipeline_id",
            "pipeline_source",
            "job_id",
            "ref",
            "sha",
            "project_visibility",
        ];
        for i in 0..required.len() {
            let json = without(job_json(), &required[i..]);
            assert_eq!(
                error_text(&json),
                format!("Invalid job info: \"{}\" is required", required[i])
            );
        }
        let json = without(job_json(), &["audience"]);
        assert_eq!(
            error_text(&json),
            "Invalid job info: \"audience\" is required (a string or a non-empty list)"
        );
    }

    #[test]
    fn from_json_shape_and_unknown_field_errors() {
        use serde_json::json;
        assert_eq!(
            error_text(&json!([])),
            "Invalid job info: must be an object"
        );
        assert_eq!(
            error_text(&json!(null)),
            "Invalid job info: must be an object"
        );
        // The first unknown member in document order, before any other error,
        // even when its value is null.
        let mut json = with(job_json(), &[("sha", json!(1))]);
        let m = json.as_object_mut().unwrap();
        m.insert("zz_unknown".into(), Value::Null);
        m.insert("aa_unknown".into(), json!(1));
        assert_eq!(
            error_text(&json),
            "Invalid job info: unknown field \"zz_unknown\""
        );
        let json = json!({"Audience": "a", "bogus": 1});
        assert_eq!(
            error_text(&json),
            "Invalid job info: unknown field \"Audience\""
        );
        // An empty object: audience is checked first.
        assert_eq!(
            error_text(&json!({})),
            "Invalid job info: \"audience\" is required (a string or a non-empty list)"
        );
    }

    #[test]
    fn from_json_audience_spellings() {
        use serde_json::json;
        let base = without(job_json(), &["audience"]);
        let auds = |changes: &[(&str, Value)]| {
            CiJobInfo::from_json(&with(base.clone(), changes)).map(|i| i.audiences)
        };
        assert_eq!(auds(&[("aud", json!("a"))]).unwrap(), ["a"]);
        assert_eq!(
            auds(&[("audiences", json!(["a", "b"]))]).unwrap(),
            ["a", "b"]
        );
        // The first non-null of audience, aud, audiences wins.
        assert_eq!(
            auds(&[
                ("audiences", json!(["c"])),
                ("aud", json!("b")),
                ("audience", json!("a"))
            ])
            .unwrap(),
            ["a"]
        );
        assert_eq!(
            auds(&[
                ("audience", Value::Null),
                ("aud", json!(["b"])),
                ("audiences", json!("c"))
            ])
            .unwrap(),
            ["b"]
        );
        assert_eq!(
            auds(&[
                ("audience", Value::Null),
                ("aud", Value::Null),
                ("audiences", json!("c"))
            ])
            .unwrap(),
            ["c"]
        );
        // A non-null bad value wins too, and is not skipped.
        let err = |changes: &[(&str, Value)]| error_text(&with(base.clone(), changes));
        let required = "Invalid job info: \"audience\" is required (a string or a non-empty list)";
        assert_eq!(
            err(&[("audience", json!(5)), ("aud", json!("b"))]),
            required
        );
        assert_eq!(err(&[("aud", json!([]))]), required);
        assert_eq!(err(&[("audiences", json!({}))]), required);
        assert_eq!(
            err(&[("aud", json!(["a", 1])), ("audiences", json!("c"))]),
            "Invalid job info: \"audience\" must contain strings"
        );
        assert_eq!(err(&[("audience", Value::Null)]), required);
    }

    #[test]
    fn from_json_null_is_absent() {
        let optional = [
            "ttl_seconds",
            "user_access_level",
            "user_identities",
            "ref_path",
            "environment",
            "runner_id",
            "runner_environment",
            "ci_config_ref_uri",
            "ci_config_sha",
            "secrets_manager_scope",
            "project_group_ids",
        ];
        let nulls: Vec<(&str, Value)> = optional.iter().map(|n| (*n, Value::Null)).collect();
        let a = CiJobInfo::from_json(&with(job_json(), &nulls)).unwrap();
        let b = CiJobInfo::from_json(&without(job_json(), &optional)).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.environment, None);
        assert_eq!(a.project_group_ids, None);
        // ref_protected defaults to false, absent or null.
        let absent = CiJobInfo::from_json(&without(job_json(), &["ref_protected"])).unwrap();
        let null = CiJobInfo::from_json(&with(job_json(), &[("ref_protected", Value::Null)]));
        assert!(!absent.ref_protected);
        assert_eq!(null.unwrap(), absent);
        // A required field that is null is missing.
        assert_eq!(
            error_text(&with(job_json(), &[("sha", Value::Null)])),
            "Invalid job info: \"sha\" is required"
        );
    }

    #[test]
    fn from_json_nested_members() {
        use serde_json::json;
        let env = |e: Value| CiJobInfo::from_json(&with(job_json(), &[("environment", e)]));
        let e = env(json!({"name": "dev", "extra": 1, "action": null})).unwrap();
        assert_eq!(
            e.environment,
            Some(JobEnvironment {
                name: "dev".into(),
                protected: false,
                action: "start".into(),
                deployment_tier: "other".into(),
            })
        );
        let msg = |r: Result<CiJobInfo, JwtError>| r.unwrap_err().to_string();
        assert_eq!(
            msg(env(json!({"protected": 1, "action": 1}))),
            "Invalid job info: \"name\" is required"
        );
        assert_eq!(
            msg(env(json!({"name": "n", "protected": 1, "action": 1}))),
            "Invalid job info: \"protected\" must be true or false"
        );
        assert_eq!(
            msg(env(json!({"name": "n", "action": 1, "deployment_tier": 1}))),
            "Invalid job info: \"action\" must be a string"
        );
        assert_eq!(
            msg(env(json!({"name": "n", "deployment_tier": 1}))),
            "Invalid job info: \"deployment_tier\" must be a string"
        );
        let ids = |v: Value| CiJobInfo::from_json(&with(job_json(), &[("user_identities", v)]));
        assert_eq!(
            ids(json!([{"provider": "p", "extern_uid": "u", "x": 1}]))
                .unwrap()
                .user_identities,
            Some(vec![UserIdentity {
                provider: "p".into(),
                extern_uid: "u".into()
            }])
        );
        assert_eq!(ids(json!([])).unwrap().user_identities, Some(vec![]));
        assert_eq!(
            msg(ids(json!([{"provider": "p", "extern_uid": "u"}, 1]))),
            "Invalid job info: \"user_identities\" must contain objects"
        );
        assert_eq!(
            msg(ids(json!([{"extern_uid": 1}]))),
            "Invalid job info: \"provider\" is required"
        );
        assert_eq!(
            msg(ids(json!([{"provider": "p", "extern_uid": null}]))),
            "Invalid job info: \"extern_uid\" is required"
        );
        let groups =
            |v: Value| CiJobInfo::from_json(&with(job_json(), &[("project_group_ids", v)]));
        assert_eq!(groups(json!([])).unwrap().project_group_ids, Some(vec![]));
        assert_eq!(
            msg(groups(json!([1, "2"]))),
            "Invalid job info: \"project_group_ids\" must contain integers"
        );
        let tag = CiJobInfo::from_json(&with(job_json(), &[("ref_type", json!("tag"))])).unwrap();
        assert_eq!(tag.ref_type, RefType::Tag);
        assert_eq!(
            error_text(&with(job_json(), &[("ref_type", json!("Branch"))])),
            "Invalid job info: \"ref_type\" must be \"branch\" or \"tag\""
        );
    }
}
