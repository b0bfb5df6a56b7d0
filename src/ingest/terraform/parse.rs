//! Parsing `.tf` and `.tfvars` files with hcl-edit, errors as diagnostics.

use hcl_edit::structure::Body;

use crate::diagnostic::Diagnostic;
use crate::model::{FileId, Sources, Span};

/// Parses one HCL file; a syntax error becomes a diagnostic at its line and column.
pub fn parse_file(sources: &Sources, file: FileId) -> Result<Body, Diagnostic> {
    let source = sources.get(file);
    hcl_edit::parser::parse_body(&source.text).map_err(|e| {
        let offset = e.location().offset().min(source.text.len());
        Diagnostic::error(
            source.path.clone(),
            Some(Span::new(file, offset..offset)),
            format!("HCL syntax error: {}", e.message()),
        )
    })
}
