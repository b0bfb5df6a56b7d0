//! The rows of an export-shaped JSON file found without parsing them: one pass over the
//! bytes finds the top-level list (a top-level array, or the `data` / `value` array of
//! an object) and the byte range of each of its elements, so the rows can be parsed one
//! at a time, on every core, and no syntax tree of the whole file is ever built.
//!
//! Anything unexpected (a syntax error, unquoted or duplicate keys, nesting deeper than
//! [`MAX_DEPTH`]) yields `None`: the caller then parses the whole file, which reports the
//! problem exactly as it always did.

use std::ops::Range;

use super::json::{comment_end, string_end, Scan, MAX_DEPTH};
use crate::fs::BigFile;

/// Where the top-level list of a file is and where its elements are.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    /// The list's JSON pointer: `""` (a top-level array), `"/data"` or `"/value"`.
    pub pointer: &'static str,
    /// The list's byte range, brackets included.
    pub list: Range<usize>,
    /// Each element's byte range.
    pub rows: Vec<Range<usize>>,
}

/// The top-level list of `text` and its elements, when the file has that shape and its
/// structure is sound; `None` otherwise.
pub fn split(text: &str) -> Option<Split> {
    split_scan(&mut text.as_bytes())
}

/// [`split`] for a big file, read through a window sliding over it: never held whole.
pub fn split_big(file: &BigFile) -> Option<Split> {
    split_scan(&mut Sliding {
        file,
        buf: Vec::new(),
        base: 0,
        mark: 0,
    })
}

fn split_scan<S: Scan>(bytes: &mut S) -> Option<Split> {
    let start = skip_blank(bytes, 0);
    let (pointer, list, rows, end) = match bytes.at(start)? {
        b'[' => {
            let (rows, end) = elements(bytes, start, 1)?;
            ("", start..end, rows, end)
        }
        b'{' => members(bytes, start)?,
        _ => return None,
    };
    (skip_blank(bytes, end) == bytes.size()).then_some(Split {
        pointer,
        list,
        rows,
    })
}

/// A big file's bytes through a window: reading past it drops what lies before the
/// last mark and reads the next [`crate::fs::big::CHUNK`] bytes.
struct Sliding<'a> {
    file: &'a BigFile,
    buf: Vec<u8>,
    /// Where `buf` starts in the file.
    base: usize,
    /// Nothing before this is asked for again.
    mark: usize,
}

impl Sliding<'_> {
    #[cold]
    fn slide(&mut self, i: usize) -> Option<u8> {
        if i >= self.file.len() {
            return None;
        }
        if i < self.base {
            // Before the window (never, when marks are set as they should): read it.
            return self.file.bytes(i..i + 1).ok()?.first().copied();
        }
        let keep = self.mark.clamp(self.base, i);
        self.buf.drain(..keep - self.base);
        self.base = keep;
        let end = (i + 1)
            .max(self.base + self.buf.len() + crate::fs::big::CHUNK)
            .min(self.file.len());
        let more = self.file.bytes(self.base + self.buf.len()..end).ok()?;
        self.buf.extend_from_slice(&more);
        self.buf.get(i - self.base).copied()
    }
}

impl Scan for Sliding<'_> {
    #[inline]
    fn at(&mut self, i: usize) -> Option<u8> {
        match i.checked_sub(self.base).and_then(|j| self.buf.get(j)) {
            Some(&b) => Some(b),
            None => self.slide(i),
        }
    }

    fn size(&self) -> usize {
        self.file.len()
    }

    fn mark(&mut self, i: usize) {
        self.mark = i;
    }
}

/// Whether the bytes of `range` are `word`.
fn is<S: Scan>(bytes: &mut S, range: Range<usize>, word: &[u8]) -> bool {
    range.len() == word.len() && range.zip(word).all(|(i, w)| bytes.at(i) == Some(*w))
}

/// The pointer, range and elements of the `data` (else `value`) array of the object
/// opening at `open`, and the offset just past the object.
fn members<S: Scan>(bytes: &mut S, open: usize) -> Option<Listed> {
    let mut data = None;
    let mut value = None;
    let mut seen_data = false;
    let mut seen_value = false;
    let mut i = skip_blank(bytes, open + 1);
    if bytes.at(i) == Some(b'}') {
        return None;
    }
    loop {
        bytes.mark(i);
        if bytes.at(i) != Some(b'"') {
            return None;
        }
        let key_end = string_end(bytes, i + 1);
        if key_end >= bytes.size() {
            return None;
        }
        let is_data = is(bytes, i + 1..key_end, b"data");
        let is_value = is(bytes, i + 1..key_end, b"value");
        i = skip_blank(bytes, key_end + 1);
        if bytes.at(i) != Some(b':') {
            return None;
        }
        i = skip_blank(bytes, i + 1);
        if (is_data && seen_data) || (is_value && seen_value) {
            return None;
        }
        seen_data |= is_data;
        seen_value |= is_value;
        if (is_data || is_value) && bytes.at(i) == Some(b'[') {
            let (rows, end) = elements(bytes, i, 2)?;
            let found = Some((i..end, rows));
            if is_data {
                data = found;
            } else {
                value = found;
            }
            i = end;
        } else {
            i = value_end(bytes, i, 1)?;
        }
        i = skip_blank(bytes, i);
        match bytes.at(i)? {
            b',' => {
                i = skip_blank(bytes, i + 1);
                if bytes.at(i) == Some(b'}') {
                    break;
                }
            }
            b'}' => break,
            _ => return None,
        }
    }
    let end = i + 1;
    let (pointer, (list, rows)) = match (data, value) {
        (Some(d), _) => ("/data", d),
        (None, Some(v)) => ("/value", v),
        (None, None) => return None,
    };
    Some((pointer, list, rows, end))
}

