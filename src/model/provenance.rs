//! Provenance: where a value that reached a resource attribute was set, when it came from
//! elsewhere (a tfvars file, `--var`, a module argument, a variable's default, a
//! `.bicepparam` file, an ARM parameter file or a parameter's `defaultValue`).

use serde::Serialize;

use super::source::Span;

/// How a value was set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProvenanceKind {
    /// A Terraform tfvars file (automatic or `--var-file`).
    Tfvars,
    /// Terraform `--var name=value` on the command line.
    Var,
    /// An argument of a Terraform or Bicep `module` call, or a parameter an ARM nested
    /// deployment passes.
    ModuleArgument,
    /// A Terraform variable's or Bicep parameter's `default`.
    Default,
    /// A `.bicepparam` file.
    Bicepparam,
    /// An ARM parameter file (companion or `--parameters`).
    ParameterFile,
    /// An ARM parameter's `defaultValue`.
    ParameterDefault,
}

impl ProvenanceKind {
    /// The kind as JSON names it (`module-argument`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProvenanceKind::Tfvars => "tfvars",
            ProvenanceKind::Var => "var",
            ProvenanceKind::ModuleArgument => "module-argument",
            ProvenanceKind::Default => "default",
            ProvenanceKind::Bicepparam => "bicepparam",
            ProvenanceKind::ParameterFile => "parameter-file",
            ProvenanceKind::ParameterDefault => "parameter-default",
        }
    }
}

/// One place a value came through: the variable or parameter `name` was set at `span`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Provenance {
    /// How it was set.
    pub kind: ProvenanceKind,
    /// The variable or parameter, as its source names it, qualified by the module instance
    /// (`var.kv_public`, `module.kv.var.public`, `sku`, `module.net.sku`).
    pub name: String,
    /// Where it was set; `None` on the command line (`--var`).
    pub span: Option<Span>,
}

impl Provenance {
    /// A value set at `span`.
    pub fn at(kind: ProvenanceKind, name: impl Into<String>, span: Span) -> Provenance {
        Provenance {
            kind,
            name: name.into(),
            span: Some(span),
        }
    }

    /// What happened, in words: `var.kv_public set by a tfvars file`.
    pub fn message(&self) -> String {
        let how = match self.kind {
            ProvenanceKind::Tfvars => "set by a tfvars file",
            ProvenanceKind::Var => "set by --var on the command line",
            ProvenanceKind::ModuleArgument => "set by a module argument",
            ProvenanceKind::Default => "left at its default",
            ProvenanceKind::Bicepparam => "set by a .bicepparam file",
            ProvenanceKind::ParameterFile => "set by a parameter file",
            ProvenanceKind::ParameterDefault => "left at its defaultValue",
        };
        format!("{} {how}", self.name)
    }
}

/// Appends the origins in `more` not already in `chain`, keeping order (nearest first).
pub fn extend_unique(chain: &mut Vec<Provenance>, more: &[Provenance]) {
    for p in more {
        if !chain.contains(p) {
            chain.push(p.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileId;

    #[test]
    fn chains_keep_order_without_repeats() {
        let a = Provenance::at(
            ProvenanceKind::ModuleArgument,
            "module.kv.var.x",
            Span::new(FileId(0), 1..2),
        );
        let b = Provenance::at(ProvenanceKind::Tfvars, "var.y", Span::new(FileId(1), 0..3));
        let mut chain = vec![a.clone()];
        extend_unique(&mut chain, &[b.clone(), a.clone(), b.clone()]);
        assert_eq!(chain, vec![a, b]);
        assert_eq!(chain[1].message(), "var.y set by a tfvars file");
        assert_eq!(chain[0].kind.as_str(), "module-argument");
    }
}
