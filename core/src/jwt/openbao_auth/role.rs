//! A JWT auth role, built from the JSON body OpenBao's
//! `auth/<mount>/role/<name>` endpoint receives and validated the same way,
//! in the same order, with the same error text.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use serde_json::{Map, Value};

use super::error::RoleError;
use super::fields::{self, go_duration_string};
use super::go_value::{normalize_list, GoValue};
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

/// An IP network from `token_bound_cidrs` (a bare address is a /32 or /128).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    pub addr: IpAddr,
    pub prefix_len: u8,
}

impl Cidr {
    fn parse(text: &str) -> Option<Cidr> {
        let (addr_text, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr_text.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix_len = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
            None => max,
        };
        (prefix_len <= max).then_some(Cidr { addr, prefix_len })
    }

    /// Whether `ip` lies inside this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match (self.addr, ip) {
            (IpAddr::V6(_), IpAddr::V4(v4)) => IpAddr::V6(v4.to_ipv6_mapped()),
            (IpAddr::V4(_), IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => return false,
            },
            (_, ip) => ip,
        };
        let (net, addr, bits) = match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                (u128::from(u32::from(n)), u128::from(u32::from(a)), 32u32)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => (u128::from(n), u128::from(a), 128u32),
            _ => return false,
        };
        let host_bits = bits.saturating_sub(u32::from(self.prefix_len));
        let shift = |v: u128| v.checked_shr(host_bits).unwrap_or(0);
        shift(net) == shift(addr)
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix_len)
    }
}

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

#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldType {
    String,
    LowerString,
    Bool,
    Int,
    Duration,
    SignedDuration,
    CommaStrings,
    Map,
    KvPairs,
}

/// Every field of OpenBao's JWT role endpoint (role fields + token fields).
const ROLE_FIELDS: &[(&str, FieldType)] = &[
    ("name", FieldType::LowerString),
    ("role_type", FieldType::String),
    ("policies", FieldType::CommaStrings),
    ("num_uses", FieldType::Int),
    ("ttl", FieldType::Duration),
    ("max_ttl", FieldType::Duration),
    ("period", FieldType::Duration),
    ("bound_cidrs", FieldType::CommaStrings),
    ("expiration_leeway", FieldType::SignedDuration),
    ("not_before_leeway", FieldType::SignedDuration),
    ("clock_skew_leeway", FieldType::SignedDuration),
    ("bound_subject", FieldType::String),
    ("bound_audiences", FieldType::CommaStrings),
    ("bound_claims_type", FieldType::String),
    ("bound_claims", FieldType::Map),
    ("claim_mappings", FieldType::KvPairs),
    ("oauth2_metadata", FieldType::CommaStrings),
    ("user_claim", FieldType::String),
    ("user_claim_json_pointer", FieldType::Bool),
    ("groups_claim", FieldType::String),
    ("oidc_scopes", FieldType::CommaStrings),
    ("allowed_redirect_uris", FieldType::CommaStrings),
    ("callback_mode", FieldType::String),
    ("poll_interval", FieldType::Int),
    ("verbose_oidc_logging", FieldType::Bool),
    ("max_age", FieldType::Duration),
    ("token_policies_template_claims", FieldType::Bool),
    ("oidc_disable_confirmation", FieldType::Bool),
    ("token_bound_cidrs", FieldType::CommaStrings),
    ("token_explicit_max_ttl", FieldType::Duration),
    ("token_max_ttl", FieldType::Duration),
    ("token_no_default_policy", FieldType::Bool),
    ("token_period", FieldType::Duration),
    ("token_policies", FieldType::CommaStrings),
    ("token_type", FieldType::String),
    ("token_ttl", FieldType::Duration),
    ("token_num_uses", FieldType::Int),
    ("token_strictly_bind_ip", FieldType::Bool),
];

/// A converted request field.
#[derive(Clone)]
enum Field {
    Str(String),
    Bool(bool),
    Int(i64),
    Seconds(i64),
    List(Vec<String>),
    Map(Map<String, Value>),
    Kv(BTreeMap<String, String>),
}

/// The request body after OpenBao's field validation: only fields that were
/// given ("GetOk"), already converted.
struct FieldData {
    given: BTreeMap<&'static str, Field>,
}

impl FieldData {
    fn parse(body: &Map<String, Value>) -> Result<(FieldData, Vec<String>), RoleError> {
        let mut given = BTreeMap::new();
        let mut ignored = Vec::new();
        for (key, value) in body {
            let Some(&(name, kind)) = ROLE_FIELDS.iter().find(|(n, _)| *n == key) else {
                ignored.push(key.clone());
                continue;
            };
            let converted = convert_field(kind, value).map_err(|err| {
                RoleError::new(format!(
                    "error converting input for field {}: {err}",
                    go_quote(name)
                ))
            })?;
            if let Some(field) = converted {
                given.insert(name, field);
            }
        }
        ignored.sort();
        Ok((FieldData { given }, ignored))
    }

