//! The functions that take `lambda('x', body)` arguments: map, filter, reduce, sort,
//! toObject, groupBy, mapValues.

use std::collections::BTreeMap;

use super::ast::Expr;
use super::eval::{EvalError, Evaluator};
use crate::eval::value::Value;

/// How deeply `reduce` may nest its accumulator (deeper values are refused, not built).
const MAX_VALUE_DEPTH: usize = 64;

/// Whether `name` (lower-case) is a function taking lambdas.
pub(super) fn is_lambda_function(name: &str) -> bool {
    matches!(
        name,
        "map" | "filter" | "reduce" | "sort" | "toobject" | "groupby" | "mapvalues"
    )
}

/// A `lambda('a', 'b', body)` argument: its parameter names and body.
struct Lambda<'e> {
    params: Vec<&'e str>,
    body: &'e Expr,
}

impl<'e> Lambda<'e> {
    fn parse(expr: &'e Expr, min: usize, max: usize) -> Result<Self, EvalError> {
        let Expr::Call {
            namespace: None,
            name,
            args,
        } = expr
        else {
            return Err(EvalError::new("expected a lambda() argument"));
        };
        let Some((body, params)) = args.split_last() else {
            return Err(EvalError::new("lambda() needs a body"));
        };
        if !name.eq_ignore_ascii_case("lambda") || params.len() < min || params.len() > max {
            return Err(EvalError::new(format!(
                "expected a lambda() with {min} to {max} parameters"
            )));
        }
        let params = params
            .iter()
            .map(|p| match p {
                Expr::String(s) => Ok(s.as_str()),
                _ => Err(EvalError::new(
                    "lambda parameter names must be string literals",
                )),
            })
            .collect::<Result<_, _>>()?;
        Ok(Lambda { params, body })
    }

    /// Applies the lambda; extra arguments (an index the lambda did not ask for) are dropped.
    fn apply(&self, ev: &mut Evaluator<'_>, args: &[Value]) -> Result<Value, EvalError> {
        let bindings = self
            .params
            .iter()
            .zip(args)
            .map(|(p, v)| ((*p).to_owned(), v.clone()));
        ev.eval_with(bindings.collect::<Vec<_>>(), self.body)
    }
}

/// Calls the lambda function `name` (lower-case) on unevaluated `args`.
pub(super) fn call(ev: &mut Evaluator<'_>, name: &str, args: &[Expr]) -> Result<Value, EvalError> {
    let (subject, rest) = args
        .split_first()
        .ok_or_else(|| EvalError::new(format!("{name}() needs arguments")))?;
    let subject = ev.eval(subject)?;
    if subject.is_unknown() {
        return Ok(Value::Unknown);
    }
    match (name, rest) {
        ("mapvalues", [f]) => {
            let Value::Object(map) = subject else {
                return Err(EvalError::new("mapValues() expects an object"));
            };
            let f = Lambda::parse(f, 1, 1)?;
            let mut out = BTreeMap::new();
            for (k, v) in map {
                out.insert(k, f.apply(ev, &[v])?);
            }
            Ok(Value::Object(out))
        }
        (_, rest) => {
            let Value::List(items) = subject else {
                return Err(EvalError::new(format!("{name}() expects an array")));
            };
            over_array(ev, name, items, rest)
        }
    }
}

