use super::super::ast::*;
use super::parse;

fn parse_ok(src: &str) -> Program {
    let program = parse(src);
    assert!(program.diagnostics.is_empty(), "{:?}", program.diagnostics);
    program
}

fn single(src: &str) -> StatementKind {
    let mut program = parse_ok(src);
    assert_eq!(program.statements.len(), 1, "{:?}", program.statements);
    program.statements.remove(0).kind
}

/// Value of `var x = <expr>`.
fn expr(src: &str) -> Expr {
    match single(&format!("var x = {src}")) {
        StatementKind::Var { value, .. } => value,
        other => panic!("{other:?}"),
    }
}

fn var_name(e: &Expr) -> &str {
    match &e.kind {
        ExprKind::Variable(id) => &id.name,
        other => panic!("not a variable: {other:?}"),
    }
}

fn lit(s: &StringExpr) -> &str {
    s.as_literal().expect("literal string")
}

#[test]
fn target_scope_metadata_and_var() {
    let p =
        parse_ok("targetScope = 'subscription'\nmetadata info = { a: 1 }\nvar v string = 'x'\n");
    assert!(
        matches!(&p.statements[0].kind, StatementKind::TargetScope(e) if matches!(&e.kind, ExprKind::String(s) if lit(s) == "subscription"))
    );
    assert!(
        matches!(&p.statements[1].kind, StatementKind::Metadata { name, .. } if name.name == "info")
    );
    assert!(matches!(
        &p.statements[2].kind,
        StatementKind::Var { ty: Some(_), .. }
    ));
}

#[test]
fn params_with_decorators() {
    let src = "@secure()\n@allowed([\n  'a'\n  'b'\n])\n@sys.description('d')\n@minValue(1)\nparam p string = 'a'\nparam q int\n";
    let p = parse_ok(src);
    let s = &p.statements[0];
    assert_eq!(s.decorators.len(), 4);
    assert_eq!(s.span.start, 0);
    let ExprKind::Call {
        receiver: Some(ns),
        name,
        args,
    } = &s.decorators[2].expr.kind
    else {
        panic!("{:?}", s.decorators[2]);
    };
    assert_eq!(
        (var_name(ns), name.name.as_str(), args.len()),
        ("sys", "description", 1)
    );
    let StatementKind::Param(param) = &s.kind else {
        panic!()
    };
    assert_eq!(param.name.name, "p");
    assert!(
        matches!(&param.ty, Some(TypeExpr { kind: TypeKind::Named(n), .. }) if n.name == "string")
    );
    assert!(param.default.is_some());
    assert!(matches!(
        &p.statements[1].kind,
        StatementKind::Param(ParamDecl { default: None, .. })
    ));
}

#[test]
fn param_resource_input_and_legacy_resource_type() {
    let StatementKind::Param(p) =
        single("param x resourceInput<'Microsoft.Storage/storageAccounts@2023-01-01'>.properties")
    else {
        panic!()
    };
    let TypeKind::Property { base, name } = &p.ty.unwrap().kind else {
        panic!()
    };
    assert_eq!(name.name, "properties");
    let TypeKind::Parameterized {
        name,
        args,
        receiver: None,
    } = &base.kind
    else {
        panic!()
    };
    assert_eq!(name.name, "resourceInput");
    assert!(matches!(&args[0].kind, TypeKind::Literal(_)));
    let StatementKind::Param(p) =
        single("param kv resource 'Microsoft.KeyVault/vaults@2019-09-01'")
    else {
        panic!()
    };
    assert!(
        matches!(p.ty.unwrap().kind, TypeKind::Resource(s) if lit(&s) == "Microsoft.KeyVault/vaults@2019-09-01")
    );
}

