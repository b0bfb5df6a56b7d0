use std::path::PathBuf;

use super::super::workspace;
use crate::model::{Resource, Sources};

/// Writes `files` to a fresh folder, loads them all and lowers the roots.
fn lower_files(files: &[(&str, &str)]) -> (Vec<Resource>, Vec<String>) {
    let dir = std::env::temp_dir().join(format!(
        "moat-bicep-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths: Vec<PathBuf> = Vec::new();
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let guard = crate::fs::Guard::new(&dir, &[]);
    let ws = workspace::load(&paths[..1], &guard, &mut sources, &mut diagnostics);
    let (resources, d) = super::super::ingest(&ws);
    diagnostics.extend(d);
    std::fs::remove_dir_all(&dir).unwrap();
    (
        resources,
        diagnostics.into_iter().map(|d| d.message).collect(),
    )
}

fn names(resources: &[Resource]) -> Vec<(String, String)> {
    resources
        .iter()
        .map(|r| (r.kind.to_string(), r.name.clone()))
        .collect()
}

const RG: &str =
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/moat-resource-group";

#[test]
fn loops_conditions_parents_and_interpolation() {
    let (r, d) = lower_files(&[(
        "main.bicep",
        "param prefix string = 'app'
param subnets array = [
  { name: 'a', prefix: '10.0.1.0/24' }
  { name: 'b', prefix: '10.0.2.0/24' }
]
param deployKv bool = false
var location = resourceGroup().location

resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' = {
  name: '${prefix}-vnet'
  location: location
  properties: {
    addressSpace: { addressPrefixes: ['10.0.0.0/16'] }
  }
  resource snet 'subnets' = {
    name: 'inline'
  }
}

resource sn 'Microsoft.Network/virtualNetworks/subnets@2023-04-01' = [for (s, i) in subnets: {
  parent: vnet
  name: '${s.name}-${i}'
  properties: { addressPrefix: s.prefix }
}]

resource kv 'Microsoft.KeyVault/vaults@2023-02-01' = if (deployKv) {
  name: 'kv'
}

resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'st${uniqueString(resourceGroup().id)}'
  properties: {
    subnet: sn[1].id
    vnetName: vnet.name
  }
}
",
    )]);
    assert!(d.is_empty(), "{d:?}");
    let n = names(&r);
    assert_eq!(
        n[..4],
        [
            (
                "Microsoft.Network/virtualNetworks".into(),
                "app-vnet".into()
            ),
            (
                "Microsoft.Network/virtualNetworks/subnets".into(),
                "app-vnet/inline".into()
            ),
            (
                "Microsoft.Network/virtualNetworks/subnets".into(),
                "app-vnet/a-0".into()
            ),
            (
                "Microsoft.Network/virtualNetworks/subnets".into(),
                "app-vnet/b-1".into()
            ),
        ]
    );
    assert_eq!(r.len(), 5);
    let stg = &r[4];
    assert!(
        stg.name.starts_with("st") && stg.name.len() == 15,
        "{}",
        stg.name
    );
    assert_eq!(
        stg.body.json()["properties"]["subnet"],
        format!("{RG}/providers/Microsoft.Network/virtualNetworks/app-vnet/subnets/b-1")
    );
    assert_eq!(stg.body.json()["properties"]["vnetName"], "app-vnet");
    assert_eq!(&*r[2].origin.address, "sn[0]");
    assert_eq!(&*r[1].origin.address, "vnet::snet");
    let body = r[0].body.json();
    let location = body["location"].as_str().unwrap_or_default();
    assert_eq!(
        crate::eval::symbolic::display(location),
        "{resourceGroup().location}"
    );
}

#[test]
fn modules_with_params_and_registry_modules() {
    let (r, d) = lower_files(&[
        (
            "main.bicep",
            "module net 'modules/net.bicep' = [for i in range(0, 2): {
  name: 'net${i}'
  params: { name: 'vnet${i}' }
}]
module reg 'br/public:avm/res/network/virtual-network:0.1.0' = {
  name: 'reg'
}
resource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {
  name: 'pe'
  properties: { subnet: { id: net[1].outputs.subnetId } }
}
",
        ),
        (
            "modules/net.bicep",
            "param name string
resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' = {
  name: name
}
output subnetId string = '${vnet.id}/subnets/default'
",
        ),
    ]);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].contains("not followed"));
    assert_eq!(
        names(&r),
        [
            ("Microsoft.Network/virtualNetworks".into(), "vnet0".into()),
            ("Microsoft.Network/virtualNetworks".into(), "vnet1".into()),
            ("Microsoft.Network/privateEndpoints".into(), "pe".into()),
        ]
    );
    assert_eq!(&*r[1].origin.address, "module.net[1].vnet");
    assert_eq!(
        r[2].body.json()["properties"]["subnet"]["id"],
        format!("{RG}/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/default")
    );
}

