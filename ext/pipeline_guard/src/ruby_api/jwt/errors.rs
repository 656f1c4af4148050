//! Core JWT errors as the Ruby exception classes of `errors.rb`
//! (`PipelineGuard::JWT::DecodeError` and the rest of the jwt gem's tree).
use magnus::{prelude::*, Error, ExceptionClass, Ruby};
use pipeline_guard_core::jwt::JwtError;

use crate::helpers::errors;
use crate::helpers::json_value;

/// The exception class for a core JWT error.
pub fn jwt_error_class(ruby: &Ruby, err: &JwtError) -> Result<ExceptionClass, Error> {
    ruby.class_object().funcall::<_, _, ExceptionClass>(
        "const_get",
        (format!("PipelineGuard::JWT::{}", err.kind()),),
    )
}

/// A core JWT error as a Ruby exception of the matching class.
pub fn jwt_error(ruby: &Ruby, err: JwtError) -> Error {
    match jwt_error_class(ruby, &err) {
        Ok(class) => Error::new(class, err.message().to_owned()),
        Err(lookup_failed) => lookup_failed,
    }
}

/// A `PipelineGuard::JWT::<class>` error with `message`.
pub fn raise(ruby: &Ruby, class: &str, message: impl Into<String>) -> Error {
    errors::error(ruby, &format!("PipelineGuard::JWT::{class}"), message)
}

/// A `ToJsonError` as an `EncodeError`.
pub fn encode_error(ruby: &Ruby, what: &str, e: json_value::ToJsonError) -> Error {
    raise(
        ruby,
        "EncodeError",
        format!("{what} cannot be encoded: {}", e.0),
    )
}
