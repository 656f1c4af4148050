//! AES-GCM behind a provider trait, so the fast aws-lc-rs backend and the
//! pure-Rust RustCrypto backend are interchangeable and tested alike.
use zeroize::Zeroizing;

use super::CryptoError;

/// A keyed AES-GCM instance (96-bit nonce, 128-bit tag). Holding it keeps the
/// expanded key schedule, so repeated calls do not redo key setup.
pub trait AesGcmKey: Send + Sync {
    /// Returns `ciphertext || tag`.
    fn seal(&self, nonce: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, CryptoError>;
    /// Takes `ciphertext || tag`; any mismatch is `AuthenticationFailed`.
    fn open(&self, nonce: &[u8; 12], aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, CryptoError>;
    /// Encrypts `buf[offset..]` in place and appends the tag, so a caller
    /// can keep a prefix (the transit nonce) in the same buffer.
    fn seal_in_place(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        buf: &mut Vec<u8>,
        offset: usize,
    ) -> Result<(), CryptoError>;
    /// Decrypts `buf[offset..]` (`ciphertext || tag`) in place; on success
    /// `buf` holds exactly the plaintext.
    fn open_in_place(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        buf: &mut Vec<u8>,
        offset: usize,
    ) -> Result<(), CryptoError>;
    /// Encrypts `in_out` in place and returns the tag, for callers that
    /// own the output memory (a buffer allocated once at its final size).
    fn seal_detached(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<[u8; TAG_LEN], CryptoError>;
    /// Decrypts `in_out` (`ciphertext || tag`) in place and returns the
    /// plaintext length (the first bytes of `in_out`).
    fn open_detached(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<usize, CryptoError>;
}

/// Builds keyed AES-GCM instances. Key lengths 16, 24 and 32 bytes.
pub trait AeadProvider: Send + Sync {
    fn name(&self) -> &'static str;
    fn aes_gcm(&self, key: &[u8]) -> Result<Box<dyn AesGcmKey>, CryptoError>;
    /// HKDF-SHA256 extract-and-expand (RFC 5869; no salt is a zero block),
    /// which derives the per-context keys of derived keyrings from the same
    /// backend as their AES-GCM. `None` when `len` exceeds 255 * 32.
    fn hkdf_sha256(
        &self,
        ikm: &[u8],
        salt: Option<&[u8]>,
        info: &[u8],
        len: usize,
    ) -> Option<Zeroizing<Vec<u8>>>;
}

pub const TAG_LEN: usize = 16;
pub const NONCE_LEN: usize = 12;

fn check_key_len(key: &[u8]) -> Result<(), CryptoError> {
    match key.len() {
        16 | 24 | 32 => Ok(()),
        actual => Err(CryptoError::InvalidKeyLength {
            expected: "16, 24 or 32",
            actual,
        }),
    }
}

/// Checks a caller-supplied nonce and returns it as a fixed array.
pub fn nonce_from_slice(nonce: &[u8]) -> Result<&[u8; 12], CryptoError> {
    nonce
        .try_into()
        .map_err(|_| CryptoError::InvalidNonceLength(nonce.len()))
}

/// The provider compiled in as default: aws-lc-rs unless the crate is built
/// with only the `rustcrypto` feature.
pub fn default_provider() -> &'static dyn AeadProvider {
    #[cfg(feature = "aws-lc")]
    {
        &aws_lc::AwsLc
    }
    #[cfg(not(feature = "aws-lc"))]
    {
        &rust_crypto::RustCrypto
    }
}

/// Every provider compiled into this build (for tests and benchmarks).
pub fn all_providers() -> Vec<&'static dyn AeadProvider> {
    [
        #[cfg(feature = "aws-lc")]
        Some(&aws_lc::AwsLc as &'static dyn AeadProvider),
        #[cfg(feature = "rustcrypto")]
        Some(&rust_crypto::RustCrypto as &'static dyn AeadProvider),
        None,
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(feature = "aws-lc")]
pub mod aws_lc {
    use super::{check_key_len, AeadProvider, AesGcmKey, CryptoError, TAG_LEN};
    use crate::crypto::kdf;
    use aws_lc_rs::aead::{
        Aad, LessSafeKey, Nonce, UnboundKey, AES_128_GCM, AES_192_GCM, AES_256_GCM,
    };
    use zeroize::Zeroizing;

    /// aws-lc-rs (AWS-LC): hardware AES and CLMUL, FIPS-capable.
    pub struct AwsLc;

    struct Key(LessSafeKey);

    impl AeadProvider for AwsLc {
        fn name(&self) -> &'static str {
            "aws-lc-rs"
        }

        fn aes_gcm(&self, key: &[u8]) -> Result<Box<dyn AesGcmKey>, CryptoError> {
            check_key_len(key)?;
            let alg = match key.len() {
                16 => &AES_128_GCM,
                24 => &AES_192_GCM,
                _ => &AES_256_GCM,
            };
            let unbound = UnboundKey::new(alg, key).map_err(|_| CryptoError::InvalidKeyLength {
                expected: "16, 24 or 32",
                actual: key.len(),
            })?;
            Ok(Box::new(Key(LessSafeKey::new(unbound))))
        }

        fn hkdf_sha256(
            &self,
            ikm: &[u8],
            salt: Option<&[u8]>,
            info: &[u8],
            len: usize,
        ) -> Option<Zeroizing<Vec<u8>>> {
            kdf::aws_lc_hkdf_sha256(ikm, salt, info, len)
        }
    }

    impl AesGcmKey for Key {
        fn seal(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            plaintext: &[u8],
        ) -> Result<Vec<u8>, CryptoError> {
            let mut buf = Vec::with_capacity(plaintext.len() + TAG_LEN);
            buf.extend_from_slice(plaintext);
            self.0
                .seal_in_place_append_tag(
                    Nonce::assume_unique_for_key(*nonce),
                    Aad::from(aad),
                    &mut buf,
                )
                .map_err(|_| CryptoError::EncryptionFailed)?;
            Ok(buf)
        }

        fn open(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            sealed: &[u8],
        ) -> Result<Vec<u8>, CryptoError> {
            if sealed.len() < TAG_LEN {
                return Err(CryptoError::AuthenticationFailed);
            }
            let mut buf = sealed.to_vec();
            let len = self
                .0
                .open_in_place(
                    Nonce::assume_unique_for_key(*nonce),
                    Aad::from(aad),
                    &mut buf,
                )
                .map_err(|_| CryptoError::AuthenticationFailed)?
                .len();
            buf.truncate(len);
            Ok(buf)
        }

        fn seal_in_place(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            buf: &mut Vec<u8>,
            offset: usize,
        ) -> Result<(), CryptoError> {
            let body = buf.get_mut(offset..).ok_or(CryptoError::EncryptionFailed)?;
            let tag = self
                .0
                .seal_in_place_separate_tag(
                    Nonce::assume_unique_for_key(*nonce),
                    Aad::from(aad),
                    body,
                )
                .map_err(|_| CryptoError::EncryptionFailed)?;
            buf.extend_from_slice(tag.as_ref());
            Ok(())
        }

        fn open_in_place(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            buf: &mut Vec<u8>,
            offset: usize,
        ) -> Result<(), CryptoError> {
            if buf.len() < offset + TAG_LEN {
                return Err(CryptoError::AuthenticationFailed);
            }
            let len = self
                .0
                .open_within(
                    Nonce::assume_unique_for_key(*nonce),
                    Aad::from(aad),
                    buf,
                    offset..,
                )
                .map_err(|_| CryptoError::AuthenticationFailed)?
                .len();
            buf.truncate(len);
            Ok(())
        }

        fn seal_detached(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            in_out: &mut [u8],
        ) -> Result<[u8; TAG_LEN], CryptoError> {
            let tag = self
                .0
                .seal_in_place_separate_tag(
                    Nonce::assume_unique_for_key(*nonce),
                    Aad::from(aad),
                    in_out,
                )
                .map_err(|_| CryptoError::EncryptionFailed)?;
            tag.as_ref()
                .try_into()
                .map_err(|_| CryptoError::EncryptionFailed)
        }

        fn open_detached(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            in_out: &mut [u8],
        ) -> Result<usize, CryptoError> {
            if in_out.len() < TAG_LEN {
                return Err(CryptoError::AuthenticationFailed);
            }
            self.0
                .open_in_place(Nonce::assume_unique_for_key(*nonce), Aad::from(aad), in_out)
                .map(|plain| plain.len())
                .map_err(|_| CryptoError::AuthenticationFailed)
        }
    }
}

#[cfg(feature = "rustcrypto")]
pub mod rust_crypto {
    use super::{check_key_len, AeadProvider, AesGcmKey, CryptoError, TAG_LEN};
    use crate::crypto::kdf;
    use aes_gcm::aead::{Aead, AeadInPlace, KeyInit, Payload};
    use aes_gcm::{aes::Aes192, Aes128Gcm, Aes256Gcm, AesGcm, Nonce, Tag};
    use zeroize::Zeroizing;

    type Aes192Gcm = AesGcm<Aes192, aes_gcm::aead::consts::U12>;

    /// RustCrypto `aes-gcm`: pure Rust, constant-time software fallback.
    pub struct RustCrypto;

    enum Key {
        A128(Aes128Gcm),
        A192(Aes192Gcm),
        A256(Aes256Gcm),
    }

    impl AeadProvider for RustCrypto {
        fn name(&self) -> &'static str {
            "rustcrypto"
        }

        fn aes_gcm(&self, key: &[u8]) -> Result<Box<dyn AesGcmKey>, CryptoError> {
            check_key_len(key)?;
            let bad = |_| CryptoError::InvalidKeyLength {
                expected: "16, 24 or 32",
                actual: key.len(),
            };
            let k = match key.len() {
                16 => Key::A128(Aes128Gcm::new_from_slice(key).map_err(bad)?),
                24 => Key::A192(Aes192Gcm::new_from_slice(key).map_err(bad)?),
                _ => Key::A256(Aes256Gcm::new_from_slice(key).map_err(bad)?),
            };
            Ok(Box::new(k))
        }

        fn hkdf_sha256(
            &self,
            ikm: &[u8],
            salt: Option<&[u8]>,
            info: &[u8],
            len: usize,
        ) -> Option<Zeroizing<Vec<u8>>> {
            kdf::rust_crypto_hkdf_sha256(ikm, salt, info, len)
        }
    }

    impl AesGcmKey for Key {
        fn seal(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            plaintext: &[u8],
        ) -> Result<Vec<u8>, CryptoError> {
            let n = Nonce::from_slice(nonce);
            let p = Payload {
                msg: plaintext,
                aad,
            };
            match self {
                Key::A128(k) => k.encrypt(n, p),
                Key::A192(k) => k.encrypt(n, p),
                Key::A256(k) => k.encrypt(n, p),
            }
            .map_err(|_| CryptoError::EncryptionFailed)
        }

        fn open(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            sealed: &[u8],
        ) -> Result<Vec<u8>, CryptoError> {
            if sealed.len() < TAG_LEN {
                return Err(CryptoError::AuthenticationFailed);
            }
            let n = Nonce::from_slice(nonce);
            let p = Payload { msg: sealed, aad };
            match self {
                Key::A128(k) => k.decrypt(n, p),
                Key::A192(k) => k.decrypt(n, p),
                Key::A256(k) => k.decrypt(n, p),
            }
            .map_err(|_| CryptoError::AuthenticationFailed)
        }

        fn seal_in_place(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            buf: &mut Vec<u8>,
            offset: usize,
        ) -> Result<(), CryptoError> {
            let n = Nonce::from_slice(nonce);
            let body = buf.get_mut(offset..).ok_or(CryptoError::EncryptionFailed)?;
            let tag = match self {
                Key::A128(k) => k.encrypt_in_place_detached(n, aad, body),
                Key::A192(k) => k.encrypt_in_place_detached(n, aad, body),
                Key::A256(k) => k.encrypt_in_place_detached(n, aad, body),
            }
            .map_err(|_| CryptoError::EncryptionFailed)?;
            buf.extend_from_slice(&tag);
            Ok(())
        }

        fn open_in_place(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            buf: &mut Vec<u8>,
            offset: usize,
        ) -> Result<(), CryptoError> {
            let tag_at = buf
                .len()
                .checked_sub(TAG_LEN)
                .filter(|t| *t >= offset)
                .ok_or(CryptoError::AuthenticationFailed)?;
            let tag = Tag::clone_from_slice(&buf[tag_at..]);
            let n = Nonce::from_slice(nonce);
            let body = &mut buf[offset..tag_at];
            match self {
                Key::A128(k) => k.decrypt_in_place_detached(n, aad, body, &tag),
                Key::A192(k) => k.decrypt_in_place_detached(n, aad, body, &tag),
                Key::A256(k) => k.decrypt_in_place_detached(n, aad, body, &tag),
            }
            .map_err(|_| CryptoError::AuthenticationFailed)?;
            buf.truncate(tag_at);
            buf.drain(..offset);
            Ok(())
        }

        fn seal_detached(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            in_out: &mut [u8],
        ) -> Result<[u8; TAG_LEN], CryptoError> {
            let n = Nonce::from_slice(nonce);
            let tag = match self {
                Key::A128(k) => k.encrypt_in_place_detached(n, aad, in_out),
                Key::A192(k) => k.encrypt_in_place_detached(n, aad, in_out),
                Key::A256(k) => k.encrypt_in_place_detached(n, aad, in_out),
            }
            .map_err(|_| CryptoError::EncryptionFailed)?;
            Ok(tag.into())
        }

        fn open_detached(
            &self,
            nonce: &[u8; 12],
            aad: &[u8],
            in_out: &mut [u8],
        ) -> Result<usize, CryptoError> {
            let tag_at = in_out
                .len()
                .checked_sub(TAG_LEN)
                .ok_or(CryptoError::AuthenticationFailed)?;
            let (body, tag) = in_out.split_at_mut(tag_at);
            let tag = Tag::clone_from_slice(tag);
            let n = Nonce::from_slice(nonce);
            match self {
                Key::A128(k) => k.decrypt_in_place_detached(n, aad, body, &tag),
                Key::A192(k) => k.decrypt_in_place_detached(n, aad, body, &tag),
                Key::A256(k) => k.decrypt_in_place_detached(n, aad, body, &tag),
            }
            .map_err(|_| CryptoError::AuthenticationFailed)?;
            Ok(tag_at)
        }
    }
}
