//! Rule conditions: JSONPath tests, `all`/`any`/`not`, relations over the graph, and
//! named predicates.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;
use serde_json_path::JsonPath;

use super::outcome::{Outcome, Truth};
use super::predicates::{self, Predicate};
use crate::eval::symbolic::is_unknown_text;
use crate::model::{Graph, ResourceIndex};

/// A condition as written in a rule file. Exactly one kind of test per condition.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    all: Option<Vec<ConditionSpec>>,
    any: Option<Vec<ConditionSpec>>,
    not: Option<Box<ConditionSpec>>,
    path: Option<String>,
    equals: Option<Value>,
    not_equals: Option<Value>,
    #[serde(rename = "in")]
    one_of: Option<Vec<Value>>,
    exists: Option<bool>,
    contains: Option<Value>,
    follow: Option<RelationSpec>,
    referenced_by: Option<RelationSpec>,
    children: Option<RelationSpec>,
    parent: Option<RelationSpec>,
    predicate: Option<String>,
    args: Option<Value>,
}

/// The arguments of a relation.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationSpec {
    #[serde(rename = "type")]
    kind: Option<String>,
    at: Option<String>,
    #[serde(rename = "where")]
    filter: Option<Box<ConditionSpec>>,
}

/// A rule condition that does not compile.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConditionError(String);

/// How the values a path selects are tested.
#[derive(Debug)]
enum Test {
    Exists(bool),
    Compare(Comparison),
}

/// A comparison one selected value must pass.
#[derive(Debug)]
enum Comparison {
    Equals(Value),
    NotEquals(Value),
    OneOf(Vec<Value>),
    Contains(Value),
}

impl Comparison {
    fn holds(&self, value: &Value) -> bool {
        match self {
            Comparison::Equals(expected) => json_equals(value, expected),
            Comparison::NotEquals(expected) => !json_equals(value, expected),
            Comparison::OneOf(options) => options.iter().any(|o| json_equals(value, o)),
            Comparison::Contains(needle) => json_contains(value, needle),
        }
    }
}

/// A compiled condition.
pub enum Condition {
    /// Every condition holds.
    All(Vec<Condition>),
    /// Some condition holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
    /// Some value the path selects passes the test.
    Path {
        /// The compiled JSONPath.
        path: JsonPath,
        /// The test.
        test: Box<TestBox>,
    },
    /// Some resource an id at `at` names (of `kind`, if given) satisfies `filter`.
    Follow {
        /// Where the ids are.
        at: JsonPath,
        /// The target type.
        kind: Option<String>,
        /// What the target must satisfy.
        filter: Option<Box<Condition>>,
    },
    /// Some resource of `kind` holds this resource's id (at `at`, if given) and satisfies `filter`.
    ReferencedBy {
        /// The referrer type.
        kind: String,
        /// Where the referrer holds the id.
        at: Option<JsonPath>,
        /// What the referrer must satisfy.
        filter: Option<Box<Condition>>,
    },
    /// Some child resource (of `kind`, if given) satisfies `filter`.
    Children {
        /// The child type.
        kind: Option<String>,
        /// What the child must satisfy.
        filter: Option<Box<Condition>>,
    },
    /// The parent resource is in scope and satisfies `filter`.
    Parent {
        /// What the parent must satisfy.
        filter: Option<Box<Condition>>,
    },
    /// A named predicate written in Rust.
    Predicate(Box<dyn Predicate>),
}

/// A value test, boxed to keep [`Condition`] small.
#[derive(Debug)]
pub struct TestBox(Test);

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::All(c) => f.debug_tuple("All").field(c).finish(),
            Condition::Any(c) => f.debug_tuple("Any").field(c).finish(),
            Condition::Not(c) => f.debug_tuple("Not").field(c).finish(),
            Condition::Path { path, test, .. } => write!(f, "Path({path}, {test:?})"),
            Condition::Follow { at, kind, .. } => write!(f, "Follow({at}, {kind:?})"),
            Condition::ReferencedBy { kind, .. } => write!(f, "ReferencedBy({kind})"),
            Condition::Children { kind, .. } => write!(f, "Children({kind:?})"),
            Condition::Parent { .. } => f.write_str("Parent"),
            Condition::Predicate(p) => write!(f, "Predicate({})", p.name()),
        }
    }
}

fn compile_path(path: &str) -> Result<JsonPath, ConditionError> {
    JsonPath::parse(path).map_err(|e| ConditionError(format!("invalid JSONPath '{path}': {e}")))
}

