//! The Bicep files of a scan, parsed once: the discovered `.bicep` and `.bicepparam` files,
//! the local modules and `using` targets they reach (read even outside the scanned paths),
//! and which of them are roots.
//!
//! A root is evaluated on its own: every `.bicepparam` file, and every discovered `.bicep`
//! file that no other discovered file uses as a module or names in `using`. A file that is
//! only a module is evaluated through its callers, with the parameters they pass; evaluating
//! it alone as well would report its resources a second time with unknown parameters.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ast::{Program, Statement, StatementKind, StringExpr};
use super::cycles;
use super::parser;
use crate::diagnostic::Diagnostic;
use crate::fs::{self, normalise, Guard, Refusal};
use crate::model::{FileId, Sources, Span};

/// One parsed Bicep file.
#[derive(Debug)]
pub struct Unit {
    /// The file.
    pub file: FileId,
    /// Its path as read.
    pub path: PathBuf,
    /// The syntax tree.
    pub program: Program,
}

/// Every parsed Bicep file of a scan, by normalised path.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Decides every file read, `load*()` functions included (nothing when the files
    /// came from memory).
    pub guard: Guard,
    units: HashMap<PathBuf, Unit>,
    /// The files evaluated on their own, in a stable order.
    pub roots: Vec<PathBuf>,
    /// Module calls on a cycle (caller, callee): reported, and not followed.
    pub cyclic: cycles::Cyclic,
}

impl Workspace {
    /// The parsed file at `path` (normalised), if it was read.
    pub fn unit(&self, path: &Path) -> Option<&Unit> {
        self.units.get(&normalise(path))
    }

    /// The path of a parsed file.
    pub fn path_of(&self, file: FileId) -> Option<&Path> {
        self.units
            .values()
            .find(|u| u.file == file)
            .map(|u| u.path.as_path())
    }

    /// The files a root's evaluation reads: the root and every local file it calls,
    /// transitively (normalised).
    pub fn reached(&self, root: &Path) -> BTreeSet<PathBuf> {
        let mut seen = BTreeSet::new();
        let mut queue = vec![normalise(root)];
        while let Some(path) = queue.pop() {
            if !seen.insert(path.clone()) {
                continue;
            }
            let Some(unit) = self.units.get(&path) else {
                continue;
            };
            for (reference, _) in references(&unit.program.statements) {
                if let ModuleRef::Local(target) = resolve(&path, &reference) {
                    queue.push(target);
                }
            }
        }
        seen
    }
}

/// What a module path is.
#[derive(Debug, PartialEq, Eq)]
pub enum ModuleRef {
    /// A local file, resolved against the calling file's folder.
    Local(PathBuf),
    /// A registry or template-spec module (`br:`, `br/alias:`, `ts:`), not followed.
    Registry(String),
}

/// Resolves a module path written in `from`.
pub fn resolve(from: &Path, path: &str) -> ModuleRef {
    if path.starts_with("br:")
        || path.starts_with("br/")
        || path.starts_with("ts:")
        || path.starts_with("ts/")
    {
        return ModuleRef::Registry(path.to_owned());
    }
    let dir = from.parent().unwrap_or_else(|| Path::new(""));
    ModuleRef::Local(normalise(&dir.join(path)))
}

/// Whether `path` is a Bicep parameters file.
pub fn is_bicepparam(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "bicepparam")
}