/// A list's pointer, range and elements, and the offset just past the document's value.
type Listed = (&'static str, Range<usize>, Vec<Range<usize>>, usize);

/// The elements of the array opening at `open` (at nesting `depth`), and the offset just
/// past it.
fn elements<S: Scan>(
    bytes: &mut S,
    open: usize,
    depth: usize,
) -> Option<(Vec<Range<usize>>, usize)> {
    let mut rows = Vec::new();
    let mut i = skip_blank(bytes, open + 1);
    if bytes.at(i) == Some(b']') {
        return Some((rows, i + 1));
    }
    loop {
        bytes.mark(i);
        let end = value_end(bytes, i, depth)?;
        rows.push(i..end);
        i = skip_blank(bytes, end);
        match bytes.at(i)? {
            b',' => {
                i = skip_blank(bytes, i + 1);
                if bytes.at(i) == Some(b']') {
                    return Some((rows, i + 1));
                }
            }
            b']' => return Some((rows, i + 1)),
            _ => return None,
        }
    }
}

/// The offset just past the value starting at `i`, found at nesting `depth`; `None` when
/// it is not a value or nests too deep.
pub(crate) fn value_end<S: Scan>(bytes: &mut S, mut i: usize, depth: usize) -> Option<usize> {
    match bytes.at(i)? {
        b'"' => {
            let end = string_end(bytes, i + 1);
            (end < bytes.size()).then_some(end + 1)
        }
        b'[' | b'{' => {
            let mut level = 0usize;
            while let Some(b) = bytes.at(i) {
                if b == b'/' {
                    if let Some(end) = comment_end(bytes, i) {
                        i = end;
                        continue;
                    }
                }
                match b {
                    b'"' => i = string_end(bytes, i + 1),
                    b'[' | b'{' => {
                        level += 1;
                        if depth + level > MAX_DEPTH {
                            return None;
                        }
                    }
                    b']' | b'}' => {
                        level -= 1;
                        if level == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        b',' | b']' | b'}' | b':' => None,
        _ => {
            let start = i;
            while let Some(b) = bytes.at(i) {
                if matches!(b, b',' | b']' | b'}' | b'/') || b.is_ascii_whitespace() {
                    break;
                }
                i += 1;
            }
            (i > start).then_some(i)
        }
    }
}

/// The first offset from `i` that is not whitespace or a comment.
fn skip_blank<S: Scan>(bytes: &mut S, mut i: usize) -> usize {
    while let Some(b) = bytes.at(i) {
        if let Some(end) = comment_end(bytes, i) {
            i = end;
        } else if b.is_ascii_whitespace() {
            i += 1;
        } else {
            break;
        }
    }
    i.min(bytes.size())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Option<(&'static str, Vec<&str>)> {
        let s = split(text)?;
        assert_eq!(&text[s.list.start..s.list.start + 1], "[");
        assert_eq!(&text[s.list.end - 1..s.list.end], "]");
        Some((s.pointer, s.rows.iter().map(|r| &text[r.clone()]).collect()))
    }

    #[test]
    fn finds_rows_of_arrays_graph_results_and_pages() {
        assert_eq!(
            rows(" [ {\"a\": [1, \"]\"]} , 2, \"x\" , null, ] "),
            Some(("", vec!["{\"a\": [1, \"]\"]}", "2", "\"x\"", "null"]))
        );
        assert_eq!(
            rows("{\"count\": 2, // rows\n \"data\": [{\"id\": \"a\"},\n /* b */ {}], \"skip_token\": null}"),
            Some(("/data", vec!["{\"id\": \"a\"}", "{}"]))
        );
        assert_eq!(
            rows("{\"value\": [{\"x\": \"\\\"}\"}], \"nextLink\": \"n\", \"data\": []}"),
            Some(("/data", vec![]))
        );
        assert_eq!(
            rows("{\"value\": [{}], \"nextLink\": {\"a\": [1]},}"),
            Some(("/value", vec!["{}"]))
        );
        assert_eq!(rows("[]"), Some(("", vec![])));
    }

    #[test]
    fn a_big_file_splits_the_same_through_its_window() {
        // Rows across the first window's end, with brackets in strings and comments.
        let row = r#"{"id": "/s/x]", "p": {"a": [1, "}\""]} /* ] */}"#;
        let n = crate::fs::big::CHUNK / row.len() + 50;
        let rows = vec![row; n].join(",\n ");
        for text in [
            format!("[{rows}]"),
            format!("{{\"count\": {n}, \"data\": [{rows}], \"skip_token\": null}}"),
            format!("[{rows} 1]"),
        ] {
            let tmp = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(tmp.path(), &text).unwrap();
            let file = std::fs::File::open(tmp.path()).unwrap();
            let big = BigFile::open(file, text.len() as u64, |_| {}).unwrap();
            let whole = split(&text);
            assert_eq!(split_big(&big), whole);
            if let Some(whole) = whole {
                assert_eq!(whole.rows.len(), n);
                let last = &whole.rows[n - 1];
                assert_eq!(&text[last.clone()], row);
                assert!(whole
                    .rows
                    .iter()
                    .any(|r| r.contains(&crate::fs::big::CHUNK)));
            }
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_full_parser() {
        for text in [
            "",
            "{}",
            "{\"id\": \"/subscriptions/x\"}",
            "{\"data\": {\"a\": 1}}",
            "{data: []}",
            "{\"data\": [], \"data\": []}",
            "[1 2]",
            "[,1]",
            "[{\"a\": 1]",
            "[1] 2",
            "[1",
            "{\"data\": [1], \"x\": }",
            "\"[1]\"",
        ] {
            assert_eq!(split(text), None, "{text}");
        }
        let deep = format!("[{}{}]", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(split(&deep), None);
    }
}
