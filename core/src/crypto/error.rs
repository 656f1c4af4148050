use thiserror::Error;

/// Every failure of the crypto module. Messages never contain key bytes,
/// plaintext or ciphertext. Decryption failures reuse OpenBao transit's text
/// so logs read the same whichever side decrypted.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CryptoError {
    #[error("invalid key length: expected {expected}, got {actual} bytes")]
    InvalidKeyLength {
        expected: &'static str,
        actual: usize,
    },
    #[error("invalid nonce length: expected 12 bytes, got {0}")]
    InvalidNonceLength(usize),
    #[error("invalid ciphertext: no prefix")]
    NoPrefix,
    #[error("invalid ciphertext: wrong number of fields")]
    WrongNumberOfFields,
    #[error("invalid ciphertext: version number could not be decoded")]
    BadVersion,
    #[error("invalid ciphertext: version is too new")]
    VersionTooNew,
    #[error("ciphertext or signature version is disallowed by policy (too old)")]
    VersionTooOld,
    #[error("invalid ciphertext: could not decode base64")]
    BadBase64,
    #[error("invalid ciphertext length")]
    BadLength,
    #[error("cipher: message authentication failed")]
    AuthenticationFailed,
    #[error("missing 'context' for key derivation; the key was created using a derived key, which means additional, per-request information must be included in order to perform operations with the key")]
    MissingContext,
    #[error("convergent encryption requires derivation to be enabled")]
    ConvergentRequiresDerived,
    #[error("associated data is refused on a convergent keyring: its nonce depends only on the plaintext, so the same plaintext under two associated data values would reuse a GCM nonce and expose the authentication key; encrypt without associated data, or opt in to OpenBao's behaviour explicitly")]
    ConvergentAssociatedData,
    #[error(
        "the keyring is at its last key version ({}); it cannot be rotated further",
        u32::MAX
    )]
    KeyVersionLimit,
    #[error("invalid min_decryption_version {requested}: must be between 1 and the latest version {latest}")]
    InvalidMinDecryptionVersion { requested: i64, latest: u32 },
    #[error("invalid transit export: {0}")]
    InvalidExport(String),
    #[error("invalid wrapping key: {0}")]
    InvalidWrappingKey(String),
    #[error("random number generator failed")]
    Random,
    #[error("encryption failed")]
    EncryptionFailed,
}

impl CryptoError {
    /// True for errors that mean "this ciphertext cannot be decrypted with
    /// this key and these parameters" (the binding maps them to
    /// `PipelineGuard::DecryptionError`).
    pub fn is_decryption_failure(&self) -> bool {
        matches!(
            self,
            Self::NoPrefix
                | Self::WrongNumberOfFields
                | Self::BadVersion
                | Self::VersionTooNew
                | Self::VersionTooOld
                | Self::BadBase64
                | Self::BadLength
                | Self::AuthenticationFailed
        )
    }
}
