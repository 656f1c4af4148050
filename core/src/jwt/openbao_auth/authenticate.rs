//! The claims half of OpenBao's JWT login (`pathLogin` after the signature
//! check): registered claims, audience strictness, identity (user claim,
//! claim mappings, groups), bound claims, token parameters, in that order,
//! so the first failure reported is the one OpenBao reports.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use super::cidr::Cidr;
use super::error::{AuthError, AuthErrorKind};
use super::fields::remove_duplicates;
use super::go_value::{get_claim, normalize_list, GoEquality, GoValue};
use super::registered::{validate_registered_claims, Expected};
use super::role::{BoundClaimsType, Role, RoleType};
use crate::gocompat::go_quote;

/// A successful login, as OpenBao would return it in `auth`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// The role logged in against.
    pub role_name: String,
    /// The identity entity alias name (the user claim's value).
    pub alias_name: String,
    /// The token's display name: `<mount>-<alias name>`.
    pub display_name: String,
    /// Alias and token metadata; always contains `role`.
    pub metadata: BTreeMap<String, String>,
    /// Group alias names from the groups claim (empty strings skipped).
    pub groups: Vec<String>,
    /// Token policies.
    pub policies: Vec<String>,
    pub no_default_policy: bool,
    /// Seconds; 0 means the mount/system default.
    pub ttl: i64,
    pub max_ttl: i64,
    pub explicit_max_ttl: i64,
    pub period: i64,
    pub num_uses: i64,
    /// `default`, `service` or `batch`.
    pub token_type: String,
    pub bound_cidrs: Vec<Cidr>,
    /// Always true for JWT logins.
    pub renewable: bool,
}

/// Everything about the login request other than the claims.
#[derive(Debug, Clone, Copy)]
pub struct LoginContext<'a> {
    /// The moment of the login.
    pub now: SystemTime,
    /// The config's `bound_issuer` ("" = not checked).
    pub bound_issuer: &'a str,
    /// The auth mount path (`jwt` for `auth/jwt`), used for the display name.
    pub mount_path: &'a str,
    /// The client address. OpenBao refuses a role with `token_bound_cidrs`
    /// when it has no connection information, and so does this.
    pub remote_addr: Option<IpAddr>,
}

impl<'a> LoginContext<'a> {
    /// A context at `now` with no issuer check, mount `jwt` and no address.
    pub fn at(now: SystemTime) -> Self {
        LoginContext {
            now,
            bound_issuer: "",
            mount_path: "jwt",
            remote_addr: None,
        }
    }
}

/// Nanoseconds since the Unix epoch (negative before it).
fn unix_nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// Checks the pieces OpenBao checks before it looks at the token.
pub(crate) fn check_request(role: &Role) -> Result<(), AuthError> {
    if role.role_type == RoleType::Oidc {
        return Err(AuthError::new(
            AuthErrorKind::Request,
            "role with oidc role_type is not allowed",
        ));
    }
    Ok(())
}

/// `token_bound_cidrs` check (after the token presence check in OpenBao).
pub(crate) fn check_bound_cidrs(role: &Role, ctx: &LoginContext<'_>) -> Result<(), AuthError> {
    if role.token.bound_cidrs.is_empty() {
        return Ok(());
    }
    let allowed = ctx
        .remote_addr
        .is_some_and(|ip| role.token.bound_cidrs.iter().any(|c| c.contains(ip)));
    if allowed {
        Ok(())
    } else {
        Err(AuthError::new(AuthErrorKind::Request, "permission denied"))
    }
}

