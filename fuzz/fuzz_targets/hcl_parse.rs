//! Raw text into the HCL v1 parser and the policy decoder (HCL and JSON
//! policies): any input must give a tree or an error, never a panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::acl::{hcl, Policy};
use pipeline_guard_fuzz::NOW;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let tree = hcl::parse(text);
    let policy = Policy::parse_at(text, "fuzz", NOW);
    // The policy decoder reads the tree: a syntax error there is one here.
    if tree.is_err() {
        assert!(
            policy.is_err(),
            "policy accepted text the HCL parser refused"
        );
    }
    if let Ok(p) = policy {
        // Parsing is a pure function of the text and the clock.
        assert_eq!(Policy::parse_at(text, "fuzz", NOW).as_ref(), Ok(&p));
    }
});
