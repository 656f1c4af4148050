//! HCL1's JSON mode: JSON read into the HCL tree, then "flattened" the way
//! `hcl/json/parser` does, so `{"path": {"a": {...}}}` becomes the item
//! `path "a" {...}`. Duplicate object keys are kept, like HCL1.

use super::{
    HclError, ListType, Node, ObjectItem, ObjectList, ObjectType, Pos, Token, TokenKind, MAX_DEPTH,
};

struct Reader<'a> {
    src: &'a str,
    at: usize,
    line: usize,
    column: usize,
    depth: usize,
}

/// Parses JSON policy text into the root object list (flattened).
pub(super) fn parse(text: &str) -> Result<ObjectList, HclError> {
    let mut r = Reader {
        src: text,
        at: 0,
        line: 1,
        column: 1,
        depth: 0,
    };
    r.skip_ws();
    let pos = r.pos();
    if r.peek() != Some('{') {
        return Err(r.error("JSON root must be an object"));
    }
    let root = r.object(pos)?;
    r.skip_ws();
    if r.peek().is_some() {
        return Err(r.error("unexpected content after the root object"));
    }
    let mut list = root.list;
    flatten(&mut list);
    Ok(list)
}

impl Reader<'_> {
    fn pos(&self) -> Pos {
        Pos {
            offset: self.at,
            line: self.line,
            column: self.column,
        }
    }

    fn error(&self, message: &str) -> HclError {
        HclError {
            pos: Some(self.pos()),
            message: message.to_string(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.src.get(self.at..).and_then(|s| s.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.bump();
        }
    }

    fn expect(&mut self, want: char) -> Result<(), HclError> {
        self.skip_ws();
        if self.peek() == Some(want) {
            self.bump();
            Ok(())
        } else {
            Err(self.error(&format!("expected '{want}'")))
        }
    }

    fn enter(&mut self) -> Result<(), HclError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(&format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn object(&mut self, lbrace: Pos) -> Result<ObjectType, HclError> {
        self.enter()?;
        self.expect('{')?;
        let mut list = ObjectList::default();
        self.skip_ws();
        if self.peek() == Some('}') {
            self.bump();
            self.depth -= 1;
            return Ok(ObjectType { lbrace, list });
        }
        loop {
            self.skip_ws();
            let key_pos = self.pos();
            if self.peek() != Some('"') {
                return Err(self.error("expected: STRING (an object key)"));
            }
            let key = self.string()?;
            self.skip_ws();
            let assign = self.pos();
            self.expect(':')?;
            let val = self.value()?;
            list.items.push(ObjectItem {
                keys: vec![Token {
                    kind: TokenKind::String,
                    pos: key_pos,
                    text: key,
                    json: true,
                }],
                assign,
                val,
            });
            self.skip_ws();
            match self.bump() {
                Some(',') => continue,
                Some('}') => break,
                _ => return Err(self.error("expected comma or object end")),
            }
        }
        self.depth -= 1;
        Ok(ObjectType { lbrace, list })
    }

    fn value(&mut self) -> Result<Node, HclError> {
        self.skip_ws();
        let pos = self.pos();
        match self.peek() {
            Some('{') => Ok(Node::Object(self.object(pos)?)),
            Some('[') => {
                self.enter()?;
                self.bump();
                let mut items = Vec::new();
                self.skip_ws();
                if self.peek() == Some(']') {
                    self.bump();
                } else {
                    loop {
                        items.push(self.value()?);
                        self.skip_ws();
                        match self.bump() {
                            Some(',') => continue,
                            Some(']') => break,
                            _ => return Err(self.error("expected comma or list end")),
                        }
                    }
                }
                self.depth -= 1;
                Ok(Node::List(ListType { lbrack: pos, items }))
            }
            Some('"') => {
                let text = self.string()?;
                Ok(Node::Literal(Token {
                    kind: TokenKind::String,
                    pos,
                    text,
                    json: true,
                }))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.at;
                let mut float = false;
                while let Some(c) = self.peek() {
                    if c.is_ascii_digit() || c == '-' || c == '+' {
                        self.bump();
                    } else if matches!(c, '.' | 'e' | 'E') {
                        float = true;
                        self.bump();
                    } else {
                        break;
                    }
                }
                let text = self.src.get(start..self.at).unwrap_or("").to_string();
                let valid = if float {
                    text.parse::<f64>().is_ok()
                } else {
                    text.parse::<i64>().is_ok()
                };
                if !valid {
                    return Err(HclError {
                        pos: Some(pos),
                        message: format!("invalid number {text:?}"),
                    });
                }
                let kind = if float {
                    TokenKind::Float
                } else {
                    TokenKind::Number
                };
                Ok(Node::Literal(Token {
                    kind,
                    pos,
                    text,
                    json: true,
                }))
            }
            Some(_) => {
                for (word, kind) in [
                    ("true", TokenKind::Bool),
                    ("false", TokenKind::Bool),
                    ("null", TokenKind::Ident),
                ] {
                    if self.src.get(self.at..).is_some_and(|s| s.starts_with(word)) {
                        for _ in 0..word.len() {
                            self.bump();
                        }
                        return Ok(Node::Literal(Token {
                            kind,
                            pos,
                            text: word.to_string(),
                            json: true,
                        }));
                    }
                }
                Err(self.error("unexpected character in JSON value"))
            }
            None => Err(self.error("unexpected end of JSON input")),
        }
    }

    /// A JSON string, decoded. Lone or paired UTF-16 surrogate escapes are
    /// refused (OpenBao 2.7.2 crashes on them rather than answering).
    fn string(&mut self) -> Result<String, HclError> {
        self.bump();
        let mut out = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(self.error("literal not terminated"));
            };
            match c {
                '"' => return Ok(out),
                '\n' => return Err(self.error("literal not terminated")),
                '\\' => {
                    let e = self
                        .bump()
                        .ok_or_else(|| self.error("literal not terminated"))?;
                    let ch = match e {
                        '"' => '"',
                        '\\' => '\\',
                        '/' => '/',
                        'b' => '\x08',
                        'f' => '\x0c',
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        'u' => {
                            let hex = self.src.get(self.at..self.at + 4).unwrap_or("");
                            let v = u32::from_str_radix(hex, 16)
                                .ok()
                                .filter(|_| hex.len() == 4)
                                .ok_or_else(|| self.error("illegal char escape"))?;
                            for _ in 0..4 {
                                self.bump();
                            }
                            char::from_u32(v).ok_or_else(|| {
                                self.error("UTF-16 surrogate escapes are not supported")
                            })?
                        }
                        _ => return Err(self.error("illegal char escape")),
                    };
                    out.push(ch);
                }
                c => out.push(c),
            }
        }
    }
}

