//! One OpenBao audit entry (OpenBao 2.7 `audit.AuditRequestEntry` /
//! `AuditResponseEntry`), as its JSON formatter writes it. Only the fields
//! GitLab's audit events and this crate's callers read are typed; every
//! other field (response bodies, headers, wrap info ...) is skipped
//! without being built. Values OpenBao HMACs (tokens, request data) keep
//! their `hmac-sha256:` text: nothing here can or tries to undo that.
use std::collections::BTreeMap;

use serde::Deserialize;

use super::error::AuditError;
use super::object::{object, optional_object};
use super::request_data::RequestData;

/// GitLab's ingestion endpoint refuses bodies of 1 MiB and more
/// (`content_length < 1.megabyte`); so does [`parse_entry`].
pub const MAX_ENTRY_BYTES: usize = 1024 * 1024 - 1;

/// OpenBao writes a `request` entry before it handles a request and a
/// `response` entry after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryType {
    Request,
    Response,
}

impl EntryType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryType::Request => "request",
            EntryType::Response => "response",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Entry {
    #[serde(rename = "type")]
    pub entry_type: EntryType,
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default, deserialize_with = "optional_object")]
    pub auth: Option<Auth>,
    #[serde(default, deserialize_with = "optional_object")]
    pub request: Option<Request>,
    /// OpenBao's error text for a failed request (a response entry).
    #[serde(default)]
    pub error: Option<String>,
}

/// The token that made the request (`audit.Auth`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Auth {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub policies: Option<Vec<String>>,
    #[serde(default)]
    pub token_policies: Option<Vec<String>>,
    /// The login's metadata: for GitLab's JWT logins `user_id`,
    /// `project_id`, `group_id`, `pipeline_id`, `job_id`, `correlation_id`.
    /// OpenBao's type is `map[string]string`.
    #[serde(default)]
    pub metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub entity_id: Option<String>,
    #[serde(default)]
    pub token_type: Option<String>,
    /// HMAC'd unless the device sets `hmac_accessor = false`.
    #[serde(default)]
    pub accessor: Option<String>,
}

/// The request (`audit.Request`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Request {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub operation: Option<String>,
    /// Relative to [`Request::namespace`].
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default, deserialize_with = "optional_object")]
    pub namespace: Option<Namespace>,
    #[serde(default)]
    pub remote_address: Option<String>,
    #[serde(default)]
    pub mount_type: Option<String>,
    #[serde(default)]
    pub mount_point: Option<String>,
    /// Only what GitLab reads of it (see [`RequestData`]).
    #[serde(default)]
    pub data: Option<RequestData>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Namespace {
    #[serde(default)]
    pub id: Option<String>,
    /// `org_1/group_2/project_3/` (with the trailing `/`); absent for root.
    #[serde(default)]
    pub path: Option<String>,
}

impl Entry {
    pub fn operation(&self) -> Option<&str> {
        self.request.as_ref()?.operation.as_deref()
    }

    pub fn path(&self) -> Option<&str> {
        self.request.as_ref()?.path.as_deref()
    }

    pub fn namespace_path(&self) -> Option<&str> {
        self.request.as_ref()?.namespace.as_ref()?.path.as_deref()
    }

    pub fn remote_address(&self) -> Option<&str> {
        self.request.as_ref()?.remote_address.as_deref()
    }

    pub fn metadata(&self) -> Option<&BTreeMap<String, String>> {
        self.auth.as_ref()?.metadata.as_ref()
    }

    /// One metadata value.
    pub fn metadata_value(&self, key: &str) -> Option<&str> {
        self.metadata()?.get(key).map(String::as_str)
    }
}

/// Parses one entry: UTF-8 JSON (the whole text, skipped strings too), an
/// object of at most [`MAX_ENTRY_BYTES`] bytes. Nesting cannot exhaust the
/// stack: the typed fields are a few levels deep (serde_json's recursion
/// limit of 128 guards them) and serde_json skips everything else without
/// recursing. Surrounding whitespace (a line's `\n`) is allowed.
pub fn parse_entry(bytes: &[u8]) -> Result<Entry, AuditError> {
    if bytes.len() > MAX_ENTRY_BYTES {
        return Err(AuditError::TooLarge {
            size: bytes.len(),
            max: MAX_ENTRY_BYTES,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AuditError::Empty);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        AuditError::Syntax(format!(
            "invalid UTF-8 at byte {} (OpenBao writes UTF-8)",
            e.valid_up_to()
        ))
    })?;
    let mut de = serde_json::Deserializer::from_str(text);
    let entry = object(&mut de).and_then(|entry| de.end().map(|()| entry));
    entry.map_err(|e| {
        // serde_json calls a JSON value of the wrong kind for an enum tag a
        // syntax error; the input is JSON all the same.
        if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
            AuditError::Shape(AuditError::from_json(&e).detail())
        } else {
            AuditError::from_json(&e)
        }
    })
}
