//! HCL1's recursive-descent parser (`hcl/parser`), with the same one-token
//! look-back buffer so error positions match.

use super::scanner::Scanner;
use super::{
    HclError, ListType, Node, ObjectItem, ObjectList, ObjectType, Pos, Token, TokenKind, MAX_DEPTH,
};

enum Fail {
    /// HCL1's `errEofToken`: a clean end of input.
    Eof,
    Err(HclError),
}

type PResult<T> = Result<T, Fail>;

fn at(pos: Pos, message: impl Into<String>) -> Fail {
    Fail::Err(HclError {
        pos: Some(pos),
        message: message.into(),
    })
}

struct Parser<'a> {
    sc: Scanner<'a>,
    tok: Token,
    buffered: bool,
    depth: usize,
}

/// Parses HCL text (not JSON) into the root object list.
pub(super) fn parse(text: &str) -> Result<ObjectList, HclError> {
    let src = text.replace("\r\n", "\n");
    let mut p = Parser {
        sc: Scanner::new(&src),
        tok: Token {
            kind: TokenKind::Illegal,
            pos: Pos::default(),
            text: String::new(),
            json: false,
        },
        buffered: false,
        depth: 0,
    };
    let result = p.object_list(false);
    // A scanner error wins over whatever the parser concluded.
    if let Some((pos, msg)) = p.sc.error.take() {
        return Err(HclError {
            pos: Some(pos),
            message: msg.to_string(),
        });
    }
    match result {
        Ok(list) => Ok(list),
        Err(Fail::Eof) => Ok(ObjectList::default()),
        Err(Fail::Err(e)) => Err(e),
    }
}

