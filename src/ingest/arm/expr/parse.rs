//! Parses the inside of a template expression (`concat(parameters('x'), '-sa')`) into an [`Expr`].

use super::ast::{Expr, ExprError};
use super::lex::{tokenize, Tok, Token};

/// How deeply calls, indexes and property accesses may nest before a parse is refused.
pub const MAX_DEPTH: usize = 100;

/// Parses expression text (without the surrounding `[` `]`).
///
/// Errors carry the byte offset in `text`; nesting beyond [`MAX_DEPTH`] is an error, not a crash.
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, pos: 0 };
    let expr = parser.expr(0)?;
    let end = parser.peek();
    if end.tok != Tok::End {
        return Err(ExprError::new(
            "unexpected text after expression",
            end.offset,
        ));
    }
    if tree_depth(&expr) > MAX_DEPTH {
        return Err(ExprError::new("expression nested too deeply", 0));
    }
    Ok(expr)
}

/// The depth of the tree, counted without recursion (accesses wrap already-parsed calls,
/// so the parser's own nesting bound does not bound the tree's depth).
fn tree_depth(expr: &Expr) -> usize {
    let mut max = 0;
    let mut stack = vec![(expr, 1)];
    while let Some((node, depth)) = stack.pop() {
        max = max.max(depth);
        match node {
            Expr::Call { args, .. } => stack.extend(args.iter().map(|a| (a, depth + 1))),
            Expr::Property { target, .. } => stack.push((target, depth + 1)),
            Expr::Index { target, index, .. } => {
                stack.push((target, depth + 1));
                stack.push((index, depth + 1));
            }
            _ => {}
        }
    }
    max
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        // `tokenize` always ends with `End`, and `bump` never moves past it.
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if token.tok != Tok::End {
            self.pos += 1;
        }
        token
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<(), ExprError> {
        let token = self.bump();
        if token.tok == tok {
            Ok(())
        } else {
            Err(ExprError::new(format!("expected {what}"), token.offset))
        }
    }

    /// A primary expression followed by any number of `.prop` / `[index]` accesses.
    fn expr(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let start = self.peek().offset;
        if depth > MAX_DEPTH {
            return Err(ExprError::new("expression nested too deeply", start));
        }
        let mut expr = self.primary(depth)?;
        let mut accesses = 0;
        loop {
            let token = self.peek().clone();
            let safe = matches!(
                token.tok,
                Tok::DotQuestion | Tok::QuestionDot | Tok::QuestionBracket
            );
            match token.tok {
                Tok::Dot | Tok::DotQuestion | Tok::QuestionDot => {
                    self.bump();
                    let name = self.bump();
                    let Tok::Ident(name) = name.tok else {
                        return Err(ExprError::new("expected a property name", name.offset));
                    };
                    expr = Expr::Property {
                        target: Box::new(expr),
                        name,
                        safe,
                    };
                }
                Tok::LBracket | Tok::QuestionBracket => {
                    self.bump();
                    let index = self.expr(depth + 1)?;
                    self.expect(Tok::RBracket, "']'")?;
                    expr = Expr::Index {
                        target: Box::new(expr),
                        index: Box::new(index),
                        safe,
                    };
                }
                _ => return Ok(expr),
            }
            accesses += 1;
            if depth + accesses > MAX_DEPTH {
                return Err(ExprError::new("expression nested too deeply", token.offset));
            }
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let token = self.bump();
        match token.tok {
            Tok::Str(s) => Ok(Expr::String(s)),
            Tok::Number(n) => Ok(Expr::Number(n)),
            Tok::Ident(name) => self.call_or_keyword(name, token.offset, depth),
            _ => Err(ExprError::new("expected an expression", token.offset)),
        }
    }

    /// `name(args)`, `namespace.name(args)`, or a bare `true` / `false` / `null`.
    fn call_or_keyword(
        &mut self,
        first: String,
        offset: usize,
        depth: usize,
    ) -> Result<Expr, ExprError> {
        let (namespace, name) = if self.peek().tok == Tok::LParen {
            (None, first)
        } else if self.peek().tok == Tok::Dot
            && matches!(
                self.tokens.get(self.pos + 1).map(|t| &t.tok),
                Some(Tok::Ident(_))
            )
            && self.tokens.get(self.pos + 2).map(|t| &t.tok) == Some(&Tok::LParen)
        {
            self.bump();
            let Tok::Ident(name) = self.bump().tok else {
                unreachable!("checked above")
            };
            (Some(first), name)
        } else {
            return match first.to_ascii_lowercase().as_str() {
                "true" => Ok(Expr::Bool(true)),
                "false" => Ok(Expr::Bool(false)),
                "null" => Ok(Expr::Null),
                _ => Err(ExprError::new(
                    format!("expected '(' after function name '{first}'"),
                    offset,
                )),
            };
        };
        self.expect(Tok::LParen, "'('")?;
        let mut args = Vec::new();
        if self.peek().tok == Tok::RParen {
            self.bump();
        } else {
            loop {
                args.push(self.expr(depth + 1)?);
                let token = self.bump();
                match token.tok {
                    Tok::Comma => continue,
                    Tok::RParen => break,
                    _ => return Err(ExprError::new("expected ',' or ')'", token.offset)),
                }
            }
        }
        Ok(Expr::Call {
            namespace,
            name,
            args,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call {
            namespace: None,
            name: name.into(),
            args,
        }
    }

    #[test]
    fn parses_nested_calls_and_literals() {
        let e = parse("concat(parameters('x'), '-sa', 42, -1)").unwrap();
        assert_eq!(
            e,
            call(
                "concat",
                vec![
                    call("parameters", vec![Expr::String("x".into())]),
                    Expr::String("-sa".into()),
                    Expr::Number(42.0),
                    Expr::Number(-1.0),
                ]
            )
        );
    }

    #[test]
    fn unescapes_doubled_quotes() {
        assert_eq!(parse("'it''s'").unwrap(), Expr::String("it's".into()));
        assert_eq!(parse("''''").unwrap(), Expr::String("'".into()));
        assert_eq!(parse("'é''ü'").unwrap(), Expr::String("é'ü".into()));
    }

    #[test]
    fn access_binds_to_the_call_left_to_right() {
        let e = parse("reference('r').outputs['k'].value").unwrap();
        let reference = call("reference", vec![Expr::String("r".into())]);
        let outputs = Expr::Property {
            target: Box::new(reference),
            name: "outputs".into(),
            safe: false,
        };
        let indexed = Expr::Index {
            target: Box::new(outputs),
            index: Box::new(Expr::String("k".into())),
            safe: false,
        };
        assert_eq!(
            e,
            Expr::Property {
                target: Box::new(indexed),
                name: "value".into(),
                safe: false,
            }
        );
    }

    #[test]
    fn access_inside_arguments_binds_to_the_argument() {
        let e = parse("length(parameters('a')[0])").unwrap();
        let Expr::Call { args, .. } = e else {
            panic!("not a call")
        };
        assert!(matches!(args[0], Expr::Index { .. }));
    }

    #[test]
    fn parses_safe_access_and_namespaces_and_keywords() {
        let e = parse("parameters('a').?b?.c?[0]").unwrap();
        let Expr::Index { safe, target, .. } = e else {
            panic!()
        };
        assert!(safe);
        assert!(matches!(*target, Expr::Property { safe: true, .. }));
        let e = parse("myNs.doIt( 1 )").unwrap();
        assert_eq!(
            e,
            Expr::Call {
                namespace: Some("myNs".into()),
                name: "doIt".into(),
                args: vec![Expr::Number(1.0)],
            }
        );
        assert_eq!(parse("TRUE").unwrap(), Expr::Bool(true));
        assert_eq!(parse("null").unwrap(), Expr::Null);
        assert_eq!(parse("true()").unwrap(), call("true", vec![]));
    }

    #[test]
    fn errors_carry_offsets() {
        let err = parse("concat('a' 'b')").unwrap_err();
        assert_eq!(err.offset, 11);
        let err = parse("concat('abc").unwrap_err();
        assert_eq!(
            (err.message.as_str(), err.offset),
            ("unterminated string literal", 7)
        );
        assert_eq!(parse("foo").unwrap_err().offset, 0);
        assert_eq!(parse("a(1) x").unwrap_err().offset, 5);
        assert_eq!(parse("a(1,)").unwrap_err().offset, 4);
        assert_eq!(parse("").unwrap_err().offset, 0);
        assert_eq!(parse("a(#)").unwrap_err().offset, 2);
        assert_eq!(parse("a().").unwrap_err().offset, 4);
        assert_eq!(parse("a(99999999999999999999)").unwrap_err().offset, 2);
    }

    #[test]
    fn deep_nesting_is_rejected_not_crashed() {
        let deep = "a(".repeat(100_000);
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nested too deeply"));
        let deep = format!("a(){}", "[0]".repeat(10_000));
        assert!(parse(&deep).unwrap_err().message.contains("too deeply"));
        let deep = format!("a(){}", ".b".repeat(10_000));
        assert!(parse(&deep).is_err());
        let ok = format!("{}1{}", "a(".repeat(50), ")".repeat(50));
        assert!(parse(&ok).is_ok());
        // Each level is shallow, but accesses wrapping calls add up.
        let mut deep = "1".to_owned();
        for _ in 0..30 {
            deep = format!("f({deep}){}", "[0]".repeat(20));
        }
        assert!(parse(&deep).is_err());
    }
}
