//! Writes one generated input kind (see `benches/corpus/`) of a given size, for timing the
//! release binary (or another tool) on exactly the inputs the benchmarks scan:
//!
//! ```text
//! cargo run --release --example gen_corpus -- KIND DIR RESOURCES
//! /usr/bin/time -v target/release/moat scan DIR --format json > /dev/null
//! ```

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage: gen_corpus KIND DIR RESOURCES";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, dir, size] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let Ok(size) = size.replace('_', "").parse::<usize>() else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    if !corpus::KINDS.contains(&kind.as_str()) {
        eprintln!("{USAGE}\nKIND is one of: {}", corpus::KINDS.join(", "));
        return ExitCode::FAILURE;
    }
    match corpus::generate(kind, Path::new(dir), size) {
        Ok((resources, violations)) => {
            println!(
                "{dir}: {kind}, {resources} resources, {violations} with a violation of {}",
                corpus::planted(kind).join(", ")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
