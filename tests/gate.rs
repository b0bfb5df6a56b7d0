//! The gate as CI runs it: inline suppressions (moat's, Checkov's and Trivy's syntax),
//! `.moat.yaml` and its flags, and baselines, on fixtures in each input format
//! (`testdata/gate/{terraform,arm,bicep}`).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const FORMATS: &[&str] = &["terraform", "arm", "bicep"];

fn moat_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run moat")
}

fn moat(args: &[&str]) -> Output {
    moat_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn fixture(format: &str) -> String {
    format!("testdata/gate/{format}")
}

fn rule_ids(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| f["rule_id"].as_str().expect("rule id").to_owned())
        .collect();
    ids.sort();
    ids
}

/// What the gate decided, one line per finding, suppressed finding and input problem.
fn digest(report: &Value) -> String {
    let mut out = String::new();
    for f in report["findings"].as_array().expect("findings") {
        out.push_str(&format!(
            "finding    {} {}:{}\n",
            f["rule_id"].as_str().unwrap_or_default(),
            f["location"]["file"].as_str().unwrap_or_default(),
            f["location"]["start_line"]
        ));
    }
    for f in report["suppressed"].as_array().expect("suppressed") {
        let s = &f["suppressed"];
        out.push_str(&format!(
            "suppressed {} {}:{} by {} at line {} ({})\n",
            f["rule_id"].as_str().unwrap_or_default(),
            f["location"]["file"].as_str().unwrap_or_default(),
            f["location"]["start_line"],
            s["kind"].as_str().unwrap_or_default(),
            s["location"]["start_line"],
            s["justification"].as_str().unwrap_or_default()
        ));
    }
    for e in report["errors"].as_array().expect("errors") {
        out.push_str(&format!(
            "{:<10} {}:{} {}\n",
            e["level"].as_str().unwrap_or_default(),
            e["file"].as_str().unwrap_or_default(),
            e["line"],
            e["message"].as_str().unwrap_or_default()
        ));
    }
    out
}

#[test]
fn suppressions_in_every_format() {
    for format in FORMATS {
        let out = moat(&["scan", &fixture(format), "-f", "json"]);
        let report = json(&out);
        insta::assert_snapshot!(format!("suppressions_{format}"), digest(&report));
        // Each fixture keeps one finding whose suppression expired: the gate stays red.
        assert_eq!(out.status.code(), Some(1), "{format}");
        let digest = digest(&report);
        assert!(
            digest.contains("suppression expired on 2001-01-01"),
            "{format}"
        );
        assert!(digest.contains("unused suppression"), "{format}");
        assert_eq!(
            report["summary"]["suppressed"],
            report["suppressed"].as_array().map_or(0, Vec::len),
            "{format}"
        );
    }
}

