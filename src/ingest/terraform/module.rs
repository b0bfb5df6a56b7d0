//! Evaluates one module: variables, locals and resources resolve lazily, on first
//! reference, each once; a reference cycle yields unknown instead of looping.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::config::{Mode, ModuleConfig, ResourceBlock};
use super::eval::{evaluate, Scope};
use super::instance::{eval_body, Instance};
use super::mapping::{self, Mapped};
use crate::eval::value::Value;

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

/// One module being evaluated.
pub struct ModuleEval<'a> {
    config: &'a ModuleConfig,
    vars: BTreeMap<String, Value>,
    locals: RefCell<HashMap<String, Slot<Value>>>,
    resources: RefCell<HashMap<usize, Slot<Rc<Evaluated>>>>,
    index: HashMap<(Mode, &'a str, &'a str), usize>,
}

impl<'a> ModuleEval<'a> {
    /// Prepares a module with its input variable values.
    pub fn new(config: &'a ModuleConfig, vars: BTreeMap<String, Value>) -> ModuleEval<'a> {
        let index = config
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| ((r.mode, r.kind.as_str(), r.name.as_str()), i))
            .collect();
        ModuleEval {
            config,
            vars,
            locals: RefCell::new(HashMap::new()),
            resources: RefCell::new(HashMap::new()),
            index,
        }
    }

    /// Evaluates every managed resource, in declaration order.
    pub fn evaluate_all(&self) -> Vec<Rc<Evaluated>> {
        (0..self.config.resources.len())
            .filter(|&i| self.config.resources[i].mode == Mode::Managed)
            .filter_map(|i| self.resource(i))
            .collect()
    }

    fn local(&self, name: &str) -> Value {
        match self.locals.borrow().get(name) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::InProgress) => return Value::Unknown,
            None => {}
        }
        let Some((expr, _)) = self.config.locals.get(name) else {
            return Value::Unknown;
        };
        self.locals
            .borrow_mut()
            .insert(name.to_owned(), Slot::InProgress);
        let value = evaluate(expr, self);
        self.locals
            .borrow_mut()
            .insert(name.to_owned(), Slot::Done(value.clone()));
        value
    }

    fn resource(&self, index: usize) -> Option<Rc<Evaluated>> {
        match self.resources.borrow().get(&index) {
            Some(Slot::Done(e)) => return Some(Rc::clone(e)),
            Some(Slot::InProgress) => return None,
            None => {}
        }
        self.resources.borrow_mut().insert(index, Slot::InProgress);
        let evaluated = Rc::new(self.evaluate_block(&self.config.resources[index]));
        self.resources
            .borrow_mut()
            .insert(index, Slot::Done(Rc::clone(&evaluated)));
        Some(evaluated)
    }

    fn evaluate_block(&self, block: &ResourceBlock) -> Evaluated {
        let meta = |name: &str| {
            block
                .block
                .body
                .get_attribute(name)
                .map(|a| evaluate(&a.value, self))
        };
        let base = block.address();
        let keys: Repetition = match (meta("count"), meta("for_each")) {
            (Some(count), _) => match count.as_f64() {
                Some(n) if n >= 0.0 => Repetition::Count((0..(n.min(10_000.0) as usize)).collect()),
                _ => Repetition::Unknown,
            },
            (None, Some(Value::Object(map))) => Repetition::ForEach(map.into_iter().collect()),
            (None, Some(Value::List(items))) => Repetition::ForEach(
                items
                    .into_iter()
                    .filter_map(|v| v.to_template_string().map(|k| (k, v)))
                    .collect(),
            ),
            (None, Some(Value::Unknown)) => Repetition::Unknown,
            (None, Some(_)) => Repetition::ForEach(Vec::new()),
            (None, None) => Repetition::Single,
        };
        let mut instances = Vec::new();
        let mut objects = Vec::new();
        let mut instance = |address: String, scope: &InstanceScope<'_, '_>| {
            let mut spans = HashMap::new();
            let value = eval_body(&block.block.body, scope, block.file, "", &mut spans, true);
            let inst = Instance {
                address,
                kind: block.kind.clone(),
                value,
                spans,
                head: block.head,
            };
            let mapped = mapping::map(&inst);
            let mut object = inst.value.clone();
            object.insert(
                "id".to_owned(),
                mapped.as_ref().map_or(Value::Unknown, |m| m.id.clone()),
            );
            objects.push(Value::Object(object));
            instances.push((inst, mapped));
        };
        let value = match keys {
            Repetition::Single | Repetition::Unknown => {
                let unknown = matches!(keys, Repetition::Unknown);
                let scope = InstanceScope {
                    module: self,
                    count: unknown.then_some(Value::Unknown),
                    each: unknown.then_some((Value::Unknown, Value::Unknown)),
                };
                instance(base, &scope);
                let object = objects.pop().unwrap_or(Value::Unknown);
                if unknown {
                    Value::Unknown
                } else {
                    object
                }
            }
            Repetition::Count(indexes) => {
                for i in indexes {
                    let scope = InstanceScope {
                        module: self,
                        count: Some(Value::Number(i as f64)),
                        each: None,
                    };
                    instance(format!("{base}[{i}]"), &scope);
                }
                Value::List(std::mem::take(&mut objects))
            }
            Repetition::ForEach(entries) => {
                let keys: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
                for (key, value) in entries {
                    let scope = InstanceScope {
                        module: self,
                        count: None,
                        each: Some((Value::String(key.clone()), value)),
                    };
                    instance(format!("{base}[{key:?}]"), &scope);
                }
                Value::Object(keys.into_iter().zip(std::mem::take(&mut objects)).collect())
            }
        };
        Evaluated { value, instances }
    }
}

