//! Array and object functions (several also take strings): concat, length, empty, contains,
//! first, last, take, skip, array, createArray, createObject, union, intersection, items,
//! objectKeys, shallowMerge, range, min, max, coalesce, flatten, tryGet, join.

use std::collections::BTreeMap;

use super::{
    arity, deep_eq, fail, from_utf16, get_ci, int_arg, str_arg, to_text, utf16, EvalError,
};
use crate::eval::value::Value;

/// The most elements `range` builds, as ARM allows.
const MAX_RANGE: i64 = 10_000;

/// Calls collection function `name`, or `None` if it is not one.
pub(super) fn call(name: &str, args: &[Value]) -> Option<Result<Value, EvalError>> {
    Some(match name {
        "concat" => concat(name, args),
        "length" => length(name, args),
        "empty" => empty(name, args),
        "contains" => contains(name, args),
        "first" => end(name, args, false),
        "last" => end(name, args, true),
        "take" => take_skip(name, args, true),
        "skip" => take_skip(name, args, false),
        "array" => arity(name, args, 1, 1).map(|()| match &args[0] {
            Value::List(_) => args[0].clone(),
            other => Value::List(vec![other.clone()]),
        }),
        "createarray" => Ok(Value::List(args.to_vec())),
        "createobject" => create_object(name, args),
        "union" => union(name, args),
        "intersection" => intersection(name, args),
        "items" => items(name, args),
        "objectkeys" => object_arg(name, args)
            .map(|m| Value::List(m.keys().map(|k| Value::from(k.as_str())).collect())),
        "shallowmerge" => shallow_merge(name, args),
        "range" => range(name, args),
        "min" => extreme(name, args, |a, b| a < b),
        "max" => extreme(name, args, |a, b| a > b),
        "coalesce" => coalesce(name, args),
        "flatten" => flatten(name, args),
        "tryget" => try_get(name, args),
        "join" => join(name, args),
        _ => return None,
    })
}

/// `concat`: all arrays give an array; otherwise scalars are joined as text.
fn concat(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, usize::MAX)?;
    if args.iter().all(|a| matches!(a, Value::List(_))) {
        return Ok(Value::List(
            args.iter()
                .filter_map(Value::as_list)
                .flatten()
                .cloned()
                .collect(),
        ));
    }
    let mut out = String::new();
    for arg in args {
        match to_text(arg) {
            Some(text) => out.push_str(&text),
            None => return fail(name, "cannot concatenate arrays or objects with strings"),
        }
    }
    Ok(Value::String(out))
}

fn length(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    let n = match &args[0] {
        Value::String(s) => s.encode_utf16().count(),
        Value::List(items) => items.len(),
        Value::Object(map) => map.len(),
        other => return fail(name, &format!("cannot measure a {}", other.type_name())),
    };
    Ok(Value::Number(n as f64))
}

fn empty(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    Ok(Value::Bool(match &args[0] {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::List(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        other => return fail(name, &format!("cannot test a {}", other.type_name())),
    }))
}

/// `contains`: a substring (case-sensitive), an array element (deep), or an object key
/// (case-insensitive).
fn contains(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 2, 2)?;
    match (&args[0], &args[1]) {
        (Value::String(s), item) => match to_text(item) {
            Some(part) => Ok(Value::Bool(s.contains(part.as_str()))),
            None => fail(name, "can only look for a scalar in a string"),
        },
        (Value::Object(map), Value::String(key)) => Ok(Value::Bool(get_ci(map, key).is_some())),
        (Value::List(items), item) => {
            let mut unknown = false;
            for candidate in items {
                match deep_eq(candidate, item) {
                    Some(true) => return Ok(Value::Bool(true)),
                    Some(false) => {}
                    None => unknown = true,
                }
            }
            Ok(if unknown {
                Value::Unknown
            } else {
                Value::Bool(false)
            })
        }
        (container, _) => fail(name, &format!("cannot search a {}", container.type_name())),
    }
}

/// `first` / `last` of a string or array; `null` for an empty array.
fn end(name: &str, args: &[Value], last: bool) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    match &args[0] {
        Value::List(items) => Ok(if last { items.last() } else { items.first() }
            .cloned()
            .unwrap_or(Value::Null)),
        Value::String(s) => {
            let units = utf16(s);
            let unit = if last {
                units.len().checked_sub(1).map(|i| &units[i..])
            } else {
                units.get(..1)
            };
            Ok(Value::String(unit.map(from_utf16).unwrap_or_default()))
        }
        Value::Null => Ok(Value::Null),
        other => fail(
            name,
            &format!("expects a string or an array, got {}", other.type_name()),
        ),
    }
}

