//! Throughput of loading (discover, parse, evaluate, map to the model) and of the full scan
//! (load plus every built-in rule) on generated inputs of 1k, 10k and 100k resources: a
//! Terraform corpus, a Bicep corpus, and `az graph query` exports (flat, hub-and-spoke
//! private DNS, and minified onto one line). 1M is timed on the release binary instead
//! (`examples/gen_export.rs`; see the README's Performance section).
//!
//! Each benchmark id is `<kind>/<load|scan>/<size>`; run one at a time on a shared machine,
//! e.g. `cargo bench --bench scan -- 'export-hub/scan/100000'` (only the inputs a selected
//! benchmark reads are generated). With
//! `MOAT_BENCH_CORPUS_DIR=<dir>` set, it writes every input to `<dir>/<kind>/<size>` and
//! exits instead, for timing the binary or other tools on the same files.

mod corpus;

use std::cell::OnceCell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use corpus::{generate, planted, KINDS};
use criterion::{criterion_group, BenchmarkId, Criterion, SamplingMode, Throughput};
use moat::diagnostic::Level;
use moat::engine::{builtin_rules, Rule};
use moat::scan::{load, scan, LoadOptions};

/// Input sizes, in requested resources.
const SIZES: &[usize] = &[1_000, 10_000, 100_000];
/// From this size on, few flat samples keep the run short.
const LARGE: usize = 10_000;
/// From this size on, one sample takes seconds: two minutes of measurement for ten.
const HUGE: usize = 100_000;

fn options(dir: &Path) -> LoadOptions {
    LoadOptions {
        paths: vec![dir.to_path_buf()],
        ..LoadOptions::default()
    }
}

/// Scans the input once and checks it is what the generator meant: no input errors, and
/// exactly the resources written with a violation are found by the rules it plants for.
fn check(kind: &str, dir: &Path, violations: usize, rules: &[Rule]) {
    let result = scan(&options(dir), rules);
    let errors: Vec<_> = result
        .loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert!(errors.is_empty(), "{kind} has input errors: {errors:?}");
    let flagged: HashSet<_> = result
        .verdicts
        .findings
        .iter()
        .filter(|f| planted(kind).contains(&f.rule_id.as_str()))
        .map(|f| f.resource)
        .collect();
    assert_eq!(flagged.len(), violations, "{kind}: flagged resources");
    assert!(
        result.verdicts.undecided.is_empty(),
        "{kind}: undecided verdicts"
    );
}

/// A generated input, written and checked the first time a benchmark that reads it runs
/// (so `cargo bench --bench scan -- export-hub/scan/100000` writes only that one).
struct Input {
    kind: &'static str,
    size: usize,
    ready: OnceCell<(tempfile::TempDir, LoadOptions)>,
}

impl Input {
    fn options(&self, rules: &[Rule]) -> &LoadOptions {
        let (_, options) = self.ready.get_or_init(|| {
            let dir = tempfile::tempdir().expect("temporary directory");
            let (_, violations) =
                generate(self.kind, dir.path(), self.size).expect("write the input");
            check(self.kind, dir.path(), violations, rules);
            let options = options(dir.path());
            (dir, options)
        });
        options
    }
}

fn bench_scan(c: &mut Criterion) {
    let rules = builtin_rules().expect("built-in rules load");
    for kind in KINDS {
        for &size in SIZES {
            let input = Input {
                kind,
                size,
                ready: OnceCell::new(),
            };
            let mut group = c.benchmark_group(*kind);
            // Requested resources: every generator writes within 1% of it.
            group.throughput(Throughput::Elements(size as u64));
            if size >= LARGE {
                group
                    .sample_size(10)
                    .sampling_mode(SamplingMode::Flat)
                    .warm_up_time(Duration::from_secs(1))
                    .measurement_time(Duration::from_secs(if size >= HUGE { 120 } else { 8 }));
            }
            group.bench_function(BenchmarkId::new("load", size), |b| {
                let options = input.options(&rules);
                b.iter(|| load(options))
            });
            group.bench_function(BenchmarkId::new("scan", size), |b| {
                let options = input.options(&rules);
                b.iter(|| scan(options, &rules))
            });
            group.finish();
        }
    }
}

criterion_group!(benches, bench_scan);

fn main() {
    if let Some(dir) = std::env::var_os("MOAT_BENCH_CORPUS_DIR") {
        for kind in KINDS {
            for &size in SIZES {
                let target = PathBuf::from(&dir).join(kind).join(size.to_string());
                let (resources, violations) =
                    generate(kind, &target, size).expect("write the input");
                println!(
                    "{}: {resources} resources, {violations} with a violation",
                    target.display()
                );
            }
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
