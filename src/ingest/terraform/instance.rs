//! One evaluated resource instance: its arguments and nested blocks as a value, with the
//! span of every attribute and block, ready for mapping.

use std::collections::{BTreeMap, HashMap, HashSet};

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, BlockLabel, Body};
use hcl_edit::Span as _;

use super::eval::{evaluate, explain_unknown, Scope};
use crate::eval::value::Value;
use crate::model::{FileId, Provenance, Span};

/// Arguments that steer Terraform, not the resource.
const META_ARGUMENTS: &[&str] = &["count", "for_each", "provider", "depends_on"];
/// Blocks that steer Terraform, not the resource.
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection", "timeouts"];

/// How deeply object literals are followed for spans.
const MAX_LITERAL_DEPTH: usize = 32;

/// An evaluated resource instance.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Terraform's address, with the instance key: `azurerm_subnet.s["pe"]`.
    pub address: String,
    /// The resource type (`azurerm_storage_account`).
    pub kind: String,
    /// Arguments and blocks: blocks are lists of objects under their type name.
    pub value: BTreeMap<String, Value>,
    /// Dotted path (`network_rules.0.default_action`) → span of the attribute or block.
    pub spans: HashMap<String, Span>,
    /// The declaration head.
    pub head: Span,
    /// Dotted paths whose value the source writes as a plain string literal (not a
    /// reference, call or template): what a secret written into the source looks like.
    pub literals: HashSet<String>,
    /// Span of an attribute (or of a key in an object literal) whose value came through
    /// variables → where they were set, nearest first.
    pub origins: HashMap<Span, Vec<Provenance>>,
}

impl Instance {
    /// The value at a dotted path; `None` when absent or null.
    pub fn get(&self, path: &str) -> Option<&Value> {
        let mut parts = path.split('.');
        let mut current = self.value.get(parts.next()?)?;
        for part in parts {
            current = match (current, part.parse::<usize>()) {
                (Value::List(items), Ok(i)) => items.get(i)?,
                (Value::Unknown, _) => return Some(&Value::Unknown),
                (v, _) => v.get(part)?,
            };
        }
        (!matches!(current, Value::Null)).then_some(current)
    }

    /// The span for a dotted path: its own, else the nearest enclosing block's, else the head.
    pub fn span(&self, path: &str) -> Span {
        let mut p = path;
        loop {
            if let Some(s) = self.spans.get(p) {
                return *s;
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return self.head,
            }
        }
    }

    /// Where the values at `spans` (pointer → span) were set, by pointer, for those that
    /// came through variables.
    pub fn provenance<'s>(
        &self,
        spans: impl IntoIterator<Item = (&'s String, &'s Span)>,
    ) -> BTreeMap<String, Vec<Provenance>> {
        if self.origins.is_empty() {
            return BTreeMap::new();
        }
        spans
            .into_iter()
            .filter_map(|(pointer, span)| Some((pointer.clone(), self.origins.get(span)?.clone())))
            .collect()
    }

    /// Whether the source wrote this path (as opposed to a default).
    pub fn is_set(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// How many blocks of a type there are at a path (`security_rule`).
    pub fn block_count(&self, path: &str) -> usize {
        self.get(path)
            .and_then(Value::as_list)
            .map_or(0, <[Value]>::len)
    }
}

/// What evaluating a body records besides values.
#[derive(Debug, Default)]
pub struct Trace {
    /// Dotted path → span of the attribute or block.
    pub spans: HashMap<String, Span>,
    /// Span of an attribute whose value holds an unknown → why, when a reference says.
    pub reasons: HashMap<Span, String>,
    /// Reads refused while evaluating an attribute, at its span.
    pub refused: Vec<(Span, String)>,
    /// Dotted paths written as plain string literals (see [`Instance::literals`]).
    pub literals: HashSet<String>,
    /// Span of an attribute, or of a key in an object literal, whose value came through
    /// variables → where they were set ([`Scope::origins`]).
    pub origins: HashMap<Span, Vec<Provenance>>,
}

