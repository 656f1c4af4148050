//! `PipelineGuard::RBAC`.
use magnus::{Error, RModule, Ruby};

pub mod model;

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    model::init(ruby, root)
}
