//! Concrete, span-carrying syntax tree for Bicep (`.bicep` and `.bicepparam`).
//!
//! Every node records the byte range it was parsed from. The tree keeps the
//! source shape (parentheses, decorators, interpolation parts) so that later
//! stages can both lower it to ARM resources and point diagnostics at source.

/// Half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// Creates a span from two byte offsets.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Smallest span covering both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A lexical or syntax error with its location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Human-readable description.
    pub message: String,
    /// Where the problem was found.
    pub span: Span,
}

/// A parsed file: all statements that could be recovered, plus every error.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Program {
    /// Top-level statements in source order.
    pub statements: Vec<Statement>,
    /// Lexer and parser diagnostics in source order of discovery.
    pub diagnostics: Vec<Diagnostic>,
}

/// A name with its location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    /// The identifier text.
    pub name: String,
    /// Where it appears.
    pub span: Span,
}

/// `@expr` before a declaration, object-type property or tuple item.
#[derive(Clone, Debug, PartialEq)]
pub struct Decorator {
    /// The decorator call, e.g. `description('x')` or `sys.secure()`.
    pub expr: Expr,
    /// Span including the `@`.
    pub span: Span,
}

/// A declaration with its leading decorators.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// Decorators written before the keyword.
    pub decorators: Vec<Decorator>,
    /// What kind of declaration this is.
    pub kind: StatementKind,
    /// Span from the first decorator (or keyword) to the end of the statement.
    pub span: Span,
}

/// The different top-level (and nested-resource) declarations.
#[derive(Clone, Debug, PartialEq)]
pub enum StatementKind {
    /// `targetScope = expr`
    TargetScope(Expr),
    /// `metadata name = expr`
    Metadata { name: Ident, value: Expr },
    /// `param name type = default` (also the `.bicepparam` form `param name = value`).
    Param(ParamDecl),
    /// `var name [type] = expr`
    Var {
        name: Ident,
        ty: Option<TypeExpr>,
        value: Expr,
    },
    /// `resource sym 'Type@api' [existing] = body`
    Resource(ResourceDecl),
    /// `module sym 'path' = body`
    Module(ModuleDecl),
    /// `output name type = expr`
    Output {
        name: Ident,
        ty: TypeExpr,
        value: Expr,
    },
    /// `type name = typeExpr`
    Type { name: Ident, ty: TypeExpr },
    /// `func name(args) returnType => body`
    Func(FuncDecl),
    /// `import {a, b as c} from 'path'` / `import * as ns from 'path'`
    Import(ImportDecl),
    /// `extension spec [with {...}] [as alias]`, also `provider` and legacy `import 'az@1.0.0'`.
    Extension(ExtensionDecl),
    /// `using 'main.bicep' [with {...}]` or `using none` (path is `None`).
    Using {
        path: Option<StringExpr>,
        config: Option<ObjectExpr>,
    },
    /// `extends 'base.bicepparam'`
    Extends { path: StringExpr },
    /// `extensionConfig name with {...}` (bicepparam).
    ExtensionConfig {
        name: Ident,
        config: Option<ObjectExpr>,
    },
    /// `test name 'path' = {...}`
    Test {
        name: Ident,
        path: StringExpr,
        body: ObjectExpr,
    },
    /// `assert name = expr`
    Assert { name: Ident, value: Expr },
    /// A statement that could not be parsed; see the program diagnostics.
    Error,
}

/// `param` declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDecl {
    /// Parameter name.
    pub name: Ident,
    /// Declared type; `None` in `.bicepparam` assignments.
    pub ty: Option<TypeExpr>,
    /// Default value (or assigned value in `.bicepparam`).
    pub default: Option<Expr>,
}

/// `resource` declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceDecl {
    /// Symbolic name.
    pub name: Ident,
    /// Type string, e.g. `'Microsoft.Storage/storageAccounts@2023-01-01'`
    /// (for nested children just `'blobServices'`).
    pub type_string: StringExpr,
    /// Whether the `existing` keyword was present.
    pub existing: bool,
    /// The body: object, conditional or loop.
    pub body: DeclBody,
}

/// `module` declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleDecl {
    /// Symbolic name.
    pub name: Ident,
    /// Module path: `'./x.bicep'`, `'br:…'`, `'br/public:…'`, `'ts:…'`.
    pub path: StringExpr,
    /// The body: object, conditional or loop.
    pub body: DeclBody,
}

/// Right-hand side of a `resource`/`module` declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum DeclBody {
    /// `= { ... }`
    Object(ObjectExpr),
    /// `= if (cond) { ... }`
    If(IfBody),
    /// `= [for x in xs: ...]`
    For(Box<ForExpr>),
    /// Missing or malformed body.
    Error(Span),
}

/// `if (condition) body`
#[derive(Clone, Debug, PartialEq)]
pub struct IfBody {
    /// The parenthesised condition (parentheses not kept).
    pub condition: Box<Expr>,
    /// The object guarded by the condition.
    pub body: ObjectExpr,
    /// Span from `if` to the closing brace.
    pub span: Span,
}

