use super::*;

fn err(text: &str) -> String {
    match parse(text) {
        Ok(_) => String::from("<ok>"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn parses_blocks_and_attributes() {
    let list = parse(
        "path \"a\" { capabilities = [\"read\", \"list\",] policy = \"read\" }\nname = \"x\"",
    )
    .unwrap();
    assert_eq!(list.items.len(), 2);
    let paths = list.filter("path");
    assert_eq!(paths.items.len(), 1);
    assert_eq!(paths.items[0].keys[0].string_value().unwrap(), "a");
    let Node::Object(o) = &paths.items[0].val else {
        panic!("not an object")
    };
    assert_eq!(o.list.items.len(), 2);
}

#[test]
fn repeated_keys_are_kept() {
    let list = parse("a = 1\na = 2\n").unwrap();
    assert_eq!(list.filter("a").items.len(), 2);
}

#[test]
fn comments_of_all_kinds() {
    let list = parse("# one\n// two\n/* three\n four */ a = \"x\" # tail\n").unwrap();
    assert_eq!(list.items.len(), 1);
}

#[test]
fn string_escapes() {
    let list = parse(r#"a = "caf\u00e9 \"q\" \t \ud83d""#).unwrap();
    let Node::Literal(t) = &list.items[0].val else {
        panic!()
    };
    assert_eq!(t.string_value().unwrap(), "café \"q\" \t \u{fffd}");
}

#[test]
fn heredocs() {
    let list =
        parse("a = <<EOF\nline1\nline2\nEOF\nb = <<-EOT\n    x\n      y\n    EOT\n").unwrap();
    let Node::Literal(a) = &list.items[0].val else {
        panic!()
    };
    assert_eq!(a.string_value().unwrap(), "line1\nline2\n");
    let Node::Literal(b) = &list.items[1].val else {
        panic!()
    };
    assert_eq!(b.string_value().unwrap(), "x\n  y\n");
}

#[test]
fn error_positions_match_hcl1() {
    assert_eq!(
        err("path \"secret/foo\" {\n  capabilities = [\"read\"]\n\n"),
        "At 4:2: object expected closing RBRACE got: EOF"
    );
    assert_eq!(
        err("path \"secret/foo\" {\n  capabilities = [\"read\"\n}\n"),
        "At 3:1: error parsing list, expected comma or list end, got: RBRACE"
    );
    assert_eq!(
        err("path \"secret/foo\" {\n  capabilities [\"read\"]\n}\n"),
        "At 2:16: expected: IDENT | STRING | ASSIGN | LBRACE got: LBRACK"
    );
    assert_eq!(
        err("path \"secret/secret/foo {\n  capabilities = [\"read\"]\n}\n"),
        "At 1:26: literal not terminated"
    );
    assert_eq!(
        err("a b = 1"),
        "At 1:5: nested object expected: LBRACE got: ASSIGN"
    );
    assert_eq!(
        err("a"),
        "At 1:3: key 'a' expected start of object ('{') or assignment ('=')"
    );
}

#[test]
fn json_is_flattened() {
    let list =
        parse(r#"{"path": {"a": {"capabilities": ["read"]}, "b": {"policy": "deny"}}}"#).unwrap();
    let paths = list.filter("path");
    assert_eq!(paths.items.len(), 2);
    assert_eq!(paths.items[0].keys[0].string_value().unwrap(), "a");
    assert_eq!(paths.items[1].keys[0].string_value().unwrap(), "b");
    let list = parse(r#"{"path": [{"a": {"capabilities": ["read"]}}]}"#).unwrap();
    assert_eq!(list.filter("path").items.len(), 1);
}

#[test]
fn depth_is_bounded() {
    let deep = format!("a = {}{}", "[".repeat(500), "]".repeat(500));
    assert!(parse(&deep).is_err());
    let deep_json = format!("{{\"a\": {}{}}}", "[".repeat(500), "]".repeat(500));
    assert!(parse(&deep_json).is_err());
}

mod fuzz {
    use super::super::parse;
    use proptest::prelude::*;

    const TOKENS: &[&str] = &[
        "path",
        "\"a/b\"",
        "{",
        "}",
        "[",
        "]",
        "=",
        ",",
        "\"x",
        "<<EOF\n",
        "EOF\n",
        "<<-",
        "#",
        "//",
        "/*",
        "*/",
        "\n",
        "1",
        "0x",
        "-",
        "1.5e",
        "true",
        "\\",
        "\"\\u12\"",
        "${",
        "\u{0}",
        ":",
        "\"",
        " ",
        "\u{e123}",
        "é",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn random_text_never_panics(s in "\\PC{0,200}") {
            let _ = parse(&s);
        }

        #[test]
        fn token_soup_never_panics(idx in proptest::collection::vec(0..TOKENS.len(), 0..60), json in any::<bool>()) {
            let mut s: String = idx.iter().map(|&i| TOKENS[i]).collect();
            if json { s.insert(0, '{'); }
            if let Ok(list) = parse(&s) {
                for item in &list.items {
                    for k in &item.keys { let _ = k.string_value(); }
                }
            }
        }
    }
}
