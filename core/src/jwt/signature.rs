//! Raw JWS signing and verification over a signing input. Every call first
//! checks the key against the algorithm, so key/algorithm confusion is
//! impossible here whatever the token says.

use aws_lc_rs::{hmac, rand::SystemRandom, signature as sig};

use super::algorithm::Algorithm;
use super::error::JwtError;
use super::keys::signing_material::SigningMaterial;
use super::keys::verifying_material::VerifyingMaterial;
use super::keys::{SigningKey, VerifyingKey};

/// Signs `msg` with `key` under `alg`. ECDSA signatures are fixed-length
/// `r || s` (IEEE P1363), as JWS requires; RSA-PSS uses a salt as long as
/// the hash.
pub fn sign(alg: Algorithm, key: &SigningKey, msg: &[u8]) -> Result<Vec<u8>, JwtError> {
    key.check_algorithm(alg)?;
    let failed = |_| JwtError::Encode("Signing failed".to_owned());
    match &key.material {
        SigningMaterial::Hmac(secret) => Ok(hmac::sign(secret.key_for(alg), msg).as_ref().to_vec()),
        SigningMaterial::Rsa(pair) => {
            let encoding: &'static dyn sig::RsaEncoding = match alg {
                Algorithm::RS256 => &sig::RSA_PKCS1_SHA256,
                Algorithm::RS384 => &sig::RSA_PKCS1_SHA384,
                Algorithm::RS512 => &sig::RSA_PKCS1_SHA512,
                Algorithm::PS256 => &sig::RSA_PSS_SHA256,
                Algorithm::PS384 => &sig::RSA_PSS_SHA384,
                _ => &sig::RSA_PSS_SHA512,
            };
            let mut out = vec![0u8; pair.public_modulus_len()];
            pair.sign(encoding, &SystemRandom::new(), msg, &mut out)
                .map_err(failed)?;
            Ok(out)
        }
        SigningMaterial::Ec(_, pair) => Ok(pair
            .sign(&SystemRandom::new(), msg)
            .map_err(failed)?
            .as_ref()
            .to_vec()),
        SigningMaterial::Ed25519(pair) => Ok(pair.sign(msg).as_ref().to_vec()),
    }
}

/// Verifies `signature` over `msg`. Any failure of the signature itself is
/// `VerificationError("Signature verification failed")`; a key that does
/// not fit `alg` is `IncorrectAlgorithm` (or `DecodeError` for an HMAC
/// secret below the length policy).
///
/// HMAC tags are compared in constant time (aws-lc). ECDSA signatures must
/// be exactly `2 * coordinate length` bytes: DER is rejected. RSA keys are
/// 2048..=8192 bits (enforced when the key is built).
pub fn verify_signature(
    alg: Algorithm,
    key: &VerifyingKey,
    msg: &[u8],
    signature: &[u8],
) -> Result<(), JwtError> {
    key.check_algorithm(alg)?;
    let ok = match &key.material {
        VerifyingMaterial::Hmac(secret) => {
            hmac::verify(secret.key_for(alg), msg, signature).is_ok()
        }
        VerifyingMaterial::Rsa(rsa) => rsa
            .parsed_for(alg)
            .is_some_and(|parsed| parsed.verify_sig(msg, signature).is_ok()),
        VerifyingMaterial::Ec(ec) => {
            signature.len() == 2 * ec.curve.coordinate_len()
                && ec.parsed.verify_sig(msg, signature).is_ok()
        }
        VerifyingMaterial::Ed25519(ed) => {
            signature.len() == 64 && ed.parsed.verify_sig(msg, signature).is_ok()
        }
    };
    if ok {
        Ok(())
    } else {
        Err(JwtError::signature_failed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::keys::{EcCurve, KeyType};
    use crate::jwt::ErrorKind;

    #[test]
    fn sign_verify_round_trip_every_family() {
        let cases = [
            (
                KeyType::Hmac,
                vec![Algorithm::HS256, Algorithm::HS384, Algorithm::HS512],
            ),
            (KeyType::Ec(EcCurve::P256), vec![Algorithm::ES256]),
            (KeyType::Ec(EcCurve::P384), vec![Algorithm::ES384]),
            (KeyType::Ec(EcCurve::P521), vec![Algorithm::ES512]),
            (KeyType::Ec(EcCurve::P256K1), vec![Algorithm::ES256K]),
            (KeyType::Ed25519, vec![Algorithm::EdDSA]),
        ];
        for (kt, algs) in cases {
            let key = SigningKey::generate(kt).unwrap();
            let vk = key.verifying_key().unwrap();
            for alg in algs {
                let s = sign(alg, &key, b"msg").unwrap();
                verify_signature(alg, &vk, b"msg", &s).unwrap();
                let err = verify_signature(alg, &vk, b"msh", &s).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::Verification);
                assert!(verify_signature(alg, &vk, b"msg", &s[..s.len() - 1]).is_err());
            }
        }
    }

    #[test]
    fn rsa_sign_verify_and_confusion() {
        let key = SigningKey::generate(KeyType::Rsa).unwrap();
        let vk = key.verifying_key().unwrap();
        for alg in [
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
        ] {
            let s = sign(alg, &key, b"msg").unwrap();
            verify_signature(alg, &vk, b"msg", &s).unwrap();
        }
        let rs = sign(Algorithm::RS256, &key, b"msg").unwrap();
        assert!(verify_signature(Algorithm::PS256, &vk, b"msg", &rs).is_err());
        assert_eq!(
            verify_signature(Algorithm::HS256, &vk, b"msg", &rs)
                .unwrap_err()
                .kind(),
            ErrorKind::IncorrectAlgorithm
        );
        assert!(sign(Algorithm::ES256, &key, b"m").is_err());
    }
}
