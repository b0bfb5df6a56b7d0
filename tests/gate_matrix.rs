//! The gate's controls across every input format, on one public key vault written in
//! Terraform, ARM, Bicep and a live export: `--select`/`--ignore`/`--exclude`, the same in
//! `.moat.yaml` with a severity override, baselines, and (for the formats that have
//! comments) inline suppressions in moat's, Checkov's and Trivy's syntax with expiry and
//! unused-suppression reports. `tests/gate.rs` covers the richer fixtures.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// (format, file name, source with `{comment}` where a suppression goes above the
/// attribute at fault).
const VAULTS: &[(&str, &str, &str)] = &[
    (
        "terraform",
        "main.tf",
        "resource \"azurerm_key_vault\" \"kv\" {\n  name                          = \"kv-matrix\"\n  \
         location                      = \"westeurope\"\n  resource_group_name           = \"rg\"\n  \
         tenant_id                     = \"00000000-0000-0000-0000-000000000000\"\n  \
         sku_name                      = \"standard\"\n  purge_protection_enabled      = true\n  \
         {comment}\n  public_network_access_enabled = true\n}\n",
    ),
    (
        "arm",
        "azuredeploy.json",
        "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \
         \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n    {\n      \"type\": \"Microsoft.KeyVault/vaults\",\n      \
         \"apiVersion\": \"2023-07-01\",\n      \"name\": \"kv-matrix\",\n      \"location\": \"westeurope\",\n      \
         \"properties\": {\n        \"tenantId\": \"00000000-0000-0000-0000-000000000000\",\n        \
         \"sku\": {\"family\": \"A\", \"name\": \"standard\"},\n        \"enablePurgeProtection\": true,\n        \
         {comment}\n        \"publicNetworkAccess\": \"Enabled\"\n      }\n    }\n  ]\n}\n",
    ),
    (
        "bicep",
        "main.bicep",
        "resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: 'kv-matrix'\n  \
         location: 'westeurope'\n  properties: {\n    tenantId: '00000000-0000-0000-0000-000000000000'\n    \
         sku: {\n      family: 'A'\n      name: 'standard'\n    }\n    enablePurgeProtection: true\n    \
         {comment}\n    publicNetworkAccess: 'Enabled'\n  }\n}\n",
    ),
    (
        "snapshot",
        "resources.json",
        "{\"data\": [{\"id\": \"/subscriptions/11111111-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-matrix\", \
         \"name\": \"kv-matrix\", \"type\": \"microsoft.keyvault/vaults\", \"location\": \"westeurope\", \
         \"properties\": {\"tenantId\": \"00000000-0000-0000-0000-000000000000\", \"enablePurgeProtection\": true, \
         \"publicNetworkAccess\": \"Enabled\", \"networkAcls\": {\"defaultAction\": \"Allow\"}}}]}\n",
    ),
];

const RULE: &str = "keyvault-public-access";

/// A folder `infra/` holding the vault of `format` with `comment` (moat's comment marker
/// for the format: `#` in Terraform, `//` elsewhere), and `.moat.yaml` when given.
fn project(format: &str, comment: &str, config: Option<&str>) -> (tempfile::TempDir, String) {
    let (_, file, source) = VAULTS
        .iter()
        .find(|(f, _, _)| *f == format)
        .expect("a format");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("infra")).expect("mkdir");
    let comment = match (format, comment) {
        (_, "") => String::new(),
        ("terraform", c) => format!("# {c}"),
        (_, c) => format!("// {c}"),
    };
    std::fs::write(
        dir.path().join("infra").join(file),
        source.replace("{comment}", &comment),
    )
    .expect("write source");
    if let Some(config) = config {
        std::fs::write(dir.path().join(".moat.yaml"), config).expect("write config");
    }
    (dir, format!("infra/{file}"))
}

fn scan(dir: &Path, extra: &[&str]) -> (Option<i32>, Value) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_moat"))
        .args([&["scan", "infra", "-f", "json"], extra].concat())
        .current_dir(dir)
        .output()
        .expect("run moat");
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&[out.stdout, out.stderr].concat())
        )
    });
    (out.status.code(), report)
}

fn ids(report: &Value, key: &str) -> Vec<String> {
    report[key]
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn warnings(report: &Value) -> String {
    report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| format!("{}\n", e["message"].as_str().unwrap_or_default()))
        .collect()
}

