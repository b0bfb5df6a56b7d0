//! Deployment functions answered by the [`Context`]: parameters, variables, copyIndex,
//! resourceGroup, subscription, tenant, managementGroup, deployment, environment.

use super::{arity, fail, int_arg, str_arg, Context, EvalError};
use crate::eval::value::Value;

/// Calls deployment function `name`, or `None` if it is not one.
pub(super) fn call(
    name: &str,
    args: &[Value],
    ctx: &dyn Context,
) -> Option<Result<Value, EvalError>> {
    Some(match name {
        "parameters" => lookup(name, args, |n| ctx.parameter(n)),
        "variables" => lookup(name, args, |n| ctx.variable(n)),
        "copyindex" => copy_index(name, args, ctx),
        "resourcegroup" => scope(name, args, ctx.resource_group()),
        "subscription" => scope(name, args, ctx.subscription()),
        "tenant" => scope(name, args, ctx.tenant()),
        "managementgroup" => scope(name, args, ctx.management_group()),
        "deployment" => scope(name, args, ctx.deployment()),
        "environment" => scope(name, args, ctx.environment()),
        _ => return None,
    })
}

fn lookup(
    name: &str,
    args: &[Value],
    get: impl FnOnce(&str) -> Option<Value>,
) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    let key = str_arg(name, args, 0)?;
    get(key).ok_or_else(|| EvalError::new(format!("{name}(): '{key}' is not defined")))
}

/// `copyIndex()`, `copyIndex(offset)`, `copyIndex('loop')`, `copyIndex('loop', offset)`.
fn copy_index(name: &str, args: &[Value], ctx: &dyn Context) -> Result<Value, EvalError> {
    arity(name, args, 0, 2)?;
    let (loop_name, offset) = match args {
        [] => (None, 0),
        [Value::String(l)] => (Some(l.as_str()), 0),
        [_] => (None, int_arg(name, args, 0)?),
        _ => (Some(str_arg(name, args, 0)?), int_arg(name, args, 1)?),
    };
    let index = ctx
        .copy_index(loop_name)
        .ok_or_else(|| EvalError::new("copyIndex(): not inside a copy loop"))?;
    index
        .checked_add(offset)
        .map(|i| Value::Number(i as f64))
        .ok_or_else(|| EvalError::new("copyIndex(): offset overflows"))
}

/// A scope object; ARM's `resourceGroup()` etc. take no arguments here (scope-changing
/// overloads such as `resourceGroup('other')` give `Unknown`, as another scope is not read).
fn scope(name: &str, args: &[Value], value: Value) -> Result<Value, EvalError> {
    match args.len() {
        0 => Ok(value),
        1..=2 => Ok(Value::Unknown),
        _ => fail(name, "too many arguments"),
    }
}
