//! The ARM template expression language: `"[concat(parameters('x'), '-sa')]"`.
//!
//! [`classify`] tells a template string that holds an expression from a literal one,
//! [`parse`] turns expression text into an [`Expr`], and [`evaluate`] computes its [`Value`]
//! against a [`Context`] the template reader supplies. What cannot be known before deployment
//! (`reference()`, `utcNow()`, `listKeys()`) evaluates to `Value::Unknown`, which propagates.

mod ast;
mod eval;
mod exercise;
mod funcs;
mod lambda;
mod lex;
mod parse;

use crate::eval::value::Value;

pub use ast::{Expr, ExprError};
pub use eval::{azure_cloud, evaluate, try_evaluate, Context, EvalError};
pub use exercise::exercise;
pub use funcs::hash::{guid, unique_string};
pub use parse::{parse, MAX_DEPTH};

/// Calls the built-in function `name` (any casing) on evaluated arguments, as the template
/// language would; functions that take lambdas are special forms and are not callable here.
/// Bicep lowering uses this so both formats share one function library.
pub fn call_function(name: &str, args: Vec<Value>, ctx: &dyn Context) -> Result<Value, EvalError> {
    funcs::call(&name.to_ascii_lowercase(), args, ctx)
}

/// What a JSON string in a template is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateString<'a> {
    /// Plain text (with a leading `[[` already unescaped to `[`).
    Literal(std::borrow::Cow<'a, str>),
    /// An expression; the text between the outer brackets.
    Expression(&'a str),
}

/// Classifies a template string: it is an expression iff it starts with `[`, ends with `]`
/// and does not start with `[[` (which escapes a literal leading `[`).
pub fn classify(s: &str) -> TemplateString<'_> {
    let bracketed = s.len() >= 2 && s.starts_with('[') && s.ends_with(']');
    if !bracketed {
        TemplateString::Literal(s.into())
    } else if s.starts_with("[[") {
        TemplateString::Literal(s[1..].into())
    } else {
        TemplateString::Expression(&s[1..s.len() - 1])
    }
}

/// Evaluates a template string: literals come back as strings, expressions are parsed and
/// evaluated (evaluation errors give `Unknown`, as [`evaluate`] does). A syntax error is
/// returned with its byte offset in `s` (not in the text between the brackets).
pub fn eval_template_string(s: &str, ctx: &dyn Context) -> Result<Value, ExprError> {
    match classify(s) {
        TemplateString::Literal(text) => Ok(Value::String(text.into_owned())),
        TemplateString::Expression(text) => {
            let expr = parse(text).map_err(|e| ExprError {
                offset: e.offset + 1,
                ..e
            })?;
            Ok(evaluate(&expr, ctx))
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod stress;
