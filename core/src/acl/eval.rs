//! The compiled ACL: rules from many policies merged and indexed so a check
//! costs O(path length), whatever the number of rules.

use std::collections::HashMap;

use rayon::prelude::*;

use super::capability::Capabilities;
use super::index::{PrefixTrie, SegmentIndex, SegmentRule};
use super::params;
use super::permissions::Permissions;
use super::policy::{PathRule, PathShape, Policy};
use super::request::{Denied, Operation};
use super::template::{self, TemplateValues};
use super::timeparse;
use super::value::ParamMap;

/// How a rule matched a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// The rule path equals the request path.
    Exact,
    /// A trailing-`*` rule without `+` segments.
    Prefix,
    /// A rule with `+` segments (possibly also ending in `*`).
    Segment,
}

impl RuleKind {
    /// Lower-case name (`exact`, `prefix`, `segment`).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Exact => "exact",
            RuleKind::Prefix => "prefix",
            RuleKind::Segment => "segment",
        }
    }
}

/// One merged rule.
#[derive(Debug, Clone)]
pub(crate) struct MergedRule {
    /// The path as written in the policies (with its trailing `*`).
    pub display_path: String,
    pub kind: RuleKind,
    pub perms: Permissions,
    /// Names of the policies whose rules were merged here.
    pub policies: Vec<String>,
}

/// Which rule decided a check, for debugging and audit.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Policies that contributed to the deciding rule.
    pub policies: Vec<String>,
    /// The rule's path as written (leading `/` removed).
    pub rule_path: String,
    pub kind: RuleKind,
    /// Capabilities the rule grants, as `capabilities` prints them.
    pub capabilities: Vec<&'static str>,
}

/// Path counts above which [`Acl::capabilities_many`] uses several threads.
pub const PARALLEL_THRESHOLD: usize = 256;

/// An immutable ACL built from policies at one moment; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Acl {
    rules: Vec<MergedRule>,
    exact: HashMap<String, u32>,
    prefix: PrefixTrie,
    segments: SegmentIndex,
    /// Unix seconds between which (inclusive) a build would keep exactly
    /// the same rules: after the latest expiration it dropped, up to the
    /// earliest expiration it kept.
    valid_from: i64,
    valid_until: i64,
}

