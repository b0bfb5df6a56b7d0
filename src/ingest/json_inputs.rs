//! JSON inputs: each file is parsed (in parallel) and recognised as an ARM template, an ARM
//! parameter file or a live export; the units stage groups them into deployments and hands
//! each to its reader. JSON that is not an input moat reads is skipped without a word, and
//! JSON that does not parse is an error when it meant to be ARM, a warning otherwise.

use rayon::prelude::*;

use super::arm::{self, ArmDocument, DeploymentScope};
use super::json::{self, JsonDoc};
use super::snapshot;
use crate::diagnostic::Diagnostic;
use crate::eval::value::Value;
use crate::model::{FileId, Sources};

/// What a parsed JSON file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonKind {
    /// An ARM deployment template for the given scope.
    Template(DeploymentScope),
    /// An ARM parameter file.
    Parameters,
    /// A live export.
    Export,
    /// Something else (perhaps a Terraform plan: the units stage asks first).
    Other,
}

/// Parses the files in parallel; files that do not parse become diagnostics.
pub fn parse_all(files: &[FileId], sources: &Sources) -> (Vec<(FileId, JsonDoc)>, Vec<Diagnostic>) {
    let parsed: Vec<(FileId, Result<JsonDoc, Diagnostic>)> = files
        .par_iter()
        .map(|&f| (f, json::parse(sources, f)))
        .collect();
    let mut docs = Vec::new();
    let mut diagnostics = Vec::new();
    for (file, result) in parsed {
        match result {
            Ok(doc) => docs.push((file, doc)),
            // Broken JSON is only worth an error when it was meant to be ARM.
            Err(e) if arm::mentions_arm_schema(&sources.get(file).text) => diagnostics.push(e),
            Err(mut warning) => {
                warning.level = crate::diagnostic::Level::Warning;
                diagnostics.push(warning);
            }
        }
    }
    (docs, diagnostics)
}

/// Recognises a parsed document.
pub fn recognise(doc: &serde_json::Value) -> JsonKind {
    match arm::recognise(doc) {
        Some(ArmDocument::Template(scope)) => JsonKind::Template(scope),
        Some(ArmDocument::Parameters) => JsonKind::Parameters,
        None if snapshot::recognise(doc) => JsonKind::Export,
        None => JsonKind::Other,
    }
}

/// The values of the `--parameters` files, in order; a file that is not a parameter file
/// is an error.
pub fn cli_parameter_values(
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
