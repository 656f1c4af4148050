//! One error type for the whole JWT core. Variants carry the data a caller
//! needs to explain the failure (expected and received claim values, the
//! missing claim's name); how that reads for a given audience (for example
//! the `jwt` gem's exact texts) is the caller's business. `Display` is a
//! plain Rust message.
//!
//! Errors never carry key material or token bytes; claim values (issuer,
//! audience, subject) are carried because callers echo them.

use std::fmt;

use serde_json::Value;

use super::expected::Expected;

/// Every failure the JWT core reports. Variants holding a `String` carry a
/// finished message; the claim-check variants carry structured data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// Malformed token or unusable input.
    #[error("{0}")]
    Decode(String),
    /// The signature did not verify.
    #[error("{0}")]
    Verification(String),
    /// `exp` is in the past, or not a number.
    #[error("token has expired (exp)")]
    ExpiredSignature,
    /// `nbf` is in the future, or not a number.
    #[error("token is not valid yet (nbf)")]
    ImmatureSignature,
    /// Algorithm not allowed, or key/algorithm mismatch.
    #[error("{0}")]
    IncorrectAlgorithm(String),
    /// `iss` is absent or none of the expected issuers.
    #[error("invalid issuer: expected one of {expected:?}, received {}", Received(.received))]
    InvalidIssuer {
        /// The accepted issuers.
        expected: Vec<String>,
        /// The token's `iss` claim, if present.
        received: Option<Value>,
    },
    /// `aud` shares no value with the expected audience(s).
    #[error("invalid audience: expected {expected}, received {}", Received(.received))]
    InvalidAud {
        /// The accepted audience(s), as the caller gave them.
        expected: Expected,
        /// The token's `aud` claim, if present.
        received: Option<Value>,
    },
    /// `sub` is not the expected subject.
    #[error("invalid subject: expected {expected:?}, received {}", Received(.received))]
    InvalidSub {
        /// The expected subject.
        expected: String,
        /// The token's `sub` claim, if present.
        received: Option<Value>,
    },
    /// `iat` in the future or not a number.
    #[error("invalid issued-at time (iat)")]
    InvalidIat,
    /// `jti` is required but absent or blank.
    #[error("missing jti")]
    MissingJti,
    /// The caller's `jti` check refused the token.
    #[error("jti refused")]
    InvalidJti,
    /// A required claim is absent.
    #[error("missing required claim {claim:?}")]
    MissingRequiredClaim {
        /// The claim's name.
        claim: String,
    },
    /// `exp`, `nbf` or `iat` to be encoded is not a number.
    #[error("claim {claim:?} must be a number, found {found}")]
    NonNumericClaim {
        /// The claim's name.
        claim: String,
        /// The JSON type found instead.
        found: JsonType,
    },
    /// Unknown or malformed `crit` header.
    #[error("{0}")]
    InvalidCrit(String),
    /// Payload is not a JSON object or otherwise unusable.
    #[error("{0}")]
    InvalidPayload(String),
    /// A segment is not strict unpadded base64url.
    #[error("{0}")]
    Base64Decode(String),
    /// A key (DER, PEM, JWK) could not be used.
    #[error("{0}")]
    Jwk(String),
    /// A token could not be produced.
    #[error("{0}")]
    Encode(String),
}

/// The family of a [`JwtError`], one per class of failure a caller tells
/// apart (several variants may share one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Malformed token or unusable input.
    Decode,
    /// Bad signature.
    Verification,
    /// `exp` check failed.
    ExpiredSignature,
    /// `nbf` check failed.
    ImmatureSignature,
    /// Algorithm refused.
    IncorrectAlgorithm,
    /// `iss` check failed.
    InvalidIssuer,
    /// `aud` check failed.
    InvalidAud,
    /// `sub` check failed.
    InvalidSub,
    /// `iat` check failed.
    InvalidIat,
    /// `jti` check failed.
    InvalidJti,
    /// A required claim is absent.
    MissingRequiredClaim,
    /// `crit` header refused.
    InvalidCrit,
    /// Payload unusable.
    InvalidPayload,
    /// Bad base64url.
    Base64Decode,
    /// Key unusable.
    Jwk,
    /// Token could not be produced.
    Encode,
}

