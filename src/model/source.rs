//! Source files read for a scan, and byte spans into them.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::line_index::{self, LineIndex};
use crate::fs::BigFile;

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

/// A file's text: held whole, or (a big export) read by ranges from the open file.
#[derive(Clone, Debug)]
pub enum Text {
    /// The whole text.
    Held(Arc<str>),
    /// A big file, read when a range is asked for.
    Big(Arc<BigFile>),
}

impl Text {
    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        match self {
            Text::Held(text) => text.len(),
            Text::Big(file) => file.len(),
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text of `range` (clamped to the text); a range cutting a character gets
    /// U+FFFD for its pieces.
    pub fn read(&self, range: Range<usize>) -> Cow<'_, str> {
        match self {
            Text::Held(text) => slice(text, range),
            Text::Big(file) => Cow::Owned(file.text(range)),
        }
    }
}

/// `range` of `text` (clamped); a range cutting a character gets U+FFFD for its pieces.
fn slice(text: &str, range: Range<usize>) -> Cow<'_, str> {
    let end = range.end.min(text.len());
    let start = range.start.min(end);
    match text.get(start..end) {
        Some(s) => Cow::Borrowed(s),
        None => String::from_utf8_lossy(&text.as_bytes()[start..end]),
    }
}

/// Bytes of a big file kept from the last lookup (line and column lookups fall within
/// one checkpoint block, and findings come in file order).
const PAGE: usize = 64 * 1024;

/// One file's path and text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (relative when they gave a relative path).
    pub path: PathBuf,
    text: Text,
    index: LineIndex,
    /// Ranges of a big file masked by [`Sources::mask_last_string`], applied when read.
    masks: Vec<Range<usize>>,
    /// A big file's whole text, when a reader needed it ([`SourceFile::text`]).
    whole: OnceLock<Arc<str>>,
    /// A big file's page read last: its offset and bytes.
    page: Mutex<Option<(usize, Vec<u8>)>>,
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
        let index = LineIndex::of(&text);
        SourceFile::with_index(path, Text::Held(text), index)
    }

    /// A big file read by ranges, with the index of its lines built while it was checked.
    pub fn big(path: PathBuf, file: BigFile, index: LineIndex) -> SourceFile {
        SourceFile::with_index(path, Text::Big(Arc::new(file)), index)
    }

    fn with_index(path: PathBuf, text: Text, index: LineIndex) -> SourceFile {
        SourceFile {
            path,
            text,
            index,
            masks: Vec::new(),
            whole: OnceLock::new(),
            page: Mutex::new(None),
        }
    }

    /// The whole text. A big file is read whole the first time this is asked (readers of
    /// big exports read ranges instead: [`SourceFile::read`], [`SourceFile::content`]).
    pub fn text(&self) -> &str {
        match &self.text {
            Text::Held(text) => text,
            Text::Big(_) => self.whole.get_or_init(|| self.read(0..self.len()).into()),
        }
    }

    /// The text as held or as read on demand (unmasked).
    pub fn content(&self) -> &Text {
        &self.text
    }

    /// Whether the file is a big one, read by ranges.
    pub fn is_big(&self) -> bool {
        matches!(self.text, Text::Big(_))
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text of `range` (clamped to the text), masked secrets masked.
    pub fn read(&self, range: Range<usize>) -> Cow<'_, str> {
        if let Some(whole) = self.whole.get() {
            return slice(whole, range);
        }
        let text = self.text.read(range.clone());
        let masks: Vec<&Range<usize>> = self
            .masks
            .iter()
            .filter(|m| m.start < range.end && range.start < m.end)
            .collect();
        if masks.is_empty() {
            return text;
        }
        let mut bytes = text.into_owned().into_bytes();
        for mask in masks {
            let masked = mask_chars(&self.text.read(mask.clone()));
            let from = mask.start.max(range.start);
            let to = mask.end.min(range.start + bytes.len());
            if from < to {
                bytes[from - range.start..to - range.start]
                    .copy_from_slice(&masked.as_bytes()[from - mask.start..to - mask.start]);
            }
        }
        Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The bytes of `range` (clamped; unmasked: for counting lines and columns).
    pub fn bytes(&self, range: Range<usize>) -> Cow<'_, [u8]> {
        match &self.text {
            Text::Held(text) => {
                let end = range.end.min(text.len());
                Cow::Borrowed(&text.as_bytes()[range.start.min(end)..end])
            }
            Text::Big(_) => Cow::Owned(self.with_bytes(range, <[u8]>::to_vec)),
        }
    }

    /// Calls `f` with the bytes of `range` (clamped; unmasked: masking keeps lines and
    /// columns).
    fn with_bytes<R>(&self, range: Range<usize>, f: impl FnOnce(&[u8]) -> R) -> R {
        let end = range.end.min(self.len());
        let start = range.start.min(end);
        let file = match &self.text {
            Text::Held(text) => return f(&text.as_bytes()[start..end]),
            Text::Big(file) => file,
        };
        let page = start / PAGE * PAGE;
        if end > page + PAGE {
            return f(&file.bytes(start..end).unwrap_or_default());
        }
        let mut cached = self.page.lock().unwrap_or_else(|e| e.into_inner());
        if cached.as_ref().is_none_or(|(at, _)| *at != page) {
            *cached = Some((page, file.bytes(page..page + PAGE).unwrap_or_default()));
        }
        let bytes = cached.as_ref().map_or(&[][..], |(_, b)| b.as_slice());
        f(bytes.get(start - page..end - page).unwrap_or_default())
    }

    /// The line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let range = self.index.line_col_range(offset);
        let (line, column) = self.with_bytes(range.clone(), |b| self.index.line_col(range, b));
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The byte offset where a 0-based line starts, `None` past the last line.
    fn line_start(&self, line: usize) -> Option<usize> {
        let (range, newlines) = self.index.line_search(line)?;
        let base = range.start;
        self.with_bytes(range, |b| line_index::after_newlines(b, base, newlines))
    }

    /// The byte offset of a 1-based line and column (clamped to the text).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let line = line.saturating_sub(1);
        let Some(start) = self.line_start(line) else {
            return self.len();
        };
        let column = column.saturating_sub(1);
        let (from, counted) = self.index.column_search(line, start, column);
        // A character takes at most four bytes.
        let to = from.saturating_add((column - counted + 1).saturating_mul(4));
        self.with_bytes(from..to, |b| line_index::char_at(b, from, counted, column))
            .unwrap_or(self.len())
    }

    /// The 1-based `line` as `str::lines` gives it, cut to its first `max` bytes (the
    /// cut may fall inside a character, which then shows as U+FFFD); `None` past the
    /// last line.
    pub fn line(&self, line: usize, max: usize) -> Option<Cow<'_, str>> {
        let index = line.checked_sub(1)?;
        if index >= self.index.lines() {
            return None;
        }
        let start = self.line_start(index)?;
        let end = self.with_bytes(start..start.saturating_add(max), |b| {
            memchr::memchr(b'\n', b).map(|i| start + i + 1)
        });
        let text = self.read(start..end.unwrap_or(start.saturating_add(max)));
        Some(match text {
            Cow::Borrowed(s) => Cow::Borrowed(s.lines().next().unwrap_or_default()),
            Cow::Owned(s) => Cow::Owned(s.lines().next().unwrap_or_default().to_owned()),
        })
    }
}

