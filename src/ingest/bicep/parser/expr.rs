//! Expressions: Pratt-style binary operators, postfix chains, literals,
//! strings, objects, arrays and `for`/`if` bodies.

use super::super::ast::{
    ArrayItem, BinaryOp, Expr, ExprKind, ForBody, ForExpr, Ident, IfBody, ObjectExpr, ObjectItem,
    ObjectKey, ObjectProperty, Span, StringExpr, StringPart, UnaryOp,
};
use super::super::lexer::{StringPiece, TokenKind};
use super::{Parser, Stops, IN_LIST};

/// Recovery inside a string hole: stop at the next string piece or line end.
const IN_HOLE: Stops = Stops {
    comma: false,
    closers: true,
    newline: true,
};

/// Recovery inside parentheses: newlines are not separators.
const IN_PARENS: Stops = Stops {
    comma: true,
    closers: true,
    newline: false,
};

/// Binary operator and precedence (higher binds tighter), as in the Bicep compiler.
fn binary_op(kind: &TokenKind) -> Option<(BinaryOp, u8)> {
    Some(match kind {
        TokenKind::Star => (BinaryOp::Mul, 100),
        TokenKind::Slash => (BinaryOp::Div, 100),
        TokenKind::Percent => (BinaryOp::Mod, 100),
        TokenKind::Plus => (BinaryOp::Add, 90),
        TokenKind::Minus => (BinaryOp::Sub, 90),
        TokenKind::Gt => (BinaryOp::Gt, 80),
        TokenKind::GtEq => (BinaryOp::GtEq, 80),
        TokenKind::Lt => (BinaryOp::Lt, 80),
        TokenKind::LtEq => (BinaryOp::LtEq, 80),
        TokenKind::EqEq => (BinaryOp::Eq, 70),
        TokenKind::NotEq => (BinaryOp::NotEq, 70),
        TokenKind::EqTilde => (BinaryOp::EqI, 70),
        TokenKind::NotTilde => (BinaryOp::NotEqI, 70),
        TokenKind::AndAnd => (BinaryOp::And, 50),
        TokenKind::OrOr => (BinaryOp::Or, 40),
        TokenKind::QuestionQuestion => (BinaryOp::Coalesce, 30),
        _ => return None,
    })
}

fn error_expr(at: usize) -> Expr {
    Expr {
        kind: ExprKind::Error,
        span: Span::new(at, at),
    }
}

