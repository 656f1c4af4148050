//! `PipelineGuard::OpenBao::JwtAuth::CelRole`: one validated, compiled CEL
//! role of a `JwtAuth` mount. Immutable: `write_cel_role` stores a new one.
use std::sync::Arc;

use magnus::{method, prelude::*, Error, RClass, RHash, Ruby, Value};
use pipeline_guard_core::jwt::openbao_auth::{CelRole, JwtAuthBackend};
use serde_json::Value as Json;

use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::ruby_api::openbao::errors::auth_error;
use crate::ruby_api::openbao::jwt_auth_input::{json_object, login_moment};
use crate::ruby_api::openbao::jwt_auth_login::RbLogin;

#[magnus::wrap(
    class = "PipelineGuard::OpenBao::JwtAuth::CelRole",
    free_immediately,
    size
)]
pub struct RbCelRole {
    role: Arc<CelRole>,
    auth: Arc<JwtAuthBackend>,
}

impl RbCelRole {
    pub fn new(role: Arc<CelRole>, auth: Arc<JwtAuthBackend>) -> Self {
        RbCelRole { role, auth }
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
                .cel_authenticate(&rb_self.role, &claims, now)
                .map(RbLogin::from)
                .map_err(|e| auth_error(ruby, &e))
        })
    }

    fn name(&self) -> String {
        self.role.name.clone()
    }
    fn cel_program(ruby: &Ruby, rb_self: &Self) -> Result<RHash, Error> {
        match rb_self.role.program.to_json() {
            Json::Object(map) => json::object_to_ruby(ruby, &map),
            _ => Ok(ruby.hash_new()),
        }
    }
    fn message(&self) -> String {
        self.role.message.clone()
    }
    fn bound_audiences(&self) -> Vec<String> {
        self.role.bound_audiences.clone()
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
    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::OpenBao::JwtAuth::CelRole name={:?} variables={} bound_audiences={:?}>",
            self.role.name,
            self.role.program.variables.len(),
            self.role.bound_audiences
        )
    }
}

pub fn init(ruby: &Ruby, auth: RClass) -> Result<(), Error> {
    let class = auth.define_class("CelRole", ruby.class_object())?;
    class.define_method("_authenticate", method!(RbCelRole::authenticate, 3))?;
    class.define_method("name", method!(RbCelRole::name, 0))?;
    class.define_method("cel_program", method!(RbCelRole::cel_program, 0))?;
    class.define_method("message", method!(RbCelRole::message, 0))?;
    class.define_method("bound_audiences", method!(RbCelRole::bound_audiences, 0))?;
    class.define_method(
        "clock_skew_leeway",
        method!(RbCelRole::clock_skew_leeway, 0),
    )?;
    class.define_method(
        "expiration_leeway",
        method!(RbCelRole::expiration_leeway, 0),
    )?;
    class.define_method(
        "not_before_leeway",
        method!(RbCelRole::not_before_leeway, 0),
    )?;
    class.define_method("inspect", method!(RbCelRole::inspect, 0))?;
    class.define_method("to_s", method!(RbCelRole::inspect, 0))?;
    Ok(())
}
