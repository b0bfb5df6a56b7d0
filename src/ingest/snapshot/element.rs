//! One exported element → one canonical resource.

use serde_json::{Map, Value};

use std::ops::Range;
use std::sync::Arc;

use super::kind;
use super::layout::{self, Record};
use super::row_spans::RowSpans;
use crate::eval::value::UNKNOWN_MARKER;
use crate::ingest::json::JsonDoc;
use crate::model::defaults::fill_defaults;
use crate::model::lazy_spans::LazySpans;
use crate::model::{id, intern, FileId, Origin, Resource, SourceFormat, Span, Text, UnitId};

/// What an element of an export is.
pub enum Read {
    /// A resource, and whether the export left its properties out.
    Resource(Box<Resource>, bool),
    /// Something that looks like a resource but cannot be read, and why.
    Problem(String),
    /// An object with a resource type but no id (a Resource Graph query that projected
    /// the id away): nothing to key it by.
    NoId,
    /// Anything else (a subscription, a count, a non-resource object): skipped silently.
    NotAResource,
}

/// Where a row read on its own lies: its spans are computed again from there when asked
/// for, not kept.
pub struct Row {
    /// The file's text.
    pub text: Text,
    /// The row's bytes in it.
    pub range: Range<usize>,
}

/// Reads the element at `pointer` in `doc`; `row` when `doc` is a row of its own.
pub fn read(doc: &JsonDoc, file: FileId, pointer: &str, value: &Value, row: Option<Row>) -> Read {
    let Some(object) = value.as_object() else {
        return Read::NotAResource;
    };
    let Some(written_id) = object.get("id").and_then(Value::as_str) else {
        return if object.get("id").is_none() && has_resource_type(object) {
            Read::NoId
        } else {
            Read::NotAResource
        };
    };
    let resource_id = written_id.trim().trim_end_matches('/');
    let Some(parsed) = id::parse(resource_id) else {
        return if looks_like_resource(object, resource_id) {
            Read::Problem(format!(
                "'{written_id}' is not an ARM resource id (…/providers/Namespace/type/name); the element is skipped"
            ))
        } else {
            Read::NotAResource
        };
    };
    let kind = intern::kind(&kind::resolve(
        &parsed.kind,
        object.get("type").and_then(Value::as_str),
    ));
    let record = if row.is_some() {
        Record::Items
    } else {
        Record::All
    };
    let shaped = layout::shape(doc, pointer, object, &kind, record);
    let lazy_spans = row.map_or_else(LazySpans::default, |row| {
        LazySpans::new(Arc::new(RowSpans {
            text: row.text,
            file,
            range: row.range,
            kind: Arc::clone(&kind),
        }))
    });
    let mut body = shaped.body;
    if let Some(map) = body.as_object_mut() {
        if shaped.properties_missing {
            // Not "no properties" but "not exported": every setting is unknown.
            map.insert("properties".into(), Value::String(UNKNOWN_MARKER.into()));
        }
        map.insert("type".into(), Value::String(kind.to_string()));
        if !map.get("name").is_some_and(Value::is_string) {
            map.insert("name".into(), id::last_name(resource_id).into());
        }
    }
    let span = doc
        .span_of(&format!("{pointer}/id"))
        .unwrap_or_else(|| Span::new(file, 0..0));
    // A live resource's address is its id: one allocation for both.
    let resource_id: Arc<str> = resource_id.into();
    let mut resource = Resource {
        id: Arc::clone(&resource_id),
        kind,
        name: parsed.name,
        body: body.into(),
        origin: Origin {
            format: SourceFormat::Snapshot,
            address: resource_id,
            span,
        },
        spans: shaped.spans,
        lazy_spans,
        unit: UnitId::default(),
        provenance: Default::default(),
    };
    if shaped.has_properties {
        fill_defaults(&mut resource);
    }
    // A tenant's rows are held until the graph is built: packed from the start.
    resource.body.pack();
    Read::Resource(Box::new(resource), shaped.properties_missing)
}

/// Whether an object whose id does not parse was meant as a resource: its id has the
/// form of an ARM id, or it has a resource type or properties. A subscription
/// (`/subscriptions/{id}`, as Resource Graph lists them) is not a resource moat models.
fn looks_like_resource(object: &Map<String, Value>, resource_id: &str) -> bool {
    let segments: Vec<&str> = resource_id.split('/').filter(|s| !s.is_empty()).collect();
    if let [first, _] = segments.as_slice() {
        if first.eq_ignore_ascii_case("subscriptions") {
            return false;
        }
    }
    let lower = resource_id.to_ascii_lowercase();
    lower.starts_with("/subscriptions/")
        || lower.starts_with("/providers/")
        || has_resource_type(object)
        || object.get("properties").is_some_and(Value::is_object)
}

/// Whether the object has a `type` of the form `Namespace/type`.
fn has_resource_type(object: &Map<String, Value>) -> bool {
    object
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.contains('/'))
}
