//! Keys for JWS: parsed once, bound to a key type (and curve), and checked
//! against every algorithm they are used with. That check is the defence
//! against algorithm confusion: an RSA public key can never be used as an
//! HMAC secret, a P-384 key never with ES256.
//!
//! Policy choices:
//! - RSA moduli must be 2048..=8192 bits and the public exponent at least
//!   65537 (small exponents such as 3 are refused) and at most 33 bits (the
//!   largest aws-lc's DER parser takes).
//! - HMAC secrets must not be empty, and by default must be at least as long
//!   as the hash output (RFC 7518 §3.2: 32/48/64 bytes for HS256/384/512).
//! - Bytes holding a PEM header anywhere are a PEM key, never an HMAC
//!   secret; other public-key encodings are refused as secrets (`material`).
//!   [`HmacKeyLength::AllowShort`] opts out for legacy secrets.
//! - Private key material lives in aws-lc (freed with cleansing) or in
//!   [`zeroize::Zeroizing`] buffers; `Debug` never prints key bytes.

mod hmac_key;
pub(crate) mod jwk;
mod material;
mod pem_der;
mod signing;
pub(crate) mod signing_material;
mod verifying;
pub(crate) mod verifying_material;

pub use hmac_key::HmacKeyLength;
pub use signing::SigningKey;
pub use verifying::VerifyingKey;

use super::algorithm::{Algorithm, AlgorithmFamily};
use super::error::JwtError;

/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA public exponent accepted, in bits.
const MAX_RSA_EXPONENT_BITS: usize = 33;
/// Largest RSA modulus accepted, in bits.
pub const MAX_RSA_BITS: usize = 8192;

/// A curve usable with ECDSA: the NIST curves, and secp256k1 (RFC 8812).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EcCurve {
    P256,
    P384,
    P521,
    /// secp256k1, JWK `crv` "secp256k1", only with ES256K.
    P256K1,
}

impl EcCurve {
    /// All supported curves.
    pub const ALL: [EcCurve; 4] = [EcCurve::P256, EcCurve::P384, EcCurve::P521, EcCurve::P256K1];

    /// JWK `crv` name.
    pub fn jwk_name(self) -> &'static str {
        match self {
            EcCurve::P256 => "P-256",
            EcCurve::P384 => "P-384",
            EcCurve::P521 => "P-521",
            EcCurve::P256K1 => "secp256k1",
        }
    }

    /// Length in bytes of a coordinate, a scalar, and half a P1363 signature.
    pub fn coordinate_len(self) -> usize {
        match self {
            EcCurve::P256 | EcCurve::P256K1 => 32,
            EcCurve::P384 => 48,
            EcCurve::P521 => 66,
        }
    }

    /// The only JWS algorithm defined for this curve (RFC 7518 §3.4).
    pub fn algorithm(self) -> Algorithm {
        match self {
            EcCurve::P256 => Algorithm::ES256,
            EcCurve::P384 => Algorithm::ES384,
            EcCurve::P521 => Algorithm::ES512,
            EcCurve::P256K1 => Algorithm::ES256K,
        }
    }

    fn from_jwk_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.jwk_name() == name)
    }
}

/// What kind of key this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// Shared HMAC secret (JWK `oct`).
    Hmac,
    /// RSA (JWK `RSA`).
    Rsa,
    /// ECDSA on a NIST curve or secp256k1 (JWK `EC`).
    Ec(EcCurve),
    /// Ed25519 (JWK `OKP`).
    Ed25519,
}

impl KeyType {
    /// Short name for messages: "HMAC", "RSA", "EC P-256", "Ed25519".
    pub fn describe(self) -> &'static str {
        match self {
            KeyType::Hmac => "HMAC",
            KeyType::Rsa => "RSA",
            KeyType::Ec(EcCurve::P256) => "EC P-256",
            KeyType::Ec(EcCurve::P384) => "EC P-384",
            KeyType::Ec(EcCurve::P521) => "EC P-521",
            KeyType::Ec(EcCurve::P256K1) => "EC secp256k1",
            KeyType::Ed25519 => "Ed25519",
        }
    }

    /// Whether a key of this type may be used with `alg` (ignoring length policy).
    pub fn fits(self, alg: Algorithm) -> bool {
        match (self, alg.family()) {
            (KeyType::Hmac, AlgorithmFamily::Hmac) => true,
            (KeyType::Rsa, AlgorithmFamily::Rsa) => true,
            (KeyType::Ec(curve), AlgorithmFamily::Ecdsa) => curve.algorithm() == alg,
            (KeyType::Ed25519, AlgorithmFamily::EdDsa) => true,
            _ => false,
        }
    }

    /// `IncorrectAlgorithm` unless a key of this type fits `alg`.
    pub(crate) fn check(self, alg: Algorithm) -> Result<(), JwtError> {
        if self.fits(alg) {
            Ok(())
        } else {
            Err(JwtError::IncorrectAlgorithm(format!(
                "A {} key cannot be used with {}",
                self.describe(),
                alg.name()
            )))
        }
    }
}

