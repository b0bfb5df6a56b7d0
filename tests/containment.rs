//! A scanned repository is untrusted: nothing outside the scan root reaches any output,
//! FIFOs and devices never hang a scan, links are followed only inside the root.
//!
//! Every case builds its own hostile tree in a temporary folder: `<tmp>/repo` is a git
//! work tree (the scan root) and `<tmp>/outside` holds files with a canary string that
//! must never be printed, in any format.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The secret every outside file holds.
const CANARY: &str = "canaryq7x4w9z2";
/// `base64(CANARY)`, as `loadFileAsBase64` / `filebase64` would print it.
const CANARY_BASE64: &str = "Y2FuYXJ5cTd4NHc5ejI";
/// No run may take longer: a hang is a failure, not a stuck CI job.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A hostile tree: `repo/` (with `.git`) and `outside/` holding the canary.
struct Tree {
    _dir: tempfile::TempDir,
    top: PathBuf,
}

impl Tree {
    fn new() -> Tree {
        let dir = tempfile::tempdir().expect("temp dir");
        let top = dir.path().canonicalize().expect("canonical temp dir");
        let tree = Tree { _dir: dir, top };
        std::fs::create_dir_all(tree.repo().join(".git")).expect("repo");
        tree.write("outside/secret.txt", CANARY);
        tree.write("outside/secret.json", &format!("{{\"v\": \"{CANARY}\"}}"));
        tree.write("outside/secret.yaml", &format!("v: {CANARY}\n"));
        tree
    }

    fn repo(&self) -> PathBuf {
        self.top.join("repo")
    }

