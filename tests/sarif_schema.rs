//! moat's SARIF as the consumers of a CI gate read it: valid against the OASIS SARIF 2.1.0
//! JSON schema (`testdata/sarif-schema-2.1.0.json`, draft-07, validated offline) and, when
//! the `sarif` command of sarif-tools (PyPI) is installed, read by it without error — for a
//! clean run, a run with findings, one with a suppressed finding, one whose finding carries
//! provenance (`relatedLocations`) and one with an input error.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

#[path = "support/nsg.rs"]
mod nsg;
use nsg::open_nsg;

const RESOURCE_GROUP: &str = r#"
resource "azurerm_resource_group" "rg" {
  name     = "rg-sarif"
  location = "westeurope"
}
"#;

/// A key vault whose public access comes from a variable's default: the finding carries
/// where that value was set as a related location.
const PROVENANCE: &str = r#"
variable "kv_public" {
  type    = bool
  default = true
}

resource "azurerm_key_vault" "kv" {
  name                          = "kv-sarif"
  location                      = "westeurope"
  resource_group_name           = "rg-sarif"
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  purge_protection_enabled      = true
  public_network_access_enabled = var.kv_public

  network_acls {
    default_action = "Allow"
    bypass         = "AzureServices"
  }
}
"#;

/// One scan case: its name, its `main.tf`, and the exit code moat must give.
struct Case {
    name: &'static str,
    main_tf: String,
    code: i32,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "clean",
            main_tf: RESOURCE_GROUP.to_owned(),
            code: 0,
        },
        Case {
            name: "findings",
            main_tf: open_nsg("jump", "nsg-jump", ""),
            code: 1,
        },
        Case {
            name: "suppressed",
            main_tf: open_nsg(
                "jump",
                "nsg-jump",
                "# moat:ignore nsg-open-inbound -- jump host behind the VPN",
            ),
            code: 0,
        },
        Case {
            name: "provenance",
            main_tf: PROVENANCE.to_owned(),
            code: 1,
        },
        Case {
            name: "input-error",
            main_tf: format!("{RESOURCE_GROUP}\nresource \"azurerm_x\" \"y\" {{\n  a = \n"),
            code: 2,
        },
    ]
}

