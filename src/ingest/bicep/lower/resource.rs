//! Resource declarations → instances: loops and conditions expanded, full type and name
//! from `parent:` or the enclosing resource, the id from the target or `scope:`, and the
//! body with the span of every property.
//!
//! The value a symbolic name stands for is the evaluated body plus `id`, `name` (as
//! declared, not prefixed with the parent's), `type` and `apiVersion`; a property the body
//! does not declare (runtime state such as `identity.principalId`) reads as `Unknown`.

use std::collections::BTreeMap;

use super::super::ast::{self, DeclBody, Expr, ExprKind, ForBody, ObjectExpr, ObjectItem};
use super::deployment::{Deployment, ResourceSym, Symbol, Target};
use super::eval::{access_key, escape, Eval, Spans};
use crate::eval::value::Value;
use crate::model::{canonical_body_key, canonical_type, id, Provenance, Span};

/// Body keys that are not part of the ARM body.
const NOT_IN_BODY: &[&str] = &["name", "parent", "scope", "dependsOn"];

/// One instance of a resource declaration.
#[derive(Clone, Debug)]
pub struct Instance {
    /// Full type in canonical casing (`Microsoft.Network/virtualNetworks/subnets`).
    pub kind: String,
    /// Full name (`vnet/snet`); `None` when unknown.
    pub name: Option<String>,
    /// The ARM id; `None` when unknown.
    pub id: Option<String>,
    /// The value its symbolic name stands for.
    pub value: Value,
    /// `Some(false)` when a condition (its own or its parent's) is false.
    pub deployed: Option<bool>,
    /// Declared `existing`: referenced, not deployed.
    pub existing: bool,
    /// The address within its deployment (`stg`, `stg[2]`, `vnet::snet`).
    pub address: String,
    /// The body and its spans (empty for `existing`).
    pub body: Value,
    /// JSON pointer → span.
    pub spans: Spans,
    /// JSON pointer → where the parameters its value read were set.
    pub provenance: BTreeMap<String, Vec<Provenance>>,
    /// The declaration head (`resource sym 'Type@version'`).
    pub head: Span,
}

/// The instances of one declaration.
#[derive(Debug, Default)]
pub struct Instances {
    /// The instances, in loop order.
    pub items: Vec<Instance>,
    /// Whether the declaration is a loop (its value is a list).
    pub looped: bool,
    /// Whether a loop's count is known.
    pub count_known: bool,
}

impl Instances {
    /// Instances that cannot be evaluated (a cycle).
    pub fn unknown() -> Instances {
        Instances {
            items: Vec::new(),
            looped: true,
            count_known: false,
        }
    }

    /// The value of the symbolic name: one object, or a list for a loop.
    pub fn value(&self) -> Value {
        match (self.looped, self.count_known, self.items.first()) {
            (true, true, _) => Value::List(self.items.iter().map(|i| i.value.clone()).collect()),
            (false, _, Some(only)) => only.value.clone(),
            _ => Value::Unknown,
        }
    }
}

