//! `PipelineGuard::OpenBao::JwtAuth::Role`: one validated role of a
//! `JwtAuth` mount. Immutable: `write_role` stores a new role object.
use std::sync::Arc;

use magnus::{method, prelude::*, Error, RClass, RHash, Ruby, Value};
use pipeline_guard_core::jwt::openbao_auth::{JwtAuthBackend, Role};

use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::ruby_api::openbao::errors::auth_error;
use crate::ruby_api::openbao::jwt_auth_input::{json_object, login_moment};
use crate::ruby_api::openbao::jwt_auth_login::RbLogin;

#[magnus::wrap(
    class = "PipelineGuard::OpenBao::JwtAuth::Role",
    free_immediately,
    size
)]
pub struct RbRole {
    role: Arc<Role>,
    auth: Arc<JwtAuthBackend>,
}

impl RbRole {
    pub fn new(role: Arc<Role>, auth: Arc<JwtAuthBackend>) -> Self {
        RbRole { role, auth }
    }

    fn authenticate(
        ruby: &Ruby,
        rb_self: &Self,
        claims: Value,
        secs: Option<i64>,
        nsec: u32,
    ) -> Result<RbLogin, Error> {
        guard(ruby, || {
            let now = login_moment(ruby, secs, nsec)?;
            let claims = json_object(ruby, claims, "claims")?;
            rb_self
                .auth
                .config()
                .authenticate(&rb_self.role, &claims, now)
                .map(RbLogin::from)
                .map_err(|e| auth_error(ruby, &e))
        })
    }

    fn name(&self) -> String {
        self.role.name.clone()
    }
    fn role_type(&self) -> &'static str {
        self.role.role_type.as_str()
    }
    fn bound_audiences(&self) -> Vec<String> {
        self.role.bound_audiences.clone()
    }
    fn bound_subject(&self) -> String {
        self.role.bound_subject.clone()
    }
    fn bound_claims_type(&self) -> &'static str {
        self.role.bound_claims_type.as_str()
    }
    fn bound_claims(ruby: &Ruby, rb_self: &Self) -> Result<RHash, Error> {
        json::object_to_ruby(ruby, &rb_self.role.bound_claims)
    }
    fn claim_mappings(&self) -> Vec<(String, String)> {
        self.role
            .claim_mappings
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
    fn user_claim(&self) -> String {
        self.role.user_claim.clone()
    }
    fn user_claim_json_pointer(&self) -> bool {
        self.role.user_claim_json_pointer
    }
    fn groups_claim(&self) -> String {
        self.role.groups_claim.clone()
    }
    fn clock_skew_leeway(&self) -> i64 {
        self.role.clock_skew_leeway
    }
    fn expiration_leeway(&self) -> i64 {
        self.role.expiration_leeway
    }
    fn not_before_leeway(&self) -> i64 {
        self.role.not_before_leeway
    }
    fn token_policies(&self) -> Vec<String> {
        self.role.token.policies.clone()
    }
    fn token_ttl(&self) -> i64 {
        self.role.token.ttl
    }
    fn token_max_ttl(&self) -> i64 {
        self.role.token.max_ttl
    }
    fn token_type(&self) -> String {
        self.role.token.token_type.clone()
    }
    fn warnings(&self) -> Vec<String> {
        self.role.warnings.clone()
    }

    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::OpenBao::JwtAuth::Role name={:?} role_type={} bound_audiences={:?} bound_claims_type={} user_claim={:?}>",
            self.role.name,
            self.role.role_type.as_str(),
            self.role.bound_audiences,
            self.role.bound_claims_type.as_str(),
            self.role.user_claim
        )
    }
}

pub fn init(ruby: &Ruby, auth: RClass) -> Result<(), Error> {
    let class = auth.define_class("Role", ruby.class_object())?;
    class.define_method("_authenticate", method!(RbRole::authenticate, 3))?;
    class.define_method("name", method!(RbRole::name, 0))?;
    class.define_method("role_type", method!(RbRole::role_type, 0))?;
    class.define_method("bound_audiences", method!(RbRole::bound_audiences, 0))?;
    class.define_method("bound_subject", method!(RbRole::bound_subject, 0))?;
    class.define_method("bound_claims_type", method!(RbRole::bound_claims_type, 0))?;
    class.define_method("bound_claims", method!(RbRole::bound_claims, 0))?;
    class.define_method("_claim_mappings", method!(RbRole::claim_mappings, 0))?;
    class.define_method("user_claim", method!(RbRole::user_claim, 0))?;
    class.define_method(
        "user_claim_json_pointer?",
        method!(RbRole::user_claim_json_pointer, 0),
    )?;
    class.define_method("groups_claim", method!(RbRole::groups_claim, 0))?;
    class.define_method("clock_skew_leeway", method!(RbRole::clock_skew_leeway, 0))?;
    class.define_method("expiration_leeway", method!(RbRole::expiration_leeway, 0))?;
    class.define_method("not_before_leeway", method!(RbRole::not_before_leeway, 0))?;
    class.define_method("token_policies", method!(RbRole::token_policies, 0))?;
    class.define_method("token_ttl", method!(RbRole::token_ttl, 0))?;
    class.define_method("token_max_ttl", method!(RbRole::token_max_ttl, 0))?;
    class.define_method("token_type", method!(RbRole::token_type, 0))?;
    class.define_method("warnings", method!(RbRole::warnings, 0))?;
    class.define_method("inspect", method!(RbRole::inspect, 0))?;
    class.define_method("to_s", method!(RbRole::inspect, 0))?;
    Ok(())
}
