use super::*;

const RECORDED: &str = include_str!("../../../tests/data/openbao_audit_2.7.2.jsonl");

fn names(text: &[u8]) -> Vec<&'static str> {
    parse_many(text)
        .unwrap()
        .iter()
        .filter_map(|e| classify(e).map(Event::name))
        .collect()
}

#[test]
fn recorded_flow_yields_gitlabs_events_in_order() {
    assert_eq!(
        names(RECORDED.as_bytes()),
        [
            "secrets_manager_create_project_secret",
            "secrets_manager_update_project_secret",
            "secrets_manager_read_project_secret",
            "secrets_manager_read_project_secret",
            "secrets_manager_delete_project_secret",
            "secrets_manager_create_group_secret",
            "secrets_manager_update_group_secret",
            "secrets_manager_read_group_secret",
            "secrets_manager_read_group_secret",
            "secrets_manager_delete_group_secret",
        ]
    );
}

#[test]
fn recorded_entries_parse_with_their_facts() {
    let entries = parse_many(RECORDED.as_bytes()).unwrap();
    assert_eq!(entries.len(), RECORDED.lines().count());
    let read = entries
        .iter()
        .find(|e| classify(e).map(Event::name) == Some("secrets_manager_read_group_secret"))
        .unwrap();
    assert_eq!(read.entry_type, EntryType::Response);
    assert_eq!(read.operation(), Some("read"));
    assert_eq!(read.path(), Some("secrets/kv/data/explicit/DB_PASSWORD"));
    assert_eq!(read.namespace_path(), Some("org_1/group_10/group_10/"));
    assert_eq!(read.remote_address(), Some("127.0.0.1"));
    let auth = read.auth.as_ref().unwrap();
    assert_eq!(auth.token_type.as_deref(), Some("service"));
    assert_eq!(
        auth.policies.as_deref(),
        Some(&["default".to_string(), "secrets".to_string()][..])
    );
    let actor = Actor::of(read);
    assert_eq!(actor.user_id, Some(7));
    assert_eq!(actor.group_id, Some(10));
    assert_eq!(actor.project_id, Some(20));
    assert_eq!(actor.job_id, Some("67890"));
    assert_eq!(actor.pipeline_id, Some("12345"));
    assert!(actor.is_job());
    assert_eq!(secret_name(read.path().unwrap()), Some("DB_PASSWORD"));
}

fn entry(json: &str) -> Entry {
    parse_entry(json.as_bytes()).unwrap()
}

fn response(op: &str, path: &str, metadata: &str, data: &str) -> String {
    format!(
        r#"{{"type":"response","auth":{{"metadata":{metadata}}},"request":{{"operation":"{op}","path":"{path}","remote_address":"10.0.0.1"{data}}}}}"#
    )
}

const PROJECT: &str = r#"{"user_id":"7","project_id":"20"}"#;

