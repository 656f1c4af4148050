//! `PipelineGuard::OpenBao::JwtAuth`: an OpenBao JWT auth mount evaluated
//! locally (config + roles + login). Keyword arguments are unpacked in
//! `lib/pipeline_guard/openbao/jwt_auth.rb`; structured inputs (config,
//! role bodies, claims) arrive as JSON text.
use std::sync::Arc;

use magnus::{function, method, prelude::*, Error, RArray, RClass, RModule, RString, Ruby, Value};
use pipeline_guard_core::jwt::openbao_auth::{JwtAuthBackend, JwtAuthConfig};

use crate::helpers::guard::guard;
use crate::helpers::nogvl::without_gvl;
use crate::ruby_api::openbao::errors::{auth_error, config_error, role_error};
use crate::ruby_api::openbao::jwt_auth_input::{json_object, login_moment, text, token_texts};
use crate::ruby_api::openbao::jwt_auth_login::{login_results, RbLogin};
use crate::ruby_api::openbao::jwt_auth_role::RbRole;

#[magnus::wrap(class = "PipelineGuard::OpenBao::JwtAuth", free_immediately, size)]
pub struct RbJwtAuth(pub(crate) Arc<JwtAuthBackend>);

impl RbJwtAuth {
    fn new(ruby: &Ruby, config: Value) -> Result<Self, Error> {
        guard(ruby, || {
            let body = json_object(ruby, config, "config")?;
            let config = JwtAuthConfig::from_json(&body).map_err(|e| config_error(ruby, e))?;
            Ok(Self(Arc::new(JwtAuthBackend::new(config))))
        })
    }

    fn write_role(ruby: &Ruby, rb_self: &Self, name: String, body: Value) -> Result<RbRole, Error> {
        guard(ruby, || {
            let body = json_object(ruby, body, "role")?;
            let role = rb_self
                .0
                .write_role(&name, &body)
                .map_err(|e| role_error(ruby, e))?;
            Ok(RbRole::new(role, Arc::clone(&rb_self.0)))
        })
    }

    fn role(&self, name: String) -> Option<RbRole> {
        self.0
            .role(&name)
            .map(|role| RbRole::new(role, Arc::clone(&self.0)))
    }

    fn resolve_role(ruby: &Ruby, rb_self: &Self, name: String) -> Result<RbRole, Error> {
        guard(ruby, || {
            rb_self
                .0
                .resolve_role(&name)
                .map(|role| RbRole::new(role, Arc::clone(&rb_self.0)))
                .map_err(|e| auth_error(ruby, &e))
        })
    }

    fn delete_role(&self, name: String) -> bool {
        self.0.delete_role(&name)
    }

    fn role_names(&self) -> Vec<String> {
        self.0.role_names()
    }

    fn login(
        ruby: &Ruby,
        rb_self: &Self,
        role: String,
        jwt: RString,
        secs: Option<i64>,
        nsec: u32,
    ) -> Result<RbLogin, Error> {
        guard(ruby, || {
            let now = login_moment(ruby, secs, nsec)?;
            let token = text(&jwt);
            rb_self
                .0
                .login(&role, &token, now)
                .map(RbLogin::from)
                .map_err(|e| auth_error(ruby, &e))
        })
    }

    fn login_many(
        ruby: &Ruby,
        rb_self: &Self,
        role: String,
        jwts: RArray,
        secs: Option<i64>,
        nsec: u32,
    ) -> Result<RArray, Error> {
        guard(ruby, || {
            let now = login_moment(ruby, secs, nsec)?;
            let tokens = token_texts(jwts)?;
            let backend = Arc::clone(&rb_self.0);
            let results = without_gvl(move || backend.login_many(&role, &tokens, now));
            login_results(ruby, results)
        })
    }

    fn bound_issuer(&self) -> String {
        self.0.config().bound_issuer.clone()
    }

    fn mount_path(&self) -> String {
        self.0.config().mount_path.clone()
    }

    fn default_role(&self) -> Option<String> {
        let role = &self.0.config().default_role;
        (!role.is_empty()).then(|| role.clone())
    }

    fn jwt_supported_algs(&self) -> Vec<String> {
        self.0.config().jwt_supported_algs.clone()
    }

    fn inspect(&self) -> String {
        let config = self.0.config();
        format!(
            "#<PipelineGuard::OpenBao::JwtAuth mount_path={:?} bound_issuer={:?} roles={:?}>",
            config.mount_path,
            config.bound_issuer,
            self.0.role_names()
        )
    }
}

/// Defines `OpenBao::JwtAuth` and returns it (its `Role` and `Login`
/// classes nest in it).
pub fn init(ruby: &Ruby, openbao: RModule) -> Result<RClass, Error> {
    let class = openbao.define_class("JwtAuth", ruby.class_object())?;
    class.define_singleton_method("_new", function!(RbJwtAuth::new, 1))?;
    class.define_method("_write_role", method!(RbJwtAuth::write_role, 2))?;
    class.define_method("_role", method!(RbJwtAuth::role, 1))?;
    class.define_method("_resolve_role", method!(RbJwtAuth::resolve_role, 1))?;
    class.define_method("_delete_role", method!(RbJwtAuth::delete_role, 1))?;
    class.define_method("role_names", method!(RbJwtAuth::role_names, 0))?;
    class.define_method("_login", method!(RbJwtAuth::login, 4))?;
    class.define_method("_login_many", method!(RbJwtAuth::login_many, 4))?;
    class.define_method("bound_issuer", method!(RbJwtAuth::bound_issuer, 0))?;
    class.define_method("mount_path", method!(RbJwtAuth::mount_path, 0))?;
    class.define_method("default_role", method!(RbJwtAuth::default_role, 0))?;
    class.define_method(
        "jwt_supported_algs",
        method!(RbJwtAuth::jwt_supported_algs, 0),
    )?;
    class.define_method("inspect", method!(RbJwtAuth::inspect, 0))?;
    class.define_method("to_s", method!(RbJwtAuth::inspect, 0))?;
    Ok(class)
}
