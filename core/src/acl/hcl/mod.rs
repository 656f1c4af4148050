//! A small HCL v1 reader: exactly the subset of `hashicorp/hcl` v1 that
//! OpenBao uses to read policies, including its JSON mode.
//!
//! OpenBao parses policies with HCL v1, which accepts (and merges) things
//! HCL2 parsers reject, so this module reproduces HCL1's scanner and parser
//! decisions and its error texts (`At line:col: ...`). The result is a
//! generic tree ([`ObjectList`], [`ObjectItem`], [`Node`]) that mirrors
//! HCL1's AST, because OpenBao's semantics (repeated keys, case-insensitive
//! field matching, JSON flattening) are defined on that AST.

mod json;
mod parser;
mod scanner;

use std::fmt;

/// Largest policy text accepted, in bytes. OpenBao has no explicit limit;
/// this keeps a hostile input from costing unbounded memory.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// Deepest nesting of objects and lists accepted (keeps recursion bounded).
pub const MAX_DEPTH: usize = 100;

/// A position in the source: line and column start at 1 (columns count
/// characters, as HCL1 does); `offset` is in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    /// Byte offset.
    pub offset: usize,
    /// Line, from 1 (0 means "no position", as HCL1 uses for missing `=`).
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}", self.line, self.column)
        } else {
            f.write_str("-")
        }
    }
}

/// Token kinds, named as HCL1 names them (the names appear in errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Illegal,
    Eof,
    Comment,
    Ident,
    Number,
    Float,
    Bool,
    String,
    Heredoc,
    LBrack,
    LBrace,
    Comma,
    Period,
    RBrack,
    RBrace,
    Assign,
    Add,
    Sub,
}

impl TokenKind {
    /// HCL1's name for the kind, used verbatim in error messages.
    pub fn name(self) -> &'static str {
        match self {
            TokenKind::Illegal => "ILLEGAL",
            TokenKind::Eof => "EOF",
            TokenKind::Comment => "COMMENT",
            TokenKind::Ident => "IDENT",
            TokenKind::Number => "NUMBER",
            TokenKind::Float => "FLOAT",
            TokenKind::Bool => "BOOL",
            TokenKind::String => "STRING",
            TokenKind::Heredoc => "HEREDOC",
            TokenKind::LBrack => "LBRACK",
            TokenKind::LBrace => "LBRACE",
            TokenKind::Comma => "COMMA",
            TokenKind::Period => "PERIOD",
            TokenKind::RBrack => "RBRACK",
            TokenKind::RBrace => "RBRACE",
            TokenKind::Assign => "ASSIGN",
            TokenKind::Add => "ADD",
            TokenKind::Sub => "SUB",
        }
    }
}

/// One token. For tokens read from JSON, `text` of a string already holds
/// the decoded value (`json == true`).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub pos: Pos,
    pub text: String,
    pub json: bool,
}

impl Token {
    /// The string value of an IDENT, STRING or HEREDOC token (what HCL1's
    /// `Token.Value()` gives), or the raw text of other literals.
    pub fn string_value(&self) -> Result<String, HclError> {
        match self.kind {
            TokenKind::String if self.json => Ok(self.text.clone()),
            TokenKind::String => unquote(&self.text).ok_or_else(|| HclError {
                pos: Some(self.pos),
                message: "invalid syntax in string literal".to_string(),
            }),
            TokenKind::Heredoc => Ok(unindent_heredoc(&self.text)),
            _ => Ok(self.text.clone()),
        }
    }
}

/// A value in the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `{ ... }`
    Object(ObjectType),
    /// `[ ... ]`
    List(ListType),
    /// A number, float, bool, string or heredoc.
    Literal(Token),
}

impl Node {
    /// Where the node starts.
    pub fn pos(&self) -> Pos {
        match self {
            Node::Object(o) => o.lbrace,
            Node::List(l) => l.lbrack,
            Node::Literal(t) => t.pos,
        }
    }

    /// The Go AST type name HCL1 prints in decode errors.
    pub fn go_type(&self) -> &'static str {
        match self {
            Node::Object(_) => "*ast.ObjectType",
            Node::List(_) => "*ast.ListType",
            Node::Literal(_) => "*ast.LiteralType",
        }
    }
}

/// `{ items }`
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectType {
    pub lbrace: Pos,
    pub list: ObjectList,
}

/// `[ items ]`
#[derive(Debug, Clone, PartialEq)]
pub struct ListType {
    pub lbrack: Pos,
    pub items: Vec<Node>,
}

/// `keys... = value` or `keys... { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectItem {
    pub keys: Vec<Token>,
    /// Position of `=` (line 0 when the item is a block).
    pub assign: Pos,
    pub val: Node,
}

/// The items of an object or of the whole file, in source order; repeated
/// keys are kept (HCL1 merges them only when decoding).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectList {
    pub items: Vec<ObjectItem>,
}