/// Runs the claims part of the login on claims whose signature has been
/// checked (or that the caller trusts).
pub(crate) fn authenticate_claims(
    role: &Role,
    claims: &BTreeMap<String, GoValue>,
    ctx: &LoginContext<'_>,
) -> Result<Login, AuthError> {
    let expected = Expected {
        issuer: ctx.bound_issuer,
        subject: &role.bound_subject,
        audiences: &role.bound_audiences,
        expiration_leeway: role.expiration_leeway,
        not_before_leeway: role.not_before_leeway,
        clock_skew_leeway: role.clock_skew_leeway,
    };
    validate_registered_claims(claims, &expected, unix_nanos(ctx.now))?;

    // Without bound audiences, any audience in the token is an error.
    if let Some(GoValue::List(aud)) = get_claim(claims, "aud") {
        if !aud.is_empty() && role.bound_audiences.is_empty() {
            return Err(AuthError::new(
                AuthErrorKind::Token,
                "audience claim found in JWT but no audiences bound to the role",
            ));
        }
    }

    let (alias_name, metadata, groups) = create_identity(role, claims)?;
    validate_bound_claims(role, claims)?;

    let mut policies = role.token.policies.clone();
    if role.token_policies_template_claims {
        policies = template_policies(&policies)?;
    }
    let bound_cidrs =
        if role.token.strictly_bind_ip {
            match ctx.remote_addr {
                Some(ip) => vec![Cidr::host(ip)],
                None => return Err(AuthError::new(
                    AuthErrorKind::Internal,
                    "failed to populate auth information: no remote address to bind the token to",
                )),
            }
        } else {
            role.token.bound_cidrs.clone()
        };

    // OpenBao's core, not the JWT backend, refuses an empty alias name once
    // the backend has accepted the login (HTTP 500), so this runs last.
    if alias_name.is_empty() {
        return Err(AuthError::new(
            AuthErrorKind::Internal,
            "missing name in alias",
        ));
    }

    let display_name = display_name(ctx.mount_path, &alias_name);
    Ok(Login {
        role_name: role.name.clone(),
        alias_name,
        display_name,
        metadata,
        groups,
        policies,
        no_default_policy: role.token.no_default_policy,
        ttl: role.token.ttl,
        max_ttl: role.token.max_ttl,
        explicit_max_ttl: role.token.explicit_max_ttl,
        period: role.token.period,
        num_uses: role.token.num_uses,
        token_type: role.token.token_type.clone(),
        bound_cidrs,
        renewable: true,
    })
}

/// OpenBao prefixes the mount path (slashes turned into dashes) and trims
/// one trailing dash.
fn display_name(mount_path: &str, alias_name: &str) -> String {
    let mount = mount_path.trim_start_matches("auth/");
    let mount = mount.strip_suffix('/').unwrap_or(mount);
    let full = format!("{}-{alias_name}", mount.replace('/', "-"));
    match full.strip_suffix('-') {
        Some(trimmed) => trimmed.to_string(),
        None => full,
    }
}

fn identity_error(message: String) -> AuthError {
    AuthError::new(AuthErrorKind::Identity, message)
}

type Identity = (String, BTreeMap<String, String>, Vec<String>);

/// `createIdentity`: alias name, metadata from claim mappings, groups.
fn create_identity(role: &Role, claims: &BTreeMap<String, GoValue>) -> Result<Identity, AuthError> {
    let user = if role.user_claim_json_pointer {
        get_claim(claims, &role.user_claim)
    } else {
        // A plain lookup: no JSON pointer, no number conversion.
        claims
            .get(&role.user_claim)
            .filter(|v| **v != GoValue::Null)
            .cloned()
    };
    let alias_name = match user {
        None => {
            return Err(identity_error(format!(
                "claim {} not found in token",
                go_quote(&role.user_claim)
            )))
        }
        Some(GoValue::String(s)) => s,
        Some(_) => {
            return Err(identity_error(format!(
                "claim {} could not be converted to string",
                go_quote(&role.user_claim)
            )))
        }
    };

    let mut metadata = BTreeMap::new();
    for (source, target) in &role.claim_mappings {
        match get_claim(claims, source) {
            None => {}
            Some(GoValue::String(s)) => {
                metadata.insert(target.clone(), s);
            }
            Some(_) => {
                return Err(identity_error(format!(
                    "error converting claim '{source}' to string"
                )))
            }
        }
    }
    metadata.insert("role".to_string(), role.name.clone());

    let mut groups = Vec::new();
    if !role.groups_claim.is_empty() {
        let raw = get_claim(claims, &role.groups_claim).ok_or_else(|| {
            identity_error(format!(
                "failed to fetch groups: {} claim not found in token",
                go_quote(&role.groups_claim)
            ))
        })?;
        let list = normalize_list(&raw).ok_or_else(|| {
            identity_error(format!(
                "{} claim could not be converted to string list",
                go_quote(&role.groups_claim)
            ))
        })?;
        for item in list {
            match item {
                GoValue::String(s) if s.is_empty() => {}
                GoValue::String(s) => groups.push(s),
                other => {
                    return Err(identity_error(format!(
                        "value {} in groups claim could not be parsed as string",
                        other.go_format()
                    )))
                }
            }
        }
    }
    Ok((alias_name, metadata, groups))
}

fn claims_error(detail: String) -> AuthError {
    AuthError::new(
        AuthErrorKind::BoundClaims,
        format!("error validating claims: {detail}"),
    )
}