#[test]
fn select_ignore_exclude_and_config_in_every_format() {
    for (format, _, _) in VAULTS {
        let (dir, file) = project(format, "", None);
        let (code, all) = scan(dir.path(), &[]);
        assert_eq!(code, Some(1), "{format}");
        assert!(ids(&all, "findings").contains(&RULE.to_owned()), "{format}");
        let (_, only) = scan(dir.path(), &["--select", RULE]);
        assert_eq!(ids(&only, "findings"), [RULE], "{format}");
        let (_, ignored) = scan(dir.path(), &["--ignore", "keyvault"]);
        assert!(
            !ids(&ignored, "findings").contains(&RULE.to_owned()),
            "{format}"
        );
        let (code, excluded) = scan(dir.path(), &["--exclude", &file]);
        assert_eq!(
            (code, excluded["findings"].clone()),
            (Some(0), Value::Array(vec![])),
            "{format}"
        );

        let configs = [
            format!("select: [{RULE}]\nseverity:\n  {RULE}: low\n"),
            "ignore: [keyvault]\n".to_owned(),
            format!("exclude: ['{file}']\n"),
        ];
        let (dir, _) = project(format, "", Some(&configs[0]));
        let (code, low) = scan(dir.path(), &["--severity-threshold", "medium"]);
        assert_eq!(ids(&low, "findings"), [RULE], "{format}");
        assert_eq!(low["findings"][0]["severity"], "low", "{format}");
        assert_eq!(code, Some(0), "{format}: low is under the threshold");
        for config in &configs[1..] {
            let (dir, _) = project(format, "", Some(config));
            let (_, report) = scan(dir.path(), &[]);
            assert!(
                !ids(&report, "findings").contains(&RULE.to_owned()),
                "{format}: {config}"
            );
        }
    }
}

#[test]
fn baselines_in_every_format() {
    for (format, _, _) in VAULTS {
        let (dir, _) = project(format, "", None);
        let out = Command::new(env!("CARGO_BIN_EXE_moat"))
            .args(["baseline", "infra", "-o", "moat-baseline.json"])
            .current_dir(dir.path())
            .output()
            .expect("run moat");
        assert_eq!(out.status.code(), Some(0), "{format}");
        let (code, report) = scan(dir.path(), &["--baseline", "moat-baseline.json"]);
        assert_eq!(code, Some(0), "{format}: nothing new");
        assert_eq!(report["findings"], Value::Array(vec![]), "{format}");
        assert!(
            ids(&report, "suppressed").contains(&RULE.to_owned()),
            "{format}"
        );
        assert_eq!(report["summary"]["baseline"]["fixed"], 0, "{format}");
    }
}

#[test]
fn moat_checkov_and_trivy_suppressions_with_expiry_in_every_commented_format() {
    for format in ["terraform", "arm", "bicep"] {
        let cases = [
            format!("moat:ignore {RULE} -- lab vault until 2999-12-31"),
            "checkov:skip=CKV_AZURE_189:lab vault".to_owned(),
            "trivy:ignore:AVD-AZU-0013".to_owned(),
        ];
        for comment in &cases {
            let (dir, _) = project(format, comment, None);
            let (code, report) = scan(dir.path(), &[]);
            assert!(
                !ids(&report, "findings").contains(&RULE.to_owned())
                    && ids(&report, "suppressed").contains(&RULE.to_owned()),
                "{format}: {comment}: {report}"
            );
            assert_eq!(code, Some(0), "{format}: {comment}");
        }
        let expired = [
            format!("moat:ignore {RULE} -- lab vault until 2001-01-01"),
            "trivy:ignore:AVD-AZU-0013:exp:2001-01-01".to_owned(),
        ];
        for comment in &expired {
            let (dir, _) = project(format, comment, None);
            let (code, report) = scan(dir.path(), &[]);
            assert_eq!(code, Some(1), "{format}: {comment}");
            assert!(ids(&report, "findings").contains(&RULE.to_owned()));
            assert!(
                warnings(&report).contains("expired on 2001-01-01"),
                "{format}: {comment}: {report}"
            );
        }
        let (dir, _) = project(
            format,
            "moat:ignore storage-public-access -- no storage here",
            None,
        );
        let (code, report) = scan(dir.path(), &[]);
        assert_eq!(code, Some(1), "{format}");
        assert!(
            warnings(&report).contains("unused suppression"),
            "{format}: {report}"
        );
    }
}
