//! `--format json`: `{"findings": [...], "errors": [...], "summary": {...}}`, the machine
//! contract users' scripts rely on. Fields are only ever added.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{display_path, fingerprint, Location};
use crate::diagnostic::{Diagnostic, Level};
use crate::engine::{Finding, Rule, Severity, Undecided};
use crate::eval::symbolic;
use crate::model::{Graph, Provenance, ProvenanceKind, ResourceIndex, Sources};
use crate::scan::Scan;

/// A resource as findings name it.
#[derive(Serialize)]
pub struct ResourceRef {
    /// Canonical ARM type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Full name.
    pub name: String,
    /// The source's address (`azurerm_storage_account.sa`, an ARM id, …).
    pub address: String,
    /// The ARM id.
    pub id: String,
    /// The producers of the parts of the name or id not known statically (`["prefix"]`),
    /// shown in `name` and `id` as `{prefix}`; omitted when everything is known.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_parts: Vec<String>,
}

impl ResourceRef {
    /// The resource at an index.
    pub fn of(graph: &Graph, index: ResourceIndex) -> ResourceRef {
        let r = graph.get(index);
        ResourceRef {
            kind: r.kind.to_string(),
            name: symbolic::display(&r.name),
            address: r.origin.address.to_string(),
            id: symbolic::display(&r.id),
            unknown_parts: symbolic::unknown_parts(&format!("{} {}", r.id, r.name)),
        }
    }
}

#[derive(Serialize)]
struct JsonFinding {
    rule_id: String,
    severity: Severity,
    message: String,
    resource: ResourceRef,
    location: Location,
    fingerprint: String,
    /// The deployment unit's path relative to the scan root.
    unit: String,
    /// How to fix it, in the finding's source format (Terraform, Bicep, ARM, or an `az`
    /// command for a live resource).
    remediation: String,
    /// Why the finding does not count (only in the `suppressed` list).
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<JsonSuppression>,
    /// Where the value at fault was set when it came through variables or parameters,
    /// nearest first; omitted when it was written where the finding points.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    provenance: Vec<JsonProvenance>,
}

/// One place a finding's value came through (see [`crate::model::Provenance`]).
#[derive(Serialize)]
pub struct JsonProvenance {
    /// The file; `None` for `--var` on the command line.
    pub file: Option<String>,
    /// First line.
    pub line: Option<usize>,
    /// First column.
    pub column: Option<usize>,
    /// Last line.
    pub end_line: Option<usize>,
    /// Column after the last character.
    pub end_column: Option<usize>,
    /// `tfvars`, `var`, `module-argument`, `default`, `bicepparam`, `parameter-file` or
    /// `parameter-default`.
    pub kind: ProvenanceKind,
    /// The variable or parameter (`var.kv_public`, `module.kv.var.public`, `sku`).
    pub name: String,
    /// What happened, in words.
    pub message: String,
}

impl JsonProvenance {
    /// Where the value of a finding was set, nearest first.
    pub fn of_finding(graph: &Graph, sources: &Sources, f: &Finding) -> Vec<JsonProvenance> {
        let chain = graph.get(f.evidence_resource).provenance_of(&f.pointer);
        chain
            .iter()
            .map(|p| JsonProvenance::of(sources, p))
            .collect()
    }

    /// One origin with its lines and columns.
    pub fn of(sources: &Sources, p: &Provenance) -> JsonProvenance {
        let at = p.span.map(|span| Location::of(sources, span));
        JsonProvenance {
            file: at.as_ref().map(|a| a.file.clone()),
            line: at.as_ref().map(|a| a.start_line),
            column: at.as_ref().map(|a| a.start_column),
            end_line: at.as_ref().map(|a| a.end_line),
            end_column: at.as_ref().map(|a| a.end_column),
            kind: p.kind,
            name: p.name.clone(),
            message: p.message(),
        }
    }

    /// As the text report shows it: `value set at prod.tfvars:3:1 (var.kv_public, tfvars)`.
    pub fn label(&self) -> String {
        let at = match (&self.file, self.line, self.column) {
            (Some(file), Some(line), Some(column)) => format!("at {file}:{line}:{column}"),
            _ => "on the command line".to_owned(),
        };
        format!("value set {at} ({}, {})", self.name, self.kind.as_str())
    }
}

/// How a finding was suppressed.
#[derive(Serialize)]
struct JsonSuppression {
    kind: crate::suppress::Kind,
    justification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
}

/// An input problem in JSON.
#[derive(Serialize)]
pub struct JsonError {
    level: Level,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
}

