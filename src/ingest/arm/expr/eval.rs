//! Evaluates a parsed [`Expr`] against a [`Context`]: the special forms (`if`, `and`, `or`,
//! lambdas) and property/index access live here; the built-in functions live in `funcs`.

use std::collections::BTreeMap;
use std::fmt;

use super::ast::Expr;
use super::{funcs, lambda};
use crate::eval::budget::{Budget, Measure};
use crate::eval::symbolic;
use crate::eval::value::Value;

/// What the template reader knows about the deployment an expression is evaluated in.
///
/// Lookups of parameters and variables are by the name as written; case-insensitive
/// matching is the implementor's job.
pub trait Context {
    /// The value of a template parameter, or `None` if there is no such parameter.
    fn parameter(&self, name: &str) -> Option<Value>;
    /// The value of a template variable, or `None` if there is no such variable.
    fn variable(&self, name: &str) -> Option<Value>;
    /// The current `copy` loop index (of the named loop, or the innermost one).
    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64>;
    /// `resourceGroup()`: an object `{id, name, location, type, properties, ...}`; anything
    /// but an object with a string `name` means "not deployed to a resource group".
    fn resource_group(&self) -> Value;
    /// `subscription()`: an object `{id, subscriptionId, tenantId, displayName}`.
    fn subscription(&self) -> Value;
    /// `tenant()`: an object `{tenantId, countryCode, displayName}`; unknown by default.
    fn tenant(&self) -> Value {
        Value::Unknown
    }
    /// `managementGroup()`: an object `{id, name, type, properties}`; unknown by default.
    fn management_group(&self) -> Value {
        Value::Unknown
    }
    /// `deployment()`: an object `{name, properties: {templateLink?, ...}}`.
    fn deployment(&self) -> Value;
    /// `environment()`: the Azure cloud; public Azure (`AzureCloud`) by default.
    fn environment(&self) -> Value {
        azure_cloud()
    }
    /// Calls a user-defined function `namespace.name(args)`; `None` gives `Unknown`.
    fn user_function(&self, _namespace: &str, _name: &str, _args: &[Value]) -> Option<Value> {
        None
    }
    /// The deployment unit's work budget; `None` gives each evaluation a budget of its own.
    fn budget(&self) -> Option<&Budget> {
        None
    }
}

/// Why an expression could not be evaluated (a template error, not a deployment-time unknown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// What went wrong.
    pub message: String,
}

impl EvalError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        EvalError {
            message: message.into(),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

/// Evaluates `expr`; an error (a wrong argument type, a missing parameter, a function that
/// does not exist) gives `Unknown`, like a value that only deployment could tell.
pub fn evaluate(expr: &Expr, ctx: &dyn Context) -> Value {
    try_evaluate(expr, ctx).unwrap_or(Value::Unknown)
}

/// Evaluates `expr`, telling errors apart from values unknown before deployment.
pub fn try_evaluate(expr: &Expr, ctx: &dyn Context) -> Result<Value, EvalError> {
    Evaluator {
        ctx,
        bindings: Vec::new(),
        own_budget: Budget::new(),
    }
    .eval(expr)
}

/// The state of one evaluation.
pub(super) struct Evaluator<'c> {
    pub(super) ctx: &'c dyn Context,
    /// Lambda parameters in scope, innermost last.
    bindings: Vec<(String, Value)>,
    /// The work budget when the context has none (its unit's budget otherwise).
    own_budget: Budget,
}

