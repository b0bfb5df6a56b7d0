//! `count` and `for_each`: which instances a resource or module block has, their address
//! keys, and the shape a reference to the block evaluates to.

use crate::eval::value::Value;

/// More instances than this are not modelled (a `count` from a typo'd number).
const MAX_COUNT: f64 = 10_000.0;

/// How many instances a block has.
pub enum Repetition {
    /// Neither `count` nor `for_each`.
    Single,
    /// `count`: the indexes.
    Count(usize),
    /// `for_each`: keys and values.
    ForEach(Vec<(String, Value)>),
    /// `count` / `for_each` not known statically: modelled once, with unknown keys.
    Unknown,
}

/// One instance: its address suffix and what `count.index` / `each.*` are inside it.
pub struct InstanceKey {
    /// `""`, `[0]` or `["key"]`.
    pub suffix: String,
    /// `count.index`, under `count`.
    pub count: Option<Value>,
    /// `each.key` and `each.value`, under `for_each`.
    pub each: Option<(Value, Value)>,
}

/// What a reference to a repeated block evaluates to.
pub enum Shape {
    /// One object.
    Single,
    /// A list of objects (`count`).
    List,
    /// A map of objects by key (`for_each`).
    Map(Vec<String>),
    /// Not known statically.
    Unknown,
}

impl Repetition {
    /// Reads the evaluated `count` and `for_each` arguments.
    pub fn new(count: Option<Value>, for_each: Option<Value>) -> Repetition {
        match (count, for_each) {
            (Some(count), _) => match count.as_f64() {
                Some(n) if n >= 0.0 => Repetition::Count(n.min(MAX_COUNT) as usize),
                _ => Repetition::Unknown,
            },
            (None, Some(Value::Object(map))) => Repetition::ForEach(map.into_iter().collect()),
            (None, Some(Value::List(items))) if items.iter().any(Value::is_unknown) => {
                Repetition::Unknown
            }
            (None, Some(Value::List(items))) => Repetition::ForEach(
                items
                    .into_iter()
                    .filter_map(|v| v.to_template_string().map(|k| (k, v)))
                    .collect(),
            ),
            (None, Some(Value::Unknown)) => Repetition::Unknown,
            (None, Some(v)) if v.is_symbolic() => Repetition::Unknown,
            (None, Some(_)) => Repetition::ForEach(Vec::new()),
            (None, None) => Repetition::Single,
        }
    }

    /// How many instances the block has.
    pub fn len(&self) -> usize {
        match self {
            Repetition::Single | Repetition::Unknown => 1,
            Repetition::Count(n) => *n,
            Repetition::ForEach(entries) => entries.len(),
        }
    }

    /// The shape of a reference to the block.
    pub fn shape(&self) -> Shape {
        match self {
            Repetition::Single => Shape::Single,
            Repetition::Count(_) => Shape::List,
            Repetition::ForEach(entries) => {
                Shape::Map(entries.iter().map(|(k, _)| k.clone()).collect())
            }
            Repetition::Unknown => Shape::Unknown,
        }
    }

    /// Every instance, in order.
    pub fn instances(self) -> Vec<InstanceKey> {
        match self {
            Repetition::Single => vec![InstanceKey {
                suffix: String::new(),
                count: None,
                each: None,
            }],
            Repetition::Unknown => vec![InstanceKey {
                suffix: String::new(),
                count: Some(Value::Unknown),
                each: Some((Value::Unknown, Value::Unknown)),
            }],
            Repetition::Count(n) => (0..n)
                .map(|i| InstanceKey {
                    suffix: format!("[{i}]"),
                    count: Some(Value::Number(i as f64)),
                    each: None,
                })
                .collect(),
            Repetition::ForEach(entries) => entries
                .into_iter()
                .map(|(key, value)| InstanceKey {
                    // A key with unknown parts reads as written: `["{var.name}"]`.
                    suffix: format!("[{:?}]", crate::eval::symbolic::display(&key)),
                    each: Some((Value::String(key), value)),
                    count: None,
                })
                .collect(),
        }
    }
}

impl Shape {
    /// Assembles the instances' objects into what a reference evaluates to.
    pub fn assemble(&self, mut objects: Vec<Value>) -> Value {
        match self {
            Shape::Single => objects.pop().unwrap_or(Value::Unknown),
            Shape::Unknown => Value::Unknown,
            Shape::List => Value::List(objects),
            Shape::Map(keys) => Value::Object(keys.iter().cloned().zip(objects).collect()),
        }
    }
}