#[test]
fn resource_object_existing_and_nested_child() {
    let src = "resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' = {\n  name: 'v'\n  properties: {}\n  resource subnet 'subnets' = {\n    name: 's'\n  }\n}\nresource kv 'Microsoft.KeyVault/vaults@2023-02-01' existing = {\n  name: 'k'\n}\n";
    let p = parse_ok(src);
    let StatementKind::Resource(r) = &p.statements[0].kind else {
        panic!()
    };
    assert_eq!(
        lit(&r.type_string),
        "Microsoft.Network/virtualNetworks@2023-04-01"
    );
    let DeclBody::Object(body) = &r.body else {
        panic!()
    };
    assert_eq!(body.items.len(), 3);
    let ObjectItem::Resource(child) = &body.items[2] else {
        panic!()
    };
    assert!(
        matches!(&child.kind, StatementKind::Resource(c) if c.name.name == "subnet" && lit(&c.type_string) == "subnets")
    );
    assert!(body.get("name").is_some());
    assert!(matches!(&p.statements[1].kind, StatementKind::Resource(r) if r.existing));
}

#[test]
fn resource_if_and_for_bodies() {
    let src = "resource a 't@1' = if (deploy) {\n  name: 'a'\n}\nresource b 't@1' = [for (x, i) in items: {\n  name: x\n}]\nresource c 't@1' = [for x in range(0, 3): if (x > 0) {\n  name: '${x}'\n}]\n";
    let p = parse_ok(src);
    let StatementKind::Resource(a) = &p.statements[0].kind else {
        panic!()
    };
    let DeclBody::If(cond) = &a.body else {
        panic!()
    };
    assert_eq!(var_name(&cond.condition), "deploy");
    let StatementKind::Resource(b) = &p.statements[1].kind else {
        panic!()
    };
    let DeclBody::For(f) = &b.body else { panic!() };
    assert_eq!(
        (
            f.item.name.as_str(),
            f.index.as_ref().map(|i| i.name.as_str())
        ),
        ("x", Some("i"))
    );
    assert!(matches!(&f.body, ForBody::Expr(e) if matches!(e.kind, ExprKind::Object(_))));
    let StatementKind::Resource(c) = &p.statements[2].kind else {
        panic!()
    };
    let DeclBody::For(f) = &c.body else { panic!() };
    assert!(
        matches!(&f.iterable.kind, ExprKind::Call { name, args, .. } if name.name == "range" && args.len() == 2)
    );
    assert!(matches!(&f.body, ForBody::If(_)));
}

#[test]
fn modules_with_registry_paths() {
    for path in [
        "./mod.bicep",
        "br:example.azurecr.io/bicep/m:v1",
        "br/public:avm/res/x:0.1.0",
        "ts:sub/rg/spec:1.0",
    ] {
        let StatementKind::Module(m) = single(&format!(
            "@batchSize(1)\nmodule m '{path}' = {{\n  name: 'm'\n  params: {{}}\n}}"
        )) else {
            panic!()
        };
        assert_eq!(lit(&m.path), path);
    }
    let StatementKind::Module(m) = single("module m './a.bicep' =\n  if (c) {\n  name: 'x'\n}")
    else {
        panic!()
    };
    assert!(matches!(m.body, DeclBody::If(_)));
}

#[test]
fn outputs() {
    let p = parse_ok(
        "output id string = st.id\noutput r resource 'a/b@1' = st\noutput o object = {\n  a: 1\n}\n",
    );
    assert_eq!(p.statements.len(), 3);
    assert!(matches!(
        &p.statements[1].kind,
        StatementKind::Output {
            ty: TypeExpr {
                kind: TypeKind::Resource(_),
                ..
            },
            ..
        }
    ));
}

