//! Evaluates one module instance: variables, locals, resources, module calls and outputs
//! resolve lazily, on first reference, each once; a reference cycle yields unknown
//! instead of looping. Module calls evaluate the called module with the arguments passed,
//! once per `count` / `for_each` instance, to any depth.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl_edit::Span as _;

use super::azapi;
use super::config::{Mode, ModuleConfig, ResourceBlock};
use super::eval::{evaluate, explain_unknown, Scope};
use super::instance::{eval_body, Instance, Trace};
use super::mapping::{self, Mapped, Patch};
use super::module_source::{relative_to, resolve, Manifest, Resolved};
use super::references::{self, Input, Reference};
use super::repetition::{Repetition, Shape};
use super::types::conform;
use super::workspace::{Workspace, MAX_MODULE_DEPTH};
use crate::eval::budget::{Budget, Measure};
use crate::eval::symbolic;
use crate::eval::value::Value;
use crate::model::provenance::extend_unique;
use crate::model::{Provenance, ProvenanceKind, Resource, Span};

/// Arguments of a `module` block that steer Terraform, not the called module.
const CALL_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// How deeply explanations of unknown values may nest.
const MAX_EXPLAIN_DEPTH: usize = 32;

/// Evaluation state of a lazily computed value.
enum Slot<T> {
    InProgress,
    Done(T),
}

/// Every instance of one resource block, evaluated and mapped.
pub struct Evaluated {
    /// What a reference to the block evaluates to: an object, or a list (count) or map
    /// (for_each) of objects.
    pub value: Value,
    /// The instances with what they map to (`None` for unmapped types).
    pub instances: Vec<(Instance, Option<Mapped>)>,
}

/// Every instance of one module call.
struct CallEval<'a> {
    shape: Shape,
    instances: Vec<ModuleEval<'a>>,
}

/// Where a module instance sits in the tree of calls.
#[derive(Clone)]
pub struct Context<'a> {
    workspace: &'a Workspace,
    /// The root module's folder.
    root: &'a Path,
    /// The address prefix of everything inside: `module.x["k"].` (empty in the root).
    prefix: String,
    /// The call names from the root, as `modules.json` keys them.
    key: Vec<String>,
    /// The module folders from the root down to this one.
    chain: Vec<PathBuf>,
    /// The root module's work budget, shared by every module it calls.
    budget: &'a Budget,
}

impl<'a> Context<'a> {
    /// The context of a root module.
    pub fn root(workspace: &'a Workspace, root: &'a Path, budget: &'a Budget) -> Context<'a> {
        Context {
            workspace,
            root,
            prefix: String::new(),
            key: Vec::new(),
            chain: vec![root.to_path_buf()],
            budget,
        }
    }
}

/// A declaration of a module evaluated once, on first need.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Node {
    Local(String),
    Resource(usize),
    Call(usize),
}

/// One module instance being evaluated.
pub struct ModuleEval<'a> {
    config: &'a ModuleConfig,
    ctx: Context<'a>,
    vars: BTreeMap<String, Value>,
    locals: RefCell<HashMap<String, Slot<Value>>>,
    resources: RefCell<HashMap<usize, Slot<Rc<Evaluated>>>>,
    calls: RefCell<HashMap<usize, Slot<Rc<CallEval<'a>>>>>,
    outputs: RefCell<HashMap<String, Slot<Value>>>,
    index: HashMap<(Mode, &'a str, &'a str), usize>,
    call_index: HashMap<&'a str, usize>,
    /// Why variables are unknown, when their value came from an unknown argument.
    var_reasons: BTreeMap<String, String>,
    /// Where variables were set (tfvars, `--var`, module argument, default), nearest first.
    pub var_origins: BTreeMap<String, Vec<Provenance>>,
    /// Where the variables each local reads were set (each local worked out once).
    local_origins: RefCell<HashMap<String, Vec<Provenance>>>,
    /// Why attributes are unknown, by span.
    reasons: RefCell<HashMap<Span, String>>,
    /// How deep explanations of unknown values currently nest (guards local cycles).
    explaining: Cell<usize>,
    /// Reads refused and not yet placed at the attribute that asked.
    refused: RefCell<Vec<String>>,
    /// Reads refused, at the attribute that asked when known.
    refusals: RefCell<Vec<(Option<Span>, String)>>,
    /// Why each local explained so far is unknown (each is searched once: linear).
    explained: RefCell<HashMap<String, Option<String>>>,
    /// Declarations queued for evaluation, deepest first (see `prepare_all`).
    queued: RefCell<HashSet<Node>>,
}

