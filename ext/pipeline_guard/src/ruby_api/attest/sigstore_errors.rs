//! Core Sigstore errors as Ruby exceptions: everything about a bundle is
//! `Sigstore::VerificationError`, a bad trusted root `InvalidInput`, a bad
//! managed key `InvalidKeyError`, contradictory options `ArgumentError`.
use magnus::{Error, Ruby, Value};
use pipeline_guard_core::attest::sigstore::SigstoreError;

use crate::helpers::errors::{class, error, Class};

fn class_of(err: &SigstoreError) -> Option<Class> {
    match err {
        SigstoreError::Verification(_) => Some(Class::SigstoreVerificationError),
        SigstoreError::TrustedRoot(_) => Some(Class::InvalidInput),
        SigstoreError::InvalidKey(_) => Some(Class::InvalidKeyError),
        SigstoreError::Argument(_) => None,
    }
}

pub fn raise(ruby: &Ruby, err: SigstoreError) -> Error {
    match class_of(&err) {
        Some(c) => error(ruby, c, err.to_string()),
        None => Error::new(ruby.exception_arg_error(), err.to_string()),
    }
}

/// An exception instance (not raised) for a batch result.
pub fn instance(ruby: &Ruby, err: SigstoreError) -> Result<Value, Error> {
    let message = err.to_string();
    let exc = match class_of(&err) {
        Some(c) => class(ruby, c)?,
        None => ruby.exception_arg_error(),
    };
    use magnus::prelude::*;
    Ok(exc.new_instance((message,))?.as_value())
}
