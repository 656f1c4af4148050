//! OpenBao audit entries (the JSON lines its `file`, `socket` and `http`
//! audit devices write) and GitLab's secrets-manager audit events derived
//! from them.
//!
//! * [`Entry`]: one entry, typed; unknown fields are ignored, the fields
//!   read here must have OpenBao's types ([`parse_entry`]).
//! * [`classify`]: the GitLab audit event an entry stands for, if any, as
//!   GitLab 19.4's `SecretsManagement::AuditLog` maps it.
//! * [`Actor`]: who acted (user, CI job, project or group) as read from the
//!   auth metadata GitLab's JWT logins attach.
//! * [`parse_many`]: newline-delimited entries, as an audit file holds them.

mod actor;
mod batch;
mod classify;
mod entry;
mod error;
mod event;
mod object;
mod request_data;

pub use actor::Actor;
pub use batch::{parse_many, parse_many_with};
pub use classify::{classify, is_secret_data_path, is_secret_metadata_path, secret_name};
pub use entry::{parse_entry, Auth, Entry, EntryType, Namespace, Request, MAX_ENTRY_BYTES};
pub use error::AuditError;
pub use event::{Event, EventKind, EventScope};
pub use request_data::RequestData;

#[cfg(test)]
mod tests;
