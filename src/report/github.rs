//! `--format github`: one GitHub Actions workflow command per finding and input problem
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), which the
//! runner turns into annotations on the pull request. Every value is escaped the way the
//! runner decodes it ([`escape::github_property`], [`escape::github_data`]).

use super::{display_path, escape, Location};
use crate::diagnostic::{Diagnostic, Level};
use crate::engine::{Finding, Severity};
use crate::model::Sources;
use crate::scan::Scan;

/// The workflow command for a severity: high and critical fail loudly, info is a notice.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "notice",
    }
}

/// One workflow command line: `::{command} {properties}::{message}`.
fn line(command: &str, properties: &[(&str, String)], message: &str) -> String {
    let props: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape::github_property(v)))
        .collect();
    format!(
        "::{command} {}::{}\n",
        props.join(","),
        escape::github_data(message)
    )
}

fn location_properties(at: &Location) -> Vec<(&'static str, String)> {
    vec![
        ("file", at.file.clone()),
        ("line", at.start_line.to_string()),
        ("col", at.start_column.to_string()),
        ("endLine", at.end_line.to_string()),
        ("endColumn", at.end_column.to_string()),
    ]
}

fn finding_line(scan: &Scan, f: &Finding) -> String {
    let at = Location::of(&scan.loaded.sources, f.span);
    let resource = scan.loaded.graph.get(f.evidence_resource);
    let mut properties = location_properties(&at);
    properties.push(("title", format!("moat {} ({})", f.rule_id, f.severity)));
    let message = format!("{} [{}]", f.message, resource.origin.address);
    line(command(f.severity), &properties, &message)
}

fn diagnostic_line(sources: &Sources, d: &Diagnostic) -> String {
    let mut properties = match d.span {
        Some(span) => {
            let at = sources.get(span.file).line_col(span.start);
            vec![
                ("file", display_path(&d.path)),
                ("line", at.line.to_string()),
                ("col", at.column.to_string()),
            ]
        }
        None => vec![("file", display_path(&d.path))],
    };
    properties.push(("title", "moat input".to_owned()));
    let command = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    line(command, &properties, &d.message)
}

/// Renders input problems, then findings, one workflow command each.
pub fn render(scan: &Scan) -> String {
    let mut out = String::new();
    for d in &scan.loaded.diagnostics {
        out.push_str(&diagnostic_line(&scan.loaded.sources, d));
    }
    for f in &scan.verdicts.findings {
        out.push_str(&finding_line(scan, f));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_escapes_properties_and_data() {
        let out = line(
            "error",
            &[
                ("file", "a,b:c\n::warning::x.tf".into()),
                ("line", "3".into()),
            ],
            "50%\n::error::pwned",
        );
        assert_eq!(
            out,
            "::error file=a%2Cb%3Ac%0A%3A%3Awarning%3A%3Ax.tf,line=3::50%25%0A::error::pwned\n"
        );
        assert_eq!(out.matches('\n').count(), 1);
    }
}
