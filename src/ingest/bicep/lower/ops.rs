//! Bicep operators, with the semantics of the ARM functions the compiler turns them into
//! (`==` → `equals`, `<` → `less`, `+` → `add`, …). `&&`, `||` and `??` short-circuit; an
//! unknown operand gives `Unknown` unless the other operand decides.

use super::super::ast::{BinaryOp, Expr, UnaryOp};
use super::deployment::Deployment;
use super::eval::Eval;
use crate::eval::value::Value;
use crate::ingest::arm::expr::call_function;

/// `!x`, `-x`, `+x`.
pub fn unary(op: UnaryOp, v: Value, dep: &Deployment<'_>) -> Value {
    match (op, v) {
        (UnaryOp::Not, Value::Bool(b)) => Value::Bool(!b),
        (UnaryOp::Neg, Value::Number(n)) => Value::Number(-n),
        (UnaryOp::Plus, v @ Value::Number(_)) => v,
        (UnaryOp::Not, v) => call_function("not", vec![v], dep).unwrap_or(Value::Unknown),
        _ => Value::Unknown,
    }
}

/// `lhs op rhs`.
pub fn binary(ev: &mut Eval<'_, '_>, op: BinaryOp, lhs: &Expr, rhs: &Expr) -> Value {
    let left = ev.eval(lhs);
    match op {
        BinaryOp::Coalesce => {
            return match left {
                Value::Null => ev.eval(rhs),
                other => other,
            }
        }
        BinaryOp::And | BinaryOp::Or => return logical(ev, op, left, rhs),
        _ => {}
    }
    let right = ev.eval(rhs);
    let call =
        |name: &str, args: Vec<Value>| call_function(name, args, ev.dep).unwrap_or(Value::Unknown);
    match op {
        BinaryOp::Eq => call("equals", vec![left, right]),
        BinaryOp::NotEq => negate(call("equals", vec![left, right])),
        BinaryOp::EqI => insensitive_eq(left, right),
        BinaryOp::NotEqI => negate(insensitive_eq(left, right)),
        BinaryOp::Lt => call("less", vec![left, right]),
        BinaryOp::LtEq => call("lessOrEquals", vec![left, right]),
        BinaryOp::Gt => call("greater", vec![left, right]),
        BinaryOp::GtEq => call("greaterOrEquals", vec![left, right]),
        BinaryOp::Add => call("add", vec![left, right]),
        BinaryOp::Sub => call("sub", vec![left, right]),
        BinaryOp::Mul => call("mul", vec![left, right]),
        BinaryOp::Div => call("div", vec![left, right]),
        BinaryOp::Mod => call("mod", vec![left, right]),
        BinaryOp::Coalesce | BinaryOp::And | BinaryOp::Or => Value::Unknown,
    }
}

fn logical(ev: &mut Eval<'_, '_>, op: BinaryOp, left: Value, rhs: &Expr) -> Value {
    let decides = op == BinaryOp::Or;
    match left.as_bool() {
        Some(b) if b == decides => Value::Bool(b),
        Some(_) => match ev.eval(rhs).as_bool() {
            Some(r) => Value::Bool(r),
            None => Value::Unknown,
        },
        None => match ev.eval(rhs).as_bool() {
            Some(r) if r == decides => Value::Bool(r),
            _ => Value::Unknown,
        },
    }
}

fn negate(v: Value) -> Value {
    match v {
        Value::Bool(b) => Value::Bool(!b),
        _ => Value::Unknown,
    }
}

/// `=~`: strings compare case-insensitively.
fn insensitive_eq(left: Value, right: Value) -> Value {
    match (&left, &right) {
        (Value::String(a), Value::String(b)) => {
            crate::eval::symbolic::text_equals(&a.to_lowercase(), &b.to_lowercase())
                .map_or(Value::Unknown, Value::Bool)
        }
        _ if left.contains_symbolic() || right.contains_symbolic() => Value::Unknown,
        _ if left.contains_unknown() || right.contains_unknown() => Value::Unknown,
        _ => Value::Bool(left == right),
    }
}
