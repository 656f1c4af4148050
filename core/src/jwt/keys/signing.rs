//! Private (or shared-secret) keys for signing. The parsed aws-lc key is
//! held for the key's lifetime so signing does no parsing.

use std::fmt;

use aws_lc_rs::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair};
use serde_json::Value;

use super::hmac_key::{HmacKeyLength, HmacSecret};
use super::material::{self, KeyText};
use super::signing_material::SigningMaterial;
use super::verifying::VerifyingKey;
use super::verifying_material::{EcPublic, Ed25519Public, RsaPublic, VerifyingMaterial};
use super::{bit_len, jwk, pem_der, KeyType};
use crate::jwt::algorithm::Algorithm;
use crate::jwt::error::JwtError;

/// A key that signs JWS tokens: an HMAC secret or a private key.
pub struct SigningKey {
    pub(crate) material: SigningMaterial,
}

impl SigningKey {
    /// An HMAC secret; the length policy is enforced.
    pub fn hmac(secret: &[u8]) -> Result<Self, JwtError> {
        Self::hmac_with_policy(secret, HmacKeyLength::Enforce)
    }

    /// An HMAC secret with an explicit length policy (empty is always refused).
    pub fn hmac_with_policy(secret: &[u8], policy: HmacKeyLength) -> Result<Self, JwtError> {
        Ok(SigningKey {
            material: SigningMaterial::Hmac(HmacSecret::new(secret, policy)?),
        })
    }

    /// Private key from DER: PKCS#8 (RSA, EC, Ed25519), PKCS#1 or SEC1.
    pub fn from_der(der: &[u8]) -> Result<Self, JwtError> {
        pem_der::signing_material_from_der(der).map(|material| SigningKey { material })
    }

    /// Private key from PEM (`PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`).
    pub fn from_pem(pem: &str) -> Result<Self, JwtError> {
        pem_der::signing_material_from_pem(pem).map(|material| SigningKey { material })
    }

    /// A key given as bytes: PEM when a PEM header appears anywhere in it,
    /// else an HMAC secret (refused when it is other key material).
    pub fn from_key_bytes(bytes: &[u8], policy: HmacKeyLength) -> Result<Self, JwtError> {
        match material::classify(bytes) {
            KeyText::Pem => Self::from_pem(material::pem_text(bytes)?),
            KeyText::Secret => Self::hmac_with_policy(bytes, policy),
        }
    }

    /// Private key from a JWK (RSA with CRT members, EC, OKP/Ed25519, oct).
    pub fn from_jwk(jwk_value: &Value) -> Result<Self, JwtError> {
        jwk::signing_material_from_jwk(jwk_value, HmacKeyLength::Enforce)
            .map(|material| SigningKey { material })
    }

    /// [`from_jwk`](Self::from_jwk) with an explicit HMAC length policy.
    pub fn from_jwk_with_hmac_policy(
        jwk_value: &Value,
        policy: HmacKeyLength,
    ) -> Result<Self, JwtError> {
        jwk::signing_material_from_jwk(jwk_value, policy).map(|material| SigningKey { material })
    }

