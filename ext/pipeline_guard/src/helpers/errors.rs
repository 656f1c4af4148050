//! Maps core errors to the Ruby exception classes defined in
//! `lib/pipeline_guard/errors.rb` (loaded before the extension). Each class
//! is looked up once, when the extension loads, and kept pinned: raising
//! costs no constant lookup and no class-path formatting.
use std::sync::OnceLock;

use magnus::{gc, prelude::*, value::Opaque, Error, ExceptionClass, Ruby};
use pipeline_guard_core::crypto::CryptoError;

macro_rules! classes {
    ($($name:ident => $path:literal,)*) => {
        /// The exception classes of `errors.rb` the binding raises.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Class {
            $($name,)*
        }

        impl Class {
            const ALL: &'static [Class] = &[$(Class::$name,)*];

            /// The constant path, e.g. `"PipelineGuard::DecryptionError"`.
            pub fn path(self) -> &'static str {
                match self {
                    $(Class::$name => $path,)*
                }
            }
        }
    };
}

classes! {
    InternalError => "PipelineGuard::InternalError",
    InvalidInput => "PipelineGuard::InvalidInput",
    InvalidKeyError => "PipelineGuard::InvalidKeyError",
    DecryptionError => "PipelineGuard::DecryptionError",
    EncryptionError => "PipelineGuard::EncryptionError",
    JwtEncodeError => "PipelineGuard::JWT::EncodeError",
    JwtDecodeError => "PipelineGuard::JWT::DecodeError",
    JwtVerificationError => "PipelineGuard::JWT::VerificationError",
    JwtExpiredSignature => "PipelineGuard::JWT::ExpiredSignature",
    JwtIncorrectAlgorithm => "PipelineGuard::JWT::IncorrectAlgorithm",
    JwtUnsupportedEcdsaCurve => "PipelineGuard::JWT::UnsupportedEcdsaCurve",
    JwtImmatureSignature => "PipelineGuard::JWT::ImmatureSignature",
    JwtInvalidIssuerError => "PipelineGuard::JWT::InvalidIssuerError",
    JwtInvalidIatError => "PipelineGuard::JWT::InvalidIatError",
    JwtInvalidAudError => "PipelineGuard::JWT::InvalidAudError",
    JwtInvalidSubError => "PipelineGuard::JWT::InvalidSubError",
    JwtInvalidCritError => "PipelineGuard::JWT::InvalidCritError",
    JwtInvalidJtiError => "PipelineGuard::JWT::InvalidJtiError",
    JwtInvalidPayload => "PipelineGuard::JWT::InvalidPayload",
    JwtMissingRequiredClaim => "PipelineGuard::JWT::MissingRequiredClaim",
    JwtBase64DecodeError => "PipelineGuard::JWT::Base64DecodeError",
    JwtJwkError => "PipelineGuard::JWT::JWKError",
    OpenBaoPolicyError => "PipelineGuard::OpenBao::PolicyError",
    OpenBaoRoleError => "PipelineGuard::OpenBao::RoleError",
    OpenBaoAuthError => "PipelineGuard::OpenBao::AuthError",
    RbacDefinitionError => "PipelineGuard::RBAC::DefinitionError",
    SecretsInvalidRecord => "PipelineGuard::SecretsManager::InvalidRecord",
    DsseVerificationError => "PipelineGuard::DSSE::VerificationError",
    DsseSigningError => "PipelineGuard::DSSE::SigningError",
    SlsaProvenanceError => "PipelineGuard::SLSA::ProvenanceError",
    SlsaArtifactTooLarge => "PipelineGuard::SLSA::ArtifactTooLarge",
    SigstoreVerificationError => "PipelineGuard::Sigstore::VerificationError",
}

impl Class {
    /// The `PipelineGuard::JWT` class of that name (`"EncodeError"`).
    pub fn jwt(name: &str) -> Option<Class> {
        Class::ALL
            .iter()
            .copied()
            .find(|c| c.path().strip_prefix("PipelineGuard::JWT::") == Some(name))
    }
}

/// Every class of [`Class::ALL`], in order, once the extension is loaded.
static CLASSES: OnceLock<Vec<Opaque<ExceptionClass>>> = OnceLock::new();

fn lookup(ruby: &Ruby, path: &str) -> Result<ExceptionClass, Error> {
    ruby.class_object()
        .funcall::<_, _, ExceptionClass>("const_get", (path,))
}

/// Looks every class up and pins it (so GC compaction never moves it under
/// the cached reference). A missing class fails the extension's load.
pub fn init(ruby: &Ruby) -> Result<(), Error> {
    let mut resolved = Vec::with_capacity(Class::ALL.len());
    for class in Class::ALL {
        let found = lookup(ruby, class.path())?;
        gc::register_mark_object(found);
        resolved.push(Opaque::from(found));
    }
    let _ = CLASSES.set(resolved);
    Ok(())
}

/// The Ruby class for `class`.
pub fn class(ruby: &Ruby, class: Class) -> Result<ExceptionClass, Error> {
    match CLASSES.get() {
        Some(all) => Ok(ruby.get_inner(all[class as usize])),
        // Only before `init` has run; never on a loaded extension.
        None => lookup(ruby, class.path()),
    }
}

/// An exception of `class` with `message`.
pub fn error(ruby: &Ruby, class: Class, message: impl Into<String>) -> Error {
    match self::class(ruby, class) {
        Ok(found) => Error::new(found, message.into()),
        Err(lookup_failed) => lookup_failed,
    }
}

pub fn invalid_input(ruby: &Ruby, message: impl Into<String>) -> Error {
    error(ruby, Class::InvalidInput, message)
}

/// Crypto failures: decryption problems keep OpenBao's wording.
pub fn crypto(ruby: &Ruby, err: CryptoError) -> Error {
    let class = match &err {
        e if e.is_decryption_failure() => Class::DecryptionError,
        CryptoError::InvalidKeyLength { .. }
        | CryptoError::InvalidExport(_)
        | CryptoError::InvalidWrappingKey(_) => Class::InvalidKeyError,
        CryptoError::Random | CryptoError::EncryptionFailed => Class::EncryptionError,
        _ => Class::InvalidInput,
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
        CryptoError::MissingContext => error(ruby, Class::DecryptionError, err.to_string()),
        other => crypto(ruby, other),
    }
}
