//! HCL1's scanner, rune for rune: positions and error texts must match
//! because OpenBao returns them verbatim.

use super::{Pos, Token, TokenKind};

/// Go's scanner reports end of input as rune 0.
const EOF: char = '\0';

pub(super) struct Scanner<'a> {
    src: &'a str,
    /// Read position in `src` (bytes).
    read: usize,
    src_pos: Pos,
    prev_pos: Pos,
    prev_read: usize,
    last_char_len: usize,
    last_line_len: usize,
    tok_start: usize,
    /// Last error reported; HCL1 keeps only the most recent one.
    pub(super) error: Option<(Pos, &'static str)>,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Scanner {
            src,
            read: 0,
            src_pos: Pos {
                offset: 0,
                line: 1,
                column: 0,
            },
            prev_pos: Pos::default(),
            prev_read: 0,
            last_char_len: 0,
            last_line_len: 0,
            tok_start: 0,
            error: None,
        }
    }

    fn next(&mut self) -> char {
        let Some(ch) = self.src.get(self.read..).and_then(|s| s.chars().next()) else {
            self.src_pos.column += 1;
            self.last_char_len = 0;
            return EOF;
        };
        let size = ch.len_utf8();
        self.prev_pos = self.src_pos;
        self.prev_read = self.read;
        self.read += size;
        self.src_pos.column += 1;
        self.last_char_len = size;
        self.src_pos.offset += size;
        if ch == '\n' {
            self.src_pos.line += 1;
            self.last_line_len = self.src_pos.column;
            self.src_pos.column = 0;
        }
        if ch == '\0' {
            self.err("unexpected null character (0x00)");
            return EOF;
        }
        if ch == '\u{E123}' {
            self.err("unicode code point U+E123 reserved for internal use");
            return '\u{FFFD}';
        }
        ch
    }

    fn unread(&mut self) {
        self.read = self.prev_read;
        self.src_pos = self.prev_pos;
    }

    fn peek(&self) -> char {
        self.src
            .get(self.read..)
            .and_then(|s| s.chars().next())
            .unwrap_or(EOF)
    }

    /// True when the last `next()` really consumed a character (Go's
    /// `ch != eof` checks also treat a NUL as end).
    fn consumed(ch: char) -> bool {
        ch != EOF
    }

    pub(super) fn scan(&mut self) -> Token {
        let mut ch = self.next();
        while matches!(ch, ' ' | '\t' | '\n' | '\r') {
            ch = self.next();
        }
        self.tok_start = self.src_pos.offset.saturating_sub(self.last_char_len);
        let mut tok_pos = Pos {
            offset: self.tok_start,
            ..Pos::default()
        };
        if self.src_pos.column > 0 {
            tok_pos.line = self.src_pos.line;
            tok_pos.column = self.src_pos.column;
        } else {
            tok_pos.line = self.src_pos.line.saturating_sub(1);
            tok_pos.column = self.last_line_len;
        }

        let kind = if is_letter(ch) {
            let lit = self.scan_identifier();
            if lit == "true" || lit == "false" {
                TokenKind::Bool
            } else {
                TokenKind::Ident
            }
        } else if ch.is_ascii_digit() {
            self.scan_number(ch)
        } else {
            match ch {
                EOF => TokenKind::Eof,
                '"' => {
                    self.scan_string();
                    TokenKind::String
                }
                '#' | '/' => {
                    self.scan_comment(ch);
                    TokenKind::Comment
                }
                '.' => {
                    if self.peek().is_ascii_digit() {
                        let c = self.peek();
                        let c = self.scan_mantissa(c);
                        self.scan_exponent(c);
                        TokenKind::Float
                    } else {
                        TokenKind::Period
                    }
                }
                '<' => {
                    self.scan_heredoc();
                    TokenKind::Heredoc
                }
                '[' => TokenKind::LBrack,
                ']' => TokenKind::RBrack,
                '{' => TokenKind::LBrace,
                '}' => TokenKind::RBrace,
                ',' => TokenKind::Comma,
                '=' => TokenKind::Assign,
                '+' => TokenKind::Add,
                '-' => {
                    if self.peek().is_ascii_digit() {
                        let c = self.next();
                        self.scan_number(c)
                    } else {
                        TokenKind::Sub
                    }
                }
                _ => {
                    self.err("illegal char");
                    TokenKind::Illegal
                }
            }
        };
        let end = self.src_pos.offset;
        let text = self.src.get(self.tok_start..end).unwrap_or("").to_string();
        self.tok_start = end;
        Token {
            kind,
            pos: tok_pos,
            text,
            json: false,
        }
    }

    fn scan_comment(&mut self, ch: char) {
        if ch == '#' || (ch == '/' && self.peek() != '*') {
            if ch == '/' && self.peek() != '/' {
                self.err("expected '/' for comment");
                return;
            }
            let mut c = self.next();
            while c != '\n' && c != EOF {
                c = self.next();
            }
            if c != EOF {
                self.unread();
            }
            return;
        }
        let mut c = ch;
        if c == '/' {
            self.next();
            c = self.next();
        }
        loop {
            if c == EOF {
                self.err("comment not terminated");
                break;
            }
            let c0 = c;
            c = self.next();
            if c0 == '*' && c == '/' {
                break;
            }
        }
    }

    fn scan_number(&mut self, first: char) -> TokenKind {
        let mut ch = first;
        if ch == '0' {
            ch = self.next();
            if ch == 'x' || ch == 'X' {
                ch = self.next();
                let mut found = false;
                while ch.is_ascii_hexdigit() {
                    ch = self.next();
                    found = true;
                }
                if !found {
                    self.err("illegal hexadecimal number");
                }
                if Self::consumed(ch) {
                    self.unread();
                }
                return TokenKind::Number;
            }
            let mut illegal_octal = false;
            while ch.is_ascii_digit() {
                ch = self.next();
                if ch == '8' || ch == '9' {
                    illegal_octal = true;
                }
            }
            if ch == 'e' || ch == 'E' {
                self.scan_exponent(ch);
                return TokenKind::Float;
            }
            if ch == '.' {
                ch = self.scan_fraction(ch);
                if ch == 'e' || ch == 'E' {
                    ch = self.next();
                    self.scan_exponent(ch);
                }
                return TokenKind::Float;
            }
            if illegal_octal {
                self.err("illegal octal number");
            }
            if Self::consumed(ch) {
                self.unread();
            }
            return TokenKind::Number;
        }
        self.scan_mantissa(ch);
        ch = self.next();
        if ch == 'e' || ch == 'E' {
            self.scan_exponent(ch);
            return TokenKind::Float;
        }
        if ch == '.' {
            ch = self.scan_fraction(ch);
            if ch == 'e' || ch == 'E' {
                ch = self.next();
                self.scan_exponent(ch);
            }
            return TokenKind::Float;
        }
        if Self::consumed(ch) {
            self.unread();
        }
        TokenKind::Number
    }

    fn scan_mantissa(&mut self, first: char) -> char {
        let mut ch = first;
        let mut scanned = false;
        while ch.is_ascii_digit() {
            ch = self.next();
            scanned = true;
        }
        if scanned && Self::consumed(ch) {
            self.unread();
        }
        ch
    }

    fn scan_fraction(&mut self, ch: char) -> char {
        if ch == '.' {
            let c = self.peek();
            return self.scan_mantissa(c);
        }
        ch
    }

    fn scan_exponent(&mut self, first: char) -> char {
        let mut ch = first;
        if ch == 'e' || ch == 'E' {
            ch = self.next();
            if ch == '-' || ch == '+' {
                ch = self.next();
            }
            ch = self.scan_mantissa(ch);
        }
        ch
    }

    fn scan_heredoc(&mut self) {
        if self.next() != '<' {
            self.err("heredoc expected second '<', didn't see it");
            return;
        }
        let offs = self.src_pos.offset;
        let mut ch = self.next();
        if ch == '-' {
            ch = self.next();
        }
        while is_letter(ch) || is_digit(ch) {
            ch = self.next();
        }
        if ch == EOF {
            self.err("heredoc not terminated");
            return;
        }
        if ch == '\r' && self.peek() == '\n' {
            ch = self.next();
        }
        if ch != '\n' {
            self.err("invalid characters in heredoc anchor");
            return;
        }
        let ident_end = self.src_pos.offset.saturating_sub(self.last_char_len);
        let ident = self.src.get(offs..ident_end).unwrap_or("");
        if ident.is_empty() || ident == "-" {
            self.err("zero-length heredoc anchor");
            return;
        }
        let anchor = ident.strip_prefix('-').unwrap_or(ident);
        let mut line_start = self.src_pos.offset;
        loop {
            let c = self.next();
            if c == '\n' {
                let line_end = self.src_pos.offset.saturating_sub(self.last_char_len);
                let line = self.src.get(line_start..line_end).unwrap_or("");
                if line.len() >= ident.len() && is_anchor_line(line, anchor) {
                    break;
                }
                line_start = self.src_pos.offset;
            }
            if c == EOF {
                self.err("heredoc not terminated");
                return;
            }
        }
    }

    fn scan_string(&mut self) {
        let mut braces = 0usize;
        loop {
            let ch = self.next();
            if (ch == '\n' && braces == 0) || ch == EOF {
                self.err("literal not terminated");
                return;
            }
            if ch == '"' && braces == 0 {
                break;
            }
            if braces == 0 && ch == '$' && self.peek() == '{' {
                braces += 1;
                self.next();
            } else if braces > 0 && ch == '{' {
                braces += 1;
            }
            if braces > 0 && ch == '}' {
                braces -= 1;
            }
            if ch == '\\' {
                self.scan_escape();
            }
        }
    }

    fn scan_escape(&mut self) {
        let ch = self.next();
        match ch {
            'a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v' | '\\' | '"' => {}
            '0'..='7' => self.scan_digits(ch, 8, 3),
            'x' => {
                let c = self.next();
                self.scan_digits(c, 16, 2)
            }
            'u' => {
                let c = self.next();
                self.scan_digits(c, 16, 4)
            }
            'U' => {
                let c = self.next();
                self.scan_digits(c, 16, 8)
            }
            _ => self.err("illegal char escape"),
        }
    }

    fn scan_digits(&mut self, first: char, base: u32, n: usize) {
        let mut ch = first;
        let mut left = n;
        while left > 0 && ch.to_digit(16).is_some_and(|d| d < base) {
            ch = self.next();
            if ch == EOF {
                break;
            }
            left -= 1;
        }
        if left > 0 {
            self.err("illegal char escape");
        }
        if left != n && ch != EOF {
            self.unread();
        }
    }

    fn scan_identifier(&mut self) -> &'a str {
        let offs = self.src_pos.offset.saturating_sub(self.last_char_len);
        let mut ch = self.next();
        while is_letter(ch) || is_digit(ch) || ch == '-' || ch == '.' {
            ch = self.next();
        }
        if ch != EOF {
            self.unread();
        }
        self.src.get(offs..self.src_pos.offset).unwrap_or("")
    }

    fn err(&mut self, msg: &'static str) {
        let mut pos = Pos {
            offset: self.src_pos.offset.saturating_sub(self.last_char_len),
            ..Pos::default()
        };
        if self.src_pos.column > 0 {
            pos.line = self.src_pos.line;
            pos.column = self.src_pos.column;
        } else if self.last_line_len > 0 {
            pos.line = self.src_pos.line.saturating_sub(1);
            pos.column = self.last_line_len;
        } else {
            pos.line = 1;
            pos.column = 1;
        }
        self.error = Some((pos, msg));
    }
}

/// `^[[:space:]]*ANCHOR\r*\z` without a regex engine.
fn is_anchor_line(line: &str, anchor: &str) -> bool {
    let rest = line.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    rest.strip_prefix(anchor)
        .is_some_and(|tail| tail.chars().all(|c| c == '\r'))
}

fn is_letter(ch: char) -> bool {
    ch.is_ascii_alphabetic() || ch == '_' || (ch as u32 >= 0x80 && ch.is_alphabetic())
}

fn is_digit(ch: char) -> bool {
    ch.is_ascii_digit() || (ch as u32 >= 0x80 && ch.is_numeric())
}
