//! Provenance: a finding whose value came from elsewhere says where it was set — a tfvars
//! file, `--var-file`, `--var`, a module argument (and the tfvars line that fed it), a
//! variable's default, a `.bicepparam` line, an ARM parameter file or a `defaultValue` — in
//! text (a line per origin under the message), JSON (`provenance`) and SARIF
//! (`relatedLocations`). Fixtures: `testdata/provenance/{tfvars,module,bicep,arm}`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn moat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .env("COLUMNS", "100")
        .output()
        .expect("run moat")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}{}",
            stdout(output),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn fixture(case: &str) -> String {
    format!("testdata/provenance/{case}")
}

/// The one finding of a fixture scanned as JSON (with extra arguments).
fn finding(case: &str, extra: &[&str]) -> Value {
    let path = fixture(case);
    let mut args = vec!["scan", path.as_str(), "-f", "json"];
    args.extend(extra);
    let report = json_of(&moat(&args));
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{case}: {report:#}");
    findings[0].clone()
}

/// `kind name file:line` for each origin, nearest first.
fn chain(finding: &Value) -> Vec<String> {
    finding["provenance"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| {
                    format!(
                        "{} {} {}:{}",
                        p["kind"].as_str().unwrap_or_default(),
                        p["name"].as_str().unwrap_or_default(),
                        p["file"].as_str().unwrap_or("-"),
                        p["line"]
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn an_automatic_tfvars_file_is_where_the_variable_was_set() {
    let f = finding("tfvars", &[]);
    assert_eq!(f["location"]["file"], "testdata/provenance/tfvars/main.tf");
    assert_eq!(
        chain(&f),
        ["tfvars var.kv_public testdata/provenance/tfvars/terraform.tfvars:2"]
    );
    let origin = &f["provenance"][0];
    assert_eq!(origin["column"], 1);
    assert_eq!(origin["message"], "var.kv_public set by a tfvars file");
}

#[test]
fn var_file_and_var_override_in_terraform_order() {
    let f = finding(
        "tfvars",
        &["--var-file", "testdata/provenance/tfvars/prod.tfvars"],
    );
    assert_eq!(
        chain(&f),
        ["tfvars var.kv_public testdata/provenance/tfvars/prod.tfvars:2"]
    );
    let f = finding(
        "tfvars",
        &[
            "--var-file",
            "testdata/provenance/tfvars/prod.tfvars",
            "--var",
            "kv_public=true",
        ],
    );
    assert_eq!(chain(&f), ["var var.kv_public -:null"]);
    assert!(f["provenance"][0]["file"].is_null());
}

#[test]
fn a_value_left_at_its_default_points_at_the_default() {
    // `--var kv_public=false` closes public access; the ACL default action, read through a
    // local from a variable left at its default, is what the finding is about.
    let path = fixture("tfvars");
    let report = json_of(&moat(&[
        "scan",
        &path,
        "-f",
        "json",
        "--var",
        "kv_public=false",
    ]));
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(0));
    let f = finding(
        "tfvars",
        &[
            "--var",
            "kv_public=false",
            "--rules",
            "testdata/provenance/rules",
        ],
    );
    assert_eq!(f["rule_id"], "test-kv-acl-allow");
    assert_eq!(
        chain(&f),
        ["default var.kv_acl_default testdata/provenance/tfvars/variables.tf:8"]
    );
}

#[test]
fn a_module_argument_chains_to_the_tfvars_line_that_fed_it() {
    let f = finding("module", &[]);
    assert_eq!(
        f["location"]["file"],
        "testdata/provenance/module/modules/kv/main.tf"
    );
    assert_eq!(
        chain(&f),
        [
            "module-argument module.kv.var.public testdata/provenance/module/main.tf:10",
            "tfvars var.vault_public testdata/provenance/module/terraform.tfvars:1",
        ]
    );
}

#[test]
fn a_bicepparam_line_and_an_arm_parameter_file_are_where_parameters_were_set() {
    let f = finding("bicep", &[]);
    assert_eq!(
        chain(&f),
        ["bicepparam publicAccess testdata/provenance/bicep/main.bicepparam:4"]
    );
    let f = finding("arm", &[]);
    assert_eq!(
        chain(&f),
        ["parameter-file publicNetworkAccess testdata/provenance/arm/azuredeploy.parameters.json:5"]
    );
}

#[test]
fn each_value_comes_through_the_for_each_variable() {
    let f = finding("foreach", &[]);
    assert_eq!(
        chain(&f),
        ["default var.vaults testdata/provenance/foreach/main.tf:3"]
    );
}

#[test]
fn a_bicep_module_argument_chains_to_the_callers_default() {
    let f = finding("bicep-module", &[]);
    assert_eq!(
        f["location"]["file"],
        "testdata/provenance/bicep-module/kv.bicep"
    );
    assert_eq!(
        chain(&f),
        [
            "module-argument module.kv.publicAccess testdata/provenance/bicep-module/main.bicep:6",
            "default exposure testdata/provenance/bicep-module/main.bicep:1",
        ]
    );
}

#[test]
fn a_value_written_in_place_has_no_provenance() {
    let report = json_of(&moat(&[
        "scan",
        "testdata/rules/keyvault-public-access/fail_explicit_v3.tf",
        "-f",
        "json",
    ]));
    let findings = report["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f.get("provenance").is_none()));
}

/// Text, the JSON findings and the SARIF results of one case, for snapshots.
fn outputs(args: &[&str]) -> (String, Value, Value) {
    let with = |format: &str| {
        let mut all = args.to_vec();
        all.extend(["-f", format]);
        moat(&all)
    };
    let text = stdout(&with("text"));
    let json = json_of(&with("json"))["findings"].clone();
    let mut sarif = json_of(&with("sarif"))["runs"][0]["results"].clone();
    // The rule's index moves whenever a rule is added.
    for result in sarif.as_array_mut().into_iter().flatten() {
        result.as_object_mut().map(|r| r.remove("ruleIndex"));
    }
    (text, json, sarif)
}

fn snapshot_case(name: &str, args: &[&str]) {
    let (text, json, sarif) = outputs(args);
    insta::assert_snapshot!(format!("{name}_text"), text);
    insta::assert_json_snapshot!(format!("{name}_json"), json);
    insta::assert_json_snapshot!(format!("{name}_sarif"), sarif);
}

#[test]
fn snapshot_tfvars() {
    snapshot_case("tfvars", &["scan", "testdata/provenance/tfvars"]);
}

#[test]
fn snapshot_module_argument() {
    snapshot_case("module", &["scan", "testdata/provenance/module"]);
}

#[test]
fn snapshot_bicepparam() {
    snapshot_case("bicepparam", &["scan", "testdata/provenance/bicep"]);
}

#[test]
fn snapshot_arm_parameter_file() {
    snapshot_case("arm", &["scan", "testdata/provenance/arm"]);
}
