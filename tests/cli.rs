//! The binary as users and CI run it: exit codes, output formats, rule commands.

use std::path::Path;
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

const EXAMPLE: &str = "examples/azureml-private";
const SECURE: &str = "examples/azureml-private/secure.tfvars";

#[test]
fn the_example_reports_every_headline_rule_at_its_line() {
    let out = moat(&["scan", EXAMPLE, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let found: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}:{}",
                f["rule_id"].as_str().unwrap(),
                f["resource"]["address"].as_str().unwrap(),
                f["resource"]["name"].as_str().unwrap(),
                f["location"]["file"].as_str().unwrap(),
                f["location"]["start_line"]
            )
        })
        .collect();
    let expected = [
        "db-public-access azurerm_postgresql_flexible_server.metadata psql-fraud-prod examples/azureml-private/data.tf:10",
        "postgres-public-access azurerm_postgresql_flexible_server.metadata psql-fraud-prod examples/azureml-private/data.tf:25",
        "db-public-access azurerm_mssql_server.features sql-fraud-prod-5446f4 examples/azureml-private/data.tf:34",
        "sql-public-access azurerm_mssql_server.features sql-fraud-prod-5446f4 examples/azureml-private/data.tf:48",
        "private-endpoint-missing-dns azurerm_private_endpoint.workspace pe-fraud-prod-mlw examples/azureml-private/dns.tf:62",
        "appinsights-public-ingestion azurerm_application_insights.genai appi-fraud-prod-genai examples/azureml-private/ml-extra.tf:20",
        "ml-dependency-public azurerm_application_insights.genai appi-fraud-prod-genai examples/azureml-private/ml-extra.tf:20",
        "ml-workspace-no-private-endpoint azurerm_machine_learning_workspace.genai mlw-fraud-prod-genai examples/azureml-private/ml-extra.tf:32",
        "ml-managed-network-outbound-open azurerm_machine_learning_workspace.genai mlw-fraud-prod-genai examples/azureml-private/ml-extra.tf:41",
        "ml-managed-network-missing-outbound-pe azurerm_machine_learning_workspace.genai mlw-fraud-prod-genai examples/azureml-private/ml-extra.tf:84",
        "ai-service-public azurerm_cognitive_account.openai oai-fraud-prod examples/azureml-private/ml-extra.tf:108",
        "aks-not-private azurerm_kubernetes_cluster.inference aks-fraud-prod-inference examples/azureml-private/ml-extra.tf:125",
        "ml-compute-no-vnet azurerm_machine_learning_compute_cluster.gpu mlw-fraud-prod/gpu-cluster examples/azureml-private/ml-extra.tf:148",
        "ml-compute-public-ip azurerm_machine_learning_compute_cluster.gpu mlw-fraud-prod/gpu-cluster examples/azureml-private/ml-extra.tf:155",
        "nsg-broad-inbound-source azurerm_network_security_rule.jumpbox_rdp nsg-fraud-prod-training/AllowRdpToJumpbox examples/azureml-private/network-extra.tf:52",
        "vm-public-ip azurerm_network_interface.jumpbox nic-fraud-prod-jumpbox examples/azureml-private/network-extra.tf:74",
        "vnet-custom-dns-no-private-resolution azurerm_virtual_network.analytics vnet-fraud-prod-analytics examples/azureml-private/network-extra.tf:86",
        "private-dns-zone-unlinked azurerm_private_endpoint.analytics_vault pe-fraud-prod-analytics-vault examples/azureml-private/network-extra.tf:116",
        "private-endpoint-missing-dns azurerm_private_endpoint.analytics_vault pe-fraud-prod-analytics-vault examples/azureml-private/network-extra.tf:116",
        "hardcoded-secret azurerm_key_vault_secret.feature_store_pasted[0] kv-fraud-prod-5446f4/feature-store-password examples/azureml-private/network-extra.tf:135",
        "subnet-no-nsg azurerm_subnet.endpoints vnet-fraud-prod/snet-endpoints examples/azureml-private/network.tf:16",
        "nsg-open-inbound azurerm_network_security_rule.ssh nsg-fraud-prod-training/AllowSshFromBastion examples/azureml-private/network.tf:64",
        "keyvault-public-access azurerm_key_vault.ml kv-fraud-prod-5446f4 examples/azureml-private/services.tf:27",
        "ml-dependency-public azurerm_key_vault.ml kv-fraud-prod-5446f4 examples/azureml-private/services.tf:27",
        "acr-sku-not-premium azurerm_container_registry.ml crfraudprod5446f4 examples/azureml-private/services.tf:39",
        "acr-public-access azurerm_container_registry.ml crfraudprod5446f4 examples/azureml-private/services.tf:41",
        "ml-dependency-public azurerm_container_registry.ml crfraudprod5446f4 examples/azureml-private/services.tf:41",
        "storage-public-access azurerm_storage_account.landing stlandfraud5446f4 examples/azureml-private/services.tf:53",
        "storage-shared-key azurerm_storage_account.landing stlandfraud5446f4 examples/azureml-private/services.tf:54",
        "ml-workspace-public-access azurerm_machine_learning_workspace.ml mlw-fraud-prod examples/azureml-private/workspace.tf:9",
        "ml-uai-private-storage azurerm_machine_learning_workspace.ml mlw-fraud-prod examples/azureml-private/workspace.tf:14",
    ];
    assert_eq!(found, expected);
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(report["summary"]["findings"], 31);
}

