//! Template resources → canonical resources: `copy` loops, `condition`, nested child
//! resources, and the body with the span of every property.

use serde_json::{Map, Value as Json};

use super::deployment;
use super::scope::{escape, Ctx, Target};
use super::walk::{self, Spans};
use crate::eval::value::Value;
use crate::model::defaults::fill_defaults;
use crate::model::{
    canonical_body_key, canonical_type, id, Origin, Resource, SourceFormat, UnitId,
};

/// Declaration keys that are not part of the resource's ARM body.
const NOT_IN_BODY: &[&str] = &[
    "type",
    "name",
    "apiVersion",
    "copy",
    "condition",
    "dependsOn",
    "resources",
    "comments",
    "metadata",
    "existing",
    "scope",
    "resourceGroup",
    "subscriptionId",
];

/// The resource a nested child declaration belongs to.
pub struct Parent {
    kind: String,
    name: String,
}

/// Where a list of declarations sits: its JSON pointer, the address prefix of its items,
/// and the parent they are nested in.
pub struct Place<'p> {
    /// JSON pointer of the `resources` array or object.
    pub src: String,
    /// Prefix of the addresses of its items (`""`, `"resources[2]."`).
    pub prefix: String,
    /// The parent of nested child resources.
    pub parent: Option<&'p Parent>,
}

/// Models every declaration in a `resources` array (or, in a symbolic-name template, object).
pub fn walk<'d>(
    ctx: &Ctx<'_, 'd, '_>,
    target: &Target,
    list: &'d Json,
    place: &Place<'_>,
    out: &mut Vec<Resource>,
) {
    let entries: Vec<(String, String, &'d Json)> = match list {
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    format!("{}resources[{i}]", place.prefix),
                    format!("{}/{i}", place.src),
                    r,
                )
            })
            .collect(),
        Json::Object(map) => map
            .iter()
            .map(|(name, r)| {
                (
                    format!("{}{name}", place.prefix),
                    format!("{}/{}", place.src, escape(name)),
                    r,
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    let file = ctx.file();
    for (address, src, decl) in entries {
        file.budget.at(file.span(&src), || {
            declaration(ctx, target, decl, &src, &address, place.parent, out)
        });
    }
}

/// One declaration, expanded over its `copy` loop.
fn declaration<'d>(
    ctx: &Ctx<'_, 'd, '_>,
    target: &Target,
    decl: &'d Json,
    src: &str,
    address: &str,
    parent: Option<&Parent>,
    out: &mut Vec<Resource>,
) {
    if !decl.is_object() || decl.get("existing").and_then(Json::as_bool) == Some(true) {
        return;
    }
    let Some(copy) = decl.get("copy").filter(|c| c.is_object()) else {
        return instance(ctx, target, decl, src, address, parent, out);
    };
    let copy_src = format!("{src}/copy");
    let name = copy
        .get("name")
        .and_then(|n| walk::string(ctx, n, &format!("{copy_src}/name")))
        .unwrap_or_default();
    match walk::count(ctx, copy, &copy_src) {
        Some(n) => {
            for i in 0..n {
                let inner = ctx.in_copy(&name, Some(i), true);
                instance(
                    &inner,
                    target,
                    decl,
                    src,
                    &format!("{address}[{i}]"),
                    parent,
                    out,
                );
            }
        }
        None => instance(
            &ctx.in_copy(&name, None, true),
            target,
            decl,
            src,
            address,
            parent,
            out,
        ),
    }
}

/// One resource instance: skipped when its condition is false, else modelled with its
/// nested children.
fn instance<'d>(
    ctx: &Ctx<'_, 'd, '_>,
    target: &Target,
    decl: &'d Json,
    src: &str,
    address: &str,
    parent: Option<&Parent>,
    out: &mut Vec<Resource>,
) {
    let file = ctx.file();
    if let Some(condition) = decl.get("condition") {
        let met = walk::value(ctx, condition, &format!("{src}/condition")).as_bool();
        if met == Some(false) {
            return;
        }
    }
    let type_src = format!("{src}/type");
    let Some(short_type) = decl
        .get("type")
        .and_then(|t| walk::string(ctx, t, &type_src))
    else {
        return;
    };
    let kind = canonical_type(&full_type(&short_type, parent));
    let own = decl
        .get("name")
        .and_then(|n| walk::string(ctx, n, &format!("{src}/name")))
        .filter(|n| file.budget.keep_name(n))
        .unwrap_or_else(|| address.to_owned());
    let name = full_name(&own, &kind, parent);
    if kind.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
        file.nested(|| deployment::nested(ctx, target, decl, src, address, out));
        return;
    }
    let mut body = Map::new();
    let mut spans = Spans::default();
    for (key, value) in decl.as_object().into_iter().flatten() {
        if NOT_IN_BODY.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            continue;
        }
        let key = canonical_body_key(key);
        spans.reset(&key);
        let mut v = walk::recorded(ctx, value, &format!("{src}/{}", escape(&key)), &mut spans);
        if !file.budget.keep(&v) {
            v = Value::Unknown;
        }
        body.insert(key, v.to_json());
    }
    let resource_id = id::build(
        &target.subscription,
        target.resource_group.as_deref().unwrap_or_default(),
        &kind,
        &name,
    );
    let head = file.span(&type_src);
    body.insert("id".into(), Json::from(resource_id.as_str()));
    body.insert("name".into(), Json::from(id::last_name(&name)));
    body.insert("type".into(), Json::from(kind.as_str()));
    let provenance = spans.provenance;
    let mut spans = spans.map;
    spans.insert("/id".into(), head);
    spans.insert("/name".into(), file.span(&format!("{src}/name")));
    spans.insert("/type".into(), head);
    let mut resource = Resource {
        id: resource_id.into(),
        kind: crate::model::intern::kind(&kind),
        name: name.clone(),
        body: Json::Object(body).into(),
        origin: Origin {
            format: SourceFormat::Arm,
            address: address.into(),
            span: head,
        },
        spans,
        lazy_spans: Default::default(),
        unit: UnitId::default(),
        provenance,
    };
    fill_defaults(&mut resource);
    out.push(resource);
    if let Some(children) = decl.get("resources") {
        let parent = Parent { kind, name };
        let place = Place {
            src: format!("{src}/resources"),
            prefix: format!("{address}."),
            parent: Some(&parent),
        };
        // Past the nesting limit deeper children are not modelled (no template comes close).
        file.nested(|| walk(ctx, target, children, &place, out));
    }
}

