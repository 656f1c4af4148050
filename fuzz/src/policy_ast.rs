//! A structured OpenBao policy: path rules with capabilities, rendered both
//! as HCL v1 (in several equivalent layouts, with comments) and as JSON, so
//! one fuzz input yields two texts that must mean the same thing.

use arbitrary::Arbitrary;
use pipeline_guard_core::acl::{Acl, Capabilities, Operation};

const CAPS: [&str; 9] = [
    "create", "read", "update", "patch", "delete", "list", "sudo", "deny", "scan",
];
const WORDS: [&str; 12] = [
    "secrets",
    "kv",
    "data",
    "metadata",
    "explicit",
    "DB_PASS",
    "sys",
    "auth",
    "pipelines",
    "combined",
    "env",
    "7265766965772f2a",
];
const POLICY_WORDS: [&str; 4] = ["deny", "read", "write", "sudo"];

#[derive(Arbitrary, Debug, Clone)]
pub enum Segment {
    Word(u8),
    Plus,
    Empty,
    /// A short literal from a safe alphabet (never needs escaping).
    Raw(u8, u8),
    Template,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Tail {
    None,
    Star,
    SlashStar,
    Slash,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct PathAst {
    pub leading_slash: bool,
    pub segments: Vec<Segment>,
    pub tail: Tail,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Layout {
    Block,
    OneLine,
    /// Attributes on one line separated by commas (HCL v1 allows it).
    Commas,
    Commented,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct RuleAst {
    pub path: PathAst,
    pub caps: Vec<u8>,
    pub policy_word: Option<u8>,
    pub layout: Layout,
    pub trailing_comma: bool,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct PolicyAst {
    pub rules: Vec<RuleAst>,
}

impl PathAst {
    pub fn render(&self) -> String {
        let mut parts = Vec::new();
        for seg in self.segments.iter().take(6) {
            parts.push(match seg {
                Segment::Word(i) => WORDS[usize::from(*i) % WORDS.len()].to_owned(),
                Segment::Plus => "+".to_owned(),
                Segment::Empty => String::new(),
                Segment::Raw(a, b) => {
                    const ALPHABET: &[u8] = b"abAB09_-.:@*+";
                    [*a, *b]
                        .iter()
                        .map(|c| char::from(ALPHABET[usize::from(*c) % ALPHABET.len()]))
                        .collect()
                }
                Segment::Template => "{{identity.entity.id}}".to_owned(),
            });
        }
        let mut out = String::new();
        if self.leading_slash {
            out.push('/');
        }
        out.push_str(&parts.join("/"));
        match self.tail {
            Tail::None => {}
            Tail::Star => out.push('*'),
            Tail::SlashStar => out.push_str("/*"),
            Tail::Slash => out.push('/'),
        }
        out
    }
}

impl RuleAst {
    fn cap_names(&self) -> Vec<&'static str> {
        self.caps
            .iter()
            .take(12)
            .map(|c| CAPS[usize::from(*c) % CAPS.len()])
            .collect()
    }

    fn word(&self) -> Option<&'static str> {
        self.policy_word
            .map(|w| POLICY_WORDS[usize::from(w) % POLICY_WORDS.len()])
    }
}

fn quoted_list(items: &[&str], trailing_comma: bool) -> String {
    let mut out = items
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    if trailing_comma && !items.is_empty() {
        out.push(',');
    }
    format!("[{out}]")
}

impl PolicyAst {
    /// Rules with distinct rendered paths (JSON objects cannot repeat a key),
    /// at most 8.
    pub fn unique_rules(&self) -> Vec<(String, &RuleAst)> {
        let mut seen = std::collections::HashSet::new();
        self.rules
            .iter()
            .map(|r| (r.path.render(), r))
            .filter(|(p, _)| seen.insert(p.clone()))
            .take(8)
            .collect()
    }

    pub fn to_hcl(&self) -> String {
        let mut out = String::new();
        for (path, rule) in self.unique_rules() {
            let caps = quoted_list(&rule.cap_names(), rule.trailing_comma);
            let mut attrs = vec![format!("capabilities = {caps}")];
            if let Some(word) = rule.word() {
                attrs.push(format!("policy = \"{word}\""));
            }
            match rule.layout {
                Layout::Block => {
                    out.push_str(&format!("path \"{path}\" {{\n"));
                    for a in attrs {
                        out.push_str(&format!("  {a}\n"));
                    }
                    out.push_str("}\n");
                }
                Layout::OneLine => {
                    out.push_str(&format!("path \"{path}\" {{ {} }}\n", attrs.join(" ")));
                }
                Layout::Commas => {
                    out.push_str(&format!("path \"{path}\" {{{}}}\n", attrs.join(",")));
                }
                Layout::Commented => {
                    out.push_str(&format!(
                        "# rule\npath /* c */ \"{path}\" {{ // c\n{}\n}} /* end */\n",
                        attrs.join(" # c\n")
                    ));
                }
            }
        }
        out
    }

    pub fn to_json(&self) -> String {
        let mut paths = serde_json::Map::new();
        for (path, rule) in self.unique_rules() {
            let mut body = serde_json::Map::new();
            body.insert("capabilities".into(), rule.cap_names().into());
            if let Some(word) = rule.word() {
                body.insert("policy".into(), word.into());
            }
            paths.insert(path, body.into());
        }
        serde_json::json!({ "path": paths }).to_string()
    }

    /// Probe paths: each rule's path and near misses of it.
    pub fn probes(&self, extra: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for (path, _) in self.unique_rules() {
            let bare = path.trim_end_matches('*').to_owned();
            out.push(path.clone());
            out.push(format!("{bare}x"));
            out.push(format!("{bare}x/y"));
            out.push(bare.trim_end_matches('/').to_owned());
            out.push(bare.replace('+', "seg"));
            out.push(format!("{}/", bare.replace('+', "")));
        }
        out.extend(extra.iter().cloned());
        out
    }
}

/// Properties every ACL answer must have, whatever the policies.
pub fn check_acl_invariants(acl: &Acl, paths: &[String]) {
    let many = acl.capabilities_many(paths);
    assert_eq!(many.len(), paths.len());
    for (path, batch) in paths.iter().zip(&many) {
        let caps = acl.capabilities(path);
        assert_eq!(&caps, batch, "batch and single answers differ for {path:?}");
        assert_eq!(
            caps,
            acl.capabilities(path),
            "not deterministic for {path:?}"
        );
        assert!(!caps.is_empty(), "no capabilities at all for {path:?}");
        assert!(
            caps.windows(2).all(|w| w[0] < w[1]),
            "unsorted or repeated capabilities {caps:?} for {path:?}"
        );
        assert!(
            !(caps.contains(&"deny") && caps.len() > 1),
            "deny together with others {caps:?} for {path:?}"
        );
        for name in CAPS {
            assert_eq!(
                acl.allowed(name, path),
                name != "deny" && caps.contains(&name),
                "allowed({name}) disagrees with {caps:?} for {path:?}"
            );
        }
        // A request `authorize` admits needs the capability `capabilities`
        // reports (request paths are not trimmed, and only list-like
        // operations retry without a trailing `/`, so compare the rest).
        let set = acl.capability_set(path);
        let plain = path.trim() == path && !path.ends_with('/');
        for name in [
            "create", "read", "update", "patch", "delete", "list", "scan",
        ] {
            let op = Operation::from_name(name).expect("operation name");
            let list_like = matches!(name, "list" | "scan");
            if (plain || list_like) && path.trim() == path {
                let admitted = acl.authorize(op, path, &serde_json::Map::new()).is_ok();
                let cap = Capabilities::from_name(name).expect("capability name");
                assert!(
                    !admitted || (set.contains(cap) && !set.contains(Capabilities::DENY)),
                    "authorize admits {name} on {path:?} but capabilities are {caps:?}"
                );
            }
        }
        match acl.explain(path) {
            Some(ex) => assert_eq!(ex.capabilities, caps, "explain disagrees for {path:?}"),
            None => assert_eq!(caps, vec!["deny"], "no rule but capabilities for {path:?}"),
        }
    }
}
