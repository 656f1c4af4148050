//! `PipelineGuard::DSSE`, `PipelineGuard::SLSA` and `PipelineGuard::Sigstore`:
//! attestations.
use magnus::{Error, RModule, Ruby};

pub mod dsse_errors;
pub mod dsse_signer;
pub mod dsse_verifier;
pub mod sigstore_errors;
pub mod sigstore_trusted_root;
pub mod sigstore_verifier;
pub mod slsa_digest;
pub mod slsa_errors;
pub mod slsa_provenance;

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    dsse_signer::init(ruby, root)?;
    dsse_verifier::init(ruby, root)?;
    slsa_digest::init(ruby, root)?;
    slsa_provenance::init(ruby, root)?;
    sigstore_trusted_root::init(ruby, root)?;
    sigstore_verifier::init(ruby, root)?;
    Ok(())
}
