//! `PipelineGuard::Sigstore`: offline bundle verification.
use magnus::{Error, RModule, Ruby};

pub mod sigstore_errors;
pub mod sigstore_trusted_root;
pub mod sigstore_verifier;

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    sigstore_trusted_root::init(ruby, root)?;
    sigstore_verifier::init(ruby, root)?;
    Ok(())
}