fn compile_filter(
    spec: Option<Box<ConditionSpec>>,
) -> Result<Option<Box<Condition>>, ConditionError> {
    spec.map(|s| Condition::compile(*s).map(Box::new))
        .transpose()
}

impl Condition {
    /// Compiles a condition, checking that it says exactly one thing.
    pub fn compile(spec: ConditionSpec) -> Result<Condition, ConditionError> {
        let ConditionSpec {
            all,
            any,
            not,
            path,
            equals,
            not_equals,
            one_of,
            exists,
            contains,
            follow,
            referenced_by,
            children,
            parent,
            predicate,
            args,
        } = spec;
        let tests: Vec<Test> = [
            equals.map(|v| Test::Compare(Comparison::Equals(v))),
            not_equals.map(|v| Test::Compare(Comparison::NotEquals(v))),
            one_of.map(|v| Test::Compare(Comparison::OneOf(v))),
            exists.map(Test::Exists),
            contains.map(|v| Test::Compare(Comparison::Contains(v))),
        ]
        .into_iter()
        .flatten()
        .collect();
        let kinds = [
            all.is_some(),
            any.is_some(),
            not.is_some(),
            path.is_some(),
            follow.is_some(),
            referenced_by.is_some(),
            children.is_some(),
            parent.is_some(),
            predicate.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if kinds != 1 {
            return Err(ConditionError(
                "a condition needs exactly one of all, any, not, path, follow, referenced_by, children, parent, predicate".into(),
            ));
        }
        if path.is_none() && !tests.is_empty() {
            return Err(ConditionError(
                "equals/not_equals/in/exists/contains need a path".into(),
            ));
        }
        if predicate.is_none() && args.is_some() {
            return Err(ConditionError("args belong to a predicate".into()));
        }
        let compile_all = |specs: Vec<ConditionSpec>| {
            specs
                .into_iter()
                .map(Condition::compile)
                .collect::<Result<Vec<_>, _>>()
        };
        if let Some(specs) = all {
            return Ok(Condition::All(compile_all(specs)?));
        }
        if let Some(specs) = any {
            return Ok(Condition::Any(compile_all(specs)?));
        }
        if let Some(spec) = not {
            return Ok(Condition::Not(Box::new(Condition::compile(*spec)?)));
        }
        if let Some(path) = path {
            let mut tests = tests.into_iter();
            let test = tests.next().unwrap_or(Test::Exists(true));
            if tests.next().is_some() {
                return Err(ConditionError(format!(
                    "path '{path}' has more than one test"
                )));
            }
            return Ok(Condition::Path {
                path: compile_path(&path)?,
                test: Box::new(TestBox(test)),
            });
        }
        if let Some(rel) = follow {
            let at = rel
                .at
                .ok_or_else(|| ConditionError("follow needs at".into()))?;
            return Ok(Condition::Follow {
                at: compile_path(&at)?,
                kind: rel.kind,
                filter: compile_filter(rel.filter)?,
            });
        }
        if let Some(rel) = referenced_by {
            return Ok(Condition::ReferencedBy {
                kind: rel
                    .kind
                    .ok_or_else(|| ConditionError("referenced_by needs type".into()))?,
                at: rel.at.as_deref().map(compile_path).transpose()?,
                filter: compile_filter(rel.filter)?,
            });
        }
        if let Some(rel) = children {
            if rel.at.is_some() {
                return Err(ConditionError(
                    "children takes type and where, not at".into(),
                ));
            }
            return Ok(Condition::Children {
                kind: rel.kind,
                filter: compile_filter(rel.filter)?,
            });
        }
        if let Some(rel) = parent {
            if rel.at.is_some() || rel.kind.is_some() {
                return Err(ConditionError("parent takes only where".into()));
            }
            return Ok(Condition::Parent {
                filter: compile_filter(rel.filter)?,
            });
        }
        let name = predicate.unwrap_or_default();
        predicates::compile(&name, args.unwrap_or(Value::Null))
            .map(Condition::Predicate)
            .map_err(ConditionError)
    }

    /// Evaluates the condition on one resource of the graph.
    pub fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        match self {
            Condition::All(cs) => Outcome::all(cs.iter().map(|c| c.eval(graph, subject))),
            Condition::Any(cs) => Outcome::any(cs.iter().map(|c| c.eval(graph, subject))),
            Condition::Not(c) => c.eval(graph, subject).negate(),
            Condition::Path { path, test } => eval_path(graph, subject, path, &test.0),
            Condition::Follow { at, kind, filter } => {
                eval_follow(graph, subject, at, kind.as_deref(), filter.as_deref())
            }
            Condition::ReferencedBy { kind, at, filter } => {
                let outcomes = graph.referrers(subject).iter().filter_map(|reference| {
                    let referrer = graph.get(reference.from);
                    if !referrer.is(kind) {
                        return None;
                    }
                    if let Some(at) = at {
                        let body = referrer.body.json();
                        let located = at.query_located(&body);
                        if !located
                            .iter()
                            .any(|n| n.location().to_json_pointer() == reference.pointer)
                        {
                            return None;
                        }
                    }
                    Some(related(
                        graph,
                        reference.from,
                        &reference.pointer,
                        filter.as_deref(),
                    ))
                });
                Outcome::any(outcomes.collect::<Vec<_>>())
            }
            Condition::Children { kind, filter } => {
                let outcomes = graph
                    .children(subject)
                    .iter()
                    .filter(|&&c| kind.as_deref().is_none_or(|k| graph.get(c).is(k)))
                    .map(|&c| related(graph, c, "", filter.as_deref()));
                Outcome::any(outcomes.collect::<Vec<_>>())
            }
            Condition::Parent { filter } => match graph.parent(subject) {
                Some(p) => related(graph, p, "", filter.as_deref()),
                None => Outcome::new(Truth::False),
            },
            Condition::Predicate(p) => {
                // Predicates read properties: without them (a live export that left them
                // out) there is nothing to decide on.
                let body = &*graph.get(subject).body.json();
                if body.get("properties").is_some_and(is_unknown) {
                    return Outcome::unknown("properties is not known statically")
                        .with_evidence(subject, "/properties");
                }
                p.eval(graph, subject)
            }
        }
    }
}

