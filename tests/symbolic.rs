//! Unknown values keep their identity: fixtures whose required parameters and variables
//! have no values still join children to parents, keep different unknowns apart, and
//! show unknown parts as `{name}`.

use std::process::{Command, Output};

fn moat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run moat")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// The rules these fixtures were written for (names, ids, relations with unknown parts);
/// the hardening rules that judge omitted settings (shared key, purge protection, …) also
/// fire on them and are not what these tests are about.
const RULES: &[&str] = &[
    "storage-public-access",
    "keyvault-public-access",
    "private-endpoint-missing-dns",
];

/// The findings of the rules in [`RULES`].
fn in_scope(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| RULES.contains(&f["rule_id"].as_str().unwrap_or_default()))
        .collect()
}

/// `rule file:line message` of every finding of [`RULES`].
fn findings(path: &str) -> Vec<String> {
    let report = json(&moat(&["scan", path, "--format", "json"]));
    in_scope(&report)
        .into_iter()
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f["rule_id"].as_str().unwrap_or_default(),
                f["location"]["file"].as_str().unwrap_or_default(),
                f["location"]["start_line"],
                f["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

fn model(path: &str) -> Vec<serde_json::Value> {
    let out = moat(&["model", path, "--format", "json"]);
    json(&out)["resources"]
        .as_array()
        .expect("resources")
        .clone()
}

/// Only the Key Vault zone mistake is reported: every endpoint's zone group joined it.
fn only_the_vault_zone_is_reported(path: &str, line: usize) {
    let found = findings(path);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(&format!("private-endpoint-missing-dns {path}:{line} ")),
        "{found:#?}"
    );
    assert!(found[0].contains("'pe-{prefix}-kv'"), "{found:#?}");
    assert!(
        found[0].contains("privatelink.vaultcore.azure.net"),
        "{found:#?}"
    );
}

#[test]
fn bicep_children_join_parents_with_unknown_names() {
    only_the_vault_zone_is_reported("testdata/symbolic/bicep/main.bicep", 77);
}

#[test]
fn arm_children_join_parents_with_unknown_names() {
    only_the_vault_zone_is_reported("testdata/symbolic/arm/azuredeploy.json", 108);
}

#[test]
fn unknown_names_read_as_written_and_say_what_is_unknown() {
    for path in [
        "testdata/symbolic/bicep/main.bicep",
        "testdata/symbolic/arm/azuredeploy.json",
    ] {
        let resources = model(path);
        let ids: Vec<&str> = resources.iter().filter_map(|r| r["id"].as_str()).collect();
        for expected in [
            "/privateEndpoints/pe-{prefix}-blob/privateDnsZoneGroups/default",
            "/privateEndpoints/pe-{prefix}-kv/privateDnsZoneGroups/default",
            "/virtualNetworks/vnet-{prefix}/subnets/snet-{prefix}-apps",
            "/storageAccounts/st{prefix}data",
        ] {
            assert!(
                ids.iter().any(|id| id.ends_with(expected)),
                "{path}: {ids:#?}"
            );
        }
        let vnet = resources
            .iter()
            .find(|r| r["name"] == "vnet-{prefix}")
            .expect("the network");
        assert_eq!(vnet["unknown_parts"], serde_json::json!(["prefix"]));
    }
}

#[test]
fn different_unknown_resource_groups_keep_resources_apart() {
    let path = "testdata/symbolic/terraform";
    let resources = model(path);
    let shared: Vec<&str> = resources
        .iter()
        .filter(|r| r["name"] == "stshared")
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(shared.len(), 2, "{resources:#?}");
    assert_ne!(shared[0], shared[1]);
    assert!(shared
        .iter()
        .any(|id| id.contains("/resourceGroups/{var.rg_b}/")));
    // The open account in var.rg_b is reported; the endpoints of the module instances
    // (named from var.name and the instance key) joined their zone groups.
    let found: Vec<String> = findings(path)
        .iter()
        .map(|f| {
            // Up to the quoted resource name.
            let quoted = f.match_indices('\'').nth(1).map_or(f.len(), |(i, _)| i + 1);
            f[..quoted].to_owned()
        })
        .collect();
    assert_eq!(
        found,
        [
            "storage-public-access testdata/symbolic/terraform/main.tf:23 Storage account 'stshared'",
            "private-endpoint-missing-dns testdata/symbolic/terraform/main.tf:35 Private endpoint 'pe-{var.name}-blob'",
        ]
    );
    for key in ["blob", "file"] {
        let group = format!("pe-{{var.name}}-{key}-mod/default");
        assert!(
            resources.iter().any(|r| r["name"] == group.as_str()),
            "{group}"
        );
    }
    assert!(resources.iter().any(|r| r["name"] == "st{var.name}ml"));
    // A zone link naming its zone by id joins that zone.
    assert!(
        resources.iter().any(|r| r["id"]
            .as_str()
            .is_some_and(|id| id.ends_with(
                "/resourceGroups/{var.rg_a}/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net/virtualNetworkLinks/link-{var.name}"
            ))),
        "{resources:#?}"
    );
    // A data source attribute known only after apply keeps its identity too.
    let vault = resources
        .iter()
        .find(|r| r["name"] == "kv-{var.name}")
        .expect("the vault");
    assert_eq!(
        vault["body"]["properties"]["tenantId"],
        "{data.azurerm_client_config.current.tenant_id}"
    );
}

#[test]
fn no_id_in_the_model_of_any_fixture_has_an_empty_segment() {
    let resources = model("testdata");
    assert!(resources.len() > 50, "{}", resources.len());
    for r in &resources {
        let id = r["id"].as_str().expect("an id");
        assert!(
            !id.contains("//") && !id.ends_with('/') && id.starts_with('/'),
            "malformed id {id} of {}",
            r["address"]
        );
    }
}

#[test]
fn fingerprints_of_unknown_names_do_not_depend_on_the_scanned_path() {
    let relative = "testdata/symbolic/bicep/main.bicep";
    let absolute = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let prints = |path: &str| -> Vec<String> {
        in_scope(&json(&moat(&["scan", path, "--format", "json"])))
            .into_iter()
            .map(|f| f["fingerprint"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let here = prints(relative);
    assert_eq!(here.len(), 1);
    assert_eq!(here, prints(absolute.to_str().expect("a UTF-8 path")));
}
