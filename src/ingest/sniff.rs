//! What a JSON file that does not parse was meant to be, judged from its name and raw
//! text in one cheap pass: an input moat reads (its syntax error is then an error: a gate
//! must not pass what it could not read) or plainly not one (a warning).

use std::path::Path;

use super::json::{comment_end, string_end};

/// Why a file is an input moat reads, for the error message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// Named on the command line.
    Named,
    /// Its name is an ARM template's or parameter file's.
    ArmName,
    /// Its text names an ARM template or parameter `$schema`.
    ArmSchema,
    /// A live export: a top-level `data` / `value` array or a property whose value is an
    /// ARM id (`"id": "/subscriptions/…"`).
    Export,
    /// A Terraform plan: `format_version` with `planned_values` or `resource_changes`.
    Plan,
}

impl Marker {
    /// What the file was taken for, e.g. "an ARM template or parameter file (by its name)".
    pub fn describe(self) -> &'static str {
        match self {
            Marker::Named => "a file named on the command line",
            Marker::ArmName => "an ARM template or parameter file (by its name)",
            Marker::ArmSchema => "an ARM template or parameter file (by its $schema)",
            Marker::Export => "a live export (by its data/value array or /subscriptions/ ids)",
            Marker::Plan => "a Terraform plan (by its format_version)",
        }
    }
}

/// Whether `path` names an ARM template or parameter file: `azuredeploy*.json`,
/// `mainTemplate.json`, `*.parameters*.json`, `*.deploymentTemplate.json`.
pub fn is_arm_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    let Some(stem) = name
        .strip_suffix(".json")
        .or_else(|| name.strip_suffix(".jsonc"))
    else {
        return false;
    };
    stem.starts_with("azuredeploy")
        || stem == "maintemplate"
        || stem.ends_with(".deploymenttemplate")
        || stem.contains(".parameters")
}

/// The first reason the file is an input moat reads, or `None` when it is plainly not one.
pub fn input_marker(path: &Path, text: &str, named: bool) -> Option<Marker> {
    if named {
        return Some(Marker::Named);
    }
    if is_arm_name(path) {
        return Some(Marker::ArmName);
    }
    let bytes = text.as_bytes();
    if contains_ignore_case(bytes, b"deploymenttemplate.json")
        || contains_ignore_case(bytes, b"deploymentparameters.json")
    {
        return Some(Marker::ArmSchema);
    }
    if contains_ignore_case(bytes, b"\"format_version\"")
        && (contains_ignore_case(bytes, b"\"planned_values\"")
            || contains_ignore_case(bytes, b"\"resource_changes\""))
    {
        return Some(Marker::Plan);
    }
    looks_like_export(bytes).then_some(Marker::Export)
}

/// Case-insensitive (ASCII) substring search; `needle` is lower case.
fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// One pass over the raw text, strings and comments skipped: a key `data` or `value` at
/// depth 1 whose value opens an array, or any property whose string value starts with
/// `/subscriptions/` (an ARM id: `id`, `managedBy`, `scope`, …).
fn looks_like_export(bytes: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(end) = comment_end(&mut { bytes }, i) {
            i = end;
            continue;
        }
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i = string_end(&mut { bytes }, start);
                let key = &bytes[start..i.min(bytes.len())];
                let after = skip_space(bytes, i + 1);
                if bytes.get(after) == Some(&b':') {
                    let value = skip_space(bytes, after + 1);
                    let rest = &bytes[value.min(bytes.len())..];
                    let is_list_key = key == b"data" || key == b"value";
                    if depth == 1 && is_list_key && rest.first() == Some(&b'[') {
                        return true;
                    }
                    if rest.len() > 15 && rest[..15].eq_ignore_ascii_case(b"\"/subscriptions") {
                        return true;
                    }
                }
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(name: &str, text: &str) -> Option<Marker> {
        input_marker(Path::new(name), text, false)
    }

    #[test]
    fn names_mark_arm_files() {
        for name in [
            "azuredeploy.json",
            "AzureDeploy.Parameters.json",
            "mainTemplate.json",
            "dev.parameters.json",
            "app.parameters.prod.json",
            "x/site.deploymentTemplate.json",
        ] {
            assert_eq!(marker(name, "{"), Some(Marker::ArmName), "{name}");
        }
        assert_eq!(marker("data.json", "{"), None);
        assert_eq!(marker("package.json", "{\"name\": ["), None);
    }

    #[test]
    fn content_marks_schemas_plans_and_exports() {
        let late_schema = format!(
            "{{\"x\": \"{}\", \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\"",
            "a".repeat(10_000)
        );
        assert_eq!(marker("t.json", &late_schema), Some(Marker::ArmSchema));
        assert_eq!(
            marker(
                "p.json",
                "{\"format_version\": \"1.2\", \"resource_changes\": ["
            ),
            Some(Marker::Plan)
        );
        assert_eq!(
            marker("e.json", "{\"count\": 3, \"data\" : [ {\"name\""),
            Some(Marker::Export)
        );
        assert_eq!(marker("e.json", "{\"value\":[{"), Some(Marker::Export));
        assert_eq!(
            marker("e.json", "[{\"name\": \"a\", \"ID\": \"/Subscriptions/0000"),
            Some(Marker::Export)
        );
        assert_eq!(
            marker(
                "e.json",
                "[{\"kind\": \"x\", \"managedBy\" : \"/subscriptions/0"
            ),
            Some(Marker::Export)
        );
        assert_eq!(
            input_marker(Path::new("x.json"), "{", true),
            Some(Marker::Named)
        );
    }

    #[test]
    fn plain_data_is_not_an_input() {
        // A nested `data` array, ids that are not ARM ids, keys inside strings and comments.
        for text in [
            "{\"a\": {\"data\": [1, 2]}, \"id\": \"abc\"",
            "{\"s\": \"\\\"data\\\": [\", // \"value\": [\n \"t\": 1",
            "{\"dependencies\": {\"x\": \"1\"}",
        ] {
            assert_eq!(marker("data.json", text), None, "{text}");
        }
    }
}
