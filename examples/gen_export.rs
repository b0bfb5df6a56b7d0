//! Writes a generated `az graph query` export (see `benches/corpus/export.rs`) for timing
//! the release binary on big inputs:
//!
//! ```text
//! cargo run --release --example gen_export -- DIR RESOURCES [--hub] [--minified] [--pages N]
//! /usr/bin/time -v target/release/moat scan DIR --format json > /dev/null
//! ```

#[path = "../benches/corpus/export.rs"]
mod export;

use std::path::PathBuf;
use std::process::ExitCode;

use export::{Layout, Shape};

const USAGE: &str = "usage: gen_export DIR RESOURCES [--hub] [--minified] [--pages N]";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(count)) = (args.next(), args.next()) else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let Ok(count) = count.replace('_', "").parse::<usize>() else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let mut shape = Shape {
        layout: Layout::Flat,
        minified: false,
        pages: 1,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--hub" => shape.layout = Layout::HubSpoke,
            "--minified" => shape.minified = true,
            "--pages" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => shape.pages = n,
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::FAILURE;
                }
            },
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            }
        }
    }
    match export::write(&PathBuf::from(&dir), count, shape) {
        Ok(written) => {
            println!(
                "{dir}: {} resources in {} file(s), {} with a violation",
                written.resources,
                written.files.len(),
                written.violations
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_export: {e}");
            ExitCode::FAILURE
        }
    }
}
