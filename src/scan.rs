//! The pipeline end to end: discover → units → ingest → graph → rules.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::discover::discover;
use crate::engine::{self, Rule, Verdicts};
use crate::eval::value::UNKNOWN_MARKER;
use crate::fs::normalise;
use crate::fs::{self, Guard};
use crate::model::{FileId, Graph, Sources, Span, Unit, UnitId};
use crate::units;

/// What to read.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Files and folders to scan.
    pub paths: Vec<PathBuf>,
    /// `--var-file` files.
    pub var_files: Vec<PathBuf>,
    /// `--var name=value`.
    pub vars: Vec<(String, String)>,
    /// Read named `.tf` files alone, without the other files of their folder. The rule
    /// fixtures are single-file deployments side by side; real modules are read whole.
    pub isolate_files: bool,
    /// `--parameters` ARM parameter files.
    pub parameter_files: Vec<PathBuf>,
    /// `--root`: the folder reads may not leave, and that unit paths (and so fingerprints)
    /// are relative to (default: the git work tree holding the paths, else the paths
    /// themselves).
    pub root: Option<PathBuf>,
}

/// Everything read: the files, the deployment units, the model, and the problems met on
/// the way.
#[derive(Debug)]
pub struct Loaded {
    /// Every file read.
    pub sources: Sources,
    /// The deployment units; a resource's `unit` indexes this table.
    pub units: Vec<Unit>,
    /// The resource graph.
    pub graph: Graph,
    /// Inputs that could not be read or parsed, modules not followed, duplicate ids.
    pub diagnostics: Vec<Diagnostic>,
    /// The absolute folder unit paths are shown relative to: the scan root.
    pub base: PathBuf,
    /// Terraform resource types moat does not map → how many resources were not checked.
    /// ARM, Bicep and exports keep every type in ARM shape, so they add nothing here.
    pub unmapped: BTreeMap<String, usize>,
    /// When files were named (pre-commit), the files of the units they select: the others
    /// were read only to find those units, and are nobody's concern (their suppressions
    /// included). `None`: every file read is in scope.
    pub in_scope: Option<BTreeSet<FileId>>,
}

impl Loaded {
    /// How many files the scan is about: those read, or with named files those of the units
    /// they select.
    pub fn file_count(&self) -> usize {
        match &self.in_scope {
            Some(files) => files.len(),
            None => self.sources.iter().count(),
        }
    }

    /// Whether problems in `file` concern this scan (see [`Loaded::in_scope`]).
    pub fn concerns(&self, file: FileId) -> bool {
        self.in_scope
            .as_ref()
            .is_none_or(|files| files.contains(&file))
    }

    /// A unit's path relative to the scan root, with `/` separators: the same on every
    /// machine and run.
    pub fn unit_path(&self, unit: UnitId) -> String {
        let Some(u) = self.units.get(unit.index()) else {
            return String::new();
        };
        let absolute = normalise(&self.base.join(&u.path));
        let relative = absolute.strip_prefix(&self.base).unwrap_or(&absolute);
        let shown = relative.to_string_lossy().replace('\\', "/");
        if shown.is_empty() {
            ".".to_owned()
        } else {
            shown
        }
    }
}

/// A scan's result.
#[derive(Debug)]
pub struct Scan {
    /// What was read.
    pub loaded: Loaded,
    /// What the rules found and the gate counts (suppressed findings moved out).
    pub verdicts: Verdicts,
    /// Findings kept out of the gate by an inline suppression or a baseline.
    pub suppressed: Vec<crate::suppress::Suppressed>,
    /// With a baseline: how many findings it matched and how many of its entries are fixed.
    pub baseline: Option<crate::baseline::Counts>,
}

/// Reads every input under the paths into one resource graph of deployment units.
pub fn load(options: &LoadOptions) -> Loaded {
    read(options).loaded
}

/// What [`scan`] needs beyond what was read.
struct Read {
    loaded: Loaded,
    /// Why values are unknown, by the span of the attribute holding them.
    unknown_reasons: HashMap<Span, String>,
}