#[test]
fn mapping_follows_gitlab() {
    let cases = [
        (
            "read",
            "secrets/kv/data/explicit/A",
            PROJECT,
            "",
            Some("secrets_manager_read_project_secret"),
        ),
        (
            "read",
            "/secrets/kv/data/explicit/A_1",
            PROJECT,
            "",
            Some("secrets_manager_read_project_secret"),
        ),
        (
            "create",
            "secrets/kv/data/explicit/A",
            PROJECT,
            "",
            Some("secrets_manager_create_project_secret"),
        ),
        ("update", "secrets/kv/data/explicit/A", PROJECT, "", None),
        ("delete", "secrets/kv/data/explicit/A", PROJECT, "", None),
        (
            "delete",
            "secrets/kv/metadata/explicit/A",
            PROJECT,
            "",
            Some("secrets_manager_delete_project_secret"),
        ),
        ("read", "secrets/kv/metadata/explicit/A", PROJECT, "", None),
        ("list", "secrets/kv/metadata/explicit/", PROJECT, "", None),
        ("read", "secrets/kv/data/explicit/A/B", PROJECT, "", None),
        ("read", "secrets/kv/data/explicit/A-B", PROJECT, "", None),
        ("read", "secrets/kv/data/explicit/É", PROJECT, "", None),
        ("read", "secrets/kv/data/explicit/", PROJECT, "", None),
        ("read", "//secrets/kv/data/explicit/A", PROJECT, "", None),
        ("read", "sys/auth", PROJECT, "", None),
        (
            "read",
            "secrets/kv/data/explicit/A",
            r#"{"user_id":"7"}"#,
            "",
            None,
        ),
        (
            "read",
            "secrets/kv/data/explicit/A",
            r#"{"project_id":" "}"#,
            "",
            None,
        ),
        (
            "read",
            "secrets/kv/data/explicit/A",
            r#"{"project_id":"20","group_id":"10"}"#,
            "",
            Some("secrets_manager_read_group_secret"),
        ),
        (
            "read",
            "secrets/kv/data/explicit/A",
            r#"{"project_id":"20","group_id":""}"#,
            "",
            Some("secrets_manager_read_project_secret"),
        ),
        (
            "update",
            "secrets/kv/metadata/explicit/A",
            PROJECT,
            "",
            None,
        ),
        (
            "update",
            "secrets/kv/metadata/explicit/A",
            PROJECT,
            r#","data":{"custom_metadata":{"update_started_at":"x"}}"#,
            None,
        ),
        (
            "update",
            "secrets/kv/metadata/explicit/A",
            PROJECT,
            r#","data":{"custom_metadata":{"update_completed_at":"x"}}"#,
            Some("secrets_manager_update_project_secret"),
        ),
        (
            "update",
            "secrets/kv/metadata/explicit/A",
            PROJECT,
            r#","data":{"custom_metadata":{"update_completed_at":null}}"#,
            Some("secrets_manager_update_project_secret"),
        ),
        (
            "update",
            "secrets/kv/metadata/explicit/A",
            PROJECT,
            r#","data":{"custom_metadata":"update_completed_at"}"#,
            None,
        ),
        (
            "update",
            "secrets/kv/metadata/explicit/A",
            PROJECT,
            r#","data":{"custom_metadata":["update_completed_at"]}"#,
            None,
        ),
        (
            "update",
            "secrets/kv/metadata/explicit/A",
            PROJECT,
            r#","data":{"x":{"update_completed_at":1}}"#,
            None,
        ),
        // A repeated key: the last one counts, as in Ruby's JSON.
        (
            "update",
            "secrets/kv/metadata/explicit/A",
            PROJECT,
            r#","data":{"custom_metadata":{"update_completed_at":1},"custom_metadata":{}}"#,
            None,
        ),
        (
            "update",
            "secrets/kv/metadata/explicit/A",
            PROJECT,
            r#","data":{"custom_metadata":{},"custom_metadata":{"update_completed_at":1}}"#,
            Some("secrets_manager_update_project_secret"),
        ),
        ("READ", "secrets/kv/data/explicit/A", PROJECT, "", None),
    ];
    for (op, path, metadata, data, want) in cases {
        let e = entry(&response(op, path, metadata, data));
        assert_eq!(
            classify(&e).map(Event::name),
            want,
            "{op} {path} {metadata} {data}"
        );
    }
}

#[test]
fn request_entries_are_never_events() {
    let text = response("read", "secrets/kv/data/explicit/A", PROJECT, "").replacen(
        "\"response\"",
        "\"request\"",
        1,
    );
    let e = entry(&text);
    assert_eq!(e.entry_type, EntryType::Request);
    assert_eq!(classify(&e), None);
}

