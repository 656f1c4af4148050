//! `PipelineGuard::SecretsManager`: secrets, permissions and projects.
use magnus::{Error, RModule, Ruby};

pub mod errors;
pub mod functions;
pub mod permission;
pub mod project;
pub mod secret;

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    functions::init(ruby, root)
}
