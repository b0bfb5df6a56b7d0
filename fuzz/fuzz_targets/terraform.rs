//! Feeds arbitrary UTF-8 to the whole Terraform scan: written as `main.tf` of a module in a
//! temporary folder, beside a local module it may call as `./m`, then loaded, evaluated
//! and checked like `moat scan`. Nothing may panic, overflow the stack or run away.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use moat::engine::Rule;
use moat::scan::{self, LoadOptions};

/// A module the fuzzed file may call with `source = "./m"`.
const MODULE: &str = "variable \"n\" {\n  type = string\n  default = \"x\"\n}\nresource \"azurerm_storage_account\" \"s\" {\n  count = 2\n  name = \"${var.n}${count.index}\"\n  public_network_access_enabled = true\n}\noutput \"id\" { value = azurerm_storage_account.s[*].id }\n";

/// The fuzzing folder, created once per process.
fn folder() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("moat-fuzz-tf-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("m")).expect("temporary folder");
        std::fs::write(dir.join("m/main.tf"), MODULE).expect("module file");
        dir
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
    let dir = folder();
    if std::fs::write(dir.join("main.tf"), text).is_err() {
        return;
    }
    let options = LoadOptions {
        paths: vec![dir.clone()],
        ..LoadOptions::default()
    };
    let _ = scan::scan(&options, rules());
});
