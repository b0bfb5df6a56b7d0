//! Inline suppressions, applied after the engine: a finding is suppressed by a directive
//! on the line of, or in the comment lines directly above, the attribute at fault, the
//! resource's declaration, or the `module` call that created it (Terraform and Bicep); in
//! ARM JSON also by the resource's `metadata`. Works from spans and source text only.

pub mod directive;

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::engine::{Finding, Rule};
use crate::ingest::bicep::workspace::normalise;
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
    let findings = std::mem::take(&mut scan.verdicts.findings);
    for finding in findings {
        let rule = rules.iter().find(|r| r.id == finding.rule_id);
        let targets = targets(scan, &finding);
        let mut hit = None;
        for (i, p) in placed.iter_mut().enumerate() {
            if !covers_rule(&p.directive, rule, &finding.rule_id)
                || !targets.iter().any(|t| covers_line(scan, p, t))
            {
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
                .any(|p| d.ids.iter().any(|id| id.eq_ignore_ascii_case(p)))
        })
    };
    match d.syntax {
        Syntax::Moat => d.ids.iter().any(|id| id == rule_id),
        Syntax::Checkov => peers(|r| &r.references.checkov),
        Syntax::Trivy => peers(|r| &r.references.trivy),
    }
}

/// Every directive in every file read.
fn collect(scan: &Scan) -> Vec<Placed> {
    let mut out = Vec::new();
    for (file, source) in scan.loaded.sources.iter() {
        let mut offset = 0;
        for (i, line) in source.text.split_inclusive('\n').enumerate() {
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

/// A place a suppression may sit at: a line of a file, or (ARM metadata) a resource
/// declaration.
struct Target {
    file: FileId,
    line: usize,
    /// A resource declaration (ARM metadata applies to the nearest).
    declaration: bool,
}

fn targets(scan: &Scan, finding: &Finding) -> Vec<Target> {
    let loaded = &scan.loaded;
    let line_of = |span: Span| loaded.sources.get(span.file).line_col(span.start).line;
    let mut out = vec![Target {
        file: finding.span.file,
        line: line_of(finding.span),
        declaration: false,
    }];
    let parent = loaded.graph.parent(finding.resource);
    for index in [finding.resource, finding.evidence_resource]
        .into_iter()
        .chain(parent)
    {
        let resource = loaded.graph.get(index);
        out.push(Target {
            file: resource.origin.span.file,
            line: line_of(resource.origin.span),
            declaration: true,
        });
        if let Some(name) = module_name(&resource.origin.address) {
            let unit = loaded
                .units
                .get(resource.unit.index())
                .map(|u| u.path.clone());
            out.extend(module_calls(scan, unit.as_deref(), name));
        }
    }
    out
}

/// `module.net["a"].x` → `net`.
fn module_name(address: &str) -> Option<&str> {
    let rest = address.strip_prefix("module.")?;
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The lines calling module `name` (`module "name" {` in Terraform, `module name '…'` in
/// Bicep) in the files of the unit's folder.
fn module_calls(scan: &Scan, unit: Option<&Path>, name: &str) -> Vec<Target> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = |p: &Path| normalise(&cwd.join(p));
    let Some(unit) = unit.map(absolute) else {
        return Vec::new();
    };
    let folder: PathBuf = if unit.is_dir() {
        unit
    } else {
        unit.parent().map(Path::to_path_buf).unwrap_or(unit)
    };
    let terraform = format!("module \"{name}\"");
    let bicep = format!("module {name} ");
    let mut out = Vec::new();
    for (file, source) in scan.loaded.sources.iter() {
        if absolute(&source.path).parent() != Some(folder.as_path()) {
            continue;
        }
        for (i, line) in source.text.lines().enumerate() {
            let t = line.trim_start();
            if t.starts_with(&terraform) || t.starts_with(&bicep) {
                out.push(Target {
                    file,
                    line: i + 1,
                    declaration: false,
                });
            }
        }
    }
    out
}

/// Whether a directive sits on the target line or in the comment lines directly above it;
/// an ARM `metadata` directive covers the resource declared nearest to it.
fn covers_line(scan: &Scan, p: &Placed, target: &Target) -> bool {
    if p.file != target.file {
        return false;
    }
    if p.directive.metadata {
        return target.declaration && nearest_declaration(scan, p) == Some(target.line);
    }
    if p.line == target.line {
        return true;
    }
    let text = &scan.loaded.sources.get(p.file).text;
    let lines: Vec<&str> = text.lines().collect();
    if p.line > target.line {
        return target.declaration && inside_block(scan, p, target.line, &lines);
    }
    (p.line..target.line).all(|l| {
        lines
            .get(l - 1)
            .is_some_and(|s| directive::is_comment_line(s))
    })
}

/// Checkov's convention: a directive inside a resource's block, before anything else is
/// declared there (every line from the declaration to it indented, no other declaration).
fn inside_block(scan: &Scan, p: &Placed, declaration: usize, lines: &[&str]) -> bool {
    let indented = (declaration + 1..=p.line).all(|l| {
        lines
            .get(l - 1)
            .is_some_and(|s| s.trim().is_empty() || s.starts_with([' ', '\t']))
    });
    let sources = &scan.loaded.sources;
    let other = scan.loaded.graph.resources().iter().any(|r| {
        let s = r.origin.span;
        s.file == p.file && {
            let line = sources.get(s.file).line_col(s.start).line;
            line > declaration && line <= p.line
        }
    });
    indented && !other
}

/// The line of the resource declaration in the directive's file nearest to it.
fn nearest_declaration(scan: &Scan, p: &Placed) -> Option<usize> {
    let sources = &scan.loaded.sources;
    scan.loaded
        .graph
        .resources()
        .iter()
        .map(|r| r.origin.span)
        .filter(|s| s.file == p.file)
        .map(|s| sources.get(s.file).line_col(s.start).line)
        .min_by_key(|line| line.abs_diff(p.line))
}