/// `func` declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct FuncDecl {
    /// Function name.
    pub name: Ident,
    /// Typed parameters.
    pub params: Vec<FuncParam>,
    /// Declared return type.
    pub return_type: TypeExpr,
    /// Body expression after `=>`.
    pub body: Expr,
}

/// One `name type` parameter of a user-defined function.
#[derive(Clone, Debug, PartialEq)]
pub struct FuncParam {
    /// Parameter name.
    pub name: Ident,
    /// Parameter type.
    pub ty: TypeExpr,
}

/// Compile-time `import ... from 'path'`.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportDecl {
    /// What is imported.
    pub target: ImportTarget,
    /// The `from` path; `None` when missing (a diagnostic was reported).
    pub from: Option<StringExpr>,
}

/// Imported symbols of an [`ImportDecl`].
#[derive(Clone, Debug, PartialEq)]
pub enum ImportTarget {
    /// `{a, b as c}`
    Symbols(Vec<ImportedSymbol>),
    /// `* as alias`
    Wildcard { alias: Ident },
}

/// One entry of an import list.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedSymbol {
    /// Exported name (identifier or string key).
    pub name: ObjectKey,
    /// Local alias from `as`.
    pub alias: Option<Ident>,
}

/// `extension`/`provider`/legacy `import` of an extensibility provider.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtensionDecl {
    /// The keyword used (`extension`, `provider` or `import`).
    pub keyword: Ident,
    /// Specification: a string (`'br:…'`, `'az@1.0.0'`) or an identifier (`microsoftGraphV1`).
    pub spec: Expr,
    /// `with { ... }` configuration.
    pub config: Option<ObjectExpr>,
    /// `as alias`.
    pub alias: Option<Ident>,
}

/// An expression node.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// The node kind.
    pub kind: ExprKind,
    /// Source range.
    pub span: Span,
}

/// Expression kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `true` / `false`
    Bool(bool),
    /// `null`
    Null,
    /// Non-negative integer literal (negation is a [`UnaryOp::Neg`]).
    Int(u64),
    /// Plain, interpolated or multi-line string.
    String(StringExpr),
    /// Reference to a symbol (parameter, variable, resource, loop variable, namespace).
    Variable(Ident),
    /// `[a, b]` or newline-separated items.
    Array(Vec<ArrayItem>),
    /// `{ key: value }`
    Object(ObjectExpr),
    /// `base.name` or `base.?name` (`safe`).
    Property {
        base: Box<Expr>,
        name: Ident,
        safe: bool,
    },
    /// `base[index]`, `base[?index]` (`safe`), `base[^index]` (`from_end`).
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
        from_end: bool,
    },
    /// `name(args)`, or `receiver.name(args)` for namespaces (`az.resourceGroup()`)
    /// and instance functions (`stg.listKeys()`).
    Call {
        receiver: Option<Box<Expr>>,
        name: Ident,
        args: Vec<Expr>,
    },
    /// `base::child` resource accessor.
    ResourceAccess { base: Box<Expr>, name: Ident },
    /// `expr!` non-null assertion.
    NonNull(Box<Expr>),
    /// `!x`, `-x`, `+x`
    Unary { op: UnaryOp, operand: Box<Expr> },
    /// `lhs op rhs`
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `cond ? then : otherwise`
    Ternary {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// `x => body` or `(x, y) => body`
    Lambda { params: Vec<Ident>, body: Box<Expr> },
    /// `[for ... in ...: body]`
    For(Box<ForExpr>),
    /// `(expr)`
    Paren(Box<Expr>),
    /// Placeholder for an expression that failed to parse.
    Error,
}

/// A string literal split into literal text and interpolation holes.
#[derive(Clone, Debug, PartialEq)]
pub struct StringExpr {
    /// Alternating parts in source order; escapes already decoded.
    pub parts: Vec<StringPart>,
    /// True for `'''…'''` (and `$'''…'''`) strings.
    pub multiline: bool,
    /// Span including the quotes.
    pub span: Span,
}

impl StringExpr {
    /// The decoded text if the string has no interpolation.
    pub fn as_literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [StringPart::Literal(text)] => Some(text),
            _ => None,
        }
    }
}

/// A piece of a [`StringExpr`].
#[derive(Clone, Debug, PartialEq)]
pub enum StringPart {
    /// Literal text (decoded).
    Literal(String),
    /// `${expr}`
    Interpolation(Expr),
}

/// Element of an array literal.
#[derive(Clone, Debug, PartialEq)]
pub enum ArrayItem {
    /// A plain item.
    Value(Expr),
    /// `...expr`, with the span including the dots.
    Spread(Expr, Span),
}

/// An object literal.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectExpr {
    /// Items in source order.
    pub items: Vec<ObjectItem>,
    /// Span from `{` to `}`.
    pub span: Span,
}

