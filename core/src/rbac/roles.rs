//! Role definition tables: which abilities each access level and each custom
//! member role grants. Deserialisable so the host application can pass a
//! Hash or YAML document.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::abilities::{AbilityRegistry, AbilitySet};
use super::{AccessLevel, RbacError};

/// Abilities per access level plus custom member roles.
///
/// `levels` maps a level (name such as `"reporter"` or number such as `"20"`)
/// to the abilities *introduced* at that level; every higher level inherits
/// them. Levels not mentioned introduce nothing.
///
/// ```json
/// { "levels": { "reporter": ["read_project_secrets"], "owner": ["admin_project_secrets_manager"] },
///   "member_roles": [ { "id": 7, "base_access_level": 20, "abilities": ["admin_secrets"] } ] }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleDefinitions {
    /// Abilities introduced at each level (inherited upwards).
    #[serde(default)]
    pub levels: BTreeMap<String, Vec<String>>,
    /// Custom member roles.
    #[serde(default)]
    pub member_roles: Vec<MemberRoleDefinition>,
}

/// A GitLab custom member role: a base access level plus extra abilities.
///
/// As in GitLab, a membership may use a member role only when its access
/// level equals the role's `base_access_level`; the model refuses any other
/// pairing, so a role never lifts a membership above its own level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberRoleDefinition {
    /// The member role id (`member_role_id` on memberships).
    pub id: u64,
    /// The standard level whose abilities the role starts from.
    pub base_access_level: u32,
    /// Abilities the role adds on top of its base level.
    #[serde(default)]
    pub abilities: Vec<String>,
}

/// Abilities introduced per level by the built-in secrets-manager table; see
/// the module documentation for where the names and levels come from.
const DEFAULT_LEVELS: &[(AccessLevel, &[&str])] = &[
    (
        AccessLevel::Reporter,
        &[
            "read_project_secrets_manager_status",
            "read_project_secrets",
            "create_project_secrets",
            "update_project_secrets",
            "delete_project_secrets",
            "create_secrets_manager_api_jwt",
            "read_secrets_manager",
            "read_secret",
            "create_secret",
            "update_secret",
            "delete_secret",
        ],
    ),
    (
        AccessLevel::Owner,
        &[
            "admin_project_secrets_manager",
            "provision_secrets_manager",
            "deprovision_secrets_manager",
            "read_secrets_permission",
            "update_secrets_permission",
            "delete_secrets_permission",
        ],
    ),
];

impl RoleDefinitions {
    /// The built-in table for the secrets manager (GitLab's ability names).
    pub fn secrets_manager_default() -> Self {
        let levels = DEFAULT_LEVELS
            .iter()
            .map(|(level, names)| {
                (
                    level.name().to_owned(),
                    names.iter().map(|n| (*n).to_owned()).collect(),
                )
            })
            .collect();
        Self {
            levels,
            member_roles: Vec::new(),
        }
    }

    /// Parses a JSON definition document.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// A member role resolved to bitsets. Only the role's own abilities are kept:
/// the level part of a grant always comes from the membership's level.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CompiledMemberRole {
    pub(crate) base: AccessLevel,
    pub(crate) extra: AbilitySet,
}

/// Definitions resolved to bitsets: cumulative per level, and per member role.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRoles {
    pub(crate) registry: AbilityRegistry,
    /// Indexed by [`AccessLevel::index`]; each set includes all lower levels.
    pub(crate) level_sets: [AbilitySet; 6],
    pub(crate) member_roles: std::collections::HashMap<u64, CompiledMemberRole>,
}

impl CompiledRoles {
    pub(crate) fn compile(defs: &RoleDefinitions) -> Result<Self, RbacError> {
        let mut registry = AbilityRegistry::default();
        let mut introduced = [AbilitySet::new(); 6];
        for (level_text, names) in &defs.levels {
            let level = AccessLevel::parse(level_text)?;
            for name in names {
                let id = registry.intern(name)?;
                if let Some(set) = introduced.get_mut(level.index()) {
                    set.insert(id);
                }
            }
        }
        let mut level_sets = [AbilitySet::new(); 6];
        let mut running = AbilitySet::new();
        for (slot, intro) in level_sets.iter_mut().zip(introduced.iter()) {
            running.union_with(intro);
            *slot = running;
        }
        let mut member_roles = std::collections::HashMap::new();
        for role in &defs.member_roles {
            let base = AccessLevel::from_value(role.base_access_level)?;
            let mut extra = AbilitySet::new();
            for name in &role.abilities {
                extra.insert(registry.intern(name)?);
            }
            if member_roles
                .insert(role.id, CompiledMemberRole { base, extra })
                .is_some()
            {
                return Err(RbacError::DuplicateMemberRole(role.id));
            }
        }
        Ok(Self {
            registry,
            level_sets,
            member_roles,
        })
    }

