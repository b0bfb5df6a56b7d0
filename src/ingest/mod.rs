//! Ingestion: every source format becomes canonical resources.

pub mod arm;
pub mod bicep;
pub mod json;
pub mod json_inputs;
pub mod json_split;
pub mod snapshot;
pub mod sniff;
pub mod terraform;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::model::{Resource, Span};

pub use crate::fs::MAX_FILE_BYTES;

/// What a reader made of one deployment unit (or of all of them, gathered).
#[derive(Debug, Default)]
pub struct Ingested {
    /// Canonical resources.
    pub resources: Vec<Resource>,
    /// Problems with the inputs.
    pub diagnostics: Vec<Diagnostic>,
    /// Span of an attribute holding an unknown value → why it is unknown
    /// (`var.x has no value in module.pe`), for `--unknown`.
    pub unknown_reasons: HashMap<Span, String>,
    /// Terraform resource types without a mapping → how many resources were not checked.
    pub unmapped: BTreeMap<String, usize>,
}

/// Reads a text file the user named (a fixture, a tool's input) wherever it is. Reads
/// made while scanning go through [`crate::fs::Guard`] instead, which keeps them inside
/// the scan root.
pub fn read_text(path: &Path) -> Result<Arc<str>, String> {
    crate::fs::read_trusted(path).map_err(|e| e.to_string())
}
