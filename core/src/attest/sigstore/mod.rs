//! Offline verification of Sigstore bundles (keyless Fulcio certificates
//! and managed keys) against a trusted root, following the Sigstore client
//! specification: certificate chain at a verified signing time, SCTs,
//! transparency log proofs, log entry consistency, identity policy and the
//! signature itself. Nothing here touches the network.
mod bundle;
mod certificate;
mod checkpoint;
mod entry_body;
mod error;
mod json_types;
mod keys;
pub mod limits;
mod merkle;
mod rekor;
mod sct;
mod statement;
mod timestamp;
mod trusted_root;
mod verifier;

pub use error::SigstoreError;
pub use statement::{parse_digest, Artifact};
pub use trusted_root::TrustedRoot;
pub use verifier::{Identity, Policy, Verified, Verifier};

/// The public-good Sigstore trusted root embedded at build time; see
/// docs/sigstore.md for its source, date and how to refresh it.
pub const PRODUCTION_TRUSTED_ROOT: &str = include_str!("production_trusted_root.json");

/// Parses a managed key (PEM `PUBLIC KEY` or SPKI DER).
pub fn managed_key(input: &[u8]) -> Result<ManagedKey, SigstoreError> {
    keys::public_key_from_pem_or_der(input).map(ManagedKey)
}

/// A managed public key for `Policy::Key`.
#[derive(Debug)]
pub struct ManagedKey(keys::PublicKey);
