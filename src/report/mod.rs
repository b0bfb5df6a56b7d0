//! Output formats, one module each: `text` (miette), `json` (the stable machine
//! contract), `sarif` (SARIF 2.1.0). Lines and columns are computed here, from spans.

pub mod json;
pub mod model;
pub mod sarif;
pub mod text;

use std::path::Path;

use serde::Serialize;

use crate::engine::Finding;
use crate::model::{Graph, Sources, Span};

/// A place in a file, 1-based, as every output format reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, as the user named it.
    pub file: String,
    /// First line.
    pub start_line: usize,
    /// First column (characters).
    pub start_column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column after the last character.
    pub end_column: usize,
}

impl Location {
    /// Lines and columns of a span.
    pub fn of(sources: &Sources, span: Span) -> Location {
        let file = sources.get(span.file);
        let start = file.line_col(span.start);
        let end = file.line_col(span.end);
        Location {
            file: display_path(&file.path),
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

/// A path with forward slashes, the way SARIF viewers and CI logs expect.
pub fn display_path(path: &Path) -> String {
    let s = path.display().to_string().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

/// A fingerprint of a finding that survives edits elsewhere in the file: rule, resource
/// type and name, and the property at fault; no line numbers.
pub fn fingerprint(finding: &Finding, graph: &Graph) -> String {
    let resource = graph.get(finding.resource);
    let key = format!(
        "{}|{}|{}|{}",
        finding.rule_id,
        resource.kind.to_ascii_lowercase(),
        // As displayed: a symbolic name's hidden digests depend on the scanned path.
        crate::eval::symbolic::display(&resource.name).to_ascii_lowercase(),
        finding.pointer
    );
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// `moat rules explain`: the rule's full documentation.
pub fn explain(rule: &crate::engine::Rule) -> String {
    let mut out = format!(
        "# {}: {}\n\nseverity: {}\nresources: {}\n",
        rule.id,
        rule.title,
        rule.severity,
        rule.resources.join(", ")
    );
    let refs = &rule.references;
    for (label, items) in [
        ("Azure Policy", &refs.azure_policy),
        ("MCSB", &refs.mcsb),
        ("CIS", &refs.cis),
    ] {
        if !items.is_empty() {
            out.push_str(&format!("{label}: {}\n", items.join(", ")));
        }
    }
    out.push('\n');
    out.push_str(rule.docs.trim_end());
    out.push_str("\n\n## Remediation\n");
    out.push_str(rule.remediation.trim_end());
    out.push('\n');
    if !refs.links.is_empty() {
        out.push_str("\n## References\n");
        for link in &refs.links {
            out.push_str(&format!("- {link}\n"));
        }
    }
    out
}
