//! The one gate every read of a scan goes through.

use std::collections::HashSet;
use std::fs::{File, Metadata, OpenOptions};
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::big::BigFile;

/// Files larger than this are reported, not read: no real IaC file comes close. JSON
/// files (exports of whole tenants run to gigabytes) are bounded by memory instead, see
/// [`json_limit`].
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Peak memory of a scan per byte of JSON export read, measured (README, Performance:
/// 1.6 for a 1.3 GB pretty-printed export, about 2.3 for a minified one, whose rows are
/// shorter): a JSON file larger than physical memory over this is refused, as it could
/// not be modelled.
const JSON_MEMORY_FACTOR: u64 = 3;

/// Why a file is not read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The path, once its symlinks are followed, leaves the scan root.
    #[error("leads outside the scan root; not read (use --root to widen it)")]
    Outside,
    /// A FIFO, device, socket or folder where a file was expected.
    #[error("is not a regular file ({0}); not read")]
    NotRegular(&'static str),
    /// Nothing there.
    #[error("cannot read: no such file")]
    Missing,
    /// The operating system refused.
    #[error("cannot read: {0}")]
    Io(String),
    /// Over [`MAX_FILE_BYTES`].
    #[error("file is over the {} MB limit; not read", MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge,
    /// A JSON file over [`json_limit`]: this machine's memory could not hold its model.
    #[error(
        "JSON file is over {0} MB, more than this machine's memory can model; not read \
         (split the export into pages and scan them on a larger machine)"
    )]
    TooLargeForMemory(u64),
    /// A NUL byte near the start.
    #[error("binary file (NUL byte at offset {0}); not read")]
    Binary(usize),
    /// Not UTF-8.
    #[error("not UTF-8 text (invalid byte at line {0}); not read")]
    NotUtf8(usize),
}

impl Refusal {
    /// Whether containment refused the read (as opposed to the file being absent or
    /// unreadable): the asker is told with a warning and the value is unknown.
    pub fn is_containment(&self) -> bool {
        matches!(self, Refusal::Outside | Refusal::NotRegular(_))
    }
}

/// Decides which files a scan may open: regular files whose canonical path lies inside
/// the root, and the files the user named. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Guard {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Canonical root; `None` allows only the trusted files.
    root: Option<PathBuf>,
    /// Canonical paths of files named on the command line.
    trusted: HashSet<PathBuf>,
}

impl Default for Guard {
    /// Allows nothing.
    fn default() -> Guard {
        Guard::deny_all()
    }
}

impl Guard {
    /// A guard for `root` that also allows the `trusted` files wherever they are.
    pub fn new(root: &Path, trusted: &[PathBuf]) -> Guard {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Guard {
            inner: Arc::new(Inner {
                root: Some(root),
                trusted: trusted
                    .iter()
                    .filter_map(|p| p.canonicalize().ok())
                    .collect(),
            }),
        }
    }

    /// A guard that allows nothing (readers fed from memory).
    pub fn deny_all() -> Guard {
        Guard {
            inner: Arc::new(Inner {
                root: None,
                trusted: HashSet::new(),
            }),
        }
    }

    /// The canonical scan root.
    pub fn root(&self) -> Option<&Path> {
        self.inner.root.as_deref()
    }

    /// Whether a canonical path lies inside the root.
    pub fn contains(&self, canonical: &Path) -> bool {
        self.root().is_some_and(|r| canonical.starts_with(r))
    }

    /// Where `path` leads, every link followed, when that is inside the root or a file
    /// the user named: its canonical path and what is there. A path leading out is
    /// [`Refusal::Outside`] whether or not its target exists, so that what a scan says
    /// never tells which files exist outside the root.
    pub fn resolve(&self, path: &Path) -> Result<(PathBuf, Metadata), Refusal> {
        let canonical = match path.canonicalize() {
            Ok(canonical) => canonical,
            Err(e) if self.would_be_inside(path) => return Err(io_refusal(e)),
            Err(_) => return Err(Refusal::Outside),
        };
        if !self.contains(&canonical) && !self.inner.trusted.contains(&canonical) {
            return Err(Refusal::Outside);
        }
        let meta = std::fs::metadata(&canonical).map_err(io_refusal)?;
        Ok((canonical, meta))
    }