/// The outcome of `filter` on a related resource, with the relation itself as evidence.
fn related(
    graph: &Graph,
    index: ResourceIndex,
    pointer: &str,
    filter: Option<&Condition>,
) -> Outcome {
    let base = Outcome::new(Truth::True).with_evidence(index, pointer);
    match filter {
        None => base,
        Some(c) => {
            let mut outcome = c.eval(graph, index);
            let mut evidence = base.evidence;
            evidence.append(&mut outcome.evidence);
            outcome.evidence = evidence;
            outcome
        }
    }
}

fn eval_follow(
    graph: &Graph,
    subject: ResourceIndex,
    at: &JsonPath,
    kind: Option<&str>,
    filter: Option<&Condition>,
) -> Outcome {
    let body = &*graph.get(subject).body.json();
    let outcomes = at.query_located(body).into_iter().filter_map(|node| {
        let pointer = node.location().to_json_pointer();
        let target = match node.node() {
            Value::String(s) if is_unknown_text(s) && graph.resolve(subject, s).is_none() => {
                return Some(
                    Outcome::unknown(format!(
                        "the reference at {pointer} is not known statically"
                    ))
                    .with_evidence(subject, pointer),
                );
            }
            Value::String(s) => s,
            Value::Object(o) => o.get("id").and_then(Value::as_str)?,
            _ => return None,
        };
        let Some(t) = graph.resolve(subject, target) else {
            return Some(
                Outcome::unknown(format!("{target} is not in the scanned files"))
                    .with_evidence(subject, pointer),
            );
        };
        if kind.is_some_and(|k| !graph.get(t).is(k)) {
            return None;
        }
        let mut outcome = related(graph, t, "", filter);
        outcome.evidence.insert(
            0,
            super::outcome::Evidence {
                resource: subject,
                pointer,
            },
        );
        Some(outcome)
    });
    Outcome::any(outcomes.collect::<Vec<_>>())
}

fn eval_path(graph: &Graph, subject: ResourceIndex, path: &JsonPath, test: &Test) -> Outcome {
    let body = &*graph.get(subject).body.json();
    let nodes = path.query_located(body);
    if nodes.is_empty() {
        if let Some(pointer) = unknown_ancestor(body, &path.to_string()) {
            return Outcome::unknown(format!(
                "{} is not known statically",
                pointer_name(&pointer)
            ))
            .with_evidence(subject, pointer);
        }
    }
    let comparison = match test {
        Test::Compare(comparison) => comparison,
        Test::Exists(expected) => return eval_exists(subject, &nodes, *expected),
    };
    let outcomes = nodes.iter().map(|node| {
        let pointer = node.location().to_json_pointer();
        if is_unknown(node.node()) {
            return Outcome::unknown(format!(
                "{} is not known statically",
                pointer_name(&pointer)
            ))
            .with_evidence(subject, pointer);
        }
        Outcome::new(comparison.holds(node.node()).into()).with_evidence(subject, pointer)
    });
    Outcome::any(outcomes.collect::<Vec<_>>())
}

