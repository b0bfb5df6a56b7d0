//! JSON inputs (ARM templates, parameter files, live exports) parsed with comments and
//! trailing commas allowed, as ARM accepts them, keeping the span of every value.

use jsonc_parser::ast::{ObjectPropName, Value as Node};
use jsonc_parser::common::Ranged;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::model::pointer::push_token;
use crate::model::{FileId, Sources, Span, Text};

/// Nesting deeper than this is refused before parsing: no real template comes close, and
/// the parser recurses.
pub const MAX_DEPTH: usize = 512;

/// JSON pointer → span, hashed with foldhash: a large export has millions of pointers and
/// SipHash dominated reading it.
pub type SpanIndex = HashMap<String, Span, foldhash::fast::RandomState>;

/// A parsed JSON document with the span of every value.
#[derive(Debug)]
pub struct JsonDoc {
    /// The document; when [`JsonDoc::rows`] is set, its list is left empty.
    pub value: Value,
    /// JSON pointer → span; for an object property the span covers `"name": value`.
    pub spans: SpanIndex,
    /// The rows of an export-shaped file, not parsed yet ([`parse_input`]).
    pub rows: Option<Rows>,
}

/// The elements of a file's top-level list (an array, or a `data` / `value` array),
/// left unparsed: each is parsed on its own with [`parse_row`] when it is read.
#[derive(Debug)]
pub struct Rows {
    /// The list's pointer: `""`, `"/data"` or `"/value"`.
    pub pointer: &'static str,
    /// The file's text (held, or read by ranges).
    pub text: Text,
    /// Each element's byte range.
    pub ranges: Vec<Range<usize>>,
}

/// How offsets in the text that was parsed map to offsets in the file: the text starts
/// at `base`, and from `gap_at` on (where a list was cut out) `gap` bytes more.
#[derive(Clone, Copy)]
struct Shift {
    base: usize,
    gap_at: usize,
    gap: usize,
}

impl Shift {
    const NONE: Shift = Shift {
        base: 0,
        gap_at: usize::MAX,
        gap: 0,
    };

    fn span(self, file: FileId, range: Range<usize>) -> Span {
        let at = |o: usize| self.base + o + if o >= self.gap_at { self.gap } else { 0 };
        Span::new(file, at(range.start)..at(range.end))
    }
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
    parse_text(sources, file, source.text(), Shift::NONE)
}

/// Parses an input file like [`parse`], except that the elements of an export-shaped
/// file's top-level list (see [`super::json_split`]) are left unparsed in
/// [`JsonDoc::rows`]: a tenant's export is read row by row, never as one tree (and a big
/// one is never held in memory). Files of any other shape (templates, plans) are parsed
/// whole.
pub fn parse_input(sources: &Sources, file: FileId) -> Result<JsonDoc, Diagnostic> {
    let text = sources.get(file).content();
    let split = match text {
        Text::Held(text) => super::json_split::split(text),
        Text::Big(big) => super::json_split::split_big(big),
    };
    let Some(split) = split else {
        return parse(sources, file);
    };
    let (start, end) = (split.list.start, split.list.end);
    let envelope = format!("{}[]{}", text.read(0..start), text.read(end..text.len()));
    let shift = Shift {
        base: 0,
        gap_at: start + 2,
        gap: end - start - 2,
    };
    let mut doc = parse_text(sources, file, &envelope, shift)?;
    if reserved(&doc.value) {
        return parse(sources, file);
    }
    doc.rows = Some(Rows {
        pointer: split.pointer,
        text: text.clone(),
        ranges: split.rows,
    });
    Ok(doc)
}

/// Whether an envelope carries what only templates and plans have (`$schema`,
/// `format_version`): those are parsed whole, as their readers expect.
fn reserved(envelope: &Value) -> bool {
    envelope
        .as_object()
        .is_some_and(|m| m.contains_key("$schema") || m.contains_key("format_version"))
}

