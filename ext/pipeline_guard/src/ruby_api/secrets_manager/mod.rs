//! `PipelineGuard::SecretsManager`: secrets, permissions and projects.
use magnus::{prelude::*, Error, RModule, Ruby};

pub mod convert;
pub mod errors;
pub mod functions;
pub mod permission;
pub mod project;
pub mod secret;

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let module = root.define_module("SecretsManager")?;
    functions::init(ruby, module)?;
    secret::init(ruby, module)?;
    permission::init(ruby, module)?;
    project::init(ruby, module)?;
    Ok(())
}
