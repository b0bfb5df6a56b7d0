//! Function calls: `az.` / `sys.` namespaces, the lambda functions, user-defined functions,
//! scope functions with arguments, `load*Content`, and everything else through the shared
//! ARM function library. Instance functions of resources (`stg.listKeys()`) and secrets
//! are only known at deployment: `Unknown`.

use std::collections::BTreeMap;
use std::path::Path;

use super::super::ast::{Expr, ExprKind, Ident};
use super::deployment::Symbol;
use super::eval::Eval;
use crate::eval::value::Value;
use crate::ingest::arm::expr::call_function;
use crate::ingest::arm::{resource_group_object, subscription_object};

/// Files read by `load*Content` larger than this are not read.
const MAX_LOADED_BYTES: usize = 4 * 1024 * 1024;

/// Calls `receiver.name(args)` or `name(args)`.
pub fn call(ev: &mut Eval<'_, '_>, receiver: Option<&Expr>, name: &str, args: &[Expr]) -> Value {
    match receiver.map(|r| &r.kind) {
        None => {
            if let Some(Symbol::Func(f)) = ev.dep.symbol(name) {
                let f = *f;
                let values: Vec<Value> = args.iter().map(|a| ev.eval(a)).collect();
                let bindings = f
                    .params
                    .iter()
                    .map(|p| p.name.name.clone())
                    .zip(values)
                    .collect();
                let mut inner = Eval::new(ev.dep);
                return inner.eval_with(bindings, &f.body);
            }
            builtin(ev, name, args)
        }
        Some(ExprKind::Variable(Ident { name: ns, .. })) if ns == "az" || ns == "sys" => {
            builtin(ev, name, args)
        }
        Some(_) => Value::Unknown,
    }
}

fn builtin(ev: &mut Eval<'_, '_>, name: &str, args: &[Expr]) -> Value {
    let lower = name.to_ascii_lowercase();
    if let Some(v) = lambda_function(ev, &lower, args) {
        return v;
    }
    let values: Vec<Value> = args.iter().map(|a| ev.eval(a)).collect();
    match (lower.as_str(), values.as_slice()) {
        ("any", [v]) => v.clone(),
        ("resourcegroup", [Value::String(rg)]) => {
            resource_group_object(&ev.dep.target.subscription, rg)
        }
        ("resourcegroup", [Value::String(sub), Value::String(rg)]) => {
            resource_group_object(sub, rg)
        }
        ("subscription", [Value::String(sub)]) => subscription_object(sub),
        ("managementgroup", [Value::String(mg)]) => Value::Object(
            [
                (
                    "id".to_owned(),
                    Value::String(format!(
                        "/providers/Microsoft.Management/managementGroups/{mg}"
                    )),
                ),
                ("name".to_owned(), Value::from(mg.as_str())),
            ]
            .into(),
        ),
        ("tenant", []) => Value::Object([("id".to_owned(), Value::from("/"))].into()),
        ("loadtextcontent", [Value::String(path), ..]) => {
            load(ev, args, path).map_or(Value::Unknown, Value::String)
        }
        ("loadjsoncontent", [Value::String(path)]) => load(ev, args, path)
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .map_or(Value::Unknown, |j| Value::from_json(&j)),
        ("loadyamlcontent", [Value::String(path)]) => load(ev, args, path)
            .and_then(|t| serde_norway::from_str::<serde_json::Value>(&t).ok())
            .map_or(Value::Unknown, |j| Value::from_json(&j)),
        ("loadfileasbase64", [Value::String(path)]) => load(ev, args, path)
            .and_then(|t| call_function("base64", vec![Value::String(t)], ev.dep).ok())
            .unwrap_or(Value::Unknown),
        (
            "getsecret" | "readenvironmentvariable" | "externalinput" | "loaddirectoryfileinfo",
            _,
        ) => Value::Unknown,
        _ => call_function(&lower, values, ev.dep).unwrap_or(Value::Unknown),
    }
}

/// Reads a file named relative to the Bicep file, as `load*Content` does, through the
/// workspace's guard; a refused read is a warning at the path argument.
fn load(ev: &Eval<'_, '_>, args: &[Expr], path: &str) -> Option<String> {
    let dir = ev.dep.unit.path.parent().unwrap_or_else(|| Path::new(""));
    match ev.dep.ws.guard.read_text(&dir.join(path)) {
        Ok(text) => (text.len() <= MAX_LOADED_BYTES).then(|| text.to_string()),
        Err(why) => {
            if let (true, Some(arg)) = (why.is_containment(), args.first()) {
                let message = format!("file '{path}' {why}; its value is unknown");
                ev.dep.warn(arg.span, message);
            }
            None
        }
    }
}

