//! Property test: the indexed RBAC check equals a naive scan of memberships.

use pipeline_guard_core::rbac::{
    AccessLevel, MemberRoleDefinition, Membership, Model, RoleDefinitions,
};
use proptest::prelude::*;

const SEGMENTS: [&str; 4] = ["a", "b", "ab", "c"];

fn path_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(SEGMENTS.to_vec()), 1..4).prop_map(|s| s.join("/"))
}

fn membership_strategy() -> impl Strategy<Value = Membership> {
    (
        0u64..3,
        path_strategy(),
        prop::sample::select(AccessLevel::ALL.to_vec()),
        prop::option::of(1u64..3),
        prop::option::of(0i64..20),
    )
        .prop_map(
            |(user_id, path, access_level, member_role_id, expires_at)| Membership {
                user_id,
                path,
                access_level,
                member_role_id,
                expires_at,
            },
        )
}

fn definitions() -> RoleDefinitions {
    let mut defs = RoleDefinitions::secrets_manager_default();
    defs.member_roles = vec![
        MemberRoleDefinition {
            id: 1,
            base_access_level: 10,
            abilities: vec!["admin_project_secrets_manager".into()],
        },
        MemberRoleDefinition {
            id: 2,
            base_access_level: 20,
            abilities: vec!["custom_thing".into()],
        },
    ];
    defs
}

/// Abilities a level grants in the default table, from GitLab's policy.
fn naive_level_has(level: AccessLevel, ability: &str) -> bool {
    let reporter = [
        "read_project_secrets",
        "create_project_secrets",
        "read_secret",
    ];
    let owner = ["admin_project_secrets_manager", "update_secrets_permission"];
    (reporter.contains(&ability) && level >= AccessLevel::Reporter)
        || (owner.contains(&ability) && level == AccessLevel::Owner)
}

fn naive_can(
    ms: &[Membership],
    blocked: &[u64],
    user: u64,
    ability: &str,
    path: &str,
    now: i64,
) -> bool {
    if blocked.contains(&user) {
        return false;
    }
    ms.iter().any(|m| {
        let covers = path == m.path || path.starts_with(&format!("{}/", m.path));
        let active = m.expires_at.is_none_or(|t| now < t);
        // A stored membership's member role has the membership's level as
        // its base, so the role adds only its own abilities.
        let role_has = match m.member_role_id {
            Some(1) => ability == "admin_project_secrets_manager",
            Some(2) => ability == "custom_thing",
            _ => false,
        };
        m.user_id == user
            && covers
            && active
            && (naive_level_has(m.access_level, ability) || role_has)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn indexed_can_equals_naive_scan(
        ms in prop::collection::vec(membership_strategy(), 0..30),
        blocked in prop::collection::vec(0u64..3, 0..2),
        removals in prop::collection::vec((0u64..3, path_strategy()), 0..5),
        probes in prop::collection::vec((0u64..3, path_strategy(), 0i64..25), 1..20),
    ) {
        let model = Model::new(&definitions()).unwrap();
        // Later memberships on the same user+path replace earlier ones.
        let mut stored: Vec<Membership> = Vec::new();
        for m in &ms {
            // Member role 1 is based on Guest, 2 on Reporter; any other
            // pairing is refused and changes nothing.
            let base = match m.member_role_id {
                Some(1) => Some(AccessLevel::Guest),
                Some(2) => Some(AccessLevel::Reporter),
                _ => None,
            };
            if base.is_some_and(|b| b != m.access_level) {
                prop_assert!(model.add_membership(m).is_err());
                continue;
            }
            model.add_membership(m).unwrap();
            stored.retain(|s| !(s.user_id == m.user_id && s.path == m.path));
            stored.push(m.clone());
        }
        for (user, path) in &removals {
            let existed = stored.iter().any(|s| s.user_id == *user && &s.path == path);
            prop_assert_eq!(model.remove_membership(*user, path), existed);
            stored.retain(|s| !(s.user_id == *user && &s.path == path));
        }
        for b in &blocked {
            model.block_user(*b);
        }
        prop_assert_eq!(model.membership_count(), stored.len());
        for ability in ["read_project_secrets", "admin_project_secrets_manager", "custom_thing", "read_secret"] {
            for (user, path, now) in &probes {
                prop_assert_eq!(
                    model.can(*user, ability, path, *now),
                    naive_can(&stored, &blocked, *user, ability, path, *now),
                    "user {} ability {} path {} now {}", user, ability, path, now
                );
            }
            let paths: Vec<&str> = probes.iter().map(|(_, p, _)| p.as_str()).collect();
            let batch = model.filter(0, ability, &paths, 5);
            let single: Vec<bool> = paths.iter().map(|p| model.can(0, ability, p, 5)).collect();
            prop_assert_eq!(batch, single);
        }
    }
}

#[test]
fn check_cost_is_flat_in_membership_count() {
    // 100k memberships of other users must not slow one user's check: the
    // index is per user, so the answer is the same and the lookup touches
    // only this user's entries.
    let model = Model::with_default_roles();
    for i in 0..100_000u64 {
        model
            .add_membership(&Membership {
                user_id: i + 10,
                path: format!("g{}/p", i % 1000),
                access_level: AccessLevel::Owner,
                member_role_id: None,
                expires_at: None,
            })
            .unwrap();
    }
    model
        .add_membership(&Membership {
            user_id: 1,
            path: "g5".into(),
            access_level: AccessLevel::Reporter,
            member_role_id: None,
            expires_at: None,
        })
        .unwrap();
    assert!(model.can(1, "read_project_secrets", "g5/p/x", 0));
    assert!(!model.can(1, "admin_project_secrets_manager", "g5/p", 0));
    assert!(!model.can(1, "read_project_secrets", "g6/p", 0));
    assert_eq!(model.membership_count(), 100_001);
}
