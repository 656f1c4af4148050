//! GitLab-style role-based access control for GraphQL resolvers.
//!
//! * [`AccessLevel`]s (Guest 10 … Owner 50) map to abilities through a
//!   [`RoleDefinitions`] table; a level includes every ability of the levels
//!   below it.
//! * Custom member roles ([`MemberRoleDefinition`]) add abilities on top of a
//!   base access level; a membership may use one only at exactly that level.
//! * A [`Model`] stores memberships on namespace paths. A membership on
//!   `group/sub` covers `group/sub` and every path below it (`group/sub/app`),
//!   but not a sibling that merely shares the prefix (`group/subway`).
//!
//! Ability names are interned to small integer ids when the model is built, so
//! a check walks at most one hash lookup per path segment and never allocates.
//!
//! ## Default abilities (secrets manager)
//!
//! Names follow GitLab's `EE::ProjectPolicy` / `EE::GroupPolicy`:
//! Reporter and above get `read_project_secrets_manager_status`,
//! `read_project_secrets`, `create_project_secrets`, `update_project_secrets`,
//! `delete_project_secrets` (and the group equivalents `read_secrets_manager`,
//! `read_secret`, `create_secret`, `update_secret`, `delete_secret`), exactly
//! as GitLab enables them for `reporter_access`: the Rails layer admits any
//! Reporter and OpenBao's ACL policies (see [`crate::secrets`]) then decide
//! what the person may really do. `create_secrets_manager_api_jwt` is also a
//! Reporter ability. Owner gets `admin_project_secrets_manager` (as in
//! GitLab), plus the permission-management and provisioning abilities
//! (`read_secrets_permission`, `update_secrets_permission`,
//! `delete_secrets_permission`, `provision_secrets_manager`,
//! `deprovision_secrets_manager`), because managing who may touch secrets is
//! an owner task there. Guest and Planner get no secrets-manager ability.

mod abilities;
mod access_level;
mod model;
mod roles;

pub use abilities::{AbilityId, AbilityRegistry, AbilitySet};
pub use access_level::AccessLevel;
pub use model::{Membership, Model, PARALLEL_FILTER_THRESHOLD};
pub use roles::{MemberRoleDefinition, RoleDefinitions};

/// Errors raised while building or updating an RBAC model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RbacError {
    /// An access level that is not one of GitLab's levels.
    #[error("unknown access level {0}; expected one of 10, 15, 20, 30, 40, 50")]
    UnknownAccessLevel(u32),
    /// An access level name that is not one of GitLab's levels.
    #[error("unknown access level name {0:?}")]
    UnknownAccessLevelName(String),
    /// An ability name that is empty or contains characters other than
    /// ASCII letters, digits and `_`.
    #[error("invalid ability name {0:?}")]
    InvalidAbilityName(String),
    /// More distinct abilities than the model can intern.
    #[error("too many distinct abilities (limit {0})")]
    TooManyAbilities(usize),
    /// A member role id defined twice.
    #[error("member role {0} is defined more than once")]
    DuplicateMemberRole(u64),
    /// A membership refers to a member role that is not defined.
    #[error("unknown member role {0}")]
    UnknownMemberRole(u64),
    /// A membership's access level differs from its member role's base
    /// level; GitLab refuses the same pairing.
    #[error(
        "member role {member_role} has base access level {base} but the membership's access level is {level}; they must be equal"
    )]
    MemberRoleLevelMismatch {
        /// The member role id.
        member_role: u64,
        /// The role's `base_access_level`.
        base: u16,
        /// The membership's access level.
        level: u16,
    },
    /// A namespace path that is empty, has empty segments or surrounding `/`.
    #[error("invalid namespace path {0:?}")]
    InvalidPath(String),
}