impl Parser<'_> {
    /// Next non-comment token, honouring one unscanned token.
    fn scan(&mut self) -> Token {
        if self.buffered {
            self.buffered = false;
            return self.tok.clone();
        }
        self.tok = self.sc.scan();
        while self.tok.kind == TokenKind::Comment {
            self.tok = self.sc.scan();
        }
        self.tok.clone()
    }

    fn unscan(&mut self) {
        self.buffered = true;
    }

    fn enter(&mut self, pos: Pos) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(at(pos, format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn object_list(&mut self, in_object: bool) -> PResult<ObjectList> {
        let mut list = ObjectList::default();
        loop {
            if in_object {
                let tok = self.scan();
                self.unscan();
                if tok.kind == TokenKind::RBrace {
                    break;
                }
            }
            match self.object_item() {
                Ok(item) => list.items.push(item),
                Err(Fail::Eof) => break,
                Err(e) => return Err(e),
            }
            // Items may be separated by an optional comma.
            let tok = self.scan();
            if tok.kind != TokenKind::Comma {
                self.unscan();
            }
        }
        Ok(list)
    }

    fn object_item(&mut self) -> PResult<ObjectItem> {
        let (keys, key_err) = self.object_key();
        let mut err = key_err;
        if !keys.is_empty() && matches!(err, Some(Fail::Eof)) {
            err = None;
        }
        if !keys.is_empty() && err.is_some() && self.tok.kind == TokenKind::RBrace {
            // Keys without a value inside an object: fall through to the
            // "expected start of object" error below, as HCL1 does.
            err = None;
            self.tok.kind = TokenKind::Eof;
        }
        if let Some(e) = err {
            return Err(e);
        }
        let (assign, val) = match self.tok.kind {
            TokenKind::Assign => {
                let assign = self.tok.pos;
                (assign, self.object()?)
            }
            TokenKind::LBrace => (Pos::default(), Node::Object(self.object_type()?)),
            _ => {
                let names: Vec<&str> = keys.iter().map(|k| k.text.as_str()).collect();
                return Err(at(
                    self.tok.pos,
                    format!(
                        "key '{}' expected start of object ('{{') or assignment ('=')",
                        names.join(" ")
                    ),
                ));
            }
        };
        // HCL1 looks one token ahead here (for line comments).
        self.scan();
        self.unscan();
        Ok(ObjectItem { keys, assign, val })
    }

    fn object_key(&mut self) -> (Vec<Token>, Option<Fail>) {
        let mut keys: Vec<Token> = Vec::new();
        loop {
            let tok = self.scan();
            match tok.kind {
                TokenKind::Eof => return (keys, Some(Fail::Eof)),
                TokenKind::Assign => {
                    if keys.len() > 1 {
                        return (
                            Vec::new(),
                            Some(at(
                                tok.pos,
                                format!("nested object expected: LBRACE got: {}", tok.kind.name()),
                            )),
                        );
                    }
                    if keys.is_empty() {
                        return (Vec::new(), Some(at(tok.pos, "no object keys found!")));
                    }
                    return (keys, None);
                }
                TokenKind::LBrace => {
                    let err = keys.is_empty().then(|| {
                        at(
                            tok.pos,
                            format!("expected: IDENT | STRING got: {}", tok.kind.name()),
                        )
                    });
                    return (keys, err);
                }
                TokenKind::Ident | TokenKind::String => keys.push(tok),
                TokenKind::Illegal => return (keys, Some(at(tok.pos, "illegal character"))),
                _ => {
                    return (
                        keys,
                        Some(at(
                            tok.pos,
                            format!(
                                "expected: IDENT | STRING | ASSIGN | LBRACE got: {}",
                                tok.kind.name()
                            ),
                        )),
                    )
                }
            }
        }
    }

    fn object(&mut self) -> PResult<Node> {
        let tok = self.scan();
        match tok.kind {
            TokenKind::Number | TokenKind::Float | TokenKind::Bool | TokenKind::String | TokenKind::Heredoc => {
                Ok(Node::Literal(tok))
            }
            TokenKind::LBrace => Ok(Node::Object(self.object_type()?)),
            TokenKind::LBrack => Ok(Node::List(self.list_type()?)),
            TokenKind::Eof => Err(Fail::Eof),
            _ => Err(at(
                tok.pos,
                format!(
                    "Unknown token: {{Type:{} Pos:{{Filename: Offset:{} Line:{} Column:{}}} Text:{} JSON:false}}",
                    tok.kind.name(),
                    tok.pos.offset,
                    tok.pos.line,
                    tok.pos.column,
                    tok.text
                ),
            )),
        }
    }

    fn object_type(&mut self) -> PResult<ObjectType> {
        let lbrace = self.tok.pos;
        self.enter(lbrace)?;
        let list = self.object_list(true)?;
        let tok = self.scan();
        if tok.kind != TokenKind::RBrace {
            return Err(at(
                tok.pos,
                format!("object expected closing RBRACE got: {}", tok.kind.name()),
            ));
        }
        self.depth -= 1;
        Ok(ObjectType { lbrace, list })
    }

    fn list_type(&mut self) -> PResult<ListType> {
        let lbrack = self.tok.pos;
        self.enter(lbrack)?;
        let mut items = Vec::new();
        let mut need_comma = false;
        loop {
            let tok = self.scan();
            if need_comma && !matches!(tok.kind, TokenKind::Comma | TokenKind::RBrack) {
                return Err(at(
                    tok.pos,
                    format!(
                        "error parsing list, expected comma or list end, got: {}",
                        tok.kind.name()
                    ),
                ));
            }
            match tok.kind {
                TokenKind::Bool
                | TokenKind::Number
                | TokenKind::Float
                | TokenKind::String
                | TokenKind::Heredoc => {
                    items.push(Node::Literal(tok));
                    need_comma = true;
                }
                TokenKind::Comma => {
                    self.scan();
                    self.unscan();
                    need_comma = false;
                }
                TokenKind::LBrace => {
                    let node = self
                        .object_type()
                        .map_err(|e| nested(e, tok.pos, "object"))?;
                    items.push(Node::Object(node));
                    need_comma = true;
                }
                TokenKind::LBrack => {
                    // HCL1 does not require a comma after a nested list.
                    let node = self.list_type().map_err(|e| nested(e, tok.pos, "list"))?;
                    items.push(Node::List(node));
                }
                TokenKind::RBrack => {
                    self.depth -= 1;
                    return Ok(ListType { lbrack, items });
                }
                _ => {
                    return Err(at(
                        tok.pos,
                        format!("unexpected token while parsing list: {}", tok.kind.name()),
                    ))
                }
            }
        }
    }
}

fn nested(e: Fail, pos: Pos, what: &str) -> Fail {
    let inner = match e {
        Fail::Eof => "EOF token found".to_string(),
        Fail::Err(e) => e.to_string(),
    };
    at(
        pos,
        format!("error while trying to parse {what} within list: {inner}"),
    )
}
