//! Nested deployments (`Microsoft.Resources/deployments` with an inline `template`): the
//! inner template's resources are modelled in the nested deployment's target, its
//! expressions evaluated in the outer template's scope or (with `scope: inner`) in its own,
//! with the parameters passed in.

use serde_json::Value as Json;

use super::parameters::Given;
use super::resources::{self, Place};
use super::scope::{Ctx, Scope, Target};
use super::walk;
use crate::eval::value::Value;
use crate::model::provenance::extend_unique;
use crate::model::{Provenance, ProvenanceKind, Resource};

/// Models the resources of the nested deployment declared by `decl`; a linked template
/// (`templateLink`) is not followed.
pub fn nested<'d>(
    ctx: &Ctx<'_, 'd, '_>,
    outer: &Target,
    decl: &'d Json,
    src: &str,
    address: &str,
    out: &mut Vec<Resource>,
) {
    let Some(props) = decl.get("properties") else {
        return;
    };
    let Some(template) = props.get("template").filter(|t| t.is_object()) else {
        return;
    };
    let field = |key: &str| {
        decl.get(key)
            .and_then(|v| walk::string(ctx, v, &format!("{src}/{key}")))
    };
    let target = Target {
        subscription: field("subscriptionId").unwrap_or_else(|| outer.subscription.clone()),
        resource_group: field("resourceGroup").or_else(|| outer.resource_group.clone()),
    };
    let props_src = format!("{src}/properties");
    let template_src = format!("{props_src}/template");
    let place = Place {
        src: format!("{template_src}/resources"),
        prefix: format!("{address}.properties.template."),
        parent: None,
    };
    let Some(list) = template.get("resources") else {
        return;
    };
    let inner = props
        .get("expressionEvaluationOptions")
        .and_then(|o| o.get("scope"))
        .and_then(|s| {
            walk::string(
                ctx,
                s,
                &format!("{props_src}/expressionEvaluationOptions/scope"),
            )
        })
        .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
    if !inner {
        return resources::walk(ctx, &target, list, &place, out);
    }
    let given = passed_parameters(ctx, props, &props_src, address);
    let scope = Scope::new(ctx.file(), template, &template_src, given, &target);
    resources::walk(&scope.context(), &target, list, &place, out);
}

/// The parameter values a nested deployment passes in, evaluated in the outer scope, each
/// set at its entry (and where the outer parameters it reads were set).
fn passed_parameters(
    ctx: &Ctx<'_, '_, '_>,
    props: &Json,
    props_src: &str,
    address: &str,
) -> Vec<Given> {
    let Some(params) = props.get("parameters").and_then(Json::as_object) else {
        return Vec::new();
    };
    params
        .iter()
        .map(|(name, entry)| {
            let at = format!(
                "{props_src}/parameters/{}/value",
                super::scope::escape(name)
            );
            let value = match entry {
                // `"p": "[if(c, createObject('value', a), createObject('value', b))]"`, as
                // the Bicep compiler writes conditional module arguments.
                Json::String(_) => {
                    let entry_at = at.trim_end_matches("/value");
                    match walk::value(ctx, entry, entry_at) {
                        Value::Object(map) => map.get("value").cloned().unwrap_or(Value::Unknown),
                        _ => Value::Unknown,
                    }
                }
                _ => entry
                    .get("value")
                    .map_or(Value::Unknown, |v| walk::value(ctx, v, &at)),
            };
            let file = ctx.file();
            let entry_at = at.trim_end_matches("/value");
            let here = Provenance::at(
                ProvenanceKind::ModuleArgument,
                format!("{address}.{name}"),
                file.span(entry_at),
            );
            let mut origins = vec![here];
            extend_unique(&mut origins, &ctx.scope.origins(entry));
            Given {
                name: name.clone(),
                value,
                origins,
            }
        })
        .collect()
}
