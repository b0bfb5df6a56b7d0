//! `for` expressions: list and object forms, `if` filters and `...` grouping.

use std::collections::BTreeMap;

use hcl_edit::expr::ForExpr;

use super::ops::{operand_bool, scalar_text};
use super::{EvalError, EvalResult, Evaluator};
use crate::eval::value::Value;

/// The (key, value) pairs a `for` iterates: list index / element or object key / value.
/// `None` when the collection is unknown; null and scalars are errors.
pub(super) fn iteration_pairs(collection: Value) -> Result<Option<Vec<(Value, Value)>>, EvalError> {
    match collection {
        Value::Unknown => Ok(None),
        v if v.is_symbolic() => Ok(None),
        Value::List(items) => Ok(Some(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect(),
        )),
        Value::Object(map) => Ok(Some(
            map.into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect(),
        )),
        _ => Err(EvalError),
    }
}

/// What one iteration contributes.
enum Item {
    /// Filtered out by the `if` clause.
    Skip,
    /// The filter or key is unknown: so is the whole result.
    Unknown,
    /// An element (list form) or key and element (object form).
    Keep(Option<String>, Value),
}

impl Evaluator<'_> {
    /// Evaluates `[for ...]` or `{for ...}`.
    pub(super) fn eval_for(&mut self, f: &ForExpr) -> EvalResult {
        let Some(pairs) = iteration_pairs(self.eval(&f.intro.collection_expr)?)? else {
            return Ok(Value::Unknown);
        };
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        for (key, value) in pairs {
            let mut bindings = vec![(f.intro.value_var.as_str().to_owned(), value)];
            if let Some(key_var) = &f.intro.key_var {
                bindings.push((key_var.as_str().to_owned(), key));
            }
            match self.with_locals(bindings, |this| this.for_item(f))? {
                Item::Skip => {}
                Item::Unknown => return Ok(Value::Unknown),
                Item::Keep(None, value) => list.push(value),
                Item::Keep(Some(key), value) if f.grouping => match map.get_mut(&key) {
                    Some(Value::List(group)) => group.push(value),
                    _ => {
                        map.insert(key, Value::List(vec![value]));
                    }
                },
                Item::Keep(Some(key), value) => {
                    if map.insert(key, value).is_some() {
                        return Err(EvalError);
                    }
                }
            }
        }
        Ok(if f.key_expr.is_some() {
            Value::Object(map)
        } else {
            Value::List(list)
        })
    }

    fn for_item(&mut self, f: &ForExpr) -> Result<Item, EvalError> {
        if let Some(cond) = &f.cond {
            match operand_bool(&self.eval(&cond.expr)?)? {
                None => return Ok(Item::Unknown),
                Some(false) => return Ok(Item::Skip),
                Some(true) => {}
            }
        }
        let key = match &f.key_expr {
            None => None,
            Some(expr) => match scalar_text(&self.eval(expr)?)? {
                None => return Ok(Item::Unknown),
                key => key,
            },
        };
        Ok(Item::Keep(key, self.eval(&f.value_expr)?))
    }
}
