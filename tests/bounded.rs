//! Bounded work on hostile input: every bomb is generated here, in a temporary folder, and
//! scanned by the real binary under a memory cap and a wall-clock limit. Each must end with
//! exit ≤ 2 and a warning or error that says what stopped it (the evaluation budget, a module
//! cycle, nesting); long chains of references must not overflow the stack, and the values at
//! their far end must still arrive.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

/// Virtual memory the binary may map (KiB); the bombs stay far below it when bounded.
const MEMORY_KIB: u64 = 1_500_000;
/// Wall-clock time a scan may take (a debug build on a small CI machine).
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// What a scan ended with.
struct Outcome {
    code: i32,
    report: Json,
}

impl Outcome {
    /// Every error and warning message, with its `file:line`.
    fn problems(&self) -> Vec<String> {
        self.report["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| {
                format!(
                    "{}:{}: {}",
                    e["file"].as_str().unwrap_or_default(),
                    e["line"],
                    e["message"].as_str().unwrap_or_default()
                )
            })
            .collect()
    }

    /// The problem whose message contains `needle`; panics listing them all when none does.
    fn problem(&self, needle: &str) -> String {
        let problems = self.problems();
        problems
            .iter()
            .find(|p| p.contains(needle))
            .cloned()
            .unwrap_or_else(|| panic!("no problem mentions {needle:?}: {problems:#?}"))
    }
}

/// Runs `moat <command> <dir> -f json` under the memory cap, killing it past the time limit.
fn run(command: &str, dir: &Path) -> Outcome {
    let report = tempfile::NamedTempFile::new().expect("a report file");
    let out = report.path().to_path_buf();
    let script = format!("ulimit -v {MEMORY_KIB}; exec \"$0\" \"$1\" \"$2\" -f json > \"$3\"");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_moat"))
        .arg(command)
        .arg(dir)
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn moat");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for moat") {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("moat {command} {} ran past {TIME_LIMIT:?}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let code = status
        .code()
        .unwrap_or_else(|| panic!("moat was killed by a signal: {status:?}"));
    assert!(code <= 2, "exit code {code}");
    let text = std::fs::read_to_string(&out).expect("a report was written");
    Outcome {
        code,
        report: serde_json::from_str(&text).expect("the report is JSON"),
    }
}

fn scan(dir: &Path) -> Outcome {
    run("scan", dir)
}

/// The modelled resource at `address`.
fn resource<'r>(model: &'r Outcome, address: &str) -> &'r Json {
    model.report["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("no resource {address}"))
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A work tree to generate inputs in: its `.git` folder makes it the scan root, so a
/// module in a sibling folder of the scanned one is inside the root.
fn tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("a .git folder");
    dir
}

/// Scans a root module of one `main.tf`: some problem mentions `needle` at `main.tf:<line>:`.
fn assert_problem_in_main_tf(text: &str, needle: &str, line: usize) {
    let dir = tempdir();
    write(dir.path(), "main.tf", text);
    let problem = scan(dir.path()).problem(needle);
    assert!(problem.contains(&format!("main.tf:{line}:")), "{problem}");
}

const STORAGE_TAIL: &str = "  resource_group_name = \"rg\"\n  location = \"westeurope\"\n  account_tier = \"Standard\"\n  account_replication_type = \"LRS\"\n}\n";

/// Forty locals, each `expr` applied to the one before: 2^40 bytes if nothing stops it.
fn terraform_doubling(expr: &str) -> tempfile::TempDir {
    let dir = tempdir();
    let mut text = String::from("locals {\n  l0 = \"ab\"\n");
    for i in 1..=40 {
        let previous = format!("local.l{}", i - 1);
        writeln!(text, "  l{i} = {}", expr.replace("PREV", &previous)).unwrap();
    }
    text.push_str(
        "}\nresource \"azurerm_storage_account\" \"s\" {\n  name = jsonencode(local.l40)\n",
    );
    text.push_str(STORAGE_TAIL);
    write(dir.path(), "main.tf", &text);
    dir
}