impl Default for Acl {
    fn default() -> Self {
        Acl {
            rules: Vec::new(),
            exact: HashMap::new(),
            prefix: PrefixTrie::default(),
            segments: SegmentIndex::default(),
            valid_from: i64::MIN,
            valid_until: i64::MAX,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Tree {
    Exact,
    Prefix,
    Segment,
}

impl Acl {
    /// Builds the ACL of a token with these policies and no identity: rules
    /// with `{{...}}` templates are dropped, like OpenBao does.
    pub fn new<'a>(policies: impl IntoIterator<Item = &'a Policy>) -> Acl {
        Self::with_identity(policies, &TemplateValues::new())
    }

    /// Builds the ACL substituting identity templates from `values`; a rule
    /// whose template has no (usable) value is dropped.
    pub fn with_identity<'a>(
        policies: impl IntoIterator<Item = &'a Policy>,
        values: &TemplateValues,
    ) -> Acl {
        Self::build(policies, values, timeparse::now_unix())
    }

    /// [`Acl::with_identity`] with an explicit "now" (unix seconds). Takes
    /// any iterator of policy references (a slice, or `Arc`s mapped to
    /// references) so callers need not clone policies.
    pub fn build<'a>(
        policies: impl IntoIterator<Item = &'a Policy>,
        values: &TemplateValues,
        now_unix: i64,
    ) -> Acl {
        let mut acl = Acl::default();
        let mut by_key: HashMap<(Tree, String), u32> = HashMap::new();
        let mut segment_rules: Vec<(u32, String)> = Vec::new();
        for policy in policies {
            for rule in policy.rules() {
                if let Some(exp) = rule.expiration {
                    // OpenBao drops a rule once now is after its expiration.
                    if now_unix > exp {
                        acl.valid_from = acl.valid_from.max(exp.saturating_add(1));
                        continue;
                    }
                    acl.valid_until = acl.valid_until.min(exp);
                }
                let Some(shape) = resolve_shape(rule, values) else {
                    continue;
                };
                let tree = if shape.has_segment_wildcards {
                    Tree::Segment
                } else if shape.is_prefix {
                    Tree::Prefix
                } else {
                    Tree::Exact
                };
                let key = (tree, shape.path.clone());
                match by_key.get(&key) {
                    Some(&idx) => {
                        if let Some(existing) = acl.rules.get_mut(idx as usize) {
                            merge(existing, rule, policy.name());
                        }
                    }
                    None => {
                        let idx = u32::try_from(acl.rules.len()).unwrap_or(u32::MAX);
                        let (kind, display_path) = match tree {
                            Tree::Exact => (RuleKind::Exact, shape.path.clone()),
                            Tree::Prefix => (RuleKind::Prefix, format!("{}*", shape.path)),
                            Tree::Segment => (RuleKind::Segment, shape.path.clone()),
                        };
                        acl.rules.push(MergedRule {
                            display_path,
                            kind,
                            perms: permissions_of(rule),
                            policies: vec![policy.name().to_string()],
                        });
                        by_key.insert(key, idx);
                        match tree {
                            Tree::Exact => {
                                acl.exact.insert(shape.path, idx);
                            }
                            Tree::Prefix => acl.prefix.insert(&shape.path, idx),
                            Tree::Segment => segment_rules.push((idx, shape.path)),
                        }
                    }
                }
            }
        }
        for (idx, path) in segment_rules {
            if let Some(rule) = SegmentRule::new(&path, idx) {
                acl.segments.insert(rule);
            }
        }
        acl
    }

    /// Whether a build at `now_unix` would give this same ACL.
    pub fn valid_at(&self, now_unix: i64) -> bool {
        (self.valid_from..=self.valid_until).contains(&now_unix)
    }

    /// Whether the policies hold rules with an `expiration`, so that a
    /// build at another moment may differ.
    pub fn depends_on_time(&self) -> bool {
        self.valid_from != i64::MIN || self.valid_until != i64::MAX
    }