/// Each character of `text` as a mask character of the same width in bytes (newlines
/// kept), so offsets, lines and columns stay as they were.
fn mask_chars(text: &str) -> String {
    text.chars()
        .map(|c| match c.len_utf8() {
            _ if c == '\n' => c,
            1 => '*',
            2 => '×',
            3 => '•',
            _ => '🔒',
        })
        .collect()
}

/// Every file read during a scan, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file and returns its id.
    pub fn add(&mut self, path: PathBuf, text: Arc<str>) -> FileId {
        self.push(SourceFile::new(path, text))
    }

    /// Adds a file already wrapped and returns its id.
    pub fn push(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(file);
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
        let Some(inner) = last_string(&file.read(span.start..span.end)) else {
            return false;
        };
        let (start, end) = (span.start + inner.start, span.start + inner.end);
        if start == end || file.read(start..end).starts_with('[') {
            return false;
        }
        if let Some(whole) = file.whole.get_mut() {
            *whole = masked(whole, start..end);
        }
        match &mut file.text {
            Text::Held(text) => *text = masked(text, start..end),
            Text::Big(_) => file.masks.push(start..end),
        }
        true
    }
}

/// `text` with `range` masked ([`mask_chars`]).
fn masked(text: &str, range: Range<usize>) -> Arc<str> {
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..range.start]);
    out.push_str(&mask_chars(&text[range.clone()]));
    out.push_str(&text[range.end..]);
    Arc::from(out)
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
        let masked = sources.get(file).text();
        assert_eq!(masked, "a = 1\npassword = \"*×****\" # x\nb = 2\n");
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
        assert_eq!(sources.get(file).text(), text);
    }

    /// `text` as a big file, read by ranges.
    fn big(text: &str) -> (tempfile::NamedTempFile, SourceFile) {
        let tmp = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(tmp.path(), text).unwrap();
        let file = std::fs::File::open(tmp.path()).unwrap();
        let mut index = line_index::Builder::default();
        let big = BigFile::open(file, text.len() as u64, |c| index.push(c.as_bytes())).unwrap();
        (tmp, SourceFile::big("big.json".into(), big, index.finish()))
    }

    #[test]
    fn a_big_file_reads_like_a_held_one_and_masks_when_read() {
        let row = "{\"name\": \"ç𝄞\", \"password\": \"s3cr\\\"et\"},\r\n";
        let text = format!("[\n{}{{}}]", row.repeat(3000));
        let held = SourceFile::new("a".into(), text.as_str().into());
        let (_tmp, file) = big(&text);
        assert!(file.is_big() && !held.is_big());
        let boundaries = (0..=text.len()).filter(|&i| text.is_char_boundary(i));
        for offset in boundaries.step_by(37) {
            let at = file.line_col(offset);
            assert_eq!(at, held.line_col(offset), "offset {offset}");
            assert_eq!(file.offset_of(at.line, at.column), offset);
            assert_eq!(held.offset_of(at.line, at.column), offset);
        }
        for line in [1, 2, 1500, 3001, 3002, 3003] {
            assert_eq!(file.line(line, 1000), held.line(line, 1000), "line {line}");
        }
        assert_eq!(held.line(3002, 1000).as_deref(), Some("{}]"));
        assert_eq!(held.line(3003, 1000), None);

        let mut sources = Sources::default();
        let id = sources.push(file);
        let second = 2 + row.len();
        let secret = second + row.find("s3cr").unwrap();
        let span = Span::new(id, second..second + row.len() - 4);
        assert!(sources.mask_last_string(span));
        let file = sources.get(id);
        let read = file.read(secret - 3..secret + 9);
        assert_eq!(read, ": \"********\"", "masked when read, widths kept");
        assert_eq!(file.read(0..text.len()).matches("s3cr").count(), 2999);
        assert_eq!(file.text().len(), text.len());
        assert_eq!(
            file.text().matches("********").count(),
            1,
            "the whole text masked too"
        );
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
