//! Terraform: parse a module's `.tf` files with spans, evaluate what Terraform would
//! (variables, tfvars, locals, references, count/for_each, functions), and map `azurerm_*`
//! resources to the canonical model.

mod azapi;
mod config;
pub mod eval;
mod functions;
mod instance;
mod json_syntax;
mod mapping;
mod module;
mod module_source;
mod parse;
mod plan;
mod references;
mod repetition;
mod tfvars;
mod types;
mod workspace;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::eval::budget::Budget;
use crate::eval::value::Value;
pub use crate::ingest::Ingested;
use crate::model::{id, FileId, Provenance, ProvenanceKind, Resource, Sources};
pub use plan::{ingest_plan, is_plan};
pub use tfvars::{automatic_files, parse_cli_value};
pub use workspace::Workspace;

/// Variable values given on the command line, applied to every root module.
#[derive(Clone, Debug, Default)]
pub struct VarInputs {
    /// `--var-file` files, already read into the scan's sources, in order.
    pub files: Vec<FileId>,
    /// `--var name=value`, in order.
    pub values: Vec<(String, String)>,
}

/// One Terraform root module to evaluate: a folder no other scanned folder calls.
#[derive(Clone, Debug)]
pub struct RootModule {
    /// The folder (lexically normalised).
    pub dir: PathBuf,
    /// `terraform.tfvars` and `*.auto.tfvars`, in load order.
    pub tfvars: Vec<FileId>,
    /// The folders its evaluation reads: its own and every module it calls, transitively.
    pub reaches: BTreeSet<PathBuf>,
}

/// Reads one root module, and every module it calls, into canonical resources.
pub fn ingest(
    workspace: &Workspace,
    root: &RootModule,
    inputs: &VarInputs,
    sources: &Sources,
) -> Ingested {
    let mut diagnostics = Vec::new();
    let Some(config) = workspace.config(&root.dir) else {
        return Ingested::default();
    };
    let (assigned, origins) = assigned_values(root, inputs, sources, &mut diagnostics);
    let budget = Budget::new();
    let (vars, origins) = module::input_values(config, assigned, origins, "", &root.dir, &budget);
    let context = module::Context::root(workspace, &root.dir, &budget);
    let mut module = module::ModuleEval::new(config, context, vars);
    module.var_origins = origins;
    let mut collected = module::Collected::default();
    module.collect(&mut collected);
    drop(module);
    diagnostics.extend(budget.diagnostic(root.dir.clone(), |f| sources.path(f).to_path_buf()));
    apply_patches(&mut collected.resources, collected.patches);
    for resource in &mut collected.resources {
        resource.origin.span = workspace.remap(resource.origin.span);
        for span in resource.spans.values_mut() {
            *span = workspace.remap(*span);
        }
        let origins = resource.provenance.values_mut().flatten();
        for span in origins.filter_map(|o| o.span.as_mut()) {
            *span = workspace.remap(*span);
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (dir, span, message) in collected.refused {
        let span = span.map(|s| workspace.remap(s));
        if seen.insert((span, message.clone())) {
            let path = span.map_or(dir, |s| sources.path(s.file).to_path_buf());
            diagnostics.push(Diagnostic::warning(path, span, message));
        }
    }
    Ingested {
        resources: collected.resources,
        diagnostics,
        unknown_reasons: collected
            .reasons
            .into_iter()
            .map(|(span, why)| (workspace.remap(span), why))
            .collect(),
        unmapped: collected.unmapped,
    }
}

/// Values assigned to root variables by Terraform's precedence: tfvars files in load
/// order, then `--var-file`, then `--var` (defaults apply to what is left); with where
/// each was set.
fn assigned_values(
    root: &RootModule,
    inputs: &VarInputs,
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, Value>, BTreeMap<String, Vec<Provenance>>) {
    let mut assigned = BTreeMap::new();
    let mut origins = BTreeMap::new();
    for &file in root.tfvars.iter().chain(&inputs.files) {
        tfvars::load_file(sources, file, &mut assigned, &mut origins, diagnostics);
    }
    for (name, raw) in &inputs.values {
        assigned.insert(name.clone(), parse_cli_value(raw));
        let origin = Provenance {
            kind: ProvenanceKind::Var,
            name: format!("var.{name}"),
            span: None,
        };
        origins.insert(name.clone(), origin);
    }
    let origins = origins.into_iter().map(|(k, o)| (k, vec![o])).collect();
    (assigned, origins)
}

/// Variable defaults cannot refer to anything.
struct NoReferences;

impl eval::Scope for NoReferences {
    fn resolve(&self, _root: &str, _attrs: &[&str]) -> Option<(Value, usize)> {
        None
    }
}

/// Applies split child resources' changes to their parents, when the parent is in scope.
fn apply_patches(resources: &mut [Resource], patches: Vec<mapping::Patch>) {
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, r) in resources.iter().enumerate() {
        by_id.insert(r.id.to_ascii_lowercase(), i);
        if let Some(key) = id::provider_key(&r.id) {
            by_key.insert(key, i);
        }
    }
    for patch in patches {
        let target = by_id
            .get(&patch.target.to_ascii_lowercase())
            .or_else(|| id::provider_key(&patch.target).and_then(|k| by_key.get(&k)));
        let Some(&target) = target else { continue };
        let resource = &mut resources[target];
        set_pointer(resource.body.make_mut(), &patch.pointer, patch.value);
        resource.spans.retain(|p, _| !p.starts_with(&patch.pointer));
        resource
            .provenance
            .retain(|p, _| !p.starts_with(&patch.pointer));
        resource.provenance.extend(patch.provenance);
        resource.spans.extend(patch.spans);
    }
}

/// Sets the value at a JSON pointer, creating the objects on the way; a pointer through
/// something that is not an object is left alone.
fn set_pointer(body: &mut serde_json::Value, pointer: &str, value: serde_json::Value) {
    let mut current = body;
    let mut parts = pointer
        .split('/')
        .skip(1)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .peekable();
    while let Some(part) = parts.next() {
        if current.is_null() {
            *current = serde_json::Value::Object(serde_json::Map::new());
        }
        let next = match current {
            serde_json::Value::Object(map) => map.entry(part).or_insert(serde_json::Value::Null),
            serde_json::Value::Array(items) => {
                match part.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(item) => item,
                    None => return,
                }
            }
            _ => return,
        };
        if parts.peek().is_none() {
            *next = value;
            return;
        }
        current = next;
    }
}

/// Whether a path is Terraform configuration: `*.tf`, or `*.tf.json` (JSON syntax).
pub fn is_config_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tf") || parse::is_json_syntax(path)
}

/// Whether a path is a Terraform variables file moat reads automatically.
pub fn is_tfvars(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".tfvars") || n.ends_with(".tfvars.json"))
}