/// A module's input variables from the values assigned to them (arguments of the call,
/// or tfvars for a root): converted to their type; unassigned ones take their default,
/// and without one are unknown: a string (or untyped) one keeps its identity as the
/// symbolic string `var.name`, qualified by the module instance's address `prefix`, in
/// the root module at `root`. With the values, where each was set: `origins` of the
/// assigned ones, the `default` line for the others.
pub fn input_values(
    config: &ModuleConfig,
    mut assigned: BTreeMap<String, Value>,
    mut origins: BTreeMap<String, Vec<Provenance>>,
    prefix: &str,
    root: &Path,
    budget: &Budget,
) -> (BTreeMap<String, Value>, BTreeMap<String, Vec<Provenance>>) {
    let mut set_at = BTreeMap::new();
    let values = config
        .variables
        .iter()
        .map(|(name, variable)| {
            let defaulted = match assigned.get(name) {
                None => true,
                Some(Value::Null) => variable.non_nullable,
                Some(_) => false,
            };
            let origin = match (defaulted, variable.default_span) {
                (false, _) => origins.remove(name),
                (true, Some(span)) => Some(vec![Provenance::at(
                    ProvenanceKind::Default,
                    format!("{prefix}var.{name}"),
                    span,
                )]),
                (true, None) => None,
            };
            if let Some(origin) = origin {
                set_at.insert(name.clone(), origin);
            }
            let default = || match &variable.default {
                Some(d) => evaluate(d, &Defaults(budget)),
                None if is_text_type(variable.ty.as_ref()) => {
                    let producer = format!("{prefix}var.{name}");
                    Value::String(symbolic::marker_in(&producer, &root.to_string_lossy()))
                }
                None => Value::Unknown,
            };
            let value = match assigned.remove(name) {
                Some(Value::Null) if variable.non_nullable => default(),
                Some(value) => value,
                None => default(),
            };
            let value = match &variable.ty {
                Some(ty) => conform(ty, value),
                None => value,
            };
            (name.clone(), value)
        })
        .collect();
    (values, set_at)
}

/// The scope of variable defaults: they refer to nothing, but their work is the unit's.
struct Defaults<'b>(&'b Budget);

impl Scope for Defaults<'_> {
    fn resolve(&self, _root: &str, _attrs: &[&str]) -> Option<(Value, usize)> {
        None
    }

    fn budget(&self) -> Option<&Budget> {
        Some(self.0)
    }
}

/// What evaluating a module tree yields.
#[derive(Default)]
pub struct Collected {
    /// Canonical resources.
    pub resources: Vec<Resource>,
    /// Changes split child resources make to their parents.
    pub patches: Vec<Patch>,
    /// Span of an attribute holding an unknown value → why it is unknown.
    pub reasons: HashMap<Span, String>,
    /// Managed resource types without a mapping → how many instances were not modelled.
    pub unmapped: BTreeMap<String, usize>,
    /// Reads refused by containment: the module folder, the attribute that asked (when
    /// known) and why.
    pub refused: Vec<(PathBuf, Option<Span>, String)>,
}

