//! Exports of live subscriptions: `az graph query` output, `az resource list` and other
//! `az … list` / `show` dumps (ARM REST objects or flattened), and REST list pages.
//! Every element with an ARM id becomes a canonical resource whose address is its id and
//! whose spans point into the export file. `az group export` prints an ARM template,
//! which the ARM reader handles.

mod element;
mod kind;
mod layout;
mod shape;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::eval::value::UNKNOWN_MARKER;
use crate::ingest::json::JsonDoc;
use crate::model::{FileId, Resource, Sources};

/// Whether a JSON document is a live export moat reads.
pub fn recognise(doc: &serde_json::Value) -> bool {
    shape::recognise(doc)
}

/// Reads one export file into canonical resources.
pub fn ingest(doc: &JsonDoc, file: FileId, sources: &Sources) -> (Vec<Resource>, Vec<Diagnostic>) {
    let mut resources = Vec::new();
    let mut diagnostics = Vec::new();
    let mut without_id: Option<(String, usize)> = None;
    let mut without_properties: Option<(String, usize)> = None;
    // Rows are read on every core (a tenant's export is one file); tallies stay in order.
    let elements: Vec<(String, &serde_json::Value)> = shape::elements(&doc.value).collect();
    let read: Vec<element::Read> = elements
        .par_iter()
        .map(|(pointer, value)| element::read(doc, file, pointer, value))
        .collect();
    for ((pointer, _), read) in elements.into_iter().zip(read) {
        match read {
            element::Read::Resource(resource) => {
                if resource
                    .body
                    .get("properties")
                    .and_then(serde_json::Value::as_str)
                    == Some(UNKNOWN_MARKER)
                {
                    count(&mut without_properties, &pointer);
                }
                resources.push(*resource)
            }
            element::Read::Problem(message) => diagnostics.push(Diagnostic::warning(
                sources.path(file),
                doc.span_of(&format!("{pointer}/id")),
                message,
            )),
            element::Read::NoId => count(&mut without_id, &pointer),
            element::Read::NotAResource => {}
        }
    }
    if let Some((first, count)) = without_id {
        diagnostics.push(Diagnostic::warning(
            sources.path(file),
            doc.span_of(&first),
            format!(
                "{count} element(s) have a resource type but no id and were skipped (the first is here); \
                 export the id too (Resource Graph: `project id, …`)"
            ),
        ));
    }
    if let Some((first, count)) = without_properties {
        diagnostics.push(Diagnostic::warning(
            sources.path(file),
            doc.span_of(&first),
            format!(
                "{count} resource(s) in this export have no properties (`az resource list` leaves \
                 them out; the first is here): their settings are unknown and rules on them stay \
                 undecided; export them with `az graph query -q \"Resources | where resourceGroup \
                 =~ '…'\"` or `az resource show --ids …` to check them"
            ),
        ));
    }
    (resources, diagnostics)
}

