//! The JSON report read back: the model `moat diff`, `moat merge`, `--compare` and the
//! report formats for people (HTML, markdown, CSV, the summary) work from, whether the
//! findings come from this scan or from `scan -f json` files written earlier. Fields this
//! model does not name are kept (`extra`) and written back, so a merged or compared report
//! loses nothing that a newer moat added.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Location;
use crate::engine::{Rule, Severity};
use crate::model::SourceFormat;

/// Why a JSON report could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a moat JSON report.
    #[error("{path} is not a moat JSON report (`moat scan -f json`): {source}")]
    Parse {
        /// The file.
        path: String,
        /// Why.
        source: serde_json::Error,
    },
}

/// A finding's resource, as the JSON report names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocResource {
    /// Canonical ARM type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Full name.
    pub name: String,
    /// The source's address (`azurerm_storage_account.sa`, an ARM id, …).
    pub address: String,
    /// The ARM id.
    pub id: String,
    /// Fields this model does not name (`unknown_parts`, …), kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl DocResource {
    /// Whether the resource was read from a live export: its address is its ARM id.
    pub fn is_live(&self) -> bool {
        self.address.starts_with("/subscriptions/") || self.address.starts_with("/providers/")
    }

    /// The subscription of a live resource; `(IaC)` for a resource read from code, whose
    /// subscription is not known before it is deployed.
    pub fn subscription(&self) -> String {
        self.id_segment("subscriptions")
    }

    /// The resource group of a live resource; `(IaC)` for a resource read from code.
    pub fn resource_group(&self) -> String {
        self.id_segment("resourcegroups")
    }

    fn id_segment(&self, key: &str) -> String {
        if !self.is_live() {
            return IAC.to_owned();
        }
        let mut parts = self.id.split('/');
        while let Some(part) = parts.next() {
            if part.eq_ignore_ascii_case(key) {
                if let Some(value) = parts.next().filter(|v| !v.is_empty()) {
                    return value.to_owned();
                }
            }
        }
        "(none)".to_owned()
    }
}

/// The group name of resources read from code.
pub const IAC: &str = "(IaC)";

/// How a finding compares with a previous report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Not in the previous report.
    New,
    /// In both.
    Unchanged,
    /// In the previous report only.
    Fixed,
}

/// One finding of a JSON report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocFinding {
    /// The rule.
    pub rule_id: String,
    /// Its severity.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The resource at fault.
    pub resource: DocResource,
    /// Where.
    pub location: Location,
    /// Identity across runs ([`super::fingerprint`]).
    pub fingerprint: String,
    /// The deployment unit.
    #[serde(default)]
    pub unit: String,
    /// With `--compare`: new or unchanged (fixed ones are listed apart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// Fields this model does not name, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A JSON report: `{"findings", "errors", "undecided"?, "fixed"?, "summary"}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Doc {
    /// The findings.
    pub findings: Vec<DocFinding>,
    /// Input problems, as written.
    #[serde(default)]
    pub errors: Vec<Value>,
    /// Rules left open by unknown values (`--unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undecided: Option<Vec<Value>>,
    /// With `--compare`: the previous report's findings that are gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<Vec<DocFinding>>,
    /// Counts.
    #[serde(default)]
    pub summary: Map<String, Value>,
    /// Fields this model does not name, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The severities from most to least serious, the order reports list them in.
pub const SEVERITIES: [Severity; 5] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
];

impl DocFinding {
    /// The fix in the finding's source format: the report's `remediation`, or, for a report
    /// written before that field existed, the rule's (live for a live resource, Terraform
    /// otherwise).
    pub fn remediation<'a>(&'a self, rule: Option<&'a Rule>) -> &'a str {
        if let Some(fix) = self.extra.get("remediation").and_then(Value::as_str) {
            return fix.trim();
        }
        let format = if self.resource.is_live() {
            SourceFormat::Snapshot
        } else {
            SourceFormat::Terraform
        };
        rule.map_or("", |r| r.remediation.for_format(format).trim())
    }
}

impl Doc {
    /// A report from JSON text; `name` names it in errors.
    pub fn parse(text: &str, name: &str) -> Result<Doc, DocError> {
        serde_json::from_str(text).map_err(|source| DocError::Parse {
            path: name.to_owned(),
            source,
        })
    }

