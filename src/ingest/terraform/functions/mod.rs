//! Terraform's built-in function library.
//!
//! `try` and `can` need unevaluated arguments and live in the evaluator. Every other
//! function is dispatched here by name. Unless a function is [`Func::Lenient`], an argument
//! containing an unknown anywhere makes its result unknown; a wholly unknown argument always
//! does.

mod args;
mod collection;
mod encoding;
mod filesystem;
mod format;
mod hash;
mod network;
mod numeric;
mod regex;
mod sets;
mod string;
mod symbolic;
mod type_conversion;

use super::eval::{evaluate_template_file, EvalError, EvalResult, Scope};
use crate::eval::budget::Measure;
use crate::eval::value::Value;

/// A function implementation and how it treats unknown arguments.
#[derive(Clone, Copy)]
enum Func {
    /// Unknown anywhere in the arguments → unknown result.
    Strict(fn(&[Value]) -> EvalResult),
    /// Only wholly unknown arguments short-circuit; nested unknowns are carried through.
    Lenient(fn(&[Value]) -> EvalResult),
    /// Needs the scope (file access); strict about unknowns only at the top level.
    Scoped(fn(&[Value], &dyn Scope) -> EvalResult),
}

/// Functions that exist in Terraform but whose result cannot be known statically
/// (nondeterministic, or not implemented here).
const UNKNOWABLE: &[&str] = &[
    "uuid",
    "timestamp",
    "plantimestamp",
    "bcrypt",
    "timeadd",
    "timecmp",
    "formatdate",
    "yamlencode",
    "yamldecode",
    "csvdecode",
    "base64gzip",
    "textencodebase64",
    "textdecodebase64",
    "templatestring",
    "fileset",
    "filebase64sha512",
    "sha512",
    "base64sha512",
    "rsadecrypt",
    "type",
    "ephemeralasnull",
    "issensitive",
];

/// Calls Terraform function `name`; errors and unknown functions yield `Value::Unknown`.
#[cfg(test)]
pub fn call(name: &str, args: Vec<Value>, scope: &dyn Scope) -> Value {
    call_checked(name, args, scope).unwrap_or(Value::Unknown)
}

/// Calls Terraform function `name`, keeping errors apart from unknown results.
pub(crate) fn call_checked(name: &str, args: Vec<Value>, scope: &dyn Scope) -> EvalResult {
    let Some(func) = lookup(name) else {
        return if UNKNOWABLE.contains(&name) {
            Ok(Value::Unknown)
        } else {
            Err(EvalError)
        };
    };
    if args.iter().any(Value::is_unknown) {
        return Ok(Value::Unknown);
    }
    if let Some(v) = symbolic::call(name, &args) {
        return Ok(v);
    }
    let result = match func {
        Func::Strict(_) if args.iter().any(Value::contains_unknown) => return Ok(Value::Unknown),
        Func::Strict(f) | Func::Lenient(f) => f(&args),
        Func::Scoped(f) => f(&args, scope),
    };
    // Regex matching is work too: a backtracking pattern in a `for` spends the unit's
    // budget; so does a result too large for any unit.
    let matching = regex::take_steps();
    let oversized = if args::take_too_large() { u64::MAX } else { 0 };
    match scope.budget() {
        Some(budget)
            if !(budget.charge(Measure::Steps, matching)
                && budget.charge(Measure::Size, oversized)) =>
        {
            Err(EvalError)
        }
        _ => result,
    }
}

