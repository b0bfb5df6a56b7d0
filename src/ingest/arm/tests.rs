//! Templates through the whole ARM ingester.

use serde_json::json;

use super::*;
use crate::eval::value::Value;
use crate::ingest::json;

fn run(text: &str, params: Vec<(String, Value)>) -> (Vec<Resource>, Vec<Diagnostic>, String) {
    let mut sources = Sources::default();
    let file = sources.add("t.json".into(), text.into());
    let doc = json::parse(&sources, file).expect("parses");
    let given = params
        .into_iter()
        .map(|(name, value)| parameters::Given {
            name,
            value,
            origins: Vec::new(),
        })
        .collect();
    let (r, d) = ingest(&doc, file, DeploymentScope::ResourceGroup, given, &sources);
    (r, d, text.to_owned())
}

#[test]
fn values_read_through_variables_say_which_parameter_default_set_them() {
    let text = r#"{
  "parameters": {"access": {"type": "string", "defaultValue": "Enabled"}},
  "variables": {"v": "[parameters('access')]"},
  "resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
    "name": "sa", "properties": {"publicNetworkAccess": "[variables('v')]", "x": "lit"}}]
}"#;
    let (resources, _, text) = run(text, Vec::new());
    let sa = &resources[0];
    let chain = sa.provenance_of("/properties/publicNetworkAccess");
    assert_eq!(chain.len(), 1);
    assert_eq!(
        chain[0].kind,
        crate::model::ProvenanceKind::ParameterDefault
    );
    assert_eq!(chain[0].name, "access");
    let span = chain[0].span.expect("a span");
    assert_eq!(&text[span.start..span.end], r#""defaultValue": "Enabled""#);
    assert!(sa.provenance_of("/properties/x").is_empty());
}

fn find<'a>(resources: &'a [Resource], name: &str) -> &'a Resource {
    resources
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no {name} in {:?}",
                resources.iter().map(|r| &r.name).collect::<Vec<_>>()
            )
        })
}

const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  // parameters and variables
  "parameters": {
    "prefix": {"type": "string", "defaultValue": "ml"},
    "count": {"type": "int", "defaultValue": 2},
    "secret": {"type": "securestring"},
    "withExtra": {"type": "bool", "defaultValue": false}
  },
  "variables": {
    "vnetName": "[concat(parameters('prefix'), '-vnet')]",
    "sa": "[toLower(concat(parameters('prefix'), 'sa', uniqueString(resourceGroup().id)))]",
    "copy": [{"name": "ports", "count": 2, "input": "[string(add(22, copyIndex('ports')))]"}]
  },
  "resources": [
    {
      "type": "Microsoft.Network/virtualNetworks",
      "apiVersion": "2023-04-01",
      "name": "[variables('vnetName')]",
      "properties": {
        "copy": [{"name": "subnets", "count": "[parameters('count')]",
                  "input": {"name": "[concat('snet', copyIndex('subnets'))]"}}]
      },
      "resources": [
        {"type": "subnets", "apiVersion": "2023-04-01", "name": "extra",
         "dependsOn": ["x"], "properties": {"addressPrefix": "10.0.9.0/24"}}
      ]
    },
    {
      "type": "Microsoft.Storage/storageAccounts",
      "name": "[concat(variables('sa'), copyIndex())]",
      "copy": {"name": "sas", "count": "[parameters('count')]", "mode": "Serial", "batchSize": 1},
      "properties": {"minimumTlsVersion": "TLS1_2"}
    },
    {
      "condition": "[parameters('withExtra')]",
      "type": "Microsoft.KeyVault/vaults", "name": "never", "properties": {}
    },
    {
      "type": "Microsoft.Network/networkSecurityGroups", "name": "nsg",
      "properties": {"securityRules": [{"name": "r", "properties": {
        "destinationPortRange": "[variables('ports')[0]]",
        "description": "[parameters('secret')]",
        "sourceAddressPrefix": "[concat('*',]"
      }}]}
    },
    {
      "type": "Microsoft.Network/privateEndpoints", "name": "pe",
      "properties": {"privateLinkServiceConnections": [{"name": "c", "properties": {
        "privateLinkServiceId": "[resourceId('Microsoft.Storage/storageAccounts', concat(variables('sa'), '0'))]"
      }}]}
    },
    {
      "type": "Microsoft.Resources/deployments", "name": "inner",
      "properties": {
        "expressionEvaluationOptions": {"scope": "inner"},
        "parameters": {"p": {"value": "[concat(parameters('prefix'), '-in')]"}},
        "template": {
          "parameters": {"p": {"type": "string"}},
          "variables": {"v": "[concat(parameters('p'), 'kv')]"},
          "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "[variables('v')]", "properties": {}}]
        }
      }
    },
    {
      "type": "Microsoft.Resources/deployments", "name": "outer", "resourceGroup": "other",
      "properties": {
        "template": {
          "resources": [{"type": "Microsoft.ContainerRegistry/registries",
                         "name": "[concat(parameters('prefix'), 'acr')]", "sku": {"name": "Basic"}}]
        }
      }
    }
  ]
}"#;

