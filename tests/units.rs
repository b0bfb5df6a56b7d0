//! Deployment units: no finding depends on what else is scanned. A tree's findings are the
//! union of its units' findings; ids are shared inside a unit only, and cross units only
//! when fully known; fingerprints tell units apart.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

fn moat_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run moat")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// (rule, file, line, fingerprint) of every finding of `moat scan <paths> -f json`.
type Found = BTreeSet<(String, String, u64, String)>;

fn findings(report: &serde_json::Value) -> Found {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["location"]["file"].as_str().unwrap().to_owned(),
                f["location"]["start_line"].as_u64().unwrap(),
                f["fingerprint"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn scan(dir: &Path, paths: &[&str]) -> serde_json::Value {
    let mut args = vec!["scan", "--format", "json"];
    args.extend_from_slice(paths);
    let out = moat_in(dir, &args);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out)
}

const MONOREPO_UNITS: &[&str] = &[
    "testdata/monorepo/environments/staging",
    "testdata/monorepo/environments/production",
    "testdata/monorepo/arm/app-a-leaky.json",
    "testdata/monorepo/arm/app-b-private.json",
    "testdata/monorepo/bicep/app-a-private.bicep",
    "testdata/monorepo/bicep/app-b-leaky.bicep",
];

#[test]
fn a_tree_reports_exactly_the_union_of_its_units() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let whole = scan(root, &["testdata/monorepo"]);
    let mut union = Found::new();
    let mut resources = 0;
    for unit in MONOREPO_UNITS {
        let part = scan(root, &[unit]);
        resources += part["summary"]["resources"].as_u64().unwrap();
        union.extend(findings(&part));
    }
    assert_eq!(findings(&whole), union);
    assert_eq!(whole["summary"]["resources"].as_u64(), Some(resources));
    // The leaky declaration of every pair is reported, whichever is read first.
    for leaky in [
        "testdata/monorepo/environments/production/main.tf",
        "testdata/monorepo/arm/app-a-leaky.json",
        "testdata/monorepo/bicep/app-b-leaky.bicep",
    ] {
        assert!(
            union.iter().any(|(_, file, ..)| file == leaky),
            "{leaky}: {union:?}"
        );
    }
    let units: BTreeSet<&str> = whole["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["unit"].as_str().unwrap())
        .collect();
    assert!(units.contains("testdata/monorepo/environments/production"));
    assert!(units.contains("testdata/monorepo/bicep/app-b-leaky.bicep"));
}

fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const PUBLIC_STORAGE: &str = r#"resource "azurerm_storage_account" "data" {
  name                          = "stappdata"
  resource_group_name           = "rg-app"
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "ZRS"
  public_network_access_enabled = true
  shared_access_key_enabled     = false
}
"#;

#[test]
fn two_declarations_of_one_id_in_a_unit_are_both_kept_and_named_in_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let private = PUBLIC_STORAGE
        .replace("\"data\"", "\"copy\"")
        .replace("= true", "= false");
    write(
        dir.path(),
        "app/main.tf",
        &format!("{private}\n{PUBLIC_STORAGE}"),
    );
    let report = scan(dir.path(), &["app"]);
    assert_eq!(report["summary"]["resources"], 2);
    let found = findings(&report);
    assert_eq!(
        found
            .iter()
            .map(|(_, f, l, _)| (f.as_str(), *l))
            .collect::<Vec<_>>(),
        [("app/main.tf", 17)],
        "the public one is checked though declared second"
    );
    let warnings: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["level"] == "warning")
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("app/main.tf:1"), "{}", warnings[0]);
    assert!(warnings[0].contains("app/main.tf:11"), "{}", warnings[0]);
}

#[test]
fn a_fully_known_id_relates_units_without_merging_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spoke = scan(root, &["testdata/hub-spoke/spoke"]);
    let hub = scan(root, &["testdata/hub-spoke/hub"]);
    let both = scan(root, &["testdata/hub-spoke"]);
    let count = |r: &serde_json::Value| r["summary"]["resources"].as_u64().unwrap();
    assert_eq!(count(&both), count(&spoke) + count(&hub), "nothing merged");
    // Alone, the spoke's zone is out of scope; with the hub, the zone resolves and is not
    // linked to the spoke's network.
    // (subnet-no-nsg on the spoke's endpoint subnet is beside the point here.)
    let dns = |r: &serde_json::Value, rule: &str| {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] == rule)
            .count()
    };
    assert_eq!(dns(&spoke, "private-endpoint-missing-dns"), 0);
    assert_eq!(dns(&spoke, "private-dns-zone-unlinked"), 0);
    assert_eq!(dns(&both, "private-dns-zone-unlinked"), 1);
    let messages: Vec<&str> = both["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "private-endpoint-missing-dns")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].contains("not linked to virtual network vnet-spoke"),
        "{}",
        messages[0]
    );

    // A link to the spoke network by its full id (the spoke's own subscription is not
    // known statically) reaches the spoke's network too: the finding goes.
    let dir = tempfile::tempdir().unwrap();
    for file in ["hub/dns.json", "spoke/main.tf"] {
        let text = std::fs::read_to_string(root.join("testdata/hub-spoke").join(file)).unwrap();
        write(dir.path(), file, &text);
    }
    let zone = "/subscriptions/2b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net";
    let spoke_vnet = "/subscriptions/5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke";
    write(
        dir.path(),
        "hub/links.json",
        &serde_json::json!([{
            "id": format!("{zone}/virtualNetworkLinks/link-spoke"),
            "name": "link-spoke",
            "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
            "properties": {"virtualNetwork": {"id": spoke_vnet}}
        }])
        .to_string(),
    );
    let linked = scan(dir.path(), &["."]);
    assert_eq!(dns(&linked, "private-endpoint-missing-dns"), 0, "{linked}");
    assert_eq!(dns(&linked, "private-dns-zone-unlinked"), 0, "{linked}");
}

#[test]
fn fingerprints_differ_across_units_and_survive_line_moves_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "dev/main.tf", PUBLIC_STORAGE);
    write(dir.path(), "prod/main.tf", PUBLIC_STORAGE);
    let report = scan(dir.path(), &["."]);
    let prints: BTreeSet<String> = findings(&report)
        .into_iter()
        .map(|(.., fingerprint)| fingerprint)
        .collect();
    assert_eq!(report["summary"]["findings"], 2);
    assert_eq!(prints.len(), 2, "one fingerprint per unit");

    // Scanned by absolute path, and after lines moved, the fingerprints are the same.
    write(
        dir.path(),
        "prod/main.tf",
        &format!("# moved\n\n{PUBLIC_STORAGE}"),
    );
    let absolute = dir.path().to_str().unwrap();
    let again: BTreeSet<String> = findings(&scan(dir.path(), &[absolute]))
        .into_iter()
        .map(|(.., fingerprint)| fingerprint)
        .collect();
    assert_eq!(again, prints);
}
