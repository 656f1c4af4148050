//! Public keys from SubjectPublicKeyInfo DER and signature checks through
//! aws-lc-rs. Which algorithm applies comes from the key's own type (and,
//! for certificate signatures, the certificate's signature algorithm), never
//! from bundle fields an attacker controls.
use aws_lc_rs::digest;
use aws_lc_rs::signature::{self, ParsedPublicKey, VerificationAlgorithm};
use const_oid::db::{rfc5912, rfc8410};
use const_oid::ObjectIdentifier;
use der::{Decode, Encode};
use spki::SubjectPublicKeyInfoRef;

use super::error::SigstoreError;

/// The key types Sigstore uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    EcP256,
    EcP384,
    EcP521,
    Ed25519,
    Rsa,
}

/// Hash functions a signature may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn digest_alg(self) -> &'static digest::Algorithm {
        match self {
            Hash::Sha256 => &digest::SHA256,
            Hash::Sha384 => &digest::SHA384,
            Hash::Sha512 => &digest::SHA512,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Hash::Sha256 => "sha256",
            Hash::Sha384 => "sha384",
            Hash::Sha512 => "sha512",
        }
    }

    pub fn from_name(name: &str) -> Option<Hash> {
        match name.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "sha256" | "sha2256" => Some(Hash::Sha256),
            "sha384" | "sha2384" => Some(Hash::Sha384),
            "sha512" | "sha2512" => Some(Hash::Sha512),
            _ => None,
        }
    }

    pub fn len(self) -> usize {
        self.digest_alg().output_len()
    }
}

/// A verification key: its kind, its SPKI DER and the aws-lc key parsed
/// once for the kind's usual hash.
pub struct PublicKey {
    kind: KeyKind,
    spki_der: Vec<u8>,
    raw: Vec<u8>,
    parsed: ParsedPublicKey,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicKey")
            .field("kind", &self.kind)
            .finish()
    }
}

const EC_PUBLIC_KEY: ObjectIdentifier = rfc5912::ID_EC_PUBLIC_KEY;

impl PublicKey {
    /// Parses SPKI DER. Only canonical DER of the supported key types.
    pub fn from_spki_der(der: &[u8]) -> Result<PublicKey, String> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| format!("public key does not parse: {e}"))?;
        let raw = spki
            .subject_public_key
            .as_bytes()
            .ok_or("public key has unused bits")?
            .to_vec();
        let oid = spki.algorithm.oid;
        let kind = if oid == EC_PUBLIC_KEY {
            let curve: ObjectIdentifier = spki
                .algorithm
                .parameters
                .ok_or("EC public key without a named curve")?
                .decode_as()
                .map_err(|_| "EC public key without a named curve")?;
            match curve {
                c if c == rfc5912::SECP_256_R_1 => KeyKind::EcP256,
                c if c == rfc5912::SECP_384_R_1 => KeyKind::EcP384,
                c if c == rfc5912::SECP_521_R_1 => KeyKind::EcP521,
                other => return Err(format!("unsupported EC curve {other}")),
            }
        } else if oid == rfc8410::ID_ED_25519 {
            KeyKind::Ed25519
        } else if oid == rfc5912::RSA_ENCRYPTION {
            KeyKind::Rsa
        } else {
            return Err(format!("unsupported public key algorithm {oid}"));
        };
        let default_hash = match kind {
            KeyKind::EcP384 => Hash::Sha384,
            KeyKind::EcP521 => Hash::Sha512,
            _ => Hash::Sha256,
        };
        let alg = algorithm(kind, Some(default_hash), false).ok_or("unsupported key")?;
        let parsed = ParsedPublicKey::new(alg, &raw).map_err(|_| "public key is invalid")?;
        Ok(PublicKey {
            kind,
            spki_der: der.to_vec(),
            raw,
            parsed,
        })
    }

    /// A PKCS#1 RSAPublicKey (trusted roots mark such keys
    /// `PKCS1_RSA_PKCS1V5`); wrapped into SPKI so key IDs come out as for
    /// any other key.
    pub fn from_pkcs1_rsa_der(der: &[u8]) -> Result<PublicKey, String> {
        use der::asn1::BitString;
        use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
        let spki = SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: rfc5912::RSA_ENCRYPTION,
                parameters: Some(der::asn1::Null.into()),
            },
            subject_public_key: BitString::from_bytes(der).map_err(|e| e.to_string())?,
        };
        PublicKey::from_spki_der(&spki.to_der().map_err(|e| e.to_string())?)
    }

    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// The hash Sigstore pairs with this key for message signatures.
    pub fn message_hash(&self) -> Option<Hash> {
        match self.kind {
            KeyKind::EcP256 | KeyKind::Rsa => Some(Hash::Sha256),
            KeyKind::EcP384 => Some(Hash::Sha384),
            KeyKind::EcP521 => Some(Hash::Sha512),
            KeyKind::Ed25519 => None,
        }
    }

    /// Verifies `sig` over `message` with the key's usual hash.
    pub fn verify(&self, message: &[u8], sig: &[u8]) -> bool {
        self.parsed.verify_sig(message, sig).is_ok()
    }

    /// Verifies `sig` over `message` hashed with `hash` (certificate
    /// signatures name theirs); `pss` for RSASSA-PSS.
    pub fn verify_with(&self, hash: Hash, pss: bool, message: &[u8], sig: &[u8]) -> bool {
        if self.kind != KeyKind::Ed25519 && Some(hash) == self.message_hash() && !pss {
            return self.verify(message, sig);
        }
        let Some(alg) = algorithm(self.kind, Some(hash), pss) else {
            return false;
        };
        signature::UnparsedPublicKey::new(alg, &self.raw)
            .verify(message, sig)
            .is_ok()
    }

    /// Verifies `sig` over an already computed digest (hashedrekord
    /// signatures sign the artifact's digest, which is all a caller that
    /// passes `artifact_digest:` has). ECDSA keys may sign any SHA-2 digest
    /// (public-good bundles hold P-384 keys over SHA-256); RSA keys sign
    /// with PKCS#1 v1.5; Ed25519 cannot sign a digest.
    pub fn verify_prehashed(&self, hash: Hash, digest_bytes: &[u8], sig: &[u8]) -> bool {
        if self.kind == KeyKind::Ed25519 || digest_bytes.len() != hash.len() {
            return false;
        }
        let Ok(digest) = digest::Digest::import_less_safe(digest_bytes, hash.digest_alg()) else {
            return false;
        };
        if Some(hash) == self.message_hash() {
            return self.parsed.verify_digest_sig(&digest, sig).is_ok();
        }
        let Some(alg) = algorithm(self.kind, Some(hash), false) else {
            return false;
        };
        ParsedPublicKey::new(alg, &self.raw)
            .map(|k| k.verify_digest_sig(&digest, sig).is_ok())
            .unwrap_or(false)
    }

    /// SHA-256 of the SPKI DER: Sigstore's log IDs and CT issuer key hash.
    pub fn key_id(&self) -> [u8; 32] {
        sha256(&self.spki_der)
    }
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    let d = digest::digest(&digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

fn algorithm(
    kind: KeyKind,
    hash: Option<Hash>,
    pss: bool,
) -> Option<&'static dyn VerificationAlgorithm> {
    use Hash::*;
    use KeyKind::*;
    Some(match (kind, hash?, pss) {
        (EcP256, Sha256, false) => &signature::ECDSA_P256_SHA256_ASN1,
        (EcP256, Sha384, false) => &signature::ECDSA_P256_SHA384_ASN1,
        (EcP384, Sha256, false) => &signature::ECDSA_P384_SHA256_ASN1,
        (EcP384, Sha384, false) => &signature::ECDSA_P384_SHA384_ASN1,
        (EcP384, Sha512, false) => &signature::ECDSA_P384_SHA512_ASN1,
        (EcP256, Sha512, false) => &signature::ECDSA_P256_SHA512_ASN1,
        (EcP521, Sha256, false) => &signature::ECDSA_P521_SHA256_ASN1,
        (EcP521, Sha384, false) => &signature::ECDSA_P521_SHA384_ASN1,
        (EcP521, Sha512, false) => &signature::ECDSA_P521_SHA512_ASN1,
        (Ed25519, _, false) => &signature::ED25519,
        (Rsa, Sha256, false) => &signature::RSA_PKCS1_2048_8192_SHA256,
        (Rsa, Sha384, false) => &signature::RSA_PKCS1_2048_8192_SHA384,
        (Rsa, Sha512, false) => &signature::RSA_PKCS1_2048_8192_SHA512,
        (Rsa, Sha256, true) => &signature::RSA_PSS_2048_8192_SHA256,
        (Rsa, Sha384, true) => &signature::RSA_PSS_2048_8192_SHA384,
        (Rsa, Sha512, true) => &signature::RSA_PSS_2048_8192_SHA512,
        _ => return None,
    })
}

