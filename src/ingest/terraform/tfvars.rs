//! Variable values from `terraform.tfvars`, `*.auto.tfvars`, `--var-file` and `--var`,
//! in Terraform's order of precedence (later wins).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;

use super::eval::{evaluate, Scope};
use super::parse::parse_file;
use crate::diagnostic::Diagnostic;
use crate::eval::value::Value;
use crate::model::{FileId, Provenance, ProvenanceKind, Sources, Span};

/// A scope with nothing in it: tfvars values are literals.
struct EmptyScope;

impl Scope for EmptyScope {
    fn resolve(&self, _root: &str, _attrs: &[&str]) -> Option<(Value, usize)> {
        None
    }
}

/// The tfvars files Terraform loads automatically from a root module folder, in order:
/// `terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars(.json)` by name.
/// Whatever has those names is listed; reading decides whether it may be read.
pub fn automatic_files(dir: &Path) -> Vec<PathBuf> {
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json"))
        })
        .collect();
    auto.sort();
    let mut files: Vec<PathBuf> = ["terraform.tfvars", "terraform.tfvars.json"]
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.symlink_metadata().is_ok())
        .collect();
    files.extend(auto);
    files
}

/// Reads one tfvars file (HCL or JSON) into `values`, with where each was set in `origins`.
pub fn load_file(
    sources: &Sources,
    file: FileId,
    values: &mut BTreeMap<String, Value>,
    origins: &mut BTreeMap<String, Provenance>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let source = sources.get(file);
    let mut set_at = |name: &str, span: Option<Span>| {
        let origin = Provenance {
            kind: ProvenanceKind::Tfvars,
            name: format!("var.{name}"),
            span,
        };
        origins.insert(name.to_owned(), origin);
    };
    if source.path.extension().is_some_and(|e| e == "json") {
        match serde_json::from_str::<serde_json::Value>(source.text()) {
            Ok(serde_json::Value::Object(map)) => {
                // The same text again, for spans (only a valid object gets here).
                let doc = crate::ingest::json::parse(sources, file).ok();
                for (k, v) in map {
                    let pointer = format!("/{}", k.replace('~', "~0").replace('/', "~1"));
                    set_at(&k, doc.as_ref().and_then(|d| d.span_of(&pointer)));
                    values.insert(k, Value::from_json(&v));
                }
            }
            Ok(_) => diagnostics.push(Diagnostic::error(
                source.path.clone(),
                None,
                "a .tfvars.json file must hold one object",
            )),
            Err(e) => {
                let offset = source.offset_of(e.line(), e.column());
                diagnostics.push(Diagnostic::error(
                    source.path.clone(),
                    Some(Span::new(file, offset..offset)),
                    format!("JSON syntax error: {e}"),
                ));
            }
        }
        return;
    }
    match parse_file(sources, file) {
        Ok(body) => {
            for attr in body.attributes() {
                set_at(attr.key.as_str(), attr.span().map(|r| Span::new(file, r)));
                values.insert(
                    attr.key.as_str().to_owned(),
                    evaluate(&attr.value, &EmptyScope),
                );
            }
        }
        Err(d) => diagnostics.push(d),
    }
}

/// Reads a `--var name=value` value: HCL lists, objects, numbers and booleans as such,
/// anything else as a string, as Terraform does for primitive-typed variables.
pub fn parse_cli_value(raw: &str) -> Value {
    let trimmed = raw.trim_start();
    let structured = trimmed.starts_with('[') || trimmed.starts_with('{');
    if structured {
        if let Ok(expr) = hcl_edit::parser::parse_expr(raw) {
            return evaluate(&expr, &EmptyScope);
        }
    }
    Value::String(raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_values_are_strings_unless_structured() {
        assert_eq!(parse_cli_value("true"), Value::String("true".into()));
        assert_eq!(
            parse_cli_value("10.0.0.0/16"),
            Value::String("10.0.0.0/16".into())
        );
        assert_eq!(
            parse_cli_value("[\"a\", \"b\"]"),
            Value::List(vec!["a".into(), "b".into()])
        );
    }
}
