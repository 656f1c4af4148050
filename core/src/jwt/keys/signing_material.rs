//! Parsed signing key material: an HMAC secret or an aws-lc key pair,
//! shared by the PEM/DER and JWK readers and by
//! [`SigningKey`](super::SigningKey).

use aws_lc_rs::signature::{self, EcdsaKeyPair, EcdsaSigningAlgorithm, Ed25519KeyPair, KeyPair};

use super::hmac_key::HmacSecret;
use super::{check_rsa_policy, EcCurve};
use crate::jwt::error::JwtError;

pub(crate) enum SigningMaterial {
    Hmac(HmacSecret),
    Rsa(signature::RsaKeyPair),
    Ec(EcCurve, EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

impl SigningMaterial {
    pub(crate) fn rsa(pair: signature::RsaKeyPair) -> Result<Self, JwtError> {
        let public = pair.public_key();
        check_rsa_policy(
            public.modulus().big_endian_without_leading_zero(),
            public.exponent().big_endian_without_leading_zero(),
        )?;
        Ok(SigningMaterial::Rsa(pair))
    }

    pub(crate) fn ec(curve: EcCurve, pair: EcdsaKeyPair) -> Result<Self, JwtError> {
        Ok(SigningMaterial::Ec(curve, pair))
    }

    pub(crate) fn ec_signing_alg(curve: EcCurve) -> &'static EcdsaSigningAlgorithm {
        match curve {
            EcCurve::P256 => &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            EcCurve::P384 => &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
            EcCurve::P521 => &signature::ECDSA_P521_SHA512_FIXED_SIGNING,
            EcCurve::P256K1 => &signature::ECDSA_P256K1_SHA256_FIXED_SIGNING,
        }
    }
}