fn over_array(
    ev: &mut Evaluator<'_>,
    name: &str,
    items: Vec<Value>,
    rest: &[Expr],
) -> Result<Value, EvalError> {
    let indexed = |i: usize, v: &Value| [v.clone(), Value::Number(i as f64)];
    match (name, rest) {
        ("map", [f]) => {
            let f = Lambda::parse(f, 1, 2)?;
            let mapped = items
                .iter()
                .enumerate()
                .map(|(i, v)| f.apply(ev, &indexed(i, v)));
            Ok(Value::List(mapped.collect::<Result<_, _>>()?))
        }
        ("filter", [f]) => {
            let f = Lambda::parse(f, 1, 2)?;
            let mut out = Vec::new();
            for (i, v) in items.iter().enumerate() {
                match f.apply(ev, &indexed(i, v))? {
                    Value::Bool(true) => out.push(v.clone()),
                    Value::Bool(false) => {}
                    Value::Unknown => return Ok(Value::Unknown),
                    _ => return Err(EvalError::new("filter() lambda must return a boolean")),
                }
            }
            Ok(Value::List(out))
        }
        ("reduce", [initial, f]) => {
            let mut acc = ev.eval(initial)?;
            let f = Lambda::parse(f, 2, 3)?;
            for (i, v) in items.into_iter().enumerate() {
                acc = f.apply(ev, &[acc, v, Value::Number(i as f64)])?;
                if too_deep(&acc, MAX_VALUE_DEPTH) {
                    return Err(EvalError::new("reduce() built a value nested too deeply"));
                }
            }
            Ok(acc)
        }
        ("sort", [f]) => {
            let f = Lambda::parse(f, 2, 2)?;
            let mut unknown = false;
            let mut before = |ev: &mut Evaluator<'_>, a: &Value, b: &Value| match f
                .apply(ev, &[a.clone(), b.clone()])?
            {
                Value::Bool(b) => Ok(b),
                Value::Unknown => {
                    unknown = true;
                    Ok(false)
                }
                _ => Err(EvalError::new("sort() lambda must return a boolean")),
            };
            let sorted = merge_sort(ev, items, &mut before)?;
            Ok(if unknown {
                Value::Unknown
            } else {
                Value::List(sorted)
            })
        }
        ("toobject", [key]) | ("toobject", [key, _]) => {
            let key = Lambda::parse(key, 1, 1)?;
            let value = rest.get(1).map(|v| Lambda::parse(v, 1, 1)).transpose()?;
            let mut out = BTreeMap::new();
            for item in items {
                let k = match key.apply(ev, std::slice::from_ref(&item))? {
                    Value::String(k) => k,
                    Value::Unknown => return Ok(Value::Unknown),
                    _ => return Err(EvalError::new("toObject() keys must be strings")),
                };
                let v = match &value {
                    Some(f) => f.apply(ev, &[item])?,
                    None => item,
                };
                out.insert(k, v);
            }
            Ok(Value::Object(out))
        }
        ("groupby", [key]) => {
            let key = Lambda::parse(key, 1, 1)?;
            let mut out: BTreeMap<String, Value> = BTreeMap::new();
            for item in items {
                let k = match key.apply(ev, std::slice::from_ref(&item))? {
                    Value::String(k) => k,
                    Value::Unknown => return Ok(Value::Unknown),
                    _ => return Err(EvalError::new("groupBy() keys must be strings")),
                };
                if let Value::List(group) = out.entry(k).or_insert_with(|| Value::List(vec![])) {
                    group.push(item);
                }
            }
            Ok(Value::Object(out))
        }
        _ => Err(EvalError::new(format!(
            "{name}(): wrong number of arguments"
        ))),
    }
}

/// A stable merge sort with a fallible "a goes before b" test (a lambda need not be a
/// consistent order, so the standard library's sort, which may panic then, is not used).
fn merge_sort<F>(
    ev: &mut Evaluator<'_>,
    items: Vec<Value>,
    before: &mut F,
) -> Result<Vec<Value>, EvalError>
where
    F: FnMut(&mut Evaluator<'_>, &Value, &Value) -> Result<bool, EvalError>,
{
    if items.len() <= 1 {
        return Ok(items);
    }
    let mut left = items;
    let right = left.split_off(left.len() / 2);
    let left = merge_sort(ev, left, before)?;
    let right = merge_sort(ev, right, before)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    while let (Some(l), Some(r)) = (left.peek(), right.peek()) {
        ev.spend(1)?;
        let next = if before(ev, r, l)? {
            right.next()
        } else {
            left.next()
        };
        out.extend(next);
    }
    out.extend(left);
    out.extend(right);
    Ok(out)
}

/// Whether `value` nests collections deeper than `limit`.
fn too_deep(value: &Value, limit: usize) -> bool {
    if limit == 0 {
        return matches!(value, Value::List(_) | Value::Object(_));
    }
    match value {
        Value::List(items) => items.iter().any(|v| too_deep(v, limit - 1)),
        Value::Object(map) => map.values().any(|v| too_deep(v, limit - 1)),
        _ => false,
    }
}
