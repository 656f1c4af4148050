//! HKDF-SHA256 and HMAC-SHA256 as transit uses them for derived keys and
//! convergent nonces.
use aws_lc_rs::hmac;
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

/// Largest HKDF-SHA256 output (255 hash blocks, RFC 5869).
pub const HKDF_SHA256_MAX: usize = 255 * 32;

/// HKDF-SHA256 extract-and-expand. `None` when `len` exceeds 255 * 32.
pub fn hkdf_sha256(
    ikm: &[u8],
    salt: Option<&[u8]>,
    info: &[u8],
    len: usize,
) -> Option<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(vec![0u8; len]);
    Hkdf::<Sha256>::new(salt, ikm).expand(info, &mut out).ok()?;
    Some(out)
}

/// HMAC-SHA256 of `msg` under `key` (any key length).
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), msg);
    let mut out = [0u8; 32];
    out.copy_from_slice(tag.as_ref());
    out
}
