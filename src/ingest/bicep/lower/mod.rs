//! Lowering: a Bicep file evaluated to the canonical resources its compiled ARM template
//! would deploy.
//!
//! - Expressions evaluate to [`Value`]s; function calls and operators use the ARM function
//!   library, so results match the compiled template's. Deployment-time facts (runtime
//!   properties, `listKeys()`, `resourceGroup().location`, `deployment().name`) are `Unknown`.
//! - The target is `targetScope` (default `resourceGroup`): resource group
//!   [`id::PLACEHOLDER_RESOURCE_GROUP`] in subscription [`id::PLACEHOLDER_SUBSCRIPTION`],
//!   the same placeholders the ARM reader uses (which also keeps the placeholder
//!   subscription at management group and tenant scope: ids are `/subscriptions/…/providers/…`).
//! - `if` false → not deployed; unknown → modelled. Loops over an unknown collection give
//!   one instance with unknown item and index.
//! - `existing` resources give ids and values, not model resources.
//! - Addresses: the symbolic name (`stg`), `stg[2]` for loop instances, `vnet::snet` for a
//!   nested child, and `module.net.` / `module.net[1].` before the resources of a module.

mod calls;
mod deployment;
mod emit;
mod eval;
mod module;
mod ops;
mod origins;
mod references;
mod resource;

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use super::ast::{ExprKind, StatementKind};
use super::workspace::{is_bicepparam, resolve, ModuleRef, Unit, Workspace};
use crate::diagnostic::Diagnostic;
use crate::eval::value::Value;
use crate::model::{id, Provenance, ProvenanceKind, Resource};
use deployment::{Deployment, Shared, Target};
use eval::Eval;

/// Lowers the root file at `root` (a `.bicep` file, or a `.bicepparam` file whose `using`
/// file is evaluated with its parameter values).
pub fn lower(ws: &Workspace, root: &Path) -> (Vec<Resource>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let Some(unit) = ws.unit(root) else {
        return (out, Vec::new());
    };
    let shared = Rc::new(Shared::new(unit.path.clone()));
    let (main, (given, set_at)) = if is_bicepparam(&unit.path) {
        match parameters_file(ws, unit, &shared) {
            Some(found) => found,
            None => return (out, diagnostics(ws, unit, &shared)),
        }
    } else {
        (unit, Given::default())
    };
    let mut dep = Deployment::new(
        ws,
        main,
        shared.clone(),
        target_of(main),
        given,
        String::new(),
        0,
    );
    dep.origins = origins::Origins::new(set_at);
    emit::emit(&dep, &mut out);
    drop(dep);
    (out, diagnostics(ws, unit, &shared))
}

/// The problems met lowering a root, with the warning saying where the budget went if it
/// was spent.
fn diagnostics(ws: &Workspace, root: &Unit, shared: &Shared) -> Vec<Diagnostic> {
    let mut diagnostics = shared.diagnostics.take();
    let path_of = |file| ws.path_of(file).unwrap_or(&root.path).to_path_buf();
    diagnostics.extend(shared.budget.diagnostic(root.path.clone(), path_of));
    diagnostics
}

/// The deployment target a file's `targetScope` declares.
pub(super) fn target_of(unit: &Unit) -> Target {
    let scope = unit.program.statements.iter().find_map(|s| match &s.kind {
        StatementKind::TargetScope(e) => match &e.kind {
            ExprKind::String(s) => s.as_literal().map(str::to_owned),
            _ => None,
        },
        _ => None,
    });
    match scope.as_deref() {
        Some("subscription" | "managementGroup" | "tenant") => Target {
            subscription: id::PLACEHOLDER_SUBSCRIPTION.to_owned(),
            resource_group: None,
        },
        _ => Target {
            subscription: id::PLACEHOLDER_SUBSCRIPTION.to_owned(),
            resource_group: Some(id::PLACEHOLDER_RESOURCE_GROUP.to_owned()),
        },
    }
}

/// The parameters of a root file, and where each was set.
type Given = (HashMap<String, Value>, HashMap<String, Vec<Provenance>>);

/// A `.bicepparam` file: the file it is `using`, and the parameter values it assigns
/// (evaluated with its own `var`s in scope), with the line that assigns each.
fn parameters_file<'w>(
    ws: &'w Workspace,
    unit: &'w Unit,
    shared: &Rc<Shared>,
) -> Option<(&'w Unit, Given)> {
    let using = unit.program.statements.iter().find_map(|s| match &s.kind {
        StatementKind::Using { path: Some(p), .. } => p.as_literal().map(str::to_owned),
        _ => None,
    })?;
    let ModuleRef::Local(main) = resolve(&unit.path, &using) else {
        return None;
    };
    let main = ws.unit(&main)?;
    let params = Deployment::new(
        ws,
        unit,
        shared.clone(),
        target_of(main),
        HashMap::new(),
        String::new(),
        0,
    );
    let (mut given, mut set_at): Given = Default::default();
    for s in &unit.program.statements {
        if let StatementKind::Param(p) = &s.kind {
            if let Some(value) = &p.default {
                given.insert(p.name.name.clone(), Eval::new(&params).eval(value));
                let origin = Provenance::at(
                    ProvenanceKind::Bicepparam,
                    &p.name.name,
                    params.span(s.span),
                );
                set_at.insert(p.name.name.clone(), vec![origin]);
            }
        }
    }
    Some((main, (given, set_at)))
}

#[cfg(test)]
mod tests;
