//! The indexed evaluator against a naive linear-scan reference that
//! implements the precedence rules directly, on random rule sets; plus a
//! large-ACL build.

use std::time::Instant;

use pipeline_guard_core::acl::{Acl, Policy};
use proptest::prelude::*;

const CAPS: [&str; 9] = [
    "create", "read", "update", "patch", "delete", "list", "sudo", "scan", "deny",
];

/// A rule as the reference sees it: raw path (leading `/` removed) and caps.
struct RefRule {
    path: String,
    caps: Vec<&'static str>,
}

fn is_segment(p: &str) -> bool {
    p == "+" || p.contains("/+") || p.starts_with("+/")
}

/// Merged capabilities of all rules with exactly this path string.
fn merged(rules: &[RefRule], path: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for r in rules.iter().filter(|r| r.path == path) {
        if out.contains(&"deny") {
            break;
        }
        if r.caps.contains(&"deny") {
            out = vec!["deny"];
            continue;
        }
        for c in &r.caps {
            if !out.contains(c) {
                out.push(c);
            }
        }
    }
    out
}

fn exact_exists(rules: &[RefRule], p: &str) -> bool {
    rules
        .iter()
        .any(|r| !is_segment(&r.path) && !r.path.ends_with('*') && r.path == p)
}

/// Precedence of a wildcard rule: greater wins.
type PrecedenceKey = (usize, bool, std::cmp::Reverse<usize>, usize, String);

/// Non-exact candidates: (key, rule path) where greater key wins.
fn non_exact(rules: &[RefRule], path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let mut best: Option<(PrecedenceKey, String)> = None;
    // Longest plain prefix rule only.
    let mut longest: Option<&RefRule> = None;
    for r in rules
        .iter()
        .filter(|r| !is_segment(&r.path) && r.path.ends_with('*'))
    {
        let pre = &r.path[..r.path.len() - 1];
        if path.starts_with(pre) && longest.is_none_or(|l| l.path.len() < r.path.len()) {
            longest = Some(r);
        }
    }
    if let Some(r) = longest {
        let pre = r.path[..r.path.len() - 1].to_string();
        best = Some((
            (
                pre.len(),
                false,
                std::cmp::Reverse(0),
                pre.len(),
                pre.clone(),
            ),
            r.path.clone(),
        ));
    }
    for r in rules.iter().filter(|r| is_segment(&r.path)) {
        let is_prefix = r.path.ends_with('*');
        let wc = if is_prefix {
            &r.path[..r.path.len() - 1]
        } else {
            &r.path[..]
        };
        let acl_parts: Vec<&str> = wc.split('/').collect();
        if parts.len() < acl_parts.len() || (!is_prefix && parts.len() != acl_parts.len()) {
            continue;
        }
        let last = acl_parts.len() - 1;
        let ok = acl_parts.iter().enumerate().all(|(i, a)| {
            *a == "+" || *a == parts[i] || (is_prefix && i == last && parts[i].starts_with(a))
        });
        if !ok {
            continue;
        }
        let key = (
            r.path.find('+').unwrap_or(0),
            !is_prefix,
            std::cmp::Reverse(acl_parts.iter().filter(|a| **a == "+").count()),
            wc.len(),
            wc.to_string(),
        );
        if best.as_ref().is_none_or(|(b, _)| key > *b) {
            best = Some((key, r.path.clone()));
        }
    }
    best.map(|(_, p)| p)
}

fn reference_capabilities(rules: &[RefRule], path: &str) -> Vec<&'static str> {
    let path = path.trim_start_matches('/');
    let decided = if exact_exists(rules, path) {
        Some(path.to_string())
    } else if exact_exists(rules, path.strip_suffix('/').unwrap_or(path)) {
        Some(path.strip_suffix('/').unwrap_or(path).to_string())
    } else if let Some(p) = non_exact(rules, path) {
        Some(p)
    } else if let Some(t) = path.strip_suffix('/') {
        non_exact(rules, t)
    } else {
        None
    };
    let mut caps = decided.map(|p| merged(rules, &p)).unwrap_or_default();
    if caps.is_empty() || caps.contains(&"deny") {
        return vec!["deny"];
    }
    caps.sort_unstable();
    caps
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("ab".to_string()),
        Just("+".to_string()),
        Just(String::new()),
        Just("a*".to_string()),
    ]
}