impl<'a> ModuleEval<'a> {
    /// Prepares a module instance with its input variable values.
    pub fn new(
        config: &'a ModuleConfig,
        ctx: Context<'a>,
        vars: BTreeMap<String, Value>,
    ) -> ModuleEval<'a> {
        let index = config
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| ((r.mode, r.kind.as_str(), r.name.as_str()), i))
            .collect();
        let call_index = config
            .modules
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.as_str(), i))
            .collect();
        ModuleEval {
            config,
            ctx,
            vars,
            locals: RefCell::new(HashMap::new()),
            resources: RefCell::new(HashMap::new()),
            calls: RefCell::new(HashMap::new()),
            outputs: RefCell::new(HashMap::new()),
            index,
            call_index,
            var_reasons: BTreeMap::new(),
            var_origins: BTreeMap::new(),
            local_origins: RefCell::new(HashMap::new()),
            reasons: RefCell::new(HashMap::new()),
            explaining: Cell::new(0),
            refused: RefCell::new(Vec::new()),
            refusals: RefCell::new(Vec::new()),
            explained: RefCell::new(HashMap::new()),
            queued: RefCell::new(HashSet::new()),
        }
    }

    /// The address prefix of this module instance, for messages: `module.x` or `the root module`.
    fn label(&self) -> String {
        match self.ctx.prefix.strip_suffix('.') {
            Some(prefix) => prefix.to_owned(),
            None => "the root module".to_owned(),
        }
    }

    /// Evaluates every managed resource of this module and of every module it calls,
    /// adding what they map to.
    pub fn collect(&self, out: &mut Collected) {
        for i in 0..self.config.resources.len() {
            if self.config.resources[i].mode != Mode::Managed {
                continue;
            }
            let Some(evaluated) = self.resource(i) else {
                continue;
            };
            for (inst, mapped) in &evaluated.instances {
                let Some(mapped) = mapped else {
                    *out.unmapped.entry(inst.kind.clone()).or_default() += 1;
                    continue;
                };
                out.resources.extend(mapped.resources.iter().cloned());
                out.patches.extend(mapped.patches.iter().cloned());
            }
        }
        for i in 0..self.config.modules.len() {
            if let Some(call) = self.call(i) {
                for instance in &call.instances {
                    instance.collect(out);
                }
            }
        }
        out.reasons.extend(self.reasons.borrow_mut().drain());
        let unplaced = self.refused.take().into_iter().map(|m| (None, m));
        let refusals = self.refusals.take().into_iter().chain(unplaced);
        let dir = &self.config.dir;
        out.refused
            .extend(refusals.map(|(span, m)| (dir.clone(), span, m)));
    }

    fn local(&self, name: &str) -> Value {
        if !self.config.locals.contains_key(name) {
            return Value::Unknown;
        }
        self.demand(Node::Local(name.to_owned()));
        match self.locals.borrow().get(name) {
            Some(Slot::Done(v)) => v.clone(),
            _ => Value::Unknown,
        }
    }

    /// Evaluates a local whose references are evaluated.
    fn evaluate_local(&self, name: &str) {
        let Some((expr, file)) = self.config.locals.get(name) else {
            return;
        };
        self.locals
            .borrow_mut()
            .insert(name.to_owned(), Slot::InProgress);
        let span = Span::new(*file, expr.span().unwrap_or(0..0));
        let value = self.ctx.budget.at(span, || evaluate(expr, self));
        self.locals
            .borrow_mut()
            .insert(name.to_owned(), Slot::Done(value));
    }

    /// An output's value; `None` when the module has no such output.
    fn output(&self, name: &str) -> Option<Value> {
        match self.outputs.borrow().get(name) {
            Some(Slot::Done(v)) => return Some(v.clone()),
            Some(Slot::InProgress) => return Some(Value::Unknown),
            None => {}
        }
        let expr = self.config.outputs.get(name)?;
        let nodes: Vec<Node> = references::in_expr(expr)
            .into_iter()
            .filter_map(|r| self.node(r))
            .collect();
        self.prepare_all(nodes);
        self.outputs
            .borrow_mut()
            .insert(name.to_owned(), Slot::InProgress);
        let value = evaluate(expr, self);
        self.outputs
            .borrow_mut()
            .insert(name.to_owned(), Slot::Done(value.clone()));
        Some(value)
    }

    /// Every output, as `module.x` evaluates to.
    fn all_outputs(&self) -> Value {
        Value::Object(
            self.config
                .outputs
                .keys()
                .map(|name| (name.clone(), self.output(name).unwrap_or(Value::Unknown)))
                .collect(),
        )
    }

    fn resource(&self, index: usize) -> Option<Rc<Evaluated>> {
        self.demand(Node::Resource(index));
        match self.resources.borrow().get(&index) {
            Some(Slot::Done(e)) => Some(Rc::clone(e)),
            _ => None,
        }
    }

    /// Evaluates a resource block whose references are evaluated.
    fn evaluate_resource(&self, index: usize) {
        self.resources.borrow_mut().insert(index, Slot::InProgress);
        let block = &self.config.resources[index];
        let evaluated = self
            .ctx
            .budget
            .at(block.head, || self.evaluate_block(block));
        self.resources
            .borrow_mut()
            .insert(index, Slot::Done(Rc::new(evaluated)));
    }

    fn call(&self, index: usize) -> Option<Rc<CallEval<'a>>> {
        self.demand(Node::Call(index));
        match self.calls.borrow().get(&index) {
            Some(Slot::Done(e)) => Some(Rc::clone(e)),
            _ => None,
        }
    }

    /// Evaluates a module call whose arguments' references are evaluated.
    fn evaluate_call_slot(&self, index: usize) {
        self.calls.borrow_mut().insert(index, Slot::InProgress);
        let head = self.config.modules[index].head;
        let evaluated = self.ctx.budget.at(head, || self.evaluate_call(index));
        self.calls
            .borrow_mut()
            .insert(index, Slot::Done(Rc::new(evaluated)));
    }

    /// Evaluates `count` / `for_each` of a block; past the unit's instance budget, the
    /// instances are unknown. A module call's instances all count (module fan-out); a
    /// resource block's only when repeated (one per block is bounded by the input).
    fn repetition(&self, body: &hcl_edit::structure::Body, module: bool) -> Repetition {
        let meta = |name: &str| body.get_attribute(name).map(|a| evaluate(&a.value, self));
        let repetition = Repetition::new(meta("count"), meta("for_each"));
        let expanded = match repetition {
            Repetition::Single | Repetition::Unknown if !module => 0,
            _ => repetition.len() as u64,
        };
        if self.ctx.budget.charge(Measure::Instances, expanded) {
            repetition
        } else {
            Repetition::Unknown
        }
    }

    fn evaluate_block(&self, block: &ResourceBlock) -> Evaluated {
        let base = format!("{}{}", self.ctx.prefix, block.address());
        let repetition = self.repetition(&block.block.body, false);
        let iteration = self.iteration_origins(&block.block.body);
        let shape = repetition.shape();
        let mut instances = Vec::new();
        let mut objects = Vec::new();
        for key in repetition.instances() {
            let scope = InstanceScope {
                module: self,
                count: key.count,
                each: key.each,
                iteration: &iteration,
            };
            let mut trace = Trace::default();
            let mut value = eval_body(&block.block.body, &scope, block.file, "", &mut trace, true);
            let budget = self.ctx.budget;
            let name_kept = match value.get("name") {
                Some(Value::String(name)) => budget.keep_name(name),
                _ => true,
            };
            if !(name_kept && value.values().all(|v| budget.keep(v))) {
                value.values_mut().for_each(|v| *v = Value::Unknown);
            }
            self.reasons.borrow_mut().extend(trace.reasons);
            let placed = trace.refused.into_iter().map(|(s, m)| (Some(s), m));
            self.refusals.borrow_mut().extend(placed);
            let inst = Instance {
                address: format!("{base}{}", key.suffix),
                kind: block.kind.clone(),
                value,
                spans: trace.spans,
                head: block.head,
                literals: trace.literals,
                origins: trace.origins,
            };
            let mapped = azapi::map(&inst).or_else(|| mapping::map(&inst));
            let mut object = inst.value.clone();
            // Without a mapping the id is known only after apply, but keeps its identity.
            let id = mapped.as_ref().map_or_else(
                || Value::String(symbolic::marker(&format!("{}.id", inst.address))),
                |m| m.id.clone(),
            );
            object.insert("id".to_owned(), id);
            objects.push(Value::Object(object));
            instances.push((inst, mapped));
        }
        Evaluated {
            value: shape.assemble(objects),
            instances,
        }
    }

    /// Evaluates a module call: the called module once per instance, with the arguments
    /// passed. A call that cannot be followed has no instances and unknown outputs.
    fn evaluate_call(&self, index: usize) -> CallEval<'a> {
        let unknown = CallEval {
            shape: Shape::Unknown,
            instances: Vec::new(),
        };
        let call = &self.config.modules[index];
        let mut key = self.ctx.key.clone();
        key.push(call.name.clone());
        let empty = Manifest::default();
        let manifest = self.ctx.workspace.manifest(self.ctx.root).unwrap_or(&empty);
        let dir = match resolve(call.source.as_deref(), &self.config.dir, &key, manifest) {
            Resolved::Dir(dir)
                if !self.ctx.chain.contains(&dir) && self.ctx.chain.len() <= MAX_MODULE_DEPTH =>
            {
                dir
            }
            _ => return unknown,
        };
        let Some(config) = self.ctx.workspace.config(&dir) else {
            return unknown;
        };
        let repetition = self.repetition(&call.block.body, true);
        if self.ctx.budget.is_spent() {
            return unknown;
        }
        let shape = repetition.shape();
        let iteration = self.iteration_origins(&call.block.body);
        let mut chain = self.ctx.chain.clone();
        chain.push(dir);
        let instances = repetition
            .instances()
            .into_iter()
            .map(|instance| {
                let scope = InstanceScope {
                    module: self,
                    count: instance.count,
                    each: instance.each,
                    iteration: &iteration,
                };
                let prefix = format!(
                    "{}module.{}{}.",
                    self.ctx.prefix, call.name, instance.suffix
                );
                let mut args = BTreeMap::new();
                let mut var_reasons = BTreeMap::new();
                let mut arg_origins = BTreeMap::new();
                for attr in call.block.body.attributes() {
                    let name = attr.key.as_str();
                    if CALL_META.contains(&name) {
                        continue;
                    }
                    if let Some(r) = attr.span() {
                        let mut chain = vec![Provenance::at(
                            ProvenanceKind::ModuleArgument,
                            format!("{prefix}var.{name}"),
                            Span::new(call.file, r),
                        )];
                        extend_unique(&mut chain, &scope.origins(&attr.value));
                        arg_origins.insert(name.to_owned(), chain);
                    }
                    let value = evaluate(&attr.value, &scope);
                    if value.contains_unknown() {
                        if let Some(reason) = explain_unknown(&attr.value, &scope) {
                            var_reasons.insert(name.to_owned(), reason);
                        }
                    }
                    args.insert(name.to_owned(), value);
                }
                let ctx = Context {
                    workspace: self.ctx.workspace,
                    root: self.ctx.root,
                    prefix,
                    key: key.clone(),
                    chain: chain.clone(),
                    budget: self.ctx.budget,
                };
                let (vars, origins) = input_values(
                    config,
                    args,
                    arg_origins,
                    &ctx.prefix,
                    ctx.root,
                    self.ctx.budget,
                );
                let mut module = ModuleEval::new(config, ctx, vars);
                module.var_reasons = var_reasons;
                module.var_origins = origins;
                module
            })
            .collect();
        CallEval { shape, instances }
    }

    /// `module.name…`: outputs of the call's instances.
    fn resolve_module(&self, attrs: &[&str]) -> Option<(Value, usize)> {
        let index = *self.call_index.get(attrs.first()?)?;
        let Some(call) = self.call(index) else {
            return Some((Value::Unknown, attrs.len()));
        };
        match (&call.shape, call.instances.first(), attrs.get(1)) {
            (Shape::Unknown, _, _) => Some((Value::Unknown, attrs.len())),
            (Shape::Single, Some(instance), Some(output)) => Some((instance.output(output)?, 2)),
            _ => {
                let outputs = call.instances.iter().map(ModuleEval::all_outputs).collect();
                Some((call.shape.assemble(outputs), 1))
            }
        }
    }
}

