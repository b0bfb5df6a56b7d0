//! The syntax tree of an ARM template expression, and the error a parse gives.

use std::fmt;

/// One node of a parsed template expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A string literal (`'text'`, with `''` unescaped).
    String(String),
    /// A number literal (`42`, `-1`).
    Number(f64),
    /// A bare `true` / `false`.
    Bool(bool),
    /// A bare `null`.
    Null,
    /// A function call: `name(args)` or, for user-defined functions, `namespace.name(args)`.
    Call {
        /// The namespace of a user-defined function, if any.
        namespace: Option<String>,
        /// The function name, as written (lookups are case-insensitive).
        name: String,
        /// The arguments, unevaluated.
        args: Vec<Expr>,
    },
    /// Property access: `target.name`, or `target.?name` / `target?.name` when `safe`.
    Property {
        /// The value whose property is read.
        target: Box<Expr>,
        /// The property name.
        name: String,
        /// Whether a missing property gives `null` instead of an error.
        safe: bool,
    },
    /// Index access: `target[index]`, or `target?[index]` when `safe`.
    Index {
        /// The value indexed.
        target: Box<Expr>,
        /// The index: a number for arrays, a string for objects.
        index: Box<Expr>,
        /// Whether a missing element gives `null` instead of an error.
        safe: bool,
    },
}

/// A syntax error in an expression, at a byte offset into the parsed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// What is wrong.
    pub message: String,
    /// The byte offset in the text given to [`parse`](super::parse) where it went wrong.
    pub offset: usize,
}

impl ExprError {
    pub(super) fn new(message: impl Into<String>, offset: usize) -> Self {
        ExprError {
            message: message.into(),
            offset,
        }
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.offset)
    }
}

impl std::error::Error for ExprError {}