    pub(crate) fn level_set(&self, level: AccessLevel) -> AbilitySet {
        self.level_sets
            .get(level.index())
            .copied()
            .unwrap_or_default()
    }

    /// What a membership at `level` with an optional member role grants.
    /// GitLab refuses a member role whose base level differs from the
    /// membership's level, and so does this.
    pub(crate) fn grant(
        &self,
        level: AccessLevel,
        member_role_id: Option<u64>,
    ) -> Result<AbilitySet, RbacError> {
        let Some(role_id) = member_role_id else {
            return Ok(self.level_set(level));
        };
        let role = self
            .member_roles
            .get(&role_id)
            .ok_or(RbacError::UnknownMemberRole(role_id))?;
        if role.base != level {
            return Err(RbacError::MemberRoleLevelMismatch {
                member_role: role_id,
                base: role.base.value(),
                level: level.value(),
            });
        }
        Ok(self.with_member_role(level, role))
    }

    /// The level's abilities plus the role's own. The level part is the
    /// membership's, never the role's base, so even a pairing that slipped
    /// past [`CompiledRoles::grant`] cannot lift a membership above its level.
    fn with_member_role(&self, level: AccessLevel, role: &CompiledMemberRole) -> AbilitySet {
        let mut set = self.level_set(level);
        set.union_with(&role.extra);
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_cumulative() {
        let compiled = CompiledRoles::compile(&RoleDefinitions::secrets_manager_default()).unwrap();
        let read = compiled.registry.id("read_project_secrets").unwrap();
        let admin = compiled
            .registry
            .id("admin_project_secrets_manager")
            .unwrap();
        assert!(!compiled.level_set(AccessLevel::Guest).contains(read));
        assert!(compiled.level_set(AccessLevel::Reporter).contains(read));
        assert!(compiled.level_set(AccessLevel::Owner).contains(read));
        assert!(!compiled.level_set(AccessLevel::Maintainer).contains(admin));
        assert!(compiled.level_set(AccessLevel::Owner).contains(admin));
    }

    #[test]
    fn parses_definition_document() {
        let defs = RoleDefinitions::from_json(
            r#"{"levels": {"20": ["read_x"], "maintainer": ["admin_x"]},
                "member_roles": [{"id": 3, "base_access_level": 10, "abilities": ["read_x", "extra"]}]}"#,
        )
        .unwrap();
        let compiled = CompiledRoles::compile(&defs).unwrap();
        let extra = compiled.registry.id("extra").unwrap();
        let read = compiled.registry.id("read_x").unwrap();
        let set = compiled.grant(AccessLevel::Guest, Some(3)).unwrap();
        assert!(set.contains(extra) && set.contains(read));
        assert!(RoleDefinitions::from_json(r#"{"levelz": {}}"#).is_err());
        let bad_level = RoleDefinitions::from_json(r#"{"levels": {"super": ["x"]}}"#).unwrap();
        assert!(CompiledRoles::compile(&bad_level).is_err());
        let dup = RoleDefinitions::from_json(
            r#"{"member_roles": [{"id": 1, "base_access_level": 10}, {"id": 1, "base_access_level": 20}]}"#,
        )
        .unwrap();
        assert_eq!(
            CompiledRoles::compile(&dup).unwrap_err(),
            RbacError::DuplicateMemberRole(1)
        );
    }

    fn owner_based_role() -> CompiledRoles {
        let defs = RoleDefinitions::from_json(
            r#"{"levels": {"reporter": ["read_x"], "owner": ["admin_x"]},
                "member_roles": [{"id": 5, "base_access_level": 50, "abilities": ["extra"]}]}"#,
        )
        .unwrap();
        CompiledRoles::compile(&defs).unwrap()
    }

    #[test]
    fn member_role_base_must_equal_membership_level() {
        let compiled = owner_based_role();
        for level in AccessLevel::ALL {
            let got = compiled.grant(level, Some(5));
            if level == AccessLevel::Owner {
                assert!(got.is_ok());
            } else {
                assert_eq!(
                    got.unwrap_err(),
                    RbacError::MemberRoleLevelMismatch {
                        member_role: 5,
                        base: 50,
                        level: level.value()
                    }
                );
            }
        }
    }

    #[test]
    fn member_role_never_lifts_the_level_part_of_a_grant() {
        let compiled = owner_based_role();
        let admin = compiled.registry.id("admin_x").unwrap();
        let read = compiled.registry.id("read_x").unwrap();
        let extra = compiled.registry.id("extra").unwrap();
        let role = compiled.member_roles.get(&5).copied().unwrap();
        // A guest paired with an Owner-based role by some other route.
        let guest = compiled.with_member_role(AccessLevel::Guest, &role);
        assert!(!guest.contains(admin) && !guest.contains(read) && guest.contains(extra));
        let owner = compiled.with_member_role(AccessLevel::Owner, &role);
        assert!(owner.contains(admin) && owner.contains(read) && owner.contains(extra));
    }
}
