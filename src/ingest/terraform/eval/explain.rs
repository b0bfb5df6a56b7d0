//! Why an expression is unknown: the first reference in it whose value is unknown, as the
//! scope explains it (`var.x has no value`, `data.… is read at apply time`).

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::template::{Directive, Element, Template};

use super::{evaluate, Scope};
use crate::ingest::terraform::references::static_attrs;

/// How deeply expressions are searched for the unknown reference.
const MAX_DEPTH: usize = 64;

/// The reason an expression evaluates to (or contains) an unknown value, if a reference
/// in it explains it.
pub fn explain_unknown(expr: &Expression, scope: &dyn Scope) -> Option<String> {
    find(expr, scope, 0)
}

fn find(expr: &Expression, scope: &dyn Scope, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    let next = |e: &Expression| find(e, scope, depth + 1);
    match expr {
        Expression::Variable(v) => reference(expr, v.as_str(), &[], scope),
        Expression::Traversal(t) => {
            if let Expression::Variable(root) = &t.expr {
                let attrs = static_attrs(t);
                if let Some(reason) = reference(expr, root.as_str(), &attrs, scope) {
                    return Some(reason);
                }
            }
            next(&t.expr).or_else(|| {
                t.operators.iter().find_map(|op| match op.value() {
                    TraversalOperator::Index(e) => next(e),
                    _ => None,
                })
            })
        }
        Expression::Array(items) => items.iter().find_map(next),
        Expression::Object(object) => object.iter().find_map(|(_, v)| next(v.expr())),
        Expression::Parenthesis(p) => next(p.inner()),
        Expression::Conditional(c) => next(&c.cond_expr)
            .or_else(|| next(&c.true_expr))
            .or_else(|| next(&c.false_expr)),
        Expression::FuncCall(call) => call.args.iter().find_map(next),
        Expression::UnaryOp(op) => next(&op.expr),
        Expression::BinaryOp(op) => next(&op.lhs_expr).or_else(|| next(&op.rhs_expr)),
        Expression::ForExpr(f) => next(&f.intro.collection_expr),
        Expression::StringTemplate(t) => template(t, scope, depth),
        Expression::HeredocTemplate(h) => template(&h.template, scope, depth),
        _ => None,
    }
}

fn template(t: &Template, scope: &dyn Scope, depth: usize) -> Option<String> {
    t.iter().find_map(|element| match element {
        Element::Interpolation(i) => find(&i.expr, scope, depth + 1),
        Element::Directive(d) => match &**d {
            Directive::If(i) => find(&i.if_expr.cond_expr, scope, depth + 1),
            Directive::For(f) => find(&f.for_expr.collection_expr, scope, depth + 1),
        },
        Element::Literal(_) => None,
    })
}

/// A reference explains an unknown when its value holds one and the scope knows why.
fn reference(expr: &Expression, root: &str, attrs: &[&str], scope: &dyn Scope) -> Option<String> {
    if !evaluate(expr, scope).contains_unknown() {
        return None;
    }
    scope.explain(root, attrs)
}