    /// Whether a path that does not resolve would lie inside the root: its deepest
    /// existing ancestor resolved, the rest applied lexically. A dangling link on the
    /// way counts as leading out.
    fn would_be_inside(&self, path: &Path) -> bool {
        let Ok(absolute) = std::path::absolute(path) else {
            return false;
        };
        let mut rest = Vec::new();
        let mut current = absolute.as_path();
        loop {
            if current.symlink_metadata().is_ok() {
                let Ok(mut resolved) = current.canonicalize() else {
                    return false;
                };
                for component in rest.iter().rev() {
                    match component {
                        Component::ParentDir => {
                            resolved.pop();
                        }
                        Component::Normal(name) => resolved.push(name),
                        _ => {}
                    }
                }
                return self.contains(&resolved);
            }
            let (Some(parent), Some(last)) = (current.parent(), current.components().next_back())
            else {
                return false;
            };
            rest.push(last);
            current = parent;
        }
    }

    /// Where `path` leads when it may be read as a file: its canonical path.
    pub fn file(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let (canonical, meta) = self.resolve(path)?;
        if self.inner.trusted.contains(&canonical) && !meta.is_dir() {
            return Ok(canonical);
        }
        if !meta.is_file() {
            return Err(Refusal::NotRegular(kind(&meta)));
        }
        Ok(canonical)
    }

    /// Where `path` leads when it is a folder inside the root: its canonical path.
    pub fn dir(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let (canonical, meta) = self.resolve(path)?;
        if !meta.is_dir() {
            return Err(Refusal::NotRegular(kind(&meta)));
        }
        Ok(canonical)
    }

    /// Whether `path` may be read as a file.
    pub fn is_file(&self, path: &Path) -> bool {
        self.file(path).is_ok()
    }

    /// Reads a text file the scan may read, refusing what is too large, binary or not
    /// UTF-8 (a BOM is dropped).
    pub fn read_text(&self, path: &Path) -> Result<Arc<str>, Refusal> {
        let canonical = self.file(path)?;
        let trusted = self.inner.trusted.contains(&canonical);
        decode(read_bounded(&canonical, !trusted)?)
    }

    /// Reads a text file like [`Guard::read_text`], except that a JSON file over `big`
    /// bytes is not held: it is checked in chunks (each chunk of text handed to `each`)
    /// and kept open, to be read by ranges ([`BigFile`]).
    pub fn read_source(
        &self,
        path: &Path,
        big: u64,
        each: impl FnMut(&str),
    ) -> Result<Source, Refusal> {
        let canonical = self.file(path)?;
        let trusted = self.inner.trusted.contains(&canonical);
        let (file, meta) = open_checked(&canonical, !trusted)?;
        if is_json(&canonical) && meta.is_file() && meta.len() > big {
            return BigFile::open(file, meta.len(), each).map(Source::Big);
        }
        let text = decode(read_opened(file, &meta, &canonical)?)?;
        Ok(Source::Text(text))
    }
}

/// A file read by [`Guard::read_source`].
#[derive(Debug)]
pub enum Source {
    /// Its whole text.
    Text(Arc<str>),
    /// A big JSON file, checked, read by ranges when needed.
    Big(BigFile),
}

/// Reads a file the user named (a fixture, a tool's input), wherever it is; folders
/// are refused and at most [`MAX_FILE_BYTES`] are read.
pub fn read_trusted(path: &Path) -> Result<Arc<str>, Refusal> {
    let meta = std::fs::metadata(path).map_err(io_refusal)?;
    if meta.is_dir() {
        return Err(Refusal::NotRegular(kind(&meta)));
    }
    decode(read_bounded(path, false)?)
}

