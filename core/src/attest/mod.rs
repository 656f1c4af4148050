//! Build-artifact attestations: DSSE envelopes (signing and verification
//! with PAE), in-toto statements with SLSA provenance, and subject digests.

pub mod dsse;
mod pae;

pub use pae::pae;
