//! Traversals: attribute access, indexing and splats, with root variables from the Scope.

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};

use super::{EvalError, EvalResult, Evaluator};
use crate::eval::value::{format_number, Value};

impl Evaluator<'_> {
    /// Evaluates `root.a.b[i]...`: local iterators first, then the Scope, which may consume
    /// the leading static attribute names.
    pub(super) fn eval_traversal(&mut self, traversal: &Traversal) -> EvalResult {
        let ops: Vec<&TraversalOperator> =
            traversal.operators.iter().map(|op| op.value()).collect();
        match &traversal.expr {
            Expression::Variable(root)
                if self.local(root.as_str()).is_none() && !self.in_template_file =>
            {
                let attrs: Vec<&str> = ops
                    .iter()
                    .map_while(|op| match op {
                        TraversalOperator::GetAttr(name) => Some(name.as_str()),
                        _ => None,
                    })
                    .collect();
                let (value, consumed) =
                    self.scope.resolve(root.as_str(), &attrs).ok_or(EvalError)?;
                let rest = ops.get(consumed.min(attrs.len())..).unwrap_or_default();
                self.apply(value, rest)
            }
            base => {
                let value = self.eval(base)?;
                self.apply(value, &ops)
            }
        }
    }

    /// Applies traversal operators to a value.
    fn apply(&mut self, mut value: Value, ops: &[&TraversalOperator]) -> EvalResult {
        let mut i = 0;
        while let Some(op) = ops.get(i) {
            i += 1;
            value = match op {
                TraversalOperator::GetAttr(name) => get_attr(value, name.as_str())?,
                TraversalOperator::Index(expr) => {
                    let key = self.eval(expr)?;
                    index(value, &key)?
                }
                TraversalOperator::LegacyIndex(n) => {
                    index(value, &Value::Number(*n.value() as f64))?
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = ops.get(i..).unwrap_or_default();
                    let extent = if matches!(op, TraversalOperator::FullSplat(_)) {
                        rest.len()
                    } else {
                        rest.iter()
                            .take_while(|op| {
                                matches!(
                                    op,
                                    TraversalOperator::GetAttr(_)
                                        | TraversalOperator::LegacyIndex(_)
                                )
                            })
                            .count()
                    };
                    let each = rest.get(..extent).unwrap_or_default();
                    i += extent;
                    self.splat(value, each)?
                }
            };
        }
        Ok(value)
    }

    /// Applies `each` to every element; a non-list is treated as a one-element list, null
    /// as an empty one.
    fn splat(&mut self, value: Value, each: &[&TraversalOperator]) -> EvalResult {
        let items = match value {
            Value::Unknown => return Ok(Value::Unknown),
            v if v.is_symbolic() => return Ok(Value::Unknown),
            Value::Null => Vec::new(),
            Value::List(items) => items,
            other => vec![other],
        };
        items
            .into_iter()
            .map(|item| self.apply(item, each))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::List)
    }
}

/// `value.name`: objects only; a missing attribute is an error.
fn get_attr(value: Value, name: &str) -> EvalResult {
    match value {
        Value::Unknown => Ok(Value::Unknown),
        v if v.is_symbolic() => Ok(Value::Unknown),
        Value::Object(mut map) => map.remove(name).ok_or(EvalError),
        _ => Err(EvalError),
    }
}

/// `value[key]`: lists by whole in-range number, objects by string key.
fn index(value: Value, key: &Value) -> EvalResult {
    match (value, key) {
        (Value::Unknown, _) | (_, Value::Unknown) => Ok(Value::Unknown),
        (v, k) if v.is_symbolic() || k.is_symbolic() => Ok(Value::Unknown),
        (Value::List(mut items), key) => {
            let n = key.as_f64().ok_or(EvalError)?;
            if n.fract() != 0.0 || n < 0.0 || n >= items.len() as f64 {
                return Err(EvalError);
            }
            Ok(items.swap_remove(n as usize))
        }
        (Value::Object(mut map), key) => {
            let key = match key {
                Value::String(s) => s.clone(),
                Value::Number(n) => format_number(*n),
                Value::Bool(b) => b.to_string(),
                _ => return Err(EvalError),
            };
            map.remove(&key).ok_or(EvalError)
        }
        _ => Err(EvalError),
    }
}
