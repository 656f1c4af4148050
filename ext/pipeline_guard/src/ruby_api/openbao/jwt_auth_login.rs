//! `PipelineGuard::OpenBao::JwtAuth::Login`: what OpenBao would put in a
//! successful login's `auth` (no token is minted locally). Immutable.
use magnus::{method, prelude::*, Error, RClass, RHash, Ruby};
use pipeline_guard_core::jwt::openbao_auth::Login;

#[magnus::wrap(
    class = "PipelineGuard::OpenBao::JwtAuth::Login",
    free_immediately,
    size
)]
pub struct RbLogin(pub Login);

impl RbLogin {
    fn role_name(&self) -> String {
        self.0.role_name.clone()
    }
    fn alias_name(&self) -> String {
        self.0.alias_name.clone()
    }
    fn display_name(&self) -> String {
        self.0.display_name.clone()
    }
    fn metadata(ruby: &Ruby, rb_self: &Self) -> Result<RHash, Error> {
        let hash = ruby.hash_new();
        for (k, v) in &rb_self.0.metadata {
            hash.aset(k.as_str(), v.as_str())?;
        }
        Ok(hash)
    }
    fn groups(&self) -> Vec<String> {
        self.0.groups.clone()
    }
    fn policies(&self) -> Vec<String> {
        self.0.policies.clone()
    }
    fn no_default_policy(&self) -> bool {
        self.0.no_default_policy
    }
    fn ttl(&self) -> i64 {
        self.0.ttl
    }
    fn max_ttl(&self) -> i64 {
        self.0.max_ttl
    }
    fn explicit_max_ttl(&self) -> i64 {
        self.0.explicit_max_ttl
    }
    fn period(&self) -> i64 {
        self.0.period
    }
    fn num_uses(&self) -> i64 {
        self.0.num_uses
    }
    fn token_type(&self) -> String {
        self.0.token_type.clone()
    }
    fn bound_cidrs(&self) -> Vec<String> {
        self.0.bound_cidrs.iter().map(ToString::to_string).collect()
    }
    fn renewable(&self) -> bool {
        self.0.renewable
    }
    fn eql(&self, other: &Self) -> bool {
        self.0 == other.0
    }
    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::OpenBao::JwtAuth::Login role_name={:?} alias_name={:?} display_name={:?} policies={:?}>",
            self.0.role_name, self.0.alias_name, self.0.display_name, self.0.policies
        )
    }
}

pub fn init(ruby: &Ruby, auth: RClass) -> Result<(), Error> {
    let class = auth.define_class("Login", ruby.class_object())?;
    class.define_method("role_name", method!(RbLogin::role_name, 0))?;
    class.define_method("alias_name", method!(RbLogin::alias_name, 0))?;
    class.define_method("display_name", method!(RbLogin::display_name, 0))?;
    class.define_method("metadata", method!(RbLogin::metadata, 0))?;
    class.define_method("groups", method!(RbLogin::groups, 0))?;
    class.define_method("policies", method!(RbLogin::policies, 0))?;
    class.define_method("no_default_policy?", method!(RbLogin::no_default_policy, 0))?;
    class.define_method("ttl", method!(RbLogin::ttl, 0))?;
    class.define_method("max_ttl", method!(RbLogin::max_ttl, 0))?;
    class.define_method("explicit_max_ttl", method!(RbLogin::explicit_max_ttl, 0))?;
    class.define_method("period", method!(RbLogin::period, 0))?;
    class.define_method("num_uses", method!(RbLogin::num_uses, 0))?;
    class.define_method("token_type", method!(RbLogin::token_type, 0))?;
    class.define_method("bound_cidrs", method!(RbLogin::bound_cidrs, 0))?;
    class.define_method("renewable?", method!(RbLogin::renewable, 0))?;
    class.define_method("_eql", method!(RbLogin::eql, 1))?;
    class.define_method("inspect", method!(RbLogin::inspect, 0))?;
    class.define_method("to_s", method!(RbLogin::inspect, 0))?;
    Ok(())
}