    /// The JSON report of a scan, read back (one source of truth: [`super::json`]).
    pub fn of_scan(scan: &crate::scan::Scan, rules: &[Rule], show_undecided: bool) -> Doc {
        let json = super::json::render(scan, rules, show_undecided);
        Doc::parse(&json, "scan").unwrap_or_default()
    }

    /// A report from a file.
    pub fn read(path: &Path) -> Result<Doc, DocError> {
        let name = super::display_path(path);
        let text = std::fs::read_to_string(path).map_err(|source| DocError::Read {
            path: name.clone(),
            source,
        })?;
        Doc::parse(&text, &name)
    }

    /// The report as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).unwrap_or_default();
        out.push('\n');
        out
    }

    /// How many findings of each severity, most serious first, zeros included.
    pub fn by_severity(&self) -> Vec<(Severity, usize)> {
        SEVERITIES
            .iter()
            .map(|s| {
                (
                    *s,
                    self.findings.iter().filter(|f| f.severity == *s).count(),
                )
            })
            .collect()
    }

    /// Marks every finding new or unchanged against `previous` (by fingerprint), lists the
    /// previous findings that are gone in `fixed`, and counts the three in
    /// `summary.compare`.
    pub fn compare(&mut self, previous: &Doc) {
        let before: HashSet<&str> = previous
            .findings
            .iter()
            .map(|f| f.fingerprint.as_str())
            .collect();
        let now: HashSet<String> = self
            .findings
            .iter()
            .map(|f| f.fingerprint.clone())
            .collect();
        for f in &mut self.findings {
            f.change = Some(if before.contains(f.fingerprint.as_str()) {
                Change::Unchanged
            } else {
                Change::New
            });
        }
        let mut seen = HashSet::new();
        let fixed: Vec<DocFinding> = previous
            .findings
            .iter()
            .filter(|f| !now.contains(&f.fingerprint) && seen.insert(f.fingerprint.clone()))
            .map(|f| DocFinding {
                change: Some(Change::Fixed),
                ..f.clone()
            })
            .collect();
        let count = |c: Change| self.findings.iter().filter(|f| f.change == Some(c)).count();
        let counts = serde_json::json!({
            "new": count(Change::New),
            "fixed": fixed.len(),
            "unchanged": count(Change::Unchanged),
        });
        self.summary.insert("compare".to_owned(), counts);
        self.fixed = Some(fixed);
    }

    /// How many findings fall in each group named by `key`, the largest groups first.
    pub fn group_by(&self, key: impl Fn(&DocFinding) -> String) -> Vec<(String, usize)> {
        let mut groups: BTreeMap<String, usize> = BTreeMap::new();
        for f in &self.findings {
            *groups.entry(key(f)).or_default() += 1;
        }
        let mut out: Vec<(String, usize)> = groups.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// Whether the report was compared with a previous one.
    pub fn compared(&self) -> bool {
        self.fixed.is_some()
    }

    /// The findings with a given change.
    pub fn with_change(&self, change: Change) -> Vec<&DocFinding> {
        match change {
            Change::Fixed => self.fixed.iter().flatten().collect(),
            _ => self
                .findings
                .iter()
                .filter(|f| f.change == Some(change))
                .collect(),
        }
    }

    /// Reports combined into one: findings deduplicated by fingerprint (the first kept),
    /// errors and undecided rules concatenated, summary counts added up (`rules`, the
    /// rule count, is the largest) and the finding counts recomputed.
    pub fn merge(docs: Vec<Doc>) -> Doc {
        let mut out = Doc::default();
        let mut seen = HashSet::new();
        for doc in docs {
            out.findings.extend(
                doc.findings
                    .into_iter()
                    .filter(|f| seen.insert(f.fingerprint.clone())),
            );
            out.errors.extend(doc.errors);
            if let Some(undecided) = doc.undecided {
                out.undecided.get_or_insert_with(Vec::new).extend(undecided);
            }
            add_summary(&mut out.summary, &doc.summary);
            for (k, v) in doc.extra {
                out.extra.entry(k).or_insert(v);
            }
        }
        let by_severity: BTreeMap<Severity, usize> = out
            .by_severity()
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect();
        out.summary
            .insert("findings".to_owned(), out.findings.len().into());
        out.summary.insert(
            "by_severity".to_owned(),
            serde_json::to_value(by_severity).unwrap_or_default(),
        );
        out.summary.remove("compare");
        out
    }
}

