//! Child resources both ways Azure allows: inline in the parent and as resources of
//! their own. After [`link_children`], every inline child is also a resource and every
//! child resource is also inline, so one rule sees one effective configuration.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::id;
use super::key_table::{Key, KeyTable};
use super::resource::Resource;
use crate::eval::value::UNKNOWN_MARKER;

/// Whether a parent's `properties.<property>` list holds children that become resources
/// of their own (and so need their items' spans when they are split off).
pub fn splits_off(property: &str) -> bool {
    INLINE_CHILDREN.iter().any(|(_, p, _)| *p == property)
}

/// Parent types whose children ARM also shows inline, and where.
const INLINE_CHILDREN: &[(&str, &str, &str)] = &[
    (
        "Microsoft.Network/networkSecurityGroups",
        "securityRules",
        "Microsoft.Network/networkSecurityGroups/securityRules",
    ),
    (
        "Microsoft.Network/virtualNetworks",
        "subnets",
        "Microsoft.Network/virtualNetworks/subnets",
    ),
];

/// Makes inline children and child resources mirror each other (see the module docs).
/// Children join parents of their own deployment unit only. `by_id` is the id table of
/// `resources` as given ([`merge_duplicates`] returns it).
pub fn link_children(resources: &mut Vec<Resource>, by_id: &KeyTable) {
    let first =
        |key: Key<'_>, resources: &[Resource]| by_id.get(key, |j| id_key(&resources[j])).next();
    // Finding the pairs and the inline children only reads: on every core, in order.
    let merges: Vec<(usize, usize)> = resources
        .par_iter()
        .enumerate()
        .filter(|(_, child)| inline_slot_of_child(&child.kind).is_some())
        .filter_map(|(child_index, child)| {
            let parent = id::parent(&child.id)?;
            let parent = first(Key::new(child.unit.0, parent), resources)?;
            Some((parent, child_index))
        })
        .collect();
    for &(parent_index, child_index) in &merges {
        if let Some((parent, child)) = parent_and_child(resources, parent_index, child_index) {
            merge_into_parent(parent, child);
        }
    }
    // Packed again once all its children are in, not after each (a parent with hundreds of
    // separate child rows would be encoded hundreds of times).
    for &(parent_index, _) in &merges {
        resources[parent_index].body.pack();
    }
    let shared: &[Resource] = resources;
    let exploded: Vec<Resource> = shared
        .par_iter()
        .flat_map_iter(|parent| {
            let declared = |child_id: &str| first(Key::new(parent.unit.0, child_id), shared);
            inline_children(parent, declared)
        })
        .collect();
    // Exactly: the graph keeps this vector, and doubling it would hold up to half a
    // vector of empty resource slots.
    resources.reserve_exact(exploded.len());
    resources.extend(exploded);
}

/// A parent's inline children that are not also declared as resources of their own
/// (`declared` says which child ids are), each as a resource.
fn inline_children(parent: &Resource, declared: impl Fn(&str) -> Option<usize>) -> Vec<Resource> {
    let Some((_, property, child_kind)) =
        INLINE_CHILDREN.iter().find(|(kind, _, _)| parent.is(kind))
    else {
        return Vec::new();
    };
    let json = parent.body.json();
    let Some(items) = json
        .pointer(&format!("/properties/{property}"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(name) = item.get("name").and_then(Value::as_str) else {
            continue;
        };
        let child_id = format!("{}/{}/{}", parent.id, property, name);
        if declared(&child_id).is_none() {
            out.push(explode(
                parent, property, child_kind, i, item, name, child_id,
            ));
        }
    }
    out
}

/// The parent to merge into and the child, borrowed at once instead of cloning the child;
/// `None` for one resource (a parent's id is never its child's).
fn parent_and_child(
    resources: &mut [Resource],
    parent: usize,
    child: usize,
) -> Option<(&mut Resource, &Resource)> {
    if parent < child {
        let (head, tail) = resources.split_at_mut(child);
        Some((&mut head[parent], &tail[0]))
    } else if child < parent {
        let (head, tail) = resources.split_at_mut(parent);
        Some((&mut tail[0], &head[child]))
    } else {
        None
    }
}

/// The resources by `(unit, id)`.
fn ids(resources: &[Resource]) -> KeyTable {
    let mut by_id = KeyTable::with_capacity(resources.len());
    for (i, r) in resources.iter().enumerate() {
        by_id.insert(i, id_key(r), |j| id_key(&resources[j]));
    }
    by_id
}

/// A resource's key among the ids of its unit.
fn id_key(r: &Resource) -> Key<'_> {
    Key::new(r.unit.0, &r.id)
}

fn inline_slot_of_child(kind: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    INLINE_CHILDREN
        .iter()
        .find(|(_, _, child)| child.eq_ignore_ascii_case(kind))
}