#[test]
fn imports_using_extension() {
    let p = parse_ok(
        "import {a, b as c\n 'd' as e} from './t.bicep'\nimport * as ns from 'br/public:x:1'\nextension microsoftGraphV1\nextension 'br:x/y:1' with {\n  k: 1\n} as g\nprovider 'az@1.0.0'\nimport 'kubernetes@1.0.0' with { namespace: 'default' } as k8s\n",
    );
    let StatementKind::Import(i) = &p.statements[0].kind else {
        panic!()
    };
    let ImportTarget::Symbols(syms) = &i.target else {
        panic!()
    };
    assert_eq!(syms.len(), 3);
    assert_eq!(syms[1].alias.as_ref().unwrap().name, "c");
    assert_eq!(lit(i.from.as_ref().unwrap()), "./t.bicep");
    assert!(
        matches!(&p.statements[1].kind, StatementKind::Import(ImportDecl { target: ImportTarget::Wildcard { alias }, .. }) if alias.name == "ns")
    );
    assert!(
        matches!(&p.statements[3].kind, StatementKind::Extension(e) if e.config.is_some() && e.alias.is_some())
    );
    assert!(
        matches!(&p.statements[4].kind, StatementKind::Extension(e) if e.keyword.name == "provider")
    );
    assert!(
        matches!(&p.statements[5].kind, StatementKind::Extension(e) if e.keyword.name == "import" && e.alias.as_ref().unwrap().name == "k8s")
    );
    let p = parse_ok("using './main.bicep'\nparam a = 'x'\nparam b = {\n  c: [1, 2]\n}\n");
    assert!(matches!(
        &p.statements[0].kind,
        StatementKind::Using { path: Some(_), .. }
    ));
    assert!(matches!(
        &p.statements[1].kind,
        StatementKind::Param(ParamDecl {
            ty: None,
            default: Some(_),
            ..
        })
    ));
    assert!(matches!(
        single("using none"),
        StatementKind::Using { path: None, .. }
    ));
}

#[test]
fn user_defined_types() {
    let src = "@export()\ntype t = {\n  @description('n')\n  name: string\n  kind: 'a' | 'b'\n  tags: string[]\n  opt: int?\n  'quoted-key': bool\n  *: string\n}\ntype u =\n  | 'x'\n  | 'y'\ntype tup = [string, @minValue(0) int]\ntype n = (string | int)[]\ntype neg = -1 | !true | null\ntype ref = ns.other.prop[*]\ntype ap = t.*\ntype el = tup[0]\n";
    let p = parse_ok(src);
    let StatementKind::Type { ty, .. } = &p.statements[0].kind else {
        panic!()
    };
    let TypeKind::Object(items) = &ty.kind else {
        panic!()
    };
    assert_eq!(items.len(), 6);
    assert_eq!(items[0].decorators.len(), 1);
    assert!(matches!(&items[1].ty.kind, TypeKind::Union(m) if m.len() == 2));
    assert!(matches!(&items[2].ty.kind, TypeKind::Array(_)));
    assert!(matches!(&items[3].ty.kind, TypeKind::Nullable(_)));
    assert!(items[5].key.is_none());
    assert!(
        matches!(&p.statements[1].kind, StatementKind::Type { ty: TypeExpr { kind: TypeKind::Union(m), .. }, .. } if m.len() == 2)
    );
    assert!(
        matches!(&p.statements[2].kind, StatementKind::Type { ty: TypeExpr { kind: TypeKind::Tuple(m), .. }, .. } if m[1].decorators.len() == 1)
    );
    assert!(
        matches!(&p.statements[3].kind, StatementKind::Type { ty: TypeExpr { kind: TypeKind::Array(inner), .. }, .. } if matches!(inner.kind, TypeKind::Paren(_)))
    );
    assert!(matches!(
        &p.statements[5].kind,
        StatementKind::Type {
            ty: TypeExpr {
                kind: TypeKind::Items(_),
                ..
            },
            ..
        }
    ));
    assert!(matches!(
        &p.statements[6].kind,
        StatementKind::Type {
            ty: TypeExpr {
                kind: TypeKind::AdditionalProperties(_),
                ..
            },
            ..
        }
    ));
    assert!(matches!(
        &p.statements[7].kind,
        StatementKind::Type {
            ty: TypeExpr {
                kind: TypeKind::Index { .. },
                ..
            },
            ..
        }
    ));
}

