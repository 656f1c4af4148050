//! `PipelineGuard::SecretsManager::Permission`: who may do what to a
//! secrets manager's secrets, and the OpenBao policies GitLab writes for it.
//! Immutable.
use magnus::{
    function, method,
    prelude::*,
    scan_args::{get_kwargs, scan_args},
    typed_data::Obj,
    Error, RArray, RClass, RHash, RModule, Ruby, Symbol, TryConvert, Value,
};
use pipeline_guard_core::secrets::{default_role_policies, Permission, Principal, ProjectOrGroup};

use crate::helpers::clock;
use crate::helpers::errors::{self, Class};
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

/// `PipelineGuard::<path>` (a module or class constant).
fn constant<T: TryConvert>(ruby: &Ruby, path: &[&str]) -> Result<T, Error> {
    let mut at: Value = ruby.class_object().const_get("PipelineGuard")?;
    for name in path {
        at = RModule::try_convert(at)?.const_get(*name)?;
    }
    T::try_convert(at)
}

impl RbPermission {
    /// `Permission.new(principal_type:, principal_id:, actions:,
    /// expired_at: nil, granted_by: nil, now: nil)`, keywords parsed here.
    /// `principal_type`: :user, :role or :member_role (or their
    /// Strings); a :role `principal_id` may name an access level
    /// (`RBAC::ACCESS_LEVELS`); `expired_at`: Time, Date, RFC 3339 String
    /// or unix seconds; `now` as `RBAC.unix` reads it. The result is frozen.
    fn new(ruby: &Ruby, args: &[Value]) -> Result<Obj<Self>, Error> {
        let args = scan_args::<(), (), (), (), RHash, ()>(args)?;
        type Optional = (Option<Value>, Option<Value>, Option<Value>);
        let kw = get_kwargs::<_, (Value, Value, Value), Optional, ()>(
            args.keywords,
            &["principal_type", "principal_id", "actions"],
            &["expired_at", "granted_by", "now"],
        )?;
        let (principal_type, principal_id, actions) = kw.required;
        let (expired_at, granted_by, now) = kw.optional;
        let type_name: String = principal_type.funcall("to_s", ())?;
        let principal_type = match type_name.as_str() {
            "user" => "User",
            "role" => "Role",
            "member_role" => "MemberRole",
            _ => {
                return Err(errors::error(
                    ruby,
                    Class::SecretsInvalidRecord,
                    "principal_type must be one of: User, Role, MemberRole",
                ))
            }
        };
        let principal_id = match Symbol::from_value(principal_id) {
            Some(sym) => {
                let levels: RHash = constant(ruby, &["RBAC", "ACCESS_LEVELS"])?;
                levels.get(sym).unwrap_or(principal_id)
            }
            None => principal_id,
        };
        let actions: RArray = ruby.module_kernel().funcall("Array", (actions,))?;
        let actions = actions
            .into_iter()
            .map(|a| a.funcall("to_s", ()))
            .collect::<Result<Vec<String>, Error>>()?;
        let class: RClass = constant(ruby, &["SecretsManager", "Permission"])?;
        let expired_at: Option<String> = class.funcall("expiry_text", (expired_at,))?;
        let now: Option<i64> = match now.filter(|v| !v.is_nil()) {
            Some(v) => constant::<RModule>(ruby, &["RBAC"])?.funcall("unix", (v,))?,
            None => None,
        };
        let permission = Self::build(
            ruby,
            principal_type,
            u64::try_convert(principal_id)?,
            actions,
            expired_at,
            Option::<u64>::try_convert(granted_by.unwrap_or_else(|| ruby.qnil().as_value()))?,
            now,
        )?;
        let obj = ruby.obj_wrap(permission);
        obj.freeze();
        Ok(obj)
    }

    fn build(
        ruby: &Ruby,
        principal_type: &str,
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
                principal_type,
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
            Principal::Role(_) => "role",
            Principal::MemberRole(_) => "member_role",
        })
    }

    fn principal_id(&self) -> u64 {
        match self.0.principal {
            Principal::User(id) | Principal::MemberRole(id) => id,
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

/// `Permission._default_role_policies(kind, json)`: the role policies a
/// freshly provisioned secrets manager gets; `kind` is "project" or "group".
fn default_policies(ruby: &Ruby, kind: String, json: bool) -> Result<RHash, Error> {
    let kind = match kind.as_str() {
        "project" => ProjectOrGroup::Project,
        "group" => ProjectOrGroup::Group,
        _ => {
            return Err(Error::new(
                ruby.exception_arg_error(),
                "kind must be :project or :group",
            ))
        }
    };
    guard(ruby, || {
        let policies = default_role_policies(kind);
        policies_hash(
            ruby,
            policies.iter().map(|p| (p.name.as_str(), Some(p))),
            json,
        )
    })
}

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let class = module.define_class("Permission", ruby.class_object())?;
    class.define_singleton_method("new", function!(RbPermission::new, -1))?;
    class.define_singleton_method("_default_role_policies", function!(default_policies, 2))?;
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