/// The JSON type of a value, for errors about a claim of the wrong type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonType {
    /// `null`.
    Null,
    /// `true` or `false` (which one is kept).
    Bool(bool),
    /// A number without fraction or exponent.
    Integer,
    /// Any other number.
    Float,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl JsonType {
    /// The type of `value`.
    pub fn of(value: &Value) -> Self {
        match value {
            Value::Null => JsonType::Null,
            Value::Bool(b) => JsonType::Bool(*b),
            Value::Number(n) if n.is_f64() => JsonType::Float,
            Value::Number(_) => JsonType::Integer,
            Value::String(_) => JsonType::String,
            Value::Array(_) => JsonType::Array,
            Value::Object(_) => JsonType::Object,
        }
    }
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonType::Null => "null",
            JsonType::Bool(_) => "boolean",
            JsonType::Integer => "integer",
            JsonType::Float => "float",
            JsonType::String => "string",
            JsonType::Array => "array",
            JsonType::Object => "object",
        })
    }
}

/// A received claim in a message: its JSON, or `none`.
struct Received<'a>(&'a Option<Value>);

impl fmt::Display for Received<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(value) => write!(f, "{value}"),
            None => f.write_str("none"),
        }
    }
}

impl JwtError {
    /// The family this error belongs to.
    pub fn kind(&self) -> ErrorKind {
        match self {
            JwtError::Decode(_) => ErrorKind::Decode,
            JwtError::Verification(_) => ErrorKind::Verification,
            JwtError::ExpiredSignature => ErrorKind::ExpiredSignature,
            JwtError::ImmatureSignature => ErrorKind::ImmatureSignature,
            JwtError::IncorrectAlgorithm(_) => ErrorKind::IncorrectAlgorithm,
            JwtError::InvalidIssuer { .. } => ErrorKind::InvalidIssuer,
            JwtError::InvalidAud { .. } => ErrorKind::InvalidAud,
            JwtError::InvalidSub { .. } => ErrorKind::InvalidSub,
            JwtError::InvalidIat => ErrorKind::InvalidIat,
            JwtError::MissingJti | JwtError::InvalidJti => ErrorKind::InvalidJti,
            JwtError::MissingRequiredClaim { .. } => ErrorKind::MissingRequiredClaim,
            JwtError::NonNumericClaim { .. } | JwtError::InvalidPayload(_) => {
                ErrorKind::InvalidPayload
            }
            JwtError::InvalidCrit(_) => ErrorKind::InvalidCrit,
            JwtError::Base64Decode(_) => ErrorKind::Base64Decode,
            JwtError::Jwk(_) => ErrorKind::Jwk,
            JwtError::Encode(_) => ErrorKind::Encode,
        }
    }

    /// Signature verification failure.
    pub(crate) fn signature_failed() -> Self {
        JwtError::Verification("Signature verification failed".to_owned())
    }

    pub(crate) fn decode(msg: impl Into<String>) -> Self {
        JwtError::Decode(msg.into())
    }

    pub(crate) fn jwk(msg: impl Into<String>) -> Self {
        JwtError::Jwk(msg.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_and_display() {
        assert_eq!(JwtError::Jwk("x".into()).kind(), ErrorKind::Jwk);
        assert_eq!(JwtError::MissingJti.kind(), ErrorKind::InvalidJti);
        assert_eq!(
            JwtError::signature_failed().to_string(),
            "Signature verification failed"
        );
        assert_eq!(JwtError::decode("boom").to_string(), "boom");
        let err = JwtError::InvalidIssuer {
            expected: vec!["a".into()],
            received: Some(json!(1)),
        };
        assert_eq!(err.kind(), ErrorKind::InvalidIssuer);
        assert_eq!(
            err.to_string(),
            "invalid issuer: expected one of [\"a\"], received 1"
        );
        let err = JwtError::InvalidSub {
            expected: "s".into(),
            received: None,
        };
        assert_eq!(
            err.to_string(),
            "invalid subject: expected \"s\", received none"
        );
        assert_eq!(JsonType::of(&json!(1.5)), JsonType::Float);
        assert_eq!(JsonType::of(&json!(false)), JsonType::Bool(false));
    }
}