impl ModuleEval<'_> {
    /// A reference to the resource `address` (its object, taking `taken` traversal steps),
    /// or, when `attr` is an attribute the configuration does not set (`principal_id`,
    /// `tenant_id` of a data source), that attribute: known only after apply, but with the
    /// identity of that attribute of that resource instance.
    fn runtime_attribute(
        &self,
        value: Value,
        address: &str,
        attr: Option<&&str>,
        taken: usize,
    ) -> (Value, usize) {
        match (&value, attr) {
            (Value::Object(map), Some(attr)) if !map.contains_key(*attr) => {
                let producer = format!("{}{address}.{attr}", self.ctx.prefix);
                let root = self.ctx.root.to_string_lossy();
                (
                    Value::String(symbolic::marker_in(&producer, &root)),
                    taken + 1,
                )
            }
            _ => (value, taken),
        }
    }

    /// Why a reference holds an unknown value (see [`Scope::explain`]).
    fn explain_reference(&self, root: &str, attrs: &[&str]) -> Option<String> {
        let first = attrs.first().copied().unwrap_or_default();
        match root {
            "var" => Some(match self.var_reasons.get(first) {
                Some(reason) => format!("{reason} (passed as var.{first} to {})", self.label()),
                None if self.ctx.prefix.is_empty() => {
                    format!("var.{first} has no value (no default, tfvars file or --var)")
                }
                None => format!("var.{first} has no value in {}", self.label()),
            }),
            "local" => {
                if let Some(known) = self.explained.borrow().get(first) {
                    return known.clone();
                }
                let (expr, _) = self.config.locals.get(first)?;
                self.explained.borrow_mut().insert(first.to_owned(), None);
                let reason = explain_unknown(expr, self);
                self.explained
                    .borrow_mut()
                    .insert(first.to_owned(), reason.clone());
                reason
            }
            "data" => Some(format!(
                "data.{first}.{} is read from Azure at apply time",
                attrs.get(1).copied().unwrap_or_default()
            )),
            "module" => {
                let index = *self.call_index.get(first)?;
                let call = self.call(index)?;
                match (&call.shape, call.instances.first(), attrs.get(1)) {
                    (Shape::Unknown, None, _) => Some(format!(
                        "module.{first} is not followed (source {:?})",
                        self.config.modules[index]
                            .source
                            .as_deref()
                            .unwrap_or("not a literal")
                    )),
                    (Shape::Single, Some(instance), Some(output)) => {
                        let expr = instance.config.outputs.get(*output)?;
                        explain_unknown(expr, instance)
                    }
                    _ => None,
                }
            }
            "each" | "count" | "self" | "path" | "terraform" => None,
            kind => Some(format!(
                "{kind}.{first}{} is known only after apply",
                attrs.get(1).map(|a| format!(".{a}")).unwrap_or_default()
            )),
        }
    }
}

