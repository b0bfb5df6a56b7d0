//! Ingestion: every source format becomes canonical resources.

pub mod arm;
pub mod bicep;
pub mod json;
pub mod json_inputs;
pub mod snapshot;
pub mod sniff;
pub mod terraform;

use std::path::Path;
use std::sync::Arc;

pub use crate::fs::MAX_FILE_BYTES;

/// Reads a text file the user named (a fixture, a tool's input) wherever it is. Reads
/// made while scanning go through [`crate::fs::Guard`] instead, which keeps them inside
/// the scan root.
pub fn read_text(path: &Path) -> Result<Arc<str>, String> {
    crate::fs::read_trusted(path).map_err(|e| e.to_string())
}
