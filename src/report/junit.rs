//! `--format junit`: JUnit XML for CI test tabs (Azure DevOps `PublishTestResults`,
//! GitLab, Jenkins). One `testsuite` per rule; one `testcase` per (rule, resource): a
//! `failure` when the rule found something (message and every location), `skipped` when
//! every finding is suppressed, passing when the rule ran clean (one `testcase` named after
//! the rule). Input problems are `error` testcases of a `moat inputs` suite. Every value
//! goes through [`escape::xml`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::doc::{Doc, DocFinding};
use super::escape::xml;
use crate::engine::Rule;

/// One (rule, resource): its findings that count and its suppressed ones.
#[derive(Default)]
struct Case<'a> {
    failing: Vec<&'a DocFinding>,
    suppressed: Vec<(&'a DocFinding, String)>,
}

/// The report's suppressed findings with their justification.
fn suppressed(doc: &Doc) -> Vec<(DocFinding, String)> {
    let Some(list) = doc.extra.get("suppressed").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|v| serde_json::from_value::<DocFinding>(v.clone()).ok())
        .map(|f| {
            let why = f
                .extra
                .get("suppressed")
                .and_then(|s| s.get("justification"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            (f, why)
        })
        .collect()
}

fn at(f: &DocFinding) -> String {
    let l = &f.location;
    format!("{}:{}:{}", l.file, l.start_line, l.start_column)
}

/// Renders a JSON report as JUnit XML, a suite for each of `rules`.
pub fn render(doc: &Doc, rules: &[Rule]) -> String {
    let hidden = suppressed(doc);
    // rule → resource address → case, in the rules' order and then by address.
    let mut by_rule: BTreeMap<&str, BTreeMap<&str, Case>> = BTreeMap::new();
    for f in &doc.findings {
        let case = by_rule.entry(&f.rule_id).or_default();
        case.entry(&f.resource.address).or_default().failing.push(f);
    }
    for (f, why) in &hidden {
        let case = by_rule.entry(&f.rule_id).or_default();
        case.entry(&f.resource.address)
            .or_default()
            .suppressed
            .push((f, why.clone()));
    }
    let mut suites = String::new();
    let (mut tests, mut failures) = (0, 0);
    for rule in rules {
        let cases = by_rule.remove(rule.id.as_str()).unwrap_or_default();
        let (t, f) = suite(&mut suites, &rule.id, &rule.title, &cases);
        tests += t;
        failures += f;
    }
    // Findings of rules not passed in (a report written with other rules): still failures.
    for (id, cases) in &by_rule {
        let (t, f) = suite(&mut suites, id, id, cases);
        tests += t;
        failures += f;
    }
    let (inputs_tested, errors) = inputs(&mut suites, doc);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"moat\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">",
        tests + inputs_tested
    );
    out.push_str(&suites);
    out.push_str("</testsuites>\n");
    out
}

/// Writes one rule's suite; returns its (tests, failures).
fn suite(out: &mut String, id: &str, title: &str, cases: &BTreeMap<&str, Case>) -> (usize, usize) {
    let failures = cases.values().filter(|c| !c.failing.is_empty()).count();
    let skipped = cases.values().filter(|c| c.failing.is_empty()).count();
    let tests = cases.len().max(1);
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
        xml(id)
    );
    if cases.is_empty() {
        let _ = writeln!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\"/>",
            xml(title),
            xml(id)
        );
    }
    for (address, case) in cases {
        let first = case
            .failing
            .first()
            .copied()
            .or_else(|| case.suppressed.first().map(|(f, _)| *f));
        let file = first.map(|f| f.location.file.as_str()).unwrap_or_default();
        let line = first.map_or(0, |f| f.location.start_line);
        let _ = writeln!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{line}\">",
            xml(address),
            xml(id),
            xml(file)
        );
        if let Some(f) = case.failing.first() {
            let body: Vec<String> = case
                .failing
                .iter()
                .map(|f| format!("{}: {}", at(f), f.message))
                .collect();
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                xml(&f.message),
                f.severity,
                xml(&body.join("\n"))
            );
        } else if let Some((f, why)) = case.suppressed.first() {
            let _ = writeln!(
                out,
                "      <skipped message=\"{}\"/>",
                xml(&format!("suppressed at {}: {why}", at(f)))
            );
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n");
    (tests, failures)
}

/// Writes the input problems as a suite of errors (warnings pass, with their message as
/// output); returns its (tests, errors).
fn inputs(out: &mut String, doc: &Doc) -> (usize, usize) {
    if doc.errors.is_empty() {
        return (0, 0);
    }
    fn field<'a>(e: &'a Value, key: &str) -> &'a str {
        e.get(key).and_then(Value::as_str).unwrap_or_default()
    }
    let errors = doc
        .errors
        .iter()
        .filter(|e| field(e, "level") == "error")
        .count();
    let _ = writeln!(
        out,
        "  <testsuite name=\"moat inputs\" tests=\"{}\" failures=\"0\" errors=\"{errors}\">",
        doc.errors.len()
    );
    for e in &doc.errors {
        let file = field(e, "file");
        let line = e.get("line").and_then(Value::as_u64).unwrap_or(0);
        let message = field(e, "message");
        let _ = writeln!(
            out,
            "    <testcase name=\"{}\" classname=\"moat inputs\" file=\"{}\" line=\"{line}\">",
            xml(file),
            xml(file)
        );
        if field(e, "level") == "error" {
            let _ = writeln!(
                out,
                "      <error message=\"{}\" type=\"input\">{}</error>",
                xml(message),
                xml(&format!("{file}:{line}: {message}"))
            );
        } else {
            let _ = writeln!(out, "      <system-out>{}</system-out>", xml(message));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n");
    (doc.errors.len(), errors)
}