    fn outside(&self) -> PathBuf {
        self.top.join("outside")
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.top.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    #[cfg(unix)]
    fn link(&self, target: &Path, relative: &str) {
        let path = self.top.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::os::unix::fs::symlink(target, path).expect("symlink");
    }

    #[cfg(unix)]
    fn fifo(&self, relative: &str) {
        let path = self.top.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let status = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
        assert!(status.success(), "mkfifo {}", path.display());
    }
}

/// What one run printed.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs moat in `cwd` with a deadline: a run past [`TIMEOUT`] is killed and fails the
/// test. Output goes to files, so a full pipe cannot stall the child.
fn moat(cwd: &Path, args: &[&str]) -> Run {
    let out = tempfile::NamedTempFile::new().expect("stdout file");
    let err = tempfile::NamedTempFile::new().expect("stderr file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(File::create(out.path()).expect("stdout"))
        .stderr(File::create(err.path()).expect("stderr"))
        .spawn()
        .expect("moat runs");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("moat {args:?} did not finish in {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status
            .code()
            .unwrap_or_else(|| panic!("moat {args:?} died: {status}")),
        stdout: std::fs::read_to_string(out.path()).expect("stdout text"),
        stderr: std::fs::read_to_string(err.path()).expect("stderr text"),
    }
}

/// Scans `target` (relative to the tree's top) in every output format and `moat model`;
/// asserts each finishes with exit ≤ 2, prints no canary, and warns or errs. Returns
/// the JSON report.
fn scan_everywhere(tree: &Tree, target: &str) -> serde_json::Value {
    let mut report = serde_json::Value::Null;
    for args in [
        vec!["scan", target],
        vec!["scan", target, "-f", "json"],
        vec!["scan", target, "-f", "sarif"],
        vec!["scan", target, "--unknown", "-f", "json"],
        vec!["model", target, "-f", "json"],
        vec!["model", target],
    ] {
        let run = moat(&tree.top, &args);
        assert!(run.code <= 2, "moat {args:?} exited {}", run.code);
        for text in [&run.stdout, &run.stderr] {
            let lower = text.to_ascii_lowercase();
            assert!(
                !lower.contains(CANARY) && !text.contains(CANARY_BASE64),
                "moat {args:?} printed the canary:\n{text}"
            );
            assert!(
                !text.contains("root:x:0:0"),
                "moat {args:?} printed /etc/passwd"
            );
        }
        if args == ["scan", target, "-f", "json"] {
            report = serde_json::from_str(&run.stdout).expect("JSON report");
        }
    }
    report
}

/// The report's diagnostics (errors and warnings).
fn diagnostics(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["errors"].as_array().cloned().unwrap_or_default()
}

/// Asserts a warning whose message holds `needle`, at a line when `located`.
fn assert_warned(report: &serde_json::Value, needle: &str, located: bool) {
    let found = diagnostics(report).into_iter().find(|d| {
        d["message"].as_str().is_some_and(|m| m.contains(needle))
            && (!located || d["line"].as_u64().is_some())
    });
    assert!(
        found.is_some(),
        "no warning with {needle:?} (located: {located}) in {:#}",
        report["errors"]
    );
}

/// How many diagnostics hold `needle`.
fn count(report: &serde_json::Value, needle: &str) -> usize {
    diagnostics(report)
        .iter()
        .filter(|d| d["message"].as_str().is_some_and(|m| m.contains(needle)))
        .count()
}

const OUTSIDE: &str = "outside the scan root";

#[test]
fn bicep_load_functions_stay_inside_the_root() {
    let tree = Tree::new();
    tree.write("repo/inside.txt", "insidevalue");
    tree.write(
        "repo/main.bicep",
        "var a = loadTextContent('/etc/passwd')\n\
         var b = loadTextContent('../outside/secret.txt')\n\
         var c = loadFileAsBase64('../outside/secret.txt')\n\
         var d = loadJsonContent('../outside/secret.json')\n\
         var e = loadYamlContent('../outside/secret.yaml')\n\
         var ok = loadTextContent('inside.txt')\n\
         resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  \
           name: 'st${b}'\n  location: 'westeurope'\n  \
           tags: { a: a, b: b, c: c, d: string(d), e: string(e), ok: ok }\n}\n\
         output o string = '${b}${c}'\n",
    );
    let report = scan_everywhere(&tree, "repo");
    assert!(count(&report, OUTSIDE) >= 4, "{:#}", report["errors"]);
    assert_warned(&report, "'../outside/secret.txt'", true);
    assert_warned(&report, "'/etc/passwd'", true);
    let model = moat(&tree.top, &["model", "repo", "-f", "json"]);
    assert!(
        model.stdout.contains("insidevalue"),
        "in-root loads still work"
    );
}

#[test]
fn bicep_modules_and_using_outside_the_root_are_not_read() {
    let tree = Tree::new();
    tree.write(
        "outside/x.bicep",
        &format!(
            "resource {CANARY} 'Microsoft.Storage/storageAccounts@2023-01-01' = {{\n  name: '{CANARY}'\n}}\n\
             this is a syntax error quoting {CANARY}\n"
        ),
    );
    tree.write(
        "repo/app/main.bicep",
        "module m '../../outside/x.bicep' = {\n  name: 'm'\n}\n\
         module n '/etc/passwd' = {\n  name: 'n'\n}\n",
    );
    tree.write(
        "repo/app/main.bicepparam",
        "using '../../outside/x.bicep'\n",
    );
    let report = scan_everywhere(&tree, "repo");
    assert!(count(&report, OUTSIDE) >= 3, "{:#}", report["errors"]);
    assert_warned(&report, "module outside/x.bicep", true);
}

#[test]
fn terraform_file_functions_stay_inside_the_root() {
    let tree = Tree::new();
    tree.write("repo/inside.txt", "insidevalue");
    tree.write(
        "repo/main.tf",
        r#"locals {
  secret = file("../outside/secret.txt")
}

resource "azurerm_storage_account" "st" {
  name                     = "st${local.secret}"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags = {
    a = file("/etc/passwd")
    b = filebase64("../outside/secret.txt")
    c = templatefile("../outside/secret.txt", {})
    d = filemd5("../outside/secret.txt")
    e = fileexists("../outside/secret.txt")
    f = fileexists("/nonexistent/moat-probe")
    ok = file("inside.txt")
  }
}
"#,
    );
    let report = scan_everywhere(&tree, "repo");
    assert_warned(&report, "file \"../outside/secret.txt\"", true);
    assert_warned(&report, "file \"/etc/passwd\"", true);
    // What does not exist outside is refused alike: no probing the runner's files.
    assert_warned(
        &report,
        "file \"/nonexistent/moat-probe\" leads outside",
        true,
    );
    let model = moat(&tree.top, &["model", "repo", "-f", "json"]);
    assert!(
        model.stdout.contains("insidevalue"),
        "in-root file() still works"
    );
}

#[cfg(unix)]
#[test]
fn terraform_tfvars_links_leaving_the_tree_are_not_read() {
    let tree = Tree::new();
    tree.write("outside/secret.tfvars", &format!("name = \"{CANARY}\"\n"));
    tree.link(
        &tree.outside().join("secret.tfvars"),
        "repo/terraform.tfvars",
    );
    tree.link(&tree.outside().join("secret.tfvars"), "repo/x.auto.tfvars");
    tree.write(
        "repo/main.tf",
        r#"variable "name" {}

resource "azurerm_storage_account" "st" {
  name                     = var.name
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
"#,
    );
    let report = scan_everywhere(&tree, "repo");
    assert!(count(&report, OUTSIDE) >= 2, "{:#}", report["errors"]);
}

#[test]
fn terraform_module_sources_escaping_the_root_are_not_followed() {
    let tree = Tree::new();
    tree.write(
        "outside/main.tf",
        &format!(
            "resource \"azurerm_storage_account\" \"{CANARY}\" {{\n  name = \"{CANARY}\"\n}}\n\
             oops {CANARY} {{\n"
        ),
    );
    tree.write(
        "repo/app/main.tf",
        "module \"up\" {\n  source = \"../../outside\"\n}\n\
         module \"far\" {\n  source = \"../../../../../../../../../../../..\"\n}\n",
    );
    let absolute = tree.outside().display().to_string();
    tree.write(
        "repo/app/.terraform/modules/modules.json",
        &serde_json::json!({"Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "reg", "Source": "registry.terraform.io/a/b/c", "Dir": absolute}
        ]})
        .to_string(),
    );
    tree.write(
        "repo/app/reg.tf",
        "module \"reg\" {\n  source = \"a/b/c\"\n}\n",
    );
    let report = scan_everywhere(&tree, "repo");
    assert!(count(&report, OUTSIDE) >= 3, "{:#}", report["errors"]);
    assert_warned(&report, "module source \"../../outside\"", true);
    assert_warned(&report, "module source \"a/b/c\"", true);
}

#[cfg(unix)]
#[test]
fn arm_parameter_companions_linked_outside_are_not_read() {
    let tree = Tree::new();
    tree.write(
        "outside/params.json",
        &serde_json::json!({
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
            "contentVersion": "1.0.0.0",
            "parameters": {"name": {"value": CANARY}}
        })
        .to_string(),
    );
    tree.write(
        "repo/azuredeploy.json",
        &serde_json::json!({
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "parameters": {"name": {"type": "string"}},
            "resources": [{
                "type": "Microsoft.Storage/storageAccounts",
                "apiVersion": "2023-01-01",
                "name": "[parameters('name')]",
                "location": "westeurope"
            }]
        })
        .to_string(),
    );
    tree.link(
        &tree.outside().join("params.json"),
        "repo/azuredeploy.parameters.json",
    );
    let report = scan_everywhere(&tree, "repo");
    assert_warned(&report, OUTSIDE, false);
    let report = scan_everywhere(&tree, "repo/azuredeploy.json");
    assert_warned(&report, OUTSIDE, false);
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_never_hang_a_scan() {
    let tree = Tree::new();
    tree.fifo("repo/x.auto.tfvars");
    tree.fifo("repo/.terraform/modules/modules.json");
    tree.fifo("repo/data.txt");
    tree.fifo("repo/pipe.json");
    tree.write(
        "repo/main.tf",
        r#"resource "azurerm_storage_account" "st" {
  name                     = "st"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags = {
    zero = file("/dev/zero")
    pipe = file("data.txt")
  }
}
"#,
    );
    let report = scan_everywhere(&tree, "repo");
    assert!(
        count(&report, "not a regular file") >= 3,
        "{:#}",
        report["errors"]
    );
    assert_warned(&report, "file \"/dev/zero\"", true);
    let said = |name: &str| {
        diagnostics(&report).iter().any(|d| {
            d["file"].as_str().is_some_and(|f| f.ends_with(name))
                && d["message"].as_str().is_some_and(|m| m.contains("a FIFO"))
        })
    };
    assert!(said("modules.json") && said("x.auto.tfvars") && said("pipe.json"));
    assert_warned(
        &report,
        "file \"data.txt\" is not a regular file (a FIFO)",
        true,
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_linked_folders_inside_are_scanned() {
    let tree = Tree::new();
    tree.write(
        "repo/shared/st.tf",
        r#"resource "azurerm_storage_account" "linked" {
  name                     = "stlinked"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
"#,
    );
    tree.link(&tree.repo().join("shared"), "repo/live/shared");
    tree.link(&tree.repo().join("live"), "repo/live/loop");
    tree.link(&tree.outside(), "repo/live/out");
    tree.link(Path::new("/nonexistent/moat-probe"), "repo/live/gone.bicep");
    let report = scan_everywhere(&tree, "repo/live");
    assert_warned(&report, "symbolic link loop", false);
    assert_warned(&report, "symbolic link leads outside the scan root", false);
    let gone = diagnostics(&report)
        .into_iter()
        .find(|d| d["file"] == "repo/live/gone.bicep");
    let gone = gone.expect("the dangling link is reported");
    assert!(gone["message"]
        .as_str()
        .is_some_and(|m| m.contains(OUTSIDE)));
    let model = moat(&tree.top, &["model", "repo/live", "-f", "json"]);
    assert!(model.stdout.contains("stlinked"), "{}", model.stdout);
}

#[test]
fn root_flag_widens_and_narrows_what_may_be_read() {
    let tree = Tree::new();
    tree.write(
        "repo/main.bicep",
        "resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  \
           name: 'st${loadTextContent('../outside/secret.txt')}'\n}\n",
    );
    let wide = moat(&tree.top, &["model", "repo", "-f", "json", "--root", "."]);
    assert_eq!(wide.code, 0, "{}", wide.stderr);
    assert!(
        wide.stdout.contains(CANARY),
        "--root . allows the folder above repo"
    );
    tree.write("repo/sub/readme.md", "");
    let narrow = moat(
        &tree.top,
        &["scan", "repo", "-f", "json", "--root", "repo/sub"],
    );
    assert_eq!(narrow.code, 2, "a folder outside --root is an input error");
    assert!(!narrow.stdout.contains(CANARY));
    let missing = moat(
        &tree.top,
        &["scan", "repo", "-f", "json", "--root", "nowhere"],
    );
    assert_eq!(missing.code, 2);
    assert!(
        missing.stdout.contains("--root is not a folder"),
        "{}",
        missing.stdout
    );
}

#[test]
fn discovery_is_linear_in_the_number_of_files() {
    // Creating 80,000 files is what takes time here: in memory where the system has it.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("temp dir");
    let per_folder = 400;
    for folder in 0..50 {
        let sub = dir.path().join(format!("d{folder:02}"));
        std::fs::create_dir_all(&sub).expect("mkdir");
        for i in 0..per_folder {
            std::fs::write(sub.join(format!("t{i:03}.json")), "").expect("write");
            std::fs::write(sub.join(format!("m{i:03}.bicep")), "").expect("write");
        }
    }
    let guard = moat::fs::Guard::new(dir.path(), &[]);
    let start = Instant::now();
    let inputs = moat::discover::discover(&[dir.path().to_path_buf()], &guard);
    let took = start.elapsed();
    assert_eq!(inputs.json_files.len(), 50 * per_folder);
    assert_eq!(inputs.bicep_files.len(), 50 * per_folder);
    assert!(took < Duration::from_secs(20), "40,000 files took {took:?}");
}

#[test]
fn terraform_paths_resolve_as_terraform_run_in_the_root_module() {
    let tree = Tree::new();
    tree.write("repo/infra/root.txt", "rootfile");
    tree.write("repo/infra/mod/name.txt", "fromfile");
    tree.write(
        "repo/infra/main.tf",
        "module \"m\" {\n  source = \"./mod\"\n}\n\
         resource \"azurerm_resource_group\" \"a\" {\n  \
           name     = \"${file(\"${path.module}/root.txt\")}-${path.root}\"\n  \
           location = \"westeurope\"\n}\n",
    );
    tree.write(
        "repo/infra/mod/main.tf",
        "resource \"azurerm_resource_group\" \"b\" {\n  \
           name     = \"${file(\"${path.module}/name.txt\")}-${path.module}\"\n  \
           location = \"westeurope\"\n}\n",
    );
    for cwd in [tree.top.clone(), tree.repo().join("infra")] {
        let target = if cwd == tree.top { "repo/infra" } else { "." };
        let model = moat(&cwd, &["model", target]);
        assert!(model.stdout.contains("rootfile-."), "{}", model.stdout);
        assert!(model.stdout.contains("fromfile-mod"), "{}", model.stdout);
    }
}
