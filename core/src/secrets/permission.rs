//! Secrets permissions and the OpenBao policies GitLab writes for them
//! (`BaseSecretsPermission`, `SecretsPermissions::UpdateServiceHelpers`,
//! `SecretsManagers::DefaultRolePoliciesHelper`), as of GitLab 19.4.

use super::policy_document::{OpenBaoPolicy, PolicyDocument};
use super::time::{format_rfc3339, parse_timestamp};
use super::{data_path, detailed_metadata_path, metadata_path, SecretsError};

/// Who a permission is for. GitLab 19.4 has no group principal: its
/// `BaseSecretsPermission` subclasses dropped the group checks and its
/// `PrincipalType` enum offers `USER`, `MEMBER_ROLE` and `ROLE` only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Principal {
    /// A user id.
    User(u64),
    /// An access level: 20, 30 or 40 for a grant; 50 only as the Owner
    /// default role policy written at provisioning.
    Role(u16),
    /// A custom member role id.
    MemberRole(u64),
}

impl Principal {
    /// Builds a principal from GitLab's type names (`User`, `Role`,
    /// `MemberRole`; snake case accepted too). Names a stored policy, so role
    /// 50 (the Owner default) is accepted here; [`Permission::new`] refuses
    /// it as a grant.
    pub fn from_type(principal_type: &str, id: u64) -> Result<Self, SecretsError> {
        let principal = match principal_type {
            "User" | "user" | "USER" => Principal::User(id),
            "MemberRole" | "member_role" | "MEMBER_ROLE" => Principal::MemberRole(id),
            "Role" | "role" | "ROLE" => {
                Principal::Role(u16::try_from(id).map_err(|_| SecretsError::InvalidRole)?)
            }
            _ => return Err(SecretsError::InvalidPrincipalType),
        };
        principal.validate()?;
        Ok(principal)
    }

    fn validate(&self) -> Result<(), SecretsError> {
        match self {
            Principal::Role(20 | 30 | 40 | 50) => Ok(()),
            Principal::Role(_) => Err(SecretsError::InvalidRole),
            _ => Ok(()),
        }
    }

    /// GitLab's `policy_name_for_principal`: `users/direct/user_<id>`,
    /// `users/direct/member_role_<id>` or `users/roles/<level>`.
    pub fn policy_name(&self) -> String {
        match self {
            Principal::User(id) => format!("users/direct/user_{id}"),
            Principal::MemberRole(id) => format!("users/direct/member_role_{id}"),
            Principal::Role(level) => format!("users/roles/{level}"),
        }
    }

    /// `api/` + [`Principal::policy_name`], the read-only API mount's policy.
    pub fn api_policy_name(&self) -> String {
        format!("api/{}", self.policy_name())
    }
}

/// A permission action as GitLab names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Deprecated alias of `read_metadata`.
    Read,
    /// Read a secret's metadata (existence, scopes, description).
    ReadMetadata,
    /// Read a secret's value, through the API mount only.
    ReadValue,
    /// Create and update (OpenBao `create` + `update`).
    Write,
    /// Delete.
    Delete,
}

impl Action {
    /// Parses GitLab's action names (`read`, `read_metadata`, `read_value`,
    /// `write`, `delete`; upper case accepted for GraphQL enums).
    pub fn parse(text: &str) -> Result<Self, SecretsError> {
        match text.to_ascii_lowercase().as_str() {
            "read" => Ok(Action::Read),
            "read_metadata" => Ok(Action::ReadMetadata),
            "read_value" => Ok(Action::ReadValue),
            "write" => Ok(Action::Write),
            "delete" => Ok(Action::Delete),
            _ => Err(SecretsError::InvalidAction(text.chars().take(64).collect())),
        }
    }

    /// GitLab's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::ReadMetadata => "read_metadata",
            Action::ReadValue => "read_value",
            Action::Write => "write",
            Action::Delete => "delete",
        }
    }
}

/// Whether a permission targets a project or a group secrets manager; only
/// the default role policies differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectOrGroup {
    /// Project secrets manager.
    Project,
    /// Group secrets manager.
    Group,
}

/// A validated secrets permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permission {
    /// Who.
    pub principal: Principal,
    /// What, deduplicated, in the order given.
    pub actions: Vec<Action>,
    /// Unix seconds after which the grant no longer applies.
    pub expired_at: Option<i64>,
    /// User id that granted it (OpenBao `comment`).
    pub granted_by: Option<u64>,
}

