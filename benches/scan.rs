//! Throughput of loading (discover, parse, evaluate, map to the model) and of the full scan
//! (load plus every built-in rule) on generated Terraform corpora of 1k and 10k resources.
//!
//! `cargo bench --bench scan` runs them. With `MOAT_BENCH_CORPUS_DIR=<dir>` set, it writes
//! the corpora to `<dir>/1000` and `<dir>/10000` and exits instead, for timing the binary
//! or other tools on the same files.

mod corpus;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, BenchmarkId, Criterion, SamplingMode, Throughput};
use moat::diagnostic::Level;
use moat::engine::{builtin_rules, Rule};
use moat::scan::{load, scan, LoadOptions};

/// Corpus sizes, in requested resource instances.
const SIZES: &[usize] = &[1_000, 10_000];
/// From this size on, few flat samples keep the run short.
const LARGE: usize = 10_000;

fn options(dir: &Path) -> LoadOptions {
    LoadOptions {
        paths: vec![dir.to_path_buf()],
        ..LoadOptions::default()
    }
}

/// Scans the corpus once and checks it is what the generator meant: no input errors, and
/// exactly the resources written with a violation are found.
fn check_corpus(dir: &Path, written: &corpus::Written, rules: &[Rule]) {
    let result = scan(&options(dir), rules);
    let errors: Vec<_> = result
        .loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert!(errors.is_empty(), "corpus has input errors: {errors:?}");
    let flagged: HashSet<_> = result
        .verdicts
        .findings
        .iter()
        .map(|f| f.resource)
        .collect();
    assert_eq!(flagged.len(), written.violations, "flagged resources");
    assert!(result.verdicts.undecided.is_empty(), "undecided verdicts");
}

fn bench_scan(c: &mut Criterion) {
    let rules = builtin_rules().expect("built-in rules load");
    for &size in SIZES {
        let dir = tempfile::tempdir().expect("temporary directory");
        let written = corpus::write(dir.path(), size).expect("write corpus");
        check_corpus(dir.path(), &written, &rules);
        let options = options(dir.path());

        let mut group = c.benchmark_group("terraform");
        group.throughput(Throughput::Elements(written.resources as u64));
        if size >= LARGE {
            group
                .sample_size(10)
                .sampling_mode(SamplingMode::Flat)
                .warm_up_time(Duration::from_secs(1))
                .measurement_time(Duration::from_secs(8));
        }
        group.bench_with_input(BenchmarkId::new("load", size), &options, |b, o| {
            b.iter(|| load(o))
        });
        group.bench_with_input(BenchmarkId::new("scan", size), &options, |b, o| {
            b.iter(|| scan(o, &rules))
        });
        group.finish();
    }
}

criterion_group!(benches, bench_scan);

fn main() {
    if let Some(dir) = std::env::var_os("MOAT_BENCH_CORPUS_DIR") {
        for &size in SIZES {
            let target = PathBuf::from(&dir).join(size.to_string());
            let written = corpus::write(&target, size).expect("write corpus");
            println!(
                "{}: {} resources, {} with a violation",
                target.display(),
                written.resources,
                written.violations
            );
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
