//! `PipelineGuard::SecretsManager::Project`: the secrets, permissions and
//! pipeline policies of one project (or group) secrets manager. Reads share
//! a lock; updates take it exclusively for one model operation.
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use magnus::{
    function, method,
    prelude::*,
    scan_args::{get_kwargs, scan_args},
    Error, RArray, RHash, RModule, Ruby, Symbol, Value,
};
use pipeline_guard_core::secrets::{
    PolicyUpdate, ProjectOrGroup, SecretsModel, UserAction, UserContext,
};

use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::ruby_api::secrets_manager::convert::{policies_hash, to_secret};
use crate::ruby_api::secrets_manager::errors::secrets_error;
use crate::ruby_api::secrets_manager::permission::{principal, RbPermission};

#[magnus::wrap(
    class = "PipelineGuard::SecretsManager::Project",
    free_immediately,
    size
)]
pub struct RbProject {
    id: u64,
    model: RwLock<SecretsModel>,
}

impl RbProject {
    fn read(&self) -> RwLockReadGuard<'_, SecretsModel> {
        self.model.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, SecretsModel> {
        self.model.write().unwrap_or_else(|p| p.into_inner())
    }

    /// `Project.new(project_id:)`: keywords parsed here.
    fn new(ruby: &Ruby, args: &[Value]) -> Result<Self, Error> {
        Self::create(ruby, false, Self::id_keyword(args, "project_id")?)
    }

    /// `Project.group(group_id:)`.
    fn group(ruby: &Ruby, args: &[Value]) -> Result<Self, Error> {
        Self::create(ruby, true, Self::id_keyword(args, "group_id")?)
    }

    fn id_keyword(args: &[Value], name: &str) -> Result<u64, Error> {
        let args = scan_args::<(), (), (), (), RHash, ()>(args)?;
        let kw = get_kwargs::<_, (u64,), (), ()>(args.keywords, &[name], &[])?;
        Ok(kw.required.0)
    }

    fn create(ruby: &Ruby, group: bool, id: u64) -> Result<Self, Error> {
        guard(ruby, || {
            let model = if group {
                SecretsModel::new_group(id)
            } else {
                SecretsModel::new_project(id)
            };
            Ok(Self {
                id,
                model: RwLock::new(model),
            })
        })
    }

    fn id(&self) -> u64 {
        self.id
    }

    fn kind(ruby: &Ruby, rb_self: &Self) -> Symbol {
        ruby.to_symbol(match rb_self.read().kind() {
            ProjectOrGroup::Project => "project",
            ProjectOrGroup::Group => "group",
        })
    }

    fn set_permission(
        ruby: &Ruby,
        rb_self: &Self,
        permission: &RbPermission,
        json: bool,
    ) -> Result<RHash, Error> {
        guard(ruby, || {
            let permission = permission.0.clone();
            let policies = permission.openbao_policies();
            let stale = rb_self.write().set_permission(permission);
            let written = policies.iter().map(|p| (p.name.as_str(), Some(p)));
            let deleted = stale.iter().map(|name| (name.as_str(), None));
            policies_hash(ruby, written.chain(deleted), json)
        })
    }

    /// `{ policy name => nil }` for the deleted principal's policies.
    fn delete_permission(
        ruby: &Ruby,
        rb_self: &Self,
        principal_type: String,
        principal_id: u64,
    ) -> Result<RHash, Error> {
        guard(ruby, || {
            let who = principal(ruby, &principal_type, principal_id)?;
            let names = rb_self.write().delete_permission(who);
            policies_hash(ruby, names.iter().map(|name| (name.as_str(), None)), false)
        })
    }

    fn update_result(ruby: &Ruby, update: PolicyUpdate, json: bool) -> Result<RArray, Error> {
        let changes = policies_hash(
            ruby,
            update
                .changes
                .iter()
                .map(|c| (c.name.as_str(), c.policy.as_ref())),
            json,
        )?;
        let out = ruby.ary_new_capa(2);
        out.push(changes)?;
        out.push(update.token_policies)?;
        Ok(out)
    }

