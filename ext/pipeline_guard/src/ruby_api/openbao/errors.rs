//! The Ruby exceptions of OpenBao JWT auth: `AuthError` (with the login
//! stage as `kind`), `RoleError`, and key/config errors.
use magnus::{prelude::*, Error, Exception, Ruby, Value};
use pipeline_guard_core::jwt::openbao_auth::{AuthError, AuthErrorKind, ConfigError, RoleError};

use crate::helpers::errors::{class, error, Class};

fn kind_name(kind: AuthErrorKind) -> &'static str {
    match kind {
        AuthErrorKind::Request => "request",
        AuthErrorKind::Token => "token",
        AuthErrorKind::BoundClaims => "bound_claims",
        AuthErrorKind::Identity => "identity",
        AuthErrorKind::Internal => "internal",
    }
}

/// An `AuthError` instance (message = OpenBao's text, `kind` = the login
/// stage that refused), not raised.
pub fn auth_exception(ruby: &Ruby, err: &AuthError) -> Result<Exception, Error> {
    let exc = class(ruby, Class::OpenBaoAuthError)?.new_instance((err.message(),))?;
    let _: Value = exc.funcall(
        "instance_variable_set",
        ("@kind", ruby.to_symbol(kind_name(err.kind()))),
    )?;
    Ok(exc)
}

/// The `AuthError` to raise for a refused login.
pub fn auth_error(ruby: &Ruby, err: &AuthError) -> Error {
    match auth_exception(ruby, err) {
        Ok(exc) => exc.into(),
        Err(e) => e,
    }
}

pub fn role_error(ruby: &Ruby, err: RoleError) -> Error {
    error(ruby, Class::OpenBaoRoleError, err.message())
}

pub fn config_error(ruby: &Ruby, err: ConfigError) -> Error {
    let class = if err.is_key_error() {
        Class::InvalidKeyError
    } else {
        Class::InvalidInput
    };
    error(ruby, class, err.message())
}

/// A refused audit entry: `PipelineGuard::InvalidInput` (the message never
/// quotes the entry).
pub fn audit_error(ruby: &Ruby, err: &pipeline_guard_core::openbao::audit::AuditError) -> Error {
    error(ruby, Class::InvalidInput, err.to_string())
}
