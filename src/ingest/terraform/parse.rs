//! Parsing `.tf`, `.tf.json` and `.tfvars` files with hcl-edit, errors as diagnostics.

use hcl_edit::structure::Body;

use super::json_syntax::{self, SpanMap};
use crate::diagnostic::Diagnostic;
use crate::model::{FileId, Sources, Span};

/// Parses one HCL file; a syntax error becomes a diagnostic at its line and column.
pub fn parse_file(sources: &Sources, file: FileId) -> Result<Body, Diagnostic> {
    let source = sources.get(file);
    parse_text(sources, file, source.text(), None)
}

/// Whether a path is Terraform configuration in JSON syntax.
pub fn is_json_syntax(path: &std::path::Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".tf.json"))
}

/// Parses one `.tf.json` file through its native translation; the map takes the body's
/// spans back into the JSON file.
pub fn parse_json_file(sources: &Sources, file: FileId) -> Result<(Body, SpanMap), Diagnostic> {
    let doc = crate::ingest::json::parse(sources, file)?;
    let source = sources.get(file);
    let (text, map) = json_syntax::translate(&doc, source.text()).map_err(|e| {
        Diagnostic::error(
            source.path.clone(),
            Some(Span::new(file, e.offset..e.offset)),
            format!("Terraform JSON syntax: {}", e.message),
        )
    })?;
    let body = parse_text(sources, file, &text, Some(&map))?;
    Ok((body, map))
}

fn parse_text(
    sources: &Sources,
    file: FileId,
    text: &str,
    map: Option<&SpanMap>,
) -> Result<Body, Diagnostic> {
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let offset = e.location().offset().min(text.len());
        let at = map.map_or(offset, |m| m.position(offset));
        Diagnostic::error(
            sources.path(file).to_path_buf(),
            Some(Span::new(file, at..at)),
            format!("HCL syntax error: {}", e.message()),
        )
    })
}