    fn upsert_secret(
        ruby: &Ruby,
        rb_self: &Self,
        secret: Value,
        json: bool,
    ) -> Result<RArray, Error> {
        guard(ruby, || {
            let secret = to_secret(ruby, secret)?;
            let update = rb_self
                .write()
                .upsert_secret(&secret)
                .map_err(|e| secrets_error(ruby, e))?;
            Self::update_result(ruby, update, json)
        })
    }

    fn remove_secret(
        ruby: &Ruby,
        rb_self: &Self,
        name: String,
        json: bool,
    ) -> Result<RArray, Error> {
        guard(ruby, || {
            let update = rb_self.write().remove_secret(&name);
            Self::update_result(ruby, update, json)
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn user_can(
        ruby: &Ruby,
        rb_self: &Self,
        user_id: u64,
        group_ids: Vec<u64>,
        access_level: Option<u16>,
        member_role_id: Option<u64>,
        action: String,
        secret_name: String,
        now: Option<i64>,
    ) -> Result<bool, Error> {
        guard(ruby, || {
            let now = match now {
                Some(now) => now,
                None => crate::helpers::clock::now_floor(ruby)?,
            };
            let action = UserAction::parse(&action).map_err(|e| secrets_error(ruby, e))?;
            let user = UserContext {
                user_id,
                group_ids,
                access_level,
                member_role_id,
            };
            Ok(rb_self.read().user_can(&user, action, &secret_name, now))
        })
    }

    fn pipeline_secrets(ruby: &Ruby, rb_self: &Self, claims: RHash) -> Result<Vec<String>, Error> {
        guard(ruby, || {
            let claims = json::claims(ruby, claims)?;
            rb_self
                .read()
                .pipeline_secrets(&claims)
                .map_err(|e| secrets_error(ruby, e))
        })
    }

    fn ci_policies(ruby: &Ruby, rb_self: &Self, json: bool) -> Result<RHash, Error> {
        guard(ruby, || {
            let policies = rb_self.read().ci_policies().policies();
            policies_hash(
                ruby,
                policies.iter().map(|p| (p.name.as_str(), Some(p))),
                json,
            )
        })
    }

    fn token_policies(&self) -> Vec<String> {
        self.read().ci_policies().token_policies()
    }

    fn secret_count(&self) -> usize {
        self.read().secret_count()
    }

    fn has_secret(&self, name: String) -> bool {
        self.read().has_secret(&name)
    }

    fn inspect(&self) -> String {
        let model = self.read();
        let kind = match model.kind() {
            ProjectOrGroup::Project => "project",
            ProjectOrGroup::Group => "group",
        };
        format!(
            "#<PipelineGuard::SecretsManager::Project {kind}={} secrets={}>",
            self.id,
            model.secret_count()
        )
    }
}

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let class = module.define_class("Project", ruby.class_object())?;
    class.define_singleton_method("new", function!(RbProject::new, -1))?;
    class.define_singleton_method("group", function!(RbProject::group, -1))?;
    class.define_method("id", method!(RbProject::id, 0))?;
    class.define_method("kind", method!(RbProject::kind, 0))?;
    class.define_method("_set_permission", method!(RbProject::set_permission, 2))?;
    class.define_method(
        "_delete_permission",
        method!(RbProject::delete_permission, 2),
    )?;
    class.define_method("_upsert_secret", method!(RbProject::upsert_secret, 2))?;
    class.define_method("_remove_secret", method!(RbProject::remove_secret, 2))?;
    class.define_method("_user_can", method!(RbProject::user_can, 7))?;
    class.define_method("_pipeline_secrets", method!(RbProject::pipeline_secrets, 1))?;
    class.define_method("_ci_policies", method!(RbProject::ci_policies, 1))?;
    class.define_method("token_policies", method!(RbProject::token_policies, 0))?;
    class.define_method("secret_count", method!(RbProject::secret_count, 0))?;
    class.define_method("secret?", method!(RbProject::has_secret, 1))?;
    class.define_method("inspect", method!(RbProject::inspect, 0))?;
    class.define_method("to_s", method!(RbProject::inspect, 0))?;
    Ok(())
}
