//! Instances → canonical resources, in declaration order, following module deployments.

use serde_json::Value as Json;

use super::deployment::{Deployment, Symbol};
use super::resource::Instance;
use crate::eval::value::UNKNOWN_MARKER;
use crate::model::defaults::fill_defaults;
use crate::model::{id, Origin, Resource, SourceFormat, UnitId};

const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";

/// Appends every resource `dep` deploys (not `existing` ones, not those whose condition is
/// false), and those of the modules it calls. A `Microsoft.Resources/deployments` resource
/// is a deployment, not a resource, as in the ARM reader; the inline template it may carry
/// (AVM telemetry deployments carry an empty one) is not read.
pub fn emit(dep: &Deployment<'_>, out: &mut Vec<Resource>) {
    for key in &dep.order {
        match dep.symbol(key) {
            Some(Symbol::Resource(sym)) => {
                let sym = sym.clone();
                for inst in &dep.resource_instances(&sym).items {
                    if !inst.existing
                        && inst.deployed != Some(false)
                        && !inst.kind.eq_ignore_ascii_case(DEPLOYMENTS)
                    {
                        out.push(resource(dep, inst));
                    }
                }
            }
            Some(Symbol::Module(decl)) => {
                for m in dep.module_instances(decl).iter() {
                    if let (Some(child), true) = (&m.deployment, m.deployed != Some(false)) {
                        emit(child, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// One canonical resource; an unknown name is the address (as the ARM reader has it),
/// with the body's `name` marked unknown.
fn resource(dep: &Deployment<'_>, inst: &Instance) -> Resource {
    let address = format!("{}{}", dep.address, inst.address);
    let name = inst.name.clone().unwrap_or_else(|| address.clone());
    let resource_id = inst.id.clone().unwrap_or_else(|| {
        id::build(
            &dep.target.subscription,
            dep.target.resource_group.as_deref().unwrap_or_default(),
            &inst.kind,
            &name,
        )
    });
    let mut body = match inst.body.to_json() {
        Json::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let body_name = match &inst.name {
        Some(n) => id::last_name(n).to_owned(),
        None => UNKNOWN_MARKER.to_owned(),
    };
    body.insert("id".into(), Json::from(resource_id.as_str()));
    body.insert("name".into(), Json::from(body_name));
    body.insert("type".into(), Json::from(inst.kind.as_str()));
    let mut spans = inst.spans.clone();
    spans.insert("/id".into(), inst.head);
    spans.insert("/type".into(), inst.head);
    spans.entry("/name".into()).or_insert(inst.head);
    let mut r = Resource {
        id: resource_id.into(),
        kind: crate::model::intern::kind(&inst.kind),
        name,
        body: Json::Object(body).into(),
        origin: Origin {
            format: SourceFormat::Bicep,
            address: address.into(),
            span: inst.head,
        },
        spans,
        lazy_spans: Default::default(),
        unit: UnitId::default(),
        provenance: inst.provenance.clone(),
    };
    fill_defaults(&mut r);
    r
}
