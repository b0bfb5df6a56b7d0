//! Built-in functions on symbolic strings (unknowns with identity, see
//! [`crate::eval::symbolic`]): functions that only build text keep them, deterministic
//! text functions give a symbolic result standing for the call, and everything that needs
//! the real text (lengths, comparisons, numbers) gives `Unknown`.

use super::to_text;
use crate::eval::symbolic;
use crate::eval::value::Value;

/// Functions that only place their arguments into a result: symbolic text passes through.
const BUILDERS: &[&str] = &[
    "concat",
    "format",
    "join",
    "string",
    "array",
    "createarray",
    "createobject",
    "coalesce",
    "if",
    "resourceid",
    "subscriptionresourceid",
    "tenantresourceid",
    "extensionresourceid",
    "managementgroupresourceid",
    "resourcegroup",
    "subscription",
];

/// Deterministic functions returning text: on symbolic input, a symbolic result.
const TEXT_FUNCTIONS: &[&str] = &[
    "uniquestring",
    "guid",
    "substring",
    "replace",
    "trim",
    "padleft",
    "base64",
    "uricomponent",
    "uri",
    "datauri",
    "take",
    "skip",
];

/// Functions that compare values anywhere inside their arguments.
const COMPARING: &[&str] = &[
    "equals",
    "contains",
    "indexof",
    "lastindexof",
    "intersection",
    "less",
    "lessorequals",
    "greater",
    "greaterorequals",
];

/// What calling `name` (lower-case) on `args` gives when an argument it reads as text is
/// symbolic; `None` otherwise (or when `name` builds text): the function runs as usual.
/// Collections merely carried (`union`, `length` of an array) run as usual too.
pub(super) fn call(name: &str, args: &[Value]) -> Option<Value> {
    if BUILDERS.contains(&name) || !symbolic::reads_symbol(name, args, COMPARING) {
        return None;
    }
    match (name, args) {
        ("equals", [a, b]) if a == b => Some(Value::Bool(true)),
        ("tolower", [Value::String(s)]) => {
            Some(Value::String(symbolic::map_literal(s, str::to_lowercase)))
        }
        ("toupper", [Value::String(s)]) => {
            Some(Value::String(symbolic::map_literal(s, str::to_uppercase)))
        }
        (_, [Value::String(_), ..]) if TEXT_FUNCTIONS.contains(&name) => {
            let texts: Option<Vec<String>> = args.iter().map(to_text).collect();
            Some(texts.map_or(Value::Unknown, |t| Value::String(symbolic::call(name, &t))))
        }
        _ => Some(Value::Unknown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sym(p: &str) -> Value {
        Value::String(symbolic::marker(p))
    }

    #[test]
    fn builders_run_as_usual_and_known_arguments_too() {
        assert_eq!(call("concat", &[sym("p")]), None);
        assert_eq!(call("length", &[Value::from("abc")]), None);
    }

    #[test]
    fn hashes_are_symbolic_and_alike_for_alike_inputs() {
        let a = call("uniquestring", &[sym("p")]);
        assert_eq!(a, call("uniquestring", &[sym("p")]));
        assert_ne!(a, call("uniquestring", &[sym("q")]));
        assert!(a.is_some_and(|v| v.is_symbolic()));
    }

    #[test]
    fn what_needs_the_real_text_is_unknown() {
        assert_eq!(call("length", &[sym("p")]), Some(Value::Unknown));
        assert_eq!(
            call("startswith", &[sym("p"), Value::from("a")]),
            Some(Value::Unknown)
        );
    }

    #[test]
    fn collections_carrying_symbols_are_handled_as_usual() {
        let list = Value::List(vec![sym("p")]);
        assert_eq!(call("length", std::slice::from_ref(&list)), None);
        assert_eq!(call("union", &[list.clone(), list.clone()]), None);
        assert_eq!(
            call("contains", &[list.clone(), Value::from("x")]),
            Some(Value::Unknown)
        );
        let object = Value::Object([("a".to_owned(), list)].into());
        assert_eq!(call("contains", &[object, Value::from("a")]), None);
    }

    #[test]
    fn case_changes_only_literal_parts() {
        let v = call(
            "tolower",
            &[Value::String(format!("A{}", symbolic::marker("P")))],
        );
        assert_eq!(
            v,
            Some(Value::String(format!("a{}", symbolic::marker("P"))))
        );
    }
}
