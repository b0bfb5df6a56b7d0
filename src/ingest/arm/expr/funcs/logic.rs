//! Logical, comparison, numeric and conversion functions: not, bool, true, false, null,
//! equals, less, lessOrEquals, greater, greaterOrEquals, add, sub, mul, div, mod, int, float.
//! (`and`, `or` and `if` are special forms in the evaluator.)

use std::cmp::Ordering;

use super::{arity, as_int, deep_eq, fail, EvalError};
use crate::eval::value::Value;

/// Calls logic function `name`, or `None` if it is not one.
pub(super) fn call(name: &str, args: &[Value]) -> Option<Result<Value, EvalError>> {
    Some(match name {
        "true" => arity(name, args, 0, 0).map(|()| Value::Bool(true)),
        "false" => arity(name, args, 0, 0).map(|()| Value::Bool(false)),
        "null" => arity(name, args, 0, 0).map(|()| Value::Null),
        "not" => not(name, args),
        "bool" => to_bool(name, args),
        "equals" => arity(name, args, 2, 2)
            .map(|()| deep_eq(&args[0], &args[1]).map_or(Value::Unknown, Value::Bool)),
        "less" => compare(name, args, Ordering::is_lt),
        "lessorequals" => compare(name, args, Ordering::is_le),
        "greater" => compare(name, args, Ordering::is_gt),
        "greaterorequals" => compare(name, args, Ordering::is_ge),
        "add" => arithmetic(name, args, i64::checked_add, |a, b| a + b),
        "sub" => arithmetic(name, args, i64::checked_sub, |a, b| a - b),
        "mul" => arithmetic(name, args, i64::checked_mul, |a, b| a * b),
        "div" => arithmetic(name, args, checked_div, |a, b| a / b),
        "mod" => arithmetic(name, args, checked_rem, |a, b| a % b),
        "int" => to_int(name, args),
        "float" => to_float(name, args),
        _ => return None,
    })
}

fn not(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    match &args[0] {
        Value::Bool(b) => Ok(Value::Bool(!b)),
        other => fail(
            name,
            &format!("expects a boolean, got {}", other.type_name()),
        ),
    }
}

/// `bool`: booleans, `'true'` / `'false'` (any case), and integers (non-zero is true).
fn to_bool(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    match &args[0] {
        Value::Bool(b) => Ok(Value::Bool(*b)),
        Value::Number(n) => Ok(Value::Bool(*n != 0.0)),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
        _ => fail(name, "cannot convert to a boolean"),
    }
}

/// Orders two numbers, or two strings (ordinal, case-sensitive).
fn compare(name: &str, args: &[Value], test: fn(Ordering) -> bool) -> Result<Value, EvalError> {
    arity(name, args, 2, 2)?;
    let ordering = match (&args[0], &args[1]) {
        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    };
    match ordering {
        Some(o) => Ok(Value::Bool(test(o))),
        None => fail(name, "expects two numbers or two strings"),
    }
}

/// Integer arithmetic (overflow and division by zero are errors), or floating point when
/// either operand has a fraction.
fn arithmetic(
    name: &str,
    args: &[Value],
    int_op: fn(i64, i64) -> Option<i64>,
    float_op: fn(f64, f64) -> f64,
) -> Result<Value, EvalError> {
    arity(name, args, 2, 2)?;
    let (Value::Number(a), Value::Number(b)) = (&args[0], &args[1]) else {
        return fail(name, "expects two numbers");
    };
    match (as_int(*a), as_int(*b)) {
        (Some(a), Some(b)) => int_op(a, b)
            .map(|n| Value::Number(n as f64))
            .ok_or_else(|| EvalError::new(format!("{name}(): overflow or division by zero"))),
        _ => {
            let result = float_op(*a, *b);
            if result.is_finite() {
                Ok(Value::Number(result))
            } else {
                fail(name, "result is not a finite number")
            }
        }
    }
}

fn checked_div(a: i64, b: i64) -> Option<i64> {
    a.checked_div(b)
}

fn checked_rem(a: i64, b: i64) -> Option<i64> {
    a.checked_rem(b)
}

/// `int`: a number (truncated) or a string holding an integer.
fn to_int(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    match &args[0] {
        Value::Number(n) if n.is_finite() && n.abs() < 9.2e18 => Ok(Value::Number(n.trunc())),
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .map(|n| Value::Number(n as f64))
            .map_err(|_| EvalError::new(format!("{name}(): '{s}' is not an integer"))),
        _ => fail(name, "cannot convert to an integer"),
    }
}

/// `float`: a number or a string holding one.
fn to_float(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    match &args[0] {
        Value::Number(n) => Ok(Value::Number(*n)),
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Value::Number(n)),
            _ => fail(name, "not a number"),
        },
        _ => fail(name, "cannot convert to a float"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: f64) -> Value {
        Value::Number(v)
    }

    fn run(name: &str, args: &[Value]) -> Value {
        call(name, args).unwrap().unwrap()
    }

    #[test]
    fn arithmetic_is_integer_and_checked() {
        assert_eq!(run("add", &[n(2.0), n(3.0)]), n(5.0));
        assert_eq!(run("sub", &[n(2.0), n(3.0)]), n(-1.0));
        assert_eq!(run("mul", &[n(4.0), n(3.0)]), n(12.0));
        assert_eq!(run("div", &[n(7.0), n(2.0)]), n(3.0));
        assert_eq!(run("div", &[n(-7.0), n(2.0)]), n(-3.0));
        assert_eq!(run("mod", &[n(7.0), n(3.0)]), n(1.0));
        assert!(call("div", &[n(1.0), n(0.0)]).unwrap().is_err());
        assert!(call("mod", &[n(1.0), n(0.0)]).unwrap().is_err());
        assert!(call("add", &[Value::from("1"), n(0.0)]).unwrap().is_err());
    }

    #[test]
    fn comparisons_and_equality() {
        assert_eq!(run("less", &[n(1.0), n(2.0)]), Value::Bool(true));
        assert_eq!(
            run("greaterorequals", &[Value::from("b"), Value::from("a")]),
            Value::Bool(true)
        );
        assert_eq!(
            run("less", &[Value::from("B"), Value::from("a")]),
            Value::Bool(true)
        );
        assert_eq!(
            run("equals", &[Value::from("a"), Value::from("A")]),
            Value::Bool(false)
        );
        let l = Value::List(vec![n(1.0), Value::from("x")]);
        assert_eq!(run("equals", &[l.clone(), l]), Value::Bool(true));
        assert_eq!(
            run("equals", &[Value::List(vec![Value::Unknown]), n(1.0)]),
            Value::Unknown
        );
    }

    #[test]
    fn conversions() {
        assert_eq!(run("int", &[Value::from("42")]), n(42.0));
        assert_eq!(run("int", &[n(4.7)]), n(4.0));
        assert_eq!(run("float", &[Value::from("1.5")]), n(1.5));
        assert_eq!(run("bool", &[Value::from("TRUE")]), Value::Bool(true));
        assert_eq!(run("bool", &[n(0.0)]), Value::Bool(false));
        assert_eq!(run("not", &[Value::Bool(true)]), Value::Bool(false));
        assert!(call("int", &[Value::from("x")]).unwrap().is_err());
    }
}
