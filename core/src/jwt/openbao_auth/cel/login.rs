//! A CEL login (`pathCelLogin`): the token's registered claims, then the
//! program (variables in order, then the expression), then OpenBao's
//! conversion of the returned `pb.Auth` and the core's token checks, each
//! failure with OpenBao's text.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use cel::common::types::CelStruct;
use cel::objects::Key;
use cel::{Context, Value};
use serde_json::{Map, Value as Json};

use super::budget::reset_budget;
use super::environment::env;
use super::go_errors::go_text;
use super::messages::{ALIAS, AUTH, LEASE_OPTIONS};
use super::program::Parsed;
use super::role::CelRole;
use super::values::{go_result_type, object_val};
use crate::gocompat::go_quote;
use crate::jwt::openbao_auth::authenticate::LoginContext;
use crate::jwt::openbao_auth::cidr::Cidr;
use crate::jwt::openbao_auth::error::{AuthError, AuthErrorKind};
use crate::jwt::openbao_auth::go_value::claims_from_json;
use crate::jwt::openbao_auth::registered::{validate_registered_claims, Expected};
use crate::jwt::openbao_auth::DEFAULT_MAX_LEASE_TTL_SECONDS;

const NANOS: i64 = 1_000_000_000;

/// Stack an evaluation needs left (unoptimised builds use far more per
/// level), and the size of the segment allocated when it is not.
const EVAL_RED_ZONE: usize = if cfg!(debug_assertions) {
    8 << 20
} else {
    1 << 20
};
const EVAL_STACK: usize = 2 * EVAL_RED_ZONE;

/// A successful CEL login, as OpenBao would answer it in `auth`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CelLogin {
    /// The CEL role's name as stored.
    pub role_name: String,
    /// The entity alias name (`pb.Auth.alias.name`); None without an alias.
    pub alias_name: Option<String>,
    /// The alias's metadata.
    pub alias_metadata: BTreeMap<String, String>,
    /// The token's display name: `<mount>-<pb.Auth.display_name>`.
    pub display_name: String,
    /// `pb.Auth.metadata`.
    pub metadata: BTreeMap<String, String>,
    /// Group alias names (`pb.Auth.group_aliases`).
    pub groups: Vec<String>,
    /// Token policies, sanitised as OpenBao does (`default` added unless
    /// `no_default_policy`).
    pub policies: Vec<String>,
    pub no_default_policy: bool,
    /// Seconds (the token's TTL after OpenBao's TTL calculation).
    pub lease_duration: i64,
    pub renewable: bool,
    /// Seconds.
    pub period: i64,
    /// Seconds.
    pub explicit_max_ttl: i64,
    pub num_uses: i64,
    /// `service` or `batch`.
    pub token_type: String,
    pub bound_cidrs: Vec<Cidr>,
}

fn program_error(detail: String) -> AuthError {
    AuthError::new(
        AuthErrorKind::BoundClaims,
        format!("error executing cel program: {detail}"),
    )
}

fn unix_nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

fn timestamp(t: SystemTime) -> Value {
    let nanos = unix_nanos(t);
    let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).unwrap_or(0);
    let sub = u32::try_from(nanos.rem_euclid(1_000_000_000)).unwrap_or(0);
    let dt = chrono::DateTime::from_timestamp(secs, sub).unwrap_or_default();
    Value::Timestamp(dt.fixed_offset())
}

/// Evaluates one prepared expression; a panic inside cel-rust becomes an
/// error, never a crash.
fn eval(parsed: &Parsed, ctx: &Context<'_, '_>) -> Result<Value, String> {
    let run = std::panic::AssertUnwindSafe(|| Value::resolve(&parsed.expr, ctx));
    // cel-rust recurses once per AST level (at most MAX_AST_DEPTH): make
    // sure that much stack is left, whatever thread the login runs on.
    let outcome = stacker::maybe_grow(EVAL_RED_ZONE, EVAL_STACK, || std::panic::catch_unwind(run));
    match outcome {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(go_text(&e)),
        Err(_) => Err("internal error while evaluating the expression".into()),
    }
}