/// Reads and parses the discovered files and every local file they reach; syntax errors,
/// unreadable modules and registry modules become diagnostics; `guard` decides reads.
pub fn load(
    discovered: &[PathBuf],
    guard: &Guard,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Workspace {
    let mut ws = load_from(discovered, sources, diagnostics, &|path: &Path| {
        guard.read_text(path)
    });
    ws.guard = guard.clone();
    ws
}

/// [`load`], reading files with `read` (an in-memory file system for tests and fuzzing).
pub fn load_with(
    discovered: &[PathBuf],
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
    read: &dyn Fn(&Path) -> Result<Arc<str>, String>,
) -> Workspace {
    load_from(discovered, sources, diagnostics, &|path: &Path| {
        read(path).map_err(Refusal::Io)
    })
}

fn load_from(
    discovered: &[PathBuf],
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
    read: &dyn Fn(&Path) -> Result<Arc<str>, Refusal>,
) -> Workspace {
    let mut ws = Workspace::default();
    let mut used: BTreeSet<PathBuf> = BTreeSet::new();
    let mut calls: Vec<cycles::Call> = Vec::new();
    let mut queue: Vec<(PathBuf, Option<(PathBuf, Span)>)> =
        discovered.iter().map(|p| (normalise(p), None)).collect();
    let discovered_set: BTreeSet<PathBuf> = queue.iter().map(|(p, _)| p.clone()).collect();
    while let Some((path, referrer)) = queue.pop() {
        if ws.units.contains_key(&path) {
            continue;
        }
        let text = match read(&path) {
            Ok(text) => text,
            Err(why) => {
                let mut diagnostic = fs::refused(path.clone(), None, &why);
                if let Some((from, span)) = referrer {
                    diagnostic.message = format!("module {}: {why}", path.display());
                    (diagnostic.path, diagnostic.span) = (from, Some(span));
                }
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let file = sources.add(path.clone(), text.clone());
        let program = parser::parse(&text);
        for d in &program.diagnostics {
            diagnostics.push(Diagnostic::error(
                path.clone(),
                Some(Span::new(file, d.span.start..d.span.end)),
                format!("Bicep syntax error: {}", d.message),
            ));
        }
        for (reference, span) in references(&program.statements) {
            let at = Span::new(file, span.start..span.end);
            match resolve(&path, &reference) {
                ModuleRef::Local(target) if target.extension().is_some_and(|e| e == "json") => {
                    diagnostics.push(Diagnostic::warning(
                        path.clone(),
                        Some(at),
                        format!(
                            "ARM template module '{reference}' is not followed from Bicep; its resources are not modelled with the parameters passed"
                        ),
                    ));
                }
                ModuleRef::Local(target) => {
                    if discovered_set.contains(&path) {
                        used.insert(target.clone());
                    }
                    calls.push(cycles::Call {
                        from: path.clone(),
                        at,
                        to: target.clone(),
                    });
                    queue.push((target, Some((path.clone(), at))));
                }
                ModuleRef::Registry(name) => diagnostics.push(Diagnostic::warning(
                    path.clone(),
                    Some(at),
                    format!(
                        "registry module '{name}' is not followed; its resources are not modelled"
                    ),
                )),
            }
        }
        ws.units.insert(
            path.clone(),
            Unit {
                file,
                path,
                program,
            },
        );
    }
    let (cyclic, problems) = cycles::find(&calls, sources);
    diagnostics.extend(problems);
    let loaded: Vec<PathBuf> = discovered_set
        .into_iter()
        .filter(|p| ws.units.contains_key(p))
        .collect();
    let roots = loaded
        .iter()
        .filter(|p| is_bicepparam(p) || !used.contains(*p))
        .cloned()
        .collect();
    ws.roots = cycles::with_unreached(roots, &loaded, &calls, &cyclic);
    ws.cyclic = cyclic;
    ws
}

/// The module paths and `using` targets a file names, with where, each once.
fn references(statements: &[Statement]) -> Vec<(String, super::ast::Span)> {
    let mut out: Vec<(String, super::ast::Span)> = Vec::new();
    let mut push = |s: &StringExpr| {
        if let Some(text) = s.as_literal() {
            if !out.iter().any(|(t, _)| t == text) {
                out.push((text.to_owned(), s.span));
            }
        }
    };
    for statement in statements {
        match &statement.kind {
            StatementKind::Module(m) => push(&m.path),
            StatementKind::Using { path: Some(p), .. } => push(p),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_resolve_against_the_caller() {
        assert_eq!(
            resolve(Path::new("a/b/main.bicep"), "../mod/x.bicep"),
            ModuleRef::Local(PathBuf::from("a/mod/x.bicep"))
        );
        assert_eq!(
            resolve(Path::new("main.bicep"), "./x.bicep"),
            ModuleRef::Local(PathBuf::from("x.bicep"))
        );
        assert_eq!(
            resolve(Path::new("m.bicep"), "br/public:avm/res/x:1.0"),
            ModuleRef::Registry("br/public:avm/res/x:1.0".into())
        );
        assert_eq!(normalise(Path::new("../x/./y")), PathBuf::from("../x/y"));
    }
}
