//! Walks the paths a user gives and sorts the files into the inputs moat reads.
//!
//! Symbolic links are followed when they stay inside the scan root; links leaving it,
//! link loops, FIFOs, devices and sockets are reported and never opened. Each file and
//! folder is read once, under its own name when the walk meets it there too.

use std::collections::{BTreeMap, HashSet};
use std::ffi::OsString;
use std::fs::FileType;
use std::path::{Path, PathBuf};

use crate::fs::{Guard, Refusal};

/// Folders never worth walking into. `.terraform` holds downloaded modules, which are
/// read through the module that calls them, not as roots. A folder named `target` is
/// skipped only when it is a Rust build folder (see [`is_rust_build_dir`]).
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".terraform",
    "node_modules",
    ".venv",
    "__pycache__",
    ".vscode",
];

/// JSON files that are tool configuration, never Azure inputs.
const SKIPPED_JSON: &[&str] = &["package.json", "package-lock.json", "tsconfig.json"];

/// The inputs found under the given paths.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Folders of `.tf` / `.tf.json` files (each a Terraform module), with their files in
    /// name order.
    pub terraform_dirs: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// `.json` / `.jsonc` files (ARM templates, parameter files, live exports, or none of
    /// these: what they are is decided once they are parsed).
    pub json_files: Vec<PathBuf>,
    /// `.bicep` and `.bicepparam` files, in walk order.
    pub bicep_files: Vec<PathBuf>,
    /// Files that could not be walked into, with why.
    pub unreadable: Vec<(PathBuf, String)>,
    /// What the walk met and did not follow, with why: links leaving the scan root, link
    /// loops, FIFOs, devices and sockets.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Finds every input under `paths` (files or folders), in a stable order; `guard`
/// decides which links may be followed.
pub fn discover(paths: &[PathBuf], guard: &Guard) -> Inputs {
    let mut walk = Walk {
        guard,
        inputs: Inputs::default(),
        seen_dirs: HashSet::new(),
        seen_files: HashSet::new(),
        linked_dirs: Vec::new(),
    };
    for start in paths {
        walk.start(start);
    }
    // Linked folders last, so that a folder also met under its own name keeps it.
    while !walk.linked_dirs.is_empty() {
        for (path, canonical) in std::mem::take(&mut walk.linked_dirs) {
            walk.dir(path, canonical);
        }
    }
    walk.inputs
}

/// One entry of a folder, as listed (links not followed).
struct Entry {
    name: OsString,
    file_type: FileType,
}

struct Walk<'g> {
    guard: &'g Guard,
    inputs: Inputs,
    /// Canonical folders walked.
    seen_dirs: HashSet<PathBuf>,
    /// Canonical files classified.
    seen_files: HashSet<PathBuf>,
    /// Linked folders inside the root, walked once the rest is done.
    linked_dirs: Vec<(PathBuf, PathBuf)>,
}

impl Walk<'_> {
    /// A path the user named: a folder is walked, a file classified as given.
    fn start(&mut self, start: &Path) {
        let canonical = match start.canonicalize() {
            Ok(c) => c,
            Err(e) => {
                let why = format!("cannot read: {e}");
                self.inputs.unreadable.push((start.to_path_buf(), why));
                return;
            }
        };
        if !canonical.is_dir() {
            if self.seen_files.insert(canonical) {
                classify(start, &mut self.inputs);
            }
        } else if self.guard.contains(&canonical) {
            self.dir(start.to_path_buf(), canonical);
        } else {
            let why = "folder lies outside the scan root (--root); not scanned".to_owned();
            self.inputs.unreadable.push((start.to_path_buf(), why));
        }
    }

    /// Walks a folder depth first, entries in name order, with an explicit stack.
    fn dir(&mut self, path: PathBuf, canonical: PathBuf) {
        let mut stack = vec![(path, canonical)];
        while let Some((dir, canonical)) = stack.pop() {
            if !self.seen_dirs.insert(canonical.clone()) {
                continue;
            }
            let entries = match list(&dir) {
                Ok(entries) => entries,
                Err(e) => {
                    let why = format!("cannot read: {e}");
                    self.inputs.unreadable.push((dir, why));
                    continue;
                }
            };
            let has_cargo = entries.iter().any(|e| e.name == "Cargo.toml");
            let mut subdirs = Vec::new();
            for entry in entries {
                let path = dir.join(&entry.name);
                let own = canonical.join(&entry.name);
                if entry.file_type.is_dir() {
                    if !skipped_dir(&entry.name, &path, has_cargo) {
                        subdirs.push((path, own));
                    }
                } else if entry.file_type.is_file() {
                    if self.seen_files.insert(own) {
                        classify(&path, &mut self.inputs);
                    }
                } else if entry.file_type.is_symlink() {
                    self.link(path, &canonical, has_cargo);
                } else {
                    self.not_regular(path);
                }
            }
            // Pushed in reverse so that folders are walked in name order.
            stack.extend(subdirs.into_iter().rev());
        }
    }

    /// A symbolic link met in folder `parent` (canonical).
    fn link(&mut self, path: PathBuf, parent: &Path, has_cargo: bool) {
        let (target, meta) = match self.guard.resolve(&path) {
            Ok(found) => found,
            Err(why) => {
                let why = match why {
                    Refusal::Outside => "symbolic link leads outside the scan root; not followed",
                    _ => "symbolic link leads nowhere (or into a loop); not followed",
                };
                self.inputs.skipped.push((path, why.to_owned()));
                return;
            }
        };
        let name = path.file_name().unwrap_or_default().to_owned();
        if meta.is_dir() {
            if parent.starts_with(&target) {
                let why = "symbolic link loop (it leads to a folder holding it); not followed";
                self.inputs.skipped.push((path, why.to_owned()));
            } else if !skipped_dir(&name, &target, has_cargo)
                && !target
                    .file_name()
                    .is_some_and(|t| skipped_dir(t, &target, false))
            {
                // Neither the link's name nor its target's is a folder never walked.
                self.linked_dirs.push((path, target));
            }
        } else if meta.is_file() {
            if self.seen_files.insert(target) {
                classify(&path, &mut self.inputs);
            }
        } else {
            self.not_regular(path);
        }
    }

    fn not_regular(&mut self, path: PathBuf) {
        let what =
            std::fs::metadata(&path).map_or("not a plain file", |m| crate::fs::guard::kind(&m));
        let why = format!("is not a regular file ({what}); not read");
        self.inputs.skipped.push((path, why));
    }
}

