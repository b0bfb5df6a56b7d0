//! Evaluator tests over real HCL snippets.

use std::collections::BTreeMap;

use hcl_edit::parser::parse_expr;

use super::{evaluate, Scope};
use crate::eval::value::Value;

/// Roots are objects; the first attribute is consumed, a missing one is an unknown name.
struct TestScope {
    roots: BTreeMap<String, Value>,
}

impl Scope for TestScope {
    fn resolve(&self, root: &str, attrs: &[&str]) -> Option<(Value, usize)> {
        let value = self.roots.get(root)?;
        match attrs.first() {
            Some(attr) => value.get(attr).map(|v| (v.clone(), 1)),
            None => Some((value.clone(), 0)),
        }
    }
}

fn s(text: &str) -> Value {
    Value::from(text)
}

fn n(x: f64) -> Value {
    Value::Number(x)
}

fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

fn obj(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

fn scope() -> TestScope {
    let var = obj(&[
        ("prefix", s("app")),
        ("nothing", Value::Null),
        ("unknown", Value::Unknown),
        ("enabled", Value::Bool(true)),
        ("zones", list(vec![s("1"), s("2"), s("3")])),
        (
            "subnets",
            list(vec![
                obj(&[("name", s("web")), ("cidr", s("10.0.1.0/24"))]),
                obj(&[("name", s("db")), ("cidr", s("10.0.2.0/24"))]),
            ]),
        ),
        ("tags", obj(&[("env", s("prod")), ("team", s("core"))])),
        ("partly", list(vec![s("a"), Value::Unknown])),
    ]);
    let roots = [
        ("var", var),
        (
            "local",
            obj(&[("name", s("svc")), ("single", obj(&[("id", s("x"))]))]),
        ),
        ("count", obj(&[("index", n(2.0))])),
        (
            "each",
            obj(&[("key", s("k")), ("value", obj(&[("size", n(3.0))]))]),
        ),
    ];
    TestScope {
        roots: roots.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
    }
}

fn eval(src: &str) -> Value {
    let expr = parse_expr(src).unwrap_or_else(|e| panic!("parse {src}: {e}"));
    evaluate(&expr, &scope())
}

#[test]
fn literals_and_collections() {
    assert_eq!(eval("null"), Value::Null);
    assert_eq!(eval("1.5"), n(1.5));
    assert_eq!(
        eval("[1, \"a\", true]"),
        list(vec![n(1.0), s("a"), Value::Bool(true)])
    );
    assert_eq!(
        eval("{ a = 1, \"b\" = 2, (var.prefix) = 3, \"${local.name}-x\" = 4 }"),
        obj(&[
            ("a", n(1.0)),
            ("b", n(2.0)),
            ("app", n(3.0)),
            ("svc-x", n(4.0))
        ])
    );
    assert_eq!(eval("{ (var.unknown) = 1 }"), Value::Unknown);
    assert_eq!(eval("{ (var.nothing) = 1 }"), Value::Unknown);
}

#[test]
fn templates_and_heredocs() {
    assert_eq!(eval("\"${var.prefix}-${count.index}\""), s("app-2"));
    assert_eq!(eval("\"${var.zones}\""), list(vec![s("1"), s("2"), s("3")]));
    assert_eq!(eval("\"$${literal} %%{x}\""), s("${literal} %{x}"));
    assert_eq!(eval("\"a-${var.unknown}\""), Value::Unknown);
    assert_eq!(eval("\"a-${var.nothing}\""), Value::Unknown);
    assert_eq!(
        eval("\"%{ if var.enabled }on%{ else }off%{ endif }\""),
        s("on")
    );
    assert_eq!(eval("\"%{ if var.unknown }on%{ endif }\""), Value::Unknown);
    assert_eq!(
        eval("\"%{ for z in var.zones }${z},%{ endfor }\""),
        s("1,2,3,")
    );
    assert_eq!(
        eval("\"%{ for i, z in var.zones ~} ${i}=${z} %{~ endfor }\""),
        s("0=11=22=3")
    );
    assert_eq!(eval("\"x  ${~ var.prefix ~}  y\""), s("xappy"));
    let heredoc = "<<-EOT\n    hello ${var.prefix}\n    %{ for k, v in var.tags ~}\n    ${k}=${v}\n    %{ endfor ~}\n    EOT";
    assert_eq!(eval(heredoc), s("hello app\nenv=prod\nteam=core\n"));
}

#[test]
fn operators() {
    assert_eq!(eval("1 + 2 * 3"), n(7.0));
    assert_eq!(eval("7 % 3 - 10 / 4"), n(-1.5));
    assert_eq!(eval("\"5\" + 1"), n(6.0));
    assert_eq!(eval("1 / 0"), Value::Unknown);
    assert_eq!(eval("-count.index"), n(-2.0));
    assert_eq!(eval("!var.enabled"), Value::Bool(false));
    assert_eq!(eval("1 == \"1\""), Value::Bool(false));
    assert_eq!(eval("[1, 2] == [1, 2]"), Value::Bool(true));
    assert_eq!(eval("var.tags != {}"), Value::Bool(true));
    assert_eq!(
        eval("count.index >= 2 && count.index < 3"),
        Value::Bool(true)
    );
    assert_eq!(eval("var.unknown + 1"), Value::Unknown);
    assert_eq!(eval("var.unknown == 1"), Value::Unknown);
    assert_eq!(eval("var.partly == [\"b\", \"c\"]"), Value::Bool(false));
    assert_eq!(eval("false && var.unknown"), Value::Bool(false));
    assert_eq!(eval("var.unknown || true"), Value::Bool(true));
    assert_eq!(eval("var.unknown && true"), Value::Unknown);
    assert_eq!(eval("var.nothing && true"), Value::Unknown);
}

#[test]
fn conditionals() {
    assert_eq!(eval("var.nothing == null ? \"a\" : \"b\""), s("a"));
    assert_eq!(eval("var.prefix == null ? \"a\" : \"b\""), s("b"));
    assert_eq!(eval("var.unknown == null ? \"a\" : \"b\""), Value::Unknown);
    assert_eq!(eval("var.enabled ? 1 : local.missing"), n(1.0));
    assert_eq!(eval("var.unknown ? 1 : 2"), Value::Unknown);
}

#[test]
fn traversals_and_splats() {
    assert_eq!(eval("var.subnets[1].name"), s("db"));
    assert_eq!(eval("var.subnets.0.cidr"), s("10.0.1.0/24"));
    assert_eq!(eval("var.tags[\"env\"]"), s("prod"));
    assert_eq!(eval("var.zones[\"1\"]"), s("2"));
    assert_eq!(eval("var.zones[5]"), Value::Unknown);
    assert_eq!(eval("var.subnets[*].name"), list(vec![s("web"), s("db")]));
    assert_eq!(eval("var.subnets.*.name"), list(vec![s("web"), s("db")]));
    assert_eq!(eval("var.subnets.*.name[0]"), s("web"));
    assert_eq!(eval("local.single[*].id"), list(vec![s("x")]));
    assert_eq!(eval("var.nothing[*].id"), list(vec![]));
    assert_eq!(eval("var.unknown[*].id"), Value::Unknown);
    assert_eq!(eval("var.unknown.a.b[0]"), Value::Unknown);
    assert_eq!(eval("each.value.size * 2"), n(6.0));
    assert_eq!(eval("var.partly"), list(vec![s("a"), Value::Unknown]));
    assert_eq!(eval("local.missing"), Value::Unknown);
    assert_eq!(eval("var.tags.missing"), Value::Unknown);
}

#[test]
fn for_expressions() {
    assert_eq!(
        eval("[for z in var.zones : \"z${z}\"]"),
        list(vec![s("z1"), s("z2"), s("z3")])
    );
    assert_eq!(
        eval("[for i, z in var.zones : i if z != \"2\"]"),
        list(vec![n(0.0), n(2.0)])
    );
    assert_eq!(
        eval("{ for s in var.subnets : s.name => s.cidr }"),
        obj(&[("db", s("10.0.2.0/24")), ("web", s("10.0.1.0/24"))])
    );
    assert_eq!(
        eval("{ for z in [\"a\", \"b\", \"a\"] : z => z... }"),
        obj(&[("a", list(vec![s("a"), s("a")])), ("b", list(vec![s("b")]))])
    );
    assert_eq!(eval("{ for z in [\"a\", \"a\"] : z => z }"), Value::Unknown);
    assert_eq!(
        eval("flatten([for s in var.subnets : [for z in var.zones : \"${s.name}-${z}\" if z != \"3\"]])"),
        list(vec![s("web-1"), s("web-2"), s("db-1"), s("db-2")])
    );
    // Iterator variables shadow scope roots.
    assert_eq!(
        eval("[for var in [1, 2] : var * 10]"),
        list(vec![n(10.0), n(20.0)])
    );
    assert_eq!(
        eval("[for k, v in var.tags : \"${k}:${v}\"]"),
        list(vec![s("env:prod"), s("team:core")])
    );
    assert_eq!(eval("[for z in var.unknown : z]"), Value::Unknown);
    assert_eq!(
        eval("[for z in var.partly : z]"),
        list(vec![s("a"), Value::Unknown])
    );
    assert_eq!(
        eval("[for z in var.partly : z if z == \"a\"]"),
        Value::Unknown
    );
    assert_eq!(eval("[for z in \"abc\" : z]"), Value::Unknown);
}

#[test]
fn function_calls() {
    assert_eq!(eval("upper(var.prefix)"), s("APP"));
    assert_eq!(eval("max(var.zones...)"), n(3.0));
    assert_eq!(eval("length(var.partly)"), n(2.0));
    assert_eq!(eval("join(\",\", var.partly)"), Value::Unknown);
    assert_eq!(eval("nosuchfunction(1)"), Value::Unknown);
    assert_eq!(
        eval("provider::azurerm::parse_resource_id(\"x\")"),
        Value::Unknown
    );
    assert_eq!(eval("core::upper(\"a\")"), s("A"));
    assert_eq!(eval("max(var.unknown...)"), Value::Unknown);
    assert_eq!(eval("length(var.subnets[*].name)"), n(2.0));
}

#[test]
fn try_and_can() {
    assert_eq!(eval("try(local.missing.attr, \"d\")"), s("d"));
    assert_eq!(eval("try(var.tags.missing, var.tags.env)"), s("prod"));
    assert_eq!(eval("try(var.unknown, \"x\")"), Value::Unknown);
    assert_eq!(eval("try(tonumber(\"abc\"), 0)"), n(0.0));
    assert_eq!(eval("try(local.missing, local.missing)"), Value::Unknown);
    assert_eq!(eval("can(var.zones[5])"), Value::Bool(false));
    assert_eq!(eval("can(var.zones[1])"), Value::Bool(true));
    assert_eq!(eval("can(var.unknown)"), Value::Unknown);
    assert_eq!(eval("try(1 / 0, -1)"), n(-1.0));
}

#[test]
fn never_panics_on_hostile_input() {
    // The deepest tree hcl-edit accepts still evaluates (64 nesting levels, 127 operators).
    let chain = vec!["1"; 128].join(" + ");
    let deep = format!("{}{chain}{}", "[".repeat(63), "]".repeat(63));
    let mut expected = n(128.0);
    for _ in 0..63 {
        expected = list(vec![expected]);
    }
    assert_eq!(eval(&deep), expected);
    assert_eq!(eval("range(100000000)"), Value::Unknown);
    assert_eq!(
        eval(
            "length([for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]])"
        ),
        Value::Unknown
    );
    assert_eq!(eval("substr(\"héllo\", 1, 2)"), s("él"));
    assert_eq!(eval("var.zones[-1]"), Value::Unknown);
    assert_eq!(eval("var.zones[1.5]"), Value::Unknown);
    assert_eq!(eval("element(var.zones, 1e300)"), Value::Unknown);
    assert_eq!(eval("format(\"%[0]s %\", 1)"), Value::Unknown);
}
