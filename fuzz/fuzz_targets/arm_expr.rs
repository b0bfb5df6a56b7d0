//! Feeds arbitrary UTF-8 to the ARM expression parser and evaluator: neither may panic.
#![no_main]

use moat::ingest::arm::expr::{eval_template_string, parse, try_evaluate, Context};
use moat::eval::value::Value;
use libfuzzer_sys::fuzz_target;

/// A context that knows a little of everything, so evaluation gets past lookups.
struct Dummy;

impl Context for Dummy {
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

fuzz_target!(|text: &str| {
    if let Ok(expr) = parse(text) {
        let _ = try_evaluate(&expr, &Dummy);
    }
    let _ = eval_template_string(text, &Dummy);
});
