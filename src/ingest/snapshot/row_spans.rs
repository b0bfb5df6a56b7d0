//! The spans of a row's values, computed again from the row's text when a finding asks
//! for one: a tenant's export keeps one small record per row instead of a span per value.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use super::layout::{self, Record};
use crate::ingest::json;
use crate::model::lazy_spans::SpanSource;
use crate::model::{FileId, Span, Text};

/// A row of an export file, read on its own, and the type it was shaped as.
#[derive(Debug)]
pub struct RowSpans {
    /// The file's text (held, or read by ranges).
    pub text: Text,
    /// The file.
    pub file: FileId,
    /// The row's bytes in it.
    pub range: Range<usize>,
    /// The resource type the row was shaped as (the resource's own, shared).
    pub kind: Arc<str>,
}

impl SpanSource for RowSpans {
    fn spans(&self) -> BTreeMap<String, Span> {
        let text = self.text.read(self.range.clone());
        let Some(doc) = json::reparse_row(self.file, &text, self.range.clone()) else {
            return BTreeMap::new();
        };
        let Some(object) = doc.value.as_object() else {
            return BTreeMap::new();
        };
        layout::shape(&doc, "", object, &self.kind, Record::All).spans
    }
}