    fn has(&self, name: &str) -> bool {
        self.given.contains_key(name)
    }

    fn str(&self, name: &str) -> Option<String> {
        match self.given.get(name) {
            Some(Field::Str(s)) => Some(s.clone()),
            _ => None,
        }
    }

    fn bool(&self, name: &str) -> Option<bool> {
        match self.given.get(name) {
            Some(Field::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    fn int(&self, name: &str) -> Option<i64> {
        match self.given.get(name) {
            Some(Field::Int(i)) => Some(*i),
            _ => None,
        }
    }

    fn seconds(&self, name: &str) -> Option<i64> {
        match self.given.get(name) {
            Some(Field::Seconds(s)) => Some(*s),
            _ => None,
        }
    }

    fn list(&self, name: &str) -> Option<Vec<String>> {
        match self.given.get(name) {
            Some(Field::List(l)) => Some(l.clone()),
            _ => None,
        }
    }
}

fn convert_field(kind: FieldType, value: &Value) -> Result<Option<Field>, String> {
    Ok(Some(match kind {
        FieldType::String => Field::Str(fields::weak_string("", value)?),
        FieldType::LowerString => Field::Str(fields::weak_string("", value)?.to_lowercase()),
        FieldType::Bool => Field::Bool(fields::weak_bool(value)?),
        FieldType::Int => Field::Int(fields::weak_int(value)?),
        FieldType::Duration | FieldType::SignedDuration => {
            match fields::duration_seconds(value, kind == FieldType::SignedDuration)? {
                Some(seconds) => Field::Seconds(seconds),
                None => return Ok(None),
            }
        }
        FieldType::CommaStrings => Field::List(fields::comma_string_slice(value)?),
        FieldType::Map => Field::Map(fields::string_map(value)?),
        FieldType::KvPairs => Field::Kv(fields::kv_pairs(value)?),
    }))
}

/// `parseutil.ParseAddrs`.
fn parse_addrs(addrs: &[String]) -> Result<Vec<Cidr>, RoleError> {
    addrs
        .iter()
        .map(|addr| {
            Cidr::parse(addr).ok_or_else(|| {
                RoleError::new(format!(
                    "error parsing address {}: Unable to convert {addr} to an IPv4 or IPv6 address, or a UNIX Socket",
                    go_quote(addr)
                ))
            })
        })
        .collect()
}

/// `strutil.RemoveDuplicates`: trim, optionally lowercase, drop empty,
/// de-duplicate, sort.
pub(crate) fn remove_duplicates(items: &[String], lowercase: bool) -> Vec<String> {
    let set: BTreeSet<String> = items
        .iter()
        .map(|s| {
            let t = s.trim();
            if lowercase {
                t.to_lowercase()
            } else {
                t.to_string()
            }
        })
        .filter(|s| !s.is_empty())
        .collect();
    set.into_iter().collect()
}

/// `policyutil.ParsePolicies` as applied to the deprecated `policies` field.
fn sanitize_policies(policies: &[String]) -> Vec<String> {
    let cleaned: Vec<String> = policies.iter().map(|p| p.trim().to_lowercase()).collect();
    if cleaned.iter().any(|p| p == "root") {
        return vec!["root".into()];
    }
    remove_duplicates(&cleaned, true)
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

        let bound_claims = match data.given.get("bound_claims") {
            Some(Field::Map(map)) => map.clone(),
            _ => Map::new(),
        };
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

        let claim_mappings = match data.given.get("claim_mappings") {
            Some(Field::Kv(map)) => {
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

/// `tokenutil.ParseTokenFields`, same checks in the same order.
fn parse_token_fields(data: &FieldData) -> Result<TokenParams, RoleError> {
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
fn upgrade_deprecated_fields(data: &FieldData, t: &mut TokenParams) -> Result<(), RoleError> {
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
    fn cidr_contains() {
        let c = Cidr::parse("10.1.0.0/16");
        assert!(
            c.is_some_and(|c| c.contains("10.1.2.3".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))))
        );
        assert!(c.is_some_and(|c| !c.contains(IpAddr::from([10, 2, 0, 1]))));
        assert!(Cidr::parse("::1")
            .is_some_and(|c| c.contains("::1".parse().unwrap_or(IpAddr::from([0u8; 16])))));
    }

    #[test]
    fn role_names() {
        assert!(is_valid_role_name("all_pipelines"));
        assert!(is_valid_role_name("a.b-c"));
        assert!(!is_valid_role_name("-a"));
        assert!(!is_valid_role_name("a/b"));
    }
}