/// Scans each case in its own folder (as the working directory, scanning `.`) and returns
/// each case's name, its SARIF file and the parsed log.
fn scan_cases(dir: &Path) -> Vec<(&'static str, PathBuf, Value)> {
    cases()
        .into_iter()
        .map(|case| {
            let folder = dir.join(case.name);
            std::fs::create_dir_all(&folder).expect("case folder");
            std::fs::write(folder.join("main.tf"), &case.main_tf).expect("main.tf");
            let sarif = dir.join(format!("{}.sarif", case.name));
            let out = Command::new(env!("CARGO_BIN_EXE_moat"))
                .current_dir(&folder)
                .args(["scan", ".", "-f", "sarif", "-o"])
                .arg(&sarif)
                .output()
                .expect("moat runs");
            assert_eq!(
                out.status.code(),
                Some(case.code),
                "{}: {}",
                case.name,
                String::from_utf8_lossy(&out.stderr)
            );
            let text = std::fs::read_to_string(&sarif).expect("SARIF written");
            let log: Value = serde_json::from_str(&text).expect("SARIF is JSON");
            (case.name, sarif, log)
        })
        .collect()
}

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(path).expect("schema in testdata");
    // The published schema's `language` patterns have an unescaped `]`, a literal in
    // ECMA-262 that the validator's check of the schema refuses; escaping it keeps the
    // same language.
    const STRAY: &str = r#"-[a-zA-Z]{2}]?$""#;
    assert_eq!(text.matches(STRAY).count(), 2, "the published schema");
    let text = text.replace(STRAY, r#"-[a-zA-Z]{2}\\]?$""#);
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles offline")
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let validator = schema();
    for (name, _, log) in scan_cases(dir.path()) {
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let run = &log["runs"][0];
        let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .expect("%SRCROOT%");
        assert!(
            root.starts_with("file:///") && root.ends_with(&format!("/{name}/")),
            "{name}: {root}"
        );
        assert_eq!(run["automationDetails"]["id"], "moat/", "{name}");
        let invocation = &run["invocations"][0];
        let notifications = invocation["toolExecutionNotifications"]
            .as_array()
            .expect("notifications");
        let results = run["results"].as_array().expect("results");
        for result in results {
            let at = &result["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(at["uri"], "main.tf", "{name}");
            assert_eq!(at["uriBaseId"], "%SRCROOT%", "{name}");
        }
        let suppressed = results
            .iter()
            .filter(|r| r.get("suppressions").is_some())
            .count();
        match name {
            "clean" => assert!(results.is_empty() && notifications.is_empty()),
            "findings" => {
                assert!(!results.is_empty());
                assert_eq!(suppressed, 0);
                assert!(results.iter().any(|r| r["ruleId"] == "nsg-open-inbound"));
            }
            "suppressed" => {
                let s = results
                    .iter()
                    .find(|r| r["ruleId"] == "nsg-open-inbound")
                    .expect("the suppressed finding stays a result");
                assert_eq!(s["suppressions"][0]["kind"], "inSource");
                assert_eq!(
                    s["suppressions"][0]["justification"],
                    "jump host behind the VPN"
                );
            }
            "provenance" => {
                let r = results
                    .iter()
                    .find(|r| r["ruleId"] == "keyvault-public-access")
                    .expect("the public vault");
                let related = &r["relatedLocations"][0];
                assert_eq!(related["id"], 0);
                let at = &related["physicalLocation"];
                assert_eq!(at["artifactLocation"]["uri"], "main.tf");
                assert_eq!(at["artifactLocation"]["uriBaseId"], "%SRCROOT%");
                assert_eq!(at["region"]["startLine"], 4, "the default line: {related}");
                assert_eq!(
                    related["message"]["text"],
                    "var.kv_public left at its default"
                );
            }
            "input-error" => {
                assert_eq!(invocation["executionSuccessful"], false);
                let n = notifications
                    .iter()
                    .find(|n| n["level"] == "error")
                    .expect("the syntax error is a notification");
                let at = &n["locations"][0]["physicalLocation"];
                assert_eq!(at["artifactLocation"]["uri"], "main.tf");
                assert_eq!(at["artifactLocation"]["uriBaseId"], "%SRCROOT%");
                assert!(at["region"]["startLine"].as_i64() >= Some(6), "{n}");
            }
            other => unreachable!("{other}"),
        }
        if name != "input-error" {
            assert_eq!(invocation["executionSuccessful"], true, "{name}");
        }
    }
}

#[test]
fn the_schema_rejects_what_code_scanning_would() {
    // The validator is not vacuous: a log without a version or a result without a message
    // is refused.
    let validator = schema();
    let bad = serde_json::json!({"runs": [{"tool": {"driver": {"name": "moat"}}}]});
    assert!(!validator.is_valid(&bad));
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "moat"}},
        "results": [{"ruleId": "x"}]
    }]});
    assert!(!validator.is_valid(&bad));
}

/// Whether the `sarif` command of sarif-tools is on the PATH.
fn sarif_tools() -> bool {
    Command::new("sarif")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Runs `sarif ARGS FILE` and returns its standard output; fails on an error exit or a
/// Python traceback.
fn run_sarif_tools(args: &[&str], file: &Path) -> String {
    let out = Command::new("sarif")
        .args(args)
        .arg(file)
        .output()
        .expect("sarif runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("Traceback"),
        "sarif {args:?} {}: {stderr}",
        file.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn sarif_tools_reads_every_case() {
    if !sarif_tools() {
        eprintln!("skipped: the `sarif` command (pip install sarif-tools) is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, file, _) in scan_cases(dir.path()) {
        let summary = run_sarif_tools(&["summary"], &file);
        run_sarif_tools(&["ls"], &file);
        let listed = summary.contains("nsg-open-inbound");
        // sarif-tools counts every result, suppressed or not.
        let expected = matches!(name, "findings" | "suppressed");
        assert_eq!(listed, expected, "{name}: {summary}");
    }
}