fn io_refusal(e: std::io::Error) -> Refusal {
    if e.kind() == std::io::ErrorKind::NotFound {
        Refusal::Missing
    } else {
        Refusal::Io(e.to_string())
    }
}

/// What a non-regular file is, for messages.
pub(crate) fn kind(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a plain file"
    }
}

/// Opens without ever blocking (a FIFO swapped in after the check cannot hang the
/// scan), checks again what was opened, and reads at most the limit.
fn read_bounded(path: &Path, regular_only: bool) -> Result<Vec<u8>, Refusal> {
    let (file, meta) = open_checked(path, regular_only)?;
    read_opened(file, &meta, path)
}

/// Opens without ever blocking (a FIFO swapped in after the check cannot hang the
/// scan) and checks again what was opened: a regular file (when `regular_only`) under
/// its size limit.
fn open_checked(path: &Path, regular_only: bool) -> Result<(File, Metadata), Refusal> {
    let file = open(path, regular_only).map_err(io_refusal)?;
    let meta = file.metadata().map_err(io_refusal)?;
    if regular_only && !meta.is_file() {
        return Err(Refusal::NotRegular(kind(&meta)));
    }
    let (limit, refusal) = limit(path);
    if meta.is_file() && meta.len() > limit {
        return Err(refusal);
    }
    Ok((file, meta))
}

/// The size limit of a file and the refusal past it.
fn limit(path: &Path) -> (u64, Refusal) {
    if is_json(path) {
        let limit = json_limit();
        (limit, Refusal::TooLargeForMemory(limit / (1024 * 1024)))
    } else {
        (MAX_FILE_BYTES, Refusal::TooLarge)
    }
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Reads an opened file, at most its limit.
fn read_opened(file: File, meta: &Metadata, path: &Path) -> Result<Vec<u8>, Refusal> {
    let (limit, refusal) = limit(path);
    let mut bytes = Vec::with_capacity(if meta.is_file() {
        meta.len() as usize
    } else {
        0
    });
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io_refusal)?;
    if bytes.len() as u64 > limit {
        return Err(refusal);
    }
    Ok(bytes)
}

/// The largest JSON file read: physical memory over [`JSON_MEMORY_FACTOR`], and never
/// less than [`MAX_FILE_BYTES`].
pub fn json_limit() -> u64 {
    #[cfg(unix)]
    {
        // SAFETY: sysconf reads a system constant; it has no preconditions.
        let (pages, page) = unsafe {
            (
                libc::sysconf(libc::_SC_PHYS_PAGES),
                libc::sysconf(libc::_SC_PAGESIZE),
            )
        };
        if pages > 0 && page > 0 {
            let memory = (pages as u64).saturating_mul(page as u64);
            return (memory / JSON_MEMORY_FACTOR).max(MAX_FILE_BYTES);
        }
    }
    MAX_FILE_BYTES
}

