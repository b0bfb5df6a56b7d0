//! `moat merge`: per-subscription shards, scanned apart (as parallel CI jobs would) and
//! merged, equal the scan of all subscriptions together.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn moat(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("moat runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Reads the `data` rows of Resource Graph pages from testdata.
fn rows(files: &[&str]) -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(root.join(f)).expect("fixture");
            let page: Value = serde_json::from_str(&text).expect("fixture JSON");
            page["data"].as_array().cloned().unwrap_or_default()
        })
        .collect()
}

/// Splits one export, by subscription, into `exports/<subscription>/resources.json`;
/// returns the subscriptions.
fn split_by_subscription(dir: &Path, rows: Vec<Value>) -> Vec<String> {
    let mut shards: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for row in rows {
        let sub = row["subscriptionId"].as_str().unwrap_or("none").to_owned();
        shards.entry(sub).or_default().push(row);
    }
    for (sub, rows) in &shards {
        let folder = dir.join("exports").join(sub);
        std::fs::create_dir_all(&folder).expect("mkdir");
        let page = serde_json::json!({"count": rows.len(), "data": rows, "skip_token": null});
        std::fs::write(folder.join("resources.json"), page.to_string()).expect("write");
    }
    shards.into_keys().collect()
}

/// The findings keyed by fingerprint.
fn by_fingerprint(report: &Value) -> BTreeMap<String, Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["fingerprint"].as_str().unwrap_or_default().to_owned(),
                f.clone(),
            )
        })
        .collect()
}

#[test]
fn merged_shards_equal_the_scan_of_all_together() {
    let dir = tempfile::tempdir().expect("tempdir");
    let subs = split_by_subscription(
        dir.path(),
        rows(&[
            "snapshot/leaky-subscription/arg-resources.json",
            "compare/tuesday.json",
        ]),
    );
    assert_eq!(subs.len(), 2, "the fixture spans two subscriptions");
    let all = json(&moat(
        dir.path(),
        &["scan", "exports", "--root", "exports", "-f", "json"],
    ));
    let mut shard_files = Vec::new();
    for sub in &subs {
        let out = moat(
            dir.path(),
            &[
                "scan",
                &format!("exports/{sub}"),
                "--root",
                "exports",
                "-f",
                "json",
            ],
        );
        let file = format!("{sub}.json");
        std::fs::write(dir.path().join(&file), &out.stdout).expect("write");
        shard_files.push(file);
    }
    // A shard named twice (a retried job) must not double its findings.
    let mut args = vec!["merge", "-f", "json"];
    args.extend(shard_files.iter().map(String::as_str));
    args.push(&shard_files[0]);
    let merged = json(&moat(dir.path(), &args));

    assert!(!by_fingerprint(&all).is_empty());
    assert_eq!(by_fingerprint(&merged), by_fingerprint(&all));
    for key in ["findings", "by_severity"] {
        assert_eq!(merged["summary"][key], all["summary"][key], "{key}");
    }

    // Every format renders from the merged reports.
    for (format, needle) in [
        ("text", "moat: "),
        ("sarif", "\"results\""),
        ("html", "<!doctype html>"),
        ("markdown", "# moat report"),
        ("csv", "severity,rule_id"),
    ] {
        let mut args = vec!["merge", "-f", format];
        args.extend(shard_files.iter().map(String::as_str));
        let out = moat(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{format}");
        let text = String::from_utf8_lossy(&out.stdout);
        if format == "sarif" {
            let log: Value = serde_json::from_str(&text).expect("SARIF");
            let results = log["runs"][0]["results"].as_array().map_or(0, Vec::len);
            assert_eq!(results, by_fingerprint(&all).len());
        } else {
            assert!(text.contains(needle), "{format}: {text}");
        }
    }
}