    /// Number of distinct (merged) rules.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The capabilities on `path`, exactly as OpenBao's `sys/capabilities`
    /// answers: sorted names, `["deny"]` when nothing is granted.
    pub fn capabilities(&self, path: &str) -> Vec<&'static str> {
        self.capability_set(path).names()
    }

    /// The capabilities on `path` as a set (empty when nothing matches).
    pub fn capability_set(&self, path: &str) -> Capabilities {
        self.decide(path.trim(), true)
            .and_then(|idx| self.rules.get(idx as usize))
            .map(|r| r.perms.capabilities)
            .unwrap_or_default()
    }

    /// True when `capability` (a name such as `"read"`) is granted on
    /// `path` and not denied. Unknown names are never granted.
    pub fn allowed(&self, capability: &str, path: &str) -> bool {
        let Some(cap) = Capabilities::from_name(capability) else {
            return false;
        };
        let set = self.capability_set(path);
        cap != Capabilities::DENY && !set.contains(Capabilities::DENY) && set.contains(cap)
    }

    /// [`Acl::capabilities`] for many paths, in parallel above
    /// [`PARALLEL_THRESHOLD`] paths. The result is in input order.
    pub fn capabilities_many<S: AsRef<str> + Sync>(&self, paths: &[S]) -> Vec<Vec<&'static str>> {
        if paths.len() > PARALLEL_THRESHOLD {
            paths
                .par_iter()
                .map(|p| self.capabilities(p.as_ref()))
                .collect()
        } else {
            paths
                .iter()
                .map(|p| self.capabilities(p.as_ref()))
                .collect()
        }
    }

    /// [`Acl::capability_set`] for many paths, in parallel above
    /// [`PARALLEL_THRESHOLD`] paths (inside the caller's rayon pool, e.g.
    /// [`crate::parallel::install`]). No per-path allocation; input order.
    pub fn capability_sets_many<S: AsRef<str> + Sync>(&self, paths: &[S]) -> Vec<Capabilities> {
        if paths.len() > PARALLEL_THRESHOLD {
            paths
                .par_iter()
                .map(|p| self.capability_set(p.as_ref()))
                .collect()
        } else {
            paths
                .iter()
                .map(|p| self.capability_set(p.as_ref()))
                .collect()
        }
    }

    /// Which rule decides `path` (as `capabilities` sees it), or `None`
    /// when no rule matches.
    pub fn explain(&self, path: &str) -> Option<Explanation> {
        let rule = self
            .decide(path.trim(), true)
            .and_then(|idx| self.rules.get(idx as usize))?;
        Some(Explanation {
            policies: rule.policies.clone(),
            rule_path: rule.display_path.clone(),
            kind: rule.kind,
            capabilities: rule.perms.capabilities.names(),
        })
    }

    /// Decides a request as OpenBao's `AllowOperation` does, including
    /// required/denied/allowed parameters and pagination limits. Requests
    /// carry no response-wrapping TTL here, so a rule with wrapping TTL
    /// bounds refuses them (as OpenBao refuses unwrapped requests).
    ///
    /// Parameter values compare as in OpenBao over HTTP: strings match
    /// policy strings as globs, booleans/null/arrays/objects by value, and
    /// JSON numbers never equal policy numbers (OpenBao sees them as
    /// `json.Number`).
    pub fn authorize(
        &self,
        operation: Operation,
        path: &str,
        parameters: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), Denied> {
        let cap = operation.capability();
        let name = cap.names().first().copied().unwrap_or("deny");
        let rule = self
            .decide(path, operation.is_list_like())
            .and_then(|idx| self.rules.get(idx as usize))
            .ok_or(Denied::Capability(name))?;
        let perms = &rule.perms;
        if perms.capabilities.contains(Capabilities::DENY) || !perms.capabilities.contains(cap) {
            return Err(Denied::Capability(name));
        }
        if perms.max_wrapping_ttl_ns > 0 || perms.min_wrapping_ttl_ns > 0 {
            return Err(Denied::WrappingTtl);
        }
        params::check(operation, perms, parameters)
    }

    /// Index of the deciding rule. `list_like` is true for list/scan, which
    /// also try the path without its trailing `/`.
    fn decide(&self, path: &str, list_like: bool) -> Option<u32> {
        let path = path.trim_start_matches('/');
        if let Some(&idx) = self.exact.get(path) {
            return Some(idx);
        }
        let trimmed = path.strip_suffix('/');
        if list_like {
            if let Some(&idx) = self.exact.get(trimmed.unwrap_or(path)) {
                return Some(idx);
            }
        }
        if let Some(idx) = self.non_exact(path) {
            return Some(idx);
        }
        match trimmed {
            Some(t) if list_like => self.non_exact(t),
            _ => None,
        }
    }

    /// OpenBao's `CheckAllowedFromNonExactPaths`: the longest prefix rule
    /// and every matching segment rule compete; the "greatest" wins.
    fn non_exact(&self, path: &str) -> Option<u32> {
        let prefix = self.prefix.longest_prefix(path);
        if self.segments.is_empty() {
            return prefix.map(|(_, idx)| idx);
        }
        let mut best: Option<(Rank<'_>, u32)> =
            prefix.map(|(len, idx)| (Rank::new(len, true, 0, path.get(..len).unwrap_or("")), idx));
        self.segments.for_each_match(path, |rule| {
            let rank = Rank::new(
                rule.first_wildcard,
                rule.is_prefix,
                rule.wildcards,
                &rule.wc_path,
            );
            if best.as_ref().is_none_or(|(b, _)| rank > *b) {
                best = Some((rank, rule.rule));
            }
        });
        best.map(|(_, idx)| idx)
    }
}

