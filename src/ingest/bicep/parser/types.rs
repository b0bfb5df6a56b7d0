//! Type expressions: `string`, `'a' | 'b'`, `string[]`, `int?`, `{...}`,
//! `[...]` tuples, `resourceInput<'T@v'>`, `ns.type`, `t.prop`, `t[*]`, `t.*`, `t!`.

use super::super::ast::{
    Expr, ExprKind, Ident, ObjectTypeItem, Span, TupleItem, TypeExpr, TypeKind,
};
use super::super::lexer::TokenKind;
use super::Parser;

fn ty(kind: TypeKind, span: Span) -> TypeExpr {
    TypeExpr { kind, span }
}

impl Parser<'_> {
    /// A type, possibly a union with an optional leading `|`
    /// (members may start on a new line with `|`).
    pub(super) fn type_expr(&mut self) -> TypeExpr {
        let start = self.span().start;
        if !self.enter() {
            return ty(TypeKind::Error, Span::new(start, start));
        }
        let leading = self.at_union_separator();
        if leading {
            self.skip_newlines();
            self.bump();
        }
        let first = self.singular_type();
        let result = if leading || self.at_union_separator() {
            let mut members = vec![first];
            while self.at_union_separator() {
                self.skip_newlines();
                self.bump();
                members.push(self.singular_type());
            }
            let end = members.last().map_or(start, |m| m.span.end);
            ty(TypeKind::Union(members), Span::new(start, end))
        } else {
            first
        };
        self.leave();
        result
    }

    fn at_union_separator(&self) -> bool {
        self.at(&TokenKind::Pipe)
            || (self.at(&TokenKind::Newline) && self.token(1).kind == TokenKind::Pipe)
    }

    /// Primary type followed by `[]`, `[n]`, `[*]`, `.x`, `.*`, `.x<...>` and `?`.
    fn singular_type(&mut self) -> TypeExpr {
        let mut current = self.primary_type();
        let mut chain = 0;
        loop {
            let is_postfix = matches!(
                self.kind(),
                TokenKind::LBracket | TokenKind::Dot | TokenKind::Question | TokenKind::Bang
            );
            if !is_postfix || !self.enter() {
                break;
            }
            chain += 1;
            let start = current.span.start;
            let base = Box::new(current);
            let kind = match self.kind() {
                TokenKind::Question => {
                    self.bump();
                    TypeKind::Nullable(base)
                }
                TokenKind::Bang => {
                    self.bump();
                    TypeKind::NonNull(base)
                }
                TokenKind::LBracket => {
                    self.bump();
                    if self.eat(&TokenKind::RBracket).is_some() {
                        TypeKind::Array(base)
                    } else if self.eat(&TokenKind::Star).is_some() {
                        self.expect(&TokenKind::RBracket, "']'");
                        TypeKind::Items(base)
                    } else {
                        let index = Box::new(self.expr());
                        self.expect(&TokenKind::RBracket, "']'");
                        TypeKind::Index { base, index }
                    }
                }
                _ => {
                    self.bump();
                    if self.eat(&TokenKind::Star).is_some() {
                        TypeKind::AdditionalProperties(base)
                    } else {
                        match self.ident("type property name") {
                            Some(name) if self.at(&TokenKind::Lt) => TypeKind::Parameterized {
                                receiver: Some(base),
                                name,
                                args: self.type_args(),
                            },
                            Some(name) => TypeKind::Property { base, name },
                            None => TypeKind::Property {
                                name: Ident {
                                    name: String::new(),
                                    span: Span::new(self.prev_end(), self.prev_end()),
                                },
                                base,
                            },
                        }
                    }
                }
            };
            current = ty(kind, Span::new(start, self.prev_end()));
        }
        self.depth -= chain;
        current
    }

    fn primary_type(&mut self) -> TypeExpr {
        let span = self.span();
        match self.kind() {
            TokenKind::Integer | TokenKind::String { .. } => self.literal_type(),
            TokenKind::Minus | TokenKind::Bang | TokenKind::Plus => self.literal_type(),
            TokenKind::Ident if matches!(self.text(span), "true" | "false" | "null") => {
                self.literal_type()
            }
            TokenKind::Ident => {
                let Some(name) = self.ident("type name") else {
                    return ty(TypeKind::Error, Span::new(span.start, span.start));
                };
                if self.at(&TokenKind::Lt) {
                    let args = self.type_args();
                    let kind = TypeKind::Parameterized {
                        receiver: None,
                        name,
                        args,
                    };
                    return ty(kind, Span::new(span.start, self.prev_end()));
                }
                ty(TypeKind::Named(name), span)
            }
            TokenKind::LBrace => {
                self.bump();
                let items = self.list(&TokenKind::RBrace, "'}'", |p| p.object_type_item());
                ty(
                    TypeKind::Object(items),
                    Span::new(span.start, self.prev_end()),
                )
            }
            TokenKind::LBracket => {
                self.bump();
                let items = self.list(&TokenKind::RBracket, "']'", |p| {
                    let decorators = p.decorators();
                    let ty = p.type_expr();
                    Some(TupleItem { decorators, ty })
                });
                ty(
                    TypeKind::Tuple(items),
                    Span::new(span.start, self.prev_end()),
                )
            }
            TokenKind::LParen => {
                self.bump();
                self.skip_newlines();
                let inner = self.type_expr();
                self.skip_newlines();
                self.expect(&TokenKind::RParen, "')'");
                ty(
                    TypeKind::Paren(Box::new(inner)),
                    Span::new(span.start, self.prev_end()),
                )
            }
            _ => {
                self.error_expected("type");
                ty(TypeKind::Error, Span::new(span.start, span.start))
            }
        }
    }

    /// Literal types reuse the expression parser (`'a'`, `1`, `-1`, `true`, `null`).
    fn literal_type(&mut self) -> TypeExpr {
        let expr: Expr = self.unary();
        let span = expr.span;
        if matches!(expr.kind, ExprKind::Error) {
            return ty(TypeKind::Error, span);
        }
        ty(TypeKind::Literal(Box::new(expr)), span)
    }

    /// `<T, ...>`; the current token is `<`.
    fn type_args(&mut self) -> Vec<TypeExpr> {
        self.bump();
        let mut args = Vec::new();
        loop {
            self.skip_newlines();
            args.push(self.type_expr());
            self.skip_newlines();
            if self.eat(&TokenKind::Comma).is_none() {
                break;
            }
        }
        self.expect(&TokenKind::Gt, "'>'");
        args
    }

    /// `@dec* (name | 'name' | *) : type`
    fn object_type_item(&mut self) -> Option<ObjectTypeItem> {
        let start = self.span().start;
        let decorators = self.decorators();
        let key = match self.eat(&TokenKind::Star) {
            Some(_) => None,
            None => Some(self.object_key()?),
        };
        self.expect(&TokenKind::Colon, "':'")?;
        let ty = self.type_expr();
        Some(ObjectTypeItem {
            span: Span::new(start, ty.span.end),
            decorators,
            key,
            ty,
        })
    }
}