/// Parses one row of [`Rows`], `text` lying at `range` in its file: its pointers start
/// at the row (`""` is the row itself) and its spans are offsets in the file. Only the
/// spans of the row's keys and of the items of its lists (and of its properties' lists)
/// are kept: a finding asks for the rest with [`reparse_row`]. Strict JSON (an export as
/// Azure writes it) is read by serde_json; a row it refuses (comments, trailing commas,
/// an error) is read as before, with the same diagnostics.
pub fn parse_row(
    sources: &Sources,
    file: FileId,
    text: &str,
    range: Range<usize>,
) -> Result<JsonDoc, Diagnostic> {
    let shift = Shift {
        base: range.start,
        ..Shift::NONE
    };
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        if let Some(spans) = shallow_spans(file, text, shift) {
            return Ok(JsonDoc {
                value,
                spans,
                rows: None,
            });
        }
    }
    convert_text(file, text, shift, Keep::Shallow).map_err(|e| parse_error(sources, file, shift, e))
}

/// The value of a row's text, `None` when it does not parse.
pub fn row_value(text: &str) -> Option<Value> {
    serde_json::from_str(text)
        .ok()
        .or_else(|| jsonc_parser::parse_to_serde_value(text, &Default::default()).ok())
}

/// The spans a shallow parse ([`Keep::Shallow`]) records, for strict JSON `text`: found
/// by walking its bytes without building anything.
fn shallow_spans(file: FileId, text: &str, shift: Shift) -> Option<SpanIndex> {
    let mut walk = Shallow {
        text,
        file,
        shift,
        spans: SpanIndex::default(),
        pointer: String::new(),
    };
    let end = walk.value(0, 0)?;
    let mut spans = walk.spans;
    spans.insert(String::new(), shift.span(file, 0..end));
    Some(spans)
}

/// A walk over strict JSON recording what [`Converter`] records in a shallow parse: the
/// properties one level down, the items of lists up to three levels down.
struct Shallow<'a> {
    text: &'a str,
    file: FileId,
    shift: Shift,
    spans: SpanIndex,
    pointer: String,
}

impl Shallow<'_> {
    fn blank(&self, mut i: usize) -> usize {
        let bytes = self.text.as_bytes();
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    }

    fn record(&mut self, range: Range<usize>) {
        let span = self.shift.span(self.file, range);
        self.spans.insert(self.pointer.clone(), span);
    }

    /// The end of the value at `i`, whose pointer has `depth` segments.
    fn value(&mut self, i: usize, depth: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        match bytes.get(i)? {
            b'{' if depth < 3 => self.object(i, depth),
            b'[' if depth < 3 => self.array(i, depth),
            _ => super::json_split::value_end(&mut { bytes }, i, 0),
        }
    }

    fn object(&mut self, open: usize, depth: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut i = self.blank(open + 1);
        if bytes.get(i) == Some(&b'}') {
            return Some(i + 1);
        }
        loop {
            let key_end = string_end(&mut { bytes }, i + 1);
            let raw = self.text.get(i + 1..key_end)?;
            let name = if raw.contains('\\') {
                serde_json::from_str::<String>(self.text.get(i..=key_end)?).ok()?
            } else {
                raw.to_owned()
            };
            let colon = self.blank(key_end + 1);
            let start = self.blank(colon + 1);
            let len = self.pointer.len();
            push_token(&mut self.pointer, &name);
            let end = self.value(start, depth + 1)?;
            if depth < 1 {
                self.record(i..end);
            }
            self.pointer.truncate(len);
            i = self.blank(end);
            match bytes.get(i)? {
                b',' => i = self.blank(i + 1),
                b'}' => return Some(i + 1),
                _ => return None,
            }
        }
    }

    fn array(&mut self, open: usize, depth: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut i = self.blank(open + 1);
        if bytes.get(i) == Some(&b']') {
            return Some(i + 1);
        }
        for n in 0.. {
            let len = self.pointer.len();
            self.pointer.push('/');
            self.pointer.push_str(&n.to_string());
            let end = self.value(i, depth + 1)?;
            self.record(i..end);
            self.pointer.truncate(len);
            i = self.blank(end);
            match bytes.get(i)? {
                b',' => i = self.blank(i + 1),
                b']' => return Some(i + 1),
                _ => return None,
            }
        }
        None
    }
}

