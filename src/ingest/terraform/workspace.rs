//! Every Terraform folder of a scan, read and parsed once: the folders discovery found,
//! plus the modules they call (local paths, and what `terraform init` downloaded). Decides
//! which folders are root modules: a folder that another scanned folder calls as a module
//! is evaluated through that call, with the arguments passed, and not on its own with
//! its defaults.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::config::{ModuleCall, ModuleConfig};
use super::json_syntax::SpanMap;
use super::module_source::{resolve, Manifest, Resolved};
use super::{parse, tfvars, RootModule};
use crate::diagnostic::Diagnostic;
use crate::fs::{self, Guard, Refusal};
use crate::model::{FileId, Sources, Span};

/// Module calls nested deeper than this are not followed.
pub const MAX_MODULE_DEPTH: usize = 32;
/// How many module calls one walk of a root's tree may visit.
const MAX_CALLS_PER_ROOT: usize = 20_000;

/// The parsed Terraform folders of a scan and its root modules.
#[derive(Debug)]
pub struct Workspace {
    /// Decides every file read, `file()` and friends included.
    pub guard: Guard,
    configs: HashMap<PathBuf, ModuleConfig>,
    manifests: HashMap<PathBuf, Manifest>,
    roots: Vec<RootModule>,
    /// `.tf.json` files → where the spans of their native translation come from.
    span_maps: HashMap<FileId, SpanMap>,
}

impl Workspace {
    /// Reads and parses the discovered folders (folder → its `.tf` files) and every local
    /// or downloaded module they call, as far as `guard` allows; files go into `sources`.
    pub fn load(
        dirs: BTreeMap<PathBuf, Vec<PathBuf>>,
        guard: &Guard,
        sources: &mut Sources,
    ) -> (Workspace, Vec<Diagnostic>) {
        let mut loader = Loader {
            workspace: Workspace {
                guard: guard.clone(),
                configs: HashMap::new(),
                manifests: HashMap::new(),
                roots: Vec::new(),
                span_maps: HashMap::new(),
            },
            sources,
            diagnostics: Vec::new(),
            reported: HashSet::new(),
        };
        let discovered: Vec<PathBuf> = dirs.keys().map(|d| fs::normalise(d)).collect();
        loader.read_dirs(
            dirs.into_iter()
                .map(|(dir, files)| (fs::normalise(&dir), files))
                .collect(),
        );
        for dir in &discovered {
            let manifest = Manifest::read(dir, guard).unwrap_or_else(|d| {
                loader.diagnostics.push(d);
                Manifest::default()
            });
            loader.workspace.manifests.insert(dir.clone(), manifest);
        }
        let mut called = BTreeSet::new();
        for dir in &discovered {
            loader.walk(dir, false, &mut |callee| {
                called.insert(callee.to_path_buf());
            });
        }
        let mut roots: Vec<PathBuf> = discovered
            .iter()
            .filter(|d| !called.contains(*d))
            .cloned()
            .collect();
        let mut reached: BTreeSet<PathBuf> = roots.iter().cloned().collect();
        let mut reaches: HashMap<PathBuf, BTreeSet<PathBuf>> = HashMap::new();
        for root in &roots {
            let mut mine = BTreeSet::from([root.clone()]);
            loader.walk(root, true, &mut |callee| {
                mine.insert(callee.to_path_buf());
            });
            reached.extend(mine.iter().cloned());
            reaches.insert(root.clone(), mine);
        }
        // Folders only reachable through a cycle of calls are still read, as roots.
        let cyclic: Vec<PathBuf> = discovered
            .iter()
            .filter(|d| !reached.contains(*d))
            .cloned()
            .collect();
        for root in &cyclic {
            let mut mine = BTreeSet::from([root.clone()]);
            loader.walk(root, true, &mut |callee| {
                mine.insert(callee.to_path_buf());
            });
            reaches.insert(root.clone(), mine);
        }
        roots.extend(cyclic);
        let roots = roots
            .into_iter()
            .map(|dir| {
                let paths = tfvars::automatic_files(&dir);
                let tfvars = loader.read_files(paths);
                let reaches = reaches.remove(&dir).unwrap_or_default();
                RootModule {
                    dir,
                    tfvars,
                    reaches,
                }
            })
            .collect();
        loader.workspace.roots = roots;
        (loader.workspace, loader.diagnostics)
    }

    /// The root modules, in folder order.
    pub fn roots(&self) -> &[RootModule] {
        &self.roots
    }

