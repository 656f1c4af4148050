//! Errors of DSSE signing and verification. Messages name what failed and
//! never carry key bytes or signatures.

use super::dsse::EnvelopeError;

/// Every DSSE failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DsseError {
    /// The envelope does not parse.
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
    /// The envelope carries no signature at all.
    #[error("DSSE envelope has no signatures")]
    NoSignatures,
    /// More signatures than a verifier will try (bounds the work).
    #[error("DSSE envelope has {count} signatures, more than the limit of {max}")]
    TooManySignatures {
        /// Signatures in the envelope.
        count: usize,
        /// [`super::dsse_verifier::MAX_SIGNATURES`].
        max: usize,
    },
    /// Fewer distinct trusted keys verified a signature than required.
    #[error("DSSE signature verification failed: {verified} of the required {threshold} trusted keys verified a signature")]
    SignatureFailed {
        /// Distinct trusted keys that verified a signature.
        verified: usize,
        /// Distinct trusted keys required.
        threshold: usize,
    },
    /// The signatures verify but the payload type is not an accepted one.
    #[error("DSSE payload type {found:?} is not accepted (expected {expected:?})")]
    PayloadType {
        /// The envelope's payload type.
        found: String,
        /// The accepted types.
        expected: Vec<String>,
    },
    /// A key that cannot be used for DSSE (HMAC, wrong algorithm, bad
    /// threshold, no keys).
    #[error("{0}")]
    Key(String),
    /// The signing primitive failed.
    #[error("DSSE signing failed")]
    Signing,
}
