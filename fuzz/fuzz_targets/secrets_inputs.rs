//! Secrets-manager inputs as GraphQL passes them (principal type and id,
//! action names, expiry text, environment and branch scopes). A permission
//! that is accepted must produce OpenBao policies that the policy parser
//! accepts, in HCL and in JSON, with the same answers; a compiled scope
//! must match exactly like the allocation-free matcher.
//! Input layout: newline-separated fields.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::acl::{Acl, Policy};
use pipeline_guard_core::secrets::{data_path, metadata_path, scope_matches, Permission, Scope};
use pipeline_guard_fuzz::NOW;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut f = text.split('\n');
    let mut next = || f.next().unwrap_or_default();
    let (principal_type, id, actions, expiry) = (next(), next(), next(), next());
    let (scope_text, value) = (next(), next());
    let id = id.parse::<u64>().unwrap_or(7);
    let actions: Vec<&str> = actions.split(',').take(6).collect();
    let expiry = (!expiry.is_empty()).then_some(expiry);
    if let Ok(permission) = Permission::from_input(principal_type, id, &actions, expiry, None, NOW)
    {
        for policy in permission.openbao_policies() {
            let hcl = Policy::parse_at(&policy.hcl(), &policy.name, NOW)
                .unwrap_or_else(|e| panic!("own HCL refused: {e}\n{}", policy.hcl()));
            let json = Policy::parse_at(&policy.json(), &policy.name, NOW)
                .unwrap_or_else(|e| panic!("own JSON refused: {e}\n{}", policy.json()));
            let (a, b) = (Acl::new([&hcl]), Acl::new([&json]));
            for path in [
                data_path("DB"),
                metadata_path("DB"),
                "secrets/kv/data/explicit/".into(),
            ] {
                assert_eq!(a.capabilities(&path), b.capabilities(&path), "{path}");
            }
        }
    }
    if let Ok(scope) = Scope::parse(scope_text, "environment") {
        for v in [Some(value), None, Some(""), Some(scope_text)] {
            assert_eq!(
                scope.matches(v),
                scope_matches(scope_text, v),
                "{scope_text:?} vs {v:?}"
            );
        }
        assert_eq!(scope.as_str(), scope_text);
    }
});
