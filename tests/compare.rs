//! `moat scan --compare` and `moat diff` on two exports of one subscription a day apart
//! (testdata/compare): each copied to the same path, as a periodic job would scan it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/compare")
        .join(name)
}

fn moat(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("moat runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Scans `day`'s export at `dir/export/resources.json` with extra arguments.
fn scan_day(dir: &Path, day: &str, args: &[&str]) -> Output {
    let export = dir.join("export");
    std::fs::create_dir_all(&export).expect("mkdir");
    std::fs::copy(fixture(day), export.join("resources.json")).expect("copy");
    let mut all = vec!["scan", "export", "--root", "."];
    all.extend_from_slice(args);
    moat(dir, &all)
}

/// Monday's JSON report saved as `monday-report.json`, Tuesday's export in place.
fn two_days() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let monday = scan_day(dir.path(), "monday.json", &["-f", "json"]);
    std::fs::write(dir.path().join("monday-report.json"), &monday.stdout).expect("write");
    let tuesday = scan_day(dir.path(), "tuesday.json", &["-f", "json"]);
    std::fs::write(dir.path().join("tuesday-report.json"), &tuesday.stdout).expect("write");
    dir
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON output")
}

/// name → change, for findings (and fixed ones) of a compared report.
fn changes(report: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for list in ["findings", "fixed"] {
        for f in report[list].as_array().expect("list") {
            out.insert(
                f["resource"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                f["change"].as_str().unwrap_or_default().to_owned(),
            );
        }
    }
    out
}

#[test]
fn compare_marks_new_fixed_and_unchanged_in_json() {
    let dir = two_days();
    let out = scan_day(
        dir.path(),
        "tuesday.json",
        &["-f", "json", "--compare", "monday-report.json"],
    );
    let report = json(&stdout(&out));
    let expected: BTreeMap<String, String> = [
        ("kv-team", "fixed"),
        ("stinbox", "new"),
        ("stlogs", "unchanged"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    assert_eq!(changes(&report), expected);
    assert_eq!(
        report["summary"]["compare"],
        serde_json::json!({"new": 1, "fixed": 1, "unchanged": 1})
    );
    // The unchanged finding moved down the file: the line differs, the fingerprint not.
    let monday =
        json(&std::fs::read_to_string(dir.path().join("monday-report.json")).expect("read"));
    let line = |r: &Value| {
        r["findings"]
            .as_array()
            .and_then(|fs| fs.iter().find(|f| f["resource"]["name"] == "stlogs"))
            .map(|f| f["location"]["start_line"].clone())
    };
    assert_ne!(line(&monday), line(&report));
}

#[test]
fn diff_json_lists_the_three_classes() {
    let dir = two_days();
    let out = moat(
        dir.path(),
        &[
            "diff",
            "monday-report.json",
            "tuesday-report.json",
            "-f",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "new findings exit 1");
    let diff = json(&stdout(&out));
    let names = |key: &str| -> Vec<String> {
        diff[key]
            .as_array()
            .expect("list")
            .iter()
            .map(|f| {
                f["resource"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(names("new"), ["stinbox"]);
    assert_eq!(names("fixed"), ["kv-team"]);
    assert_eq!(names("unchanged"), ["stlogs"]);
    // Full finding objects, as `scan -f json` wrote them.
    assert!(diff["new"][0]["fingerprint"].is_string());
    assert!(diff["new"][0]["location"]["file"].is_string());

    let same = moat(
        dir.path(),
        &["diff", "tuesday-report.json", "tuesday-report.json"],
    );
    assert_eq!(same.status.code(), Some(0));
    assert!(stdout(&same).contains("0 new, 0 fixed, 2 unchanged"));
}

#[test]
fn compare_reaches_text_sarif_and_the_formats_for_people() {
    let dir = two_days();
    let cmp = ["--compare", "monday-report.json"];
    let text = stdout(&scan_day(dir.path(), "tuesday.json", &cmp));
    assert!(text.contains("1 new, 1 fixed, 1 unchanged"), "{text}");
    assert_eq!(text.matches(", new)").count(), 1, "{text}");

    let sarif = json(&stdout(&scan_day(
        dir.path(),
        "tuesday.json",
        &["-f", "sarif", "--compare", "monday-report.json"],
    )));
    let states: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["baselineState"].as_str())
        .collect();
    assert_eq!(states.iter().filter(|s| **s == "new").count(), 1);
    assert_eq!(states.iter().filter(|s| **s == "unchanged").count(), 1);

    let html = stdout(&scan_day(
        dir.path(),
        "tuesday.json",
        &["-f", "html", "--compare", "monday-report.json"],
    ));
    let changes_at = html.find("id=\"changes\"").expect("a what-changed section");
    assert!(changes_at < html.find("id=\"summary\"").expect("summary"));
    assert!(html.contains("<b id=\"count-new\">1</b>"));

    let github = stdout(&scan_day(
        dir.path(),
        "tuesday.json",
        &["-f", "github", "--compare", "monday-report.json"],
    ));
    assert!(github.ends_with(
        "::notice title=moat::compared with the previous report: 1 new, 1 fixed, 1 unchanged\n"
    ));

    let csv = stdout(&scan_day(
        dir.path(),
        "tuesday.json",
        &["-f", "csv", "--compare", "monday-report.json"],
    ));
    assert_eq!(csv.lines().filter(|l| l.starts_with("fixed,")).count(), 1);
    let md = stdout(&scan_day(
        dir.path(),
        "tuesday.json",
        &["-f", "markdown", "--compare", "monday-report.json"],
    ));
    assert!(
        md.contains("## New (1)") && md.contains("## Fixed (1)"),
        "{md}"
    );
}

#[test]
fn a_report_that_is_not_json_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("bad.json"), "not json").expect("write");
    let out = moat(dir.path(), &["diff", "bad.json", "bad.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a moat JSON report"));
}
