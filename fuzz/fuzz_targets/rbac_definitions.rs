//! RBAC role definitions (the JSON document `RoleDefinitions::from_json`
//! reads; the Ruby YAML loader hands the same structure over) and
//! memberships (JSON), then checks: `can?` agrees with `abilities` and with
//! the batch `filter`, blocked users get nothing, and a lone membership
//! never covers a sibling path that merely shares its prefix.
//! Input layout: definitions, NUL, memberships array, NUL, probe paths.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::rbac::{Membership, Model, RoleDefinitions};
use pipeline_guard_fuzz::NOW;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\0');
    let defs_text = parts.next().unwrap_or_default();
    let members_text = parts.next().unwrap_or("[]");
    let probes = parts.next().unwrap_or_default();
    let model = if defs_text.trim().is_empty() {
        Model::with_default_roles()
    } else {
        let Ok(defs) = RoleDefinitions::from_json(defs_text) else {
            return;
        };
        match Model::new(&defs) {
            Ok(model) => model,
            Err(_) => return,
        }
    };
    let memberships: Vec<Membership> = serde_json::from_str(members_text).unwrap_or_default();
    let added: Vec<&Membership> = memberships
        .iter()
        .take(16)
        .filter(|m| model.add_membership(m).is_ok())
        .collect();
    let names: Vec<String> = model.ability_names().map(|(_, n)| n.to_owned()).collect();
    let mut paths: Vec<String> = probes.lines().take(8).map(str::to_owned).collect();
    for m in &added {
        paths.push(m.path.clone());
        paths.push(format!("{}/child", m.path));
        paths.push(format!("{}way", m.path));
    }
    let users: Vec<u64> = added.iter().map(|m| m.user_id).chain([u64::MAX]).collect();
    for &user in &users {
        for path in &paths {
            let abilities = model.abilities(user, path, NOW);
            for name in names.iter().take(32) {
                assert_eq!(
                    model.can(user, name, path, NOW),
                    abilities.contains(name),
                    "can? and abilities disagree: user {user} {name} {path:?}"
                );
            }
        }
        for name in names.iter().take(8) {
            let batch = model.filter(user, name, &paths, NOW);
            let single: Vec<bool> = paths
                .iter()
                .map(|p| model.can(user, name, p, NOW))
                .collect();
            assert_eq!(batch, single, "filter and can? disagree for {name}");
        }
    }
    if let [only] = added.as_slice() {
        let sibling = format!("{}way", only.path);
        assert!(
            model.abilities(only.user_id, &sibling, NOW).is_empty(),
            "membership on {:?} covers {sibling:?}",
            only.path
        );
    }
    if let Some(m) = added.first() {
        model.block_user(m.user_id);
        assert!(
            model.abilities(m.user_id, &m.path, NOW).is_empty(),
            "blocked user keeps abilities"
        );
    }
});
