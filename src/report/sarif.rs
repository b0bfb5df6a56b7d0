//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and Azure DevOps, with the
//! rules' metadata and help, and partial fingerprints that survive line moves. URIs are
//! percent-encoded relative references; columns count Unicode code points, as the run
//! declares (`columnKind`).

use std::collections::BTreeMap;

use serde_sarif::sarif::{
    ArtifactLocation, Location as SarifLocation, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
};

use super::doc::{Change, Doc, DocFinding};
use super::escape;
use crate::engine::{Rule, Severity};
use crate::scan::Scan;

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium | Severity::Low => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

/// GitHub's `security-severity`: a CVSS-like score that sorts alerts.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let mut extra = BTreeMap::new();
    extra.insert(
        "security-severity".to_owned(),
        serde_json::json!(security_severity(rule.severity)),
    );
    extra.insert("severity".to_owned(), serde_json::json!(rule.severity));
    extra.insert(
        "references".to_owned(),
        serde_json::to_value(&rule.references).unwrap_or_default(),
    );
    let properties = PropertyBag::builder()
        .tags(vec!["security".to_owned(), "azure".to_owned()])
        .additional_properties(extra)
        .build();
    let help = format!(
        "{}\n\n## Remediation\n{}",
        rule.docs.trim_end(),
        rule.remediation.to_markdown()
    );
    let mut builder = ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(rule.id.clone())
        .short_description(
            MultiformatMessageString::builder()
                .text(rule.title.clone())
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(rule.title.clone())
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(help.clone())
                .markdown(help)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::to_value(level(rule.severity)).unwrap_or_default())
                .build(),
        )
        .properties(properties)
        .build();
    builder.help_uri = rule.references.links.first().cloned();
    builder
}

/// Renders a scan as a SARIF 2.1.0 log.
pub fn render(scan: &Scan, rules: &[Rule]) -> String {
    render_doc(&Doc::of_scan(scan, rules, false), rules)
}

fn result(f: &DocFinding, rules: &[Rule]) -> SarifResult {
    let at = &f.location;
    let region = Region::builder()
        .start_line(at.start_line as i64)
        .start_column(at.start_column as i64)
        .end_line(at.end_line as i64)
        .end_column(at.end_column as i64)
        .build();
    let physical = PhysicalLocation::builder()
        .artifact_location(
            ArtifactLocation::builder()
                .uri(escape::uri_path(&at.file))
                .build(),
        )
        .region(region)
        .build();
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("moat/v2".to_owned(), f.fingerprint.clone());
    let mut extra = BTreeMap::new();
    extra.insert(
        "resourceType".to_owned(),
        serde_json::json!(f.resource.kind),
    );
    extra.insert(
        "resourceName".to_owned(),
        serde_json::json!(f.resource.name),
    );
    extra.insert("address".to_owned(), serde_json::json!(f.resource.address));
    // The fix in the finding's source format, as the JSON report carries it.
    if let Some(fix) = f.extra.get("remediation") {
        extra.insert("remediation".to_owned(), fix.clone());
    }
    let mut result = SarifResult::builder()
        .rule_id(f.rule_id.clone())
        .level(level(f.severity))
        .message(Message::builder().text(f.message.clone()).build())
        .locations(vec![SarifLocation::builder()
            .physical_location(physical)
            .build()])
        .partial_fingerprints(fingerprints)
        .properties(PropertyBag::builder().additional_properties(extra).build())
        .build();
    result.rule_index = rules
        .iter()
        .position(|r| r.id == f.rule_id)
        .map(|i| i as i64);
    // SARIF's own vocabulary for a comparison with a previous run.
    result.baseline_state = f.change.and_then(|c| match c {
        Change::New => Some(serde_json::json!("new")),
        Change::Unchanged => Some(serde_json::json!("unchanged")),
        Change::Fixed => None,
    });
    result
}

/// The report's suppressed findings (inline or by the baseline: the JSON `suppressed`
/// list), each with its SARIF suppression (`inSource` or `external`, and the
/// justification); code scanning shows them as dismissed.
fn suppressed(doc: &Doc) -> Vec<(DocFinding, Suppression)> {
    let Some(list) = doc.extra.get("suppressed").and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|v| serde_json::from_value::<DocFinding>(v.clone()).ok())
        .map(|f| {
            let why = f.extra.get("suppressed");
            let text = |key: &str| {
                why.and_then(|w| w.get(key))
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let kind = if text("kind") == "inline" {
                "inSource"
            } else {
                "external"
            };
            let suppression = Suppression::builder()
                .kind(serde_json::json!(kind))
                .justification(text("justification"))
                .build();
            (f, suppression)
        })
        .collect()
}

/// Renders a JSON report as a SARIF 2.1.0 log. With `--compare`, each result carries its
/// `baselineState` (`new`, `unchanged`); fixed findings are not results, so code scanning
/// closes their alerts.
pub fn render_doc(doc: &Doc, rules: &[Rule]) -> String {
    let results: Vec<SarifResult> = doc
        .findings
        .iter()
        .map(|f| result(f, rules))
        .chain(suppressed(doc).iter().map(|(f, s)| {
            let mut result = result(f, rules);
            result.suppressions = Some(vec![s.clone()]);
            result
        }))
        .collect();
    let driver = ToolComponent::builder()
        .name("moat")
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/moat-scanner/moat")
        .rules(rules.iter().map(descriptor).collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    let log = Sarif::builder()
        .version(serde_json::json!("2.1.0"))
        .schema(serde_sarif::sarif::SCHEMA_URL)
        .runs(vec![run])
        .build();
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
