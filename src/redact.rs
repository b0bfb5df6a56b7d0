//! Secrets stay out of reports: for a finding of a `sensitive` rule, the literal at the
//! finding and at every place its value came from is masked in the scan's copy of the
//! source text, which every report quotes its snippets from.

use crate::engine::{Finding, Rule};
use crate::model::{Graph, Sources};

/// Masks the literals `findings` of sensitive rules point at, in `sources`.
pub fn secrets(sources: &mut Sources, graph: &Graph, findings: &[Finding], rules: &[Rule]) {
    let sensitive: Vec<&str> = rules
        .iter()
        .filter(|r| r.sensitive)
        .map(|r| r.id.as_str())
        .collect();
    if sensitive.is_empty() {
        return;
    }
    for finding in findings
        .iter()
        .filter(|f| sensitive.contains(&f.rule_id.as_str()))
    {
        sources.mask_last_string(finding.span);
        let evidence = graph.get(finding.evidence_resource);
        for origin in evidence.provenance_of(&finding.pointer) {
            if let Some(span) = origin.span {
                sources.mask_last_string(span);
            }
        }
    }
}