/// Evaluates a body's arguments and nested blocks (including `dynamic` blocks).
pub fn eval_body(
    body: &Body,
    scope: &dyn Scope,
    file: FileId,
    prefix: &str,
    trace: &mut Trace,
    top: bool,
) -> BTreeMap<String, Value> {
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    for attr in body.attributes() {
        let key = attr.key.as_str();
        if top && META_ARGUMENTS.contains(&key) {
            continue;
        }
        let path = join(prefix, key);
        let value = evaluate(&attr.value, scope);
        let refused = scope.take_refused();
        let origins = scope.origins(&attr.value);
        if let Some(r) = attr.span() {
            let span = Span::new(file, r);
            trace.refused.extend(refused.into_iter().map(|m| (span, m)));
            trace.spans.insert(path.clone(), span);
            if value.contains_unknown() {
                if let Some(reason) = explain_unknown(&attr.value, scope) {
                    trace.reasons.insert(span, reason);
                }
            }
            if !origins.is_empty() {
                trace.origins.insert(span, origins.clone());
            }
        }
        // Keys of an object literal get their own origins only when the attribute has some.
        let mut visit = |inner: String, span: Span, value: &Expression| {
            trace.spans.insert(inner, span);
            if !origins.is_empty() {
                let own = scope.origins(value);
                if !own.is_empty() {
                    trace.origins.insert(span, own);
                }
            }
        };
        literal_spans(&attr.value, &path, file, &mut visit, 0);
        literal_strings(&attr.value, &path, &mut trace.literals, 0);
        out.insert(key.to_owned(), value);
    }
    let mut blocks: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for block in body.blocks() {
        let ident = block.ident.as_str();
        if top && META_BLOCKS.contains(&ident) {
            continue;
        }
        if ident == "dynamic" {
            eval_dynamic(block, scope, file, prefix, trace, &mut blocks);
            continue;
        }
        let list = blocks.entry(ident.to_owned()).or_default();
        let path = join(prefix, &format!("{ident}.{}", list.len()));
        if let Some(r) = block.span() {
            trace.spans.insert(path.clone(), Span::new(file, r));
        }
        list.push(Value::Object(eval_body(
            &block.body,
            scope,
            file,
            &path,
            trace,
            false,
        )));
    }
    out.extend(blocks.into_iter().map(|(k, v)| (k, Value::List(v))));
    out
}

/// Visits the keys and elements of an object or tuple literal (`body = { properties = {
/// … } }`, also inside `jsonencode(…)`), under `path`, with their spans and expressions.
fn literal_spans(
    expr: &Expression,
    path: &str,
    file: FileId,
    visit: &mut dyn FnMut(String, Span, &Expression),
    depth: usize,
) {
    if depth > MAX_LITERAL_DEPTH {
        return;
    }
    match expr {
        Expression::Object(object) => {
            for (key, value) in object.iter() {
                let name = match key {
                    ObjectKey::Ident(i) => i.as_str().to_owned(),
                    ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                    ObjectKey::Expression(_) => continue,
                };
                let inner = join(path, &name);
                let start = key.span().map(|r| r.start);
                let end = value.expr().span().map(|r| r.end);
                if let (Some(start), Some(end)) = (start, end) {
                    visit(inner.clone(), Span::new(file, start..end), value.expr());
                }
                literal_spans(value.expr(), &inner, file, visit, depth + 1);
            }
        }
        Expression::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let inner = join(path, &i.to_string());
                if let Some(r) = item.span() {
                    visit(inner.clone(), Span::new(file, r), item);
                }
                literal_spans(item, &inner, file, visit, depth + 1);
            }
        }
        Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
            if let Some(arg) = call.args.iter().next() {
                literal_spans(arg, path, file, visit, depth + 1);
            }
        }
        Expression::Parenthesis(p) => literal_spans(p.inner(), path, file, visit, depth + 1),
        _ => {}
    }
}

