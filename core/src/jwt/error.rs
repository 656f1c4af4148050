//! One error type for the whole JWT core. Each variant corresponds to exactly
//! one exception class of the `jwt` gem (2.x/3.x), so the Ruby binding can map
//! errors mechanically through [`JwtError::kind`].
//!
//! Messages never contain key material or token bytes; where the `jwt` gem
//! echoes claim values (issuer, audience, subject) we do the same, because
//! callers rely on that text.

/// Every failure the JWT core reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Malformed token or unusable input (`JWT::DecodeError`).
    #[error("{0}")]
    Decode(String),
    /// The signature did not verify (`JWT::VerificationError`).
    #[error("{0}")]
    Verification(String),
    /// `exp` is in the past, or not a number (`JWT::ExpiredSignature`).
    #[error("{0}")]
    ExpiredSignature(String),
    /// `nbf` is in the future, or not a number (`JWT::ImmatureSignature`).
    #[error("{0}")]
    ImmatureSignature(String),
    /// Algorithm not allowed, or key/algorithm mismatch (`JWT::IncorrectAlgorithm`).
    #[error("{0}")]
    IncorrectAlgorithm(String),
    /// `iss` mismatch (`JWT::InvalidIssuerError`).
    #[error("{0}")]
    InvalidIssuer(String),
    /// `aud` mismatch (`JWT::InvalidAudError`).
    #[error("{0}")]
    InvalidAud(String),
    /// `sub` mismatch (`JWT::InvalidSubError`).
    #[error("{0}")]
    InvalidSub(String),
    /// `iat` in the future or not a number (`JWT::InvalidIatError`).
    #[error("{0}")]
    InvalidIat(String),
    /// `jti` missing or refused (`JWT::InvalidJtiError`).
    #[error("{0}")]
    InvalidJti(String),
    /// A required claim is absent (`JWT::MissingRequiredClaim`).
    #[error("{0}")]
    MissingRequiredClaim(String),
    /// Unknown or malformed `crit` header (`JWT::InvalidCritError`).
    #[error("{0}")]
    InvalidCrit(String),
    /// Payload is not a JSON object or otherwise unusable (`JWT::InvalidPayload`).
    #[error("{0}")]
    InvalidPayload(String),
    /// A segment is not strict unpadded base64url (`JWT::Base64DecodeError`).
    #[error("{0}")]
    Base64Decode(String),
    /// A key (DER, PEM, JWK) could not be used (`JWT::JWKError`).
    #[error("{0}")]
    Jwk(String),
    /// A token could not be produced (`JWT::EncodeError`).
    #[error("{0}")]
    Encode(String),
}

impl JwtError {
    /// The Ruby exception class name (under `JWT::` / `PipelineGuard::JWT::`)
    /// this error maps to.
    pub fn kind(&self) -> &'static str {
        match self {
            JwtError::Decode(_) => "DecodeError",
            JwtError::Verification(_) => "VerificationError",
            JwtError::ExpiredSignature(_) => "ExpiredSignature",
            JwtError::ImmatureSignature(_) => "ImmatureSignature",
            JwtError::IncorrectAlgorithm(_) => "IncorrectAlgorithm",
            JwtError::InvalidIssuer(_) => "InvalidIssuerError",
            JwtError::InvalidAud(_) => "InvalidAudError",
            JwtError::InvalidSub(_) => "InvalidSubError",
            JwtError::InvalidIat(_) => "InvalidIatError",
            JwtError::InvalidJti(_) => "InvalidJtiError",
            JwtError::MissingRequiredClaim(_) => "MissingRequiredClaim",
            JwtError::InvalidCrit(_) => "InvalidCritError",
            JwtError::InvalidPayload(_) => "InvalidPayload",
            JwtError::Base64Decode(_) => "Base64DecodeError",
            JwtError::Jwk(_) => "JWKError",
            JwtError::Encode(_) => "EncodeError",
        }
    }

    /// The human-readable message (same as `Display`).
    pub fn message(&self) -> &str {
        match self {
            JwtError::Decode(m)
            | JwtError::Verification(m)
            | JwtError::ExpiredSignature(m)
            | JwtError::ImmatureSignature(m)
            | JwtError::IncorrectAlgorithm(m)
            | JwtError::InvalidIssuer(m)
            | JwtError::InvalidAud(m)
            | JwtError::InvalidSub(m)
            | JwtError::InvalidIat(m)
            | JwtError::InvalidJti(m)
            | JwtError::MissingRequiredClaim(m)
            | JwtError::InvalidCrit(m)
            | JwtError::InvalidPayload(m)
            | JwtError::Base64Decode(m)
            | JwtError::Jwk(m)
            | JwtError::Encode(m) => m,
        }
    }

    /// `JWT::VerificationError` with the `jwt` gem's exact text.
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

    #[test]
    fn kind_names_match_ruby_classes() {
        assert_eq!(JwtError::Jwk("x".into()).kind(), "JWKError");
        assert_eq!(
            JwtError::InvalidIssuer("x".into()).kind(),
            "InvalidIssuerError"
        );
        assert_eq!(
            JwtError::signature_failed().message(),
            "Signature verification failed"
        );
        assert_eq!(JwtError::decode("boom").to_string(), "boom");
    }
}
