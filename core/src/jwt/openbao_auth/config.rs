//! The auth method's configuration (`auth/<mount>/config`) and the
//! signature/algorithm half of the login.

use serde_json::{Map, Value};

use super::super::{decode_unverified, verify_signature, Algorithm, VerifyingKey};
use super::error::{AuthError, ConfigError};
use super::fields;
use crate::gocompat::go_quote;

/// The algorithms OpenBao accepts when `jwt_supported_algs` is empty
/// (`consts.AllowedJWTSignatureAlgorithmsBao`).
pub const DEFAULT_SUPPORTED_ALGS: [&str; 10] = [
    "ES256", "ES384", "ES512", "EdDSA", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
];

/// Where verification keys come from.
#[derive(Debug)]
pub enum KeySource {
    /// `jwt_validation_pubkeys`: every key is tried, `kid` is ignored.
    PublicKeys(Vec<VerifyingKey>),
    /// A JWKS document held locally (what `jwks_url` would serve): keys whose
    /// `kid` equals the token's (or all keys when the token has none).
    Jwks(Vec<VerifyingKey>),
}

/// A JWT auth method configuration.
#[derive(Debug)]
pub struct JwtAuthConfig {
    /// Expected `iss`; empty means not checked.
    pub bound_issuer: String,
    /// Verification keys.
    pub keys: KeySource,
    /// Accepted `alg` values; empty means [`DEFAULT_SUPPORTED_ALGS`].
    pub jwt_supported_algs: Vec<String>,
    /// Role used when a login names none.
    pub default_role: String,
    /// The auth mount path (`jwt` for `auth/jwt`), used in display names.
    pub mount_path: String,
}

impl JwtAuthConfig {
    /// Builds a config from PEM public keys (`jwt_validation_pubkeys`).
    pub fn with_public_keys(bound_issuer: &str, pems: &[&str]) -> Result<Self, ConfigError> {
        let keys = parse_pems(pems.iter().copied())?;
        Ok(JwtAuthConfig {
            bound_issuer: bound_issuer.to_string(),
            keys: KeySource::PublicKeys(keys),
            jwt_supported_algs: Vec::new(),
            default_role: String::new(),
            mount_path: "jwt".into(),
        })
    }

    /// Builds a config from a JWKS document (`{"keys": [...]}`).
    pub fn with_jwks(bound_issuer: &str, jwks: &Value) -> Result<Self, ConfigError> {
        Ok(JwtAuthConfig {
            bound_issuer: bound_issuer.to_string(),
            keys: KeySource::Jwks(parse_jwks(jwks)?),
            jwt_supported_algs: Vec::new(),
            default_role: String::new(),
            mount_path: "jwt".into(),
        })
    }

    /// Builds a config from the JSON body OpenBao's config endpoint takes:
    /// `jwt_validation_pubkeys` or `jwks` (a local stand-in for `jwks_url`),
    /// `bound_issuer`, `jwt_supported_algs`, `default_role`; plus
    /// `mount_path` (default `jwt`). Other OpenBao config fields (OIDC
    /// discovery, client secrets) have no local meaning and are ignored.
    pub fn from_json(body: &Map<String, Value>) -> Result<Self, ConfigError> {
        let string = |name: &str| -> Result<String, ConfigError> {
            body.get(name)
                .map(|v| fields::weak_string("", v))
                .transpose()
                .map(Option::unwrap_or_default)
                .map_err(|e| field_error(name, &e))
        };
        let list = |name: &str| -> Result<Vec<String>, ConfigError> {
            body.get(name)
                .map(fields::comma_string_slice)
                .transpose()
                .map(Option::unwrap_or_default)
                .map_err(|e| field_error(name, &e))
        };
        let pems = list("jwt_validation_pubkeys")?;
        let jwks = body.get("jwks").filter(|v| !v.is_null());
        let keys = match (pems.is_empty(), jwks) {
            (false, None) => KeySource::PublicKeys(parse_pems(pems.iter().map(String::as_str))?),
            (true, Some(doc)) => KeySource::Jwks(parse_jwks(doc)?),
            _ => return Err(ConfigError::new(
                "exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs', 'oidc_discovery_url', or 'provider_config' must be set",
            )),
        };
        let jwt_supported_algs = list("jwt_supported_algs")?;
        if let Some(bad) = jwt_supported_algs
            .iter()
            .find(|a| !DEFAULT_SUPPORTED_ALGS.contains(&a.as_str()))
        {
            return Err(ConfigError::new(format!(
                "invalid jwt_supported_algs: unsupported signing algorithm {}",
                go_quote(bad)
            )));
        }
        let mount_path = match string("mount_path")? {
            m if m.is_empty() => "jwt".to_string(),
            m => m,
        };
        Ok(JwtAuthConfig {
            bound_issuer: string("bound_issuer")?,
            keys,
            jwt_supported_algs,
            default_role: string("default_role")?,
            mount_path,
        })
    }

