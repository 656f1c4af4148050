//! Unit tests per rule of OpenBao's ACL semantics.

use super::*;
use serde_json::{json, Map, Value};

fn acl(texts: &[&str]) -> Acl {
    let policies: Vec<Policy> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Policy::parse(t, &format!("p{i}")).expect("policy parses"))
        .collect();
    Acl::new(&policies)
}

fn caps(a: &Acl, path: &str) -> Vec<&'static str> {
    a.capabilities(path)
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

#[test]
fn exact_rule_wins_outright() {
    let a = acl(&[
        r#"path "a/b" { capabilities = ["read"] } path "a/*" { capabilities = ["list", "update"] }"#,
    ]);
    assert_eq!(caps(&a, "a/b"), ["read"]);
    assert_eq!(caps(&a, "a/c"), ["list", "update"]);
    assert_eq!(caps(&a, "b"), ["deny"]);
}

#[test]
fn leading_slashes_and_whitespace_are_stripped() {
    let a = acl(&[r#"path "/a/b" { capabilities = ["read"] }"#]);
    assert_eq!(caps(&a, "a/b"), ["read"]);
    assert_eq!(caps(&a, "//a/b"), ["read"]);
    assert_eq!(caps(&a, "  a/b \n"), ["read"]);
}

#[test]
fn list_tries_exact_rule_without_trailing_slash() {
    let a =
        acl(&[r#"path "a/b" { capabilities = ["list"] } path "c*" { capabilities = ["read"] }"#]);
    assert_eq!(caps(&a, "a/b/"), ["list"]);
    assert_eq!(caps(&a, "c/"), ["read"]);
}

#[test]
fn longest_prefix_wins_among_globs() {
    let a = acl(&[
        r#"path "a/*" { capabilities = ["read"] } path "a/b/*" { capabilities = ["update"] }"#,
    ]);
    assert_eq!(caps(&a, "a/b/c"), ["update"]);
    assert_eq!(caps(&a, "a/c"), ["read"]);
    assert_eq!(caps(&a, "a/"), ["read"]);
    assert_eq!(caps(&a, "a"), ["deny"]);
}

#[test]
fn star_is_literal_except_at_the_end() {
    let a = acl(&[r#"path "a/*/b" { capabilities = ["read"] }"#]);
    assert_eq!(caps(&a, "a/*/b"), ["read"]);
    assert_eq!(caps(&a, "a/x/b"), ["deny"]);
}

#[test]
fn plus_matches_exactly_one_segment_even_empty() {
    let a = acl(&[r#"path "a/+/c" { capabilities = ["read"] }"#]);
    assert_eq!(caps(&a, "a/b/c"), ["read"]);
    assert_eq!(caps(&a, "a//c"), ["read"]);
    assert_eq!(caps(&a, "a/b/x/c"), ["deny"]);
    assert_eq!(caps(&a, "a/b/c/d"), ["deny"]);
}

#[test]
fn later_first_wildcard_wins() {
    let a = acl(&[
        r#"path "a/+/c/*" { capabilities = ["read"] } path "a/b/*" { capabilities = ["update"] }"#,
    ]);
    // prefix "a/b/" has its glob at 4; "+" is at 2: the prefix rule wins.
    assert_eq!(caps(&a, "a/b/c/d"), ["update"]);
    let a = acl(&[
        r#"path "a/b/+/d" { capabilities = ["read"] } path "a/*" { capabilities = ["update"] }"#,
    ]);
    assert_eq!(caps(&a, "a/b/c/d"), ["read"]);
}

#[test]
fn non_prefix_then_fewer_plus_then_longer_then_larger() {
    let a = acl(&[
        r#"path "a/+/c" { capabilities = ["read"] } path "a/+/c*" { capabilities = ["update"] }"#,
    ]);
    assert_eq!(caps(&a, "a/b/c"), ["read"]);
    let a = acl(&[
        r#"path "a/+/+" { capabilities = ["read"] } path "a/+/c" { capabilities = ["update"] }"#,
    ]);
    assert_eq!(caps(&a, "a/b/c"), ["update"]);
    let a = acl(&[
        r#"path "a/+/c*" { capabilities = ["read"] } path "a/+/cd*" { capabilities = ["update"] }"#,
    ]);
    assert_eq!(caps(&a, "a/b/cde"), ["update"]);
}

#[test]
fn identical_paths_merge_and_deny_wins() {
    let a = acl(&[
        r#"path "a" { capabilities = ["read"] }"#,
        r#"path "a" { capabilities = ["update"] } path "b" { capabilities = ["read"] }"#,
        r#"path "b" { capabilities = ["deny"] }"#,
    ]);
    assert_eq!(caps(&a, "a"), ["read", "update"]);
    assert_eq!(caps(&a, "b"), ["deny"]);
    // Different strings do not merge: the exact rule decides alone.
    let a =
        acl(&[r#"path "a*" { capabilities = ["deny"] } path "ab" { capabilities = ["read"] }"#]);
    assert_eq!(caps(&a, "ab"), ["read"]);
}

#[test]
fn legacy_policy_shorthand() {
    let a = acl(&[
        r#"path "r" { policy = "read" } path "w" { policy = "write" } path "s" { policy = "sudo" } path "d" { policy = "deny" capabilities = ["read"] }"#,
    ]);
    assert_eq!(caps(&a, "r"), ["list", "read"]);
    assert_eq!(
        caps(&a, "w"),
        ["create", "delete", "list", "read", "update"]
    );
    assert_eq!(
        caps(&a, "s"),
        ["create", "delete", "list", "read", "sudo", "update"]
    );
    assert_eq!(caps(&a, "d"), ["deny"]);
    let err = Policy::parse(r#"path "x" { policy = "all" }"#, "p").unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"failed to parse policy: path "x": path "x": invalid policy "all""#
    );
}

#[test]
fn capability_names_are_checked() {
    for bad in ["subscribe", "root", "READ", "write", "*"] {
        let text = format!(r#"path "x" {{ capabilities = ["{bad}"] }}"#);
        let err = Policy::parse(&text, "p").unwrap_err().to_string();
        assert_eq!(
            err,
            format!(r#"failed to parse policy: path "x": path "x": invalid capability "{bad}""#)
        );
    }
    // deny short-circuits: later names are not looked at.
    assert!(Policy::parse(r#"path "x" { capabilities = ["deny", "bogus"] }"#, "p").is_ok());
}

#[test]
fn invalid_keys_are_reported_like_openbao() {
    let err = Policy::parse(
        "path \"x\" {\n  capabilities = [\"read\"]\n  foo = 1\n}",
        "p",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "failed to parse policy: path \"x\": 1 error occurred:\n\t* invalid key \"foo\" on line 3\n\n"
    );
    let err =
        Policy::parse("bogus = 1\npath \"x\" { capabilities = [\"read\"] }", "p").unwrap_err();
    assert_eq!(
        err.to_string(),
        "failed to parse policy: 1 error occurred:\n\t* invalid key \"bogus\" on line 1\n\n"
    );
    let err = Policy::parse(r#"path "a+*" { capabilities = ["read"] }"#, "p").unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"failed to parse policy: path "a+*": invalid use of wildcards ('+*' is forbidden)"#
    );
}

#[test]
fn repeated_attributes_and_blocks_merge_as_hcl1() {
    let a = acl(&[
        r#"path "x" { capabilities = ["read"] capabilities = ["list"] }
path "x" { capabilities = ["update"] }"#,
    ]);
    assert_eq!(caps(&a, "x"), ["list", "read", "update"]);
}

#[test]
fn json_policies() {
    let a = acl(&[r#"{"path": {"a/*": {"capabilities": ["read"]}, "b": {"policy": "write"}}}"#]);
    assert_eq!(caps(&a, "a/x"), ["read"]);
    assert_eq!(
        caps(&a, "b"),
        ["create", "delete", "list", "read", "update"]
    );
}

#[test]
fn expired_rules_are_ignored() {
    let a = acl(&[
        r#"path "old" { capabilities = ["read"] expiration = "2020-01-01T00:00:00Z" }
path "new" { capabilities = ["read"] expiration = "2999-01-01T00:00:00Z" }"#,
    ]);
    assert_eq!(caps(&a, "old"), ["deny"]);
    assert_eq!(caps(&a, "new"), ["read"]);
    // A rule that expires after parsing is dropped when the ACL is built.
    let p = Policy::parse_at(
        r#"path "x" { capabilities = ["read"] expiration = "2030-01-01T00:00:00Z" }"#,
        "p",
        0,
    )
    .unwrap();
    let later = Acl::build(
        std::slice::from_ref(&p),
        &TemplateValues::new(),
        2_000_000_000,
    );
    assert_eq!(later.capabilities("x"), ["deny"]);
    assert_eq!(
        Acl::build(&[p], &TemplateValues::new(), 0).capabilities("x"),
        ["read"]
    );
    let err = Policy::parse(
        r#"path "x" { capabilities = ["read"] expiration = "soon" }"#,
        "p",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"failed to parse policy: path "x": invalid expiration time: could not parse string as date and time"#
    );
}

#[test]
fn templates_are_substituted_or_dropped() {
    let p = Policy::parse(
        r#"path "secret/{{identity.entity.id}}/*" { capabilities = ["read"] }
path "team/{{ identity.entity.metadata.team }}/+" { capabilities = ["list"] }
path "plain" { capabilities = ["update"] }"#,
        "t",
    )
    .unwrap();
    assert!(p.is_templated());
    let none = Acl::new(std::slice::from_ref(&p));
    assert_eq!(none.capabilities("secret/e1/x"), ["deny"]);
    assert_eq!(none.capabilities("plain"), ["update"]);
    let mut values = TemplateValues::new();
    values.insert("identity.entity.id".into(), "e1".into());
    values.insert("identity.entity.metadata.team".into(), "blue".into());
    let with = Acl::with_identity(std::slice::from_ref(&p), &values);
    assert_eq!(with.capabilities("secret/e1/x"), ["read"]);
    assert_eq!(with.capabilities("secret/e2/x"), ["deny"]);
    assert_eq!(with.capabilities("team/blue/y"), ["list"]);
    values.insert("identity.entity.id".into(), "*".into());
    assert_eq!(
        Acl::with_identity(&[p], &values).capabilities("secret/*/x"),
        ["deny"]
    );
    let err = Policy::parse(r#"path "a/{{x" { capabilities = ["read"] }"#, "p").unwrap_err();
    assert_eq!(
        err.to_string(),
        "failed to parse policy: failed to validate policy templating: unbalanced templating characters"
    );
}

#[test]
fn allowed_checks_one_capability() {
    let a = acl(&[
        r#"path "a" { capabilities = ["read", "list"] } path "d" { capabilities = ["deny"] }"#,
    ]);
    assert!(a.allowed("read", "a"));
    assert!(!a.allowed("update", "a"));
    assert!(!a.allowed("deny", "d"));
    assert!(!a.allowed("read", "d"));
    assert!(!a.allowed("bogus", "a"));
}

#[test]
fn explain_names_the_deciding_rule() {
    let a = acl(&[
        r#"path "a/*" { capabilities = ["read"] }"#,
        r#"path "a/*" { capabilities = ["list"] } path "a/+/c" { capabilities = ["update"] }"#,
    ]);
    let e = a.explain("a/b").unwrap();
    assert_eq!(e.policies, ["p0", "p1"]);
    assert_eq!(e.rule_path, "a/*");
    assert_eq!(e.kind, RuleKind::Prefix);
    assert_eq!(e.capabilities, ["list", "read"]);
    let e = a.explain("a/b/c").unwrap();
    assert_eq!((e.rule_path.as_str(), e.kind), ("a/+/c", RuleKind::Segment));
    assert!(a.explain("zzz").is_none());
}

#[test]
fn capabilities_many_keeps_order_across_threshold() {
    let a = acl(&[r#"path "a/*" { capabilities = ["read"] }"#]);
    let paths: Vec<String> = (0..1000)
        .map(|i| {
            if i % 2 == 0 {
                format!("a/{i}")
            } else {
                format!("b/{i}")
            }
        })
        .collect();
    let out = a.capabilities_many(&paths);
    assert_eq!(out.len(), 1000);
    for (i, c) in out.iter().enumerate() {
        assert_eq!(
            c,
            &if i % 2 == 0 {
                vec!["read"]
            } else {
                vec!["deny"]
            }
        );
    }
    assert_eq!(
        a.capabilities_many(&["a/x", "q"]),
        vec![vec!["read"], vec!["deny"]]
    );
}

#[test]
fn authorize_applies_parameters() {
    let a = acl(&[r#"
path "w" {
  capabilities = ["create", "update"]
  allowed_parameters = { "name" = ["prod-*", "dev"] "ttl" = [] }
  denied_parameters = { "name" = ["prod-secret"] }
  required_parameters = ["name"]
}
path "any" { capabilities = ["update"] allowed_parameters = { "*" = [] } denied_parameters = { "force" = [true] } }
path "none" { capabilities = ["update"] denied_parameters = { "*" = [] } }
path "wrap" { capabilities = ["read"] min_wrapping_ttl = "1m" }
path "page/" { capabilities = ["list"] pagination_limit = 10 }
"#]);
    let op = Operation::Update;
    assert_eq!(
        a.authorize(op, "w", &obj(json!({"name": "prod-db"}))),
        Ok(())
    );
    assert_eq!(
        a.authorize(op, "w", &obj(json!({"name": "dev", "ttl": 5}))),
        Ok(())
    );
    assert_eq!(
        a.authorize(op, "w", &obj(json!({"ttl": "1h"}))),
        Err(Denied::MissingParameter("name".into()))
    );
    assert_eq!(
        a.authorize(op, "w", &obj(json!({"name": "prod-secret"}))),
        Err(Denied::DeniedParameter("name".into()))
    );
    assert_eq!(
        a.authorize(op, "w", &obj(json!({"name": "stage"}))),
        Err(Denied::NotAllowedParameter("name".into()))
    );
    assert_eq!(
        a.authorize(op, "w", &obj(json!({"name": "dev", "other": 1}))),
        Err(Denied::NotAllowedParameter("other".into()))
    );
    assert_eq!(
        a.authorize(Operation::Delete, "w", &Map::new()),
        Err(Denied::Capability("delete"))
    );
    assert_eq!(a.authorize(op, "any", &obj(json!({"x": 1}))), Ok(()));
    assert_eq!(
        a.authorize(op, "any", &obj(json!({"force": true}))),
        Err(Denied::DeniedParameter("force".into()))
    );
    assert_eq!(a.authorize(op, "none", &Map::new()), Ok(()));
    assert_eq!(
        a.authorize(op, "none", &obj(json!({"x": 1}))),
        Err(Denied::DeniedParameter("*".into()))
    );
    assert_eq!(
        a.authorize(Operation::Read, "wrap", &Map::new()),
        Err(Denied::WrappingTtl)
    );
    assert_eq!(
        a.authorize(Operation::List, "page/", &obj(json!({"limit": 5}))),
        Ok(())
    );
    assert_eq!(
        a.authorize(Operation::List, "page/", &obj(json!({"limit": "max"}))),
        Ok(())
    );
    assert_eq!(
        a.authorize(Operation::List, "page/", &obj(json!({"limit": 11}))),
        Err(Denied::PaginationLimit)
    );
    assert_eq!(
        a.authorize(Operation::Read, "page/", &Map::new()),
        Err(Denied::Capability("read"))
    );
}

#[test]
fn parameter_lists_merge_and_empty_list_allows_any() {
    let a = acl(&[
        r#"path "x" { capabilities = ["update"] allowed_parameters = { "a" = ["1"] } }"#,
        r#"path "x" { capabilities = ["update"] allowed_parameters = { "a" = ["2"] "b" = [] } }"#,
    ]);
    assert_eq!(
        a.authorize(Operation::Update, "x", &obj(json!({"a": "1"}))),
        Ok(())
    );
    assert_eq!(
        a.authorize(Operation::Update, "x", &obj(json!({"a": "2", "b": "z"}))),
        Ok(())
    );
    assert!(a
        .authorize(Operation::Update, "x", &obj(json!({"a": "3"})))
        .is_err());
}

#[test]
fn wrapping_ttl_bounds_are_validated() {
    let err = Policy::parse(
        r#"path "x" { capabilities = ["read"] min_wrapping_ttl = "2h" max_wrapping_ttl = "1h" }"#,
        "p",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "failed to parse policy: path \"x\": max_wrapping_ttl cannot be less than min_wrapping_ttl"
    );
    let p = Policy::parse(
        r#"path "x" { capabilities = ["read"] min_wrapping_ttl = 90 max_wrapping_ttl = "2h30m" }"#,
        "p",
    )
    .unwrap();
    assert_eq!(p.rules()[0].perms.min_wrapping_ttl_ns, 90_000_000_000);
    assert_eq!(p.rules()[0].perms.max_wrapping_ttl_ns, 9_000_000_000_000);
}

#[test]
fn types_are_send_and_sync() {
    fn is<T: Send + Sync>() {}
    is::<Acl>();
    is::<Policy>();
    is::<PolicyError>();
}

#[test]
fn effective_set_matches_names() {
    assert_eq!(Capabilities::empty().effective(), Capabilities::DENY);
    assert_eq!(
        (Capabilities::DENY | Capabilities::READ).effective(),
        Capabilities::DENY
    );
    let rl = Capabilities::READ | Capabilities::LIST;
    assert_eq!(rl.effective(), rl);
    for bits in 0u16..512 {
        let set = (0..9)
            .filter(|b| bits & (1 << b) != 0)
            .fold(Capabilities::empty(), |acc, b| {
                acc | Capabilities::from_name(
                    [
                        "deny", "create", "read", "update", "delete", "list", "sudo", "patch",
                        "scan",
                    ][b],
                )
                .unwrap()
            });
        assert_eq!(set.bits(), bits);
        assert_eq!(set.effective().names(), set.names());
    }
}

#[test]
fn capability_sets_many_agrees_with_capabilities_and_builds_from_refs() {
    let policies: Vec<std::sync::Arc<Policy>> = [
        r#"path "a/*" { capabilities = ["read"] }"#,
        r#"path "a/+/c" { capabilities = ["list", "update"] }"#,
        r#"path "a/b/c" { capabilities = ["deny"] }"#,
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| std::sync::Arc::new(Policy::parse(t, &format!("p{i}")).unwrap()))
    .collect();
    let acl = Acl::new(policies.iter().map(|p| &**p));
    let paths: Vec<String> = (0..600)
        .map(|i| ["a/x", "a/b/c", "a/q/c", "zzz", "a/q/c/"][i % 5].to_string())
        .collect();
    for chunk in [&paths[..3], &paths[..]] {
        let sets = acl.capability_sets_many(chunk);
        assert_eq!(sets.len(), chunk.len());
        for (p, s) in chunk.iter().zip(sets) {
            assert_eq!(s.names(), acl.capabilities(p), "{p}");
            assert_eq!(s, acl.capability_set(p));
        }
    }
}

#[test]
fn many_segment_rules_sharing_a_first_segment() {
    let text: String = (0..5000)
        .map(|i| {
            format!(
                "path \"projects/p{i}/+/env/*\" {{ capabilities = [\"create\"] }}\n\
                 path \"projects/+/p{i}/x\" {{ capabilities = [\"read\"] }}\n\
                 path \"+/p{i}/+b/c*\" {{ capabilities = [\"list\"] }}\n"
            )
        })
        .collect();
    let acl = acl(&[&text]);
    assert_eq!(acl.rule_count(), 15_000);
    assert_eq!(caps(&acl, "projects/p42/any/env/dev"), vec!["create"]);
    assert_eq!(caps(&acl, "projects/p42/any/env"), vec!["deny"]);
    assert_eq!(caps(&acl, "projects/q/p4999/x"), vec!["read"]);
    assert_eq!(caps(&acl, "projects/p7/p7/x"), vec!["read"]);
    assert_eq!(caps(&acl, "projects/p7/p8/env/x"), vec!["create"]);
    assert_eq!(caps(&acl, "zz/p3/+b/cde"), vec!["list"]);
    assert_eq!(caps(&acl, "zz/p3/xb/cde"), vec!["deny"]);
}

#[test]
fn empty_text_is_refused_like_openbao() {
    assert_eq!(Policy::parse("", "p").unwrap_err(), PolicyError::Empty);
    assert_eq!(
        PolicyError::Empty.to_string(),
        "'policy' parameter not supplied or empty"
    );
    // OpenBao stores whitespace or a lone comment as a policy without rules.
    for text in ["   ", "\n", "# nothing"] {
        assert!(Policy::parse(text, "p").unwrap().rules().is_empty());
    }
}

#[test]
fn control_group_needs_a_factor_like_openbao() {
    let no_factor = |path: &str| {
        format!(
            "failed to parse policy: path \"{path}\": error handling control_group: 1 error occurred:\n\t* requires at least one factor but had none\n\n"
        )
    };
    for text in [
        "path \"x\" { capabilities = [\"read\"]\n control_group = { ttl = \"1h\" } }",
        "path \"x\" { capabilities = [\"read\"] control_group = {} }",
        r#"{"path": {"x": {"capabilities": ["read"], "control_group": {}}}}"#,
        r#"{"path": {"x": {"capabilities": ["read"], "control_group": {"factor": {}}}}}"#,
    ] {
        assert_eq!(
            Policy::parse(text, "p").unwrap_err().to_string(),
            no_factor("x"),
            "{text}"
        );
    }
    // Only the block without a factor is named; every block is checked.
    let two = "path \"x\" { capabilities = [\"read\"]\n control_group = { factor \"a\" { identity { group_names = [\"g\"] approvals = 1 } controlled_capabilities = [\"read\"] } } }\npath \"y\" { capabilities = [\"read\"] control_group = {} }";
    assert_eq!(
        Policy::parse(two, "p").unwrap_err().to_string(),
        no_factor("y")
    );
    let twice = "path \"x\" { capabilities = [\"read\"]\n control_group = { ttl = \"1h\" } control_group = { ttl = \"2h\" } }";
    assert_eq!(
        Policy::parse(twice, "p").unwrap_err().to_string(),
        "failed to parse policy: path \"x\": error handling control_group: 2 errors occurred:\n\t* requires at least one factor but had none\n\t* requires at least one factor but had none\n\n"
    );
    let keys = "path \"x\" { capabilities = [\"read\"]\n control_group = { foo = 1 bar = 2 } }";
    assert_eq!(
        Policy::parse(keys, "p").unwrap_err().to_string(),
        "failed to parse policy: path \"x\": error handling control_group: 2 errors occurred:\n\t* invalid key \"foo\" on line 2\n\t* invalid key \"bar\" on line 2\n\n"
    );
    let list = "path \"x\" { capabilities = [\"read\"]\n control_group = [] }";
    assert_eq!(
        Policy::parse(list, "p").unwrap_err().to_string(),
        "failed to parse policy: path \"x\": error handling control_group: 1 error occurred:\n\t* cannot check HCL keys of type *ast.ListType\n\n"
    );
    let with_factor = r#"{"path": {"x": {"capabilities": ["read"], "control_group": {"factor": {"a": {"identity": {"group_names": ["g"], "approvals": 1}, "controlled_capabilities": ["read"]}}}}}}"#;
    // OpenBao 2.7.2 reads a JSON factor's fields as control_group keys.
    assert_eq!(
        Policy::parse(with_factor, "p").unwrap_err().to_string(),
        "failed to parse policy: path \"x\": error handling control_group: 2 errors occurred:\n\t* invalid key \"identity\" on line 1\n\t* invalid key \"controlled_capabilities\" on line 1\n\n"
    );
    let hcl_factor = "path \"x\" { capabilities = [\"read\"]\n control_group = { factor \"a\" { identity { group_names = [\"g\"] approvals = 1 } controlled_capabilities = [\"read\"] } } }";
    assert!(Policy::parse(hcl_factor, "p").is_ok());
}
