//! Verifying DSSE envelopes against trusted public keys (protocol.md,
//! "Multi-signature Verification").
//!
//! Threshold semantics: an envelope is accepted when at least `threshold`
//! distinct trusted keys (default 1) each verify one of its signatures.
//! Keys are distinct by their public key (SubjectPublicKeyInfo), so the same
//! key listed twice, or one signature repeated, never counts twice; each
//! signature counts for at most one key. A `keyid` only narrows which keys
//! are tried (when both the signature and the key carry one, they must be
//! equal); it is unauthenticated and never decides acceptance. The payload
//! type is checked after the signatures, as the protocol orders it.
//!
//! ECDSA signatures must be ASN.1 DER (what cosign, Sigstore and in-toto
//! produce); RSA and Ed25519 signatures are the raw primitive output.

use std::fmt;

use aws_lc_rs::signature::{self as sig, ParsedPublicKey, RsaParameters, VerificationAlgorithm};

use super::dsse::Envelope;
use super::dsse_error::DsseError;
use crate::jwt::keys::verifying_material::VerifyingMaterial;
use crate::jwt::keys::EcCurve;
use crate::jwt::{Algorithm, AlgorithmFamily, VerifyingKey};

/// Most signatures one envelope may carry: every signature may be tried
/// against every key, so this bounds the work an envelope can cause.
pub const MAX_SIGNATURES: usize = 32;

/// A public key trusted for DSSE, with its scheme and optional keyid.
pub struct TrustedKey {
    parsed: ParsedPublicKey,
    /// SubjectPublicKeyInfo DER: what makes two keys the same key.
    identity: Vec<u8>,
    algorithm: Algorithm,
    keyid: Option<String>,
}

impl TrustedKey {
    /// From one of the gem's verifying keys. `algorithm` defaults to the
    /// key's declared JWK `alg`, else RS256 for RSA, the curve's ES* for
    /// EC, EdDSA for Ed25519; `keyid` defaults to the key's `kid`. HMAC
    /// secrets are refused.
    pub fn new(
        key: &VerifyingKey,
        algorithm: Option<Algorithm>,
        keyid: Option<String>,
    ) -> Result<Self, DsseError> {
        let algorithm = match algorithm.or(key.declared_algorithm()) {
            Some(alg) => alg,
            None => match key.key_type() {
                crate::jwt::KeyType::Rsa => Algorithm::RS256,
                crate::jwt::KeyType::Ec(curve) => curve.algorithm(),
                _ => Algorithm::EdDSA,
            },
        };
        if algorithm.family() == AlgorithmFamily::Hmac {
            return Err(DsseError::Key(
                "HMAC keys cannot verify DSSE envelopes".to_owned(),
            ));
        }
        key.check_algorithm(algorithm)
            .map_err(|e| DsseError::Key(e.to_string()))?;
        let rejected = || DsseError::Key("the key cannot be used for DSSE verification".to_owned());
        let parsed = match &key.material {
            VerifyingMaterial::Rsa(rsa) => sig::RsaPublicKeyComponents {
                n: rsa.n.as_slice(),
                e: rsa.e.as_slice(),
            }
            .to_parsed_public_key(rsa_params(algorithm))
            .map_err(|_| rejected())?,
            VerifyingMaterial::Ec(ec) => {
                ParsedPublicKey::new(der_verification_alg(ec.curve), &ec.point)
                    .map_err(|_| rejected())?
            }
            VerifyingMaterial::Ed25519(ed) => {
                ParsedPublicKey::new(&sig::ED25519, &ed.bytes).map_err(|_| rejected())?
            }
            VerifyingMaterial::Hmac(_) => {
                return Err(DsseError::Key(
                    "HMAC keys cannot verify DSSE envelopes".to_owned(),
                ))
            }
        };
        let identity = key.to_public_der().ok_or_else(rejected)?;
        Ok(TrustedKey {
            parsed,
            identity,
            algorithm,
            keyid: keyid
                .or_else(|| key.kid().map(str::to_owned))
                .filter(|k| !k.is_empty()),
        })
    }

    /// The keyid this key answers to, if any.
    pub fn keyid(&self) -> Option<&str> {
        self.keyid.as_deref()
    }

    /// The signature scheme.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Whether a signature with this keyid may be tried with this key.
    fn may_have_signed(&self, keyid: Option<&str>) -> bool {
        match (keyid, self.keyid.as_deref()) {
            (Some(wanted), Some(own)) => wanted == own,
            _ => true,
        }
    }

    fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        self.parsed.verify_sig(message, signature).is_ok()
    }
}

