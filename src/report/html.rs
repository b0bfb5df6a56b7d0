//! `--format html`: one self-contained page for the people who read a periodic scan.
//! Inline CSS, JS and SVG only, and a Content-Security-Policy that forbids every fetch, so
//! opening it makes no network request. It leads with what is new (with `--compare`), then
//! counts by severity (with a bar chart), rule, subscription and resource group, then every
//! finding with its resource, message, remediation and source snippet. Severity, rule and
//! text filters run in the page and read their initial values from the URL fragment
//! (`report.html#severity=high&rule=…&q=…`). Rendered with minijinja, whose HTML
//! auto-escaping covers every value from the scanned files.

use minijinja::Environment;
use serde::Serialize;

use super::doc::{Change, Doc, DocFinding, SEVERITIES};
use super::snippet::{SnippetLine, Snippets};
use crate::engine::{Rule, Severity};

const TEMPLATE: &str = include_str!("report.html.j2");

/// Bar chart geometry (SVG user units).
const BAR_WIDTH: usize = 360;
const BAR_HEIGHT: usize = 24;

#[derive(Serialize)]
struct Bar {
    severity: Severity,
    count: usize,
    width: usize,
    y: usize,
}

#[derive(Serialize)]
struct RuleRow<'a> {
    id: &'a str,
    title: &'a str,
    severity: Option<Severity>,
    count: usize,
}

#[derive(Serialize)]
struct FindingView<'a> {
    anchor: String,
    finding: &'a DocFinding,
    change: Option<Change>,
    subscription: String,
    resource_group: String,
    live: bool,
    title: &'a str,
    remediation: &'a str,
    az: Option<String>,
    snippet: Option<&'a Vec<SnippetLine>>,
}

fn view<'a>(
    index: usize,
    f: &'a DocFinding,
    rules: &'a [Rule],
    snippets: &'a Snippets,
) -> FindingView<'a> {
    let rule = rules.iter().find(|r| r.id == f.rule_id);
    FindingView {
        anchor: format!("f{index}"),
        finding: f,
        change: f.change,
        subscription: f.resource.subscription(),
        resource_group: f.resource.resource_group(),
        live: f.resource.is_live(),
        title: rule.map_or("", |r| r.title.as_str()),
        remediation: f.remediation(rule),
        az: super::az::command(rule, &f.resource),
        snippet: snippets.get(&f.fingerprint),
    }
}

fn chart(doc: &Doc) -> Vec<Bar> {
    let counts = doc.by_severity();
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    counts
        .into_iter()
        .enumerate()
        .map(|(i, (severity, count))| Bar {
            severity,
            count,
            width: count * BAR_WIDTH / max,
            y: i * (BAR_HEIGHT + 8),
        })
        .collect()
}

fn rule_rows<'a>(doc: &'a Doc, rules: &'a [Rule]) -> Vec<RuleRow<'a>> {
    doc.group_by(|f| f.rule_id.clone())
        .into_iter()
        .map(|(id, count)| {
            let rule = rules.iter().find(|r| r.id == id);
            let known = doc.findings.iter().find(|f| f.rule_id == id);
            RuleRow {
                id: known.map_or("", |f| f.rule_id.as_str()),
                title: rule.map_or("", |r| r.title.as_str()),
                severity: known.map(|f| f.severity),
                count,
            }
        })
        .collect()
}

/// Everything the template shows.
#[derive(Serialize)]
struct Page<'a> {
    total: usize,
    by_severity: Vec<(Severity, usize)>,
    severities: [Severity; 5],
    chart: Vec<Bar>,
    chart_height: usize,
    bar_height: usize,
    by_rule: Vec<RuleRow<'a>>,
    by_subscription: Vec<(String, usize)>,
    by_group: Vec<(&'a str, &'a str, usize)>,
    rule_ids: Vec<String>,
    compared: bool,
    new: Vec<&'a FindingView<'a>>,
    fixed: Vec<FindingView<'a>>,
    unchanged: usize,
    findings: &'a [FindingView<'a>],
    errors: usize,
    version: &'static str,
}

/// Renders the page.
pub fn render(doc: &Doc, rules: &[Rule], snippets: &Snippets) -> String {
    let mut env = Environment::new();
    if let Err(e) = env.add_template("report.html", TEMPLATE) {
        return format!("<!doctype html><title>moat</title><p>template error: {e}</p>\n");
    }
    let findings: Vec<FindingView> = doc
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| view(i, f, rules, snippets))
        .collect();
    let new: Vec<&FindingView> = findings
        .iter()
        .filter(|v| v.change == Some(Change::New))
        .collect();
    let fixed: Vec<FindingView> = doc
        .with_change(Change::Fixed)
        .into_iter()
        .enumerate()
        .map(|(i, f)| FindingView {
            anchor: format!("x{i}"),
            ..view(i, f, rules, snippets)
        })
        .collect();
    let by_group = doc.group_by(|f| {
        format!(
            "{}\u{0}{}",
            f.resource.subscription(),
            f.resource.resource_group()
        )
    });
    let by_group: Vec<(&str, &str, usize)> = by_group
        .iter()
        .map(|(k, n)| {
            let (s, g) = k.split_once('\u{0}').unwrap_or((k, ""));
            (s, g, *n)
        })
        .collect();
    let rule_ids: Vec<String> = doc
        .group_by(|f| f.rule_id.clone())
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let page = Page {
        total: doc.findings.len(),
        by_severity: doc.by_severity(),
        severities: SEVERITIES,
        chart: chart(doc),
        chart_height: SEVERITIES.len() * (BAR_HEIGHT + 8),
        bar_height: BAR_HEIGHT,
        by_rule: rule_rows(doc, rules),
        by_subscription: doc.group_by(|f| f.resource.subscription()),
        by_group,
        rule_ids,
        compared: doc.compared(),
        new,
        fixed,
        unchanged: doc.with_change(Change::Unchanged).len(),
        findings: &findings,
        errors: doc.errors.len(),
        version: env!("CARGO_PKG_VERSION"),
    };
    match env
        .get_template("report.html")
        .and_then(|t| t.render(minijinja::value::Serde(&page)))
    {
        Ok(mut out) => {
            out.push('\n');
            out
        }
        Err(e) => format!("<!doctype html><title>moat</title><p>template error: {e}</p>\n"),
    }
}
