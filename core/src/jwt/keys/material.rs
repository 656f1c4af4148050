//! What a key given as plain bytes (a Ruby String, a config value) holds:
//! PEM text, or an HMAC secret. Decided here only, for signing and
//! verifying keys alike.
//!
//! The classic algorithm-confusion attack verifies HS256 tokens with the
//! bytes of a published RSA key as the HMAC secret. So any text with a PEM
//! header anywhere (not only at the start: leading blank lines are common)
//! is a PEM key and never a secret, and other public-key encodings an
//! attacker could equally read (SSH public keys, JWK/JWKS JSON, DER or
//! base64 DER public keys) are refused as secrets.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::PublicKey as RsaPublicKeyDer;
use aws_lc_rs::signature::{self, ParsedPublicKey};

use crate::jwt::error::JwtError;

const PEM_HEADER: &[u8] = b"-----BEGIN";

/// How to read a key given as bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyText {
    /// PEM text (parsed as a public or private key, never a secret).
    Pem,
    /// An HMAC secret.
    Secret,
}

/// PEM when a PEM header appears anywhere, else a secret (which
/// [`refuse_key_shaped`] still checks).
pub(crate) fn classify(bytes: &[u8]) -> KeyText {
    if contains_pem_header(bytes) {
        KeyText::Pem
    } else {
        KeyText::Secret
    }
}

/// PEM text as UTF-8, or a `JWKError`.
pub(crate) fn pem_text(bytes: &[u8]) -> Result<&str, JwtError> {
    std::str::from_utf8(bytes).map_err(|_| JwtError::jwk("Invalid PEM"))
}

fn contains_pem_header(bytes: &[u8]) -> bool {
    bytes.windows(PEM_HEADER.len()).any(|w| w == PEM_HEADER)
}

/// `JWKError` when `secret` is, or plainly encodes, key material that
/// must never serve as an HMAC secret.
pub(crate) fn refuse_key_shaped(secret: &[u8]) -> Result<(), JwtError> {
    let what = if contains_pem_header(secret) {
        Some("a PEM key")
    } else if is_ssh_public_key(secret) {
        Some("an SSH public key")
    } else if is_jwk_json(secret) {
        Some("a JWK or JWKS in JSON")
    } else if is_der_key(secret) || is_base64_der_key(secret) {
        Some("a DER-encoded key")
    } else {
        None
    };
    match what {
        Some(what) => Err(JwtError::jwk(format!(
            "HMAC secret looks like {what}; a public key is never an HMAC secret"
        ))),
        None => Ok(()),
    }
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    bytes.get(start..end).unwrap_or_default()
}

/// `ssh-rsa AAAA...`, `ecdsa-sha2-nistp256 AAAA...`, `sk-ssh-ed25519@... AAAA...`:
/// the base64 blob of every OpenSSH public key starts with "AAAA" (its
/// first length prefix).
fn is_ssh_public_key(bytes: &[u8]) -> bool {
    let text = trim_ascii(bytes);
    let mut words = text
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty());
    let (Some(kind), Some(blob)) = (words.next(), words.next()) else {
        return false;
    };
    let ssh_kind = [&b"ssh-"[..], b"ecdsa-sha2-", b"sk-ssh-", b"sk-ecdsa-"]
        .iter()
        .any(|p| kind.starts_with(p));
    ssh_kind && blob.starts_with(b"AAAA")
}

fn is_jwk_json(bytes: &[u8]) -> bool {
    let text = trim_ascii(bytes);
    if text.first() != Some(&b'{') {
        return false;
    }
    match serde_json::from_slice::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => map.contains_key("kty") || map.contains_key("keys"),
        _ => false,
    }
}

