//! Symmetric crypto: AEAD providers, the OpenBao transit keyring and its
//! ciphertext format, HKDF/HMAC, and constant-time comparison.

pub mod aead;
#[cfg(feature = "aws-lc")]
pub mod byok;
pub mod compare;
mod error;
pub mod kdf;
pub mod keyring;
pub mod random;
pub mod transit;
pub mod wiped;

pub use aead::{default_provider, AeadProvider, AesGcmKey};
pub use compare::secure_compare;
pub use error::CryptoError;
pub use keyring::Keyring;
pub use wiped::WipedVec;