#[test]
fn user_defined_functions() {
    let StatementKind::Func(f) =
        single("func greet(name string, n int) string =>\n  '${name}${n}'")
    else {
        panic!()
    };
    assert_eq!(f.params.len(), 2);
    assert!(matches!(&f.return_type.kind, TypeKind::Named(n) if n.name == "string"));
    assert!(matches!(&f.body.kind, ExprKind::String(s) if s.parts.len() == 2));
}

#[test]
fn test_and_assert_declarations() {
    let p = parse_ok("test t 'main.bicep' = {\n  params: {}\n}\nassert a = 1 == 1\n");
    assert!(matches!(&p.statements[0].kind, StatementKind::Test { .. }));
    assert!(matches!(
        &p.statements[1].kind,
        StatementKind::Assert { .. }
    ));
}

#[test]
fn keywords_as_property_names_and_identifiers() {
    let e = expr(
        "{\n  resource: 1\n  if: 2\n  for: 3\n  existing: 4\n  type: 5\n  param: x.resource.output\n  true: 1\n}",
    );
    let ExprKind::Object(o) = &e.kind else {
        panic!()
    };
    assert_eq!(o.items.len(), 7);
    let p = parse_ok("param type string\nvar module = type\n");
    assert_eq!(p.statements.len(), 2);
}

#[test]
fn interpolated_strings_and_keys() {
    let e = expr("'${a}-${'x${b}'}-c'");
    let ExprKind::String(s) = &e.kind else {
        panic!()
    };
    assert_eq!(s.parts.len(), 4);
    assert!(matches!(&s.parts[1], StringPart::Literal(t) if t == "-"));
    let e = expr("{\n  '${k}': 1\n  'plain key': 2\n}");
    let ExprKind::Object(o) = &e.kind else {
        panic!()
    };
    assert!(matches!(&o.items[0], ObjectItem::Property(p) if p.key.as_str().is_none()));
    assert!(o.get("plain key").is_some());
    let e = expr("'''\nmulti\nline'''");
    assert!(matches!(&e.kind, ExprKind::String(s) if s.multiline && lit(s) == "multi\nline"));
}

#[test]
fn arrays_objects_commas_newlines_and_spread() {
    let e = expr("[\n  1\n  2, 3\n  ...rest\n]");
    assert!(
        matches!(&e.kind, ExprKind::Array(items) if items.len() == 4 && matches!(items[3], ArrayItem::Spread(..)))
    );
    let e = expr("{ a: 1, b: 2, ...other }");
    assert!(matches!(&e.kind, ExprKind::Object(o) if o.items.len() == 3));
    let e = expr("[]");
    assert!(matches!(&e.kind, ExprKind::Array(items) if items.is_empty()));
}

#[test]
fn member_access_calls_and_accessors() {
    let e = expr("az.resourceGroup().id");
    let ExprKind::Property {
        base,
        name,
        safe: false,
    } = &e.kind
    else {
        panic!()
    };
    assert_eq!(name.name, "id");
    assert!(
        matches!(&base.kind, ExprKind::Call { receiver: Some(r), name, .. } if var_name(r) == "az" && name.name == "resourceGroup")
    );
    let e = expr("a.?b[?0][^1]!");
    let ExprKind::NonNull(inner) = &e.kind else {
        panic!()
    };
    let ExprKind::Index {
        base,
        from_end: true,
        safe: false,
        ..
    } = &inner.kind
    else {
        panic!()
    };
    let ExprKind::Index {
        base, safe: true, ..
    } = &base.kind
    else {
        panic!()
    };
    assert!(matches!(&base.kind, ExprKind::Property { safe: true, .. }));
    let e = expr("vnet::subnet.id");
    let ExprKind::Property { base, .. } = &e.kind else {
        panic!()
    };
    assert!(matches!(&base.kind, ExprKind::ResourceAccess { name, .. } if name.name == "subnet"));
    let e = expr("sys.concat(\n  'a',\n  'b'\n)");
    assert!(matches!(&e.kind, ExprKind::Call { args, .. } if args.len() == 2));
}