fn parse_text(
    sources: &Sources,
    file: FileId,
    text: &str,
    shift: Shift,
) -> Result<JsonDoc, Diagnostic> {
    convert_text(file, text, shift, Keep::All).map_err(|e| parse_error(sources, file, shift, e))
}

/// The diagnostic for what [`convert_text`] could not read.
fn parse_error(
    sources: &Sources,
    file: FileId,
    shift: Shift,
    (offset, message): (usize, String),
) -> Diagnostic {
    Diagnostic::error(
        sources.path(file).to_path_buf(),
        Some(shift.span(file, offset..offset)),
        message,
    )
}

/// Parses a row's text again, keeping every span (`range` is where it lies in its file):
/// `None` if it does not parse.
pub fn reparse_row(file: FileId, text: &str, range: Range<usize>) -> Option<JsonDoc> {
    let shift = Shift {
        base: range.start,
        ..Shift::NONE
    };
    convert_text(file, text, shift, Keep::All).ok()
}

/// The document in `text`, or the offset and message of what stops it being read.
fn convert_text(
    file: FileId,
    text: &str,
    shift: Shift,
    keep: Keep,
) -> Result<JsonDoc, (usize, String)> {
    if let Some(offset) = too_deep(text) {
        return Err((
            offset,
            format!("JSON nested deeper than {MAX_DEPTH} levels; not read"),
        ));
    }
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
        .map_err(|e| (e.range().start, format!("JSON syntax error: {}", e.kind())))?;
    let Some(root) = parsed.value else {
        return Err((0, "empty JSON document".into()));
    };
    let mut spans = SpanIndex::default();
    let mut pointer = String::new();
    let mut converter = Converter {
        file,
        shift,
        spans: &mut spans,
        keep,
    };
    let value = converter.convert(&root, &mut pointer);
    spans.insert(
        String::new(),
        shift.span(file, root.range().start..root.range().end),
    );
    Ok(JsonDoc {
        value,
        spans,
        rows: None,
    })
}

/// Which spans a parse keeps (the document's own, `""`, always).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Every value's.
    All,
    /// The top-level keys' and the items of lists at most three levels down.
    Shallow,
}

struct Converter<'a> {
    file: FileId,
    shift: Shift,
    spans: &'a mut SpanIndex,
    keep: Keep,
}

impl Converter<'_> {
    /// Whether the span at `pointer` is kept, when shallow parses keep `depth` levels.
    fn keeps(&self, pointer: &str, depth: usize) -> bool {
        self.keep == Keep::All || pointer.bytes().filter(|b| *b == b'/').count() <= depth
    }

    fn convert(&mut self, node: &Node<'_>, pointer: &mut String) -> Value {
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
                        if self.keeps(pointer, 3) {
                            let r = element.range();
                            self.spans.insert(
                                pointer.clone(),
                                self.shift.span(self.file, r.start..r.end),
                            );
                        }
                        let v = self.convert(element, pointer);
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
                    if name.contains(['~', '/']) {
                        pointer.push_str(&name.replace('~', "~0").replace('/', "~1"));
                    } else {
                        pointer.push_str(&name);
                    }
                    if self.keeps(pointer, 1) {
                        self.spans.insert(
                            pointer.clone(),
                            self.shift.span(self.file, prop.range.start..prop.range.end),
                        );
                    }
                    let v = self.convert(&prop.value, pointer);
                    pointer.truncate(len);
                    map.insert(name, v);
                }
                Value::Object(map)
            }
        }
    }
}

