//! Feeds arbitrary UTF-8 to the JSON inputs through the whole scan: written as an ARM
//! template beside a parameter file, and as a live export, in a temporary folder, then
//! grouped into units, read, evaluated and checked like `moat scan`. Parsing, recognition,
//! template evaluation and export reading may not panic, overflow the stack or run away.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use moat::engine::Rule;
use moat::scan::{self, LoadOptions};

/// A parameter file the fuzzed template picks up as its companion.
const PARAMETERS: &str = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {"name": {"value": "x"}, "list": {"value": [1, 2]}}}"#;

/// The fuzzing folders (template, export), created once per process.
fn folders() -> &'static (PathBuf, PathBuf) {
    static DIRS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    DIRS.get_or_init(|| {
        let base = std::env::temp_dir().join(format!("moat-fuzz-json-{}", std::process::id()));
        let (template, export) = (base.join("template"), base.join("export"));
        std::fs::create_dir_all(&template).expect("temporary folder");
        std::fs::create_dir_all(&export).expect("temporary folder");
        std::fs::write(template.join("azuredeploy.parameters.json"), PARAMETERS)
            .expect("parameter file");
        (template, export)
    })
}

/// The built-in rules, parsed once.
fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| moat::engine::builtin_rules().unwrap_or_default())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (template, export) = folders();
    for file in [
        template.join("azuredeploy.json"),
        export.join("export.json"),
    ] {
        if std::fs::write(&file, text).is_err() {
            return;
        }
        let options = LoadOptions {
            paths: vec![file.parent().map(PathBuf::from).unwrap_or_default()],
            ..LoadOptions::default()
        };
        let _ = scan::scan(&options, rules());
    }
});