/// Precedence among non-exact matches, ordered so the winner is greatest.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Rank<'a> {
    first_wildcard: usize,
    not_prefix: bool,
    fewer_wildcards: std::cmp::Reverse<usize>,
    len: usize,
    path: &'a str,
}

impl<'a> Rank<'a> {
    fn new(first_wildcard: usize, is_prefix: bool, wildcards: usize, path: &'a str) -> Self {
        Rank {
            first_wildcard,
            not_prefix: !is_prefix,
            fewer_wildcards: std::cmp::Reverse(wildcards),
            len: path.len(),
            path,
        }
    }
}

/// The rule's indexed shape, substituting templates when it has any.
fn resolve_shape(rule: &PathRule, values: &TemplateValues) -> Option<PathShape> {
    if !rule.templated {
        return Some(PathShape {
            path: rule.path.clone(),
            is_prefix: rule.is_prefix,
            has_segment_wildcards: rule.has_segment_wildcards,
        });
    }
    let substituted = template::populate(&rule.raw_path, values).ok()?;
    PathShape::of(&substituted).ok()
}

fn permissions_of(rule: &PathRule) -> Permissions {
    rule.perms.clone()
}

/// Merges a rule into an existing one with the same path, as `NewACL` does:
/// deny wins and clears parameters; otherwise capabilities union and the
/// tighter TTL/pagination bounds win.
fn merge(existing: &mut MergedRule, rule: &PathRule, policy: &str) {
    if !existing.policies.iter().any(|p| p == policy) {
        existing.policies.push(policy.to_string());
    }
    let e = &mut existing.perms;
    let rule = &rule.perms;
    if e.capabilities.contains(Capabilities::DENY) {
        return;
    }
    if rule.capabilities.contains(Capabilities::DENY) {
        e.capabilities = Capabilities::DENY;
        e.allowed_parameters = None;
        e.denied_parameters = None;
        return;
    }
    e.capabilities |= rule.capabilities;
    if rule.max_wrapping_ttl_ns > 0
        && (e.max_wrapping_ttl_ns == 0 || rule.max_wrapping_ttl_ns < e.max_wrapping_ttl_ns)
    {
        e.max_wrapping_ttl_ns = rule.max_wrapping_ttl_ns;
    }
    if rule.min_wrapping_ttl_ns > 0
        && (e.min_wrapping_ttl_ns == 0 || rule.min_wrapping_ttl_ns < e.min_wrapping_ttl_ns)
    {
        e.min_wrapping_ttl_ns = rule.min_wrapping_ttl_ns;
    }
    merge_params(&mut e.allowed_parameters, rule.allowed_parameters.as_ref());
    merge_params(&mut e.denied_parameters, rule.denied_parameters.as_ref());
    for p in &rule.required_parameters {
        if !e.required_parameters.contains(p) {
            e.required_parameters.push(p.clone());
        }
    }
    for m in &rule.mfa_methods {
        if !e.mfa_methods.contains(m) {
            e.mfa_methods.push(m.clone());
        }
    }
    if rule.pagination_limit > 0
        && (e.pagination_limit <= 0 || rule.pagination_limit < e.pagination_limit)
    {
        e.pagination_limit = rule.pagination_limit;
    }
    if !rule.response_keys_filter_path.is_empty() && e.response_keys_filter_path.is_empty() {
        e.response_keys_filter_path = rule.response_keys_filter_path.clone();
    }
}

/// Parameter lists union; an empty list (any value) absorbs the others.
fn merge_params(existing: &mut Option<ParamMap>, new: Option<&ParamMap>) {
    let Some(new) = new.filter(|m| !m.is_empty()) else {
        return;
    };
    let Some(current) = existing else {
        *existing = Some(new.clone());
        return;
    };
    for (key, values) in new {
        match current.get_mut(key) {
            Some(old) if values.is_empty() || old.is_empty() => old.clear(),
            Some(old) => {
                let mut merged = values.clone();
                merged.append(old);
                *old = merged;
            }
            None => {
                current.insert(key.clone(), values.clone());
            }
        }
    }
}
