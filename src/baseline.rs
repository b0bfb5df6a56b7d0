//! Baselines: `moat baseline` records the current findings by fingerprint; `moat scan
//! --baseline` reports only findings not in it, and counts the recorded ones now fixed.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::report::{fingerprint, Location};
use crate::scan::Scan;
use crate::suppress::{Kind, Suppressed};

/// The baseline file format version.
pub const VERSION: u32 = 1;

/// A baseline file: `{"version": 1, "findings": [...]}`, sorted by fingerprint.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version.
    pub version: u32,
    /// The recorded findings.
    pub findings: Vec<Entry>,
}

/// One recorded finding; only the fingerprint matches, the rest is for humans.
#[derive(Debug, Deserialize, Serialize)]
pub struct Entry {
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// Its rule.
    pub rule_id: String,
    /// The resource's address.
    pub resource: String,
    /// `file:line` when recorded.
    pub location: String,
}

/// What a baseline did to a scan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Findings found in the baseline (not reported).
    pub matched: usize,
    /// Baseline entries no finding matches any more.
    pub fixed: usize,
}

/// A baseline that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// Unreadable.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not a baseline.
    #[error("{}: not a moat baseline: {message}", .path.display())]
    Invalid {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        message: String,
    },
}

/// The scan's (unsuppressed) findings as a baseline, serialized.
pub fn render(scan: &Scan) -> String {
    let mut findings: Vec<Entry> = scan
        .verdicts
        .findings
        .iter()
        .map(|f| {
            let at = Location::of(&scan.loaded.sources, f.span);
            Entry {
                fingerprint: fingerprint(f, &scan.loaded),
                rule_id: f.rule_id.clone(),
                resource: scan.loaded.graph.get(f.resource).origin.address.to_string(),
                location: format!("{}:{}", at.file, at.start_line),
            }
        })
        .collect();
    findings.sort_by(|a, b| (&a.fingerprint, &a.location).cmp(&(&b.fingerprint, &b.location)));
    findings.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let baseline = Baseline {
        version: VERSION,
        findings,
    };
    let mut out = serde_json::to_string_pretty(&baseline).unwrap_or_default();
    out.push('\n');
    out
}

impl Baseline {
    /// Keeps the entries this scan can see again: of a rule that runs, located in a file
    /// that is not excluded. An entry of a rule deselected today is not "fixed".
    pub fn retain_in_scope(&mut self, rule_ids: &[&str], excluded: impl Fn(&Path) -> bool) {
        self.findings.retain(|e| {
            let file = e
                .location
                .rsplit_once(':')
                .map_or(e.location.as_str(), |(f, _)| f);
            rule_ids.contains(&e.rule_id.as_str()) && !excluded(Path::new(file))
        });
    }
}

/// Reads a baseline file.
pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
    let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
        path: path.to_owned(),
        source,
    })?;
    let baseline: Baseline = serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    if baseline.version != VERSION {
        return Err(BaselineError::Invalid {
            path: path.to_owned(),
            message: format!("version {} (this moat reads {VERSION})", baseline.version),
        });
    }
    Ok(baseline)
}

/// Moves findings recorded in the baseline to `scan.suppressed` (kind external) and sets
/// `scan.baseline`.
pub fn apply(scan: &mut Scan, baseline: &Baseline, name: &str) {
    let recorded: BTreeSet<&str> = baseline
        .findings
        .iter()
        .map(|e| e.fingerprint.as_str())
        .collect();
    let mut seen = BTreeSet::new();
    for s in &scan.suppressed {
        seen.insert(fingerprint(&s.finding, &scan.loaded));
    }
    let mut counts = Counts::default();
    for finding in std::mem::take(&mut scan.verdicts.findings) {
        let print = fingerprint(&finding, &scan.loaded);
        let known = recorded.contains(print.as_str());
        seen.insert(print);
        if known {
            counts.matched += 1;
            scan.suppressed.push(Suppressed {
                finding,
                kind: Kind::External,
                justification: format!("in baseline {name}"),
                span: None,
            });
        } else {
            scan.verdicts.findings.push(finding);
        }
    }
    counts.fixed = recorded.iter().filter(|p| !seen.contains(**p)).count();
    scan.baseline = Some(counts);
}
