//! The rule file format (`rules/<service>/<rule-id>.yaml`) and rule loading.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::condition::{Condition, ConditionSpec};
use crate::model::SourceFormat;

/// How serious a finding is; ordered from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a gate by default.
    Info,
    /// Low risk.
    Low,
    /// Medium risk.
    Medium,
    /// High risk.
    High,
    /// Exposed now.
    Critical,
}

impl Severity {
    /// The lowercase name used in rules, output and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a rule comes from upstream: the controls and policies it maps to.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct References {
    /// Azure Policy definition ids (GUIDs of built-in definitions).
    #[serde(default)]
    pub azure_policy: Vec<String>,
    /// Microsoft cloud security benchmark controls, e.g. `NS-2`.
    #[serde(default)]
    pub mcsb: Vec<String>,
    /// CIS Microsoft Azure Foundations Benchmark controls.
    #[serde(default)]
    pub cis: Vec<String>,
    /// Documentation links.
    #[serde(default)]
    pub links: Vec<String>,
    /// Checkov check ids this rule covers: `#checkov:skip=<id>:<reason>` suppresses it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checkov: Vec<String>,
    /// Trivy check ids (`AVD-AZU-…`) this rule covers: `#trivy:ignore:<id>` suppresses it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trivy: Vec<String>,
    /// KICS query ids (or names) this rule covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kics: Vec<String>,
}

impl References {
    /// The peer scanners' check ids, labelled: `[("Checkov", ids), ("Trivy", ids), ("KICS", ids)]`.
    pub fn peers(&self) -> [(&'static str, &[String]); 3] {
        [
            ("Checkov", &self.checkov),
            ("Trivy", &self.trivy),
            ("KICS", &self.kics),
        ]
    }
}

/// How to fix a finding, per source format. A rule file gives either one text for all
/// formats (`remediation: "…"`) or one per format (`terraform`, `bicep`, `arm`, `live`:
/// the `az` command that fixes the deployed resource).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    /// The Terraform (azurerm) fix.
    #[serde(default)]
    pub terraform: String,
    /// The Bicep fix.
    #[serde(default)]
    pub bicep: String,
    /// The ARM template fix.
    #[serde(default)]
    pub arm: String,
    /// The fix for the live resource: an `az` command.
    #[serde(default)]
    pub live: String,
}

/// The labels of the remediation formats, in display order.
const REMEDIATION_LABELS: [&str; 4] = ["Terraform", "Bicep", "ARM", "Live (az CLI)"];

impl Remediation {
    /// The same text for every format (the older single-string form).
    fn uniform(text: String) -> Remediation {
        Remediation {
            terraform: text.clone(),
            bicep: text.clone(),
            arm: text.clone(),
            live: text,
        }
    }

    /// The fix for findings from sources of this format.
    pub fn for_format(&self, format: SourceFormat) -> &str {
        match format {
            SourceFormat::Terraform => &self.terraform,
            SourceFormat::Bicep => &self.bicep,
            SourceFormat::Arm => &self.arm,
            SourceFormat::Snapshot => &self.live,
        }
    }