    /// The parsed module in a (normalised) folder.
    pub(super) fn config(&self, dir: &Path) -> Option<&ModuleConfig> {
        self.configs.get(dir)
    }

    /// A span as the evaluator recorded it, in the file the user wrote: spans into a
    /// `.tf.json` file's native translation go back to the JSON.
    pub fn remap(&self, span: Span) -> Span {
        self.span_maps
            .get(&span.file)
            .map_or(span, |map| map.span(span))
    }

    /// The `modules.json` manifest of a root module folder.
    pub(super) fn manifest(&self, root: &Path) -> Option<&Manifest> {
        self.manifests.get(root)
    }
}

struct Loader<'s> {
    workspace: Workspace,
    sources: &'s mut Sources,
    diagnostics: Vec<Diagnostic>,
    /// Call sites already reported, so that a module reached twice is reported once.
    reported: HashSet<(FileId, usize)>,
}

/// One step of a walk down the module tree.
struct Frame {
    dir: PathBuf,
    key: Vec<String>,
    chain: Vec<PathBuf>,
}

impl Loader<'_> {
    fn read_files(&mut self, paths: Vec<PathBuf>) -> Vec<FileId> {
        let texts: Vec<_> = paths
            .into_par_iter()
            .map(|p| {
                let text = self.workspace.guard.read_text(&p);
                (p, text)
            })
            .collect();
        let mut ids = Vec::new();
        for (path, text) in texts {
            match text {
                Ok(text) => ids.push(self.sources.add(path, text)),
                Err(why) => self.diagnostics.push(fs::refused(path, None, &why)),
            }
        }
        ids
    }

    /// Reads and parses folders (normalised folder → files), in parallel.
    fn read_dirs(&mut self, dirs: Vec<(PathBuf, Vec<PathBuf>)>) {
        let mut files: Vec<(usize, FileId)> = Vec::new();
        let mut configs: Vec<ModuleConfig> = Vec::new();
        for (i, (dir, paths)) in dirs.into_iter().enumerate() {
            files.extend(self.read_files(paths).into_iter().map(|f| (i, f)));
            configs.push(ModuleConfig {
                dir,
                ..ModuleConfig::default()
            });
        }
        let sources = &*self.sources;
        let parsed: Vec<_> = files
            .par_iter()
            .map(|&(i, file)| {
                let result = if parse::is_json_syntax(sources.path(file)) {
                    parse::parse_json_file(sources, file).map(|(b, m)| (b, Some(m)))
                } else {
                    parse::parse_file(sources, file).map(|b| (b, None))
                };
                (i, file, result)
            })
            .collect();
        for (i, file, result) in parsed {
            match result {
                Ok((body, map)) => {
                    let mut problems = Vec::new();
                    configs[i].add_file(body, file, sources.path(file), &mut problems);
                    if let Some(map) = map {
                        self.workspace.span_maps.insert(file, map);
                    }
                    for mut d in problems {
                        d.span = d.span.map(|s| self.workspace.remap(s));
                        self.diagnostics.push(d);
                    }
                }
                Err(d) => self.diagnostics.push(d),
            }
        }
        for config in configs {
            self.workspace.configs.insert(config.dir.clone(), config);
        }
    }

    /// Reads a called module's folder unless already read; whether it holds a module.
    fn ensure(&mut self, dir: &Path) -> bool {
        if self.workspace.configs.contains_key(dir) {
            return true;
        }
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| super::is_config_file(p) && !p.is_dir())
            .collect();
        if paths.is_empty() {
            return false;
        }
        paths.sort();
        self.read_dirs(vec![(dir.to_path_buf(), paths)]);
        true
    }

    /// Walks the module tree under `root`, reading the folders it calls and telling
    /// `on_call` each folder called; with `report`, problems become diagnostics.
    fn walk(&mut self, root: &Path, report: bool, on_call: &mut dyn FnMut(&Path)) {
        let manifest = self
            .workspace
            .manifests
            .get(root)
            .cloned()
            .unwrap_or_default();
        let mut stack = vec![Frame {
            dir: root.to_path_buf(),
            key: Vec::new(),
            chain: vec![root.to_path_buf()],
        }];
        let mut visited = 0;
        while let Some(frame) = stack.pop() {
            let calls: Vec<(String, Option<String>, FileId, crate::model::Span)> = self
                .workspace
                .configs
                .get(&frame.dir)
                .map(|c| c.modules.iter().map(call_parts).collect())
                .unwrap_or_default();
            for (name, source, file, head) in calls {
                visited += 1;
                if visited > MAX_CALLS_PER_ROOT {
                    return;
                }
                let mut key = frame.key.clone();
                key.push(name);
                let problem = match resolve(source.as_deref(), &frame.dir, &key, &manifest) {
                    Resolved::Dir(dir) if frame.chain.contains(&dir) => {
                        Some("module calls itself (directly or through other modules); the inner call is not followed".to_owned())
                    }
                    Resolved::Dir(dir)
                        if self.workspace.guard.dir(&dir) == Err(Refusal::Outside) =>
                    {
                        Some(format!(
                            "module source {:?} {}",
                            source.unwrap_or_default(),
                            Refusal::Outside
                        ))
                    }
                    Resolved::Dir(_) if frame.chain.len() > MAX_MODULE_DEPTH => Some(format!(
                        "modules nested deeper than {MAX_MODULE_DEPTH} levels are not followed"
                    )),
                    Resolved::Dir(dir) => {
                        if self.ensure(&dir) {
                            on_call(&dir);
                            let mut chain = frame.chain.clone();
                            chain.push(dir.clone());
                            stack.push(Frame { dir, key, chain });
                            None
                        } else {
                            Some(format!(
                                "module source {:?} has no .tf or .tf.json files at {}; not followed",
                                source.unwrap_or_default(),
                                dir.display()
                            ))
                        }
                    }
                    Resolved::Remote(source) => Some(format!(
                        "module source {source:?} is not on disk (run `terraform init` to download it); not followed, its outputs are unknown"
                    )),
                    Resolved::Dynamic => {
                        Some("module source is not a literal string; not followed".to_owned())
                    }
                };
                if let Some(message) = problem.filter(|_| report) {
                    if self.reported.insert((file, head.start)) {
                        let path = self.sources.path(file).to_path_buf();
                        let head = self.workspace.remap(head);
                        self.diagnostics
                            .push(Diagnostic::warning(path, Some(head), message));
                    }
                }
            }
        }
    }
}