#[test]
fn entries_without_auth_or_request_are_no_events() {
    assert_eq!(classify(&entry(r#"{"type":"response"}"#)), None);
    assert_eq!(
        classify(&entry(r#"{"type":"response","auth":null,"request":null}"#)),
        None
    );
    assert_eq!(
        classify(&entry(
            r#"{"type":"response","auth":{},"request":{"operation":"read","path":"secrets/kv/data/explicit/A"}}"#
        )),
        None
    );
}

#[test]
fn errors_are_kept_and_do_not_change_the_event() {
    let text = response("read", "secrets/kv/data/explicit/A", PROJECT, "").replacen(
        "{\"type\"",
        "{\"error\":\"permission denied\",\"type\"",
        1,
    );
    let e = entry(&text);
    assert_eq!(e.error.as_deref(), Some("permission denied"));
    assert_eq!(
        classify(&e).map(Event::name),
        Some("secrets_manager_read_project_secret")
    );
}

#[test]
fn ids_are_read_only_when_plain_decimal() {
    for (value, want) in [
        ("7", Some(7)),
        ("007", Some(7)),
        ("7a", None),
        (" 7", None),
        ("-7", None),
        ("", None),
        ("99999999999999999999999", None),
    ] {
        let e = entry(&format!(
            r#"{{"type":"response","auth":{{"metadata":{{"user_id":"{value}"}}}}}}"#
        ));
        assert_eq!(Actor::of(&e).user_id, want, "{value:?}");
    }
}

#[test]
fn unknown_fields_are_ignored() {
    let e = entry(
        r#"{"type":"response","future":{"a":[1,2,{"b":null}]},"auth":{"new":1,"metadata":{}},"request":{"headers":{"x":["y"]},"data":{"value":"hmac-sha256:00"}},"response":{"data":{"k":"v"}}}"#,
    );
    assert_eq!(e.entry_type, EntryType::Response);
}

#[test]
fn wrong_types_of_read_fields_are_refused_without_quoting_them() {
    for text in [
        r#"{"type":"answer"}"#,
        r#"{"type":1}"#,
        r#"{"type":"response","auth":{"policies":"root"}}"#,
        r#"{"type":"response","auth":{"metadata":{"user_id":7}}}"#,
        r#"{"type":"response","auth":{"metadata":["user_id"]}}"#,
        r#"{"type":"response","request":{"path":["secrets"]}}"#,
        r#"{"type":"response","request":{"namespace":"root"}}"#,
        r#"{"type":"response","request":{"data":"hmac-sha256:SECRETVALUE"}}"#,
        r#"{"type":"response","request":{"data":["SECRETVALUE"]}}"#,
        r#"{"type":"response","error":{"SECRETVALUE":1}}"#,
        r#"["SECRETVALUE"]"#,
        r#"["response"]"#,
        r#"{"type":"response","auth":[null,["SECRETVALUE"]]}"#,
        r#"{"type":"response","request":[null,"read"]}"#,
        r#"{"type":"response","request":{"namespace":["SECRETVALUE","x/"]}}"#,
        r#"{"type":"response","request":{"data":[]}}"#,
        r#""SECRETVALUE""#,
    ] {
        let err = parse_entry(text.as_bytes()).unwrap_err();
        // serde_json reports a non-string enum tag as a syntax error.
        assert!(
            matches!(err, AuditError::Shape(_) | AuditError::Syntax(_)),
            "{text}: {err:?}"
        );
        let message = err.to_string();
        assert!(
            !message.contains("SECRETVALUE")
                && !message.contains("answer")
                && !message.contains("root\""),
            "{message}"
        );
    }
    assert_eq!(
        parse_entry(br#"{"auth":{}}"#).unwrap_err().to_string(),
        "audit entry does not have OpenBao's shape: missing field `type` at line 1 column 11"
    );
}

#[test]
fn bad_json_is_refused() {
    for text in [
        "{",
        "{\"type\":\"response\"",
        "nope",
        "{\"type\":\"response\"} x",
        "{\"type\":\"resp\u{0}\"}",
    ] {
        assert!(
            matches!(parse_entry(text.as_bytes()), Err(AuditError::Syntax(_))),
            "{text:?}"
        );
    }
    assert!(matches!(
        parse_entry(b"{\"type\":\"response\",\"x\":\"\xff\"}"),
        Err(AuditError::Syntax(_))
    ));
    assert_eq!(parse_entry(b"  \n"), Err(AuditError::Empty));
    assert_eq!(parse_entry(b""), Err(AuditError::Empty));
}

#[test]
fn size_is_bounded_as_gitlab_bounds_it() {
    let pad = |n: usize| {
        let head = r#"{"type":"response","pad":""#;
        let mut s = String::from(head);
        s.push_str(&"a".repeat(n - head.len() - 2));
        s.push_str("\"}");
        s
    };
    assert!(parse_entry(pad(MAX_ENTRY_BYTES).as_bytes()).is_ok());
    assert_eq!(
        parse_entry(pad(MAX_ENTRY_BYTES + 1).as_bytes()),
        Err(AuditError::TooLarge {
            size: 1024 * 1024,
            max: MAX_ENTRY_BYTES
        })
    );
}

#[test]
fn deep_nesting_never_exhausts_the_stack() {
    let depth = 100_000;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    // Skipped fields: serde_json skips them without recursing.
    for text in [
        format!(r#"{{"type":"response","future":{arrays}}}"#),
        format!(r#"{{"type":"response","request":{{"data":{{"x":{objects}}}}}}}"#),
        format!(r#"{{"type":"response","request":{{"data":{{"custom_metadata":{objects}}}}}}}"#),
    ] {
        assert_eq!(
            parse_entry(text.as_bytes()).map(|e| e.entry_type),
            Ok(EntryType::Response)
        );
    }
    // Typed fields: a wrong type at the first level.
    for text in [
        format!(r#"{{"type":"response","auth":{{"metadata":{{"user_id":{arrays}}}}}}}"#),
        format!(r#"{{"type":"response","auth":{{"policies":[{arrays}]}}}}"#),
        format!(r#"{{"type":"response","request":{{"namespace":{{"path":{objects}}}}}}}"#),
    ] {
        assert!(parse_entry(text.as_bytes()).is_err());
    }
}

#[test]
fn batches_skip_blank_lines_and_name_the_bad_one() {
    let good = r#"{"type":"request"}"#;
    let text = format!("{good}\r\n\n  \n{good}\n");
    assert_eq!(parse_many(text.as_bytes()).unwrap().len(), 2);
    assert_eq!(parse_many(b"").unwrap().len(), 0);
    let bad = r#"{"type":"response","auth":{"policies":1}}"#;
    let err = parse_many(format!("{good}\n\n{bad}\n{good}").as_bytes()).unwrap_err();
    assert_eq!(err.line(), Some(3));
    assert!(
        err.to_string()
            .starts_with("line 3: audit entry does not have OpenBao's shape"),
        "{err}"
    );
}

#[test]
fn every_event_has_a_distinct_name_and_message() {
    let names: std::collections::HashSet<_> = Event::ALL.iter().map(|e| e.name()).collect();
    let messages: std::collections::HashSet<_> = Event::ALL.iter().map(|e| e.message()).collect();
    assert_eq!((names.len(), messages.len()), (8, 8));
    assert_eq!(
        Event::ALL.iter().filter(|e| e.saved_to_database()).count(),
        6
    );
}

#[test]
fn large_batches_agree_with_small_ones_and_report_the_first_bad_line() {
    let big = RECORDED.repeat(20);
    let many = parse_many(big.as_bytes()).unwrap();
    assert_eq!(many.len(), RECORDED.lines().count() * 20);
    let one: Vec<_> = RECORDED
        .lines()
        .map(|l| parse_entry(l.as_bytes()).unwrap())
        .collect();
    assert!(many.chunks(one.len()).all(|chunk| chunk == one.as_slice()));
    let mut lines: Vec<String> = big.lines().map(str::to_owned).collect();
    lines[700] = "{".into();
    lines[900] = r#"{"type":"response","auth":{"policies":1}}"#.into();
    let err = parse_many(lines.join("\n").as_bytes()).unwrap_err();
    assert_eq!(err.line(), Some(701));
    assert_eq!(
        parse_many_with(lines.join("\n").as_bytes(), |_, e| Ok(e))
            .unwrap_err()
            .line(),
        Some(701)
    );
}
