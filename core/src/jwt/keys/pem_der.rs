//! DER and PEM key parsing. aws-lc does the ASN.1 work; we only decide which
//! parser applies and insist that public-key DER is a canonical
//! SubjectPublicKeyInfo (aws-lc would also accept raw points, which would let
//! arbitrary 32 or 65 bytes pass as a key).

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::PublicKey as RsaPublicKeyDer;
use aws_lc_rs::signature::{self, ParsedPublicKey};
use zeroize::Zeroizing;

use super::signing_material::SigningMaterial;
use super::verifying_material::{EcPublic, Ed25519Public, RsaPublic, VerifyingMaterial};
use super::EcCurve;
use crate::jwt::error::JwtError;

/// Upper bound on PEM/DER input, far above any real key; keeps work bounded.
const MAX_KEY_INPUT: usize = 64 * 1024;

fn too_large(len: usize) -> Result<(), JwtError> {
    if len > MAX_KEY_INPUT {
        Err(JwtError::jwk("Key input is too large"))
    } else {
        Ok(())
    }
}

/// Public key from SPKI (RSA, EC, Ed25519) or PKCS#1 RSAPublicKey DER.
pub(crate) fn verifying_material_from_der(der: &[u8]) -> Result<VerifyingMaterial, JwtError> {
    too_large(der.len())?;
    if let Ok(rsa) = RsaPublicKeyDer::from_der(der) {
        let n = rsa.modulus();
        let e = rsa.exponent();
        return Ok(VerifyingMaterial::Rsa(RsaPublic::from_components(
            n.big_endian_without_leading_zero(),
            e.big_endian_without_leading_zero(),
        )?));
    }
    for curve in EcCurve::ALL {
        if let Ok(parsed) = ParsedPublicKey::new(EcPublic::verification_alg(curve), der) {
            if !is_canonical_spki(&parsed, der) {
                continue;
            }
            let point_len = 1 + 2 * curve.coordinate_len();
            // A canonical EC SPKI ends with the uncompressed point.
            let point = der
                .len()
                .checked_sub(point_len)
                .and_then(|start| der.get(start..))
                .ok_or_else(|| JwtError::jwk("Invalid EC public key"))?;
            return Ok(VerifyingMaterial::Ec(EcPublic::from_point(curve, point)?));
        }
    }
    if let Ok(parsed) = ParsedPublicKey::new(&signature::ED25519, der) {
        if is_canonical_spki(&parsed, der) {
            let raw = der
                .len()
                .checked_sub(32)
                .and_then(|start| der.get(start..))
                .ok_or_else(|| JwtError::jwk("Invalid Ed25519 public key"))?;
            return Ok(VerifyingMaterial::Ed25519(Ed25519Public::from_bytes(raw)?));
        }
    }
    Err(JwtError::jwk(
        "Unsupported or invalid public key DER (expected SubjectPublicKeyInfo or PKCS#1)",
    ))
}

fn is_canonical_spki(parsed: &ParsedPublicKey, der: &[u8]) -> bool {
    parsed
        .as_der()
        .map(|spki| spki.as_ref() == der)
        .unwrap_or(false)
}

/// Parses the first PEM block of `input`, returning its label and contents.
fn parse_pem(input: &str) -> Result<(String, Zeroizing<Vec<u8>>), JwtError> {
    too_large(input.len())?;
    let block = pem::parse(input.trim()).map_err(|_| JwtError::jwk("Invalid PEM"))?;
    let label = block.tag().to_owned();
    Ok((label, Zeroizing::new(block.into_contents())))
}

/// Public key from PEM: `PUBLIC KEY` (SPKI) or `RSA PUBLIC KEY` (PKCS#1).
pub(crate) fn verifying_material_from_pem(input: &str) -> Result<VerifyingMaterial, JwtError> {
    let (label, der) = parse_pem(input)?;
    match label.as_str() {
        "PUBLIC KEY" | "RSA PUBLIC KEY" => verifying_material_from_der(&der),
        "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => Err(JwtError::jwk(
            "Expected a public key PEM, got a private key (use its public part)",
        )),
        _ => Err(JwtError::jwk(format!("Unsupported PEM label \"{label}\""))),
    }
}

/// Private key from DER: PKCS#8 (RSA, EC, Ed25519), PKCS#1 RSAPrivateKey or
/// SEC1 ECPrivateKey.
pub(crate) fn signing_material_from_der(der: &[u8]) -> Result<SigningMaterial, JwtError> {
    too_large(der.len())?;
    if let Ok(pair) = signature::RsaKeyPair::from_pkcs8(der) {
        return SigningMaterial::rsa(pair);
    }
    if let Ok(pair) = signature::RsaKeyPair::from_der(der) {
        return SigningMaterial::rsa(pair);
    }
    for curve in EcCurve::ALL {
        let alg = SigningMaterial::ec_signing_alg(curve);
        if let Ok(pair) = signature::EcdsaKeyPair::from_private_key_der(alg, der) {
            return SigningMaterial::ec(curve, pair);
        }
    }
    if let Ok(pair) = signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der) {
        return Ok(SigningMaterial::Ed25519(pair));
    }
    Err(JwtError::jwk(
        "Unsupported or invalid private key DER (expected PKCS#8, PKCS#1 or SEC1)",
    ))
}

/// Private key from PEM: `PRIVATE KEY`, `RSA PRIVATE KEY` or `EC PRIVATE KEY`.
pub(crate) fn signing_material_from_pem(input: &str) -> Result<SigningMaterial, JwtError> {
    let (label, der) = parse_pem(input)?;
    match label.as_str() {
        "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => signing_material_from_der(&der),
        "ENCRYPTED PRIVATE KEY" => Err(JwtError::jwk("Encrypted private keys are not supported")),
        "PUBLIC KEY" | "RSA PUBLIC KEY" => Err(JwtError::jwk(
            "Expected a private key PEM, got a public key",
        )),
        _ => Err(JwtError::jwk(format!("Unsupported PEM label \"{label}\""))),
    }
}