/// Capabilities GitLab adds to every management path besides the granted ones.
const INTERNAL_CAPABILITIES: [&str; 2] = ["list", "scan"];

impl Permission {
    /// Validates and builds a permission. At least one of `read`,
    /// `read_metadata` or `read_value` is required, and a role grant is for
    /// Reporter, Developer or Maintainer only (19.4's `VALID_ROLES` leave out
    /// Owner), as in GitLab.
    pub fn new(
        principal: Principal,
        actions: &[Action],
        expired_at: Option<i64>,
        granted_by: Option<u64>,
    ) -> Result<Self, SecretsError> {
        principal.validate()?;
        if principal == Principal::Role(50) {
            return Err(SecretsError::InvalidRole);
        }
        let mut unique = Vec::with_capacity(actions.len());
        for action in actions {
            if !unique.contains(action) {
                unique.push(*action);
            }
        }
        if !unique
            .iter()
            .any(|a| matches!(a, Action::Read | Action::ReadMetadata | Action::ReadValue))
        {
            return Err(SecretsError::MissingReadAction);
        }
        Ok(Self {
            principal,
            actions: unique,
            expired_at,
            granted_by,
        })
    }

    /// Builds a permission from the strings GraphQL passes. `expired_at` is
    /// RFC 3339 or a date and must lie after `now`.
    pub fn from_input(
        principal_type: &str,
        principal_id: u64,
        actions: &[&str],
        expired_at: Option<&str>,
        granted_by: Option<u64>,
        now: i64,
    ) -> Result<Self, SecretsError> {
        let principal = Principal::from_type(principal_type, principal_id)?;
        let actions = actions
            .iter()
            .map(|a| Action::parse(a))
            .collect::<Result<Vec<_>, _>>()?;
        let expired_at = match expired_at.map(str::trim).filter(|s| !s.is_empty()) {
            Some(text) => {
                let at = parse_timestamp(text)?;
                if at <= now {
                    return Err(SecretsError::ExpiryInPast);
                }
                Some(at)
            }
            None => None,
        };
        Self::new(principal, &actions, expired_at, granted_by)
    }

    fn has(&self, action: Action) -> bool {
        self.actions.contains(&action)
    }

    /// Whether the grant has lapsed at `now`.
    pub fn expired(&self, now: i64) -> bool {
        self.expired_at.is_some_and(|at| now >= at)
    }

    /// GitLab's `management_capabilities`: `(data, metadata)` capabilities
    /// for the user mount. Never a read on the data path.
    pub fn management_capabilities(&self) -> (Vec<&'static str>, Vec<&'static str>) {
        let mut data: Vec<&'static str> = Vec::new();
        let mut metadata: Vec<&'static str> = Vec::new();
        let add = |set: &mut Vec<&'static str>, cap: &'static str| {
            if !set.contains(&cap) {
                set.push(cap);
            }
        };
        for action in &self.actions {
            match action {
                Action::Read | Action::ReadMetadata => add(&mut metadata, "read"),
                Action::Write => {
                    add(&mut data, "create");
                    add(&mut data, "update");
                    add(&mut metadata, "create");
                    add(&mut metadata, "update");
                }
                Action::Delete => {
                    add(&mut data, "delete");
                    add(&mut metadata, "delete");
                }
                Action::ReadValue => {}
            }
        }
        (data, metadata)
    }

    /// The management policy (user mount) GitLab writes for this permission.
    pub fn management_policy(&self) -> OpenBaoPolicy {
        let (data, metadata) = self.management_capabilities();
        OpenBaoPolicy {
            name: self.principal.policy_name(),
            document: self.render(&data, &metadata, true),
        }
    }

    /// The read-only API policy, present only when `read_value` is granted
    /// (GitLab deletes `api/<name>` otherwise).
    pub fn api_policy(&self) -> Option<OpenBaoPolicy> {
        self.has(Action::ReadValue).then(|| OpenBaoPolicy {
            name: self.principal.api_policy_name(),
            document: self.render(&["read"], &["list"], false),
        })
    }

    /// Both policies: management first, then the API policy if any.
    pub fn openbao_policies(&self) -> Vec<OpenBaoPolicy> {
        let mut out = vec![self.management_policy()];
        out.extend(self.api_policy());
        out
    }

