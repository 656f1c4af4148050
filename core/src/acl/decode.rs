//! The parts of HCL1's reflection decoder that OpenBao's policy structs
//! exercise: repeated keys append to lists and merge into maps, a repeated
//! string keeps the last value, and field names match case-insensitively.

use super::hcl::{Node, ObjectItem, ObjectList, TokenKind};
use super::value::{ParamMap, ParamValue};

/// A node as the decoder sees it: objects are handled as their item list.
pub(crate) enum DNode<'a> {
    Node(&'a Node),
    List(&'a ObjectList),
    Item(&'a ObjectItem),
}

impl DNode<'_> {
    fn go_type(&self) -> &'static str {
        match self {
            DNode::Node(n) => n.go_type(),
            DNode::List(_) => "*ast.ObjectList",
            DNode::Item(_) => "*ast.ObjectItem",
        }
    }

    fn at(&self) -> String {
        let pos = match self {
            DNode::Node(n) => n.pos(),
            DNode::List(l) => l.pos(),
            DNode::Item(i) => i.keys.first().map(|k| k.pos).unwrap_or_else(|| i.val.pos()),
        };
        format!("At {pos}: ")
    }
}

/// Runs `f` once per value given for `field` in `list`, in document order
/// (HCL1's `decodeStruct`: items with extra keys first, as one list).
pub(crate) fn for_field(
    list: &ObjectList,
    field: &str,
    name: &str,
    mut f: impl FnMut(&str, DNode<'_>) -> Result<(), String>,
) -> Result<(), String> {
    let filtered = list.filter(field);
    let (elems, children): (Vec<_>, Vec<_>) =
        filtered.items.into_iter().partition(|i| i.keys.is_empty());
    if !children.is_empty() {
        let l = ObjectList { items: children };
        f(name, DNode::List(&l))?;
    }
    for item in &elems {
        match &item.val {
            Node::Object(o) => f(name, DNode::List(&o.list))?,
            other => f(name, DNode::Node(other))?,
        }
    }
    Ok(())
}

/// Decodes into a Go `string`: strings and heredocs give their value,
/// numbers their source text; anything else is an error.
pub(crate) fn string(name: &str, node: DNode<'_>) -> Result<String, String> {
    if let DNode::Node(Node::Literal(t)) = &node {
        match t.kind {
            TokenKind::Number => return Ok(t.text.clone()),
            TokenKind::String | TokenKind::Heredoc => {
                return t.string_value().map_err(|e| e.to_string())
            }
            _ => {}
        }
    }
    Err(format!(
        "{}{name}: unknown type for string {}",
        node.at(),
        node.go_type()
    ))
}

/// Decodes into a Go `[]string`, appending to `out`.
pub(crate) fn string_slice(
    name: &str,
    node: DNode<'_>,
    out: &mut Vec<String>,
) -> Result<(), String> {
    match node {
        DNode::Node(Node::List(l)) => {
            for (i, elem) in l.items.iter().enumerate() {
                let elem_node = match elem {
                    Node::Object(o) => DNode::List(&o.list),
                    other => DNode::Node(other),
                };
                out.push(string(&format!("{name}[{i}]"), elem_node)?);
            }
            Ok(())
        }
        DNode::List(l) => {
            for (i, item) in l.items.iter().enumerate() {
                out.push(string(&format!("{name}[{i}]"), DNode::Item(item))?);
            }
            Ok(())
        }
        other => Err(format!(
            "{}unknown slice type: {}",
            other.at(),
            other.go_type()
        )),
    }
}

/// Decodes into a Go `int`.
pub(crate) fn int(name: &str, node: DNode<'_>) -> Result<i64, String> {
    if let DNode::Node(Node::Literal(t)) = &node {
        let text = match t.kind {
            TokenKind::Number => Some(t.text.clone()),
            TokenKind::String => Some(t.string_value().map_err(|e| e.to_string())?),
            _ => None,
        };
        if let Some(text) = text {
            return parse_go_int(&text).ok_or_else(|| {
                format!(
                    "strconv.ParseInt: parsing {}: invalid syntax",
                    crate::gocompat::go_quote(&text)
                )
            });
        }
    }
    Err(format!(
        "{}{name}: unknown type {}",
        node.at(),
        node.go_type()
    ))
}

/// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b`/`0`
/// prefixes, `_` separators only with a prefix.
pub(crate) fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, s.get(1..)?),
        b'+' => (false, s.get(1..)?),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.replace('_', ""))
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.replace('_', ""))
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.replace('_', ""))
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower.get(1..)?.replace('_', ""))
    } else {
        if lower.contains('_') {
            return None;
        }
        (10, lower)
    };
    if digits.is_empty() || digits.starts_with('+') || digits.starts_with('-') {
        return None;
    }
    let magnitude = i128::from_str_radix(&digits, radix).ok()?;
    let v = if neg { -magnitude } else { magnitude };
    i64::try_from(v).ok()
}

