//! A JWT auth role, built from the JSON body OpenBao's
//! `auth/<mount>/role/<name>` endpoint receives and validated the same way,
//! in the same order, with the same error text.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::error::RoleError;
use super::fields::go_duration_string;
use super::go_value::{normalize_list, GoValue};
use super::role_fields::FieldData;
use super::token_params::{parse_token_fields, upgrade_deprecated_fields, TokenParams};
use crate::gocompat::go_quote;

/// OpenBao's default system maximum lease TTL (32 days), which bounds
/// `token_period` and triggers the `token_max_ttl` warning.
pub const DEFAULT_MAX_LEASE_TTL_SECONDS: i64 = 768 * 3600;

/// Whether the role is for JWT logins or the interactive OIDC flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleType {
    Jwt,
    Oidc,
}

impl RoleType {
    /// OpenBao's name for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleType::Jwt => "jwt",
            RoleType::Oidc => "oidc",
        }
    }
}

/// How `bound_claims` values are compared with the token's claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundClaimsType {
    /// Typed equality (`true` never equals `"true"`).
    String,
    /// Strings only, `*` wildcards, case-sensitive.
    Glob,
}

impl BoundClaimsType {
    /// OpenBao's name for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            BoundClaimsType::String => "string",
            BoundClaimsType::Glob => "glob",
        }
    }
}

/// A validated JWT auth role. Field names follow OpenBao's role endpoint;
/// durations are whole seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub name: String,
    pub role_type: RoleType,
    pub expiration_leeway: i64,
    pub not_before_leeway: i64,
    pub clock_skew_leeway: i64,
    pub bound_audiences: Vec<String>,
    pub bound_subject: String,
    pub bound_claims_type: BoundClaimsType,
    /// The bound claims as written (keys in the order given).
    pub bound_claims: Map<String, Value>,
    pub claim_mappings: BTreeMap<String, String>,
    pub oauth2_metadata: Vec<String>,
    pub user_claim: String,
    pub user_claim_json_pointer: bool,
    pub groups_claim: String,
    pub oidc_scopes: Vec<String>,
    pub allowed_redirect_uris: Vec<String>,
    pub callback_mode: String,
    pub poll_interval: i64,
    pub verbose_oidc_logging: bool,
    pub max_age: i64,
    pub token_policies_template_claims: bool,
    pub oidc_disable_confirmation: bool,
    pub token: TokenParams,
    /// Warnings OpenBao would return with a successful write.
    pub warnings: Vec<String>,
    /// Bound claims as Go values (numbers keep their literal text).
    pub(crate) bound_claims_go: Vec<(String, GoValue)>,
}

/// `^\w(([\w-.]+)?\w)?$`: the names OpenBao's role path accepts.
fn is_valid_role_name(name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let chars: Vec<char> = name.chars().collect();
    match chars.as_slice() {
        [] => false,
        [only] => word(*only),
        [first, middle @ .., last] => {
            word(*first) && word(*last) && middle.iter().all(|c| word(*c) || *c == '-' || *c == '.')
        }
    }
}

impl Role {
    /// Builds a role from the JSON body written to `auth/<mount>/role/<name>`,
    /// as a new role, with OpenBao's default system maximum lease TTL.
    pub fn from_json(name: &str, body: &Map<String, Value>) -> Result<Role, RoleError> {
        Self::from_json_with_max_lease_ttl(name, body, DEFAULT_MAX_LEASE_TTL_SECONDS)
    }

