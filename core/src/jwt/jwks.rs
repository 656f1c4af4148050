//! A JSON Web Key Set held as parsed keys, with `kid` lookup.

use serde_json::{Map, Value};

use super::algorithm::Algorithm;
use super::error::JwtError;
use super::keys::VerifyingKey;

/// A set of verification keys.
#[derive(Debug, Default)]
pub struct Jwks {
    keys: Vec<VerifyingKey>,
}

impl Jwks {
    /// A set from already-built keys.
    pub fn new(keys: Vec<VerifyingKey>) -> Self {
        Jwks { keys }
    }

    /// Parses `{"keys": [...]}`. Keys marked `"use": "enc"` are skipped
    /// (they are not for signatures); any other key that cannot be used is
    /// an error, so a broken key never disappears silently.
    pub fn from_json(jwks: &Value) -> Result<Self, JwtError> {
        let list = jwks
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| JwtError::jwk("JWKS must be an object with a \"keys\" array"))?;
        let mut keys = Vec::with_capacity(list.len());
        for jwk in list {
            if jwk.get("use").and_then(Value::as_str) == Some("enc") {
                continue;
            }
            keys.push(VerifyingKey::from_jwk(jwk)?);
        }
        Ok(Jwks { keys })
    }

    /// Adds a key.
    pub fn push(&mut self, key: VerifyingKey) {
        self.keys.push(key);
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys.
    pub fn keys(&self) -> &[VerifyingKey] {
        &self.keys
    }

    /// The key with this `kid`.
    pub fn find(&self, kid: &str) -> Option<&VerifyingKey> {
        self.keys.iter().find(|k| k.kid() == Some(kid))
    }

    /// Chooses the key for a token: by `kid` when the token has one (if no
    /// key has that `kid`, the single fitting key that has no `kid` at all,
    /// so keys configured without ids still verify tokens that carry one);
    /// otherwise the single key that fits `alg` (several candidates are
    /// refused rather than tried one by one).
    pub fn select(&self, kid: Option<&str>, alg: Algorithm) -> Result<&VerifyingKey, JwtError> {
        if let Some(kid) = kid {
            if let Some(key) = self.find(kid) {
                return Ok(key);
            }
            let mut anonymous = self
                .keys
                .iter()
                .filter(|k| k.kid().is_none() && k.fits(alg));
            return match (anonymous.next(), anonymous.next()) {
                (Some(key), None) => Ok(key),
                _ => Err(JwtError::decode(format!(
                    "Could not find public key for kid {kid}"
                ))),
            };
        }
        let mut fitting = self.keys.iter().filter(|k| k.fits(alg));
        match (fitting.next(), fitting.next()) {
            (Some(key), None) => Ok(key),
            (None, _) => Err(JwtError::decode("No verification key available")),
            (Some(_), Some(_)) => Err(JwtError::decode(
                "Token has no kid and more than one key could verify it",
            )),
        }
    }

    /// The public JWKS document (`{"keys": [...]}`); HMAC keys are left out.
    pub fn to_public_json(&self) -> Value {
        let keys: Vec<Value> = self
            .keys
            .iter()
            .filter_map(|k| k.to_public_jwk(None, None).ok())
            .collect();
        let mut doc = Map::new();
        doc.insert("keys".to_owned(), Value::Array(keys));
        Value::Object(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::keys::{EcCurve, KeyType, SigningKey};

    #[test]
    fn select_by_kid_then_single_anonymous_key() {
        let a = SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap();
        let b = SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap();
        let named = a.verifying_key().unwrap().with_kid("a");
        let anonymous = b.verifying_key().unwrap();
        let set = Jwks::new(vec![named, anonymous]);
        assert_eq!(
            set.select(Some("a"), Algorithm::ES256).unwrap().kid(),
            Some("a")
        );
        assert_eq!(
            set.select(Some("zz"), Algorithm::ES256).unwrap().kid(),
            None
        );
        assert!(set.select(Some("zz"), Algorithm::ES384).is_err());
        assert!(
            set.select(None, Algorithm::ES256).is_err(),
            "two candidates"
        );
        let only_named = Jwks::new(vec![a.verifying_key().unwrap().with_kid("a")]);
        let err = only_named.select(Some("zz"), Algorithm::ES256).unwrap_err();
        assert_eq!(err.to_string(), "Could not find public key for kid zz");
    }
}