/// Evaluates the instances of `sym`.
pub fn instances(dep: &Deployment<'_>, sym: &ResourceSym<'_>) -> Instances {
    let parent = sym.parent.as_ref().and_then(|key| match dep.symbol(key) {
        Some(Symbol::Resource(p)) => dep.resource_instances(&p.clone()).items.first().cloned(),
        _ => None,
    });
    let parent_deployed = parent.as_ref().and_then(|p| p.deployed);
    let mut out = Instances::default();
    let mut ev = Eval::new(dep);
    let one = |ev: &mut Eval<'_, '_>, body: &ObjectExpr, cond: Option<bool>, address: String| {
        let deployed = match (parent_deployed, cond) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), c) => c,
            (None, _) => None,
        };
        let mut i = instance(ev, sym, parent.as_ref(), body, address);
        i.deployed = deployed;
        i
    };
    match &sym.decl.body {
        DeclBody::Object(body) => out
            .items
            .push(one(&mut ev, body, Some(true), sym.key.clone())),
        DeclBody::If(body) => {
            let cond = ev.eval(&body.condition).as_bool();
            out.items
                .push(one(&mut ev, &body.body, cond, sym.key.clone()));
        }
        DeclBody::For(f) => {
            out.looped = true;
            let items = ev.instances(f);
            out.count_known = items.is_some();
            let known = items.is_some();
            let items = items.unwrap_or_else(|| vec![Value::Unknown]);
            for (i, item) in items.into_iter().enumerate() {
                let index = if known {
                    Value::Number(i as f64)
                } else {
                    Value::Unknown
                };
                let address = if known {
                    format!("{}[{i}]", sym.key)
                } else {
                    sym.key.clone()
                };
                ev.locals = Eval::bindings(f, item, index);
                match &f.body {
                    ForBody::Expr(e) => match &e.kind {
                        ExprKind::Object(body) => {
                            out.items.push(one(&mut ev, body, Some(true), address));
                        }
                        _ => continue,
                    },
                    ForBody::If(body) => {
                        let cond = ev.eval(&body.condition).as_bool();
                        out.items.push(one(&mut ev, &body.body, cond, address));
                    }
                }
            }
        }
        DeclBody::Error(_) => {}
    }
    out
}

/// The type string `Microsoft.X/y@version` split into type and version.
fn split_type(decl: &ast::ResourceDecl) -> (String, String) {
    let text = decl.type_string.as_literal().unwrap_or_default();
    match text.split_once('@') {
        Some((t, v)) => (t.to_owned(), v.to_owned()),
        None => (text.to_owned(), String::new()),
    }
}

fn instance(
    ev: &mut Eval<'_, '_>,
    sym: &ResourceSym<'_>,
    enclosing: Option<&Instance>,
    body: &ObjectExpr,
    address: String,
) -> Instance {
    let dep = ev.dep;
    let decl = sym.decl;
    let head = dep.span(ast::Span::new(
        decl.name.span.start,
        decl.type_string.span.end,
    ));
    let (short_type, api) = split_type(decl);
    let parent = match body.get("parent") {
        Some(e) => resolve_reference(ev, e),
        None => enclosing.cloned(),
    };
    let kind = canonical_type(&match &parent {
        Some(p) if !short_type.contains('/') => format!("{}/{short_type}", p.kind),
        _ => short_type,
    });
    let budget = &dep.shared.budget;
    let own = body
        .get("name")
        .map(|e| ev.eval(e))
        .filter(|v| {
            v.as_str()
                .map_or_else(|| budget.keep(v), |n| budget.keep_name(n))
        })
        .unwrap_or(Value::Unknown);
    let name = match (&own, &parent) {
        (Value::String(n), Some(p)) => p.name.as_ref().map(|pn| format!("{pn}/{n}")),
        (Value::String(n), None) => Some(n.clone()),
        _ => None,
    };
    let scope = body.get("scope").map(|e| ev.eval(e));
    let resource_id = name
        .as_ref()
        .and_then(|n| build_id(dep, &kind, n, scope.as_ref(), parent.as_ref()));
    let mut spans = Spans::new();
    let mut map = BTreeMap::new();
    ev.provenance.clear();
    if !decl.existing {
        for item in &body.items {
            let ObjectItem::Property(p) = item else {
                continue;
            };
            let Some(key) = ev.key(&p.key) else {
                continue;
            };
            if NOT_IN_BODY.contains(&key.as_str()) {
                continue;
            }
            let key = canonical_body_key(&key);
            let pointer = format!("/{}", escape(&key));
            spans.insert(pointer.clone(), dep.span(p.span));
            let v = ev.recorded(&p.value, &pointer, &mut spans);
            map.insert(key, if budget.keep(&v) { v } else { Value::Unknown });
        }
    }
    let mut value = map.clone();
    value.insert(
        "id".into(),
        resource_id.clone().map_or(Value::Unknown, Value::String),
    );
    value.insert("name".into(), own);
    value.insert("type".into(), Value::String(kind.clone()));
    value.insert("apiVersion".into(), Value::String(api));
    if let Some(name_prop) = body.items.iter().find_map(|item| match item {
        ObjectItem::Property(p) if p.key.as_str() == Some("name") => Some(p.span),
        _ => None,
    }) {
        spans.insert("/name".into(), dep.span(name_prop));
    }
    Instance {
        kind,
        name,
        id: resource_id,
        value: Value::Object(value),
        deployed: None,
        existing: decl.existing,
        address,
        body: Value::Object(map),
        spans,
        provenance: std::mem::take(&mut ev.provenance),
        head,
    }
}

