//! OpenBao's JWT auth CEL roles (`auth/<mount>/cel/role/<name>`,
//! `cel/login`), evaluated locally on cel-rust with OpenBao's environment,
//! order of checks and error text.
//!
//! - [`CelRole::from_json`] validates and compiles a role once;
//! - [`cel_login`] verifies the token, then runs the program;
//! - [`cel_authenticate`] runs the claims part on trusted claims.
//!
//! Evaluation is bounded: expressions of at most
//! [`MAX_EXPRESSION_CODE_POINTS`] code points and [`MAX_AST_DEPTH`] levels,
//! and at most [`MAX_ITERATIONS`] comprehension steps per login.

mod budget;
mod check;
mod environment;
mod go_errors;
mod login;
mod messages;
mod program;
mod role;
mod values;

use std::time::SystemTime;

use serde_json::{Map, Value};

pub use budget::MAX_ITERATIONS;
pub use login::CelLogin;
pub use program::{
    CelProgram, CelVariable, MAX_AST_DEPTH, MAX_EXPRESSION_CODE_POINTS, MAX_OPERATORS,
    MAX_VARIABLES,
};
pub use role::CelRole;

use super::authenticate::LoginContext;
use super::error::{AuthError, AuthErrorKind};
use super::JwtAuthConfig;

/// The claims part of a CEL login (registered claims, then the program) at
/// `now`, with no issuer check and mount `jwt`.
pub fn cel_authenticate(
    role: &CelRole,
    claims: &Map<String, Value>,
    now: SystemTime,
) -> Result<CelLogin, AuthError> {
    login::authenticate_claims(role, claims, &LoginContext::at(now))
}

/// A full CEL login: the token's signature and algorithm against `config`,
/// then the claims, then the program.
pub fn cel_login(
    config: &JwtAuthConfig,
    role: &CelRole,
    token: &str,
    now: SystemTime,
) -> Result<CelLogin, AuthError> {
    if token.is_empty() {
        return Err(AuthError::new(AuthErrorKind::Request, "missing token"));
    }
    let claims = config.verified_claims(token)?;
    let ctx = LoginContext {
        now,
        bound_issuer: &config.bound_issuer,
        mount_path: &config.mount_path,
        remote_addr: None,
    };
    login::authenticate_claims(role, &claims, &ctx)
}

impl JwtAuthConfig {
    /// [`cel_authenticate`] with this config's issuer and mount path.
    pub fn cel_authenticate(
        &self,
        role: &CelRole,
        claims: &Map<String, Value>,
        now: SystemTime,
    ) -> Result<CelLogin, AuthError> {
        let ctx = LoginContext {
            now,
            bound_issuer: &self.bound_issuer,
            mount_path: &self.mount_path,
            remote_addr: None,
        };
        login::authenticate_claims(role, claims, &ctx)
    }
}
