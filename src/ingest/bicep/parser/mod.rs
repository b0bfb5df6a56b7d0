//! Recursive-descent Bicep parser with error recovery.
//!
//! [`parse`] never fails: syntax errors become [`Diagnostic`]s and the parser
//! resynchronises at the next separator (newline or comma) of the enclosing
//! object/array, at its closing bracket, or at the next line that starts with
//! a declaration keyword in column 0. Nesting is capped at [`MAX_DEPTH`] so
//! hostile input cannot overflow the stack. Each token is visited a bounded
//! number of times, so parsing is linear in the input size.

mod expr;
mod stmt;
mod types;

use super::ast::{Diagnostic, Program, Span};
use super::lexer::{lex, StringPiece, Token, TokenKind};

/// Maximum nesting of expressions/types before the parser gives up on a subtree.
pub const MAX_DEPTH: usize = 100;

/// Keywords that start a top-level declaration.
const DECLARATION_KEYWORDS: &[&str] = &[
    "targetScope",
    "metadata",
    "param",
    "var",
    "resource",
    "module",
    "output",
    "type",
    "func",
    "import",
    "extension",
    "provider",
    "using",
    "extends",
    "extensionConfig",
    "test",
    "assert",
];

/// Parses Bicep (or `.bicepparam`) source into a [`Program`].
pub fn parse(src: &str) -> Program {
    let lexed = lex(src);
    let mut parser = Parser {
        src,
        tokens: lexed.tokens,
        strings: lexed.strings,
        pos: 0,
        diagnostics: lexed.diagnostics,
        depth: 0,
    };
    let statements = parser.program();
    Program {
        statements,
        diagnostics: parser.diagnostics,
    }
}

/// Tokens that end skipping during recovery, besides newlines at depth 0.
#[derive(Clone, Copy)]
struct Stops {
    /// Stop at a comma at depth 0.
    comma: bool,
    /// Stop at an unmatched closing bracket or string tail (nested contexts).
    closers: bool,
    /// Stop at a newline at depth 0.
    newline: bool,
}

/// In a list: items are separated by newlines/commas and end at a closer.
const IN_LIST: Stops = Stops {
    comma: true,
    closers: true,
    newline: true,
};

/// At top level: skip to the end of the line, consuming stray closers.
const TOP_LEVEL: Stops = Stops {
    comma: false,
    closers: false,
    newline: true,
};

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    /// Decoded string-piece texts from the lexer (taken when consumed).
    strings: Vec<String>,
    pos: usize,
    diagnostics: Vec<Diagnostic>,
    depth: usize,
}

