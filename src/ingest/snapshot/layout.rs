//! ARM REST shape for exported objects, keeping the span of every value.
//!
//! Many `az` commands print objects flattened: the `properties` lifted to the top level,
//! and the same inside sub-resources (`securityRules`, `privateDnsZoneConfigs`, …). Here
//! every key outside the envelope goes back under `properties`, for the resource and for
//! the items of the sub-resource lists ARM nests; other nested objects stay as they are.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::ingest::json::JsonDoc;
use crate::model::pointer::push_token;
use crate::model::Span;

/// Keys ARM keeps at the top of a resource; the rest belongs under `properties`.
const ENVELOPE: &[&str] = &[
    "id",
    "name",
    "type",
    "location",
    "tags",
    "sku",
    "kind",
    "identity",
    "zones",
    "etag",
    "managedBy",
    "plan",
    "resourceGroup",
    "subscriptionId",
    "tenantId",
    "extendedLocation",
    "systemData",
];

/// Keys `az resource list` prints beside `"properties": null`: a summary, not properties.
const SUMMARY: &[&str] = &["changedTime", "createdTime", "provisioningState"];

/// Keys ARM keeps at the top of a sub-resource (an item of the lists below).
const SUB_ENVELOPE: &[&str] = &["id", "name", "type", "etag", "resourceGroup"];

/// Properties holding lists of sub-resources, each `{id, name, properties}` in ARM.
const SUB_RESOURCE_LISTS: &[&str] = &[
    "securityRules",
    "defaultSecurityRules",
    "subnets",
    "ipConfigurations",
    "privateLinkServiceConnections",
    "manualPrivateLinkServiceConnections",
    "privateDnsZoneConfigs",
    "privateEndpointConnections",
    "virtualNetworkPeerings",
];

/// Flattened `az` output names some properties after its SDK, not the REST API:
/// (type, name `az` prints, ARM name). Applied only to flattened objects.
const AZ_NAMES: &[(&str, &str, &str)] = &[
    (
        "Microsoft.Storage/storageAccounts",
        "networkRuleSet",
        "networkAcls",
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "enableHttpsTrafficOnly",
        "supportsHttpsTrafficOnly",
    ),
];

/// A body in ARM shape and, for each JSON pointer in it, the span it came from.
pub struct Shaped {
    /// The body.
    pub body: Value,
    /// Body pointer → span in the export file.
    pub spans: BTreeMap<String, Span>,
    /// Whether the object carried properties (`az resource list` prints `properties: null`).
    pub has_properties: bool,
    /// Whether the export left the properties out altogether (`properties` null or absent,
    /// and nothing but the envelope and `az resource list`'s summary beside it).
    pub properties_missing: bool,
}

/// Which spans [`shape`] records.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// Every value's.
    All,
    /// Only the items of sub-resource lists (where inline children are declared); the
    /// rest is computed again when asked for (see [`crate::model::lazy_spans`]).
    Items,
}

/// Shapes the exported object at `pointer` in `doc`, a resource of type `kind`.
pub fn shape(
    doc: &JsonDoc,
    pointer: &str,
    object: &Map<String, Value>,
    kind: &str,
    record: Record,
) -> Shaped {
    let mut shaper = Shaper {
        doc,
        spans: BTreeMap::new(),
        all: record == Record::All,
    };
    let has_properties = match object.get("properties") {
        Some(p) => p.is_object(),
        None => object.keys().any(|k| !ENVELOPE.contains(&k.as_str())),
    };
    let properties_missing = object.get("properties").is_none_or(Value::is_null)
        && object.keys().all(|k| {
            k == "properties" || ENVELOPE.contains(&k.as_str()) || SUMMARY.contains(&k.as_str())
        });
    let renames: Vec<(&str, &str)> = AZ_NAMES
        .iter()
        .filter(|(k, _, _)| k.eq_ignore_ascii_case(kind))
        .map(|(_, az, arm)| (*az, *arm))
        .collect();
    let body = Value::Object(shaper.resource(object, pointer, "", ENVELOPE, &renames));
    Shaped {
        body,
        spans: shaper.spans,
        has_properties,
        properties_missing,
    }
}

struct Shaper<'a> {
    doc: &'a JsonDoc,
    spans: BTreeMap<String, Span>,
    /// Whether every value's span is recorded, or only sub-resource items'.
    all: bool,
}