impl JsonError {
    /// A diagnostic with its line and column.
    pub fn of(sources: &Sources, d: &Diagnostic) -> JsonError {
        let at = d.span.map(|s| sources.get(s.file).line_col(s.start));
        JsonError {
            level: d.level,
            file: display_path(&d.path),
            line: at.map(|l| l.line),
            column: at.map(|l| l.column),
            message: d.message.clone(),
        }
    }
}

#[derive(Serialize)]
struct JsonUndecided {
    rule_id: String,
    resource: ResourceRef,
    reason: String,
    location: Location,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    resources: usize,
    rules: usize,
    findings: usize,
    by_severity: BTreeMap<Severity, usize>,
    errors: usize,
    undecided: usize,
    /// Terraform resource types moat does not map → resources not checked.
    unmapped: BTreeMap<String, usize>,
    /// Findings suppressed inline or by the baseline.
    suppressed: usize,
    /// With `--baseline`: findings it matched, and its entries now fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<crate::baseline::Counts>,
}

#[derive(Serialize)]
#[serde(bound = "Each<F>: Serialize, Each<S>: Serialize")]
struct Report<F, S> {
    findings: Each<F>,
    errors: Vec<JsonError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    undecided: Option<Vec<JsonUndecided>>,
    /// Findings that do not count, each with its `suppressed` reason.
    suppressed: Each<S>,
    summary: Summary,
}

/// A list serialized item by item as it is written: a tenant's findings are never all
/// held as JSON values, nor as one string.
struct Each<I>(std::cell::RefCell<Option<I>>);

impl<I> Each<I> {
    fn new(items: I) -> Each<I> {
        Each(std::cell::RefCell::new(Some(items)))
    }
}

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Each<I> {
    fn serialize<Ser: serde::Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        let items = self.0.borrow_mut().take();
        serializer.collect_seq(items.into_iter().flatten())
    }
}

/// Renders a scan as JSON; `undecided` lists rules left open by unknown values.
pub fn render(scan: &Scan, rules: &[Rule], show_undecided: bool) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only if serializing does, and nothing here can fail to.
    let _ = write(scan, rules, show_undecided, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the JSON report of a scan to `out` as it is serialized (see [`render`]).
pub fn write(
    scan: &Scan,
    rules: &[Rule],
    show_undecided: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let sources = &scan.loaded.sources;
    let graph = &scan.loaded.graph;
    let remediation = |f: &Finding| {
        let resource = graph.get(f.resource);
        rules
            .iter()
            .find(|r| r.id == f.rule_id)
            .map(|r| super::az::remediation(r, resource.origin.format, &resource.id))
            .unwrap_or_default()
    };
    let finding = |f: &Finding| JsonFinding {
        rule_id: f.rule_id.clone(),
        severity: f.severity,
        message: f.message.clone(),
        resource: ResourceRef::of(graph, f.resource),
        location: Location::of(sources, f.span),
        fingerprint: fingerprint(f, &scan.loaded),
        unit: scan.loaded.unit_path(graph.get(f.resource).unit),
        suppressed: None,
        remediation: remediation(f),
        provenance: JsonProvenance::of_finding(graph, sources, f),
    };
    let undecided = |u: &Undecided| JsonUndecided {
        rule_id: u.rule_id.clone(),
        resource: ResourceRef::of(graph, u.resource),
        reason: u.reason.clone(),
        location: Location::of(sources, u.span),
    };
    let mut by_severity = BTreeMap::new();
    for f in &scan.verdicts.findings {
        *by_severity.entry(f.severity).or_insert(0) += 1;
    }
    let report = Report {
        findings: Each::new(scan.verdicts.findings.iter().map(finding)),
        errors: scan
            .loaded
            .diagnostics
            .iter()
            .map(|d| JsonError::of(sources, d))
            .collect(),
        suppressed: Each::new(scan.suppressed.iter().map(|s| JsonFinding {
            suppressed: Some(JsonSuppression {
                kind: s.kind,
                justification: s.justification.clone(),
                location: s.span.map(|span| Location::of(sources, span)),
            }),
            ..finding(&s.finding)
        })),
        undecided: show_undecided.then(|| scan.verdicts.undecided.iter().map(undecided).collect()),
        summary: Summary {
            files: scan.loaded.file_count(),
            resources: graph.resources().len(),
            rules: rules.len(),
            findings: scan.verdicts.findings.len(),
            by_severity,
            errors: scan
                .loaded
                .diagnostics
                .iter()
                .filter(|d| d.level == Level::Error)
                .count(),
            undecided: scan.verdicts.undecided.len(),
            unmapped: scan.loaded.unmapped.clone(),
            suppressed: scan.suppressed.len(),
            baseline: scan.baseline,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}
