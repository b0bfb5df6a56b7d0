//! Containment: every file moat opens while scanning is decided here. The scan root is
//! found once ([`root::scan_root`]); a [`Guard`] then allows a read only when the file is
//! a regular file inside the root (after following every symlink) or one the user named
//! on the command line. Nothing is executed, fetched or followed out of the root.

pub mod big;
pub mod guard;
pub mod root;

pub use big::BigFile;
pub use guard::{read_trusted, Guard, Refusal, Source, MAX_FILE_BYTES};
pub use root::scan_root;

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::model::Span;

/// The diagnostic for a file not read, at the place that asked for it: a warning when
/// containment refused it (the value is unknown, the scan goes on), else an error.
pub fn refused(path: PathBuf, span: Option<Span>, why: &Refusal) -> Diagnostic {
    if why.is_containment() {
        Diagnostic::warning(path, span, why.to_string())
    } else {
        Diagnostic::error(path, span, why.to_string())
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system, so that one file has one name
/// however it was reached: `..` above a root is dropped, an empty result is `.`.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}
