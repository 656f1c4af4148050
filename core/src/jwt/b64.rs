//! Strict base64url (RFC 4648 §5) without padding, as JWS requires
//! (RFC 7515 §2). Padding, whitespace, the standard alphabet and
//! non-canonical trailing bits are all rejected.

use base64_simd::URL_SAFE_NO_PAD;

use super::error::JwtError;

/// Decodes strict unpadded base64url; `what` names the part for the error.
pub(crate) fn decode(input: &str, what: &str) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD
        .decode_to_vec(input)
        .map_err(|_| JwtError::Base64Decode(format!("Invalid base64url encoding in {what}")))
}

/// Encodes as unpadded base64url.
pub(crate) fn encode(input: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode_to_string(input)
}

/// Appends unpadded base64url to `out` (saves an allocation when building tokens).
pub(crate) fn encode_into(input: impl AsRef<[u8]>, out: &mut String) {
    URL_SAFE_NO_PAD.encode_append(input, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictness() {
        assert_eq!(decode("YWI", "x").unwrap(), b"ab");
        assert!(decode("YWI=", "x").is_err(), "padding");
        assert!(decode("YW+", "x").is_err(), "standard alphabet");
        assert!(decode("YW I", "x").is_err(), "whitespace");
        assert!(decode("YWJ", "x").is_err(), "non-canonical trailing bits");
        assert!(
            decode("YR", "x").is_err(),
            "non-canonical trailing bits, one byte"
        );
        assert_eq!(decode("YQ", "x").unwrap(), b"a");
        assert!(decode("YQ==", "x").is_err(), "padding, one byte");
        assert!(decode("YQ\n", "x").is_err(), "newline");
        assert!(decode("Y", "x").is_err(), "impossible length");
        assert_eq!(decode("", "x").unwrap(), b"");
        assert_eq!(encode(b"\xfb\xff"), "-_8");
    }
}
