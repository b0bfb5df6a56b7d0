//! `hardcoded-secret` never prints the secret: not in the message, not in the JSON or SARIF
//! reports, not in the source snippets of the reports for people (the literal is masked in
//! every snippet, whichever finding shows it), whatever the input format.

use std::process::Command;

const SECRETS: [&str; 3] = [
    "Sup3r-S3cret!Value",
    "An0ther-S3cret!Value",
    "c2VjcmV0a2V5c2VjcmV0a2V5",
];

fn scan(path: &str, format: &str) -> String {
    scan_with(path, format, &["--select", "hardcoded-secret"])
}

fn scan_with(path: &str, format: &str, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_moat"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", path, "--format", format])
        .args(extra)
        .output()
        .expect("moat runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const FIXTURES: [&str; 3] = [
    "testdata/rules/hardcoded-secret/fail_literal_passwords.tf",
    "testdata/rules/hardcoded-secret/fail-arm.json",
    "testdata/rules/hardcoded-secret/fail-bicep.bicep",
];

#[test]
fn snippets_mask_the_secret_in_every_report_for_people() {
    for fixture in FIXTURES {
        let text = std::fs::read_to_string(fixture).expect("fixture");
        assert!(
            SECRETS.iter().any(|s| text.contains(s)),
            "{fixture} holds a secret to hide"
        );
        // All rules: a finding of another rule on the same resource shows the same lines.
        for format in ["text", "html", "markdown", "github", "csv", "junit"] {
            let out = scan_with(fixture, format, &["--color", "never"]);
            assert!(
                out.contains("hardcoded-secret"),
                "{fixture} {format}: {out}"
            );
            for secret in SECRETS {
                assert!(!out.contains(secret), "{fixture} {format} quotes it: {out}");
            }
        }
    }
    // The mask is visible where the literal was.
    let text = scan(FIXTURES[0], "text");
    assert!(text.contains("\"******"), "{text}");
}

#[test]
fn reports_name_where_a_secret_is_never_what_it_is() {
    for fixture in FIXTURES {
        let json = scan(fixture, "json");
        let report: serde_json::Value = serde_json::from_str(&json).expect("a JSON report");
        let findings = report["findings"].as_array().expect("findings");
        assert!(
            findings.iter().any(|f| f["rule_id"] == "hardcoded-secret"),
            "{fixture}: {json}"
        );
        let sarif = scan(fixture, "sarif");
        assert!(sarif.contains("hardcoded-secret"), "{fixture}: {sarif}");
        for secret in SECRETS {
            assert!(
                !json.contains(secret),
                "{fixture}: the JSON report quotes it"
            );
            assert!(
                !sarif.contains(secret),
                "{fixture}: the SARIF report quotes it"
            );
            for finding in findings {
                let message = finding["message"].as_str().unwrap_or_default();
                assert!(!message.contains(secret), "{fixture}: {message}");
            }
        }
    }
}

#[test]
fn a_secure_parameter_given_by_a_parameter_file_is_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = serde_json::json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"adminPassword": {"type": "securestring"}},
        "resources": [{
            "type": "Microsoft.Sql/servers",
            "apiVersion": "2023-05-01-preview",
            "name": "sql-app",
            "location": "westeurope",
            "properties": {
                "administratorLogin": "sqladmin",
                "administratorLoginPassword": "[parameters('adminPassword')]",
                "publicNetworkAccess": "Disabled"
            }
        }]
    });
    let parameters = serde_json::json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"adminPassword": {"value": SECRETS[0]}}
    });
    std::fs::write(dir.path().join("azuredeploy.json"), template.to_string()).unwrap();
    std::fs::write(
        dir.path().join("azuredeploy.parameters.json"),
        parameters.to_string(),
    )
    .unwrap();
    let json = scan(dir.path().to_str().expect("utf-8 path"), "json");
    let report: serde_json::Value = serde_json::from_str(&json).expect("a JSON report");
    assert_eq!(report["summary"]["resources"], 1, "{json}");
    assert_eq!(report["findings"], serde_json::json!([]), "{json}");
}
