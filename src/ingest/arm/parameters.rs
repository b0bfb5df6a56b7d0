//! Parameter files: which one belongs to a template, and the values it supplies.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::eval::value::Value;

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

/// The values a parameter file (`{"parameters": {"p": {"value": …}}}`) supplies; a Key
/// Vault `reference` is a secret known only at deployment, so unknown. `None` when the
/// document has no `parameters` object.
pub fn values(doc: &Json) -> Option<Vec<(String, Value)>> {
    let params = doc.get("parameters")?.as_object()?;
    Some(
        params
            .iter()
            .filter_map(|(name, entry)| {
                let value = match entry.get("value") {
                    Some(v) => Value::from_json(v),
                    None if entry.get("reference").is_some() => Value::Unknown,
                    None => return None,
                };
                Some((name.clone(), value))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

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

    #[test]
    fn reads_values_and_references() {
        let doc = json!({"parameters": {
            "a": {"value": "x"},
            "s": {"reference": {"keyVault": {"id": "/k"}, "secretName": "p"}},
            "odd": 3
        }});
        assert_eq!(
            values(&doc).unwrap(),
            vec![
                ("a".to_owned(), Value::from("x")),
                ("s".to_owned(), Value::Unknown)
            ]
        );
        assert!(values(&json!({})).is_none());
    }
}
