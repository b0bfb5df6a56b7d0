//! Evaluates Terraform (HCL) expressions over the `hcl-edit` AST.
//!
//! Errors (type mismatches, bad indexes, unknown names or functions, division by zero) are
//! kept apart from genuinely unknown values internally, so that `try` and `can` behave as in
//! Terraform; [`evaluate`] turns both into [`Value::Unknown`].

mod explain;
mod for_expr;
mod ops;
mod template;
#[cfg(test)]
mod tests;
mod traversal;

use std::collections::BTreeMap;

use hcl_edit::expr::{BinaryOp, BinaryOperator, Expression, FuncCall, Object, ObjectKey};
use hcl_edit::template::Template;

pub use explain::explain_unknown;

use super::functions;
use crate::eval::budget::Budget;
use crate::eval::value::Value;
use crate::model::Provenance;

/// What an expression's free variables resolve to; implemented by the caller (module evaluation).
pub trait Scope {
    /// Resolves root variable `root` (e.g. `var`, `local`, `azurerm_storage_account`, `each`,
    /// `count`, `path`, `module`, `data`) followed by the static attribute names `attrs` that
    /// follow it in the traversal (`var.x.y` → root "var", attrs ["x","y"]). Returns the value
    /// and how many of `attrs` it consumed (it may consume 0..=attrs.len()). None = unknown
    /// name (the evaluator yields Unknown).
    fn resolve(&self, root: &str, attrs: &[&str]) -> Option<(Value, usize)>;

    /// Reads a file for file()/templatefile(), relative to the module directory.
    /// Default: None (→ Unknown).
    fn read_file(&self, _path: &str) -> Option<String> {
        None
    }

    /// The reads refused since last asked (outside the scan root, not a regular file),
    /// as messages, for a warning at the attribute that asked. Default: none.
    fn take_refused(&self) -> Vec<String> {
        Vec::new()
    }

    /// Why the reference `root.attrs…` holds an unknown value, for `--unknown`
    /// (`var.x has no value in module.pe`). Default: no reason known.
    fn explain(&self, _root: &str, _attrs: &[&str]) -> Option<String> {
        None
    }

    /// The deployment unit's work budget; `None` gives each evaluation a budget of its own.
    fn budget(&self) -> Option<&Budget> {
        None
    }

    /// Where the variables `expr` reads (directly or through locals) were set, nearest
    /// first, for provenance. Default: nowhere known.
    fn origins(&self, _expr: &Expression) -> Vec<Provenance> {
        Vec::new()
    }
}

/// Why an expression has no value: Terraform would report an error here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvalError;

/// A value, or the error Terraform would report; `Ok(Value::Unknown)` is a genuine unknown.
pub type EvalResult = Result<Value, EvalError>;

/// How deeply expressions may nest before evaluation gives up.
const MAX_DEPTH: usize = 256;

/// Evaluates an expression. Never panics; errors (type mismatch, bad index, unknown function,
/// division by zero) yield Value::Unknown.
pub fn evaluate(expr: &Expression, scope: &dyn Scope) -> Value {
    Evaluator::new(scope, false)
        .eval(expr)
        .unwrap_or(Value::Unknown)
}

/// Evaluates a template file's contents with only `vars` in scope, as `templatefile` does.
pub(crate) fn evaluate_template_file(
    template: &Template,
    vars: &BTreeMap<String, Value>,
    scope: &dyn Scope,
) -> EvalResult {
    let mut evaluator = Evaluator::new(scope, true);
    evaluator.locals = vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    evaluator.eval_template(template, None)
}

/// The evaluation state: the caller's scope plus the iterator variables bound so far.
struct Evaluator<'s> {
    scope: &'s dyn Scope,
    /// Local bindings (for-expression and template iterators), innermost last.
    locals: Vec<(String, Value)>,
    depth: usize,
    /// The work budget when the scope has none (its unit's budget otherwise).
    own_budget: Budget,
    /// Inside `templatefile`: only `locals` are visible and `templatefile` may not recurse.
    in_template_file: bool,
}

impl<'s> Evaluator<'s> {
    fn new(scope: &'s dyn Scope, in_template_file: bool) -> Self {
        Evaluator {
            scope,
            locals: Vec::new(),
            depth: 0,
            own_budget: Budget::new(),
            in_template_file,
        }
    }

    /// The budget evaluation steps and built values are charged to.
    fn budget(&self) -> &Budget {
        self.scope.budget().unwrap_or(&self.own_budget)
    }

    /// Evaluates one expression, guarding depth and charging the work and the size of
    /// what it builds or copies to the budget.
    fn eval(&mut self, expr: &Expression) -> EvalResult {
        if self.depth >= MAX_DEPTH || !self.budget().step() {
            return Err(EvalError);
        }
        self.depth += 1;
        let result = self.eval_node(expr);
        self.depth -= 1;
        // What a node yields is built or copied (a reference clones the value it names),
        // except what a parenthesis or a conditional passes on from a node charged already.
        let passes_on = matches!(
            expr,
            Expression::Parenthesis(_) | Expression::Conditional(_)
        );
        match result {
            Ok(value) if !passes_on && !self.budget().charge_value(&value) => Err(EvalError),
            result => result,
        }
    }

