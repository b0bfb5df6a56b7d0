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
    scan.verdicts.undecided.retain(|u| u.rule_id == rule_id);
    scan
}

/// The source format a fixture is written in, from its name: `*-snapshot*` (live export),
/// `*-bicep*` / `*.bicep`, `*-arm*` (ARM JSON), `*.tf` / `*.tf.json` or a folder of them
/// (Terraform).
fn fixture_format(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    if name.contains("-snapshot") {
        Some("snapshot")
    } else if name.contains("-bicep") || name.ends_with(".bicep") {
        Some("bicep")
    } else if name.contains("-arm") {
        Some("arm")
    } else if name.ends_with(".tf") || name.ends_with(".tf.json") {
        Some("terraform")
    } else if path.is_dir() {
        let has_tf = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".tf"));
        has_tf.then_some("terraform")
    } else {
        None
    }
}

const FORMATS: [&str; 4] = ["terraform", "arm", "bicep", "snapshot"];

/// Every rule is complete: docs headings, references (a control or policy, a link), a
/// remediation per format, and fixtures that fail and pass in every format.
#[test]
fn every_rule_is_complete() {
    let rules = builtin_rules().expect("built-in rules");
    let mut problems = Vec::new();
    for rule in &rules {
        let mut at = 0;
        for heading in moat::engine::DOC_HEADINGS {
            match rule.docs[at..].find(heading) {
                Some(i) => at += i,
                None => problems.push(format!("{}: docs lack '{heading}' (in order)", rule.id)),
            }
        }
        let refs = &rule.references;
        if refs.azure_policy.is_empty() && refs.mcsb.is_empty() && refs.cis.is_empty() {
            problems.push(format!(
                "{}: no Azure Policy, MCSB or CIS reference",
                rule.id
            ));
        }
        if refs.links.is_empty() {
            problems.push(format!("{}: no reference link", rule.id));
        }
        for (label, text) in rule.remediation.labelled() {
            if text.trim().is_empty() {
                problems.push(format!("{}: no {label} remediation", rule.id));
            }
        }
        if !rule.remediation.live.contains("az ") {
            problems.push(format!(
                "{}: the live remediation is not an az command",
                rule.id
            ));
        }
        let dir = fixture_root().join(&rule.id);
        let paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        for verdict in ["fail", "pass"] {
            for format in FORMATS {
                let found = paths.iter().any(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(verdict))
                        && fixture_format(p) == Some(format)
                });
                if !found {
                    problems.push(format!("{}: no {verdict} fixture in {format}", rule.id));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