fn node(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

impl Parser<'_> {
    /// `binary ('?' expr ':' expr)?`; newlines are allowed around `?` and `:`.
    pub(super) fn expr(&mut self) -> Expr {
        if !self.enter() {
            return error_expr(self.span().start);
        }
        let cond = self.binary(0);
        let result = if self.kind_past_newlines() == &TokenKind::Question {
            self.skip_newlines();
            self.bump();
            self.skip_newlines();
            let then = self.expr();
            if self.kind_past_newlines() == &TokenKind::Colon {
                self.skip_newlines();
                self.bump();
                self.skip_newlines();
            } else {
                self.error_expected("':'");
            }
            let otherwise = self.expr();
            let span = cond.span.to(otherwise.span);
            node(
                ExprKind::Ternary {
                    cond: Box::new(cond),
                    then: Box::new(then),
                    otherwise: Box::new(otherwise),
                },
                span,
            )
        } else {
            cond
        };
        self.leave();
        result
    }

    /// Left-associative binary operators above `min_prec`.
    fn binary(&mut self, min_prec: u8) -> Expr {
        let mut lhs = self.unary();
        let mut chain = 0;
        while let Some((op, prec)) = binary_op(self.kind()) {
            // Each link deepens the tree, so it counts against the depth limit.
            if prec <= min_prec || !self.enter() {
                break;
            }
            chain += 1;
            self.bump();
            self.skip_newlines();
            let rhs = self.binary(prec);
            let span = lhs.span.to(rhs.span);
            lhs = node(
                ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            );
        }
        self.depth -= chain;
        lhs
    }

    pub(super) fn unary(&mut self) -> Expr {
        let op = match self.kind() {
            TokenKind::Bang => UnaryOp::Not,
            TokenKind::Minus => UnaryOp::Neg,
            TokenKind::Plus => UnaryOp::Plus,
            _ => return self.postfix(),
        };
        if !self.enter() {
            return error_expr(self.span().start);
        }
        let start = self.bump();
        let operand = self.unary();
        self.leave();
        let span = start.to(operand.span);
        node(
            ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
            span,
        )
    }

    /// Primary expression followed by `.x`, `.?x`, `.f()`, `[i]`, `[?i]`, `[^i]`, `::x`, `!`.
    pub(super) fn postfix(&mut self) -> Expr {
        let mut expr = self.primary();
        let mut chain = 0;
        loop {
            let is_postfix = matches!(
                self.kind(),
                TokenKind::LBracket | TokenKind::Dot | TokenKind::ColonColon | TokenKind::Bang
            );
            if !is_postfix || !self.enter() {
                break;
            }
            chain += 1;
            expr = match self.kind() {
                TokenKind::LBracket => self.index(expr),
                TokenKind::Dot => self.member(expr),
                TokenKind::ColonColon => {
                    self.bump();
                    match self.ident("child resource name") {
                        Some(name) => {
                            let span = expr.span.to(name.span);
                            let base = Box::new(expr);
                            node(ExprKind::ResourceAccess { base, name }, span)
                        }
                        None => expr,
                    }
                }
                _ => {
                    let end = self.bump();
                    let span = expr.span.to(end);
                    node(ExprKind::NonNull(Box::new(expr)), span)
                }
            };
        }
        self.depth -= chain;
        expr
    }

    /// `[i]`, `[?i]`, `[^i]` after `base`.
    fn index(&mut self, base: Expr) -> Expr {
        self.bump();
        let safe = self.eat(&TokenKind::Question).is_some();
        let from_end = self.eat(&TokenKind::Caret).is_some();
        self.skip_newlines();
        let index = if self.at(&TokenKind::RBracket) {
            self.error_expected("index expression");
            error_expr(self.span().start)
        } else {
            self.expr()
        };
        self.skip_newlines();
        if self.expect(&TokenKind::RBracket, "']'").is_none() {
            self.recover(IN_PARENS);
            self.eat(&TokenKind::RBracket);
        }
        let span = base.span.to(Span::new(index.span.end, self.prev_end()));
        node(
            ExprKind::Index {
                base: Box::new(base),
                index: Box::new(index),
                safe,
                from_end,
            },
            span,
        )
    }

    /// `.name`, `.?name` or `.name(args)` after `base`.
    fn member(&mut self, base: Expr) -> Expr {
        self.bump();
        let safe = self.eat(&TokenKind::Question).is_some();
        let Some(name) = self.ident("property or function name") else {
            return base;
        };
        if self.at(&TokenKind::LParen) {
            let args = self.call_args();
            let span = base.span.to(Span::new(name.span.end, self.prev_end()));
            return node(
                ExprKind::Call {
                    receiver: Some(Box::new(base)),
                    name,
                    args,
                },
                span,
            );
        }
        let span = base.span.to(name.span);
        node(
            ExprKind::Property {
                base: Box::new(base),
                name,
                safe,
            },
            span,
        )
    }

    fn call_args(&mut self) -> Vec<Expr> {
        self.paren_list(|p| Some(p.expr()))
            .into_iter()
            .flatten()
            .collect()
    }

    /// `( item, item, ... )` with newlines allowed anywhere; the current token is `(`.
    pub(super) fn paren_list<T>(&mut self, mut item: impl FnMut(&mut Self) -> T) -> Vec<T> {
        self.bump();
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            if self.eat(&TokenKind::RParen).is_some() {
                break;
            }
            if self.at_eof() {
                self.error_expected("')'");
                break;
            }
            let mark = self.diagnostics.len();
            items.push(item(self));
            self.skip_newlines();
            if self.eat(&TokenKind::Comma).is_some() {
                continue;
            }
            if self.eat(&TokenKind::RParen).is_some() {
                break;
            }
            self.recover_after(mark, "',' or ')'", IN_PARENS);
            if self.eat(&TokenKind::Comma).is_none() {
                self.eat(&TokenKind::RParen);
                break;
            }
        }
        items
    }

    fn primary(&mut self) -> Expr {
        let span = self.span();
        match self.kind() {
            TokenKind::Integer => {
                self.bump();
                let value = self.text(span).parse::<u64>().unwrap_or_else(|_| {
                    self.error("integer literal is too large".to_string(), span);
                    0
                });
                node(ExprKind::Int(value), span)
            }
            TokenKind::Ident => self.word(),
            TokenKind::String {
                piece: StringPiece::Complete | StringPiece::Head,
                ..
            } => {
                let s = self.string_expr();
                node(
                    ExprKind::String(s),
                    span.to(Span::new(span.start, self.prev_end())),
                )
            }
            TokenKind::LBrace => {
                let object = self.object();
                let span = object.span;
                node(ExprKind::Object(object), span)
            }
            TokenKind::LBracket => {
                let is_for = match self.token(1).kind {
                    TokenKind::Newline => self.at_word_n(2, "for"),
                    _ => self.at_word_n(1, "for"),
                };
                if is_for {
                    let f = self.for_expr();
                    let span = f.span;
                    node(ExprKind::For(Box::new(f)), span)
                } else {
                    self.array()
                }
            }
            TokenKind::LParen => self.paren_or_lambda(),
            _ => {
                self.error_expected("expression");
                error_expr(span.start)
            }
        }
    }

    /// Literal keyword, variable, function call or single-parameter lambda.
    fn word(&mut self) -> Expr {
        let span = self.bump();
        let name = self.text(span).to_string();
        let kind = match name.as_str() {
            "true" => ExprKind::Bool(true),
            "false" => ExprKind::Bool(false),
            "null" => ExprKind::Null,
            _ => {
                let ident = Ident { name, span };
                if self.at(&TokenKind::LParen) {
                    let args = self.call_args();
                    let call = ExprKind::Call {
                        receiver: None,
                        name: ident,
                        args,
                    };
                    return node(call, Span::new(span.start, self.prev_end()));
                }
                if self.at(&TokenKind::Arrow) {
                    return self.lambda(vec![ident], span.start);
                }
                ExprKind::Variable(ident)
            }
        };
        node(kind, span)
    }

    /// `=> body` after the parameters.
    fn lambda(&mut self, params: Vec<Ident>, start: usize) -> Expr {
        self.bump();
        self.skip_newlines();
        let body = self.expr();
        let span = Span::new(start, body.span.end.max(self.prev_end()));
        node(
            ExprKind::Lambda {
                params,
                body: Box::new(body),
            },
            span,
        )
    }

    /// `(expr)` or `(a, b) => body`.
    fn paren_or_lambda(&mut self) -> Expr {
        let start = self.span().start;
        let items = self.paren_list(|p| p.expr());
        if self.at(&TokenKind::Arrow) {
            let mut params = Vec::new();
            for item in items {
                match item.kind {
                    ExprKind::Variable(id) => params.push(id),
                    _ => self.error("expected lambda parameter name".to_string(), item.span),
                }
            }
            return self.lambda(params, start);
        }
        let span = Span::new(start, self.prev_end());
        let mut items = items.into_iter();
        let inner = match (items.next(), items.next()) {
            (Some(inner), None) => inner,
            (first, _) => {
                self.error(
                    "expected a single expression in parentheses".to_string(),
                    span,
                );
                first.unwrap_or_else(|| error_expr(start))
            }
        };
        node(ExprKind::Paren(Box::new(inner)), span)
    }

    /// A plain or interpolated string; the current token is a complete or head piece.
    pub(super) fn string_expr(&mut self) -> StringExpr {
        let first = self.span();
        let TokenKind::String {
            piece,
            multiline,
            value,
        } = *self.kind()
        else {
            return StringExpr {
                parts: Vec::new(),
                multiline: false,
                span: Span::new(first.start, first.start),
            };
        };
        self.bump();
        let mut parts = Vec::new();
        let text = self.take_string(value);
        push_literal(&mut parts, text);
        if piece == StringPiece::Head {
            loop {
                let mark = self.diagnostics.len();
                parts.push(StringPart::Interpolation(self.expr()));
                if !self.at_string_continuation() {
                    self.recover_after(mark, "'}'", IN_HOLE);
                }
                let TokenKind::String { piece, value, .. } = *self.kind() else {
                    break;
                };
                if !matches!(piece, StringPiece::Middle | StringPiece::Tail) {
                    break;
                }
                self.bump();
                let text = self.take_string(value);
                push_literal(&mut parts, text);
                if piece == StringPiece::Tail {
                    break;
                }
            }
        }
        StringExpr {
            parts,
            multiline,
            span: Span::new(first.start, self.prev_end()),
        }
    }

    fn at_string_continuation(&self) -> bool {
        matches!(
            self.kind(),
            TokenKind::String {
                piece: StringPiece::Middle | StringPiece::Tail,
                ..
            }
        )
    }

    /// `{ ... }`; the current token is `{`. Nested `resource` declarations are accepted.
    pub(super) fn object(&mut self) -> ObjectExpr {
        let start = self.bump().start;
        let items = self.list(&TokenKind::RBrace, "'}'", |p| p.object_item());
        ObjectExpr {
            items,
            span: Span::new(start, self.prev_end()),
        }
    }

    fn object_item(&mut self) -> Option<ObjectItem> {
        let nested_resource = self.at(&TokenKind::At)
            || (self.at_word("resource") && self.token(1).kind == TokenKind::Ident);
        if nested_resource {
            return Some(ObjectItem::Resource(Box::new(self.statement())));
        }
        if let Some(dots) = self.eat(&TokenKind::Ellipsis) {
            let value = self.expr();
            let span = dots.to(value.span);
            return Some(ObjectItem::Spread(value, span));
        }
        let key = self.object_key()?;
        self.expect(&TokenKind::Colon, "':'")?;
        let value = self.expr();
        let span = key.span().to(value.span);
        Some(ObjectItem::Property(ObjectProperty { key, value, span }))
    }

    /// Identifier (keywords allowed) or string key.
    pub(super) fn object_key(&mut self) -> Option<ObjectKey> {
        match self.kind() {
            TokenKind::Ident => self.ident("property name").map(ObjectKey::Ident),
            TokenKind::String { .. } => Some(ObjectKey::String(self.string_expr())),
            _ => {
                self.error_expected("property name");
                None
            }
        }
    }

    fn array(&mut self) -> Expr {
        let start = self.bump().start;
        let items = self.list(&TokenKind::RBracket, "']'", |p| {
            Some(match p.eat(&TokenKind::Ellipsis) {
                Some(dots) => {
                    let value = p.expr();
                    let span = dots.to(value.span);
                    ArrayItem::Spread(value, span)
                }
                None => ArrayItem::Value(p.expr()),
            })
        });
        node(ExprKind::Array(items), Span::new(start, self.prev_end()))
    }

    /// Items separated by newlines or commas up to `close` (the opener is consumed).
    /// Stops early, reporting a missing `close`, at EOF, at a foreign closing bracket
    /// or at a column-0 declaration line.
    pub(super) fn list<T>(
        &mut self,
        close: &TokenKind,
        close_name: &str,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Vec<T> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            if self.eat(close).is_some() {
                break;
            }
            // A column-0 `resource` inside an object is a (legal) nested child resource.
            let nested_resource = *close == TokenKind::RBrace && self.at_word("resource");
            let new_declaration = self.at_declaration_line() && !nested_resource;
            if self.at_eof() || new_declaration || self.at_closer() {
                self.error_expected(close_name);
                break;
            }
            let mark = self.diagnostics.len();
            match item(self) {
                Some(value) => items.push(value),
                None => self.recover(IN_LIST),
            }
            if self.eat(&TokenKind::Comma).is_some()
                || self.at(&TokenKind::Newline)
                || self.at(close)
            {
                continue;
            }
            self.recover_after(mark, "',' or newline", IN_LIST);
            self.eat(&TokenKind::Comma);
        }
        items
    }

    fn at_closer(&self) -> bool {
        matches!(
            self.kind(),
            TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen
        ) || self.at_string_continuation()
    }

    /// `[for item in xs: body]` / `[for (item, i) in xs: body]`; the current token is `[`.
    pub(super) fn for_expr(&mut self) -> ForExpr {
        let start = self.bump().start;
        self.skip_newlines();
        let mark = self.diagnostics.len();
        let result = self.for_header();
        let (item, index, iterable, body) = match result {
            Some((item, index, iterable)) => {
                let body = if self.at_word("if") && self.token(1).kind == TokenKind::LParen {
                    ForBody::If(self.if_body())
                } else {
                    ForBody::Expr(Box::new(self.expr()))
                };
                (item, index, iterable, body)
            }
            None => {
                let at = self.span().start;
                let placeholder = Ident {
                    name: String::new(),
                    span: Span::new(at, at),
                };
                let body = ForBody::Expr(Box::new(error_expr(at)));
                (placeholder, None, error_expr(at), body)
            }
        };
        self.skip_newlines();
        if self.eat(&TokenKind::RBracket).is_none() {
            self.recover_after(mark, "']'", IN_PARENS_NO_COMMA);
            self.eat(&TokenKind::RBracket);
        }
        ForExpr {
            item,
            index,
            iterable: Box::new(iterable),
            body,
            span: Span::new(start, self.prev_end()),
        }
    }

    /// `for item in xs :` or `for (item, i) in xs :`.
    fn for_header(&mut self) -> Option<(Ident, Option<Ident>, Expr)> {
        if self.eat_word("for").is_none() {
            self.error_expected("'for'");
            return None;
        }
        let (item, index) = if self.eat(&TokenKind::LParen).is_some() {
            let item = self.ident("loop item variable")?;
            let index = match self.eat(&TokenKind::Comma) {
                Some(_) => Some(self.ident("loop index variable")?),
                None => None,
            };
            self.expect(&TokenKind::RParen, "')'")?;
            (item, index)
        } else {
            (self.ident("loop item variable")?, None)
        };
        if self.eat_word("in").is_none() {
            self.error_expected("'in'");
            return None;
        }
        let iterable = self.expr();
        self.expect(&TokenKind::Colon, "':'")?;
        self.skip_newlines();
        Some((item, index, iterable))
    }

    /// `if (cond) { ... }`; the current token is `if`.
    pub(super) fn if_body(&mut self) -> IfBody {
        let start = self.bump().start;
        let condition = if self.at(&TokenKind::LParen) {
            self.paren_or_lambda()
        } else {
            self.error_expected("'('");
            error_expr(self.span().start)
        };
        let condition = match condition.kind {
            ExprKind::Paren(inner) => inner,
            _ => Box::new(condition),
        };
        let body = if self.at(&TokenKind::LBrace) {
            self.object()
        } else {
            self.error_expected("'{'");
            let at = self.span().start;
            ObjectExpr {
                items: Vec::new(),
                span: Span::new(at, at),
            }
        };
        IfBody {
            condition,
            span: Span::new(start, body.span.end.max(start)),
            body,
        }
    }
}

/// Recovery to a `]` ending a `for` expression.
const IN_PARENS_NO_COMMA: Stops = Stops {
    comma: false,
    closers: true,
    newline: false,
};

fn push_literal(parts: &mut Vec<StringPart>, value: String) {
    if !value.is_empty() {
        parts.push(StringPart::Literal(value));
    }
}