    fn eval_node(&mut self, expr: &Expression) -> EvalResult {
        match expr {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b.value())),
            Expression::Number(n) => n.value().as_f64().map(Value::Number).ok_or(EvalError),
            Expression::String(s) => Ok(Value::String(s.value().clone())),
            Expression::Array(items) => items
                .iter()
                .map(|item| self.eval(item))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::List),
            Expression::Object(object) => self.eval_object(object),
            Expression::StringTemplate(t) => self.eval_template(t, None),
            Expression::HeredocTemplate(h) => self.eval_template(&h.template, h.indent()),
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(name) => self.eval_variable(name.as_str()),
            Expression::Conditional(c) => match ops::operand_bool(&self.eval(&c.cond_expr)?)? {
                None => Ok(Value::Unknown),
                Some(true) => self.eval(&c.true_expr),
                Some(false) => self.eval(&c.false_expr),
            },
            Expression::FuncCall(call) => self.eval_call(call),
            Expression::Traversal(t) => self.eval_traversal(t),
            Expression::UnaryOp(op) => {
                let value = self.eval(&op.expr)?;
                ops::unary(*op.operator.value(), &value)
            }
            Expression::BinaryOp(op) => self.eval_binary(op),
            Expression::ForExpr(f) => self.eval_for(f),
        }
    }

    /// The innermost local binding of `name`, if any.
    fn local(&self, name: &str) -> Option<&Value> {
        self.locals
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    fn eval_variable(&mut self, name: &str) -> EvalResult {
        if let Some(value) = self.local(name) {
            return Ok(value.clone());
        }
        if self.in_template_file {
            return Err(EvalError);
        }
        self.scope
            .resolve(name, &[])
            .map(|(value, _)| value)
            .ok_or(EvalError)
    }

    fn eval_object(&mut self, object: &Object) -> EvalResult {
        let mut map = BTreeMap::new();
        let mut unknown_key = false;
        for (key, value) in object.iter() {
            let key = match key {
                ObjectKey::Ident(ident) => Some(ident.as_str().to_owned()),
                ObjectKey::Expression(expr) => ops::scalar_text(&self.eval(expr)?)?,
            };
            let value = self.eval(value.expr())?;
            match key {
                Some(key) => {
                    map.insert(key, value);
                }
                None => unknown_key = true,
            }
        }
        Ok(if unknown_key {
            Value::Unknown
        } else {
            Value::Object(map)
        })
    }

    /// `&&` and `||` short-circuit on a known left side, as Terraform 1.12+ does.
    fn eval_binary(&mut self, op: &BinaryOp) -> EvalResult {
        let operator = *op.operator.value();
        let lhs = self.eval(&op.lhs_expr)?;
        let short = match operator {
            BinaryOperator::And => Some(false),
            BinaryOperator::Or => Some(true),
            _ => None,
        };
        let Some(decisive) = short else {
            let rhs = self.eval(&op.rhs_expr)?;
            return ops::binary(operator, &lhs, &rhs);
        };
        let left = ops::operand_bool(&lhs)?;
        if left == Some(decisive) {
            return Ok(Value::Bool(decisive));
        }
        let right = ops::operand_bool(&self.eval(&op.rhs_expr)?)?;
        Ok(match (left, right) {
            (_, Some(r)) if r == decisive => Value::Bool(decisive),
            (Some(_), Some(_)) => Value::Bool(!decisive),
            _ => Value::Unknown,
        })
    }

    fn eval_call(&mut self, call: &FuncCall) -> EvalResult {
        let namespace: Vec<&str> = call.name.namespace.iter().map(|n| n.as_str()).collect();
        let name = call.name.name.as_str();
        let builtin = namespace.is_empty() || namespace == ["core"];
        match name {
            "try" if builtin => return self.eval_try(call),
            "can" if builtin => return self.eval_can(call),
            "templatefile" if builtin && self.in_template_file => return Err(EvalError),
            _ => {}
        }
        let mut args = Vec::with_capacity(call.args.len());
        for arg in call.args.iter() {
            args.push(self.eval(arg)?);
        }
        if !builtin {
            // Provider-defined functions cannot be evaluated statically.
            return Ok(Value::Unknown);
        }
        if call.args.expand_final() {
            match args.pop() {
                Some(Value::List(items)) => args.extend(items),
                Some(Value::Unknown) => return Ok(Value::Unknown),
                _ => return Err(EvalError),
            }
        }
        functions::call_checked(name, args, self.scope)
    }

    /// `try`: the first argument that evaluates without error; unknown if that one is not
    /// wholly known (it might still fail once known).
    fn eval_try(&mut self, call: &FuncCall) -> EvalResult {
        for arg in call.args.iter() {
            if let Ok(value) = self.eval(arg) {
                return Ok(if value.contains_unknown() {
                    Value::Unknown
                } else {
                    value
                });
            }
        }
        Err(EvalError)
    }

    /// `can`: whether its argument evaluates without error; unknown if not wholly known.
    fn eval_can(&mut self, call: &FuncCall) -> EvalResult {
        let mut args = call.args.iter();
        let (Some(arg), None) = (args.next(), args.next()) else {
            return Err(EvalError);
        };
        Ok(match self.eval(arg) {
            Ok(value) if value.contains_unknown() => Value::Unknown,
            Ok(_) => Value::Bool(true),
            Err(_) => Value::Bool(false),
        })
    }

    /// Runs `f` with `bindings` pushed as local variables, removing them afterwards.
    fn with_locals<T>(
        &mut self,
        bindings: impl IntoIterator<Item = (String, Value)>,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let mark = self.locals.len();
        self.locals.extend(bindings);
        let result = f(self);
        self.locals.truncate(mark);
        result
    }
}
