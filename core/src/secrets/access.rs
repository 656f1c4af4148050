//! The stored secrets and permissions of one project or group, and the
//! checks made against them.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::ci_policies::{BookKind, CiPolicyBook, PolicyUpdate};
use super::permission::{default_role_permissions, Action, Permission, Principal, ProjectOrGroup};
use super::pipeline::{PipelineClaims, SecretIndex};
use super::{Secret, SecretsError};

/// The person asking: the claims GitLab puts in its user JWT.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserContext {
    /// `user_id`.
    pub user_id: u64,
    /// Groups the user belongs to. The user CEL role still maps them to
    /// `users/direct/group_<id>` policies, but GitLab 19.4 writes no group
    /// grants, so they grant nothing.
    pub group_ids: Vec<u64>,
    /// Effective access level on the project or group (`role_id`), if any.
    pub access_level: Option<u16>,
    /// Closest custom member role (`member_role_id`), if any.
    pub member_role_id: Option<u64>,
}

/// What a person wants to do to a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    /// See the secret and its metadata (metadata `read`).
    ReadMetadata,
    /// Read the value through the API mount (`api/` policy, data `read`).
    ReadValue,
    /// Create a new secret (data `create`).
    Create,
    /// Change an existing secret (data and metadata `update`).
    Update,
    /// Delete a secret (data and metadata `delete`).
    Delete,
}

impl UserAction {
    /// Parses `read`/`read_metadata`, `read_value`, `create`, `update`,
    /// `delete`.
    pub fn parse(text: &str) -> Result<Self, SecretsError> {
        match text {
            "read" | "read_metadata" => Ok(UserAction::ReadMetadata),
            "read_value" => Ok(UserAction::ReadValue),
            "create" => Ok(UserAction::Create),
            "update" => Ok(UserAction::Update),
            "delete" => Ok(UserAction::Delete),
            _ => Err(SecretsError::InvalidAction(text.chars().take(64).collect())),
        }
    }
}

/// What one stored policy grants, as capability flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Grant {
    read_metadata: bool,
    create: bool,
    update: bool,
    delete: bool,
    read_value: bool,
    expired_at: Option<i64>,
}

impl Grant {
    fn from_permission(p: &Permission) -> Self {
        let (data, metadata) = p.management_capabilities();
        Self {
            read_metadata: metadata.contains(&"read"),
            create: data.contains(&"create"),
            update: data.contains(&"update") && metadata.contains(&"update"),
            delete: data.contains(&"delete") && metadata.contains(&"delete"),
            read_value: p.actions.contains(&Action::ReadValue),
            expired_at: p.expired_at,
        }
    }

    fn allows(&self, action: UserAction, now: i64) -> bool {
        if self.expired_at.is_some_and(|at| now >= at) {
            return false;
        }
        match action {
            UserAction::ReadMetadata => self.read_metadata,
            UserAction::ReadValue => self.read_value,
            UserAction::Create => self.create,
            UserAction::Update => self.update,
            UserAction::Delete => self.delete,
        }
    }
}

/// Secrets, permissions and pipeline policies of one project or group.
///
/// Not internally locked: the binding wraps it in a lock (reads are `&self`).
#[derive(Debug, Clone)]
pub struct SecretsModel {
    kind: ProjectOrGroup,
    id: u64,
    grants: HashMap<Principal, Grant>,
    permissions: HashMap<Principal, Permission>,
    index: SecretIndex,
    book: CiPolicyBook,
}

impl SecretsModel {
    /// A freshly provisioned project secrets manager: no secrets, GitLab
    /// 19.4's default role policies (Owner read/write/delete, Maintainer
    /// read/write).
    pub fn new_project(project_id: u64) -> Self {
        Self::new(ProjectOrGroup::Project, project_id)
    }

    /// A freshly provisioned group secrets manager (Owner policy only).
    pub fn new_group(group_id: u64) -> Self {
        Self::new(ProjectOrGroup::Group, group_id)
    }

    fn new(kind: ProjectOrGroup, id: u64) -> Self {
        let mut grants = HashMap::new();
        for permission in default_role_permissions(kind) {
            grants.insert(permission.principal, Grant::from_permission(&permission));
        }
        let book_kind = match kind {
            ProjectOrGroup::Project => BookKind::Project,
            ProjectOrGroup::Group => BookKind::Group,
        };
        Self {
            kind,
            id,
            grants,
            permissions: HashMap::new(),
            index: SecretIndex::default(),
            book: CiPolicyBook::new(book_kind),
        }
    }

    /// Project or group.
    pub fn kind(&self) -> ProjectOrGroup {
        self.kind
    }