#[test]
fn the_secure_variant_is_clean() {
    let out = moat(&["scan", EXAMPLE, "--var-file", SECURE, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Clean at every gate: the one finding is info. The feature store keeps its public
    // endpoint for the office range (secure.tfvars), and db-public-access says so.
    let rules: Vec<(String, String)> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(rules, [("db-public-access".to_owned(), "info".to_owned())]);
}

#[test]
fn var_flags_override_auto_tfvars() {
    let out = moat(&[
        "scan",
        EXAMPLE,
        "--var-file",
        SECURE,
        "--var",
        "registry_sku=Basic",
        "--format",
        "json",
    ]);
    let report = json(&out);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    // Basic cannot be private, and has no dedicated data endpoints either.
    assert_eq!(
        rules,
        [
            "db-public-access",
            "acr-sku-not-premium",
            "acr-data-endpoint"
        ]
    );
}

#[test]
fn severity_threshold_sets_the_exit_code() {
    assert_eq!(
        moat(&["scan", EXAMPLE, "--severity-threshold", "critical"])
            .status
            .code(),
        Some(1)
    );
    let secure_but_medium = moat(&[
        "scan",
        EXAMPLE,
        "--var-file",
        SECURE,
        "--var",
        "workspace_dns_zones=[\"api\"]",
        "--severity-threshold",
        "high",
    ]);
    assert_eq!(secure_but_medium.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&secure_but_medium.stdout).contains("private-endpoint-missing-dns")
    );
}

#[test]
fn malformed_inputs_are_errors_and_the_rest_is_still_scanned() {
    let out = moat(&["scan", "testdata/terraform/malformed", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    let errors = report["errors"].as_array().unwrap();
    let broken = errors
        .iter()
        .find(|e| e["file"] == "testdata/terraform/malformed/broken.tf")
        .expect("broken.tf reported");
    assert_eq!(broken["level"], "error");
    assert_eq!(
        (broken["line"].as_u64(), broken["column"].as_u64()),
        (Some(5), Some(22)),
        "{broken}"
    );
    assert!(broken["message"]
        .as_str()
        .unwrap()
        .contains("HCL syntax error"));
    let binary = errors
        .iter()
        .find(|e| e["file"] == "testdata/terraform/malformed/blob.tf")
        .expect("blob.tf reported");
    assert!(binary["message"].as_str().unwrap().contains("binary"));
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["keyvault-public-access", "keyvault-purge-protection"],
        "good.tf is still scanned"
    );
}

#[test]
fn missing_paths_are_input_errors() {
    let out = moat(&["scan", "no/such/dir", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["errors"][0]["file"], "no/such/dir");
}

#[test]
fn sarif_carries_rules_fingerprints_and_locations() {
    let dir = std::env::temp_dir().join(format!("moat-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("moat.sarif");
    let out = moat(&[
        "scan",
        EXAMPLE,
        "--format",
        "sarif",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| r["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## Why is this bad?")));
    let results = run["results"].as_array().unwrap();
    let report = json(&moat(&["scan", "examples/azureml-private", "-f", "json"]));
    assert_eq!(results.len(), report["findings"].as_array().unwrap().len());
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(r["partialFingerprints"]["moat/v2"].as_str().unwrap().len() == 16);
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                > 0
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The remediation a finding carries (JSON `remediation`, SARIF result property, text help)
/// is the one for the format of the source it came from.
#[test]
fn remediation_follows_the_source_format() {
    let dir = "testdata/rules/storage-public-access";
    for (fixture, expected) in [
        ("fail_omitted.tf", "public_network_access_enabled = false"),
        ("fail-arm.json", "\"publicNetworkAccess\": \"Disabled\""),
        ("fail-bicep.bicep", "publicNetworkAccess: 'Disabled'"),
        ("fail-snapshot.json", "az storage account update"),
    ] {
        let path = format!("{dir}/{fixture}");
        let report = json(&moat(&["scan", &path, "--format", "json"]));
        let findings = report["findings"].as_array().unwrap();
        let index = findings
            .iter()
            .position(|f| f["rule_id"] == "storage-public-access")
            .unwrap_or_else(|| panic!("{fixture}: {report}"));
        let finding = &findings[index];
        let remediation = finding["remediation"].as_str().unwrap();
        assert!(remediation.contains(expected), "{fixture}: {remediation}");
        let text = String::from_utf8_lossy(&moat(&["scan", &path]).stdout).into_owned();
        assert!(text.contains(expected), "{fixture}: {text}");
        let sarif: serde_json::Value =
            serde_json::from_slice(&moat(&["scan", &path, "--format", "sarif"]).stdout).unwrap();
        let fix = &sarif["runs"][0]["results"][index]["properties"]["remediation"];
        assert_eq!(fix.as_str(), Some(remediation), "{fixture}");
    }
}

#[test]
fn rules_list_and_explain() {
    let list = moat(&["rules", "list"]);
    assert_eq!(list.status.code(), Some(0));
    let text = String::from_utf8_lossy(&list.stdout);
    for id in [
        "ml-workspace-public-access",
        "storage-public-access",
        "keyvault-public-access",
        "acr-public-access",
        "postgres-public-access",
        "sql-public-access",
        "private-endpoint-missing-dns",
        "acr-sku-not-premium",
        "ml-uai-private-storage",
        "nsg-open-inbound",
    ] {
        assert!(text.lines().any(|l| l.starts_with(id)), "{id} listed");
    }
    let explain = moat(&["rules", "explain", "nsg-open-inbound"]);
    let doc = String::from_utf8_lossy(&explain.stdout);
    for heading in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## Remediation",
    ] {
        assert!(doc.contains(heading), "{heading}");
    }
    for format in ["### Terraform", "### Bicep", "### ARM", "### Live (az CLI)"] {
        assert!(doc.contains(format), "{format} remediation in {doc}");
    }
    assert!(doc.contains("Checkov: CKV_AZURE_9, CKV_AZURE_10"), "{doc}");
    assert!(doc.contains("Trivy: AVD-AZU-0047"), "{doc}");
    assert_eq!(
        moat(&["rules", "explain", "no-such-rule"]).status.code(),
        Some(2)
    );
}

#[test]
fn model_prints_the_normalized_resources() {
    let out = moat(&["model", EXAMPLE, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let model = json(&out);
    let workspace = model["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["type"] == "Microsoft.MachineLearningServices/workspaces"
                && r["address"] == "azurerm_machine_learning_workspace.ml"
        })
        .expect("workspace modelled");
    assert_eq!(
        workspace["address"],
        "azurerm_machine_learning_workspace.ml"
    );
    assert_eq!(
        workspace["body"]["properties"]["publicNetworkAccess"],
        "Enabled"
    );
    assert_eq!(workspace["body"]["identity"]["type"], "UserAssigned");
    assert_eq!(
        workspace["location"]["file"],
        "examples/azureml-private/workspace.tf"
    );
    assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE).is_dir());
}

#[test]
fn custom_rule_folders_extend_the_pack() {
    let dir = std::env::temp_dir().join(format!("moat-rules-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("ml")).unwrap();
    std::fs::write(
        dir.join("ml/ml-compute-node-public-ip.yaml"),
        r###"id: ml-compute-node-public-ip
title: ML compute nodes get public IPs
severity: medium
resource: Microsoft.MachineLearningServices/workspaces/computes
when: {path: $.properties.computeType, in: [AmlCompute, ComputeInstance]}
require: {path: $.properties.properties.enableNodePublicIp, equals: false}
message: "Compute '{name}' gives its nodes public IP addresses."
remediation: Set node_public_ip_enabled = false.
docs: "## What it does\n## Why is this bad?\n## Example\n## Use instead\n"
"###,
    )
    .unwrap();
    let out = moat(&[
        "scan",
        EXAMPLE,
        "--var-file",
        SECURE,
        "--var",
        "workspace_public_network_access=true",
        "--rules",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let rules: Vec<String> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        rules,
        ["db-public-access", "ml-workspace-public-access"],
        "custom rule quiet: nodes have no public IP (db-public-access is the secure variant's info)"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_named_file_selects_its_unit_and_every_finding_of_it_counts() {
    let named = |path: &str| {
        let out = moat(&["scan", path, "--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{path}");
        json(&out)
    };
    let whole = json(&moat(&[
        "scan",
        "examples/azureml-private",
        "--format",
        "json",
    ]));
    for path in [
        "examples/azureml-private/workspace.tf",
        "examples/azureml-private/leaky.auto.tfvars",
    ] {
        let report = named(path);
        assert_eq!(
            report["findings"], whole["findings"],
            "{path}: the unit's findings, wherever they are located"
        );
    }
    let files: std::collections::BTreeSet<&str> = whole["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["location"]["file"].as_str())
        .collect();
    assert!(files.len() > 1, "findings in several files: {files:?}");
}

#[test]
fn unknown_values_are_undecided_not_guessed() {
    let dir = std::env::temp_dir().join(format!("moat-unknown-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "variable \"public\" { type = bool }\n\nresource \"azurerm_machine_learning_workspace\" \"ws\" {\n  name                          = \"mlw\"\n  resource_group_name           = \"rg\"\n  public_network_access_enabled = var.public\n}\n",
    )
    .unwrap();
    let quiet = moat(&["scan", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(json(&quiet)["findings"], serde_json::json!([]));
    let noted = moat(&["scan", dir.to_str().unwrap(), "--unknown"]);
    let text = String::from_utf8_lossy(&noted.stdout);
    assert!(
        text.contains("ml-workspace-public-access (undecided)"),
        "{text}"
    );
    assert!(
        text.contains("properties.publicNetworkAccess is not known statically"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pathological_inputs_are_diagnostics_without_giant_snippets() {
    let dir = std::env::temp_dir().join(format!("moat-deep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let deep = format!(
        "locals {{ x = {}{} }}\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    std::fs::write(dir.join("deep.tf"), deep).unwrap();
    let out = moat(&["scan", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("nesting depth"), "{text}");
    assert!(text.contains("deep.tf:1:"), "{text}");
    assert!(text.len() < 2_000, "no 40 KB snippet: {} bytes", text.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_terraform_plan_points_findings_at_the_declarations() {
    let out = moat(&["scan", "testdata/terraform/plan", "--format", "json"]);
    let report = json(&out);
    let found: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["rule_id"].as_str().unwrap(),
                f["location"]["file"].as_str().unwrap(),
                f["location"]["start_line"]
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "storage-shared-key testdata/terraform/plan/main.tf:1",
            "storage-shared-key testdata/terraform/plan/main.tf:1",
            "storage-public-access testdata/terraform/plan/main.tf:8",
            "private-endpoint-missing-dns testdata/terraform/plan/modules/pe/main.tf:9"
        ]
    );
}

#[test]
fn resources_with_unknown_names_stay_apart_across_root_modules() {
    let dir = std::env::temp_dir().join(format!("moat-roots-{}", std::process::id()));
    for root in ["a", "b"] {
        std::fs::create_dir_all(dir.join(root)).unwrap();
        std::fs::write(
            dir.join(root).join("main.tf"),
            "variable \"name\" {}\n\nresource \"azurerm_key_vault\" \"example\" {\n  name                = var.name\n  resource_group_name = \"rg\"\n}\n",
        )
        .unwrap();
    }
    let out = moat(&["scan", dir.to_str().unwrap(), "--format", "json"]);
    let report = json(&out);
    assert_eq!(report["summary"]["resources"], 2, "{report}");
    let public: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "keyvault-public-access")
        .collect();
    assert_eq!(public.len(), 2, "one finding per vault");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn resources_of_unmapped_types_are_counted_and_listed() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
resource "azurerm_linux_virtual_machine_scale_set" "vmss" {
  count = 2
  name  = "vmss-${count.index}"
}
resource "random_password" "admin" {
  length = 24
}
resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
}
data "azurerm_client_config" "current" {}
"#,
    )
    .expect("write main.tf");
    let path = dir.path().to_str().expect("utf-8 path");
    let report = json(&moat(&["scan", path, "--format", "json"]));
    assert_eq!(
        report["summary"]["unmapped"],
        serde_json::json!({"azurerm_linux_virtual_machine_scale_set": 2, "random_password": 1})
    );
    let text = String::from_utf8(moat(&["scan", path]).stdout).expect("utf-8");
    assert!(
        text.contains("3 resources of 2 unmapped types not checked (--unknown lists them)"),
        "{text}"
    );
    let listed = String::from_utf8(moat(&["scan", path, "--unknown"]).stdout).expect("utf-8");
    assert!(
        listed.contains("  azurerm_linux_virtual_machine_scale_set: 2\n"),
        "{listed}"
    );
    let clean = json(&moat(&[
        "scan",
        "examples/azureml-private",
        "--format",
        "json",
    ]));
    assert_eq!(clean["summary"]["unmapped"], serde_json::json!({}));
}

/// A named file reads the whole work tree to find its units, but only those units are its
/// concern: a broken suppression in an unrelated deployment is not reported, nor counted.
#[test]
fn named_files_report_nothing_of_unrelated_deployments() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (folder, text) in [
        ("app", "resource \"azurerm_resource_group\" \"rg\" {\n  name     = \"rg-app\"\n  location = \"westeurope\"\n}\n"),
        ("other", "resource \"azurerm_resource_group\" \"rg\" {\n  name     = \"rg-other\" # moat:ignore acr-public-access\n  location = \"westeurope\"\n}\n"),
    ] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("main.tf"), text).unwrap();
    }
    let run = |path: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_moat"))
            .current_dir(dir.path())
            .args(["scan", path, "-f", "json"])
            .output()
            .unwrap();
        json(&out)
    };
    let whole = run(".");
    assert!(
        whole["errors"].to_string().contains("without a reason"),
        "the whole scan warns: {whole}"
    );
    let named = run("app/main.tf");
    assert_eq!(named["errors"], serde_json::json!([]), "{named}");
    assert_eq!(named["summary"]["files"], 1);
}
