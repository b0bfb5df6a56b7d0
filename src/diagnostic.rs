//! Problems with inputs: files that could not be read or parsed, modules not followed.
//! A diagnostic never stops a scan; the other files are still read.

use std::path::PathBuf;

use serde::Serialize;

use crate::model::Span;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Something was not followed or not understood; the scan is still complete for the rest.
    Warning,
    /// An input could not be read or parsed: the gate must not pass (exit code 2).
    Error,
}

/// A problem with one input.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// How bad it is.
    pub level: Level,
    /// The file.
    pub path: PathBuf,
    /// Where in the file, when the file was read.
    pub span: Option<Span>,
    /// What went wrong.
    pub message: String,
}

impl Diagnostic {
    /// An error at a place in a file.
    pub fn error(
        path: impl Into<PathBuf>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            path: path.into(),
            span,
            message: message.into(),
        }
    }

    /// A warning at a place in a file.
    pub fn warning(
        path: impl Into<PathBuf>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            level: Level::Warning,
            path: path.into(),
            span,
            message: message.into(),
        }
    }
}