impl ModuleEval<'_> {
    /// Where the variables an expression reads, directly or through locals, were set.
    fn expr_origins(&self, expr: &hcl_edit::expr::Expression) -> Vec<Provenance> {
        let mut out = Vec::new();
        if self.var_origins.is_empty() {
            return out;
        }
        for input in references::inputs(expr) {
            match input {
                Input::Var(name) => {
                    if let Some(chain) = self.var_origins.get(&name) {
                        extend_unique(&mut out, chain);
                    }
                }
                Input::Local(name) => extend_unique(&mut out, &self.local_origins(&name)),
                Input::Iteration => {}
            }
        }
        out
    }

    /// Where the variables the `count` or `for_each` of a block read were set.
    fn iteration_origins(&self, body: &hcl_edit::structure::Body) -> Vec<Provenance> {
        let mut out = Vec::new();
        for attr in ["count", "for_each"]
            .into_iter()
            .filter_map(|a| body.get_attribute(a))
        {
            extend_unique(&mut out, &self.expr_origins(&attr.value));
        }
        out
    }

    /// Where the variables a local reads were set, worked out once per local, deepest
    /// first with a work list (a chain of locals never recurses; a cycle adds nothing).
    fn local_origins(&self, name: &str) -> Vec<Provenance> {
        if let Some(done) = self.local_origins.borrow().get(name) {
            return done.clone();
        }
        let mut queued = HashSet::from([name.to_owned()]);
        let mut stack = vec![(name.to_owned(), false)];
        while let Some((local, expanded)) = stack.pop() {
            let inputs = self
                .config
                .locals
                .get(&local)
                .map(|(expr, _)| references::inputs(expr))
                .unwrap_or_default();
            if !expanded {
                stack.push((local, true));
                for input in &inputs {
                    if let Input::Local(l) = input {
                        let done = self.local_origins.borrow().contains_key(l);
                        if !done && queued.insert(l.clone()) {
                            stack.push((l.clone(), false));
                        }
                    }
                }
                continue;
            }
            let mut chain = Vec::new();
            let done = self.local_origins.borrow();
            for input in &inputs {
                let more = match input {
                    Input::Var(v) => self.var_origins.get(v),
                    Input::Local(l) => done.get(l),
                    Input::Iteration => None,
                };
                extend_unique(&mut chain, more.map_or(&[], Vec::as_slice));
            }
            drop(done);
            self.local_origins.borrow_mut().insert(local, chain);
        }
        self.local_origins
            .borrow()
            .get(name)
            .cloned()
            .unwrap_or_default()
    }

    /// The declaration a reference names, if this module has it.
    fn node(&self, reference: Reference) -> Option<Node> {
        match reference {
            Reference::Local(name) => self
                .config
                .locals
                .contains_key(&name)
                .then_some(Node::Local(name)),
            Reference::Resource { data, kind, name } => {
                let mode = if data { Mode::Data } else { Mode::Managed };
                let index = self.index.get(&(mode, kind.as_str(), name.as_str()))?;
                Some(Node::Resource(*index))
            }
            Reference::Module(name) => self.call_index.get(name.as_str()).map(|i| Node::Call(*i)),
        }
    }

    /// Whether a declaration's evaluation has started (or finished).
    fn started(&self, node: &Node) -> bool {
        match node {
            Node::Local(name) => self.locals.borrow().contains_key(name),
            Node::Resource(i) => self.resources.borrow().contains_key(i),
            Node::Call(i) => self.calls.borrow().contains_key(i),
        }
    }

    /// What a declaration refers to in this module.
    fn dependencies(&self, node: &Node) -> Vec<Node> {
        let references = match node {
            Node::Local(name) => self
                .config
                .locals
                .get(name)
                .map(|(expr, _)| references::in_expr(expr))
                .unwrap_or_default(),
            Node::Resource(i) => references::in_body(&self.config.resources[*i].block.body),
            Node::Call(i) => references::in_body(&self.config.modules[*i].block.body),
        };
        references
            .into_iter()
            .filter_map(|r| self.node(r))
            .collect()
    }

    /// Evaluates `node` unless it is evaluated, being evaluated, or waiting in a cycle
    /// (then a reference to it is unknown).
    fn demand(&self, node: Node) {
        if !self.started(&node) && !self.queued.borrow().contains(&node) {
            self.prepare_all([node]);
        }
    }

    /// Evaluates `nodes` and what they refer to, deepest first, with a work list: a chain
    /// of references as long as the input likes never recurses once per link. When a node
    /// is evaluated, what it refers to is evaluated, or waits in a cycle with it.
    fn prepare_all(&self, nodes: impl IntoIterator<Item = Node>) {
        let mut stack: Vec<(Node, bool)> = nodes.into_iter().map(|n| (n, false)).collect();
        while let Some((node, expanded)) = stack.pop() {
            if self.started(&node) {
                continue;
            }
            if expanded {
                match &node {
                    Node::Local(name) => self.evaluate_local(name),
                    Node::Resource(i) => self.evaluate_resource(*i),
                    Node::Call(i) => self.evaluate_call_slot(*i),
                }
                continue;
            }
            if !self.queued.borrow_mut().insert(node.clone()) {
                continue;
            }
            let dependencies = self.dependencies(&node);
            stack.push((node, true));
            stack.extend(dependencies.into_iter().map(|d| (d, false)));
        }
    }
}

