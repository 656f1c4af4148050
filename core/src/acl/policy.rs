//! OpenBao ACL policy documents: parsing (HCL or JSON) into path rules with
//! the same accept/reject decisions and error texts as OpenBao 2.7.2.

use super::capability::Capabilities;
use super::decode;
use super::hcl::{self, HclError, Node, ObjectItem, ObjectList};
use super::permissions::Permissions;
use super::template;
use super::timeparse;
use super::value::{ParamMap, ParamValue};
use crate::gocompat::{go_quote, multierror};

/// Why a policy was refused. `Display` gives OpenBao's message verbatim
/// (for example `failed to parse policy: At 3:1: ...`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The text is not valid HCL/JSON; carries line:column.
    #[error("failed to parse policy: {0}")]
    Syntax(HclError),
    /// The text parsed but a rule is invalid (bad capability, bad key, ...).
    #[error("failed to parse policy: {0}")]
    Invalid(String),
    /// The text is empty.
    #[error("'policy' parameter not supplied or empty")]
    Empty,
}

/// One `path "..." { ... }` rule after parsing.
#[derive(Debug, Clone, PartialEq)]
pub struct PathRule {
    /// The key as written (may hold `{{...}}` templates).
    pub raw_path: String,
    /// The path as OpenBao indexes it: leading `/` and (for plain prefix
    /// rules) the trailing `*` removed. For templated rules this is the
    /// unsubstituted form; the ACL substitutes at build time.
    pub path: String,
    /// Trailing `*` rule without `+` segments.
    pub is_prefix: bool,
    /// Has a `+` segment; `path` then keeps its trailing `*`.
    pub has_segment_wildcards: bool,
    /// The key contains identity templates.
    pub templated: bool,
    /// What the rule grants (a `deny` rule carries only its capabilities).
    pub perms: Permissions,
    /// Unix seconds after which the rule no longer applies.
    pub expiration: Option<i64>,
}

/// A parsed ACL policy. Immutable; cheap to share between threads.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    name: String,
    rules: Vec<PathRule>,
    templated: bool,
}

const TOP_LEVEL_KEYS: &[&str] = &["name", "path"];
const PATH_KEYS: &[&str] = &[
    "comment",
    "policy",
    "capabilities",
    "allowed_parameters",
    "denied_parameters",
    "required_parameters",
    "min_wrapping_ttl",
    "max_wrapping_ttl",
    "mfa_methods",
    "pagination_limit",
    "expiration",
    "list_scan_response_keys_filter_path",
    "control_group",
];

impl Policy {
    /// Parses policy text (HCL, or JSON when it starts with `{`) under the
    /// given name. Rules whose `expiration` has passed are dropped, as
    /// OpenBao drops them.
    pub fn parse(text: &str, name: &str) -> Result<Policy, PolicyError> {
        Self::parse_at(text, name, timeparse::now_unix())
    }

    /// [`Policy::parse`] with an explicit "now" (unix seconds), for tests.
    pub fn parse_at(text: &str, name: &str, now_unix: i64) -> Result<Policy, PolicyError> {
        // OpenBao's sys/policies/acl endpoint refuses an empty text before
        // parsing (whitespace alone parses, to a policy without rules).
        if text.is_empty() {
            return Err(PolicyError::Empty);
        }
        let root = hcl::parse(text).map_err(PolicyError::Syntax)?;
        check_keys(&root, TOP_LEVEL_KEYS).map_err(PolicyError::Invalid)?;
        // OpenBao decodes `name` too (and fails on a non-string one).
        decode::for_field(&root, "name", "root.name", |name, node| {
            decode::string(name, node).map(|_| ())
        })
        .map_err(PolicyError::Invalid)?;
        let mut policy = Policy {
            name: name.to_string(),
            rules: Vec::new(),
            templated: false,
        };
        for item in root.filter("path").items {
            if let Some(rule) =
                parse_rule(&item, &mut policy.templated, now_unix).map_err(PolicyError::Invalid)?
            {
                policy.rules.push(rule);
            }
        }
        Ok(policy)
    }

    /// The policy name given to [`Policy::parse`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The path rules, in document order.
    pub fn rules(&self) -> &[PathRule] {
        &self.rules
    }

    /// True when some rule path uses identity templates.
    pub fn is_templated(&self) -> bool {
        self.templated
    }
}

