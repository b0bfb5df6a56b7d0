//! The pipeline end to end: discover → units → ingest → graph → rules.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::discover::discover;
use crate::engine::{self, Rule, Verdicts};
use crate::eval::value::UNKNOWN_MARKER;
use crate::fs::{self, Guard};
use crate::ingest::bicep::workspace::normalise;
use crate::ingest::terraform;
use crate::model::{Graph, Sources, Span, Unit, UnitId};
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
}

impl Loaded {
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
    /// When files were named, the files findings are kept to.
    focus: Option<Vec<PathBuf>>,
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
    let ingested = units::ingest(&planned);
    let units::Planned {
        sources,
        units,
        mut diagnostics,
        ..
    } = planned;
    diagnostics.extend(ingested.diagnostics);
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
        },
        focus,
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

/// A `.tf` file named on the command line (a pre-commit hook passes the changed files)
/// brings its sibling `.tf` files, so the module is evaluated whole; a `.tfvars` file
/// brings its folder. Returns the paths to walk and, when files were named, the focus.
fn expand_file_arguments(paths: &[PathBuf], guard: &Guard) -> (Vec<PathBuf>, Option<Vec<PathBuf>>) {
    let mut walk = Vec::new();
    let mut focus = Vec::new();
    let mut any_file = false;
    for path in paths {
        let is_tf = terraform::is_config_file(path);
        if !(path.is_file() && (is_tf || terraform::is_tfvars(path))) {
            walk.push(path.clone());
            focus.push(path.clone());
            continue;
        }
        any_file = true;
        let dir = path.parent().map_or_else(
            || PathBuf::from("."),
            |p| {
                if p.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    p.to_path_buf()
                }
            },
        );
        let siblings = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| terraform::is_config_file(p) && guard.is_file(p))
            .map(|p| p.strip_prefix("./").map(PathBuf::from).unwrap_or(p));
        walk.extend(siblings);
        focus.push(if is_tf { path.clone() } else { dir });
    }
    walk.sort();
    walk.dedup();
    (walk, any_file.then_some(focus))
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
        loaded,
        focus,
        unknown_reasons,
    } = read(options);
    let mut verdicts = engine::check(&loaded.graph, rules);
    for undecided in &mut verdicts.undecided {
        if let Some(why) = unknown_reasons.get(&undecided.span) {
            undecided.reason = format!("{}: {why}", undecided.reason);
        }
    }
    if let Some(focus) = &focus {
        let in_focus = |span: &crate::model::Span| {
            let path = loaded.sources.path(span.file);
            focus.iter().any(|f| path.starts_with(f))
        };
        verdicts.findings.retain(|f| in_focus(&f.span));
        verdicts.undecided.retain(|u| in_focus(&u.span));
    }
    Scan {
        loaded,
        verdicts,
        suppressed: Vec::new(),
        baseline: None,
    }
}
