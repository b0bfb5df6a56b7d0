//! The shapes an export file comes in, and the resource candidates inside each.

use serde_json::{Map, Value};

use crate::model::id;

/// `$schema` fragments of ARM templates and parameter files: the ARM reader's, not ours.
const ARM_SCHEMAS: &[&str] = &["deploymentTemplate", "deploymentParameters"];

/// Whether the document is an export: it holds a resource with an ARM id, or it is an
/// Azure Resource Graph result (which may be empty).
pub fn recognise(doc: &Value) -> bool {
    if is_arm_template(doc) {
        return false;
    }
    if doc.as_object().is_some_and(is_graph_result) {
        return true;
    }
    elements(doc).any(|(_, element)| has_arm_id(element))
}

/// Every candidate element with its JSON pointer: the items of a top-level array, of
/// an Azure Resource Graph `data` array or of a REST page's `value` array; else the
/// document itself (`az resource show`).
pub fn elements(doc: &Value) -> Box<dyn Iterator<Item = (String, &Value)> + '_> {
    match doc {
        Value::Array(items) => Box::new(indexed("", items)),
        Value::Object(map) => match list_of(map) {
            Some((key, items)) => Box::new(indexed(key, items)),
            None => Box::new(std::iter::once((String::new(), doc))),
        },
        _ => Box::new(std::iter::empty()),
    }
}

fn indexed<'a>(
    prefix: &'a str,
    items: &'a [Value],
) -> impl Iterator<Item = (String, &'a Value)> + 'a {
    items
        .iter()
        .enumerate()
        .map(move |(i, v)| (format!("{prefix}/{i}"), v))
}

/// The list an envelope wraps: `{"data": [...]}` (Resource Graph) or `{"value": [...]}`
/// (REST list page), with the pointer to it.
fn list_of(map: &Map<String, Value>) -> Option<(&'static str, &[Value])> {
    [("data", "/data"), ("value", "/value")]
        .into_iter()
        .find_map(|(key, pointer)| Some((pointer, map.get(key)?.as_array()?.as_slice())))
}

/// `{"count", "data": [...], "skip_token", "total_records"}` as `az graph query` prints it.
fn is_graph_result(map: &Map<String, Value>) -> bool {
    map.get("data").is_some_and(Value::is_array)
        && ["count", "total_records", "skip_token"]
            .iter()
            .any(|k| map.contains_key(*k))
}

/// Whether the document is an ARM template or parameter file (by its `$schema`).
pub fn is_arm_template(doc: &Value) -> bool {
    doc.get("$schema")
        .and_then(Value::as_str)
        .is_some_and(|s| ARM_SCHEMAS.iter().any(|fragment| s.contains(fragment)))
}

/// Whether an element has an `id` that is an ARM resource id.
pub fn has_arm_id(element: &Value) -> bool {
    element
        .get("id")
        .and_then(Value::as_str)
        .is_some_and(|s| id::parse(s).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NSG: &str =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg";

    #[test]
    fn recognises_exports_and_not_templates() {
        assert!(recognise(
            &json!({"count": 0, "data": [], "skip_token": null, "total_records": 0})
        ));
        assert!(recognise(&json!([{"id": NSG}])));
        assert!(recognise(
            &json!({"value": [{"id": NSG}], "nextLink": null})
        ));
        assert!(recognise(&json!({"id": NSG, "name": "nsg"})));
        assert!(!recognise(&json!({
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "resources": [{"id": NSG}]
        })));
        assert!(!recognise(&json!([])));
        assert!(!recognise(&json!({"value": [{"id": "42"}]})));
        assert!(!recognise(&json!({"name": "package", "version": "1.0.0"})));
        assert!(!recognise(&json!("text")));
    }

    #[test]
    fn elements_carry_their_pointers() {
        let doc = json!({"data": [{"id": 1}, {"id": 2}]});
        let pointers: Vec<String> = elements(&doc).map(|(p, _)| p).collect();
        assert_eq!(pointers, ["/data/0", "/data/1"]);
        let single = json!({"id": NSG});
        assert_eq!(
            elements(&single).next().map(|(p, _)| p),
            Some(String::new())
        );
    }
}
