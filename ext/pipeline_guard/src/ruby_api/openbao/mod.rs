//! `PipelineGuard::OpenBao`: JWT auth, policies and ACLs evaluated as
//! OpenBao does; its audit entries read.
use magnus::{prelude::*, Error, RModule, Ruby};

pub mod acl;
pub mod audit_log;
pub mod audit_log_entry;
pub mod errors;
pub mod jwt_auth;
pub mod jwt_auth_cel;
pub mod jwt_auth_cel_role;
pub mod jwt_auth_input;
pub mod jwt_auth_login;
pub mod jwt_auth_role;
pub mod policy;

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let openbao = root.define_module("OpenBao")?;
    let jwt_auth = jwt_auth::init(ruby, openbao)?;
    jwt_auth_role::init(ruby, jwt_auth)?;
    jwt_auth_cel::init(jwt_auth)?;
    jwt_auth_cel_role::init(ruby, jwt_auth)?;
    jwt_auth_login::init(ruby, jwt_auth)?;
    policy::init(ruby, openbao)?;
    acl::init(ruby, openbao)?;
    audit_log::init(ruby, openbao)?;
    Ok(())
}
