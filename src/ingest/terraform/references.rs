//! What an expression or block refers to in its own module (locals, resources, data
//! sources, module calls), found without evaluating anything, so that a module can
//! evaluate declarations in dependency order instead of recursing once per reference.

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::structure::Body;
use hcl_edit::visit::{self, Visit};

/// A reference to a declaration of the same module.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Reference {
    /// `local.name`.
    Local(String),
    /// `type.name` (managed) or `data.type.name`.
    Resource {
        /// Whether it is a data source.
        data: bool,
        /// The resource type.
        kind: String,
        /// The block name.
        name: String,
    },
    /// `module.name`.
    Module(String),
}

/// The references in an expression, in order (with repeats).
pub fn in_expr(expr: &Expression) -> Vec<Reference> {
    let mut collector = Collector(Vec::new());
    collector.visit_expr(expr);
    collector.0
}

/// The references in a block body (its attributes and nested blocks), in order.
pub fn in_body(body: &Body) -> Vec<Reference> {
    let mut collector = Collector(Vec::new());
    collector.visit_body(body);
    collector.0
}

/// An input an expression reads: `var.name` or `local.name`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Input {
    /// `var.name`.
    Var(String),
    /// `local.name`.
    Local(String),
    /// `each.key`, `each.value` or `count.index`.
    Iteration,
}

/// The variables and locals an expression reads, and whether it reads `each` or `count`,
/// in order (with repeats).
pub fn inputs(expr: &Expression) -> Vec<Input> {
    let mut collector = Inputs(Vec::new());
    collector.visit_expr(expr);
    collector.0
}

struct Inputs(Vec<Input>);

impl Visit for Inputs {
    fn visit_traversal(&mut self, node: &Traversal) {
        if let Expression::Variable(root) = &node.expr {
            let name = node.operators.first().and_then(|op| match op.value() {
                TraversalOperator::GetAttr(name) => Some(name.as_str().to_owned()),
                _ => None,
            });
            match (root.as_str(), name) {
                ("var", Some(name)) => self.0.push(Input::Var(name)),
                ("local", Some(name)) => self.0.push(Input::Local(name)),
                ("each" | "count", _) => self.0.push(Input::Iteration),
                _ => {}
            }
        }
        visit::visit_traversal(self, node);
    }
}

/// The attribute names that follow a traversal's root, up to the first index or splat
/// (`local.a.b[0].c` → `["a", "b"]`).
pub fn static_attrs(traversal: &Traversal) -> Vec<&str> {
    traversal
        .operators
        .iter()
        .map_while(|op| match op.value() {
            TraversalOperator::GetAttr(name) => Some(name.as_str()),
            _ => None,
        })
        .collect()
}

struct Collector(Vec<Reference>);

impl Visit for Collector {
    fn visit_traversal(&mut self, node: &Traversal) {
        if let Expression::Variable(root) = &node.expr {
            let attrs = static_attrs(node);
            let reference = match (root.as_str(), attrs.as_slice()) {
                ("local", [name, ..]) => Some(Reference::Local((*name).to_owned())),
                ("module", [name, ..]) => Some(Reference::Module((*name).to_owned())),
                ("data", [kind, name, ..]) => Some(Reference::Resource {
                    data: true,
                    kind: (*kind).to_owned(),
                    name: (*name).to_owned(),
                }),
                ("var" | "each" | "count" | "self" | "path" | "terraform", _) => None,
                (kind, [name, ..]) => Some(Reference::Resource {
                    data: false,
                    kind: kind.to_owned(),
                    name: (*name).to_owned(),
                }),
                _ => None,
            };
            self.0.extend(reference);
        }
        visit::visit_traversal(self, node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_variables_and_locals() {
        let expr: Expression = "\"${var.a}-${local.b.c}\" == azurerm_x.y.z ? var.d[0] : each.key"
            .parse()
            .expect("parses");
        assert_eq!(
            inputs(&expr),
            [
                Input::Var("a".into()),
                Input::Local("b".into()),
                Input::Var("d".into()),
                Input::Iteration
            ]
        );
    }

    #[test]
    fn finds_locals_resources_data_and_modules_but_not_variables() {
        let expr: Expression = "[local.a, azurerm_subnet.s.id, data.azurerm_x.y.z, module.m.out, var.v, each.key, \"${local.b}\"]"
            .parse()
            .expect("parses");
        let found = in_expr(&expr);
        assert_eq!(
            found,
            [
                Reference::Local("a".into()),
                Reference::Resource {
                    data: false,
                    kind: "azurerm_subnet".into(),
                    name: "s".into()
                },
                Reference::Resource {
                    data: true,
                    kind: "azurerm_x".into(),
                    name: "y".into()
                },
                Reference::Module("m".into()),
                Reference::Local("b".into()),
            ]
        );
    }
}
