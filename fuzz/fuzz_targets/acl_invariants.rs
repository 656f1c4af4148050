//! Policy text (HCL or JSON) plus probe paths: parse, build the ACL, and
//! check what every answer must satisfy (sorted, deterministic, deny alone,
//! batch equals single, `allowed?` and `explain` agree, merging a policy
//! with itself changes nothing).
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::acl::{Acl, Policy};
use pipeline_guard_fuzz::{policy_ast::check_acl_invariants, NOW};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Layout: policy text, then a NUL, then newline-separated probe paths.
    let (policy_text, probes) = text.split_once('\0').unwrap_or((text, ""));
    let Ok(policy) = Policy::parse_at(policy_text, "p1", NOW) else {
        return;
    };
    let mut paths: Vec<String> = probes.lines().take(32).map(str::to_owned).collect();
    for rule in policy.rules() {
        paths.push(rule.raw_path.clone());
        paths.push(format!("{}x", rule.path));
    }
    let acl = Acl::new([&policy]);
    check_acl_invariants(&acl, &paths);
    let twin = Policy::parse_at(policy_text, "p2", NOW).expect("same text parses twice");
    let doubled = Acl::new([&policy, &twin]);
    for path in &paths {
        assert_eq!(
            acl.capabilities(path),
            doubled.capabilities(path),
            "a policy merged with itself changed {path:?}"
        );
    }
});
