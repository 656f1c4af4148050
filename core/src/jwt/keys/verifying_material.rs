//! Parsed verification key material: an HMAC secret or a public key held
//! as aws-lc parsed keys, shared by the PEM/DER and JWK readers and by
//! [`VerifyingKey`](super::VerifyingKey).

use std::sync::OnceLock;

use aws_lc_rs::signature::{self, ParsedPublicKey, RsaParameters, VerificationAlgorithm};

use super::hmac_key::HmacSecret;
use super::{check_rsa_policy, strip_leading_zeros, EcCurve};
use crate::jwt::algorithm::Algorithm;
use crate::jwt::error::JwtError;

/// An RSA public key, with one parsed aws-lc key per RSA algorithm (built
/// lazily: the padding and hash are fixed at parse time in aws-lc).
pub(crate) struct RsaPublic {
    pub(crate) n: Vec<u8>,
    pub(crate) e: Vec<u8>,
    parsed: Box<[OnceLock<Result<ParsedPublicKey, ()>>; 6]>,
}

impl RsaPublic {
    /// From minimal or zero-padded big-endian components.
    pub(crate) fn from_components(n: &[u8], e: &[u8]) -> Result<Self, JwtError> {
        let n = strip_leading_zeros(n).to_vec();
        let e = strip_leading_zeros(e).to_vec();
        check_rsa_policy(&n, &e)?;
        let key = RsaPublic {
            n,
            e,
            parsed: Default::default(),
        };
        // Parse once now so an unusable key fails at load time, not per token.
        key.parsed_for(Algorithm::RS256)
            .ok_or_else(|| JwtError::jwk("Invalid RSA public key"))?;
        Ok(key)
    }

    pub(crate) fn parsed_for(&self, alg: Algorithm) -> Option<&ParsedPublicKey> {
        let (slot, params): (_, &'static RsaParameters) = match alg {
            Algorithm::RS256 => (&self.parsed[0], &signature::RSA_PKCS1_2048_8192_SHA256),
            Algorithm::RS384 => (&self.parsed[1], &signature::RSA_PKCS1_2048_8192_SHA384),
            Algorithm::RS512 => (&self.parsed[2], &signature::RSA_PKCS1_2048_8192_SHA512),
            Algorithm::PS256 => (&self.parsed[3], &signature::RSA_PSS_2048_8192_SHA256),
            Algorithm::PS384 => (&self.parsed[4], &signature::RSA_PSS_2048_8192_SHA384),
            Algorithm::PS512 => (&self.parsed[5], &signature::RSA_PSS_2048_8192_SHA512),
            _ => return None,
        };
        slot.get_or_init(|| {
            signature::RsaPublicKeyComponents {
                n: self.n.as_slice(),
                e: self.e.as_slice(),
            }
            .to_parsed_public_key(params)
            .map_err(|_| ())
        })
        .as_ref()
        .ok()
    }
}

/// An EC public key on a NIST curve or secp256k1.
pub(crate) struct EcPublic {
    pub(crate) curve: EcCurve,
    /// Uncompressed SEC1 point `04 || x || y`.
    pub(crate) point: Vec<u8>,
    pub(crate) parsed: ParsedPublicKey,
}

impl EcPublic {
    pub(crate) fn verification_alg(curve: EcCurve) -> &'static dyn VerificationAlgorithm {
        match curve {
            EcCurve::P256 => &signature::ECDSA_P256_SHA256_FIXED,
            EcCurve::P384 => &signature::ECDSA_P384_SHA384_FIXED,
            EcCurve::P521 => &signature::ECDSA_P521_SHA512_FIXED,
            EcCurve::P256K1 => &signature::ECDSA_P256K1_SHA256_FIXED,
        }
    }

    /// From an uncompressed point; aws-lc checks that it lies on the curve.
    pub(crate) fn from_point(curve: EcCurve, point: &[u8]) -> Result<Self, JwtError> {
        if point.len() != 1 + 2 * curve.coordinate_len() || point.first() != Some(&4) {
            return Err(JwtError::jwk(format!(
                "Invalid {} public key",
                curve.jwk_name()
            )));
        }
        let parsed = ParsedPublicKey::new(Self::verification_alg(curve), point)
            .map_err(|_| JwtError::jwk(format!("Invalid {} public key", curve.jwk_name())))?;
        Ok(EcPublic {
            curve,
            point: point.to_vec(),
            parsed,
        })
    }

    /// Affine coordinates `(x, y)`.
    pub(crate) fn coordinates(&self) -> (&[u8], &[u8]) {
        let len = self.curve.coordinate_len();
        let x = self.point.get(1..1 + len).unwrap_or_default();
        let y = self.point.get(1 + len..).unwrap_or_default();
        (x, y)
    }
}

/// An Ed25519 public key.
pub(crate) struct Ed25519Public {
    pub(crate) bytes: Vec<u8>,
    pub(crate) parsed: ParsedPublicKey,
}

impl Ed25519Public {
    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Self, JwtError> {
        if bytes.len() != 32 {
            return Err(JwtError::jwk("Ed25519 public key must be 32 bytes"));
        }
        let parsed = ParsedPublicKey::new(&signature::ED25519, bytes)
            .map_err(|_| JwtError::jwk("Invalid Ed25519 public key"))?;
        Ok(Ed25519Public {
            bytes: bytes.to_vec(),
            parsed,
        })
    }
}

pub(crate) enum VerifyingMaterial {
    Hmac(HmacSecret),
    Rsa(RsaPublic),
    Ec(EcPublic),
    Ed25519(Ed25519Public),
}