/// A public key in DER, or any complete DER SEQUENCE of 128 bytes or more
/// (certificates and other key containers; a random secret has this shape
/// with probability about 2^-32).
fn is_der_key(bytes: &[u8]) -> bool {
    if bytes.first() != Some(&0x30) {
        return false;
    }
    if bytes.len() >= 128 && is_complete_der_sequence(bytes) {
        return true;
    }
    let spki_algs: [&'static dyn signature::VerificationAlgorithm; 5] = [
        &signature::ECDSA_P256_SHA256_FIXED,
        &signature::ECDSA_P384_SHA384_FIXED,
        &signature::ECDSA_P521_SHA512_FIXED,
        &signature::ECDSA_P256K1_SHA256_FIXED,
        &signature::ED25519,
    ];
    // Only canonical SPKI: aws-lc also takes raw points and raw Ed25519
    // keys, which would make many ordinary 32- or 65-byte secrets "keys".
    RsaPublicKeyDer::from_der(bytes).is_ok()
        || spki_algs.into_iter().any(|alg| {
            ParsedPublicKey::new(alg, bytes)
                .ok()
                .and_then(|parsed| parsed.as_der().ok())
                .is_some_and(|spki| spki.as_ref() == bytes)
        })
}

fn is_complete_der_sequence(bytes: &[u8]) -> bool {
    let (len, header) = match bytes.get(1).copied() {
        Some(n) if n < 0x80 => (usize::from(n), 2),
        Some(0x81) => (bytes.get(2).map_or(0, |&b| usize::from(b)), 3),
        Some(0x82) => match (bytes.get(2), bytes.get(3)) {
            (Some(&hi), Some(&lo)) => (usize::from(hi) << 8 | usize::from(lo), 4),
            _ => return false,
        },
        _ => return false,
    };
    header + len == bytes.len()
}

/// Base64 (standard alphabet, line breaks allowed) of a DER key: a DER
/// SEQUENCE (0x30) always encodes to text starting with "M".
fn is_base64_der_key(bytes: &[u8]) -> bool {
    let text = trim_ascii(bytes);
    if text.first() != Some(&b'M') {
        return false;
    }
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64_simd::STANDARD
        .decode_to_vec(&compact)
        .is_ok_and(|der| is_der_key(&der))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::ErrorKind;

    const SPKI_B64: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHsQGlKcX51ky/YmnzUTsJtBRKMOO7+ztXOCX1G1GovFch/gzu9YHQ6pScxptI61ckheDI7eRxLnPoogH6/Iw8A==";

    fn spki_der() -> Vec<u8> {
        base64_simd::STANDARD
            .decode_to_vec(SPKI_B64)
            .unwrap_or_default()
    }

    fn pem() -> String {
        format!("-----BEGIN PUBLIC KEY-----\n{SPKI_B64}\n-----END PUBLIC KEY-----\n")
    }

    #[test]
    fn a_pem_header_anywhere_makes_pem() {
        assert_eq!(classify(pem().as_bytes()), KeyText::Pem);
        assert_eq!(classify(format!("\n \t{}", pem()).as_bytes()), KeyText::Pem);
        assert_eq!(classify(format!("junk{}", pem()).as_bytes()), KeyText::Pem);
        assert_eq!(
            classify(b"a-shared-secret-of-32-bytes-or-more"),
            KeyText::Secret
        );
        assert!(refuse_key_shaped(format!("\r\n{}", pem()).as_bytes()).is_err());
    }

    #[test]
    fn key_shaped_secrets_are_refused() {
        let refused: Vec<Vec<u8>> = vec![
            b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE me@host".to_vec(),
            b"  ecdsa-sha2-nistp256 AAAAE2VjZHNh".to_vec(),
            br#" {"kty":"RSA","n":"AQAB","e":"AQAB"} "#.to_vec(),
            br#"{"keys":[]}"#.to_vec(),
            spki_der(),
            SPKI_B64.as_bytes().to_vec(),
            format!("\n{SPKI_B64}\n").into_bytes(),
        ];
        for secret in refused {
            let result = refuse_key_shaped(&secret);
            assert!(
                result.as_ref().is_err_and(|e| e.kind() == ErrorKind::Jwk),
                "{secret:?}: {result:?}"
            );
        }
    }

    #[test]
    fn ordinary_secrets_pass() {
        for secret in [
            &b"s"[..],
            b"ssh-this-is-just-a-passphrase-of-words",
            b"{not json at all}",
            br#"{"secret": "value"}"#,
            b"MIGHTY-secret-MIGHTY-secret-MIGHTY",
            &[0x30, 0x05, 1, 2, 3, 4, 5],
            &[0x30; 64],
            b"0123456789abcdef0123456789abcdef",
            b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
            b"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        ] {
            assert!(refuse_key_shaped(secret).is_ok(), "{secret:?}");
        }
    }
}