fn merge_into_parent(parent: &mut Resource, child: &Resource) {
    let Some((_, property, _)) = inline_slot_of_child(&child.kind) else {
        return;
    };
    let own_name = id::last_name(&child.id).to_owned();
    if parent.body.json().get("properties").and_then(Value::as_str) == Some(UNKNOWN_MARKER) {
        // An export without the parent's properties: they stay unknown, not just this child.
        return;
    }
    let Some(properties) = ensure_object(parent.body.make_mut(), "properties") else {
        return;
    };
    let items = properties
        .entry(property.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !items.is_array() {
        *items = Value::Array(Vec::new());
    }
    let Some(items) = items.as_array_mut() else {
        return;
    };
    if items.iter().any(|item| {
        item.get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case(&own_name))
    }) {
        return;
    }
    let mut item = Value::clone(&child.body.json());
    if let Some(obj) = item.as_object_mut() {
        obj.insert("name".into(), Value::String(own_name));
        obj.insert("id".into(), Value::String(child.id.to_string()));
    }
    let prefix = format!("/properties/{property}/{}", items.len());
    items.push(item);
    parent.spans.insert(prefix.clone(), child.origin.span);
    for (pointer, span) in &child.spans {
        parent.spans.insert(format!("{prefix}{pointer}"), *span);
    }
    parent.lazy_spans.append_under(&prefix, &child.lazy_spans);
    for (pointer, chain) in &child.provenance {
        parent
            .provenance
            .insert(format!("{prefix}{pointer}"), chain.clone());
    }
}

fn ensure_object<'a>(body: &'a mut Value, key: &str) -> Option<&'a mut Map<String, Value>> {
    let obj = body.as_object_mut()?;
    let entry = obj
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry.as_object_mut()
}

fn explode(
    parent: &Resource,
    property: &str,
    child_kind: &str,
    index: usize,
    item: &Value,
    name: &str,
    child_id: String,
) -> Resource {
    let prefix = format!("/properties/{property}/{index}");
    let mut body = item.clone();
    if let Some(obj) = body.as_object_mut() {
        obj.insert("name".into(), Value::String(name.to_owned()));
        obj.insert("type".into(), Value::String(child_kind.to_owned()));
        obj.remove("id");
    }
    let spans = under(&parent.spans, &prefix);
    let lazy_spans = parent.lazy_spans.under(&prefix);
    let provenance = under(&parent.provenance, &prefix);
    let mut origin = parent.origin.clone();
    origin.span = parent.span_of(&prefix);
    origin.address = format!("{}.{property}[\"{name}\"]", parent.origin.address).into();
    let mut body = crate::model::Body::from(body);
    // Complete: packed at once, as every resource read from an export already is.
    body.pack();
    Resource {
        id: child_id.into(),
        kind: super::intern::kind(child_kind),
        name: format!("{}/{name}", parent.name),
        body,
        origin,
        spans,
        lazy_spans,
        unit: parent.unit,
        provenance,
    }
}

/// The id table of `resources`, unless two resources of one unit have the same id.
fn unrepeated_ids(resources: &[Resource]) -> Option<KeyTable> {
    let mut seen = KeyTable::with_capacity(resources.len());
    for (i, r) in resources.iter().enumerate() {
        let key_of = |j: usize| id_key(&resources[j]);
        if seen.get(id_key(r), key_of).next().is_some() {
            return None;
        }
        seen.insert(i, id_key(r), key_of);
    }
    Some(seen)
}

/// The entries of a pointer-keyed map under `prefix` (not `prefix` itself), re-keyed
/// relative to it.
fn under<T: Clone>(map: &BTreeMap<String, T>, prefix: &str) -> BTreeMap<String, T> {
    map.range(prefix.to_owned()..)
        .take_while(|(p, _)| p.starts_with(prefix))
        .filter_map(|(p, v)| {
            let rest = &p[prefix.len()..];
            rest.starts_with('/').then(|| (rest.to_owned(), v.clone()))
        })
        .collect()
}

/// Two declarations of one id inside one deployment unit: both are kept (and checked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The first declaration, the one ids resolve to.
    pub first: usize,
    /// The later one.
    pub second: usize,
}

/// Merges the records of one declaration within a unit (same case-insensitive id, same
/// address): later fields fill in what earlier ones lack. A live export spreads one
/// resource over several files; a Terraform plan and its configuration give one resource
/// twice. Two declarations (different addresses) of one id within a unit are a conflict
/// Azure would reject or overwrite: both are kept, and reported as duplicates. Resources
/// of different units never merge. Also returns the id table of the merged resources.
pub fn merge_duplicates(resources: Vec<Resource>) -> (Vec<Resource>, Vec<Duplicate>, KeyTable) {
    // Usually no id repeats: then the resources stay where they are (a tenant's would
    // otherwise be held twice while moved into a new vector).
    if let Some(by_id) = unrepeated_ids(&resources) {
        return (resources, Vec::new(), by_id);
    }
    let mut seen = KeyTable::with_capacity(resources.len());
    let mut out: Vec<Resource> = Vec::with_capacity(resources.len());
    let mut duplicates = Vec::new();
    for r in resources {
        let found = seen.get(id_key(&r), |j| id_key(&out[j])).next();
        match found {
            Some(i)
                if out[i]
                    .origin
                    .address
                    .eq_ignore_ascii_case(&r.origin.address) =>
            {
                fill_missing(out[i].body.make_mut(), &r.body.json());
                // Which record's span wins is decided pointer by pointer: compute them all.
                out[i].materialize_spans();
                let mut r = r;
                r.materialize_spans();
                let mut provenance = r.provenance;
                for (p, s) in r.spans {
                    if out[i].spans.contains_key(&p) {
                        continue;
                    }
                    if let Some(chain) = provenance.remove(&p) {
                        out[i].provenance.insert(p.clone(), chain);
                    }
                    out[i].spans.insert(p, s);
                }
            }
            Some(first) => {
                duplicates.push(Duplicate {
                    first,
                    second: out.len(),
                });
                out.push(r);
            }
            None => {
                out.push(r);
                let i = out.len() - 1;
                seen.insert(i, id_key(&out[i]), |j| id_key(&out[j]));
            }
        }
    }
    let by_id = ids(&out);
    (out, duplicates, by_id)
}

