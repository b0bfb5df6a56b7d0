//! A Terraform module's configuration: its variables, locals and resources, gathered
//! from every `.tf` file of a folder.

use std::collections::BTreeMap;
use std::path::PathBuf;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use hcl_edit::Span as _;

use crate::diagnostic::Diagnostic;
use crate::model::{FileId, Span};

/// A `variable` block.
#[derive(Debug)]
pub struct Variable {
    /// `default`, if any.
    pub default: Option<Expression>,
    /// The `default = …` attribute: where a value left at its default was set.
    pub default_span: Option<Span>,
    /// `type`, if any: fills `optional(…, default)` attributes of object values.
    pub ty: Option<Expression>,
    /// `nullable = false`: a null argument takes the default.
    pub non_nullable: bool,
}

/// A `module` block: a call of another module.
#[derive(Debug)]
pub struct ModuleCall {
    /// The call's name (`module "name"`).
    pub name: String,
    /// `source`, when it is a literal string.
    pub source: Option<String>,
    /// The block itself (arguments, `count`, `for_each`).
    pub block: Block,
    /// The file it is in.
    pub file: FileId,
    /// `module "name"`: where diagnostics about the call point.
    pub head: Span,
}

/// Whether a block declares a managed resource or reads a data source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// `resource "type" "name"`.
    Managed,
    /// `data "type" "name"`.
    Data,
}

/// A `resource` or `data` block.
#[derive(Debug)]
pub struct ResourceBlock {
    /// Managed or data.
    pub mode: Mode,
    /// The resource type, e.g. `azurerm_storage_account`.
    pub kind: String,
    /// The local name.
    pub name: String,
    /// The block itself.
    pub block: Block,
    /// The file it is in.
    pub file: FileId,
    /// `resource "type" "name"`: where findings about omissions point.
    pub head: Span,
}

impl ResourceBlock {
    /// Terraform's address: `azurerm_storage_account.sa`, `data.azurerm_subnet.pe`.
    pub fn address(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.kind, self.name),
            Mode::Data => format!("data.{}.{}", self.kind, self.name),
        }
    }
}

/// Everything of one module that moat evaluates.
#[derive(Debug, Default)]
pub struct ModuleConfig {
    /// The folder.
    pub dir: PathBuf,
    /// Variables by name.
    pub variables: BTreeMap<String, Variable>,
    /// Locals by name, with the file they are in.
    pub locals: BTreeMap<String, (Expression, FileId)>,
    /// Resources and data sources, in file order.
    pub resources: Vec<ResourceBlock>,
    /// Module calls, in file order.
    pub modules: Vec<ModuleCall>,
    /// Outputs by name.
    pub outputs: BTreeMap<String, Expression>,
}

fn label_text(label: &BlockLabel) -> &str {
    match label {
        BlockLabel::String(s) => s.value(),
        BlockLabel::Ident(i) => i.value().as_str(),
    }
}

/// The span of a block's head: its keyword and labels.
pub fn block_head(block: &Block, file: FileId) -> Span {
    let whole = block.span().unwrap_or(0..0);
    let end = block
        .labels
        .last()
        .and_then(|l| match l {
            BlockLabel::String(s) => s.span(),
            BlockLabel::Ident(i) => i.span(),
        })
        .or_else(|| block.ident.span())
        .map_or(whole.end, |r| r.end);
    Span::new(file, whole.start..end.max(whole.start))
}

impl ModuleConfig {
    /// Adds the top-level blocks of one parsed file; malformed blocks become diagnostics.
    pub fn add_file(
        &mut self,
        body: Body,
        file: FileId,
        path: &std::path::Path,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        for structure in body {
            let Structure::Block(block) = structure else {
                continue;
            };
            let head = block_head(&block, file);
            let labels: Vec<String> = block
                .labels
                .iter()
                .map(|l| label_text(l).to_owned())
                .collect();
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    let attr = |key: &str| block.body.get_attribute(key).map(|a| a.value.clone());
                    let variable = Variable {
                        default: attr("default"),
                        default_span: block
                            .body
                            .get_attribute("default")
                            .and_then(|a| a.span())
                            .map(|r| Span::new(file, r)),
                        ty: attr("type"),
                        non_nullable: matches!(attr("nullable"), Some(Expression::Bool(b)) if !*b.value()),
                    };
                    self.variables.insert(name.clone(), variable);
                }
                ("output", [name]) => {
                    if let Some(value) = block.body.get_attribute("value") {
                        self.outputs.insert(name.clone(), value.value.clone());
                    }
                }
                ("module", [name]) => {
                    let source = match block.body.get_attribute("source").map(|a| &a.value) {
                        Some(Expression::String(s)) => Some(s.value().clone()),
                        _ => None,
                    };
                    self.modules.push(ModuleCall {
                        name: name.clone(),
                        source,
                        block,
                        file,
                        head,
                    });
                }
                ("locals", []) => {
                    for attr in block.body.attributes() {
                        self.locals
                            .insert(attr.key.as_str().to_owned(), (attr.value.clone(), file));
                    }
                }
                (kind @ ("resource" | "data"), [ty, name]) => {
                    let mode = if kind == "resource" {
                        Mode::Managed
                    } else {
                        Mode::Data
                    };
                    self.resources.push(ResourceBlock {
                        mode,
                        kind: ty.clone(),
                        name: name.clone(),
                        block,
                        file,
                        head,
                    });
                }
                ("resource" | "data" | "variable" | "output" | "module", _) => {
                    diagnostics.push(Diagnostic::error(
                        path,
                        Some(head),
                        format!(
                            "'{}' block has {} labels",
                            block.ident.as_str(),
                            labels.len()
                        ),
                    ))
                }
                _ => {}
            }
        }
    }
}