impl ObjectList {
    /// HCL1's `Filter`: the items whose first key equals `key`
    /// (case-insensitively, as HCL1 does), with that key removed.
    pub fn filter(&self, key: &str) -> ObjectList {
        let items = self
            .items
            .iter()
            .filter(|item| {
                item.keys
                    .first()
                    .and_then(|k| k.string_value().ok())
                    .is_some_and(|k| {
                        k == key || k.eq_ignore_ascii_case(key) || unicode_eq_fold(&k, key)
                    })
            })
            .map(|item| ObjectItem {
                keys: item.keys.get(1..).unwrap_or_default().to_vec(),
                assign: item.assign,
                val: item.val.clone(),
            })
            .collect();
        ObjectList { items }
    }

    /// Position of the first item (HCL1's `ObjectList.Pos`).
    pub fn pos(&self) -> Pos {
        self.items
            .first()
            .map(|i| i.keys.first().map(|k| k.pos).unwrap_or_else(|| i.val.pos()))
            .unwrap_or_default()
    }
}

fn unicode_eq_fold(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// A parse error, printed like HCL1 prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HclError {
    pub pos: Option<Pos>,
    pub message: String,
}

impl fmt::Display for HclError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(p) => write!(f, "At {}: {}", p, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for HclError {}

/// Parses policy text the way OpenBao's `hclutil.ParseConfig` does: JSON
/// when the trimmed text starts with `{`, HCL otherwise (duplicate keys
/// allowed). Returns the root object list.
pub fn parse(text: &str) -> Result<ObjectList, HclError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(HclError {
            pos: None,
            message: format!("policy text is larger than {MAX_INPUT_BYTES} bytes"),
        });
    }
    if text.trim_start().starts_with('{') {
        json::parse(text)
    } else {
        parser::parse(text)
    }
}

/// HCL1's `strconv.Unquote` for a double-quoted HCL string (text includes
/// the quotes). `None` is "invalid syntax".
pub(crate) fn unquote(s: &str) -> Option<String> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('$') && !inner.contains('{') && inner.contains('\n') {
        return None;
    }
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("${") {
            // Interpolations are copied verbatim up to the matching brace.
            out.push_str("${");
            rest = rest.get(2..)?;
            let mut braces = 1usize;
            let mut consumed = 0;
            for ch in rest.chars() {
                if braces == 0 {
                    break;
                }
                consumed += ch.len_utf8();
                out.push(ch);
                match ch {
                    '{' => braces += 1,
                    '}' => braces -= 1,
                    _ => {}
                }
            }
            if braces != 0 {
                return None;
            }
            rest = rest.get(consumed..)?;
            continue;
        }
        match c {
            '\n' | '"' => return None,
            '\\' => {
                let (ch, len) = unescape(rest)?;
                out.push(ch);
                rest = rest.get(len..)?;
            }
            _ => {
                out.push(c);
                rest = rest.get(c.len_utf8()..)?;
            }
        }
    }
    Some(out)
}

/// Decodes one backslash escape at the start of `s`; returns the character
/// and the bytes consumed. Invalid code points become U+FFFD, as in Go.
fn unescape(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let c = *b.get(1)?;
    let simple = match c {
        b'a' => Some('\x07'),
        b'b' => Some('\x08'),
        b'f' => Some('\x0c'),
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        b'v' => Some('\x0b'),
        b'\\' => Some('\\'),
        b'"' => Some('"'),
        b'\'' => Some('\''),
        _ => None,
    };
    if let Some(ch) = simple {
        return Some((ch, 2));
    }
    let (digits, radix) = match c {
        b'x' => (2, 16),
        b'u' => (4, 16),
        b'U' => (8, 16),
        b'0'..=b'7' => (3, 8),
        _ => return None,
    };
    let start = if radix == 8 { 1 } else { 2 };
    let hex = s.get(start..start + digits)?;
    let v = u32::from_str_radix(hex, radix).ok()?;
    if c == b'x' || radix == 8 {
        // Go writes these as single bytes; only ASCII round-trips in UTF-8.
        if v > 0xff {
            return None;
        }
        return Some((
            char::from_u32(v).filter(|_| v < 0x80).unwrap_or('\u{fffd}'),
            start + digits,
        ));
    }
    Some((char::from_u32(v).unwrap_or('\u{fffd}'), start + digits))
}

/// HCL1's `unindentHeredoc`, written with checked slicing.
fn unindent_heredoc(heredoc: &str) -> String {
    let Some(idx) = heredoc.find('\n') else {
        return String::new();
    };
    let unindent = heredoc.as_bytes().get(2) == Some(&b'-');
    let body = |end_adjust: usize| -> &str {
        let end = (heredoc.len() + end_adjust).saturating_sub(idx);
        heredoc.get(idx + 1..end).unwrap_or("")
    };
    if !unindent {
        return body(1).to_string();
    }
    let lines: Vec<&str> = body(2).split('\n').collect();
    let prefix = lines.last().copied().unwrap_or("");
    if !lines.iter().all(|l| l.starts_with(prefix)) {
        return body(1).trim_end_matches([' ', '\t']).to_string();
    }
    let n = lines.len();
    lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            if k + 1 == n {
                ""
            } else {
                l.strip_prefix(prefix).unwrap_or(l)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests;
