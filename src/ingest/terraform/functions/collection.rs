//! Collection functions over lists and maps.

use std::collections::BTreeMap;

use super::args::{self, MAX_ELEMENTS};
use super::{EvalError, EvalResult, Func};
use crate::eval::value::Value;

/// `range` refuses to build more elements than Terraform does.
const MAX_RANGE: usize = 1024;
/// How deeply `flatten` descends.
const MAX_FLATTEN_DEPTH: usize = 64;

/// The collection functions by name.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(match name {
        "length" => Func::Lenient(length),
        "element" => Func::Lenient(element),
        "concat" => Func::Lenient(concat),
        "merge" => Func::Lenient(merge),
        "lookup" => Func::Lenient(lookup_fn),
        "keys" => Func::Lenient(keys),
        "values" => Func::Lenient(values),
        "slice" => Func::Lenient(slice),
        "reverse" => Func::Lenient(reverse),
        "one" => Func::Lenient(one),
        "coalesce" => Func::Lenient(coalesce),
        "coalescelist" => Func::Lenient(coalescelist),
        "chunklist" => Func::Lenient(chunklist),
        "zipmap" => Func::Lenient(zipmap),
        "flatten" => Func::Lenient(flatten),
        "compact" => Func::Lenient(compact),
        "index" => Func::Strict(index),
        "contains" => Func::Strict(contains),
        "distinct" => Func::Strict(|a| match a {
            [list] => Ok(Value::List(args::distinct(args::list(list)?.to_vec()))),
            _ => Err(EvalError),
        }),
        "sort" => Func::Strict(sort),
        "range" => Func::Strict(range),
        "alltrue" => Func::Strict(|a| all_any(a, true)),
        "anytrue" => Func::Strict(|a| all_any(a, false)),
        "transpose" => Func::Strict(transpose),
        "matchkeys" => Func::Strict(matchkeys),
        _ => return None,
    })
}

fn length(args: &[Value]) -> EvalResult {
    let n = match args {
        [Value::List(items)] => items.len(),
        [Value::Object(map)] => map.len(),
        [Value::String(s)] => s.chars().count(),
        _ => return Err(EvalError),
    };
    Ok(Value::Number(n as f64))
}

/// `element(list, index)`: the index wraps around.
fn element(args: &[Value]) -> EvalResult {
    let [list, index] = args else {
        return Err(EvalError);
    };
    let list = args::list(list)?;
    let index = args::count(index)?;
    list.get(index.checked_rem(list.len()).ok_or(EvalError)?)
        .cloned()
        .ok_or(EvalError)
}

fn concat(args: &[Value]) -> EvalResult {
    let mut out = Vec::new();
    for list in args {
        out.extend_from_slice(args::list(list)?);
    }
    Ok(Value::List(out))
}

/// `merge(maps...)`: shallow, later arguments win; null arguments are skipped.
fn merge(args: &[Value]) -> EvalResult {
    let mut out = BTreeMap::new();
    for arg in args {
        match arg {
            Value::Null => {}
            other => out.extend(args::object(other)?.clone()),
        }
    }
    Ok(Value::Object(out))
}

/// `lookup(map, key[, default])`.
fn lookup_fn(args: &[Value]) -> EvalResult {
    let (map, key, default) = match args {
        [map, key] => (map, key, None),
        [map, key, default] => (map, key, Some(default)),
        _ => return Err(EvalError),
    };
    let key = args::string(key)?;
    match args::object(map)?.get(&key) {
        Some(value) => Ok(value.clone()),
        None => default.cloned().ok_or(EvalError),
    }
}

fn keys(args: &[Value]) -> EvalResult {
    let [map] = args else { return Err(EvalError) };
    Ok(Value::List(
        args::object(map)?
            .keys()
            .map(|k| Value::from(k.as_str()))
            .collect(),
    ))
}

fn values(args: &[Value]) -> EvalResult {
    let [map] = args else { return Err(EvalError) };
    Ok(Value::List(args::object(map)?.values().cloned().collect()))
}

