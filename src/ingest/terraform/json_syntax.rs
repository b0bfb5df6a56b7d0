//! Terraform's JSON configuration syntax (`*.tf.json`): translated into native HCL text
//! that hcl-edit parses into the same AST the evaluator reads for `.tf` files, with a
//! [`SpanMap`] taking every span of that text back to the JSON it came from.
//!
//! Follows Terraform's JSON syntax: the top-level object's properties are block types
//! (`resource` and `data` take two labels, `variable`, `output`, `module` and `provider`
//! one, `locals` and `terraform` none), a block's labels are nested object keys, and any
//! level may be an array of objects. In expressions strings are templates (`"${var.x}"`);
//! `variable` defaults, `module` `source`/`version` and similar arguments are literal.
//! Inside a resource, an object (or an array of objects) is a nested block, except for the
//! arguments that are maps (`tags`, azapi's `body`, …): without the provider's schema,
//! that is the reading Terraform's provider would give.

use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::Value;

use crate::ingest::json::JsonDoc;
use crate::model::Span;

/// Object-valued arguments that are maps, not nested blocks.
const MAP_ARGUMENTS: &[&str] = &[
    "tags",
    "body",
    "app_settings",
    "metadata",
    "headers",
    "parameters",
    "settings",
    "protected_settings",
    "labels",
];

/// Arguments whose strings Terraform reads literally, by block type.
const LITERAL_ARGUMENTS: &[(&str, &[&str])] = &[
    (
        "variable",
        &["default", "description", "nullable", "sensitive"],
    ),
    ("output", &["description", "sensitive"]),
    ("module", &["source", "version"]),
    ("resource", &["provider", "depends_on"]),
    ("data", &["provider", "depends_on"]),
];

/// Arguments that are references or meta-data the evaluator does not read.
const SKIPPED_ARGUMENTS: &[&str] = &[
    "//",
    "providers",
    "depends_on",
    "provisioner",
    "connection",
    "validation",
    "precondition",
    "postcondition",
];

/// Where each construct of the translated text came from.
#[derive(Debug, Default, Clone)]
pub struct SpanMap {
    /// Translated start → (translated end, JSON range), innermost constructs included.
    anchors: BTreeMap<usize, Vec<(usize, Range<usize>)>>,
}

/// How far back [`SpanMap::map`] looks for a construct enclosing a span.
const MAX_LOOKBACK: usize = 256;

impl SpanMap {
    fn mark(&mut self, translated: Range<usize>, json: Span) {
        self.anchors
            .entry(translated.start)
            .or_default()
            .push((translated.end, json.start..json.end));
    }

    /// A span of the translated text as a span of the JSON file.
    pub fn span(&self, span: Span) -> Span {
        Span::new(span.file, self.map(span.start..span.end))
    }

    /// Where in the JSON a position of the translated text is (a syntax error): the start
    /// of the last construct starting at or before it.
    pub fn position(&self, offset: usize) -> usize {
        self.anchors
            .range(..=offset)
            .next_back()
            .and_then(|(_, ends)| ends.iter().map(|(_, json)| json.start).max())
            .unwrap_or(0)
    }

    /// The JSON range of a span of the translated text: the construct that starts and ends
    /// there, else the innermost one enclosing it.
    pub fn map(&self, r: Range<usize>) -> Range<usize> {
        let mut fallback = None;
        for (_, ends) in self.anchors.range(..=r.start).rev().take(MAX_LOOKBACK) {
            let enclosing = ends
                .iter()
                .filter(|(end, _)| *end >= r.end)
                .min_by_key(|(end, _)| *end);
            if let Some((_, json)) = enclosing {
                return json.clone();
            }
            if fallback.is_none() {
                fallback = ends.first().map(|(_, json)| json.start..json.start);
            }
        }
        fallback.unwrap_or(0..0)
    }
}

/// A `.tf.json` file that is not Terraform's JSON syntax: where, and why.
#[derive(Debug)]
pub struct SyntaxError {
    /// Byte offset in the JSON file.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Translates a parsed `.tf.json` document into native syntax and its span map.
pub fn translate(doc: &JsonDoc, text: &str) -> Result<(String, SpanMap), SyntaxError> {
    let Value::Object(root) = &doc.value else {
        return Err(SyntaxError {
            offset: 0,
            message: "a .tf.json file holds one JSON object".into(),
        });
    };
    let mut out = Translator {
        doc,
        text,
        hcl: String::new(),
        map: SpanMap::default(),
    };
    for (key, value) in root {
        let pointer = child("", key);
        let labels = match key.as_str() {
            "resource" | "data" => 2,
            "variable" | "output" | "module" | "provider" => 1,
            "locals" | "terraform" => 0,
            _ => continue,
        };
        out.blocks(key, key, value, &pointer, labels, &mut Vec::new())?;
    }
    Ok((out.hcl, out.map))
}

fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// How the arguments of a body are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Strings are templates.
    Expression,
    /// Strings are literal text.
    Literal,
}

