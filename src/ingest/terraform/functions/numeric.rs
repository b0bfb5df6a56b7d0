//! Numeric functions.

use super::args;
use super::{EvalError, EvalResult, Func};
use crate::eval::value::Value;

/// The numeric functions by name.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(Func::Strict(match name {
        "abs" => |a| unary(a, f64::abs),
        "ceil" => |a| unary(a, f64::ceil),
        "floor" => |a| unary(a, f64::floor),
        "signum" => |a| unary(a, |n| if n == 0.0 { 0.0 } else { n.signum() }),
        "log" => |a| binary(a, f64::log),
        "pow" => |a| binary(a, f64::powf),
        "max" => |a| extreme(a, f64::max),
        "min" => |a| extreme(a, f64::min),
        "sum" => sum,
        "parseint" => parseint,
        _ => return None,
    }))
}

/// A finite number result; infinities and NaN are errors.
fn finite(n: f64) -> EvalResult {
    if n.is_finite() {
        Ok(Value::Number(n))
    } else {
        Err(EvalError)
    }
}

fn unary(args: &[Value], f: fn(f64) -> f64) -> EvalResult {
    let [n] = args else { return Err(EvalError) };
    finite(f(args::number(n)?))
}

fn binary(args: &[Value], f: fn(f64, f64) -> f64) -> EvalResult {
    let [a, b] = args else { return Err(EvalError) };
    finite(f(args::number(a)?, args::number(b)?))
}

/// `max(n...)` / `min(n...)`; at least one argument.
fn extreme(args: &[Value], pick: fn(f64, f64) -> f64) -> EvalResult {
    let nums = args
        .iter()
        .map(args::number)
        .collect::<Result<Vec<_>, _>>()?;
    nums.into_iter()
        .reduce(pick)
        .map(Value::Number)
        .ok_or(EvalError)
}

/// `sum(list)`; an empty list is an error.
fn sum(args: &[Value]) -> EvalResult {
    let [list] = args else { return Err(EvalError) };
    let nums = args::list(list)?
        .iter()
        .map(args::number)
        .collect::<Result<Vec<_>, _>>()?;
    if nums.is_empty() {
        return Err(EvalError);
    }
    finite(nums.iter().sum())
}

/// `parseint(string, base)` for bases 2 to 62 (digits, then lower-case, then upper-case).
fn parseint(args: &[Value]) -> EvalResult {
    let [s, base] = args else {
        return Err(EvalError);
    };
    let (s, base) = (args::string(s)?, args::integer(base)?);
    if !(2..=62).contains(&base) {
        return Err(EvalError);
    }
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    if digits.is_empty() {
        return Err(EvalError);
    }
    let mut n = 0f64;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => return Err(EvalError),
        };
        if d >= base {
            return Err(EvalError);
        }
        n = n * base as f64 + d as f64;
    }
    finite(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, s};
    use crate::eval::value::Value;

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    #[test]
    fn numeric_functions() {
        assert_eq!(run("abs", vec![n(-3.5)]), Some(n(3.5)));
        assert_eq!(run("ceil", vec![n(1.2)]), Some(n(2.0)));
        assert_eq!(run("floor", vec![s("1.8")]), Some(n(1.0)));
        assert_eq!(run("signum", vec![n(-7.0)]), Some(n(-1.0)));
        assert_eq!(run("log", vec![n(8.0), n(2.0)]), Some(n(3.0)));
        assert_eq!(run("pow", vec![n(2.0), n(10.0)]), Some(n(1024.0)));
        assert_eq!(run("max", vec![n(1.0), n(5.0), n(3.0)]), Some(n(5.0)));
        assert_eq!(run("min", vec![n(1.0), n(5.0)]), Some(n(1.0)));
        assert_eq!(run("max", vec![]), None);
        let list = Value::List(vec![n(1.0), n(2.5)]);
        assert_eq!(run("sum", vec![list]), Some(n(3.5)));
        assert_eq!(run("sum", vec![Value::List(vec![])]), None);
        assert_eq!(run("parseint", vec![s("ff"), n(16.0)]), Some(n(255.0)));
        assert_eq!(run("parseint", vec![s("-101"), n(2.0)]), Some(n(-5.0)));
        assert_eq!(run("parseint", vec![s("12"), n(2.0)]), None);
        assert_eq!(run("log", vec![n(0.0), n(10.0)]), None);
    }
}