/// The (hash, pss) an X.509 signature algorithm OID names; Ed25519 gives
/// SHA-512 as a placeholder (it is ignored for Ed25519 keys).
pub fn x509_signature_algorithm(oid: &ObjectIdentifier) -> Option<(Hash, bool)> {
    Some(match *oid {
        rfc5912::ECDSA_WITH_SHA_256 | rfc5912::SHA_256_WITH_RSA_ENCRYPTION => (Hash::Sha256, false),
        rfc5912::ECDSA_WITH_SHA_384 | rfc5912::SHA_384_WITH_RSA_ENCRYPTION => (Hash::Sha384, false),
        rfc5912::ECDSA_WITH_SHA_512 | rfc5912::SHA_512_WITH_RSA_ENCRYPTION => (Hash::Sha512, false),
        rfc8410::ID_ED_25519 => (Hash::Sha512, false),
        _ => return None,
    })
}

/// PEM "PUBLIC KEY" or bare SPKI DER for managed keys.
pub fn public_key_from_pem_or_der(input: &[u8]) -> Result<PublicKey, SigstoreError> {
    if input.len() > 64 * 1024 {
        return Err(SigstoreError::InvalidKey("key input is too large".into()));
    }
    let der = match std::str::from_utf8(input)
        .ok()
        .and_then(|t| pem::parse(t.trim()).ok())
    {
        Some(block) if block.tag() == "PUBLIC KEY" => block.into_contents(),
        Some(block) => {
            return Err(SigstoreError::InvalidKey(format!(
                "expected a PUBLIC KEY PEM, got {:?}",
                block.tag()
            )))
        }
        None => input.to_vec(),
    };
    let key = PublicKey::from_spki_der(&der).map_err(SigstoreError::InvalidKey)?;
    // Refuse BER or trailing data dressed as a key.
    let canonical = SubjectPublicKeyInfoRef::from_der(&der)
        .ok()
        .and_then(|s| s.to_der().ok());
    if canonical.as_deref() != Some(der.as_slice()) {
        return Err(SigstoreError::InvalidKey(
            "public key DER is not canonical".into(),
        ));
    }
    Ok(key)
}
