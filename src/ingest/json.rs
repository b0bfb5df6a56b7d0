//! JSON inputs (ARM templates, parameter files, live exports) parsed with comments and
//! trailing commas allowed, as ARM accepts them, keeping the span of every value.

use std::collections::HashMap;

use jsonc_parser::ast::{ObjectPropName, Value as Node};
use jsonc_parser::common::Ranged;
use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;
use crate::model::{FileId, Sources, Span};

/// Nesting deeper than this is refused before parsing: no real template comes close, and
/// the parser recurses.
pub const MAX_DEPTH: usize = 512;

/// JSON pointer → span, hashed with foldhash: a large export has millions of pointers and
/// SipHash dominated reading it.
pub type SpanIndex = HashMap<String, Span, foldhash::fast::RandomState>;

/// A parsed JSON document with the span of every value.
#[derive(Debug)]
pub struct JsonDoc {
    /// The document.
    pub value: Value,
    /// JSON pointer → span; for an object property the span covers `"name": value`.
    pub spans: SpanIndex,
}

impl JsonDoc {
    /// The span of a pointer, or of its closest ancestor that has one.
    pub fn span_of(&self, pointer: &str) -> Option<Span> {
        let mut p = pointer;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(*s);
            }
            p = &p[..p.rfind('/')?];
        }
    }
}

/// Parses a file as JSON with comments; a syntax error is a diagnostic at its position.
pub fn parse(sources: &Sources, file: FileId) -> Result<JsonDoc, Diagnostic> {
    let source = sources.get(file);
    let text: &str = &source.text;
    let error = |offset: usize, message: String| {
        Diagnostic::error(
            source.path.clone(),
            Some(Span::new(file, offset..offset)),
            message,
        )
    };
    if let Some(offset) = too_deep(text) {
        return Err(error(
            offset,
            format!("JSON nested deeper than {MAX_DEPTH} levels; not read"),
        ));
    }
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
        .map_err(|e| error(e.range().start, format!("JSON syntax error: {}", e.kind())))?;
    let Some(root) = parsed.value else {
        return Err(error(0, "empty JSON document".into()));
    };
    let mut spans = SpanIndex::default();
    let mut pointer = String::new();
    let value = convert(&root, file, &mut pointer, &mut spans);
    spans.insert(
        String::new(),
        Span::new(file, root.range().start..root.range().end),
    );
    Ok(JsonDoc { value, spans })
}

fn convert(node: &Node<'_>, file: FileId, pointer: &mut String, spans: &mut SpanIndex) -> Value {
    match node {
        Node::StringLit(s) => Value::String(s.value.to_string()),
        Node::NumberLit(n) => n
            .value
            .parse::<serde_json::Number>()
            .map(Value::Number)
            .or_else(|_| {
                n.value
                    .parse::<f64>()
                    .map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number))
            })
            .unwrap_or(Value::Null),
        Node::BooleanLit(b) => Value::Bool(b.value),
        Node::NullKeyword(_) => Value::Null,
        Node::Array(array) => Value::Array(
            array
                .elements
                .iter()
                .enumerate()
                .map(|(i, element)| {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    let r = element.range();
                    spans.insert(pointer.clone(), Span::new(file, r.start..r.end));
                    let v = convert(element, file, pointer, spans);
                    pointer.truncate(len);
                    v
                })
                .collect(),
        ),
        Node::Object(object) => {
            let mut map = Map::new();
            for prop in &object.properties {
                let name = match &prop.name {
                    ObjectPropName::String(s) => s.value.to_string(),
                    ObjectPropName::Word(w) => w.value.to_owned(),
                };
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&name.replace('~', "~0").replace('/', "~1"));
                spans.insert(
                    pointer.clone(),
                    Span::new(file, prop.range.start..prop.range.end),
                );
                let v = convert(&prop.value, file, pointer, spans);
                pointer.truncate(len);
                map.insert(name, v);
            }
            Value::Object(map)
        }
    }
}

/// The offset where nesting first exceeds [`MAX_DEPTH`], ignoring brackets in strings and comments.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        if let Some(end) = comment_end(bytes, i) {
            i = end;
            continue;
        }
        match bytes[i] {
            b'"' => i = string_end(bytes, i + 1),
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// When a `//` or `/* */` comment starts at `i`: the offset just past it.
pub fn comment_end(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i) != Some(&b'/') {
        return None;
    }
    let rest = bytes.get(i + 2..).unwrap_or_default();
    match bytes.get(i + 1) {
        Some(b'/') => Some(
            rest.iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |p| i + 2 + p),
        ),
        Some(b'*') => Some(
            rest.windows(2)
                .position(|w| w == b"*/")
                .map_or(bytes.len(), |p| i + 4 + p),
        ),
        _ => None,
    }
}

/// The offset of the quote closing a string whose content starts at `start` (or the
/// text's length when it is not closed).
pub fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i.min(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Result<JsonDoc, Diagnostic> {
        let mut sources = Sources::default();
        let file = sources.add("t.json".into(), text.into());
        parse(&sources, file)
    }

    #[test]
    fn keeps_spans_and_accepts_comments() {
        let text = "{\n  // a comment\n  \"a\": {\"b\": [1, \"x\"]},\n}";
        let d = doc(text).unwrap();
        assert_eq!(d.value, serde_json::json!({"a": {"b": [1, "x"]}}));
        let s = d.spans["/a/b/1"];
        assert_eq!(&text[s.start..s.end], "\"x\"");
        let s = d.span_of("/a/b/9").unwrap();
        assert_eq!(&text[s.start..s.end], "\"b\": [1, \"x\"]");
    }

    #[test]
    fn errors_and_deep_nesting_are_diagnostics() {
        let e = doc("{\"a\": }").unwrap_err();
        assert!(e.message.contains("JSON syntax error"), "{}", e.message);
        let deep = "[".repeat(100_000);
        assert!(doc(&deep).unwrap_err().message.contains("nested deeper"));
        assert!(doc("\"[[[[\"").is_ok());
    }
}