/// Records the dotted paths of plain string literals: the attribute itself, or the values
/// of an object literal written for it (`app_settings = { KEY = "…" }`).
fn literal_strings(expr: &Expression, path: &str, out: &mut HashSet<String>, depth: usize) {
    if depth > MAX_LITERAL_DEPTH {
        return;
    }
    match expr {
        Expression::String(_) => {
            out.insert(path.to_owned());
        }
        Expression::Object(object) => {
            for (key, value) in object.iter() {
                let name = match key {
                    ObjectKey::Ident(i) => i.as_str().to_owned(),
                    ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                    ObjectKey::Expression(_) => continue,
                };
                literal_strings(value.expr(), &join(path, &name), out, depth + 1);
            }
        }
        Expression::Parenthesis(p) => literal_strings(p.inner(), path, out, depth + 1),
        _ => {}
    }
}

/// `dynamic "name" { for_each = …; iterator = it; content { … } }`: one block per element,
/// with `it.key` / `it.value` (the iterator defaults to the block name).
fn eval_dynamic(
    block: &Block,
    scope: &dyn Scope,
    file: FileId,
    prefix: &str,
    trace: &mut Trace,
    blocks: &mut BTreeMap<String, Vec<Value>>,
) {
    let Some(name) = block.labels.first().map(|l| match l {
        BlockLabel::String(s) => s.value().clone(),
        BlockLabel::Ident(i) => i.value().as_str().to_owned(),
    }) else {
        return;
    };
    let iterator = block
        .body
        .get_attribute("iterator")
        .and_then(|a| match &a.value {
            Expression::Variable(v) => Some(v.value().as_str().to_owned()),
            _ => None,
        })
        .unwrap_or_else(|| name.clone());
    let Some(content) = block.body.blocks().find(|b| b.ident.as_str() == "content") else {
        return;
    };
    let collection = block
        .body
        .get_attribute("for_each")
        .map_or(Value::Null, |a| evaluate(&a.value, scope));
    let elements: Vec<(Value, Value)> = match collection {
        Value::List(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Value::Number(i as f64), v))
            .collect(),
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| (Value::String(k), v))
            .collect(),
        Value::Unknown => vec![(Value::Unknown, Value::Unknown)],
        v if v.is_symbolic() => vec![(Value::Unknown, Value::Unknown)],
        _ => Vec::new(),
    };
    for (key, value) in elements {
        let element = Value::Object(BTreeMap::from([
            ("key".to_owned(), key),
            ("value".to_owned(), value),
        ]));
        let inner = Bound {
            parent: scope,
            name: &iterator,
            value: element,
        };
        let index = blocks.get(&name).map_or(0, Vec::len);
        let path = join(prefix, &format!("{name}.{index}"));
        if let Some(r) = content.span().or_else(|| block.span()) {
            trace.spans.insert(path.clone(), Span::new(file, r));
        }
        let value = eval_body(&content.body, &inner, file, &path, trace, false);
        blocks
            .entry(name.clone())
            .or_default()
            .push(Value::Object(value));
    }
}

/// A scope with one more name bound (a dynamic block's iterator).
struct Bound<'a> {
    parent: &'a dyn Scope,
    name: &'a str,
    value: Value,
}

impl Scope for Bound<'_> {
    fn resolve(&self, root: &str, attrs: &[&str]) -> Option<(Value, usize)> {
        if root == self.name {
            return Some((self.value.clone(), 0));
        }
        self.parent.resolve(root, attrs)
    }

    fn read_file(&self, path: &str) -> Option<String> {
        self.parent.read_file(path)
    }

    fn take_refused(&self) -> Vec<String> {
        self.parent.take_refused()
    }

    fn explain(&self, root: &str, attrs: &[&str]) -> Option<String> {
        if root == self.name {
            return None;
        }
        self.parent.explain(root, attrs)
    }

    fn origins(&self, expr: &Expression) -> Vec<Provenance> {
        self.parent.origins(expr)
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}