/// `validateBoundClaims`. OpenBao walks a Go map (random order); this walks
/// the role's bound claims in the order they were written.
fn validate_bound_claims(role: &Role, claims: &BTreeMap<String, GoValue>) -> Result<(), AuthError> {
    let use_globs = role.bound_claims_type == BoundClaimsType::Glob;
    for (claim, expected) in &role.bound_claims_go {
        let actual = get_claim(claims, claim)
            .ok_or_else(|| claims_error(format!("claim {} is missing", go_quote(claim))))?;
        let actual_values = normalize_list(&actual).ok_or_else(|| {
            claims_error(format!(
                "received claim is not a string, bool, int or list: {}",
                actual.go_format()
            ))
        })?;
        let expected_values = normalize_list(expected).ok_or_else(|| {
            claims_error(format!(
                "bound claim is not a string, bool, int or list: {}",
                expected.go_format()
            ))
        })?;
        if !match_found(&expected_values, &actual_values, use_globs)? {
            return Err(claims_error(format!(
                "claim {} does not match any associated bound claim values",
                go_quote(claim)
            )));
        }
    }
    Ok(())
}

fn match_found(
    expected: &[GoValue],
    actual: &[GoValue],
    use_globs: bool,
) -> Result<bool, AuthError> {
    for exp in expected {
        for act in actual {
            if use_globs {
                // Role validation guarantees glob patterns are strings.
                let (Some(pattern), Some(subject)) = (exp.as_str(), act.as_str()) else {
                    continue;
                };
                if go_glob(pattern, subject) {
                    return Ok(true);
                }
            } else {
                match act.go_eq(exp) {
                    GoEquality::Equal => return Ok(true),
                    GoEquality::NotEqual => {}
                    // Go panics here; OpenBao answers with an internal error.
                    GoEquality::Uncomparable => {
                        return Err(AuthError::new(AuthErrorKind::Internal, "internal error"))
                    }
                }
            }
        }
    }
    Ok(false)
}

/// `github.com/ryanuber/go-glob`'s `Glob`, including its first-match
/// scanning: `*` matches any run of characters (including `/`), nothing
/// else is special.
pub(crate) fn go_glob(pattern: &str, subject: &str) -> bool {
    if pattern.is_empty() {
        return subject.is_empty();
    }
    if pattern == "*" {
        return true;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return subject == pattern;
    }
    let leading_glob = pattern.starts_with('*');
    let trailing_glob = pattern.ends_with('*');
    let last = parts.len() - 1;
    let mut rest = subject;
    for (i, part) in parts.iter().enumerate().take(last) {
        let found = rest.find(part);
        match (i, found) {
            (0, Some(0)) => {}
            (0, _) if !leading_glob => return false,
            (_, None) => return false,
            _ => {}
        }
        // With a leading glob parts[0] is "" and found is Some(0).
        let index = found.unwrap_or(0);
        rest = rest.get(index + part.len()..).unwrap_or("");
    }
    trailing_glob || parts.get(last).is_some_and(|end| rest.ends_with(end))
}

/// With `token_policies_template_claims`, OpenBao renders each policy as a
/// Go template. Plain names render to themselves; real templates are not
/// evaluated locally and are refused rather than guessed.
fn template_policies(policies: &[String]) -> Result<Vec<String>, AuthError> {
    if policies.iter().any(|p| p.contains("{{")) {
        return Err(AuthError::new(
            AuthErrorKind::Internal,
            "templated token policies are not supported by the local evaluator",
        ));
    }
    let unique: BTreeSet<String> = policies.iter().filter(|p| !p.is_empty()).cloned().collect();
    Ok(remove_duplicates(
        &unique.into_iter().collect::<Vec<_>>(),
        false,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_like_go_glob() {
        assert!(go_glob("review/*", "review/x"));
        assert!(go_glob("review/*", "review/"));
        assert!(!go_glob("review/*", "review"));
        assert!(go_glob("*-prod", "eu-prod"));
        assert!(go_glob("*-prod", "-prod"));
        assert!(!go_glob("review/*", "Review/x"));
        assert!(go_glob("review/*", "review/a/b/c"));
        assert!(go_glob("*", ""));
        assert!(!go_glob("feature-4?", "feature-42"));
        assert!(go_glob("a*b*c", "aXbYc"));
        assert!(!go_glob("a*b", "aXbY"));
        assert!(go_glob("", ""));
        assert!(!go_glob("", "x"));
    }

    #[test]
    fn display_names() {
        assert_eq!(display_name("jwt", "alice"), "jwt-alice");
        assert_eq!(display_name("auth/ci/jwt/", "bob"), "ci-jwt-bob");
        assert_eq!(display_name("jwt", ""), "jwt");
    }
}