    /// Every format's fix, labelled, in display order.
    pub fn labelled(&self) -> [(&'static str, &str); 4] {
        let [t, b, a, l] = REMEDIATION_LABELS;
        [
            (t, &self.terraform),
            (b, &self.bicep),
            (a, &self.arm),
            (l, &self.live),
        ]
    }

    /// Whether every format is the same text (a rule written with one string).
    pub fn is_uniform(&self) -> bool {
        self.terraform == self.bicep && self.bicep == self.arm && self.arm == self.live
    }

    /// Markdown: one `### <format>` section per format, or the text alone when uniform.
    pub fn to_markdown(&self) -> String {
        if self.is_uniform() {
            return self.terraform.trim_end().to_owned();
        }
        self.labelled()
            .iter()
            .map(|(label, text)| format!("### {label}\n{}", text.trim_end()))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// A remediation as written: one string, or one per format.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RemediationSpec {
    One(String),
    PerFormat(Remediation),
}

/// One or several resource types.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    title: String,
    severity: Severity,
    resource: OneOrMany,
    #[serde(default)]
    when: Option<ConditionSpec>,
    require: ConditionSpec,
    #[serde(default)]
    at: Option<String>,
    message: String,
    remediation: RemediationSpec,
    /// Legacy: the live fix as a separate key; folded into `remediation.live`.
    #[serde(default)]
    remediation_az: Option<String>,
    #[serde(default)]
    references: References,
    #[serde(default)]
    sensitive: bool,
    docs: String,
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case id, service first.
    pub id: String,
    /// One line saying what is wrong.
    pub title: String,
    /// Default severity.
    pub severity: Severity,
    /// Resource types the rule applies to.
    pub resources: Vec<String>,
    /// When the rule applies at all (default: always).
    pub when: Option<Condition>,
    /// What must hold; a finding when it does not.
    pub require: Condition,
    /// Message template: `{name}`, `{type}`, `{a.b}` (body path), predicate bindings.
    pub message: String,
    /// How to fix it, per source format. `live` may name `{id}`, `{name}` and
    /// `{resource_group}`: the reports fill them in from the live resource.
    pub remediation: Remediation,
    /// Upstream mappings.
    pub references: References,
    /// Markdown docs: What it does / Why is this bad? / Example / Use instead.
    pub docs: String,
    /// What the rule finds is itself a secret: reports mask the literal at the finding and at
    /// the places its value came from.
    pub sensitive: bool,
    /// Where findings point when the source wrote that property (e.g. `$.identity.type`);
    /// otherwise the evidence of the failed condition decides.
    pub at: Option<serde_json_path::JsonPath>,
    /// The file it was loaded from.
    pub source: PathBuf,
    /// The rule file's text, from which options recompile it.
    pub text: String,
}

/// A rule file that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// Not valid YAML or not the rule schema.
    #[error("{path}: {message}")]
    Invalid {
        /// The rule file.
        path: PathBuf,
        /// What is wrong, with line and column where known.
        message: String,
    },
    /// The file name is not the rule id.
    #[error("{path}: the file name must be the rule id '{id}'")]
    Misnamed {
        /// The rule file.
        path: PathBuf,
        /// The id inside.
        id: String,
    },
    /// The folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The headings every rule's docs must have, in this order.
pub const DOC_HEADINGS: &[&str] = &[
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
];

impl Rule {
    /// Parses and compiles one rule file's text.
    pub fn parse(path: &Path, text: &str) -> Result<Rule, RuleError> {
        let invalid = |message: String| RuleError::Invalid {
            path: path.to_owned(),
            message,
        };
        let spec: RuleSpec = serde_norway::from_str(text).map_err(|e| invalid(e.to_string()))?;
        Rule::compile(path, text, spec)
    }

    /// The rule recompiled with `options` merged into the `args` of every predicate it
    /// calls (`ports` of `nsg-rule-open-inbound`, …). A rule calling no predicate takes no
    /// options; each predicate rejects options it does not know.
    pub fn with_options(
        &self,
        options: &serde_json::Map<String, Value>,
    ) -> Result<Rule, RuleError> {
        let invalid = |message: String| RuleError::Invalid {
            path: self.source.clone(),
            message,
        };
        let mut tree: Value =
            serde_norway::from_str(&self.text).map_err(|e| invalid(e.to_string()))?;
        if !merge_args(&mut tree, options) {
            return Err(invalid(format!("rule '{}' takes no options", self.id)));
        }
        let spec: RuleSpec = serde_json::from_value(tree).map_err(|e| invalid(e.to_string()))?;
        let mut rule = Rule::compile(&self.source, &self.text, spec)?;
        rule.severity = self.severity;
        Ok(rule)
    }

