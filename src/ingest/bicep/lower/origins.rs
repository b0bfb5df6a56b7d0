//! Provenance in Bicep: where the parameters a value reads (directly or through
//! variables) were set — a `.bicepparam` line, a module's `params:` argument (and, if that
//! argument reads parameters of the caller, where those were set), or the default.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::super::ast::{Expr, ParamDecl};
use super::deployment::{Deployment, Symbol};
use super::references;
use crate::eval::value::Value;
use crate::model::provenance::extend_unique;
use crate::model::{Provenance, ProvenanceKind};

/// The origins of one deployment's parameters and variables.
#[derive(Default)]
pub struct Origins {
    /// Where given parameters were set, nearest first.
    pub given: HashMap<String, Vec<Provenance>>,
    /// Parameters and variables worked out so far.
    cache: RefCell<HashMap<String, Vec<Provenance>>>,
}

impl Origins {
    /// Origins of the parameters given from outside.
    pub fn new(given: HashMap<String, Vec<Provenance>>) -> Origins {
        Origins {
            given,
            cache: RefCell::new(HashMap::new()),
        }
    }
}

/// Where the parameters `expr` reads were set, nearest first; `locals` (loop and lambda
/// variables) shadow symbols.
pub fn of_expr(dep: &Deployment<'_>, expr: &Expr, locals: &[(String, Value)]) -> Vec<Provenance> {
    let mut out = Vec::new();
    for name in references::names(expr) {
        if !locals.iter().any(|(n, _)| n == name) {
            extend_unique(&mut out, &of_symbol(dep, name));
        }
    }
    out
}

/// Where a parameter, or the parameters a variable reads, were set: each symbol worked out
/// once, deepest first with a work list (a chain of variables never recurses; a cycle adds
/// nothing).
fn of_symbol(dep: &Deployment<'_>, name: &str) -> Vec<Provenance> {
    let cache = &dep.origins.cache;
    if let Some(done) = cache.borrow().get(name) {
        return done.clone();
    }
    let mut queued = HashSet::from([name.to_owned()]);
    let mut stack = vec![(name.to_owned(), false)];
    while let Some((symbol, expanded)) = stack.pop() {
        let chain = match dep.symbol(&symbol) {
            Some(Symbol::Param(p)) => parameter(dep, p),
            Some(Symbol::Var(expr)) if !expanded => {
                let reads = references::names(expr);
                stack.push((symbol, true));
                for read in reads {
                    if !cache.borrow().contains_key(read) && queued.insert(read.to_owned()) {
                        stack.push((read.to_owned(), false));
                    }
                }
                continue;
            }
            Some(Symbol::Var(expr)) => {
                let mut chain = Vec::new();
                let done = cache.borrow();
                for read in references::names(expr) {
                    extend_unique(&mut chain, done.get(read).map_or(&[], Vec::as_slice));
                }
                chain
            }
            _ => Vec::new(),
        };
        cache.borrow_mut().insert(symbol, chain);
    }
    cache.borrow().get(name).cloned().unwrap_or_default()
}

/// Where a parameter was set: given from outside, else its default.
fn parameter(dep: &Deployment<'_>, p: &ParamDecl) -> Vec<Provenance> {
    let name = &p.name.name;
    if dep.is_given(name) {
        return dep.origins.given.get(name).cloned().unwrap_or_default();
    }
    p.default.as_ref().map_or_else(Vec::new, |default| {
        vec![Provenance::at(
            ProvenanceKind::Default,
            format!("{}{name}", dep.address),
            dep.span(default.span),
        )]
    })
}
