//! DSSE errors for Ruby: every failure of an envelope (including one that
//! does not parse) is a `PipelineGuard::DSSE::VerificationError`; unusable
//! keys are `PipelineGuard::InvalidKeyError`.
use magnus::{Error, Ruby};
use pipeline_guard_core::attest::DsseError;

use crate::helpers::errors::{error, Class};

pub fn dsse_error(ruby: &Ruby, err: DsseError) -> Error {
    let class = match &err {
        DsseError::Key(_) => Class::InvalidKeyError,
        DsseError::Signing => Class::DsseSigningError,
        _ => Class::DsseVerificationError,
    };
    error(ruby, class, err.to_string())
}