struct Translator<'a> {
    doc: &'a JsonDoc,
    text: &'a str,
    hcl: String,
    map: SpanMap,
}

impl Translator<'_> {
    fn span(&self, pointer: &str) -> Span {
        self.doc
            .span_of(pointer)
            .unwrap_or(Span::new(crate::model::FileId(0), 0..0))
    }

    /// The span of an object key alone: `"name"` of `"name": value`.
    fn key_span(&self, pointer: &str) -> Span {
        let whole = self.span(pointer);
        let bytes = self.text.as_bytes();
        let mut i = whole.start + 1;
        while i < whole.end && bytes.get(i) != Some(&b'"') {
            i += if bytes.get(i) == Some(&b'\\') { 2 } else { 1 };
        }
        Span::new(whole.file, whole.start..(i + 1).min(whole.end))
    }

    fn error(&self, pointer: &str, message: String) -> SyntaxError {
        SyntaxError {
            offset: self.span(pointer).start,
            message,
        }
    }

    /// Blocks of type `ident` whose `labels` remaining labels are the keys of nested
    /// objects; an array at any level holds several.
    fn blocks(
        &mut self,
        kind: &str,
        ident: &str,
        value: &Value,
        pointer: &str,
        labels: usize,
        written: &mut Vec<(String, Span)>,
    ) -> Result<(), SyntaxError> {
        if let Value::Array(items) = value {
            for (i, item) in items.iter().enumerate() {
                self.blocks(
                    kind,
                    ident,
                    item,
                    &child(pointer, &i.to_string()),
                    labels,
                    written,
                )?;
            }
            return Ok(());
        }
        let Value::Object(object) = value else {
            return Err(self.error(
                pointer,
                format!("'{ident}' must be a JSON object (or an array of objects)"),
            ));
        };
        if labels == 0 {
            return self.block(kind, ident, object, pointer, written);
        }
        for (key, inner) in object {
            if key == "//" {
                continue;
            }
            let inner_pointer = child(pointer, key);
            written.push((key.clone(), self.key_span(&inner_pointer)));
            self.blocks(kind, ident, inner, &inner_pointer, labels - 1, written)?;
            written.pop();
        }
        Ok(())
    }

    fn block(
        &mut self,
        kind: &str,
        ident: &str,
        body: &serde_json::Map<String, Value>,
        pointer: &str,
        labels: &[(String, Span)],
    ) -> Result<(), SyntaxError> {
        let start = self.hcl.len();
        self.hcl.push_str(ident);
        for (label, span) in labels {
            self.hcl.push(' ');
            let at = self.hcl.len();
            self.hcl.push_str(&quote(label, Mode::Literal));
            self.map.mark(at..self.hcl.len(), *span);
        }
        if let Some((_, last)) = labels.last() {
            // The head (`resource "type" "name"`) is the innermost label's key.
            self.map.mark(start..self.hcl.len(), *last);
        }
        self.hcl.push_str(" {\n");
        for (key, value) in body {
            if SKIPPED_ARGUMENTS.contains(&key.as_str()) || !is_identifier(key) {
                continue;
            }
            let inner = child(pointer, key);
            let literal = LITERAL_ARGUMENTS
                .iter()
                .any(|(k, args)| *k == kind && args.contains(&key.as_str()))
                || matches!(kind, "terraform" | "required_providers" | "backend");
            match (kind, key.as_str()) {
                ("variable", "type") => self.raw_argument(key, value, &inner)?,
                ("terraform", "backend") => {
                    self.blocks("backend", key, value, &inner, 1, &mut Vec::new())?
                }
                ("terraform", "required_providers") => {
                    self.blocks("required_providers", key, value, &inner, 0, &mut Vec::new())?
                }
                ("required_providers" | "backend", _) => {
                    self.argument(key, value, &inner, Mode::Literal)
                }
                ("module" | "output" | "locals" | "variable", _) => {
                    let mode = if literal {
                        Mode::Literal
                    } else {
                        Mode::Expression
                    };
                    self.argument(key, value, &inner, mode);
                }
                ("dynamic", "iterator") => self.raw_argument(key, value, &inner)?,
                (_, "dynamic") => {
                    self.blocks("dynamic", "dynamic", value, &inner, 1, &mut Vec::new())?
                }
                _ if is_block(key, value) => {
                    self.blocks(kind, key, value, &inner, 0, &mut Vec::new())?
                }
                _ => {
                    let mode = if literal {
                        Mode::Literal
                    } else {
                        Mode::Expression
                    };
                    self.argument(key, value, &inner, mode);
                }
            }
        }
        self.hcl.push('}');
        let block_span = self.span(pointer);
        self.map.mark(start..self.hcl.len(), block_span);
        self.hcl.push('\n');
        Ok(())
    }

    /// `key = value`.
    fn argument(&mut self, key: &str, value: &Value, pointer: &str, mode: Mode) {
        let start = self.hcl.len();
        self.hcl.push_str(key);
        self.hcl.push_str(" = ");
        self.value(value, pointer, mode);
        let span = self.span(pointer);
        self.map.mark(start..self.hcl.len(), span);
        self.hcl.push('\n');
    }

    /// `key = <the string's text as an expression>` (a variable's `type`, an iterator).
    fn raw_argument(&mut self, key: &str, value: &Value, pointer: &str) -> Result<(), SyntaxError> {
        let Value::String(text) = value else {
            return Err(self.error(pointer, format!("'{key}' must be a string")));
        };
        let start = self.hcl.len();
        self.hcl.push_str(key);
        self.hcl.push_str(" = ");
        let at = self.hcl.len();
        self.hcl.push_str(text);
        let span = self.span(pointer);
        self.map.mark(at..self.hcl.len(), span);
        self.map.mark(start..self.hcl.len(), span);
        self.hcl.push('\n');
        Ok(())
    }

    /// A value as an expression.
    fn value(&mut self, value: &Value, pointer: &str, mode: Mode) {
        let start = self.hcl.len();
        match value {
            Value::Null => self.hcl.push_str("null"),
            Value::Bool(b) => self.hcl.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => self.hcl.push_str(&n.to_string()),
            Value::String(s) => {
                match single_interpolation(s).filter(|_| mode == Mode::Expression) {
                    Some(inner) if inner.contains('\n') => {
                        self.hcl.push('(');
                        self.hcl.push_str(inner);
                        self.hcl.push(')');
                    }
                    Some(inner) => self.hcl.push_str(inner),
                    None => self.hcl.push_str(&quote(s, mode)),
                }
            }
            Value::Array(items) => {
                self.hcl.push('[');
                for (i, item) in items.iter().enumerate() {
                    self.hcl.push_str(if i == 0 { "\n" } else { ",\n" });
                    self.value(item, &child(pointer, &i.to_string()), mode);
                }
                self.hcl.push_str("\n]");
            }
            Value::Object(object) => {
                self.hcl.push_str("{\n");
                for (key, item) in object {
                    let inner = child(pointer, key);
                    let at = self.hcl.len();
                    self.hcl.push_str(&quote(key, Mode::Literal));
                    self.hcl.push_str(" = ");
                    self.value(item, &inner, mode);
                    let span = self.span(&inner);
                    self.map.mark(at..self.hcl.len(), span);
                    self.hcl.push('\n');
                }
                self.hcl.push('}');
            }
        }
        let span = self.span(pointer);
        self.map.mark(start..self.hcl.len(), span);
    }
}

