//! Token verification against a configured key set, algorithm allowlist
//! and claim rules, one at a time or in parallel batches.

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::algorithm::Algorithm;
use super::claims::{validate_claims, ClaimRules, Expected};
use super::compact::{decode_unverified_with_limit, DEFAULT_MAX_TOKEN_BYTES};
use super::error::JwtError;
use super::jwks::Jwks;
use super::keys::VerifyingKey;
use super::raw::{verifier_json, VerifiedJson};
use super::signature::verify_signature;

/// A decoded JSON object (claims or header).
pub type JsonObject = Map<String, Value>;

/// Batches at least this large are verified on the rayon pool.
pub const PARALLEL_BATCH_THRESHOLD: usize = 64;

/// Decodes and verifies `token` against a caller-supplied key list, the
/// way `JWT.decode(token, key_or_keys, true, options)` does in the `jwt` gem:
///
/// 1. an empty allowlist is `IncorrectAlgorithm("An algorithm must be specified")`;
/// 2. the token is decoded strictly (size limit, structure, header rules);
/// 3. its `alg` must be in `algorithms` (`"Expected a different algorithm"`);
/// 4. no keys is `DecodeError("No verification key available")`;
/// 5. every key that fits `alg` is tried in order; if none fits, the first
///    key's mismatch error is returned (`IncorrectAlgorithm`, never a
///    signature attempt with the wrong key type); if some fit but none
///    verifies, `VerificationError`;
/// 6. the claims are validated with `rules` at `now`.
///
/// Returns `(claims, header)`.
pub fn verify_with_keys(
    token: &str,
    keys: &[&VerifyingKey],
    algorithms: &[Algorithm],
    rules: &ClaimRules,
    now: f64,
    max_token_bytes: usize,
) -> Result<(JsonObject, JsonObject), JwtError> {
    if algorithms.is_empty() {
        return Err(JwtError::IncorrectAlgorithm(
            "An algorithm must be specified".to_owned(),
        ));
    }
    let decoded = decode_unverified_with_limit(token, max_token_bytes)?;
    if !algorithms.contains(&decoded.alg) {
        return Err(JwtError::IncorrectAlgorithm(
            "Expected a different algorithm".to_owned(),
        ));
    }
    if keys.is_empty() {
        return Err(JwtError::decode("No verification key available"));
    }
    let mut mismatch = None;
    let mut verified = false;
    for key in keys {
        if let Err(err) = key.check_algorithm(decoded.alg) {
            mismatch.get_or_insert(err);
            continue;
        }
        if verify_signature(
            decoded.alg,
            key,
            decoded.signing_input.as_bytes(),
            &decoded.signature,
        )
        .is_ok()
        {
            verified = true;
            break;
        }
        mismatch = Some(JwtError::signature_failed());
    }
    if !verified {
        return Err(mismatch.unwrap_or_else(JwtError::signature_failed));
    }
    validate_claims(&decoded.claims, rules, now)?;
    Ok((decoded.claims, decoded.header))
}

/// Verifies compact JWS tokens. Immutable once built, `Send + Sync`.
#[derive(Debug)]
pub struct Verifier {
    keys: Jwks,
    algorithms: Vec<Algorithm>,
    rules: ClaimRules,
    max_token_bytes: usize,
}

impl Verifier {
    /// A verifier with default claim rules (exp and nbf checked, leeway 0).
    /// The allowlist must not be empty (`IncorrectAlgorithm`, as the gem).
    pub fn new(keys: Jwks, algorithms: Vec<Algorithm>) -> Result<Self, JwtError> {
        if algorithms.is_empty() {
            return Err(JwtError::IncorrectAlgorithm(
                "An algorithm must be specified".to_owned(),
            ));
        }
        Ok(Verifier {
            keys,
            algorithms,
            rules: ClaimRules::default(),
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
        })
    }

    /// Replaces all claim rules.
    pub fn with_rules(mut self, rules: ClaimRules) -> Self {
        self.rules = rules;
        self
    }

    /// Requires `iss` to be one of `issuer`.
    pub fn with_issuer(mut self, issuer: impl Into<Expected>) -> Self {
        self.rules.issuer = Some(issuer.into());
        self
    }

    /// Requires `aud` to contain one of `audience`.
    pub fn with_audience(mut self, audience: impl Into<Expected>) -> Self {
        self.rules.audience = Some(audience.into());
        self
    }

    /// Clock-skew leeway in seconds for exp and nbf.
    pub fn with_leeway(mut self, seconds: i64) -> Self {
        self.rules.leeway = seconds;
        self
    }

    /// Claims that must be present.
    pub fn with_required_claims(mut self, names: Vec<String>) -> Self {
        self.rules.required_claims = names;
        self
    }

    /// Largest token accepted, in bytes.
    pub fn with_max_token_bytes(mut self, max: usize) -> Self {
        self.max_token_bytes = max;
        self
    }

    /// The claim rules in force.
    pub fn rules(&self) -> &ClaimRules {
        &self.rules
    }

