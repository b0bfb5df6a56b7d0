//! A JSON report ([`Doc`]) rendered in any format that needs no scan internals: what
//! `moat merge` prints and what `moat scan` uses for the formats for people.

use super::doc::Doc;
use super::snippet::Snippets;
use super::{csv, html, junit, markdown, sarif, summary};
use crate::cli::MergeFormat;
use crate::engine::Rule;

/// Renders `doc`; `rules` supply titles and remediation, `snippets` source lines.
pub fn render(doc: &Doc, format: MergeFormat, rules: &[Rule], snippets: &Snippets) -> String {
    match format {
        MergeFormat::Text => summary::render(doc),
        MergeFormat::Json => doc.to_json(),
        // Merged reports carry paths relative to the working directory: that is the root.
        MergeFormat::Sarif => {
            let info = sarif::RunInfo::new(std::path::Path::new("."), &[]);
            sarif::render_doc(doc, rules, &info)
        }
        MergeFormat::Html => html::render(doc, rules, snippets),
        MergeFormat::Markdown => markdown::render(doc, rules),
        MergeFormat::Csv => csv::render(doc, rules),
        MergeFormat::Junit => junit::render(doc, rules),
    }
}