/// `slice(list, start, end)`, end exclusive.
fn slice(args: &[Value]) -> EvalResult {
    let [list, start, end] = args else {
        return Err(EvalError);
    };
    let list = args::list(list)?;
    let (start, end) = (args::count(start)?, args::count(end)?);
    if start > end {
        return Err(EvalError);
    }
    list.get(start..end)
        .map(|s| Value::List(s.to_vec()))
        .ok_or(EvalError)
}

fn reverse(args: &[Value]) -> EvalResult {
    let [list] = args else { return Err(EvalError) };
    Ok(Value::List(
        args::list(list)?.iter().rev().cloned().collect(),
    ))
}

/// `one(list)`: null for an empty list, the element for one, an error for more.
fn one(args: &[Value]) -> EvalResult {
    match args {
        [Value::Null] => Ok(Value::Null),
        [list] => match args::list(list)? {
            [] => Ok(Value::Null),
            [only] => Ok(only.clone()),
            _ => Err(EvalError),
        },
        _ => Err(EvalError),
    }
}

/// `coalesce(values...)`: the first that is neither null nor an empty string.
fn coalesce(args: &[Value]) -> EvalResult {
    for arg in args {
        match arg {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            Value::Unknown => return Ok(Value::Unknown),
            other => return Ok(other.clone()),
        }
    }
    Err(EvalError)
}

/// `coalescelist(lists...)`: the first non-empty list.
fn coalescelist(args: &[Value]) -> EvalResult {
    for arg in args {
        if !args::list(arg)?.is_empty() {
            return Ok(arg.clone());
        }
    }
    Err(EvalError)
}

/// `chunklist(list, size)`; size 0 yields the whole list as one chunk.
fn chunklist(args: &[Value]) -> EvalResult {
    let [list, size] = args else {
        return Err(EvalError);
    };
    let (list, size) = (args::list(list)?, args::count(size)?);
    if size == 0 {
        return Ok(Value::List(vec![Value::List(list.to_vec())]));
    }
    Ok(Value::List(
        list.chunks(size).map(|c| Value::List(c.to_vec())).collect(),
    ))
}

/// `zipmap(keys, values)`; the keys must be known.
fn zipmap(args: &[Value]) -> EvalResult {
    let [keys, values] = args else {
        return Err(EvalError);
    };
    if keys.contains_unknown() {
        return Ok(Value::Unknown);
    }
    let (keys, values) = (args::strings(keys)?, args::list(values)?);
    if keys.len() != values.len() {
        return Err(EvalError);
    }
    Ok(Value::Object(
        keys.into_iter().zip(values.iter().cloned()).collect(),
    ))
}

fn flatten(args: &[Value]) -> EvalResult {
    let [list] = args else { return Err(EvalError) };
    let mut out = Vec::new();
    if flatten_into(args::list(list)?, &mut out, 0)? {
        Ok(Value::List(out))
    } else {
        Ok(Value::Unknown)
    }
}

/// Appends the flattened `items`; `false` when an unknown element hides its shape.
fn flatten_into(items: &[Value], out: &mut Vec<Value>, depth: usize) -> Result<bool, EvalError> {
    if depth > MAX_FLATTEN_DEPTH {
        return Err(EvalError);
    }
    for item in items {
        match item {
            Value::Unknown => return Ok(false),
            Value::List(inner) => {
                if !flatten_into(inner, out, depth + 1)? {
                    return Ok(false);
                }
            }
            other => out.push(other.clone()),
        }
    }
    Ok(true)
}

/// `compact(list)`: drops nulls and empty strings.
fn compact(args: &[Value]) -> EvalResult {
    let [list] = args else { return Err(EvalError) };
    let list = args::list(list)?;
    if list.iter().any(Value::is_unknown) {
        return Ok(Value::Unknown);
    }
    let kept = list
        .iter()
        .filter(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
        .map(|v| args::string(v).map(Value::String))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Value::List(kept))
}

fn index(args: &[Value]) -> EvalResult {
    let [list, value] = args else {
        return Err(EvalError);
    };
    let position = args::list(list)?
        .iter()
        .position(|v| v == value)
        .ok_or(EvalError)?;
    Ok(Value::Number(position as f64))
}

