//! One template's evaluation scope: its parameters and variables (evaluated lazily, in
//! any order, once), the deployment it is deployed in, and the problems met on the way.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use serde_json::Value as Json;

use super::expr::Context;
use super::parameters::Given;
use super::walk;
use crate::diagnostic::Diagnostic;
use crate::eval::budget::Budget;
use crate::eval::symbolic;
use crate::eval::value::Value;
use crate::ingest::json::JsonDoc;
use crate::model::provenance::extend_unique;
use crate::model::{FileId, Provenance, ProvenanceKind, Span};

/// Lazy evaluation deeper than this (a variable that needs a variable that needs …) gives
/// `Unknown` instead of overflowing the stack.
const MAX_LAZY_DEPTH: usize = 64;

/// Template values nested deeper than this (counting the variables evaluated on the way)
/// give `Unknown` instead of overflowing the stack.
const MAX_NESTING: usize = 200;

/// Where a parameter's or variable's value comes from.
enum Slot<'d> {
    /// A value given from outside (parameter file, nested deployment).
    Given(Value),
    /// Template JSON to evaluate, with its JSON pointer.
    Source(&'d Json, String),
    /// A variable `copy` entry (`{name, count, input}`), with its JSON pointer.
    Copy(&'d Json, String),
    /// Declared without a value: unknown.
    Missing,
}

/// The deployment target: the subscription and resource group resources are created in.
#[derive(Clone, Debug)]
pub struct Target {
    /// The subscription id.
    pub subscription: String,
    /// The resource group name; `None` at subscription, management group or tenant scope.
    pub resource_group: Option<String>,
}

/// The file a template is read from, and the problems met reading it.
pub struct File<'d> {
    /// The parsed document.
    pub doc: &'d JsonDoc,
    /// Its id.
    pub id: FileId,
    /// Its path, for diagnostics.
    pub path: std::path::PathBuf,
    /// Problems found so far.
    pub diagnostics: RefCell<Vec<Diagnostic>>,
    /// The work budget of the template and its nested deployments (one deployment unit).
    pub budget: Budget,
    lazy_depth: Cell<usize>,
    nesting: Cell<usize>,
    /// Whether values were cut for nesting too deep (said once).
    cut: Cell<bool>,
}

impl<'d> File<'d> {
    /// Starts reading `doc`.
    pub fn new(doc: &'d JsonDoc, id: FileId, path: std::path::PathBuf) -> File<'d> {
        File {
            doc,
            id,
            path,
            diagnostics: RefCell::new(Vec::new()),
            budget: Budget::new(),
            lazy_depth: Cell::new(0),
            nesting: Cell::new(0),
            cut: Cell::new(false),
        }
    }

    /// The span of a JSON pointer (or its closest ancestor) in the document.
    pub fn span(&self, pointer: &str) -> Span {
        self.doc
            .span_of(pointer)
            .unwrap_or_else(|| Span::new(self.id, 0..0))
    }

    /// Records an error at a pointer.
    pub fn error(&self, pointer: &str, message: String) {
        let span = self.span(pointer);
        self.diagnostics.borrow_mut().push(Diagnostic::error(
            self.path.clone(),
            Some(span),
            message,
        ));
    }

    /// Runs `f` one level deeper into template values; `None` past [`MAX_NESTING`].
    pub fn nested<T>(&self, f: impl FnOnce() -> T) -> Option<T> {
        let depth = self.nesting.get();
        if depth >= MAX_NESTING {
            self.too_deep();
            return None;
        }
        self.nesting.set(depth + 1);
        let v = f();
        self.nesting.set(depth);
        Some(v)
    }

    /// Says once that values nested too deep were left unknown: nothing is cut silently.
    fn too_deep(&self) {
        if !self.cut.replace(true) {
            self.diagnostics.borrow_mut().push(Diagnostic::warning(
                self.path.clone(),
                None,
                format!(
                    "template values nest deeper than {MAX_NESTING} levels (or parameters and \
                     variables evaluate through more than {MAX_LAZY_DEPTH}); what lies deeper \
                     is unknown"
                ),
            ));
        }
    }

    /// Counts one step of work; `false` once the unit's budget is spent.
    pub fn work(&self) -> bool {
        self.budget.step()
    }

    /// The problems found, with the warning saying where the budget went if it was spent.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics.into_inner();
        let path = self.path;
        diagnostics.extend(self.budget.diagnostic(path.clone(), |_| path.clone()));
        diagnostics
    }
}

