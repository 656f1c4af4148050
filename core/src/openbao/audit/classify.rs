//! Which GitLab audit event an entry stands for, as GitLab 19.4's
//! `SecretsManagement::AuditLog#get_event_type` decides it:
//!
//! * `request` entries never count (only the `response` entry of a
//!   request is an event);
//! * the scope comes from the login's metadata: `group_id` present means
//!   a group secret (group pipelines carry a `project_id` too), else
//!   `project_id` present means a project secret, else no event;
//! * `read` or `create` of `secrets/kv/data/explicit/<NAME>`, `update` or
//!   `delete` of `secrets/kv/metadata/explicit/<NAME>` (an optional leading
//!   `/`, `NAME` of `[A-Za-z0-9_]+`);
//! * an `update` of the metadata counts only when its `custom_metadata`
//!   has `update_completed_at`: creating and updating a secret both write
//!   the metadata, an update twice, and only the completing write is the
//!   update.
use super::entry::{Entry, EntryType};
use super::event::{Event, EventKind, EventScope};

const DATA_PREFIX: &str = "secrets/kv/data/explicit/";
const METADATA_PREFIX: &str = "secrets/kv/metadata/explicit/";

pub fn classify(entry: &Entry) -> Option<Event> {
    if entry.entry_type == EntryType::Request {
        return None;
    }
    let request = entry.request.as_ref()?;
    let operation = request.operation.as_deref()?;
    let path = request.path.as_deref()?;
    let scope = scope(entry)?;
    let kind = match operation {
        "read" if is_secret_data_path(path) => EventKind::Read,
        "create" if is_secret_data_path(path) => EventKind::Create,
        "delete" if is_secret_metadata_path(path) => EventKind::Delete,
        "update" if is_secret_metadata_path(path) => {
            let completed = request.data.is_some_and(|d| d.update_completed);
            if !completed {
                return None;
            }
            EventKind::Update
        }
        _ => return None,
    };
    Some(Event::new(kind, scope))
}

/// Rails' `presence`: nil for a missing, empty or whitespace-only value.
fn present(entry: &Entry, key: &str) -> bool {
    entry
        .metadata_value(key)
        .is_some_and(|v| !v.chars().all(char::is_whitespace))
}

fn scope(entry: &Entry) -> Option<EventScope> {
    if present(entry, "group_id") {
        Some(EventScope::Group)
    } else if present(entry, "project_id") {
        Some(EventScope::Project)
    } else {
        None
    }
}

/// Ruby's `\A/?<prefix>\w+\z` with ASCII `\w`.
fn matches(path: &str, prefix: &str) -> bool {
    let path = path.strip_prefix('/').unwrap_or(path);
    path.strip_prefix(prefix).is_some_and(is_word)
}

fn is_word(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

pub fn is_secret_data_path(path: &str) -> bool {
    matches(path, DATA_PREFIX)
}

pub fn is_secret_metadata_path(path: &str) -> bool {
    matches(path, METADATA_PREFIX)
}

/// The secret's name in a value or metadata path, if it is one.
pub fn secret_name(path: &str) -> Option<&str> {
    let path = path.strip_prefix('/').unwrap_or(path);
    [DATA_PREFIX, METADATA_PREFIX]
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .filter(|name| is_word(name))
}
