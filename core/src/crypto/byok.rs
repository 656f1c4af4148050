//! Moving a key made here into OpenBao: transit's "bring your own key"
//! import format. OpenBao publishes an RSA-4096 wrapping key
//! (`GET transit/wrapping_key`); the import ciphertext is
//! `RSA-OAEP-SHA256(wrapping key, ephemeral AES-256 key) ||
//! AES-KWP(ephemeral key, target key)`, base64-encoded, and is posted to
//! `transit/keys/<name>/import` (first version) or `.../import_version`.
use aws_lc_rs::key_wrap::{AesKek, KeyWrapPadded, AES_256};
use aws_lc_rs::rsa::{OaepPublicEncryptingKey, PublicEncryptingKey, OAEP_SHA256_MGF1SHA256};
use base64_simd::STANDARD;
use zeroize::Zeroizing;

use super::random::random_key;
use super::CryptoError;

/// Wraps `target_key` for OpenBao's transit import endpoint, given the PEM
/// (SPKI) public wrapping key OpenBao returned.
pub fn wrap_for_transit_import(
    target_key: &[u8],
    wrapping_key_pem: &str,
) -> Result<String, CryptoError> {
    let der = pem_body(wrapping_key_pem)?;
    let public = PublicEncryptingKey::from_der(&der)
        .map_err(|_| CryptoError::InvalidWrappingKey("not an RSA public key (SPKI)".into()))?;
    let oaep = OaepPublicEncryptingKey::new(public)
        .map_err(|_| CryptoError::InvalidWrappingKey("unusable for RSA-OAEP".into()))?;

    let ephemeral = random_key()?;
    let mut wrapped_ephemeral = vec![0u8; oaep.ciphertext_size()];
    let wrapped_ephemeral = oaep
        .encrypt(
            &OAEP_SHA256_MGF1SHA256,
            ephemeral.as_ref(),
            &mut wrapped_ephemeral,
            None,
        )
        .map_err(|_| CryptoError::EncryptionFailed)?
        .to_vec();

    let kek =
        AesKek::new(&AES_256, ephemeral.as_ref()).map_err(|_| CryptoError::EncryptionFailed)?;
    let mut wrapped_target = Zeroizing::new(vec![0u8; target_key.len() + 16]);
    let wrapped_target = kek
        .wrap_with_padding(target_key, &mut wrapped_target)
        .map_err(|_| CryptoError::EncryptionFailed)?;

    let mut out = wrapped_ephemeral;
    out.extend_from_slice(wrapped_target);
    Ok(STANDARD.encode_to_string(out))
}

fn pem_body(pem: &str) -> Result<Vec<u8>, CryptoError> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("-----"))
        .collect();
    STANDARD
        .decode_to_vec(body)
        .map_err(|_| CryptoError::InvalidWrappingKey("not a PEM public key".into()))
}