/// A template's parameters and variables, and the deployment it is evaluated in.
pub struct Scope<'d, 'f> {
    /// The file the template is in.
    pub file: &'f File<'d>,
    parameters: HashMap<String, Slot<'d>>,
    variables: HashMap<String, Slot<'d>>,
    cache: RefCell<HashMap<(bool, String), Value>>,
    /// Where given parameters were set, by lowercased name.
    given_origins: HashMap<String, Vec<Provenance>>,
    /// Where the parameters each parameter or variable reads were set, worked out so far.
    origins: RefCell<HashMap<(bool, String), Vec<Provenance>>>,
    resource_group: Value,
    subscription: Value,
}

impl<'d, 'f> Scope<'d, 'f> {
    /// The scope, deployed to `target`, of the template at `pointer` (the document root or a nested deployment's
    /// `template`), with parameter values given from outside overriding `defaultValue`.
    pub fn new(
        file: &'f File<'d>,
        template: &'d Json,
        pointer: &str,
        given: Vec<Given>,
        target: &Target,
    ) -> Scope<'d, 'f> {
        let mut given_origins = HashMap::new();
        let mut given: HashMap<String, Value> = given
            .into_iter()
            .map(|g| {
                let key = g.name.to_lowercase();
                given_origins.insert(key.clone(), g.origins);
                (key, g.value)
            })
            .collect();
        let mut parameters = HashMap::new();
        if let Some(declared) = template.get("parameters").and_then(Json::as_object) {
            for (name, decl) in declared {
                let key = name.to_lowercase();
                let slot = match (given.remove(&key), decl.get("defaultValue")) {
                    // A secret passed in (a parameter file, a parent deployment) is not
                    // in this template: moat neither reads nor judges it.
                    (Some(_), _) if is_secure(decl) && is_text(decl) => {
                        let unit = format!("{}{pointer}", file.path.display());
                        Slot::Given(Value::String(symbolic::marker_in(name, &unit)))
                    }
                    (Some(_), _) if is_secure(decl) => Slot::Given(Value::Unknown),
                    (Some(v), _) => Slot::Given(v),
                    (None, Some(default)) => Slot::Source(
                        default,
                        format!("{pointer}/parameters/{}/defaultValue", escape(name)),
                    ),
                    (None, None) if is_text(decl) => {
                        let unit = format!("{}{pointer}", file.path.display());
                        Slot::Given(Value::String(symbolic::marker_in(name, &unit)))
                    }
                    (None, None) => Slot::Missing,
                };
                parameters.insert(key, slot);
            }
        }
        let mut variables = HashMap::new();
        if let Some(declared) = template.get("variables").and_then(Json::as_object) {
            for (name, value) in declared {
                let at = format!("{pointer}/variables/{}", escape(name));
                if name.eq_ignore_ascii_case("copy") {
                    for (i, entry) in value.as_array().into_iter().flatten().enumerate() {
                        if let Some(n) = entry.get("name").and_then(Json::as_str) {
                            variables
                                .insert(n.to_lowercase(), Slot::Copy(entry, format!("{at}/{i}")));
                        }
                    }
                } else {
                    variables.insert(name.to_lowercase(), Slot::Source(value, at));
                }
            }
        }
        let subscription = subscription_object(&target.subscription);
        let resource_group = target.resource_group.as_ref().map_or(Value::Null, |rg| {
            resource_group_object(&target.subscription, rg)
        });
        Scope {
            file,
            parameters,
            variables,
            cache: RefCell::new(HashMap::new()),
            given_origins,
            origins: RefCell::new(HashMap::new()),
            resource_group,
            subscription,
        }
    }