/// The resource a `parent:` expression names: `sym`, `sym[i]`, `a::b`.
fn resolve_reference(ev: &mut Eval<'_, '_>, expr: &Expr) -> Option<Instance> {
    let (base, index) = match &expr.kind {
        ExprKind::Index { base, index, .. } => (base.as_ref(), Some(index.as_ref())),
        _ => (expr, None),
    };
    let key = access_key(base)?;
    let Some(Symbol::Resource(sym)) = ev.dep.symbol(&key) else {
        return None;
    };
    let sym = sym.clone();
    let instances = ev.dep.resource_instances(&sym);
    match index.map(|i| ev.eval(i)) {
        None => instances.items.first().cloned(),
        Some(Value::Number(n)) if n >= 0.0 && n.fract() == 0.0 => {
            instances.items.get(n as usize).cloned()
        }
        Some(_) => None,
    }
}

/// The id of a resource of `kind` named `name` (full name) deployed by `dep`, at `scope`
/// when given: a resource group or subscription moves it, a resource makes it an
/// extension resource of that resource.
fn build_id(
    dep: &Deployment<'_>,
    kind: &str,
    name: &str,
    scope: Option<&Value>,
    parent: Option<&Instance>,
) -> Option<String> {
    let target = match scope {
        None => match parent.and_then(|p| p.id.as_deref()) {
            // A child shares its parent's id prefix (an extension parent, another group).
            Some(parent_id) => {
                let last = kind.rsplit('/').next().unwrap_or_default();
                let own = name.rsplit('/').next().unwrap_or_default();
                return Some(format!("{parent_id}/{last}/{own}"));
            }
            None => dep.target.clone(),
        },
        Some(Value::Object(obj)) => {
            let scope_id = obj.get("id").and_then(Value::as_str)?;
            match scope_target(scope_id, &dep.target) {
                Some(t) => t,
                None => {
                    return Some(format!(
                        "{}/providers/{}",
                        scope_id.trim_end_matches('/'),
                        id::interleave(kind, name)
                    ))
                }
            }
        }
        Some(_) => return None,
    };
    Some(
        match (&target.resource_group, target.subscription.is_empty()) {
            (None, true) => format!("/providers/{}", id::interleave(kind, name)),
            (rg, _) => id::build(
                &target.subscription,
                rg.as_deref().unwrap_or_default(),
                kind,
                name,
            ),
        },
    )
}

/// A scope id that is a resource group, subscription, management group or the tenant, as a
/// target; `None` for a resource, which makes an extension resource.
pub fn scope_target(scope_id: &str, current: &Target) -> Option<Target> {
    let parts: Vec<&str> = scope_id.split('/').filter(|s| !s.is_empty()).collect();
    match parts.as_slice() {
        [s, sub] if s.eq_ignore_ascii_case("subscriptions") => Some(Target {
            subscription: (*sub).to_owned(),
            resource_group: None,
        }),
        [s, sub, g, rg]
            if s.eq_ignore_ascii_case("subscriptions")
                && g.eq_ignore_ascii_case("resourceGroups") =>
        {
            Some(Target {
                subscription: (*sub).to_owned(),
                resource_group: Some((*rg).to_owned()),
            })
        }
        [] => Some(Target {
            subscription: current.subscription.clone(),
            resource_group: None,
        }),
        [p, m, g, _]
            if p.eq_ignore_ascii_case("providers")
                && m.eq_ignore_ascii_case("Microsoft.Management")
                && g.eq_ignore_ascii_case("managementGroups") =>
        {
            Some(Target {
                subscription: current.subscription.clone(),
                resource_group: None,
            })
        }
        _ => None,
    }
}
