//! Named files (what a pre-commit hook passes) select the deployment units they belong to,
//! and every finding of those units counts, wherever it is located; units no named file
//! belongs to stay out, their findings and their input errors alike.

use std::path::Path;
use std::process::{Command, Output};

mod fixture;

/// A copy of `testdata/precommit` marked as a work tree (so that the scan root is its top).
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fixture::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/precommit"),
        dir.path(),
    );
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    dir
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} holds {from:?}");
    std::fs::write(path, text.replace(from, to)).expect("write");
}

fn scan(root: &Path, files: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat"))
        .arg("scan")
        .args(files)
        .args(["--format", "json"])
        .current_dir(root)
        .output()
        .expect("run moat")
}

/// (rule, file the finding is located in, unit) of every finding.
fn findings(output: &Output) -> Vec<(String, String, String)> {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
            (
                text(&f["rule_id"]),
                text(&f["location"]["file"]),
                text(&f["unit"]),
            )
        })
        .collect()
}

fn one(rule: &str, file: &str, unit: &str) -> Vec<(String, String, String)> {
    vec![(rule.to_owned(), file.to_owned(), unit.to_owned())]
}

#[test]
fn a_clean_change_is_not_blocked_by_other_units_findings() {
    let repo = repository();
    let whole = scan(repo.path(), &["."]);
    assert_eq!(whole.status.code(), Some(1), "legacy/ has findings");
    for file in ["app/variables.tf", "live/main.tf", "README.md"] {
        let out = scan(repo.path(), &[file]);
        assert_eq!(out.status.code(), Some(0), "{file}: {:?}", findings(&out));
    }
}

#[test]
fn a_default_flipped_in_variables_tf_reports_the_finding_in_main_tf() {
    let repo = repository();
    edit(repo.path(), "app/variables.tf", "\"10.0.0.0/8\"", "\"*\"");
    let out = scan(repo.path(), &["app/variables.tf"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        findings(&out),
        one("nsg-open-inbound", "app/main.tf", "app")
    );
}

#[test]
fn a_module_argument_or_module_file_selects_every_root_calling_the_module() {
    let repo = repository();
    edit(repo.path(), "live/main.tf", "\"10.1.0.0/16\"", "\"*\"");
    let expected = one("nsg-open-inbound", "modules/nsg/main.tf", "live");
    for file in [
        "live/main.tf",
        "modules/nsg/main.tf",
        "modules/nsg/variables.tf",
    ] {
        let out = scan(repo.path(), &[file]);
        assert_eq!(findings(&out), expected, "{file}");
    }
}

#[test]
fn a_parameter_file_selects_its_template_and_a_bicep_module_its_roots() {
    let repo = repository();
    edit(
        repo.path(),
        "arm/storage.parameters.json",
        "\"value\": \"Disabled\"",
        "\"value\": \"Enabled\"",
    );
    edit(
        repo.path(),
        "bicep/modules/storage.bicep",
        "publicNetworkAccess: 'Disabled'",
        "publicNetworkAccess: 'Enabled'",
    );
    let arm = scan(repo.path(), &["arm/storage.parameters.json"]);
    assert_eq!(
        findings(&arm),
        one(
            "storage-public-access",
            "arm/storage.json",
            "arm/storage.json"
        )
    );
    let bicep = scan(repo.path(), &["bicep/modules/storage.bicep"]);
    assert_eq!(
        findings(&bicep),
        one(
            "storage-public-access",
            "bicep/modules/storage.bicep",
            "bicep/main.bicep"
        )
    );
}

#[test]
fn input_errors_count_only_in_the_selected_units() {
    let repo = repository();
    std::fs::create_dir(repo.path().join("broken")).expect("mkdir");
    std::fs::write(repo.path().join("broken/main.tf"), "resource \"x\" {\n").expect("write");
    assert_eq!(scan(repo.path(), &["app/main.tf"]).status.code(), Some(0));
    assert_eq!(
        scan(repo.path(), &["broken/main.tf"]).status.code(),
        Some(2)
    );
}
