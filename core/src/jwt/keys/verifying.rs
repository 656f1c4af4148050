//! Public (or shared-secret) keys for signature verification.

use std::fmt;

use aws_lc_rs::encoding::AsDer;
use serde_json::Value;

use super::hmac_key::{HmacKeyLength, HmacSecret};
use super::material::{self, KeyText};
use super::verifying_material::{EcPublic, Ed25519Public, RsaPublic, VerifyingMaterial};
use super::{check_declared_alg, jwk, pem_der, EcCurve, KeyType};
use crate::jwt::algorithm::Algorithm;
use crate::jwt::error::JwtError;

/// A key that verifies JWS signatures: an HMAC secret or a public key.
///
/// It may carry the `kid` and `alg` it was published with; a declared `alg`
/// restricts the key to that algorithm.
pub struct VerifyingKey {
    pub(crate) material: VerifyingMaterial,
    kid: Option<String>,
    declared_alg: Option<Algorithm>,
}

impl VerifyingKey {
    pub(crate) fn from_material(material: VerifyingMaterial) -> Self {
        VerifyingKey {
            material,
            kid: None,
            declared_alg: None,
        }
    }

    /// An HMAC secret with the default length policy (enforced).
    pub fn hmac(secret: &[u8]) -> Result<Self, JwtError> {
        Self::hmac_with_policy(secret, HmacKeyLength::Enforce)
    }

    /// An HMAC secret with an explicit length policy. Empty secrets are
    /// always refused.
    pub fn hmac_with_policy(secret: &[u8], policy: HmacKeyLength) -> Result<Self, JwtError> {
        Ok(Self::from_material(VerifyingMaterial::Hmac(
            HmacSecret::new(secret, policy)?,
        )))
    }

    /// RSA public key from big-endian modulus and exponent.
    pub fn rsa_from_components(n: &[u8], e: &[u8]) -> Result<Self, JwtError> {
        Ok(Self::from_material(VerifyingMaterial::Rsa(
            RsaPublic::from_components(n, e)?,
        )))
    }

    /// EC public key from an uncompressed SEC1 point (`04 || x || y`).
    pub fn ec_from_point(curve: EcCurve, point: &[u8]) -> Result<Self, JwtError> {
        Ok(Self::from_material(VerifyingMaterial::Ec(
            EcPublic::from_point(curve, point)?,
        )))
    }

    /// Ed25519 public key from its 32 bytes.
    pub fn ed25519_from_bytes(bytes: &[u8]) -> Result<Self, JwtError> {
        Ok(Self::from_material(VerifyingMaterial::Ed25519(
            Ed25519Public::from_bytes(bytes)?,
        )))
    }

    /// Public key from DER: X.509 SubjectPublicKeyInfo (RSA, EC, Ed25519) or
    /// PKCS#1 `RSAPublicKey`.
    pub fn from_public_der(der: &[u8]) -> Result<Self, JwtError> {
        pem_der::verifying_material_from_der(der).map(Self::from_material)
    }

    /// Public key from PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`).
    pub fn from_pem(pem: &str) -> Result<Self, JwtError> {
        pem_der::verifying_material_from_pem(pem).map(Self::from_material)
    }

    /// A key given as bytes, as the `jwt` gem takes a String: PEM when a
    /// PEM header appears anywhere in it, else an HMAC secret (refused when
    /// it is other key material, such as an SSH public key).
    pub fn from_key_bytes(bytes: &[u8], policy: HmacKeyLength) -> Result<Self, JwtError> {
        match material::classify(bytes) {
            KeyText::Pem => Self::from_pem(material::pem_text(bytes)?),
            KeyText::Secret => Self::hmac_with_policy(bytes, policy),
        }
    }

    /// Key from a JWK object (`kty` RSA, EC, OKP/Ed25519 or oct). `kid` and
    /// `alg` are kept; `use` other than `sig` is refused. HMAC (`oct`) keys
    /// get the enforced length policy.
    pub fn from_jwk(jwk_value: &Value) -> Result<Self, JwtError> {
        Self::from_jwk_with_hmac_policy(jwk_value, HmacKeyLength::Enforce)
    }

    /// [`from_jwk`](Self::from_jwk) with an explicit HMAC length policy.
    pub fn from_jwk_with_hmac_policy(
        jwk_value: &Value,
        policy: HmacKeyLength,
    ) -> Result<Self, JwtError> {
        let parts = jwk::verifying_parts_from_jwk(jwk_value, policy)?;
        let mut key = Self::from_material(parts.material);
        if let Some(kid) = parts.kid {
            key = key.with_kid(kid);
        }
        if let Some(alg) = parts.alg {
            key = key
                .with_algorithm(alg)
                .map_err(|_| JwtError::jwk("JWK \"alg\" does not fit its key type"))?;
        }
        Ok(key)
    }

    /// Sets the key id used for JWKS lookup.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// Restricts the key to one algorithm (after checking that it fits).
    pub fn with_algorithm(mut self, alg: Algorithm) -> Result<Self, JwtError> {
        self.key_type().check(alg)?;
        self.declared_alg = Some(alg);
        Ok(self)
    }

    /// The key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The algorithm the key is restricted to, if any.
    pub fn declared_algorithm(&self) -> Option<Algorithm> {
        self.declared_alg
    }

    /// Key type and curve.
    pub fn key_type(&self) -> KeyType {
        match &self.material {
            VerifyingMaterial::Hmac(_) => KeyType::Hmac,
            VerifyingMaterial::Rsa(_) => KeyType::Rsa,
            VerifyingMaterial::Ec(ec) => KeyType::Ec(ec.curve),
            VerifyingMaterial::Ed25519(_) => KeyType::Ed25519,
        }
    }