/// For a path of plain names (`$.properties.networkAcls.defaultAction`) that selects
/// nothing: the pointer of an ancestor whose value is not known statically (a whole block
/// unknown), if there is one. What lies below an unknown is unknown, not absent.
fn unknown_ancestor(body: &Value, path: &str) -> Option<String> {
    let names = path.strip_prefix("$.")?.split('.');
    let mut node = body;
    let mut pointer = String::new();
    for name in names {
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        match node {
            Value::Object(map) => {
                node = map.get(name)?;
                pointer.push('/');
                pointer.push_str(name);
            }
            Value::String(s) if is_unknown_text(s) => return Some(pointer),
            _ => return None,
        }
    }
    None
}

fn eval_exists(
    subject: ResourceIndex,
    nodes: &serde_json_path::LocatedNodeList<'_>,
    expected: bool,
) -> Outcome {
    let mut found = Outcome::new(Truth::False);
    for node in nodes.iter().filter(|n| !n.node().is_null()) {
        let pointer = node.location().to_json_pointer();
        if is_unknown(node.node()) {
            found = Outcome::unknown(format!(
                "{} is not known statically",
                pointer_name(&pointer)
            ))
            .with_evidence(subject, pointer);
            continue;
        }
        found = Outcome::new(Truth::True).with_evidence(subject, pointer);
        break;
    }
    if expected {
        found
    } else {
        found.negate()
    }
}

fn pointer_name(pointer: &str) -> String {
    pointer.trim_start_matches('/').replace('/', ".")
}

fn is_unknown(value: &Value) -> bool {
    value.as_str().is_some_and(is_unknown_text)
}

/// Equality as Azure compares: strings case-insensitively, numbers numerically.
pub fn json_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.eq_ignore_ascii_case(y),
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
            s.parse::<f64>().ok() == n.as_f64()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equals(a, b))
        }
        _ => a == b,
    }
}

