//! Exports of live subscriptions: `az graph query` output, `az resource list` and other
//! `az … list` / `show` dumps (ARM REST objects or flattened), and REST list pages.
//! Every element with an ARM id becomes a canonical resource whose address is its id and
//! whose spans point into the export file. `az group export` prints an ARM template,
//! which the ARM reader handles.

mod element;
mod kind;
mod layout;
mod row_spans;
mod shape;

use std::ops::Range;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::ingest::json::{self, JsonDoc};
use crate::ingest::json_inputs;
use crate::model::{FileId, Resource, Sources, Span};

/// Whether a JSON document is a live export moat reads.
pub fn recognise(doc: &serde_json::Value) -> bool {
    shape::recognise(doc)
}

/// Whether a parsed input is a live export: like [`recognise`], its unparsed rows
/// included (read in order until one has an ARM id; a row that does not parse is left
/// for [`ingest`] to report).
pub fn recognise_doc(doc: &JsonDoc) -> bool {
    recognise(&doc.value)
        || doc.rows.as_ref().is_some_and(|rows| {
            !shape::is_arm_template(&doc.value)
                && rows.ranges.iter().any(|range| {
                    json::row_value(&rows.text.read(range.clone()))
                        .is_some_and(|row| shape::has_arm_id(&row))
                })
        })
}

/// One element read, with the spans its diagnostics point at.
struct Element {
    read: element::Read,
    /// The element itself.
    span: Option<Span>,
    /// Its `id`.
    id_span: Option<Span>,
}

/// Reads the element at `pointer` in `doc`; `row` when `doc` is a row of its own.
fn element_at(
    doc: &JsonDoc,
    file: FileId,
    pointer: &str,
    value: &serde_json::Value,
    row: Option<element::Row>,
) -> Element {
    Element {
        read: element::read(doc, file, pointer, value, row),
        span: doc.span_of(pointer),
        id_span: doc.span_of(&format!("{pointer}/id")),
    }
}

/// Bytes of rows read and parsed at a time: a big export is read batch by batch, each
/// batch's rows parsed on every core and dropped once read.
const BATCH_BYTES: usize = 8 * 1024 * 1024;

/// Reads every element of an export, on every core, and hands each to `take` in order:
/// the rows of [`JsonDoc::rows`] are read in batches and parsed one at a time, each batch
/// handed over and dropped before the next is read.
fn elements(
    doc: &JsonDoc,
    file: FileId,
    sources: &Sources,
    mut take: impl FnMut(Element),
) -> Result<(), Diagnostic> {
    match &doc.rows {
        Some(rows) => {
            for batch in batches(&rows.ranges) {
                let at = batch.first().map_or(0, |r| r.start);
                let end = batch.last().map_or(at, |r| r.end);
                let text = rows.text.read(at..end);
                let read: Result<Vec<Element>, Diagnostic> = batch
                    .par_iter()
                    .map(|range| {
                        let row_text = text
                            .get(range.start - at..range.end - at)
                            .unwrap_or_default();
                        let row = json::parse_row(sources, file, row_text, range.clone())?;
                        let text = element::Row {
                            text: rows.text.clone(),
                            range: range.clone(),
                        };
                        Ok(element_at(&row, file, "", &row.value, Some(text)))
                    })
                    .collect();
                read?.into_iter().for_each(&mut take);
            }
        }
        None => {
            let found: Vec<(String, &serde_json::Value)> = shape::elements(&doc.value).collect();
            let read: Vec<Element> = found
                .par_iter()
                .map(|(pointer, value)| element_at(doc, file, pointer, value, None))
                .collect();
            read.into_iter().for_each(take);
        }
    }
    Ok(())
}

/// Consecutive rows in batches of at most [`BATCH_BYTES`] (or one row, when bigger).
fn batches(ranges: &[Range<usize>]) -> impl Iterator<Item = &[Range<usize>]> {
    let mut rest = ranges;
    std::iter::from_fn(move || {
        let first = rest.first()?;
        let n = rest
            .partition_point(|r| r.end - first.start <= BATCH_BYTES)
            .max(1);
        let (batch, tail) = rest.split_at(n);
        rest = tail;
        Some(batch)
    })
}

