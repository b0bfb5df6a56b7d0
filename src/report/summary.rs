//! A plain-text summary of a JSON report ([`Doc`]): counts, what changed since the
//! previous report, and one entry per finding. `moat diff` and `moat merge -f text` print
//! it; every value from the scanned files is escaped ([`escape::text`]).

use std::collections::BTreeMap;

use super::doc::{Change, Doc, DocFinding};
use super::escape;

/// `N finding(s) (2 high, 1 low)`.
pub fn counts(doc: &Doc) -> String {
    let parts: Vec<String> = doc
        .by_severity()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let n = doc.findings.len();
    format!(
        "{n} finding{} ({})",
        if n == 1 { "" } else { "s" },
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(", ")
        }
    )
}

/// `compared with the previous report: N new, N fixed, N unchanged`, or nothing when the
/// report was not compared.
pub fn compare_line(doc: &Doc) -> String {
    if !doc.compared() {
        return String::new();
    }
    format!(
        "compared with the previous report: {} new, {} fixed, {} unchanged\n",
        doc.with_change(Change::New).len(),
        doc.with_change(Change::Fixed).len(),
        doc.with_change(Change::Unchanged).len()
    )
}

fn entry(f: &DocFinding) -> String {
    let mark = match f.change {
        Some(Change::New) => "[new] ",
        Some(Change::Fixed) => "[fixed] ",
        _ => "",
    };
    let e = |s: &str| escape::text(s).into_owned();
    format!(
        "  {mark}{} {}  {} ({})  {}:{}\n      {}\n",
        f.severity,
        e(&f.rule_id),
        e(&f.resource.name),
        e(&f.resource.kind),
        e(&f.location.file),
        f.location.start_line,
        e(&f.message)
    )
}

/// The whole summary.
pub fn render(doc: &Doc) -> String {
    let mut out = format!("moat: {}\n", counts(doc));
    out.push_str(&compare_line(doc));
    let mut sections: Vec<(&str, Vec<&DocFinding>)> = Vec::new();
    if doc.compared() {
        sections.push(("New", doc.with_change(Change::New)));
        sections.push(("Fixed", doc.with_change(Change::Fixed)));
        sections.push(("Unchanged", doc.with_change(Change::Unchanged)));
    } else {
        sections.push(("Findings", doc.findings.iter().collect()));
    }
    for (title, findings) in sections {
        if findings.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title} ({}):\n", findings.len()));
        for f in findings {
            out.push_str(&entry(f));
        }
    }
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &doc.findings {
        *by_rule.entry(&f.rule_id).or_default() += 1;
    }
    if !by_rule.is_empty() {
        out.push_str("\nBy rule:\n");
        for (rule, n) in by_rule {
            out.push_str(&format!("  {n:>5}  {}\n", escape::text(rule)));
        }
    }
    out
}