fn call_parts(call: &ModuleCall) -> (String, Option<String>, FileId, crate::model::Span) {
    (call.name.clone(), call.source.clone(), call.file, call.head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn load(dir: &Path) -> (Workspace, Vec<Diagnostic>) {
        let guard = Guard::new(dir, &[]);
        let inputs = crate::discover::discover(&[dir.to_path_buf()], &guard);
        Workspace::load(inputs.terraform_dirs, &guard, &mut Sources::default())
    }

    #[test]
    fn json_syntax_files_are_read_with_their_folder() {
        let dir = std::env::temp_dir().join(format!("moat-workspace-json-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        write(
            &dir.join("app/main.tf.json"),
            r#"{"module": {"pe": {"source": "../modules/pe"}}, "locals": {"a": 1}}"#,
        );
        write(&dir.join("app/extra.tf"), "locals {\n  b = 2\n}\n");
        write(
            &dir.join("modules/pe/main.tf.json"),
            r#"{"variable": {"x": {}}}"#,
        );
        let (workspace, diagnostics) = load(&dir);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let roots: Vec<_> = workspace.roots().iter().map(|r| r.dir.clone()).collect();
        assert_eq!(roots, [fs::normalise(&dir.join("app"))]);
        let app = workspace.config(&roots[0]).expect("the root is read");
        assert_eq!(app.locals.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(app.modules.len(), 1);
        let pe = workspace
            .config(&fs::normalise(&dir.join("modules/pe")))
            .expect("the module is read");
        assert!(pe.variables.contains_key("x"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn called_folders_are_not_roots_and_cycles_are_reported() {
        let dir = std::env::temp_dir().join(format!("moat-workspace-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        write(
            &dir.join("app/main.tf"),
            "module \"pe\" {\n  source = \"../modules/pe\"\n}\n",
        );
        write(&dir.join("modules/pe/main.tf"), "variable \"x\" {}\n");
        write(
            &dir.join("loop/main.tf"),
            "module \"me\" {\n  source = \"./\"\n}\n",
        );
        let (workspace, diagnostics) = load(&dir);
        let roots: Vec<_> = workspace.roots().iter().map(|r| r.dir.clone()).collect();
        assert_eq!(
            roots,
            [
                fs::normalise(&dir.join("app")),
                fs::normalise(&dir.join("loop"))
            ]
        );
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("calls itself"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
