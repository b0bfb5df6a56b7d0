//! Bicep expressions → [`Value`]s. Operators and built-in functions have the semantics of
//! the ARM template the compiler would produce (they call the shared ARM function library);
//! what only deployment knows is `Unknown`.

use std::collections::BTreeMap;

use super::super::ast::{
    ArrayItem, Expr, ExprKind, ForBody, ForExpr, ObjectExpr, ObjectItem, ObjectKey, StringExpr,
    StringPart,
};
use super::calls;
use super::deployment::{Deployment, Symbol};
use super::ops;
use super::origins;
use crate::eval::budget::Measure;
use crate::eval::value::{format_number, Value};
use crate::model::{Provenance, Span};

/// JSON pointer → span of the Bicep text that produced the value there.
pub type Spans = BTreeMap<String, Span>;

/// An evaluation in one deployment, with the loop and lambda variables in scope.
pub struct Eval<'a, 'w> {
    /// The deployment whose symbols are in scope.
    pub dep: &'a Deployment<'w>,
    /// Loop, lambda and function parameters, innermost last.
    pub locals: Vec<(String, Value)>,
    /// Pointer → where the parameters its value read were set, for the values
    /// [`Eval::recorded`] evaluated since this was last taken.
    pub provenance: BTreeMap<String, Vec<Provenance>>,
}

impl<'a, 'w> Eval<'a, 'w> {
    /// An evaluation at the top level of `dep`.
    pub fn new(dep: &'a Deployment<'w>) -> Self {
        Eval {
            dep,
            locals: Vec::new(),
            provenance: BTreeMap::new(),
        }
    }

    /// Evaluates `expr`, charging the work and the size of what it builds to the budget.
    pub fn eval(&mut self, expr: &Expr) -> Value {
        if !self.dep.shared.enter() {
            return Value::Unknown;
        }
        let value = self.eval_node(expr);
        self.dep.shared.leave();
        let builds = !matches!(
            expr.kind,
            ExprKind::Variable(_)
                | ExprKind::Property { .. }
                | ExprKind::Index { .. }
                | ExprKind::Paren(_)
                | ExprKind::NonNull(_)
                | ExprKind::Ternary { .. }
        );
        if builds && !self.dep.shared.charge(&value) {
            return Value::Unknown;
        }
        value
    }

    /// Evaluates `expr` with `bindings` in scope.
    pub fn eval_with(&mut self, bindings: Vec<(String, Value)>, expr: &Expr) -> Value {
        let depth = self.locals.len();
        self.locals.extend(bindings);
        let value = self.eval(expr);
        self.locals.truncate(depth);
        value
    }