    /// Generates a fresh key of `key_type` (HMAC: 64 random bytes; RSA: 2048 bits).
    pub fn generate(key_type: KeyType) -> Result<Self, JwtError> {
        let fail = |_| JwtError::Encode("Key generation failed".to_owned());
        let material = match key_type {
            KeyType::Hmac => {
                let mut secret = zeroize::Zeroizing::new([0u8; 64]);
                aws_lc_rs::rand::fill(secret.as_mut()).map_err(fail)?;
                SigningMaterial::Hmac(HmacSecret::new(secret.as_ref(), HmacKeyLength::Enforce)?)
            }
            KeyType::Rsa => SigningMaterial::Rsa(
                signature::RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).map_err(fail)?,
            ),
            KeyType::Ec(curve) => SigningMaterial::Ec(
                curve,
                EcdsaKeyPair::generate(SigningMaterial::ec_signing_alg(curve)).map_err(fail)?,
            ),
            KeyType::Ed25519 => SigningMaterial::Ed25519(Ed25519KeyPair::generate().map_err(fail)?),
        };
        Ok(SigningKey { material })
    }

    /// Key type and curve.
    pub fn key_type(&self) -> KeyType {
        match &self.material {
            SigningMaterial::Hmac(_) => KeyType::Hmac,
            SigningMaterial::Rsa(_) => KeyType::Rsa,
            SigningMaterial::Ec(curve, _) => KeyType::Ec(*curve),
            SigningMaterial::Ed25519(_) => KeyType::Ed25519,
        }
    }

    /// Whether this key may sign `alg` tokens (type, curve, HMAC length).
    pub fn check_algorithm(&self, alg: Algorithm) -> Result<(), JwtError> {
        self.key_type().check(alg)?;
        if let SigningMaterial::Hmac(secret) = &self.material {
            secret.check_length(alg)?;
        }
        Ok(())
    }

    /// The algorithm this key naturally signs with: RS256 for RSA, the
    /// curve's ES* for EC, EdDSA, HS256 for HMAC.
    pub fn default_algorithm(&self) -> Algorithm {
        match self.key_type() {
            KeyType::Hmac => Algorithm::HS256,
            KeyType::Rsa => Algorithm::RS256,
            KeyType::Ec(curve) => curve.algorithm(),
            KeyType::Ed25519 => Algorithm::EdDSA,
        }
    }

    /// The matching verification key (for HMAC, the same secret).
    pub fn verifying_key(&self) -> Result<VerifyingKey, JwtError> {
        let material = match &self.material {
            SigningMaterial::Hmac(secret) => VerifyingMaterial::Hmac(secret.clone()),
            SigningMaterial::Rsa(pair) => {
                let public = pair.public_key();
                VerifyingMaterial::Rsa(RsaPublic::from_components(
                    public.modulus().big_endian_without_leading_zero(),
                    public.exponent().big_endian_without_leading_zero(),
                )?)
            }
            SigningMaterial::Ec(curve, pair) => {
                VerifyingMaterial::Ec(EcPublic::from_point(*curve, pair.public_key().as_ref())?)
            }
            SigningMaterial::Ed25519(pair) => {
                VerifyingMaterial::Ed25519(Ed25519Public::from_bytes(pair.public_key().as_ref())?)
            }
        };
        Ok(VerifyingKey::from_material(material))
    }

    /// Public JWK of this key (refused for HMAC).
    pub fn to_public_jwk(
        &self,
        kid: Option<&str>,
        alg: Option<Algorithm>,
    ) -> Result<Value, JwtError> {
        self.verifying_key()?.to_public_jwk(kid, alg)
    }

    /// RFC 7638 SHA-256 thumbprint of the public key, base64url.
    pub fn thumbprint(&self) -> Result<String, JwtError> {
        Ok(self.verifying_key()?.thumbprint())
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("SigningKey");
        s.field("type", &self.key_type().describe());
        if let SigningMaterial::Rsa(pair) = &self.material {
            s.field(
                "bits",
                &bit_len(
                    pair.public_key()
                        .modulus()
                        .big_endian_without_leading_zero(),
                ),
            );
        }
        s.finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::keys::EcCurve;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn generated_keys_round_trip_and_hide_secrets() {
        assert_send_sync::<SigningKey>();
        for kt in [
            KeyType::Hmac,
            KeyType::Ec(EcCurve::P256),
            KeyType::Ec(EcCurve::P521),
            KeyType::Ed25519,
        ] {
            let key = SigningKey::generate(kt).unwrap();
            assert_eq!(key.key_type(), kt);
            assert!(format!("{key:?}").len() < 80);
            assert_eq!(key.verifying_key().unwrap().key_type(), kt);
        }
    }
}
