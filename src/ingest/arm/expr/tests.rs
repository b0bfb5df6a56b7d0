//! End-to-end tests: template strings through parse and evaluate against a test context.

use std::collections::BTreeMap;

use super::*;

struct Ctx {
    params: BTreeMap<String, Value>,
    copy: Option<i64>,
    group: Value,
}

impl Ctx {
    fn new() -> Self {
        let mut params = BTreeMap::new();
        params.insert("name".to_owned(), Value::from("app"));
        params.insert("count".to_owned(), Value::Number(3.0));
        params.insert("secret".to_owned(), Value::Unknown);
        params.insert(
            "obj".to_owned(),
            Value::Object(
                [(
                    "Inner".to_owned(),
                    Value::List(vec![Value::from("x"), Value::from("y")]),
                )]
                .into(),
            ),
        );
        let group = object(&[
            ("name", "rg1"),
            ("location", "westeurope"),
            ("id", "/subscriptions/sub1/resourceGroups/rg1"),
        ]);
        Ctx {
            params,
            copy: Some(2),
            group,
        }
    }
}

fn object(pairs: &[(&str, &str)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
            .collect(),
    )
}

impl Context for Ctx {
    fn parameter(&self, name: &str) -> Option<Value> {
        self.params.get(name).cloned()
    }
    fn variable(&self, name: &str) -> Option<Value> {
        (name == "prefix").then(|| Value::from("pre"))
    }
    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64> {
        match loop_name {
            Some("outer") => Some(7),
            Some(_) => None,
            None => self.copy,
        }
    }
    fn resource_group(&self) -> Value {
        self.group.clone()
    }
    fn subscription(&self) -> Value {
        object(&[("subscriptionId", "sub1"), ("id", "/subscriptions/sub1")])
    }
    fn deployment(&self) -> Value {
        object(&[("name", "deploy1")])
    }
    fn user_function(&self, namespace: &str, name: &str, args: &[Value]) -> Option<Value> {
        (namespace == "my" && name == "double").then(|| match args {
            [Value::Number(n)] => Value::Number(n * 2.0),
            _ => Value::Unknown,
        })
    }
}

fn eval(s: &str) -> Value {
    eval_template_string(s, &Ctx::new()).unwrap()
}

fn s(v: &str) -> Value {
    Value::from(v)
}

#[test]
fn classifies_template_strings() {
    assert_eq!(
        classify("[concat('a')]"),
        TemplateString::Expression("concat('a')")
    );
    assert_eq!(
        classify("[[not an expression]"),
        TemplateString::Literal("[not an expression]".into())
    );
    assert_eq!(classify("plain"), TemplateString::Literal("plain".into()));
    assert_eq!(
        classify("[unclosed"),
        TemplateString::Literal("[unclosed".into())
    );
    assert_eq!(classify("["), TemplateString::Literal("[".into()));
    assert_eq!(eval("[[x]"), s("[x]"));
    assert_eq!(eval("text"), s("text"));
}

#[test]
fn syntax_errors_are_offset_into_the_template_string() {
    let err = eval_template_string("[concat('a' 'b')]", &Ctx::new()).unwrap_err();
    assert_eq!(err.offset, 12);
}

#[test]
fn evaluates_parameters_variables_and_access() {
    assert_eq!(eval("[concat(parameters('name'), '-sa')]"), s("app-sa"));
    assert_eq!(
        eval("[concat(variables('prefix'), parameters('count'))]"),
        s("pre3")
    );
    assert_eq!(eval("[parameters('obj').inner[1]]"), s("y"));
    assert_eq!(eval("[parameters('obj')['Inner'][0]]"), s("x"));
    assert_eq!(eval("[parameters('obj').?missing]"), Value::Null);
    assert_eq!(eval("[parameters('obj')?.inner?[5]]"), Value::Null);
    assert_eq!(eval("[parameters('obj').missing]"), Value::Unknown);
    assert!(try_evaluate(&parse("parameters('obj').missing").unwrap(), &Ctx::new()).is_err());
    assert_eq!(eval("[parameters('nope')]"), Value::Unknown);
    assert_eq!(eval("[resourceGroup().location]"), s("westeurope"));
    assert_eq!(eval("[deployment().name]"), s("deploy1"));
    assert_eq!(
        eval("[environment().suffixes.storage]"),
        s("core.windows.net")
    );
    assert_eq!(eval("[my.double(21)]"), Value::Number(42.0));
    assert_eq!(eval("[other.fn(1)]"), Value::Unknown);
}

#[test]
fn function_names_are_case_insensitive() {
    assert_eq!(eval("[TOLOWER('AbC')]"), s("abc"));
    assert_eq!(eval("[Concat('a', 'b')]"), s("ab"));
}