/// Runs the role's program on `claims` at `now`: OpenBao's
/// `runCelProgram` up to its type switch on the result.
pub(crate) fn run_program(
    role: &CelRole,
    claims: &Map<String, Json>,
    now: SystemTime,
) -> Result<Value, AuthError> {
    let mut ctx = Context::with_env(Arc::clone(env()));
    ctx.add_variable_as_val("claims", Box::new(object_val(claims)));
    ctx.add_variable_from_value("now", timestamp(now));
    ctx.add_variable_from_value("operation", "update");
    reset_budget();
    let failed = |what: String| program_error(format!("CEL auth program failed: {what}"));
    for (i, var) in role.program.variables.iter().enumerate() {
        let value = eval(&var.parsed, &ctx).map_err(|e| {
            failed(format!(
                "failed to evaluate variables: variable[{i}].{}: failed to evaluate expression {}: {e}",
                var.name,
                go_quote(&var.expression)
            ))
        })?;
        ctx.add_variable_from_value(var.name.clone(), value);
    }
    eval(&role.program.main, &ctx).map_err(|e| {
        failed(format!(
            "failed to evaluate expression: failed to evaluate expression {}: {e}",
            go_quote(&role.program.expression)
        ))
    })
}

/// The claims half of a CEL login, on claims whose signature is trusted.
pub(crate) fn authenticate_claims(
    role: &CelRole,
    claims: &Map<String, Json>,
    ctx: &LoginContext<'_>,
) -> Result<CelLogin, AuthError> {
    let expected = Expected {
        issuer: ctx.bound_issuer,
        subject: "",
        audiences: &role.bound_audiences,
        expiration_leeway: role.expiration_leeway,
        not_before_leeway: role.not_before_leeway,
        clock_skew_leeway: role.clock_skew_leeway,
    };
    validate_registered_claims(&claims_from_json(claims), &expected, unix_nanos(ctx.now))?;
    let result = run_program(role, claims, ctx.now)?;
    let auth = match &result {
        Value::Bool(false) => {
            return Err(program_error(format!(
                "CEL role '{}' blocked authorization with boolean false return",
                role.name
            )))
        }
        Value::String(s) => {
            return Err(program_error(format!(
                "CEL role '{}' blocked authorization with message: {s}",
                role.name
            )))
        }
        Value::Struct(s) if s.name() == AUTH => Arc::clone(s),
        other => {
            return Err(program_error(format!(
                "CEL program '{}' returned unexpected type: {}",
                role.name,
                go_result_type(other)
            )))
        }
    };
    to_login(role, &auth, ctx)
}

fn field(s: &CelStruct<'static>, name: &str) -> Option<Value> {
    s.field_value(name).and_then(|v| Value::try_from(v).ok())
}

fn str_field(s: &CelStruct<'static>, name: &str) -> String {
    match field(s, name) {
        Some(Value::String(v)) => v.to_string(),
        _ => String::new(),
    }
}

fn int_field(s: &CelStruct<'static>, name: &str) -> i64 {
    match field(s, name) {
        Some(Value::Int(i)) => i,
        _ => 0,
    }
}

fn bool_field(s: &CelStruct<'static>, name: &str) -> bool {
    matches!(field(s, name), Some(Value::Bool(true)))
}

fn list_field(s: &CelStruct<'static>, name: &str) -> Vec<Value> {
    match field(s, name) {
        Some(Value::List(items)) => items.to_vec(),
        _ => Vec::new(),
    }
}

fn str_list_field(s: &CelStruct<'static>, name: &str) -> Vec<String> {
    list_field(s, name)
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.to_string()),
            _ => None,
        })
        .collect()
}

fn map_field(s: &CelStruct<'static>, name: &str) -> BTreeMap<String, String> {
    let Some(Value::Map(m)) = field(s, name) else {
        return BTreeMap::new();
    };
    m.map
        .iter()
        .filter_map(|(k, v)| match (k, v) {
            (Key::String(k), Value::String(v)) => Some((k.to_string(), v.to_string())),
            _ => None,
        })
        .collect()
}

fn struct_field(s: &CelStruct<'static>, name: &str, kind: &str) -> Option<Arc<CelStruct<'static>>> {
    match field(s, name) {
        Some(Value::Struct(inner)) if inner.name() == kind => Some(inner),
        _ => None,
    }
}

fn convert_error(detail: impl std::fmt::Display) -> AuthError {
    AuthError::new(
        AuthErrorKind::BoundClaims,
        format!("error converting proto auth: {detail}"),
    )
}

/// Go's `encoding/json` first error for text that is not a JSON object,
/// for the common cases.
fn go_json_error(text: &str) -> String {
    match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(_)) => String::new(),
        Ok(other) => format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            match other {
                Json::Array(_) => "array",
                Json::String(_) => "string",
                Json::Number(_) => "number",
                Json::Bool(_) => "bool",
                _ => "null",
            }
        ),
        Err(_) => {
            let first = text.trim_start().chars().next();
            match first {
                Some(c) => format!("invalid character '{c}' looking for beginning of value"),
                None => "unexpected end of JSON input".into(),
            }
        }
    }
}