/// `hclutil.CheckHCLKeys`: every item's first key must be in `valid`.
fn check_keys(list: &ObjectList, valid: &[&str]) -> Result<(), String> {
    let errors = invalid_keys(list, valid);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(multierror(&errors))
    }
}

fn invalid_keys(list: &ObjectList, valid: &[&str]) -> Vec<String> {
    list.items
        .iter()
        .filter_map(|item| {
            let key = item
                .keys
                .first()
                .and_then(|k| k.string_value().ok())
                .unwrap_or_default();
            (!valid.contains(&key.as_str()))
                .then(|| format!("invalid key {key:?} on line {}", item.assign.line))
        })
        .collect()
}

/// The fields of a `path` block as decoded, before any is validated.
#[derive(Default)]
struct RawRule {
    policy_word: String,
    capabilities: Vec<String>,
    expiration: String,
    min_wrapping_ttl: Option<ParamValue>,
    max_wrapping_ttl: Option<ParamValue>,
    allowed: Option<ParamMap>,
    denied: Option<ParamMap>,
    required: Vec<String>,
    mfa_methods: Vec<String>,
    pagination_limit: i64,
    filter_path: String,
}

/// Parses one `path` item; `Ok(None)` when the rule has expired. The
/// steps and their order are OpenBao's `parsePaths`.
fn parse_rule(
    item: &ObjectItem,
    templated: &mut bool,
    now_unix: i64,
) -> Result<Option<PathRule>, String> {
    let key = match item.keys.first() {
        Some(k) => k.string_value().map_err(|e| e.to_string())?,
        None => "path".to_string(),
    };
    let qkey = go_quote(&key);
    if template::has_templates(&key)
        .map_err(|e| format!("failed to validate policy templating: {e}"))?
    {
        *templated = true;
    }
    let body = rule_body(item, &qkey)?;
    let mut raw = decode_rule(body).map_err(|e| format!("path {qkey}: {e}"))?;
    let Some(expiration) = expiration(&raw.expiration, &qkey, now_unix)? else {
        return Ok(None);
    };
    let shape = PathShape::of(&key)?;
    expand_policy_word(&mut raw, &qkey)?;
    let capabilities = capabilities(&raw.capabilities, &qkey)?;
    let mut rule = PathRule {
        raw_path: key.clone(),
        path: shape.path,
        is_prefix: shape.is_prefix,
        has_segment_wildcards: shape.has_segment_wildcards,
        templated: key.contains("{{"),
        perms: Permissions {
            capabilities,
            allowed_parameters: None,
            denied_parameters: None,
            required_parameters: Vec::new(),
            min_wrapping_ttl_ns: 0,
            max_wrapping_ttl_ns: 0,
            mfa_methods: Vec::new(),
            pagination_limit: 0,
            response_keys_filter_path: String::new(),
        },
        expiration,
    };
    if capabilities == Capabilities::DENY {
        // OpenBao stops processing a deny rule right here.
        return Ok(Some(rule));
    }
    rule.perms = permissions(raw, capabilities, &qkey)?;
    Ok(Some(rule))
}

/// The block of a `path` item, with only known keys and no control group.
fn rule_body<'a>(item: &'a ObjectItem, qkey: &str) -> Result<&'a ObjectList, String> {
    let Node::Object(body) = &item.val else {
        return Err(format!(
            "path {qkey}: cannot check HCL keys of type {}",
            item.val.go_type()
        ));
    };
    let body = &body.list;
    let bad = invalid_keys(body, PATH_KEYS);
    if !bad.is_empty() {
        return Err(format!("path {qkey}: {}", multierror(&bad)));
    }
    check_control_group(body, qkey)?;
    Ok(body)
}