fn json_contains(value: &Value, needle: &Value) -> bool {
    match (value, needle) {
        (Value::String(s), Value::String(n)) => {
            s.to_ascii_lowercase().contains(&n.to_ascii_lowercase())
        }
        (Value::Array(items), n) => items.iter().any(|i| json_equals(i, n)),
        (Value::Object(map), Value::String(k)) => map.keys().any(|key| key.eq_ignore_ascii_case(k)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;
    use serde_json::json;

    fn graph(resources: Vec<(&str, &str, Value)>) -> Graph {
        Graph::new(
            resources
                .into_iter()
                .map(|(id, kind, body)| Resource::test(id, kind, body))
                .collect(),
        )
    }

    fn cond(yaml: &str) -> Condition {
        Condition::compile(serde_norway::from_str(yaml).unwrap()).unwrap()
    }

    const SA: &str =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa";
    const WS: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws";

    #[test]
    fn path_tests_compare_like_azure_and_report_where() {
        let g = graph(vec![(
            SA,
            "Microsoft.Storage/storageAccounts",
            json!({"properties": {"publicNetworkAccess": "enabled", "n": 3}}),
        )]);
        let o = cond("{path: $.properties.publicNetworkAccess, equals: Enabled}").eval(&g, 0);
        assert_eq!(o.truth, Truth::True);
        assert_eq!(o.evidence[0].pointer, "/properties/publicNetworkAccess");
        assert_eq!(
            cond("{path: $.properties.n, in: [1, '3']}")
                .eval(&g, 0)
                .truth,
            Truth::True
        );
        assert_eq!(
            cond("{path: $.properties.missing}").eval(&g, 0).truth,
            Truth::False
        );
        assert_eq!(
            cond("{path: $.properties.missing, exists: false}")
                .eval(&g, 0)
                .truth,
            Truth::True
        );
        assert_eq!(
            cond("{not: {path: $.properties.n, equals: 3}}")
                .eval(&g, 0)
                .truth,
            Truth::False
        );
    }

    #[test]
    fn unknown_values_make_unknown_verdicts() {
        let g = graph(vec![(
            SA,
            "Microsoft.Storage/storageAccounts",
            json!({"properties": {"publicNetworkAccess": crate::eval::value::UNKNOWN_MARKER}}),
        )]);
        let o = cond("{path: $.properties.publicNetworkAccess, equals: Enabled}").eval(&g, 0);
        assert_eq!(o.truth, Truth::Unknown);
        assert_eq!(
            o.unknown_reason.as_deref(),
            Some("properties.publicNetworkAccess is not known statically")
        );
    }

    #[test]
    fn a_path_under_an_unknown_block_is_unknown() {
        let g = graph(vec![(
            SA,
            "Microsoft.Storage/storageAccounts",
            json!({"properties": crate::eval::value::UNKNOWN_MARKER, "sku": {"name": "Standard_LRS"}}),
        )]);
        let o = cond("{path: $.properties.networkAcls.defaultAction, equals: Allow}").eval(&g, 0);
        assert_eq!(o.truth, Truth::Unknown);
        assert_eq!(
            o.unknown_reason.as_deref(),
            Some("properties is not known statically")
        );
        let o = cond("{not: {path: $.properties.publicNetworkAccess, exists: true}}").eval(&g, 0);
        assert_eq!(o.truth, Truth::Unknown);
        let o = cond("{path: $.sku.name, equals: Premium}").eval(&g, 0);
        assert_eq!(o.truth, Truth::False);
    }

    #[test]
    fn what_lies_below_an_unknown_or_symbolic_value_is_unknown_not_absent() {
        let symbolic = crate::eval::symbolic::marker("acls");
        for block in [json!(crate::eval::value::UNKNOWN_MARKER), json!(symbolic)] {
            let g = graph(vec![(
                SA,
                "Microsoft.Storage/storageAccounts",
                json!({"properties": {"networkAcls": block}}),
            )]);
            let deny = cond("{path: $.properties.networkAcls.defaultAction, equals: Deny}");
            let o = deny.eval(&g, 0);
            assert_eq!(o.truth, Truth::Unknown);
            assert_eq!(
                o.unknown_reason.as_deref(),
                Some("properties.networkAcls is not known statically")
            );
            let exists = cond("{path: $.properties.networkAcls.bypass, exists: false}");
            assert_eq!(exists.eval(&g, 0).truth, Truth::Unknown);
            let absent = cond("{path: $.properties.other.x, exists: false}");
            assert_eq!(absent.eval(&g, 0).truth, Truth::True);
        }
    }

    #[test]
    fn relations_follow_ids_and_find_referrers() {
        let g = graph(vec![
            (
                SA,
                "Microsoft.Storage/storageAccounts",
                json!({"properties": {"publicNetworkAccess": "Disabled"}}),
            ),
            (
                WS,
                "Microsoft.MachineLearningServices/workspaces",
                json!({"properties": {"storageAccount": SA, "other": "/subscriptions/s/resourceGroups/rg/providers/X.Y/z/gone"}}),
            ),
        ]);
        let follow = cond("{follow: {at: $.properties.storageAccount, where: {path: $.properties.publicNetworkAccess, equals: Disabled}}}");
        let o = follow.eval(&g, 1);
        assert_eq!(o.truth, Truth::True);
        assert_eq!(o.evidence[0].pointer, "/properties/storageAccount");
        assert_eq!(
            cond("{follow: {at: $.properties.other}}").eval(&g, 1).truth,
            Truth::Unknown
        );
        let by = cond("{referenced_by: {type: Microsoft.MachineLearningServices/workspaces, at: $.properties.storageAccount}}");
        assert_eq!(by.eval(&g, 0).truth, Truth::True);
        let wrong_at = cond("{referenced_by: {type: Microsoft.MachineLearningServices/workspaces, at: $.properties.keyVault}}");
        assert_eq!(wrong_at.eval(&g, 0).truth, Truth::False);
    }

    #[test]
    fn malformed_conditions_are_rejected() {
        for bad in [
            "{path: $.a, equals: 1, not_equals: 2}",
            "{equals: 1}",
            "{all: [], any: []}",
            "{predicate: no-such-predicate}",
            "{follow: {type: T}}",
        ] {
            let spec: ConditionSpec = serde_norway::from_str(bad).unwrap();
            assert!(Condition::compile(spec).is_err(), "{bad}");
        }
        assert!(serde_norway::from_str::<ConditionSpec>("{pth: $.a}").is_err());
    }
}
