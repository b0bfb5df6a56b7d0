//! The hooks under the real `pre-commit` tool (PyPI; `.ci/run` installs it): a temporary git
//! repository (a copy of `testdata/precommit`, whose `legacy/` unit holds an accepted
//! finding) runs the built moat through a `repo: local` hook with the changed files, as the
//! README documents. Skipped, with a notice, when `pre-commit` is not installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod fixture;

fn pre_commit_present() -> bool {
    let present = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        eprintln!("pre-commit is not installed (pip install pre-commit): test skipped");
    }
    present
}

/// Runs a program in `dir`, pre-commit keeping its cache in `home`.
fn run_with(dir: &Path, home: &Path, program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env("GIT_AUTHOR_NAME", "moat test")
        .env("GIT_AUTHOR_EMAIL", "moat@example.invalid")
        .env("GIT_COMMITTER_NAME", "moat test")
        .env("GIT_COMMITTER_EMAIL", "moat@example.invalid")
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn run(dir: &Path, program: &str, args: &[&str]) -> Output {
    run_with(dir, &dir.join(".pre-commit-home"), program, args)
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let out = run(dir, "git", args);
    assert!(out.status.success(), "git {args:?}: {out:?}");
    out
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A repository with the hook installed and the fixture committed (past the hook: its
/// legacy finding is accepted).
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    fixture::copy_tree(&manifest_dir().join("testdata/precommit"), root);
    let hooks =
        std::fs::read_to_string(manifest_dir().join(".pre-commit-hooks.yaml")).expect("hooks file");
    let files = hooks
        .split("- id: moat-changed-files")
        .nth(1)
        .and_then(|h| h.lines().find_map(|l| l.trim().strip_prefix("files: ")))
        .expect("the moat-changed-files hook's files pattern")
        .to_owned();
    let config = format!(
        "repos:\n  - repo: local\n    hooks:\n      - id: moat\n        name: moat\n        \
         entry: '{} scan'\n        language: system\n        files: '{files}'\n",
        env!("CARGO_BIN_EXE_moat")
    );
    std::fs::write(root.join(".pre-commit-config.yaml"), config).expect("config");
    std::fs::write(root.join(".gitignore"), ".pre-commit-home/\n").expect("gitignore");
    git(root, &["init", "-q"]);
    let install = run(root, "pre-commit", &["install"]);
    assert!(install.status.success(), "pre-commit install: {install:?}");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "--no-verify", "-m", "fixture"]);
    dir
}

/// Edits a file, stages everything and commits through the hook; restores the last commit
/// when the hook blocks. Returns whether the commit went through and what the hook said.
fn commit(root: &Path, file: &str, from: &str, to: &str) -> (bool, String) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(text.contains(from), "{file} holds {from:?}");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    git(root, &["add", "-A"]);
    let out = run(root, "git", &["commit", "-q", "-m", file]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        git(root, &["reset", "-q", "--hard", "HEAD"]);
    }
    (out.status.success(), said)
}

const OPEN_NSG: &str = r#"resource "azurerm_network_security_group" "web" {
  name                = "nsg-web"
  location            = "westeurope"
  resource_group_name = "rg-web"

  security_rule {
    name                       = "ssh-from-anywhere"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
"#;

#[test]
fn the_hook_blocks_commits_that_open_a_unit_and_passes_clean_ones() {
    if !pre_commit_present() {
        return;
    }
    let repo = repository();
    let root = repo.path();
    let (passed, said) = commit(
        root,
        "app/variables.tf",
        "Where SSH is allowed from.",
        "Where administrators reach SSH from.",
    );
    assert!(passed, "a clean commit passes despite legacy/: {said}");

    std::fs::create_dir(root.join("web")).expect("mkdir");
    let (passed, said) = commit(root, "web/main.tf", "", OPEN_NSG);
    assert!(!passed, "an open NSG rule is blocked");
    assert!(
        said.contains("nsg-open-inbound") && said.contains("web/main.tf"),
        "{said}"
    );

    let (passed, said) = commit(root, "app/variables.tf", "\"10.0.0.0/8\"", "\"*\"");
    assert!(!passed, "a flipped default is blocked");
    assert!(
        said.contains("nsg-open-inbound") && said.contains("app/main.tf"),
        "{said}"
    );

    let (passed, said) = commit(root, "live/main.tf", "\"10.1.0.0/16\"", "\"*\"");
    assert!(!passed, "an opened module argument is blocked");
    assert!(
        said.contains("nsg-open-inbound") && said.contains("modules/nsg/main.tf"),
        "{said}"
    );
    assert!(!said.contains("legacy/"), "other units stay out: {said}");

    // Terraform loads `prod.tfvars` only as `-var-file`: the changed file is applied to
    // its root, so opening the source there is blocked too.
    let (passed, said) = commit(root, "app/prod.tfvars", "", "admin_source = \"*\"\n");
    assert!(!passed, "a changed non-auto tfvars file is blocked");
    assert!(
        said.contains("nsg-open-inbound") && said.contains("app/main.tf"),
        "{said}"
    );
    let (passed, said) = commit(
        root,
        "app/dev.tfvars",
        "",
        "admin_source = \"10.2.0.0/16\"\n",
    );
    assert!(passed, "a safe tfvars file passes: {said}");
}

/// `.pre-commit-hooks.yaml` is a manifest pre-commit accepts (`try-repo` would build moat
/// with cargo through `language: rust`, so the manifest is validated on its own).
#[test]
fn the_hooks_manifest_is_valid_for_pre_commit() {
    if !pre_commit_present() {
        return;
    }
    let home = tempfile::tempdir().expect("temp dir");
    let out = run_with(
        &manifest_dir(),
        home.path(),
        "pre-commit",
        &["validate-manifest", ".pre-commit-hooks.yaml"],
    );
    assert!(out.status.success(), "{out:?}");
}