/// A folder's entries in name order.
fn list(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        entries.push(Entry {
            name: entry.file_name(),
            file_type: entry.file_type()?,
        });
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// Whether a folder is not walked into: tool folders, and Rust build folders.
fn skipped_dir(name: &std::ffi::OsStr, path: &Path, beside_cargo_toml: bool) -> bool {
    SKIPPED_DIRS.iter().any(|d| name == *d)
        || (name == "target" && is_rust_build_dir(path, beside_cargo_toml))
}

/// A `target` folder is Rust's build output when it holds `CACHEDIR.TAG` (cargo writes
/// one) or sits beside a `Cargo.toml`; any other `target` folder may hold IaC.
fn is_rust_build_dir(path: &Path, beside_cargo_toml: bool) -> bool {
    beside_cargo_toml || path.join("CACHEDIR.TAG").is_file()
}

/// Which reader a file goes to, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Bicep,
    Terraform,
    Json,
}

fn input_kind(path: &Path) -> Option<Kind> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    if extension == "bicep" || extension == "bicepparam" {
        Some(Kind::Bicep)
    } else if extension == "tf" || name.ends_with(".tf.json") {
        Some(Kind::Terraform)
    } else if (extension.eq_ignore_ascii_case("json") || extension.eq_ignore_ascii_case("jsonc"))
        && !SKIPPED_JSON.iter().any(|s| s.eq_ignore_ascii_case(name))
    {
        Some(Kind::Json)
    } else {
        None
    }
}

fn classify(path: &Path, inputs: &mut Inputs) {
    match input_kind(path) {
        Some(Kind::Bicep) => inputs.bicep_files.push(path.to_path_buf()),
        Some(Kind::Terraform) => {
            let dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
            inputs
                .terraform_dirs
                .entry(dir)
                .or_default()
                .push(path.to_path_buf());
        }
        Some(Kind::Json) => inputs.json_files.push(path.to_path_buf()),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }

    #[test]
    fn groups_terraform_files_by_folder_and_finds_json() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        for f in [
            "main.tf",
            "net/b.tf",
            "net/a.tf",
            "net/c.tf.json",
            "net/.terraform/modules/x/m.tf",
            "README.md",
            ".vscode/settings.json",
            "package.json",
            "azuredeploy.json",
            "net/x.jsonc",
        ] {
            write(&dir.join(f));
        }
        let inputs = discover(std::slice::from_ref(&dir), &Guard::new(&dir, &[]));
        assert_eq!(
            inputs.json_files,
            vec![dir.join("azuredeploy.json"), dir.join("net/x.jsonc")]
        );
        let dirs: Vec<_> = inputs.terraform_dirs.keys().cloned().collect();
        assert_eq!(dirs, vec![dir.clone(), dir.join("net")]);
        assert_eq!(
            inputs.terraform_dirs[&dir.join("net")],
            vec![
                dir.join("net/a.tf"),
                dir.join("net/b.tf"),
                dir.join("net/c.tf.json")
            ]
        );
    }

    #[test]
    fn only_rust_build_folders_named_target_are_skipped() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        write(&dir.join("iac/target/main.bicep"));
        write(&dir.join("rust/Cargo.toml"));
        write(&dir.join("rust/target/x.bicep"));
        write(&dir.join("tagged/target/CACHEDIR.TAG"));
        write(&dir.join("tagged/target/y.bicep"));
        let inputs = discover(std::slice::from_ref(&dir), &Guard::new(&dir, &[]));
        assert_eq!(inputs.bicep_files, vec![dir.join("iac/target/main.bicep")]);
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_are_read_once_and_links_out_are_reported() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path().canonicalize().unwrap();
        let root = top.join("root");
        write(&top.join("outside/secret.bicep"));
        write(&root.join("real/a.bicep"));
        write(&root.join("shared/s.bicep"));
        std::fs::create_dir_all(root.join("app")).unwrap();
        symlink(root.join("real"), root.join("alias")).unwrap();
        symlink(root.join("shared"), root.join("app/linked")).unwrap();
        symlink(top.join("outside"), root.join("out")).unwrap();
        symlink(&root, root.join("real/loop")).unwrap();
        let guard = Guard::new(&root, &[]);
        let inputs = discover(&[root.join("app"), root.join("real")], &guard);
        assert_eq!(
            inputs.bicep_files,
            vec![root.join("real/a.bicep"), root.join("app/linked/s.bicep")]
        );
        let inputs = discover(std::slice::from_ref(&root), &guard);
        assert_eq!(
            inputs.bicep_files,
            vec![root.join("real/a.bicep"), root.join("shared/s.bicep")]
        );
        let skipped: Vec<_> = inputs.skipped.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(skipped, vec![root.join("out"), root.join("real/loop")]);
        assert!(inputs.skipped[0].1.contains("outside the scan root"));
        assert!(inputs.skipped[1].1.contains("loop"));
    }
}
