//! Secrets stay out of reports: for a finding of a `sensitive` rule, the literal at the
//! finding and at every place its value came from is masked in the scan's copy of the
//! source text, which every report quotes its snippets from.

use crate::engine::{Finding, Rule};
use crate::model::{Graph, Sources};

/// Masks the literals `findings` of sensitive rules point at, in `sources`.
pub fn secrets(sources: &mut Sources, graph: &Graph, findings: &[Finding], rules: &[Rule]) {
    for finding in findings {
        let sensitive = rules.iter().any(|r| r.sensitive && r.id == finding.rule_id);
        if !sensitive {
            continue;
        }
        sources.mask_last_string(finding.span);
        let evidence = graph.get(finding.evidence_resource);
        for origin in evidence.provenance_of(&finding.pointer) {
            if let Some(span) = origin.span {
                sources.mask_last_string(span);
            }
        }
    }
}