/// Decodes into a Go `interface{}`. `in_slice` is HCL1's "the enclosing
/// kind is a slice", which decides whether an object becomes a map or a
/// list of maps.
pub(crate) fn any(name: &str, node: DNode<'_>, in_slice: bool) -> Result<ParamValue, String> {
    match node {
        DNode::Node(Node::Literal(t)) => match t.kind {
            TokenKind::Bool => Ok(ParamValue::Bool(t.text == "true")),
            TokenKind::Float => t
                .text
                .parse::<f64>()
                .map(ParamValue::Float)
                .map_err(|_| format!("{name}: invalid float {}", t.text)),
            TokenKind::Number => parse_go_int(&t.text)
                .map(ParamValue::Int)
                .ok_or_else(|| format!("{name}: invalid number {}", t.text)),
            TokenKind::String | TokenKind::Heredoc => t
                .string_value()
                .map(ParamValue::Str)
                .map_err(|e| e.to_string()),
            TokenKind::Ident if t.json && t.text == "null" => Ok(ParamValue::Null),
            _ => Err(format!(
                "{}{name}: cannot decode into interface: *ast.LiteralType",
                node.at()
            )),
        },
        DNode::Node(Node::List(l)) => {
            let mut out = Vec::with_capacity(l.items.len());
            for (i, elem) in l.items.iter().enumerate() {
                out.push(any(&format!("{name}[{i}]"), DNode::Node(elem), true)?);
            }
            Ok(ParamValue::List(out))
        }
        DNode::Node(Node::Object(o)) => object_any(name, &o.list, in_slice),
        DNode::List(l) => object_any(name, l, in_slice),
        DNode::Item(_) => Err(format!(
            "{name}: cannot decode into interface: *ast.ObjectItem"
        )),
    }
}

fn object_any(name: &str, list: &ObjectList, in_slice: bool) -> Result<ParamValue, String> {
    let mut entries: Vec<(String, ParamValue)> = Vec::new();
    for item in &list.items {
        let key = item
            .keys
            .first()
            .ok_or_else(|| format!("{name}: map must have string keys"))?
            .string_value()
            .map_err(|e| e.to_string())?;
        let v = any(&format!("{name}.{key}"), DNode::Node(&item.val), false)?;
        match entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = v,
            None => entries.push((key, v)),
        }
    }
    let map = ParamValue::Map(entries);
    Ok(if in_slice {
        map
    } else {
        ParamValue::List(vec![map])
    })
}

/// Decodes into `map[string][]interface{}`, merging into `out` (a repeated
/// key appends to the earlier values, as HCL1 does).
pub(crate) fn param_map(name: &str, node: DNode<'_>, out: &mut ParamMap) -> Result<(), String> {
    let list = match node {
        DNode::List(l) => l,
        DNode::Node(Node::Object(o)) => &o.list,
        other => {
            return Err(format!(
                "{}{name}: not an object type for map ({})",
                other.at(),
                other.go_type()
            ))
        }
    };
    let mut done: Vec<String> = Vec::new();
    for item in &list.items {
        let key = item
            .keys
            .first()
            .ok_or_else(|| format!("{name}: map must have string keys"))?
            .string_value()
            .map_err(|e| e.to_string())?;
        if done.contains(&key) {
            continue;
        }
        let field = format!("{name}.{key}");
        let slot = out.entry(key.clone()).or_default();
        if item.keys.len() > 1 {
            done.push(key.clone());
            let nested = list.filter(&key);
            for (i, sub) in nested.items.iter().enumerate() {
                slot.push(any(&format!("{field}[{i}]"), DNode::Item(sub), true)?);
            }
            continue;
        }
        match &item.val {
            Node::List(l) => {
                for (i, elem) in l.items.iter().enumerate() {
                    slot.push(any(&format!("{field}[{i}]"), DNode::Node(elem), true)?);
                }
            }
            Node::Object(o) => slot.push(object_any(&field, &o.list, true)?),
            Node::Literal(t) => {
                return Err(format!(
                    "At {}: unknown slice type: *ast.LiteralType",
                    t.pos
                ));
            }
        }
    }
    Ok(())
}