impl Evaluator<'_> {
    /// A property of `reference(id[, apiVersion[, 'Full']])` (`.principalId`, or
    /// `.properties.principalId` of the full object): unknown, with the identity of that
    /// runtime property of that resource. `None` for anything else.
    fn runtime_property(&mut self, expr: &Expr) -> Result<Option<Value>, EvalError> {
        let mut path = Vec::new();
        let mut at = expr;
        let args = loop {
            match at {
                Expr::Property { target, name, .. } => {
                    path.push(name.as_str());
                    at = target;
                }
                Expr::Call {
                    namespace: None,
                    name,
                    args,
                } if name.eq_ignore_ascii_case("reference") => break args,
                _ => return Ok(None),
            }
        };
        let Some(Value::String(id)) = args.first().map(|a| self.eval(a)).transpose()? else {
            return Ok(None);
        };
        let full = match args.get(2).map(|a| self.eval(a)).transpose()? {
            Some(Value::String(f)) => f.eq_ignore_ascii_case("full"),
            _ => false,
        };
        if !full {
            path.push("properties");
        }
        path.reverse();
        Ok(Some(Value::String(symbolic::runtime_property(
            &id,
            &path.join("."),
        ))))
    }

    /// Evaluates one node.
    pub(super) fn eval(&mut self, expr: &Expr) -> Result<Value, EvalError> {
        self.spend(1)?;
        match expr {
            Expr::String(s) => Ok(Value::String(s.clone())),
            Expr::Number(n) => Ok(Value::Number(*n)),
            Expr::Bool(b) => Ok(Value::Bool(*b)),
            Expr::Null => Ok(Value::Null),
            Expr::Call {
                namespace: Some(namespace),
                name,
                args,
            } => {
                let args = self.eval_all(args)?;
                Ok(self
                    .ctx
                    .user_function(namespace, name, &args)
                    .unwrap_or(Value::Unknown))
            }
            Expr::Call {
                namespace: None,
                name,
                args,
            } => {
                let value = self.call(&name.to_ascii_lowercase(), args)?;
                if !self.budget().charge_value(&value) {
                    return Err(too_expensive());
                }
                Ok(value)
            }
            Expr::Property { target, name, safe } => {
                let value = property(self.eval(target)?, name, *safe)?;
                match value {
                    Value::Unknown => Ok(self.runtime_property(expr)?.unwrap_or(value)),
                    value => Ok(value),
                }
            }
            Expr::Index {
                target,
                index,
                safe,
            } => {
                let target = self.eval(target)?;
                let index = self.eval(index)?;
                element(target, &index, *safe)
            }
        }
    }

    /// Evaluates `body` with lambda parameters bound.
    pub(super) fn eval_with(
        &mut self,
        bindings: impl IntoIterator<Item = (String, Value)>,
        body: &Expr,
    ) -> Result<Value, EvalError> {
        let depth = self.bindings.len();
        self.bindings.extend(bindings);
        let result = self.eval(body);
        self.bindings.truncate(depth);
        result
    }

    /// The budget evaluation steps and built values are charged to.
    fn budget(&self) -> &Budget {
        self.ctx.budget().unwrap_or(&self.own_budget)
    }

    /// Charges `cost` evaluation steps; fails once the budget is spent.
    pub(super) fn spend(&mut self, cost: u64) -> Result<(), EvalError> {
        if self.budget().charge(Measure::Steps, cost) {
            Ok(())
        } else {
            Err(too_expensive())
        }
    }

    fn eval_all(&mut self, args: &[Expr]) -> Result<Vec<Value>, EvalError> {
        args.iter().map(|a| self.eval(a)).collect()
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Result<Value, EvalError> {
        match name {
            "if" => self.if_(args),
            "and" => self.logical(args, false),
            "or" => self.logical(args, true),
            "lambda" => Err(EvalError::new(
                "lambda() is only allowed as a function argument",
            )),
            "lambdavariables" => {
                let name = self.eval_all(args)?;
                match name.as_slice() {
                    [Value::String(name)] => self
                        .bindings
                        .iter()
                        .rev()
                        .find(|(n, _)| n.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.clone())
                        .ok_or_else(|| EvalError::new(format!("no lambda variable '{name}'"))),
                    _ => Err(EvalError::new("lambdaVariables() expects one string")),
                }
            }
            _ if lambda::is_lambda_function(name) => lambda::call(self, name, args),
            _ => {
                let args = self.eval_all(args)?;
                funcs::call(name, args, self.ctx)
            }
        }
    }

    /// `if(condition, then, else)`: only the taken branch is evaluated.
    fn if_(&mut self, args: &[Expr]) -> Result<Value, EvalError> {
        let [condition, then, otherwise] = args else {
            return Err(EvalError::new("if() expects 3 arguments"));
        };
        match self.eval(condition)? {
            Value::Bool(true) => self.eval(then),
            Value::Bool(false) => self.eval(otherwise),
            Value::Unknown => {
                let then = self.eval(then).unwrap_or(Value::Unknown);
                let otherwise = self.eval(otherwise).unwrap_or(Value::Unknown);
                Ok(if then == otherwise && !then.contains_unknown() {
                    then
                } else {
                    Value::Unknown
                })
            }
            other => Err(EvalError::new(format!(
                "if() expects a boolean condition, got {}",
                other.type_name()
            ))),
        }
    }

    /// `and(...)` (`decisive` = false) or `or(...)` (`decisive` = true): a known decisive
    /// argument settles the result even when others are unknown.
    fn logical(&mut self, args: &[Expr], decisive: bool) -> Result<Value, EvalError> {
        if args.len() < 2 {
            return Err(EvalError::new("and()/or() expect at least 2 arguments"));
        }
        let mut unknown = false;
        for arg in args {
            match self.eval(arg)? {
                Value::Bool(b) if b == decisive => return Ok(Value::Bool(decisive)),
                Value::Bool(_) => {}
                Value::Unknown => unknown = true,
                other => {
                    return Err(EvalError::new(format!(
                        "and()/or() expect booleans, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        Ok(if unknown {
            Value::Unknown
        } else {
            Value::Bool(!decisive)
        })
    }
}

/// The error an evaluation past its budget gives.
fn too_expensive() -> EvalError {
    EvalError::new("expression too expensive to evaluate")
}

/// `target.name`: object keys match case-insensitively, as ARM's do.
fn property(target: Value, name: &str, safe: bool) -> Result<Value, EvalError> {
    match target {
        Value::Unknown => Ok(Value::Unknown),
        v if v.is_symbolic() => Ok(Value::Unknown),
        Value::Object(map) => match funcs::get_ci(&map, name) {
            Some(v) => Ok(v.clone()),
            None if safe => Ok(Value::Null),
            None => Err(EvalError::new(format!("property '{name}' does not exist"))),
        },
        _ if safe => Ok(Value::Null),
        other => Err(EvalError::new(format!(
            "cannot read property '{name}' of a {}",
            other.type_name()
        ))),
    }
}

/// `target[index]`: an integer into an array, or a string into an object.
fn element(target: Value, index: &Value, safe: bool) -> Result<Value, EvalError> {
    match (target, index) {
        (Value::Unknown, _) | (_, Value::Unknown) => Ok(Value::Unknown),
        (t, i) if t.is_symbolic() || i.is_symbolic() => Ok(Value::Unknown),
        (Value::List(items), Value::Number(n)) => {
            let found = (n.fract() == 0.0 && *n >= 0.0)
                .then(|| items.get(*n as usize))
                .flatten();
            match found {
                Some(v) => Ok(v.clone()),
                None if safe => Ok(Value::Null),
                None => Err(EvalError::new(format!("index {n} is out of range"))),
            }
        }
        (target @ Value::Object(_), Value::String(key)) => property(target, key, safe),
        _ if safe => Ok(Value::Null),
        (target, index) => Err(EvalError::new(format!(
            "cannot index a {} with a {}",
            target.type_name(),
            index.type_name()
        ))),
    }
}

/// The `environment()` object of public Azure (`AzureCloud`).
pub fn azure_cloud() -> Value {
    let s = |v: &str| Value::String(v.to_owned());
    let object = |pairs: &[(&str, Value)]| {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    };
    let suffixes = object(&[
        ("acrLoginServer", s(".azurecr.io")),
        (
            "azureDatalakeAnalyticsCatalogAndJob",
            s("azuredatalakeanalytics.net"),
        ),
        ("azureDatalakeStoreFileSystem", s("azuredatalakestore.net")),
        ("azureFrontDoorEndpointSuffix", s("azurefd.net")),
        ("keyvaultDns", s(".vault.azure.net")),
        ("sqlServerHostname", s(".database.windows.net")),
        ("storage", s("core.windows.net")),
    ]);
    let authentication = object(&[
        ("loginEndpoint", s("https://login.microsoftonline.com/")),
        (
            "audiences",
            Value::List(vec![
                s("https://management.core.windows.net/"),
                s("https://management.azure.com/"),
            ]),
        ),
        ("tenant", s("common")),
        ("identityProvider", s("AAD")),
    ]);
    object(&[
        ("name", s("AzureCloud")),
        ("gallery", s("https://gallery.azure.com/")),
        ("graph", s("https://graph.windows.net/")),
        ("graphAudience", s("https://graph.windows.net/")),
        ("portal", s("https://portal.azure.com")),
        ("resourceManager", s("https://management.azure.com/")),
        ("authentication", authentication),
        ("media", s("https://rest.media.azure.net")),
        ("activeDirectoryDataLake", s("https://datalake.azure.net/")),
        ("batch", s("https://batch.core.windows.net/")),
        ("sqlManagement", s("https://management.core.windows.net:8443/")),
        ("vmImageAliasDoc", s("https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json")),
        ("suffixes", suffixes),
    ])
}
