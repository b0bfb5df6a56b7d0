//! The rule engine: compiled rules evaluated over the resource graph.

pub mod condition;
pub mod outcome;
pub mod predicates;
pub mod rule;

use rayon::prelude::*;
use serde_json::Value;

use crate::model::{Graph, ResourceIndex, Span};
use outcome::{Evidence, Outcome, Truth};
pub use rule::{
    builtin_rules, load_dir, References, Remediation, Rule, RuleError, Severity, DOC_HEADINGS,
};

/// A rule violated by a resource.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule's id.
    pub rule_id: String,
    /// The rule's severity.
    pub severity: Severity,
    /// The rendered message.
    pub message: String,
    /// The resource at fault.
    pub resource: ResourceIndex,
    /// Where to look: the attribute at fault, or the declaration for an omission.
    pub span: Span,
    /// The JSON pointer the span stands for, in the resource `evidence_resource`.
    pub pointer: String,
    /// The resource holding the evidence (the resource itself, a child or a related one).
    pub evidence_resource: ResourceIndex,
}

/// A rule that could not be decided on a resource because a value is unknown.
#[derive(Clone, Debug)]
pub struct Undecided {
    /// The rule's id.
    pub rule_id: String,
    /// The resource.
    pub resource: ResourceIndex,
    /// Why.
    pub reason: String,
    /// Where the unknown value is.
    pub span: Span,
}

/// What the engine found.
#[derive(Debug, Default)]
pub struct Verdicts {
    /// Violations, sorted by file, position and rule.
    pub findings: Vec<Finding>,
    /// Rules left undecided by unknown values.
    pub undecided: Vec<Undecided>,
}

enum Verdict {
    Finding(Finding),
    Undecided(Undecided),
}

/// Evaluates every rule on every resource of its types, in parallel.
pub fn check(graph: &Graph, rules: &[Rule]) -> Verdicts {
    let mut pairs: Vec<(&Rule, ResourceIndex)> = rules
        .iter()
        .flat_map(|rule| {
            rule.resources
                .iter()
                .flat_map(move |kind| graph.of_type(kind).iter().map(move |&i| (rule, i)))
        })
        .collect();
    // A resource's rules one after another: its body is decoded once for all of them
    // (see `model::body`), not once per rule.
    pairs.sort_by_key(|&(_, subject)| subject);
    let verdicts: Vec<Verdict> = pairs
        .par_iter()
        .filter_map(|&(rule, subject)| check_one(graph, rule, subject))
        .collect();
    let mut out = Verdicts::default();
    for v in verdicts {
        match v {
            Verdict::Finding(f) => out.findings.push(f),
            Verdict::Undecided(u) => out.undecided.push(u),
        }
    }
    let key = |span: &Span| (span.file, span.start);
    out.findings.sort_by(|a, b| {
        (key(&a.span), &a.rule_id, a.resource).cmp(&(key(&b.span), &b.rule_id, b.resource))
    });
    out.undecided.sort_by(|a, b| {
        (key(&a.span), &a.rule_id, a.resource).cmp(&(key(&b.span), &b.rule_id, b.resource))
    });
    out
}

fn check_one(graph: &Graph, rule: &Rule, subject: ResourceIndex) -> Option<Verdict> {
    let applies = match &rule.when {
        Some(when) => when.eval(graph, subject),
        None => Outcome::new(Truth::True),
    };
    let required = match applies.truth {
        Truth::False => return None,
        Truth::Unknown => return Some(undecided(graph, rule, subject, applies)),
        Truth::True => rule.require.eval(graph, subject),
    };
    match required.truth {
        Truth::True => None,
        Truth::Unknown => Some(undecided(graph, rule, subject, required)),
        Truth::False => {
            let evidence = rule
                .at
                .as_ref()
                .and_then(|at| written_at(graph, subject, at))
                .unwrap_or_else(|| pick_evidence(graph, subject, &required.evidence));
            let mut bindings = applies.bindings;
            bindings.extend(required.bindings);
            Some(Verdict::Finding(Finding {
                rule_id: rule.id.clone(),
                severity: lowered_severity(rule.severity, &bindings),
                message: render_message(&rule.message, graph, subject, &bindings),
                resource: subject,
                span: graph.get(evidence.resource).span_of(&evidence.pointer),
                pointer: evidence.pointer,
                evidence_resource: evidence.resource,
            }))
        }
    }
}