fn contains(args: &[Value]) -> EvalResult {
    let [list, value] = args else {
        return Err(EvalError);
    };
    Ok(Value::Bool(args::list(list)?.contains(value)))
}

/// `sort(list)`: lexical order of the elements as strings.
fn sort(args: &[Value]) -> EvalResult {
    let [list] = args else { return Err(EvalError) };
    let mut items = args::strings(list)?;
    items.sort();
    Ok(Value::List(items.into_iter().map(Value::String).collect()))
}

/// `range(limit)`, `range(start, limit)`, `range(start, limit, step)`.
fn range(args: &[Value]) -> EvalResult {
    let nums = args
        .iter()
        .map(args::number)
        .collect::<Result<Vec<_>, _>>()?;
    let (start, limit, step) = match nums[..] {
        [limit] => (0.0, limit, 1.0),
        [start, limit] => (start, limit, if start > limit { -1.0 } else { 1.0 }),
        [start, limit, step] => (start, limit, step),
        _ => return Err(EvalError),
    };
    if step == 0.0 {
        return Err(EvalError);
    }
    let mut out = Vec::new();
    let mut v = start;
    while (step > 0.0 && v < limit) || (step < 0.0 && v > limit) {
        if out.len() >= MAX_RANGE {
            return Err(EvalError);
        }
        out.push(Value::Number(v));
        v += step;
    }
    Ok(Value::List(out))
}

/// `alltrue` (`all` = true) and `anytrue`.
fn all_any(args: &[Value], all: bool) -> EvalResult {
    let [list] = args else { return Err(EvalError) };
    let bools = args::list(list)?
        .iter()
        .map(args::boolean)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Value::Bool(if all {
        bools.iter().all(|b| *b)
    } else {
        bools.iter().any(|b| *b)
    }))
}

/// `transpose(map of lists of strings)`.
fn transpose(args: &[Value]) -> EvalResult {
    let [map] = args else { return Err(EvalError) };
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (key, list) in args::object(map)? {
        for value in args::strings(list)? {
            out.entry(value)
                .or_default()
                .push(Value::from(key.as_str()));
        }
    }
    Ok(Value::Object(
        out.into_iter().map(|(k, v)| (k, Value::List(v))).collect(),
    ))
}

