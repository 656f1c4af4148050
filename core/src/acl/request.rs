//! What a request asks of an ACL ([`Operation`]) and why the ACL refused
//! it ([`Denied`]).

use super::capability::Capabilities;

/// An operation to authorize, as OpenBao's request operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Read,
    Update,
    Patch,
    Delete,
    List,
    Scan,
}

impl Operation {
    /// Parses `create`, `read`, `update`, `patch`, `delete`, `list`, `scan`.
    pub fn from_name(name: &str) -> Option<Operation> {
        Some(match name {
            "create" => Operation::Create,
            "read" => Operation::Read,
            "update" => Operation::Update,
            "patch" => Operation::Patch,
            "delete" => Operation::Delete,
            "list" => Operation::List,
            "scan" => Operation::Scan,
            _ => return None,
        })
    }

    pub(crate) fn capability(self) -> Capabilities {
        match self {
            Operation::Create => Capabilities::CREATE,
            Operation::Read => Capabilities::READ,
            Operation::Update => Capabilities::UPDATE,
            Operation::Patch => Capabilities::PATCH,
            Operation::Delete => Capabilities::DELETE,
            Operation::List => Capabilities::LIST,
            Operation::Scan => Capabilities::SCAN,
        }
    }

    pub(crate) fn is_list_like(self) -> bool {
        matches!(self, Operation::List | Operation::Scan)
    }
}

/// Why [`Acl::authorize`](super::Acl::authorize) refused a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("permission denied: no rule grants {0} on this path")]
    Capability(&'static str),
    #[error("permission denied: the rule requires a response-wrapping TTL")]
    WrappingTtl,
    #[error("permission denied: required parameter {0:?} is missing")]
    MissingParameter(String),
    #[error("permission denied: parameter {0:?} is denied")]
    DeniedParameter(String),
    #[error("permission denied: parameter {0:?} is not allowed")]
    NotAllowedParameter(String),
    #[error("permission denied: invalid pagination limit")]
    PaginationLimit,
}
