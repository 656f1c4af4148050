//! Signing DSSE envelopes with the gem's private keys.
//!
//! DSSE has no algorithm field: signer and verifier agree out of band. We
//! name the scheme with the JWS algorithm names, with one difference that
//! matters for interop: ECDSA signatures are ASN.1 DER, as cosign, Sigstore
//! and in-toto produce and expect, not JWS's fixed `r || s`. The curve
//! fixes the hash (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512).

use std::fmt;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as sig, EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair};

use super::dsse::{Envelope, Signature};
use super::dsse_error::DsseError;
use super::pae::pae;
use crate::jwt::keys::signing_material::SigningMaterial;
use crate::jwt::keys::EcCurve;
use crate::jwt::{Algorithm, AlgorithmFamily, SigningKey};

/// A private key ready to sign DSSE envelopes (parsed once; key bytes held
/// by aws-lc, which cleanses them when dropped).
pub struct DsseSigner {
    inner: Inner,
    algorithm: Algorithm,
    keyid: Option<String>,
}

enum Inner {
    Rsa(RsaKeyPair, &'static dyn sig::RsaEncoding),
    Ecdsa(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

impl DsseSigner {
    /// A signer from one of the gem's keys. `algorithm` defaults to the
    /// key's own ([`SigningKey::default_algorithm`]: RS256 for RSA, the
    /// curve's ES* for EC, EdDSA); HMAC secrets are refused, since a DSSE
    /// verifier holding the secret could forge. An empty `keyid` is none.
    pub fn new(
        key: &SigningKey,
        algorithm: Option<Algorithm>,
        keyid: Option<String>,
    ) -> Result<Self, DsseError> {
        let algorithm = algorithm.unwrap_or_else(|| key.default_algorithm());
        if algorithm.family() == AlgorithmFamily::Hmac {
            return Err(DsseError::Key(
                "HMAC keys cannot sign DSSE envelopes".to_owned(),
            ));
        }
        key.check_algorithm(algorithm)
            .map_err(|e| DsseError::Key(e.to_string()))?;
        let rejected = |_: aws_lc_rs::error::Unspecified| {
            DsseError::Key("the key cannot be used for DSSE signing".to_owned())
        };
        let inner = match &key.material {
            SigningMaterial::Rsa(pair) => {
                let der = pair.as_der().map_err(rejected)?;
                let encoding: &'static dyn sig::RsaEncoding = match algorithm {
                    Algorithm::RS256 => &sig::RSA_PKCS1_SHA256,
                    Algorithm::RS384 => &sig::RSA_PKCS1_SHA384,
                    Algorithm::RS512 => &sig::RSA_PKCS1_SHA512,
                    Algorithm::PS256 => &sig::RSA_PSS_SHA256,
                    Algorithm::PS384 => &sig::RSA_PSS_SHA384,
                    _ => &sig::RSA_PSS_SHA512,
                };
                Inner::Rsa(
                    RsaKeyPair::from_pkcs8(der.as_ref())
                        .map_err(|_| rejected(aws_lc_rs::error::Unspecified))?,
                    encoding,
                )
            }
            SigningMaterial::Ec(curve, pair) => {
                // The JWT key signs r || s; DSSE wants DER, which aws-lc
                // binds at key load, so load the same key once more.
                let pkcs8 = pair.to_pkcs8v1().map_err(rejected)?;
                Inner::Ecdsa(
                    EcdsaKeyPair::from_pkcs8(der_signing_alg(*curve), pkcs8.as_ref())
                        .map_err(|_| rejected(aws_lc_rs::error::Unspecified))?,
                )
            }
            SigningMaterial::Ed25519(pair) => {
                let pkcs8 = pair.to_pkcs8v1().map_err(rejected)?;
                Inner::Ed25519(
                    Ed25519KeyPair::from_pkcs8(pkcs8.as_ref())
                        .map_err(|_| rejected(aws_lc_rs::error::Unspecified))?,
                )
            }
            SigningMaterial::Hmac(_) => {
                return Err(DsseError::Key(
                    "HMAC keys cannot sign DSSE envelopes".to_owned(),
                ))
            }
        };
        Ok(DsseSigner {
            inner,
            algorithm,
            keyid: keyid.filter(|k| !k.is_empty()),
        })
    }

    /// The signature scheme.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The keyid written next to each signature, if any.
    pub fn keyid(&self) -> Option<&str> {
        self.keyid.as_deref()
    }

    /// Signs a message (for DSSE, the PAE bytes).
    pub fn sign_message(&self, message: &[u8]) -> Result<Vec<u8>, DsseError> {
        let rng = SystemRandom::new();
        match &self.inner {
            Inner::Rsa(pair, encoding) => {
                let mut out = vec![0u8; pair.public_modulus_len()];
                pair.sign(*encoding, &rng, message, &mut out)
                    .map_err(|_| DsseError::Signing)?;
                Ok(out)
            }
            Inner::Ecdsa(pair) => Ok(pair
                .sign(&rng, message)
                .map_err(|_| DsseError::Signing)?
                .as_ref()
                .to_vec()),
            Inner::Ed25519(pair) => Ok(pair.sign(message).as_ref().to_vec()),
        }
    }
}

/// The aws-lc ECDSA signing algorithm producing DER for `curve`.
fn der_signing_alg(curve: EcCurve) -> &'static sig::EcdsaSigningAlgorithm {
    match curve {
        EcCurve::P256 => &sig::ECDSA_P256_SHA256_ASN1_SIGNING,
        EcCurve::P384 => &sig::ECDSA_P384_SHA384_ASN1_SIGNING,
        EcCurve::P521 => &sig::ECDSA_P521_SHA512_ASN1_SIGNING,
        EcCurve::P256K1 => &sig::ECDSA_P256K1_SHA256_ASN1_SIGNING,
    }
}

impl fmt::Debug for DsseSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DsseSigner")
            .field("algorithm", &self.algorithm.name())
            .field("keyid", &self.keyid)
            .finish_non_exhaustive()
    }
}

/// Signs `payload` as `payload_type` with every signer, in order: one
/// envelope, one signature per signer. At least one signer is required.
pub fn sign(
    payload_type: &str,
    payload: &[u8],
    signers: &[&DsseSigner],
) -> Result<Envelope, DsseError> {
    if signers.is_empty() {
        return Err(DsseError::Key("no DSSE signer given".to_owned()));
    }
    let message = pae(payload_type, payload);
    let signatures = signers
        .iter()
        .map(|s| {
            Ok(Signature {
                keyid: s.keyid.clone(),
                sig: s.sign_message(&message)?,
            })
        })
        .collect::<Result<Vec<_>, DsseError>>()?;
    Ok(Envelope {
        payload_type: payload_type.to_owned(),
        payload: payload.to_vec(),
        signatures,
    })
}
