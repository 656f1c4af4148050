//! Token minting with a held, parsed key, and key rotation.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::algorithm::Algorithm;
use super::compact::{check_numeric_claims, encode_with_header};
use super::error::JwtError;
use super::keys::SigningKey;

/// Signs tokens with one key. The header is `{alg, kid, typ: "JWT"}`; the
/// `kid` defaults to the RFC 7638 thumbprint of the public key.
#[derive(Debug)]
pub struct Signer {
    key: SigningKey,
    alg: Algorithm,
    kid: String,
    /// `None` for HMAC keys, which are never published.
    public_jwk: Option<Value>,
}

impl Signer {
    /// Builds a signer; `key` must fit `alg`.
    pub fn new(key: SigningKey, alg: Algorithm) -> Result<Self, JwtError> {
        key.check_algorithm(alg)?;
        let kid = key.thumbprint()?;
        Self::assemble(key, alg, kid)
    }

    /// Builds a signer with an explicit `kid`.
    pub fn with_kid(
        key: SigningKey,
        alg: Algorithm,
        kid: impl Into<String>,
    ) -> Result<Self, JwtError> {
        key.check_algorithm(alg)?;
        Self::assemble(key, alg, kid.into())
    }

    fn assemble(key: SigningKey, alg: Algorithm, kid: String) -> Result<Self, JwtError> {
        let public_jwk = match key.to_public_jwk(Some(&kid), Some(alg)) {
            Ok(jwk) => Some(jwk),
            Err(_) if key.key_type() == super::KeyType::Hmac => None,
            Err(err) => return Err(err),
        };
        Ok(Signer {
            key,
            alg,
            kid,
            public_jwk,
        })
    }

    /// The `kid` put in every header.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The signing algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The public JWK (with `kid`, `alg`, `use`), or `None` for HMAC.
    pub fn public_jwk(&self) -> Option<&Value> {
        self.public_jwk.as_ref()
    }

    /// Signs `claims` (a JSON object whose `exp`/`nbf`/`iat` are numbers,
    /// `InvalidPayload` otherwise). `extra_header` members are appended
    /// after `alg`, `kid`, `typ`; they cannot replace `alg` or `kid`, but
    /// may replace `typ`.
    pub fn sign(
        &self,
        claims: &Value,
        extra_header: &Map<String, Value>,
    ) -> Result<String, JwtError> {
        let claims = claims
            .as_object()
            .ok_or_else(|| JwtError::Encode("Payload must be a JSON object".to_owned()))?;
        check_numeric_claims(claims)?;
        let mut header = Map::with_capacity(3 + extra_header.len());
        header.insert("alg".to_owned(), Value::String(self.alg.name().to_owned()));
        header.insert("kid".to_owned(), Value::String(self.kid.clone()));
        header.insert(
            "typ".to_owned(),
            extra_header
                .get("typ")
                .cloned()
                .unwrap_or_else(|| Value::String("JWT".to_owned())),
        );
        for (name, value) in extra_header {
            if !matches!(name.as_str(), "alg" | "kid" | "typ") {
                header.insert(name.clone(), value.clone());
            }
        }
        encode_with_header(&header, claims, self.alg, &self.key)
    }

    /// `{"keys": [public JWK]}` (empty for HMAC).
    pub fn jwks(&self) -> Value {
        jwks_document(self.public_jwk.iter().cloned().collect())
    }
}

fn jwks_document(keys: Vec<Value>) -> Value {
    let mut doc = Map::new();
    doc.insert("keys".to_owned(), Value::Array(keys));
    Value::Object(doc)
}

/// Signers under rotation: the newest signs, every live one is published so
/// tokens minted before a rotation keep verifying until their key retires.
#[derive(Debug, Default)]
pub struct SignerSet {
    /// Oldest first; the last one is current. Shared so a signer can be
    /// both used on its own and kept in a set.
    signers: Vec<Arc<Signer>>,
}

impl SignerSet {
    /// An empty set.
    pub fn new() -> Self {
        SignerSet::default()
    }

    /// Adds `signer` as the new current signer. A `kid` already present is
    /// refused (`EncodeError`) so two keys never share an id.
    pub fn rotate(&mut self, signer: impl Into<Arc<Signer>>) -> Result<(), JwtError> {
        let signer = signer.into();
        if self.signers.iter().any(|s| s.kid == signer.kid) {
            return Err(JwtError::Encode(format!(
                "A key with kid {} is already in the set",
                signer.kid
            )));
        }
        self.signers.push(signer);
        Ok(())
    }

    /// Removes the key `kid`; returns whether it was present. Retiring the
    /// current key makes the previous one current again.
    pub fn retire(&mut self, kid: &str) -> bool {
        let before = self.signers.len();
        self.signers.retain(|s| s.kid != kid);
        self.signers.len() != before
    }

    /// The signer used for new tokens.
    pub fn current(&self) -> Option<&Signer> {
        self.signers.last().map(Arc::as_ref)
    }

    /// Every live signer, oldest first.
    pub fn signers(&self) -> &[Arc<Signer>] {
        &self.signers
    }

    /// All live `kid`s, oldest first.
    pub fn kids(&self) -> Vec<&str> {
        self.signers.iter().map(|s| s.kid.as_str()).collect()
    }

    /// Signs with the current signer.
    pub fn sign(
        &self,
        claims: &Value,
        extra_header: &Map<String, Value>,
    ) -> Result<String, JwtError> {
        self.current()
            .ok_or_else(|| JwtError::Encode("No signing key".to_owned()))?
            .sign(claims, extra_header)
    }

    /// Every live public key, newest first.
    pub fn jwks(&self) -> Value {
        jwks_document(
            self.signers
                .iter()
                .rev()
                .filter_map(|s| s.public_jwk.clone())
                .collect(),
        )
    }
}
