//! Embeds the built-in rule pack (`rules/**/*.yaml`) into the binary.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(Path::new("rules"), &mut files);
    files.sort();
    let mut out = String::from(
        "/// Built-in rules: (path, YAML text).\npub const BUILTIN_RULES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        let abs = std::fs::canonicalize(f).expect("rule file path");
        let _ = writeln!(
            out,
            "    ({:?}, include_str!({:?})),",
            f.display().to_string(),
            abs.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_rules.rs");
    std::fs::write(dest, out).expect("write builtin_rules.rs");
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}
