//! Inline suppressions, applied after the engine: a finding is suppressed by a directive
//! on the line of, or in the comment lines directly above, the attribute at fault, the
//! resource's declaration, or the `module` call that created it (Terraform and Bicep); in
//! ARM JSON also by the resource's `metadata`. Works from spans and source text only.

pub mod directive;
mod locate;

use crate::diagnostic::Diagnostic;
use crate::engine::{Finding, Rule};
use crate::model::{FileId, Span};
use crate::scan::Scan;
use directive::{Date, Directive, Syntax};

/// Why a finding is left out of the gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A comment (or ARM `metadata`) in the source.
    Inline,
    /// Outside the source: a baseline.
    External,
}

/// A finding kept out of the gate, with why.
#[derive(Clone, Debug)]
pub struct Suppressed {
    /// The finding.
    pub finding: Finding,
    /// Inline or external.
    pub kind: Kind,
    /// The reason given.
    pub justification: String,
    /// Where the suppression is written (inline only).
    pub span: Option<Span>,
}

/// A directive where it was found.
struct Placed {
    directive: Directive,
    file: FileId,
    /// 1-based line.
    line: usize,
    span: Span,
    used: bool,
    expired_hit: bool,
}

/// Moves suppressed findings out of `scan.verdicts.findings` into `scan.suppressed`, and
/// adds warnings for suppressions without a reason, naming no rule (`known` holds every
/// rule id, run or not), expired (the finding stays) or unused (among the rules that ran).
pub fn apply(scan: &mut Scan, rules: &[Rule], known: &[String], today: Date) {
    let mut placed = collect(scan);
    let mut warnings = Vec::new();
    for p in placed.iter().filter(|p| p.directive.syntax == Syntax::Moat) {
        if p.directive.reason.is_none() {
            warnings.push(warning(
                scan,
                p,
                "suppression without a reason does not apply; write `-- <reason>` after the rule ids"
                    .to_owned(),
            ));
        }
        for id in p.directive.ids.iter().filter(|id| !known.contains(id)) {
            warnings.push(warning(
                scan,
                p,
                format!("suppression names no rule '{id}'"),
            ));
        }
    }
    if placed.is_empty() {
        return;
    }
    let findings = std::mem::take(&mut scan.verdicts.findings);
    let mut index = locate::Index::new(&scan.loaded, &placed);
    for finding in findings {
        let rule = rules.iter().find(|r| r.id == finding.rule_id);
        let mut hit = None;
        for i in index.candidates(&finding) {
            let p = &mut placed[i];
            if !covers_rule(&p.directive, rule, &finding.rule_id) {
                continue;
            }
            if p.directive.syntax == Syntax::Moat && p.directive.reason.is_none() {
                continue;
            }
            if p.directive.until.is_some_and(|until| until < today) {
                p.expired_hit = true;
                continue;
            }
            p.used = true;
            hit.get_or_insert(i);
        }
        match hit {
            Some(i) => {
                let p = &placed[i];
                scan.suppressed.push(Suppressed {
                    finding,
                    kind: Kind::Inline,
                    justification: justification(&p.directive),
                    span: Some(p.span),
                });
            }
            None => scan.verdicts.findings.push(finding),
        }
    }
    for p in &placed {
        if p.expired_hit {
            let (y, m, d) = p.directive.until.unwrap_or_default();
            warnings.push(warning(
                scan,
                p,
                format!("suppression expired on {y:04}-{m:02}-{d:02}; the finding is reported"),
            ));
        } else if !p.used
            && p.directive.syntax == Syntax::Moat
            && p.directive.reason.is_some()
            && p.directive
                .ids
                .iter()
                .any(|id| rules.iter().any(|r| &r.id == id))
        {
            warnings.push(warning(
                scan,
                p,
                format!(
                    "unused suppression: no finding of {} here",
                    p.directive.ids.join(", ")
                ),
            ));
        }
    }
    scan.loaded.diagnostics.extend(warnings);
}

fn warning(scan: &Scan, p: &Placed, message: String) -> Diagnostic {
    Diagnostic::warning(scan.loaded.sources.path(p.file), Some(p.span), message)
}

fn justification(d: &Directive) -> String {
    match (&d.reason, d.syntax) {
        (Some(r), _) => r.clone(),
        (None, Syntax::Checkov) => format!("checkov:skip={}", d.ids.join(",")),
        (None, _) => format!("trivy:ignore:{}", d.ids.join(",")),
    }
}

fn covers_rule(d: &Directive, rule: Option<&Rule>, rule_id: &str) -> bool {
    let peers = |f: fn(&Rule) -> &Vec<String>| {
        rule.is_some_and(|r| {
            f(r).iter()
                .any(|p| d.ids.iter().any(|id| same_peer_id(id, p)))
        })
    };
    match d.syntax {
        Syntax::Moat => d.ids.iter().any(|id| id == rule_id),
        Syntax::Checkov => peers(|r| &r.references.checkov),
        Syntax::Trivy => peers(|r| &r.references.trivy),
    }
}

/// Peer check ids compare without case, and Trivy's `AVD-AZU-0012` is its newer `AZU-0012`.
fn same_peer_id(written: &str, listed: &str) -> bool {
    fn bare(id: &str) -> &str {
        match id.get(..4) {
            Some(prefix) if prefix.eq_ignore_ascii_case("AVD-") => &id[4..],
            _ => id,
        }
    }
    bare(written).eq_ignore_ascii_case(bare(listed))
}

/// Every directive in every file of the scan's concern.
fn collect(scan: &Scan) -> Vec<Placed> {
    let mut out = Vec::new();
    for (file, source) in scan.loaded.sources.iter() {
        // A big file is a JSON export read by ranges: its directive comments, if any,
        // are not looked for (a JSON export as Azure writes it has no comments).
        if source.is_big() || !scan.loaded.concerns(file) || !directive::mentioned(source.text()) {
            continue;
        }
        let mut offset = 0;
        for (i, line) in source.text().split_inclusive('\n').enumerate() {
            for directive in directive::parse_line(line) {
                let trimmed = line.trim_end_matches(['\n', '\r']).len();
                let end = offset + directive.range.end.min(trimmed);
                let span = Span::new(file, offset + directive.range.start..end);
                out.push(Placed {
                    directive,
                    file,
                    line: i + 1,
                    span,
                    used: false,
                    expired_hit: false,
                });
            }
            offset += line.len();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::same_peer_id;

    #[test]
    fn trivy_ids_match_with_or_without_their_avd_prefix() {
        assert!(same_peer_id("AZU-0012", "AVD-AZU-0012"));
        assert!(same_peer_id("avd-azu-0012", "AVD-AZU-0012"));
        assert!(same_peer_id("CKV_AZURE_35", "ckv_azure_35"));
        assert!(!same_peer_id("AZU-0013", "AVD-AZU-0012"));
        assert!(!same_peer_id("AVD", "AVD-AZU-0012"));
    }
}
