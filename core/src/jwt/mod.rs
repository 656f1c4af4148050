//! JWS/JWT: algorithms, keys, signing, verification, JWKS, and OpenBao's
//! JWT-auth role semantics.
//!
//! Entry points:
//! - [`decode_unverified`] + [`verify_signature`] for callers with their own
//!   claim rules (the OpenBao auth module);
//! - [`encode`] / [`Verifier`] / [`Signer`] for the `jwt`-gem-style API.

mod algorithm;
mod b64;
mod compact;
mod error;
mod json;
mod keys;
pub mod openbao_auth;
mod ruby_fmt;
mod signature;

pub use algorithm::{Algorithm, AlgorithmFamily, HashAlg};
pub use compact::{
    decode_unverified, decode_unverified_with_limit, encode, DecodedToken,
    DEFAULT_MAX_TOKEN_BYTES,
};
pub use error::JwtError;
pub use json::MAX_JSON_DEPTH;
pub use keys::{
    EcCurve, HmacKeyLength, KeyType, SigningKey, VerifyingKey, MAX_RSA_BITS, MIN_RSA_BITS,
};
pub use signature::{sign, verify_signature};
