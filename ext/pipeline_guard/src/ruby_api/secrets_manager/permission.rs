//! `PipelineGuard::SecretsManager::Permission`: who may do what to a
//! secrets manager's secrets, and the OpenBao policies GitLab writes for it.
//! Immutable; keyword arguments are unpacked in
//! `lib/pipeline_guard/secrets_manager/permission.rb`.
use magnus::{function, method, prelude::*, Error, RArray, RHash, RModule, Ruby, Symbol};
use pipeline_guard_core::secrets::{Permission, Principal};

use crate::helpers::clock;
use crate::helpers::guard::guard;
use crate::ruby_api::secrets_manager::convert::policies_hash;
use crate::ruby_api::secrets_manager::errors::secrets_error;

#[magnus::wrap(
    class = "PipelineGuard::SecretsManager::Permission",
    free_immediately,
    size,
    frozen_shareable
)]
pub struct RbPermission(pub Permission);

pub(crate) fn principal(
    ruby: &Ruby,
    principal_type: &str,
    principal_id: u64,
) -> Result<Principal, Error> {
    Principal::from_type(principal_type, principal_id).map_err(|e| secrets_error(ruby, e))
}

impl RbPermission {
    fn new(
        ruby: &Ruby,
        principal_type: String,
        principal_id: u64,
        actions: Vec<String>,
        expired_at: Option<String>,
        granted_by: Option<u64>,
        now: Option<i64>,
    ) -> Result<Self, Error> {
        guard(ruby, || {
            let now = match now {
                Some(now) => now,
                None => clock::now_floor(ruby)?,
            };
            let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
            Permission::from_input(
                &principal_type,
                principal_id,
                &actions,
                expired_at.as_deref(),
                granted_by,
                now,
            )
            .map(Self)
            .map_err(|e| secrets_error(ruby, e))
        })
    }

    fn principal_type(ruby: &Ruby, rb_self: &Self) -> Symbol {
        ruby.to_symbol(match rb_self.0.principal {
            Principal::User(_) => "user",
            Principal::Group(_) => "group",
            Principal::Role(_) => "role",
            Principal::MemberRole(_) => "member_role",
        })
    }

    fn principal_id(&self) -> u64 {
        match self.0.principal {
            Principal::User(id) | Principal::Group(id) | Principal::MemberRole(id) => id,
            Principal::Role(level) => u64::from(level),
        }
    }

    fn actions(ruby: &Ruby, rb_self: &Self) -> RArray {
        ruby.ary_from_iter(rb_self.0.actions.iter().map(|a| ruby.to_symbol(a.as_str())))
    }

    fn expired_at(&self) -> Option<i64> {
        self.0.expired_at
    }

    fn granted_by(&self) -> Option<u64> {
        self.0.granted_by
    }

    fn is_expired(ruby: &Ruby, rb_self: &Self, now: Option<i64>) -> Result<bool, Error> {
        let now = match now {
            Some(now) => now,
            None => clock::now_floor(ruby)?,
        };
        Ok(rb_self.0.expired(now))
    }

    fn policy_name(&self) -> String {
        self.0.principal.policy_name()
    }

    fn to_openbao_policy(&self) -> (String, String) {
        self.0.to_openbao_policy()
    }

    fn openbao_policies(ruby: &Ruby, rb_self: &Self, json: bool) -> Result<RHash, Error> {
        guard(ruby, || {
            let policies = rb_self.0.openbao_policies();
            policies_hash(
                ruby,
                policies.iter().map(|p| (p.name.as_str(), Some(p))),
                json,
            )
        })
    }
}

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let class = module.define_class("Permission", ruby.class_object())?;
    class.define_singleton_method("_new", function!(RbPermission::new, 6))?;
    class.define_method("principal_type", method!(RbPermission::principal_type, 0))?;
    class.define_method("principal_id", method!(RbPermission::principal_id, 0))?;
    class.define_method("actions", method!(RbPermission::actions, 0))?;
    class.define_method("_expired_at", method!(RbPermission::expired_at, 0))?;
    class.define_method("granted_by", method!(RbPermission::granted_by, 0))?;
    class.define_method("_expired", method!(RbPermission::is_expired, 1))?;
    class.define_method("policy_name", method!(RbPermission::policy_name, 0))?;
    class.define_method(
        "to_openbao_policy",
        method!(RbPermission::to_openbao_policy, 0),
    )?;
    class.define_method(
        "_openbao_policies",
        method!(RbPermission::openbao_policies, 1),
    )?;
    Ok(())
}