    /// Stores (replaces) a permission, as GitLab's update service does: the
    /// principal's whole capability set is replaced. Returns the names of
    /// the principal's policies the new permission no longer has (the `api/`
    /// policy when `read_value` is revoked), which must be deleted in OpenBao
    /// or the revoked access stays there.
    pub fn set_permission(&mut self, permission: Permission) -> Vec<String> {
        let kept: Vec<String> = policy_names(&permission);
        let before = self.policy_names_of(permission.principal);
        self.grants
            .insert(permission.principal, Grant::from_permission(&permission));
        self.permissions.insert(permission.principal, permission);
        before.into_iter().filter(|n| !kept.contains(n)).collect()
    }

    /// Deletes a principal's permission. Returns the names of its policies
    /// to delete in OpenBao: empty when none was stored.
    pub fn delete_permission(&mut self, principal: Principal) -> Vec<String> {
        let names = self.policy_names_of(principal);
        self.permissions.remove(&principal);
        self.grants.remove(&principal);
        names
    }

    /// The policies a principal holds now: a stored permission's, or the
    /// management policy of a default role grant.
    fn policy_names_of(&self, principal: Principal) -> Vec<String> {
        match self.permissions.get(&principal) {
            Some(permission) => policy_names(permission),
            None if self.grants.contains_key(&principal) => vec![principal.policy_name()],
            None => Vec::new(),
        }
    }

    /// Permissions set through [`SecretsModel::set_permission`].
    pub fn permissions(&self) -> impl Iterator<Item = &Permission> {
        self.permissions.values()
    }

    /// Adds or updates a secret; returns the pipeline policies that changed.
    pub fn upsert_secret(&mut self, secret: &Secret) -> Result<PolicyUpdate, SecretsError> {
        let update = self.book.upsert(secret)?;
        self.index.insert(secret)?;
        Ok(update)
    }

    /// Deletes a secret; returns the pipeline policies that changed.
    pub fn remove_secret(&mut self, name: &str) -> PolicyUpdate {
        self.index.remove(name);
        self.book.remove(name)
    }

    /// Number of stored secrets.
    pub fn secret_count(&self) -> usize {
        self.index.len()
    }

    /// Whether a secret of that name is stored.
    pub fn has_secret(&self, name: &str) -> bool {
        self.index.contains(name)
    }

    /// The pipeline policy book (documents for a full sync).
    pub fn ci_policies(&self) -> &CiPolicyBook {
        &self.book
    }

    /// May this person do `action` to the secret `secret_name` at `now`?
    ///
    /// The user's applicable policies are those GitLab's user CEL role
    /// assigns: their user policy, their member role's, and the role policy
    /// of exactly their access level. Expired grants are ignored. Owners
    /// have no access of their own: it comes from the Owner role policy,
    /// as in OpenBao, so deleting that policy takes it away. Reading a value
    /// needs a `read_value` grant, which no default policy has. Actions other
    /// than `Create` need the secret to exist.
    pub fn user_can(
        &self,
        user: &UserContext,
        action: UserAction,
        secret_name: &str,
        now: i64,
    ) -> bool {
        if super::validate_secret_name(secret_name).is_err() {
            return false;
        }
        let exists = self.index.contains(secret_name);
        if action != UserAction::Create && !exists {
            return false;
        }
        let allows = |principal: Principal| {
            self.grants
                .get(&principal)
                .is_some_and(|g| g.allows(action, now))
        };
        allows(Principal::User(user.user_id))
            || user
                .member_role_id
                .is_some_and(|m| allows(Principal::MemberRole(m)))
            || user
                .access_level
                .is_some_and(|l| allows(Principal::Role(l)))
    }

    /// Which stored secrets a CI job may read, from its ID token claims. For
    /// a project the token must carry this project's `project_id`.
    ///
    /// Group secrets are matched with the same rules (environment scope and
    /// protection; a group secret's branch is `*`); the caller checks that
    /// the project belongs to the group (`project_group_ids`).
    pub fn pipeline_secrets(
        &self,
        claims: &Map<String, Value>,
    ) -> Result<Vec<String>, SecretsError> {
        let expected = match self.kind {
            ProjectOrGroup::Project => Some(self.id),
            ProjectOrGroup::Group => None,
        };
        let claims = PipelineClaims::from_claims(claims, expected)?;
        Ok(self.index.readable(&claims))
    }
}

