//! `--format markdown`: the report for `$GITHUB_STEP_SUMMARY`, wikis and tickets: counts by
//! severity, rule, subscription and resource group, what is new (with `--compare`), and a
//! table of findings (the first [`MAX_ROWS`]; the JSON or HTML report has them all). Every
//! value from the scanned files is made inert: no markup, link or HTML survives.

use std::fmt::Write as _;

use super::doc::{Change, Doc, DocFinding};
use super::summary;
use crate::engine::Rule;

/// Findings listed in a table; GitHub caps a step summary at 1 MiB.
pub const MAX_ROWS: usize = 500;

/// A table cell: markdown and HTML specials escaped, line breaks and controls made spaces.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || super::escape::is_unsafe(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn table(out: &mut String, headers: &[&str], rows: Vec<Vec<String>>) {
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(headers.len()));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

fn finding_rows(findings: &[&DocFinding]) -> Vec<Vec<String>> {
    findings
        .iter()
        .take(MAX_ROWS)
        .map(|f| {
            vec![
                f.severity.to_string(),
                cell(&f.rule_id),
                cell(&f.resource.name),
                cell(&format!("{}:{}", f.location.file, f.location.start_line)),
                cell(&f.message),
            ]
        })
        .collect()
}

fn findings_section(out: &mut String, title: &str, findings: &[&DocFinding]) {
    let _ = writeln!(out, "## {title} ({})\n", findings.len());
    if findings.is_empty() {
        return;
    }
    table(
        out,
        &["Severity", "Rule", "Resource", "Location", "Message"],
        finding_rows(findings),
    );
    if findings.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "…and {} more (the JSON or HTML report lists them all).\n",
            findings.len() - MAX_ROWS
        );
    }
}

fn counts(doc: &Doc, key: impl Fn(&DocFinding) -> String) -> Vec<Vec<String>> {
    doc.group_by(key)
        .into_iter()
        .map(|(k, n)| vec![cell(&k), n.to_string()])
        .collect()
}

/// Renders the report.
pub fn render(doc: &Doc, rules: &[Rule]) -> String {
    let mut out = format!("# moat report\n\n**{}**\n\n", summary::counts(doc));
    if doc.compared() {
        let _ = writeln!(out, "{}", summary::compare_line(doc).trim_end());
        findings_section(&mut out, "New", &doc.with_change(Change::New));
        findings_section(&mut out, "Fixed", &doc.with_change(Change::Fixed));
    }
    out.push_str("## By severity\n\n");
    table(
        &mut out,
        &["Severity", "Findings"],
        doc.by_severity()
            .into_iter()
            .map(|(s, n)| vec![s.to_string(), n.to_string()])
            .collect(),
    );
    out.push_str("## By rule\n\n");
    let title = |id: &str| {
        rules
            .iter()
            .find(|r| r.id == id)
            .map_or(String::new(), |r| cell(&r.title))
    };
    table(
        &mut out,
        &["Rule", "Title", "Findings"],
        doc.group_by(|f| f.rule_id.clone())
            .into_iter()
            .map(|(id, n)| vec![cell(&id), title(&id), n.to_string()])
            .collect(),
    );
    out.push_str("## By subscription\n\n");
    table(
        &mut out,
        &["Subscription", "Findings"],
        counts(doc, |f| f.resource.subscription()),
    );
    out.push_str("## By resource group\n\n");
    table(
        &mut out,
        &["Resource group", "Findings"],
        counts(doc, |f| {
            format!(
                "{}/{}",
                f.resource.subscription(),
                f.resource.resource_group()
            )
        }),
    );
    let all: Vec<&DocFinding> = doc.findings.iter().collect();
    findings_section(&mut out, "Findings", &all);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_inert() {
        assert_eq!(
            cell("a|b <img src=x> [l](http://e) *x*\n# h"),
            "a\\|b &lt;img src=x&gt; \\[l\\]\\(http://e\\) \\*x\\* \\# h"
        );
    }
}
