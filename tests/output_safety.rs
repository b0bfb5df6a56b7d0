//! A scanned repository is untrusted: names and paths it chooses must not inject workflow
//! commands or terminal sequences into the output, SARIF URIs must be valid, and a JSON
//! input that does not parse must fail the gate with a located error (no silent loss).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn moat_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .output()
        .expect("run moat")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// A storage account open to the internet (a `storage-public-access` finding) whose name
/// is `name`, as an HCL string literal body.
/// A storage account with exactly one finding (storage-public-access), at line 7.
fn leaky_storage(name: &str) -> String {
    format!(
        "resource \"azurerm_storage_account\" \"site\" {{\n  name = \"{name}\"\n  resource_group_name = \"rg\"\n  location = \"eastus2\"\n  account_tier = \"Standard\"\n  account_replication_type = \"LRS\"\n  public_network_access_enabled = true\n  shared_access_key_enabled = false\n}}\n"
    )
}

/// Lines that start a GitHub Actions workflow command.
fn workflow_commands(text: &str) -> Vec<&str> {
    text.split(['\n', '\r'])
        .filter(|l| l.trim_start().starts_with("::"))
        .collect()
}

const INJECTED: &str = "a\n::warning title=x::pwned\n.tf";

#[test]
fn a_file_name_cannot_start_a_workflow_command_in_the_text_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(INJECTED), leaky_storage("stsite")).unwrap();
    let out = moat_in(dir.path(), &["scan", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(workflow_commands(&text).is_empty(), "{text}");
    assert!(
        text.contains("a\\n::warning title=x::pwned\\n.tf"),
        "{text}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(workflow_commands(&stderr).is_empty(), "{stderr}");
    // The model listing escapes the same way.
    let model = stdout(&moat_in(dir.path(), &["model", "."]));
    assert!(workflow_commands(&model).is_empty(), "{model}");
    assert!(model.contains("a\\n::warning"), "{model}");
}

#[test]
fn wrapping_a_message_never_puts_a_workflow_command_at_the_start_of_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let name = "st ::warning title=y::wrapped ::error::x";
    std::fs::write(dir.path().join("main.tf"), leaky_storage(name)).unwrap();
    for columns in ["20", "30", "45", "60"] {
        let out = Command::new(env!("CARGO_BIN_EXE_moat"))
            .args(["scan", "."])
            .current_dir(dir.path())
            .env("COLUMNS", columns)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let text = stdout(&out);
        assert!(text.contains("::warning"), "{text}");
        assert!(workflow_commands(&text).is_empty(), "{columns}: {text}");
    }
}

#[test]
fn a_rule_folder_in_the_repository_cannot_inject_through_its_remediation() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/storage/storage-public-access.yaml"),
    )
    .unwrap()
    .replace("id: storage-public-access", "id: custom-open-storage")
    .replace(
        "  terraform: >-\n",
        "  terraform: |-\n    Fix it.\n    ::warning title=r::from a rule\n",
    );
    std::fs::write(rules.join("custom-open-storage.yaml"), &builtin).unwrap();
    std::fs::write(dir.path().join("main.tf"), leaky_storage("stx")).unwrap();
    let out = moat_in(dir.path(), &["scan", "main.tf", "--rules", "rules"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("custom-open-storage"), "{text}");
    assert!(
        text.contains("\\x3a:warning title=r::from a rule"),
        "{text}"
    );
    assert!(workflow_commands(&text).is_empty(), "{text}");
    // A rule file that does not load: its error reaches the console escaped.
    let broken = builtin.replace("Fix it.", "Fix \u{1b}]0;t\u{7} it.\n::error::x:\n  - [");
    std::fs::write(rules.join("custom-open-storage.yaml"), broken).unwrap();
    let out = moat_in(dir.path(), &["scan", "main.tf", "--rules", "rules"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("custom-open-storage.yaml"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert!(workflow_commands(&stderr).is_empty(), "{stderr}");
}

#[test]
fn escape_and_bidi_sequences_in_names_and_sources_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // ESC ] 0 ; title BEL (OSC: retitle the terminal), ESC [ 2 J (clear), RLO, a C1 CSI.
    let name = "st\\u001b]0;pwned\\u0007\\u001b[2J\\u202e\\u009b";
    let mut source = leaky_storage(name);
    source.push_str("# raw \u{1b}[2J in a comment \u{202e} \u{9b}\n");
    let file_name = "osc\u{1b}]0;t\u{7}.tf";
    std::fs::write(dir.path().join(file_name), source).unwrap();
    let out = moat_in(dir.path(), &["scan", ".", "--unknown"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
        assert!(!text.contains(bad), "{bad:?} in {text}");
    }
    assert!(text.contains("\\x1b]0;pwned\\x07"), "{text}");
    assert!(text.contains("\\u{202e}"), "{text}");
    // JSON keeps the exact strings (JSON escaping makes them safe).
    let report = json(&moat_in(dir.path(), &["scan", ".", "-f", "json"]));
    let finding = &report["findings"][0];
    assert_eq!(
        finding["resource"]["name"],
        "st\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}\u{9b}"
    );
    assert_eq!(finding["location"]["file"], file_name);
}

#[test]
fn the_github_format_escapes_properties_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let file_name = "a,b:c%.tf";
    std::fs::write(
        dir.path().join(file_name),
        leaky_storage("st\\n::error::pwned"),
    )
    .unwrap();
    std::fs::write(dir.path().join(INJECTED), leaky_storage("st2")).unwrap();
    std::fs::write(dir.path().join("broken.tf"), "resource \"x\" {\n").unwrap();
    let out = moat_in(dir.path(), &["scan", ".", "--format", "github"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    let commands = workflow_commands(&text);
    // One command per finding (two) and per input error, and nothing else.
    assert_eq!(commands.len(), 3, "{text}");
    for c in &commands {
        assert!(
            c.starts_with("::error file=") || c.starts_with("::warning file="),
            "{c}"
        );
    }
    assert!(
        text.contains("::error file=a%2Cb%3Ac%25.tf,line=7,col=3,endLine=7,endColumn="),
        "{text}"
    );
    assert!(text.contains("st%0A::error::pwned"), "{text}");
    assert!(
        text.contains("file=a%0A%3A%3Awarning title=x%3A%3Apwned%0A.tf,line="),
        "{text}"
    );
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("::error file=broken.tf,line=1,col=")
                && c.contains(",title=moat input::HCL syntax error")),
        "{text}"
    );
}

/// Percent-decodes a URI path (the test's own, to check the round trip).
fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn sarif_uris_are_percent_encoded_and_columns_count_code_points() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["my dir/a#b%c?.tf", "new\nline.tf", "é/ü.tf"];
    for (i, name) in names.iter().enumerate() {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // Distinct names: resources with the same id would merge into one finding.
        std::fs::write(&path, leaky_storage(&format!("st{i}"))).unwrap();
    }
    // A one-line template: astral-plane characters before the resource on its line.
    let template = "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"x\": \"😀😀é\", \"resources\": [{\"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2023-01-01\", \"name\": \"stastral\", \"properties\": {\"publicNetworkAccess\": \"Enabled\"}}]}";
    std::fs::write(dir.path().join("astral.json"), template).unwrap();
    let out = moat_in(dir.path(), &["scan", ".", "-f", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let sarif = json(&out);
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let mut uris: Vec<String> = Vec::new();
    for result in run["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "{uri}"
        );
        let path = percent_decode(uri);
        uris.push(path.clone());
        if path == "astral.json" {
            let column = location["region"]["startColumn"].as_u64().unwrap() as usize;
            let at: String = template.chars().skip(column - 1).collect();
            assert!(at.starts_with('"'), "column {column} points at {at}");
            let byte_column = template.len() - at.len() + 1;
            assert_ne!(column, byte_column, "columns must not count bytes");
        }
    }
    uris.sort();
    uris.dedup();
    assert_eq!(
        uris,
        ["astral.json", "my dir/a#b%c?.tf", "new\nline.tf", "é/ü.tf"]
    );
}

/// Runs `moat scan . -f json` over the files and returns the exit code and the report.
fn scan_files(files: &[(&str, &str)]) -> (Option<i32>, Value) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = moat_in(dir.path(), &["scan", ".", "-f", "json"]);
    (out.status.code(), json(&out))
}

/// The single error entry of a report, checked to be an error located in `file`.
fn located_error<'a>(report: &'a Value, file: &str) -> &'a Value {
    let errors: Vec<&Value> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["level"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{report:#}");
    let e = errors[0];
    assert_eq!(e["file"], file);
    assert!(e["line"].as_u64().is_some_and(|l| l >= 1), "{e}");
    assert!(e["column"].as_u64().is_some_and(|c| c >= 1), "{e}");
    e
}

fn export_text() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/snapshot/leaky-subscription/arg-resources.json"),
    )
    .unwrap()
}

