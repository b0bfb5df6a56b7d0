//! One evaluation of one Bicep file (the root, or a module called with parameters): its
//! symbol table, the lazily evaluated and cached values of its symbols, and the target it
//! deploys to. Every deployment of one root shares a [`Shared`] work budget.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::super::ast::{
    self, DeclBody, Expr, FuncDecl, ImportTarget, ModuleDecl, ObjectItem, ParamDecl, ResourceDecl,
    Statement, StatementKind, TypeKind,
};
use super::super::workspace::{Unit, Workspace};
use super::eval::Eval;
use super::module::{self, ModuleInstance};
use super::origins::Origins;
use super::references;
use super::resource::{self, Instances};
use crate::diagnostic::Diagnostic;
use crate::eval::budget::Budget;
use crate::eval::value::{Value, UNKNOWN_MARKER};
use crate::ingest::arm::expr::Context;
use crate::ingest::arm::{resource_group_object, subscription_object};
use crate::model::Span;

/// Expression nesting (syntax, symbol chains and function calls together) deeper than this
/// evaluates to `Unknown`, so no input can overflow the stack.
const MAX_DEPTH: usize = 200;

/// Module calls nested deeper than this (or in a cycle) are not followed.
pub const MAX_MODULE_DEPTH: usize = 16;

/// State shared by every deployment evaluated for one root file.
pub struct Shared {
    /// The root file: unknowns it produces are its own.
    root: std::path::PathBuf,
    depth: Cell<usize>,
    /// Whether evaluation was cut for nesting too deep (said once).
    cut: Cell<bool>,
    /// The work budget of the root and every module it calls (one deployment unit).
    pub budget: Budget,
    /// Problems met while evaluating.
    pub diagnostics: RefCell<Vec<Diagnostic>>,
}

impl Shared {
    /// The state of a new evaluation of `root`.
    pub fn new(root: std::path::PathBuf) -> Shared {
        Shared {
            root,
            depth: Cell::new(0),
            cut: Cell::new(false),
            budget: Budget::new(),
            diagnostics: RefCell::new(Vec::new()),
        }
    }

    /// Enters one level of evaluation; `false` (nothing entered) when the depth or the
    /// work budget is spent.
    pub fn enter(&self) -> bool {
        if self.depth.get() >= MAX_DEPTH {
            if !self.cut.replace(true) {
                self.diagnostics.borrow_mut().push(Diagnostic::warning(
                    self.root.clone(),
                    None,
                    format!(
                        "expressions and the symbols they refer to nest deeper than {MAX_DEPTH} \
                         levels; what lies deeper is unknown"
                    ),
                ));
            }
            return false;
        }
        if !self.budget.step() {
            return false;
        }
        self.depth.set(self.depth.get() + 1);
        true
    }

    /// Charges the size of a value built or copied (a reference to a variable or a loop
    /// item), so doubling chains such as `var b = [a, a]` cannot exhaust memory; `false`
    /// once the budget is spent.
    pub fn charge(&self, value: &Value) -> bool {
        self.budget.charge_value(value)
    }

    /// Leaves a level entered with [`Shared::enter`].
    pub fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }
}

/// Where a deployment's resources go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Subscription id.
    pub subscription: String,
    /// Resource group; `None` at subscription, management group or tenant scope.
    pub resource_group: Option<String>,
}

/// A resource declaration and where it sits.
#[derive(Clone)]
pub struct ResourceSym<'w> {
    /// Its key: the symbolic name, `parent::child` for nested children.
    pub key: String,
    /// The declaration.
    pub decl: &'w ResourceDecl,
    /// The key of the resource it is nested in.
    pub parent: Option<String>,
}

