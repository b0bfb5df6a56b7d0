//! Terraform functions on symbolic strings (unknowns with identity, see
//! [`crate::eval::symbolic`]): functions that only place text keep them, deterministic text
//! functions give a symbolic result standing for the call, and everything that needs the
//! real text (lengths, comparisons, numbers, lookups) gives `Unknown`.

use crate::eval::symbolic;
use crate::eval::value::Value;

/// Functions that only place their arguments into a result: symbolic text passes through.
const BUILDERS: &[&str] = &[
    "format",
    "formatlist",
    "join",
    "concat",
    "tolist",
    "toset",
    "tomap",
    "tostring",
    "merge",
    "coalesce",
    "compact",
    "flatten",
];

/// Deterministic functions returning text: on symbolic input, a symbolic result.
const TEXT_FUNCTIONS: &[&str] = &[
    "md5",
    "sha1",
    "sha256",
    "base64encode",
    "base64sha256",
    "uuidv5",
    "substr",
    "replace",
    "trim",
    "trimspace",
    "trimprefix",
    "trimsuffix",
    "title",
    "urlencode",
];

/// Functions that compare values anywhere inside their arguments.
const COMPARING: &[&str] = &[
    "contains",
    "index",
    "distinct",
    "setintersection",
    "setsubtract",
    "setunion",
    "setproduct",
    "one",
    "alltrue",
    "anytrue",
    "sum",
    "max",
    "min",
];

/// What calling `name` on `args` gives when an argument it reads as text is symbolic;
/// `None` otherwise (or when `name` builds text): the function runs as usual. Collections
/// merely carried (`length` of a list, `keys`) run as usual too.
pub(super) fn call(name: &str, args: &[Value]) -> Option<Value> {
    if BUILDERS.contains(&name) || !symbolic::reads_symbol(name, args, COMPARING) {
        return None;
    }
    match (name, args) {
        ("lower", [Value::String(s)]) => {
            Some(Value::String(symbolic::map_literal(s, str::to_lowercase)))
        }
        ("upper", [Value::String(s)]) => {
            Some(Value::String(symbolic::map_literal(s, str::to_uppercase)))
        }
        _ if TEXT_FUNCTIONS.contains(&name) => {
            let texts: Option<Vec<String>> = args.iter().map(Value::to_template_string).collect();
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
    fn hashes_of_symbolic_text_are_symbolic_and_alike() {
        let a = call("md5", &[sym("var.name")]);
        assert_eq!(a, call("md5", &[sym("var.name")]));
        assert_ne!(a, call("sha1", &[sym("var.name")]));
        assert!(a.is_some_and(|v| v.is_symbolic()));
    }

    #[test]
    fn what_needs_the_real_text_is_unknown_and_builders_run() {
        assert_eq!(call("length", &[sym("var.name")]), Some(Value::Unknown));
        assert_eq!(call("format", &[Value::from("%s"), sym("var.name")]), None);
        assert_eq!(call("upper", &[Value::from("a")]), None);
    }
}
