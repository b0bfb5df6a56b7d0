//! Bicep: a native lexer and parser, and the lowering of a deployment to canonical resources.

pub mod ast;
pub mod lexer;
pub mod parser;
