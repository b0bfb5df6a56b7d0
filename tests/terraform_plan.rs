//! `terraform show -json` plans: recognised, mapped like configuration, unknowns kept,
//! ids of resources not yet created followed through module calls, and findings pointed
//! at the `.tf` declaration when it is scanned, else into the plan.

use std::path::Path;

use moat::ingest::json;
use moat::ingest::terraform::{ingest_plan, is_plan};
use moat::model::{FileId, Resource, Sources};

const DIR: &str = "testdata/terraform/plan";

fn add(sources: &mut Sources, path: &str) -> FileId {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(full).expect("fixture");
    sources.add(path.into(), text.into())
}

fn read(with_tf: bool) -> (Sources, Vec<Resource>) {
    let mut sources = Sources::default();
    if with_tf {
        add(&mut sources, &format!("{DIR}/main.tf"));
        add(&mut sources, &format!("{DIR}/modules/pe/main.tf"));
    }
    let plan = add(&mut sources, &format!("{DIR}/plan.json"));
    let doc = json::parse(&sources, plan).expect("plan parses");
    assert!(is_plan(&doc.value));
    let (resources, diagnostics) = ingest_plan(&doc, plan, &sources);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    (sources, resources)
}

fn find<'r>(resources: &'r [Resource], address: &str) -> &'r Resource {
    resources
        .iter()
        .find(|r| &*r.origin.address == address)
        .unwrap_or_else(|| panic!("{address} is modelled"))
}

fn line(sources: &Sources, resource: &Resource, pointer: &str) -> String {
    let span = resource.span_of(pointer);
    let file = sources.get(span.file);
    format!("{}:{}", file.path.display(), file.line_col(span.start).line)
}

#[test]
fn planned_values_map_to_the_model_with_spans_in_the_tf_files() {
    let (sources, resources) = read(true);
    let public = find(&resources, "azurerm_storage_account.data[1]");
    assert_eq!(
        public.body.json()["properties"]["publicNetworkAccess"],
        "Enabled"
    );
    assert_eq!(
        line(&sources, public, "/properties/publicNetworkAccess"),
        format!("{DIR}/main.tf:8")
    );
    let private = find(&resources, "azurerm_storage_account.data[0]");
    assert_eq!(
        private.body.json()["properties"]["publicNetworkAccess"],
        "Disabled"
    );
    let endpoint = find(&resources, "module.endpoint.azurerm_private_endpoint.this");
    let target = &endpoint.body.json()["properties"]["privateLinkServiceConnections"][0]
        ["properties"]["privateLinkServiceId"];
    assert_eq!(target, &serde_json::json!(private.id));
    assert_eq!(
        line(&sources, endpoint, ""),
        format!("{DIR}/modules/pe/main.tf:9")
    );
}

#[test]
fn without_the_tf_files_spans_point_into_the_plan() {
    let (sources, resources) = read(false);
    let public = find(&resources, "azurerm_storage_account.data[1]");
    let at = line(&sources, public, "/properties/publicNetworkAccess");
    assert!(at.starts_with(&format!("{DIR}/plan.json:")), "{at}");
    assert_ne!(at, line(&sources, public, ""));
}

#[test]
fn other_json_is_not_a_plan() {
    assert!(!is_plan(
        &serde_json::json!({"$schema": "x", "resources": []})
    ));
    assert!(is_plan(
        &serde_json::json!({"format_version": "1.2", "planned_values": {}})
    ));
}

#[test]
fn declarations_in_json_syntax_take_the_findings_too() {
    let mut sources = Sources::default();
    add(&mut sources, &format!("{DIR}/main.tf"));
    let declaration = "{\n  \"resource\": {\n    \"azurerm_private_endpoint\": {\n      \"this\": {\n        \"name\": \"pe\"\n      }\n    }\n  }\n}\n";
    sources.add(
        format!("{DIR}/modules/pe/main.tf.json").into(),
        declaration.into(),
    );
    let plan = add(&mut sources, &format!("{DIR}/plan.json"));
    let doc = json::parse(&sources, plan).expect("plan parses");
    let (resources, _) = ingest_plan(&doc, plan, &sources);
    let endpoint = find(&resources, "module.endpoint.azurerm_private_endpoint.this");
    assert_eq!(
        line(&sources, endpoint, ""),
        format!("{DIR}/modules/pe/main.tf.json:4")
    );
}