/// The rule's severity, or the lower one a predicate bound as `severity` (a finding that
/// is mitigated, e.g. a public database endpoint restricted by firewall rules, is `info`).
fn lowered_severity(severity: Severity, bindings: &[(String, String)]) -> Severity {
    bindings
        .iter()
        .filter(|(key, _)| key == "severity")
        .filter_map(|(_, value)| {
            serde_json::from_value::<Severity>(Value::String(value.clone())).ok()
        })
        .fold(severity, Severity::min)
}

fn undecided(graph: &Graph, rule: &Rule, subject: ResourceIndex, outcome: Outcome) -> Verdict {
    let evidence = pick_evidence(graph, subject, &outcome.evidence);
    Verdict::Undecided(Undecided {
        rule_id: rule.id.clone(),
        resource: subject,
        reason: outcome
            .unknown_reason
            .unwrap_or_else(|| "a value is not known statically".to_owned()),
        span: graph.get(evidence.resource).span_of(&evidence.pointer),
    })
}

/// The first property `at` selects in the subject, if the source wrote it.
fn written_at(
    graph: &Graph,
    subject: ResourceIndex,
    at: &serde_json_path::JsonPath,
) -> Option<Evidence> {
    let resource = graph.get(subject);
    at.query_located(&resource.body.json())
        .into_iter()
        .map(|node| node.location().to_json_pointer())
        .find(|pointer| resource.span_of(pointer) != resource.origin.span)
        .map(|pointer| Evidence {
            resource: subject,
            pointer,
        })
}

/// The evidence a finding points at: the first that names an attribute the source wrote,
/// else the first, else the resource's declaration.
fn pick_evidence(graph: &Graph, subject: ResourceIndex, evidence: &[Evidence]) -> Evidence {
    let written = |e: &&Evidence| {
        let r = graph.get(e.resource);
        r.span_of(&e.pointer) != r.origin.span
    };
    evidence
        .iter()
        .find(written)
        .or_else(|| evidence.first())
        .cloned()
        .unwrap_or(Evidence {
            resource: subject,
            pointer: String::new(),
        })
}

/// Fills `{key}` placeholders: bindings first, then `name`, `type`, `address`, then a
/// dotted path into the body (`{sku.name}`). `{a|b}` takes the first alternative that
/// resolves (a rule over several types names each type's property); `'text'` is a
/// literal alternative (what to say when no predicate bound the key). Unresolved
/// placeholders stay as written.
pub fn render_message(
    template: &str,
    graph: &Graph,
    subject: ResourceIndex,
    bindings: &[(String, String)],
) -> String {
    let resource = graph.get(subject);
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            rest = &rest[open..];
            break;
        };
        let value = rest[open + 1..open + close].split('|').find_map(|key| {
            bindings
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .or_else(|| {
                    key.strip_prefix('\'')
                        .and_then(|k| k.strip_suffix('\''))
                        .map(str::to_owned)
                })
                .or_else(|| match key {
                    "name" => Some(resource.name.clone()),
                    "type" => Some(resource.kind.to_string()),
                    "address" => Some(resource.origin.address.to_string()),
                    _ => body_path(&resource.body.json(), key),
                })
        });
        match value {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    crate::eval::symbolic::display(&out)
}

fn body_path(body: &Value, dotted: &str) -> Option<String> {
    let value = dotted.split('.').try_fold(body, |v, key| v.get(key))?;
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileId, Origin, Resource, SourceFormat};

    #[test]
    fn message_alternatives_take_the_first_that_resolves() {
        let resource = Resource {
            id: "/r".into(),
            kind: "Microsoft.Sql/servers".into(),
            name: "sql".into(),
            body: serde_json::json!({"properties": {"minimalTlsVersion": "1.1"}}).into(),
            origin: Origin {
                format: SourceFormat::Arm,
                address: "r".into(),
                span: Span::new(FileId(0), 0..1),
            },
            spans: Default::default(),
            lazy_spans: Default::default(),
            unit: Default::default(),
            provenance: Default::default(),
        };
        let graph = Graph::new(vec![resource]);
        let render = |t: &str| render_message(t, &graph, 0, &[]);
        assert_eq!(
            render("{name}: {properties.minimumTlsVersion|properties.minimalTlsVersion}"),
            "sql: 1.1"
        );
        assert_eq!(render("{problem|'no endpoint'}"), "no endpoint");
        assert_eq!(
            render("{properties.nothing|also.nothing}"),
            "{properties.nothing|also.nothing}"
        );
    }
}