    /// RSA modulus size in bits (None for other key types).
    pub fn rsa_bits(&self) -> Option<usize> {
        match &self.material {
            VerifyingMaterial::Rsa(rsa) => Some(super::bit_len(&rsa.n)),
            _ => None,
        }
    }

    /// Whether this key may verify `alg` tokens: key type, curve, declared
    /// `alg` and HMAC length policy. Errors are `IncorrectAlgorithm`, or
    /// `DecodeError` for a too-short HMAC secret.
    pub fn check_algorithm(&self, alg: Algorithm) -> Result<(), JwtError> {
        self.key_type().check(alg)?;
        check_declared_alg(self.declared_alg, alg)?;
        if let VerifyingMaterial::Hmac(secret) = &self.material {
            secret.check_length(alg)?;
        }
        Ok(())
    }

    /// Whether [`check_algorithm`](Self::check_algorithm) passes.
    pub fn fits(&self, alg: Algorithm) -> bool {
        self.check_algorithm(alg).is_ok()
    }

    /// Public JWK (`kty`, key members, then `kid`, `alg`, `use: "sig"`).
    /// `kid`/`alg` default to the key's own. HMAC secrets have no public
    /// form and are refused.
    pub fn to_public_jwk(
        &self,
        kid: Option<&str>,
        alg: Option<Algorithm>,
    ) -> Result<Value, JwtError> {
        jwk::public_jwk(
            &self.material,
            kid.or(self.kid.as_deref()),
            alg.or(self.declared_alg),
        )
    }

    /// RFC 7638 JWK SHA-256 thumbprint, base64url (usable as a `kid`).
    pub fn thumbprint(&self) -> String {
        jwk::thumbprint(&self.material)
    }

    /// The key as X.509 SubjectPublicKeyInfo DER (None for HMAC).
    pub fn to_public_der(&self) -> Option<Vec<u8>> {
        let der = match &self.material {
            VerifyingMaterial::Hmac(_) => return None,
            VerifyingMaterial::Rsa(rsa) => rsa.parsed_for(Algorithm::RS256)?.as_der().ok()?,
            VerifyingMaterial::Ec(ec) => ec.parsed.as_der().ok()?,
            VerifyingMaterial::Ed25519(ed) => ed.parsed.as_der().ok()?,
        };
        Some(der.as_ref().to_vec())
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("VerifyingKey");
        s.field("type", &self.key_type().describe());
        if let Some(bits) = self.rsa_bits() {
            s.field("bits", &bits);
        }
        s.field("kid", &self.kid)
            .field("alg", &self.declared_alg.map(Algorithm::name))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn is_send_sync_and_debug_hides_secret() {
        assert_send_sync::<VerifyingKey>();
        let key = VerifyingKey::hmac(b"super-secret-value-that-is-long-enough!!").unwrap();
        let dbg = format!("{key:?}");
        assert!(!dbg.contains("super-secret"), "{dbg}");
        assert!(dbg.contains("HMAC"));
    }

    // A JWK key takes exactly the exponents its exported DER reads back with
    // (fuzz finding: a 42-bit exponent read from a JWK, not from its DER).
    #[test]
    fn jwk_exponents_match_der() {
        let n = "orRRoH0KpfluRVZxUTVQUUqKW0YuvvcXCU-h_ugiJOY3-XRtP3yv0xh42AMltu9aFwD1WQO0aUKeidbqyIRQl7WrOTGJ25JRLtincRoSU_rNIPecFegkfz0-QuRuSMmOJUov6XZTE6A-_48X4aApOXofomqNzib0kO2BKZYV2YFMItphBCjgnH2WWFlCZvXAIdD87KCNlFoSvoLeTR7Oa0wDFFtdNJXU7VQR64eNrwX9evw-Ca2g8RJkIvWQl1oZaYFvSGmLy7obTZyuedRg2Pn4Xnl1AF2rwixOWsD6waRdElaaYoB9O5oC5aUw53MGb0U9H1tMLpz3ggKD90K51Q";
        let jwk = |e: &str| serde_json::json!({"kty": "RSA", "n": n, "e": e});
        assert!(VerifyingKey::from_jwk(&jwk("AuvvcQAB")).is_err(), "42 bits");
        // 2^32 + 1: 33 bits, the largest accepted.
        let key = VerifyingKey::from_jwk(&jwk("AQAAAAE")).expect("33-bit exponent");
        let der = key.to_public_der().expect("DER");
        let again = VerifyingKey::from_public_der(&der).expect("DER reads back");
        assert_eq!(key.thumbprint(), again.thumbprint());
    }

    #[test]
    fn hmac_rules() {
        assert!(VerifyingKey::hmac(b"").is_err());
        let short = VerifyingKey::hmac(b"short").unwrap();
        assert!(short.check_algorithm(Algorithm::HS256).is_err());
        let lax = VerifyingKey::hmac_with_policy(b"short", HmacKeyLength::AllowShort).unwrap();
        assert!(lax.check_algorithm(Algorithm::HS256).is_ok());
        let k32 = VerifyingKey::hmac(&[7u8; 32]).unwrap();
        assert!(k32.check_algorithm(Algorithm::HS256).is_ok());
        assert!(k32.check_algorithm(Algorithm::HS384).is_err());
        assert!(k32.check_algorithm(Algorithm::RS256).is_err());
        assert!(k32.to_public_jwk(None, None).is_err());
    }
}