/// Whether an argument of a resource-like body is a nested block: an object or an array
/// of objects, unless it is a map argument.
fn is_block(key: &str, value: &Value) -> bool {
    if MAP_ARGUMENTS.contains(&key) {
        return false;
    }
    match value {
        Value::Object(_) => true,
        Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_object),
        _ => false,
    }
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The expression of a string that is one `${…}` and nothing else (Terraform then takes
/// the expression's value with its type, not a string).
fn single_interpolation(s: &str) -> Option<&str> {
    let inner = s.strip_prefix("${")?;
    let end = sequence_end(s, 0)?;
    (end == s.len()).then(|| inner[..inner.len() - 1].trim_matches('~'))
}

/// The index after the `}` closing the `${` or `%{` sequence at `start`.
fn sequence_end(s: &str, start: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut i = start + 1;
    let mut in_string = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'{' if !in_string => depth += 1,
            b'}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A string as a native quoted string: a template (`${…}` and `%{…}` sequences copied as
/// they are) or, in literal mode, plain text with those sequences escaped.
fn quote(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("${") || rest.starts_with("%{") {
            if mode == Mode::Literal {
                out.push_str(&rest[..1]);
                out.push_str(&rest[..2]);
                i += 2;
                continue;
            }
            if let Some(end) = sequence_end(s, i) {
                out.push_str(&s[i..end]);
                i = end;
                continue;
            }
        }
        if mode == Mode::Expression && (rest.starts_with("$${") || rest.starts_with("%%{")) {
            out.push_str(&rest[..3]);
            i += 3;
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
        i += c.len_utf8();
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sources;

    fn translated(text: &str) -> (String, SpanMap) {
        let mut sources = Sources::default();
        let file = sources.add("main.tf.json".into(), text.into());
        let doc = crate::ingest::json::parse(&sources, file).expect("valid JSON");
        translate(&doc, text).expect("Terraform JSON")
    }

    #[test]
    fn blocks_labels_and_templates_become_native_syntax() {
        let (hcl, _) = translated(
            r#"{
  "variable": {"ports": {"type": "list(number)", "default": [22, "${x}"]}},
  "locals": {"name": "st${var.env}", "all": "${var.ports}"},
  "resource": {"azurerm_network_security_group": {"nsg": {
    "name": "nsg \"quoted\"",
    "tags": {"env": "dev"},
    "security_rule": [{"name": "a"}, {"name": "b"}],
    "dynamic": {"x": {"for_each": "${var.ports}", "iterator": "p", "content": {"v": "${p.value}"}}}
  }}},
  "module": {"m": {"source": "./m", "input": {"k": "${local.name}"}}}
}"#,
        );
        let body = hcl_edit::parser::parse_body(&hcl).expect("valid native syntax");
        let blocks: Vec<_> = body.blocks().map(|b| b.ident.as_str().to_owned()).collect();
        assert_eq!(
            blocks,
            ["variable", "locals", "resource", "module"],
            "{hcl}"
        );
        assert!(hcl.contains("type = list(number)"), "{hcl}");
        assert!(hcl.contains("\"$${x}\""), "defaults are literal: {hcl}");
        assert!(hcl.contains("all = var.ports"), "{hcl}");
        assert!(hcl.contains("name = \"st${var.env}\""), "{hcl}");
        assert!(hcl.contains("name = \"nsg \\\"quoted\\\"\""), "{hcl}");
        assert!(hcl.contains("tags = {"), "{hcl}");
        assert_eq!(hcl.matches("security_rule {").count(), 2, "{hcl}");
        assert!(hcl.contains("dynamic \"x\" {"), "{hcl}");
        assert!(hcl.contains("iterator = p"), "{hcl}");
        assert!(hcl.contains("content {"), "{hcl}");
        assert!(hcl.contains("source = \"./m\""), "{hcl}");
    }

    #[test]
    fn spans_map_back_to_the_json_attribute() {
        let text = "{\"resource\": {\"azurerm_storage_account\": {\"sa\": {\n  \"public_network_access_enabled\": true\n}}}}";
        let (hcl, map) = translated(text);
        let body = hcl_edit::parser::parse_body(&hcl).expect("valid native syntax");
        let block = body.blocks().next().expect("a block");
        let attr = block.body.attributes().next().expect("an attribute");
        use hcl_edit::Span as _;
        let r = map.map(attr.span().expect("parsed spans"));
        assert_eq!(&text[r], "\"public_network_access_enabled\": true");
        let head = super::super::config::block_head(block, crate::model::FileId(0));
        let r = map.map(head.start..head.end);
        assert_eq!(&text[r], "\"sa\"", "{hcl}");
    }

    #[test]
    fn templates_keep_their_sequences_and_escape_the_rest() {
        assert_eq!(single_interpolation("${var.x}"), Some("var.x"));
        assert_eq!(single_interpolation("${a}-${b}"), None);
        assert_eq!(single_interpolation("${f(\"}\")}"), Some("f(\"}\")"));
        assert_eq!(
            quote("a\"${f(\"x\")}\n%{if c}y%{endif}", Mode::Expression),
            "\"a\\\"${f(\"x\")}\\n%{if c}y%{endif}\""
        );
        assert_eq!(quote("${x}", Mode::Literal), "\"$${x}\"");
    }
}