#[test]
fn terraform_doubling_stops_at_the_value_budget() {
    let doublings = [
        "\"${PREV}${PREV}\"",
        "join(\"\", [PREV, PREV])",
        "format(\"%s%s\", PREV, PREV)",
        "replace(PREV, \"a\", PREV)",
        "[PREV, PREV]",
        "{ a = PREV, b = PREV }",
    ];
    assert_doublings_stop(terraform_doubling, &doublings, "main.tf:");
}

/// Each doubling ends with the value budget's warning, at an expression of `file`.
fn assert_doublings_stop(make: fn(&str) -> tempfile::TempDir, exprs: &[&str], file: &str) {
    for expr in exprs {
        let dir = make(expr);
        let warning = scan(dir.path()).problem("evaluation budget spent");
        assert!(warning.contains(file), "{expr}: {warning}");
        assert!(
            warning.contains("bytes of values built"),
            "{expr}: {warning}"
        );
    }
}

#[test]
fn terraform_instances_have_one_total_cap() {
    let dir = tempdir();
    let mut text = String::new();
    for i in 0..1000 {
        write!(
            text,
            "resource \"azurerm_storage_account\" \"s{i}\" {{\n  count = 10000\n  name = \"s{i}x${{count.index}}\"\n{STORAGE_TAIL}"
        )
        .unwrap();
    }
    write(dir.path(), "main.tf", &text);
    let outcome = scan(dir.path());
    outcome.problem("resource and module instances");
    let resources = outcome.report["summary"]["resources"].as_u64().unwrap();
    assert!((10_000..=12_000).contains(&resources), "{resources}");
}

#[test]
fn a_large_value_copied_into_every_instance_is_kept_up_to_the_budget() {
    let text = format!(
        "locals {{\n  k = \"{}\"\n  big = join(\"\", [for i in range(1000) : local.k])\n}}\nresource \"azurerm_storage_account\" \"s\" {{\n  count = 10000\n  name = \"s${{count.index}}\"\n  tags = {{ t = local.big }}\n{STORAGE_TAIL}",
        "x".repeat(15_000)
    );
    assert_problem_in_main_tf(&text, "evaluation budget spent", 5);
}

#[test]
fn terraform_module_fan_out_shares_the_root_budget() {
    let dir = tempdir();
    for depth in 0..6 {
        let mut text = String::new();
        if depth < 5 {
            write!(
                text,
                "module \"m\" {{\n  for_each = toset([for i in range(20) : tostring(i)])\n  source = \"../m{}\"\n}}\n",
                depth + 1
            )
            .unwrap();
        }
        text.push_str("resource \"azurerm_storage_account\" \"s\" {\n  name = \"x\"\n");
        text.push_str(STORAGE_TAIL);
        write(dir.path(), &format!("m{depth}/main.tf"), &text);
    }
    let outcome = scan(&dir.path().join("m0"));
    outcome.problem("resource and module instances");
}

#[test]
fn terraform_counted_loops_share_the_step_budget() {
    let text = format!(
        "resource \"azurerm_storage_account\" \"s\" {{\n  count = 10000\n  name = tostring(length(flatten([for i in range(1000) : [for j in range(1000) : \"x\"]])))\n{STORAGE_TAIL}"
    );
    assert_problem_in_main_tf(&text, "evaluation budget spent", 1);
}

#[test]
fn terraform_regex_backtracking_is_charged_to_the_budget() {
    let text = format!(
        "locals {{\n  s = \"{}!\"\n  r = [for i in range(1000) : can(regex(\"^(a+)+$\", local.s))]\n}}\nresource \"azurerm_storage_account\" \"s\" {{\n  name = tostring(length(local.r))\n{STORAGE_TAIL}",
        "a".repeat(60)
    );
    assert_problem_in_main_tf(&text, "evaluation steps", 3);
}