fn open(path: &Path, non_blocking: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    if non_blocking {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    let _ = non_blocking;
    options.open(path)
}

/// Text from bytes: no NUL in the first 8 KiB, UTF-8, without a BOM.
fn decode(bytes: Vec<u8>) -> Result<Arc<str>, Refusal> {
    if let Some(pos) = bytes.iter().take(8192).position(|&b| b == 0) {
        return Err(Refusal::Binary(pos));
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map(Arc::from).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Refusal::NotUtf8(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(top.join("root/sub")).unwrap();
        std::fs::write(top.join("root/sub/a.txt"), "inside").unwrap();
        std::fs::write(top.join("outside.txt"), "secret").unwrap();
        (dir, top)
    }

    #[test]
    fn json_is_bounded_by_memory_other_files_by_the_cap() {
        let (_dir, top) = setup();
        let guard = Guard::new(&top.join("root"), &[]);
        let big = format!("{}[]", " ".repeat(MAX_FILE_BYTES as usize));
        for name in ["export.json", "main.tf"] {
            std::fs::write(top.join("root").join(name), &big).unwrap();
        }
        assert!(json_limit() >= MAX_FILE_BYTES);
        let expected = if json_limit() >= big.len() as u64 {
            Ok(big.len())
        } else {
            // A machine with under 1 GiB of memory: refused, saying why.
            Err(Refusal::TooLargeForMemory(json_limit() / (1024 * 1024)))
        };
        assert_eq!(
            guard
                .read_text(&top.join("root/export.json"))
                .map(|t| t.len()),
            expected,
            "an export over the fixed cap is read when memory allows"
        );
        assert_eq!(
            guard.read_text(&top.join("root/main.tf")),
            Err(Refusal::TooLarge)
        );
    }

    #[test]
    fn reads_inside_refuses_outside() {
        let (_dir, top) = setup();
        let guard = Guard::new(&top.join("root"), &[]);
        assert_eq!(
            &*guard.read_text(&top.join("root/sub/../sub/a.txt")).unwrap(),
            "inside"
        );
        assert_eq!(
            guard.read_text(&top.join("root/../outside.txt")),
            Err(Refusal::Outside)
        );
        assert_eq!(
            guard.read_text(&top.join("root/missing")),
            Err(Refusal::Missing)
        );
        assert_eq!(
            guard.read_text(&top.join("root/no/../../missing")),
            Err(Refusal::Outside),
            "what is missing outside is refused as anything outside"
        );
        assert_eq!(
            guard.read_text(&top.join("root/no/../sub/missing")),
            Err(Refusal::Missing)
        );
        assert_eq!(
            guard.read_text(&top.join("root/sub")),
            Err(Refusal::NotRegular("a folder"))
        );
        assert!(guard.dir(&top.join("root/sub")).is_ok());
        assert_eq!(guard.dir(&top), Err(Refusal::Outside));
        assert!(Guard::deny_all()
            .read_text(&top.join("root/sub/a.txt"))
            .is_err());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_count_where_they_lead_and_devices_are_refused() {
        let (_dir, top) = setup();
        let root = top.join("root");
        std::os::unix::fs::symlink(top.join("outside.txt"), root.join("out.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("sub/a.txt"), root.join("in.txt")).unwrap();
        std::os::unix::fs::symlink(top.join("absent"), root.join("dangling")).unwrap();
        let guard = Guard::new(&root, &[]);
        assert_eq!(
            guard.read_text(&root.join("out.txt")),
            Err(Refusal::Outside)
        );
        assert_eq!(&*guard.read_text(&root.join("in.txt")).unwrap(), "inside");
        assert_eq!(
            guard.read_text(&root.join("dangling")),
            Err(Refusal::Outside)
        );
        let everything = Guard::new(Path::new("/"), &[]);
        assert_eq!(
            everything.read_text(Path::new("/dev/zero")),
            Err(Refusal::NotRegular("a device"))
        );
        let trusted = Guard::new(&root, &[top.join("outside.txt")]);
        assert_eq!(
            &*trusted.read_text(&top.join("outside.txt")).unwrap(),
            "secret"
        );
    }

    #[test]
    fn refuses_binary_and_invalid_utf8_and_strips_bom() {
        let (_dir, top) = setup();
        let root = top.join("root");
        std::fs::write(root.join("bin"), b"ab\0cd").unwrap();
        std::fs::write(root.join("latin1"), b"ok\nbad \xe9\n").unwrap();
        std::fs::write(root.join("bom"), b"\xEF\xBB\xBFx = 1").unwrap();
        let guard = Guard::new(&root, &[]);
        assert_eq!(guard.read_text(&root.join("bin")), Err(Refusal::Binary(2)));
        assert_eq!(
            guard.read_text(&root.join("latin1")),
            Err(Refusal::NotUtf8(2))
        );
        assert_eq!(&*guard.read_text(&root.join("bom")).unwrap(), "x = 1");
    }
}
