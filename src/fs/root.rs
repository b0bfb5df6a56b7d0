//! Which folder a scan may read: `--root`, else the git work tree holding the scanned
//! paths (found by looking for `.git`, never by running git), else the scanned paths
//! themselves (a file's folder).

use std::path::{Path, PathBuf};

/// The scan root for `paths`, made absolute and canonical where the paths exist. With
/// several paths, the folder holding the root of each.
pub fn scan_root(paths: &[PathBuf]) -> PathBuf {
    let mut roots = paths.iter().map(|p| root_of(p));
    let Some(first) = roots.next() else {
        return canonical(Path::new("."));
    };
    roots.fold(first, |common, next| common_ancestor(&common, &next))
}

/// The root for one scanned path: the work tree above it, else itself (its folder).
fn root_of(path: &Path) -> PathBuf {
    let path = canonical(path);
    let start = if path.is_dir() {
        path.clone()
    } else {
        path.parent()
            .map_or_else(|| path.clone(), Path::to_path_buf)
    };
    start
        .ancestors()
        .find(|dir| dir.join(".git").symlink_metadata().is_ok())
        .map_or(start.clone(), Path::to_path_buf)
}

/// The canonical form of a path; an absolute lexical form when it does not exist.
fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}

/// The deepest folder holding both `a` and `b`.
fn common_ancestor(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_work_tree_holding_the_path_else_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(top.join("repo/.git")).unwrap();
        std::fs::create_dir_all(top.join("repo/envs/prod")).unwrap();
        std::fs::create_dir_all(top.join("plain/app")).unwrap();
        std::fs::write(top.join("plain/app/main.tf"), "").unwrap();
        assert_eq!(scan_root(&[top.join("repo/envs/prod")]), top.join("repo"));
        assert_eq!(scan_root(&[top.join("plain/app")]), top.join("plain/app"));
        assert_eq!(
            scan_root(&[top.join("plain/app/main.tf")]),
            top.join("plain/app")
        );
        assert_eq!(
            scan_root(&[top.join("plain/app"), top.join("repo/envs")]),
            top
        );
    }

    #[test]
    fn a_git_file_marks_a_work_tree_too() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(top.join("wt/sub")).unwrap();
        std::fs::write(top.join("wt/.git"), "gitdir: elsewhere").unwrap();
        assert_eq!(scan_root(&[top.join("wt/sub")]), top.join("wt"));
    }
}