impl Scope for ModuleEval<'_> {
    fn budget(&self) -> Option<&Budget> {
        Some(self.ctx.budget)
    }

    fn resolve(&self, root: &str, attrs: &[&str]) -> Option<(Value, usize)> {
        match root {
            "var" => {
                let name = attrs.first()?;
                Some((self.vars.get(*name).cloned().unwrap_or(Value::Unknown), 1))
            }
            "local" => Some((self.local(attrs.first()?), 1)),
            // As Terraform run in the root module: `path.root` is `.`, `path.module` is
            // relative to it, and so are the paths `file()` and friends are given.
            "path" => {
                let dir = match attrs.first() {
                    Some(&"root") => PathBuf::from("."),
                    Some(&"cwd") => self.ctx.root.to_path_buf(),
                    _ => relative_to(self.ctx.root, &self.config.dir),
                };
                Some((Value::String(dir.display().to_string()), 1.min(attrs.len())))
            }
            "terraform" => Some((Value::String("default".into()), 1.min(attrs.len()))),
            "module" => self.resolve_module(attrs),
            "each" | "count" | "self" => Some((Value::Unknown, attrs.len())),
            "data" => {
                let (kind, name) = (attrs.first()?, attrs.get(1)?);
                let index = self.index.get(&(Mode::Data, *kind, *name))?;
                let value = self
                    .resource(*index)
                    .map_or(Value::Unknown, |e| e.value.clone());
                let address = format!("data.{kind}.{name}");
                Some(self.runtime_attribute(value, &address, attrs.get(2), 2))
            }
            kind => {
                let name = attrs.first()?;
                let index = self.index.get(&(Mode::Managed, kind, *name))?;
                let value = self
                    .resource(*index)
                    .map_or(Value::Unknown, |e| e.value.clone());
                let address = format!("{kind}.{name}");
                Some(self.runtime_attribute(value, &address, attrs.get(1), 1))
            }
        }
    }

    fn explain(&self, root: &str, attrs: &[&str]) -> Option<String> {
        if self.explaining.get() > MAX_EXPLAIN_DEPTH {
            return None;
        }
        self.explaining.set(self.explaining.get() + 1);
        let reason = self.explain_reference(root, attrs);
        self.explaining.set(self.explaining.get() - 1);
        reason
    }

    fn read_file(&self, path: &str) -> Option<String> {
        match self
            .ctx
            .workspace
            .guard
            .read_text(&self.ctx.root.join(path))
        {
            Ok(text) => Some(text.to_string()),
            Err(why) => {
                if why.is_containment() {
                    let message = format!("file {path:?} {why}; its value is unknown");
                    self.refused.borrow_mut().push(message);
                }
                None
            }
        }
    }

    fn take_refused(&self) -> Vec<String> {
        self.refused.take()
    }

    fn origins(&self, expr: &hcl_edit::expr::Expression) -> Vec<Provenance> {
        self.expr_origins(expr)
    }
}

