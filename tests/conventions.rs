//! The conventions of a command-line tool users expect: colour only where it belongs
//! (`--color`, `NO_COLOR`), `--quiet`, gate marks and the undecided count in the text
//! report, grouping by resource for long reports, `rules list --format json`, JUnit from
//! merged reports, and a named non-auto tfvars file applied to its root.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn moat_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_moat"));
    command
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run moat")
}

fn moat(args: &[&str]) -> Output {
    moat_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, &[])
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const GATE: &str = "testdata/gate/terraform";

/// `count` storage accounts, each with four findings (public network, shared key, nested
/// items public, TLS 1.0); `minus_one` leaves the last account's TLS setting alone.
fn storage_accounts(dir: &Path, count: usize, minus_one: bool) {
    let mut tf = String::new();
    for i in 1..=count {
        let tls = if minus_one && i == count {
            ""
        } else {
            "  min_tls_version                 = \"TLS1_0\"\n"
        };
        tf.push_str(&format!(
            "resource \"azurerm_storage_account\" \"sa{i}\" {{\n  name                            = \"stgroup{i}\"\n  resource_group_name             = \"rg\"\n  location                        = \"westeurope\"\n  account_tier                    = \"Standard\"\n  account_replication_type        = \"LRS\"\n  allow_nested_items_to_be_public = true\n{tls}}}\n\n"
        ));
    }
    std::fs::write(dir.join("main.tf"), tf).expect("write main.tf");
}

#[test]
fn the_text_report_is_plain_unless_colour_is_asked_for() {
    let plain = moat(&["scan", GATE]);
    assert!(!plain.stdout.contains(&0x1b), "piped output has no colour");
    let auto = moat(&["--color", "auto", "scan", GATE]);
    assert!(!auto.stdout.contains(&0x1b), "auto is off on a pipe");
    let always = moat(&["--color", "always", "scan", GATE]);
    let text = stdout(&always);
    assert!(text.contains("\x1b["), "--color always colours: {text}");
    assert_eq!(always.status.code(), plain.status.code());
    // NO_COLOR does not override an explicit flag; it only turns off `auto`.
    let forced = moat_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["scan", GATE, "--color", "always"],
        &[("NO_COLOR", "1")],
    );
    assert!(forced.stdout.contains(&0x1b));
    let never = moat(&["--color", "never", "scan", GATE]);
    assert_eq!(stdout(&never), stdout(&plain));
}

#[test]
fn machine_formats_and_files_are_never_coloured() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text_file = dir.path().join("report.txt");
    let text_file = text_file.to_str().expect("utf-8 path");
    for format in ["json", "sarif", "junit", "github", "markdown", "csv"] {
        let out = moat(&["--color", "always", "scan", GATE, "-f", format]);
        assert!(!out.stdout.contains(&0x1b), "{format} is never coloured");
    }
    moat(&["--color", "always", "scan", GATE, "-o", text_file]);
    let written = std::fs::read(text_file).expect("report file");
    assert!(!written.is_empty() && !written.contains(&0x1b));
}

#[test]
fn quiet_prints_the_findings_only() {
    let full = stdout(&moat(&["scan", GATE]));
    let out = moat(&["scan", GATE, "-q"]);
    let quiet = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "the gate is unchanged");
    assert!(full.contains("2 findings (2 high)"), "{full}");
    assert!(!quiet.contains("findings ("), "no summary: {quiet}");
    assert!(
        !quiet.contains("unused suppression"),
        "no warnings: {quiet}"
    );
    assert!(quiet.contains("nsg-open-inbound") && quiet.contains("acr-public-access"));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let long = moat(&["scan", GATE, "--quiet"]);
    assert_eq!(stdout(&long), quiet);
}

#[test]
fn quiet_keeps_input_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("broken.tf"), "resource \"x\" {").expect("write");
    let out = moat_in(dir.path(), &["scan", ".", "-q"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("broken.tf"), "{}", stdout(&out));
}

