//! `moat model --format json`: the normalized resources moat sees, for debugging rules.

use serde::Serialize;

use super::json::JsonError;
use super::Location;
use crate::eval::symbolic;
use crate::scan::Loaded;

#[derive(Serialize)]
struct JsonResource<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    name: String,
    id: String,
    /// Producers of the parts of the name or id not known statically.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unknown_parts: Vec<String>,
    address: &'a str,
    /// The deployment unit's path relative to the scan root.
    unit: String,
    location: Location,
    body: serde_json::Value,
}

#[derive(Serialize)]
struct ModelReport<'a> {
    resources: Vec<JsonResource<'a>>,
    errors: Vec<JsonError>,
}

/// The model as JSON: `{"resources": [{type, name, address, unit, location, body}],
/// "errors": [...]}`.
pub fn render_json(loaded: &Loaded) -> String {
    let report = ModelReport {
        resources: loaded
            .graph
            .resources()
            .iter()
            .map(|r| JsonResource {
                kind: &r.kind,
                name: symbolic::display(&r.name),
                id: symbolic::display(&r.id),
                unknown_parts: symbolic::unknown_parts(&format!("{} {}", r.id, r.name)),
                address: &r.origin.address,
                unit: loaded.unit_path(r.unit),
                location: Location::of(&loaded.sources, r.origin.span),
                body: symbolic::display_json(&r.body.json()),
            })
            .collect(),
        errors: loaded
            .diagnostics
            .iter()
            .map(|d| JsonError::of(&loaded.sources, d))
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}

/// The model as text: one line per resource, escaped ([`super::escape::text`]).
pub fn render_text(loaded: &Loaded) -> String {
    let mut out = String::new();
    for r in loaded.graph.resources() {
        let at = Location::of(&loaded.sources, r.origin.span);
        let line = format!(
            "{}:{}  {}  {}  ({})",
            at.file,
            at.start_line,
            r.kind,
            symbolic::display(&r.name),
            r.origin.address
        );
        out.push_str(&super::escape::text(&line));
        out.push('\n');
    }
    out
}
