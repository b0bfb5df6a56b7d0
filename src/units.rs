//! The stage between discovery and ingestion: the discovered files become deployment units
//! (a Terraform root module with its variables, an ARM template with its parameter files,
//! a Bicep root or `.bicepparam`, the export files of one folder, a Terraform plan), and
//! every unit is read by its reader, all formats alike and in parallel.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::discover::Inputs;
use crate::fs::normalise;
use crate::fs::{self, Guard};
use crate::ingest::arm::{self, DeploymentScope};
use crate::ingest::json::JsonDoc;
use crate::ingest::json_inputs::{self, JsonKind};
use crate::ingest::{bicep, snapshot, terraform, Ingested};
use crate::model::line_index;
use crate::model::{FileId, SourceFile, Sources, Unit, UnitId, UnitKind};

/// What one unit's reader needs.
#[derive(Debug)]
enum Work {
    /// The index of a root module in the Terraform workspace, and the plans in its folder
    /// (read first: a plan's values are known where the configuration's may not be).
    Terraform(usize, Vec<(FileId, JsonDoc)>),
    /// A plan file.
    Plan(FileId, JsonDoc),
    /// A template with its parameter values (companion files, then `--parameters`).
    Arm {
        file: FileId,
        scope: DeploymentScope,
        doc: JsonDoc,
        parameters: Vec<arm::parameters::Given>,
    },
    /// A Bicep root file.
    Bicep(PathBuf),
    /// The export files of one folder.
    Export(Vec<(FileId, JsonDoc)>),
}

/// Every input file read and grouped into units, ready for the readers.
#[derive(Debug)]
pub struct Planned {
    /// Every file read.
    pub sources: Sources,
    /// The units, in a stable order; a unit's position is its [`UnitId`].
    pub units: Vec<Unit>,
    /// Problems met reading and grouping.
    pub diagnostics: Vec<Diagnostic>,
    work: Vec<Work>,
    terraform: terraform::Workspace,
    vars: terraform::VarInputs,
    /// Named variables files Terraform does not load by itself (`prod.tfvars`), by the
    /// index of the root module in their folder: applied to that root like `-var-file`.
    named_tfvars: HashMap<usize, Vec<FileId>>,
    bicep: bicep::Workspace,
}

/// Command-line inputs applied to every unit of their format.
#[derive(Clone, Debug, Default)]
pub struct Extra<'a> {
    /// `--var-file` files.
    pub var_files: &'a [PathBuf],
    /// `--var name=value`.
    pub vars: &'a [(String, String)],
    /// `--parameters` files.
    pub parameter_files: &'a [PathBuf],
    /// The paths named on the command line (a named file that fails to parse is an error).
    pub named: &'a [PathBuf],
}

/// Reads the discovered inputs, as far as `guard` allows, and groups them into deployment
/// units.
pub fn plan(inputs: Inputs, extra: &Extra<'_>, guard: &Guard) -> Planned {
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
    let mut read = |paths: Vec<PathBuf>, sources: &mut Sources| {
        read_all(paths, guard, sources, &mut diagnostics)
    };
    let var_files = read(extra.var_files.to_vec(), &mut sources);
    let named_tfvars: Vec<PathBuf> = extra
        .named
        .iter()
        .filter(|p| is_named_var_file(p))
        .cloned()
        .collect();
    let named_tfvars: Vec<FileId> = read(named_tfvars, &mut sources);
    let cli_files = read(extra.parameter_files.to_vec(), &mut sources);
    let json_files = read(with_companions(inputs.json_files), &mut sources);
    let (terraform, problems) =
        terraform::Workspace::load(inputs.terraform_dirs, guard, &mut sources);
    diagnostics.extend(problems);
    let bicep = bicep::workspace::load(&inputs.bicep_files, guard, &mut sources, &mut diagnostics);
    let named_tfvars = by_root(&terraform, named_tfvars, &sources);

    let cli_parameters = json_inputs::cli_parameter_values(&cli_files, &sources, &mut diagnostics);
    let (docs, problems) = json_inputs::parse_all(&json_files, extra.named, &sources);
    diagnostics.extend(problems);
    let (json, mut plans) = json_units(docs, &cli_parameters, &sources);
    let mut planned: Vec<(Unit, Work)> = terraform
        .roots()
        .iter()
        .enumerate()
        .map(|(i, root)| {
            let plans = plans.remove(&normalise(&root.dir)).unwrap_or_default();
            (
                unit(&root.dir, UnitKind::Terraform),
                Work::Terraform(i, plans),
            )
        })
        .collect();
    planned.extend(plans.into_values().flatten().map(|(file, doc)| {
        (
            unit(sources.path(file), UnitKind::TerraformPlan),
            Work::Plan(file, doc),
        )
    }));
    planned.extend(json);
    planned.extend(
        bicep
            .roots
            .iter()
            .map(|root| (unit(root, UnitKind::Bicep), Work::Bicep(root.clone()))),
    );
    planned.sort_by(|(a, _), (b, _)| a.path.cmp(&b.path));
    let (units, work) = planned.into_iter().unzip();
    Planned {
        sources,
        units,
        diagnostics,
        work,
        terraform,
        vars: terraform::VarInputs {
            files: var_files,
            values: extra.vars.to_vec(),
        },
        named_tfvars,
        bicep,
    }
}

