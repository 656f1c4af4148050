//! The CEL-role methods of `PipelineGuard::OpenBao::JwtAuth`
//! (`auth/<mount>/cel/role/<name>`, `cel/login`). Keyword arguments are
//! unpacked in `lib/pipeline_guard/openbao/jwt_auth.rb`.
use std::sync::Arc;

use magnus::{method, prelude::*, Error, RArray, RClass, RString, Ruby, Value};

use crate::helpers::guard::guard;
use crate::helpers::nogvl::without_gvl;
use crate::ruby_api::openbao::errors::{auth_error, role_error};
use crate::ruby_api::openbao::jwt_auth::RbJwtAuth;
use crate::ruby_api::openbao::jwt_auth_cel_role::RbCelRole;
use crate::ruby_api::openbao::jwt_auth_input::{json_object, login_moment, text, token_texts};
use crate::ruby_api::openbao::jwt_auth_login::{login_results, RbLogin};

fn write_cel_role(
    ruby: &Ruby,
    rb_self: &RbJwtAuth,
    name: String,
    body: Value,
) -> Result<RbCelRole, Error> {
    guard(ruby, || {
        let body = json_object(ruby, body, "CEL role")?;
        let role = rb_self
            .0
            .write_cel_role(&name, &body)
            .map_err(|e| role_error(ruby, e))?;
        Ok(RbCelRole::new(role, Arc::clone(&rb_self.0)))
    })
}

fn cel_role(rb_self: &RbJwtAuth, name: String) -> Option<RbCelRole> {
    rb_self
        .0
        .cel_role(&name)
        .map(|role| RbCelRole::new(role, Arc::clone(&rb_self.0)))
}

fn delete_cel_role(rb_self: &RbJwtAuth, name: String) -> bool {
    rb_self.0.delete_cel_role(&name)
}

fn cel_role_names(rb_self: &RbJwtAuth) -> Vec<String> {
    rb_self.0.cel_role_names()
}

fn cel_login(
    ruby: &Ruby,
    rb_self: &RbJwtAuth,
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
            .cel_login(&role, &token, now)
            .map(RbLogin::from)
            .map_err(|e| auth_error(ruby, &e))
    })
}

fn cel_login_many(
    ruby: &Ruby,
    rb_self: &RbJwtAuth,
    role: String,
    jwts: RArray,
    secs: Option<i64>,
    nsec: u32,
) -> Result<RArray, Error> {
    guard(ruby, || {
        let now = login_moment(ruby, secs, nsec)?;
        let tokens = token_texts(jwts)?;
        let backend = Arc::clone(&rb_self.0);
        let results = without_gvl(move || backend.cel_login_many(&role, &tokens, now));
        login_results(ruby, results)
    })
}

pub fn init(class: RClass) -> Result<(), Error> {
    class.define_method("_write_cel_role", method!(write_cel_role, 2))?;
    class.define_method("_cel_role", method!(cel_role, 1))?;
    class.define_method("_delete_cel_role", method!(delete_cel_role, 1))?;
    class.define_method("cel_role_names", method!(cel_role_names, 0))?;
    class.define_method("_cel_login", method!(cel_login, 4))?;
    class.define_method("_cel_login_many", method!(cel_login_many, 4))?;
    Ok(())
}
