//! ARM deployment templates: recognition, parameters, the template expression language,
//! and the evaluation of resources into canonical resources.

mod deployment;
pub mod expr;
pub mod parameters;
mod recognise;
mod resources;
mod scope;
pub use scope::{resource_group_object, subscription_object};
mod walk;

pub use recognise::{recognise, ArmDocument, DeploymentScope};

use crate::diagnostic::Diagnostic;
use crate::ingest::json::JsonDoc;
use crate::model::{id, FileId, Resource, Sources};

/// Models the resources of a deployment template for `deployment_scope`, with parameter
/// values from parameter files (later ones win) overriding the template's defaults.
pub fn ingest(
    doc: &JsonDoc,
    file: FileId,
    deployment_scope: DeploymentScope,
    parameters: Vec<parameters::Given>,
    sources: &Sources,
) -> (Vec<Resource>, Vec<Diagnostic>) {
    let file = scope::File::new(doc, file, sources.path(file).to_path_buf());
    let target = scope::Target {
        subscription: id::PLACEHOLDER_SUBSCRIPTION.to_owned(),
        resource_group: (deployment_scope == DeploymentScope::ResourceGroup)
            .then(|| id::PLACEHOLDER_RESOURCE_GROUP.to_owned()),
    };
    let mut out = Vec::new();
    if let Some(list) = doc.value.get("resources") {
        let template = scope::Scope::new(&file, &doc.value, "", parameters, &target);
        let place = resources::Place {
            src: "/resources".into(),
            prefix: String::new(),
            parent: None,
        };
        resources::walk(&template.context(), &target, list, &place, &mut out);
    }
    (out, file.into_diagnostics())
}

#[cfg(test)]
mod tests;
