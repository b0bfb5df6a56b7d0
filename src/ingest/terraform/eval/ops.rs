//! Operators and the value conversions expressions need (conditions, keys, template text).

use hcl_edit::expr::{BinaryOperator, UnaryOperator};

use super::{EvalError, EvalResult};
use crate::eval::symbolic;
use crate::eval::value::Value;

/// A boolean operand or condition: `None` when unknown; null and non-booleans are errors.
pub(super) fn operand_bool(value: &Value) -> Result<Option<bool>, EvalError> {
    match value {
        Value::Unknown => Ok(None),
        v if v.is_symbolic() => Ok(None),
        other => other.as_bool().map(Some).ok_or(EvalError),
    }
}

/// A number operand: numbers, or strings holding one; `None` when unknown.
fn operand_number(value: &Value) -> Result<Option<f64>, EvalError> {
    match value {
        Value::Unknown => Ok(None),
        v if v.is_symbolic() => Ok(None),
        Value::Number(n) => Ok(Some(*n)),
        Value::String(s) => s.parse().map(Some).map_err(|_| EvalError),
        _ => Err(EvalError),
    }
}

/// The text of an object key or interpolated value: `None` when unknown; null and
/// collections are errors.
pub(super) fn scalar_text(value: &Value) -> Result<Option<String>, EvalError> {
    match value {
        Value::Unknown => Ok(None),
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(value.to_template_string()),
        _ => Err(EvalError),
    }
}

/// Applies `-` or `!`.
pub(super) fn unary(op: UnaryOperator, value: &Value) -> EvalResult {
    match op {
        UnaryOperator::Neg => {
            Ok(operand_number(value)?.map_or(Value::Unknown, |n| Value::Number(-n)))
        }
        UnaryOperator::Not => Ok(operand_bool(value)?.map_or(Value::Unknown, |b| Value::Bool(!b))),
    }
}

/// Applies a binary operator other than `&&` / `||` (the evaluator short-circuits those).
pub(super) fn binary(op: BinaryOperator, lhs: &Value, rhs: &Value) -> EvalResult {
    match op {
        BinaryOperator::Eq => Ok(equal(lhs, rhs).map_or(Value::Unknown, Value::Bool)),
        BinaryOperator::NotEq => Ok(equal(lhs, rhs).map_or(Value::Unknown, |b| Value::Bool(!b))),
        _ => {
            let (Some(l), Some(r)) = (operand_number(lhs)?, operand_number(rhs)?) else {
                return Ok(Value::Unknown);
            };
            numeric(op, l, r)
        }
    }
}

fn numeric(op: BinaryOperator, l: f64, r: f64) -> EvalResult {
    let n = match op {
        BinaryOperator::Less => return Ok(Value::Bool(l < r)),
        BinaryOperator::LessEq => return Ok(Value::Bool(l <= r)),
        BinaryOperator::Greater => return Ok(Value::Bool(l > r)),
        BinaryOperator::GreaterEq => return Ok(Value::Bool(l >= r)),
        BinaryOperator::Plus => l + r,
        BinaryOperator::Minus => l - r,
        BinaryOperator::Mul => l * r,
        BinaryOperator::Div if r == 0.0 => return Err(EvalError),
        BinaryOperator::Div => l / r,
        BinaryOperator::Mod if r == 0.0 => return Err(EvalError),
        BinaryOperator::Mod => l % r,
        _ => return Err(EvalError),
    };
    if n.is_finite() {
        Ok(Value::Number(n))
    } else {
        Err(EvalError)
    }
}

/// Terraform equality: types must match (`1 != "1"`); `None` when unknown parts decide it.
pub(crate) fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Unknown, _) | (_, Value::Unknown) => None,
        (Value::String(x), Value::String(y)) => symbolic::text_equals(x, y),
        _ if a.is_symbolic() || b.is_symbolic() => None,
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            all_equal(x.iter().zip(y).map(|(a, b)| equal(a, b)))
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() || x.keys().ne(y.keys()) {
                return Some(false);
            }
            all_equal(x.values().zip(y.values()).map(|(a, b)| equal(a, b)))
        }
        _ => Some(a == b),
    }
}

fn all_equal(results: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for result in results {
        match result {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    (!unknown).then_some(true)
}
