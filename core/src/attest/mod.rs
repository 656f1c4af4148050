//! Attestations: Sigstore bundles.
#[cfg(feature = "aws-lc")]
pub mod sigstore;