#[test]
fn models_loops_children_conditions_and_nested_deployments() {
    let (resources, diagnostics, text) = run(TEMPLATE, Vec::new());
    let names: Vec<&str> = resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(resources.len(), 8, "{names:?}");

    let vnet = find(&resources, "ml-vnet");
    assert_eq!(
        vnet.body.json()["properties"]["subnets"],
        json!([{"name": "snet0"}, {"name": "snet1"}])
    );
    assert!(vnet.body.json().get("apiVersion").is_none());
    assert_eq!(
        vnet.body.json()["type"],
        "Microsoft.Network/virtualNetworks"
    );
    let subnet = find(&resources, "ml-vnet/extra");
    assert_eq!(&*subnet.kind, "Microsoft.Network/virtualNetworks/subnets");
    assert_eq!(&*subnet.origin.address, "resources[0].resources[0]");
    assert!(subnet.body.json().get("dependsOn").is_none());

    let sas: Vec<&Resource> = resources
        .iter()
        .filter(|r| r.is("Microsoft.Storage/storageAccounts"))
        .collect();
    assert_eq!(sas.len(), 2);
    assert!(sas[0].name.starts_with("mlsa") && sas[0].name.ends_with('0'));
    assert_eq!(&*sas[1].origin.address, "resources[1][1]");
    assert_eq!(
        sas[0].body.json()["properties"]["publicNetworkAccess"],
        "Enabled"
    );
    assert_eq!(
        *sas[0].id,
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Storage/storageAccounts/{}",
            id::PLACEHOLDER_SUBSCRIPTION,
            id::PLACEHOLDER_RESOURCE_GROUP,
            sas[0].name
        )
    );
    let pe = find(&resources, "pe");
    assert_eq!(
        pe.body.json()["properties"]["privateLinkServiceConnections"][0]["properties"]
            ["privateLinkServiceId"],
        json!(sas[0].id)
    );

    assert!(!names.contains(&"never"));
    let nsg = find(&resources, "nsg");
    let rule = &nsg.body.json()["properties"]["securityRules"][0]["properties"];
    assert_eq!(rule["destinationPortRange"], "22");
    // A string parameter without a value keeps its identity; rules read it as unknown.
    assert!(rule["description"]
        .as_str()
        .is_some_and(crate::eval::symbolic::is_symbolic));
    assert_eq!(
        rule["sourceAddressPrefix"],
        crate::eval::value::UNKNOWN_MARKER
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let span = diagnostics[0].span.expect("a span");
    assert!(text[span.start..span.end].starts_with("\"sourceAddressPrefix\""));

    let kv = find(&resources, "ml-inkv");
    assert_eq!(
        &*kv.origin.address,
        "resources[5].properties.template.resources[0]"
    );
    let acr = find(&resources, "mlacr");
    assert!(acr.id.contains("/resourceGroups/other/"), "{}", acr.id);
    assert_eq!(
        acr.body.json()["properties"]["networkRuleSet"]["defaultAction"],
        "Allow"
    );
}

#[test]
fn spans_point_at_the_producing_json() {
    let (resources, _, text) = run(TEMPLATE, Vec::new());
    let at = |r: &Resource, p: &str| {
        let s = r.span_of(p);
        text[s.start..s.end].to_owned()
    };
    let nsg = find(&resources, "nsg");
    assert!(at(
        nsg,
        "/properties/securityRules/0/properties/destinationPortRange"
    )
    .starts_with("\"destinationPortRange\": \"[variables"));
    assert!(at(nsg, "/name").starts_with("\"name\": \"nsg\""));
    let vnet = find(&resources, "ml-vnet");
    assert!(at(vnet, "/properties/subnets/1/name").starts_with("\"name\": \"[concat('snet'"));
    let sa = resources
        .iter()
        .find(|r| r.is("Microsoft.Storage/storageAccounts"))
        .expect("a storage account");
    assert!(at(sa, "/properties/networkAcls/defaultAction")
        .starts_with("\"type\": \"Microsoft.Storage"));
}

