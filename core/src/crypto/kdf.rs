//! HKDF-SHA256 and HMAC-SHA256 as transit uses them for derived keys and
//! convergent nonces.
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

/// HMAC-SHA256 of `msg` under `key` (any key length), from aws-lc.
#[cfg(feature = "aws-lc")]
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    use aws_lc_rs::hmac;
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), msg);
    let mut out = [0u8; 32];
    out.copy_from_slice(tag.as_ref());
    out
}

/// HMAC-SHA256 of `msg` under `key` (any key length), from RustCrypto
/// when aws-lc is not built in.
#[cfg(not(feature = "aws-lc"))]
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    use hmac::{Mac, SimpleHmac};
    // HMAC takes keys of any length: this never fails.
    #[allow(clippy::expect_used)]
    let mut mac =
        SimpleHmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 test cases 2 and 6 (a key longer than the block size), for
    /// whichever provider is built.
    #[test]
    fn hmac_sha256_rfc4231() {
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
