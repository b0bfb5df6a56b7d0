//! Output formats, one module each: `text` (miette), `json` (the stable machine
//! contract), `sarif` (SARIF 2.1.0), `github` (Actions workflow commands), `junit` (JUnit
//! XML for CI test tabs), and for people `html`, `markdown`, `csv`, `summary`; `escape`
//! makes untrusted text safe for each.
//! `doc` reads JSON reports back (diff, merge, `--compare`), `render` renders one in any
//! format that needs no source files. Lines and columns are computed here, from spans.

pub mod az;
pub mod catalog;
pub mod csv;
pub mod doc;
pub mod escape;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod model;
pub mod render;
pub mod sarif;
pub mod snippet;
pub mod summary;
pub mod text;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::Finding;
use crate::model::{Sources, Span};
use crate::scan::Loaded;

/// A place in a file, 1-based, as every output format reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// A finding's identity, stable across runs, machines and line moves, and unique across
/// deployment units and subscriptions: a hash of the unit's path relative to the scan root,
/// the resource's address in its source (`module.net.azurerm_subnet.a`, a Bicep symbolic
/// name, a template's `resources[2]`, a live resource's ARM id), the rule, and the
/// property at fault. No line numbers.
pub fn fingerprint(finding: &Finding, loaded: &Loaded) -> String {
    let resource = loaded.graph.get(finding.resource);
    let key = format!(
        "{}|{}|{}|{}",
        loaded.unit_path(resource.unit),
        // As displayed: a symbolic instance key's hidden digest depends on the scanned path.
        crate::eval::symbolic::display(&resource.origin.address),
        finding.rule_id,
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
        ("Azure Policy", refs.azure_policy.as_slice()),
        ("MCSB", refs.mcsb.as_slice()),
        ("CIS", refs.cis.as_slice()),
    ]
    .into_iter()
    .chain(refs.peers())
    {
        if !items.is_empty() {
            out.push_str(&format!("{label}: {}\n", items.join(", ")));
        }
    }
    out.push('\n');
    out.push_str(rule.docs.trim_end());
    out.push_str("\n\n## Remediation\n");
    out.push_str(&rule.remediation.to_markdown());
    out.push('\n');
    if !refs.links.is_empty() {
        out.push_str("\n## References\n");
        for link in &refs.links {
            out.push_str(&format!("- {link}\n"));
        }
    }
    out
}
