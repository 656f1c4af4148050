//! The Ruby exception for each secrets-manager error of the core.
use magnus::{Error, Ruby};
use pipeline_guard_core::secrets::SecretsError;

use crate::helpers::errors::{self, Class};

/// Validation failures are `InvalidRecord`; a token GitLab's pipeline role
/// would refuse is `OpenBao::AuthError` with the role's text.
pub(crate) fn secrets_error(ruby: &Ruby, err: SecretsError) -> Error {
    let class = match err {
        SecretsError::PipelineAuth(_) | SecretsError::ClaimType(_) => Class::OpenBaoAuthError,
        _ => Class::SecretsInvalidRecord,
    };
    errors::error(ruby, class, err.to_string())
}
