//! Property tests: indexed pipeline access equals a naive filter written
//! independently (recursive glob matching), and incremental CI policy
//! documents equal a full re-render.

use std::collections::{BTreeMap, BTreeSet};

use pipeline_guard_core::secrets::{
    pipeline_secrets, BookKind, CiPolicyBook, PipelineClaims, Secret, SecretIndex,
};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Backtracking glob match: `*` matches any run of characters.
fn glob(pattern: &[u8], value: &[u8]) -> bool {
    match pattern.split_first() {
        None => value.is_empty(),
        Some((b'*', rest)) => (0..=value.len()).any(|i| glob(rest, &value[i..])),
        Some((c, rest)) => value.first() == Some(c) && glob(rest, &value[1..]),
    }
}

fn scope_matches(scope: &str, value: Option<&str>) -> bool {
    scope == "*" || value.is_some_and(|v| !v.is_empty() && glob(scope.as_bytes(), v.as_bytes()))
}

fn naive(
    secrets: &[Secret],
    env: Option<&str>,
    git_ref: Option<&str>,
    ref_type: &str,
    protected: bool,
) -> Vec<String> {
    let branch = if ref_type == "branch" { git_ref } else { None };
    let mut out: Vec<String> = secrets
        .iter()
        .filter(|s| {
            (!s.protected || protected)
                && scope_matches(&s.environment, env)
                && scope_matches(&s.branch, branch)
        })
        .map(|s| s.name.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

const ENV_SCOPES: [&str; 7] = [
    "*",
    "production",
    "review/*",
    "review/a",
    "*/a",
    "re*ew/*",
    "staging",
];
const ENVS: [&str; 7] = [
    "production",
    "review/a",
    "review/",
    "review/a/b",
    "staging",
    "x/a",
    "",
];
const BRANCH_SCOPES: [&str; 5] = ["*", "main", "release/*", "*-fix", "release/1.0"];
const REFS: [&str; 5] = ["main", "release/1.0", "hot-fix", "release/", "v1.0"];

fn secret_strategy() -> impl Strategy<Value = Secret> {
    (
        0usize..12,
        prop::sample::select(ENV_SCOPES.to_vec()),
        prop::sample::select(BRANCH_SCOPES.to_vec()),
        any::<bool>(),
    )
        .prop_map(|(n, env, branch, protected)| {
            Secret::new(format!("S{n}"))
                .scoped(env, branch)
                .protected(protected)
        })
}

fn claims(env: &str, git_ref: &str, ref_type: &str, protected: bool) -> Map<String, Value> {
    let value = json!({
        "sub": "project_path:g/p", "secrets_manager_scope": "pipeline", "project_id": 1,
        "user_id": 2, "environment": env, "ref": git_ref, "ref_type": ref_type,
        "ref_protected": if protected { "true" } else { "false" },
    });
    value.as_object().cloned().unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn pipeline_secrets_equals_naive_filter(
        raw in prop::collection::vec(secret_strategy(), 0..20),
        env in prop::sample::select(ENVS.to_vec()),
        git_ref in prop::sample::select(REFS.to_vec()),
        ref_type in prop::sample::select(vec!["branch", "tag"]),
        protected in any::<bool>(),
    ) {
        // Names are unique per project: keep the last definition of each.
        let mut by_name = BTreeMap::new();
        for s in raw { by_name.insert(s.name.clone(), s); }
        let secrets: Vec<Secret> = by_name.into_values().collect();
        let c = claims(env, git_ref, ref_type, protected);
        let want = naive(&secrets, Some(env), Some(git_ref), ref_type, protected);
        prop_assert_eq!(&pipeline_secrets(&secrets, &c, Some(1)).unwrap(), &want);
        let index = SecretIndex::new(&secrets).unwrap();
        let parsed = PipelineClaims::from_claims(&c, Some(1)).unwrap();
        prop_assert_eq!(index.readable(&parsed), want);
    }

    #[test]
    fn incremental_policies_equal_full_render(
        ops in prop::collection::vec((secret_strategy(), any::<bool>()), 1..40),
    ) {
        let mut book = CiPolicyBook::new(BookKind::Project);
        let mut live: BTreeMap<String, Secret> = BTreeMap::new();
        // What a consumer that applies every reported change would hold.
        let mut applied: BTreeMap<String, String> = BTreeMap::new();
        for (secret, remove) in ops {
            let update = if remove {
                live.remove(&secret.name);
                book.remove(&secret.name)
            } else {
                live.insert(secret.name.clone(), secret.clone());
                book.upsert(&secret).unwrap()
            };
            for change in update.changes {
                match change.policy {
                    Some(p) => { applied.insert(change.name, p.json()); }
                    None => { applied.remove(&change.name); }
                }
            }
        }
        let mut fresh = CiPolicyBook::new(BookKind::Project);
        for s in live.values() { fresh.upsert(s).unwrap(); }
        let full: BTreeMap<String, String> = fresh.policies().into_iter().map(|p| (p.name.clone(), p.json())).collect();
        prop_assert_eq!(&applied, &full);
        let want_names: BTreeSet<String> = live.values().map(|s| BookKind::Project.policy_name(s)).collect();
        prop_assert_eq!(full.keys().cloned().collect::<BTreeSet<_>>(), want_names);
        prop_assert_eq!(book.token_policies(), fresh.token_policies());
    }
}
