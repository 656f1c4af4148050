//! HMAC secrets: zeroized on drop, with per-hash aws-lc keys built lazily
//! and kept so the HS* hot path does no key setup.

use std::fmt;
use std::sync::OnceLock;

use aws_lc_rs::hmac;
use zeroize::Zeroizing;

use crate::jwt::algorithm::{Algorithm, HashAlg};
use crate::jwt::error::JwtError;

/// Whether HMAC secrets shorter than the hash output are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HmacKeyLength {
    /// RFC 7518 §3.2: the secret must be at least as long as the hash
    /// output (32, 48, 64 bytes). The default, as in ruby-jwt 3.2.
    #[default]
    Enforce,
    /// Accept any non-empty secret (legacy tokens only).
    AllowShort,
}

/// A non-empty HMAC secret that is not key material (see `material`).
pub(crate) struct HmacSecret {
    secret: Zeroizing<Vec<u8>>,
    length_policy: HmacKeyLength,
    /// Boxed: aws-lc HMAC keys are large and would bloat every key enum.
    keys: Box<[OnceLock<hmac::Key>; 3]>,
}

impl HmacSecret {
    pub(crate) fn new(secret: &[u8], length_policy: HmacKeyLength) -> Result<Self, JwtError> {
        if secret.is_empty() {
            return Err(JwtError::jwk("HMAC key must not be empty"));
        }
        super::material::refuse_key_shaped(secret)?;
        Ok(HmacSecret {
            secret: Zeroizing::new(secret.to_vec()),
            length_policy,
            keys: Box::default(),
        })
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.secret
    }

    /// Applies the length policy for `alg` (assumed to be an HS* algorithm).
    pub(crate) fn check_length(&self, alg: Algorithm) -> Result<(), JwtError> {
        let needed = alg.hash().output_len();
        if self.length_policy == HmacKeyLength::Enforce && self.secret.len() < needed {
            return Err(JwtError::decode(format!(
                "HMAC key must be at least {needed} bytes for {}",
                alg.name()
            )));
        }
        Ok(())
    }

    /// The aws-lc key for `alg`'s hash, built on first use.
    pub(crate) fn key_for(&self, alg: Algorithm) -> &hmac::Key {
        let (slot, algorithm) = match alg.hash() {
            HashAlg::Sha256 => (&self.keys[0], hmac::HMAC_SHA256),
            HashAlg::Sha384 => (&self.keys[1], hmac::HMAC_SHA384),
            HashAlg::Sha512 => (&self.keys[2], hmac::HMAC_SHA512),
        };
        slot.get_or_init(|| hmac::Key::new(algorithm, &self.secret))
    }
}

impl Clone for HmacSecret {
    fn clone(&self) -> Self {
        HmacSecret {
            secret: self.secret.clone(),
            length_policy: self.length_policy,
            keys: Box::default(),
        }
    }
}

impl fmt::Debug for HmacSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacSecret")
            .field("len", &self.secret.len())
            .field("length_policy", &self.length_policy)
            .finish_non_exhaustive()
    }
}