/// `pb.ProtoAuthToLogicalAuth` plus what the core does with the result
/// (`LoginCreateToken`): display name, policies, TTL, alias.
fn to_login(
    role: &CelRole,
    auth: &CelStruct<'static>,
    ctx: &LoginContext<'_>,
) -> Result<CelLogin, AuthError> {
    let internal = str_field(auth, "internal_data");
    if !internal.is_empty() {
        let err = go_json_error(&internal);
        if !err.is_empty() {
            return Err(convert_error(err));
        }
    }
    let (mut ttl, mut max_ttl, mut renewable) = (0i64, 0i64, false);
    if let Some(lease) = struct_field(auth, "lease_options", LEASE_OPTIONS) {
        if !matches!(field(&lease, "issue_time"), Some(Value::Timestamp(_))) {
            return Err(convert_error("proto:\u{a0}invalid nil Timestamp"));
        }
        ttl = int_field(&lease, "TTL");
        max_ttl = int_field(&lease, "MaxTTL");
        renewable = bool_field(&lease, "renewable");
    }
    let mut bound_cidrs = Vec::new();
    for addr in str_list_field(auth, "bound_cidrs") {
        let cidr = Cidr::parse(&addr).ok_or_else(|| {
            convert_error(format!(
                "error parsing address {}: Unable to convert {} to an IPv4 or IPv6 address, or a UNIX Socket",
                go_quote(&addr),
                go_quote(&addr)
            ))
        })?;
        bound_cidrs.push(cidr);
    }

    // The core refuses an alias without a name (HTTP 500).
    let alias = struct_field(auth, "alias", ALIAS);
    if let Some(a) = &alias {
        if str_field(a, "name").is_empty() {
            return Err(AuthError::new(
                AuthErrorKind::Internal,
                "missing name in alias",
            ));
        }
    }

    let token_type = match field(auth, "token_type") {
        None | Some(Value::UInt(0 | 1 | 3)) => "service",
        Some(Value::UInt(2 | 4)) => "batch",
        Some(other) => {
            return Err(AuthError::new(
                AuthErrorKind::Request,
                format!("invalid token type {other:?}"),
            ))
        }
    };
    let no_default_policy = bool_field(auth, "no_default_policy");
    let policies = sanitize_policies(&str_list_field(auth, "policies"), !no_default_policy);
    for p in &policies {
        if p == "root" {
            return Err(AuthError::new(
                AuthErrorKind::Request,
                "auth methods cannot create root tokens",
            ));
        }
        if p == "response-wrapping" || p == "control-group" {
            return Err(AuthError::new(
                AuthErrorKind::Request,
                format!("cannot assign policy {}", go_quote(p)),
            ));
        }
    }

    let period = int_field(auth, "period");
    let explicit_max_ttl = int_field(auth, "explicit_max_ttl");
    let lease_ns = calculate_ttl(ttl, period, max_ttl, explicit_max_ttl);
    let display = format!(
        "{}-{}",
        mount_source(ctx.mount_path),
        str_field(auth, "display_name")
    );
    let display_name = display.strip_suffix('-').unwrap_or(&display).to_string();

    Ok(CelLogin {
        role_name: role.name.clone(),
        alias_name: alias.as_ref().map(|a| str_field(a, "name")),
        alias_metadata: alias
            .as_ref()
            .map(|a| map_field(a, "metadata"))
            .unwrap_or_default(),
        display_name,
        metadata: map_field(auth, "metadata"),
        groups: list_field(auth, "group_aliases")
            .into_iter()
            .filter_map(|g| match g {
                Value::Struct(s) => Some(str_field(&s, "name")),
                _ => None,
            })
            .collect(),
        policies,
        no_default_policy,
        lease_duration: lease_ns / NANOS,
        renewable: renewable && token_type == "service",
        period: period / NANOS,
        explicit_max_ttl: explicit_max_ttl / NANOS,
        num_uses: int_field(auth, "num_uses"),
        token_type: token_type.to_string(),
        bound_cidrs,
    })
}

/// The mount path as the display-name prefix: `auth/` trimmed, slashes as
/// dashes, without the trailing one.
fn mount_source(mount_path: &str) -> String {
    let mount = mount_path.trim_start_matches("auth/");
    mount.strip_suffix('/').unwrap_or(mount).replace('/', "-")
}

