//! Type conversion functions: `tostring`, `tonumber`, `tobool`, `tolist`, `toset`, `tomap`,
//! plus `sensitive` / `nonsensitive`, which do not change the value.

use super::args;
use super::{EvalError, EvalResult, Func};
use crate::eval::value::Value;

/// The type conversion functions by name.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(match name {
        "tostring" => Func::Strict(|a| scalar(a, |v| args::string(v).map(Value::String))),
        "tonumber" => Func::Strict(|a| scalar(a, tonumber)),
        "tobool" => Func::Strict(|a| scalar(a, |v| args::boolean(v).map(Value::Bool))),
        "tolist" => Func::Lenient(tolist),
        "toset" => Func::Strict(toset),
        "tomap" => Func::Lenient(tomap),
        "sensitive" | "nonsensitive" => Func::Lenient(|a| match a {
            [v] => Ok(v.clone()),
            _ => Err(EvalError),
        }),
        _ => return None,
    })
}

/// One argument, converted by `convert` unless it is null (which stays null).
fn scalar(args: &[Value], convert: fn(&Value) -> EvalResult) -> EvalResult {
    match args {
        [Value::Null] => Ok(Value::Null),
        [v] => convert(v),
        _ => Err(EvalError),
    }
}

fn tonumber(value: &Value) -> EvalResult {
    match value {
        Value::Number(n) => Ok(Value::Number(*n)),
        Value::String(s) => args::parse_number(s).map(Value::Number).ok_or(EvalError),
        _ => Err(EvalError),
    }
}

/// Converts elements to one type as Terraform unifies them: when strings mix with numbers
/// or booleans, all become strings; numbers mixed with booleans cannot be unified.
fn unify(items: Vec<Value>) -> Result<Vec<Value>, EvalError> {
    let has = |pred: fn(&Value) -> bool| items.iter().any(pred);
    let strings = has(|v| matches!(v, Value::String(_)));
    let numbers = has(|v| matches!(v, Value::Number(_)));
    let bools = has(|v| matches!(v, Value::Bool(_)));
    if strings && (numbers || bools) {
        return items
            .into_iter()
            .map(|v| match v {
                Value::Number(_) | Value::Bool(_) => args::string(&v).map(Value::String),
                other => Ok(other),
            })
            .collect();
    }
    if numbers && bools {
        return Err(EvalError);
    }
    Ok(items)
}

fn tolist(args: &[Value]) -> EvalResult {
    match args {
        [Value::Null] => Ok(Value::Null),
        [v] => Ok(Value::List(unify(args::list(v)?.to_vec())?)),
        _ => Err(EvalError),
    }
}

fn toset(args: &[Value]) -> EvalResult {
    match args {
        [Value::Null] => Ok(Value::Null),
        [v] => Ok(Value::List(args::distinct(unify(args::list(v)?.to_vec())?))),
        _ => Err(EvalError),
    }
}

fn tomap(args: &[Value]) -> EvalResult {
    match args {
        [Value::Null] => Ok(Value::Null),
        [v] => {
            let map = args::object(v)?;
            let values = unify(map.values().cloned().collect())?;
            Ok(Value::Object(map.keys().cloned().zip(values).collect()))
        }
        _ => Err(EvalError),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, s, strs};
    use crate::eval::value::Value;

    #[test]
    fn conversions() {
        assert_eq!(run("tostring", vec![Value::Number(5.0)]), Some(s("5")));
        assert_eq!(run("tostring", vec![Value::Null]), Some(Value::Null));
        assert_eq!(run("tostring", vec![strs(&[])]), None);
        assert_eq!(run("tonumber", vec![s("1.5")]), Some(Value::Number(1.5)));
        assert_eq!(run("tonumber", vec![s("abc")]), None);
        assert_eq!(run("tonumber", vec![s("inf")]), None);
        assert_eq!(run("tobool", vec![s("true")]), Some(Value::Bool(true)));
        assert_eq!(run("tobool", vec![s("yes")]), None);
        let mixed = Value::List(vec![s("a"), Value::Number(1.0), s("a")]);
        assert_eq!(
            run("tolist", vec![mixed.clone()]),
            Some(strs(&["a", "1", "a"]))
        );
        assert_eq!(run("toset", vec![mixed]), Some(strs(&["a", "1"])));
        let partly = Value::List(vec![s("a"), Value::Unknown]);
        assert_eq!(run("tolist", vec![partly.clone()]), Some(partly));
        let map = Value::Object([("k".to_string(), Value::Bool(true))].into_iter().collect());
        assert_eq!(run("tomap", vec![map.clone()]), Some(map));
        assert_eq!(run("sensitive", vec![s("x")]), Some(s("x")));
    }
}
