//! The built-in functions that take evaluated arguments, grouped by family, and the argument
//! helpers they share.

mod collection;
mod encode;
mod format;
pub(super) mod hash;
mod logic;
mod resource_id;
mod scope;
mod string;
mod symbolic;

use std::collections::BTreeMap;

use super::eval::{Context, EvalError};
use crate::eval::value::{format_number, Value};

/// Functions whose result only deployment knows.
const RUNTIME: &[&str] = &[
    "reference",
    "resourceinfo",
    "pickzones",
    "providers",
    "newguid",
    "utcnow",
    "datetimeadd",
    "datetimefromepoch",
    "datetimetoepoch",
    "deployer",
    "getsecret",
    "externalinput",
];

/// Functions that keep unknown arguments as elements instead of becoming unknown.
const UNKNOWN_TOLERANT: &[&str] = &["createarray", "createobject", "coalesce"];

/// Calls built-in `name` (lower-case) on evaluated `args`.
pub(super) fn call(name: &str, args: Vec<Value>, ctx: &dyn Context) -> Result<Value, EvalError> {
    if RUNTIME.contains(&name) || name.starts_with("list") {
        return Ok(Value::Unknown);
    }
    if !UNKNOWN_TOLERANT.contains(&name) && args.iter().any(Value::is_unknown) {
        return Ok(Value::Unknown);
    }
    if let Some(v) = symbolic::call(name, &args) {
        return Ok(v);
    }
    let args = args.as_slice();
    string::call(name, args)
        .or_else(|| collection::call(name, args))
        .or_else(|| logic::call(name, args))
        .or_else(|| encode::call(name, args))
        .or_else(|| format::call(name, args))
        .or_else(|| hash::call(name, args))
        .or_else(|| resource_id::call(name, args, ctx))
        .or_else(|| scope::call(name, args, ctx))
        .unwrap_or_else(|| Err(EvalError::new(format!("unknown function '{name}'"))))
}

/// An error for `name`.
fn fail<T>(name: &str, message: &str) -> Result<T, EvalError> {
    Err(EvalError::new(format!("{name}(): {message}")))
}

/// Checks the argument count.
fn arity(name: &str, args: &[Value], min: usize, max: usize) -> Result<(), EvalError> {
    if args.len() < min || args.len() > max {
        let expected = if min == max {
            format!("{min}")
        } else if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        return fail(
            name,
            &format!("expects {expected} arguments, got {}", args.len()),
        );
    }
    Ok(())
}

/// Argument `i` as a string.
fn str_arg<'a>(name: &str, args: &'a [Value], i: usize) -> Result<&'a str, EvalError> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => fail(
            name,
            &format!(
                "argument {} must be a string, got {}",
                i + 1,
                other.type_name()
            ),
        ),
        None => fail(name, &format!("missing argument {}", i + 1)),
    }
}

/// Argument `i` as an integer.
fn int_arg(name: &str, args: &[Value], i: usize) -> Result<i64, EvalError> {
    match args.get(i) {
        Some(Value::Number(n)) => as_int(*n).ok_or_else(|| {
            EvalError::new(format!("{name}(): argument {} must be an integer", i + 1))
        }),
        Some(other) => fail(
            name,
            &format!(
                "argument {} must be an integer, got {}",
                i + 1,
                other.type_name()
            ),
        ),
        None => fail(name, &format!("missing argument {}", i + 1)),
    }
}

/// `n` as an `i64`, if it is integral and in range.
fn as_int(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() < 9.2e18).then_some(n as i64)
}

/// An object's value by key, matched exactly first, then case-insensitively (as ARM does).
pub(super) fn get_ci<'a>(map: &'a BTreeMap<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A scalar as ARM prints it inside `concat` / `format` / `join`: `True` / `False` for
/// booleans (.NET), nothing for null; `None` for collections.
fn to_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(format_number(*n)),
        Value::Bool(true) => Some("True".to_owned()),
        Value::Bool(false) => Some("False".to_owned()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// Deep equality that gives `None` when an unknown makes it undecidable.
fn deep_eq(a: &Value, b: &Value) -> Option<bool> {
    let symbolic = a != b && (a.contains_symbolic() || b.contains_symbolic());
    if a.contains_unknown() || b.contains_unknown() || symbolic {
        None
    } else {
        Some(a == b)
    }
}

/// The UTF-16 code units of `s`: ARM measures and slices strings in them, as .NET does.
fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

/// A string from UTF-16 code units (a split surrogate pair becomes U+FFFD).
fn from_utf16(units: &[u16]) -> String {
    String::from_utf16_lossy(units)
}