#[test]
fn copy_index_forms() {
    assert_eq!(eval("[copyIndex()]"), Value::Number(2.0));
    assert_eq!(eval("[copyIndex(1)]"), Value::Number(3.0));
    assert_eq!(eval("[copyIndex('outer')]"), Value::Number(7.0));
    assert_eq!(eval("[copyIndex('outer', 10)]"), Value::Number(17.0));
    assert_eq!(eval("[copyIndex('other')]"), Value::Unknown);
}

fn endpoint_x() -> Value {
    eval("[reference('r', '1', 'full').properties.properties.endpoint.x]")
}

#[test]
fn unknown_propagates() {
    assert_eq!(eval("[concat(parameters('secret'), 'x')]"), Value::Unknown);
    // A runtime property keeps its identity: that property of that resource.
    let endpoint = eval("[reference('r').properties.endpoint]");
    assert!(endpoint.is_symbolic(), "{endpoint:?}");
    assert_eq!(
        endpoint,
        eval("[reference('r', '2023-01-01', 'Full').properties.properties.endpoint]")
    );
    assert_eq!(eval("[reference('r').properties.endpoint.x]"), endpoint_x());
    assert_eq!(
        eval("[listKeys('id', '2021-01-01').keys[0].value]"),
        Value::Unknown
    );
    assert_eq!(eval("[toUpper(utcNow())]"), Value::Unknown);
    assert_eq!(
        eval("[length(createArray(parameters('secret'), 1))]"),
        Value::Number(2.0)
    );
    assert_eq!(
        eval("[and(equals(1, 2), parameters('secret'))]"),
        Value::Bool(false)
    );
    assert_eq!(eval("[or(parameters('secret'), true)]"), Value::Bool(true));
    assert_eq!(eval("[and(parameters('secret'), true)]"), Value::Unknown);
    assert_eq!(eval("[if(parameters('secret'), 'a', 'a')]"), s("a"));
    assert_eq!(eval("[if(parameters('secret'), 'a', 'b')]"), Value::Unknown);
    assert_eq!(eval("[string(createArray(newGuid()))]"), Value::Unknown);
    assert_eq!(eval("[uniqueString(parameters('secret'))]"), Value::Unknown);
}

#[test]
fn if_is_lazy() {
    // The untaken branch would fail: a missing parameter, a division by zero.
    assert_eq!(eval("[if(true, 'yes', parameters('nope'))]"), s("yes"));
    assert_eq!(eval("[if(equals(1, 2), div(1, 0), 'no')]"), s("no"));
    assert_eq!(eval("[if(1, 'a', 'b')]"), Value::Unknown);
}

#[test]
fn resource_ids_have_arm_shapes() {
    assert_eq!(
        eval("[resourceId('Microsoft.Storage/storageAccounts', 'sa1')]"),
        s("/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/sa1")
    );
    assert_eq!(
        eval("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'sub')]"),
        s("/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sub")
    );
    assert_eq!(
        eval("[resourceId('otherRg', 'Microsoft.Network/virtualNetworks/subnets', 'vnet', 'sub')]"),
        s("/subscriptions/sub1/resourceGroups/otherRg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sub")
    );
    assert_eq!(
        eval("[resourceId('sub2', 'rg2', 'Microsoft.Web/sites', 'app')]"),
        s("/subscriptions/sub2/resourceGroups/rg2/providers/Microsoft.Web/sites/app")
    );
    assert_eq!(
        eval("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet/sub')]"),
        s("/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sub")
    );
    assert_eq!(
        eval("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]"),
        Value::Unknown
    );
    assert_eq!(
        eval("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'abc')]"),
        s("/subscriptions/sub1/providers/Microsoft.Authorization/roleDefinitions/abc")
    );
    assert_eq!(
        eval("[subscriptionResourceId('sub9', 'Microsoft.Resources/resourceGroups', 'rg')]"),
        s("/subscriptions/sub9/providers/Microsoft.Resources/resourceGroups/rg")
    );
    assert_eq!(
        eval("[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]"),
        s("/providers/Microsoft.Management/managementGroups/mg")
    );
    assert_eq!(
        eval("[extensionResourceId(resourceId('Microsoft.Storage/storageAccounts', 'sa'), 'Microsoft.Authorization/locks', 'lock')]"),
        s("/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/sa/providers/Microsoft.Authorization/locks/lock")
    );
    assert_eq!(
        eval("[managementGroupResourceId('mg1', 'Microsoft.Authorization/policyDefinitions', 'p')]"),
        s("/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/p")
    );
    assert_eq!(
        eval("[managementGroupResourceId('Microsoft.Authorization/policyDefinitions', 'p')]"),
        Value::Unknown
    );
}