#[test]
fn terraform_resource_chains_do_not_recurse_per_link() {
    let dir = tempdir();
    let n = 5000;
    let mut text = String::new();
    for i in 0..n {
        let next = if i + 1 < n {
            format!("azurerm_resource_group.r{}.tags.next", i + 1)
        } else {
            "\"far-end\"".to_owned()
        };
        write!(
            text,
            "resource \"azurerm_resource_group\" \"r{i}\" {{\n  name = \"rg{i}\"\n  location = \"westeurope\"\n  tags = {{ next = {next} }}\n}}\n"
        )
        .unwrap();
    }
    write(dir.path(), "main.tf", &text);
    let model = run("model", dir.path());
    assert_eq!(model.report["resources"].as_array().unwrap().len(), n);
    let first = resource(&model, "azurerm_resource_group.r0");
    assert_eq!(first["body"]["tags"]["next"], "far-end", "{first:#}");
}

#[test]
fn terraform_local_chains_do_not_recurse_per_link() {
    let dir = tempdir();
    let mut text = String::from("locals {\n");
    let n = 10_000;
    for i in 0..n {
        let value = if i + 1 < n {
            format!("local.l{}", i + 1)
        } else {
            "\"far-end\"".to_owned()
        };
        writeln!(text, "  l{i} = {value}").unwrap();
    }
    text.push_str("}\nresource \"azurerm_resource_group\" \"r\" {\n  name = local.l0\n  location = \"westeurope\"\n}\n");
    write(dir.path(), "main.tf", &text);
    let model = run("model", dir.path());
    assert_eq!(
        resource(&model, "azurerm_resource_group.r")["name"],
        "far-end"
    );
}

#[test]
fn terraform_unknown_reasons_are_searched_once_per_local() {
    let dir = tempdir();
    let mut text = String::from("locals {\n");
    for i in 0..40 {
        writeln!(text, "  l{i} = \"${{local.l{0}}}${{local.l{0}}}\"", i + 1).unwrap();
    }
    text.push_str("  l40 = timestamp()\n}\nresource \"azurerm_storage_account\" \"s\" {\n  name = \"s\"\n  public_network_access_enabled = local.l0\n");
    text.push_str(STORAGE_TAIL);
    write(dir.path(), "main.tf", &text);
    let outcome = scan(dir.path());
    assert!(outcome.code <= 1, "{:#?}", outcome.problems());
}

#[test]
fn terraform_deep_module_nesting_is_cut_with_a_warning() {
    let dir = tempdir();
    for depth in 0..60 {
        let text = format!(
            "module \"m\" {{\n  source = \"../m{}\"\n}}\nresource \"azurerm_resource_group\" \"r\" {{\n  name = \"rg{depth}\"\n  location = \"westeurope\"\n}}\n",
            depth + 1
        );
        write(dir.path(), &format!("m{depth}/main.tf"), &text);
    }
    let outcome = scan(&dir.path().join("m0"));
    outcome.problem("nested deeper than");
}

fn arm_doubling(expr: &str) -> tempfile::TempDir {
    let dir = tempdir();
    let mut variables = serde_json::Map::new();
    variables.insert("v0".into(), "ab".into());
    for i in 1..=40 {
        let previous = format!("variables('v{}')", i - 1);
        variables.insert(
            format!("v{i}"),
            format!("[{}]", expr.replace("PREV", &previous)).into(),
        );
    }
    let template = serde_json::json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "variables": variables,
        "resources": [{
            "type": "Microsoft.Storage/storageAccounts",
            "apiVersion": "2023-01-01",
            "name": "[string(variables('v40'))]",
            "location": "westeurope"
        }]
    });
    write(dir.path(), "azuredeploy.json", &template.to_string());
    dir
}