impl Shaper<'_> {
    /// A (sub-)resource: `envelope` keys at the top, the rest under `properties`.
    fn resource(
        &mut self,
        object: &Map<String, Value>,
        src: &str,
        dst: &str,
        envelope: &[&str],
        renames: &[(&str, &str)],
    ) -> Map<String, Value> {
        let nested = object.get("properties").and_then(Value::as_object);
        let mut out = Map::new();
        let mut properties = Map::new();
        for (key, value) in object {
            let from = child(src, key);
            if key == "properties" {
                if let Some(nested) = nested {
                    if self.all {
                        self.record(&from, &child(dst, key));
                    }
                    for (k, v) in nested {
                        let (from, to) = (child(&from, k), child(&child(dst, key), k));
                        properties.insert(k.clone(), self.property(k, v, &from, &to));
                    }
                }
            } else if nested.is_some() || envelope.contains(&key.as_str()) {
                out.insert(key.clone(), self.copy(value, &from, &child(dst, key)));
            } else {
                let key = renames
                    .iter()
                    .find(|(az, _)| az == key)
                    .map_or(key.as_str(), |(_, arm)| arm);
                let to = child(&child(dst, "properties"), key);
                properties.insert(key.to_owned(), self.property(key, value, &from, &to));
            }
        }
        if nested.is_some() || !properties.is_empty() {
            out.insert("properties".into(), Value::Object(properties));
        }
        out
    }

    /// A property value: sub-resource lists get their items shaped too.
    fn property(&mut self, key: &str, value: &Value, src: &str, dst: &str) -> Value {
        let Some(items) = value
            .as_array()
            .filter(|_| SUB_RESOURCE_LISTS.contains(&key))
        else {
            return self.copy(value, src, dst);
        };
        if self.all {
            self.record(src, dst);
        }
        // Items split off as resources of their own are declared where they stand: their
        // spans are kept. Any other span is computed again when a finding asks for it.
        let keep_items = self.all || crate::model::splits_off(key);
        let shaped = items.iter().enumerate().map(|(i, item)| {
            let (from, to) = (child(src, &i.to_string()), child(dst, &i.to_string()));
            match item.as_object() {
                Some(object) => {
                    if keep_items {
                        self.record(&from, &to);
                    }
                    Value::Object(self.resource(object, &from, &to, SUB_ENVELOPE, &[]))
                }
                None => self.copy(item, &from, &to),
            }
        });
        Value::Array(shaped.collect())
    }

    /// A value as it is, with the spans of everything in it.
    fn copy(&mut self, value: &Value, src: &str, dst: &str) -> Value {
        self.record_tree(value, src, dst);
        value.clone()
    }

    fn record_tree(&mut self, value: &Value, src: &str, dst: &str) {
        if !self.all {
            return;
        }
        self.record(src, dst);
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let i = i.to_string();
                    self.record_tree(item, &child(src, &i), &child(dst, &i));
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    self.record_tree(v, &child(src, k), &child(dst, k));
                }
            }
            _ => {}
        }
    }

    fn record(&mut self, src: &str, dst: &str) {
        if let Some(span) = self.doc.spans.get(src) {
            self.spans.insert(dst.to_owned(), *span);
        }
    }
}

/// The pointer to `key` under `pointer`, escaped as RFC 6901 says.
fn child(pointer: &str, key: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + key.len() + 1);
    out.push_str(pointer);
    push_token(&mut out, key);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::json;
    use crate::model::Sources;
    use serde_json::json;

    fn shaped(value: &Value, kind: &str) -> (Sources, Shaped) {
        let mut sources = Sources::default();
        let text = serde_json::to_string_pretty(value).expect("serialisable");
        let file = sources.add("x.json".into(), text.into());
        let doc = json::parse(&sources, file).expect("valid JSON");
        let object = doc.value.as_object().cloned().unwrap_or_default();
        let out = shape(&doc, "", &object, kind, Record::All);
        (sources, out)
    }

    #[test]
    fn flattened_storage_gets_arm_names_and_escaped_pointers() {
        let (sources, out) = shaped(
            &json!({
                "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa",
                "networkRuleSet": {"defaultAction": "Deny"},
                "tags": {"hidden-link:/app-insights-resource-id": "x"},
                "properties": null
            }),
            "Microsoft.Storage/storageAccounts",
        );
        assert_eq!(
            out.body["properties"],
            json!({"networkAcls": {"defaultAction": "Deny"}})
        );
        assert!(!out.has_properties);
        assert!(!out.properties_missing);
        let span = out.spans["/properties/networkAcls/defaultAction"];
        let text = &sources.get(span.file).text()[span.start..span.end];
        assert_eq!(text, "\"defaultAction\": \"Deny\"");
        assert!(out
            .spans
            .contains_key("/tags/hidden-link:~1app-insights-resource-id"));
    }

    #[test]
    fn arm_shaped_objects_keep_their_layout() {
        let value = json!({
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n",
            "properties": {"securityRules": [{"name": "a", "properties": {"priority": 100}}]},
            "createdTime": "2024-01-01"
        });
        let (_, out) = shaped(&value, "Microsoft.Network/networkSecurityGroups");
        assert_eq!(out.body, value);
        assert!(out.has_properties);
        assert!(out
            .spans
            .contains_key("/properties/securityRules/0/properties/priority"));
    }
}