/// What a name in a Bicep file stands for.
#[derive(Clone)]
pub enum Symbol<'w> {
    /// `param`.
    Param(&'w ParamDecl),
    /// `var`.
    Var(&'w Expr),
    /// `resource`.
    Resource(ResourceSym<'w>),
    /// `module`.
    Module(&'w ModuleDecl),
    /// `func`.
    Func(&'w FuncDecl),
    /// Imported symbols and namespaces: not followed, unknown.
    Opaque,
}

/// One evaluation of one file.
pub struct Deployment<'w> {
    /// Every parsed file.
    pub ws: &'w Workspace,
    /// The file evaluated.
    pub unit: &'w Unit,
    /// The work budget and diagnostics of the root.
    pub shared: Rc<Shared>,
    /// Where its resources are deployed.
    pub target: Target,
    /// The prefix of its resources' addresses (`""`, `"module.net."`).
    pub address: String,
    /// How many module calls deep this deployment is.
    pub module_depth: usize,
    /// Where its parameters and variables were set (provenance).
    pub origins: Origins,
    given: HashMap<String, Value>,
    symbols: HashMap<String, Symbol<'w>>,
    /// Resource and module symbols in declaration order (nested children after parents).
    pub order: Vec<String>,
    cache: RefCell<HashMap<String, Value>>,
    busy: RefCell<HashSet<String>>,
    /// Whether variables are being evaluated deepest first (see `prepare_variables`).
    preparing: Cell<bool>,
    resources: RefCell<HashMap<String, Rc<Instances>>>,
    modules: RefCell<HashMap<String, Rc<Vec<ModuleInstance<'w>>>>>,
}

impl<'w> Deployment<'w> {
    /// A deployment of `unit` to `target` with parameter values `given`.
    pub fn new(
        ws: &'w Workspace,
        unit: &'w Unit,
        shared: Rc<Shared>,
        target: Target,
        given: HashMap<String, Value>,
        address: String,
        module_depth: usize,
    ) -> Deployment<'w> {
        let mut dep = Deployment {
            ws,
            unit,
            shared,
            target,
            address,
            module_depth,
            origins: Origins::default(),
            given,
            symbols: HashMap::new(),
            order: Vec::new(),
            cache: RefCell::new(HashMap::new()),
            busy: RefCell::new(HashSet::new()),
            preparing: Cell::new(false),
            resources: RefCell::new(HashMap::new()),
            modules: RefCell::new(HashMap::new()),
        };
        for statement in &unit.program.statements {
            dep.declare(statement, None);
        }
        dep
    }

    fn declare(&mut self, statement: &'w Statement, parent: Option<&str>) {
        match &statement.kind {
            StatementKind::Param(p) => self.insert(&p.name.name, Symbol::Param(p)),
            StatementKind::Var { name, value, .. } => self.insert(&name.name, Symbol::Var(value)),
            StatementKind::Func(f) => self.insert(&f.name.name, Symbol::Func(f)),
            StatementKind::Module(m) => {
                self.order.push(m.name.name.clone());
                self.insert(&m.name.name, Symbol::Module(m));
            }
            StatementKind::Resource(r) => {
                let key = match parent {
                    Some(p) => format!("{p}::{}", r.name.name),
                    None => r.name.name.clone(),
                };
                let sym = ResourceSym {
                    key: key.clone(),
                    decl: r,
                    parent: parent.map(str::to_owned),
                };
                self.order.push(key.clone());
                self.symbols
                    .insert(key.clone(), Symbol::Resource(sym.clone()));
                // A nested child is also in scope by its bare name inside its parent.
                self.symbols
                    .entry(r.name.name.clone())
                    .or_insert(Symbol::Resource(sym));
                for item in body_items(&r.body) {
                    if let ObjectItem::Resource(child) = item {
                        self.declare(child, Some(&key));
                    }
                }
            }
            StatementKind::Import(i) => match &i.target {
                ImportTarget::Symbols(list) => {
                    for s in list {
                        let local = s
                            .alias
                            .as_ref()
                            .map(|a| a.name.clone())
                            .or_else(|| s.name.as_str().map(str::to_owned));
                        if let Some(local) = local {
                            self.insert(&local, Symbol::Opaque);
                        }
                    }
                }
                ImportTarget::Wildcard { alias } => self.insert(&alias.name, Symbol::Opaque),
            },
            StatementKind::Extension(e) => {
                if let Some(alias) = &e.alias {
                    self.insert(&alias.name, Symbol::Opaque);
                }
            }
            _ => {}
        }
    }

    fn insert(&mut self, name: &str, symbol: Symbol<'w>) {
        self.symbols.entry(name.to_owned()).or_insert(symbol);
    }

    /// Whether the parameter `name` was given a value from outside.
    pub fn is_given(&self, name: &str) -> bool {
        self.given.contains_key(name)
    }

    /// What `name` stands for.
    pub fn symbol(&self, name: &str) -> Option<&Symbol<'w>> {
        self.symbols.get(name)
    }

    /// A span in this deployment's file.
    pub fn span(&self, span: ast::Span) -> Span {
        Span::new(self.unit.file, span.start..span.end)
    }

    /// The value of a parameter, variable, resource or module symbol; `None` if the name
    /// is not declared. A symbol that needs itself evaluates to `Unknown`.
    pub fn value(&self, name: &str) -> Option<Value> {
        let symbol = self.symbols.get(name)?.clone();
        if let Some(v) = self.cache.borrow().get(name) {
            return Some(v.clone());
        }
        if matches!(symbol, Symbol::Var(_)) && !self.preparing.get() {
            self.prepare_variables(name);
            if let Some(v) = self.cache.borrow().get(name) {
                return Some(v.clone());
            }
        }
        if !self.busy.borrow_mut().insert(name.to_owned()) {
            return Some(Value::Unknown);
        }
        let budget = &self.shared.budget;
        let value = match symbol {
            Symbol::Param(p) => budget.at(self.span(p.name.span), || self.parameter(p)),
            Symbol::Var(e) => budget.at(self.span(e.span), || Eval::new(self).eval(e)),
            Symbol::Resource(r) => self.resource_instances(&r).value(),
            Symbol::Module(m) => module::value(&self.module_instances(m)),
            Symbol::Func(_) | Symbol::Opaque => Value::Unknown,
        };
        self.busy.borrow_mut().remove(name);
        self.cache
            .borrow_mut()
            .insert(name.to_owned(), value.clone());
        Some(value)
    }

    /// Evaluates the variables `name` refers to, and theirs, deepest first with a work
    /// list, then `name`: a chain of variables as long as the input likes never recurses
    /// once per link.
    fn prepare_variables(&self, name: &str) {
        let variable = |n: &str| match self.symbols.get(n) {
            Some(Symbol::Var(e)) if !self.cache.borrow().contains_key(n) => Some(*e),
            _ => None,
        };
        self.preparing.set(true);
        let mut seen = HashSet::new();
        let mut stack = vec![(name, false)];
        while let Some((n, expanded)) = stack.pop() {
            if expanded {
                self.value(n);
                continue;
            }
            let Some(expr) = variable(n).filter(|_| seen.insert(n)) else {
                continue;
            };
            stack.push((n, true));
            stack.extend(references::names(expr).into_iter().map(|d| (d, false)));
        }
        self.preparing.set(false);
    }

    fn parameter(&self, p: &ParamDecl) -> Value {
        if let Some(v) = self.given.get(&p.name.name) {
            return v.clone();
        }
        match (&p.default, &p.ty) {
            (Some(default), _) => Eval::new(self).eval(default),
            (None, Some(ty)) if matches!(ty.kind, TypeKind::Nullable(_)) => Value::Null,
            (None, Some(ty)) if is_string_type(ty) => {
                let unit = format!("{}{}", self.shared.root.display(), self.address);
                Value::String(crate::eval::symbolic::marker_in(&p.name.name, &unit))
            }
            _ => Value::Unknown,
        }
    }

    /// The evaluated instances of a resource declaration (cached).
    pub fn resource_instances(&self, sym: &ResourceSym<'w>) -> Rc<Instances> {
        if let Some(found) = self.resources.borrow().get(&sym.key) {
            return found.clone();
        }
        let busy_key = format!("resource {}", sym.key);
        if !self.busy.borrow_mut().insert(busy_key.clone()) {
            return Rc::new(Instances::unknown());
        }
        let at = self.span(sym.decl.name.span);
        let instances = Rc::new(self.shared.budget.at(at, || resource::instances(self, sym)));
        self.busy.borrow_mut().remove(&busy_key);
        self.resources
            .borrow_mut()
            .insert(sym.key.clone(), instances.clone());
        instances
    }

    /// The evaluated instances of a module declaration (cached).
    pub fn module_instances(&self, decl: &'w ModuleDecl) -> Rc<Vec<ModuleInstance<'w>>> {
        let key = decl.name.name.clone();
        if let Some(found) = self.modules.borrow().get(&key) {
            return found.clone();
        }
        let busy_key = format!("module {key}");
        if !self.busy.borrow_mut().insert(busy_key.clone()) {
            return Rc::new(Vec::new());
        }
        let at = self.span(decl.name.span);
        let instances = Rc::new(self.shared.budget.at(at, || module::instances(self, decl)));
        self.busy.borrow_mut().remove(&busy_key);
        self.modules.borrow_mut().insert(key, instances.clone());
        instances
    }

    /// The value of every `output`, as an object.
    pub fn outputs(&self) -> Value {
        let mut out = std::collections::BTreeMap::new();
        for statement in &self.unit.program.statements {
            if let StatementKind::Output { name, value, .. } = &statement.kind {
                out.insert(name.name.clone(), Eval::new(self).eval(value));
            }
        }
        Value::Object(out)
    }

    /// Records a problem in this deployment's file.
    pub fn warn(&self, span: ast::Span, message: String) {
        self.shared
            .diagnostics
            .borrow_mut()
            .push(Diagnostic::warning(
                self.unit.path.clone(),
                Some(self.span(span)),
                message,
            ));
    }

    /// The `resourceGroup()` object of the target (`Null` when not deployed to a group;
    /// `Unknown` when the group is not known statically).
    pub fn resource_group_value(&self) -> Value {
        match &self.target.resource_group {
            Some(rg) if rg == UNKNOWN_MARKER => Value::Unknown,
            Some(rg) => resource_group_object(&self.target.subscription, rg),
            None => Value::Null,
        }
    }
}

/// The items of a resource or module body, whatever its form.
pub fn body_items(body: &DeclBody) -> &[ObjectItem] {
    match body {
        DeclBody::Object(o) => &o.items,
        DeclBody::If(i) => &i.body.items,
        DeclBody::For(f) => match &f.body {
            ast::ForBody::Expr(e) => match &e.kind {
                ast::ExprKind::Object(o) => &o.items,
                _ => &[],
            },
            ast::ForBody::If(i) => &i.body.items,
        },
        DeclBody::Error(_) => &[],
    }
}

impl Context for Deployment<'_> {
    fn parameter(&self, _name: &str) -> Option<Value> {
        None
    }

    fn variable(&self, _name: &str) -> Option<Value> {
        None
    }

    fn copy_index(&self, _loop_name: Option<&str>) -> Option<i64> {
        None
    }

    fn resource_group(&self) -> Value {
        self.resource_group_value()
    }

    fn subscription(&self) -> Value {
        subscription_object(&self.target.subscription)
    }

    /// Unknown, as the ARM template reader has it: the compiled template's
    /// `deployment().name` is only known once deployed.
    fn deployment(&self) -> Value {
        Value::Unknown
    }

    fn budget(&self) -> Option<&Budget> {
        Some(&self.shared.budget)
    }
}

/// Whether a declared type is `string` (or a string literal union): a parameter of that type
/// without a value is a symbolic string named after the parameter.
fn is_string_type(ty: &ast::TypeExpr) -> bool {
    match &ty.kind {
        TypeKind::Named(id) => id.name == "string",
        TypeKind::Property { base, name } => {
            name.name == "string" && matches!(&base.kind, TypeKind::Named(ns) if ns.name == "sys")
        }
        _ => false,
    }
}