/// The scope inside one resource or module instance: `count.index`, `each.key`,
/// `each.value`.
struct InstanceScope<'m, 'a> {
    module: &'m ModuleEval<'a>,
    count: Option<Value>,
    each: Option<(Value, Value)>,
    /// Where the variables `count` / `for_each` read were set: `each.*` and
    /// `count.index` came through them.
    iteration: &'m [Provenance],
}

impl Scope for InstanceScope<'_, '_> {
    fn explain(&self, root: &str, attrs: &[&str]) -> Option<String> {
        match (root, &self.count, &self.each) {
            ("count", Some(Value::Unknown), _) => Some("count is not known statically".to_owned()),
            ("each", _, Some((Value::Unknown, _))) => {
                Some("for_each is not known statically".to_owned())
            }
            ("each" | "count", _, _) => None,
            _ => self.module.explain(root, attrs),
        }
    }

    fn resolve(&self, root: &str, attrs: &[&str]) -> Option<(Value, usize)> {
        match (root, attrs.first().copied()) {
            ("count", Some("index")) => Some((self.count.clone()?, 1)),
            ("each", Some("key")) => Some((self.each.as_ref()?.0.clone(), 1)),
            ("each", Some("value")) => Some((self.each.as_ref()?.1.clone(), 1)),
            _ => self.module.resolve(root, attrs),
        }
    }

    fn read_file(&self, path: &str) -> Option<String> {
        self.module.read_file(path)
    }

    fn take_refused(&self) -> Vec<String> {
        self.module.take_refused()
    }

    fn budget(&self) -> Option<&Budget> {
        self.module.budget()
    }

    fn origins(&self, expr: &hcl_edit::expr::Expression) -> Vec<Provenance> {
        let mut out = self.module.origins(expr);
        if !self.iteration.is_empty() && references::inputs(expr).contains(&Input::Iteration) {
            extend_unique(&mut out, self.iteration);
        }
        out
    }
}

/// Whether a variable's declared type is `string` or absent: without a value, such a
/// variable is a symbolic string.
fn is_text_type(ty: Option<&hcl_edit::expr::Expression>) -> bool {
    match ty {
        None => true,
        Some(hcl_edit::expr::Expression::Variable(name)) => name.as_str() == "string",
        Some(_) => false,
    }
}