/// The lambda `(params) => body` of an argument.
fn lambda(arg: Option<&Expr>) -> Option<(Vec<String>, &Expr)> {
    match &arg?.kind {
        ExprKind::Lambda { params, body } => {
            Some((params.iter().map(|p| p.name.clone()).collect(), body))
        }
        ExprKind::Paren(inner) => lambda(Some(inner)),
        _ => None,
    }
}

/// Applies a lambda to arguments (extra parameters are unbound, missing ones ignored).
fn apply(ev: &mut Eval<'_, '_>, f: &(Vec<String>, &Expr), args: Vec<Value>) -> Value {
    let bindings = f.0.iter().cloned().zip(args).collect();
    ev.eval_with(bindings, f.1)
}

/// The functions taking lambdas; `None` if `name` is not one or its lambda is missing.
fn lambda_function(ev: &mut Eval<'_, '_>, name: &str, args: &[Expr]) -> Option<Value> {
    let (first, f_at) = match name {
        "map" | "filter" | "sort" | "toobject" | "groupby" | "mapvalues" => (args.first()?, 1),
        "reduce" => (args.first()?, 2),
        _ => return None,
    };
    let f = lambda(args.get(f_at))?;
    let input = ev.eval(first);
    if let ("mapvalues", Value::Object(map)) = (name, &input) {
        let mut out = BTreeMap::new();
        for (k, v) in map {
            out.insert(k.clone(), apply(ev, &f, vec![v.clone()]));
        }
        return Some(Value::Object(out));
    }
    let Value::List(items) = input else {
        return Some(Value::Unknown);
    };
    let indexed = |i: usize| Value::Number(i as f64);
    Some(match name {
        "map" => Value::List(
            items
                .into_iter()
                .enumerate()
                .map(|(i, x)| apply(ev, &f, vec![x, indexed(i)]))
                .collect(),
        ),
        "filter" => {
            let mut out = Vec::new();
            for (i, x) in items.into_iter().enumerate() {
                match apply(ev, &f, vec![x.clone(), indexed(i)]).as_bool() {
                    Some(true) => out.push(x),
                    Some(false) => {}
                    None => return Some(Value::Unknown),
                }
            }
            Value::List(out)
        }
        "reduce" => {
            let mut acc = args.get(1).map_or(Value::Unknown, |a| ev.eval(a));
            for (i, x) in items.into_iter().enumerate() {
                acc = apply(ev, &f, vec![acc, x, indexed(i)]);
            }
            acc
        }
        "sort" => sort(ev, &f, items),
        "toobject" => {
            let value_fn = lambda(args.get(2));
            let mut out = BTreeMap::new();
            for x in items {
                let Value::String(key) = apply(ev, &f, vec![x.clone()]) else {
                    return Some(Value::Unknown);
                };
                let v = match &value_fn {
                    Some(vf) => apply(ev, vf, vec![x]),
                    None => x,
                };
                out.insert(key, v);
            }
            Value::Object(out)
        }
        "groupby" => {
            let mut out: BTreeMap<String, Value> = BTreeMap::new();
            for x in items {
                let Value::String(key) = apply(ev, &f, vec![x.clone()]) else {
                    return Some(Value::Unknown);
                };
                if let Value::List(group) = out.entry(key).or_insert(Value::List(Vec::new())) {
                    group.push(x);
                }
            }
            Value::Object(out)
        }
        _ => Value::Unknown,
    })
}

/// `sort(items, (a, b) => a < b)`: a stable insertion sort (the comparator is not known to
/// be a total order, so no library sort that may panic on inconsistent orders).
fn sort(ev: &mut Eval<'_, '_>, f: &(Vec<String>, &Expr), items: Vec<Value>) -> Value {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for x in items {
        let mut at = out.len();
        while at > 0 {
            match apply(ev, f, vec![x.clone(), out[at - 1].clone()]).as_bool() {
                Some(true) => at -= 1,
                Some(false) => break,
                None => return Value::Unknown,
            }
        }
        out.insert(at, x);
    }
    Value::List(out)
}
