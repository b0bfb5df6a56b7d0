//! Declarations: the statements of `.bicep` and `.bicepparam` files.

use super::super::ast::{
    DeclBody, Decorator, Expr, ExprKind, ExtensionDecl, FuncDecl, FuncParam, Ident, ImportDecl,
    ImportTarget, ImportedSymbol, ModuleDecl, ObjectExpr, ObjectKey, ParamDecl, ResourceDecl, Span,
    Statement, StatementKind, StringExpr, TypeExpr, TypeKind,
};
use super::super::lexer::TokenKind;
use super::{Parser, TOP_LEVEL};

impl Parser<'_> {
    /// `statement*`: every line is attempted; failures are skipped to the next line.
    pub(super) fn program(&mut self) -> Vec<Statement> {
        let mut statements = Vec::new();
        loop {
            self.skip_newlines();
            if self.at_eof() {
                return statements;
            }
            let before = self.pos;
            let mark = self.diagnostics.len();
            statements.push(self.statement());
            if !self.at(&TokenKind::Newline) && !self.at_eof() {
                self.recover_after(mark, "newline", TOP_LEVEL);
            }
            if self.pos == before {
                self.bump();
            }
        }
    }

    /// One declaration with its decorators (also used for nested resources).
    pub(super) fn statement(&mut self) -> Statement {
        let start = self.span().start;
        let decorators = self.decorators();
        let kind = self.declaration().unwrap_or(StatementKind::Error);
        Statement {
            decorators,
            kind,
            span: Span::new(start, self.prev_end().max(start)),
        }
    }

    /// `(@expr NL)*`
    pub(super) fn decorators(&mut self) -> Vec<Decorator> {
        let mut decorators = Vec::new();
        while let Some(at) = self.eat(&TokenKind::At) {
            let expr = self.postfix();
            decorators.push(Decorator {
                span: at.to(expr.span),
                expr,
            });
            self.skip_newlines();
        }
        decorators
    }

    fn declaration(&mut self) -> Option<StatementKind> {
        let word = match self.kind() {
            TokenKind::Ident => self.text(self.span()).to_string(),
            _ => String::new(),
        };
        let keyword = Ident {
            name: word,
            span: self.span(),
        };
        match keyword.name.as_str() {
            "targetScope" => {
                self.bump();
                self.expect(&TokenKind::Assign, "'='")?;
                Some(StatementKind::TargetScope(self.expr()))
            }
            "metadata" => {
                self.bump();
                let name = self.ident("metadata name")?;
                self.expect(&TokenKind::Assign, "'='")?;
                let value = self.expr();
                Some(StatementKind::Metadata { name, value })
            }
            "param" => self.param(),
            "var" => {
                self.bump();
                let name = self.ident("variable name")?;
                let ty = (!self.at(&TokenKind::Assign)).then(|| self.type_expr());
                self.expect(&TokenKind::Assign, "'='")?;
                let value = self.expr();
                Some(StatementKind::Var { name, ty, value })
            }
            "resource" => self.resource(),
            "module" => {
                self.bump();
                let name = self.ident("module name")?;
                let path = self.required_string("module path")?;
                self.expect(&TokenKind::Assign, "'='")?;
                let body = self.decl_body();
                Some(StatementKind::Module(ModuleDecl { name, path, body }))
            }
            "output" => {
                self.bump();
                let name = self.ident("output name")?;
                let ty = self.decl_type();
                self.expect(&TokenKind::Assign, "'='")?;
                let value = self.expr();
                Some(StatementKind::Output { name, ty, value })
            }
            "type" => {
                self.bump();
                let name = self.ident("type name")?;
                self.expect(&TokenKind::Assign, "'='")?;
                let ty = self.type_expr();
                Some(StatementKind::Type { name, ty })
            }
            "func" => self.func(),
            "import" => self.import(keyword),
            "extension" | "provider" => {
                self.bump();
                self.extension(keyword)
            }
            "using" => {
                self.bump();
                let path = match self.eat_word("none") {
                    Some(_) => None,
                    None => Some(self.required_string("file path or 'none'")?),
                };
                let config = self.with_clause();
                Some(StatementKind::Using { path, config })
            }
            "extends" => {
                self.bump();
                let path = self.required_string("file path")?;
                Some(StatementKind::Extends { path })
            }
            "extensionConfig" => {
                self.bump();
                let name = self.ident("extension alias")?;
                let config = self.with_clause();
                Some(StatementKind::ExtensionConfig { name, config })
            }
            "test" => {
                self.bump();
                let name = self.ident("test name")?;
                let path = self.required_string("test file path")?;
                self.expect(&TokenKind::Assign, "'='")?;
                let body = self.required_object()?;
                Some(StatementKind::Test { name, path, body })
            }
            "assert" => {
                self.bump();
                let name = self.ident("assertion name")?;
                self.expect(&TokenKind::Assign, "'='")?;
                let value = self.expr();
                Some(StatementKind::Assert { name, value })
            }
            _ => {
                self.error_expected("declaration keyword");
                None
            }
        }
    }

    fn param(&mut self) -> Option<StatementKind> {
        self.bump();
        let name = self.ident("parameter name")?;
        let ty = (!self.at(&TokenKind::Assign)).then(|| self.decl_type());
        let default = self.eat(&TokenKind::Assign).map(|_| self.expr());
        Some(StatementKind::Param(ParamDecl { name, ty, default }))
    }

    fn resource(&mut self) -> Option<StatementKind> {
        self.bump();
        let name = self.ident("resource name")?;
        let type_string = self.required_string("resource type string")?;
        let existing = self.eat_word("existing").is_some();
        self.expect(&TokenKind::Assign, "'='")?;
        let body = self.decl_body();
        Some(StatementKind::Resource(ResourceDecl {
            name,
            type_string,
            existing,
            body,
        }))
    }

    /// Parameter/output type, including the legacy `resource 'Type@api'` form.
    fn decl_type(&mut self) -> TypeExpr {
        if self.at_word("resource") && matches!(self.token(1).kind, TokenKind::String { .. }) {
            let start = self.bump();
            let s = self.string_expr();
            return TypeExpr {
                span: start.to(s.span),
                kind: TypeKind::Resource(s),
            };
        }
        self.type_expr()
    }

    /// `{...}` | `if (c) {...}` | `[for ...]` after a resource/module `=`.
    /// A declaration's body; nested child resources count against the nesting limit.
    fn decl_body(&mut self) -> DeclBody {
        if !self.enter() {
            let span = self.span();
            return DeclBody::Error(Span::new(span.start, span.start));
        }
        let body = self.decl_body_inner();
        self.leave();
        body
    }

    fn decl_body_inner(&mut self) -> DeclBody {
        if matches!(
            self.kind_past_newlines(),
            TokenKind::LBrace | TokenKind::LBracket
        ) || self.at(&TokenKind::Newline) && self.at_word_n(1, "if")
        {
            self.skip_newlines();
        }
        match self.kind() {
            TokenKind::LBrace => DeclBody::Object(self.object()),
            TokenKind::LBracket => DeclBody::For(Box::new(self.for_expr())),
            TokenKind::Ident if self.at_word("if") => DeclBody::If(self.if_body()),
            _ => {
                let span = self.span();
                self.error_expected("'{', 'if' or '[for'");
                DeclBody::Error(Span::new(span.start, span.start))
            }
        }
    }

    fn func(&mut self) -> Option<StatementKind> {
        self.bump();
        let name = self.ident("function name")?;
        if !self.at(&TokenKind::LParen) {
            self.error_expected("'('");
            return None;
        }
        let params = self.paren_list(|p| {
            let name = p.ident("parameter name")?;
            let ty = p.type_expr();
            Some(FuncParam { name, ty })
        });
        let return_type = self.type_expr();
        self.expect(&TokenKind::Arrow, "'=>'")?;
        self.skip_newlines();
        let body = self.expr();
        Some(StatementKind::Func(FuncDecl {
            name,
            params: params.into_iter().flatten().collect(),
            return_type,
            body,
        }))
    }

    fn import(&mut self, keyword: Ident) -> Option<StatementKind> {
        self.bump();
        let target = match self.kind() {
            TokenKind::LBrace => {
                self.bump();
                let symbols = self.list(&TokenKind::RBrace, "'}'", |p| {
                    let name = match p.kind() {
                        TokenKind::Ident => ObjectKey::Ident(p.ident("symbol name")?),
                        TokenKind::String { .. } => ObjectKey::String(p.string_expr()),
                        _ => {
                            p.error_expected("symbol name");
                            return None;
                        }
                    };
                    let alias = match p.eat_word("as") {
                        Some(_) => Some(p.ident("alias")?),
                        None => None,
                    };
                    Some(ImportedSymbol { name, alias })
                });
                ImportTarget::Symbols(symbols)
            }
            TokenKind::Star => {
                self.bump();
                if self.eat_word("as").is_none() {
                    self.error_expected("'as'");
                    return None;
                }
                ImportTarget::Wildcard {
                    alias: self.ident("namespace alias")?,
                }
            }
            // Legacy provider import: `import 'az@1.0.0' [with {...}] [as alias]`.
            _ => return self.extension(keyword),
        };
        let from = match self.eat_word("from") {
            Some(_) => Some(self.required_string("import path")?),
            None => {
                self.error_expected("'from'");
                None
            }
        };
        Some(StatementKind::Import(ImportDecl { target, from }))
    }

    /// The part after `extension`/`provider`/legacy `import`.
    fn extension(&mut self, keyword: Ident) -> Option<StatementKind> {
        let spec = match self.kind() {
            TokenKind::String { .. } => {
                let s = self.string_expr();
                Expr {
                    span: s.span,
                    kind: ExprKind::String(s),
                }
            }
            TokenKind::Ident => {
                let id = self.ident("extension name")?;
                Expr {
                    span: id.span,
                    kind: ExprKind::Variable(id),
                }
            }
            _ => {
                self.error_expected("extension specification");
                return None;
            }
        };
        let config = self.with_clause();
        let alias = match self.eat_word("as") {
            Some(_) => Some(self.ident("alias")?),
            None => None,
        };
        Some(StatementKind::Extension(ExtensionDecl {
            keyword,
            spec,
            config,
            alias,
        }))
    }

    /// Optional `with { ... }`.
    fn with_clause(&mut self) -> Option<ObjectExpr> {
        self.eat_word("with")?;
        self.required_object()
    }

    fn required_object(&mut self) -> Option<ObjectExpr> {
        if self.at(&TokenKind::LBrace) {
            Some(self.object())
        } else {
            self.error_expected("'{'");
            None
        }
    }

    pub(super) fn required_string(&mut self, what: &str) -> Option<StringExpr> {
        if self.at_string() {
            Some(self.string_expr())
        } else {
            self.error_expected(what);
            None
        }
    }

    /// An identifier (any word, keywords included).
    pub(super) fn ident(&mut self, what: &str) -> Option<Ident> {
        if !self.at(&TokenKind::Ident) {
            self.error_expected(what);
            return None;
        }
        let span = self.bump();
        Some(Ident {
            name: self.text(span).to_string(),
            span,
        })
    }
}
