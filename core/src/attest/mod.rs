//! Build-artifact attestations: DSSE envelopes (signing and verification
//! with PAE), in-toto statements with SLSA provenance, subject digests, and
//! offline Sigstore bundle verification.

pub mod dsse;
mod pae;
pub mod sigstore;

pub use pae::pae;