/// `hcl.DecodeObject` of the block's fields, in the order Go decodes them.
fn decode_rule(body: &ObjectList) -> Result<RawRule, String> {
    let mut raw = RawRule::default();
    decode::for_field(body, "policy", "root.Policy", |name, node| {
        raw.policy_word = decode::string(name, node)?;
        Ok(())
    })?;
    decode::for_field(body, "capabilities", "root.Capabilities", |name, node| {
        decode::string_slice(name, node, &mut raw.capabilities)
    })?;
    decode::for_field(body, "expiration", "root.expiration", |name, node| {
        raw.expiration = decode::string(name, node)?;
        Ok(())
    })?;
    decode::for_field(
        body,
        "min_wrapping_ttl",
        "root.min_wrapping_ttl",
        |name, node| {
            raw.min_wrapping_ttl = Some(decode::any(name, node, false)?);
            Ok(())
        },
    )?;
    decode::for_field(
        body,
        "max_wrapping_ttl",
        "root.max_wrapping_ttl",
        |name, node| {
            raw.max_wrapping_ttl = Some(decode::any(name, node, false)?);
            Ok(())
        },
    )?;
    decode::for_field(
        body,
        "allowed_parameters",
        "root.allowed_parameters",
        |name, node| decode::param_map(name, node, raw.allowed.get_or_insert_with(ParamMap::new)),
    )?;
    decode::for_field(
        body,
        "denied_parameters",
        "root.denied_parameters",
        |name, node| decode::param_map(name, node, raw.denied.get_or_insert_with(ParamMap::new)),
    )?;
    decode::for_field(
        body,
        "required_parameters",
        "root.required_parameters",
        |name, node| decode::string_slice(name, node, &mut raw.required),
    )?;
    decode::for_field(body, "mfa_methods", "root.mfa_methods", |name, node| {
        decode::string_slice(name, node, &mut raw.mfa_methods)
    })?;
    decode::for_field(
        body,
        "pagination_limit",
        "root.pagination_limit",
        |name, node| {
            raw.pagination_limit = decode::int(name, node)?;
            Ok(())
        },
    )?;
    decode::for_field(
        body,
        "list_scan_response_keys_filter_path",
        "root.list_scan_response_keys_filter_path",
        |name, node| {
            raw.filter_path = decode::string(name, node)?;
            Ok(())
        },
    )?;
    Ok(raw)
}

/// `Some(expiration)` for a rule still in force (`Some(None)`: none set),
/// `None` for one that has expired.
#[allow(clippy::option_option)]
fn expiration(text: &str, qkey: &str, now_unix: i64) -> Result<Option<Option<i64>>, String> {
    if text.is_empty() {
        return Ok(Some(None));
    }
    let t = timeparse::parse_absolute_time(text)
        .map_err(|e| format!("path {qkey}: invalid expiration time: {e}"))?;
    Ok((now_unix <= t).then_some(Some(t)))
}

/// The legacy `policy = "..."` shorthand, still accepted by 2.7.2.
fn expand_policy_word(raw: &mut RawRule, qkey: &str) -> Result<(), String> {
    if raw.policy_word.is_empty() {
        return Ok(());
    }
    let extra: &[&str] = match raw.policy_word.as_str() {
        "deny" => {
            raw.capabilities = vec!["deny".to_string()];
            &[]
        }
        "read" => &["read", "list"],
        "write" => &["create", "read", "update", "delete", "list"],
        "sudo" => &["create", "read", "update", "delete", "list", "sudo"],
        other => {
            return Err(format!(
                "path {qkey}: path {qkey}: invalid policy {}",
                go_quote(other)
            ));
        }
    };
    raw.capabilities.extend(extra.iter().map(|s| s.to_string()));
    Ok(())
}

/// The capability set; `deny` anywhere is `deny` alone, and OpenBao stops
/// reading the list there.
fn capabilities(names: &[String], qkey: &str) -> Result<Capabilities, String> {
    let mut capabilities = Capabilities::empty();
    for cap in names {
        match Capabilities::from_name(cap) {
            Some(c) if c == Capabilities::DENY => return Ok(Capabilities::DENY),
            Some(c) => capabilities |= c,
            None => {
                return Err(format!(
                    "path {qkey}: path {qkey}: invalid capability {}",
                    go_quote(cap)
                ));
            }
        }
    }
    Ok(capabilities)
}

