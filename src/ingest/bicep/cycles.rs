//! Cycles of Bicep module calls (a file calling itself, or files calling each other).
//!
//! Bicep refuses them; moat reports each call on a cycle as an error at the call, naming
//! the call that leads back, does not follow it, and still evaluates a file that only a
//! cycle reaches as a root, so that none of its resources disappears unseen.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::model::{Sources, Span};

/// One local module call: the calling file, where the call is, and the file called.
#[derive(Clone, Debug)]
pub struct Call {
    /// The calling file (normalised).
    pub from: PathBuf,
    /// The module path in the call.
    pub at: Span,
    /// The called file (normalised).
    pub to: PathBuf,
}

/// The calls that close a cycle, by (caller, callee).
pub type Cyclic = HashSet<(PathBuf, PathBuf)>;

/// The calls on a cycle, and an error for each, naming the call that leads back.
pub fn find(calls: &[Call], sources: &Sources) -> (Cyclic, Vec<Diagnostic>) {
    let mut next: HashMap<&Path, Vec<&Call>> = HashMap::new();
    for call in calls {
        next.entry(call.from.as_path()).or_default().push(call);
    }
    let mut cyclic = Cyclic::new();
    let mut diagnostics = Vec::new();
    for call in calls {
        let Some(back) = path_back(&next, &call.to, &call.from) else {
            continue;
        };
        if !cyclic.insert((call.from.clone(), call.to.clone())) {
            continue;
        }
        let message = match back.first() {
            None => format!(
                "module '{}' is this file itself: a module cycle; the call is not followed",
                call.to.display()
            ),
            Some(first) => format!(
                "module cycle: '{}' calls back into this file ({} calls '{}'); the call is not followed",
                call.to.display(),
                location(sources, first.at),
                first.to.display()
            ),
        };
        diagnostics.push(Diagnostic::error(call.from.clone(), Some(call.at), message));
    }
    (cyclic, diagnostics)
}

/// The calls from `start` that lead to `goal` by the shortest way (empty when they are the
/// same file), or `None` when none does. Breadth first, with a work list.
fn path_back<'c>(
    next: &HashMap<&Path, Vec<&'c Call>>,
    start: &Path,
    goal: &Path,
) -> Option<Vec<&'c Call>> {
    if start == goal {
        return Some(Vec::new());
    }
    let mut came_by: HashMap<&Path, &'c Call> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut seen: BTreeSet<&Path> = BTreeSet::from([start]);
    while let Some(file) = queue.pop_front() {
        for call in next.get(file).into_iter().flatten() {
            if !seen.insert(call.to.as_path()) {
                continue;
            }
            came_by.insert(call.to.as_path(), call);
            if call.to == goal {
                let mut path = vec![*call];
                let mut at = call.from.as_path();
                while at != start {
                    let step = came_by[at];
                    path.push(step);
                    at = step.from.as_path();
                }
                path.reverse();
                return Some(path);
            }
            queue.push_back(call.to.as_path());
        }
    }
    None
}

/// `path:line:column` of a span, for messages.
fn location(sources: &Sources, span: Span) -> String {
    let file = sources.get(span.file);
    let at = file.line_col(span.start);
    format!(
        "{}:{}:{}",
        sources.path(span.file).display(),
        at.line,
        at.column
    )
}

/// The roots: `roots` first, then, in order, each of `files` that no root reaches (only a
/// cycle of calls does), so every file is evaluated once, through a root.
pub fn with_unreached(
    mut roots: Vec<PathBuf>,
    files: &[PathBuf],
    calls: &[Call],
    cyclic: &Cyclic,
) -> Vec<PathBuf> {
    let mut next: HashMap<&Path, Vec<&Path>> = HashMap::new();
    for call in calls {
        if !cyclic.contains(&(call.from.clone(), call.to.clone())) {
            next.entry(call.from.as_path())
                .or_default()
                .push(call.to.as_path());
        }
    }
    let mut reached: HashSet<PathBuf> = HashSet::new();
    let reach = |from: &Path, reached: &mut HashSet<PathBuf>| {
        let mut stack = vec![from.to_path_buf()];
        while let Some(file) = stack.pop() {
            if reached.insert(file.clone()) {
                for to in next.get(file.as_path()).into_iter().flatten() {
                    stack.push(to.to_path_buf());
                }
            }
        }
    };
    for root in &roots {
        reach(root, &mut reached);
    }
    for file in files {
        if !reached.contains(file) {
            reach(file, &mut reached);
            roots.push(file.clone());
        }
    }
    roots
}