    fn compile(path: &Path, text: &str, spec: RuleSpec) -> Result<Rule, RuleError> {
        let invalid = |message: String| RuleError::Invalid {
            path: path.to_owned(),
            message,
        };
        if path.file_stem().and_then(|s| s.to_str()) != Some(spec.id.as_str()) {
            return Err(RuleError::Misnamed {
                path: path.to_owned(),
                id: spec.id,
            });
        }
        let compile = |c: ConditionSpec| Condition::compile(c).map_err(|e| invalid(e.to_string()));
        Ok(Rule {
            resources: match spec.resource {
                OneOrMany::One(t) => vec![t],
                OneOrMany::Many(ts) => ts,
            },
            when: spec.when.map(compile).transpose()?,
            require: compile(spec.require)?,
            id: spec.id,
            title: spec.title,
            severity: spec.severity,
            message: spec.message,
            remediation: {
                let mut remediation = match spec.remediation {
                    RemediationSpec::One(text) => Remediation::uniform(text),
                    RemediationSpec::PerFormat(r) => r,
                };
                if let Some(live) = spec.remediation_az {
                    remediation.live = live;
                }
                remediation
            },
            references: spec.references,
            sensitive: spec.sensitive,
            docs: spec.docs,
            at: spec
                .at
                .as_deref()
                .map(serde_json_path::JsonPath::parse)
                .transpose()
                .map_err(|e| invalid(format!("invalid JSONPath in at: {e}")))?,
            source: path.to_owned(),
            text: text.to_owned(),
        })
    }
}

/// Merges `options` into the `args` of every predicate call under `tree`; false when there
/// is none.
fn merge_args(tree: &mut Value, options: &serde_json::Map<String, Value>) -> bool {
    match tree {
        Value::Object(map) => {
            let mut found = false;
            if map.contains_key("predicate") {
                let args = map
                    .entry("args")
                    .or_insert_with(|| Value::Object(serde_json::Map::new()));
                if args.is_null() {
                    *args = Value::Object(serde_json::Map::new());
                }
                if let Value::Object(args) = args {
                    for (k, v) in options {
                        args.insert(k.clone(), v.clone());
                    }
                }
                found = true;
            }
            for v in map.values_mut() {
                found |= merge_args(v, options);
            }
            found
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |found, v| merge_args(v, options) | found),
        _ => false,
    }
}

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}

/// The built-in rule pack, compiled.
pub fn builtin_rules() -> Result<Vec<Rule>, RuleError> {
    builtin::BUILTIN_RULES
        .iter()
        .map(|(path, text)| Rule::parse(Path::new(path), text))
        .collect()
}

/// Loads every `*.yaml` rule under a folder (users' own rule packs).
pub fn load_dir(dir: &Path) -> Result<Vec<Rule>, RuleError> {
    let mut rules = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| RuleError::Io {
            path: dir.to_owned(),
            source: e.into(),
        })?;
        let path = entry.path();
        if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            continue;
        }
        let text = std::fs::read_to_string(path).map_err(|source| RuleError::Io {
            path: path.to_owned(),
            source,
        })?;
        rules.push(Rule::parse(path, &text)?);
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_rule_compiles() {
        // Completeness (headings, references, remediation, fixtures) is checked in
        // tests/rules.rs, beside the fixtures.
        let rules = builtin_rules().expect("built-in rules compile");
        assert!(rules.len() >= 10);
    }

    #[test]
    fn a_legacy_remediation_az_becomes_the_live_remediation() {
        let text = "id: x\ntitle: t\nseverity: low\nresource: T\nrequire: {path: $.a, equals: 1}\nmessage: m\nremediation: r\nremediation_az: az x --ids {id}\ndocs: d\n";
        let rule = Rule::parse(Path::new("x.yaml"), text).expect("legacy rule");
        assert_eq!(rule.remediation.live, "az x --ids {id}");
        assert_eq!(rule.remediation.terraform, "r");
    }

    #[test]
    fn misnamed_and_malformed_rules_are_rejected() {
        let text = "id: x\ntitle: t\nseverity: low\nresource: T\nrequire: {path: $.a, equals: 1}\nmessage: m\nremediation: r\ndocs: d\n";
        assert!(matches!(
            Rule::parse(Path::new("y.yaml"), text),
            Err(RuleError::Misnamed { .. })
        ));
        assert!(Rule::parse(Path::new("x.yaml"), text).is_ok());
        let bad = text.replace("severity: low", "severity: huge");
        assert!(matches!(
            Rule::parse(Path::new("x.yaml"), &bad),
            Err(RuleError::Invalid { .. })
        ));
        let per_format = text.replace(
            "remediation: r",
            "remediation: {terraform: t, bicep: b, arm: a, live: az x}",
        );
        let rule = Rule::parse(Path::new("x.yaml"), &per_format).expect("per-format remediation");
        assert_eq!(rule.remediation.for_format(SourceFormat::Snapshot), "az x");
        assert_eq!(rule.remediation.for_format(SourceFormat::Bicep), "b");
        assert!(!rule.remediation.is_uniform());
        let typo = text.replace("remediation: r", "remediation: {terraform: t, bicpe: b}");
        assert!(Rule::parse(Path::new("x.yaml"), &typo).is_err());
        let bad_path = text.replace("$.a", "$[?");
        assert!(Rule::parse(Path::new("x.yaml"), &bad_path).is_err());
    }
}
