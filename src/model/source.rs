//! Source files read for a scan, and byte spans into them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Bytes between two column checkpoints: a column lookup on a long line counts the
/// characters of at most this many bytes (plus a binary search).
const CHECKPOINT_BYTES: usize = 4096;

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span of `range` in `file`.
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Span {
        Span {
            file,
            start: range.start,
            end: range.end.max(range.start),
        }
    }
}

/// One file's path and text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (relative when they gave a relative path).
    pub path: PathBuf,
    /// The file's text.
    pub text: Arc<str>,
    line_starts: Vec<usize>,
    /// `(byte offset, characters before it)` every [`CHECKPOINT_BYTES`] or so, built the
    /// first time a column is asked for on a line longer than that (a minified export is
    /// one line: counting from its start for every finding would be quadratic).
    checkpoints: OnceLock<Vec<(usize, usize)>>,
}

/// A line and column, both 1-based; the column counts characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl SourceFile {
    /// Wraps a file's text, indexing its lines.
    pub fn new(path: PathBuf, text: Arc<str>) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text,
            line_starts,
            checkpoints: OnceLock::new(),
        }
    }

    /// The line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = if offset - start <= CHECKPOINT_BYTES {
            self.chars_between(start, offset)
        } else {
            self.chars_before(offset) - self.chars_before(start)
        } + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Characters in `start..end`, or its byte length when that is not on character
    /// boundaries.
    fn chars_between(&self, start: usize, end: usize) -> usize {
        self.text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count())
    }

    /// Characters before a byte offset, from the nearest checkpoint.
    fn chars_before(&self, offset: usize) -> usize {
        let checkpoints = self.checkpoints.get_or_init(|| checkpoints(&self.text));
        let at = checkpoints.partition_point(|&(byte, _)| byte <= offset) - 1;
        let (byte, chars) = checkpoints[at];
        chars + self.chars_between(byte, offset)
    }

    /// The byte offset of a 1-based line and column (clamped to the text).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line_text = &self.text[start..];
        line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }
}

/// `(byte offset, characters before it)` at the start of the text and then at the first
/// character boundary every [`CHECKPOINT_BYTES`].
fn checkpoints(text: &str) -> Vec<(usize, usize)> {
    let mut points = vec![(0, 0)];
    let (mut byte, mut chars) = (0, 0);
    while byte + CHECKPOINT_BYTES < text.len() {
        let mut next = byte + CHECKPOINT_BYTES;
        while !text.is_char_boundary(next) {
            next += 1;
        }
        chars += text[byte..next].chars().count();
        byte = next;
        points.push((byte, chars));
    }
    points
}

/// Every file read during a scan, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file and returns its id.
    pub fn add(&mut self, path: PathBuf, text: Arc<str>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile::new(path, text));
        id
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The path of the file with this id.
    pub fn path(&self, id: FileId) -> &Path {
        &self.get(id).path
    }

    /// All files, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// Masks the contents of the last quoted string (`"…"` or `'…'`) inside `span`: each
    /// character becomes a mask character of the same width in bytes, so offsets, lines and
    /// columns stay as they were. An ARM expression (`"[…]"`) is not a literal and stays.
    /// Returns whether anything was masked.
    pub fn mask_last_string(&mut self, span: Span) -> bool {
        let Some(file) = self.files.get_mut(span.file.0 as usize) else {
            return false;
        };
        let Some(inner) = file.text.get(span.start..span.end).and_then(last_string) else {
            return false;
        };
        let (start, end) = (span.start + inner.start, span.start + inner.end);
        if file.text[start..end].starts_with('[') || start == end {
            return false;
        }
        let masked: String = file.text[start..end]
            .chars()
            .map(|c| match c.len_utf8() {
                _ if c == '\n' => c,
                1 => '*',
                2 => '×',
                3 => '•',
                _ => '🔒',
            })
            .collect();
        let mut text = String::with_capacity(file.text.len());
        text.push_str(&file.text[..start]);
        text.push_str(&masked);
        text.push_str(&file.text[end..]);
        file.text = Arc::from(text);
        true
    }
}

/// The byte range of the contents of the last quoted string in `text`, quotes excluded;
/// a quote preceded by a backslash does not end or start a string.
fn last_string(text: &str) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let escaped = |i: usize| i > 0 && bytes[i - 1] == b'\\';
    let close = (0..bytes.len())
        .rev()
        .find(|&i| matches!(bytes[i], b'"' | b'\'') && !escaped(i))?;
    let quote = bytes[close];
    let open = (0..close)
        .rev()
        .find(|&i| bytes[i] == quote && !escaped(i))?;
    Some(open + 1..close)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_offsets_lines_and_columns() {
        let mut sources = Sources::default();
        let text = "a = 1\npassword = \"pä\\\"ss\" # x\nb = 2\n";
        let file = sources.add("main.tf".into(), text.into());
        let before = sources.get(file).line_col(text.len() - 2);
        assert!(sources.mask_last_string(Span::new(file, 6..text.len() - 6)));
        let masked = &sources.get(file).text;
        assert_eq!(&**masked, "a = 1\npassword = \"*×****\" # x\nb = 2\n");
        assert_eq!(masked.len(), text.len());
        assert_eq!(sources.get(file).line_col(text.len() - 2), before);
    }

    #[test]
    fn an_arm_expression_or_an_unquoted_reference_is_not_masked() {
        let mut sources = Sources::default();
        let text = "\"p\": \"[parameters('x')]\", q: ref";
        let file = sources.add("t.json".into(), text.into());
        assert!(!sources.mask_last_string(Span::new(file, 0..26)));
        assert!(!sources.mask_last_string(Span::new(file, 28..34)));
        assert_eq!(&*sources.get(file).text, text);
    }

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("a".into(), "ab\nçd\n".into());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(f.offset_of(2, 2), 5);
        assert_eq!(f.line_col(100), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn columns_on_long_lines_count_characters_through_checkpoints() {
        // Three lines; the second is long and mixes one-, two- and four-byte characters
        // so checkpoints fall inside characters.
        let long: String = (0..5000).map(|i| ["a", "ç", "𝄞"][i % 3]).collect();
        let text = format!("x\n{long}\ny");
        let f = SourceFile::new("a".into(), text.as_str().into());
        for (column, (byte, _)) in long.char_indices().enumerate().step_by(97) {
            assert_eq!(
                f.line_col(2 + byte),
                LineCol {
                    line: 2,
                    column: column + 1
                },
                "byte {byte}"
            );
        }
        let end = 2 + long.len();
        assert_eq!(
            f.line_col(end),
            LineCol {
                line: 2,
                column: 5001
            }
        );
        assert_eq!(f.line_col(end + 1), LineCol { line: 3, column: 1 });
    }
}