fn rule_path() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(segment(), 1..5),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(segs, star, slash)| {
            let mut p = segs.join("/");
            // '*' is only special at the end; keep inner ones too (literal).
            if star && !p.ends_with('+') {
                p.push('*');
            }
            if slash {
                p.insert(0, '/');
            }
            p
        })
}

fn probe_path() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("b"),
                Just("ab"),
                Just("abc"),
                Just(""),
                Just("+"),
                Just("a*")
            ],
            1..6,
        ),
        any::<bool>(),
    )
        .prop_map(|(segs, slash)| {
            let mut p = segs.join("/");
            if slash {
                p.push('/');
            }
            p
        })
}

fn rule_set() -> impl Strategy<Value = Vec<Vec<(String, Vec<usize>)>>> {
    proptest::collection::vec(
        proptest::collection::vec(
            (rule_path(), proptest::collection::vec(0..CAPS.len(), 0..4)),
            1..8,
        ),
        1..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn indexed_evaluator_matches_reference(policies in rule_set(), probes in proptest::collection::vec(probe_path(), 1..20)) {
        let mut parsed = Vec::new();
        let mut reference = Vec::new();
        for (i, rules) in policies.iter().enumerate() {
            let mut text = String::new();
            for (path, caps) in rules {
                if path.contains("+*") {
                    continue;
                }
                let names: Vec<String> = caps.iter().map(|&c| format!("{:?}", CAPS[c])).collect();
                text.push_str(&format!("path {:?} {{ capabilities = [{}] }}\n", path, names.join(", ")));
                let mut caps_named: Vec<&'static str> = Vec::new();
                for &c in caps {
                    if CAPS[c] == "deny" { caps_named = vec!["deny"]; break; }
                    caps_named.push(CAPS[c]);
                }
                reference.push(RefRule { path: path.strip_prefix('/').unwrap_or(path).to_string(), caps: caps_named });
            }
            parsed.push(Policy::parse(&text, &format!("p{i}")).expect("generated policy parses"));
        }
        let acl = Acl::new(&parsed);
        for probe in &probes {
            prop_assert_eq!(acl.capabilities(probe), reference_capabilities(&reference, probe), "probe {:?}", probe);
        }
    }
}

#[test]
fn ten_thousand_policies_build_and_answer() {
    let start = Instant::now();
    let policies: Vec<Policy> = (0..10_000)
        .map(|i| {
            let text = format!(
                "path \"group_{g}/project_{i}/secrets/kv/data/explicit/*\" {{ capabilities = [\"read\"] }}\n\
                 path \"group_{g}/+/secrets/kv/metadata/explicit/SECRET_{i}\" {{ capabilities = [\"list\"] }}\n\
                 path \"users/direct/user_{i}\" {{ capabilities = [\"create\", \"update\"] }}\n",
                g = i % 100
            );
            Policy::parse(&text, &format!("p{i}")).expect("policy parses")
        })
        .collect();
    let parsed = start.elapsed();
    let acl = Acl::new(&policies);
    let built = start.elapsed();
    assert_eq!(acl.rule_count(), 30_000);
    assert_eq!(
        acl.capabilities("group_7/project_507/secrets/kv/data/explicit/DB"),
        ["read"]
    );
    assert_eq!(
        acl.capabilities("group_7/project_1/secrets/kv/metadata/explicit/SECRET_507"),
        ["list"]
    );
    assert_eq!(
        acl.capabilities("group_8/project_1/secrets/kv/metadata/explicit/SECRET_507"),
        ["deny"]
    );
    assert_eq!(
        acl.capabilities("users/direct/user_9999"),
        ["create", "update"]
    );
    let t = Instant::now();
    let n = 100_000;
    for i in 0..n {
        let _ = acl.capabilities(&format!(
            "group_{}/project_{i}/secrets/kv/data/explicit/X",
            i % 100
        ));
    }
    println!(
        "10k policies: parse {:?}, build {:?}, {:.2} us/check",
        parsed,
        built - parsed,
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
