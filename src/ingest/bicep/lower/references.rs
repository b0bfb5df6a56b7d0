//! The names an expression refers to, found without evaluating it (with a work list, so
//! no recursion), so that chains of variables can be evaluated deepest first.

use super::super::ast::{ArrayItem, Expr, ExprKind, ForBody, ObjectExpr, ObjectItem, StringPart};

/// Every name an expression refers to (symbols, and loop or lambda variables alike), in
/// no particular order, with repeats.
pub fn names(expr: &Expr) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        match &expr.kind {
            ExprKind::Variable(id) => out.push(id.name.as_str()),
            ExprKind::String(s) => stack.extend(s.parts.iter().filter_map(|p| match p {
                StringPart::Interpolation(e) => Some(e),
                StringPart::Literal(_) => None,
            })),
            ExprKind::Array(items) => stack.extend(items.iter().map(|i| match i {
                ArrayItem::Value(e) | ArrayItem::Spread(e, _) => e,
            })),
            ExprKind::Object(o) => object(o, &mut stack),
            ExprKind::Property { base, .. }
            | ExprKind::ResourceAccess { base, .. }
            | ExprKind::NonNull(base)
            | ExprKind::Paren(base)
            | ExprKind::Unary { operand: base, .. }
            | ExprKind::Lambda { body: base, .. } => stack.push(base),
            ExprKind::Index { base, index, .. } => stack.extend([&**base, &**index]),
            ExprKind::Call { receiver, args, .. } => {
                stack.extend(receiver.as_deref());
                stack.extend(args);
            }
            ExprKind::Binary { lhs, rhs, .. } => stack.extend([&**lhs, &**rhs]),
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => stack.extend([&**cond, &**then, &**otherwise]),
            ExprKind::For(f) => {
                stack.push(&f.iterable);
                match &f.body {
                    ForBody::Expr(e) => stack.push(e),
                    ForBody::If(i) => {
                        stack.push(&i.condition);
                        object(&i.body, &mut stack);
                    }
                }
            }
            ExprKind::Bool(_) | ExprKind::Null | ExprKind::Int(_) | ExprKind::Error => {}
        }
    }
    out
}

/// The values of an object's properties and spreads (not its nested resources).
fn object<'e>(o: &'e ObjectExpr, stack: &mut Vec<&'e Expr>) {
    for item in &o.items {
        match item {
            ObjectItem::Property(p) => stack.push(&p.value),
            ObjectItem::Spread(e, _) => stack.push(e),
            ObjectItem::Resource(_) => {}
        }
    }
}
