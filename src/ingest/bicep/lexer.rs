//! Bicep lexer: turns source text into tokens with byte spans.
//!
//! Keywords are contextual, so every word is an [`TokenKind::Ident`]; the
//! parser decides by text. Newlines are significant and emitted as a single
//! [`TokenKind::Newline`] per run of line breaks (comments in between are
//! trivia). Strings are split at interpolation holes into head/middle/tail
//! pieces, following the Bicep compiler's own lexer; a stack of open holes
//! and braces decides whether a `}` closes an object or resumes a string.

use super::ast::{Diagnostic, Span};

/// Position of a string piece relative to interpolation holes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StringPiece {
    /// `'text'`: no holes.
    Complete,
    /// `'text${`
    Head,
    /// `}text${`
    Middle,
    /// `}text'`
    Tail,
}

/// Token kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Identifier or (contextual) keyword, including `true`/`false`/`null`.
    Ident,
    /// Decimal integer literal.
    Integer,
    /// String piece; its decoded text is `Lexed::strings[value]`.
    String {
        /// Which piece of a (possibly interpolated) string this is.
        piece: StringPiece,
        /// Whether it belongs to a `'''` multi-line string.
        multiline: bool,
        /// Index of the decoded text in [`Lexed::strings`].
        value: u32,
    },
    /// One or more line breaks.
    Newline,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `...`
    Ellipsis,
    /// `:`
    Colon,
    /// `::`
    ColonColon,
    /// `?`
    Question,
    /// `??`
    QuestionQuestion,
    /// `@`
    At,
    /// `=`
    Assign,
    /// `=>`
    Arrow,
    /// `==`
    EqEq,
    /// `!=`
    NotEq,
    /// `=~`
    EqTilde,
    /// `!~`
    NotTilde,
    /// `!`
    Bang,
    /// `&&`
    AndAnd,
    /// `||`
    OrOr,
    /// `|`
    Pipe,
    /// `<`
    Lt,
    /// `<=`
    LtEq,
    /// `>`
    Gt,
    /// `>=`
    GtEq,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `%`
    Percent,
    /// `^`
    Caret,
    /// `;` (not used by the grammar; reported by the parser where it appears)
    Semicolon,
    /// End of input (always the last token).
    Eof,
}

/// A token and its byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Kind (and decoded string value).
    pub kind: TokenKind,
    /// Byte range in the source.
    pub span: Span,
}

/// Result of lexing: tokens (ending in [`TokenKind::Eof`]) and lexical errors.
#[derive(Clone, Debug, Default)]
pub struct Lexed {
    /// The tokens.
    pub tokens: Vec<Token>,
    /// Lexical diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// Decoded text of string pieces, indexed by [`TokenKind::String`]'s `value`.
    pub strings: Vec<String>,
}

/// What an open `{` or interpolation hole on the template stack is.
#[derive(Clone, Copy, Debug)]
enum Frame {
    /// An object brace opened inside a hole.
    Brace,
    /// A `${` hole of a single-line string.
    Hole,
    /// A hole of a `$'''` string needing this many `$` signs.
    MultilineHole(usize),
}

/// Tokenizes `src`. Never panics; unknown characters are reported and skipped.
pub fn lex(src: &str) -> Lexed {
    let mut lexer = Lexer {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        stack: Vec::new(),
        out: Lexed {
            // Typical Bicep has one token per 3-4 bytes.
            tokens: Vec::with_capacity(src.len() / 3 + 1),
            ..Lexed::default()
        },
    };
    lexer.run();
    lexer.out
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    stack: Vec<Frame>,
    out: Lexed,
}