fn read(options: &LoadOptions) -> Read {
    let guard = guard(options);
    let (walk, focus) = if options.isolate_files {
        (options.paths.clone(), None)
    } else {
        expand_file_arguments(&options.paths, &guard)
    };
    let mut planned = units::plan(
        discover(&walk, &guard),
        &units::Extra {
            var_files: &options.var_files,
            vars: &options.vars,
            parameter_files: &options.parameter_files,
            named: &options.paths,
        },
        &guard,
    );
    if let Some(root) = options.root.as_ref().filter(|r| !r.is_dir()) {
        planned
            .diagnostics
            .push(Diagnostic::error(root, None, "--root is not a folder"));
    }
    // Named files select the units they belong to: only those are read, every resource of
    // theirs wherever it is declared, and problems in files no selected unit reads are not
    // the named files' concern.
    let selection = focus.as_ref().map(|named| planned.select(named));
    let chosen = selection.as_ref().map(|s| s.chosen.as_slice());
    let mut ingested = units::ingest(&planned, chosen);
    planned.diagnostics.append(&mut ingested.diagnostics);
    if let Some(selection) = &selection {
        planned.diagnostics.retain(|d| selection.concerns(&d.path));
    }
    let units::Planned {
        sources,
        units,
        mut diagnostics,
        ..
    } = planned;
    let in_scope = selection.as_ref().map(|selection| {
        sources
            .iter()
            .filter(|(_, f)| selection.concerns(&f.path))
            .map(|(id, _)| id)
            .collect()
    });
    let graph = Graph::new(ingested.resources);
    diagnostics.extend(duplicate_warnings(&graph, &sources));
    let cwd = std::env::current_dir().unwrap_or_default();
    let base = normalise(&cwd.join(guard.root().unwrap_or(Path::new(""))));
    Read {
        loaded: Loaded {
            sources,
            units,
            graph,
            diagnostics,
            base,
            unmapped: ingested.unmapped,
            in_scope,
        },
        unknown_reasons: ingested.unknown_reasons,
    }
}

/// One warning per id declared twice in one unit, naming both declarations. Ids with an
/// anonymous unknown part say nothing about whether two declarations collide: no warning.
fn duplicate_warnings<'a>(
    graph: &'a Graph,
    sources: &'a Sources,
) -> impl Iterator<Item = Diagnostic> + 'a {
    let at = |span: Span| {
        let file = sources.get(span.file);
        format!(
            "{}:{}",
            crate::report::display_path(&file.path),
            file.line_col(span.start).line
        )
    };
    graph
        .duplicates()
        .iter()
        .map(|d| (graph.get(d.first), graph.get(d.second)))
        .filter(|(first, _)| !first.id.contains(UNKNOWN_MARKER))
        .map(move |(first, second)| {
            Diagnostic::warning(
                sources.path(second.origin.span.file),
                Some(second.origin.span),
                format!(
                    "{} '{}' is declared twice in one deployment, as {} at {} and as {} at {}; \
                     both are checked",
                    second.kind,
                    second.name,
                    first.origin.address,
                    at(first.origin.span),
                    second.origin.address,
                    at(second.origin.span)
                ),
            )
        })
}

/// When files are named on the command line (a pre-commit hook passes the changed files),
/// the whole scan root is read, so that every root module calling a changed module folder
/// is found; the named paths then select the units they belong to. Returns the paths to
/// walk and, when files were named, the paths that select.
fn expand_file_arguments(paths: &[PathBuf], guard: &Guard) -> (Vec<PathBuf>, Option<Vec<PathBuf>>) {
    if !paths.iter().any(|p| p.is_file()) {
        return (paths.to_vec(), None);
    }
    let Some(root) = guard.root() else {
        return (paths.to_vec(), Some(paths.to_vec()));
    };
    // Walked in the spelling the named files use, so that a named file is met as itself.
    let cwd = std::env::current_dir().unwrap_or_default();
    let walk = match root.strip_prefix(cwd.canonicalize().unwrap_or(cwd)) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => root.to_path_buf(),
    };
    (vec![walk], Some(paths.to_vec()))
}

/// The guard of a scan: its root, and the files named on the command line.
fn guard(options: &LoadOptions) -> Guard {
    let root = options
        .root
        .clone()
        .unwrap_or_else(|| fs::scan_root(&options.paths));
    let named: Vec<PathBuf> = options
        .paths
        .iter()
        .filter(|p| !p.is_dir())
        .chain(&options.var_files)
        .chain(&options.parameter_files)
        .cloned()
        .collect();
    Guard::new(&root, &named)
}

/// Reads the inputs and checks them against the rules.
pub fn scan(options: &LoadOptions, rules: &[Rule]) -> Scan {
    let Read {
        mut loaded,
        unknown_reasons,
    } = read(options);
    let mut verdicts = engine::check(&loaded.graph, rules);
    crate::redact::secrets(
        &mut loaded.sources,
        &loaded.graph,
        &verdicts.findings,
        rules,
    );
    for undecided in &mut verdicts.undecided {
        if let Some(why) = unknown_reasons.get(&undecided.span) {
            undecided.reason = format!("{}: {why}", undecided.reason);
        }
    }
    Scan {
        loaded,
        verdicts,
        suppressed: Vec::new(),
        baseline: None,
    }
}