#[test]
fn operator_precedence() {
    // a || b && c == d + e * f ?? g
    let e = expr("a ?? b || c && d == e + f * g");
    let ExprKind::Binary {
        op: BinaryOp::Coalesce,
        rhs,
        ..
    } = &e.kind
    else {
        panic!("{e:?}")
    };
    let ExprKind::Binary {
        op: BinaryOp::Or,
        rhs,
        ..
    } = &rhs.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::And,
        rhs,
        ..
    } = &rhs.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Eq,
        rhs,
        ..
    } = &rhs.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Add,
        rhs,
        ..
    } = &rhs.kind
    else {
        panic!()
    };
    assert!(matches!(
        &rhs.kind,
        ExprKind::Binary {
            op: BinaryOp::Mul,
            ..
        }
    ));
    let e = expr("a - b - c");
    let ExprKind::Binary {
        op: BinaryOp::Sub,
        lhs,
        ..
    } = &e.kind
    else {
        panic!()
    };
    assert!(matches!(
        &lhs.kind,
        ExprKind::Binary {
            op: BinaryOp::Sub,
            ..
        }
    ));
    let e = expr("!a && -b < 3 =~ c");
    assert!(
        matches!(&e.kind, ExprKind::Binary { op: BinaryOp::And, lhs, .. } if matches!(lhs.kind, ExprKind::Unary { op: UnaryOp::Not, .. }))
    );
}

#[test]
fn ternaries_including_multiline() {
    let e = expr("c ? 1 : d ? 2 : 3");
    let ExprKind::Ternary { otherwise, .. } = &e.kind else {
        panic!()
    };
    assert!(matches!(otherwise.kind, ExprKind::Ternary { .. }));
    let e = expr("cond\n  ? 'a'\n  : 'b'");
    assert!(matches!(e.kind, ExprKind::Ternary { .. }));
}

#[test]
fn lambdas_and_for_expressions() {
    let e = expr("map(xs, x => x.name)");
    let ExprKind::Call { args, .. } = &e.kind else {
        panic!()
    };
    assert!(matches!(&args[1].kind, ExprKind::Lambda { params, .. } if params.len() == 1));
    let e = expr("reduce(xs, 0, (acc, x) => acc + x)");
    let ExprKind::Call { args, .. } = &e.kind else {
        panic!()
    };
    assert!(matches!(&args[2].kind, ExprKind::Lambda { params, .. } if params.len() == 2));
    let e = expr("{\n  subnets: [for s in subs: {\n    name: s\n  }]\n}");
    let ExprKind::Object(o) = &e.kind else {
        panic!()
    };
    assert!(matches!(
        o.get("subnets").map(|v| &v.kind),
        Some(ExprKind::For(_))
    ));
    let e = expr("[\n  for x in xs: x\n]");
    assert!(matches!(e.kind, ExprKind::For(_)));
    let e = expr("(1 + 2) * 3");
    assert!(
        matches!(&e.kind, ExprKind::Binary { lhs, .. } if matches!(lhs.kind, ExprKind::Paren(_)))
    );
}