/// How many instances a block has.
enum Repetition {
    Single,
    Count(Vec<usize>),
    ForEach(Vec<(String, Value)>),
    /// `count` / `for_each` not known statically: modelled once, with unknown keys.
    Unknown,
}

impl Scope for ModuleEval<'_> {
    fn resolve(&self, root: &str, attrs: &[&str]) -> Option<(Value, usize)> {
        match root {
            "var" => {
                let name = attrs.first()?;
                Some((self.vars.get(*name).cloned().unwrap_or(Value::Unknown), 1))
            }
            "local" => Some((self.local(attrs.first()?), 1)),
            "path" => {
                let dir = self.config.dir.display().to_string();
                Some((
                    Value::String(if dir.is_empty() { ".".into() } else { dir }),
                    1.min(attrs.len()),
                ))
            }
            "terraform" => Some((Value::String("default".into()), 1.min(attrs.len()))),
            "module" | "each" | "count" | "self" => Some((Value::Unknown, attrs.len())),
            "data" => {
                let (kind, name) = (attrs.first()?, attrs.get(1)?);
                let index = self.index.get(&(Mode::Data, *kind, *name))?;
                Some((
                    self.resource(*index)
                        .map_or(Value::Unknown, |e| e.value.clone()),
                    2,
                ))
            }
            kind => {
                let name = attrs.first()?;
                let index = self.index.get(&(Mode::Managed, kind, *name))?;
                Some((
                    self.resource(*index)
                        .map_or(Value::Unknown, |e| e.value.clone()),
                    1,
                ))
            }
        }
    }

    fn read_file(&self, path: &str) -> Option<String> {
        let full = self.config.dir.join(path);
        let canonical_dir = self.config.dir.canonicalize().ok()?;
        let canonical = full.canonicalize().ok()?;
        if !canonical.starts_with(&canonical_dir) && !canonical.starts_with(canonical_dir.parent()?)
        {
            return None;
        }
        crate::ingest::read_text(&canonical)
            .ok()
            .map(|t| t.to_string())
    }
}

/// The scope inside one resource instance: `count.index`, `each.key`, `each.value`.
struct InstanceScope<'m, 'a> {
    module: &'m ModuleEval<'a>,
    count: Option<Value>,
    each: Option<(Value, Value)>,
}

impl Scope for InstanceScope<'_, '_> {
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
}
