//! Token verification against a configured key set, algorithm allowlist
//! and claim rules, one at a time or in parallel batches.

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::algorithm::Algorithm;
use super::claims::{ClaimRules, Expected};
use super::compact::DEFAULT_MAX_TOKEN_BYTES;
use super::error::JwtError;
use super::jwks::Jwks;
use super::verify::{verify_token, JsonObject, KeyChoice, VerifiedJson};

/// Batches at least this large are verified on the rayon pool.
pub const PARALLEL_BATCH_THRESHOLD: usize = 64;

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
        self.verify_json(token, now)?.to_maps()
    }

    /// Like [`verify_with_header`](Self::verify_with_header) (same checks,
    /// order and errors) but returns the verified header and payload as
    /// JSON text instead of Maps: cheaper when the caller builds its own
    /// objects from them.
    pub fn verify_json(&self, token: &str, now: f64) -> Result<VerifiedJson, JwtError> {
        verify_token(
            token,
            KeyChoice::Set(&self.keys),
            &self.algorithms,
            &self.rules,
            now,
            self.max_token_bytes,
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
