//! Walks the paths a user gives and sorts the files into the inputs moat reads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Folders never worth walking into. `.terraform` holds downloaded modules, which are
/// read through the module that calls them, not as roots.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".terraform",
    "node_modules",
    "target",
    ".venv",
    "__pycache__",
    ".vscode",
];

/// JSON files that are tool configuration, never Azure inputs.
const SKIPPED_JSON: &[&str] = &["package.json", "package-lock.json", "tsconfig.json"];

/// The inputs found under the given paths.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Folders of `.tf` and `.tf.json` files (each a Terraform module), with their files in
    /// name order.
    pub terraform_dirs: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// `.json` / `.jsonc` files (ARM templates, parameter files, live exports, or none of
    /// these: what they are is decided once they are parsed).
    pub json_files: Vec<PathBuf>,
    /// `.bicep` and `.bicepparam` files, in walk order.
    pub bicep_files: Vec<PathBuf>,
    /// Files that could not be walked into, with why.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Finds every input under `paths` (files or folders), in a stable order.
pub fn discover(paths: &[PathBuf]) -> Inputs {
    let mut inputs = Inputs::default();
    for root in paths {
        let walker = WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(e.file_type().is_dir() && SKIPPED_DIRS.iter().any(|d| e.file_name() == *d))
            });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => classify(e.path(), &mut inputs),
                Ok(_) => {}
                Err(err) => {
                    let path = err.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    inputs.unreadable.push((path, err.to_string()));
                }
            }
        }
    }
    inputs
}

fn classify(path: &Path, inputs: &mut Inputs) {
    if path
        .extension()
        .is_some_and(|e| e == "bicep" || e == "bicepparam")
    {
        if !inputs.bicep_files.iter().any(|f| f == path) {
            inputs.bicep_files.push(path.to_path_buf());
        }
        return;
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let terraform = crate::ingest::terraform::is_config_file(path);
    if !terraform
        && (extension.eq_ignore_ascii_case("json") || extension.eq_ignore_ascii_case("jsonc"))
    {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !SKIPPED_JSON.iter().any(|s| s.eq_ignore_ascii_case(name))
            && !inputs.json_files.iter().any(|f| f == path)
        {
            inputs.json_files.push(path.to_path_buf());
        }
    } else if terraform {
        let dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        let files = inputs.terraform_dirs.entry(dir).or_default();
        if !files.iter().any(|f| f == path) {
            files.push(path.to_path_buf());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_terraform_files_by_folder_and_finds_json() {
        let dir = std::env::temp_dir().join(format!("moat-discover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("net/.terraform/modules/x")).unwrap();
        std::fs::write(dir.join("main.tf"), "").unwrap();
        std::fs::write(dir.join("net/b.tf"), "").unwrap();
        std::fs::write(dir.join("net/a.tf"), "").unwrap();
        std::fs::write(dir.join("net/.terraform/modules/x/m.tf"), "").unwrap();
        std::fs::write(dir.join("README.md"), "").unwrap();
        std::fs::create_dir_all(dir.join(".vscode")).unwrap();
        std::fs::write(dir.join(".vscode/settings.json"), "").unwrap();
        std::fs::write(dir.join("package.json"), "").unwrap();
        std::fs::write(dir.join("azuredeploy.json"), "").unwrap();
        std::fs::write(dir.join("net/x.jsonc"), "").unwrap();
        let inputs = discover(std::slice::from_ref(&dir));
        assert_eq!(
            inputs.json_files,
            vec![dir.join("azuredeploy.json"), dir.join("net/x.jsonc")]
        );
        let dirs: Vec<_> = inputs.terraform_dirs.keys().cloned().collect();
        assert_eq!(dirs, vec![dir.clone(), dir.join("net")]);
        assert_eq!(
            inputs.terraform_dirs[&dir.join("net")],
            vec![dir.join("net/a.tf"), dir.join("net/b.tf")]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
