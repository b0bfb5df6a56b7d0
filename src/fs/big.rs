//! A big file read by ranges through the handle the guard opened and checked: it is
//! never held whole in memory. Opening it reads it once in chunks (checking it is text
//! and handing each chunk to the caller, to index its lines); later reads fetch only the
//! ranges asked for, with `pread` on the same handle (never reopening it by path).

use std::fs::File;
use std::io;
use std::ops::Range;

use super::guard::Refusal;

/// Bytes read at a time while opening (and by the window that finds an export's rows).
pub const CHUNK: usize = 8 * 1024 * 1024;

/// An open, checked text file whose bytes are read on demand.
#[derive(Debug)]
pub struct BigFile {
    file: File,
    /// Where the text starts in the file (3 after a UTF-8 BOM).
    base: u64,
    /// The text's length in bytes.
    len: usize,
}

impl BigFile {
    /// Checks an opened file of `size` bytes the way a whole read is checked (no NUL in
    /// the first 8 KiB, UTF-8, a BOM dropped), reading it in chunks: each chunk of text
    /// (split on character boundaries) goes to `each`, in order.
    pub fn open(file: File, size: u64, mut each: impl FnMut(&str)) -> Result<BigFile, Refusal> {
        let size = usize::try_from(size).map_err(|_| Refusal::Io("file too large".into()))?;
        let mut head = vec![0; size.min(8192)];
        read_exact_at(&file, &mut head, 0)?;
        if let Some(pos) = head.iter().position(|&b| b == 0) {
            return Err(Refusal::Binary(pos));
        }
        let base = if head.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let big = BigFile {
            file,
            base: base as u64,
            len: size - base,
        };
        let mut buf = Vec::with_capacity(CHUNK.min(big.len) + 4);
        let (mut at, mut newlines) = (0, 0);
        while at < big.len {
            let n = CHUNK.min(big.len - at);
            let carried = buf.len();
            buf.resize(carried + n, 0);
            big.read_into(at, &mut buf[carried..])?;
            at += n;
            let valid = match std::str::from_utf8(&buf) {
                Ok(_) => buf.len(),
                Err(e) if e.error_len().is_none() && at < big.len => e.valid_up_to(),
                Err(e) => {
                    let before = &buf[..e.valid_up_to()];
                    let line = newlines + before.iter().filter(|&&b| b == b'\n').count() + 1;
                    return Err(Refusal::NotUtf8(line));
                }
            };
            let text = std::str::from_utf8(&buf[..valid]).unwrap_or_default();
            newlines += text.bytes().filter(|&b| b == b'\n').count();
            each(text);
            buf.drain(..valid);
        }
        Ok(big)
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes of `range` (clamped to the text).
    pub fn bytes(&self, range: Range<usize>) -> io::Result<Vec<u8>> {
        let end = range.end.min(self.len);
        let start = range.start.min(end);
        let mut buf = vec![0; end - start];
        self.read_into(start, &mut buf).map_err(io::Error::other)?;
        Ok(buf)
    }

    /// The text of `range` (clamped); bytes that are not UTF-8 (a range cutting a
    /// character, or a file changed since it was checked) become U+FFFD.
    pub fn text(&self, range: Range<usize>) -> String {
        let bytes = self.bytes(range).unwrap_or_default();
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    fn read_into(&self, at: usize, buf: &mut [u8]) -> Result<(), Refusal> {
        read_exact_at(&self.file, buf, self.base + at as u64)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> Result<(), Refusal> {
    use std::os::unix::fs::FileExt as _;
    file.read_exact_at(buf, at)
        .map_err(|e| Refusal::Io(e.to_string()))
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> Result<(), Refusal> {
    use std::os::windows::fs::FileExt as _;
    while !buf.is_empty() {
        match file.seek_read(buf, at) {
            Ok(0) => return Err(Refusal::Io("file shrank while read".into())),
            Ok(n) => {
                buf = &mut buf[n..];
                at += n as u64;
            }
            Err(e) => return Err(Refusal::Io(e.to_string())),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opened(bytes: &[u8]) -> (tempfile::NamedTempFile, Result<BigFile, Refusal>, String) {
        let tmp = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(tmp.path(), bytes).unwrap();
        let file = File::open(tmp.path()).unwrap();
        let mut seen = String::new();
        let big = BigFile::open(file, bytes.len() as u64, |chunk| seen.push_str(chunk));
        (tmp, big, seen)
    }

    #[test]
    fn chunks_split_on_characters_and_ranges_read_back() {
        // Multibyte characters across every chunk boundary, after a BOM.
        let text: String = (0..CHUNK + 10).map(|i| ["é", "a", "𝄞"][i % 3]).collect();
        let bytes = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        let (_tmp, big, seen) = opened(&bytes);
        let big = big.unwrap();
        assert_eq!(seen, text);
        assert_eq!(big.len(), text.len());
        let at = CHUNK - 2;
        let at = (at..).find(|&i| text.is_char_boundary(i)).unwrap();
        let end = (at + 10..).find(|&i| text.is_char_boundary(i)).unwrap();
        assert_eq!(big.text(at..end), text[at..end]);
        assert_eq!(big.text(end..usize::MAX), text[end..]);
    }

    #[test]
    fn binary_and_invalid_text_are_refused_like_a_whole_read() {
        assert_eq!(opened(b"ab\0c").1.err(), Some(Refusal::Binary(2)));
        let mut bytes = vec![b'a'; CHUNK + 5];
        bytes[3] = b'\n';
        bytes[CHUNK + 1] = 0xFF;
        assert_eq!(opened(&bytes).1.err(), Some(Refusal::NotUtf8(2)));
        assert_eq!(opened(b"").1.map(|b| b.len()).ok(), Some(0));
    }
}
