//! Indexes for non-exact rules: a byte trie for trailing-`*` prefixes and a
//! table of `+` segment rules keyed by segment count and first segment.

use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone, Default)]
struct TrieNode {
    /// Sorted by byte, for binary search.
    children: Vec<(u8, u32)>,
    rule: Option<u32>,
}

/// Longest-prefix lookup over byte strings in O(path length).
#[derive(Debug, Clone)]
pub(crate) struct PrefixTrie {
    nodes: Vec<TrieNode>,
}

impl Default for PrefixTrie {
    fn default() -> Self {
        PrefixTrie {
            nodes: vec![TrieNode::default()],
        }
    }
}

impl PrefixTrie {
    pub(crate) fn insert(&mut self, prefix: &str, rule: u32) {
        let mut node = 0usize;
        for &b in prefix.as_bytes() {
            let Some(current) = self.nodes.get(node) else {
                return;
            };
            node = match current.children.binary_search_by_key(&b, |&(k, _)| k) {
                Ok(i) => current.children.get(i).map_or(0, |&(_, n)| n as usize),
                Err(i) => {
                    let new = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    if let Some(current) = self.nodes.get_mut(node) {
                        current
                            .children
                            .insert(i, (b, u32::try_from(new).unwrap_or(u32::MAX)));
                    }
                    new
                }
            };
        }
        if let Some(n) = self.nodes.get_mut(node) {
            n.rule = Some(rule);
        }
    }

    /// The longest stored prefix of `path`: (its length in bytes, rule).
    pub(crate) fn longest_prefix(&self, path: &str) -> Option<(usize, u32)> {
        let mut node = self.nodes.first()?;
        let mut best = node.rule.map(|r| (0, r));
        for (i, &b) in path.as_bytes().iter().enumerate() {
            let Ok(pos) = node.children.binary_search_by_key(&b, |&(k, _)| k) else {
                break;
            };
            let Some(next) = node
                .children
                .get(pos)
                .and_then(|&(_, n)| self.nodes.get(n as usize))
            else {
                break;
            };
            node = next;
            if let Some(r) = node.rule {
                best = Some((i + 1, r));
            }
        }
        best
    }
}

/// A rule with `+` segments, pre-split for matching.
#[derive(Debug, Clone)]
pub(crate) struct SegmentRule {
    pub rule: u32,
    /// Path without the trailing `*`.
    pub wc_path: String,
    pub parts: Vec<String>,
    pub is_prefix: bool,
    /// Byte index of the first `+` in the full rule path.
    pub first_wildcard: usize,
    pub wildcards: usize,
}

impl SegmentRule {
    pub(crate) fn new(full_path: &str, rule: u32) -> Option<SegmentRule> {
        if full_path.is_empty() {
            return None;
        }
        let first_wildcard = full_path.find('+').unwrap_or(0);
        let (wc_path, is_prefix) = match full_path.strip_suffix('*') {
            Some(p) => (p, true),
            None => (full_path, false),
        };
        let parts: Vec<String> = wc_path.split('/').map(str::to_string).collect();
        let wildcards = parts.iter().filter(|p| *p == "+").count();
        Some(SegmentRule {
            rule,
            wc_path: wc_path.to_string(),
            parts,
            is_prefix,
            first_wildcard,
            wildcards,
        })
    }

    /// OpenBao's segment matching: `+` takes exactly one segment (which may
    /// be empty), the last segment of a `*` rule is a prefix, others must
    /// be equal. Non-prefix rules need the same segment count.
    pub(crate) fn matches(&self, path_parts: &[&str]) -> bool {
        if path_parts.len() < self.parts.len()
            || (!self.is_prefix && path_parts.len() != self.parts.len())
        {
            return false;
        }
        let last = self.parts.len().saturating_sub(1);
        self.parts
            .iter()
            .zip(path_parts)
            .enumerate()
            .all(|(i, (acl, part))| {
                acl == "+"
                    || acl == part
                    || (self.is_prefix && i == last && part.starts_with(acl.as_str()))
            })
    }
}

/// Segment rules grouped by (segment count, first segment) so a lookup
/// only visits rules that can match; `+` as first segment is its own key.
#[derive(Debug, Clone, Default)]
pub(crate) struct SegmentIndex {
    exact_len: HashMap<(usize, String), Vec<SegmentRule>>,
    prefix_len: HashMap<(usize, String), Vec<SegmentRule>>,
    prefix_counts: BTreeSet<usize>,
    count: usize,
}

impl SegmentIndex {
    pub(crate) fn insert(&mut self, rule: SegmentRule) {
        let first = rule.parts.first().cloned().unwrap_or_default();
        // A one-segment prefix rule would match its only segment as a
        // prefix; key it under the wildcard bucket so it is always visited.
        let first = if rule.is_prefix && rule.parts.len() == 1 {
            "+".to_string()
        } else {
            first
        };
        let key = (rule.parts.len(), first);
        self.count += 1;
        if rule.is_prefix {
            self.prefix_counts.insert(rule.parts.len());
            self.prefix_len.entry(key).or_default().push(rule);
        } else {
            self.exact_len.entry(key).or_default().push(rule);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Calls `f` for every rule matching `path`.
    pub(crate) fn for_each_match<'a>(&'a self, path: &str, mut f: impl FnMut(&'a SegmentRule)) {
        let parts: Vec<&str> = path.split('/').collect();
        let n = parts.len();
        let first = parts.first().copied().unwrap_or("");
        let mut visit = |map: &'a HashMap<(usize, String), Vec<SegmentRule>>, count: usize| {
            for key in [first, "+"] {
                if let Some(rules) = map.get(&(count, key.to_string())) {
                    for r in rules.iter().filter(|r| r.matches(&parts)) {
                        f(r);
                    }
                }
                if first == "+" {
                    break;
                }
            }
        };
        visit(&self.exact_len, n);
        for &count in self.prefix_counts.range(..=n) {
            visit(&self.prefix_len, count);
        }
    }
}