/// Adds one report's summary into another: numbers are summed (`rules` keeps the
/// largest), objects of numbers are summed key by key, anything else is kept from the
/// first report that has it.
fn add_summary(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (key, value) in from {
        match (into.get_mut(key), value) {
            (None, v) => {
                into.insert(key.clone(), v.clone());
            }
            (Some(Value::Number(a)), Value::Number(b)) => {
                let (a, b) = (a.as_u64().unwrap_or(0), b.as_u64().unwrap_or(0));
                let n = if key == "rules" { a.max(b) } else { a + b };
                into.insert(key.clone(), n.into());
            }
            (Some(Value::Object(a)), Value::Object(b)) => add_summary(a, b),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(fp: &str, line: usize) -> DocFinding {
        DocFinding {
            rule_id: "r".into(),
            severity: Severity::High,
            message: "m".into(),
            resource: DocResource {
                kind: "t".into(),
                name: "n".into(),
                address: "/subscriptions/s1/resourceGroups/rg1/providers/x/y/n".into(),
                id: "/subscriptions/s1/resourceGroups/rg1/providers/x/y/n".into(),
                extra: Map::new(),
            },
            location: Location {
                file: "f.json".into(),
                start_line: line,
                start_column: 1,
                end_line: line,
                end_column: 2,
            },
            fingerprint: fp.into(),
            unit: ".".into(),
            change: None,
            extra: Map::new(),
        }
    }

    fn doc(findings: Vec<DocFinding>) -> Doc {
        Doc {
            findings,
            ..Doc::default()
        }
    }

    #[test]
    fn compare_classifies_by_fingerprint_not_line() {
        let old = doc(vec![finding("a", 1), finding("b", 2)]);
        let mut new = doc(vec![finding("b", 40), finding("c", 3)]);
        new.compare(&old);
        assert_eq!(new.findings[0].change, Some(Change::Unchanged));
        assert_eq!(new.findings[1].change, Some(Change::New));
        let fixed: Vec<_> = new.with_change(Change::Fixed);
        assert_eq!(fixed.len(), 1);
        assert_eq!(fixed[0].fingerprint, "a");
        assert_eq!(new.summary["compare"]["unchanged"], 1);
    }

    #[test]
    fn merge_dedups_and_sums() {
        let mut a = doc(vec![finding("a", 1), finding("b", 2)]);
        a.summary = serde_json::from_str(r#"{"resources": 3, "rules": 5, "unmapped": {"x": 1}}"#)
            .unwrap_or_default();
        let mut b = doc(vec![finding("b", 2), finding("c", 3)]);
        b.summary = serde_json::from_str(r#"{"resources": 4, "rules": 5, "unmapped": {"x": 2}}"#)
            .unwrap_or_default();
        let m = Doc::merge(vec![a, b]);
        assert_eq!(m.findings.len(), 3);
        assert_eq!(m.summary["resources"], 7);
        assert_eq!(m.summary["rules"], 5);
        assert_eq!(m.summary["unmapped"]["x"], 3);
        assert_eq!(m.summary["findings"], 3);
        assert_eq!(m.summary["by_severity"]["high"], 3);
    }

    #[test]
    fn groups_come_from_live_ids_only() {
        let f = finding("a", 1);
        assert_eq!(f.resource.subscription(), "s1");
        assert_eq!(f.resource.resource_group(), "rg1");
        let iac = DocResource {
            address: "azurerm_key_vault.kv".into(),
            ..f.resource
        };
        assert_eq!(iac.subscription(), IAC);
        assert_eq!(iac.resource_group(), IAC);
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let mut f = serde_json::to_value(finding("a", 1)).unwrap_or_default();
        f["resource"]["unknown_parts"] = serde_json::json!(["prefix"]);
        f["suppressed"] = true.into();
        let text = serde_json::json!({"findings": [f], "summary": {}, "later": 1}).to_string();
        let d = Doc::parse(&text, "x").unwrap_or_default();
        let back: Value = serde_json::from_str(&d.to_json()).unwrap_or_default();
        assert_eq!(back["later"], 1);
        assert_eq!(
            back["findings"][0]["resource"]["unknown_parts"][0],
            "prefix"
        );
        assert_eq!(back["findings"][0]["suppressed"], true);
    }
}