fn lookup(name: &str) -> Option<Func> {
    string::lookup(name)
        .or_else(|| format::lookup(name))
        .or_else(|| collection::lookup(name))
        .or_else(|| sets::lookup(name))
        .or_else(|| numeric::lookup(name))
        .or_else(|| encoding::lookup(name))
        .or_else(|| hash::lookup(name))
        .or_else(|| network::lookup(name))
        .or_else(|| type_conversion::lookup(name))
        .or_else(|| filesystem::lookup(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scope with nothing in it, for calling functions directly.
    pub(super) struct Empty;

    impl Scope for Empty {
        fn resolve(&self, _root: &str, _attrs: &[&str]) -> Option<(Value, usize)> {
            None
        }
    }

    /// Shorthand for building argument lists in tests.
    pub(super) fn s(text: &str) -> Value {
        Value::from(text)
    }

    /// Shorthand for a list of strings.
    pub(super) fn strs(items: &[&str]) -> Value {
        Value::List(items.iter().map(|t| s(t)).collect())
    }

    /// Calls a function and returns `None` for an error.
    pub(super) fn run(name: &str, args: Vec<Value>) -> Option<Value> {
        call_checked(name, args, &Empty).ok()
    }

    /// Every function name dispatched here (for the exhaustive no-panic test).
    const ALL: &[&str] = &[
        "lower",
        "upper",
        "title",
        "strrev",
        "trimspace",
        "chomp",
        "trim",
        "trimprefix",
        "trimsuffix",
        "startswith",
        "endswith",
        "strcontains",
        "split",
        "join",
        "substr",
        "replace",
        "indent",
        "regex",
        "regexall",
        "format",
        "formatlist",
        "length",
        "element",
        "concat",
        "merge",
        "lookup",
        "keys",
        "values",
        "slice",
        "reverse",
        "one",
        "coalesce",
        "coalescelist",
        "chunklist",
        "zipmap",
        "flatten",
        "compact",
        "index",
        "contains",
        "distinct",
        "sort",
        "range",
        "alltrue",
        "anytrue",
        "transpose",
        "matchkeys",
        "setunion",
        "setintersection",
        "setsubtract",
        "setproduct",
        "abs",
        "ceil",
        "floor",
        "signum",
        "log",
        "pow",
        "max",
        "min",
        "sum",
        "parseint",
        "base64encode",
        "base64decode",
        "jsonencode",
        "jsondecode",
        "urlencode",
        "md5",
        "sha1",
        "sha256",
        "base64sha256",
        "uuidv5",
        "cidrsubnet",
        "cidrsubnets",
        "cidrhost",
        "cidrnetmask",
        "tostring",
        "tonumber",
        "tobool",
        "tolist",
        "toset",
        "tomap",
        "sensitive",
        "nonsensitive",
        "file",
        "fileexists",
        "filebase64",
        "filemd5",
        "filesha1",
        "filesha256",
        "filebase64sha256",
        "templatefile",
        "abspath",
        "dirname",
        "basename",
        "pathexpand",
    ];

    #[test]
    fn every_function_survives_hostile_arguments() {
        let pool = vec![
            Value::Null,
            Value::Unknown,
            Value::Bool(true),
            Value::Number(-1.0),
            Value::Number(1e300),
            Value::Number(2.5),
            Value::Number(f64::NAN),
            s(""),
            s("10.0.0.0/8"),
            s("%-99999d%[9]q%"),
            s("/(a*)*$/"),
            s("é\n~"),
            strs(&["a", "", "a"]),
            Value::List(vec![Value::Null, Value::Unknown, strs(&["x"])]),
            Value::Object([("k".to_string(), strs(&["v"]))].into_iter().collect()),
        ];
        for name in ALL {
            assert!(lookup(name).is_some(), "{name} is not dispatched");
            let _ = call(name, vec![], &Empty);
            for a in &pool {
                let _ = call(name, vec![a.clone()], &Empty);
                for b in &pool {
                    let _ = call(name, vec![a.clone(), b.clone()], &Empty);
                    for c in &pool {
                        let _ = call(name, vec![a.clone(), b.clone(), c.clone()], &Empty);
                    }
                }
            }
        }
    }

    #[test]
    fn dispatch_distinguishes_errors_from_unknowns() {
        assert_eq!(run("nosuchfunction", vec![]), None);
        assert_eq!(run("uuid", vec![]), Some(Value::Unknown));
        assert_eq!(run("upper", vec![Value::Unknown]), Some(Value::Unknown));
        assert_eq!(call("upper", vec![Value::Null], &Empty), Value::Unknown);
        assert_eq!(
            run("length", vec![Value::List(vec![Value::Unknown, s("a")])]),
            Some(Value::Number(2.0))
        );
        assert_eq!(
            run("join", vec![s(","), Value::List(vec![Value::Unknown])]),
            Some(Value::Unknown)
        );
    }
}
