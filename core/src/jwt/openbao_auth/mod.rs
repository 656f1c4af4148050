//! OpenBao's JWT auth method, evaluated locally with OpenBao's semantics:
//! role validation (`auth/<mount>/role/<name>`), login checks in OpenBao's
//! order, and OpenBao's error text verbatim.
//!
//! - [`Role::from_json`] validates a role body as the role endpoint does
//!   ([`RoleError`] carries OpenBao's message).
//! - [`authenticate`] runs the claims part of a login on already-trusted
//!   claims; [`login`] verifies the token's signature and `alg` against a
//!   [`JwtAuthConfig`] first.
//! - [`CelRole::from_json`] / [`cel_login`]: CEL roles (`cel/role`,
//!   `cel/login`), see the `cel` module.
//! - Failures are [`AuthError`]s whose message is OpenBao's.

mod authenticate;
mod backend;
mod cel;
mod cidr;
mod config;
mod error;
mod fields;
mod go_value;
mod registered;
mod role;
mod role_fields;
mod token_params;

use std::net::IpAddr;
use std::time::SystemTime;

use serde_json::{Map, Value};

pub use authenticate::{Login, LoginContext};
pub use backend::JwtAuthBackend;
pub use cel::{
    cel_authenticate, cel_login, CelLogin, CelProgram, CelRole, CelVariable, MAX_AST_DEPTH,
    MAX_EXPRESSION_CODE_POINTS, MAX_ITERATIONS, MAX_OPERATORS, MAX_VARIABLES,
};
pub use cidr::Cidr;
pub use config::{JwtAuthConfig, KeySource, DEFAULT_SUPPORTED_ALGS};
pub use error::{AuthError, AuthErrorKind, ConfigError, RoleError};
pub use role::{BoundClaimsType, Role, RoleType, DEFAULT_MAX_LEASE_TTL_SECONDS};
pub use token_params::TokenParams;

use go_value::claims_from_json;

/// Runs the claims part of an OpenBao JWT login (everything after the
/// signature check) at `now`, with no issuer check and mount `jwt`.
pub fn authenticate(
    role: &Role,
    claims: &Map<String, Value>,
    now: SystemTime,
) -> Result<Login, AuthError> {
    authenticate_with(role, claims, &LoginContext::at(now))
}

/// [`authenticate`] with an explicit [`LoginContext`] (issuer, mount path,
/// client address).
pub fn authenticate_with(
    role: &Role,
    claims: &Map<String, Value>,
    ctx: &LoginContext<'_>,
) -> Result<Login, AuthError> {
    authenticate::check_request(role)?;
    authenticate::check_bound_cidrs(role, ctx)?;
    authenticate::authenticate_claims(role, &claims_from_json(claims), ctx)
}

/// A full OpenBao JWT login: request checks, signature and algorithm against
/// `config`'s keys, then the claims, at `now`.
pub fn login(
    config: &JwtAuthConfig,
    role: &Role,
    token: &str,
    now: SystemTime,
) -> Result<Login, AuthError> {
    login_from(config, role, token, now, None)
}

/// [`login`] with the client's address, for roles with `token_bound_cidrs`
/// or `token_strictly_bind_ip`.
pub fn login_from(
    config: &JwtAuthConfig,
    role: &Role,
    token: &str,
    now: SystemTime,
    remote_addr: Option<IpAddr>,
) -> Result<Login, AuthError> {
    let ctx = LoginContext {
        now,
        bound_issuer: &config.bound_issuer,
        mount_path: &config.mount_path,
        remote_addr,
    };
    authenticate::check_request(role)?;
    if token.is_empty() {
        return Err(AuthError::new(AuthErrorKind::Request, "missing token"));
    }
    authenticate::check_bound_cidrs(role, &ctx)?;
    let claims = config.verified_claims(token)?;
    authenticate::authenticate_claims(role, &claims_from_json(&claims), &ctx)
}

impl JwtAuthConfig {
    /// [`authenticate`] with this config's `bound_issuer` and mount path.
    pub fn authenticate(
        &self,
        role: &Role,
        claims: &Map<String, Value>,
        now: SystemTime,
    ) -> Result<Login, AuthError> {
        let ctx = LoginContext {
            now,
            bound_issuer: &self.bound_issuer,
            mount_path: &self.mount_path,
            remote_addr: None,
        };
        authenticate_with(role, claims, &ctx)
    }

    /// [`login`] with this config.
    pub fn login(&self, role: &Role, token: &str, now: SystemTime) -> Result<Login, AuthError> {
        login(self, role, token, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn shared_types_are_send_sync() {
        assert_send_sync::<Role>();
        assert_send_sync::<JwtAuthConfig>();
        assert_send_sync::<Login>();
        assert_send_sync::<AuthError>();
    }
}
