//! OpenBao ACL policies, parsed and evaluated natively with the same
//! answers as OpenBao 2.7.2's `sys/capabilities`.
//!
//! ```
//! use pipeline_guard_core::acl::{Acl, Policy};
//! let p = Policy::parse(r#"path "secrets/kv/data/explicit/*" { capabilities = ["read", "list"] }"#, "p1").unwrap();
//! let acl = Acl::new(&[p]);
//! assert_eq!(acl.capabilities("secrets/kv/data/explicit/DB"), vec!["list", "read"]);
//! assert_eq!(acl.capabilities("other"), vec!["deny"]);
//! ```
//!
//! Layout: [`hcl`] reads HCL v1 / JSON text into a tree; `policy` turns it
//! into path rules; `eval` merges and indexes rules and answers checks.

mod capability;
mod decode;
mod eval;
pub mod hcl;
mod index;
mod params;
mod permissions;
mod policy;
mod request;
mod template;
mod timed;
mod timeparse;
mod value;

pub use capability::Capabilities;
pub use eval::{Acl, Explanation, RuleKind, PARALLEL_THRESHOLD};
pub use permissions::Permissions;
pub use policy::{PathRule, Policy, PolicyError};
pub use request::{Denied, Operation};
pub use template::{TemplateError, TemplateValues};
pub use timed::{AclAt, TimedAcl};
pub use value::{ParamMap, ParamValue};

#[cfg(test)]
mod tests;