    /// `(name, hcl)` of the management policy.
    pub fn to_openbao_policy(&self) -> (String, String) {
        let policy = self.management_policy();
        let hcl = policy.hcl();
        (policy.name, hcl)
    }

    /// `update_policy_paths`: data, metadata and detailed-metadata wildcard
    /// paths; management policies also get `list`/`scan` on the first two.
    fn render(
        &self,
        data: &[&'static str],
        metadata: &[&'static str],
        internal: bool,
    ) -> PolicyDocument {
        let extra: &[&'static str] = if internal {
            &INTERNAL_CAPABILITIES
        } else {
            &[]
        };
        let expiration = self.expired_at.map(format_rfc3339);
        let mut doc = PolicyDocument::default();
        for (path, caps) in [(data_path("*"), data), (metadata_path("*"), metadata)] {
            if caps.is_empty() && extra.is_empty() {
                continue;
            }
            let rule = doc.rule_mut(&path);
            caps.iter().chain(extra).for_each(|c| rule.add(c));
        }
        doc.rule_mut(&detailed_metadata_path("*")).add("list");
        for (_, rule) in &mut doc.paths {
            rule.comment = self.granted_by;
            rule.expiration.clone_from(&expiration);
        }
        doc
    }
}

/// The role policies GitLab 19.4 writes when a secrets manager is
/// provisioned (`DefaultRolePoliciesHelper`): for a project Owner (read,
/// write, delete) and Maintainer (read, write); for a group Owner only.
/// Developers and Reporters get nothing until granted.
pub fn default_role_policies(kind: ProjectOrGroup) -> Vec<OpenBaoPolicy> {
    default_role_permissions(kind)
        .iter()
        .map(Permission::management_policy)
        .collect()
}

pub(crate) fn default_role_permissions(kind: ProjectOrGroup) -> Vec<Permission> {
    // Built directly: role 50 is valid only here, never as a grant.
    let role = |level: u16, actions: &[Action]| Permission {
        principal: Principal::Role(level),
        actions: actions.to_vec(),
        expired_at: None,
        granted_by: None,
    };
    let owner = role(50, &[Action::Read, Action::Write, Action::Delete]);
    match kind {
        ProjectOrGroup::Group => vec![owner],
        ProjectOrGroup::Project => vec![owner, role(40, &[Action::Read, Action::Write])],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names() {
        assert_eq!(Principal::User(7).policy_name(), "users/direct/user_7");
        assert_eq!(
            Principal::MemberRole(3).policy_name(),
            "users/direct/member_role_3"
        );
        assert_eq!(Principal::Role(30).policy_name(), "users/roles/30");
        assert_eq!(
            Principal::User(7).api_policy_name(),
            "api/users/direct/user_7"
        );
        assert_eq!(
            Principal::from_type("Role", 10),
            Err(SecretsError::InvalidRole)
        );
        assert_eq!(
            Principal::from_type("Robot", 1),
            Err(SecretsError::InvalidPrincipalType)
        );
        // 19.4 has no group principal.
        for name in ["Group", "group", "GROUP"] {
            assert_eq!(
                Principal::from_type(name, 3),
                Err(SecretsError::InvalidPrincipalType)
            );
        }
        assert_eq!(Principal::from_type("Role", 50), Ok(Principal::Role(50)));
    }

    #[test]
    fn management_policy_matches_gitlab() {
        let p = Permission::from_input("User", 7, &["read", "write"], None, None, 0).unwrap();
        let policy = p.management_policy();
        assert_eq!(policy.name, "users/direct/user_7");
        assert_eq!(
            policy.json(),
            concat!(
                r#"{"path":{"secrets/kv/data/explicit/*":{"capabilities":["create","update","list","scan"]},"#,
                r#""secrets/kv/metadata/explicit/*":{"capabilities":["read","create","update","list","scan"]},"#,
                r#""secrets/kv/detailed-metadata/explicit/*":{"capabilities":["list"]}}}"#
            )
        );
        assert!(p.api_policy().is_none());
        assert!(policy.hcl().starts_with(
            "path \"secrets/kv/data/explicit/*\" {\n  capabilities = [\"create\", \"update\", \"list\", \"scan\"]\n}\n"
        ));
        // People never get read on the value path from the management policy.
        let all = Permission::from_input(
            "User",
            7,
            &["read", "read_value", "write", "delete"],
            None,
            None,
            0,
        )
        .unwrap();
        let mgmt = all.management_policy();
        let data_rule = &mgmt.document.paths[0];
        assert_eq!(data_rule.0, "secrets/kv/data/explicit/*");
        assert!(!data_rule.1.capabilities.contains(&"read"));
        let api = all.api_policy().unwrap();
        assert_eq!(api.name, "api/users/direct/user_7");
        assert_eq!(
            api.json(),
            concat!(
                r#"{"path":{"secrets/kv/data/explicit/*":{"capabilities":["read"]},"#,
                r#""secrets/kv/metadata/explicit/*":{"capabilities":["list"]},"#,
                r#""secrets/kv/detailed-metadata/explicit/*":{"capabilities":["list"]}}}"#
            )
        );
        assert_eq!(all.openbao_policies().len(), 2);
    }

    #[test]
    fn expiry_and_granted_by_are_written() {
        let p =
            Permission::from_input("Role", 20, &["read"], Some("2030-01-02"), Some(1), 0).unwrap();
        let (name, hcl) = p.to_openbao_policy();
        assert_eq!(name, "users/roles/20");
        assert!(hcl.contains("expiration = \"2030-01-02T00:00:00Z\""));
        assert!(hcl.contains("comment = \"1\""));
        assert!(p
            .management_policy()
            .json()
            .contains(r#""comment":1,"expiration":"2030-01-02T00:00:00Z""#));
        assert!(!p.expired(0));
        assert!(p.expired(p.expired_at.unwrap()));
    }

    #[test]
    fn validation_follows_gitlab() {
        assert_eq!(
            Permission::from_input("User", 1, &["write"], None, None, 0),
            Err(SecretsError::MissingReadAction)
        );
        assert!(matches!(
            Permission::from_input("User", 1, &["read", "admin"], None, None, 0),
            Err(SecretsError::InvalidAction(_))
        ));
        assert_eq!(
            Permission::from_input(
                "User",
                1,
                &["read"],
                Some("2020-01-01"),
                None,
                1_700_000_000
            ),
            Err(SecretsError::ExpiryInPast)
        );
        assert_eq!(
            Permission::from_input("User", 1, &["read"], Some("soon"), None, 0),
            Err(SecretsError::InvalidExpiry)
        );
        assert!(Permission::from_input("User", 1, &["read_value"], None, None, 0).is_ok());
        assert_eq!(
            Permission::from_input("Group", 1, &["read_value"], None, None, 0),
            Err(SecretsError::InvalidPrincipalType)
        );
        // 19.4's VALID_ROLES: reporter, developer, maintainer; not owner.
        for level in [20, 30, 40] {
            assert!(Permission::from_input("Role", level, &["read"], None, None, 0).is_ok());
        }
        for level in [10, 15, 50, 60] {
            assert_eq!(
                Permission::from_input("Role", level, &["read"], None, None, 0),
                Err(SecretsError::InvalidRole)
            );
        }
        assert_eq!(
            SecretsError::InvalidRole.to_string(),
            "principal_id must be one of: reporter (20), developer (30), maintainer (40)"
        );
        assert_eq!(
            SecretsError::InvalidPrincipalType.to_string(),
            "principal_type must be one of: User, Role, MemberRole"
        );
    }

    #[test]
    fn default_roles() {
        // 19.4: project Owner (read, write, delete) and Maintainer (read,
        // write); group Owner only; no Developer policy.
        let project = default_role_policies(ProjectOrGroup::Project);
        let names: Vec<_> = project.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["users/roles/50", "users/roles/40"]);
        assert_eq!(
            project[0].json(),
            concat!(
                r#"{"path":{"secrets/kv/data/explicit/*":{"capabilities":["create","update","delete","list","scan"]},"#,
                r#""secrets/kv/metadata/explicit/*":{"capabilities":["read","create","update","delete","list","scan"]},"#,
                r#""secrets/kv/detailed-metadata/explicit/*":{"capabilities":["list"]}}}"#
            )
        );
        assert_eq!(
            project[1].json(),
            concat!(
                r#"{"path":{"secrets/kv/data/explicit/*":{"capabilities":["create","update","list","scan"]},"#,
                r#""secrets/kv/metadata/explicit/*":{"capabilities":["read","create","update","list","scan"]},"#,
                r#""secrets/kv/detailed-metadata/explicit/*":{"capabilities":["list"]}}}"#
            )
        );
        let group = default_role_policies(ProjectOrGroup::Group);
        assert_eq!(group.len(), 1);
        assert_eq!(group[0], project[0]);
    }
}
