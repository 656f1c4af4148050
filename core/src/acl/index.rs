//! Indexes for non-exact rules: a byte trie for trailing-`*` prefixes and a
//! trie of `+` segment rules keyed by their literal leading segments.

use std::collections::HashMap;

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

/// One node of the segment-rule trie: the rules whose literal leading
/// segments (those before the first `+`) spell the path to this node.
#[derive(Debug, Clone, Default)]
struct SegNode {
    children: HashMap<String, u32>,
    /// Non-prefix rules by segment count (they need exactly that many).
    exact_len: HashMap<usize, Vec<SegmentRule>>,
    /// Prefix (`*`) rules; they need at least their own segment count.
    prefix: Vec<SegmentRule>,
}

/// Segment rules in a trie keyed by their literal leading segments, so a
/// lookup only visits rules whose fixed segments equal the path's: the cost
/// depends on the path and on the rules sharing its literal prefix, not on
/// the total number of rules.
#[derive(Debug, Clone)]
pub(crate) struct SegmentIndex {
    nodes: Vec<SegNode>,
    count: usize,
}

impl Default for SegmentIndex {
    fn default() -> Self {
        SegmentIndex {
            nodes: vec![SegNode::default()],
            count: 0,
        }
    }
}

impl SegmentIndex {
    pub(crate) fn insert(&mut self, rule: SegmentRule) {
        // Segments before the first `+` must equal the path's; the last
        // segment of a prefix rule only needs to be a prefix, so it never
        // becomes a key.
        let first_plus = rule
            .parts
            .iter()
            .position(|p| p == "+")
            .unwrap_or(rule.parts.len());
        let depth = first_plus.min(rule.parts.len() - usize::from(rule.is_prefix));
        let mut node = 0usize;
        for part in rule.parts.iter().take(depth) {
            let next = self
                .nodes
                .get(node)
                .and_then(|n| n.children.get(part.as_str()).copied());
            node = match next {
                Some(n) => n as usize,
                None => {
                    let new = self.nodes.len();
                    self.nodes.push(SegNode::default());
                    if let Some(n) = self.nodes.get_mut(node) {
                        n.children
                            .insert(part.clone(), u32::try_from(new).unwrap_or(u32::MAX));
                    }
                    new
                }
            };
        }
        self.count += 1;
        if let Some(n) = self.nodes.get_mut(node) {
            if rule.is_prefix {
                n.prefix.push(rule);
            } else {
                n.exact_len.entry(rule.parts.len()).or_default().push(rule);
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Calls `f` for every rule matching `path`.
    pub(crate) fn for_each_match<'a>(&'a self, path: &str, mut f: impl FnMut(&'a SegmentRule)) {
        // Paths of up to 32 segments are split on the stack.
        const STACK: usize = 32;
        let mut on_stack: [&str; STACK] = [""; STACK];
        let on_heap: Vec<&str>;
        let n = path.bytes().filter(|&b| b == b'/').count() + 1;
        let parts: &[&str] = if n <= STACK {
            for (slot, part) in on_stack.iter_mut().zip(path.split('/')) {
                *slot = part;
            }
            on_stack.get(..n).unwrap_or(&[])
        } else {
            on_heap = path.split('/').collect();
            &on_heap
        };
        let mut node = self.nodes.first();
        let mut depth = 0usize;
        while let Some(current) = node {
            if let Some(rules) = current.exact_len.get(&n) {
                for r in rules.iter().filter(|r| r.matches(parts)) {
                    f(r);
                }
            }
            for r in current.prefix.iter().filter(|r| r.matches(parts)) {
                f(r);
            }
            node = parts
                .get(depth)
                .and_then(|part| current.children.get(*part))
                .and_then(|&i| self.nodes.get(i as usize));
            depth += 1;
        }
    }
}
