//! `moat drift`: the parity deployment (Terraform, ARM, Bicep) against its export, and
//! against a copy of the export where a storage account was opened and another created in
//! the portal after deployment.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn parity(part: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/parity/aml")
        .join(part)
}

fn drift(iac: &Path, export: &Path) -> (Option<i32>, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(["drift", "-f", "json"])
        .arg(iac)
        .arg(export)
        .output()
        .expect("moat runs");
    let report = serde_json::from_slice(&out.stdout).expect("JSON report");
    (out.status.code(), report)
}

fn list<'a>(report: &'a Value, key: &str) -> &'a [Value] {
    report[key].as_array().map_or(&[], Vec::as_slice)
}

#[test]
fn the_parity_deployment_matches_its_export() {
    for iac in ["terraform", "arm", "bicep"] {
        let (code, report) = drift(&parity(iac), &parity("snapshot"));
        assert_eq!(code, Some(0), "{iac}: {report:#}");
        assert!(list(&report, "drift").is_empty(), "{iac}: {report:#}");
        assert!(list(&report, "live_only").is_empty(), "{iac}: {report:#}");
        let findings = list(&report, "findings");
        assert!(!findings.is_empty(), "{iac}: the export has findings");
        assert!(
            findings.iter().all(|f| f["live_only"] == false),
            "{iac}: every live finding is in the code too: {report:#}"
        );
        // The export holds what is in the resource group, not the group itself.
        assert!(
            list(&report, "iac_only")
                .iter()
                .all(|u| u["type"] == "Microsoft.Resources/resourceGroups"),
            "{iac}: {report:#}"
        );
    }
}

#[test]
fn a_storage_account_opened_after_deployment_drifts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("snapshot");
    std::fs::create_dir_all(&export).expect("mkdir");
    for entry in std::fs::read_dir(parity("snapshot")).expect("fixture") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("file name");
        std::fs::copy(&path, export.join(name)).expect("copy");
    }
    let file = export.join("arg-resources.json");
    let mut page: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("JSON");
    let rows = page["data"].as_array_mut().expect("rows");
    let private = rows
        .iter_mut()
        .find(|r| r["name"] == "stamlparitypriv")
        .expect("the private account");
    private["properties"]["publicNetworkAccess"] = "Enabled".into();
    let mut portal = private.clone();
    let id = portal["id"]
        .as_str()
        .unwrap_or_default()
        .replace("stamlparitypriv", "stportal");
    portal["id"] = id.clone().into();
    portal["name"] = "stportal".into();
    rows.push(portal);
    std::fs::write(&file, page.to_string()).expect("write");

    for iac in ["terraform", "arm", "bicep"] {
        let (code, report) = drift(&parity(iac), &export);
        assert_eq!(code, Some(1), "{iac}");
        let drifts = list(&report, "drift");
        assert_eq!(drifts.len(), 1, "{iac}: {report:#}");
        let d = &drifts[0];
        assert!(d["resource"]
            .as_str()
            .is_some_and(|r| r.ends_with("/stamlparitypriv")));
        assert_eq!(d["property"], "/properties/publicNetworkAccess");
        assert_eq!(d["iac"], "Disabled");
        assert_eq!(d["live"], "Enabled");
        assert!(d["location"]["file"]
            .as_str()
            .is_some_and(|f| f.contains(iac)));
        let live_only: Vec<&Value> = list(&report, "live_only").iter().collect();
        assert_eq!(live_only.len(), 1, "{iac}: {report:#}");
        assert_eq!(live_only[0]["id"], Value::from(id.clone()));
        // The opened account and the portal one are findings the code does not have.
        let mut portal_made: Vec<&str> = list(&report, "findings")
            .iter()
            .filter(|f| f["live_only"] == true)
            .filter_map(|f| f["resource"].as_str())
            .map(|r| r.rsplit('/').next().unwrap_or_default())
            .collect();
        portal_made.sort_unstable();
        // The portal account may fail several rules (it also keeps shared key access).
        portal_made.dedup();
        assert_eq!(
            portal_made,
            ["stamlparitypriv", "stportal"],
            "{iac}: {report:#}"
        );
    }
}