#[test]
fn parameter_values_override_defaults() {
    let params = vec![
        ("COUNT".to_owned(), Value::Number(1.0)),
        ("withExtra".to_owned(), Value::Bool(true)),
    ];
    let (resources, _, _) = run(TEMPLATE, params);
    assert_eq!(
        resources
            .iter()
            .filter(|r| r.is("Microsoft.Storage/storageAccounts"))
            .count(),
        1
    );
    assert!(resources.iter().any(|r| r.name == "never"));
}

#[test]
fn symbolic_names_unknown_counts_and_cycles() {
    let text = r#"{
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "languageVersion": "2.0",
      "parameters": {"n": {"type": "int"}},
      "variables": {"a": "[variables('b')]", "b": "[variables('a')]"},
      "resources": {
        "reg": {"type": "Microsoft.ContainerRegistry/registries", "name": "[variables('a')]",
                "sku": {"name": "Premium"}},
        "old": {"existing": true, "type": "Microsoft.Storage/storageAccounts", "name": "x"},
        "many": {"type": "Microsoft.Sql/servers", "name": "[concat('sql', copyIndex())]",
                 "copy": {"name": "c", "count": "[parameters('n')]"}}
      }
    }"#;
    let (resources, diagnostics, _) = run(text, Vec::new());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let addresses: Vec<&str> = resources.iter().map(|r| &*r.origin.address).collect();
    assert_eq!(addresses, ["reg", "many"]);
    assert_eq!(resources[0].name, "reg");
    assert_eq!(resources[1].name, "many");
}

#[test]
fn deeply_nested_templates_do_not_overflow_the_stack() {
    let depth = 160;
    let mut children = String::new();
    for i in 0..depth {
        children.push_str(&format!(
            r#"{{"type": "c{i}", "name": "n{i}", "resources": ["#
        ));
    }
    children.push_str(&"]}".repeat(depth));
    let deep_value = format!("{}1{}", "[".repeat(300), "]".repeat(300));
    let text = format!(
        r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "variables": {{"a": {deep_value}, "b": "[variables('a')]"}},
        "resources": [{{"type": "A.B/c", "name": "x", "properties": {{"v": "[variables('b')]"}},
                        "resources": [{children}]}}]}}"#
    );
    let run_it = move || run(&text, Vec::new()).0.len();
    let modelled = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(run_it)
        .expect("thread")
        .join()
        .expect("no stack overflow");
    assert!(modelled > 100, "{modelled}");
}

#[test]
fn nested_deployment_arguments_written_as_one_expression_are_evaluated() {
    let template = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": {"private": {"type": "bool", "defaultValue": true}},
  "resources": [{
    "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "kv",
    "properties": {
      "mode": "Incremental",
      "expressionEvaluationOptions": {"scope": "inner"},
      "parameters": {
        "name": "[if(parameters('private'), createObject('value', 'kv-private'), createObject('value', 'kv-public'))]"
      },
      "template": {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "parameters": {"name": {"type": "string"}},
        "resources": [{"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "[parameters('name')]", "properties": {}}]
      }
    }
  }]
}"#;
    let (resources, diagnostics, _) = run(template, Vec::new());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    find(&resources, "kv-private");
}

#[test]
fn a_nested_deployment_parameter_chains_to_the_outer_parameter() {
    let text = r#"{
  "parameters": {"access": {"type": "string", "defaultValue": "Enabled"}},
  "resources": [{
    "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner",
    "properties": {
      "expressionEvaluationOptions": {"scope": "inner"},
      "parameters": {"pna": {"value": "[parameters('access')]"}},
      "template": {
        "parameters": {"pna": {"type": "string"}},
        "resources": [{"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01",
          "name": "kv", "properties": {"publicNetworkAccess": "[parameters('pna')]"}}]
      }
    }
  }]
}"#;
    let (resources, _, text) = run(text, Vec::new());
    let kv = resources
        .iter()
        .find(|r| r.is("Microsoft.KeyVault/vaults"))
        .expect("vault");
    let chain = kv.provenance_of("/properties/publicNetworkAccess");
    let kinds: Vec<_> = chain.iter().map(|p| (p.kind, p.name.as_str())).collect();
    use crate::model::ProvenanceKind::{ModuleArgument, ParameterDefault};
    assert_eq!(
        kinds,
        [
            (ModuleArgument, "resources[0].pna"),
            (ParameterDefault, "access")
        ]
    );
    let entry = chain[0].span.expect("a span");
    assert_eq!(
        &text[entry.start..entry.end],
        r#""pna": {"value": "[parameters('access')]"}"#
    );
}