/// A named file Terraform would only read as `-var-file`: a `.tfvars(.json)` that is not
/// `terraform.tfvars(.json)` nor `*.auto.tfvars(.json)` (those load anyway).
fn is_named_var_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    path.is_file()
        && terraform::is_tfvars(path)
        && !matches!(name, "terraform.tfvars" | "terraform.tfvars.json")
        && !name.ends_with(".auto.tfvars")
        && !name.ends_with(".auto.tfvars.json")
}

/// Named variables files by the root module of their folder; one in a folder that is no
/// root (a child module, a folder of tfvars alone) applies to nothing.
fn by_root(
    workspace: &terraform::Workspace,
    files: Vec<FileId>,
    sources: &Sources,
) -> HashMap<usize, Vec<FileId>> {
    let mut out: HashMap<usize, Vec<FileId>> = HashMap::new();
    for file in files {
        let folder = sources.path(file).parent().map(key);
        let root = workspace
            .roots()
            .iter()
            .position(|r| Some(key(&r.dir)) == folder);
        if let Some(root) = root {
            out.entry(root).or_default().push(file);
        }
    }
    out
}

/// What a unit's evaluation reads: files, and Terraform module folders.
#[derive(Debug, Default)]
struct Members {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Members {
    /// Whether a file (in [`key`] form) belongs to the unit.
    fn contains(&self, path: &Path) -> bool {
        let terraform = terraform::is_config_file(path) || terraform::is_tfvars(path);
        self.files.iter().any(|f| f == path)
            || (terraform
                && path
                    .parent()
                    .is_some_and(|p| self.folders.iter().any(|f| f == p)))
    }
}

/// The units named paths select, and what the selected units read (worked out once, then
/// asked about every diagnostic).
#[derive(Debug)]
pub struct Selection {
    /// By unit position: whether the unit is selected.
    pub chosen: Vec<bool>,
    /// The named paths, in [`key`] form.
    named: Vec<PathBuf>,
    /// What each selected unit reads.
    members: Vec<Members>,
}

impl Selection {
    /// Whether a diagnostic's file belongs to one of the selected units (or was named).
    pub fn concerns(&self, path: &Path) -> bool {
        let path = key(path);
        self.named.contains(&path) || self.members.iter().any(|m| m.contains(&path))
    }
}

impl Planned {
    /// The units the named paths belong to: a folder selects the units under it; a
    /// Terraform file or tfvars file the roots whose evaluation reads its folder (the
    /// module's own root and every root calling it, transitively); an ARM template or
    /// parameter file its template; a Bicep file every root or `.bicepparam` reaching it;
    /// a plan or export file its unit.
    pub fn select(&self, named: &[PathBuf]) -> Selection {
        let named: Vec<(PathBuf, bool)> = named.iter().map(|p| (key(p), p.is_dir())).collect();
        let mut chosen = Vec::with_capacity(self.units.len());
        let mut members = Vec::new();
        for (work, unit) in self.work.iter().zip(&self.units) {
            let reads = self.members(work);
            let selected = named.iter().any(|(n, dir)| {
                if *dir {
                    key(&unit.path).starts_with(n)
                } else {
                    reads.contains(n)
                }
            });
            chosen.push(selected);
            if selected {
                members.push(reads);
            }
        }
        Selection {
            chosen,
            named: named.into_iter().map(|(n, _)| n).collect(),
            members,
        }
    }