    /// As [`Role::from_json`], with the mount's maximum lease TTL in seconds.
    pub fn from_json_with_max_lease_ttl(
        name: &str,
        body: &Map<String, Value>,
        max_lease_ttl: i64,
    ) -> Result<Role, RoleError> {
        // The role name is part of the path: OpenBao's router refuses others.
        if !is_valid_role_name(name) {
            return Err(RoleError::new("unsupported path"));
        }
        let name = name.to_lowercase();
        let (data, ignored) = FieldData::parse(body)?;

        let role_type = match data.str("role_type").unwrap_or_default().as_str() {
            "" | "oidc" => RoleType::Oidc,
            "jwt" => RoleType::Jwt,
            other => return Err(RoleError::new(format!("invalid 'role_type': {other}"))),
        };

        let mut token = parse_token_fields(&data)?;
        upgrade_deprecated_fields(&data, &mut token)?;

        if token.period > max_lease_ttl {
            return Err(RoleError::new(format!(
                "'period' of '{}' is greater than the backend's maximum lease TTL of '{}'",
                go_quote(&go_duration_string(token.period)),
                go_quote(&go_duration_string(max_lease_ttl))
            )));
        }

        let expiration_leeway = data.seconds("expiration_leeway").unwrap_or(0);
        let not_before_leeway = data.seconds("not_before_leeway").unwrap_or(0);
        let clock_skew_leeway = data.seconds("clock_skew_leeway").unwrap_or(0);
        let bound_audiences = data.list("bound_audiences").unwrap_or_default();
        let bound_subject = data.str("bound_subject").unwrap_or_default();
        let verbose_oidc_logging = data.bool("verbose_oidc_logging").unwrap_or(false);
        let max_age = data.seconds("max_age").unwrap_or(0);
        let token_policies_template_claims =
            data.bool("token_policies_template_claims").unwrap_or(false);

        let bound_claims_type = match data.str("bound_claims_type").as_deref() {
            None | Some("string") => BoundClaimsType::String,
            Some("glob") => BoundClaimsType::Glob,
            Some(other) => {
                return Err(RoleError::new(format!(
                    "invalid 'bound_claims_type': {other}"
                )))
            }
        };

        let bound_claims = data.map("bound_claims").cloned().unwrap_or_default();
        let bound_claims_go: Vec<(String, GoValue)> = bound_claims
            .iter()
            .map(|(k, v)| (k.clone(), GoValue::from_role(v)))
            .collect();
        if bound_claims_type == BoundClaimsType::Glob {
            for (_, value) in &bound_claims_go {
                let list = normalize_list(value).ok_or_else(|| {
                    RoleError::new(format!(
                        "claim is not a string or list: {}",
                        value.go_format()
                    ))
                })?;
                if let Some(bad) = list.iter().find(|v| v.as_str().is_none()) {
                    return Err(RoleError::new(format!(
                        "claim is not a string: {}",
                        bad.go_format()
                    )));
                }
            }
        }

        let claim_mappings = match data.kv("claim_mappings") {
            Some(map) => {
                let mut targets = BTreeSet::new();
                for target in map.values() {
                    if target == "role" {
                        return Err(RoleError::new(format!(
                            "metadata key {} is reserved and may not be a mapping destination",
                            go_quote(target)
                        )));
                    }
                    if !targets.insert(target.as_str()) {
                        return Err(RoleError::new(format!(
                            "multiple keys are mapped to metadata key {}",
                            go_quote(target)
                        )));
                    }
                }
                map.clone()
            }
            _ => BTreeMap::new(),
        };

        let oauth2_metadata = data.list("oauth2_metadata").unwrap_or_default();
        if let Some(bad) = oauth2_metadata
            .iter()
            .find(|m| !matches!(m.as_str(), "id_token" | "refresh_token" | "access_token"))
        {
            return Err(RoleError::new(format!(
                "Unrecognized oauth2 metadata name {bad}"
            )));
        }

        let user_claim = data.str("user_claim").unwrap_or_default();
        if user_claim.is_empty() {
            return Err(RoleError::new("a user claim must be defined on the role"));
        }
        let user_claim_json_pointer = data.bool("user_claim_json_pointer").unwrap_or(false);
        let groups_claim = data.str("groups_claim").unwrap_or_default();
        let oidc_scopes = data.list("oidc_scopes").unwrap_or_default();
        let allowed_redirect_uris = data.list("allowed_redirect_uris").unwrap_or_default();
        let poll_interval = data.int("poll_interval").unwrap_or(0);

        let callback_mode = data.str("callback_mode").unwrap_or_else(|| "client".into());
        if !matches!(callback_mode.as_str(), "device" | "direct" | "client") {
            return Err(RoleError::new(format!(
                "invalid 'callback_mode': {callback_mode}"
            )));
        }
        let oidc_disable_confirmation = data.bool("oidc_disable_confirmation").unwrap_or(false);

        if role_type == RoleType::Oidc && allowed_redirect_uris.is_empty() {
            return Err(RoleError::new(
                "'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.",
            ));
        }
        if role_type != RoleType::Oidc
            && bound_audiences.is_empty()
            && token.bound_cidrs.is_empty()
            && bound_subject.is_empty()
            && bound_claims.is_empty()
        {
            return Err(RoleError::new(
                "must have at least one bound constraint when creating/updating a role",
            ));
        }
        if token.max_ttl > 0 && token.ttl > token.max_ttl {
            return Err(RoleError::new("ttl should not be greater than max ttl"));
        }

        let mut warnings = Vec::new();
        if token.max_ttl > max_lease_ttl {
            warnings.push("token max ttl is greater than the system or backend mount's maximum TTL value; issued tokens' max TTL value will be truncated".to_string());
        }
        if verbose_oidc_logging {
            warnings.push("verbose_oidc_logging has been enabled for this role. This is not recommended in production since sensitive information may be present in OIDC responses.".to_string());
        }
        if !ignored.is_empty() {
            warnings.push(format!(
                "Endpoint ignored these unrecognized parameters: [{}]",
                ignored.join(" ")
            ));
        }

        Ok(Role {
            name,
            role_type,
            expiration_leeway,
            not_before_leeway,
            clock_skew_leeway,
            bound_audiences,
            bound_subject,
            bound_claims_type,
            bound_claims,
            claim_mappings,
            oauth2_metadata,
            user_claim,
            user_claim_json_pointer,
            groups_claim,
            oidc_scopes,
            allowed_redirect_uris,
            callback_mode,
            poll_interval,
            verbose_oidc_logging,
            max_age,
            token_policies_template_claims,
            oidc_disable_confirmation,
            token,
            warnings,
            bound_claims_go,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn role(body: Value) -> Result<Role, RoleError> {
        Role::from_json("r1", body.as_object().unwrap_or(&Map::new()))
    }

    fn err(body: Value) -> String {
        role(body).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn minimal_jwt_role() {
        let r = role(
            json!({"role_type": "jwt", "user_claim": "sub", "bound_audiences": "a, b",
                            "policies": "Dev,default,dev", "clock_skew_leeway": "1m", "foo": 1}),
        );
        let r = match r {
            Ok(r) => r,
            Err(e) => panic!("role refused: {e}"),
        };
        assert_eq!(r.bound_audiences, vec!["a", "b"]);
        assert_eq!(r.token.policies, vec!["default", "dev"]);
        assert_eq!(r.clock_skew_leeway, 60);
        assert_eq!(r.bound_claims_type, BoundClaimsType::String);
        assert_eq!(
            r.warnings,
            vec!["Endpoint ignored these unrecognized parameters: [foo]"]
        );
    }

    #[test]
    fn role_errors_match_openbao() {
        assert_eq!(
            err(json!({"user_claim": "sub"})),
            "'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified."
        );
        assert_eq!(err(json!({"role_type": "x"})), "invalid 'role_type': x");
        assert_eq!(
            err(json!({"role_type": "jwt", "user_claim": "sub"})),
            "must have at least one bound constraint when creating/updating a role"
        );
        assert_eq!(
            err(json!({"role_type": "jwt", "bound_subject": "x"})),
            "a user claim must be defined on the role"
        );
        assert_eq!(
            err(
                json!({"role_type": "jwt", "user_claim": "u", "bound_subject": "x", "bound_claims_type": "regex"})
            ),
            "invalid 'bound_claims_type': regex"
        );
        assert_eq!(
            err(
                json!({"role_type": "jwt", "user_claim": "u", "bound_claims_type": "glob", "bound_claims": {"a": 5}})
            ),
            "claim is not a string: 5"
        );
        assert_eq!(
            err(
                json!({"role_type": "jwt", "user_claim": "u", "bound_claims_type": "glob", "bound_claims": {"a": {"b": 1}}})
            ),
            "claim is not a string or list: map[b:1]"
        );
        assert_eq!(
            err(
                json!({"role_type": "jwt", "user_claim": "u", "bound_subject": "x", "claim_mappings": {"a": "m", "b": "m"}})
            ),
            "multiple keys are mapped to metadata key \"m\""
        );
        assert_eq!(
            err(
                json!({"role_type": "jwt", "user_claim": "u", "bound_subject": "x", "token_ttl": "2h", "token_max_ttl": "1h"})
            ),
            "'token_ttl' cannot be greater than 'token_max_ttl'"
        );
        assert_eq!(
            err(
                json!({"role_type": "jwt", "user_claim": "u", "bound_subject": "x", "token_type": "x"})
            ),
            "invalid 'token_type' value \"x\""
        );
        assert_eq!(err(json!({"role_type": "jwt", "user_claim": "u", "bound_subject": "x", "token_period": "800h"})),
            "'period' of '\"800h0m0s\"' is greater than the backend's maximum lease TTL of '\"768h0m0s\"'");
        assert_eq!(
            err(
                json!({"role_type": "jwt", "user_claim": "u", "bound_subject": "x", "max_age": -5})
            ),
            "error converting input for field \"max_age\": cannot provide negative value '-5'"
        );
        assert_eq!(
            err(
                json!({"role_type": "jwt", "user_claim": "u", "bound_subject": "x", "callback_mode": "y"})
            ),
            "invalid 'callback_mode': y"
        );
        assert_eq!(err(json!({"role_type": "jwt", "user_claim": "u", "token_bound_cidrs": "10.0.0.0/33"})),
            "error parsing address \"10.0.0.0/33\": Unable to convert 10.0.0.0/33 to an IPv4 or IPv6 address, or a UNIX Socket");
    }

    #[test]
    fn role_names() {
        assert!(is_valid_role_name("all_pipelines"));
        assert!(is_valid_role_name("a.b-c"));
        assert!(!is_valid_role_name("-a"));
        assert!(!is_valid_role_name("a/b"));
    }
}
