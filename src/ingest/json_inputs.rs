//! JSON inputs: each file is parsed (in parallel), recognised, and handed to the reader of
//! its kind. ARM templates are read with their parameter files; JSON that is not an input
//! moat reads is skipped without a word.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::arm::{self, ArmDocument, DeploymentScope};
use super::json::{self, JsonDoc};
use crate::diagnostic::Diagnostic;
use crate::eval::value::Value;
use crate::model::{FileId, Resource, Sources};

/// Reads the JSON `files` found under the scanned paths, with the `--parameters` files
/// applied to every ARM template.
pub fn ingest(
    files: &[FileId],
    cli_parameters: &[FileId],
    sources: &Sources,
) -> (Vec<Resource>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let parsed: Vec<(FileId, Result<JsonDoc, Diagnostic>)> = files
        .par_iter()
        .map(|&f| (f, json::parse(sources, f)))
        .collect();
    let mut templates: Vec<(FileId, DeploymentScope, &JsonDoc)> = Vec::new();
    let mut parameter_files: HashMap<&Path, &JsonDoc> = HashMap::new();
    for (file, result) in &parsed {
        let doc = match result {
            Ok(doc) => doc,
            // Broken JSON is only worth an error when it was meant to be ARM.
            Err(e) if arm::mentions_arm_schema(&sources.get(*file).text) => {
                diagnostics.push(e.clone());
                continue;
            }
            Err(_) => continue,
        };
        match arm::recognise(&doc.value) {
            Some(ArmDocument::Template(scope)) => templates.push((*file, scope, doc)),
            Some(ArmDocument::Parameters) => {
                parameter_files.insert(sources.path(*file), doc);
            }
            // Live snapshots plug in here: `None if snapshot::recognise(&doc.value)` →
            // `snapshot::ingest(doc, *file, sources)`. Any other JSON is not moat's input.
            None => {}
        }
    }
    let cli_values = cli_parameter_values(cli_parameters, sources, &mut diagnostics);
    let results: Vec<(Vec<Resource>, Vec<Diagnostic>)> = templates
        .par_iter()
        .map(|&(file, scope, doc)| {
            let mut values: Vec<(String, Value)> = arm::parameters::companions(sources.path(file))
                .iter()
                .filter_map(|p| parameter_files.get(p.as_path()))
                .filter_map(|d| arm::parameters::values(&d.value))
                .flatten()
                .collect();
            values.extend(cli_values.iter().cloned());
            arm::ingest(doc, file, scope, values, sources)
        })
        .collect();
    let mut resources = Vec::new();
    for (r, d) in results {
        resources.extend(r);
        diagnostics.extend(d);
    }
    (resources, diagnostics)
}

/// The values of the `--parameters` files, in order; a file that is not a parameter file
/// is an error.
fn cli_parameter_values(
    files: &[FileId],
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, Value)> {
    let mut values = Vec::new();
    for &file in files {
        match json::parse(sources, file) {
            Ok(doc) => match arm::parameters::values(&doc.value) {
                Some(v) => values.extend(v),
                None => diagnostics.push(Diagnostic::error(
                    sources.path(file),
                    None,
                    "not an ARM parameter file: no \"parameters\" object",
                )),
            },
            Err(e) => diagnostics.push(e),
        }
    }
    values
}