#[test]
fn arm_doubling_stops_at_the_value_budget() {
    let doublings = [
        "concat(PREV, PREV)",
        "createArray(PREV, PREV)",
        "createObject('a', PREV, 'b', PREV)",
    ];
    assert_doublings_stop(arm_doubling, &doublings, "azuredeploy.json:");
}

#[test]
fn arm_nested_deployments_reach_the_innermost_template() {
    let dir = tempdir();
    let mut template = serde_json::json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [{
            "type": "Microsoft.Storage/storageAccounts",
            "apiVersion": "2023-01-01",
            "name": "innermost",
            "location": "westeurope"
        }]
    });
    for i in 0..60 {
        template = serde_json::json!({
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "resources": [{
                "type": "Microsoft.Resources/deployments",
                "apiVersion": "2022-09-01",
                "name": format!("d{i}"),
                "properties": {
                    "mode": "Incremental",
                    "expressionEvaluationOptions": {"scope": "inner"},
                    "template": template
                }
            }]
        });
    }
    write(dir.path(), "azuredeploy.json", &template.to_string());
    let model = run("model", dir.path());
    let names: Vec<&Json> = model.report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["name"])
        .collect();
    assert_eq!(names, ["innermost"]);
}

fn bicep_doubling(expr: &str) -> tempfile::TempDir {
    let dir = tempdir();
    let mut text = String::from("var v0 = 'ab'\n");
    for i in 1..=40 {
        let previous = format!("v{}", i - 1);
        writeln!(text, "var v{i} = {}", expr.replace("PREV", &previous)).unwrap();
    }
    text.push_str("resource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: string(v40)\n  location: 'westeurope'\n}\n");
    write(dir.path(), "main.bicep", &text);
    dir
}

#[test]
fn bicep_doubling_stops_at_the_value_budget() {
    let doublings = [
        "'${PREV}${PREV}'",
        "reduce([PREV, PREV], '', (acc, x) => '${acc}${x}')",
        "[PREV, PREV]",
    ];
    assert_doublings_stop(bicep_doubling, &doublings, "main.bicep:");
}

#[test]
fn bicep_module_fan_out_shares_the_root_budget() {
    let dir = tempdir();
    for depth in 0..6 {
        let mut text = String::new();
        if depth < 5 {
            write!(
                text,
                "module m 'm{}.bicep' = [for i in range(0, 20): {{\n  name: 'm${{i}}'\n}}]\n",
                depth + 1
            )
            .unwrap();
        }
        text.push_str("resource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 's'\n  location: 'westeurope'\n}\n");
        write(dir.path(), &format!("m{depth}.bicep"), &text);
    }
    let outcome = scan(dir.path());
    outcome.problem("resource and module instances");
}

#[test]
fn bicep_variable_chains_do_not_recurse_per_link() {
    let dir = tempdir();
    let n = 10_000;
    let mut text = String::new();
    for i in 0..n - 1 {
        writeln!(text, "var v{i} = v{}", i + 1).unwrap();
    }
    writeln!(text, "var v{} = 'far-end'", n - 1).unwrap();
    text.push_str("resource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: v0\n  location: 'westeurope'\n}\n");
    write(dir.path(), "main.bicep", &text);
    let model = run("model", dir.path());
    assert_eq!(resource(&model, "s")["name"], "far-end");
}

#[test]
fn arm_variable_and_parameter_chains_do_not_recurse_per_link() {
    let dir = tempdir();
    let n = 10_000;
    let mut variables = serde_json::Map::new();
    for i in 0..n - 1 {
        variables.insert(format!("v{i}"), format!("[variables('v{}')]", i + 1).into());
    }
    variables.insert(format!("v{}", n - 1), "[parameters('p0')]".into());
    let mut parameters = serde_json::Map::new();
    for i in 0..n - 1 {
        parameters.insert(
            format!("p{i}"),
            serde_json::json!({"type": "string", "defaultValue": format!("[parameters('p{}')]", i + 1)}),
        );
    }
    parameters.insert(
        format!("p{}", n - 1),
        serde_json::json!({"type": "string", "defaultValue": "far-end"}),
    );
    let template = serde_json::json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "parameters": parameters,
        "variables": variables,
        "resources": [{
            "type": "Microsoft.Storage/storageAccounts",
            "apiVersion": "2023-01-01",
            "name": "[variables('v0')]",
            "location": "westeurope"
        }]
    });
    write(dir.path(), "azuredeploy.json", &template.to_string());
    let model = run("model", dir.path());
    let names: Vec<&Json> = model.report["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| &r["name"])
        .collect();
    assert_eq!(names, ["far-end"], "{}", model.report["errors"]);
}

