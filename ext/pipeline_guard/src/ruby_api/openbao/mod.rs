//! `PipelineGuard::OpenBao`: JWT auth, policies and ACLs evaluated as
//! OpenBao does.
use magnus::{Error, RModule, Ruby};

pub mod acl;
pub mod errors;
pub mod jwt_auth;
pub mod jwt_auth_input;
pub mod jwt_auth_login;
pub mod jwt_auth_role;
pub mod policy;

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    jwt_auth::init(ruby, root)?;
    policy::init(ruby, root)?;
    acl::init(ruby, root)?;
    Ok(())
}