/// `take` / `skip` on a string (UTF-16 units) or an array; counts are clamped.
fn take_skip(name: &str, args: &[Value], take: bool) -> Result<Value, EvalError> {
    arity(name, args, 2, 2)?;
    let count = int_arg(name, args, 1)?.max(0);
    let split = |len: usize| usize::try_from(count).unwrap_or(usize::MAX).min(len);
    match &args[0] {
        Value::List(items) => {
            let at = split(items.len());
            Ok(Value::List(
                if take { &items[..at] } else { &items[at..] }.to_vec(),
            ))
        }
        Value::String(s) => {
            let units = utf16(s);
            let at = split(units.len());
            Ok(Value::String(from_utf16(if take {
                &units[..at]
            } else {
                &units[at..]
            })))
        }
        Value::Null => Ok(Value::Null),
        other => fail(
            name,
            &format!("expects a string or an array, got {}", other.type_name()),
        ),
    }
}

fn create_object(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    if !args.len().is_multiple_of(2) {
        return fail(name, "expects key/value pairs");
    }
    let mut map = BTreeMap::new();
    for pair in args.chunks(2) {
        match &pair[0] {
            Value::String(k) => {
                map.insert(k.clone(), pair[1].clone());
            }
            Value::Unknown => return Ok(Value::Unknown),
            _ => return fail(name, "keys must be strings"),
        }
    }
    Ok(Value::Object(map))
}

/// `union`: arrays without duplicates in first-seen order, or objects merged with later
/// values winning and nested objects merged deeply.
fn union(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, usize::MAX)?;
    if args.iter().all(|a| matches!(a, Value::Object(_))) {
        let mut out = BTreeMap::new();
        for map in args.iter().filter_map(Value::as_object) {
            merge_into(&mut out, map);
        }
        return Ok(Value::Object(out));
    }
    let Some(lists) = args.iter().map(Value::as_list).collect::<Option<Vec<_>>>() else {
        return fail(name, "expects all arrays or all objects");
    };
    let mut out: Vec<Value> = Vec::new();
    for item in lists.into_iter().flatten() {
        match out
            .iter()
            .map(|seen| deep_eq(seen, item))
            .try_fold(false, |any, eq| Some(any || eq?))
        {
            Some(true) => {}
            Some(false) => out.push(item.clone()),
            None => return Ok(Value::Unknown),
        }
    }
    Ok(Value::List(out))
}

fn merge_into(out: &mut BTreeMap<String, Value>, map: &BTreeMap<String, Value>) {
    for (k, v) in map {
        match (out.get_mut(k), v) {
            (Some(Value::Object(existing)), Value::Object(nested)) => merge_into(existing, nested),
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
}

/// `intersection`: elements (or key/value pairs) present in every argument.
fn intersection(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 2, usize::MAX)?;
    if let Some(maps) = args
        .iter()
        .map(Value::as_object)
        .collect::<Option<Vec<_>>>()
    {
        let mut out = BTreeMap::new();
        for (k, v) in maps[0] {
            let mut everywhere = true;
            for other in &maps[1..] {
                match other.get(k).map(|o| deep_eq(o, v)) {
                    Some(Some(true)) => {}
                    Some(None) => return Ok(Value::Unknown),
                    _ => everywhere = false,
                }
            }
            if everywhere {
                out.insert(k.clone(), v.clone());
            }
        }
        return Ok(Value::Object(out));
    }
    let Some(lists) = args.iter().map(Value::as_list).collect::<Option<Vec<_>>>() else {
        return fail(name, "expects all arrays or all objects");
    };
    if args.iter().any(Value::contains_unknown) {
        return Ok(Value::Unknown);
    }
    let mut out: Vec<Value> = Vec::new();
    for item in lists[0] {
        if !out.contains(item) && lists[1..].iter().all(|l| l.contains(item)) {
            out.push(item.clone());
        }
    }
    Ok(Value::List(out))
}

/// `items(object)`: `[{key, value}]`, ordered by key.
fn items(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    let map = object_arg(name, args)?;
    Ok(Value::List(
        map.iter()
            .map(|(k, v)| {
                let mut entry = BTreeMap::new();
                entry.insert("key".to_owned(), Value::from(k.as_str()));
                entry.insert("value".to_owned(), v.clone());
                Value::Object(entry)
            })
            .collect(),
    ))
}

fn object_arg<'a>(name: &str, args: &'a [Value]) -> Result<&'a BTreeMap<String, Value>, EvalError> {
    arity(name, args, 1, 1)?;
    args[0]
        .as_object()
        .ok_or_else(|| EvalError::new(format!("{name}(): expects an object")))
}

