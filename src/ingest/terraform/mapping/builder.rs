//! Builds a canonical resource body from a Terraform instance, keeping the span of every
//! attribute that produced a property; omitted attributes get the provider's default and
//! the declaration's span.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value as Json};

use super::super::instance::Instance;
use crate::eval::value::{Value, UNKNOWN_MARKER};
use crate::model::{id, Origin, Resource, SourceFormat, Span, UnitId};

/// Turns a Terraform value into the JSON a property holds.
pub type Conversion = fn(&Value) -> Json;

/// The value as JSON, unchanged.
pub fn same(v: &Value) -> Json {
    v.to_json()
}

/// Numbers as strings, also inside a list: what Terraform does for a string-typed argument
/// written as a number (`destination_port_range = 22`, a `list(number)` of ports).
pub fn as_text(v: &Value) -> Json {
    match v {
        Value::Number(_) => v
            .to_template_string()
            .map_or_else(|| v.to_json(), Json::from),
        Value::List(items) => Json::Array(items.iter().map(as_text).collect()),
        _ => v.to_json(),
    }
}

/// `true` → `"Enabled"`, `false` → `"Disabled"`.
pub fn enabled(v: &Value) -> Json {
    match v.as_bool() {
        Some(true) => json!("Enabled"),
        Some(false) => json!("Disabled"),
        None => v.to_json(),
    }
}

/// `true` → `false` and back (`local_auth_enabled` → `disableLocalAuth`).
pub fn negated(v: &Value) -> Json {
    v.as_bool().map_or_else(|| v.to_json(), |b| json!(!b))
}

/// A list joined with commas (`bypass = ["AzureServices", "Logging"]`).
pub fn comma_list(v: &Value) -> Json {
    match v.as_list() {
        Some(items) if items.iter().any(Value::is_unknown) => json!(UNKNOWN_MARKER),
        Some(items) => json!(items
            .iter()
            .filter_map(Value::to_template_string)
            .collect::<Vec<_>>()
            .join(", ")),
        None => v.to_json(),
    }
}

/// Builds one resource's body.
pub struct Builder<'a> {
    inst: &'a Instance,
    body: Json,
    spans: BTreeMap<String, Span>,
}

impl<'a> Builder<'a> {
    /// Starts a body for `inst`.
    pub fn new(inst: &'a Instance) -> Builder<'a> {
        Builder {
            inst,
            body: Json::Object(Map::new()),
            spans: BTreeMap::new(),
        }
    }

    /// The instance being mapped.
    pub fn inst(&self) -> &'a Instance {
        self.inst
    }

    /// Sets a property (creating the objects and arrays on the way) with the span that
    /// produced it. Numeric segments index arrays.
    pub fn set(&mut self, pointer: &str, value: Json, span: Span) {
        let parts: Vec<String> = pointer
            .split('/')
            .skip(1)
            .map(|p| p.replace("~1", "/").replace("~0", "~"))
            .collect();
        insert_at(&mut self.body, &parts, value);
        self.spans.insert(pointer.to_owned(), span);
    }

    /// Records the span of a pointer whose value was built piecewise (a block).
    pub fn set_span(&mut self, pointer: &str, span: Span) {
        self.spans.insert(pointer.to_owned(), span);
    }

    /// Maps the first of `attrs` that is set; returns whether one was.
    pub fn attr(&mut self, attrs: &[&str], pointer: &str, conversion: Conversion) -> bool {
        for attr in attrs {
            if let Some(v) = self.inst.get(attr) {
                let span = self.inst.span(attr);
                self.set(pointer, conversion(v), span);
                return true;
            }
        }
        false
    }

    /// Maps the first of `attrs` that is set, keeping its value only when the source writes
    /// it as a plain string literal: a secret passed in by a variable, a reference or a
    /// function is not in the source, so the property becomes unknown.
    pub fn secret(&mut self, attrs: &[&str], pointer: &str) -> bool {
        for attr in attrs {
            if let Some(v) = self.inst.get(attr) {
                let value = if self.inst.literals.contains(*attr) {
                    v.to_json()
                } else {
                    json!(UNKNOWN_MARKER)
                };
                self.set(pointer, value, self.inst.span(attr));
                return true;
            }
        }
        false
    }