#[test]
fn suppressed_findings_never_fail_the_gate_and_stay_in_sarif() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"azurerm_key_vault\" \"kv\" {\n  name = \"kv\"\n  location = \"westeurope\"\n  \
         resource_group_name = \"rg\"\n  tenant_id = \"t\"\n  sku_name = \"standard\"\n  \
         purge_protection_enabled = true\n  \
         # moat:ignore keyvault-public-access -- break-glass vault\n  \
         public_network_access_enabled = true\n}\n",
    )
    .expect("write");
    let text = moat_in(dir.path(), &["scan", "."]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert_eq!(text.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("0 findings") && stdout.contains("1 suppressed"),
        "{stdout}"
    );
    let sarif = json(&moat_in(dir.path(), &["scan", ".", "-f", "sarif"]));
    let results = &sarif["runs"][0]["results"];
    assert_eq!(results.as_array().map(Vec::len), Some(1));
    assert_eq!(
        results[0]["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "break-glass vault"}])
    );
    // The same comment without its reason suppresses nothing.
    let main = dir.path().join("main.tf");
    let text = std::fs::read_to_string(&main).expect("read");
    std::fs::write(&main, text.replace(" -- break-glass vault", "")).expect("write");
    let out = moat_in(dir.path(), &["scan", ".", "-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(digest(&json(&out)).contains("suppression without a reason"));
}

#[test]
fn select_ignore_and_exclude_in_every_format() {
    for format in FORMATS {
        let dir = fixture(format);
        let all = json(&moat(&["scan", &dir, "-f", "json"]));
        let every = |r: &Value| {
            let mut ids = rule_ids(&r["findings"]);
            ids.extend(rule_ids(&r["suppressed"]));
            ids
        };
        assert!(every(&all).len() >= 3, "{format}");
        let only = json(&moat(&["scan", &dir, "-f", "json", "--select", "keyvault"]));
        assert!(
            !every(&only).is_empty()
                && every(&only).iter().all(|id| id == "keyvault-public-access"),
            "{format}: {:?}",
            every(&only)
        );
        let without = json(&moat(&[
            "scan",
            &dir,
            "-f",
            "json",
            "--ignore",
            "keyvault,nsg",
            "--ignore",
            "storage",
        ]));
        assert!(
            every(&without).iter().all(|id| ![
                "keyvault-public-access",
                "nsg-open-inbound",
                "storage-public-access"
            ]
            .contains(&id.as_str())),
            "{format}"
        );
        // Excluding the main file leaves nothing located in it: findings, suppressed, warnings.
        let main = match *format {
            "arm" => "azuredeploy.json",
            "bicep" => "main.bicep",
            _ => "main.tf",
        };
        let excluded = json(&moat(&["scan", &dir, "-f", "json", "--exclude", main]));
        let path = format!("{dir}/{main}");
        let files: Vec<&Value> = ["findings", "suppressed"]
            .iter()
            .flat_map(|k| excluded[k].as_array().expect("list"))
            .map(|f| &f["location"]["file"])
            .chain(
                excluded["errors"]
                    .as_array()
                    .expect("errors")
                    .iter()
                    .map(|e| &e["file"]),
            )
            .collect();
        assert!(files.iter().all(|f| *f != &path), "{format}: {excluded}");
        assert!(every(&excluded).len() < every(&all).len(), "{format}");
    }
}

#[test]
fn a_selector_naming_no_rule_is_a_usage_error() {
    let out = moat(&["scan", &fixture("terraform"), "--select", "nsq"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'nsq' matches no rule"));
}

/// A folder holding `.moat.yaml` and one file.
fn project(config: &str, name: &str, source: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".moat.yaml"), config).expect("write config");
    let file = dir.path().join("infra").join(name);
    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
    std::fs::write(file, source).expect("write source");
    dir
}

const NSG_TF: &str = r#"resource "azurerm_network_security_group" "n" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "app"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "8080"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
"#;

#[test]
fn the_config_file_is_found_upward_and_its_options_reach_the_rules() {
    let config =
        "severity:\n  nsg-open-inbound: low\noptions:\n  nsg-open-inbound:\n    ports: [8080]\n";
    let dir = project(config, "main.tf", NSG_TF);
    let out = moat_in(dir.path(), &["scan", "infra", "-f", "json"]);
    let report = json(&out);
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["resource"]["name"], "nsg/app");
    assert_eq!(findings[0]["severity"], "low");
    // `--severity-threshold medium` now passes the low finding.
    let out = moat_in(
        dir.path(),
        &["scan", "infra", "--severity-threshold", "medium"],
    );
    assert_eq!(out.status.code(), Some(0));
    // Without the file, the built-in ports apply: SSH, not 8080.
    let out = moat_in(
        dir.path(),
        &["scan", "infra", "-f", "json", "--config", "/dev/null"],
    );
    let names: Vec<Value> = json(&out)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["resource"]["name"].clone())
        .collect();
    assert_eq!(names, vec![serde_json::json!("nsg/ssh")]);
}

#[test]
fn dns_managed_by_policy_silences_only_the_missing_zone_group() {
    let endpoint = r#"
resource "azurerm_private_endpoint" "kv" {
  name                = "pe-kv"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
  private_service_connection {
    name                           = "kv"
    private_connection_resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }
}
"#;
    let select = [
        "scan",
        "infra",
        "-f",
        "json",
        "--select",
        "private-endpoint",
    ];
    let off = project(
        "select: [private-endpoint-missing-dns]\n",
        "main.tf",
        endpoint,
    );
    let found = json(&moat_in(off.path(), &select));
    assert_eq!(
        rule_ids(&found["findings"]),
        vec!["private-endpoint-missing-dns"]
    );
    let on = project(
        "options:\n  private-endpoint-missing-dns:\n    dns_managed_by_policy: true\n",
        "main.tf",
        endpoint,
    );
    let found = json(&moat_in(on.path(), &select));
    assert_eq!(found["findings"], serde_json::json!([]), "{found}");
}

#[test]
fn config_errors_name_line_and_column() {
    let dir = project("select: [nsg]\nignored: [acr]\n", "main.tf", NSG_TF);
    let out = moat_in(dir.path(), &["scan", "infra"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let flat: Vec<&str> = stderr
        .split_whitespace()
        .filter(|w| !["│", "×"].contains(w))
        .collect();
    let flat = flat.join(" ");
    assert!(flat.contains("unknown field `ignored`"), "{stderr}");
    assert!(flat.contains("at line 2 column 1"), "{stderr}");
    let dir = project(
        "options:\n  nsg-open-inbound:\n    portz: [22]\n",
        "main.tf",
        NSG_TF,
    );
    let out = moat_in(dir.path(), &["scan", "infra"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no option 'portz'"));
    let dir = project("severity:\n  nsg-open-inbund: low\n", "main.tf", NSG_TF);
    let out = moat_in(dir.path(), &["scan", "infra"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'nsg-open-inbund'"));
}

#[test]
fn moat_config_says_where_each_value_came_from() {
    let config = "# team defaults\nignore: [acr-sku]\nseverity:\n  storage-public-access: medium\nexclude: [legacy]\n";
    let dir = project(config, "main.tf", NSG_TF);
    let out = moat_in(
        dir.path(),
        &["config", "infra", "--select", "nsg,storage,acr"],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("select = [\"nsg\",\"storage\",\"acr\"]  # command line"),
        "{text}"
    );
    assert!(
        text.contains("ignore = [\"acr-sku\"]  # .moat.yaml:2"),
        "{text}"
    );
    assert!(
        text.contains("severity.storage-public-access = medium  # .moat.yaml:4"),
        "{text}"
    );
    assert!(
        text.contains("severity.nsg-open-inbound = high  # default"),
        "{text}"
    );
    assert!(
        text.contains("exclude = [\"legacy\"]  # .moat.yaml:5"),
        "{text}"
    );
    assert!(
        text.lines()
            .find_map(|l| l.strip_prefix("# rules that run: "))
            .is_some_and(|run| {
                let run: Vec<&str> = run.split(", ").collect();
                [
                    "acr-public-access",
                    "nsg-open-inbound",
                    "storage-public-access",
                ]
                .iter()
                .all(|id| run.contains(id))
                    && run.iter().all(|id| {
                        ["acr-", "nsg-", "storage-"]
                            .iter()
                            .any(|p| id.starts_with(p))
                    })
                    && !run.contains(&"acr-sku-not-premium")
            }),
        "{text}"
    );
}

#[test]
fn baselines_report_only_new_findings_in_every_format() {
    // (format, file, a change that fixes one baselined finding)
    let cases = [
        (
            "terraform",
            "main.tf",
            "destination_port_range     = \"22\"",
            "destination_port_range     = \"443\"",
        ),
        (
            "arm",
            "azuredeploy.json",
            "\"destinationPortRange\": \"22\"",
            "\"destinationPortRange\": \"443\"",
        ),
        (
            "bicep",
            "main.bicep",
            "publicNetworkAccess: 'Enabled'",
            "publicNetworkAccess: 'Disabled'",
        ),
    ];
    for (format, file, from, to) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture(format));
        copy_dir(&src, &dir.path().join("iac"));
        let written = moat_in(dir.path(), &["baseline", "iac", "-o", "moat-baseline.json"]);
        assert_eq!(written.status.code(), Some(0), "{format}");
        let baseline: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("moat-baseline.json")).expect("baseline"),
        )
        .expect("baseline is JSON");
        assert_eq!(baseline["version"], 1);
        let recorded = baseline["findings"].as_array().expect("findings").len();
        assert!(recorded >= 1, "{format}");
        let prints: Vec<&str> = baseline["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|e| e["fingerprint"].as_str().expect("fingerprint"))
            .collect();
        let mut sorted = prints.clone();
        sorted.sort_unstable();
        assert_eq!(prints, sorted, "{format}: sorted by fingerprint");

        let args = [
            "scan",
            "iac",
            "--baseline",
            "moat-baseline.json",
            "-f",
            "json",
        ];
        let out = moat_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{format}: nothing new");
        let report = json(&out);
        assert_eq!(report["findings"], serde_json::json!([]), "{format}");
        assert_eq!(
            report["summary"]["baseline"],
            serde_json::json!({"matched": recorded, "fixed": 0}),
            "{format}"
        );
        assert!(report["suppressed"]
            .as_array()
            .expect("suppressed")
            .iter()
            .any(|f| f["suppressed"]["kind"] == "external"));

        // Entries of rules that do not run are not "fixed".
        let narrowed = json(&moat_in(
            dir.path(),
            &[&args[..], &["--ignore", "nsg,keyvault"]].concat(),
        ));
        assert_eq!(narrowed["summary"]["baseline"]["fixed"], 0, "{format}");

        // Fix one baselined finding and add a new one (a second, public vault).
        let path = dir.path().join("iac").join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{format}: fixture changed");
        std::fs::write(&path, text.replace(from, to)).expect("write");
        add_public_vault(format, &dir.path().join("iac"));
        let out = moat_in(dir.path(), &args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: the new finding fails"
        );
        let report = json(&out);
        assert_eq!(
            rule_ids(&report["findings"]),
            vec!["keyvault-public-access"],
            "{format}"
        );
        assert_eq!(report["summary"]["baseline"]["fixed"], 1, "{format}");
        assert_eq!(
            report["summary"]["baseline"]["matched"],
            recorded - 1,
            "{format}"
        );
        let text = moat_in(
            dir.path(),
            &["scan", "iac", "--baseline", "moat-baseline.json"],
        );
        let stdout = String::from_utf8_lossy(&text.stdout);
        assert!(
            stdout.contains(&format!(
                "{} in the baseline, 1 baselined fixed",
                recorded - 1
            )),
            "{format}: {stdout}"
        );
    }
}

fn add_public_vault(format: &str, dir: &Path) {
    let (name, text) = match format {
        "terraform" => (
            "new.tf",
            "resource \"azurerm_key_vault\" \"new\" {\n  name = \"kv-new\"\n  location = \"westeurope\"\n  resource_group_name = \"rg\"\n  tenant_id = \"t\"\n  sku_name = \"standard\"\n  purge_protection_enabled = true\n}\n",
        ),
        "arm" => (
            "new.json",
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [{"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-new",
    "location": "westeurope", "properties": {"tenantId": "t", "sku": {"family": "A", "name": "standard"}, "enablePurgeProtection": true}}]}
"#,
        ),
        _ => (
            "new.bicep",
            "resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: 'kv-new'\n  location: 'westeurope'\n  properties: {\n    tenantId: 't'\n    enablePurgeProtection: true\n    sku: {\n      family: 'A'\n      name: 'standard'\n    }\n  }\n}\n",
        ),
    };
    std::fs::write(dir.join(name), text).expect("write");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn a_broken_baseline_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("b.json"),
        "{\"version\": 7, \"findings\": []}",
    )
    .expect("write");
    let out = moat_in(dir.path(), &["scan", ".", "--baseline", "b.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("version 7"));
}

#[test]
fn exit_zero_passes_findings_but_not_input_errors() {
    let out = moat(&["scan", &fixture("terraform"), "--exit-zero"]);
    assert_eq!(out.status.code(), Some(0));
    let out = moat(&["scan", "testdata/terraform/malformed", "--exit-zero"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn several_outputs_in_one_run_keep_the_console_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture("bicep"));
    let fixture = fixture.to_str().expect("utf-8 path");
    let out = moat_in(
        dir.path(),
        &[
            "scan",
            fixture,
            "-o",
            "sarif=moat.sarif",
            "--output",
            "json=moat.json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 finding (1 high)") && stdout.contains("2 suppressed"),
        "{stdout}"
    );
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(name)).expect("written"))
            .expect("JSON")
    };
    assert_eq!(read("moat.json")["summary"]["findings"], 1);
    assert_eq!(
        read("moat.sarif")["runs"][0]["results"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    let out = moat_in(dir.path(), &["scan", fixture, "-o", "a.txt", "-o", "b.txt"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_pre_commit_hooks_gate_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).expect("hooks file");
    let hooks: Vec<Value> = serde_norway::from_str(&text).expect("hooks YAML");
    let hook = hooks
        .iter()
        .find(|h| h["id"] == "moat")
        .expect("a hook named moat");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    let files = hook["files"].as_str().expect("files pattern");
    for ext in ["tf", "tfvars", "bicep", "bicepparam", "json"] {
        assert!(files.contains(ext), "{ext} is not hooked");
    }
    let entry: Vec<String> = hook["entry"]
        .as_str()
        .expect("entry")
        .split_whitespace()
        .skip(1)
        .map(str::to_owned)
        .chain(
            hook["args"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_owned)),
        )
        .collect();
    let args: Vec<&str> = entry.iter().map(String::as_str).collect();
    // A default in variables.tf makes the NSG rule in main.tf open: the hook fails the commit.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("variables.tf"),
        "variable \"ssh_source\" {\n  default = \"*\"\n}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("main.tf"),
        NSG_TF
            .replace(
                "source_address_prefix      = \"*\"",
                "source_address_prefix      = var.ssh_source",
            )
            .replace("\"8080\"", "\"443\""),
    )
    .expect("write");
    assert_eq!(moat_in(dir.path(), &args).status.code(), Some(1));
    std::fs::write(
        dir.path().join("variables.tf"),
        "variable \"ssh_source\" {\n  default = \"10.0.0.0/24\"\n}\n",
    )
    .expect("write");
    let out = moat_in(dir.path(), &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_comment_above_an_arm_object_or_bicep_decorators_covers_the_resource() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("azuredeploy.json"),
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    // moat:ignore keyvault-public-access -- lab vault
    {
      "type": "Microsoft.KeyVault/vaults",
      "apiVersion": "2023-07-01",
      "name": "kv-arm",
      "location": "westeurope",
      "properties": {"tenantId": "t", "sku": {"family": "A", "name": "standard"}, "enablePurgeProtection": true}
    }
  ]
}
"#,
    )
    .expect("write");
    std::fs::write(
        dir.path().join("main.bicep"),
        "// moat:ignore keyvault-public-access -- lab vault\n@description('a vault')\n\
         resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: 'kv-bicep'\n  \
         location: 'westeurope'\n  properties: {\n    tenantId: 't'\n    enablePurgeProtection: true\n    \
         sku: {\n      family: 'A'\n      name: 'standard'\n    }\n  }\n}\n",
    )
    .expect("write");
    let out = moat_in(dir.path(), &["scan", ".", "-f", "json"]);
    let report = json(&out);
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
    assert_eq!(report["summary"]["suppressed"], 2, "{report}");
    assert_eq!(out.status.code(), Some(0));
}
