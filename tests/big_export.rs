//! A big export is never held in memory but read by ranges: scanned that way it gives
//! exactly the report (findings, lines, columns, snippets) it gives held in memory.
//! `MOAT_BIG_JSON_BYTES` lowers the size from which a JSON file counts as big, so a small
//! generated export takes the big path.

#[path = "../benches/corpus/export.rs"]
mod export;

use std::path::Path;
use std::process::Command;

use export::{Layout, Shape};

/// Rows in the generated export.
const RESOURCES: usize = 400;

/// Formats whose reports carry locations or snippets.
const FORMATS: &[&str] = &["json", "text", "sarif", "markdown", "html", "github"];

/// `moat scan DIR --format FORMAT`'s output, with JSON files over `big` bytes read by
/// ranges (`None`: the default bound, far above the export's size).
fn scan(dir: &Path, format: &str, big: Option<u64>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_moat"));
    command
        .args([
            "scan",
            "--exit-zero",
            "--color",
            "never",
            "--format",
            format,
        ])
        .arg(dir);
    match big {
        Some(bytes) => command.env("MOAT_BIG_JSON_BYTES", bytes.to_string()),
        None => command.env_remove("MOAT_BIG_JSON_BYTES"),
    };
    let output = command.output().expect("moat runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 report")
}

/// Writes an export and gives its first row a property with multibyte characters and
/// a comment (so that row is read by the lenient parser, the others by the fast one).
fn export(dir: &Path, minified: bool) {
    let shape = Shape {
        layout: Layout::HubSpoke,
        minified,
        pages: 1,
    };
    let written = export::write(dir, RESOURCES, shape).expect("write");
    let path = &written.files[0];
    let text = std::fs::read_to_string(path).expect("read");
    let list = text.find('[').expect("a list");
    let row = list + text[list..].find('{').expect("a row");
    let edited = format!(
        "{}{{\"note\": \"Zoë 𝄞 ü\", /* a comment */{}",
        &text[..row],
        &text[row + 1..]
    );
    std::fs::write(path, edited).expect("write");
}

fn same_reports_held_and_read_by_ranges(minified: bool) {
    let root = tempfile::tempdir().expect("temporary directory");
    export(root.path(), minified);
    let size = std::fs::metadata(root.path().join("resources.json"))
        .expect("written")
        .len();
    assert!(size > 64 * 1024, "big enough to span many pages: {size}");
    for format in FORMATS {
        let held = scan(root.path(), format, None);
        let big = scan(root.path(), format, Some(1024));
        if *format == "json" {
            let report: serde_json::Value = serde_json::from_str(&held).expect("JSON");
            assert_eq!(report["errors"], serde_json::json!([]), "no input errors");
            let findings = report["findings"].as_array().expect("findings");
            assert!(findings.len() > 10, "the export has findings");
            let lines: std::collections::BTreeSet<u64> = findings
                .iter()
                .filter_map(|f| f["location"]["start_line"].as_u64())
                .collect();
            assert!(minified || lines.len() > 10, "findings on many lines");
        }
        assert!(held == big, "{format} report differs when read by ranges");
    }
}

#[test]
fn a_big_pretty_export_reads_the_same_as_held() {
    same_reports_held_and_read_by_ranges(false);
}

#[test]
fn a_big_minified_export_reads_the_same_as_held() {
    same_reports_held_and_read_by_ranges(true);
}
