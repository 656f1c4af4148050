//! JWS/JWT: algorithms, keys, signing, verification, JWKS, and OpenBao's
//! JWT-auth role semantics.
//!
//! Entry points:
//! - [`decode_unverified`] + [`verify_signature`] for callers with their own
//!   claim rules (the OpenBao auth module);
//! - [`encode`] / [`Verifier`] / [`Signer`] for the `jwt`-gem-style API;
//! - [`ci_id_token`] for GitLab CI job ID-token claims.

mod algorithm;
mod b64;
pub mod ci_id_token;
mod ci_job_json;
mod claims;
mod compact;
mod error;
mod expected;
mod json;
mod jwks;
pub(crate) mod keys;
pub mod openbao_auth;
mod peek;
mod signature;
mod signer;
mod verifier;
mod verify;
mod view;

pub use algorithm::{Algorithm, AlgorithmFamily, HashAlg};
pub use claims::{validate_claims, ClaimRules, Expected, JtiCheck, JtiValidator};
pub use compact::{
    check_numeric_claims, decode_unverified, decode_unverified_with_limit, encode,
    encode_unsecured, DecodedToken, DEFAULT_MAX_TOKEN_BYTES,
};
pub use error::{ErrorKind, JsonType, JwtError};
pub use json::MAX_JSON_DEPTH;
pub use jwks::Jwks;
pub use keys::{
    EcCurve, HmacKeyLength, KeyType, SigningKey, VerifyingKey, MAX_RSA_BITS, MIN_RSA_BITS,
};
pub use peek::{peek, Peeked};
pub use signature::{sign, verify_signature};
pub use signer::{Signer, SignerSet};
pub use verifier::{Verifier, PARALLEL_BATCH_THRESHOLD};
pub use verify::{
    verify_token, verify_with_keys, verify_with_keys_json, JsonObject, KeyChoice, VerifiedJson,
};
