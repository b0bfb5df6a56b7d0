//! Module declarations → child deployments: each instance (loops and conditions as for
//! resources) evaluates the module file with the `params` passed, at the `scope` given or
//! the caller's target. Registry modules are not followed (reported when the workspace is
//! loaded); their outputs are `Unknown`.

use std::collections::HashMap;
use std::rc::Rc;

use super::super::ast::{DeclBody, ExprKind, ForBody, ModuleDecl, ObjectExpr, ObjectItem};
use super::super::workspace::{resolve, ModuleRef, Unit};
use super::deployment::{Deployment, Target, MAX_MODULE_DEPTH};
use super::eval::Eval;
use super::origins::{self, Origins};
use super::resource::scope_target;
use super::target_of;
use crate::eval::budget::Measure;
use crate::eval::value::{Value, UNKNOWN_MARKER};
use crate::model::provenance::extend_unique;
use crate::model::{Provenance, ProvenanceKind};

/// One instance of a module declaration.
pub struct ModuleInstance<'w> {
    /// The module's deployment; `None` when not followed.
    pub deployment: Option<Rc<Deployment<'w>>>,
    /// `Some(false)` when its condition is false.
    pub deployed: Option<bool>,
    /// The value of its symbolic name: `{name, outputs}`.
    pub value: Value,
    /// Whether the declaration is a loop.
    pub looped: bool,
}

/// The value of a module's symbolic name: one object, or a list for a loop.
pub fn value(instances: &[ModuleInstance<'_>]) -> Value {
    match instances {
        [only] if !only.looped => only.value.clone(),
        _ if instances.iter().any(|i| i.value.is_unknown()) => Value::Unknown,
        _ if instances.iter().all(|i| i.looped) => {
            Value::List(instances.iter().map(|i| i.value.clone()).collect())
        }
        _ => Value::Unknown,
    }
}

/// Evaluates the instances of a module declaration.
pub fn instances<'w>(dep: &Deployment<'w>, decl: &'w ModuleDecl) -> Vec<ModuleInstance<'w>> {
    let mut ev = Eval::new(dep);
    let mut out = Vec::new();
    let base = format!("{}module.{}", dep.address, decl.name.name);
    match &decl.body {
        DeclBody::Object(body) => out.push(instance(&mut ev, decl, body, Some(true), &base, false)),
        DeclBody::If(body) => {
            let cond = ev.eval(&body.condition).as_bool();
            out.push(instance(&mut ev, decl, &body.body, cond, &base, false));
        }
        DeclBody::For(f) => {
            let items = ev.instances(f);
            let known = items.is_some();
            for (i, item) in items
                .unwrap_or_else(|| vec![Value::Unknown])
                .into_iter()
                .enumerate()
            {
                let (index, address) = if known {
                    (Value::Number(i as f64), format!("{base}[{i}]"))
                } else {
                    (Value::Unknown, base.clone())
                };
                ev.locals = Eval::bindings(f, item, index);
                let mut one = match &f.body {
                    ForBody::Expr(e) => match &e.kind {
                        ExprKind::Object(body) => {
                            instance(&mut ev, decl, body, Some(true), &address, true)
                        }
                        _ => continue,
                    },
                    ForBody::If(body) => {
                        let cond = ev.eval(&body.condition).as_bool();
                        instance(&mut ev, decl, &body.body, cond, &address, true)
                    }
                };
                if !known {
                    one.value = Value::Unknown;
                }
                out.push(one);
            }
        }
        DeclBody::Error(_) => {}
    }
    out
}

fn instance<'w>(
    ev: &mut Eval<'_, 'w>,
    decl: &'w ModuleDecl,
    body: &ObjectExpr,
    deployed: Option<bool>,
    address: &str,
    looped: bool,
) -> ModuleInstance<'w> {
    let dep = ev.dep;
    let name = body.get("name").map_or(Value::Unknown, |e| ev.eval(e));
    let given: HashMap<String, Value> = match body.get("params").map(|e| ev.eval(e)) {
        Some(Value::Object(map)) => map.into_iter().collect(),
        _ => HashMap::new(),
    };
    let scope = body.get("scope").map(|e| ev.eval(e));
    let set_at = arguments(ev, body, address);
    let deployment = match decl.path.as_literal() {
        Some(path) => child(dep, path, scope.as_ref(), (given, set_at), address, decl),
        None => None,
    };
    let outputs = deployment.as_ref().map_or(Value::Unknown, |d| d.outputs());
    ModuleInstance {
        deployment,
        deployed,
        value: Value::Object([("name".to_owned(), name), ("outputs".to_owned(), outputs)].into()),
        looped,
    }
}

/// Where each argument of a literal `params: { … }` was set: its line, then where the
/// caller's parameters it reads were set.
fn arguments(
    ev: &Eval<'_, '_>,
    body: &ObjectExpr,
    address: &str,
) -> HashMap<String, Vec<Provenance>> {
    let Some(ExprKind::Object(params)) = body.get("params").map(|e| &e.kind) else {
        return HashMap::new();
    };
    let mut out = HashMap::new();
    for item in &params.items {
        let ObjectItem::Property(p) = item else {
            continue;
        };
        let Some(name) = p.key.as_str() else {
            continue;
        };
        let here = Provenance::at(
            ProvenanceKind::ModuleArgument,
            format!("{address}.{name}"),
            ev.dep.span(p.span),
        );
        let mut chain = vec![here];
        extend_unique(&mut chain, &origins::of_expr(ev.dep, &p.value, &ev.locals));
        out.insert(name.to_owned(), chain);
    }
    out
}

fn child<'w>(
    dep: &Deployment<'w>,
    path: &str,
    scope: Option<&Value>,
    (given, set_at): (HashMap<String, Value>, HashMap<String, Vec<Provenance>>),
    address: &str,
    decl: &ModuleDecl,
) -> Option<Rc<Deployment<'w>>> {
    let ModuleRef::Local(file) = resolve(&dep.unit.path, path) else {
        return None;
    };
    let unit = dep.ws.unit(&file)?;
    if !dep.shared.budget.charge(Measure::Instances, 1) {
        return None;
    }
    if dep
        .ws
        .cyclic
        .contains(&(dep.unit.path.clone(), file.clone()))
    {
        return None;
    }
    if dep.module_depth >= MAX_MODULE_DEPTH {
        dep.warn(
            decl.path.span,
            format!("modules nested deeper than {MAX_MODULE_DEPTH} (a cycle?); not followed"),
        );
        return None;
    }
    let target = match scope {
        None => dep.target.clone(),
        Some(v) => v
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| scope_target(id, &dep.target))
            .unwrap_or_else(|| unknown_target(dep, unit)),
    };
    let mut child = Deployment::new(
        dep.ws,
        unit,
        dep.shared.clone(),
        target,
        given,
        format!("{address}."),
        dep.module_depth + 1,
    );
    child.origins = Origins::new(set_at);
    Some(Rc::new(child))
}

/// The target of a module whose `scope:` is not known statically: a resource group (or,
/// for a module declaring another `targetScope`, that scope) whose name is unknown.
fn unknown_target(dep: &Deployment<'_>, unit: &Unit) -> Target {
    let mut target = target_of(unit);
    if target.resource_group.is_some() {
        target.resource_group = Some(UNKNOWN_MARKER.to_owned());
    }
    target.subscription.clone_from(&dep.target.subscription);
    target
}
