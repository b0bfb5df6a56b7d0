//! Argument conversions shared by the function families, following Terraform's automatic
//! type conversions (numbers and booleans convert to strings and back).

use std::collections::{BTreeMap, HashSet};

use super::{EvalError, EvalResult};
use crate::eval::value::{format_number, Value};

/// The most elements any function may produce (guards `range`, `formatlist`, `setproduct`).
pub(super) const MAX_ELEMENTS: usize = 1_000_000;

/// The longest string a function may build (a unit could not hold a longer one anyway).
pub(super) const MAX_STRING: usize = crate::eval::budget::MAX_VALUE as usize;

thread_local! {
    /// Whether a function refused to build a value larger than any unit may hold, since
    /// [`take_too_large`] last ran.
    static TOO_LARGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Refuses to build a value past [`MAX_STRING`]: the caller's unit budget is spent.
pub(super) fn too_large() -> Result<Value, EvalError> {
    TOO_LARGE.with(|flag| flag.set(true));
    Err(EvalError)
}

/// Whether a function refused a value too large since the last call.
pub(super) fn take_too_large() -> bool {
    TOO_LARGE.with(|flag| flag.replace(false))
}

/// A string argument; numbers and booleans convert, null and collections are errors.
pub(super) fn string(value: &Value) -> Result<String, EvalError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(format_number(*n)),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(EvalError),
    }
}

/// A number argument; strings holding a number convert.
pub(super) fn number(value: &Value) -> Result<f64, EvalError> {
    match value {
        Value::Number(n) => Ok(*n),
        Value::String(s) => parse_number(s).ok_or(EvalError),
        _ => Err(EvalError),
    }
}

/// Parses a decimal number as Terraform converts strings (no `inf` / `nan`).
pub(super) fn parse_number(s: &str) -> Option<f64> {
    let looks_numeric = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'));
    if s.is_empty() || !looks_numeric {
        return None;
    }
    s.parse().ok().filter(|n: &f64| n.is_finite())
}

/// A whole-number argument.
pub(super) fn integer(value: &Value) -> Result<i64, EvalError> {
    let n = number(value)?;
    if n.fract() != 0.0 || n.abs() > 9.0e15 {
        return Err(EvalError);
    }
    Ok(n as i64)
}

/// A non-negative whole-number argument usable as a count or index.
pub(super) fn count(value: &Value) -> Result<usize, EvalError> {
    usize::try_from(integer(value)?).map_err(|_| EvalError)
}

/// A boolean argument; the strings `"true"` / `"false"` convert.
pub(super) fn boolean(value: &Value) -> Result<bool, EvalError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        _ => Err(EvalError),
    }
}

/// A list, tuple or set argument.
pub(super) fn list(value: &Value) -> Result<&[Value], EvalError> {
    value.as_list().ok_or(EvalError)
}

/// A map or object argument.
pub(super) fn object(value: &Value) -> Result<&BTreeMap<String, Value>, EvalError> {
    value.as_object().ok_or(EvalError)
}

/// A list of strings (elements convert as [`string`] does).
pub(super) fn strings(value: &Value) -> Result<Vec<String>, EvalError> {
    list(value)?.iter().map(string).collect()
}

/// Wraps a string result.
pub(super) fn ok_string(s: impl Into<String>) -> EvalResult {
    Ok(Value::String(s.into()))
}

/// Removes duplicates, keeping the first occurrence (Terraform set semantics, in order).
pub(super) fn distinct(items: impl IntoIterator<Item = Value>) -> Vec<Value> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(item.to_json().to_string()))
        .collect()
}