    fn members(&self, work: &Work) -> Members {
        let file = |f: &FileId| key(self.sources.path(*f));
        match work {
            Work::Terraform(i, plans) => Members {
                files: plans.iter().map(|(f, _)| file(f)).collect(),
                folders: self.terraform.roots()[*i]
                    .reaches
                    .iter()
                    .map(|d| key(d))
                    .collect(),
            },
            Work::Plan(f, _) => Members {
                files: vec![file(f)],
                folders: Vec::new(),
            },
            Work::Arm { file: f, .. } => {
                let path = self.sources.path(*f);
                let mut files = vec![key(path)];
                files.extend(arm::parameters::companions(path).iter().map(|c| key(c)));
                Members {
                    files,
                    folders: Vec::new(),
                }
            }
            Work::Bicep(root) => Members {
                files: self.bicep.reached(root).iter().map(|f| key(f)).collect(),
                folders: Vec::new(),
            },
            Work::Export(files) => Members {
                files: files.iter().map(|(f, _)| file(f)).collect(),
                folders: Vec::new(),
            },
        }
    }
}

/// A path in the one form named paths and unit members are compared in.
fn key(path: &Path) -> PathBuf {
    path.canonicalize()
        .unwrap_or_else(|_| normalise(&std::env::current_dir().unwrap_or_default().join(path)))
}

fn unit(path: &Path, kind: UnitKind) -> Unit {
    Unit {
        path: path.to_path_buf(),
        kind,
    }
}

/// Plans by folder; a plan joins the Terraform root module of its folder.
type Plans = BTreeMap<PathBuf, Vec<(FileId, JsonDoc)>>;

/// Templates (with their parameter files) and exports grouped by folder as units, and the
/// plans by folder.
fn json_units(
    docs: Vec<(FileId, JsonDoc)>,
    cli_parameters: &[arm::parameters::Given],
    sources: &Sources,
) -> (Vec<(Unit, Work)>, Plans) {
    let mut plans = Plans::new();
    let mut parameter_files: HashMap<PathBuf, Vec<arm::parameters::Given>> = HashMap::new();
    let mut templates = Vec::new();
    let mut exports: BTreeMap<PathBuf, Vec<(FileId, JsonDoc)>> = BTreeMap::new();
    let mut out = Vec::new();
    for (file, doc) in docs {
        let path = sources.path(file);
        match json_inputs::recognise(&doc) {
            JsonKind::Template(scope) => templates.push((file, scope, doc)),
            JsonKind::Parameters => {
                let values = arm::parameters::values(&doc).unwrap_or_default();
                parameter_files.insert(path.to_path_buf(), values);
            }
            _ if terraform::is_plan(&doc.value) => {
                let folder = path.parent().map_or_else(PathBuf::new, normalise);
                plans.entry(folder).or_default().push((file, doc));
            }
            JsonKind::Export => {
                let folder = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
                exports.entry(folder).or_default().push((file, doc));
            }
            JsonKind::Other => {}
        }
    }
    for (file, scope, doc) in templates {
        let path = sources.path(file);
        let mut parameters: Vec<arm::parameters::Given> = arm::parameters::companions(path)
            .iter()
            .filter_map(|p| parameter_files.get(p))
            .flatten()
            .cloned()
            .collect();
        parameters.extend(cli_parameters.iter().cloned());
        out.push((
            unit(path, UnitKind::Arm),
            Work::Arm {
                file,
                scope,
                doc,
                parameters,
            },
        ));
    }
    out.extend(
        exports
            .into_iter()
            .map(|(folder, files)| (unit(&folder, UnitKind::Export), Work::Export(files))),
    );
    (out, plans)
}

/// Reads every unit (or, with `selected`, the selected ones, by position) with its reader,
/// in parallel; each resource gets its unit.
pub fn ingest(planned: &Planned, selected: Option<&[bool]>) -> Ingested {
    let results: Vec<Ingested> = planned
        .work
        .par_iter()
        .enumerate()
        .filter(|(i, _)| selected.is_none_or(|s| s.get(*i) == Some(&true)))
        .map(|(i, work)| {
            let mut result = ingest_unit(planned, work);
            let unit = UnitId(u32::try_from(i).unwrap_or(u32::MAX));
            for r in &mut result.resources {
                r.unit = unit;
            }
            result
        })
        .collect();
    let mut all = Ingested::default();
    for result in results {
        all.resources.extend(result.resources);
        all.diagnostics.extend(result.diagnostics);
        all.unknown_reasons.extend(result.unknown_reasons);
        for (kind, n) in result.unmapped {
            *all.unmapped.entry(kind).or_default() += n;
        }
    }
    all
}

fn ingest_unit(planned: &Planned, work: &Work) -> Ingested {
    let sources = &planned.sources;
    let (resources, diagnostics) = match work {
        Work::Terraform(i, plans) => {
            let mut all = Ingested::default();
            for (file, doc) in plans {
                let (r, d) = terraform::ingest_plan(doc, *file, sources);
                all.resources.extend(r);
                all.diagnostics.extend(d);
            }
            let root = &planned.terraform.roots()[*i];
            // A named `prod.tfvars` comes first among the var files, as `-var-file` would.
            let with_named;
            let vars = match planned.named_tfvars.get(i) {
                Some(named) => {
                    with_named = terraform::VarInputs {
                        files: named.iter().chain(&planned.vars.files).copied().collect(),
                        values: planned.vars.values.clone(),
                    };
                    &with_named
                }
                None => &planned.vars,
            };
            let result = terraform::ingest(&planned.terraform, root, vars, sources);
            all.resources.extend(result.resources);
            all.diagnostics.extend(result.diagnostics);
            all.unknown_reasons = result.unknown_reasons;
            all.unmapped = result.unmapped;
            return all;
        }
        Work::Plan(file, doc) => terraform::ingest_plan(doc, *file, sources),
        Work::Arm {
            file,
            scope,
            doc,
            parameters,
        } => arm::ingest(doc, *file, *scope, parameters.clone(), sources),
        Work::Bicep(root) => bicep::lower_file(&planned.bicep, root),
        Work::Export(files) => {
            let read: Vec<_> = files
                .par_iter()
                .map(|(file, doc)| snapshot::ingest(doc, *file, sources))
                .collect();
            let mut resources = Vec::new();
            let mut diagnostics = Vec::new();
            for (r, d) in read {
                resources.extend(r);
                diagnostics.extend(d);
            }
            (resources, diagnostics)
        }
    };
    Ingested {
        resources,
        diagnostics,
        ..Ingested::default()
    }
}

/// JSON files larger than this are not held in memory but read by ranges (a tenant's
/// export runs to gigabytes); `MOAT_BIG_JSON_BYTES` sets another bound (tests do).
const BIG_JSON_BYTES: u64 = 32 * 1024 * 1024;

fn big_json_bytes() -> u64 {
    std::env::var("MOAT_BIG_JSON_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(BIG_JSON_BYTES)
}

/// Reads files (in parallel, through the guard) into `sources`, indexing their lines;
/// unreadable or refused ones become diagnostics.
fn read_all(
    paths: Vec<PathBuf>,
    guard: &Guard,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<FileId> {
    let big = big_json_bytes();
    let files: Vec<_> = paths
        .into_par_iter()
        .map(|path| {
            let mut index = line_index::Builder::default();
            let read = guard.read_source(&path, big, |chunk| index.push(chunk.as_bytes()));
            match read {
                Ok(fs::Source::Text(text)) => Ok(SourceFile::new(path, text)),
                Ok(fs::Source::Big(file)) => Ok(SourceFile::big(path, file, index.finish())),
                Err(why) => Err((path, why)),
            }
        })
        .collect();
    files
        .into_iter()
        .filter_map(|file| match file {
            Ok(file) => Some(sources.push(file)),
            Err((path, why)) => {
                diagnostics.push(fs::refused(path, None, &why));
                None
            }
        })
        .collect()
}

/// The JSON files, plus the ARM parameter files beside them that were not among them
/// (a template given by itself still gets its `<name>.parameters.json`; one that may
/// not be read is reported when reading it is refused).
fn with_companions(mut files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut known: HashSet<PathBuf> = files.iter().cloned().collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::discover;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn every_deployment_is_one_unit_and_exports_group_by_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| write(root, rel, text);
        let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}"#;
        let export = r#"[{"id": "/subscriptions/1f2e3d4c-0000-4000-8000-123456789abc/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v", "type": "Microsoft.Network/virtualNetworks", "name": "v"}]"#;
        write("tf/main.tf", "");
        write("arm/a.json", template);
        write("arm/b.json", template);
        write("bicep/main.bicep", "");
        write("export/one.json", export);
        write("export/two.json", export);
        write(
            "plan/plan.json",
            r#"{"format_version": "1.2", "planned_values": {}}"#,
        );
        let guard = Guard::new(root, &[]);
        let planned = plan(
            discover(&[root.to_path_buf()], &guard),
            &Extra::default(),
            &guard,
        );
        let units: Vec<(String, UnitKind)> = planned
            .units
            .iter()
            .map(|u| {
                let rel = u.path.strip_prefix(root).unwrap_or(&u.path);
                (rel.display().to_string(), u.kind)
            })
            .collect();
        assert_eq!(
            units,
            vec![
                ("arm/a.json".to_owned(), UnitKind::Arm),
                ("arm/b.json".to_owned(), UnitKind::Arm),
                ("bicep/main.bicep".to_owned(), UnitKind::Bicep),
                ("export".to_owned(), UnitKind::Export),
                ("plan/plan.json".to_owned(), UnitKind::TerraformPlan),
                ("tf".to_owned(), UnitKind::Terraform),
            ]
        );
        let ingested = ingest(&planned, None);
        assert_eq!(ingested.resources.len(), 2, "one export record per file");
        assert!(ingested.resources.iter().all(|r| r.unit == UnitId(3)));
    }

    #[test]
    fn named_files_select_the_units_reading_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| write(root, rel, text);
        write("mod/main.tf", "variable \"x\" {}\n");
        write("a/main.tf", "module \"m\" {\n  source = \"../mod\"\n}\n");
        write("b/main.tf", "module \"m\" {\n  source = \"../a\"\n}\n");
        write("c/main.tf", "");
        write("c/prod.tfvars", "");
        write(
            "bicep/main.bicep",
            "module m 'lib/m.bicep' = {\n  name: 'm'\n}\n",
        );
        write("bicep/lib/m.bicep", "");
        let guard = Guard::new(root, &[]);
        let planned = plan(
            discover(&[root.to_path_buf()], &guard),
            &Extra::default(),
            &guard,
        );
        let chosen = |named: &str| -> Vec<String> {
            let selected = planned.select(&[root.join(named)]).chosen;
            planned
                .units
                .iter()
                .zip(selected)
                .filter(|(_, s)| *s)
                .map(|(u, _)| u.path.strip_prefix(root).unwrap().display().to_string())
                .collect()
        };
        assert_eq!(chosen("mod/main.tf"), ["b"], "called through a, by b");
        assert_eq!(chosen("c/prod.tfvars"), ["c"]);
        assert_eq!(chosen("bicep/lib/m.bicep"), ["bicep/main.bicep"]);
        assert_eq!(
            chosen("bicep"),
            ["bicep/main.bicep"],
            "a folder: units under it"
        );
        assert!(chosen("README.md").is_empty());
    }
}
