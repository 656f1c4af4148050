//! HKDF-SHA256 and HMAC-SHA256 as transit uses them for derived keys and
//! convergent nonces, from the crypto provider built in (aws-lc-rs, or
//! RustCrypto's `hkdf`/`hmac` without it).
use zeroize::Zeroizing;

/// Largest HKDF-SHA256 output (255 hash blocks, RFC 5869).
pub const HKDF_SHA256_MAX: usize = 255 * 32;

/// HKDF-SHA256 extract-and-expand from the default provider (aws-lc-rs
/// unless only `rustcrypto` is built). `None` when `len` exceeds 255 * 32.
pub fn hkdf_sha256(
    ikm: &[u8],
    salt: Option<&[u8]>,
    info: &[u8],
    len: usize,
) -> Option<Zeroizing<Vec<u8>>> {
    #[cfg(feature = "aws-lc")]
    {
        aws_lc_hkdf_sha256(ikm, salt, info, len)
    }
    #[cfg(not(feature = "aws-lc"))]
    {
        rust_crypto_hkdf_sha256(ikm, salt, info, len)
    }
}

/// HKDF-SHA256 from aws-lc-rs.
#[cfg(feature = "aws-lc")]
pub(crate) fn aws_lc_hkdf_sha256(
    ikm: &[u8],
    salt: Option<&[u8]>,
    info: &[u8],
    len: usize,
) -> Option<Zeroizing<Vec<u8>>> {
    use aws_lc_rs::hkdf::{KeyType, Salt, HKDF_SHA256};

    struct OkmLen(usize);
    impl KeyType for OkmLen {
        fn len(&self) -> usize {
            self.0
        }
    }

    if len > HKDF_SHA256_MAX {
        return None;
    }
    let mut out = Zeroizing::new(vec![0u8; len]);
    // Zero bytes of output need no key material (and AWS-LC is not asked
    // for them); RustCrypto's `hkdf` answers the same empty string.
    if len == 0 {
        return Some(out);
    }
    // An empty HMAC key is the RFC's "string of HashLen zeros": HMAC pads
    // the key with zeros either way.
    let prk = Salt::new(HKDF_SHA256, salt.unwrap_or_default()).extract(ikm);
    let info = [info];
    prk.expand(&info, OkmLen(len)).ok()?.fill(&mut out).ok()?;
    Some(out)
}

/// HKDF-SHA256 from RustCrypto's `hkdf`.
#[cfg(feature = "rustcrypto")]
pub(crate) fn rust_crypto_hkdf_sha256(
    ikm: &[u8],
    salt: Option<&[u8]>,
    info: &[u8],
    len: usize,
) -> Option<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(vec![0u8; len]);
    hkdf::Hkdf::<sha2::Sha256>::new(salt, ikm)
        .expand(info, &mut out)
        .ok()?;
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
        SimpleHmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    type Derive = fn(&[u8], Option<&[u8]>, &[u8], usize) -> Option<Zeroizing<Vec<u8>>>;

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

    /// RFC 5869 test case 3 (no salt, empty info) and the length limits,
    /// from every provider built in and from the default function alike.
    #[test]
    fn hkdf_sha256_edges_every_provider() {
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        let ikm = [0x0b; 22];
        let case3 = "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d\
                     9d201395faa4b61a96c8";
        let mut providers: Vec<(&str, Derive)> = vec![("default", hkdf_sha256)];
        #[cfg(feature = "aws-lc")]
        providers.push(("aws-lc-rs", aws_lc_hkdf_sha256));
        #[cfg(feature = "rustcrypto")]
        providers.push(("rustcrypto", rust_crypto_hkdf_sha256));
        for (name, derive) in providers {
            let okm = derive(&ikm, None, b"", 42).map(|k| hex(&k));
            assert_eq!(okm.as_deref(), Some(case3), "{name}");
            // No salt is a block of zeros.
            assert_eq!(
                derive(&ikm, Some(&[0u8; 32]), b"", 42)
                    .map(|k| hex(&k))
                    .as_deref(),
                Some(case3),
                "{name}"
            );
            assert_eq!(
                derive(&ikm, None, b"i", 0).map(|k| k.len()),
                Some(0),
                "{name}"
            );
            assert_eq!(
                derive(&ikm, None, b"i", HKDF_SHA256_MAX).map(|k| k.len()),
                Some(HKDF_SHA256_MAX),
                "{name}"
            );
            assert!(
                derive(&ikm, None, b"i", HKDF_SHA256_MAX + 1).is_none(),
                "{name}"
            );
        }
    }
}
