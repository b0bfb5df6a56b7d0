//! Parameter files: which one belongs to a template, and the values it supplies.

use std::path::{Path, PathBuf};

use crate::eval::value::Value;
use crate::ingest::json::JsonDoc;
use crate::model::{Provenance, ProvenanceKind};

/// A parameter value given to a template from outside (a parameter file, `--parameters`,
/// a nested deployment), with where it was set, nearest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Given {
    /// The parameter's name.
    pub name: String,
    /// Its value.
    pub value: Value,
    /// Where it was set.
    pub origins: Vec<Provenance>,
}

/// The parameter files that belong to a template by name, in the order they apply:
/// `<name>.parameters.json` (and `.jsonc`) beside `<name>.json`; this covers
/// `azuredeploy.parameters.json` beside `azuredeploy.json`.
pub fn companions(template: &Path) -> Vec<PathBuf> {
    let Some(stem) = template.file_stem().and_then(|s| s.to_str()) else {
        return Vec::new();
    };
    ["json", "jsonc"]
        .iter()
        .map(|ext| template.with_file_name(format!("{stem}.parameters.{ext}")))
        .collect()
}

/// The values a parameter file (`{"parameters": {"p": {"value": …}}}`) supplies, each set
/// at its entry; a Key Vault `reference` is a secret known only at deployment, so unknown.
/// `None` when the document has no `parameters` object.
pub fn values(doc: &JsonDoc) -> Option<Vec<Given>> {
    let params = doc.value.get("parameters")?.as_object()?;
    Some(
        params
            .iter()
            .filter_map(|(name, entry)| {
                let value = match entry.get("value") {
                    Some(v) => Value::from_json(v),
                    None if entry.get("reference").is_some() => Value::Unknown,
                    None => return None,
                };
                let pointer = format!("/parameters/{}", super::scope::escape(name));
                let origins = doc
                    .span_of(&pointer)
                    .map(|span| Provenance::at(ProvenanceKind::ParameterFile, name, span))
                    .into_iter()
                    .collect();
                Some(Given {
                    name: name.clone(),
                    value,
                    origins,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companion_names() {
        assert_eq!(
            companions(Path::new("a/azuredeploy.json")),
            vec![
                PathBuf::from("a/azuredeploy.parameters.json"),
                PathBuf::from("a/azuredeploy.parameters.jsonc")
            ]
        );
    }

    fn doc(text: &str) -> JsonDoc {
        let mut sources = crate::model::Sources::default();
        let file = sources.add("p.parameters.json".into(), text.into());
        crate::ingest::json::parse(&sources, file).expect("parses")
    }

    #[test]
    fn reads_values_and_references_where_they_are_set() {
        let text = r#"{"parameters": {
            "a": {"value": "x"},
            "s": {"reference": {"keyVault": {"id": "/k"}, "secretName": "p"}},
            "odd": 3
        }}"#;
        let given = values(&doc(text)).unwrap();
        let named: Vec<(&str, &Value)> =
            given.iter().map(|g| (g.name.as_str(), &g.value)).collect();
        assert_eq!(named, [("a", &Value::from("x")), ("s", &Value::Unknown)]);
        let a = given[0].origins[0].span.expect("a span");
        assert_eq!(&text[a.start..a.end], r#""a": {"value": "x"}"#);
        assert_eq!(given[0].origins[0].kind, ProvenanceKind::ParameterFile);
        assert!(values(&doc("{}")).is_none());
    }
}