/// Counts one more element of a kind, remembering where the first one is.
fn count(tally: &mut Option<(String, usize)>, pointer: &str) {
    match tally {
        Some((_, count)) => *count += 1,
        None => *tally = Some((pointer.to_owned(), 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::json;
    use serde_json::json;

    const RG: &str = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-ml";

    fn read(text: &str) -> (Sources, Vec<Resource>, Vec<Diagnostic>) {
        let mut sources = Sources::default();
        let file = sources.add("export.json".into(), text.into());
        let doc = json::parse(&sources, file).expect("valid JSON");
        assert!(recognise(&doc.value), "not recognised: {text}");
        let (resources, diagnostics) = ingest(&doc, file, &sources);
        (sources, resources, diagnostics)
    }

    fn line(sources: &Sources, span: crate::model::Span) -> usize {
        sources.get(span.file).line_col(span.start).line
    }

    #[test]
    fn graph_query_output_gets_canonical_types_spans_and_defaults() {
        let text = format!(
            r#"{{
  "count": 1,
  "data": [
    {{
      "id": "{RG}/providers/Microsoft.Storage/storageAccounts/stmlprod",
      "name": "stmlprod",
      "type": "microsoft.storage/storageaccounts",
      "properties": {{
        "provisioningState": "Succeeded",
        "networkAcls": {{"bypass": "AzureServices"}}
      }}
    }}
  ],
  "skip_token": null,
  "total_records": 1
}}"#
        );
        let (sources, resources, diagnostics) = read(&text);
        assert!(diagnostics.is_empty());
        let [sa] = resources.as_slice() else {
            panic!("one resource expected, got {resources:?}")
        };
        assert_eq!(sa.kind, "Microsoft.Storage/storageAccounts");
        assert_eq!(sa.body["type"], "Microsoft.Storage/storageAccounts");
        assert_eq!(sa.origin.address, sa.id);
        assert_eq!(line(&sources, sa.origin.span), 5);
        assert_eq!(
            line(&sources, sa.span_of("/properties/provisioningState")),
            9
        );
        assert_eq!(sa.body["properties"]["publicNetworkAccess"], "Enabled");
        assert_eq!(
            sa.body["properties"]["networkAcls"]["defaultAction"],
            "Allow"
        );
        assert_eq!(
            sa.span_of("/properties/publicNetworkAccess"),
            sa.origin.span
        );
    }

    #[test]
    fn flattened_az_output_goes_back_under_properties() {
        let nsg = format!("{RG}/providers/Microsoft.Network/networkSecurityGroups/nsg-ml");
        let pe = format!("{RG}/providers/Microsoft.Network/privateEndpoints/pe-ws");
        let text = serde_json::to_string_pretty(&json!([
            {"access": "Allow", "destinationPortRange": "22", "direction": "Inbound",
             "etag": "W/\"1\"", "id": format!("{nsg}/securityRules/ssh"), "name": "ssh",
             "priority": 100, "resourceGroup": "rg-ml", "sourceAddressPrefix": "*"},
            {"id": format!("{pe}/privateDnsZoneGroups/default"), "name": "default",
             "privateDnsZoneConfigs": [{"name": "api", "privateDnsZoneId": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms",
                                        "recordSets": [{"fqdn": "x", "ttl": 10}]}],
             "provisioningState": "Succeeded", "resourceGroup": "rg-ml"}
        ]))
        .expect("serialisable");
        let (sources, resources, _) = read(&text);
        let [rule, group] = resources.as_slice() else {
            panic!("two resources expected, got {resources:?}")
        };
        assert_eq!(
            rule.kind,
            "Microsoft.Network/networkSecurityGroups/securityRules"
        );
        assert_eq!(rule.name, "nsg-ml/ssh");
        assert_eq!(rule.body["name"], "ssh");
        assert_eq!(rule.body["etag"], "W/\"1\"");
        assert_eq!(rule.body["properties"]["priority"], 100);
        let priority_line = text
            .lines()
            .position(|l| l.contains("\"priority\""))
            .map(|i| i + 1);
        assert_eq!(
            Some(line(&sources, rule.span_of("/properties/priority"))),
            priority_line
        );
        assert_eq!(
            group.kind,
            "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
        );
        let config = &group.body["properties"]["privateDnsZoneConfigs"][0];
        assert_eq!(config["name"], "api");
        assert!(config["properties"]["privateDnsZoneId"].is_string());
        assert_eq!(config["properties"]["recordSets"][0]["ttl"], 10);
        let zone_line = text
            .lines()
            .position(|l| l.contains("privateDnsZoneId"))
            .map(|i| i + 1);
        assert_eq!(
            Some(line(
                &sources,
                group.span_of("/properties/privateDnsZoneConfigs/0/properties/privateDnsZoneId")
            )),
            zone_line
        );
    }

    #[test]
    fn resources_listed_without_properties_are_unknown_with_one_warning() {
        let kv = format!("{RG}/providers/Microsoft.KeyVault/vaults/kv-ml");
        let sa = format!("{RG}/providers/Microsoft.Storage/storageAccounts/stml");
        let text = serde_json::to_string_pretty(&json!([
            {"id": kv, "name": "kv-ml", "type": "Microsoft.KeyVault/vaults",
             "properties": null, "createdTime": "2024-01-01T00:00:00Z"},
            {"id": sa, "name": "stml", "type": "Microsoft.Storage/storageAccounts",
             "properties": null, "provisioningState": "Succeeded"}
        ]))
        .expect("serialisable");
        let (sources, resources, diagnostics) = read(&text);
        for r in &resources {
            assert_eq!(r.body["properties"], UNKNOWN_MARKER, "{}", r.name);
        }
        let [warning] = diagnostics.as_slice() else {
            panic!("one warning expected, got {diagnostics:?}")
        };
        assert!(warning.message.starts_with("2 resource(s)"));
        assert!(warning.message.contains("az graph query"));
        assert_eq!(warning.span.map(|s| line(&sources, s)), Some(2));
        let text = json!({"id": kv, "properties": {}}).to_string();
        let (_, resources, diagnostics) = read(&text);
        assert!(diagnostics.is_empty());
        assert_eq!(
            resources[0].body["properties"]["publicNetworkAccess"],
            "Enabled"
        );
        assert_eq!(resources[0].body["name"], "kv-ml");
    }

    #[test]
    fn odd_elements_are_skipped_and_bad_ids_reported() {
        let good = format!("{RG}/providers/Microsoft.Network/virtualNetworks/vnet");
        let text = format!(
            r#"[
  1, "x", null, {{"name": "no id"}}, {{"id": 42}},
  {{"id": "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590", "type": "microsoft.resources/subscriptions"}},
  {{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks", "type": "Microsoft.Network/virtualNetworks"}},
  {{"id": "{good}", "properties": {{}}}},
  {{"name": "a", "type": "microsoft.network/virtualnetworks"}},
  {{"name": "b", "type": "microsoft.network/virtualnetworks"}}
]"#
        );
        let (sources, resources, diagnostics) = read(&text);
        assert_eq!(resources.len(), 1);
        assert_eq!(resources[0].kind, "Microsoft.Network/virtualNetworks");
        let [problem, no_id] = diagnostics.as_slice() else {
            panic!("two diagnostics expected, got {diagnostics:?}")
        };
        assert!(problem.message.contains("not an ARM resource id"));
        assert_eq!(problem.span.map(|s| line(&sources, s)), Some(4));
        assert!(no_id.message.starts_with("2 element(s)"));
        assert_eq!(no_id.span.map(|s| line(&sources, s)), Some(6));
    }
}
