//! Terraform as real repositories write it: a root calling local modules with for_each
//! and count, nested two deep, counted resources, dynamic blocks fed from tfvars, and an
//! azapi resource. Findings name the Terraform address of the instance at fault and point
//! into the file that declares it; the values passed decide, not the modules' defaults.

use std::process::{Command, Output};

const FIXTURE: &str = "testdata/terraform/modular";

fn moat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run moat")
}

fn report(args: &[&str]) -> serde_json::Value {
    let out = moat(args);
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn findings(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}",
                f["rule_id"].as_str().unwrap_or_default(),
                f["resource"]["address"].as_str().unwrap_or_default(),
                f["location"]["file"].as_str().unwrap_or_default(),
                f["location"]["start_line"]
            )
        })
        .collect()
}

#[test]
fn every_violation_is_reported_at_the_instance_at_fault() {
    let report = report(&["scan", FIXTURE, "--format", "json"]);
    let expected = [
        "subnet-no-nsg azurerm_subnet.endpoints testdata/terraform/modular/main.tf:13",
        "nsg-open-inbound azurerm_network_security_group.workload.securityRules[\"ssh-from-anywhere\"] testdata/terraform/modular/main.tf:36",
        "acr-data-endpoint azapi_resource.registry testdata/terraform/modular/registry.tf:1",
        "acr-sku-not-premium azapi_resource.registry testdata/terraform/modular/registry.tf:9",
        "storage-shared-key azurerm_storage_account.data[0] testdata/terraform/modular/storage.tf:1",
        "storage-shared-key azurerm_storage_account.data[1] testdata/terraform/modular/storage.tf:1",
        "storage-public-access azurerm_storage_account.data[1] testdata/terraform/modular/storage.tf:8",
        "keyvault-purge-protection module.platform.azurerm_key_vault.this testdata/terraform/modular/modules/platform/main.tf:28",
        "private-endpoint-missing-dns module.endpoints[\"file\"].azurerm_private_endpoint.this testdata/terraform/modular/modules/private-endpoint/main.tf:30",
        "private-endpoint-missing-dns module.platform.module.cache_endpoint[1].azurerm_private_endpoint.this testdata/terraform/modular/modules/private-endpoint/main.tf:30",
    ];
    assert_eq!(findings(&report), expected);
    assert_eq!(report["errors"], serde_json::json!([]));
}

#[test]
fn modules_are_evaluated_with_the_arguments_passed_not_as_roots() {
    let report = report(&["model", FIXTURE, "--format", "json"]);
    let text = report.to_string();
    // The platform module's vault is private because the root passes public_access = false;
    // evaluated alone with its default it would be public.
    let vault = report["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["type"] == "Microsoft.KeyVault/vaults")
        .expect("the vault is modelled once");
    assert_eq!(vault["address"], "module.platform.azurerm_key_vault.this");
    assert_eq!(
        vault["body"]["properties"]["publicNetworkAccess"],
        "Disabled"
    );
    let vaults = report["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["type"] == "Microsoft.KeyVault/vaults")
        .count();
    assert_eq!(vaults, 1);
    for address in [
        "module.endpoints[\\\"blob\\\"].azurerm_private_endpoint.this",
        "module.endpoints[\\\"registry\\\"].azurerm_private_endpoint.this",
        "module.platform.module.vault_endpoint.azurerm_private_endpoint.this",
        "module.platform.module.cache_endpoint[0].azurerm_private_endpoint.this",
    ] {
        assert!(text.contains(address), "{address} is modelled");
    }
}

#[test]
fn the_private_endpoint_reaches_the_azapi_registry() {
    let report = report(&["model", FIXTURE, "--format", "json"]);
    let resources = report["resources"].as_array().expect("resources");
    let registry = resources
        .iter()
        .find(|r| r["type"] == "Microsoft.ContainerRegistry/registries")
        .expect("registry");
    let id = registry["id"].as_str().expect("id");
    assert!(id.ends_with(
        "/resourceGroups/rg-shop/providers/Microsoft.ContainerRegistry/registries/crshop"
    ));
    assert!(resources.iter().any(|r| {
        r["body"]["properties"]["privateLinkServiceConnections"][0]["properties"]
            ["privateLinkServiceId"]
            == id
    }));
}

#[test]
fn unknowns_through_modules_say_why_and_remote_modules_are_not_followed() {
    let report = report(&[
        "scan",
        "testdata/terraform/module-unknown",
        "--unknown",
        "--format",
        "json",
    ]);
    let undecided: Vec<String> = report["undecided"]
        .as_array()
        .expect("undecided")
        .iter()
        .map(|u| {
            format!(
                "{} {} | {}",
                u["rule_id"].as_str().unwrap_or_default(),
                u["resource"]["address"].as_str().unwrap_or_default(),
                u["reason"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        undecided,
        [
            "keyvault-public-access azurerm_key_vault.shared | properties.publicNetworkAccess is not known statically: module.network is not followed (source \"Azure/avm-res-network-virtualnetwork/azurerm\")",
            "keyvault-public-access module.vault.azurerm_key_vault.this | properties.publicNetworkAccess is not known statically: var.public_access has no value in module.vault",
        ]
    );
    let errors = report["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["level"], "warning");
    assert_eq!(errors[0]["line"], 6);
    assert!(errors[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("not followed")));
}

const JSON_SYNTAX: &str = "testdata/terraform/json-syntax";

#[test]
fn json_syntax_modules_are_read_like_native_ones() {
    let scanned = report(&["scan", JSON_SYNTAX, "--format", "json"]);
    assert_eq!(
        findings(&scanned),
        [
            "keyvault-purge-protection module.vaults[\"apps\"].azurerm_key_vault.this testdata/terraform/json-syntax/modules/vault/main.tf.json:9",
            "keyvault-purge-protection module.vaults[\"data\"].azurerm_key_vault.this testdata/terraform/json-syntax/modules/vault/main.tf.json:9",
            "keyvault-public-access module.vaults[\"data\"].azurerm_key_vault.this testdata/terraform/json-syntax/modules/vault/main.tf.json:15",
        ]
    );
    assert_eq!(scanned["errors"], serde_json::json!([]));
    let model = report(&["model", JSON_SYNTAX, "--format", "json"]);
    let names: Vec<&str> = model["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(names, ["rg-shared", "kv-apps", "kv-data"]);
    // A named .tf.json file brings its module's other files, as a named .tf file does.
    let named = report(&[
        "scan",
        "testdata/terraform/json-syntax/main.tf.json",
        "--format",
        "json",
    ]);
    assert_eq!(named["summary"]["resources"], 3);
}

#[test]
fn json_syntax_errors_point_into_the_json_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("bad.tf.json"),
        "{\n  \"resource\": {\n    \"azurerm_resource_group\": {\n      \"rg\": {\n        \"name\": \"${var.}\"\n      }\n    }\n  }\n}\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("broken.tf.json"), "{\n  \"locals\": [1,\n").expect("write");
    let path = dir.path().to_str().expect("utf-8 path");
    let scanned = report(&["scan", path, "--format", "json"]);
    let errors: Vec<(String, u64)> = scanned["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            let file = e["file"].as_str().unwrap_or_default();
            let name = file.rsplit('/').next().unwrap_or_default().to_owned();
            (name, e["line"].as_u64().unwrap_or_default())
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("bad.tf.json".to_owned(), 5),
            ("broken.tf.json".to_owned(), 2)
        ],
        "{scanned}"
    );
}