/// `policyutil.SanitizePolicies`.
pub(crate) fn sanitize_policies(policies: &[String], add_default: bool) -> Vec<String> {
    let mut cleaned: Vec<String> = policies.iter().map(|p| p.trim().to_lowercase()).collect();
    let mut default_found = false;
    for p in &cleaned {
        if p == "root" {
            return vec!["root".into()];
        }
        if p == "default" {
            default_found = true;
        }
    }
    if add_default && (cleaned.is_empty() || !default_found) {
        cleaned.push("default".into());
    }
    crate::jwt::openbao_auth::fields::remove_duplicates(&cleaned, true)
}

/// `framework.CalculateTTL` with the mount's defaults (768h default and
/// maximum), in nanoseconds.
fn calculate_ttl(ttl: i64, period: i64, max_ttl: i64, explicit_max_ttl: i64) -> i64 {
    let sys_max = DEFAULT_MAX_LEASE_TTL_SECONDS * NANOS;
    if period > 0 {
        return if explicit_max_ttl > 0 && explicit_max_ttl < period {
            explicit_max_ttl
        } else {
            period
        };
    }
    let mut max = sys_max;
    if max_ttl > 0 && max_ttl < max {
        max = max_ttl;
    }
    if explicit_max_ttl > 0 && explicit_max_ttl < max {
        max = explicit_max_ttl;
    }
    let ttl = if ttl <= 0 { sys_max } else { ttl };
    ttl.min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(expression: &str) -> CelRole {
        let body = serde_json::json!({"cel_program": {"expression": expression}});
        CelRole::from_json("r", body.as_object().expect("object")).expect("role")
    }

    #[test]
    fn scalars_for_repeated_fields_are_refused_as_cel_go_does() {
        let r = role("pb.Auth{policies: claims.g}");
        let claims = serde_json::json!({"g": 5});
        let err = run_program(&r, claims.as_object().expect("object"), SystemTime::now())
            .and_then(|v| match v {
                Value::Struct(_) => Ok(()),
                _ => Err(program_error("not a struct".into())),
            })
            .expect_err("refused");
        assert!(
            err.message()
                .ends_with("unsupported field type for pb.Auth.policies: double"),
            "{err}"
        );
    }

    #[test]
    fn hostile_loops_hit_the_budget() {
        let items: Vec<Json> = (0..2000).map(Json::from).collect();
        let claims = serde_json::json!({"xs": items});
        let r = role("claims.xs.all(x, claims.xs.all(y, x != -1)) ? pb.Auth{} : false");
        let start = std::time::Instant::now();
        let err = run_program(&r, claims.as_object().expect("object"), SystemTime::now())
            .expect_err("budget");
        assert!(err.message().contains("comprehension steps"), "{err}");
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
        // Within the budget the same loop completes.
        let small = serde_json::json!({"xs": [1, 2, 3]});
        let ok = run_program(&r, small.as_object().expect("object"), SystemTime::now());
        assert!(matches!(ok, Ok(Value::Struct(_))), "{ok:?}");
    }

    #[test]
    fn the_deepest_accepted_program_evaluates_on_a_small_stack() {
        let depth = super::super::program::MAX_AST_DEPTH / 2 - 2;
        let expr = format!(
            "{}1{} == 1 ? pb.Auth{{}} : false",
            "(1 + ".repeat(depth),
            ")".repeat(depth)
        );
        let r = role(&expr);
        let handle = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || run_program(&r, &Map::new(), SystemTime::now()).is_err())
            .expect("thread");
        assert!(handle.join().is_ok(), "evaluation fits in 1 MiB");
    }

    #[test]
    fn ttl_follows_calculate_ttl() {
        assert_eq!(calculate_ttl(0, 0, 0, 0), 2_764_800 * NANOS);
        assert_eq!(calculate_ttl(300 * NANOS, 0, 300 * NANOS, 0), 300 * NANOS);
        assert_eq!(
            calculate_ttl(40 * 86_400 * NANOS, 0, 0, 0),
            2_764_800 * NANOS
        );
        assert_eq!(calculate_ttl(0, 600 * NANOS, 0, 0), 600 * NANOS);
    }

    #[test]
    fn policies_are_sanitised() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            sanitize_policies(&p(&["Admin", " ops ", "ops", "", "A/B"]), true),
            p(&["a/b", "admin", "default", "ops"])
        );
        assert_eq!(sanitize_policies(&p(&[]), false), Vec::<String>::new());
        assert_eq!(sanitize_policies(&p(&["x", "Root"]), true), p(&["root"]));
    }
}
