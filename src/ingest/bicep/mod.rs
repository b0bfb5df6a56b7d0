//! Bicep: a native lexer and parser, and the lowering of a deployment to the canonical
//! resources its compiled ARM template would deploy.
//!
//! [`workspace::load`] reads and parses the discovered `.bicep` / `.bicepparam` files and
//! the local modules they call, and picks the roots; [`ingest`] lowers every root.

pub mod ast;
mod cycles;
pub mod lexer;
mod lower;
pub mod parser;
pub mod workspace;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::model::Resource;
pub use workspace::{is_bicepparam, Workspace};

/// Lowers every root of the workspace (in parallel) to canonical resources.
pub fn ingest(ws: &Workspace) -> (Vec<Resource>, Vec<Diagnostic>) {
    let results: Vec<_> = ws
        .roots
        .par_iter()
        .map(|root| lower::lower(ws, root))
        .collect();
    let mut resources = Vec::new();
    let mut diagnostics = Vec::new();
    // A problem met once per loop iteration (a refused `load*()`) is said once.
    let mut seen = std::collections::HashSet::new();
    for (r, d) in results {
        resources.extend(r);
        diagnostics.extend(
            d.into_iter()
                .filter(|d| seen.insert((d.path.clone(), d.span, d.message.clone()))),
        );
    }
    (resources, diagnostics)
}

/// Lowers one file of the workspace, root or not (for tools that compare one file).
pub fn lower_file(ws: &Workspace, path: &std::path::Path) -> (Vec<Resource>, Vec<Diagnostic>) {
    lower::lower(ws, path)
}
