//! Sigstore errors. Everything wrong with a bundle is `Verification`: a
//! caller only needs to know that the bundle does not prove what it was
//! asked to prove, and the message says which check refused it.
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SigstoreError {
    /// The bundle does not parse, or a check on it failed.
    #[error("{0}")]
    Verification(String),
    /// The trusted root JSON does not parse or holds unusable material.
    #[error("invalid trusted root: {0}")]
    TrustedRoot(String),
    /// A managed key (`key:`) that cannot be used.
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// Contradictory or missing verification options.
    #[error("{0}")]
    Argument(String),
}

impl SigstoreError {
    pub(crate) fn verify(msg: impl Into<String>) -> Self {
        SigstoreError::Verification(msg.into())
    }
}

/// Shorthand used across the module.
pub(crate) fn fail<T>(msg: impl Into<String>) -> Result<T, SigstoreError> {
    Err(SigstoreError::verify(msg))
}
