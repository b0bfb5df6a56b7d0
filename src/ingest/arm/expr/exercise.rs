//! One entry point that parses and evaluates arbitrary text against a context that knows a
//! little of everything: what the fuzz target (`fuzz/`) and the stable stress test run.

use super::{eval_template_string, parse, try_evaluate, Context};
use crate::eval::value::Value;

/// Parses `text` as an expression and evaluates it, then evaluates it as a template string;
/// returns whether the template string evaluated. Never panics, whatever `text` is.
pub fn exercise(text: &str) -> bool {
    if let Ok(expr) = parse(text) {
        let _ = try_evaluate(&expr, &Everything);
    }
    eval_template_string(text, &Everything).is_ok()
}

/// A context that knows a little of everything, so evaluation gets past lookups.
struct Everything;

impl Context for Everything {
    fn parameter(&self, name: &str) -> Option<Value> {
        match name {
            "s" => Some(Value::from("text")),
            "n" => Some(Value::Number(3.0)),
            "u" => Some(Value::Unknown),
            "l" => Some(Value::List(vec![
                Value::from("a"),
                Value::Number(1.0),
                Value::Unknown,
            ])),
            _ => None,
        }
    }
    fn variable(&self, name: &str) -> Option<Value> {
        self.parameter(name)
    }
    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64> {
        loop_name.map_or(Some(0), |_| None)
    }
    fn resource_group(&self) -> Value {
        Value::Object([("name".to_owned(), Value::from("rg"))].into())
    }
    fn subscription(&self) -> Value {
        Value::Object([("subscriptionId".to_owned(), Value::from("sub"))].into())
    }
    fn deployment(&self) -> Value {
        Value::Unknown
    }
}