/// HCL1's `flattenObjects`: an item whose value is an object made only of
/// objects (or a list made only of objects) is split into one item per
/// child, with the child's keys appended. Applied to every object list.
fn flatten(list: &mut ObjectList) {
    let mut out: Vec<ObjectItem> = Vec::with_capacity(list.items.len());
    // HCL1 walks a stack and reverses at the end; a depth-first expansion in
    // source order gives the same sequence.
    for item in std::mem::take(&mut list.items) {
        expand(item, &mut out, 0);
    }
    for item in &mut out {
        flatten_node(&mut item.val);
    }
    list.items = out;
}

fn flatten_node(node: &mut Node) {
    match node {
        Node::Object(o) => flatten(&mut o.list),
        Node::List(l) => l.items.iter_mut().for_each(flatten_node),
        Node::Literal(_) => {}
    }
}

fn expand(item: ObjectItem, out: &mut Vec<ObjectItem>, depth: usize) {
    if depth > MAX_DEPTH {
        out.push(item);
        return;
    }
    match &item.val {
        Node::Object(o)
            if !o.list.items.is_empty()
                && o.list
                    .items
                    .iter()
                    .all(|i| matches!(i.val, Node::Object(_))) =>
        {
            let Node::Object(o) = item.val else { return };
            for sub in o.list.items {
                let mut keys = item.keys.clone();
                keys.extend(sub.keys);
                expand(
                    ObjectItem {
                        keys,
                        assign: item.assign,
                        val: sub.val,
                    },
                    out,
                    depth + 1,
                );
            }
        }
        Node::List(l)
            if !l.items.is_empty() && l.items.iter().all(|n| matches!(n, Node::Object(_))) =>
        {
            let Node::List(l) = item.val else { return };
            for elem in l.items {
                expand(
                    ObjectItem {
                        keys: item.keys.clone(),
                        assign: item.assign,
                        val: elem,
                    },
                    out,
                    depth + 1,
                );
            }
        }
        _ => out.push(item),
    }
}
