//! The pipeline end to end: discover → read → ingest → graph → rules.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::discover::discover;
use crate::engine::{self, Rule, Verdicts};
use crate::fs::{self, Guard};
use crate::ingest::{arm, bicep, json_inputs, terraform};
use crate::model::{FileId, Graph, Sources, Span};

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
    /// `--root`: the folder reads may not leave (default: the git work tree holding the
    /// paths, else the paths themselves).
    pub root: Option<PathBuf>,
}

/// Everything read: the files, the model, and the problems met on the way.
#[derive(Debug)]
pub struct Loaded {
    /// Every file read.
    pub sources: Sources,
    /// The resource graph.
    pub graph: Graph,
    /// Inputs that could not be read or parsed, modules not followed.
    pub diagnostics: Vec<Diagnostic>,
    /// When single files were named, findings outside them are not reported (their
    /// folders are still read, since a module is evaluated whole).
    pub focus: Option<Vec<PathBuf>>,
    /// Why values are unknown, by the span of the attribute holding them.
    pub unknown_reasons: HashMap<Span, String>,
    /// Terraform resource types moat does not map → how many resources were not checked.
    /// ARM, Bicep and exports keep every type in ARM shape, so they add nothing here.
    pub unmapped: BTreeMap<String, usize>,
}

/// A scan's result.
#[derive(Debug)]
pub struct Scan {
    /// What was read.
    pub loaded: Loaded,
    /// What the rules found.
    pub verdicts: Verdicts,
}

/// Reads every input under the paths into one resource graph.
pub fn load(options: &LoadOptions) -> Loaded {
    let guard = guard(options);
    let (walk, focus) = if options.isolate_files {
        (options.paths.clone(), None)
    } else {
        expand_file_arguments(&options.paths, &guard)
    };
    let inputs = discover(&walk, &guard);
    let mut sources = Sources::default();
    let mut diagnostics: Vec<Diagnostic> = inputs
        .unreadable
        .iter()
        .map(|(path, why)| Diagnostic::error(path.clone(), None, why.clone()))
        .chain(
            inputs
                .skipped
                .iter()
                .map(|(path, why)| Diagnostic::warning(path.clone(), None, why.clone())),
        )
        .collect();
    if let Some(root) = options.root.as_ref().filter(|r| !r.is_dir()) {
        diagnostics.push(Diagnostic::error(root, None, "--root is not a folder"));
    }

    let mut read_all = |paths: Vec<PathBuf>, sources: &mut Sources| -> Vec<FileId> {
        let texts: Vec<_> = paths
            .into_par_iter()
            .map(|p| {
                let text = guard.read_text(&p);
                (p, text)
            })
            .collect();
        texts
            .into_iter()
            .filter_map(|(path, text)| match text {
                Ok(text) => Some(sources.add(path, text)),
                Err(why) => {
                    diagnostics.push(fs::refused(path, None, &why));
                    None
                }
            })
            .collect()
    };

    let var_files = read_all(options.var_files.clone(), &mut sources);
    let cli_parameters = read_all(options.parameter_files.clone(), &mut sources);
    let json_files = read_all(with_companions(inputs.json_files), &mut sources);
    let (workspace, problems) =
        terraform::Workspace::load(inputs.terraform_dirs, &guard, &mut sources);
    diagnostics.extend(problems);
    let var_inputs = terraform::VarInputs {
        files: var_files,
        values: options.vars.clone(),
    };
    let (results, (mut resources, json_diagnostics)) = rayon::join(
        || {
            workspace
                .roots()
                .par_iter()
                .map(|root| terraform::ingest(&workspace, root, &var_inputs, &sources))
                .collect::<Vec<terraform::Ingested>>()
        },
        || json_inputs::ingest(&json_files, &cli_parameters, &options.paths, &sources),
    );
    diagnostics.extend(json_diagnostics);
    let mut unknown_reasons = HashMap::new();
    let mut unmapped = BTreeMap::new();
    for result in results {
        resources.extend(result.resources);
        diagnostics.extend(result.diagnostics);
        unknown_reasons.extend(result.unknown_reasons);
        for (kind, n) in result.unmapped {
            *unmapped.entry(kind).or_default() += n;
        }
    }

    // Bicep: the discovered files and the local modules they reach.
    let bicep_workspace =
        bicep::workspace::load(&inputs.bicep_files, &guard, &mut sources, &mut diagnostics);
    let (bicep_resources, bicep_diagnostics) = bicep::ingest(&bicep_workspace);
    resources.extend(bicep_resources);
    diagnostics.extend(bicep_diagnostics);

    Loaded {
        sources,
        graph: Graph::new(resources),
        diagnostics,
        focus,
        unknown_reasons,
        unmapped,
    }
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

/// The JSON files, plus the ARM parameter files beside them that were not among them
/// (a template given by itself still gets its `<name>.parameters.json`; one that may
/// not be read is reported when reading it is refused).
fn with_companions(mut files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut known: std::collections::HashSet<PathBuf> = files.iter().cloned().collect();
    let companions: Vec<PathBuf> = files
        .iter()
        .flat_map(|f| arm::parameters::companions(f))
        .collect();
    for c in companions {
        if !known.contains(&c) && c.symlink_metadata().is_ok() {
            known.insert(c.clone());
            files.push(c);
        }
    }
    files
}

/// Reads the inputs and checks them against the rules.
pub fn scan(options: &LoadOptions, rules: &[Rule]) -> Scan {
    let loaded = load(options);
    let mut verdicts = engine::check(&loaded.graph, rules);
    for undecided in &mut verdicts.undecided {
        if let Some(why) = loaded.unknown_reasons.get(&undecided.span) {
            undecided.reason = format!("{}: {why}", undecided.reason);
        }
    }
    if let Some(focus) = &loaded.focus {
        let in_focus = |span: &crate::model::Span| {
            let path = loaded.sources.path(span.file);
            focus.iter().any(|f| path.starts_with(f))
        };
        verdicts.findings.retain(|f| in_focus(&f.span));
        verdicts.undecided.retain(|u| in_focus(&u.span));
    }
    Scan { loaded, verdicts }
}
