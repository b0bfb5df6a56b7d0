//! JSON inputs: each file is parsed (in parallel) and recognised as an ARM template, an ARM
//! parameter file or a live export; the units stage groups them into deployments and hands
//! each to its reader. Nothing is lost silently: JSON that does not parse is an error
//! whenever its name or text marks it as an input moat reads, or it was named on the
//! command line ([`sniff`]); only JSON that is plainly not an input is a warning. A
//! template without `resources` is an error too: it would yield nothing.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::arm::{self, ArmDocument, DeploymentScope};
use super::json::{self, JsonDoc};
use super::{snapshot, sniff, terraform};
use crate::diagnostic::{Diagnostic, Level};
use crate::model::{FileId, Sources};

/// Bytes of a big file read to tell why a file that does not parse is an input.
const SNIFF_HEAD: usize = 1024 * 1024;

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

/// Parses the files in parallel (the rows of an export left for its reader:
/// [`json::parse_input`]); files that do not parse, and templates without `resources`,
/// become diagnostics. `named` are the paths given on the command line.
pub fn parse_all(
    files: &[FileId],
    named: &[PathBuf],
    sources: &Sources,
) -> (Vec<(FileId, JsonDoc)>, Vec<Diagnostic>) {
    let parsed: Vec<(FileId, Result<JsonDoc, Diagnostic>)> = files
        .par_iter()
        .map(|&f| (f, json::parse_input(sources, f)))
        .collect();
    let mut docs = Vec::new();
    let mut diagnostics = Vec::new();
    for (file, result) in parsed {
        let is_named = is_named(sources.path(file), named);
        let doc = match result {
            Ok(doc) => doc,
            Err(e) => {
                diagnostics.push(unparsed(&e, sources, file, is_named));
                continue;
            }
        };
        match recognise(&doc) {
            JsonKind::Template(_) if doc.value.get("resources").is_none() => {
                diagnostics.push(without_resources(&doc, file, sources));
                continue;
            }
            JsonKind::Other if is_named && !terraform::is_plan(&doc.value) => {
                diagnostics.push(Diagnostic::warning(
                    sources.path(file),
                    doc.span_of("")
                        .map(|s| crate::model::Span::new(file, s.start..s.start)),
                    "not an input moat reads (no ARM $schema, export or Terraform plan); skipped",
                ));
            }
            _ => {}
        }
        docs.push((file, doc));
    }
    (docs, diagnostics)
}

/// Recognises a parsed document.
pub fn recognise(doc: &JsonDoc) -> JsonKind {
    match arm::recognise(&doc.value) {
        Some(ArmDocument::Template(scope)) => JsonKind::Template(scope),
        Some(ArmDocument::Parameters) => JsonKind::Parameters,
        None if snapshot::recognise_doc(doc) => JsonKind::Export,
        None => JsonKind::Other,
    }
}

/// Whether `path` was named on the command line (`./` prefixes aside).
fn is_named(path: &Path, named: &[PathBuf]) -> bool {
    let plain = |p: &Path| {
        p.strip_prefix("./")
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    };
    named.iter().any(|n| plain(n) == plain(path))
}

/// A parse failure: an error when the file is an input moat reads (saying why it is
/// taken for one), a warning when it is plainly not one.
pub(crate) fn unparsed(e: &Diagnostic, sources: &Sources, file: FileId, named: bool) -> Diagnostic {
    let mut d = e.clone();
    let source = sources.get(file);
    // A big file is sniffed by its head: what marks an input comes early.
    let text = if source.is_big() {
        source.read(0..SNIFF_HEAD)
    } else {
        std::borrow::Cow::Borrowed(source.text())
    };
    match sniff::input_marker(sources.path(file), &text, named) {
        Some(marker) => {
            d.level = Level::Error;
            d.message = format!(
                "{}; the file is {} and was not read",
                d.message,
                marker.describe()
            );
        }
        None => {
            d.level = Level::Warning;
            d.message = format!("{}; not an input moat reads, skipped", d.message);
        }
    }
    d
}

/// An ARM template without `resources`: it would yield nothing, so it is an error at the
/// key that was probably meant (`resource`, `Resources `, …) or at `$schema`.
fn without_resources(doc: &JsonDoc, file: FileId, sources: &Sources) -> Diagnostic {
    let near = doc.value.as_object().and_then(|map| {
        map.keys().find(|k| {
            let k = k.trim().to_ascii_lowercase();
            k.starts_with("resourc") || k.starts_with("rsource") || k.ends_with("sources")
        })
    });
    let (pointer, message) = match near {
        Some(key) => (
            format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            format!("ARM template has no \"resources\" (found \"{key}\"): nothing in it was read"),
        ),
        None => (
            "/$schema".to_owned(),
            "ARM template has no \"resources\": nothing in it was read".to_owned(),
        ),
    };
    let span = doc
        .span_of(&pointer)
        .map(|s| crate::model::Span::new(file, s.start..s.start));
    Diagnostic::error(sources.path(file), span, message)
}

/// The values of the `--parameters` files, in order; a file that is not a parameter file
/// is an error.
pub fn cli_parameter_values(
    files: &[FileId],
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<arm::parameters::Given> {
    let mut values = Vec::new();
    for &file in files {
        match json::parse(sources, file) {
            Ok(doc) => match arm::parameters::values(&doc) {
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
