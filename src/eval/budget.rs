//! The work one deployment unit may cost: evaluation steps, the size of the values built,
//! and the instances expanded (`count`, `for_each`, `copy`, module fan-out).
//!
//! Every evaluator (Terraform, ARM, Bicep) charges one [`Budget`] per unit — a Terraform
//! root module with the modules it calls, an ARM template with its nested deployments, a
//! Bicep root with its modules. Once any measure is spent, every further charge fails, so
//! the unit's remaining values are unknown, and [`Budget::diagnostic`] says once where the
//! budget went: the expression being evaluated when it crossed.

use std::cell::Cell;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::eval::value::Value;
use crate::model::{FileId, Span};

/// Expression nodes (and regex matching steps) one unit may evaluate.
pub const MAX_STEPS: u64 = 20_000_000;
/// The size of the values one unit may build in all: bytes of strings plus
/// [`ELEMENT_SIZE`] per element of a collection (about what they take in memory).
pub const MAX_SIZE: u64 = 512_000_000;
/// The size of the largest single value a unit may build (measured as [`MAX_SIZE`]).
pub const MAX_VALUE: u64 = 16_000_000;
/// The size of the values one unit's resources may keep (names and bodies, measured as
/// [`MAX_SIZE`]): the model copies them several times, so this bounds the memory a scan keeps.
pub const MAX_KEPT: u64 = 32_000_000;
/// The longest resource name a unit may keep (Azure's are at most a few hundred bytes; the
/// model copies a name into ids, addresses and reports many times over).
pub const MAX_NAME: usize = 4096;
/// Instances (`count` / `for_each` / `copy` items, module instances) one unit may expand.
pub const MAX_INSTANCES: u64 = 10_000;
/// What one element of a list or entry of an object counts for in a value's size.
pub const ELEMENT_SIZE: u64 = 32;
/// What an object counts for besides its entries (a map's first node takes about this).
pub const OBJECT_SIZE: u64 = 640;

/// One of the budget's measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Evaluation steps.
    Steps,
    /// Bytes of strings plus elements of collections built.
    Size,
    /// Instances expanded.
    Instances,
    /// Values kept in resources.
    Kept,
}

impl Measure {
    fn describe(self, limit: u64) -> String {
        match self {
            Measure::Steps => format!("{limit} evaluation steps"),
            Measure::Size => format!("{limit} bytes of values built"),
            Measure::Instances => format!("{limit} resource and module instances"),
            Measure::Kept => format!(
                "{limit} bytes of values kept in resources (or a name over {MAX_NAME} bytes)"
            ),
        }
    }
}

/// The work left to one deployment unit.
#[derive(Debug)]
pub struct Budget {
    limits: [u64; 4],
    used: [Cell<u64>; 4],
    /// The expression being evaluated, charged for what happens now.
    site: Cell<Option<Span>>,
    /// The measure that ran out, and the expression being evaluated then.
    spent: Cell<Option<(Measure, Option<Span>)>>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::with_limits(MAX_STEPS, MAX_SIZE, MAX_INSTANCES)
    }
}

impl Budget {
    /// A budget with the default limits.
    pub fn new() -> Budget {
        Budget::default()
    }

    /// A budget with other limits (tests); resources keep at most [`MAX_KEPT`].
    pub fn with_limits(steps: u64, size: u64, instances: u64) -> Budget {
        Budget {
            limits: [steps, size, instances, MAX_KEPT],
            used: Default::default(),
            site: Cell::new(None),
            spent: Cell::new(None),
        }
    }

    /// Charges `amount` of `measure`; `false` (and nothing more may be done) once the
    /// budget is spent.
    pub fn charge(&self, measure: Measure, amount: u64) -> bool {
        if self.spent.get().is_some() {
            return false;
        }
        let i = measure as usize;
        let used = self.used[i].get().saturating_add(amount);
        self.used[i].set(used);
        if used > self.limits[i] {
            self.spent.set(Some((measure, self.site.get())));
            return false;
        }
        true
    }

    /// Charges one evaluation step.
    pub fn step(&self) -> bool {
        self.charge(Measure::Steps, 1)
    }

    /// Charges the size of a value built (see [`size_up_to`]), measuring no further than
    /// what is left; a single value larger than [`MAX_VALUE`] spends the budget too.
    pub fn charge_value(&self, value: &Value) -> bool {
        let i = Measure::Size as usize;
        let room = self.limits[i].saturating_sub(self.used[i].get());
        let size = size_up_to(value, room.min(MAX_VALUE).saturating_add(1));
        if size > MAX_VALUE {
            return self.charge(Measure::Size, room.saturating_add(1));
        }
        self.charge(Measure::Size, size)
    }