    /// Checks the token's signature against the configured keys and its
    /// `alg` against the supported set, as OpenBao does before any claim
    /// check; returns the verified claims.
    pub(crate) fn verified_claims(&self, token: &str) -> Result<Map<String, Value>, AuthError> {
        let signature_error =
            |detail: &str| AuthError::token(format!("error verifying token signature: {detail}"));
        if token.split('.').count() != 3 {
            return Err(signature_error(
                "go-jose/go-jose: compact JWS format must have three parts",
            ));
        }
        let no_key = match &self.keys {
            KeySource::PublicKeys(_) => "no known key successfully validated the token signature",
            KeySource::Jwks(_) => "failed to verify id token signature",
        };
        // A token that cannot be decoded cannot be verified by any key.
        let decoded = decode_unverified(token).map_err(|_| signature_error(no_key))?;
        let message = decoded.signing_input.as_bytes();
        let verified = match &self.keys {
            KeySource::PublicKeys(keys) => keys
                .iter()
                .any(|k| verify_signature(decoded.alg, k, message, &decoded.signature).is_ok()),
            KeySource::Jwks(keys) => {
                let kid = decoded.kid();
                keys.iter()
                    .filter(|k| kid.is_none() || k.kid() == kid)
                    .any(|k| verify_signature(decoded.alg, k, message, &decoded.signature).is_ok())
            }
        };
        if !verified {
            return Err(signature_error(no_key));
        }
        if !self.algorithm_allowed(decoded.alg) {
            return Err(AuthError::token(
                "invalid algorithm (alg) header parameter: token signed with unexpected algorithm",
            ));
        }
        Ok(decoded.claims)
    }

    fn algorithm_allowed(&self, alg: Algorithm) -> bool {
        let name = alg.name();
        if self.jwt_supported_algs.is_empty() {
            DEFAULT_SUPPORTED_ALGS.contains(&name)
        } else {
            self.jwt_supported_algs.iter().any(|a| a == name)
        }
    }
}

fn field_error(name: &str, err: &str) -> ConfigError {
    ConfigError::new(format!(
        "error converting input for field {}: {err}",
        go_quote(name)
    ))
}

fn parse_pems<'a>(pems: impl Iterator<Item = &'a str>) -> Result<Vec<VerifyingKey>, ConfigError> {
    pems.map(|pem| {
        VerifyingKey::from_pem(pem).map_err(|_| {
            ConfigError::new(
                "error parsing public key: data does not contain any valid RSA, ECDSA, or ED25519 public keys",
            )
        })
    })
    .collect()
}

fn parse_jwks(jwks: &Value) -> Result<Vec<VerifyingKey>, ConfigError> {
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| ConfigError::new("error checking jwks: a JWKS needs a \"keys\" list"))?;
    keys.iter()
        .map(|jwk| {
            let key = VerifyingKey::from_jwk(jwk)
                .map_err(|e| ConfigError::new(format!("error checking jwks: {e}")))?;
            Ok(match jwk.get("kid").and_then(Value::as_str) {
                Some(kid) if key.kid().is_none() => key.with_kid(kid),
                _ => key,
            })
        })
        .collect()
}