/// `matchkeys(values, keys, searchset)`.
fn matchkeys(args: &[Value]) -> EvalResult {
    let [values, keys, search] = args else {
        return Err(EvalError);
    };
    let (values, keys, search) = (args::list(values)?, args::list(keys)?, args::list(search)?);
    if values.len() != keys.len() || values.len() > MAX_ELEMENTS {
        return Err(EvalError);
    }
    Ok(Value::List(
        values
            .iter()
            .zip(keys)
            .filter(|(_, k)| search.contains(k))
            .map(|(v, _)| v.clone())
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, s, strs};
    use crate::eval::value::Value;

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    fn nums(items: &[f64]) -> Value {
        Value::List(items.iter().map(|x| n(*x)).collect())
    }

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn list_functions() {
        assert_eq!(run("length", vec![s("héllo")]), Some(n(5.0)));
        assert_eq!(
            run("element", vec![strs(&["a", "b", "c"]), n(4.0)]),
            Some(s("b"))
        );
        assert_eq!(run("element", vec![strs(&[]), n(0.0)]), None);
        assert_eq!(run("index", vec![strs(&["a", "b"]), s("b")]), Some(n(1.0)));
        assert_eq!(run("index", vec![strs(&["a", "b"]), s("z")]), None);
        assert_eq!(
            run("contains", vec![strs(&["a", "b"]), s("b")]),
            Some(Value::Bool(true))
        );
        assert_eq!(
            run("distinct", vec![strs(&["a", "b", "a"])]),
            Some(strs(&["a", "b"]))
        );
        let nested = Value::List(vec![strs(&["a"]), Value::List(vec![strs(&["b"]), s("c")])]);
        assert_eq!(run("flatten", vec![nested]), Some(strs(&["a", "b", "c"])));
        assert_eq!(
            run("flatten", vec![Value::List(vec![Value::Unknown])]),
            Some(Value::Unknown)
        );
        assert_eq!(
            run("slice", vec![strs(&["a", "b", "c"]), n(1.0), n(3.0)]),
            Some(strs(&["b", "c"]))
        );
        assert_eq!(run("slice", vec![strs(&["a"]), n(1.0), n(3.0)]), None);
        assert_eq!(
            run("reverse", vec![strs(&["a", "b"])]),
            Some(strs(&["b", "a"]))
        );
        assert_eq!(
            run("sort", vec![strs(&["b", "c", "a"])]),
            Some(strs(&["a", "b", "c"]))
        );
        assert_eq!(run("range", vec![n(3.0)]), Some(nums(&[0.0, 1.0, 2.0])));
        assert_eq!(
            run("range", vec![n(3.0), n(0.0)]),
            Some(nums(&[3.0, 2.0, 1.0]))
        );
        assert_eq!(
            run("range", vec![n(0.0), n(1.0), n(0.25)]),
            Some(nums(&[0.0, 0.25, 0.5, 0.75]))
        );
        assert_eq!(run("range", vec![n(1e12)]), None);
        assert_eq!(run("range", vec![n(0.0), n(1.0), n(0.0)]), None);
        let with_gaps = Value::List(vec![s("a"), s(""), Value::Null, s("b")]);
        assert_eq!(run("compact", vec![with_gaps]), Some(strs(&["a", "b"])));
        assert_eq!(
            run("coalesce", vec![Value::Null, s(""), s("x")]),
            Some(s("x"))
        );
        assert_eq!(run("coalesce", vec![Value::Null]), None);
        assert_eq!(
            run("coalescelist", vec![strs(&[]), strs(&["a"])]),
            Some(strs(&["a"]))
        );
        assert_eq!(run("one", vec![strs(&[])]), Some(Value::Null));
        assert_eq!(run("one", vec![strs(&["a", "b"])]), None);
        let bools = Value::List(vec![Value::Bool(true), s("false")]);
        assert_eq!(
            run("alltrue", vec![bools.clone()]),
            Some(Value::Bool(false))
        );
        assert_eq!(run("anytrue", vec![bools]), Some(Value::Bool(true)));
        let chunks = Value::List(vec![strs(&["a", "b"]), strs(&["c"])]);
        assert_eq!(
            run("chunklist", vec![strs(&["a", "b", "c"]), n(2.0)]),
            Some(chunks)
        );
        assert_eq!(
            run(
                "concat",
                vec![strs(&["a"]), Value::List(vec![Value::Unknown])]
            ),
            Some(Value::List(vec![s("a"), Value::Unknown]))
        );
        assert_eq!(
            run(
                "matchkeys",
                vec![strs(&["i1", "i2"]), strs(&["a", "b"]), strs(&["b"])]
            ),
            Some(strs(&["i2"]))
        );
    }

    #[test]
    fn map_functions() {
        let a = obj(&[("x", s("1")), ("y", Value::Unknown)]);
        let b = obj(&[("x", s("2"))]);
        assert_eq!(
            run("merge", vec![a.clone(), Value::Null, b]),
            Some(obj(&[("x", s("2")), ("y", Value::Unknown)]))
        );
        assert_eq!(run("keys", vec![a.clone()]), Some(strs(&["x", "y"])));
        assert_eq!(
            run("values", vec![a.clone()]),
            Some(Value::List(vec![s("1"), Value::Unknown]))
        );
        assert_eq!(run("lookup", vec![a.clone(), s("x")]), Some(s("1")));
        assert_eq!(run("lookup", vec![a.clone(), s("z"), s("d")]), Some(s("d")));
        assert_eq!(run("lookup", vec![a, s("z")]), None);
        assert_eq!(
            run("zipmap", vec![strs(&["a", "b"]), nums(&[1.0, 2.0])]),
            Some(obj(&[("a", n(1.0)), ("b", n(2.0))]))
        );
        let t = obj(&[("a", strs(&["1", "2"])), ("b", strs(&["2"]))]);
        assert_eq!(
            run("transpose", vec![t]),
            Some(obj(&[("1", strs(&["a"])), ("2", strs(&["a", "b"]))]))
        );
    }
}
