//! `hardcoded-secret` never prints the secret: not in the message, not in the JSON or SARIF
//! reports (which carry no source text), whatever the input format.

use std::process::Command;

const SECRETS: [&str; 3] = [
    "Sup3r-S3cret!Value",
    "An0ther-S3cret!Value",
    "c2VjcmV0a2V5c2VjcmV0a2V5",
];

fn scan(path: &str, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_moat"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "scan",
            path,
            "--format",
            format,
            "--select",
            "hardcoded-secret",
        ])
        .output()
        .expect("moat runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn reports_name_where_a_secret_is_never_what_it_is() {
    for fixture in [
        "testdata/rules/hardcoded-secret/fail_literal_passwords.tf",
        "testdata/rules/hardcoded-secret/fail-arm.json",
        "testdata/rules/hardcoded-secret/fail-bicep.bicep",
    ] {
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