/// Reads one export file into canonical resources. A row that does not parse fails the
/// whole file, as a syntax error anywhere in it always has.
pub fn ingest(doc: &JsonDoc, file: FileId, sources: &Sources) -> (Vec<Resource>, Vec<Diagnostic>) {
    let mut resources = Vec::with_capacity(doc.rows.as_ref().map_or(0, |r| r.ranges.len()));
    let mut diagnostics = Vec::new();
    let mut without_id: Option<(Option<Span>, usize)> = None;
    let mut without_properties: Option<(Option<Span>, usize)> = None;
    let read = elements(doc, file, sources, |element| match element.read {
        element::Read::Resource(resource, properties_missing) => {
            if properties_missing {
                count(&mut without_properties, element.span);
            }
            resources.push(*resource)
        }
        element::Read::Problem(message) => diagnostics.push(Diagnostic::warning(
            sources.path(file),
            element.id_span,
            message,
        )),
        element::Read::NoId => count(&mut without_id, element.span),
        element::Read::NotAResource => {}
    });
    if let Err(e) = read {
        return (
            Vec::new(),
            vec![json_inputs::unparsed(&e, sources, file, false)],
        );
    }
    if let Some((first, count)) = without_id {
        diagnostics.push(Diagnostic::warning(
            sources.path(file),
            first,
            format!(
                "{count} element(s) have a resource type but no id and were skipped (the first is here); \
                 export the id too (Resource Graph: `project id, …`)"
            ),
        ));
    }
    if let Some((first, count)) = without_properties {
        diagnostics.push(Diagnostic::warning(
            sources.path(file),
            first,
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
fn count(tally: &mut Option<(Option<Span>, usize)>, span: Option<Span>) {
    match tally {
        Some((_, count)) => *count += 1,
        None => *tally = Some((span, 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::value::UNKNOWN_MARKER;
    use crate::ingest::json;
    use serde_json::json;

    const RG: &str = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-ml";

    fn read(text: &str) -> (Sources, Vec<Resource>, Vec<Diagnostic>) {
        let mut sources = Sources::default();
        let file = sources.add("export.json".into(), text.into());
        let doc = json::parse(&sources, file).expect("valid JSON");
        assert!(recognise(&doc.value), "not recognised: {text}");
        let (resources, diagnostics) = ingest(&doc, file, &sources);
        // Read row by row, the same resources, spans and diagnostics.
        let streamed = json::parse_input(&sources, file).expect("valid JSON");
        assert!(recognise_doc(&streamed));
        let (mut again, problems) = ingest(&streamed, file, &sources);
        // Rows keep few spans and compute the rest when asked: the same once computed.
        if streamed.rows.is_some() {
            assert!(again.iter().all(|r| !r.lazy_spans.is_empty()));
        }
        again.iter_mut().for_each(Resource::materialize_spans);
        assert_eq!(format!("{again:?}"), format!("{resources:?}"));
        assert_eq!(format!("{problems:?}"), format!("{diagnostics:?}"));
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
        assert_eq!(&*sa.kind, "Microsoft.Storage/storageAccounts");
        assert_eq!(sa.body.json()["type"], "Microsoft.Storage/storageAccounts");
        assert_eq!(sa.origin.address, sa.id);
        assert_eq!(line(&sources, sa.origin.span), 5);
        assert!(
            std::sync::Arc::ptr_eq(&sa.origin.address, &sa.id),
            "a live resource's address is its id, not a copy"
        );
        assert_eq!(
            line(&sources, sa.span_of("/properties/provisioningState")),
            9
        );
        assert_eq!(
            sa.body.json()["properties"]["publicNetworkAccess"],
            "Enabled"
        );
        assert_eq!(
            sa.body.json()["properties"]["networkAcls"]["defaultAction"],
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
            &*rule.kind,
            "Microsoft.Network/networkSecurityGroups/securityRules"
        );
        assert_eq!(rule.name, "nsg-ml/ssh");
        assert_eq!(rule.body.json()["name"], "ssh");
        assert_eq!(rule.body.json()["etag"], "W/\"1\"");
        assert_eq!(rule.body.json()["properties"]["priority"], 100);
        let priority_line = text
            .lines()
            .position(|l| l.contains("\"priority\""))
            .map(|i| i + 1);
        assert_eq!(
            Some(line(&sources, rule.span_of("/properties/priority"))),
            priority_line
        );
        assert_eq!(
            &*group.kind,
            "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
        );
        let config = &group.body.json()["properties"]["privateDnsZoneConfigs"][0];
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
            assert_eq!(r.body.json()["properties"], UNKNOWN_MARKER, "{}", r.name);
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
            resources[0].body.json()["properties"]["publicNetworkAccess"],
            "Enabled"
        );
        assert_eq!(resources[0].body.json()["name"], "kv-ml");
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
        assert_eq!(&*resources[0].kind, "Microsoft.Network/virtualNetworks");
        let [problem, no_id] = diagnostics.as_slice() else {
            panic!("two diagnostics expected, got {diagnostics:?}")
        };
        assert!(problem.message.contains("not an ARM resource id"));
        assert_eq!(problem.span.map(|s| line(&sources, s)), Some(4));
        assert!(no_id.message.starts_with("2 element(s)"));
        assert_eq!(no_id.span.map(|s| line(&sources, s)), Some(6));
    }

    #[test]
    fn a_row_that_does_not_parse_fails_its_file_where_the_error_is() {
        let good = format!("{RG}/providers/Microsoft.Network/virtualNetworks/vnet");
        let text =
            format!("{{\"data\": [\n{{\"id\": \"{good}\"}},\n{{\"id\": tru}}\n], \"count\": 2}}");
        let mut sources = Sources::default();
        let file = sources.add("export.json".into(), text.as_str().into());
        let doc = json::parse_input(&sources, file).expect("the envelope parses");
        assert!(doc.rows.is_some());
        assert!(recognise_doc(&doc));
        let (resources, diagnostics) = ingest(&doc, file, &sources);
        assert!(resources.is_empty());
        let [error] = diagnostics.as_slice() else {
            panic!("one error expected, got {diagnostics:?}")
        };
        assert_eq!(error.level, crate::diagnostic::Level::Error);
        assert!(
            error.message.contains("JSON syntax error"),
            "{}",
            error.message
        );
        assert!(error.message.contains("live export"), "{}", error.message);
        let whole = json::parse(&sources, file).expect_err("the file does not parse");
        assert_eq!(error.span, whole.span);
    }
}