#[test]
fn a_truncated_graph_export_fails_the_gate_where_it_breaks() {
    let full = export_text();
    let cut = &full[..full.len() / 2];
    let (code, report) = scan_files(&[("export.json", cut)]);
    assert_eq!(code, Some(2));
    let e = located_error(&report, "export.json");
    assert!(
        e["message"].as_str().unwrap().contains("live export"),
        "{e}"
    );
    assert!(e["line"].as_u64().unwrap() > 100, "{e}");
}

#[test]
fn an_export_nested_past_the_limit_fails_the_gate_where_it_goes_deep() {
    let deep = format!(
        "{{\n  \"count\": 1,\n  \"data\": [\n    {{\"id\": \"/subscriptions/0/x\", \"properties\": {}{}}}\n  ]\n}}",
        "[".repeat(600),
        "]".repeat(600)
    );
    let (code, report) = scan_files(&[("deep.json", &deep)]);
    assert_eq!(code, Some(2));
    let e = located_error(&report, "deep.json");
    assert!(e["message"].as_str().unwrap().contains("nested deeper"));
    assert_eq!(e["line"], 4);
}

#[test]
fn a_template_whose_resources_key_is_misspelt_is_an_error_at_the_key() {
    let template = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resource\": [\n    {\"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2023-01-01\", \"name\": \"st\"}\n  ]\n}\n";
    let (code, report) = scan_files(&[("main.json", template)]);
    assert_eq!(code, Some(2));
    let e = located_error(&report, "main.json");
    assert_eq!(e["line"], 4);
    let message = e["message"].as_str().unwrap();
    assert!(
        message.contains("no \"resources\"") && message.contains("\"resource\""),
        "{message}"
    );
}

