//! The `token_*` parameters every OpenBao auth role carries
//! (`tokenutil.ParseTokenFields`) and the deprecated fields they replace.

use super::cidr::{parse_addrs, Cidr};
use super::error::RoleError;
use super::fields::remove_duplicates;
use super::role_fields::FieldData;
use crate::gocompat::go_quote;

/// The `token_*` parameters every OpenBao auth role carries. Durations are
/// whole seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenParams {
    pub bound_cidrs: Vec<Cidr>,
    pub explicit_max_ttl: i64,
    pub max_ttl: i64,
    pub no_default_policy: bool,
    pub period: i64,
    pub policies: Vec<String>,
    /// `default`, `service` or `batch`.
    pub token_type: String,
    pub ttl: i64,
    pub num_uses: i64,
    pub strictly_bind_ip: bool,
}

/// `policyutil.ParsePolicies` as applied to the deprecated `policies` field.
fn sanitize_policies(policies: &[String]) -> Vec<String> {
    let cleaned: Vec<String> = policies.iter().map(|p| p.trim().to_lowercase()).collect();
    if cleaned.iter().any(|p| p == "root") {
        return vec!["root".into()];
    }
    remove_duplicates(&cleaned, true)
}

/// `tokenutil.ParseTokenFields`, same checks in the same order.
pub(crate) fn parse_token_fields(data: &FieldData) -> Result<TokenParams, RoleError> {
    let mut t = TokenParams {
        token_type: "default".into(),
        ..TokenParams::default()
    };
    if let Some(cidrs) = data.list("token_bound_cidrs") {
        t.bound_cidrs = parse_addrs(&cidrs)?;
    }
    if let Some(v) = data.seconds("token_explicit_max_ttl") {
        t.explicit_max_ttl = v;
    }
    if let Some(v) = data.seconds("token_max_ttl") {
        t.max_ttl = v;
    }
    if let Some(v) = data.bool("token_no_default_policy") {
        t.no_default_policy = v;
    }
    if let Some(v) = data.seconds("token_period") {
        t.period = v;
    }
    if let Some(v) = data.list("token_policies") {
        t.policies = v;
    }
    if let Some(v) = data.str("token_type") {
        t.token_type = match v.as_str() {
            "" | "default" => "default".into(),
            "service" | "batch" => v.clone(),
            _ => {
                return Err(RoleError::new(format!(
                    "invalid 'token_type' value {}",
                    go_quote(&v)
                )))
            }
        };
    }
    if let Some(v) = data.int("token_num_uses") {
        t.num_uses = v;
    }
    if t.num_uses < 0 {
        return Err(RoleError::new("'token_num_uses' cannot be negative"));
    }
    if t.token_type == "batch" {
        if t.period != 0 {
            return Err(RoleError::new("'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens"));
        }
        if t.num_uses != 0 {
            return Err(RoleError::new("'token_type' cannot be 'batch' or 'default_batch' when set to generate tokens with limited use count"));
        }
    }
    if let Some(v) = data.seconds("token_ttl") {
        t.ttl = v;
    }
    if t.ttl > 0 && t.max_ttl > 0 && t.ttl > t.max_ttl {
        return Err(RoleError::new(
            "'token_ttl' cannot be greater than 'token_max_ttl'",
        ));
    }
    if let Some(v) = data.bool("token_strictly_bind_ip") {
        t.strictly_bind_ip = v;
    }
    if t.strictly_bind_ip && !t.bound_cidrs.is_empty() {
        return Err(RoleError::new(
            "'token_strictly_bind_ip' conflicts with 'token_bound_cidrs'; set only one",
        ));
    }
    Ok(t)
}

/// `tokenutil.UpgradeValue`: a deprecated field is used only when its
/// `token_*` replacement is absent.
pub(crate) fn upgrade_deprecated_fields(
    data: &FieldData,
    t: &mut TokenParams,
) -> Result<(), RoleError> {
    if !data.has("token_policies") {
        if let Some(p) = data.list("policies") {
            t.policies = sanitize_policies(&p);
        }
    }
    if !data.has("token_bound_cidrs") {
        if let Some(c) = data.list("bound_cidrs") {
            t.bound_cidrs = parse_addrs(&c)?;
        }
    }
    if !data.has("token_num_uses") {
        if let Some(n) = data.int("num_uses") {
            t.num_uses = n;
        }
    }
    if !data.has("token_ttl") {
        if let Some(v) = data.seconds("ttl") {
            t.ttl = v;
        }
    }
    if !data.has("token_max_ttl") {
        if let Some(v) = data.seconds("max_ttl") {
            t.max_ttl = v;
        }
    }
    if !data.has("token_period") {
        if let Some(v) = data.seconds("period") {
            t.period = v;
        }
    }
    Ok(())
}
