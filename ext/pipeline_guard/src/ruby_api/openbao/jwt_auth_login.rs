//! `PipelineGuard::OpenBao::JwtAuth::Login`: what OpenBao would put in a
//! successful login's `auth` (no token is minted locally), for a classic
//! role or a CEL role. Immutable.
use std::collections::BTreeMap;

use magnus::{method, prelude::*, Error, RArray, RClass, RHash, Ruby, Value};
use pipeline_guard_core::jwt::openbao_auth::{AuthError, CelLogin, Login};

use crate::ruby_api::openbao::errors::auth_exception;

/// The answers of a `*_login_many` call, in input order: a Login for each
/// success, the AuthError (not raised) for each refusal.
pub fn login_results<L: Into<RbLogin>>(
    ruby: &Ruby,
    results: Vec<Result<L, AuthError>>,
) -> Result<RArray, Error> {
    let out = ruby.ary_new_capa(results.len());
    for result in results {
        let item: Value = match result {
            Ok(login) => ruby.obj_wrap(login.into()).as_value(),
            Err(e) => auth_exception(ruby, &e)?.as_value(),
        };
        out.push(item)?;
    }
    Ok(out)
}

/// The login of either kind of role.
#[derive(PartialEq, Eq)]
pub enum AnyLogin {
    Role(Login),
    Cel(CelLogin),
}

#[magnus::wrap(
    class = "PipelineGuard::OpenBao::JwtAuth::Login",
    free_immediately,
    size
)]
pub struct RbLogin(pub AnyLogin);

impl From<Login> for RbLogin {
    fn from(login: Login) -> Self {
        RbLogin(AnyLogin::Role(login))
    }
}

impl From<CelLogin> for RbLogin {
    fn from(login: CelLogin) -> Self {
        RbLogin(AnyLogin::Cel(login))
    }
}

fn hash_of(ruby: &Ruby, map: &BTreeMap<String, String>) -> Result<RHash, Error> {
    let hash = ruby.hash_new();
    for (k, v) in map {
        hash.aset(k.as_str(), v.as_str())?;
    }
    Ok(hash)
}

/// Reads the same field of either kind of login.
macro_rules! either {
    ($self:ident, $l:ident => $e:expr) => {
        match &$self.0 {
            AnyLogin::Role($l) => $e,
            AnyLogin::Cel($l) => $e,
        }
    };
}

impl RbLogin {
    fn role_name(&self) -> String {
        either!(self, l => l.role_name.clone())
    }
    /// nil for a CEL login whose `pb.Auth` had no alias.
    fn alias_name(&self) -> Option<String> {
        match &self.0 {
            AnyLogin::Role(l) => Some(l.alias_name.clone()),
            AnyLogin::Cel(l) => l.alias_name.clone(),
        }
    }
    fn alias_metadata(ruby: &Ruby, rb_self: &Self) -> Result<RHash, Error> {
        match &rb_self.0 {
            AnyLogin::Role(l) => hash_of(ruby, &l.metadata),
            AnyLogin::Cel(l) => hash_of(ruby, &l.alias_metadata),
        }
    }
    fn display_name(&self) -> String {
        either!(self, l => l.display_name.clone())
    }
    fn metadata(ruby: &Ruby, rb_self: &Self) -> Result<RHash, Error> {
        either!(rb_self, l => hash_of(ruby, &l.metadata))
    }
    fn groups(&self) -> Vec<String> {
        either!(self, l => l.groups.clone())
    }
    fn policies(&self) -> Vec<String> {
        either!(self, l => l.policies.clone())
    }
    fn no_default_policy(&self) -> bool {
        either!(self, l => l.no_default_policy)
    }
    fn ttl(&self) -> i64 {
        match &self.0 {
            AnyLogin::Role(l) => l.ttl,
            AnyLogin::Cel(l) => l.lease_duration,
        }
    }
    fn max_ttl(&self) -> i64 {
        match &self.0 {
            AnyLogin::Role(l) => l.max_ttl,
            AnyLogin::Cel(_) => 0,
        }
    }
    /// Seconds: the CEL login's computed lease, the role's `token_ttl`
    /// (0 = mount default) for a classic one.
    fn lease_duration(&self) -> i64 {
        self.ttl()
    }
    fn explicit_max_ttl(&self) -> i64 {
        either!(self, l => l.explicit_max_ttl)
    }
    fn period(&self) -> i64 {
        either!(self, l => l.period)
    }
    fn num_uses(&self) -> i64 {
        either!(self, l => l.num_uses)
    }
    fn token_type(&self) -> String {
        either!(self, l => l.token_type.clone())
    }
    fn bound_cidrs(&self) -> Vec<String> {
        either!(self, l => l.bound_cidrs.iter().map(ToString::to_string).collect())
    }
    fn renewable(&self) -> bool {
        either!(self, l => l.renewable)
    }
    fn cel(&self) -> bool {
        matches!(self.0, AnyLogin::Cel(_))
    }
    fn eql(&self, other: &Self) -> bool {
        self.0 == other.0
    }
    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::OpenBao::JwtAuth::Login role_name={:?} alias_name={:?} display_name={:?} policies={:?}>",
            self.role_name(),
            self.alias_name(),
            self.display_name(),
            self.policies()
        )
    }
}

pub fn init(ruby: &Ruby, auth: RClass) -> Result<(), Error> {
    let class = auth.define_class("Login", ruby.class_object())?;
    class.define_method("role_name", method!(RbLogin::role_name, 0))?;
    class.define_method("alias_name", method!(RbLogin::alias_name, 0))?;
    class.define_method("alias_metadata", method!(RbLogin::alias_metadata, 0))?;
    class.define_method("lease_duration", method!(RbLogin::lease_duration, 0))?;
    class.define_method("cel?", method!(RbLogin::cel, 0))?;
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