/// A permission's policy names: management, then `api/` if `read_value`.
fn policy_names(permission: &Permission) -> Vec<String> {
    permission
        .openbao_policies()
        .into_iter()
        .map(|policy| policy.name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model() -> SecretsModel {
        let mut m = SecretsModel::new_project(42);
        m.upsert_secret(&Secret::new("DB")).unwrap();
        m
    }

    fn user(level: Option<u16>) -> UserContext {
        UserContext {
            user_id: 7,
            group_ids: vec![3],
            access_level: level,
            member_role_id: None,
        }
    }

    #[test]
    fn default_roles() {
        let m = model();
        let owner = user(Some(50));
        for action in [
            UserAction::ReadMetadata,
            UserAction::Create,
            UserAction::Update,
            UserAction::Delete,
        ] {
            assert!(m.user_can(&owner, action, "DB", 0));
        }
        assert!(!m.user_can(&owner, UserAction::ReadValue, "DB", 0));
        let maintainer = user(Some(40));
        assert!(m.user_can(&maintainer, UserAction::Update, "DB", 0));
        assert!(!m.user_can(&maintainer, UserAction::Delete, "DB", 0));
        // 19.4 provisions no Developer policy.
        let developer = user(Some(30));
        for action in [UserAction::Create, UserAction::ReadMetadata] {
            assert!(!m.user_can(&developer, action, "DB", 0));
        }
        let reporter = user(Some(20));
        assert!(!m.user_can(&reporter, UserAction::ReadMetadata, "DB", 0));
        assert!(!m.user_can(&maintainer, UserAction::ReadMetadata, "MISSING", 0));
        assert!(!m.user_can(&owner, UserAction::ReadMetadata, "bad-name", 0));
    }

    #[test]
    fn owner_access_comes_from_the_owner_policy() {
        let mut m = model();
        let owner = user(Some(50));
        assert!(!m.delete_permission(Principal::Role(50)).is_empty());
        for action in [
            UserAction::ReadMetadata,
            UserAction::Create,
            UserAction::Update,
            UserAction::Delete,
        ] {
            assert!(!m.user_can(&owner, action, "DB", 0));
        }
        let group = SecretsModel::new_group(5);
        assert!(group.grants.contains_key(&Principal::Role(50)));
        assert!(!group.grants.contains_key(&Principal::Role(40)));
    }

    #[test]
    fn revoking_read_value_or_a_permission_names_the_policies_to_delete() {
        let mut m = model();
        let grant =
            |actions: &[&str]| Permission::from_input("User", 7, actions, None, None, 0).unwrap();
        assert!(m.set_permission(grant(&["read", "read_value"])).is_empty());
        assert_eq!(
            m.set_permission(grant(&["read"])),
            vec!["api/users/direct/user_7".to_string()]
        );
        assert!(m.set_permission(grant(&["read", "read_value"])).is_empty());
        assert_eq!(
            m.delete_permission(Principal::User(7)),
            vec![
                "users/direct/user_7".to_string(),
                "api/users/direct/user_7".to_string()
            ]
        );
        assert!(m.delete_permission(Principal::User(7)).is_empty());
        assert_eq!(
            m.delete_permission(Principal::Role(40)),
            vec!["users/roles/40".to_string()]
        );
    }

    #[test]
    fn explicit_grants_and_expiry() {
        let mut m = model();
        let reporter = user(Some(20));
        m.set_permission(
            Permission::from_input(
                "Role",
                20,
                &["read", "read_value", "delete"],
                Some("1970-01-02"),
                None,
                0,
            )
            .unwrap(),
        );
        assert!(m.user_can(&reporter, UserAction::ReadValue, "DB", 0));
        assert!(m.user_can(&reporter, UserAction::Delete, "DB", 86_399));
        assert!(!m.user_can(&reporter, UserAction::Delete, "DB", 86_400));
        assert!(!m.user_can(&reporter, UserAction::Update, "DB", 0));
        m.set_permission(
            Permission::from_input("Role", 20, &["read", "write"], None, None, 0).unwrap(),
        );
        assert!(m.user_can(&reporter, UserAction::Update, "DB", 86_400));
        assert!(!m.delete_permission(Principal::Role(20)).is_empty());
        assert!(!m.user_can(&reporter, UserAction::Update, "DB", 86_400));
        // Group memberships grant nothing (19.4 writes no group policies).
        let outsider = user(None);
        assert!(!m.user_can(&outsider, UserAction::ReadMetadata, "DB", 0));
        let mut member = user(None);
        member.group_ids.clear();
        member.member_role_id = Some(9);
        m.set_permission(
            Permission::from_input("MemberRole", 9, &["read_metadata"], None, None, 0).unwrap(),
        );
        assert!(m.user_can(&member, UserAction::ReadMetadata, "DB", 0));
        assert_eq!(m.permissions().count(), 1);
    }

    #[test]
    fn pipeline_secrets_checks_project() {
        let mut m = model();
        m.upsert_secret(&Secret::new("PROD").scoped("production", "*"))
            .unwrap();
        let claims = json!({"sub": "project_path:g/p", "secrets_manager_scope": "pipeline",
            "project_id": "42", "user_id": 1, "environment": "production"});
        let claims = claims.as_object().cloned().unwrap_or_default();
        assert_eq!(m.pipeline_secrets(&claims).unwrap(), ["DB", "PROD"]);
        let up = m.remove_secret("PROD");
        assert!(up.changes[0].policy.is_none());
        assert_eq!(m.pipeline_secrets(&claims).unwrap(), ["DB"]);
        let other = SecretsModel::new_project(43);
        assert!(other.pipeline_secrets(&claims).is_err());
        assert_eq!(m.ci_policies().policies().len(), 1);
    }
}