impl Parser<'_> {
    // ---- token access -------------------------------------------------

    fn token(&self, n: usize) -> &Token {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.pos + n).min(last)]
    }

    fn kind(&self) -> &TokenKind {
        &self.token(0).kind
    }

    fn span(&self) -> Span {
        self.token(0).span
    }

    /// End offset of the previously consumed token.
    fn prev_end(&self) -> usize {
        match self.pos {
            0 => 0,
            p => self.tokens[p - 1].span.end,
        }
    }

    fn at(&self, kind: &TokenKind) -> bool {
        self.kind() == kind
    }

    fn at_eof(&self) -> bool {
        self.at(&TokenKind::Eof)
    }

    fn text(&self, span: Span) -> &str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    /// Whether the current token is the identifier/keyword `word`.
    fn at_word(&self, word: &str) -> bool {
        self.at_word_n(0, word)
    }

    fn at_word_n(&self, n: usize, word: &str) -> bool {
        let tok = self.token(n);
        tok.kind == TokenKind::Ident && self.text(tok.span) == word
    }

    fn at_string(&self) -> bool {
        matches!(
            self.kind(),
            TokenKind::String {
                piece: StringPiece::Complete | StringPiece::Head,
                ..
            }
        )
    }

    /// Kind of the next token that is not a newline.
    fn kind_past_newlines(&self) -> &TokenKind {
        match self.kind() {
            TokenKind::Newline => &self.token(1).kind,
            kind => kind,
        }
    }

    /// Takes the decoded text of a string token (each piece is consumed once).
    fn take_string(&mut self, index: u32) -> String {
        self.strings
            .get_mut(index as usize)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    fn bump(&mut self) -> Span {
        let span = self.span();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        span
    }

    fn eat(&mut self, kind: &TokenKind) -> Option<Span> {
        self.at(kind).then(|| self.bump())
    }

    fn eat_word(&mut self, word: &str) -> Option<Span> {
        self.at_word(word).then(|| self.bump())
    }

    fn skip_newlines(&mut self) {
        while self.at(&TokenKind::Newline) {
            self.bump();
        }
    }

    /// Consumes `kind` or reports `expected {what}` at the current token.
    fn expect(&mut self, kind: &TokenKind, what: &str) -> Option<Span> {
        let found = self.eat(kind);
        if found.is_none() {
            self.error_expected(what);
        }
        found
    }

    // ---- diagnostics --------------------------------------------------

    fn error(&mut self, message: String, span: Span) {
        // Only the first error at a given position is useful.
        if self
            .diagnostics
            .last()
            .is_some_and(|d| d.span.start == span.start)
        {
            return;
        }
        self.diagnostics.push(Diagnostic { message, span });
    }

    fn error_expected(&mut self, what: &str) {
        let tok = self.token(0);
        let found = match &tok.kind {
            TokenKind::Newline => "newline".to_string(),
            TokenKind::Eof => "end of file".to_string(),
            TokenKind::String { .. } => "string".to_string(),
            _ => format!("'{}'", self.text(tok.span)),
        };
        let span = tok.span;
        self.error(format!("expected {what}, found {found}"), span);
    }

    // ---- nesting guard ------------------------------------------------

    /// Enters one nesting level; returns false (after reporting) when too deep.
    fn enter(&mut self) -> bool {
        if self.depth >= MAX_DEPTH {
            let span = self.span();
            self.error("nesting too deep".to_string(), span);
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ---- recovery -----------------------------------------------------

    /// Whether the current token starts a new top-level declaration (or its
    /// decorator) in column 0.
    /// Used to end unterminated objects/arrays without swallowing the file.
    fn at_declaration_line(&self) -> bool {
        let tok = self.token(0);
        if !self.starts_line(tok.span.start) {
            return false;
        }
        if tok.kind == TokenKind::At {
            return self.token(1).kind == TokenKind::Ident;
        }
        if tok.kind != TokenKind::Ident {
            return false;
        }
        let word = self.text(tok.span);
        if !DECLARATION_KEYWORDS.contains(&word) {
            return false;
        }
        match &self.token(1).kind {
            TokenKind::Ident => true,
            TokenKind::Assign => word == "targetScope",
            TokenKind::LBrace | TokenKind::Star => word == "import",
            TokenKind::String { .. } => {
                matches!(word, "import" | "extension" | "provider" | "using")
            }
            _ => false,
        }
    }

    fn starts_line(&self, offset: usize) -> bool {
        offset == 0 || matches!(self.src.as_bytes().get(offset - 1), Some(b'\n' | b'\r'))
    }

    /// Skips tokens until a stop at bracket depth 0 (never consuming the stop).
    fn recover(&mut self, stops: Stops) {
        let mut depth = 0usize;
        loop {
            if depth == 0 && self.at_declaration_line() {
                return;
            }
            match self.kind() {
                TokenKind::Eof => return,
                TokenKind::Newline if depth == 0 && stops.newline => return,
                TokenKind::Comma if depth == 0 && stops.comma => return,
                TokenKind::LBrace | TokenKind::LBracket | TokenKind::LParen => depth += 1,
                TokenKind::String {
                    piece: StringPiece::Head,
                    ..
                } => depth += 1,
                TokenKind::RBrace
                | TokenKind::RBracket
                | TokenKind::RParen
                | TokenKind::String {
                    piece: StringPiece::Middle | StringPiece::Tail,
                    ..
                } => {
                    if depth == 0 && stops.closers {
                        return;
                    }
                    let middle = matches!(
                        self.kind(),
                        TokenKind::String {
                            piece: StringPiece::Middle,
                            ..
                        }
                    );
                    if !middle {
                        depth = depth.saturating_sub(1);
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }

    /// Reports (unless an error was already reported since `mark`) and recovers.
    fn recover_after(&mut self, mark: usize, what: &str, stops: Stops) {
        if self.diagnostics.len() == mark {
            self.error_expected(what);
        }
        self.recover(stops);
    }
}

#[cfg(test)]
mod tests;