    /// Maps the first of `attrs` that is set, else sets the provider's default.
    pub fn attr_or(
        &mut self,
        attrs: &[&str],
        pointer: &str,
        conversion: Conversion,
        default: Json,
    ) {
        if !self.attr(attrs, pointer, conversion) {
            let head = self.inst.head;
            self.set(pointer, default, head);
        }
    }

    /// Maps `public_network_access_enabled` to `publicNetworkAccess`; omitted, it is
    /// `Enabled`, the provider's default on every resource that has the argument.
    pub fn public_network_access(&mut self) {
        self.attr_or(
            &["public_network_access_enabled"],
            "/properties/publicNetworkAccess",
            enabled,
            json!("Enabled"),
        );
    }

    /// Maps `name`, `location` and `tags`, the arguments every resource has.
    pub fn common(&mut self) {
        self.attr(&["location"], "/location", same);
        self.attr(&["tags"], "/tags", same);
    }

    /// The body and spans built so far, for a patch to another resource.
    pub fn into_parts(self) -> (Json, BTreeMap<String, Span>) {
        (self.body, self.spans)
    }

    /// Finishes the body as a resource of `kind` named `name` (full, `parent/child`).
    pub fn finish(mut self, kind: &str, name: &str, resource_id: String) -> Resource {
        let head = self.inst.head;
        self.set("/id", json!(resource_id), head);
        self.set("/name", json!(id::last_name(name)), self.inst.span("name"));
        self.set("/type", json!(kind), head);
        Resource {
            id: resource_id.into(),
            kind: crate::model::intern::kind(kind),
            name: name.to_owned(),
            body: self.body.into(),
            origin: Origin {
                format: SourceFormat::Terraform,
                address: self.inst.address.as_str().into(),
                span: head,
            },
            provenance: self.inst.provenance(&self.spans),
            spans: self.spans,
            lazy_spans: Default::default(),
            unit: UnitId::default(),
        }
    }
}

fn insert_at(target: &mut Json, parts: &[String], value: Json) {
    let Some((first, rest)) = parts.split_first() else {
        *target = value;
        return;
    };
    let next_is_index = rest.first().is_some_and(|p| p.parse::<usize>().is_ok());
    let container = || {
        if next_is_index {
            Json::Array(Vec::new())
        } else {
            Json::Object(Map::new())
        }
    };
    let slot = match target {
        Json::Array(items) => {
            let Ok(i) = first.parse::<usize>() else {
                return;
            };
            if items.len() <= i {
                items.resize(i + 1, Json::Null);
            }
            &mut items[i]
        }
        Json::Object(map) => map.entry(first.clone()).or_insert(Json::Null),
        other => {
            *other = Json::Object(Map::new());
            return insert_at(other, parts, value);
        }
    };
    if !(rest.is_empty() || slot.is_object() || slot.is_array()) {
        *slot = container();
    }
    insert_at(slot, rest, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_text_as_terraform_converts_them() {
        assert_eq!(as_text(&Value::Number(22.0)), json!("22"));
        let ports = Value::List(vec![Value::Number(3389.0), Value::String("443".into())]);
        assert_eq!(as_text(&ports), json!(["3389", "443"]));
        assert_eq!(as_text(&Value::Bool(true)), json!(true));
    }

    #[test]
    fn numeric_segments_build_arrays() {
        let mut body = Json::Object(Map::new());
        insert_at(&mut body, &["a".into(), "0".into(), "b".into()], json!(1));
        insert_at(&mut body, &["a".into(), "1".into(), "b".into()], json!(2));
        insert_at(&mut body, &["c".into()], json!("x"));
        assert_eq!(body, json!({"a": [{"b": 1}, {"b": 2}], "c": "x"}));
    }
}