/// The offset where nesting first exceeds [`MAX_DEPTH`], ignoring brackets in strings and comments.
fn too_deep(text: &str) -> Option<usize> {
    let mut bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(b) = bytes.at(i) {
        if let Some(end) = comment_end(&mut bytes, i) {
            i = end;
            continue;
        }
        match b {
            b'"' => i = string_end(&mut bytes, i + 1),
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

/// Bytes scanned by offset: a text in memory, or a big file through a window.
pub trait Scan {
    /// The byte at offset `i`, `None` past the end.
    fn at(&mut self, i: usize) -> Option<u8>;
    /// The length of the whole text.
    fn size(&self) -> usize;
    /// Tells that no offset before `i` will be asked for again.
    fn mark(&mut self, _i: usize) {}
}

impl Scan for &[u8] {
    #[inline]
    fn at(&mut self, i: usize) -> Option<u8> {
        self.get(i).copied()
    }

    fn size(&self) -> usize {
        <[u8]>::len(self)
    }
}

/// When a `//` or `/* */` comment starts at `i`: the offset just past it.
pub fn comment_end<S: Scan>(bytes: &mut S, i: usize) -> Option<usize> {
    if bytes.at(i) != Some(b'/') {
        return None;
    }
    let mut j = i + 2;
    match bytes.at(i + 1) {
        Some(b'/') => {
            while let Some(b) = bytes.at(j) {
                if b == b'\n' {
                    return Some(j);
                }
                j += 1;
            }
            Some(bytes.size())
        }
        Some(b'*') => loop {
            match bytes.at(j) {
                None => return Some(bytes.size()),
                Some(b'*') if bytes.at(j + 1) == Some(b'/') => return Some(j + 2),
                Some(_) => j += 1,
            }
        },
        _ => None,
    }
}

/// The offset of the quote closing a string whose content starts at `start` (or the
/// text's length when it is not closed).
pub fn string_end<S: Scan>(bytes: &mut S, start: usize) -> usize {
    let mut i = start;
    while let Some(b) = bytes.at(i) {
        match b {
            b'"' => break,
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    i.min(bytes.size())
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
    fn strict_rows_read_fast_keep_the_spans_of_a_shallow_parse() {
        let rows = [
            r#"{"id": "/s/x", "a~b/c": [1, {"d": [2, [3, {"e": [4]}]]}], "k\"q\u00e9": {"l": [5, 6], "m": {"n": [7]}}}"#,
            r#"{"id": 1, "id": [2, 3], "x": [], "y": {}, "z": [[[[1]]]]}"#,
            "[1, {\"a\": [2]}, \"s\"]",
            "  \"plain\"",
            "{\n  \"tags\": {\"o\": \"Zoë 𝄞\"},\r\n  \"p\": [ {\"q\" : 1 } , 2 ]\n}",
        ];
        for row in rows {
            let row = row.trim();
            let text = format!("[{row}]");
            let mut sources = Sources::default();
            let file = sources.add("t.json".into(), text.as_str().into());
            let shift = Shift {
                base: 1,
                ..Shift::NONE
            };
            let fast = parse_row(&sources, file, row, 1..1 + row.len()).unwrap();
            let slow = convert_text(file, row, shift, Keep::Shallow).unwrap();
            assert_eq!(fast.value, slow.value, "{row}");
            let sorted = |d: &JsonDoc| {
                let mut v: Vec<_> = d.spans.iter().map(|(k, s)| (k.clone(), *s)).collect();
                v.sort_by(|a, b| a.0.cmp(&b.0));
                v
            };
            assert_eq!(sorted(&fast), sorted(&slow), "{row}");
        }
        // What serde_json refuses goes the lenient way, diagnostics included.
        let mut sources = Sources::default();
        let text = "{\"a\": [1,], // c\n}";
        let file = sources.add("t.json".into(), text.into());
        let doc = parse_row(&sources, file, text, 0..text.len()).unwrap();
        assert_eq!(doc.value, serde_json::json!({"a": [1]}));
        let bad = parse_row(&sources, file, "{\"a\": tru}", 0..11).unwrap_err();
        assert!(bad.message.contains("JSON syntax error"), "{}", bad.message);
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