    /// An evaluation context at the template's top level (no copy loop).
    pub fn context(&self) -> Ctx<'_, 'd, 'f> {
        Ctx {
            scope: self,
            copies: Vec::new(),
        }
    }

    fn slot(&self, is_variable: bool, key: &str) -> Option<&Slot<'d>> {
        if is_variable {
            self.variables.get(key)
        } else {
            self.parameters.get(key)
        }
    }

    fn lookup(&self, is_variable: bool, name: &str) -> Option<Value> {
        let key = name.to_lowercase();
        self.slot(is_variable, &key)?;
        let cache_key = (is_variable, key);
        if let Some(v) = self.cache.borrow().get(&cache_key) {
            return Some(v.clone());
        }
        // What this value refers to is evaluated first, deepest first, so a chain of
        // variables as long as the input likes never nests evaluation.
        for dependency in self.evaluation_order(&cache_key) {
            self.evaluate(dependency);
        }
        self.cache.borrow().get(&cache_key).cloned()
    }

    /// The parameters and variables `start` depends on, transitively, that are not yet
    /// evaluated, in an order where each comes after what it refers to; `start` is last.
    /// An explicit work list: no recursion on the length of a chain.
    fn evaluation_order(&self, start: &(bool, String)) -> Vec<(bool, String)> {
        let mut order = Vec::new();
        let mut seen = HashSet::from([start.clone()]);
        let mut stack = vec![(start.clone(), false)];
        while let Some((node, expanded)) = stack.pop() {
            if expanded {
                order.push(node);
                continue;
            }
            stack.push((node.clone(), true));
            let json = match self.slot(node.0, &node.1) {
                Some(Slot::Source(json, _) | Slot::Copy(json, _)) => *json,
                _ => continue,
            };
            for dependency in references(json) {
                let known = self.cache.borrow().contains_key(&dependency);
                if !known
                    && self.slot(dependency.0, &dependency.1).is_some()
                    && seen.insert(dependency.clone())
                {
                    stack.push((dependency, false));
                }
            }
        }
        order
    }

    /// Evaluates one parameter or variable into the cache (unless it is there already).
    fn evaluate(&self, cache_key: (bool, String)) {
        if self.cache.borrow().contains_key(&cache_key) {
            return;
        }
        let Some(slot) = self.slot(cache_key.0, &cache_key.1) else {
            return;
        };
        let depth = self.file.lazy_depth.get();
        if depth >= MAX_LAZY_DEPTH {
            self.file.too_deep();
            self.cache.borrow_mut().insert(cache_key, Value::Unknown);
            return;
        }
        // Unknown while in progress: a cycle evaluates to unknown instead of looping.
        self.cache
            .borrow_mut()
            .insert(cache_key.clone(), Value::Unknown);
        self.file.lazy_depth.set(depth + 1);
        let ctx = self.context();
        let budget = &self.file.budget;
        let value = match slot {
            Slot::Given(v) => v.clone(),
            Slot::Source(json, pointer) => {
                budget.at(self.file.span(pointer), || walk::value(&ctx, json, pointer))
            }
            Slot::Copy(entry, pointer) => budget.at(self.file.span(pointer), || {
                walk::copy_array(&ctx, entry, pointer, None)
            }),
            Slot::Missing => Value::Unknown,
        };
        self.file.lazy_depth.set(depth);
        self.cache.borrow_mut().insert(cache_key, value);
    }
}

impl Scope<'_, '_> {
    /// Where the parameters a template value reads (directly or through variables) were
    /// set, nearest first.
    pub fn origins(&self, json: &Json) -> Vec<Provenance> {
        let mut out = Vec::new();
        for read in references(json) {
            extend_unique(&mut out, &self.origins_of(read));
        }
        out
    }

    /// Where a parameter, or the parameters a variable reads, were set: each worked out
    /// once, deepest first with a work list (a cycle adds nothing).
    fn origins_of(&self, start: (bool, String)) -> Vec<Provenance> {
        if let Some(done) = self.origins.borrow().get(&start) {
            return done.clone();
        }
        let mut queued = HashSet::from([start.clone()]);
        let mut stack = vec![(start.clone(), false)];
        while let Some((node, expanded)) = stack.pop() {
            let reads = match self.slot(node.0, &node.1) {
                Some(Slot::Source(json, _) | Slot::Copy(json, _)) if node.0 => references(json),
                _ => Vec::new(),
            };
            if !expanded && !reads.is_empty() {
                stack.push((node, true));
                for read in reads {
                    let done = self.origins.borrow().contains_key(&read);
                    if !done && queued.insert(read.clone()) {
                        stack.push((read, false));
                    }
                }
                continue;
            }
            let mut chain = if node.0 {
                Vec::new()
            } else {
                self.parameter_origin(&node.1)
            };
            let done = self.origins.borrow();
            for read in &reads {
                extend_unique(&mut chain, done.get(read).map_or(&[], Vec::as_slice));
            }
            drop(done);
            self.origins.borrow_mut().insert(node, chain);
        }
        self.origins
            .borrow()
            .get(&start)
            .cloned()
            .unwrap_or_default()
    }

    /// Where a parameter (lowercased name) was set: given from outside, or its default.
    fn parameter_origin(&self, key: &str) -> Vec<Provenance> {
        match self.parameters.get(key) {
            Some(Slot::Given(_)) => self.given_origins.get(key).cloned().unwrap_or_default(),
            Some(Slot::Source(_, pointer)) => {
                let name = pointer.rsplit('/').nth(1).map_or_else(
                    || key.to_owned(),
                    |n| n.replace("~1", "/").replace("~0", "~"),
                );
                vec![Provenance::at(
                    ProvenanceKind::ParameterDefault,
                    name,
                    self.file.span(pointer),
                )]
            }
            _ => Vec::new(),
        }
    }
}