    /// The key set.
    pub fn keys(&self) -> &Jwks {
        &self.keys
    }

    /// Verifies `token` at `now` (Unix seconds) and returns its claims.
    pub fn verify(&self, token: &str, now: f64) -> Result<Map<String, Value>, JwtError> {
        self.verify_with_header(token, now)
            .map(|(claims, _)| claims)
    }

    /// Like [`verify`](Self::verify), also returning the header (the gem's
    /// `[payload, header]`).
    pub fn verify_with_header(
        &self,
        token: &str,
        now: f64,
    ) -> Result<(JsonObject, JsonObject), JwtError> {
        let decoded = decode_unverified_with_limit(token, self.max_token_bytes)?;
        if !self.algorithms.contains(&decoded.alg) {
            return Err(JwtError::IncorrectAlgorithm(
                "Expected a different algorithm".to_owned(),
            ));
        }
        let key = self.keys.select(decoded.kid(), decoded.alg)?;
        verify_signature(
            decoded.alg,
            key,
            decoded.signing_input.as_bytes(),
            &decoded.signature,
        )?;
        validate_claims(&decoded.claims, &self.rules, now)?;
        Ok((decoded.claims, decoded.header))
    }

    /// Like [`verify_with_header`](Self::verify_with_header) (same checks,
    /// order and errors) but returns the verified header and payload as
    /// JSON text instead of Maps: cheaper when the caller builds its own
    /// objects from them.
    pub fn verify_json(&self, token: &str, now: f64) -> Result<VerifiedJson, JwtError> {
        verifier_json(
            &self.keys,
            &self.algorithms,
            &self.rules,
            self.max_token_bytes,
            token,
            now,
        )
    }

    /// [`verify_many`](Self::verify_many) returning JSON text.
    pub fn verify_many_json(
        &self,
        tokens: &[&str],
        now: f64,
    ) -> Vec<Result<VerifiedJson, JwtError>> {
        if tokens.len() >= PARALLEL_BATCH_THRESHOLD {
            tokens
                .par_iter()
                .map(|t| self.verify_json(t, now))
                .collect()
        } else {
            tokens.iter().map(|t| self.verify_json(t, now)).collect()
        }
    }

    /// Verifies many tokens; results are in input order. Batches of
    /// [`PARALLEL_BATCH_THRESHOLD`] or more run on the rayon pool.
    pub fn verify_many(
        &self,
        tokens: &[&str],
        now: f64,
    ) -> Vec<Result<Map<String, Value>, JwtError>> {
        if tokens.len() >= PARALLEL_BATCH_THRESHOLD {
            tokens.par_iter().map(|t| self.verify(t, now)).collect()
        } else {
            tokens.iter().map(|t| self.verify(t, now)).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::compact::encode;
    use crate::jwt::keys::{EcCurve, KeyType, SigningKey};

    const NOW: f64 = 1_700_000_000.0;

    fn token(key: &SigningKey, alg: Algorithm) -> String {
        let claims = serde_json::json!({"sub": "x", "exp": 1_700_000_100});
        encode(&Map::new(), &claims, alg, key).unwrap()
    }

    #[test]
    fn verify_with_keys_follows_the_gem_order() {
        let ec = SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap();
        let other = SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap();
        let hmac = VerifyingKey::hmac(&[1u8; 32]).unwrap();
        let ec_pub = ec.verifying_key().unwrap();
        let other_pub = other.verifying_key().unwrap();
        let t = token(&ec, Algorithm::ES256);
        let rules = ClaimRules::default();
        let run = |keys: &[&VerifyingKey], algs: &[Algorithm]| {
            verify_with_keys(&t, keys, algs, &rules, NOW, DEFAULT_MAX_TOKEN_BYTES)
        };
        let err = run(&[&ec_pub], &[]).unwrap_err();
        assert_eq!(err.message(), "An algorithm must be specified");
        let err = run(&[&ec_pub], &[Algorithm::RS256]).unwrap_err();
        assert_eq!(err.message(), "Expected a different algorithm");
        let err = run(&[], &[Algorithm::ES256]).unwrap_err();
        assert_eq!(err.message(), "No verification key available");
        let err = run(&[&hmac], &[Algorithm::ES256]).unwrap_err();
        assert_eq!(err.kind(), "IncorrectAlgorithm");
        let err = run(&[&hmac, &other_pub], &[Algorithm::ES256]).unwrap_err();
        assert_eq!(err.kind(), "VerificationError");
        let (claims, header) = run(&[&hmac, &other_pub, &ec_pub], &[Algorithm::ES256]).unwrap();
        assert_eq!(claims["sub"], "x");
        assert_eq!(header["alg"], "ES256");
        let late = verify_with_keys(
            &t,
            &[&ec_pub],
            &[Algorithm::ES256],
            &rules,
            NOW + 200.0,
            DEFAULT_MAX_TOKEN_BYTES,
        );
        assert_eq!(late.unwrap_err().kind(), "ExpiredSignature");
    }
}
