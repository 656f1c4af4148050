//! Maps core errors to the Ruby exception classes defined in
//! `lib/pipeline_guard/errors.rb` (loaded before the extension).
use magnus::{prelude::*, Error, ExceptionClass, Ruby};
use pipeline_guard_core::crypto::CryptoError;

/// An exception of the class named by its full constant path, e.g.
/// `"PipelineGuard::DecryptionError"`.
pub fn error(ruby: &Ruby, class_path: &str, message: impl Into<String>) -> Error {
    match ruby
        .class_object()
        .funcall::<_, _, ExceptionClass>("const_get", (class_path,))
    {
        Ok(class) => Error::new(class, message.into()),
        Err(lookup_failed) => lookup_failed,
    }
}

pub fn invalid_input(ruby: &Ruby, message: impl Into<String>) -> Error {
    error(ruby, "PipelineGuard::InvalidInput", message)
}

/// Crypto failures: decryption problems keep OpenBao's wording.
pub fn crypto(ruby: &Ruby, err: CryptoError) -> Error {
    let class = match &err {
        e if e.is_decryption_failure() => "PipelineGuard::DecryptionError",
        CryptoError::InvalidKeyLength { .. }
        | CryptoError::InvalidExport(_)
        | CryptoError::InvalidWrappingKey(_) => "PipelineGuard::InvalidKeyError",
        CryptoError::Random | CryptoError::EncryptionFailed => "PipelineGuard::EncryptionError",
        _ => "PipelineGuard::InvalidInput",
    };
    let message = match err {
        // Name the Ruby option that opts in.
        CryptoError::ConvergentAssociatedData => {
            format!("{err} (Keyring option `openbao_compatible_convergent_aad: true`)")
        }
        _ => err.to_string(),
    };
    error(ruby, class, message)
}

/// Decryption-side failures (including a missing context) all become
/// `DecryptionError`, as lockbox users expect from `decrypt`.
pub fn decryption(ruby: &Ruby, err: CryptoError) -> Error {
    match err {
        CryptoError::MissingContext => {
            error(ruby, "PipelineGuard::DecryptionError", err.to_string())
        }
        other => crypto(ruby, other),
    }
}