impl fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrustedKey")
            .field("algorithm", &self.algorithm.name())
            .field("keyid", &self.keyid)
            .finish_non_exhaustive()
    }
}

fn rsa_params(alg: Algorithm) -> &'static RsaParameters {
    match alg {
        Algorithm::RS256 => &sig::RSA_PKCS1_2048_8192_SHA256,
        Algorithm::RS384 => &sig::RSA_PKCS1_2048_8192_SHA384,
        Algorithm::RS512 => &sig::RSA_PKCS1_2048_8192_SHA512,
        Algorithm::PS256 => &sig::RSA_PSS_2048_8192_SHA256,
        Algorithm::PS384 => &sig::RSA_PSS_2048_8192_SHA384,
        _ => &sig::RSA_PSS_2048_8192_SHA512,
    }
}

fn der_verification_alg(curve: EcCurve) -> &'static dyn VerificationAlgorithm {
    match curve {
        EcCurve::P256 => &sig::ECDSA_P256_SHA256_ASN1,
        EcCurve::P384 => &sig::ECDSA_P384_SHA384_ASN1,
        EcCurve::P521 => &sig::ECDSA_P521_SHA512_ASN1,
        EcCurve::P256K1 => &sig::ECDSA_P256K1_SHA256_ASN1,
    }
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The authenticated payload type.
    pub payload_type: String,
    /// The authenticated payload.
    pub payload: Vec<u8>,
    /// Indexes (into the verifier's keys) of the keys that verified.
    pub key_indexes: Vec<usize>,
}

/// Trusted keys, a threshold and the accepted payload types.
#[derive(Debug)]
pub struct DsseVerifier {
    keys: Vec<TrustedKey>,
    threshold: usize,
    payload_types: Option<Vec<String>>,
}

impl DsseVerifier {
    /// `threshold` distinct keys must verify (1 ..= the number of distinct
    /// keys); `payload_types` None accepts any type (the caller then checks
    /// [`Verified::payload_type`]).
    pub fn new(
        keys: Vec<TrustedKey>,
        threshold: usize,
        payload_types: Option<Vec<String>>,
    ) -> Result<Self, DsseError> {
        let mut identities: Vec<&[u8]> = keys.iter().map(|k| k.identity.as_slice()).collect();
        identities.sort_unstable();
        identities.dedup();
        if keys.is_empty() {
            return Err(DsseError::Key("no trusted DSSE keys given".to_owned()));
        }
        if threshold == 0 || threshold > identities.len() {
            return Err(DsseError::Key(format!(
                "threshold must be 1 to {} (the number of distinct keys), got {threshold}",
                identities.len()
            )));
        }
        if payload_types.as_ref().is_some_and(Vec::is_empty) {
            return Err(DsseError::Key("no accepted payload types given".to_owned()));
        }
        Ok(DsseVerifier {
            keys,
            threshold,
            payload_types,
        })
    }

    /// The trusted keys, in the order given.
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// Verifies a parsed envelope.
    pub fn verify(&self, envelope: &Envelope) -> Result<Verified, DsseError> {
        let count = envelope.signatures.len();
        if count == 0 {
            return Err(DsseError::NoSignatures);
        }
        if count > MAX_SIGNATURES {
            return Err(DsseError::TooManySignatures {
                count,
                max: MAX_SIGNATURES,
            });
        }
        let message = envelope.pae();
        let mut accepted: Vec<usize> = Vec::new();
        for signature in &envelope.signatures {
            if accepted.len() >= self.threshold {
                break;
            }
            let found = self.keys.iter().enumerate().find(|(_, key)| {
                !accepted
                    .iter()
                    .any(|&i| self.keys[i].identity == key.identity)
                    && key.may_have_signed(signature.keyid.as_deref())
                    && key.verifies(&message, &signature.sig)
            });
            if let Some((index, _)) = found {
                accepted.push(index);
            }
        }
        if accepted.len() < self.threshold {
            return Err(DsseError::SignatureFailed {
                verified: accepted.len(),
                threshold: self.threshold,
            });
        }
        if let Some(types) = &self.payload_types {
            if !types.contains(&envelope.payload_type) {
                return Err(DsseError::PayloadType {
                    found: envelope.payload_type.clone(),
                    expected: types.clone(),
                });
            }
        }
        Ok(Verified {
            payload_type: envelope.payload_type.clone(),
            payload: envelope.payload.clone(),
            key_indexes: accepted,
        })
    }

    /// Parses and verifies a JSON envelope.
    pub fn verify_json(&self, json: &[u8]) -> Result<Verified, DsseError> {
        self.verify(&Envelope::from_json(json)?)
    }
}
