//! Where a `module` block's `source` is on disk: local paths relative to the calling
//! module, anything else through the `.terraform/modules/modules.json` manifest that
//! `terraform init` wrote in the root module. Nothing is ever fetched.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::fs::{normalise, Guard, Refusal};

/// Where a module call's source was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A folder on disk (lexically normalised).
    Dir(PathBuf),
    /// A remote source that `terraform init` did not download here: not followed.
    Remote(String),
    /// `source` is not a literal string.
    Dynamic,
}

/// The `modules.json` manifest of one root module: call key (`a.b`) → folder.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    dirs: HashMap<String, PathBuf>,
}

impl Manifest {
    /// Reads `<root>/.terraform/modules/modules.json` through `guard`; empty when absent,
    /// a diagnostic when it may not or cannot be read.
    pub fn read(root: &Path, guard: &Guard) -> Result<Manifest, Diagnostic> {
        let path = root.join(".terraform").join("modules").join("modules.json");
        match guard.read_text(&path) {
            Ok(text) => Ok(Manifest::parse(root, &text)),
            Err(Refusal::Missing) => Ok(Manifest::default()),
            Err(why) => Err(crate::fs::refused(path, None, &why)),
        }
    }

    /// Parses a manifest's text; `Dir` values are relative to the root module.
    pub fn parse(root: &Path, text: &str) -> Manifest {
        let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
            return Manifest::default();
        };
        let dirs = json
            .get("Modules")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| {
                let key = m.get("Key")?.as_str()?;
                let dir = m.get("Dir")?.as_str()?;
                (!key.is_empty()).then(|| (key.to_owned(), normalise(&root.join(dir))))
            })
            .collect();
        Manifest { dirs }
    }
}

/// Whether a source is a local path, which Terraform never downloads.
pub fn is_local(source: &str) -> bool {
    ["./", "../", ".\\", "..\\"]
        .iter()
        .any(|p| source.starts_with(p))
        || source == "."
        || source == ".."
}

/// Resolves a call's source. `caller` is the calling module's folder, `key` the call's
/// path of names from the root (`["network", "subnets"]`), as in the manifest.
pub fn resolve(
    source: Option<&str>,
    caller: &Path,
    key: &[String],
    manifest: &Manifest,
) -> Resolved {
    let Some(source) = source else {
        return Resolved::Dynamic;
    };
    if is_local(source) {
        return Resolved::Dir(normalise(&caller.join(source)));
    }
    match manifest.dirs.get(&key.join(".")) {
        Some(dir) if dir.is_dir() => Resolved::Dir(dir.clone()),
        _ => Resolved::Remote(source.to_owned()),
    }
}

/// `to` relative to `from`, both lexically normalised: `.`, `modules/pe`, `../shared`.
/// When one is absolute and the other not, `to` as it is.
pub fn relative_to(from: &Path, to: &Path) -> PathBuf {
    if from.is_absolute() != to.is_absolute() {
        return to.to_path_buf();
    }
    let (from, to) = (parts(from), parts(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in &from[common..] {
        out.push("..");
    }
    out.extend(&to[common..]);
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// A path's components without `.`.
fn parts(path: &Path) -> Vec<Component<'_>> {
    path.components()
        .filter(|c| *c != Component::CurDir)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_sources_resolve_lexically() {
        let m = Manifest::default();
        let key = ["x".to_owned()];
        assert_eq!(
            resolve(Some("./modules/pe"), Path::new("infra"), &key, &m),
            Resolved::Dir(PathBuf::from("infra/modules/pe"))
        );
        assert_eq!(
            resolve(Some("../shared/pe"), Path::new("./infra/app"), &key, &m),
            Resolved::Dir(PathBuf::from("infra/shared/pe"))
        );
        assert_eq!(
            resolve(Some("../../"), Path::new("examples/default"), &key, &m),
            Resolved::Dir(PathBuf::from("."))
        );
        let rel = |a: &str, b: &str| relative_to(Path::new(a), Path::new(b));
        assert_eq!(rel(".", "mod"), PathBuf::from("mod"));
        assert_eq!(rel("infra/app", "infra/app"), PathBuf::from("."));
        assert_eq!(
            rel("infra/app", "infra/shared/pe"),
            PathBuf::from("../shared/pe")
        );
        assert_eq!(rel("infra", "/abs/x"), PathBuf::from("/abs/x"));
    }

    #[test]
    fn remote_sources_go_through_the_manifest() {
        let root = std::env::temp_dir().join(format!("moat-manifest-{}", std::process::id()));
        let dir = root.join(".terraform/modules/net");
        std::fs::create_dir_all(&dir).unwrap();
        let text = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
            {"Key":"net","Source":"registry.terraform.io/a/b/c","Dir":".terraform/modules/net"}]}"#;
        let m = Manifest::parse(&root, text);
        let key = |k: &str| vec![k.to_owned()];
        assert_eq!(
            resolve(Some("a/b/c"), &root, &key("net"), &m),
            Resolved::Dir(normalise(&dir))
        );
        assert_eq!(
            resolve(Some("a/b/d"), &root, &key("other"), &m),
            Resolved::Remote("a/b/d".into())
        );
        assert_eq!(resolve(None, &root, &key("x"), &m), Resolved::Dynamic);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
