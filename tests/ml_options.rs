//! The private Azure ML rules' policy choices, set from `.moat.yaml` (`options.<rule-id>`),
//! change their verdicts on the rules' own fixtures.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Copies a rule fixture into a fresh project with `config` as its `.moat.yaml` and returns
/// the ids of the findings of `rule` a scan reports.
fn findings(rule: &str, fixture: &str, config: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".moat.yaml"), config).expect("write config");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/rules")
        .join(rule)
        .join(fixture);
    std::fs::create_dir_all(dir.path().join("infra")).expect("mkdir");
    std::fs::copy(&source, dir.path().join("infra/main.tf")).expect("copy fixture");
    let out = Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(["scan", "infra", "--format", "json", "--select", rule])
        .current_dir(dir.path())
        .output()
        .expect("run moat");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            f["resource"]["address"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn high_business_impact_counts_as_sensitive_unless_the_team_says_otherwise() {
    let rule = "ml-managed-network-outbound-open";
    assert_eq!(
        findings(rule, "fail_hbi.tf", ""),
        ["azurerm_machine_learning_workspace.ws"]
    );
    let off = format!("options:\n  {rule}:\n    high_business_impact: false\n");
    assert!(findings(rule, "fail_hbi.tf", &off).is_empty());
}

#[test]
fn next_to_a_private_workspace_widens_from_resource_group_to_unit() {
    let rule = "ai-service-public";
    assert!(findings(rule, "pass_elsewhere.tf", "").is_empty());
    let unit = format!("options:\n  {rule}:\n    scope: unit\n");
    assert_eq!(
        findings(rule, "pass_elsewhere.tf", &unit),
        ["azurerm_cognitive_account.openai"]
    );
}

#[test]
fn default_dependencies_need_outbound_rules_only_when_asked() {
    let rule = "ml-managed-network-missing-outbound-pe";
    // The workspace's own storage is private: Azure ML creates its endpoint itself.
    let fixture = "pass_default_storage.tf";
    assert!(findings(rule, fixture, "").is_empty());
    let strict = format!("options:\n  {rule}:\n    include_default_dependencies: true\n");
    assert_eq!(
        findings(rule, fixture, &strict),
        ["azurerm_machine_learning_workspace.ws"]
    );
    let typo = format!("options:\n  {rule}:\n    include_defaults: true\n");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".moat.yaml"), typo).expect("write config");
    let out = Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(["scan", "."])
        .current_dir(dir.path())
        .output()
        .expect("run moat");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no option 'include_defaults'"));
}