#[test]
fn bicepparam_supplies_values_and_main_is_not_a_root_too() {
    let (r, _) = lower_files(&[
        (
            "dev.bicepparam",
            "using './main.bicep'\nvar env = 'dev'\nparam name = 'st${env}'\n",
        ),
        (
            "main.bicep",
            "param name string\nresource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: name\n}\n",
        ),
    ]);
    assert_eq!(
        names(&r),
        [("Microsoft.Storage/storageAccounts".into(), "stdev".into())]
    );
}

#[test]
fn existing_scope_lambdas_functions_and_spans() {
    let text = "targetScope = 'subscription'
func pre(x string) string => 'p-${x}'
resource rg 'Microsoft.Resources/resourceGroups@2022-09-01' = {
  name: pre('rg')
  location: 'westeurope'
}
resource other 'Microsoft.Network/virtualNetworks@2023-04-01' existing = {
  name: 'hub'
  scope: resourceGroup('hub-rg')
}
var names = map(filter(['a', 'bb', 'ccc'], x => length(x) > 1), x => toUpper(x))
module m 'm.bicep' = {
  scope: rg
  name: 'm'
  params: { names: names, hub: other.id }
}
";
    let (r, d) = lower_files(&[
        ("main.bicep", text),
        (
            "m.bicep",
            "param names array\nparam hub string\nresource l 'Microsoft.Network/privateDnsZones@2020-06-01' = [for n in names: {\n  name: n\n  properties: {\n    hub: hub\n  }\n}]\n",
        ),
    ]);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        names(&r),
        [
            ("Microsoft.Resources/resourceGroups".into(), "p-rg".into()),
            ("Microsoft.Network/privateDnsZones".into(), "BB".into()),
            ("Microsoft.Network/privateDnsZones".into(), "CCC".into()),
        ]
    );
    assert_eq!(
        &*r[1].id,
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/p-rg/providers/Microsoft.Network/privateDnsZones/BB"
    );
    assert_eq!(
        r[1].body.json()["properties"]["hub"],
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hub-rg/providers/Microsoft.Network/virtualNetworks/hub"
    );
    let span = r[1].span_of("/properties/hub");
    assert_eq!(span.end - span.start, "hub: hub".len());
}

#[test]
fn parse_errors_keep_the_rest_and_hostile_input_does_not_overflow() {
    let (r, d) = lower_files(&[(
        "main.bicep",
        "resource a 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'a'\n  properties: { x: }\n}\nresource b 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'b'\n}\n",
    )]);
    assert!(!d.is_empty());
    assert_eq!(r.len(), 2);
    let mut chain = String::from("var v0 = 'x'\n");
    for i in 1..3000 {
        chain.push_str(&format!("var v{i} = v{}\n", i - 1));
    }
    chain.push_str("resource s 'A.B/c@1' = {\n  name: v2999\n}\n");
    chain.push_str("var loop = [for i in range(0, 100000): [for j in range(0, 100000): i * j]]\n");
    chain.push_str("resource t 'A.B/c@1' = {\n  name: 't'\n  properties: { l: loop }\n}\n");
    for i in 1..80 {
        chain.push_str(&format!("var d{i} = [d{}, d{}]\n", i - 1, i - 1));
    }
    chain.push_str(
        "var d0 = 'x'\nresource u 'A.B/c@1' = {\n  name: 'u'\n  properties: { d: d79 }\n}\n",
    );
    let (r, _) = lower_files(&[("main.bicep", &chain)]);
    assert_eq!(r.len(), 3);
}

#[test]
fn a_value_chosen_by_a_condition_or_read_through_a_variable_names_its_parameters() {
    let main = "param prod bool = false\n\
                param sku string = 'Standard_LRS'\n\
                var skuName = sku\n\
                resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n\
                  name: 'sa'\n\
                  sku: { name: skuName }\n\
                  properties: { publicNetworkAccess: prod ? 'Disabled' : 'Enabled', x: 'lit' }\n\
                }\n";
    let (resources, diagnostics) = lower_files(&[("main.bicep", main)]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let sa = &resources[0];
    let names = |pointer: &str| -> Vec<String> {
        sa.provenance_of(pointer)
            .iter()
            .map(|p| format!("{} {}", p.kind.as_str(), p.name))
            .collect()
    };
    assert_eq!(names("/properties/publicNetworkAccess"), ["default prod"]);
    assert_eq!(names("/sku/name"), ["default sku"]);
    assert!(names("/properties/x").is_empty());
}
