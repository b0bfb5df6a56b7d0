//! `moat rules list --format json`: every loaded rule's metadata in one stable shape,
//! `{"rules": [{"id", "title", "severity", "resource_types", "references", "options",
//! "remediation_formats"}]}`. Fields are only ever added.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::engine::{References, Rule};

/// One rule as `rules list --format json` shows it.
#[derive(Debug, Serialize)]
pub struct RuleEntry<'a> {
    /// The rule id.
    pub id: &'a str,
    /// One line saying what is wrong.
    pub title: &'a str,
    /// The default severity (`.moat.yaml` may override it).
    pub severity: &'a str,
    /// The ARM resource types the rule checks.
    pub resource_types: &'a [String],
    /// `azure_policy`, `mcsb`, `cis`, `links`, `checkov`, `trivy`, `kics`: lists, always
    /// all seven.
    pub references: Map<String, Value>,
    /// The options `.moat.yaml` may set (`options.<rule-id>`), with their defaults.
    pub options: Map<String, Value>,
    /// The source formats with a written remediation: `terraform`, `bicep`, `arm`, `live`.
    pub remediation_formats: Vec<&'static str>,
}

/// The options a rule takes: the `args` of every predicate it calls, as the rule file
/// writes them (their defaults).
pub fn options(rule: &Rule) -> Map<String, Value> {
    fn collect(tree: &Value, out: &mut Map<String, Value>) {
        match tree {
            Value::Object(map) => {
                if map.contains_key("predicate") {
                    if let Some(Value::Object(args)) = map.get("args") {
                        out.extend(args.clone());
                    }
                }
                map.values().for_each(|v| collect(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut out = Map::new();
    if let Ok(tree) = serde_norway::from_str::<Value>(&rule.text) {
        for key in ["when", "require"] {
            if let Some(condition) = tree.get(key) {
                collect(condition, &mut out);
            }
        }
    }
    out
}

/// Every reference list under its key, empty ones included (the report formats leave empty
/// peer lists out; this listing keeps one shape).
fn references(refs: &References) -> Map<String, Value> {
    [
        ("azure_policy", &refs.azure_policy),
        ("mcsb", &refs.mcsb),
        ("cis", &refs.cis),
        ("links", &refs.links),
        ("checkov", &refs.checkov),
        ("trivy", &refs.trivy),
        ("kics", &refs.kics),
    ]
    .into_iter()
    .map(|(key, items)| (key.to_owned(), Value::from(items.clone())))
    .collect()
}

/// The entry of one rule.
pub fn entry(rule: &Rule) -> RuleEntry<'_> {
    let remediation_formats = ["terraform", "bicep", "arm", "live"]
        .into_iter()
        .zip(rule.remediation.labelled())
        .filter(|(_, (_, text))| !text.trim().is_empty())
        .map(|(name, _)| name)
        .collect();
    RuleEntry {
        id: &rule.id,
        title: &rule.title,
        severity: rule.severity.as_str(),
        resource_types: &rule.resources,
        references: references(&rule.references),
        options: options(rule),
        remediation_formats,
    }
}

/// The whole list, pretty-printed, ending in a line break.
pub fn render_json(rules: &[Rule]) -> String {
    let entries: Vec<RuleEntry<'_>> = rules.iter().map(entry).collect();
    let mut out = serde_json::to_string_pretty(&serde_json::json!({ "rules": entries }))
        .unwrap_or_else(|_| "{\"rules\": []}".to_owned());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_the_predicate_args_with_their_defaults() {
        let rules = crate::engine::builtin_rules().expect("builtin rules");
        let by_id = |id: &str| rules.iter().find(|r| r.id == id).expect(id);
        let nsg = options(by_id("nsg-open-inbound"));
        assert!(nsg["ports"].as_array().is_some_and(|p| !p.is_empty()));
        let dns = options(by_id("private-endpoint-missing-dns"));
        assert_eq!(dns["dns_managed_by_policy"], Value::Bool(false));
        assert!(options(by_id("keyvault-public-access")).is_empty());
    }
}