fn fill_missing(target: &mut Value, source: &Value) {
    match (target, source) {
        (Value::Object(t), Value::Object(s)) => {
            for (k, v) in s {
                match t.get_mut(k) {
                    Some(existing) => fill_missing(existing, v),
                    None => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (t @ Value::Null, s) => *t = s.clone(),
        // `az resource list` left the properties out; another dump of the export has them.
        (t @ Value::String(_), s) if t.as_str() == Some(UNKNOWN_MARKER) && !s.is_null() => {
            *t = s.clone()
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UnitId;
    use serde_json::json;

    fn resource(id: &str, kind: &str, body: Value) -> Resource {
        Resource::test(id, kind, body)
    }

    const NSG: &str =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg";

    #[test]
    fn inline_rules_become_resources_and_separate_rules_become_inline() {
        let mut resources = vec![
            resource(
                NSG,
                "Microsoft.Network/networkSecurityGroups",
                json!({"properties": {"securityRules": [{"name": "inline", "properties": {"access": "Allow"}}]}}),
            ),
            resource(
                &format!("{NSG}/securityRules/separate"),
                "Microsoft.Network/networkSecurityGroups/securityRules",
                json!({"properties": {"access": "Deny"}}),
            ),
        ];
        let by_id = ids(&resources);
        link_children(&mut resources, &by_id);
        assert_eq!(resources.len(), 3);
        let json = resources[0].body.json();
        let rules = json.pointer("/properties/securityRules").unwrap();
        assert_eq!(rules.as_array().unwrap().len(), 2);
        assert_eq!(rules[1]["name"], "separate");
        let exploded = &resources[2];
        assert_eq!(exploded.name, "nsg/inline");
        assert_eq!(*exploded.id, format!("{NSG}/securityRules/inline"));
        assert_eq!(exploded.body.json()["properties"]["access"], "Allow");
    }

    #[test]
    fn properties_another_dump_has_replace_the_unknown_ones() {
        let (merged, _, _) = merge_duplicates(vec![
            resource(
                NSG,
                "Microsoft.Network/networkSecurityGroups",
                json!({"properties": UNKNOWN_MARKER}),
            ),
            resource(
                NSG,
                "Microsoft.Network/networkSecurityGroups",
                json!({"properties": {"a": 1}}),
            ),
        ]);
        assert_eq!(merged[0].body.json()["properties"], json!({"a": 1}));
        let mut resources = vec![
            resource(
                NSG,
                "Microsoft.Network/networkSecurityGroups",
                json!({"properties": UNKNOWN_MARKER}),
            ),
            resource(
                &format!("{NSG}/securityRules/separate"),
                "Microsoft.Network/networkSecurityGroups/securityRules",
                json!({"properties": {"access": "Deny"}}),
            ),
        ];
        let by_id = ids(&resources);
        link_children(&mut resources, &by_id);
        assert_eq!(resources[0].body.json()["properties"], UNKNOWN_MARKER);
    }

    #[test]
    fn duplicates_merge_by_id_case_insensitively() {
        let (merged, duplicates, _) = merge_duplicates(vec![
            resource(
                NSG,
                "T",
                json!({"location": "westeurope", "properties": {"a": 1}}),
            ),
            resource(&NSG.to_uppercase(), "T", json!({"properties": {"b": 2}})),
        ]);
        assert_eq!(merged.len(), 1);
        assert!(duplicates.is_empty());
        assert_eq!(merged[0].body.json()["properties"], json!({"a": 1, "b": 2}));
    }

    #[test]
    fn declarations_never_merge_across_units_and_duplicates_within_one_are_kept() {
        let declared = |unit: u32, address: &str| {
            let mut r = resource(NSG, "T", json!({"properties": {"a": address}}));
            r.origin.address = address.into();
            r.unit = UnitId(unit);
            r
        };
        let (merged, duplicates, _) = merge_duplicates(vec![declared(0, "x"), declared(1, "x")]);
        assert_eq!(merged.len(), 2, "units never merge");
        assert!(duplicates.is_empty());
        let (merged, duplicates, _) = merge_duplicates(vec![declared(0, "x"), declared(0, "y")]);
        assert_eq!(merged.len(), 2);
        assert_eq!(
            duplicates,
            vec![Duplicate {
                first: 0,
                second: 1
            }]
        );
    }
}
