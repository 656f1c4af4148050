//! Core JWT errors as the Ruby exception classes of `errors.rb`
//! (`PipelineGuard::JWT::DecodeError` and the rest of the jwt gem's tree).
use magnus::{prelude::*, Error, ExceptionClass, Ruby};
use pipeline_guard_core::jwt::{ErrorKind, JwtError};

use super::error_text;
use crate::helpers::errors::{self, Class};
use crate::helpers::json;

/// The cached class of that `PipelineGuard::JWT` name; a name `errors.rb`
/// gained after this list was written is still looked up, only slower.
fn jwt_class(ruby: &Ruby, name: &str) -> Result<ExceptionClass, Error> {
    match Class::jwt(name) {
        Some(class) => errors::class(ruby, class),
        None => ruby
            .class_object()
            .funcall("const_get", (format!("PipelineGuard::JWT::{name}"),)),
    }
}

/// The jwt gem's exception class for each family of core JWT error.
fn kind_class(kind: ErrorKind) -> Class {
    match kind {
        ErrorKind::Decode => Class::JwtDecodeError,
        ErrorKind::Verification => Class::JwtVerificationError,
        ErrorKind::ExpiredSignature => Class::JwtExpiredSignature,
        ErrorKind::ImmatureSignature => Class::JwtImmatureSignature,
        ErrorKind::IncorrectAlgorithm => Class::JwtIncorrectAlgorithm,
        ErrorKind::InvalidIssuer => Class::JwtInvalidIssuerError,
        ErrorKind::InvalidAud => Class::JwtInvalidAudError,
        ErrorKind::InvalidSub => Class::JwtInvalidSubError,
        ErrorKind::InvalidIat => Class::JwtInvalidIatError,
        ErrorKind::InvalidJti => Class::JwtInvalidJtiError,
        ErrorKind::MissingRequiredClaim => Class::JwtMissingRequiredClaim,
        ErrorKind::InvalidCrit => Class::JwtInvalidCritError,
        ErrorKind::InvalidPayload => Class::JwtInvalidPayload,
        ErrorKind::Base64Decode => Class::JwtBase64DecodeError,
        ErrorKind::Jwk => Class::JwtJwkError,
        ErrorKind::Encode => Class::JwtEncodeError,
        // A family added to the core later is still a decode failure:
        // every class above descends from DecodeError.
        _ => Class::JwtDecodeError,
    }
}

/// The exception class for a core JWT error.
pub fn jwt_error_class(ruby: &Ruby, err: &JwtError) -> Result<ExceptionClass, Error> {
    errors::class(ruby, kind_class(err.kind()))
}

/// The jwt gem's message for a core JWT error.
pub fn jwt_error_message(err: &JwtError) -> String {
    error_text::message(err)
}

/// A core JWT error as a Ruby exception of the matching class.
pub fn jwt_error(ruby: &Ruby, err: JwtError) -> Error {
    match jwt_error_class(ruby, &err) {
        Ok(class) => Error::new(class, error_text::message(&err)),
        Err(lookup_failed) => lookup_failed,
    }
}

/// A `PipelineGuard::JWT::<class>` error with `message`.
pub fn raise(ruby: &Ruby, class: &str, message: impl Into<String>) -> Error {
    match jwt_class(ruby, class) {
        Ok(class) => Error::new(class, message.into()),
        Err(lookup_failed) => lookup_failed,
    }
}

/// A `ToJsonError` as an `EncodeError`.
pub fn encode_error(ruby: &Ruby, what: &str, e: json::ToJsonError) -> Error {
    raise(
        ruby,
        "EncodeError",
        format!("{what} cannot be encoded: {}", e.0),
    )
}
