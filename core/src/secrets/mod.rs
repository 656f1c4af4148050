//! GitLab's native secrets-manager model, evaluated locally.
//!
//! * [`Secret`]: a named secret scoped to an environment and a branch
//!   ([`Scope`]), optionally protected.
//! * [`Permission`]: who (user, group, role, member role) may do what
//!   (`read`/`read_metadata`, `read_value`, `write`, `delete`) until when, and
//!   the OpenBao policy documents GitLab writes for it
//!   ([`Permission::to_openbao_policy`]).
//! * [`SecretsModel`]: the stored secrets and permissions of one project or
//!   group; answers "may this person do X to secret Y"
//!   ([`SecretsModel::user_can`]) and "which secrets may this CI job read"
//!   ([`SecretsModel::pipeline_secrets`]), and keeps the pipeline ACL policy
//!   documents up to date incrementally ([`CiPolicyBook`]).
//!
//! OpenBao layout reproduced from GitLab (`ee/app/models/secrets_management`,
//! `ee/lib/secrets_management`): values at `secrets/kv/data/explicit/<NAME>`,
//! metadata at `secrets/kv/metadata/explicit/<NAME>`, listings at
//! `secrets/kv/detailed-metadata/explicit/*`.

mod access;
mod ci_policies;
mod permission;
mod pipeline;
mod policy_document;
mod scope;
mod secret;
mod time;

pub use access::{SecretsModel, UserAction, UserContext};
pub use ci_policies::{BookKind, CiPolicyBook, PolicyChange, PolicyUpdate};
pub use permission::{default_role_policies, Action, Permission, Principal, ProjectOrGroup};
pub use pipeline::{
    group_pipeline_policy_names, pipeline_secrets, pipeline_secrets_refs,
    project_pipeline_policy_names, PipelineClaims, SecretIndex,
};
pub use policy_document::{OpenBaoPolicy, PathRule, PolicyDocument};
pub use scope::{scope_matches, Scope};
pub use secret::{validate_secret_name, Secret};
pub use time::{format_rfc3339, parse_timestamp};

/// KV mount of a secrets-manager namespace.
pub const SECRETS_MOUNT_PATH: &str = "secrets/kv";
/// Folder under the mount that holds every secret.
pub const DATA_ROOT: &str = "explicit";

/// `secrets/kv/data/explicit/<key>`: where a secret's value lives.
pub fn data_path(key: &str) -> String {
    format!("{SECRETS_MOUNT_PATH}/data/{DATA_ROOT}/{key}")
}

/// `secrets/kv/metadata/explicit/<key>`: a secret's metadata.
pub fn metadata_path(key: &str) -> String {
    format!("{SECRETS_MOUNT_PATH}/metadata/{DATA_ROOT}/{key}")
}

/// `secrets/kv/detailed-metadata/explicit/<key>`: the listing endpoint.
pub fn detailed_metadata_path(key: &str) -> String {
    format!("{SECRETS_MOUNT_PATH}/detailed-metadata/{DATA_ROOT}/{key}")
}

/// GitLab's `BaseSecretsManager#hex`: lower-case hex of the UTF-8 bytes
/// (`value.unpack1('H*')`), used to put environments and branches into policy
/// names.
pub fn hex(value: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(value.len() * 2);
    for byte in value.bytes() {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// Errors of the secrets-manager model. Messages name the offending field but
/// never include secret values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretsError {
    /// Secret name outside `[A-Za-z0-9_]{1,255}`.
    #[error("secret name must be 1 to 255 characters of A-Z, a-z, 0-9 and _")]
    InvalidSecretName,
    /// An environment or branch scope that is empty or too long.
    #[error("invalid {field} scope: {reason}")]
    InvalidScope {
        /// `environment` or `branch`.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// Two secrets of one list share a name (OpenBao keeps one value per
    /// name, so a list with repeats has no single answer).
    #[error("secret name {0:?} appears more than once")]
    DuplicateSecretName(String),
    /// Description longer than GitLab allows.
    #[error("description is too long (maximum is 200 characters)")]
    DescriptionTooLong,
    /// Unknown principal type (19.4 has no `Group` principal).
    #[error("principal_type must be one of: User, Role, MemberRole")]
    InvalidPrincipalType,
    /// A role grant that is not for Reporter, Developer or Maintainer (19.4's
    /// `VALID_ROLES`).
    #[error("principal_id must be one of: reporter (20), developer (30), maintainer (40)")]
    InvalidRole,
    /// Unknown action name.
    #[error("actions contains invalid action: {0}")]
    InvalidAction(String),
    /// No read action among the actions.
    #[error("actions must include read, read_metadata, or read_value")]
    MissingReadAction,
    /// Unparseable expiry.
    #[error("expired_at has an invalid time format, must be RFC3339 (e.g., 2025-09-01T00:00:00Z)")]
    InvalidExpiry,
    /// Expiry not in the future.
    #[error("expired_at must be in the future")]
    ExpiryInPast,
    /// A pipeline token that the CEL role GitLab installs would refuse; the
    /// text is the CEL program's.
    #[error("{0}")]
    PipelineAuth(&'static str),
    /// A claim of a type the CEL role cannot turn into a string.
    #[error("claim {0:?} has an unsupported type")]
    ClaimType(&'static str),
}
