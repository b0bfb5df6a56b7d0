//! Terraform: parse a module's `.tf` files with spans, evaluate what Terraform would
//! (variables, tfvars, locals, references, count/for_each, functions), and map `azurerm_*`
//! resources to the canonical model.

mod config;
pub mod eval;
mod functions;
mod instance;
mod mapping;
mod module;
mod parse;
mod tfvars;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::eval::value::Value;
use crate::model::{id, FileId, Resource, Sources};
pub use tfvars::{automatic_files, parse_cli_value};

/// Variable values given on the command line, applied to every root module.
#[derive(Clone, Debug, Default)]
pub struct VarInputs {
    /// `--var-file` files, already read into the scan's sources, in order.
    pub files: Vec<FileId>,
    /// `--var name=value`, in order.
    pub values: Vec<(String, String)>,
}

/// One Terraform root module to read: its folder, `.tf` files and automatic tfvars.
#[derive(Clone, Debug)]
pub struct RootModule {
    /// The folder.
    pub dir: PathBuf,
    /// Its `.tf` files.
    pub files: Vec<FileId>,
    /// `terraform.tfvars` and `*.auto.tfvars`, in load order.
    pub tfvars: Vec<FileId>,
}

/// Reads one root module into canonical resources.
pub fn ingest(
    root: &RootModule,
    inputs: &VarInputs,
    sources: &Sources,
) -> (Vec<Resource>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let parsed: Vec<_> = root
        .files
        .par_iter()
        .map(|&file| (file, parse::parse_file(sources, file)))
        .collect();
    let mut config = config::ModuleConfig {
        dir: root.dir.clone(),
        ..Default::default()
    };
    for (file, result) in parsed {
        match result {
            Ok(body) => config.add_file(body, file, sources.path(file), &mut diagnostics),
            Err(d) => diagnostics.push(d),
        }
    }
    let vars = variable_values(&config, root, inputs, sources, &mut diagnostics);
    let module = module::ModuleEval::new(&config, vars);
    let mut resources = Vec::new();
    let mut patches = Vec::new();
    for evaluated in module.evaluate_all() {
        for (_, mapped) in &evaluated.instances {
            if let Some(mapped) = mapped {
                resources.extend(mapped.resources.iter().cloned());
                patches.extend(mapped.patches.iter().cloned());
            }
        }
    }
    apply_patches(&mut resources, patches);
    (resources, diagnostics)
}

/// Variable values by Terraform's precedence: defaults, then tfvars files in load order,
/// then `--var-file`, then `--var`. A variable with no value at all is unknown.
fn variable_values(
    config: &config::ModuleConfig,
    root: &RootModule,
    inputs: &VarInputs,
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Value> {
    let mut assigned = BTreeMap::new();
    for &file in root.tfvars.iter().chain(&inputs.files) {
        tfvars::load_file(sources, file, &mut assigned, diagnostics);
    }
    for (name, raw) in &inputs.values {
        assigned.insert(name.clone(), parse_cli_value(raw));
    }
    config
        .variables
        .iter()
        .map(|(name, variable)| {
            let value = match assigned.remove(name) {
                Some(value) => value,
                None => variable
                    .default
                    .as_ref()
                    .map_or(Value::Unknown, |d| eval::evaluate(d, &NoReferences)),
            };
            (name.clone(), value)
        })
        .collect()
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
        if let Some(slot) = resource.body.pointer_mut(&patch.pointer) {
            *slot = patch.value;
        } else if let Some((parent, key)) = patch.pointer.rsplit_once('/') {
            if let Some(obj) = resource
                .body
                .pointer_mut(parent)
                .and_then(serde_json::Value::as_object_mut)
            {
                obj.insert(key.to_owned(), patch.value);
            }
        }
        resource.spans.retain(|p, _| !p.starts_with(&patch.pointer));
        resource.spans.extend(patch.spans);
    }
}

/// Whether a path is a Terraform variables file moat reads automatically.
pub fn is_tfvars(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".tfvars") || n.ends_with(".tfvars.json"))
}