#[test]
fn findings_that_fail_the_gate_are_marked_and_counted() {
    let report = moat(&["scan", "examples/azureml-private", "-f", "json"]);
    let report: Value = serde_json::from_slice(&report.stdout).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    let text = stdout(&moat(&["scan", "examples/azureml-private"]));
    let marked = text.matches("[fails the gate]").count();
    assert_eq!(
        marked,
        findings.len(),
        "every finding is at or above low: {text}"
    );
    assert!(text.contains(&format!(
        "{} findings fail the gate (--severity-threshold low)",
        findings.len()
    )));

    let high = stdout(&moat(&[
        "scan",
        "examples/azureml-private",
        "--severity-threshold",
        "high",
    ]));
    let at_least_high = findings
        .iter()
        .filter(|f| matches!(f["severity"].as_str(), Some("high" | "critical")))
        .count();
    assert!(at_least_high > 0 && at_least_high < findings.len());
    assert_eq!(high.matches("[fails the gate]").count(), at_least_high);
    assert!(high.contains(&format!(
        "{at_least_high} findings fail the gate (--severity-threshold high)"
    )));

    let soft = stdout(&moat(&["scan", "examples/azureml-private", "--exit-zero"]));
    assert!(!soft.contains("fail the gate") && !soft.contains("[fails the gate]"));
}

#[test]
fn suppressed_findings_are_not_marked() {
    let text = stdout(&moat(&["scan", GATE]));
    // Three findings are suppressed inline; only the two reported ones fail the gate.
    assert_eq!(text.matches("[fails the gate]").count(), 2, "{text}");
}

#[test]
fn the_summary_counts_undecided_rules_and_points_at_unknown() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"open\" {\n  type = bool\n}\n\nresource \"azurerm_key_vault\" \"kv\" {\n  \
         name                          = \"kv-undecided\"\n  location                      = \
         \"westeurope\"\n  resource_group_name           = \"rg\"\n  tenant_id                     \
         = \"00000000-0000-0000-0000-000000000000\"\n  sku_name                      = \
         \"standard\"\n  public_network_access_enabled = var.open\n}\n",
    )
    .expect("write");
    let text = stdout(&moat_in(dir.path(), &["scan", "."], &[]));
    assert!(
        text.contains("undecided: a value is unknown (--unknown lists them)"),
        "{text}"
    );
    assert!(text.contains("of 1 rule undecided"), "{text}");
    let listed = stdout(&moat_in(dir.path(), &["scan", ".", "--unknown"], &[]));
    assert!(
        listed.contains("keyvault-public-access (undecided)"),
        "{listed}"
    );
    assert!(listed.contains("(listed above)"), "{listed}");
}

/// The resource headers of a grouped report.
fn headers(text: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with("── azurerm_storage_account.sa") && l.ends_with("4 findings"))
        .count()
}

#[test]
fn forty_findings_are_grouped_by_resource() {
    let dir = tempfile::tempdir().expect("temp dir");
    storage_accounts(dir.path(), 10, false);
    let text = stdout(&moat_in(dir.path(), &["scan", "."], &[]));
    assert!(text.contains("40 findings"), "{text}");
    assert_eq!(headers(&text), 10, "{text}");
    insta::assert_snapshot!("grouped_by_resource", text);
}

#[test]
fn thirty_nine_findings_are_not_grouped() {
    let dir = tempfile::tempdir().expect("temp dir");
    storage_accounts(dir.path(), 10, true);
    let text = stdout(&moat_in(dir.path(), &["scan", "."], &[]));
    assert!(text.contains("39 findings"), "{text}");
    assert_eq!(headers(&text), 0, "{text}");
}

#[test]
fn rules_list_json_has_one_stable_shape() {
    let out = moat(&["rules", "list", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules = list["rules"].as_array().expect("rules");
    let text = stdout(&moat(&["rules", "list"]));
    assert_eq!(rules.len(), text.lines().count(), "every rule listed");
    for rule in rules {
        let keys: Vec<&str> = rule
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "id",
                "title",
                "severity",
                "resource_types",
                "references",
                "options",
                "remediation_formats"
            ]
        );
        let refs: Vec<&str> = rule["references"]
            .as_object()
            .expect("references")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            refs,
            [
                "azure_policy",
                "mcsb",
                "cis",
                "links",
                "checkov",
                "trivy",
                "kics"
            ]
        );
        let id = rule["id"].as_str().expect("id");
        assert!(text.contains(id));
    }
    let nsg = rules
        .iter()
        .find(|r| r["id"] == "nsg-open-inbound")
        .expect("nsg-open-inbound");
    assert_eq!(nsg["severity"], "high");
    assert_eq!(
        nsg["resource_types"],
        serde_json::json!(["Microsoft.Network/networkSecurityGroups/securityRules"])
    );
    assert!(nsg["options"]["ports"]
        .as_array()
        .is_some_and(|p| p.iter().any(|x| x == "22/tcp")));
    assert_eq!(
        nsg["remediation_formats"],
        serde_json::json!(["terraform", "bicep", "arm", "live"])
    );
    assert!(nsg["references"]["checkov"]
        .as_array()
        .is_some_and(|c| !c.is_empty()));
}