/// `shallowMerge([objects])`: later top-level keys win.
fn shallow_merge(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    let Some(list) = args[0].as_list() else {
        return fail(name, "expects an array of objects");
    };
    let mut out = BTreeMap::new();
    for item in list {
        match item {
            Value::Object(map) => out.extend(map.iter().map(|(k, v)| (k.clone(), v.clone()))),
            Value::Unknown => return Ok(Value::Unknown),
            _ => return fail(name, "expects an array of objects"),
        }
    }
    Ok(Value::Object(out))
}

/// `range(start, count)`.
fn range(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 2, 2)?;
    let (start, count) = (int_arg(name, args, 0)?, int_arg(name, args, 1)?);
    if !(0..=MAX_RANGE).contains(&count)
        || start
            .checked_add(count)
            .is_none_or(|end| end > i64::from(i32::MAX))
    {
        return fail(
            name,
            "count must be 0 to 10000 and start + count must fit an int",
        );
    }
    Ok(Value::List(
        (start..start + count)
            .map(|n| Value::Number(n as f64))
            .collect(),
    ))
}

/// `min` / `max` of numbers, given as arguments or as one array.
fn extreme(name: &str, args: &[Value], better: fn(f64, f64) -> bool) -> Result<Value, EvalError> {
    arity(name, args, 1, usize::MAX)?;
    let values = match args {
        [Value::List(items)] => items.as_slice(),
        _ => args,
    };
    let mut best: Option<f64> = None;
    for v in values {
        match v {
            Value::Number(n) => {
                best = Some(best.map_or(*n, |b| if better(*n, b) { *n } else { b }))
            }
            Value::Unknown => return Ok(Value::Unknown),
            other => return fail(name, &format!("expects numbers, got {}", other.type_name())),
        }
    }
    best.map(Value::Number)
        .ok_or_else(|| EvalError::new(format!("{name}(): needs at least one number")))
}

/// `coalesce`: the first non-null argument; unknown if an unknown comes first.
fn coalesce(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, usize::MAX)?;
    Ok(args
        .iter()
        .find(|v| !matches!(v, Value::Null))
        .cloned()
        .unwrap_or(Value::Null))
}

/// `flatten([[...], [...]])`: one level.
fn flatten(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    let Some(items) = args[0].as_list() else {
        return fail(name, "expects an array of arrays");
    };
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::List(inner) => out.extend(inner.iter().cloned()),
            Value::Unknown => return Ok(Value::Unknown),
            _ => return fail(name, "expects an array of arrays"),
        }
    }
    Ok(Value::List(out))
}

/// `tryGet(value, keyOrIndex, ...)`: `null` where anything along the path is missing.
fn try_get(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 2, usize::MAX)?;
    let mut current = args[0].clone();
    for key in &args[1..] {
        current = match (&current, key) {
            (Value::Object(map), Value::String(k)) => {
                get_ci(map, k).cloned().unwrap_or(Value::Null)
            }
            (Value::List(items), Value::Number(i)) => {
                let found = (i.fract() == 0.0 && *i >= 0.0)
                    .then(|| items.get(*i as usize))
                    .flatten();
                found.cloned().unwrap_or(Value::Null)
            }
            (Value::Unknown, _) | (_, Value::Unknown) => return Ok(Value::Unknown),
            (Value::Object(_) | Value::List(_), _) => {
                return fail(name, "keys must be strings and indexes integers")
            }
            _ => Value::Null,
        };
    }
    Ok(current)
}

