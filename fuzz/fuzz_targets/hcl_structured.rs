//! Structure-aware: an arbitrary policy AST (OpenBao-like path blocks and
//! capabilities) rendered as HCL v1 in varied layouts and as JSON. Both
//! must parse, and their ACLs must answer every probe path identically.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::acl::{Acl, Policy, PolicyError};
use pipeline_guard_fuzz::policy_ast::{check_acl_invariants, PolicyAst};
use pipeline_guard_fuzz::NOW;

fuzz_target!(|input: (PolicyAst, Vec<String>)| {
    let (ast, extra) = input;
    let hcl = ast.to_hcl();
    let json = ast.to_json();
    let from_hcl = Policy::parse_at(&hcl, "hcl", NOW);
    if hcl.is_empty() {
        // An empty text is refused as OpenBao refuses it; the JSON form of
        // an empty AST (`{"path":{}}`) is not empty text.
        assert_eq!(from_hcl.err(), Some(PolicyError::Empty));
        return;
    }
    let from_json = Policy::parse_at(&json, "json", NOW);
    let (from_hcl, from_json) = match (from_hcl, from_json) {
        (Ok(h), Ok(j)) => (h, j),
        // Refused alike (e.g. a `+*` path): nothing more to compare.
        (Err(_), Err(_)) => return,
        (h, j) => panic!("HCL and JSON forms disagree on validity:\n{hcl}\n{json}\n{h:?}\n{j:?}"),
    };
    let acl_hcl = Acl::new([&from_hcl]);
    let acl_json = Acl::new([&from_json]);
    let probes = ast.probes(&extra[..extra.len().min(8)]);
    check_acl_invariants(&acl_hcl, &probes);
    for path in &probes {
        assert_eq!(
            acl_hcl.capabilities(path),
            acl_json.capabilities(path),
            "HCL and JSON policies answer differently for {path:?}\n{hcl}\n{json}"
        );
    }
});
