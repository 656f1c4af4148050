//! Build-artifact attestations: DSSE envelopes (signing and verification
//! with PAE), in-toto statements with SLSA provenance in GitLab's shape,
//! subject digests, provenance policy checks, and offline Sigstore bundle
//! verification.

pub mod digest;
pub mod dsse;
mod dsse_error;
mod dsse_signer;
mod dsse_verifier;
mod pae;
pub mod provenance;
pub mod provenance_policy;
pub mod sigstore;

pub use dsse_error::DsseError;
pub use dsse_signer::{sign, DsseSigner};
pub use dsse_verifier::{DsseVerifier, TrustedKey, Verified, MAX_SIGNATURES};
pub use pae::pae;
