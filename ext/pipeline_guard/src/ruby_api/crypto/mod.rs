//! `PipelineGuard::Crypto` and `PipelineGuard::Keyring`.
use magnus::{Error, RModule, Ruby};

pub mod aes_gcm;
pub mod functions;
pub mod keyring;

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    functions::init(ruby, root)?;
    aes_gcm::init(ruby, root)?;
    keyring::init(ruby, root)?;
    Ok(())
}