/// `join(array, delimiter)`.
fn join(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 2, 2)?;
    let delimiter = str_arg(name, args, 1)?;
    let Some(items) = args[0].as_list() else {
        return fail(name, "expects an array");
    };
    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::Unknown => return Ok(Value::Unknown),
            _ => match to_text(item) {
                Some(text) => parts.push(text),
                None => return fail(name, "array elements must be scalars"),
            },
        }
    }
    Ok(Value::String(parts.join(delimiter)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::from(v)
    }

    fn n(v: f64) -> Value {
        Value::Number(v)
    }

    fn list(items: &[Value]) -> Value {
        Value::List(items.to_vec())
    }

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    fn run(name: &str, args: &[Value]) -> Value {
        call(name, args).unwrap().unwrap()
    }

    #[test]
    fn concat_strings_numbers_and_arrays() {
        assert_eq!(
            run("concat", &[s("a"), n(1.0), Value::Bool(true)]),
            s("a1True")
        );
        assert_eq!(
            run("concat", &[list(&[n(1.0)]), list(&[n(2.0)])]),
            list(&[n(1.0), n(2.0)])
        );
        assert!(call("concat", &[list(&[]), s("a")]).unwrap().is_err());
    }

    #[test]
    fn union_and_intersection() {
        assert_eq!(
            run("union", &[list(&[n(1.0), n(2.0)]), list(&[n(2.0), n(3.0)])]),
            list(&[n(1.0), n(2.0), n(3.0)])
        );
        let a = obj(&[
            ("p", obj(&[("one", s("a")), ("three", s("c1"))])),
            ("arr", list(&[n(1.0)])),
        ]);
        let b = obj(&[("p", obj(&[("three", s("c2"))])), ("arr", list(&[n(2.0)]))]);
        assert_eq!(
            run("union", &[a, b]),
            obj(&[
                ("p", obj(&[("one", s("a")), ("three", s("c2"))])),
                ("arr", list(&[n(2.0)]))
            ])
        );
        assert_eq!(
            run(
                "intersection",
                &[list(&[s("a"), s("b")]), list(&[s("b"), s("c")])]
            ),
            list(&[s("b")])
        );
        assert_eq!(
            run(
                "intersection",
                &[
                    obj(&[("a", n(1.0)), ("b", n(2.0))]),
                    obj(&[("a", n(1.0)), ("b", n(3.0))])
                ]
            ),
            obj(&[("a", n(1.0))])
        );
    }

    #[test]
    fn first_last_take_skip_length() {
        assert_eq!(run("first", &[s("abc")]), s("a"));
        assert_eq!(run("last", &[list(&[n(1.0), n(2.0)])]), n(2.0));
        assert_eq!(run("first", &[list(&[])]), Value::Null);
        assert_eq!(run("last", &[s("")]), s(""));
        assert_eq!(run("take", &[s("abc"), n(5.0)]), s("abc"));
        assert_eq!(
            run("skip", &[list(&[n(1.0), n(2.0)]), n(-3.0)]),
            list(&[n(1.0), n(2.0)])
        );
        assert_eq!(run("length", &[s("a😀")]), n(3.0));
        assert_eq!(run("length", &[obj(&[("a", n(1.0))])]), n(1.0));
    }

    #[test]
    fn contains_and_empty() {
        assert_eq!(
            run("contains", &[s("OneTwo"), s("two")]),
            Value::Bool(false)
        );
        assert_eq!(
            run("contains", &[obj(&[("Key", n(1.0))]), s("key")]),
            Value::Bool(true)
        );
        assert_eq!(
            run("contains", &[list(&[s("a"), Value::Unknown]), s("a")]),
            Value::Bool(true)
        );
        assert_eq!(
            run("contains", &[list(&[Value::Unknown]), s("a")]),
            Value::Unknown
        );
        assert_eq!(run("empty", &[Value::Null]), Value::Bool(true));
        assert_eq!(run("empty", &[obj(&[])]), Value::Bool(true));
    }

    #[test]
    fn misc_collection_functions() {
        assert_eq!(
            run("range", &[n(5.0), n(3.0)]),
            list(&[n(5.0), n(6.0), n(7.0)])
        );
        assert!(call("range", &[n(0.0), n(10_001.0)]).unwrap().is_err());
        assert_eq!(run("max", &[list(&[n(1.0), n(7.0)])]), n(7.0));
        assert_eq!(run("min", &[n(3.0), n(-2.0)]), n(-2.0));
        assert_eq!(run("coalesce", &[Value::Null, s("x")]), s("x"));
        assert_eq!(
            run("coalesce", &[Value::Null, Value::Unknown, s("x")]),
            Value::Unknown
        );
        assert_eq!(
            run("flatten", &[list(&[list(&[n(1.0)]), list(&[n(2.0)])])]),
            list(&[n(1.0), n(2.0)])
        );
        assert_eq!(run("join", &[list(&[s("a"), n(1.0)]), s(",")]), s("a,1"));
        assert_eq!(
            run(
                "tryget",
                &[obj(&[("a", obj(&[("B", n(1.0))]))]), s("a"), s("b")]
            ),
            n(1.0)
        );
        assert_eq!(run("tryget", &[list(&[n(1.0)]), n(4.0)]), Value::Null);
        assert_eq!(
            run("items", &[obj(&[("b", n(2.0)), ("a", n(1.0))])]),
            list(&[
                obj(&[("key", s("a")), ("value", n(1.0))]),
                obj(&[("key", s("b")), ("value", n(2.0))])
            ])
        );
        assert_eq!(run("objectkeys", &[obj(&[("x", n(1.0))])]), list(&[s("x")]));
        assert_eq!(
            run("createobject", &[s("a"), Value::Unknown]),
            obj(&[("a", Value::Unknown)])
        );
        assert_eq!(run("array", &[s("a")]), list(&[s("a")]));
    }
}