    /// Charges a value a resource keeps (its name, a property of its body); `false` when
    /// the budget is spent: the caller keeps an unknown value instead.
    pub fn keep(&self, value: &Value) -> bool {
        let i = Measure::Kept as usize;
        let room = self.limits[i].saturating_sub(self.used[i].get());
        self.charge(Measure::Kept, size_up_to(value, room.saturating_add(1)))
    }

    /// [`Budget::keep`] for a resource name; a name longer than [`MAX_NAME`] spends the
    /// budget.
    pub fn keep_name(&self, name: &str) -> bool {
        let size = if name.len() > MAX_NAME {
            u64::MAX
        } else {
            name.len() as u64
        };
        self.charge(Measure::Kept, size)
    }

    /// Whether the budget is spent.
    pub fn is_spent(&self) -> bool {
        self.spent.get().is_some()
    }

    /// Runs `f` charging work to the expression at `span` (for the warning), then goes
    /// back to the previous one.
    pub fn at<T>(&self, span: Span, f: impl FnOnce() -> T) -> T {
        let outer = self.site.replace(Some(span));
        let result = f();
        self.site.set(outer);
        result
    }

    /// The one warning saying where the budget went, once it is spent: at the expression
    /// that crossed it, else at `unit` (the unit's file or folder).
    pub fn diagnostic(
        &self,
        unit: PathBuf,
        path_of: impl Fn(FileId) -> PathBuf,
    ) -> Option<Diagnostic> {
        let (measure, site) = self.spent.get()?;
        let limit = self.limits[measure as usize];
        let message = format!(
            "evaluation budget spent: this deployment unit needs more than {}; this expression crossed it, and the unit's remaining values are unknown",
            measure.describe(limit)
        );
        Some(match site {
            Some(span) => Diagnostic::warning(path_of(span.file), Some(span), message),
            None => Diagnostic::warning(unit, None, message),
        })
    }
}

/// The size of `value`, about the bytes it takes in memory: bytes of strings and object
/// keys, [`ELEMENT_SIZE`] per element of a collection, [`OBJECT_SIZE`] per object, one per
/// other scalar; counting no further than `limit`.
pub fn size_up_to(value: &Value, limit: u64) -> u64 {
    let mut size = 0u64;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        size = size.saturating_add(match v {
            Value::String(s) => s.len() as u64,
            Value::List(items) => {
                stack.extend(items.iter());
                items.len() as u64 * ELEMENT_SIZE
            }
            Value::Object(map) => {
                stack.extend(map.values());
                OBJECT_SIZE
                    + map
                        .keys()
                        .map(|k| ELEMENT_SIZE + k.len() as u64)
                        .sum::<u64>()
            }
            _ => 1,
        });
        if size >= limit {
            return limit;
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_charge_fails_once_one_measure_is_spent() {
        let budget = Budget::with_limits(3, 100, 10);
        assert!(budget.step() && budget.step() && budget.step());
        assert!(!budget.step());
        assert!(budget.is_spent());
        assert!(!budget.charge(Measure::Instances, 1));
        assert!(!budget.charge_value(&Value::Null));
    }

    #[test]
    fn value_size_counts_bytes_and_elements_up_to_the_limit() {
        let value = Value::List(vec![Value::String("abcd".into()), Value::Number(1.0)]);
        assert_eq!(size_up_to(&value, 100), 2 * ELEMENT_SIZE + 4 + 1);
        assert_eq!(size_up_to(&value, 3), 3);
        let budget = Budget::with_limits(10, 6, 10);
        assert!(!budget.charge_value(&value));
    }

    #[test]
    fn the_warning_names_the_expression_that_crossed_the_budget() {
        let budget = Budget::with_limits(1, 100, 10);
        assert!(budget
            .diagnostic(PathBuf::from("unit"), |_| PathBuf::new())
            .is_none());
        let span = Span::new(FileId(0), 5..9);
        budget.at(span, || {
            budget.step();
            budget.step();
        });
        budget.step();
        let warning = budget
            .diagnostic(PathBuf::from("unit"), |_| PathBuf::from("main.tf"))
            .expect("spent");
        assert_eq!(warning.span, Some(span));
        assert_eq!(warning.path, PathBuf::from("main.tf"));
        assert!(warning.message.contains("1 evaluation steps"));
    }
}