#[test]
fn a_broken_parameter_file_fails_the_gate() {
    let (code, report) = scan_files(&[(
        "prod.parameters.json",
        "{\n  \"parameters\": {\n    \"name\": {\"value\": \"x\",}\n  \n",
    )]);
    assert_eq!(code, Some(2));
    let e = located_error(&report, "prod.parameters.json");
    assert!(
        e["message"].as_str().unwrap().contains("by its name"),
        "{e}"
    );
}

#[test]
fn a_broken_plan_and_a_named_file_fail_the_gate() {
    let (code, report) = scan_files(&[(
        "tfplan.json",
        "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {",
    )]);
    assert_eq!(code, Some(2));
    located_error(&report, "tfplan.json");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.json"), "{\"a\": ").unwrap();
    let out = moat_in(dir.path(), &["scan", "notes.json", "-f", "json"]);
    assert_eq!(out.status.code(), Some(2));
    located_error(&json(&out), "notes.json");
}

#[test]
fn a_broken_plain_data_file_stays_a_warning() {
    let (code, report) = scan_files(&[("data.json", "{\"items\": [1, 2,, 3]}")]);
    assert_eq!(code, Some(0), "{report:#}");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["level"], "warning");
    assert_eq!(errors[0]["file"], "data.json");
}

#[test]
fn a_named_json_file_that_is_no_input_is_a_warning_not_silence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("settings.json"), "{\"a\": 1}").unwrap();
    let out = moat_in(dir.path(), &["scan", "settings.json", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    assert_eq!(report["errors"][0]["level"], "warning", "{report:#}");
    assert_eq!(report["errors"][0]["line"], 1);
    assert!(report["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not an input moat reads"));
}