/// Checks the JWK `alg` a key was published with, if any, against `alg`.
pub(crate) fn check_declared_alg(
    declared: Option<Algorithm>,
    alg: Algorithm,
) -> Result<(), JwtError> {
    match declared {
        Some(declared) if declared != alg => Err(JwtError::IncorrectAlgorithm(format!(
            "Key is restricted to {}, token uses {}",
            declared.name(),
            alg.name()
        ))),
        _ => Ok(()),
    }
}

/// Bit length of a big-endian unsigned integer.
pub(crate) fn bit_len(be: &[u8]) -> usize {
    let trimmed: &[u8] = match be.iter().position(|&b| b != 0) {
        Some(i) => be.get(i..).unwrap_or_default(),
        None => return 0,
    };
    match trimmed.first() {
        Some(&top) => trimmed.len() * 8 - top.leading_zeros() as usize,
        None => 0,
    }
}

/// Enforces the RSA size and exponent policy on public components.
pub(crate) fn check_rsa_policy(n: &[u8], e: &[u8]) -> Result<(), JwtError> {
    let bits = bit_len(n);
    if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Err(JwtError::jwk(format!(
            "RSA key must be {MIN_RSA_BITS} to {MAX_RSA_BITS} bits, got {bits}"
        )));
    }
    // An RSA modulus is a product of two odd primes. aws-lc's DER parser
    // refuses an even one but its component constructor does not, so check
    // here: every key source (JWK, PEM, DER) must accept the same keys.
    if n.last().is_none_or(|b| b & 1 == 0) {
        return Err(JwtError::jwk("RSA modulus must be odd"));
    }
    // e >= 65537: small exponents only buy speed and have a long history of
    // signature-forgery bugs in lenient verifiers. At most 33 bits, as
    // aws-lc's DER parser: a key read from a JWK must export to DER that
    // reads back.
    let e_bits = bit_len(e);
    let e_is_odd = e.last().is_some_and(|b| b & 1 == 1);
    if !(17..=MAX_RSA_EXPONENT_BITS).contains(&e_bits) || !e_is_odd {
        return Err(JwtError::jwk(
            "RSA public exponent must be odd, at least 65537 and at most 33 bits",
        ));
    }
    Ok(())
}

/// Strips leading zero bytes (JWK and aws-lc both want minimal big-endian).
pub(crate) fn strip_leading_zeros(be: &[u8]) -> &[u8] {
    match be.iter().position(|&b| b != 0) {
        Some(i) => be.get(i..).unwrap_or_default(),
        None => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::ErrorKind;

    #[test]
    fn key_types_fit_only_their_algorithms() {
        assert!(KeyType::Rsa.fits(Algorithm::PS384));
        assert!(!KeyType::Rsa.fits(Algorithm::HS256));
        assert!(!KeyType::Hmac.fits(Algorithm::RS256));
        assert!(KeyType::Ec(EcCurve::P384).fits(Algorithm::ES384));
        assert!(!KeyType::Ec(EcCurve::P384).fits(Algorithm::ES256));
        assert!(KeyType::Ec(EcCurve::P256K1).fits(Algorithm::ES256K));
        assert!(!KeyType::Ec(EcCurve::P256K1).fits(Algorithm::ES256));
        assert!(!KeyType::Ec(EcCurve::P256).fits(Algorithm::ES256K));
        assert!(!KeyType::Ed25519.fits(Algorithm::ES256));
        assert_eq!(
            KeyType::Rsa.check(Algorithm::HS256).unwrap_err().kind(),
            ErrorKind::IncorrectAlgorithm
        );
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_len(&[0, 0x01, 0x00, 0x01]), 17);
        assert_eq!(bit_len(&[0x80]), 8);
        assert_eq!(bit_len(&[0, 0]), 0);
        assert!(check_rsa_policy(&[0xff; 256], &[3]).is_err());
        assert!(check_rsa_policy(&[0xff; 256], &[1, 0, 1]).is_ok());
        assert!(
            check_rsa_policy(&[0x7f; 256], &[1, 0, 1]).is_err(),
            "2047 bits"
        );
        assert!(check_rsa_policy(&[0xff; 256], &[1, 0, 0]).is_err(), "even");
        assert!(check_rsa_policy(&[0xff; 256], &[1, 0, 0, 0, 1]).is_ok());
        assert!(
            check_rsa_policy(&[0xff; 256], &[3, 0, 0, 0, 1]).is_err(),
            "34-bit exponent"
        );
    }
}