    /// Evaluates `expr` as the value at `pointer` of a body, recording the span of every
    /// property and element written literally (in objects, arrays, loops and the chosen
    /// branch of a ternary).
    pub fn recorded(&mut self, expr: &Expr, pointer: &str, spans: &mut Spans) -> Value {
        if !self.dep.shared.enter() {
            return Value::Unknown;
        }
        let value = match &expr.kind {
            ExprKind::Object(o) => self.object(o, Some((pointer, spans))),
            ExprKind::Array(items) => self.array(items, Some((pointer, spans))),
            ExprKind::For(f) => self.for_loop(f, Some((pointer, spans))),
            ExprKind::Paren(inner) | ExprKind::NonNull(inner) => {
                self.recorded(inner, pointer, spans)
            }
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                // The condition chose the value: where what it reads was set counts too.
                self.note_origins(cond, pointer);
                match self.eval(cond).as_bool() {
                    Some(true) => self.recorded(then, pointer, spans),
                    Some(false) => self.recorded(otherwise, pointer, spans),
                    None => Value::Unknown,
                }
            }
            _ => {
                self.note_origins(expr, pointer);
                self.eval_node(expr)
            }
        };
        self.dep.shared.leave();
        value
    }

    /// Adds where the parameters `expr` reads were set to the provenance of `pointer`.
    fn note_origins(&mut self, expr: &Expr, pointer: &str) {
        let origins = origins::of_expr(self.dep, expr, &self.locals);
        if !origins.is_empty() {
            let chain = self.provenance.entry(pointer.to_owned()).or_default();
            crate::model::provenance::extend_unique(chain, &origins);
        }
    }

    fn eval_node(&mut self, expr: &Expr) -> Value {
        match &expr.kind {
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Null => Value::Null,
            ExprKind::Int(n) => Value::Number(*n as f64),
            ExprKind::String(s) => self.string(s),
            ExprKind::Variable(id) => self.variable(&id.name),
            ExprKind::Array(items) => self.array(items, None),
            ExprKind::Object(o) => self.object(o, None),
            ExprKind::Property { base, name, safe } => {
                let value = property(&self.eval(base), &name.name, *safe);
                match value {
                    Value::Unknown => self.runtime_property(expr).unwrap_or(value),
                    value => value,
                }
            }
            ExprKind::Index {
                base,
                index,
                safe,
                from_end,
            } => {
                let base = self.eval(base);
                let index = self.eval(index);
                element(&base, &index, *safe, *from_end)
            }
            ExprKind::Call {
                receiver,
                name,
                args,
            } => calls::call(self, receiver.as_deref(), &name.name, args),
            ExprKind::ResourceAccess { .. } => self.resource_access(expr),
            ExprKind::NonNull(inner) | ExprKind::Paren(inner) => self.eval(inner),
            ExprKind::Unary { op, operand } => {
                let v = self.eval(operand);
                ops::unary(*op, v, self.dep)
            }
            ExprKind::Binary { op, lhs, rhs } => ops::binary(self, *op, lhs, rhs),
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => match self.eval(cond).as_bool() {
                Some(true) => self.eval(then),
                Some(false) => self.eval(otherwise),
                None => Value::Unknown,
            },
            ExprKind::For(f) => self.for_loop(f, None),
            ExprKind::Lambda { .. } | ExprKind::Error => Value::Unknown,
        }
    }

    /// A runtime property of a resource declared in this deployment
    /// (`uami.properties.principalId`): unknown, with the identity of that property of that
    /// resource. `None` for anything else.
    fn runtime_property(&self, expr: &Expr) -> Option<Value> {
        let mut path = Vec::new();
        let mut at = expr;
        let root = loop {
            match &at.kind {
                ExprKind::Property { base, name, .. } => {
                    path.push(name.name.as_str());
                    at = base;
                }
                ExprKind::Variable(id) => break id.name.as_str(),
                _ => return None,
            }
        };
        let shadowed = self.locals.iter().any(|(n, _)| n == root);
        if shadowed || !matches!(self.dep.symbol(root), Some(Symbol::Resource(_))) {
            return None;
        }
        path.reverse();
        let id = self.dep.value(root)?;
        let id = id.get("id")?.as_str()?;
        Some(Value::String(crate::eval::symbolic::runtime_property(
            id,
            &path.join("."),
        )))
    }

    fn variable(&mut self, name: &str) -> Value {
        let found = match self.locals.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Some(v.clone()),
            None => self.dep.value(name),
        };
        match found {
            Some(v) if self.dep.shared.charge(&v) => v,
            _ => Value::Unknown,
        }
    }

    /// Interpolates a string; an unknown or unprintable hole makes the whole string
    /// unknown, as the compiled `format()` would be.
    pub fn string(&mut self, s: &StringExpr) -> Value {
        let mut out = String::new();
        for part in &s.parts {
            match part {
                StringPart::Literal(text) => out.push_str(text),
                StringPart::Interpolation(e) => match self.eval(e) {
                    Value::String(t) => out.push_str(&t),
                    Value::Number(n) => out.push_str(&format_number(n)),
                    Value::Bool(true) => out.push_str("True"),
                    Value::Bool(false) => out.push_str("False"),
                    Value::Null => {}
                    Value::Unknown => return Value::Unknown,
                    v @ (Value::List(_) | Value::Object(_)) => {
                        out.push_str(&v.to_json().to_string());
                    }
                },
            }
        }
        Value::String(out)
    }

    fn array(&mut self, items: &[ArrayItem], mut rec: Option<(&str, &mut Spans)>) -> Value {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                ArrayItem::Value(e) => {
                    let v = match rec.as_mut() {
                        Some((pointer, spans)) => {
                            let at = format!("{pointer}/{}", out.len());
                            spans.insert(at.clone(), self.dep.span(e.span));
                            self.recorded(e, &at, spans)
                        }
                        None => self.eval(e),
                    };
                    out.push(v);
                }
                ArrayItem::Spread(e, _) => match self.eval(e) {
                    Value::List(more) => out.extend(more),
                    _ => return Value::Unknown,
                },
            }
        }
        Value::List(out)
    }

    /// An object literal; nested `resource` declarations are not part of its value.
    pub fn object(&mut self, o: &ObjectExpr, mut rec: Option<(&str, &mut Spans)>) -> Value {
        let mut out = BTreeMap::new();
        for item in &o.items {
            match item {
                ObjectItem::Property(p) => {
                    let Some(key) = self.key(&p.key) else {
                        continue;
                    };
                    let v = match rec.as_mut() {
                        Some((pointer, spans)) => {
                            let at = format!("{pointer}/{}", escape(&key));
                            spans.insert(at.clone(), self.dep.span(p.span));
                            self.recorded(&p.value, &at, spans)
                        }
                        None => self.eval(&p.value),
                    };
                    out.insert(key, v);
                }
                ObjectItem::Spread(e, span) => match self.eval(e) {
                    Value::Object(more) => {
                        for (k, v) in more {
                            if let Some((pointer, spans)) = rec.as_mut() {
                                spans.insert(
                                    format!("{pointer}/{}", escape(&k)),
                                    self.dep.span(*span),
                                );
                            }
                            out.insert(k, v);
                        }
                    }
                    Value::Null => {}
                    _ => return Value::Unknown,
                },
                ObjectItem::Resource(_) => {}
            }
        }
        Value::Object(out)
    }

    /// An object key's text; an unknown interpolated key is kept as the unknown marker.
    pub fn key(&mut self, key: &ObjectKey) -> Option<String> {
        match key {
            ObjectKey::Ident(id) => Some(id.name.clone()),
            ObjectKey::String(s) => match self.string(s) {
                Value::String(t) => Some(t),
                _ => Some(crate::eval::value::UNKNOWN_MARKER.to_owned()),
            },
        }
    }

    /// The items and indexes a `for` iterates over; `None` when unknown.
    pub fn iterate(&mut self, f: &ForExpr) -> Option<Vec<Value>> {
        match self.eval(&f.iterable) {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The items a resource or module loop deploys one instance each for; `None` when
    /// unknown or past the unit's instance budget.
    pub fn instances(&mut self, f: &ForExpr) -> Option<Vec<Value>> {
        let items = self.iterate(f)?;
        self.dep
            .shared
            .budget
            .charge(Measure::Instances, items.len() as u64)
            .then_some(items)
    }

    /// The bindings of iteration `index` over `item`.
    pub fn bindings(f: &ForExpr, item: Value, index: Value) -> Vec<(String, Value)> {
        let mut b = vec![(f.item.name.clone(), item)];
        if let Some(i) = &f.index {
            b.push((i.name.clone(), index));
        }
        b
    }

    fn for_loop(&mut self, f: &ForExpr, mut rec: Option<(&str, &mut Spans)>) -> Value {
        let Some(items) = self.iterate(f) else {
            return Value::Unknown;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let depth = self.locals.len();
            self.locals
                .extend(Self::bindings(f, item, Value::Number(i as f64)));
            let body = match &f.body {
                ForBody::Expr(e) => Some(e.as_ref()),
                ForBody::If(cond) => match self.eval(&cond.condition).as_bool() {
                    Some(true) => None,
                    Some(false) => {
                        self.locals.truncate(depth);
                        continue;
                    }
                    None => {
                        self.locals.truncate(depth);
                        return Value::Unknown;
                    }
                },
            };
            let v = match (body, &f.body, rec.as_mut()) {
                (Some(e), _, Some((pointer, spans))) => {
                    let at = format!("{pointer}/{}", out.len());
                    spans.insert(at.clone(), self.dep.span(e.span));
                    self.recorded(e, &at, spans)
                }
                (Some(e), _, None) => self.eval(e),
                (None, ForBody::If(cond), Some((pointer, spans))) => {
                    let at = format!("{pointer}/{}", out.len());
                    spans.insert(at.clone(), self.dep.span(cond.body.span));
                    self.object(&cond.body, Some((&at, spans)))
                }
                (None, ForBody::If(cond), None) => self.object(&cond.body, None),
                (None, ForBody::Expr(e), _) => self.eval(e),
            };
            self.locals.truncate(depth);
            out.push(v);
        }
        Value::List(out)
    }

    /// `a::b::c`: a nested child resource, by its key.
    fn resource_access(&mut self, expr: &Expr) -> Value {
        let Some(key) = access_key(expr) else {
            return Value::Unknown;
        };
        match self.dep.symbol(&key) {
            Some(Symbol::Resource(r)) => {
                let r = r.clone();
                self.dep.resource_instances(&r).value()
            }
            _ => Value::Unknown,
        }
    }
}

/// The symbol key of `a::b::c` (`None` for anything else, such as an indexed base).
pub fn access_key(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Variable(id) => Some(id.name.clone()),
        ExprKind::ResourceAccess { base, name } => {
            Some(format!("{}::{}", access_key(base)?, name.name))
        }
        _ => None,
    }
}

/// `base.name`: missing properties of an object are `Unknown` (a deployed resource's
/// runtime properties), or `null` with `.?`.
pub fn property(base: &Value, name: &str, safe: bool) -> Value {
    match base {
        Value::Object(map) => map
            .get(name)
            .or_else(|| {
                map.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            })
            .cloned()
            .unwrap_or(if safe { Value::Null } else { Value::Unknown }),
        Value::Null if safe => Value::Null,
        _ => Value::Unknown,
    }
}

/// `base[index]`, `base[?index]`, `base[^index]`.
pub fn element(base: &Value, index: &Value, safe: bool, from_end: bool) -> Value {
    let missing = if safe { Value::Null } else { Value::Unknown };
    match (base, index) {
        (Value::List(items), Value::Number(n)) if n.fract() == 0.0 && *n >= 0.0 => {
            let n = *n as usize;
            let at = if from_end {
                items.len().checked_sub(n)
            } else {
                Some(n)
            };
            at.and_then(|i| items.get(i)).cloned().unwrap_or(missing)
        }
        (Value::Object(_), Value::String(key)) => property(base, key, safe),
        (Value::Null, _) if safe => Value::Null,
        _ => Value::Unknown,
    }
}

/// Escapes a key for a JSON pointer.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