#[test]
fn spans_are_byte_offsets() {
    let src = "var x = foo.bar('é', 1)";
    let e = expr("foo.bar('é', 1)");
    assert_eq!(e.span, Span::new(8, src.len()));
    let ExprKind::Call { name, args, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(&src[name.span.start..name.span.end], "bar");
    assert_eq!(&src[args[1].span.start..args[1].span.end], "1");
}

#[test]
fn recovery_keeps_following_statements() {
    let src = "param a string = \nvar b = )\nresource r 't@1' = {\n  name: 'r'\n  bad line here\n  ok: 1\n}\noutput o string = 'x'\n";
    let p = parse(src);
    assert!(p.diagnostics.len() >= 3, "{:?}", p.diagnostics);
    let kinds: Vec<_> = p
        .statements
        .iter()
        .map(|s| std::mem::discriminant(&s.kind))
        .collect();
    assert_eq!(kinds.len(), 4);
    let StatementKind::Resource(r) = &p.statements[2].kind else {
        panic!("{:?}", p.statements[2])
    };
    let DeclBody::Object(o) = &r.body else {
        panic!()
    };
    assert!(o.get("name").is_some() && o.get("ok").is_some());
    assert!(matches!(
        &p.statements[3].kind,
        StatementKind::Output { .. }
    ));
}

#[test]
fn unterminated_object_stops_at_next_declaration() {
    let p = parse("resource r 't@1' = {\n  name: 'r'\n\nparam p string\nvar v = 1\n");
    assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
    assert_eq!(p.statements.len(), 3);
    assert!(matches!(&p.statements[2].kind, StatementKind::Var { .. }));
}

#[test]
fn garbage_never_panics() {
    let samples = [
        "",
        "@",
        "@@@",
        "param",
        "resource",
        "resource x",
        "resource x 'a' = [for",
        "[for x in",
        "{{{{",
        "}}}}]]))",
        "var x = '${",
        "var x = '${'${'${",
        "type t = |",
        "func f(",
        "import {",
        "import * as",
        "var x = a.?",
        "var x = a[?",
        "output o = ",
        "var x = (a, b)",
        "var x = 99999999999999999999999",
        "x y z\n\n\n",
        "var x = [\n,\n,]",
        "'''",
        "param p resourceInput<",
        "var x = a ? b",
        "var é = 1",
        "module m 'x' = if",
        "var x = {\n a: 1 b: 2\n}",
    ];
    for src in samples {
        let p = parse(src);
        assert!(
            !p.diagnostics.is_empty() || src.trim().is_empty(),
            "{src:?}"
        );
        for d in &p.diagnostics {
            assert!(
                d.span.start <= d.span.end && d.span.end <= src.len(),
                "{src:?} {d:?}"
            );
        }
    }
}

#[test]
fn every_prefix_of_a_real_file_parses_without_panic() {
    let src = "@description('x')\nparam p string = 'a${b}c'\nresource r 't@1' = [for (x, i) in range(0, 3): if (x > 0) {\n  name: '${p}-${i}'\n  properties: {\n    list: [\n      1, 2\n    ]\n    f: map(xs, y => y.?z ?? 'n')\n  }\n  resource c 'child' = { name: 'c' }\n}]\ntype t = { a: string?, *: int }\noutput o string = r[0]::c.id\n";
    parse_ok(src);
    for end in (0..=src.len()).filter(|&i| src.is_char_boundary(i)) {
        let _ = parse(&src[..end]);
    }
}

#[test]
fn deep_nesting_is_bounded() {
    let depth = 5_000;
    let src = format!("var x = {}1{}", "[".repeat(depth), "]".repeat(depth));
    let p = parse(&src);
    assert!(p.diagnostics.iter().any(|d| d.message.contains("too deep")));
    let src = format!("var x = {}a", "!".repeat(depth));
    assert!(!parse(&src).diagnostics.is_empty());
    let src = format!("var x = a{}", " + a".repeat(depth));
    assert!(!parse(&src).diagnostics.is_empty());
    let src = format!("var x = '{}{}'", "${'".repeat(depth), "'}".repeat(depth));
    assert!(!parse(&src).diagnostics.is_empty());
}

#[test]
fn unterminated_object_stops_at_column_zero_decorator() {
    let p = parse("var o = {\n  a: 1\n@description('d')\nparam p string\n");
    assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
    assert!(matches!(&p.statements[1].kind, StatementKind::Param(_)));
    assert_eq!(p.statements[1].decorators.len(), 1);
}
