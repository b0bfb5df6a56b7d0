//! `--format csv`: one row per finding (RFC 4180), for spreadsheets. With `--compare`,
//! fixed findings are rows too, and the `change` column tells them apart. A cell that a
//! spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
//! prefixed with `'`.

use super::doc::{Change, Doc, DocFinding};
use crate::engine::Rule;

const HEADER: [&str; 15] = [
    "change",
    "severity",
    "rule_id",
    "title",
    "resource_type",
    "resource_name",
    "resource_id",
    "subscription",
    "resource_group",
    "file",
    "line",
    "message",
    "remediation",
    "fingerprint",
    "remediation_az",
];

/// One cell, quoted when needed and defused against formula injection.
pub fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn row(f: &DocFinding, rules: &[Rule]) -> String {
    let rule = rules.iter().find(|r| r.id == f.rule_id);
    let change = match f.change {
        Some(Change::New) => "new",
        Some(Change::Unchanged) => "unchanged",
        Some(Change::Fixed) => "fixed",
        None => "",
    };
    let cells = [
        change.to_owned(),
        f.severity.to_string(),
        f.rule_id.clone(),
        rule.map_or(String::new(), |r| r.title.clone()),
        f.resource.kind.clone(),
        f.resource.name.clone(),
        f.resource.id.clone(),
        f.resource.subscription(),
        f.resource.resource_group(),
        f.location.file.clone(),
        f.location.start_line.to_string(),
        f.message.clone(),
        f.remediation(rule).to_owned(),
        f.fingerprint.clone(),
        super::az::command(rule, &f.resource).unwrap_or_default(),
    ];
    let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    format!("{}\r\n", cells.join(","))
}

/// Renders the report: a header row, then the findings, then the fixed ones.
pub fn render(doc: &Doc, rules: &[Rule]) -> String {
    let mut out = format!("{}\r\n", HEADER.join(","));
    for f in doc.findings.iter().chain(doc.fixed.iter().flatten()) {
        out.push_str(&row(f, rules));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("/subscriptions/x"), "/subscriptions/x");
    }
}