impl Lexer<'_> {
    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn error(&mut self, message: &str, start: usize, end: usize) {
        self.out.diagnostics.push(Diagnostic {
            message: message.to_string(),
            span: Span::new(start, end),
        });
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.out.tokens.push(Token {
            kind,
            span: Span::new(start, self.pos),
        });
    }

    fn push_string(&mut self, piece: StringPiece, multiline: bool, text: String, start: usize) {
        let value = u32::try_from(self.out.strings.len()).unwrap_or(u32::MAX);
        self.out.strings.push(text);
        let kind = TokenKind::String {
            piece,
            multiline,
            value,
        };
        self.push(kind, start);
    }

    fn run(&mut self) {
        if self.src.starts_with('\u{feff}') {
            self.pos = 3;
        }
        while self.pos < self.bytes.len() {
            self.next_token();
        }
        if !self.stack.is_empty() {
            let end = self.bytes.len();
            self.error("unterminated string interpolation", end, end);
        }
        self.pos = self.bytes.len();
        self.push(TokenKind::Eof, self.pos);
    }

    fn next_token(&mut self) {
        let start = self.pos;
        let c = self.bytes[self.pos];
        match c {
            b' ' | b'\t' => self.pos += 1,
            b'\r' | b'\n' => self.newline(start),
            b'/' if self.peek(1) == b'/' => self.skip_line(),
            b'/' if self.peek(1) == b'*' => self.block_comment(start),
            b'#' if self.peek(1).is_ascii_alphabetic() => self.skip_line(),
            b'\'' => self.string_start(start),
            b'$' => self.dollar_string(start),
            b'0'..=b'9' => {
                while self.peek(0).is_ascii_digit() {
                    self.pos += 1;
                }
                self.push(TokenKind::Integer, start);
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while matches!(self.peek(0), b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9') {
                    self.pos += 1;
                }
                self.push(TokenKind::Ident, start);
            }
            b'{' => {
                if !self.stack.is_empty() {
                    self.stack.push(Frame::Brace);
                }
                self.pos += 1;
                self.push(TokenKind::LBrace, start);
            }
            b'}' => self.close_brace(start),
            _ => self.operator(start, c),
        }
    }

    fn operator(&mut self, start: usize, c: u8) {
        let next = self.peek(1);
        let (kind, len) = match (c, next) {
            (b'.', b'.') if self.peek(2) == b'.' => (TokenKind::Ellipsis, 3),
            (b'.', _) => (TokenKind::Dot, 1),
            (b':', b':') => (TokenKind::ColonColon, 2),
            (b':', _) => (TokenKind::Colon, 1),
            (b'?', b'?') => (TokenKind::QuestionQuestion, 2),
            (b'?', _) => (TokenKind::Question, 1),
            (b'=', b'=') => (TokenKind::EqEq, 2),
            (b'=', b'~') => (TokenKind::EqTilde, 2),
            (b'=', b'>') => (TokenKind::Arrow, 2),
            (b'=', _) => (TokenKind::Assign, 1),
            (b'!', b'=') => (TokenKind::NotEq, 2),
            (b'!', b'~') => (TokenKind::NotTilde, 2),
            (b'!', _) => (TokenKind::Bang, 1),
            (b'<', b'=') => (TokenKind::LtEq, 2),
            (b'<', _) => (TokenKind::Lt, 1),
            (b'>', b'=') => (TokenKind::GtEq, 2),
            (b'>', _) => (TokenKind::Gt, 1),
            (b'&', b'&') => (TokenKind::AndAnd, 2),
            (b'|', b'|') => (TokenKind::OrOr, 2),
            (b'|', _) => (TokenKind::Pipe, 1),
            (b'[', _) => (TokenKind::LBracket, 1),
            (b']', _) => (TokenKind::RBracket, 1),
            (b'(', _) => (TokenKind::LParen, 1),
            (b')', _) => (TokenKind::RParen, 1),
            (b',', _) => (TokenKind::Comma, 1),
            (b'@', _) => (TokenKind::At, 1),
            (b'+', _) => (TokenKind::Plus, 1),
            (b'-', _) => (TokenKind::Minus, 1),
            (b'*', _) => (TokenKind::Star, 1),
            (b'/', _) => (TokenKind::Slash, 1),
            (b'%', _) => (TokenKind::Percent, 1),
            (b'^', _) => (TokenKind::Caret, 1),
            (b';', _) => (TokenKind::Semicolon, 1),
            _ => {
                let len = self.src[start..].chars().next().map_or(1, char::len_utf8);
                self.pos += len;
                self.error("unexpected character", start, self.pos);
                return;
            }
        };
        self.pos += len;
        self.push(kind, start);
    }

    fn newline(&mut self, start: usize) {
        if !self.stack.is_empty() {
            // A hole cannot span lines: close everything with an empty tail piece.
            self.stack.clear();
            self.error(
                "unterminated string: newline inside interpolation",
                start,
                start,
            );
            self.push_string(StringPiece::Tail, false, String::new(), start);
        }
        while matches!(self.peek(0), b'\r' | b'\n') {
            self.pos += 1;
        }
        match self.out.tokens.last_mut() {
            Some(Token {
                kind: TokenKind::Newline,
                span,
            }) => span.end = self.pos,
            _ => self.push(TokenKind::Newline, start),
        }
    }

    fn skip_line(&mut self) {
        while !self.at_end() && !matches!(self.bytes[self.pos], b'\r' | b'\n') {
            self.pos += 1;
        }
    }

    fn block_comment(&mut self, start: usize) {
        self.pos += 2;
        loop {
            if self.at_end() {
                self.error("unterminated multi-line comment", start, self.pos);
                return;
            }
            if self.peek(0) == b'*' && self.peek(1) == b'/' {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
    }

    fn close_brace(&mut self, start: usize) {
        self.pos += 1;
        match self.stack.last().copied() {
            Some(Frame::Hole) => {
                let piece = self.single_line_body(start, false);
                if piece == StringPiece::Tail {
                    self.stack.pop();
                }
            }
            Some(Frame::MultilineHole(dollars)) => {
                let piece = self.multiline_body(start, false, dollars);
                if piece == StringPiece::Tail {
                    self.stack.pop();
                }
            }
            Some(Frame::Brace) => {
                self.stack.pop();
                self.push(TokenKind::RBrace, start);
            }
            None => self.push(TokenKind::RBrace, start),
        }
    }

    fn string_start(&mut self, start: usize) {
        if self.peek(1) == b'\'' && self.peek(2) == b'\'' {
            self.pos += 3;
            self.multiline_body(start, true, 0);
            return;
        }
        self.pos += 1;
        if self.single_line_body(start, true) == StringPiece::Head {
            self.stack.push(Frame::Hole);
        }
    }

    fn dollar_string(&mut self, start: usize) {
        let mut dollars = 0;
        while self.peek(dollars) == b'$' {
            dollars += 1;
        }
        let quotes = self.pos + dollars;
        if self.bytes.get(quotes..quotes + 3) == Some(b"'''") {
            self.pos = quotes + 3;
            if self.multiline_body(start, true, dollars) == StringPiece::Head {
                self.stack.push(Frame::MultilineHole(dollars));
            }
        } else {
            self.pos += 1;
            self.error("unexpected character", start, self.pos);
        }
    }

    /// Scans a single-line string piece after its opening `'` or `}`.
    fn single_line_body(&mut self, start: usize, at_start: bool) -> StringPiece {
        let mut value = String::new();
        let mut run = self.pos;
        loop {
            if self.at_end() || matches!(self.bytes[self.pos], b'\r' | b'\n') {
                value.push_str(&self.src[run..self.pos]);
                self.error("unterminated string", start, self.pos);
                let piece = if at_start {
                    StringPiece::Complete
                } else {
                    StringPiece::Tail
                };
                self.push_string(piece, false, value, start);
                return piece;
            }
            match self.bytes[self.pos] {
                b'\'' => {
                    value.push_str(&self.src[run..self.pos]);
                    self.pos += 1;
                    let piece = if at_start {
                        StringPiece::Complete
                    } else {
                        StringPiece::Tail
                    };
                    self.push_string(piece, false, value, start);
                    return piece;
                }
                b'$' if self.peek(1) == b'{' => {
                    value.push_str(&self.src[run..self.pos]);
                    self.pos += 2;
                    let piece = if at_start {
                        StringPiece::Head
                    } else {
                        StringPiece::Middle
                    };
                    self.push_string(piece, false, value, start);
                    return piece;
                }
                b'\\' => {
                    value.push_str(&self.src[run..self.pos]);
                    self.escape(&mut value);
                    run = self.pos;
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Decodes one escape sequence at `self.pos` (a backslash) into `value`.
    fn escape(&mut self, value: &mut String) {
        let start = self.pos;
        self.pos += 1;
        let simple = match self.peek(0) {
            b'\'' => Some('\''),
            b'\\' => Some('\\'),
            b'n' => Some('\n'),
            b'r' => Some('\r'),
            b't' => Some('\t'),
            b'$' => Some('$'),
            _ => None,
        };
        if let Some(c) = simple {
            self.pos += 1;
            value.push(c);
            return;
        }
        if self.peek(0) == b'u' {
            let Some((code, next)) = self.unicode_escape(self.pos) else {
                self.error("invalid unicode escape sequence", start, self.pos + 1);
                return;
            };
            self.pos = next;
            // Bicep strings are UTF-16: combine an escaped surrogate pair.
            let low = match (0xD800..0xDC00).contains(&code) && self.peek(0) == b'\\' {
                true => self.unicode_escape(self.pos + 1),
                false => None,
            };
            if let Some((low @ 0xDC00..=0xDFFF, after)) = low {
                self.pos = after;
                let combined = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                value.push(char::from_u32(combined).unwrap_or('\u{fffd}'));
                return;
            }
            value.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            return;
        }
        self.error(
            "invalid escape sequence",
            start,
            (self.pos + 1).min(self.bytes.len()),
        );
        // Keep the backslash literally; the next char is scanned normally.
        value.push('\\');
    }

    /// Parses `u{hex}` at `at`, returning the code point and the offset after `}`.
    fn unicode_escape(&self, at: usize) -> Option<(u32, usize)> {
        if self.bytes.get(at..at + 2) != Some(b"u{") {
            return None;
        }
        let digits = at + 2;
        let mut end = digits;
        while self.bytes.get(end).is_some_and(u8::is_ascii_hexdigit) {
            end += 1;
        }
        if end == digits || self.bytes.get(end) != Some(&b'}') {
            return None;
        }
        let code = u32::from_str_radix(&self.src[digits..end], 16).ok()?;
        (code <= 0x10FFFF).then_some((code, end + 1))
    }

    /// Scans a `'''` string piece; `dollars` > 0 enables `$`-prefixed holes.
    fn multiline_body(&mut self, start: usize, at_start: bool, dollars: usize) -> StringPiece {
        let content_start = self.pos;
        loop {
            if self.at_end() {
                self.error("unterminated multi-line string", start, self.pos);
                let piece = if at_start {
                    StringPiece::Complete
                } else {
                    StringPiece::Tail
                };
                self.push_multiline(start, piece, content_start, self.pos, at_start);
                return piece;
            }
            match self.bytes[self.pos] {
                b'\'' => {
                    let run_start = self.pos;
                    while self.peek(0) == b'\'' {
                        self.pos += 1;
                    }
                    if self.pos - run_start >= 3 {
                        let piece = if at_start {
                            StringPiece::Complete
                        } else {
                            StringPiece::Tail
                        };
                        self.push_multiline(start, piece, content_start, self.pos - 3, at_start);
                        return piece;
                    }
                }
                b'$' if dollars > 0 => {
                    let run_start = self.pos;
                    while self.peek(0) == b'$' {
                        self.pos += 1;
                    }
                    if self.pos - run_start >= dollars && self.peek(0) == b'{' {
                        let content_end = self.pos - dollars;
                        self.pos += 1;
                        let piece = if at_start {
                            StringPiece::Head
                        } else {
                            StringPiece::Middle
                        };
                        self.push_multiline(start, piece, content_start, content_end, at_start);
                        return piece;
                    }
                }
                _ => self.pos += 1,
            }
        }
    }

    fn push_multiline(
        &mut self,
        start: usize,
        piece: StringPiece,
        from: usize,
        to: usize,
        at_start: bool,
    ) {
        let mut text = &self.src[from..to];
        if at_start {
            // A line break right after the opening quotes is not content.
            text = text.strip_prefix('\r').unwrap_or(text);
            text = text.strip_prefix('\n').unwrap_or(text);
        }
        let value = text.to_string();
        self.push_string(piece, true, value, start);
    }
}

#[cfg(test)]
mod tests;
