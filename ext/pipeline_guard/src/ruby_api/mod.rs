//! The Ruby API: `PipelineGuard` and its classes, one file per class,
//! grouped by area.
use magnus::{Error, Ruby};

mod attest;
mod crypto;
mod jwt;
mod openbao;
mod pipeline_guard;
mod rbac;
mod secrets_manager;

pub fn init(ruby: &Ruby) -> Result<(), Error> {
    crate::helpers::errors::init(ruby)?;
    let root = ruby.define_module("PipelineGuard")?;
    pipeline_guard::init(ruby, root)?;
    crypto::init(ruby, root)?;
    attest::init(ruby, root)?;
    jwt::init(ruby, root)?;
    openbao::init(ruby, root)?;
    rbac::init(ruby, root)?;
    secrets_manager::init(ruby, root)?;
    Ok(())
}