#[test]
fn resource_id_at_subscription_scope_and_unknown_group() {
    let mut ctx = Ctx::new();
    ctx.group = Value::Null;
    let id = eval_template_string(
        "[resourceId('Microsoft.Resources/resourceGroups', 'rg')]",
        &ctx,
    )
    .unwrap();
    assert_eq!(
        id,
        s("/subscriptions/sub1/providers/Microsoft.Resources/resourceGroups/rg")
    );
    ctx.group = Value::Unknown;
    let id = eval_template_string("[resourceId('Microsoft.Web/sites', 'a')]", &ctx).unwrap();
    assert_eq!(id, Value::Unknown);
}

#[test]
fn hash_functions_through_expressions() {
    assert_eq!(eval("[uniqueString('test')]"), s("rbgf3xv4ufgzg"));
    assert_eq!(
        eval("[guid('test')]"),
        s("d6a5baf1-8b9b-542a-8525-2982f1f98a0c")
    );
    assert_eq!(eval("[newGuid()]"), Value::Unknown);
    assert_eq!(
        eval("[uniqueString(resourceGroup().id)]"),
        s(&unique_string(&["/subscriptions/sub1/resourceGroups/rg1"]))
    );
}

#[test]
fn lambdas() {
    assert_eq!(
        eval("[map(range(1, 3), lambda('x', mul(lambdaVariables('x'), 2)))]"),
        eval("[createArray(2, 4, 6)]")
    );
    assert_eq!(eval("[map(createArray('a', 'b'), lambda('x', 'i', concat(lambdaVariables('x'), string(lambdaVariables('i')))))]"), eval("[createArray('a0', 'b1')]"));
    assert_eq!(
        eval("[filter(range(0, 6), lambda('x', equals(mod(lambdaVariables('x'), 2), 0)))]"),
        eval("[createArray(0, 2, 4)]")
    );
    assert_eq!(eval("[reduce(range(1, 4), 0, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]"), Value::Number(10.0));
    assert_eq!(eval("[sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]"), eval("[createArray(1, 2, 3)]"));
    assert_eq!(
        eval("[sort(createArray(3, 1, 2), lambda('a', 'b', true))]")
            .as_list()
            .map(<[Value]>::len),
        Some(3)
    );
    assert_eq!(
        eval("[toObject(createArray('a', 'b'), lambda('x', lambdaVariables('x')), lambda('x', toUpper(lambdaVariables('x'))))]"),
        eval("[createObject('a', 'A', 'b', 'B')]")
    );
    assert_eq!(
        eval("[groupBy(createArray('ab', 'ac', 'b'), lambda('x', first(lambdaVariables('x'))))]"),
        eval("[json('{\"a\": [\"ab\", \"ac\"], \"b\": [\"b\"]}')]")
    );
    assert_eq!(
        eval("[mapValues(createObject('a', 1), lambda('v', add(lambdaVariables('v'), 1)))]"),
        eval("[createObject('a', 2)]")
    );
    assert_eq!(
        eval("[filter(createArray(parameters('secret')), lambda('x', lambdaVariables('x')))]"),
        Value::Unknown
    );
    assert_eq!(eval("[lambdaVariables('x')]"), Value::Unknown);
    assert_eq!(eval("[lambda('x', 1)]"), Value::Unknown);
    assert_eq!(eval("[map(range(0, 2), 'notalambda')]"), Value::Unknown);
}

#[test]
fn runaway_evaluation_is_cut_off() {
    let doubling = "[reduce(range(0, 40), 'ab', lambda('acc', 'x', concat(lambdaVariables('acc'), lambdaVariables('acc'))))]";
    assert_eq!(eval(doubling), Value::Unknown);
    let nesting = "[reduce(range(0, 5000), createArray(), lambda('acc', 'x', createArray(lambdaVariables('acc'))))]";
    assert_eq!(eval(nesting), Value::Unknown);
    let square = "[map(range(0, 10000), lambda('x', range(0, 10000)))]";
    assert_eq!(eval(square), Value::Unknown);
}

#[test]
fn deepest_accepted_expression_evaluates() {
    let depth = MAX_DEPTH - 1;
    let text = format!("[{}'a'{}]", "concat(".repeat(depth), ")".repeat(depth));
    assert_eq!(eval(&text), s("a"));
    let text = format!("[{}'a'{}]", "if(true, ".repeat(depth), ", 0)".repeat(depth));
    assert_eq!(eval(&text), s("a"));
    let text = format!(
        "[{}'a'{}]",
        "concat(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    assert!(eval_template_string(&text, &Ctx::new()).is_err());
}
