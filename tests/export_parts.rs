//! Nothing is lost on the way: a generated export scanned as one file gives the same
//! findings as the same rows split over ten pages, pretty-printed and minified, and finds
//! exactly the violations the generator wrote.

#[path = "../benches/corpus/export.rs"]
mod export;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use export::{Layout, Shape};

/// Rows in each generated export: small, so the test is fast.
const RESOURCES: usize = 600;

/// The rules the generator plants violations for (a public storage account, SSH open to
/// the internet, an unlinked zone); hardening rules (shared key, TLS, …) judge settings the
/// generator leaves at their defaults and are not counted.
const PLANTED: &[&str] = &[
    "storage-public-access",
    "nsg-open-inbound",
    "private-endpoint-missing-dns",
];

/// `(rule, resource id, message)` of every finding of [`PLANTED`] rules of
/// `moat scan DIR --format json`.
fn findings(dir: &Path) -> BTreeSet<(String, String, String)> {
    let output = Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(["scan", "--format", "json"])
        .arg(dir)
        .output()
        .expect("moat runs");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the report is JSON");
    assert_eq!(report["errors"], serde_json::json!([]), "no input errors");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| PLANTED.contains(&f["rule_id"].as_str().unwrap_or_default()))
        .map(|f| {
            let field = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
            (
                field(&f["rule_id"]),
                field(&f["resource"]["id"]),
                field(&f["message"]),
            )
        })
        .collect()
}

fn same_findings_whole_and_in_ten_pages(layout: Layout, minified: bool) {
    let root = tempfile::tempdir().expect("temporary directory");
    let shape = |pages| Shape {
        layout,
        minified,
        pages,
    };
    let whole = export::write(&root.path().join("whole"), RESOURCES, shape(1)).expect("write");
    let paged = export::write(&root.path().join("paged"), RESOURCES, shape(10)).expect("write");
    assert_eq!(whole.files.len(), 1);
    assert_eq!(paged.files.len(), 10, "ten pages");
    assert_eq!(whole.resources, paged.resources);
    let one = findings(&root.path().join("whole"));
    let ten = findings(&root.path().join("paged"));
    assert!(whole.violations > 0, "the export has violations to find");
    assert_eq!(
        one.iter().map(|f| &f.1).collect::<BTreeSet<_>>().len(),
        whole.violations,
        "exactly the resources written with a violation are found"
    );
    assert_eq!(one, ten);
}

#[test]
fn hub_and_spoke_export_gives_the_same_findings_whole_and_in_pages() {
    same_findings_whole_and_in_ten_pages(Layout::HubSpoke, false);
}

#[test]
fn minified_flat_export_gives_the_same_findings_whole_and_in_pages() {
    same_findings_whole_and_in_ten_pages(Layout::Flat, true);
}
