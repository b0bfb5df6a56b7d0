//! A sparse line index: the line and column at every [`BLOCK`]th byte, so that a file
//! costs a few bytes per block instead of one offset per line, and a line and column are
//! counted from the nearest checkpoint (at most one block of bytes) when a finding is
//! printed. One long line (a minified export) costs no more than many short ones.

use std::ops::Range;

/// Bytes between two checkpoints: a lookup reads at most this many bytes.
pub const BLOCK: usize = 2048;

/// `(line, column)` before the byte at each multiple of [`BLOCK`], both 0-based; the
/// column counts the characters started since the line's start.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    points: Vec<(usize, usize)>,
    len: usize,
    /// Newlines in the text.
    newlines: usize,
    /// Whether the text ends in a newline (or is empty).
    ends_in_newline: bool,
}

/// Builds a [`LineIndex`] from the text in chunks, in order.
#[derive(Debug, Default)]
pub struct Builder {
    index: LineIndex,
    line: usize,
    column: usize,
    /// The last byte pushed.
    last: Option<u8>,
}

/// Whether a byte starts a character (is not a UTF-8 continuation byte).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| starts_char(b)).count()
}

/// `(line, column)` after `bytes`, starting from `(line, column)`.
fn advance((line, column): (usize, usize), bytes: &[u8]) -> (usize, usize) {
    match memchr::memrchr(b'\n', bytes) {
        Some(last) => (
            line + memchr::memchr_iter(b'\n', bytes).count(),
            chars(&bytes[last + 1..]),
        ),
        None => (line, column + chars(bytes)),
    }
}

impl Builder {
    /// Adds the next bytes of the text.
    pub fn push(&mut self, mut bytes: &[u8]) {
        if let Some(&b) = bytes.last() {
            self.last = Some(b);
        }
        while !bytes.is_empty() {
            let at = self.index.len;
            if at.is_multiple_of(BLOCK) {
                self.index.points.push((self.line, self.column));
            }
            let take = (BLOCK - at % BLOCK).min(bytes.len());
            (self.line, self.column) = advance((self.line, self.column), &bytes[..take]);
            self.index.len += take;
            bytes = &bytes[take..];
        }
    }

    /// The index of everything pushed.
    pub fn finish(mut self) -> LineIndex {
        if self.index.len.is_multiple_of(BLOCK) {
            self.index.points.push((self.line, self.column));
        }
        self.index.newlines = self.line;
        self.index.ends_in_newline = self.last.is_none_or(|b| b == b'\n');
        self.index
    }
}

impl LineIndex {
    /// The index of a whole text.
    pub fn of(text: &str) -> LineIndex {
        let mut builder = Builder::default();
        builder.push(text.as_bytes());
        builder.finish()
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes to read for [`LineIndex::line_col`] at `offset` (clamped): from the
    /// checkpoint before it.
    pub fn line_col_range(&self, offset: usize) -> Range<usize> {
        let offset = offset.min(self.len);
        offset / BLOCK * BLOCK..offset
    }

    /// The 0-based line and column at the end of `bytes`, the bytes of
    /// [`LineIndex::line_col_range`].
    pub fn line_col(&self, range: Range<usize>, bytes: &[u8]) -> (usize, usize) {
        advance(self.points[range.start / BLOCK], bytes)
    }

    /// Lines as `str::lines` counts them.
    pub fn lines(&self) -> usize {
        if self.ends_in_newline {
            self.newlines
        } else {
            self.newlines + 1
        }
    }

    /// Where to search for the start of the 0-based `line`, and how many newlines to pass
    /// from there; `None` past the last line.
    pub fn line_search(&self, line: usize) -> Option<(Range<usize>, usize)> {
        if line == 0 {
            return Some((0..0, 0));
        }
        if line > self.newlines {
            return None;
        }
        let k = self.points.partition_point(|&(l, _)| l < line) - 1;
        let end = ((k + 1) * BLOCK).min(self.len);
        Some((k * BLOCK..end, line - self.points[k].0))
    }

    /// The offset from which to count characters to reach the 0-based `column` of the
    /// line starting at `start` (0-based `line`), and the column there.
    pub fn column_search(&self, line: usize, start: usize, column: usize) -> (usize, usize) {
        let first = start.div_ceil(BLOCK);
        let rest = self.points.get(first..).unwrap_or_default();
        let n = rest.partition_point(|&(l, c)| l == line && c <= column);
        match n.checked_sub(1) {
            Some(i) => ((first + i) * BLOCK, rest[i].1),
            None => (start, 0),
        }
    }
}

/// The offset just past the `n`th newline in `bytes` (which start at `base`).
pub fn after_newlines(bytes: &[u8], base: usize, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(base);
    }
    memchr::memchr_iter(b'\n', bytes)
        .nth(n - 1)
        .map(|i| base + i + 1)
}

/// The offset of the character numbered `column` counting from `counted` at the start
/// of `bytes` (which start at `base`): a checkpoint may fall inside a character, whose
/// rest is skipped.
pub fn char_at(bytes: &[u8], base: usize, counted: usize, column: usize) -> Option<usize> {
    let mut n = counted;
    for (i, &b) in bytes.iter().enumerate() {
        if starts_char(b) {
            if n == column {
                return Some(base + i);
            }
            n += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line and column as a dense index computes them.
    fn dense(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line = before.matches('\n').count();
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, text[start..offset].chars().count())
    }

    fn sparse(text: &str, index: &LineIndex, offset: usize) -> (usize, usize) {
        let range = index.line_col_range(offset);
        index.line_col(range.clone(), &text.as_bytes()[range])
    }

    /// A small deterministic generator: no dependency for random texts.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    fn random_text(rng: &mut Lcg, len: usize, pieces: &[&str]) -> String {
        (0..len).map(|_| pieces[rng.next(pieces.len())]).collect()
    }

    #[test]
    fn line_and_column_equal_the_dense_computation() {
        let mut rng = Lcg(7);
        let texts = [
            random_text(
                &mut rng,
                20_000,
                &["a", "\n", "\r\n", "é", "𝄞", "€", " ", "\"x\""],
            ),
            random_text(&mut rng, 9_000, &["ab", "ç", "𝄞", "€"]), // one long line
            random_text(&mut rng, 3_000, &["\n", "\n\n", "x\n"]),
            "x".repeat(BLOCK * 2),
            format!("{}\n", "y".repeat(BLOCK - 1)),
            String::new(),
        ];
        for text in &texts {
            let index = LineIndex::of(text);
            let mut incremental = Builder::default();
            for piece in text.as_bytes().chunks(777) {
                incremental.push(piece);
            }
            let incremental = incremental.finish();
            assert_eq!(incremental.points, index.points);
            assert_eq!(
                index.lines(),
                text.lines().count(),
                "{:?}",
                &text[..text.len().min(20)]
            );
            let boundaries = (0..=text.len()).filter(|&i| text.is_char_boundary(i));
            for offset in boundaries.step_by(3).chain([text.len()]) {
                assert_eq!(
                    sparse(text, &index, offset),
                    dense(text, offset),
                    "offset {offset}"
                );
            }
        }
    }
}
