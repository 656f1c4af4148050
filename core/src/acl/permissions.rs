//! The merged permissions of one rule path: what the evaluator decides
//! with and the parameter checks read.

use super::capability::Capabilities;
use super::value::ParamMap;

/// The merged permissions of every rule with one path string.
#[derive(Debug, Clone, PartialEq)]
pub struct Permissions {
    pub capabilities: Capabilities,
    pub allowed_parameters: Option<ParamMap>,
    pub denied_parameters: Option<ParamMap>,
    pub required_parameters: Vec<String>,
    pub min_wrapping_ttl_ns: i64,
    pub max_wrapping_ttl_ns: i64,
    pub mfa_methods: Vec<String>,
    pub pagination_limit: i64,
    pub response_keys_filter_path: String,
}