#[test]
fn merged_reports_render_as_junit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    let mut unsuppressed = 0;
    for (path, input) in [(&a, GATE), (&b, "examples/azureml-private")] {
        let out = moat(&["scan", input, "-f", "json"]);
        let report: Value = serde_json::from_slice(&out.stdout).expect("json");
        // Suppressed findings are listed apart, under `suppressed`.
        unsuppressed += report["findings"].as_array().expect("findings").len();
        std::fs::write(path, &out.stdout).expect("write report");
    }
    let paths = [a.to_str().expect("utf-8"), b.to_str().expect("utf-8")];
    let out = moat(&["merge", paths[0], paths[1], "-f", "junit"]);
    assert_eq!(out.status.code(), Some(0));
    let xml = stdout(&out);
    assert!(xml.starts_with("<?xml"), "{xml}");
    // A failing testcase for every finding of both reports that is not suppressed.
    assert_eq!(xml.matches("<failure").count(), unsuppressed, "{xml}");
    assert!(xml.contains("nsg-open-inbound") && xml.contains("sql-public-access"));
    // The suppressed findings of the first report stay visible as skipped testcases.
    assert!(xml.contains("<skipped"), "{xml}");
}

/// A root whose NSG rule takes its source from a variable, safe by default.
fn root_with_admin_source(dir: &Path) {
    std::fs::write(
        dir.join("main.tf"),
        "variable \"admin_source\" {\n  type    = string\n  default = \"10.0.0.0/8\"\n}\n\n\
         resource \"azurerm_network_security_group\" \"app\" {\n  name                = \"nsg-app\"\n  \
         location            = \"westeurope\"\n  resource_group_name = \"rg-app\"\n\n  \
         security_rule {\n    name                       = \"ssh\"\n    priority                   \
         = 100\n    direction                  = \"Inbound\"\n    access                     = \
         \"Allow\"\n    protocol                   = \"Tcp\"\n    source_port_range          = \
         \"*\"\n    destination_port_range     = \"22\"\n    source_address_prefix      = \
         var.admin_source\n    destination_address_prefix = \"*\"\n  }\n}\n",
    )
    .expect("write main.tf");
}

#[test]
fn a_named_non_auto_tfvars_file_is_applied_to_its_root() {
    let dir = tempfile::tempdir().expect("temp dir");
    root_with_admin_source(dir.path());
    std::fs::write(dir.path().join("prod.tfvars"), "admin_source = \"*\"\n").expect("tfvars");
    std::fs::write(
        dir.path().join("dev.tfvars"),
        "admin_source = \"10.1.0.0/16\"\n",
    )
    .expect("tfvars");
    let rules = |args: &[&str]| -> (Option<i32>, Vec<String>) {
        let out = moat_in(dir.path(), args, &[]);
        let report: Value = serde_json::from_slice(&out.stdout).expect("json");
        let ids = report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| format!("{} {}", f["rule_id"], f["location"]["file"]))
            .collect();
        (out.status.code(), ids)
    };
    // Scanning the folder, Terraform would load neither file: the default is safe.
    assert_eq!(rules(&["scan", ".", "-f", "json"]), (Some(0), vec![]));
    // Named (as pre-commit names a changed file), it is the root's `-var-file`.
    assert_eq!(
        rules(&["scan", "prod.tfvars", "-f", "json"]),
        (Some(1), vec!["\"nsg-open-inbound\" \"main.tf\"".to_owned()])
    );
    assert_eq!(
        rules(&["scan", "dev.tfvars", "-f", "json"]),
        (Some(0), vec![])
    );
    // `--var` still wins over it.
    assert_eq!(
        rules(&[
            "scan",
            "prod.tfvars",
            "--var",
            "admin_source=10.2.0.0/16",
            "-f",
            "json"
        ]),
        (Some(0), vec![])
    );
}

#[test]
fn a_named_tfvars_file_in_a_folder_without_a_root_applies_to_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    root_with_admin_source(dir.path());
    std::fs::create_dir(dir.path().join("envs")).expect("mkdir");
    std::fs::write(
        dir.path().join("envs/prod.tfvars"),
        "admin_source = \"*\"\n",
    )
    .expect("tfvars");
    let out = moat_in(
        dir.path(),
        &["scan", ".", "envs/prod.tfvars", "-f", "json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}
