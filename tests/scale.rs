//! Scaling of the binary on generated inputs, for the README's Performance section; ignored
//! by default (it takes minutes). Run it on the release binary:
//!
//! ```text
//! cargo test --release --test scale -- --ignored --nocapture
//! MOAT_SCALE_SIZES=1000,10000 cargo test --release --test scale -- --ignored --nocapture
//! ```
//!
//! For every input kind it prints the wall time per size and the exponent between the two
//! largest sizes (time ∝ size^exponent), and checks that exactly the violations written are
//! found.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use corpus::{generate, planted, KINDS};

/// Scans `dir`; the wall time and the number of resources with a finding of a rule input
/// `kind` plants violations for.
fn timed_scan(kind: &str, dir: &Path) -> (Duration, usize) {
    let start = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(["scan", "--format", "json"])
        .arg(dir)
        .output()
        .expect("moat runs");
    let elapsed = start.elapsed();
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the report is JSON");
    let flagged: BTreeSet<_> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| planted(kind).contains(&f["rule_id"].as_str().unwrap_or_default()))
        .map(|f| f["resource"]["id"].to_string())
        .collect();
    (elapsed, flagged.len())
}

#[test]
#[ignore = "minutes of work; run on the release binary for the README figures"]
fn time_grows_linearly_with_resources() {
    let sizes: Vec<usize> = std::env::var("MOAT_SCALE_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let kinds = std::env::var("MOAT_SCALE_KINDS").unwrap_or_else(|_| KINDS.join(","));
    for kind in kinds.split(',') {
        let mut points = Vec::new();
        for &size in &sizes {
            let dir = tempfile::tempdir().expect("temporary directory");
            let (resources, violations) = generate(kind, dir.path(), size).expect("write");
            let (elapsed, flagged) = timed_scan(kind, dir.path());
            println!(
                "{kind:<16} {resources:>8} resources  {:>8.2} s  {:>7.1} µs/resource",
                elapsed.as_secs_f64(),
                elapsed.as_secs_f64() * 1e6 / resources as f64
            );
            assert_eq!(flagged, violations, "{kind} at {size}: flagged resources");
            points.push((resources as f64, elapsed.as_secs_f64()));
        }
        if let [.., (n1, t1), (n2, t2)] = points[..] {
            println!(
                "{kind:<16} exponent {:.2} ({n1} → {n2})",
                (t2 / t1).ln() / (n2 / n1).ln()
            );
        }
    }
}