/// The permissions of a rule that is not `deny`, checked in OpenBao's order.
fn permissions(
    raw: RawRule,
    capabilities: Capabilities,
    qkey: &str,
) -> Result<Permissions, String> {
    let ttl = |value: &Option<ParamValue>, field: &str| match value {
        Some(v) => timeparse::duration_from_value(v)
            .map_err(|e| format!("path {qkey}: error parsing {field}: {e}")),
        None => Ok(0),
    };
    let min_wrapping_ttl_ns = ttl(&raw.min_wrapping_ttl, "min_wrapping_ttl")?;
    let max_wrapping_ttl_ns = ttl(&raw.max_wrapping_ttl, "max_wrapping_ttl")?;
    if min_wrapping_ttl_ns != 0
        && max_wrapping_ttl_ns != 0
        && max_wrapping_ttl_ns < min_wrapping_ttl_ns
    {
        return Err(format!(
            "path {qkey}: max_wrapping_ttl cannot be less than min_wrapping_ttl"
        ));
    }
    if !raw.filter_path.is_empty() {
        if !capabilities.contains(Capabilities::LIST) {
            return Err(format!(
                "path {qkey}: list_scan_response_keys_filter_path needs to be used on a path with the list capability"
            ));
        }
        if !raw.filter_path.contains(".key") {
            return Err(format!(
                "path {qkey}: list_scan_response_keys_filter_path resulted in same path for two different keys"
            ));
        }
    }
    Ok(Permissions {
        capabilities,
        allowed_parameters: raw.allowed.map(lowercase_keys),
        denied_parameters: raw.denied.map(lowercase_keys),
        required_parameters: raw.required,
        min_wrapping_ttl_ns,
        max_wrapping_ttl_ns,
        mfa_methods: raw.mfa_methods,
        pagination_limit: raw.pagination_limit,
        response_keys_filter_path: raw.filter_path,
    })
}

fn lowercase_keys(map: ParamMap) -> ParamMap {
    map.into_iter()
        .map(|(k, v)| (k.to_lowercase(), v))
        .collect()
}

/// `control_group` blocks are validated as OpenBao validates them (keys, ttl,
/// at least one factor) but not enforced: control groups are an Enterprise
/// feature there. Every block is checked and the errors are collected, as
/// OpenBao does, under one `path "x": error handling control_group:` prefix.
fn check_control_group(body: &ObjectList, qkey: &str) -> Result<(), String> {
    let mut errors = Vec::new();
    for item in body.filter("control_group").items {
        let Node::Object(o) = &item.val else {
            errors.push(format!(
                "cannot check HCL keys of type {}",
                item.val.go_type()
            ));
            continue;
        };
        let bad = invalid_keys(&o.list, &["ttl", "self_auth_allowed", "factor"]);
        if !bad.is_empty() {
            errors.extend(bad);
            continue;
        }
        if let Err(e) = check_control_group_ttl(&o.list) {
            errors.push(format!("path control_group: {e}"));
            continue;
        }
        if factor_count(&o.list) == 0 {
            errors.push("requires at least one factor but had none".to_string());
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(format!(
        "path {qkey}: error handling control_group: {}",
        multierror(&errors)
    ))
}

fn check_control_group_ttl(list: &ObjectList) -> Result<(), String> {
    let mut ttl = None;
    decode::for_field(list, "ttl", "root.ttl", |name, node| {
        ttl = Some(decode::any(name, node, false)?);
        Ok(())
    })?;
    if let Some(v) = ttl {
        timeparse::duration_from_value(&v).map_err(|e| format!("invalid ttl: {e}"))?;
    }
    Ok(())
}

/// Named factors: `factor "a" { ... }` in HCL is one item; JSON's
/// `"factor": {"a": {...}}` is one item holding the named entries.
fn factor_count(list: &ObjectList) -> usize {
    list.filter("factor")
        .items
        .iter()
        .map(|item| match (&item.val, item.keys.is_empty()) {
            (Node::Object(o), true) => o.list.items.len(),
            _ => 1,
        })
        .sum()
}

/// How OpenBao indexes a rule path.
pub(crate) struct PathShape {
    pub path: String,
    pub is_prefix: bool,
    pub has_segment_wildcards: bool,
}

impl PathShape {
    /// Strips one leading `/`, rejects `+*`, detects `+` segments and
    /// strips the trailing `*` of plain prefix rules.
    pub(crate) fn of(key: &str) -> Result<PathShape, String> {
        let path = key.strip_prefix('/').unwrap_or(key).to_string();
        if path.contains("+*") {
            return Err(format!(
                "path {}: invalid use of wildcards ('+*' is forbidden)",
                go_quote(&path)
            ));
        }
        let has_segment_wildcards = path == "+" || path.contains("/+") || path.starts_with("+/");
        if !has_segment_wildcards {
            if let Some(stripped) = path.strip_suffix('*') {
                return Ok(PathShape {
                    path: stripped.to_string(),
                    is_prefix: true,
                    has_segment_wildcards,
                });
            }
        }
        Ok(PathShape {
            path,
            is_prefix: false,
            has_segment_wildcards,
        })
    }
}
