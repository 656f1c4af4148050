//! Ruby binding for `pipeline_guard_core`. Thin by design: convert Ruby
//! values, call the core, map errors to Ruby classes, release the GVL for
//! batch work. One file per Ruby class.
use magnus::{Error, Ruby};

mod aes_gcm;
mod clock;
mod crypto;
mod decode_options;
mod errors;
mod fork;
mod guard;
mod gvl;
mod id_token;
mod json_bytes;
mod json_value;
mod key_source;
mod keyring;
mod packed;

mod acl;
mod claims;
mod jwt;
mod jwt_auth;
mod jwt_auth_input;
mod jwt_auth_login;
mod jwt_auth_role;
mod openbao_auth_errors;
mod permission;
mod policy;
mod rbac_model;
mod secret;
mod secrets_error;
mod secrets_manager;
mod secrets_project;
mod signature;
mod signer;
mod signer_set;
mod signing_key;
mod verifier;
mod verifying_key;

#[magnus::init]
fn init(ruby: &Ruby) -> Result<(), Error> {
    fork::install();
    let root = ruby.define_module("PipelineGuard")?;
    clock::init(ruby, root)?;
    crypto::init(ruby, root)?;
    aes_gcm::init(ruby, root)?;
    keyring::init(ruby, root)?;
    jwt::init(ruby, root)?;
    claims::init(ruby, root)?;
    verifying_key::init(ruby, root)?;
    signing_key::init(ruby, root)?;
    id_token::init(ruby, root)?;
    signature::init(ruby, root)?;
    signer::init(ruby, root)?;
    signer_set::init(ruby, root)?;
    verifier::init(ruby, root)?;
    jwt_auth::init(ruby, root)?;
    policy::init(ruby, root)?;
    acl::init(ruby, root)?;
    rbac_model::init(ruby, root)?;
    secrets_manager::init(ruby, root)?;
    Ok(())
}