#[test]
fn bicep_resource_chains_past_the_nesting_limit_say_so() {
    let dir = tempdir();
    let n = 5_000;
    let mut text = String::new();
    for i in 0..n {
        let next = if i + 1 < n {
            format!("r{}.properties.x", i + 1)
        } else {
            "'far-end'".to_owned()
        };
        writeln!(
            text,
            "resource r{i} 'Microsoft.Storage/storageAccounts@2023-01-01' = {{\n  name: 'r{i}'\n  location: 'westeurope'\n  properties: {{ x: {next} }}\n}}"
        )
        .unwrap();
    }
    write(dir.path(), "main.bicep", &text);
    let model = run("model", dir.path());
    assert_eq!(resource(&model, "r0")["name"], "r0");
    model.problem("nest deeper than");
}

#[test]
fn bicep_nested_children_past_the_nesting_limit_are_a_located_error() {
    let dir = tempdir();
    let n = 10_000;
    let mut text = String::from(
        "resource r0 'Microsoft.Network/virtualNetworks@2023-01-01' = {\n  name: 'r0'\n  location: 'westeurope'\n",
    );
    for i in 1..n {
        writeln!(text, "resource r{i} 'child{i}' = {{\n  name: 'r{i}'").unwrap();
    }
    text.push_str(&"}\n".repeat(n));
    write(dir.path(), "main.bicep", &text);
    let outcome = scan(dir.path());
    assert_eq!(outcome.code, 2);
    let error = outcome.problem("nesting too deep");
    assert!(error.contains("main.bicep:"), "{error}");
}

#[test]
fn a_bicep_file_calling_itself_is_an_error_and_keeps_its_resources() {
    let dir = tempdir();
    write(
        dir.path(),
        "main.bicep",
        "module m 'main.bicep' = {\n  name: 'm'\n}\nresource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'self'\n  location: 'westeurope'\n}\n",
    );
    let outcome = scan(dir.path());
    assert_eq!(outcome.code, 2);
    let error = outcome.problem("module cycle");
    assert!(error.contains("main.bicep:1:"), "{error}");
    assert_eq!(outcome.report["summary"]["resources"], 1);
}

#[test]
fn bicep_files_calling_each_other_are_errors_at_both_calls() {
    let dir = tempdir();
    for (name, other) in [("a", "b"), ("b", "a")] {
        write(
            dir.path(),
            &format!("{name}.bicep"),
            &format!("module m '{other}.bicep' = {{\n  name: 'm'\n}}\nresource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {{\n  name: '{name}'\n  location: 'westeurope'\n}}\n"),
        );
    }
    let outcome = scan(dir.path());
    assert_eq!(outcome.code, 2);
    let cycles: Vec<String> = outcome
        .problems()
        .into_iter()
        .filter(|p| p.contains("module cycle"))
        .collect();
    assert_eq!(cycles.len(), 2, "{cycles:#?}");
    for (here, there) in [("a.bicep:1:", "b.bicep:1:"), ("b.bicep:1:", "a.bicep:1:")] {
        assert!(
            cycles
                .iter()
                .any(|c| c.contains(here) && c.split_once(": ").unwrap().1.contains(there)),
            "{cycles:#?}"
        );
    }
    assert_eq!(outcome.report["summary"]["resources"], 2);
}
