//! Every rule against its fixtures: `testdata/rules/<rule-id>/fail*` must produce findings
//! of that rule (their text report is snapshot-tested in `testdata/rules/<rule-id>/snapshots/`),
//! `pass*` must produce none.
//! A fixture is a file or a folder (a multi-file deployment); adding one adds a test.

use std::path::{Path, PathBuf};

use moat::engine::{builtin_rules, Rule};
use moat::scan::{scan, LoadOptions, Scan};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules")
}

/// Scans one fixture with paths relative to the crate, so snapshots are machine-independent.
fn scan_fixture(path: &Path, rules: &[Rule]) -> Scan {
    let relative = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path);
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("cd to the crate");
    scan(
        &LoadOptions {
            paths: vec![relative.to_path_buf()],
            isolate_files: true,
            ..LoadOptions::default()
        },
        rules,
    )
}

fn only_rule(mut scan: Scan, rule_id: &str) -> Scan {
    scan.verdicts.findings.retain(|f| f.rule_id == rule_id);
    scan
}

#[test]
fn every_rule_has_fixtures_that_fail_and_pass() {
    let rules = builtin_rules().expect("built-in rules");
    for rule in &rules {
        let dir = fixture_root().join(&rule.id);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} has no fixture folder {}", rule.id, dir.display()))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("fail")),
            "{}: no fail fixture",
            rule.id
        );
        assert!(
            names.iter().any(|n| n.starts_with("pass")),
            "{}: no pass fixture",
            rule.id
        );
    }
}

#[test]
fn fixtures() {
    let rules = builtin_rules().expect("built-in rules");
    insta::glob!("../testdata/rules", "*/*", |path| {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name == "snapshots" || name.ends_with(".snap") || name.ends_with(".new") {
            return;
        }
        let rule_id = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        assert!(
            rules.iter().any(|r| r.id == rule_id),
            "fixture folder for unknown rule {rule_id}"
        );
        let result = only_rule(scan_fixture(path, &rules), &rule_id);
        assert!(
            result.loaded.diagnostics.is_empty(),
            "{}: input problems {:?}",
            path.display(),
            result.loaded.diagnostics
        );
        if name.starts_with("pass") {
            assert!(
                result.verdicts.findings.is_empty(),
                "{}: expected no {rule_id} findings, got {:?}",
                path.display(),
                result
                    .verdicts
                    .findings
                    .iter()
                    .map(|f| &f.message)
                    .collect::<Vec<_>>()
            );
        } else {
            assert!(
                name.starts_with("fail"),
                "fixture names start with pass or fail: {}",
                path.display()
            );
            assert!(
                !result.verdicts.findings.is_empty(),
                "{}: expected {rule_id} findings",
                path.display()
            );
            let report = moat::report::text::render(&result, &rules, 100, false);
            insta::with_settings!({
                snapshot_path => fixture_root().join(&rule_id).join("snapshots"),
                prepend_module_to_snapshot => false,
            }, {
                insta::assert_snapshot!(report);
            });
        }
    });
}
