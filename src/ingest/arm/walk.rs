//! Evaluates template JSON: expressions in strings (property names too), property `copy` in objects, literals
//! as they are; optionally recording, for every value produced, the span of the JSON that
//! produced it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::expr::{evaluate, parse, TemplateString};
use super::scope::{escape, Ctx};
use crate::eval::budget::Measure;
use crate::eval::value::{Value, UNKNOWN_MARKER};
use crate::model::{Provenance, Span};

/// ARM's limit on the iterations of one copy loop.
pub const MAX_COPY: i64 = 800;

/// Output pointer → span of the template JSON that produced it.
#[derive(Debug, Default)]
pub struct Spans {
    pointer: String,
    /// The spans recorded.
    pub map: BTreeMap<String, Span>,
    /// Output pointer → where the parameters its expression reads were set.
    pub provenance: BTreeMap<String, Vec<Provenance>>,
}

impl Spans {
    /// Moves to the output pointer `/key` (or back).
    pub fn reset(&mut self, key: &str) {
        self.pointer = format!("/{}", escape(key));
    }
}

/// Evaluates the template JSON at pointer `src`.
pub fn value(ctx: &Ctx<'_, '_, '_>, json: &Json, src: &str) -> Value {
    eval(ctx, json, src, None)
}

/// Evaluates the template JSON at pointer `src`, recording spans.
pub fn recorded(ctx: &Ctx<'_, '_, '_>, json: &Json, src: &str, spans: &mut Spans) -> Value {
    eval(ctx, json, src, Some(spans))
}

/// Evaluates a string as the template would: an expression, or a known string.
pub fn string(ctx: &Ctx<'_, '_, '_>, json: &Json, src: &str) -> Option<String> {
    match value(ctx, json, src) {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn eval(ctx: &Ctx<'_, '_, '_>, json: &Json, src: &str, spans: Option<&mut Spans>) -> Value {
    if !ctx.file().work() {
        return Value::Unknown;
    }
    ctx.file()
        .nested(|| eval_node(ctx, json, src, spans))
        .unwrap_or(Value::Unknown)
}

fn eval_node(
    ctx: &Ctx<'_, '_, '_>,
    json: &Json,
    src: &str,
    mut spans: Option<&mut Spans>,
) -> Value {
    if let Some(s) = spans.as_deref_mut() {
        s.map.insert(s.pointer.clone(), ctx.file().span(src));
        if json.as_str().is_some_and(|text| text.starts_with('[')) {
            let origins = ctx.scope.origins(json);
            if !origins.is_empty() {
                s.provenance.insert(s.pointer.clone(), origins);
            }
        }
    }
    match json {
        Json::String(s) => expression(ctx, s, src),
        Json::Array(items) => Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let src = format!("{src}/{i}");
                    child(spans.as_deref_mut(), &i.to_string(), |sp| {
                        eval(ctx, item, &src, sp)
                    })
                })
                .collect(),
        ),
        Json::Object(map) => {
            let mut out = BTreeMap::new();
            for (key, item) in map {
                let src = format!("{src}/{}", escape(key));
                if key.eq_ignore_ascii_case("copy") && is_property_copy(item) {
                    property_copies(ctx, item, &src, &mut out, spans.as_deref_mut());
                    continue;
                }
                let key = match expression(ctx, key, &src) {
                    Value::String(k) => k,
                    _ => UNKNOWN_MARKER.to_owned(),
                };
                let v = child(spans.as_deref_mut(), &key, |sp| eval(ctx, item, &src, sp));
                out.insert(key, v);
            }
            Value::Object(out)
        }
        other => Value::from_json(other),
    }
}

/// Evaluates a template string; a syntax error is reported and gives `Unknown`.
fn expression(ctx: &Ctx<'_, '_, '_>, s: &str, src: &str) -> Value {
    match super::expr::classify(s) {
        TemplateString::Literal(text) => Value::String(text.into_owned()),
        TemplateString::Expression(text) => match parse(text) {
            Ok(expr) => evaluate(&expr, ctx),
            Err(e) => {
                let shown: String = s.chars().take(120).collect();
                ctx.file()
                    .error(src, format!("ARM expression error: {e} in '{shown}'"));
                Value::Unknown
            }
        },
    }
}

/// Runs `f` with the output pointer moved to `/key`.
fn child<T>(spans: Option<&mut Spans>, key: &str, f: impl FnOnce(Option<&mut Spans>) -> T) -> T {
    match spans {
        Some(s) => {
            let len = s.pointer.len();
            s.pointer.push('/');
            s.pointer.push_str(&escape(key));
            let v = f(Some(&mut *s));
            s.pointer.truncate(len);
            v
        }
        None => f(None),
    }
}

/// `"copy": [{"name", "count", "input"}, …]` inside an object is property iteration.
fn is_property_copy(item: &Json) -> bool {
    item.as_array().is_some_and(|entries| {
        !entries.is_empty()
            && entries
                .iter()
                .all(|e| e.get("name").is_some() && e.get("input").is_some())
    })
}

fn property_copies(
    ctx: &Ctx<'_, '_, '_>,
    entries: &Json,
    src: &str,
    out: &mut BTreeMap<String, Value>,
    mut spans: Option<&mut Spans>,
) {
    let mut seen = BTreeSet::new();
    for (i, entry) in entries.as_array().into_iter().flatten().enumerate() {
        let src = format!("{src}/{i}");
        let Some(name) = entry
            .get("name")
            .and_then(|n| string(ctx, n, &format!("{src}/name")))
        else {
            continue;
        };
        if seen.insert(name.clone()) {
            let v = child(spans.as_deref_mut(), &name, |sp| {
                copy_array(ctx, entry, &src, sp)
            });
            out.insert(name, v);
        }
    }
}

/// The array a copy entry (`{name, count, input}`) produces, `copyIndex(name)` counting;
/// unknown when the count is.
pub fn copy_array(
    ctx: &Ctx<'_, '_, '_>,
    entry: &Json,
    src: &str,
    mut spans: Option<&mut Spans>,
) -> Value {
    if let Some(s) = spans.as_deref_mut() {
        s.map.insert(s.pointer.clone(), ctx.file().span(src));
    }
    let name = entry
        .get("name")
        .and_then(|n| string(ctx, n, &format!("{src}/name")))
        .unwrap_or_default();
    let (Some(count), Some(input)) = (count(ctx, entry, src), entry.get("input")) else {
        return Value::Unknown;
    };
    let input_src = format!("{src}/input");
    Value::List(
        (0..count)
            .map(|i| {
                let inner = ctx.in_copy(&name, Some(i), false);
                child(spans.as_deref_mut(), &i.to_string(), |sp| {
                    eval(&inner, input, &input_src, sp)
                })
            })
            .collect(),
    )
}

/// The evaluated `count` of a copy (resource or property), clamped to ARM's limits;
/// `None` when unknown, or past the unit's instance budget.
pub fn count(ctx: &Ctx<'_, '_, '_>, copy: &Json, src: &str) -> Option<i64> {
    let n = value(ctx, copy.get("count")?, &format!("{src}/count")).as_f64()?;
    if !n.is_finite() {
        return None;
    }
    let n = (n as i64).clamp(0, MAX_COPY);
    ctx.file()
        .budget
        .charge(Measure::Instances, n as u64)
        .then_some(n)
}