/// A child's type: short (`subnets`) inside its parent, or already full.
fn full_type(kind: &str, parent: Option<&Parent>) -> String {
    match parent {
        Some(p) if !kind.contains('/') => format!("{}/{kind}", p.kind),
        _ => kind.to_owned(),
    }
}

/// A child's full name: its parent's name is prefixed when the name has fewer segments
/// than the type has below its namespace.
fn full_name(name: &str, kind: &str, parent: Option<&Parent>) -> String {
    let depth = kind.split('/').count().saturating_sub(1);
    match parent {
        Some(p) if name.split('/').count() < depth => format!("{}/{name}", p.name),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_type_and_name_take_the_parents() {
        let vnet = Parent {
            kind: "Microsoft.Network/virtualNetworks".into(),
            name: "vnet".into(),
        };
        let kind = full_type("subnets", Some(&vnet));
        assert_eq!(kind, "Microsoft.Network/virtualNetworks/subnets");
        assert_eq!(full_name("snet", &kind, Some(&vnet)), "vnet/snet");
        assert_eq!(full_name("vnet/snet", &kind, Some(&vnet)), "vnet/snet");
        assert_eq!(
            full_type("Microsoft.Network/virtualNetworks/subnets", Some(&vnet)),
            kind
        );
        assert_eq!(full_name("x", "A.B/c", None), "x");
    }
}