/// The parameters (`false`) and variables (`true`) a template value's expressions name,
/// lowercased: `[variables('a')]`, `parameters('b')` anywhere in its strings. A reference
/// the scan misses is still evaluated when it is met, only less flatly.
fn references(json: &Json) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut stack = vec![json];
    while let Some(value) = stack.pop() {
        match value {
            Json::String(text) => {
                let lower = text.to_lowercase();
                for (is_variable, call) in [(true, "variables("), (false, "parameters(")] {
                    for (at, _) in lower.match_indices(call) {
                        let rest = lower[at + call.len()..].trim_start();
                        let Some(quoted) = rest.strip_prefix('\'') else {
                            continue;
                        };
                        if let Some(end) = quoted.find('\'') {
                            out.push((is_variable, quoted[..end].to_owned()));
                        }
                    }
                }
            }
            Json::Array(items) => stack.extend(items),
            Json::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    out
}

/// Whether a parameter declaration is of a text type (`string`, `securestring`): without a
/// value it is a symbolic string named after the parameter.
fn is_text(decl: &Json) -> bool {
    decl.get("type")
        .and_then(Json::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("string") || t.eq_ignore_ascii_case("securestring"))
}

/// Whether a parameter declaration is a secret (`securestring`, `secureobject`): its
/// value, when given from outside the template, stays symbolic.
fn is_secure(decl: &Json) -> bool {
    decl.get("type").and_then(Json::as_str).is_some_and(|t| {
        t.eq_ignore_ascii_case("securestring") || t.eq_ignore_ascii_case("secureobject")
    })
}

/// An evaluation context: a scope plus the copy loops being expanded.
pub struct Ctx<'s, 'd, 'f> {
    /// The template scope.
    pub scope: &'s Scope<'d, 'f>,
    /// The copy loops entered, innermost last.
    copies: Vec<Loop>,
}

/// One copy loop being expanded.
#[derive(Clone)]
struct Loop {
    name: String,
    /// The iteration; `None` when the count is unknown.
    index: Option<i64>,
    /// A resource loop (what `copyIndex()` without a name counts), not a property or
    /// variable loop.
    resource: bool,
}

impl<'s, 'd, 'f> Ctx<'s, 'd, 'f> {
    /// This context inside iteration `index` of copy loop `name` (a resource loop when
    /// `resource`, else a property or variable loop).
    pub fn in_copy(&self, name: &str, index: Option<i64>, resource: bool) -> Ctx<'s, 'd, 'f> {
        let mut copies = self.copies.clone();
        copies.push(Loop {
            name: name.to_owned(),
            index,
            resource,
        });
        Ctx {
            scope: self.scope,
            copies,
        }
    }

    /// The file being read.
    pub fn file(&self) -> &'f File<'d> {
        self.scope.file
    }
}

impl Context for Ctx<'_, '_, '_> {
    fn parameter(&self, name: &str) -> Option<Value> {
        self.scope.lookup(false, name)
    }

    fn variable(&self, name: &str) -> Option<Value> {
        self.scope.lookup(true, name)
    }

    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64> {
        let mut loops = self.copies.iter().rev();
        match loop_name {
            None => loops.find(|l| l.resource)?.index,
            Some(n) => loops.find(|l| l.name.eq_ignore_ascii_case(n))?.index,
        }
    }

    fn resource_group(&self) -> Value {
        self.scope.resource_group.clone()
    }

    fn subscription(&self) -> Value {
        self.scope.subscription.clone()
    }

    fn deployment(&self) -> Value {
        Value::Unknown
    }

    fn budget(&self) -> Option<&Budget> {
        Some(&self.scope.file.budget)
    }
}

/// Escapes a key for a JSON pointer.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The object `resourceGroup()` gives for a named group: id and name known, its location
/// unknown with identity (that group's location), the rest not known.
pub fn resource_group_object(subscription: &str, name: &str) -> Value {
    let id = format!("/subscriptions/{subscription}/resourceGroups/{name}");
    let location = symbolic::marker_in("resourceGroup().location", &id);
    Value::Object(
        [
            ("name".to_owned(), Value::from(name)),
            ("id".to_owned(), Value::String(id)),
            ("location".to_owned(), Value::String(location)),
            (
                "type".to_owned(),
                Value::from("Microsoft.Resources/resourceGroups"),
            ),
            ("properties".to_owned(), Value::Unknown),
            ("tags".to_owned(), Value::Unknown),
        ]
        .into(),
    )
}

/// The object `subscription()` gives for a subscription id (its tenant unknown with
/// identity).
pub fn subscription_object(subscription: &str) -> Value {
    Value::Object(
        [
            ("subscriptionId".to_owned(), Value::from(subscription)),
            (
                "id".to_owned(),
                Value::String(format!("/subscriptions/{subscription}")),
            ),
            (
                "tenantId".to_owned(),
                Value::String(symbolic::marker_in("subscription().tenantId", subscription)),
            ),
            ("displayName".to_owned(), Value::Unknown),
        ]
        .into(),
    )
}
