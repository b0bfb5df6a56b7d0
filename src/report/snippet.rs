//! Source snippets for the reports for people: a few lines around each finding, taken
//! from the files the scan read (reports merged from JSON have none).

use std::collections::HashMap;

use serde::Serialize;

use super::display_path;
use super::doc::Doc;
use crate::model::{SourceFile, Sources};

/// Lines shown before and after a finding's first line.
const CONTEXT: usize = 2;
/// Longer lines (minified JSON) are cut to this many characters.
const MAX_LINE: usize = 200;

/// One line of a snippet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SnippetLine {
    /// 1-based line number.
    pub number: usize,
    /// The text, cut to a readable length; not escaped (the renderer does).
    pub text: String,
    /// Whether the finding is on this line.
    pub hit: bool,
}

/// Snippets by finding fingerprint.
pub type Snippets = HashMap<String, Vec<SnippetLine>>;

/// The lines around `start..=end` (1-based) of `file`, read through its line index.
pub fn around(file: &SourceFile, start: usize, end: usize) -> Vec<SnippetLine> {
    let first = start.saturating_sub(CONTEXT).max(1);
    let last = end.max(start).min(start + CONTEXT * 2) + CONTEXT;
    // Enough bytes for MAX_LINE characters and one more, whatever their width.
    let max = (MAX_LINE + 1) * 4 + 1;
    (first..=last)
        .map_while(|number| Some((number, file.line(number, max)?)))
        .map(|(number, line)| {
            let text = match line.char_indices().nth(MAX_LINE) {
                Some((at, _)) => format!("{}…", &line[..at]),
                None => line.into_owned(),
            };
            SnippetLine {
                number,
                text,
                hit: number >= start && number <= end,
            }
        })
        .collect()
}

/// A snippet for every finding of `doc` whose file the scan read.
pub fn of_sources(sources: &Sources, doc: &Doc) -> Snippets {
    let files: HashMap<String, &SourceFile> = sources
        .iter()
        .map(|(_, f)| (display_path(&f.path), f))
        .collect();
    doc.findings
        .iter()
        .filter_map(|f| {
            let file = files.get(&f.location.file)?;
            let lines = around(file, f.location.start_line, f.location.end_line);
            Some((f.fingerprint.clone(), lines))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t".into(), text.into())
    }

    #[test]
    fn around_marks_the_hit_and_clamps_at_the_edges() {
        let text = &file("a\nb\nc\nd\ne\nf\ng\n");
        let lines = around(text, 1, 1);
        assert_eq!(lines.first().map(|l| l.number), Some(1));
        assert_eq!(lines.len(), 3);
        assert!(lines[0].hit && !lines[1].hit);
        let lines = around(text, 6, 6);
        assert_eq!(
            lines.iter().map(|l| l.number).collect::<Vec<_>>(),
            vec![4, 5, 6, 7]
        );
    }

    #[test]
    fn long_lines_are_cut() {
        let long = file(&"x".repeat(500));
        let lines = around(&long, 1, 1);
        assert_eq!(lines[0].text.chars().count(), MAX_LINE + 1);
    }
}