impl ObjectExpr {
    /// The value of the first property whose key is the literal `name`.
    pub fn get(&self, name: &str) -> Option<&Expr> {
        self.items.iter().find_map(|item| match item {
            ObjectItem::Property(p) if p.key.as_str() == Some(name) => Some(&p.value),
            _ => None,
        })
    }
}

/// Element of an object literal.
#[derive(Clone, Debug, PartialEq)]
pub enum ObjectItem {
    /// `key: value`
    Property(ObjectProperty),
    /// `...expr`, with the span including the dots.
    Spread(Expr, Span),
    /// A nested child `resource` declaration inside a resource body.
    Resource(Box<Statement>),
}

/// `key: value` in an object literal.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectProperty {
    /// The key.
    pub key: ObjectKey,
    /// The value.
    pub value: Expr,
    /// Span from key to end of value.
    pub span: Span,
}

/// Property key: bare identifier (keywords allowed) or string (possibly interpolated).
#[derive(Clone, Debug, PartialEq)]
pub enum ObjectKey {
    /// `name:`
    Ident(Ident),
    /// `'name':` or `'${x}':`
    String(StringExpr),
}

impl ObjectKey {
    /// The key text when it is statically known.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ObjectKey::Ident(id) => Some(&id.name),
            ObjectKey::String(s) => s.as_literal(),
        }
    }

    /// Source range of the key.
    pub fn span(&self) -> Span {
        match self {
            ObjectKey::Ident(id) => id.span,
            ObjectKey::String(s) => s.span,
        }
    }
}

/// `[for item in iterable: body]` / `[for (item, index) in iterable: body]`
#[derive(Clone, Debug, PartialEq)]
pub struct ForExpr {
    /// Item variable.
    pub item: Ident,
    /// Optional index variable.
    pub index: Option<Ident>,
    /// The collection (or `range(...)`).
    pub iterable: Box<Expr>,
    /// Loop body.
    pub body: ForBody,
    /// Span from `[` to `]`.
    pub span: Span,
}

/// Body of a [`ForExpr`].
#[derive(Clone, Debug, PartialEq)]
pub enum ForBody {
    /// Any expression (objects for resources/modules).
    Expr(Box<Expr>),
    /// `if (cond) { ... }` filter.
    If(IfBody),
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!`
    Not,
    /// `-`
    Neg,
    /// `+`
    Plus,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `??`
    Coalesce,
    /// `||`
    Or,
    /// `&&`
    And,
    /// `==`
    Eq,
    /// `!=`
    NotEq,
    /// `=~` (case-insensitive equality)
    EqI,
    /// `!~`
    NotEqI,
    /// `<`
    Lt,
    /// `<=`
    LtEq,
    /// `>`
    Gt,
    /// `>=`
    GtEq,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
}

/// A type expression.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    /// The node kind.
    pub kind: TypeKind,
    /// Source range.
    pub span: Span,
}

/// Type expression kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// `string`, `int`, `myType`, ...
    Named(Ident),
    /// `base.name` (`sys.string`, `ns.myType`, `myType.prop`).
    Property { base: Box<TypeExpr>, name: Ident },
    /// `base[0]` element access.
    Index {
        base: Box<TypeExpr>,
        index: Box<Expr>,
    },
    /// `base[*]` items access.
    Items(Box<TypeExpr>),
    /// `base.*` additional-properties access.
    AdditionalProperties(Box<TypeExpr>),
    /// `name<args>` (e.g. `resourceInput<'Microsoft.X/y@2024-01-01'>`), with optional receiver.
    Parameterized {
        receiver: Option<Box<TypeExpr>>,
        name: Ident,
        args: Vec<TypeExpr>,
    },
    /// Legacy `resource 'Type@api'` parameter/output type.
    Resource(StringExpr),
    /// Literal type: string, integer, bool, null, or negated integer.
    Literal(Box<Expr>),
    /// `{ prop: type, *: type }`
    Object(Vec<ObjectTypeItem>),
    /// `[type, type]`
    Tuple(Vec<TupleItem>),
    /// `type[]`
    Array(Box<TypeExpr>),
    /// `type?`
    Nullable(Box<TypeExpr>),
    /// `type!` (strips nullability)
    NonNull(Box<TypeExpr>),
    /// `a | b | c`
    Union(Vec<TypeExpr>),
    /// `(type)`
    Paren(Box<TypeExpr>),
    /// Placeholder for a type that failed to parse.
    Error,
}

/// Member of an object type.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectTypeItem {
    /// Decorators such as `@description('…')`.
    pub decorators: Vec<Decorator>,
    /// Property key; `None` for the `*:` additional-properties matcher.
    pub key: Option<ObjectKey>,
    /// Property type.
    pub ty: TypeExpr,
    /// Span of the member including decorators.
    pub span: Span,
}

/// Member of a tuple type.
#[derive(Clone, Debug, PartialEq)]
pub struct TupleItem {
    /// Decorators on the item.
    pub decorators: Vec<Decorator>,
    /// Item type.
    pub ty: TypeExpr,
}
